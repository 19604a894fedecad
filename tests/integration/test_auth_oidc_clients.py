"""OpenID Connect sign-in end to end with the provider's other clients:
client_secret_post for the token request, and ES256-signed ID tokens.  The
main stack signs in as the client_secret_basic / RS256 client
(test_auth_oidc.py); here each variant gets a portico of its own, driven
over FastCGI, against the same real oidc-provider.

Also here: the absolute session lifetime, which no amount of activity
extends.
"""

import os
import urllib.parse

import pytest

from authlib import FcgiBrowser


def instance(stack, name, client):
    conf = os.path.join(stack.base, name + ".conf")
    dbname = "portico_" + name
    stack.mysql("DROP DATABASE IF EXISTS `%s`; CREATE DATABASE `%s` "
                "CHARACTER SET utf8mb4;" % (dbname, dbname))
    stack.write_config(conf, {
        "server": {"listen": "unix:%s" % os.path.join(stack.base,
                                                      name + ".sock")},
        "db": {"name": dbname},
        "oidc": stack.oidc.oidc_config(client=client),
    })
    stack.ctl("migrate", config=conf)
    stack.ctl("seed-demo", config=conf)
    return stack.spawn_portico(conf), dbname


@pytest.mark.parametrize("client", ["portico-post", "portico-es"])
def test_sign_in_with_each_client_kind(stack, client):
    op = stack.oidc
    name = client.replace("-", "_")
    p, db = instance(stack, name, client)
    try:
        b = FcgiBrowser(p)
        r = b.request("GET", "/login/oidc?next=%2Faccount")
        assert r.status == 303, r.text[:300]
        auth = r.header("Location")
        q = urllib.parse.parse_qs(urllib.parse.urlsplit(auth).query)
        assert q["client_id"] == [client]
        back = op.login(auth, "lchen", op.users["lchen"]["password"])
        u = urllib.parse.urlsplit(back)
        r = b.request("GET", u.path + "?" + u.query)
        assert r.status == 303, r.text[:500]
        assert r.header("Location") == "/account"
        r = b.request("GET", "/account")
        assert r.status == 200 and b"Lina Chen" in r.body
        row = stack.mysql("SELECT u.source, s.method FROM sessions s "
                          "JOIN users u ON u.id = s.user_id WHERE "
                          "s.ended_at IS NULL", db=db).split()
        assert row == ["oidc", "oidc"]
    finally:
        p.stop(timeout=30)


def test_absolute_lifetime_ends_an_active_session(stack):
    conf = stack.scratch_db("abslife")
    stack.ctl("migrate", config=conf)
    stack.ctl("seed-demo", config=conf)
    p = stack.spawn_portico(conf)
    try:
        b = FcgiBrowser(p)
        r = b.login_ldap("lchen", "lina-demo")
        assert r.status == 303
        assert b.request("GET", "/account").status == 200
        # Still active a second ago, but past its absolute end.
        stack.mysql("UPDATE sessions SET expires_at = NOW() - INTERVAL 1 "
                    "SECOND, last_seen_at = NOW()", db="portico_abslife")
        r = b.request("GET", "/account")
        assert r.status == 303
        assert r.header("Location").startswith("/login?next=")
    finally:
        p.stop(timeout=30)


def test_an_oidc_sign_in_finishes_after_signing_in_another_way(stack,
                                                                base_url):
    """A partner starts "Sign in with SSO", then signs in with the
    directory form in another tab, then the provider sends them back: the
    pending sign-in still belongs to this browser, and finishing it signs
    them in as the provider's user."""
    from authlib import Browser
    op = stack.oidc
    b = Browser(base_url)
    r = b.get("/login/oidc?next=%2Faccount")
    assert r.status == 303
    auth = r.header("Location")
    assert b.login_ldap("rkumar", "ravi-demo").status == 303
    back = op.login(auth, "lchen", op.users["lchen"]["password"])
    u = urllib.parse.urlsplit(back)
    r = b.get(u.path + "?" + u.query)
    assert r.status == 303, r.text[:500]
    page = b.get("/account")
    assert page.status == 200 and "Lina Chen" in page.text
