//! wasm-bindgen tests of the api module, run in headless Chromium by `wasm-pack test`.
#![cfg(all(target_arch = "wasm32", feature = "wasm"))]
#![allow(clippy::unwrap_used)]

use dockerfile_playground::api::Playground;
use wasm_bindgen::JsValue;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn get(value: &JsValue, key: &str) -> JsValue {
    js_sys::Reflect::get(value, &JsValue::from_str(key)).unwrap()
}

#[wasm_bindgen_test]
fn analyze_returns_plain_objects_with_camel_case_fields() {
    let playground = Playground::new();
    let analysis = playground
        .analyze(&"FROM alpine\nRUN echo hi\n".into())
        .unwrap();
    let instructions = js_sys::Array::from(&get(&analysis, "instructions"));
    assert_eq!(instructions.length(), 2);
    let run = instructions.get(1);
    assert_eq!(get(&run, "keyword").as_string().unwrap(), "RUN");
    assert_eq!(get(&run, "startLine").as_f64().unwrap(), 2.0);
    assert!(js_sys::Array::is_array(&get(&analysis, "diagnostics")));
}

#[wasm_bindgen_test]
fn text_crosses_as_utf8() {
    let playground = Playground::new();
    let text = "FROM alpine\nRUN echo \u{e9}\u{1f600} \\\n  x\nLABEL k=\u{e9}\n";
    assert_eq!(playground.parse_count(&text.into()), 3);
    let analysis = playground.analyze(&text.into()).unwrap();
    let instructions = js_sys::Array::from(&get(&analysis, "instructions"));
    let label = instructions.get(2);
    assert_eq!(get(&label, "keyword").as_string().unwrap(), "LABEL");
    assert_eq!(get(&label, "startLine").as_f64().unwrap(), 4.0);
    assert_eq!(playground.parse_count(&"".into()), 0);
}

#[wasm_bindgen_test]
fn build_returns_steps_layers_and_the_image() {
    let mut playground = Playground::new();
    let files = js_sys::Object::new();
    js_sys::Reflect::set(&files, &"hello.txt".into(), &"test\n".into()).unwrap();
    let result = playground
        .build(
            "FROM alpine:3.20\nCOPY hello.txt /\nRUN cat /hello.txt\n",
            files.into(),
            JsValue::UNDEFINED,
        )
        .unwrap();
    assert_eq!(get(&result, "ok").as_bool(), Some(true));
    let steps = js_sys::Array::from(&get(&result, "steps"));
    assert_eq!(steps.length(), 3);
    let copy_layer = get(&steps.get(1), "layer");
    assert_eq!(get(&copy_layer, "size").as_f64(), Some(5.0));
    let diff = get(&copy_layer, "diffId");
    let tree = js_sys::Array::from(&playground.layer_tree(diff, "/").unwrap());
    assert_eq!(
        get(&tree.get(0), "name").as_string().as_deref(),
        Some("hello.txt")
    );
}
