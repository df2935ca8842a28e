//! OCI image config, manifest and index; history; export/import of image tars; the image store.
