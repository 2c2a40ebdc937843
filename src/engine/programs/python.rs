//! Python's tools: `pip`/`pip3` (also `python -m pip`), `python`/`python3`/`python2`
//! and `easy_install`. Nothing is downloaded or run.
//!
//! * `pip install` reads package names, `-r` requirement files from the filesystem and
//!   `-e`/local paths; for each package it writes a package directory of estimated size
//!   and a `.dist-info` directory into the right site-packages (the image's Python
//!   version, `--user`, `--target`, a virtual environment), and a size-only download
//!   cache under `~/.cache/pip` unless `--no-cache-dir`/`PIP_NO_CACHE_DIR` — so the
//!   layer really is smaller without the cache. Versions are the pinned ones or stated
//!   as unknown; dependencies are not resolved. All flagged approximated.
//! * A system Python marked EXTERNALLY-MANAGED refuses like pip does (PEP 668).
//! * `python -m venv DIR` writes the real venv layout (pyvenv.cfg, bin/ links, a working
//!   `activate`, lib/pythonX.Y/site-packages, pip of estimated size).
//! * `python --version`; `python -c 'print("x")'`; anything else that needs the
//!   interpreter is reported as not simulated.

use super::lang_support::{
    base_name, dir_entries_with, distro_version, exists, home, is_dir, major_minor, parent_of,
    program_name, read_text, trivial_print, write_sized, write_text,
};
use crate::engine::shell::programs::{ProgResult, ProgramCtx, Registry};

/// Estimated installed size of one package without its dependencies: a typical pure
/// Python library unpacks to a few MB (requests ≈ 0.5 MB, flask ≈ 1 MB, awscli ≈ 10 MB).
const PACKAGE_SIZE: u64 = 3_000_000;
/// Its wheel in the download cache: wheels are zip files, about a third of the unpacked size.
const WHEEL_SIZE: u64 = 1_000_000;
/// pip itself installed into a new virtual environment (pip 24 unpacks to ≈ 9 MB).
const VENV_PIP_SIZE: u64 = 9_000_000;
/// An `easy_install`ed egg (zipped).
const EGG_SIZE: u64 = 1_500_000;

/// pip ≥ 21.1 warns when run as root; 24.1 lengthened the message.
const ROOT_WARNING_OLD: &str = "WARNING: Running pip as the 'root' user can result in broken permissions and conflicting behaviour with the system package manager. It is recommended to use a virtual environment instead: https://pip.pypa.io/warnings/venv\n";
const ROOT_WARNING: &str = "WARNING: Running pip as the 'root' user can result in broken permissions and conflicting behaviour with the system package manager, possibly rendering your system unusable. It is recommended to use a virtual environment instead: https://pip.pypa.io/warnings/venv. Use the --root-user-action option if you know what you are doing and want to suppress this warning.\n";

/// The root warning pip `version` prints (none before 21.1 or when the version is unknown).
fn root_warning(version: Option<&str>) -> Option<&'static str> {
    let mut parts = version?.split('.').map(|p| p.parse::<u32>().unwrap_or(0));
    let v = (parts.next().unwrap_or(0), parts.next().unwrap_or(0));
    if v >= (24, 1) {
        Some(ROOT_WARNING)
    } else if v >= (21, 1) {
        Some(ROOT_WARNING_OLD)
    } else {
        None
    }
}

pub fn register(registry: &mut Registry) {
    for name in ["pip", "pip3", "pip2"] {
        registry.register(name, run_pip);
    }
    for name in ["python", "python3", "python2", "python2.7"] {
        registry.register(name, run_python);
    }
    // Versioned names: venv shebangs (`#!/venv/bin/python3.12`) and `pip3.12`.
    for minor in 6..=14 {
        registry.register(&format!("python3.{minor}"), run_python);
        registry.register(&format!("pip3.{minor}"), run_pip);
    }
    registry.register("easy_install", run_easy_install);
}

/// Which Python a command talks to.
#[derive(Debug, Clone)]
struct Python {
    /// Full version if known (`3.12.13`).
    version: Option<String>,
    /// `3.12`.
    short: String,
    /// site-packages for `pip install`.
    site: String,
    /// The venv root, if the command runs inside one.
    venv: Option<String>,
    /// A distro Python (pip refuses when EXTERNALLY-MANAGED).
    managed_marker: Option<String>,
}

