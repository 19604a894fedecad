"""Signing in with the identity the web server established ([websso]),
through nginx AND Apache.

stack.websso_servers() runs a second nginx and a second Apache in front of
the same portico whose /login/sso is protected by an SSO of their own
(tests/stack.py, identity block): nginx runs the SHIPPED example of
conf/nginx/portico.conf (auth_request to an oauth2-proxy-like gateway,
identity passed as PORTICO_SSO_* FastCGI parameters); Apache checks the
credentials itself and sets the same parameters.  The main nginx and
Apache do not protect /login/sso: there, no header of any spelling may
sign anyone in.
"""

import base64

import pytest

import authlib
from authlib import Browser, text_of

import stack as stackmod

LINA = "lina.chen@kestrel-cloud.example"
HANNA = "hanna.lindqvist@halvard.example"
VERA = "vera.hale@halvard.example"


def basic(login, password):
    return "Basic " + base64.b64encode(("%s:%s" % (login, password)).encode()
        ).decode()


def creds(login):
    return basic(login, stackmod.SSO_USERS[login]["password"])


# Every way a client could try to say who it is.  The names a web server
# might pass on (REMOTE_USER, the PORTICO_SSO_* parameters, the gateway's
# X-Auth-Request-*) in several spellings, and the usual proxy headers.
SPOOF_HEADERS = {
    "Remote-User": HANNA,
    "X-Remote-User": HANNA,
    "X-Forwarded-User": HANNA,
    "X-Auth-Request-User": HANNA,
    "X-Auth-Request-Email": HANNA,
    "X-Auth-Request-Groups": "portal-admins",
    "X-Auth-Request-Org": "halvard",
    "Portico-Sso-User": HANNA,
    "Portico-SSO-Groups": "portal-admins",
    "X-User": HANNA,
    "X-Forwarded-Preferred-Username": HANNA,
    "OIDC-Claim-Email": HANNA,
    "OIDC_CLAIM_email": HANNA,
    "REMOTE_USER": HANNA,
    "PORTICO_SSO_USER": HANNA,
    "remote-user": HANNA,
    "REMOTE-USER": HANNA,
}


@pytest.fixture(scope="module")
def sso(stack):
    return stack.websso_servers()


@pytest.fixture
def sso_url(sso, webserver):
    return sso[webserver]


def whoami(b):
    x = authlib.xml_view(b, "/account")
    return x


def test_websso_sign_in(stack, sso_url, webserver):
    b = Browser(sso_url)
    r = b.get("/login/sso?next=/account", headers={
        "Authorization": creds(LINA)})
    assert r.status == 303 and r.header("Location") == "/account", \
        (r.status, text_of(r.text)[:300])
    x = whoami(b)
    u = x.find("account/user")
    assert u.get("login") == LINA and u.get("source") == "header"
    assert u.get("external-id") == LINA and u.get("method") == "header"
    assert u.get("email") == LINA
    assert u.get("name") == "Lina Chen"
    assert x.find("account/organisation").get("slug") == "kestrel-cloud"
    assert [(r.get("name"), r.get("source"), r.get("via-group"))
        for r in x.findall("account/role")] == \
        [("partner_user", "header", "partner-users")]
    assert sorted(g.get("name") for g in x.findall("account/group")) == \
        ["beta-program", "partner-users"]
    # The session is the portal's own: no credentials needed any more.
    assert b.get("/account").status == 200


def test_websso_without_credentials_is_stopped_by_the_web_server(stack,
        sso_url):
    r = stackmod.http_request(sso_url, "/login/sso")
    assert r.status == 401
    assert "Basic" in (r.header("WWW-Authenticate") or "")
    r = stackmod.http_request(sso_url, "/login/sso", headers={
        "Authorization": basic(LINA, "wrong")})
    assert r.status == 401


def test_websso_user_in_no_portal_group_is_refused(stack, sso_url):
    b = Browser(sso_url)
    r = b.get("/login/sso", headers={"Authorization": creds(VERA)})
    assert r.status == 403
    assert "not in any group" in text_of(r.text)
    assert "portico" not in b.cookies


def test_spoofed_identity_headers_are_ignored_without_the_web_server_sso(
        stack, base_url):
    # The main web servers do not protect /login/sso: whatever the client
    # sends, portico has no identity from the web server.
    for name, value in SPOOF_HEADERS.items():
        b = Browser(base_url)
        r = b.get("/login/sso", headers={name: value})
        assert r.status == 401, (name, r.status)
        assert "did not tell the portal who you are" in text_of(r.text)
        assert "portico" not in b.cookies
    # All of them at once, and Basic credentials (nginx's $remote_user,
    # which Debian's fastcgi_params sends as REMOTE_USER).
    b = Browser(base_url)
    h = dict(SPOOF_HEADERS)
    h["Authorization"] = creds(HANNA)
    r = b.get("/login/sso", headers=h)
    assert r.status == 401 and "portico" not in b.cookies


def test_spoofed_headers_do_not_change_who_signs_in(stack, sso_url):
    # Signed in as Lina by the web server, claiming to be Hanna (an admin)
    # in every header: Lina it is, with Lina's role.
    b = Browser(sso_url)
    h = dict(SPOOF_HEADERS)
    h["Authorization"] = creds(LINA)
    r = b.get("/login/sso", headers=h)
    assert r.status == 303
    x = whoami(b)
    assert x.find("account/user").get("login") == LINA
    assert [r.get("name") for r in x.findall("account/role")] == \
        ["partner_user"]
    assert b.get("/admin/users").status == 403


def test_spoofed_parameters_over_fastcgi_are_ignored(stack):
    # Straight to portico: a client header becomes an HTTP_* parameter,
    # never the parameter [websso] names.
    headers = {"Portico-Sso-User": HANNA, "Remote-User": HANNA,
        "Portico-Sso-Groups": "portal-admins"}
    r = stack.portico.request("GET", "/login/sso", headers=headers)
    assert r.status == 401
    # The web server's own parameter is what counts (and only it).
    r = stack.portico.request("GET", "/login/sso", params={
        "PORTICO_SSO_USER": HANNA, "PORTICO_SSO_GROUPS": "portal-admins",
        "PORTICO_SSO_ORG": "halvard"})
    assert r.status == 303


def test_websso_admin_gets_the_admin_pages(stack, sso_url):
    b = Browser(sso_url)
    r = b.get("/login/sso?next=/admin/users", headers={
        "Authorization": creds(HANNA)})
    assert r.status == 303 and r.header("Location") == "/admin/users"
    assert b.get("/admin/users").status == 200


def test_values_the_portal_cannot_store_whole_are_not_used(stack):
    r = stack.portico.request("GET", "/login/sso", params={
        "PORTICO_SSO_USER": "u" * 300 + "@example.com",
        "PORTICO_SSO_GROUPS": "partner-users"})
    assert r.status == 401
    r = stack.portico.request("GET", "/login/sso", params={
        "PORTICO_SSO_USER": "long.name@kestrel-cloud.example",
        "PORTICO_SSO_NAME": "N" * 300,
        "PORTICO_SSO_GROUPS": "partner-users;" + "g" * 2000})
    assert r.status == 303
    row = stack.mysql("SELECT u.name, COUNT(g.user_id) FROM users u LEFT "
        "JOIN user_groups g ON g.user_id = u.id WHERE u.login = "
        "'long.name@kestrel-cloud.example' GROUP BY u.id", db="portico")
    assert row.rstrip("\n").split("\t") == ["", "1"]
