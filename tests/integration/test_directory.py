"""The partner directory (modules/partner_directory.c) through nginx and
Apache, signed in through the real LDAP directory.

Who may find whom is checked against an oracle written here in Python from
the raw tables (the rule of the issue: people who share a community
membership with the reader, plus the vendor's staff unless the vendor is
declared a competitor; competitors only when they share a community;
staff roles see everyone; disabled and deleted users never), for demo
users of both competing partners, the vendor and staff, across every
page.  Then the rule is moved one step at a time (a shared community, an
archived one, a directory-group membership, a conflict with the vendor, a
disabled and a deleted account) and each hidden person or organisation
must answer exactly what a missing one answers, the request id aside.
Filters are compared with SQL; names with markup and SQL metacharacters
come back verbatim and escaped; pages do not repeat or skip rows.
"""

import re
import secrets
import urllib.parse

import lxml.etree
import lxml.html
import pytest

from authlib import Browser, body_without_request_id, clear_throttle, \
    logged_in, text_of

STAFF = {"moderator", "portal_admin", "channel_manager"}
MISSING_ID = str(2 ** 40 + 11)
MISSING_SLUG = "no-such-organisation-here"

# Who sees whom is decided by the demo data's communities, not by those the
# other test modules made in the shared stack.
pytestmark = pytest.mark.usefixtures("demo_communities_only")


def signin(stack, base_url, login):
    """A signed-in browser; failures other tests counted for this account
    (the throttle tests sign jwhitfield in wrongly on purpose) are
    forgotten first."""
    clear_throttle(stack)
    return logged_in(stack, base_url, login)


def sql(stack, q):
    return stack.mysql(q, db="portico")


def rows(stack, q):
    return [line.split("\t") for line in sql(stack, q).splitlines() if line]


def sql_str(s):
    return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'"


def uid(stack, login):
    return sql(stack, "SELECT id FROM users WHERE source = 'ldap' AND "
        "login = %s" % sql_str(login)).strip()


def oracle(stack, login):
    """(person ids, organisation slugs) that login may find, by the rule."""
    me = uid(stack, login)
    users = {r[0]: r for r in rows(stack, "SELECT u.id, "
        "COALESCE(u.organisation_id, 0), u.status = 'active' AND "
        "u.deleted_at IS NULL, COALESCE(o.kind, '') FROM users u "
        "LEFT JOIN organisations o ON o.id = u.organisation_id")}
    comms = {}
    for user, cid in rows(stack, "SELECT m.user_id, c.id FROM "
            "community_members m JOIN communities c ON c.id = m.community_id "
            "WHERE c.archived_at IS NULL UNION SELECT d.user_id, c.id FROM "
            "directory_memberships d JOIN communities c ON "
            "c.slug = d.community_slug WHERE c.archived_at IS NULL"):
        comms.setdefault(user, set()).add(cid)
    conflicts = {frozenset(r) for r in rows(stack,
        "SELECT org_a, org_b FROM organisation_conflicts")}
    roles = {r[0] for r in rows(stack, "SELECT role FROM user_roles "
        "WHERE user_id = %s" % me)}
    staff = bool(roles & STAFF)
    my_org = users[me][1]
    mine = comms.get(me, set())
    people = set()
    for u, (_, org, active, kind) in users.items():
        if active != "1":
            continue
        if staff or u == me or mine & comms.get(u, set()) or (
                kind == "vendor" and frozenset((org, my_org)) not in
                conflicts):
            people.add(u)
    orgs = set()
    for oid, slug, kind in rows(stack,
            "SELECT id, slug, kind FROM organisations"):
        if staff or oid == my_org or kind == "vendor" or any(
                users[p][1] == oid for p in people):
            orgs.add(slug)
    return people, orgs


def xml_of(b, target):
    sep = "&" if "?" in target else "?"
    r = b.get(target + sep + "format=xml")
    assert r.status == 200, (target, r.status, r.text[:300])
    return lxml.etree.fromstring(r.body)


