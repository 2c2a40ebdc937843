//! The daemon's listing rules (Moby v28), applied to everything the backend has:
//! which images `GET /images/json` returns for `all`, `dangling`, `reference`, `label`,
//! `before`/`since`, and which containers
//! `GET /containers/json` returns for `all`, `limit`, `latest` and the common filters
//! (`ancestor`, `before`, `exited`, `id`, `label`, `name`, `since`, `status`).
//! Both lists come back newest first, as the daemon sorts them.

use super::clock::LogicalTime;
use super::model::{ContainerStatus, ContainerSummary, ImageSummary};
use super::reference;

/// Parsed `key=value` filters, keys lower-cased like docker/cli's `FilterOpt`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filters {
    pub entries: Vec<(String, String)>,
}

impl Filters {
    pub fn parse(values: &[String]) -> Filters {
        let entries = values
            .iter()
            .filter_map(|v| v.split_once('='))
            .map(|(k, v)| (k.trim().to_lowercase(), v.trim().to_string()))
            .collect();
        Filters { entries }
    }

    pub fn contains(&self, key: &str) -> bool {
        self.entries.iter().any(|(k, _)| k == key)
    }

    pub fn get(&self, key: &str) -> Vec<&str> {
        self.entries
            .iter()
            .filter(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
            .collect()
    }

    fn validate(&self, accepted: &[&str]) -> Result<(), String> {
        for (key, _) in &self.entries {
            if !accepted.contains(&key.as_str()) {
                return Err(format!("invalid filter '{key}'"));
            }
        }
        Ok(())
    }

    /// `filters.Args.GetBoolOrDefault`.
    fn bool_or(&self, key: &str, default: bool) -> Result<bool, String> {
        let values = self.get(key);
        let Some(first) = values.first() else {
            return Ok(default);
        };
        if values.len() > 1 {
            return Err(format!("invalid filter '{key}'"));
        }
        match first.to_lowercase().as_str() {
            "1" | "true" => Ok(true),
            "0" | "false" => Ok(false),
            _ => Err(format!("invalid filter '{key}={first}'")),
        }
    }

    /// `MatchKVList("label", labels)`: every `key` or `key=value` filter must match.
    fn match_labels(&self, labels: &std::collections::BTreeMap<String, String>) -> bool {
        self.get("label").iter().all(|f| match f.split_once('=') {
            Some((k, v)) => labels.get(k).is_some_and(|have| have == v),
            None => labels.contains_key(*f),
        })
    }
}

const IMAGE_FILTERS: &[&str] = &["before", "dangling", "label", "reference", "since", "until"];

/// The images `docker images` shows (daemon list plus docker/cli's dangling rule).
/// `reference_arg` is the optional `REPOSITORY[:TAG]` argument. Errors are daemon messages.
pub fn select_images(
    all_images: &[ImageSummary],
    all: bool,
    reference_arg: Option<&str>,
    filter_values: &[String],
) -> Result<Vec<ImageSummary>, String> {
    let mut filters = Filters::parse(filter_values);
    if let Some(r) = reference_arg {
        filters
            .entries
            .push(("reference".to_string(), r.to_string()));
    }
    filters.validate(IMAGE_FILTERS)?;
    if filters.contains("until") {
        return Err("the playground does not emulate the 'until' filter".to_string());
    }
    let dangling_only = filters.bool_or("dangling", false)?;
    let find = |value: &str| -> Result<&ImageSummary, String> {
        all_images
            .iter()
            .find(|i| image_matches_ref(i, value))
            .ok_or_else(|| format!("No such image: {}", reference::tag_name_only(value)))
    };
    let mut before: Option<i64> = None;
    for value in filters.get("before") {
        let created = find(value)?.created.map_or(i64::MIN, |t| t.secs);
        before = Some(before.map_or(created, |b: i64| b.min(created)));
    }
    let mut since: Option<i64> = None;
    for value in filters.get("since") {
        let created = find(value)?.created.map_or(i64::MIN, |t| t.secs);
        since = Some(since.map_or(created, |s: i64| s.max(created)));
    }
    let patterns = filters.get("reference");
    let mut selected = Vec::new();
    for image in all_images {
        if dangling_only && image.has_children {
            continue;
        }
        let created = image.created.map(|t| t.secs);
        if let Some(b) = before {
            if created.is_none_or(|c| c >= b) {
                continue;
            }
        }
        if let Some(s) = since {
            if created.is_none_or(|c| c <= s) {
                continue;
            }
        }
        if filters.contains("label") && !filters.match_labels(&image.labels) {
            continue;
        }
        let mut summary = image.clone();
        if !patterns.is_empty() {
            let keep = |r: &String| patterns.iter().any(|p| reference::familiar_match(p, r));
            summary.repo_tags.retain(keep);
            summary.repo_digests.retain(keep);
        }
        if summary.repo_tags.is_empty() && summary.repo_digests.is_empty() {
            if all || !image.has_children {
                if filters.contains("dangling") && !dangling_only {
                    continue;
                }
                if !patterns.is_empty() {
                    continue;
                }
            } else {
                continue;
            }
        } else if dangling_only && !summary.repo_tags.is_empty() {
            continue;
        }
        selected.push(summary);
    }
    selected.sort_by_key(|i| std::cmp::Reverse(i.created));
    Ok(selected)
}

/// Does `value` name this image (full or short ID, `sha256:` ID, or a reference)?
pub fn image_matches_ref(image: &ImageSummary, value: &str) -> bool {
    let hex = image.id.strip_prefix("sha256:").unwrap_or(&image.id);
    let value_hex = value.strip_prefix("sha256:").unwrap_or(value);
    if !value_hex.is_empty()
        && value_hex.len() <= 64
        && value_hex.bytes().all(|b| b.is_ascii_hexdigit())
        && hex.starts_with(value_hex)
    {
        return true;
    }
    let wanted = reference::tag_name_only(value);
    image
        .repo_tags
        .iter()
        .any(|t| reference::tag_name_only(t) == wanted)
}

const CONTAINER_FILTERS: &[&str] = &[
    "ancestor",
    "before",
    "expose",
    "exited",
    "health",
    "id",
    "isolation",
    "is-task",
    "label",
    "name",
    "network",
    "publish",
    "since",
    "status",
    "volume",
];

/// The containers `docker ps` shows. `images` is needed for the `ancestor` filter, which
/// also matches containers of descendant images (children name their parent in
/// `parent_id`).
pub fn select_containers(
    all_containers: &[ContainerSummary],
    images: &[ImageSummary],
    all: bool,
    limit: i64,
    latest: bool,
    filter_values: &[String],
) -> Result<Vec<ContainerSummary>, String> {
    let filters = Filters::parse(filter_values);
    filters.validate(CONTAINER_FILTERS)?;
    for key in [
        "expose",
        "health",
        "isolation",
        "is-task",
        "network",
        "publish",
        "volume",
    ] {
        if filters.contains(key) {
            return Err(format!(
                "the playground does not emulate the '{key}' filter"
            ));
        }
    }
    for status in filters.get("status") {
        if !matches!(
            status,
            "created" | "restarting" | "running" | "removing" | "paused" | "exited" | "dead"
        ) {
            return Err(format!("Invalid filter 'status={status}'"));
        }
    }
    let find_container = |value: &str| -> Result<LogicalTime, String> {
        all_containers
            .iter()
            .find(|c| {
                c.id.starts_with(value)
                    || c.names.iter().any(|n| n == value.trim_start_matches('/'))
            })
            .map(|c| c.created)
            .ok_or_else(|| format!("No such container: {value}"))
    };
    let mut before: Option<LogicalTime> = None;
    for value in filters.get("before") {
        before = Some(find_container(value)?);
    }
    let mut since: Option<LogicalTime> = None;
    for value in filters.get("since") {
        since = Some(find_container(value)?);
    }
    let ancestor_ids = ancestor_image_ids(images, &filters.get("ancestor"));
    let limit = if latest && limit == -1 { 1 } else { limit };
    let mut sorted: Vec<&ContainerSummary> = all_containers.iter().collect();
    sorted.sort_by_key(|c| std::cmp::Reverse(c.created));
    let statuses = filters.get("status");
    let exited = filters.get("exited");
    let names = filters.get("name");
    let ids = filters.get("id");
    let ancestors = filters.get("ancestor");
    let mut out = Vec::new();
    for c in sorted {
        let running = c.state.status.is_running();
        if !running && !all && limit <= 0 && statuses.is_empty() && exited.is_empty() {
            continue;
        }
        if !statuses.is_empty() && !statuses.contains(&c.state.status.as_str()) {
            continue;
        }
        if !exited.is_empty()
            && (c.state.status != ContainerStatus::Exited
                || !exited
                    .iter()
                    .any(|e| e.parse::<i64>().ok() == Some(c.state.exit_code)))
        {
            continue;
        }
        if !names.is_empty()
            && !names
                .iter()
                .any(|n| c.names.iter().any(|cn| cn.contains(n)))
        {
            continue;
        }
        if !ids.is_empty() && !ids.iter().any(|i| c.id.starts_with(i)) {
            continue;
        }
        if !ancestors.is_empty()
            && !ancestor_ids.contains(&c.image_id)
            && !ancestors.iter().any(|a| container_has_ancestor(c, a))
        {
            continue;
        }
        if filters.contains("label") && !filters.match_labels(&c.labels) {
            continue;
        }
        if before.is_some_and(|b| c.created >= b) || since.is_some_and(|s| c.created <= s) {
            continue;
        }
        out.push(c.clone());
        if limit > 0 && out.len() as i64 >= limit {
            break;
        }
    }
    Ok(out)
}

/// The IDs of the named images and of every image below them in the parent graph.
fn ancestor_image_ids(images: &[ImageSummary], values: &[&str]) -> Vec<String> {
    let mut ids: Vec<String> = values
        .iter()
        .filter_map(|v| images.iter().find(|i| image_matches_ref(i, v)))
        .map(|i| i.id.clone())
        .collect();
    let mut frontier = ids.clone();
    // Each image enters the frontier at most once, so this ends after |images| rounds.
    while let Some(parent) = frontier.pop() {
        for child in images
            .iter()
            .filter(|i| !i.parent_id.is_empty() && i.parent_id == parent)
        {
            if !ids.contains(&child.id) {
                ids.push(child.id.clone());
                frontier.push(child.id.clone());
            }
        }
    }
    ids
}

fn container_has_ancestor(c: &ContainerSummary, ancestor: &str) -> bool {
    let hex = c.image_id.strip_prefix("sha256:").unwrap_or(&c.image_id);
    let value = ancestor.strip_prefix("sha256:").unwrap_or(ancestor);
    (!value.is_empty() && hex.starts_with(value))
        || reference::tag_name_only(&c.image) == reference::tag_name_only(ancestor)
}
