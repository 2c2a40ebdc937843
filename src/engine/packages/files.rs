//! The files a package puts on disk: a deterministic, size-only list under realistic paths.
//!
//! The indexes give each package's installed size but not its file list, so the list is
//! derived from what the records do say: `cmd:` provides become `/usr/bin/<cmd>`, `so:`
//! provides become shared objects with their soname symlink, `pc:` provides pkg-config
//! files, `py3.x:` provides Python modules; Debian library packages get
//! `/usr/lib/x86_64-linux-gnu/<lib>.so.N`, `-dev` packages headers and static archives,
//! every Debian package `/usr/share/doc/<pkg>/copyright`. A small table names the
//! commands of well-known packages whose command differs from the package name.
//!
//! Invariant: the regular files of a package add up **exactly** to its installed size
//! (apk `I:` bytes; dpkg `Installed-Size` KiB × 1024). The one exception is a meta package
//! (apk `I:` of at most 4096 bytes with nothing it provides — e.g. `build-base`, `pyc`):
//! real meta packages own no files, its 4096 bytes are the empty package directory, so the
//! list is empty. Debian lists leave out man pages and changelogs because the slim images
//! exclude them (`/etc/dpkg/dpkg.cfg.d/docker`); their bytes are in the main files, so the
//! total stays the package's Installed-Size.

use super::index::{ApkPkg, DebPkg};
use super::{name_hash, FileSpec};
use std::collections::BTreeSet;

/// At most this many command/library entries are generated per package.
const MAX_MAIN: usize = 48;

enum Item {
    Main {
        path: String,
        weight: u64,
        mode: u32,
    },
    Fixed {
        path: String,
        size: u64,
        mode: u32,
    },
    Link {
        path: String,
        target: String,
    },
}

#[derive(Default)]
struct Builder {
    items: Vec<Item>,
    seen: BTreeSet<String>,
}

impl Builder {
    fn main(&mut self, path: String, weight: u64, mode: u32) {
        if self.seen.insert(path.clone()) {
            self.items.push(Item::Main { path, weight, mode });
        }
    }
    fn fixed(&mut self, path: String, size: u64, mode: u32) {
        if self.seen.insert(path.clone()) {
            self.items.push(Item::Fixed { path, size, mode });
        }
    }
    fn link(&mut self, path: String, target: String) {
        if self.seen.insert(path.clone()) {
            self.items.push(Item::Link { path, target });
        }
    }
    fn main_count(&self) -> usize {
        self.items
            .iter()
            .filter(|i| matches!(i, Item::Main { .. }))
            .count()
    }

    /// The bytes the fixed-size files take.
    fn fixed_sum(&self) -> u64 {
        self.items
            .iter()
            .map(|i| match i {
                Item::Fixed { size, .. } => *size,
                _ => 0,
            })
            .sum()
    }

    /// Turns the items into file specs whose sizes add up to `total`.
    fn finish(mut self, total: u64) -> Vec<FileSpec> {
        let fixed_sum = self.fixed_sum();
        let has_main = self.main_count() > 0;
        // Fixed files take their size only when it leaves room for the main files.
        let scale_fixed =
            fixed_sum > 0 && (fixed_sum > total || (has_main && fixed_sum * 2 > total));
        if scale_fixed {
            let budget = if has_main { total / 2 } else { total };
            for it in &mut self.items {
                if let Item::Fixed { size, .. } = it {
                    *size = size.saturating_mul(budget) / fixed_sum.max(1);
                }
            }
        }
        let fixed_sum = self.fixed_sum();
        let mut rest = total.saturating_sub(fixed_sum);
        let weight_sum: u64 = self
            .items
            .iter()
            .map(|i| {
                if let Item::Main { weight, .. } = i {
                    *weight
                } else {
                    0
                }
            })
            .sum();
        let mut out = Vec::new();
        let mut dirs = BTreeSet::new();
        let mut first_sized: Option<usize> = None;
        let remaining_total = rest;
        for it in self.items {
            match it {
                Item::Main { path, weight, mode } => {
                    let size = remaining_total
                        .saturating_mul(weight)
                        .checked_div(weight_sum)
                        .unwrap_or(0);
                    rest = rest.saturating_sub(size);
                    add_parents(&path, &mut dirs);
                    first_sized.get_or_insert(out.len());
                    out.push(FileSpec::file(path, size, mode));
                }
                Item::Fixed { path, size, mode } => {
                    add_parents(&path, &mut dirs);
                    if !has_main {
                        first_sized.get_or_insert(out.len());
                    }
                    out.push(FileSpec::file(path, size, mode));
                }
                Item::Link { path, target } => {
                    add_parents(&path, &mut dirs);
                    out.push(FileSpec::symlink(path, target));
                }
            }
        }
        // Rounding leftovers go to the first main file (or the first file).
        if rest > 0 {
            if let Some(spec) = first_sized.and_then(|i| out.get_mut(i)) {
                if let super::FileKind::File { size, .. } = &mut spec.kind {
                    *size += rest;
                }
            }
        }
        let mut all: Vec<FileSpec> = dirs.into_iter().map(FileSpec::dir).collect();
        all.extend(out);
        all
    }
}