def listing(b, show, **filters):
    """Every row of /directory?show=... (all pages): [(id or slug, name)]."""
    out = []
    params = dict(filters, show=show)
    for _ in range(200):
        doc = xml_of(b, "/directory?" + urllib.parse.urlencode(params))
        lst = doc.find("directory/" + show)
        assert lst is not None, show
        for x in lst:
            if x.tag == "person":
                out.append((x.get("id"), x.get("name")))
            elif x.tag == "organisation":
                out.append((x.get("slug"), x.get("name")))
        nx = lst.find("next")
        if nx is None:
            return out
        params.update(after=nx.get("after"), after_id=nx.get("after-id"))
    raise AssertionError("more than 200 pages")


def people_ids(b, **filters):
    return {i for i, _ in listing(b, "people", **filters)}


def org_slugs(b, **filters):
    return {s for s, _ in listing(b, "organisations", **filters)}


def same_as_missing(b, hidden, missing):
    """hidden answers exactly what missing answers (HTML and XML view)."""
    for suffix in ("", "?format=xml"):
        a, m = b.get(hidden + suffix), b.get(missing + suffix)
        assert a.status == 404, (hidden, a.status)
        assert (a.status, a.header("Content-Type"),
            body_without_request_id(a)) == (m.status,
            m.header("Content-Type"), body_without_request_id(m)), hidden


def card(b, person):
    return b.get("/directory/people/%s" % person)


@pytest.mark.parametrize("login", ["lchen", "rkumar", "jwhitfield", "dtan",
    "o'brien*", "praman", "mokafor", "knakamura", "hlindqvist"])
def test_listing_follows_the_rule(stack, base_url, login):
    b = signin(stack, base_url, login)
    people, orgs = oracle(stack, login)
    assert people_ids(b) == people
    assert org_slugs(b) == orgs
    # The combined page shows the first rows of both lists.
    doc = xml_of(b, "/directory")
    got = [p.get("id") for p in doc.findall("directory/people/person")]
    assert set(got) <= people and len(got) == min(10, len(people))


def test_demo_competitors_do_not_see_each_other(stack, base_url):
    """With the demo data: Lina (Kestrel) and Ravi (Meridian) share no
    community; Jack and Daniel both joined the open network, so they do."""
    lchen = signin(stack, base_url, "lchen")
    names = {n for _, n in listing(lchen, "people")}
    assert {"Jack Whitfield", "Marcus Okafor", "Priya Raman"} <= names
    assert not names & {"Daniel Tan", "Ravi Kumar", "Brendan Farrell"}
    assert "meridian-shared-services" not in org_slugs(lchen)
    page = lchen.get("/directory?q=Kumar")
    assert page.status == 200 and "Ravi" not in page.text
    jack = signin(stack, base_url, "jwhitfield")
    assert "Daniel Tan" in {n for _, n in listing(jack, "people")}
    assert "Ravi Kumar" not in {n for _, n in listing(jack, "people")}


