"""test_lifecycle.py - `porticoctl lifecycle plan|run` (modules/lifecycle.c)
and `porticoctl sync-directory` deprovisioning (modules/auth/directory.c)
on a real MariaDB, slapd and the harness's SMTP sink.

A seeded population where each account's outcome is known in advance
(active, warned at 14 days, warned at 3, disabled for inactivity, never
used, disabled for the end of its own term and of its organisation's,
disabled for a missed roster attestation, disabled by directory removal
(gone from LDAP, or in no portal group), exempt (by account and by
directory group), deleted after the grace period, still in grace, disabled
by an administrator), plus a sponsor, an organisation whose attestation is
near (reminders to its partner admin, the last one also to the sponsor)
and community invitations (expired when unredeemed), is swept at three
instants: plan prints exactly the expected lines, run prints the same and
does it (mails in the sink after `mail send`: recipients, subjects, no
duplicates; audit rows; disabled and scrubbed rows), and a second run at
the same instant changes nothing.  Batches of 2 accounts make every step
loop.  A run that fails half way keeps whole batches and the next
completes it; a run while the SMTP sink is down still acts and the mails
wait.  The last tests sign a user in and check that the session dies on
the very next request once the sweep disabled the account, over FastCGI
and through nginx and Apache.
"""

import email.header
import re
import time

import pytest

DB = "portico_lifecycle"
T0 = "2027-01-01 12:00:00"
T1 = "2027-01-09 12:00:00"   # T0 + 8 days
T2 = "2027-02-01 12:00:00"   # T0 + 31 days
POLICY = ('policy="inactivity_days=90 warn_days=14,3 grace_days=30 '
          'attestation_days=90 attestation_warn_days=14,3"')
DIR_DN = "uid=%s,ou=people,dc=halvard,dc=example"

# login: (organisation, last_seen_at as days before T0 or None, extra)
POPULATION = [
    ("active", "acme", 10, {}),
    ("warn14", "acme", 80, {}),
    ("warn3", "acme", 88, {}),
    ("inactive", "acme", 100, {}),
    ("never", "acme", None, {"created": 95}),
    ("term", "acme", 1, {"valid_until": 1}),
    ("orgterm", "endco", 1, {}),
    ("soon", "soonco", 1, {}),
    ("exempt", "acme", 200, {"exempt": "break-glass admin"}),
    ("graced", "acme", 40, {"lc_disabled": 31}),
    ("ingrace", "acme", 40, {"lc_disabled": 10}),
    ("admindis", "acme", 5, {"admin_disabled": 60}),
    # The vendor's channel manager who sponsors acme and remindco.
    ("sponsor1", "vendorco", 1, {"role": "channel_manager"}),
    # attco's roster was due at T0 - 10 and nobody confirmed it; attlate
    # was confirmed on their own since (an administrator re-enabled them).
    ("attlate", "attco", 1, {"attested": 50}),
    ("attmissed", "attco", 1, {"attested": 100}),
    # remindco's roster is due at T0 + 10.
    ("remadmin", "remindco", 1, {"role": "partner_admin"}),
    ("remuser", "remindco", 1, {}),
    # Directory accounts (the others are OIDC accounts, which
    # sync-directory does not read): gone from LDAP, in no portal group,
    # and still in partner-users.
    ("dirgone", "acme", 1, {"dn": DIR_DN % "ghost"}),
    ("dirvhale", "acme", 1, {"dn": DIR_DN % "vhale"}),
    ("dirok", "acme", 1, {"dn": DIR_DN % "rkumar"}),
    # Member of an exempt directory group.
    ("grpexempt", "acme", 200, {"group": "cn=break-glass,ou=groups"}),
    # An exempt directory account gone from LDAP: loses its roles and
    # sessions at the sync, but is not disabled.
    ("direxempt", "acme", 1, {"dn": DIR_DN % "ghost2",
                              "exempt": "break-glass directory account"}),
]

# slug: (kind, access_valid_until, attested_at as days before T0)
ORGS = {
    "acme": ("partner", "NULL", 0),
    "endco": ("partner", "TIMESTAMP '%s' - INTERVAL 1 DAY" % T0, 0),
    "soonco": ("partner", "TIMESTAMP '%s' + INTERVAL 5 DAY" % T0, 0),
    "vendorco": ("vendor", "NULL", None),
    "attco": ("partner", "NULL", 100),
    "remindco": ("partner", "NULL", 80),
}


