//! Runs a RUN script on a catalog image's filesystem the way the builder does (the image's
//! layers under a writable upper layer, the image's ENV, the builder's request settings from
//! `engine::programs::process_request`: strict PATH lookup), for tests
//! of the engine's programs and the corpus measurement.
#![allow(dead_code)]

use dockerfile_playground::engine::catalog::{catalog, CatalogImage};
use dockerfile_playground::engine::overlay_fs::OverlayFs;
use dockerfile_playground::engine::programs::{process_request_for, registry};
use dockerfile_playground::engine::shell::{self, RunOutcome, RunRequest, ShellFs};
use dockerfile_playground::engine::vfs::OverlayView;

/// The catalog image `reference` names; panics (a test bug) when the catalog lacks it.
pub fn image(reference: &str) -> &'static CatalogImage {
    catalog()
        .lookup(reference)
        .unwrap_or_else(|e| panic!("{reference}: {e:?}"))
}

/// A fresh writable view over the image's layers.
pub fn view_of(image: &CatalogImage) -> OverlayView {
    let lowers = image
        .layers
        .iter()
        .filter_map(|blob| catalog().layer_tree(blob))
        .collect();
    OverlayView::new(lowers)
}

/// Runs `script` with `shell` (`/bin/sh -c` when empty) on `view` as a RUN of `image`.
pub fn run_on(
    image: &CatalogImage,
    view: &mut OverlayView,
    shell_argv: &[String],
    script: &str,
) -> RunOutcome {
    run_with(image, view, shell_argv, script, true)
}

/// [`run_on`], but `image` stands in for a base image the catalog lacks (`known_image`
/// false): commands resolve as the builder resolves them on a stand-in.
pub fn run_with(
    image: &CatalogImage,
    view: &mut OverlayView,
    shell_argv: &[String],
    script: &str,
    known_image: bool,
) -> RunOutcome {
    let mut fs = OverlayFs::new(view);
    let argv = RunRequest::shell_form(shell_argv, script).argv;
    let mut request = process_request_for(argv, &fs, known_image);
    request.env = image
        .config
        .env
        .iter()
        .filter_map(|e| e.split_once('='))
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    shell::run(&request, &mut fs, registry())
}

/// Runs `script` on a fresh view of the image `reference`; returns the outcome and the view.
pub fn run(reference: &str, script: &str) -> (RunOutcome, OverlayView) {
    let image = image(reference);
    let mut view = view_of(image);
    let outcome = run_on(image, &mut view, &[], script);
    (outcome, view)
}

/// The text of `path` in `view` (empty when missing or not text).
pub fn read(view: &mut OverlayView, path: &str) -> String {
    let fs = OverlayFs::new(view);
    match fs.read_file(path) {
        Ok(shell::Content::Bytes(b)) => String::from_utf8_lossy(&b).into_owned(),
        _ => String::new(),
    }
}
