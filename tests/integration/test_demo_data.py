"""The demo data (sql/demo/, `porticoctl seed-demo`) for communities and the
partner directory.

On a fresh database: seeding twice leaves every demo table exactly as the
first time; the three communities, their members, threads, replies,
counters, kudos and the Kestrel/Meridian conflict are what the README
promises; and every demo person signs in through the real LDAP directory
onto the row the demo data made (no second account, same id, same
profile).  On the suite's stack, through nginx and Apache: Jack Whitfield
(Kestrel) and Daniel Tan (Meridian) each see their own private community
and not the other's.
"""

import lxml.etree
import pytest

from authlib import FcgiBrowser, LDAP_USERS, body_without_request_id, \
    clear_throttle, logged_in, text_of

DB = "portico_demotwice"

# Every table the demo files write, with an order for a stable dump.
TABLES = [
    ("program", "id"), ("program_tiers", "id"),
    ("program_tier_items", "tier_id, kind, position"),
    ("organisations", "id"), ("users", "id"), ("communities", "id"),
    ("community_members", "community_id, user_id"), ("threads", "id"),
    ("posts", "id"), ("kudos", "post_id, user_id"),
    ("organisation_conflicts", "org_a, org_b"), ("expertise_areas", "id"),
    ("organisation_expertise", "organisation_id, expertise_id"),
    ("user_expertise", "user_id, expertise_id"), ("user_profiles", "user_id"),
    ("notifications", "id"),
]

# The people the demo creates: everyone in tests/fixtures/ldap who can
# sign in (vhale has no portal group, alex.morgan is ambiguous).
DEMO_LOGINS = ["hlindqvist", "mokafor", "praman", "knakamura", "jwhitfield",
    "lchen", "o'brien*", "dtan", "rkumar", "bfarrell"]

OPEN = "halvard-partner-network"
KESTREL = "kestrel-cloud-halvard"
MERIDIAN = "meridian-halvard"
NAMES = {OPEN: "Halvard Partner Network",
    KESTREL: "Kestrel Cloud \u00d7 Halvard",
    MERIDIAN: "Meridian Shared Services \u00d7 Halvard"}


def signin(stack, base_url, login):
    """A signed-in browser, with failures other tests counted forgotten."""
    clear_throttle(stack)
    return logged_in(stack, base_url, login)


def dump(stack):
    return {t: stack.mysql("SELECT * FROM %s ORDER BY %s" % (t, order),
        db=DB) for t, order in TABLES}


@pytest.fixture(scope="module")
def seeded(stack):
    conf = stack.scratch_db("demotwice")
    stack.ctl("migrate", config=conf)
    stack.ctl("seed-demo", config=conf)
    return conf


def q(stack, sql):
    return [ln.split("\t") for ln in stack.mysql(sql, db=DB).splitlines()
        if ln]


def test_seed_demo_twice_changes_nothing(stack, seeded):
    first = dump(stack)
    assert all(first[t].strip() for t, _ in TABLES), \
        [t for t, _ in TABLES if not first[t].strip()]
    stack.ctl("seed-demo", config=seeded)
    second = dump(stack)
    changed = [t for t, _ in TABLES if first[t] != second[t]]
    assert not changed, changed


def test_communities_are_as_promised(stack, seeded):
    got = {r[0]: r[1:] for r in q(stack, "SELECT slug, name, visibility, "
        "join_policy, private, archived_at IS NULL FROM communities")}
    assert got == {
        OPEN: [NAMES[OPEN], "listed", "open", "0", "1"],
        KESTREL: [NAMES[KESTREL], "unlisted", "invitation", "1", "1"],
        MERIDIAN: [NAMES[MERIDIAN], "secret", "invitation", "1", "1"],
    }
    members = {}
    for slug, login, role, org in q(stack, "SELECT c.slug, u.login, m.role, "
            "o.slug FROM community_members m JOIN communities c ON c.id = "
            "m.community_id JOIN users u ON u.id = m.user_id JOIN "
            "organisations o ON o.id = u.organisation_id"):
        members.setdefault(slug, {})[login] = (role, org)
    for slug in NAMES:
        assert members[slug]["mokafor"][0] == "manager", slug
    assert members[KESTREL]["jwhitfield"][0] == "manager"
    assert members[MERIDIAN]["dtan"][0] == "manager"
    # The private communities hold one partner each, plus vendor staff.
    assert {o for _, o in members[KESTREL].values()} == {"halvard",
        "kestrel-cloud"}
    assert {o for _, o in members[MERIDIAN].values()} == {"halvard",
        "meridian-shared-services"}
    assert {"lchen", "o'brien*"} <= set(members[KESTREL])
    assert {"rkumar", "bfarrell"} <= set(members[MERIDIAN])
    # The two competitors are declared as such.
    assert q(stack, "SELECT LEAST(a.slug, b.slug), GREATEST(a.slug, b.slug) "
        "FROM organisation_conflicts x JOIN organisations a ON a.id = x.org_a "
        "JOIN organisations b ON b.id = x.org_b") == [
        ["kestrel-cloud", "meridian-shared-services"]]


