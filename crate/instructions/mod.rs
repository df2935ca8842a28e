//! Typed Dockerfile instructions lowered from the syntax tree, with their flags validated.
