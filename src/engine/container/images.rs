//! Image removal and tagging as the daemon does them with containers around: `docker rmi`
//! (moby `ImageDelete`: untag vs delete, hard and soft conflicts, pruning untagged
//! parents), `docker image prune [-a]` and `docker tag`.
//!
//! Rules (moby daemon/images/image_delete.go):
//! * `rmi name:tag` removes that reference; the image is deleted only when no reference is
//!   left. When a container uses the image and this is its only reference, the untag is
//!   refused unless forced (`unable to remove repository reference`). Removing a tag also
//!   removes the digest references of the same repository when no tag of it remains.
//! * `rmi <id>` removes all references if they belong to one repository with at most one
//!   tag; otherwise it needs `-f` (`image is referenced in multiple repositories`).
//! * Hard conflicts (child images, a running container) cannot be forced; soft ones (a
//!   stopped container, remaining references) can. After an untag, a conflict is silent
//!   (the image stays, dangling) unless the image is dangling and unused.
//! * Deleting releases the image's reference on its layers; the layers nobody references
//!   any more are deleted too and reported as `Deleted: <ChainID>`.
//! * With pruning (the default), an untagged parent without other children and without
//!   containers is deleted as well.

use super::error::{truncate_id, ContainerError};
use crate::engine::daemon::Engine;
use crate::engine::image::{ImageError, ImageStore, Reference};
use crate::engine::layers::{ChainId, Digest};
use std::collections::BTreeMap;

/// One line of `docker rmi`'s answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DeleteRecord {
    /// `Untagged: alpine:latest` / `Untagged: alpine@sha256:…`.
    Untagged(String),
    /// `Deleted: sha256:…` (an image id, then the ChainIDs of the layers removed with it).
    Deleted(String),
}

/// What a prune removed.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PruneReport {
    /// `image prune`: the delete records.
    pub images_deleted: Vec<DeleteRecord>,
    /// `container prune`: the removed container ids.
    pub containers_deleted: Vec<String>,
    /// Bytes freed (`Total reclaimed space`).
    pub space_reclaimed: u64,
}

/// A repository reference of an image.
#[derive(Debug, Clone, PartialEq, Eq)]
struct RepoRef {
    /// Familiar text: `alpine:latest` or `alpine@sha256:…`.
    text: String,
    /// Familiar repository name: `alpine`.
    repo: String,
    canonical: bool,
}

fn references(images: &ImageStore, id: &Digest) -> Vec<RepoRef> {
    let mut refs: Vec<RepoRef> = images
        .tags_of(id)
        .into_iter()
        .map(|t| RepoRef {
            repo: Reference::parse(&t)
                .map(|r| r.familiar_name())
                .unwrap_or_else(|_| t.clone()),
            text: t,
            canonical: false,
        })
        .collect();
    if let Some(img) = images.get(id) {
        for d in &img.repo_digests {
            refs.push(RepoRef {
                repo: d.split_once('@').map_or(d.as_str(), |(r, _)| r).to_string(),
                text: d.clone(),
                canonical: true,
            });
        }
    }
    refs.sort_by(|a, b| a.text.cmp(&b.text));
    refs
}

/// All references from one repository and at most one tag (moby `isSingleReference`).
fn is_single_reference(refs: &[RepoRef]) -> bool {
    if refs.len() <= 1 {
        return refs.len() == 1;
    }
    let tags: Vec<&RepoRef> = refs.iter().filter(|r| !r.canonical).collect();
    if tags.len() > 1 {
        return false;
    }
    let single = tags.first().copied().or(refs.first());
    let canonical_repos: Vec<&str> = {
        let mut v: Vec<&str> = refs
            .iter()
            .filter(|r| r.canonical)
            .map(|r| r.repo.as_str())
            .collect();
        v.sort_unstable();
        v.dedup();
        v
    };
    canonical_repos.len() == 1
        && single.is_some_and(|s| canonical_repos.first() == Some(&s.repo.as_str()))
}

fn is_image_id_prefix(id: &Digest, s: &str) -> bool {
    id.as_str().starts_with(s) || id.hex().starts_with(s)
}

/// Drops one `name@sha256:…` reference from an image. The image store has no call for
/// this, so the image is stored again with its other references.
fn remove_repo_digest(images: &mut ImageStore, id: &Digest, repo_digest: &str) {
    let Some(stored) = images.get(id).cloned() else {
        return;
    };
    if !stored.repo_digests.iter().any(|d| d == repo_digest) {
        return;
    }
    let tags = images.tags_of(id);
    images.remove(id);
    images.insert(stored.image.clone(), stored.size);
    for d in stored.repo_digests.iter().filter(|d| *d != repo_digest) {
        images.add_repo_digest(id, d);
    }
    for t in tags {
        let _ = images.tag(id, &t);
    }
}

