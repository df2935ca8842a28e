//! The simulated CPython and pip. `pip install` (names, `==` pins, `-r
//! requirements.txt`, `--no-cache-dir`, `--user`, `--target`) puts a placeholder
//! package and its `.dist-info` in site-packages and, unless `--no-cache-dir`,
//! leaves its wheel in pip's cache (the reason for that flag); on a distribution
//! Python marked EXTERNALLY-MANAGED (Debian 12, Ubuntu 23.04+, Alpine 3.19+) it
//! refuses as pip does unless `--break-system-packages`. `python3 script.py`,
//! `-c`, `-m` check the imports the script makes (standard library, the
//! script's own modules, site-packages) — `ModuleNotFoundError` when a package
//! was never installed — then print what the script prints on start-up.

use super::program::{self, Record};
use super::scan::{self, lex::Lang, PYTHON_STDLIB};
use super::support::{self, errln, label, outln, Res};
use crate::shell::proc::Ctx;
use crate::vfs::path;

struct Py {
    version: String,
    /// `3.11`
    minor: String,
    /// Site-packages pip installs into.
    site: String,
    /// Every directory imports are searched in (site dirs).
    search: Vec<String>,
    /// Where the EXTERNALLY-MANAGED marker would be.
    marker: String,
    pip: String,
}

impl Py {
    fn read(ctx: &Ctx<'_>) -> Py {
        let from_env = support::env_nonempty(ctx, "PYTHON_VERSION").map(str::to_string);
        let standin = ["/usr/local/bin/python3", "/usr/bin/python3"].iter().find_map(|p| support::standin_version(ctx, p, "CPython "));
        let official = from_env.is_some() || ctx.fs.stat("/usr/local/bin/python3").is_ok();
        let version = from_env.or(standin).or_else(|| support::installed_version(ctx, "python3")).unwrap_or_else(|| {
            let os = ctx.fs.read("/etc/os-release").map(|d| String::from_utf8_lossy(&d).into_owned()).unwrap_or_default();
            if os.contains("VERSION_ID=\"14.04\"") {
                "3.4.3".into()
            } else if os.contains("buster") {
                "3.7.3".into()
            } else if os.contains("ID=alpine") && os.contains("VERSION_ID=3.9") {
                "3.6.9".into()
            } else if os.contains("ID=alpine") {
                "3.12.8".into()
            } else {
                "3.11.2".into()
            }
        });
        let (ma, mi) = support::major_minor(&version);
        let minor = format!("{ma}.{mi}");
        let alpine = ctx.fs.stat("/etc/alpine-release").is_ok();
        let site = if official {
            format!("/usr/local/lib/python{minor}/site-packages")
        } else if alpine {
            format!("/usr/lib/python{minor}/site-packages")
        } else {
            format!("/usr/local/lib/python{minor}/dist-packages")
        };
        let home = support::home(ctx);
        let search = vec![
            site.clone(),
            format!("/usr/local/lib/python{minor}/site-packages"),
            format!("/usr/lib/python{minor}/site-packages"),
            format!("/usr/local/lib/python{minor}/dist-packages"),
            "/usr/lib/python3/dist-packages".to_string(),
            format!("{home}/.local/lib/python{minor}/site-packages"),
        ];
        let marker = format!("/usr/lib/python{minor}/EXTERNALLY-MANAGED");
        let pip = if mi >= 12 { "24.2" } else if mi >= 11 { "23.0.1" } else if mi >= 7 { "18.1" } else { "9.0.1" }.to_string();
        Py { version, minor, site, search, marker, pip }
    }
}

/// The module a distribution installs (`Pillow` → `PIL`).
fn module_of(dist: &str) -> String {
    let d = dist.to_lowercase().replace('_', "-");
    let known = [
        ("pillow", "PIL"),
        ("scikit-learn", "sklearn"),
        ("beautifulsoup4", "bs4"),
        ("pyyaml", "yaml"),
        ("python-dotenv", "dotenv"),
        ("opencv-python", "cv2"),
        ("opencv-python-headless", "cv2"),
        ("psycopg2-binary", "psycopg2"),
        ("mysqlclient", "MySQLdb"),
        ("pymysql", "pymysql"),
        ("python-dateutil", "dateutil"),
        ("msgpack-python", "msgpack"),
        ("protobuf", "google"),
        ("attrs", "attr"),
    ];
    known.iter().find(|(k, _)| *k == d).map(|(_, m)| m.to_string()).unwrap_or_else(|| d.replace(['-', '.'], "_"))
}

