#!/usr/bin/env python3
"""Generate src/engine/catalog/catalog.json from ../shared/data/base-images.json.

Run from the repository root:  python3 scripts/gen_catalog.py
(reads scripts/data/debian-bookworm-files.json, written by scripts/gen_debian_files.py)

What it writes (compact JSON, committed, read by src/engine/catalog with include_str!):
  images[]  the real figures of each base image: digests, image id, layers (by blob digest),
            history (raw created_by), config, virtual size, distro facts, notes
  layers{}  per compressed blob: real compressed size, an ESTIMATED uncompressed size and a
            plausible file tree whose sizes add up exactly to that estimate
  aliases[] tag -> catalog ref (what `FROM alpine:latest` resolves to)
  texts[]   shared text contents referenced by tree rows

Uncompressed per-layer sizes are not published. They are estimated here (every estimate is
flagged): a layer that only creates directories or whose contents are small known text
files gets the exact size of those files; a tiny COPY layer (< 4 KiB compressed) gets
(compressed - 90) * 2 bytes; the remaining layers of an image share what is left of the
image's real virtual size in proportion to compressed size x a ratio class (OS base layer
or payload). A blob shared by two images is estimated once. Images without a published
virtual size use ratios measured on the other images.

Tree rows: [path, kind, mode, uid, gid, value] with kind
  d directory | f size-only file (value = size) | t text file (value = index into texts)
  l symlink (value = target) | h hard link (value = path of the file it links to)
Missing parent directories are created by the reader as 0755 root:root.
"""

import json
import os
import re
import sys
from datetime import datetime, timezone

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = os.path.normpath(os.path.join(ROOT, "..", "shared", "data"))
OUT = os.path.join(ROOT, "src", "engine", "catalog", "catalog.json")
OUT_TREES = os.path.join(ROOT, "src", "engine", "catalog", "catalog-trees.json")

EMPTY_GZIP = "sha256:4f4fb700ef54461cfa02571ae0db9a0dc1e0cdb5577484a6d75e68dc38e8acc1"
TINY_LAYER = 4096


def epoch(s):
    s = s.rstrip("Z")
    if "." in s:
        s = s.split(".")[0]
    return int(datetime.strptime(s, "%Y-%m-%dT%H:%M:%S").replace(tzinfo=timezone.utc).timestamp())


# --------------------------------------------------------------------------------------
# Trees
# --------------------------------------------------------------------------------------

# Stand-in weights spread over real-looking file names (names of real packages, modules,
# headers, zones...; their sizes are shares of the estimate, not measurements).
SPREAD = {
    "_bulk_of_npm_dependencies_.tgz_stand_in":
        "@npmcli/arborist/lib/arborist/build-ideal-tree.js @npmcli/arborist/lib/node.js "
        "@npmcli/config/lib/index.js @npmcli/git/lib/clone.js @npmcli/run-script/lib/run-script-pkg.js "
        "abbrev/lib/index.js agent-base/dist/index.js cacache/lib/content/write.js "
        "cacache/lib/entry-index.js chalk/source/index.js cli-columns/index.js cross-spawn/lib/parse.js "
        "debug/src/node.js diff/lib/index.js encoding/lib/encoding.js fs-minipass/lib/index.js "
        "glob/dist/commonjs/glob.js graceful-fs/graceful-fs.js hosted-git-info/lib/index.js "
        "http-proxy-agent/dist/index.js https-proxy-agent/dist/index.js ini/lib/ini.js "
        "init-package-json/lib/init-package-json.js json-parse-even-better-errors/lib/index.js "
        "libnpmexec/lib/index.js libnpmpublish/lib/publish.js lru-cache/dist/commonjs/index.js "
        "make-fetch-happen/lib/cache/entry.js minimatch/dist/commonjs/index.js "
        "minipass/dist/commonjs/index.js minipass-fetch/lib/index.js node-gyp/gyp/pylib/gyp/input.py "
        "node-gyp/gyp/pylib/gyp/msvs_emulation.py node-gyp/gyp/pylib/gyp/generator/msvs.py "
        "nopt/lib/nopt-lib.js npm-package-arg/lib/npa.js npm-pick-manifest/lib/index.js "
        "npm-registry-fetch/lib/index.js pacote/lib/fetcher.js semver/classes/range.js "
        "socks/build/client/socksclient.js spdx-license-ids/index.json ssri/lib/index.js "
        "tar/lib/pack.js tar/lib/parse.js which/lib/index.js write-file-atomic/lib/index.js",
    "_bulk_of_openssl_headers_stand_in":
        "aes.h asn1.h asn1t.h bio.h bn.h buffer.h cms.h conf.h crypto.h des.h dh.h dsa.h ec.h "
        "engine.h err.h evp.h hmac.h kdf.h md5.h obj_mac.h objects.h ocsp.h opensslv.h pem.h "
        "pkcs12.h pkcs7.h rand.h rsa.h sha.h ssl3.h stack.h tls1.h x509.h x509_vfy.h x509v3.h",
    "_bulk_of_v8_headers_stand_in":
        "v8-array-buffer.h v8-context.h v8-function.h v8-isolate.h v8-local-handle.h "
        "v8-object.h v8-persistent-handle.h v8-platform.h v8-primitive.h v8-profiler.h "
        "v8-script.h v8-template.h v8-value.h v8config.h cppgc/heap.h libplatform/libplatform.h "
        "uv/unix.h uv/linux.h zlib.h node_buffer.h node_object_wrap.h js_native_api.h",
    "_other_root_certificates_stand_in": "CERTS",
    "_root_certificates_stand_in": "CERTS",
    "_other_git_commands_stand_in":
        "git-add--interactive git-archimport git-cvsexportcommit git-cvsimport git-cvsserver "
        "git-filter-branch git-http-push git-imap-send git-instaweb git-merge-octopus "
        "git-merge-one-file git-merge-resolve git-mergetool git-quiltimport git-remote-ftp "
        "git-remote-https git-request-pull git-send-email git-sh-i18n git-sh-setup git-shell "
        "git-submodule git-subtree git-svn git-web--browse mergetools/vimdiff",
    "_other_modules_stand_in":
        "bundle2.py changegroup.py cmdutil.py commands.py context.py dirstate.py dispatch.py "
        "exchange.py extensions.py filelog.py help.py hg.py httppeer.py merge.py obsolete.py "
        "patch.py phases.py revlog.py revset.py scmutil.py sshpeer.py subrepo.py templater.py "
        "ui.py util.py wireprotov1peer.py cext/parsers.cpython-311-x86_64-linux-gnu.so "
        "help/config.txt templates/map-cmdline.default",
    "_stdlib_stand_in":
        "argparse.py ast.py asyncio/base_events.py asyncio/tasks.py collections/__init__.py "
        "concurrent/futures/process.py dataclasses.py datetime.py decimal.py email/_header_value_parser.py "
        "email/message.py encodings/cp1252.py enum.py functools.py http/client.py http/server.py "
        "importlib/_bootstrap_external.py inspect.py ipaddress.py logging/__init__.py "
        "multiprocessing/connection.py pathlib.py pickle.py pydoc.py pydoc_data/topics.py "
        "re/_parser.py shutil.py socket.py sqlite3/dbapi2.py ssl.py subprocess.py tarfile.py "
        "threading.py tkinter/__init__.py turtle.py typing.py unittest/mock.py urllib/request.py "
        "xml/etree/ElementTree.py zipfile/__init__.py __pycache__/typing.cpython-312.pyc "
        "__pycache__/inspect.cpython-312.pyc ensurepip/_bundled/pip-25.0.1-py3-none-any.whl "
        "config-3.12-x86_64-linux-gnu/libpython3.12.a",
    "_modules_stand_in":
        "CPAN.pm Config_heavy.pl Encode/JP.pm Math/BigInt.pm Module/CoreList.pm Pod/Perldoc.pm "
        "Pod/Simple.pm Storable.pm Test/More.pm Unicode/Collate/allkeys.txt Unicode/Normalize.pm "
        "unicore/Decomposition.pl unicore/Name.pl unicore/UCD.pl perl5db.pl pod/perlfunc.pod "
        "pod/perlop.pod pod/perlre.pod pod/perldiag.pod Net/FTP.pm HTTP/Tiny.pm IO/Socket/IP.pm "
        "ExtUtils/MakeMaker.pm File/Temp.pm Getopt/Long.pm JSON/PP.pm",
    "_xs_modules_stand_in":
        "Encode/JP/JP.so Encode/KR/KR.so Encode/CN/CN.so Encode/TW/TW.so POSIX/POSIX.so "
        "Storable/Storable.so Socket/Socket.so List/Util/Util.so Data/Dumper/Dumper.so "
        "Digest/SHA/SHA.so re/re.so B/B.so",
    "_other_headers_stand_in":
        "linux/bpf.h linux/if_link.h linux/input-event-codes.h linux/videodev2.h linux/nl80211.h "
        "linux/ethtool.h linux/kvm.h linux/perf_event.h x86_64-linux-gnu/bits/stdio2.h "
        "x86_64-linux-gnu/bits/socket.h x86_64-linux-gnu/sys/mman.h x86_64-linux-gnu/bits/types.h "
        "rpc/rpc.h netinet/in.h elf.h unistd.h string.h math.h pthread.h signal.h",
    "_libstdcxx_headers_stand_in":
        "bits/stl_vector.h bits/stl_tree.h bits/basic_string.h bits/regex_compiler.tcc "
        "bits/random.h bits/ranges_algo.h bits/shared_ptr_base.h bits/unordered_map.h "
        "algorithm chrono format iostream map memory ranges regex string thread tuple "
        "type_traits variant vector x86_64-linux-gnu/bits/c++config.h pstl/glue_algorithm_impl.h",
    "_other_tools_stand_in":
        "addr2line buildid covdata dist doc fix nm objdump pack pprof test2json trace",
    "_rest_of_the_standard_library_stand_in":
        "archive/tar/reader.go archive/zip/reader.go bufio/bufio.go bytes/bytes.go "
        "cmd/compile/internal/ssa/rewriteAMD64.go cmd/compile/internal/ssa/rewritegeneric.go "
        "cmd/go/internal/load/pkg.go cmd/go/internal/modload/load.go cmd/link/internal/ld/lib.go "
        "compress/flate/deflate.go context/context.go crypto/tls/handshake_client.go "
        "crypto/x509/x509.go database/sql/sql.go encoding/json/decode.go encoding/json/encode.go "
        "go/parser/parser.go go/types/expr.go html/template/escape.go image/png/reader.go "
        "io/io.go math/big/nat.go net/http/transport.go net/http/h2_bundle.go net/dial.go "
        "os/file.go os/exec/exec.go path/filepath/path.go reflect/value.go regexp/syntax/parse.go "
        "runtime/malloc.go runtime/mgc.go runtime/sys_linux_amd64.s sort/sort.go strconv/ftoa.go "
        "strings/strings.go sync/mutex.go syscall/zerrors_linux_amd64.go testing/testing.go "
        "text/template/exec.go time/format.go unicode/tables.go "
        "vendor/golang.org/x/net/http2/hpack/tables.go cmd/vendor/golang.org/x/tools/go/analysis/analysis.go",
    "_tests_stand_in":
        "fixedbugs/issue10607.go fixedbugs/issue22660.go typeparam/issue48453.go escape2.go "
        "codegen/arithmetic.go closure3.dir/main.go chan/select5.go ken/chan.go bench/go1/json_test.go "
        "interface/embed2.go",
    "_precompiled_std_packages_stand_in":
        "fmt.a net/http.a runtime.a reflect.a crypto/tls.a encoding/json.a os.a strings.a "
        "syscall.a time.a net.a go/types.a cmd/compile/internal/ssa.a",
    "_other_zones_stand_in": "ZONES",
    "_other_extensions_stand_in":
        " ".join(f"{m}.cpython-312-x86_64-linux-gnu.so" for m in "_asyncio _bz2 _ctypes _datetime _decimal _elementtree _hashlib _json _lzma _multiprocessing _pickle _socket _sqlite3 _struct _uuid _zoneinfo array binascii math pyexpat select unicodedata zlib".split()),
    "_pip_stand_in":
        "_internal/cli/main.py _internal/commands/install.py _internal/index/package_finder.py "
        "_internal/network/session.py _internal/operations/install/wheel.py "
        "_internal/resolution/resolvelib/factory.py _internal/req/req_install.py "
        "_vendor/rich/console.py _vendor/rich/_emoji_codes.py _vendor/urllib3/connectionpool.py "
        "_vendor/requests/sessions.py _vendor/pygments/lexers/_mapping.py "
        "_vendor/pkg_resources/__init__.py _vendor/certifi/cacert.pem _vendor/idna/uts46data.py "
        "_vendor/packaging/version.py _vendor/distlib/t64.exe _vendor/distlib/w64-arm.exe",
    "_headers_stand_in":
        "abstract.h bytesobject.h ceval.h dictobject.h floatobject.h import.h listobject.h "
        "longobject.h methodobject.h modsupport.h object.h pyerrors.h pyport.h unicodeobject.h "
        "cpython/object.h cpython/unicodeobject.h internal/pycore_runtime.h",
    "_image_and_font_libraries_stand_in":
        "libfreetype.so.6.20.2 libpng16.so.16.48.0 libjpeg.so.62.4.0 libwebp.so.7.1.10 "
        "libtiff.so.6.1.0 libfontconfig.so.1.15.0 libX11.so.6.4.0 libxcb.so.1.1.0 "
        "libharfbuzz.so.0.61000.0 libavif.so.16.3.0 libdav1d.so.7 libaom.so.3.12.1",
    "_acme_module_stand_in": "acme/README.md acme/LICENSE",
    "_icons_stand_in":
        "a.gif alert.black.gif apache_pb.png back.gif blank.gif compressed.gif folder.gif "
        "image2.gif layout.gif movie.gif sound1.gif text.gif unknown.gif small/folder.gif",
    "_error_pages_stand_in":
        "HTTP_BAD_GATEWAY.html.var HTTP_FORBIDDEN.html.var HTTP_INTERNAL_SERVER_ERROR.html.var "
        "HTTP_NOT_FOUND.html.var HTTP_SERVICE_UNAVAILABLE.html.var contact.html.var",
    "_httpd_headers_stand_in": "ap_config.h apr.h apr_pools.h http_config.h http_core.h httpd.h",
}

