"""Communities and membership (issue 4), through nginx and through Apache.

Creating communities (who may, the private rule, readable form errors,
escaping, SQL metacharacters), settings, joining an open community, asking
to join and a manager's decision, adding, promoting, demoting and removing
members, leaving, memberships granted by a directory group (which the
portal cannot end), what an ex-member sees afterwards (the not-found page,
byte for byte, on every URL of the community, their own old posts
included), the moderation log of every membership change, and CSRF on
every state change.  Users sign in through the real LDAP directory
(tests/fixtures/ldap); users exist in `users` only after a first sign-in.

Invitations are in test_invitations.py, competitor conflicts in
test_conflicts.py; the helpers shared by the three files are here.
"""

import re
import urllib.parse
import uuid

import lxml.etree
import lxml.html
import pytest

from authlib import (Browser, CSRF_RE, body_without_request_id,
    csrf_routes, logged_in, text_of, xml_view)


def sql_str(s):
    return "'" + s.replace("\\", "\\\\").replace("'", "''") + "'"


def user_id(stack, login):
    # The directory account: an SSO test may have made the same person a
    # second one with the same login.
    out = stack.mysql("SELECT id FROM users WHERE login = %s AND source = "
        "'ldap'" % sql_str(login), db="portico").split()
    assert out, "user %s has not signed in" % login
    return int(out[0])


def token_of(b, path):
    r = b.get(path)
    m = CSRF_RE.search(r.text)
    assert m, "no form token on %s (%d)" % (path, r.status)
    return m.group(1)


def new_slug(prefix="t"):
    return "%s-%s" % (prefix, uuid.uuid4().hex[:10])


def create(stack, b, slug, name=None, description="About it.",
    visibility="listed", join_policy="open", private=False, managers="",
    hold=0, expect=303):
    form = {"csrf": token_of(b, "/communities/new"), "slug": slug,
        "name": name if name is not None else "Community " + slug,
        "description": description, "visibility": visibility,
        "join_policy": join_policy, "hold_first_posts": str(hold),
        "managers": managers}
    if private:
        form["private"] = "1"
    r = b.post("/communities/new", form)
    assert r.status == expect, (r.status, text_of(r.text)[:600])
    return r


def post(b, path, form=None, page="/communities"):
    form = dict(form or {})
    form["csrf"] = token_of(b, page)
    return b.post(path, form)


def comm_id(stack, slug):
    return int(stack.mysql("SELECT id FROM communities WHERE slug = %s" %
        sql_str(slug), db="portico").split()[0])


def modlog(stack, slug, action):
    return stack.mysql("SELECT COUNT(*) FROM moderation_log l JOIN "
        "communities c ON c.id = l.community_id WHERE c.slug = %s AND "
        "l.action = %s" % (sql_str(slug), sql_str(action)),
        db="portico").strip()


def add_member(stack, slug, login, role="member", source="manager"):
    stack.mysql("INSERT INTO community_members (community_id, user_id, "
        "role, source) SELECT c.id, u.id, %s, %s FROM communities c, users u "
        "WHERE c.slug = %s AND u.login = %s AND u.source = 'ldap'" % (
        sql_str(role),
        sql_str(source), sql_str(slug), sql_str(login)), db="portico")


def same_as_missing(b, path, slug):
    """The answer for path equals, byte for byte, the answer for the same
    path in a community that does not exist."""
    r = b.get(path)
    missing = b.get(path.replace(slug, "no-such-" + slug[:20]))
    assert r.status == 404, (path, r.status, text_of(r.text)[:300])
    assert missing.status == 404
    assert body_without_request_id(r) == body_without_request_id(missing), \
        path
    return r


@pytest.fixture
def users(stack, base_url):
    """Signed-in browsers, created on first use."""
    made = {}

    def get(login):
        if login not in made:
            made[login] = logged_in(stack, base_url, login)
        return made[login]
    return get


# ----------------------------------------------------------- creation

