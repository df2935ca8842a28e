//! `docker run` semantics: how ENTRYPOINT and CMD of the image combine with the
//! command line (`--entrypoint`, arguments after the image, `-e`, `-w`, `-u`), and
//! how the executable is found, with Docker's error messages. Execution itself is
//! the builtin shell's.

use crate::vfs::{path, Vfs};

/// What the user asked of `run` beyond the image.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RunOptions {
    /// `--entrypoint X` (`Some("")` clears the entrypoint).
    pub entrypoint: Option<String>,
    /// Arguments after the image name (replace the image's CMD when non-empty).
    pub args: Vec<String>,
    /// `-e K=V` / `-e K` (taken from `host_env`).
    pub env: Vec<String>,
    /// `-w DIR`
    pub workdir: Option<String>,
    /// `-u USER[:GROUP]`
    pub user: Option<String>,
}

/// The parts of an image config `run` needs.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ImageRunConfig {
    pub entrypoint: Option<Vec<String>>,
    pub cmd: Option<Vec<String>>,
    pub env: Vec<String>,
    pub working_dir: String,
    pub user: String,
}

/// What the container process will be.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Process {
    pub argv: Vec<String>,
    /// `K=V` strings, image Env then `-e` (later wins), PATH and HOME ensured.
    pub env: Vec<(String, String)>,
    pub cwd: String,
    pub user: String,
}

/// Errors in the docker CLI's words (exit status 125 or 127 as docker uses).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("docker: Error response from daemon: {message}")]
pub struct RunError {
    pub message: String,
    pub status: i32,
}

/// Combines image config and options into the process to start (Docker's rules:
/// `--entrypoint` drops the image's CMD, arguments replace CMD, ENTRYPOINT + CMD).
pub fn process(cfg: &ImageRunConfig, opts: &RunOptions, host_env: &dyn Fn(&str) -> Option<String>) -> Result<Process, RunError> {
    let (entrypoint, image_cmd) = match &opts.entrypoint {
        Some(e) if e.is_empty() => (Vec::new(), Vec::new()),
        Some(e) => (vec![e.clone()], Vec::new()),
        None => (cfg.entrypoint.clone().unwrap_or_default(), cfg.cmd.clone().unwrap_or_default()),
    };
    let cmd = if opts.args.is_empty() { image_cmd } else { opts.args.clone() };
    let argv: Vec<String> = entrypoint.into_iter().chain(cmd).collect();
    if argv.is_empty() {
        return Err(RunError { message: "no command specified".into(), status: 125 });
    }
    let mut env: Vec<(String, String)> = Vec::new();
    let mut set = |k: &str, v: String| {
        env.retain(|(x, _)| x != k);
        env.push((k.to_string(), v));
    };
    for kv in &cfg.env {
        match kv.split_once('=') {
            Some((k, v)) => set(k, v.to_string()),
            None => set(kv, String::new()),
        }
    }
    for kv in &opts.env {
        match kv.split_once('=') {
            Some((k, v)) => set(k, v.to_string()),
            None => {
                if let Some(v) = host_env(kv) {
                    set(kv, v)
                }
            }
        }
    }
    if !env.iter().any(|(k, _)| k == "PATH") {
        env.insert(0, ("PATH".into(), crate::bases::DEFAULT_PATH.into()));
    }
    let cwd = opts.workdir.clone().filter(|w| !w.is_empty()).unwrap_or_else(|| if cfg.working_dir.is_empty() { "/".into() } else { cfg.working_dir.clone() });
    let user = opts.user.clone().unwrap_or_else(|| cfg.user.clone());
    Ok(Process { argv, env, cwd: path::normalize(&cwd), user })
}

