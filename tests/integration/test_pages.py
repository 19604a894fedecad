"""The pages, through nginx and through Apache, checked against MariaDB.

Each test runs once per web server (the base_url fixture).  HTML is checked
with lxml: structure, the tiers the database holds, the stylesheet link, no
inline style or script.  The XML view (?format=xml) is compared with a SQL
query of the same database.
"""

import re
import time

import lxml.etree
import lxml.html
import pytest

# libxml2's HTML parser (2.9) predates HTML5 and calls <main>, <nav>,
# <header>, <section>... unknown; that is the only error it may report.
HTML_UNKNOWN_TAG = 801


def parse_html(body):
    """Parses a whole page; fails on any structural error."""
    assert body.lstrip().lower().startswith(b"<!doctype html"), \
        "page does not start with <!DOCTYPE html>: %r" % body[:80]
    parser = lxml.etree.HTMLParser(recover=True)
    doc = lxml.etree.fromstring(body, parser)
    errors = [e for e in parser.error_log if e.type != HTML_UNKNOWN_TAG]
    assert not errors, "HTML structure errors: %s" % [
        "%d:%d %s" % (e.line, e.column, e.message) for e in errors]
    assert doc.tag == "html"
    return doc


def text_of(el):
    return " ".join("".join(el.itertext()).split())


def check_no_inline_code(doc):
    assert not doc.xpath("//script"), "page has <script>"
    assert not doc.xpath("//style"), "page has <style>"
    assert not doc.xpath("//@style"), "page has style attributes"
    handlers = [a for a in doc.xpath("//@*")
        if a.attrname.lower().startswith("on")]
    assert not handlers, "page has event handler attributes: %s" % [
        a.attrname for a in handlers]
    assert not doc.xpath("//@href[starts-with(normalize-space(.), "
        "'javascript:')]"), "page has javascript: links"


def check_error_page(resp, status, fragment=None):
    """A readable HTML error page for status, through the layout."""
    assert resp.status == status, (resp.status, resp.text[:500])
    assert resp.header("Content-Type", "").startswith("text/html"), \
        resp.header("Content-Type")
    doc = parse_html(resp.body)
    check_no_inline_code(doc)
    h1 = doc.xpath("//h1")
    assert h1 and text_of(h1[0]), "error page has no heading"
    assert str(status) in text_of(doc.xpath("//main")[0]), \
        "error page does not show its status"
    lead = doc.xpath("//main//p[contains(concat(' ', @class, ' '), "
        "' lead ')]")
    message = text_of(lead[0]) if lead else ""
    assert len(message.split()) >= 4 and message.endswith("."), \
        "error page has no readable message: %r" % message
    if fragment:
        assert fragment.lower() in message.lower(), (fragment, message)
    assert doc.xpath("//link[@rel='stylesheet']"), "error page has no CSS"
    return doc, message


def check_security_headers(resp):
    csp = resp.header("Content-Security-Policy")
    assert csp, "no Content-Security-Policy"
    assert "frame-ancestors 'none'" in csp, csp
    assert "'unsafe-inline'" not in csp and "'unsafe-eval'" not in csp, csp
    assert resp.header("X-Content-Type-Options") == "nosniff"
    assert resp.header("Referrer-Policy"), "no Referrer-Policy"
    rid = resp.header("X-Request-Id")
    assert rid and re.fullmatch(r"[A-Za-z0-9@_-]{8,32}", rid), rid
    # A header must appear once: two CSPs would be intersected.
    assert len(resp.header_all("Content-Security-Policy")) == 1


def db_tiers(stack):
    rows = stack.mysql("SELECT slug, name FROM program_tiers "
        "ORDER BY position", db="portico").splitlines()
    return [tuple(r.split("\t")) for r in rows]


def db_items(stack):
    rows = stack.mysql("SELECT t.slug, i.kind, i.text FROM program_tiers t "
        "JOIN program_tier_items i ON i.tier_id = t.id "
        "ORDER BY t.position, i.kind, i.position", db="portico").splitlines()
    return [tuple(r.split("\t")) for r in rows]


def test_home_renders_the_tiers_from_the_database(stack, get):
    r = get("/")
    assert r.status == 200, r.text[:1000]
    assert r.header("Content-Type") == "text/html; charset=utf-8"
    doc = parse_html(r.body)
    check_no_inline_code(doc)

    title = doc.findtext(".//title")
    assert title and title.strip(), "page has no title"
    program = stack.mysql("SELECT name FROM program WHERE id = 1",
        db="portico").strip()
    assert program, "the demo data has no program"
    assert program in text_of(doc), "program name %r not on the page" % \
        program
    assert doc.get("lang"), "<html> has no lang"
    assert doc.xpath("//meta[@name='viewport']"), "no viewport meta"
    assert len(doc.xpath("//h1")) == 1, "a page has exactly one <h1>"

    tiers = db_tiers(stack)
    assert len(tiers) >= 3, "demo data should have several tiers: %s" % tiers
    names = [name for _, name in tiers]
    body = text_of(doc.xpath("//main")[0])
    for name in names:
        assert name in body, "tier %r missing from the page" % name
    # Each tier has a heading of its own, in the database's order.
    headings = []
    for h in doc.xpath("//main//*[self::h2 or self::h3 or self::h4]"):
        t = text_of(h)
        if t in names and t not in headings:
            headings.append(t)
    assert headings == names, "tier headings %s, database %s" % (headings,
        names)
    for slug, kind, item in db_items(stack):
        assert " ".join(item.split()) in body, \
            "%s %r of tier %s missing" % (kind, item, slug)

    links = doc.xpath("//link[@rel='stylesheet']/@href")
    assert len(links) == 1 and links[0].startswith("/static/") and \
        links[0].endswith(".css"), links


