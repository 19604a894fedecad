"""Moderation in communities, through nginx and Apache, checked against
MariaDB (modules/communities/moderation*.c).

Each test builds its own communities, threads and posts with SQL (the
pages that create them are written at the same time) for demo LDAP users
who have signed in once, then drives the moderation routes as those
users:

    kestrel private community K    jwhitfield manages, lchen is a member
    a second one, K2               jwhitfield manages (the move target)
    meridian private community M   dtan manages, rkumar is a member
    knakamura                      vendor staff with the moderator role

Checked: every action changes what it says and writes its moderation_log
row (who, why); hide and delete need a reason; reports are stored once
and resolved by an action or dismissed; a reader who does not moderate
gets a readable 403 and a non-reader the very bytes of a missing id; a
move carries the thread's posts, kudos and reports to the other
community and out of the old one's pages; CSRF; reasons with markup come
out escaped.
"""

import itertools
import os
import urllib.parse

import lxml.etree
import pytest

from authlib import Browser, body_without_request_id, text_of
from test_pages import check_error_page, check_no_inline_code, parse_html

DB = "portico"
XSS = "<script>alert('x')</script> & \"quotes\""
_seq = itertools.count(1)
_browsers = {}


def q(stack, sql):
    return stack.mysql(sql, db=DB).strip()


def esc(s):
    return s.replace("\\", "\\\\").replace("'", "\\'")


def signed_in(stack, base_url, login):
    """A signed-in Browser for login on this web server (cached)."""
    key = (base_url, login)
    b = _browsers.get(key)
    if b is not None and b.get("/account").status == 200:
        return b
    b = Browser(base_url)
    stack.mysql("DELETE FROM login_throttle", db=DB)
    r = b.login_ldap(login)
    assert r.status == 303, (login, r.status, text_of(r.text)[:300])
    _browsers[key] = b
    return b


def uid(stack, login):
    return int(q(stack, "SELECT id FROM users WHERE login = '%s' "
        "ORDER BY id LIMIT 1" % esc(login)))


def token(b):
    return b.form_token("/account")


class World:
    """Communities, threads and posts for one test, made with SQL."""

    def __init__(self, stack, base_url):
        self.stack = stack
        self.base = base_url
        self.n = "%d-%d" % (os.getpid(), next(_seq))
        for login in ("jwhitfield", "lchen", "dtan", "rkumar", "knakamura",
                "mokafor"):
            signed_in(stack, base_url, login)
        self.u = {login: uid(stack, login) for login in ("jwhitfield",
            "lchen", "dtan", "rkumar", "knakamura", "mokafor")}

    def browser(self, login):
        return signed_in(self.stack, self.base, login)

    def community(self, name, private=True, members=(), managers=(),
            policy=None):
        slug = "%s-%s" % (name, self.n)
        if private:
            vis, jp = "unlisted", "invitation"
        else:
            vis, jp = "listed", policy or "open"
        cid = int(q(self.stack, "INSERT INTO communities (slug, name, "
            "description, visibility, join_policy, private) VALUES "
            "('%s', 'Community %s', 'About %s', '%s', '%s', %d); "
            "SELECT LAST_INSERT_ID()" % (slug, slug, slug, vis, jp,
            1 if private else 0)))
        for login in managers:
            self.member(cid, login, "manager")
        for login in members:
            self.member(cid, login, "member")
        return cid, slug

    def member(self, cid, login, role="member"):
        q(self.stack, "INSERT INTO community_members (community_id, "
            "user_id, role, source) VALUES (%d, %d, '%s', 'manager')" %
            (cid, self.u[login], role))

    def thread(self, cid, login, title, status="visible"):
        tid = int(q(self.stack, "INSERT INTO threads (community_id, "
            "author_id, title, status) VALUES (%d, %d, '%s', '%s'); "
            "SELECT LAST_INSERT_ID()" % (cid, self.u[login], esc(title),
            status)))
        pid = self.post(tid, login, "Opening post of %s" % title, status,
            first=True)
        return tid, pid

    def post(self, tid, login, body, status="visible", first=False):
        cid = int(q(self.stack, "SELECT community_id FROM threads "
            "WHERE id = %d" % tid))
        pid = int(q(self.stack, "INSERT INTO posts (thread_id, "
            "community_id, author_id, is_first, body, status) VALUES "
            "(%d, %d, %d, %d, '%s', '%s'); SELECT LAST_INSERT_ID()" %
            (tid, cid, self.u[login], 1 if first else 0, esc(body),
            status)))
        if not first:
            q(self.stack, "UPDATE threads SET reply_count = reply_count + "
                "%d WHERE id = %d" % (1 if status == "visible" else 0,
                tid))
        return pid

    def log(self, cid, action=None):
        """moderation_log rows of community cid: (action, actor login,
        thread, post, reason), oldest first."""
        where = "" if action is None else " AND l.action = '%s'" % action
        out = self.stack.mysql("SELECT l.action, u.login, "
            "COALESCE(l.thread_id, 0), COALESCE(l.post_id, 0), l.reason "
            "FROM moderation_log l JOIN users u ON u.id = l.actor_id "
            "WHERE l.community_id = %d%s ORDER BY l.id" % (cid, where), db=DB)
        rows = []
        for line in out.splitlines():
            a, who, t, p, why = line.split("\t")
            rows.append((a, who, int(t), int(p), why))
        return rows


