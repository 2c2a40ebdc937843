//! `dotnet`: restore, build and publish as far as the filesystem goes, plus `--version`,
//! `--info`, `tool install` and `nuget locals`. Nothing is compiled or downloaded.
//!
//! The project is the `.csproj`/`.fsproj`/`.vbproj` (or `.sln`) given or the only one in
//! the working directory (MSBuild's MSB1003/MSB1011 errors otherwise). Its name, target
//! framework, SDK (web or not) and PackageReferences are read from the file. `restore`
//! writes `obj/` and the NuGet packages folder (~/.nuget/packages, size-only);
//! `build` writes bin/<Configuration>/<tfm>/; `publish` writes the output directory
//! (`-o`, default bin/Release/<tfm>/[<rid>/]publish) with the app's dll, deps/runtime
//! config, apphost and — `--self-contained` — the runtime. Sizes are estimates
//! (flagged approximated).

use super::lang_support::{base_name, exists, home, read_text, write_sized, write_text};
use crate::engine::shell::programs::{ProgResult, ProgramCtx, Registry};

/// A small app's IL assembly (a web API sample is ~10–50 kB).
const APP_DLL: u64 = 24_000;
/// Its debug symbols (portable PDB).
const APP_PDB: u64 = 21_000;
/// The native launcher `dotnet publish` copies next to the dll on Linux (apphost ≈ 72 kB).
const APPHOST: u64 = 72_000;
/// A self-contained runtime (Microsoft.NETCore.App ≈ 70 MB; ASP.NET Core adds ≈ 20 MB).
const RUNTIME: u64 = 70_000_000;
const ASPNET_RUNTIME: u64 = 20_000_000;
/// One NuGet package in the global packages folder (nupkg + extracted lib), and its dll
/// copied into the publish output.
const NUGET_PACKAGE: u64 = 2_500_000;
const PACKAGE_DLL: u64 = 400_000;
/// obj/project.assets.json for a small project.
const ASSETS_JSON: u64 = 60_000;
/// A .NET tool's package extracted into the tool path.
const TOOL_SIZE: u64 = 30_000_000;

pub fn register(registry: &mut Registry) {
    registry.register("dotnet", run_dotnet);
}

/// What we read from the project file.
#[derive(Debug, Clone)]
struct Project {
    dir: String,
    file: String,
    name: String,
    tfm: String,
    web: bool,
    packages: Vec<(String, String)>,
}

fn tag(text: &str, name: &str) -> Option<String> {
    let open = format!("<{name}>");
    let start = text.find(&open)? + open.len();
    let end = text.get(start..)?.find(&format!("</{name}>"))? + start;
    Some(text.get(start..end)?.trim().to_string())
}

fn attribute(line: &str, name: &str) -> Option<String> {
    let key = format!("{name}=\"");
    let start = line.find(&key)? + key.len();
    let end = line.get(start..)?.find('"')? + start;
    Some(line.get(start..end)?.to_string())
}

fn read_project(ctx: &mut ProgramCtx<'_, '_>, path: &str) -> Project {
    let text = read_text(ctx, path).unwrap_or_default();
    let file_name = base_name(path).to_string();
    let name = tag(&text, "AssemblyName").unwrap_or_else(|| {
        file_name
            .rsplit_once('.')
            .map(|(n, _)| n.to_string())
            .unwrap_or(file_name.clone())
    });
    let tfm = tag(&text, "TargetFramework")
        .or_else(|| {
            tag(&text, "TargetFrameworks").map(|t| t.split(';').next().unwrap_or("").to_string())
        })
        .filter(|t| !t.is_empty() && !t.contains('$'))
        .unwrap_or_else(|| "net8.0".to_string());
    let packages = text
        .lines()
        .filter(|l| l.contains("<PackageReference"))
        .filter_map(|l| {
            Some((
                attribute(l, "Include")?,
                attribute(l, "Version").unwrap_or_default(),
            ))
        })
        .take(500)
        .collect();
    Project {
        dir: super::lang_support::parent_of(path).to_string(),
        file: path.to_string(),
        name,
        tfm,
        web: text.contains("Microsoft.NET.Sdk.Web"),
        packages,
    }
}

