//! make's variables: flavour (recursive `=` or simple `:=`), origin (who set it, which
//! decides who may override it) and export marks; plus the built-in defaults GNU make
//! starts with (`CC`, `COMPILE.c`, …) that the built-in rules use.

use std::collections::HashMap;

/// Where a variable's value came from, lowest priority first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Origin {
    Default,
    Environment,
    File,
    CommandLine,
    Override,
}

impl Origin {
    /// The word `$(origin VAR)` prints.
    pub fn word(self) -> &'static str {
        match self {
            Origin::Default => "default",
            Origin::Environment => "environment",
            Origin::File => "file",
            Origin::CommandLine => "command line",
            Origin::Override => "override",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Var {
    pub value: String,
    /// `=` (expanded when used) rather than `:=` (expanded when set).
    pub recursive: bool,
    pub origin: Origin,
    /// `export VAR` (Some(true)) / `unexport VAR` (Some(false)).
    pub export: Option<bool>,
    /// Came from the environment (then it is handed on even after the makefile changes it).
    pub in_env: bool,
    /// Where it was last set (`Makefile:3`), for messages.
    pub loc: String,
}

#[derive(Debug, Clone, Default)]
pub struct Vars {
    map: HashMap<String, Var>,
    /// Names in first-definition order (for a deterministic environment).
    order: Vec<String>,
}

impl Vars {
    pub fn get(&self, name: &str) -> Option<&Var> {
        self.map.get(name)
    }

    pub fn get_mut(&mut self, name: &str) -> Option<&mut Var> {
        self.map.get_mut(name)
    }

    /// Sets a variable unless a higher-priority origin already set it. Returns whether
    /// the value was stored.
    pub fn set(&mut self, name: &str, value: String, recursive: bool, origin: Origin) -> bool {
        match self.map.get_mut(name) {
            Some(v) if v.origin > origin && origin != Origin::Override => false,
            Some(v) => {
                v.value = value;
                v.recursive = recursive;
                v.origin = origin;
                true
            }
            None => {
                self.order.push(name.to_string());
                self.map.insert(
                    name.to_string(),
                    Var {
                        value,
                        recursive,
                        origin,
                        export: None,
                        in_env: origin == Origin::Environment,
                        loc: String::new(),
                    },
                );
                true
            }
        }
    }

    /// Puts back a saved variable as it was.
    pub fn put(&mut self, name: &str, var: Var) {
        if !self.map.contains_key(name) && !self.order.iter().any(|n| n == name) {
            self.order.push(name.to_string());
        }
        self.map.insert(name.to_string(), var);
    }

    pub fn remove(&mut self, name: &str) {
        self.map.remove(name);
    }

    pub fn mark_export(&mut self, name: &str, on: bool) {
        if !self.map.contains_key(name) {
            self.set(name, String::new(), true, Origin::File);
        }
        if let Some(v) = self.map.get_mut(name) {
            v.export = Some(on);
        }
    }

    /// Names in definition order.
    pub fn names(&self) -> impl Iterator<Item = &String> {
        self.order.iter().filter(|n| self.map.contains_key(*n))
    }
}

/// GNU make's built-in variables that the built-in rules and common Makefiles use.
pub const DEFAULTS: &[(&str, &str)] = &[
    ("CC", "cc"),
    ("CXX", "g++"),
    ("CPP", "$(CC) -E"),
    ("AR", "ar"),
    ("ARFLAGS", "rv"),
    ("AS", "as"),
    ("LD", "ld"),
    ("RM", "rm -f"),
    ("MAKE", "make"),
    ("SHELL", "/bin/sh"),
    ("INSTALL", "install"),
    ("OUTPUT_OPTION", "-o $@"),
    ("COMPILE.c", "$(CC) $(CFLAGS) $(CPPFLAGS) $(TARGET_ARCH) -c"),
    (
        "COMPILE.cc",
        "$(CXX) $(CXXFLAGS) $(CPPFLAGS) $(TARGET_ARCH) -c",
    ),
    ("COMPILE.cpp", "$(COMPILE.cc)"),
    (
        "LINK.c",
        "$(CC) $(CFLAGS) $(CPPFLAGS) $(LDFLAGS) $(TARGET_ARCH)",
    ),
    (
        "LINK.cc",
        "$(CXX) $(CXXFLAGS) $(CPPFLAGS) $(LDFLAGS) $(TARGET_ARCH)",
    ),
    ("LINK.cpp", "$(LINK.cc)"),
    ("LINK.o", "$(CC) $(LDFLAGS) $(TARGET_ARCH)"),
];

/// The built-in pattern rules, in GNU make's search order: (target, prerequisite, recipe).
pub const BUILTIN_RULES: &[(&str, &str, &str)] = &[
    ("%.o", "%.c", "$(COMPILE.c) $(OUTPUT_OPTION) $<"),
    ("%.o", "%.cc", "$(COMPILE.cc) $(OUTPUT_OPTION) $<"),
    ("%.o", "%.cpp", "$(COMPILE.cpp) $(OUTPUT_OPTION) $<"),
    ("%", "%.o", "$(LINK.o) $^ $(LOADLIBES) $(LDLIBS) -o $@"),
    ("%", "%.c", "$(LINK.c) $^ $(LOADLIBES) $(LDLIBS) -o $@"),
    ("%", "%.cc", "$(LINK.cc) $^ $(LOADLIBES) $(LDLIBS) -o $@"),
    ("%", "%.cpp", "$(LINK.cpp) $^ $(LOADLIBES) $(LDLIBS) -o $@"),
];
