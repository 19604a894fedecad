"""test_lifecycle_admin.py - the access lifecycle's pages
(modules/lifecycle_admin.c) through nginx and Apache on the main stack:
the administrators' overview, re-enable within the grace period (and not
after deletion), exemptions of accounts and groups, sponsors, the audit
trail's CSV export (quoting, formula injection), the roster attestation
page (who may see it, keep/remove), and a user disabled by the sweep whose
session stops working on the very next request.

Rows this file creates in the main database use logins starting "lc" and
are removed again, so other tests see the demo data unchanged.
"""

import csv
import io
import re

import pytest

from authlib import (Browser, body_without_request_id, logged_in, text_of,
                     xml_view)

DB = "portico"


def sql(stack, q):
    return stack.mysql(q, db=DB).strip()


def token(b, path):
    return b.form_token(path)


def add_user(stack, login, org="kestrel-cloud", extra=""):
    sql(stack, "INSERT INTO users (source, external_id, login, name, email, "
        "organisation_id) SELECT 'oidc', 'iss %s', '%s', '%s Test', "
        "'%s@example.com', id FROM organisations WHERE slug = '%s'"
        % (login, login, login, login, org))
    uid = int(sql(stack, "SELECT id FROM users WHERE login = '%s'" % login))
    if extra:
        sql(stack, "UPDATE users SET %s WHERE id = %d" % (extra, uid))
    return uid


def drop_user(stack, login):
    sql(stack, "DELETE s FROM sessions s JOIN users u ON u.id = s.user_id "
        "WHERE u.login = '%s'" % login)
    sql(stack, "DELETE FROM users WHERE login = '%s'" % login)


@pytest.fixture
def admin(stack, base_url):
    return logged_in(stack, base_url, "hlindqvist")


def test_overview_is_for_portal_admins(stack, base_url, admin):
    r = admin.get("/admin/lifecycle")
    assert r.status == 200, text_of(r.text)[:300]
    assert "Access lifecycle" in r.text and "Audit trail" in r.text
    doc = xml_view(admin, "/admin/lifecycle")
    lc = doc.find(".//lifecycle")
    assert lc.get("grace-days") == "30"
    for sec in ("upcoming", "grace", "exemptions", "group-exemptions",
                "sponsors", "recent", "audit"):
        assert lc.find(sec) is not None, sec
    assert Browser(base_url).get("/admin/lifecycle").status == 303
    # Upcoming: an account idle for 80 of the 90 days is listed; the same
    # in an exempt directory group is not.
    due = add_user(stack, "lcdue", extra="last_seen_at = UTC_TIMESTAMP() - "
                   "INTERVAL 80 DAY, created_at = last_seen_at")
    grp = add_user(stack, "lcduegrp", extra="last_seen_at = UTC_TIMESTAMP() "
                   "- INTERVAL 80 DAY, created_at = last_seen_at")
    sql(stack, "INSERT INTO user_groups (user_id, source, group_hash, "
        "group_name, confirmed_at) VALUES (%d, 'oidc', UNHEX(SHA2("
        "'cn=lc-upcoming', 256)), 'cn=lc-upcoming', NOW())" % grp)
    sql(stack, "INSERT INTO lifecycle_group_exemptions (group_hash, "
        "group_name, reason) VALUES (UNHEX(SHA2('cn=lc-upcoming', 256)), "
        "'cn=lc-upcoming', 'test')")
    try:
        items = xml_view(admin, "/admin/lifecycle").findall(
            ".//upcoming/item")
        logins = {(i.get("login"), i.get("kind"), i.get("rule"))
                  for i in items}
        assert ("lcdue", "disable", "inactivity") in logins, logins
        assert not any(i.get("login") == "lcduegrp" for i in items)
    finally:
        sql(stack, "DELETE FROM lifecycle_group_exemptions WHERE "
            "group_name = 'cn=lc-upcoming'")
        drop_user(stack, "lcdue")
        drop_user(stack, "lcduegrp")
    partner = logged_in(stack, base_url, "lchen")
    assert partner.get("/admin/lifecycle").status in (403, 404)
    assert partner.get("/admin/lifecycle/audit.csv").status in (403, 404)
    assert admin.get("/admin/lifecycle?from=2027-13-45").status == 400
    # Days that do not exist are refused, not cast to NULL by MariaDB
    # (which would silently filter out every row); real ones are taken.
    for bad in ("2026-19-39", "2026-02-31", "2027-02-29", "2026-00-10",
                "2026-04-00", "1969-12-31"):
        for path in ("/admin/lifecycle", "/admin/lifecycle/audit.csv"):
            assert admin.get("%s?from=%s" % (path, bad)).status == 400, bad
            assert admin.get("%s?to=%s" % (path, bad)).status == 400, bad
    for good in ("2028-02-29", "2000-02-29", "2026-12-31", "1970-01-01"):
        assert admin.get("/admin/lifecycle?to=%s" % good).status == 200
    assert admin.get("/admin/lifecycle?action=login").status == 400


