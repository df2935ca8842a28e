//! sha256 digests in the `sha256:<hex>` form OCI uses.

use sha2::{Digest, Sha256};

/// Lower-case hex of bytes.
pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(DIGITS[(b >> 4) as usize] as char);
        s.push(DIGITS[(b & 15) as usize] as char);
    }
    s
}

/// Lower-case hex sha256 of `data`.
pub fn sha256_hex(data: &[u8]) -> String {
    hex(&Sha256::digest(data))
}

/// `sha256:<hex>` of `data`.
pub fn sha256_digest(data: &[u8]) -> String {
    format!("sha256:{}", sha256_hex(data))
}

/// sha256 of a file's shared contents, remembered for large contents so that a build
/// that checks the same multi-megabyte file again (a cached `COPY --from` of a built
/// binary) does not hash it again. The memo holds a `Weak` of the contents: it keeps
/// the address it is keyed by from being reused while the entry lives, without keeping
/// the bytes alive; it is bounded in entries and cleared when full.
pub fn content_sha256(data: &std::sync::Arc<Vec<u8>>) -> [u8; 32] {
    use std::cell::RefCell;
    use std::collections::HashMap;
    use std::sync::Arc;
    /// Smaller contents are hashed each time: cheaper than the bookkeeping.
    const MEMO_MIN_BYTES: usize = 64 * 1024;
    const MEMO_MAX_ENTRIES: usize = 256;
    thread_local! {
        static MEMO: RefCell<HashMap<usize, (std::sync::Weak<Vec<u8>>, [u8; 32])>> = RefCell::new(HashMap::new());
    }
    let hash = || -> [u8; 32] { Sha256::digest(data.as_slice()).into() };
    if data.len() < MEMO_MIN_BYTES {
        return hash();
    }
    let key = Arc::as_ptr(data) as usize;
    if let Some(d) = MEMO.with(|m| m.borrow().get(&key).filter(|(w, _)| w.upgrade().is_some_and(|a| Arc::ptr_eq(&a, data))).map(|(_, d)| *d)) {
        return d;
    }
    let d = hash();
    MEMO.with(|m| {
        let mut m = m.borrow_mut();
        if m.len() >= MEMO_MAX_ENTRIES {
            m.clear();
        }
        m.insert(key, (Arc::downgrade(data), d));
    });
    d
}
