//! dash's regular builtins (errors set a status; the shell goes on).

use super::{find, nextopt, number, signal_number, single_quote, KEYWORDS, SIGNALS};
use crate::shell::interp::{Ex, Flow, Shell};
use crate::shell::parse::is_name;
use crate::vfs::path;

#[cfg(test)]
mod cd_tests {
    use super::logical_path;

    #[test]
    fn logical_paths() {
        assert_eq!(logical_path("/a/b", ".."), "/a");
        assert_eq!(logical_path("/a/b", "../c/./d"), "/a/c/d");
        assert_eq!(logical_path("/", ".."), "/");
        assert_eq!(logical_path("/a", "//usr"), "//usr");
        assert_eq!(logical_path("/a", "///usr"), "/usr");
        assert_eq!(logical_path("//usr", ".."), "//");
        assert_eq!(logical_path("/a", "/"), "/");
    }
}

pub(crate) fn true_(_sh: &mut Shell<'_>, _argv: &[String]) -> Ex<i32> {
    Ok(0)
}

pub(crate) fn false_(_sh: &mut Shell<'_>, _argv: &[String]) -> Ex<i32> {
    Ok(1)
}

/// An error of a regular builtin: `/bin/sh: 1: cmd: msg`, status 2.
fn fail(sh: &mut Shell<'_>, cmd: &str, msg: &str) -> Ex<i32> {
    sh.warn(Some(cmd), msg)?;
    Ok(2)
}

fn opts_or_fail(sh: &mut Shell<'_>, argv: &[String], spec: &str) -> Ex<Result<(Vec<(char, Option<String>)>, usize), i32>> {
    match nextopt(argv, spec) {
        Ok(x) => Ok(Ok(x)),
        Err(c) => {
            let cmd = argv[0].clone();
            Ok(Err(fail(sh, &cmd, &format!("Illegal option -{c}"))?))
        }
    }
}

/// `cd [-L|-P] [dir]`, with CDPATH and dash's logical path rules (a leading
/// `//` is kept).
pub(crate) fn cd(sh: &mut Shell<'_>, argv: &[String]) -> Ex<i32> {
    let (opts, first) = match opts_or_fail(sh, argv, "LP")? {
        Ok(x) => x,
        Err(s) => return Ok(s),
    };
    let physical = opts.last().is_some_and(|(c, _)| *c == 'P');
    let mut print = false;
    let dest: String = match argv.get(first) {
        None => sh.get_var("HOME").unwrap_or("").to_string(),
        Some(d) if d == "-" => {
            print = true;
            sh.get_var("OLDPWD").unwrap_or("").to_string()
        }
        Some(d) => d.clone(),
    };
    let dest = if dest.is_empty() { ".".to_string() } else { dest };
    let skip_cdpath = dest.starts_with('/') || dest == "." || dest == ".." || dest.starts_with("./") || dest.starts_with("../");
    if !skip_cdpath {
        if let Some(cdpath) = sh.get_var("CDPATH").map(str::to_string) {
            for dir in cdpath.split(':') {
                let cand = if dir.is_empty() { dest.clone() } else { format!("{dir}/{dest}") };
                let abs = path::join(&sh.st.cwd, &cand);
                if sh.fs.stat(&abs).is_ok_and(|s| s.is_dir()) {
                    let p = print || !dir.is_empty();
                    return docd(sh, &cand, &dest, physical, p);
                }
            }
        }
    }
    docd(sh, &dest.clone(), &dest, physical, print)
}

/// Changes to `dir` (as given, relative to the working directory).
fn docd(sh: &mut Shell<'_>, dir: &str, shown: &str, physical: bool, print: bool) -> Ex<i32> {
    let target = if physical {
        match sh.fs.canonicalize(&path::join(&sh.st.cwd, dir)) {
            Ok(p) => p,
            Err(_) => return fail(sh, "cd", &format!("can't cd to {shown}")),
        }
    } else {
        logical_path(&sh.st.cwd, dir)
    };
    let ok = sh.fs.stat(&target).is_ok_and(|st| st.is_dir()) && sh.may(&target, 1);
    if !ok {
        return fail(sh, "cd", &format!("can't cd to {shown}"));
    }
    let old = sh.st.cwd.clone();
    sh.st.cwd = target.clone();
    let _ = sh.st.vars.export("OLDPWD", Some(old));
    let _ = sh.st.vars.export("PWD", Some(target.clone()));
    if print {
        sh.out1(format!("{target}\n").as_bytes())?;
    }
    Ok(0)
}

