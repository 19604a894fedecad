"""Kudos and top contributors, through nginx and Apache, checked against
MariaDB (modules/communities/kudos.c).

Kudos: one per reader and post, never on one's own post, only on a post
the reader is shown; the kudos row and posts.kudos_count move together
and a second click changes nothing.  Top contributors: visible posts and
the kudos they received, counted in the one community only, shown only to
its readers; a competitor gets the bytes of a missing community.  The
world (communities, threads, posts, members) is built with SQL by the
World helper of test_moderation.py.
"""

import lxml.etree
import pytest

from authlib import body_without_request_id, text_of
from test_moderation import World, act, q, redirected
from test_pages import check_error_page, parse_html


@pytest.fixture
def world(stack, base_url):
    return World(stack, base_url)


def kudos_of(stack, pid):
    """(rows in kudos, posts.kudos_count) for post pid."""
    rows = q(stack, "SELECT COUNT(*) FROM kudos WHERE post_id = %d" % pid)
    count = q(stack, "SELECT kudos_count FROM posts WHERE id = %d" % pid)
    return int(rows), int(count)


def test_kudos_once_per_reader_and_idempotent(stack, world):
    k, kslug = world.community("kestrel-kudos", managers=["jwhitfield"],
        members=["lchen"])
    tid, first = world.thread(k, "jwhitfield", "Kudos thread")
    member = world.browser("lchen")
    author = world.browser("jwhitfield")

    r = act(member, "/p/%d/kudos" % first)
    redirected(r, "/t/%d" % tid)
    assert kudos_of(stack, first) == (1, 1)
    r = act(member, "/p/%d/kudos" % first)
    redirected(r, "/t/%d" % tid)
    assert kudos_of(stack, first) == (1, 1), "a second kudos counted"
    assert q(stack, "SELECT community_id FROM kudos WHERE post_id = %d" %
        first) == str(k)

    # Staff read every community and may thank too.
    r = act(world.browser("knakamura"), "/p/%d/kudos" % first)
    redirected(r, "/t/%d" % tid)
    assert kudos_of(stack, first) == (2, 2)

    r = act(member, "/p/%d/unkudos" % first)
    redirected(r, "/t/%d" % tid)
    assert kudos_of(stack, first) == (1, 1)
    r = act(member, "/p/%d/unkudos" % first)
    redirected(r, "/t/%d" % tid)
    assert kudos_of(stack, first) == (1, 1), "a second unkudos counted"

    # Not on one's own post.
    check_error_page(act(author, "/p/%d/kudos" % first), 403, "own post")
    assert kudos_of(stack, first) == (1, 1)

    # Not on a post the reader is not shown.
    reply = world.post(tid, "jwhitfield", "held reply", status="held")
    r = act(member, "/p/%d/kudos" % reply)
    assert r.status == 404
    assert kudos_of(stack, reply) == (0, 0)


def test_kudos_refused_to_non_readers_as_missing(stack, world):
    k, kslug = world.community("kestrel-secret-kudos",
        managers=["jwhitfield"], members=["lchen"])
    tid, first = world.thread(k, "jwhitfield", "Kestrel pricing secret")
    rival = world.browser("rkumar")
    for action in ("kudos", "unkudos"):
        a = act(rival, "/p/%d/%s" % (first, action))
        b = act(rival, "/p/%d/%s" % (2 ** 40, action))
        assert a.status == 404
        assert body_without_request_id(a) == body_without_request_id(b)
        assert "Kestrel pricing secret" not in a.text
    assert kudos_of(stack, first) == (0, 0)


