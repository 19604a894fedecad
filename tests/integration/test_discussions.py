"""Discussions (issue 4): the community page, threads, replies, edits and
their history, pagination, locked threads, held and removed posts, the
markup, mentions, and hostile input, through nginx and Apache.

Communities and memberships are made with SQL (the communities pages are
another part of the issue); threads and posts are made through the real
forms wherever the test is about them, and with SQL where a test only needs
many of them.  Demo LDAP users sign in (tests/fixtures/ldap/README.md): a
user row exists from the first sign-in.

Helpers used by test_feed.py and test_notifications.py too:
    Comm(stack, **opts)        a fresh community (unique slug), .member()
    signed_in(stack, base_url, login)   an authlib Browser, signed in
    uid(stack, login)          the users.id of a signed-in demo user
    new_thread(b, slug, title, body) -> thread id (through the form)
    reply(b, tid, body)        the POST response
    q_of(stack, resp)          statements the request ran (access log q=N)
"""

import itertools
import os
import re
import time

import lxml.html
import pytest

from authlib import Browser, LDAP_USERS, body_without_request_id, \
    clear_throttle, text_of, xml_view

_seq = itertools.count()
CSRF_RE = re.compile(r'name="csrf" value="([^"]*)"')


def sql_str(s):
    return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'"


def unique(prefix):
    return "%s-%d-%d" % (prefix, os.getpid() % 100000, next(_seq))


def signed_in(stack, base_url, login):
    clear_throttle(stack)
    b = Browser(base_url)
    r = b.login_ldap(login, LDAP_USERS[login])
    assert r.status == 303, (login, r.status, text_of(r.text)[:300])
    return b


def uid(stack, login):
    out = stack.mysql("SELECT id FROM users WHERE login = %s AND "
        "source = 'ldap' ORDER BY id LIMIT 1" % sql_str(login),
        db="portico").strip()
    assert out, "%s has not signed in" % login
    return int(out)


class Comm:
    def __init__(self, stack, visibility="listed", join_policy="open",
            private=0, hold=0, name=None, description=None):
        self.stack = stack
        self.slug = unique("h2c")
        self.name = name or "Community " + self.slug
        self.description = description or "About " + self.slug
        stack.mysql("INSERT INTO communities (slug, name, description, "
            "visibility, join_policy, private, hold_first_posts) VALUES "
            "(%s, %s, %s, '%s', '%s', %d, %d)" % (sql_str(self.slug),
            sql_str(self.name), sql_str(self.description), visibility,
            join_policy, private, hold), db="portico")
        self.id = int(stack.mysql("SELECT id FROM communities WHERE "
            "slug = %s" % sql_str(self.slug), db="portico").strip())

    def member(self, login, role="member"):
        self.stack.mysql("INSERT IGNORE INTO community_members "
            "(community_id, user_id, role, source) VALUES (%d, %d, '%s', "
            "'manager')" % (self.id, uid(self.stack, login), role),
            db="portico")

    def leave(self, login):
        self.stack.mysql("DELETE FROM community_members WHERE "
            "community_id = %d AND user_id = %d" % (self.id,
            uid(self.stack, login)), db="portico")

    def bulk_threads(self, login, n, title="Bulk thread"):
        """n threads (with their first posts) by login, through SQL."""
        u = uid(self.stack, login)
        rows = ", ".join("(%d, %d, %s, %d, NOW(6) - INTERVAL %d SECOND)" %
            (self.id, u, sql_str("%s %d" % (title, i)), u, i)
            for i in range(n))
        self.stack.mysql("INSERT INTO threads (community_id, author_id, "
            "title, last_post_by, last_post_at) VALUES " + rows,
            db="portico")
        self.stack.mysql("INSERT INTO posts (thread_id, community_id, "
            "author_id, is_first, body) SELECT id, community_id, author_id, "
            "1, CONCAT('Body of ', title) FROM threads WHERE community_id = "
            "%d AND id NOT IN (SELECT thread_id FROM posts)" % self.id,
            db="portico")


