//! The process's memos of pure results, so that building the same thing again
//! (a `--no-cache` build, a new page session's first build of an example already
//! built, a benchmark's cold build) does not redo megabytes of work whose answer
//! cannot have changed:
//!
//! - [`padded`]: the large placeholder contents the simulations write (a stand-in
//!   binary, an apt index: a short text then zeros to the real file's size) are
//!   one shared buffer per (text, size), made once;
//! - [`content_checksum`]: the checksum of a file's contents for COPY's cache key,
//!   by the buffer's identity;
//! - [`blob_digest`]: the sha256 of a layer tar made of the same pieces — the same
//!   header bytes around the same shared buffers — as one hashed before.
//!
//! None of this is the build cache: steps still run and say so; only the hashing
//! and zero-filling of bytes known to be equal is skipped. An identity is a
//! buffer's address, checked on every hit through a `Weak` of the buffer: while
//! the memo's `Weak` lives, the address cannot be reused and the bytes cannot be
//! changed in place (`Arc::get_mut` and `Arc::make_mut` refuse to write through
//! a buffer that has weak references; they copy). Each memo is bounded and
//! emptied when full. [`clear`] forgets everything (for measuring a first build).

use crate::layer::Digest;
use sha2::{Digest as _, Sha256};
use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::{Arc, Weak};

/// Buffers smaller than this are made, hashed and compared each time: cheaper
/// than the bookkeeping.
pub const MIN_BYTES: usize = 64 * 1024;
/// The most bytes of placeholder contents kept alive by [`padded`].
const PADDED_MAX_BYTES: usize = 128 << 20;
const CONTENT_MAX_ENTRIES: usize = 512;
const BLOB_MAX_ENTRIES: usize = 512;

/// A buffer's address, kept valid by the `Weak` stored with it.
type Identity = usize;
/// A blob's key: sha256 of its small pieces' bytes and its large pieces' identities.
type BlobKey = [u8; 32];
/// A remembered buffer, held weakly.
type Buffer = Weak<Vec<u8>>;
/// A [`content_checksum`].
type Checksum = [u8; 32];

#[derive(Default)]
struct Memos {
    /// (text, size) → the padded buffer.
    padded: HashMap<(Vec<u8>, usize), Arc<Vec<u8>>>,
    padded_bytes: usize,
    content: HashMap<Identity, (Buffer, Checksum)>,
    /// Also the large pieces, to check that they are still the same buffers.
    blobs: HashMap<BlobKey, (Vec<Buffer>, Digest)>,
}

thread_local! {
    static MEMOS: RefCell<Memos> = RefCell::new(Memos::default());
}

/// `text` followed by zeros up to `size` bytes (just `text` when it is longer):
/// the same shared buffer every time for a large `size`.
pub fn padded(mut text: Vec<u8>, size: usize) -> Arc<Vec<u8>> {
    if size < MIN_BYTES || text.len() >= size {
        if text.len() < size {
            text.resize(size, 0);
        }
        return Arc::new(text);
    }
    let key = (text, size);
    if let Some(hit) = MEMOS.with(|m| m.borrow().padded.get(&key).cloned()) {
        return hit;
    }
    // zeroed memory, then the text: the allocator can hand out pages that are
    // already zero instead of filling them
    let mut data = vec![0u8; size];
    data[..key.0.len()].copy_from_slice(&key.0);
    let data = Arc::new(data);
    MEMOS.with(|m| {
        let mut m = m.borrow_mut();
        if m.padded_bytes + size > PADDED_MAX_BYTES {
            m.padded.clear();
            m.padded_bytes = 0;
        }
        m.padded_bytes += size;
        m.padded.insert(key, data.clone());
    });
    data
}

/// Whether `weak` still refers to `data`'s allocation.
fn same(weak: &Weak<Vec<u8>>, data: &Arc<Vec<u8>>) -> bool {
    std::ptr::eq(weak.as_ptr(), Arc::as_ptr(data)) && weak.strong_count() > 0
}

/// Zero bytes at the end of a buffer from which [`content_checksum`] hashes the
/// length of the run instead of the bytes.
const ZERO_TAIL_MIN: usize = 64 * 1024;

