"""test_lifecycle.py - `porticoctl lifecycle plan|run` (modules/lifecycle.c)
on a real MariaDB with the harness's SMTP sink.

A seeded population where each account's outcome is known in advance
(active, warned at 14 days, warned at 3, disabled for inactivity, never
used, disabled for the end of its own term and of its organisation's,
exempt, deleted after the grace period, still in grace, disabled by an
administrator) is swept at three instants: plan prints exactly the expected
lines, run prints the same and does it (mails in the sink after `mail send`,
audit rows, disabled and scrubbed rows), and a second run at the same
instant changes nothing.  Batches of 2 accounts make every step loop.  A
run that fails half way keeps whole batches and the next completes it; a
run while the SMTP sink is down still acts and the mails wait.  The last
test signs a user in over FastCGI, lets the account go stale and checks
that the session dies on the very next request.
"""

import email.header
import re
import time

import pytest

DB = "portico_lifecycle"
T0 = "2027-01-01 12:00:00"
T1 = "2027-01-09 12:00:00"   # T0 + 8 days
T2 = "2027-02-01 12:00:00"   # T0 + 31 days
POLICY = 'policy="inactivity_days=90 warn_days=14,3 grace_days=30"'

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
]


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
                "warn_days = 3,14\ngrace_days = 30\nbatch = 2\n")
    stack.smtp.clear()
    if not stack.smtp.alive():
        stack.smtp.start()
    for slug, ends in (("acme", "NULL"), ("endco", at(1)),
                       ("soonco", "TIMESTAMP '%s' + INTERVAL 5 DAY" % T0)):
        sql(stack, "INSERT INTO organisations (slug, name, kind, "
            "access_valid_until) VALUES ('%s', '%s Ltd', 'partner', %s)"
            % (slug, slug.capitalize(), ends))
    ids = {}
    for login, org, seen, extra in POPULATION:
        sql(stack, "INSERT INTO users (source, external_id, login, name, "
            "email, organisation_id, created_at, last_seen_at, last_login_at,"
            " valid_until) SELECT 'ldap', 'uid=%s,ou=people', '%s', "
            "'%s Person', '%s@example.com', id, %s, %s, %s, %s "
            "FROM organisations WHERE slug = '%s'"
            % (login, login, login.capitalize(), login,
               at(extra.get("created", 400)),
               "NULL" if seen is None else at(seen),
               "NULL" if seen is None else at(seen),
               at(extra["valid_until"]) if "valid_until" in extra
               else "NULL", org))
        uid = int(sql(stack, "SELECT id FROM users WHERE login = '%s'"
                      % login))
        ids[login] = uid
        sql(stack, "INSERT INTO sessions (token_hash, user_id, method, "
            "created_at, last_seen_at, expires_at) VALUES "
            "(UNHEX(SHA2('tok-%s', 256)), %d, 'ldap', NOW(), NOW(), "
            "NOW() + INTERVAL 1 HOUR)" % (login, uid))
        sql(stack, "INSERT INTO user_roles (user_id, role, source, "
            "confirmed_at) VALUES (%d, 'partner_user', 'ldap', NOW())" % uid)
        if "exempt" in extra:
            sql(stack, "INSERT INTO lifecycle_exemptions (user_id, reason) "
                "VALUES (%d, '%s')" % (uid, extra["exempt"]))
        if "lc_disabled" in extra:
            sql(stack, "UPDATE users SET status = 'disabled', "
                "lifecycle_rule = 'inactivity', disabled_reason = 'x', "
                "disabled_at = %s, lifecycle_disabled_at = disabled_at "
                "WHERE id = %d" % (at(extra["lc_disabled"]), uid))
        if "admin_disabled" in extra:
            sql(stack, "UPDATE users SET status = 'disabled', "
                "disabled_reason = 'by hand', disabled_at = %s WHERE id = %d"
                % (at(extra["admin_disabled"]), uid))
    yield conf, ids
    stack.smtp.clear()


def lines(out):
    return [l for l in out.splitlines() if l.strip()]


def summary(out, ids):
    """(action, login, rule) of each line, in order."""
    by_id = {v: k for k, v in ids.items()}
    res = []
    for l in lines(out):
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


