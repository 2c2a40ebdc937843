//! AST nodes → typed instructions → stages (BuildKit's `ParseInstruction` and `Parse`).

use super::flags::{
    bool_flag, parse_flags, string_flag, strings_flag, FlagSpec, FlagValue, ParsedFlags,
};
use super::gofmt::{parse_duration, parse_int32};
use super::mount::{parse_device, parse_mount};
use super::*;
use crate::diagnostics::Diagnostic;
use crate::syntax::ast::{Arg, Ast, Node};
use crate::syntax::gostr::{equal_fold, suggest, to_lower, to_upper, trim_space};
use crate::syntax::heredoc::{chomp, must_parse_heredoc};
use crate::text::go_quote as quote;

const INSTRUCTION_NAMES: [&str; 18] = [
    "ADD",
    "ARG",
    "CMD",
    "COPY",
    "ENTRYPOINT",
    "ENV",
    "EXPOSE",
    "FROM",
    "HEALTHCHECK",
    "LABEL",
    "MAINTAINER",
    "ONBUILD",
    "RUN",
    "SHELL",
    "STOPSIGNAL",
    "USER",
    "VOLUME",
    "WORKDIR",
];

/// The result of [`lower`].
#[derive(Debug, Clone)]
pub struct Lowered {
    pub dockerfile: Dockerfile,
    /// Instruction-stage errors (BuildKit stops at the first) and warnings.
    pub diagnostics: Vec<Diagnostic>,
}

/// Lowers every valid instruction and groups them into stages (BuildKit's
/// `instructions.Parse`). Nodes the parser already marked invalid are skipped silently.
pub fn lower(ast: &Ast) -> Lowered {
    let mut diagnostics = Vec::new();
    let directive = |name: &str| {
        ast.directives
            .iter()
            .find(|d| d.name == name)
            .map(|d| Word {
                value: d.value.clone(),
                span: d.value_span,
            })
    };
    let mut dockerfile = Dockerfile {
        escape: ast.escape,
        syntax: directive("syntax"),
        check: directive("check"),
        global_args: Vec::new(),
        stages: Vec::new(),
    };
    for node in ast.instructions.iter().filter(|n| !n.invalid) {
        let instruction = match lower_node(node) {
            Ok((instruction, warnings)) => {
                diagnostics.extend(warnings);
                instruction
            }
            Err(diagnostic) => {
                diagnostics.push(diagnostic);
                continue;
            }
        };
        match instruction.kind {
            InstructionKind::From(from) => dockerfile.stages.push(Stage {
                doc_comment: doc_comment(
                    &instruction.comments,
                    from.name.as_ref().map_or("", |n| n.value.as_str()),
                ),
                name: from.name,
                base: from.base,
                platform: from.platform,
                keyword: instruction.keyword,
                span: instruction.span,
                start_line: instruction.start_line,
                end_line: instruction.end_line,
                code: instruction.code,
                comments: instruction.comments,
                instructions: Vec::new(),
            }),
            InstructionKind::Arg(_) if dockerfile.stages.is_empty() => {
                dockerfile.global_args.push(instruction);
            }
            _ => match dockerfile.stages.last_mut() {
                Some(stage) => stage.instructions.push(instruction),
                None => diagnostics.push(Diagnostic::error(
                    codes::NO_STAGE,
                    "no build stage in current context",
                    instruction.span,
                ).with_help("Start the Dockerfile with a FROM instruction (only ARG may come before it).")),
            },
        }
    }
    if dockerfile.stages.is_empty()
        && !ast.instructions.is_empty()
        && !diagnostics.iter().any(Diagnostic::is_error)
    {
        let at = ast
            .instructions
            .last()
            .map_or_else(Span::default, |n| n.span);
        diagnostics.push(Diagnostic::error(
            codes::NO_STAGES,
            "dockerfile contains no stages to build",
            at,
        ));
    }
    Lowered {
        dockerfile,
        diagnostics,
    }
}

