//! ENTRYPOINT/CMD combination and `docker run` overrides, executed in the builtin shell.
