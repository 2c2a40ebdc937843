//! Whole docker commands through `execute()` with a fake engine, checked against Docker's
//! documentation examples and the daemon's and CLI's message texts.
//!
//! Sources (all read at these revisions):
//! - Docker CLI reference pages, docker/cli v28.5.2 (ecc694264de6b34e4b59d16245603382f22fa813)
//!   docs/reference/commandline/{image_history,image_ls,container_ls,system_df,inspect}.md,
//!   published at https://docs.docker.com/reference/cli/docker/…
//! - Message texts: moby/moby v28.5.2 daemon/errors.go, daemon/delete.go,
//!   daemon/images/image_delete.go, daemon/images/image.go, distribution/errors.go;
//!   docker/cli v28.5.2 cli/command/container/{run,create}.go, cli/command/system/inspect.go,
//!   cli/command/image/{remove,prune}.go and cli/command/image/testdata/*.golden.
//!
//! Doc tables older than Docker 1.13 use 20-character columns and sizes like "1.089 GB";
//! for those, [`doc_cells`] compares the cells of each row (split on runs of two or more
//! spaces) and leaves out the SIZE column. Examples in the current layout are compared
//! exactly, except that the published pages strip trailing blanks, so each line's trailing
//! spaces are trimmed on both sides ([`doc_text`]).
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::field_reassign_with_default)]

mod docker_cli_fake;

use docker_cli_fake::{ago, FakeBackend, DAY, NOW};
use dockerfile_playground::docker_cli::*;
use std::collections::BTreeMap;

fn run(backend: &mut FakeBackend, line: &str) -> CommandOutput {
    execute(line, backend, NOW)
}

/// Compares with a docs example in the current layout (trailing blanks trimmed).
fn doc_text(actual: &str, expected: &str) {
    let trim = |t: &str| t.lines().map(str::trim_end).collect::<Vec<_>>().join("\n");
    assert_eq!(trim(actual), trim(expected));
}

/// Splits a table into rows of cells (separated by two or more spaces).
fn cells(table: &str) -> Vec<Vec<String>> {
    table
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            l.split("  ")
                .map(str::trim)
                .filter(|c| !c.is_empty())
                .map(str::to_string)
                .collect()
        })
        .collect()
}

/// Compares with an old-layout docs table, leaving out the columns named in `skip`.
fn doc_cells(actual: &str, expected: &str, skip: &[&str]) {
    let a = cells(actual);
    let e = cells(expected);
    assert_eq!(a.len(), e.len(), "row count\n{actual}\nvs\n{expected}");
    let header = e.first().cloned().unwrap_or_default();
    let keep: Vec<usize> = (0..header.len())
        .filter(|i| !skip.contains(&header[*i].as_str()))
        .collect();
    for (ra, re) in a.iter().zip(e.iter()) {
        let pick = |r: &Vec<String>| {
            keep.iter()
                .map(|i| r.get(*i).cloned().unwrap_or_default())
                .collect::<Vec<_>>()
        };
        assert_eq!(pick(ra), pick(re), "\n{actual}");
    }
}

fn image(id_hex: &str, tags: &[&str], created: LogicalTime, size: i64) -> ImageSummary {
    ImageSummary {
        id: format!(
            "sha256:{id_hex}{}",
            "0".repeat(64usize.saturating_sub(id_hex.len()))
        ),
        repo_tags: tags.iter().map(|t| t.to_string()).collect(),
        created: Some(created),
        size,
        shared_size: -1,
        containers: -1,
        ..Default::default()
    }
}

// ---------------------------------------------------------------------------------------
// docker history (image_history.md)

fn alpine_history() -> Vec<HistoryItem> {
    vec![
        HistoryItem {
            id: "sha256:beefdbd8a1da6d2915566fde36db9db0b524eb737fc57cd1367effd16dc0d06d".into(),
            created: ago(21 * DAY),
            created_by: "/bin/sh -c #(nop)  CMD [\"/bin/sh\"]".into(),
            size: 0,
            ..Default::default()
        },
        HistoryItem {
            id: "<missing>".into(),
            created: ago(21 * DAY),
            created_by: "/bin/sh -c #(nop) ADD file:ba2637314e600db5a5f4a4d5c3ac2b9a4d3c1d0e7f8a9b0c1d2e3f4a5b6c7d8e9 in / ".into(),
            size: 8_460_000,
            ..Default::default()
        },
    ]
}

#[test]
fn history_docs_example() {
    let mut b = FakeBackend::default();
    b.history.insert("alpine".into(), alpine_history());
    let out = run(&mut b, "docker image history alpine");
    assert_eq!(out.exit_code, 0);
    doc_text(
        &out.stdout,
        "IMAGE          CREATED       CREATED BY                                      SIZE      COMMENT\nbeefdbd8a1da   3 weeks ago   /bin/sh -c #(nop)  CMD [\"/bin/sh\"]              0B\n<missing>      3 weeks ago   /bin/sh -c #(nop) ADD file:ba2637314e600db5a…   8.46MB\n",
    );
    // The table pads the empty COMMENT cell's column (SIZE) but not the last cell.
    assert!(out.stdout.lines().nth(1).unwrap().ends_with("0B        "));

    let mut items = alpine_history();
    for item in &mut items {
        item.created = ago(28 * DAY);
    }
    b.history.insert("busybox".into(), items);
    let out = run(
        &mut b,
        "docker history --format \"{{.ID}}: {{.CreatedSince}}\" busybox",
    );
    assert_eq!(
        out.stdout,
        "beefdbd8a1da: 4 weeks ago\n<missing>: 4 weeks ago\n"
    );

    let out = run(&mut b, "history --no-trunc -q alpine");
    assert_eq!(
        out.stdout,
        "sha256:beefdbd8a1da6d2915566fde36db9db0b524eb737fc57cd1367effd16dc0d06d\n<missing>\n"
    );

    let out = run(&mut b, "history -H=false alpine");
    let second = out.stdout.lines().nth(2).unwrap().to_string();
    assert!(
        second.contains(&ago(21 * DAY).rfc3339()) && second.contains("8460000"),
        "{second}"
    );
}

// ---------------------------------------------------------------------------------------
// docker images (image_ls.md)

