//! Node.js tools: `npm`, `yarn`, `node`, `corepack`. Nothing is downloaded or run by
//! Node itself.
//!
//! * `npm install`/`ci`/`i` read `package.json` and `package-lock.json` in the working
//!   directory: with a lock file, one `node_modules` directory per locked package (the
//!   real list and versions), else one per direct dependency; dev dependencies are
//!   skipped with `--production`/`--omit=dev`/`NODE_ENV=production`; `-g` installs under
//!   /usr/local/lib/node_modules. Tarballs stay in `~/.npm/_cacache` (size-only) until
//!   `npm cache clean --force`. Sizes are estimates (flagged approximated).
//! * `npm run X`/`npm start`/`npm test` run the package.json script through `sh -c` with
//!   `node_modules/.bin` on PATH, printing npm's banner — real behaviour.
//! * `yarn` (v1) does the same with its own output and cache (/usr/local/share/.cache/yarn
//!   for root); `corepack enable` writes its real shims; `node --version`, trivial
//!   `node -e 'console.log("x")'`; other scripts are not simulated.

use super::lang_support::{
    dir_entries_with, distro_version, exists, home, read_text, trivial_print, write_sized,
    write_text,
};
use crate::engine::shell::programs::{ProgResult, ProgramCtx, Registry};
use serde_json::Value;

/// Estimated installed size of a package from a lock file (the median npm package
/// unpacks to a few hundred kB; big ones like typescript reach tens of MB).
const LOCKED_PACKAGE_SIZE: u64 = 350_000;
/// A direct dependency without a lock file, including the transitive packages it pulls
/// in (express ≈ 2 MB with its ~60 dependencies).
const DIRECT_DEPENDENCY_SIZE: u64 = 2_500_000;
/// The compressed tarball kept in the cache, about a third of the unpacked size.
const TARBALL_FRACTION: u64 = 3;

pub fn register(registry: &mut Registry) {
    registry.register("npm", run_npm);
    registry.register("yarn", run_yarn);
    registry.register("yarnpkg", run_yarn);
    registry.register("node", run_node);
    registry.register("nodejs", run_node);
    registry.register("corepack", run_corepack);
}

fn node_version(ctx: &mut ProgramCtx<'_, '_>) -> Option<String> {
    ctx.env("NODE_VERSION")
        .map(|v| v.trim_start_matches('v').to_string())
        .or_else(|| distro_version(ctx, &["nodejs"]))
}

fn npm_version(ctx: &mut ProgramCtx<'_, '_>) -> Option<String> {
    for path in [
        "/usr/local/lib/node_modules/npm/package.json",
        "/usr/lib/node_modules/npm/package.json",
    ] {
        if let Some(v) = read_json(ctx, path)
            .and_then(|j| j.get("version").and_then(Value::as_str).map(str::to_string))
        {
            return Some(v);
        }
    }
    distro_version(ctx, &["npm"])
}

fn read_json(ctx: &mut ProgramCtx<'_, '_>, path: &str) -> Option<Value> {
    serde_json::from_str(&read_text(ctx, path)?).ok()
}

/// npm ≥ 10 prints `npm error`, older ones `npm ERR!`.
fn npm_error_prefix(ctx: &mut ProgramCtx<'_, '_>) -> &'static str {
    let major: u32 = npm_version(ctx)
        .and_then(|v| v.split('.').next()?.parse().ok())
        .unwrap_or(10);
    if major >= 10 {
        "npm error"
    } else {
        "npm ERR!"
    }
}

fn run_node(ctx: &mut ProgramCtx<'_, '_>, argv: &[String]) -> ProgResult {
    let name = super::lang_support::program_name(argv, "node");
    if let Some(missing) = super::lang_support::require(ctx, argv, &name) {
        return missing;
    }
    match argv.get(1).map(String::as_str) {
        Some("--version") | Some("-v") => {
            match node_version(ctx) {
                Some(v) => ctx.out_str(&format!("v{v}\n"))?,
                None => {
                    ctx.approximated("node's version is not recorded in this image");
                    ctx.out_str("v(unknown)\n")?;
                }
            }
            Ok(0)
        }
        Some("-e") | Some("--eval") | Some("-p") | Some("--print") => {
            let code = argv.get(2).cloned().unwrap_or_default();
            match trivial_print(&code, "console.log") {
                Some(text) => {
                    ctx.out_str(&format!("{text}\n"))?;
                    Ok(0)
                }
                None => {
                    ctx.not_simulated("JavaScript is not run in the playground");
                    Ok(0)
                }
            }
        }
        Some(script) if !script.starts_with('-') && !exists(ctx, script) => {
            let abs = ctx.abs(script);
            ctx.err(format!("node:internal/modules/cjs/loader\n  throw err;\n  ^\n\nError: Cannot find module '{abs}'\n").as_bytes())?;
            Ok(1)
        }
        _ => {
            ctx.not_simulated("JavaScript is not run in the playground");
            Ok(0)
        }
    }
}