SPREAD["CERTS"] = (
    "ACCVRAIZ1.crt Actalis_Authentication_Root_CA.crt AffirmTrust_Commercial.crt "
    "Amazon_Root_CA_1.crt Amazon_Root_CA_2.crt Amazon_Root_CA_3.crt Baltimore_CyberTrust_Root.crt "
    "Buypass_Class_2_Root_CA.crt COMODO_RSA_Certification_Authority.crt "
    "Certum_Trusted_Network_CA.crt DigiCert_Global_Root_CA.crt DigiCert_Global_Root_G2.crt "
    "DigiCert_High_Assurance_EV_Root_CA.crt Entrust_Root_Certification_Authority.crt "
    "GTS_Root_R1.crt GlobalSign_Root_CA.crt Go_Daddy_Root_Certificate_Authority_-_G2.crt "
    "ISRG_Root_X2.crt QuoVadis_Root_CA_2.crt SecureTrust_CA.crt "
    "Starfield_Root_Certificate_Authority_-_G2.crt USERTrust_RSA_Certification_Authority.crt")
SPREAD["ZONES"] = (
    "Africa/Cairo Africa/Johannesburg America/Chicago America/Los_Angeles America/Sao_Paulo "
    "America/Toronto Asia/Dubai Asia/Hong_Kong Asia/Kolkata Asia/Seoul Asia/Singapore "
    "Asia/Tokyo Australia/Sydney Europe/Amsterdam Europe/London Europe/Madrid Europe/Moscow "
    "Europe/Paris Europe/Rome Pacific/Auckland iso3166.tab zone.tab leapseconds")


def guess_mode(path):
    """0755 for programs and shared libraries, 0644 for everything else."""
    d, name = path.rsplit("/", 1)
    if ".so" in name or d.endswith(("/bin", "/sbin", "/libexec", "/git-core")) or d.endswith("linux_amd64"):
        return 0o755
    if "/gcc/x86_64-linux-gnu/" in path and "." not in name:
        return 0o755
    return 0o644


def spread_names(stand_in):
    names = SPREAD.get(stand_in)
    if names is None:
        return None
    return SPREAD.get(names, names).split()


class Tree:
    """Rows of one layer; weighted files get their sizes when the layer size is known."""

    def __init__(self, mtime):
        self.mtime = mtime
        self.rows = {}
        self.weights = {}
        self.notes = []

    def d(self, path, mode=0o755, uid=0, gid=0):
        self.rows[path] = ["d", mode, uid, gid, None]

    def t(self, path, text, mode=0o644, uid=0, gid=0):
        self.rows[path] = ["t", mode, uid, gid, text]

    def f(self, path, size, mode=0o755, uid=0, gid=0):
        self.rows[path] = ["f", mode, uid, gid, int(size)]

    def l(self, path, target):
        self.rows[path] = ["l", 0o777, 0, 0, target]
        self.weights.pop(path, None)

    def h(self, path, target):
        self.rows[path] = ["h", 0o755, 0, 0, target]

    def w(self, path, weight, mode=None, uid=0, gid=0):
        """A size-only file that takes a share of the layer's unexplained bytes. A stand-in
        name from SPREAD is replaced by its list of real-looking names (weights varied a
        little, deterministically)."""
        d, name = path.rsplit("/", 1)
        if mode is None:
            mode = guess_mode(path)
        names = spread_names(name)
        if names is not None:
            total = sum(len(n) * 7 % 13 + 6 for n in names)
            for n in names:
                mode_n = guess_mode(f"{d}/{n}") if mode in (0o644, 0o755) else mode
                self.w(f"{d}/{n}", weight * (len(n) * 7 % 13 + 6) / total, mode_n, uid, gid)
            return
        if self.rows.get(path, ["w"])[0] != "w":
            return  # a symlink or fixed file of another package owns the path
        self.rows[path] = ["w", mode, uid, gid, None]
        self.weights[path] = self.weights.get(path, 0) + max(1, int(weight))

    def fixed_size(self):
        total = 0
        for kind, _m, _u, _g, v in self.rows.values():
            if kind == "t":
                total += len(v.encode())
            elif kind == "f":
                total += v
            elif kind == "l":
                total += len(v.encode())
        return total

    def has_weights(self):
        return bool(self.weights)

    def finalize(self, total):
        fixed = self.fixed_size()
        rest = total - fixed
        if rest < 0 or (rest > 0 and not self.weights):
            raise SystemExit(f"tree cannot reach {total} bytes (fixed {fixed})")
        for path, size in distribute(rest, self.weights).items():
            row = self.rows[path]
            self.rows[path] = ["f", row[1], row[2], row[3], size]
        assert self.size() == total, (self.size(), total)

    def size(self):
        return self.fixed_size()

    def emit(self, texts):
        """Rows sorted by path, front-coded: [shared prefix length with the previous path,
        rest of the path, kind, value] plus [mode, uid, gid] when not the kind's default
        (d 0755, f 0644, x 0755, t 0644, l 0777; a hard link copies its target)."""
        out = []
        prev = ""
        for path in sorted(self.rows):
            kind, mode, uid, gid, v = self.rows[path]
            if kind == "t":
                if v not in texts:
                    texts[v] = len(texts)
                v = texts[v]
            if kind == "d":
                v = 0
            if kind == "f" and mode == 0o755:
                kind = "x"
            default = {"d": 0o755, "f": 0o644, "x": 0o755, "t": 0o644, "l": 0o777, "h": 0o755}[kind]
            n = 0
            while n < min(len(prev), len(path)) and prev[n] == path[n]:
                n += 1
            row = [n, path[n:], kind, v]
            if (mode, uid, gid) != (default, 0, 0) and kind not in ("l", "h"):
                row += [mode, uid, gid]
            out.append(row)
            prev = path
        return out


def distribute(total, weights):
    """Integer split of `total` proportional to `weights` (largest remainder, stable)."""
    if not weights:
        return {}
    wsum = sum(weights.values())
    shares = {}
    rema = []
    given = 0
    for k, w in weights.items():
        exact = total * w / wsum
        base = int(exact)
        shares[k] = base
        given += base
        rema.append((exact - base, k))
    rema.sort(key=lambda x: (-x[0], x[1]))
    for i in range(total - given):
        shares[rema[i % len(rema)][1]] += 1
    return shares


# --------------------------------------------------------------------------------------
# Text files
# --------------------------------------------------------------------------------------

ALPINE_PASSWD_OLD = """root:x:0:0:root:/root:/bin/ash
bin:x:1:1:bin:/bin:/sbin/nologin
daemon:x:2:2:daemon:/sbin:/sbin/nologin
adm:x:3:4:adm:/var/adm:/sbin/nologin
lp:x:4:7:lp:/var/spool/lpd:/sbin/nologin
sync:x:5:0:sync:/sbin:/bin/sync
shutdown:x:6:0:shutdown:/sbin:/sbin/shutdown
halt:x:7:0:halt:/sbin:/sbin/halt
mail:x:8:12:mail:/var/mail:/sbin/nologin
news:x:9:13:news:/usr/lib/news:/sbin/nologin
uucp:x:10:14:uucp:/var/spool/uucppublic:/sbin/nologin
operator:x:11:0:operator:/root:/sbin/nologin
man:x:13:15:man:/usr/man:/sbin/nologin
postmaster:x:14:12:postmaster:/var/mail:/sbin/nologin
cron:x:16:16:cron:/var/spool/cron:/sbin/nologin
ftp:x:21:21::/var/lib/ftp:/sbin/nologin
sshd:x:22:22:sshd:/dev/null:/sbin/nologin
at:x:25:25:at:/var/spool/cron/atjobs:/sbin/nologin
squid:x:31:31:Squid:/var/cache/squid:/sbin/nologin
xfs:x:33:33:X Font Server:/etc/X11/fs:/sbin/nologin
games:x:35:35:games:/usr/games:/sbin/nologin
cyrus:x:85:12::/usr/cyrus:/sbin/nologin
vpopmail:x:89:89::/var/vpopmail:/sbin/nologin
ntp:x:123:123:NTP:/var/empty:/sbin/nologin
smmsp:x:209:209:smmsp:/var/spool/mqueue:/sbin/nologin
guest:x:405:100:guest:/dev/null:/sbin/nologin
nobody:x:65534:65534:nobody:/:/sbin/nologin
"""

ALPINE_GROUP_OLD = """root:x:0:root
bin:x:1:root,bin,daemon
daemon:x:2:root,bin,daemon
sys:x:3:root,bin,adm
adm:x:4:root,adm,daemon
tty:x:5:
disk:x:6:root,adm
lp:x:7:lp
mem:x:8:
kmem:x:9:
wheel:x:10:root
floppy:x:11:root
mail:x:12:mail
news:x:13:news
uucp:x:14:uucp
man:x:15:man
cron:x:16:cron
console:x:17:
audio:x:18:
cdrom:x:19:
dialout:x:20:root
ftp:x:21:
sshd:x:22:
input:x:23:
at:x:25:at
tape:x:26:root
video:x:27:root
netdev:x:28:
readproc:x:30:
squid:x:31:squid
xfs:x:33:xfs
kvm:x:34:kvm
games:x:35:
shadow:x:42:
cdrw:x:80:
www-data:x:82:
usb:x:85:
vpopmail:x:89:
users:x:100:games
ntp:x:123:
nofiles:x:200:
smmsp:x:209:smmsp
locate:x:245:
abuild:x:300:
utmp:x:406:
ping:x:999:
nogroup:x:65533:
nobody:x:65534:
"""

ALPINE_PASSWD_NEW = """root:x:0:0:root:/root:/bin/sh
bin:x:1:1:bin:/bin:/sbin/nologin
daemon:x:2:2:daemon:/sbin:/sbin/nologin
lp:x:4:7:lp:/var/spool/lpd:/sbin/nologin
sync:x:5:0:sync:/sbin:/bin/sync
shutdown:x:6:0:shutdown:/sbin:/sbin/shutdown
halt:x:7:0:halt:/sbin:/sbin/halt
mail:x:8:12:mail:/var/mail:/sbin/nologin
news:x:9:13:news:/usr/lib/news:/sbin/nologin
uucp:x:10:14:uucp:/var/spool/uucppublic:/sbin/nologin
cron:x:16:16:cron:/var/spool/cron:/sbin/nologin
ftp:x:21:21::/var/lib/ftp:/sbin/nologin
sshd:x:22:22:sshd:/dev/null:/sbin/nologin
games:x:35:35:games:/usr/games:/sbin/nologin
ntp:x:123:123:NTP:/var/empty:/sbin/nologin
guest:x:405:100:guest:/dev/null:/sbin/nologin
nobody:x:65534:65534:nobody:/:/sbin/nologin
"""

ALPINE_GROUP_NEW = """root:x:0:root
bin:x:1:root,bin,daemon
daemon:x:2:root,bin,daemon
sys:x:3:root,bin
adm:x:4:root,daemon
tty:x:5:
disk:x:6:root
lp:x:7:lp
kmem:x:9:
wheel:x:10:root
floppy:x:11:root
mail:x:12:mail
news:x:13:news
uucp:x:14:uucp
cron:x:16:cron
audio:x:18:
cdrom:x:19:
dialout:x:20:root
ftp:x:21:
sshd:x:22:
input:x:23:
tape:x:26:root
video:x:27:root
netdev:x:28:
kvm:x:34:kvm
games:x:35:
shadow:x:42:
www-data:x:82:
users:x:100:games
ntp:x:123:
abuild:x:300:
utmp:x:406:
ping:x:999:
nogroup:x:65533:
nobody:x:65534:
"""

DEBIAN_PASSWD_OLD = """root:x:0:0:root:/root:/bin/bash
daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin
bin:x:2:2:bin:/bin:/usr/sbin/nologin
sys:x:3:3:sys:/dev:/usr/sbin/nologin
sync:x:4:65534:sync:/bin:/bin/sync
games:x:5:60:games:/usr/games:/usr/sbin/nologin
man:x:6:12:man:/var/cache/man:/usr/sbin/nologin
lp:x:7:7:lp:/var/spool/lpd:/usr/sbin/nologin
mail:x:8:8:mail:/var/mail:/usr/sbin/nologin
news:x:9:9:news:/var/spool/news:/usr/sbin/nologin
uucp:x:10:10:uucp:/var/spool/uucp:/usr/sbin/nologin
proxy:x:13:13:proxy:/bin:/usr/sbin/nologin
www-data:x:33:33:www-data:/var/www:/usr/sbin/nologin
backup:x:34:34:backup:/var/backups:/usr/sbin/nologin
list:x:38:38:Mailing List Manager:/var/list:/usr/sbin/nologin
irc:x:39:39:ircd:/var/run/ircd:/usr/sbin/nologin
gnats:x:41:41:Gnats Bug-Reporting System (admin):/var/lib/gnats:/usr/sbin/nologin
nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin
_apt:x:100:65534::/nonexistent:/usr/sbin/nologin
"""

DEBIAN_PASSWD_NEW = """root:x:0:0:root:/root:/bin/bash
daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin
bin:x:2:2:bin:/bin:/usr/sbin/nologin
sys:x:3:3:sys:/dev:/usr/sbin/nologin
sync:x:4:65534:sync:/bin:/bin/sync
games:x:5:60:games:/usr/games:/usr/sbin/nologin
man:x:6:12:man:/var/cache/man:/usr/sbin/nologin
lp:x:7:7:lp:/var/spool/lpd:/usr/sbin/nologin
mail:x:8:8:mail:/var/mail:/usr/sbin/nologin
news:x:9:9:news:/var/spool/news:/usr/sbin/nologin
uucp:x:10:10:uucp:/var/spool/uucp:/usr/sbin/nologin
proxy:x:13:13:proxy:/bin:/usr/sbin/nologin
www-data:x:33:33:www-data:/var/www:/usr/sbin/nologin
backup:x:34:34:backup:/var/backups:/usr/sbin/nologin
list:x:38:38:Mailing List Manager:/var/list:/usr/sbin/nologin
irc:x:39:39:ircd:/run/ircd:/usr/sbin/nologin
_apt:x:42:65534::/nonexistent:/usr/sbin/nologin
nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin
"""

