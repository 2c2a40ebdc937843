//! The build output as each builder prints it: BuildKit's `--progress=plain` vertices
//! (`#5 [2/4] WORKDIR /app`, `#5 DONE 0.0s`, `#6 CACHED`) and the legacy builder's steps
//! (`Step 2/6 : WORKDIR /app`, ` ---> Running in …`, ` ---> 3f2a…`).
//!
//! Durations are not measured (the engine has no clock); BuildKit lines show `0.0s`.

use crate::expand::scope::BuilderKind;

/// Numbers BuildKit's vertices and counts legacy steps.
#[derive(Debug, Clone)]
pub struct Progress {
    kind: BuilderKind,
    next_vertex: usize,
    legacy_step: usize,
    legacy_total: usize,
}

impl Progress {
    pub fn new(kind: BuilderKind, legacy_total: usize) -> Self {
        Self {
            kind,
            next_vertex: 1,
            legacy_step: 0,
            legacy_total,
        }
    }

    pub fn kind(&self) -> BuilderKind {
        self.kind
    }

    fn vertex(&mut self) -> usize {
        let n = self.next_vertex;
        self.next_vertex += 1;
        n
    }

    /// The lines before the first instruction.
    pub fn header(
        &mut self,
        dockerfile_bytes: usize,
        context_bytes: u64,
        bases: &[String],
    ) -> Vec<String> {
        match self.kind {
            BuilderKind::BuildKit => {
                let mut lines = vec!["#0 building with \"default\" instance using docker driver".to_string(), String::new()];
                let n = self.vertex();
                lines.push(format!("#{n} [internal] load build definition from Dockerfile"));
                lines.push(format!("#{n} transferring dockerfile: {dockerfile_bytes}B done"));
                lines.push(format!("#{n} DONE 0.0s"));
                lines.push(String::new());
                for base in bases {
                    let n = self.vertex();
                    lines.push(format!("#{n} [internal] load metadata for {base}"));
                    lines.push(format!("#{n} DONE 0.0s"));
                    lines.push(String::new());
                }
                let n = self.vertex();
                lines.push(format!("#{n} [internal] load .dockerignore"));
                lines.push(format!("#{n} transferring context: 2B done"));
                lines.push(format!("#{n} DONE 0.0s"));
                lines.push(String::new());
                lines
            }
            BuilderKind::Legacy => vec![
                "DEPRECATED: The legacy builder is deprecated and will be removed in a future release."
                    .to_string(),
                "            Install the buildx component to build images with BuildKit:".to_string(),
                "            https://docs.docker.com/go/buildx/".to_string(),
                String::new(),
                format!("Sending build context to Docker daemon  {}", legacy_size(context_bytes)),
            ],
        }
    }

    /// BuildKit: the `[internal] load build context` vertex (before the first COPY/ADD).
    pub fn context_transfer(&mut self, context_bytes: u64) -> Vec<String> {
        if self.kind == BuilderKind::Legacy {
            return Vec::new();
        }
        let n = self.vertex();
        vec![
            format!("#{n} [internal] load build context"),
            format!("#{n} transferring context: {context_bytes}B done"),
            format!("#{n} DONE 0.0s"),
            String::new(),
        ]
    }

    /// A step's lines. `name` is BuildKit's vertex name (`[2/4] RUN …`) or the legacy
    /// instruction text; `output` the command's output lines; `result` the new image id
    /// (legacy) when the step committed one.
    pub fn step(&mut self, step: StepLog<'_>) -> Vec<String> {
        match self.kind {
            BuilderKind::BuildKit => {
                let n = self.vertex();
                let mut lines = vec![format!("#{n} {}", step.name)];
                if step.cached {
                    lines.push(format!("#{n} CACHED"));
                } else {
                    lines.extend(step.output.iter().map(|l| format!("#{n} 0.000 {l}")));
                    if let Some(error) = step.error {
                        // The error box follows the failed vertex directly.
                        lines.push(format!("#{n} ERROR: {error}"));
                        return lines;
                    }
                    lines.push(format!("#{n} DONE 0.0s"));
                }
                lines.push(String::new());
                lines
            }
            BuilderKind::Legacy => {
                self.legacy_step += 1;
                let mut lines = vec![format!(
                    "Step {}/{} : {}",
                    self.legacy_step, self.legacy_total, step.name
                )];
                if step.cached {
                    lines.push(" ---> Using cache".to_string());
                } else if let Some(container) = step.container {
                    lines.push(format!(" ---> Running in {container}"));
                    lines.extend(step.output.iter().cloned());
                }
                if let Some(error) = step.error {
                    lines.push(error.to_string());
                    return lines;
                }
                if !step.cached {
                    if let Some(container) = step.container {
                        // Moby v25+ (docker/cli's e2e build test); older: "Removing …".
                        lines.push(format!("Removed intermediate container {container}"));
                    }
                }
                if let Some(id) = step.result {
                    lines.push(format!(" ---> {id}"));
                }
                lines
            }
        }
    }