def test_reenable_within_grace_not_after_deletion(stack, base_url, admin):
    uid = add_user(stack, "lcgrace", extra="status = 'disabled', "
                   "lifecycle_rule = 'inactivity', disabled_reason = "
                   "'no sign-in or activity since 2026-01-01', disabled_at "
                   "= NOW() - INTERVAL 3 DAY, lifecycle_disabled_at = "
                   "disabled_at")
    gone = add_user(stack, "lcgone", extra="status = 'disabled', "
                    "lifecycle_rule = 'inactivity', disabled_at = NOW() - "
                    "INTERVAL 40 DAY, lifecycle_disabled_at = disabled_at, "
                    "deleted_at = NOW()")
    try:
        doc = xml_view(admin, "/admin/lifecycle")
        assert "lcgrace" in [u.get("login")
                             for u in doc.findall(".//grace/user")]
        tok = token(admin, "/admin/lifecycle")
        path = "/admin/lifecycle/users/%d/enable" % uid
        assert admin.post(path, {"csrf": tok}).status == 400   # no reason
        assert admin.post(path, {"reason": "x"}).status == 403  # no token
        r = admin.post(path, {"csrf": tok, "reason": "back from leave"})
        assert r.status == 303 and r.header("Location") == "/admin/lifecycle"
        assert sql(stack, "SELECT status, lifecycle_rule IS NULL, "
                   "last_seen_at > NOW() - INTERVAL 1 MINUTE FROM users "
                   "WHERE id = %d" % uid) == "active\t1\t1"
        row = sql(stack, "SELECT a.detail, u.login FROM audit_log a JOIN "
                  "users u ON u.id = a.actor_user_id WHERE a.action = "
                  "'lifecycle.enable' AND a.subject_user_id = %d" % uid)
        assert 'reason="back from leave"' in row and "rule=inactivity" in row
        assert row.endswith("\thlindqvist")
        # Not twice, and not after deletion.
        assert admin.post(path, {"csrf": tok, "reason": "again"}).status == 409
        assert admin.post("/admin/lifecycle/users/%d/enable" % gone,
                          {"csrf": tok, "reason": "too late"}).status == 409
        assert sql(stack, "SELECT status FROM users WHERE id = %d"
                   % gone) == "disabled"
    finally:
        drop_user(stack, "lcgrace")
        drop_user(stack, "lcgone")


