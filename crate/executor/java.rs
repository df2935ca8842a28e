//! The simulated JDK: `java` (`-version`, `-jar app.jar`, a main class on the
//! class path, a single source file), `javac` (stand-in class files with a record
//! of what `main` prints), `jar` (`c`, `t`, `x` on real zip archives) and
//! `jshell`. Running a jar the simulated Maven built prints what its main class
//! prints; a Spring Boot jar shows Spring Boot's start-up log and the port its
//! embedded Tomcat would listen on. The JVM's own errors (`Error: Unable to access
//! jarfile`, `no main manifest attribute`, `Could not find or load main class`)
//! are reproduced.

use super::program::{self, Action, Record, Stream};
use super::scan::{self, lex::Lang};
use super::support::{self, errln, label, outln, Res, Stop};
use super::zip;
use crate::shell::proc::Ctx;
use crate::vfs::{path, Node};

/// Where a simulated jar keeps its program record.
pub const RECORD_ENTRY: &str = "META-INF/dfplay/program.json";

/// A stand-in `.class` file: the class-file magic, a line saying what it is, the record.
pub fn class_file(class: &str, rec: &Record, lines: usize) -> Vec<u8> {
    let mut v = b"\xca\xfe\xba\xbe\x00\x00\x00\x37\n".to_vec();
    v.extend_from_slice(format!("dfplay stand-in class file for {class} (compiled by the simulated javac)\n").as_bytes());
    v.extend_from_slice(b"dfplay-record: ");
    v.extend_from_slice(serde_json::to_string(rec).unwrap_or_default().as_bytes());
    v.push(b'\n');
    support::pad_to(&mut v, 400 + lines * 36);
    v
}

struct Jdk {
    /// `11.0.7`
    version: String,
    build: String,
    temurin: bool,
}

impl Jdk {
    fn read(ctx: &Ctx<'_>) -> Jdk {
        let raw = support::env_nonempty(ctx, "JAVA_VERSION")
            .map(str::to_string)
            .or_else(|| ["openjdk-17-jre-headless", "openjdk-11-jre-headless", "default-jre", "openjdk11-jre"].iter().find_map(|p| support::installed_version(ctx, p)).map(|v| v.replace("_p", "+")))
            .unwrap_or_else(|| "11.0.7".into());
        let temurin = raw.starts_with("jdk");
        let v = raw.trim_start_matches("jdk-").trim_start_matches("jdk");
        let (version, build) = match v.split_once('+') {
            Some((a, b)) => (a.to_string(), b.to_string()),
            None => (v.to_string(), "10".to_string()),
        };
        Jdk { version, build, temurin }
    }
    fn major(&self) -> u32 {
        support::major_minor(&self.version).0
    }
    fn version_text(&self) -> String {
        if self.temurin {
            let v = &self.version;
            let b = &self.build;
            format!("openjdk version \"{v}\" 2026-07-21 LTS\nOpenJDK Runtime Environment Temurin-{v}+{b} (build {v}+{b}-LTS)\nOpenJDK 64-Bit Server VM Temurin-{v}+{b} (build {v}+{b}-LTS, mixed mode, sharing)")
        } else {
            let v = &self.version;
            format!("openjdk version \"{v}\" 2020-04-14\nOpenJDK Runtime Environment 18.9 (build {v}+{})\nOpenJDK 64-Bit Server VM 18.9 (build {v}+{}, mixed mode)", self.build, self.build)
        }
    }
}

pub fn java(ctx: &mut Ctx<'_>, argv: &[String]) -> i32 {
    support::entry(ctx, argv, java_main)
}

