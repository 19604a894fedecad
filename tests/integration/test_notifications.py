"""In-app notifications of replies and mentions (issue 4), through nginx
and Apache: who is notified when a post is made (thread participants and
mentioned users, only those who may read the community), the unread
count, "mark all as read", and the visibility rule applied again when
reading: a notification from a community the reader has left is neither
shown nor counted.

Helpers come from test_discussions.py (communities and memberships by SQL,
posts through the forms).
"""

import lxml.etree

from test_discussions import CSRF_RE, Comm, new_thread, page, reply, \
    signed_in, text_of, uid


def notes(stack, login, thread):
    return stack.mysql("SELECT kind FROM notifications WHERE user_id = %d "
        "AND thread_id = %d ORDER BY id" % (uid(stack, login), thread),
        db="portico").split()


def unread(b):
    r = b.get("/notifications")
    assert r.status == 200
    doc = page(r)
    n = doc.xpath("//span[contains(@class, 'unread-count')]")
    assert n, "no unread count on the page"
    return int(n[0].text_content()), doc


def test_replies_and_mentions_notify_readers_only(stack, base_url):
    jack = signed_in(stack, base_url, "jwhitfield")
    lina = signed_in(stack, base_url, "lchen")
    siob = signed_in(stack, base_url, "o'brien*")
    signed_in(stack, base_url, "dtan")
    c = Comm(stack, visibility="unlisted", join_policy="invitation",
        private=1)
    for who in ("jwhitfield", "lchen", "o'brien*"):
        c.member(who)

    tid = new_thread(jack, c.slug, "Quarterly plan", "Thoughts?")
    # A mention in a new thread notifies; the author is not notified.
    assert notes(stack, "jwhitfield", tid) == []
    r = reply(lina, tid, "Looks good. @dtan @jwhitfield what do you think?")
    assert r.status == 303
    # The author is mentioned (one notification: mention); dtan cannot
    # read this private community: nothing for him.
    assert notes(stack, "jwhitfield", tid) == ["mention"]
    assert notes(stack, "dtan", tid) == []
    assert notes(stack, "lchen", tid) == []
    r = reply(siob, tid, "Agreed.")
    assert notes(stack, "jwhitfield", tid) == ["mention", "reply"]
    assert notes(stack, "lchen", tid) == ["reply"]
    assert notes(stack, "o'brien*", tid) == []

    n, doc = unread(jack)
    assert n >= 2
    items = [text_of(lxml.etree.tostring(li).decode()) for li in
        doc.xpath("//li[contains(@class, 'notification')]")]
    assert any("mentioned you in Quarterly plan" in i for i in items), items
    assert any("replied to Quarterly plan" in i for i in items), items
    hrefs = doc.xpath("//li[contains(@class, 'notification')]/a/@href")
    assert all(h.startswith("/t/%d" % tid) for h in hrefs[:2]), hrefs

    # The XML view carries the same notifications.
    r = jack.get("/notifications?format=xml")
    assert r.status == 200
    x = lxml.etree.fromstring(r.body)
    kinds = [e.get("kind") for e in x.findall("./notifications/"
        "notification") if e.get("thread") == str(tid)]
    assert sorted(kinds) == ["mention", "reply"]

    # Mark all as read.
    tok = CSRF_RE.search(jack.get("/notifications").text).group(1)
    r = jack.post("/notifications/read", {"csrf": tok})
    assert r.status == 303
    assert unread(jack)[0] == 0
    assert stack.mysql("SELECT COUNT(*) FROM notifications WHERE user_id = "
        "%d AND read_at IS NULL" % uid(stack, "jwhitfield"),
        db="portico").strip() == "0"


