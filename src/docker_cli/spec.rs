//! The table of emulated docker commands: names and aliases, usage lines, short help,
//! argument rules and flags, with Docker's exact texts (docker/cli v28.5.2; `build` is
//! Buildx v0.29.1's `docker buildx build`, the default builder). Each command also lists
//! the real flags the playground does not emulate: they parse like the real ones (so no
//! false "unknown flag" errors) and are then reported as not emulated.

use super::flags::{FlagKind, FlagSpec};

/// Which command a spec describes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CommandId {
    Build,
    Images,
    History,
    Inspect,
    ImageInspect,
    ContainerInspect,
    Run,
    Create,
    Start,
    Stop,
    Ps,
    Exec,
    Diff,
    Commit,
    Rm,
    Rmi,
    Tag,
    SystemDf,
    ImagePrune,
    ContainerPrune,
    Version,
    Info,
}

/// cobra's positional-argument validators, as docker/cli uses them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArgsRule {
    NoArgs,
    Exact(usize),
    Min(usize),
    Max(usize),
    Range(usize, usize),
}

#[derive(Debug, Clone, Copy)]
pub struct CommandSpec {
    pub id: CommandId,
    /// The parent's command path: `docker`, `docker image`, `docker buildx` …
    pub parent: &'static str,
    /// cobra's `Use`: the name and the argument synopsis.
    pub use_line: &'static str,
    pub short: &'static str,
    /// The "Aliases:" line of the help text.
    pub aliases: &'static str,
    pub args: ArgsRule,
    pub interspersed: bool,
    pub flags: &'static [FlagSpec],
    /// Real flags of the command that the playground does not emulate.
    pub other_flags: &'static [FlagSpec],
    /// Buildx runs as a CLI plugin and prefixes its errors with `ERROR: `.
    pub plugin: bool,
}

impl CommandSpec {
    pub fn name(&self) -> &'static str {
        self.use_line.split(' ').next().unwrap_or(self.use_line)
    }

    /// cobra's `CommandPath()`: `docker image ls`.
    pub fn path(&self) -> String {
        format!("{} {}", self.parent, self.name())
    }

    /// cobra's `UseLine()`: `docker image ls [OPTIONS] [REPOSITORY[:TAG]]`.
    pub fn usage_line(&self) -> String {
        format!("{} {}", self.parent, self.use_line)
    }
}

const fn flag(
    name: &'static str,
    short: Option<char>,
    kind: FlagKind,
    usage: &'static str,
) -> FlagSpec {
    FlagSpec::new(name, short, kind, usage)
}

/// A real flag we parse but do not emulate (its help text is not shown).
const fn other(name: &'static str, short: Option<char>, kind: FlagKind) -> FlagSpec {
    FlagSpec::new(name, short, kind, "")
}

use FlagKind::{Bool, Filter, Int, List, String as Str, StringArray, StringSlice};

/// docker/cli's `flagsHelper.FormatHelp`.
pub const FORMAT_HELP: &str = "Format output using a custom template:\n'table':            Print output in table format with column headers (default)\n'table TEMPLATE':   Print output in table format using the given Go template\n'json':             Print in JSON format\n'TEMPLATE':         Print output using the given Go template.\nRefer to https://docs.docker.com/go/formatting/ for more information about formatting output with templates";

/// docker/cli's `flagsHelper.InspectFormatHelp`.
pub const INSPECT_FORMAT_HELP: &str = "Format output using a custom template:\n'json':             Print in JSON format\n'TEMPLATE':         Print output using the given Go template.\nRefer to https://docs.docker.com/go/formatting/ for more information about formatting output with templates";

const BUILD_FLAGS: &[FlagSpec] = &[
    flag("build-arg", None, StringArray, "Set build-time variables"),
    flag("file", Some('f'), Str, "Name of the Dockerfile (default: \"PATH/Dockerfile\")"),
    flag("label", None, StringArray, "Set metadata for an image"),
    flag("no-cache", None, Bool, "Do not use cache when building the image"),
    flag(
        "progress",
        None,
        Str,
        "Set type of progress output (\"auto\", \"none\",  \"plain\", \"quiet\", \"rawjson\", \"tty\"). Use plain to show container output",
    )
    .default("\"auto\""),
    flag("pull", None, Bool, "Always attempt to pull all referenced images"),
    flag("quiet", Some('q'), Bool, "Suppress the build output and print image ID on success"),
    flag("tag", Some('t'), StringArray, "Name and optionally a tag (format: \"name:tag\")"),
    flag("target", None, Str, "Set the target build stage to build"),
];

