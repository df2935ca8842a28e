//! The simulated Apache Maven (`mvn`): reads pom.xml, prints Maven's log for the
//! requested phases and goals (the header, one `--- plugin:version:goal` block per
//! mojo, `BUILD SUCCESS`/`BUILD FAILURE` with the timing footer), downloads
//! nothing but fills the local repository (`~/.m2/repository`, or
//! `$MAVEN_CONFIG/repository`) with placeholder artifacts as a download would,
//! and writes what `compile`, `package` and `install` leave: `target/classes/`
//! with stand-in class files, and a real jar (`target/<artifactId>-<version>.jar`)
//! whose manifest names the main class the pom configures, with a record of what
//! the application prints on start-up. Errors are Maven's own (no POM, a
//! non-parseable or invalid POM, an unknown phase, offline mode without the
//! artifacts).
//!
//! Deviation, on purpose: the compiler is not run, so a project that real Maven
//! 3.6's compiler plugin would refuse on JDK 11 (source/target 1.5 by default)
//! still builds here.

use super::pom::{self, Artifact, Pom, PomError};
use super::program::{Action, Part, Record, Stream};
use super::scan::{self, lex::Lang};
use super::support::{self, label, outln, Res, Stop};
use super::zip;
use crate::shell::proc::Ctx;
use crate::vfs::{path, Node};

const CENTRAL: &str = "https://repo.maven.apache.org/maven2";

const PHASES: &[&str] = &[
    "validate", "initialize", "generate-sources", "process-sources", "generate-resources", "process-resources", "compile", "process-classes",
    "generate-test-sources", "process-test-sources", "generate-test-resources", "process-test-resources", "test-compile", "process-test-classes", "test",
    "prepare-package", "package", "pre-integration-test", "integration-test", "post-integration-test", "verify", "install", "deploy", "pre-clean",
    "clean", "post-clean", "pre-site", "site", "post-site", "site-deploy",
];

/// Maven's version-dependent defaults.
struct Maven {
    version: String,
    modern: bool,
    java_version: String,
    java_home: String,
    repo: String,
    batch: bool,
    quiet: bool,
    offline: bool,
    skip_tests: bool,
    skip_test_compile: bool,
}

impl Maven {
    fn plugin(&self, short: &str) -> (&'static str, &'static str) {
        let (old, new) = match short {
            "clean" => ("2.5", "3.2.0"),
            "resources" => ("2.6", "3.3.1"),
            "compiler" => ("3.1", "3.13.0"),
            "surefire" => ("2.12.4", "3.2.5"),
            "jar" => ("2.4", "3.4.1"),
            "war" => ("2.2", "3.4.0"),
            "install" => ("2.4", "3.1.2"),
            "deploy" => ("2.7", "3.1.2"),
            "dependency" => ("3.1.2", "3.7.0"),
            _ => ("1.0", "1.0"),
        };
        if self.modern {
            (new, "")
        } else {
            (old, "")
        }
    }
    fn plugin_version(&self, short: &str) -> String {
        self.plugin(short).0.to_string()
    }
    /// `maven-resources-plugin:2.6:resources` (3.6) or `resources:3.3.1:resources` (3.9).
    fn mojo(&self, short: &str, goal: &str) -> String {
        let v = self.plugin_version(short);
        if self.modern {
            format!("{short}:{v}:{goal}")
        } else {
            format!("maven-{short}-plugin:{v}:{goal}")
        }
    }
}

/// Collected log lines with their levels, printed through `-q`.
struct Log<'c, 'a> {
    ctx: &'c mut Ctx<'a>,
    quiet: bool,
}

impl Log<'_, '_> {
    fn info(&mut self, s: &str) -> Result<(), Stop> {
        if self.quiet {
            return Ok(());
        }
        outln(self.ctx, &format!("[INFO] {s}"))
    }
    fn warn(&mut self, s: &str) -> Result<(), Stop> {
        if self.quiet {
            return Ok(());
        }
        outln(self.ctx, &format!("[WARNING] {s}"))
    }
    fn error(&mut self, s: &str) -> Result<(), Stop> {
        outln(self.ctx, &format!("[ERROR] {s}"))
    }
    fn raw(&mut self, s: &str) -> Result<(), Stop> {
        if self.quiet {
            return Ok(());
        }
        outln(self.ctx, s)
    }
    fn line(&mut self) -> Result<(), Stop> {
        self.info(&"-".repeat(72))
    }
}

pub fn mvn(ctx: &mut Ctx<'_>, argv: &[String]) -> i32 {
    support::entry(ctx, argv, mvn_main)
}

