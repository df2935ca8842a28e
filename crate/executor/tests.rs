//! Tests of the simulation on real stand-in images: the seeds' exact commands
//! (go build in diamol/golang and golang, mvn in diamol/maven, npm in
//! diamol/node, apt-get on ubuntu:14.04, `apachectl -DFOREGROUND`) and the
//! failure paths a learner meets.

use super::testkit::{Proc, T0};
use super::{program, zip, Simulation};
use crate::shell::proc::{standin_name, Natives};

const HELLO_GO: &str = "package main\nimport \"fmt\"\nfunc main() {\n\n    fmt.Println(\"hello world\")\n\n}\n";
const GALLERY_GO: &str = "package main\n\nimport (\n\t\"fmt\"\n\t\"net/http\"\n\t\"os\"\n)\n\nfunc main() {\n\thttp.Handle(\"/\", http.FileServer(http.Dir(\".\")))\n\tfmt.Println(\"image gallery using\", os.Getenv(\"IMAGE_API_URL\"), \"and\", os.Getenv(\"ACCESS_API_URL\"))\n\thttp.ListenAndServe(\":80\", nil)\n}\n";
const IOTD_POM: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<project xmlns=\"http://maven.apache.org/POM/4.0.0\">\n  <modelVersion>4.0.0</modelVersion>\n  <groupId>iotd</groupId>\n  <artifactId>iotd-service</artifactId>\n  <version>0.1.0</version>\n  <packaging>jar</packaging>\n</project>\n";
const IOTD_JAVA: &str = "package iotd;\n\npublic class Application {\n    public static void main(String[] args) {\n        System.out.println(\"image of the day service listening on :80\");\n    }\n}\n";
const ACCESS_LOG_PACKAGE: &str = "{\n  \"name\": \"access-log\",\n  \"version\": \"1.0.0\",\n  \"main\": \"server.js\",\n  \"dependencies\": {\n    \"restify\": \"^8.5.1\"\n  }\n}\n";
const ACCESS_LOG_SERVER: &str = "const restify = require('restify');\nlet count = 0;\nconst server = restify.createServer();\nserver.get('/access-log', (req, res, next) => { res.send({ logs: count }); next(); });\nserver.post('/access-log', (req, res, next) => { count++; res.send(201); next(); });\nserver.listen(80, () => console.log('access-log listening on :80'));\n";