const BUILD_OTHER: &[FlagSpec] = &[
    other("add-host", None, StringSlice),
    other("allow", None, StringArray),
    other("annotation", None, StringArray),
    other("attest", None, StringArray),
    other("build-context", None, StringArray),
    other("builder", None, Str),
    other("cache-from", None, StringArray),
    other("cache-to", None, StringArray),
    other("call", None, Str),
    other("cgroup-parent", None, Str),
    other("check", None, Bool),
    other("iidfile", None, Str),
    other("load", None, Bool),
    other("metadata-file", None, Str),
    other("network", None, Str),
    other("no-cache-filter", None, StringArray),
    other("output", Some('o'), StringArray),
    other("platform", None, StringArray),
    other("provenance", None, Str),
    other("push", None, Bool),
    other("sbom", None, Str),
    other("secret", None, StringArray),
    other("shm-size", None, Str),
    other("ssh", None, StringArray),
    other("ulimit", None, Str),
    other("debug", Some('D'), Bool),
    other("compress", None, Bool),
    other("isolation", None, Str),
    other("security-opt", None, StringSlice),
    other("squash", None, Bool),
    other("memory", Some('m'), Str),
    other("memory-swap", None, Str),
    other("cpu-shares", Some('c'), Int),
    other("cpu-period", None, Int),
    other("cpu-quota", None, Int),
    other("cpuset-cpus", None, Str),
    other("cpuset-mems", None, Str),
    other("rm", None, Bool),
    other("force-rm", None, Bool),
];

const IMAGES_FLAGS: &[FlagSpec] = &[
    flag(
        "all",
        Some('a'),
        Bool,
        "Show all images (default hides intermediate images)",
    ),
    flag("digests", None, Bool, "Show digests"),
    flag(
        "filter",
        Some('f'),
        Filter,
        "Filter output based on conditions provided",
    ),
    flag("format", None, Str, FORMAT_HELP),
    flag("no-trunc", None, Bool, "Don't truncate output"),
    flag("quiet", Some('q'), Bool, "Only show image IDs"),
];
const IMAGES_OTHER: &[FlagSpec] = &[other("tree", None, Bool)];

const HISTORY_FLAGS: &[FlagSpec] = &[
    flag("format", None, Str, FORMAT_HELP),
    flag(
        "human",
        Some('H'),
        Bool,
        "Print sizes and dates in human readable format",
    )
    .default("true"),
    flag("no-trunc", None, Bool, "Don't truncate output"),
    flag("quiet", Some('q'), Bool, "Only show image IDs"),
];
const HISTORY_OTHER: &[FlagSpec] = &[other("platform", None, Str)];

const INSPECT_FLAGS: &[FlagSpec] = &[
    flag("format", Some('f'), Str, INSPECT_FORMAT_HELP),
    flag(
        "size",
        Some('s'),
        Bool,
        "Display total file sizes if the type is container",
    ),
    flag("type", None, Str, "Only inspect objects of the given type"),
];
const IMAGE_INSPECT_FLAGS: &[FlagSpec] = &[flag("format", Some('f'), Str, INSPECT_FORMAT_HELP)];
const IMAGE_INSPECT_OTHER: &[FlagSpec] = &[other("platform", None, Str)];
const CONTAINER_INSPECT_FLAGS: &[FlagSpec] = &[
    flag("format", Some('f'), Str, INSPECT_FORMAT_HELP),
    flag("size", Some('s'), Bool, "Display total file sizes"),
];

