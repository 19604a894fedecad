"""Invitations to a community (issue 4), through nginx and through Apache.

An invitation link is bound to its recipient (a login, or the account
whose email matches case-insensitively): anyone else gets exactly the
not-found page a token that never existed gets.  It is single use,
expires ([lifecycle] invitation_days; here by moving expires_at), can be
revoked, and sending it again supersedes the old link.  Only the SHA-256
of the token is stored.  Pending invitations show on /communities, where
they can be accepted or declined too.
"""

import base64
import hashlib
import os
import re

import lxml.html

from authlib import body_without_request_id, text_of, xml_view
from test_communities import (comm_id, create, modlog, new_slug, post,
    sql_str, token_of, user_id, users)  # noqa: F401 (fixture)

LINK_RE = re.compile(r"/invitations/([A-Za-z0-9_-]{43})\b")


def invite(stack, mgr, slug, to, expect=200, **extra):
    page = "/c/%s/invitations" % slug
    form = {"to": to}
    form.update(extra)
    r = post(mgr, page, form, page=page)
    assert r.status == expect, (r.status, text_of(r.text)[:500])
    if expect != 200:
        return r
    doc = lxml.html.fromstring(r.body)
    link = doc.xpath("//input[@id='inv-link']/@value")
    assert len(link) == 1, "no link on the page"
    m = LINK_RE.search(link[0])
    assert m, link
    return m.group(1)


def random_token():
    return base64.urlsafe_b64encode(os.urandom(32)).rstrip(b"=").decode()


def same_as_unknown(b, token):
    """GET and POST of the token answer exactly as a random token."""
    other = random_token()
    r, o = b.get("/invitations/" + token), b.get("/invitations/" + other)
    assert r.status == 404 and o.status == 404, (r.status, o.status)
    assert body_without_request_id(r) == body_without_request_id(o)
    r = post(b, "/invitations/" + token, {"action": "accept"})
    o = post(b, "/invitations/" + other, {"action": "accept"})
    assert r.status == 404 and o.status == 404, (r.status, o.status)
    assert body_without_request_id(r) == body_without_request_id(o)


def private_community(stack, mgr):
    slug = new_slug("inv")
    create(stack, mgr, slug, name="Private " + slug, visibility="secret",
        join_policy="invitation", private=True)
    return slug


def test_invitation_is_bound_and_single_use(stack, base_url, users):
    mgr, lc, jw = users("mokafor"), users("lchen"), users("jwhitfield")
    slug = private_community(stack, mgr)
    tok = invite(stack, mgr, slug, "lchen")
    # Only the hash is stored, and it is the hash of the link's token.
    stored = stack.mysql("SELECT HEX(i.token_hash), i.status, "
        "DATEDIFF(i.expires_at, NOW()) FROM community_invitations i JOIN "
        "communities c ON c.id = i.community_id WHERE c.slug = %s" %
        sql_str(slug), db="portico").split()
    assert stored[0].lower() == hashlib.sha256(tok.encode()).hexdigest()
    assert stored[1] == "pending"
    assert int(stored[2]) in (13, 14)
    assert tok not in stack.mysql("SELECT id, HEX(token_hash), "
        "COALESCE(invitee_email, ''), COALESCE(override_reason, '') "
        "FROM community_invitations", db="portico")
    assert modlog(stack, slug, "invite_create") == "1"
    # Another signed-in user: the same answer as a token that never was.
    same_as_unknown(jw, tok)
    # The recipient sees the community and accepts.
    r = lc.get("/invitations/" + tok)
    assert r.status == 200
    assert "Private " + slug in text_of(r.text)
    r = post(lc, "/invitations/" + tok, {"action": "accept"})
    assert r.status == 303 and r.header("Location") == "/c/" + slug
    assert stack.mysql("SELECT m.source FROM community_members m WHERE "
        "m.community_id = %d AND m.user_id = %d" % (comm_id(stack, slug),
        user_id(stack, "lchen")), db="portico").strip() == "invitation"
    assert modlog(stack, slug, "invite_accept") == "1"
    assert lc.get("/c/%s/members" % slug).status == 200
    # Single use.
    same_as_unknown(lc, tok)
    x = xml_view(mgr, "/c/%s/invitations" % slug)
    assert x.xpath("//invitations/invitation/@status") == ["accepted"]
    # Already a member: a new invitation is refused.
    r = invite(stack, mgr, slug, "lchen", expect=409)
    assert "already a member" in text_of(r.text)
    # Nobody but its managers sees the invitations page.
    r = lc.get("/c/%s/invitations" % slug)
    assert r.status == 403


