//! The official php images' helpers (shell scripts in `/usr/local/bin` of those images, so
//! they only run where the image has them): `docker-php-source`, `docker-php-ext-configure`,
//! `docker-php-ext-install`, `docker-php-ext-enable`, plus `pecl` and the `php` CLI's
//! informational modes.
//!
//! Invariants: nothing is compiled, so every extension `.so` has an estimated size and the
//! command is flagged approximated; the ini files (`$PHP_INI_DIR/conf.d/docker-php-ext-X.ini`)
//! are written exactly as the real scripts write them; version numbers come from the image's
//! `PHP_VERSION`, never invented.

use super::lang_support::text_or_empty;
use super::require_on_path;
use crate::engine::shell::fs::Data;
use crate::engine::shell::programs::{ProgResult, ProgramCtx, Registry};

const SOURCE_DIR: &str = "/usr/src/php";
const SOURCE_TARBALL: &str = "/usr/src/php.tar.xz";
/// PHP's source tree unpacks to roughly seven times its .tar.xz (php-8.3: ~12 MB → ~85 MB).
const SOURCE_XZ_RATIO: u64 = 7;
/// Without the tarball in the image, the unpacked tree of a PHP 8 release (estimate).
const SOURCE_TREE_BYTES: u64 = 85_000_000;
/// A stripped PHP extension built by docker-php-ext-install or pecl: most are 100–600 kB.
const EXTENSION_SO_BYTES: u64 = 300_000;
/// Larger well-known extensions (estimates of stripped builds).
const LARGE_EXTENSIONS: [(&str, u64); 6] = [
    ("intl", 1_100_000),
    ("opcache", 1_000_000),
    ("gd", 550_000),
    ("imagick", 650_000),
    ("xdebug", 900_000),
    ("soap", 600_000),
];
/// A PECL release tarball (estimate; e.g. imagick ~360 kB, redis ~370 kB).
const PECL_TGZ_BYTES: u64 = 360_000;

/// The extensions php-src ships in `ext/` (PHP 8.x), which docker-php-ext-install builds.
const BUNDLED: [&str; 66] = [
    "bcmath",
    "bz2",
    "calendar",
    "ctype",
    "curl",
    "dba",
    "dl_test",
    "dom",
    "enchant",
    "exif",
    "ffi",
    "fileinfo",
    "filter",
    "ftp",
    "gd",
    "gettext",
    "gmp",
    "hash",
    "iconv",
    "imap",
    "intl",
    "json",
    "ldap",
    "libxml",
    "mbstring",
    "mysqli",
    "mysqlnd",
    "oci8",
    "odbc",
    "opcache",
    "openssl",
    "pcntl",
    "pcre",
    "pdo",
    "pdo_dblib",
    "pdo_firebird",
    "pdo_mysql",
    "pdo_oci",
    "pdo_odbc",
    "pdo_pgsql",
    "pdo_sqlite",
    "pgsql",
    "phar",
    "posix",
    "pspell",
    "random",
    "readline",
    "reflection",
    "session",
    "shmop",
    "simplexml",
    "snmp",
    "soap",
    "sockets",
    "sodium",
    "spl",
    "sqlite3",
    "standard",
    "sysvmsg",
    "sysvsem",
    "sysvshm",
    "tidy",
    "tokenizer",
    "xml",
    "xsl",
    "zip",
];

/// Zend extensions are loaded with `zend_extension=` (the script finds them with readelf).
const ZEND_EXTENSIONS: [&str; 2] = ["opcache", "xdebug"];

/// Modules compiled into the official images' `php` (`php -m` of php:8.x-cli).
const BUILT_IN: [&str; 31] = [
    "Core",
    "ctype",
    "curl",
    "date",
    "dom",
    "fileinfo",
    "filter",
    "hash",
    "iconv",
    "json",
    "libxml",
    "mbstring",
    "mysqlnd",
    "openssl",
    "pcre",
    "PDO",
    "pdo_sqlite",
    "Phar",
    "posix",
    "random",
    "readline",
    "Reflection",
    "session",
    "SimpleXML",
    "SPL",
    "sqlite3",
    "standard",
    "tokenizer",
    "xml",
    "xmlreader",
    "xmlwriter",
];

pub fn register(registry: &mut Registry) {
    registry.register("docker-php-source", php_source);
    registry.register("docker-php-ext-configure", ext_configure);
    registry.register("docker-php-ext-install", ext_install);
    registry.register("docker-php-ext-enable", ext_enable);
    registry.register("pecl", pecl);
    registry.register("php", php);
}

