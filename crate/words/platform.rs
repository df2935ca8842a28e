//! Platforms (`linux/amd64`, `linux/arm/v7`) as containerd's `platforms` package parses,
//! normalizes and formats them: the values behind the automatic `TARGET*`/`BUILD*`
//! build args and `FROM --platform`.
//!
//! The playground builds for `linux/amd64` unless told otherwise (a real BuildKit
//! uses its host's platform; dfplay has no host platform to report, so it picks the
//! one the books' examples assume).

use std::fmt;

/// An OS/architecture pair with an optional variant and OS version.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct Platform {
    pub os: String,
    pub architecture: String,
    pub variant: String,
    pub os_version: String,
}

impl Platform {
    /// `linux/amd64`, the playground's default build and target platform.
    pub fn linux_amd64() -> Self {
        Platform { os: "linux".into(), architecture: "amd64".into(), ..Default::default() }
    }

    /// containerd's `platforms.Parse` (with `linux/amd64` as the "host" a bare OS or
    /// architecture is completed with). Errors are worded as containerd's.
    ///
    /// ```
    /// use dfplay::words::Platform;
    /// assert_eq!(Platform::parse("linux/aarch64").unwrap().to_string(), "linux/arm64");
    /// assert_eq!(Platform::parse("linux/arm64/v8").unwrap().to_string(), "linux/arm64/v8");
    /// assert_eq!(Platform::parse("armhf").unwrap().to_string(), "linux/arm");
    /// assert_eq!(Platform::parse("linux/arm").unwrap().variant, "");
    /// assert_eq!(Platform::parse("foo").unwrap_err(),
    ///            r#""foo": unknown operating system or architecture: invalid argument"#);
    /// ```
    pub fn parse(specifier: &str) -> Result<Platform, String> {
        const INVALID: &str = "invalid argument";
        if specifier.contains('*') {
            return Err(format!("{specifier:?}: wildcards not yet supported: {INVALID}"));
        }
        let parts: Vec<&str> = specifier.splitn(4, '/').collect();
        let component_ok = |s: &str, extra: &[char]| {
            !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-' || extra.contains(&c))
        };
        let (os_name, os_version) = match parts[0].split_once('(') {
            Some((name, rest)) if rest.ends_with(')') => (name, &rest[..rest.len() - 1]),
            _ => (parts[0], ""),
        };
        if !component_ok(os_name, &[]) || !os_version.chars().all(|c| c.is_ascii_alphanumeric() || "_.%-+".contains(c)) {
            return Err(format!(
                "{:?} is an invalid OS component of {specifier:?}: OSAndVersion specifier component must match \"^([A-Za-z0-9_-]+)(?:\\\\(([A-Za-z0-9_.%-]*)((?:\\\\+[A-Za-z0-9_.%-]+)*)\\\\))?$\": {INVALID}",
                parts[0]
            ));
        }
        for part in &parts[1..] {
            if !component_ok(part, &['.']) {
                return Err(format!(
                    "{part:?} is an invalid component of {specifier:?}: platform specifier component must match \"^[A-Za-z0-9_.-]+$\": {INVALID}"
                ));
            }
        }
        let os = normalize_os(os_name);
        let os_version = os_version.split('+').next().unwrap_or("").to_string();
        let mut p = Platform { os, os_version, ..Default::default() };
        match parts.len() {
            1 => {
                if is_known_os(&p.os) {
                    p.architecture = "amd64".into();
                    return Ok(p);
                }
                let (arch, variant) = normalize_arch(parts[0], "");
                p.architecture = arch;
                p.variant = if p.architecture == "arm" && variant == "v7" { String::new() } else { variant };
                if is_known_arch(&p.architecture) {
                    p.os = "linux".into();
                    p.os_version.clear();
                    return Ok(p);
                }
                Err(format!("{specifier:?}: unknown operating system or architecture: {INVALID}"))
            }
            2 => {
                let (arch, variant) = normalize_arch(parts[1], "");
                p.variant = if arch == "arm" && variant == "v7" { String::new() } else { variant };
                p.architecture = arch;
                Ok(p)
            }
            3 => {
                let (arch, variant) = normalize_arch(parts[1], parts[2]);
                p.variant = if arch == "arm64" && variant.is_empty() { "v8".into() } else { variant };
                p.architecture = arch;
                Ok(p)
            }
            _ => Err(format!("{specifier:?}: cannot parse platform specifier: {INVALID}")),
        }
    }

