//! Layer identities (docs/docker-semantics.md §3): the empty DiffID, the ChainID formula,
//! content addressing and sharing by ChainID in the layer store.
#![allow(clippy::unwrap_used)]

use dockerfile_playground::engine::layers::{
    chain_id, chain_ids, diff_id, encode::encode, DiffIdOrigin, Digest, LayerStore,
    EMPTY_LAYER_DIFF_ID,
};
use dockerfile_playground::engine::vfs::{
    Content, Entry, Layer, LayerBuilder, Meta, OverlayView, WriteMode,
};
use std::sync::Arc;

fn d(s: &str) -> Digest {
    Digest::parse(s).unwrap()
}

#[test]
fn the_empty_layer_has_dockers_empty_diff_id() {
    // 1024 zero bytes: the two end blocks of an empty tar.
    let mut bytes = Vec::new();
    encode(&Layer::empty(), &mut |b| bytes.extend_from_slice(b));
    assert_eq!(bytes, vec![0u8; 1024]);
    assert_eq!(Digest::sha256(&[0u8; 1024]).as_str(), EMPTY_LAYER_DIFF_ID);
    assert_eq!(
        diff_id(&Layer::empty()).as_str(),
        "sha256:5f70bf18a086007016e948b04aed3b82103a36bea41755b6cddfaf10ace3c6ef"
    );
    // A RUN that changes nothing commits an empty layer.
    let mut view = OverlayView::default();
    let _ = view.read("/etc/passwd");
    assert_eq!(diff_id(&view.commit()).as_str(), EMPTY_LAYER_DIFF_ID);
}

/// Expected values computed independently (Python hashlib) from the diff ids of the OCI
/// image-spec config example.
#[test]
fn chain_ids_follow_the_oci_formula() {
    let a = d("sha256:c6f988f4874bb0add23a778f753c65efe992244e148a1d2ec2a8b664fb66bbd1");
    let b = d(EMPTY_LAYER_DIFF_ID);
    for (diffs, want) in [
        (vec![a.clone()], vec![a.as_str()]),
        (
            vec![a.clone(), b.clone()],
            vec![
                a.as_str(),
                "sha256:c3191d32a37d7159b2e30830937d2e30268ad6c375a773a8994911a3aba9b93f",
            ],
        ),
        (
            vec![a.clone(), b.clone(), b.clone()],
            vec![
                a.as_str(),
                "sha256:c3191d32a37d7159b2e30830937d2e30268ad6c375a773a8994911a3aba9b93f",
                "sha256:b3f2677e2ce27278b9d7cab94db2e384b4bc04278000f97c62830f0707f3a865",
            ],
        ),
    ] {
        let got: Vec<String> = chain_ids(&diffs).iter().map(|c| c.to_string()).collect();
        assert_eq!(got, want);
    }
    assert_eq!(chain_id(None, &a), a);
}

fn layer_with(path: &str, text: &str, mode: u32, mtime: i64) -> Arc<Layer> {
    let mut b = LayerBuilder::new(Meta::root_dir(mtime));
    b.insert(
        path,
        Entry::file(
            Content::from_bytes(text.as_bytes()),
            Meta::new(mode, 0, 0, mtime),
        ),
    )
    .unwrap();
    Arc::new(b.build())
}

#[test]
fn diff_ids_are_content_addressed() {
    let base = diff_id(&layer_with("/app/a.txt", "hi", 0o644, 10));
    assert_eq!(
        base,
        diff_id(&layer_with("/app/a.txt", "hi", 0o644, 10)),
        "deterministic"
    );
    for other in [
        layer_with("/app/a.txt", "ho", 0o644, 10),
        layer_with("/app/a.txt", "hi", 0o755, 10),
        layer_with("/app/a.txt", "hi", 0o644, 11),
        layer_with("/app/b.txt", "hi", 0o644, 10),
    ] {
        assert_ne!(base, diff_id(&other));
    }
    // Size-only content: the stand-in depends on where it was created and its size.
    let sized = |p: &str, n: u64| {
        let mut b = LayerBuilder::new(Meta::root_dir(0));
        b.insert(
            p,
            Entry::file(Content::sized_at(p, n), Meta::new(0o755, 0, 0, 0)),
        )
        .unwrap();
        diff_id(&b.build())
    };
    assert_eq!(sized("/bin/x", 100), sized("/bin/x", 100));
    assert_ne!(sized("/bin/x", 100), sized("/bin/x", 101));
}

#[test]
fn the_store_keeps_a_shared_layer_once() {
    let mut store = LayerStore::new();
    let base = layer_with("/etc/os-release", "ID=alpine\n", 0o644, 1);
    let c0 = store.register(None, base.clone()).unwrap();
    assert_eq!(
        store.register(None, base).unwrap(),
        c0,
        "same diff, same parent"
    );
    assert_eq!(store.len(), 1);
    let top = layer_with("/app/x", "x", 0o644, 2);
    let c1 = store.register(Some(&c0), top.clone()).unwrap();
    // The same diff on another parent is another local layer.
    let other_base = store
        .register(None, layer_with("/etc/os-release", "ID=debian\n", 0o644, 1))
        .unwrap();
    let c1b = store.register(Some(&other_base), top).unwrap();
    assert_ne!(c1, c1b);
    assert_eq!(
        store.get(&c1).unwrap().diff_id,
        store.get(&c1b).unwrap().diff_id
    );
    assert_eq!(
        store.get(&c1).unwrap().diff_id_origin,
        DiffIdOrigin::Computed
    );
    assert_eq!(store.len(), 4);

    // Two images on c1 share c0 and c1.
    store.acquire(&c1).unwrap();
    store.acquire(&c1).unwrap();
    assert_eq!(store.ref_count(&c0), 2);
    assert!(store.release(&c1).unwrap().is_empty());
    assert_eq!(store.release(&c1).unwrap(), vec![c1.clone(), c0.clone()]);
    assert!(!store.contains(&c0));
    assert_eq!(store.prune().len(), 2);
    assert!(store.is_empty());
}

#[test]
fn the_store_stacks_views_and_sizes_chains() {
    let mut store = LayerStore::new();
    let c0 = store
        .register(None, layer_with("/a", "12345", 0o644, 1))
        .unwrap();
    let mut view = store.view(Some(&c0)).unwrap();
    view.write_bytes("/a", b"67890", WriteMode::Append).unwrap();
    let c1 = store.register(Some(&c0), view.commit()).unwrap();
    assert_eq!(
        store.chain(Some(&c1)).unwrap(),
        vec![c0.clone(), c1.clone()]
    );
    assert_eq!(store.get(&c1).unwrap().size, 10);
    assert_eq!(store.chain_size(Some(&c1)).unwrap(), 15);
    let merged = store.view(Some(&c1)).unwrap();
    assert_eq!(merged.read("/a").unwrap().bytes().unwrap(), b"1234567890");
    assert!(store
        .register(Some(&d(EMPTY_LAYER_DIFF_ID)), Arc::new(Layer::empty()))
        .is_err());
}