const RUN_FLAGS: &[FlagSpec] = &[
    flag(
        "detach",
        Some('d'),
        Bool,
        "Run container in background and print container ID",
    ),
    flag(
        "entrypoint",
        None,
        Str,
        "Overwrite the default ENTRYPOINT of the image",
    ),
    flag("env", Some('e'), List, "Set environment variables"),
    flag("expose", None, List, "Expose a port or a range of ports"),
    flag("help", None, Bool, "Print usage"),
    flag("hostname", Some('h'), Str, "Container host name"),
    flag(
        "interactive",
        Some('i'),
        Bool,
        "Keep STDIN open even if not attached",
    ),
    flag("label", Some('l'), List, "Set meta data on a container"),
    flag("name", None, Str, "Assign a name to the container"),
    flag(
        "publish",
        Some('p'),
        List,
        "Publish a container's port(s) to the host",
    ),
    flag(
        "pull",
        None,
        Str,
        "Pull image before running (\"always\", \"missing\", \"never\")",
    )
    .default("\"missing\""),
    flag("quiet", Some('q'), Bool, "Suppress the pull output"),
    flag(
        "rm",
        None,
        Bool,
        "Automatically remove the container and its associated anonymous volumes when it exits",
    ),
    flag("tty", Some('t'), Bool, "Allocate a pseudo-TTY"),
    flag(
        "user",
        Some('u'),
        Str,
        "Username or UID (format: <name|uid>[:<group|gid>])",
    ),
    flag(
        "workdir",
        Some('w'),
        Str,
        "Working directory inside the container",
    ),
];

const CREATE_FLAGS: &[FlagSpec] = &[
    flag(
        "entrypoint",
        None,
        Str,
        "Overwrite the default ENTRYPOINT of the image",
    ),
    flag("env", Some('e'), List, "Set environment variables"),
    flag("expose", None, List, "Expose a port or a range of ports"),
    flag("help", None, Bool, "Print usage"),
    flag("hostname", Some('h'), Str, "Container host name"),
    flag(
        "interactive",
        Some('i'),
        Bool,
        "Keep STDIN open even if not attached",
    ),
    flag("label", Some('l'), List, "Set meta data on a container"),
    flag("name", None, Str, "Assign a name to the container"),
    flag(
        "publish",
        Some('p'),
        List,
        "Publish a container's port(s) to the host",
    ),
    flag(
        "pull",
        None,
        Str,
        "Pull image before creating (\"always\", \"|missing\", \"never\")",
    )
    .default("\"missing\""),
    flag("quiet", Some('q'), Bool, "Suppress the pull output"),
    flag(
        "rm",
        None,
        Bool,
        "Automatically remove the container and its associated anonymous volumes when it exits",
    ),
    flag("tty", Some('t'), Bool, "Allocate a pseudo-TTY"),
    flag(
        "user",
        Some('u'),
        Str,
        "Username or UID (format: <name|uid>[:<group|gid>])",
    ),
    flag(
        "workdir",
        Some('w'),
        Str,
        "Working directory inside the container",
    ),
];

/// The container options of `run`/`create` that the playground does not emulate.
const CONTAINER_OTHER: &[FlagSpec] = &[
    other("add-host", None, List),
    other("annotation", None, List),
    other("attach", Some('a'), List),
    other("blkio-weight", None, Int),
    other("blkio-weight-device", None, List),
    other("cap-add", None, List),
    other("cap-drop", None, List),
    other("cgroup-parent", None, Str),
    other("cgroupns", None, Str),
    other("cidfile", None, Str),
    other("cpu-count", None, Int),
    other("cpu-percent", None, Int),
    other("cpu-period", None, Int),
    other("cpu-quota", None, Int),
    other("cpu-rt-period", None, Int),
    other("cpu-rt-runtime", None, Int),
    other("cpu-shares", Some('c'), Int),
    other("cpus", None, Str),
    other("cpuset-cpus", None, Str),
    other("cpuset-mems", None, Str),
    other("detach-keys", None, Str),
    other("device", None, List),
    other("device-cgroup-rule", None, List),
    other("device-read-bps", None, List),
    other("device-read-iops", None, List),
    other("device-write-bps", None, List),
    other("device-write-iops", None, List),
    other("disable-content-trust", None, Bool),
    other("dns", None, List),
    other("dns-opt", None, List),
    other("dns-option", None, List),
    other("dns-search", None, List),
    other("domainname", None, Str),
    other("env-file", None, List),
    other("gpus", None, Str),
    other("group-add", None, List),
    other("health-cmd", None, Str),
    other("health-interval", None, Str),
    other("health-retries", None, Int),
    other("health-start-interval", None, Str),
    other("health-start-period", None, Str),
    other("health-timeout", None, Str),
    other("init", None, Bool),
    other("io-maxbandwidth", None, Str),
    other("io-maxiops", None, Str),
    other("ip", None, Str),
    other("ip6", None, Str),
    other("ipc", None, Str),
    other("isolation", None, Str),
    other("kernel-memory", None, Str),
    other("label-file", None, List),
    other("link", None, List),
    other("link-local-ip", None, List),
    other("log-driver", None, Str),
    other("log-opt", None, List),
    other("mac-address", None, Str),
    other("memory", Some('m'), Str),
    other("memory-reservation", None, Str),
    other("memory-swap", None, Str),
    other("memory-swappiness", None, Int),
    other("mount", None, List),
    other("net", None, Str),
    other("net-alias", None, List),
    other("network", None, Str),
    other("network-alias", None, List),
    other("no-healthcheck", None, Bool),
    other("oom-kill-disable", None, Bool),
    other("oom-score-adj", None, Int),
    other("pid", None, Str),
    other("pids-limit", None, Int),
    other("platform", None, Str),
    other("privileged", None, Bool),
    other("publish-all", Some('P'), Bool),
    other("read-only", None, Bool),
    other("restart", None, Str),
    other("runtime", None, Str),
    other("security-opt", None, List),
    other("shm-size", None, Str),
    other("sig-proxy", None, Bool),
    other("stop-signal", None, Str),
    other("stop-timeout", None, Int),
    other("storage-opt", None, List),
    other("sysctl", None, List),
    other("tmpfs", None, List),
    other("ulimit", None, List),
    other("use-api-socket", None, Bool),
    other("userns", None, Str),
    other("uts", None, Str),
    other("volume", Some('v'), List),
    other("volume-driver", None, Str),
    other("volumes-from", None, List),
];