def test_competitors_visible_only_while_sharing_a_community(stack,
        base_url):
    lchen = signin(stack, base_url, "lchen")
    ravi = signin(stack, base_url, "rkumar")
    l_id, r_id = uid(stack, "lchen"), uid(stack, "rkumar")
    assert r_id not in oracle(stack, "lchen")[0], \
        "precondition: lchen and rkumar must share no community"
    assert "meridian-shared-services" not in oracle(stack, "lchen")[1]

    def hidden():
        assert r_id not in people_ids(lchen)
        assert l_id not in people_ids(ravi)
        assert "meridian-shared-services" not in org_slugs(lchen)
        same_as_missing(lchen, "/directory/people/%s" % r_id,
            "/directory/people/%s" % MISSING_ID)
        same_as_missing(ravi, "/directory/people/%s" % l_id,
            "/directory/people/%s" % MISSING_ID)
        same_as_missing(lchen,
            "/directory/organisations/meridian-shared-services",
            "/directory/organisations/%s" % MISSING_SLUG)

    def visible(via):
        assert r_id in people_ids(lchen) and l_id in people_ids(ravi)
        assert "meridian-shared-services" in org_slugs(lchen)
        r = card(lchen, r_id)
        assert r.status == 200 and "Ravi Kumar" in r.text
        assert via in text_of(r.text)
        r = lchen.get("/directory/organisations/meridian-shared-services")
        assert r.status == 200
        assert "Ravi Kumar" in r.text and "Daniel Tan" not in r.text

    hidden()
    slug = "dir-bridge-%s" % secrets.token_hex(3)
    name = "Joint bid desk %s" % slug
    sql(stack, "INSERT INTO communities (slug, name, description, "
        "visibility, join_policy, private) VALUES ('%s', '%s', 'x', "
        "'unlisted', 'invitation', 1)" % (slug, name))
    cid = sql(stack, "SELECT id FROM communities WHERE slug = '%s'" %
        slug).strip()
    try:
        sql(stack, "INSERT INTO community_members (community_id, user_id, "
            "role, source) VALUES (%s, %s, 'member', 'manager'), "
            "(%s, %s, 'member', 'manager')" % (cid, l_id, cid, r_id))
        visible(name)
        assert oracle(stack, "lchen")[0] == people_ids(lchen)
        # An archived community no longer counts.
        sql(stack, "UPDATE communities SET archived_at = NOW() WHERE id = %s"
            % cid)
        hidden()
        sql(stack, "UPDATE communities SET archived_at = NULL WHERE id = %s"
            % cid)
        visible(name)
        # Ravi leaves: hidden again; a directory group brings him back.
        sql(stack, "DELETE FROM community_members WHERE community_id = %s "
            "AND user_id = %s" % (cid, r_id))
        hidden()
        sql(stack, "INSERT INTO directory_memberships (user_id, "
            "community_slug, source, via_group, confirmed_at) VALUES "
            "(%s, '%s', 'ldap', 'cn=x', NOW())" % (r_id, slug))
        visible(name)
    finally:
        sql(stack, "DELETE FROM directory_memberships WHERE "
            "community_slug = '%s'" % slug)
        sql(stack, "DELETE FROM communities WHERE id = %s" % cid)
    hidden()


def test_vendor_staff_visible_unless_conflicted_disabled_or_deleted(stack,
        base_url):
    lchen = signin(stack, base_url, "lchen")
    ravi = signin(stack, base_url, "rkumar")
    priya = uid(stack, "praman")
    marcus = uid(stack, "mokafor")
    for b in (lchen, ravi):
        assert {priya, marcus} <= people_ids(b)
        assert card(b, priya).status == 200
        assert "halvard" in org_slugs(b)
    login = "dirstaff-%s" % secrets.token_hex(3)
    sql(stack, "INSERT INTO users (source, external_id, login, name, email, "
        "organisation_id) SELECT 'ldap', 'uid=%s,ou=people,dc=x', '%s', "
        "'Staff %s', '%s@halvard.example', id FROM organisations "
        "WHERE slug = 'halvard'" % (login, login, login, login))
    new = uid(stack, login)
    try:
        assert new in people_ids(lchen)
        sql(stack, "UPDATE users SET status = 'disabled' WHERE id = %s" % new)
        assert new not in people_ids(lchen)
        same_as_missing(lchen, "/directory/people/%s" % new,
            "/directory/people/%s" % MISSING_ID)
        sql(stack, "UPDATE users SET status = 'active', deleted_at = NOW() "
            "WHERE id = %s" % new)
        assert new not in people_ids(lchen)
        same_as_missing(lchen, "/directory/people/%s" % new,
            "/directory/people/%s" % MISSING_ID)
    finally:
        sql(stack, "DELETE FROM users WHERE id = %s" % new)
    # A vendor declared a competitor of the reader's company: its staff are
    # then only visible where they share a community (Marcus manages
    # Kestrel's private community, Priya is not in it).
    lo, hi = sorted([sql(stack, "SELECT id FROM organisations WHERE slug = "
        "'%s'" % s).strip() for s in ("halvard", "kestrel-cloud")], key=int)
    sql(stack, "INSERT INTO organisation_conflicts (org_a, org_b, reason) "
        "VALUES (%s, %s, 'directory test')" % (lo, hi))
    try:
        got = people_ids(lchen)
        assert got == oracle(stack, "lchen")[0]
        assert priya not in got and marcus in got
        same_as_missing(lchen, "/directory/people/%s" % priya,
            "/directory/people/%s" % MISSING_ID)
        assert priya in people_ids(ravi)
    finally:
        sql(stack, "DELETE FROM organisation_conflicts WHERE org_a = %s AND "
            "org_b = %s" % (lo, hi))
    assert priya in people_ids(lchen)


