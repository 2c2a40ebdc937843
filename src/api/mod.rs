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

#[wasm_bindgen]
#[derive(Debug, Default)]
pub struct Playground {}

#[wasm_bindgen]
impl Playground {
    #[wasm_bindgen(constructor)]
    pub fn new() -> Playground {
        Playground {}
    }

    /// Outline and diagnostics of a Dockerfile (cheap: call it on every keystroke).
    pub fn analyze(&self, dockerfile: &str) -> Result<JsValue, JsError> {
        to_js(&playground::analyze(dockerfile))
    }
}