fn ini_dir(ctx: &ProgramCtx<'_, '_>) -> String {
    ctx.env("PHP_INI_DIR")
        .filter(|v| !v.is_empty())
        .unwrap_or_else(|| "/usr/local/etc/php".into())
}

/// `PHP_VERSION` split as (major.minor, full).
fn php_version(ctx: &ProgramCtx<'_, '_>) -> Option<(String, String)> {
    let v = ctx.env("PHP_VERSION").filter(|v| !v.is_empty())?;
    let mm: Vec<&str> = v.split('.').take(2).collect();
    Some((mm.join("."), v))
}

/// The Zend module API number of each PHP release line (`PHP_EXTENSION_API`), which names
/// the extension directory.
fn api_number(minor: &str) -> Option<&'static str> {
    Some(match minor {
        "7.4" => "20190902",
        "8.0" => "20200930",
        "8.1" => "20210902",
        "8.2" => "20220829",
        "8.3" => "20230831",
        "8.4" => "20240924",
        _ => return None,
    })
}

/// `ini_get("extension_dir")`: the directory the image already has, else the one its
/// PHP_VERSION implies.
fn extension_dir(ctx: &mut ProgramCtx<'_, '_>) -> String {
    let base = "/usr/local/lib/php/extensions";
    if let Ok(names) = ctx.read_dir(base) {
        if let Some(n) = names.iter().find(|n| n.starts_with("no-debug-")) {
            return format!("{base}/{n}");
        }
    }
    let zts = ctx
        .env("PHP_EXTRA_CONFIGURE_ARGS")
        .is_some_and(|a| a.contains("--enable-zts"));
    let api = php_version(ctx)
        .and_then(|(m, _)| api_number(&m))
        .unwrap_or("20230831");
    let kind = if zts { "zts" } else { "non-zts" };
    format!("{base}/no-debug-{kind}-{api}")
}

fn so_size(ext: &str) -> u64 {
    LARGE_EXTENSIONS
        .iter()
        .find(|(n, _)| *n == ext)
        .map(|(_, s)| *s)
        .unwrap_or(EXTENSION_SO_BYTES)
}

// ------------------------------------------------------------------ docker-php-source

fn extract(ctx: &mut ProgramCtx<'_, '_>) {
    let marker = format!("{SOURCE_DIR}/.docker-extracted");
    let _ = ctx.mkdir_p(SOURCE_DIR, 0o755);
    if ctx.stat(&marker).is_ok() {
        return;
    }
    let size = ctx
        .stat(SOURCE_TARBALL)
        .map(|m| m.size.saturating_mul(SOURCE_XZ_RATIO))
        .unwrap_or(SOURCE_TREE_BYTES);
    let _ = ctx.write_mode(
        &format!("{SOURCE_DIR}/.source-tree"),
        Data::Unknown(size),
        0o644,
    );
    let _ = ctx.write_mode(&marker, Data::Bytes(b""), 0o644);
    ctx.approximated("the PHP source tree is one size-only entry (estimated from the tarball)");
}

fn php_source(ctx: &mut ProgramCtx<'_, '_>, argv: &[String]) -> ProgResult {
    if let Some(missing) = require_on_path(ctx, "docker-php-source") {
        return missing;
    }
    match argv.get(1).map(String::as_str) {
        Some("extract") => {
            extract(ctx);
            Ok(0)
        }
        Some("delete") => {
            let _ = ctx.remove_tree(SOURCE_DIR);
            Ok(0)
        }
        _ => {
            let name = argv.first().cloned().unwrap_or_default();
            ctx.out_str(&format!("usage: {name} COMMAND\n\nManage php source tarball lifecycle.\n\nCommands:\n   extract  extract php source tarball into directory {SOURCE_DIR} if not already done.\n   delete   delete extracted php source located into {SOURCE_DIR} if not already done.\n\n"))?;
            Ok(1)
        }
    }
}

/// Whether `/usr/src/php/ext/<ext>` exists (for real, or as a bundled extension of the
/// size-only tree).
fn has_source(ctx: &mut ProgramCtx<'_, '_>, ext: &str) -> bool {
    ctx.stat(&format!("{SOURCE_DIR}/ext/{ext}")).is_ok()
        || (ctx.stat(&format!("{SOURCE_DIR}/.source-tree")).is_ok() && BUNDLED.contains(&ext))
}