/// Console scripts of popular distributions.
const SCRIPTS: &[(&str, &[&str])] = &[
    ("flask", &["flask"]),
    ("gunicorn", &["gunicorn"]),
    ("uvicorn", &["uvicorn"]),
    ("django", &["django-admin"]),
    ("pytest", &["pytest", "py.test"]),
    ("black", &["black"]),
    ("celery", &["celery"]),
    ("httpie", &["http"]),
];

/// A requirement line to (distribution, version).
fn requirement(line: &str) -> Option<(String, String)> {
    let l = line.split('#').next().unwrap_or("").split(';').next().unwrap_or("").trim();
    if l.is_empty() || l.starts_with('-') {
        return None;
    }
    let name_end = l.find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.')).unwrap_or(l.len());
    let name = &l[..name_end];
    if name.is_empty() {
        return None;
    }
    let rest = l[name_end..].trim();
    let rest = if rest.starts_with('[') { rest.split_once(']').map(|(_, r)| r.trim()).unwrap_or("") } else { rest };
    let spec = rest.split(',').next().unwrap_or("").trim();
    let v = spec.trim_start_matches(|c: char| "=<>~!".contains(c)).trim();
    let version = if !v.is_empty() && v.starts_with(|c: char| c.is_ascii_digit()) && !spec.starts_with('<') && !spec.starts_with("!=") {
        v.trim_end_matches(".*").to_string()
    } else {
        let h = support::fnv(name.to_lowercase().as_bytes());
        format!("{}.{}.{}", 1 + h % 4, (h >> 8) % 15, (h >> 16) % 10)
    };
    Some((name.to_string(), version))
}

pub fn pip(ctx: &mut Ctx<'_>, argv: &[String]) -> i32 {
    support::entry(ctx, argv, pip_main)
}

fn pip_main(ctx: &mut Ctx<'_>, argv: &[String]) -> Res {
    let py = Py::read(ctx);
    let args: Vec<String> = argv.iter().skip(1).cloned().collect();
    if args.iter().any(|a| a == "--version" || a == "-V") && args.iter().all(|a| a.starts_with('-')) {
        label(ctx, argv, "the playground's stand-in pip");
        outln(ctx, &format!("pip {} from {}/pip (python {})", py.pip, py.site, py.minor))?;
        return Ok(0);
    }
    let sub = args.iter().find(|a| !a.starts_with('-')).cloned().unwrap_or_default();
    match sub.as_str() {
        "install" => {
            label(ctx, argv, "the playground has no network; packages are simulated (placeholders in site-packages)");
            install(ctx, &py, &args)
        }
        "list" | "freeze" => {
            label(ctx, argv, "lists the simulated site-packages");
            let mut found: Vec<(String, String)> = Vec::new();
            for dir in &py.search {
                if let Ok(entries) = ctx.fs.read_dir(dir) {
                    for (n, _) in entries {
                        if let Some(base) = n.strip_suffix(".dist-info") {
                            if let Some((name, v)) = base.rsplit_once('-') {
                                if !found.iter().any(|(f, _)| f == name) {
                                    found.push((name.to_string(), v.to_string()));
                                }
                            }
                        }
                    }
                }
            }
            found.sort();
            if sub == "freeze" {
                for (n, v) in found {
                    outln(ctx, &format!("{n}=={v}"))?;
                }
            } else {
                let w = found.iter().map(|(n, _)| n.len()).max().unwrap_or(7).max(7);
                outln(ctx, &format!("{:<w$} Version\n{} -------", "Package", "-".repeat(w)))?;
                for (n, v) in found {
                    outln(ctx, &format!("{n:<w$} {v}"))?;
                }
            }
            Ok(0)
        }
        "uninstall" => {
            label(ctx, argv, "removes from the simulated site-packages");
            for n in args.iter().skip_while(|a| *a != "uninstall").skip(1).filter(|a| !a.starts_with('-')) {
                let m = module_of(n);
                let mut removed = false;
                for dir in py.search.clone() {
                    if let Ok(entries) = ctx.fs.read_dir(&dir) {
                        for (e, _) in entries {
                            let lower = e.to_lowercase();
                            if e == m || lower.starts_with(&format!("{}-", n.to_lowercase().replace('-', "_"))) && lower.ends_with(".dist-info") {
                                let _ = ctx.fs.remove_all(&path::join(&dir, &e));
                                removed = true;
                            }
                        }
                    }
                }
                if removed {
                    outln(ctx, &format!("Found existing installation: {n}\nUninstalling {n}:\n  Successfully uninstalled {n}"))?;
                } else {
                    errln(ctx, &format!("WARNING: Skipping {n} as it is not installed."));
                }
            }
            Ok(0)
        }
        "" => {
            outln(ctx, "\nUsage:   \n  pip <command> [options]\n\nCommands:\n  install                     Install packages.\n  uninstall                   Uninstall packages.\n  freeze                      Output installed packages in requirements format.\n  list                        List installed packages.")?;
            Ok(0)
        }
        other => {
            label(ctx, argv, "the playground's stand-in pip");
            errln(ctx, &format!("ERROR: unknown command \"{other}\""));
            Ok(1)
        }
    }
}