/// dash's `updatepwd`: `..` and `.` resolved textually; a leading `//` kept.
fn logical_path(cur: &str, dir: &str) -> String {
    let mut out = String::from("/");
    let mut lim = 1;
    if dir.starts_with('/') {
        if dir.starts_with("//") && !dir.starts_with("///") {
            out.push('/');
            lim = 2;
        }
    } else {
        out = cur.to_string();
        if !out.ends_with('/') {
            out.push('/');
        }
        if out.starts_with("//") && !out.starts_with("///") {
            lim = 2;
        }
    }
    for comp in dir.split('/').filter(|c| !c.is_empty()) {
        match comp {
            "." => {}
            ".." => {
                // drop the last component
                while out.len() > lim {
                    out.pop();
                    if out.ends_with('/') {
                        break;
                    }
                }
            }
            c => {
                out.push_str(c);
                out.push('/');
            }
        }
    }
    if out.len() > lim {
        out.pop();
    }
    out
}

/// `pwd [-L|-P]`
pub(crate) fn pwd(sh: &mut Shell<'_>, argv: &[String]) -> Ex<i32> {
    let (opts, _) = match opts_or_fail(sh, argv, "LP")? {
        Ok(x) => x,
        Err(s) => return Ok(s),
    };
    let physical = opts.last().is_some_and(|(c, _)| *c == 'P');
    let dir = if physical { sh.fs.canonicalize(&sh.st.cwd).unwrap_or_else(|_| sh.st.cwd.clone()) } else { sh.st.cwd.clone() };
    sh.out1(format!("{dir}\n").as_bytes())?;
    Ok(0)
}

/// `read [-r] [-p prompt] name…`
pub(crate) fn read(sh: &mut Shell<'_>, argv: &[String]) -> Ex<i32> {
    let (opts, first) = match opts_or_fail(sh, argv, "p:r")? {
        Ok(x) => x,
        Err(s) => return Ok(s),
    };
    let raw = opts.iter().any(|(c, _)| *c == 'r');
    let names = &argv[first..];
    if names.is_empty() {
        return fail(sh, "read", "arg count");
    }
    let input = match sh.st.fds.get(0).and_then(|f| f.reader()) {
        Some(i) => i.clone(),
        None => return Ok(1),
    };
    // the line, with escaped characters marked
    let mut chars: Vec<(char, bool)> = Vec::new();
    let mut status = 0;
    let mut bytes: Vec<u8> = Vec::new();
    let mut escaped_at: Vec<bool> = Vec::new();
    {
        let mut inp = input.borrow_mut();
        let mut pending_escape = false;
        loop {
            let b = inp.read_bytes(1);
            let Some(&c) = b.first() else {
                status = 1;
                break;
            };
            if c == 0 {
                continue;
            }
            if pending_escape {
                pending_escape = false;
                if c == b'\n' {
                    continue;
                }
                bytes.push(c);
                escaped_at.push(true);
                continue;
            }
            if !raw && c == b'\\' {
                pending_escape = true;
                continue;
            }
            if c == b'\n' {
                break;
            }
            bytes.push(c);
            escaped_at.push(false);
        }
    }
    sh.step(1 + bytes.len() as u64 / 64)?;
    // decode keeping the escape marks per character
    let text = String::from_utf8_lossy(&bytes).into_owned();
    if text.len() == bytes.len() {
        for (i, c) in text.chars().enumerate() {
            chars.push((c, escaped_at[i]));
        }
    } else {
        for c in text.chars() {
            chars.push((c, false));
        }
    }
    let ifs = sh.get_var("IFS").map(str::to_string).unwrap_or_else(|| " \t\n".to_string());
    let fields = read_split(&chars, &ifs, names.len());
    for (k, name) in names.iter().enumerate() {
        if !is_name(name) {
            return fail(sh, "read", &format!("{name}: bad variable name"));
        }
        let v = fields.get(k).cloned().unwrap_or_default();
        if let Err(msg) = sh.st.vars.set(name, v) {
            return fail(sh, "read", &msg);
        }
    }
    Ok(status)
}

