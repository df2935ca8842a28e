//! BuildKit shell-word rules: variable substitution and word splitting in instructions.