fn java_main(ctx: &mut Ctx<'_>, argv: &[String]) -> Res {
    let jdk = Jdk::read(ctx);
    let args = argv.get(1..).unwrap_or(&[]);
    let mut cp: Option<String> = None;
    let mut i = 0;
    while i < args.len() {
        let a = args[i].as_str();
        match a {
            "-version" => {
                label(ctx, argv, "the playground has no Java VM; this is the stand-in java launcher");
                errln(ctx, &jdk.version_text());
                return Ok(0);
            }
            "--version" => {
                label(ctx, argv, "the playground has no Java VM; this is the stand-in java launcher");
                outln(ctx, &jdk.version_text().replace("openjdk version \"", "openjdk ").replace("\" ", " "))?;
                return Ok(0);
            }
            "-cp" | "-classpath" | "--class-path" => {
                i += 1;
                cp = args.get(i).cloned();
            }
            "-jar" => {
                let Some(jar) = args.get(i + 1) else {
                    errln(ctx, "Error: -jar requires jar file specification");
                    return Ok(1);
                };
                let mut pargv = vec![jar.clone()];
                pargv.extend(args.get(i + 2..).unwrap_or(&[]).iter().cloned());
                return run_jar(ctx, argv, &jdk, jar, &pargv);
            }
            "-h" | "-help" | "--help" | "-?" => {
                errln(ctx, "Usage: java [options] <mainclass> [args...]\n           (to execute a class)\n   or  java [options] -jar <jarfile> [args...]\n           (to execute a jar file)");
                return Ok(0);
            }
            _ if a.starts_with('-') => {}
            main => {
                let mut pargv = vec![main.to_string()];
                pargv.extend(args.get(i + 1..).unwrap_or(&[]).iter().cloned());
                if main.ends_with(".java") && jdk.major() >= 11 {
                    return run_source(ctx, argv, main, &pargv);
                }
                let cp = cp.clone().or_else(|| ctx.getenv("CLASSPATH").map(str::to_string)).unwrap_or_else(|| ".".into());
                return run_class(ctx, argv, &cp, main, &pargv);
            }
        }
        i += 1;
    }
    errln(ctx, "Usage: java [options] <mainclass> [args...]\n           (to execute a class)\n   or  java [options] -jar <jarfile> [args...]\n           (to execute a jar file)");
    Ok(1)
}

fn run_jar(ctx: &mut Ctx<'_>, argv: &[String], jdk: &Jdk, jar: &str, pargv: &[String]) -> Res {
    label(ctx, argv, "the playground has no Java VM; running what the application's main class prints on start-up");
    let data = match support::read_bytes(ctx, jar) {
        Ok(d) => d,
        Err(_) => {
            errln(ctx, &format!("Error: Unable to access jarfile {jar}"));
            return Ok(1);
        }
    };
    support::charge_bytes(ctx, data.len() / 16)?;
    let Some(manifest) = zip::read(&data, "META-INF/MANIFEST.MF") else {
        if zip::list(&data).is_some() {
            errln(ctx, &format!("no main manifest attribute, in {jar}"));
        } else {
            errln(ctx, &format!("Error: Invalid or corrupt jarfile {jar}"));
        }
        return Ok(1);
    };
    let manifest = String::from_utf8_lossy(&manifest).into_owned();
    let Some(main) = zip::manifest_attr(&manifest, "Main-Class") else {
        errln(ctx, &format!("no main manifest attribute, in {jar}"));
        return Ok(1);
    };
    let start = zip::manifest_attr(&manifest, "Start-Class");
    let rec: Option<Record> = zip::read(&data, RECORD_ENTRY).and_then(|r| serde_json::from_slice(&r).ok());
    match rec {
        Some(r) => play_java(ctx, &r, jdk, start.as_deref().unwrap_or(&main), Some(jar), pargv),
        None => {
            let class = start.unwrap_or(main);
            errln(ctx, &format!("(simulated) {jar} would run its main class {class}; it was not built in the playground, so there is no record of what it prints"));
            Ok(0)
        }
    }
}