def token_of(b, path):
    r = b.get(path)
    m = CSRF_RE.search(r.text)
    assert m, "no form on %s (%d)" % (path, r.status)
    return m.group(1)


def new_thread(b, slug, title, body):
    tok = token_of(b, "/c/%s/threads/new" % slug)
    r = b.post("/c/%s/threads/new" % slug, {"csrf": tok, "title": title,
        "body": body})
    assert r.status == 303, (r.status, text_of(r.text)[:400])
    loc = re.sub(r"^https?://[^/]+", "", r.header("Location"))
    m = re.fullmatch(r"/t/(\d+)", loc)
    assert m, r.header("Location")
    return int(m.group(1))


def reply(b, tid, body, csrf=True):
    form = {"body": body}
    if csrf:
        form["csrf"] = token_of(b, "/t/%d" % tid)
    return b.post("/t/%d/reply" % tid, form)


def page(resp):
    assert resp.body.lstrip().lower().startswith(b"<!doctype html"), \
        resp.body[:200]
    return lxml.html.fromstring(resp.body)


def q_of(stack, resp):
    rid = resp.header("X-Request-Id")
    assert rid
    deadline = time.time() + 5
    while time.time() < deadline:
        for line in stack.portico.log_text().splitlines():
            if ("rid=%s " % rid) in line:
                m = re.search(r" q=(\d+)", line)
                if m:
                    return int(m.group(1))
        time.sleep(0.05)
    raise AssertionError("no access log line for request %s" % rid)


def check_clean(doc):
    assert not doc.xpath("//script"), "page has <script>"
    assert not doc.xpath("//@*[starts-with(name(), 'on')]"), \
        "event handler attribute"
    for href in doc.xpath("//main//@href | //main//@action"):
        assert not href.strip().lower().startswith(("javascript:",
            "data:", "vbscript:")), href


# ---------------------------------------------------------------- tests