/// dash's `ifsbreakup` with a field count: the last variable gets the rest of
/// the line (without trailing IFS whitespace).
fn read_split(chars: &[(char, bool)], ifs: &str, nvars: usize) -> Vec<String> {
    const DEF: &str = " \t\n";
    let mut fields = Vec::new();
    let mut start = 0usize;
    let mut r: Option<usize> = None;
    let mut ifsspc = false;
    let mut maxargs = nvars as i64;
    let text = |a: usize, b: usize| -> String { chars[a..b].iter().map(|(c, _)| *c).collect() };
    for q in 0..chars.len() {
        let (c, esc) = chars[q];
        if esc {
            if maxargs == 0 {
                r = None;
            }
            ifsspc = false;
            continue;
        }
        let p = q + 1;
        let mut isifs = ifs.contains(c);
        let isdef = isifs && DEF.contains(c);
        if maxargs == 0 {
            if isdef {
                if r.is_none() {
                    r = Some(q);
                }
                continue;
            }
            if !(isifs && ifsspc) {
                r = None;
            }
            ifsspc = false;
            continue;
        }
        let mut qq = q;
        if ifsspc {
            if isifs {
                qq = p;
            }
            start = qq;
            if isdef {
                continue;
            }
            isifs = false;
        }
        if isifs {
            ifsspc = isdef;
            if qq == start && ifsspc {
                start = p;
                ifsspc = false;
                continue;
            }
            if maxargs > 0 {
                maxargs -= 1;
                if maxargs == 0 {
                    r = Some(qq);
                    continue;
                }
            }
            fields.push(text(start, qq));
            start = p;
            continue;
        }
        ifsspc = false;
    }
    let end = r.unwrap_or(chars.len()).max(start);
    if start < end {
        fields.push(text(start, end));
    }
    fields
}

/// `getopts optstring name [args…]`
pub(crate) fn getopts(sh: &mut Shell<'_>, argv: &[String]) -> Ex<i32> {
    if argv.len() < 3 {
        return fail(sh, "getopts", "Usage: getopts optstring var [arg...]");
    }
    let optstr = argv[1].clone();
    let var = argv[2].clone();
    let args: Vec<String> = if argv.len() > 3 { argv[3..].to_vec() } else { sh.st.args.clone() };
    sh.sync_optind();
    if sh.st.optind > args.len() + 1 {
        sh.st.optind = 1;
        sh.st.optoff = 0;
    }
    let mut ind = sh.st.optind.max(1);
    let off = sh.st.optoff;
    let mut c = '?';
    let mut done = 0;
    let mut p: Option<(usize, usize)> = None; // (arg index, char offset)
    if ind > 1 && off > 0 && args.get(ind - 2).is_some_and(|a| a.len() > off) {
        p = Some((ind - 2, off));
    }
    let mut optarg: Option<Option<String>> = None;
    'out: {
        if p.is_none() {
            match args.get(ind - 1) {
                Some(a) if a.starts_with('-') && a.len() > 1 => {
                    ind += 1;
                    if a == "--" {
                        done = 1;
                        break 'out;
                    }
                    p = Some((ind - 2, 1));
                }
                _ => {
                    done = 1;
                    break 'out;
                }
            }
        }
        let (ai, mut co) = p.unwrap_or((0, 0));
        let a: Vec<char> = args[ai].chars().collect();
        c = a.get(co).copied().unwrap_or('?');
        co += 1;
        let silent = optstr.starts_with(':');
        let spec: Vec<char> = optstr.chars().skip(if silent { 1 } else { 0 }).collect();
        let pos = spec.iter().position(|&x| x == c && x != ':');
        let Some(pos) = pos else {
            if silent {
                optarg = Some(Some(c.to_string()));
            } else {
                sh.out2(format!("Illegal option -{c}\n").as_bytes())?;
                optarg = Some(None);
            }
            c = '?';
            p = if co < a.len() { Some((ai, co)) } else { None };
            break 'out;
        };
        if spec.get(pos + 1) == Some(&':') {
            if co < a.len() {
                optarg = Some(Some(a[co..].iter().collect()));
            } else if let Some(next) = args.get(ind - 1) {
                optarg = Some(Some(next.clone()));
                ind += 1;
            } else {
                if silent {
                    optarg = Some(Some(c.to_string()));
                    c = ':';
                } else {
                    sh.out2(format!("No arg for -{c} option\n").as_bytes())?;
                    optarg = Some(None);
                    c = '?';
                }
                p = None;
                break 'out;
            }
            p = None;
        } else {
            optarg = Some(Some(String::new()));
            p = if co < a.len() { Some((ai, co)) } else { None };
        }
    }
    match optarg {
        Some(Some(v)) => {
            let _ = sh.st.vars.set("OPTARG", v);
        }
        Some(None) => {
            let _ = sh.st.vars.unset("OPTARG");
        }
        None => {}
    }
    sh.st.optind = ind;
    sh.st.optoff = p.map(|(_, o)| o).unwrap_or(0);
    let _ = sh.st.vars.set("OPTIND", ind.to_string());
    sh.st.optind_seen = ind.to_string();
    if let Err(msg) = sh.st.vars.set(&var, c.to_string()) {
        return fail(sh, "getopts", &msg);
    }
    Ok(done)
}