/// The project named on the command line or the only one in the working directory.
fn find_project(
    ctx: &mut ProgramCtx<'_, '_>,
    given: Option<&String>,
) -> Result<Vec<Project>, String> {
    let is_project =
        |n: &str| n.ends_with(".csproj") || n.ends_with(".fsproj") || n.ends_with(".vbproj");
    let path = match given {
        Some(g) => {
            let abs = ctx.abs(g);
            if !exists(ctx, &abs) {
                return Err(format!(
                    "MSBUILD : error MSB1009: Project file does not exist.\nSwitch: {g}\n"
                ));
            }
            if ctx.stat(&abs).map(|m| m.is_dir()).unwrap_or(false) {
                return find_in(ctx, &abs, is_project);
            }
            abs
        }
        None => {
            let cwd = ctx.cwd().to_string();
            return find_in(ctx, &cwd, is_project);
        }
    };
    if path.ends_with(".sln") {
        return Ok(solution_projects(ctx, &path));
    }
    Ok(vec![read_project(ctx, &path)])
}

fn find_in(
    ctx: &mut ProgramCtx<'_, '_>,
    dir: &str,
    is_project: impl Fn(&str) -> bool,
) -> Result<Vec<Project>, String> {
    let names = ctx.read_dir(dir).unwrap_or_default();
    let projects: Vec<&String> = names.iter().filter(|n| is_project(n)).collect();
    let solutions: Vec<&String> = names.iter().filter(|n| n.ends_with(".sln")).collect();
    match (projects.len(), solutions.len()) {
        (1, _) => Ok(vec![read_project(ctx, &format!("{dir}/{}", projects[0]))]),
        (0, 1) => Ok(solution_projects(ctx, &format!("{dir}/{}", solutions[0]))),
        (0, 0) => Err("MSBUILD : error MSB1003: Specify a project or solution file. The current working directory does not contain a project or solution file.\n".to_string()),
        _ => Err("MSBUILD : error MSB1011: Specify which project or solution file to use because this folder contains more than one project or solution file.\n".to_string()),
    }
}

/// Projects listed in a solution file (`Project(...) = "Name", "path\\x.csproj", ...`).
fn solution_projects(ctx: &mut ProgramCtx<'_, '_>, sln: &str) -> Vec<Project> {
    let text = read_text(ctx, sln).unwrap_or_default();
    let dir = super::lang_support::parent_of(sln).to_string();
    let paths: Vec<String> = text
        .lines()
        .filter(|l| l.starts_with("Project("))
        .filter_map(|l| l.split('"').nth(5).map(|p| p.replace('\\', "/")))
        .filter(|p| p.ends_with("proj"))
        .take(200)
        .collect();
    paths
        .iter()
        .map(|p| read_project(ctx, &format!("{dir}/{p}")))
        .collect()
}

struct Options {
    configuration: Option<String>,
    output: Option<String>,
    runtime: Option<String>,
    self_contained: bool,
    no_restore: bool,
    project: Option<String>,
}

fn parse_options(args: &[String]) -> Options {
    let mut o = Options {
        configuration: None,
        output: None,
        runtime: None,
        self_contained: false,
        no_restore: false,
        project: None,
    };
    let mut iter = args.iter();
    while let Some(a) = iter.next() {
        let (flag, inline) = match a.split_once('=') {
            Some((f, v)) if f.starts_with('-') => (f, Some(v.to_string())),
            _ => (a.as_str(), None),
        };
        let mut value = || inline.clone().or_else(|| iter.next().cloned());
        match flag {
            "-c" | "--configuration" => o.configuration = value(),
            "-o" | "--output" => o.output = value(),
            "-r" | "--runtime" => o.runtime = value(),
            "-a" | "--arch" => {
                let arch = value().unwrap_or_default();
                let arch = match arch.as_str() {
                    "amd64" => "x64".to_string(),
                    "aarch64" => "arm64".to_string(),
                    _ => arch,
                };
                o.runtime = Some(format!("linux-{arch}"));
            }
            "--self-contained" | "--sc" => {
                o.self_contained = inline.as_deref() != Some("false");
            }
            "--no-self-contained" => o.self_contained = false,
            "--no-restore" => o.no_restore = true,
            "-f" | "--framework" | "-p" | "--property" | "-v" | "--verbosity" | "--os" | "-s"
            | "--source" | "--packages" | "--version-suffix" => {
                let _ = value();
            }
            f if f.starts_with("-p:") || f.starts_with("/p:") || f.starts_with('-') => {}
            _ => o.project = Some(a.clone()),
        }
    }
    o
}

