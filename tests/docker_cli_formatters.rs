//! The docker console's formatters against docker/cli's own formatter tests and golden
//! files. Source: github.com/docker/cli v28.5.2 (commit ecc694264de6b34e4b59d16245603382f22fa813):
//! cli/command/formatter/{image,container,disk_usage,displayutils}_test.go and
//! cli/command/formatter/testdata/*.golden, cli/command/image/testdata/history-*.golden,
//! cli/command/container/testdata/container-list-*.golden. Each case feeds the same data
//! the Go test feeds and compares the text exactly (trailing spaces included).
#![allow(clippy::unwrap_used)]

mod docker_cli_fake;

use docker_cli_fake::{ago, DAY, NOW};
use dockerfile_playground::docker_cli::console::{
    render_containers, render_disk_usage, render_history, render_images, render_inspect_json,
};
use dockerfile_playground::docker_cli::json;
use dockerfile_playground::docker_cli::rows::{displayable_ports, ellipsis};
use dockerfile_playground::docker_cli::*;

fn check(actual: Result<String, String>, expected: &str, what: &str) {
    match actual {
        Ok(text) => assert_eq!(text, expected, "{what}"),
        Err(e) => assert_eq!(e, expected, "{what} (error)"),
    }
}

// ---------------------------------------------------------------------------------------
// cli/command/formatter/image_test.go: TestImageContextWrite

const DIGEST: &str = "sha256:cbbf2f9a99b47fc460d422812b6a5adff7dfee951d8fa2e4a98caa0382cfbdbf";

fn test_images() -> Vec<ImageSummary> {
    let unix_time = Some(ago(DAY)); // time.Now().AddDate(0, 0, -1)
    vec![
        ImageSummary {
            id: "imageID1".into(),
            repo_tags: vec!["image:tag1".into()],
            repo_digests: vec![format!("image@{DIGEST}")],
            created: unix_time,
            shared_size: -1,
            containers: -1,
            ..Default::default()
        },
        ImageSummary {
            id: "imageID2".into(),
            repo_tags: vec!["image:tag2".into()],
            created: None, // zeroTime
            shared_size: -1,
            containers: -1,
            ..Default::default()
        },
        ImageSummary {
            id: "imageID3".into(),
            repo_tags: vec!["<none>:<none>".into()],
            repo_digests: vec!["<none>@<none>".into()],
            created: unix_time,
            shared_size: -1,
            containers: -1,
            ..Default::default()
        },
    ]
}

#[test]
fn image_context_write() {
    let images = test_images();
    let expected_time = ago(DAY).go_string();
    let zero_time = "0001-01-01 00:00:00 +0000 UTC";
    // (format source, quiet, digest, expected)
    let cases: Vec<(&str, bool, bool, String)> = vec![
        ("{{InvalidFunction}}", false, false, "template parsing error: template: :1: function \"InvalidFunction\" not defined".into()),
        ("{{nil}}", false, false, "template parsing error: template: :1:2: executing \"\" at <nil>: nil is not a command".into()),
        (
            "table",
            false,
            false,
            "REPOSITORY   TAG       IMAGE ID   CREATED        SIZE\nimage        tag1      imageID1   24 hours ago   0B\nimage        tag2      imageID2   N/A            0B\n<none>       <none>    imageID3   24 hours ago   0B\n".into(),
        ),
        ("table {{.Repository}}", false, false, "REPOSITORY\nimage\nimage\n<none>\n".into()),
        (
            "table {{.Repository}}",
            false,
            true,
            format!("REPOSITORY   DIGEST\nimage        {DIGEST}\nimage        <none>\n<none>       <none>\n"),
        ),
        ("table {{.Repository}}", true, false, "REPOSITORY\nimage\nimage\n<none>\n".into()),
        ("table {{.Digest}}", true, false, format!("DIGEST\n{DIGEST}\n<none>\n<none>\n")),
        ("table", true, false, "imageID1\nimageID2\nimageID3\n".into()),
        (
            "table",
            false,
            true,
            format!("REPOSITORY   TAG       DIGEST                                                                    IMAGE ID   CREATED        SIZE\nimage        tag1      {DIGEST}   imageID1   24 hours ago   0B\nimage        tag2      <none>                                                                    imageID2   N/A            0B\n<none>       <none>    <none>                                                                    imageID3   24 hours ago   0B\n"),
        ),
        ("table", true, true, "imageID1\nimageID2\nimageID3\n".into()),
        (
            "raw",
            false,
            false,
            format!("repository: image\ntag: tag1\nimage_id: imageID1\ncreated_at: {expected_time}\nvirtual_size: 0B\n\nrepository: image\ntag: tag2\nimage_id: imageID2\ncreated_at: {zero_time}\nvirtual_size: 0B\n\nrepository: <none>\ntag: <none>\nimage_id: imageID3\ncreated_at: {expected_time}\nvirtual_size: 0B\n\n"),
        ),
        (
            "raw",
            false,
            true,
            format!("repository: image\ntag: tag1\ndigest: {DIGEST}\nimage_id: imageID1\ncreated_at: {expected_time}\nvirtual_size: 0B\n\nrepository: image\ntag: tag2\ndigest: <none>\nimage_id: imageID2\ncreated_at: {zero_time}\nvirtual_size: 0B\n\nrepository: <none>\ntag: <none>\ndigest: <none>\nimage_id: imageID3\ncreated_at: {expected_time}\nvirtual_size: 0B\n\n"),
        ),
        ("raw", true, false, "image_id: imageID1\nimage_id: imageID2\nimage_id: imageID3\n".into()),
        ("{{.Repository}}", false, false, "image\nimage\n<none>\n".into()),
        ("{{.Repository}}", false, true, "image\nimage\n<none>\n".into()),
    ];
    for (format, quiet, digest, expected) in &cases {
        // The Go test's Context has Trunc unset: IDs are printed in full.
        check(
            render_images(&images, format, *quiet, *digest, true, NOW),
            expected,
            format,
        );
    }
}