fn add_parents(path: &str, dirs: &mut BTreeSet<String>) {
    let mut p = path;
    while let Some(i) = p.rfind('/') {
        p = &p[..i];
        if p.is_empty() {
            break;
        }
        dirs.insert(p.to_string());
    }
}

/// Sizes of small auxiliary files, varied per name so that lists do not look cloned.
fn small(name: &str, salt: &str, base: u64, spread: u64) -> u64 {
    base + name_hash(&format!("{name}\u{0}{salt}")) % spread.max(1)
}

/// The files of an Alpine package (see the module invariant).
/// Size of Alpine's `/usr/lib/python3.12/EXTERNALLY-MANAGED` (estimated: a short notice
/// pointing at venv and `apk add py3-…`).
const ALPINE_EXTERNALLY_MANAGED_SIZE: u64 = 300;

/// `3.12.3-r1` → 12.
fn python_minor(version: &str) -> u32 {
    version
        .split('.')
        .nth(1)
        .and_then(|m| m.parse().ok())
        .unwrap_or(0)
}

pub fn apk_files(pkg: &ApkPkg) -> Vec<FileSpec> {
    let mut b = Builder::default();
    let name = pkg.name.as_str();
    if pkg.installed_size <= 4096 && pkg.provides.is_empty() {
        // A meta package: no files (see the module invariant).
        return Vec::new();
    }
    match name {
        "musl" => {
            b.main("/lib/ld-musl-x86_64.so.1".into(), 1, 0o755);
            b.link(
                "/lib/libc.musl-x86_64.so.1".into(),
                "ld-musl-x86_64.so.1".into(),
            );
        }
        "busybox" => {
            b.main("/bin/busybox".into(), 1, 0o755);
            b.fixed("/etc/securetty".into(), 200, 0o644);
            b.fixed("/etc/udhcpd.conf".into(), 5700, 0o644);
        }
        "busybox-binsh" => b.link("/bin/sh".into(), "/bin/busybox".into()),
        // Alpine marks its Python as managed by apk (PEP 668) from 3.19, whose python3 is
        // 3.11.6-r1 and later; the v3.20 records carry 3.12.
        "python3" if python_minor(&pkg.version) >= 12 => {
            let short = pkg.version.split('.').take(2).collect::<Vec<_>>().join(".");
            b.main(format!("/usr/bin/python{short}"), 1, 0o755);
            b.link("/usr/bin/python3".into(), format!("python{short}"));
            b.fixed(
                format!("/usr/lib/python{short}/EXTERNALLY-MANAGED"),
                ALPINE_EXTERNALLY_MANAGED_SIZE,
                0o644,
            );
        }
        // From 3.17 on the /etc files live in alpine-baselayout-data.
        "alpine-baselayout" if !pkg.version.starts_with("3.2.") => {
            for (f, s) in [
                ("/etc/crontabs/root", 283u64),
                ("/etc/modprobe.d/aliases.conf", 1041),
                ("/etc/modprobe.d/blacklist.conf", 1041),
                ("/etc/profile.d/README", 295),
                ("/etc/profile.d/color_prompt.sh.disabled", 614),
                ("/etc/profile.d/locale.sh", 61),
            ] {
                b.fixed(f.into(), s, 0o644);
            }
            b.main("/usr/lib/os-release".into(), 1, 0o644);
        }
        "alpine-baselayout" | "alpine-baselayout-data" => {
            for (f, s) in [
                ("/etc/fstab", 89u64),
                ("/etc/group", 682),
                ("/etc/hostname", 10),
                ("/etc/hosts", 79),
                ("/etc/inittab", 570),
                ("/etc/modules", 15),
                ("/etc/passwd", 1172),
                ("/etc/profile", 1350),
                ("/etc/protocols", 3144),
                ("/etc/shadow", 422),
                ("/etc/shells", 38),
                ("/etc/sysctl.conf", 53),
            ] {
                b.fixed(f.into(), s, 0o644);
            }
            b.main("/etc/services".into(), 1, 0o644);
        }
        "alpine-keys" => {
            for i in 0..8 {
                b.main(
                    format!(
                        "/usr/share/apk/keys/alpine-devel@lists.alpinelinux.org-{:08x}.rsa.pub",
                        name_hash(&format!("k{i}")) as u32
                    ),
                    1,
                    0o644,
                );
            }
        }
        "ca-certificates-bundle" => b.main("/etc/ssl/certs/ca-certificates.crt".into(), 1, 0o644),
        "ca-certificates" => {
            b.main("/usr/bin/update-ca-certificates".into(), 1, 0o755);
            for i in 0..16 {
                b.main(
                    format!("/usr/share/ca-certificates/mozilla/Root_CA_{i:02}.crt"),
                    1,
                    0o644,
                );
            }
        }
        "tzdata" => {
            for z in [
                "UTC",
                "Europe/London",
                "America/New_York",
                "Asia/Shanghai",
                "Asia/Tokyo",
            ] {
                b.main(format!("/usr/share/zoneinfo/{z}"), 1, 0o644);
            }
        }
        "ncurses-terminfo-base" => {
            for t in [
                "a/ansi",
                "l/linux",
                "v/vt100",
                "v/vt220",
                "x/xterm",
                "x/xterm-256color",
                "s/screen",
            ] {
                b.main(format!("/etc/terminfo/{t}"), 1, 0o644);
            }
        }
        _ => {}
    }
    let stem = name.trim_end_matches("-dev").trim_end_matches("-doc");
    let mut mains = 0usize;
    for p in &pkg.provides {
        if mains >= MAX_MAIN {
            break;
        }
        if let Some(so) = p.name.strip_prefix("so:") {
            if name == "musl" {
                continue;
            }
            let file = so.rsplit(':').next().unwrap_or(so);
            let dir = if so.contains(':') {
                format!("/usr/lib/{}", pkg.origin)
            } else {
                "/usr/lib".to_string()
            };
            match p.version.as_deref().filter(|v| *v != "0") {
                Some(v) if file.contains(".so.") && !file.ends_with(v) => {
                    let base = file.split(".so.").next().unwrap_or(file);
                    let real = format!("{base}.so.{v}");
                    b.main(format!("{dir}/{real}"), 4, 0o755);
                    b.link(format!("{dir}/{file}"), real);
                }
                _ => b.main(format!("{dir}/{file}"), 4, 0o755),
            }
            mains += 1;
        } else if let Some(cmd) = p.name.strip_prefix("cmd:") {
            if name == "busybox" || name == "busybox-binsh" {
                continue;
            }
            let path = match cmd {
                "apk" => "/sbin/apk".to_string(),
                _ if ALPINE_BIN.contains(&cmd) => format!("/bin/{cmd}"),
                _ if ALPINE_SBIN.contains(&cmd) => format!("/sbin/{cmd}"),
                // Unversioned cmd: provides belong to alternatives (postgresql15-client and
                // postgresql16-client both offer psql), which keep the real files apart.
                _ if p.version.is_none() => format!("/usr/libexec/{}/{cmd}", pkg.origin),
                _ => format!("/usr/bin/{cmd}"),
            };
            b.main(path, 2, 0o755);
            mains += 1;
        } else if let Some(pc) = p.name.strip_prefix("pc:") {
            b.fixed(
                format!("/usr/lib/pkgconfig/{pc}.pc"),
                small(name, pc, 250, 300),
                0o644,
            );
        } else if let Some((py, module)) = p
            .name
            .split_once(':')
            .filter(|(k, _)| k.starts_with("py3."))
        {
            let ver = py.trim_start_matches("py");
            b.main(
                format!(
                    "/usr/lib/python{ver}/site-packages/{}/__init__.py",
                    module.replace('.', "/")
                ),
                1,
                0o644,
            );
            mains += 1;
        }
    }
    if name.ends_with("-dev") {
        b.main(format!("/usr/include/{stem}/{stem}.h"), 1, 0o644);
        b.main(format!("/usr/lib/{}.a", lib_file_stem(stem)), 2, 0o644);
    } else if name.ends_with("-doc") {
        b.main(format!("/usr/share/doc/{stem}/README"), 1, 0o644);
        b.main(format!("/usr/share/man/man1/{stem}.1.gz"), 1, 0o644);
    } else if name.ends_with("-openrc") {
        b.fixed(
            format!("/etc/init.d/{}", name.trim_end_matches("-openrc")),
            small(name, "init", 500, 1500),
            0o755,
        );
        b.fixed(
            format!("/etc/conf.d/{}", name.trim_end_matches("-openrc")),
            small(name, "conf", 100, 400),
            0o644,
        );
    } else if b.main_count() == 0 {
        b.main(format!("/usr/share/{name}/{name}.dat"), 1, 0o644);
    }
    b.finish(pkg.installed_size)
}