fn mvn_main(ctx: &mut Ctx<'_>, argv: &[String]) -> Res {
    let version = support::standin_version(ctx, "/usr/share/maven/bin/mvn", "Apache Maven ")
        .or_else(|| support::env_nonempty(ctx, "MAVEN_VERSION").map(str::to_string))
        .unwrap_or_else(|| "3.9.9".into());
    let (maj, min) = support::major_minor(&version);
    let home = support::home(ctx);
    let mut m = Maven {
        modern: maj > 3 || (maj == 3 && min >= 9),
        version,
        java_version: support::env_nonempty(ctx, "JAVA_VERSION").unwrap_or("11.0.7").trim_start_matches("jdk-").split('+').next().unwrap_or("11").to_string(),
        java_home: support::env_nonempty(ctx, "JAVA_HOME").unwrap_or("/usr/local/openjdk-11").to_string(),
        repo: support::env_nonempty(ctx, "MAVEN_CONFIG").map(|c| format!("{c}/repository")).unwrap_or_else(|| format!("{home}/.m2/repository")),
        batch: false,
        quiet: false,
        offline: false,
        skip_tests: false,
        skip_test_compile: false,
    };
    let mut goals: Vec<String> = Vec::new();
    let mut file: Option<String> = None;
    let mut version_only = false;
    let mut show_version = false;
    let args = argv.get(1..).unwrap_or(&[]);
    let mut i = 0;
    while i < args.len() {
        let a = args[i].as_str();
        match a {
            "-B" | "--batch-mode" | "-ntp" | "--no-transfer-progress" => m.batch = true,
            "-q" | "--quiet" => m.quiet = true,
            "-o" | "--offline" => m.offline = true,
            "-v" | "--version" => version_only = true,
            "-V" | "--show-version" => show_version = true,
            "-f" | "--file" => {
                i += 1;
                file = args.get(i).cloned();
            }
            "-s" | "--settings" | "-gs" | "-P" | "-pl" | "--projects" | "-T" | "--threads" | "-l" | "--log-file" | "-rf" => i += 1,
            "-D" => {
                i += 1;
                if let Some(d) = args.get(i) {
                    define(&mut m, d);
                }
            }
            "-h" | "--help" => {
                outln(ctx, "\nusage: mvn [options] [<goal(s)>] [<phase(s)>]\n\nOptions:\n -B,--batch-mode    Run in non-interactive (batch) mode\n -f,--file <arg>    Force the use of an alternate POM file\n -o,--offline       Work offline\n -q,--quiet         Quiet output - only show errors\n -v,--version       Display version information")?;
                return Ok(0);
            }
            _ if a.starts_with("-D") => define(&mut m, &a[2..]),
            _ if a.starts_with('-') => {}
            _ => goals.push(a.to_string()),
        }
        i += 1;
    }
    if version_only || show_version {
        label(ctx, argv, "the playground's stand-in Maven");
        version_info(ctx, &m)?;
        if version_only {
            return Ok(0);
        }
    } else {
        label(ctx, argv, "the playground has no Java or network; Maven is simulated (placeholder downloads, stand-in classes)");
    }
    let cwd = ctx.cwd.clone();
    let pom_path = match &file {
        Some(f) => {
            let abs = path::normalize(&ctx.abs(f));
            if ctx.fs.stat(&abs).map(|s| s.is_dir()).unwrap_or(false) {
                path::join(&abs, "pom.xml")
            } else {
                abs
            }
        }
        None => path::join(&cwd, "pom.xml"),
    };
    let basedir = path::parent(&pom_path).to_string();
    let quiet = m.quiet;
    let start = ctx.clock.now;
    let mut log = Log { ctx, quiet };
    log.info("Scanning for projects...")?;
    if goals.is_empty() {
        footer(&mut log, &m, false, start, 0.1)?;
        log.error(&format!("No goals have been specified for this build. You must specify a valid lifecycle phase or a goal in the format <plugin-prefix>:<goal> or <plugin-group-id>:<plugin-artifact-id>[:<plugin-version>]:<goal>. Available lifecycle phases are: {}. -> [Help 1]", PHASES.join(", ")))?;
        help(&mut log, "NoGoalSpecifiedException")?;
        return Ok(1);
    }
    let text = match log.ctx.fs.read(&pom_path) {
        Ok(d) => String::from_utf8_lossy(&d).into_owned(),
        Err(_) => {
            if file.is_some() {
                log.error(&format!("The specified file '{pom_path}' does not exist"))?;
                return Ok(1);
            }
            footer(&mut log, &m, false, start, 0.08)?;
            log.error(&format!("The goal you specified requires a project to execute but there is no POM in this directory ({basedir}). Please verify you invoked Maven from the correct directory. -> [Help 1]"))?;
            help(&mut log, "MissingProjectException")?;
            return Ok(1);
        }
    };
    support::charge_bytes(log.ctx, text.len() * 2)?;
    let pom = match pom::parse_pom(&text) {
        Ok(p) => p,
        Err(e) => {
            model_failure(&mut log, &pom_path, e)?;
            return Ok(1);
        }
    };
    for g in &goals {
        if !g.contains(':') && !PHASES.contains(&g.as_str()) {
            footer(&mut log, &m, false, start, 0.2)?;
            log.error(&format!("Unknown lifecycle phase \"{g}\". You must specify a valid lifecycle phase or a goal in the format <plugin-prefix>:<goal> or <plugin-group-id>:<plugin-artifact-id>[:<plugin-version>]:<goal>. Available lifecycle phases are: {}. -> [Help 1]", PHASES.join(", ")))?;
            help(&mut log, "LifecyclePhaseNotFoundException")?;
            return Ok(1);
        }
    }
    let mut b = Build { m: &m, pom: &pom, basedir: basedir.clone(), downloads: 0, work: 0 };
    header(&mut log, &m, &pom, &pom_path)?;
    for g in &goals {
        let ok = b.goal(&mut log, g)?;
        if let Err(failure) = ok {
            footer(&mut log, &m, false, start, b.seconds())?;
            log.error(&failure)?;
            log.error("")?;
            log.error("To see the full stack trace of the errors, re-run Maven with the -e switch.")?;
            log.error("Re-run Maven using the -X switch to enable full debug logging.")?;
            log.error("")?;
            log.error("For more information about the errors and possible solutions, please read the following articles:")?;
            log.error("[Help 1] http://cwiki.apache.org/confluence/display/MAVEN/DependencyResolutionException")?;
            return Ok(1);
        }
    }
    footer(&mut log, &m, true, start, b.seconds())?;
    Ok(0)
}

fn define(m: &mut Maven, d: &str) {
    let (k, v) = d.split_once('=').unwrap_or((d, "true"));
    match k {
        "skipTests" => m.skip_tests = v != "false",
        "maven.test.skip" => {
            m.skip_tests = v != "false";
            m.skip_test_compile = v != "false";
        }
        "maven.repo.local" => m.repo = v.to_string(),
        _ => {}
    }
}

fn version_info(ctx: &mut Ctx<'_>, m: &Maven) -> Result<(), Stop> {
    let commit = if m.modern { "8e8579a9e76f7d015ee5ec7bfcdc97d260186937" } else { "cecedd343002696d0abb50b32b541b8a6ba2883f" };
    outln(ctx, &format!("Apache Maven {} ({commit})", m.version))?;
    outln(ctx, "Maven home: /usr/share/maven")?;
    let vendor = if m.java_home.contains("openjdk-") { "Oracle Corporation" } else { "Eclipse Adoptium" };
    outln(ctx, &format!("Java version: {}, vendor: {vendor}, runtime: {}", m.java_version, m.java_home))?;
    outln(ctx, "Default locale: en, platform encoding: UTF-8")?;
    outln(ctx, "OS name: \"linux\", version: \"6.8.0\", arch: \"amd64\", family: \"unix\"")
}