#[test]
fn images_docs_reference_filter() {
    let mut b = FakeBackend::default();
    let t = ago(35 * DAY); // "5 weeks ago"
    b.images = vec![
        image(
            "e02e811dd08f",
            &["busybox:latest", "busybox:uclibc"],
            t,
            1_090_000,
        ),
        image("733eb3059dce", &["busybox:musl"], t, 1_210_000),
        image("21c16b6787c6", &["busybox:glibc"], t, 4_190_000),
    ];
    let out = run(&mut b, "docker images");
    doc_cells(
        &out.stdout,
        "REPOSITORY          TAG                 IMAGE ID            CREATED             SIZE\nbusybox             latest              e02e811dd08f        5 weeks ago         1.09 MB\nbusybox             uclibc              e02e811dd08f        5 weeks ago         1.09 MB\nbusybox             musl                733eb3059dce        5 weeks ago         1.21 MB\nbusybox             glibc               21c16b6787c6        5 weeks ago         4.19 MB",
        &["SIZE"],
    );
    assert!(out.stdout.contains("1.09MB") && out.stdout.contains("4.19MB"));
    let out = run(&mut b, "docker images --filter=reference='busy*:*libc'");
    doc_cells(
        &out.stdout,
        "REPOSITORY          TAG                 IMAGE ID            CREATED             SIZE\nbusybox             uclibc              e02e811dd08f        5 weeks ago         1.09 MB\nbusybox             glibc               21c16b6787c6        5 weeks ago         4.19 MB",
        &["SIZE"],
    );
    let out = run(
        &mut b,
        "docker images --filter=reference='busy*:uclibc' --filter=reference='busy*:glibc'",
    );
    doc_cells(
        &out.stdout,
        "REPOSITORY          TAG                 IMAGE ID            CREATED             SIZE\nbusybox             uclibc              e02e811dd08f        5 weeks ago         1.09 MB\nbusybox             glibc               21c16b6787c6        5 weeks ago         4.19 MB",
        &["SIZE"],
    );
}

#[test]
fn images_docs_repository_argument() {
    let mut b = FakeBackend::default();
    b.images = vec![
        image("308e519aac60", &["java:8"], ago(6 * DAY), 824_500_000),
        image("493d82594c15", &["java:7"], ago(95 * DAY), 656_300_000),
        image(
            "2711b1d6f3aa",
            &["java:latest"],
            ago(155 * DAY),
            603_900_000,
        ),
        image("aaaaaaaaaaaa", &["javax:1"], ago(DAY), 1),
    ];
    let out = run(&mut b, "docker images java");
    doc_cells(
        &out.stdout,
        "REPOSITORY          TAG                 IMAGE ID            CREATED             SIZE\njava                8                   308e519aac60        6 days ago          824.5 MB\njava                7                   493d82594c15        3 months ago        656.3 MB\njava                latest              2711b1d6f3aa        5 months ago        603.9 MB",
        &["SIZE"],
    );
    let out = run(&mut b, "docker images java:8");
    doc_cells(&out.stdout, "REPOSITORY          TAG                 IMAGE ID            CREATED             SIZE\njava                8                   308e519aac60        6 days ago          824.5 MB", &["SIZE"]);
    let out = run(&mut b, "docker images java:0");
    assert_eq!(
        out.stdout,
        "REPOSITORY   TAG       IMAGE ID   CREATED   SIZE\n"
    );
    let out = run(&mut b, "docker images jav");
    assert_eq!(
        out.stdout,
        "REPOSITORY   TAG       IMAGE ID   CREATED   SIZE\n"
    );
}

#[test]
fn images_docs_dangling_label_and_time_filters() {
    let mut b = FakeBackend::default();
    let mut dangling = image("8abc22fbb042", &[], ago(28 * DAY), 0);
    dangling
        .labels
        .insert("com.example.version".into(), "0.1".into());
    let mut m1 = image("eeae25ada2aa", &["match-me-1:latest"], ago(70), 188_300_000);
    m1.labels.insert("com.example.version".into(), "1.0".into());
    let mut m2 = image("dea752e4e117", &["match-me-2:latest"], ago(75), 188_300_000);
    m2.labels.insert("com.example.version".into(), "2.0".into());
    b.images = vec![dangling, m1, m2];
    let out = run(&mut b, "docker images --filter dangling=true");
    doc_cells(&out.stdout, "REPOSITORY          TAG                 IMAGE ID            CREATED             SIZE\n<none>              <none>              8abc22fbb042        4 weeks ago         0 B", &["SIZE"]);
    let out = run(&mut b, "docker images -f dangling=true -q");
    assert_eq!(out.stdout, "8abc22fbb042\n");
    let out = run(
        &mut b,
        "docker images --filter label=com.example.version=1.0",
    );
    doc_cells(&out.stdout, "REPOSITORY          TAG                 IMAGE ID            CREATED              SIZE\nmatch-me-1          latest              eeae25ada2aa        About a minute ago   188.3 MB", &["SIZE"]);
    let out = run(
        &mut b,
        "docker images --filter label=com.example.version=0.2",
    );
    assert_eq!(
        out.stdout,
        "REPOSITORY   TAG       IMAGE ID   CREATED   SIZE\n"
    );
    // Docker 28 lists dangling images without -a (docs: the first `docker images` example).
    let out = run(&mut b, "docker images");
    assert_eq!(cells(&out.stdout).len(), 4);

    let mut t = FakeBackend::default();
    t.images = vec![
        image("eeae25ada2aa", &["image1:latest"], ago(4 * 60), 188_300_000),
        image("dea752e4e117", &["image2:latest"], ago(9 * 60), 188_300_000),
        image(
            "511136ea3c5a",
            &["image3:latest"],
            ago(25 * 60),
            188_300_000,
        ),
    ];
    let out = run(&mut t, "docker images --filter before=image1");
    doc_cells(&out.stdout, "REPOSITORY          TAG                 IMAGE ID            CREATED              SIZE\nimage2              latest              dea752e4e117        9 minutes ago        188.3 MB\nimage3              latest              511136ea3c5a        25 minutes ago       188.3 MB", &["SIZE"]);
    let out = run(&mut t, "docker images --filter since=image3");
    doc_cells(&out.stdout, "REPOSITORY          TAG                 IMAGE ID            CREATED              SIZE\nimage1              latest              eeae25ada2aa        4 minutes ago        188.3 MB\nimage2              latest              dea752e4e117        9 minutes ago        188.3 MB", &["SIZE"]);
    let out = run(&mut t, "docker images --filter foo=bar");
    assert_eq!(
        (out.stderr.as_str(), out.exit_code),
        ("Error response from daemon: invalid filter 'foo'\n", 1)
    );
}

