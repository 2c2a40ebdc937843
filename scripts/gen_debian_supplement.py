#!/usr/bin/python3
"""Complete shared/data/debian-bookworm-packages.json with what apt itself knows.

Run on a Debian 12 (bookworm) machine with python3-apt after `apt-get update`
(sources: bookworm, bookworm-updates, bookworm-security, component main):

    /usr/bin/python3 scripts/gen_debian_supplement.py

It writes scripts/data/debian-bookworm-supplement.json with, for every package
of the shared file plus every package reachable from them through
Depends/Pre-Depends/Recommends (which `apt-get install` follows by default):
architecture, Multi-Arch, the archive apt fetches it from (first package file
of the candidate version, as apt prints it in its `Get:` lines), Suggests text
(only printed by apt), and for packages missing from the shared file the full
record (version, sizes, priority, section, dependencies).  Everything is read
from the local apt lists (`apt-cache`'s data), nothing is estimated.
"""
import json
import os
import sys

import apt_pkg

HERE = os.path.dirname(os.path.abspath(__file__))
SHARED = os.path.join(HERE, "..", "..", "shared", "data", "debian-bookworm-packages.json")
OUT = os.path.join(HERE, "data", "debian-bookworm-supplement.json")

apt_pkg.init()
cache = apt_pkg.Cache(None)
depcache = apt_pkg.DepCache(cache)


def candidate(name):
    for key in ((name, "amd64"), (name, "all")):
        try:
            pkg = cache[key]
        except KeyError:
            continue
        ver = depcache.get_candidate_ver(pkg)
        if ver is not None:
            return ver
    try:
        pkg = cache[name]
    except KeyError:
        return None
    return depcache.get_candidate_ver(pkg)


def dep_text(groups):
    out = []
    for grp in groups:
        alts = []
        for d in grp:
            s = d.target_pkg.name
            if d.target_ver:
                s += " (%s %s)" % (d.comp_type, d.target_ver)
            alts.append(s)
        out.append(" | ".join(alts))
    return ", ".join(out)


def resolve(grp):
    """First alternative with a candidate, else the first provider (apt's default choice)."""
    for d in grp:
        t = d.target_pkg
        if t.has_versions and candidate(t.name) is not None:
            return t.name
        if t.has_provides:
            return t.provides_list[0][2].parent_pkg.name
    return None


def origin(ver):
    for pfile, _ in ver.file_list:
        if pfile.archive == "now" or not pfile.site:
            continue
        return {"codename": pfile.codename, "component": pfile.component}
    return None


def main():
    shared = json.load(open(SHARED))
    known = shared["packages"]
    names = set(known)
    todo = sorted(names)
    added = {}
    seen = set(names)
    while todo:
        name = todo.pop()
        ver = candidate(name)
        if ver is None:
            continue
        for kind in ("PreDepends", "Depends", "Recommends"):
            for grp in ver.depends_list.get(kind, []):
                target = resolve(grp)
                if target and target not in seen:
                    seen.add(target)
                    todo.append(target)
                    added[target] = True
    records = {}
    mismatches = []
    for name in sorted(seen):
        ver = candidate(name)
        if ver is None:
            continue
        rec = {
            "arch": ver.arch,
            "multi_arch": {0: "no", 1: "all", 2: "foreign", 4: "same", 8: "allowed"}.get(ver.multi_arch, "no"),
            "origin": origin(ver),
            "suggests": dep_text(ver.depends_list.get("Suggests", [])),
        }
        if name in known and known[name]["version"] != ver.ver_str:
            mismatches.append((name, known[name]["version"], ver.ver_str))
        if name not in known:
            rec.update({
                "version": ver.ver_str,
                "installed_size_kib": ver.installed_size // 1024,
                "download_size_bytes": ver.size,
                "priority": ver.priority_str,
                "section": ver.section,
                "essential": bool(ver.parent_pkg.essential),
                "pre_depends": dep_text(ver.depends_list.get("PreDepends", [])),
                "depends": dep_text(ver.depends_list.get("Depends", [])),
                "recommends": dep_text(ver.depends_list.get("Recommends", [])),
                "provides": ", ".join(p[0] for p in ver.provides_list),
                "resolved": [resolve(g) for kind in ("PreDepends", "Depends")
                             for g in ver.depends_list.get(kind, [])],
            })
        records[name] = rec
    out = {
        "schema": "name -> {arch, multi_arch, origin{codename,component}, suggests; "
                  "plus version, installed_size_kib, download_size_bytes, priority, section, essential, "
                  "pre_depends, depends, recommends (Debian control syntax), provides, resolved[] "
                  "for packages absent from shared/data/debian-bookworm-packages.json}",
        "generated_by": "scripts/gen_debian_supplement.py (python3-apt %s, local apt lists)" % apt_pkg.VERSION,
        "added_through_recommends": sorted(added),
        "version_mismatches_with_shared": mismatches,
        "packages": records,
    }
    with open(OUT, "w") as f:
        json.dump(out, f, indent=0, sort_keys=True)
        f.write("\n")
    print("wrote %s: %d records, %d added, %d version mismatches" % (OUT, len(records), len(added), len(mismatches)),
          file=sys.stderr)


main()