const START_FLAGS: &[FlagSpec] = &[
    flag(
        "attach",
        Some('a'),
        Bool,
        "Attach STDOUT/STDERR and forward signals",
    ),
    flag("interactive", Some('i'), Bool, "Attach container's STDIN"),
];
const START_OTHER: &[FlagSpec] = &[
    other("detach-keys", None, Str),
    other("checkpoint", None, Str),
    other("checkpoint-dir", None, Str),
];

const STOP_FLAGS: &[FlagSpec] = &[
    flag("signal", Some('s'), Str, "Signal to send to the container"),
    flag(
        "timeout",
        Some('t'),
        Int,
        "Seconds to wait before killing the container",
    ),
];
const STOP_OTHER: &[FlagSpec] = &[other("time", None, Int)];

const PS_FLAGS: &[FlagSpec] = &[
    flag(
        "all",
        Some('a'),
        Bool,
        "Show all containers (default shows just running)",
    ),
    flag(
        "filter",
        Some('f'),
        Filter,
        "Filter output based on conditions provided",
    ),
    flag("format", None, Str, FORMAT_HELP),
    flag(
        "last",
        Some('n'),
        Int,
        "Show n last created containers (includes all states)",
    )
    .default("-1"),
    flag(
        "latest",
        Some('l'),
        Bool,
        "Show the latest created container (includes all states)",
    ),
    flag("no-trunc", None, Bool, "Don't truncate output"),
    flag("quiet", Some('q'), Bool, "Only display container IDs"),
    flag("size", Some('s'), Bool, "Display total file sizes"),
];

const EXEC_FLAGS: &[FlagSpec] = &[
    flag(
        "detach",
        Some('d'),
        Bool,
        "Detached mode: run command in the background",
    ),
    flag("env", Some('e'), List, "Set environment variables"),
    flag(
        "interactive",
        Some('i'),
        Bool,
        "Keep STDIN open even if not attached",
    ),
    flag("tty", Some('t'), Bool, "Allocate a pseudo-TTY"),
    flag(
        "user",
        Some('u'),
        Str,
        "Username or UID (format: \"<name|uid>[:<group|gid>]\")",
    ),
    flag(
        "workdir",
        Some('w'),
        Str,
        "Working directory inside the container",
    ),
];
const EXEC_OTHER: &[FlagSpec] = &[
    other("detach-keys", None, Str),
    other("env-file", None, List),
    other("privileged", None, Bool),
];

const COMMIT_FLAGS: &[FlagSpec] = &[
    flag(
        "author",
        Some('a'),
        Str,
        "Author (e.g., \"John Hannibal Smith <hannibal@a-team.com>\")",
    ),
    flag(
        "change",
        Some('c'),
        List,
        "Apply Dockerfile instruction to the created image",
    ),
    flag("message", Some('m'), Str, "Commit message"),
    flag("pause", Some('p'), Bool, "Pause container during commit").default("true"),
];