/// A package to install: its name and version (if known).
#[derive(Debug, Clone)]
struct Pkg {
    path: String,
    version: Option<String>,
    size: u64,
}

/// Dependencies of `package.json` (`dependencies`, `optionalDependencies`, and
/// `devDependencies` unless `omit_dev`).
fn manifest_deps(manifest: &Value, omit_dev: bool) -> Vec<Pkg> {
    let mut out = Vec::new();
    let mut fields = vec!["dependencies", "optionalDependencies"];
    if !omit_dev {
        fields.push("devDependencies");
    }
    for field in fields {
        if let Some(map) = manifest.get(field).and_then(Value::as_object) {
            for (name, spec) in map.iter().take(5_000) {
                let spec = spec.as_str().unwrap_or("");
                let pinned = spec
                    .trim_start_matches('=')
                    .chars()
                    .all(|c| c.is_ascii_digit() || c == '.')
                    && !spec.is_empty();
                out.push(Pkg {
                    path: format!("node_modules/{name}"),
                    version: pinned.then(|| spec.trim_start_matches('=').to_string()),
                    size: DIRECT_DEPENDENCY_SIZE,
                });
            }
        }
    }
    out
}

/// Packages of a `package-lock.json` (v2/v3 `packages` map; v1 `dependencies`).
fn lock_packages(lock: &Value, omit_dev: bool) -> Vec<Pkg> {
    let mut out = Vec::new();
    if let Some(map) = lock.get("packages").and_then(Value::as_object) {
        for (path, info) in map.iter().take(20_000) {
            if path.is_empty() || !path.contains("node_modules/") {
                continue;
            }
            if omit_dev && info.get("dev").and_then(Value::as_bool).unwrap_or(false) {
                continue;
            }
            out.push(Pkg {
                path: path.clone(),
                version: info
                    .get("version")
                    .and_then(Value::as_str)
                    .map(str::to_string),
                size: LOCKED_PACKAGE_SIZE,
            });
        }
    } else if let Some(map) = lock.get("dependencies").and_then(Value::as_object) {
        for (name, info) in map.iter().take(20_000) {
            if omit_dev && info.get("dev").and_then(Value::as_bool).unwrap_or(false) {
                continue;
            }
            out.push(Pkg {
                path: format!("node_modules/{name}"),
                version: info
                    .get("version")
                    .and_then(Value::as_str)
                    .map(str::to_string),
                size: LOCKED_PACKAGE_SIZE,
            });
        }
    }
    out
}

/// Packages of a yarn v1 lock file: entry headers and their `version` lines.
fn yarn_lock_packages(text: &str) -> Vec<Pkg> {
    let mut out: Vec<Pkg> = Vec::new();
    for line in text.lines().take(200_000) {
        if !line.starts_with(' ') && line.ends_with(':') && !line.starts_with('#') {
            let first = line.trim_end_matches(':').split(", ").next().unwrap_or("");
            let first = first.trim_matches('"');
            let name = match first.strip_prefix('@') {
                Some(rest) => format!("@{}", rest.split('@').next().unwrap_or(rest)),
                None => first.split('@').next().unwrap_or(first).to_string(),
            };
            if !out.iter().any(|p| p.path == format!("node_modules/{name}")) {
                out.push(Pkg {
                    path: format!("node_modules/{name}"),
                    version: None,
                    size: LOCKED_PACKAGE_SIZE,
                });
            }
        } else if let Some(v) = line.trim().strip_prefix("version ") {
            if let Some(last) = out.last_mut() {
                if last.version.is_none() {
                    last.version = Some(v.trim_matches('"').to_string());
                }
            }
        }
    }
    out
}

/// `name@1.2.3` → (`name`, Some(`1.2.3`)); `@scope/x@^1` → (`@scope/x`, None).
fn split_spec(spec: &str) -> (String, Option<String>) {
    let (scope, rest) = match spec.strip_prefix('@') {
        Some(r) => ("@", r),
        None => ("", spec),
    };
    match rest.split_once('@') {
        Some((name, v)) => {
            let exact = !v.is_empty() && v.chars().all(|c| c.is_ascii_digit() || c == '.');
            (format!("{scope}{name}"), exact.then(|| v.to_string()))
        }
        None => (format!("{scope}{rest}"), None),
    }
}