def test_only_channel_managers_and_admins_create(stack, base_url, users):
    assert users("lchen").get("/communities/new").status == 403
    r = users("lchen").get("/communities")
    assert r.status == 200
    assert "/communities/new" not in r.text
    assert users("mokafor").get("/communities/new").status == 200
    assert users("hlindqvist").get("/communities/new").status == 200
    r = users("mokafor").get("/communities")
    assert 'href="/communities/new"' in r.text


def test_private_rule_gives_readable_form_error(stack, base_url, users):
    b = users("mokafor")
    slug = new_slug()
    for vis, pol in (("unlisted", "open"), ("listed", "invitation"),
            ("secret", "request")):
        r = create(stack, b, slug, visibility=vis, join_policy=pol,
            private=True, expect=400)
        doc = lxml.html.fromstring(r.body)
        summary = text_of(lxml.html.tostring(
            doc.xpath("//div[@class='error-summary']")[0]).decode())
        assert "private community must be invitation-only" in summary
        # The form comes back with what was sent.
        assert doc.xpath("//input[@name='slug']/@value") == [slug]
        assert doc.xpath("//input[@name='private']/@aria-invalid") == \
            ["true"]
    for bad in ("Upper", "sp ace", "", "x/y"):
        r = create(stack, b, bad, expect=400)
        assert "address of lowercase letters" in text_of(r.text), bad
    r = create(stack, b, slug, visibility="everyone", expect=400)
    assert "Choose who can see" in text_of(r.text)
    r = create(stack, b, slug, name="  ", expect=400)
    assert "Give the community a name" in text_of(r.text)
    r = create(stack, b, slug, managers="nobody-such", expect=400)
    assert 'login "nobody-such"' in text_of(r.text)
    assert stack.mysql("SELECT COUNT(*) FROM communities WHERE slug = %s" %
        sql_str(slug), db="portico").strip() == "0"
    # A private community that is invitation-only and not listed is fine.
    create(stack, b, slug, visibility="secret", join_policy="invitation",
        private=True)
    assert stack.mysql("SELECT private, visibility, join_policy FROM "
        "communities WHERE slug = %s" % sql_str(slug),
        db="portico").split() == ["1", "secret", "invitation"]
    r = create(stack, b, slug, expect=409)
    assert "already has that address" in text_of(r.text)


def test_create_stores_verbatim_and_escapes(stack, base_url, users):
    users("praman")
    b = users("mokafor")
    slug = new_slug()
    name = "<script>alert('n')</script> & Co"
    desc = "Robert'); DROP TABLE users; -- \\ %_ \"q\"\n\n<img src=x " \
        "onerror=alert(1)>"
    r = create(stack, b, slug, name=name, description=desc,
        managers="praman, mokafor praman", hold=3)
    assert r.header("Location") == "/c/%s/members" % slug
    row = stack.mysql("SELECT name, hold_first_posts FROM communities "
        "WHERE slug = %s" % sql_str(slug), db="portico")
    assert row.rstrip("\n").split("\t") == [name, "3"]
    got = stack.mysql("SELECT description FROM communities WHERE slug = "
        "%s" % sql_str(slug), db="portico")
    # mariadb -B escapes newlines and backslashes in its output.
    assert got.rstrip("\n") == desc.replace("\\", "\\\\").replace(
        "\n", "\\n")
    rows = stack.mysql("SELECT u.login, m.role, m.source FROM "
        "community_members m JOIN users u ON u.id = m.user_id JOIN "
        "communities c ON c.id = m.community_id WHERE c.slug = %s "
        "ORDER BY u.login" % sql_str(slug), db="portico").split("\n")
    assert rows[:2] == ["mokafor\tmanager\tcreator",
        "praman\tmanager\tmanager"]
    assert modlog(stack, slug, "community_create") == "1"
    # Named twice, added and logged once; the creator is no addition.
    assert modlog(stack, slug, "manager_add") == "1"
    assert stack.mysql("SELECT COUNT(*) FROM audit_log WHERE action = "
        "'community_create' AND detail = %s" % sql_str("community " + slug),
        db="portico").strip() == "1"

    for path in ("/c/%s/members" % slug, "/communities",
            "/c/%s/settings" % slug):
        r = b.get(path)
        assert r.status == 200, (path, r.status)
        doc = lxml.html.fromstring(r.body)
        assert not doc.xpath("//script"), path
        assert not doc.xpath("//img"), path
        assert not doc.xpath("//@onerror"), path
        assert "&lt;script&gt;alert('n')&lt;/script&gt; &amp; Co" in \
            r.text, path
    x = xml_view(b, "/c/%s/members" % slug)
    assert x.xpath("/page/community/@name") == [name]
    assert x.xpath("/page/community/description/text()") == [desc]
    logins = x.xpath("/page/members/member/@login")
    assert "mokafor" in logins and "praman" in logins
    # The settings form shows the stored text verbatim.
    doc = lxml.html.fromstring(b.get("/c/%s/settings" % slug).body)
    assert doc.xpath("//input[@name='name']/@value") == [name]
    assert doc.xpath("//textarea[@name='description']")[0].text_content() \
        .strip() == desc.strip()


