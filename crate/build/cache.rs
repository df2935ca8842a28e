//! Cache keys and the step cache. A key is the sha256 of the parent's key and
//! everything that decides a step's result: the instruction after expansion, the
//! environment a RUN sees, the user and directory, and for COPY/ADD the content
//! checksum of the sources. Never mtimes, never the wall clock.

use crate::layer::Layer;
use crate::vfs::Vfs;
use sha2::{Digest as _, Sha256};
use std::collections::HashMap;
use std::sync::Arc;

/// Builds a key from labelled parts (length-prefixed, so parts cannot run together).
#[derive(Clone, Default)]
pub struct KeyBuilder(Sha256);

impl std::fmt::Debug for KeyBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("KeyBuilder")
    }
}

impl KeyBuilder {
    pub fn new(kind: &str, parent: &str) -> Self {
        let mut k = KeyBuilder(Sha256::new());
        k.part("v1");
        k.part(kind);
        k.part(parent);
        k
    }
    pub fn part(&mut self, s: &str) -> &mut Self {
        self.0.update((s.len() as u64).to_le_bytes());
        self.0.update(s.as_bytes());
        self
    }
    pub fn parts<S: AsRef<str>>(&mut self, items: &[S]) -> &mut Self {
        self.part(&items.len().to_string());
        for i in items {
            self.part(i.as_ref());
        }
        self
    }
    pub fn finish(self) -> String {
        crate::digest::hex(&self.0.finalize())
    }
}

/// A cached step: its layer and the filesystem after it.
#[derive(Clone, Debug)]
pub struct CachedStep {
    pub layer: Arc<Layer>,
    pub fs: Vfs,
}

/// The step cache of an engine (per session in the page, per process natively;
/// the CLI mirrors it into the store so a later process finds it).
#[derive(Clone, Debug, Default)]
pub struct StepCache {
    steps: HashMap<String, CachedStep>,
}

impl StepCache {
    pub fn get(&self, key: &str) -> Option<&CachedStep> {
        self.steps.get(key)
    }
    pub fn put(&mut self, key: String, step: CachedStep) {
        self.steps.insert(key, step);
    }
    pub fn len(&self) -> usize {
        self.steps.len()
    }
    pub fn is_empty(&self) -> bool {
        self.steps.is_empty()
    }
    /// Forgets everything (`docker builder prune`).
    pub fn clear(&mut self) {
        self.steps.clear();
    }
    /// The keys held (for persisting).
    pub fn keys(&self) -> impl Iterator<Item = &String> {
        self.steps.keys()
    }
}