def test_exemptions_of_accounts_and_groups(stack, base_url, admin):
    uid = add_user(stack, "lcexempt")
    try:
        tok = token(admin, "/admin/lifecycle")
        r = admin.post("/admin/lifecycle/exemptions",
                       {"csrf": tok, "login": "lcexempt",
                        "reason": "break-glass"})
        assert r.status == 303
        assert sql(stack, "SELECT reason FROM lifecycle_exemptions WHERE "
                   "user_id = %d" % uid) == "break-glass"
        assert admin.post("/admin/lifecycle/exemptions",
                          {"csrf": tok, "login": "lc-nobody",
                           "reason": "x"}).status == 400
        doc = xml_view(admin, "/admin/lifecycle")
        assert "lcexempt" in [u.get("login")
                              for u in doc.findall(".//exemptions/user")]
        r = admin.post("/admin/lifecycle/exemptions/%d/remove" % uid,
                       {"csrf": tok, "reason": "left the team"})
        assert r.status == 303
        assert sql(stack, "SELECT COUNT(*) FROM lifecycle_exemptions WHERE "
                   "user_id = %d" % uid) == "0"
        assert admin.post("/admin/lifecycle/exemptions/%d/remove" % uid,
                          {"csrf": tok, "reason": "again"}).status == 404
        group = "cn=lc-break-glass,ou=groups,dc=halvard,dc=example"
        r = admin.post("/admin/lifecycle/group-exemptions",
                       {"csrf": tok, "group": group, "reason": "on call"})
        assert r.status == 303
        gid = sql(stack, "SELECT id FROM lifecycle_group_exemptions WHERE "
                  "group_name = '%s' AND group_hash = UNHEX(SHA2('%s', 256))"
                  % (group, group))
        assert gid
        r = admin.post("/admin/lifecycle/group-exemptions/%s/remove" % gid,
                       {"csrf": tok, "reason": "rota ended"})
        assert r.status == 303
        assert sql(stack, "SELECT COUNT(*) FROM lifecycle_group_exemptions "
                   "WHERE id = %s" % gid) == "0"
        actions = sql(stack, "SELECT action FROM audit_log WHERE action "
                      "LIKE 'lifecycle.%exempt%' AND actor_user_id = (SELECT "
                      "id FROM users WHERE login = 'hlindqvist' AND source = "
                      "'ldap') ORDER BY "
                      "id DESC LIMIT 4").split()
        assert sorted(actions) == ["lifecycle.exempt", "lifecycle.exempt_group",
                                   "lifecycle.unexempt",
                                   "lifecycle.unexempt_group"]
    finally:
        drop_user(stack, "lcexempt")


def test_longest_group_exemption_is_audited(stack, base_url, admin):
    # A group name as long as the form takes (1024 bytes) with the longest
    # reasons: the audit detail quoting them would not fit audit_log.detail,
    # so it is cut (on a character boundary), not refused with a 500.
    group = "cn=lc-long," + "é" * 506 + "x"
    assert len(group.encode()) == 1024
    tok = token(admin, "/admin/lifecycle")
    try:
        r = admin.post("/admin/lifecycle/group-exemptions",
                       {"csrf": tok, "group": group, "reason": "r" * 255})
        assert r.status == 303, text_of(r.text)[:300]
        gid = sql(stack, "SELECT id FROM lifecycle_group_exemptions WHERE "
                  "group_name LIKE 'cn=lc-long,%' AND LENGTH(group_name) "
                  "= 1024")
        assert gid
        r = admin.post("/admin/lifecycle/group-exemptions/%s/remove" % gid,
                       {"csrf": tok, "reason": "w" * 255})
        assert r.status == 303, text_of(r.text)[:300]
        rows = sql(stack, "SELECT action, LENGTH(detail) BETWEEN 1000 AND "
                   "1024, detail LIKE '%...' FROM audit_log WHERE action IN "
                   "('lifecycle.exempt_group', 'lifecycle.unexempt_group') "
                   "AND detail LIKE '%cn=lc-long,%' ORDER BY id DESC "
                   "LIMIT 2").splitlines()
        assert sorted(rows) == ["lifecycle.exempt_group\t1\t1",
                                "lifecycle.unexempt_group\t1\t1"], rows
    finally:
        sql(stack, "DELETE FROM lifecycle_group_exemptions WHERE "
            "group_name LIKE 'cn=lc-long,%'")


