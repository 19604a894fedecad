"""The demo data's collateral library (sql/demo/collateral/, loaded by
`porticoctl seed-demo` through modules/collateral/demo.c).

On a fresh database: the library is what the README promises (eleven
items owned by Priya Raman, a deck with three versions and its history
exposed, a price list for platinum partners, a playbook for APAC, one item
past review, one expired), every version's file is in the store under its
SHA-256, and seeding twice changes nothing (rows and store).  Without a
writable store, seed-demo says so, loads everything else and no library.

On the suite's stack, through nginx and Apache: Jack Whitfield (Kestrel
Cloud, platinum, APAC) and Daniel Tan (Meridian, registered, APAC) each see
the library their segments allow; the price list answers Daniel exactly as
a missing item; the files download through the web server's offload, byte
for byte.
"""

import hashlib
import os
import re
import shutil
import time

import lxml.html
import pytest

from authlib import body_without_request_id, logged_in, text_of, xml_view

DB = "portico_colldemo"
FILES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..",
    "sql", "demo", "collateral")

DECK = "Ledgerflow partner overview deck"
PRICES = "Platinum partner price list 2027"
PLAYBOOK = "APAC managed services playbook"
OVERDUE = "Case study: Harborline Distribution closes in 3 days"
EXPIRED = "Spring 2025 promotion price sheet"
EVERYONE = {DECK, "Ledgerflow 7.2 datasheet", "Ledgerflow 7.2 Datenblatt",
    "Reconcile Engine datasheet", "Ledgerflow reference architecture diagram",
    "Ledgerflow 7.2 partner FAQ (Japanese)", "Continuous close whitepaper",
    OVERDUE}
ALL = EVERYONE | {PRICES, PLAYBOOK, EXPIRED}

# Every table the library's demo file writes, with an order for a dump.
TABLES = [("collateral_items", "id"), ("collateral_versions", "id"),
    ("collateral_tags", "item_id, tag"), ("segments", "id"),
    ("collateral_targets", "item_id, segment_id"),
    ("collateral_downloads", "id"), ("collateral_feedback", "item_id, user_id")]


def q(stack, sql, db=DB):
    return [ln.split("\t") for ln in stack.mysql(sql, db=db).splitlines()
        if ln]


def store_files(stack):
    out = {}
    for root, _, files in os.walk(stack.collateral_dir):
        if os.path.basename(root) == "tmp":
            continue
        for f in files:
            out[f] = os.stat(os.path.join(root, f)).st_mtime_ns
    return out


@pytest.fixture(scope="module")
def seeded(stack):
    conf = stack.scratch_db("colldemo")
    stack.ctl("migrate", config=conf)
    r = stack.ctl("seed-demo", config=conf)
    assert "items.sql: ok" in r.stderr, r.stderr
    return conf


def test_library_is_as_promised(stack, seeded):
    items = {r[0]: r[1:] for r in q(stack, "SELECT i.title, u.login, "
        "i.audience, i.review_at < NOW(), i.expires_at IS NOT NULL AND "
        "i.expires_at < NOW(), i.expose_history, v.number FROM "
        "collateral_items i JOIN users u ON u.id = i.owner_id JOIN "
        "collateral_versions v ON v.id = i.current_version_id")}
    assert set(items) == ALL
    assert {r[0] for r in items.values()} == {"praman"}
    assert items[DECK][1:] == ["everyone", "0", "0", "1", "3"]
    assert items[PRICES][1:4] == ["segments", "0", "0"]
    assert items[PLAYBOOK][1:4] == ["segments", "0", "0"]
    assert items[OVERDUE][1:4] == ["everyone", "1", "0"]
    assert items[EXPIRED][1:4] == ["everyone", "1", "1"]
    assert sorted(t for t, r in items.items() if r[2] == "1") == sorted(
        [OVERDUE, EXPIRED])
    assert q(stack, "SELECT i.title, s.name, s.rule FROM collateral_targets "
        "t JOIN collateral_items i ON i.id = t.item_id JOIN segments s ON "
        "s.id = t.segment_id ORDER BY i.title") == [
        [PLAYBOOK, "APAC partners", "region = APAC"],
        [PRICES, "Platinum partners", "tier = platinum"]]
    langs = {r[0] for r in q(stack, "SELECT DISTINCT language FROM "
        "collateral_items")}
    assert {"en", "de", "ja"} <= langs
    # Each version is a file of sql/demo/collateral, in the store under
    # its SHA-256, with the type the upload path would have given it.
    versions = q(stack, "SELECT filename, sha256, size, content_type FROM "
        "collateral_versions")
    assert len(versions) == 13
    for name, sha, size, ctype in versions:
        data = open(os.path.join(FILES, name), "rb").read()
        assert hashlib.sha256(data).hexdigest() == sha, name
        assert int(size) == len(data), name
        stored = os.path.join(stack.collateral_dir, sha[:2], sha[2:4], sha)
        assert open(stored, "rb").read() == data, name
        assert ctype == {"pdf": "application/pdf", "png": "image/png",
            "txt": "text/plain; charset=utf-8"}[name.rsplit(".", 1)[1]]