def post_status(stack, pid):
    out = stack.mysql("SELECT status, COALESCE(status_reason, '') "
        "FROM posts WHERE id = %d" % pid, db=DB)
    return tuple(out.rstrip("\n").split("\t"))


def thread_row(stack, tid):
    return q(stack, "SELECT status, locked, pinned, featured, reply_count, "
        "community_id FROM threads WHERE id = %d" % tid).split("\t")


def contributors(b, slug):
    """Names in the top contributors of community slug, as b sees them."""
    r = b.get("/c/%s/contributors?format=xml" % slug)
    assert r.status == 200, r.status
    return [c.get("name") for c in lxml.etree.fromstring(r.body).xpath(
        "//contributors/contributor")]


def act(b, path, reason=None, tok=None, **extra):
    form = {"csrf": tok if tok is not None else token(b)}
    if reason is not None:
        form["reason"] = reason
    form.update(extra)
    return b.post(path, form)


def redirected(r, path):
    assert r.status == 303, (r.status, text_of(r.text)[:400])
    loc = r.header("Location")
    assert urllib.parse.urlsplit(loc).path == path, (loc, path)


@pytest.fixture
def world(stack, base_url):
    return World(stack, base_url)


def test_hide_unhide_delete_each_logged_with_reason(stack, world):
    k, kslug = world.community("kestrel-talk", managers=["jwhitfield"],
        members=["lchen"])
    tid, first = world.thread(k, "jwhitfield", "Quarterly pipeline review")
    reply = world.post(tid, "lchen", "A reply that needs moderating")
    q(stack, "INSERT INTO post_reports (post_id, community_id, reporter_id, "
        "reason) VALUES (%d, %d, %d, 'spam')" % (reply, k,
        world.u["jwhitfield"]))
    mgr = world.browser("jwhitfield")

    r = act(mgr, "/p/%d/hide" % reply, reason=XSS)
    redirected(r, "/t/%d" % tid)
    assert post_status(stack, reply) == ("hidden", XSS)
    assert thread_row(stack, tid)[4] == "0", "hidden reply still counted"
    assert q(stack, "SELECT resolution, resolved_by FROM post_reports "
        "WHERE post_id = %d" % reply) == "hidden\t%d" % world.u["jwhitfield"]

    r = act(mgr, "/p/%d/unhide" % reply)
    redirected(r, "/t/%d" % tid)
    assert post_status(stack, reply) == ("visible", "")
    assert thread_row(stack, tid)[4] == "1"

    r = act(mgr, "/p/%d/delete" % reply, reason="Off topic", back="queue")
    redirected(r, "/c/%s/moderation" % kslug)
    assert post_status(stack, reply) == ("deleted", "Off topic")
    # Deleted is final: it cannot be shown again.
    r = act(mgr, "/p/%d/unhide" % reply)
    assert r.status == 409, r.status
    # An action whose state already holds changes and logs nothing.
    r = act(mgr, "/p/%d/delete" % reply, reason="again")
    redirected(r, "/t/%d" % tid)

    assert world.log(k) == [
        ("hide", "jwhitfield", tid, reply, XSS),
        ("unhide", "jwhitfield", tid, reply, ""),
        ("delete", "jwhitfield", tid, reply, "Off topic"),
    ]
    # Hiding the opening post hides the thread with it.
    r = act(mgr, "/p/%d/hide" % first, reason="Wrong place")
    redirected(r, "/t/%d" % tid)
    assert thread_row(stack, tid)[0] == "hidden"
    r = act(mgr, "/p/%d/unhide" % first, reason="")
    assert thread_row(stack, tid)[0] == "visible"

    # The log page shows who, what and why, the reason escaped.
    r = mgr.get("/c/%s/moderation/log" % kslug)
    assert r.status == 200, r.text[:300]
    doc = parse_html(r.body)
    assert "<script>alert" not in r.text
    assert "&lt;script&gt;alert" in r.text
    rows = doc.xpath("//table//tbody/tr")
    assert len(rows) == 5
    assert "Jack Whitfield" in text_of(r.text)
    r = mgr.get("/c/%s/moderation/log?action=delete" % kslug)
    doc = parse_html(r.body)
    assert len(doc.xpath("//table//tbody/tr")) == 1
    assert "Off topic" in text_of(r.text)
    x = mgr.get("/c/%s/moderation/log?format=xml&action=hide" % kslug)
    assert x.status == 200 and b"<modlog" in x.body
    assert x.body.count(b"<entry ") == 2