/// Finds `main` (a class name) on the class path and plays its record.
fn run_class(ctx: &mut Ctx<'_>, argv: &[String], cp: &str, main: &str, pargv: &[String]) -> Res {
    label(ctx, argv, "the playground has no Java VM; running what the class's main method prints");
    let rel = format!("{}.class", main.replace('.', "/"));
    let mut rec = None;
    for entry in cp.split(':').filter(|e| !e.is_empty()) {
        let abs = path::normalize(&ctx.abs(entry));
        if entry.ends_with(".jar") {
            if let Ok(d) = ctx.fs.read(&abs) {
                if let Some(c) = zip::read(&d, &rel) {
                    rec = program::read_record(&c);
                    break;
                }
            }
        } else if let Ok(d) = ctx.fs.read(&path::join(&abs, &rel)) {
            rec = program::read_record(&d).or_else(|| Some(Record { lang: "java".into(), ..Default::default() }));
            break;
        }
    }
    match rec {
        Some(r) => {
            let jdk = Jdk::read(ctx);
            play_java(ctx, &r, &jdk, main, None, pargv)
        }
        None => {
            errln(ctx, &format!("Error: Could not find or load main class {main}\nCaused by: java.lang.ClassNotFoundException: {main}"));
            Ok(1)
        }
    }
}

/// `java Main.java`: the source-file launcher (JDK 11+).
fn run_source(ctx: &mut Ctx<'_>, argv: &[String], file: &str, pargv: &[String]) -> Res {
    label(ctx, argv, "the playground has no Java VM; running what the source's main method prints");
    let text = match support::read_text(ctx, file) {
        Ok(t) => t,
        Err(_) => {
            errln(ctx, &format!("error: file not found: {file}"));
            return Ok(1);
        }
    };
    support::charge_bytes(ctx, text.len() * 4)?;
    let a = scan::analyze(Lang::Java, &text, "8080");
    if !a.has_main {
        let class = a.classes.first().cloned().unwrap_or_else(|| "Main".into());
        errln(ctx, &format!("error: can't find main(String[]) method in class: {class}"));
        return Ok(1);
    }
    let rec = Record { lang: "java".into(), sources: vec![ctx.abs(file)], actions: a.actions, spring_boot: None };
    let jdk = Jdk::read(ctx);
    play_java(ctx, &rec, &jdk, a.classes.first().map(String::as_str).unwrap_or("Main"), None, pargv)
}

const SPRING_BANNER: &str = "\n  .   ____          _            __ _ _\n /\\\\ / ___'_ __ _ _(_)_ __  __ _ \\ \\ \\ \\\n( ( )\\___ | '_ | '_| | '_ \\/ _` | \\ \\ \\ \\\n \\\\/  ___)| |_)| | | | | || (_| |  ) ) ) )\n  '  |____| .__|_| |_|_| |_\\__, | / / / /\n =========|_|==============|___/=/_/_/_/\n";

/// Plays a Java program's record; a Spring Boot application gets Spring Boot's start-up log.
fn play_java(ctx: &mut Ctx<'_>, rec: &Record, jdk: &Jdk, main: &str, jar: Option<&str>, pargv: &[String]) -> Res {
    let Some(boot) = &rec.spring_boot else {
        return program::play(ctx, rec, pargv, &format!("`{main}`"));
    };
    let short = main.rsplit('.').next().unwrap_or(main);
    let t = support::iso_time(ctx.clock.now).replace('T', " ").replace('Z', ".123");
    let logger = |name: &str| {
        let chars: Vec<char> = name.chars().collect();
        let n: String = chars[chars.len().saturating_sub(40)..].iter().collect();
        format!("{n:<40}")
    };
    let line = |t: &str, who: &str, msg: &str| format!("{t}  INFO 1 --- [           main] {} : {msg}", logger(who));
    support::out(ctx, SPRING_BANNER)?;
    outln(ctx, &format!(" :: Spring Boot ::        (v{boot})\n"))?;
    let from = jar.map(|j| format!("{} started by root in {}", ctx.abs(j), ctx.cwd)).unwrap_or_else(|| format!("started by root in {}", ctx.cwd));
    outln(ctx, &line(&t, main, &format!("Starting {short} using Java {} with PID 1 ({from})", jdk.version)))?;
    outln(ctx, &line(&t, main, "No active profile set, falling back to 1 default profile: \"default\""))?;
    let mut listening = None;
    for a in &rec.actions {
        if !ctx.budget.charge(1) {
            return Err(Stop(1));
        }
        match a {
            Action::Print { to, parts } => {
                let text = program::render(ctx, parts, pargv);
                match to {
                    Stream::Out => support::out(ctx, &text)?,
                    Stream::Err => ctx.err(&text),
                }
            }
            Action::Listen { addr, .. } => {
                let port = program::render(ctx, addr, pargv);
                let tomcat = "o.s.b.w.embedded.tomcat.TomcatWebServer";
                outln(ctx, &line(&t, tomcat, &format!("Tomcat initialized with port(s): {port} (http)")))?;
                outln(ctx, &line(&t, "o.apache.catalina.core.StandardService", "Starting service [Tomcat]"))?;
                outln(ctx, &line(&t, tomcat, &format!("Tomcat started on port(s): {port} (http) with context path ''")))?;
                outln(ctx, &line(&t, main, &format!("Started {short} in 2.345 seconds (JVM running for 2.9)")))?;
                listening = Some(port);
            }
            Action::Exit { code } => return Ok(*code),
        }
    }
    if let Some(port) = listening {
        errln(ctx, &format!("(simulated) the Spring Boot application would now serve HTTP on port {port} until the container stops; the playground runs no servers, so it exits here"));
    }
    Ok(0)
}