fn ext_configure(ctx: &mut ProgramCtx<'_, '_>, argv: &[String]) -> ProgResult {
    if let Some(missing) = require_on_path(ctx, "docker-php-ext-configure") {
        return missing;
    }
    let Some(ext) = argv.get(1).filter(|a| !a.starts_with('-')) else {
        ctx.err(b"usage: docker-php-ext-configure ext-name [configure flags]\n")?;
        return Ok(1);
    };
    extract(ctx);
    if !has_source(ctx, ext) {
        ctx.err(format!("error: {SOURCE_DIR}/ext/{ext} does not exist\n").as_bytes())?;
        return Ok(1);
    }
    let dir = format!("{SOURCE_DIR}/ext/{ext}");
    let _ = ctx.mkdir_p(&dir, 0o755);
    let _ = ctx.write_mode(
        &format!("{dir}/Makefile"),
        Data::Unknown(EXTENSION_SO_BYTES / 10),
        0o644,
    );
    ctx.approximated("phpize and ./configure are not run; their output is left out");
    Ok(0)
}

fn ext_install(ctx: &mut ProgramCtx<'_, '_>, argv: &[String]) -> ProgResult {
    if let Some(missing) = require_on_path(ctx, "docker-php-ext-install") {
        return missing;
    }
    let mut exts: Vec<String> = Vec::new();
    let mut ini_name: Option<String> = None;
    let mut it = argv.iter().skip(1);
    while let Some(a) = it.next() {
        match a.as_str() {
            "-j" => {
                it.next();
            }
            "--ini-name" => ini_name = it.next().cloned(),
            s if s.starts_with("-j") || s.starts_with('-') => {}
            s => exts.push(s.to_string()),
        }
    }
    if exts.is_empty() {
        ctx.err(
            b"usage: docker-php-ext-install [-jN] [--ini-name file.ini] ext-name [ext-name ...]\n",
        )?;
        return Ok(1);
    }
    let was_extracted = ctx.stat(SOURCE_DIR).is_ok();
    extract(ctx);
    for ext in &exts {
        let name = ext
            .trim_end_matches('/')
            .rsplit('/')
            .next()
            .unwrap_or(ext)
            .to_string();
        if !has_source(ctx, &name) {
            ctx.err(format!("error: {SOURCE_DIR}/ext/{name} does not exist\n\nusage: docker-php-ext-install [-jN] [--ini-name file.ini] ext-name [ext-name ...]\n").as_bytes())?;
            return Ok(1);
        }
    }
    let dir = extension_dir(ctx);
    let _ = ctx.mkdir_p(&dir, 0o755);
    for ext in &exts {
        let name = ext
            .trim_end_matches('/')
            .rsplit('/')
            .next()
            .unwrap_or(ext)
            .to_string();
        let _ = ctx.write_mode(
            &format!("{dir}/{name}.so"),
            Data::Unknown(so_size(&name)),
            0o755,
        );
        ctx.out_str(&format!("Installing shared extensions:     {dir}/\n"))?;
        enable_one(ctx, &dir, &format!("{name}.so"), ini_name.as_deref())?;
    }
    if !was_extracted {
        let _ = ctx.remove_tree(SOURCE_DIR);
    }
    ctx.approximated("extensions are not compiled: the build output is left out and each .so has an estimated size");
    Ok(0)
}

/// Appends the extension's line to its ini unless it is there (the script's `grep -qFx`).
fn enable_one(
    ctx: &mut ProgramCtx<'_, '_>,
    ext_dir: &str,
    module: &str,
    ini_name: Option<&str>,
) -> Result<(), crate::engine::shell::programs::ProgramAbort> {
    let ext = module.rsplit('/').next().unwrap_or(module);
    let ext = ext.split('.').next().unwrap_or(ext).to_string();
    let line = if ZEND_EXTENSIONS.contains(&ext.as_str()) {
        format!("zend_extension={module}")
    } else {
        format!("extension={module}")
    };
    let _ = ext_dir;
    let ini = match ini_name {
        Some(n) if n.starts_with('/') => n.to_string(),
        Some(n) => format!("{}/conf.d/{n}", ini_dir(ctx)),
        None => format!("{}/conf.d/docker-php-ext-{ext}.ini", ini_dir(ctx)),
    };
    let existing = text_or_empty(ctx, &ini);
    if existing
        .lines()
        .any(|l| l == line || l == format!("{line}.so"))
    {
        return Ok(());
    }
    if let Some(parent) = ini
        .rsplit_once('/')
        .map(|(p, _)| p)
        .filter(|p| !p.is_empty())
    {
        let _ = ctx.mkdir_p(parent, 0o755);
    }
    if let Err(e) = ctx.append(&ini, Data::Bytes(format!("{line}\n").as_bytes())) {
        ctx.err(
            format!("/usr/local/bin/docker-php-ext-enable: 1: cannot create {ini}: {e}\n")
                .as_bytes(),
        )?;
    }
    Ok(())
}

