"""Collateral library (issue 5): uploads, versions at a stable URL, segment
targeting, expiry, downloads handed to the web server, hostile file names,
uploads that must leave nothing behind, exact download counts, CSRF.

Every test runs through nginx (X-Accel-Redirect) and Apache (X-Sendfile),
both running the shipped site configurations; some also talk FastCGI to
portico directly (offload = none, a body cut short).  Users: praman is the
content manager; jwhitfield (kestrel-cloud, platinum) and dtan
(meridian-shared-services, registered) are partners
(tests/fixtures/ldap/README.md).
"""

import concurrent.futures
import hashlib
import os
import re
import subprocess
import urllib.parse

import pytest

import stack as stackmod
from authlib import (Browser, body_without_request_id, logged_in, text_of,
    xml_view, CSRF_RE)

BOUNDARY = "----ptTestBoundary0123456789"
PDF = b"%PDF-1.4\n% test deck\n" + bytes(range(256)) * 8 + b"\n%%EOF\n"


def pdf(tag):
    return PDF + tag.encode() + b"\n"


def multipart(fields, file=None, boundary=BOUNDARY, close=True):
    """fields: [(name, value)]; file: (field, filename bytes|str, content,
    content type).  The file part comes last, as the forms send it."""
    out = b""
    for k, v in fields:
        if isinstance(v, str):
            v = v.encode()
        out += (b"--%s\r\nContent-Disposition: form-data; name=\"%s\"\r\n"
            b"\r\n%s\r\n" % (boundary.encode(), k.encode(), v))
    if file is not None:
        name, fname, content, ctype = file
        if isinstance(fname, str):
            fname = fname.encode()
        out += (b"--%s\r\nContent-Disposition: form-data; name=\"%s\"; "
            b"filename=\"%s\"\r\nContent-Type: %s\r\n\r\n" % (
            boundary.encode(), name.encode(), fname, ctype.encode()))
        out += content + b"\r\n"
    if close:
        out += b"--%s--\r\n" % boundary.encode()
    return out


def post_multipart(b, path, body, boundary=BOUNDARY):
    return b.request("POST", path, headers={"Content-Type":
        "multipart/form-data; boundary=%s" % boundary}, body=body)


def token(b, path="/library/new"):
    r = b.get(path)
    m = CSRF_RE.search(r.text)
    assert m, (path, r.status, r.text[:300])
    return m.group(1)


def create(b, title, content=None, filename="deck.pdf", audience="everyone",
    segments=(), expose_history=False, expires=""):
    fields = [("csrf", token(b)), ("title", title),
        ("description", "About " + title), ("kind", "presentation"),
        ("language", "en"), ("product", "Halvard Core"),
        ("tags", "launch, emea"), ("audience", audience),
        ("expires", expires)]
    fields += [("segment", str(s)) for s in segments]
    if expose_history:
        fields.append(("expose_history", "1"))
    r = post_multipart(b, "/library/new", multipart(fields, ("file",
        filename, content if content is not None else pdf(title),
        "application/octet-stream")))
    assert r.status == 303, (r.status, text_of(r.text)[:500])
    m = re.fullmatch(r"/collateral/(\d+)", r.header("Location"))
    assert m, r.header("Location")
    return int(m.group(1))


def new_version(b, item, content, filename="deck-v2.pdf"):
    tok = token(b, "/collateral/%d" % item)
    return post_multipart(b, "/collateral/%d/versions" % item, multipart(
        [("csrf", tok)], ("file", filename, content, "application/pdf")))


def settings(b, item, audience="everyone", segments=(), expires="",
    review="", expose_history=False):
    form = [("csrf", token(b, "/collateral/%d" % item)),
        ("audience", audience), ("expires", expires), ("review", review)]
    form += [("segment", str(s)) for s in segments]
    if expose_history:
        form.append(("expose_history", "1"))
    r = b.request("POST", "/collateral/%d/settings" % item, headers={
        "Content-Type": "application/x-www-form-urlencoded"},
        body=urllib.parse.urlencode(form).encode())
    assert r.status == 303, (r.status, text_of(r.text)[:500])


