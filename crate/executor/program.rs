//! What a simulated program does when it runs: a [`Record`] of start-up actions
//! (print these parts to stdout or stderr, listen on this address, exit with this
//! status) that the scanner works out from the source, that `go build`, `javac`,
//! `gcc` and `mvn package` store inside the stand-in files they write, and that
//! [`play`] performs against the running container's environment and arguments.
//!
//! A stand-in binary is `STANDIN_MAGIC` + its program name + `\n`, a line saying
//! what it stands in for, a `dfplay-record: {json}` line, then zero padding to the
//! size the real binary would have.
//!
//! Invariant: a record from an untrusted file is parsed with bounds and never
//! panics; playing one charges the budget per action.

use super::support::{self, Res, Stop};
use crate::shell::proc::{Ctx, STANDIN_MAGIC};
use serde::{Deserialize, Serialize};

/// The stream a print goes to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Stream {
    Out,
    Err,
}

/// A piece of printed text.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "k", rename_all = "lowercase")]
pub enum Part {
    /// Literal text.
    Text { v: String },
    /// An environment variable read at run time; `default` when unset or empty
    /// (`process.env.PORT || 3000`), else `unset` (how the language shows a
    /// missing value: `""` in Go, `undefined` in JavaScript, `None` in Python).
    Env { name: String, default: Option<String>, unset: String },
    /// A command-line argument (`os.Args[1]`, `process.argv[2]`, `sys.argv[1]`):
    /// index into the program's argv, argv[0] being the program.
    Arg { n: usize, unset: String },
    /// The time prefix of Go's `log` package (`2024/06/01 00:00:00 `).
    LogTime,
    /// Something the simulation cannot compute: shown as `<source text>`.
    Expr { src: String },
}

impl Part {
    pub fn text(s: impl Into<String>) -> Part {
        Part::Text { v: s.into() }
    }
}

/// One start-up action of a program.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "do", rename_all = "lowercase")]
pub enum Action {
    Print { to: Stream, parts: Vec<Part> },
    /// A server starts listening on `addr` (`:80`, `8080`, …); `blocks` when the
    /// call does not return while serving (Go's `ListenAndServe`, Flask's `run`).
    Listen { addr: Vec<Part>, what: String, blocks: bool },
    Exit { code: i32 },
}

/// What a program does on start-up, as far as the simulation can tell.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Record {
    /// `go`, `node`, `python`, `java`, `c`.
    pub lang: String,
    /// The source files it was made from, as absolute paths.
    pub sources: Vec<String>,
    pub actions: Vec<Action>,
    /// The Spring Boot version when the program is a Spring Boot application.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub spring_boot: Option<String>,
}

const RECORD_TAG: &[u8] = b"dfplay-record: ";
/// How far into a file the record line is searched for.
const RECORD_SEARCH: usize = 1 << 20;

/// The bytes of a stand-in binary called `name` for `record`, padded to `size`.
pub fn binary(name: &str, stands_for: &str, record: &Record, size: usize) -> std::sync::Arc<Vec<u8>> {
    let mut v = STANDIN_MAGIC.to_vec();
    v.extend_from_slice(name.as_bytes());
    v.push(b'\n');
    v.extend_from_slice(format!("dfplay stand-in for {stands_for}: runs in the playground's builtin shell\n").as_bytes());
    v.extend_from_slice(RECORD_TAG);
    v.extend_from_slice(serde_json::to_string(record).unwrap_or_else(|_| "{}".into()).as_bytes());
    v.push(b'\n');
    support::padded(v, size)
}

/// The record stored in a stand-in file, if there is a readable one.
pub fn read_record(data: &[u8]) -> Option<Record> {
    let hay = &data[..data.len().min(RECORD_SEARCH)];
    let at = hay.windows(RECORD_TAG.len()).position(|w| w == RECORD_TAG)? + RECORD_TAG.len();
    let end = hay[at..].iter().position(|&b| b == b'\n').map(|e| at + e).unwrap_or(hay.len());
    serde_json::from_slice(&hay[at..end]).ok()
}