def sql(stack, q):
    return stack.mysql(q, db=DB).strip()


def at(days):
    """T0 - days, as SQL."""
    return "TIMESTAMP '%s' - INTERVAL %d DAY" % (T0, days)


@pytest.fixture
def lc(stack):
    conf = stack.scratch_db("lifecycle")
    stack.ctl("migrate", config=conf)
    with open(conf, "a") as f:
        f.write("\n[lifecycle]\nenabled = true\ninactivity_days = 90\n"
                "warn_days = 3,14\ngrace_days = 30\nbatch = 2\n"
                "attestation_days = 90\nattestation_warn_days = 14,3\n")
    stack.smtp.clear()
    if not stack.smtp.alive():
        stack.smtp.start()
    for slug, (kind, ends, attested) in ORGS.items():
        sql(stack, "INSERT INTO organisations (slug, name, kind, "
            "access_valid_until, created_at, attested_at) VALUES ('%s', "
            "'%s Ltd', '%s', %s, %s, %s)"
            % (slug, slug.capitalize(), kind, ends, at(400),
               "NULL" if attested is None else at(attested)))
    ids = {}
    for login, org, seen, extra in POPULATION:
        dn = extra.get("dn")
        sql(stack, "INSERT INTO users (source, external_id, login, name, "
            "email, organisation_id, created_at, last_seen_at, last_login_at,"
            " valid_until, attested_at) SELECT '%s', '%s', '%s', "
            "'%s Person', '%s@example.com', id, %s, %s, %s, %s, %s "
            "FROM organisations WHERE slug = '%s'"
            % ("ldap" if dn else "oidc", dn or "iss sub-%s" % login, login,
               login.capitalize(), login,
               at(extra.get("created", 400)),
               "NULL" if seen is None else at(seen),
               "NULL" if seen is None else at(seen),
               at(extra["valid_until"]) if "valid_until" in extra
               else "NULL",
               at(extra["attested"]) if "attested" in extra else "NULL",
               org))
        uid = int(sql(stack, "SELECT id FROM users WHERE login = '%s'"
                      % login))
        ids[login] = uid
        sql(stack, "INSERT INTO sessions (token_hash, user_id, method, "
            "created_at, last_seen_at, expires_at) VALUES "
            "(UNHEX(SHA2('tok-%s', 256)), %d, 'ldap', NOW(), NOW(), "
            "NOW() + INTERVAL 1 HOUR)" % (login, uid))
        for role in ("partner_user", extra.get("role")):
            if role:
                sql(stack, "INSERT INTO user_roles (user_id, role, source, "
                    "confirmed_at) VALUES (%d, '%s', '%s', NOW())"
                    % (uid, role, "ldap" if dn else "oidc"))
        if "exempt" in extra:
            sql(stack, "INSERT INTO lifecycle_exemptions (user_id, reason) "
                "VALUES (%d, '%s')" % (uid, extra["exempt"]))
        if "group" in extra:
            sql(stack, "INSERT INTO user_groups (user_id, source, "
                "group_hash, group_name, confirmed_at) VALUES (%d, 'oidc', "
                "UNHEX(SHA2('%s', 256)), '%s', NOW())"
                % (uid, extra["group"], extra["group"]))
            sql(stack, "INSERT IGNORE INTO lifecycle_group_exemptions "
                "(group_hash, group_name, reason) VALUES (UNHEX(SHA2('%s', "
                "256)), '%s', 'break-glass group')"
                % (extra["group"], extra["group"]))
        if "lc_disabled" in extra:
            sql(stack, "UPDATE users SET status = 'disabled', "
                "lifecycle_rule = 'inactivity', disabled_reason = 'x', "
                "disabled_at = %s, lifecycle_disabled_at = disabled_at "
                "WHERE id = %d" % (at(extra["lc_disabled"]), uid))
        if "admin_disabled" in extra:
            sql(stack, "UPDATE users SET status = 'disabled', "
                "disabled_reason = 'by hand', disabled_at = %s WHERE id = %d"
                % (at(extra["admin_disabled"]), uid))
    for org in ("acme", "remindco"):
        r = stack.ctl("lifecycle", "sponsor", org, "sponsor1", config=conf)
        assert "sponsor1" in r.stderr, r.stderr
    # Invitations: one expired before T0, one between T0 and T1, one
    # redeemed (never expired), one expiring after T2.
    sql(stack, "INSERT INTO communities (slug, name, description, "
        "visibility, join_policy) VALUES ('club', 'Club', '', 'listed', "
        "'open')")
    for n, (days, status) in enumerate(((-1, "pending"), (5, "pending"),
                                        (-3, "accepted"), (60, "pending"))):
        sql(stack, "INSERT INTO community_invitations (community_id, "
            "token_hash, invitee_email, invited_by, expires_at, status) "
            "SELECT id, UNHEX(SHA2('inv%d', 256)), 'x%d@example.com', %d, "
            "TIMESTAMP '%s' + INTERVAL %d DAY, '%s' FROM communities"
            % (n, n, ids["active"], T0, days, status))
    # The directory sync ran the day before T0: it disables dirgone and
    # dirvhale (rule directory), ends their sessions, keeps dirok.
    r = stack.ctl("sync-directory", config=conf)
    assert "FAILED" not in r.stderr, r.stderr
    assert r.stderr.count(" disabled (") == 2, r.stderr
    sql(stack, "UPDATE users SET disabled_at = %s, lifecycle_disabled_at = "
        "disabled_at WHERE lifecycle_rule = 'directory'" % at(1))
    yield conf, ids
    stack.smtp.clear()


