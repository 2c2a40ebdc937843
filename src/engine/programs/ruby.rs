//! Ruby's tools: `gem install` (into the image's gem directory: `GEM_HOME`, the official
//! images' /usr/local/lib/ruby/gems/X.Y.0, Debian's /var/lib/gems/X.Y.0 or Alpine's
//! /usr/lib/ruby/gems/X.Y.0), `bundle install`/`config`, `ruby --version`.
//!
//! `gem install` writes gems/NAME-VER (estimated size), specifications/, the downloaded
//! `.gem` in cache/ (RubyGems keeps it — part of the layer) and ri documentation unless
//! `--no-document`. RubyGems 3 (Ruby ≥ 2.6) rejects the removed `--no-rdoc`/`--no-ri`
//! like the real tool. `bundle install` reads Gemfile.lock (or the Gemfile) and installs
//! each gem the same way. Sizes and unpinned versions are estimates (flagged).

use super::lang_support::{exists, home, major_minor, read_text, write_sized, write_text};
use crate::engine::shell::programs::{ProgResult, ProgramCtx, Registry};

/// An installed gem (lib + ext sources); nokogiri is ≈ 15 MB, most pure-Ruby gems < 1 MB.
const GEM_SIZE: u64 = 1_500_000;
/// The `.gem` archive RubyGems keeps in cache/.
const GEM_ARCHIVE: u64 = 500_000;
/// The ri documentation generated without `--no-document`.
const GEM_DOCS: u64 = 900_000;

pub fn register(registry: &mut Registry) {
    registry.register("gem", run_gem);
    registry.register("bundle", run_bundle);
    registry.register("bundler", run_bundle);
    registry.register("ruby", run_ruby);
}

fn ruby_version(ctx: &mut ProgramCtx<'_, '_>) -> Option<String> {
    ctx.env("RUBY_VERSION")
        .or_else(|| super::lang_support::distro_version(ctx, &["ruby", "ruby3.1", "ruby3.3"]))
}

/// Where gems go.
fn gem_dir(ctx: &mut ProgramCtx<'_, '_>) -> String {
    if let Some(h) = ctx.env("GEM_HOME").filter(|h| !h.is_empty()) {
        return h;
    }
    let abi = ruby_version(ctx)
        .map(|v| format!("{}.0", major_minor(&v)))
        .unwrap_or_else(|| "3.3.0".to_string());
    if exists(ctx, "/usr/local/lib/ruby") || ctx.env("RUBY_VERSION").is_some() {
        format!("/usr/local/lib/ruby/gems/{abi}")
    } else if exists(ctx, "/etc/alpine-release") {
        format!("/usr/lib/ruby/gems/{abi}")
    } else {
        format!("/var/lib/gems/{abi}")
    }
}

fn run_ruby(ctx: &mut ProgramCtx<'_, '_>, argv: &[String]) -> ProgResult {
    if let Some(missing) = super::lang_support::require(ctx, argv, "ruby") {
        return missing;
    }
    match argv.get(1).map(String::as_str) {
        Some("--version") | Some("-v") => {
            let v = ruby_version(ctx).unwrap_or_else(|| "(unknown)".into());
            ctx.out_str(&format!("ruby {v} [x86_64-linux]\n"))?;
            ctx.approximated(
                "the revision and release date in Ruby's version line are not known here",
            );
            Ok(0)
        }
        Some("-e") => {
            let code = argv.get(2).cloned().unwrap_or_default();
            match super::lang_support::trivial_print(&code, "puts").or_else(|| simple_puts(&code)) {
                Some(text) => {
                    ctx.out_str(&format!("{text}\n"))?;
                    Ok(0)
                }
                None => {
                    ctx.not_simulated("Ruby code is not run in the playground");
                    Ok(0)
                }
            }
        }
        _ => {
            ctx.not_simulated("Ruby code is not run in the playground");
            Ok(0)
        }
    }
}

/// `puts "x"` / `puts 'x'`.
fn simple_puts(code: &str) -> Option<String> {
    let rest = code.trim().strip_prefix("puts ")?.trim();
    let q = rest.chars().next()?;
    if !matches!(q, '"' | '\'') {
        return None;
    }
    let body = rest.strip_prefix(q)?.strip_suffix(q)?;
    (!body.contains(q) && !body.contains('\\') && !body.contains("#{")).then(|| body.to_string())
}

