"""Signing in with a directory password, signing out, sessions, CSRF and
the return path, through nginx AND Apache (every test that takes base_url
runs once per web server) against the harness's real slapd.

The directory is tests/fixtures/ldap (users and passwords in its README).
Failed sign-ins are counted per account by the throttle, so every test
starts with the counters cleared; the throttle itself is tested in
test_auth_throttle.py.
"""

import os
import re
import signal
import time
import urllib.parse

import lxml.html
import pytest

import authlib
from authlib import Browser, logged_in, text_of

BAD = "The login or password is not correct."


@pytest.fixture(autouse=True)
def _fresh_throttle(stack):
    authlib.clear_throttle(stack)
    yield


def user_id(stack, login, source="ldap"):
    out = stack.mysql("SELECT id FROM users WHERE login = '%s' AND "
        "source = '%s'" % (login.replace("'", "''"), source), db="portico")
    return int(out.strip()) if out.strip() else None


def open_sessions(stack, uid):
    return int(stack.mysql("SELECT COUNT(*) FROM sessions WHERE user_id = %d "
        "AND ended_at IS NULL" % uid, db="portico").strip())


def signed_in_as(browser):
    """The login of the signed-in user per /account, or None (anonymous)."""
    r = browser.get("/account")
    if r.status == 303:
        assert r.header("Location").startswith("/login?next=")
        return None
    assert r.status == 200, r.status
    x = authlib.xml_view(browser, "/account")
    return x.find("account/user").get("login")


# ---------------------------------------------------------------- the page

def test_login_page_offers_the_configured_methods(base_url):
    b = Browser(base_url)
    r = b.get("/login?next=/account")
    assert r.status == 200
    # The page shows a form to an anonymous browser: it now has a browser
    # token (and so a form token), set as a cookie portico could not be
    # made to accept from elsewhere.
    assert "portico-b" in b.cookies
    line = [l for l in b.set_cookie_lines if l.startswith("portico-b=")][0]
    assert "HttpOnly" in line and "SameSite=Lax" in line and "Path=/" in line
    doc = lxml.html.fromstring(r.text)
    form = doc.xpath('//form[@action="/login"]')[0]
    assert form.get("method") == "post"
    names = form.xpath(".//input/@name")
    assert names[0] == "csrf" and "login" in names and "password" in names
    assert form.xpath('.//input[@name="next"]/@value') == ["/account"]
    for field, auto in (("login", "username"),
            ("password", "current-password")):
        inp = form.xpath('.//input[@name="%s"]' % field)[0]
        assert inp.get("autocomplete") == auto
        assert doc.xpath('//label[@for="%s"]' % inp.get("id"))
    assert inp.get("type") == "password"
    hrefs = doc.xpath("//a/@href")
    assert "/login/oidc?next=/account" in hrefs
    assert "/login/sso?next=/account" in hrefs
    assert "Sign in with your company account" in text_of(r.text)
    assert not doc.xpath("//script") and "style=" not in r.text
    assert len(doc.xpath("//h1")) == 1
    # No "Sign in" button leading to the page itself.
    assert not doc.xpath('//a[@href="/login"]')


def test_login_page_drops_a_next_that_is_not_local(base_url):
    b = Browser(base_url)
    r = b.get("/login?next=//evil.example/x")
    assert r.status == 200
    doc = lxml.html.fromstring(r.text)
    assert not doc.xpath('//input[@name="next"]')
    assert "evil" not in r.text


# ------------------------------------------------------------ signing in