def test_audit_csv_quoting_and_formula_injection(stack, base_url, admin):
    uid = add_user(stack, "lccsv")
    try:
        sql(stack, "INSERT INTO audit_log (action, subject_user_id, detail) "
            "VALUES ('lifecycle.disable', %d, '=HYPERLINK(\"http://x\",\"a, "
            "b\")'), ('lifecycle.disable', %d, 'rule=term reason=\"plain\"'), "
            "('lifecycle.warn', %d, '@SUM(1)')" % (uid, uid, uid))
        r = admin.get("/admin/lifecycle/audit.csv?user=lccsv")
        assert r.status == 200
        assert r.header("Content-Type").startswith("text/csv")
        assert r.header("Content-Disposition") == \
            'attachment; filename="lifecycle-audit.csv"'
        rows = list(csv.reader(io.StringIO(r.text)))
        assert rows[0] == ["id", "at", "actor", "action", "subject_id",
                           "subject_login", "detail"]
        details = [row[6] for row in rows[1:]]
        assert details == ["'@SUM(1)", 'rule=term reason="plain"',
                           "'=HYPERLINK(\"http://x\",\"a, b\")"]
        assert '"\'=HYPERLINK(""http://x"",""a, b"")"' in r.text
        assert all(row[5] == "lccsv" for row in rows[1:])
        # Filters: action, rule, dates.
        r = admin.get("/admin/lifecycle/audit.csv?user=lccsv&"
                      "action=lifecycle.disable&rule=term")
        assert [row[6] for row in csv.reader(io.StringIO(r.text))][1:] == \
            ['rule=term reason="plain"']
        r = admin.get("/admin/lifecycle/audit.csv?user=lccsv&to=2000-01-01")
        assert len(list(csv.reader(io.StringIO(r.text)))) == 1
        today = sql(stack, "SELECT UTC_DATE()")
        r = admin.get("/admin/lifecycle/audit.csv?user=lccsv&from=%s&to=%s"
                      % (today, today))
        assert len(list(csv.reader(io.StringIO(r.text)))) == 4
        doc = xml_view(admin, "/admin/lifecycle?user=lccsv&rule=term")
        assert [e.text for e in doc.findall(".//audit/entry")] == \
            ['rule=term reason="plain"']
        # org_term (not a slug) filters too; unknown rules and LIKE
        # wildcards are refused rather than matching nothing or anything.
        sql(stack, "INSERT INTO audit_log (action, subject_user_id, detail) "
            "VALUES ('lifecycle.disable', %d, 'rule=org_term reason=\"x\"')"
            % uid)
        for path in ("/admin/lifecycle", "/admin/lifecycle/audit.csv"):
            r = admin.get(path + "?user=lccsv&rule=org_term")
            assert r.status == 200, text_of(r.text)[:300]
            for bad in ("bogus", "term%25", "org%5Fterm%25", "TERM"):
                assert admin.get(path + "?rule=" + bad).status == 400, bad
        r = admin.get("/admin/lifecycle/audit.csv?user=lccsv&rule=org_term")
        assert [row[6] for row in csv.reader(io.StringIO(r.text))][1:] == \
            ['rule=org_term reason="x"']
    finally:
        sql(stack, "DELETE FROM audit_log WHERE subject_user_id = %d" % uid)
        drop_user(stack, "lccsv")


