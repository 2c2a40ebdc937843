//! The distribution helpers the engine adds to the RUN interpreter (`engine::programs`):
//! apt-mark and friends over the real bookworm package data, the php image helpers, the
//! RPM family, tonistiigi/xx. Each runs through `shell::run` on a Debian-flavoured
//! filesystem (the bookworm-slim estimate of ../shared/data) or an Alpine one.
//!
//! Expected outputs are the real tools' (apt 2.6.1, dpkg 1.21.22, glibc 2.36 on Debian 12;
//! tonistiigi/xx's scripts; docker-library/php's scripts), as cited next to each table.
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used)]

use dockerfile_playground::engine::packages::apt;
use dockerfile_playground::engine::packages::index::debian_bookworm;
use dockerfile_playground::engine::packages::InstalledDb;
use dockerfile_playground::engine::shell::{
    self, Content, Data, EventKind, ImageFlavor, MemFs, NewNode, RunOutcome, RunRequest, ShellFs,
    WriteMode,
};
use serde_json::Value;

const BOOKWORM_OS_RELEASE: &str = "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nNAME=\"Debian GNU/Linux\"\nVERSION_ID=\"12\"\nVERSION=\"12 (bookworm)\"\nVERSION_CODENAME=bookworm\nID=debian\n";
const ALPINE_OS_RELEASE: &str =
    "NAME=\"Alpine Linux\"\nID=alpine\nVERSION_ID=3.20.3\nPRETTY_NAME=\"Alpine Linux v3.20\"\n";

fn put(fs: &mut MemFs, path: &str, data: Data<'_>) {
    let node = NewNode {
        mode: 0o644,
        uid: 0,
        gid: 0,
    };
    let mut cur = String::new();
    let parent = path.rsplit_once('/').map(|(p, _)| p).unwrap_or("");
    for c in parent.split('/').filter(|c| !c.is_empty()) {
        cur.push('/');
        cur.push_str(c);
        let _ = fs.mkdir(
            &cur,
            NewNode {
                mode: 0o755,
                ..node
            },
        );
    }
    fs.write_file(path, data, WriteMode::Truncate, node)
        .unwrap();
}

/// debian:bookworm-slim as the data estimates it (no extended_states: every package is
/// manually installed, as in the real image).
fn debian() -> MemFs {
    let mut fs = MemFs::with_skeleton();
    let index = debian_bookworm().unwrap();
    let status = apt::base_status_text(index, &index.minbase_names());
    put(
        &mut fs,
        "/etc/os-release",
        Data::Bytes(BOOKWORM_OS_RELEASE.as_bytes()),
    );
    put(
        &mut fs,
        "/var/lib/dpkg/status",
        Data::Bytes(status.as_bytes()),
    );
    let _ = fs.mkdir(
        "/var/lib/apt",
        NewNode {
            mode: 0o755,
            uid: 0,
            gid: 0,
        },
    );
    let _ = fs.mkdir(
        "/var/lib/apt/lists",
        NewNode {
            mode: 0o755,
            uid: 0,
            gid: 0,
        },
    );
    fs
}

fn alpine() -> MemFs {
    let mut fs = MemFs::with_skeleton();
    put(
        &mut fs,
        "/etc/os-release",
        Data::Bytes(ALPINE_OS_RELEASE.as_bytes()),
    );
    put(&mut fs, "/etc/alpine-release", Data::Bytes(b"3.20.3\n"));
    fs
}

fn run(fs: &mut MemFs, env: &[(&str, &str)], script: &str) -> RunOutcome {
    let mut req = RunRequest::shell_form(&[], script);
    req.image = ImageFlavor::DEBIAN;
    req.env = env
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    req.env.push((
        "PATH".into(),
        "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin".into(),
    ));
    shell::run(
        &req,
        fs,
        dockerfile_playground::engine::programs::registry(),
    )
}