fn locate_python(ctx: &mut ProgramCtx<'_, '_>, invoked: &str, major: &str) -> Python {
    // A venv: `/venv/bin/pip` or `$VIRTUAL_ENV`.
    let venv = {
        let path = if invoked.contains('/') {
            Some(ctx.abs(invoked))
        } else {
            ctx.find_on_path(invoked)
        };
        path.and_then(|p| {
            let root = parent_of(parent_of(&p)).to_string();
            exists(ctx, &format!("{root}/pyvenv.cfg")).then_some(root)
        })
        .or_else(|| {
            ctx.env("VIRTUAL_ENV")
                .filter(|v| exists(ctx, &format!("{v}/pyvenv.cfg")))
        })
    };
    if let Some(root) = venv {
        let cfg = read_text(ctx, &format!("{root}/pyvenv.cfg")).unwrap_or_default();
        let version = cfg.lines().find_map(|l| {
            let (k, v) = l.split_once('=')?;
            (k.trim() == "version" || k.trim() == "version_info").then(|| v.trim().to_string())
        });
        let short = version
            .as_deref()
            .map(major_minor)
            .or_else(|| lib_version(ctx, &format!("{root}/lib"), major))
            .unwrap_or_else(|| format!("{major}.x"));
        return Python {
            version,
            site: format!("{root}/lib/python{short}/site-packages"),
            short,
            venv: Some(root),
            managed_marker: None,
        };
    }
    // The official images: /usr/local (PYTHON_VERSION set).
    let env_version = ctx.env("PYTHON_VERSION").filter(|v| v.starts_with(major));
    let local = lib_version(ctx, "/usr/local/lib", major);
    if env_version.is_some() || local.is_some() {
        let short = env_version
            .as_deref()
            .map(major_minor)
            .or(local)
            .unwrap_or_default();
        return Python {
            version: env_version,
            site: format!("/usr/local/lib/python{short}/site-packages"),
            short,
            venv: None,
            managed_marker: None,
        };
    }
    // A distro Python: Debian installs pip packages into /usr/local/…/dist-packages,
    // Alpine into /usr/lib/…/site-packages.
    let short = lib_version(ctx, "/usr/lib", major).unwrap_or_else(|| {
        if major == "2" {
            "2.7".to_string()
        } else {
            "3.11".to_string()
        }
    });
    let alpine = exists(ctx, "/etc/alpine-release");
    let site = if alpine {
        format!("/usr/lib/python{short}/site-packages")
    } else {
        format!("/usr/local/lib/python{short}/dist-packages")
    };
    let marker = format!("/usr/lib/python{short}/EXTERNALLY-MANAGED");
    let managed_marker = exists(ctx, &marker).then_some(marker);
    let pkg = if major == "2" { "python2.7" } else { "python3" };
    let version = distro_version(ctx, &[pkg, &format!("python{short}")]);
    Python {
        version,
        short,
        site,
        venv: None,
        managed_marker,
    }
}

/// The `Error` text of Debian 12's EXTERNALLY-MANAGED marker, one entry per line.
const DEBIAN_MANAGED_TEXT: [&str; 14] = [
    "To install Python packages system-wide, try apt install",
    "python3-xyz, where xyz is the package you are trying to",
    "install.",
    "",
    "If you wish to install a non-Debian-packaged Python package,",
    "create a virtual environment using python3 -m venv path/to/venv.",
    "Then use path/to/venv/bin/python and path/to/venv/bin/pip. Make",
    "sure you have python3-full installed.",
    "",
    "If you wish to install a non-Debian packaged Python application,",
    "it may be easiest to use pipx install xyz, which will manage a",
    "virtual environment for you. Make sure you have pipx installed.",
    "",
    "See /usr/share/doc/python3.11/README.venv for more information.",
];

/// The `Error` text of Alpine's marker (3.19 on); it starts with an empty line.
const ALPINE_MANAGED_TEXT: [&str; 21] = [
    "",
    "The system-wide python installation should be maintained using the system",
    "package manager (apk) only.",
    "",
    "If the package in question is not packaged already (and hence installable via",
    "\"apk add py3-somepackage\"), please consider installing it inside a virtual",
    "environment, e.g.:",
    "",
    "python3 -m venv /path/to/venv",
    ". /path/to/venv/bin/activate",
    "pip install mypackage",
    "",
    "To exit the virtual environment, run:",
    "",
    "deactivate",
    "",
    "The virtual environment is not deleted, and can be re-entered by re-sourcing",
    "the activate file.",
    "",
    "To automatically manage virtual environments, consider using pipx (from the",
    "pipx package).",
];

/// What pip prints when the marker refuses an install: the marker's text under pip's
/// `× … ╰─>` heading (every line indented by four, blank ones too), then pip's note
/// and hint.
fn externally_managed_error(alpine: bool) -> String {
    let lines: &[&str] = if alpine {
        &ALPINE_MANAGED_TEXT
    } else {
        &DEBIAN_MANAGED_TEXT
    };
    let mut text = String::from(
        "error: externally-managed-environment\n\n× This environment is externally managed\n",
    );
    for (i, line) in lines.iter().enumerate() {
        text.push_str(if i == 0 { "╰─> " } else { "    " });
        text.push_str(line);
        text.push('\n');
    }
    text.push_str("\nnote: If you believe this is a mistake, please contact your Python installation or OS distribution provider. You can override this, at the risk of breaking your Python installation or OS, by passing --break-system-packages.\nhint: See PEP 668 for the detailed specification.\n");
    text
}

