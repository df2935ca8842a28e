//! What `docker image inspect`, `docker history` and `docker images` show,
//! from the store: the inspect JSON in Docker 26's shape and key order, and the
//! two tables with the docker CLI's columns, truncation, human sizes
//! (`1.98MB`) and times (`3 minutes ago`), laid out as Go's `tabwriter` does.

use super::config::{Healthcheck, ImageConfig, RunConfig};
use super::error::ImageResult;
use super::json;
use super::store::{ImageSummary, Store};
use super::time;
use crate::layer::Digest;
use serde::Serialize;
use std::collections::BTreeMap;

const ZERO_TIME: &str = "0001-01-01T00:00:00Z";

/// `Config` of `docker inspect` (moby's `container.Config`, its field order and nulls).
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct InspectConfig {
    pub hostname: String,
    pub domainname: String,
    pub user: String,
    pub attach_stdin: bool,
    pub attach_stdout: bool,
    pub attach_stderr: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exposed_ports: Option<BTreeMap<String, super::config::Empty>>,
    pub tty: bool,
    pub open_stdin: bool,
    pub stdin_once: bool,
    pub env: Option<Vec<String>>,
    pub cmd: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub healthcheck: Option<Healthcheck>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub args_escaped: bool,
    pub image: String,
    pub volumes: Option<BTreeMap<String, super::config::Empty>>,
    pub working_dir: String,
    pub entrypoint: Option<Vec<String>>,
    pub on_build: Option<Vec<String>>,
    pub labels: Option<BTreeMap<String, String>>,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub stop_signal: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub shell: Option<Vec<String>>,
}

fn some_vec(v: &[String]) -> Option<Vec<String>> {
    if v.is_empty() {
        None
    } else {
        Some(v.to_vec())
    }
}

fn some_map<V: Clone>(m: &BTreeMap<String, V>) -> Option<BTreeMap<String, V>> {
    if m.is_empty() {
        None
    } else {
        Some(m.clone())
    }
}