DEBIAN_GROUP_NAMES_OLD = [
    ("root", 0), ("daemon", 1), ("bin", 2), ("sys", 3), ("adm", 4), ("tty", 5), ("disk", 6),
    ("lp", 7), ("mail", 8), ("news", 9), ("uucp", 10), ("man", 12), ("proxy", 13), ("kmem", 15),
    ("dialout", 20), ("fax", 21), ("voice", 22), ("cdrom", 24), ("floppy", 25), ("tape", 26),
    ("sudo", 27), ("audio", 29), ("dip", 30), ("www-data", 33), ("backup", 34),
    ("operator", 37), ("list", 38), ("irc", 39), ("src", 40), ("gnats", 41), ("shadow", 42),
    ("utmp", 43), ("video", 44), ("sasl", 45), ("plugdev", 46), ("staff", 50), ("games", 60),
    ("users", 100), ("nogroup", 65534),
]
DEBIAN_GROUP_NAMES_NEW = [
    (n, g) for (n, g) in DEBIAN_GROUP_NAMES_OLD if n not in ("gnats",)
]


def debian_group(new):
    names = DEBIAN_GROUP_NAMES_NEW if new else DEBIAN_GROUP_NAMES_OLD
    return "".join(f"{n}:x:{g}:\n" for n, g in names)


def shadow_for(passwd, days, locked="*"):
    lines = []
    for line in passwd.splitlines():
        name = line.split(":")[0]
        lines.append(f"{name}:{locked}:{days}:0:99999:7:::")
    return "\n".join(lines) + "\n"


def alpine_shadow(passwd):
    out = []
    for line in passwd.splitlines():
        name = line.split(":")[0]
        out.append(f"{name}:{'*' if name == 'root' else '!'}::0:::::")
    return "\n".join(out) + "\n"


def alpine_os_release(version):
    branch = ".".join(version.split(".")[:2])
    bug = ("https://bugs.alpinelinux.org/" if alpine_era(version) < (3, 17)
           else "https://gitlab.alpinelinux.org/alpine/aports/-/issues")
    return (f'NAME="Alpine Linux"\nID=alpine\nVERSION_ID={version}\n'
            f'PRETTY_NAME="Alpine Linux v{branch}"\nHOME_URL="https://alpinelinux.org/"\n'
            f'BUG_REPORT_URL="{bug}"\n')


def alpine_era(version):
    major, minor = version.split(".")[:2]
    return (int(major), int(minor))


def debian_os_release(num, codename):
    return (f'PRETTY_NAME="Debian GNU/Linux {num} ({codename})"\nNAME="Debian GNU/Linux"\n'
            f'VERSION_ID="{num}"\nVERSION="{num} ({codename})"\nVERSION_CODENAME={codename}\n'
            'ID=debian\nHOME_URL="https://www.debian.org/"\n'
            'SUPPORT_URL="https://www.debian.org/support"\nBUG_REPORT_URL="https://bugs.debian.org/"\n')


def ubuntu_os_release(point, codename, animal):
    short = ".".join(point.split(".")[:2])
    return (f'PRETTY_NAME="Ubuntu {point} LTS"\nNAME="Ubuntu"\nVERSION_ID="{short}"\n'
            f'VERSION="{point} LTS ({animal})"\nVERSION_CODENAME={codename}\nID=ubuntu\n'
            'ID_LIKE=debian\nHOME_URL="https://www.ubuntu.com/"\n'
            'SUPPORT_URL="https://help.ubuntu.com/"\n'
            'BUG_REPORT_URL="https://bugs.launchpad.net/ubuntu/"\n'
            'PRIVACY_POLICY_URL="https://www.ubuntu.com/legal/terms-and-policies/privacy-policy"\n'
            f'UBUNTU_CODENAME={codename}\n')


def apk_db(pkgs, files):
    """/lib/apk/db/installed with the records we know: name, version, arch, installed size,
    and the files this catalog placed for the package (F:/R: lines)."""
    out = []
    for p in sorted(pkgs, key=lambda p: p["name"]):
        out.append(f"P:{p['name']}\nV:{p['version']}\nA:x86_64\nI:{p['installed_size_bytes']}\n")
        by_dir = {}
        for path in sorted(files.get(p["name"], [])):
            d, n = path.rsplit("/", 1)
            by_dir.setdefault(d.lstrip("/"), []).append(n)
        for d in sorted(by_dir):
            out.append(f"F:{d}\n")
            for n in by_dir[d]:
                out.append(f"R:{n}\n")
        out.append("\n")
    return "".join(out)


# --------------------------------------------------------------------------------------
# Alpine
# --------------------------------------------------------------------------------------

# The applet links of Alpine's busybox package (its /etc/busybox-paths.d list).
BUSYBOX_APPLETS = {
    "/bin": "arch ash base64 bbconfig cat chattr chgrp chmod chown cp date dd df dmesg "
            "dnsdomainname dumpkmap echo egrep false fatattr fdflush fgrep fsync getopt grep "
            "gunzip gzip hostname ionice iostat ipcalc kbd_mode kill link linux32 linux64 ln "
            "login ls lsattr lzop makemime mkdir mknod mktemp more mount mountpoint mpstat mv "
            "netstat nice pidof ping ping6 pipe_progress printenv ps pwd reformime rev rm rmdir "
            "run-parts sed setserial sh sleep stat stty su sync tar touch true umount uname "
            "usleep watch zcat",
    "/sbin": "acpid adjtimex arp blkid blockdev depmod fbsplash fdisk findfs fsck fstrim getty "
             "halt hwclock ifconfig ifdown ifenslave ifup init inotifyd insmod ip ipaddr iplink "
             "ipneigh iproute iprule iptunnel klogd loadkmap logread losetup lsmod mdev mkdosfs "
             "mkfs.vfat mkswap modinfo modprobe nameif nologin pivot_root poweroff raidautorun "
             "reboot rmmod route setconsole slattach swapoff swapon switch_root sysctl syslogd "
             "tunctl udhcpc vconfig watchdog",
    "/usr/bin": "[ [[ awk basename bc beep blkdiscard bunzip2 bzcat bzip2 cal chvt cksum clear "
                "cmp comm cpio crontab cryptpw cut dc deallocvt diff dirname dos2unix du eject "
                "env expand expr factor fallocate find flock fold free fuser groups hd head "
                "hexdump hostid id install ipcrm ipcs killall less logger lsof lsusb lzcat lzma "
                "lzopcat md5sum mesg microcom mkfifo mkpasswd nc nl nmeter nohup nproc nsenter "
                "nslookup od openvt passwd paste pgrep pkill pmap printf pscan pstree pwdx "
                "readlink realpath renice reset resize seq setkeycodes setsid sha1sum sha256sum "
                "sha3sum sha512sum showkey shred shuf sort split strings sum tac tail tee test "
                "time timeout top tr traceroute traceroute6 truncate tty ttysize udhcpc6 "
                "unexpand uniq unix2dos unlink unlzma unlzop unshare unxz unzip uptime uudecode "
                "uuencode vi vlock volname wc wget which whoami whois xargs xxd xzcat yes",
    "/usr/sbin": "add-shell addgroup adduser arping brctl chpasswd chroot crond delgroup "
                 "deluser ether-wake fbset killall5 loadfont nanddump nandwrite nbd-client ntpd "
                 "partprobe rdate rdev readahead remove-shell sendmail setfont setlogcons",
}

ALPINE_BASE_NAMES = {
    "alpine-baselayout", "alpine-baselayout-data", "alpine-keys", "alpine-release",
    "apk-tools", "busybox", "busybox-binsh", "ca-certificates-bundle", "libapk", "libc-utils",
    "libcrypto1.1", "libcrypto3", "libssl1.1", "libssl3", "libtls-standalone", "musl",
    "musl-utils", "scanelf", "ssl_client", "zlib",
}

ALPINE_WORLD = ["alpine-baselayout", "alpine-keys", "alpine-release", "apk-tools", "busybox",
                "ca-certificates-bundle", "libc-utils"]

# World names that an installed package provides under another name: from Alpine 3.17 on,
# musl-utils provides libc-utils, which keeps musl-utils (and scanelf) installed.
ALPINE_PROVIDED = {"libc-utils": "musl-utils"}


def alpine_world(wanted, names):
    """The /etc/apk/world text: the wanted names that are installed or provided."""
    kept = [n for n in wanted if n in names or ALPINE_PROVIDED.get(n) in names]
    return "".join(f"{n}\n" for n in kept)


def soname_version(version):
    return version.split("-r")[0].split("_")[0]


def alpine_pkg_files(name, version):
    """(path, share of the installed size) for the main files of an apk package, plus
    symlinks [(path, target)]."""
    v = soname_version(version)
    files, links = [], []
    if name == "musl":
        files = [("/lib/ld-musl-x86_64.so.1", 1.0)]
        links = [("/lib/libc.musl-x86_64.so.1", "ld-musl-x86_64.so.1")]
    elif name == "busybox":
        files = [("/bin/busybox", 0.97), ("/etc/udhcpd.conf", 0.01), ("/etc/securetty", 0.001)]
    elif name == "musl-utils":
        files = [("/sbin/ldconfig", 0.05), ("/usr/bin/getconf", 0.3), ("/usr/bin/getent", 0.3),
                 ("/usr/bin/iconv", 0.3), ("/usr/bin/ldd", 0.05)]
    elif name == "apk-tools":
        # apk-tools 2 carries libapk itself; apk-tools 3 has a separate libapk package.
        files = ([("/sbin/apk", 1.0)] if version.startswith("3")
                 else [("/sbin/apk", 0.45), (f"/lib/libapk.so.{v}", 0.55)])
    elif name == "libapk":
        files = [(f"/usr/lib/libapk.so.{v}", 1.0)]
    elif name == "alpine-keys":
        files = [("/usr/share/apk/keys/x86_64/alpine-devel@lists.alpinelinux.org-4a6a0840.rsa.pub", 0.2),
                 ("/usr/share/apk/keys/x86_64/alpine-devel@lists.alpinelinux.org-5261cecb.rsa.pub", 0.2),
                 ("/usr/share/apk/keys/x86_64/alpine-devel@lists.alpinelinux.org-6165ee59.rsa.pub", 0.3)]
        links = [("/etc/apk/keys/alpine-devel@lists.alpinelinux.org-4a6a0840.rsa.pub",
                  "../../../usr/share/apk/keys/x86_64/alpine-devel@lists.alpinelinux.org-4a6a0840.rsa.pub")]
    elif name == "ca-certificates-bundle":
        files = [("/etc/ssl/certs/ca-certificates.crt", 1.0)]
        links = [("/etc/ssl/cert.pem", "certs/ca-certificates.crt")]
    elif name in ("libcrypto1.1", "libcrypto3"):
        so = "1.1" if name.endswith("1.1") else "3"
        files = [(f"/lib/libcrypto.so.{so}", 0.95), (f"/usr/lib/engines-{so}/afalg.so", 0.02),
                 (f"/usr/lib/engines-{so}/padlock.so", 0.01)]
        links = [(f"/usr/lib/libcrypto.so.{so}", f"../../lib/libcrypto.so.{so}")]
    elif name in ("libssl1.1", "libssl3"):
        so = "1.1" if name.endswith("1.1") else "3"
        files = [(f"/lib/libssl.so.{so}", 1.0)]
        links = [(f"/usr/lib/libssl.so.{so}", f"../../lib/libssl.so.{so}")]
    elif name == "libtls-standalone":
        files = [("/usr/lib/libtls-standalone.so.1.0.0", 1.0)]
        links = [("/usr/lib/libtls-standalone.so.1", "libtls-standalone.so.1.0.0")]
    elif name == "zlib":
        files = [(f"/lib/libz.so.{v}", 1.0)]
        links = [("/lib/libz.so.1", f"libz.so.{v}")]
    elif name == "scanelf":
        files = [("/usr/bin/scanelf", 1.0)]
    elif name == "ssl_client":
        files = [("/usr/bin/ssl_client", 1.0)]
    elif name == "libgcc":
        files = [("/usr/lib/libgcc_s.so.1", 1.0)]
    elif name == "libstdc++":
        files = [("/usr/lib/libstdc++.so.6.0.28", 1.0)]
        links = [("/usr/lib/libstdc++.so.6", "libstdc++.so.6.0.28")]
    elif name in ("alpine-baselayout", "alpine-baselayout-data"):
        files = [("/etc/profile", 0.003), ("/etc/inittab", 0.002), ("/etc/fstab", 0.0003),
                 ("/etc/modprobe.d/blacklist.conf", 0.003), ("/etc/sysctl.conf", 0.0001),
                 ("/lib/sysctl.d/00-alpine.conf", 0.002), ("/etc/services", 0.035),
                 ("/etc/protocols", 0.005), ("/etc/profile.d/color_prompt.sh.disabled", 0.001),
                 ("/etc/profile.d/locale.sh", 0.0001)]
        if name == "alpine-baselayout-data":
            files = [f for f in files if f[0] in ("/etc/services", "/etc/protocols",
                                                    "/etc/profile", "/etc/inittab", "/etc/fstab")]
    elif name in ("libc-utils", "busybox-binsh", "alpine-release"):
        files = []
    elif name == "tzdata":
        files = [("/usr/share/zoneinfo/Europe/Berlin", 0.01), ("/usr/share/zoneinfo/America/New_York", 0.01),
                 ("/usr/share/zoneinfo/Asia/Shanghai", 0.005), ("/usr/share/zoneinfo/UTC", 0.001),
                 ("/usr/share/zoneinfo/zone1970.tab", 0.01), ("/usr/share/zoneinfo/tzdata.zi", 0.4),
                 ("/usr/share/zoneinfo/leap-seconds.list", 0.005)]
    elif name in ALPINE_LIBS:
        files = [(f"/usr/lib/{ALPINE_LIBS[name]}", 1.0)]
    elif name.startswith("nginx-module-"):
        mod = name[len("nginx-module-"):].replace("-", "_")
        files = [(f"/usr/lib/nginx/modules/ngx_http_{mod}_module.so", 1.0)]
    elif name == "ca-certificates":
        files = [("/usr/sbin/update-ca-certificates", 0.05),
                 ("/usr/share/ca-certificates/mozilla/ISRG_Root_X1.crt", 0.01),
                 ("/usr/share/ca-certificates/mozilla/_root_certificates_stand_in", 0.9)]
    elif name == "ncurses-terminfo-base":
        files = [("/etc/terminfo/x/xterm", 0.1), ("/etc/terminfo/x/xterm-256color", 0.1),
                 ("/etc/terminfo/l/linux", 0.05), ("/etc/terminfo/v/vt100", 0.03)]
    elif name == "nginx":
        files = [("/usr/sbin/nginx", 0.8), ("/etc/nginx/mime.types", 0.01)]
    elif name.startswith("lib") or name.endswith("-libs"):
        stem = name[:-5] if name.endswith("-libs") else name
        stem = stem if stem.startswith("lib") else "lib" + stem
        files = [(f"/usr/lib/{stem}.so", 1.0)]
    else:
        files = [(f"/usr/bin/{name}", 1.0)]
    return files, links


