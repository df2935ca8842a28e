//! dash's builtin commands: the special builtins (`set`, `export`, `eval`,
//! `exit`, `trap`, `.`, …, whose errors end a non-interactive shell) and the
//! regular ones (`cd`, `read`, `getopts`, `umask`, `type`, `command`, `wait`,
//! `echo`, `printf`, `test`, …), with dash's options, output formats and
//! error texts.

mod printf;
mod regular;
mod special;
mod test;

use super::interp::{Ex, Shell};

/// A builtin: gets the shell and argv (argv[0] is the name it was called by).
pub(crate) type Builtin = fn(&mut Shell<'_>, &[String]) -> Ex<i32>;

/// Special builtins, in dash's set.
const SPECIAL: &[(&str, Builtin)] = &[
    (".", special::dot),
    (":", regular::true_),
    ("break", special::break_),
    ("continue", special::break_),
    ("eval", special::eval),
    ("exec", special::exec),
    ("exit", special::exit),
    ("local", regular::local),
    ("export", special::export),
    ("readonly", special::export),
    ("return", special::return_),
    ("set", special::set),
    ("shift", special::shift),
    ("times", special::times),
    ("trap", special::trap),
    ("unset", special::unset),
];

/// Regular builtins, found before PATH.
const REGULAR: &[(&str, Builtin)] = &[
    ("[", test::test),
    ("alias", regular::alias),
    ("bg", regular::jobctl),
    ("cd", regular::cd),
    ("chdir", regular::cd),
    ("command", regular::command),
    ("echo", printf::echo),
    ("false", regular::false_),
    ("fg", regular::jobctl),
    ("getopts", regular::getopts),
    ("hash", regular::hash),
    ("jobs", regular::jobs),
    ("kill", regular::kill),
    ("printf", printf::printf),
    ("pwd", regular::pwd),
    ("read", regular::read),
    ("test", test::test),
    ("true", regular::true_),
    ("type", regular::type_),
    ("ulimit", regular::ulimit),
    ("umask", regular::umask),
    ("unalias", regular::unalias),
    ("wait", regular::wait),
];

/// What bash adds (when the shell was started as `bash`).
const BASH_ONLY: &[(&str, Builtin)] = &[("source", special::dot)];

/// True for dash's special builtins (a function may not have their name).
pub fn is_special(name: &str) -> bool {
    SPECIAL.iter().any(|(n, _)| *n == name)
}

/// The builtin of that name and whether it is special.
pub(crate) fn find(name: &str, bash: bool) -> Option<(Builtin, bool)> {
    if let Some((_, f)) = SPECIAL.iter().find(|(n, _)| *n == name) {
        return Some((*f, true));
    }
    if let Some((_, f)) = REGULAR.iter().find(|(n, _)| *n == name) {
        return Some((*f, false));
    }
    if bash {
        if let Some((_, f)) = BASH_ONLY.iter().find(|(n, _)| *n == name) {
            return Some((*f, false));
        }
    }
    None
}

/// Builtins that also exist as programs (`/bin/echo`, `/usr/bin/[`) when no
/// program of that name is provided: run as stand-alone processes.
pub(crate) fn as_program(name: &str) -> Option<Builtin> {
    match name {
        "echo" => Some(printf::echo),
        "printf" => Some(printf::printf),
        "test" | "[" => Some(test::test),
        "true" => Some(regular::true_),
        "false" => Some(regular::false_),
        "pwd" => Some(regular::pwd),
        "kill" => Some(regular::kill),
        _ => None,
    }
}

/// The shell's keywords (for `type`).
pub(crate) const KEYWORDS: &[&str] =
    &["!", "case", "do", "done", "elif", "else", "esac", "fi", "for", "if", "in", "then", "until", "while", "{", "}"];

/// dash's `nextopt`: options of a builtin (`-p`, `-rp prompt`…) before the
/// operands. Returns the options found (with their argument for letters
/// followed by `:` in `spec`) and the index of the first operand, or the
/// letter that is not allowed.
pub(crate) fn nextopt(argv: &[String], spec: &str) -> Result<(Vec<(char, Option<String>)>, usize), char> {
    let mut opts = Vec::new();
    let mut i = 1;
    while i < argv.len() {
        let a = &argv[i];
        if a == "--" {
            i += 1;
            break;
        }
        if !a.starts_with('-') || a == "-" {
            break;
        }
        i += 1;
        let chars: Vec<char> = a.chars().skip(1).collect();
        let mut k = 0;
        while k < chars.len() {
            let c = chars[k];
            let pos = spec.find(c).ok_or(c)?;
            if spec[pos + c.len_utf8()..].starts_with(':') {
                let rest: String = chars[k + 1..].iter().collect();
                if !rest.is_empty() {
                    opts.push((c, Some(rest)));
                } else if i < argv.len() {
                    opts.push((c, Some(argv[i].clone())));
                    i += 1;
                } else {
                    return Err(c);
                }
                break;
            }
            opts.push((c, None));
            k += 1;
        }
    }
    Ok((opts, i))
}

/// dash's `number()`: a non-negative decimal that fits an int, else
/// `Illegal number: x`.
pub(crate) fn number(s: &str) -> Option<i32> {
    let t = s.trim_start();
    let digits = t.strip_prefix('+').unwrap_or(t);
    let end = digits.find(|c: char| !c.is_ascii_digit()).unwrap_or(digits.len());
    if end == 0 || !digits[end..].trim().is_empty() {
        return None;
    }
    let v: i64 = digits[..end].parse().ok()?;
    if v > i32::MAX as i64 {
        return None;
    }
    Some(v as i32)
}

/// dash's `single_quote`: `'it'"'"'s'`.
pub(crate) fn single_quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    let mut rest = s;
    if rest.is_empty() {
        return "''".into();
    }
    while !rest.is_empty() {
        match rest.find('\'') {
            Some(0) => {
                let n = rest.find(|c| c != '\'').unwrap_or(rest.len());
                out.push('"');
                out.push_str(&rest[..n]);
                out.push('"');
                rest = &rest[n..];
            }
            Some(i) => {
                out.push('\'');
                out.push_str(&rest[..i]);
                out.push('\'');
                rest = &rest[i..];
            }
            None => {
                out.push('\'');
                out.push_str(rest);
                out.push('\'');
                rest = "";
            }
        }
    }
    out
}