def test_thread_reply_edit_and_history(stack, base_url):
    jack = signed_in(stack, base_url, "jwhitfield")
    lina = signed_in(stack, base_url, "lchen")
    kenji = signed_in(stack, base_url, "knakamura")  # moderator role
    c = Comm(stack)
    c.member("jwhitfield")
    c.member("lchen")

    tid = new_thread(jack, c.slug, "Deal registration question",
        "How do we register a deal?\n\n- step one\n- step two")
    r = reply(lina, tid, "Use the portal, see https://example.com/deals.")
    assert r.status == 303, (r.status, text_of(r.text)[:300])

    r = jack.get("/t/%d" % tid)
    assert r.status == 200
    doc = page(r)
    assert text_of(r.text).count("Deal registration question") >= 1
    posts = doc.xpath("//ol[@class='posts']/li")
    assert len(posts) == 2
    assert doc.xpath("//ol[@class='posts']/li[1]//ul/li")[0].text_content() \
        == "step one"
    link = doc.xpath("//ol[@class='posts']/li[2]//div[@class='post-body']"
        "//a")[0]
    assert link.get("href") == "https://example.com/deals"
    assert link.get("rel") == "nofollow noopener"
    assert stack.mysql("SELECT reply_count, last_post_by = %d FROM threads "
        "WHERE id = %d" % (uid(stack, "lchen"), tid),
        db="portico").split() == ["1", "1"]
    assert stack.mysql("SELECT posts FROM community_members WHERE "
        "community_id = %d AND user_id = %d" % (c.id, uid(stack, "lchen")),
        db="portico").strip() == "1"

    # The XML the handler built: the parsed markup tree, no HTML.
    x = xml_view(jack, "/t/%d" % tid)
    posts = x.findall("./thread-page/post")
    assert [p.get("status") for p in posts] == ["visible", "visible"]
    assert posts[0].get("first") == "yes" and posts[0].get("mine") == "yes"
    assert [li.findtext("t") for li in posts[0].findall("body/ul/li")] == \
        ["step one", "step two"]
    assert posts[1].find("body/p/a").get("href") == \
        "https://example.com/deals"
    assert posts[1].find("author").get("login") == "lchen"

    # The community page lists it, with its author.
    r = lina.get("/c/%s" % c.slug)
    assert r.status == 200
    doc = page(r)
    assert [a.text_content() for a in doc.xpath("//a[@class="
        "'thread-title']")] == ["Deal registration question"]
    assert doc.xpath("//a[@href='/c/%s/threads/new']" % c.slug)
    x = xml_view(lina, "/c/%s" % c.slug)
    t = x.find("./community-page/threads/thread")
    assert t.get("title") == "Deal registration question"
    assert t.get("replies") == "1"
    assert t.find("author").get("login") == "jwhitfield"
    assert t.find("last-by").get("login") == "lchen"
    assert x.find("./community-page/community").get("member") == "yes"

    # Only the author edits; the edit keeps the old text.
    pid = int(stack.mysql("SELECT id FROM posts WHERE thread_id = %d AND "
        "is_first" % tid, db="portico"))
    r = lina.get("/p/%d/edit" % pid)
    assert r.status == 403, r.status
    r = jack.get("/p/%d/edit" % pid)
    assert r.status == 200
    tok = CSRF_RE.search(r.text).group(1)
    r = jack.post("/p/%d/edit" % pid, {"csrf": tok, "title":
        "Deal registration (solved)", "body": "Solved: use the portal."})
    assert r.status == 303, (r.status, text_of(r.text)[:300])
    r = lina.get("/t/%d" % tid)
    t = text_of(r.text)
    assert "Deal registration (solved)" in t and "Solved: use the portal." \
        in t and "edited" in t
    assert "How do we register a deal?" not in t
    assert stack.mysql("SELECT rev, title, edited_by = %d FROM "
        "post_revisions WHERE post_id = %d" % (uid(stack, "jwhitfield"),
        pid), db="portico").strip().split("\t") == ["1",
        "Deal registration question", "1"]

    # History: moderators only (the moderator role here), not members.
    r = lina.get("/p/%d/history" % pid)
    assert r.status == 403
    r = kenji.get("/p/%d/history" % pid)
    assert r.status == 200, r.status
    t = text_of(r.text)
    assert "How do we register a deal?" in t and "Version 1" in t
    assert "Deal registration question" in t


def test_community_page_pinned_first_keyset_pages_and_constant_queries(
        stack, base_url):
    lina = signed_in(stack, base_url, "lchen")
    # Where new members' posts are held the page also looks for the
    # reader's held threads: constant too.
    held = Comm(stack, hold=2)
    held.member("lchen")
    held.bulk_threads("lchen", 5)
    qh5 = q_of(stack, lina.get("/c/%s" % held.slug))
    held.bulk_threads("lchen", 55, title="More")
    assert q_of(stack, lina.get("/c/%s" % held.slug)) == qh5

    c = Comm(stack)
    c.member("lchen")
    c.bulk_threads("lchen", 5)
    r = lina.get("/c/%s" % c.slug)
    assert r.status == 200
    q5 = q_of(stack, r)
    assert len(page(r).xpath("//a[@class='thread-title']")) == 5

    c.bulk_threads("lchen", 55, title="More")
    # The oldest thread is pinned: it comes first.
    stack.mysql("UPDATE threads SET pinned = 1 WHERE community_id = %d "
        "AND title = 'Bulk thread 4'" % c.id, db="portico")
    r = lina.get("/c/%s" % c.slug)
    assert r.status == 200
    q60 = q_of(stack, r)
    assert q5 == q60, "the community page ran %d statements with 5 threads " \
        "and %d with 60" % (q5, q60)

    seen = []
    target = "/c/%s" % c.slug
    pages = 0
    while target:
        r = lina.get(target)
        assert r.status == 200
        doc = page(r)
        titles = [a.text_content() for a in
            doc.xpath("//a[@class='thread-title']")]
        assert len(titles) <= 25
        seen += titles
        pages += 1
        nxt = doc.xpath("//a[@rel='next']/@href")
        target = nxt[0] if nxt else None
    assert pages == 3
    assert len(seen) == 60 and len(set(seen)) == 60
    assert seen[0] == "Bulk thread 4"
    # Then by last activity, newest first, as the database orders them.
    order = stack.mysql("SELECT title FROM threads WHERE community_id = %d "
        "ORDER BY pinned DESC, last_post_at DESC, id DESC" % c.id,
        db="portico").splitlines()
    assert seen == order


