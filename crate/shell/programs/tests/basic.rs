//! Tests of the small programs of `basic.rs`.

use super::World;

#[test]
fn echo_is_gnu_bin_echo() {
    let mut w = World::new();
    assert_eq!(w.run_args(&["echo", "-n", "-e", "a\\nb", "-x"], "").out, "a\nb -x");
    assert_eq!(w.run_args(&["echo", "a\\tb"], "").out, "a\\tb\n");
    assert_eq!(w.run_args(&["echo", "-nx", "y"], "").out, "-nx y\n");
    assert_eq!(w.run_args(&["echo", "-e", "x\\cy", "z"], "").out, "x");
}

#[test]
fn seq_like_gnu() {
    let mut w = World::new();
    assert_eq!(w.sh("seq 1 0.5 3").out, "1.0\n1.5\n2.0\n2.5\n3.0\n");
    assert_eq!(w.sh("seq -w 8 10").out, "08\n09\n10\n");
    assert_eq!(w.sh("seq -s, 3").out, "1,2,3\n");
    assert_eq!(w.sh("seq 5 -2 1").out, "5\n3\n1\n");
    assert_eq!(w.sh("seq -w -1 1").out, "-1\n00\n01\n");
    assert_eq!(w.sh("seq 1e2 1e2 3e2").out, "100\n200\n300\n");
    assert_eq!(w.sh("seq -f %03g 3").out, "001\n002\n003\n");
    assert_eq!(w.sh("seq 3 1").out, "");
    let d = w.sh("seq x");
    assert_eq!((d.status, d.err.as_str()), (1, "seq: invalid floating point argument: 'x'\nTry 'seq --help' for more information.\n"));
    let d = w.sh("seq 1 0 3");
    assert_eq!(d.err, "seq: invalid Zero increment value: '0'\nTry 'seq --help' for more information.\n");
    assert_eq!(w.sh("seq -f %d 2").err, "seq: format '%d' has unknown %d directive\n");
}

#[test]
fn names_and_paths() {
    let mut w = World::new();
    assert_eq!(w.sh("basename -a a/b c/d/").out, "b\nd\n");
    assert_eq!(w.sh("basename -s .c x.c y.c").out, "x\ny\n");
    assert_eq!(w.sh("basename /").out, "/\n");
    assert_eq!(w.sh("basename a/b.c .c").out, "b\n");
    assert_eq!(w.sh("basename .c .c").out, ".c\n");
    assert_eq!(w.sh("basename a b c").err, "basename: extra operand 'c'\nTry 'basename --help' for more information.\n");
    assert_eq!(w.sh("dirname a/b/ / // a //a/b a//b").out, "a\n/\n/\n.\n//a\na\n");
    assert_eq!(w.sh("dirname").status, 1);
}

#[test]
fn identity() {
    let mut w = World::new();
    assert_eq!(w.sh("id").out, "uid=0(root) gid=0(root) groups=0(root),4(adm)\n");
    assert_eq!(w.sh("id -un").out, "root\n");
    assert_eq!(w.sh("id -G").out, "0 4\n");
    assert_eq!(w.sh("id nobody").out, "uid=65534(nobody) gid=65534(nogroup) groups=65534(nogroup)\n");
    assert_eq!(w.sh("id bob").err, "id: 'bob': no such user\n");
    assert_eq!(w.sh("whoami").out, "root\n");
    w.uid = 1234;
    assert_eq!(w.sh("whoami").err, "whoami: cannot find name for user ID 1234\n");
    assert_eq!(w.sh("uname -m").out, "x86_64\n");
    assert_eq!(w.sh("uname").out, "Linux\n");
    assert!(w.sh("uname -a").out.ends_with(" x86_64 GNU/Linux\n"));
    assert_eq!(w.sh("uname -x").status, 1);
}

#[test]
fn sleep_advances_the_virtual_clock() {
    let mut w = World::new();
    let t0 = w.clock.now;
    assert_eq!(w.sh("sleep 1 2m 0.5").status, 0);
    assert_eq!(w.clock.now, t0 + 122);
    assert_eq!(w.sh("sleep 1x").err, "sleep: invalid time interval '1x'\nTry 'sleep --help' for more information.\n");
}

#[test]
fn yes_stops_on_a_broken_pipe_or_limit() {
    use crate::shell::proc::{Budget, Clock, Ctx, Input, WriteError};
    for (error, status) in [(WriteError::BrokenPipe, 141), (WriteError::Limit, 1)] {
        let mut fs = crate::vfs::Vfs::new();
        let mut sink = super::Capped { data: Vec::new(), room: 100_000, error };
        let mut e: Vec<u8> = Vec::new();
        let mut input = Input::empty();
        let mut runner = super::WorldRunner;
        let mut clock = Clock { now: 0 };
        let mut budget = Budget::new(1_000_000);
        let mut ctx = Ctx {
            fs: &mut fs,
            cwd: "/".into(),
            env: vec![],
            uid: 0,
            gid: 0,
            stdin: &mut input,
            stdout: &mut sink,
            stderr: &mut e,
            runner: &mut runner,
            clock: &mut clock,
            budget: &mut budget,
        };
        let yes = super::super::lookup("yes").unwrap();
        assert_eq!(yes(&mut ctx, &["yes".to_string()]), status);
        assert!(e.is_empty());
    }
}

#[test]
fn yes_stops_when_the_budget_is_spent() {
    let mut w = World::new();
    w.budget = crate::shell::proc::Budget::new(1000);
    let d = w.sh("yes");
    assert_eq!(d.status, 1);
    assert!(w.budget.exhausted);
}

#[test]
fn unknown_options_are_usage_errors() {
    let mut w = World::new();
    let d = w.sh("basename --foo x");
    assert_eq!(d.err, "basename: unrecognized option '--foo'\nTry 'basename --help' for more information.\n");
}
