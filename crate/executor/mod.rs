//! The seam for RUN commands the builtin shell lacks: host executors and the labelled toolchain simulation.
