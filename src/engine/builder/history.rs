//! The `created_by` text of image history entries, exactly as each builder writes it
//! (docker-semantics §2.1). BuildKit writes Dockerfile-like text with ` # buildkit` after
//! steps that touch the filesystem and the comment `buildkit.dockerfile.v0`; the legacy
//! builder writes the committed container's command: the shell, then `#(nop) ` and the text
//! for metadata steps (two spaces for most, one for COPY/ADD/WORKDIR).

pub use crate::expand::scope::BuilderKind;
use crate::text::{go_list, go_quote_list};

/// BuildKit's history comment on every entry it writes.
pub const BUILDKIT_COMMENT: &str = "buildkit.dockerfile.v0";

/// What a step did, with every value already expanded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HistoryStep {
    Run {
        /// The argv that runs: the shell plus the command for shell form, or the exec array.
        argv: Vec<String>,
        /// The build-arg prefix `|n K=V …` as each builder writes it (see
        /// `expand::scope::StageScope::run_history_prefix`).
        prefix: Option<String>,
    },
    Copy {
        add: bool,
        parents: bool,
        chown: Option<String>,
        chmod: Option<String>,
        sources: Vec<String>,
        /// Names of heredoc sources (`COPY <<EOF /dst`).
        heredocs: Vec<String>,
        dest: String,
        /// The legacy builder's content hash of the sources: `file:…`, `dir:…` or `multi:…`.
        legacy_source_hash: String,
    },
    Workdir(String),
    Env(Vec<(String, String)>),
    Label(Vec<(String, String)>),
    /// Declared args as each builder writes them (`K=V` or `K`, see
    /// `expand::scope::DeclaredArg::history`).
    Arg(Vec<String>),
    User(String),
    /// EXPOSE: the words as written (legacy) and the normalised `port/proto` set (BuildKit).
    Expose {
        words: Vec<String>,
        ports: Vec<String>,
    },
    Cmd(Vec<String>),
    Entrypoint(Vec<String>),
    StopSignal(String),
    Volume(Vec<String>),
    Shell(Vec<String>),
    /// HEALTHCHECK as BuildKit prints the config struct (`{Test:[…] Interval:0s …}`).
    Healthcheck(String),
    Maintainer(String),
    /// ONBUILD: the trigger text as written.
    Onbuild(String),
}

/// One history entry's text and comment; `None` when the builder writes no entry (BuildKit's
/// ONBUILD).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryText {
    pub created_by: String,
    pub comment: Option<&'static str>,
}

/// The history text a builder writes for a step, given the stage's current SHELL.
pub fn history_text(
    kind: BuilderKind,
    step: &HistoryStep,
    shell: &[String],
) -> Option<HistoryText> {
    match kind {
        BuilderKind::BuildKit => buildkit_text(step).map(|created_by| HistoryText {
            created_by,
            comment: Some(BUILDKIT_COMMENT),
        }),
        BuilderKind::Legacy => Some(HistoryText {
            created_by: legacy_text(step, shell),
            comment: None,
        }),
    }
}

/// The HEALTHCHECK config as Go's `%+v` prints it; durations in nanoseconds, in the order
/// interval, timeout, start period, start interval.
pub fn healthcheck_config_text(test: &[String], durations: [u64; 4], retries: i64) -> String {
    let [interval, timeout, start_period, start_interval] = durations.map(go_duration);
    format!(
        "{{Test:{} Interval:{interval} Timeout:{timeout} StartPeriod:{start_period} \
         StartInterval:{start_interval} Retries:{retries}}}",
        go_list(test)
    )
}

