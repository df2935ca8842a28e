//! Where `FROM` images come from: the builtin catalogue of labelled stand-in images.