fn help(log: &mut Log<'_, '_>, exception: &str) -> Result<(), Stop> {
    log.error("")?;
    log.error("To see the full stack trace of the errors, re-run Maven with the -e switch.")?;
    log.error("Re-run Maven using the -X switch to enable full debug logging.")?;
    log.error("")?;
    log.error("For more information about the errors and possible solutions, please read the following articles:")?;
    log.error(&format!("[Help 1] http://cwiki.apache.org/confluence/display/MAVEN/{exception}"))
}

fn model_failure(log: &mut Log<'_, '_>, pom_path: &str, e: PomError) -> Result<(), Stop> {
    match e {
        PomError::NotParseable(x) => {
            let msg = format!("Non-parseable POM {pom_path}: {} @ line {}, column {}", x.message, x.line, x.col);
            log.error("[ERROR] Some problems were encountered while processing the POMs:")?;
            log.raw(&format!("[FATAL] {msg}\n @ "))?;
            log.error("The build could not read 1 project -> [Help 1]")?;
            log.error("  ")?;
            log.error(&format!("  The project  ({pom_path}) has 1 error"))?;
            log.error(&format!("    {msg} -> [Help 2]"))?;
            help(log, "ProjectBuildingException")?;
            log.error("[Help 2] http://cwiki.apache.org/confluence/display/MAVEN/ModelParseException")
        }
        PomError::Invalid(errs) => {
            log.error("[ERROR] Some problems were encountered while processing the POMs:")?;
            for e in &errs {
                log.raw(&format!("[ERROR] {} @ line {}, column {}", e.message, e.line, e.col))?;
            }
            log.raw(" @ ")?;
            log.error("The build could not read 1 project -> [Help 1]")?;
            log.error("  ")?;
            log.error(&format!("  The project [unknown-group-id]:[unknown-artifact-id]:[unknown-version] ({pom_path}) has {} error{}", errs.len(), if errs.len() == 1 { "" } else { "s" }))?;
            for e in &errs {
                log.error(&format!("    {} @ line {}, column {}", e.message, e.line, e.col))?;
            }
            help(log, "ProjectBuildingException")
        }
    }
}

fn header(log: &mut Log<'_, '_>, m: &Maven, pom: &Pom, pom_path: &str) -> Result<(), Stop> {
    log.info("")?;
    let key = format!("{}:{}", pom.group_id, pom.artifact_id);
    let header_len = 4 + key.len() + 4;
    let prefix = format!("{}--< ", "-".repeat(72usize.saturating_sub(header_len) / 2));
    let suffix = format!(" >--{}", "-".repeat((72 + 4usize).saturating_sub(header_len + prefix.len())));
    log.info(&format!("{prefix}{key}{suffix}"))?;
    log.info(&format!("Building {} {}", pom.name, pom.version))?;
    if m.modern {
        log.info(&format!("  from {}", path::basename(pom_path)))?;
    }
    let p = &pom.packaging;
    let pre = "-".repeat(72usize.saturating_sub(p.len() + 4) / 2);
    let post = "-".repeat(72usize.saturating_sub(p.len() + 4 + pre.len()));
    log.info(&format!("{pre}[ {p} ]{post}"))
}

fn footer(log: &mut Log<'_, '_>, m: &Maven, success: bool, start: i64, seconds: f64) -> Result<(), Stop> {
    let _ = m;
    log.line()?;
    log.info(if success { "BUILD SUCCESS" } else { "BUILD FAILURE" })?;
    log.line()?;
    log.info(&format!("Total time:  {seconds:.3} s"))?;
    log.info(&format!("Finished at: {}", support::iso_time(start + seconds.round() as i64)))?;
    log.line()
}

struct Build<'p> {
    m: &'p Maven,
    pom: &'p Pom,
    basedir: String,
    downloads: u32,
    work: u32,
}

/// A source file found under src/: its path and what it declares.
struct Source {
    path: String,
    class: String,
    analysis: scan::Analysis,
}

