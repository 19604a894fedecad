"""The Atom feed of a community and the per-user feed token (issue 4),
through nginx and Apache.

The feed answers with the session cookie or with ?token= (GET/POST
/account/feed-token shows and rotates it; rotating revokes the old one).
Anything else - no credentials, a wrong or revoked token, a token whose
user may not read the community - is the same 404 as a community that does
not exist, byte for byte (apart from the request id).
"""

import re

import lxml.etree

from authlib import Browser, body_without_request_id
from test_discussions import CSRF_RE, Comm, new_thread, reply, signed_in, \
    text_of, uid

ATOM = "{http://www.w3.org/2005/Atom}"


def atom(resp):
    assert resp.status == 200, (resp.status, resp.text[:300])
    assert resp.header("Content-Type") == \
        "application/atom+xml; charset=utf-8", resp.header("Content-Type")
    return lxml.etree.fromstring(resp.body)


def rotate(b):
    r = b.get("/account/feed-token")
    assert r.status == 200
    tok = CSRF_RE.search(r.text).group(1)
    r = b.post("/account/feed-token", {"csrf": tok})
    assert r.status == 200, (r.status, text_of(r.text)[:300])
    m = re.search(r'class="wrap feed-token">([A-Za-z0-9_-]+)<', r.text)
    assert m, text_of(r.text)[:500]
    assert len(m.group(1)) == 43  # 32 bytes, unpadded base64url
    return m.group(1)


def same_404(a, b):
    assert a.status == 404 and b.status == 404, (a.status, b.status)
    assert body_without_request_id(a) == body_without_request_id(b)


def test_feed_with_session_lists_visible_posts(stack, base_url):
    lina = signed_in(stack, base_url, "lchen")
    jack = signed_in(stack, base_url, "jwhitfield")
    c = Comm(stack, name="Feed <test> & co")
    c.member("lchen")
    c.member("jwhitfield")
    tid = new_thread(lina, c.slug, "Launch <b>news</b>",
        "<script>alert(1)</script> big day")
    reply(jack, tid, "Congratulations!")
    reply(jack, tid, "removed later zzz")
    stack.mysql("UPDATE posts SET status = 'hidden' WHERE body = "
        "'removed later zzz' AND thread_id = %d" % tid, db="portico")

    feed = atom(lina.get("/c/%s/feed.atom" % c.slug))
    assert feed.tag == ATOM + "feed"
    assert feed.findtext(ATOM + "title") == "Feed <test> & co"
    entries = feed.findall(ATOM + "entry")
    titles = [e.findtext(ATOM + "title") for e in entries]
    assert titles == ["Re: Launch <b>news</b>", "Launch <b>news</b>"]
    contents = [e.find(ATOM + "content") for e in entries]
    assert all(x.get("type") == "text" for x in contents)
    assert contents[1].text == "<script>alert(1)</script> big day"
    assert contents[0].text == "Congratulations!"
    assert entries[0].findtext(ATOM + "author/" + ATOM + "name") == \
        "Jack Whitfield"
    link = entries[1].find(ATOM + "link").get("href")
    assert link.endswith("/t/%d?after=%d#p%d" % (tid,
        int(stack.mysql("SELECT id FROM posts WHERE thread_id = %d AND "
            "is_first" % tid, db="portico")) - 1,
        int(stack.mysql("SELECT id FROM posts WHERE thread_id = %d AND "
            "is_first" % tid, db="portico"))))
    assert b"zzz" not in lina.get("/c/%s/feed.atom" % c.slug).body
    # The community page links to its feed.
    assert "/c/%s/feed.atom" % c.slug in lina.get("/c/%s" % c.slug).text


