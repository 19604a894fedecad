"""LDAP over TLS with certificate verification: ldaps:// and StartTLS
against a private slapd with its own CA (tests/services/slapd.py,
tls=True).  The right CA signs in; a CA that did not sign the server's
certificate makes the sign-in page answer 503 (the directory cannot be
trusted), never a sign-in."""

import os
import subprocess
import sys

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "services"))
import slapd as slapdmod  # noqa: E402
from authlib import FcgiBrowser


@pytest.fixture(scope="module")
def tls_directory(stack):
    d = slapdmod.Slapd(os.path.join(stack.base, "ldaptls"), tls=True)
    d.start()
    yield d
    d.stop()


def portico_for(stack, name, ldap):
    conf = os.path.join(stack.base, name + ".conf")
    stack.mysql("DROP DATABASE IF EXISTS portico_%s; CREATE DATABASE "
                "portico_%s CHARACTER SET utf8mb4;" % (name, name))
    stack.write_config(conf, {
        "server": {"listen": "unix:%s" % os.path.join(stack.base,
                                                      name + ".sock")},
        "db": {"name": "portico_" + name},
        "ldap": ldap,
    })
    stack.ctl("migrate", config=conf)
    stack.ctl("seed-demo", config=conf)
    return stack.spawn_portico(conf)


@pytest.mark.parametrize("mode", ["ldaps", "starttls"])
def test_tls_sign_in_with_the_right_ca(stack, tls_directory, mode):
    d = tls_directory
    ldap = d.ldap_config(ca_file=d.ca_file, tls_verify=True)
    if mode == "ldaps":
        ldap["uri"] = d.ldaps_uri
    else:
        ldap["starttls"] = True
    p = portico_for(stack, "tls_" + mode, ldap)
    try:
        r = FcgiBrowser(p).login_ldap("lchen", "lina-demo")
        assert r.status == 303, r.text[:300]
    finally:
        p.stop(timeout=30)


def test_tls_with_a_ca_that_did_not_sign_is_refused(stack, tls_directory):
    d = tls_directory
    # Another throwaway CA: it did not sign the server's certificate.
    other = os.path.join(stack.base, "other-ca.pem")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048",
                    "-nodes", "-keyout", other + ".key", "-out", other,
                    "-days", "1", "-subj", "/CN=Not the directory's CA"],
                   check=True, capture_output=True)
    ldap = d.ldap_config(uri=d.ldaps_uri, ca_file=other, tls_verify=True)
    p = portico_for(stack, "tls_wrongca", ldap)
    try:
        r = FcgiBrowser(p).login_ldap("lchen", "lina-demo")
        assert r.status == 503, r.text[:300]
    finally:
        p.stop(timeout=30)