/// `umask [-S] [mode]`
pub(crate) fn umask(sh: &mut Shell<'_>, argv: &[String]) -> Ex<i32> {
    let (opts, first) = match opts_or_fail(sh, argv, "S")? {
        Ok(x) => x,
        Err(s) => return Ok(s),
    };
    let symbolic = !opts.is_empty();
    let Some(ap) = argv.get(first) else {
        let mask = sh.st.umask;
        if symbolic {
            let m = !mask;
            let mut parts = Vec::new();
            for (i, who) in ["u", "g", "o"].iter().enumerate() {
                let mut s = format!("{who}=");
                for (j, r) in ['r', 'w', 'x'].iter().enumerate() {
                    if m & (1 << (8 - (3 * i + j))) != 0 {
                        s.push(*r);
                    }
                }
                parts.push(s);
            }
            sh.out1(format!("{}\n", parts.join(",")).as_bytes())?;
        } else {
            sh.out1(format!("{mask:04o}\n").as_bytes())?;
        }
        return Ok(0);
    };
    if ap.starts_with(|c: char| c.is_ascii_digit()) {
        let mut m = 0u32;
        for c in ap.chars() {
            if !('0'..='7').contains(&c) {
                return fail(sh, "umask", &format!("Illegal number: {ap}"));
            }
            m = (m << 3) + (c as u32 - '0' as u32);
        }
        sh.st.umask = m & 0o777;
        return Ok(0);
    }
    // symbolic
    let mask = !sh.st.umask & 0o777;
    let mut new_mask = mask;
    let b: Vec<char> = ap.chars().collect();
    let mut i = 0;
    let mut positions: u32;
    loop {
        positions = 0;
        while i < b.len() && "augo".contains(b[i]) {
            positions |= match b[i] {
                'a' => 0o111,
                'u' => 0o100,
                'g' => 0o010,
                _ => 0o001,
            };
            i += 1;
        }
        if positions == 0 {
            positions = 0o111;
        }
        if i >= b.len() || !"=+-".contains(b[i]) {
            break;
        }
        let op = b[i];
        i += 1;
        let mut val = 0u32;
        while i < b.len() && "rwxugoXs".contains(b[i]) {
            val |= match b[i] {
                'r' => 4,
                'w' => 2,
                'x' => 1,
                'u' => mask >> 6,
                'g' => mask >> 3,
                'o' => mask,
                'X' => u32::from(mask & 0o111 != 0),
                _ => 0,
            };
            i += 1;
        }
        let val = (val & 7) * positions;
        match op {
            '-' => new_mask &= !val,
            '=' => new_mask = val | (new_mask & !(positions * 7)),
            _ => new_mask |= val,
        }
        if i < b.len() && b[i] == ',' {
            i += 1;
        } else if i >= b.len() || !"=+-".contains(b[i]) {
            break;
        }
    }
    if i < b.len() {
        return fail(sh, "umask", &format!("Illegal mode: {ap}"));
    }
    sh.st.umask = !new_mask & 0o777;
    Ok(0)
}

