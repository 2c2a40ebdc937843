//! The per-row template contexts of docker/cli's formatters (v28): `imageContext`,
//! `ContainerContext`, `historyContext`, the disk-usage contexts, `buildCacheContext`,
//! `volumeContext`, `diffContext`. Each becomes a template struct whose fields are the
//! context's exported methods, computed exactly as docker/cli computes them, so
//! `{{.Size}}`, `{{json .}}` (sorted keys, HTML-escaped) and headers all match.

use super::clock::{LogicalTime, GO_ZERO_TIME_STRING};
use super::model::*;
use super::reference::{self, truncate_id};
use super::tabwriter::char_width;
use super::template::{StructJson, Value};
use super::units::{human_size, size3};
use crate::text::go_quote;

fn context(type_name: &str, fields: Vec<(&str, Value)>) -> Value {
    Value::new_struct(
        type_name,
        StructJson::SortedEscaped,
        fields
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect(),
    )
}

fn s(text: impl Into<String>) -> Value {
    Value::Str(text.into())
}

/// docker/cli's `formatter.Ellipsis`: cut to a display width, ending in `…`.
pub fn ellipsis(text: &str, max_width: usize) -> String {
    if max_width == 0 {
        return String::new();
    }
    let chars: Vec<char> = text.chars().collect();
    if max_width == 1 {
        return chars.first().map(|c| c.to_string()).unwrap_or_default();
    }
    if text.is_ascii() {
        if chars.len() <= max_width {
            return text.to_string();
        }
        return chars.iter().take(max_width - 1).collect::<String>() + "…";
    }
    let widths: Vec<usize> = chars
        .iter()
        .scan(0usize, |acc, c| {
            *acc += char_width(*c).max(1);
            Some(*acc)
        })
        .collect();
    if widths.last().copied().unwrap_or(0) <= max_width {
        return text.to_string();
    }
    for i in 0..widths.len() {
        let here = widths.get(i).copied().unwrap_or(0);
        let next = widths.get(i + 1).copied().unwrap_or(usize::MAX);
        if here < max_width && next > max_width - 1 {
            return chars.iter().take(i + 1).collect::<String>() + "…";
        }
    }
    text.to_string()
}

fn created_since(created: Option<LogicalTime>, now: LogicalTime) -> String {
    match created {
        Some(t) => t.ago(now),
        None => String::new(),
    }
}

fn created_at(created: Option<LogicalTime>) -> String {
    created.map_or_else(|| GO_ZERO_TIME_STRING.to_string(), LogicalTime::go_string)
}

/// One `docker images` row: an image with one repository/tag/digest combination.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageRowKey {
    pub repository: String,
    pub tag: String,
    pub digest: String,
}

/// docker/cli's `isDangling` (formatter version).
pub fn is_dangling(image: &ImageSummary) -> bool {
    if image.repo_tags.is_empty() && image.repo_digests.is_empty() {
        return true;
    }
    image.repo_tags.len() == 1
        && image.repo_tags.first().map(String::as_str) == Some("<none>:<none>")
        && image.repo_digests.len() == 1
        && image.repo_digests.first().map(String::as_str) == Some("<none>@<none>")
}

/// `imageFormat`: the rows one image produces (one per tag; digests when shown).
/// `need_digest` is `--digests` or a format mentioning `{{.Digest}}`; `digest_flag` is `--digests`.
pub fn image_row_keys(
    image: &ImageSummary,
    need_digest: bool,
    digest_flag: bool,
) -> Vec<ImageRowKey> {
    if is_dangling(image) {
        return vec![ImageRowKey {
            repository: "<none>".into(),
            tag: "<none>".into(),
            digest: "<none>".into(),
        }];
    }
    // Go iterates maps here; the playground keeps first-seen order for determinism.
    let mut repo_tags: Vec<(String, Vec<String>)> = Vec::new();
    for r in &image.repo_tags {
        if let Ok(named) = reference::parse_normalized_named(r) {
            if named.digest.is_none() {
                if let Some(tag) = named.tag.clone() {
                    push_grouped(&mut repo_tags, named.familiar_name(), tag);
                }
            }
        }
    }
    let mut repo_digests: Vec<(String, Vec<String>)> = Vec::new();
    for r in &image.repo_digests {
        if let Ok(named) = reference::parse_normalized_named(r) {
            if let Some(digest) = named.digest.clone() {
                push_grouped(&mut repo_digests, named.familiar_name(), digest);
            }
        }
    }
    let mut rows = Vec::new();
    for (repo, tags) in &repo_tags {
        let digests = match repo_digests.iter().position(|(r, _)| r == repo) {
            Some(i) => repo_digests.remove(i).1,
            None => Vec::new(),
        };
        let digests = if need_digest { digests } else { Vec::new() };
        for tag in tags {
            if digests.is_empty() {
                rows.push(ImageRowKey {
                    repository: repo.clone(),
                    tag: tag.clone(),
                    digest: "<none>".into(),
                });
            }
            for d in &digests {
                rows.push(ImageRowKey {
                    repository: repo.clone(),
                    tag: tag.clone(),
                    digest: d.clone(),
                });
            }
        }
    }
    for (repo, digests) in repo_digests {
        if digest_flag {
            for d in digests {
                rows.push(ImageRowKey {
                    repository: repo.clone(),
                    tag: "<none>".into(),
                    digest: d,
                });
            }
        } else {
            rows.push(ImageRowKey {
                repository: repo,
                tag: "<none>".into(),
                digest: String::new(),
            });
        }
    }
    rows
}