def test_posts_are_paginated(stack, base_url):
    lina = signed_in(stack, base_url, "lchen")
    c = Comm(stack)
    c.member("lchen")
    tid = new_thread(lina, c.slug, "Long thread", "first")
    u = uid(stack, "lchen")
    stack.mysql("INSERT INTO posts (thread_id, community_id, author_id, "
        "body) VALUES " + ", ".join("(%d, %d, %d, 'reply number %d')" %
        (tid, c.id, u, i) for i in range(1, 120)), db="portico")
    bodies = []
    target = "/t/%d" % tid
    while target:
        r = lina.get(target)
        assert r.status == 200
        doc = page(r)
        got = [p.text_content().strip() for p in
            doc.xpath("//div[@class='post-body']")]
        assert len(got) <= 50
        bodies += got
        nxt = doc.xpath("//a[@rel='next']/@href")
        target = nxt[0] if nxt else None
    assert bodies == ["first"] + ["reply number %d" % i for i in
        range(1, 120)]


def test_locked_thread_refuses_replies(stack, base_url):
    lina = signed_in(stack, base_url, "lchen")
    c = Comm(stack)
    c.member("lchen")
    tid = new_thread(lina, c.slug, "Closed topic", "text")
    tok = token_of(lina, "/t/%d" % tid)
    stack.mysql("UPDATE threads SET locked = 1 WHERE id = %d" % tid,
        db="portico")
    r = lina.post("/t/%d/reply" % tid, {"csrf": tok, "body": "late"})
    assert r.status == 403
    assert r.header("Content-Type").startswith("text/html")
    assert "locked" in text_of(r.text).lower()
    assert stack.mysql("SELECT COUNT(*) FROM posts WHERE thread_id = %d" %
        tid, db="portico").strip() == "1"
    r = lina.get("/t/%d" % tid)
    assert "locked" in text_of(r.text).lower()
    assert not page(r).xpath("//form[@action='/t/%d/reply']" % tid)


def test_held_posts_of_new_members(stack, base_url):
    jack = signed_in(stack, base_url, "jwhitfield")
    lina = signed_in(stack, base_url, "lchen")
    kenji = signed_in(stack, base_url, "knakamura")
    c = Comm(stack, hold=1)
    c.member("jwhitfield", role="manager")
    c.member("lchen")
    tid = new_thread(jack, c.slug, "Welcome thread", "Say hello")
    r = reply(lina, tid, "Hello, I am new here")
    assert r.status == 303
    status = stack.mysql("SELECT status FROM posts WHERE thread_id = %d "
        "AND NOT is_first" % tid, db="portico").strip()
    assert status == "held"
    # Counted for the member, not yet for the thread.
    assert stack.mysql("SELECT reply_count FROM threads WHERE id = %d" %
        tid, db="portico").strip() == "0"
    assert stack.mysql("SELECT posts FROM community_members WHERE "
        "community_id = %d AND user_id = %d" % (c.id, uid(stack, "lchen")),
        db="portico").strip() == "1"
    # The author sees it, marked; another member does not; moderators do.
    t = text_of(lina.get("/t/%d" % tid).text)
    assert "Hello, I am new here" in t and "Awaiting review" in t
    other = signed_in(stack, base_url, "o'brien*")
    c.member("o'brien*")
    t = text_of(other.get("/t/%d" % tid).text)
    assert "Say hello" in t and "Hello, I am new here" not in t
    t = text_of(kenji.get("/t/%d" % tid).text)
    assert "Hello, I am new here" in t
    t = text_of(jack.get("/t/%d" % tid).text)
    assert "Hello, I am new here" in t  # the community's manager
    # The second post of that member is not held.
    r = reply(lina, tid, "Second post")
    assert stack.mysql("SELECT status FROM posts WHERE thread_id = %d "
        "ORDER BY id DESC LIMIT 1" % tid, db="portico").strip() == "visible"
    assert stack.mysql("SELECT reply_count, last_post_by = %d FROM threads "
        "WHERE id = %d" % (uid(stack, "lchen"), tid),
        db="portico").split() == ["1", "1"]
    # A held first thread is listed only for its author.
    c2 = Comm(stack, hold=3)
    c2.member("lchen")
    c2.member("o'brien*")
    tid2 = new_thread(lina, c2.slug, "Held thread title", "body")
    assert "Held thread title" in text_of(lina.get("/c/%s" % c2.slug).text)
    assert "Held thread title" not in text_of(
        other.get("/c/%s" % c2.slug).text)
    assert other.get("/t/%d" % tid2).status == 404


