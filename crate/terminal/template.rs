//! The part of Go's `text/template` that `docker … --format` users type:
//! `{{.Field}}`, `{{.A.B}}`, `{{.}}`, `{{json .X}}`, `{{lower .X}}`/`{{upper .X}}`,
//! `{{println}}`-free text, and the `table` prefix (header row, tab-aligned columns).
//! Values print as Go's `fmt` prints them: maps as `map[k:v]` (sorted), lists as
//! `[a b]`, a missing field as `<no value>`.
//!
//! Invariant: pure text in, text out; anything else in `{{ }}` is an error with the
//! docker CLI's wording (`template parsing error: …`), never a panic.

use serde_json::Value;

/// A parsed `--format` value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Template {
    /// `table …`: a header row, columns aligned as `docker images` aligns them.
    pub table: bool,
    parts: Vec<Part>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Part {
    Text(String),
    /// A function (`json`, `lower`, `upper`, or none) applied to a field path.
    Field { func: Option<String>, path: Vec<String> },
}

const FUNCS: &[&str] = &["json", "lower", "upper", "title"];

impl Template {
    /// Parses a format; `\t` and `\n` written as two characters become a tab and a
    /// newline, as the docker CLI does.
    pub fn parse(format: &str) -> Result<Template, String> {
        let (table, body) = match format.strip_prefix("table") {
            Some(rest) if rest.is_empty() || rest.starts_with(char::is_whitespace) => (true, rest.trim_start()),
            _ => (false, format),
        };
        let body = body.replace("\\t", "\t").replace("\\n", "\n");
        let mut parts = Vec::new();
        let mut rest = body.as_str();
        while let Some(open) = rest.find("{{") {
            if open > 0 {
                parts.push(Part::Text(rest[..open].to_string()));
            }
            let after = &rest[open + 2..];
            let close = after.find("}}").ok_or_else(|| "template parsing error: template: :1: unclosed action".to_string())?;
            let action = after[..close].trim().trim_start_matches('-').trim_end_matches('-').trim();
            parts.push(parse_action(action)?);
            rest = &after[close + 2..];
        }
        if !rest.is_empty() {
            parts.push(Part::Text(rest.to_string()));
        }
        Ok(Template { table, parts })
    }

    /// The text for one value (a row of `docker images`, an inspect object).
    pub fn render(&self, value: &Value) -> String {
        let mut out = String::new();
        for p in &self.parts {
            match p {
                Part::Text(t) => out.push_str(t),
                Part::Field { func, path } => {
                    let v = lookup(value, path);
                    let s = match func.as_deref() {
                        Some("json") => v.map(|v| serde_json::to_string(v).unwrap_or_default()).unwrap_or_else(|| "null".into()),
                        Some("lower") => v.map(go_print).unwrap_or_default().to_lowercase(),
                        Some("upper") => v.map(go_print).unwrap_or_default().to_uppercase(),
                        Some("title") => title(&v.map(go_print).unwrap_or_default()),
                        _ => v.map(go_print).unwrap_or_else(|| "<no value>".into()),
                    };
                    out.push_str(&s);
                }
            }
        }
        out
    }

    /// The header row of a `table` format: each field's name in capitals, as the
    /// docker CLI names its columns (`{{.ID}}` → `IMAGE ID` through `headers`).
    pub fn header(&self, headers: &[(&str, &str)]) -> String {
        let mut out = String::new();
        for p in &self.parts {
            match p {
                Part::Text(t) => out.push_str(t),
                Part::Field { path, .. } => {
                    let name = path.join(".");
                    let h = headers.iter().find(|(k, _)| *k == name).map(|(_, h)| h.to_string()).unwrap_or_else(|| name.to_uppercase());
                    out.push_str(&h);
                }
            }
        }
        out
    }
}

fn parse_action(action: &str) -> Result<Part, String> {
    let words: Vec<&str> = action.split_whitespace().collect();
    let bad = || format!("template parsing error: template: :1: function \"{}\" not defined", words.first().copied().unwrap_or(""));
    let (func, arg) = match words.as_slice() {
        [arg] if arg.starts_with('.') => (None, *arg),
        [f, arg] if FUNCS.contains(f) && arg.starts_with('.') => (Some(f.to_string()), *arg),
        [] => return Err("template parsing error: template: :1: missing value for command".into()),
        _ => return Err(bad()),
    };
    let path: Vec<String> = arg.trim_start_matches('.').split('.').filter(|s| !s.is_empty()).map(String::from).collect();
    Ok(Part::Field { func, path })
}

fn lookup<'a>(value: &'a Value, path: &[String]) -> Option<&'a Value> {
    let mut v = value;
    for k in path {
        v = v.as_object()?.get(k)?;
    }
    Some(v)
}

fn title(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

/// A value as Go's `fmt.Print` shows it.
pub fn go_print(v: &Value) -> String {
    match v {
        Value::Null => "<nil>".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => s.clone(),
        Value::Array(a) => format!("[{}]", a.iter().map(go_print).collect::<Vec<_>>().join(" ")),
        Value::Object(m) => {
            let mut keys: Vec<&String> = m.keys().collect();
            keys.sort();
            format!("map[{}]", keys.iter().map(|k| format!("{k}:{}", go_print(&m[*k]))).collect::<Vec<_>>().join(" "))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn fields_functions_and_go_printing() {
        let v = json!({"ID": "abc", "Config": {"Labels": {"purpose": "practice", "a": "b"}, "Cmd": ["cat", "/x"], "Env": null}});
        let t = Template::parse("{{.ID}} {{.Config.Labels}} {{.Config.Cmd}} {{json .Config.Labels}} {{.Nope}} {{upper .ID}}").unwrap();
        assert_eq!(t.render(&v), "abc map[a:b purpose:practice] [cat /x] {\"a\":\"b\",\"purpose\":\"practice\"} <no value> ABC");
        assert!(!t.table);
    }

    #[test]
    fn tables_and_escapes() {
        let t = Template::parse("table {{.Repository}}\\t{{.ID}}").unwrap();
        assert!(t.table);
        assert_eq!(t.header(&[("ID", "IMAGE ID")]), "REPOSITORY\tIMAGE ID");
        assert_eq!(t.render(&json!({"Repository": "r", "ID": "i"})), "r\ti");
    }

    #[test]
    fn errors_in_docker_words() {
        assert!(Template::parse("{{.ID").unwrap_err().contains("unclosed action"));
        assert!(Template::parse("{{frob .ID}}").unwrap_err().contains("function \"frob\" not defined"));
        assert!(Template::parse("{{}}").is_err());
    }
}