fn install(ctx: &mut Ctx<'_>, py: &Py, args: &[String]) -> Res {
    let mut reqs: Vec<(String, String)> = Vec::new();
    let mut no_cache = ctx.getenv("PIP_NO_CACHE_DIR").is_some_and(|v| !v.is_empty() && v != "0" && v != "false");
    let mut user = false;
    let mut target: Option<String> = None;
    let mut quiet = false;
    let mut break_system = ctx.getenv("PIP_BREAK_SYSTEM_PACKAGES").is_some_and(|v| v == "1" || v == "true");
    let mut i = args.iter().position(|a| a == "install").map(|p| p + 1).unwrap_or(0);
    while i < args.len() {
        let a = args[i].as_str();
        match a {
            "-r" | "--requirement" | "-c" | "--constraint" => {
                i += 1;
                let Some(file) = args.get(i) else {
                    errln(ctx, "ERROR: -r option requires 1 argument");
                    return Ok(2);
                };
                if a == "-c" || a == "--constraint" {
                    i += 1;
                    continue;
                }
                match support::read_text(ctx, file) {
                    Ok(text) => {
                        support::charge_bytes(ctx, text.len())?;
                        reqs.extend(text.lines().filter_map(requirement));
                    }
                    Err(_) => {
                        errln(ctx, &format!("ERROR: Could not open requirements file: [Errno 2] No such file or directory: '{file}'"));
                        return Ok(1);
                    }
                }
            }
            "--no-cache-dir" => no_cache = true,
            "--user" => user = true,
            "--break-system-packages" => break_system = true,
            "-q" | "--quiet" | "-qq" => quiet = true,
            "-t" | "--target" | "--prefix" | "--root" => {
                i += 1;
                target = args.get(i).cloned();
            }
            "-i" | "--index-url" | "--extra-index-url" | "-f" | "--find-links" | "--trusted-host" | "--progress-bar" | "--src" | "--platform" | "--python-version" => i += 1,
            "-e" | "--editable" => {
                i += 1;
                if let Some(p) = args.get(i) {
                    let name = path::basename(&path::normalize(&ctx.abs(p))).to_string();
                    reqs.push((name, "0.0.0".into()));
                }
            }
            _ if a.starts_with('-') => {}
            spec => {
                if spec == "." || spec.starts_with("./") || spec.starts_with('/') {
                    let name = path::basename(&path::normalize(&ctx.abs(spec))).to_string();
                    reqs.push((name, "0.0.0".into()));
                } else if let Some(r) = requirement(spec) {
                    reqs.push(r);
                }
            }
        }
        i += 1;
    }
    if reqs.is_empty() {
        errln(ctx, "ERROR: You must give at least one requirement to install (see \"pip help install\")");
        return Ok(1);
    }
    if target.is_none() && !user && !break_system && ctx.fs.stat(&py.marker).is_ok() {
        errln(ctx, "error: externally-managed-environment\n\n× This environment is externally managed\n╰─> To install Python packages system-wide, try apt install\n    python3-xyz, where xyz is the package you are trying to\n    install.\n\n    If you wish to install a non-Debian-packaged Python package,\n    create a virtual environment using python3 -m venv path/to/venv.\n    Then use path/to/venv/bin/python and path/to/venv/bin/pip. Make\n    sure you have python3-full installed.\n\nnote: If you believe this is a mistake, please contact your Python installation or OS distribution provider. You can override this, at the risk of breaking your Python installation or OS, by passing --break-system-packages.\nhint: See PEP 668 for the detailed specification.");
        return Ok(1);
    }
    let home = support::home(ctx);
    let site = match (&target, user) {
        (Some(t), _) => path::normalize(&ctx.abs(t)),
        (None, true) => format!("{home}/.local/lib/python{}/site-packages", py.minor),
        (None, false) => py.site.clone(),
    };
    let bin_dir = if user { format!("{home}/.local/bin") } else if site.starts_with("/usr/local") { "/usr/local/bin".to_string() } else { "/usr/bin".to_string() };
    let mut done: Vec<String> = Vec::new();
    for (name, version) in &reqs {
        if done.iter().any(|d| d.eq_ignore_ascii_case(name)) {
            continue;
        }
        let norm = name.to_lowercase().replace('-', "_");
        let h = support::fnv(name.to_lowercase().as_bytes());
        let wheel = format!("{norm}-{version}-py3-none-any.whl");
        let kb = 20 + h % 900;
        if !quiet {
            outln(ctx, &format!("Collecting {name}{}", if reqs.iter().any(|(n, v)| n == name && !v.is_empty()) { format!("=={version}") } else { String::new() }))?;
            outln(ctx, &format!("  Downloading {wheel} ({kb} kB)"))?;
        }
        let module = module_of(name);
        let mdir = path::join(&site, &module);
        let files = [
            (path::join(&mdir, "__init__.py"), format!("# dfplay: placeholder for {name} {version} (simulated pip install: the playground has no network)\n")),
            (path::join(&site, &format!("{norm}-{version}.dist-info/METADATA")), format!("Metadata-Version: 2.1\nName: {name}\nVersion: {version}\nSummary: (dfplay) simulated install\n")),
            (path::join(&site, &format!("{norm}-{version}.dist-info/INSTALLER")), "pip\n".to_string()),
            (path::join(&site, &format!("{norm}-{version}.dist-info/RECORD")), format!("{module}/__init__.py,,\n{norm}-{version}.dist-info/METADATA,,\n")),
        ];
        for (f, body) in files {
            support::write_file(ctx, &f, body.into_bytes(), 0o644).map_err(|e| support::fs_fail(ctx, "pip", &e))?;
        }
        if let Some((_, scripts)) = SCRIPTS.iter().find(|(d, _)| d.eq_ignore_ascii_case(name)) {
            for s in *scripts {
                support::write_standin(ctx, &path::join(&bin_dir, s), "python-console-script", &format!("the `{s}` command of {name} {version}")).map_err(|e| support::fs_fail(ctx, "pip", &e))?;
            }
        }
        if !no_cache {
            let cache = format!("{home}/.cache/pip/http-v2/{:x}/{:x}/{:016x}", h & 0xf, (h >> 4) & 0xf, h);
            let d = support::padded(b"PK\x03\x04".to_vec(), (kb * 1000) as usize);
            support::write_file(ctx, &cache, d, 0o644).map_err(|e| support::fs_fail(ctx, "pip", &e))?;
        }
        done.push(format!("{name}-{version}"));
    }
    if !quiet {
        let names: Vec<&str> = reqs.iter().map(|(n, _)| n.as_str()).collect();
        outln(ctx, &format!("Installing collected packages: {}", names.join(", ")))?;
        outln(ctx, &format!("Successfully installed {}", done.join(" ")))?;
    }
    if ctx.uid == 0 && !user && support::major_minor(&py.pip).0 >= 21 {
        errln(ctx, "WARNING: Running pip as the 'root' user can result in broken permissions and conflicting behaviour with the system package manager. It is recommended to use a virtual environment instead: https://pip.pypa.io/warnings/venv");
    }
    Ok(0)
}