#[test]
fn images_docs_digests_and_no_trunc() {
    let mut b = FakeBackend::default();
    let mut img = image("4986bf8c1536", &[], ago(63 * DAY), 2_430_000);
    img.repo_digests = vec!["localhost:5000/test/busybox@sha256:cbbf2f9a99b47fc460d422812b6a5adff7dfee951d8fa2e4a98caa0382cfbdbf".into()];
    b.images = vec![img];
    let out = run(&mut b, "docker images --digests");
    doc_cells(
        &out.stdout,
        "REPOSITORY                         TAG                 DIGEST                                                                    IMAGE ID            CREATED             SIZE\nlocalhost:5000/test/busybox        <none>              sha256:cbbf2f9a99b47fc460d422812b6a5adff7dfee951d8fa2e4a98caa0382cfbdbf   4986bf8c1536        9 weeks ago         2.43 MB",
        // Current go-units says "2 months" from 60 days on; "9 weeks" is an older version's.
        &["SIZE", "CREATED"],
    );
    let mut n = FakeBackend::default();
    n.images = vec![ImageSummary {
        id: "sha256:77af4d6b9913e693e8d0b4b294fa62ade6054e6b2f1ffb617ac955dd63fb0182".into(),
        created: Some(ago(19 * 3600)),
        size: 1_089_000_000,
        shared_size: -1,
        containers: -1,
        ..Default::default()
    }];
    let out = run(&mut n, "docker images --no-trunc");
    doc_cells(&out.stdout, "REPOSITORY                    TAG                 IMAGE ID                                                                  CREATED             SIZE\n<none>                        <none>              sha256:77af4d6b9913e693e8d0b4b294fa62ade6054e6b2f1ffb617ac955dd63fb0182   19 hours ago        1.089 GB", &["SIZE"]);
    assert!(out.stdout.contains("1.09GB"));
}

#[test]
fn images_json_format_uses_dockers_field_names() {
    let mut b = FakeBackend::default();
    b.images = vec![image(
        "4e38e38c8ce0",
        &["alpine:3.19"],
        ago(2 * 3600),
        7_380_000,
    )];
    let out = run(&mut b, "docker images --format json");
    let created = ago(2 * 3600).go_string();
    assert_eq!(
        out.stdout,
        format!("{{\"Containers\":\"N/A\",\"CreatedAt\":\"{created}\",\"CreatedSince\":\"2 hours ago\",\"Digest\":\"\\u003cnone\\u003e\",\"ID\":\"4e38e38c8ce0\",\"Repository\":\"alpine\",\"SharedSize\":\"N/A\",\"Size\":\"7.38MB\",\"Tag\":\"3.19\",\"UniqueSize\":\"N/A\",\"VirtualSize\":\"7.38MB\"}}\n")
    );
    let out = run(&mut b, "images --format '{{json .Repository}}'");
    assert_eq!(out.stdout, "\"alpine\"\n");
}

// ---------------------------------------------------------------------------------------
// docker ps (container_ls.md)

fn container(
    id: &str,
    name: &str,
    image: &str,
    created: LogicalTime,
    state: ContainerState,
) -> ContainerSummary {
    ContainerSummary {
        id: format!("{id}{}", "0".repeat(64usize.saturating_sub(id.len()))),
        names: vec![name.into()],
        image: image.into(),
        image_id: String::new(),
        path: "top".into(),
        created,
        state,
        ..Default::default()
    }
}

fn up(since: LogicalTime) -> ContainerState {
    ContainerState {
        status: ContainerStatus::Running,
        started_at: Some(since),
        ..Default::default()
    }
}

#[test]
fn ps_docs_label_and_name_filters() {
    let mut b = FakeBackend::default();
    let mut a = container(
        "673394ef1d4c",
        "nostalgic_shockley",
        "busybox",
        ago(47),
        up(ago(45)),
    );
    a.labels.insert("color".into(), "red".into());
    let mut c = container(
        "d85756f57265",
        "high_albattani",
        "busybox",
        ago(52),
        up(ago(51)),
    );
    c.labels.insert("color".into(), "blue".into());
    b.containers = vec![a, c];
    let out = run(&mut b, "docker ps --filter \"label=color\"");
    doc_cells(
        &out.stdout,
        "CONTAINER ID        IMAGE               COMMAND             CREATED             STATUS              PORTS               NAMES\n673394ef1d4c        busybox             \"top\"               47 seconds ago      Up 45 seconds                           nostalgic_shockley\nd85756f57265        busybox             \"top\"               52 seconds ago      Up 51 seconds                           high_albattani",
        &[],
    );
    let out = run(&mut b, "docker ps --filter label=color=blue");
    assert_eq!(cells(&out.stdout).len(), 2);
    assert!(out.stdout.contains("high_albattani"));

    let mut n = FakeBackend::default();
    n.containers = vec![
        container(
            "715ebfcee040",
            "i_am_nostalgic",
            "busybox",
            ago(3),
            up(ago(1)),
        ),
        container(
            "9b6247364a03",
            "nostalgic_stallman",
            "busybox",
            ago(7 * 60),
            up(ago(7 * 60)),
        ),
        container(
            "673394ef1d4c",
            "nostalgic_shockley",
            "busybox",
            ago(38 * 60),
            up(ago(38 * 60)),
        ),
        container(
            "d5c976d3c462",
            "top",
            "busybox",
            ago(39 * 60),
            up(ago(39 * 60)),
        ),
    ];
    let out = run(&mut n, "docker ps --filter name=nostalgic");
    doc_cells(
        &out.stdout,
        "CONTAINER ID        IMAGE               COMMAND             CREATED             STATUS              PORTS               NAMES\n715ebfcee040        busybox             \"top\"               3 seconds ago       Up 1 second                             i_am_nostalgic\n9b6247364a03        busybox             \"top\"               7 minutes ago       Up 7 minutes                            nostalgic_stallman\n673394ef1d4c        busybox             \"top\"               38 minutes ago      Up 38 minutes                           nostalgic_shockley",
        &[],
    );
}

