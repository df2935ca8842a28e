//! Differential cases for ls, stat, readlink, realpath, date, env, which.

use super::diff::check;

#[test]
fn ls() {
    check(&[
        "hi\\n|>tee f",
        "seq 2000|>tee big",
        "mkdir -p d/e",
        "ln -s f l",
        "chmod 4755 f",
        "touch -d '2020-01-01 10:00' old",
        "touch -d '2037-06-01' future",
        "ls",
        "ls -l",
        "ls -la d",
        "ls -lh",
        "ls -ld d l",
        "ls -F",
        "ls -p",
        "ls -1a",
        "ls -A d",
        "ls -R",
        "ls -lS",
        "ls nope d",
        "ls -n f",
        "ls -go f",
        "ls -l l/",
        "ls l",
        "ls -ls f",
        "ls -C",
        "ls -m",
        "ls -x",
        "ls -d",
        "ls -d d/",
        "ls -Q f",
        "ls -lL l",
        "ls -r",
        "ls d f",
        "ls -lR d",
        "ls -a d/e",
        "ls -1 --group-directories-first",
        "ls -z",
    ]);
}

#[test]
fn stat_readlink_realpath() {
    check(&[
        "hi\\n|>tee f",
        "mkdir d",
        "ln -s f l",
        "ln -s d/x dangling",
        "stat -c '%a|%A|%b|%B|%F|%g|%G|%h|%n|%N|%s|%u|%U' f l d",
        "stat -L -c %F l",
        "stat nope",
        "stat --printf='%n\\t%s\\n' f",
        "stat -c '%04a %-5s|' f",
        "readlink l",
        "readlink f",
        "readlink -f l",
        "readlink -f nope/x",
        "readlink -e nope",
        "readlink -m nope/x/../y",
        "readlink",
        "readlink -v f",
        "realpath nope",
        "realpath l",
        "realpath -m nope/x",
        "realpath -e dangling",
        "realpath dangling",
        "realpath --relative-to=d f",
        "realpath -s l",
    ]);
}

#[test]
fn date_env_which() {
    check(&[
        "date -d xx",
        "date x",
        "date -d @0 x",
        "date -u -d @0",
        "date -R -d @0",
        "date -I -d @0",
        "date -Ih -d @0",
        "date -Iseconds -d @0",
        "date -d @1700000000 +%Y-%m-%dT%H:%M:%S",
        "date -d '2024-02-29 13:14:15' '+%a %A %b %B %j %U %W %V %G %u %w %s %e %k %l %p %I'",
        "date -d 2024-01-01 +%s",
        "date -u -d @86399 '+%H:%M:%S %Z %z %:z'",
        "date -r nope",
        "date --rfc-3339=seconds -d @0",
        "date -d @0 +%%%n%t|",
        "env -u",
        "env -i",
        "env -i FOO=1",
        "env -i A=1 B=2",
        "env nonexist",
        "env -i PATH=/bin:/usr/bin true",
        "env -u PATH -i X=1",
        "env -i ./nope",
        "env -x",
        "which nope",
        "which",
    ]);
}