/// The highest `pythonX.Y` directory in `dir` for major `major`.
fn lib_version(ctx: &ProgramCtx<'_, '_>, dir: &str, major: &str) -> Option<String> {
    let mut found: Vec<(u32, String)> = dir_entries_with(ctx, dir, &format!("python{major}."))
        .into_iter()
        .filter_map(|n| {
            let v = n.strip_prefix("python")?.to_string();
            let minor: u32 = v.split('.').nth(1)?.parse().ok()?;
            Some((minor, v))
        })
        .collect();
    found.sort();
    found.pop().map(|(_, v)| v)
}

fn major_of(name: &str) -> &'static str {
    if name.ends_with('2') || name.ends_with("2.7") {
        "2"
    } else {
        "3"
    }
}

fn run_pip(ctx: &mut ProgramCtx<'_, '_>, argv: &[String]) -> ProgResult {
    let name = program_name(argv, "pip");
    if let Some(missing) = super::lang_support::require(ctx, argv, &name) {
        return missing;
    }
    let invoked = argv.first().cloned().unwrap_or_else(|| name.clone());
    let python = locate_python(ctx, &invoked, major_of(&name));
    pip(ctx, &python, argv.get(1..).unwrap_or_default())
}

/// One requirement: its name as pip shows it and the pinned version if any.
#[derive(Debug, Clone, PartialEq)]
struct Requirement {
    shown: String,
    name: String,
    version: Option<String>,
    editable: bool,
}

fn parse_requirement(spec: &str) -> Option<Requirement> {
    let spec = spec.trim();
    if spec.is_empty() || spec.starts_with('#') {
        return None;
    }
    // VCS and URL requirements: `git+https://…/docker-py.git`, `name @ url`.
    if let Some((name, _)) = spec.split_once(" @ ") {
        return Some(Requirement {
            shown: spec.to_string(),
            name: name.trim().to_string(),
            version: None,
            editable: false,
        });
    }
    if spec.contains("://") {
        let egg = spec.split("#egg=").nth(1).map(str::to_string);
        let path = spec.split(['#', '@']).next().unwrap_or(spec);
        let last = base_name(path).trim_end_matches(".git").to_string();
        return Some(Requirement {
            shown: spec.to_string(),
            name: egg.unwrap_or(last),
            version: None,
            editable: false,
        });
    }
    let cut = spec
        .find(['=', '<', '>', '!', '~', ';', '[', ' '])
        .unwrap_or(spec.len());
    let name = spec.get(..cut).unwrap_or(spec).trim().to_string();
    let rest = spec.get(cut..).unwrap_or("");
    let version = rest
        .strip_prefix("==")
        .map(|v| {
            v.split([';', ',', ' '])
                .next()
                .unwrap_or(v)
                .trim()
                .to_string()
        })
        .filter(|v| !v.is_empty() && !v.contains('*'));
    (!name.is_empty()).then(|| Requirement {
        shown: spec.to_string(),
        name,
        version,
        editable: false,
    })
}

/// Reads a requirements file (nested `-r` up to a small depth). `Err(path)` if missing.
fn read_requirements(
    ctx: &mut ProgramCtx<'_, '_>,
    path: &str,
    depth: u32,
    out: &mut Vec<Requirement>,
) -> Result<(), String> {
    let Some(text) = read_text(ctx, path) else {
        return Err(path.to_string());
    };
    let dir = parent_of(&ctx.abs(path)).to_string();
    for line in text.lines().take(10_000) {
        let line = line.split(" #").next().unwrap_or(line).trim();
        if let Some(nested) = line
            .strip_prefix("-r ")
            .or_else(|| line.strip_prefix("--requirement "))
        {
            if depth < 8 {
                let nested = nested.trim();
                let p = if nested.starts_with('/') {
                    nested.to_string()
                } else {
                    format!("{dir}/{nested}")
                };
                read_requirements(ctx, &p, depth + 1, out)?;
            }
            continue;
        }
        if let Some(path) = line.strip_prefix("-e ") {
            out.push(local_requirement(ctx, path.trim(), true));
            continue;
        }
        if line.starts_with('-') {
            continue;
        }
        out.extend(parse_requirement(line));
    }
    Ok(())
}