def test_settings_for_managers_only(stack, base_url, users):
    mgr = users("mokafor")
    slug = new_slug()
    create(stack, mgr, slug, join_policy="request")
    # A reader who is not a manager: 403 on a manager page it knows of.
    add_member(stack, slug, "lchen")
    r = users("lchen").get("/c/%s/settings" % slug)
    assert r.status == 403
    assert "Only the managers" in text_of(r.text)
    # Someone who may not read it (listed, by request): not found, exactly.
    same_as_missing(users("jwhitfield"), "/c/%s/settings" % slug, slug)
    # A manager edits it.
    tok = token_of(mgr, "/c/%s/settings" % slug)
    r = mgr.post("/c/%s/settings" % slug, {"csrf": tok, "name": "Renamed",
        "description": "New text", "visibility": "unlisted",
        "join_policy": "invitation", "private": "1",
        "hold_first_posts": "2"})
    assert r.status == 303, text_of(r.text)[:400]
    assert stack.mysql("SELECT name, visibility, join_policy, private, "
        "hold_first_posts FROM communities WHERE slug = %s" % sql_str(slug),
        db="portico").split() == ["Renamed", "unlisted", "invitation", "1",
        "2"]
    assert modlog(stack, slug, "settings_change") == "1"
    r = mgr.post("/c/%s/settings" % slug, {"csrf": tok, "name": "Renamed",
        "visibility": "listed", "join_policy": "invitation",
        "private": "1"})
    assert r.status == 400
    assert "must be invitation-only and not listed" in text_of(r.text)


# -------------------------------------------------------- joining

def test_join_open_and_leave(stack, base_url, users):
    slug = new_slug()
    create(stack, users("mokafor"), slug)
    b = users("lchen")
    r = b.get("/communities")
    doc = lxml.html.fromstring(r.body)
    assert doc.xpath("//form[@action='/c/%s/join']" % slug)
    r = post(b, "/c/%s/join" % slug)
    assert r.status == 303
    assert stack.mysql("SELECT m.source, m.role FROM community_members m "
        "JOIN communities c ON c.id = m.community_id WHERE c.slug = %s AND "
        "m.user_id = %d" % (sql_str(slug), user_id(stack, "lchen")),
        db="portico").split() == ["open", "member"]
    assert modlog(stack, slug, "member_join") == "1"
    x = xml_view(b, "/communities")
    assert x.xpath("//communities/community[@slug='%s']/@member" % slug) == \
        ["yes"]
    r = post(b, "/c/%s/leave" % slug)
    assert r.status == 303
    assert stack.mysql("SELECT COUNT(*) FROM community_members m JOIN "
        "communities c ON c.id = m.community_id WHERE c.slug = %s AND "
        "m.user_id = %d" % (sql_str(slug), user_id(stack, "lchen")),
        db="portico").strip() == "0"
    assert modlog(stack, slug, "member_leave") == "1"
    # The last manager cannot leave.
    r = post(users("mokafor"), "/c/%s/leave" % slug)
    assert r.status == 409
    assert "needs a manager" in text_of(r.text)