pub fn python(ctx: &mut Ctx<'_>, argv: &[String]) -> i32 {
    support::entry(ctx, argv, python_main)
}

fn python_main(ctx: &mut Ctx<'_>, argv: &[String]) -> Res {
    let py = Py::read(ctx);
    let args: Vec<String> = argv.iter().skip(1).cloned().collect();
    let mut i = 0;
    while i < args.len() {
        let a = args[i].as_str();
        match a {
            "--version" | "-V" => {
                label(ctx, argv, "the playground has no Python interpreter; this is the stand-in python");
                outln(ctx, &format!("Python {}", py.version))?;
                return Ok(0);
            }
            "-c" => {
                label(ctx, argv, "the playground has no Python interpreter; printing what the code prints");
                let code = args.get(i + 1).cloned().unwrap_or_default();
                let mut pargv = vec![argv.first().cloned().unwrap_or_default(), "-c".to_string()];
                pargv.extend(args.get(i + 2..).unwrap_or(&[]).iter().cloned());
                let cwd = ctx.cwd.clone();
                return run_source(ctx, &py, &code, "<string>", &cwd, &pargv);
            }
            "-m" => {
                let module = args.get(i + 1).cloned().unwrap_or_default();
                let rest: Vec<String> = args.get(i + 2..).unwrap_or(&[]).to_vec();
                return run_module(ctx, argv, &py, &module, &rest);
            }
            "-W" | "-X" => i += 1,
            _ if a.starts_with('-') => {}
            script => {
                label(ctx, argv, "the playground has no Python interpreter; printing what the script prints on start-up");
                let abs = path::normalize(&ctx.abs(script));
                let src = match ctx.fs.read(&abs) {
                    Ok(d) => String::from_utf8_lossy(&d).into_owned(),
                    Err(_) => {
                        let exe = argv.first().map(|a| path::basename(a)).unwrap_or("python3");
                        errln(ctx, &format!("{exe}: can't open file '{abs}': [Errno 2] No such file or directory"));
                        return Ok(2);
                    }
                };
                support::charge_bytes(ctx, src.len() * 4)?;
                let mut pargv = vec![argv.first().cloned().unwrap_or_default()];
                pargv.extend(args.get(i..).unwrap_or(&[]).iter().cloned());
                let dir = path::parent(&abs).to_string();
                return run_source(ctx, &py, &src, &abs, &dir, &pargv);
            }
        }
        i += 1;
    }
    label(ctx, argv, "the playground has no Python interpreter; python reads its program from standard input");
    let src = String::from_utf8_lossy(ctx.stdin.read_all()).into_owned();
    let pargv = vec![argv.first().cloned().unwrap_or_default(), "-".into()];
    let cwd = ctx.cwd.clone();
    run_source(ctx, &py, &src, "<stdin>", &cwd, &pargv)
}