/// Writes the packages under `root` and their tarballs into `cache` (if any).
fn install_packages(
    ctx: &mut ProgramCtx<'_, '_>,
    root: &str,
    pkgs: &[Pkg],
    cache: Option<&str>,
) -> Result<(), crate::engine::shell::programs::ProgramAbort> {
    ctx.steps(1 + pkgs.len() as u64 / 8)?;
    let mut cached = 0u64;
    for p in pkgs {
        let name = p
            .path
            .rsplit_once("node_modules/")
            .map(|(_, n)| n)
            .unwrap_or(&p.path);
        let dir = format!("{}/{}", root.trim_end_matches('/'), p.path);
        let version = p.version.clone().unwrap_or_else(|| "unknown".to_string());
        write_text(
            ctx,
            &format!("{dir}/package.json"),
            &format!("{{\n  \"name\": \"{name}\",\n  \"version\": \"{version}\"\n}}\n"),
            0o644,
        );
        write_sized(ctx, &format!("{dir}/index.js"), p.size, 0o644);
        cached += p.size / TARBALL_FRACTION;
    }
    if let Some(cache) = cache.filter(|_| !pkgs.is_empty()) {
        write_sized(
            ctx,
            &format!("{cache}/content-v2/sha512/stand-in"),
            cached,
            0o644,
        );
        write_sized(
            ctx,
            &format!("{cache}/index-v5/stand-in"),
            pkgs.len() as u64 * 600,
            0o644,
        );
    }
    Ok(())
}

fn omit_dev_requested(ctx: &ProgramCtx<'_, '_>, args: &[String]) -> bool {
    args.iter().any(|a| {
        matches!(
            a.as_str(),
            "--production" | "--prod" | "--omit=dev" | "--only=production" | "--only=prod"
        )
    }) || args.windows(2).any(|w| w[0] == "--omit" && w[1] == "dev")
        || ctx.env("NODE_ENV").is_some_and(|v| v == "production")
        || ctx
            .env("NPM_CONFIG_PRODUCTION")
            .is_some_and(|v| v == "true")
}

/// The first argument that is not a flag (the subcommand), and the arguments after it.
fn subcommand(args: &[String]) -> (Option<&str>, Vec<String>) {
    match args.iter().position(|a| !a.starts_with('-')) {
        Some(i) => (
            args.get(i).map(String::as_str),
            args.iter().skip(i + 1).cloned().collect(),
        ),
        None => (None, Vec::new()),
    }
}

