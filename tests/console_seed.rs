//! The seed article's session typed into the docker console: the image built from
//! `examples/seed-layers` (its `hello.txt`), three containers on it, a write in one of them,
//! and `docker history` of the image from both builders.
//!
//! Expectations: docker-semantics §5 (copy-up: the first write to a lower-layer file copies
//! the whole file into the writable layer), §6.1 (`SIZE` = SizeRw, `virtual` = SizeRootFs =
//! image size + SizeRw), §2.1–2.3 (`created_by` texts of BuildKit and of the legacy builder,
//! sizes, `<missing>` rows and the legacy builder's intermediate image ids). The
//! transcripts are insta snapshots; the figures are also checked here.
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used)]

mod console_support;

use console_support::{column, Console};

fn seed() -> Console {
    Console::with_example("seed-layers")
}

/// `--format` output of one value.
fn value(c: &mut Console, line: &str) -> String {
    c.ok(line).trim_end().to_string()
}

fn int(c: &mut Console, line: &str) -> u64 {
    let text = value(c, line);
    text.parse()
        .unwrap_or_else(|_| panic!("{line}: not a number: {text:?}"))
}

#[test]
fn three_containers_share_the_image_until_one_writes() {
    let mut c = seed();
    c.ok("docker build -t seed .");
    for name in ["c1", "c2", "c3"] {
        c.ok(&format!("docker run -d --name {name} seed sleep 1000"));
    }
    let before = c.ok("docker ps -s");
    let image_size = int(&mut c, "docker image inspect --format '{{.Size}}' seed");
    let hello = int(&mut c, "docker exec c2 stat -c %s /app/hello.txt");
    // "test\n" (COPY) + "aaaaaaaaabbbbbbbbbb\n" (RUN) = 25 bytes.
    assert_eq!(hello, 25);
    for name in ["c1", "c2", "c3"] {
        let size = column(&before, &short_id(&mut c, name), "SIZE");
        assert!(size.starts_with("0B (virtual "), "{name}: {size}");
    }

    c.ok("docker exec c1 sh -c 'echo x >> /app/hello.txt'");
    let after = c.ok("docker ps -s");
    let written = int(&mut c, "docker exec c1 stat -c %s /app/hello.txt");
    assert_eq!(written, 27);
    // Copy-up: the writable layer holds the whole file (27B), not the 2 bytes written.
    let size_rw = int(&mut c, "docker inspect -s --format '{{.SizeRw}}' c1");
    assert_eq!(size_rw, written);
    let c1 = short_id(&mut c, "c1");
    assert_eq!(column(&after, &c1, "SIZE"), "27B (virtual 117MB)");
    for name in ["c2", "c3"] {
        let id = short_id(&mut c, name);
        assert_eq!(column(&after, &id, "SIZE"), "0B (virtual 117MB)");
        assert_eq!(
            int(
                &mut c,
                &format!("docker inspect -s --format '{{{{.SizeRw}}}}' {name}")
            ),
            0
        );
    }
    // "virtual" = SizeRootFs = the image's size + SizeRw.
    for (name, rw) in [("c1", written), ("c2", 0), ("c3", 0)] {
        let root = int(
            &mut c,
            &format!("docker inspect -s --format '{{{{.SizeRootFs}}}}' {name}"),
        );
        assert_eq!(root, image_size + rw, "{name}");
    }
    let diff = c.ok("docker diff c1");
    assert_eq!(diff, "C /app\nC /app/hello.txt\n");
    c.ok("docker diff c2");
    insta::assert_snapshot!("seed_three_containers", c.transcript);
}

fn short_id(c: &mut Console, name: &str) -> String {
    let out = c.quiet(&format!("docker inspect --format '{{{{.Id}}}}' {name}"));
    out.stdout.trim().get(..12).unwrap_or_default().to_string()
}