fn module_found(ctx: &Ctx<'_>, py: &Py, m: &str, dir: &str) -> bool {
    if PYTHON_STDLIB.contains(&m) {
        return true;
    }
    let mut dirs = vec![dir.to_string()];
    dirs.extend(py.search.iter().cloned());
    if let Some(pp) = ctx.getenv("PYTHONPATH") {
        dirs.extend(pp.split(':').filter(|p| !p.is_empty()).map(|p| ctx.abs(p)));
    }
    dirs.iter().any(|d| {
        ctx.fs.stat(&path::join(d, m)).map(|s| s.is_dir()).unwrap_or(false) || ctx.fs.stat(&path::join(d, &format!("{m}.py"))).is_ok() || ctx.fs.stat(&path::join(d, &format!("{m}.so"))).is_ok()
    })
}

fn run_source(ctx: &mut Ctx<'_>, py: &Py, src: &str, file: &str, dir: &str, pargv: &[String]) -> Res {
    let a = scan::analyze(Lang::Python, src, "");
    for m in &a.imports {
        if !module_found(ctx, py, m, dir) {
            let (line_no, line) = src.lines().enumerate().find(|(_, l)| {
                let t = l.trim_start();
                (t.starts_with("import ") || t.starts_with("from ")) && t.split(|c: char| c.is_whitespace() || c == ',' || c == '.').any(|w| w == m)
            }).map(|(n, l)| (n + 1, l.trim().to_string())).unwrap_or((1, String::new()));
            errln(ctx, &format!("Traceback (most recent call last):\n  File \"{file}\", line {line_no}, in <module>\n    {line}\nModuleNotFoundError: No module named '{m}'"));
            return Ok(1);
        }
    }
    let rec = Record { lang: "python".into(), sources: vec![file.to_string()], actions: a.actions, spring_boot: None };
    program::play(ctx, &rec, pargv, "the script")
}

