//! `md5sum`, `sha1sum`, `sha224sum`, `sha256sum`, `sha384sum`, `sha512sum`
//! (GNU: `-c` with `--quiet --status --strict -w`, `--tag`, `-b/-t`, `-z`,
//! backslash-escaped names). SHA-2 comes from the `sha2` crate; MD5 and SHA-1
//! are small implementations here (RFC 1321, FIPS 180-4).

use super::common::{err, ferr, out, qa, tick_bytes, Res};
use crate::shell::proc::Ctx;
use sha2::Digest;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Algo {
    Md5,
    Sha1,
    Sha224,
    Sha256,
    Sha384,
    Sha512,
}

impl Algo {
    fn name(self) -> &'static str {
        match self {
            Algo::Md5 => "MD5",
            Algo::Sha1 => "SHA1",
            Algo::Sha224 => "SHA224",
            Algo::Sha256 => "SHA256",
            Algo::Sha384 => "SHA384",
            Algo::Sha512 => "SHA512",
        }
    }
    fn hex_len(self) -> usize {
        match self {
            Algo::Md5 => 32,
            Algo::Sha1 => 40,
            Algo::Sha224 => 56,
            Algo::Sha256 => 64,
            Algo::Sha384 => 96,
            Algo::Sha512 => 128,
        }
    }
    fn digest(self, data: &[u8]) -> String {
        let bytes: Vec<u8> = match self {
            Algo::Md5 => md5(data).to_vec(),
            Algo::Sha1 => sha1(data).to_vec(),
            Algo::Sha224 => sha2::Sha224::digest(data).to_vec(),
            Algo::Sha256 => sha2::Sha256::digest(data).to_vec(),
            Algo::Sha384 => sha2::Sha384::digest(data).to_vec(),
            Algo::Sha512 => sha2::Sha512::digest(data).to_vec(),
        };
        bytes.iter().map(|b| format!("{b:02x}")).collect()
    }
}

/// MD5 (RFC 1321).
pub fn md5(data: &[u8]) -> [u8; 16] {
    const S: [u32; 64] = [
        7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 6, 10, 15,
        21, 6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21,
    ];
    let k: Vec<u32> = (0..64).map(|i| ((i as f64 + 1.0).sin().abs() * 4_294_967_296.0) as u32).collect();
    let (mut a0, mut b0, mut c0, mut d0) = (0x6745_2301u32, 0xefcd_ab89u32, 0x98ba_dcfeu32, 0x1032_5476u32);
    let mut msg = data.to_vec();
    let bit_len = (data.len() as u64).wrapping_mul(8);
    msg.push(0x80);
    while msg.len() % 64 != 56 {
        msg.push(0);
    }
    msg.extend_from_slice(&bit_len.to_le_bytes());
    for chunk in msg.chunks(64) {
        let m: Vec<u32> = chunk.chunks(4).map(|w| u32::from_le_bytes([w[0], w[1], w[2], w[3]])).collect();
        let (mut a, mut b, mut c, mut d) = (a0, b0, c0, d0);
        for i in 0..64 {
            let (f, g) = match i / 16 {
                0 => ((b & c) | (!b & d), i),
                1 => ((d & b) | (!d & c), (5 * i + 1) % 16),
                2 => (b ^ c ^ d, (3 * i + 5) % 16),
                _ => (c ^ (b | !d), (7 * i) % 16),
            };
            let f2 = f.wrapping_add(a).wrapping_add(k[i]).wrapping_add(m[g]);
            a = d;
            d = c;
            c = b;
            b = b.wrapping_add(f2.rotate_left(S[i]));
        }
        a0 = a0.wrapping_add(a);
        b0 = b0.wrapping_add(b);
        c0 = c0.wrapping_add(c);
        d0 = d0.wrapping_add(d);
    }
    let mut out = [0u8; 16];
    out[..4].copy_from_slice(&a0.to_le_bytes());
    out[4..8].copy_from_slice(&b0.to_le_bytes());
    out[8..12].copy_from_slice(&c0.to_le_bytes());
    out[12..].copy_from_slice(&d0.to_le_bytes());
    out
}