def test_email_invitation(stack, base_url, users):
    mgr, ob, lc = users("mokafor"), users("o'brien*"), users("lchen")
    slug = private_community(stack, mgr)
    # An address nobody has yet is fine too; the case does not matter.
    tok = invite(stack, mgr, slug, "Siobhan.OBrien@Kestrel-Cloud.example")
    same_as_unknown(lc, tok)
    # Listed on her /communities page, with accept and decline forms.
    x = xml_view(ob, "/communities")
    inv = x.xpath("//communities/invitation")
    assert [i.get("slug") for i in inv[0].xpath("community")] == [slug]
    iid = inv[0].get("id")
    doc = lxml.html.fromstring(ob.get("/communities").body)
    assert doc.xpath("//form[@action='/communities/invitations/%s']" % iid)
    # Someone else cannot use the id either.
    r = post(lc, "/communities/invitations/%s" % iid, {"action": "accept"})
    assert r.status == 404
    r = post(ob, "/communities/invitations/%s" % iid, {"action": "accept"})
    assert r.status == 303
    assert ob.get("/c/%s/members" % slug).status == 200
    same_as_unknown(ob, tok)
    # An address that is not an address and not a login.
    r = invite(stack, mgr, slug, "no such person", expect=400)
    assert "give their email address" in text_of(r.text)
    # Something with an @ that no mailbox can have: refused, not stored.
    before = stack.mysql("SELECT COUNT(*) FROM community_invitations",
        db="portico")
    for bad in ("a@", "@kestrel-cloud.example", "a@@b.example",
            "a b@c.example"):
        r = invite(stack, mgr, slug, bad, expect=400)
        assert "is not an email address" in text_of(r.text), bad
    assert stack.mysql("SELECT COUNT(*) FROM community_invitations",
        db="portico") == before


def test_decline_expiry_revoke_resend(stack, base_url, users):
    mgr, lc, pr = users("mokafor"), users("lchen"), users("praman")
    slug = private_community(stack, mgr)
    page = "/c/%s/invitations" % slug

    # Declined: recorded, and the link is spent.
    tok = invite(stack, mgr, slug, "praman")
    r = post(pr, "/invitations/" + tok, {"action": "decline"})
    assert r.status == 303
    assert modlog(stack, slug, "invite_decline") == "1"
    same_as_unknown(pr, tok)
    same_as_unknown(pr, tok)  # still

    # Expired: the link is dead; sending again makes a new one.
    tok = invite(stack, mgr, slug, "lchen")
    stack.mysql("UPDATE community_invitations SET expires_at = NOW() - "
        "INTERVAL 1 MINUTE WHERE community_id = %d AND status = 'pending'" %
        comm_id(stack, slug), db="portico")
    same_as_unknown(lc, tok)
    x = xml_view(mgr, page)
    old = x.xpath("//invitation[@status='pending']")[0]
    assert old.get("expired") == "yes"
    r = post(mgr, "/c/%s/invitations/%s/resend" % (slug, old.get("id")), page=page)
    assert r.status == 200
    tok2 = LINK_RE.search(r.text).group(1)
    assert tok2 != tok
    assert stack.mysql("SELECT status FROM community_invitations WHERE "
        "id = %s" % old.get("id"), db="portico").strip() == "superseded"
    assert modlog(stack, slug, "invite_resend") == "1"
    same_as_unknown(lc, tok)
    assert lc.get("/invitations/" + tok2).status == 200

    # Resending a pending one: the old link stops working at once.
    x = xml_view(mgr, page)
    cur = x.xpath("//invitation[@status='pending']")[0].get("id")
    r = post(mgr, "/c/%s/invitations/%s/resend" % (slug, cur), page=page)
    assert r.status == 200
    tok3 = LINK_RE.search(r.text).group(1)
    same_as_unknown(lc, tok2)
    assert lc.get("/invitations/" + tok3).status == 200
    # A new invitation to the same person supersedes the open one too.
    tok4 = invite(stack, mgr, slug, "lchen")
    same_as_unknown(lc, tok3)

    # Revoked: dead; revoking again is as for a missing one.
    x = xml_view(mgr, page)
    cur = x.xpath("//invitation[@status='pending']")[0].get("id")
    r = post(mgr, "/c/%s/invitations/%s/revoke" % (slug, cur), page=page)
    assert r.status == 303
    assert modlog(stack, slug, "invite_revoke") == "1"
    same_as_unknown(lc, tok4)
    r = post(mgr, "/c/%s/invitations/%s/revoke" % (slug, cur), page=page)
    assert r.status == 404
    # A revoked invitation cannot be sent again either.
    r = post(mgr, "/c/%s/invitations/%s/resend" % (slug, cur), page=page)
    assert r.status == 404
    # Nothing is left for lchen.
    x = xml_view(lc, "/communities")
    assert not x.xpath("//communities/invitation")
    assert slug not in lc.get("/communities").text


def test_malformed_tokens_answer_as_missing(stack, base_url, users):
    lc = users("lchen")
    for bad in ("x", "A" * 120, random_token() + "A", "a.b"):
        r = lc.get("/invitations/" + bad)
        assert r.status in (404,), (bad, r.status)