fn run_module(ctx: &mut Ctx<'_>, argv: &[String], py: &Py, module: &str, rest: &[String]) -> Res {
    match module {
        "pip" => {
            let mut a = vec!["pip".to_string()];
            a.extend(rest.iter().cloned());
            pip_main(ctx, &a)
        }
        "http.server" | "SimpleHTTPServer" => {
            label(ctx, argv, "the playground runs no servers; python's file server is simulated");
            let port = rest.iter().find(|a| a.chars().all(|c| c.is_ascii_digit()) && !a.is_empty()).cloned().unwrap_or_else(|| "8000".into());
            outln(ctx, &format!("Serving HTTP on 0.0.0.0 port {port} (http://0.0.0.0:{port}/) ..."))?;
            errln(ctx, &format!("(simulated) python would now serve the files of {} on port {port} until the container stops; the playground runs no servers, so it exits here", ctx.cwd));
            Ok(0)
        }
        "venv" | "virtualenv" => {
            label(ctx, argv, "creates the virtual environment's directories (the interpreter is a stand-in)");
            let Some(dir) = rest.iter().find(|a| !a.starts_with('-')) else {
                errln(ctx, "usage: venv [-h] [--system-site-packages] [--symlinks | --copies] [--clear] [--upgrade] [--without-pip] [--prompt PROMPT] [--upgrade-deps] ENV_DIR [ENV_DIR ...]\nvenv: error: the following arguments are required: ENV_DIR");
                return Ok(2);
            };
            let root = path::normalize(&ctx.abs(dir));
            let home_bin = if ctx.fs.stat("/usr/local/bin/python3").is_ok() { "/usr/local/bin" } else { "/usr/bin" };
            let cfg = format!("home = {home_bin}\ninclude-system-site-packages = false\nversion = {}\n", py.version);
            let m = py.minor.clone();
            support::write_file(ctx, &path::join(&root, "pyvenv.cfg"), cfg.into_bytes(), 0o644).map_err(|e| support::fs_fail(ctx, "python", &e))?;
            support::symlink_force(ctx, &format!("{home_bin}/python3"), &path::join(&root, "bin/python3")).map_err(|e| support::fs_fail(ctx, "python", &e))?;
            support::symlink_force(ctx, "python3", &path::join(&root, "bin/python")).map_err(|e| support::fs_fail(ctx, "python", &e))?;
            support::write_standin(ctx, &path::join(&root, "bin/pip"), "pip", "pip of a virtual environment (installs are simulated)").map_err(|e| support::fs_fail(ctx, "python", &e))?;
            support::symlink_force(ctx, "pip", &path::join(&root, "bin/pip3")).map_err(|e| support::fs_fail(ctx, "python", &e))?;
            support::write_file(ctx, &path::join(&root, "bin/activate"), format!("# This file must be used with \"source bin/activate\"\nVIRTUAL_ENV=\"{root}\"\nexport VIRTUAL_ENV\nPATH=\"$VIRTUAL_ENV/bin:$PATH\"\nexport PATH\n").into_bytes(), 0o644).map_err(|e| support::fs_fail(ctx, "python", &e))?;
            support::mkdir_p(ctx, &path::join(&root, &format!("lib/python{m}/site-packages"))).map_err(|e| support::fs_fail(ctx, "python", &e))?;
            Ok(0)
        }
        "flask" => {
            label(ctx, argv, "the playground runs no servers; Flask's development server is simulated");
            let port = rest.windows(2).find(|w| w[0] == "--port" || w[0] == "-p").map(|w| w[1].clone()).or_else(|| rest.iter().find_map(|a| a.strip_prefix("--port=").map(str::to_string))).unwrap_or_else(|| "5000".into());
            let host = rest.windows(2).find(|w| w[0] == "--host" || w[0] == "-h").map(|w| w[1].clone()).or_else(|| rest.iter().find_map(|a| a.strip_prefix("--host=").map(str::to_string))).unwrap_or_else(|| "127.0.0.1".into());
            errln(ctx, &format!(" * Serving Flask app '{}'\n * Debug mode: off\n * Running on http://{host}:{port}", ctx.getenv("FLASK_APP").unwrap_or("app")));
            errln(ctx, &format!("(simulated) Flask would now serve on {host} port {port} until the container stops; the playground runs no servers, so it exits here"));
            Ok(0)
        }
        m => {
            let top = m.split('.').next().unwrap_or(m);
            let cwd = ctx.cwd.clone();
            if !module_found(ctx, py, top, &cwd) {
                label(ctx, argv, "the playground has no Python interpreter");
                let exe = argv.first().map(|a| path::basename(a)).unwrap_or("python3");
                errln(ctx, &format!("/usr/bin/{exe}: No module named {m}"));
                return Ok(1);
            }
            let file = [format!("{}.py", m.replace('.', "/")), format!("{}/__main__.py", m.replace('.', "/"))].into_iter().map(|f| path::join(&cwd, &f)).find(|f| ctx.fs.stat(f).is_ok());
            match file {
                Some(f) => {
                    label(ctx, argv, "the playground has no Python interpreter; printing what the module prints on start-up");
                    let src = support::read_text(ctx, &f).unwrap_or_default();
                    let mut pargv = vec![argv.first().cloned().unwrap_or_default(), f.clone()];
                    pargv.extend(rest.iter().cloned());
                    let dir = path::parent(&f).to_string();
                    run_source(ctx, py, &src, &f, &dir, &pargv)
                }
                None => {
                    label(ctx, argv, "the playground has no Python interpreter; an installed module cannot run");
                    Ok(0)
                }
            }
        }
    }
}