def test_sponsor_and_attestation_page(stack, base_url, admin):
    kestrel = "/organisations/kestrel-cloud/attestation"
    # The people who may attest kestrel-cloud have signed in once.
    pa = logged_in(stack, base_url, "jwhitfield")
    mgr = logged_in(stack, base_url, "mokafor")
    other = logged_in(stack, base_url, "dtan")
    plain = logged_in(stack, base_url, "lchen")
    keep = add_user(stack, "lckeep")
    drop = add_user(stack, "lcdrop")
    try:
        tok = token(admin, "/admin/lifecycle")
        assert admin.post("/admin/lifecycle/sponsors",
                          {"csrf": tok, "organisation": "kestrel-cloud",
                           "sponsor": "lchen"}).status == 400
        assert admin.post("/admin/lifecycle/sponsors",
                          {"csrf": tok, "organisation": "no-such-org",
                           "sponsor": "mokafor"}).status == 400
        r = admin.post("/admin/lifecycle/sponsors",
                       {"csrf": tok, "organisation": "kestrel-cloud",
                        "sponsor": "mokafor"})
        assert r.status == 303
        assert sql(stack, "SELECT u.login FROM organisations o JOIN users u "
                   "ON u.id = o.sponsor_user_id WHERE o.slug = "
                   "'kestrel-cloud'") == "mokafor"
        # Who may see the roster: its partner admin, its sponsor, portal
        # admins; anyone else gets the bytes of a missing organisation.
        for b in (pa, mgr, admin):
            assert b.get(kestrel).status == 200
        for b in (other, plain):
            missing = b.get("/organisations/no-such-org/attestation")
            assert missing.status == 404
            r = b.get(kestrel)
            assert r.status == 404
            assert body_without_request_id(r) == \
                body_without_request_id(missing)
        r = pa.get(kestrel)
        names = sorted(set(re.findall(r'name="remove" value="(\d+)"',
                                      r.text)))
        assert str(keep) in names and str(drop) in names
        roster = re.search(r'name="roster" value="([0-9,]*)"', r.text) \
            .group(1)
        assert sorted(roster.split(",")) == names
        tok = pa.form_token(kestrel)
        # A roster that changed since the page was loaded (a user shown is
        # missing from what was posted) is not confirmed blind.
        r = pa.post(kestrel, {"csrf": tok, "roster": ",".join(
            n for n in names if n != str(keep))})
        assert r.status == 400 and "has changed" in r.text
        # Ticking someone not on the roster changes nothing either.
        r = pa.request("POST", kestrel, body=("csrf=%s&roster=%s&remove=%s"
            "&remove=999999999" % (tok, roster, drop)).encode(),
            headers={"Content-Type": "application/x-www-form-urlencoded"})
        assert r.status == 400 and "no longer on the roster" in r.text
        assert sql(stack, "SELECT status FROM users WHERE id = %d"
                   % drop) == "active"
        r = pa.post(kestrel, {"csrf": tok, "roster": roster,
                              "remove": str(drop)})
        assert r.status == 303
        assert r.header("Location") == kestrel + "?done=1"
        assert sql(stack, "SELECT status, lifecycle_rule FROM users WHERE id "
                   "= %d" % drop) == "disabled\tattestation"
        assert sql(stack, "SELECT u.attested_at = o.attested_at FROM users u "
                   "JOIN organisations o ON o.id = u.organisation_id WHERE "
                   "u.id = %d" % keep) == "1"
        assert sql(stack, "SELECT detail FROM audit_log WHERE action = "
                   "'lifecycle.attest' ORDER BY id DESC LIMIT 1") == \
            "rule=attestation organisation=kestrel-cloud kept=%d removed=1" \
            % (len(names) - 1)
        doc = xml_view(pa, kestrel + "?done=1")
        at = doc.find(".//attestation")
        assert at.get("done") == "yes"
        assert all(u.get("confirmed") == "yes" for u in at.findall("user"))
        assert str(drop) not in [u.get("id") for u in at.findall("user")]
    finally:
        sql(stack, "UPDATE organisations SET sponsor_user_id = NULL, "
            "attested_at = NULL WHERE slug = 'kestrel-cloud'")
        sql(stack, "UPDATE users SET attested_at = NULL")
        drop_user(stack, "lckeep")
        drop_user(stack, "lcdrop")