def lines(out):
    return [l for l in out.splitlines() if l.strip()]


def summary(out, ids):
    """(action, login, rule) of each line, in order; for an invitation,
    ("expire", "invitation-N", "invitation")."""
    by_id = {v: k for k, v in ids.items()}
    res = []
    for l in lines(out):
        m = re.match(r'expire invitation=(\d+) .* rule=(\S+)', l)
        if m:
            res.append(("expire", "invitation-" + m.group(1), m.group(2)))
            continue
        m = re.match(r'(\S+) user=(\d+) login=(\S+)(?: rule=(\S+))?', l)
        assert m, l
        assert by_id[int(m.group(2))] == m.group(3), l
        res.append((m.group(1), m.group(3), m.group(4)))
    return res


def audit(stack):
    out = sql(stack, "SELECT a.action, a.subject_user_id, a.detail, "
              "a.actor_user_id IS NULL FROM audit_log a WHERE a.action LIKE "
              "'lifecycle.%' ORDER BY a.id")
    return [l.split("\t") for l in out.splitlines() if l]


def decoded(h):
    return str(email.header.make_header(email.header.decode_header(h)))


def sent(stack, conf):
    stack.ctl("mail", "send", config=conf)
    return sorted((m["To"], decoded(m["Subject"]))
                  for m in stack.smtp.messages())


def plan_then_run(stack, conf, now, ids):
    plan = stack.ctl("lifecycle", "plan", "--now", now, config=conf).stdout
    before = sql(stack, "SELECT COUNT(*) FROM audit_log")
    assert sql(stack, "SELECT COUNT(*) FROM audit_log") == before
    run = stack.ctl("lifecycle", "run", "--now", now, config=conf)
    # run prints exactly plan's action lines (plan also lists exemptions).
    assert lines(run.stdout) == [l for l in lines(plan)
                                 if not l.startswith("exempt ")]
    # A second run at the same instant does nothing.
    again = stack.ctl("lifecycle", "run", "--now", now, config=conf)
    assert again.stdout == ""
    assert "0 warned, 0 disabled, 0 deleted" in again.stderr
    return summary(plan, ids), run.stdout


def status(stack, uid):
    return sql(stack, "SELECT status, IFNULL(lifecycle_rule, '-'), "
               "deleted_at IS NOT NULL FROM users WHERE id = %d" % uid)


def to(login):
    return "%s Person <%s@example.com>" % (login.capitalize(), login)


DISABLED = "Your Portico access has been disabled"