/// A console script pip installed (`gunicorn`, `flask`, …).
pub fn console_script(ctx: &mut Ctx<'_>, argv: &[String]) -> i32 {
    support::entry(ctx, argv, |ctx, argv| {
        let name = support::prog_name(argv).to_string();
        if name == "flask" && argv.get(1).map(String::as_str) == Some("run") {
            let py = Py::read(ctx);
            let rest: Vec<String> = argv.iter().skip(2).cloned().collect();
            return run_module(ctx, argv, &py, "flask", &rest);
        }
        label(ctx, argv, "a command pip installed for a simulated package; the playground cannot run it");
        if name == "gunicorn" || name == "uvicorn" {
            let bind = argv.windows(2).find(|w| w[0] == "-b" || w[0] == "--bind").map(|w| w[1].clone()).or_else(|| argv.iter().find_map(|a| a.strip_prefix("--bind=").map(str::to_string)));
            let port = argv.windows(2).find(|w| w[0] == "--port").map(|w| w[1].clone());
            let addr = bind.or(port.map(|p| format!("127.0.0.1:{p}"))).unwrap_or_else(|| "127.0.0.1:8000".into());
            errln(ctx, &format!("(simulated) {name} would now serve the application on {} until the container stops; the playground runs no servers, so it exits here", program::describe_addr(&addr)));
        }
        Ok(0)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requirement_lines() {
        assert_eq!(requirement("Flask==2.0.1"), Some(("Flask".into(), "2.0.1".into())));
        assert_eq!(requirement("uvicorn[standard]>=0.20 ; python_version >= '3.8'"), Some(("uvicorn".into(), "0.20".into())));
        assert_eq!(requirement("# comment"), None);
        assert_eq!(requirement("-r other.txt"), None);
        assert!(requirement("requests").is_some());
        assert_eq!(module_of("Pillow"), "PIL");
        assert_eq!(module_of("python-dotenv"), "dotenv");
        assert_eq!(module_of("Flask-SQLAlchemy"), "flask_sqlalchemy");
    }
}