def test_request_approve_and_decline(stack, base_url, users):
    slug = new_slug()
    mgr = users("mokafor")
    create(stack, mgr, slug, join_policy="request")
    rk, dt = users("rkumar"), users("dtan")
    # Joining directly is refused with a reason; the page offers a request.
    r = post(rk, "/c/%s/join" % slug)
    assert r.status == 403 and "ask to join" in text_of(r.text)
    doc = lxml.html.fromstring(rk.get("/communities").body)
    assert doc.xpath("//form[@action='/c/%s/requests']//textarea" % slug)
    r = post(rk, "/c/%s/requests" % slug, {"message": "We sell it'; --"})
    assert r.status == 303
    assert post(dt, "/c/%s/requests" % slug).status == 303
    assert modlog(stack, slug, "request_create") == "2"
    assert "waiting for a manager" in text_of(rk.get("/communities").text)
    # Not readable until approved: the same answer as a missing community.
    same_as_missing(rk, "/c/%s/members" % slug, slug)
    # Only managers see the queue.
    users("praman")
    add_member(stack, slug, "praman")
    r = users("praman").get("/c/%s/requests" % slug)
    assert r.status == 403 and "Only the managers" in text_of(r.text)
    x = xml_view(mgr, "/c/%s/requests" % slug)
    reqs = {q.get("login"): q for q in x.xpath("//requests/request")}
    assert reqs["rkumar"].text == "We sell it'; --"
    page = "/c/%s/requests" % slug
    r = post(mgr, "/c/%s/requests/%s/approve" % (slug,
        reqs["rkumar"].get("id")), page=page)
    assert r.status == 303, text_of(r.text)[:400]
    r = post(mgr, "/c/%s/requests/%s/decline" % (slug,
        reqs["dtan"].get("id")), page=page)
    assert r.status == 303
    assert stack.mysql("SELECT u.login, r.status FROM "
        "community_join_requests r JOIN users u ON u.id = r.user_id JOIN "
        "communities c ON c.id = r.community_id WHERE c.slug = %s ORDER BY "
        "u.login" % sql_str(slug), db="portico").split() == \
        ["dtan", "declined", "rkumar", "approved"]
    assert stack.mysql("SELECT m.source FROM community_members m JOIN "
        "communities c ON c.id = m.community_id WHERE c.slug = %s AND "
        "m.user_id = %d" % (sql_str(slug), user_id(stack, "rkumar")),
        db="portico").strip() == "request"
    assert modlog(stack, slug, "request_approve") == "1"
    assert modlog(stack, slug, "request_decline") == "1"
    assert rk.get("/c/%s/members" % slug).status == 200
    same_as_missing(dt, "/c/%s/members" % slug, slug)
    # A decided request cannot be decided again.
    r = post(mgr, "/c/%s/requests/%s/approve" % (slug,
        reqs["dtan"].get("id")), page=page)
    assert r.status == 404


# ------------------------------------------------- managers' actions