const RM_FLAGS: &[FlagSpec] = &[
    flag(
        "force",
        Some('f'),
        Bool,
        "Force the removal of a running container (uses SIGKILL)",
    ),
    flag(
        "volumes",
        Some('v'),
        Bool,
        "Remove anonymous volumes associated with the container",
    ),
];
const RM_OTHER: &[FlagSpec] = &[other("link", Some('l'), Bool)];

const RMI_FLAGS: &[FlagSpec] = &[
    flag("force", Some('f'), Bool, "Force removal of the image"),
    flag("no-prune", None, Bool, "Do not delete untagged parents"),
];
const RMI_OTHER: &[FlagSpec] = &[other("platform", None, StringSlice)];

const DF_FLAGS: &[FlagSpec] = &[
    flag("format", None, Str, FORMAT_HELP),
    flag(
        "verbose",
        Some('v'),
        Bool,
        "Show detailed information on space usage",
    ),
];

const IMAGE_PRUNE_FLAGS: &[FlagSpec] = &[
    flag(
        "all",
        Some('a'),
        Bool,
        "Remove all unused images, not just dangling ones",
    ),
    flag(
        "filter",
        None,
        Filter,
        "Provide filter values (e.g. \"until=<timestamp>\")",
    ),
    flag("force", Some('f'), Bool, "Do not prompt for confirmation"),
];
const CONTAINER_PRUNE_FLAGS: &[FlagSpec] = &[
    flag(
        "filter",
        None,
        Filter,
        "Provide filter values (e.g. \"until=<timestamp>\")",
    ),
    flag("force", Some('f'), Bool, "Do not prompt for confirmation"),
];

const FORMAT_ONLY_FLAGS: &[FlagSpec] = &[flag("format", Some('f'), Str, INSPECT_FORMAT_HELP)];

const NONE: &[FlagSpec] = &[];

#[allow(clippy::too_many_arguments)]
const fn spec(
    id: CommandId,
    parent: &'static str,
    use_line: &'static str,
    short: &'static str,
    aliases: &'static str,
    args: ArgsRule,
    flags: &'static [FlagSpec],
    other_flags: &'static [FlagSpec],
) -> CommandSpec {
    CommandSpec {
        id,
        parent,
        use_line,
        short,
        aliases,
        args,
        interspersed: true,
        flags,
        other_flags,
        plugin: false,
    }
}

const fn not_interspersed(mut s: CommandSpec) -> CommandSpec {
    s.interspersed = false;
    s
}

const BUILD: CommandSpec = CommandSpec {
    plugin: true,
    ..spec(
        CommandId::Build,
        "docker buildx",
        "build [OPTIONS] PATH | URL | -",
        "Start a build",
        "docker buildx build, docker buildx b",
        ArgsRule::Exact(1),
        BUILD_FLAGS,
        BUILD_OTHER,
    )
};

const IMAGES_ALIASES: &str = "docker image ls, docker image list, docker images";
const IMAGES: CommandSpec = spec(
    CommandId::Images,
    "docker",
    "images [OPTIONS] [REPOSITORY[:TAG]]",
    "List images",
    IMAGES_ALIASES,
    ArgsRule::Max(1),
    IMAGES_FLAGS,
    IMAGES_OTHER,
);
const IMAGE_LS: CommandSpec = spec(
    CommandId::Images,
    "docker image",
    "ls [OPTIONS] [REPOSITORY[:TAG]]",
    "List images",
    IMAGES_ALIASES,
    ArgsRule::Max(1),
    IMAGES_FLAGS,
    IMAGES_OTHER,
);

const HISTORY_ALIASES: &str = "docker image history, docker history";
const HISTORY: CommandSpec = spec(
    CommandId::History,
    "docker",
    "history [OPTIONS] IMAGE",
    "Show the history of an image",
    HISTORY_ALIASES,
    ArgsRule::Exact(1),
    HISTORY_FLAGS,
    HISTORY_OTHER,
);
const IMAGE_HISTORY: CommandSpec = CommandSpec {
    parent: "docker image",
    ..HISTORY
};