def test_staff_see_everyone_and_every_organisation(stack, base_url):
    everyone = {r[0] for r in rows(stack, "SELECT id FROM users WHERE "
        "status = 'active' AND deleted_at IS NULL")}
    all_orgs = {r[0] for r in rows(stack, "SELECT slug FROM organisations")}
    for login in ("mokafor", "knakamura", "hlindqvist"):
        b = signin(stack, base_url, login)
        assert people_ids(b) == everyone
        assert org_slugs(b) == all_orgs
        assert b.get("/directory/organisations/ashgrove-consulting"
            ).status == 200
    # A partner does not see an organisation none of whose people they
    # share a community with.
    lchen = signin(stack, base_url, "lchen")
    same_as_missing(lchen, "/directory/organisations/ashgrove-consulting",
        "/directory/organisations/%s" % MISSING_SLUG)
    # Their own organisation and the vendor always.
    for slug in ("kestrel-cloud", "halvard"):
        assert lchen.get("/directory/organisations/%s" % slug).status == 200


def test_filters_match_sql(stack, base_url):
    b = signin(stack, base_url, "mokafor")   # staff: the filter alone
    active = "u.status = 'active' AND u.deleted_at IS NULL"

    def orgs_where(cond):
        return {r[0] for r in rows(stack, "SELECT o.slug FROM organisations "
            "o LEFT JOIN program_tiers t ON t.id = o.tier_id WHERE " + cond)}

    def people_where(cond):
        return {r[0] for r in rows(stack, "SELECT u.id FROM users u LEFT "
            "JOIN organisations o ON o.id = u.organisation_id LEFT JOIN "
            "program_tiers t ON t.id = o.tier_id LEFT JOIN user_profiles p "
            "ON p.user_id = u.id WHERE %s AND (%s)" % (active, cond))}

    cases = [
        ({"region": "APAC"}, "o.region = 'APAC'"),
        ({"tier": "platinum"}, "t.slug = 'platinum'"),
        ({"industry": "bank"}, "o.industry LIKE '%bank%'"),
        ({"expertise": "treasury"}, "o.id IN (SELECT organisation_id FROM "
            "organisation_expertise x JOIN expertise_areas e ON e.id = "
            "x.expertise_id WHERE e.slug = 'treasury')"),
        ({"q": "Kestrel"}, "o.name LIKE '%Kestrel%' OR "
            "o.summary LIKE '%Kestrel%'"),
        ({"region": "EMEA", "tier": "gold"},
            "o.region = 'EMEA' AND t.slug = 'gold'"),
    ]
    for filters, cond in cases:
        want = orgs_where(cond)
        assert want, filters
        assert org_slugs(b, **filters) == want, filters
    pcases = [
        ({"region": "APAC"}, "o.region = 'APAC'"),
        ({"tier": "registered"}, "t.slug = 'registered'"),
        ({"organisation": "kestrel-cloud"}, "o.slug = 'kestrel-cloud'"),
        ({"expertise": "treasury"}, "u.id IN (SELECT user_id FROM "
            "user_expertise x JOIN expertise_areas e ON e.id = "
            "x.expertise_id WHERE e.slug = 'treasury')"),
        ({"q": "chen"}, "u.name LIKE '%chen%' OR p.job_title LIKE '%chen%'"),
        ({"q": "consultant"}, "u.name LIKE '%consultant%' OR "
            "p.job_title LIKE '%consultant%'"),
    ]
    for filters, cond in pcases:
        want = people_where(cond)
        assert want, filters
        assert people_ids(b, **filters) == want, filters
    # For a partner the filters narrow what the rule allows, no more.
    lchen = signin(stack, base_url, "lchen")
    allowed = oracle(stack, "lchen")[0]
    got = people_ids(lchen, region="APAC")
    assert got == allowed & people_where("o.region = 'APAC'")
    assert uid(stack, "rkumar") not in people_ids(lchen,
        organisation="meridian-shared-services")
    # The form shows the filters back.
    html = lxml.html.fromstring(b.get("/directory?region=APAC&tier=gold"
        "&expertise=treasury&industry=Fin&q=x").body)
    assert html.xpath("//select[@name='region']/option[@selected]/@value") \
        == ["APAC"]
    assert html.xpath("//select[@name='tier']/option[@selected]/@value") \
        == ["gold"]
    assert html.xpath("//input[@name='industry']/@value") == ["Fin"]
    # Bad filter values are refused, not ignored.
    for bad in ("region=Mars", "show=everything", "tier=Gold!",
            "after_id=0"):
        assert b.get("/directory?" + bad).status == 400, bad