/// Commands Alpine packages install in `/bin`: the shells, and the commands whose BusyBox
/// applet link lives there (GNU coreutils, grep, sed, tar … replace the link in place), so
/// `SHELL ["/bin/bash", "-c"]` works after `apk add bash` as it does on Alpine.
const ALPINE_BIN: &[&str] = &[
    "bash",
    "zsh",
    "dash",
    "mksh",
    "arch",
    "base64",
    "cat",
    "chattr",
    "chgrp",
    "chmod",
    "chown",
    "cp",
    "date",
    "dd",
    "df",
    "dmesg",
    "echo",
    "egrep",
    "false",
    "fgrep",
    "getopt",
    "grep",
    "gunzip",
    "gzip",
    "hostname",
    "ionice",
    "kill",
    "link",
    "ln",
    "login",
    "ls",
    "lsattr",
    "lzop",
    "mkdir",
    "mknod",
    "mktemp",
    "more",
    "mount",
    "mountpoint",
    "mv",
    "netstat",
    "nice",
    "pidof",
    "ping",
    "ping6",
    "printenv",
    "ps",
    "pwd",
    "rev",
    "rm",
    "rmdir",
    "run-parts",
    "sed",
    "setserial",
    "sleep",
    "stat",
    "stty",
    "su",
    "sync",
    "tar",
    "touch",
    "true",
    "umount",
    "uname",
    "usleep",
    "watch",
    "zcat",
];