/// SHA-1 (FIPS 180-4).
pub fn sha1(data: &[u8]) -> [u8; 20] {
    let mut h: [u32; 5] = [0x6745_2301, 0xEFCD_AB89, 0x98BA_DCFE, 0x1032_5476, 0xC3D2_E1F0];
    let mut msg = data.to_vec();
    let bit_len = (data.len() as u64).wrapping_mul(8);
    msg.push(0x80);
    while msg.len() % 64 != 56 {
        msg.push(0);
    }
    msg.extend_from_slice(&bit_len.to_be_bytes());
    for chunk in msg.chunks(64) {
        let mut w = [0u32; 80];
        for (i, c) in chunk.chunks(4).enumerate() {
            w[i] = u32::from_be_bytes([c[0], c[1], c[2], c[3]]);
        }
        for i in 16..80 {
            w[i] = (w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16]).rotate_left(1);
        }
        let (mut a, mut b, mut c, mut d, mut e) = (h[0], h[1], h[2], h[3], h[4]);
        for (i, wi) in w.iter().enumerate() {
            let (f, k) = match i / 20 {
                0 => ((b & c) | (!b & d), 0x5A82_7999),
                1 => (b ^ c ^ d, 0x6ED9_EBA1),
                2 => ((b & c) | (b & d) | (c & d), 0x8F1B_BCDC),
                _ => (b ^ c ^ d, 0xCA62_C1D6u32),
            };
            let t = a.rotate_left(5).wrapping_add(f).wrapping_add(e).wrapping_add(k).wrapping_add(*wi);
            e = d;
            d = c;
            c = b.rotate_left(30);
            b = a;
            a = t;
        }
        h[0] = h[0].wrapping_add(a);
        h[1] = h[1].wrapping_add(b);
        h[2] = h[2].wrapping_add(c);
        h[3] = h[3].wrapping_add(d);
        h[4] = h[4].wrapping_add(e);
    }
    let mut out = [0u8; 20];
    for (i, v) in h.iter().enumerate() {
        out[i * 4..i * 4 + 4].copy_from_slice(&v.to_be_bytes());
    }
    out
}

pub fn md5sum(ctx: &mut Ctx<'_>, argv: &[String]) -> Res {
    sum(ctx, argv, Algo::Md5, "md5sum")
}
pub fn sha1sum(ctx: &mut Ctx<'_>, argv: &[String]) -> Res {
    sum(ctx, argv, Algo::Sha1, "sha1sum")
}
pub fn sha224sum(ctx: &mut Ctx<'_>, argv: &[String]) -> Res {
    sum(ctx, argv, Algo::Sha224, "sha224sum")
}
pub fn sha256sum(ctx: &mut Ctx<'_>, argv: &[String]) -> Res {
    sum(ctx, argv, Algo::Sha256, "sha256sum")
}
pub fn sha384sum(ctx: &mut Ctx<'_>, argv: &[String]) -> Res {
    sum(ctx, argv, Algo::Sha384, "sha384sum")
}
pub fn sha512sum(ctx: &mut Ctx<'_>, argv: &[String]) -> Res {
    sum(ctx, argv, Algo::Sha512, "sha512sum")
}

const SPEC: super::common::Spec = super::common::Spec {
    short: "bctwz",
    long: &[
        ("binary", super::common::Arg::No, 'b'),
        ("check", super::common::Arg::No, 'c'),
        ("tag", super::common::Arg::No, 'T'),
        ("text", super::common::Arg::No, 't'),
        ("zero", super::common::Arg::No, 'z'),
        ("ignore-missing", super::common::Arg::No, 'i'),
        ("quiet", super::common::Arg::No, 'q'),
        ("status", super::common::Arg::No, 's'),
        ("strict", super::common::Arg::No, 'S'),
        ("warn", super::common::Arg::No, 'w'),
    ],
    permute: true,
    status: 1,
    usage: "[OPTION]... [FILE]...",
};

fn read(ctx: &mut Ctx<'_>, name: &str) -> Result<Vec<u8>, String> {
    super::common::read_path(ctx, name).map(|d| d.as_ref().clone()).map_err(|e| ferr(&e))
}

fn escape_name(n: &str) -> (bool, String) {
    if n.contains('\\') || n.contains('\n') || n.contains('\r') {
        (true, n.replace('\\', "\\\\").replace('\n', "\\n").replace('\r', "\\r"))
    } else {
        (false, n.to_string())
    }
}

fn sum(ctx: &mut Ctx<'_>, argv: &[String], algo: Algo, prog: &str) -> Res {
    let p = match super::common::getopt(ctx, prog, argv, &SPEC) {
        Ok(p) => p,
        Err(s) => return Ok(s),
    };
    let files = if p.args.is_empty() { vec!["-".to_string()] } else { p.args.clone() };
    if p.has('c') {
        return check(ctx, &p, &files, algo, prog);
    }
    let mut status = 0;
    let mut o = String::new();
    for f in &files {
        let data = match read(ctx, f) {
            Ok(d) => d,
            Err(e) => {
                out(ctx, o.as_bytes())?;
                o.clear();
                err(ctx, prog, &format!("{}: {e}", super::common::qf(f)));
                status = 1;
                continue;
            }
        };
        tick_bytes(ctx, data.len())?;
        let h = algo.digest(&data);
        let (esc, name) = if p.has('z') { (false, f.clone()) } else { escape_name(f) };
        let end = if p.has('z') { '\0' } else { '\n' };
        if p.has('T') {
            o.push_str(&format!("{}{} ({name}) = {h}{end}", if esc { "\\" } else { "" }, algo.name()));
        } else {
            let mode = if p.has('b') { '*' } else { ' ' };
            o.push_str(&format!("{}{h} {mode}{name}{end}", if esc { "\\" } else { "" }));
        }
    }
    out(ctx, o.as_bytes())?;
    Ok(status)
}