/// What a name is, for `type` and `command -v/-V`.
fn describe(sh: &mut Shell<'_>, name: &str, verbose: bool) -> Ex<i32> {
    let line = if KEYWORDS.contains(&name) {
        if verbose {
            format!("{name} is a shell keyword\n")
        } else {
            format!("{name}\n")
        }
    } else if let Some(a) = sh.st.aliases.get(name) {
        if verbose {
            format!("{name} is an alias for {a}\n")
        } else {
            format!("alias {name}={}\n", single_quote(a))
        }
    } else if name.contains('/') {
        if sh.executable_at(name) {
            if verbose {
                format!("{name} is {name}\n")
            } else {
                format!("{name}\n")
            }
        } else {
            if verbose {
                sh.out1(format!("{name}: not found\n").as_bytes())?;
            }
            return Ok(127);
        }
    } else if let Some((_, special)) = find(name, sh.st.bash).filter(|(_, sp)| *sp) {
        let _ = special;
        if verbose {
            format!("{name} is a special shell builtin\n")
        } else {
            format!("{name}\n")
        }
    } else if sh.st.funcs.contains_key(name) {
        if verbose {
            format!("{name} is a shell function\n")
        } else {
            format!("{name}\n")
        }
    } else if find(name, sh.st.bash).is_some() {
        if verbose {
            format!("{name} is a shell builtin\n")
        } else {
            format!("{name}\n")
        }
    } else {
        let tracked = sh.hashed(name);
        match sh.search_path(name) {
            Some(p) => {
                if verbose {
                    if tracked {
                        format!("{name} is a tracked alias for {p}\n")
                    } else {
                        format!("{name} is {p}\n")
                    }
                } else {
                    format!("{p}\n")
                }
            }
            None => {
                if verbose {
                    sh.out1(format!("{name}: not found\n").as_bytes())?;
                }
                return Ok(127);
            }
        }
    };
    sh.out1(line.as_bytes())?;
    Ok(0)
}

/// `type name…`
pub(crate) fn type_(sh: &mut Shell<'_>, argv: &[String]) -> Ex<i32> {
    let mut status = 0;
    let start = if argv.get(1).is_some_and(|a| a == "--") { 2 } else { 1 };
    for name in &argv[start..] {
        status |= describe(sh, name, true)?;
    }
    Ok(status)
}

/// `command [-p] [-v|-V] name [args…]`
pub(crate) fn command(sh: &mut Shell<'_>, argv: &[String]) -> Ex<i32> {
    let (opts, first) = match opts_or_fail(sh, argv, "pvV")? {
        Ok(x) => x,
        Err(s) => return Ok(s),
    };
    let verbose = opts.iter().any(|(c, _)| *c == 'V');
    let brief = opts.iter().any(|(c, _)| *c == 'v');
    let default_path = opts.iter().any(|(c, _)| *c == 'p');
    let Some(name) = argv.get(first) else {
        return Ok(0);
    };
    if verbose || brief {
        return describe(sh, &name.clone(), verbose);
    }
    let args = argv[first..].to_vec();
    sh.run_command_skipping_functions(&args, default_path)
}

/// `wait [pid…]`
pub(crate) fn wait(sh: &mut Shell<'_>, argv: &[String]) -> Ex<i32> {
    if argv.len() < 2 {
        sh.st.jobs.clear();
        return Ok(0);
    }
    let mut status = 0;
    for a in &argv[1..] {
        if a.starts_with('%') {
            return fail(sh, "wait", &format!("No such job: {a}"));
        }
        let pid: Option<u32> = a.parse().ok();
        match pid.and_then(|p| sh.st.jobs.iter().position(|(jp, _)| *jp == p)) {
            Some(i) => {
                status = sh.st.jobs[i].1;
                sh.st.jobs.remove(i);
            }
            None => {
                if pid.is_none() {
                    return fail(sh, "wait", &format!("Illegal number: {a}"));
                }
                status = 127;
            }
        }
    }
    Ok(status)
}