def test_ldap_sign_in_creates_the_user_and_a_session(stack, base_url):
    b = Browser(base_url)
    r = b.login_ldap("lchen")
    assert r.status == 303 and r.header("Location") == "/account"
    tok = b.session_cookie()
    assert tok and len(tok) == 43
    line = [l for l in b.set_cookie_lines if l.startswith("portico=")][-1]
    assert "HttpOnly" in line and "SameSite=Lax" in line
    # Only the hash of the token is stored.
    assert tok not in stack.mysql("SELECT HEX(token_hash) FROM sessions",
        db="portico")
    uid = user_id(stack, "lchen")
    row = stack.mysql("SELECT u.name, u.email, o.slug, u.external_id FROM "
        "users u JOIN organisations o ON o.id = u.organisation_id "
        "WHERE u.id = %d" % uid, db="portico").strip().split("\t")
    assert row == ["Lina Chen", "lina.chen@kestrel-cloud.example",
        "kestrel-cloud", "uid=lchen,ou=people,dc=halvard,dc=example"]

    page = b.get("/account")
    assert page.status == 200
    text = text_of(page.text)
    assert "Lina Chen" in text and "Kestrel Cloud" in text
    assert "Partner user" in text
    assert "cn=partner-users,ou=groups,dc=halvard,dc=example" in text
    assert "This browser" in text and "Sign out everywhere" in text
    x = authlib.xml_view(b, "/account")
    role = x.find("account/role")
    assert role.get("name") == "partner_user" and role.get("source") == "ldap"
    assert role.get("via-group") == \
        "cn=partner-users,ou=groups,dc=halvard,dc=example"
    assert role.get("confirmed")
    assert x.find("account/organisation").get("slug") == "kestrel-cloud"
    current = x.findall("account/session[@current='yes']")
    assert len(current) == 1 and current[0].get("method") == "ldap"
    assert x.find("session/user").get("login") == "lchen"


def test_sign_in_returns_to_the_page_asked_for(stack, base_url):
    b = Browser(base_url)
    r = b.get("/account")
    assert r.status == 303
    assert r.header("Location") == "/login?next=/account"
    r = b.get(r.header("Location"))
    doc = lxml.html.fromstring(r.text)
    nxt = doc.xpath('//input[@name="next"]/@value')[0]
    r = b.login_ldap("hlindqvist", next="/admin/users?status=active")
    assert r.status == 303
    assert r.header("Location") == "/admin/users?status=active"
    assert nxt == "/account"
    # Signed in, the sign-in page sends the browser on.
    r = b.get("/login?next=/admin/users")
    assert r.status == 303 and r.header("Location") == "/admin/users"


@pytest.mark.parametrize("payload", [
    "//evil.example",
    "//evil.example/account",
    "/\\evil.example",
    "\\\\evil.example",
    "https://evil.example",
    "http:/evil.example",
    "javascript:alert(1)",
    "/\t/evil.example",
    "/\n/evil.example",
    "/ /evil.example",
    "evil.example",
    "/login?next=//evil.example",
    "/logout",
    "",
])
def test_open_redirect_payloads_stay_local(base_url, payload):
    b = Browser(base_url)
    r = b.login_ldap("rkumar", next=payload)
    assert r.status == 303
    loc = r.header("Location")
    assert loc == "/account", (payload, loc)


def test_a_percent_escape_in_next_stays_a_local_path(base_url):
    # "/%09/evil.example" typed into the form is a path on this site whose
    # first segment is "%09": browsers do not decode it before resolving.
    b = Browser(base_url)
    r = b.login_ldap("rkumar", next="/%09/evil.example")
    loc = r.header("Location")
    assert r.status == 303 and loc == "/%09/evil.example"
    assert urllib.parse.urlsplit(urllib.parse.urljoin(
        "http://portal.example/login", loc)).netloc == "portal.example"


def test_open_redirect_payloads_in_the_query_stay_local(base_url):
    # The raw query as a browser would send it: portico decodes it once.
    for raw in ("%2F%2Fevil.example", "/%09/evil.example",
            "%2F%5Cevil.example", "https%3A%2F%2Fevil.example",
            "/%0D%0A/evil.example"):
        b = Browser(base_url)
        r = b.get("/login?next=" + raw)
        assert r.status in (200, 400)
        if r.status == 200:
            assert 'name="next"' not in r.text, raw
    # Signed in, /login?next= redirects at once: still only locally.
    b = logged_in(None, base_url, "rkumar")
    for raw in ("%2F%2Fevil.example", "/%5Cevil.example", "//evil.example"):
        r = b.get("/login?next=" + raw)
        assert r.status == 303 and r.header("Location") == "/account", raw
    r = b.get("/login?next=/account%3Ftab%3D1")
    assert r.header("Location") == "/account?tab=1"


