//! pom.xml for the simulated Maven: a small XML reader (elements, text, CDATA,
//! comments, entities; attributes and namespaces ignored) that reports the
//! first well-formedness error with its line and column the way Maven's parser
//! does, and the project model read from it (coordinates with parent
//! inheritance, `${property}` interpolation, dependencies, plugins, the main
//! class a manifest would name, Spring Boot, compiler release).
//!
//! Invariant: any input gives a model or an error in linear time; depth and
//! element counts are bounded; nothing panics.

/// An XML element: local name (prefix dropped), children, concatenated text, position.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Element {
    pub name: String,
    pub children: Vec<Element>,
    pub text: String,
    pub line: u32,
    pub col: u32,
}

impl Element {
    pub fn child(&self, name: &str) -> Option<&Element> {
        self.children.iter().find(|c| c.name == name)
    }
    pub fn children_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Element> + 'a {
        self.children.iter().filter(move |c| c.name == name)
    }
    /// Trimmed text of a child, if present and not empty.
    pub fn text_of(&self, name: &str) -> Option<String> {
        self.child(name).map(|c| c.text.trim().to_string()).filter(|t| !t.is_empty())
    }
    /// The first descendant called `name`, depth first.
    pub fn find(&self, name: &str) -> Option<&Element> {
        for c in &self.children {
            if c.name == name {
                return Some(c);
            }
            if let Some(f) = c.find(name) {
                return Some(f);
            }
        }
        None
    }
}

/// A well-formedness error: Maven's wording and where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct XmlError {
    pub message: String,
    pub line: u32,
    pub col: u32,
}

const MAX_DEPTH: usize = 256;
const MAX_ELEMENTS: usize = 100_000;

struct Reader<'a> {
    s: &'a [u8],
    src: &'a str,
    i: usize,
    line: u32,
    line_start: usize,
}

impl Reader<'_> {
    fn col(&self) -> u32 {
        (self.i - self.line_start) as u32 + 1
    }
    fn err(&self, message: String) -> XmlError {
        XmlError { message, line: self.line, col: self.col() }
    }
    fn bump(&mut self) {
        if self.s.get(self.i) == Some(&b'\n') {
            self.line += 1;
            self.line_start = self.i + 1;
        }
        self.i += 1;
    }
    fn starts(&self, p: &str) -> bool {
        self.s[self.i.min(self.s.len())..].starts_with(p.as_bytes())
    }
    /// Skips to just after `end`; false at end of input.
    fn skip_past(&mut self, end: &str) -> bool {
        while self.i < self.s.len() {
            if self.starts(end) {
                for _ in 0..end.len() {
                    self.bump();
                }
                return true;
            }
            self.bump();
        }
        false
    }
    fn name(&mut self) -> String {
        let start = self.i;
        while self.i < self.s.len() && !matches!(self.s[self.i], b' ' | b'\t' | b'\r' | b'\n' | b'>' | b'/' | b'=') {
            self.bump();
        }
        let raw = self.src.get(start..self.i).unwrap_or("");
        raw.rsplit(':').next().unwrap_or(raw).to_string()
    }
}

