//! The one integration test binary: each module is one area of the engine, tested through
//! its public API and the `dfplay` binary.

mod util;
mod archive;
mod gallery;
mod share;
mod terminal;
mod words;
mod examples;
mod parser;
mod shell;
mod oci;
mod view;
mod page;
mod build;