#[test]
fn image_context_write_with_no_image() {
    let cases = [
        ("{{.Repository}}", false, ""),
        ("table {{.Repository}}", false, "REPOSITORY\n"),
        ("{{.Repository}}", true, ""),
        ("table {{.Repository}}", true, "REPOSITORY   DIGEST\n"),
    ];
    for (format, digest, expected) in cases {
        check(
            render_images(&[], format, false, digest, true, NOW),
            expected,
            format,
        );
    }
}

// ---------------------------------------------------------------------------------------
// cli/command/formatter/container_test.go

fn test_containers(status: Option<&str>) -> Vec<ContainerSummary> {
    let unix_time = ago(DAY);
    ["foobar_baz", "foobar_bar"]
        .iter()
        .enumerate()
        .map(|(i, name)| ContainerSummary {
            id: format!("containerID{}", i + 1),
            names: vec![name.to_string()],
            image: "ubuntu".into(),
            created: unix_time,
            state: ContainerState {
                status: ContainerStatus::Running,
                ..Default::default()
            },
            status: status.map(str::to_string),
            ..Default::default()
        })
        .collect()
}

#[test]
fn container_context_write() {
    let containers = test_containers(Some(""));
    let t = ago(DAY).go_string();
    let cases: Vec<(&str, bool, bool, String)> = vec![
        ("{{InvalidFunction}}", false, false, "template parsing error: template: :1: function \"InvalidFunction\" not defined".into()),
        ("{{nil}}", false, false, "template parsing error: template: :1:2: executing \"\" at <nil>: nil is not a command".into()),
        (
            "table",
            false,
            true,
            "CONTAINER ID   IMAGE     COMMAND   CREATED        STATUS    PORTS     NAMES        SIZE\ncontainerID1   ubuntu    \"\"        24 hours ago                       foobar_baz   0B\ncontainerID2   ubuntu    \"\"        24 hours ago                       foobar_bar   0B\n".into(),
        ),
        (
            "table",
            false,
            false,
            "CONTAINER ID   IMAGE     COMMAND   CREATED        STATUS    PORTS     NAMES\ncontainerID1   ubuntu    \"\"        24 hours ago                       foobar_baz\ncontainerID2   ubuntu    \"\"        24 hours ago                       foobar_bar\n".into(),
        ),
        ("table {{.Image}}", false, false, "IMAGE\nubuntu\nubuntu\n".into()),
        ("table {{.Image}}", false, true, "IMAGE\nubuntu\nubuntu\n".into()),
        ("table {{.Image}}", true, false, "containerID1\ncontainerID2\n".into()),
        ("table", true, false, "containerID1\ncontainerID2\n".into()),
        ("table {{.State}}", false, true, "STATE\nrunning\nrunning\n".into()),
        (
            "raw",
            false,
            false,
            format!("container_id: containerID1\nimage: ubuntu\ncommand: \"\"\ncreated_at: {t}\nstate: running\nstatus:\nnames: foobar_baz\nlabels:\nports:\n\ncontainer_id: containerID2\nimage: ubuntu\ncommand: \"\"\ncreated_at: {t}\nstate: running\nstatus:\nnames: foobar_bar\nlabels:\nports:\n\n"),
        ),
        (
            "raw",
            false,
            true,
            format!("container_id: containerID1\nimage: ubuntu\ncommand: \"\"\ncreated_at: {t}\nstate: running\nstatus:\nnames: foobar_baz\nlabels:\nports:\nsize: 0B\n\ncontainer_id: containerID2\nimage: ubuntu\ncommand: \"\"\ncreated_at: {t}\nstate: running\nstatus:\nnames: foobar_bar\nlabels:\nports:\nsize: 0B\n\n"),
        ),
        ("raw", true, false, "container_id: containerID1\ncontainer_id: containerID2\n".into()),
        ("{{.Image}}", false, false, "ubuntu\nubuntu\n".into()),
        ("{{.Image}}", false, true, "ubuntu\nubuntu\n".into()),
        // testdata/container-context-write-special-headers.golden (the Go test runs with
        // Trunc set, so IDs are cut; "truncate .ID 5" then keeps "conta").
        ("table {{split .Image \":\"}}", false, false, "IMAGE\n[ubuntu]\n[ubuntu]\n".into()),
    ];
    for (format, quiet, size, expected) in &cases {
        check(
            render_containers(&containers, format, *quiet, *size, true, NOW),
            expected,
            format,
        );
    }
    let special = "table {{truncate .ID 5}}\\t{{json .Image}} {{.RunningFor}}/{{title .Status}}/{{pad .Ports 2 2}}.{{upper .Names}} {{lower .Status}}";
    check(
        render_containers(&containers, special, false, true, true, NOW),
        "CONTAINER ID   IMAGE CREATED/STATUS/  PORTS  .NAMES STATUS\nconta          \"ubuntu\" 24 hours ago//.FOOBAR_BAZ \nconta          \"ubuntu\" 24 hours ago//.FOOBAR_BAR \n",
        "special headers golden",
    );
}