def store_files(stack):
    out = []
    for root, _, files in os.walk(stack.collateral_dir):
        out += [os.path.join(root, f) for f in files]
    return sorted(out)


def rows(stack, sql):
    return stack.mysql(sql, db="portico").strip()


@pytest.fixture(scope="module")
def platinum(stack):
    """A segment for the platinum tier; its id."""
    rows(stack, "INSERT IGNORE INTO segments (name, rule) VALUES "
        "('Platinum partners', 'tier = platinum')")
    return int(rows(stack, "SELECT id FROM segments WHERE name = "
        "'Platinum partners'"))


@pytest.fixture
def manager(stack, base_url):
    return logged_in(stack, base_url, "praman")


@pytest.fixture
def kestrel(stack, base_url):
    return logged_in(stack, base_url, "jwhitfield")


@pytest.fixture
def meridian(stack, base_url):
    return logged_in(stack, base_url, "dtan")


# For the tests that speak FastCGI to portico directly: they run once, not
# once per web server, so they sign in through nginx only.
@pytest.fixture
def manager_once(stack):
    return logged_in(stack, stack.nginx_url, "praman")


@pytest.fixture
def kestrel_once(stack):
    return logged_in(stack, stack.nginx_url, "jwhitfield")


def offload_header(resp):
    return resp.header("X-Accel-Redirect") or resp.header("X-Sendfile")


def test_upload_then_new_version_at_the_stable_url(stack, manager, kestrel,
    webserver):
    v1 = pdf("v1 " + webserver)
    item = create(manager, "Product overview " + webserver, v1)
    r = kestrel.get("/collateral/%d/download" % item)
    assert r.status == 200, (r.status, r.text[:300])
    assert r.body == v1
    assert r.header("ETag") == '"%s"' % hashlib.sha256(v1).hexdigest()
    assert r.header("Content-Type").startswith("application/pdf")
    assert r.header("Content-Disposition") == ("attachment; "
        "filename=\"deck.pdf\"; filename*=UTF-8''deck.pdf")
    assert offload_header(r) is None, "the hand-off header reached the client"

    v2 = pdf("v2 " + webserver)
    r = new_version(manager, item, v2)
    assert r.status == 303, (r.status, text_of(r.text)[:300])
    r = kestrel.get("/collateral/%d/download" % item)
    assert r.status == 200 and r.body == v2
    assert r.header("ETag") == '"%s"' % hashlib.sha256(v2).hexdigest()
    page = xml_view(kestrel, "/collateral/%d" % item)
    it = page.find("item")
    assert it.get("version") == "2"
    assert it.get("downloaded-older") is None
    # The partner downloaded v1 and v2; a v3 makes the notice appear.
    new_version(manager, item, pdf("v3 " + webserver), "deck-v3.pdf")
    it = xml_view(kestrel, "/collateral/%d" % item).find("item")
    assert it.get("version") == "3" and it.get("downloaded-older") == "2"
    assert "A new version of" in text_of(kestrel.get("/collateral/%d" %
        item).text)

    # History: managers only (the item does not expose it).
    h = xml_view(manager, "/collateral/%d/history" % item)
    assert [v.get("number") for v in h.iter("version")] == ["3", "2", "1"]
    r = manager.get("/collateral/%d/versions/1/download" % item)
    assert r.status == 200 and r.body == v1
    missing = kestrel.get("/collateral/999999999/history")
    for path in ("/collateral/%d/history", "/collateral/%d/versions/1/"
            "download"):
        r = kestrel.get(path % item)
        assert r.status == 404
        assert body_without_request_id(r) == body_without_request_id(
            missing)

    # Restore v1: a new current version 4 with v1's bytes.
    tok = token(manager, "/collateral/%d/history" % item)
    r = manager.post("/collateral/%d/versions/1/restore" % item,
        {"csrf": tok})
    assert r.status == 303, (r.status, text_of(r.text)[:300])
    r = kestrel.get("/collateral/%d/download" % item)
    assert r.body == v1
    assert xml_view(kestrel, "/collateral/%d" % item).find("item").get(
        "version") == "4"
    assert rows(stack, "SELECT number, restored_from FROM "
        "collateral_versions WHERE item_id = %d ORDER BY number DESC LIMIT 1"
        % item) == "4\t1"

    # The earlier downloader gets one mail about each new version (v2, v3
    # and the restored v4), once each, and none about v1.
    assert rows(stack, "SELECT GROUP_CONCAT(v.number ORDER BY v.number) "
        "FROM mail_outbox m JOIN collateral_versions v ON m.dedup_key = "
        "CONCAT('collateral-version-', v.id, '-', (SELECT u.id FROM users "
        "u WHERE u.login = 'jwhitfield' AND u.status = 'active' ORDER BY "
        "u.last_login_at DESC LIMIT 1)) WHERE v.item_id = %d" % item) == \
        "2,3,4"


