//! BuildKit build checks over the syntax tree and typed instructions.
