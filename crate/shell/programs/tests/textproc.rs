//! Differential cases for sort, uniq, tr, cut.

use super::diff::check;

#[test]
fn sort() {
    check(&[
        "sort nope",
        "b\\na\\n|>sort -c",
        "sort -k",
        "sort -k 0",
        "sort -t ab",
        "a\\n|>sort -n -g",
        "b\\na\\nc\\na\\n|>sort",
        "b\\na\\nc\\na\\n|>sort -u",
        "b\\na\\nc\\na\\n|>sort -r",
        "10\\n9\\n-1\\n1.5\\nx\\n0\\n-0\\n|>sort -n",
        "10\\n9\\n-1\\n1.5\\nx\\n0\\n|>sort -rn",
        "b 2\\na 10\\nc 1\\n|>sort -k2n",
        "b 2\\na 10\\nc 1\\n|>sort -k2",
        "b:2\\na:10\\nc:1\\n|>sort -t: -k2,2n",
        "b:2:x\\na:2:y\\nc:1:z\\n|>sort -t: -k2,2 -k3r",
        "B\\na\\nC\\nb\\n|>sort -f",
        "B\\na\\nC\\nb\\n|>sort",
        "1.10\\n1.2\\n1.9\\n1.1\\n|>sort -V",
        "2K\\n1M\\n3\\n1G\\n|>sort -h",
        "1e3\\n5\\n-inf\\nabc\\n|>sort -g",
        "Feb\\nJan\\nxyz\\nDec\\n|>sort -M",
        "a\\n  b\\n c\\n|>sort",
        "a\\n  b\\n c\\n|>sort -b",
        "x 1\\ny 1\\nz 0\\n|>sort -k2,2 -s",
        "x 1\\ny 1\\nz 0\\n|>sort -k2,2 -u",
        "a\\nb\\n|>sort -o out",
        "cat out",
        "c\\nb|>sort",
        "1\\n1\\n2\\n|>sort -n -u",
        "ab.c\\naa.d\\n|>sort -t. -k1.2",
        "a,b\\n|>sort -d",
    ]);
}

#[test]
fn uniq() {
    check(&[
        "uniq nope",
        "a\\na\\nb\\n|>uniq -c",
        "a\\nA\\nb\\n|>uniq -ci",
        "uniq -f x",
        "a\\na\\nb\\nc\\nc\\n|>uniq -d",
        "a\\na\\nb\\nc\\nc\\n|>uniq -u",
        "a\\na\\nb\\nc\\nc\\n|>uniq -D",
        "x a\\ny a\\nz b\\n|>uniq -f1",
        "xa\\nya\\nzb\\n|>uniq -s1 -c",
        "ab\\nac\\nbd\\n|>uniq -w1",
        "a\\na|>uniq",
    ]);
}

#[test]
fn tr() {
    check(&[
        "tr",
        "tr a",
        "tr -d a b",
        "tr z-a x",
        "tr a b c",
        "tr [:upper:] x[:lower:]",
        "hello\\n|>tr -s l",
        "hello\\n|>tr a-y b-z",
        "hello\\n|>tr -c a-z X",
        "hello\\n|>tr -cd l",
        "abc\\n|>tr abc x",
        "abcd\\n|>tr -t abc xy",
        "a  b\\n|>tr -s ' '",
        "ABC\\n|>tr [:upper:] [:lower:]",
        "abc\\n|>tr [a*2] xyz",
        "abc\\n|>tr a-c [x*]",
        "tr -ds a",
        "tr a ''",
        "tr [:alpha:] [:digit:]",
        "hello\\n|>tr [:lower:] [:upper:]",
        "x1 2\\n|>tr -d [:space:][:digit:]",
        "abc\\n|>tr -s a-c x",
        "aabbcc\\n|>tr -s a-c",
        "hello\\n|>tr el '\\n\\t'",
        "abc\\n|>tr [=a=] z",
        "abc\\n|>tr a-c x[y*]z",
        "abcd\\n|>tr a-d xy",
        "abc\\n|>tr '\\141' Z",
        "a/b/c\\n|>tr / '\\n'",
        "hello world\\n|>tr -d ' '",
        "HeLLo\\n|>tr A-Z a-z",
    ]);
}

#[test]
fn cut() {
    check(&[
        "cut",
        "cut -f 0",
        "cut -d ab -f1",
        "cut -c 1-2-3",
        "cut -f 3-1",
        "cut -b1 -f2",
        "abc\\n|>cut -c2-",
        "cut -f1 nope",
        "cut -c x",
        "cut -f x",
        "cut -c 0",
        "a:b:c\\n|>cut -d: -f2-",
        "a:b:c\\n|>cut -d: -f1,3 --output-delimiter=-",
        "abc\\n|>cut -d: -f2",
        "abc\\n|>cut -s -d: -f2",
        "abcdef\\n|>cut -c 1,3-4 --output-delimiter=,",
        "a b\\n|>cut -f2",
        "a\\tb\\n|>cut -f2",
        "abcdef\\n|>cut --complement -c2-3",
        "abc\\n|>cut -c -2",
        "root:x:0:0\\nbin:x:1:1\\n|>cut -d: -f1,3",
        "a b c\\n|>cut -d ' ' -f 2-",
        "abc|>cut -c1",
    ]);
}