def test_sweep_disables_and_session_ends_on_next_request(stack, base_url,
                                                         tmp_path):
    """A signed-in user whose term ends: `lifecycle run` disables the
    account, and the very next request through this web server is
    anonymous; signing in again shows whom to contact."""
    conf = str(tmp_path / "lc.conf")
    with open(stack.config_path) as f:
        text = f.read()
    with open(conf, "w") as f:
        # Only the term rule: nothing else in the shared database is due.
        f.write(text + "\n[lifecycle]\nenabled = true\ninactivity_days = 0"
                "\ncontact = your Halvard channel manager\n")
    b = logged_in(stack, base_url, "rkumar")
    assert b.get("/account").status == 200
    sql(stack, "UPDATE users SET valid_until = UTC_TIMESTAMP() - INTERVAL 1 "
        "SECOND WHERE login = 'rkumar' AND source = 'ldap'")
    try:
        r = stack.ctl("lifecycle", "run", config=conf)
        assert "1 disabled" in r.stderr, r.stderr
        assert "login=rkumar rule=term" in r.stdout
        r = b.get("/account")
        assert r.status == 303
        assert r.header("Location").startswith("/login?next=")
        r = b.login_ldap("rkumar")
        assert r.status == 403
        page = text_of(r.text)
        assert "Your access to the partner portal has ended: account " \
            "valid until" in page, page
        # The main stack sets no [lifecycle] contact: the usual two.
        assert "contact your channel manager or your company's partner " \
            "administrator" in page
    finally:
        sql(stack, "UPDATE users SET status = 'active', disabled_reason = "
            "NULL, disabled_at = NULL, lifecycle_rule = NULL, "
            "lifecycle_disabled_at = NULL, valid_until = NULL WHERE login = "
            "'rkumar' AND source = 'ldap'")


def test_a_large_roster_is_confirmed_in_one_form(stack, base_url, admin,
                                                 webserver):
    """More people than the core accepts form fields ([limits] fields_max,
    256): the form posts the roster once and only the ticked removals."""
    slug = "big-roster-" + webserver
    sql(stack, "INSERT INTO organisations (slug, name, kind, partner_type) "
        "VALUES ('%s', 'Big Roster %s', 'partner', 'reseller')"
        % (slug, webserver))
    sql(stack, "INSERT INTO users (source, external_id, login, name, "
        "organisation_id) SELECT 'oidc', CONCAT('iss big-%s-', seq), "
        "CONCAT('big-%s-', seq), 'Big Roster', o.id FROM seq_1_to_300, "
        "organisations o WHERE o.slug = '%s'" % (webserver, webserver, slug))
    page = "/organisations/%s/attestation" % slug
    try:
        r = admin.get(page)
        assert r.status == 200
        roster = re.search(r'name="roster" value="([0-9,]*)"', r.text) \
            .group(1)
        ids = roster.split(",")
        assert len(ids) == 300
        r = admin.post(page, {"csrf": admin.form_token(page),
                              "roster": roster, "remove": ids[7]})
        assert r.status == 303, text_of(r.text)[:300]
        assert sql(stack, "SELECT COUNT(*) FROM users u JOIN organisations "
                   "o ON o.id = u.organisation_id WHERE o.slug = '%s' AND "
                   "u.status = 'active' AND u.attested_at = o.attested_at"
                   % slug) == "299"
        assert sql(stack, "SELECT lifecycle_rule FROM users WHERE id = %s"
                   % ids[7]) == "attestation"
    finally:
        sql(stack, "DELETE s FROM sessions s JOIN users u ON u.id = "
            "s.user_id JOIN organisations o ON o.id = u.organisation_id "
            "WHERE o.slug = '%s'" % slug)
        sql(stack, "DELETE u FROM users u JOIN organisations o ON o.id = "
            "u.organisation_id WHERE o.slug = '%s'" % slug)
        sql(stack, "DELETE FROM organisations WHERE slug = '%s'" % slug)