def test_removed_posts_show_a_placeholder(stack, base_url):
    lina = signed_in(stack, base_url, "lchen")
    jack = signed_in(stack, base_url, "jwhitfield")
    kenji = signed_in(stack, base_url, "knakamura")
    c = Comm(stack)
    c.member("lchen")
    c.member("jwhitfield")
    tid = new_thread(lina, c.slug, "Topic", "opening")
    reply(jack, tid, "rude remark xyzzy")
    stack.mysql("UPDATE posts SET status = 'hidden', status_reason = "
        "'off topic' WHERE thread_id = %d AND NOT is_first" % tid,
        db="portico")
    for b in (lina, jack):
        t = text_of(b.get("/t/%d" % tid).text)
        assert "[removed by a moderator]" in t and "xyzzy" not in t
    t = text_of(kenji.get("/t/%d" % tid).text)
    assert "xyzzy" in t and "hidden" in t and "off topic" in t
    # A hidden thread is not found for members.
    stack.mysql("UPDATE threads SET status = 'hidden' WHERE id = %d" % tid,
        db="portico")
    r = lina.get("/t/%d" % tid)
    missing = lina.get("/t/999999999")
    assert r.status == 404
    assert body_without_request_id(r) == body_without_request_id(missing)
    assert kenji.get("/t/%d" % tid).status == 200