/// Writes one gem; returns its `name-version`.
fn install_gem(
    ctx: &mut ProgramCtx<'_, '_>,
    dir: &str,
    name: &str,
    version: &str,
    docs: bool,
) -> String {
    let full = format!("{name}-{version}");
    write_sized(
        ctx,
        &format!("{dir}/gems/{full}/lib/{name}.rb"),
        GEM_SIZE,
        0o644,
    );
    write_text(
        ctx,
        &format!("{dir}/specifications/{full}.gemspec"),
        &format!("# -*- encoding: utf-8 -*-\nGem::Specification.new do |s|\n  s.name = \"{name}\".freeze\n  s.version = \"{version}\".freeze\nend\n"),
        0o644,
    );
    write_sized(ctx, &format!("{dir}/cache/{full}.gem"), GEM_ARCHIVE, 0o644);
    if docs {
        write_sized(
            ctx,
            &format!("{dir}/doc/{full}/ri/cache.ri"),
            GEM_DOCS,
            0o644,
        );
    }
    full
}

fn rubygems_3(ctx: &mut ProgramCtx<'_, '_>) -> bool {
    if let Some(v) = ctx.env("RUBYGEMS_VERSION") {
        return v
            .split('.')
            .next()
            .and_then(|m| m.parse::<u32>().ok())
            .is_some_and(|m| m >= 3);
    }
    ruby_version(ctx).is_some_and(|v| {
        let mut parts = v.split('.').filter_map(|p| p.parse::<u32>().ok());
        let major = parts.next().unwrap_or(0);
        let minor = parts.next().unwrap_or(0);
        major > 2 || (major == 2 && minor >= 6)
    })
}

fn run_gem(ctx: &mut ProgramCtx<'_, '_>, argv: &[String]) -> ProgResult {
    if let Some(missing) = super::lang_support::require(ctx, argv, "gem") {
        return missing;
    }
    let sub = argv.get(1).map(String::as_str).unwrap_or("");
    let args: Vec<String> = argv.iter().skip(2).cloned().collect();
    match sub {
        "--version" | "-v" => {
            match ctx.env("RUBYGEMS_VERSION") {
                Some(v) => ctx.out_str(&format!("{v}\n"))?,
                None => {
                    ctx.approximated("RubyGems' version is not recorded in this image");
                    ctx.out_str("(unknown)\n")?;
                }
            }
            Ok(0)
        }
        "install" | "i" => gem_install(ctx, &args),
        "update" if args.iter().any(|a| a == "--system") => {
            ctx.approximated("gem update --system: RubyGems was not downloaded");
            Ok(0)
        }
        "sources" | "env" | "list" | "cleanup" | "update" | "uninstall" | "query" => {
            ctx.approximated(&format!("gem {sub}: prints nothing in the playground"));
            Ok(0)
        }
        other => {
            ctx.not_simulated(&format!("gem {other} is not simulated"));
            Ok(0)
        }
    }
}

fn gem_install(ctx: &mut ProgramCtx<'_, '_>, args: &[String]) -> ProgResult {
    let mut docs = true;
    let mut version: Option<String> = None;
    let mut names: Vec<String> = Vec::new();
    let mut install_dir: Option<String> = None;
    let mut iter = args.iter();
    while let Some(a) = iter.next() {
        match a.as_str() {
            "--" => break,
            "--no-document" | "-N" | "--no-doc" => docs = false,
            "--no-rdoc" | "--no-ri" => {
                if rubygems_3(ctx) {
                    ctx.err(format!("ERROR:  While executing gem ... (OptionParser::InvalidOption)\n    invalid option: {a}\n").as_bytes())?;
                    return Ok(1);
                }
                docs = false;
            }
            "-v" | "--version" => version = iter.next().cloned(),
            "-i" | "--install-dir" => install_dir = iter.next().cloned(),
            "--source" | "-s" | "--bindir" | "-n" | "--platform" => {
                iter.next();
            }
            s if s.starts_with("--version=") => {
                version = s.split_once('=').map(|(_, v)| v.to_string())
            }
            s if s.starts_with('-') => {}
            s => names.push(s.to_string()),
        }
    }
    if names.is_empty() {
        ctx.err(b"ERROR:  While executing gem ... (Gem::CommandLineError)\n    Please specify at least one gem name (e.g. gem build GEMNAME)\n")?;
        return Ok(1);
    }
    let dir = match install_dir {
        Some(d) => ctx.abs(&d),
        None => gem_dir(ctx),
    };
    // `--version '~> 1.2'` is a constraint, not the version that gets installed.
    let exact = version.filter(|v| v.chars().all(|c| c.is_ascii_digit() || c == '.'));
    let mut count = 0;
    for spec in &names {
        let (name, v) = match spec.split_once(':') {
            Some((n, v)) => (n.to_string(), Some(v.to_string())),
            None => (spec.clone(), exact.clone()),
        };
        let v = v.unwrap_or_else(|| "unknown".to_string());
        let full = install_gem(ctx, &dir, &name, &v, docs);
        ctx.out_str(&format!("Successfully installed {full}\n"))?;
        if docs {
            ctx.out_str(&format!("Parsing documentation for {full}\nInstalling ri documentation for {full}\nDone installing documentation for {name} after 0 seconds\n"))?;
        }
        count += 1;
    }
    let word = if count == 1 { "gem" } else { "gems" };
    ctx.out_str(&format!("{count} {word} installed\n"))?;
    ctx.approximated(&format!(
        "nothing was downloaded: each gem is a size-only estimate ({GEM_SIZE} bytes, its .gem kept in cache/), dependencies are not resolved, unpinned versions are unknown"
    ));
    Ok(0)
}

