//! The builtin POSIX shell that RUN and `run` use: parsing, expansion, execution on a vfs,
//! and the programs (`cat`, `cp`, `sed`, …) found through PATH in the image.

pub mod proc;
pub mod programs;