    /// The closing lines of a successful build.
    pub fn footer(&mut self, image_id: &str, tags: &[String]) -> Vec<String> {
        let short = image_id
            .trim_start_matches("sha256:")
            .get(..12)
            .unwrap_or_default()
            .to_string();
        match self.kind {
            BuilderKind::BuildKit => {
                let n = self.vertex();
                let mut lines = vec![
                    format!("#{n} exporting to image"),
                    format!("#{n} exporting layers done"),
                    format!("#{n} writing image {image_id} done"),
                ];
                lines.extend(
                    tags.iter()
                        .map(|t| format!("#{n} naming to {} done", full_name(t))),
                );
                lines.push(format!("#{n} DONE 0.0s"));
                lines
            }
            BuilderKind::Legacy => {
                let mut lines = vec![format!("Successfully built {short}")];
                // The daemon prints the normalized reference: `myimage` → `myimage:latest`.
                lines.extend(tags.iter().map(|t| {
                    let tag = crate::engine::image::Reference::parse(t)
                        .map(|r| r.familiar_tagged())
                        .unwrap_or_else(|_| t.clone());
                    format!("Successfully tagged {tag}")
                }));
                lines
            }
        }
    }
}

/// One step's inputs to the log.
#[derive(Debug, Clone, Default)]
pub struct StepLog<'a> {
    pub name: &'a str,
    pub cached: bool,
    pub output: &'a [String],
    pub error: Option<&'a str>,
    /// Legacy: the short id of the intermediate container, for steps that run one.
    pub container: Option<&'a str>,
    /// Legacy: the short id of the committed intermediate image.
    pub result: Option<&'a str>,
}

/// `docker.io/library/alpine:latest` for `alpine:latest`, as BuildKit names images.
pub fn full_name(reference: &str) -> String {
    let (name, rest) = match reference.find([':', '@']) {
        Some(i) => (&reference[..i], &reference[i..]),
        None => (reference, ":latest"),
    };
    let first = name.split('/').next().unwrap_or_default();
    let has_domain =
        name.contains('/') && (first.contains('.') || first.contains(':') || first == "localhost");
    match (has_domain, name.contains('/')) {
        (true, _) => format!("{name}{rest}"),
        (false, true) => format!("docker.io/{name}{rest}"),
        (false, false) => format!("docker.io/library/{name}{rest}"),
    }
}

/// The legacy builder's context size text (`2.048kB`): go-units HumanSize with 4 digits.
fn legacy_size(bytes: u64) -> String {
    crate::units::human_size_with_precision(bytes as f64, 4)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn image_names_are_qualified_like_buildkit() {
        assert_eq!(full_name("alpine"), "docker.io/library/alpine:latest");
        assert_eq!(
            full_name("node:14.16.1-alpine3.13"),
            "docker.io/library/node:14.16.1-alpine3.13"
        );
        assert_eq!(
            full_name("alexellis2/href-counter:build"),
            "docker.io/alexellis2/href-counter:build"
        );
        assert_eq!(full_name("ghcr.io/x/y:1"), "ghcr.io/x/y:1");
    }

    #[test]
    fn legacy_steps_count_and_show_cache() {
        let mut progress = Progress::new(BuilderKind::Legacy, 2);
        let lines = progress.step(StepLog {
            name: "FROM alpine",
            result: Some("6dbb9cc54074"),
            ..Default::default()
        });
        assert_eq!(lines, ["Step 1/2 : FROM alpine", " ---> 6dbb9cc54074"]);
        let lines = progress.step(StepLog {
            name: "RUN x",
            cached: true,
            result: Some("abc"),
            ..Default::default()
        });
        assert_eq!(
            lines,
            ["Step 2/2 : RUN x", " ---> Using cache", " ---> abc"]
        );
    }

    #[test]
    fn buildkit_vertices_are_numbered() {
        let mut progress = Progress::new(BuilderKind::BuildKit, 0);
        let header = progress.header(120, 5, &["docker.io/library/alpine:latest".into()]);
        assert!(header.contains(
            &"#2 [internal] load metadata for docker.io/library/alpine:latest".to_string()
        ));
        let lines = progress.step(StepLog {
            name: "[2/2] RUN echo hi",
            output: &["hi".into()],
            ..Default::default()
        });
        assert_eq!(
            lines,
            ["#4 [2/2] RUN echo hi", "#4 0.000 hi", "#4 DONE 0.0s", ""]
        );
    }
}