fn ext_enable(ctx: &mut ProgramCtx<'_, '_>, argv: &[String]) -> ProgResult {
    if let Some(missing) = require_on_path(ctx, "docker-php-ext-enable") {
        return missing;
    }
    let mut modules: Vec<String> = Vec::new();
    let mut ini_name: Option<String> = None;
    let mut it = argv.iter().skip(1);
    while let Some(a) = it.next() {
        match a.as_str() {
            "--ini-name" => ini_name = it.next().cloned(),
            s if s.starts_with("--ini-name=") => {
                ini_name = Some(s.trim_start_matches("--ini-name=").to_string())
            }
            "" => {}
            s => modules.push(s.to_string()),
        }
    }
    let dir = extension_dir(ctx);
    let usage = format!(
        "usage: {} [options] module-name [module-name ...]\n",
        argv.first()
            .map(String::as_str)
            .unwrap_or("docker-php-ext-enable")
    );
    if modules.is_empty() {
        ctx.err(usage.as_bytes())?;
        return Ok(1);
    }
    let dir_exists = ctx.stat(&dir).is_ok_and(|m| m.is_dir());
    let mut assumed = false;
    for m in &modules {
        let present =
            ctx.stat(&format!("{dir}/{m}")).is_ok() || ctx.stat(&format!("{dir}/{m}.so")).is_ok();
        if !present {
            // An image whose PHP build was not simulated has no extension directory; the
            // extensions PHP builds shared (opcache, sodium …) are assumed to be there.
            if !dir_exists {
                assumed = true;
                continue;
            }
            ctx.err(format!("error: '{m}' does not exist\n\n{usage}").as_bytes())?;
            return Ok(1);
        }
    }
    for m in &modules {
        enable_one(ctx, &dir, m, ini_name.as_deref())?;
    }
    if assumed {
        ctx.approximated(
            "PHP's build was not simulated, so the extension's .so is assumed present",
        );
    }
    Ok(0)
}

// ------------------------------------------------------------------ pecl

fn pecl(ctx: &mut ProgramCtx<'_, '_>, argv: &[String]) -> ProgResult {
    if let Some(missing) = require_on_path(ctx, "pecl") {
        return missing;
    }
    let args: Vec<&str> = argv.iter().skip(1).map(String::as_str).collect();
    match args.first().copied() {
        Some("install") => {
            let dir = extension_dir(ctx);
            let _ = ctx.mkdir_p(&dir, 0o755);
            let mut out = String::new();
            for spec in args[1..].iter().filter(|a| !a.starts_with('-')) {
                let (name, version) = match spec.split_once('-') {
                    Some((n, v)) if v.starts_with(|c: char| c.is_ascii_digit()) => (n, Some(v)),
                    _ => (*spec, None),
                };
                let name = name.split('/').next_back().unwrap_or(name);
                let release = match version {
                    Some(v) => format!("{name}-{v}"),
                    None => name.to_string(),
                };
                let _ = ctx.mkdir_p("/tmp/pear/download", 0o755);
                let _ = ctx.write_mode(
                    &format!("/tmp/pear/download/{release}.tgz"),
                    Data::Unknown(PECL_TGZ_BYTES),
                    0o644,
                );
                let so = format!("{dir}/{name}.so");
                let _ = ctx.write_mode(&so, Data::Unknown(so_size(name)), 0o755);
                let hint = if ZEND_EXTENSIONS.contains(&name) {
                    format!("zend_extension={so}")
                } else {
                    format!("extension={name}.so")
                };
                out.push_str(&format!("Build process completed successfully\nInstalling '{so}'\ninstall ok: channel://pecl.php.net/{release}\nconfiguration option \"php_ini\" is not set to php.ini location\nYou should add \"{hint}\" to php.ini\n"));
            }
            ctx.out_str(&out)?;
            ctx.approximated("pecl: nothing is downloaded or compiled; the download and the .so have estimated sizes");
            Ok(0)
        }
        Some("update-channels") => {
            ctx.out_str("Updating channel \"doc.php.net\"\nChannel \"doc.php.net\" is up to date\nUpdating channel \"pecl.php.net\"\nChannel \"pecl.php.net\" is up to date\n")?;
            ctx.approximated("pecl update-channels: the channel data is not downloaded");
            Ok(0)
        }
        Some("config-set") | Some("channel-update") | Some("clear-cache") => Ok(0),
        _ => {
            ctx.not_simulated("only pecl install and pecl update-channels are simulated");
            Ok(0)
        }
    }
}

