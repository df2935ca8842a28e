//! gzip for layers (RFC 1952 over `miniz_oxide`'s deflate): a deterministic
//! encoder (no name, mtime 0, the header Go's `compress/gzip` writes) and a
//! bounded decoder that reads concatenated members, checks every CRC and size,
//! and stops at a cap on the output so a gzip bomb ends with an error.
//! Also recognises the compressions it does not decode (zstd, bzip2, xz).

use super::error::{LayerError, LayerErrorKind, LayerResult};
use miniz_oxide::inflate::stream::{inflate, InflateState};
use miniz_oxide::{DataFormat, MZError, MZFlush, MZStatus};

/// The compression level of layer blobs (gzip's and BuildKit's default).
pub const LEVEL: u8 = 6;

/// How a blob is compressed, from its first bytes (as Docker's `DetectCompression`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Compression {
    None,
    Gzip,
    Zstd,
    Bzip2,
    Xz,
}

impl Compression {
    pub fn detect(data: &[u8]) -> Compression {
        if data.starts_with(&[0x1f, 0x8b, 0x08]) {
            Compression::Gzip
        } else if data.starts_with(&[0x28, 0xb5, 0x2f, 0xfd]) {
            Compression::Zstd
        } else if data.starts_with(b"BZh") {
            Compression::Bzip2
        } else if data.starts_with(&[0xfd, b'7', b'z', b'X', b'Z', 0x00]) {
            Compression::Xz
        } else {
            Compression::None
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Compression::None => "uncompressed",
            Compression::Gzip => "gzip",
            Compression::Zstd => "zstd",
            Compression::Bzip2 => "bzip2",
            Compression::Xz => "xz",
        }
    }
}

/// Returns the uncompressed bytes of a layer blob: gzip is decoded (at most `limit`
/// bytes), plain data is returned as is (also checked against `limit`), other
/// compressions are refused with a message saying what to do.
pub fn decompress(data: &[u8], limit: u64) -> LayerResult<std::borrow::Cow<'_, [u8]>> {
    match Compression::detect(data) {
        Compression::None => {
            if data.len() as u64 > limit {
                return Err(LayerError::new(LayerErrorKind::TooLarge { limit }));
            }
            Ok(std::borrow::Cow::Borrowed(data))
        }
        Compression::Gzip => Ok(std::borrow::Cow::Owned(gunzip(data, limit)?)),
        other => Err(LayerError::new(LayerErrorKind::UnsupportedCompression(other.name()))),
    }
}

/// gzip-compresses `data` deterministically: the same bytes always give the same
/// output (header `1f 8b 08 00 00000000 00 ff`: no name, no mtime, OS unknown —
/// what Go's `compress/gzip` writes at the default level).
pub fn gzip(data: &[u8]) -> Vec<u8> {
    gzip_parts([data])
}

/// [`gzip`] of the concatenation of `parts`, without joining them first: the
/// output is the same however the bytes are split.
pub fn gzip_parts<'a>(parts: impl IntoIterator<Item = &'a [u8]>) -> Vec<u8> {
    use miniz_oxide::deflate::core::{compress_to_output, create_comp_flags_from_zip_params, CompressorOxide, TDEFLFlush};
    let mut out = vec![0x1f, 0x8b, 0x08, 0x00, 0, 0, 0, 0, 0x00, 0xff];
    let mut c = CompressorOxide::new(create_comp_flags_from_zip_params(LEVEL.into(), 0, 0));
    let (mut crc, mut len) = (!0u32, 0u32);
    let mut sink = |o: &[u8]| {
        out.extend_from_slice(o);
        true
    };
    for p in parts {
        crc = crc32_update(crc, p);
        len = len.wrapping_add(p.len() as u32);
        compress_to_output(&mut c, p, TDEFLFlush::None, &mut sink);
    }
    compress_to_output(&mut c, &[], TDEFLFlush::Finish, &mut sink);
    out.extend_from_slice(&(!crc).to_le_bytes());
    out.extend_from_slice(&len.to_le_bytes());
    out
}

fn gz_err(m: impl Into<String>) -> LayerError {
    LayerError::new(LayerErrorKind::Gzip(m.into()))
}

fn truncated() -> LayerError {
    LayerError::new(LayerErrorKind::Truncated)
}