#[test]
fn ps_docs_exited_status_and_ancestor_filters() {
    let exited = |code: i64, finished: LogicalTime| ContainerState {
        status: ContainerStatus::Exited,
        exit_code: code,
        started_at: Some(finished),
        finished_at: Some(finished),
        ..Default::default()
    };
    let mut b = FakeBackend::default();
    let mut sleep = container(
        "b3e1c0ed5bfe",
        "grave_kowalevski",
        "ubuntu:latest",
        ago(12),
        exited(137, ago(5)),
    );
    sleep.path = "sleep".into();
    sleep.args = vec!["1000".into()];
    let mut redis = container(
        "a2eb5558d669",
        "sharp_lalande",
        "redis:latest",
        ago(2 * 3600),
        exited(137, ago(2 * 3600)),
    );
    redis.path = "/entrypoint.sh".into();
    redis.args = vec!["redis-server".into()];
    let ok = container(
        "48ee228c9464",
        "tender_torvalds",
        "fedora:20",
        ago(3 * DAY),
        exited(0, ago(3 * DAY)),
    );
    b.containers = vec![sleep, redis, ok];
    let out = run(&mut b, "docker ps -a --filter 'exited=137'");
    doc_cells(
        &out.stdout,
        "CONTAINER ID        IMAGE               COMMAND                CREATED             STATUS                       PORTS               NAMES\nb3e1c0ed5bfe        ubuntu:latest       \"sleep 1000\"           12 seconds ago      Exited (137) 5 seconds ago                       grave_kowalevski\na2eb5558d669        redis:latest        \"/entrypoint.sh redi…\"   2 hours ago         Exited (137) 2 hours ago                         sharp_lalande",
        // The doc predates the "…" ellipsis (it cut at 20 characters without it).
        &["COMMAND"],
    );
    assert!(out.stdout.contains("\"/entrypoint.sh redi…\""));
    // Without -a, stopped containers are hidden, but an exited filter shows them.
    assert_eq!(cells(&run(&mut b, "docker ps").stdout).len(), 1);

    let mut s = FakeBackend::default();
    let mut paused = container(
        "673394ef1d4c",
        "nostalgic_shockley",
        "busybox",
        ago(3600),
        up(ago(3600)),
    );
    paused.state.status = ContainerStatus::Paused;
    s.containers = vec![
        paused,
        container(
            "715ebfcee040",
            "i_am_nostalgic",
            "busybox",
            ago(16 * 60),
            up(ago(16 * 60)),
        ),
    ];
    let out = run(&mut s, "docker ps --filter status=paused");
    doc_cells(
        &out.stdout,
        "CONTAINER ID        IMAGE               COMMAND             CREATED             STATUS                      PORTS               NAMES\n673394ef1d4c        busybox             \"top\"               About an hour ago   Up About an hour (Paused)                       nostalgic_shockley",
        &[],
    );

    // ancestor matches the image and images built on it (through their parent).
    let mut a = FakeBackend::default();
    let mut ubuntu = image("d0e008c6cf02", &["ubuntu:24.04"], ago(DAY), 1);
    ubuntu.repo_tags.push("ubuntu:latest".into());
    let mut child = image("c1c1c1c1c1c1", &["ubuntu-c1:latest"], ago(DAY), 1);
    child.parent_id = ubuntu.id.clone();
    let mut c1 = container(
        "919e1179bdb8",
        "admiring_lovelace",
        "ubuntu-c1",
        ago(70),
        up(ago(70)),
    );
    c1.image_id = child.id.clone();
    let mut c2 = container(
        "82a598284012",
        "sleepy_bose",
        "ubuntu:24.04",
        ago(180),
        up(ago(180)),
    );
    c2.image_id = ubuntu.id.clone();
    let mut other = container("aaaaaaaaaaaa", "other", "busybox", ago(10), up(ago(10)));
    other.image_id = "sha256:ffff".into();
    a.images = vec![ubuntu, child];
    a.containers = vec![c1, c2, other];
    let out = run(&mut a, "docker ps --filter ancestor=ubuntu");
    doc_cells(
        &out.stdout,
        "CONTAINER ID        IMAGE               COMMAND             CREATED              STATUS              PORTS               NAMES\n919e1179bdb8        ubuntu-c1           \"top\"               About a minute ago   Up About a minute                       admiring_lovelace\n82a598284012        ubuntu:24.04        \"top\"               3 minutes ago        Up 3 minutes                            sleepy_bose",
        &[],
    );
    let out = run(&mut a, "docker ps --filter ancestor=d0e008c6cf02");
    assert_eq!(cells(&out.stdout).len(), 3);
    let out = run(&mut a, "docker ps --filter ancestor=ubuntu-c1");
    assert_eq!(cells(&out.stdout).len(), 2);
}

#[test]
fn ps_size_and_status_columns() {
    // semantics doc §6.1 and container_ls.md --size: "2B (virtual 21.5MB)".
    let mut b = FakeBackend::default();
    let mut c = container(
        "e90b8831a4b8",
        "my_nginx",
        "nginx",
        ago(56 * DAY),
        up(ago(4 * 3600)),
    );
    c.path = "/bin/bash".into();
    c.args = vec!["-c".into(), "mkdir /x && nginx".into()];
    c.size_rw = 2;
    c.size_root_fs = 21_500_000;
    b.containers = vec![c];
    let out = run(&mut b, "docker ps -s");
    assert_eq!(
        out.stdout,
        "CONTAINER ID   IMAGE     COMMAND                  CREATED       STATUS       PORTS     NAMES      SIZE\ne90b8831a4b8   nginx     \"/bin/bash -c 'mkdir…\"   8 weeks ago   Up 4 hours             my_nginx   2B (virtual 21.5MB)\n"
    );
    let out = run(&mut b, "docker ps --format '{{.Size}}'");
    assert_eq!(out.stdout, "2B (virtual 21.5MB)\n");
    assert_eq!(
        b.calls.last().map(String::as_str),
        Some("list_containers size=true")
    );
    let out = run(&mut b, "docker ps -q --format '{{.Names}}'");
    assert_eq!(out.stdout, "e90b8831a4b8\n");
    assert_eq!(
        out.stderr,
        "WARNING: Ignoring custom format, because both --format and --quiet are set.\n"
    );
    let created = ContainerState::default();
    assert_eq!(created.status_text(NOW), "Created");
    let stopped = ContainerState {
        status: ContainerStatus::Exited,
        started_at: Some(ago(600)),
        finished_at: Some(ago(3)),
        ..Default::default()
    };
    assert_eq!(stopped.status_text(NOW), "Exited (0) 3 seconds ago");
    assert_eq!(up(ago(120)).status_text(NOW), "Up 2 minutes");
}

