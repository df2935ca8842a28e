//! Shell variables: values, the export and readonly flags, `local` frames
//! (restored when the function returns, as dash does), and the environment
//! handed to programs in order of definition.
//!
//! Invariant: a readonly variable never changes; every refused change reports
//! `name: is read only`, which the caller turns into dash's error.

use std::collections::HashMap;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Var {
    /// None for a variable that is declared (`export x`) but has no value.
    pub value: Option<String>,
    pub exported: bool,
    pub readonly: bool,
    order: u64,
}

#[derive(Clone, Debug, Default)]
pub struct Vars {
    map: HashMap<String, Var>,
    next_order: u64,
    /// One frame per running function: the variables `local` saved.
    frames: Vec<Vec<(String, Option<Var>)>>,
    /// `set -a`: every assignment exports.
    pub allexport: bool,
}

/// Why a change was refused.
pub type VarResult = Result<(), String>;

impl Vars {
    pub fn new() -> Self {
        Vars::default()
    }

    pub fn get(&self, name: &str) -> Option<&str> {
        self.map.get(name).and_then(|v| v.value.as_deref())
    }

    pub fn var(&self, name: &str) -> Option<&Var> {
        self.map.get(name)
    }

    fn order(&mut self) -> u64 {
        self.next_order += 1;
        self.next_order
    }

    /// `name=value`.
    pub fn set(&mut self, name: &str, value: String) -> VarResult {
        let allexport = self.allexport;
        if let Some(v) = self.map.get_mut(name) {
            if v.readonly {
                return Err(format!("{name}: is read only"));
            }
            v.value = Some(value);
            v.exported |= allexport;
            return Ok(());
        }
        let order = self.order();
        self.map.insert(name.to_string(), Var { value: Some(value), exported: allexport, readonly: false, order });
        Ok(())
    }

    /// `export name[=value]`.
    pub fn export(&mut self, name: &str, value: Option<String>) -> VarResult {
        if let Some(v) = self.map.get_mut(name) {
            if value.is_some() && v.readonly {
                return Err(format!("{name}: is read only"));
            }
            if value.is_some() {
                v.value = value;
            }
            v.exported = true;
            return Ok(());
        }
        let order = self.order();
        self.map.insert(name.to_string(), Var { value, exported: true, readonly: false, order });
        Ok(())
    }

    /// `readonly name[=value]`.
    pub fn readonly(&mut self, name: &str, value: Option<String>) -> VarResult {
        if let Some(v) = self.map.get_mut(name) {
            if value.is_some() && v.readonly {
                return Err(format!("{name}: is read only"));
            }
            if value.is_some() {
                v.value = value;
            }
            v.readonly = true;
            return Ok(());
        }
        let order = self.order();
        self.map.insert(name.to_string(), Var { value, exported: self.allexport, readonly: true, order });
        Ok(())
    }

    pub fn unset(&mut self, name: &str) -> VarResult {
        match self.map.get(name) {
            Some(v) if v.readonly => Err(format!("{name}: is read only")),
            Some(_) => {
                if self.frames.last().is_some_and(|f| f.iter().any(|(n, _)| n == name)) {
                    // a local: keep the slot so the function's return restores the outer one
                    if let Some(v) = self.map.get_mut(name) {
                        v.value = None;
                        v.exported = false;
                    }
                } else {
                    self.map.remove(name);
                }
                Ok(())
            }
            None => Ok(()),
        }
    }

    /// Puts back a variable's saved state (temporary assignments).
    pub fn restore(&mut self, name: &str, v: Option<Var>) {
        match v {
            Some(v) => {
                self.map.insert(name.to_string(), v);
            }
            None => {
                self.map.remove(name);
            }
        }
    }

    pub fn push_frame(&mut self) {
        self.frames.push(Vec::new());
    }

    pub fn pop_frame(&mut self) {
        if let Some(frame) = self.frames.pop() {
            for (name, old) in frame.into_iter().rev() {
                match old {
                    Some(v) => {
                        self.map.insert(name, v);
                    }
                    None => {
                        self.map.remove(&name);
                    }
                }
            }
        }
    }

    /// `local name`: remembers the current state for the function's return.
    /// The variable keeps its value (dash's `local x` does not unset it).
    pub fn make_local(&mut self, name: &str) {
        let cur = self.map.get(name).cloned();
        if let Some(frame) = self.frames.last_mut() {
            if frame.iter().any(|(n, _)| n == name) {
                return;
            }
            frame.push((name.to_string(), cur));
        }
    }

    /// Exported variables with values, in order of definition.
    pub fn environment(&self) -> Vec<(String, String)> {
        let mut v: Vec<(&String, &Var)> = self.map.iter().filter(|(_, v)| v.exported && v.value.is_some()).collect();
        v.sort_by_key(|(_, var)| var.order);
        v.into_iter().map(|(k, var)| (k.clone(), var.value.clone().unwrap_or_default())).collect()
    }

    /// All variables sorted by name (for `set`, `export -p`, `readonly -p`).
    pub fn sorted(&self) -> Vec<(&String, &Var)> {
        let mut v: Vec<(&String, &Var)> = self.map.iter().collect();
        v.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
        v
    }
}