/// Decodes a gzip stream of one or more members. Fails on a corrupt or truncated
/// stream, a CRC or length mismatch, or once the output would pass `limit` bytes.
/// Trailing zero bytes after the last member (tape padding) are ignored.
pub fn gunzip(data: &[u8], limit: u64) -> LayerResult<Vec<u8>> {
    let mut out: Vec<u8> = Vec::with_capacity(data.len().saturating_mul(3).min(limit as usize).min(64 << 20));
    let mut pos = 0;
    let mut state = InflateState::new_boxed(DataFormat::Raw);
    let mut first = true;
    while pos < data.len() {
        if !first && data[pos..].iter().all(|&b| b == 0) {
            break;
        }
        first = false;
        pos += member_header(&data[pos..])?;
        state.reset(DataFormat::Raw);
        let start = out.len();
        loop {
            if out.len() as u64 >= limit {
                // One more byte would pass the cap: see if the stream has any.
                let mut probe = [0u8; 1];
                let r = inflate(&mut state, &data[pos..], &mut probe, MZFlush::None);
                pos += r.bytes_consumed;
                if r.bytes_written > 0 {
                    return Err(LayerError::new(LayerErrorKind::TooLarge { limit }));
                }
                match r.status {
                    Ok(MZStatus::StreamEnd) => break,
                    Ok(_) | Err(MZError::Buf) if pos >= data.len() => return Err(truncated()),
                    Ok(_) => continue,
                    Err(_) => return Err(gz_err("corrupt deflate data")),
                }
            }
            let room = ((limit - out.len() as u64) as usize).min(1 << 20);
            let len = out.len();
            out.resize(len + room, 0);
            let r = inflate(&mut state, &data[pos..], &mut out[len..], MZFlush::None);
            out.truncate(len + r.bytes_written);
            pos += r.bytes_consumed;
            match r.status {
                Ok(MZStatus::StreamEnd) => break,
                Ok(_) => {
                    if r.bytes_consumed == 0 && r.bytes_written == 0 && pos >= data.len() {
                        return Err(truncated());
                    }
                }
                Err(MZError::Buf) => {
                    if pos >= data.len() {
                        return Err(truncated());
                    }
                    return Err(gz_err("corrupt deflate data"));
                }
                Err(_) => return Err(gz_err("corrupt deflate data")),
            }
        }
        let trailer = data.get(pos..pos + 8).ok_or_else(truncated)?;
        pos += 8;
        let crc = u32::from_le_bytes([trailer[0], trailer[1], trailer[2], trailer[3]]);
        let isize = u32::from_le_bytes([trailer[4], trailer[5], trailer[6], trailer[7]]);
        let member = &out[start..];
        if crc32(member) != crc {
            return Err(gz_err("CRC-32 mismatch"));
        }
        if member.len() as u32 != isize {
            return Err(gz_err("length mismatch"));
        }
    }
    if first {
        return Err(truncated());
    }
    Ok(out)
}

/// Parses one member header; returns its length.
fn member_header(d: &[u8]) -> LayerResult<usize> {
    if d.len() < 10 {
        return Err(truncated());
    }
    if d[0] != 0x1f || d[1] != 0x8b {
        return Err(gz_err("bad magic number"));
    }
    if d[2] != 8 {
        return Err(gz_err("unknown compression method"));
    }
    let flags = d[3];
    if flags & 0xe0 != 0 {
        return Err(gz_err("reserved header flags set"));
    }
    let mut pos = 10;
    if flags & 0x04 != 0 {
        // FEXTRA
        let x = d.get(pos..pos + 2).ok_or_else(truncated)?;
        pos += 2 + u16::from_le_bytes([x[0], x[1]]) as usize;
    }
    for bit in [0x08, 0x10] {
        // FNAME, FCOMMENT: zero-terminated
        if flags & bit != 0 {
            let rest = d.get(pos..).ok_or_else(truncated)?;
            let nul = rest.iter().position(|&b| b == 0).ok_or_else(truncated)?;
            pos += nul + 1;
        }
    }
    if flags & 0x02 != 0 {
        pos += 2; // FHCRC
    }
    if pos > d.len() {
        return Err(truncated());
    }
    Ok(pos)
}

const fn crc_tables() -> [[u32; 256]; 8] {
    let mut t = [[0u32; 256]; 8];
    let mut i = 0;
    while i < 256 {
        let mut c = i as u32;
        let mut k = 0;
        while k < 8 {
            c = if c & 1 != 0 { 0xedb8_8320 ^ (c >> 1) } else { c >> 1 };
            k += 1;
        }
        t[0][i] = c;
        i += 1;
    }
    let mut i = 0;
    while i < 256 {
        let mut s = 1;
        while s < 8 {
            t[s][i] = (t[s - 1][i] >> 8) ^ t[0][(t[s - 1][i] & 0xff) as usize];
            s += 1;
        }
        i += 1;
    }
    t
}

