"""[websso] user_param = REMOTE_USER (the default, right for Apache's SSO
modules) must not let a client sign in as anyone by sending its own
"Authorization: Basic" header through the shipped nginx site: Debian's
fastcgi_params fills REMOTE_USER from that header, so the site clears it.

The main stack's portico is reconfigured for the test (SIGHUP, new
workers) and put back afterwards.
"""

import base64

import pytest

from authlib import Browser


@pytest.fixture
def remote_user_sso(stack):
    def configure(websso):
        old = set(stack.portico.worker_pids())
        stack.write_config(stack.config_path, {
            "server": stack.server_overrides, "websso": websso})
        stack.reload_portico()
        stack.portico.wait_workers(len(old), exclude=old)

    configure({"enabled": True, "user_param": "REMOTE_USER"})
    try:
        yield
    finally:
        configure({})


def test_a_client_basic_header_is_no_identity(stack, base_url,
                                              remote_user_sso):
    b = Browser(base_url)
    cred = base64.b64encode(b"hlindqvist:anything").decode()
    r = b.get("/login/sso?next=%2Faccount",
              headers={"Authorization": "Basic " + cred})
    assert r.status == 401, (r.status, r.text[:300])
    assert b.get("/account").status == 303, "still anonymous"