#[test]
fn container_context_write_with_no_containers() {
    let cases = [
        ("{{.Image}}", ""),
        ("table {{.Image}}", "IMAGE\n"),
        ("table {{.Image}}\\t{{.Size}}", "IMAGE     SIZE\n"),
    ];
    for (format, expected) in cases {
        check(
            render_containers(&[], format, false, true, true, NOW),
            expected,
            format,
        );
    }
}

#[test]
fn container_context_write_json() {
    // TestContainerContextWriteJSON: created 65 seconds ago, classic store (Platform nil).
    let c = ContainerSummary {
        id: "containerID1".into(),
        names: vec!["foobar_baz".into()],
        image: "ubuntu".into(),
        created: ago(65),
        state: ContainerState {
            status: ContainerStatus::Running,
            ..Default::default()
        },
        status: Some(String::new()),
        ..Default::default()
    };
    let created = ago(65).go_string();
    let expected = format!(
        "{{\"Command\":\"\\\"\\\"\",\"CreatedAt\":\"{created}\",\"ID\":\"containerID1\",\"Image\":\"ubuntu\",\"Labels\":\"\",\"LocalVolumes\":\"0\",\"Mounts\":\"\",\"Names\":\"foobar_baz\",\"Networks\":\"\",\"Platform\":null,\"Ports\":\"\",\"RunningFor\":\"About a minute ago\",\"Size\":\"0B\",\"State\":\"running\",\"Status\":\"\"}}\n"
    );
    check(
        render_containers(
            std::slice::from_ref(&c),
            "{{json .}}",
            false,
            false,
            true,
            NOW,
        ),
        &expected,
        "json .",
    );
    // TestContainerContextWriteJSONField
    check(
        render_containers(&[c], "{{json .ID}}", false, false, true, NOW),
        "\"containerID1\"\n",
        "json .ID",
    );
}