def test_sweep_at_three_instants(stack, lc):
    conf, ids = lc
    audit0 = len(audit(stack))
    plan, out = plan_then_run(stack, conf, T0, ids)
    assert plan == [
        ("warn-14", "warn14", "inactivity"),
        ("warn-14", "soon", "org_term"),
        ("warn-3", "warn3", "inactivity"),
        ("disable", "inactive", "inactivity"),
        ("disable", "never", "inactivity"),
        ("disable", "term", "term"),
        ("disable", "orgterm", "org_term"),
        ("delete", "graced", "inactivity"),
        ("exempt", "exempt", None),
    ]
    assert POLICY in out
    assert 'deadline="2027-01-11 12:00:00"' in out      # warn14: T0 + 10 d
    assert 'reason="organisation endco access valid until 2026-12-31 ' \
        '12:00:00"' in out
    # The rows.
    assert status(stack, ids["inactive"]) == "disabled\tinactivity\t0"
    assert status(stack, ids["term"]) == "disabled\tterm\t0"
    assert status(stack, ids["orgterm"]) == "disabled\torg_term\t0"
    assert status(stack, ids["warn14"]) == "active\t-\t0"
    assert status(stack, ids["exempt"]) == "active\t-\t0"
    assert status(stack, ids["admindis"]) == "disabled\t-\t0"
    assert sql(stack, "SELECT disabled_at, disabled_reason FROM users "
               "WHERE id = %d" % ids["term"]) == \
        "%s\taccount valid until 2026-12-31 12:00:00" % T0
    # Sessions of the disabled accounts ended, the others' did not.
    open_ = sql(stack, "SELECT u.login FROM sessions s JOIN users u ON "
                "u.id = s.user_id WHERE s.ended_at IS NULL ORDER BY 1")
    assert open_.split() == sorted(["active", "warn14", "warn3", "soon",
                                    "exempt", "ingrace", "admindis"])
    # The deleted account: personal data gone, row kept.
    g = ids["graced"]
    assert sql(stack, "SELECT name, email, login, external_id, "
               "deleted_at FROM users WHERE id = %d" % g) == \
        "former member of Acme Ltd\t\tdeleted-%d\tdeleted:%d\t%s" % (g, g, T0)
    assert sql(stack, "SELECT COUNT(*) FROM user_roles WHERE user_id = %d"
               % g) == "0"
    assert sql(stack, "SELECT COUNT(*) FROM sessions WHERE user_id = %d"
               % g) == "0"
    assert sql(stack, "SELECT COUNT(*) FROM sessions WHERE user_id = %d"
               % ids["ingrace"]) == "1"
    # Mail: one per warning and per disable, to the right people.
    site = "Portico"
    mails = sent(stack, conf)
    exp = sorted([
        ("Warn14 Person <warn14@example.com>",
         "Your %s access ends on 2027-01-11" % site),
        ("Soon Person <soon@example.com>",
         "Your %s access ends on 2027-01-06" % site),
        ("Warn3 Person <warn3@example.com>",
         "Last reminder: Your %s access ends on 2027-01-03" % site),
    ] + [("%s Person <%s@example.com>" % (l.capitalize(), l),
          "Your %s access has been disabled" % site)
         for l in ("inactive", "never", "term", "orgterm")])
    assert [(t.replace('"', ''), s) for t, s in mails] == exp, mails
    # Audit: one row per action, by the system, with rule and policy.
    rows = audit(stack)[audit0:]
    assert sorted((a, int(s)) for a, s, d, sysact in rows) == sorted(
        [("lifecycle.warn", ids[l]) for l in ("warn14", "soon", "warn3")] +
        [("lifecycle.disable", ids[l])
         for l in ("inactive", "never", "term", "orgterm")] +
        [("lifecycle.delete", ids["graced"])])
    for a, s, d, sysact in rows:
        assert sysact == "1"
        assert "rule=" in d and POLICY in d and 'now="%s"' % T0 in d, d
    n_audit = len(audit(stack))

    # T1 = T0 + 8 days: warn14 reaches its 3-day stage, warn3 and soon
    # reach their deadlines.
    plan, out = plan_then_run(stack, conf, T1, ids)
    assert plan == [
        ("warn-3", "warn14", "inactivity"),
        ("disable", "warn3", "inactivity"),
        ("disable", "soon", "org_term"),
        ("exempt", "exempt", None),
    ]
    assert len(audit(stack)) == n_audit + 3
    stack.smtp.clear()
    mails = sent(stack, conf)
    assert len(mails) == 3 and len(set(mails)) == 3, mails
    assert ("Warn14 Person <warn14@example.com>", "Last reminder: Your "
            "Portico access ends on 2027-01-11") in \
        [(t.replace('"', ''), s) for t, s in mails]

    # T2 = T0 + 31 days: the T0 disables are past their grace; ingrace
    # too; warn14 is disabled; the T1 disables are still in grace.
    plan, out = plan_then_run(stack, conf, T2, ids)
    assert plan == [
        ("disable", "warn14", "inactivity"),
        ("delete", "inactive", "inactivity"),
        ("delete", "never", "inactivity"),
        ("delete", "term", "term"),
        ("delete", "orgterm", "org_term"),
        ("delete", "ingrace", "inactivity"),
        ("exempt", "exempt", None),
    ]
    assert status(stack, ids["admindis"]) == "disabled\t-\t0"
    assert status(stack, ids["warn3"]) == "disabled\tinactivity\t0"
    assert status(stack, ids["active"]) == "active\t-\t0"
    assert status(stack, ids["exempt"]) == "active\t-\t0"
    assert sql(stack, "SELECT COUNT(*) FROM users WHERE deleted_at IS NOT "
               "NULL") == "6"
    # Never twice: every warning row is sent, and the outbox has no
    # duplicate recipient and subject.
    assert sql(stack, "SELECT COUNT(*) FROM lifecycle_warnings WHERE "
               "sent_at IS NULL") == "0"
    assert sql(stack, "SELECT COUNT(*) FROM (SELECT to_address, subject "
               "FROM mail_outbox GROUP BY 1, 2 HAVING COUNT(*) > 1) x") == "0"


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
               ) == "3"


