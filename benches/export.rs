//! Export and import speed side by side with the real tools, in one run:
//! a 200 MiB image (4 layers of generated files, text-like and random) is
//! written by dfplay (`save`, `export_oci`) and copied by `skopeo copy`
//! (`oci:` → `docker-archive:` and → `dir:`); gzip (miniz_oxide, level 6) and
//! sha256 (sha2) against `gzip -6` and `sha256sum` on the same bytes.
//! Prints a table. Run with `cargo bench --bench export` or
//! `scripts/bench-export.sh`; `DFPLAY_BENCH_MIB` changes the image size.

use dfplay::image::{self, config::History, ImageConfig, LoadOptions, Store};
use dfplay::layer::{self, Digest, Layer, WriteOptions};
use dfplay::vfs::{Limits, Vfs};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Instant;

/// Deterministic data: text-like (a 4096-word vocabulary of 2–11 letters, words
/// and line breaks as in source code or logs; gzip makes it about 2.5x smaller)
/// or random (incompressible, as already-compressed files in real images).
fn fill(seed: &mut u64, n: usize, text: bool) -> Vec<u8> {
    fn next(seed: &mut u64) -> u64 {
        *seed ^= *seed << 13;
        *seed ^= *seed >> 7;
        *seed ^= *seed << 17;
        *seed
    }
    static VOCAB: std::sync::OnceLock<Vec<Vec<u8>>> = std::sync::OnceLock::new();
    let vocab = VOCAB.get_or_init(|| {
        let mut s = 42u64;
        (0..4096)
            .map(|_| {
                let len = 2 + (next(&mut s) % 10) as usize;
                (0..len).map(|_| b'a' + (next(&mut s) % 26) as u8).collect()
            })
            .collect()
    });
    let mut out = Vec::with_capacity(n + 32);
    while out.len() < n {
        let r = next(seed);
        if text {
            out.extend_from_slice(&vocab[(r % 4096) as usize]);
            out.push(if r >> 60 == 0 { b'\n' } else { b' ' });
        } else {
            out.extend_from_slice(&r.to_le_bytes());
        }
    }
    out.truncate(n);
    out
}

fn secs(t: Instant) -> f64 {
    t.elapsed().as_secs_f64()
}

fn have(tool: &str) -> bool {
    Command::new(tool).arg("--version").stdout(Stdio::null()).stderr(Stdio::null()).status().map(|s| s.success()).unwrap_or(false)
}

fn time_cmd(cmd: &mut Command) -> Option<f64> {
    let t = Instant::now();
    let ok = cmd.stdout(Stdio::null()).stderr(Stdio::inherit()).status().map(|s| s.success()).unwrap_or(false);
    ok.then(|| secs(t))
}

