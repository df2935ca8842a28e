//! Walks the plan: runs each step, keeps the content-addressed cache, emits BuildKit-shaped progress.