/// Commands Alpine packages install in `/sbin` (where BusyBox links them too).
const ALPINE_SBIN: &[&str] = &[
    "arp", "blkid", "fdisk", "getty", "halt", "hwclock", "ifconfig", "ip", "ldconfig", "losetup",
    "lsmod", "mkswap", "modprobe", "nologin", "poweroff", "reboot", "route", "swapoff", "swapon",
    "sysctl", "syslogd",
];

/// `libfoo` for a stem like `foo` or `libfoo`.
fn lib_file_stem(stem: &str) -> String {
    if stem.starts_with("lib") {
        stem.to_string()
    } else {
        format!("lib{stem}")
    }
}

/// The shared-object name of a Debian library package (`libcurl4` → `libcurl`, `4`;
/// `libgssapi-krb5-2` → `libgssapi_krb5`, `2`; `libldap-2.5-0` → `libldap-2.5`, `0`).
fn deb_soname(name: &str) -> Option<(String, String)> {
    let digits = name.len()
        - name
            .trim_end_matches(|c: char| c.is_ascii_digit() || c == '.')
            .len();
    if digits == 0 || digits >= name.len() {
        return None;
    }
    let (stem, ver) = name.split_at(name.len() - digits);
    let ver = ver.trim_matches('.');
    if ver.is_empty() {
        return None;
    }
    let stem = stem.strip_suffix('-').unwrap_or(stem);
    // A dash followed by a letter is an underscore in the soname (libgcc-s1 → libgcc_s).
    let bytes: Vec<char> = stem.chars().collect();
    let mut out = String::new();
    for (i, c) in bytes.iter().enumerate() {
        if *c == '-' && bytes.get(i + 1).is_some_and(|n| n.is_ascii_alphabetic()) {
            out.push('_');
        } else {
            out.push(*c);
        }
    }
    Some((out, ver.to_string()))
}

