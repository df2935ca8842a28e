//! Differential cases for the checksum programs, gzip and tar. Compressed bytes
//! differ from GNU's (another deflate), so cases remove archives before the
//! trees are compared and check contents through decompression.

use super::diff::check;

#[test]
fn checksums() {
    check(&[
        "hi\\n|>tee h1",
        "sha256sum h1 nope",
        "sha256sum h1 h1",
        "md5sum h1",
        "hi\\n|>md5sum",
        "sha1sum h1",
        "sha512sum h1",
        "sha224sum h1",
        "sha384sum h1",
        "sha256sum --tag h1",
        "98ea6e4f216f2fb4b69fff9b3a44842c38686ca685f3f55dc48c5d3fb1107be4  h1\\n|>sha256sum -c",
        "98ea6e4f216f2fb4b69fff9b3a44842c38686ca685f3f55dc48c5d3fb1107be4  h1\\n|>sha256sum -c -",
        "08ea6e4f216f2fb4b69fff9b3a44842c38686ca685f3f55dc48c5d3fb1107be4  h1\\n|>sha256sum -c",
        "98ea6e4f216f2fb4b69fff9b3a44842c38686ca685f3f55dc48c5d3fb1107be4  nope\\n|>sha256sum -c",
        "0000  nope\\n|>sha256sum -c",
        "garbage\\n|>sha256sum -c",
        "98ea6e4f216f2fb4b69fff9b3a44842c38686ca685f3f55dc48c5d3fb1107be4  h1\\n|>sha256sum -c --quiet",
        "08ea6e4f216f2fb4b69fff9b3a44842c38686ca685f3f55dc48c5d3fb1107be4  h1\\n|>sha256sum -c --status",
        "SHA256 (h1) = 98ea6e4f216f2fb4b69fff9b3a44842c38686ca685f3f55dc48c5d3fb1107be4\\n|>sha256sum -c",
        "764efa883dda1e11db47671c4a3bbd9e *h1\\nbad\\n|>md5sum -c",
        "mkdir dd",
        "sha256sum dd",
        "touch 'we\\ird'",
        "sha256sum 'we\\ird'",
        "md5sum -z h1",
    ]);
}

#[test]
fn gzip() {
    check(&[
        "hello\\n|>tee f",
        "cp f g",
        "gzip f",
        "x\\n|>tee f",
        "gzip f",
        "gzip -f f",
        "gzip nope",
        "gzip -d g",
        "notgz\\n|>tee h.gz",
        "gzip -d h.gz",
        "gunzip -c f.gz",
        "zcat f.gz",
        "gzip -k g",
        "gzip -t g.gz",
        "mkdir d",
        "gzip d",
        "zcat g",
        "gunzip g.gz",
        "rm g",
        "gunzip g.gz",
        "gzip -d -c nope.gz",
        "rm f.gz h.gz",
        "gzip -c g",
        "rm g",
    ]);
}

#[test]
fn tar() {
    check(&[
        "mkdir -p src/sub",
        "a\\n|>tee src/a",
        "b\\n|>tee src/sub/b",
        "ln -s a src/l",
        "chmod 600 src/sub/b",
        "tar cf t.tar src",
        "S:tar tf t.tar",
        "S:tar cvf t2.tar src",
        "tar czf t.tgz -C src .",
        "S:tar tzf t.tgz",
        "mkdir out",
        "tar xf t.tar -C out",
        "tar xvf t.tar -C out src/a",
        "tar xf nope.tar",
        "tar",
        "tar cf x.tar nope",
        "tar xzf t.tar",
        "tar xf t.tgz -C out",
        "mkdir o2",
        "tar xf t.tar -C o2 --strip-components=1",
        "tar xf t.tar -C nodir",
        "tar tf t.tar src/a nope",
        "tar xOf t.tar src/a",
        "mkdir o3",
        "tar -xzf t.tgz -C o3 ./sub/b",
        "tar cf",
        "tar cf empty.tar",
        "tar xf t.tar --exclude=b -C o3",
        "rm t.tar t2.tar t.tgz",
    ]);
}