def test_segments_target_and_change_on_next_request(stack, manager, kestrel,
    meridian, platinum, webserver):
    item = create(manager, "Platinum price list " + webserver,
        audience="segments", segments=[platinum])
    assert kestrel.get("/collateral/%d" % item).status == 200
    assert kestrel.get("/collateral/%d/download" % item).status == 200
    for suffix in ("", "/download", "/history", "/versions/1/download"):
        hidden = meridian.get("/collateral/%d%s" % (item, suffix))
        missing = meridian.get("/collateral/999999999%s" % suffix)
        assert hidden.status == missing.status == 404
        assert body_without_request_id(hidden) == \
            body_without_request_id(missing), suffix
    # View as: the manager sees what each organisation sees.
    assert manager.get("/collateral/%d?as=meridian-shared-services" %
        item).status == 404
    assert manager.get("/collateral/%d?as=kestrel-cloud" %
        item).status == 200
    assert manager.get("/collateral/%d?as=no-such-org" % item).status == 404

    # Open it to everyone: the next request of the other partner sees it.
    settings(manager, item, audience="everyone")
    assert meridian.get("/collateral/%d/download" % item).status == 200
    # Back to the segment, then change the segment's rule.
    settings(manager, item, audience="segments", segments=[platinum])
    assert meridian.get("/collateral/%d" % item).status == 404
    rows(stack, "UPDATE segments SET rule = 'tier = platinum or org = "
        "meridian-shared-services' WHERE id = %d" % platinum)
    try:
        assert meridian.get("/collateral/%d" % item).status == 200
    finally:
        rows(stack, "UPDATE segments SET rule = 'tier = platinum' "
            "WHERE id = %d" % platinum)
    assert meridian.get("/collateral/%d" % item).status == 404


def test_expiry_takes_effect_at_once(stack, manager, kestrel, webserver):
    item = create(manager, "Expiring playbook " + webserver,
        expose_history=True)
    new_version(manager, item, pdf("expiring v2 " + webserver))
    for suffix in ("", "/download", "/history", "/versions/1/download"):
        assert kestrel.get("/collateral/%d%s" % (item, suffix)).status == \
            200, suffix
    settings(manager, item, expires="2000-01-01", expose_history=True)
    missing = kestrel.get("/collateral/999999999")
    for suffix in ("", "/download", "/history", "/versions/1/download"):
        r = kestrel.get("/collateral/%d%s" % (item, suffix))
        assert r.status == 404, suffix
    assert body_without_request_id(kestrel.get("/collateral/%d" % item)) \
        == body_without_request_id(missing)
    it = xml_view(manager, "/collateral/%d" % item).find("item")
    assert it.get("expired") == "yes"
    # Past review: managers see "needs review", partners see it normally.
    settings(manager, item, review="2001-01-01", expose_history=True)
    it = xml_view(manager, "/collateral/%d" % item).find("item")
    assert it.get("needs-review") == "yes"
    assert "Needs review" in text_of(manager.get("/collateral/%d" %
        item).text)


