//! Errors of the image layer (store, archives, references), worded as the
//! docker CLI prints them (`No such image: x:latest`, `conflict: unable to
//! delete … (must be forced) - …`) and, for archives, naming the file inside
//! the tar that is wrong.

use crate::layer::LayerError;
use std::fmt;

/// What went wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ImageErrorKind {
    /// No image answers to the reference.
    NoSuchImage,
    /// `rmi` refused (the image has several tags, …).
    Conflict,
    /// The reference text is not a valid image name.
    InvalidReference,
    /// An image archive is malformed: missing files, bad JSON, hostile names.
    InvalidArchive,
    /// A blob's content does not match the digest that names it.
    DigestMismatch,
    /// A layer tar is malformed, hostile or too large.
    Layer,
    /// Something is over a playground limit.
    TooLarge,
    /// A format or media type dfplay does not read.
    Unsupported,
    /// The store's files cannot be read or written, or are corrupt.
    Store,
    /// Another process holds the store's lock.
    Locked,
}

/// An image error: its kind and the full message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageError {
    pub kind: ImageErrorKind,
    pub message: String,
    /// The layer error behind a [`ImageErrorKind::Layer`].
    pub layer: Option<LayerError>,
}

impl ImageError {
    pub fn new(kind: ImageErrorKind, message: impl Into<String>) -> Self {
        ImageError { kind, message: message.into(), layer: None }
    }
    pub fn no_such_image(reference: &str) -> Self {
        ImageError::new(ImageErrorKind::NoSuchImage, format!("No such image: {reference}"))
    }
    pub fn archive(message: impl Into<String>) -> Self {
        ImageError::new(ImageErrorKind::InvalidArchive, format!("invalid image archive: {}", message.into()))
    }
    pub fn store(message: impl Into<String>) -> Self {
        ImageError::new(ImageErrorKind::Store, message)
    }
    /// A layer error, with where the layer came from (`layer 2 (blobs/sha256/…)`).
    pub fn layer(context: &str, e: LayerError) -> Self {
        let kind = match e.kind {
            crate::layer::LayerErrorKind::TooLarge { .. } | crate::layer::LayerErrorKind::TooManyEntries { .. } => ImageErrorKind::TooLarge,
            crate::layer::LayerErrorKind::UnsupportedCompression(_) => ImageErrorKind::Unsupported,
            _ => ImageErrorKind::Layer,
        };
        ImageError { kind, message: format!("{context}: {e}"), layer: Some(e) }
    }
}

impl fmt::Display for ImageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ImageError {}

impl From<crate::reference::ReferenceError> for ImageError {
    fn from(e: crate::reference::ReferenceError) -> Self {
        ImageError::new(ImageErrorKind::InvalidReference, e.0)
    }
}

pub type ImageResult<T> = Result<T, ImageError>;
