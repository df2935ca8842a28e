//! The one integration test binary: each module is one area of the engine, tested through
//! its public API and the `dfplay` binary.

mod util;
mod words;
mod parser;
mod lint;
mod shell;
mod archive;
mod gallery;
mod share;
mod terminal;
mod examples;
mod oci;
mod view;
mod page;
mod build;
#[cfg(target_os = "linux")]
mod host_executor;