/// A local project (`.`, `-e .`, `./pkg`): its name from pyproject.toml/setup.py or the
/// directory.
fn local_requirement(ctx: &mut ProgramCtx<'_, '_>, path: &str, editable: bool) -> Requirement {
    if path.contains("://") {
        let mut r = parse_requirement(path).unwrap_or(Requirement {
            shown: path.to_string(),
            name: path.to_string(),
            version: None,
            editable,
        });
        r.editable = editable;
        return r;
    }
    let dir = ctx.abs(path);
    let mut name = None;
    let mut version = None;
    for file in ["pyproject.toml", "setup.cfg", "setup.py"] {
        let text = read_text(ctx, &format!("{dir}/{file}")).unwrap_or_default();
        for line in text.lines() {
            let l = line.trim().trim_end_matches(',');
            let value = |key: &str| {
                let rest = l.strip_prefix(key)?.trim_start();
                let rest = rest.strip_prefix('=')?.trim();
                Some(rest.trim_matches(['"', '\'']).to_string())
            };
            if name.is_none() {
                name = value("name");
            }
            if version.is_none() {
                version = value("version").filter(|v| !v.contains('(') && !v.is_empty());
            }
        }
        if name.is_some() {
            break;
        }
    }
    let name = name.unwrap_or_else(|| base_name(&dir).to_string());
    Requirement {
        shown: path.to_string(),
        name,
        version,
        editable,
    }
}

fn normalized(name: &str) -> String {
    name.to_lowercase().replace(['-', '.'], "_")
}

fn pip(ctx: &mut ProgramCtx<'_, '_>, python: &Python, args: &[String]) -> ProgResult {
    let sub = args
        .iter()
        .find(|a| !a.starts_with('-'))
        .map(String::as_str)
        .unwrap_or("");
    if args.iter().any(|a| a == "--version" || a == "-V") && sub.is_empty() {
        let pip_version = pip_version(ctx, python);
        let shown = pip_version
            .clone()
            .unwrap_or_else(|| "(version unknown)".to_string());
        let pip_dir = format!("{}/pip", python.site);
        ctx.out_str(&format!(
            "pip {shown} from {pip_dir} (python {})\n",
            python.short
        ))?;
        if pip_version.is_none() {
            ctx.approximated("pip's version is not recorded in this image");
        }
        return Ok(0);
    }
    let rest: Vec<String> = args
        .iter()
        .skip_while(|a| a.as_str() != sub)
        .skip(1)
        .cloned()
        .collect();
    match sub {
        "install" => pip_install(ctx, python, &rest),
        "uninstall" => pip_uninstall(ctx, python, &rest),
        "freeze" | "list" => {
            let names = dir_entries_with(ctx, &python.site, "");
            let mut lines = String::new();
            if sub == "list" {
                lines.push_str("Package    Version\n---------- -------\n");
            }
            for n in names.iter().filter_map(|n| n.strip_suffix(".dist-info")) {
                let (pkg, ver) = n.rsplit_once('-').unwrap_or((n, ""));
                if sub == "freeze" {
                    lines.push_str(&format!("{pkg}=={ver}\n"));
                } else {
                    lines.push_str(&format!("{pkg:<10} {ver}\n"));
                }
            }
            ctx.out_str(&lines)?;
            ctx.approximated("lists only what the playground installed or the image records");
            Ok(0)
        }
        "cache" if rest.first().map(String::as_str) == Some("purge") => {
            let dir = format!("{}/.cache/pip", home(ctx));
            let _ = ctx.remove_tree(&dir);
            ctx.out_str("Files removed: 0\n")?;
            Ok(0)
        }
        "config" | "check" | "show" | "cache" | "debug" | "help" | "" => {
            ctx.approximated(&format!("pip {sub}: prints nothing in the playground"));
            Ok(0)
        }
        _ => {
            ctx.not_simulated(&format!("pip {sub} is not simulated"));
            Ok(0)
        }
    }
}

fn pip_version(ctx: &mut ProgramCtx<'_, '_>, python: &Python) -> Option<String> {
    if python.venv.is_none() {
        if let Some(v) = ctx.env("PYTHON_PIP_VERSION") {
            return Some(v);
        }
    }
    dir_entries_with(ctx, &python.site, "pip-")
        .iter()
        .find_map(|n| {
            n.strip_prefix("pip-")?
                .strip_suffix(".dist-info")
                .map(str::to_string)
        })
}