def test_feed_token_rotation_and_isolation(stack, base_url):
    lina = signed_in(stack, base_url, "lchen")
    signed_in(stack, base_url, "dtan")
    priv = Comm(stack, visibility="unlisted", join_policy="invitation",
        private=1)
    priv.member("lchen")
    new_thread(lina, priv.slug, "Private roadmap", "for Kestrel only")
    other = Comm(stack, visibility="unlisted", join_policy="invitation",
        private=1)
    other.member("dtan")

    anon = Browser(base_url)
    missing = "/c/no-such-community-h2/feed.atom"
    # No credentials at all.
    same_404(anon.get("/c/%s/feed.atom" % priv.slug), anon.get(missing))

    t1 = rotate(lina)
    assert stack.mysql("SELECT HEX(token_hash) = UPPER(SHA2('%s', 256)) "
        "FROM feed_tokens WHERE user_id = %d" % (t1, uid(stack, "lchen")),
        db="portico").strip() == "1"
    feed = atom(anon.get("/c/%s/feed.atom?token=%s" % (priv.slug, t1)))
    assert [e.findtext(ATOM + "title") for e in
        feed.findall(ATOM + "entry")] == ["Private roadmap"]
    # The token page does not show the token again.
    assert t1 not in lina.get("/account/feed-token").text

    # A token for a community its user may not read: as if missing.
    a = anon.get("/c/%s/feed.atom?token=%s" % (other.slug, t1))
    b = anon.get(missing + "?token=%s" % t1)
    same_404(a, b)
    # A wrong token.
    same_404(anon.get("/c/%s/feed.atom?token=%s" % (priv.slug, "x" * 43)),
        anon.get(missing + "?token=%s" % ("x" * 43)))
    # A session cookie of a non-member with the community's slug.
    dtan = signed_in(stack, base_url, "dtan")
    same_404(dtan.get("/c/%s/feed.atom" % priv.slug), dtan.get(missing))

    # Rotation revokes the old token.
    t2 = rotate(lina)
    assert t2 != t1
    same_404(anon.get("/c/%s/feed.atom?token=%s" % (priv.slug, t1)),
        anon.get(missing + "?token=%s" % t1))
    atom(anon.get("/c/%s/feed.atom?token=%s" % (priv.slug, t2)))

    # After leaving the community, the token no longer reads it.
    priv.leave("lchen")
    same_404(anon.get("/c/%s/feed.atom?token=%s" % (priv.slug, t2)),
        anon.get(missing + "?token=%s" % t2))
    assert "Private roadmap" not in anon.get("/c/%s/feed.atom?token=%s" %
        (priv.slug, t2)).text

    # A disabled user's token stops working.
    priv.member("lchen")
    atom(anon.get("/c/%s/feed.atom?token=%s" % (priv.slug, t2)))
    stack.mysql("UPDATE users SET status = 'disabled' WHERE id = %d" %
        uid(stack, "lchen"), db="portico")
    try:
        same_404(anon.get("/c/%s/feed.atom?token=%s" % (priv.slug, t2)),
            anon.get(missing))
    finally:
        stack.mysql("UPDATE users SET status = 'active', disabled_reason = "
            "NULL, disabled_at = NULL WHERE id = %d" % uid(stack, "lchen"),
            db="portico")


def test_feed_updated_is_its_newest_entry(stack, base_url):
    # Entries are newest first by creation; an older post edited since is
    # the newest change, and the feed's <updated> must say so.
    lina = signed_in(stack, base_url, "lchen")
    c = Comm(stack)
    c.member("lchen")
    tid = new_thread(lina, c.slug, "Edited later", "first version")
    reply(lina, tid, "a reply in between")
    stack.mysql("UPDATE posts SET created_at = NOW() - INTERVAL 2 HOUR, "
        "edited_at = NOW() - INTERVAL 5 MINUTE WHERE thread_id = %d AND "
        "is_first" % tid, db="portico")
    stack.mysql("UPDATE posts SET created_at = NOW() - INTERVAL 1 HOUR "
        "WHERE thread_id = %d AND NOT is_first" % tid, db="portico")
    feed = atom(lina.get("/c/%s/feed.atom" % c.slug))
    entries = feed.findall(ATOM + "entry")
    assert [e.findtext(ATOM + "title") for e in entries] == \
        ["Re: Edited later", "Edited later"]
    newest = max(e.findtext(ATOM + "updated") for e in entries)
    assert newest == entries[1].findtext(ATOM + "updated")
    assert feed.findtext(ATOM + "updated") == newest
