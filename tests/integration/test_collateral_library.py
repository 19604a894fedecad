"""The library as readers see it (issue 5): the listing and its filters,
"view as", the Atom feed with a feed token, the new-version notice,
feedback, the segments page, and `porticoctl collateral-report`.

Through nginx and Apache.  Helpers come from test_collateral.py.
"""

import hashlib
import os
import re
import secrets

import lxml.etree

import stack as stackmod
from authlib import logged_in, text_of, xml_view
from test_collateral import (create, new_version, pdf, rows, settings,
    token)

ATOM = "{http://www.w3.org/2005/Atom}"


def listed(b, query=""):
    page = xml_view(b, "/library" + query)
    return {int(i.get("id")): i for i in page.find("library").iter("item")}


def test_listing_filters_segments_and_expiry(stack, base_url, webserver):
    manager = logged_in(stack, base_url, "praman")
    kestrel = logged_in(stack, base_url, "jwhitfield")
    meridian = logged_in(stack, base_url, "dtan")
    rows(stack, "INSERT IGNORE INTO segments (name, rule) VALUES "
        "('Platinum only', 'tier = platinum')")
    seg = int(rows(stack, "SELECT id FROM segments WHERE name = "
        "'Platinum only'"))
    tag = "tag-" + webserver
    open_item = create(manager, "Open datasheet " + webserver)
    plat = create(manager, "Platinum playbook " + webserver,
        audience="segments", segments=[seg])
    rows(stack, "INSERT INTO collateral_tags (item_id, tag) VALUES "
        "(%d, '%s')" % (plat, tag))

    k, m = listed(kestrel), listed(meridian)
    assert open_item in k and plat in k
    assert open_item in m and plat not in m
    assert "Platinum playbook " + webserver not in meridian.get(
        "/library").text
    # Filters.
    assert set(listed(kestrel, "?tag=" + tag)) == {plat}
    assert listed(meridian, "?tag=" + tag) == {}
    assert plat in listed(kestrel, "?kind=presentation&days=1")
    assert plat not in listed(kestrel, "?kind=datasheet")
    rows(stack, "UPDATE collateral_items SET updated_at = NOW() - INTERVAL "
        "40 DAY WHERE id = %d" % open_item)
    assert open_item not in listed(kestrel, "?days=30")
    assert open_item in listed(kestrel, "?days=60")
    # View as: the manager's listing as each organisation.
    assert plat not in listed(manager, "?as=meridian-shared-services")
    assert plat in listed(manager, "?as=kestrel-cloud")
    # The preview's links keep the preview.
    assert '/collateral/%d?as=kestrel-cloud"' % plat in manager.get(
        "/library?as=kestrel-cloud").text
    assert plat in listed(manager)
    # Expiry: gone from the partner's listing at once; managers see it
    # marked.
    settings(manager, plat, audience="segments", segments=[seg],
        expires="2000-01-01")
    assert plat not in listed(kestrel)
    assert listed(manager)[plat].get("expired") == "yes"


def test_feed_with_token_and_notice(stack, base_url, webserver):
    manager = logged_in(stack, base_url, "praman")
    kestrel = logged_in(stack, base_url, "jwhitfield")
    item = create(manager, "Feed deck " + webserver, pdf("feed v1"))
    tok = secrets.token_urlsafe(32)
    uid = rows(stack, "SELECT id FROM users WHERE login = 'jwhitfield' "
        "AND source = 'ldap'")
    rows(stack, "REPLACE INTO feed_tokens (user_id, token_hash) VALUES "
        "(%s, UNHEX('%s'))" % (uid, hashlib.sha256(tok.encode())
        .hexdigest()))
    r = stackmod.http_request(base_url, "/library/feed.atom?token=" + tok)
    assert r.status == 200, r.status
    assert r.header("Content-Type").startswith("application/atom+xml")
    feed = lxml.etree.fromstring(r.body)
    ids = [e.findtext(ATOM + "id") for e in feed.iter(ATOM + "entry")]
    assert any(i.endswith("/collateral/%d#v1" % item) for i in ids), ids
    # A wrong token is the same as no feed at all.
    bad = stackmod.http_request(base_url, "/library/feed.atom?token=nope")
    none = stackmod.http_request(base_url, "/library/feed.atom")
    assert bad.status == none.status == 404

    # Download v1, then a new version: the notice on the library page.
    assert kestrel.get("/collateral/%d/download" % item).status == 200
    new_version(manager, item, pdf("feed v2"))
    page = xml_view(kestrel, "/library")
    notes = {int(n.get("id")): n for n in page.iter("new-version")}
    assert item in notes and notes[item].get("downloaded") == "1"
    assert "you downloaded is available" in text_of(kestrel.get(
        "/library").text)
    feed = lxml.etree.fromstring(stackmod.http_request(base_url,
        "/library/feed.atom?token=" + tok).body)
    ids = [e.findtext(ATOM + "id") for e in feed.iter(ATOM + "entry")]
    assert any(i.endswith("/collateral/%d#v2" % item) for i in ids), ids
    # An email was queued for the earlier downloader.
    assert rows(stack, "SELECT COUNT(*) FROM mail_outbox WHERE to_address = "
        "(SELECT email FROM users WHERE login = 'jwhitfield' AND "
        "source = 'ldap') AND "
        "subject LIKE 'New version of Feed deck %s%%'" % webserver) == "1"
    # Expired: gone from the feed, for a manager's token too.
    mtok = secrets.token_urlsafe(32)
    mid = rows(stack, "SELECT id FROM users WHERE login = 'praman' "
        "AND source = 'ldap'")
    rows(stack, "REPLACE INTO feed_tokens (user_id, token_hash) VALUES "
        "(%s, UNHEX('%s'))" % (mid, hashlib.sha256(mtok.encode())
        .hexdigest()))
    settings(manager, item, expires="2000-01-01")
    for t in (tok, mtok):
        feed = lxml.etree.fromstring(stackmod.http_request(base_url,
            "/library/feed.atom?token=" + t).body)
        ids = [e.findtext(ATOM + "id") for e in feed.iter(ATOM + "entry")]
        assert not any("/collateral/%d#" % item in i for i in ids), ids
    # Revoking the token (another row) closes the feed.
    rows(stack, "DELETE FROM feed_tokens WHERE user_id = %s" % uid)
    r = stackmod.http_request(base_url, "/library/feed.atom?token=" + tok)
    assert r.status == 404