    /// containerd's `platforms.Normalize`, which BuildKit applies to `--platform`
    /// options: `linux/arm` becomes `linux/arm/v7`, `linux/arm64/v8` `linux/arm64`.
    ///
    /// ```
    /// use dfplay::words::Platform;
    /// assert_eq!(Platform::parse("linux/arm").unwrap().normalize().to_string(), "linux/arm/v7");
    /// ```
    pub fn normalize(mut self) -> Self {
        self.os = normalize_os(&self.os);
        let (arch, variant) = normalize_arch(&self.architecture, &self.variant);
        self.architecture = arch;
        self.variant = variant;
        self
    }

    /// containerd's `platforms.Format`: `os/arch[/variant]`.
    pub fn format(&self) -> String {
        if self.os.is_empty() {
            return "unknown".into();
        }
        [self.os.as_str(), self.architecture.as_str(), self.variant.as_str()]
            .iter()
            .filter(|s| !s.is_empty())
            .copied()
            .collect::<Vec<_>>()
            .join("/")
    }

    /// containerd's `platforms.FormatAll`: like [`format`](Self::format) with the OS
    /// version in parentheses (`windows(10.0.17763)/amd64`).
    pub fn format_all(&self) -> String {
        if self.os_version.is_empty() || self.os.is_empty() {
            return self.format();
        }
        let os = format!("{}({})", self.os, self.os_version);
        [os.as_str(), self.architecture.as_str(), self.variant.as_str()]
            .iter()
            .filter(|s| !s.is_empty())
            .copied()
            .collect::<Vec<_>>()
            .join("/")
    }
}

impl fmt::Display for Platform {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.format_all())
    }
}

fn is_known_os(os: &str) -> bool {
    matches!(
        os,
        "aix" | "android" | "darwin" | "dragonfly" | "freebsd" | "hurd" | "illumos" | "ios" | "js" | "linux"
            | "nacl" | "netbsd" | "openbsd" | "plan9" | "solaris" | "windows" | "zos"
    )
}

fn is_known_arch(arch: &str) -> bool {
    matches!(
        arch,
        "386" | "amd64" | "amd64p32" | "arm" | "armbe" | "arm64" | "arm64be" | "ppc64" | "ppc64le" | "loong64"
            | "mips" | "mipsle" | "mips64" | "mips64le" | "mips64p32" | "mips64p32le" | "ppc" | "riscv"
            | "riscv64" | "s390" | "s390x" | "sparc" | "sparc64" | "wasm"
    )
}

fn normalize_os(os: &str) -> String {
    if os.is_empty() {
        return "linux".into();
    }
    let os = os.to_ascii_lowercase();
    if os == "macos" {
        "darwin".into()
    } else {
        os
    }
}

fn normalize_arch(arch: &str, variant: &str) -> (String, String) {
    let (arch, variant) = (arch.to_ascii_lowercase(), variant.to_ascii_lowercase());
    match arch.as_str() {
        "i386" => ("386".into(), String::new()),
        "x86_64" | "x86-64" | "amd64" => ("amd64".into(), if variant == "v1" { String::new() } else { variant }),
        "aarch64" | "arm64" => {
            let v = match variant.as_str() {
                "8" | "v8" | "v8.0" => String::new(),
                "9" | "9.0" | "v9.0" => "v9".into(),
                _ => variant,
            };
            ("arm64".into(), v)
        }
        "armhf" => ("arm".into(), "v7".into()),
        "armel" => ("arm".into(), "v6".into()),
        "arm" => {
            let v = match variant.as_str() {
                "" | "7" => "v7".into(),
                "5" | "6" | "8" => format!("v{variant}"),
                _ => variant,
            };
            ("arm".into(), v)
        }
        _ => (arch, variant),
    }
}