/// Where the trailing run of zero bytes of `data` starts.
fn zero_tail_start(data: &[u8]) -> usize {
    const BLOCK: usize = 256;
    let mut end = data.len();
    while end >= BLOCK && data[end - BLOCK..end].iter().fold(0u8, |a, &b| a | b) == 0 {
        end -= BLOCK;
    }
    while end > 0 && data[end - 1] == 0 {
        end -= 1;
    }
    end
}

/// The checksum of a file's contents that COPY's cache key uses: sha256 of the
/// bytes, except that a trailing run of at least 64 KiB of zeros (the padding of a
/// simulated binary or package file) enters as its length, not as bytes. It is a
/// function of the bytes alone — equal contents have equal checksums whatever made
/// them — and tagged so that the two forms never meet. Remembered for large
/// buffers (a cached `COPY --from` of a built binary checks the same file again).
pub fn content_checksum(data: &Arc<Vec<u8>>) -> [u8; 32] {
    let hash = || -> [u8; 32] {
        let head = zero_tail_start(data);
        let mut h = Sha256::new();
        if data.len() - head >= ZERO_TAIL_MIN {
            h.update(b"head+zeros\0");
            h.update((head as u64).to_le_bytes());
            h.update((data.len() as u64).to_le_bytes());
            h.update(&data[..head]);
        } else {
            h.update(b"bytes\0");
            h.update(data.as_slice());
        }
        h.finalize().into()
    };
    if data.len() < MIN_BYTES {
        return hash();
    }
    let key = Arc::as_ptr(data) as usize;
    if let Some(d) = MEMOS.with(|m| m.borrow().content.get(&key).filter(|(w, _)| same(w, data)).map(|(_, d)| *d)) {
        return d;
    }
    let d = hash();
    MEMOS.with(|m| insert_bounded(&mut m.borrow_mut().content, CONTENT_MAX_ENTRIES, key, (Arc::downgrade(data), d)));
    d
}

/// The digest of the concatenation of `parts`, from `compute` unless a blob of the
/// same small pieces around the same large buffers was hashed before.
pub fn blob_digest(parts: &[Arc<Vec<u8>>], compute: impl FnOnce() -> Digest) -> Digest {
    let large: Vec<&Arc<Vec<u8>>> = parts.iter().filter(|p| p.len() >= MIN_BYTES).collect();
    if large.is_empty() {
        return compute();
    }
    let mut h = Sha256::new();
    for p in parts {
        h.update((p.len() as u64).to_le_bytes());
        if p.len() >= MIN_BYTES {
            h.update(b"@");
            h.update((Arc::as_ptr(p) as usize as u64).to_le_bytes());
        } else {
            h.update(b"=");
            h.update(p.as_slice());
        }
    }
    let key: [u8; 32] = h.finalize().into();
    let hit = MEMOS.with(|m| {
        let m = m.borrow();
        let (weaks, d) = m.blobs.get(&key)?;
        (weaks.len() == large.len() && weaks.iter().zip(&large).all(|(w, p)| same(w, p))).then(|| d.clone())
    });
    if let Some(d) = hit {
        return d;
    }
    let d = compute();
    let weaks = large.iter().map(|p| Arc::downgrade(p)).collect();
    MEMOS.with(|m| insert_bounded(&mut m.borrow_mut().blobs, BLOB_MAX_ENTRIES, key, (weaks, d.clone())));
    d
}

/// Inserts into a memo of at most `max` entries, emptying it first when full.
fn insert_bounded<K: std::hash::Hash + Eq, V>(map: &mut HashMap<K, V>, max: usize, key: K, value: V) {
    if map.len() >= max {
        map.clear();
    }
    map.insert(key, value);
}

/// Forgets every memo, as a new process would start.
pub fn clear() {
    MEMOS.with(|m| *m.borrow_mut() = Memos::default());
}

#[cfg(test)]
mod tests {
    use super::*;

    fn digest_of(parts: &[Arc<Vec<u8>>]) -> Digest {
        Digest::of_parts(parts.iter().map(|p| p.as_slice()))
    }