#[test]
fn displayable_ports_vectors() {
    fn p(ip: &str, private_port: u16, public_port: u16, kind: &str) -> Port {
        Port {
            ip: ip.into(),
            private_port,
            public_port,
            kind: kind.into(),
        }
    }
    let cases: Vec<(Vec<Port>, &str)> = vec![
        (vec![p("", 9988, 0, "tcp")], "9988/tcp"),
        (vec![p("", 9988, 0, "udp")], "9988/udp"),
        (vec![p("0.0.0.0", 9988, 0, "tcp")], "0.0.0.0:0->9988/tcp"),
        (vec![p("::", 9988, 0, "tcp")], "[::]:0->9988/tcp"),
        (vec![p("", 9988, 8899, "tcp")], "9988/tcp"),
        (vec![p("4.3.2.1", 9988, 8899, "tcp")], "4.3.2.1:8899->9988/tcp"),
        (vec![p("::1", 9988, 8899, "tcp")], "[::1]:8899->9988/tcp"),
        (vec![p("4.3.2.1", 9988, 9988, "tcp")], "4.3.2.1:9988->9988/tcp"),
        (vec![p("::1", 9988, 9988, "tcp")], "[::1]:9988->9988/tcp"),
        (vec![p("", 9988, 0, "udp"), p("", 9988, 0, "udp")], "9988/udp, 9988/udp"),
        (vec![p("1.2.3.4", 9998, 9998, "udp"), p("1.2.3.4", 9999, 9999, "udp")], "1.2.3.4:9998-9999->9998-9999/udp"),
        (vec![p("::1", 9998, 9998, "udp"), p("::1", 9999, 9999, "udp")], "[::1]:9998-9999->9998-9999/udp"),
        (vec![p("1.2.3.4", 9998, 8887, "udp"), p("1.2.3.4", 9999, 8888, "udp")], "1.2.3.4:8887->9998/udp, 1.2.3.4:8888->9999/udp"),
        (vec![p("::1", 9998, 8887, "udp"), p("::1", 9999, 8888, "udp")], "[::1]:8887->9998/udp, [::1]:8888->9999/udp"),
        (vec![p("", 9998, 0, "udp"), p("", 9999, 0, "udp")], "9998-9999/udp"),
        (vec![p("1.2.3.4", 6677, 7766, "tcp"), p("", 9988, 8899, "udp")], "9988/udp, 1.2.3.4:7766->6677/tcp"),
        (
            vec![p("1.2.3.4", 9988, 8899, "udp"), p("1.2.3.4", 9988, 8899, "tcp"), p("4.3.2.1", 2233, 3322, "tcp"), p("::1", 2233, 3322, "tcp")],
            "4.3.2.1:3322->2233/tcp, [::1]:3322->2233/tcp, 1.2.3.4:8899->9988/tcp, 1.2.3.4:8899->9988/udp",
        ),
        (
            vec![p("", 9988, 8899, "udp"), p("1.2.3.4", 6677, 7766, "tcp"), p("4.3.2.1", 2233, 3322, "tcp")],
            "9988/udp, 4.3.2.1:3322->2233/tcp, 1.2.3.4:7766->6677/tcp",
        ),
        (
            vec![
                p("", 80, 0, "tcp"),
                p("", 1024, 0, "tcp"),
                p("", 80, 0, "udp"),
                p("", 1024, 0, "udp"),
                p("1.1.1.1", 1024, 80, "tcp"),
                p("1.1.1.1", 1024, 80, "udp"),
                p("1.1.1.1", 80, 1024, "tcp"),
                p("1.1.1.1", 80, 1024, "udp"),
                p("2.1.1.1", 1024, 80, "tcp"),
                p("2.1.1.1", 1024, 80, "udp"),
                p("2.1.1.1", 80, 1024, "tcp"),
                p("2.1.1.1", 80, 1024, "udp"),
                p("", 12345, 0, "sctp"),
            ],
            "80/tcp, 80/udp, 1024/tcp, 1024/udp, 12345/sctp, 1.1.1.1:1024->80/tcp, 1.1.1.1:1024->80/udp, 2.1.1.1:1024->80/tcp, 2.1.1.1:1024->80/udp, 1.1.1.1:80->1024/tcp, 1.1.1.1:80->1024/udp, 2.1.1.1:80->1024/tcp, 2.1.1.1:80->1024/udp",
        ),
    ];
    for (ports, expected) in &cases {
        assert_eq!(displayable_ports(ports), *expected);
    }
    assert_eq!(cases.len(), 19);
}