fn pip_install(ctx: &mut ProgramCtx<'_, '_>, python: &Python, args: &[String]) -> ProgResult {
    let mut reqs: Vec<Requirement> = Vec::new();
    let mut no_cache = ctx.env("PIP_NO_CACHE_DIR").is_some_and(|v| !v.is_empty());
    let mut user = false;
    let mut quiet = 0;
    let mut target: Option<String> = None;
    let mut prefix: Option<String> = None;
    let mut break_system = ctx
        .env("PIP_BREAK_SYSTEM_PACKAGES")
        .is_some_and(|v| v == "1" || v.eq_ignore_ascii_case("true"));
    let mut root_action_ignore = ctx
        .env("PIP_ROOT_USER_ACTION")
        .is_some_and(|v| v == "ignore");
    let mut i = 0;
    while i < args.len() {
        let a = args[i].as_str();
        let next = args.get(i + 1).cloned().unwrap_or_default();
        let (flag, inline) = match a.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f, Some(v.to_string())),
            _ => (a, None),
        };
        let takes = |v: &Option<String>| if v.is_some() { 1 } else { 2 };
        match flag {
            "-r" | "--requirement" => {
                let file = inline.clone().unwrap_or(next);
                if let Err(path) = read_requirements(ctx, &file, 0, &mut reqs) {
                    ctx.err(format!("ERROR: Could not open requirements file: [Errno 2] No such file or directory: '{path}'\n").as_bytes())?;
                    return Ok(1);
                }
                i += takes(&inline);
            }
            "-e" | "--editable" => {
                let path = inline.clone().unwrap_or(next);
                reqs.push(local_requirement(ctx, &path, true));
                i += takes(&inline);
            }
            "-t" | "--target" => {
                target = Some(inline.clone().unwrap_or(next));
                i += takes(&inline);
            }
            "--prefix" | "--root" => {
                prefix = Some(inline.clone().unwrap_or(next));
                i += takes(&inline);
            }
            "-c" | "--constraint" | "-i" | "--index-url" | "--extra-index-url" | "-f"
            | "--find-links" | "--trusted-host" | "--only-binary" | "--no-binary"
            | "--platform" | "--python-version" | "--implementation" | "--abi" | "--src"
            | "--upgrade-strategy" | "--progress-bar" | "--cache-dir" | "--log" | "--timeout"
            | "--retries" | "--proxy" => {
                if flag == "--cache-dir" && inline.as_deref().unwrap_or(&next) == "/dev/null" {
                    no_cache = true;
                }
                i += takes(&inline);
            }
            "--root-user-action" => {
                root_action_ignore = inline.clone().unwrap_or(next) == "ignore";
                i += takes(&inline);
            }
            "--no-cache-dir" => {
                no_cache = true;
                i += 1;
            }
            "--user" => {
                user = true;
                i += 1;
            }
            "--break-system-packages" => {
                break_system = true;
                i += 1;
            }
            "-q" | "--quiet" => {
                quiet += 1;
                i += 1;
            }
            "-qq" => {
                quiet += 2;
                i += 1;
            }
            s if s.starts_with('-') => i += 1,
            s => {
                let is_path = s == "."
                    || s.starts_with("./")
                    || s.starts_with('/')
                    || s.starts_with("../")
                    || s.ends_with(".whl")
                    || s.ends_with(".tar.gz");
                if is_path && !s.contains("://") {
                    if !exists(ctx, s) {
                        ctx.err(format!("ERROR: Invalid requirement: '{s}'\nHint: It looks like a path. File '{s}' does not exist.\n").as_bytes())?;
                        return Ok(1);
                    }
                    reqs.push(local_requirement(ctx, s, false));
                } else {
                    reqs.extend(parse_requirement(s));
                }
                i += 1;
            }
        }
    }
    if reqs.is_empty() {
        ctx.err(b"ERROR: You must give at least one requirement to install (see \"pip help install\")\n")?;
        return Ok(1);
    }
    // pip checks the marker whenever it installs into the running environment, `--user`
    // included; only `--target`/`--prefix` (another place) and the override skip it.
    if python.managed_marker.is_some() && !break_system && target.is_none() && prefix.is_none() {
        let alpine = exists(ctx, "/etc/alpine-release");
        ctx.err(externally_managed_error(alpine).as_bytes())?;
        return Ok(1);
    }
    let site = match (&target, &prefix, user) {
        (Some(t), _, _) => ctx.abs(t),
        (None, Some(p), _) => format!(
            "{}/lib/python{}/site-packages",
            ctx.abs(p).trim_end_matches('/'),
            python.short
        ),
        (None, None, true) => format!(
            "{}/.local/lib/python{}/site-packages",
            home(ctx),
            python.short
        ),
        _ => python.site.clone(),
    };
    ctx.steps(reqs.len() as u64)?;
    if let Err(crate::engine::shell::fs::Errno::PermissionDenied) = ctx.mkdir_p(&site, 0o755) {
        ctx.err(format!("ERROR: Could not install packages due to an OSError: [Errno 13] Permission denied: '{site}'\nConsider using the `--user` option or check the permissions.\n\n").as_bytes())?;
        return Ok(1);
    }
    let probe = format!("{site}/.playground-write-check");
    if let Err(crate::engine::shell::fs::Errno::PermissionDenied) =
        ctx.write_mode(&probe, crate::engine::shell::fs::Data::Bytes(b""), 0o644)
    {
        let first = reqs
            .first()
            .map(|r| normalized(&r.name))
            .unwrap_or_default();
        ctx.err(format!("ERROR: Could not install packages due to an OSError: [Errno 13] Permission denied: '{site}/{first}'\nConsider using the `--user` option or check the permissions.\n\n").as_bytes())?;
        return Ok(1);
    }
    let _ = ctx.unlink(&probe);
    let mut installed: Vec<String> = Vec::new();
    let cache = format!("{}/.cache/pip", home(ctx));
    for r in reqs.iter().take(2_000) {
        if quiet == 0 {
            let line = if r.editable {
                format!("Obtaining file://{}\n", ctx.abs(&r.shown))
            } else if r.shown.starts_with('.') || r.shown.starts_with('/') {
                format!("Processing {}\n", r.shown)
            } else {
                format!("Collecting {}\n", r.shown)
            };
            ctx.out_str(&line)?;
        }
        let module = normalized(&r.name);
        let version_label = r.version.clone().unwrap_or_else(|| "unknown".to_string());
        let info = format!("{site}/{module}-{version_label}.dist-info");
        let _ = ctx.mkdir_p(&info, 0o755);
        let metadata = format!(
            "Metadata-Version: 2.1\nName: {}\nVersion: {version_label}\n",
            r.name
        );
        write_text(ctx, &format!("{info}/METADATA"), &metadata, 0o644);
        write_text(ctx, &format!("{info}/INSTALLER"), "pip\n", 0o644);
        if r.editable {
            let src = ctx.abs(&r.shown);
            write_text(
                ctx,
                &format!("{site}/__editable__.{module}-{version_label}.pth"),
                &format!("{src}\n"),
                0o644,
            );
        } else {
            write_sized(
                ctx,
                &format!("{site}/{module}/__init__.py"),
                PACKAGE_SIZE,
                0o644,
            );
            write_sized(ctx, &format!("{info}/RECORD"), 4_000, 0o644);
            if !no_cache {
                let key = super::lang_support::stand_in_hex(&r.shown);
                let path = format!(
                    "{cache}/http-v2/{}/{}/{}/{}/{}/{key}.body",
                    key.get(0..1).unwrap_or("0"),
                    key.get(1..2).unwrap_or("0"),
                    key.get(2..3).unwrap_or("0"),
                    key.get(3..4).unwrap_or("0"),
                    key.get(4..5).unwrap_or("0"),
                );
                write_sized(ctx, &path, WHEEL_SIZE, 0o600);
            }
        }
        installed.push(format!("{}-{}", r.name, version_label));
    }
    if quiet == 0 {
        let names: Vec<&str> = reqs.iter().map(|r| r.name.as_str()).collect();
        ctx.out_str(&format!(
            "Installing collected packages: {}\n",
            names.join(", ")
        ))?;
        ctx.out_str(&format!("Successfully installed {}\n", installed.join(" ")))?;
    }
    if ctx.uid() == 0 && !root_action_ignore && python.venv.is_none() && quiet < 2 {
        let version = pip_version(ctx, python);
        if let Some(warning) = root_warning(version.as_deref()) {
            ctx.err(warning.as_bytes())?;
        }
    }
    let cache_note = if no_cache {
        "no download cache is kept (--no-cache-dir)"
    } else {
        "the wheels stay in ~/.cache/pip (size-only; --no-cache-dir would keep them out of the layer)"
    };
    ctx.approximated(&format!(
        "nothing was downloaded: each package is a size-only estimate ({} bytes), its dependencies are not resolved, unpinned versions are unknown; {cache_note}",
        PACKAGE_SIZE
    ));
    Ok(0)
}

