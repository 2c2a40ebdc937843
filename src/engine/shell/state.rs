//! The state of one shell process: variables (in insertion order, as the environment
//! is handed on), positional parameters, functions, options, working directory,
//! credentials and umask. A subshell is a clone of it.

use super::ast::{Command, Dialect};
use std::collections::HashMap;
use std::sync::Arc;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Var {
    pub value: String,
    /// Bash arrays: the elements (index 0 mirrors `value`).
    pub array: Option<Vec<String>>,
    pub exported: bool,
    pub readonly: bool,
}

/// Variables in insertion order with a name index.
#[derive(Debug, Clone, Default)]
pub struct Vars {
    list: Vec<(String, Var)>,
    index: HashMap<String, usize>,
}

impl Vars {
    pub fn get(&self, name: &str) -> Option<&Var> {
        self.index
            .get(name)
            .and_then(|&i| self.list.get(i))
            .map(|(_, v)| v)
    }

    pub fn get_mut(&mut self, name: &str) -> Option<&mut Var> {
        let i = *self.index.get(name)?;
        self.list.get_mut(i).map(|(_, v)| v)
    }

    pub fn value(&self, name: &str) -> Option<&str> {
        self.get(name).map(|v| v.value.as_str())
    }

    /// Sets the value, keeping flags; a new variable is appended unexported.
    pub fn set(&mut self, name: &str, value: String) {
        if let Some(v) = self.get_mut(name) {
            v.value = value;
            v.array = None;
            return;
        }
        self.insert(
            name,
            Var {
                value,
                array: None,
                exported: false,
                readonly: false,
            },
        );
    }

    pub fn insert(&mut self, name: &str, var: Var) {
        if let Some(v) = self.get_mut(name) {
            *v = var;
            return;
        }
        self.index.insert(name.to_string(), self.list.len());
        self.list.push((name.to_string(), var));
    }

    pub fn remove(&mut self, name: &str) -> Option<Var> {
        let i = self.index.remove(name)?;
        let (_, var) = self.list.remove(i);
        for (n, _) in &self.list[i..] {
            if let Some(ix) = self.index.get_mut(n) {
                *ix -= 1;
            }
        }
        Some(var)
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, &Var)> {
        self.list.iter().map(|(n, v)| (n.as_str(), v))
    }

    /// The exported variables in order: what a program's environment holds.
    pub fn environment(&self) -> Vec<(String, String)> {
        self.list
            .iter()
            .filter(|(_, v)| v.exported)
            .map(|(n, v)| (n.clone(), v.value.clone()))
            .collect()
    }
}

/// `set -o` options.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Options {
    pub errexit: bool,
    pub nounset: bool,
    pub xtrace: bool,
    pub pipefail: bool,
    pub noglob: bool,
    pub noclobber: bool,
    pub allexport: bool,
    pub verbose: bool,
    pub noexec: bool,
}

impl Options {
    /// `$-`
    pub fn flags(&self) -> String {
        let mut s = String::new();
        for (on, c) in [
            (self.allexport, 'a'),
            (self.noclobber, 'C'),
            (self.errexit, 'e'),
            (self.noglob, 'f'),
            (self.noexec, 'n'),
            (self.nounset, 'u'),
            (self.verbose, 'v'),
            (self.xtrace, 'x'),
        ] {
            if on {
                s.push(c);
            }
        }
        s
    }

    /// Sets a single-letter option; false if unknown.
    pub fn set_flag(&mut self, c: char, on: bool) -> bool {
        match c {
            'a' => self.allexport = on,
            'C' => self.noclobber = on,
            'e' => self.errexit = on,
            'f' => self.noglob = on,
            'n' => self.noexec = on,
            'u' => self.nounset = on,
            'v' => self.verbose = on,
            'x' => self.xtrace = on,
            _ => return false,
        }
        true
    }

