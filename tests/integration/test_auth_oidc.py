"""Signing in with OpenID Connect, through nginx AND Apache, against the
harness's real provider (tests/oidc/provider.mjs on oidc-provider).

A browser here is authlib.Browser for portico plus the provider's own
cookie jar (a requests.Session inside stack.oidc.login()).  portico's
redirect_uri is the nginx address the provider knows; the test sends the
provider's answer (its path and query) to the web server under test, which
is what a browser would do behind either.  The provider's admin endpoints
spoil the next ID token (DEFECTS in provider.mjs) or send back-channel
logout tokens.
"""

import urllib.parse

import pytest

import authlib
from authlib import Browser, text_of

import stack as stackmod


@pytest.fixture
def op(stack):
    assert stack.oidc is not None and stack.oidc.alive()
    return stack.oidc


def start(b, next="/account"):
    """GET /login/oidc: the provider's authorization URL."""
    r = b.get("/login/oidc?next=" + urllib.parse.quote(next, safe=""))
    assert r.status == 303, (r.status, text_of(r.text)[:300])
    return r.header("Location")


def local(url):
    u = urllib.parse.urlsplit(url)
    return u.path + ("?" + u.query if u.query else "")


def at_provider(op, b, login, next="/account"):
    """Starts a sign-in and signs in at the provider; returns the callback
    target (path and query) the provider sends the browser to."""
    auth = start(b, next)
    return local(op.login(auth, login, op.users[login]["password"]))


def oidc_login(op, base_url, login, next="/account"):
    b = Browser(base_url)
    r = b.get(at_provider(op, b, login, next))
    assert r.status == 303, (r.status, text_of(r.text)[:400])
    assert r.header("Location") == next
    return b


def refused(r, status):
    """A page with a way back, never a redirect (no loop)."""
    assert r.status == status, (r.status, text_of(r.text)[:300])
    assert r.header("Location") is None
    assert "portico" not in (r.header("Set-Cookie") or "").split("=")[0:1]


def test_oidc_sign_in(stack, op, base_url):
    auth = start(Browser(base_url))
    q = urllib.parse.parse_qs(urllib.parse.urlsplit(auth).query)
    assert auth.startswith(op.issuer + "/")
    assert q["response_type"] == ["code"] and q["client_id"] == ["portico"]
    assert q["code_challenge_method"] == ["S256"]
    assert len(q["state"][0]) >= 43 and len(q["nonce"][0]) >= 43
    assert q["redirect_uri"][0].endswith("/login/oidc/callback")

    b = oidc_login(op, base_url, "jwhitfield")
    x = authlib.xml_view(b, "/account")
    u = x.find("account/user")
    assert u.get("login") == "jwhitfield" and u.get("source") == "oidc"
    assert u.get("external-id") == op.issuer + " jwhitfield"
    assert u.get("method") == "oidc"
    assert x.find("account/organisation").get("slug") == "kestrel-cloud"
    roles = {(r.get("name"), r.get("source"), r.get("via-group"))
        for r in x.findall("account/role")}
    assert roles == {("partner_user", "oidc", "partner-users"),
        ("partner_admin", "oidc", "partner-admins-kestrel")}
    # The provider's session id is kept for back-channel logout.
    sid = op.last("portico", "jwhitfield")["sid"]
    assert stack.mysql("SELECT COUNT(*) FROM sessions WHERE idp_sid = '%s' "
        "AND ended_at IS NULL" % sid, db="portico").strip() == "1"


def test_a_user_in_300_groups_signs_in(stack, op, base_url):
    b = Browser(base_url)
    r = b.get(at_provider(op, b, "tbrennan"))
    assert r.status == 303
    # Claims stay server-side: the cookies stay small.
    for line in b.set_cookie_lines:
        assert len(line) < 200, line
    x = authlib.xml_view(b, "/account")
    assert len(x.findall("account/group")) == 300
    assert [g.get("name") for g in x.findall("account/group[grants]")] == \
        ["partner-users"]
    page = b.get("/account")
    assert page.status == 200 and "299 other groups" in text_of(page.text)


def test_tampered_unknown_foreign_and_reused_state(stack, op, base_url):
    b = Browser(base_url)
    target = at_provider(op, b, "rkumar")
    u = urllib.parse.urlsplit(target)
    q = dict(urllib.parse.parse_qsl(u.query))
    state = q["state"]
    flipped = state[:-1] + ("A" if state[-1] != "A" else "B")
    bad = dict(q, state=flipped)
    r = b.get(u.path + "?" + urllib.parse.urlencode(bad))
    refused(r, 400)
    assert "Please start signing in again" in text_of(r.text)
    # No state at all.
    refused(b.get(u.path + "?code=" + q["code"]), 400)
    # The right state in another browser: not its sign-in.
    other = Browser(base_url)
    other.form_token()
    refused(other.get(target), 400)
    # Its own browser: fine, once.
    r = b.get(target)
    assert r.status == 303 and r.header("Location") == "/account"
    refused(b.get(target), 400)


def test_a_stale_sign_in_is_refused(stack, op, base_url):
    b = Browser(base_url)
    target = at_provider(op, b, "rkumar")
    stack.mysql("UPDATE auth_pending SET created_at = NOW() - INTERVAL 11 "
        "MINUTE", db="portico")
    r = b.get(target)
    refused(r, 400)
    assert "expired" in text_of(r.text)


def test_a_code_is_good_once(stack, op, base_url):
    b = Browser(base_url)
    first = at_provider(op, b, "dtan")
    assert b.get(first).status == 303
    code1 = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(first).query)
        )["code"]
    # A new sign-in in the same browser, answered with the used code.
    c = Browser(base_url)
    second = at_provider(op, c, "dtan")
    u = urllib.parse.urlsplit(second)
    q = dict(urllib.parse.parse_qsl(u.query), code=code1)
    refused(c.get(u.path + "?" + urllib.parse.urlencode(q)), 403)
    assert "portico" not in c.cookies


