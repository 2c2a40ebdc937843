//! The stage graph of a multi-stage build and which stages a build runs
//! (docker-semantics §7.2): BuildKit builds only the stages the target needs (through
//! `FROM <stage>`, `COPY --from=<stage>` and `RUN --mount=from=<stage>`), in dependency
//! order; the legacy builder builds every stage up to the target, in file order.

use super::history::BuilderKind;

/// What a stage refers to, before resolution.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StageRefs {
    /// `AS name`, already lower-cased by the parser (names match case-insensitively).
    pub name: Option<String>,
    /// The expanded `FROM` reference.
    pub base: String,
    /// Expanded `--from` values of COPY/ADD and RUN mounts, in order.
    pub from_refs: Vec<String>,
}

/// A `FROM` or `--from` reference, resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    Stage(usize),
    Image(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StagePlan {
    pub target: usize,
    /// Stages to build, in the order they run.
    pub order: Vec<usize>,
    /// Per stage: does the build skip it?
    pub skipped: Vec<bool>,
    /// Per stage: the stages it depends on.
    pub dependencies: Vec<Vec<usize>>,
}

/// Why no plan can be made; messages are BuildKit's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PlanError {
    TargetNotFound(String),
    Circular(String),
    NoStages,
}

impl std::fmt::Display for PlanError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PlanError::TargetNotFound(t) => write!(f, "target stage {t:?} could not be found"),
            PlanError::Circular(name) => write!(f, "circular dependency detected on stage: {name}"),
            PlanError::NoStages => f.write_str("file with no instructions"),
        }
    }
}

/// Resolves `FROM x`: only stages defined earlier can be a base.
pub fn resolve_base(stages: &[StageRefs], index: usize, reference: &str) -> Source {
    let wanted = reference.to_ascii_lowercase();
    stages[..index.min(stages.len())]
        .iter()
        .rposition(|s| s.name.as_deref() == Some(wanted.as_str()))
        .map_or_else(|| Source::Image(reference.to_string()), Source::Stage)
}

/// Resolves `--from=x`: a stage name (BuildKit: any stage; legacy: earlier ones), a stage
/// index, or else an image reference.
pub fn resolve_from(
    stages: &[StageRefs],
    index: usize,
    reference: &str,
    kind: BuilderKind,
) -> Source {
    let visible = match kind {
        BuilderKind::BuildKit => stages.len(),
        BuilderKind::Legacy => index.min(stages.len()),
    };
    let wanted = reference.to_ascii_lowercase();
    if let Some(found) = stages[..visible]
        .iter()
        .position(|s| s.name.as_deref() == Some(wanted.as_str()))
    {
        return Source::Stage(found);
    }
    match reference.parse::<usize>() {
        Ok(n) if n < visible => Source::Stage(n),
        _ => Source::Image(reference.to_string()),
    }
}

fn stage_label(stages: &[StageRefs], index: usize) -> String {
    stages[index]
        .name
        .clone()
        .unwrap_or_else(|| format!("stage-{index}"))
}

/// Chooses the target and the stages to build.
pub fn plan(
    stages: &[StageRefs],
    target: Option<&str>,
    kind: BuilderKind,
) -> Result<StagePlan, PlanError> {
    if stages.is_empty() {
        return Err(PlanError::NoStages);
    }
    let target_index = match target {
        None | Some("") => stages.len() - 1,
        Some(name) => {
            let wanted = name.to_ascii_lowercase();
            stages
                .iter()
                .position(|s| s.name.as_deref() == Some(wanted.as_str()))
                .ok_or_else(|| PlanError::TargetNotFound(name.to_string()))?
        }
    };
    let dependencies: Vec<Vec<usize>> = (0..stages.len())
        .map(|i| {
            let mut deps = Vec::new();
            if let Source::Stage(s) = resolve_base(stages, i, &stages[i].base) {
                deps.push(s);
            }
            for reference in &stages[i].from_refs {
                if let Source::Stage(s) = resolve_from(stages, i, reference, kind) {
                    if !deps.contains(&s) {
                        deps.push(s);
                    }
                }
            }
            deps
        })
        .collect();
    detect_cycles(stages, &dependencies)?;
    let order: Vec<usize> = match kind {
        BuilderKind::Legacy => (0..=target_index).collect(),
        BuilderKind::BuildKit => {
            let mut order = Vec::new();
            let mut seen = vec![false; stages.len()];
            visit(target_index, &dependencies, &mut seen, &mut order);
            order
        }
    };
    let skipped = (0..stages.len()).map(|i| !order.contains(&i)).collect();
    Ok(StagePlan {
        target: target_index,
        order,
        skipped,
        dependencies,
    })
}

/// Post-order walk: dependencies first. Cycles were rejected before, so depth is bounded by
/// the number of stages.
fn visit(stage: usize, dependencies: &[Vec<usize>], seen: &mut [bool], order: &mut Vec<usize>) {
    if seen[stage] {
        return;
    }
    seen[stage] = true;
    for &dep in &dependencies[stage] {
        visit(dep, dependencies, seen, order);
    }
    order.push(stage);
}