/// Finds the executable as the container runtime does (a name through PATH, a
/// path as is) and fails as Docker does when it is missing.
pub fn find_executable(fs: &Vfs, p: &Process) -> Result<String, RunError> {
    let name = &p.argv[0];
    let not_found = |what: String| RunError {
        message: format!(
            "failed to create task for container: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: {what}: unknown"
        ),
        status: 127,
    };
    if name.contains('/') {
        let abs = path::join(&p.cwd, name);
        return match fs.stat(&abs) {
            Ok(st) if st.is_file() => Ok(abs),
            Ok(_) => Err(RunError { message: format!("failed to create task for container: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: exec: \"{name}\": permission denied: unknown"), status: 126 }),
            Err(_) => Err(not_found(format!("exec: \"{name}\": stat {name}: no such file or directory"))),
        };
    }
    let path_var = p.env.iter().find(|(k, _)| k == "PATH").map(|(_, v)| v.as_str()).unwrap_or(crate::bases::DEFAULT_PATH);
    for dir in path_var.split(':').filter(|d| !d.is_empty()) {
        let cand = path::join(&path::join(&p.cwd, dir), name);
        if fs.stat(&cand).map(|s| s.is_file() && s.meta.mode & 0o111 != 0).unwrap_or(false) {
            return Ok(cand);
        }
    }
    Err(not_found(format!("exec: \"{name}\": executable file not found in $PATH")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cfg(ep: Option<&[&str]>, cmd: Option<&[&str]>) -> ImageRunConfig {
        let v = |x: Option<&[&str]>| x.map(|a| a.iter().map(|s| s.to_string()).collect());
        ImageRunConfig { entrypoint: v(ep), cmd: v(cmd), env: vec!["PATH=/bin".into(), "A=1".into()], working_dir: "/app".into(), user: String::new() }
    }

    fn argv(c: &ImageRunConfig, o: &RunOptions) -> Vec<String> {
        process(c, o, &|_| None).unwrap().argv
    }

    #[test]
    fn docker_rules() {
        let c = cfg(Some(&["java", "-jar", "/app/x.jar"]), None);
        assert_eq!(argv(&c, &RunOptions::default()), ["java", "-jar", "/app/x.jar"]);
        assert_eq!(argv(&c, &RunOptions { args: vec!["--debug".into()], ..Default::default() }), ["java", "-jar", "/app/x.jar", "--debug"]);
        let c = cfg(Some(&["/usr/local/bin/mvn-entrypoint.sh"]), Some(&["mvn"]));
        assert_eq!(argv(&c, &RunOptions::default()), ["/usr/local/bin/mvn-entrypoint.sh", "mvn"]);
        assert_eq!(argv(&c, &RunOptions { entrypoint: Some("sh".into()), ..Default::default() }), ["sh"]);
        assert_eq!(argv(&c, &RunOptions { entrypoint: Some(String::new()), args: vec!["ls".into()], ..Default::default() }), ["ls"]);
        let c = cfg(None, Some(&["/bin/sh", "-c", "cat /build.txt"]));
        assert_eq!(argv(&c, &RunOptions { args: vec!["echo".into(), "hi".into()], ..Default::default() }), ["echo", "hi"]);
        let e = process(&cfg(None, None), &RunOptions::default(), &|_| None).unwrap_err();
        assert_eq!(e.to_string(), "docker: Error response from daemon: no command specified");
        let p = process(&cfg(None, Some(&["x"])), &RunOptions { env: vec!["A=2".into(), "B".into()], ..Default::default() }, &|k| (k == "B").then(|| "host".to_string())).unwrap();
        assert_eq!(p.env, [("PATH".to_string(), "/bin".to_string()), ("A".into(), "2".into()), ("B".into(), "host".into())]);
        assert_eq!(p.cwd, "/app");
    }

    #[test]
    fn executables() {
        let mut fs = Vfs::new();
        fs.mkdir_all("/bin", 0o755).unwrap();
        fs.write("/bin/sh", b"x".to_vec(), 0o755).unwrap();
        let p = process(&cfg(None, Some(&["sh"])), &RunOptions::default(), &|_| None).unwrap();
        assert_eq!(find_executable(&fs, &p).unwrap(), "/bin/sh");
        let p = process(&cfg(None, Some(&["./mainApp"])), &RunOptions::default(), &|_| None).unwrap();
        let e = find_executable(&fs, &p).unwrap_err();
        assert!(e.to_string().contains("exec: \"./mainApp\": stat ./mainApp: no such file or directory"), "{e}");
        let p = process(&cfg(None, Some(&["nope"])), &RunOptions::default(), &|_| None).unwrap();
        assert!(find_executable(&fs, &p).unwrap_err().to_string().contains("executable file not found in $PATH"));
    }
}