def test_feedback_reaches_the_owner(stack, base_url, webserver):
    manager = logged_in(stack, base_url, "praman")
    kestrel = logged_in(stack, base_url, "jwhitfield")
    item = create(manager, "Rated deck " + webserver)
    tok = token(kestrel, "/collateral/%d" % item)
    r = kestrel.post("/collateral/%d/feedback" % item, {"csrf": tok,
        "rating": "4", "comment": "Useful <b>deck</b> " + webserver})
    assert r.status == 303, (r.status, text_of(r.text)[:300])
    r = kestrel.post("/collateral/%d/feedback" % item, {"csrf": tok,
        "rating": "9", "comment": "x"})
    assert r.status == 400
    page = xml_view(manager, "/collateral/%d" % item)
    entries = list(page.iter("entry"))
    assert [(e.get("rating"), e.text) for e in entries] == [("4",
        "Useful <b>deck</b> " + webserver)]
    assert "Useful <b>deck</b>" in text_of(manager.get("/collateral/%d" %
        item).text)
    # Partners do not see each other's feedback.
    assert xml_view(kestrel, "/collateral/%d" % item).find(
        "item/feedback") is None


def test_segments_page(stack, base_url, webserver):
    manager = logged_in(stack, base_url, "praman")
    kestrel = logged_in(stack, base_url, "jwhitfield")
    name = "EMEA non-MSP " + webserver
    tok = token(manager, "/segments")
    r = manager.post("/segments", {"csrf": tok, "name": name,
        "rule": "region = EMEA and not type = msp"})
    assert r.status == 303, (r.status, text_of(r.text)[:300])
    assert rows(stack, "SELECT rule FROM segments WHERE name = '%s'" %
        name) == "region = EMEA and not type = msp"
    r = manager.post("/segments", {"csrf": tok, "name": name,
        "rule": "region = EMEA and"})
    assert r.status == 400
    assert "not valid" in text_of(r.text)
    sid = rows(stack, "SELECT id FROM segments WHERE name = '%s'" % name)
    assert kestrel.get("/segments").status == 403
    r = manager.post("/segments/%s/delete" % sid, {"csrf": tok})
    assert r.status == 303
    assert rows(stack, "SELECT COUNT(*) FROM segments WHERE name = '%s'" %
        name) == "0"


def test_collateral_report(stack, base_url, webserver):
    if webserver != "nginx":
        return
    manager = logged_in(stack, base_url, "praman")
    create(manager, "Report deck")
    out = stack.ctl("collateral-report").stdout
    lines = out.splitlines()
    assert lines[0].split() == ["TIER", "ITEMS", "PAST", "REVIEW", "SHARE"]
    tiers = {l.split()[0]: l.split() for l in lines[1:]}
    assert "platinum" in tiers and "registered" in tiers
    # Platinum sees at least what registered sees (everyone items).
    assert int(tiers["platinum"][1]) >= int(tiers["registered"][1]) > 0
    assert re.fullmatch(r"\d+\.\d%", tiers["platinum"][3])