/// Renders parts against the running process's environment and argv.
pub fn render(ctx: &Ctx<'_>, parts: &[Part], argv: &[String]) -> String {
    let mut s = String::new();
    for p in parts {
        match p {
            Part::Text { v } => s.push_str(v),
            Part::Env { name, default, unset } => match (ctx.getenv(name), default) {
                (Some(v), _) if !v.is_empty() => s.push_str(v),
                (Some(_), None) if unset == "undefined" || unset == "None" || unset == "null" => {}
                (_, Some(d)) => s.push_str(d),
                (None, None) => s.push_str(unset),
                (Some(v), None) => s.push_str(v),
            },
            Part::Arg { n, unset } => s.push_str(argv.get(*n).map(String::as_str).unwrap_or(unset)),
            Part::LogTime => {
                s.push_str(&support::log_time(ctx.clock.now));
                s.push(' ');
            }
            Part::Expr { src } => {
                s.push('<');
                s.push_str(src);
                s.push('>');
            }
        }
    }
    s
}

/// A listen address as words: `:80` → `port 80`, `0.0.0.0:5000` → `0.0.0.0 port 5000`.
pub fn describe_addr(addr: &str) -> String {
    let a = addr.trim();
    if a.is_empty() {
        return "its default port".into();
    }
    if a.chars().all(|c| c.is_ascii_digit()) {
        return format!("port {a}");
    }
    match a.rsplit_once(':') {
        Some(("", p)) => format!("port {p}"),
        Some((h, p)) if p.chars().all(|c| c.is_ascii_digit()) && !p.is_empty() => format!("{h} port {p}"),
        _ => a.to_string(),
    }
}

/// Performs a record: prints what the program prints, stops at an exit, and ends
/// a server's run with a note that the playground runs no servers. Status 0 unless
/// the program exits otherwise.
pub fn play(ctx: &mut Ctx<'_>, rec: &Record, argv: &[String], who: &str) -> Res {
    let mut listening: Option<(String, String)> = None;
    for a in &rec.actions {
        if !ctx.budget.charge(1) {
            return Err(Stop(1));
        }
        match a {
            Action::Print { to, parts } => {
                let text = render(ctx, parts, argv);
                match to {
                    Stream::Out => support::out(ctx, &text)?,
                    Stream::Err => ctx.err(&text),
                }
            }
            Action::Listen { addr, what, blocks } => {
                let a = render(ctx, addr, argv);
                listening = Some((describe_addr(&a), what.clone()));
                if *blocks {
                    break;
                }
            }
            Action::Exit { code } => return Ok(*code),
        }
    }
    if let Some((addr, what)) = listening {
        support::errln(
            ctx,
            &format!("(simulated) {who} would now serve {what} on {addr} until the container stops; the playground runs no servers, so it exits here"),
        );
    }
    Ok(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_round_trip_through_a_binary() {
        let rec = Record {
            lang: "go".into(),
            sources: vec!["/go/main.go".into()],
            actions: vec![Action::Print { to: Stream::Out, parts: vec![Part::text("hello world\n")] }],
            spring_boot: None,
        };
        let bin = binary("go-program", "a Go program", &rec, 4096);
        assert_eq!(bin.len(), 4096);
        assert_eq!(crate::shell::proc::standin_name(&bin), Some("go-program"));
        assert_eq!(read_record(&bin), Some(rec));
        assert_eq!(read_record(b"garbage"), None);
        assert_eq!(read_record(b"dfplay-record: {not json"), None);
    }

    #[test]
    fn addresses_in_words() {
        assert_eq!(describe_addr(":80"), "port 80");
        assert_eq!(describe_addr("8080"), "port 8080");
        assert_eq!(describe_addr("0.0.0.0:5000"), "0.0.0.0 port 5000");
    }
}