fn standin(p: &Proc, path: &str) -> String {
    let data = p.fs.read(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    standin_name(&data).unwrap_or_else(|| panic!("{path} is not a stand-in")).to_string()
}

// ----- Go --------------------------------------------------------------------------

#[test]
fn image_gallery_go_build_writes_a_runnable_stand_in() {
    // FROM diamol/golang AS builder / COPY main.go . / RUN go build -o /server
    let mut p = Proc::image("diamol/golang");
    assert_eq!(p.cwd, "/go");
    p.put("main.go", GALLERY_GO);
    let o = p.run("go build -o /server").ok().labelled("go build -o /server: the playground has no Go compiler; writing a stand-in binary");
    assert_eq!(o.stdout, "");
    assert_eq!(o.err_body(), "");
    let st = p.fs.stat("/server").unwrap();
    assert_eq!(st.meta.mode, 0o755);
    assert_eq!(st.meta.mtime, T0);
    assert!(st.size > 6_000_000 && st.size < 9_000_000, "a net/http server is ~7 MB, got {}", st.size);
    assert_eq!(standin(&p, "/server"), "go-program");
    // the final stage: ENV IMAGE_API_URL=… ACCESS_API_URL=…, CMD ["/web/server"]
    let mut app = Proc::image("diamol/base");
    app.fs.mkdir_all("/web", 0o755).unwrap();
    app.fs.insert("/web/server", p.fs.get("/server", false).unwrap()).unwrap();
    app.setenv("IMAGE_API_URL", "http://iotd/image").setenv("ACCESS_API_URL", "http://accesslog/access-log").workdir("/web");
    let o = app.run("/web/server").ok().labelled("server: a Go program built by the simulated go build");
    assert_eq!(o.stdout, "image gallery using http://iotd/image and http://accesslog/access-log\n");
    assert!(o.stderr.contains("would now serve HTTP on port 80"), "{}", o.stderr);
}

#[test]
fn go_helloworld_builds_with_file_arguments_on_modern_golang() {
    // FROM golang / ADD main.go /root / WORKDIR /root / RUN go build -o /root/mainApp /root/main.go
    let mut p = Proc::image("golang");
    p.workdir("/root").put("/root/main.go", HELLO_GO);
    p.run("go build -o /root/mainApp /root/main.go").ok().labelled("go build");
    let st = p.fs.stat("/root/mainApp").unwrap();
    assert!(st.size > 1_800_000 && st.size < 2_100_000, "hello world is ~1.9 MB, got {}", st.size);
    let o = p.run("./mainApp").ok();
    assert_eq!(o.stdout, "hello world\n");
    // deterministic: the same source builds the same bytes
    let first = p.fs.read("/root/mainApp").unwrap();
    p.run("go build -o /root/mainApp /root/main.go").ok();
    assert_eq!(first, p.fs.read("/root/mainApp").unwrap());
}

#[test]
fn go_exercise_builds_into_a_relative_workdir() {
    // FROM diamol/golang / WORKDIR web / COPY index.html . / COPY main.go . / RUN go build -o /web/server
    let mut p = Proc::image("diamol/golang");
    p.cwd = "/".into();
    p.workdir("web").put("index.html", "<h1>gallery</h1>\n").put("main.go", GALLERY_GO);
    assert_eq!(p.cwd, "/web");
    p.run("go build -o /web/server").ok();
    assert_eq!(standin(&p, "/web/server"), "go-program");
}

#[test]
fn go_build_without_o_names_the_binary_as_go_does() {
    // GOPATH mode (Go 1.13) outside $GOPATH/src: the directory's name
    let mut p = Proc::image("diamol/golang");
    p.put("main.go", HELLO_GO);
    p.run("go build").ok();
    assert_eq!(standin(&p, "/go/go"), "go-program");
    // a file argument: the file's name
    p.run("go build main.go").ok();
    assert!(p.exists("/go/main"));
    // module mode: the module path's last element
    let mut m = Proc::image("golang");
    m.workdir("/src").put("main.go", HELLO_GO);
    m.run("go mod init example.com/hello").ok();
    assert_eq!(m.read("go.mod"), "module example.com/hello\n\ngo 1.27\n");
    m.run("go build").ok();
    assert!(m.exists("/src/hello"));
}

#[test]
fn go_build_errors_are_the_go_commands() {
    let mut p = Proc::image("diamol/golang");
    let o = p.run("go build -o /server").status(1);
    assert_eq!(o.err_body(), "can't load package: package .: no Go files in /go\n");
    let mut m = Proc::image("golang");
    m.put("main.go", HELLO_GO);
    let o = m.run("go build -o /server").status(1);
    assert_eq!(o.err_body(), "go: go.mod file not found in current directory or any parent directory; see 'go help modules'\n");
    let mut e = Proc::image("golang");
    e.workdir("/app").put("main.go", "");
    let o = e.run("go build -o /app/x /app/main.go").status(1);
    assert_eq!(o.err_body(), "/app/main.go:1:1: expected 'package', found 'EOF'\n");
    e.put("main.go", "hello there\n");
    let o = e.run("go build -o x main.go").status(1);
    assert_eq!(o.err_body(), "main.go:1:1: expected 'package', found hello\n");
    e.put("main.go", "package main\n\nimport \"fmt\"\n\nfunc helper() { fmt.Println(1) }\n");
    let o = e.run("go build -o x main.go").status(1);
    assert_eq!(o.err_body(), "# command-line-arguments\nruntime.main_main·f: function main is undeclared in the main package\n");
    assert!(!e.exists("x"));
    let o = e.run("go build -o x nothere.go").status(1);
    assert_eq!(o.err_body(), "stat nothere.go: no such file or directory\n");
    // a third-party import without its module
    let mut g = Proc::image("diamol/golang");
    g.put("main.go", "package main\nimport \"github.com/gorilla/mux\"\nfunc main() { mux.NewRouter() }\n");
    let o = g.run("go build -o /server").status(1);
    assert_eq!(o.err_body(), "main.go: cannot find package \"github.com/gorilla/mux\" in any of:\n\t/usr/local/go/src/github.com/gorilla/mux (from $GOROOT)\n\t/go/src/github.com/gorilla/mux (from $GOPATH)\n");
}

#[test]
fn go_modules_download_as_simulated_and_go_get_needs_the_network() {
    let mut p = Proc::image("golang");
    p.workdir("/app");
    p.put("go.mod", "module example.com/app\n\ngo 1.22\n\nrequire github.com/gorilla/mux v1.8.1\n");
    p.put("main.go", "package main\nimport (\n\t\"fmt\"\n\t\"github.com/gorilla/mux\"\n)\nfunc main() { _ = mux.NewRouter(); fmt.Println(\"ok\") }\n");
    p.run("go mod download").ok().labelled("go mod download");
    assert!(p.exists("/go/pkg/mod/github.com/gorilla/mux@v1.8.1/go.mod"));
    let o = p.run("go build -o /app/server .").ok();
    assert_eq!(o.err_body(), "", "already downloaded: nothing to say");
    assert_eq!(p.run("/app/server").ok().stdout, "ok\n");
    let o = p.run("go get github.com/pkg/errors").status(1);
    assert!(o.err_body().starts_with("go: module github.com/pkg/errors: Get \"https://proxy.golang.org/github.com/pkg/errors/@v/list\": dial tcp: lookup proxy.golang.org"), "{}", o.stderr);
    assert!(o.stderr.lines().last().unwrap().starts_with("(dfplay) the playground has no network"));
}

#[test]
fn go_version_env_run_and_test() {
    let mut p = Proc::image("diamol/golang");
    assert_eq!(p.run("go version").ok().stdout, "go version go1.13.15 linux/amd64\n");
    assert_eq!(p.run("go env GOPATH").ok().stdout, "/go\n");
    p.put("main.go", HELLO_GO);
    assert_eq!(p.run("go run main.go").ok().stdout, "hello world\n");
    assert_eq!(p.run("go test").ok().stdout, "?   \t_/go\t[no test files]\n".replace("_/go", "command-line-arguments"));
    assert_eq!(p.run("go frob").status(2).err_body(), "go frob: unknown command\nRun 'go help' for usage.\n");
}

// ----- Maven and Java ----------------------------------------------------------------

fn maven_project() -> Proc {
    let mut p = Proc::image("diamol/maven");
    p.workdir("/usr/src/iotd").put("pom.xml", IOTD_POM);
    p
}

#[test]
fn image_of_the_day_maven_build() {
    let mut p = maven_project();
    // RUN mvn -B dependency:go-offline
    let o = p.run("mvn -B dependency:go-offline").ok().labelled("mvn -B dependency:go-offline");
    let lines: Vec<&str> = o.stdout.lines().collect();
    assert_eq!(lines[0], "[INFO] Scanning for projects...");
    let header = format!("[INFO] {}< iotd:iotd-service >{}", "-".repeat(25), "-".repeat(26));
    assert!(lines.contains(&header.as_str()), "{}", o.stdout);
    assert!(lines.contains(&"[INFO] Building iotd-service 0.1.0"));
    assert!(lines.contains(&"[INFO] --------------------------------[ jar ]---------------------------------"));
    assert!(lines.contains(&"[INFO] --- maven-dependency-plugin:3.1.2:go-offline (default-cli) @ iotd-service ---"));
    assert!(lines.iter().any(|l| l.starts_with("[INFO] Downloaded from central: https://repo.maven.apache.org/maven2/org/apache/maven/plugins/maven-jar-plugin/2.4/maven-jar-plugin-2.4.jar (")));
    assert_eq!(&lines[lines.len() - 6..], [
        "[INFO] ------------------------------------------------------------------------",
        "[INFO] BUILD SUCCESS",
        "[INFO] ------------------------------------------------------------------------",
        lines[lines.len() - 3],
        lines[lines.len() - 2],
        "[INFO] ------------------------------------------------------------------------",
    ]);
    assert!(lines[lines.len() - 3].starts_with("[INFO] Total time:  ") && lines[lines.len() - 3].ends_with(" s"));
    assert!(lines[lines.len() - 2].starts_with("[INFO] Finished at: 2024-06-01T01:00:"));
    for f in ["org/apache/maven/plugins/maven-compiler-plugin/3.1/maven-compiler-plugin-3.1.jar", "org/apache/maven/plugins/maven-jar-plugin/2.4/_remote.repositories"] {
        assert!(p.exists(&format!("/root/.m2/repository/{f}")), "{f}");
    }
    // COPY . . / RUN mvn package
    p.put("src/main/java/iotd/Application.java", IOTD_JAVA);
    let o = p.run("mvn package").ok();
    assert!(!o.stdout.contains("Downloading"), "go-offline fetched everything:\n{}", o.stdout);
    for l in [
        "[INFO] --- maven-resources-plugin:2.6:resources (default-resources) @ iotd-service ---",
        "[INFO] skip non existing resourceDirectory /usr/src/iotd/src/main/resources",
        "[INFO] --- maven-compiler-plugin:3.1:compile (default-compile) @ iotd-service ---",
        "[INFO] Compiling 1 source file to /usr/src/iotd/target/classes",
        "[INFO] --- maven-surefire-plugin:2.12.4:test (default-test) @ iotd-service ---",
        "[INFO] No tests to run.",
        "[INFO] Building jar: /usr/src/iotd/target/iotd-service-0.1.0.jar",
        "[INFO] BUILD SUCCESS",
    ] {
        assert!(o.stdout.lines().any(|x| x == l), "missing {l:?} in\n{}", o.stdout);
    }
    assert!(p.exists("target/classes/iotd/Application.class"));
    let jar = p.fs.read("/usr/src/iotd/target/iotd-service-0.1.0.jar").unwrap();
    let names = zip::list(&jar).unwrap();
    for n in ["META-INF/MANIFEST.MF", "iotd/Application.class", "META-INF/maven/iotd/iotd-service/pom.xml", "META-INF/maven/iotd/iotd-service/pom.properties"] {
        assert!(names.iter().any(|x| x == n), "{n} in {names:?}");
    }
    // FROM diamol/openjdk / COPY --from=builder …jar . / ENTRYPOINT java -jar: this pom names no main class
    let mut app = Proc::image("diamol/openjdk");
    app.workdir("/app");
    app.fs.write("/app/iotd-service-0.1.0.jar", jar.to_vec(), 0o644).unwrap();
    let o = app.run("java -jar /app/iotd-service-0.1.0.jar").status(1);
    assert_eq!(o.err_body(), "no main manifest attribute, in /app/iotd-service-0.1.0.jar\n");
}

#[test]
fn a_jar_with_a_main_class_runs_what_main_prints() {
    let mut p = maven_project();
    p.put("pom.xml", &IOTD_POM.replace("</packaging>", "</packaging>\n  <build><plugins><plugin><artifactId>maven-jar-plugin</artifactId><configuration><archive><manifest><mainClass>iotd.Application</mainClass></manifest></archive></configuration></plugin></plugins></build>"));
    p.put("src/main/java/iotd/Application.java", IOTD_JAVA);
    p.run("mvn -B -q package").ok();
    let o = p.run("java -jar target/iotd-service-0.1.0.jar").ok().labelled("java -jar target/iotd-service-0.1.0.jar");
    assert_eq!(o.stdout, "image of the day service listening on :80\n");
    let manifest = String::from_utf8(zip::read(&p.fs.read("/usr/src/iotd/target/iotd-service-0.1.0.jar").unwrap(), "META-INF/MANIFEST.MF").unwrap()).unwrap();
    assert!(manifest.contains("Main-Class: iotd.Application\r\n"), "{manifest}");
}

#[test]
fn a_spring_boot_jar_says_where_tomcat_would_listen() {
    let mut p = maven_project();
    p.put(
        "pom.xml",
        "<project>\n  <parent><groupId>org.springframework.boot</groupId><artifactId>spring-boot-starter-parent</artifactId><version>2.2.6.RELEASE</version></parent>\n  <groupId>iotd</groupId><artifactId>iotd-service</artifactId><version>0.1.0</version>\n  <dependencies><dependency><groupId>org.springframework.boot</groupId><artifactId>spring-boot-starter-web</artifactId></dependency></dependencies>\n  <build><plugins><plugin><groupId>org.springframework.boot</groupId><artifactId>spring-boot-maven-plugin</artifactId></plugin></plugins></build>\n</project>\n",
    );
    p.put("src/main/java/iotd/Application.java", "package iotd;\nimport org.springframework.boot.SpringApplication;\nimport org.springframework.boot.autoconfigure.SpringBootApplication;\n@SpringBootApplication\npublic class Application {\n  public static void main(String[] args) { SpringApplication.run(Application.class, args); }\n}\n");
    p.put("src/main/resources/application.properties", "server.port=80\n");
    let o = p.run("mvn package").ok();
    assert!(o.stdout.contains("[INFO] --- spring-boot-maven-plugin:2.2.6.RELEASE:repackage (repackage) @ iotd-service ---"), "{}", o.stdout);
    assert!(o.stdout.contains("[INFO] Copying 1 resource\n"));
    let o = p.run("java -jar target/iotd-service-0.1.0.jar").ok();
    assert!(o.stdout.contains(" :: Spring Boot ::        (v2.2.6.RELEASE)"), "{}", o.stdout);
    assert!(o.stdout.contains("Tomcat started on port(s): 80 (http) with context path ''"), "{}", o.stdout);
    assert!(o.stderr.contains("would now serve HTTP on port 80"), "{}", o.stderr);
}

#[test]
fn maven_failures_are_mavens() {
    let mut p = Proc::image("diamol/maven");
    p.workdir("/x");
    let o = p.run("mvn package").status(1);
    assert!(o.stdout.contains("[INFO] BUILD FAILURE\n"));
    assert!(o.stdout.contains("[ERROR] The goal you specified requires a project to execute but there is no POM in this directory (/x). Please verify you invoked Maven from the correct directory. -> [Help 1]\n"), "{}", o.stdout);
    assert!(o.stdout.ends_with("[ERROR] [Help 1] http://cwiki.apache.org/confluence/display/MAVEN/MissingProjectException\n"));
    p.put("pom.xml", "<project>\n  <groupId>a</artifactId>\n</project>\n");
    let o = p.run("mvn -B package").status(1);
    assert!(o.stdout.contains("[FATAL] Non-parseable POM /x/pom.xml: end tag name </artifactId> must match start tag name <groupId> from line 2 @ line 2, column 26"), "{}", o.stdout);
    p.put("pom.xml", "<project><groupId>g</groupId><version>1</version></project>");
    let o = p.run("mvn -B package").status(1);
    assert!(o.stdout.contains("[ERROR] 'artifactId' is missing. @ line 1, column 1"), "{}", o.stdout);
    p.put("pom.xml", IOTD_POM);
    let o = p.run("mvn pakage").status(1);
    assert!(o.stdout.contains("[ERROR] Unknown lifecycle phase \"pakage\"."), "{}", o.stdout);
    // offline without go-offline first
    let o = p.run("mvn -o -B package").status(1);
    assert!(o.stdout.contains("Cannot access central (https://repo.maven.apache.org/maven2) in offline mode and the artifact org.apache.maven.plugins:maven-clean-plugin:jar:2.5 has not been downloaded from it before."), "{}", o.stdout);
    let o = p.run("mvn -v").ok();
    assert!(o.stdout.starts_with("Apache Maven 3.6.3 (cecedd343002696d0abb50b32b541b8a6ba2883f)\nMaven home: /usr/share/maven\nJava version: 11.0.7, vendor: Oracle Corporation, runtime: /usr/local/openjdk-11\n"), "{}", o.stdout);
}

#[test]
fn java_launcher_errors_and_version() {
    let mut p = Proc::image("diamol/openjdk");
    let o = p.run("java -jar x.jar").status(1);
    assert_eq!(o.err_body(), "Error: Unable to access jarfile x.jar\n");
    p.put("/bad.jar", "not a zip");
    assert_eq!(p.run("java -jar /bad.jar").status(1).err_body(), "Error: Invalid or corrupt jarfile /bad.jar\n");
    let o = p.run("java -version").ok();
    assert_eq!(o.err_body(), "openjdk version \"11.0.7\" 2020-04-14\nOpenJDK Runtime Environment 18.9 (build 11.0.7+10)\nOpenJDK 64-Bit Server VM 18.9 (build 11.0.7+10, mixed mode)\n");
    assert_eq!(p.run("java Main").status(1).err_body(), "Error: Could not find or load main class Main\nCaused by: java.lang.ClassNotFoundException: Main\n");
}

#[test]
fn javac_then_java_and_jar() {
    let mut p = Proc::image("openjdk");
    p.workdir("/src").put("Hello.java", "public class Hello {\n  public static void main(String[] a) { System.out.println(\"hi \" + System.getenv(\"WHO\")); }\n}\n");
    p.run("javac Hello.java").ok();
    assert!(p.exists("Hello.class"));
    p.setenv("WHO", "there");
    assert_eq!(p.run("java Hello").ok().stdout, "hi there\n");
    p.run("jar cfe app.jar Hello Hello.class").ok();
    assert_eq!(p.run("java -jar app.jar").ok().stdout, "hi there\n");
    assert_eq!(p.run("jar tf app.jar").ok().stdout, "META-INF/\nMETA-INF/MANIFEST.MF\nHello.class\n");
    assert_eq!(p.run("javac Nope.java").status(2).err_body(), "error: file not found: Nope.java\nUsage: javac <options> <source files>\nuse --help for a list of possible options\n");
}

// ----- npm and node -------------------------------------------------------------------

#[test]
fn access_log_npm_install_on_diamol_node() {
    // FROM diamol/node AS builder / WORKDIR /src / COPY src/package.json . / RUN npm install
    let mut p = Proc::image("diamol/node");
    p.workdir("/src").put("package.json", ACCESS_LOG_PACKAGE);
    let o = p.run("npm install").ok().labelled("npm install");
    assert_eq!(
        o.err_body(),
        "npm notice created a lockfile as package-lock.json. You should commit this file.\nnpm WARN access-log@1.0.0 No description\nnpm WARN access-log@1.0.0 No repository field.\nnpm WARN access-log@1.0.0 No license field.\n"
    );
    let lines: Vec<&str> = o.stdout.lines().collect();
    assert_eq!(lines[0], "");
    assert!(lines[1].starts_with("added 1 package from ") && lines[1].contains(" contributor") && lines[1].contains(" and audited 1 package in 1."), "{}", o.stdout);
    assert_eq!(lines[2], "found 0 vulnerabilities");
    let dep: serde_json::Value = serde_json::from_str(&p.read("node_modules/restify/package.json")).unwrap();
    assert_eq!(dep["version"], "8.5.1");
    let lock: serde_json::Value = serde_json::from_str(&p.read("package-lock.json")).unwrap();
    assert_eq!(lock["lockfileVersion"], 1);
    assert_eq!(lock["dependencies"]["restify"]["version"], "8.5.1");
    assert!(p.fs.walk("/root/.npm/_cacache").unwrap().len() > 3, "npm's cache stays in the layer");
    // a second install has nothing to add
    let o = p.run("npm install").ok();
    assert!(o.stdout.contains("up to date in "), "{}", o.stdout);
    // the app stage: WORKDIR /app, COPY --from=builder node_modules, COPY src/ .; CMD node server.js
    let mut app = Proc::image("diamol/node");
    app.workdir("/app").put("server.js", ACCESS_LOG_SERVER).put("package.json", ACCESS_LOG_PACKAGE);
    let o = app.run("node server.js").status(1);
    assert!(o.err_body().starts_with("internal/modules/cjs/loader.js:638\n    throw err;\n    ^\n\nError: Cannot find module 'restify'\n"), "{}", o.stderr);
    assert!(o.stderr.contains("at Object.<anonymous> (/app/server.js:1:17)"), "{}", o.stderr);
    app.fs.insert("/app/node_modules", p.fs.get("/src/node_modules", false).unwrap()).unwrap();
    let o = app.run("node server.js").ok();
    assert_eq!(o.stdout, "access-log listening on :80\n");
    assert!(o.stderr.contains("would now serve HTTP on port 80"));
}

#[test]
fn modern_npm_words_and_errors() {
    let mut p = Proc::image("node");
    p.workdir("/app");
    let o = p.run("npm install").status(254);
    assert!(o.err_body().starts_with("npm error code ENOENT\nnpm error syscall open\nnpm error path /app/package.json\nnpm error errno -2\nnpm error enoent Could not read package.json: Error: ENOENT: no such file or directory, open '/app/package.json'\n"), "{}", o.stderr);
    assert!(o.stderr.contains("npm error A complete log of this run can be found in: /root/.npm/_logs/2024-06-01T01_00_00_000Z-debug-0.log"), "{}", o.stderr);
    p.put("package.json", "{\"name\":\"web\",\"version\":\"2.0.0\",\"dependencies\":{\"express\":\"^4.19.2\"},\"devDependencies\":{\"nodemon\":\"^3.1.0\"},\"scripts\":{\"start\":\"node index.js\"}}");
    let o = p.run("npm ci").status(1);
    assert!(o.stderr.contains("npm error The `npm ci` command can only install with an existing package-lock.json or"));
    let o = p.run("npm install --omit=dev").ok();
    assert_eq!(o.stdout, "\nadded 1 package, and audited 2 packages in 1s\n\nfound 0 vulnerabilities\n");
    assert!(p.exists("node_modules/express") && !p.exists("node_modules/nodemon"));
    let o = p.run("npm ci").ok();
    assert_eq!(o.stdout, "\nadded 2 packages, and audited 3 packages in 1s\n\nfound 0 vulnerabilities\n");
    assert!(p.exists("node_modules/.bin/nodemon"));
    let lock: serde_json::Value = serde_json::from_str(&p.read("package-lock.json")).unwrap();
    assert_eq!(lock["lockfileVersion"], 3);
    assert_eq!(lock["packages"]["node_modules/express"]["version"], "4.19.2");
    // npm start runs the script through the shell
    let o = p.run("npm start").ok();
    assert_eq!(o.stdout, "\n> web@2.0.0 start\n> node index.js\n\n");
    assert_eq!(p.spawned.last().unwrap(), &["sh", "-c", "node index.js"]);
    let o = p.run("npm run build").status(1);
    assert!(o.stderr.contains("npm error Missing script: \"build\""));
    assert_eq!(p.run("node --version").ok().stdout, "v24.11.1\n");
    assert_eq!(p.run("npm --version").ok().stdout, "11.6.2\n");
    p.put("bad/package.json", "{\"name\": \"x\", }");
    p.workdir("bad");
    let o = p.run("npm install").status(1);
    assert!(o.stderr.contains("npm error code EJSONPARSE"), "{}", o.stderr);
}

#[test]
fn npm6_without_package_json_warns_and_succeeds() {
    let mut p = Proc::image("diamol/node");
    p.workdir("/src");
    let o = p.run("npm install").ok();
    assert!(o.err_body().starts_with("npm WARN saveError ENOENT: no such file or directory, open '/src/package.json'\n"), "{}", o.stderr);
    assert_eq!(o.stdout, "\nup to date in 0.389s\nfound 0 vulnerabilities\n\n");
}

#[test]
fn yarn_and_node_eval() {
    let mut p = Proc::image("diamol/node");
    p.workdir("/app").put("package.json", ACCESS_LOG_PACKAGE);
    let o = p.run("yarn install --production").ok();
    assert!(o.stdout.starts_with("yarn install v1.16.0\ninfo No lockfile found.\n[1/4] Resolving packages...\n"), "{}", o.stdout);
    assert!(p.read("yarn.lock").contains("\"restify@^8.5.1\":\n  version \"8.5.1\""));
    assert_eq!(p.run("node -e 'console.log(\"hi\", 1+1, x.y)'").ok().stdout, "hi 2 <x.y>\n");
    assert_eq!(p.run("node -p process.env.HOME").ok().stdout, "/root\n");
}

// ----- apt and dpkg -------------------------------------------------------------------

#[test]
fn apache_web_on_ubuntu_trusty() {
    let mut p = Proc::image("ubuntu:14.04");
    // without apt-get update the image has no package lists
    let o = p.run("apt-get install apache2 -y").status(100);
    assert_eq!(o.err_body(), "E: Unable to locate package apache2\n");
    assert_eq!(o.stdout, "Reading package lists...\nBuilding dependency tree...\nReading state information...\n");
    // RUN apt-get update
    let o = p.run("apt-get update").ok().labelled("apt-get update");
    assert!(o.stdout.starts_with("Get:1 "), "{}", o.stdout);
    assert!(o.stdout.ends_with("Reading package lists...\n"));
    assert!(p.fs.read_dir("/var/lib/apt/lists").unwrap().len() >= 2);
    // without -y a build cannot answer the question
    let o = p.run("apt-get install apache2").status(1);
    assert!(o.stdout.contains("The following extra packages will be installed:\n  apache2-bin apache2-data "), "{}", o.stdout);
    assert!(o.stdout.contains("The following NEW packages will be installed:\n  apache2 apache2-bin "), "{}", o.stdout);
    assert!(o.stdout.ends_with("Do you want to continue? [Y/n] Abort.\n"), "{}", o.stdout);
    assert!(!p.exists("/usr/sbin/apache2"));
    // RUN apt-get install apache2 -y
    let o = p.run("apt-get install apache2 -y").ok();
    assert!(o.stdout.contains("Setting up apache2 (2.4.7-1ubuntu4.22) ...\n"), "{}", o.stdout);
    assert!(o.stdout.contains("Unpacking apache2 (2.4.7-1ubuntu4.22) ...\n"));
    assert!(o.stderr.contains("debconf: unable to initialize frontend: Dialog"));
    assert_eq!(standin(&p, "/usr/sbin/apache2"), "apache2");
    assert_eq!(standin(&p, "/usr/sbin/apachectl"), "apache2ctl");
    assert!(p.read("/var/www/html/index.html").contains("<title>Apache2 Ubuntu Default Page: It works</title>"));
    assert!(p.fs.stat("/var/log/apache2").unwrap().is_dir());
    assert!(p.read("/var/lib/dpkg/status").contains("Package: apache2\nStatus: install ok installed\n"));
    let o = p.run("dpkg -l apache2").ok();
    assert!(o.stdout.lines().last().unwrap().starts_with("ii  apache2 "), "{}", o.stdout);
    assert!(p.run("dpkg -s apache2").ok().stdout.starts_with("Package: apache2\nStatus: install ok installed\n"));
    assert!(p.run("dpkg -L apache2").ok().stdout.contains("/etc/apache2/ports.conf\n"));
    let o = p.run("apt-get install -y apache2").ok();
    assert!(o.stdout.contains("apache2 is already the newest version.\n"));
    // ADD test.html /var/www/html; WORKDIR /var/www/html; CMD apachectl -DFOREGROUND
    p.put("/var/www/html/test.html", "test\nhello\n").workdir("/var/www/html");
    let o = p.run("apachectl -DFOREGROUND").ok().labelled("apachectl -DFOREGROUND");
    assert_eq!(
        o.err_body(),
        "AH00558: apache2: Could not reliably determine the server's fully qualified domain name, using 172.17.0.2. Set the 'ServerName' directive globally to suppress this message\n(simulated) Apache would now serve /var/www/html (index.html, test.html) on port 80 until the container stops; the playground runs no servers, so it exits here\n"
    );
    // the lists stay in the layer until removed
    p.fs.remove_all("/var/lib/apt/lists").unwrap();
    p.fs.mkdir("/var/lib/apt/lists", 0o755).unwrap();
    assert_eq!(p.run("apt-get install -y curl").status(100).err_body(), "E: Unable to locate package curl\n");
}

#[test]
fn apt_on_modern_debian_and_its_failure_paths() {
    let mut p = Proc::image("debian:bookworm");
    p.run("apt-get update").ok();
    let o = p.run("apt-get install -qq curl").ok();
    assert!(!o.stdout.contains("Reading package lists"), "-qq is quiet");
    assert_eq!(standin(&p, "/usr/bin/curl"), "curl");
    let o = p.run("apt-get install -y build-base").status(100);
    assert_eq!(o.err_body(), "E: Unable to locate package build-base\n");
    let o = p.run("apt-get install -y --no-install-recommends git").ok();
    assert!(o.stdout.contains("Recommended packages:\n  patch openssh-client\n"), "{}", o.stdout);
    assert!(o.stderr.contains("debconf: delaying package configuration, since apt-utils is not installed"));
    assert_eq!(p.run("apt list").status(100).err_body().lines().last().unwrap(), "E: Invalid operation list");
    p.uid = 1000;
    let o = p.run("apt-get install -y vim").status(100);
    assert!(o.err_body().ends_with("E: Unable to acquire the dpkg frontend lock (/var/lib/dpkg/lock-frontend), are you root?\n"), "{}", o.stderr);
    p.uid = 0;
    p.run("apt-get install -y vim").ok();
    assert_eq!(p.run("vim --version").ok().stdout, "");
    assert_eq!(p.run("dpkg-query -W -f '${Version}' curl").ok().stdout, "7.88.1-10+deb12u8");
    p.run("apt-get purge -y curl").ok();
    assert!(!p.exists("/usr/bin/curl"));
    assert_eq!(p.run("dpkg -s curl").status(1).err_body().lines().next().unwrap(), "dpkg-query: package 'curl' is not installed and no information is available");
}

// ----- apk ------------------------------------------------------------------------------

#[test]
fn apk_add_no_cache_and_virtual() {
    let mut p = Proc::image("alpine:3.20");
    let o = p.run("apk add --no-cache curl bash").ok().labelled("apk add --no-cache curl bash");
    let lines: Vec<&str> = o.stdout.lines().collect();
    assert_eq!(lines[0], "fetch https://dl-cdn.alpinelinux.org/alpine/v3.20/main/x86_64/APKINDEX.tar.gz");
    assert_eq!(lines[1], "fetch https://dl-cdn.alpinelinux.org/alpine/v3.20/community/x86_64/APKINDEX.tar.gz");
    assert!(lines.iter().any(|l| l.ends_with(" Installing curl (8.11.1-r0)")), "{}", o.stdout);
    assert!(lines.last().unwrap().starts_with("OK: ") && lines.last().unwrap().ends_with(" packages"));
    assert_eq!(standin(&p, "/bin/bash"), "bash");
    assert!(p.read("/etc/apk/world").lines().any(|l| l == "curl"));
    assert!(p.read("/lib/apk/db/installed").contains("P:curl\nV:8.11.1-r0\n"));
    assert!(p.fs.read_dir("/var/cache/apk").map(|e| e.is_empty()).unwrap_or(true), "--no-cache leaves no index");
    p.run("apk add git").ok();
    assert!(p.fs.read_dir("/var/cache/apk").unwrap().iter().any(|(n, _)| n.starts_with("APKINDEX.")), "without --no-cache the index stays");
    let o = p.run("apk add --no-cache build-essential").status(1);
    assert_eq!(o.err_body(), "ERROR: unable to select packages:\n  build-essential (no such package):\n    required by: world[build-essential]\n");
    p.run("apk add --no-cache --virtual .build-deps gcc make").ok();
    let world = p.read("/etc/apk/world");
    assert!(world.contains(".build-deps") && !world.lines().any(|l| l == "gcc"), "{world}");
    assert!(p.exists("/usr/bin/gcc"));
    p.run("apk del .build-deps").ok();
    assert!(!p.exists("/usr/bin/gcc"));
    let o = p.run("apk info").ok();
    assert!(o.stdout.lines().any(|l| l == "curl") && !o.stdout.lines().any(|l| l == "gcc"));
}

#[test]
fn apk_on_alpine_39_says_missing() {
    let mut p = Proc::image("diamol/base");
    let o = p.run("apk add --no-cache python3-pip").status(1);
    assert_eq!(o.err_body(), "ERROR: unable to select packages:\n  python3-pip (missing):\n    required by: world[python3-pip]\n");
    let o = p.run("apk add --update nodejs").ok();
    assert!(o.stdout.contains("Installing nodejs (10.19.0-r0)"));
    assert_eq!(p.run("node --version").ok().stdout, "v10.19.0\n");
}

// ----- Python -----------------------------------------------------------------------------

#[test]
fn pip_and_python_on_the_python_image() {
    let mut p = Proc::image("python:3-slim");
    p.workdir("/app").put("app.py", "import os\nfrom flask import Flask\napp = Flask(__name__)\nprint('starting on', os.environ.get('PORT', '5000'))\nif __name__ == '__main__':\n    app.run(host='0.0.0.0', port=5000)\n");
    let o = p.run("python3 app.py").status(1);
    assert_eq!(o.err_body(), "Traceback (most recent call last):\n  File \"/app/app.py\", line 2, in <module>\n    from flask import Flask\nModuleNotFoundError: No module named 'flask'\n");
    assert_eq!(p.run("pip install -r requirements.txt").status(1).err_body(), "ERROR: Could not open requirements file: [Errno 2] No such file or directory: 'requirements.txt'\n");
    p.put("requirements.txt", "flask==3.0.3\n# web\n");
    let o = p.run("pip install --no-cache-dir -r requirements.txt").ok();
    assert!(o.stdout.ends_with("Installing collected packages: flask\nSuccessfully installed flask-3.0.3\n"), "{}", o.stdout);
    assert!(o.stderr.contains("WARNING: Running pip as the 'root' user"));
    assert!(p.exists("/usr/local/lib/python3.14/site-packages/flask/__init__.py"));
    assert!(p.exists("/usr/local/lib/python3.14/site-packages/flask-3.0.3.dist-info/METADATA"));
    assert!(!p.exists("/root/.cache/pip"), "--no-cache-dir");
    p.run("pip install requests").ok();
    assert!(p.exists("/root/.cache/pip"));
    let o = p.run("python3 app.py").ok();
    assert_eq!(o.stdout, "starting on 5000\n");
    assert!(o.stderr.contains(" * Serving Flask app 'app'") && o.stderr.contains("Flask development server on 0.0.0.0 port 5000"), "{}", o.stderr);
    assert_eq!(p.run("python --version").ok().stdout, "Python 3.14.7\n");
    assert_eq!(p.run("python3 -c 'print(1, \"a\")'").ok().stdout, "1 a\n");
}

#[test]
fn pip_refuses_an_externally_managed_debian_python() {
    let mut p = Proc::image("debian:bookworm");
    p.run("apt-get update").ok();
    p.run("apt-get install -y python3 python3-pip").ok();
    let o = p.run("pip3 install flask").status(1);
    assert!(o.err_body().starts_with("error: externally-managed-environment\n"), "{}", o.stderr);
    p.run("pip3 install --break-system-packages flask").ok();
    assert!(p.exists("/usr/local/lib/python3.11/dist-packages/flask/__init__.py"));
}

// ----- servers ----------------------------------------------------------------------------

#[test]
fn nginx_image_serves_its_default_root() {
    let mut p = Proc::image("nginx");
    let o = p.run("nginx -g 'daemon off;'").ok().labelled("nginx -g 'daemon off;'");
    assert!(o.stderr.contains("[notice] 1#1: nginx/1.27.4\n"), "{}", o.stderr);
    assert!(o.stderr.ends_with("(simulated) nginx would now serve /usr/share/nginx/html (50x.html, index.html) on port 80 until the container stops; the playground runs no servers, so it exits here\n"), "{}", o.stderr);
    assert_eq!(p.run("nginx -t").ok().err_body(), "nginx: the configuration file /etc/nginx/nginx.conf syntax is ok\nnginx: configuration file /etc/nginx/nginx.conf test is successful\n");
    assert!(p.run("nginx").ok().stderr.contains("use nginx -g 'daemon off;'"));
    p.fs.remove_file("/etc/nginx/nginx.conf").unwrap();
    assert_eq!(p.run("nginx -g 'daemon off;'").status(1).err_body(), "nginx: [emerg] open() \"/etc/nginx/nginx.conf\" failed (2: No such file or directory)\n");
}

#[test]
fn httpd_image_and_debians_bare_apache2() {
    let mut p = Proc::image("httpd");
    let o = p.run("httpd -DFOREGROUND").ok();
    let err = o.err_body();
    assert_eq!(err.matches("AH00558: httpd: Could not reliably determine").count(), 2, "{err}");
    assert!(err.contains("[mpm_event:notice] [pid 1:tid 1] AH00489: Apache/2.4.68 (Unix) configured -- resuming normal operations"));
    assert!(err.contains("would now serve /usr/local/apache2/htdocs (index.html) on port 80"));
    let mut d = Proc::image("debian:bookworm");
    d.run("apt-get update").ok();
    d.run("apt-get install -y apache2").ok();
    let o = d.run("apache2 -DFOREGROUND").status(1);
    assert!(o.err_body().contains("AH00111: Config variable ${APACHE_RUN_DIR} is not defined"));
}

// ----- git, gcc, make ------------------------------------------------------------------------

#[test]
fn git_needs_the_network() {
    let mut p = Proc::image("golang");
    p.workdir("/src");
    let o = p.run("git clone https://github.com/sixeyed/diamol.git").status(128).labelled("git clone https://github.com/sixeyed/diamol.git");
    assert_eq!(
        o.err_body(),
        "Cloning into 'diamol'...\nfatal: unable to access 'https://github.com/sixeyed/diamol.git/': Could not resolve host: github.com\n(dfplay) the playground has no network: nothing can be downloaded during a build here; a host executor can run this step for real\n"
    );
    assert!(!p.exists("diamol"));
    let o = p.run("git clone git@github.com:sixeyed/diamol.git app").status(128);
    assert!(o.err_body().starts_with("Cloning into 'app'...\nssh: Could not resolve hostname github.com: Name or service not known\n"));
    assert_eq!(p.run("git status").status(128).err_body(), "fatal: not a git repository (or any of the parent directories): .git\n");
    assert_eq!(p.run("git init").ok().stdout, "Initialized empty Git repository in /src/.git/\n");
    assert_eq!(p.read(".git/HEAD"), "ref: refs/heads/master\n");
    assert_eq!(p.run("git --version").ok().stdout, "git version 2.39.5\n");
}

#[test]
fn gcc_builds_a_stand_in_and_make_runs_recipes() {
    let mut p = Proc::image("golang");
    p.workdir("/src").put("hello.c", "#include <stdio.h>\nint main(void) {\n  printf(\"Hello, %s!\\n\", \"world\");\n  return 0;\n}\n");
    p.run("gcc -o hello hello.c").ok().labelled("gcc -o hello hello.c");
    assert_eq!(standin(&p, "/src/hello"), "c-program");
    assert_eq!(p.fs.stat("/src/hello").unwrap().meta.mode, 0o755);
    assert_eq!(p.run("./hello").ok().stdout, "Hello, world!\n");
    let o = p.run("gcc -o x missing.c").status(1);
    assert_eq!(o.err_body(), "gcc: error: missing.c: No such file or directory\ngcc: fatal error: no input files\ncompilation terminated.\n");
    p.put("lib.c", "int helper(void) { return 1; }\n");
    let o = p.run("gcc lib.c").status(1);
    assert!(o.err_body().ends_with("undefined reference to `main'\ncollect2: error: ld returned 1 exit status\n"), "{}", o.stderr);
    p.run("gcc -c hello.c").ok();
    p.run("gcc -o linked hello.o").ok();
    assert_eq!(p.run("./linked").ok().stdout, "Hello, world!\n");
    // make
    let mut m = Proc::image("golang");
    m.workdir("/m");
    assert_eq!(m.run("make").status(2).err_body(), "make: *** No targets specified and no makefile found.  Stop.\n");
    m.put("Makefile", "CC = gcc\nCFLAGS = -O2\n.PHONY: all\nall: app\napp: main.c\n\t$(CC) $(CFLAGS) -o $@ $<\n\t@echo built $@\n");
    m.put("main.c", "int main(void) { return 0; }\n");
    let o = m.run("make").ok();
    assert_eq!(o.stdout, "gcc -O2 -o app main.c\n");
    assert_eq!(m.spawned, [vec!["/bin/sh".to_string(), "-c".into(), "gcc -O2 -o app main.c".into()], vec!["/bin/sh".to_string(), "-c".into(), "echo built app".into()]]);
    assert_eq!(m.run("make nothing").status(2).err_body(), "make: *** No rule to make target 'nothing'.  Stop.\n");
}

#[test]
fn dpkg_and_jdk_helpers() {
    let mut p = Proc::image("debian:bookworm");
    p.run("apt-get update").ok();
    p.run("apt-get install -y python3").ok();
    let o = p.run("update-alternatives --install /usr/bin/python python /usr/bin/python3 1").ok();
    assert_eq!(o.stdout, "update-alternatives: using /usr/bin/python3 to provide /usr/bin/python (python) in auto mode\n");
    assert_eq!(p.fs.read_link("/usr/bin/python").unwrap(), "/etc/alternatives/python");
    assert_eq!(p.fs.canonicalize("/usr/bin/python").unwrap(), "/usr/bin/python3");
    assert_eq!(p.run("apt-mark hold python3").ok().stdout, "python3 set on hold.\n");
    p.stdin = b"tzdata tzdata/Areas select Asia\n".to_vec();
    p.run("debconf-set-selections").ok();
    assert!(p.read("/var/cache/debconf/config.dat").contains("Name: tzdata/Areas\n"));
    let mut j = Proc::image("eclipse-temurin");
    j.run("jlink --add-modules java.base,java.logging --output /javaruntime").ok();
    assert_eq!(standin(&j, "/javaruntime/bin/java"), "java");
    assert!(j.fs.stat("/javaruntime/lib/modules").unwrap().size > 20_000_000);
    assert_eq!(j.run("jlink --output /javaruntime").status(1).err_body(), "Error: directory already exists: /javaruntime\n");
}

// ----- the seam ------------------------------------------------------------------------------

#[test]
fn every_toolchain_stand_in_of_the_bases_has_a_simulation() {
    let sim = Simulation::new();
    for img in ["diamol/golang", "golang", "diamol/maven", "maven", "diamol/openjdk", "eclipse-temurin", "diamol/node", "node", "ubuntu:14.04", "debian", "alpine", "python", "nginx", "httpd"] {
        let base = crate::bases::lookup(img).unwrap();
        for (path, node) in base.rootfs.walk("/").unwrap() {
            let crate::vfs::Node::File(f) = node else { continue };
            let Some(name) = standin_name(&f.data) else { continue };
            let toolchain = ["go", "gofmt", "mvn", "java", "javac", "jar", "jshell", "npm", "npx", "yarn", "node", "apt-get", "apt", "apt-cache", "dpkg", "dpkg-query", "apk", "pip", "python3", "httpd", "apachectl", "nginx", "git", "gcc", "make"];
            if toolchain.contains(&name) {
                assert!(sim.lookup(name).is_some(), "{img}: {path} ({name}) has no simulation");
            }
        }
    }
    assert!(sim.lookup("cat").is_none(), "coreutils belong to the shell's programs");
    assert!(sim.lookup("curl").is_none(), "curl belongs to the utilities");
    assert!(Simulation::names().any(|n| n == "vim"));
}

#[test]
fn a_stand_in_binary_without_a_record_says_so() {
    let mut p = Proc::image("alpine");
    p.fs.write("/prog", crate::shell::proc::standin_executable("go-program", "nothing"), 0o755).unwrap();
    let o = p.run("/prog").status(1);
    assert!(o.err_body().contains("carries no record"));
    // records survive a round trip through the playground's binary format
    let rec = program::read_record(&p.fs.read("/prog").unwrap());
    assert!(rec.is_none());
}
