//! Where the lexer looks variables up: the small [`Env`] trait (BuildKit's
//! `shell.EnvGetter`) and its implementations for the usual containers.
//!
//! Names compare case-sensitively, as on Linux. A variable that is set to the empty
//! string is *set* (`Some("")`): `${V-x}` and `${V:-x}` tell the two apart.

use std::collections::{BTreeMap, HashMap};

/// A read-only view of variables.
pub trait Env {
    /// The value of `name`, or `None` when it is not set.
    fn get(&self, name: &str) -> Option<&str>;

    /// The names this environment sets, in its own order (for "did you mean"
    /// suggestions and lint messages). The default knows none.
    fn keys(&self) -> Vec<&str> {
        Vec::new()
    }
}

/// No variables at all (BuildKit's `emptyEnvs`).
#[derive(Clone, Copy, Debug, Default)]
pub struct NoEnv;

impl Env for NoEnv {
    fn get(&self, _: &str) -> Option<&str> {
        None
    }
}

impl<T: Env + ?Sized> Env for &T {
    fn get(&self, name: &str) -> Option<&str> {
        (**self).get(name)
    }
    fn keys(&self) -> Vec<&str> {
        (**self).keys()
    }
}

/// Pairs in order; when a name repeats, the last pair wins (as `EnvsFromSlice`).
impl<K: AsRef<str>, V: AsRef<str>> Env for [(K, V)] {
    fn get(&self, name: &str) -> Option<&str> {
        self.iter().rev().find(|(k, _)| k.as_ref() == name).map(|(_, v)| v.as_ref())
    }
    fn keys(&self) -> Vec<&str> {
        let mut keys: Vec<&str> = Vec::with_capacity(self.len());
        for (k, _) in self {
            if !keys.contains(&k.as_ref()) {
                keys.push(k.as_ref());
            }
        }
        keys
    }
}

impl<K: AsRef<str>, V: AsRef<str>> Env for Vec<(K, V)> {
    fn get(&self, name: &str) -> Option<&str> {
        Env::get(self.as_slice(), name)
    }
    fn keys(&self) -> Vec<&str> {
        Env::keys(self.as_slice())
    }
}

impl<K: AsRef<str>, V: AsRef<str>, const N: usize> Env for [(K, V); N] {
    fn get(&self, name: &str) -> Option<&str> {
        Env::get(self.as_slice(), name)
    }
    fn keys(&self) -> Vec<&str> {
        Env::keys(self.as_slice())
    }
}

impl<V: AsRef<str>> Env for BTreeMap<String, V> {
    fn get(&self, name: &str) -> Option<&str> {
        BTreeMap::get(self, name).map(|v| v.as_ref())
    }
    fn keys(&self) -> Vec<&str> {
        BTreeMap::keys(self).map(String::as_str).collect()
    }
}

impl<V: AsRef<str>, S: std::hash::BuildHasher> Env for HashMap<String, V, S> {
    fn get(&self, name: &str) -> Option<&str> {
        HashMap::get(self, name).map(|v| v.as_ref())
    }
    fn keys(&self) -> Vec<&str> {
        let mut keys: Vec<&str> = HashMap::keys(self).map(String::as_str).collect();
        keys.sort_unstable();
        keys
    }
}

/// An image config's `Env` list: `KEY=value` strings (a string without `=` sets `KEY`
/// to the empty string); the last entry for a name wins.
///
/// ```
/// use dfplay::words::{ConfigEnv, Env};
/// let env = ["PATH=/bin".to_string(), "A=1".to_string(), "A=2".to_string()];
/// assert_eq!(ConfigEnv(&env).get("A"), Some("2"));
/// ```
#[derive(Clone, Copy, Debug)]
pub struct ConfigEnv<'a, S: AsRef<str>>(pub &'a [S]);

impl<S: AsRef<str>> Env for ConfigEnv<'_, S> {
    fn get(&self, name: &str) -> Option<&str> {
        self.0.iter().rev().find_map(|e| {
            let e = e.as_ref();
            let (k, v) = e.split_once('=').unwrap_or((e, ""));
            (k == name).then_some(v)
        })
    }
    fn keys(&self) -> Vec<&str> {
        let mut keys: Vec<&str> = Vec::with_capacity(self.0.len());
        for e in self.0 {
            let e = e.as_ref();
            let k = e.split_once('=').map_or(e, |(k, _)| k);
            if !keys.contains(&k) {
                keys.push(k);
            }
        }
        keys
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_last_pair_wins_and_empty_is_set() {
        let env = vec![("A".to_string(), "1".to_string()), ("B".into(), "".into()), ("A".into(), "2".into())];
        assert_eq!(env.get("A"), Some("2"));
        assert_eq!(env.get("B"), Some(""));
        assert_eq!(env.get("C"), None);
        assert_eq!(env.keys(), vec!["A", "B"]);
        let cfg = ["X".to_string(), "Y=a=b".to_string()];
        assert_eq!(ConfigEnv(&cfg).get("X"), Some(""));
        assert_eq!(ConfigEnv(&cfg).get("Y"), Some("a=b"));
        assert_eq!(NoEnv.get("X"), None);
    }
}