static CRC: [[u32; 256]; 8] = crc_tables();

/// CRC-32 (IEEE), as gzip's trailer carries it. Slice-by-8.
pub fn crc32(data: &[u8]) -> u32 {
    !crc32_update(!0, data)
}

/// Runs the (pre-inverted) CRC-32 state `c` over `data`.
fn crc32_update(mut c: u32, data: &[u8]) -> u32 {
    let mut chunks = data.chunks_exact(8);
    for ch in &mut chunks {
        let a = c ^ u32::from_le_bytes([ch[0], ch[1], ch[2], ch[3]]);
        c = CRC[7][(a & 0xff) as usize]
            ^ CRC[6][((a >> 8) & 0xff) as usize]
            ^ CRC[5][((a >> 16) & 0xff) as usize]
            ^ CRC[4][(a >> 24) as usize]
            ^ CRC[3][ch[4] as usize]
            ^ CRC[2][ch[5] as usize]
            ^ CRC[1][ch[6] as usize]
            ^ CRC[0][ch[7] as usize];
    }
    for &b in chunks.remainder() {
        c = CRC[0][((c ^ b as u32) & 0xff) as usize] ^ (c >> 8);
    }
    c
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gzip_of_parts_is_gzip_of_the_whole() {
        let data: Vec<u8> = (0..300_000u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8 & if i % 7 == 0 { 0xff } else { 0x0f }).collect();
        let whole = gzip(&data);
        for cuts in [vec![], vec![1], vec![512, 100_000], vec![65_535, 65_536, 65_537, 299_999]] {
            let mut parts = Vec::new();
            let mut at = 0;
            for c in cuts.iter().copied().chain([data.len()]) {
                parts.push(&data[at..c]);
                at = c;
            }
            assert_eq!(gzip_parts(parts), whole, "cut at {cuts:?}");
        }
        assert_eq!(gunzip(&whole, u64::MAX).unwrap(), data);
        assert_eq!(gzip_parts([]), gzip(&[]));
    }

    #[test]
    fn round_trip_and_determinism() {
        let data: Vec<u8> = (0..200_000u32).map(|i| (i * 7 % 251) as u8).collect();
        let z = gzip(&data);
        assert_eq!(z, gzip(&data));
        assert_eq!(&z[..10], &[0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff]);
        assert_eq!(gunzip(&z, 1 << 30).unwrap(), data);
        assert_eq!(crc32(b"123456789"), 0xcbf4_3926);
        assert_eq!(gunzip(&gzip(b""), 10).unwrap(), b"");
    }

    #[test]
    fn multi_member_and_limits() {
        let mut two = gzip(b"hello ");
        two.extend(gzip(b"world"));
        assert_eq!(gunzip(&two, 100).unwrap(), b"hello world");
        assert_eq!(gunzip(&two, 11).unwrap(), b"hello world");
        assert!(matches!(gunzip(&two, 10).unwrap_err().kind, LayerErrorKind::TooLarge { .. }));
        let z = gzip(&[0u8; 100_000]);
        assert!(matches!(gunzip(&z, 99_999).unwrap_err().kind, LayerErrorKind::TooLarge { .. }));
    }

    #[test]
    fn corrupt_and_truncated() {
        let data: Vec<u8> = (0..50_000u32).map(|i| (i % 13) as u8).collect();
        let z = gzip(&data);
        for cut in [0, 5, 10, 20, z.len() / 2, z.len() - 8, z.len() - 1] {
            let e = gunzip(&z[..cut], 1 << 30).unwrap_err();
            assert!(
                matches!(e.kind, LayerErrorKind::Truncated),
                "cut at {cut}: {e}"
            );
        }
        let mut bad = z.clone();
        let n = bad.len();
        bad[n - 6] ^= 1; // CRC
        assert!(matches!(gunzip(&bad, 1 << 30).unwrap_err().kind, LayerErrorKind::Gzip(_)));
        let mut bad = z.clone();
        bad[0] = 0;
        assert!(matches!(gunzip(&bad, 1 << 30).unwrap_err().kind, LayerErrorKind::Gzip(_)));
    }

    #[test]
    fn detects_what_it_refuses() {
        let zstd = [0x28, 0xb5, 0x2f, 0xfd, 0, 0];
        let e = decompress(&zstd, 100).unwrap_err();
        assert!(e.to_string().contains("zstd-compressed layers are not supported"), "{e}");
        assert_eq!(Compression::detect(b"BZh91AY"), Compression::Bzip2);
    }
}