fn out(o: &RunOutcome) -> String {
    String::from_utf8_lossy(&o.stdout()).into_owned()
}

fn err(o: &RunOutcome) -> String {
    String::from_utf8_lossy(&o.stderr()).into_owned()
}

fn file(fs: &MemFs, path: &str) -> Option<String> {
    match fs.read_file(path).ok()? {
        Content::Bytes(b) => Some(String::from_utf8_lossy(&b).into_owned()),
        Content::Unknown { size } => Some(format!("<{size} bytes>")),
    }
}

fn flagged(o: &RunOutcome, kind: EventKind) -> bool {
    o.events.iter().any(|e| e.kind == kind)
}

/// One case: a script on a fresh filesystem, its status, stdout, and a piece of stderr.
struct Case<'a> {
    env: &'a [(&'a str, &'a str)],
    script: &'a str,
    status: i32,
    stdout: &'a str,
    stderr_has: &'a str,
}

fn check(make_fs: fn() -> MemFs, cases: &[Case<'_>]) {
    for c in cases {
        let mut fs = make_fs();
        let o = run(&mut fs, c.env, c.script);
        assert_eq!(
            (o.status, out(&o).as_str()),
            (c.status, c.stdout),
            "{}\nstderr: {}",
            c.script,
            err(&o)
        );
        assert!(err(&o).contains(c.stderr_has), "{}: {}", c.script, err(&o));
        assert!(
            !flagged(&o, EventKind::NotSimulated),
            "{} reported not simulated: {:?}",
            c.script,
            o.events
        );
    }
}

fn installed_names(fs: &MemFs) -> Vec<String> {
    let db = InstalledDb::parse_dpkg(&file(fs, "/var/lib/dpkg/status").unwrap());
    let mut names: Vec<String> = db.installed().map(|p| p.name.clone()).collect();
    names.sort();
    names
}

/// apt-mark's messages (apt 2.6 `apt-mark.cc`: "%s set to manually installed.", "%s was
/// already set to automatically installed.", "%s set on hold.", "Canceled hold on %s.").
#[test]
fn apt_mark_messages() {
    check(
        debian,
        &[
            Case {
                env: &[],
                script: "apt-mark auto bash",
                status: 0,
                stdout: "bash set to automatically installed.\n",
                stderr_has: "",
            },
            Case {
                env: &[],
                script: "apt-mark auto bash >/dev/null; apt-mark auto bash; apt-mark showauto",
                status: 0,
                stdout: "bash was already set to automatically installed.\nbash\n",
                stderr_has: "",
            },
            Case {
                env: &[],
                script: "apt-mark manual bash",
                status: 0,
                stdout: "bash was already set to manually installed.\n",
                stderr_has: "",
            },
            Case {
                env: &[],
                script: "apt-mark manual no-such-package",
                status: 100,
                stdout: "",
                stderr_has: "E: Unable to locate package no-such-package\n",
            },
            Case {
                env: &[],
                script: "apt-mark hold bash; apt-mark showhold; apt-mark unhold bash; apt-mark showhold; apt-mark unhold bash",
                status: 0,
                stdout: "bash set on hold.\nbash\nCanceled hold on bash.\nbash was already not on hold.\n",
                stderr_has: "",
            },
            Case {
                env: &[],
                script: "apt-mark manual",
                status: 100,
                stdout: "",
                stderr_has: "E: No packages found\n",
            },
        ],
    );
}

/// A fresh debian image has no extended_states, so every package is manual.
#[test]
fn showmanual_lists_the_whole_base_image() {
    let mut fs = debian();
    let o = run(&mut fs, &[], "apt-mark showmanual");
    let mut want: Vec<&str> = debian_bookworm().unwrap().minbase_names();
    want.sort_unstable();
    assert_eq!(
        out(&o),
        want.iter().map(|n| format!("{n}\n")).collect::<String>()
    );
    let o = run(&mut fs, &[], "apt-mark showauto");
    assert_eq!(out(&o), "");
}

/// The official images' idiom (php, python, …): remember the manual set, install build
/// dependencies, mark everything automatic, restore the saved set, purge the rest. The data's
/// worked example says `--no-install-recommends curl` adds 16 packages / 11703 KiB; all of
/// them must go again and the package set must be the base image's.
#[test]
fn saved_apt_mark_idiom_removes_the_build_dependencies() {
    let data: Value = serde_json::from_str(
        &std::fs::read_to_string("../shared/data/debian-bookworm-packages.json").unwrap(),
    )
    .unwrap();
    let example = &data["install_examples"]["curl"];
    let new_packages = example["new_packages"].as_u64().unwrap();
    let kib = example["installed_size_kib"].as_u64().unwrap();
    let mut fs = debian();
    let before = installed_names(&fs);
    let script = "set -eux; \
        savedAptMark=\"$(apt-mark showmanual)\"; \
        apt-get update; \
        apt-get install -y --no-install-recommends curl; \
        apt-mark auto '.*' > /dev/null; \
        [ -z \"$savedAptMark\" ] || apt-mark manual $savedAptMark > /dev/null; \
        apt-get purge -y --auto-remove -o APT::AutoRemove::RecommendsImportant=false; \
        rm -rf /var/lib/apt/lists/*";
    let o = run(&mut fs, &[], script);
    assert_eq!(o.status, 0, "{}", err(&o));
    assert!(!flagged(&o, EventKind::NotSimulated), "{:?}", o.events);
    assert_eq!(installed_names(&fs), before);
    let text = out(&o);
    let summary =
        format!("0 upgraded, 0 newly installed, {new_packages} to remove and 0 not upgraded.\n");
    assert!(text.contains(&summary), "{text}");
    let freed = apt::size_to_str((kib * 1024) as f64);
    assert!(
        text.contains(&format!(
            "After this operation, {freed} disk space will be freed.\n"
        )),
        "{text}"
    );
    assert!(text.contains("Removing curl (7.88.1-10+deb12u15) ...\n"));
    assert!(fs.stat("/usr/bin/curl").is_err());
    // Keeping one runtime library manual (the `xargs -r apt-mark manual` step) keeps it and
    // what it depends on.
    let mut fs = debian();
    let o = run(
        &mut fs,
        &[],
        "savedAptMark=\"$(apt-mark showmanual)\"; apt-get update >/dev/null; \
         apt-get install -y --no-install-recommends curl >/dev/null; \
         apt-mark auto '.*' > /dev/null; apt-mark manual $savedAptMark >/dev/null; \
         apt-mark manual libcurl4; \
         apt-get purge -y --auto-remove -o APT::AutoRemove::RecommendsImportant=false",
    );
    assert!(out(&o).starts_with("libcurl4 set to manually installed.\n"));
    let after = installed_names(&fs);
    assert!(after.contains(&"libcurl4".to_string()) && !after.contains(&"curl".to_string()));
    assert!(
        after.contains(&"libssl3".to_string()),
        "libcurl4 depends on libssl3"
    );
    assert!(out(&o).contains("0 upgraded, 0 newly installed, 1 to remove and 0 not upgraded.\n"));
}

/// Recommends keep packages unless `APT::AutoRemove::RecommendsImportant=false`: with
/// recommends, curl brings 22 packages; apt (manual) recommends ca-certificates, which keeps
/// ca-certificates, openssl and libssl3 by default (see packages_apt.rs for the real apt
/// output), and nothing is kept with the option off.
#[test]
fn recommends_important_option_is_honoured() {
    for (option, removed) in [
        ("", 19),
        (" -o APT::AutoRemove::RecommendsImportant=false", 22),
    ] {
        let mut fs = debian();
        let script = format!(
            "apt-get update >/dev/null; apt-get install -y curl >/dev/null; \
             apt-get purge -y --auto-remove{option} curl"
        );
        let o = run(&mut fs, &[], &script);
        let want =
            format!("0 upgraded, 0 newly installed, {removed} to remove and 0 not upgraded.\n");
        assert!(out(&o).contains(&want), "{option}: {}", out(&o));
    }
}

/// `apt-mark auto '.*'` must not let autoremove take the Essential base packages.
#[test]
fn autoremove_keeps_essential_packages() {
    let mut fs = debian();
    let o = run(
        &mut fs,
        &[],
        "apt-mark auto '.*' >/dev/null; apt-get update >/dev/null; apt-get autoremove -y",
    );
    assert_eq!(o.status, 0, "{}", err(&o));
    let after = installed_names(&fs);
    for essential in ["bash", "coreutils", "dpkg", "base-files", "apt", "libc6"] {
        assert!(
            after.contains(&essential.to_string()),
            "{essential} removed"
        );
    }
}

/// dpkg 1.21: "Adding 'local diversion of X to Y'", the file renamed, three lines per
/// diversion in /var/lib/dpkg/diversions (file, target, package or ':').
#[test]
fn dpkg_divert_renames_and_records() {
    let mut fs = debian();
    let o = run(
        &mut fs,
        &[],
        "mkdir -p /usr/share/postgresql/15; echo x > /usr/share/postgresql/15/postgresql.conf.sample; \
         dpkg-divert --add --rename --divert /usr/share/postgresql/postgresql.conf.sample.dpkg /usr/share/postgresql/15/postgresql.conf.sample; \
         test ! -e /usr/share/postgresql/15/postgresql.conf.sample; cat /usr/share/postgresql/postgresql.conf.sample.dpkg; dpkg-divert --list",
    );
    assert_eq!(o.status, 0, "{}", err(&o));
    assert_eq!(
        out(&o),
        "Adding 'local diversion of /usr/share/postgresql/15/postgresql.conf.sample to /usr/share/postgresql/postgresql.conf.sample.dpkg'\nx\nlocal diversion of /usr/share/postgresql/15/postgresql.conf.sample to /usr/share/postgresql/postgresql.conf.sample.dpkg\n"
    );
    assert_eq!(
        file(&fs, "/var/lib/dpkg/diversions").unwrap(),
        "/usr/share/postgresql/15/postgresql.conf.sample\n/usr/share/postgresql/postgresql.conf.sample.dpkg\n:\n"
    );
}

/// dpkg-buildflags on bookworm (dpkg 1.21.22, amd64, no DEB_BUILD_MAINT_OPTIONS); the
/// file-prefix map names the working directory.
#[test]
fn dpkg_buildflags_defaults() {
    check(
        debian,
        &[
            Case {
                env: &[],
                script: "mkdir -p /usr/src && cd /usr/src && dpkg-buildflags --get CFLAGS",
                status: 0,
                stdout: "-g -O2 -ffile-prefix-map=/usr/src=. -fstack-protector-strong -Wformat -Werror=format-security\n",
                stderr_has: "",
            },
            Case {
                env: &[],
                script: "dpkg-buildflags --get LDFLAGS; dpkg-buildflags --get CPPFLAGS",
                status: 0,
                stdout: "-Wl,-z,relro\n-Wdate-time -D_FORTIFY_SOURCE=2\n",
                stderr_has: "",
            },
            Case {
                env: &[("DEB_LDFLAGS_APPEND", "-Wl,--as-needed")],
                script: "dpkg-buildflags --get LDFLAGS",
                status: 0,
                stdout: "-Wl,-z,relro -Wl,--as-needed\n",
                stderr_has: "",
            },
        ],
    );
}

/// update-alternatives: the link → /etc/alternatives/name → path chain and its message.
#[test]
fn update_alternatives_builds_the_symlink_chain() {
    let mut fs = debian();
    let o = run(
        &mut fs,
        &[],
        "mkdir -p /opt/jdk/bin && touch /opt/jdk/bin/java && chmod +x /opt/jdk/bin/java; \
         update-alternatives --install /usr/bin/java java /opt/jdk/bin/java 100; \
         readlink /usr/bin/java; readlink /etc/alternatives/java; readlink -f /usr/bin/java",
    );
    assert_eq!(
        out(&o),
        "update-alternatives: using /opt/jdk/bin/java to provide /usr/bin/java (java) in auto mode\n/etc/alternatives/java\n/opt/jdk/bin/java\n/opt/jdk/bin/java\n"
    );
    assert_eq!(
        file(&fs, "/var/lib/dpkg/alternatives/java").unwrap(),
        "auto\n/usr/bin/java\n\n/opt/jdk/bin/java\n100\n\n"
    );
}

/// glibc 2.36 `locale`: LANG and LANGUAGE as set, categories quoted when derived.
#[test]
fn locale_output() {
    let categories = [
        "LC_CTYPE",
        "LC_NUMERIC",
        "LC_TIME",
        "LC_COLLATE",
        "LC_MONETARY",
        "LC_MESSAGES",
        "LC_PAPER",
        "LC_NAME",
        "LC_ADDRESS",
        "LC_TELEPHONE",
        "LC_MEASUREMENT",
        "LC_IDENTIFICATION",
    ];
    let posix: String = categories
        .iter()
        .map(|c| format!("{c}=\"POSIX\"\n"))
        .collect();
    let utf8: String = categories
        .iter()
        .map(|c| {
            if *c == "LC_TIME" {
                format!("{c}=C.UTF-8\n")
            } else {
                format!("{c}=\"C.UTF-8\"\n")
            }
        })
        .collect();
    let cases = [
        (vec![], format!("LANG=\nLANGUAGE=\n{posix}LC_ALL=\n")),
        (
            vec![("LANG", "C.UTF-8"), ("LC_TIME", "C.UTF-8")],
            format!("LANG=C.UTF-8\nLANGUAGE=\n{utf8}LC_ALL=\n"),
        ),
    ];
    for (env, want) in cases {
        let mut fs = debian();
        let o = run(&mut fs, &env, "locale");
        assert_eq!(out(&o), want);
    }
    check(
        debian,
        &[Case {
            env: &[],
            script: "echo 'en_US.UTF-8 UTF-8' >> /etc/locale.gen; locale -a | grep 'en_US.utf8'",
            status: 0,
            stdout: "en_US.utf8\n",
            stderr_has: "",
        }],
    );
}

/// Debian's a2enconf/a2dismod messages (no systemd in a container, so `service`).
#[test]
fn apache_switches() {
    check(
        debian,
        &[
            Case {
                env: &[("APACHE_CONFDIR", "/etc/apache2")],
                script: "mkdir -p /etc/apache2/conf-available && echo x > /etc/apache2/conf-available/docker-php.conf && a2enconf docker-php && readlink /etc/apache2/conf-enabled/docker-php.conf && a2enconf docker-php",
                status: 0,
                stdout: "Enabling conf docker-php.\nTo activate the new configuration, you need to run:\n  service apache2 reload\n../conf-available/docker-php.conf\nConf docker-php already enabled\n",
                stderr_has: "",
            },
            Case {
                env: &[],
                script: "a2dismod mpm_event",
                status: 1,
                stdout: "",
                stderr_has: "ERROR: Module mpm_event does not exist!\n",
            },
            Case {
                env: &[],
                script: "mkdir -p /etc/apache2/mods-available /etc/apache2/mods-enabled; echo '# Conflicts: mpm_prefork' > /etc/apache2/mods-available/mpm_event.load; echo '# Conflicts: mpm_event' > /etc/apache2/mods-available/mpm_prefork.load; ln -s ../mods-available/mpm_event.load /etc/apache2/mods-enabled/; a2dismod mpm_event && a2enmod mpm_prefork && ls /etc/apache2/mods-enabled",
                status: 0,
                stdout: "Module mpm_event disabled.\nTo activate the new configuration, you need to run:\n  service apache2 restart\nConsidering conflict mpm_event for mpm_prefork:\nEnabling module mpm_prefork.\nTo activate the new configuration, you need to run:\n  service apache2 restart\nmpm_prefork.load\n",
                stderr_has: "",
            },
        ],
    );
}

/// apt-key (apt 2.6) warns on every use.
#[test]
fn apt_key_is_deprecated_and_approximated() {
    let mut fs = debian();
    let o = run(
        &mut fs,
        &[],
        "apt-key adv --keyserver hkp://pgp.mit.edu:80 --recv-keys E871F18B51E0147C77796AC81196BA81F6B0FC61",
    );
    assert_eq!(o.status, 0);
    assert!(err(&o).starts_with("Warning: apt-key is deprecated. Manage keyring files in trusted.gpg.d instead (see apt-key(8)).\n"));
    assert!(flagged(&o, EventKind::Approximated));
}

/// tonistiigi/xx: `xx-info` answers from TARGETPLATFORM and /etc/os-release (src/xx-info).
#[test]
fn xx_info_answers() {
    check(
        debian,
        &[
            Case {
                env: &[],
                script: "xx-info; xx-info arch; xx-info os; xx-info march; xx-info debian-arch; xx-info pkg-arch; xx-info libc; xx-info os-version",
                status: 0,
                stdout: "x86_64-linux-gnu\namd64\nlinux\nx86_64\namd64\namd64\ngnu\n12\n",
                stderr_has: "",
            },
            Case {
                env: &[("TARGETPLATFORM", "linux/amd64")],
                script: "xx-info is-cross || echo native",
                status: 0,
                stdout: "native\n",
                stderr_has: "",
            },
            Case {
                env: &[("TARGETPLATFORM", "linux/arm64")],
                script: "xx-info is-cross && xx-info triple && xx-info rhel-arch",
                status: 0,
                stdout: "aarch64-linux-gnu\naarch64\n",
                stderr_has: "",
            },
            Case {
                env: &[("TARGETPLATFORM", "linux/arm/v6")],
                script: "xx-info variant; xx-info alpine-arch; xx-info debian-arch",
                status: 0,
                stdout: "v6\narmhf\narmel\n",
                stderr_has: "",
            },
            Case {
                env: &[("TARGETARCH", "sparc")],
                script: "xx-info arch; xx-info triple",
                status: 1,
                stdout: "sparc\n",
                stderr_has: "unsupported target: os=linux arch=sparc variant=\n",
            },
        ],
    );
    check(
        alpine,
        &[Case {
            env: &[],
            script: "xx-info; xx-info pkg-arch; xx-info vendor",
            status: 0,
            stdout: "x86_64-alpine-linux-musl\nx86_64\nalpine\n",
            stderr_has: "",
        }],
    );
}

/// xx-apt-get prints the command it runs (`+ apt-get ` then the arguments) and runs it.
#[test]
fn xx_apt_get_delegates() {
    let mut fs = debian();
    let o = run(
        &mut fs,
        &[("TARGETPLATFORM", "linux/amd64")],
        "apt-get update >/dev/null && xx-apt-get install -y --no-install-recommends libkeyutils1 zlib1g-dev",
    );
    assert_eq!(o.status, 0, "{}", err(&o));
    assert!(err(&o)
        .starts_with("+ apt-get  install -y --no-install-recommends libkeyutils1 zlib1g-dev\n"));
    assert!(installed_names(&fs).contains(&"zlib1g-dev".to_string()));
}

/// xx-go --wrap writes the target into go's env file; xx-verify checks the files exist.
#[test]
fn xx_go_and_verify() {
    let mut fs = debian();
    let o = run(
        &mut fs,
        &[("HOME", "/root"), ("TARGETPLATFORM", "linux/amd64")],
        "xx-go --wrap; cat /root/.config/go/env; xx-verify --static /out/app",
    );
    assert_eq!(o.status, 1);
    assert_eq!(out(&o), "GOOS=linux\nGOARCH=amd64\n");
    assert_eq!(err(&o), "file not found: /out/app\n");
    let o = run(
        &mut fs,
        &[("TARGETPLATFORM", "linux/arm/v7")],
        "xx-go --wrap; cat /root/.config/go/env",
    );
    assert_eq!(out(&o), "GOOS=linux\nGOARCH=arm\nGOARM=7\n");
}

fn php_image() -> MemFs {
    let mut fs = debian();
    put(&mut fs, "/usr/src/php.tar.xz", Data::Unknown(12_000_000));
    let _ = fs.mkdir(
        "/usr/local/etc",
        NewNode {
            mode: 0o755,
            uid: 0,
            gid: 0,
        },
    );
    fs
}

const PHP_ENV: &[(&str, &str)] = &[
    ("PHP_INI_DIR", "/usr/local/etc/php"),
    ("PHP_VERSION", "8.3.14"),
];

/// docker-library/php's scripts: `extension=<arg>` (ext-enable), `extension=<x>.so`
/// (ext-install, which passes the built file name), `zend_extension` for opcache.
#[test]
fn php_helpers() {
    check(
        php_image,
        &[
            Case {
                env: PHP_ENV,
                script: "docker-php-ext-enable sodium; docker-php-ext-enable opcache; cat /usr/local/etc/php/conf.d/docker-php-ext-sodium.ini /usr/local/etc/php/conf.d/docker-php-ext-opcache.ini",
                status: 0,
                stdout: "extension=sodium\nzend_extension=opcache\n",
                stderr_has: "",
            },
            Case {
                env: PHP_ENV,
                script: "docker-php-ext-install -j \"$(nproc)\" bcmath && cat /usr/local/etc/php/conf.d/docker-php-ext-bcmath.ini && test -f /usr/local/lib/php/extensions/no-debug-non-zts-20230831/bcmath.so && test ! -e /usr/src/php && echo ok",
                status: 0,
                stdout: "Installing shared extensions:     /usr/local/lib/php/extensions/no-debug-non-zts-20230831/\nextension=bcmath.so\nok\n",
                stderr_has: "",
            },
            Case {
                env: PHP_ENV,
                script: "docker-php-ext-install nosuchext",
                status: 1,
                stdout: "",
                stderr_has: "error: /usr/src/php/ext/nosuchext does not exist\n",
            },
            Case {
                env: PHP_ENV,
                script: "extDir=\"$(php -r 'echo ini_get(\"extension_dir\");')\"; echo \"$extDir\"; mkdir -p \"$extDir\"; docker-php-ext-enable imagick",
                status: 1,
                stdout: "/usr/local/lib/php/extensions/no-debug-non-zts-20230831\n",
                stderr_has: "error: 'imagick' does not exist\n",
            },
            Case {
                env: PHP_ENV,
                script: "docker-php-source extract; test -f /usr/src/php/.docker-extracted && docker-php-source delete && test ! -e /usr/src/php && echo gone",
                status: 0,
                stdout: "gone\n",
                stderr_has: "",
            },
            Case {
                env: PHP_ENV,
                script: "pecl install imagick-3.8.1 && docker-php-ext-enable imagick && php -m | grep -x imagick",
                status: 0,
                stdout: "Build process completed successfully\nInstalling '/usr/local/lib/php/extensions/no-debug-non-zts-20230831/imagick.so'\ninstall ok: channel://pecl.php.net/imagick-3.8.1\nconfiguration option \"php_ini\" is not set to php.ini location\nYou should add \"extension=imagick.so\" to php.ini\nimagick\n",
                stderr_has: "",
            },
            Case {
                env: PHP_ENV,
                script: "out=\"$(php -r 'exit(0);')\"; [ -z \"$out\" ] && php -r 'echo \"ok\";'",
                status: 0,
                stdout: "ok",
                stderr_has: "",
            },
        ],
    );
}

/// The RPM family has no package data: installs are estimates (flagged), and `clean all`
/// removes the metadata cache the install wrote, so the layer only keeps it without clean.
#[test]
fn rpm_family_cache_and_clean() {
    for (tool, cache) in [
        ("microdnf", "/var/cache/yum"),
        ("dnf", "/var/cache/dnf"),
        ("yum", "/var/cache/yum"),
        ("tdnf", "/var/cache/tdnf"),
    ] {
        let mut fs = MemFs::with_skeleton();
        let o = run(&mut fs, &[], &format!("{tool} install -y gzip tar"));
        assert_eq!(o.status, 0, "{tool}: {}", err(&o));
        assert!(flagged(&o, EventKind::Approximated));
        assert!(!fs.paths().iter().all(|p| !p.starts_with(cache)), "{tool}");
        let cached = fs
            .paths()
            .iter()
            .filter(|p| p.starts_with(&format!("{cache}/")))
            .count();
        assert!(cached > 0, "{tool} wrote no cache");
        let o = run(&mut fs, &[], &format!("{tool} clean all"));
        assert_eq!(o.status, 0);
        let left = fs
            .paths()
            .iter()
            .filter(|p| p.starts_with(&format!("{cache}/")))
            .count();
        assert_eq!(left, 0, "{tool} clean all left the cache");
        assert!(fs.stat("/usr/share/gzip/.rpm-payload").is_ok());
    }
    let mut fs = MemFs::with_skeleton();
    let o = run(&mut fs, &[], "rpm --query --queryformat='%{ARCH}' rpm");
    assert_eq!(out(&o), "x86_64");
    let o = run(&mut fs, &[], "dnf install gzip");
    assert_eq!(
        o.status, 1,
        "dnf asks without -y and a build has no terminal"
    );
}

/// libcap's setcap: the file must exist ("Failed to set capabilities on file `x' (…)").
#[test]
fn setcap_checks_the_file() {
    check(
        alpine,
        &[
            Case {
                env: &[],
                script: "touch /usr/bin/caddy && setcap cap_net_bind_service=+ep /usr/bin/caddy && echo ok",
                status: 0,
                stdout: "ok\n",
                stderr_has: "",
            },
            Case {
                env: &[],
                script: "setcap cap_net_bind_service=+ep /usr/bin/caddy",
                status: 1,
                stdout: "",
                stderr_has: "Failed to set capabilities on file `/usr/bin/caddy' (No such file or directory)\nusage: setcap",
            },
        ],
    );
}

/// Suggests keep packages only when `APT::AutoRemove::SuggestsImportant` is on: apt's own
/// default, but Docker's Debian images turn it off (docker-autoremove-suggests). apt
/// (manual, in the base image) Suggests dpkg-dev, which build-essential pulled in.
#[test]
fn suggests_important_option_is_honoured() {
    for (option, dpkg_dev_kept) in [
        ("", false),
        (" -o APT::AutoRemove::SuggestsImportant=true", true),
    ] {
        let mut fs = debian();
        let script = format!(
            "apt-get update >/dev/null; apt-get install -y --no-install-recommends build-essential >/dev/null; \
             apt-get purge -y --auto-remove{option} build-essential"
        );
        let o = run(&mut fs, &[], &script);
        assert_eq!(o.status, 0, "{}", err(&o));
        let names = installed_names(&fs);
        assert_eq!(
            names.contains(&"dpkg-dev".to_string()),
            dpkg_dev_kept,
            "{option}"
        );
        assert!(!names.contains(&"build-essential".to_string()));
    }
}