def test_seed_demo_twice_changes_nothing(stack, seeded):
    def dump():
        return {t: stack.mysql("SELECT * FROM %s ORDER BY %s" % (t, order),
            db=DB) for t, order in TABLES}
    first, files = dump(), store_files(stack)
    assert all(first[t].strip() for t, _ in TABLES)
    r = stack.ctl("seed-demo", config=seeded)
    assert "already in the store" in r.stderr and "(stored)" not in \
        r.stderr, r.stderr
    second = dump()
    assert [t for t, _ in TABLES if first[t] != second[t]] == []
    assert store_files(stack) == files


def test_seed_demo_without_a_writable_store(stack):
    """storage_dir below a regular file: not writable, even for root."""
    blocker = os.path.join(stack.base, "not-a-directory")
    open(blocker, "w").close()
    conf = stack.scratch_db("colldemo_nostore")
    stack.write_config(conf, {"server": {"listen": "unix:" +
        os.path.join(stack.base, "colldemo_nostore.sock")}, "db": {"name":
        "portico_colldemo_nostore"}, "collateral": {"storage_dir":
        os.path.join(blocker, "collateral")}})
    stack.ctl("migrate", config=conf)
    r = stack.ctl("seed-demo", config=conf)
    assert r.returncode == 0
    assert "the demo library is NOT loaded" in r.stderr, r.stderr
    assert "WITHOUT the collateral library" in r.stderr
    db = "portico_colldemo_nostore"
    assert q(stack, "SELECT COUNT(*) FROM collateral_items", db) == [["0"]]
    assert q(stack, "SELECT COUNT(*) FROM collateral_versions", db) == [
        ["0"]]
    assert int(q(stack, "SELECT COUNT(*) FROM organisations", db)[0][0]) > 10
    assert int(q(stack, "SELECT COUNT(*) FROM posts", db)[0][0]) > 10


# -- on the suite's stack, through nginx and Apache


def demo_ids(stack):
    return {r[1]: int(r[0]) for r in q(stack, "SELECT id, title FROM "
        "collateral_items WHERE owner_id = (SELECT id FROM users WHERE "
        "source = 'ldap' AND login = 'praman')", db="portico")
        if r[1] in ALL}


def library(b):
    """Every item of b's library (following "Older items"): title -> item."""
    out, after = {}, ""
    while True:
        page = xml_view(b, "/library" + ("?after=" + after if after else ""))
        lib = page.find("library")
        for i in lib.iter("item"):
            out[i.get("title")] = i
        after = lib.get("next")
        if not after:
            return out


def test_who_sees_what(stack, base_url, webserver):
    jack = logged_in(stack, base_url, "jwhitfield")
    daniel = logged_in(stack, base_url, "dtan")
    priya = logged_in(stack, base_url, "praman")
    lina = logged_in(stack, base_url, "lchen")
    assert set(library(jack)) & ALL == EVERYONE | {PRICES, PLAYBOOK}
    assert set(library(daniel)) & ALL == EVERYONE | {PLAYBOOK}
    mine = library(priya)
    assert set(mine) & ALL == ALL
    assert mine[EXPIRED].get("expired") == "yes"
    assert mine[OVERDUE].get("needs-review") == "yes"
    # Partners are not told that an item needs review.
    assert library(jack)[OVERDUE].get("needs-review") is None
    # Lina downloaded version 2 of the deck: version 3 is out.
    ids = demo_ids(stack)
    notes = {int(n.get("id")): n for n in xml_view(lina, "/library")
        .iter("new-version")}
    assert notes[ids[DECK]].get("downloaded") == "2"
    assert "you downloaded is available" in text_of(lina.get("/library").text)
    # The deck's history is open to partners.
    r = daniel.get("/collateral/%d/history" % ids[DECK])
    assert r.status == 200
    assert "ledgerflow-overview-v1.pdf" in r.text


def test_price_list_is_missing_for_meridian(stack, base_url, webserver):
    daniel = logged_in(stack, base_url, "dtan")
    jack = logged_in(stack, base_url, "jwhitfield")
    ids = demo_ids(stack)
    for suffix in ("", "/history", "/download", "/versions/1/download"):
        r = daniel.get("/collateral/%d%s" % (ids[PRICES], suffix))
        missing = daniel.get("/collateral/999999999%s" % suffix)
        assert r.status == missing.status == 404, suffix
        assert body_without_request_id(r) == \
            body_without_request_id(missing), suffix
        # The expired item is gone for partners, entitled or not.
        r = jack.get("/collateral/%d%s" % (ids[EXPIRED], suffix))
        missing = jack.get("/collateral/999999999%s" % suffix)
        assert r.status == missing.status == 404, suffix
        assert body_without_request_id(r) == \
            body_without_request_id(missing), suffix
    assert jack.get("/collateral/%d" % ids[PRICES]).status == 200