def test_search_form_as_a_browser_sends_it(stack, base_url):
    """The filter form sends every field, its "Any" choices as empty
    values (region=&tier=&expertise=): that means no filter, not a 400."""
    b = signin(stack, base_url, "jwhitfield")
    html = lxml.html.fromstring(b.get("/directory").body)
    form = html.xpath("//form[@role='search']")[0]
    fields = dict(form.form_values())
    # lxml leaves out a select with no selected option; a browser sends
    # its first option.
    for sel in form.xpath(".//select"):
        if sel.get("name") not in fields:
            fields[sel.get("name")] = (sel.xpath("./option/@value")
                or [""])[0]
    assert fields["tier"] == "" and fields["expertise"] == "" and \
        fields["region"] == "", fields
    r = b.get("/directory?" + urllib.parse.urlencode(fields))
    assert r.status == 200, text_of(r.text)[:300]
    del fields["show"]
    assert people_ids(b, **fields) == people_ids(b)
    assert org_slugs(b, **fields) == org_slugs(b)


def test_pages_neither_repeat_nor_skip(stack, base_url):
    tag = secrets.token_hex(3)
    slug = "dir-pages-%s" % tag
    sql(stack, "INSERT INTO organisations (slug, name, kind) VALUES "
        "('%s', 'Paging %s', 'partner')" % (slug, tag))
    # 31 people, several with the same name, so the keyset must use ids.
    names = ["Ann %s %02d" % (tag, i % 12) for i in range(31)]
    values = ", ".join("('ldap', 'uid=pg%s-%d,dc=x', 'pg%s-%d', '%s', '', "
        "(SELECT id FROM organisations WHERE slug = '%s'))" % (tag, i, tag,
        i, n, slug) for i, n in enumerate(names))
    sql(stack, "INSERT INTO users (source, external_id, login, name, email, "
        "organisation_id) VALUES " + values)
    try:
        b = signin(stack, base_url, "knakamura")
        got = listing(b, "people", organisation=slug)
        assert len(got) == 31 and len({i for i, _ in got}) == 31
        assert [n for _, n in got] == sorted(names)
        first = xml_of(b, "/directory?show=people&organisation=" + slug)
        assert len(first.findall("directory/people/person")) == 25
        assert first.find("directory/people/next") is not None
        r = b.get("/directory?show=people&organisation=" + slug)
        assert "Next page" in r.text
        # The organisation page lists them too (its first 50).
        r = b.get("/directory/organisations/" + slug)
        assert r.status == 200 and r.text.count("/directory/people/") == 31
    finally:
        sql(stack, "DELETE FROM users WHERE login LIKE 'pg%s-%%'" % tag)
        sql(stack, "DELETE FROM organisations WHERE slug = '%s'" % slug)