fn push_grouped(groups: &mut Vec<(String, Vec<String>)>, key: String, value: String) {
    match groups.iter_mut().find(|(k, _)| *k == key) {
        Some((_, values)) => values.push(value),
        None => groups.push((key, vec![value])),
    }
}

/// `imageContext` as a template value.
pub fn image_context(
    image: &ImageSummary,
    key: &ImageRowKey,
    trunc: bool,
    now: LogicalTime,
) -> Value {
    let id = if trunc {
        truncate_id(&image.id)
    } else {
        image.id.clone()
    };
    let size = size3(image.size);
    context(
        "*formatter.imageContext",
        vec![
            (
                "Containers",
                s(if image.containers == -1 {
                    "N/A".to_string()
                } else {
                    image.containers.to_string()
                }),
            ),
            ("CreatedAt", s(created_at(image.created))),
            ("CreatedSince", s(created_since(image.created, now))),
            ("Digest", s(key.digest.clone())),
            ("ID", s(id)),
            ("Repository", s(key.repository.clone())),
            (
                "SharedSize",
                s(if image.shared_size == -1 {
                    "N/A".to_string()
                } else {
                    human_size(image.shared_size as f64)
                }),
            ),
            ("Size", s(size.clone())),
            ("Tag", s(key.tag.clone())),
            (
                "UniqueSize",
                s(if image.size == -1 || image.shared_size == -1 {
                    "N/A".to_string()
                } else {
                    human_size(image.size.saturating_sub(image.shared_size) as f64)
                }),
            ),
            ("VirtualSize", s(size)),
        ],
    )
}

pub fn image_header() -> Value {
    Value::string_map([
        ("ID", "IMAGE ID"),
        ("Repository", "REPOSITORY"),
        ("Tag", "TAG"),
        ("Digest", "DIGEST"),
        ("CreatedSince", "CREATED"),
        ("CreatedAt", "CREATED AT"),
        ("Size", "SIZE"),
        ("Containers", "CONTAINERS"),
        ("VirtualSize", "SIZE"),
        ("SharedSize", "SHARED SIZE"),
        ("UniqueSize", "UNIQUE SIZE"),
    ])
}

/// `historyContext` as a template value.
pub fn history_context(item: &HistoryItem, trunc: bool, human: bool, now: LogicalTime) -> Value {
    let created_at = item.created.rfc3339();
    // docker/cli shows N/A for dates before 2000-01-01 (946684800).
    let created_since = if !human {
        created_at.clone()
    } else if item.created.secs <= 946_684_800 {
        "N/A".to_string()
    } else {
        item.created.ago(now)
    };
    let created_by = item.created_by.replace('\t', " ");
    let created_by = if trunc {
        ellipsis(&created_by, 45)
    } else {
        created_by
    };
    let size = if human {
        size3(item.size)
    } else {
        item.size.to_string()
    };
    context(
        "*image.historyContext",
        vec![
            ("Comment", s(item.comment.clone())),
            ("CreatedAt", s(created_at)),
            ("CreatedBy", s(created_by)),
            ("CreatedSince", s(created_since)),
            (
                "ID",
                s(if trunc {
                    truncate_id(&item.id)
                } else {
                    item.id.clone()
                }),
            ),
            ("Size", s(size)),
        ],
    )
}

pub fn history_header() -> Value {
    Value::string_map([
        ("ID", "IMAGE"),
        ("CreatedSince", "CREATED"),
        ("CreatedAt", "CREATED AT"),
        ("CreatedBy", "CREATED BY"),
        ("Size", "SIZE"),
        ("Comment", "COMMENT"),
    ])
}