/// One node → one typed instruction (BuildKit's `ParseInstruction`), plus warnings.
pub fn lower_node(node: &Node) -> Result<(Instruction, Vec<Diagnostic>), Diagnostic> {
    let mut warnings = Vec::new();
    let kind = Lowering {
        node,
        args: node_args(node),
        warnings: &mut warnings,
    }
    .kind()?;
    let instruction = Instruction {
        kind,
        keyword: Word {
            value: node.keyword.clone(),
            span: node.keyword_span,
        },
        code: trim_space(&node.original).1.to_string(),
        span: node.span,
        start_line: node.start_line,
        end_line: node.end_line,
        comments: node.comments.clone(),
    };
    Ok((instruction, warnings))
}

/// BuildKit's `nodeArgs`: argument values, the ONBUILD child flattened in.
fn node_args(node: &Node) -> Vec<Arg> {
    match &node.child {
        Some(child) => {
            let mut args = vec![Arg {
                value: child.keyword.clone(),
                span: child.keyword_span,
            }];
            args.extend(node_args(child));
            args
        }
        None => node.args.clone(),
    }
}

fn word(arg: &Arg) -> Word {
    Word {
        value: arg.value.clone(),
        span: arg.span,
    }
}

fn flag_word(v: FlagValue) -> Word {
    Word {
        value: v.value,
        span: v.span,
    }
}

/// `getDocComment`: the text after `<name> ` in the first comment line starting so.
fn doc_comment(comments: &[String], name: &str) -> String {
    if name.is_empty() {
        return String::new();
    }
    let prefix = format!("{name} ");
    comments
        .iter()
        .find_map(|c| c.strip_prefix(&prefix))
        .unwrap_or_default()
        .to_string()
}

struct Lowering<'a> {
    node: &'a Node,
    args: Vec<Arg>,
    warnings: &'a mut Vec<Diagnostic>,
}

type Lowered1<T> = Result<T, Diagnostic>;

