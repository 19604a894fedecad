"""The directory down or hanging, through nginx AND Apache: signing in
answers a readable 503 within [ldap] timeout, signed-in users keep working,
and an empty password is refused without asking the directory at all.

slapd is the harness's (stack.slapd); each test brings it back before it
ends, so the tests after it find it as they expect.
"""

import os
import signal
import time

import pytest

import authlib
from authlib import Browser, logged_in, text_of

import stack as stackmod


@pytest.fixture(autouse=True)
def _fresh_throttle(stack):
    authlib.clear_throttle(stack)
    yield


def ldap_timeout(stack):
    return float(stackmod.read_portico_conf(stack.config_path)["ldap"][
        "timeout"])


def test_directory_stopped(stack, base_url):
    user = logged_in(stack, base_url, "jwhitfield")
    anon = Browser(base_url)
    tok = anon.form_token()
    stack.slapd.stop()
    try:
        t0 = time.monotonic()
        r = anon.post("/login", {"csrf": tok, "login": "lchen",
            "password": "lina-demo"})
        took = time.monotonic() - t0
        assert r.status == 503
        assert "directory is not answering" in text_of(r.text)
        assert took < ldap_timeout(stack) + 2
        assert "portico" not in anon.cookies
        # An empty password is refused by portico itself: the same
        # failure as any wrong password, not the directory's 503.
        r = anon.post("/login", {"csrf": tok, "login": "lchen",
            "password": ""})
        assert r.status == 401
        # Signed-in partners keep working.
        for _ in range(4):
            assert user.get("/account").status == 200
    finally:
        stack.slapd.start()
    assert anon.login_ldap("lchen").status == 303


def test_directory_hanging_answers_within_the_timeout(stack, base_url):
    user = logged_in(stack, base_url, "jwhitfield")
    anon = Browser(base_url)
    tok = anon.form_token()
    pid = stack.slapd.daemon.pid
    os.kill(pid, signal.SIGSTOP)
    try:
        t0 = time.monotonic()
        r = anon.post("/login", {"csrf": tok, "login": "rkumar",
            "password": "ravi-demo"})
        took = time.monotonic() - t0
        assert r.status == 503
        assert "directory is not answering" in text_of(r.text)
        assert took < ldap_timeout(stack) + 1.5, took
        assert took >= ldap_timeout(stack) - 0.5, "it did wait for slapd"
        assert user.get("/account").status == 200
    finally:
        os.kill(pid, signal.SIGCONT)
    # A directory that did not answer counts against nobody.
    assert stack.mysql("SELECT COALESCE(SUM(failures), 0) FROM "
        "login_throttle", db="portico").strip() == "0"
    assert anon.login_ldap("rkumar").status == 303
