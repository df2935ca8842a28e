//! dash's special builtins: an error in one ends the (non-interactive) shell.

use super::{nextopt, number, signal_number, single_quote, SIGNALS};
use crate::shell::interp::{Ex, Flow, Opts, Shell, OPTIONS};
use crate::shell::parse::is_name;

fn illegal_number(sh: &mut Shell<'_>, cmd: &str, s: &str) -> Flow {
    sh.fatal_in(cmd, &format!("Illegal number: {s}"))
}

/// `break [n]` / `continue [n]`
pub(crate) fn break_(sh: &mut Shell<'_>, argv: &[String]) -> Ex<i32> {
    let mut n = 1;
    if let Some(a) = argv.get(1) {
        match number(a) {
            Some(v) if v > 0 => n = v as u32,
            _ => return Err(illegal_number(sh, &argv[0], a)),
        }
    }
    let n = n.min(sh.st.loop_depth);
    if n == 0 {
        return Ok(0);
    }
    if argv[0] == "continue" {
        Err(Flow::Continue(n))
    } else {
        Err(Flow::Break(n))
    }
}

/// `return [n]`
pub(crate) fn return_(sh: &mut Shell<'_>, argv: &[String]) -> Ex<i32> {
    let status = match argv.get(1) {
        Some(a) => match number(a) {
            Some(v) => v,
            None => return Err(illegal_number(sh, "return", a)),
        },
        None => sh.st.status,
    };
    Err(Flow::Return(status))
}

/// `exit [n]`
pub(crate) fn exit(sh: &mut Shell<'_>, argv: &[String]) -> Ex<i32> {
    let status = match argv.get(1) {
        Some(a) => match number(a) {
            Some(v) => v,
            None => return Err(illegal_number(sh, "exit", a)),
        },
        None => sh.st.status,
    };
    Err(Flow::Exit(status))
}

/// `eval args…`
pub(crate) fn eval(sh: &mut Shell<'_>, argv: &[String]) -> Ex<i32> {
    if argv.len() < 2 {
        return Ok(0);
    }
    let src = argv[1..].join(" ");
    let tested = sh.cur_tested;
    sh.eval_string(&src, tested)
}

/// `. file [args…]` (and bash's `source`)
pub(crate) fn dot(sh: &mut Shell<'_>, argv: &[String]) -> Ex<i32> {
    let Some(name) = argv.get(1) else {
        return Ok(0);
    };
    let path = if name.contains('/') {
        Some(name.clone())
    } else {
        sh.find_dot_file(name)
    };
    let Some(path) = path else {
        return Err(sh.fatal_in(&argv[0], &format!("{name}: not found")));
    };
    let abs = crate::vfs::path::join(&sh.st.cwd, &path);
    let data = match sh.fs.read(&abs) {
        Ok(d) => d,
        Err(_) => return Err(sh.fatal_in(&argv[0], &format!("cannot open {path}: No such file"))),
    };
    let src = String::from_utf8_lossy(&data).into_owned();
    sh.enter()?;
    let saved_line = sh.st.line;
    sh.st.dot_depth += 1;
    let saved_cmd = sh.cmdname.take();
    let r = sh.run_file_body(&src, &path);
    sh.cmdname = saved_cmd;
    sh.st.dot_depth -= 1;
    sh.st.line = saved_line;
    sh.leave();
    match r {
        Ok(s) => Ok(s),
        Err(Flow::Return(s)) => Ok(s),
        Err(e) => Err(e),
    }
}

/// `exec [cmd args…]`: with a command, the shell becomes it.
pub(crate) fn exec(sh: &mut Shell<'_>, argv: &[String]) -> Ex<i32> {
    if argv.len() < 2 {
        return Ok(0);
    }
    let args = &argv[1..];
    let status = sh.exec_replace(args)?;
    Err(Flow::Killed(status))
}

/// `export` / `readonly` [-p] [name[=value]…]
pub(crate) fn export(sh: &mut Shell<'_>, argv: &[String]) -> Ex<i32> {
    let cmd = argv[0].clone();
    let (opts, first) = match nextopt(argv, "p") {
        Ok(x) => x,
        Err(c) => return Err(sh.fatal_in(&cmd, &format!("Illegal option -{c}"))),
    };
    let readonly = cmd == "readonly";
    if first >= argv.len() || !opts.is_empty() {
        let mut out = String::new();
        for (name, v) in sh.st.vars.sorted() {
            let flagged = if readonly { v.readonly } else { v.exported };
            if !flagged {
                continue;
            }
            match &v.value {
                Some(val) => out.push_str(&format!("{cmd} {name}={}\n", single_quote(val))),
                None => out.push_str(&format!("{cmd} {name}\n")),
            }
        }
        sh.out1(out.as_bytes())?;
        return Ok(0);
    }
    for a in &argv[first..] {
        let (name, value) = match a.find('=') {
            Some(i) => (&a[..i], Some(a[i + 1..].to_string())),
            None => (a.as_str(), None),
        };
        if !is_name(name) {
            return Err(sh.fatal_in(&cmd, &format!("{name}: bad variable name")));
        }
        let r = if readonly { sh.st.vars.readonly(name, value) } else { sh.st.vars.export(name, value) };
        if let Err(msg) = r {
            return Err(sh.fatal_in(&cmd, &msg));
        }
    }
    Ok(0)
}