def test_add_promote_demote_remove(stack, base_url, users):
    slug = new_slug()
    mgr = users("mokafor")
    users("lchen")
    create(stack, mgr, slug, visibility="unlisted",
        join_policy="invitation", private=True)
    page = "/c/%s/members" % slug
    r = post(mgr, page, {"login": "nobody-at-all"}, page=page)
    assert r.status == 400 and "Invite them by email" in text_of(r.text)
    r = post(mgr, page, {"login": "lchen"}, page=page)
    assert r.status == 303
    lc = user_id(stack, "lchen")
    assert modlog(stack, slug, "member_add") == "1"
    r = post(mgr, page, {"login": "lchen"}, page=page)
    assert r.status == 409 and "already a member" in text_of(r.text)
    # lchen is a member: she may read, not manage.
    assert users("lchen").get(page).status == 200
    r = users("lchen").get("/c/%s/invitations" % slug)
    assert r.status == 403
    r = post(mgr, "/c/%s/members/%d/role" % (slug, lc), {"role": "manager"},
        page=page)
    assert r.status == 303
    assert users("lchen").get("/c/%s/invitations" % slug).status == 200
    assert modlog(stack, slug, "member_promote") == "1"
    r = post(mgr, "/c/%s/members/%d/role" % (slug, lc), {"role": "member"},
        page=page)
    assert r.status == 303
    assert modlog(stack, slug, "member_demote") == "1"
    mk = user_id(stack, "mokafor")
    r = post(mgr, "/c/%s/members/%d/role" % (slug, mk), {"role": "member"},
        page=page)
    assert r.status == 409 and "needs a manager" in text_of(r.text)
    r = post(mgr, "/c/%s/members/%d/remove" % (slug, lc),
        {"reason": "left the company"}, page=page)
    assert r.status == 303
    assert stack.mysql("SELECT reason FROM moderation_log l JOIN "
        "communities c ON c.id = l.community_id WHERE c.slug = %s AND "
        "l.action = 'member_remove'" % sql_str(slug),
        db="portico").strip() == "left the company"
    # Someone who is not a member of it: as if missing.
    r = post(mgr, "/c/%s/members/%d/remove" % (slug, lc), page=page)
    assert r.status == 404


def test_ex_member_sees_nothing(stack, base_url, users):
    slug = new_slug()
    mgr = users("mokafor")
    create(stack, mgr, slug, visibility="secret", join_policy="invitation",
        private=True)
    lc = users("lchen")
    add_member(stack, slug, "lchen")
    cid = comm_id(stack, slug)
    uid = user_id(stack, "lchen")
    stack.mysql("INSERT INTO threads (community_id, author_id, title) "
        "VALUES (%d, %d, 'Old thread of lchen')" % (cid, uid), db="portico")
    tid = int(stack.mysql("SELECT MAX(id) FROM threads WHERE community_id "
        "= %d" % cid, db="portico").split()[0])
    stack.mysql("INSERT INTO posts (thread_id, community_id, author_id, "
        "is_first, body) VALUES (%d, %d, %d, 1, 'her own words')" % (tid, cid,
        uid), db="portico")
    assert lc.get("/c/%s/members" % slug).status == 200
    x = xml_view(lc, "/communities")
    assert x.xpath("//communities/community[@slug='%s']" % slug)

    r = post(mgr, "/c/%s/members/%d/remove" % (slug, uid),
        page="/c/%s/members" % slug)
    assert r.status == 303
    for path in ("/c/%s/members", "/c/%s/settings", "/c/%s/requests",
            "/c/%s/invitations", "/c/%s"):
        same_as_missing(lc, path % slug, slug)
    for path in ("/c/%s/join", "/c/%s/leave", "/c/%s/requests"):
        r = post(lc, path % slug)
        missing = post(lc, path % ("no-such-" + slug[:20]))
        assert r.status == 404 and missing.status == 404, path
        assert body_without_request_id(r) == \
            body_without_request_id(missing), path
    # Her own old thread answers as a thread that does not exist.
    r = lc.get("/t/%d" % tid)
    missing = lc.get("/t/999999999")
    assert r.status == 404
    assert body_without_request_id(r) == body_without_request_id(missing)
    for resp in (lc.get("/communities"), lc.get("/communities?format=xml")):
        assert slug not in resp.text
        assert "Old thread of lchen" not in resp.text


