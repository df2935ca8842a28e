//! Cost of the labelled toolchain simulation on the seeds' commands: `go build` of
//! the image-gallery server (a ~7 MB stand-in binary) and `mvn package` of the
//! image-of-the-day project, each on a fresh copy of its stand-in base image.

use criterion::{criterion_group, criterion_main, Criterion};
use dfplay::shell::proc::{Budget, Clock, Ctx, Input, Runner, Spawn, SpawnError};
use dfplay::vfs::Vfs;

const GALLERY_GO: &str = "package main\n\nimport (\n\t\"fmt\"\n\t\"net/http\"\n\t\"os\"\n)\n\nfunc main() {\n\thttp.Handle(\"/\", http.FileServer(http.Dir(\".\")))\n\tfmt.Println(\"image gallery using\", os.Getenv(\"IMAGE_API_URL\"), \"and\", os.Getenv(\"ACCESS_API_URL\"))\n\thttp.ListenAndServe(\":80\", nil)\n}\n";
const IOTD_POM: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<project xmlns=\"http://maven.apache.org/POM/4.0.0\">\n  <modelVersion>4.0.0</modelVersion>\n  <groupId>iotd</groupId>\n  <artifactId>iotd-service</artifactId>\n  <version>0.1.0</version>\n  <packaging>jar</packaging>\n</project>\n";
const IOTD_JAVA: &str = "package iotd;\n\npublic class Application {\n    public static void main(String[] args) {\n        System.out.println(\"image of the day service listening on :80\");\n    }\n}\n";

struct NoSpawn;
impl Runner for NoSpawn {
    fn run(&mut self, _req: Spawn<'_>) -> Result<i32, SpawnError> {
        Err(SpawnError::NotFound)
    }
}

fn run(fs: &mut Vfs, cwd: &str, env: &[(String, String)], program: &str, argv: &[&str]) -> i32 {
    let argv: Vec<String> = argv.iter().map(|s| s.to_string()).collect();
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let mut stdin = Input::empty();
    let mut clock = Clock { now: 1_717_203_600 };
    let mut budget = Budget::new(50_000_000);
    let mut ctx = Ctx { fs, cwd: cwd.into(), env: env.to_vec(), uid: 0, gid: 0, stdin: &mut stdin, stdout: &mut out, stderr: &mut err, runner: &mut NoSpawn, clock: &mut clock, budget: &mut budget };
    dfplay::executor::run(&mut ctx, program, &argv).unwrap_or(127)
}

fn bench(c: &mut Criterion) {
    let golang = dfplay::bases::lookup("diamol/golang").unwrap();
    let mut go_fs = golang.rootfs.clone();
    go_fs.write("/go/main.go", GALLERY_GO.as_bytes().to_vec(), 0o644).unwrap();
    c.bench_function("go build -o /server (image-gallery)", |b| {
        b.iter(|| {
            let mut fs = go_fs.clone();
            assert_eq!(run(&mut fs, "/go", &golang.config.env, "go", &["go", "build", "-o", "/server"]), 0);
            fs
        })
    });
    let maven = dfplay::bases::lookup("diamol/maven").unwrap();
    let mut mvn_fs = maven.rootfs.clone();
    mvn_fs.mkdir_all("/usr/src/iotd/src/main/java/iotd", 0o755).unwrap();
    mvn_fs.write("/usr/src/iotd/pom.xml", IOTD_POM.as_bytes().to_vec(), 0o644).unwrap();
    assert_eq!(run(&mut mvn_fs, "/usr/src/iotd", &maven.config.env, "mvn", &["mvn", "-B", "dependency:go-offline"]), 0);
    mvn_fs.write("/usr/src/iotd/src/main/java/iotd/Application.java", IOTD_JAVA.as_bytes().to_vec(), 0o644).unwrap();
    c.bench_function("mvn package (image-of-the-day, after go-offline)", |b| {
        b.iter(|| {
            let mut fs = mvn_fs.clone();
            assert_eq!(run(&mut fs, "/usr/src/iotd", &maven.config.env, "mvn", &["mvn", "package"]), 0);
            fs
        })
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