@pytest.mark.parametrize("defect", ["wrong-nonce", "no-nonce", "expired",
    "iat-future", "wrong-aud", "multi-aud", "wrong-iss", "alg-none",
    "hs256-pubkey", "unknown-kid", "bad-signature"])
def test_a_bad_id_token_is_refused(stack, op, base_url, defect):
    b = Browser(base_url)
    target = at_provider(op, b, "lchen")
    op.spoil_next_id_token(defect, client="portico")
    r = b.get(target)
    refused(r, 403)
    assert "could not be verified" in text_of(r.text)
    assert "portico" not in b.cookies
    # The provider is fine: the next sign-in works.
    assert oidc_login(op, base_url, "lchen")


def test_signing_keys_rotate(stack, op, base_url):
    op.rotate(alg="all", keep=False)
    b = oidc_login(op, base_url, "rkumar")
    assert authlib.xml_view(b, "/account").find("account/user").get(
        "source") == "oidc"


def test_the_provider_down_gives_a_503_page_not_a_loop(stack, op, base_url):
    b = Browser(base_url)
    target = at_provider(op, b, "bfarrell")
    op.stop()
    try:
        r = b.get("/login/oidc?next=/account")
        refused(r, 503)
        assert "not answering" in text_of(r.text)
        # A sign-in already at the provider cannot finish either.
        refused(b.get(target), 503)
    finally:
        op.start()
    assert oidc_login(op, base_url, "bfarrell")


def test_provider_refusal_is_shown(stack, op, base_url):
    b = Browser(base_url)
    auth = start(b)
    s = __import__("requests").Session()
    r = s.get(auth, allow_redirects=False)
    while r.status_code in (302, 303) and r.headers["Location"].startswith(
            ("/", op.issuer)):
        r = s.get(urllib.parse.urljoin(op.issuer, r.headers["Location"]),
            allow_redirects=False)
    uid = urllib.parse.urlsplit(r.url).path.rstrip("/").split("/")[-1]
    r = s.get("%s/interaction/%s/abort" % (op.issuer, uid),
        allow_redirects=False)
    while r.headers.get("Location", "").startswith(("/", op.issuer)):
        r = s.get(urllib.parse.urljoin(op.issuer, r.headers["Location"]),
            allow_redirects=False)
    target = local(r.headers["Location"])
    assert "error=access_denied" in target
    r = b.get(target)
    refused(r, 403)
    assert "cancelled or refused" in text_of(r.text)


def test_rp_initiated_logout(stack, op, base_url):
    b = oidc_login(op, base_url, "mokafor")
    cookie = b.session_cookie()
    r = b.post("/logout", {"csrf": authlib.CSRF_RE.search(
        b.get("/account").text).group(1)})
    assert r.status == 303
    loc = r.header("Location")
    assert loc.startswith(op.issuer + "/")
    q = urllib.parse.parse_qs(urllib.parse.urlsplit(loc).query)
    assert q["client_id"] == ["portico"]
    assert q["post_logout_redirect_uri"][0].endswith("/")
    assert stack.mysql("SELECT end_reason FROM sessions WHERE token_hash = "
        "UNHEX(SHA2('%s', 256))" % cookie, db="portico").strip() == "logout"
    # A directory user signs out locally only.
    c = authlib.logged_in(stack, base_url, "lchen")
    r = c.post("/logout", {"csrf": authlib.CSRF_RE.search(
        c.get("/account").text).group(1)})
    assert r.status == 303 and r.header("Location") == "/"


def post_logout_token(base_url, token):
    return stackmod.http_request(base_url, "/logout/backchannel",
        method="POST", headers={"Content-Type":
        "application/x-www-form-urlencoded"},
        body=urllib.parse.urlencode({"logout_token": token}).encode())


def test_back_channel_logout_ends_the_session_and_refuses_a_replay(stack, op,
        base_url):
    b = oidc_login(op, base_url, "praman")
    keep = oidc_login(op, base_url, "knakamura")
    res = op.backchannel(client="portico", sub="praman")
    assert res["status"] == 200, res
    r = b.get("/account")
    assert r.status == 303 and r.header("Location").startswith("/login")
    assert keep.get("/account").status == 200
    # The same token again, through this web server: refused.
    r = post_logout_token(base_url, res["token"])
    assert r.status == 400
    assert stack.mysql("SELECT COUNT(*) FROM audit_log WHERE action = "
        "'backchannel_logout'", db="portico").strip() != "0"


@pytest.mark.parametrize("defect", [None, "no-jti", "no-events",
    "wrong-aud", "alg-none", "expired", "with-nonce", "bad-signature"])
def test_back_channel_logout_tokens_are_verified(stack, op, base_url,
        defect):
    b = oidc_login(op, base_url, "dtan")
    sid = op.last("portico", "dtan")["sid"]
    token = op.mint(use="logout", client="portico", sub="dtan", sid=sid,
        **({"defect": defect} if defect else {}))
    r = post_logout_token(base_url, token)
    if defect is None:
        assert r.status == 200 and r.body == b""
        assert b.get("/account").status == 303
    else:
        assert r.status == 400, defect
        assert b.get("/account").status == 200


def test_back_channel_logout_without_a_token(base_url):
    r = stackmod.http_request(base_url, "/logout/backchannel", method="POST",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
        body=b"x=1")
    assert r.status == 400
    r = stackmod.http_request(base_url, "/logout/backchannel")
    assert r.status == 405