fn main() {
    // `cargo bench` passes `--bench`; under `cargo test --all-targets` it is absent
    // and the run is a 4 MiB smoke test of this code.
    let benching = std::env::args().any(|a| a == "--bench");
    let default_mib = if benching { 200 } else { 4 };
    let mib: usize = std::env::var("DFPLAY_BENCH_MIB").ok().and_then(|v| v.parse().ok()).unwrap_or(default_mib);
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench-export");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();

    // the image: 4 layers, each of 64 KiB files, 3/4 text-like and 1/4 random
    let layers = 4;
    let per_layer = (mib << 20) / layers;
    let mut seed = 0x9e37_79b9_7f4a_7c15u64;
    let mut store = Store::memory();
    let mut cfg = ImageConfig::scratch("amd64");
    let mut prev = Vfs::new().with_limits(Limits { max_bytes: (mib as u64 + 64) << 20, max_nodes: 1_000_000 });
    let t = Instant::now();
    let mut diff_secs = 0.0;
    for l in 0..layers {
        let mut next = prev.clone();
        next.now = 1_700_000_000 + l as i64;
        next.mkdir_all(&format!("/data/layer{l}"), 0o755).unwrap();
        let mut written = 0;
        let mut i = 0;
        while written < per_layer {
            let n = (64 << 10).min(per_layer - written);
            next.write(&format!("/data/layer{l}/f{i:05}"), fill(&mut seed, n, i % 4 != 3), 0o644).unwrap();
            written += n;
            i += 1;
        }
        let d = Instant::now();
        let layer = Layer::from_diff(&prev, &next, WriteOptions::default()).unwrap();
        diff_secs += secs(d);
        store.put_layer(&layer).unwrap();
        cfg.push_layer(layer.diff_id().clone(), History::step(None, format!("COPY layer{l} /data/layer{l} # buildkit"), false));
        prev = next;
    }
    let _ = secs(t);
    let id = store.put_image(&cfg, "bench").unwrap();
    store.tag(&id, "bench:latest").unwrap();
    let total_tar: u64 = cfg.rootfs.diff_ids.iter().map(|d| store.layer(d).unwrap().size).sum();
    let mb = total_tar as f64 / 1e6;

    let mut rows: Vec<(String, f64, String)> = Vec::new();
    let mut row = |what: &str, s: Option<f64>, bytes: f64| {
        match s {
            Some(s) => rows.push((what.to_string(), s, format!("{:.0} MB/s", bytes / s))),
            None => rows.push((what.to_string(), f64::NAN, "(tool missing)".into())),
        }
    };
    row("dfplay: layers from vfs diffs (tar + sha256)", Some(diff_secs), mb * 1e6 / 1e6);

    let t = Instant::now();
    let oci = image::export_oci(&mut store, &["bench:latest"]).unwrap();
    row("dfplay export_oci, cold (gzip every layer)", Some(secs(t)), mb);
    let t = Instant::now();
    let oci2 = image::export_oci(&mut store, &["bench:latest"]).unwrap();
    row("dfplay export_oci, warm (gzip cached)", Some(secs(t)), mb);
    assert_eq!(oci, oci2);
    let t = Instant::now();
    let save = image::save(&mut store, &["bench:latest"]).unwrap();
    row("dfplay save (docker-archive + OCI index)", Some(secs(t)), mb);
    let t = Instant::now();
    let mut s2 = Store::memory();
    image::load(&mut s2, &save, &LoadOptions::default()).unwrap();
    row("dfplay load (verify + apply every layer)", Some(secs(t)), mb);
    let t = Instant::now();
    let mut s3 = Store::memory();
    image::load(&mut s3, &oci, &LoadOptions::default()).unwrap();
    row("dfplay load of the OCI tar (gunzip + verify + apply)", Some(secs(t)), mb);

    // skopeo on the same image, from an OCI layout directory
    let files = image::archive::archive_files(&mut store, &["bench:latest"], image::ArchiveOptions::OCI).unwrap();
    let layout = dir.join("layout");
    image::export::write_archive_dir(&files, &layout).unwrap();
    let src = format!("oci:{}:latest", layout.display());
    if have("skopeo") {
        let out = dir.join("skopeo-docker.tar");
        row(
            "skopeo copy oci: -> docker-archive:",
            time_cmd(Command::new("skopeo").args(["--insecure-policy", "copy", "-q", &src, &format!("docker-archive:{}:bench:latest", out.display())])),
            mb,
        );
        row(
            "skopeo copy oci: -> dir:",
            time_cmd(Command::new("skopeo").args(["--insecure-policy", "copy", "-q", &src, &format!("dir:{}", dir.join("skopeo-dir").display())])),
            mb,
        );
    } else {
        row("skopeo copy oci: -> docker-archive:", None, mb);
    }

    // gzip and sha256 on one layer's tar, ours and the system's
    let sample = store.layer_tar(&cfg.rootfs.diff_ids[0]).unwrap().to_vec();
    let smb = sample.len() as f64 / 1e6;
    let sample_path = dir.join("sample.tar");
    std::fs::write(&sample_path, sample.as_slice()).unwrap();
    let t = Instant::now();
    let gz = layer::gzip::gzip(&sample);
    row(&format!("miniz_oxide gzip level 6 ({:.0} MB -> {:.0} MB)", smb, gz.len() as f64 / 1e6), Some(secs(t)), smb);
    let gz_path = dir.join("sample.tar.gz");
    std::fs::write(&gz_path, &gz).unwrap();
    row(
        "gzip -6",
        have("gzip").then(|| time_cmd(Command::new("sh").arg("-c").arg(format!("gzip -6 -c {} > /dev/null", sample_path.display())))).flatten(),
        smb,
    );
    let t = Instant::now();
    let back = layer::gzip::gunzip(&gz, 1 << 32).unwrap();
    row("miniz_oxide gunzip (+ CRC-32)", Some(secs(t)), smb);
    assert_eq!(back.len(), sample.len());
    row(
        "gzip -d",
        have("gzip").then(|| time_cmd(Command::new("sh").arg("-c").arg(format!("gzip -d -c {} > /dev/null", gz_path.display())))).flatten(),
        smb,
    );
    let t = Instant::now();
    let d = Digest::of(&sample);
    row("sha2 sha256", Some(secs(t)), smb);
    let sum = Command::new("sha256sum").arg(&sample_path).output().ok();
    let t = Instant::now();
    let ok = Command::new("sha256sum").arg(&sample_path).stdout(Stdio::null()).status().map(|s| s.success()).unwrap_or(false);
    row("sha256sum", ok.then(|| secs(t)), smb);
    if let Some(o) = sum {
        assert!(String::from_utf8_lossy(&o.stdout).starts_with(d.hex()), "sha256sum agrees");
    }

    println!("\nexport benchmark: image of {} layers, {:.0} MB of layer tars; gzip/sha256 on one {:.0} MB layer", layers, mb, smb);
    println!("{:<58} {:>9} {:>14}", "what", "seconds", "throughput");
    for (w, s, tp) in &rows {
        if s.is_nan() {
            println!("{w:<58} {:>9} {tp:>14}", "-");
        } else {
            println!("{w:<58} {s:>9.3} {tp:>14}");
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
}