def test_sweep_at_three_instants(stack, lc):
    conf, ids = lc
    audit0 = len(audit(stack))
    # The directory sync (in the fixture) disabled its two accounts.
    assert status(stack, ids["dirgone"]) == "disabled\tdirectory\t0"
    assert status(stack, ids["dirvhale"]) == "disabled\tdirectory\t0"
    assert status(stack, ids["dirok"]) == "active\t-\t0"
    assert status(stack, ids["direxempt"]) == "active\t-\t0"
    assert sql(stack, "SELECT COUNT(*) FROM user_roles WHERE user_id = %d"
               % ids["direxempt"]) == "0"
    assert sql(stack, "SELECT disabled_reason FROM users WHERE id = %d"
               % ids["dirgone"]) == "no longer in the directory"
    assert sql(stack, "SELECT COUNT(*) FROM audit_log WHERE action = "
               "'lifecycle.disable' AND detail LIKE 'rule=directory %'") == "2"
    # The sweep never re-enables them, and a second sync changes nothing.
    r = stack.ctl("sync-directory", config=conf)
    assert " disabled (" not in r.stderr
    # What others added about the account due for deletion: a directory
    # card, expertise, a community membership, a feed token, an inbox.
    g = ids["graced"]
    sql(stack, "INSERT INTO user_profiles (user_id, job_title) VALUES "
        "(%d, 'Solutions architect')" % g)
    sql(stack, "INSERT INTO expertise_areas (slug, name) VALUES "
        "('lc-test', 'Lifecycle testing')")
    sql(stack, "INSERT INTO user_expertise (user_id, expertise_id) SELECT "
        "%d, id FROM expertise_areas WHERE slug = 'lc-test'" % g)
    sql(stack, "INSERT INTO communities (slug, name, description, "
        "visibility, join_policy) VALUES ('lc-room', 'Room', '', 'listed', "
        "'open')")
    sql(stack, "INSERT INTO community_members (community_id, user_id, "
        "source) SELECT id, %d, 'open' FROM communities WHERE slug = "
        "'lc-room'" % g)
    sql(stack, "INSERT INTO feed_tokens (user_id, token_hash) VALUES "
        "(%d, UNHEX(SHA2('lc-token', 256)))" % g)
    sql(stack, "INSERT INTO notifications (user_id, kind) VALUES "
        "(%d, 'reply')" % g)

    plan, out = plan_then_run(stack, conf, T0, ids)
    assert plan == [
        ("warn-14", "warn14", "inactivity"),
        ("warn-14", "soon", "org_term"),
        ("warn-3", "warn3", "inactivity"),
        ("remind-14", "remadmin", "attestation"),
        ("expire", "invitation-1", "invitation"),
        ("disable", "term", "term"),
        ("disable", "orgterm", "org_term"),
        ("disable", "attmissed", "attestation"),
        ("disable", "inactive", "inactivity"),
        ("disable", "never", "inactivity"),
        ("delete", "graced", "inactivity"),
        ("exempt", "exempt", None),
        ("exempt", "grpexempt", None),
        ("exempt", "direxempt", None),
    ]
    assert POLICY in out
    assert 'deadline="2027-01-11 12:00:00"' in out      # warn14: T0 + 10 d
    assert 'reason="organisation endco access valid until 2026-12-31 ' \
        '12:00:00"' in out
    assert 'reason="roster of attco not confirmed by 2026-12-22 12:00:00"' \
        in out
    assert "organisation=remindco deadline=\"2027-01-11 12:00:00\" " \
        "sponsor=no" in out
    # The rows.
    assert status(stack, ids["inactive"]) == "disabled\tinactivity\t0"
    assert status(stack, ids["term"]) == "disabled\tterm\t0"
    assert status(stack, ids["orgterm"]) == "disabled\torg_term\t0"
    assert status(stack, ids["attmissed"]) == "disabled\tattestation\t0"
    for login in ("warn14", "exempt", "grpexempt", "attlate", "remadmin",
                  "sponsor1", "dirok"):
        assert status(stack, ids[login]) == "active\t-\t0", login
    assert status(stack, ids["admindis"]) == "disabled\t-\t0"
    assert sql(stack, "SELECT disabled_at, disabled_reason FROM users "
               "WHERE id = %d" % ids["term"]) == \
        "%s\taccount valid until 2026-12-31 12:00:00" % T0
    assert sql(stack, "SELECT status FROM community_invitations "
               "ORDER BY id").split() == ["expired", "pending", "accepted",
                                           "pending"]
    # Sessions of the disabled accounts ended, the others' did not.
    open_ = sql(stack, "SELECT u.login FROM sessions s JOIN users u ON "
                "u.id = s.user_id WHERE s.ended_at IS NULL ORDER BY 1")
    assert open_.split() == sorted([
        "active", "warn14", "warn3", "soon", "exempt", "ingrace", "admindis",
        "sponsor1", "attlate", "remadmin", "remuser", "dirok", "grpexempt"])
    # The deleted account: personal data gone, row kept.
    g = ids["graced"]
    assert sql(stack, "SELECT name, email, login, external_id, "
               "deleted_at FROM users WHERE id = %d" % g) == \
        "former member of Acme Ltd\t\tdeleted-%d\tdeleted:%d\t%s" % (g, g, T0)
    assert sql(stack, "SELECT COUNT(*) FROM user_roles WHERE user_id = %d"
               % g) == "0"
    assert sql(stack, "SELECT COUNT(*) FROM sessions WHERE user_id = %d"
               % g) == "0"
    for table in ("user_profiles", "user_expertise", "community_members",
                  "feed_tokens", "notifications"):
        assert sql(stack, "SELECT COUNT(*) FROM %s WHERE user_id = %d"
                   % (table, g)) == "0", table
    assert sql(stack, "SELECT COUNT(*) FROM sessions WHERE user_id = %d"
               % ids["ingrace"]) == "1"
    # Mail: one per warning, reminder and disable, to the right people;
    # the sponsor gets a copy of the final warning.
    mails = sent(stack, conf)
    exp = sorted([
        (to("warn14"), "Your Portico access ends on 2027-01-11"),
        (to("soon"), "Your Portico access ends on 2027-01-06"),
        (to("warn3"), "Last reminder: Your Portico access ends on "
         "2027-01-03"),
        (to("sponsor1"), "Last reminder sent to Warn3 Person (Acme Ltd): "
         "access ends on 2027-01-03"),
        (to("remadmin"), "Confirm the Remindco Ltd roster by 2027-01-11"),
    ] + [(to(l), DISABLED)
         for l in ("inactive", "never", "term", "orgterm", "attmissed")])
    assert [(t.replace('"', ''), s) for t, s in mails] == exp, mails
    # Audit: one row per action, by the system, with rule and policy.
    rows = audit(stack)[audit0:]
    assert sorted((a, int(s) if s != "NULL" else None)
                  for a, s, d, sysact in rows) == sorted(
        [("lifecycle.warn", ids[l]) for l in ("warn14", "soon", "warn3")] +
        [("lifecycle.attestation_remind", ids["remadmin"]),
         ("lifecycle.invitation_expire", None)] +
        [("lifecycle.disable", ids[l])
         for l in ("inactive", "never", "term", "orgterm", "attmissed")] +
        [("lifecycle.delete", ids["graced"])])
    for a, s, d, sysact in rows:
        assert sysact == "1"
        assert "rule=" in d and POLICY in d and 'now="%s"' % T0 in d, d
    n_audit = len(audit(stack))

    # T1 = T0 + 8 days: warn14 reaches its 3-day stage (copied to the
    # sponsor), remindco's last reminder goes to its partner admin and its
    # sponsor, warn3 and soon reach their deadlines.
    plan, out = plan_then_run(stack, conf, T1, ids)
    assert plan == [
        ("warn-3", "warn14", "inactivity"),
        ("remind-3", "sponsor1", "attestation"),
        ("remind-3", "remadmin", "attestation"),
        ("expire", "invitation-2", "invitation"),
        ("disable", "soon", "org_term"),
        ("disable", "warn3", "inactivity"),
        ("exempt", "exempt", None),
        ("exempt", "grpexempt", None),
        ("exempt", "direxempt", None),
    ]
    assert len(audit(stack)) == n_audit + 6
    stack.smtp.clear()
    mails = [(t.replace('"', ''), s) for t, s in sent(stack, conf)]
    assert mails == sorted([
        (to("warn14"), "Last reminder: Your Portico access ends on "
         "2027-01-11"),
        (to("sponsor1"), "Last reminder sent to Warn14 Person (Acme Ltd): "
         "access ends on 2027-01-11"),
        (to("sponsor1"), "Last reminder: Confirm the Remindco Ltd roster "
         "by 2027-01-11"),
        (to("remadmin"), "Last reminder: Confirm the Remindco Ltd roster "
         "by 2027-01-11"),
        (to("warn3"), DISABLED),
        (to("soon"), DISABLED),
    ]), mails

    # T2 = T0 + 31 days: the T0 disables (and the directory's, a day
    # earlier) are past their grace; ingrace too; warn14 is disabled;
    # remindco missed its deadline; the T1 disables are still in grace.
    plan, out = plan_then_run(stack, conf, T2, ids)
    assert plan == [
        ("disable", "remadmin", "attestation"),
        ("disable", "remuser", "attestation"),
        ("disable", "warn14", "inactivity"),
        ("delete", "inactive", "inactivity"),
        ("delete", "never", "inactivity"),
        ("delete", "term", "term"),
        ("delete", "orgterm", "org_term"),
        ("delete", "ingrace", "inactivity"),
        ("delete", "attmissed", "attestation"),
        ("delete", "dirgone", "directory"),
        ("delete", "dirvhale", "directory"),
        ("exempt", "exempt", None),
        ("exempt", "grpexempt", None),
        ("exempt", "direxempt", None),
    ]
    assert status(stack, ids["admindis"]) == "disabled\t-\t0"
    assert status(stack, ids["warn3"]) == "disabled\tinactivity\t0"
    for login in ("active", "exempt", "grpexempt", "attlate", "sponsor1",
                  "dirok"):
        assert status(stack, ids[login]) == "active\t-\t0", login
    assert sql(stack, "SELECT COUNT(*) FROM users WHERE deleted_at IS NOT "
               "NULL") == "9"
    assert sql(stack, "SELECT status FROM community_invitations "
               "ORDER BY id").split() == ["expired", "expired", "accepted",
                                           "pending"]
    # Never twice: every warning row is sent, and the outbox has no
    # duplicate recipient and subject.
    assert sql(stack, "SELECT COUNT(*) FROM lifecycle_warnings WHERE "
               "sent_at IS NULL") == "0"
    assert sql(stack, "SELECT COUNT(*) FROM (SELECT to_address, subject "
               "FROM mail_outbox GROUP BY 1, 2 HAVING COUNT(*) > 1) x") == "0"
    # Signing in never re-enables: the directory accounts stay disabled
    # after another sync.
    stack.ctl("sync-directory", config=conf)
    assert sql(stack, "SELECT COUNT(*) FROM users WHERE status = 'active' "
               "AND lifecycle_rule IS NOT NULL") == "0"