fn run_dotnet(ctx: &mut ProgramCtx<'_, '_>, argv: &[String]) -> ProgResult {
    if let Some(missing) = super::lang_support::require(ctx, argv, "dotnet") {
        return missing;
    }
    let sub = argv.get(1).map(String::as_str).unwrap_or("");
    let args: Vec<String> = argv.iter().skip(2).cloned().collect();
    let sdk = ctx.env("DOTNET_SDK_VERSION");
    match sub {
        "--version" => {
            match sdk {
                Some(v) => ctx.out_str(&format!("{v}\n"))?,
                None => {
                    ctx.approximated(
                        "the SDK version is not recorded in this image (DOTNET_SDK_VERSION)",
                    );
                    ctx.out_str("(unknown)\n")?;
                }
            }
            Ok(0)
        }
        "--info" | "--list-sdks" | "--list-runtimes" | "help" | "--help" | "-h" | "" => {
            let v = sdk.unwrap_or_else(|| "(unknown)".to_string());
            let text = match sub {
                "--info" => format!(".NET SDK:\n Version:           {v}\n\nRuntime Environment:\n OS Name:     Linux\n RID:         linux-x64\n Base Path:   /usr/share/dotnet/sdk/{v}/\n"),
                "--list-sdks" => format!("{v} [/usr/share/dotnet/sdk]\n"),
                "--list-runtimes" => String::new(),
                _ => "Usage: dotnet [sdk-options] [command] [command-options] [arguments]\n\nExecute a .NET SDK command.\n".to_string(),
            };
            ctx.out_str(&text)?;
            ctx.approximated("dotnet's informational output is abbreviated in the playground");
            Ok(0)
        }
        "restore" | "build" | "publish" => build_like(ctx, sub, &args),
        "tool" => tool(ctx, &args),
        "nuget" if args.first().map(String::as_str) == Some("locals") => {
            let home = home(ctx);
            let _ = ctx.remove_tree(&format!("{home}/.nuget/packages"));
            let _ = ctx.remove_tree(&format!("{home}/.local/share/NuGet"));
            let _ = ctx.remove_tree("/tmp/NuGetScratch");
            ctx.out_str(&format!("Clearing NuGet HTTP cache: {home}/.local/share/NuGet/http-cache\nClearing NuGet global packages folder: {home}/.nuget/packages/\nClearing NuGet Temp cache: /tmp/NuGetScratch\nClearing NuGet plugins cache: {home}/.local/share/NuGet/plugin-cache\nLocal resources cleared.\n"))?;
            Ok(0)
        }
        "dev-certs" | "workload" | "new" | "clean" | "nuget" | "add" | "sln" => {
            ctx.approximated(&format!("dotnet {sub}: not modelled beyond succeeding"));
            Ok(0)
        }
        other => {
            ctx.not_simulated(&format!(
                "dotnet {other}: .NET programs are not run in the playground"
            ));
            Ok(0)
        }
    }
}

