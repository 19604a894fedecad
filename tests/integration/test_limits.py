"""Hard input limits and malformed input, through nginx and through Apache.

Each case must come back from portico itself (the shipped web-server
configurations keep their own limits a little above portico's, so that the
partner sees portico's readable page, with the security headers, rather
than a bare web-server error), and the server must still be healthy
afterwards.  The numbers come from stack.limits, which the harness writes
into portico.conf ([limits], the documented defaults).
"""

import pytest

from test_pages import check_error_page, check_security_headers

FORM = "application/x-www-form-urlencoded"


@pytest.fixture
def healthy_after(stack, get):
    """Checks, after the test, that the stack still serves and no worker
    died."""
    workers = stack.worker_pids()
    yield
    r = get("/healthz")
    assert r.status == 200, "not healthy after the test: %d" % r.status
    assert get("/").status == 200
    assert stack.portico.alive()
    assert stack.worker_pids() == workers, "a worker died or was replaced"


def test_body_over_body_max_is_413(stack, request_fn, healthy_after):
    n = stack.limits["body_max"] + 1
    r = request_fn("GET", "/", body=b"a=" + b"x" * (n - 2),
        headers={"Content-Type": FORM})
    check_error_page(r, 413, "larger than")
    check_security_headers(r)


def test_body_at_body_max_is_accepted(stack, request_fn, healthy_after):
    n = stack.limits["body_max"]
    r = request_fn("GET", "/", body=b"a=" + b"x" * (n - 2),
        headers={"Content-Type": FORM})
    assert r.status == 200, r.text[:500]


def test_big_header_is_431(stack, get, healthy_after):
    # Two big headers, each within the web servers' line limit (16000
    # bytes in the shipped configurations), together over headers_max.
    each = stack.limits["headers_max"] // 2 + 100
    r = get("/", headers={"X-Filler": "x" * each, "X-Filler-Too": "y" * each})
    check_error_page(r, 431, "headers")
    check_security_headers(r)


def test_header_line_over_web_server_limit_is_refused(get, healthy_after):
    # Longer than one header line may be: the web server refuses it (400
    # from nginx; Apache too, instead of mod_proxy_fcgi dropping the header
    # silently).  It must never be served as if the header were absent.
    r = get("/", headers={"X-Filler": "x" * 20000})
    assert r.status in (400, 431), (r.status, r.text[:300])


def test_headers_adding_up_over_headers_max_are_431(stack, get,
    healthy_after):
    each = 2000
    n = stack.limits["headers_max"] // each + 1
    hdrs = {"X-Filler-%d" % i: "y" * each for i in range(n)}
    r = get("/", headers=hdrs)
    check_error_page(r, 431, "headers")


def test_big_cookie_is_431(stack, get, healthy_after):
    r = get("/", headers={"Cookie": "session=" + "c" *
        stack.limits["cookie_max"]})
    check_error_page(r, 431, "cookies")
    check_security_headers(r)


def test_long_query_is_414(stack, get, healthy_after):
    r = get("/?q=" + "q" * stack.limits["query_max"])
    check_error_page(r, 414, "longer than")
    check_security_headers(r)


def test_too_many_query_fields_is_400(stack, get, healthy_after):
    q = "&".join("f%d=1" % i for i in range(stack.limits["fields_max"] + 1))
    r = get("/?" + q)
    check_error_page(r, 400, "parameters")


@pytest.mark.parametrize("query", [
    "q=%ZZ",            # not hex
    "q=%4",             # truncated escape
    "q=abc%",           # lone percent
    "q=%00",            # NUL
    "q=%FF",            # invalid UTF-8 byte
    "q=%C0%AF",         # overlong encoding of '/'
    "q=%ED%A0%80",      # UTF-16 surrogate
    "q=%E2%82",         # truncated sequence
])
def test_malformed_query_is_400(get, query, healthy_after):
    r = get("/?" + query)
    check_error_page(r, 400, "malformed")
    check_security_headers(r)


@pytest.mark.parametrize("body", [b"a=%ZZ", b"a=%FF%FE", b"a=%C3%28"])
def test_malformed_body_is_400(request_fn, body, healthy_after):
    r = request_fn("GET", "/", body=body, headers={"Content-Type": FORM})
    check_error_page(r, 400, "malformed")


def test_cookie_with_a_control_character_is_400(get, healthy_after):
    # A TAB inside a value passes both web servers and reaches portico.
    r = get("/", headers={"Cookie": b"a=ok; b=x\ty"})
    check_error_page(r, 400, "cookie")
    check_security_headers(r)


@pytest.mark.parametrize("cookie", [b"a=b\x01c", b"a=b\x7fc"])
def test_cookie_with_other_control_characters_is_refused(get, cookie,
    healthy_after):
    # Apache refuses these itself (HttpProtocolOptions Strict); nginx
    # passes them on and portico answers 400.
    assert get("/", headers={"Cookie": cookie}).status == 400


@pytest.mark.parametrize("cookie", [
    b"a=\xff\xfe",          # invalid UTF-8
    b"a=ok; b=\xc3\x28",    # invalid UTF-8 in a later pair
    b"=nameless",           # empty name
    b"na me=1; n\xc3\xa9=2",  # names we could never have set
])
def test_foreign_malformed_cookies_are_skipped(get, cookie, healthy_after):
    # Other applications on the domain may set cookies Portico could not
    # have set; skipping them (not refusing the request) keeps them from
    # locking partners out (fcgi/request.c, pt_parse_cookies).
    r = get("/", headers={"Cookie": cookie})
    assert r.status == 200, (r.status, r.text[:300])


def test_good_input_of_every_kind_is_accepted(get, request_fn,
    healthy_after):
    # The other side of the limits: well-formed UTF-8 everywhere is fine.
    r = request_fn("GET", "/?q=caf%C3%A9+%E2%82%AC&utm_source=mail",
        body="name=Jos%C3%A9&x=%E6%97%A5".encode(),
        headers={"Content-Type": FORM,
            "Cookie": "theme=dark; lang=\"fr\"; other_app=%7B%7D"})
    assert r.status == 200, r.text[:500]
