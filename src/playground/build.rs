//! Builds from the facade: the trace as the CLI prints it (`build --format json`) and as the
//! page receives it (camelCase DTOs with editor positions).

use crate::diagnostics::Severity;
use crate::engine::builder::context::BuildContext;
use crate::engine::builder::trace::{BuildTrace, StepStatus};
use crate::text::LineIndex;
use serde::Serialize;
use serde_json::{json, Value};

/// Files of a build context given as `(path, bytes)`.
pub fn context_from<'a>(files: impl IntoIterator<Item = (&'a str, &'a [u8])>) -> BuildContext {
    BuildContext::from_files(files, "Dockerfile")
}

#[derive(Debug, Serialize)]
struct CliDiagnostic<'a> {
    severity: Severity,
    code: &'a str,
    message: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    help: Option<&'a str>,
    line: usize,
    column: usize,
}

/// `dockerfile-playground build --format json`: `{diagnostics, stages, steps, image}` with
/// sizes in bytes and Docker's config field names.
pub fn cli_json(source: &str, trace: &BuildTrace) -> Value {
    let index = LineIndex::new(source);
    let diagnostics: Vec<Value> = trace
        .diagnostics
        .iter()
        .map(|d| {
            let at = index.line_col(source, d.span.start);
            json!(CliDiagnostic {
                severity: d.severity,
                code: d.code,
                message: &d.message,
                help: d.help.as_deref(),
                line: at.line,
                column: at.column
            })
        })
        .collect();
    let stages: Vec<Value> = trace
        .stages
        .iter()
        .map(|s| json!({"index": s.index, "name": s.name, "base": s.base, "line": s.line, "skipped": s.skipped, "depends_on": s.depends_on}))
        .collect();
    let steps: Vec<Value> = trace
        .steps
        .iter()
        .map(|s| {
            json!({
                "stage": s.stage,
                "line": s.line,
                "instruction": s.instruction,
                "status": s.status,
                "cause": s.cause,
                "layer": s.layer.as_ref().map(|l| json!({"diff_id": l.diff_id, "size": l.size})),
            })
        })
        .collect();
    let image = trace.image.as_ref().map(|image| {
        json!({
            "id": image.id,
            "size": image.size,
            "rootfs": image.rootfs.iter().map(|l| json!({"diff_id": l.diff_id, "size": l.size})).collect::<Vec<_>>(),
            "history": image.history.iter().map(|h| json!({
                "created_by": h.created_by, "empty_layer": h.empty_layer, "size": h.size, "comment": h.comment,
            })).collect::<Vec<_>>(),
            "config": image.config,
        })
    });
    json!({"diagnostics": diagnostics, "stages": stages, "steps": steps, "image": image, "error": trace.error})
}

/// Whether any step failed (the CLI's exit status).
pub fn failed(trace: &BuildTrace) -> bool {
    !trace.ok || trace.steps.iter().any(|s| s.status == StepStatus::Failed)
}