/// Commands of well-known Debian packages whose command is not the package name
/// (`None`: the package ships no command of its own).
fn deb_commands(name: &str) -> Option<&'static [&'static str]> {
    Some(match name {
        "openssh-client" => &[
            "/usr/bin/ssh",
            "/usr/bin/scp",
            "/usr/bin/sftp",
            "/usr/bin/ssh-keygen",
            "/usr/bin/ssh-agent",
        ],
        "openssh-server" => &["/usr/sbin/sshd"],
        "procps" => &[
            "/usr/bin/ps",
            "/usr/bin/top",
            "/usr/bin/free",
            "/usr/bin/pgrep",
            "/usr/bin/pkill",
            "/usr/bin/watch",
            "/usr/bin/kill",
            "/usr/bin/uptime",
            "/usr/bin/vmstat",
            "/usr/bin/w",
        ],
        "iproute2" => &["/usr/bin/ip", "/usr/bin/ss", "/usr/sbin/tc"],
        "iputils-ping" => &["/usr/bin/ping"],
        "netcat-openbsd" => &["/usr/bin/nc.openbsd"],
        "bind9-dnsutils" => &["/usr/bin/dig", "/usr/bin/nslookup", "/usr/bin/nsupdate"],
        "bind9-host" => &["/usr/bin/host"],
        "vim" => &["/usr/bin/vim.basic"],
        "vim-tiny" => &["/usr/bin/vim.tiny"],
        "xz-utils" => &["/usr/bin/xz", "/usr/bin/unxz", "/usr/bin/xzcat"],
        "python3-minimal" => &["/usr/bin/py3compile", "/usr/bin/py3clean"],
        "python3-pip" => &["/usr/bin/pip", "/usr/bin/pip3", "/usr/bin/pip3.11"],
        "npm" => &[
            "/usr/share/nodejs/npm/bin/npm-cli.js",
            "/usr/share/nodejs/npm/bin/npx-cli.js",
        ],
        "make" => &["/usr/bin/make", "/usr/bin/make-first-existing-target"],
        "locales" => &[
            "/usr/sbin/locale-gen",
            "/usr/sbin/update-locale",
            "/usr/sbin/validlocale",
        ],
        "apache2" => &[
            "/usr/sbin/a2enmod",
            "/usr/sbin/a2dismod",
            "/usr/sbin/a2ensite",
            "/usr/sbin/a2dissite",
            "/usr/sbin/a2enconf",
            "/usr/sbin/a2disconf",
            "/usr/sbin/apache2ctl",
        ],
        "apache2-bin" => &["/usr/sbin/apache2"],
        "dpkg-dev" => &[
            "/usr/bin/dpkg-architecture",
            "/usr/bin/dpkg-buildflags",
            "/usr/bin/dpkg-buildpackage",
            "/usr/bin/dpkg-source",
            "/usr/bin/dpkg-scanpackages",
            "/usr/bin/dpkg-shlibdeps",
        ],
        "patch" => &["/usr/bin/patch"],
        "python3" => &["/usr/bin/pydoc3", "/usr/bin/pygettext3"],
        "python3.11-minimal" => &["/usr/bin/python3.11"],
        "python3.11" => &["/usr/bin/pydoc3.11", "/usr/bin/pygettext3.11"],
        "nodejs" => &["/usr/bin/node"],
        "golang-1.19-go" => &["/usr/lib/go-1.19/bin/go", "/usr/lib/go-1.19/bin/gofmt"],
        "gcc-12" => &["/usr/bin/x86_64-linux-gnu-gcc-12"],
        "g++-12" => &["/usr/bin/x86_64-linux-gnu-g++-12"],
        "gcc" => &["/usr/bin/c89-gcc", "/usr/bin/c99-gcc"],
        "cpp-12" => &[
            "/usr/bin/x86_64-linux-gnu-cpp-12",
            "/usr/libexec/gcc/x86_64-linux-gnu/12/cc1",
        ],
        "binutils-x86-64-linux-gnu" => &[
            "/usr/bin/x86_64-linux-gnu-ld.bfd",
            "/usr/bin/x86_64-linux-gnu-as",
            "/usr/bin/x86_64-linux-gnu-objdump",
            "/usr/bin/x86_64-linux-gnu-ar",
            "/usr/bin/x86_64-linux-gnu-nm",
            "/usr/bin/x86_64-linux-gnu-strip",
            "/usr/bin/x86_64-linux-gnu-ranlib",
        ],
        "ca-certificates" => &["/usr/sbin/update-ca-certificates"],
        "gpg" => &["/usr/bin/gpg"],
        "nginx" => &["/usr/sbin/nginx"],
        "git" => &["/usr/bin/git", "/usr/lib/git-core/git-remote-http"],
        "default-jre-headless"
        | "default-jdk-headless"
        | "build-essential"
        | "g++"
        | "cpp"
        | "binutils"
        | "gnupg"
        | "gnupg2"
        | "dnsutils" => &[],
        _ => return None,
    })
}