fn run_npm(ctx: &mut ProgramCtx<'_, '_>, argv: &[String]) -> ProgResult {
    if let Some(missing) = super::lang_support::require(ctx, argv, "npm") {
        return missing;
    }
    let args: Vec<String> = argv.iter().skip(1).cloned().collect();
    let (sub, rest) = subcommand(&args);
    let sub = sub.unwrap_or("");
    if sub.is_empty() && args.iter().any(|a| a == "--version" || a == "-v") {
        let v = npm_version(ctx);
        return print_version(ctx, v, "npm");
    }
    let all_flags: Vec<String> = args
        .iter()
        .filter(|a| a.starts_with('-'))
        .cloned()
        .collect();
    match sub {
        "install" | "i" | "add" | "ci" | "clean-install" | "isntall" => {
            npm_install(ctx, sub, &rest, &all_flags)
        }
        "run" | "run-script" | "rum" | "urn" => match rest.iter().find(|a| !a.starts_with('-')) {
            Some(script) => {
                let extra: Vec<String> = rest
                    .iter()
                    .skip_while(|a| a.as_str() != "--")
                    .skip(1)
                    .cloned()
                    .collect();
                run_script(ctx, "npm", script, &extra)
            }
            None => {
                let manifest = read_json(ctx, &format!("{}/package.json", ctx.cwd()));
                let scripts = manifest
                    .as_ref()
                    .and_then(|m| m.get("scripts"))
                    .and_then(Value::as_object)
                    .map(|m| {
                        m.iter()
                            .map(|(k, v)| format!("  {k}\n    {}\n", v.as_str().unwrap_or("")))
                            .collect::<String>()
                    })
                    .unwrap_or_default();
                ctx.out_str(&scripts)?;
                Ok(0)
            }
        },
        "start" | "test" | "t" | "stop" | "restart" => {
            let script = if sub == "t" { "test" } else { sub };
            run_script(ctx, "npm", script, &[])
        }
        "cache" => {
            let action = rest.first().map(String::as_str).unwrap_or("");
            if action == "clean" || action == "clear" {
                if !rest.iter().any(|a| a == "--force" || a == "-f")
                    && !all_flags.iter().any(|a| a == "--force")
                {
                    let p = npm_error_prefix(ctx);
                    ctx.err(format!("{p} As of npm@5, the npm cache self-heals from corruption issues\n{p}   by treating integrity mismatches as cache misses.  As a result,\n{p}   data extracted from the cache is guaranteed to be valid.  If you\n{p}   want to make sure everything is consistent, use `npm cache verify`\n{p}   instead.  Deleting the cache can only make npm *slower*, and is\n{p}   not likely to correct any problems you may be encountering!\n{p} \n{p}   On the other hand, if you're debugging an issue with the installer,\n{p}   or race conditions that depend on the timing of writing to an empty\n{p}   cache, you can use `npm install --cache /tmp/empty-cache` to use a\n{p}   temporary cache instead of nuking the actual one.\n{p} \n{p}   If you're sure you want to delete the entire cache, rerun this command\n{p}   with --force.\n").as_bytes())?;
                    return Ok(1);
                }
                let cache = format!("{}/.npm/_cacache", home(ctx));
                let _ = ctx.remove_tree(&cache);
                ctx.err(b"npm warn using --force Recommended protections disabled.\n")?;
                return Ok(0);
            }
            ctx.approximated("npm cache: prints nothing in the playground");
            Ok(0)
        }
        "config" | "set" | "get" => npm_config(ctx, sub, &rest),
        "prune" | "dedupe" | "audit" | "fund" | "outdated" | "update" | "ls" | "list"
        | "doctor" | "pkg" | "version" | "rebuild" | "init" => {
            ctx.approximated(&format!("npm {sub}: node_modules is a size-only stand-in, so this changes and prints nothing"));
            Ok(0)
        }
        "" => {
            ctx.out_str("npm <command>\n\nUsage:\n\nnpm install        install all the dependencies in your project\nnpm run <foo>      run the script named <foo>\n")?;
            Ok(1)
        }
        other => {
            ctx.not_simulated(&format!("npm {other} is not simulated"));
            Ok(0)
        }
    }
}

fn print_version(ctx: &mut ProgramCtx<'_, '_>, version: Option<String>, tool: &str) -> ProgResult {
    match version {
        Some(v) => ctx.out_str(&format!("{v}\n"))?,
        None => {
            ctx.approximated(&format!("{tool}'s version is not recorded in this image"));
            ctx.out_str("(unknown)\n")?;
        }
    }
    Ok(0)
}

fn npm_config(ctx: &mut ProgramCtx<'_, '_>, sub: &str, rest: &[String]) -> ProgResult {
    let (action, params): (&str, Vec<&String>) = if sub == "config" {
        (
            rest.first().map(String::as_str).unwrap_or(""),
            rest.iter()
                .skip(1)
                .filter(|a| !a.starts_with('-'))
                .collect(),
        )
    } else {
        (sub, rest.iter().filter(|a| !a.starts_with('-')).collect())
    };
    let global = rest.iter().any(|a| a == "-g" || a == "--global");
    let path = if global {
        "/usr/local/etc/npmrc".to_string()
    } else {
        format!("{}/.npmrc", home(ctx))
    };
    let mut text = read_text(ctx, &path).unwrap_or_default();
    match action {
        "set" => {
            let mut pairs: Vec<(String, String)> = Vec::new();
            let mut iter = params.iter();
            while let Some(p) = iter.next() {
                match p.split_once('=') {
                    Some((k, v)) => pairs.push((k.to_string(), v.to_string())),
                    None => pairs.push((
                        p.to_string(),
                        iter.next().map(|s| s.to_string()).unwrap_or_default(),
                    )),
                }
            }
            for (k, v) in pairs {
                let mut lines: Vec<String> = text
                    .lines()
                    .filter(|l| l.split('=').next() != Some(k.as_str()))
                    .map(str::to_string)
                    .collect();
                lines.push(format!("{k}={v}"));
                text = lines.join("\n");
                text.push('\n');
            }
            write_text(ctx, &path, &text, 0o600);
            Ok(0)
        }
        "get" => {
            let key = params.first().map(|s| s.as_str()).unwrap_or("");
            let value = text
                .lines()
                .find_map(|l| l.strip_prefix(&format!("{key}=")).map(str::to_string))
                .unwrap_or_else(|| "undefined".to_string());
            ctx.out_str(&format!("{value}\n"))?;
            Ok(0)
        }
        "delete" | "rm" => {
            let key = params.first().map(|s| s.as_str()).unwrap_or("");
            let lines: Vec<&str> = text
                .lines()
                .filter(|l| l.split('=').next() != Some(key))
                .collect();
            let mut out = lines.join("\n");
            out.push('\n');
            write_text(ctx, &path, &out, 0o600);
            Ok(0)
        }
        _ => {
            ctx.approximated("npm config: prints nothing in the playground");
            Ok(0)
        }
    }
}