def test_impossible_dates_are_400_and_change_nothing(stack, manager,
    webserver):
    """A date of the right shape that is no day (or one a DATETIME column
    refuses) is the form's error, not a database error and a 500."""
    item = create(manager, "Dated deck " + webserver)
    before = rows(stack, "SELECT CONCAT_WS(' ', audience, "
        "COALESCE(expires_at, '-'), review_at) FROM collateral_items "
        "WHERE id = %d" % item)
    count = rows(stack, "SELECT COUNT(*) FROM collateral_items")
    for bad in ("2026-13-01", "2026-02-30", "2025-02-29", "2026-04-31",
            "0000-00-00", "9999-99-99", "2026-00-10", "0999-01-01"):
        for field in ("expires", "review"):
            form = [("csrf", token(manager, "/collateral/%d" % item)),
                ("audience", "segments"), (field, bad)]
            r = manager.request("POST", "/collateral/%d/settings" % item,
                headers={"Content-Type":
                "application/x-www-form-urlencoded"},
                body=urllib.parse.urlencode(form).encode())
            assert r.status == 400, (field, bad, r.status)
            assert "YYYY-MM-DD" in text_of(r.text)
        fields = [("csrf", token(manager)), ("title", "Never made"),
            ("expires", bad)]
        r = post_multipart(manager, "/library/new", multipart(fields,
            ("file", "never.pdf", pdf("never " + bad + webserver),
            "application/pdf")))
        assert r.status == 400, (bad, r.status)
    assert rows(stack, "SELECT CONCAT_WS(' ', audience, "
        "COALESCE(expires_at, '-'), review_at) FROM collateral_items "
        "WHERE id = %d" % item) == before
    assert rows(stack, "SELECT COUNT(*) FROM collateral_items") == count
    # A leap day is a day.
    settings(manager, item, expires="2028-02-29", review="2000-02-29")


def test_offload_and_internal_location(stack, manager, kestrel, base_url,
    webserver):
    content = pdf("offload " + webserver)
    item = create(manager, "Offloaded deck " + webserver, content)
    sha = hashlib.sha256(content).hexdigest()
    path = os.path.join(stack.collateral_dir, sha[:2], sha[2:4], sha)
    assert os.path.isfile(path)
    assert oct(os.stat(path).st_mode & 0o777) == oct(0o640)
    assert oct(os.stat(os.path.dirname(path)).st_mode & 0o777) == oct(0o750)
    if os.getuid() == 0:
        # The store is setgid www-data: the web server's group reads it.
        import grp
        www = grp.getgrnam("www-data").gr_gid
        assert os.stat(path).st_gid == www
        assert os.stat(os.path.dirname(path)).st_gid == www
    # Through the web server: the bytes, by the hand-off.
    r = kestrel.get("/collateral/%d/download" % item)
    assert r.status == 200 and r.body == content
    # The ETag names the version's bytes, whichever server sent them.
    assert r.header("ETag") == '"%s"' % sha, r.header("ETag")
    before = rows(stack, "SELECT COUNT(*) FROM collateral_downloads WHERE "
        "item_id = %d" % item)
    # Range requests are served by the web server; one that does not
    # start at the first byte is not another download.
    r = kestrel.get("/collateral/%d/download" % item, headers={
        "Range": "bytes=5-14"})
    assert r.status == 206, r.status
    assert r.body == content[5:15]
    # A revalidation is a 304 and no download; nor is a HEAD.
    r = kestrel.get("/collateral/%d/download" % item, headers={
        "If-None-Match": '"%s"' % sha})
    assert r.status == 304
    # Also when the tag comes weak or in a list, as caches send it.
    for inm in ('W/"%s"' % sha, '"0000", "%s"' % sha, '"1",W/"%s"' % sha):
        r = kestrel.get("/collateral/%d/download" % item, headers={
            "If-None-Match": inm})
        assert r.status == 304, (inm, r.status)
    r = kestrel.request("HEAD", "/collateral/%d/download" % item)
    assert r.status == 200, r.status
    assert rows(stack, "SELECT COUNT(*) FROM collateral_downloads WHERE "
        "item_id = %d" % item) == before
    # The internal location (and the store) cannot be reached directly.
    for target in ("/_portico_collateral/%s/%s/%s" % (sha[:2], sha[2:4],
            sha), "/_portico_collateral/", "/collateral/" + sha):
        r = stackmod.http_request(base_url, target, headers={"Cookie":
            kestrel.header()})
        assert r.status in (400, 404), (target, r.status)
        assert content not in r.body