    /// Sets a long option (`set -o name`); false if unknown.
    pub fn set_long(&mut self, name: &str, on: bool) -> bool {
        match name {
            "errexit" => self.errexit = on,
            "nounset" => self.nounset = on,
            "xtrace" => self.xtrace = on,
            "pipefail" => self.pipefail = on,
            "noglob" => self.noglob = on,
            "noclobber" => self.noclobber = on,
            "allexport" => self.allexport = on,
            "verbose" => self.verbose = on,
            "noexec" => self.noexec = on,
            // accepted and ignored: they change nothing in a non-interactive build
            "posix"
            | "monitor"
            | "emacs"
            | "vi"
            | "ignoreeof"
            | "nolog"
            | "notify"
            | "hashall"
            | "braceexpand"
            | "interactive-comments"
            | "errtrace"
            | "functrace"
            | "history"
            | "histexpand"
            | "keyword"
            | "onecmd"
            | "physical"
            | "privileged" => {}
            _ => return false,
        }
        true
    }

    pub fn long_names(&self) -> Vec<(&'static str, bool)> {
        vec![
            ("allexport", self.allexport),
            ("errexit", self.errexit),
            ("noclobber", self.noclobber),
            ("noexec", self.noexec),
            ("noglob", self.noglob),
            ("nounset", self.nounset),
            ("pipefail", self.pipefail),
            ("verbose", self.verbose),
            ("xtrace", self.xtrace),
        ]
    }
}

/// Who the process runs as.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cred {
    pub uid: u32,
    pub gid: u32,
    /// Supplementary groups.
    pub groups: Vec<u32>,
}

impl Cred {
    pub fn root() -> Self {
        Cred {
            uid: 0,
            gid: 0,
            groups: vec![0],
        }
    }
    pub fn is_root(&self) -> bool {
        self.uid == 0
    }
    pub fn in_group(&self, gid: u32) -> bool {
        self.gid == gid || self.groups.contains(&gid)
    }
}

/// Everything one shell process owns.
#[derive(Debug, Clone)]
pub struct ShellState {
    pub vars: Vars,
    pub positional: Vec<String>,
    /// `$0`; also the prefix of the shell's own error messages.
    pub arg0: String,
    pub functions: HashMap<String, Arc<Command>>,
    pub opts: Options,
    pub cwd: String,
    pub last_status: i32,
    /// Status of the last command substitution in the current simple command.
    pub subst_status: Option<i32>,
    pub umask: u32,
    pub cred: Cred,
    pub dialect: Dialect,
    /// The source the running commands come from (for line numbers in messages).
    pub source: Arc<str>,
    /// Byte offset of `source` in span space.
    pub source_base: usize,
    /// Frames of `local` variables to restore when a function returns.
    pub locals: Vec<Vec<(String, Option<Var>)>>,
    pub loop_depth: usize,
    pub pid: u32,
    pub last_bg: Option<u32>,
    /// Names given to `export` while unset: exported once assigned.
    pub pending_exports: Vec<String>,
    /// `trap '…' EXIT`
    pub exit_trap: Option<String>,
}

impl ShellState {
    pub fn new(dialect: Dialect, arg0: &str, cwd: &str, cred: Cred, umask: u32) -> Self {
        ShellState {
            vars: Vars::default(),
            positional: Vec::new(),
            arg0: arg0.to_string(),
            functions: HashMap::new(),
            opts: Options::default(),
            cwd: cwd.to_string(),
            last_status: 0,
            subst_status: None,
            umask,
            cred,
            dialect,
            source: Arc::from(""),
            source_base: 0,
            locals: Vec::new(),
            loop_depth: 0,
            pid: 1,
            last_bg: None,
            pending_exports: Vec::new(),
            exit_trap: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vars_keep_order_and_index_after_removal() {
        let mut v = Vars::default();
        v.set("A", "1".into());
        v.set("B", "2".into());
        v.set("C", "3".into());
        v.remove("A");
        v.set("A", "4".into());
        let names: Vec<&str> = v.iter().map(|(n, _)| n).collect();
        assert_eq!(names, ["B", "C", "A"]);
        assert_eq!(v.value("C"), Some("3"));
        assert_eq!(v.value("A"), Some("4"));
    }
}