fn npm_install(
    ctx: &mut ProgramCtx<'_, '_>,
    sub: &str,
    rest: &[String],
    flags: &[String],
) -> ProgResult {
    let all: Vec<String> = rest.iter().chain(flags.iter()).cloned().collect();
    let global = all
        .iter()
        .any(|a| a == "-g" || a == "--global" || a == "--location=global");
    let omit_dev = omit_dev_requested(ctx, &all);
    let names: Vec<&String> = rest.iter().filter(|a| !a.starts_with('-')).collect();
    let cwd = ctx.cwd().to_string();
    let cache = format!("{}/.npm/_cacache", home(ctx));
    let p = npm_error_prefix(ctx);
    let (root, pkgs) = if global || !names.is_empty() {
        if sub == "ci" {
            ctx.err(format!("{p} code EUSAGE\n{p} \n{p} The `npm ci` command does not accept package names\n").as_bytes())?;
            return Ok(1);
        }
        let root = if global {
            "/usr/local/lib".to_string()
        } else {
            cwd.clone()
        };
        let mut pkgs: Vec<Pkg> = names
            .iter()
            .map(|spec| {
                let (name, version) = split_spec(spec);
                Pkg {
                    path: format!("node_modules/{name}"),
                    version,
                    size: DIRECT_DEPENDENCY_SIZE,
                }
            })
            .collect();
        // In a project, npm also installs what package.json already lists.
        if !global {
            if let Some(m) = read_json(ctx, &format!("{cwd}/package.json")) {
                for dep in manifest_deps(&m, omit_dev) {
                    if !pkgs.iter().any(|p| p.path == dep.path) {
                        pkgs.push(dep);
                    }
                }
            }
        }
        (root, pkgs)
    } else {
        let manifest = read_json(ctx, &format!("{cwd}/package.json"));
        let lock = read_json(ctx, &format!("{cwd}/package-lock.json"))
            .or_else(|| read_json(ctx, &format!("{cwd}/npm-shrinkwrap.json")));
        if sub == "ci" && lock.is_none() {
            ctx.err(format!("{p} code EUSAGE\n{p} \n{p} The `npm ci` command can only install with an existing package-lock.json or\n{p} npm-shrinkwrap.json with lockfileVersion >= 1. Run an install with npm@5 or\n{p} later to generate a package-lock.json file, then try again.\n").as_bytes())?;
            return Ok(1);
        }
        if manifest.is_none() && exists(ctx, &format!("{cwd}/package.json")) {
            ctx.err(format!("{p} code EJSONPARSE\n{p} JSON.parse Invalid package.json: {cwd}/package.json\n").as_bytes())?;
            return Ok(1);
        }
        let pkgs = match (&lock, &manifest) {
            (Some(l), _) => lock_packages(l, omit_dev),
            (None, Some(m)) => manifest_deps(m, omit_dev),
            (None, None) => Vec::new(),
        };
        (cwd.clone(), pkgs)
    };
    if sub == "ci" {
        let _ = ctx.remove_tree(&format!("{cwd}/node_modules"));
    }
    if !pkgs.is_empty() {
        let modules = format!("{}/node_modules", root.trim_end_matches('/'));
        if let Err(crate::engine::shell::fs::Errno::PermissionDenied) = ctx.mkdir_p(&modules, 0o755)
        {
            ctx.err(format!("{p} code EACCES\n{p} syscall mkdir\n{p} path {modules}\n{p} errno -13\n{p} Error: EACCES: permission denied, mkdir '{modules}'\n{p}\n{p} The operation was rejected by your operating system.\n{p} It is likely you do not have the permissions to access this file as the current user\n").as_bytes())?;
            return Ok(243);
        }
    }
    install_packages(ctx, &root, &pkgs, Some(&cache))?;
    if !global && !pkgs.is_empty() {
        write_text(
            ctx,
            &format!("{root}/node_modules/.package-lock.json"),
            "{\n  \"lockfileVersion\": 3,\n  \"requires\": true,\n  \"packages\": {}\n}\n",
            0o644,
        );
    }
    let n = pkgs.len();
    let word = if n == 1 { "package" } else { "packages" };
    let summary = if n == 0 {
        "\nup to date, audited 1 package in 1s\n\nfound 0 vulnerabilities\n".to_string()
    } else {
        format!(
            "\nadded {n} {word}, and audited {} packages in 1s\n\nfound 0 vulnerabilities\n",
            n + 1
        )
    };
    ctx.out_str(&summary)?;
    ctx.approximated(&format!(
        "nothing was downloaded: each package is a size-only estimate ({} bytes per locked package, {} per direct dependency without a lock file), the timing and audit lines are stand-ins; tarballs stay in ~/.npm until `npm cache clean --force`",
        LOCKED_PACKAGE_SIZE, DIRECT_DEPENDENCY_SIZE
    ));
    Ok(0)
}