def test_home_xml_view_matches_the_database(stack, get):
    r = get("/?format=xml")
    assert r.status == 200, r.text[:1000]
    assert r.header("Content-Type").startswith("application/xml")
    root = lxml.etree.fromstring(r.body)
    assert root.tag == "page"
    assert root.get("request-id") == r.header("X-Request-Id")
    tiers = root.findall("./program/tier")
    assert [(t.get("slug"), t.get("name")) for t in tiers] == db_tiers(stack)
    got = []
    for t in tiers:
        for el in t:
            if el.tag in ("benefit", "requirement"):
                got.append((t.get("slug"), el.tag, el.text or ""))
    assert sorted(got) == sorted(db_items(stack))
    check_security_headers(r)


def test_healthz(get):
    r = get("/healthz")
    assert r.status == 200
    assert r.body == b"ok\n"
    assert r.header("Content-Type").startswith("text/plain")
    check_security_headers(r)


def test_404_is_a_rendered_error_page(get):
    r = get("/no/such/page")
    check_error_page(r, 404)
    check_security_headers(r)


@pytest.mark.parametrize("method,path", [("POST", "/"), ("DELETE", "/"),
    ("PUT", "/healthz")])
def test_405_has_allow_and_an_error_page(request_fn, method, path):
    r = request_fn(method, path, body=b"",
        headers={"Content-Type": "application/x-www-form-urlencoded"})
    check_error_page(r, 405)
    allow = [m.strip() for m in r.header("Allow", "").split(",")]
    assert "GET" in allow and "HEAD" in allow, r.header("Allow")
    assert method not in allow
    check_security_headers(r)


@pytest.mark.parametrize("path,status", [("/", 200), ("/healthz", 200),
    ("/?format=xml", 200), ("/nope", 404)])
def test_head_works_wherever_get_does(request_fn, get, path, status):
    g = get(path)
    h = request_fn("HEAD", path)
    assert g.status == status and h.status == status
    assert h.body == b""
    assert h.header("Content-Type") == g.header("Content-Type")
    check_security_headers(h)
    cl = h.header("Content-Length")
    if cl is not None:
        assert int(cl) == len(g.body)


@pytest.mark.parametrize("method,path,headers", [
    ("GET", "/", None),
    ("GET", "/?format=xml", None),
    ("GET", "/healthz", None),
    ("GET", "/nope", None),
    ("POST", "/", {"Content-Type": "application/x-www-form-urlencoded"}),
    ("GET", "/?q=%ZZ", None),
    ("GET", "/?format=pdf", None),
    ("GET", "/", {"Cookie": "a=" + "x" * 8192}),
])
def test_security_headers_on_every_response(request_fn, method, path,
    headers):
    r = request_fn(method, path, headers=headers,
        body=b"" if method == "POST" else None)
    check_security_headers(r)


def wait_for_log(stack, needle, timeout=10.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if needle in stack.portico.log_text():
            return True
        time.sleep(0.05)
    return False


@pytest.mark.parametrize("path", ["/", "/nope"])
def test_request_id_is_logged(stack, get, webserver, path):
    r = get(path)
    rid = r.header("X-Request-Id")
    assert rid
    assert wait_for_log(stack, "rid=%s " % rid), \
        "rid=%s not in portico.log" % rid
    # The id is the web server's own (nginx $request_id, Apache
    # mod_unique_id), so the logs join; a second request gets another.
    assert get(path).header("X-Request-Id") != rid
    if webserver == "nginx":
        assert re.fullmatch(r"[0-9a-f]{32}", rid), rid
        access = stack.base + "/nginx/access.log"
    else:
        assert re.fullmatch(r"[A-Za-z0-9@_-]{20,32}", rid), rid
        access = stack.base + "/apache/logs/portico-access.log"
    deadline = time.monotonic() + 5
    while rid not in open(access).read():
        assert time.monotonic() < deadline, \
            "rid %s not in the web server's access log" % rid
        time.sleep(0.05)


def test_static_css_is_served_by_the_web_server(stack, get):
    page = parse_html(get("/").body)
    href = page.xpath("//link[@rel='stylesheet']/@href")[0]
    marker = "/nope-%d" % time.monotonic_ns()
    before = len(stack.portico.log_text())
    r = get(href)
    assert r.status == 200, (href, r.status)
    assert r.header("Content-Type", "").startswith("text/css")
    assert len(r.body) > 100, "stylesheet is nearly empty"
    assert "max-age" in r.header("Cache-Control", "")
    assert r.header("X-Content-Type-Options") == "nosniff"
    # Portico stamps every response with X-Request-Id; nginx and Apache
    # do not for static files.
    assert r.header("X-Request-Id") is None
    # A later request that does reach portico shows the log is live, so
    # the stylesheet's absence from it means something.
    get(marker)
    assert wait_for_log(stack, marker)
    assert href not in stack.portico.log_text()[before:], \
        "the stylesheet request reached portico"
    # The shipped CSS is exactly what is served.
    with open(stack.src_dir + href, "rb") as f:
        assert f.read() == r.body


def test_missing_static_file_is_404_from_the_web_server(stack, get):
    before = len(stack.portico.log_text())
    r = get("/static/no-such-file.css")
    assert r.status == 404
    assert r.header("X-Request-Id") is None
    assert "no-such-file" not in stack.portico.log_text()[before:]