ALPINE_LIBS = {
    "libbz2": "libbz2.so.1.0.8", "libcurl": "libcurl.so.4.7.0", "libedit": "libedit.so.0.0.63",
    "libgcrypt": "libgcrypt.so.20.2.6", "libgd": "libgd.so.3.0.10", "libgpg-error": "libgpg-error.so.0.31.0",
    "libintl": "libintl.so.8.2.0", "libjpeg-turbo": "libjpeg.so.8.2.2", "libpng": "libpng16.so.16.37.0",
    "libwebp": "libwebp.so.7.1.0", "libxml2": "libxml2.so.2.9.10", "libxslt": "libxslt.so.1.1.34",
    "brotli-libs": "libbrotlicommon.so.1.0.9", "nghttp2-libs": "libnghttp2.so.14.20.0",
    "ncurses-libs": "libncursesw.so.6.2", "xz-libs": "liblzma.so.5.2.5", "freetype": "libfreetype.so.6.17.4",
    "geoip": "libGeoIP.so.1.6.12", "pcre": "libpcre.so.1.2.12",
}


def add_alpine_packages(t, pkgs, db_files, include_busybox_links=True):
    for p in pkgs:
        files, links = alpine_pkg_files(p["name"], p["version"])
        for path, share in files:
            t.w(path, p["installed_size_bytes"] * share + 64,
                mode=0o755 if "/bin/" in path or path.startswith("/sbin") or ".so" in path else 0o644)
            db_files.setdefault(p["name"], []).append(path)
        for path, target in links:
            t.l(path, target)
            db_files.setdefault(p["name"], []).append(path)


def alpine_rootfs(version, pkgs, mtime):
    t = Tree(mtime)
    era = alpine_era(version)
    new = era >= (3, 17)
    for d in ["/bin", "/dev", "/etc", "/etc/apk", "/etc/apk/keys", "/etc/apk/protected_paths.d",
              "/etc/conf.d", "/etc/crontabs", "/etc/init.d", "/etc/modprobe.d", "/etc/modules-load.d",
              "/etc/network", "/etc/opt", "/etc/periodic", "/etc/profile.d", "/etc/ssl",
              "/etc/ssl/certs", "/etc/sysctl.d", "/home", "/lib", "/lib/apk", "/lib/apk/db",
              "/lib/firmware", "/lib/modules-load.d", "/lib/sysctl.d", "/media", "/media/cdrom",
              "/media/floppy", "/media/usb", "/mnt", "/opt", "/proc", "/run", "/sbin", "/srv",
              "/sys", "/usr", "/usr/bin", "/usr/lib", "/usr/local", "/usr/local/bin",
              "/usr/local/lib", "/usr/local/share", "/usr/sbin", "/usr/share", "/usr/share/apk",
              "/usr/share/man", "/usr/share/misc", "/var", "/var/cache", "/var/cache/apk",
              "/var/empty", "/var/lib", "/var/lib/misc", "/var/local", "/var/log", "/var/mail",
              "/var/opt", "/var/spool", "/var/spool/cron"]:
        t.d(d)
    t.d("/root", 0o700)
    t.d("/tmp", 0o1777)
    t.d("/var/tmp", 0o1777)
    t.l("/var/run", "../run")
    t.l("/var/spool/cron/crontabs", "../../../etc/crontabs")
    t.t("/etc/os-release", alpine_os_release(version))
    t.t("/etc/alpine-release", version + "\n")
    branch = ".".join(version.split(".")[:2])
    t.t("/etc/issue", f"Welcome to Alpine Linux {branch}\nKernel \\r on an \\m (\\l)\n\n")
    passwd = ALPINE_PASSWD_NEW if new else ALPINE_PASSWD_OLD
    t.t("/etc/passwd", passwd)
    t.t("/etc/group", ALPINE_GROUP_NEW if new else ALPINE_GROUP_OLD)
    t.t("/etc/shadow", alpine_shadow(passwd), mode=0o640, gid=42)
    t.t("/etc/shells", "# valid login shells\n/bin/sh\n/bin/ash\n")
    t.t("/etc/hostname", "localhost\n")
    t.f("/etc/apk/repositories", 103, mode=0o644)
    t.f("/etc/apk/arch", 7, mode=0o644)
    names = {p["name"] for p in pkgs}
    t.t("/etc/apk/world", alpine_world(ALPINE_WORLD, names))
    db_files = {}
    add_alpine_packages(t, pkgs, db_files)
    for d, applets in BUSYBOX_APPLETS.items():
        for a in applets.split():
            t.l(f"{d}/{a}", "/bin/busybox")
            db_files.setdefault("busybox", []).append(f"{d}/{a}")
    t.t("/lib/apk/db/installed", apk_db(pkgs, db_files))
    t.w("/lib/apk/db/scripts.tar", 6000, mode=0o644)
    t.t("/lib/apk/db/triggers", "busybox /bin /usr/bin /sbin /usr/sbin\n" if era < (3, 17) else "")
    return t, db_files


def alpine_modified_db(t, all_pkgs, base_db_files, extra_files):
    files = dict(base_db_files)
    for k, v in extra_files.items():
        files.setdefault(k, []).extend(v)
    t.t("/lib/apk/db/installed", apk_db(all_pkgs, files))
    t.w("/lib/apk/db/scripts.tar", 6000, mode=0o644)
    t.d("/lib")
    t.d("/lib/apk")
    t.d("/lib/apk/db")


# --------------------------------------------------------------------------------------
# Debian / Ubuntu
# --------------------------------------------------------------------------------------

# Files of the base set that are not commands or libraries (those come from
# data/debian-bookworm-files.json, see gen_debian_files.py).
DEB_KNOWN = {
    "bash": ["/etc/bash.bashrc", "/etc/skel/.bashrc"],
    "libc6": ["/usr/lib/x86_64-linux-gnu/gconv/gconv-modules.cache"],
    "perl-base": ["/usr/lib/x86_64-linux-gnu/perl-base/Config_heavy.pl",
                  "/usr/lib/x86_64-linux-gnu/perl-base/unicore/Name.pl",
                  "/usr/lib/x86_64-linux-gnu/perl-base/unicore/UCD.pl",
                  "/usr/lib/x86_64-linux-gnu/perl-base/POSIX.pm"],
    "ncurses-base": ["/usr/share/terminfo/x/xterm", "/usr/share/terminfo/l/linux",
                     "/usr/share/terminfo/d/dumb", "/usr/share/terminfo/v/vt100"],
    "debconf": ["/usr/share/perl5/Debconf/Config.pm", "/usr/share/perl5/Debconf/Template.pm"],
    "debian-archive-keyring": ["/usr/share/keyrings/debian-archive-keyring.gpg"],
    "tzdata": ["/usr/share/zoneinfo/Europe/Berlin", "/usr/share/zoneinfo/America/New_York",
               "/usr/share/zoneinfo/Asia/Shanghai", "/usr/share/zoneinfo/Etc/UTC",
               "/usr/share/zoneinfo/tzdata.zi"],
    "base-files": ["/etc/issue", "/usr/share/common-licenses/GPL-3"],
    "apt": ["/usr/lib/apt/apt-helper"],
    "libpam-modules": ["/usr/lib/x86_64-linux-gnu/security/pam_unix.so",
                       "/usr/lib/x86_64-linux-gnu/security/pam_env.so",
                       "/usr/lib/x86_64-linux-gnu/security/pam_limits.so"],
}

DEB_FILES = json.load(open(os.path.join(ROOT, "scripts", "data", "debian-bookworm-files.json")))

# Debian 10 (buster) predates the `which` alternative: debianutils had /bin/which itself.
BUSTER_RENAMES = {"/usr/bin/which.debianutils": "/bin/which"}


