#!/usr/bin/env python3
"""Write scripts/data/debian-bookworm-files.json: the commands and shared libraries each
package of the debian:bookworm-slim base set puts on disk, with their sizes, read from
dpkg's own records on a Debian 12 machine that has those packages installed.

Run from the repository root on such a machine:  python3 scripts/gen_debian_files.py

gen_catalog.py reads the result to build the Debian-family base trees: which files exist
(and whether they are symlinks) is a fact of the package; their sizes are used as weights
only (the trees add up to the estimated layer sizes). Files added by maintainer scripts
(update-alternatives links) are listed under "alternatives".
"""

import json
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = os.path.normpath(os.path.join(ROOT, "..", "shared", "data"))
OUT = os.path.join(ROOT, "scripts", "data", "debian-bookworm-files.json")

BIN_DIRS = ("/bin/", "/sbin/", "/usr/bin/", "/usr/sbin/", "/usr/games/")
LIB_DIRS = ("/lib/x86_64-linux-gnu/", "/usr/lib/x86_64-linux-gnu/", "/lib64/")


def wanted(path):
    d, name = path.rsplit("/", 1)
    d += "/"
    if d in BIN_DIRS:
        return True
    if d in LIB_DIRS and ".so" in name:
        return True
    return path.startswith("/usr/libexec/") or path.startswith("/usr/lib/apt/methods/")


def package_files(name):
    out = subprocess.run(["dpkg", "-L", name], capture_output=True, text=True, check=True).stdout
    rows = []
    for path in out.splitlines():
        if not path.startswith("/") or not wanted(path):
            continue
        if os.path.islink(path):
            rows.append([path, "l", os.readlink(path)])
        elif os.path.isfile(path):
            rows.append([path, "f", os.path.getsize(path)])
    return sorted(rows)


def main():
    pkgdata = json.load(open(os.path.join(SHARED, "debian-bookworm-packages.json")))
    names = sorted(n for n, p in pkgdata["packages"].items() if p.get("in_minbase_estimate"))
    packages = {}
    for n in names:
        try:
            packages[n] = package_files(n)
        except subprocess.CalledProcessError:
            sys.exit(f"{n} is not installed here: run this on a Debian 12 machine that has it")
    # update-alternatives links the base set's maintainer scripts create (bookworm-slim has
    # no less, so the pager is more).
    alternatives = [["/usr/bin/awk", "mawk"], ["/usr/bin/nawk", "mawk"],
                    ["/usr/bin/pager", "more"], ["/usr/bin/which", "which.debianutils"],
                    ["/usr/sbin/rmt", "rmt-tar"]]
    doc = {"schema": 1,
           "source": "dpkg -L and the files themselves on a Debian 12 (bookworm) amd64 machine",
           "packages": packages, "alternatives": alternatives}
    with open(OUT, "w") as f:
        json.dump(doc, f, indent=0, sort_keys=True)
        f.write("\n")
    total = sum(len(v) for v in packages.values())
    print(f"{OUT}: {len(packages)} packages, {total} files")


if __name__ == "__main__":
    main()
