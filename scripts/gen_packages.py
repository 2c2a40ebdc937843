#!/usr/bin/env python3
"""Generate src/engine/packages/data/{alpine,debian}.json from the shared package data.

    python3 scripts/gen_packages.py

Inputs (read-only):
  ../shared/data/alpine-packages.json          APKINDEX records for alpine v3.20 and v3.13
  ../shared/data/debian-bookworm-packages.json Debian 12 records (Depends closure of common seeds)
  scripts/data/debian-bookworm-supplement.json what apt adds to that (Recommends closure,
                                               architecture, Multi-Arch, archive, Suggests);
                                               made by scripts/gen_debian_supplement.py
Only the fields the simulator needs are kept; dependency lists stay in their native text
syntax (APKINDEX tokens, Debian control fields) and are parsed once at run time.
"""
import hashlib
import json
import os

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.join(HERE, "..")
SHARED = os.path.join(REPO, "..", "shared", "data")
OUT = os.path.join(REPO, "src", "engine", "packages", "data")

ALPINE_MIRROR = "https://dl-cdn.alpinelinux.org/alpine"

# Figures about the repositories themselves that the APKINDEX records do not give.
# distinct: what `apk update` prints as "OK: N distinct packages available".
# index_bytes: size of APKINDEX.tar.gz as fetched and kept in /var/cache/apk.
ALPINE_REPO_FACTS = {
    "v3.13": {
        "apk_tools": "2.12",
        # Real: "OK: 13877 distinct packages available" in a docker build log on alpine:3.13 (v3.13.2 era).
        "distinct": 13877, "distinct_estimated": False,
        # ESTIMATE: about 110 bytes of gzip per index record; main ~4,900 and community ~9,000 records.
        "index_bytes": {"main": 540000, "community": 990000}, "index_estimated": True,
    },
    "v3.20": {
        "apk_tools": "2.14",
        # ESTIMATE: no real log of `apk update` on v3.20 was found; v3.13 had 13877, v3.20 roughly 24k.
        "distinct": 24000, "distinct_estimated": True,
        "index_bytes": {"main": 560000, "community": 2200000}, "index_estimated": True,
    },
}


def apk_cache_name(branch, repo):
    # apk-tools names the cached index APKINDEX.<first 4 bytes of sha1(index url), hex>.tar.gz
    url = "%s/%s/%s/x86_64/APKINDEX.tar.gz" % (ALPINE_MIRROR, branch, repo)
    return "APKINDEX.%s.tar.gz" % hashlib.sha1(url.encode()).hexdigest()[:8]


def gen_alpine():
    src = json.load(open(os.path.join(SHARED, "alpine-packages.json")))
    out = {"mirror": ALPINE_MIRROR, "branches": {}}
    for branch, pkgs in sorted(src["branches"].items()):
        facts = ALPINE_REPO_FACTS[branch]
        repos = sorted({p["repo"] for p in pkgs.values()} | {"main", "community"},
                       key=lambda r: (r != "main", r))
        rows = []
        for name in sorted(pkgs):
            p = pkgs[name]
            rows.append([
                name,
                p["version"],
                p["installed_size_bytes"],
                p["download_size_bytes"],
                " ".join(p.get("depends") or []),
                " ".join(p.get("provides") or []),
                " ".join(p.get("install_if") or []),
                p.get("provider_priority", -1),
                repos.index(p["repo"]),
                p.get("origin") or name,
            ])
        out["branches"][branch] = {
            "apk_tools": facts["apk_tools"],
            "distinct": facts["distinct"],
            "distinct_estimated": facts["distinct_estimated"],
            "repos": [{"name": r, "cache_file": apk_cache_name(branch, r),
                       "index_bytes": facts["index_bytes"][r]} for r in repos],
            "index_estimated": facts["index_estimated"],
            "missing": src.get("missing", {}).get(branch, {}),
            "packages": rows,
        }
    return out