def test_offload_none_streams_from_the_worker(stack, manager_once,
    kestrel_once):
    manager, kestrel = manager_once, kestrel_once
    content = pdf("worker-sent") + os.urandom(3 * 4096 + 17)
    item = create(manager, "Worker-sent deck", content)
    cookie = kestrel.header()
    # From the middle of a page of the file (the worker maps it).
    r = stack.portico.request("GET", "/collateral/%d/download" % item,
        headers={"Cookie": cookie, "Range": "bytes=5000-5009"})
    assert r.status == 206 and r.body == content[5000:5010], r
    r = stack.portico.request("GET", "/collateral/%d/download" % item,
        headers={"Cookie": cookie})
    assert r.status == 200, r
    assert r.body == content
    assert r.header("X-Accel-Redirect") is None
    r = stack.portico.request("GET", "/collateral/%d/download" % item,
        headers={"Cookie": cookie, "Range": "bytes=-10"})
    assert r.status == 206 and r.body == content[-10:]
    assert r.header("Content-Range") == "bytes %d-%d/%d" % (
        len(content) - 10, len(content) - 1, len(content))
    r = stack.portico.request("GET", "/collateral/%d/download" % item,
        headers={"Cookie": cookie, "Range": "bytes=999999-"})
    assert r.status == 416


HOSTILE = [
    b"../../etc/passwd.pdf",
    b"a\\..\\..\\windows\\win.ini.pdf",
    b"a%0D%0AX-Accel-Redirect: /other.pdf",
    b"\"quoted\"; filename=evil.pdf",
    b"%22quoted%22; filename=evil.pdf",     # how browsers send a quote
    b"x" * 500 + b".pdf",
    "Pr\u00e4sentation \u2013 \u00dcberblick \U0001f680.pdf".encode(),
    b"...hidden.pdf",
    b"\xff\xfe.pdf",
]


def test_hostile_filenames_are_neutralised(stack, manager, kestrel,
    webserver):
    for raw in HOSTILE:
        content = pdf("hostile %r %s" % (raw, webserver))
        fields = [("csrf", token(manager)), ("title", "Hostile name"),
            ("audience", "everyone")]
        r = post_multipart(manager, "/library/new", multipart(fields,
            ("file", raw, content, "application/pdf")))
        if r.status == 400:
            # Refused outright, as a malformed part header (a bare quote
            # ends the quoted name) or a name that is not UTF-8: only
            # those, else every hostile name could "pass" this way.
            assert raw in (b"\xff\xfe.pdf",
                b"\"quoted\"; filename=evil.pdf"), (raw,
                text_of(r.text)[:300])
            continue
        assert r.status == 303, (raw, r.status, text_of(r.text)[:300])
        item = int(r.header("Location").rsplit("/", 1)[1])
        d = kestrel.get("/collateral/%d/download" % item)
        assert d.status == 200 and d.body == content, raw
        cd = d.header("Content-Disposition")
        assert cd.startswith("attachment; filename=\""), cd
        ascii_name = cd.split("\"")[1]
        assert "/" not in ascii_name and "\\" not in ascii_name
        assert offload_header(d) is None
        stored = rows(stack, "SELECT filename FROM collateral_versions v "
            "JOIN collateral_items i ON i.current_version_id = v.id "
            "WHERE i.id = %d" % item)
        assert "/" not in stored and "\\" not in stored
        assert not stored.startswith("."), stored
        assert "\r" not in stored and "\n" not in stored
        assert '"' not in stored
        assert len(stored.encode()) <= 200
        assert stored.endswith(".pdf"), stored
    # Raw CR LF or NUL inside the part's header: refused, nothing stored.
    for raw in (b"a\r\nX-Accel-Redirect: /other.pdf", b"a\x00b.pdf"):
        n_rows = rows(stack, "SELECT COUNT(*) FROM collateral_versions")
        files = store_files(stack)
        r = post_multipart(manager, "/library/new", multipart([("csrf",
            token(manager)), ("title", "Raw")], ("file", raw, pdf("raw"),
            "application/pdf")))
        assert r.status == 400, (raw, r.status)
        assert rows(stack, "SELECT COUNT(*) FROM collateral_versions") == \
            n_rows
        assert store_files(stack) == files