def test_contributors_counted_per_community(stack, world):
    k, kslug = world.community("kestrel-top", managers=["jwhitfield"],
        members=["lchen"])
    m, mslug = world.community("meridian-top", managers=["dtan"],
        members=["rkumar", "lchen"])
    ktid, kfirst = world.thread(k, "jwhitfield", "K thread")
    k_replies = [world.post(ktid, "lchen", "K reply %d" % i)
        for i in range(3)]
    world.post(ktid, "lchen", "hidden K reply", status="hidden")
    mtid, mfirst = world.thread(m, "dtan", "M thread")
    m_replies = [world.post(mtid, "lchen", "M reply %d" % i)
        for i in range(5)]
    world.post(mtid, "rkumar", "M reply by Ravi")
    # Kudos in K: lchen thanks jwhitfield once; jwhitfield thanks two of
    # lchen's K replies.  In M, dtan thanks all of lchen's M replies.
    jw = world.browser("jwhitfield")
    lc = world.browser("lchen")
    dt = world.browser("dtan")
    redirected(act(lc, "/p/%d/kudos" % kfirst), "/t/%d" % ktid)
    for pid in k_replies[:2]:
        redirected(act(jw, "/p/%d/kudos" % pid), "/t/%d" % ktid)
    for pid in m_replies:
        redirected(act(dt, "/p/%d/kudos" % pid), "/t/%d" % mtid)

    x = lc.get("/c/%s/contributors?format=xml" % kslug)
    assert x.status == 200, x.text[:300]
    doc = lxml.etree.fromstring(x.body)
    rows = [(c.get("name"), c.get("posts"), c.get("kudos"))
        for c in doc.xpath("//contributors/contributor")]
    # lchen: 3 visible replies + 2 kudos (the hidden one and M's posts do
    # not count); jwhitfield: 1 post + 1 kudos.
    assert rows == [("Lina Chen", "3", "2"), ("Jack Whitfield", "1", "1")]
    me = doc.xpath("//contributors/me")[0]
    assert (me.get("posts"), me.get("kudos")) == ("3", "2")

    x = lc.get("/c/%s/contributors?format=xml" % mslug)
    doc = lxml.etree.fromstring(x.body)
    rows = [(c.get("name"), c.get("posts"), c.get("kudos"))
        for c in doc.xpath("//contributors/contributor")]
    assert rows[0] == ("Lina Chen", "5", "5")
    assert sorted(rows[1:]) == [("Daniel Tan", "1", "0"),
        ("Ravi Kumar", "1", "0")]

    # The HTML page: a ranking table and the reader's own count.
    r = lc.get("/c/%s/contributors" % kslug)
    page = parse_html(r.body)
    assert len(page.xpath("//table//tbody/tr")) == 2
    assert "Your contribution here" in text_of(r.text)

    # One member's count, for pages that link to it: only of someone who
    # belongs to or posted in the community, never of any user id.
    uid_lc = world.u["lchen"]
    r = lc.get("/c/%s/contributors?member=%d" % (kslug, uid_lc))
    page = parse_html(r.body)
    assert "3 posts · 2 kudos received in this community" in text_of(r.text)
    assert page.xpath("//a[@href='/c/%s/contributors?member=%d']" % (kslug,
        uid_lc))
    x = lc.get("/c/%s/contributors?format=xml&member=%d" % (kslug,
        world.u["rkumar"]))
    member = lxml.etree.fromstring(x.body).xpath("//contributors/member")[0]
    assert member.get("found") == "no" and member.get("name") is None
    x = lc.get("/c/%s/contributors?format=xml&member=%d" % (mslug,
        world.u["rkumar"]))
    member = lxml.etree.fromstring(x.body).xpath("//contributors/member")[0]
    assert (member.get("name"), member.get("posts"), member.get("kudos")) \
        == ("Ravi Kumar", "1", "0")

    # A reader of M who cannot read K sees nothing of K's ranking.
    rk = world.browser("rkumar")
    a = rk.get("/c/%s/contributors" % kslug)
    b = rk.get("/c/no-such-%s/contributors" % world.n)
    assert a.status == 404
    assert body_without_request_id(a) == body_without_request_id(b)
    r = rk.get("/c/%s/contributors" % mslug)
    assert r.status == 200
    assert "Jack Whitfield" not in text_of(r.text)
    assert "K thread" not in r.text
