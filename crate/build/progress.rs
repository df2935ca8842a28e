//! Build progress in BuildKit's shape: vertices (`#5 [builder 2/3] COPY main.go .`)
//! that start, report status lines and RUN output, end CACHED, DONE or ERROR; and
//! the two renderings docker users know: `--progress=plain` (streamed) and the tty
//! summary (`[+] Building 0.1s (9/9) FINISHED` with one ` => ` line per vertex).
//!
//! Invariant: events carry times measured by the host clock; rendering is pure.

use serde::Serialize;

/// Which output stream a log line came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Stream {
    Stdout,
    Stderr,
}

/// One progress event. `v` is the vertex number BuildKit prints after `#`.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "camelCase")]
pub enum Event {
    /// A vertex appears, e.g. `[internal] load build context` or `[stage-1 2/5] WORKDIR /web`.
    Start {
        v: u32,
        name: String,
        /// The Dockerfile line range (1-based, inclusive) this vertex comes from.
        #[serde(skip_serializing_if = "Option::is_none")]
        lines: Option<(usize, usize)>,
        /// Stage index (for the page's graph); `None` for internal vertices.
        #[serde(skip_serializing_if = "Option::is_none")]
        stage: Option<usize>,
    },
    /// A sub-status line (`transferring context: 2B done`, `writing image sha256:… done`).
    Status { v: u32, text: String, secs: f64 },
    /// A line of output of a RUN (without its newline); `at` is seconds since the vertex started.
    Log { v: u32, stream: Stream, at: f64, line: String },
    /// The vertex was found in the cache.
    Cached { v: u32 },
    /// The vertex finished after `secs` seconds.
    Done { v: u32, secs: f64 },
    /// The vertex failed.
    Error { v: u32, secs: f64, message: String },
}

/// What one vertex did, gathered from its events.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct VertexSummary {
    pub v: u32,
    pub name: String,
    pub cached: bool,
    pub secs: f64,
    pub statuses: Vec<(String, f64)>,
    pub logs: Vec<(Stream, f64, String)>,
    pub error: Option<String>,
    pub finished: bool,
}

/// All vertices of a build, in the order they appeared.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Summary {
    pub vertices: Vec<VertexSummary>,
}

impl Summary {
    pub fn apply(&mut self, e: &Event) {
        match e {
            Event::Start { v, name, .. } => self.vertices.push(VertexSummary { v: *v, name: name.clone(), ..Default::default() }),
            Event::Status { v, text, secs } => {
                if let Some(x) = self.get(*v) {
                    x.statuses.push((text.clone(), *secs));
                }
            }
            Event::Log { v, stream, at, line } => {
                if let Some(x) = self.get(*v) {
                    x.logs.push((*stream, *at, line.clone()));
                }
            }
            Event::Cached { v } => {
                if let Some(x) = self.get(*v) {
                    x.cached = true;
                    x.finished = true;
                }
            }
            Event::Done { v, secs } => {
                if let Some(x) = self.get(*v) {
                    x.secs = *secs;
                    x.finished = true;
                }
            }
            Event::Error { v, secs, message } => {
                if let Some(x) = self.get(*v) {
                    x.secs = *secs;
                    x.error = Some(message.clone());
                    x.finished = true;
                }
            }
        }
    }

    fn get(&mut self, v: u32) -> Option<&mut VertexSummary> {
        self.vertices.iter_mut().rev().find(|x| x.v == v)
    }

    /// (finished, total) as the tty header counts them.
    pub fn counts(&self, total: usize) -> (usize, usize) {
        (self.vertices.iter().filter(|x| x.finished).count(), total.max(self.vertices.len()))
    }
}

fn secs1(s: f64) -> String {
    format!("{:.1}s", (s * 10.0).floor() / 10.0)
}

/// Streams events as `docker build --progress=plain` prints them.
#[derive(Debug, Default)]
pub struct PlainRenderer {
    current: Option<u32>,
    names: Vec<(u32, String)>,
}

impl PlainRenderer {
    pub fn new() -> Self {
        PlainRenderer::default()
    }

    /// The first line BuildKit prints.
    pub fn header() -> String {
        "#0 building with \"dfplay\" instance using the playground driver (in-memory, stand-in bases)\n".to_string()
    }

    fn enter(&mut self, v: u32, out: &mut String) {
        if self.current != Some(v) {
            out.push('\n');
            // a vertex resumed after another one printed: BuildKit repeats its name
            if let Some((_, name)) = self.names.iter().find(|(x, _)| *x == v) {
                out.push_str(&format!("#{v} {name}\n"));
            }
            self.current = Some(v);
        }
    }