pub fn javac(ctx: &mut Ctx<'_>, argv: &[String]) -> i32 {
    support::entry(ctx, argv, javac_main)
}

fn javac_main(ctx: &mut Ctx<'_>, argv: &[String]) -> Res {
    label(ctx, argv, "the playground has no Java compiler; writing stand-in class files");
    let mut out_dir: Option<String> = None;
    let mut files = Vec::new();
    let args = argv.get(1..).unwrap_or(&[]);
    let mut i = 0;
    while i < args.len() {
        let a = args[i].as_str();
        match a {
            "-d" => {
                i += 1;
                out_dir = args.get(i).cloned();
            }
            "-cp" | "-classpath" | "--class-path" | "-source" | "-target" | "--release" | "-encoding" | "-sourcepath" | "-h" | "-s" | "-processorpath" => i += 1,
            _ if a.starts_with('-') => {}
            f => files.push(f.to_string()),
        }
        i += 1;
    }
    if files.is_empty() {
        errln(ctx, "error: no source files");
        return Ok(2);
    }
    for f in &files {
        if !f.ends_with(".java") {
            errln(ctx, &format!("error: invalid flag: {f}\nUsage: javac <options> <source files>\nuse --help for a list of possible options"));
            return Ok(2);
        }
        if !support::is_file(ctx, f) {
            errln(ctx, &format!("error: file not found: {f}\nUsage: javac <options> <source files>\nuse --help for a list of possible options"));
            return Ok(2);
        }
    }
    for f in &files {
        let text = support::read_text(ctx, f).unwrap_or_default();
        support::charge_bytes(ctx, text.len() * 4)?;
        let a = scan::analyze(Lang::Java, &text, "8080");
        let src_dir = path::parent(&path::normalize(&ctx.abs(f))).to_string();
        let classes = if a.classes.is_empty() { vec![path::basename(f).trim_end_matches(".java").to_string()] } else { a.classes.clone() };
        for class in classes {
            let dir = match &out_dir {
                Some(d) => {
                    let base = path::normalize(&ctx.abs(d));
                    match &a.package {
                        Some(p) if !p.is_empty() => path::join(&base, &p.replace('.', "/")),
                        _ => base,
                    }
                }
                None => src_dir.clone(),
            };
            if let Some(d) = &out_dir {
                if !support::is_dir(ctx, d) {
                    errln(ctx, &format!("error: directory not found: {d}"));
                    return Ok(2);
                }
            }
            let full = match &a.package {
                Some(p) if !p.is_empty() => format!("{p}.{class}"),
                _ => class.clone(),
            };
            let rec = Record { lang: "java".into(), sources: vec![ctx.abs(f)], actions: if a.has_main { a.actions.clone() } else { Vec::new() }, spring_boot: None };
            let data = class_file(&full, &rec, a.eof.0 as usize);
            support::write_file(ctx, &path::join(&dir, &format!("{class}.class")), data, 0o644).map_err(|e| support::fs_fail(ctx, "javac", &e))?;
        }
    }
    Ok(0)
}

