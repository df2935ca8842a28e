//! Walks the plan: runs each step, keeps the content-addressed cache, emits BuildKit-shaped progress.

pub mod archive;
pub mod context;
pub mod copy;
pub mod excerpt;
pub mod progress;
pub mod users;