@pytest.mark.parametrize("login,password", [
    ("lchen", "wrong-password"),
    ("lchen", ""),
    ("nobody-here", "lina-demo"),
    ("*)(uid=*))(|(uid=*", "lina-demo"),
    ("*", "lina-demo"),
    ("lchen)(|(uid=*", "lina-demo"),
    ("alex.morgan", "alex-demo"),           # two entries: ambiguous
    ("", "lina-demo"),
    ("lchen", "x" * 2000),                  # over the directory's limit
])
def test_bad_credentials_get_the_failure_page(stack, base_url, login,
    password):
    b = Browser(base_url)
    before = stack.mysql("SELECT COUNT(*) FROM sessions", db="portico")
    r = b.login_ldap(login, password)
    assert r.status == 401
    assert BAD in text_of(r.text)
    # The answer is the sign-in form again, with the error and a fresh
    # form token, the typed password never echoed back.
    doc = lxml.html.fromstring(r.body)
    forms = doc.xpath('//form[@method="post"][@action="/login"]')
    assert forms, "the sign-in form, to try again"
    assert forms[0].xpath('.//input[@name="csrf"]/@value')
    pw = forms[0].xpath('.//input[@name="password"]')
    assert pw and not pw[0].get("value")
    if 0 < len(password) < 100:
        assert password not in r.text
    assert "portico" not in b.cookies
    assert stack.mysql("SELECT COUNT(*) FROM sessions", db="portico") == \
        before


def test_the_filter_metacharacter_login_matches_only_itself(base_url):
    b = Browser(base_url)
    r = b.login_ldap("o'brien*")
    assert r.status == 303
    assert signed_in_as(b) == "o'brien*"


def test_wrong_password_and_unknown_user_answer_the_same(stack, base_url):
    b = Browser(base_url)
    b.form_token()
    answers = []
    for login in ("lchen", "no-such-user-anywhere", "lchen",
            "no-such-user-anywhere"):
        tok = b.form_token()
        r = b.post("/login", {"csrf": tok, "login": login,
            "password": "not-the-password"})
        answers.append(r)
    for r in answers:
        assert r.status == 401
    # The form keeps what the partner typed as the login; everything else
    # must be the same byte for byte.
    bodies = {authlib.body_without_request_id(r).replace(
        b'value="no-such-user-anywhere"', b'value="{login}"').replace(
        b'value="lchen"', b'value="{login}"') for r in answers}
    assert len(bodies) == 1, "the answers differ"
    # Content-Length follows the echoed login's length (bodies compared
    # above); every other header must be the same.
    skip = ("x-request-id", "date", "content-length")
    heads = {tuple(sorted((k.lower(), v) for k, v in r.headers
        if k.lower() not in skip)) for r in answers}
    assert len(heads) == 1, heads


def test_disabled_user_is_refused_with_the_reason(stack, base_url):
    # bfarrell exists in the directory; Portico disabled him.
    if user_id(stack, "bfarrell") is None:
        assert logged_in(stack, base_url, "bfarrell")
    uid = user_id(stack, "bfarrell")
    stack.mysql("UPDATE users SET status = 'disabled', disabled_reason = "
        "'left Meridian', disabled_at = NOW() WHERE id = %d" % uid,
        db="portico")
    try:
        b = Browser(base_url)
        r = b.login_ldap("bfarrell")
        assert r.status == 403
        text = text_of(r.text)
        assert "ended" in text and "left Meridian" in text
        assert "contact" in text
        assert "portico" not in b.cookies
        # The directory said yes, but the account stays disabled.
        assert stack.mysql("SELECT status FROM users WHERE id = %d" % uid,
            db="portico").strip() == "disabled"
    finally:
        stack.mysql("UPDATE users SET status = 'active', disabled_reason = "
            "NULL, disabled_at = NULL WHERE id = %d" % uid, db="portico")


def test_user_in_no_portal_group_is_refused(base_url):
    b = Browser(base_url)
    r = b.login_ldap("vhale")
    assert r.status == 403
    assert "not in any group" in text_of(r.text)
    assert "portico" not in b.cookies


def test_disabling_a_signed_in_user_ends_the_session(stack, base_url):
    b = logged_in(stack, base_url, "dtan")
    uid = user_id(stack, "dtan")
    stack.mysql("UPDATE users SET status = 'disabled' WHERE id = %d" % uid,
        db="portico")
    try:
        assert signed_in_as(b) is None
        assert open_sessions(stack, uid) == 0
    finally:
        stack.mysql("UPDATE users SET status = 'active' WHERE id = %d" % uid,
            db="portico")