def test_log_shows_membership_actions_and_pages(stack, world):
    k, kslug = world.community("kestrel-log", managers=["jwhitfield"],
        members=["lchen"])
    q(stack, "INSERT INTO moderation_log (community_id, subject_user_id, "
        "actor_id, action, reason) VALUES (%d, %d, %d, 'member_add', "
        "'new hire')" % (k, world.u["lchen"], world.u["jwhitfield"]))
    for i in range(55):
        q(stack, "INSERT INTO moderation_log (community_id, actor_id, "
            "action, reason) VALUES (%d, %d, 'lock', 'bulk %02d')" % (k,
            world.u["jwhitfield"], i))
    mgr = world.browser("jwhitfield")
    x = lxml.etree.fromstring(mgr.get("/c/%s/moderation/log?format=xml" %
        kslug).body)
    assert len(x.xpath("//modlog/entry")) == 50
    assert x.xpath("//modlog/entry[1]/reason")[0].text == "bulk 54"
    before = x.xpath("//modlog/next/@before")[0]
    r = mgr.get("/c/%s/moderation/log?before=%s" % (kslug, before))
    page = parse_html(r.body)
    rows = page.xpath("//table//tbody/tr")
    assert len(rows) == 6
    last = " ".join("".join(rows[-1].itertext()).split())
    assert "Added a member" in last and "Member: Lina Chen" in last and \
        "new hire" in last, last
    assert not page.xpath("//input[@name='before']"), "a page after the last"
    r = mgr.get("/c/%s/moderation/log?action=member_add" % kslug)
    assert len(parse_html(r.body).xpath("//table//tbody/tr")) == 1


def test_hide_and_delete_need_a_reason(stack, world):
    k, kslug = world.community("kestrel-reasons", managers=["jwhitfield"])
    tid, first = world.thread(k, "jwhitfield", "Reasons please")
    reply = world.post(tid, "jwhitfield", "reply")
    mgr = world.browser("jwhitfield")
    for action in ("hide", "delete"):
        for reason in (None, "   \n "):
            r = act(mgr, "/p/%d/%s" % (reply, action), reason=reason)
            assert r.status == 400, r.status
            doc = parse_html(r.body)
            forms = doc.xpath("//form[@action='/p/%d/%s']" % (reply, action))
            assert forms, "no form asking for the reason"
            assert forms[0].xpath(".//input[@name='csrf']")
            assert forms[0].xpath(".//textarea[@name='reason']")
            assert doc.xpath("//label[@for='reason']")
    assert post_status(stack, reply) == ("visible", "")
    assert world.log(k) == []