fn remove_ref(images: &mut ImageStore, id: &Digest, r: &RepoRef) {
    if r.canonical {
        remove_repo_digest(images, id, &r.text);
    } else {
        let _ = images.untag(&r.text);
    }
}

/// The reference as the daemon names it in `No such image` (a bare name gets `:latest`).
fn normalized(reference: &str) -> String {
    match Reference::parse(reference) {
        Ok(r) if r.digest.is_none() => r.familiar_tagged(),
        Ok(r) => r.familiar(),
        Err(_) => reference.to_string(),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Mask {
    child: bool,
    running: bool,
    reference: bool,
    stopped: bool,
}

const HARD: Mask = Mask {
    child: true,
    running: true,
    reference: false,
    stopped: false,
};
const ALL: Mask = Mask {
    child: true,
    running: true,
    reference: true,
    stopped: true,
};

struct Conflict {
    error: ContainerError,
    used: bool,
}

impl Engine {
    fn delete_conflict(&self, id: &Digest, mask: Mask) -> Option<Conflict> {
        let conflict = |hard, used, reason: String| Conflict {
            error: ContainerError::ImageConflict {
                image_id: id.clone(),
                hard,
                reason,
            },
            used,
        };
        if mask.child && !self.images.children(id).is_empty() {
            return Some(conflict(
                true,
                false,
                "image has dependent child images".into(),
            ));
        }
        if mask.running {
            if let Some(c) = self
                .containers
                .using_image(id)
                .find(|c| c.state.is_running())
            {
                return Some(conflict(
                    true,
                    true,
                    format!(
                        "image is being used by running container {}",
                        truncate_id(&c.id)
                    ),
                ));
            }
        }
        if mask.reference && !references(&self.images, id).is_empty() {
            return Some(conflict(
                false,
                false,
                "image is referenced in multiple repositories".into(),
            ));
        }
        if mask.stopped {
            if let Some(c) = self
                .containers
                .using_image(id)
                .find(|c| !c.state.is_running())
            {
                return Some(conflict(
                    false,
                    true,
                    format!(
                        "image is being used by stopped container {}",
                        truncate_id(&c.id)
                    ),
                ));
            }
        }
        None
    }

    fn is_dangling(&self, id: &Digest) -> bool {
        references(&self.images, id).is_empty() && self.images.children(id).is_empty()
    }

    /// `docker rmi [-f] [--no-prune]` of one image reference.
    pub fn remove_image(
        &mut self,
        reference: &str,
        force: bool,
        prune_children: bool,
    ) -> Result<Vec<DeleteRecord>, ContainerError> {
        self.settle_containers();
        let id = match self.images.resolve(reference) {
            Ok(img) => img.image.id.clone(),
            Err(ImageError::NotFound(_)) => {
                return Err(ContainerError::NoSuchImage(normalized(reference)))
            }
            Err(ImageError::InvalidReference(e)) => {
                return Err(ContainerError::InvalidReference(e.to_string()))
            }
            Err(e) => return Err(ContainerError::Message(e.to_string())),
        };
        let mut records = Vec::new();
        let mut refs = references(&self.images, &id);
        let mut removed_repository_ref = false;
        if !is_image_id_prefix(&id, reference) {
            if !force && is_single_reference(&refs) {
                let user = self
                    .containers
                    .using_image(&id)
                    .next()
                    .map(|c| c.id.clone());
                if let Some(container_id) = user {
                    return Err(ContainerError::RepositoryReferenceConflict {
                        reference: reference.to_string(),
                        container_id,
                        image_id: id,
                    });
                }
            }
            let parsed = Reference::parse(reference)
                .map_err(|e| ContainerError::InvalidReference(e.to_string()))?;
            let target = RepoRef {
                text: if parsed.digest.is_some() {
                    parsed.familiar()
                } else {
                    parsed.familiar_tagged()
                },
                repo: parsed.familiar_name(),
                canonical: parsed.digest.is_some(),
            };
            remove_ref(&mut self.images, &id, &target);
            records.push(DeleteRecord::Untagged(target.text.clone()));
            refs = references(&self.images, &id);
            if !target.canonical {
                let tag_left = refs.iter().any(|r| !r.canonical && r.repo == target.repo);
                if !tag_left {
                    let mut remaining = Vec::new();
                    for r in refs {
                        if r.canonical && r.repo == target.repo {
                            remove_ref(&mut self.images, &id, &r);
                            records.push(DeleteRecord::Untagged(r.text.clone()));
                        } else {
                            remaining.push(r);
                        }
                    }
                    refs = remaining;
                }
            }
            if !refs.is_empty() {
                return Ok(records);
            }
            removed_repository_ref = true;
        } else if is_single_reference(&refs) {
            let mask = if force {
                HARD
            } else {
                Mask {
                    reference: false,
                    ..ALL
                }
            };
            if let Some(c) = self.delete_conflict(&id, mask) {
                return Err(c.error);
            }
            for r in refs {
                remove_ref(&mut self.images, &id, &r);
                records.push(DeleteRecord::Untagged(r.text));
            }
        }
        self.delete_image_helper(
            &id,
            &mut records,
            force,
            prune_children,
            removed_repository_ref,
        )?;
        Ok(records)
    }

    /// moby `imageDeleteHelper`, bounded by the length of the parent chain.
    fn delete_image_helper(
        &mut self,
        id: &Digest,
        records: &mut Vec<DeleteRecord>,
        force: bool,
        prune: bool,
        quiet: bool,
    ) -> Result<(), ContainerError> {
        let mut current = id.clone();
        let (mut force, mut quiet) = (force, quiet);
        for _ in 0..=self.images.len() {
            let mask = if force { HARD } else { ALL };
            if let Some(c) = self.delete_conflict(&current, mask) {
                if quiet && (!self.is_dangling(&current) || c.used) {
                    return Ok(());
                }
                return Err(c.error);
            }
            let Some(stored) = self.images.get(&current).cloned() else {
                return Ok(());
            };
            let parent = stored.image.parent.clone();
            for r in references(&self.images, &current) {
                remove_ref(&mut self.images, &current, &r);
                records.push(DeleteRecord::Untagged(r.text));
            }
            self.images.remove(&current);
            records.push(DeleteRecord::Deleted(current.to_string()));
            if let Some(top) = stored.chain.last() {
                for layer in self.layers.release(top).unwrap_or_default() {
                    records.push(DeleteRecord::Deleted(layer.to_string()));
                }
            }
            match parent {
                Some(p) if prune && self.images.contains(&p) => {
                    current = p;
                    force = false;
                    quiet = true;
                }
                _ => return Ok(()),
            }
        }
        Ok(())
    }

    /// `docker tag SOURCE TARGET`.
    pub fn tag_image(&mut self, source: &str, target: &str) -> Result<(), ContainerError> {
        let id = match self.images.resolve(source) {
            Ok(img) => img.image.id.clone(),
            Err(ImageError::NotFound(_)) => {
                return Err(ContainerError::NoSuchImage(normalized(source)))
            }
            Err(ImageError::InvalidReference(e)) => {
                return Err(ContainerError::InvalidReference(e.to_string()))
            }
            Err(e) => return Err(ContainerError::Message(e.to_string())),
        };
        let r = Reference::parse(target)
            .map_err(|e| ContainerError::InvalidReference(e.to_string()))?;
        if r.digest.is_some() {
            return Err(ContainerError::Message(
                "refusing to create a tag with a digest reference".into(),
            ));
        }
        self.images
            .tag(&id, target)
            .map(|_| ())
            .map_err(|e| ContainerError::Message(e.to_string()))
    }

    /// `docker image prune` (dangling images) or `docker image prune -a` (every image no
    /// container uses). Conflicts skip an image silently.
    pub fn prune_images(&mut self, all: bool) -> PruneReport {
        self.settle_containers();
        let sizes: BTreeMap<ChainId, u64> = self
            .layers
            .iter()
            .map(|l| (l.chain_id.clone(), l.size))
            .collect();
        let candidates: Vec<Digest> = self
            .images
            .iter()
            .filter(|img| all || self.images.children(&img.image.id).is_empty())
            .filter(|img| {
                let id = &img.image.id;
                !references(&self.images, id).is_empty() || self.images.children(id).is_empty()
            })
            .map(|img| img.image.id.clone())
            .collect();
        let mut report = PruneReport::default();
        for id in candidates {
            if !self.images.contains(&id) {
                continue;
            }
            let refs = references(&self.images, &id);
            if refs.is_empty() {
                if let Ok(r) = self.remove_image(id.hex(), false, true) {
                    report.images_deleted.extend(r);
                }
                continue;
            }
            let should_delete = all || !refs.iter().any(|r| !r.canonical);
            if should_delete {
                for r in refs {
                    if let Ok(recs) = self.remove_image(&r.text, false, true) {
                        report.images_deleted.extend(recs);
                    }
                }
            }
        }
        for r in &report.images_deleted {
            if let DeleteRecord::Deleted(d) = r {
                if let Some(size) = Digest::parse(d).and_then(|d| sizes.get(&d)) {
                    report.space_reclaimed += size;
                }
            }
        }
        report
    }
}
