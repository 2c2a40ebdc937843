//! Everyday docker commands in the console on real catalog images: `docker images`,
//! `docker run --rm alpine echo hi`, `docker run -d --name web nginx`, `docker ps`,
//! `docker diff`, `docker commit`, the `docker rmi` conflicts, `docker image prune -f`,
//! `docker inspect --format`. Texts follow moby v28.5.2 (daemon/images/image_delete.go,
//! daemon/delete.go) and docker/cli v28.5.2; the catalog's nginx and alpine configs are the
//! published ones.
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used)]

mod console_support;

use console_support::{column, Console};

#[test]
fn run_ps_diff_commit_rmi_prune_inspect() {
    let mut c = Console::default();
    let hi = c.run("docker run --rm alpine echo hi");
    assert_eq!((hi.stdout.as_str(), hi.exit_code), ("hi\n", 0));
    assert!(hi.stderr.starts_with(
        "Unable to find image 'alpine:latest' locally\nlatest: Pulling from library/alpine\n"
    ));
    assert!(hi
        .stderr
        .ends_with("Status: Downloaded newer image for alpine:latest\n"));
    // --rm removed the container.
    assert_eq!(c.ok("docker ps -a -q"), "");

    let web = c.ok("docker run -d --name web nginx");
    let web_id = web.trim().to_string();
    assert_eq!(web_id.len(), 64);
    let ps = c.ok("docker ps");
    let short = &web_id[..12];
    assert_eq!(column(&ps, short, "IMAGE"), "nginx");
    assert_eq!(column(&ps, short, "COMMAND"), "\"/docker-entrypoint.…\"");
    assert_eq!(column(&ps, short, "PORTS"), "80/tcp");
    assert_eq!(column(&ps, short, "NAMES"), "web");
    assert!(column(&ps, short, "STATUS").starts_with("Up "));
    let images = c.ok("docker images");
    assert_eq!(images.lines().count(), 3, "{images}");

    // The image's config, as the daemon stores it.
    assert_eq!(
        c.ok("docker inspect --format '{{.Config.Cmd}}' nginx"),
        "[nginx -g daemon off;]\n"
    );
    assert_eq!(
        c.ok("docker inspect --format '{{.Config.Entrypoint}}' web"),
        "[/docker-entrypoint.sh]\n"
    );
    assert_eq!(
        c.ok("docker inspect --format '{{.Name}} {{.State.Status}} {{.Config.Image}}' web"),
        "/web running nginx\n"
    );

    c.ok("docker exec web rm /etc/nginx/conf.d/default.conf");
    c.ok("docker exec web sh -c 'echo hello > /usr/share/nginx/html/hello.html'");
    let diff = c.ok("docker diff web");
    assert_eq!(
        diff,
        "C /etc\nC /etc/nginx\nC /etc/nginx/conf.d\nD /etc/nginx/conf.d/default.conf\nC /usr\nC /usr/share\nC /usr/share/nginx\nC /usr/share/nginx/html\nA /usr/share/nginx/html/hello.html\n"
    );
    let committed = c.ok("docker commit web web:v2");
    assert!(
        committed.starts_with("sha256:") && committed.len() == 72,
        "{committed}"
    );
    let history = c.ok("docker history web:v2");
    // The commit's row: the container's command, the writable layer's size (6 bytes).
    let top = history.lines().nth(1).unwrap();
    assert!(
        top.contains("nginx -g daemon off;") && top.contains("6B"),
        "{top}"
    );
    assert_eq!(
        c.ok("docker inspect --format '{{.Config.Cmd}}' web:v2"),
        "[nginx -g daemon off;]\n"
    );

    // rmi conflicts: the tag's only reference while a container uses it; the id while
    // the container runs (cannot be forced), or after it stopped (must be forced).
    let conflict = c.run("docker rmi nginx");
    let nginx_id = c.ok("docker image inspect --format '{{.Id}}' nginx");
    let nginx_short = &nginx_id.trim()["sha256:".len().."sha256:".len() + 12];
    assert_eq!(conflict.exit_code, 1);
    assert_eq!(
        conflict.stderr,
        format!("Error response from daemon: conflict: unable to remove repository reference \"nginx\" (must force) - container {short} is using its referenced image {nginx_short}\n")
    );
    let by_id = c.run(&format!("docker rmi {nginx_short}"));
    assert_eq!(
        by_id.stderr,
        format!("Error response from daemon: conflict: unable to delete {nginx_short} (cannot be forced) - image has dependent child images\n")
    );
    let running = c.run("docker rm web");
    assert_eq!(
        running.stderr,
        "Error response from daemon: cannot remove container \"web\": container is running: stop the container before removing or force remove\n"
    );
    c.ok("docker stop web");
    c.ok("docker ps -a");
    let stopped = c.run("docker rmi web:v2");
    assert_eq!(stopped.exit_code, 0, "{}", stopped.stderr);
    assert!(stopped
        .stdout
        .starts_with("Untagged: web:v2\nDeleted: sha256:"));
    let stopped_conflict = c.run(&format!("docker rmi {nginx_short}"));
    assert_eq!(
        stopped_conflict.stderr,
        format!("Error response from daemon: conflict: unable to delete {nginx_short} (must be forced) - image is being used by stopped container {short}\n")
    );

    // A commit without a name leaves a dangling image; prune removes it and its layer.
    let dangling = c.ok("docker commit web");
    let dangling = dangling.trim().to_string();
    let listed = c.ok("docker images");
    assert!(listed.contains("<none>"), "{listed}");
    let pruned = c.ok("docker image prune -f");
    assert!(
        pruned.starts_with(&format!(
            "Deleted Images:\ndeleted: {dangling}\ndeleted: sha256:"
        )),
        "{pruned}"
    );
    assert!(pruned.ends_with("Total reclaimed space: 6B\n"), "{pruned}");
    assert!(!c.ok("docker images").contains("<none>"));
    // Nothing left to prune.
    assert_eq!(c.ok("docker image prune -f"), "Total reclaimed space: 0B\n");
    insta::assert_snapshot!("commands_run_ps_diff_commit_rmi", c.transcript);
}