def test_session_id_rotates_at_sign_in(stack, base_url):
    b = logged_in(stack, base_url, "rkumar")
    first = b.session_cookie()
    # Signing in again from a signed-in browser (its form token is the
    # session's) starts a new session.
    r = b.post("/login", {"csrf": CSRF(b.get("/account").text),
        "login": "rkumar", "password": "ravi-demo"})
    assert r.status == 303
    assert b.session_cookie() != first
    old = Browser(base_url)
    old.cookies["portico"] = first
    assert signed_in_as(old) is None


# ------------------------------------------------------------------ CSRF

def test_every_csrf_route_refuses_a_post_without_the_token(stack, base_url):
    routes = authlib.csrf_routes(stack)
    paths = {p for _, p in routes}
    assert {"/login", "/logout", "/account/sessions/{id}/end",
        "/account/sessions/end-all",
        "/admin/users/{id}/sessions/end"} <= paths
    admin = logged_in(stack, base_url, "hlindqvist")
    anon = Browser(base_url)
    anon.form_token()
    uploads = authlib.upload_routes(stack)
    for methods, path in routes:
        target = authlib.concrete(path)
        for b in (anon, admin):
            for form in ({}, {"csrf": ""}, {"csrf": "A" * 43},
                    {"csrf": admin.form_token("/account")[:-1] + "x"}):
                if path in uploads:
                    body, ctype = authlib.multipart(form)
                    r = b.request("POST", target, body=body,
                        headers={"Content-Type": ctype})
                else:
                    r = b.post(target, form)
                assert r.status == 403, (path, form, r.status)
    # A token from another browser is no token either.
    other = logged_in(stack, base_url, "lchen")
    tok = CSRF(other.get("/account").text)
    r = admin.post("/account/sessions/end-all", {"csrf": tok})
    assert r.status == 403
    assert signed_in_as(admin) == "hlindqvist"
    # POST /login without the token does not even ask the directory.
    r = anon.post("/login", {"login": "lchen", "password": "lina-demo"})
    assert r.status == 403 and "portico" not in anon.cookies


def CSRF(html):
    return authlib.CSRF_RE.search(html).group(1)


# --------------------------------------------------------------- sign-out

def test_logout_ends_the_session_server_side(stack, base_url):
    b = logged_in(stack, base_url, "jwhitfield")
    stolen = b.session_cookie()
    tok = CSRF(b.get("/account").text)
    r = b.post("/logout", {"csrf": tok})
    assert r.status == 303 and r.header("Location") == "/"
    assert "portico" not in b.cookies
    assert any(l.startswith("portico=;") and "Max-Age=0" in l
        for l in b.set_cookie_lines)
    # The old cookie, replayed, is nobody's.
    thief = Browser(base_url)
    thief.cookies["portico"] = stolen
    assert signed_in_as(thief) is None
    assert stack.mysql("SELECT end_reason FROM sessions WHERE token_hash = "
        "UNHEX(SHA2('%s', 256))" % stolen, db="portico").strip() == "logout"


def test_sign_out_everywhere(stack, base_url):
    a = logged_in(stack, base_url, "mokafor")
    b = logged_in(stack, base_url, "mokafor")
    uid = user_id(stack, "mokafor")
    assert open_sessions(stack, uid) >= 2
    r = a.post("/account/sessions/end-all", {"csrf": CSRF(
        a.get("/account").text)})
    assert r.status == 303 and r.header("Location") == "/"
    assert open_sessions(stack, uid) == 0
    assert signed_in_as(a) is None and signed_in_as(b) is None


def test_ending_one_session_from_the_account_page(stack, base_url):
    a = logged_in(stack, base_url, "knakamura")
    b = logged_in(stack, base_url, "knakamura")
    bx = authlib.xml_view(b, "/account")
    b_id = bx.find("account/session[@current='yes']").get("id")
    ax = authlib.xml_view(a, "/account")
    ids = [s.get("id") for s in ax.findall("account/session")]
    assert b_id in ids
    r = a.post("/account/sessions/%s/end" % b_id, {"csrf": CSRF(
        a.get("/account").text)})
    assert r.status == 303 and r.header("Location") == "/account"
    assert signed_in_as(b) is None
    assert signed_in_as(a) == "knakamura"
    # Ending it again: gone.
    r = a.post("/account/sessions/%s/end" % b_id, {"csrf": CSRF(
        a.get("/account").text)})
    assert r.status == 404