fn pip_uninstall(ctx: &mut ProgramCtx<'_, '_>, python: &Python, args: &[String]) -> ProgResult {
    for a in args.iter().filter(|a| !a.starts_with('-')) {
        let Some(r) = parse_requirement(a) else {
            continue;
        };
        let module = normalized(&r.name);
        let infos = dir_entries_with(ctx, &python.site, &format!("{module}-"));
        if infos.is_empty() {
            ctx.err(format!("WARNING: Skipping {} as it is not installed.\n", r.name).as_bytes())?;
            continue;
        }
        ctx.out_str(&format!(
            "Found existing installation: {}\nUninstalling {}:\n  Successfully uninstalled {}\n",
            r.name, r.name, r.name
        ))?;
        for info in infos {
            let _ = ctx.remove_tree(&format!("{}/{info}", python.site));
        }
        let _ = ctx.remove_tree(&format!("{}/{module}", python.site));
    }
    Ok(0)
}

fn run_python(ctx: &mut ProgramCtx<'_, '_>, argv: &[String]) -> ProgResult {
    let name = program_name(argv, "python3");
    if let Some(missing) = super::lang_support::require(ctx, argv, &name) {
        return missing;
    }
    let invoked = argv.first().cloned().unwrap_or_else(|| name.clone());
    let major = major_of(&name);
    let python = locate_python(ctx, &invoked, major);
    let args = argv.get(1..).unwrap_or_default();
    let mut i = 0;
    // Interpreter flags that do not change what we model.
    while let Some(a) = args.get(i) {
        if matches!(
            a.as_str(),
            "-u" | "-B" | "-E" | "-s" | "-S" | "-O" | "-OO" | "-q" | "-I"
        ) {
            i += 1;
        } else if a == "-W" || a == "-X" {
            i += 2;
        } else {
            break;
        }
    }
    match args.get(i).map(String::as_str) {
        Some("--version") | Some("-V") => {
            let text = match &python.version {
                Some(v) => format!("Python {v}\n"),
                None => {
                    ctx.approximated("the image does not record Python's patch version");
                    format!("Python {}\n", python.short)
                }
            };
            // Python 2 prints its version on stderr.
            if major == "2" {
                ctx.err(text.as_bytes())?;
            } else {
                ctx.out_str(&text)?;
            }
            Ok(0)
        }
        Some("-m") => match args.get(i + 1).map(String::as_str) {
            Some("pip") => pip(ctx, &python, args.get(i + 2..).unwrap_or_default()),
            Some("venv") | Some("virtualenv") => make_venv(
                ctx,
                &python,
                &invoked,
                args.get(i + 2..).unwrap_or_default(),
            ),
            Some(module) => {
                ctx.not_simulated(&format!(
                    "python -m {module}: Python code is not run in the playground"
                ));
                Ok(0)
            }
            None => {
                ctx.err(b"Argument expected for the -m option\n")?;
                Ok(2)
            }
        },
        Some("-c") => {
            let code = args.get(i + 1).cloned().unwrap_or_default();
            match trivial_print(&code, "print") {
                Some(text) => {
                    ctx.out_str(&format!("{text}\n"))?;
                    Ok(0)
                }
                None => {
                    ctx.not_simulated("Python code is not run in the playground");
                    Ok(0)
                }
            }
        }
        // A pip entry-point script (`/venv/bin/pip` runs `#!/venv/bin/python3.12 pip …`).
        Some(script)
            if read_text(ctx, script).is_some_and(|t| t.contains("from pip._internal")) =>
        {
            pip(ctx, &python, args.get(i + 1..).unwrap_or_default())
        }
        Some(script) if !script.starts_with('-') && !exists(ctx, script) => {
            let abs = ctx.abs(script);
            ctx.err(
                format!("{name}: can't open file '{abs}': [Errno 2] No such file or directory\n")
                    .as_bytes(),
            )?;
            Ok(2)
        }
        _ => {
            ctx.not_simulated("Python code is not run in the playground");
            Ok(0)
        }
    }
}

