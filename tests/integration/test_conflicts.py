"""Competitor conflict sets (issue 4), through nginx and through Apache.

A portal administrator declares at /admin/conflicts that two partner
organisations compete (stored once, lower id first, audited).  Adding,
approving or inviting a member of one into a community that already holds
the other (as a member, by directory group, or as a pending invitee) is
refused with a readable message unless the manager ticks the override and
gives a reason; the override goes to the audit log
(community_conflict_override) and the moderation log.

The demo data already declares Kestrel Cloud and Meridian Shared Services
competitors; the declare/remove test uses two other partners.
"""

import re

import lxml.html

from authlib import text_of, xml_view
from test_communities import (add_member, create, modlog, new_slug, post,
    sql_str, user_id, users)  # noqa: F401 (fixture)

KESTREL = "kestrel-cloud"
MERIDIAN = "meridian-shared-services"


def org_id(stack, slug):
    return int(stack.mysql("SELECT id FROM organisations WHERE slug = %s" %
        sql_str(slug), db="portico").split()[0])


def declare(stack, admin, a, b, reason="compete"):
    r = post(admin, "/admin/conflicts", {"action": "add", "org_a": a,
        "org_b": b, "reason": reason}, page="/admin/conflicts")
    assert r.status == 303, (r.status, text_of(r.text)[:400])


def audit_count(stack, action, like="%"):
    return int(stack.mysql("SELECT COUNT(*) FROM audit_log WHERE action = "
        "%s AND detail LIKE %s" % (sql_str(action), sql_str(like)),
        db="portico").strip())


def test_admin_declares_and_removes(stack, base_url, users):
    admin = users("hlindqvist")
    assert users("lchen").get("/admin/conflicts").status == 403
    assert users("mokafor").get("/admin/conflicts").status == 403
    assert admin.get("/admin/conflicts").status == 200
    a, b = "nordlicht-data", "baltic-ledger"
    n_add = audit_count(stack, "org_conflict_add")
    declare(stack, admin, a, b, reason="Both resell in the Baltics ' --")
    lo, hi = sorted((org_id(stack, a), org_id(stack, b)))
    assert stack.mysql("SELECT org_a, org_b, reason FROM "
        "organisation_conflicts WHERE org_a = %d AND org_b = %d" % (lo, hi),
        db="portico").rstrip("\n").split("\t") == [str(lo), str(hi),
        "Both resell in the Baltics ' --"]
    assert audit_count(stack, "org_conflict_add") == n_add + 1
    x = xml_view(admin, "/admin/conflicts")
    pairs = {(c.get("a-slug"), c.get("b-slug")) for c in
        x.xpath("//conflicts/conflict")}
    assert tuple(sorted((a, b), key=lambda s: org_id(stack, s))) in pairs
    # Declared twice (either order): still one row.
    declare(stack, admin, b, a)
    assert stack.mysql("SELECT COUNT(*) FROM organisation_conflicts WHERE "
        "org_a = %d AND org_b = %d" % (lo, hi), db="portico").strip() == "1"
    # An organisation with itself, or one that does not exist.
    r = post(admin, "/admin/conflicts", {"action": "add", "org_a": a,
        "org_b": a}, page="/admin/conflicts")
    assert r.status == 400 and "cannot compete with itself" in \
        text_of(r.text)
    r = post(admin, "/admin/conflicts", {"action": "add", "org_a": a,
        "org_b": "no-such-org"}, page="/admin/conflicts")
    assert r.status == 400
    n_rm = audit_count(stack, "org_conflict_remove")
    r = post(admin, "/admin/conflicts", {"action": "remove", "org_a": b,
        "org_b": a}, page="/admin/conflicts")
    assert r.status == 303
    assert stack.mysql("SELECT COUNT(*) FROM organisation_conflicts WHERE "
        "org_a = %d AND org_b = %d" % (lo, hi), db="portico").strip() == "0"
    assert audit_count(stack, "org_conflict_remove") == n_rm + 1