def test_content_type_from_the_bytes_not_the_client(stack, manager, kestrel,
    webserver):
    item = create(manager, "PNG " + webserver, b"\x89PNG\r\n\x1a\n" +
        os.urandom(64), filename="logo.png")
    r = kestrel.get("/collateral/%d/download" % item)
    assert r.header("Content-Type") == "image/png"
    item = create(manager, "Notes " + webserver, "h\u00e9llo\n".encode(),
        filename="notes.txt")
    r = kestrel.get("/collateral/%d/download" % item)
    assert r.header("Content-Type").startswith("text/plain")
    # An HTML page called .pdf, or an .html file: refused.
    for fname, content in (("page.pdf", b"<html><script>x</script>"),
            ("page.html", b"<html></html>"), ("deck.pdf", b"PK\3\4zip")):
        n_rows = rows(stack, "SELECT COUNT(*) FROM collateral_versions")
        files = store_files(stack)
        r = post_multipart(manager, "/library/new", multipart([("csrf",
            token(manager)), ("title", "Bad type")], ("file", fname,
            content, "application/pdf")))
        assert r.status == 415, (fname, r.status)
        assert rows(stack, "SELECT COUNT(*) FROM collateral_versions") == \
            n_rows
        assert store_files(stack) == files


def test_oversize_and_truncated_uploads_leave_nothing(stack, manager,
    webserver):
    n_rows = rows(stack, "SELECT COUNT(*) FROM collateral_versions")
    n_items = rows(stack, "SELECT COUNT(*) FROM collateral_items")
    files = store_files(stack)

    # Over [collateral] max_upload (8M in the harness): 413, readable.
    big = b"%PDF-1.4\n" + b"0" * (9 << 20)
    r = post_multipart(manager, "/library/new", multipart([("csrf",
        token(manager)), ("title", "Too big")], ("file", "big.pdf", big,
        "application/pdf")))
    assert r.status == 413, r.status
    assert "larger than" in text_of(r.text)
    # Just over the limit, with a small Content-Length overhead: still 413
    # once the streamed bytes pass it.
    big = b"%PDF-1.4\n" + b"0" * ((8 << 20) + 1)
    r = post_multipart(manager, "/library/new", multipart([("csrf",
        token(manager)), ("title", "Just too big")], ("file", "big.pdf",
        big, "application/pdf")))
    assert r.status == 413, r.status

    # The form stops in the middle of the file (no closing delimiter).
    body = multipart([("csrf", token(manager)), ("title", "Cut")],
        ("file", "cut.pdf", pdf("cut") * 100, "application/pdf"),
        close=False)[:-50]
    r = post_multipart(manager, "/library/new", body)
    assert r.status == 400, r.status
    # A field after the file: refused.
    body = multipart([("csrf", token(manager)), ("title", "Late")],
        ("file", "late.pdf", pdf("late"), "application/pdf"), close=False)
    body += b"--%s\r\nContent-Disposition: form-data; name=\"x\"\r\n\r\n" \
        b"1\r\n--%s--\r\n" % (BOUNDARY.encode(), BOUNDARY.encode())
    r = post_multipart(manager, "/library/new", body)
    assert r.status == 400, r.status

    assert rows(stack, "SELECT COUNT(*) FROM collateral_versions") == n_rows
    assert rows(stack, "SELECT COUNT(*) FROM collateral_items") == n_items
    assert store_files(stack) == files