fn make_venv(
    ctx: &mut ProgramCtx<'_, '_>,
    python: &Python,
    invoked: &str,
    args: &[String],
) -> ProgResult {
    let without_pip = args.iter().any(|a| a == "--without-pip");
    let system_site = args.iter().any(|a| a == "--system-site-packages");
    let dirs: Vec<&String> = args.iter().filter(|a| !a.starts_with('-')).collect();
    if dirs.is_empty() {
        ctx.err(b"usage: venv [-h] [--system-site-packages] [--symlinks | --copies] [--clear]\n            [--upgrade] [--without-pip] [--prompt PROMPT] [--upgrade-deps]\n            ENV_DIR [ENV_DIR ...]\nvenv: error: the following arguments are required: ENV_DIR\n")?;
        return Ok(2);
    }
    let exe_path = if invoked.contains('/') {
        ctx.abs(invoked)
    } else {
        ctx.find_on_path(invoked)
            .unwrap_or_else(|| format!("/usr/bin/{invoked}"))
    };
    let bin_home = parent_of(&exe_path).to_string();
    let short = python.short.clone();
    let version = python.version.clone().unwrap_or_else(|| short.clone());
    for d in dirs {
        let root = ctx.abs(d);
        let root = root.trim_end_matches('/').to_string();
        if ctx.mkdir_p(&format!("{root}/bin"), 0o755).is_err() {
            ctx.err(format!("Error: [Errno 13] Permission denied: '{root}'\n").as_bytes())?;
            return Ok(1);
        }
        let site = format!("{root}/lib/python{short}/site-packages");
        let _ = ctx.mkdir_p(&site, 0o755);
        let _ = ctx.mkdir_p(&format!("{root}/include/python{short}"), 0o755);
        let _ = ctx.symlink("lib", &format!("{root}/lib64"));
        let cfg = format!(
            "home = {bin_home}\ninclude-system-site-packages = {system_site}\nversion = {version}\nexecutable = {bin_home}/python{short}\ncommand = {exe_path} -m venv {root}\n"
        );
        write_text(ctx, &format!("{root}/pyvenv.cfg"), &cfg, 0o644);
        let _ = ctx.symlink(&exe_path, &format!("{root}/bin/python"));
        let _ = ctx.symlink("python", &format!("{root}/bin/python3"));
        let _ = ctx.symlink("python", &format!("{root}/bin/python{short}"));
        let activate = format!(
            "# This file must be used with \"source bin/activate\" *from bash*\n# You cannot run it directly\n\ndeactivate () {{\n    if [ -n \"${{_OLD_VIRTUAL_PATH:-}}\" ] ; then\n        PATH=\"${{_OLD_VIRTUAL_PATH:-}}\"\n        export PATH\n        unset _OLD_VIRTUAL_PATH\n    fi\n    unset VIRTUAL_ENV\n    unset VIRTUAL_ENV_PROMPT\n    if [ ! \"${{1:-}}\" = \"nondestructive\" ] ; then\n        unset -f deactivate\n    fi\n}}\n\ndeactivate nondestructive\n\nVIRTUAL_ENV=\"{root}\"\nexport VIRTUAL_ENV\n\n_OLD_VIRTUAL_PATH=\"$PATH\"\nPATH=\"$VIRTUAL_ENV/bin:$PATH\"\nexport PATH\n\nVIRTUAL_ENV_PROMPT=\"({})\"\nexport VIRTUAL_ENV_PROMPT\n",
            base_name(&root)
        );
        write_text(ctx, &format!("{root}/bin/activate"), &activate, 0o644);
        for (script, size) in [
            ("activate.csh", 936),
            ("activate.fish", 2215),
            ("Activate.ps1", 9033),
        ] {
            write_sized(ctx, &format!("{root}/bin/{script}"), size, 0o644);
        }
        if !without_pip {
            let pip_script = format!("#!{root}/bin/python{short}\n# -*- coding: utf-8 -*-\nimport re\nimport sys\nfrom pip._internal.cli.main import main\nif __name__ == '__main__':\n    sys.argv[0] = re.sub(r'(-script\\.pyw|\\.exe)?$', '', sys.argv[0])\n    sys.exit(main())\n");
            for pip_name in ["pip", "pip3", &format!("pip{short}")] {
                write_text(ctx, &format!("{root}/bin/{pip_name}"), &pip_script, 0o755);
            }
            let pip_version = pip_version(ctx, python).unwrap_or_else(|| "unknown".to_string());
            write_sized(
                ctx,
                &format!("{site}/pip/__init__.py"),
                VENV_PIP_SIZE,
                0o644,
            );
            write_text(
                ctx,
                &format!("{site}/pip-{pip_version}.dist-info/INSTALLER"),
                "pip\n",
                0o644,
            );
        }
    }
    ctx.approximated("the venv's layout is real; pip inside it is a size-only estimate and activate is abbreviated");
    Ok(0)
}