def test_held_first_post_approved_makes_thread_visible(stack, world):
    k, kslug = world.community("kestrel-held", managers=["jwhitfield"],
        members=["lchen"])
    title = "New member question <img src=x onerror=alert(1)>"
    tid, first = world.thread(k, "lchen", title, status="held")
    assert thread_row(stack, tid)[0] == "held"
    staff = world.browser("knakamura")

    r = staff.get("/c/%s/moderation" % kslug)
    assert r.status == 200, r.text[:300]
    doc = parse_html(r.body)
    check_no_inline_code(doc)
    assert title in text_of(r.text)
    assert "<img" not in r.text
    assert doc.xpath("//form[@action='/p/%d/approve']" % first)
    for f in doc.xpath("//form[@method='post']"):
        assert f.xpath(".//input[@name='csrf']"), f.get("action")

    r = act(staff, "/p/%d/approve" % first, back="queue")
    redirected(r, "/c/%s/moderation" % kslug)
    assert post_status(stack, first) == ("visible", "")
    assert thread_row(stack, tid)[0] == "visible"
    assert world.log(k) == [("approve", "knakamura", tid, first, "")]
    r = staff.get("/c/%s/moderation" % kslug)
    assert "New member question" not in text_of(r.text)
    # Approving a visible post is no action at all.
    r = act(staff, "/p/%d/approve" % first)
    redirected(r, "/t/%d" % tid)
    assert len(world.log(k)) == 1


def test_approving_a_held_reply_notifies_as_its_author(stack, world):
    k, kslug = world.community("kestrel-notes", managers=["jwhitfield"],
        members=["lchen"])
    tid, first = world.thread(k, "jwhitfield", "Who is in")
    reply = world.post(tid, "lchen", "Me, and @jwhitfield and @mokafor "
        "should know", status="held")

    def notes():
        out = stack.mysql("SELECT u.login, n.kind, a.login FROM "
            "notifications n JOIN users u ON u.id = n.user_id JOIN users a "
            "ON a.id = n.actor_id WHERE n.post_id = %d ORDER BY u.login" %
            reply, db=DB)
        return [tuple(line.split("\t")) for line in out.splitlines()]
    assert notes() == []
    r = act(world.browser("knakamura"), "/p/%d/approve" % reply)
    redirected(r, "/t/%d" % tid)
    assert post_status(stack, reply) == ("visible", "")
    assert thread_row(stack, tid)[4] == "1"
    # jwhitfield is mentioned (one notification, not a reply too); the
    # channel manager cannot read the private community: nothing for him.
    assert notes() == [("jwhitfield", "mention", "lchen")]
    plain = world.post(tid, "lchen", "And a plain follow-up", status="held")
    redirected(act(world.browser("jwhitfield"), "/p/%d/approve" % plain),
        "/t/%d" % tid)
    assert q(stack, "SELECT u.login, n.kind, n.actor_id FROM notifications "
        "n JOIN users u ON u.id = n.user_id WHERE n.post_id = %d" %
        plain) == "jwhitfield\treply\t%d" % world.u["lchen"]