def test_disabled_user_session_ends_on_next_request(stack):
    """Sign in over FastCGI, the account goes stale, the sweep runs, and
    the very next request is anonymous."""
    from authlib import FcgiBrowser
    conf = stack.scratch_db("lifecycle_e2e")
    stack.ctl("migrate", config=conf)
    stack.ctl("seed-demo", config=conf)
    with open(conf, "a") as f:
        f.write("\n[lifecycle]\nenabled = true\ninactivity_days = 30\n")
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
        # Signing in again is refused.
        assert b.login_ldap("rkumar", "ravi-demo").status == 403
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
    # The failed batch (term, orgterm) left no trace.
    assert status(stack, ids["term"]) == "active\t-\t0"
    assert status(stack, ids["never"]) == "disabled\tinactivity\t0"
    assert sql(stack, "SELECT COUNT(*) FROM users WHERE lifecycle_todo "
               "<> 0") == "0"
    assert sql(stack, "SELECT COUNT(*) FROM audit_log WHERE "
               "subject_user_id = %d" % ids["term"]) == "0"
    assert sql(stack, "SELECT COUNT(*) FROM mail_outbox WHERE to_address "
               "= 'term@example.com'") == "0"
    stack.mysql("DROP TRIGGER lc_crash", db=DB)
    r = stack.ctl("lifecycle", "run", "--now", T0, config=conf)
    # The failed run printed only what it committed; together the two
    # runs printed exactly the plan.
    assert first + lines(r.stdout) == expected
    assert len(lines(r.stdout)) == 3     # term, orgterm, graced
    mails = sent(stack, conf)
    assert len(mails) == 7 and len(set(mails)) == 7, mails
    assert len([a for a in audit(stack)]) == 8


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
        assert "7 to retry" in r.stderr, r.stderr
    finally:
        stack.smtp.start()
    assert stack.smtp.messages() == []
    deadline = time.time() + 20
    while len(stack.smtp.messages()) < 7 and time.time() < deadline:
        time.sleep(1)
        stack.ctl("mail", "send", config=conf)
    mails = sent(stack, conf)
    assert len(mails) == 7 and len(set(mails)) == 7, mails
    assert sql(stack, "SELECT status, COUNT(*) FROM mail_outbox GROUP BY 1"
               ) == "sent\t7"