/// `docker history --no-trunc` rows as (id, size, created_by, comment).
fn history_rows(c: &mut Console, image: &str) -> Vec<(String, String, String, String)> {
    // Checked in code only: the untruncated base-image RUN lines are pages long.
    let out = c.quiet(&format!(
        "docker history --no-trunc --format '{{{{.ID}}}}|{{{{.Size}}}}|{{{{.CreatedBy}}}}|{{{{.Comment}}}}' {image}"
    ));
    assert_eq!(out.exit_code, 0, "{}", out.stderr);
    out.stdout
        .lines()
        .map(|l| {
            let p: Vec<&str> = l.splitn(4, '|').collect();
            (
                p[0].to_string(),
                p[1].to_string(),
                p[2].to_string(),
                p[3].to_string(),
            )
        })
        .collect()
}

/// The base image's rows (`node:14.16.1-alpine3.13`, nine history entries).
const BASE_ROWS: usize = 9;

#[test]
fn history_of_the_seed_image_from_both_builders() {
    let mut c = seed();
    c.ok("docker build -t seed .");
    c.ok("docker history seed");
    let rows = history_rows(&mut c, "seed");
    assert_eq!(rows.len(), 5 + BASE_ROWS);
    let own: Vec<(&str, &str, &str)> = rows
        .iter()
        .take(5)
        .map(|(_, size, by, comment)| (size.as_str(), by.as_str(), comment.as_str()))
        .collect();
    assert_eq!(
        own,
        [
            (
                "25B",
                "RUN /bin/sh -c echo aaaaaaaaabbbbbbbbbb>>hello.txt # buildkit",
                "buildkit.dockerfile.v0"
            ),
            (
                "5B",
                "COPY ./hello.txt ./ # buildkit",
                "buildkit.dockerfile.v0"
            ),
            ("0B", "ENV BUILD_ENV=dev", "buildkit.dockerfile.v0"),
            ("0B", "LABEL author=xxx", "buildkit.dockerfile.v0"),
            ("0B", "WORKDIR /app", "buildkit.dockerfile.v0"),
        ]
    );
    // BuildKit stores no parent images: only the newest row has an id.
    let image_id = value(&mut c, "docker image inspect --format '{{.Id}}' seed");
    assert_eq!(rows[0].0, image_id);
    assert!(rows[1..].iter().all(|r| r.0 == "<missing>"));

    c.ok("DOCKER_BUILDKIT=0 docker build -t seed-legacy .");
    c.ok("docker history seed-legacy");
    let rows = history_rows(&mut c, "seed-legacy");
    assert_eq!(rows.len(), 5 + BASE_ROWS);
    let (size, by, comment) = (&rows[0].1, &rows[0].2, &rows[0].3);
    assert_eq!(
        (size.as_str(), by.as_str(), comment.as_str()),
        ("25B", "/bin/sh -c echo aaaaaaaaabbbbbbbbbb>>hello.txt", "")
    );
    // COPY: one space after #(nop), the source as a content hash, a trailing space.
    assert_eq!(rows[1].1, "5B");
    assert!(
        rows[1].2.starts_with("/bin/sh -c #(nop) COPY file:") && rows[1].2.ends_with(" in ./ "),
        "{:?}",
        rows[1].2
    );
    // Metadata steps: two spaces after #(nop); WORKDIR: one.
    assert_eq!(rows[2].2, "/bin/sh -c #(nop)  ENV BUILD_ENV=dev");
    assert_eq!(rows[3].2, "/bin/sh -c #(nop)  LABEL author=xxx");
    assert_eq!(rows[4].2, "/bin/sh -c #(nop) WORKDIR /app");
    // Every local step shows its intermediate image, and so does the base image's newest
    // row (the parent chain reaches the base image); older base rows are <missing>.
    let base_id = value(
        &mut c,
        "docker image inspect --format '{{.Id}}' node:14.16.1-alpine3.13",
    );
    assert!(rows[..5].iter().all(|r| r.0.starts_with("sha256:")));
    assert_eq!(rows[5].0, base_id);
    assert!(rows[6..].iter().all(|r| r.0 == "<missing>"));
    // The intermediate images are listed by `docker images -a` as <none>.
    let all = c.ok("docker images -a");
    let untagged = all.lines().filter(|l| l.starts_with("<none>")).count();
    assert_eq!(untagged, 4);
    insta::assert_snapshot!("seed_history_both_builders", c.transcript);
}
