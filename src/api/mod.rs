//! The wasm boundary: the only module that knows wasm-bindgen, js-sys and
//! serde-wasm-bindgen. One long-lived `Playground` handle; every method hands JS a small
//! plain object built by `crate::playground`. User mistakes come back as data; only misuse
//! of the API throws.

use crate::playground;
use serde::Serialize;
use wasm_bindgen::prelude::*;

fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsError> {
    let serializer = serde_wasm_bindgen::Serializer::new().serialize_maps_as_objects(true);
    value
        .serialize(&serializer)
        .map_err(|e| JsError::new(&e.to_string()))
}

#[wasm_bindgen(start)]
pub fn start() {
    console_error_panic_hook::set_once();
}

/// The engine version, shown in the page footer.
#[wasm_bindgen(js_name = engineVersion)]
pub fn engine_version() -> String {
    crate::VERSION.to_string()
}

fn from_js<T: serde::de::DeserializeOwned>(value: JsValue) -> Result<T, JsError> {
    if value.is_undefined() || value.is_null() {
        return serde_json::from_str("{}").map_err(|e| JsError::new(&e.to_string()));
    }
    serde_wasm_bindgen::from_value(value).map_err(|e| JsError::new(&e.to_string()))
}

fn layer_ref(value: &JsValue) -> Result<playground::session::LayerRef, JsError> {
    if let Some(step) = value.as_f64() {
        return Ok(playground::session::LayerRef::Step(step.max(0.0) as usize));
    }
    value
        .as_string()
        .map(playground::session::LayerRef::Layer)
        .ok_or_else(|| JsError::new("a layer reference is a DiffID/ChainID string or a step index"))
}

/// One playground session: the engine (images, containers, build cache) lives here between
/// calls; JS holds only this handle.
#[wasm_bindgen]
#[derive(Debug, Default)]
pub struct Playground {
    session: playground::session::Session,
}

#[wasm_bindgen]
impl Playground {
    #[wasm_bindgen(constructor)]
    pub fn new() -> Playground {
        Playground::default()
    }

    /// Builds a Dockerfile: `files` is `{path: text}`, `options` is
    /// `{builder: "buildkit"|"legacy", target, buildArgs: {K: V}, noCache, tag}`.
    pub fn build(
        &mut self,
        dockerfile: &str,
        files: JsValue,
        options: JsValue,
    ) -> Result<JsValue, JsError> {
        let files: std::collections::BTreeMap<String, String> = from_js(files)?;
        let options: playground::session::PageBuildOptions = from_js(options)?;
        to_js(&self.session.build(dockerfile, &files, &options))
    }

    /// The entries of `path`: `reference` is a layer's DiffID or ChainID (that layer's own
    /// diff) or a step index of the last build (the merged filesystem after that step).
    #[wasm_bindgen(js_name = layerTree)]
    pub fn layer_tree(&self, reference: JsValue, path: &str) -> Result<JsValue, JsError> {
        to_js(&self.session.layer_tree(&layer_ref(&reference)?, path))
    }

    /// A file's text (small text files only) and size, at a layer or after a step.
    pub fn file(&self, reference: JsValue, path: &str) -> Result<JsValue, JsError> {
        to_js(&self.session.file(&layer_ref(&reference)?, path))
    }

    /// Every image and container in the session's engine.
    pub fn inventory(&self) -> Result<JsValue, JsError> {
        to_js(&self.session.inventory())
    }

    /// Parses a Dockerfile into its AST and keeps it in Rust; returns the number of
    /// instructions (what the parse benchmark times against other parsers, which also build
    /// an AST and no typed instructions, without the cost of copying the tree into JS).
    #[wasm_bindgen(js_name = parseCount)]
    pub fn parse_count(&self, dockerfile: &str) -> u32 {
        let parsed = crate::syntax::parse(dockerfile);
        u32::try_from(parsed.ast.instructions.len()).unwrap_or(u32::MAX)
    }

    /// Outline and diagnostics of a Dockerfile (cheap: call it on every keystroke).
    pub fn analyze(&self, dockerfile: &str) -> Result<JsValue, JsError> {
        to_js(&playground::analyze(dockerfile))
    }
}