/// `formatter.DisplayablePorts`.
pub fn displayable_ports(ports: &[Port]) -> String {
    let mut sorted: Vec<&Port> = ports.iter().collect();
    sorted.sort_by(|a, b| {
        a.private_port
            .cmp(&b.private_port)
            .then_with(|| a.ip.cmp(&b.ip))
            .then_with(|| a.public_port.cmp(&b.public_port))
            .then_with(|| a.kind.cmp(&b.kind))
    });
    let mut groups: Vec<(String, u16, u16)> = Vec::new(); // (key, first, last), creation order
    let mut result: Vec<String> = Vec::new();
    let mut host_mappings: Vec<String> = Vec::new();
    for port in sorted {
        let current = port.private_port;
        let mut key = port.kind.clone();
        if !port.ip.is_empty() {
            if port.public_port != current {
                host_mappings.push(format!(
                    "{}->{}/{}",
                    join_host_port(&port.ip, &port.public_port.to_string()),
                    port.private_port,
                    port.kind
                ));
                continue;
            }
            key = format!("{}/{}", port.ip, port.kind);
        }
        match groups.iter_mut().find(|(k, _, _)| *k == key) {
            None => groups.push((key, current, current)),
            Some(group) => {
                if u32::from(current) == u32::from(group.2) + 1 {
                    group.2 = current;
                } else {
                    result.push(form_group(&group.0, group.1, group.2));
                    group.1 = current;
                    group.2 = current;
                }
            }
        }
    }
    for (key, first, last) in groups {
        result.push(form_group(&key, first, last));
    }
    result.extend(host_mappings);
    result.join(", ")
}

fn join_host_port(host: &str, port: &str) -> String {
    if host.contains(':') {
        format!("[{host}]:{port}")
    } else {
        format!("{host}:{port}")
    }
}

fn form_group(key: &str, start: u16, last: u16) -> String {
    let parts: Vec<&str> = key.split('/').collect();
    let (ip, kind) = if parts.len() > 1 {
        (
            parts.first().copied().unwrap_or(""),
            parts.get(1).copied().unwrap_or(""),
        )
    } else {
        ("", parts.first().copied().unwrap_or(""))
    };
    let mut group = start.to_string();
    if start != last {
        group = format!("{group}-{last}");
    }
    if !ip.is_empty() {
        group = format!("{}->{group}", join_host_port(ip, &group));
    }
    format!("{group}/{kind}")
}

/// `ContainerContext.Image()`.
fn container_image(c: &ContainerSummary, trunc: bool) -> String {
    if c.image.is_empty() {
        return "<no image>".to_string();
    }
    if trunc {
        let short = truncate_id(&c.image_id);
        if short == truncate_id(&c.image) {
            return short;
        }
        if let Ok(mut named) = reference::parse_normalized_named(&c.image) {
            named.digest = None;
            return named.familiar_string();
        }
    }
    c.image.clone()
}

/// `ContainerContext` as a template value. `hide_virtual` is `system df -v`, which drops
/// the virtual size.
pub fn container_context(
    c: &ContainerSummary,
    trunc: bool,
    hide_virtual: bool,
    now: LogicalTime,
) -> Value {
    let names = if trunc {
        c.names
            .iter()
            .find(|n| !n.contains('/'))
            .map_or_else(|| c.names.join(","), Clone::clone)
    } else {
        c.names.join(",")
    };
    let command = if trunc {
        ellipsis(&c.command(), 20)
    } else {
        c.command()
    };
    let root_fs = if hide_virtual { 0 } else { c.size_root_fs };
    let size = if root_fs > 0 {
        format!("{} (virtual {})", size3(c.size_rw), size3(root_fs))
    } else {
        size3(c.size_rw)
    };
    let mut labels: Vec<String> = c.labels.iter().map(|(k, v)| format!("{k}={v}")).collect();
    labels.sort();
    let mounts: Vec<String> = c
        .mounts
        .iter()
        .map(|m| {
            let name = if m.name.is_empty() {
                m.source.clone()
            } else {
                m.name.clone()
            };
            if trunc {
                ellipsis(&name, 15)
            } else {
                name
            }
        })
        .collect();
    let local_volumes = c.mounts.iter().filter(|m| m.driver == "local").count();
    context(
        "*formatter.ContainerContext",
        vec![
            ("Command", s(go_quote(&command))),
            ("CreatedAt", s(c.created.go_string())),
            (
                "ID",
                s(if trunc {
                    truncate_id(&c.id)
                } else {
                    c.id.clone()
                }),
            ),
            ("Image", s(container_image(c, trunc))),
            (
                "Label",
                Value::Method(
                    c.labels
                        .iter()
                        .map(|(k, v)| (k.clone(), v.clone()))
                        .collect(),
                ),
            ),
            ("Labels", s(labels.join(","))),
            ("LocalVolumes", s(local_volumes.to_string())),
            ("Mounts", s(mounts.join(","))),
            ("Names", s(names)),
            ("Networks", s(c.networks.join(","))),
            ("Platform", Value::Nil),
            ("Ports", s(displayable_ports(&c.ports))),
            ("RunningFor", s(c.created.ago(now))),
            ("Size", s(size)),
            ("State", s(c.state.status.as_str())),
            (
                "Status",
                s(c.status.clone().unwrap_or_else(|| c.state.status_text(now))),
            ),
        ],
    )
}