// ---------------------------------------------------------------------------------------
// docker system df (system_df.md: the JSON example)

#[test]
fn system_df_docs_json_example() {
    let mut du = DiskUsage {
        layers_size: 2_631_000_000,
        ..Default::default()
    };
    // 6 images, 2 in use by containers; 133MB of the in-use images is not shared.
    for i in 0..6 {
        let mut img = image(&format!("{i:012}"), &[], ago(DAY), 0);
        img.shared_size = 0;
        img.containers = 0;
        du.images.push(img);
    }
    du.images[0].containers = 1;
    du.images[0].size = 100_000_000;
    du.images[1].containers = 2;
    du.images[1].size = 33_000_000;
    // 7 containers, 1 running: 2.23kB in writable layers, 1.114kB of it stopped.
    for i in 0..7 {
        let state = if i == 0 {
            up(ago(60))
        } else {
            ContainerState {
                status: ContainerStatus::Exited,
                ..Default::default()
            }
        };
        let mut c = container(&format!("{i:012}"), "c", "alpine", ago(60), state);
        c.size_rw = if i == 0 {
            1116
        } else if i == 1 {
            1114
        } else {
            0
        };
        du.containers.push(c);
    }
    du.volumes.push(VolumeUsage {
        name: "v".into(),
        driver: "local".into(),
        ref_count: 0,
        size: 256_500_000,
    });
    for i in 0..17 {
        du.build_cache.push(BuildCacheRecord {
            id: format!("{i}"),
            size: if i == 0 { 14 } else { 9 },
            ..Default::default()
        });
    }
    let mut b = FakeBackend {
        disk_usage: du,
        ..Default::default()
    };
    let out = run(&mut b, "docker system df --format json");
    assert_eq!(
        out.stdout,
        "{\"Active\":\"2\",\"Reclaimable\":\"2.498GB (94%)\",\"Size\":\"2.631GB\",\"TotalCount\":\"6\",\"Type\":\"Images\"}\n{\"Active\":\"1\",\"Reclaimable\":\"1.114kB (49%)\",\"Size\":\"2.23kB\",\"TotalCount\":\"7\",\"Type\":\"Containers\"}\n{\"Active\":\"0\",\"Reclaimable\":\"256.5MB (100%)\",\"Size\":\"256.5MB\",\"TotalCount\":\"1\",\"Type\":\"Local Volumes\"}\n{\"Active\":\"0\",\"Reclaimable\":\"158B\",\"Size\":\"158B\",\"TotalCount\":\"17\",\"Type\":\"Build Cache\"}\n"
    );
    let out = run(&mut b, "docker system df");
    assert_eq!(
        out.stdout,
        "TYPE            TOTAL     ACTIVE    SIZE      RECLAIMABLE\nImages          6         2         2.631GB   2.498GB (94%)\nContainers      7         1         2.23kB    1.114kB (49%)\nLocal Volumes   1         0         256.5MB   256.5MB (100%)\nBuild Cache     17        0         158B      158B\n"
    );
}

#[test]
fn system_df_verbose_sections() {
    let mut du = DiskUsage {
        layers_size: 11_000_005,
        ..Default::default()
    };
    let mut curl = image("b2789dd875bf", &["my-curl:latest"], ago(6 * 60), 11_000_005);
    curl.shared_size = 11_000_000;
    curl.containers = 0;
    let mut alpine = image("4e38e38c8ce0", &["alpine:latest"], ago(63 * DAY), 4_799_000);
    alpine.shared_size = 0;
    alpine.containers = 1;
    du.images = vec![curl, alpine];
    let exited = ContainerState {
        status: ContainerStatus::Exited,
        started_at: Some(ago(16 * 60)),
        finished_at: Some(ago(5 * 60)),
        ..Default::default()
    };
    let mut c = container(
        "4a7f7eebae0f",
        "hopeful_yalow",
        "alpine:latest",
        ago(16 * 60),
        exited,
    );
    c.path = "sh".into();
    c.size_rw = 212;
    c.size_root_fs = 5_000_000;
    c.mounts = vec![MountSummary {
        name: "07c7bdf3e34ab76d921894c2b834f073721fccfbbcba792aa7648e3a7a664c2e".into(),
        source: String::new(),
        driver: "local".into(),
    }];
    du.containers = vec![c];
    du.volumes = vec![VolumeUsage {
        name: "my-named-vol".into(),
        driver: "local".into(),
        ref_count: 0,
        size: 0,
    }];
    let mut b = FakeBackend {
        disk_usage: du,
        ..Default::default()
    };
    let out = run(&mut b, "docker system df -v");
    assert_eq!(
        out.stdout,
        "Images space usage:\n\nREPOSITORY   TAG       IMAGE ID       CREATED         SIZE      SHARED SIZE   UNIQUE SIZE   CONTAINERS\nmy-curl      latest    b2789dd875bf   6 minutes ago   11MB      11MB          5B            0\nalpine       latest    4e38e38c8ce0   2 months ago    4.8MB     0B            4.799MB       1\n\nContainers space usage:\n\nCONTAINER ID   IMAGE           COMMAND   LOCAL VOLUMES   SIZE      CREATED          STATUS                     NAMES\n4a7f7eebae0f   alpine:latest   \"sh\"      1               212B      16 minutes ago   Exited (0) 5 minutes ago   hopeful_yalow\n\nLocal Volumes space usage:\n\nVOLUME NAME    LINKS     SIZE\nmy-named-vol   0         0B\n\nBuild cache usage: 0B\n\nCACHE ID   CACHE TYPE   SIZE      CREATED   LAST USED   USAGE     SHARED\n"
    );
}