def test_notifications_disappear_after_leaving(stack, base_url):
    jack = signed_in(stack, base_url, "jwhitfield")
    lina = signed_in(stack, base_url, "lchen")
    c = Comm(stack, visibility="unlisted", join_policy="invitation",
        private=1)
    c.member("jwhitfield")
    c.member("lchen")
    title = "Secret escalation %s" % c.slug
    tid = new_thread(jack, c.slug, title, "hush")
    before, _ = unread(jack)
    reply(lina, tid, "@jwhitfield see this")
    reply(lina, tid, "and this")
    n, doc = unread(jack)
    assert n == before + 2
    assert title in text_of(jack.get("/notifications").text)

    c.leave("jwhitfield")
    n, doc = unread(jack)
    assert n == before, "notifications of a community left are counted"
    r = jack.get("/notifications")
    assert title not in r.text
    r = jack.get("/notifications?format=xml")
    assert title.encode() not in r.body
    assert jack.get("/t/%d" % tid).status == 404

    # Back in: they show again (they were filtered, not deleted).
    c.member("jwhitfield")
    assert unread(jack)[0] == before + 2


def test_notifications_of_removed_posts_are_not_shown(stack, base_url):
    jack = signed_in(stack, base_url, "jwhitfield")
    lina = signed_in(stack, base_url, "lchen")
    c = Comm(stack)
    c.member("jwhitfield")
    c.member("lchen")
    tid = new_thread(jack, c.slug, "Topic %s" % c.slug, "x")
    before, _ = unread(jack)
    reply(lina, tid, "spam spam")
    assert unread(jack)[0] == before + 1
    stack.mysql("UPDATE posts SET status = 'hidden' WHERE thread_id = %d "
        "AND NOT is_first" % tid, db="portico")
    assert unread(jack)[0] == before


def test_notifications_page_is_paginated(stack, base_url):
    jack = signed_in(stack, base_url, "jwhitfield")
    lina = signed_in(stack, base_url, "lchen")
    c = Comm(stack)
    c.member("jwhitfield")
    c.member("lchen")
    tid = new_thread(jack, c.slug, "Busy thread", "x")
    u, a = uid(stack, "jwhitfield"), uid(stack, "lchen")
    pid = int(stack.mysql("SELECT id FROM posts WHERE thread_id = %d" % tid,
        db="portico"))
    stack.mysql("DELETE FROM notifications WHERE user_id = %d" % u,
        db="portico")
    stack.mysql("INSERT INTO notifications (user_id, kind, community_id, "
        "thread_id, post_id, actor_id, object_id) VALUES " + ", ".join(
        "(%d, 'reply', %d, %d, %d, %d, %d)" % (u, c.id, tid, pid, a, i)
        for i in range(70)), db="portico")
    n, doc = unread(jack)
    assert n == 70
    first = doc.xpath("//li[contains(@class, 'notification')]")
    assert len(first) == 50
    nxt = doc.xpath("//a[@rel='next']/@href")
    assert nxt
    r = jack.get(nxt[0])
    assert r.status == 200
    assert len(page(r).xpath("//li[contains(@class, 'notification')]")) == 20
    assert not page(r).xpath("//a[@rel='next']")


def test_an_edit_notifies_new_mentions_once(stack, base_url):
    jack = signed_in(stack, base_url, "jwhitfield")
    signed_in(stack, base_url, "lchen")
    c = Comm(stack)
    c.member("jwhitfield")
    c.member("lchen")
    tid = new_thread(jack, c.slug, "Edited mention", "no mention yet")
    pid = int(stack.mysql("SELECT id FROM posts WHERE thread_id = %d" % tid,
        db="portico"))

    def edit(body):
        r = jack.get("/p/%d/edit" % pid)
        tok = CSRF_RE.search(r.text).group(1)
        r = jack.post("/p/%d/edit" % pid, {"csrf": tok,
            "title": "Edited mention", "body": body})
        assert r.status == 303, (r.status, text_of(r.text)[:300])

    edit("now for @lchen")
    assert notes(stack, "lchen", tid) == ["mention"]
    edit("still for @lchen, reworded")
    assert notes(stack, "lchen", tid) == ["mention"]