def test_another_users_session_is_indistinguishable_from_a_missing_one(
        stack, base_url):
    victim = logged_in(stack, base_url, "praman")
    vid = authlib.xml_view(victim, "/account").find(
        "account/session[@current='yes']").get("id")
    attacker = logged_in(stack, base_url, "rkumar")
    tok = CSRF(attacker.get("/account").text)
    theirs = attacker.post("/account/sessions/%s/end" % vid, {"csrf": tok})
    missing = attacker.post("/account/sessions/999999999/end", {"csrf": tok})
    assert theirs.status == missing.status == 404
    assert authlib.body_without_request_id(theirs) == \
        authlib.body_without_request_id(missing)
    assert signed_in_as(victim) == "praman"


def test_a_session_revoked_in_the_database_is_seen_on_the_next_request(
        stack, base_url):
    b = logged_in(stack, base_url, "lchen")
    sid = authlib.xml_view(b, "/account").find(
        "account/session[@current='yes']").get("id")
    stack.mysql("UPDATE sessions SET ended_at = NOW(), end_reason = "
        "'test' WHERE id = %s" % sid, db="portico")
    assert signed_in_as(b) is None


def test_an_idle_session_expires(stack, base_url):
    b = logged_in(stack, base_url, "lchen")
    sid = authlib.xml_view(b, "/account").find(
        "account/session[@current='yes']").get("id")
    stack.mysql("UPDATE sessions SET last_seen_at = NOW() - INTERVAL 3 HOUR "
        "WHERE id = %s" % sid, db="portico")
    assert signed_in_as(b) is None


# ------------------------------------------------------------------ admin

def test_admin_ends_a_users_sessions_everywhere(stack, base_url):
    victim = [logged_in(stack, base_url, "dtan") for _ in range(2)]
    uid = user_id(stack, "dtan")
    admin = logged_in(stack, base_url, "hlindqvist")
    page = admin.get("/admin/users?q=dtan")
    assert page.status == 200
    assert "/admin/users/%d/sessions/end" % uid in page.text
    r = admin.post("/admin/users/%d/sessions/end" % uid,
        {"csrf": CSRF(page.text)})
    assert r.status == 303 and r.header("Location") == "/admin/users"
    assert open_sessions(stack, uid) == 0
    admin_id = user_id(stack, "hlindqvist")
    assert stack.mysql("SELECT COUNT(*) FROM audit_log WHERE action = "
        "'sessions_ended' AND actor_user_id = %d AND subject_user_id = %d"
        % (admin_id, uid), db="portico").strip() != "0"
    # Every worker sees it at once: each worker in turn serves the
    # victim's next request while the others are stopped.
    workers = stack.worker_pids()
    assert len(workers) >= 2
    for w in workers:
        others = [o for o in workers if o != w]
        start = len(stack.portico.log_text())
        for o in others:
            os.kill(o, signal.SIGSTOP)
        try:
            for b in victim:
                assert b.get("/account").status == 303
        finally:
            for o in others:
                os.kill(o, signal.SIGCONT)
        # The worker logs a request just after answering it.
        deadline = time.monotonic() + 5
        while True:
            served = re.findall(r"portico\[(\d+)\]: info rid=\S+ GET "
                r"/account 303", stack.portico.log_text()[start:])
            if len(served) >= len(victim) or time.monotonic() > deadline:
                break
            time.sleep(0.02)
        assert served == [str(w)] * len(victim)
    assert signed_in_as(admin) == "hlindqvist"