fn decode_entities(t: &str) -> String {
    if !t.contains('&') {
        return t.to_string();
    }
    let mut out = String::with_capacity(t.len());
    let mut rest = t;
    while let Some(p) = rest.find('&') {
        out.push_str(&rest[..p]);
        rest = &rest[p..];
        let end = rest.find(';').filter(|&e| e <= 10);
        let Some(e) = end else {
            out.push('&');
            rest = &rest[1..];
            continue;
        };
        let ent = &rest[1..e];
        let ch = match ent {
            "lt" => Some('<'),
            "gt" => Some('>'),
            "amp" => Some('&'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            _ if ent.starts_with("#x") => u32::from_str_radix(&ent[2..], 16).ok().and_then(char::from_u32),
            _ if ent.starts_with('#') => ent[1..].parse::<u32>().ok().and_then(char::from_u32),
            _ => None,
        };
        match ch {
            Some(c) => {
                out.push(c);
                rest = &rest[e + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Parses an XML document to its root element.
pub fn parse_xml(src: &str) -> Result<Element, XmlError> {
    let mut r = Reader { s: src.as_bytes(), src, i: 0, line: 1, line_start: 0 };
    let mut stack: Vec<Element> = Vec::new();
    let mut root: Option<Element> = None;
    let mut count = 0usize;
    while r.i < r.s.len() {
        if r.starts("<?") {
            if !r.skip_past("?>") {
                return Err(r.err("processing instruction started on line 1 and was not closed".into()));
            }
        } else if r.starts("<!--") {
            let (l, c) = (r.line, r.col());
            if !r.skip_past("-->") {
                return Err(r.err(format!("comment started on line {l} and column {c} was not closed")));
            }
        } else if r.starts("<![CDATA[") {
            let start = r.i + 9;
            if !r.skip_past("]]>") {
                return Err(r.err("CDATA section was not closed".into()));
            }
            if let Some(top) = stack.last_mut() {
                top.text.push_str(src.get(start..r.i - 3).unwrap_or(""));
            }
        } else if r.starts("<!") {
            if !r.skip_past(">") {
                return Err(r.err("markup declaration was not closed".into()));
            }
        } else if r.starts("</") {
            r.bump();
            r.bump();
            let name = r.name();
            while r.i < r.s.len() && r.s[r.i] != b'>' {
                r.bump();
            }
            if r.i >= r.s.len() {
                return Err(r.err(format!("expected > to finish end tag not EOF")));
            }
            r.bump();
            let Some(el) = stack.pop() else {
                return Err(r.err(format!("end tag name </{name}> found outside of the root element")));
            };
            if el.name != name {
                return Err(r.err(format!("end tag name </{name}> must match start tag name <{}> from line {}", el.name, el.line)));
            }
            match stack.last_mut() {
                Some(parent) => parent.children.push(el),
                None => root = Some(el),
            }
        } else if r.starts("<") {
            let (line, col) = (r.line, r.col());
            r.bump();
            let name = r.name();
            if name.is_empty() {
                return Err(r.err("start tag expected a name".into()));
            }
            // attributes are skipped, quotes respected
            let mut self_closing = false;
            loop {
                if r.i >= r.s.len() {
                    return Err(r.err(format!("start tag <{name}> from line {line} was not closed")));
                }
                match r.s[r.i] {
                    b'>' => {
                        r.bump();
                        break;
                    }
                    b'/' if r.s.get(r.i + 1) == Some(&b'>') => {
                        r.bump();
                        r.bump();
                        self_closing = true;
                        break;
                    }
                    q @ (b'"' | b'\'') => {
                        r.bump();
                        while r.i < r.s.len() && r.s[r.i] != q {
                            r.bump();
                        }
                        r.bump();
                    }
                    _ => r.bump(),
                }
            }
            if root.is_some() && stack.is_empty() {
                return Err(XmlError { message: "only whitespace content allowed after end of the root element".into(), line, col });
            }
            count += 1;
            if count > MAX_ELEMENTS || stack.len() >= MAX_DEPTH {
                return Err(XmlError { message: "document too large for the playground (elements or nesting)".into(), line, col });
            }
            let el = Element { name, children: Vec::new(), text: String::new(), line, col };
            if self_closing {
                match stack.last_mut() {
                    Some(parent) => parent.children.push(el),
                    None => root = Some(el),
                }
            } else {
                stack.push(el);
            }
        } else {
            let start = r.i;
            while r.i < r.s.len() && r.s[r.i] != b'<' {
                r.bump();
            }
            let t = src.get(start..r.i).unwrap_or("");
            match stack.last_mut() {
                Some(top) => top.text.push_str(&decode_entities(t)),
                None if !t.trim().is_empty() => {
                    let l = src[..start].matches('\n').count() as u32 + 1;
                    return Err(XmlError { message: "only whitespace content allowed before start tag and not ".to_string() + &t.trim().chars().take(1).collect::<String>(), line: l, col: 1 });
                }
                None => {}
            }
        }
    }
    if let Some(open) = stack.last() {
        return Err(r.err(format!("expected end tag </{}> to close start tag <{}> from line {}, parser stopped on END_TAG seen ...", open.name, open.name, open.line)));
    }
    root.ok_or_else(|| XmlError { message: "no root element".into(), line: 1, col: 1 })
}

/// Maven coordinates of a dependency or plugin.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Artifact {
    pub group_id: String,
    pub artifact_id: String,
    pub version: String,
    pub scope: String,
    pub kind: String,
    pub line: u32,
    pub col: u32,
}

/// The project model the simulation uses.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Pom {
    pub group_id: String,
    pub artifact_id: String,
    pub version: String,
    pub packaging: String,
    pub name: String,
    pub parent: Option<Artifact>,
    pub dependencies: Vec<Artifact>,
    pub plugins: Vec<Artifact>,
    pub modules: Vec<String>,
    /// The main class a manifest would name (jar/shade/assembly plugin configuration).
    pub main_class: Option<String>,
    pub final_name: Option<String>,
    /// `project.build.sourceEncoding`.
    pub encoding: Option<String>,
    /// The Spring Boot version when the project uses the Spring Boot plugin or parent.
    pub spring_boot: Option<String>,
    pub properties: Vec<(String, String)>,
}

/// A model problem: Maven's message and where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ModelError {
    pub message: String,
    pub line: u32,
    pub col: u32,
}

/// Either the document is not XML (FATAL) or the model is invalid (ERROR).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PomError {
    NotParseable(XmlError),
    Invalid(Vec<ModelError>),
}

fn interpolate(s: &str, props: &[(String, String)], depth: u32) -> String {
    if !s.contains("${") || depth > 8 {
        return s.to_string();
    }
    let mut out = String::new();
    let mut rest = s;
    while let Some(p) = rest.find("${") {
        out.push_str(&rest[..p]);
        let after = &rest[p + 2..];
        match after.find('}') {
            Some(e) => {
                let key = &after[..e];
                match props.iter().rev().find(|(k, _)| k == key) {
                    Some((_, v)) => out.push_str(&interpolate(v, props, depth + 1)),
                    None => {
                        out.push_str("${");
                        out.push_str(key);
                        out.push('}');
                    }
                }
                rest = &after[e + 1..];
            }
            None => {
                out.push_str(&rest[p..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

fn artifact(el: &Element, props: &[(String, String)]) -> Artifact {
    let t = |n: &str| el.text_of(n).map(|v| interpolate(&v, props, 0)).unwrap_or_default();
    Artifact { group_id: t("groupId"), artifact_id: t("artifactId"), version: t("version"), scope: t("scope"), kind: t("type"), line: el.line, col: el.col }
}

/// Reads a pom.xml.
pub fn parse_pom(src: &str) -> Result<Pom, PomError> {
    let root = parse_xml(src).map_err(PomError::NotParseable)?;
    if root.name != "project" {
        return Err(PomError::NotParseable(XmlError { message: format!("Unrecognised tag: '{}' (position: START_TAG seen <{}>...)", root.name, root.name), line: root.line, col: root.col }));
    }
    let parent = root.child("parent").map(|p| artifact(p, &[]));
    let raw = |n: &str| root.text_of(n);
    let mut props: Vec<(String, String)> = Vec::new();
    if let Some(p) = root.child("properties") {
        for c in &p.children {
            props.push((c.name.clone(), c.text.trim().to_string()));
        }
    }
    let group_id = raw("groupId").or_else(|| parent.as_ref().map(|p| p.group_id.clone()).filter(|g| !g.is_empty()));
    let version = raw("version").or_else(|| parent.as_ref().map(|p| p.version.clone()).filter(|v| !v.is_empty()));
    let artifact_id = raw("artifactId");
    for (k, v) in [("project.groupId", &group_id), ("project.version", &version), ("project.artifactId", &artifact_id), ("pom.version", &version)] {
        if let Some(v) = v {
            props.push((k.to_string(), v.clone()));
        }
    }
    if let Some(p) = &parent {
        props.push(("project.parent.version".into(), p.version.clone()));
    }
    let mut errors = Vec::new();
    let at = |name: &str| root.child(name).map(|c| (c.line, c.col)).unwrap_or((root.line, root.col));
    if artifact_id.is_none() {
        let (line, col) = at("artifactId");
        errors.push(ModelError { message: "'artifactId' is missing.".into(), line, col });
    }
    if group_id.is_none() {
        let (line, col) = at("groupId");
        errors.push(ModelError { message: "'groupId' is missing.".into(), line, col });
    }
    if version.is_none() {
        let (line, col) = at("version");
        errors.push(ModelError { message: "'version' is missing.".into(), line, col });
    }
    let mut dependencies = Vec::new();
    let managed: Vec<Artifact> = root
        .child("dependencyManagement")
        .and_then(|d| d.child("dependencies"))
        .map(|d| d.children_named("dependency").map(|e| artifact(e, &props)).collect())
        .unwrap_or_default();
    let boot = parent.as_ref().filter(|p| p.artifact_id.starts_with("spring-boot")).map(|p| p.version.clone());
    if let Some(deps) = root.child("dependencies") {
        for d in deps.children_named("dependency") {
            let mut a = artifact(d, &props);
            if a.version.is_empty() {
                if let Some(m) = managed.iter().find(|m| m.group_id == a.group_id && m.artifact_id == a.artifact_id) {
                    a.version = m.version.clone();
                } else if let Some(b) = boot.as_ref().filter(|_| a.group_id.starts_with("org.springframework") || a.group_id.starts_with("io.micrometer")) {
                    // the Spring Boot parent manages these
                    a.version = b.clone();
                } else if boot.is_some() {
                    a.version = "managed".into();
                } else {
                    errors.push(ModelError {
                        message: format!("'dependencies.dependency.version' for {}:{}:{} is missing.", a.group_id, a.artifact_id, if a.kind.is_empty() { "jar" } else { &a.kind }),
                        line: d.line,
                        col: d.col,
                    });
                }
            }
            if a.group_id.is_empty() || a.artifact_id.is_empty() {
                errors.push(ModelError { message: "'dependencies.dependency.artifactId' is missing.".into(), line: d.line, col: d.col });
                continue;
            }
            dependencies.push(a);
        }
    }
    if !errors.is_empty() {
        return Err(PomError::Invalid(errors));
    }
    let build = root.child("build");
    let plugins: Vec<Artifact> = build
        .and_then(|b| b.child("plugins"))
        .map(|p| p.children_named("plugin").map(|e| artifact(e, &props)).collect())
        .unwrap_or_default();
    let plugin_els: Vec<&Element> = build.and_then(|b| b.child("plugins")).map(|p| p.children_named("plugin").collect()).unwrap_or_default();
    let main_class = plugin_els.iter().find_map(|p| p.find("mainClass")).map(|m| interpolate(m.text.trim(), &props, 0)).filter(|m| !m.is_empty()).or_else(|| props.iter().find(|(k, _)| k == "start-class" || k == "main.class" || k == "mainClass").map(|(_, v)| v.clone()));
    let spring_plugin = plugins.iter().find(|p| p.artifact_id == "spring-boot-maven-plugin");
    let spring_boot = spring_plugin.map(|p| if p.version.is_empty() { boot.clone().unwrap_or_else(|| "2.7.18".into()) } else { p.version.clone() });
    let packaging = raw("packaging").unwrap_or_else(|| "jar".into());
    let artifact_id = artifact_id.unwrap_or_default();
    Ok(Pom {
        name: raw("name").map(|n| interpolate(&n, &props, 0)).unwrap_or_else(|| artifact_id.clone()),
        group_id: interpolate(&group_id.unwrap_or_default(), &props, 0),
        version: interpolate(&version.unwrap_or_default(), &props, 0),
        artifact_id,
        packaging,
        parent,
        dependencies,
        plugins,
        modules: root.child("modules").map(|m| m.children_named("module").map(|c| c.text.trim().to_string()).collect()).unwrap_or_default(),
        main_class,
        final_name: build.and_then(|b| b.text_of("finalName")).map(|f| interpolate(&f, &props, 0)),
        encoding: props.iter().find(|(k, _)| k == "project.build.sourceEncoding").map(|(_, v)| v.clone()),
        spring_boot,
        properties: props,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const IOTD: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<project xmlns=\"http://maven.apache.org/POM/4.0.0\">\n  <modelVersion>4.0.0</modelVersion>\n  <groupId>iotd</groupId>\n  <artifactId>iotd-service</artifactId>\n  <version>0.1.0</version>\n  <packaging>jar</packaging>\n</project>\n";

    #[test]
    fn reads_the_image_of_the_day_pom() {
        let p = parse_pom(IOTD).unwrap();
        assert_eq!((p.group_id.as_str(), p.artifact_id.as_str(), p.version.as_str(), p.packaging.as_str(), p.name.as_str()), ("iotd", "iotd-service", "0.1.0", "jar", "iotd-service"));
        assert!(p.dependencies.is_empty() && p.main_class.is_none() && p.spring_boot.is_none());
    }

    #[test]
    fn spring_boot_parent_plugins_and_properties() {
        let src = r#"<project>
  <parent><groupId>org.springframework.boot</groupId><artifactId>spring-boot-starter-parent</artifactId><version>2.2.6.RELEASE</version></parent>
  <artifactId>iotd</artifactId>
  <name>Image of the day &amp; more</name>
  <properties><java.version>11</java.version><lib.version>1.2</lib.version></properties>
  <dependencies>
    <dependency><groupId>org.springframework.boot</groupId><artifactId>spring-boot-starter-web</artifactId></dependency>
    <dependency><groupId>com.x</groupId><artifactId>lib</artifactId><version>${lib.version}</version><scope>test</scope></dependency>
  </dependencies>
  <build><plugins><plugin><groupId>org.springframework.boot</groupId><artifactId>spring-boot-maven-plugin</artifactId></plugin></plugins></build>
</project>"#;
        let p = parse_pom(src).unwrap();
        assert_eq!(p.group_id, "org.springframework.boot");
        assert_eq!(p.version, "2.2.6.RELEASE");
        assert_eq!(p.name, "Image of the day & more");
        assert_eq!(p.dependencies[0].version, "2.2.6.RELEASE");
        assert_eq!(p.dependencies[1].version, "1.2");
        assert_eq!(p.dependencies[1].scope, "test");
        assert_eq!(p.spring_boot.as_deref(), Some("2.2.6.RELEASE"));
    }

    #[test]
    fn errors_say_where() {
        let e = parse_pom("<project>\n  <groupId>a</artifactId>\n</project>").unwrap_err();
        assert_eq!(e, PomError::NotParseable(XmlError { message: "end tag name </artifactId> must match start tag name <groupId> from line 2".into(), line: 2, col: 26 }));
        match parse_pom("<project>\n<groupId>g</groupId>\n</project>\n").unwrap_err() {
            PomError::Invalid(errs) => {
                assert_eq!(errs[0].message, "'artifactId' is missing.");
                assert_eq!(errs[1].message, "'version' is missing.");
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(parse_pom(""), Err(PomError::NotParseable(_))));
        assert!(matches!(parse_pom("<project><a>"), Err(PomError::NotParseable(_))));
        assert!(matches!(parse_pom("<settings/>"), Err(PomError::NotParseable(_))));
    }

    #[test]
    fn main_class_from_the_jar_plugin() {
        let src = "<project><groupId>g</groupId><artifactId>a</artifactId><version>1</version><build><plugins><plugin><artifactId>maven-jar-plugin</artifactId><configuration><archive><manifest><mainClass>g.Main</mainClass></manifest></archive></configuration></plugin></plugins></build></project>";
        assert_eq!(parse_pom(src).unwrap().main_class.as_deref(), Some("g.Main"));
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(500))]
        #[test]
        fn never_panics(src in "[<>/?!\\[\\]a-zA-Z\"' =&;#x0-9\n-]{0,200}") {
            let _ = parse_pom(&src);
        }
        #[test]
        fn never_panics_on_any_text(src in ".{0,200}") {
            let _ = parse_pom(&src);
        }
        #[test]
        fn never_panics_on_pom_shaped_text(body in "(<(groupId|artifactId|version|dependency|dependencies|parent|build|plugins|plugin|mainClass)>|</(groupId|artifactId|version|dependency|dependencies|parent|build|plugins|plugin|mainClass)>|[a-z0-9.${}]{1,5}){0,40}") {
            let _ = parse_pom(&format!("<project>{body}</project>"));
        }
    }
}