// ---------------------------------------------------------------------------------------
// docker inspect (inspect.md) and the image inspect JSON of the v28 daemon

fn alpine_inspect() -> ImageInspect {
    let mut labels = BTreeMap::new();
    labels.insert(
        "maintainer".to_string(),
        "NGINX Docker Maintainers <docker-maint@nginx.com>".to_string(),
    );
    ImageInspect {
        id: "sha256:4e38e38c8ce0b8d9041a9c4fefe786631d1416225e13b0bfe8cfa2321aec4bba".into(),
        repo_tags: vec!["alpine:3.19".into()],
        repo_digests: vec![],
        created: "2024-01-27T00:30:48.743965523Z".into(),
        config: ImageConfig {
            env: vec!["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin".into()],
            cmd: vec!["/bin/sh".into()],
            labels,
            ..Default::default()
        },
        architecture: "amd64".into(),
        os: "linux".into(),
        size: 7_383_000,
        graph_driver: GraphDriver {
            data: BTreeMap::new(),
            name: "overlay2".into(),
        },
        root_fs: RootFs {
            kind: "layers".into(),
            layers: vec![
                "sha256:d4fc045c9e3a848011de66f34b81f052d4f2c15a17bb196d637e526349601820".into(),
            ],
        },
        ..Default::default()
    }
}

#[test]
fn image_inspect_json_and_templates() {
    let mut b = FakeBackend::default();
    b.image_inspect
        .insert("alpine:3.19".into(), alpine_inspect());
    let out = run(&mut b, "docker image inspect alpine:3.19");
    assert_eq!(out.exit_code, 0, "{}", out.stderr);
    let expected = "[\n    {\n        \"Id\": \"sha256:4e38e38c8ce0b8d9041a9c4fefe786631d1416225e13b0bfe8cfa2321aec4bba\",\n        \"RepoTags\": [\n            \"alpine:3.19\"\n        ],\n        \"RepoDigests\": [],\n        \"Parent\": \"\",\n        \"Comment\": \"\",\n        \"Created\": \"2024-01-27T00:30:48.743965523Z\",\n        \"DockerVersion\": \"\",\n        \"Author\": \"\",\n        \"Architecture\": \"amd64\",\n        \"Os\": \"linux\",\n        \"Size\": 7383000,\n        \"GraphDriver\": {\n            \"Data\": {},\n            \"Name\": \"overlay2\"\n        },\n        \"RootFS\": {\n            \"Type\": \"layers\",\n            \"Layers\": [\n                \"sha256:d4fc045c9e3a848011de66f34b81f052d4f2c15a17bb196d637e526349601820\"\n            ]\n        },\n        \"Metadata\": {\n            \"LastTagTime\": \"0001-01-01T00:00:00Z\"\n        },\n        \"Config\": {\n            \"Cmd\": [\n                \"/bin/sh\"\n            ],\n            \"Entrypoint\": null,\n            \"Env\": [\n                \"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\"\n            ],\n            \"Labels\": {\n                \"maintainer\": \"NGINX Docker Maintainers \\u003cdocker-maint@nginx.com\\u003e\"\n            },\n            \"OnBuild\": null,\n            \"User\": \"\",\n            \"Volumes\": null,\n            \"WorkingDir\": \"\"\n        }\n    }\n]\n";
    assert_eq!(out.stdout, expected);
    let cases = [
        (
            "{{.Config.Env}}",
            "[PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin]\n",
        ),
        ("{{.Os}}/{{.Architecture}}", "linux/amd64\n"),
        ("{{.Config.Entrypoint}}", "[]\n"),
        ("{{json .Config.Cmd}}", "[\"/bin/sh\"]\n"),
        (
            "{{index .Config.Labels \"maintainer\"}}",
            "NGINX Docker Maintainers <docker-maint@nginx.com>\n",
        ),
        (
            "{{range .RootFS.Layers}}{{println .}}{{end}}",
            "sha256:d4fc045c9e3a848011de66f34b81f052d4f2c15a17bb196d637e526349601820\n\n",
        ),
        ("{{.Size}}", "7383000\n"),
    ];
    for (format, expected) in cases {
        let out = run(
            &mut b,
            &format!("docker image inspect --format '{format}' alpine:3.19"),
        );
        assert_eq!(out.stdout, expected, "{format}");
    }
    let out = run(&mut b, "docker inspect -f '{{.Nope}}' alpine:3.19");
    assert_eq!(out.stderr, "template parsing error: template: :1:2: executing \"\" at <.Nope>: map has no entry for key \"Nope\"\n");
    assert_eq!((out.stdout.as_str(), out.exit_code), ("\n", 1));
}

#[test]
fn container_inspect_size_docs_example() {
    // inspect.md: `docker inspect --size database -f '{{ .SizeRootFs }}'` → 123125760.
    let mut b = FakeBackend::default();
    b.container_inspect.insert(
        "database".into(),
        ContainerInspect {
            id: "3b2cbf074c99db4a0cad35966a9e24d7bc277f5565c17233386589029b7db273".into(),
            name: "/database".into(),
            size_rw: Some(8192),
            size_root_fs: Some(123_125_760),
            config: ContainerConfig {
                image: "redis".into(),
                ..Default::default()
            },
            ..Default::default()
        },
    );
    assert_eq!(
        run(
            &mut b,
            "docker inspect --size database -f '{{ .SizeRootFs }}'"
        )
        .stdout,
        "123125760\n"
    );
    assert_eq!(
        run(&mut b, "docker inspect --size database -f '{{ .SizeRw }}'").stdout,
        "8192\n"
    );
    assert_eq!(
        run(
            &mut b,
            "docker inspect --format='{{.Config.Image}}' database"
        )
        .stdout,
        "redis\n"
    );
    assert_eq!(
        b.calls.first().map(String::as_str),
        Some("inspect_container database size=true")
    );
}

// ---------------------------------------------------------------------------------------
// Errors and other commands (message texts from the Moby and docker/cli sources)