/// BuildKit reports the first stage (in file order) that can reach itself.
fn detect_cycles(stages: &[StageRefs], dependencies: &[Vec<usize>]) -> Result<(), PlanError> {
    for start in 0..stages.len() {
        let mut stack: Vec<usize> = dependencies[start].clone();
        let mut seen = vec![false; stages.len()];
        while let Some(next) = stack.pop() {
            if next == start {
                return Err(PlanError::Circular(stage_label(stages, start)));
            }
            if !seen[next] {
                seen[next] = true;
                stack.extend(&dependencies[next]);
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stage(name: Option<&str>, base: &str, from: &[&str]) -> StageRefs {
        StageRefs {
            name: name.map(str::to_string),
            base: base.to_string(),
            from_refs: from.iter().map(|s| s.to_string()).collect(),
        }
    }

    /// The seed article's builder → build1 / build2 example.
    fn builder_build1_build2() -> Vec<StageRefs> {
        vec![
            stage(Some("builder"), "alpine:latest", &[]),
            stage(Some("build1"), "builder", &[]),
            stage(Some("build2"), "builder", &[]),
        ]
    }

    #[test]
    fn buildkit_skips_stages_the_target_does_not_need() {
        let plan = plan(
            &builder_build1_build2(),
            Some("build1"),
            BuilderKind::BuildKit,
        )
        .unwrap();
        assert_eq!(plan.order, [0, 1]);
        assert_eq!(plan.skipped, [false, false, true]);
    }

    #[test]
    fn legacy_builds_every_stage_up_to_the_target() {
        let plan = plan(
            &builder_build1_build2(),
            Some("BUILD1"),
            BuilderKind::Legacy,
        )
        .unwrap();
        assert_eq!(plan.order, [0, 1]);
        let all = super::plan(&builder_build1_build2(), None, BuilderKind::Legacy).unwrap();
        assert_eq!(all.order, [0, 1, 2]);
        // build1 is not needed for build2, but the legacy builder builds it anyway.
        assert_eq!(all.skipped, [false, false, false]);
        let bk = super::plan(&builder_build1_build2(), None, BuilderKind::BuildKit).unwrap();
        assert_eq!(bk.skipped, [false, true, false]);
    }

    #[test]
    fn href_counter_copy_from_index_and_target() {
        let stages = vec![
            stage(None, "golang:1.16", &[]),
            stage(None, "alpine:latest", &["0"]),
        ];
        let full = plan(&stages, None, BuilderKind::BuildKit).unwrap();
        assert_eq!(full.order, [0, 1]);
        assert_eq!(full.dependencies[1], [0]);
        let named = vec![
            stage(Some("builder"), "golang:1.16", &[]),
            stage(None, "alpine:latest", &["builder"]),
        ];
        let only_builder = plan(&named, Some("builder"), BuilderKind::BuildKit).unwrap();
        assert_eq!(
            (only_builder.target, only_builder.order.clone()),
            (0, vec![0])
        );
    }

    /// ../shared/conformance/buildkit/extracted/dockerfile2llb.json → conversion.
    #[test]
    fn buildkit_conversion_cases() {
        let foo = vec![
            stage(Some("foo"), "scratch", &[]),
            stage(None, "foo", &["foo", "0"]),
        ];
        assert!(plan(&foo, Some("Foo"), BuilderKind::BuildKit).is_ok());
        assert_eq!(
            plan(&foo, Some("nosuch"), BuilderKind::BuildKit)
                .unwrap_err()
                .to_string(),
            "target stage \"nosuch\" could not be found"
        );
        let own = vec![stage(Some("stage0"), "busybox", &["stage0"])];
        assert_eq!(
            plan(&own, None, BuilderKind::BuildKit)
                .unwrap_err()
                .to_string(),
            "circular dependency detected on stage: stage0"
        );
        let ring = vec![
            stage(Some("stage0"), "busybox", &["stage2"]),
            stage(Some("stage1"), "busybox", &["stage0"]),
            stage(Some("stage2"), "busybox", &["stage1"]),
        ];
        assert_eq!(
            plan(&ring, None, BuilderKind::BuildKit)
                .unwrap_err()
                .to_string(),
            "circular dependency detected on stage: stage0"
        );
    }

    #[test]
    fn unknown_from_is_an_image() {
        let stages = vec![stage(None, "alpine", &["nginx:latest"])];
        assert_eq!(
            resolve_from(&stages, 0, "nginx:latest", BuilderKind::BuildKit),
            Source::Image("nginx:latest".into())
        );
        assert_eq!(
            plan(&stages, None, BuilderKind::BuildKit)
                .unwrap()
                .dependencies[0],
            Vec::<usize>::new()
        );
    }
}