pub fn container_header() -> Value {
    Value::string_map([
        ("ID", "CONTAINER ID"),
        ("Names", "NAMES"),
        ("Image", "IMAGE"),
        ("Command", "COMMAND"),
        ("CreatedAt", "CREATED AT"),
        ("RunningFor", "CREATED"),
        ("Ports", "PORTS"),
        ("State", "STATE"),
        ("Status", "STATUS"),
        ("Size", "SIZE"),
        ("Labels", "LABELS"),
        ("Mounts", "MOUNTS"),
        ("LocalVolumes", "LOCAL VOLUMES"),
        ("Networks", "NETWORKS"),
        ("Platform", "PLATFORM"),
    ])
}

/// `volumeContext` (the fields `system df -v` uses and the rest of its methods).
pub fn volume_context(v: &VolumeUsage) -> Value {
    context(
        "*formatter.volumeContext",
        vec![
            ("Availability", s("N/A")),
            ("Driver", s(v.driver.clone())),
            ("Group", s("N/A")),
            ("Labels", s("")),
            ("Links", s(v.ref_count.to_string())),
            (
                "Mountpoint",
                s(format!("/var/lib/docker/volumes/{}/_data", v.name)),
            ),
            ("Name", s(v.name.clone())),
            ("Scope", s("local")),
            ("Size", s(human_size(v.size as f64))),
            ("Status", s("N/A")),
        ],
    )
}

pub fn volume_header() -> Value {
    Value::string_map([
        ("Name", "VOLUME NAME"),
        ("Driver", "DRIVER"),
        ("Scope", "SCOPE"),
        ("Availability", "AVAILABILITY"),
        ("Mountpoint", "MOUNTPOINT"),
        ("Labels", "LABELS"),
        ("Links", "LINKS"),
        ("Size", "SIZE"),
        ("Group", "GROUP"),
        ("Status", "STATUS"),
    ])
}

/// `buildCacheContext`.
pub fn build_cache_context(r: &BuildCacheRecord, trunc: bool, now: LogicalTime) -> Value {
    let mut id = if trunc {
        truncate_id(&r.id)
    } else {
        r.id.clone()
    };
    if r.in_use {
        id.push('*');
    }
    let parent = r.parents.join(", ");
    context(
        "*formatter.buildCacheContext",
        vec![
            ("CacheType", s(r.kind.clone())),
            ("CreatedAt", s(r.created_at.go_string())),
            ("CreatedSince", s(r.created_at.ago(now))),
            ("Description", s(r.description.clone())),
            ("ID", s(id)),
            ("InUse", s(r.in_use.to_string())),
            (
                "LastUsedAt",
                s(r.last_used_at
                    .map(LogicalTime::go_string)
                    .unwrap_or_default()),
            ),
            (
                "LastUsedSince",
                s(r.last_used_at.map(|t| t.ago(now)).unwrap_or_default()),
            ),
            (
                "Parent",
                s(if trunc { truncate_id(&parent) } else { parent }),
            ),
            ("Shared", s(r.shared.to_string())),
            ("Size", s(size3(r.size))),
            ("UsageCount", s(r.usage_count.to_string())),
        ],
    )
}

pub fn build_cache_header() -> Value {
    Value::string_map([
        ("ID", "CACHE ID"),
        ("Parent", "PARENT"),
        ("CacheType", "CACHE TYPE"),
        ("Size", "SIZE"),
        ("CreatedSince", "CREATED"),
        ("LastUsedSince", "LAST USED"),
        ("UsageCount", "USAGE"),
        ("Shared", "SHARED"),
        ("Description", "DESCRIPTION"),
    ])
}

/// `diffContext`.
pub fn diff_context(change: &FilesystemChange) -> Value {
    context(
        "*container.diffContext",
        vec![
            ("Path", s(change.path.clone())),
            ("Type", s(change.kind.letter().to_string())),
        ],
    )
}

pub fn diff_header() -> Value {
    Value::string_map([("Type", "CHANGE TYPE"), ("Path", "PATH")])
}