#[test]
fn errors_read_like_dockers() {
    let mut c = Console::default();
    let missing = c.run("docker run --rm alpine nosuchcmd");
    assert_eq!(missing.exit_code, 127);
    assert!(missing.stderr.contains("docker: Error response from daemon: failed to create task for container: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: error during container init: exec: \"nosuchcmd\": executable file not found in $PATH: unknown\n\nRun 'docker run --help' for more information\n"), "{}", missing.stderr);
    let exit = c.run("docker run --name quits alpine sh -c 'exit 3'");
    assert_eq!(exit.exit_code, 3);
    c.ok("docker run -d --name box alpine sleep 300");
    // An exec that cannot start: runc's error on stdout, exit code 127 (moby exec.go).
    let bad = c.run("docker exec box nosuchcmd");
    assert_eq!(bad.exit_code, 127);
    assert_eq!(bad.stdout, "OCI runtime exec failed: exec failed: unable to start container process: exec: \"nosuchcmd\": executable file not found in $PATH: unknown\n");
    let stopped = c.run("docker exec quits true");
    assert_eq!(stopped.exit_code, 1);
    assert!(stopped
        .stderr
        .starts_with("Error response from daemon: container "));
    assert!(stopped.stderr.ends_with(" is not running\n"));
    let nope = c.run("docker history nope");
    assert_eq!(
        nope.stderr,
        "Error response from daemon: No such image: nope:latest\n"
    );
    let nope = c.run("docker inspect nope");
    assert_eq!(
        (nope.stdout.as_str(), nope.stderr.as_str()),
        ("[]\n", "Error: No such object: nope\n")
    );
    let taken = c.run("docker run --name box alpine true");
    assert_eq!(taken.exit_code, 125);
    assert!(taken.stderr.starts_with("docker: Error response from daemon: Conflict. The container name \"/box\" is already in use by container \""));
    let build = c.run("docker build .");
    assert_eq!(
        build.stderr,
        "ERROR: failed to build: failed to solve: failed to read dockerfile: open Dockerfile: no such file or directory\n"
    );
    let env = c.run("DOCKER_BUILDKIT=maybe docker images");
    assert_eq!(env.exit_code, 1);
    assert!(env
        .stderr
        .starts_with("DOCKER_BUILDKIT environment variable expects boolean value"));
    insta::assert_snapshot!("commands_errors", c.transcript);
}