/// Go's `time.Duration.String()`.
pub fn go_duration(nanos: u64) -> String {
    fn fraction(value: u64, unit: u64) -> String {
        let whole = value / unit;
        let rest = value % unit;
        if rest == 0 {
            return whole.to_string();
        }
        let digits = unit.to_string().len() - 1;
        let text = format!("{whole}.{rest:0digits$}");
        text.trim_end_matches('0').to_string()
    }
    const SECOND: u64 = 1_000_000_000;
    match nanos {
        0 => "0s".to_string(),
        n if n < 1_000 => format!("{n}ns"),
        n if n < 1_000_000 => format!("{}µs", fraction(n, 1_000)),
        n if n < SECOND => format!("{}ms", fraction(n, 1_000_000)),
        n => {
            let hours = n / (3600 * SECOND);
            let minutes = n / (60 * SECOND) % 60;
            let seconds = fraction(n % (60 * SECOND), SECOND);
            match (hours, minutes) {
                (0, 0) => format!("{seconds}s"),
                (0, m) => format!("{m}m{seconds}s"),
                (h, m) => format!("{h}h{m}m{seconds}s"),
            }
        }
    }
}

fn pairs(keyword: &str, pairs: &[(String, String)]) -> String {
    let mut text = keyword.to_string();
    for (key, value) in pairs {
        text.push_str(&format!(" {key}={value}"));
    }
    text
}

/// The build-arg prefix (if any) followed by the argv.
fn with_prefix(prefix: &Option<String>, argv: &[String]) -> String {
    let command = argv.join(" ");
    match prefix {
        Some(prefix) => format!("{prefix} {command}"),
        None => command,
    }
}

fn copy_text(step: &HistoryStep) -> String {
    let HistoryStep::Copy {
        add,
        parents,
        chown,
        chmod,
        sources,
        heredocs,
        dest,
        ..
    } = step
    else {
        return String::new();
    };
    let mut text = String::from(if *add { "ADD" } else { "COPY" });
    if *parents {
        text.push_str(" --parents");
    }
    if let Some(chown) = chown {
        text.push_str(&format!(" --chown={chown}"));
    }
    if let Some(chmod) = chmod {
        text.push_str(&format!(" --chmod={chmod}"));
    }
    for source in sources {
        text.push_str(&format!(" {source}"));
    }
    for name in heredocs {
        text.push_str(&format!(" <<{name}"));
    }
    text.push_str(&format!(" {dest}"));
    text
}

fn buildkit_text(step: &HistoryStep) -> Option<String> {
    let text = match step {
        HistoryStep::Run { argv, prefix } => {
            format!("RUN {} # buildkit", with_prefix(prefix, argv))
        }
        HistoryStep::Copy { .. } => format!("{} # buildkit", copy_text(step)),
        HistoryStep::Workdir(path) => format!("WORKDIR {path}"),
        HistoryStep::Env(vars) => pairs("ENV", vars),
        HistoryStep::Label(labels) => pairs("LABEL", labels),
        HistoryStep::Arg(words) => format!("ARG {}", words.join(" ")),
        HistoryStep::User(user) => format!("USER {user}"),
        HistoryStep::Expose { ports, .. } => {
            // Go prints a map with its keys sorted as strings.
            let mut keys = ports.clone();
            keys.sort();
            keys.dedup();
            let entries: Vec<String> = keys.iter().map(|k| format!("{k}:{{}}")).collect();
            format!("EXPOSE map[{}]", entries.join(" "))
        }
        HistoryStep::Cmd(argv) => format!("CMD {}", go_quote_list(argv)),
        HistoryStep::Entrypoint(argv) => format!("ENTRYPOINT {}", go_quote_list(argv)),
        HistoryStep::StopSignal(signal) => format!("STOPSIGNAL {signal}"),
        HistoryStep::Volume(paths) => format!("VOLUME {}", go_list(paths)),
        HistoryStep::Shell(argv) => format!("SHELL {}", go_list(argv)),
        HistoryStep::Healthcheck(config) => format!("HEALTHCHECK {config}"),
        HistoryStep::Maintainer(name) => format!("MAINTAINER {name}"),
        HistoryStep::Onbuild(_) => return None,
    };
    Some(text)
}