impl Lowering<'_> {
    fn error(&self, code: &'static str, message: impl Into<String>) -> Diagnostic {
        Diagnostic::error(code, message, self.node.keyword_span)
    }

    fn flags(&self, specs: &[FlagSpec]) -> Lowered1<ParsedFlags> {
        parse_flags(&self.node.flags, specs)
            .map_err(|e| Diagnostic::error(codes::INVALID_FLAG, e.message, e.span))
    }

    fn exactly_one(&self, name: &str) -> Lowered1<Word> {
        match self.args.as_slice() {
            [one] => Ok(word(one)),
            _ => Err(self.error(
                codes::ARGUMENT_COUNT,
                format!("{name} requires exactly one argument"),
            )),
        }
    }

    fn at_least_one(&self, name: &str) -> Lowered1<()> {
        if self.args.is_empty() {
            return Err(self.error(
                codes::ARGUMENT_COUNT,
                format!("{name} requires at least one argument"),
            ));
        }
        Ok(())
    }

    fn kind(mut self) -> Lowered1<InstructionKind> {
        let lower = to_lower(&self.node.keyword);
        Ok(match lower.as_str() {
            "env" => {
                self.flags(&[])?;
                InstructionKind::Env(self.key_values("ENV")?)
            }
            "label" => {
                self.flags(&[])?;
                InstructionKind::Label(self.key_values("LABEL")?)
            }
            "maintainer" => {
                let who = self.exactly_one("MAINTAINER")?;
                self.flags(&[])?;
                InstructionKind::Maintainer(who)
            }
            "add" => InstructionKind::Add(self.add()?),
            "copy" => InstructionKind::Copy(self.copy()?),
            "from" => InstructionKind::From(self.from()?),
            "onbuild" => InstructionKind::Onbuild(self.onbuild()?),
            "workdir" => {
                let path = self.exactly_one("WORKDIR")?;
                self.flags(&[])?;
                InstructionKind::Workdir(path)
            }
            "run" => InstructionKind::Run(self.run()?),
            "cmd" => {
                self.flags(&[])?;
                InstructionKind::Cmd(self.command_line(&self.args, true))
            }
            "entrypoint" => {
                self.flags(&[])?;
                InstructionKind::Entrypoint(self.command_line(&self.args, true))
            }
            "healthcheck" => InstructionKind::Healthcheck(self.healthcheck()?),
            "expose" => {
                self.at_least_one("EXPOSE")?;
                self.flags(&[])?;
                let mut ports: Vec<Word> = self.args.iter().map(word).collect();
                ports.sort_by(|a, b| a.value.cmp(&b.value));
                InstructionKind::Expose(ports)
            }
            "user" => {
                let user = self.exactly_one("USER")?;
                self.flags(&[])?;
                InstructionKind::User(user)
            }
            "volume" => {
                self.at_least_one("VOLUME")?;
                self.flags(&[])?;
                let mut volumes = Vec::new();
                for arg in &self.args {
                    let (_, trimmed) = trim_space(&arg.value);
                    if trimmed.is_empty() {
                        return Err(Diagnostic::error(
                            codes::INVALID_ARGUMENT,
                            "VOLUME specified can not be an empty string",
                            arg.span,
                        ));
                    }
                    volumes.push(Word {
                        value: trimmed.to_string(),
                        span: arg.span,
                    });
                }
                InstructionKind::Volume(volumes)
            }
            // BuildKit does not check STOPSIGNAL's or ARG's flags.
            "stopsignal" => InstructionKind::StopSignal(self.exactly_one("STOPSIGNAL")?),
            "arg" => InstructionKind::Arg(self.arg()?),
            "shell" => {
                self.flags(&[])?;
                if self.args.is_empty() {
                    return Err(self.error(
                        codes::ARGUMENT_COUNT,
                        "SHELL requires at least one argument",
                    ));
                }
                if !self.node.json {
                    return Err(Diagnostic::error(
                        codes::JSON_REQUIRED,
                        "SHELL requires the arguments to be in JSON form",
                        self.node.span,
                    )
                    .with_help(r#"Write it as a JSON array, e.g. SHELL ["/bin/bash", "-c"]"#));
                }
                InstructionKind::Shell(self.args.iter().map(word).collect())
            }
            _ => {
                let mut message = format!("unknown instruction: {}", self.node.keyword);
                if let Some(hint) = suggest(&self.node.keyword, INSTRUCTION_NAMES, false) {
                    message.push_str(&format!(" (did you mean {hint}?)"));
                }
                return Err(self.error(codes::UNKNOWN_INSTRUCTION, message));
            }
        })
    }

    /// `parseKvps`: (key, value, separator) triples.
    fn key_values(&self, name: &str) -> Lowered1<Vec<KeyValue>> {
        if self.args.is_empty() {
            return Err(self.error(
                codes::ARGUMENT_COUNT,
                format!("{name} requires at least one argument"),
            ));
        }
        if self.args.len() % 3 != 0 {
            return Err(self.error(
                codes::ARGUMENT_COUNT,
                format!("Bad input to {name}, too many arguments"),
            ));
        }
        let mut pairs = Vec::new();
        for triple in self.args.chunks(3) {
            let [key, value, delim] = triple else {
                continue;
            };
            if key.value.is_empty() {
                return Err(Diagnostic::error(
                    codes::INVALID_ARGUMENT,
                    format!("{name} names can not be blank"),
                    key.span.cover(value.span),
                ));
            }
            pairs.push(KeyValue {
                key: word(key),
                value: word(value),
                no_delim: delim.value.is_empty(),
            });
        }
        Ok(pairs)
    }

    fn arg(&self) -> Lowered1<Vec<ArgDef>> {
        self.at_least_one("ARG")?;
        let mut defs = Vec::new();
        for arg in &self.args {
            let (key, value) = match arg.value.split_once('=') {
                Some((k, v)) => {
                    if k.is_empty() {
                        return Err(Diagnostic::error(
                            codes::INVALID_ARGUMENT,
                            "ARG names can not be blank",
                            arg.span,
                        ));
                    }
                    let split = arg.span.start + k.len();
                    let key = Word {
                        value: k.to_string(),
                        span: Span::new(arg.span.start, split.min(arg.span.end)),
                    };
                    let value = Word {
                        value: v.to_string(),
                        span: Span::new((split + 1).min(arg.span.end), arg.span.end),
                    };
                    (key, Some(value))
                }
                None => (word(arg), None),
            };
            defs.push(ArgDef {
                doc_comment: doc_comment(&self.node.comments, &key.value),
                key,
                value,
            });
        }
        Ok(defs)
    }

    fn from(&self) -> Lowered1<From> {
        let name = match self.args.as_slice() {
            [_, as_word, name] if equal_fold(&as_word.value, "as") => {
                let lower = to_lower(&name.value);
                if !is_valid_stage_name(&lower) {
                    return Err(Diagnostic::error(
                        codes::INVALID_STAGE_NAME,
                        format!(
                            "invalid name for build stage: {}, name can't start with a number or contain symbols",
                            quote(&name.value)
                        ),
                        name.span,
                    ));
                }
                Some(Word {
                    value: lower,
                    span: name.span,
                })
            }
            [_] => None,
            _ => {
                return Err(self.error(
                    codes::ARGUMENT_COUNT,
                    "FROM requires either one or three arguments",
                ))
            }
        };
        let flags = self.flags(&[string_flag("platform", "")])?;
        let base = self.args.first().map(word).unwrap_or(Word {
            value: String::new(),
            span: self.node.keyword_span,
        });
        Ok(From {
            base,
            name,
            platform: flags.string("platform").map(flag_word),
        })
    }

    fn onbuild(&self) -> Lowered1<Onbuild> {
        self.at_least_one("ONBUILD")?;
        self.flags(&[])?;
        let first = &self.args[0];
        let trigger = to_upper(trim_space(&first.value).1);
        match trigger.as_str() {
            "ONBUILD" => {
                return Err(Diagnostic::error(
                    codes::ONBUILD_TRIGGER,
                    "Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed",
                    first.span,
                ))
            }
            "MAINTAINER" | "FROM" => {
                return Err(Diagnostic::error(
                    codes::ONBUILD_TRIGGER,
                    format!("{trigger} isn't allowed as an ONBUILD trigger"),
                    first.span,
                ))
            }
            _ => {}
        }
        let mut expression = strip_onbuild(&self.node.original).to_string();
        for heredoc in &self.node.heredocs {
            expression.push('\n');
            expression.push_str(&heredoc.content);
            expression.push_str(&heredoc.name);
        }
        Ok(Onbuild {
            expression,
            trigger: word(first),
        })
    }

    /// `handleJSONArgs` + `parseShellDependentCommand`.
    fn command_line(&self, args: &[Arg], with_files: bool) -> CommandLine {
        let args = if self.node.json || args.is_empty() {
            args.iter().map(word).collect()
        } else {
            let value = args
                .iter()
                .map(|a| a.value.as_str())
                .collect::<Vec<_>>()
                .join(" ");
            let span = args
                .iter()
                .map(|a| a.span)
                .reduce(Span::cover)
                .unwrap_or_default();
            vec![Word { value, span }]
        };
        let files = if with_files {
            self.node
                .heredocs
                .iter()
                .map(|h| InlineFile {
                    name: h.name.clone(),
                    data: h.content.clone(),
                    chomp: h.chomp,
                    expand: h.expand,
                    span: h.body_span,
                })
                .collect()
        } else {
            Vec::new()
        };
        CommandLine {
            args,
            shell_form: !self.node.json,
            files,
        }
    }

    fn run(&mut self) -> Lowered1<Run> {
        let flags = self.flags(&[
            strings_flag("device"),
            strings_flag("mount"),
            string_flag("network", "default"),
            string_flag("security", "sandbox"),
        ])?;
        let command = self.command_line(&self.args, true);
        let flag_error =
            |message: String, span: Span| Diagnostic::error(codes::INVALID_FLAG, message, span);
        let mut devices = Vec::new();
        for value in flags.strings("device") {
            devices.push(parse_device(&value.value).map_err(|e| flag_error(e, value.span))?);
        }
        let mut mounts = Vec::new();
        for value in flags.strings("mount") {
            parse_mount(&value.value, None)
                .map_err(|e| Diagnostic::error(codes::INVALID_MOUNT, e, value.span))?;
            mounts.push(value);
        }
        let network = match flags.string_or_default("network").as_str() {
            "default" => Network::Default,
            "none" => Network::None,
            "host" => Network::Host,
            other => {
                let span = flags
                    .strings("network")
                    .last()
                    .map_or(self.node.span, |v| v.span);
                return Err(flag_error(
                    format!("invalid network mode {}", quote(other)),
                    span,
                ));
            }
        };
        let security = match flags.string_or_default("security").as_str() {
            "sandbox" => Security::Sandbox,
            "insecure" => Security::Insecure,
            other => {
                let span = flags
                    .strings("security")
                    .last()
                    .map_or(self.node.span, |v| v.span);
                return Err(flag_error(
                    format!("security {} is not valid", quote(other)),
                    span,
                ));
            }
        };
        let mounts = mounts
            .into_iter()
            .map(|value| self.mount_flag(value))
            .collect();
        Ok(Run {
            command,
            mounts,
            network,
            security,
            devices,
            flags_used: flags.used_names(),
        })
    }

    /// A mount whose value needs no expansion is checked fully now. BuildKit does that only
    /// when it builds the stage, so a failure is a warning here (the builder reports it).
    fn mount_flag(&mut self, value: FlagValue) -> MountFlag {
        let literal = !value.value.contains(['$', '\'', '"', '\\', '`']);
        let mut mount = None;
        if literal {
            let mut identity = |v: &str| Ok(v.to_string());
            match parse_mount(&value.value, Some(&mut identity)) {
                Ok(m) => mount = Some(m),
                Err(message) => self.warnings.push(
                    Diagnostic::warning(codes::INVALID_MOUNT, message, value.span)
                        .with_help("BuildKit reports this error when it builds this stage."),
                ),
            }
        }
        MountFlag {
            raw: flag_word(value),
            mount,
        }
    }

    /// `parseSourcesAndDest`.
    fn sources_and_dest(&self, name: &str) -> Lowered1<(Vec<Word>, Vec<InlineFile>, Word)> {
        let Some((dest, sources)) = self.args.split_last() else {
            return Err(self.no_destination(name));
        };
        if must_parse_heredoc(&dest.value).is_some() {
            return Err(Diagnostic::error(
                codes::HEREDOC_DESTINATION,
                format!("{name} cannot accept a heredoc as a destination"),
                dest.span,
            ));
        }
        let mut paths = Vec::new();
        let mut contents = Vec::new();
        for source in sources {
            match must_parse_heredoc(&source.value) {
                Some(doc) => {
                    let found = self.node.heredocs.iter().rev().find(|h| h.name == doc.name);
                    let raw = found.map(|h| h.content.as_str()).unwrap_or_default();
                    contents.push(InlineFile {
                        data: if doc.chomp {
                            chomp(raw)
                        } else {
                            raw.to_string()
                        },
                        name: doc.name,
                        chomp: doc.chomp,
                        expand: doc.expand,
                        span: found.map_or(source.span, |h| h.body_span),
                    });
                }
                None => paths.push(word(source)),
            }
        }
        Ok((paths, contents, word(dest)))
    }

    fn no_destination(&self, name: &str) -> Diagnostic {
        self.error(
            codes::ARGUMENT_COUNT,
            format!("{name} requires at least two arguments, but only one was provided. Destination could not be determined"),
        )
    }

    fn add(&self) -> Lowered1<Add> {
        if self.args.len() < 2 {
            return Err(self.no_destination("ADD"));
        }
        let flags = self.flags(&[
            string_flag("chown", ""),
            string_flag("chmod", ""),
            bool_flag("link"),
            bool_flag("keep-git-dir"),
            string_flag("checksum", ""),
            bool_flag("unpack"),
            strings_flag("exclude"),
        ])?;
        let (source_paths, source_contents, dest) = self.sources_and_dest("ADD")?;
        let optional_bool = |name: &str| flags.used(name).then(|| flags.bool(name));
        Ok(Add {
            source_paths,
            source_contents,
            dest,
            chown: flags.string("chown").map(flag_word),
            chmod: flags.string("chmod").map(flag_word),
            link: flags.bool("link"),
            keep_git_dir: optional_bool("keep-git-dir"),
            checksum: flags.string("checksum").map(flag_word),
            unpack: optional_bool("unpack"),
            exclude: flags
                .strings("exclude")
                .into_iter()
                .map(flag_word)
                .collect(),
        })
    }

    fn copy(&self) -> Lowered1<Copy> {
        if self.args.len() < 2 {
            return Err(self.no_destination("COPY"));
        }
        let flags = self.flags(&[
            string_flag("chown", ""),
            string_flag("from", ""),
            string_flag("chmod", ""),
            bool_flag("link"),
            strings_flag("exclude"),
            bool_flag("parents"),
        ])?;
        let (source_paths, source_contents, dest) = self.sources_and_dest("COPY")?;
        Ok(Copy {
            source_paths,
            source_contents,
            dest,
            from: flags.string("from").map(flag_word),
            chown: flags.string("chown").map(flag_word),
            chmod: flags.string("chmod").map(flag_word),
            link: flags.bool("link"),
            parents: flags.bool("parents"),
            exclude: flags
                .strings("exclude")
                .into_iter()
                .map(flag_word)
                .collect(),
        })
    }

    fn healthcheck(&self) -> Lowered1<Healthcheck> {
        self.at_least_one("HEALTHCHECK")?;
        let typ = to_upper(&self.args[0].value);
        let rest = &self.args[1..];
        if typ == "NONE" {
            if !rest.is_empty() {
                return Err(self.error(codes::HEALTHCHECK, "HEALTHCHECK NONE takes no arguments"));
            }
            return Ok(Healthcheck {
                test: vec![typ],
                interval: 0,
                timeout: 0,
                start_period: 0,
                start_interval: 0,
                retries: 0,
            });
        }
        let flags = self.flags(&[
            string_flag("interval", ""),
            string_flag("timeout", ""),
            string_flag("start-period", ""),
            string_flag("start-interval", ""),
            string_flag("retries", ""),
        ])?;
        if typ != "CMD" {
            return Err(Diagnostic::error(
                codes::HEALTHCHECK,
                format!("Unknown type {} in HEALTHCHECK (try CMD)", quote(&typ)),
                self.args[0].span,
            ));
        }
        let command = self.command_line(rest, false);
        if command.args.is_empty() {
            return Err(self.error(codes::HEALTHCHECK, "Missing command after HEALTHCHECK CMD"));
        }
        let mut test = vec![if self.node.json { "CMD" } else { "CMD-SHELL" }.to_string()];
        test.extend(command.args.into_iter().map(|w| w.value));
        let duration = |name: &'static str| -> Lowered1<i64> {
            let Some(value) = flags.string(name) else {
                return Ok(0);
            };
            let d = parse_duration(&value.value)
                .map_err(|e| Diagnostic::error(codes::INVALID_FLAG, e, value.span))?;
            if d != 0 && d < 1_000_000 {
                return Err(Diagnostic::error(
                    codes::INVALID_FLAG,
                    format!("Interval {} cannot be less than 1ms", quote(name)),
                    value.span,
                ));
            }
            Ok(d)
        };
        let interval = duration("interval")?;
        let timeout = duration("timeout")?;
        let start_period = duration("start-period")?;
        let start_interval = duration("start-interval")?;
        let retries = match flags.string("retries") {
            None => 0,
            Some(value) => {
                let n = parse_int32(&value.value)
                    .map_err(|e| Diagnostic::error(codes::INVALID_FLAG, e, value.span))?;
                if n < 0 {
                    return Err(Diagnostic::error(
                        codes::INVALID_FLAG,
                        format!("--retries cannot be negative ({n})"),
                        value.span,
                    ));
                }
                n
            }
        };
        Ok(Healthcheck {
            test,
            interval,
            timeout,
            start_period,
            start_interval,
            retries,
        })
    }
}

/// `^[a-z][a-z0-9-_.]*$`
fn is_valid_stage_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && chars
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '-' | '_' | '.'))
}

/// `(?i)^\s*ONBUILD\s*` removed from the original line.
fn strip_onbuild(original: &str) -> &str {
    let blank = |c: char| matches!(c, '\t' | '\n' | '\x0c' | '\r' | ' ');
    let rest = original.trim_start_matches(blank);
    match rest.get(..7) {
        Some(head) if head.eq_ignore_ascii_case("onbuild") => rest[7..].trim_start_matches(blank),
        _ => original,
    }
}