/// Runs `scripts[name]` of ./package.json (with its pre/post scripts) through `sh -c`,
/// with `node_modules/.bin` on PATH — as npm and yarn do.
fn run_script(
    ctx: &mut ProgramCtx<'_, '_>,
    tool: &str,
    name: &str,
    extra: &[String],
) -> ProgResult {
    let cwd = ctx.cwd().to_string();
    let manifest = read_json(ctx, &format!("{cwd}/package.json"));
    let scripts = manifest
        .as_ref()
        .and_then(|m| m.get("scripts"))
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    let pkg_name = manifest
        .as_ref()
        .and_then(|m| m.get("name"))
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    let pkg_version = manifest
        .as_ref()
        .and_then(|m| m.get("version"))
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    let Some(body) = scripts
        .get(name)
        .and_then(Value::as_str)
        .map(str::to_string)
    else {
        if tool == "npm" && name == "start" && exists(ctx, &format!("{cwd}/server.js")) {
            ctx.not_simulated(
                "npm start runs `node server.js`: JavaScript is not run in the playground",
            );
            return Ok(0);
        }
        if tool == "npm" {
            let p = npm_error_prefix(ctx);
            ctx.err(format!("{p} Missing script: \"{name}\"\n{p}\n{p} To see a list of scripts, run:\n{p}   npm run\n").as_bytes())?;
        } else {
            ctx.err(format!("error Command \"{name}\" not found.\n").as_bytes())?;
        }
        return Ok(1);
    };
    let path = ctx.env("PATH").unwrap_or_default();
    let vars = vec![
        (
            "PATH".to_string(),
            format!("{cwd}/node_modules/.bin:{path}"),
        ),
        ("npm_lifecycle_event".to_string(), name.to_string()),
        ("npm_package_name".to_string(), pkg_name.clone()),
        ("npm_package_version".to_string(), pkg_version.clone()),
    ];
    let stages = [
        format!("pre{name}"),
        name.to_string(),
        format!("post{name}"),
    ];
    for stage in &stages {
        let Some(mut command) = scripts
            .get(stage.as_str())
            .and_then(Value::as_str)
            .map(str::to_string)
        else {
            continue;
        };
        if stage == name && !extra.is_empty() {
            command = format!("{command} {}", extra.join(" "));
        }
        if tool == "npm" {
            let id = if pkg_name.is_empty() {
                String::new()
            } else {
                format!("{pkg_name}@{pkg_version} ")
            };
            ctx.out_str(&format!("\n> {id}{stage}\n> {command}\n\n"))?;
        } else {
            ctx.out_str(&format!("$ {command}\n"))?;
        }
        let argv = vec!["sh".to_string(), "-c".to_string(), command];
        let status = ctx.run_with_env(&vars, &[], false, argv)?;
        if status != 0 {
            if tool == "yarn" {
                ctx.err(format!("error Command failed with exit code {status}.\n").as_bytes())?;
            }
            return Ok(status);
        }
    }
    let _ = body;
    Ok(0)
}

fn yarn_version(ctx: &mut ProgramCtx<'_, '_>) -> Option<String> {
    ctx.env("YARN_VERSION").or_else(|| {
        dir_entries_with(ctx, "/opt", "yarn-v")
            .last()
            .and_then(|n| n.strip_prefix("yarn-v").map(str::to_string))
    })
}

