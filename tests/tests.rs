//! The one integration test binary: each module is one area of the engine, tested through
//! its public API and the `dfplay` binary.

mod util;
mod words;