fn run_bundle(ctx: &mut ProgramCtx<'_, '_>, argv: &[String]) -> ProgResult {
    let name = super::lang_support::program_name(argv, "bundle");
    if let Some(missing) = super::lang_support::require(ctx, argv, &name) {
        return missing;
    }
    let sub = argv.get(1).map(String::as_str).unwrap_or("install");
    let args: Vec<String> = argv.iter().skip(2).cloned().collect();
    match sub {
        "--version" | "-v" | "version" => {
            match ctx.env("BUNDLER_VERSION") {
                Some(v) => ctx.out_str(&format!("Bundler version {v}\n"))?,
                None => {
                    ctx.approximated("Bundler's version is not recorded in this image");
                    ctx.out_str("Bundler version (unknown)\n")?;
                }
            }
            Ok(0)
        }
        "config" => bundle_config(ctx, &args),
        "install" => bundle_install(ctx, &args),
        "exec" => {
            ctx.not_simulated("bundle exec: Ruby programs are not run in the playground");
            Ok(0)
        }
        "clean" | "check" | "lock" | "update" | "binstubs" | "cache" | "package" => {
            ctx.approximated(&format!("bundle {sub}: prints nothing in the playground"));
            Ok(0)
        }
        other => {
            ctx.not_simulated(&format!("bundle {other} is not simulated"));
            Ok(0)
        }
    }
}

fn bundle_config_path(ctx: &ProgramCtx<'_, '_>, global: bool) -> String {
    if global {
        format!("{}/.bundle/config", home(ctx))
    } else {
        match ctx.env("BUNDLE_APP_CONFIG") {
            Some(d) => format!("{d}/config"),
            None => format!("{}/.bundle/config", ctx.cwd().trim_end_matches('/')),
        }
    }
}

fn bundle_config(ctx: &mut ProgramCtx<'_, '_>, args: &[String]) -> ProgResult {
    let mut global = true;
    let mut words: Vec<&String> = Vec::new();
    for a in args {
        match a.as_str() {
            "--global" => global = true,
            "--local" => global = false,
            s if s.starts_with('-') => {}
            _ => words.push(a),
        }
    }
    if words.first().map(|w| w.as_str()) == Some("set") {
        words.remove(0);
    }
    if words.first().map(|w| w.as_str()) == Some("unset")
        || words.first().map(|w| w.as_str()) == Some("get")
        || words.len() < 2
    {
        ctx.approximated("bundle config: only setting values is modelled");
        return Ok(0);
    }
    let key = format!(
        "BUNDLE_{}",
        words[0].to_uppercase().replace(['.', '-'], "_")
    );
    let value = words[1..]
        .iter()
        .map(|s| s.as_str())
        .collect::<Vec<_>>()
        .join(" ");
    let path = bundle_config_path(ctx, global);
    let text = read_text(ctx, &path).unwrap_or_else(|| "---\n".to_string());
    let mut lines: Vec<String> = text
        .lines()
        .filter(|l| !l.starts_with(&format!("{key}:")))
        .map(str::to_string)
        .collect();
    if lines.first().map(String::as_str) != Some("---") {
        lines.insert(0, "---".to_string());
    }
    lines.push(format!("{key}: \"{value}\""));
    let mut out = lines.join("\n");
    out.push('\n');
    write_text(ctx, &path, &out, 0o644);
    Ok(0)
}