def test_threads_replies_kudos_and_counters(stack, seeded):
    per = dict(q(stack, "SELECT c.slug, COUNT(*) FROM threads t JOIN "
        "communities c ON c.id = t.community_id GROUP BY c.slug"))
    assert per == {OPEN: "6", KESTREL: "3", MERIDIAN: "3"}
    pinned = dict(q(stack, "SELECT c.slug, COUNT(*) FROM threads t JOIN "
        "communities c ON c.id = t.community_id WHERE t.pinned GROUP BY "
        "c.slug"))
    assert pinned == {OPEN: "1", KESTREL: "1", MERIDIAN: "1"}
    assert q(stack, "SELECT t.title, u.login FROM threads t JOIN users u "
        "ON u.id = t.author_id JOIN communities c ON c.id = t.community_id "
        "WHERE t.pinned AND c.slug = '%s'" % OPEN) == [
        ["Welcome to the Halvard Partner Network: start here", "mokafor"]]
    # Each thread has exactly one first post, by its author; every post
    # sits in its thread's community; the counters match the rows.
    assert q(stack, "SELECT COUNT(*) FROM threads t WHERE 1 <> (SELECT "
        "COUNT(*) FROM posts p WHERE p.thread_id = t.id AND p.is_first AND "
        "p.author_id = t.author_id)") == [["0"]]
    assert q(stack, "SELECT COUNT(*) FROM posts p JOIN threads t ON t.id = "
        "p.thread_id WHERE p.community_id <> t.community_id") == [["0"]]
    assert q(stack, "SELECT COUNT(*) FROM threads t WHERE reply_count <> "
        "(SELECT COUNT(*) - 1 FROM posts p WHERE p.thread_id = t.id) OR "
        "last_post_by <> (SELECT p.author_id FROM posts p WHERE p.thread_id "
        "= t.id ORDER BY p.created_at DESC, p.id DESC LIMIT 1) OR "
        "last_post_at <> (SELECT MAX(p.created_at) FROM posts p WHERE "
        "p.thread_id = t.id)") == [["0"]]
    assert q(stack, "SELECT COUNT(*) FROM posts p WHERE kudos_count <> "
        "(SELECT COUNT(*) FROM kudos k WHERE k.post_id = p.id)") == [["0"]]
    assert q(stack, "SELECT COUNT(*) FROM kudos k JOIN posts p ON p.id = "
        "k.post_id WHERE k.community_id <> p.community_id OR k.user_id = "
        "p.author_id") == [["0"]]
    assert int(q(stack, "SELECT COUNT(*) FROM kudos")[0][0]) >= 10
    assert int(q(stack, "SELECT COUNT(*) FROM threads WHERE reply_count > "
        "0")[0][0]) >= 10
    # Authors and kudos givers are members of the community (vendor staff
    # included), so nobody speaks where they could not read.
    assert q(stack, "SELECT COUNT(*) FROM posts p WHERE NOT EXISTS (SELECT "
        "1 FROM community_members m WHERE m.community_id = p.community_id "
        "AND m.user_id = p.author_id)") == [["0"]]
    # Notifications of replies and mentions, to members of the community.
    assert int(q(stack, "SELECT COUNT(*) FROM notifications WHERE kind = "
        "'mention'")[0][0]) >= 2
    assert q(stack, "SELECT COUNT(*) FROM notifications n WHERE NOT EXISTS "
        "(SELECT 1 FROM community_members m WHERE m.community_id = "
        "n.community_id AND m.user_id = n.user_id) OR NOT EXISTS (SELECT 1 "
        "FROM posts p WHERE p.id = n.post_id AND p.thread_id = n.thread_id "
        "AND p.community_id = n.community_id AND p.author_id = n.actor_id)"
        ) == [["0"]]
    assert q(stack, "SELECT COUNT(*) FROM community_members m WHERE m.posts "
        "<> (SELECT COUNT(*) FROM posts p WHERE p.community_id = "
        "m.community_id AND p.author_id = m.user_id)") == [["0"]]