def deb_dep_text(groups, kind):
    parts = []
    for g in groups:
        if g["kind"] != kind:
            continue
        alts = []
        for a in g["alternatives"]:
            s = a["name"]
            if a.get("op"):
                s += " (%s %s)" % (a["op"], a["version"])
            alts.append(s)
        parts.append(" | ".join(alts))
    return ", ".join(parts)


# Real figures of `apt-get update` on bookworm (apt 2.6.1, amd64, main only, as in the
# debian images' sources), read from the InRelease files and /var/lib/apt/lists of a
# Debian 12 machine on 2026-11-27. Lists are kept lz4-compressed on disk because the
# official images set Acquire::GzipIndexes (docker-gzip-indexes).
DEBIAN_SUITES = [
    {"site": "http://deb.debian.org/debian", "suite": "bookworm", "inrelease": 151075,
     "packages_xz": 8790396, "packages_lz4": 18840233,
     "list_prefix": "deb.debian.org_debian_dists_bookworm"},
    {"site": "http://deb.debian.org/debian", "suite": "bookworm-updates", "inrelease": 55403,
     "packages_xz": 6924, "packages_lz4": 11648,
     "list_prefix": "deb.debian.org_debian_dists_bookworm-updates"},
    {"site": "http://deb.debian.org/debian-security", "suite": "bookworm-security", "inrelease": 34770,
     "packages_xz": 380972, "packages_lz4": 768935,
     "list_prefix": "deb.debian.org_debian-security_dists_bookworm-security"},
]


def gen_debian():
    src = json.load(open(os.path.join(SHARED, "debian-bookworm-packages.json")))
    sup = json.load(open(os.path.join(HERE, "data", "debian-bookworm-supplement.json")))["packages"]
    suite_index = {s["suite"]: i for i, s in enumerate(DEBIAN_SUITES)}
    rows = []
    names = sorted(set(src["packages"]) | set(sup))
    for name in names:
        s = sup.get(name, {})
        origin = s.get("origin") or {}
        suite = suite_index.get(origin.get("codename"), 0)
        if name in src["packages"]:
            p = src["packages"][name]
            rec = [
                p["version"], p["installed_size_kib"], p["download_size_bytes"], p["priority"],
                p["section"], 1 if p["essential"] else 0, 1 if p["in_minbase_estimate"] else 0,
                deb_dep_text(p["depends"], "PreDepends"), deb_dep_text(p["depends"], "Depends"),
                ", ".join(" | ".join(g) for g in p["recommends"]), ", ".join(p["provides"]),
            ]
        elif "version" in s:
            rec = [
                s["version"], s["installed_size_kib"], s["download_size_bytes"], s["priority"],
                s["section"], 1 if s["essential"] else 0, 0,
                s["pre_depends"], s["depends"], s["recommends"], s["provides"],
            ]
        else:
            continue
        rows.append([name] + rec + [s.get("arch", "amd64"), s.get("multi_arch", "no"), suite,
                                    s.get("suggests", "")])
    return {
        "architecture": "amd64",
        "suites": DEBIAN_SUITES,
        "minbase_note": "in_minbase = ESTIMATE of debian:bookworm-slim (Essential + required + apt, Depends-closed)",
        "columns": ["name", "version", "installed_size_kib", "download_size_bytes", "priority", "section",
                    "essential", "in_minbase", "pre_depends", "depends", "recommends", "provides",
                    "arch", "multi_arch", "suite", "suggests"],
        "packages": rows,
    }


def write(name, data):
    path = os.path.join(OUT, name)
    with open(path, "w") as f:
        json.dump(data, f, separators=(",", ":"), sort_keys=False)
        f.write("\n")
    print("%s: %d bytes" % (os.path.relpath(path, REPO), os.path.getsize(path)))


os.makedirs(OUT, exist_ok=True)
write("alpine.json", gen_alpine())
write("debian.json", gen_debian())