pub fn jar(ctx: &mut Ctx<'_>, argv: &[String]) -> i32 {
    support::entry(ctx, argv, jar_main)
}

fn jar_main(ctx: &mut Ctx<'_>, argv: &[String]) -> Res {
    label(ctx, argv, "the playground's jar tool (real zip archives, stored)");
    let Some(mode) = argv.get(1).map(|m| m.trim_start_matches('-').to_string()) else {
        errln(ctx, "Usage: jar [OPTION...] [ [--release VERSION] [-C dir] files] ...\nTry `jar --help' for more information.");
        return Ok(1);
    };
    let mut rest: Vec<String> = argv.get(2..).unwrap_or(&[]).to_vec();
    let take = |rest: &mut Vec<String>| if rest.is_empty() { None } else { Some(rest.remove(0)) };
    let mut file = None;
    let mut entry_point = None;
    for c in mode.chars() {
        match c {
            'f' => file = take(&mut rest),
            'e' => entry_point = take(&mut rest),
            'm' => {
                let _ = take(&mut rest);
            }
            _ => {}
        }
    }
    let verbose = mode.contains('v');
    let Some(file) = file else {
        errln(ctx, "(simulated) jar: only archives named with f are supported in the playground");
        return Ok(1);
    };
    if mode.contains('c') {
        let mut entries = vec![zip::Entry { name: "META-INF/".into(), data: vec![] }];
        let mut manifest = "Manifest-Version: 1.0\r\nCreated-By: 11.0.7 (Oracle Corporation)\r\n".to_string();
        if let Some(e) = &entry_point {
            manifest.push_str(&format!("Main-Class: {e}\r\n"));
        }
        manifest.push_str("\r\n");
        entries.push(zip::Entry { name: "META-INF/MANIFEST.MF".into(), data: manifest.into_bytes() });
        if verbose {
            outln(ctx, "added manifest")?;
        }
        let mut base = ctx.cwd.clone();
        let mut i = 0;
        while i < rest.len() {
            if rest[i] == "-C" {
                base = path::normalize(&ctx.abs(rest.get(i + 1).map(String::as_str).unwrap_or(".")));
                i += 2;
                continue;
            }
            let abs = path::normalize(&path::join(&base, &rest[i]));
            let walked = match ctx.fs.walk(&abs) {
                Ok(w) => w,
                Err(_) => {
                    errln(ctx, &format!("{}: no such file or directory", rest[i]));
                    return Ok(1);
                }
            };
            for (p, node) in walked {
                let rel = p.strip_prefix(&base).unwrap_or(&p).trim_start_matches('/').to_string();
                if rel.is_empty() || rel == "META-INF" || rel.starts_with("META-INF/MANIFEST") {
                    continue;
                }
                match node {
                    Node::Dir(_) => entries.push(zip::Entry { name: format!("{rel}/"), data: vec![] }),
                    Node::File(f) => {
                        support::charge_bytes(ctx, f.data.len())?;
                        if verbose {
                            outln(ctx, &format!("adding: {rel}(in = {}) (out= {})(stored 0%)", f.data.len(), f.data.len()))?;
                        }
                        entries.push(zip::Entry { name: rel, data: f.data.as_ref().clone() });
                    }
                    Node::Symlink(_) => {}
                }
            }
            i += 1;
        }
        // a jar of compiled classes carries the main class's record
        if let Some(e) = &entry_point {
            let rel = format!("{}.class", e.replace('.', "/"));
            if let Some(rec) = entries.iter().find(|x| x.name == rel).and_then(|x| program::read_record(&x.data)) {
                entries.push(zip::Entry { name: RECORD_ENTRY.into(), data: serde_json::to_vec(&rec).unwrap_or_default() });
            }
        }
        let data = zip::write(&entries, ctx.clock.now);
        support::write_file(ctx, &file, data, 0o644).map_err(|e| support::fs_fail(ctx, "jar", &e))?;
        return Ok(0);
    }
    let data = match support::read_bytes(ctx, &file) {
        Ok(d) => d,
        Err(_) => {
            errln(ctx, &format!("java.io.FileNotFoundException: {file} (No such file or directory)"));
            return Ok(1);
        }
    };
    let Some(names) = zip::list(&data) else {
        errln(ctx, "java.util.zip.ZipException: zip END header not found");
        return Ok(1);
    };
    if mode.contains('t') {
        for n in names.iter().filter(|n| *n != RECORD_ENTRY) {
            outln(ctx, n)?;
        }
        return Ok(0);
    }
    if mode.contains('x') {
        for n in &names {
            if n.contains("..") || n.starts_with('/') {
                continue;
            }
            let dest = path::join(&ctx.cwd.clone(), n);
            if n.ends_with('/') {
                support::mkdir_p(ctx, &dest).map_err(|e| support::fs_fail(ctx, "jar", &e))?;
            } else if let Some(d) = zip::read(&data, n) {
                if verbose {
                    outln(ctx, &format!(" inflated: {n}"))?;
                }
                support::write_file(ctx, &dest, d, 0o644).map_err(|e| support::fs_fail(ctx, "jar", &e))?;
            }
        }
        return Ok(0);
    }
    errln(ctx, &format!("jar: unsupported mode {mode} in the playground"));
    Ok(1)
}