fn run_yarn(ctx: &mut ProgramCtx<'_, '_>, argv: &[String]) -> ProgResult {
    let name = super::lang_support::program_name(argv, "yarn");
    if let Some(missing) = super::lang_support::require(ctx, argv, &name) {
        return missing;
    }
    let args: Vec<String> = argv.iter().skip(1).cloned().collect();
    let (sub, rest) = subcommand(&args);
    let named = sub.is_some();
    // A bare `yarn` installs.
    let sub = sub.unwrap_or("install");
    if !named && args.iter().any(|a| a == "--version" || a == "-v") {
        let v = yarn_version(ctx);
        return print_version(ctx, v, "yarn");
    }
    let version = yarn_version(ctx).unwrap_or_else(|| "1.22.22".to_string());
    let cwd = ctx.cwd().to_string();
    // yarn v1 keeps its cache under /usr/local/share/.cache/yarn for root.
    let cache = if ctx.uid() == 0 {
        "/usr/local/share/.cache/yarn/v6".to_string()
    } else {
        format!("{}/.cache/yarn/v6", home(ctx))
    };
    match sub {
        "install" | "add" => {
            let omit_dev = omit_dev_requested(ctx, &args);
            let names: Vec<&String> = rest.iter().filter(|a| !a.starts_with('-')).collect();
            let pkgs: Vec<Pkg> = if sub == "add" {
                names
                    .iter()
                    .map(|spec| {
                        let (n, v) = split_spec(spec);
                        Pkg {
                            path: format!("node_modules/{n}"),
                            version: v,
                            size: DIRECT_DEPENDENCY_SIZE,
                        }
                    })
                    .collect()
            } else {
                let lock = read_text(ctx, &format!("{cwd}/yarn.lock"));
                match (lock, read_json(ctx, &format!("{cwd}/package.json"))) {
                    (Some(l), _) if !omit_dev => yarn_lock_packages(&l),
                    (_, Some(m)) => manifest_deps(&m, omit_dev),
                    (Some(l), None) => yarn_lock_packages(&l),
                    (None, None) => Vec::new(),
                }
            };
            let frozen = args
                .iter()
                .any(|a| a == "--frozen-lockfile" || a == "--immutable");
            let has_lock = exists(ctx, &format!("{cwd}/yarn.lock"));
            ctx.out_str(&format!("yarn {sub} v{version}\n"))?;
            if !has_lock {
                if frozen
                    && sub == "install"
                    && exists(ctx, &format!("{cwd}/package.json"))
                    && !pkgs.is_empty()
                {
                    ctx.out_str("info No lockfile found.\n[1/4] Resolving packages...\n")?;
                    ctx.err(b"error Your lockfile needs to be updated, but yarn was run with `--frozen-lockfile`.\n")?;
                    return Ok(1);
                }
                ctx.out_str("info No lockfile found.\n")?;
            }
            ctx.out_str("[1/4] Resolving packages...\n[2/4] Fetching packages...\n[3/4] Linking dependencies...\n[4/4] Building fresh packages...\n")?;
            install_packages(ctx, &cwd, &pkgs, Some(&cache))?;
            if !has_lock && !pkgs.is_empty() {
                ctx.out_str("success Saved lockfile.\n")?;
                let mut lock = String::from("# THIS IS AN AUTOGENERATED FILE. DO NOT EDIT THIS FILE DIRECTLY.\n# yarn lockfile v1\n\n");
                for p in &pkgs {
                    let n = p.path.trim_start_matches("node_modules/");
                    let v = p.version.clone().unwrap_or_else(|| "unknown".into());
                    lock.push_str(&format!("\n{n}@{v}:\n  version \"{v}\"\n"));
                }
                write_text(ctx, &format!("{cwd}/yarn.lock"), &lock, 0o644);
            }
            ctx.out_str("Done in 1.00s.\n")?;
            ctx.approximated(&format!(
                "nothing was downloaded: each package is a size-only estimate ({} bytes per locked package, {} per direct dependency); the timing is a stand-in; tarballs stay in the yarn cache until `yarn cache clean`",
                LOCKED_PACKAGE_SIZE, DIRECT_DEPENDENCY_SIZE
            ));
            Ok(0)
        }
        "cache" if rest.first().map(String::as_str) == Some("clean") => {
            let root = cache.trim_end_matches("/v6").to_string();
            let _ = ctx.remove_tree(&root);
            ctx.out_str(&format!(
                "yarn cache v{version}\nsuccess Cleared cache.\nDone in 0.05s.\n"
            ))?;
            Ok(0)
        }
        "run" => match rest.iter().find(|a| !a.starts_with('-')) {
            Some(script) => {
                ctx.out_str(&format!("yarn run v{version}\n"))?;
                let status = run_script(
                    ctx,
                    "yarn",
                    script,
                    &rest.iter().skip(1).cloned().collect::<Vec<_>>(),
                )?;
                if status == 0 {
                    ctx.out_str("Done in 1.00s.\n")?;
                }
                Ok(status)
            }
            None => Ok(0),
        },
        "config" | "global" | "workspaces" | "autoclean" | "audit" | "licenses" | "policies"
        | "set" | "plugin" | "dlx" | "why" | "list" | "info" => {
            ctx.approximated(&format!("yarn {sub}: node_modules is a size-only stand-in, so this changes and prints nothing"));
            Ok(0)
        }
        script => {
            // `yarn build` runs the package.json script of that name.
            let manifest = read_json(ctx, &format!("{cwd}/package.json"));
            let known = manifest
                .as_ref()
                .and_then(|m| m.get("scripts"))
                .and_then(|s| s.get(script))
                .is_some();
            if !known {
                ctx.not_simulated(&format!("yarn {script} is not simulated"));
                return Ok(0);
            }
            ctx.out_str(&format!("yarn run v{version}\n"))?;
            let status = run_script(ctx, "yarn", script, &rest)?;
            if status == 0 {
                ctx.out_str("Done in 1.00s.\n")?;
            }
            Ok(status)
        }
    }
}