impl From<&RunConfig> for InspectConfig {
    fn from(c: &RunConfig) -> Self {
        InspectConfig {
            hostname: String::new(),
            domainname: String::new(),
            user: c.user.clone(),
            attach_stdin: false,
            attach_stdout: false,
            attach_stderr: false,
            exposed_ports: some_map(&c.exposed_ports),
            tty: false,
            open_stdin: false,
            stdin_once: false,
            env: some_vec(&c.env),
            cmd: some_vec(&c.cmd),
            healthcheck: c.healthcheck.clone(),
            args_escaped: c.args_escaped,
            image: String::new(),
            volumes: some_map(&c.volumes),
            working_dir: c.working_dir.clone(),
            entrypoint: some_vec(&c.entrypoint),
            on_build: some_vec(&c.on_build),
            labels: some_map(&c.labels),
            stop_signal: c.stop_signal.clone(),
            shell: some_vec(&c.shell),
        }
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct GraphDriver {
    #[serde(rename = "Data")]
    pub data: Option<BTreeMap<String, String>>,
    #[serde(rename = "Name")]
    pub name: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct InspectRootFs {
    #[serde(rename = "Type")]
    pub kind: String,
    #[serde(rename = "Layers")]
    pub layers: Vec<Digest>,
}

#[derive(Clone, Debug, Serialize)]
pub struct InspectMetadata {
    #[serde(rename = "LastTagTime")]
    pub last_tag_time: String,
}

/// One element of `docker image inspect`'s array.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ImageInspect {
    pub id: Digest,
    pub repo_tags: Vec<String>,
    pub repo_digests: Vec<String>,
    pub parent: String,
    pub comment: String,
    pub created: String,
    pub docker_version: String,
    pub author: String,
    pub config: InspectConfig,
    pub architecture: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub variant: String,
    pub os: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub os_version: String,
    pub size: u64,
    pub graph_driver: GraphDriver,
    #[serde(rename = "RootFS")]
    pub root_fs: InspectRootFs,
    pub metadata: InspectMetadata,
}

/// The inspect object of a stored image.
pub fn inspect(store: &Store, id: &Digest) -> ImageResult<ImageInspect> {
    let rec = store.image(id)?;
    let cfg = store.config(id)?;
    let tags: Vec<String> = store.tags_of(id)?.iter().map(|r| r.familiar()).collect();
    Ok(inspect_config(id, &cfg, tags, rec.size, rec.last_tag_time.clone()))
}

/// The inspect object from its parts (`size`: bytes of file contents of all layers).
pub fn inspect_config(id: &Digest, cfg: &ImageConfig, mut tags: Vec<String>, size: u64, last_tag_time: Option<String>) -> ImageInspect {
    tags.sort();
    let comment = cfg.history.last().map(|h| h.comment.clone()).unwrap_or_default();
    ImageInspect {
        id: id.clone(),
        repo_tags: tags,
        repo_digests: Vec::new(),
        parent: String::new(),
        comment,
        created: cfg.created.clone().unwrap_or_else(|| ZERO_TIME.into()),
        docker_version: String::new(),
        author: cfg.author.clone(),
        config: InspectConfig::from(&cfg.config),
        architecture: cfg.architecture.clone(),
        variant: cfg.variant.clone(),
        os: cfg.os.clone(),
        os_version: cfg.os_version.clone(),
        size,
        graph_driver: GraphDriver { data: None, name: "dfplay".into() },
        root_fs: InspectRootFs { kind: cfg.rootfs.kind.clone(), layers: cfg.rootfs.diff_ids.clone() },
        metadata: InspectMetadata { last_tag_time: last_tag_time.unwrap_or_else(|| ZERO_TIME.into()) },
    }
}

/// `docker image inspect` output for several images: a JSON array, indented by four.
pub fn inspect_text(items: &[ImageInspect]) -> String {
    json::to_go_pretty(items)
}

/// One row of `docker history`, newest first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct HistoryRow {
    /// The image ID on the top row; `None` (`<missing>`) below.
    pub image: Option<Digest>,
    pub created: Option<String>,
    pub created_by: String,
    /// Bytes of file contents of the step's layer (0 for `empty_layer` steps).
    pub size: u64,
    pub comment: String,
    pub empty_layer: bool,
}

/// The history of a stored image, newest first, each layer step with its layer's size.
pub fn history(store: &Store, id: &Digest) -> ImageResult<Vec<HistoryRow>> {
    let cfg = store.config(id)?;
    let mut sizes = Vec::new();
    for d in &cfg.rootfs.diff_ids {
        sizes.push(store.layer(d)?.content_size);
    }
    Ok(history_rows(id, &cfg, &sizes))
}

/// History rows from a config and its layers' content sizes (bottom first).
pub fn history_rows(id: &Digest, cfg: &ImageConfig, layer_sizes: &[u64]) -> Vec<HistoryRow> {
    let mut layer = 0;
    let mut rows: Vec<HistoryRow> = Vec::new();
    for h in &cfg.history {
        let size = if h.empty_layer {
            0
        } else {
            layer += 1;
            layer_sizes.get(layer - 1).copied().unwrap_or(0)
        };
        rows.push(HistoryRow {
            image: None,
            created: h.created.clone(),
            created_by: h.created_by.clone(),
            size,
            comment: h.comment.clone(),
            empty_layer: h.empty_layer,
        });
    }
    rows.reverse();
    match rows.first_mut() {
        Some(top) => top.image = Some(id.clone()),
        None => rows.push(HistoryRow {
            image: Some(id.clone()),
            created: cfg.created.clone(),
            created_by: String::new(),
            size: 0,
            comment: String::new(),
            empty_layer: true,
        }),
    }
    rows
}

/// The `docker history` table. `now` is the current Unix time (for `… ago`);
/// `human: false` prints RFC 3339 times and byte counts, as `-H=false` does.
pub fn history_table(rows: &[HistoryRow], now: i64, no_trunc: bool, human: bool) -> String {
    let mut t = vec![vec!["IMAGE".to_string(), "CREATED".into(), "CREATED BY".into(), "SIZE".into(), "COMMENT".into()]];
    for r in rows {
        let image = match &r.image {
            Some(d) if no_trunc => d.to_string(),
            Some(d) => d.short().to_string(),
            None => "<missing>".into(),
        };
        let secs = r.created.as_deref().and_then(time::parse_rfc3339).map(|(s, _)| s).unwrap_or(i64::MIN);
        let created = if human {
            if secs == i64::MIN {
                "N/A".into()
            } else {
                time::ago(secs, now)
            }
        } else {
            r.created.clone().unwrap_or_default()
        };
        let by = r.created_by.replace('\t', " ");
        let by = if no_trunc { by } else { ellipsis(&by, 45) };
        let size = if human { human_size(r.size) } else { r.size.to_string() };
        t.push(vec![image, created, by, size, r.comment.clone()]);
    }
    tabwrite(&t)
}

/// The `docker images` table (`quiet`: only the IDs, one per image).
pub fn images_table(list: &[ImageSummary], now: i64, no_trunc: bool, quiet: bool) -> String {
    let id_of = |d: &Digest| if no_trunc { d.to_string() } else { d.short().to_string() };
    if quiet {
        let mut out = String::new();
        for s in list {
            out.push_str(&id_of(&s.record.id));
            out.push('\n');
        }
        return out;
    }
    let mut t = vec![vec!["REPOSITORY".to_string(), "TAG".into(), "IMAGE ID".into(), "CREATED".into(), "SIZE".into()]];
    for s in list {
        let created = s
            .record
            .created
            .as_deref()
            .and_then(time::parse_rfc3339)
            .map(|(c, _)| time::ago(c, now))
            .unwrap_or_else(|| "N/A".into());
        let size = human_size(s.record.size);
        if s.tags.is_empty() {
            t.push(vec!["<none>".into(), "<none>".into(), id_of(&s.record.id), created.clone(), size.clone()]);
        }
        for r in &s.tags {
            t.push(vec![r.familiar_name(), r.tag_or_latest().to_string(), id_of(&s.record.id), created.clone(), size.clone()]);
        }
    }
    tabwrite(&t)
}

/// Go's `tabwriter` as the docker CLI sets it up (min width 10, padding 3):
/// every column but the last padded to its widest cell plus three.
pub fn tabwrite(rows: &[Vec<String>]) -> String {
    let cols = rows.iter().map(Vec::len).max().unwrap_or(0);
    let mut widths = vec![0usize; cols];
    for r in rows {
        for (i, c) in r.iter().enumerate() {
            widths[i] = widths[i].max(c.chars().count());
        }
    }
    let mut out = String::new();
    for r in rows {
        for (i, c) in r.iter().enumerate() {
            out.push_str(c);
            if i + 1 < r.len() {
                let w = (widths[i] + 3).max(10);
                out.push_str(&" ".repeat(w - c.chars().count()));
            }
        }
        out.push('\n');
    }
    out
}

/// go-units' `HumanSizeWithPrecision(size, 3)`: `0B`, `7B`, `1.98MB`, `123kB`.
pub fn human_size(bytes: u64) -> String {
    const UNITS: [&str; 9] = ["B", "kB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB"];
    let mut size = bytes as f64;
    let mut i = 0;
    while size >= 1000.0 && i < UNITS.len() - 1 {
        size /= 1000.0;
        i += 1;
    }
    format!("{}{}", go_g(size, 3), UNITS[i])
}

/// Go's `%.<prec>g` for a non-negative finite number.
fn go_g(x: f64, prec: usize) -> String {
    if x == 0.0 {
        return "0".into();
    }
    let e_form = format!("{:.*e}", prec - 1, x); // "1.98e6"
    let (mant, exp) = e_form.split_once('e').unwrap_or((&e_form, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let trim = |s: &str| -> String {
        if s.contains('.') {
            s.trim_end_matches('0').trim_end_matches('.').to_string()
        } else {
            s.to_string()
        }
    };
    if exp < -4 || exp >= prec as i32 {
        let sign = if exp < 0 { '-' } else { '+' };
        format!("{}e{sign}{:02}", trim(mant), exp.abs())
    } else {
        let decimals = (prec as i32 - 1 - exp).max(0) as usize;
        trim(&format!("{x:.decimals$}"))
    }
}

/// The docker CLI's `Ellipsis`: at most `max` display columns, `…` at the cut.
pub fn ellipsis(s: &str, max: usize) -> String {
    let chars: Vec<char> = s.chars().collect();
    let widths: Vec<usize> = chars.iter().map(|&c| char_width(c)).collect();
    let total: usize = widths.iter().sum();
    if total <= max {
        return s.to_string();
    }
    let mut out = String::new();
    let mut w = 0;
    for (c, cw) in chars.iter().zip(&widths) {
        if w + cw > max - 1 {
            break;
        }
        w += cw;
        out.push(*c);
    }
    out.push('…');
    out
}

/// Display width of a character (East Asian wide and fullwidth are 2, combining marks 0).
fn char_width(c: char) -> usize {
    let u = c as u32;
    if u == 0 || (0x300..=0x36f).contains(&u) || (0x200b..=0x200f).contains(&u) {
        return 0;
    }
    let wide = (0x1100..=0x115f).contains(&u)
        || (0x2e80..=0xa4cf).contains(&u)
        || (0xac00..=0xd7a3).contains(&u)
        || (0xf900..=0xfaff).contains(&u)
        || (0xfe30..=0xfe4f).contains(&u)
        || (0xff00..=0xff60).contains(&u)
        || (0xffe0..=0xffe6).contains(&u)
        || (0x1f300..=0x1f64f).contains(&u)
        || (0x1f900..=0x1f9ff).contains(&u)
        || (0x20000..=0x3fffd).contains(&u);
    if wide {
        2
    } else {
        1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_like_go_units() {
        assert_eq!(human_size(0), "0B");
        assert_eq!(human_size(7), "7B");
        assert_eq!(human_size(1_982_318), "1.98MB");
        assert_eq!(human_size(1000), "1kB");
        assert_eq!(human_size(123_456), "123kB");
        assert_eq!(human_size(999_999), "1e+03kB");
        assert_eq!(human_size(1_500), "1.5kB");
    }

    #[test]
    fn ellipsis_like_docker() {
        let s = "RUN |1 X=y /bin/sh -ec echo shell form $X # buildkit";
        assert_eq!(ellipsis(s, 45), "RUN |1 X=y /bin/sh -ec echo shell form $X # …");
        assert_eq!(ellipsis("short", 45), "short");
    }
}