def test_admin_users_page_filters_and_pages(stack, base_url):
    logged_in(stack, base_url, "lchen")
    logged_in(stack, base_url, "jwhitfield")
    admin = logged_in(stack, base_url, "hlindqvist")
    # 60 synthetic accounts for paging, all matching one search.
    stack.mysql("INSERT IGNORE INTO users (source, external_id, login, name, "
        "email) SELECT 'header', CONCAT('pager-', seq), "
        "CONCAT('zz-pager-', LPAD(seq, 2, '0')), CONCAT('Pager ', seq), "
        "CONCAT('pager', seq, '@example.com') FROM seq_1_to_60",
        db="portico")
    x = authlib.xml_view(admin, "/admin/users?q=zz-pager")
    logins = [u.get("login") for u in x.findall("users/user")]
    assert logins == ["zz-pager-%02d" % i for i in range(1, 51)]
    nxt = x.find("users/next")
    assert nxt is not None and nxt.get("after") == "zz-pager-50"
    # The next page, as its GET form sends it.
    html = admin.get("/admin/users?q=zz-pager").text
    doc = lxml.html.fromstring(html)
    form = [f for f in doc.xpath('//form[@class="pager-form"]')][-1]
    query = "&".join("%s=%s" % (i.get("name"), i.get("value")) for i in
        form.xpath(".//input"))
    x2 = authlib.xml_view(admin, "/admin/users?" + query)
    assert [u.get("login") for u in x2.findall("users/user")] == \
        ["zz-pager-%02d" % i for i in range(51, 61)]
    assert x2.find("users/next") is None
    assert x2.find("users").get("first") == "no"
    # Filters.
    x = authlib.xml_view(admin, "/admin/users?organisation=kestrel-cloud")
    orgs = {u.get("organisation") for u in x.findall("users/user")}
    assert orgs == {"Kestrel Cloud Services Pty Ltd"}
    x = authlib.xml_view(admin, "/admin/users?source=header&q=pager")
    assert {u.get("source") for u in x.findall("users/user")} == {"header"}
    # (An SSO test may have given Lina a second account: her directory
    # one is the one this test signed in.)
    x = authlib.xml_view(admin, "/admin/users?source=ldap&q=Lina")
    assert [u.get("login") for u in x.findall("users/user")] == ["lchen"]
    u = x.find("users/user")
    assert u.get("status") == "active" and u.get("last-login")
    assert [r.text for r in u.findall("role")] == ["partner_user"]
    x = authlib.xml_view(admin, "/admin/users?q=%25")    # '%' is literal
    assert x.findall("users/user") == []
    stack.mysql("UPDATE users SET status = 'disabled' WHERE login = "
        "'zz-pager-07'", db="portico")
    x = authlib.xml_view(admin, "/admin/users?status=disabled&q=zz-pager")
    assert [u.get("login") for u in x.findall("users/user")] == \
        ["zz-pager-07"]
    assert admin.get("/admin/users?status=bogus").status == 400
    page = admin.get("/admin/users?q=zz-pager")
    assert page.status == 200 and "Pager 7" in text_of(page.text)
    assert "Disabled" in text_of(page.text)


def test_admin_pages_are_for_portal_admins_only(stack, base_url):
    anon = Browser(base_url)
    r = anon.get("/admin/users")
    assert r.status == 303 and r.header("Location") == \
        "/login?next=/admin/users"
    user = logged_in(stack, base_url, "jwhitfield")
    assert user.get("/admin/users").status == 403
    tok = CSRF(user.get("/account").text)
    assert user.post("/admin/users/1/sessions/end",
        {"csrf": tok}).status == 403
    r = anon.post("/account/sessions/end-all", {"csrf": anon.form_token()})
    assert r.status == 403


def test_admin_end_sessions_of_a_missing_user_is_404(stack, base_url):
    admin = logged_in(stack, base_url, "hlindqvist")
    tok = CSRF(admin.get("/account").text)
    r = admin.post("/admin/users/987654321/sessions/end", {"csrf": tok})
    assert r.status == 404


def test_pages_are_well_formed_without_scripts(stack, base_url):
    admin = logged_in(stack, base_url, "hlindqvist")
    for path in ("/account", "/admin/users"):
        r = admin.get(path)
        assert r.status == 200
        doc = lxml.html.fromstring(r.text)
        assert not doc.xpath("//script") and "style=" not in r.text
        assert len(doc.xpath("//h1")) == 1
        for form in doc.xpath('//form[@method="post"]'):
            assert form.xpath('.//input[@name="csrf"]'), path
    # The navigation offers the users page to portal admins only.
    assert 'href="/admin/users"' in admin.get("/account").text
    other = logged_in(stack, base_url, "lchen")
    assert 'href="/admin/users"' not in other.get("/account").text
