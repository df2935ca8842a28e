//! Differential cases for the programs that change the tree and read files.

use super::diff::check;

#[test]
fn mkdir_rmdir() {
    check(&[
        "mkdir a",
        "mkdir a",
        "mkdir x/y",
        "mkdir -p a/b/c",
        "mkdir -m 700 m",
        "mkdir -m 8 n",
        "mkdir -m u=rwx,g=rx n2",
        "mkdir -v v1",
        "mkdir -pv p1/p2",
        "mkdir",
        "rmdir a",
        "rmdir nope",
        "rmdir -p a/b/c",
        "rmdir -v p1/p2",
        "touch f",
        "rmdir f",
        "mkdir -p f/g",
        "mkdir -p f",
    ]);
}

#[test]
fn rm() {
    check(&[
        "mkdir -p d/e m",
        "touch d/x d/e/y f",
        "rm nope",
        "rm -f nope",
        "rm m",
        "rm -d m",
        "rm",
        "rm -f",
        "rm -rf .",
        "rm -r ..",
        "rm -v f",
        "rm -rv d/e",
        "rm -r d",
        "rm f/",
        "mkdir q",
        "touch q/z",
        "rm -d q",
        "rm -r q",
    ]);
}

#[test]
fn touch() {
    check(&["touch -c nope", "touch nope/x", "touch -d xx t3", "touch a b", "touch -r a c", "touch -t 2001 f"]);
}

#[test]
fn cp() {
    check(&[
        "mkdir d e",
        "printf 'hi\\n' > f",
        "printf hi\\n|>tee f",
        "cp f",
        "cp nope x",
        "cp d x",
        "cp -r d x",
        "cp f g h",
        "cp f d/",
        "cp f d/sub/",
        "cp f nodir/",
        "cp -r d e",
        "cp -r d e",
        "cp f f",
        "cp -v f g",
        "cp -rv d y",
        "mkdir y2",
        "cp d/f y2/",
        "cp -r d/ e2/",
        "ln -s f lnk",
        "cp lnk l2",
        "cp -a lnk l3",
        "cp -r lnk l4",
        "cp -P lnk l5",
        "cp -r d f",
        "cp f e/d",
        "cp f nodir/x",
        "cp -r d nodir/x",
        "chmod 600 g",
        "cp f g",
        "cp -p g g2",
        "cp -t e f g",
        "cp -t nope f",
        "cp -T d e/d",
        "cp -n f g",
        "cp -a d arch",
    ]);
}

#[test]
fn cp_into_itself() {
    check(&["mkdir d", "touch d/f", "cp -r d d/sub", "cp -r d/sub/ d/sub/x"]);
}

#[test]
fn mv() {
    check(&[
        "mkdir d e w",
        "printf hi\\n|>tee f",
        "mv",
        "mv nope x",
        "mv f d/",
        "mv d e",
        "mv e/d .",
        "mkdir -p z/w",
        "touch z/w/q",
        "mv w z",
        "mv z w2",
        "mv w2 w2/sub",
        "mv -v d dd",
        "touch g",
        "mv g g",
        "mv g nodir/x",
        "mv dd g",
        "mv g dd",
        "mv -t w2 dd",
        "mv -n w2/w/q w2",
    ]);
}

#[test]
fn ln() {
    check(&[
        "printf hi\\n|>tee f",
        "mkdir d",
        "ln -s f l",
        "ln -s f l",
        "ln f h",
        "ln -sf g l",
        "ln -s /x d",
        "ln -sfn /y d2",
        "ln -sfn /z d2",
        "ln -s f",
        "ln nope x",
        "ln d dh",
        "ln -sv f vv",
        "ln",
        "ln -s f x y",
        "ln f f",
        "ln -s x x",
        "ln -sr f d/rel",
        "ln -sv ../f d/",
    ]);
}

#[test]
fn chmod_chown() {
    check(&[
        "touch f",
        "mkdir -p d/e",
        "chmod",
        "chmod 755",
        "chmod 755 nope",
        "chmod u+x nope f",
        "chmod -v 644 f",
        "chmod -c 644 f",
        "chmod -c 600 f",
        "chmod a+X d f",
        "chmod g=u f",
        "chmod o=r,u-w f",
        "chmod 4755 f",
        "chmod -R go-rwx d",
        "chmod +t d",
        "chmod =x f",
        "chmod +w f",
        "chmod zz f",
        "chmod u+q f",
        "chmod -x f",
        "chmod 7777 f",
        "chmod -w f",
        "chmod u=go f",
        "chmod -R a+rX d",
        "chown",
        "chown root",
        "chown bob f",
        "chown root:bob f",
        "chown -v root:root f",
        "chown -c 0:0 f",
        "chgrp bob f",
        "chgrp -v root f",
    ]);
}

#[test]
fn head_tail_wc_cat() {
    check(&[
        "printf 'a b\\nc\\n' |>tee f",
        "printf 'hello world\\n' |>tee g",
        "mkdir dir",
        "wc f",
        "wc -l f",
        "wc -l f g",
        "wc f g",
        "wc -c f nope",
        "wc dir",
        "a\\nb\\n|>wc -l",
        "x|>wc -c",
        "head nope",
        "head dir",
        "tail nope",
        "tail dir",
        "cat dir",
        "head -n 1 f g",
        "tail -c 3 f",
        "head -c -2 f",
        "head -n -1 f",
        "tail -n +2 f",
        "tail -3 f",
        "head -1 f",
        "tail +2 f",
        "cat -A f",
        "a\\n\\n\\n\\nb\\n|>cat -sn",
        "a\\n\\nb\\n|>cat -b",
        "cat f - g",
        "tee /nope/x",
        "wc -L g",
        "wc -m g",
        "head -n x f",
        "tail -n 0 f",
        "tail -c +3 f",
        "head -c 0 f",
        "1\\n2\\n3\\n4\\n5\\n6\\n7\\n8\\n9\\n10\\n11\\n12|>tail",
        "1\\n2\\n3|>tail -n 2",
        "1\\n2\\n3|>head -n 2",
        "cat -e f",
        "cat -T f",
    ]);
}

#[test]
fn test_and_bracket() {
    check(&[
        "touch f",
        "mkdir d",
        "ln -s f l",
        "ln -s nope dangling",
        "test 1 -eq x",
        "test a b",
        "test a b c",
        "test ( a",
        "test a -a",
        "test -f",
        "test ! -f",
        "test 1 -lt 2 3",
        "test ( a ) )",
        "test -z",
        "test a = b = c",
        "test -n a -a",
        "test 1 -eq 1.5",
        "test ' 1' -eq 1",
        "test '1 ' -eq 1",
        "test -eq",
        "test a -ef",
        "test x -nt y",
        "[ a",
        "[ a = a ]",
        "[ -n ]",
        "test -- -eq",
        "test 99999999999999999999 -gt 1",
        "test -1 -lt +2",
        "test -f f",
        "test -d d -a -f f",
        "test -d f -o -e d",
        "test -L l",
        "test -h dangling",
        "test -e dangling",
        "test ! -e f",
        "test ( -f f ) -a ( -d d )",
        "test ! ( -f f -a -d f )",
        "test -s f",
        "test -x d",
        "test -r f",
        "test -w f",
        "test f -ef l",
        "test abc != abd",
        "test '' = ''",
        "test",
        "[ ]",
        "test ! ! a",
        "test ( ! a )",
        "test -z '' -o x = y",
        "test 007 -eq 7",
        "test -0 -eq +0",
        "test x -a '' -o y",
        "test ! = a",
        "test ( = )",
    ]);
}
