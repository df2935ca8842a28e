//! The programs the builtin shell finds through PATH (`/bin/cat`, `/usr/bin/sed`,
//! …): each a [`Program`] over the process context of [`super::proc`], behaving
//! like its GNU coreutils namesake (the output the differential tests compare
//! with the host) or, where Debian ships no such tool, its busybox namesake.
//!
//! [`lookup`] maps a name to its program, [`NAMES`] lists them all (the stand-in
//! base images link each in /bin or /usr/bin). Each program is written as a body
//! returning [`common::Res`]; the table wraps it so that a broken pipe ends with
//! status 141 and a limit or the step budget with status 1 (the shell reports
//! the limit).

// The first engine of the page (no feature `full`) leaves part of the table out.
#![cfg_attr(not(feature = "full"), allow(dead_code, unused_imports))]

use super::proc::{Ctx, Program};

mod accounts;
mod archive;
mod basic;
mod common;
mod fileops;
mod findx;
mod glob;
mod grep;
mod hash;
mod info;
mod ls;
mod misc;
mod net;
mod perms;
pub mod regex;
mod sed;
mod sort;
mod test;
mod text;
mod tr;
pub mod printf;
mod timefmt;
mod users;

#[cfg(test)]
mod tests;

pub use common::Halt;
pub use net::url_host;

macro_rules! programs {
    (lean { $($name:literal => $body:path),* $(,)? } full { $($fname:literal => $fbody:path),* $(,)? }) => {
        /// Every program name, in the order of the table (those of the full engine too).
        pub const NAMES: &[&str] = &[$($name,)* $($fname),*];

        /// The names of the second group: programs of the full engine only, named in
        /// both builds (the lean engine reports them, see `crate::executor::full_engine_names`).
        pub const FULL_ONLY: &[&str] = &[$($fname),*];

        /// The program called `name`, if the shell has one. The programs of the second
        /// group are in the full engine only (cargo feature `full`): the page's first
        /// engine leaves them to the natives, which defer them (see `crate::executor`).
        pub fn lookup(name: &str) -> Option<Program> {
            match name {
                $($name => Some({
                    fn entry(ctx: &mut Ctx<'_>, argv: &[String]) -> i32 {
                        common::finish($body(ctx, argv))
                    }
                    entry
                }),)*
                $(#[cfg(feature = "full")]
                $fname => Some({
                    fn entry(ctx: &mut Ctx<'_>, argv: &[String]) -> i32 {
                        common::finish($fbody(ctx, argv))
                    }
                    entry
                }),)*
                _ => None,
            }
        }
    };
}

programs! {
lean {
    "true" => basic::true_,
    "false" => basic::false_,
    "echo" => basic::echo,
    "printf" => printf::printf,
    "pwd" => basic::pwd,
    "yes" => basic::yes,
    "seq" => basic::seq,
    "sleep" => basic::sleep,
    "basename" => basic::basename,
    "dirname" => basic::dirname,
    "uname" => basic::uname,
    "hostname" => basic::hostname,
    "arch" => basic::arch,
    "nproc" => basic::nproc,
    "whoami" => basic::whoami,
    "id" => basic::id,
    "printenv" => basic::printenv,
    "cat" => text::cat,
    "head" => text::head,
    "tail" => text::tail,
    "wc" => text::wc,
    "tee" => text::tee,
    "chmod" => perms::chmod,
    "chown" => perms::chown,
    "chgrp" => perms::chgrp,
    "mkdir" => fileops::mkdir,
    "rmdir" => fileops::rmdir,
    "touch" => fileops::touch,
    "rm" => fileops::rm,
    "cp" => fileops::cp,
    "mv" => fileops::mv,
    "ln" => fileops::ln,
    "install" => fileops::install,
    "mktemp" => fileops::mktemp,
    "test" => test::test,
    "[" => test::test,
    "ls" => ls::ls,
    "env" => info::env,
    "which" => info::which,
    "readlink" => info::readlink,
    "realpath" => info::realpath,
    "nice" => info::nice,
    "nohup" => info::nohup,
    "timeout" => info::timeout,
    "wget" => net::wget,
    "curl" => net::curl,
}
full {
    "sort" => sort::sort,
    "uniq" => sort::uniq,
    "tr" => tr::tr,
    "cut" => tr::cut,
    "grep" => grep::grep,
    "egrep" => grep::egrep,
    "fgrep" => grep::fgrep,
    "sed" => sed::sed,
    "date" => info::date,
    "stat" => info::stat,
    "find" => findx::find,
    "xargs" => findx::xargs,
    "md5sum" => hash::md5sum,
    "sha1sum" => hash::sha1sum,
    "sha224sum" => hash::sha224sum,
    "sha256sum" => hash::sha256sum,
    "sha384sum" => hash::sha384sum,
    "sha512sum" => hash::sha512sum,
    "gzip" => archive::gzip,
    "gunzip" => archive::gunzip,
    "zcat" => archive::zcat,
    "tar" => archive::tar,
    "useradd" => accounts::useradd,
    "groupadd" => accounts::groupadd,
    "adduser" => accounts::adduser,
    "addgroup" => accounts::addgroup,
    "usermod" => accounts::usermod,
    "userdel" => accounts::userdel,
    "groupdel" => accounts::groupdel,
    "deluser" => accounts::deluser,
    "delgroup" => accounts::delgroup,
    "chpasswd" => accounts::chpasswd,
    "passwd" => accounts::passwd,
    "nologin" => accounts::nologin,
    "getconf" => misc::getconf,
    "locale" => misc::locale,
    "stdbuf" => misc::stdbuf,
    "users" => misc::nobody_logged_in,
    "who" => misc::nobody_logged_in,
    "expr" => misc::expr,
    "base64" => misc::base64,
    "tac" => misc::tac,
    "paste" => misc::paste,
    "fold" => misc::fold,
    "comm" => misc::comm,
    "cmp" => misc::cmp,
    "groups" => misc::groups,
    "getent" => misc::getent,
    "du" => misc::du,
    "df" => misc::df,
    "truncate" => misc::truncate,
    "dd" => misc::dd,
    "tty" => misc::tty,
    "logname" => misc::logname,
    "sync" => misc::sync,
    "mkfifo" => misc::mkfifo,
}
}

/// Programs that would need the network. They fail here with an explanation; a
/// host executor that can download supplies programs of these names through
/// [`super::proc::Natives`], which the shell should prefer for these names.
pub const NETWORK: &[&str] = &["wget", "curl"];