fn run_corepack(ctx: &mut ProgramCtx<'_, '_>, argv: &[String]) -> ProgResult {
    if let Some(missing) = super::lang_support::require(ctx, argv, "corepack") {
        return missing;
    }
    match argv.get(1).map(String::as_str) {
        Some("enable") => {
            let node = ctx
                .find_on_path("node")
                .unwrap_or_else(|| "/usr/local/bin/node".to_string());
            let bin = super::lang_support::parent_of(&node).to_string();
            let wanted: Vec<&String> = argv
                .iter()
                .skip(2)
                .filter(|a| !a.starts_with('-'))
                .collect();
            for shim in ["pnpm", "pnpx", "yarn", "yarnpkg"] {
                let family = if shim.starts_with("pnp") {
                    "pnpm"
                } else {
                    "yarn"
                };
                if !wanted.is_empty() && !wanted.iter().any(|w| w.as_str() == family) {
                    continue;
                }
                let link = format!("{bin}/{shim}");
                let target = format!("../lib/node_modules/corepack/dist/{shim}.js");
                let _ = ctx.unlink(&link);
                let _ = ctx.symlink(&target, &link);
            }
            Ok(0)
        }
        Some("--version") | Some("-v") => {
            let v = read_json(ctx, "/usr/local/lib/node_modules/corepack/package.json")
                .and_then(|j| j.get("version").and_then(Value::as_str).map(str::to_string));
            print_version(ctx, v, "corepack")
        }
        Some("disable") => {
            let node = ctx
                .find_on_path("node")
                .unwrap_or_else(|| "/usr/local/bin/node".into());
            let bin = super::lang_support::parent_of(&node).to_string();
            for shim in ["pnpm", "pnpx", "yarn", "yarnpkg"] {
                let link = format!("{bin}/{shim}");
                if ctx.readlink(&link).is_ok_and(|t| t.contains("corepack")) {
                    let _ = ctx.unlink(&link);
                }
            }
            Ok(0)
        }
        Some("prepare") | Some("install") | Some("use") => {
            ctx.approximated("corepack: the package manager was not downloaded");
            Ok(0)
        }
        _ => {
            ctx.not_simulated("only corepack enable/disable/prepare are simulated");
            Ok(0)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::programs::lang_support::base_name;

    #[test]
    fn specs() {
        assert_eq!(
            split_spec("markdownlint@0.29.0"),
            ("markdownlint".into(), Some("0.29.0".into()))
        );
        assert_eq!(split_spec("@scope/x@^1"), ("@scope/x".into(), None));
        assert_eq!(split_spec("express"), ("express".into(), None));
        let base = base_name("/a/b/");
        assert_eq!(base, "b");
    }

    #[test]
    fn yarn_lock() {
        let lock = "# yarn lockfile v1\n\n\"@babel/code@^7.0.0\", \"@babel/code@^7.1\":\n  version \"7.22.13\"\n\nexpress@^4.18.2:\n  version \"4.18.2\"\n";
        let pkgs = yarn_lock_packages(lock);
        let got: Vec<(String, Option<String>)> =
            pkgs.into_iter().map(|p| (p.path, p.version)).collect();
        assert_eq!(
            got,
            vec![
                ("node_modules/@babel/code".into(), Some("7.22.13".into())),
                ("node_modules/express".into(), Some("4.18.2".into()))
            ]
        );
    }
}