def test_conflict_blocks_add_approve_invite(stack, base_url, users):
    admin, mgr = users("hlindqvist"), users("mokafor")
    declare(stack, admin, KESTREL, MERIDIAN)
    lc, rk, dt = users("lchen"), users("rkumar"), users("dtan")
    slug = new_slug("cf")
    create(stack, mgr, slug, join_policy="request")
    add_member(stack, slug, "lchen")
    page = "/c/%s/members" % slug

    # Adding a Meridian user next to a Kestrel member: refused, readable.
    r = post(mgr, page, {"login": "rkumar"}, page=page)
    assert r.status == 409
    msg = text_of(r.text)
    assert "competes with Kestrel Cloud Services" in msg, msg
    doc = lxml.html.fromstring(r.body)
    assert doc.xpath("//input[@name='login']/@value") == ["rkumar"]
    # Ticking the override without a reason is not enough.
    r = post(mgr, page, {"login": "rkumar", "override": "1"}, page=page)
    assert r.status == 400 and "needs a reason" in text_of(r.text)
    n = audit_count(stack, "community_conflict_override",
        "%%community %s:%%" % slug)
    assert n == 0
    r = post(mgr, page, {"login": "rkumar", "override": "1",
        "reason": "Joint bid for Acme <b>'"}, page=page)
    assert r.status == 303, text_of(r.text)[:400]
    assert audit_count(stack, "community_conflict_override",
        "%%community %s:%%Joint bid for Acme <b>'" % slug) == 1
    assert stack.mysql("SELECT subject_user_id FROM audit_log WHERE "
        "action = 'community_conflict_override' AND detail LIKE %s" %
        sql_str("%%community %s:%%" % slug), db="portico").strip() == \
        str(user_id(stack, "rkumar"))
    assert modlog(stack, slug, "conflict_override") == "1"
    assert modlog(stack, slug, "member_add") == "1"

    # Approving a request is checked the same way.
    slug2 = new_slug("cf")
    create(stack, mgr, slug2, join_policy="request")
    add_member(stack, slug2, "lchen")
    assert post(dt, "/c/%s/requests" % slug2).status == 303
    x = xml_view(mgr, "/c/%s/requests" % slug2)
    rid = x.xpath("//requests/request[@login='dtan']/@id")[0]
    rpage = "/c/%s/requests" % slug2
    r = post(mgr, "/c/%s/requests/%s/approve" % (slug2, rid), page=rpage)
    assert r.status == 409
    assert "competes with Kestrel Cloud Services" in text_of(r.text)
    assert stack.mysql("SELECT status FROM community_join_requests WHERE "
        "id = %s" % rid, db="portico").strip() == "pending"
    r = post(mgr, "/c/%s/requests/%s/approve" % (slug2, rid),
        {"override": "1", "reason": "agreed by both"}, page=rpage)
    assert r.status == 303
    assert stack.mysql("SELECT status, override_reason FROM "
        "community_join_requests WHERE id = %s" % rid,
        db="portico").rstrip("\n").split("\t") == ["approved",
        "agreed by both"]
    assert modlog(stack, slug2, "conflict_override") == "1"

    # Inviting: a pending invitee counts as represented too.
    slug3 = new_slug("cf")
    create(stack, mgr, slug3, visibility="unlisted",
        join_policy="invitation", private=True)
    ipage = "/c/%s/invitations" % slug3
    r = post(mgr, ipage, {"to": "jwhitfield"}, page=ipage)
    assert r.status == 200
    r = post(mgr, ipage, {"to": "dtan"}, page=ipage)
    assert r.status == 409
    assert "competes with Kestrel Cloud Services" in text_of(r.text)
    # By email address: the account with that email is checked.
    r = post(mgr, ipage, {"to": "RAVI.KUMAR@meridian-shared.example"},
        page=ipage)
    assert r.status == 409
    r = post(mgr, ipage, {"to": "dtan", "override": "1",
        "reason": "steering committee"}, page=ipage)
    assert r.status == 200
    assert stack.mysql("SELECT override_reason FROM community_invitations i "
        "JOIN communities c ON c.id = i.community_id WHERE c.slug = %s AND "
        "i.invitee_user_id = %d" % (sql_str(slug3), user_id(stack, "dtan")),
        db="portico").strip() == "steering committee"
    # Vendor staff never conflict.
    users("praman")
    r = post(mgr, ipage, {"to": "praman"}, page=ipage)
    assert r.status == 200


def test_email_invitation_is_checked_again_at_acceptance(stack, base_url,
        users):
    admin, mgr = users("hlindqvist"), users("mokafor")
    declare(stack, admin, KESTREL, MERIDIAN)
    slug = new_slug("cf")
    create(stack, mgr, slug, name="Kestrel only " + slug,
        visibility="unlisted", join_policy="invitation", private=True)
    users("lchen")
    add_member(stack, slug, "lchen")
    ipage = "/c/%s/invitations" % slug
    addr = "new-%s@elsewhere.example" % slug
    # Nobody has that address yet, so the manager's check finds nothing.
    r = post(mgr, ipage, {"to": addr}, page=ipage)
    assert r.status == 200
    tok = re.search(r"/invitations/([A-Za-z0-9_-]{43})", r.text).group(1)
    # The address turns out to be a Meridian employee's.
    rk = users("rkumar")
    # (His directory account: an SSO test may have made him a second one.)
    stack.mysql("UPDATE users SET email = %s WHERE login = 'rkumar' AND "
        "source = 'ldap'" % sql_str(addr), db="portico")
    try:
        assert rk.get("/invitations/" + tok).status == 200
        r = post(rk, "/invitations/" + tok, {"action": "accept"})
        assert r.status == 409
        msg = text_of(r.text)
        assert "cannot be accepted" in msg
        assert "Kestrel" not in msg and "lchen" not in msg.lower()
        assert modlog(stack, slug, "invite_blocked") == "1"
        assert stack.mysql("SELECT COUNT(*) FROM community_members m JOIN "
            "communities c ON c.id = m.community_id WHERE c.slug = %s" %
            sql_str(slug), db="portico").strip() == "2"
    finally:
        stack.mysql("UPDATE users SET email = "
            "'ravi.kumar@meridian-shared.example' WHERE login = 'rkumar' "
            "AND source = 'ldap'",
            db="portico")


def test_named_managers_are_checked(stack, base_url, users):
    admin, mgr = users("hlindqvist"), users("mokafor")
    declare(stack, admin, KESTREL, MERIDIAN)
    users("jwhitfield"), users("dtan")
    slug = new_slug("cf")
    r = create(stack, mgr, slug, managers="jwhitfield, dtan", expect=409)
    assert "competes with" in text_of(r.text)
    assert stack.mysql("SELECT COUNT(*) FROM communities WHERE slug = %s" %
        sql_str(slug), db="portico").strip() == "0"
    create(stack, mgr, slug, managers="jwhitfield")