def test_markup_and_sql_metacharacters_come_back_verbatim(stack, base_url):
    tag = secrets.token_hex(3)
    slug = "dir-xss-%s" % tag
    org = "<script>alert('%s')</script> O'Hara \"&\" Co; DROP TABLE users;--" \
        % tag
    person = "Robert'); DROP TABLE users;-- <b>%s</b> 100%%_\\" % tag
    title = "<img src=x onerror=alert(1)> lead_%s" % tag
    sql(stack, "INSERT INTO organisations (slug, name, kind, summary) VALUES "
        "(%s, %s, 'partner', %s)" % (sql_str(slug), sql_str(org),
        sql_str(org)))
    sql(stack, "INSERT INTO users (source, external_id, login, name, email, "
        "organisation_id) SELECT 'ldap', %s, %s, %s, 'x@example.com', id "
        "FROM organisations WHERE slug = %s" % (sql_str("uid=x%s,dc=x" % tag),
        sql_str("x" + tag), sql_str(person), sql_str(slug)))
    pid = uid(stack, "x" + tag)
    sql(stack, "INSERT INTO user_profiles (user_id, job_title) VALUES "
        "(%s, %s)" % (pid, sql_str(title)))
    try:
        b = signin(stack, base_url, "mokafor")
        for target in ("/directory?q=" + urllib.parse.quote(
                "'); DROP TABLE"), "/directory/people/%s" % pid,
                "/directory/organisations/" + slug):
            r = b.get(target)
            assert r.status == 200, target
            doc = lxml.html.fromstring(r.body)
            assert not doc.xpath("//script | //img | //b"), target
            assert person in text_of(r.text), target
            if "?q=" not in target:
                assert org in text_of(r.text), target
                assert "&lt;script&gt;" in r.text, target
        x = xml_of(b, "/directory/people/%s" % pid).find("person")
        assert x.get("name") == person and x.get("title") == title
        assert x.get("org-name") == org
        # LIKE characters are literal: '%' and '_' find only this row.
        assert people_ids(b, q="100%_\\") == {pid}
        assert people_ids(b, q="%") == {pid}
        assert {i for i in people_ids(b, q="_")} == {pid}
        assert org_slugs(b, q="O'Hara \"&\"") == {slug}
        # The users table is still there.
        assert int(sql(stack, "SELECT COUNT(*) FROM users").strip()) > 5
    finally:
        sql(stack, "DELETE FROM users WHERE id = %s" % pid)
        sql(stack, "DELETE FROM organisations WHERE slug = %s" %
            sql_str(slug))


def test_signed_out_sees_nothing(stack, base_url):
    b = Browser(base_url)
    for target in ("/directory", "/directory/people/%s" % uid(stack,
            "mokafor"), "/directory/organisations/halvard"):
        r = b.get(target)
        assert r.status == 303, (target, r.status)
        assert r.header("Location", "").startswith("/login"), target
        assert "Marcus" not in r.text and "Halvard Systems" not in r.text


def test_query_count_does_not_grow_with_rows(stack, base_url):
    """The access log's q=N for a directory page is the same for 1 row and
    for a full page: no query per person or organisation."""
    b = signin(stack, base_url, "mokafor")

    def count(target):
        r = b.get(target)
        assert r.status == 200
        rid = r.header("X-Request-Id")
        for _ in range(50):
            with open(stack.log_path, errors="replace") as f:
                m = [ln for ln in f if rid in ln and " q=" in ln]
            if m:
                return int(re.search(r" q=(\d+)", m[-1]).group(1))
        raise AssertionError("no access log line for %s" % rid)

    one = count("/directory?show=people&q=Lina")
    many = count("/directory?show=people")
    assert one == many
    # ... and the two pages do differ in rows (Lina's accounts, one per
    # identity source she signed in with, against a full page).
    lina = xml_of(b, "/directory?show=people&q=Lina").findall(
        "directory/people/person")
    full = xml_of(b, "/directory?show=people").findall(
        "directory/people/person")
    assert 1 <= len(lina) < len(full), (len(lina), len(full))
    assert count("/directory/organisations/halvard") == count(
        "/directory/organisations/kestrel-cloud")


def test_pages_are_well_formed(stack, base_url):
    from test_pages import check_no_inline_code, check_security_headers, \
        parse_html
    b = signin(stack, base_url, "jwhitfield")
    dan = uid(stack, "dtan")
    for target, h1 in (("/directory", "Partner directory"),
            ("/directory?show=people&region=APAC", "Partner directory"),
            ("/directory?show=organisations&tier=platinum",
                "Partner directory"),
            ("/directory/people/%s" % dan, "Daniel Tan"),
            ("/directory/organisations/kestrel-cloud",
                "Kestrel Cloud Services Pty Ltd")):
        r = b.get(target)
        assert r.status == 200, target
        check_security_headers(r)
        doc = parse_html(r.body)
        check_no_inline_code(doc)
        assert [" ".join(x.itertext()).strip() for x in doc.xpath(
            "//main//h1")] == [h1], target
        assert doc.xpath("//title")[0].text.startswith(h1)
        # The navigation marks the directory as the current page.
        if target == "/directory":
            assert doc.xpath("//a[@aria-current='page']/@href") == \
                ["/directory"]