/// Gems of a Gemfile.lock (`    name (version)` lines under `specs:`) or a Gemfile.
fn bundle_gems(lock: Option<&str>, gemfile: &str) -> Vec<(String, Option<String>)> {
    if let Some(lock) = lock {
        return lock
            .lines()
            .filter(|l| l.starts_with("    ") && !l.starts_with("      "))
            .filter_map(|l| {
                let (name, rest) = l.trim().split_once(" (")?;
                Some((
                    name.to_string(),
                    Some(
                        rest.trim_end_matches(')')
                            .split('-')
                            .next()
                            .unwrap_or(rest)
                            .to_string(),
                    ),
                ))
            })
            .take(5_000)
            .collect();
    }
    gemfile
        .lines()
        .filter_map(|l| {
            let rest = l.trim().strip_prefix("gem ")?;
            let mut parts = rest
                .split(',')
                .map(|p| p.trim().trim_matches(['"', '\'']).to_string());
            let name = parts.next()?;
            let version = parts
                .next()
                .filter(|v| v.chars().all(|c| c.is_ascii_digit() || c == '.'));
            Some((name, version))
        })
        .take(5_000)
        .collect()
}

fn bundle_install(ctx: &mut ProgramCtx<'_, '_>, args: &[String]) -> ProgResult {
    let cwd = ctx.cwd().trim_end_matches('/').to_string();
    let gemfile_path = ctx
        .env("BUNDLE_GEMFILE")
        .unwrap_or_else(|| format!("{cwd}/Gemfile"));
    let Some(gemfile) = read_text(ctx, &gemfile_path) else {
        ctx.err(b"Could not locate Gemfile\n")?;
        return Ok(10);
    };
    let lock = read_text(ctx, &format!("{gemfile_path}.lock"));
    let frozen = args.iter().any(|a| a == "--frozen" || a == "--deployment")
        || ctx
            .env("BUNDLE_FROZEN")
            .is_some_and(|v| v == "true" || v == "1");
    if frozen && lock.is_none() {
        ctx.err(b"The gemspecs for path gems changed or the lockfile is missing\n")?;
        return Ok(16);
    }
    // `bundle config set path` (local or global config) or --path, else GEM_HOME.
    let mut path = None;
    for global in [false, true] {
        let p = bundle_config_path(ctx, global);
        if let Some(text) = read_text(ctx, &p) {
            path = path.or_else(|| {
                text.lines().find_map(|l| {
                    l.strip_prefix("BUNDLE_PATH: ")
                        .map(|v| v.trim_matches('"').to_string())
                })
            });
        }
    }
    if let Some(pos) = args.iter().position(|a| a == "--path") {
        path = args.get(pos + 1).cloned();
    }
    let abi = ruby_version(ctx)
        .map(|v| format!("{}.0", major_minor(&v)))
        .unwrap_or_else(|| "3.3.0".to_string());
    let dir = match path {
        Some(p) => format!("{}/ruby/{abi}", ctx.abs(&p).trim_end_matches('/')),
        None => gem_dir(ctx),
    };
    let gems = bundle_gems(lock.as_deref(), &gemfile);
    ctx.steps(gems.len() as u64)?;
    for (name, version) in &gems {
        let v = version.clone().unwrap_or_else(|| "unknown".to_string());
        install_gem(ctx, &dir, name, &v, false);
        ctx.out_str(&format!("Installing {name} {v}\n"))?;
    }
    let direct = bundle_gems(None, &gemfile).len();
    ctx.out_str(&format!("Bundle complete! {direct} Gemfile dependencies, {} gems now installed.\nUse `bundle info [gemname]` to see where a bundled gem is installed.\n", gems.len() + 1))?;
    if lock.is_none() {
        let mut text = String::from("GEM\n  specs:\n");
        for (name, version) in &gems {
            text.push_str(&format!(
                "    {name} ({})\n",
                version.clone().unwrap_or_else(|| "unknown".into())
            ));
        }
        write_text(ctx, &format!("{gemfile_path}.lock"), &text, 0o644);
    }
    ctx.approximated(&format!(
        "nothing was downloaded: each gem is a size-only estimate ({GEM_SIZE} bytes); without Gemfile.lock, dependencies are not resolved"
    ));
    Ok(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gems_from_lock_and_gemfile() {
        let lock = "GEM\n  remote: x\n  specs:\n    rack (3.0.8)\n    rails (7.1.2)\n      rack (>= 2)\n\nDEPENDENCIES\n  rails\n";
        assert_eq!(
            bundle_gems(Some(lock), ""),
            vec![
                ("rack".into(), Some("3.0.8".into())),
                ("rails".into(), Some("7.1.2".into()))
            ]
        );
        assert_eq!(
            bundle_gems(None, "source 'x'\ngem 'rails', '7.1.2'\ngem \"puma\"\n"),
            vec![
                ("rails".into(), Some("7.1.2".into())),
                ("puma".into(), None)
            ]
        );
        assert_eq!(simple_puts("puts 'hi'").as_deref(), Some("hi"));
    }
}