def test_disabled_flag_and_usage(stack, lc):
    conf, ids = lc
    r = stack.ctl("lifecycle", "plan", "--now", "2027-13-01 00:00:00",
                  config=conf, check=False)
    assert r.returncode == 2
    r = stack.ctl("lifecycle", "sweep", config=conf, check=False)
    assert r.returncode == 2
    r = stack.ctl("lifecycle", "--help")
    assert "lifecycle plan" in r.stdout and "--now" in r.stdout
    r = stack.ctl("lifecycle", "plan", "--now", "2027-02-30 00:00:00",
                  config=conf, check=False)
    assert r.returncode == 2
    with open(conf) as f:
        text = f.read()
    head, tail = text.rsplit("enabled = true", 1)
    with open(conf, "w") as f:
        f.write(head + "enabled = false" + tail)
    r = stack.ctl("lifecycle", "run", "--now", T0, config=conf)
    assert r.stdout == "" and "nothing done" in r.stderr
    assert sql(stack, "SELECT COUNT(*) FROM users WHERE status = 'disabled'"
               ) == "5"     # graced, ingrace, admindis, dirgone, dirvhale


def test_disabled_user_session_ends_on_next_request(stack):
    """Sign in over FastCGI, the account goes stale, the sweep runs, and
    the very next request is anonymous."""
    from authlib import FcgiBrowser, text_of
    conf = stack.scratch_db("lifecycle_e2e")
    stack.ctl("migrate", config=conf)
    stack.ctl("seed-demo", config=conf)
    with open(conf, "a") as f:
        f.write("\n[lifecycle]\nenabled = true\ninactivity_days = 30\n"
                "contact = your Halvard channel manager\n")
    db = "portico_lifecycle_e2e"
    p = stack.spawn_portico(conf)
    try:
        b = FcgiBrowser(p)
        assert b.login_ldap("rkumar", "ravi-demo").status == 303
        assert b.request("GET", "/account").status == 200
        stack.mysql("UPDATE users SET last_seen_at = NOW() - INTERVAL 40 "
                    "DAY, last_login_at = last_seen_at, created_at = "
                    "last_seen_at WHERE login = 'rkumar'", db=db)
        r = stack.ctl("lifecycle", "run", config=conf)
        assert "1 disabled" in r.stderr, r.stderr
        r = b.request("GET", "/account")
        assert r.status == 303
        assert r.header("Location").startswith("/login?next=")
        assert stack.mysql("SELECT COUNT(*) FROM sessions WHERE ended_at "
                           "IS NULL", db=db).strip() == "0"
        # Signing in again is refused, with why and whom to contact.
        r = b.login_ldap("rkumar", "ravi-demo")
        assert r.status == 403
        page = text_of(r.text)
        assert "Your access to the partner portal has ended: no sign-in " \
            "or activity since" in page, page
        assert "If you still need it, contact your Halvard channel manager." \
            in page
    finally:
        p.stop(timeout=30)