const INSPECT: CommandSpec = spec(
    CommandId::Inspect,
    "docker",
    "inspect [OPTIONS] NAME|ID [NAME|ID...]",
    "Return low-level information on Docker objects",
    "",
    ArgsRule::Min(1),
    INSPECT_FLAGS,
    NONE,
);
const IMAGE_INSPECT: CommandSpec = spec(
    CommandId::ImageInspect,
    "docker image",
    "inspect [OPTIONS] IMAGE [IMAGE...]",
    "Display detailed information on one or more images",
    "",
    ArgsRule::Min(1),
    IMAGE_INSPECT_FLAGS,
    IMAGE_INSPECT_OTHER,
);
const CONTAINER_INSPECT: CommandSpec = spec(
    CommandId::ContainerInspect,
    "docker container",
    "inspect [OPTIONS] CONTAINER [CONTAINER...]",
    "Display detailed information on one or more containers",
    "",
    ArgsRule::Min(1),
    CONTAINER_INSPECT_FLAGS,
    NONE,
);

const RUN: CommandSpec = not_interspersed(spec(
    CommandId::Run,
    "docker",
    "run [OPTIONS] IMAGE [COMMAND] [ARG...]",
    "Create and run a new container from an image",
    "docker container run, docker run",
    ArgsRule::Min(1),
    RUN_FLAGS,
    CONTAINER_OTHER,
));
const CONTAINER_RUN: CommandSpec = CommandSpec {
    parent: "docker container",
    ..RUN
};
const CREATE: CommandSpec = not_interspersed(spec(
    CommandId::Create,
    "docker",
    "create [OPTIONS] IMAGE [COMMAND] [ARG...]",
    "Create a new container",
    "docker container create, docker create",
    ArgsRule::Min(1),
    CREATE_FLAGS,
    CONTAINER_OTHER,
));
const CONTAINER_CREATE: CommandSpec = CommandSpec {
    parent: "docker container",
    ..CREATE
};
const START: CommandSpec = spec(
    CommandId::Start,
    "docker",
    "start [OPTIONS] CONTAINER [CONTAINER...]",
    "Start one or more stopped containers",
    "docker container start, docker start",
    ArgsRule::Min(1),
    START_FLAGS,
    START_OTHER,
);
const CONTAINER_START: CommandSpec = CommandSpec {
    parent: "docker container",
    ..START
};
const STOP: CommandSpec = spec(
    CommandId::Stop,
    "docker",
    "stop [OPTIONS] CONTAINER [CONTAINER...]",
    "Stop one or more running containers",
    "docker container stop, docker stop",
    ArgsRule::Min(1),
    STOP_FLAGS,
    STOP_OTHER,
);
const CONTAINER_STOP: CommandSpec = CommandSpec {
    parent: "docker container",
    ..STOP
};

const PS_ALIASES: &str =
    "docker container ls, docker container list, docker container ps, docker ps";
const PS: CommandSpec = spec(
    CommandId::Ps,
    "docker",
    "ps [OPTIONS]",
    "List containers",
    PS_ALIASES,
    ArgsRule::NoArgs,
    PS_FLAGS,
    NONE,
);
const CONTAINER_LS: CommandSpec = spec(
    CommandId::Ps,
    "docker container",
    "ls [OPTIONS]",
    "List containers",
    PS_ALIASES,
    ArgsRule::NoArgs,
    PS_FLAGS,
    NONE,
);

const EXEC: CommandSpec = not_interspersed(spec(
    CommandId::Exec,
    "docker",
    "exec [OPTIONS] CONTAINER COMMAND [ARG...]",
    "Execute a command in a running container",
    "docker container exec, docker exec",
    ArgsRule::Min(2),
    EXEC_FLAGS,
    EXEC_OTHER,
));
const CONTAINER_EXEC: CommandSpec = CommandSpec {
    parent: "docker container",
    ..EXEC
};
const DIFF: CommandSpec = spec(
    CommandId::Diff,
    "docker",
    "diff CONTAINER",
    "Inspect changes to files or directories on a container's filesystem",
    "docker container diff, docker diff",
    ArgsRule::Exact(1),
    NONE,
    NONE,
);
const CONTAINER_DIFF: CommandSpec = CommandSpec {
    parent: "docker container",
    ..DIFF
};
const COMMIT: CommandSpec = not_interspersed(spec(
    CommandId::Commit,
    "docker",
    "commit [OPTIONS] CONTAINER [REPOSITORY[:TAG]]",
    "Create a new image from a container's changes",
    "docker container commit, docker commit",
    ArgsRule::Range(1, 2),
    COMMIT_FLAGS,
    NONE,
));
const CONTAINER_COMMIT: CommandSpec = CommandSpec {
    parent: "docker container",
    ..COMMIT
};