fn restore(ctx: &mut ProgramCtx<'_, '_>, p: &Project) -> ProgResult {
    let obj = format!("{}/obj", p.dir);
    write_sized(
        ctx,
        &format!("{obj}/project.assets.json"),
        ASSETS_JSON + 4_000 * p.packages.len() as u64,
        0o644,
    );
    let file = base_name(&p.file).to_string();
    write_sized(
        ctx,
        &format!("{obj}/{file}.nuget.dgspec.json"),
        3_000,
        0o644,
    );
    write_sized(ctx, &format!("{obj}/{file}.nuget.g.props"), 1_200, 0o644);
    write_sized(ctx, &format!("{obj}/{file}.nuget.g.targets"), 400, 0o644);
    write_sized(ctx, &format!("{obj}/project.nuget.cache"), 500, 0o644);
    let packages = format!("{}/.nuget/packages", home(ctx));
    for (name, version) in &p.packages {
        let lower = name.to_lowercase();
        let v = if version.is_empty() {
            "unknown"
        } else {
            version
        };
        write_sized(
            ctx,
            &format!("{packages}/{lower}/{v}/{lower}.{v}.nupkg"),
            NUGET_PACKAGE,
            0o644,
        );
    }
    ctx.out_str(&format!(
        "  Determining projects to restore...\n  Restored {} (in 1.0 sec).\n",
        p.file
    ))?;
    Ok(0)
}

fn build_like(ctx: &mut ProgramCtx<'_, '_>, sub: &str, args: &[String]) -> ProgResult {
    let o = parse_options(args);
    let projects = match find_project(ctx, o.project.as_ref()) {
        Ok(p) => p,
        Err(message) => {
            ctx.out_str(&message)?;
            return Ok(1);
        }
    };
    // .NET 8 publishes Release by default; build defaults to Debug.
    let config = o
        .configuration
        .clone()
        .unwrap_or_else(|| if sub == "publish" { "Release" } else { "Debug" }.to_string());
    if sub != "restore" {
        ctx.out_str("MSBuild version (unknown) for .NET\n")?;
    }
    for p in &projects {
        if sub == "restore" || !o.no_restore {
            restore(ctx, p)?;
        } else if !exists(ctx, &format!("{}/obj/project.assets.json", p.dir)) {
            ctx.out_str(&format!("/usr/share/dotnet/sdk/Microsoft.NET.Sdk/targets/Microsoft.PackageDependencyResolution.targets(266,5): error NETSDK1004: Assets file '{}/obj/project.assets.json' not found. Run a NuGet package restore to generate this file. [{}]\n", p.dir, p.file))?;
            return Ok(1);
        }
        if sub == "restore" {
            continue;
        }
        let rid_dir = o
            .runtime
            .as_ref()
            .map(|r| format!("{r}/"))
            .unwrap_or_default();
        let bin = format!("{}/bin/{config}/{}/{rid_dir}", p.dir, p.tfm);
        let obj = format!("{}/obj/{config}/{}/{rid_dir}", p.dir, p.tfm);
        write_sized(ctx, &format!("{obj}{}.dll", p.name), APP_DLL, 0o644);
        write_app(ctx, p, &bin, false, &o)?;
        ctx.out_str(&format!("  {} -> {bin}{}.dll\n", p.name, p.name))?;
        if sub == "publish" {
            let out = match &o.output {
                Some(d) => format!("{}/", ctx.abs(d).trim_end_matches('/')),
                None => format!("{bin}publish/"),
            };
            write_app(ctx, p, &out, true, &o)?;
            ctx.out_str(&format!("  {} -> {out}\n", p.name))?;
        }
    }
    if sub == "build" {
        ctx.out_str(
            "\nBuild succeeded.\n    0 Warning(s)\n    0 Error(s)\n\nTime Elapsed 00:00:01.00\n",
        )?;
    }
    ctx.approximated("nothing was compiled or downloaded: the assemblies, NuGet packages and runtime are size-only estimates; timings are stand-ins");
    Ok(0)
}