#[test]
fn not_found_errors() {
    let mut b = FakeBackend::default();
    let cases: &[(&str, &str, &str, i32)] = &[
        ("docker inspect nope", "[]\n", "Error: No such object: nope\n", 1),
        ("docker image inspect nope", "[]\n", "Error response from daemon: No such image: nope:latest\n", 1),
        ("docker container inspect nope", "[]\n", "Error response from daemon: No such container: nope\n", 1),
        ("docker inspect -f '{{.Id}}' nope", "\n", "Error: No such object: nope\n", 1),
        ("docker history nope", "", "Error response from daemon: No such image: nope:latest\n", 1),
        ("docker history nope:1.0", "", "Error response from daemon: No such image: nope:1.0\n", 1),
        ("docker diff nope", "", "Error response from daemon: No such container: nope\n", 1),
        ("docker exec nope ls", "", "Error response from daemon: No such container: nope\n", 1),
        ("docker stop a b", "", "Error response from daemon: No such container: a\nError response from daemon: No such container: b\n", 1),
        ("docker start nope", "", "Error response from daemon: No such container: nope\nError: failed to start containers: nope\n", 1),
        ("docker rm nope", "", "Error response from daemon: No such container: nope\n", 1),
        ("docker rm -f nope", "", "Error response from daemon: No such container: nope\n", 0),
        ("docker rmi nope", "", "Error response from daemon: No such image: nope:latest\n", 1),
        ("docker rmi -f nope", "", "Error response from daemon: No such image: nope:latest\n", 0),
    ];
    for (line, stdout, stderr, code) in cases {
        let out = run(&mut b, line);
        assert_eq!(
            (out.stdout.as_str(), out.stderr.as_str(), out.exit_code),
            (*stdout, *stderr, *code),
            "{line}"
        );
    }
}

#[test]
fn run_outputs_and_errors() {
    let mut b = FakeBackend::default();
    b.run = Some(RunOutcome {
        pulled: Some(PullLog {
            reference: "nosuch:latest".into(),
            lines: vec![],
        }),
        result: Err(DaemonError::PullAccessDenied("nosuch".into())),
    });
    let out = run(&mut b, "docker run nosuch");
    assert_eq!(out.stderr, "Unable to find image 'nosuch:latest' locally\ndocker: Error response from daemon: pull access denied for nosuch, repository does not exist or may require 'docker login': denied: requested access to the resource is denied\n\nRun 'docker run --help' for more information\n");
    assert_eq!(out.exit_code, 125);

    let id = "3b2cbf074c99db4a0cad35966a9e24d7bc277f5565c17233386589029b7db273".to_string();
    b.run = Some(RunOutcome {
        pulled: Some(PullLog {
            reference: "alpine:latest".into(),
            lines: vec![
                "latest: Pulling from library/alpine".into(),
                "Status: Downloaded newer image for alpine:latest".into(),
            ],
        }),
        result: Ok(RunResult {
            container_id: id.clone(),
            output: ProcessOutput {
                stdout: "hello\n".into(),
                stderr: String::new(),
                exit_code: 3,
                ..Default::default()
            },
            ..Default::default()
        }),
    });
    let out = run(
        &mut b,
        "docker run --rm -e A=1 -e B=2 alpine sh -c 'echo hello; exit 3'",
    );
    assert_eq!(out.stdout, "hello\n");
    assert_eq!(out.stderr, "Unable to find image 'alpine:latest' locally\nlatest: Pulling from library/alpine\nStatus: Downloaded newer image for alpine:latest\n");
    assert_eq!(out.exit_code, 3);
    assert_eq!(
        b.calls.last().unwrap(),
        "run alpine [\"sh\", \"-c\", \"echo hello; exit 3\"]"
    );
    let out = run(&mut b, "docker run -d --name web alpine");
    assert_eq!(out.stdout, format!("{id}\n"));
    assert_eq!(out.exit_code, 0);

    b.run = Some(RunOutcome {
        pulled: None,
        result: Ok(RunResult {
            container_id: id,
            start_error: Some("failed to create task for container: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: error during container init: exec: \"nosuchcmd\": executable file not found in $PATH: unknown".into()),
            ..Default::default()
        }),
    });
    let out = run(&mut b, "docker run alpine nosuchcmd");
    assert_eq!(out.exit_code, 127);
    assert!(out
        .stderr
        .starts_with("docker: Error response from daemon: failed to create task"));
    assert!(out
        .stderr
        .ends_with("\n\nRun 'docker run --help' for more information\n"));
}