fn run_easy_install(ctx: &mut ProgramCtx<'_, '_>, argv: &[String]) -> ProgResult {
    if let Some(missing) = super::lang_support::require(ctx, argv, "easy_install") {
        return missing;
    }
    let python = locate_python(ctx, "python3", "3");
    for a in argv.iter().skip(1).filter(|a| !a.starts_with('-')) {
        let Some(r) = parse_requirement(a) else {
            continue;
        };
        ctx.out_str(&format!("Searching for {}\n", r.shown))?;
        let version = r.version.clone().unwrap_or_else(|| "unknown".to_string());
        let egg = format!(
            "{}/{}-{version}-py{}.egg",
            python.site, r.name, python.short
        );
        write_sized(ctx, &egg, EGG_SIZE, 0o644);
        ctx.out_str(&format!(
            "Finished processing dependencies for {}\n",
            r.shown
        ))?;
    }
    let _ = is_dir(ctx, &python.site);
    ctx.approximated("nothing was downloaded: the egg is a size-only estimate");
    Ok(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requirements() {
        let r = |s: &str| parse_requirement(s).map(|r| (r.name, r.version));
        assert_eq!(
            r("awscli==1.10.15"),
            Some(("awscli".into(), Some("1.10.15".into())))
        );
        assert_eq!(r("wheel<0.46"), Some(("wheel".into(), None)));
        assert_eq!(r("Flask[async]>=2"), Some(("Flask".into(), None)));
        assert_eq!(
            r("git+git://github.com/docker/docker-py.git"),
            Some(("docker-py".into(), None))
        );
        assert_eq!(r("# comment"), None);
        assert_eq!(root_warning(None), None);
        assert_eq!(root_warning(Some("9.0.1")), None);
        assert_eq!(root_warning(Some("23.0.1")), Some(ROOT_WARNING_OLD));
        assert_eq!(root_warning(Some("24.2")), Some(ROOT_WARNING));
    }
}
