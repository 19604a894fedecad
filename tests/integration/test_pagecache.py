"""The page cache (fcgi/pagecache.c): anonymous GETs of PT_CACHE routes are
served again for [server] page_cache_ttl seconds, per worker, and only what
is the same for every visitor is cached.

Each test but the last runs its own portico with ONE worker (so that "the
next request" lands on the worker that cached) on a scratch database, and
changes the program's tagline behind its back to see which answer it gets.
The last goes through nginx and Apache to the shared stack.
"""

import time

import pytest



def tagline_set(stack, conf_db, text):
    stack.mysql("UPDATE program SET tagline = '%s' WHERE id = 1" % text,
                db=conf_db)


@pytest.fixture
def cached(stack, scratch_portico):
    p = scratch_portico("pagecache", workers=1, page_cache_ttl=2)
    return p, "portico_pagecache"


def test_anonymous_page_is_reused_within_the_ttl(stack, cached):
    p, db = cached
    tagline_set(stack, db, "Before the change")
    first = p.request("GET", "/")
    assert first.status == 200 and b"Before the change" in first.body
    tagline_set(stack, db, "After the change")
    again = p.request("GET", "/")
    assert again.status == 200
    assert again.body == first.body, "served from the cache within the TTL"
    # Per-request headers are fresh even when the body is reused.
    assert again.header("X-Request-Id") != first.header("X-Request-Id")
    assert again.header("Content-Type") == first.header("Content-Type")
    assert again.header("Content-Security-Policy")
    time.sleep(2.2)
    later = p.request("GET", "/")
    assert b"After the change" in later.body, "fresh after the TTL"


def test_xml_view_and_other_query_strings_are_not_mixed_up(stack, cached):
    p, db = cached
    html = p.request("GET", "/")
    xml = p.request("GET", "/?format=xml")
    assert xml.header("Content-Type").startswith("application/xml")
    assert html.header("Content-Type").startswith("text/html")
    # The XML view carries the request id: never served from the cache.
    xml2 = p.request("GET", "/?format=xml")
    rid = xml2.header("X-Request-Id")
    assert rid.encode() in xml2.body


def test_browsers_with_a_token_are_not_served_or_stored(stack, cached):
    p, db = cached
    tagline_set(stack, db, "Version one")
    cookie = {"Cookie": "__Host-portico-b=%s; portico-b=%s" % ("C" * 43,
                                                                "C" * 43)}
    a = p.request("GET", "/", headers=cookie)
    assert b"Version one" in a.body
    tagline_set(stack, db, "Version two")
    b = p.request("GET", "/", headers=cookie)
    assert b"Version two" in b.body, "a browser token bypasses the cache"


def test_ttl_zero_disables_the_cache(stack, scratch_portico):
    p = scratch_portico("nocache", workers=1, page_cache_ttl=0)
    tagline_set(stack, "portico_nocache", "First")
    assert b"First" in p.request("GET", "/").body
    tagline_set(stack, "portico_nocache", "Second")
    assert b"Second" in p.request("GET", "/").body


def test_signed_in_and_anonymous_pages_stay_apart(stack, base_url):
    """Through nginx and Apache, on the shared stack's workers (default
    page_cache_ttl): a page cached for anonymous visitors is never served
    to a signed-in user, and what a signed-in user saw is never cached for
    anonymous visitors."""
    from authlib import Browser, clear_throttle, logged_in

    anon = Browser(base_url)
    for _ in range(4):          # prime the cache on every worker
        r = anon.get("/")
        assert r.status == 200
        assert "Sign out" not in r.text and "Jack Whitfield" not in r.text
    clear_throttle(stack)
    jack = logged_in(stack, base_url, "jwhitfield")
    # Without the browser token the login form left, only the session
    # keeps the signed-in request out of the cache.
    jack.cookies = {k: v for k, v in jack.cookies.items()
                    if not k.endswith("portico-b")}
    assert jack.session_cookie()
    for _ in range(4):
        r = jack.get("/")
        assert r.status == 200 and "Jack Whitfield" in r.text, \
            "a signed-in user got the anonymous visitors' cached page"
    for _ in range(4):
        r = Browser(base_url).get("/")
        assert r.status == 200 and "Jack Whitfield" not in r.text, \
            "an anonymous visitor got a signed-in user's page"