    #[test]
    fn padded_is_one_buffer_per_text_and_size() {
        let a = padded(b"stand-in\n".to_vec(), 100_000);
        let b = padded(b"stand-in\n".to_vec(), 100_000);
        assert!(Arc::ptr_eq(&a, &b));
        assert_eq!(a.len(), 100_000);
        assert_eq!(&a[..9], b"stand-in\n");
        assert!(a[9..].iter().all(|&x| x == 0));
        assert!(!Arc::ptr_eq(&a, &padded(b"stand-in\n".to_vec(), 100_001)));
        assert!(!Arc::ptr_eq(&a, &padded(b"stand-in!".to_vec(), 100_000)));
        // small and overlong texts are plain buffers
        assert_eq!(*padded(b"ab".to_vec(), 5), b"ab\0\0\0".to_vec());
        assert_eq!(*padded(b"abcdef".to_vec(), 5), b"abcdef".to_vec());
    }

    #[test]
    fn blob_digest_is_remembered_only_for_the_same_buffers() {
        clear();
        let big = padded(b"x".to_vec(), 70_000);
        let head = Arc::new(b"header".to_vec());
        let parts = vec![head.clone(), big.clone(), Arc::new(vec![0u8; 3])];
        let want = digest_of(&parts);
        let mut calls = 0;
        assert_eq!(blob_digest(&parts, || { calls += 1; digest_of(&parts) }), want);
        assert_eq!(blob_digest(&parts, || { calls += 1; digest_of(&parts) }), want);
        assert_eq!(calls, 1, "the second digest comes from the memo");
        // equal bytes in a different buffer are hashed, not guessed
        let other = Arc::new(big.to_vec());
        let parts2 = vec![head.clone(), other, Arc::new(vec![0u8; 3])];
        assert_eq!(blob_digest(&parts2, || { calls += 1; digest_of(&parts2) }), want);
        assert_eq!(calls, 2);
        // different small bytes around the same buffer are a different blob
        let parts3 = vec![Arc::new(b"HEADER".to_vec()), big.clone(), Arc::new(vec![0u8; 3])];
        let d3 = blob_digest(&parts3, || { calls += 1; digest_of(&parts3) });
        assert_eq!(calls, 3);
        assert_ne!(d3, want);
    }

    #[test]
    fn the_checksum_is_a_function_of_the_bytes_alone() {
        clear();
        let sum = |v: Vec<u8>| content_checksum(&Arc::new(v));
        let padded_bin = padded(b"binary".to_vec(), 200_000);
        // the same bytes made another way
        let mut by_hand = b"binary".to_vec();
        by_hand.resize(200_000, 0);
        assert_eq!(content_checksum(&padded_bin), sum(by_hand.clone()));
        // one byte more or less of padding, a changed head, a non-zero byte in the run
        assert_ne!(sum(by_hand.clone()), sum(by_hand[..199_999].to_vec()));
        let mut head = by_hand.clone();
        head[0] = b'B';
        assert_ne!(sum(by_hand.clone()), sum(head));
        let mut dot = by_hand.clone();
        dot[150_000] = 1;
        assert_ne!(sum(by_hand.clone()), sum(dot.clone()));
        // all zeros, and a short zero tail, which is hashed as bytes
        assert_ne!(sum(vec![0; 100_000]), sum(vec![0; 100_001]));
        let mut short_tail = vec![7u8; 100_000];
        short_tail.extend([0; 10]);
        assert_eq!(sum(short_tail.clone()), <[u8; 32]>::from(Sha256::new().chain_update(b"bytes\0").chain_update(&short_tail).finalize()));
        assert_eq!(zero_tail_start(&dot), 150_001);
        assert_eq!(zero_tail_start(&[0; 1000]), 0);
        assert_eq!(zero_tail_start(b"ab\0"), 2);
    }

    #[test]
    fn a_freed_buffer_is_never_mistaken_for_a_new_one() {
        clear();
        let a = Arc::new(vec![1u8; MIN_BYTES]);
        let da = content_checksum(&a);
        drop(a);
        // a new buffer, possibly at the same address, with other bytes
        let b = Arc::new(vec![2u8; MIN_BYTES]);
        assert_ne!(content_checksum(&b), da);
        clear();
        assert_eq!(content_checksum(&b), content_checksum(&Arc::new(b.to_vec())));
    }

    #[test]
    fn a_remembered_buffer_is_copied_before_it_is_changed() {
        clear();
        let mut a = Arc::new(vec![1u8; MIN_BYTES]);
        let before = content_checksum(&a);
        Arc::make_mut(&mut a)[0] = 9;
        assert_ne!(content_checksum(&a), before);
    }
}