def test_who_may_post_and_what_outsiders_see(stack, base_url):
    rk = signed_in(stack, base_url, "rkumar")
    lina = signed_in(stack, base_url, "lchen")
    open_c = Comm(stack)
    open_c.member("lchen")
    tid = new_thread(lina, open_c.slug, "Open topic", "Anyone can read")

    # A reader of an open community who has not joined: reads, cannot post.
    r = rk.get("/t/%d" % tid)
    assert r.status == 200
    doc = page(r)
    assert doc.xpath("//form[@action='/c/%s/join']//button[normalize-space()"
        "='Join to reply']" % open_c.slug)
    r = reply(rk, tid, "drive-by")
    assert r.status == 403
    assert stack.mysql("SELECT COUNT(*) FROM posts WHERE thread_id = %d" %
        tid, db="portico").strip() == "1"
    r = rk.get("/c/%s/threads/new" % open_c.slug)
    assert r.status == 403
    # The form's button joins (communities.c), and then the reply works.
    r = rk.post("/c/%s/join" % open_c.slug, {"csrf": token_of(rk,
        "/t/%d" % tid)})
    assert r.status == 303, (r.status, text_of(r.text)[:300])
    r = reply(rk, tid, "joined and replying")
    assert r.status == 303
    assert "joined and replying" in text_of(rk.get("/t/%d?after=1" %
        tid).text)

    # A listed community with requests: description and "Ask to join",
    # nothing of its threads.
    req = Comm(stack, join_policy="request", description="Ask us, please")
    req.member("lchen")
    new_thread(lina, req.slug, "Secret plans 42", "inside")
    r = rk.get("/c/%s" % req.slug)
    assert r.status == 200
    t = text_of(r.text)
    assert "Ask us, please" in t and "Secret plans 42" not in t
    assert page(r).xpath("//form[@action='/c/%s/requests']" % req.slug)
    assert rk.get("/c/%s/feed.atom" % req.slug).status == 404

    # A private, unlisted community: exactly as one that does not exist.
    priv = Comm(stack, visibility="unlisted", join_policy="invitation",
        private=1)
    priv.member("lchen")
    ptid = new_thread(lina, priv.slug, "Kestrel pricing", "confidential")
    ppid = int(stack.mysql("SELECT id FROM posts WHERE thread_id = %d" %
        ptid, db="portico"))
    pairs = [("/c/%s" % priv.slug, "/c/no-such-community-h2"),
        ("/c/%s/threads/new" % priv.slug, "/c/no-such-community-h2/threads/new"),
        ("/t/%d" % ptid, "/t/999999998"),
        ("/p/%d/edit" % ppid, "/p/999999998/edit"),
        ("/p/%d/history" % ppid, "/p/999999998/history"),
        ("/c/%s/feed.atom" % priv.slug, "/c/no-such-community-h2/feed.atom")]
    for hidden, missing in pairs:
        a, b = rk.get(hidden), rk.get(missing)
        assert a.status == 404, (hidden, a.status)
        assert body_without_request_id(a) == body_without_request_id(b), \
            hidden
        assert "Kestrel pricing" not in a.text
    r = reply(rk, ptid, "intrude")
    assert r.status == 404


def test_hostile_input_is_text(stack, base_url):
    lina = signed_in(stack, base_url, "lchen")
    c = Comm(stack, name="<b>Bold</b> & \"co\"",
        description="<script>alert('desc')</script>")
    c.member("lchen")
    title = "<script>alert(1)</script>' OR '1'='1' -- ; DROP TABLE posts;"
    body = ("<img src=x onerror=alert(2)> &amp; \\' \"; DELETE FROM users; "
        "--\n\n[click](javascript:alert(3)) [data](data:text/html,x) "
        "javascript:alert(4) [ok](https://example.org/a?b=\"c\")")
    tid = new_thread(lina, c.slug, title, body)
    assert stack.mysql("SELECT title FROM threads WHERE id = %d" % tid,
        db="portico").rstrip("\n") == title
    stored = stack.mysql("SELECT HEX(body) FROM posts WHERE thread_id = %d" %
        tid, db="portico").strip()
    assert bytes.fromhex(stored).decode() == body

    for path in ("/t/%d" % tid, "/c/%s" % c.slug):
        r = lina.get(path)
        assert r.status == 200
        doc = page(r)
        check_clean(doc)
        t = text_of(r.text)
        assert title in t
        assert "<b>Bold</b>" in t
        if path.startswith("/t/"):
            assert "<img src=x onerror=alert(2)>" in t
            assert "DELETE FROM users" in t
            hrefs = doc.xpath("//div[@class='post-body']//a/@href")
            assert hrefs == ["https://example.org/a?b="], hrefs
            assert "[click](javascript:alert(3))" in t
    assert b"<script>alert" not in lina.get("/t/%d" % tid).body