def test_queue_oldest_first_and_paginated(stack, world):
    k, kslug = world.community("kestrel-queue", managers=["jwhitfield"],
        members=["lchen"])
    tid, first = world.thread(k, "jwhitfield", "Busy thread")
    held = []
    for i in range(30):
        pid = world.post(tid, "lchen", "held reply %02d" % i, status="held")
        q(stack, "UPDATE posts SET created_at = '2026-01-01 00:00:00' + "
            "INTERVAL %d MINUTE WHERE id = %d" % (i, pid))
        held.append(pid)
    mgr = world.browser("jwhitfield")
    x = mgr.get("/c/%s/moderation?format=xml" % kslug)
    assert x.status == 200
    doc = lxml.etree.fromstring(x.body)
    items = doc.xpath("//moderation/item/post/@id")
    assert [int(i) for i in items] == held[:25]
    nx = doc.xpath("//moderation/next")[0]
    r = mgr.get("/c/%s/moderation?format=xml&after=%s&after_kind=%s"
        "&after_id=%s" % (kslug, nx.get("after").replace(" ", "+"),
        nx.get("after-kind"), nx.get("after-id")))
    doc = lxml.etree.fromstring(r.body)
    assert [int(i) for i in doc.xpath("//moderation/item/post/@id")] == \
        held[25:]
    assert not doc.xpath("//moderation/next")
    # The HTML page offers the next page as a form.
    r = mgr.get("/c/%s/moderation" % kslug)
    page = parse_html(r.body)
    assert page.xpath("//form[@method='get']//input[@name='after_id']")


def test_thread_flags_logged_once(stack, world):
    k, kslug = world.community("kestrel-flags", managers=["jwhitfield"])
    tid, first = world.thread(k, "jwhitfield", "Flags")
    staff = world.browser("knakamura")
    expect = []
    for path, col, val in (("/t/%d/lock", 1, "1"), ("/t/%d/pin", 2, "1"),
            ("/t/%d/feature", 3, "1"), ("/t/%d/unlock", 1, "0"),
            ("/t/%d/unpin", 2, "0"), ("/t/%d/unfeature", 3, "0")):
        action = path.rsplit("/", 1)[1]
        r = act(staff, path % tid, reason="why %s" % action)
        redirected(r, "/t/%d" % tid)
        assert thread_row(stack, tid)[col] == val, (action, thread_row(
            stack, tid))
        expect.append((action, "knakamura", tid, 0, "why %s" % action))
        # Twice: nothing changes, nothing more is logged.
        r = act(staff, path % tid)
        redirected(r, "/t/%d" % tid)
    assert world.log(k) == expect


def test_report_once_queue_and_dismiss(stack, world):
    m, mslug = world.community("meridian-ops", managers=["dtan"],
        members=["rkumar"])
    tid, first = world.thread(m, "dtan", "Renewal pricing")
    member = world.browser("rkumar")

    r = member.get("/p/%d/report" % first)
    assert r.status == 200, r.text[:300]
    doc = parse_html(r.body)
    form = doc.xpath("//form[@action='/p/%d/report']" % first)[0]
    assert form.xpath(".//input[@name='csrf']")
    assert doc.xpath("//label[@for='reason']")
    r = act(member, "/p/%d/report" % first, reason="  ")
    assert r.status == 400
    r = act(member, "/p/%d/report" % first, reason=XSS)
    redirected(r, "/t/%d" % tid)
    r = act(member, "/p/%d/report" % first, reason="again")
    assert r.status == 409, r.status
    assert "already reported" in text_of(r.text)
    assert q(stack, "SELECT COUNT(*), MIN(reason) FROM post_reports "
        "WHERE post_id = %d" % first) == "1\t%s" % XSS
    assert world.log(m) == [], "a member's report is not a moderation action"

    mgr = world.browser("dtan")
    r = mgr.get("/c/%s/moderation" % mslug)
    assert r.status == 200
    assert "<script>alert" not in r.text and "&lt;script&gt;" in r.text
    rid = int(q(stack, "SELECT id FROM post_reports WHERE post_id = %d" %
        first))
    doc = parse_html(r.body)
    assert doc.xpath("//form[@action='/c/%s/moderation/reports/%d/dismiss']"
        % (mslug, rid))
    r = act(mgr, "/c/%s/moderation/reports/%d/dismiss" % (mslug, rid),
        reason="Pricing is on topic")
    redirected(r, "/c/%s/moderation" % mslug)
    assert q(stack, "SELECT resolution, resolved_by IS NOT NULL, "
        "resolved_at IS NOT NULL FROM post_reports WHERE id = %d" % rid) == \
        "dismissed\t1\t1"
    assert world.log(m) == [("dismiss", "dtan", tid, first,
        "Pricing is on topic")]
    r = mgr.get("/c/%s/moderation" % mslug)
    assert "Renewal pricing" not in text_of(r.text)
    # A report id of another community is not found through this one.
    k, kslug = world.community("kestrel-other", managers=["dtan"])
    r = act(mgr, "/c/%s/moderation/reports/%d/dismiss" % (kslug, rid))
    assert r.status == 404
    # A hidden post cannot be reported: its reader is not shown it.
    act(mgr, "/p/%d/hide" % first, reason="x")
    assert member.get("/p/%d/report" % first).status == 404


