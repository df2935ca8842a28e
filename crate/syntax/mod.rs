//! Dockerfile text to a lossless syntax tree with byte spans; parser directives, heredocs, continuations.
