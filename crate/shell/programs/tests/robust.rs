//! Every program on hostile arguments and input: no panic, bounded work.
//! Arguments are drawn (deterministically) from a pool of options, numbers,
//! patterns and paths that exercise error paths, with random stdin bytes.

use super::World;
use crate::shell::proc::Budget;

const POOL: &[&str] = &[
    "-", "--", "-n", "-c", "-e", "-f", "-i", "-r", "-R", "-l", "-a", "-d", "-s", "-t", "-u", "-v", "-x", "-z", "-0", "-1", "-9", "-k", "-w",
    "-E", "-F", "-o", "-p", "-m", "-h", "-L", "-P", "-C", "-A", "-B", "-I{}", "-n5", "-c3", "-k2,2n", "-t:", "-d:", "-f1,3", "-c2-",
    "--help", "--version", "--foo", "--lines=2", "--=", "0", "1", "-1", "+2", "99999999999999999999", "1e3", "0x1F", "3.5", "abc",
    "", " ", "*", "?", "[", "]", "[[:alpha:]]", "[z-a]", "\\", "\\(", "\\)", "\\{1,2\\}", "a*b", "(a|b)+", "^$", ".*", "x{2,}",
    "s/a/b/g", "s/\\(a\\)/\\2/", "1,3p", "$!N;P;D", ":a;N;ba", "y/ab/c/", "/x/d", "{", "}", "=", "q5", "u+x", "755", "a=rX", "root:root",
    "1000:1000", "f", "d", "d/", "nope", "/", ".", "..", "/etc/passwd", "l", "dir/sub", "/dev/zero", "/dev/null", "%s", "%d", "%5.2f",
    "%b", "%z", "%*d", "\\x41\\101", "{}", ";", "+", "(", ")", "!", "-name", "-type", "-exec", "-maxdepth", "-delete", "-print0", "-o",
    "-eq", "=", "!=", "-lt", "length", "substr", ":", "+%Y", "@0", "2024-01-01", "-Iseconds", "if=f", "of=g", "bs=1", "count=3",
    "-oL", "-cf", "-xf", "-tf", "-czf", "x.tar", "x.gz", "-D", "-S", "-G", "grp", "user1", "https://example.com/a",
];

fn next(x: &mut u64) -> u64 {
    *x ^= *x << 13;
    *x ^= *x >> 7;
    *x ^= *x << 17;
    *x
}

#[test]
fn programs_survive_hostile_arguments() {
    let mut seed = 0x9E37_79B9_7F4A_7C15u64;
    for name in super::super::NAMES {
        for round in 0..60 {
            let mut w = World::new();
            w.file("/f", "a b\nab\n\nxyz 123\n");
            w.file("/g", "line\n");
            w.file("/dir/sub/x", "x\n");
            let _ = w.fs.symlink("f", "/l");
            let _ = w.fs.mkdir("/d", 0o755);
            w.budget = Budget::new(20_000);
            let n = (next(&mut seed) % 6) as usize;
            let mut argv = vec![name.to_string()];
            for _ in 0..n {
                argv.push(POOL[(next(&mut seed) % POOL.len() as u64) as usize].to_string());
            }
            let len = (next(&mut seed) % 64) as usize;
            let stdin: Vec<u8> = (0..len).map(|_| match next(&mut seed) % 5 {
                0 => b'\n',
                1 => 0,
                2 => b' ',
                _ => (next(&mut seed) % 256) as u8,
            }).collect();
            let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| w.run(&argv, &stdin)));
            assert!(r.is_ok(), "{name} panicked (round {round}) on {argv:?} with stdin {stdin:?}");
        }
    }
}

#[test]
fn deep_nesting_is_refused_not_a_stack_overflow() {
    let mut w = World::new();
    let mut argv = vec!["expr".to_string()];
    argv.extend(std::iter::repeat_n("(".to_string(), 100_000));
    assert_eq!(w.run(&argv, b"").status, 2);
    let mut argv = vec!["test".to_string()];
    argv.extend(std::iter::repeat_n("(".to_string(), 100_000));
    assert_eq!(w.run(&argv, b"").status, 2);
    let mut argv = vec!["find".to_string(), "/".to_string()];
    argv.extend(std::iter::repeat_n("-true".to_string(), 100_000));
    assert_eq!(w.run(&argv, b"").status, 1);
    let pat = "(".repeat(100_000);
    assert_eq!(w.run_args(&["grep", "-E", &pat], "x\n").status, 2);
    let pat = format!("a{}", "*".repeat(100_000));
    assert_eq!(w.run_args(&["grep", &pat], "x\n").status, 2);
}
