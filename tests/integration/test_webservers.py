"""The same binary serves identical pages behind nginx and Apache.

For every route that `porticoctl routes` lists, the same request is sent
through both web servers and the answers are compared: status, body (after
normalising the request id, which each web server makes itself, and the
host:port, which differs by construction) and the headers portico sets.
"""

import re

import pytest

import stack as stackmod

METHODS = ("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS")
# Headers that portico sets and that must survive both web servers as is.
COMPARED_HEADERS = ("Content-Type", "Content-Security-Policy",
    "X-Content-Type-Options", "X-Frame-Options", "Referrer-Policy",
    "Cache-Control", "Allow", "Location")


def routes(stack):
    """[(path, {methods})] parsed from `porticoctl routes`.

    Each route is a line holding its path (a token starting with '/') and
    its methods (upper-case names); other columns are ignored.
    """
    out = stack.ctl("routes").stdout
    found = []
    for line in out.splitlines():
        paths = [t for t in line.split() if t.startswith("/")]
        methods = set(re.findall(r"\b(%s)\b" % "|".join(METHODS), line))
        if paths and methods:
            found.append((paths[0], methods))
    return found


def concrete(path):
    """A requestable path for a route pattern: {name} becomes 1."""
    return re.sub(r"\{[^}/]+\}", "1", path)


def normalise(stack, resp):
    body = resp.body
    rid = resp.header("X-Request-Id")
    if rid:
        body = body.replace(rid.encode(), b"{request-id}")
    for port in (stack.nginx_port, stack.apache_port):
        body = body.replace(b"127.0.0.1:%d" % port, b"{host}")
    headers = {h: resp.header(h) for h in COMPARED_HEADERS}
    # A sign-in with OpenID Connect (/login/oidc) redirects with values
    # drawn at random for each request: compare the rest of the address.
    if headers["Location"]:
        headers["Location"] = re.sub(r"\b(state|nonce|code_challenge)=[^&]*",
            r"\1={random}", headers["Location"])
    return resp.status, headers, body


# One browser token for both requests, so that the form token derived from
# it (fcgi/session.c) is the same on both sides: whatever differs is then a
# real difference between the web servers.
BROWSER = "B" * 43
COOKIE = "__Host-portico-b=%s; portico-b=%s" % (BROWSER, BROWSER)


def both(stack, method, target, **kw):
    headers = dict(kw.pop("headers", None) or {})
    headers.setdefault("Cookie", COOKIE)
    kw["headers"] = headers
    a = stackmod.http_request(stack.nginx_url, target, method=method, **kw)
    b = stackmod.http_request(stack.apache_url, target, method=method, **kw)
    return a, b


def assert_identical(stack, method, target, **kw):
    a, b = both(stack, method, target, **kw)
    na, nb = normalise(stack, a), normalise(stack, b)
    assert na[0] == nb[0], "%s %s: nginx %d, apache %d" % (method, target,
        na[0], nb[0])
    assert na[1] == nb[1], "%s %s: headers differ:\nnginx  %s\napache %s" % (
        method, target, na[1], nb[1])
    assert na[2] == nb[2], "%s %s: bodies differ:\nnginx:\n%s\napache:\n%s" % (
        method, target, na[2][:3000].decode("utf-8", "replace"),
        nb[2][:3000].decode("utf-8", "replace"))
    # The request id exists on both and differs (each server made its own).
    assert a.header("X-Request-Id") and b.header("X-Request-Id")
    return a, b


def test_routes_are_listed(stack):
    found = routes(stack)
    paths = [p for p, _ in found]
    assert "/" in paths and "/healthz" in paths, stack.ctl("routes").stdout


def test_every_route_is_identical_through_nginx_and_apache(stack):
    checked = 0
    for path, methods in routes(stack):
        target = concrete(path)
        if "GET" in methods:
            a, _ = assert_identical(stack, "GET", target)
            assert_identical(stack, "HEAD", target)
            if a.status == 200 and a.header("Content-Type", "").startswith(
                    "text/html"):
                # The debug XML view (debug_xml = yes in the harness).
                assert_identical(stack, "GET", target + "?format=xml")
            checked += 1
        for m in sorted(methods - {"GET", "HEAD"}):
            assert_identical(stack, m, target, body=b"",
                headers={"Content-Type": "application/x-www-form-urlencoded"})
            checked += 1
        # A method the route does not take: 405 with Allow on both.
        other = next(m for m in ("DELETE", "PATCH", "PUT") if m not in
            methods)
        a, _ = assert_identical(stack, other, target, body=b"")
        assert a.status == 405
    assert checked >= 2


@pytest.mark.parametrize("method,target,headers,body", [
    ("GET", "/no/such/page", None, None),
    ("GET", "/?q=%ZZ", None, None),
    ("GET", "/?q=" + "q" * 9000, None, None),
    ("GET", "/", {"Cookie": "a=" + "c" * 5000}, None),
    ("GET", "/", {"Content-Type": "application/x-www-form-urlencoded"},
        b"a=%FF"),
    ("GET", "/?format=nope", None, None),
    ("GET", "/?utm_source=mail&utm_campaign=q3", None, None),
])
def test_errors_and_edge_cases_are_identical(stack, method, target, headers,
    body):
    assert_identical(stack, method, target, headers=headers, body=body)


def test_path_parameters_and_encoded_paths_are_identical(stack):
    # Percent-encoded (valid) characters in the path reach portico the
    # same way through both servers.
    for target in ("/caf%C3%A9", "/a%20b", "/healthz/", "//healthz"):
        assert_identical(stack, "GET", target)