fn legacy_text(step: &HistoryStep, shell: &[String]) -> String {
    let nop = |text: String| format!("{} #(nop)  {text}", shell.join(" "));
    match step {
        HistoryStep::Run { argv, prefix } => with_prefix(prefix, argv),
        HistoryStep::Copy {
            add,
            chown,
            dest,
            legacy_source_hash,
            ..
        } => {
            let keyword = if *add { "ADD" } else { "COPY" };
            let chown = chown
                .as_ref()
                .map(|c| format!("--chown={c} "))
                .unwrap_or_default();
            format!(
                "{} #(nop) {keyword} {chown}{legacy_source_hash} in {dest} ",
                shell.join(" ")
            )
        }
        HistoryStep::Workdir(path) => format!("{} #(nop) WORKDIR {path}", shell.join(" ")),
        HistoryStep::Env(vars) => nop(pairs("ENV", vars)),
        HistoryStep::Label(labels) => nop(pairs("LABEL", labels)),
        HistoryStep::Arg(words) => nop(format!("ARG {}", words.join(" "))),
        HistoryStep::User(user) => nop(format!("USER {user}")),
        HistoryStep::Expose { words, .. } => nop(format!("EXPOSE {}", words.join(" "))),
        HistoryStep::Cmd(argv) => nop(format!("CMD {}", go_quote_list(argv))),
        HistoryStep::Entrypoint(argv) => nop(format!("ENTRYPOINT {}", go_quote_list(argv))),
        HistoryStep::StopSignal(signal) => nop(format!("STOPSIGNAL {signal}")),
        HistoryStep::Volume(paths) => nop(format!("VOLUME {}", go_list(paths))),
        HistoryStep::Shell(argv) => nop(format!("SHELL {}", go_list(argv))),
        HistoryStep::Healthcheck(config) => nop(format!("HEALTHCHECK {config}")),
        HistoryStep::Maintainer(name) => nop(format!("MAINTAINER {name}")),
        HistoryStep::Onbuild(trigger) => nop(format!("ONBUILD {trigger}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| s.to_string()).collect()
    }

    fn sh() -> Vec<String> {
        strings(&["/bin/sh", "-c"])
    }

    fn check(kind: BuilderKind, step: HistoryStep, expected: &str) {
        let text = history_text(kind, &step, &sh()).unwrap();
        assert_eq!(text.created_by, expected);
    }

    /// Expected strings are the real ones in ../shared/data/base-images.json and the
    /// examples of docker-semantics §2.1.
    #[test]
    fn legacy_strings() {
        use BuilderKind::Legacy;
        check(
            Legacy,
            HistoryStep::Env(vec![("NODE_VERSION".into(), "14.16.1".into())]),
            "/bin/sh -c #(nop)  ENV NODE_VERSION=14.16.1",
        );
        check(
            Legacy,
            HistoryStep::Cmd(strings(&["/bin/sh"])),
            r#"/bin/sh -c #(nop)  CMD ["/bin/sh"]"#,
        );
        check(
            Legacy,
            HistoryStep::Entrypoint(strings(&["docker-entrypoint.sh"])),
            r#"/bin/sh -c #(nop)  ENTRYPOINT ["docker-entrypoint.sh"]"#,
        );
        check(
            Legacy,
            HistoryStep::Workdir("/go".into()),
            "/bin/sh -c #(nop) WORKDIR /go",
        );
        check(
            Legacy,
            HistoryStep::Arg(vec!["RELEASE".into()]),
            "/bin/sh -c #(nop)  ARG RELEASE",
        );
        check(
            Legacy,
            HistoryStep::Expose {
                words: strings(&["80"]),
                ports: strings(&["80/tcp"]),
            },
            "/bin/sh -c #(nop)  EXPOSE 80",
        );
        check(
            Legacy,
            HistoryStep::StopSignal("SIGQUIT".into()),
            "/bin/sh -c #(nop)  STOPSIGNAL SIGQUIT",
        );
        check(
            Legacy,
            HistoryStep::Copy {
                add: false, parents: false, chown: None, chmod: None,
                sources: strings(&["docker-entrypoint.sh"]), heredocs: vec![],
                dest: "/usr/local/bin/".into(),
                legacy_source_hash: "file:238737301d47304174e4d24f4def935b29b3069c03c72ae8de97d94624382fce".into(),
            },
            "/bin/sh -c #(nop) COPY file:238737301d47304174e4d24f4def935b29b3069c03c72ae8de97d94624382fce in /usr/local/bin/ ",
        );
        check(
            Legacy,
            HistoryStep::Run {
                argv: strings(&["/bin/sh", "-c", "echo $B"]),
                prefix: Some("|2 A=1 B=2".into()),
            },
            "|2 A=1 B=2 /bin/sh -c echo $B",
        );
    }

    #[test]
    fn buildkit_strings() {
        use BuilderKind::BuildKit;
        check(
            BuildKit,
            HistoryStep::Expose {
                words: strings(&["6379"]),
                ports: strings(&["6379/tcp"]),
            },
            "EXPOSE map[6379/tcp:{}]",
        );
        check(
            BuildKit,
            HistoryStep::Expose {
                words: vec![],
                ports: strings(&["80/tcp", "443/tcp"]),
            },
            "EXPOSE map[443/tcp:{} 80/tcp:{}]",
        );
        check(BuildKit, HistoryStep::Workdir("/go".into()), "WORKDIR /go");
        check(
            BuildKit,
            HistoryStep::Cmd(strings(&["/bin/sh", "-c", "node app.js"])),
            r#"CMD ["/bin/sh" "-c" "node app.js"]"#,
        );
        check(
            BuildKit,
            HistoryStep::Volume(strings(&["/data"])),
            "VOLUME [/data]",
        );
        check(
            BuildKit,
            HistoryStep::Shell(strings(&["/bin/bash", "-c"])),
            "SHELL [/bin/bash -c]",
        );
        check(
            BuildKit,
            HistoryStep::Label(vec![(
                "maintainer".into(),
                "NGINX Docker Maintainers <docker-maint@nginx.com>".into(),
            )]),
            "LABEL maintainer=NGINX Docker Maintainers <docker-maint@nginx.com>",
        );
        check(
            BuildKit,
            HistoryStep::Run {
                argv: strings(&["/bin/sh", "-c", "apk add --no-cache curl"]),
                prefix: Some("|2 B=2 A=1".into()),
            },
            "RUN |2 B=2 A=1 /bin/sh -c apk add --no-cache curl # buildkit",
        );
        check(
            BuildKit,
            HistoryStep::Copy {
                add: false,
                parents: false,
                chown: Some("node:node".into()),
                chmod: None,
                sources: strings(&["app.js"]),
                heredocs: vec![],
                dest: "/app/".into(),
                legacy_source_hash: String::new(),
            },
            "COPY --chown=node:node app.js /app/ # buildkit",
        );
        check(BuildKit, HistoryStep::Arg(vec!["V=2".into()]), "ARG V=2");
        assert_eq!(
            history_text(BuildKit, &HistoryStep::Onbuild("RUN x".into()), &sh()),
            None
        );
        let text = history_text(BuildKit, &HistoryStep::Env(vec![]), &sh()).unwrap();
        assert_eq!(text.comment, Some(BUILDKIT_COMMENT));
    }

    /// ../shared/conformance/buildkit/extracted/dockerfile2llb.json → healthcheck_history.
    #[test]
    fn healthcheck_text_matches_buildkit_test() {
        let config = healthcheck_config_text(
            &strings(&["bin", "-c", "exit 0"]),
            [1_000_000_000, 10_000_000_000, 3_000_000_000, 100_000_000],
            5,
        );
        check(
            BuilderKind::BuildKit,
            HistoryStep::Healthcheck(config),
            "HEALTHCHECK {Test:[bin -c exit 0] Interval:1s Timeout:10s StartPeriod:3s StartInterval:100ms Retries:5}",
        );
    }

    #[test]
    fn go_durations() {
        for (nanos, text) in [
            (0, "0s"),
            (1, "1ns"),
            (1_500, "1.5µs"),
            (100_000_000, "100ms"),
            (1_000_000_000, "1s"),
            (90_000_000_000, "1m30s"),
            (3_600_000_000_000, "1h0m0s"),
            (1_500_000_000, "1.5s"),
        ] {
            assert_eq!(go_duration(nanos), text);
        }
    }
}