def test_directory_membership_is_managed_by_it(stack, base_url, users):
    slug = new_slug()
    mgr = users("mokafor")
    create(stack, mgr, slug, visibility="unlisted", join_policy="invitation",
        private=True)
    rk = users("rkumar")
    uid = user_id(stack, "rkumar")
    group = "cn=apac-msp,ou=groups,dc=halvard,dc=example"
    stack.mysql("INSERT INTO directory_memberships (user_id, "
        "community_slug, source, via_group, confirmed_at) VALUES (%d, %s, "
        "'ldap', %s, NOW())" % (uid, sql_str(slug), sql_str(group)),
        db="portico")
    r = rk.get("/c/%s/members" % slug)
    assert r.status == 200
    assert "Your IT department manages this membership" in text_of(r.text)
    assert 'action="/c/%s/leave"' % slug not in r.text
    x = xml_view(mgr, "/c/%s/members" % slug)
    assert x.xpath("//member[@login='rkumar']/group/text()") == [group]
    doc = lxml.html.fromstring(mgr.get("/c/%s/members" % slug).body)
    assert "via group %s" % group in text_of(mgr.get("/c/%s/members" %
        slug).text)
    assert not doc.xpath("//form[@action='/c/%s/members/%d/remove']" %
        (slug, uid))
    r = post(mgr, "/c/%s/members/%d/remove" % (slug, uid),
        page="/c/%s/members" % slug)
    assert r.status == 409 and "IT department" in text_of(r.text)
    r = post(rk, "/c/%s/leave" % slug, page="/c/%s/members" % slug)
    assert r.status == 409 and "IT department" in text_of(r.text)
    # The directory removes the grant: nothing is left to see.
    stack.mysql("DELETE FROM directory_memberships WHERE user_id = %d AND "
        "community_slug = %s" % (uid, sql_str(slug)), db="portico")
    same_as_missing(rk, "/c/%s/members" % slug, slug)


# ------------------------------------------------------------- CSRF

def test_state_changes_need_the_form_token(stack, base_url, users):
    slug = new_slug()
    mgr = users("mokafor")
    create(stack, mgr, slug)
    lc = users("lchen")
    for b, path, form in (
            (lc, "/c/%s/join" % slug, {}),
            (lc, "/c/%s/requests" % slug, {"message": "x"}),
            (mgr, "/communities/new", {"slug": new_slug(), "name": "x",
                "visibility": "listed", "join_policy": "open"}),
            (mgr, "/c/%s/members" % slug, {"login": "lchen"}),
            (mgr, "/c/%s/settings" % slug, {"name": "x"}),
            (mgr, "/c/%s/invitations" % slug, {"to": "lchen"}),
            (users("hlindqvist"), "/admin/conflicts", {"action": "add"})):
        for tok in (None, "forged"):
            f = dict(form)
            if tok:
                f["csrf"] = tok
            r = b.post(path, f)
            assert r.status == 403, (path, r.status)
            assert "form has expired" in text_of(r.text)
    assert stack.mysql("SELECT COUNT(*) FROM community_members m JOIN "
        "communities c ON c.id = m.community_id WHERE c.slug = %s" %
        sql_str(slug), db="portico").strip() == "1"
    # Every state-changing route of the module is flagged for the check.
    ours = re.compile(r"^/(communities|c/|invitations/|admin/conflicts)")
    flagged = {p for _, p in csrf_routes(stack)}
    for line in stack.ctl("routes").stdout.splitlines():
        f = line.split("\t")
        if len(f) >= 5 and f[0] == "communities" and "POST" in f[1]:
            assert ours.match(f[2]), f
            assert f[2] in flagged, f


# ------------------------------------------------------------- pages