def test_failed_batch_rolls_back_and_next_run_completes(stack, lc):
    """A run that dies in its second disable batch (a trigger refuses one
    audit row) keeps the batches before it, leaves nothing half done, and
    the next run completes exactly the rest: same lines as the plan, each
    mail once."""
    conf, ids = lc
    plan = stack.ctl("lifecycle", "plan", "--now", T0, config=conf).stdout
    expected = [l for l in lines(plan) if not l.startswith("exempt ")]
    stack.mysql("DELIMITER //\nCREATE TRIGGER lc_crash BEFORE INSERT ON "
                "audit_log FOR EACH ROW IF NEW.subject_user_id = %d THEN "
                "SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'crash'; "
                "END IF //\nDELIMITER ;\n" % ids["orgterm"], db=DB)
    r = stack.ctl("lifecycle", "run", "--now", T0, config=conf, check=False)
    assert r.returncode == 1 and "FAILED" in r.stderr
    first = lines(r.stdout)
    # The failed batch (orgterm, the org_term pass) left no trace; the
    # warnings, the reminder, the invitation and the term pass before it
    # are done.
    assert status(stack, ids["orgterm"]) == "active\t-\t0"
    assert status(stack, ids["term"]) == "disabled\tterm\t0"
    assert status(stack, ids["never"]) == "active\t-\t0"
    assert sql(stack, "SELECT COUNT(*) FROM users WHERE lifecycle_todo "
               "<> 0") == "0"
    assert sql(stack, "SELECT COUNT(*) FROM audit_log WHERE "
               "subject_user_id = %d" % ids["orgterm"]) == "0"
    assert sql(stack, "SELECT COUNT(*) FROM mail_outbox WHERE to_address "
               "= 'orgterm@example.com'") == "0"
    stack.mysql("DROP TRIGGER lc_crash", db=DB)
    r = stack.ctl("lifecycle", "run", "--now", T0, config=conf)
    # The failed run printed only what it committed; together the two
    # runs printed exactly the plan.
    assert first + lines(r.stdout) == expected
    # orgterm, attmissed, inactive, never, graced
    assert len(lines(r.stdout)) == 5
    mails = sent(stack, conf)
    assert len(mails) == 10 and len(set(mails)) == 10, mails
    # 11 sweep actions, the directory sync's two disables and the two
    # sponsor assignments.
    assert len([a for a in audit(stack)]) == 15