#[test]
fn the_page_build_feeds_the_console() {
    use dockerfile_playground::playground::session::PageBuildOptions;
    use std::collections::BTreeMap;
    let mut c = Console::default();
    let files = BTreeMap::from([("hello.txt".to_string(), "test\n".to_string())]);
    let options = PageBuildOptions {
        tag: Some("page".into()),
        ..PageBuildOptions::default()
    };
    let result = c.session.build(
        "FROM alpine:3.20\nCOPY hello.txt /\nCMD [\"cat\", \"/hello.txt\"]\n",
        &files,
        &options,
    );
    assert!(result.ok);
    let image = result.image.unwrap();
    let listed = c.ok("docker images page");
    assert!(
        listed.contains(&image.id["sha256:".len().."sha256:".len() + 12]),
        "{listed}"
    );
    assert_eq!(
        c.ok("docker image inspect --format '{{.Id}}' page").trim(),
        image.id
    );
    // The console's `docker build` reads the same Dockerfile and files: a full cache hit
    // gives the same image.
    c.ok("docker build -t again .");
    assert_eq!(
        c.ok("docker image inspect --format '{{.Id}}' again").trim(),
        image.id
    );
    assert_eq!(c.ok("docker run --rm page"), "test\n");
    // `build -t` records when the image was tagged (`Metadata.LastTagTime`).
    let tagged = c.ok("docker image inspect --format '{{.Metadata.LastTagTime}}' page");
    assert_ne!(tagged.trim(), "0001-01-01T00:00:00Z");
    let pulled = c.ok("docker image inspect --format '{{.Metadata.LastTagTime}}' alpine:3.20");
    assert_eq!(pulled.trim(), "0001-01-01T00:00:00Z");
}

#[test]
fn published_ports_show_in_ps_while_running() {
    let mut c = Console::default();
    let web = c.ok("docker run -d -p 8080:80 --name web nginx");
    let box_ = c.ok("docker run -d -p 127.0.0.1:5000:5000/udp -p 9000 --name box alpine sleep 100");
    let ps = c.ok("docker ps");
    // Without an address Docker binds IPv4 and IPv6; `-p 9000` gets an ephemeral port.
    assert_eq!(
        column(&ps, &web[..12], "PORTS"),
        "0.0.0.0:8080->80/tcp, [::]:8080->80/tcp"
    );
    assert_eq!(
        column(&ps, &box_[..12], "PORTS"),
        "127.0.0.1:5000->5000/udp, 0.0.0.0:32768->9000/tcp, [::]:32768->9000/tcp"
    );
    assert_eq!(
        c.ok("docker inspect --format '{{.Config.ExposedPorts}}' box"),
        "map[5000/udp:{} 9000/tcp:{}]\n"
    );
    c.ok("docker stop web");
    let ps = c.ok("docker ps -a");
    assert_eq!(column(&ps, &web[..12], "PORTS"), "");
    let bad = c.run("docker run -p abc alpine true");
    assert_eq!(
        (bad.stderr.as_str(), bad.exit_code),
        (
            "docker: invalid containerPort: abc\n\nRun 'docker run --help' for more information\n",
            125
        )
    );
    insta::assert_snapshot!("commands_published_ports", c.transcript);
}

/// `docker images` would print "Less than a second ago" for an image created after "now":
/// the logical clock must start after every catalog image was created.
#[test]
fn the_clock_starts_after_every_catalog_image() {
    use dockerfile_playground::engine::catalog::catalog;
    use dockerfile_playground::engine::daemon::EPOCH;
    use dockerfile_playground::engine::image::parse_rfc3339;
    let images = catalog().images();
    assert!(images.len() > 10);
    for image in images {
        let created = parse_rfc3339(&image.created).unwrap();
        assert!(
            created < EPOCH,
            "{} created {}",
            image.reference,
            image.created
        );
    }
}