pub fn jshell(ctx: &mut Ctx<'_>, argv: &[String]) -> i32 {
    support::entry(ctx, argv, |ctx, argv| {
        let jdk = Jdk::read(ctx);
        label(ctx, argv, "the playground has no Java VM; jshell reads its input and evaluates nothing");
        outln(ctx, &format!("|  Welcome to JShell -- Version {}\n|  For an introduction type: /help intro\n", jdk.version))?;
        let _ = ctx.stdin.read_all();
        support::out(ctx, "jshell> ")?;
        outln(ctx, "")?;
        Ok(0)
    })
}

pub fn javadoc(ctx: &mut Ctx<'_>, argv: &[String]) -> i32 {
    support::entry(ctx, argv, |ctx, argv| {
        label(ctx, argv, "the playground has no JDK; javadoc generates nothing");
        Ok(0)
    })
}

/// `jlink --add-modules … --output DIR`: a runtime image with a stand-in `bin/java`.
pub fn jlink(ctx: &mut Ctx<'_>, argv: &[String]) -> i32 {
    support::entry(ctx, argv, |ctx, argv| {
        label(ctx, argv, "the playground has no JDK; jlink writes a stand-in runtime image");
        let jdk = Jdk::read(ctx);
        let Some(out) = argv.windows(2).find(|w| w[0] == "--output").map(|w| w[1].clone()) else {
            errln(ctx, "Error: --output must be specified\nUsage: jlink <options> --module-path <modulepath> --add-modules <module>[,<module>...]");
            return Ok(1);
        };
        let dir = path::normalize(&ctx.abs(&out));
        if ctx.fs.lstat(&dir).is_ok() {
            errln(ctx, &format!("Error: directory already exists: {dir}"));
            return Ok(1);
        }
        let modules = argv.windows(2).find(|w| w[0] == "--add-modules").map(|w| w[1].clone()).unwrap_or_else(|| "java.base".into());
        support::write_standin(ctx, &path::join(&dir, "bin/java"), "java", &format!("a jlink runtime image of OpenJDK {} (modules {modules})", jdk.version)).map_err(|e| support::fs_fail(ctx, "jlink", &e))?;
        support::write_file(ctx, &path::join(&dir, "release"), format!("JAVA_VERSION=\"{}\"\nMODULES=\"{}\"\n", jdk.version, modules.replace(',', " ")).into_bytes(), 0o644).map_err(|e| support::fs_fail(ctx, "jlink", &e))?;
        let modfile = support::padded(b"JIMAGE\0".to_vec(), 24_000_000);
        support::write_file(ctx, &path::join(&dir, "lib/modules"), modfile, 0o644).map_err(|e| support::fs_fail(ctx, "jlink", &e))?;
        Ok(0)
    })
}