// ---------------------------------------------------------------------------------------
// cli/command/formatter/displayutils_test.go

#[test]
fn ellipsis_and_truncate_id() {
    let cases = [
        ("t🐳ststring", 0, ""),
        ("t🐳ststring", 1, "t"),
        ("t🐳ststring", 2, "t…"),
        ("t🐳ststring", 6, "t🐳st…"),
        ("t🐳ststring", 20, "t🐳ststring"),
        ("你好世界teststring", 0, ""),
        ("你好世界teststring", 1, "你"),
        ("你好世界teststring", 3, "你…"),
        ("你好世界teststring", 6, "你好…"),
        ("你好世界teststring", 20, "你好世界teststring"),
    ];
    for (source, width, expected) in cases {
        assert_eq!(
            ellipsis(source, width),
            expected,
            "Ellipsis({source}, {width})"
        );
    }
    let ids = [
        ("", ""),
        ("1234", "1234"),
        (
            "90435eec5c4e124e741ef731e118be2fc799a68aba0466ec17717f24ce2ae6a2",
            "90435eec5c4e",
        ),
        (
            "sha256:90435eec5c4e124e741ef731e118be2fc799a68aba0466ec17717f24ce2ae6a2",
            "90435eec5c4e",
        ),
    ];
    for (id, expected) in ids {
        assert_eq!(reference_truncate(id), expected);
    }
}

fn reference_truncate(id: &str) -> String {
    dockerfile_playground::docker_cli::reference::truncate_id(id)
}

// ---------------------------------------------------------------------------------------
// cli/command/formatter/disk_usage_test.go and its golden files

#[test]
fn disk_usage_context_write() {
    let empty = DiskUsage::default();
    let summary = "TYPE            TOTAL     ACTIVE    SIZE      RECLAIMABLE\nImages          0         0         0B        0B\nContainers      0         0         0B        0B\nLocal Volumes   0         0         0B        0B\nBuild Cache     0         0         0B        0B\n";
    check(
        render_disk_usage(&empty, "table", false, NOW),
        summary,
        "table",
    );
    check(
        render_disk_usage(&empty, "table", true, NOW),
        "Images space usage:\n\nREPOSITORY   TAG       IMAGE ID   CREATED   SIZE      SHARED SIZE   UNIQUE SIZE   CONTAINERS\n\nContainers space usage:\n\nCONTAINER ID   IMAGE     COMMAND   LOCAL VOLUMES   SIZE      CREATED   STATUS    NAMES\n\nLocal Volumes space usage:\n\nVOLUME NAME   LINKS     SIZE\n\nBuild cache usage: 0B\n\nCACHE ID   CACHE TYPE   SIZE      CREATED   LAST USED   USAGE     SHARED\n",
        "verbose table",
    );
    check(
        render_disk_usage(&empty, "raw", true, NOW),
        "",
        "verbose raw",
    );
    check(
        render_disk_usage(&empty, "{{json .}}", true, NOW),
        "{\"Images\":[],\"Containers\":[],\"Volumes\":[],\"BuildCache\":[]}",
        "verbose json",
    );
    check(
        render_disk_usage(&empty, "{{InvalidFunction}}", false, NOW),
        "template parsing error: template: :1: function \"InvalidFunction\" not defined",
        "error",
    );
    check(
        render_disk_usage(&empty, "{{nil}}", false, NOW),
        "template parsing error: template: :1:2: executing \"\" at <nil>: nil is not a command",
        "error",
    );
    // testdata/disk-usage-context-write-custom.golden
    check(
        render_disk_usage(&empty, "table {{.Type}}\t{{.Active}}", false, NOW),
        "TYPE            ACTIVE\nImages          0\nContainers      0\nLocal Volumes   0\nBuild Cache     0\n",
        "custom",
    );
    // testdata/disk-usage-raw-format.golden
    let raw: String = ["Images", "Containers", "Local Volumes", "Build Cache"]
        .iter()
        .map(|t| format!("type: {t}\ntotal: 0\nactive: 0\nsize: 0B\nreclaimable: 0B\n\n"))
        .collect();
    check(render_disk_usage(&empty, "raw", false, NOW), &raw, "raw");
}

