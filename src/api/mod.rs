//! The wasm boundary: the only module that knows wasm-bindgen, js-sys and
//! serde-wasm-bindgen. One long-lived `Playground` handle; every method hands JS a small
//! plain object built by `crate::playground`. User mistakes come back as data; only misuse
//! of the API throws.

use crate::playground;
use js_sys::{JsString, Uint8Array};
use serde::Serialize;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

#[wasm_bindgen]
extern "C" {
    /// The host's `TextEncoder`, declared here with a JS string as the source (web-sys takes a
    /// Rust `&str`, which would cross the boundary first).
    #[wasm_bindgen(js_name = TextEncoder)]
    type Utf8Encoder;
    #[wasm_bindgen(constructor, js_class = "TextEncoder")]
    fn new() -> Utf8Encoder;
    #[wasm_bindgen(method, js_class = "TextEncoder", js_name = encodeInto)]
    fn encode_into(this: &Utf8Encoder, source: &JsString, destination: &Uint8Array)
        -> EncodeResult;
    type EncodeResult;
    #[wasm_bindgen(method, getter)]
    fn written(this: &EncodeResult) -> u32;
}

thread_local! {
    static ENCODER: Utf8Encoder = Utf8Encoder::new();
}

/// A JS string as UTF-8 in wasm memory, written by one native `encodeInto` call. (A `&str`
/// parameter is copied by wasm-bindgen's glue code one UTF-16 unit at a time in JS, which
/// for a large Dockerfile costs a fifth of the parse.) Lone surrogates become U+FFFD, as in
/// the glue.
fn text_from_js(text: &JsString) -> String {
    // UTF-8 needs at most three bytes per UTF-16 unit.
    let capacity = (text.length() as usize).saturating_mul(3);
    let memory = wasm_bindgen::memory().dyn_into::<js_sys::WebAssembly::Memory>();
    let (Ok(memory), Ok(len)) = (memory, u32::try_from(capacity)) else {
        return String::from(text);
    };
    let mut bytes = vec![0u8; capacity];
    // The view is made after the allocation, so it sees the memory as grown by it.
    let at = bytes.as_mut_ptr() as usize as u32;
    let destination = Uint8Array::new_with_byte_offset_and_length(&memory.buffer(), at, len);
    let written = ENCODER.with(|encoder| encoder.encode_into(text, &destination).written());
    bytes.truncate(written as usize);
    String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

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

/// What a console line printed, for JS.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ConsoleOutput {
    /// The part of stderr a terminal shows before stdout (the pull log of `docker run`).
    lead: String,
    stdout: String,
    stderr: String,
    exit_code: i32,
    /// The simulation's notes (not docker output), shown apart by the console.
    notes: Vec<String>,
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
    pub fn parse_count(&self, dockerfile: &JsString) -> u32 {
        let parsed = crate::syntax::parse(&text_from_js(dockerfile));
        u32::try_from(parsed.ast.instructions.len()).unwrap_or(u32::MAX)
    }

    /// Runs one docker console line against the session (`docker ps -s`,
    /// `DOCKER_BUILDKIT=0 docker build -t app .` …); `docker build` reads the Dockerfile and
    /// files of the last `build` (or `setSources`). Returns `{lead, stdout, stderr, exitCode, notes}`:
    /// `lead` is what a terminal prints before stdout (the pull log).
    pub fn docker(&mut self, line: &str) -> Result<JsValue, JsError> {
        let out = self.session.docker(line);
        let (lead, stderr) = playground::docker::split_pull_log(&out.stderr);
        to_js(&ConsoleOutput {
            lead: lead.to_string(),
            stdout: out.stdout,
            stderr: stderr.to_string(),
            exit_code: out.exit_code,
            notes: out.notes,
        })
    }

    /// Sets what the console's `docker build` reads: the Dockerfile text and `{path: text}`.
    #[wasm_bindgen(js_name = setSources)]
    pub fn set_sources(&mut self, dockerfile: &str, files: JsValue) -> Result<(), JsError> {
        let files: std::collections::BTreeMap<String, String> = from_js(files)?;
        self.session.set_sources(dockerfile, &files);
        Ok(())
    }

    /// Outline and diagnostics of a Dockerfile (cheap: call it on every keystroke).
    pub fn analyze(&self, dockerfile: &JsString) -> Result<JsValue, JsError> {
        to_js(&playground::analyze(&text_from_js(dockerfile)))
    }
}