// ------------------------------------------------------------------ php

/// The modules `php -m` lists: the built-in set plus what the ini files load.
fn loaded_modules(ctx: &mut ProgramCtx<'_, '_>) -> (Vec<String>, Vec<String>) {
    let mut php: Vec<String> = BUILT_IN.iter().map(|s| s.to_string()).collect();
    let mut zend = Vec::new();
    let conf = format!("{}/conf.d", ini_dir(ctx));
    let names = ctx.read_dir(&conf).unwrap_or_default();
    for n in names.iter().filter(|n| n.ends_with(".ini")).take(256) {
        let body = text_or_empty(ctx, &format!("{conf}/{n}"));
        for line in body.lines().map(str::trim) {
            let (is_zend, value) = if let Some(v) = line.strip_prefix("zend_extension=") {
                (true, v)
            } else if let Some(v) = line.strip_prefix("extension=") {
                (false, v)
            } else {
                continue;
            };
            let m = value.rsplit('/').next().unwrap_or(value);
            let m = m.trim_end_matches(".so").to_string();
            if is_zend {
                let label = if m == "opcache" {
                    "Zend OPcache".to_string()
                } else {
                    m
                };
                if !zend.contains(&label) {
                    zend.push(label);
                }
            } else if !php.iter().any(|p| p.eq_ignore_ascii_case(&m)) {
                php.push(m);
            }
        }
    }
    if zend.iter().any(|z| z == "Zend OPcache") {
        php.push("Zend OPcache".to_string());
    }
    php.sort_by_key(|a| a.to_ascii_lowercase());
    (php, zend)
}

fn php(ctx: &mut ProgramCtx<'_, '_>, argv: &[String]) -> ProgResult {
    if let Some(missing) = require_on_path(ctx, "php") {
        return missing;
    }
    let args: Vec<&str> = argv.iter().skip(1).map(String::as_str).collect();
    // `-d key=value` and `-n` change settings we do not model; skip them.
    let mut rest: Vec<&str> = Vec::new();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match *a {
            "-d" => {
                it.next();
            }
            "-n" => {}
            s if s.starts_with("-d") && s.len() > 2 => {}
            s => rest.push(s),
        }
    }
    match rest.as_slice() {
        ["-v"] | ["--version"] => {
            let Some((minor, full)) = php_version(ctx) else {
                ctx.not_simulated("php -v: the image sets no PHP_VERSION");
                return Ok(0);
            };
            let patch = full.split('.').nth(2).unwrap_or("0");
            let engine_minor = minor.split('.').nth(1).unwrap_or("0");
            let zts = ctx
                .env("PHP_EXTRA_CONFIGURE_ARGS")
                .is_some_and(|a| a.contains("--enable-zts"));
            let mut out = format!(
                "PHP {full} (cli) ({}) ({})\nCopyright (c) The PHP Group\nZend Engine v4.{engine_minor}.{patch}, Copyright (c) Zend Technologies\n",
                build_stamp(ctx.now()),
                if zts { "ZTS" } else { "NTS" }
            );
            if loaded_modules(ctx).1.iter().any(|z| z == "Zend OPcache") {
                out.push_str(&format!(
                    "    with Zend OPcache v{full}, Copyright (c), by Zend Technologies\n"
                ));
            }
            ctx.out_str(&out)?;
            ctx.approximated("php -v: the build date is the build's clock");
            Ok(0)
        }
        ["-m"] => {
            let (php, zend) = loaded_modules(ctx);
            let mut out = String::from("[PHP Modules]\n");
            for m in php {
                out.push_str(&m);
                out.push('\n');
            }
            out.push_str("\n[Zend Modules]\n");
            for z in zend {
                out.push_str(&z);
                out.push('\n');
            }
            out.push('\n');
            ctx.out_str(&out)?;
            ctx.approximated("php -m: the built-in module list is the official images' usual set");
            Ok(0)
        }
        ["-r", code] => php_r(ctx, code),
        ["-i"] | ["--ini"] => {
            let dir = ini_dir(ctx);
            let conf = format!("{dir}/conf.d");
            let loaded = if ctx.stat(&format!("{dir}/php.ini")).is_ok() {
                format!("{dir}/php.ini")
            } else {
                "(none)".to_string()
            };
            let mut names: Vec<String> = ctx
                .read_dir(&conf)
                .unwrap_or_default()
                .into_iter()
                .filter(|n| n.ends_with(".ini"))
                .collect();
            names.sort();
            let files: Vec<String> = names.iter().map(|n| format!("{conf}/{n}")).collect();
            let mut out = if rest[0] == "-i" {
                String::from("phpinfo()\n")
            } else {
                String::new()
            };
            out.push_str(&format!(
                "Configuration File (php.ini) Path: {dir}\nLoaded Configuration File:         {loaded}\nScan for additional .ini files in: {conf}\nAdditional .ini files parsed:      {}\n",
                if files.is_empty() { "(none)".to_string() } else { files.join(",\n") }
            ));
            ctx.out_str(&out)?;
            if rest[0] == "-i" {
                ctx.approximated("php -i: only the configuration-file part is printed");
            }
            Ok(0)
        }
        _ => {
            ctx.not_simulated(
                "PHP code is not run (only php -v, -m, -i, --ini and trivial -r are simulated)",
            );
            Ok(0)
        }
    }
}