// ---------------------------------------------------------------------------------------
// cli/command/image/history_test.go and testdata/history-command-success.*.golden

#[test]
fn history_goldens() {
    let now_item = HistoryItem {
        id: "1234567890123456789".into(),
        created: NOW,
        comment: "none".into(),
        ..Default::default()
    };
    check(
        render_history(std::slice::from_ref(&now_item), "table", false, true, false, NOW),
        "IMAGE          CREATED                  CREATED BY   SIZE      COMMENT\n123456789012   Less than a second ago                0B        none\n",
        "simple",
    );
    let non_human = HistoryItem {
        id: "abcdef".into(),
        created: LogicalTime::from_unix(1_483_272_003), // 2017-01-01T12:00:03Z
        created_by: "rose".into(),
        comment: "new history item!".into(),
        ..Default::default()
    };
    check(
        render_history(&[non_human], "table", false, false, false, NOW),
        "IMAGE     CREATED AT             CREATED BY   SIZE      COMMENT\nabcdef    2017-01-01T12:00:03Z   rose         0         new history item!\n",
        "non-human",
    );
    let no_comment = HistoryItem {
        comment: String::new(),
        ..now_item
    };
    check(
        render_history(
            std::slice::from_ref(&no_comment),
            "table",
            true,
            true,
            true,
            NOW,
        ),
        "1234567890123456789\n",
        "quiet-no-trunc",
    );
    check(
        render_history(&[no_comment], "table", false, true, false, NOW),
        "IMAGE          CREATED                  CREATED BY   SIZE      COMMENT\n123456789012   Less than a second ago                0B        \n",
        "platform",
    );
}

// ---------------------------------------------------------------------------------------
// cli/command/container/list_test.go and testdata/container-list-*.golden

fn builder_container(name: &str, extra_names: &[&str]) -> ContainerSummary {
    // internal/test/builders/container.go: ID "container_id", Command "top",
    // Image "busybox:latest", Status "Up 1 minute", created a minute ago.
    let mut names = vec![name.to_string()];
    names.extend(extra_names.iter().map(|n| n.to_string()));
    ContainerSummary {
        id: "container_id".into(),
        names,
        image: "busybox:latest".into(),
        path: "top".into(),
        created: ago(60),
        state: ContainerState {
            status: ContainerStatus::Running,
            ..Default::default()
        },
        status: Some("Up 1 minute".into()),
        ..Default::default()
    }
}

fn tcp(ip: &str, private_port: u16, public_port: u16) -> Port {
    Port {
        ip: ip.into(),
        private_port,
        public_port,
        kind: "tcp".into(),
    }
}

