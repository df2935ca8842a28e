//! dfplay: a Dockerfile playground engine.
//!
//! The pipeline (see ARCHITECTURE.md): [`syntax`] → [`words`] → [`instructions`] →
//! [`plan`] → [`build`] (over [`vfs`], [`layer`], [`shell`], [`executor`], [`bases`]) →
//! [`image`] → [`run`], with [`lint`] beside the parser. The engine does no IO of its
//! own: the `dfplay` binary and the [`wasm`] bindings give it a host.
#![forbid(unsafe_code)]

pub mod archive;
pub mod bases;
pub mod build;
pub mod civil;
pub mod context;
pub mod digest;
pub mod dockerignore;
pub mod executor;
#[cfg(not(target_arch = "wasm32"))]
pub mod host;
pub mod image;
pub mod instructions;
pub mod layer;
pub mod limits;
pub mod memo;
pub mod page;
pub mod lint;
pub mod plan;
pub mod reference;
pub mod run;
pub mod share;
pub mod session;
pub mod shell;
pub mod syntax;
pub mod terminal;
pub mod vfs;
pub mod view;
pub mod words;

#[cfg(target_arch = "wasm32")]
pub mod wasm;