impl Build<'_> {
    fn seconds(&self) -> f64 {
        0.6 + self.downloads as f64 * 0.083 + self.work as f64 * 0.141
    }

    fn target(&self) -> String {
        path::join(&self.basedir, "target")
    }

    fn artifact_file(&self) -> String {
        let ext = match self.pom.packaging.as_str() {
            "war" => "war",
            "pom" => "pom",
            _ => "jar",
        };
        let base = self.pom.final_name.clone().unwrap_or_else(|| format!("{}-{}", self.pom.artifact_id, self.pom.version));
        path::join(&self.target(), &format!("{base}.{ext}"))
    }

    fn goal(&mut self, log: &mut Log<'_, '_>, g: &str) -> Result<Result<(), String>, Stop> {
        if let Some((prefix, goal)) = g.split_once(':') {
            return self.plugin_goal(log, prefix, goal);
        }
        if g == "clean" || g == "pre-clean" || g == "post-clean" {
            self.clean(log)?;
            return Ok(Ok(()));
        }
        if matches!(g, "pre-site" | "site" | "post-site" | "site-deploy") {
            log.info("")?;
            log.info(&format!("--- {} (default-site) @ {} ---", if self.m.modern { "site:3.12.1:site" } else { "maven-site-plugin:3.3:site" }, self.pom.artifact_id))?;
            log.warn("(simulated) no site is generated in the playground")?;
            return Ok(Ok(()));
        }
        let upto = PHASES.iter().position(|p| *p == g).unwrap_or(0);
        let at = |p: &str| PHASES.iter().position(|x| *x == p).unwrap_or(usize::MAX) <= upto;
        if let Err(e) = self.resolve_dependencies(log, at("compile"))? {
            return Ok(Err(e));
        }
        let sources = self.sources(log.ctx, "src/main/java")?;
        if self.pom.packaging == "pom" {
            if at("install") {
                self.install(log)?;
            }
            return Ok(Ok(()));
        }
        if at("process-resources") {
            self.resources(log, "resources", "default-resources", "src/main/resources", "target/classes")?;
        }
        if at("compile") {
            self.compile(log, &sources, "compile", "default-compile", "target/classes")?;
        }
        if at("process-test-resources") {
            self.resources(log, "testResources", "default-testResources", "src/test/resources", "target/test-classes")?;
        }
        if at("test-compile") {
            let tests = self.sources(log.ctx, "src/test/java")?;
            if self.m.skip_test_compile {
                log.info("")?;
                log.info(&format!("--- {} (default-testCompile) @ {} ---", self.m.mojo("compiler", "testCompile"), self.pom.artifact_id))?;
                log.info("Not compiling test sources")?;
            } else {
                self.compile(log, &tests, "testCompile", "default-testCompile", "target/test-classes")?;
            }
            if at("test") {
                self.test(log, &tests)?;
            }
        }
        if at("package") {
            self.package(log, &sources)?;
        }
        if at("install") {
            self.install(log)?;
        }
        if at("deploy") {
            log.info("")?;
            log.info(&format!("--- {} (default-deploy) @ {} ---", self.m.mojo("deploy", "deploy"), self.pom.artifact_id))?;
            return Ok(Err(format!(
                "Failed to execute goal org.apache.maven.plugins:maven-deploy-plugin:{}:deploy (default-deploy) on project {}: Deployment failed: repository element was not specified in the POM inside distributionManagement element or in -DaltDeploymentRepository=id::layout::url parameter -> [Help 1]",
                self.m.plugin_version("deploy"),
                self.pom.artifact_id
            )));
        }
        Ok(Ok(()))
    }

    /// Every artifact a real build would fetch for the lifecycle: the plugins and the dependencies.
    fn lifecycle_artifacts(&self) -> Vec<Artifact> {
        let mut v = Vec::new();
        let shorts: &[&str] = if self.pom.packaging == "war" { &["clean", "resources", "compiler", "surefire", "war", "install", "deploy"] } else { &["clean", "resources", "compiler", "surefire", "jar", "install", "deploy"] };
        for s in shorts {
            v.push(Artifact { group_id: "org.apache.maven.plugins".into(), artifact_id: format!("maven-{s}-plugin"), version: self.m.plugin_version(s), kind: "maven-plugin".into(), ..Default::default() });
        }
        for p in &self.pom.plugins {
            if !p.artifact_id.is_empty() && !v.iter().any(|a| a.artifact_id == p.artifact_id) {
                let version = if p.version.is_empty() { self.pom.spring_boot.clone().filter(|_| p.artifact_id.starts_with("spring-boot")).unwrap_or_else(|| "1.0".into()) } else { p.version.clone() };
                let group = if p.group_id.is_empty() { "org.apache.maven.plugins".to_string() } else { p.group_id.clone() };
                v.push(Artifact { group_id: group, artifact_id: p.artifact_id.clone(), version, kind: "maven-plugin".into(), ..Default::default() });
            }
        }
        if let Some(parent) = &self.pom.parent {
            v.push(Artifact { kind: "pom".into(), ..parent.clone() });
        }
        v.extend(self.pom.dependencies.iter().cloned());
        v
    }

    fn repo_path(&self, a: &Artifact, ext: &str) -> String {
        format!("{}/{}/{}/{}/{}-{}.{ext}", self.m.repo, a.group_id.replace('.', "/"), a.artifact_id, a.version, a.artifact_id, a.version)
    }

    /// Makes sure `a` is in the local repository, "downloading" it (a placeholder) when not.
    fn fetch(&mut self, log: &mut Log<'_, '_>, a: &Artifact) -> Result<Result<(), String>, Stop> {
        let ext = if a.kind == "pom" { "pom" } else { "jar" };
        let file = self.repo_path(a, ext);
        if log.ctx.fs.stat(&file).is_ok() {
            return Ok(Ok(()));
        }
        if self.m.offline {
            return Ok(Err(format!(
                "Failed to execute goal on project {}: Could not resolve dependencies for project {}:{}:{}:{}: Cannot access central ({CENTRAL}) in offline mode and the artifact {}:{}:{}:{} has not been downloaded from it before. -> [Help 1]",
                self.pom.artifact_id, self.pom.group_id, self.pom.artifact_id, self.pom.packaging, self.pom.version, a.group_id, a.artifact_id, ext, a.version
            )));
        }
        let h = support::fnv(format!("{}:{}:{}", a.group_id, a.artifact_id, a.version).as_bytes());
        let pom_size = 1_500 + (h % 9_000) as usize;
        let jar_size = if ext == "jar" { 8_000 + (h % 400_000) as usize } else { 0 };
        let rel = |e: &str| format!("{}/{}/{}/{}-{}.{e}", a.group_id.replace('.', "/"), a.artifact_id, a.version, a.artifact_id, a.version);
        let pom_file = self.repo_path(a, "pom");
        let mut files = vec![(pom_file.clone(), "pom", pom_size)];
        if ext == "jar" {
            files.push((file.clone(), "jar", jar_size));
        }
        for (f, e, size) in files {
            if log.ctx.fs.stat(&f).is_ok() {
                continue;
            }
            let url = format!("{CENTRAL}/{}", rel(e));
            log.info(&format!("Downloading from central: {url}"))?;
            let kb = (size as f64 / 1000.0).max(0.1);
            if !self.m.batch {
                log.raw(&format!("Progress (1): {kb:.1} kB"))?;
            }
            log.info(&format!("Downloaded from central: {url} ({} at {:.0} kB/s)", human_kb(size), (kb * 3.7).max(1.0)))?;
            let body = if e == "pom" {
                format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!-- dfplay: a simulated download; the playground has no network -->\n<project>\n  <modelVersion>4.0.0</modelVersion>\n  <groupId>{}</groupId>\n  <artifactId>{}</artifactId>\n  <version>{}</version>\n</project>\n", a.group_id, a.artifact_id, a.version).into_bytes()
            } else {
                let mut j = zip::write(&[zip::Entry { name: "META-INF/MANIFEST.MF".into(), data: b"Manifest-Version: 1.0\r\nCreated-By: dfplay (simulated download)\r\n\r\n".to_vec() }], log.ctx.clock.now);
                support::pad_to(&mut j, size);
                j
            };
            let padded = support::padded(body, if e == "pom" { 0 } else { size });
            support::write_file(log.ctx, &f, padded, 0o644).map_err(|e| support::fs_fail(log.ctx, "mvn", &e))?;
            let sha = format!("{:016x}{:016x}{:08x}", h, h.rotate_left(17), (h >> 7) as u32);
            support::write_file(log.ctx, &format!("{f}.sha1"), sha.into_bytes(), 0o644).map_err(|e| support::fs_fail(log.ctx, "mvn", &e))?;
            self.downloads += 1;
        }
        let dir = path::parent(&file).to_string();
        let remote = format!("#NOTE: This is a Maven Resolver internal implementation file, its format can be changed without prior notice.\n#{}\n{}-{}.{ext}>central=\n{}-{}.pom>central=\n", support::iso_time(log.ctx.clock.now), a.artifact_id, a.version, a.artifact_id, a.version);
        support::write_file(log.ctx, &path::join(&dir, "_remote.repositories"), remote.into_bytes(), 0o644).map_err(|e| support::fs_fail(log.ctx, "mvn", &e))?;
        Ok(Ok(()))
    }

    fn resolve_dependencies(&mut self, log: &mut Log<'_, '_>, with_deps: bool) -> Result<Result<(), String>, Stop> {
        let all = self.lifecycle_artifacts();
        for a in all {
            if a.kind != "maven-plugin" && a.kind != "pom" && !with_deps {
                continue;
            }
            if a.version == "managed" {
                continue;
            }
            if let Err(e) = self.fetch(log, &a)? {
                return Ok(Err(e));
            }
        }
        Ok(Ok(()))
    }

    fn plugin_goal(&mut self, log: &mut Log<'_, '_>, prefix: &str, goal: &str) -> Result<Result<(), String>, Stop> {
        match (prefix, goal) {
            ("dependency", "go-offline" | "resolve" | "resolve-plugins" | "tree" | "list" | "copy-dependencies") => {
                log.info("")?;
                let v = self.m.plugin_version("dependency");
                let mojo = if self.m.modern { format!("dependency:{v}:{goal}") } else { format!("maven-dependency-plugin:{v}:{goal}") };
                log.info(&format!("--- {mojo} (default-cli) @ {} ---", self.pom.artifact_id))?;
                let dep_plugin = Artifact { group_id: "org.apache.maven.plugins".into(), artifact_id: "maven-dependency-plugin".into(), version: v, kind: "maven-plugin".into(), ..Default::default() };
                if let Err(e) = self.fetch(log, &dep_plugin)? {
                    return Ok(Err(e));
                }
                let all = self.lifecycle_artifacts();
                for a in &all {
                    if a.version == "managed" {
                        continue;
                    }
                    if let Err(e) = self.fetch(log, a)? {
                        return Ok(Err(e));
                    }
                }
                match goal {
                    "go-offline" | "resolve-plugins" if self.m.modern => {
                        for a in all.iter().filter(|a| a.kind == "maven-plugin") {
                            log.info(&format!("Resolved plugin: {}-{}.jar", a.artifact_id, a.version))?;
                        }
                        for a in all.iter().filter(|a| a.kind != "maven-plugin" && a.kind != "pom") {
                            log.info(&format!("Resolved dependency: {}-{}.jar", a.artifact_id, a.version))?;
                        }
                    }
                    "tree" => {
                        log.info(&format!("{}:{}:{}:{}", self.pom.group_id, self.pom.artifact_id, self.pom.packaging, self.pom.version))?;
                        let deps: Vec<&Artifact> = all.iter().filter(|a| a.kind != "maven-plugin" && a.kind != "pom").collect();
                        for (i, d) in deps.iter().enumerate() {
                            let branch = if i + 1 == deps.len() { "\\-" } else { "+-" };
                            let scope = if d.scope.is_empty() { "compile" } else { &d.scope };
                            log.info(&format!("{branch} {}:{}:jar:{}:{scope}", d.group_id, d.artifact_id, d.version))?;
                        }
                    }
                    "resolve" | "list" => {
                        log.info("")?;
                        log.info("The following files have been resolved:")?;
                        let deps: Vec<&Artifact> = all.iter().filter(|a| a.kind != "maven-plugin" && a.kind != "pom").collect();
                        if deps.is_empty() {
                            log.info("   none")?;
                        }
                        for d in deps {
                            let scope = if d.scope.is_empty() { "compile" } else { &d.scope };
                            log.info(&format!("   {}:{}:jar:{}:{scope}", d.group_id, d.artifact_id, d.version))?;
                        }
                        log.info("")?;
                    }
                    _ => {}
                }
                self.work += 1;
                Ok(Ok(()))
            }
            ("spring-boot", "run") | ("exec", "java") => {
                log.info("")?;
                log.warn(&format!("(simulated) {prefix}:{goal} would start the application; build it with `mvn package` and run the jar with `java -jar` instead"))?;
                Ok(Ok(()))
            }
            ("help", "effective-pom") => {
                log.info("")?;
                log.info(&format!("--- {} (default-cli) @ {} ---", if self.m.modern { "help:3.4.1:effective-pom" } else { "maven-help-plugin:3.2.0:effective-pom" }, self.pom.artifact_id))?;
                log.info("(simulated) the effective POM is the project's own pom.xml here")?;
                Ok(Ok(()))
            }
            _ => Ok(Err(format!(
                "No plugin found for prefix '{prefix}' in the current project and in the plugin groups [org.apache.maven.plugins, org.codehaus.mojo] available from the repositories [local ({}), central ({CENTRAL})] -> [Help 1]",
                self.m.repo
            ))),
        }
    }

    fn clean(&mut self, log: &mut Log<'_, '_>) -> Result<(), Stop> {
        log.info("")?;
        log.info(&format!("--- {} (default-clean) @ {} ---", self.m.mojo("clean", "clean"), self.pom.artifact_id))?;
        let clean = Artifact { group_id: "org.apache.maven.plugins".into(), artifact_id: "maven-clean-plugin".into(), version: self.m.plugin_version("clean"), kind: "maven-plugin".into(), ..Default::default() };
        let _ = self.fetch(log, &clean)?;
        let target = self.target();
        if log.ctx.fs.lstat(&target).is_ok() {
            log.info(&format!("Deleting {target}"))?;
            log.ctx.fs.remove_all(&target).map_err(|e| support::fs_fail(log.ctx, "mvn", &e))?;
        }
        Ok(())
    }

    /// Java sources under `rel` (relative to basedir), with their classes.
    fn sources(&mut self, ctx: &mut Ctx<'_>, rel: &str) -> Result<Vec<Source>, Stop> {
        let root = path::join(&self.basedir, rel);
        let mut out = Vec::new();
        let Ok(all) = ctx.fs.walk(&root) else { return Ok(out) };
        for (p, node) in all {
            if !p.ends_with(".java") || !matches!(node, Node::File(_)) {
                continue;
            }
            let text = support::read_text(ctx, &p).unwrap_or_default();
            support::charge_bytes(ctx, text.len() * 4)?;
            let a = scan::analyze(Lang::Java, &text, &self.spring_port(ctx));
            let file_class = path::basename(&p).trim_end_matches(".java").to_string();
            let class = match &a.package {
                Some(pk) if !pk.is_empty() => format!("{pk}.{file_class}"),
                _ => file_class,
            };
            out.push(Source { path: p, class, analysis: a });
        }
        Ok(out)
    }

    /// The port a Spring Boot application would listen on (`server.port`, else 8080).
    fn spring_port(&self, ctx: &Ctx<'_>) -> String {
        let res = path::join(&self.basedir, "src/main/resources");
        if let Ok(d) = ctx.fs.read(&path::join(&res, "application.properties")) {
            for line in String::from_utf8_lossy(&d).lines() {
                if let Some((k, v)) = line.split_once(['=', ':']) {
                    if k.trim() == "server.port" {
                        return v.trim().to_string();
                    }
                }
            }
        }
        for yml in ["application.yml", "application.yaml"] {
            if let Ok(d) = ctx.fs.read(&path::join(&res, yml)) {
                let text = String::from_utf8_lossy(&d).into_owned();
                let mut in_server = false;
                for line in text.lines() {
                    if line.starts_with("server:") {
                        in_server = true;
                    } else if !line.starts_with(' ') && !line.trim().is_empty() {
                        in_server = false;
                    } else if in_server {
                        if let Some(v) = line.trim().strip_prefix("port:") {
                            return v.trim().to_string();
                        }
                    }
                }
            }
        }
        "8080".into()
    }

    fn resources(&mut self, log: &mut Log<'_, '_>, goal: &str, id: &str, from: &str, to: &str) -> Result<(), Stop> {
        log.info("")?;
        log.info(&format!("--- {} ({id}) @ {} ---", self.m.mojo("resources", goal), self.pom.artifact_id))?;
        if !self.m.modern {
            match &self.pom.encoding {
                Some(e) => log.info(&format!("Using '{e}' encoding to copy filtered resources."))?,
                None => log.warn("Using platform encoding (UTF-8 actually) to copy filtered resources, i.e. build is platform dependent!")?,
            }
        }
        let src = path::join(&self.basedir, from);
        let files: Vec<(String, Node)> = log.ctx.fs.walk(&src).unwrap_or_default().into_iter().filter(|(_, n)| matches!(n, Node::File(_))).collect();
        if log.ctx.fs.stat(&src).is_err() {
            log.info(&format!("skip non existing resourceDirectory {src}"))?;
            return Ok(());
        }
        let n = files.len();
        if self.m.modern {
            log.info(&format!("Copying {n} resource{} from {from} to {to}", if n == 1 { "" } else { "s" }))?;
        } else {
            log.info(&format!("Copying {n} resource{}", if n == 1 { "" } else { "s" }))?;
        }
        for (p, node) in files {
            let rel = p.strip_prefix(&src).unwrap_or(&p).trim_start_matches('/');
            let dest = path::join(&path::join(&self.basedir, to), rel);
            if let Node::File(f) = node {
                support::write_file(log.ctx, &dest, f.data.as_ref().clone(), 0o644).map_err(|e| support::fs_fail(log.ctx, "mvn", &e))?;
            }
        }
        Ok(())
    }

    fn compile(&mut self, log: &mut Log<'_, '_>, sources: &[Source], goal: &str, id: &str, out_dir: &str) -> Result<(), Stop> {
        log.info("")?;
        log.info(&format!("--- {} ({id}) @ {} ---", self.m.mojo("compiler", goal), self.pom.artifact_id))?;
        if sources.is_empty() {
            log.info("No sources to compile")?;
            return Ok(());
        }
        if self.m.modern {
            log.info("Recompiling the module because of changed source code.")?;
        } else {
            log.info("Changes detected - recompiling the module!")?;
        }
        if self.pom.encoding.is_none() {
            log.warn("File encoding has not been set, using platform encoding UTF-8, i.e. build is platform dependent!")?;
        }
        let dest_dir = path::join(&self.basedir, out_dir);
        let n = sources.len();
        if self.m.modern {
            log.info(&format!("Compiling {n} source file{} with javac [debug target {}] to {out_dir}", if n == 1 { "" } else { "s" }, self.m.java_version.split('.').next().unwrap_or("11")))?;
        } else {
            log.info(&format!("Compiling {n} source file{} to {dest_dir}", if n == 1 { "" } else { "s" }))?;
        }
        for s in sources {
            let class_file = path::join(&dest_dir, &format!("{}.class", s.class.replace('.', "/")));
            let rec = java_record(s, self.pom.spring_boot.clone());
            let data = super::java::class_file(&s.class, &rec, s.analysis.eof.0 as usize);
            support::write_file(log.ctx, &class_file, data, 0o644).map_err(|e| support::fs_fail(log.ctx, "mvn", &e))?;
        }
        support::mkdir_p(log.ctx, &dest_dir).map_err(|e| support::fs_fail(log.ctx, "mvn", &e))?;
        self.work += 1;
        Ok(())
    }

    fn test(&mut self, log: &mut Log<'_, '_>, tests: &[Source]) -> Result<(), Stop> {
        log.info("")?;
        log.info(&format!("--- {} (default-test) @ {} ---", self.m.mojo("surefire", "test"), self.pom.artifact_id))?;
        if self.m.skip_tests {
            log.info("Tests are skipped.")?;
            return Ok(());
        }
        let with_tests: Vec<&Source> = tests.iter().filter(|t| t.analysis.tests > 0).collect();
        if with_tests.is_empty() {
            log.info("No tests to run.")?;
            return Ok(());
        }
        let total: usize = with_tests.iter().map(|t| t.analysis.tests).sum();
        if self.m.modern {
            log.info("Using auto detected provider org.apache.maven.surefire.junitplatform.JUnitPlatformProvider")?;
            log.info("")?;
            log.info("-------------------------------------------------------")?;
            log.info(" T E S T S")?;
            log.info("-------------------------------------------------------")?;
            for t in &with_tests {
                log.info(&format!("Running {}", t.class))?;
                log.info(&format!("Tests run: {}, Failures: 0, Errors: 0, Skipped: 0, Time elapsed: 0.042 s -- in {}", t.analysis.tests, t.class))?;
            }
            log.info("")?;
            log.info("Results:")?;
            log.info("")?;
            log.info(&format!("Tests run: {total}, Failures: 0, Errors: 0, Skipped: 0"))?;
            log.info("")?;
        } else {
            log.info(&format!("Surefire report directory: {}/surefire-reports", self.target()))?;
            log.raw("")?;
            log.raw("-------------------------------------------------------")?;
            log.raw(" T E S T S")?;
            log.raw("-------------------------------------------------------")?;
            for t in &with_tests {
                log.raw(&format!("Running {}", t.class))?;
                log.raw(&format!("Tests run: {}, Failures: 0, Errors: 0, Skipped: 0, Time elapsed: 0.042 sec", t.analysis.tests))?;
            }
            log.raw("")?;
            log.raw("Results :")?;
            log.raw("")?;
            log.raw(&format!("Tests run: {total}, Failures: 0, Errors: 0, Skipped: 0"))?;
            log.raw("")?;
        }
        log.warn("(simulated) the tests were not run: the playground has no Java VM; they are reported as passing")?;
        let reports = path::join(&self.target(), "surefire-reports");
        for t in &with_tests {
            let body = format!("-------------------------------------------------------------------------------\nTest set: {}\n-------------------------------------------------------------------------------\nTests run: {}, Failures: 0, Errors: 0, Skipped: 0, Time elapsed: 0.042 s (simulated)\n", t.class, t.analysis.tests);
            support::write_file(log.ctx, &path::join(&reports, &format!("{}.txt", t.class)), body.into_bytes(), 0o644).map_err(|e| support::fs_fail(log.ctx, "mvn", &e))?;
        }
        self.work += 1;
        Ok(())
    }

    fn package(&mut self, log: &mut Log<'_, '_>, sources: &[Source]) -> Result<(), Stop> {
        let jar_path = self.artifact_file();
        let war = self.pom.packaging == "war";
        log.info("")?;
        log.info(&format!("--- {} (default-{}) @ {} ---", self.m.mojo(if war { "war" } else { "jar" }, if war { "war" } else { "jar" }), if war { "war" } else { "jar" }, self.pom.artifact_id))?;
        let classes = path::join(&self.basedir, "target/classes");
        let mut entries: Vec<zip::Entry> = Vec::new();
        let mut content: Vec<(String, Vec<u8>)> = Vec::new();
        if let Ok(all) = log.ctx.fs.walk(&classes) {
            for (p, node) in all {
                if let Node::File(f) = node {
                    let rel = p.strip_prefix(&classes).unwrap_or(&p).trim_start_matches('/').to_string();
                    content.push((rel, f.data.as_ref().clone()));
                }
            }
        }
        if content.is_empty() && !war {
            log.warn("JAR will be empty - no content was marked for inclusion!")?;
        }
        // the main class: configured in the pom, else (Spring Boot) the class with main()
        let main_source = sources.iter().find(|s| s.analysis.has_main && (s.analysis.spring_boot || Some(&s.class) == self.pom.main_class.as_ref())).or_else(|| sources.iter().find(|s| s.analysis.has_main));
        let start_class = self.pom.main_class.clone().or_else(|| self.pom.spring_boot.as_ref().and(main_source.map(|s| s.class.clone())));
        let boot = self.pom.spring_boot.clone();
        let jdk = self.m.java_version.split('.').next().unwrap_or("11").to_string();
        let mut manifest = String::from("Manifest-Version: 1.0\r\n");
        if self.m.modern {
            manifest.push_str(&format!("Created-By: Maven JAR Plugin {}\r\nBuild-Jdk-Spec: {jdk}\r\n", self.m.plugin_version("jar")));
        } else {
            manifest.push_str(&format!("Archiver-Version: Plexus Archiver\r\nCreated-By: Apache Maven {}\r\nBuilt-By: root\r\nBuild-Jdk: {}\r\n", self.m.version, self.m.java_version));
        }
        let record = main_source.map(|s| java_record(s, boot.clone()));
        let prefix = if boot.is_some() { "BOOT-INF/classes/" } else if war { "WEB-INF/classes/" } else { "" };
        match (&boot, &start_class) {
            (Some(v), Some(sc)) => manifest.push_str(&format!("Main-Class: org.springframework.boot.loader.JarLauncher\r\nStart-Class: {sc}\r\nSpring-Boot-Version: {v}\r\nSpring-Boot-Classes: BOOT-INF/classes/\r\nSpring-Boot-Lib: BOOT-INF/lib/\r\n")),
            (None, Some(mc)) if !war => manifest.push_str(&format!("Main-Class: {mc}\r\n")),
            _ => {}
        }
        manifest.push_str("\r\n");
        entries.push(zip::Entry { name: "META-INF/".into(), data: vec![] });
        entries.push(zip::Entry { name: "META-INF/MANIFEST.MF".into(), data: manifest.into_bytes() });
        let mut dirs: Vec<String> = Vec::new();
        for (rel, _) in &content {
            let mut d = String::from(prefix);
            for comp in rel.split('/').collect::<Vec<_>>().iter().rev().skip(1).rev() {
                d.push_str(comp);
                d.push('/');
                if !dirs.contains(&d) {
                    dirs.push(d.clone());
                }
            }
        }
        if !prefix.is_empty() {
            let mut acc = String::new();
            for comp in prefix.trim_end_matches('/').split('/') {
                acc.push_str(comp);
                acc.push('/');
                entries.push(zip::Entry { name: acc.clone(), data: vec![] });
            }
        }
        for d in dirs {
            entries.push(zip::Entry { name: d, data: vec![] });
        }
        for (rel, data) in content {
            entries.push(zip::Entry { name: format!("{prefix}{rel}"), data });
        }
        let meta = format!("META-INF/maven/{}/{}/", self.pom.group_id, self.pom.artifact_id);
        entries.push(zip::Entry { name: "META-INF/maven/".into(), data: vec![] });
        entries.push(zip::Entry { name: format!("META-INF/maven/{}/", self.pom.group_id), data: vec![] });
        entries.push(zip::Entry { name: meta.clone(), data: vec![] });
        let pom_text = support::read_text(log.ctx, &path::join(&self.basedir, "pom.xml")).unwrap_or_default();
        entries.push(zip::Entry { name: format!("{meta}pom.xml"), data: pom_text.into_bytes() });
        entries.push(zip::Entry {
            name: format!("{meta}pom.properties"),
            data: format!("#Created by Apache Maven {}\nversion={}\ngroupId={}\nartifactId={}\n", self.m.version, self.pom.version, self.pom.group_id, self.pom.artifact_id).into_bytes(),
        });
        if boot.is_some() {
            for d in self.pom.dependencies.iter().filter(|d| d.scope.is_empty() || d.scope == "compile" || d.scope == "runtime") {
                let mut j = zip::write(&[zip::Entry { name: "META-INF/MANIFEST.MF".into(), data: b"Manifest-Version: 1.0\r\n\r\n".to_vec() }], log.ctx.clock.now);
                support::pad_to(&mut j, 4_096);
                entries.push(zip::Entry { name: format!("BOOT-INF/lib/{}-{}.jar", d.artifact_id, d.version), data: j });
            }
            entries.push(zip::Entry { name: "org/springframework/boot/loader/JarLauncher.class".into(), data: b"\xca\xfe\xba\xbe\0\0\0\x34 dfplay stand-in for Spring Boot's JarLauncher\n".to_vec() });
        }
        if let Some(r) = &record {
            entries.push(zip::Entry { name: super::java::RECORD_ENTRY.into(), data: serde_json::to_vec(r).unwrap_or_default() });
        }
        log.info(&format!("Building {}: {jar_path}", if war { "war" } else { "jar" }))?;
        let data = zip::write(&entries, log.ctx.clock.now);
        support::write_file(log.ctx, &jar_path, data, 0o644).map_err(|e| support::fs_fail(log.ctx, "mvn", &e))?;
        if let Some(v) = &boot {
            log.info("")?;
            let mojo = if self.m.modern { format!("spring-boot:{v}:repackage") } else { format!("spring-boot-maven-plugin:{v}:repackage") };
            log.info(&format!("--- {mojo} (repackage) @ {} ---", self.pom.artifact_id))?;
            log.info("Replacing main artifact with repackaged archive")?;
        }
        self.work += 2;
        Ok(())
    }

    fn install(&mut self, log: &mut Log<'_, '_>) -> Result<(), Stop> {
        log.info("")?;
        log.info(&format!("--- {} (default-install) @ {} ---", self.m.mojo("install", "install"), self.pom.artifact_id))?;
        let me = Artifact { group_id: self.pom.group_id.clone(), artifact_id: self.pom.artifact_id.clone(), version: self.pom.version.clone(), ..Default::default() };
        let pom_src = path::join(&self.basedir, "pom.xml");
        let pom_dest = self.repo_path(&me, "pom");
        let mut pairs = vec![(pom_src, pom_dest)];
        if self.pom.packaging != "pom" {
            let ext = if self.pom.packaging == "war" { "war" } else { "jar" };
            pairs.insert(0, (self.artifact_file(), self.repo_path(&me, ext)));
        }
        for (from, to) in pairs {
            let data = match log.ctx.fs.read(&from) {
                Ok(d) => d.as_ref().clone(),
                Err(_) => continue,
            };
            log.info(&format!("Installing {from} to {to}"))?;
            support::write_file(log.ctx, &to, data, 0o644).map_err(|e| support::fs_fail(log.ctx, "mvn", &e))?;
        }
        Ok(())
    }
}

fn human_kb(size: usize) -> String {
    if size >= 1_000_000 {
        format!("{:.1} MB", size as f64 / 1_000_000.0)
    } else if size >= 1_000 {
        format!("{:.1} kB", size as f64 / 1_000.0)
    } else {
        format!("{size} B")
    }
}

/// What a Java source's main class prints on start-up.
fn java_record(s: &Source, spring_boot: Option<String>) -> Record {
    let spring = spring_boot.filter(|_| s.analysis.spring_boot || s.analysis.actions.iter().any(|a| matches!(a, Action::Listen { what, .. } if what.contains("Spring"))));
    let mut actions = s.analysis.actions.clone();
    if spring.is_some() && !actions.iter().any(|a| matches!(a, Action::Listen { .. })) {
        actions.push(Action::Listen { addr: vec![Part::text("8080")], what: "a Spring Boot application (embedded Tomcat, HTTP)".into(), blocks: false });
    }
    let _ = Stream::Out;
    Record { lang: "java".into(), sources: vec![s.path.clone()], actions, spring_boot: spring }
}
