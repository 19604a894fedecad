#!/usr/bin/python3
"""bench/collateral.py - the collateral library's two benchmark targets
(issue 5), through the SHIPPED nginx site of tests/stack.py.

1. Download of a 1 MiB file as a signed-in partner: portico checks access,
   counts the download and answers X-Accel-Redirect; nginx sends the file
   from its internal location.  Baseline: nginx serving the same bytes as a
   static file (/static/, no FastCGI at all).  Target: >= 90 % of the
   baseline's requests/s.
2. The library page /library for a partner (kestrel-cloud, platinum) with
   5,000 items in the catalogue (a quarter of them targeted at a segment
   the partner is not in, some expired), at 64 connections.  Target: p99
   under 5 ms.

Both use wrk (loopback, fixed threads/connections/duration) with the
session cookie.  Figures go to stdout; bench/README.md records them by hand.
Nothing here asserts a timing.

Usage: bench/collateral.py [--duration S] [--threads N] [--workers N]
Environment: PORTICO_BUILD_DIR as for tests/stack.py.
"""

import argparse
import os
import re
import subprocess
import sys
import urllib.parse

sys.dont_write_bytecode = True
SRC_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(SRC_DIR, "tests"))
sys.path.insert(0, os.path.join(SRC_DIR, "tests", "integration"))
import stack as ptstack  # noqa: E402
from authlib import logged_in  # noqa: E402

BOUNDARY = "----ptBenchBoundary"


def wrk(url, cookie, threads, conns, duration):
    argv = ["wrk", "-t%d" % threads, "-c%d" % conns, "-d%ds" % duration,
        "--latency", "-H", "Cookie: " + cookie, url]
    out = subprocess.run(argv, capture_output=True, text=True,
        check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    lat = {}
    for p in ("50", "99"):
        m = re.search(r"^\s+%s%%\s+([\d.]+)(us|ms|s)\s*$" % p, out, re.M)
        v = float(m.group(1))
        lat[p] = {"us": v / 1000, "ms": v, "s": v * 1000}[m.group(2)]
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if errors:
        sys.exit("bench: %s: %s non-2xx answers\n%s" % (url,
            errors.group(1), out))
    return rps, lat, out


def upload(b, content):
    tok = re.search(r'name="csrf" value="([^"]*)"',
        b.get("/library/new").text).group(1)
    body = b""
    for k, v in (("csrf", tok), ("title", "Bench deck"),
            ("audience", "everyone")):
        body += (b"--%s\r\nContent-Disposition: form-data; name=\"%s\"\r\n"
            b"\r\n%s\r\n" % (BOUNDARY.encode(), k.encode(), v.encode()))
    body += (b"--%s\r\nContent-Disposition: form-data; name=\"file\"; "
        b"filename=\"bench.pdf\"\r\n\r\n" % BOUNDARY.encode()) + content
    body += b"\r\n--%s--\r\n" % BOUNDARY.encode()
    r = b.request("POST", "/library/new", headers={"Content-Type":
        "multipart/form-data; boundary=" + BOUNDARY}, body=body)
    if r.status != 303:
        sys.exit("bench: upload failed: %d" % r.status)
    return int(r.header("Location").rsplit("/", 1)[1])


def seed_catalogue(stack, n, sha, size):
    """n items, each with one version of the same stored file."""
    stack.mysql("INSERT IGNORE INTO segments (name, rule) VALUES "
        "('Bench EMEA gold', 'tier = gold and region = EMEA')",
        db="portico")
    seg = int(stack.mysql("SELECT id FROM segments WHERE name = "
        "'Bench EMEA gold'", db="portico"))
    items = []
    for i in range(n):
        aud = "segments" if i % 4 == 0 else "everyone"
        exp = "NOW() - INTERVAL 1 DAY" if i % 50 == 0 else "NULL"
        sql = ("INSERT INTO collateral_items (title, description, kind, "
            "language, product, audience, review_at, expires_at, updated_at) "
            "VALUES ('Bench item %d', 'Bench', 'datasheet', 'en', 'Core', "
            "'%s', NOW() + INTERVAL 300 DAY, %s, NOW() - INTERVAL %d MINUTE);"
            % (i, aud, exp, i))
        sql += "SET @i = LAST_INSERT_ID();"
        sql += ("INSERT INTO collateral_versions (item_id, number, "
            "sha256, size, content_type, filename) VALUES (@i, 1, '%s', %d, "
            "'application/pdf', 'bench.pdf');" % (sha, size))
        sql += ("UPDATE collateral_items SET current_version_id = "
            "LAST_INSERT_ID() WHERE id = @i;")
        if aud == "segments":
            sql += "INSERT INTO collateral_targets VALUES (@i, %d);" % seg
        items.append(sql)
    for k in range(0, len(items), 100):
        stack.mysql("START TRANSACTION; %s COMMIT;" % " ".join(
            items[k:k + 100]), db="portico")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--duration", type=int, default=10)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--items", type=int, default=5000)
    args = ap.parse_args()

    stack = ptstack.Stack(seed=True, apache=False, websso=False,
        workers=args.workers)
    stack.start()
    try:
        base = stack.nginx_url
        manager = logged_in(stack, base, "praman")
        partner = logged_in(stack, base, "jwhitfield")
        content = b"%PDF-1.4\n" + os.urandom((1 << 20) - 9)
        item = upload(manager, content)
        import hashlib
        sha = hashlib.sha256(content).hexdigest()
        # The baseline: the same bytes as a static file.
        with open(os.path.join(stack.base, "static", "bench.pdf"),
                "wb") as f:
            f.write(content)
        os.chmod(os.path.join(stack.base, "static", "bench.pdf"), 0o644)
        cookie = partner.header()
        d = args.duration
        wrk(base + "/static/bench.pdf", cookie, args.threads, 16, 2)
        s_rps, s_lat, _ = wrk(base + "/static/bench.pdf", cookie,
            args.threads, 16, d)
        wrk(base + "/collateral/%d/download" % item, cookie, args.threads,
            16, 2)
        c_rps, c_lat, _ = wrk(base + "/collateral/%d/download" % item,
            cookie, args.threads, 16, d)
        print("1 MiB download, 16 connections, %d s:" % d)
        print("  nginx static          %8.0f req/s  p50 %6.2f ms  p99 "
            "%6.2f ms" % (s_rps, s_lat["50"], s_lat["99"]))
        print("  portico + X-Accel     %8.0f req/s  p50 %6.2f ms  p99 "
            "%6.2f ms" % (c_rps, c_lat["50"], c_lat["99"]))
        print("  ratio %.1f %% (target >= 90 %%)" % (100 * c_rps / s_rps))
        downloads = stack.mysql("SELECT COUNT(*) FROM collateral_downloads",
            db="portico").strip()
        print("  downloads counted: %s" % downloads)

        seed_catalogue(stack, args.items, sha, len(content))
        url = base + "/library"
        wrk(url, cookie, args.threads, 64, 2)
        l_rps, l_lat, _ = wrk(url, cookie, args.threads, 64, d)
        print("/library, partner, %d items, 64 connections, %d s:" %
            (args.items, d))
        print("  %8.0f req/s  p50 %6.2f ms  p99 %6.2f ms (target p99 < 5 ms)"
            % (l_rps, l_lat["50"], l_lat["99"]))
    finally:
        stack.stop()


if __name__ == "__main__":
    main()