def test_state_changes_need_the_form_token(stack, base_url):
    lina = signed_in(stack, base_url, "lchen")
    c = Comm(stack)
    c.member("lchen")
    tid = new_thread(lina, c.slug, "CSRF target", "text")
    pid = int(stack.mysql("SELECT id FROM posts WHERE thread_id = %d" % tid,
        db="portico"))
    before = stack.mysql("SELECT COUNT(*) FROM threads WHERE "
        "community_id = %d" % c.id, db="portico")
    tokens = stack.mysql("SELECT COALESCE(MAX(HEX(token_hash)), '') FROM "
        "feed_tokens WHERE user_id = %d" % uid(stack, "lchen"), db="portico")
    for path, form in [
            ("/c/%s/threads/new" % c.slug, {"title": "x", "body": "y"}),
            ("/t/%d/reply" % tid, {"body": "y"}),
            ("/p/%d/edit" % pid, {"body": "changed"}),
            ("/notifications/read", {}),
            ("/account/feed-token", {})]:
        for bad in (None, "not-the-token"):
            f = dict(form)
            if bad:
                f["csrf"] = bad
            r = lina.post(path, f)
            assert r.status == 403, (path, r.status)
    assert stack.mysql("SELECT COUNT(*) FROM threads WHERE "
        "community_id = %d" % c.id, db="portico") == before
    assert stack.mysql("SELECT COUNT(*), MAX(edit_count) FROM posts WHERE "
        "thread_id = %d" % tid, db="portico").split() == ["1", "0"]
    assert stack.mysql("SELECT COALESCE(MAX(HEX(token_hash)), '') FROM "
        "feed_tokens WHERE user_id = %d" % uid(stack, "lchen"),
        db="portico") == tokens


def test_mentions_link_only_readers(stack, base_url):
    lina = signed_in(stack, base_url, "lchen")
    signed_in(stack, base_url, "jwhitfield")
    signed_in(stack, base_url, "dtan")
    c = Comm(stack, visibility="unlisted", join_policy="invitation",
        private=1)
    c.member("lchen")
    c.member("jwhitfield")
    tid = new_thread(lina, c.slug, "Mentions", "ping @jwhitfield and "
        "@dtan and @nobody-here")
    doc = page(lina.get("/t/%d" % tid))
    links = doc.xpath("//div[@class='post-body']//a[@class='mention']")
    assert [a.text_content() for a in links] == ["@jwhitfield"]
    assert links[0].get("href") == "/directory/people/%d" % uid(stack,
        "jwhitfield")
    t = text_of(lina.get("/t/%d" % tid).text)
    assert "@dtan" in t and "@nobody-here" in t


def test_pages_are_well_formed_and_accessible(stack, base_url):
    from test_pages import check_no_inline_code, check_security_headers, \
        parse_html
    jack = signed_in(stack, base_url, "jwhitfield")
    kenji = signed_in(stack, base_url, "knakamura")
    c = Comm(stack)
    c.member("jwhitfield")
    tid = new_thread(jack, c.slug, "Well formed", "- a\n- b\n\n```\nx\n```\n"
        "1. one\n\nsee https://example.com and @knakamura")
    pid = int(stack.mysql("SELECT id FROM posts WHERE thread_id = %d" % tid,
        db="portico"))
    tok = CSRF_RE.search(jack.get("/p/%d/edit" % pid).text).group(1)
    jack.post("/p/%d/edit" % pid, {"csrf": tok, "title": "Well formed",
        "body": "edited"})
    for b, path in [(jack, "/c/%s" % c.slug), (jack, "/t/%d" % tid),
            (jack, "/c/%s/threads/new" % c.slug), (jack, "/p/%d/edit" % pid),
            (kenji, "/p/%d/history" % pid), (kenji, "/t/%d" % tid),
            (jack, "/notifications"), (jack, "/account/feed-token")]:
        r = b.get(path)
        assert r.status == 200, (path, r.status)
        doc = parse_html(r.body)
        check_no_inline_code(doc)
        check_security_headers(r)
        assert len(doc.xpath("//h1")) == 1, path
        for form in doc.xpath("//form[@method='post']"):
            first = form.xpath("./*[1]")
            assert first and first[0].get("name") == "csrf", (path,
                form.get("action"))
        for inp in doc.xpath("//main//input[not(@type='hidden')] | "
                "//main//textarea"):
            assert inp.get("id") and doc.xpath("//label[@for='%s']" %
                inp.get("id")), (path, inp.get("name"))
