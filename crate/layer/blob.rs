//! Bytes held in shared pieces. A layer tar is headers and padding around file
//! contents; the contents of a large file are the vfs's own buffer, shared, not
//! copied — so a 40 MB `apt-get update` layer costs its headers, not another
//! 40 MB, and the image store keeps the same pieces. Readers that need one slice
//! ask for [`Blob::contiguous`], which copies only a blob of several pieces.

use std::borrow::Cow;
use std::fmt;
use std::sync::Arc;

/// Contents at least this large are shared; smaller ones are copied into the
/// current piece (a piece per small file would cost more than the copy).
pub(crate) const SHARE_MIN: usize = 16 * 1024;

/// Immutable bytes in pieces; cloning is cheap.
#[derive(Clone, Default)]
pub struct Blob {
    parts: Arc<[Arc<Vec<u8>>]>,
    len: usize,
}

impl Blob {
    /// Bytes in all pieces.
    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The pieces, in order.
    pub fn parts(&self) -> impl Iterator<Item = &[u8]> + '_ {
        self.parts.iter().map(|p| p.as_slice())
    }

    /// The pieces themselves, shared.
    pub(crate) fn pieces(&self) -> &[Arc<Vec<u8>>] {
        &self.parts
    }

    /// The bytes as one slice: borrowed when there is one piece, else copied.
    pub fn contiguous(&self) -> Cow<'_, [u8]> {
        match &*self.parts {
            [] => Cow::Borrowed(&[]),
            [one] => Cow::Borrowed(one.as_slice()),
            _ => Cow::Owned(self.to_vec()),
        }
    }

    /// The bytes as one vector, without a copy when this is the only owner of one piece.
    pub fn into_vec(mut self) -> Vec<u8> {
        if let Some([one]) = Arc::get_mut(&mut self.parts) {
            return Arc::try_unwrap(std::mem::take(one)).unwrap_or_else(|shared| shared.to_vec());
        }
        self.to_vec()
    }

    /// The deterministic gzip of the bytes ([`super::gzip::gzip`]), read piece by piece.
    pub fn gzip(&self) -> Vec<u8> {
        super::gzip::gzip_parts(self.parts())
    }

    /// A copy of the bytes.
    pub fn to_vec(&self) -> Vec<u8> {
        let mut v = Vec::with_capacity(self.len);
        for p in self.parts() {
            v.extend_from_slice(p);
        }
        v
    }
}

impl From<Vec<u8>> for Blob {
    fn from(v: Vec<u8>) -> Blob {
        Blob::from(Arc::new(v))
    }
}

impl From<Arc<Vec<u8>>> for Blob {
    fn from(v: Arc<Vec<u8>>) -> Blob {
        let len = v.len();
        Blob { parts: Arc::from([v]), len }
    }
}

impl PartialEq for Blob {
    fn eq(&self, other: &Blob) -> bool {
        self.len == other.len && self.contiguous() == other.contiguous()
    }
}

impl Eq for Blob {}

impl fmt::Debug for Blob {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Blob({} bytes in {} pieces)", self.len, self.parts.len())
    }
}

/// Writes a [`Blob`]: bytes are appended to the current piece, large shared
/// buffers become pieces of their own.
#[derive(Default)]
pub(crate) struct BlobBuilder {
    parts: Vec<Arc<Vec<u8>>>,
    cur: Vec<u8>,
    len: usize,
}

impl BlobBuilder {
    pub fn with_capacity(n: usize) -> Self {
        BlobBuilder { parts: Vec::new(), cur: Vec::with_capacity(n), len: 0 }
    }

    pub fn push(&mut self, data: &[u8]) {
        self.cur.extend_from_slice(data);
        self.len += data.len();
    }

    pub fn push_zeros(&mut self, n: usize) {
        self.cur.resize(self.cur.len() + n, 0);
        self.len += n;
    }

    /// Appends `data`, sharing the buffer when it is large.
    pub fn push_shared(&mut self, data: &Arc<Vec<u8>>) {
        if data.len() < SHARE_MIN {
            return self.push(data);
        }
        if !self.cur.is_empty() {
            self.parts.push(Arc::new(std::mem::take(&mut self.cur)));
        }
        self.parts.push(data.clone());
        self.len += data.len();
    }

    /// Appends every piece of `blob`, sharing the large ones.
    pub fn push_blob(&mut self, blob: &Blob) {
        for p in blob.parts.iter() {
            self.push_shared(p);
        }
    }

    pub fn finish(mut self) -> Blob {
        if !self.cur.is_empty() || self.parts.is_empty() {
            self.cur.shrink_to_fit();
            self.parts.push(Arc::new(self.cur));
        }
        Blob { parts: self.parts.into(), len: self.len }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn large_buffers_are_shared_small_ones_copied() {
        let big = Arc::new(vec![7u8; SHARE_MIN]);
        let small = Arc::new(vec![1u8; 10]);
        let mut b = BlobBuilder::default();
        b.push(b"head");
        b.push_shared(&small);
        b.push_shared(&big);
        b.push_zeros(3);
        let blob = b.finish();
        assert_eq!(blob.len(), 4 + 10 + SHARE_MIN + 3);
        assert_eq!(blob.parts().count(), 3);
        assert!(blob.parts().any(|p| std::ptr::eq(p.as_ptr(), big.as_ptr())), "the large buffer is not copied");
        let flat = blob.to_vec();
        assert_eq!(&flat[..4], b"head");
        assert_eq!(&flat[4..14], &[1u8; 10]);
        assert_eq!(&flat[flat.len() - 3..], &[0, 0, 0]);
        assert_eq!(blob, Blob::from(flat.clone()));
        assert!(matches!(Blob::from(flat).contiguous(), Cow::Borrowed(_)));
        assert!(BlobBuilder::default().finish().is_empty());
    }
}
