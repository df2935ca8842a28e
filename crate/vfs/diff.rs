//! The difference between two snapshots of one filesystem, in path order.
//! Shared (pointer-equal) subtrees are skipped without being read, so the cost
//! follows the size of the change.

use super::{path, Node, Vfs};

/// One change from an old snapshot to a new one.
#[derive(Clone, Debug)]
pub enum Change {
    /// A path that did not exist before (every node of a new subtree is listed).
    Added(String, Node),
    /// A path whose node changed: contents, metadata or type.
    Modified(String, Node),
    /// A path that is gone (its subtree is not listed).
    Deleted(String),
}

impl Change {
    pub fn path(&self) -> &str {
        match self {
            Change::Added(p, _) | Change::Modified(p, _) | Change::Deleted(p) => p,
        }
    }
}

/// What changed from `old` to `new`, sorted by path (byte order of components).
pub fn diff(old: &Vfs, new: &Vfs) -> Vec<Change> {
    let mut out = Vec::new();
    diff_nodes("/", old.root(), new.root(), &mut out);
    out
}

fn diff_nodes(p: &str, old: &Node, new: &Node, out: &mut Vec<Change>) {
    if old.ptr_eq(new) {
        return;
    }
    match (old, new) {
        (Node::Dir(a), Node::Dir(b)) => {
            if a.meta != b.meta && p != "/" {
                out.push(Change::Modified(p.to_string(), new.clone()));
            }
            let mut ai = a.entries.iter().peekable();
            let mut bi = b.entries.iter().peekable();
            loop {
                match (ai.peek(), bi.peek()) {
                    (None, None) => break,
                    (Some((an, _)), None) => {
                        out.push(Change::Deleted(path::join(p, an)));
                        ai.next();
                    }
                    (None, Some((bn, bnode))) => {
                        added(&path::join(p, bn), bnode, out);
                        bi.next();
                    }
                    (Some((an, anode)), Some((bn, bnode))) => match an.cmp(bn) {
                        std::cmp::Ordering::Less => {
                            out.push(Change::Deleted(path::join(p, an)));
                            ai.next();
                        }
                        std::cmp::Ordering::Greater => {
                            added(&path::join(p, bn), bnode, out);
                            bi.next();
                        }
                        std::cmp::Ordering::Equal => {
                            diff_nodes(&path::join(p, an), anode, bnode, out);
                            ai.next();
                            bi.next();
                        }
                    },
                }
            }
        }
        (Node::File(a), Node::File(b)) => {
            if a.meta != b.meta || !(std::sync::Arc::ptr_eq(&a.data, &b.data) || a.data == b.data) {
                out.push(Change::Modified(p.to_string(), new.clone()));
            }
        }
        (Node::Symlink(a), Node::Symlink(b)) => {
            if a.meta != b.meta || a.target != b.target {
                out.push(Change::Modified(p.to_string(), new.clone()));
            }
        }
        // The type changed: the new node replaces the old one (a directory's whole
        // new subtree is listed).
        (_, Node::Dir(_)) => {
            out.push(Change::Modified(p.to_string(), new.clone()));
            if let Node::Dir(d) = new {
                for (n, c) in &d.entries {
                    added(&path::join(p, n), c, out);
                }
            }
        }
        _ => out.push(Change::Modified(p.to_string(), new.clone())),
    }
}

fn added(p: &str, node: &Node, out: &mut Vec<Change>) {
    out.push(Change::Added(p.to_string(), node.clone()));
    if let Node::Dir(d) = node {
        for (n, c) in &d.entries {
            added(&path::join(p, n), c, out);
        }
    }
}