def test_403_for_readers_404_for_everyone_else(stack, world):
    k, kslug = world.community("kestrel-private", managers=["jwhitfield"],
        members=["lchen"])
    tid, first = world.thread(k, "jwhitfield", "Kestrel only")
    rid = int(q(stack, "INSERT INTO post_reports (post_id, community_id, "
        "reporter_id, reason) VALUES (%d, %d, %d, 'r'); "
        "SELECT LAST_INSERT_ID()" % (first, k, world.u["lchen"])))
    member = world.browser("lchen")
    rival = world.browser("dtan")
    missing_p, missing_t = 2 ** 40, 2 ** 40
    post_routes = ["hide", "unhide", "delete", "approve"]
    thread_routes = ["lock", "unlock", "pin", "unpin", "feature",
        "unfeature", "move"]

    # A member who does not moderate: a readable 403, nothing changes.
    for a in post_routes:
        check_error_page(act(member, "/p/%d/%s" % (first, a), reason="x"),
            403, "moderators")
    for a in thread_routes:
        check_error_page(act(member, "/t/%d/%s" % (tid, a), reason="x"),
            403, "moderators")
    for path in ("/c/%s/moderation" % kslug, "/c/%s/moderation/log" % kslug,
            "/t/%d/move" % tid):
        check_error_page(member.get(path), 403, "moderators")
    check_error_page(act(member, "/c/%s/moderation/reports/%d/dismiss" %
        (kslug, rid)), 403, "moderators")
    assert thread_row(stack, tid)[:4] == ["visible", "0", "0", "0"]
    assert world.log(k) == []

    # A competitor: the same bytes as for an id that does not exist.
    def same(path_real, path_missing, post=False):
        if post:
            a = act(rival, path_real, reason="x", to=kslug)
            b = act(rival, path_missing, reason="x", to=kslug)
        else:
            a = rival.get(path_real)
            b = rival.get(path_missing)
        assert a.status == 404, (path_real, a.status)
        assert body_without_request_id(a) == body_without_request_id(b), \
            path_real
        assert "Kestrel only" not in a.text and kslug not in a.text
    for a in post_routes + ["kudos", "unkudos", "report"]:
        same("/p/%d/%s" % (first, a), "/p/%d/%s" % (missing_p, a), True)
    same("/p/%d/report" % first, "/p/%d/report" % missing_p)
    for a in thread_routes:
        same("/t/%d/%s" % (tid, a), "/t/%d/%s" % (missing_t, a), True)
    same("/t/%d/move" % tid, "/t/%d/move" % missing_t)
    for suffix in ("moderation", "moderation/log", "contributors"):
        same("/c/%s/%s" % (kslug, suffix), "/c/no-such-%s/%s" % (
            world.n, suffix))
    same("/c/%s/moderation/reports/%d/dismiss" % (kslug, rid),
        "/c/no-such-%s/moderation/reports/%d/dismiss" % (world.n, rid), True)
    assert thread_row(stack, tid)[:4] == ["visible", "0", "0", "0"]
    assert q(stack, "SELECT COUNT(*) FROM post_reports WHERE post_id = %d"
        % first) == "1"