#[test]
fn rm_rmi_and_prune_outputs() {
    let mut b = FakeBackend::default();
    b.rmi.insert(
        "alpine:3.19".into(),
        Ok(vec![
            DeleteRecord::Untagged("alpine:3.19".into()),
            DeleteRecord::Untagged(
                "alpine@sha256:c5b1261d6d3e43071626931fc004f70149baeba2c8ec672bd4f27761f8e1ad6b"
                    .into(),
            ),
            DeleteRecord::Deleted(
                "sha256:05455a08881ea9cf0e752bc48e61bbd71a34c029bb13df01e40e3e70e0d007bd".into(),
            ),
        ]),
    );
    b.rmi.insert(
        "busybox".into(),
        Err(DaemonError::ImageDeleteConflict {
            image_id: "sha256:beefdbd8a1da6d2915566fde36db9db0b524eb737fc57cd1367effd16dc0d06d"
                .into(),
            hard: false,
            reason: "image is being used by stopped container 0123456789ab".into(),
        }),
    );
    b.rmi.insert(
        "web:1".into(),
        Err(DaemonError::RepositoryReferenceConflict {
            reference: "web:1".into(),
            container_id: "0123456789abcdef".into(),
            image_id: "sha256:4e38e38c8ce0b8d9041a9c4fefe786631d1416225e13b0bfe8cfa2321aec4bba"
                .into(),
        }),
    );
    let out = run(&mut b, "docker rmi alpine:3.19");
    assert_eq!(out.stdout, "Untagged: alpine:3.19\nUntagged: alpine@sha256:c5b1261d6d3e43071626931fc004f70149baeba2c8ec672bd4f27761f8e1ad6b\nDeleted: sha256:05455a08881ea9cf0e752bc48e61bbd71a34c029bb13df01e40e3e70e0d007bd\n");
    let out = run(&mut b, "docker rmi busybox");
    assert_eq!(out.stderr, "Error response from daemon: conflict: unable to delete beefdbd8a1da (must be forced) - image is being used by stopped container 0123456789ab\n");
    assert_eq!(out.exit_code, 1);
    let out = run(&mut b, "docker image rm web:1");
    assert_eq!(out.stderr, "Error response from daemon: conflict: unable to remove repository reference \"web:1\" (must force) - container 0123456789ab is using its referenced image 4e38e38c8ce0\n");
    // A conflict is fatal even with -f (docker/cli remove.go).
    assert_eq!(run(&mut b, "docker rmi -f busybox nope").exit_code, 1);

    b.rm.insert(
        "web".into(),
        Err(DaemonError::ContainerRunning {
            name: "web".into(),
            state: ContainerStatus::Running,
        }),
    );
    b.rm.insert("old".into(), Ok(()));
    let out = run(&mut b, "docker rm old web");
    assert_eq!(out.stdout, "old\n");
    assert_eq!(out.stderr, "Error response from daemon: cannot remove container \"web\": container is running: stop the container before removing or force remove\n");

    // cli/command/image/testdata/prune-command-success.force-deleted.golden
    b.prune = PruneReport {
        deleted: vec![DeleteRecord::Deleted("image1".into())],
        space_reclaimed: 1,
    };
    assert_eq!(
        run(&mut b, "docker image prune -f").stdout,
        "Deleted Images:\ndeleted: image1\n\nTotal reclaimed space: 1B\n"
    );
    // prune-command-success.force-untagged.golden
    b.prune = PruneReport {
        deleted: vec![DeleteRecord::Untagged("image1".into())],
        space_reclaimed: 2,
    };
    assert_eq!(
        run(&mut b, "docker image prune --force").stdout,
        "Deleted Images:\nuntagged: image1\n\nTotal reclaimed space: 2B\n"
    );
    // prune-command-success.label-filter.golden shows the empty report.
    b.prune = PruneReport::default();
    assert_eq!(
        run(&mut b, "docker image prune -f -a").stdout,
        "Total reclaimed space: 0B\n"
    );
    let out = run(&mut b, "docker image prune -a");
    assert_eq!(out.stdout, "WARNING! This will remove all images without at least one container associated to them.\nAre you sure you want to continue? [y/N] ");
    b.prune = PruneReport {
        deleted: vec![DeleteRecord::Deleted("4a7f7eebae0f4a7f7eebae0f".into())],
        space_reclaimed: 212,
    };
    assert_eq!(
        run(&mut b, "docker container prune -f").stdout,
        "Deleted Containers:\n4a7f7eebae0f4a7f7eebae0f\n\nTotal reclaimed space: 212B\n"
    );
}

#[test]
fn diff_commit_tag_exec() {
    let mut b = FakeBackend::default();
    b.diffs.insert(
        "web".into(),
        vec![
            FilesystemChange {
                kind: ChangeKind::Modified,
                path: "/etc".into(),
            },
            FilesystemChange {
                kind: ChangeKind::Added,
                path: "/etc/app.conf".into(),
            },
            FilesystemChange {
                kind: ChangeKind::Deleted,
                path: "/tmp/x".into(),
            },
        ],
    );
    assert_eq!(
        run(&mut b, "docker diff web").stdout,
        "C /etc\nA /etc/app.conf\nD /tmp/x\n"
    );
    let out = run(
        &mut b,
        "docker commit -m 'add conf' -c 'CMD [\"sh\"]' web myimg:v2",
    );
    assert_eq!(
        out.stdout,
        "sha256:6c3c624b58dbbcd3c0dd82b4c53f04194d1247c6eebdaab7c610cf7d66709b3b\n"
    );
    assert_eq!(run(&mut b, "docker tag alpine myalpine:1").stdout, "");
    let out = run(&mut b, "docker tag alpine Bad");
    assert_eq!(out.stderr, "Error parsing reference: \"Bad\" is not a valid repository/tag: invalid reference format: repository name (library/Bad) must be lowercase\n");
    b.exec = Some(Err(DaemonError::NotRunning { id: "abc".into() }));
    assert_eq!(
        run(&mut b, "docker exec -it web sh").stderr,
        "Error response from daemon: container abc is not running\n"
    );
    b.exec = Some(Ok(ProcessOutput {
        stdout: "root\n".into(),
        stderr: String::new(),
        exit_code: 0,
        ..Default::default()
    }));
    assert_eq!(
        run(&mut b, "docker exec -u root -w /tmp web whoami").stdout,
        "root\n"
    );
}

#[test]
fn version_and_flags() {
    let mut b = FakeBackend::default();
    assert_eq!(
        run(&mut b, "docker --version").stdout,
        "Docker version 28.5.2, build ecc6942\n"
    );
    assert_eq!(
        run(&mut b, "docker -v").stdout,
        "Docker version 28.5.2, build ecc6942\n"
    );
    b.version = Some(ServerVersion {
        platform_name: String::new(),
        version: "28.5.2".into(),
        api_version: "1.51".into(),
        min_api_version: "1.24".into(),
        go_version: "go1.24.9".into(),
        git_commit: "89c5e8f".into(),
        built: "Wed Nov  5 10:32:31 2025".into(),
        os: "linux".into(),
        arch: "amd64".into(),
        experimental: false,
    });
    let out = run(&mut b, "docker version");
    assert_eq!(
        out.stdout,
        "Client:\n Version:           28.5.2\n API version:       1.51\n Go version:        go1.24.9\n Git commit:        ecc6942\n Built:             Wed Nov  5 10:32:31 2025\n OS/Arch:           linux/amd64\n Context:           default\n\nServer:\n Engine:\n  Version:          28.5.2\n  API version:      1.51 (minimum version 1.24)\n  Go version:       go1.24.9\n  Git commit:       89c5e8f\n  Built:            Wed Nov  5 10:32:31 2025\n  OS/Arch:          linux/amd64\n  Experimental:     false\n"
    );
    assert_eq!(
        run(&mut b, "docker version --format '{{.Server.Version}}'").stdout,
        "28.5.2\n"
    );
}