/// Symlinks of well-known Debian packages (`path`, `target`): commands a package ships as
/// links (`gcc` → `gcc-12`, `npm` → its script) and the `update-alternatives` links its
/// maintainer script creates (`cc`, `vim`, `nc`), which is how the real commands get their
/// names. A learner's RUN calls them by these names.
fn deb_links(name: &str) -> &'static [(&'static str, &'static str)] {
    match name {
        "python3-minimal" => &[("/usr/bin/python3", "python3.11")],
        "nodejs" => &[("/usr/bin/nodejs", "node")],
        "npm" => &[
            ("/usr/bin/npm", "../share/nodejs/npm/bin/npm-cli.js"),
            ("/usr/bin/npx", "../share/nodejs/npm/bin/npx-cli.js"),
        ],
        "make" => &[("/usr/bin/gmake", "make")],
        "gcc-12" => &[("/usr/bin/gcc-12", "x86_64-linux-gnu-gcc-12")],
        "g++-12" => &[("/usr/bin/g++-12", "x86_64-linux-gnu-g++-12")],
        "cpp-12" => &[("/usr/bin/cpp-12", "x86_64-linux-gnu-cpp-12")],
        "gcc" => &[
            ("/usr/bin/gcc", "gcc-12"),
            ("/usr/bin/x86_64-linux-gnu-gcc", "gcc-12"),
            ("/usr/bin/cc", "/etc/alternatives/cc"),
            ("/etc/alternatives/cc", "/usr/bin/gcc"),
        ],
        "g++" => &[
            ("/usr/bin/g++", "g++-12"),
            ("/usr/bin/x86_64-linux-gnu-g++", "g++-12"),
            ("/usr/bin/c++", "/etc/alternatives/c++"),
            ("/etc/alternatives/c++", "/usr/bin/g++"),
        ],
        "cpp" => &[("/usr/bin/cpp", "cpp-12")],
        "binutils" => &[
            ("/usr/bin/ld", "x86_64-linux-gnu-ld"),
            ("/usr/bin/x86_64-linux-gnu-ld", "x86_64-linux-gnu-ld.bfd"),
            ("/usr/bin/as", "x86_64-linux-gnu-as"),
            ("/usr/bin/ar", "x86_64-linux-gnu-ar"),
            ("/usr/bin/nm", "x86_64-linux-gnu-nm"),
            ("/usr/bin/objdump", "x86_64-linux-gnu-objdump"),
            ("/usr/bin/strip", "x86_64-linux-gnu-strip"),
            ("/usr/bin/ranlib", "x86_64-linux-gnu-ranlib"),
        ],
        "vim" => &[
            ("/usr/bin/vim", "/etc/alternatives/vim"),
            ("/etc/alternatives/vim", "/usr/bin/vim.basic"),
            ("/usr/bin/vi", "/etc/alternatives/vi"),
            ("/etc/alternatives/vi", "/usr/bin/vim.basic"),
        ],
        "vim-tiny" => &[
            ("/usr/bin/vi", "/etc/alternatives/vi"),
            ("/etc/alternatives/vi", "/usr/bin/vim.tiny"),
        ],
        "netcat-openbsd" => &[
            ("/usr/bin/nc", "/etc/alternatives/nc"),
            ("/etc/alternatives/nc", "/usr/bin/nc.openbsd"),
            ("/usr/bin/netcat", "/etc/alternatives/netcat"),
            ("/etc/alternatives/netcat", "/usr/bin/nc.openbsd"),
        ],
        "xz-utils" => &[("/usr/bin/lzma", "xz"), ("/usr/bin/unlzma", "xz")],
        _ => &[],
    }
}

/// The files of a Debian package (see the module invariant).
/// Size of bookworm's `/usr/lib/python3.11/EXTERNALLY-MANAGED` (libpython3.11-stdlib).
const EXTERNALLY_MANAGED_SIZE: u64 = 645;

