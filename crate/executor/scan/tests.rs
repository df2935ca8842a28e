use super::*;
use crate::executor::program::{Action, Part, Stream};
use proptest::prelude::*;

fn out(parts: &[Part]) -> String {
    parts
        .iter()
        .map(|p| match p {
            Part::Text { v } => v.clone(),
            Part::Env { name, default, .. } => format!("${name}{}", default.as_ref().map(|d| format!(":-{d}")).unwrap_or_default()),
            Part::Arg { n, .. } => format!("$argv{n}"),
            Part::LogTime => "TIME ".into(),
            Part::Expr { src } => format!("<{src}>"),
        })
        .collect()
}

/// The actions as lines: `out: …`, `err: …`, `listen …`, `exit N`.
fn story(lang: Lang, src: &str) -> Vec<String> {
    analyze(lang, src, "8080")
        .actions
        .iter()
        .map(|a| match a {
            Action::Print { to: Stream::Out, parts } => format!("out: {}", out(parts)),
            Action::Print { to: Stream::Err, parts } => format!("err: {}", out(parts)),
            Action::Listen { addr, blocks, .. } => format!("listen {}{}", out(addr), if *blocks { " (blocks)" } else { "" }),
            Action::Exit { code } => format!("exit {code}"),
        })
        .collect()
}

#[test]
fn go_hello_world_from_the_seed() {
    let src = "package main\nimport \"fmt\"\nfunc main() {\n\n    fmt.Println(\"hello world\")\n\n}\n";
    let a = analyze(Lang::Go, src, "");
    assert!(a.has_main);
    assert_eq!(a.package.as_deref(), Some("main"));
    assert_eq!(a.imports, ["fmt"]);
    assert_eq!(story(Lang::Go, src), ["out: hello world\n"]);
}

#[test]
fn go_image_gallery_reads_env_then_serves() {
    let src = r#"package main

import (
	"fmt"
	"net/http"
	"os"
)

func main() {
	http.Handle("/", http.FileServer(http.Dir(".")))
	fmt.Println("image gallery using", os.Getenv("IMAGE_API_URL"), "and", os.Getenv("ACCESS_API_URL"))
	http.ListenAndServe(":80", nil)
	fmt.Println("never")
}
"#;
    let a = analyze(Lang::Go, src, "");
    assert_eq!(a.imports, ["fmt", "net/http", "os"]);
    assert_eq!(story(Lang::Go, src), ["out: image gallery using $IMAGE_API_URL and $ACCESS_API_URL\n", "listen :80 (blocks)"]);
}

#[test]
fn go_skips_handlers_and_error_branches_and_follows_calls() {
    let src = r#"package main
import ("fmt"; "log"; "net/http"; "os")
var greeting = "hi"
const port = ":8080"
func handler(w http.ResponseWriter, r *http.Request) { fmt.Println("request!") }
func setup() { fmt.Printf("%s from %s, %d%%\n", greeting, os.Getenv("NAME"), 100) }
func main() {
	setup()
	if len(os.Args) > 1 { fmt.Println("args") } else { os.Exit(3) }
	for i := 0; i < 3; i++ { fmt.Println(i) }
	http.HandleFunc("/", handler)
	http.HandleFunc("/x", func(w http.ResponseWriter, r *http.Request) { fmt.Println("x") })
	addr := port
	log.Printf("listening on %s", addr)
	log.Fatal(http.ListenAndServe(addr, nil))
}
"#;
    assert_eq!(story(Lang::Go, src), ["out: hi from $NAME, 100%\n", "err: TIME listening on :8080\n", "listen :8080 (blocks)"]);
}

#[test]
fn go_missing_main_and_package_facts() {
    let a = analyze(Lang::Go, "package util\nfunc Helper() {}\n", "");
    assert!(!a.has_main);
    assert_eq!(a.package.as_deref(), Some("util"));
    let a = analyze(Lang::Go, "// comment\n\nimport \"fmt\"\n", "");
    assert_eq!(a.first, Some(("'import'".to_string(), false, 3, 1)));
    let a = analyze(Lang::Go, "", "");
    assert_eq!(a.first, None);
    let a = analyze(Lang::Go, "hello world", "");
    assert_eq!(a.first, Some(("hello".to_string(), false, 1, 1)));
}

#[test]
fn go_server_struct_and_exit() {
    let src = "package main\nimport (\"net/http\"; \"os\"; \"fmt\")\nfunc main() {\n srv := &http.Server{Addr: \":9000\"}\n fmt.Fprintln(os.Stderr, \"starting\")\n srv.ListenAndServe()\n}\n";
    assert_eq!(story(Lang::Go, src), ["err: starting\n", "listen :9000 (blocks)"]);
    let src = "package main\nimport \"os\"\nfunc main() { println(\"bye\"); os.Exit(4) }\n";
    assert_eq!(story(Lang::Go, src), ["err: bye\n", "exit 4"]);
}

#[test]
fn node_access_log_server_from_the_examples() {
    let src = r#"const restify = require('restify');
let count = 0;
const server = restify.createServer();
server.get('/access-log', (req, res, next) => { res.send({ logs: count }); next(); });
server.post('/access-log', (req, res, next) => { count++; res.send(201); next(); });
server.listen(80, () => console.log('access-log listening on :80'));
"#;
    let a = analyze(Lang::Js, src, "");
    assert_eq!(a.imports, ["restify"]);
    assert_eq!(story(Lang::Js, src), ["listen 80", "out: access-log listening on :80\n"]);
}