def test_body_cut_short_leaves_nothing(stack, manager_once):
    """The connection ends before Content-Length (FastCGI directly: the web
    servers would not forward such a request)."""
    manager = manager_once
    n_rows = rows(stack, "SELECT COUNT(*) FROM collateral_versions")
    files = store_files(stack)
    body = multipart([("csrf", token(manager)), ("title", "Short")],
        ("file", "short.pdf", pdf("short") * 200, "application/pdf"))
    r = stack.portico.request("POST", "/library/new", body=body[:4000],
        headers={"Cookie": manager.header()}, params={
        "CONTENT_LENGTH": str(len(body)),
        "CONTENT_TYPE": "multipart/form-data; boundary=" + BOUNDARY})
    assert r.status == 400, r
    assert rows(stack, "SELECT COUNT(*) FROM collateral_versions") == n_rows
    assert store_files(stack) == files


def test_csrf_refused_before_the_file(stack, manager, webserver):
    n_rows = rows(stack, "SELECT COUNT(*) FROM collateral_versions")
    files = store_files(stack)
    for fields in ([("title", "No token")], [("csrf", "forged"),
            ("title", "Forged")]):
        r = post_multipart(manager, "/library/new", multipart(fields,
            ("file", "x.pdf", pdf("csrf"), "application/pdf")))
        assert r.status == 403, r.status
    # The token after the file does not count.
    body = multipart([("title", "Late token")], ("file", "x.pdf",
        pdf("late"), "application/pdf"), close=False)
    body += b"--%s\r\nContent-Disposition: form-data; name=\"csrf\"\r\n" \
        b"\r\n%s\r\n--%s--\r\n" % (BOUNDARY.encode(),
        token(manager).encode(), BOUNDARY.encode())
    r = post_multipart(manager, "/library/new", body)
    assert r.status == 403, r.status
    assert rows(stack, "SELECT COUNT(*) FROM collateral_versions") == n_rows
    assert store_files(stack) == files


def test_partners_cannot_upload(stack, kestrel, manager, webserver):
    item = create(manager, "Not yours " + webserver)
    r = kestrel.get("/library/new")
    assert r.status == 403
    r = post_multipart(kestrel, "/collateral/%d/versions" % item, multipart(
        [("csrf", token(kestrel, "/collateral/%d" % item))], ("file",
        "x.pdf", pdf("partner"), "application/pdf")))
    assert r.status == 403


def test_download_counts_exact_under_concurrency(stack, manager, kestrel,
    base_url, webserver):
    content = pdf("concurrent " + webserver)
    item = create(manager, "Concurrent " + webserver, content)
    cookie = kestrel.header()

    def one(_):
        r = stackmod.http_request(base_url, "/collateral/%d/download" % item,
            headers={"Cookie": cookie})
        return r.status, r.body == content

    n = 40
    with concurrent.futures.ThreadPoolExecutor(max_workers=8) as ex:
        results = list(ex.map(one, range(n)))
    assert results == [(200, True)] * n
    assert rows(stack, "SELECT COUNT(*) FROM collateral_downloads WHERE "
        "item_id = %d" % item) == str(n)
    org = rows(stack, "SELECT COUNT(DISTINCT organisation_id) FROM "
        "collateral_downloads WHERE item_id = %d" % item)
    assert org == "1"