def test_demo_people_sign_in_onto_their_demo_rows(stack, seeded):
    """Nobody has signed in on this database yet: each first sign-in must
    find the row the demo data made, keep its id and change no profile
    field (the directory says the same)."""
    cols = "id, source, external_id, login, name, email, organisation_id"
    before = {r[3]: r for r in q(stack, "SELECT %s FROM users" % cols)}
    assert sorted(before) == sorted(DEMO_LOGINS)
    assert q(stack, "SELECT COUNT(*) FROM users WHERE last_login_at IS NOT "
        "NULL") == [["0"]]
    p = stack.spawn_portico(seeded)
    try:
        for login in DEMO_LOGINS:
            b = FcgiBrowser(p)
            r = b.login_ldap(login, LDAP_USERS[login])
            assert r.status == 303, (login, r.status, r.text[:300])
    finally:
        p.stop(timeout=30)
    after = {r[3]: r for r in q(stack, "SELECT %s FROM users" % cols)}
    assert after == before
    assert q(stack, "SELECT COUNT(*) FROM users WHERE last_login_at IS "
        "NULL") == [["0"]]
    # Sign-in gave each their roles, as for any user.
    assert q(stack, "SELECT r.role FROM user_roles r JOIN users u ON u.id = "
        "r.user_id WHERE u.login = 'jwhitfield' ORDER BY r.role") == [
        ["partner_user"], ["partner_admin"]]


def own_communities(stack, base_url, login):
    """The communities a user's own directory card lists as shared with
    themselves: their memberships."""
    b = signin(stack, base_url, login)
    # By (source, external_id): an SSO sign-in makes another account with
    # the same login.
    me = stack.mysql("SELECT id FROM users WHERE source = 'ldap' AND "
        "external_id = 'uid=%s,ou=people,dc=halvard,dc=example'" % login,
        db="portico").strip()
    r = b.get("/directory/people/%s?format=xml" % me)
    assert r.status == 200
    doc = lxml.etree.fromstring(r.body)
    return b, {c.get("slug"): c.get("name") for c in
        doc.findall("person/shared/community")}, me


@pytest.mark.usefixtures("demo_communities_only")
def test_jack_and_daniel_see_their_own_private_community(stack, base_url):
    jack, jc, _ = own_communities(stack, base_url, "jwhitfield")
    dan, dc, _ = own_communities(stack, base_url, "dtan")
    assert jc.get(KESTREL) == NAMES[KESTREL] and MERIDIAN not in jc
    assert dc.get(MERIDIAN) == NAMES[MERIDIAN] and KESTREL not in dc
    assert jc.get(OPEN) == dc.get(OPEN) == NAMES[OPEN]
    # Lina (Kestrel, not in the open community) finds no Meridian person,
    # and Meridian people find none of Kestrel's but Jack, whom Daniel
    # meets in the open community.
    lina = signin(stack, base_url, "lchen")
    page = text_of(lina.get("/directory?show=people").text)
    assert "Marcus Okafor" in page and "Siobh\u00e1n O'Brien" in page
    for name in ("Daniel Tan", "Ravi Kumar", "Brendan Farrell"):
        assert name not in page
    ravi = signin(stack, base_url, "rkumar")
    page = text_of(ravi.get("/directory?show=people").text)
    assert "Daniel Tan" in page
    for name in ("Jack Whitfield", "Lina Chen", "O'Brien"):
        assert name not in page
    # Neither sees the other's community in any directory page.
    for b, other in ((jack, MERIDIAN), (dan, KESTREL)):
        for target in ("/directory", "/directory?show=organisations",
                "/directory/organisations/halvard"):
            r = b.get(target)
            assert r.status == 200
            assert NAMES[other] not in r.text and other not in r.text


def community_routes(stack):
    return {ln.split("\t")[2] for ln in stack.ctl("routes").stdout
        .splitlines() if len(ln.split("\t")) > 2}


def test_community_pages_show_the_difference(stack, base_url):
    """Once the communities module serves /c/{slug}: each admin reads their
    own private community and the open one; the other's private community
    answers as one that does not exist."""
    if "/c/{slug}" not in community_routes(stack):
        pytest.skip("/c/{slug} is not in the route table yet")
    jack = signin(stack, base_url, "jwhitfield")
    dan = signin(stack, base_url, "dtan")
    cases = ((jack, KESTREL, MERIDIAN, "Platinum joint business plan"),
        (dan, MERIDIAN, KESTREL, "Registered to Silver"))
    for b, mine, theirs, title in cases:
        r = b.get("/c/%s" % mine)
        assert r.status == 200 and title in r.text, (mine, r.status)
        r = b.get("/c/%s" % OPEN)
        assert r.status == 200 and "Welcome to the Halvard Partner" in r.text
        hidden = b.get("/c/%s" % theirs)
        missing = b.get("/c/no-such-community-here")
        assert hidden.status == 404
        assert body_without_request_id(hidden) == \
            body_without_request_id(missing)