def test_move_between_moderated_communities(stack, world):
    k, kslug = world.community("kestrel-a", managers=["jwhitfield"],
        members=["lchen"])
    k2, k2slug = world.community("kestrel-b", managers=["jwhitfield"])
    m, mslug = world.community("meridian-c", managers=["dtan"])
    tid, first = world.thread(k, "jwhitfield", "Moving thread")
    reply = world.post(tid, "lchen", "reply with kudos")
    q(stack, "INSERT INTO kudos (post_id, user_id, community_id) VALUES "
        "(%d, %d, %d)" % (reply, world.u["jwhitfield"], k))
    q(stack, "UPDATE posts SET kudos_count = 1 WHERE id = %d" % reply)
    q(stack, "INSERT INTO post_reports (post_id, community_id, reporter_id, "
        "reason) VALUES (%d, %d, %d, 'move me')" % (reply, k,
        world.u["jwhitfield"]))
    mgr = world.browser("jwhitfield")
    member = world.browser("lchen")
    assert contributors(member, kslug) == ["Lina Chen", "Jack Whitfield"]
    r = member.get("/c/%s" % kslug)
    assert r.status == 200 and "Moving thread" in text_of(r.text)
    assert member.get("/t/%d" % tid).status == 200

    r = mgr.get("/t/%d/move" % tid)
    assert r.status == 200, r.text[:300]
    doc = parse_html(r.body)
    options = doc.xpath("//select[@name='to']/option/@value")
    assert k2slug in options
    assert kslug not in options and mslug not in options
    assert doc.xpath("//form[@action='/t/%d/move']//input[@name='csrf']" %
        tid)

    # A community the actor does not moderate, or that does not exist,
    # or no reason: the form again, nothing moves.
    bad = []
    for to in (mslug, "no-such-" + world.n, kslug):
        r = act(mgr, "/t/%d/move" % tid, reason="x", to=to)
        assert r.status == 400, (to, r.status)
        alert = parse_html(r.body).xpath("//*[@role='alert']")
        bad.append(" ".join("".join(alert[0].itertext()).split()))
        assert "Community " + mslug not in r.text
    assert len(set(bad)) == 1, bad
    r = act(mgr, "/t/%d/move" % tid, reason=" ", to=k2slug)
    assert r.status == 400
    assert thread_row(stack, tid)[5] == str(k)

    r = act(mgr, "/t/%d/move" % tid, reason="Belongs to the B team",
        to=k2slug)
    redirected(r, "/t/%d" % tid)
    assert thread_row(stack, tid)[5] == str(k2)
    assert q(stack, "SELECT DISTINCT community_id FROM posts WHERE "
        "thread_id = %d" % tid) == str(k2)
    assert q(stack, "SELECT community_id FROM kudos WHERE post_id = %d" %
        reply) == str(k2)
    assert q(stack, "SELECT community_id FROM post_reports WHERE post_id "
        "= %d" % reply) == str(k2)
    assert world.log(k) == [("move", "jwhitfield", tid, 0,
        "Belongs to the B team")]
    assert world.log(k2) == [("move_in", "jwhitfield", tid, 0,
        "Belongs to the B team")]

    # The old community shows nothing of it any more; lchen, who reads K
    # and not K2, has lost the thread, and K2 has it.
    r = member.get("/c/%s" % kslug)
    assert r.status == 200 and "Moving thread" not in text_of(r.text)
    assert member.get("/t/%d" % tid).status == 404
    r = mgr.get("/c/%s" % k2slug)
    assert r.status == 200 and "Moving thread" in text_of(r.text)
    r = mgr.get("/c/%s/moderation" % kslug)
    assert "Moving thread" not in text_of(r.text)
    r = mgr.get("/c/%s/moderation" % k2slug)
    assert "Moving thread" in text_of(r.text)
    assert contributors(member, kslug) == []
    assert contributors(mgr, k2slug) == ["Lina Chen", "Jack Whitfield"]
    r = mgr.get("/c/%s/moderation/log" % kslug)
    assert "Moving thread" not in text_of(r.text)
    assert "no longer in this community" in text_of(r.text)
    # lchen reads K, not K2: the moved posts are gone for her.
    for path in ("/p/%d/report" % reply, "/p/%d/report" % first):
        assert member.get(path).status == 404
    assert act(member, "/p/%d/kudos" % first).status == 404
    # Staff may move it back.
    staff = world.browser("knakamura")
    r = staff.get("/t/%d/move" % tid)
    assert kslug in r.text and mslug in r.text
    r = act(staff, "/t/%d/move" % tid, reason="back", to=kslug)
    redirected(r, "/t/%d" % tid)
    assert thread_row(stack, tid)[5] == str(k)


