//! Users and groups of a stage's filesystem (`/etc/passwd`, `/etc/group`) as
//! BuildKit resolves them for `USER`, `COPY --chown` and the `HOME` of a RUN.

use crate::vfs::Vfs;

/// A resolved user: ids, home directory and the name it was given by.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Identity {
    pub uid: u32,
    pub gid: u32,
    pub home: String,
}

fn entries(fs: &Vfs, file: &str) -> Vec<Vec<String>> {
    match fs.read(file) {
        Ok(d) => String::from_utf8_lossy(&d)
            .lines()
            .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
            .map(|l| l.split(':').map(str::to_string).collect())
            .collect(),
        Err(_) => Vec::new(),
    }
}

/// Looks a user up by name or numeric id in `/etc/passwd`.
fn find_user(fs: &Vfs, user: &str) -> Option<Identity> {
    let numeric = user.parse::<u32>().ok();
    entries(fs, "/etc/passwd").into_iter().find_map(|e| {
        if e.len() < 6 {
            return None;
        }
        let uid = e[2].parse::<u32>().ok()?;
        if e[0] == user || numeric == Some(uid) {
            Some(Identity { uid, gid: e[3].parse().unwrap_or(uid), home: e[5].clone() })
        } else {
            None
        }
    })
}

fn find_group(fs: &Vfs, group: &str) -> Option<u32> {
    if let Ok(n) = group.parse::<u32>() {
        return Some(n);
    }
    entries(fs, "/etc/group").into_iter().find_map(|e| if e.len() >= 3 && e[0] == group { e[2].parse().ok() } else { None })
}

/// Resolves a `USER` value (`name`, `uid`, `name:group`, `uid:gid`) as BuildKit does
/// for a RUN: a numeric uid needs no passwd entry (HOME is then `/`), a name must
/// exist. Errors in BuildKit's words.
pub fn resolve_user(fs: &Vfs, spec: &str) -> Result<Identity, String> {
    let (user, group) = match spec.split_once(':') {
        Some((u, g)) => (u, Some(g)),
        None => (spec, None),
    };
    let unset = user.is_empty();
    let user = if unset { "root" } else { user };
    let mut id = match find_user(fs, user) {
        Some(id) => id,
        // no USER and no passwd entry for root (FROM scratch): BuildKit runs as 0:0, HOME=/
        None if unset => Identity { uid: 0, gid: 0, home: "/".into() },
        None => match user.parse::<u32>() {
            Ok(uid) => Identity { uid, gid: uid, home: "/".into() },
            Err(_) => return Err(format!("unable to find user {user}: no matching entries in passwd file")),
        },
    };
    if let Some(g) = group {
        id.gid = find_group(fs, g).ok_or_else(|| format!("unable to find group {g}: no matching entries in group file"))?;
    } else if user.parse::<u32>().is_ok() && find_user(fs, user).is_none() {
        id.gid = id.uid;
    }
    Ok(id)
}

/// Resolves a `--chown=user:group` value against the destination stage.
pub fn resolve_chown(fs: &Vfs, spec: &str) -> Result<(u32, u32), String> {
    let (user, group) = match spec.split_once(':') {
        Some((u, g)) => (u, Some(g)),
        None => (spec, None),
    };
    let (uid, primary) = match user.parse::<u32>() {
        Ok(n) => (n, None),
        Err(_) => {
            let id = find_user(fs, user).ok_or_else(|| {
                format!("unable to convert uid/gid chown string to host mapping: can't find uid for user {user}: no such user: {user}")
            })?;
            (id.uid, Some(id.gid))
        }
    };
    let gid = match group {
        Some(g) => find_group(fs, g).ok_or_else(|| {
            format!("unable to convert uid/gid chown string to host mapping: can't find gid for group {g}: no such group: {g}")
        })?,
        None => primary.unwrap_or(uid),
    };
    Ok((uid, gid))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves() {
        let mut fs = Vfs::new();
        fs.mkdir("/etc", 0o755).unwrap();
        fs.write("/etc/passwd", b"root:x:0:0:root:/root:/bin/sh\nnode:x:1000:1000::/home/node:/bin/sh\n".to_vec(), 0o644).unwrap();
        fs.write("/etc/group", b"root:x:0:\nnode:x:1000:\nstaff:x:50:\n".to_vec(), 0o644).unwrap();
        assert_eq!(resolve_user(&fs, "").unwrap(), Identity { uid: 0, gid: 0, home: "/root".into() });
        assert_eq!(resolve_user(&fs, "node").unwrap().home, "/home/node");
        assert_eq!(resolve_user(&fs, "1234").unwrap(), Identity { uid: 1234, gid: 1234, home: "/".into() });
        assert_eq!(resolve_user(&fs, "node:staff").unwrap().gid, 50);
        assert_eq!(resolve_user(&fs, "nobody").unwrap_err(), "unable to find user nobody: no matching entries in passwd file");
        // FROM scratch: no passwd at all (checked against BuildKit: uid=0 gid=0, HOME=/)
        assert_eq!(resolve_user(&Vfs::new(), "").unwrap(), Identity { uid: 0, gid: 0, home: "/".into() });
        assert!(resolve_user(&Vfs::new(), "root").is_err());
        assert_eq!(resolve_chown(&fs, "node").unwrap(), (1000, 1000));
        assert_eq!(resolve_chown(&fs, "1:2").unwrap(), (1, 2));
        assert!(resolve_chown(&fs, "x:y").unwrap_err().contains("no such user: x"));
    }
}