def test_pages_are_clean_accessible_html(stack, base_url, users):
    from test_pages import check_no_inline_code, check_security_headers, \
        parse_html
    mgr = users("mokafor")
    users("lchen")
    slug = new_slug()
    create(stack, mgr, slug, join_policy="request")
    add_member(stack, slug, "lchen")
    assert post(users("rkumar"), "/c/%s/requests" % slug).status == 303
    ipage = "/c/%s/invitations" % slug
    r = post(mgr, ipage, {"to": "someone@example.org"}, page=ipage)
    assert r.status == 200
    tok = re.search(r"/invitations/([A-Za-z0-9_-]{43})", r.text).group(1)
    pages = [(mgr, p) for p in ("/communities", "/communities/new",
        "/c/%s/members" % slug, "/c/%s/requests" % slug, ipage,
        "/c/%s/settings" % slug)]
    pages.append((users("hlindqvist"), "/admin/conflicts"))
    pages.append((users("lchen"), "/communities"))
    pages.append((users("lchen"), "/c/%s/members" % slug))
    pr = users("praman")
    stack.mysql("UPDATE users SET email = 'someone@example.org' WHERE "
        "login = 'praman' AND source = 'ldap'", db="portico")
    try:
        pages.append((pr, "/invitations/" + tok))
        for b, path in pages:
            r = b.get(path)
            assert r.status == 200, (path, r.status)
            check_security_headers(r)
            doc = parse_html(r.body)
            check_no_inline_code(doc)
            assert len(doc.xpath("//h1")) == 1, path
            ids = set(doc.xpath("//@id"))
            # Every visible control has a label.
            for el in doc.xpath("//input[not(@type='hidden')] | //select "
                    "| //textarea"):
                eid = el.get("id")
                assert eid and doc.xpath("//label[@for='%s']" % eid), \
                    (path, lxml.html.tostring(el)[:200])
            for a in doc.xpath("//a[starts-with(@href, '#')]"):
                assert a.get("href")[1:] in ids, (path, a.get("href"))
            # Every POST form carries the form token.
            for f in doc.xpath("//form[@method='post']"):
                assert f.xpath(".//input[@name='csrf' and @value!='']"), \
                    (path, f.get("action"))
    finally:
        stack.mysql("UPDATE users SET email = 'priya.raman@halvard.example' "
            "WHERE login = 'praman' AND source = 'ldap'", db="portico")


def test_pages_are_paginated(stack, base_url, users):
    """The list and the invitations page go 100 at a time, keyset."""
    mgr = users("mokafor")
    tag = uuid.uuid4().hex[:8]
    stack.mysql("INSERT INTO communities (slug, name, description, "
        "visibility, join_policy) SELECT CONCAT('zz-%s-', seq), "
        "CONCAT('Zz pager %s ', LPAD(seq, 3, '0')), '', 'listed', 'open' "
        "FROM seq_1_to_130" % (tag, tag), db="portico")
    seen, target, pages = [], "/communities", 0
    while target and pages < 20:
        x = xml_view(mgr, target)
        seen += x.xpath("//communities/community/@slug")
        assert len(x.xpath("//communities/community")) <= 100
        nxt = x.xpath("//communities/next")
        target = None
        if nxt:
            target = "/communities?after=%s&after_id=%s" % (
                urllib.parse.quote(nxt[0].get("after")),
                nxt[0].get("after-id"))
        pages += 1
    ours = [s for s in seen if s.startswith("zz-%s-" % tag)]
    assert len(ours) == 130 and len(set(ours)) == 130
    assert pages >= 2
    r = mgr.get("/communities")
    assert lxml.html.fromstring(r.body).xpath(
        "//form[@action='/communities']//input[@name='after_id']")
    # Invitations: newest first, older ones on the next page.
    slug = new_slug()
    create(stack, mgr, slug, visibility="unlisted", join_policy="invitation")
    stack.mysql("INSERT INTO community_invitations (community_id, "
        "token_hash, invitee_email, invited_by, expires_at) SELECT %d, "
        "UNHEX(SHA2(CONCAT('%s', seq), 256)), CONCAT('p', seq, "
        "'@example.org'), %d, NOW() + INTERVAL 1 DAY FROM seq_1_to_105" %
        (comm_id(stack, slug), tag, user_id(stack, "mokafor")), db="portico")
    x = xml_view(mgr, "/c/%s/invitations" % slug)
    first = x.xpath("//invitations/invitation/@id")
    assert len(first) == 100
    before = x.xpath("//invitations/next/@before")[0]
    x = xml_view(mgr, "/c/%s/invitations?before=%s" % (slug, before))
    rest = x.xpath("//invitations/invitation/@id")
    assert len(rest) == 5 and not set(rest) & set(first)
    assert not x.xpath("//invitations/next")
    stack.mysql("DELETE FROM communities WHERE slug LIKE 'zz-%s-%%'" % tag,
        db="portico")