#[test]
fn container_list_goldens() {
    let mut c3 = builder_container("c3", &[]);
    c3.ports = vec![tcp("", 80, 80), tcp("", 81, 81), tcp("", 82, 82)];
    let mut c4 = builder_container("c4", &[]);
    c4.ports = vec![Port {
        ip: String::new(),
        private_port: 81,
        public_port: 81,
        kind: "udp".into(),
    }];
    let mut c5 = builder_container("c5", &[]);
    c5.ports = vec![tcp("8.8.8.8", 82, 82)];
    let list = vec![
        builder_container("c1", &[]),
        builder_container("c2", &["foo"]),
        c3,
        c4,
        c5,
    ];
    check(
        render_containers(&list, "", false, false, false, NOW),
        "CONTAINER ID   IMAGE            COMMAND   CREATED              STATUS        PORTS                NAMES\ncontainer_id   busybox:latest   \"top\"     About a minute ago   Up 1 minute                        c1\ncontainer_id   busybox:latest   \"top\"     About a minute ago   Up 1 minute                        c2\ncontainer_id   busybox:latest   \"top\"     About a minute ago   Up 1 minute   80-82/tcp            c3\ncontainer_id   busybox:latest   \"top\"     About a minute ago   Up 1 minute   81/udp               c4\ncontainer_id   busybox:latest   \"top\"     About a minute ago   Up 1 minute   8.8.8.8:82->82/tcp   c5\n",
        "container-list-without-format.golden",
    );
    let two = vec![
        builder_container("c1", &[]),
        builder_container("c2", &["foo/bar"]),
    ];
    check(
        render_containers(&two, "", false, false, true, NOW),
        "CONTAINER ID   IMAGE            COMMAND   CREATED              STATUS        PORTS     NAMES\ncontainer_id   busybox:latest   \"top\"     About a minute ago   Up 1 minute             c1\ncontainer_id   busybox:latest   \"top\"     About a minute ago   Up 1 minute             c2,foo/bar\n",
        "container-list-without-format-no-trunc.golden",
    );
    check(
        render_containers(&two, "{{.Names}} {{.Names}}", false, false, false, NOW),
        "c1 c1\nc2 c2\n",
        "container-list-format-name-name.golden",
    );
    let mut l1 = builder_container("c1", &[]);
    l1.labels.insert("some.label".into(), "value".into());
    let mut l2 = builder_container("c2", &["foo/bar"]);
    l2.labels.insert("foo".into(), "bar".into());
    let labeled = vec![l1, l2];
    check(
        render_containers(
            &labeled,
            "{{.Names}} {{.Label \"some.label\"}}",
            false,
            false,
            false,
            NOW,
        ),
        "c1 value\nc2 \n",
        "container-list-format-with-arg.golden",
    );
    check(
        render_containers(
            &labeled,
            "{{ .Names }} {{ .Image }} {{ .Labels }}",
            false,
            false,
            false,
            NOW,
        ),
        "c1 busybox:latest some.label=value\nc2 busybox:latest foo=bar\n",
        "container-list-with-format.golden",
    );
    check(
        render_containers(&labeled, "{{ .Names }}", true, false, false, NOW),
        "container_id\ncontainer_id\n",
        "container-list-quiet.golden",
    );
    let mut sized = labeled.clone();
    sized[0].size_rw = 10_700_000;
    sized[1].size_rw = 3_200_000;
    check(
        render_containers(
            &sized,
            "{{ .Names }} {{ .Image }} {{ .Labels }} {{ .Size}}",
            false,
            true,
            false,
            NOW,
        ),
        "c1 busybox:latest some.label=value 10.7MB\nc2 busybox:latest foo=bar 3.2MB\n",
        "container-list-with-config-format.golden",
    );
}

// ---------------------------------------------------------------------------------------
// cli/command/image/testdata/inspect-command-success.simple-many.golden: json.Indent
// layout of an inspect array (the data is what the fake client there returns).

#[test]
fn inspect_indent_golden() {
    let element = json::parse(
        r#"{"Id":"","RepoTags":null,"RepoDigests":null,"Parent":"","Comment":"","DockerVersion":"","Author":"","Config":null,"Architecture":"","Os":"","Size":0,"GraphDriver":{"Data":null,"Name":""},"RootFS":{},"Metadata":{"LastTagTime":"0001-01-01T00:00:00Z"}}"#,
    )
    .unwrap();
    let one = "[\n    {\n        \"Id\": \"\",\n        \"RepoTags\": null,\n        \"RepoDigests\": null,\n        \"Parent\": \"\",\n        \"Comment\": \"\",\n        \"DockerVersion\": \"\",\n        \"Author\": \"\",\n        \"Config\": null,\n        \"Architecture\": \"\",\n        \"Os\": \"\",\n        \"Size\": 0,\n        \"GraphDriver\": {\n            \"Data\": null,\n            \"Name\": \"\"\n        },\n        \"RootFS\": {},\n        \"Metadata\": {\n            \"LastTagTime\": \"0001-01-01T00:00:00Z\"\n        }\n    }\n]\n";
    assert_eq!(render_inspect_json(&[(element.clone(), true)]), one);
    let many = render_inspect_json(&[(element.clone(), true), (element, true)]);
    let body = one.trim_start_matches("[\n").trim_end_matches("\n]\n");
    assert_eq!(many, format!("[\n{body},\n{body}\n]\n"));
    assert_eq!(render_inspect_json(&[]), "[]\n");
}