/// `kill [-s sig | -sig] pid…` / `kill -l [n]`: every job has already ended.
pub(crate) fn kill(sh: &mut Shell<'_>, argv: &[String]) -> Ex<i32> {
    if argv.len() < 2 {
        return fail(
            sh,
            "kill",
            "Usage: kill [-s sigspec | -signum | -sigspec] [pid | job]... or\nkill -l [exitstatus]",
        );
    }
    if argv[1] == "-l" || argv[1] == "-L" {
        if let Some(n) = argv.get(2) {
            return match number(n) {
                Some(v) => {
                    let v = if v > 128 { v - 128 } else { v };
                    let name = SIGNALS.get(v as usize).copied().unwrap_or("");
                    sh.out1(format!("{name}\n").as_bytes())?;
                    Ok(0)
                }
                None => fail(sh, "kill", &format!("Illegal number: {n}")),
            };
        }
        let mut s = String::from("0\n");
        for n in &SIGNALS[1..] {
            s.push_str(n);
            s.push('\n');
        }
        sh.out1(s.as_bytes())?;
        return Ok(0);
    }
    let mut i = 1;
    let mut sig = 15;
    if argv[1] == "-s" {
        match argv.get(2).and_then(|s| signal_number(s)) {
            Some(n) => sig = n,
            None => return fail(sh, "kill", &format!("invalid signal number or name: {}", argv.get(2).map(String::as_str).unwrap_or(""))),
        }
        i = 3;
    } else if let Some(s) = argv[1].strip_prefix('-') {
        match signal_number(s) {
            Some(n) => sig = n,
            None => return fail(sh, "kill", &format!("invalid signal number or name: {s}")),
        }
        i = 2;
    }
    let mut status = 0;
    for a in &argv[i..] {
        let Some(pid) = a.parse::<u32>().ok() else {
            return fail(sh, "kill", &format!("Illegal number: {a}"));
        };
        if pid == sh.st.pid {
            if sig == 0 {
                continue;
            }
            // signalling ourselves: a trap runs, otherwise the shell ends
            match sh.st.traps.get(&sig).cloned() {
                Some(action) if action.is_empty() => continue,
                Some(action) => {
                    sh.eval_string(&action, false)?;
                    continue;
                }
                None => {
                    if matches!(sig, 17 | 18 | 23 | 28) {
                        continue;
                    }
                    return Err(Flow::Exit(128 + sig as i32));
                }
            }
        }
        sh.warn(Some("kill"), "No such process\n")?;
        status = 1;
    }
    Ok(status)
}

/// `local name[=value]…` / `local -` (a special builtin in dash: errors are fatal)
pub(crate) fn local(sh: &mut Shell<'_>, argv: &[String]) -> Ex<i32> {
    if sh.st.func_depth == 0 {
        return Err(sh.fatal_in("local", "not in a function"));
    }
    for a in &argv[1..] {
        if a == "-" {
            if let Some(top) = sh.st.opt_frames.last_mut() {
                if top.is_none() {
                    *top = Some(sh.st.opts);
                }
            }
            continue;
        }
        let (name, value) = match a.find('=') {
            Some(i) => (&a[..i], Some(a[i + 1..].to_string())),
            None => (a.as_str(), None),
        };
        if !is_name(name) {
            return Err(sh.fatal_in("local", &format!("{name}: bad variable name")));
        }
        sh.st.vars.make_local(name);
        if let Some(v) = value {
            if let Err(msg) = sh.st.vars.set(name, v) {
                return Err(sh.fatal_in("local", &msg));
            }
        }
    }
    Ok(0)
}

/// `alias [name[=value]…]`
pub(crate) fn alias(sh: &mut Shell<'_>, argv: &[String]) -> Ex<i32> {
    if argv.len() < 2 {
        let mut out = String::new();
        for (k, v) in &sh.st.aliases {
            out.push_str(&format!("{k}={}\n", single_quote(v)));
        }
        sh.out1(out.as_bytes())?;
        return Ok(0);
    }
    let mut status = 0;
    for a in &argv[1..] {
        match a.find('=') {
            Some(i) => {
                sh.st.aliases.insert(a[..i].to_string(), a[i + 1..].to_string());
            }
            None => match sh.st.aliases.get(a.as_str()) {
                Some(v) => {
                    let line = format!("{a}={}\n", single_quote(v));
                    sh.out1(line.as_bytes())?;
                }
                None => {
                    sh.out2(format!("alias: {a} not found\n").as_bytes())?;
                    status = 1;
                }
            },
        }
    }
    Ok(status)
}

/// `unalias [-a] name…`
pub(crate) fn unalias(sh: &mut Shell<'_>, argv: &[String]) -> Ex<i32> {
    if argv.get(1).is_some_and(|a| a == "-a") {
        sh.st.aliases.clear();
        return Ok(0);
    }
    let mut status = 0;
    for a in &argv[1..] {
        if sh.st.aliases.remove(a.as_str()).is_none() {
            sh.out2(format!("unalias: {a} not found\n").as_bytes())?;
            status = 1;
        }
    }
    Ok(status)
}