const RM_ALIASES: &str = "docker container rm, docker container remove, docker rm";
const RM: CommandSpec = spec(
    CommandId::Rm,
    "docker",
    "rm [OPTIONS] CONTAINER [CONTAINER...]",
    "Remove one or more containers",
    RM_ALIASES,
    ArgsRule::Min(1),
    RM_FLAGS,
    RM_OTHER,
);
const CONTAINER_RM: CommandSpec = CommandSpec {
    parent: "docker container",
    ..RM
};

const RMI_ALIASES: &str = "docker image rm, docker image remove, docker rmi";
const RMI: CommandSpec = spec(
    CommandId::Rmi,
    "docker",
    "rmi [OPTIONS] IMAGE [IMAGE...]",
    "Remove one or more images",
    RMI_ALIASES,
    ArgsRule::Min(1),
    RMI_FLAGS,
    RMI_OTHER,
);
const IMAGE_RM: CommandSpec = spec(
    CommandId::Rmi,
    "docker image",
    "rm [OPTIONS] IMAGE [IMAGE...]",
    "Remove one or more images",
    RMI_ALIASES,
    ArgsRule::Min(1),
    RMI_FLAGS,
    RMI_OTHER,
);

const TAG: CommandSpec = not_interspersed(spec(
    CommandId::Tag,
    "docker",
    "tag SOURCE_IMAGE[:TAG] TARGET_IMAGE[:TAG]",
    "Create a tag TARGET_IMAGE that refers to SOURCE_IMAGE",
    "docker image tag, docker tag",
    ArgsRule::Exact(2),
    NONE,
    NONE,
));
const IMAGE_TAG: CommandSpec = CommandSpec {
    parent: "docker image",
    ..TAG
};

const SYSTEM_DF: CommandSpec = spec(
    CommandId::SystemDf,
    "docker system",
    "df [OPTIONS]",
    "Show docker disk usage",
    "",
    ArgsRule::NoArgs,
    DF_FLAGS,
    NONE,
);
const IMAGE_PRUNE: CommandSpec = spec(
    CommandId::ImagePrune,
    "docker image",
    "prune [OPTIONS]",
    "Remove unused images",
    "",
    ArgsRule::NoArgs,
    IMAGE_PRUNE_FLAGS,
    NONE,
);
const CONTAINER_PRUNE: CommandSpec = spec(
    CommandId::ContainerPrune,
    "docker container",
    "prune [OPTIONS]",
    "Remove all stopped containers",
    "",
    ArgsRule::NoArgs,
    CONTAINER_PRUNE_FLAGS,
    NONE,
);
const VERSION: CommandSpec = spec(
    CommandId::Version,
    "docker",
    "version [OPTIONS]",
    "Show the Docker version information",
    "",
    ArgsRule::NoArgs,
    FORMAT_ONLY_FLAGS,
    NONE,
);
const INFO: CommandSpec = spec(
    CommandId::Info,
    "docker",
    "info [OPTIONS]",
    "Display system-wide information",
    "docker system info, docker info",
    ArgsRule::NoArgs,
    FORMAT_ONLY_FLAGS,
    NONE,
);
const SYSTEM_INFO: CommandSpec = CommandSpec {
    parent: "docker system",
    ..INFO
};

/// A management command (`docker image`, …) and its emulated subcommands.
#[derive(Debug, Clone, Copy)]
pub struct GroupSpec {
    pub name: &'static str,
    pub short: &'static str,
    /// (name or alias, spec), sorted by the spec name for help listings.
    pub commands: &'static [(&'static str, CommandSpec)],
}