def test_move_to_a_competitor_needs_an_override(stack, world):
    k, kslug = world.community("kestrel-conf", managers=["jwhitfield"])
    m, mslug = world.community("meridian-conf", managers=["dtan"])
    tid, first = world.thread(k, "jwhitfield", "Kestrel deal desk")
    orgs = sorted(int(q(stack, "SELECT organisation_id FROM users WHERE "
        "id = %d" % world.u[login])) for login in ("jwhitfield", "dtan"))
    q(stack, "INSERT IGNORE INTO organisation_conflicts (org_a, org_b, "
        "reason) VALUES (%d, %d, 'compete in APAC')" % tuple(orgs))
    staff = world.browser("knakamura")

    r = act(staff, "/t/%d/move" % tid, reason="tidy up", to=mslug)
    assert r.status == 409, r.status
    doc = parse_html(r.body)
    assert "competes with" in text_of(r.text)
    assert doc.xpath("//form[@action='/t/%d/move']//input[@name='override']"
        % tid)
    assert doc.xpath("//label[@for='override']")
    assert thread_row(stack, tid)[5] == str(k)
    assert world.log(k) == [] and world.log(m) == []

    r = act(staff, "/t/%d/move" % tid, reason="asked by both", to=mslug,
        override="1")
    redirected(r, "/t/%d" % tid)
    assert thread_row(stack, tid)[5] == str(m)
    assert world.log(m) == [("move_in", "knakamura", tid, 0,
        "asked by both")]
    detail = q(stack, "SELECT detail FROM audit_log WHERE action = "
        "'thread_move_conflict_override' AND request_id = '%s'" %
        r.header("X-Request-Id"))
    assert "asked by both" in detail and kslug in detail, detail


def test_csrf_refused_without_token(stack, world):
    k, kslug = world.community("kestrel-csrf", managers=["jwhitfield"],
        members=["lchen"])
    k2, k2slug = world.community("kestrel-csrf2", managers=["jwhitfield"])
    tid, first = world.thread(k, "lchen", "CSRF target")
    rid = int(q(stack, "INSERT INTO post_reports (post_id, community_id, "
        "reporter_id, reason) VALUES (%d, %d, %d, 'r'); "
        "SELECT LAST_INSERT_ID()" % (first, k, world.u["lchen"])))
    mgr = world.browser("jwhitfield")
    paths = ["/p/%d/%s" % (first, a) for a in ("hide", "delete", "kudos",
        "report")] + ["/t/%d/%s" % (tid, a) for a in ("lock", "pin",
        "feature", "move")] + ["/c/%s/moderation/reports/%d/dismiss" %
        (kslug, rid)]
    for path in paths:
        for tok in ("", "forged" * 5):
            r = act(mgr, path, reason="x", tok=tok, to=k2slug)
            check_error_page(r, 403, "form")
    assert post_status(stack, first) == ("visible", "")
    assert thread_row(stack, tid)[:4] == ["visible", "0", "0", "0"]
    assert thread_row(stack, tid)[5] == str(k)
    assert q(stack, "SELECT COUNT(*) FROM kudos WHERE post_id = %d" %
        first) == "0"
    assert q(stack, "SELECT resolved_at IS NULL FROM post_reports WHERE "
        "id = %d" % rid) == "1"
    assert world.log(k) == []