def test_sink_down_actions_happen_mails_wait(stack, lc):
    """The SMTP sink is down during the run: the accounts are still warned
    and disabled, the mails stay queued, and a later send delivers each
    once."""
    conf, ids = lc
    stack.smtp.stop()
    try:
        stack.ctl("lifecycle", "run", "--now", T0, config=conf)
        assert status(stack, ids["inactive"]) == "disabled\tinactivity\t0"
        r = stack.ctl("mail", "send", config=conf)
        assert "10 to retry" in r.stderr, r.stderr
    finally:
        stack.smtp.start()
    assert stack.smtp.messages() == []
    deadline = time.time() + 20
    while len(stack.smtp.messages()) < 10 and time.time() < deadline:
        time.sleep(1)
        stack.ctl("mail", "send", config=conf)
    mails = sent(stack, conf)
    assert len(mails) == 10 and len(set(mails)) == 10, mails
    assert sql(stack, "SELECT status, COUNT(*) FROM mail_outbox GROUP BY 1"
               ) == "sent\t10"


def test_run_killed_half_way_then_rerun_gives_the_same_final_state(stack,
                                                                   lc):
    """SIGKILL in the middle of a disable batch (a trigger holds it inside
    its transaction), the dead client's connection dropped as a crashed
    host's would be; the rerun completes the work: the same final state as
    one uninterrupted run, each mail once."""
    import subprocess
    conf, ids = lc
    stack.mysql("DELIMITER //\nCREATE TRIGGER lc_hold BEFORE INSERT ON "
                "audit_log FOR EACH ROW IF NEW.subject_user_id = %d AND "
                "NEW.action = 'lifecycle.disable' THEN SET @x = SLEEP(60); "
                "END IF //\nDELIMITER ;\n" % ids["orgterm"], db=DB)
    p = subprocess.Popen([stack.ctl_bin, "-c", conf, "lifecycle", "run",
                          "--now", T0], stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL)
    conn = ""
    try:
        deadline = time.time() + 30
        while not conn and time.time() < deadline:
            time.sleep(0.2)
            conn = stack.mysql("SELECT ID FROM information_schema.PROCESSLIST "
                               "WHERE DB = '%s' AND ID <> CONNECTION_ID() "
                               "AND (STATE LIKE '%%sleep%%' OR INFO LIKE "
                               "'%%audit_log%%')" % DB).strip()
        assert conn, "the run never reached the held batch"
        # Half way: the batches before the held one are committed.
        assert status(stack, ids["term"]) == "disabled\tterm\t0"
    finally:
        p.kill()
        p.wait()
    stack.mysql("KILL %s" % conn)
    stack.mysql("DROP TRIGGER lc_hold", db=DB)
    deadline = time.time() + 30
    while time.time() < deadline and stack.mysql(
            "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE "
            "ID = %s" % conn).strip() != "0":
        time.sleep(0.2)
    # The held batch (orgterm) left no trace.
    assert status(stack, ids["orgterm"]) == "active\t-\t0"
    assert sql(stack, "SELECT COUNT(*) FROM users WHERE lifecycle_todo "
               "<> 0") == "0"
    r = stack.ctl("lifecycle", "run", "--now", T0, config=conf)
    assert summary(r.stdout, ids) == [
        ("disable", "orgterm", "org_term"),
        ("disable", "attmissed", "attestation"),
        ("disable", "inactive", "inactivity"),
        ("disable", "never", "inactivity"),
        ("delete", "graced", "inactivity")]
    again = stack.ctl("lifecycle", "run", "--now", T0, config=conf)
    assert again.stdout == ""
    # The final state of an uninterrupted run (test_sweep_at_three_instants).
    for login in ("inactive", "never"):
        assert status(stack, ids[login]) == "disabled\tinactivity\t0"
    assert status(stack, ids["term"]) == "disabled\tterm\t0"
    assert status(stack, ids["orgterm"]) == "disabled\torg_term\t0"
    assert status(stack, ids["attmissed"]) == "disabled\tattestation\t0"
    assert status(stack, ids["graced"]) == "disabled\tinactivity\t1"
    for login in ("active", "warn14", "warn3", "soon", "exempt", "remadmin"):
        assert status(stack, ids[login]) == "active\t-\t0", login
    mails = sent(stack, conf)
    assert len(mails) == 10 and len(set(mails)) == 10, mails
    assert len(audit(stack)) == 15