/// `hash [-r] [name…]`
pub(crate) fn hash(sh: &mut Shell<'_>, argv: &[String]) -> Ex<i32> {
    if argv.get(1).is_some_and(|a| a == "-r") {
        sh.st.hash.clear();
        return Ok(0);
    }
    if argv.len() < 2 {
        let mut v: Vec<String> = sh.st.hash.values().cloned().collect();
        v.sort();
        let mut out = String::new();
        for p in v {
            out.push_str(&p);
            out.push('\n');
        }
        sh.out1(out.as_bytes())?;
        return Ok(0);
    }
    let mut status = 0;
    for name in &argv[1..] {
        match sh.search_path(name) {
            Some(p) => {
                sh.st.hash.insert(name.clone(), p);
            }
            None => {
                sh.warn(Some("hash"), &format!("{name}: not found"))?;
                status = 1;
            }
        }
    }
    Ok(status)
}

/// `ulimit [-a|-n|…] [value]`: limits are not enforced by the playground
/// (it has its own); values are remembered and shown.
pub(crate) fn ulimit(sh: &mut Shell<'_>, argv: &[String]) -> Ex<i32> {
    const LIMITS: &[(&str, char)] = &[
        ("time(seconds)", 't'),
        ("file(blocks)", 'f'),
        ("data(kbytes)", 'd'),
        ("stack(kbytes)", 's'),
        ("coredump(blocks)", 'c'),
        ("memory(kbytes)", 'm'),
        ("locked memory(kbytes)", 'l'),
        ("process", 'p'),
        ("nofiles", 'n'),
        ("vmemory(kbytes)", 'v'),
        ("locks", 'w'),
        ("rtprio", 'r'),
    ];
    let (opts, first) = match opts_or_fail(sh, argv, "HSatfdscmlpnvwr")? {
        Ok(x) => x,
        Err(s) => return Ok(s),
    };
    let which: Vec<char> = opts.iter().map(|(c, _)| *c).filter(|c| *c != 'H' && *c != 'S').collect();
    if which.contains(&'a') {
        let mut out = String::new();
        for (name, c) in LIMITS {
            let v = sh.st.ulimits.get(c).cloned().unwrap_or_else(|| default_ulimit(*c));
            out.push_str(&format!("{name:<20} {v}\n"));
        }
        sh.out1(out.as_bytes())?;
        return Ok(0);
    }
    let c = which.last().copied().unwrap_or('f');
    match argv.get(first) {
        Some(v) => {
            if v != "unlimited" && number(v).is_none() {
                return fail(sh, "ulimit", &format!("bad number: {v}"));
            }
            sh.st.ulimits.insert(c, v.clone());
        }
        None => {
            let v = sh.st.ulimits.get(&c).cloned().unwrap_or_else(|| default_ulimit(c));
            sh.out1(format!("{v}\n").as_bytes())?;
        }
    }
    Ok(0)
}

fn default_ulimit(c: char) -> String {
    match c {
        'n' => "1048576".into(),
        's' => "8192".into(),
        'c' => "0".into(),
        'l' => "64".into(),
        _ => "unlimited".into(),
    }
}

/// `jobs`: background jobs have all finished.
pub(crate) fn jobs(_sh: &mut Shell<'_>, _argv: &[String]) -> Ex<i32> {
    Ok(0)
}

/// `fg` / `bg`: no job control.
pub(crate) fn jobctl(sh: &mut Shell<'_>, argv: &[String]) -> Ex<i32> {
    let cmd = argv[0].clone();
    fail(sh, &cmd, "No current job")
}

#[cfg(test)]
mod tests {
    use super::read_split;

    fn rs(line: &str, ifs: &str, n: usize) -> Vec<String> {
        let chars: Vec<(char, bool)> = line.chars().map(|c| (c, false)).collect();
        read_split(&chars, ifs, n)
    }

    #[test]
    fn read_splits_like_dash() {
        assert_eq!(rs("a b  c", " \t\n", 2), vec!["a", "b  c"]);
        assert_eq!(rs("  lead  trail  ", " \t\n", 1), vec!["lead  trail"]);
        assert_eq!(rs("a:b:c", ":", 2), vec!["a", "b:c"]);
        assert_eq!(rs(" a , b ,c", ", ", 3), vec!["a", "b", "c"]);
        assert_eq!(rs("a,,b", ",", 3), vec!["a", "", "b"]);
        assert_eq!(rs("a b   ", " \t\n", 3), vec!["a", "b"]);
    }
}
