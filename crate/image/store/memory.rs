//! The in-memory store backend: hash maps of blobs and documents. The page's
//! store, and the one tests use when they do not test the directory.

use super::backend::{Backend, LockGuard, Space};
use crate::image::error::ImageResult;
use crate::layer::{Blob, Digest};
use std::collections::{BTreeMap, HashMap};

#[derive(Default)]
pub struct MemoryBackend {
    blobs: HashMap<Digest, Blob>,
    docs: BTreeMap<(Space, String), Vec<u8>>,
}

impl MemoryBackend {
    pub fn new() -> Self {
        MemoryBackend::default()
    }
}

impl Backend for MemoryBackend {
    fn persistent(&self) -> bool {
        false
    }

    fn read_blob(&self, digest: &Digest) -> ImageResult<Option<Blob>> {
        Ok(self.blobs.get(digest).cloned())
    }
    fn write_blob(&mut self, digest: &Digest, data: &Blob) -> ImageResult<()> {
        self.blobs.entry(digest.clone()).or_insert_with(|| data.clone());
        Ok(())
    }
    fn has_blob(&self, digest: &Digest) -> ImageResult<bool> {
        Ok(self.blobs.contains_key(digest))
    }
    fn delete_blob(&mut self, digest: &Digest) -> ImageResult<()> {
        self.blobs.remove(digest);
        Ok(())
    }
    fn list_blobs(&self) -> ImageResult<Vec<Digest>> {
        let mut v: Vec<Digest> = self.blobs.keys().cloned().collect();
        v.sort();
        Ok(v)
    }
    fn blob_size(&self, digest: &Digest) -> ImageResult<Option<u64>> {
        Ok(self.blobs.get(digest).map(|b| b.len() as u64))
    }
    fn read_doc(&self, space: Space, key: &str) -> ImageResult<Option<Vec<u8>>> {
        Ok(self.docs.get(&(space, key.to_string())).cloned())
    }
    fn write_doc(&mut self, space: Space, key: &str, data: &[u8]) -> ImageResult<()> {
        self.docs.insert((space, key.to_string()), data.to_vec());
        Ok(())
    }
    fn delete_doc(&mut self, space: Space, key: &str) -> ImageResult<()> {
        self.docs.remove(&(space, key.to_string()));
        Ok(())
    }
    fn list_docs(&self, space: Space) -> ImageResult<Vec<String>> {
        Ok(self.docs.keys().filter(|(s, _)| *s == space).map(|(_, k)| k.clone()).collect())
    }
    fn lock(&self) -> ImageResult<LockGuard> {
        // `&mut self` already serialises writers of one in-memory store
        Ok(Box::new(()))
    }
    fn location(&self) -> String {
        "memory".into()
    }
}