    /// The text to print for one event.
    pub fn render(&mut self, e: &Event) -> String {
        let mut out = String::new();
        match e {
            Event::Start { v, name, .. } => {
                self.names.push((*v, name.clone()));
                out.push('\n');
                out.push_str(&format!("#{v} {name}\n"));
                self.current = Some(*v);
            }
            Event::Status { v, text, secs } => {
                self.enter(*v, &mut out);
                if *secs >= 0.05 {
                    let t = text.strip_suffix(" done").unwrap_or(text);
                    out.push_str(&format!("#{v} {t} {} done\n", secs1(*secs)));
                } else {
                    out.push_str(&format!("#{v} {text}\n"));
                }
            }
            Event::Log { v, at, line, .. } => {
                self.enter(*v, &mut out);
                out.push_str(&format!("#{v} {at:.3} {line}\n"));
            }
            Event::Cached { v } => {
                self.enter(*v, &mut out);
                out.push_str(&format!("#{v} CACHED\n"));
            }
            Event::Done { v, secs } => {
                self.enter(*v, &mut out);
                out.push_str(&format!("#{v} DONE {}\n", secs1(*secs)));
            }
            Event::Error { v, message, .. } => {
                self.enter(*v, &mut out);
                out.push_str(&format!("#{v} ERROR: {message}\n"));
            }
        }
        out
    }
}

/// Truncates or pads `s` to exactly `w` characters.
fn fit(s: &str, w: usize) -> String {
    let n = s.chars().count();
    if n > w {
        s.chars().take(w).collect()
    } else {
        format!("{s}{}", " ".repeat(w - n))
    }
}

/// One ` => name … 0.0s` line: `width - 1` columns, the time right-aligned.
fn tty_line(label: &str, time: &str, width: usize) -> String {
    let room = width.saturating_sub(time.len() + 1);
    let cut: String = label.chars().take(room.saturating_sub(2)).collect();
    format!("{}{time}\n", fit(&cut, room))
}

/// The final tty frame: `[+] Building 0.7s (9/9) FINISHED` and one line per vertex
/// and sub-status, `width` columns wide (80 on a default terminal).
pub fn render_tty(summary: &Summary, total: usize, elapsed: f64, finished_ok: bool, width: usize) -> String {
    let width = width.clamp(40, 400);
    let (done, total) = summary.counts(total);
    let mut out = format!("[+] Building {} ({done}/{total}){}\n", secs1(elapsed), if finished_ok { " FINISHED" } else { "" });
    for x in &summary.vertices {
        let time = secs1(x.secs);
        let prefix = if x.error.is_some() {
            "ERROR "
        } else if x.cached {
            "CACHED "
        } else {
            ""
        };
        out.push_str(&tty_line(&format!(" => {prefix}{}", x.name), &time, width));
        for (text, secs) in &x.statuses {
            let t = text.strip_suffix(" done").unwrap_or(text);
            out.push_str(&tty_line(&format!(" => => {t}"), &secs1(*secs), width));
        }
    }
    out
}

/// BuildKit's block with a failed vertex's output, printed after the progress:
/// `------`, ` > [3/4] RUN …:`, the output lines with their times, `------`.
pub fn render_failed_output(x: &VertexSummary) -> String {
    let mut out = format!("------\n > {}:\n", x.name);
    let logs = &x.logs;
    // BuildKit shows the last lines only
    let skip = logs.len().saturating_sub(10);
    for (_, at, line) in &logs[skip..] {
        out.push_str(&format!("{at:.3} {line}\n"));
    }
    out.push_str("------\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn events() -> Vec<Event> {
        vec![
            Event::Start { v: 1, name: "[internal] load build definition from Dockerfile".into(), lines: None, stage: None },
            Event::Status { v: 1, text: "transferring dockerfile: 108B done".into(), secs: 0.0 },
            Event::Done { v: 1, secs: 0.0 },
            Event::Start { v: 2, name: "[2/4] RUN echo one".into(), lines: Some((2, 2)), stage: Some(0) },
            Event::Log { v: 2, stream: Stream::Stdout, at: 0.122, line: "one".into() },
            Event::Done { v: 2, secs: 0.1 },
            Event::Start { v: 3, name: "[1/4] FROM docker.io/library/alpine".into(), lines: Some((1, 1)), stage: Some(0) },
            Event::Cached { v: 3 },
        ]
    }

    #[test]
    fn plain_matches_buildkit() {
        let mut r = PlainRenderer::new();
        let text: String = events().iter().map(|e| r.render(e)).collect();
        assert_eq!(
            text,
            "\n#1 [internal] load build definition from Dockerfile\n#1 transferring dockerfile: 108B done\n#1 DONE 0.0s\n\n#2 [2/4] RUN echo one\n#2 0.122 one\n#2 DONE 0.1s\n\n#3 [1/4] FROM docker.io/library/alpine\n#3 CACHED\n"
        );
    }

    #[test]
    fn tty_frame() {
        let mut s = Summary::default();
        for e in events() {
            s.apply(&e);
        }
        let t = render_tty(&s, 3, 0.7, true, 80);
        let lines: Vec<&str> = t.lines().collect();
        assert_eq!(lines[0], "[+] Building 0.7s (3/3) FINISHED");
        assert_eq!(lines[1], " => [internal] load build definition from Dockerfile                       0.0s");
        assert_eq!(lines[2], " => => transferring dockerfile: 108B                                       0.0s");
        assert_eq!(lines[4], " => CACHED [1/4] FROM docker.io/library/alpine                             0.0s");
        assert!(lines[1..].iter().all(|l| l.chars().count() == 79), "{t}");
    }
}