/// `unset [-v|-f] name…`
pub(crate) fn unset(sh: &mut Shell<'_>, argv: &[String]) -> Ex<i32> {
    let (opts, first) = match nextopt(argv, "vf") {
        Ok(x) => x,
        Err(c) => return Err(sh.fatal_in("unset", &format!("Illegal option -{c}"))),
    };
    let funcs = opts.last().is_some_and(|(c, _)| *c == 'f');
    for name in &argv[first..] {
        if funcs {
            sh.st.funcs.remove(name.as_str());
            continue;
        }
        if !is_name(name) {
            return Err(sh.fatal_in("unset", &format!("{name}: bad variable name")));
        }
        if let Err(msg) = sh.st.vars.unset(name) {
            return Err(sh.fatal_in("unset", &msg));
        }
    }
    Ok(0)
}

/// `shift [n]`
pub(crate) fn shift(sh: &mut Shell<'_>, argv: &[String]) -> Ex<i32> {
    let n = match argv.get(1) {
        Some(a) => match number(a) {
            Some(v) => v as usize,
            None => return Err(illegal_number(sh, "shift", a)),
        },
        None => 1,
    };
    if n > sh.st.args.len() {
        return Err(sh.fatal_in("shift", "can't shift that many"));
    }
    sh.st.args.drain(..n);
    sh.reset_getopts();
    Ok(0)
}

/// `times`: the playground has no CPU accounting.
pub(crate) fn times(sh: &mut Shell<'_>, _argv: &[String]) -> Ex<i32> {
    sh.out1(b"0m0.000000s 0m0.000000s\n0m0.000000s 0m0.000000s\n")?;
    Ok(0)
}

/// `set [options] [--] [args…]`
pub(crate) fn set(sh: &mut Shell<'_>, argv: &[String]) -> Ex<i32> {
    if argv.len() == 1 {
        let mut out = String::new();
        for (name, v) in sh.st.vars.sorted() {
            if let Some(val) = &v.value {
                out.push_str(&format!("{name}={}\n", single_quote(val)));
            }
        }
        sh.out1(out.as_bytes())?;
        return Ok(0);
    }
    let mut i = 1;
    let mut new_args: Option<Vec<String>> = None;
    while i < argv.len() {
        let a = &argv[i];
        let (on, body) = if let Some(b) = a.strip_prefix('-') {
            (true, b)
        } else if let Some(b) = a.strip_prefix('+') {
            (false, b)
        } else {
            break;
        };
        i += 1;
        if on && (body.is_empty() || body == "-") {
            if body.is_empty() {
                // `set -`: turn off -x and -v
                if let Some(x) = Opts::letter_index('x') {
                    sh.st.opts.set(x, false);
                }
                if let Some(v) = Opts::letter_index('v') {
                    sh.st.opts.set(v, false);
                }
            } else if i >= argv.len() {
                new_args = Some(Vec::new());
            }
            break;
        }
        for c in body.chars() {
            if c == 'o' {
                match argv.get(i) {
                    None => {
                        list_options(sh, on)?;
                    }
                    Some(name) => {
                        i += 1;
                        if name == "pipefail" && (sh.st.bash || sh.st.ash) {
                            sh.st.opts.pipefail = on;
                            continue;
                        }
                        match Opts::index(name) {
                            Some(k) => sh.st.opts.set(k, on),
                            None => return Err(sh.fatal_in("set", &format!("Illegal option -o {name}"))),
                        }
                    }
                }
                continue;
            }
            match Opts::letter_index(c) {
                Some(k) => sh.st.opts.set(k, on),
                None => return Err(sh.fatal_in("set", &format!("Illegal option -{c}"))),
            }
        }
    }
    sh.st.vars.allexport = sh.st.opts.allexport();
    if i < argv.len() {
        new_args = Some(argv[i..].to_vec());
    }
    if let Some(a) = new_args {
        sh.st.args = a;
        sh.reset_getopts();
    }
    Ok(0)
}

fn list_options(sh: &mut Shell<'_>, on: bool) -> Ex<()> {
    let mut out = String::new();
    if on {
        out.push_str("Current option settings\n");
        for (k, (name, _)) in OPTIONS.iter().enumerate() {
            out.push_str(&format!("{:<16}{}\n", name, if sh.st.opts.get(k) { "on" } else { "off" }));
        }
    } else {
        for (k, (name, _)) in OPTIONS.iter().enumerate() {
            out.push_str(&format!("set {} {}\n", if sh.st.opts.get(k) { "-o" } else { "+o" }, name));
        }
    }
    sh.out1(out.as_bytes())
}

/// `trap [action] [condition…]`
pub(crate) fn trap(sh: &mut Shell<'_>, argv: &[String]) -> Ex<i32> {
    let mut args: &[String] = &argv[1..];
    if args.first().is_some_and(|a| a == "--") {
        args = &args[1..];
    }
    if args.is_empty() {
        let mut out = String::new();
        for (sig, action) in &sh.st.traps {
            let name = SIGNALS.get(*sig as usize).copied().map(str::to_string).unwrap_or_else(|| sig.to_string());
            out.push_str(&format!("trap -- {} {}\n", single_quote(action), name));
        }
        sh.out1(out.as_bytes())?;
        return Ok(0);
    }
    let (action, conds): (Option<&str>, &[String]) = if args.len() == 1 || signal_number(&args[0]).is_some() {
        (None, args)
    } else if args[0] == "-" {
        (None, &args[1..])
    } else {
        (Some(args[0].as_str()), &args[1..])
    };
    for c in conds {
        match signal_number(c) {
            Some(n) => match action {
                Some(a) => {
                    sh.st.traps.insert(n, a.to_string());
                }
                None => {
                    sh.st.traps.remove(&n);
                }
            },
            None => {
                sh.out2(format!("trap: {c}: bad trap\n").as_bytes())?;
                return Ok(1);
            }
        }
    }
    Ok(0)
}