pub const IMAGE_GROUP: GroupSpec = GroupSpec {
    name: "image",
    short: "Manage images",
    commands: &[
        ("build", BUILD),
        ("history", IMAGE_HISTORY),
        ("inspect", IMAGE_INSPECT),
        ("ls", IMAGE_LS),
        ("list", IMAGE_LS),
        ("prune", IMAGE_PRUNE),
        ("rm", IMAGE_RM),
        ("remove", IMAGE_RM),
        ("rmi", IMAGE_RM),
        ("tag", IMAGE_TAG),
    ],
};

pub const CONTAINER_GROUP: GroupSpec = GroupSpec {
    name: "container",
    short: "Manage containers",
    commands: &[
        ("commit", CONTAINER_COMMIT),
        ("create", CONTAINER_CREATE),
        ("diff", CONTAINER_DIFF),
        ("exec", CONTAINER_EXEC),
        ("inspect", CONTAINER_INSPECT),
        ("ls", CONTAINER_LS),
        ("list", CONTAINER_LS),
        ("ps", CONTAINER_LS),
        ("prune", CONTAINER_PRUNE),
        ("rm", CONTAINER_RM),
        ("remove", CONTAINER_RM),
        ("run", CONTAINER_RUN),
        ("start", CONTAINER_START),
        ("stop", CONTAINER_STOP),
    ],
};

pub const SYSTEM_GROUP: GroupSpec = GroupSpec {
    name: "system",
    short: "Manage Docker",
    commands: &[("df", SYSTEM_DF), ("info", SYSTEM_INFO)],
};

pub const BUILDER_GROUP: GroupSpec = GroupSpec {
    name: "builder",
    short: "Manage builds",
    commands: &[("build", BUILD)],
};

pub const BUILDX_GROUP: GroupSpec = GroupSpec {
    name: "buildx",
    short: "Docker Buildx",
    commands: &[("build", BUILD), ("b", BUILD)],
};

pub const GROUPS: &[GroupSpec] = &[
    BUILDER_GROUP,
    BUILDX_GROUP,
    CONTAINER_GROUP,
    IMAGE_GROUP,
    SYSTEM_GROUP,
];

/// Top-level commands: (name, spec).
pub const TOP_LEVEL: &[(&str, CommandSpec)] = &[
    ("build", BUILD),
    ("commit", COMMIT),
    ("create", CREATE),
    ("diff", DIFF),
    ("exec", EXEC),
    ("history", HISTORY),
    ("images", IMAGES),
    ("info", INFO),
    ("inspect", INSPECT),
    ("ps", PS),
    ("rm", RM),
    ("rmi", RMI),
    ("run", RUN),
    ("start", START),
    ("stop", STOP),
    ("tag", TAG),
    ("version", VERSION),
];

/// "Common Commands" of `docker --help`, in docker/cli's `category-top` order.
pub const COMMON_COMMANDS: &[&str] = &["run", "exec", "ps", "build", "images", "version", "info"];

/// Real docker commands that the playground does not emulate.
pub const NOT_EMULATED: &[&str] = &[
    "attach",
    "bake",
    "checkpoint",
    "compose",
    "config",
    "context",
    "cp",
    "events",
    "export",
    "import",
    "kill",
    "load",
    "login",
    "logout",
    "logs",
    "manifest",
    "network",
    "node",
    "pause",
    "plugin",
    "port",
    "pull",
    "push",
    "rename",
    "restart",
    "save",
    "search",
    "secret",
    "service",
    "stack",
    "stats",
    "swarm",
    "top",
    "trust",
    "unpause",
    "update",
    "volume",
    "wait",
    "scout",
    "init",
    "debug",
    "sbom",
];

/// The root command's own flags (`docker [OPTIONS] COMMAND`).
pub const ROOT_FLAGS: &[FlagSpec] = &[
    flag("debug", Some('D'), Bool, "Enable debug mode"),
    flag(
        "log-level",
        Some('l'),
        Str,
        "Set the logging level (\"debug\", \"info\", \"warn\", \"error\", \"fatal\")",
    )
    .default("\"info\""),
    flag(
        "version",
        Some('v'),
        Bool,
        "Print version information and quit",
    ),
];

/// Root flags we accept and ignore.
pub const ROOT_OTHER: &[FlagSpec] = &[
    other("config", None, Str),
    other("context", Some('c'), Str),
    other("host", Some('H'), List),
    other("tls", None, Bool),
    other("tlscacert", None, Str),
    other("tlscert", None, Str),
    other("tlskey", None, Str),
    other("tlsverify", None, Bool),
];