/// Parses a checksum line: `HASH  NAME`, `HASH *NAME` or `ALGO (NAME) = HASH`.
fn parse_line(line: &str, algo: Algo) -> Option<(String, String)> {
    let (esc, line) = match line.strip_prefix('\\') {
        Some(r) => (true, r),
        None => (false, line),
    };
    let unescape = |s: &str| if esc { s.replace("\\n", "\n").replace("\\r", "\r").replace("\\\\", "\\") } else { s.to_string() };
    let tag = format!("{} (", algo.name());
    if let Some(rest) = line.strip_prefix(&tag) {
        let (name, hash) = rest.rsplit_once(") = ")?;
        if hash.len() != algo.hex_len() || !hash.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        return Some((hash.to_ascii_lowercase(), unescape(name)));
    }
    let n = algo.hex_len();
    if line.len() < n + 2 || !line.is_char_boundary(n) {
        return None;
    }
    let (hash, rest) = line.split_at(n);
    if !hash.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let rest = rest.strip_prefix(' ')?;
    let name = rest.strip_prefix(['*', ' ']).unwrap_or(rest);
    if name.is_empty() {
        return None;
    }
    Some((hash.to_ascii_lowercase(), unescape(name)))
}

fn check(ctx: &mut Ctx<'_>, p: &super::common::Parsed, files: &[String], algo: Algo, prog: &str) -> Res {
    let quiet = p.has('q');
    let status_only = p.has('s');
    let mut status = 0;
    for f in files {
        let data = match read(ctx, f) {
            Ok(d) => d,
            Err(e) => {
                err(ctx, prog, &format!("{}: {e}", super::common::qf(f)));
                status = 1;
                continue;
            }
        };
        let shown = if f == "-" { "standard input".to_string() } else { f.clone() };
        let text = String::from_utf8_lossy(&data).into_owned();
        let (mut ok_lines, mut bad_format, mut mismatched, mut unreadable) = (0, 0, 0, 0);
        let mut o = String::new();
        for (lineno, line) in text.lines().enumerate() {
            let Some((want, name)) = parse_line(line, algo) else {
                bad_format += 1;
                if p.has('w') {
                    err(ctx, prog, &format!("{}: {}: improperly formatted {} checksum line", shown, lineno + 1, algo.name()));
                }
                continue;
            };
            ok_lines += 1;
            match read(ctx, &name) {
                Ok(d) => {
                    tick_bytes(ctx, d.len())?;
                    let got = algo.digest(&d);
                    if got == want {
                        if !quiet && !status_only {
                            o.push_str(&format!("{name}: OK\n"));
                        }
                    } else {
                        mismatched += 1;
                        if !status_only {
                            o.push_str(&format!("{name}: FAILED\n"));
                        }
                    }
                }
                Err(e) => {
                    if p.has('i') {
                        continue;
                    }
                    unreadable += 1;
                    if !status_only {
                        out(ctx, o.as_bytes())?;
                        o.clear();
                        err(ctx, prog, &format!("{}: {e}", name));
                        o.push_str(&format!("{name}: FAILED open or read\n"));
                    }
                }
            }
        }
        out(ctx, o.as_bytes())?;
        if ok_lines == 0 {
            err(ctx, prog, &format!("{}: no properly formatted checksum lines found", qa(&shown)));
            status = 1;
            continue;
        }
        if !status_only {
            if bad_format > 0 {
                let s = if bad_format == 1 { "line is" } else { "lines are" };
                err(ctx, prog, &format!("WARNING: {bad_format} {s} improperly formatted"));
            }
            if unreadable > 0 {
                let s = if unreadable == 1 { "listed file could not be read" } else { "listed files could not be read" };
                err(ctx, prog, &format!("WARNING: {unreadable} {s}"));
            }
            if mismatched > 0 {
                let s = if mismatched == 1 { "computed checksum did NOT match" } else { "computed checksums did NOT match" };
                err(ctx, prog, &format!("WARNING: {mismatched} {s}"));
            }
        }
        if mismatched > 0 || unreadable > 0 || (p.has('S') && bad_format > 0) {
            status = 1;
        }
    }
    Ok(status)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(b: &[u8]) -> String {
        b.iter().map(|x| format!("{x:02x}")).collect()
    }

    #[test]
    fn known_digests() {
        assert_eq!(hex(&md5(b"")), "d41d8cd98f00b204e9800998ecf8427e");
        assert_eq!(hex(&md5(b"hi\n")), "764efa883dda1e11db47671c4a3bbd9e");
        assert_eq!(hex(&sha1(b"hi\n")), "55ca6286e3e4f4fba5d0448333fa99fc5a404a73");
        assert_eq!(hex(&md5(&[b'a'; 1000])), "cabe45dcc9ae5b66ba86600cca6b8ba8");
    }
}