def deb_files(name):
    """[(path, kind, value)] of a base-set package: kind "w" (value = weight: the file's real
    size on Debian 12) or "l" (value = symlink target). Paths are the package's own (/bin,
    /lib … as shipped); usr_merge() maps them for usr-merged images."""
    out = [(p, k, v) for p, k, v in DEB_FILES["packages"].get(name, [])]
    known = DEB_KNOWN.get(name, [])
    if known:
        each = max(1, sum(v for _p, k, v in out if k == "f") // max(1, len(out) or 1))
        out += [(p, "f", each) for p in known]
    return [(p, "w" if k == "f" else "l", v) for p, k, v in out]


def usr_merge(path):
    """Where a package path lands on a usr-merged system (/bin → /usr/bin …)."""
    for pre in ("/bin/", "/sbin/", "/lib/", "/lib64/"):
        if path.startswith(pre):
            return "/usr" + path
    return path


def dpkg_status(pkgs, with_versions):
    out = []
    for name in sorted(pkgs):
        p = pkgs[name]
        out.append(f"Package: {name}\nStatus: install ok installed\n")
        if p.get("essential"):
            out.append("Essential: yes\n")
        out.append(f"Priority: {p.get('priority') or 'optional'}\nSection: {p.get('section') or 'misc'}\n")
        out.append(f"Installed-Size: {p['installed_size_kib']}\nArchitecture: amd64\n")
        if with_versions:
            out.append(f"Version: {p['version']}\n")
        out.append("\n")
    return "".join(out)


def debian_rootfs(kind, mtime, minbase, slim):
    """kind: (distro, codename, number, point) e.g. ('debian','bookworm','12', '12.9')."""
    distro, codename, num, point = kind
    merged = not (distro == "debian" and codename == "buster")
    t = Tree(mtime)
    for d in ["/boot", "/dev", "/etc", "/etc/apt", "/etc/apt/apt.conf.d", "/etc/apt/sources.list.d",
              "/etc/dpkg", "/etc/skel", "/home", "/media", "/mnt", "/opt", "/proc", "/run",
              "/run/lock", "/srv", "/sys", "/usr", "/usr/bin", "/usr/games", "/usr/include",
              "/usr/lib", "/usr/lib/x86_64-linux-gnu", "/usr/libexec", "/usr/local", "/usr/local/bin",
              "/usr/local/etc", "/usr/local/games", "/usr/local/include", "/usr/local/lib",
              "/usr/local/sbin", "/usr/local/share", "/usr/local/src", "/usr/sbin", "/usr/share",
              "/usr/src", "/var", "/var/backups", "/var/cache", "/var/cache/apt", "/var/cache/debconf",
              "/var/lib", "/var/lib/apt", "/var/lib/apt/lists", "/var/lib/dpkg", "/var/lib/dpkg/info",
              "/var/lib/misc", "/var/local", "/var/log", "/var/mail", "/var/opt", "/var/spool"]:
        t.d(d)
    t.d("/root", 0o700)
    t.d("/tmp", 0o1777)
    t.d("/var/tmp", 0o1777)
    t.l("/var/run", "/run")
    t.l("/var/lock", "/run/lock")
    t.l("/usr/local/man", "share/man")
    if merged:
        t.l("/bin", "usr/bin")
        t.l("/sbin", "usr/sbin")
        t.l("/lib", "usr/lib")
        t.l("/lib64", "usr/lib64")
        t.d("/usr/lib64")
        t.l("/usr/lib64/ld-linux-x86-64.so.2", "/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2")
        t.l("/usr/bin/sh", "dash")
    else:
        for d in ["/bin", "/sbin", "/lib", "/lib/x86_64-linux-gnu", "/lib64"]:
            t.d(d)
        t.l("/lib64/ld-linux-x86-64.so.2", "/lib/x86_64-linux-gnu/ld-2.28.so")
        t.l("/bin/sh", "dash")
    if distro == "debian":
        osr = debian_os_release(num, codename)
        t.t("/usr/lib/os-release", osr)
        t.l("/etc/os-release", "../usr/lib/os-release")
        if point:
            t.t("/etc/debian_version", point + "\n")
        passwd = DEBIAN_PASSWD_NEW if codename in ("bookworm", "trixie") else DEBIAN_PASSWD_OLD
        group = debian_group(codename in ("bookworm", "trixie"))
    else:
        animal = {"jammy": "Jammy Jellyfish", "focal": "Focal Fossa"}[codename]
        t.t("/usr/lib/os-release", ubuntu_os_release(point, codename, animal))
        t.l("/etc/os-release", "../usr/lib/os-release")
        short = ".".join(point.split(".")[:2])
        t.t("/etc/lsb-release", f"DISTRIB_ID=Ubuntu\nDISTRIB_RELEASE={short}\nDISTRIB_CODENAME={codename}\n"
                                f'DISTRIB_DESCRIPTION="Ubuntu {point} LTS"\n')
        passwd = DEBIAN_PASSWD_OLD
        group = debian_group(False)
    days = mtime // 86400
    t.t("/etc/passwd", passwd)
    t.t("/etc/group", group)
    t.t("/etc/shadow", shadow_for(passwd, days), mode=0o640, gid=42)
    t.t("/etc/shells", "# /etc/shells: valid login shells\n/bin/sh\n/usr/bin/sh\n/bin/bash\n/usr/bin/bash\n/bin/rbash\n/usr/bin/rbash\n/bin/dash\n/usr/bin/dash\n")
    t.t("/etc/hostname", "\n" if distro == "debian" else "localhost\n")
    t.w("/var/cache/debconf/templates.dat", 600_000, mode=0o644)
    t.w("/var/cache/debconf/config.dat", 30_000, mode=0o644)
    t.w("/var/log/dpkg.log", 40_000, mode=0o644)
    t.w("/var/log/apt/eipp.log.xz", 20_000, mode=0o600)
    t.w("/etc/ld.so.cache", 20_000, mode=0o644)
    with_versions = distro == "debian" and codename == "bookworm"
    t.t("/var/lib/dpkg/status", dpkg_status(minbase, with_versions))
    for name in sorted(minbase):
        kib = minbase[name]["installed_size_kib"]
        files = deb_files(name)
        real = sum(v for _p, k, v in files if k == "w") or 1
        for p, kind, v in files:
            if merged:
                p = usr_merge(p)
            elif codename == "buster":
                p = BUSTER_RENAMES.get(p, p)
            if kind == "l":
                t.l(p, v)
            else:
                t.w(p, kib * 1024 * 0.9 * v / real,
                    mode=0o755 if "/bin/" in p or "/sbin/" in p or ".so" in p else 0o644)
        t.w(f"/usr/share/doc/{name}/copyright", 1500 + kib * 2, mode=0o644)
        if not slim:
            t.w(f"/usr/share/man/man1/{name}.1.gz", 2000 + kib * 8, mode=0o644)
            t.w(f"/usr/share/doc/{name}/changelog.Debian.gz", 3000 + kib * 10, mode=0o644)
    for link, target in DEB_FILES["alternatives"]:
        if codename == "buster" and target == "which.debianutils":
            continue
        d = link.rsplit("/", 1)[0]
        name = link.rsplit("/", 1)[1]
        real = {"more": "/bin/more"}.get(target, f"{d}/{target}")
        t.l(f"/etc/alternatives/{name}", usr_merge(real) if merged else real)
        t.l(link, f"/etc/alternatives/{name}")
    if not slim:
        t.w("/usr/share/locale/de/LC_MESSAGES/coreutils.mo", 500_000, mode=0o644)
        t.w("/usr/share/locale/fr/LC_MESSAGES/coreutils.mo", 500_000, mode=0o644)
        t.w("/usr/share/locale/zh_CN/LC_MESSAGES/coreutils.mo", 450_000, mode=0o644)
        t.w("/usr/share/info/coreutils.info.gz", 400_000, mode=0o644)
    return t


# --------------------------------------------------------------------------------------
# Payload layers (what each image's own steps add)
# --------------------------------------------------------------------------------------

def user_files(t, base_passwd, base_group, base_shadow_fn, user_line, group_line, days,
               group_text=None):
    passwd = base_passwd + user_line
    t.t("/etc/passwd", passwd)
    t.t("/etc/group", group_text if group_text is not None else base_group + group_line)
    t.t("/etc/shadow", base_shadow_fn(passwd, days), mode=0o640, gid=42)
    return passwd


def alpine_user_shadow(passwd, days):
    out = []
    for line in passwd.splitlines():
        name, _x, uid = line.split(":")[:3]
        if name == "root":
            out.append("root:*::0:::::")
        elif int(uid) >= 100:
            out.append(f"{name}:!:{days}:0:99999:7:::")
        else:
            out.append(f"{name}:!::0:::::")
    return "\n".join(out) + "\n"


def debian_user_shadow(passwd, days):
    return shadow_for(passwd, days)


def node_layer(t, node_version, yarn_dir, era_new):
    t.d("/usr")
    t.d("/usr/local")
    t.d("/usr/local/bin")
    node_bytes = 73_000_000 if node_version.startswith("14") else 96_000_000
    t.w("/usr/local/bin/node", node_bytes)
    t.l("/usr/local/bin/npm", "../lib/node_modules/npm/bin/npm-cli.js")
    t.l("/usr/local/bin/npx", "../lib/node_modules/npm/bin/npx-cli.js")
    t.l("/usr/local/bin/nodejs", "/usr/local/bin/node")
    npm = "/usr/local/lib/node_modules/npm"
    for p, w in [("package.json", 6_000), ("bin/npm-cli.js", 60), ("bin/npx-cli.js", 3_000),
                 ("lib/npm.js", 12_000), ("lib/cli.js", 3_000), ("docs/content/commands/npm-install.md", 14_000),
                 ("node_modules/node-gyp/gyp/pylib/gyp/generator/make.py", 95_000),
                 ("node_modules/node-gyp/lib/node-gyp.js", 5_000),
                 ("node_modules/@npmcli/arborist/lib/arborist/reify.js", 45_000),
                 ("node_modules/tar/lib/unpack.js", 25_000), ("node_modules/semver/index.js", 2_000),
                 ("node_modules/.package-lock.json", 120_000), ("man/man1/npm.1", 6_000)]:
        t.w(f"{npm}/{p}", w, mode=0o755 if p.startswith("bin/") else 0o644)
    t.w(f"{npm}/node_modules/_bulk_of_npm_dependencies_.tgz_stand_in", 14_000_000, mode=0o644)
    if not node_version.startswith("14"):
        t.l("/usr/local/bin/corepack", "../lib/node_modules/corepack/dist/corepack.js")
        t.w("/usr/local/lib/node_modules/corepack/dist/corepack.js", 60)
        t.w("/usr/local/lib/node_modules/corepack/dist/lib/corepack.cjs", 2_500_000, mode=0o644)
        t.w("/usr/local/lib/node_modules/corepack/package.json", 3_000, mode=0o644)
    inc = "/usr/local/include/node"
    for p, w in [("node.h", 60_000), ("v8.h", 12_000), ("uv.h", 70_000), ("node_api.h", 10_000),
                 ("openssl/ssl.h", 110_000), ("v8-internal.h", 30_000),
                 ("openssl/archs/linux-x86_64/asm/include/openssl/opensslconf.h", 5_000),
                 ("openssl/_bulk_of_openssl_headers_stand_in", 3_800_000),
                 ("_bulk_of_v8_headers_stand_in", 1_200_000)]:
        t.w(f"{inc}/{p}", w, mode=0o644)
    t.w("/usr/local/share/doc/node/gdbinit", 6_000, mode=0o644)
    t.w("/usr/local/share/doc/node/lldb_commands.py", 3_000, mode=0o644)
    t.w("/usr/local/share/man/man1/node.1", 16_000, mode=0o644)
    if node_version.startswith("14"):
        t.w("/usr/local/share/systemtap/tapset/node.stp", 9_000, mode=0o644)


def yarn_layer(t, yarn_version):
    base = f"/opt/yarn-v{yarn_version}"
    t.d("/opt")
    for p, w, m in [("bin/yarn", 1_000, 0o755), ("bin/yarn.js", 1_000, 0o755),
                    ("bin/yarnpkg", 42, 0o755), ("bin/yarn.cmd", 40, 0o755),
                    ("lib/cli.js", 5_200_000, 0o644), ("lib/v8-compile-cache.js", 10_000, 0o644),
                    ("package.json", 800, 0o644), ("LICENSE", 1_300, 0o644),
                    ("README.md", 2_700, 0o644)]:
        t.w(f"{base}/{p}", w, mode=m)
    t.d("/usr")
    t.d("/usr/local")
    t.d("/usr/local/bin")
    t.l("/usr/local/bin/yarn", f"{base}/bin/yarn")
    t.l("/usr/local/bin/yarnpkg", f"{base}/bin/yarnpkg")


def debian_apt_layer(t, files, status_weight=30_000, links=()):
    """A RUN apt-get install layer: the installed files (and symlinks) plus the files
    apt/dpkg rewrite."""
    for p, target in links:
        t.l(p, target)
    for p, w in files:
        t.w(p, w, mode=0o755 if "/bin/" in p or "/sbin/" in p or ".so" in p or "/libexec/" in p or "/gcc/" in p else 0o644)
    t.w("/var/lib/dpkg/status", status_weight, mode=0o644)
    t.w("/var/lib/dpkg/status-old", status_weight, mode=0o644)
    t.w("/var/cache/debconf/templates.dat", 600_000, mode=0o644)
    t.w("/var/cache/debconf/templates.dat-old", 600_000, mode=0o644)
    t.w("/var/log/dpkg.log", 20_000, mode=0o644)
    t.w("/var/log/apt/history.log", 2_000, mode=0o644)
    t.w("/var/log/apt/term.log", 10_000, mode=0o640)
    t.w("/etc/ld.so.cache", 20_000, mode=0o644)
    t.d("/var/lib/apt/lists")


CURL_FILES = [("/usr/bin/curl", 260_000), ("/usr/bin/wget", 500_000),
              ("/usr/lib/x86_64-linux-gnu/libcurl.so.4.7.0", 650_000),
              ("/usr/lib/x86_64-linux-gnu/libnghttp2.so.14.20.0", 180_000),
              ("/usr/lib/x86_64-linux-gnu/libssh2.so.1.0.1", 280_000),
              ("/usr/lib/x86_64-linux-gnu/libldap-2.4.so.2.11.5", 320_000),
              ("/usr/lib/x86_64-linux-gnu/libkrb5.so.3.3", 900_000),
              ("/usr/lib/x86_64-linux-gnu/libgssapi_krb5.so.2.2", 320_000),
              ("/usr/lib/x86_64-linux-gnu/libpsl.so.5.3.2", 70_000),
              ("/usr/share/ca-certificates/mozilla/ISRG_Root_X1.crt", 1_900),
              ("/usr/share/ca-certificates/mozilla/_other_root_certificates_stand_in", 220_000),
              ("/etc/ssl/certs/ca-certificates.crt", 200_000), ("/usr/sbin/update-ca-certificates", 6_000),
              ("/etc/services", 12_800), ("/etc/protocols", 2_900),
              ("/usr/lib/x86_64-linux-gnu/libssl.so.1.1", 600_000),
              ("/usr/lib/x86_64-linux-gnu/libcrypto.so.1.1", 3_000_000),
              ("/usr/share/doc/curl/copyright", 6_000)]
GPG_FILES = [("/usr/bin/gpg", 1_100_000), ("/usr/bin/dirmngr", 450_000), ("/usr/bin/gpg-agent", 340_000),
             ("/usr/bin/gpgconf", 120_000), ("/usr/bin/gpgsm", 500_000),
             ("/usr/lib/x86_64-linux-gnu/libassuan.so.0.8.5", 80_000),
             ("/usr/lib/x86_64-linux-gnu/libksba.so.8.14.0", 200_000),
             ("/usr/lib/x86_64-linux-gnu/libnpth.so.0.1.2", 30_000),
             ("/usr/lib/x86_64-linux-gnu/libsqlite3.so.0.8.6", 1_300_000),
             ("/usr/share/gnupg/distsigkey.gpg", 3_000), ("/usr/share/doc/gnupg/copyright", 9_000)]
SCM_FILES = [("/usr/bin/git", 3_500_000), ("/usr/lib/git-core/git-remote-http", 1_600_000),
             ("/usr/lib/git-core/git-http-fetch", 1_600_000), ("/usr/lib/git-core/git-daemon", 1_500_000),
             ("/usr/lib/git-core/_other_git_commands_stand_in", 12_000_000),
             ("/usr/share/git-core/templates/hooks/pre-commit.sample", 1_600),
             ("/usr/bin/hg", 2_000), ("/usr/lib/python3/dist-packages/mercurial/localrepo.py", 140_000),
             ("/usr/lib/python3/dist-packages/mercurial/_other_modules_stand_in", 9_000_000),
             ("/usr/bin/python3.11", 6_800_000), ("/usr/lib/python3.11/_stdlib_stand_in", 18_000_000),
             ("/usr/bin/ssh", 900_000), ("/usr/bin/scp", 120_000), ("/usr/bin/ssh-keygen", 480_000),
             ("/usr/bin/svn", 300_000), ("/usr/lib/x86_64-linux-gnu/libsvn_client-1.so.1.0.0", 1_400_000),
             ("/usr/lib/x86_64-linux-gnu/libsvn_subr-1.so.1.0.0", 1_800_000),
             ("/usr/lib/x86_64-linux-gnu/libapr-1.so.0.7.2", 240_000),
             ("/usr/bin/ps", 140_000), ("/usr/bin/top", 140_000), ("/usr/bin/free", 30_000),
             ("/usr/bin/perl5.36.0", 3_800_000), ("/usr/share/perl/5.36.0/_modules_stand_in", 17_000_000)]
GCC_FILES = [("/usr/lib/gcc/x86_64-linux-gnu/12/cc1", 33_000_000),
             ("/usr/lib/gcc/x86_64-linux-gnu/12/cc1plus", 36_000_000),
             ("/usr/lib/gcc/x86_64-linux-gnu/12/lto1", 31_000_000),
             ("/usr/lib/gcc/x86_64-linux-gnu/12/collect2", 400_000),
             ("/usr/lib/gcc/x86_64-linux-gnu/12/libstdc++.a", 6_500_000),
             ("/usr/bin/x86_64-linux-gnu-gcc-12", 1_000_000), ("/usr/bin/x86_64-linux-gnu-g++-12", 1_000_000),
             ("/usr/bin/x86_64-linux-gnu-ld.bfd", 2_000_000), ("/usr/bin/x86_64-linux-gnu-as", 1_200_000),
             ("/usr/lib/x86_64-linux-gnu/libbfd-2.40-system.so", 2_300_000),
             ("/usr/lib/x86_64-linux-gnu/libc.a", 6_000_000), ("/usr/lib/x86_64-linux-gnu/libc_nonshared.a", 60_000),
             ("/usr/include/stdio.h", 31_000), ("/usr/include/stdlib.h", 36_000),
             ("/usr/include/_other_headers_stand_in", 14_000_000),
             ("/usr/include/c++/12/_libstdcxx_headers_stand_in", 12_000_000),
             ("/usr/bin/make", 260_000), ("/usr/bin/pkgconf", 40_000),
             ("/usr/lib/x86_64-linux-gnu/libisl.so.23.2.0", 3_000_000),
             ("/usr/lib/x86_64-linux-gnu/libmpfr.so.6.2.0", 800_000)]


# Commands of the buildpack-deps:*-curl and *-scm layers and of gcc/g++/make/pkg-config
# that packages ship as symlinks or that update-alternatives creates.
SCM_EXTRA = [("/usr/bin/pgrep", 30_000), ("/usr/bin/pkill", 30_000), ("/usr/bin/kill", 30_000),
             ("/usr/bin/watch", 30_000), ("/usr/bin/pmap", 30_000), ("/usr/bin/uptime", 15_000),
             ("/usr/bin/vmstat", 40_000), ("/usr/bin/w", 25_000), ("/usr/bin/sftp", 140_000),
             ("/usr/bin/ssh-add", 140_000), ("/usr/bin/ssh-agent", 300_000),
             ("/usr/bin/ssh-keyscan", 450_000), ("/usr/bin/git-shell", 1_500_000),
             ("/usr/bin/svnadmin", 100_000), ("/usr/bin/svnversion", 40_000)]
SCM_LINKS_BOOKWORM = [("/usr/bin/python3", "python3.11"), ("/usr/bin/slogin", "ssh"),
                      ("/usr/bin/git-receive-pack", "git"), ("/usr/bin/git-upload-pack", "git"),
                      ("/usr/bin/git-upload-archive", "git")]


def gcc_links(v):
    """gcc-V/g++-V/cpp-V/binutils symlinks and the cc/c++ alternatives of GCC `v`."""
    t = "x86_64-linux-gnu"
    links = [(f"/usr/bin/gcc-{v}", f"{t}-gcc-{v}"), (f"/usr/bin/g++-{v}", f"{t}-g++-{v}"),
             (f"/usr/bin/cpp-{v}", f"{t}-cpp-{v}"), ("/usr/bin/gcc", f"gcc-{v}"),
             ("/usr/bin/g++", f"g++-{v}"), ("/usr/bin/cpp", f"cpp-{v}"),
             (f"/usr/bin/{t}-gcc", f"gcc-{v}"), (f"/usr/bin/{t}-g++", f"g++-{v}"),
             ("/usr/bin/ld", f"{t}-ld"), (f"/usr/bin/{t}-ld", f"{t}-ld.bfd"),
             ("/usr/bin/ld.bfd", f"{t}-ld.bfd"), ("/usr/bin/as", f"{t}-as"),
             ("/usr/bin/ar", f"{t}-ar"), ("/usr/bin/nm", f"{t}-nm"),
             ("/usr/bin/objdump", f"{t}-objdump"), ("/usr/bin/strip", f"{t}-strip"),
             ("/usr/bin/ranlib", f"{t}-ranlib"),
             ("/etc/alternatives/cc", "/usr/bin/gcc"), ("/usr/bin/cc", "/etc/alternatives/cc"),
             ("/etc/alternatives/c++", "/usr/bin/g++"), ("/usr/bin/c++", "/etc/alternatives/c++"),
             ("/etc/alternatives/cpp", "/usr/bin/cpp")]
    if v == "12":
        links += [("/usr/bin/pkg-config", "pkgconf"), ("/usr/bin/gmake", "make")]
    return links


def gcc_extra(v):
    t = "x86_64-linux-gnu"
    files = [(f"/usr/bin/{t}-cpp-{v}", 1_000_000), (f"/usr/bin/{t}-ar", 60_000),
             (f"/usr/bin/{t}-nm", 50_000), (f"/usr/bin/{t}-objdump", 500_000),
             (f"/usr/bin/{t}-strip", 300_000), (f"/usr/bin/{t}-ranlib", 60_000),
             ("/usr/bin/dpkg-buildpackage", 30_000), ("/usr/bin/dpkg-architecture", 20_000),
             ("/usr/bin/patch", 200_000)]
    if v != "12":
        files.append(("/usr/bin/pkg-config", 60_000))
    return files


def go_tree(t, go_version, prefix="/usr/local/go"):
    t.t(f"{prefix}/VERSION", f"go{go_version}\n")
    for p, w, m in [("bin/go", 14_500_000, 0o755), ("bin/gofmt", 3_400_000, 0o755),
                    ("pkg/tool/linux_amd64/compile", 24_000_000, 0o755),
                    ("pkg/tool/linux_amd64/link", 7_500_000, 0o755),
                    ("pkg/tool/linux_amd64/asm", 5_000_000, 0o755),
                    ("pkg/tool/linux_amd64/cgo", 4_500_000, 0o755),
                    ("pkg/tool/linux_amd64/vet", 9_000_000, 0o755),
                    ("pkg/tool/linux_amd64/cover", 5_000_000, 0o755),
                    ("pkg/tool/linux_amd64/_other_tools_stand_in", 30_000_000, 0o755),
                    ("src/runtime/proc.go", 190_000, 0o644), ("src/fmt/print.go", 32_000, 0o644),
                    ("src/net/http/server.go", 110_000, 0o644),
                    ("src/_rest_of_the_standard_library_stand_in", 95_000_000, 0o644),
                    ("lib/time/zoneinfo.zip", 400_000, 0o644), ("LICENSE", 1_500, 0o644),
                    ("README.md", 1_500, 0o644), ("misc/wasm/wasm_exec.js", 17_000, 0o644),
                    ("test/_tests_stand_in", 25_000_000, 0o644),
                    ("api/go1.txt", 1_900_000, 0o644)]:
        t.w(f"{prefix}/{p}", w, mode=m)
    if go_version.startswith("1.16"):
        t.w(f"{prefix}/pkg/linux_amd64/_precompiled_std_packages_stand_in", 60_000_000, mode=0o644)


def nginx_common(t, debian):
    for p, w in [("/etc/nginx/nginx.conf", 648), ("/etc/nginx/mime.types", 5_300),
                 ("/etc/nginx/conf.d/default.conf", 1_100), ("/etc/nginx/fastcgi_params", 1_000),
                 ("/etc/nginx/scgi_params", 640), ("/etc/nginx/uwsgi_params", 660),
                 ("/usr/share/nginx/html/index.html", 615), ("/usr/share/nginx/html/50x.html", 497)]:
        t.w(p, w, mode=0o644)
    t.w("/usr/sbin/nginx", 1_400_000 if not debian else 1_500_000)
    t.w("/usr/sbin/nginx-debug", 1_500_000)
    for m, w in [("ngx_http_js_module.so", 1_200_000), ("ngx_stream_js_module.so", 1_100_000),
                 ("ngx_http_xslt_filter_module.so", 30_000), ("ngx_http_image_filter_module.so", 30_000),
                 ("ngx_http_geoip_module.so", 30_000)]:
        t.w(f"/usr/lib/nginx/modules/{m}", w)
    t.l("/etc/nginx/modules", "/usr/lib/nginx/modules" if debian else "../../usr/lib/nginx/modules")
    t.d("/var/cache/nginx", 0o755, 101 if not debian else 0, 101 if not debian else 0)
    t.d("/var/log/nginx")
    t.l("/var/log/nginx/access.log", "/dev/stdout")
    t.l("/var/log/nginx/error.log", "/dev/stderr")
    t.d("/docker-entrypoint.d")


def tiny_size(compressed):
    return max(0, (compressed - 90) * 2)


# --------------------------------------------------------------------------------------
# Recipes: one function per image, returning [(blob, class, tree_or_None)] per layer
# --------------------------------------------------------------------------------------

def build_recipes(images, pkgdata):
    by_ref = {im["ref"]: im for im in images}
    minbase = {n: p for n, p in pkgdata["packages"].items() if p.get("in_minbase_estimate")}
    recipes = {}
    base_info = {}

    def mtime_of(im, layer_index):
        layer = im["layers"][layer_index]
        return epoch(im["history"][layer["history_index"]]["created"])

    def alpine_pkgs(ref, drop=()):
        im = by_ref[ref]
        return [p for p in im["packages"]["items"] if p["name"] in ALPINE_BASE_NAMES and p["name"] not in drop]

    def put(blob, cls, tree, note):
        if blob not in recipes:
            recipes[blob] = {"class": cls, "tree": tree, "note": note}

    def alpine_base(im, version, pkgs, note):
        blob = im["layers"][0]["digest"]
        tree, db = alpine_rootfs(version, pkgs, mtime_of(im, 0))
        put(blob, "base", tree, note)
        base_info[blob] = {"passwd": tree.rows["/etc/passwd"][4], "group": tree.rows["/etc/group"][4],
                           "db_files": db, "pkgs": pkgs, "new": alpine_era(version) >= (3, 17)}
        return base_info[blob]

    def debian_base(im, kind, slim, note):
        blob = im["layers"][0]["digest"]
        tree = debian_rootfs(kind, mtime_of(im, 0), minbase, slim)
        put(blob, "base", tree, note)
        base_info[blob] = {"passwd": tree.rows["/etc/passwd"][4], "group": tree.rows["/etc/group"][4]}
        return base_info[blob]

    def tiny_copy(im, i, path, mode=0o755):
        layer = im["layers"][i]
        t = Tree(mtime_of(im, i))
        t.f(path, tiny_size(layer["compressed_size"]), mode=mode)
        put(layer["digest"], "fixed", t, "tiny COPY: size estimated as (compressed - 90) x 2")

    def dirs_only(im, i, dirs, note):
        layer = im["layers"][i]
        t = Tree(mtime_of(im, i))
        for d, mode, uid, gid in dirs:
            t.d(d, mode, uid, gid)
        put(layer["digest"], "fixed", t, note)

    def empty(im, i):
        put(im["layers"][i]["digest"], "empty", None, "32-byte gzip of an empty tar")

    # --- alpine images
    for ref, version in [("alpine:3.13.5", "3.13.5"), ("alpine:3.18.3", "3.18.3"),
                         ("alpine:3.20.8", "3.20.8"), ("alpine:3.24.2", "3.24.2")]:
        alpine_base(by_ref[ref], version, alpine_pkgs(ref),
                    f"Alpine {version} minirootfs; packages and versions from the image's apk list")

    # --- node images
    for ref, version, node_v, yarn_v in [("node:14.16.1-alpine3.13", "3.13.5", "14.16.1", "1.22.5"),
                                         ("node:20.20.1-alpine3.23", "3.23.3", "20.20.1", "1.22.22")]:
        im = by_ref[ref]
        all_pkgs = im["packages"]["items"]
        if ref.startswith("node:14"):
            info = base_info[im["layers"][0]["digest"]]
        else:
            info = alpine_base(im, version, alpine_pkgs(ref),
                               "Alpine 3.23.3 minirootfs; packages from node:20.20.1-alpine3.23's apk list")
        days = mtime_of(im, 1) // 86400
        # RUN addgroup/adduser node + apk add libstdc++ + node binaries
        t = Tree(mtime_of(im, 1))
        user_files(t, info["passwd"], info["group"], alpine_user_shadow,
                   "node:x:1000:1000:Linux User,,,:/home/node:/bin/sh\n", "node:x:1000:node\n", days)
        t.d("/etc")
        t.d("/home")
        t.d("/home/node", 0o2755, 1000, 1000)
        extra = [p for p in all_pkgs if p["name"] in ("libstdc++", "libgcc")]
        extra_files = {}
        add_alpine_packages(t, extra, extra_files)
        alpine_modified_db(t, all_pkgs, info["db_files"], extra_files)
        t.d("/etc/apk")
        names = {p["name"] for p in all_pkgs}
        t.t("/etc/apk/world", alpine_world(sorted(set(ALPINE_WORLD + ["libstdc++"])), names))
        node_layer(t, node_v, None, info["new"])
        put(im["layers"][1]["digest"], "payload", t,
            "RUN: user node, apk add libstdc++, node binaries (npm, headers); passwd/group/shadow and the apk db are stored whole again")
        # RUN yarn
        t = Tree(mtime_of(im, 2))
        yarn_layer(t, yarn_v)
        alpine_modified_db(t, all_pkgs, info["db_files"], extra_files)
        t.d("/etc/apk")
        t.t("/etc/apk/world", alpine_world(sorted(set(ALPINE_WORLD + ["libstdc++"])), names))
        if node_v.startswith("14"):
            t.d("/root", 0o700)
            t.d("/root/.gnupg", 0o700)
            t.w("/root/.gnupg/pubring.kbx", 3_000, mode=0o644)
            t.f("/root/.gnupg/trustdb.gpg", 1_200, mode=0o600)
        put(im["layers"][2]["digest"], "payload", t,
            "RUN: yarn under /opt with links in /usr/local/bin; apk add/del rewrites the apk db")
        tiny_copy(im, 3, "/usr/local/bin/docker-entrypoint.sh")

    # --- nginx:1.19.9-alpine
    im = by_ref["nginx:1.19.9-alpine"]
    pk = im["packages"]["items"]
    base_pk = [p for p in pk if p["name"] in ALPINE_BASE_NAMES]
    info = alpine_base(im, "3.13.4", base_pk,
                       "Alpine 3.13.4 minirootfs; base packages from the nginx image's apk list (rebuild two days later)")
    t = Tree(mtime_of(im, 1))
    days = mtime_of(im, 1) // 86400
    user_files(t, info["passwd"], info["group"], alpine_user_shadow,
               "nginx:x:101:101:nginx:/var/cache/nginx:/sbin/nologin\n", "nginx:x:101:nginx\n", days)
    t.d("/etc")
    extra = [p for p in pk if p["name"] not in ALPINE_BASE_NAMES]
    extra_files = {}
    add_alpine_packages(t, extra, extra_files)
    alpine_modified_db(t, pk, info["db_files"], extra_files)
    nginx_common(t, debian=False)
    put(im["layers"][1]["digest"], "payload", t,
        "RUN: user nginx, apk add nginx + modules and their libraries")
    tiny_copy(im, 2, "/docker-entrypoint.sh")
    tiny_copy(im, 3, "/docker-entrypoint.d/10-listen-on-ipv6-by-default.sh")
    tiny_copy(im, 4, "/docker-entrypoint.d/20-envsubst-on-templates.sh")
    tiny_copy(im, 5, "/docker-entrypoint.d/30-tune-worker-processes.sh")

    # --- redis:8.10.2-alpine (base 3.23.6: package versions borrowed from the 3.23.3 list)
    im = by_ref["redis:8.10.2-alpine"]
    info = alpine_base(im, "3.23.6", alpine_pkgs("node:20.20.1-alpine3.23"),
                       "Alpine 3.23.6 minirootfs; package versions borrowed from alpine 3.23.3 (node:20 image)")
    t = Tree(mtime_of(im, 1))
    days = mtime_of(im, 1) // 86400
    user_files(t, info["passwd"], info["group"], alpine_user_shadow,
               "redis:x:999:1000:Linux User,,,:/home/redis:/sbin/nologin\n", "redis:x:1000:redis\n", days)
    t.d("/etc")
    t.d("/home")
    t.d("/home/redis", 0o2755, 999, 1000)
    put(im["layers"][1]["digest"], "fixed", t, "RUN addgroup/adduser: passwd, group, shadow stored whole")
    t = Tree(mtime_of(im, 2))
    for p, w in [("/usr/share/zoneinfo/tzdata.zi", 110_000), ("/usr/share/zoneinfo/Europe/Berlin", 2_300),
                 ("/usr/share/zoneinfo/UTC", 114), ("/usr/share/zoneinfo/zone1970.tab", 17_000),
                 ("/usr/share/zoneinfo/_other_zones_stand_in", 380_000), ("/usr/bin/setpriv", 50_000),
                 ("/usr/lib/libcap-ng.so.0.0.0", 30_000)]:
        t.w(p, w, mode=0o755 if "/bin/" in p or ".so" in p else 0o644)
    alpine_modified_db(t, info["pkgs"], info["db_files"], {})
    put(im["layers"][2]["digest"], "payload", t, "RUN apk add tzdata setpriv")
    t = Tree(mtime_of(im, 3))
    for p, w in [("/usr/local/bin/redis-server", 14_000_000), ("/usr/local/bin/redis-cli", 9_000_000),
                 ("/usr/local/bin/redis-benchmark", 9_000_000),
                 ("/usr/local/lib/redis/modules/redisearch.so", 40_000_000),
                 ("/usr/local/lib/redis/modules/rejson.so", 9_000_000),
                 ("/usr/local/lib/redis/modules/redisbloom.so", 4_000_000),
                 ("/usr/local/lib/redis/modules/redistimeseries.so", 6_000_000),
                 ("/usr/lib/libssl.so.3", 700_000), ("/usr/lib/libgcc_s.so.1", 150_000),
                 ("/usr/lib/libstdc++.so.6.0.33", 2_700_000)]:
        t.w(p, w)
    for n in ("redis-check-aof", "redis-check-rdb", "redis-sentinel"):
        t.l(f"/usr/local/bin/{n}", "redis-server")
    t.d("/usr/local/bin")
    alpine_modified_db(t, info["pkgs"], info["db_files"], {})
    put(im["layers"][3]["digest"], "payload", t, "RUN: build redis and its modules, remove build deps")
    dirs_only(im, 4, [("/data", 0o755, 999, 1000)], "RUN mkdir /data && chown: a directory only (0B)")
    empty(im, 5)
    tiny_copy(im, 6, "/usr/local/bin/docker-entrypoint.sh")

    # --- httpd:2.4.68-alpine (base 3.24.1: versions borrowed from 3.24.2)
    im = by_ref["httpd:2.4.68-alpine"]
    info = alpine_base(im, "3.24.1", alpine_pkgs("alpine:3.24.2"),
                       "Alpine 3.24.1 minirootfs; package versions borrowed from alpine 3.24.2")
    t = Tree(mtime_of(im, 1))
    days = mtime_of(im, 1) // 86400
    group = info["group"].replace("www-data:x:82:\n", "www-data:x:82:www-data\n")
    user_files(t, info["passwd"], info["group"], alpine_user_shadow,
               "www-data:x:82:82:Linux User,,,:/home/www-data:/sbin/nologin\n", "", days, group_text=group)
    t.d("/etc")
    t.d("/home")
    t.d("/home/www-data", 0o2755, 82, 82)
    put(im["layers"][1]["digest"], "fixed", t, "RUN adduser www-data: passwd, group, shadow stored whole")
    dirs_only(im, 2, [("/usr", 0o755, 0, 0), ("/usr/local", 0o755, 0, 0),
                      ("/usr/local/apache2", 0o755, 82, 82)],
              "RUN mkdir -p $HTTPD_PREFIX && chown: directories only (0B)")
    empty(im, 3)
    t = Tree(mtime_of(im, 4))
    for p, w in [("/usr/bin/perl", 12_000), ("/usr/lib/libperl.so", 2_000_000),
                 ("/usr/share/perl5/core_perl/_modules_stand_in", 30_000_000),
                 ("/usr/lib/perl5/core_perl/auto/_xs_modules_stand_in", 6_000_000),
                 ("/usr/lib/libapr-1.so.0.7.6", 250_000), ("/usr/lib/libaprutil-1.so.0.6.3", 200_000),
                 ("/usr/lib/apr-util-1/apr_ldap-1.so", 40_000), ("/usr/lib/libldap.so.2.0.200", 300_000),
                 ("/etc/ssl/certs/ca-certificates.crt", 220_000), ("/usr/sbin/update-ca-certificates", 20_000)]:
        t.w(p, w)
    alpine_modified_db(t, info["pkgs"], info["db_files"], {})
    put(im["layers"][4]["digest"], "payload", t, "RUN apk add apr apr-util ca-certificates perl")
    t = Tree(mtime_of(im, 5))
    ap = "/usr/local/apache2"
    for p, w in [("bin/httpd", 2_200_000), ("bin/apachectl", 3_500), ("bin/ab", 90_000),
                 ("bin/htpasswd", 40_000), ("modules/mod_ssl.so", 900_000),
                 ("modules/mod_proxy.so", 300_000), ("modules/_other_modules_stand_in", 4_500_000),
                 ("conf/httpd.conf", 20_000), ("conf/mime.types", 60_000),
                 ("conf/extra/httpd-ssl.conf", 13_000), ("htdocs/index.html", 45),
                 ("icons/_icons_stand_in", 700_000), ("error/_error_pages_stand_in", 60_000),
                 ("include/_httpd_headers_stand_in", 900_000), ("build/config_vars.mk", 8_000)]:
        t.w(f"{ap}/{p}", w, mode=0o755 if p.startswith(("bin/", "modules/")) else 0o644)
    t.d(ap, 0o755, 82, 82)
    t.d(f"{ap}/logs")
    t.w("/usr/lib/libnghttp2.so.14.28.4", 170_000)
    t.w("/usr/lib/libbrotlienc.so.1.1.0", 700_000)
    alpine_modified_db(t, info["pkgs"], info["db_files"], {})
    put(im["layers"][5]["digest"], "payload", t, "RUN: build httpd into /usr/local/apache2")
    tiny_copy(im, 6, "/usr/local/bin/httpd-foreground")

    # --- Debian family
    im = by_ref["golang:1.16.7-buster"]
    info = debian_base(im, ("debian", "buster", "10", "10.10"), False,
                       "Debian 10 buster (not usr-merged); file weights from the bookworm base-package estimate")
    for i, files, note in [(1, CURL_FILES, "RUN apt-get install ca-certificates curl netbase wget"),
                           (2, GPG_FILES, "RUN apt-get install gnupg dirmngr"),
                           (3, SCM_FILES + SCM_EXTRA, "RUN apt-get install git mercurial openssh-client subversion procps"),
                           (4, [(p.replace("/12/", "/8/").replace("-12", "-8"), w)
                                for p, w in GCC_FILES if p != "/usr/bin/pkgconf"] + gcc_extra("8"),
                            "RUN apt-get install g++ gcc libc6-dev make pkg-config")]:
        t = Tree(mtime_of(im, i))
        debian_apt_layer(t, files, links=gcc_links("8") if i == 4 else ())
        put(im["layers"][i]["digest"], "payload", t, note)
    t = Tree(mtime_of(im, 5))
    go_tree(t, "1.16.7")
    put(im["layers"][5]["digest"], "payload", t, "RUN: download and unpack go1.16.7 into /usr/local/go")
    dirs_only(im, 6, [("/go", 0o777, 0, 0), ("/go/src", 0o777, 0, 0), ("/go/bin", 0o777, 0, 0)],
              "RUN mkdir -p $GOPATH/src $GOPATH/bin && chmod -R 777: directories only (0B)")

    im = by_ref["golang:1.22.11-bookworm"]
    debian_base(im, ("debian", "bookworm", "12", "12.9"), False,
                "Debian 12 bookworm; dpkg status = the bookworm base-package estimate")
    for i, files, note in [(1, CURL_FILES + GPG_FILES[:4], "RUN apt-get install ca-certificates curl gnupg netbase sq wget"),
                           (2, SCM_FILES + SCM_EXTRA, "RUN apt-get install git mercurial openssh-client subversion procps"),
                           (3, GCC_FILES + gcc_extra("12"), "RUN apt-get install g++ gcc libc6-dev make pkg-config")]:
        t = Tree(mtime_of(im, i))
        links = {2: SCM_LINKS_BOOKWORM, 3: gcc_links("12")}.get(i, ())
        debian_apt_layer(t, files, links=links)
        put(im["layers"][i]["digest"], "payload", t, note)
    t = Tree(mtime_of(im, 4))
    go_tree(t, "1.22.11")
    put(im["layers"][4]["digest"], "payload", t, "COPY --from=build /target/ /: the Go toolchain")
    dirs_only(im, 5, [("/go", 0o1777, 0, 0), ("/go/src", 0o1777, 0, 0), ("/go/bin", 0o1777, 0, 0)],
              "RUN mkdir -p $GOPATH/src $GOPATH/bin && chmod -R 1777: directories only (0B)")
    empty(im, 6)

    debian_base(by_ref["debian:bookworm-slim"], ("debian", "bookworm", "12", None), True,
                "Debian 12 bookworm-slim; dpkg status = the bookworm base-package estimate")
    debian_base(by_ref["ubuntu:22.04"], ("ubuntu", "jammy", "22.04", "22.04.5"), True,
                "Ubuntu 22.04.5; file weights from the Debian bookworm base-package estimate")
    debian_base(by_ref["ubuntu:20.04"], ("ubuntu", "focal", "20.04", "20.04.6"), True,
                "Ubuntu 20.04.6; file weights from the Debian bookworm base-package estimate")

    im = by_ref["python:3.12.13-slim-trixie"]
    debian_base(im, ("debian", "trixie", "13", None), True,
                "Debian 13 trixie-slim; file weights from the bookworm base-package estimate")
    t = Tree(mtime_of(im, 1))
    debian_apt_layer(t, [("/etc/ssl/certs/ca-certificates.crt", 220_000),
                         ("/usr/share/ca-certificates/mozilla/_root_certificates_stand_in", 230_000),
                         ("/usr/sbin/update-ca-certificates", 6_000), ("/etc/services", 12_800),
                         ("/etc/protocols", 2_900), ("/usr/share/zoneinfo/Europe/Berlin", 2_300),
                         ("/usr/share/zoneinfo/_other_zones_stand_in", 1_500_000),
                         ("/usr/lib/x86_64-linux-gnu/libssl.so.3", 700_000),
                         ("/usr/lib/x86_64-linux-gnu/libcrypto.so.3", 5_000_000), ("/usr/bin/openssl", 1_000_000)])
    t.l("/etc/localtime", "/usr/share/zoneinfo/Etc/UTC")
    t.t("/etc/timezone", "Etc/UTC\n")
    put(im["layers"][1]["digest"], "payload", t, "RUN apt-get install ca-certificates netbase tzdata")
    t = Tree(mtime_of(im, 2))
    for p, w in [("/usr/local/bin/python3.12", 17_000), ("/usr/local/bin/pip3.12", 230),
                 ("/usr/local/bin/pip3", 230), ("/usr/local/bin/pydoc3.12", 80),
                 ("/usr/local/bin/idle3.12", 80), ("/usr/local/bin/python3.12-config", 3_000),
                 ("/usr/local/lib/libpython3.12.so.1.0", 26_000_000),
                 ("/usr/local/lib/python3.12/os.py", 40_000), ("/usr/local/lib/python3.12/json/__init__.py", 14_000),
                 ("/usr/local/lib/python3.12/_stdlib_stand_in", 30_000_000),
                 ("/usr/local/lib/python3.12/lib-dynload/_ssl.cpython-312-x86_64-linux-gnu.so", 900_000),
                 ("/usr/local/lib/python3.12/lib-dynload/_other_extensions_stand_in", 9_000_000),
                 ("/usr/local/lib/python3.12/site-packages/pip/__init__.py", 400),
                 ("/usr/local/lib/python3.12/site-packages/pip/_pip_stand_in", 12_000_000),
                 ("/usr/local/include/python3.12/Python.h", 3_000),
                 ("/usr/local/include/python3.12/_headers_stand_in", 1_000_000),
                 ("/usr/lib/x86_64-linux-gnu/libsqlite3.so.0.8.6", 1_500_000),
                 ("/usr/lib/x86_64-linux-gnu/libexpat.so.1.10.2", 200_000),
                 ("/usr/lib/x86_64-linux-gnu/libffi.so.8.1.4", 40_000)]:
        t.w(p, w)
    t.l("/usr/local/bin/python3", "python3.12")
    t.l("/usr/local/bin/pydoc3", "pydoc3.12")
    t.l("/usr/local/bin/idle3", "idle3.12")
    t.l("/usr/local/bin/python3-config", "python3.12-config")
    t.l("/usr/local/lib/libpython3.12.so", "libpython3.12.so.1.0")
    debian_apt_layer(t, [])
    put(im["layers"][2]["digest"], "payload", t, "RUN: build CPython 3.12.13 into /usr/local")
    t = Tree(mtime_of(im, 3))
    for src in ("idle3", "pip3", "pydoc3", "python3", "python3-config"):
        t.l(f"/usr/local/bin/{src.replace('3', '')}", src)
    t.d("/usr")
    t.d("/usr/local")
    t.d("/usr/local/bin")
    put(im["layers"][3]["digest"], "fixed", t, "RUN: unversioned symlinks (idle, pip, pydoc, python, python-config)")

    im = by_ref["nginx:1.31.3"]
    info = debian_base(im, ("debian", "trixie", "13", None), True,
                       "Debian 13 trixie-slim; file weights from the bookworm base-package estimate")
    t = Tree(mtime_of(im, 1))
    days = mtime_of(im, 1) // 86400
    user_files(t, info["passwd"], info["group"], debian_user_shadow,
               "nginx:x:101:101:nginx user:/nonexistent:/bin/false\n", "nginx:x:101:\n", days)
    t.d("/etc")
    nginx_common(t, debian=True)
    debian_apt_layer(t, [("/usr/lib/x86_64-linux-gnu/libpcre2-8.so.0.13.0", 600_000),
                         ("/usr/lib/x86_64-linux-gnu/libssl.so.3", 700_000),
                         ("/usr/lib/x86_64-linux-gnu/libcrypto.so.3", 5_000_000),
                         ("/usr/lib/x86_64-linux-gnu/libxml2.so.2.12.7", 2_000_000),
                         ("/usr/lib/x86_64-linux-gnu/libxslt.so.1.1.35", 250_000),
                         ("/usr/lib/x86_64-linux-gnu/libgd.so.3.0.11", 420_000),
                         ("/usr/lib/x86_64-linux-gnu/_image_and_font_libraries_stand_in", 9_000_000),
                         ("/usr/bin/envsubst", 30_000), ("/usr/share/nginx/_acme_module_stand_in", 3_000_000),
                         ("/usr/lib/nginx/modules/ngx_http_acme_module.so", 5_000_000),
                         ("/usr/share/doc/nginx/copyright", 1_400)])
    put(im["layers"][1]["digest"], "payload", t,
        "RUN: user nginx, apt-get install nginx + njs + modules, log links to stdout/stderr")
    tiny_copy(im, 2, "/docker-entrypoint.sh")
    tiny_copy(im, 3, "/docker-entrypoint.d/10-listen-on-ipv6-by-default.sh")
    tiny_copy(im, 4, "/docker-entrypoint.d/15-local-resolvers.envsh")
    tiny_copy(im, 5, "/docker-entrypoint.d/20-envsubst-on-templates.sh")
    tiny_copy(im, 6, "/docker-entrypoint.d/30-tune-worker-processes.sh")

    # --- busybox (glibc): hard links to one binary
    im = by_ref["busybox:1.38.0"]
    t = Tree(mtime_of(im, 0))
    for d in ["/bin", "/dev", "/etc", "/home", "/lib", "/usr", "/usr/sbin", "/var", "/var/spool",
              "/var/spool/mail", "/var/www"]:
        t.d(d)
    t.d("/root", 0o700)
    t.d("/tmp", 0o1777)
    t.w("/bin/busybox", 1_200_000)
    for d, applets in BUSYBOX_APPLETS.items():
        for a in applets.split():
            if a != "busybox":
                t.h(f"/bin/{a}", "/bin/busybox")
    for lib, w in [("libc.so.6", 2_000_000), ("libm.so.6", 900_000), ("libresolv.so.2", 70_000),
                   ("libnss_files.so.2", 15_000), ("libnss_dns.so.2", 15_000), ("ld-linux-x86-64.so.2", 230_000)]:
        t.w(f"/lib/{lib}", w)
    t.l("/lib64", "lib")
    bb_passwd = ("root:x:0:0:root:/root:/bin/sh\ndaemon:x:1:1:daemon:/usr/sbin:/bin/false\n"
                 "bin:x:2:2:bin:/bin:/bin/false\nsys:x:3:3:sys:/dev:/bin/false\n"
                 "sync:x:4:100:sync:/bin:/bin/sync\nmail:x:8:8:mail:/var/spool/mail:/bin/false\n"
                 "www-data:x:33:33:www-data:/var/www:/bin/false\noperator:x:37:37:Operator:/var:/bin/false\n"
                 "nobody:x:65534:65534:nobody:/home:/bin/false\n")
    t.t("/etc/passwd", bb_passwd)
    t.t("/etc/group", "root:x:0:\ndaemon:x:1:\nbin:x:2:\nsys:x:3:\nadm:x:4:\ntty:x:5:\ndisk:x:6:\n"
                      "lp:x:7:\nmail:x:8:\nkmem:x:9:\nwheel:x:10:root\ncdrom:x:11:\ndialout:x:18:\n"
                      "floppy:x:19:\nvideo:x:28:\naudio:x:29:\ntape:x:32:\nwww-data:x:33:\n"
                      "operator:x:37:\nutmp:x:43:\nplugdev:x:46:\nstaff:x:50:\nlock:x:54:\n"
                      "netdev:x:82:\nusers:x:100:\nnogroup:x:65534:\n")
    t.t("/etc/shadow", "".join(f"{l.split(':')[0]}:*:10933:0:99999:7:::\n" for l in bb_passwd.splitlines()),
        mode=0o640)
    t.t("/etc/nsswitch.conf", "hosts: files dns\nnetworks: files\n")
    put(im["layers"][0]["digest"], "base", t,
        "BusyBox glibc rootfs: one binary with a hard link per applet (counted once)")

    # --- hello-world
    im = by_ref["hello-world:latest"]
    t = Tree(mtime_of(im, 0))
    t.w("/hello", 1)
    put(im["layers"][0]["digest"], "base", t, "COPY hello /: one static binary")

    missing = [l["digest"] for im in images for l in im["layers"] if l["digest"] not in recipes]
    if missing:
        raise SystemExit(f"layers without recipe: {missing}")
    return recipes


# --------------------------------------------------------------------------------------
# Size estimates
# --------------------------------------------------------------------------------------

def estimate_sizes(images, recipes):
    comp = {}
    for im in images:
        for l in im["layers"]:
            comp[l["digest"]] = l["compressed_size"]
    sizes = {}
    how = {}
    for blob, r in recipes.items():
        if r["class"] == "empty":
            sizes[blob], how[blob] = 0, "empty-gzip"
        elif r["class"] == "fixed":
            sizes[blob], how[blob] = r["tree"].fixed_size(), "fixed-contents"

    def family(im):
        return "alpine" if any(p in im["ref"] for p in ("alpine", "busybox")) else "debian"

    # Measured ratios (uncompressed / compressed) on images whose virtual size is known
    # and whose layers are one base layer only.
    single = {im["ref"]: im["virtual_size"]["bytes_approx"] / im["compressed_size"]
              for im in images if im["virtual_size"] and len(im["layers"]) == 1}
    base_ratio = {"alpine": single["alpine:3.24.2"], "debian": single["debian:bookworm-slim"]}

    # Payload ratio: measured on multi-layer images with a same-build virtual size.
    num = den = 0
    for im in images:
        vs = im["virtual_size"]
        if not vs or not vs["same_build"] or len(im["layers"]) < 2:
            continue
        base = im["layers"][0]
        b = base_ratio[family(im)] * base["compressed_size"]
        num += vs["bytes_approx"] - b
        den += im["compressed_size"] - base["compressed_size"]
    payload_ratio = num / den

    def weight(im, blob):
        cls = recipes[blob]["class"]
        r = base_ratio[family(im)] if cls == "base" else payload_ratio
        return comp[blob] * r

    order = sorted(images, key=lambda im: (len(im["layers"]), images.index(im)))
    virtual = {}
    for im in order:
        blobs = [l["digest"] for l in im["layers"]]
        open_ = [b for b in dict.fromkeys(blobs) if b not in sizes]
        vs = im["virtual_size"]
        if vs:
            total = vs["bytes_approx"]
            known = sum(sizes[b] for b in blobs if b in sizes)
            rest = total - known
            if open_:
                weights = {b: weight(im, b) for b in open_}
                for b, s in distribute(rest, weights).items():
                    sizes[b] = s
                    how[b] = "share-of-virtual-size"
            virtual[im["ref"]] = {"bytes": total, "text": vs["text"],
                                  "source": "same-build" if vs["same_build"] else "other-build"}
        else:
            for b in open_:
                sizes[b] = int(round(weight(im, b)))
                how[b] = "ratio-estimate"
            virtual[im["ref"]] = {"bytes": sum(sizes[b] for b in blobs), "text": None,
                                  "source": "estimated"}
    return sizes, how, virtual, {"base_ratio": base_ratio, "payload_ratio": payload_ratio}


# --------------------------------------------------------------------------------------
# Images, aliases, output
# --------------------------------------------------------------------------------------

ALIASES = {
    "alpine:3.13.5": ["alpine:3.13"],
    "node:14.16.1-alpine3.13": ["node:14.16.1-alpine", "node:14.16-alpine3.13", "node:14.16-alpine",
                                "node:14-alpine3.13", "node:14-alpine", "node:fermium-alpine"],
    "alpine:3.18.3": ["alpine:3.18"],
    "alpine:3.20.8": ["alpine:3.20"],
    "alpine:3.24.2": ["alpine:3.24", "alpine:3", "alpine:latest"],
    "node:20.20.1-alpine3.23": ["node:20.20.1-alpine", "node:20.20-alpine3.23", "node:20.20-alpine",
                                "node:20-alpine3.23", "node:20-alpine", "node:iron-alpine"],
    "golang:1.16.7-buster": ["golang:1.16.7", "golang:1.16-buster", "golang:1.16"],
    "golang:1.22.11-bookworm": ["golang:1.22.11", "golang:1.22-bookworm", "golang:1.22"],
    "debian:bookworm-slim": ["debian:12-slim"],
    "ubuntu:22.04": ["ubuntu:jammy"],
    "ubuntu:20.04": ["ubuntu:focal"],
    "busybox:1.38.0": ["busybox:1.38", "busybox:1", "busybox:latest"],
    "hello-world:latest": [],
    "nginx:1.19.9-alpine": ["nginx:1.19-alpine", "nginx:alpine"],
    "python:3.12.13-slim-trixie": ["python:3.12.13-slim", "python:3.12-slim-trixie", "python:3.12-slim"],
    "redis:8.10.2-alpine": ["redis:8.10-alpine", "redis:8-alpine", "redis:alpine"],
    "httpd:2.4.68-alpine": ["httpd:2.4-alpine", "httpd:2-alpine", "httpd:alpine"],
    "nginx:1.31.3": ["nginx:1.31", "nginx:1", "nginx:mainline", "nginx:latest"],
}

DISTRO = {
    "alpine:3.13.5": ("alpine", "3.13.5", "musl", "apk"),
    "node:14.16.1-alpine3.13": ("alpine", "3.13.5", "musl", "apk"),
    "alpine:3.18.3": ("alpine", "3.18.3", "musl", "apk"),
    "alpine:3.20.8": ("alpine", "3.20.8", "musl", "apk"),
    "alpine:3.24.2": ("alpine", "3.24.2", "musl", "apk"),
    "node:20.20.1-alpine3.23": ("alpine", "3.23.3", "musl", "apk"),
    "golang:1.16.7-buster": ("debian", "10", "glibc", "apt"),
    "golang:1.22.11-bookworm": ("debian", "12", "glibc", "apt"),
    "debian:bookworm-slim": ("debian", "12", "glibc", "apt"),
    "ubuntu:22.04": ("ubuntu", "22.04", "glibc", "apt"),
    "ubuntu:20.04": ("ubuntu", "20.04", "glibc", "apt"),
    "busybox:1.38.0": ("busybox", "1.38.0", "glibc", None),
    "hello-world:latest": (None, None, None, None),
    "nginx:1.19.9-alpine": ("alpine", "3.13.4", "musl", "apk"),
    "python:3.12.13-slim-trixie": ("debian", "13", "glibc", "apt"),
    "redis:8.10.2-alpine": ("alpine", "3.23.6", "musl", "apk"),
    "httpd:2.4.68-alpine": ("alpine", "3.24.1", "musl", "apk"),
    "nginx:1.31.3": ("debian", "13", "glibc", "apt"),
}


def history_entries(im):
    out = []
    for h in im["history"]:
        raw = h["created_by_reconstructed"]
        exact = raw is not None
        if raw is None:
            text = h["dockerfile"]
            raw = text[4:] if text.startswith("RUN ") else text
        comment = "buildkit.dockerfile.v0" if (im["builder"] == "buildkit" and exact) else None
        e = {"created": h["created"], "created_by": raw, "empty_layer": bool(h["empty_layer"])}
        if comment:
            e["comment"] = comment
        if not exact:
            e["created_by_inferred"] = True
        out.append(e)
    return out


def config_of(im):
    c = {}
    for k, v in im["config"].items():
        if v is not None:
            c[k] = v
    return c


def main():
    base = json.load(open(os.path.join(SHARED, "base-images.json")))
    pkgdata = json.load(open(os.path.join(SHARED, "debian-bookworm-packages.json")))
    images = base["images"]
    recipes = build_recipes(images, pkgdata)
    sizes, how, virtual, ratios = estimate_sizes(images, recipes)

    texts = {}
    layers = {}
    trees = {}
    comp = {}
    for im in images:
        for l in im["layers"]:
            comp[l["digest"]] = l["compressed_size"]
    for blob in sorted(recipes):
        r = recipes[blob]
        tree = r["tree"]
        if tree is not None:
            if tree.has_weights():
                tree.finalize(sizes[blob])
            elif tree.fixed_size() != sizes[blob]:
                raise SystemExit(f"{blob}: fixed tree {tree.fixed_size()} != {sizes[blob]}")
        layers[blob] = {
            "compressed_size": comp[blob],
            "size": sizes[blob],
            "size_estimated": r["class"] != "empty",
            "estimate": how[blob],
            "empty_gzip": blob == EMPTY_GZIP,
            "mtime": tree.mtime if tree else 0,
            "note": r["note"],
        }
        trees[blob] = tree.emit(texts) if tree else []

    out_images = []
    for im in images:
        did, dver, libc, pkg = DISTRO[im["ref"]]
        out_images.append({
            "ref": im["ref"],
            "requested_as": im["requested_as"],
            "builder": im["builder"],
            "docker_version": im["docker_version"],
            "index_digest": im["index_digest"],
            "manifest_digest": im["manifest_digest"],
            "repo_digest": im["repo_digest"],
            "image_id": im["image_id"],
            "created": im["created"],
            "compressed_size": im["compressed_size"],
            "virtual_size": virtual[im["ref"]],
            "layers": [l["digest"] for l in im["layers"]],
            "history": history_entries(im),
            "config": config_of(im),
            "config_sources": im["config_sources"],
            "distro": {"id": did, "version": dver, "libc": libc, "package_manager": pkg},
            "notes": [n["text"] for n in im.get("notes") or []],
        })

    aliases = []
    seen = set()
    for im in images:
        for tag in [im["ref"], im["requested_as"]] + ALIASES[im["ref"]]:
            if tag in seen:
                continue
            seen.add(tag)
            kind = "exact" if tag == im["ref"] else ("requested" if tag == im["requested_as"] else "alias")
            aliases.append([tag, im["ref"], kind])

    doc = {
        "schema": 1,
        "generated_by": "scripts/gen_catalog.py from ../shared/data/base-images.json and debian-bookworm-packages.json",
        "estimates": {
            "rule": "tiny COPY (< 4 KiB compressed): (compressed - 90) x 2; directory-only or known-text layers: exact contents; other layers: share of the image's virtual size proportional to compressed size x ratio class; images without a virtual size: compressed x ratio",
            "base_ratio": {k: round(v, 4) for k, v in ratios["base_ratio"].items()},
            "payload_ratio": round(ratios["payload_ratio"], 4),
        },
        "layers": layers,
        "images": out_images,
        "aliases": aliases,
    }
    tree_doc = {
        "schema": 1,
        "rows": "[shared prefix length with the previous path, rest of the path, kind, value, mode?, uid?, gid?]",
        "texts": [t for t, _ in sorted(texts.items(), key=lambda kv: kv[1])],
        "trees": trees,
    }
    for path, d in ((OUT, doc), (OUT_TREES, tree_doc)):
        data = json.dumps(d, separators=(",", ":"), ensure_ascii=False)
        with open(path, "w") as f:
            f.write(data)
            f.write("\n")
        print(f"wrote {os.path.relpath(path, ROOT)}: {len(data)} bytes")
    print(f"{len(layers)} layers, {sum(len(t) for t in trees.values())} tree rows, {len(texts)} texts")


if __name__ == "__main__":
    main()
