"""Login throttling per account and per client address, counted in the
database so that every worker (and every host) sees the same numbers.

Most tests run their own portico (two workers, throttle_account = 3,
throttle_address = 4) and speak FastCGI to it directly, which lets them
choose the client address (REMOTE_ADDR) and, by stopping one worker with
SIGSTOP, which worker serves a request.  One test goes through nginx and
Apache against the main stack (throttle_account = 5).
"""

import os
import re
import signal

import pytest

import authlib
from authlib import Browser, FcgiBrowser, text_of

DB = "portico_throttle"
ACCOUNT, ADDRESS = 3, 4


@pytest.fixture(scope="module")
def tp(stack):
    stack.mysql("DROP DATABASE IF EXISTS `%s`; CREATE DATABASE `%s` "
        "CHARACTER SET utf8mb4" % (DB, DB))
    conf = os.path.join(stack.base, "throttle.conf")
    stack.write_config(conf, {
        "server": {"listen": "unix:%s" % os.path.join(stack.base,
            "throttle.sock"), "workers": 2},
        "db": {"name": DB},
        "session": {"throttle_account": ACCOUNT,
            "throttle_address": ADDRESS, "throttle_window": 600},
    })
    stack.ctl("migrate", config=conf)
    p = stack.spawn_portico(conf)
    p.wait_workers(2)
    yield p
    p.stop(timeout=30)


@pytest.fixture(autouse=True)
def _fresh(stack, request):
    authlib.clear_throttle(stack)
    if "tp" in request.fixturenames:
        authlib.clear_throttle(stack, DB)
    yield


def attempt(p, addr, login, password="wrong-password"):
    return FcgiBrowser(p, addr).login_ldap(login, password)


def served_by(p, since, path="POST /login"):
    """The pids of the workers that logged path since offset since."""
    return re.findall(r"portico\[(\d+)\]: \w+ rid=\S+ %s " % re.escape(path),
        p.log_text()[since:])


def test_account_throttle_holds_across_two_workers(stack, tp):
    w1, w2 = tp.worker_pids()
    start = len(tp.log_text())
    os.kill(w2, signal.SIGSTOP)
    try:
        for i in range(ACCOUNT - 1):
            assert attempt(tp, "198.51.100.%d" % i, "lchen").status == 401
    finally:
        os.kill(w2, signal.SIGCONT)
    os.kill(w1, signal.SIGSTOP)
    try:
        assert attempt(tp, "198.51.100.20", "LChen ").status == 401
        # The limit is reached on the other worker: even the right
        # password, from yet another address, is refused.
        r = attempt(tp, "198.51.100.21", "lchen", "lina-demo")
    finally:
        os.kill(w1, signal.SIGCONT)
    assert r.status == 429
    assert "Too many sign-in attempts" in text_of(r.text)
    assert r.header("Retry-After") == "600"
    assert "portico=" not in (r.header("Set-Cookie") or "")
    pids = served_by(tp, start)
    assert str(w1) in pids and str(w2) in pids, (w1, w2, pids)
    # Both workers keep refusing; another account is not affected.
    for i in range(4):
        assert attempt(tp, "198.51.100.3%d" % i, "lchen",
            "lina-demo").status == 429
    assert attempt(tp, "198.51.100.40", "rkumar", "ravi-demo").status == 303
    n = stack.mysql("SELECT failures FROM login_throttle WHERE scope = "
        "'account' AND key_hash = UNHEX(SHA2('lchen', 256))", db=DB)
    assert int(n) >= ACCOUNT


def test_address_throttle(stack, tp):
    addr = "203.0.113.9"
    for login in ("lchen", "rkumar", "dtan", "nobody"):
        assert attempt(tp, addr, login).status == 401
    r = attempt(tp, addr, "jwhitfield", "jack-demo")
    assert r.status == 429
    assert "Too many sign-in attempts" in text_of(r.text)
    # The same account from another address signs in.
    assert attempt(tp, "203.0.113.10", "jwhitfield", "jack-demo").status == \
        303


def test_a_success_resets_the_account_counter(stack, tp):
    for i in range(ACCOUNT - 1):
        assert attempt(tp, "192.0.2.%d" % i, "dtan").status == 401
    assert attempt(tp, "192.0.2.50", "dtan", "daniel-demo").status == 303
    for i in range(ACCOUNT):
        assert attempt(tp, "192.0.2.6%d" % i, "dtan").status == 401
    assert attempt(tp, "192.0.2.70", "dtan", "daniel-demo").status == 429


def test_the_window_passes(stack, tp):
    for i in range(ACCOUNT):
        assert attempt(tp, "192.0.2.8%d" % i, "rkumar").status == 401
    assert attempt(tp, "192.0.2.90", "rkumar", "ravi-demo").status == 429
    stack.mysql("UPDATE login_throttle SET window_start = window_start - "
        "INTERVAL 601 SECOND", db=DB)
    assert attempt(tp, "192.0.2.91", "rkumar", "ravi-demo").status == 303


def test_throttling_through_the_web_servers(stack, base_url):
    b = Browser(base_url)
    for _ in range(5):
        assert b.login_ldap("jwhitfield", "not-it").status == 401
    r = b.login_ldap("jwhitfield")
    assert r.status == 429
    assert "Too many sign-in attempts" in text_of(r.text)
    assert "portico" not in b.cookies
    # Another account from the same address is fine.
    assert b.login_ldap("rkumar").status == 303
