//! Stages as a graph: names and indices, --target, pruning, step labels as BuildKit prints them.
