"""Fixtures for Portico's integration tests (pytest, Debian's python3-*).

Run: PORTICO_BUILD_DIR=build /usr/bin/python3 -m pytest tests/integration

One private stack (tests/stack.py) serves the whole session: mariadbd with
the migrations applied and the demo data seeded, portico (2 workers,
debug_xml on), nginx and Apache, each running the SHIPPED site configuration
from conf/.  Nothing is mocked.

Fixture contract (also used by test_ctl.py):

    stack          session-scoped, started tests.stack.Stack (seeded demo).
                   See tests/stack.py for its API: ctl(), mysql(),
                   scratch_db(), stop_db()/start_db(), worker_pids(), ...
    webserver      "nginx" or "apache": every test that asks for it (or for
                   base_url) runs once per web server.
    base_url       "http://127.0.0.1:PORT" of that web server (no slash).
    get(path, **kw), request(method, path, **kw)
                   bound to base_url: tests.stack.http_request, which sends
                   the raw target as given.
    demo_communities_only
                   module-scoped: archives every non-demo community while
                   the module runs (who-sees-whom tests).
    scratch_portico(name, seed=True, migrate=True, **server)
                   factory: a fresh portico instance on its own database
                   portico_<name> and socket, stopped after the test; for
                   destructive tests.  Returns a tests.stack.Portico.

Every test fails if a sanitizer report (ASan "ERROR: AddressSanitizer",
UBSan "runtime error:", LSan) appears in any portico log or porticoctl
output during it: the ASan build of scripts/test relies on this.  When a
test fails, the tails of the stack's logs are attached to its report.
"""

import os
import sys

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
    ".."))

import stack as stackmod  # noqa: E402


@pytest.fixture(scope="session")
def stack():
    s = stackmod.Stack(seed=True)
    s.start()
    try:
        yield s
    finally:
        s.stop()
    if s.final_reports:
        pytest.fail("sanitizer report(s) while the stack stopped:\n\n" +
            "\n\n".join(s.final_reports), pytrace=False)


@pytest.fixture(params=["nginx", "apache"])
def webserver(request):
    return request.param


@pytest.fixture
def base_url(stack, webserver):
    return stack.url(webserver)


@pytest.fixture
def request_fn(base_url):
    def request(method, path, **kw):
        return stackmod.http_request(base_url, path, method=method, **kw)
    return request


@pytest.fixture
def get(base_url):
    def get(path, **kw):
        return stackmod.http_request(base_url, path, method="GET", **kw)
    return get


@pytest.fixture
def scratch_portico(stack, request):
    made = []

    def make(name, seed=True, migrate=True, wait=True, **server):
        conf = stack.scratch_db(name, server=server)
        if migrate:
            stack.ctl("migrate", config=conf)
        if seed:
            stack.ctl("seed-demo", config=conf)
        p = stack.spawn_portico(conf, wait=wait)
        made.append(p)
        return p

    yield make
    for p in made:
        p.stop(timeout=30)


# sql/demo/0003_communities.sql
DEMO_COMMUNITIES = ("halvard-partner-network", "kestrel-cloud-halvard",
    "meridian-halvard")


@pytest.fixture(scope="module")
def demo_communities_only(stack):
    """For one module, the demo people belong to the demo communities only:
    every community earlier tests made (and put demo people in) is archived
    while the module runs, and restored after it.  For tests of who may see
    whom, whose expectations are the demo data's."""
    ids = stack.mysql("SELECT id FROM communities WHERE archived_at IS NULL "
        "AND slug NOT IN (%s)" % ", ".join("'%s'" % c for c in
        DEMO_COMMUNITIES), db="portico").split()
    if ids:
        stack.mysql("UPDATE communities SET archived_at = NOW() WHERE id IN "
            "(%s)" % ", ".join(ids), db="portico")
    yield
    if ids:
        stack.mysql("UPDATE communities SET archived_at = NULL WHERE id IN "
            "(%s)" % ", ".join(ids), db="portico")


@pytest.fixture(autouse=True)
def _fresh_sign_in_throttle(request):
    """Every test starts with no failed sign-ins on record: the suite signs
    in as the same demo users from 127.0.0.1 hundreds of times, and a test
    that proves a refusal must not throttle the tests after it.  The
    throttle's own tests run within one test each."""
    if "stack" in request.fixturenames:
        request.getfixturevalue("stack").mysql(
            "DELETE FROM login_throttle", db="portico")
    yield


@pytest.fixture(autouse=True)
def _no_sanitizer_reports(request):
    """Fails the test if a sanitizer report appeared while it ran."""
    yield
    if "stack" not in request.fixturenames:
        return
    new = request.getfixturevalue("stack").sanitizer_reports()
    if new:
        pytest.fail("sanitizer report(s) during this test:\n\n" +
            "\n\n".join(new), pytrace=False)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    rep = outcome.get_result()
    if not rep.failed or "stack" not in item.fixturenames:
        return
    s = item.funcargs.get("stack")
    if s is None or s.base is None:
        return
    for path in s.log_paths():
        rel = os.path.relpath(path, s.base)
        wanted = rel.startswith("portico") or rel in ("mariadb.log",
            "nginx/error.log", "apache/logs/error.log",
            "apache/logs/portico-error.log")
        if wanted and os.path.getsize(path) > 0:
            rep.sections.append(("log %s" % rel, stackmod._tail(path, 25)))