def test_disk_full_is_507_and_leaves_nothing(stack):
    """A store on a 512 KiB tmpfs: a 1 MiB upload fills it.  Needs root
    (mount); FastCGI to a scratch portico configured with that store.  CI
    runs as root, so there it fails rather than skip."""
    if os.getuid() != 0:
        if os.environ.get("CI"):
            pytest.fail("CI must run as root (mount a small tmpfs)")
        pytest.skip("needs root to mount a small tmpfs")
    from authlib import FcgiBrowser, LDAP_USERS
    mnt = os.path.join(stack.base, "fullfs")
    os.makedirs(mnt)
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=512k,mode=2750",
            "tmpfs", mnt]).returncode != 0:
        if os.environ.get("CI"):
            pytest.fail("cannot mount tmpfs")
        pytest.skip("cannot mount tmpfs here")
    p = None
    try:
        conf = stack.scratch_db("coll507")
        stack.write_config(conf, {"server": {"listen": "unix:" +
            os.path.join(stack.base, "coll507.sock")}, "db": {"name":
            "portico_coll507"}, "collateral": {"storage_dir": mnt}})
        stack.ctl("migrate", config=conf)
        stack.ctl("seed-demo", config=conf)
        # The demo library's small files are in the store already.
        n0 = stack.mysql("SELECT COUNT(*) FROM collateral_versions",
            db="portico_coll507").strip()
        files0 = sorted(f for _, _, fs in os.walk(mnt) for f in fs)
        p = stack.spawn_portico(conf)
        b = FcgiBrowser(p)
        r = b.login_ldap("praman", LDAP_USERS["praman"])
        assert r.status == 303, text_of(r.text)
        tok = CSRF_RE.search(b.request("GET", "/library/new").text).group(1)
        body = multipart([("csrf", tok), ("title", "Too big for the disk")],
            ("file", "full.pdf", b"%PDF-1.4\n" + os.urandom(1 << 20),
            "application/pdf"))
        r = p.request("POST", "/library/new", body=body, headers={
            "Cookie": b.header()}, params={"CONTENT_TYPE":
            "multipart/form-data; boundary=" + BOUNDARY})
        assert r.status == 507, r
        assert "file store is full" in text_of(r.text)
        n = stack.mysql("SELECT COUNT(*) FROM collateral_versions",
            db="portico_coll507").strip()
        assert n == n0
        left = sorted(f for _, _, fs in os.walk(mnt) for f in fs)
        assert left == files0, left
    finally:
        if p is not None:
            p.stop(timeout=30)
        subprocess.run(["umount", mnt])


def test_concurrent_versions_get_distinct_numbers(stack, manager,
    webserver):
    item = create(manager, "Racing versions " + webserver)
    tok = token(manager, "/collateral/%d" % item)

    def one(i):
        return post_multipart(manager, "/collateral/%d/versions" % item,
            multipart([("csrf", tok)], ("file", "v.pdf",
            pdf("race %d %s" % (i, webserver)), "application/pdf"))).status

    with concurrent.futures.ThreadPoolExecutor(max_workers=4) as ex:
        assert list(ex.map(one, range(6))) == [303] * 6
    assert rows(stack, "SELECT GROUP_CONCAT(number ORDER BY number) FROM "
        "collateral_versions WHERE item_id = %d" % item) == "1,2,3,4,5,6,7"
    assert rows(stack, "SELECT v.number FROM collateral_items i JOIN "
        "collateral_versions v ON v.id = i.current_version_id WHERE "
        "i.id = %d" % item) == "7"


def test_stale_temporary_files_are_swept(stack, manager, webserver):
    """A worker killed mid-upload leaves its temporary file; the next
    upload removes those older than a day."""
    tmp = os.path.join(stack.collateral_dir, "tmp")
    os.makedirs(tmp, exist_ok=True)
    stale = os.path.join(tmp, "up.stale" + webserver)
    fresh = os.path.join(tmp, "up.fresh" + webserver)
    for path, age in ((stale, 2 * 86400), (fresh, 60)):
        with open(path, "wb") as f:
            f.write(b"partial")
        t = os.path.getmtime(path) - age
        os.utime(path, (t, t))
    try:
        create(manager, "Sweeper " + webserver)
        assert not os.path.exists(stale)
        assert os.path.exists(fresh)
    finally:
        for path in (stale, fresh):
            if os.path.exists(path):
                os.unlink(path)
