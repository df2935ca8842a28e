//! The account database of an image: `/etc/passwd` and `/etc/group` read from
//! the vfs (names for `ls -l`, `id`, `chown user:group`, `whoami`, and the
//! entries `adduser`/`useradd` append).

use crate::vfs::Vfs;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct User {
    pub name: String,
    pub passwd: String,
    pub uid: u32,
    pub gid: u32,
    pub gecos: String,
    pub home: String,
    pub shell: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Group {
    pub name: String,
    pub passwd: String,
    pub gid: u32,
    pub members: Vec<String>,
}

fn read_lines(fs: &Vfs, path: &str) -> Vec<String> {
    match fs.read(path) {
        Ok(d) => String::from_utf8_lossy(&d).lines().map(str::to_string).collect(),
        Err(_) => Vec::new(),
    }
}

/// Every well-formed line of `/etc/passwd`.
pub fn users(fs: &Vfs) -> Vec<User> {
    read_lines(fs, "/etc/passwd")
        .iter()
        .filter_map(|l| {
            let f: Vec<&str> = l.split(':').collect();
            if f.len() < 7 {
                return None;
            }
            Some(User {
                name: f[0].into(),
                passwd: f[1].into(),
                uid: f[2].parse().ok()?,
                gid: f[3].parse().ok()?,
                gecos: f[4].into(),
                home: f[5].into(),
                shell: f[6].into(),
            })
        })
        .collect()
}

/// Every well-formed line of `/etc/group`.
pub fn groups(fs: &Vfs) -> Vec<Group> {
    read_lines(fs, "/etc/group")
        .iter()
        .filter_map(|l| {
            let f: Vec<&str> = l.split(':').collect();
            if f.len() < 3 {
                return None;
            }
            Some(Group {
                name: f[0].into(),
                passwd: f[1].into(),
                gid: f[2].parse().ok()?,
                members: f.get(3).map(|m| m.split(',').filter(|s| !s.is_empty()).map(str::to_string).collect()).unwrap_or_default(),
            })
        })
        .collect()
}

pub fn user_by_name(fs: &Vfs, name: &str) -> Option<User> {
    users(fs).into_iter().find(|u| u.name == name)
}

pub fn user_by_uid(fs: &Vfs, uid: u32) -> Option<User> {
    users(fs).into_iter().find(|u| u.uid == uid)
}

pub fn group_by_name(fs: &Vfs, name: &str) -> Option<Group> {
    groups(fs).into_iter().find(|g| g.name == name)
}

pub fn group_by_gid(fs: &Vfs, gid: u32) -> Option<Group> {
    groups(fs).into_iter().find(|g| g.gid == gid)
}

/// A user name for `uid`, or the number.
pub fn uname_or_id(fs: &Vfs, uid: u32) -> String {
    user_by_uid(fs, uid).map(|u| u.name).unwrap_or_else(|| uid.to_string())
}

/// A group name for `gid`, or the number.
pub fn gname_or_id(fs: &Vfs, gid: u32) -> String {
    group_by_gid(fs, gid).map(|g| g.name).unwrap_or_else(|| gid.to_string())
}

/// A user given by name or number (`chown 1000 f` works without a passwd entry).
pub fn resolve_uid(fs: &Vfs, s: &str) -> Option<u32> {
    user_by_name(fs, s).map(|u| u.uid).or_else(|| s.parse().ok())
}

/// A group given by name or number.
pub fn resolve_gid(fs: &Vfs, s: &str) -> Option<u32> {
    group_by_name(fs, s).map(|g| g.gid).or_else(|| s.parse().ok())
}