/// Signal names by number (Linux), 0 is EXIT.
pub(crate) const SIGNALS: &[&str] = &[
    "EXIT", "HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS", "FPE", "KILL", "USR1", "SEGV", "USR2", "PIPE", "ALRM", "TERM",
    "STKFLT", "CHLD", "CONT", "STOP", "TSTP", "TTIN", "TTOU", "URG", "XCPU", "XFSZ", "VTALRM", "PROF", "WINCH", "IO", "PWR",
    "SYS",
];

/// A signal number from a name (`TERM`, `SIGTERM`, `term`) or number.
pub(crate) fn signal_number(s: &str) -> Option<u32> {
    if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) {
        let n: u32 = s.parse().ok()?;
        return if (n as usize) < SIGNALS.len() || (34..=64).contains(&n) { Some(n) } else { None };
    }
    let up = s.to_ascii_uppercase();
    SIGNALS.iter().position(|n| *n == up).map(|i| i as u32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting_and_numbers() {
        assert_eq!(single_quote("it's"), "'it'\"'\"'s'");
        assert_eq!(single_quote("a"), "'a'");
        assert_eq!(number("12"), Some(12));
        assert_eq!(number("-1"), None);
        assert_eq!(number("1x"), None);
        assert_eq!(signal_number("TERM"), Some(15));
        assert_eq!(signal_number("SIGTERM"), None);
        assert_eq!(signal_number("int"), Some(2));
        assert_eq!(signal_number("FOO"), None);
    }
}
