"""[ldap] org_dn_attr: the organisation of a user whose directory files
them under their company's entry comes from their DN, never from what they
type.  Adds such a company subtree to the harness's slapd, signs in over
FastCGI to a portico of its own, and reads /account's XML view."""

import os

import pytest

from authlib import FcgiBrowser

BASE = "dc=halvard,dc=example"
ORG = "o=kestrel-cloud," + BASE
USER = "uid=nfarrow,ou=staff," + ORG
PARTNER_USERS = "cn=partner-users,ou=groups," + BASE


@pytest.fixture
def org_tree(stack):
    stack.slapd.add(
        "dn: %s\nobjectClass: organization\no: kestrel-cloud\n\n"
        "dn: ou=staff,%s\nobjectClass: organizationalUnit\nou: staff\n\n"
        "dn: %s\nobjectClass: inetOrgPerson\nuid: nfarrow\ncn: Noor Farrow\n"
        "sn: Farrow\nmail: noor.farrow@kestrel-cloud.example\n"
        "userPassword: noor-demo\n" % (ORG, ORG, USER))
    stack.slapd.modify("dn: %s\nchangetype: modify\nadd: member\n"
                       "member: %s\n" % (PARTNER_USERS, USER))
    yield
    stack.slapd.modify("dn: %s\nchangetype: modify\ndelete: member\n"
                       "member: %s\n" % (PARTNER_USERS, USER))
    for dn in (USER, "ou=staff," + ORG, ORG):
        stack.slapd.delete(dn)


def test_organisation_from_the_dn(stack, org_tree):
    conf = os.path.join(stack.base, "orgdn.conf")
    stack.mysql("DROP DATABASE IF EXISTS portico_orgdn; "
                "CREATE DATABASE portico_orgdn CHARACTER SET utf8mb4;")
    stack.write_config(conf, {
        "server": {"listen": "unix:%s" % os.path.join(stack.base,
                                                      "orgdn.sock")},
        "db": {"name": "portico_orgdn"},
        "ldap": {"org_attr": "", "org_dn_attr": "o"},
    })
    stack.ctl("migrate", config=conf)
    stack.ctl("seed-demo", config=conf)
    p = stack.spawn_portico(conf)
    try:
        b = FcgiBrowser(p)
        assert b.login_ldap("nfarrow", "noor-demo").status == 303
        r = b.request("GET", "/account?format=xml")
        assert r.status == 200
        assert b'slug="kestrel-cloud"' in r.body
        org = stack.mysql("SELECT o.slug FROM users u JOIN organisations o "
                          "ON o.id = u.organisation_id WHERE u.login = "
                          "'nfarrow'", db="portico_orgdn").strip()
        assert org == "kestrel-cloud"
    finally:
        p.stop(timeout=30)