def test_mail_one_by_one_for_values_the_set_wise_check_refuses(stack, lc):
    """A name the set-wise statement refuses (it holds the placeholder
    marker) is mailed through pt_mail_queue instead; both paths give the
    same body."""
    conf, ids = lc
    for login, name in (("fastone", "Fast One"),
                        ("slowone", "Slow [[pt:name]] One")):
        sql(stack, "INSERT INTO users (source, external_id, login, name, "
            "email, organisation_id, created_at, last_seen_at) SELECT "
            "'oidc', 'iss %s', '%s', '%s', '%s@example.com', id, %s, %s "
            "FROM organisations WHERE slug = 'acme'"
            % (login, login, name, login, at(400), at(120)))
    stack.ctl("lifecycle", "run", "--now", T0, config=conf)
    body = {}
    for login, name in (("fastone", "Fast One"),
                        ("slowone", "Slow [[pt:name]] One")):
        row = sql(stack, "SELECT to_name, subject, REPLACE(REPLACE(body, "
                  "'\\n', '|'), '%s', 'NAME') FROM mail_outbox WHERE "
                  "to_address = '%s@example.com'" % (name, login))
        to_name, subject, body[login] = row.split("\t")
        assert to_name == name and subject == DISABLED
    assert body["fastone"] == body["slowone"]
    assert "Hello NAME," in body["fastone"]