/// The files of a built or published app in `dir` (ending in `/`).
fn write_app(
    ctx: &mut ProgramCtx<'_, '_>,
    p: &Project,
    dir: &str,
    publish: bool,
    o: &Options,
) -> Result<(), crate::engine::shell::programs::ProgramAbort> {
    ctx.steps(1 + p.packages.len() as u64)?;
    let name = &p.name;
    write_sized(ctx, &format!("{dir}{name}.dll"), APP_DLL, 0o644);
    write_sized(ctx, &format!("{dir}{name}.pdb"), APP_PDB, 0o644);
    write_sized(ctx, &format!("{dir}{name}"), APPHOST, 0o755);
    write_sized(
        ctx,
        &format!("{dir}{name}.deps.json"),
        1_000 + 1_500 * p.packages.len() as u64,
        0o644,
    );
    let version = p.tfm.trim_start_matches("net");
    let framework = if p.web {
        "Microsoft.AspNetCore.App"
    } else {
        "Microsoft.NETCore.App"
    };
    let config = format!("{{\n  \"runtimeOptions\": {{\n    \"tfm\": \"{}\",\n    \"framework\": {{\n      \"name\": \"{framework}\",\n      \"version\": \"{version}.0\"\n    }},\n    \"configProperties\": {{\n      \"System.Runtime.Serialization.EnableUnsafeBinaryFormatterSerialization\": false\n    }}\n  }}\n}}", p.tfm);
    write_text(
        ctx,
        &format!("{dir}{name}.runtimeconfig.json"),
        &config,
        0o644,
    );
    for (package, _) in &p.packages {
        write_sized(ctx, &format!("{dir}{package}.dll"), PACKAGE_DLL, 0o644);
    }
    if publish {
        // appsettings*.json are copied to the output, as the SDK's content items are.
        let names = ctx.read_dir(&p.dir).unwrap_or_default();
        for n in names
            .iter()
            .filter(|n| n.starts_with("appsettings") && n.ends_with(".json"))
        {
            let src = format!("{}/{n}", p.dir);
            match ctx.read(&src) {
                Ok(content) => {
                    let data: crate::engine::shell::fs::Data<'_> = (&content).into();
                    let _ = ctx.write_mode(&format!("{dir}{n}"), data, 0o644);
                }
                Err(_) => continue,
            }
        }
        if p.web {
            write_sized(ctx, &format!("{dir}web.config"), 500, 0o644);
        }
        if o.self_contained {
            let size = RUNTIME + if p.web { ASPNET_RUNTIME } else { 0 };
            write_sized(ctx, &format!("{dir}libcoreclr.so"), size, 0o755);
        }
    }
    Ok(())
}

fn tool(ctx: &mut ProgramCtx<'_, '_>, args: &[String]) -> ProgResult {
    if args.first().map(String::as_str) != Some("install")
        && args.first().map(String::as_str) != Some("update")
    {
        ctx.approximated("dotnet tool: not modelled beyond succeeding");
        return Ok(0);
    }
    let mut tool_path: Option<String> = None;
    let mut global = false;
    let mut version: Option<String> = None;
    let mut name: Option<String> = None;
    let mut iter = args.iter().skip(1);
    while let Some(a) = iter.next() {
        match a.as_str() {
            "--tool-path" => tool_path = iter.next().cloned(),
            "-g" | "--global" => global = true,
            "--version" => version = iter.next().cloned(),
            "--add-source" | "--configfile" | "--framework" | "-a" | "--arch" | "-v"
            | "--verbosity" => {
                iter.next();
            }
            s if s.starts_with('-') => {}
            s => name = Some(s.to_string()),
        }
    }
    let Some(name) = name else {
        ctx.err(b"Required argument missing for command: 'install'.\n")?;
        return Ok(1);
    };
    let dir = match (tool_path, global) {
        (Some(p), _) => ctx.abs(&p),
        (None, true) => format!("{}/.dotnet/tools", home(ctx)),
        (None, false) => {
            ctx.approximated("local tool manifests are not modelled");
            return Ok(0);
        }
    };
    let lower = name.to_lowercase();
    let v = version.clone().unwrap_or_else(|| "unknown".to_string());
    write_sized(
        ctx,
        &format!("{dir}/.store/{lower}/{v}/{lower}.{v}.nupkg"),
        TOOL_SIZE,
        0o644,
    );
    // A tool's command is declared in its package; most use the package id, PowerShell's
    // packages install `pwsh`.
    let command = if lower.starts_with("powershell") {
        "pwsh".to_string()
    } else {
        lower.clone()
    };
    write_sized(ctx, &format!("{dir}/{command}"), APPHOST, 0o755);
    ctx.out_str(&format!("You can invoke the tool using the following command: {command}\nTool '{lower}' (version '{v}') was successfully installed.\n"))?;
    ctx.approximated("the tool was not downloaded: its package is a size-only estimate and its command name is taken from the package id");
    Ok(0)
}