def test_demo_files_download_through_the_web_server(stack, base_url,
    webserver):
    jack = logged_in(stack, base_url, "jwhitfield")
    ids = demo_ids(stack)
    rows = q(stack, "SELECT i.title, v.filename, v.sha256 FROM "
        "collateral_items i JOIN collateral_versions v ON v.id = "
        "i.current_version_id", db="portico")
    seen, paths = 0, []
    for title, name, sha in rows:
        if title not in ALL or title == EXPIRED:
            continue
        r = jack.get("/collateral/%d/download" % ids[title])
        assert r.status == 200, (title, r.status)
        assert r.body == open(os.path.join(FILES, name), "rb").read(), title
        assert r.header("ETag") == '"%s"' % sha
        # Offloaded: the web server sent the file, not the worker.
        assert r.header("X-Accel-Redirect") is None
        assert r.header("X-Sendfile") is None
        paths.append("/collateral/%d/download" % ids[title])
        seen += 1
    assert seen == 10
    # The worker wrote no body for any of them (access log: "GET path
    # status bytes"); the web server's response carries no request id.
    deadline = time.monotonic() + 5
    while True:
        log = stack.portico.log_text()
        sent = {p: re.findall(r" GET %s 200 (\d+) " % re.escape(p), log)
            for p in paths}
        if all(sent.values()) or time.monotonic() > deadline:
            break
        time.sleep(0.1)
    assert all(n and set(n) == {"0"} for n in sent.values()), sent
    # An earlier version of the deck, from its history.
    r = jack.get("/collateral/%d/versions/1/download" % ids[DECK])
    assert r.status == 200
    assert r.body == open(os.path.join(FILES, "ledgerflow-overview-v1.pdf"),
        "rb").read()
    assert "ledgerflow-overview-v1.pdf" in r.header("Content-Disposition")


def test_seed_demo_fails_loudly_without_a_demo_file(stack, tmp_path):
    """A demo file that is not there (not installed, say) stops the load
    instead of leaving an item without its version."""
    src = os.path.join(os.path.dirname(FILES), "..")
    sql = tmp_path / "sql"
    shutil.copytree(src, sql)
    os.unlink(sql / "demo" / "collateral" / "ledgerflow-architecture.png")
    conf = stack.scratch_db("colldemo_nofile", sql_dir=str(sql))
    stack.ctl("migrate", config=conf)
    r = stack.ctl("seed-demo", config=conf, check=False)
    assert r.returncode == 1, r.stderr
    assert "items.sql" in r.stderr and "collateral library" in r.stderr
    assert q(stack, "SELECT COUNT(*) FROM collateral_items",
        "portico_colldemo_nofile") == [["0"]]


def test_pages_are_labelled_and_styled(stack, base_url, webserver):
    """The library's pages with the demo data: one h1, headings in order,
    a label for every field, the house classes (no bare controls)."""
    ids = demo_ids(stack)
    pages = {"jwhitfield": ["/library", "/collateral/%d" % ids[DECK],
        "/collateral/%d/history" % ids[DECK]],
        "praman": ["/library", "/library?as=kestrel-cloud", "/library/new",
        "/segments", "/collateral/%d" % ids[PRICES],
        "/collateral/%d/history" % ids[DECK]]}
    for login, paths in pages.items():
        b = logged_in(stack, base_url, login)
        for path in paths:
            r = b.get(path)
            assert r.status == 200, (path, r.status)
            doc = lxml.html.fromstring(r.text)
            main = doc.find(".//main") if doc.find(".//main") is not None \
                else doc
            assert len(doc.findall(".//h1")) == 1, path
            levels = [int(h.tag[1]) for h in main.iter("h1", "h2", "h3",
                "h4")]
            assert all(b - a <= 1 for a, b in zip(levels, levels[1:])), \
                (path, levels)
            for el in main.iter("input", "select", "textarea"):
                if el.get("type") == "hidden":
                    continue
                eid = el.get("id")
                assert eid and doc.xpath("//label[@for=$i]", i=eid), \
                    (path, lxml.html.tostring(el)[:200])
                if el.get("type") not in ("radio", "checkbox"):
                    assert "input" in el.get("class", "").split(), \
                        (path, eid)
            for btn in main.iter("button"):
                assert "button" in btn.get("class", "").split(), path
            assert 'style="' not in r.text, path