/// `built: Mon DD YYYY HH:MM:SS` from the logical clock.
fn build_stamp(now: i64) -> String {
    let days = now.div_euclid(86_400);
    let secs = now.rem_euclid(86_400);
    let (y, m, d) = crate::calendar::civil_from_days(days);
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let month = MONTHS.get((m as usize).saturating_sub(1)).unwrap_or(&"Jan");
    format!(
        "built: {month} {d:2} {y} {:02}:{:02}:{:02}",
        secs / 3600,
        secs % 3600 / 60,
        secs % 60
    )
}

/// `php -r` for the one-liners the official images use: `echo '…';`, `echo
/// ini_get("extension_dir");`, `exit(0);` and `exit(extension_loaded("x") ? 0 : 1);`.
fn php_r(ctx: &mut ProgramCtx<'_, '_>, code: &str) -> ProgResult {
    let code = code.trim().trim_end_matches(';').trim();
    if let Some(arg) = code.strip_prefix("echo ") {
        let arg = arg.trim();
        if arg == "ini_get(\"extension_dir\")" || arg == "ini_get('extension_dir')" {
            let dir = extension_dir(ctx);
            ctx.out_str(&dir)?;
            return Ok(0);
        }
        if arg == "PHP_VERSION" {
            if let Some((_, v)) = php_version(ctx) {
                ctx.out_str(&v)?;
                return Ok(0);
            }
        }
        let quoted = (arg.starts_with('\'') && arg.ends_with('\''))
            || (arg.starts_with('"') && arg.ends_with('"') && !arg.contains('$'));
        if quoted && arg.len() >= 2 {
            let inner = &arg[1..arg.len() - 1];
            let s = if arg.starts_with('"') {
                inner.replace("\\n", "\n").replace("\\t", "\t")
            } else {
                inner.replace("\\'", "'")
            };
            ctx.out_str(&s)?;
            return Ok(0);
        }
    }
    if let Some(n) = code
        .strip_prefix("exit(")
        .and_then(|r| r.strip_suffix(')'))
        .and_then(|n| n.trim().parse::<i32>().ok())
    {
        return Ok(n & 0xff);
    }
    if let Some(rest) = code
        .strip_prefix("exit(extension_loaded(")
        .and_then(|r| r.strip_suffix(") ? 0 : 1)"))
    {
        let name = rest.trim_matches(|c| c == '"' || c == '\'');
        let (php, zend) = loaded_modules(ctx);
        let loaded = php
            .iter()
            .chain(zend.iter())
            .any(|m| m.eq_ignore_ascii_case(name));
        return Ok(if loaded { 0 } else { 1 });
    }
    ctx.not_simulated("PHP code is not run (only trivial php -r one-liners are simulated)");
    Ok(0)
}