pub fn deb_files(pkg: &DebPkg) -> Vec<FileSpec> {
    let mut b = Builder::default();
    let name = pkg.name.as_str();
    let libdir = "/usr/lib/x86_64-linux-gnu";
    b.fixed(
        format!("/usr/share/doc/{name}/copyright"),
        small(name, "copyright", 900, 24_000),
        0o644,
    );
    let is_lib = name.starts_with("lib")
        && ![
            "-dev", "-perl", "-common", "-data", "-bin", "-doc", "-java", "-tools", "-utils",
            "-l10n",
        ]
        .iter()
        .any(|s| name.ends_with(s))
        && name != "libc-bin";
    for (path, target) in deb_links(name) {
        b.link((*path).to_string(), (*target).to_string());
    }
    // Debian 12's Python standard library marks the system Python as managed by apt
    // (PEP 668): `pip install` outside a virtual environment refuses.
    if let Some(version) = name
        .strip_prefix("libpython")
        .and_then(|v| v.strip_suffix("-stdlib"))
        .filter(|v| v.starts_with("3."))
    {
        b.fixed(
            format!("/usr/lib/python{version}/EXTERNALLY-MANAGED"),
            EXTERNALLY_MANAGED_SIZE,
            0o644,
        );
    }
    if let Some(cmds) = deb_commands(name) {
        for c in cmds {
            b.main((*c).to_string(), 2, 0o755);
        }
        if name == "ca-certificates" {
            for i in 0..16 {
                b.main(
                    format!("/usr/share/ca-certificates/mozilla/Root_CA_{i:02}.crt"),
                    1,
                    0o644,
                );
            }
        }
    } else if name.ends_with("-dev") {
        // Named after the package itself: several -dev packages (libdb-dev, libdb5.3-dev)
        // would otherwise claim the same file.
        let stem = name.trim_end_matches("-dev");
        b.main(format!("/usr/include/{stem}/{stem}.h"), 1, 0o644);
        // Only library -dev packages ship the static archive and the .so link
        // (python3-dev depends on libpython3-dev, which has them).
        if stem.starts_with("lib") {
            b.main(format!("{libdir}/{stem}.a"), 2, 0o644);
            b.link(format!("{libdir}/{stem}.so"), format!("{stem}.so.0"));
        }
        b.fixed(
            format!("{libdir}/pkgconfig/{stem}.pc"),
            small(name, "pc", 250, 300),
            0o644,
        );
    } else if is_lib && pkg.arch != "all" {
        match deb_soname(name) {
            Some((stem, ver)) => {
                let real = format!("{stem}.so.{ver}.0.0");
                b.main(format!("{libdir}/{real}"), 1, 0o644);
                b.link(format!("{libdir}/{stem}.so.{ver}"), real);
            }
            None => b.main(format!("{libdir}/{name}/{name}.so"), 1, 0o644),
        }
    } else if let Some(module) = name.strip_prefix("python3-") {
        b.main(
            format!(
                "/usr/lib/python3/dist-packages/{}/__init__.py",
                module.replace('-', "_")
            ),
            1,
            0o644,
        );
    } else if name.ends_with("-perl") {
        let m = name.trim_start_matches("lib").trim_end_matches("-perl");
        b.main(
            format!("/usr/share/perl5/{}.pm", m.replace('-', "/")),
            1,
            0o644,
        );
    } else if let Some(font) = name.strip_prefix("fonts-") {
        b.main(
            format!("/usr/share/fonts/truetype/{font}/{font}-Regular.ttf"),
            1,
            0o644,
        );
    } else if pkg.arch == "all"
        || ["-common", "-data", "-doc", "-locales", "-l10n", "-base"]
            .iter()
            .any(|s| name.ends_with(s))
    {
        b.main(format!("/usr/share/{name}/{name}.dat"), 1, 0o644);
    } else {
        b.main(format!("/usr/bin/{name}"), 1, 0o755);
    }
    b.finish(pkg.installed_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sonames() {
        let check = |n: &str, want: Option<(&str, &str)>| {
            let got = deb_soname(n);
            assert_eq!(
                got.as_ref().map(|(a, b)| (a.as_str(), b.as_str())),
                want,
                "{n}"
            );
        };
        check("libcurl4", Some(("libcurl", "4")));
        check("libgssapi-krb5-2", Some(("libgssapi_krb5", "2")));
        check("libldap-2.5-0", Some(("libldap-2.5", "0")));
        check("libnghttp2-14", Some(("libnghttp2", "14")));
        check("libgcc-s1", Some(("libgcc_s", "1")));
        check("libsasl2-modules", None);
    }
}