#[test]
fn node_env_defaults_templates_and_formats() {
    let src = r#"import express from "express";
const app = express();
const port = process.env.PORT || 3000;
const name = process.env["NAME"];
function main() {
  console.log(`starting ${name} on ${port}`);
  console.error("%s has %d items", 'cart', 3, 'extra');
}
if (process.env.DEBUG) { console.log("debug"); }
main();
app.get("/", function (req, res) { console.log("hit"); });
app.listen(port, () => {
  console.log(`Example app listening on port ${port}`)
})
"#;
    let a = analyze(Lang::Js, src, "");
    assert_eq!(a.imports, ["express"]);
    assert_eq!(
        story(Lang::Js, src),
        ["out: starting $NAME on $PORT:-3000\n", "err: cart has 3 items extra\n", "listen $PORT:-3000", "out: Example app listening on port $PORT:-3000\n"]
    );
}

#[test]
fn node_exit_and_unknowns() {
    assert_eq!(story(Lang::Js, "console.log('a', foo(1), [1,2].length)\nprocess.exit(2)\nconsole.log('b')"), ["out: a <foo(1)> <[1,2].length>\n", "exit 2"]);
    assert_eq!(story(Lang::Js, "http.createServer((q, s) => s.end('x')).listen(8080)"), ["listen 8080"]);
}

#[test]
fn python_prints_flask_and_main_guard() {
    let src = r#"import os, sys
from flask import Flask
app = Flask(__name__)
PORT = int(os.environ.get("PORT", 5000))

@app.route("/")
def hello():
    print("request")
    return "Hello"

def main():
    print("starting", os.getenv("APP"), sep=", ")
    print(f"port={PORT}", file=sys.stderr)
    print("{} and {name}".format("a", name="b"), end="!\n")
    print("%s-%d" % ("x", 2))

if __name__ == "__main__":
    main()
    app.run(host="0.0.0.0", port=PORT)
    print("after")
"#;
    let a = analyze(Lang::Python, src, "");
    assert!(a.imports.contains(&"flask".to_string()) && a.imports.contains(&"os".to_string()) && a.imports.contains(&"sys".to_string()));
    assert_eq!(
        story(Lang::Python, src),
        [
            "out: starting, $APP\n",
            "err: port=$PORT:-5000\n",
            "out: a and b!\n",
            "out: x-2\n",
            "err:  * Serving Flask app 'app'\n * Debug mode: off\n",
            "listen 0.0.0.0:$PORT:-5000 (blocks)"
        ]
    );
}

#[test]
fn python_control_flow_is_skipped() {
    let src = "import sys\nfor i in range(3):\n    print(i)\nif len(sys.argv) > 1:\n    print('arg')\nelse:\n    print('none')\ntry:\n    print('ok')\nexcept Exception:\n    print('bad')\nprint('hello', sys.argv[1])\nsys.exit('boom')\n";
    assert_eq!(story(Lang::Python, src), ["out: ok\n", "out: hello $argv2\n", "err: boom\n", "exit 1"]);
}

#[test]
fn java_main_and_spring_boot() {
    let src = r#"package iotd;

public class Application {
    public static void main(String[] args) {
        System.out.println("image of the day service listening on :80");
    }
}
"#;
    let a = analyze(Lang::Java, src, "8080");
    assert!(a.has_main);
    assert_eq!(a.package.as_deref(), Some("iotd"));
    assert_eq!(a.classes, ["Application"]);
    assert_eq!(story(Lang::Java, src), ["out: image of the day service listening on :80\n"]);
    let spring = "package x;\nimport org.springframework.boot.SpringApplication;\n@SpringBootApplication\npublic class App {\n  public static void main(String[] args) throws Exception {\n    greet();\n    SpringApplication.run(App.class, args);\n  }\n  static void greet() { System.out.printf(\"hi %s%n\", System.getenv(\"USER\")); }\n}\n";
    let a = analyze(Lang::Java, spring, "80");
    assert!(a.spring_boot);
    assert_eq!(story(Lang::Java, spring), ["out: hi $USER\n", "listen 8080"]);
    assert_eq!(analyze(Lang::Java, spring, "80").actions.last(), Some(&Action::Listen { addr: vec![Part::text("80")], what: "a Spring Boot application (embedded Tomcat, HTTP)".into(), blocks: false }));
}

#[test]
fn c_printf_puts_and_return() {
    let src = "#include <stdio.h>\nint helper(void) { return 1; }\nint main(int argc, char **argv) {\n  printf(\"Hello, %s!\\n\", \"world\");\n  puts(\"done\");\n  if (argc > 1) { return 2; }\n  return 0;\n}\n";
    let a = analyze(Lang::C, src, "");
    assert!(a.has_main);
    assert_eq!(story(Lang::C, src), ["out: Hello, world!\n", "out: done\n", "exit 0"]);
}

#[test]
fn deep_nesting_and_huge_input_are_bounded() {
    let deep = format!("package main\nfunc main() {{ fmt.Println({}1{}) }}", "(".repeat(50_000), ")".repeat(50_000));
    let _ = analyze(Lang::Go, &deep, "");
    let deep_blocks = format!("{}{}", "{".repeat(50_000), "}".repeat(50_000));
    let _ = analyze(Lang::Js, &deep_blocks, "");
    let many = "console.log('x');\n".repeat(5_000);
    assert_eq!(analyze(Lang::Js, &many, "").actions.len(), 1_000);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]
    #[test]
    fn never_panics(src in "[a-z(){}\\[\\]\"'`$.,;:=+%#\\\\\n /*fPrintlnmaingo]{0,300}") {
        for lang in [Lang::Go, Lang::Js, Lang::Python, Lang::Java, Lang::C] {
            let _ = analyze(lang, &src, "80");
        }
    }

    #[test]
    fn never_panics_on_any_text(src in ".{0,200}") {
        for lang in [Lang::Go, Lang::Js, Lang::Python, Lang::Java, Lang::C] {
            let _ = analyze(lang, &src, "80");
        }
    }
}
