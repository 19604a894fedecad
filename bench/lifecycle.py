#!/usr/bin/python3
"""bench/lifecycle.py - times `porticoctl lifecycle plan` and `run` over a
seeded population (default 1,000,000 accounts across 5,000 partner
organisations), for the lifecycle section of bench/README.md.

    bench/lifecycle.py [--users N] [--orgs N] [--batch N] [--keep]

It starts a private mariadbd and portico from tests/stack.py (no web
server, no LDAP; PORTICO_BUILD_DIR names the build, as for the tests),
raises the InnoDB buffer pool to 1 GiB (the harness's 64 MiB is for
tests), migrates a scratch database and seeds it set-wise with SQL:

  - N_ORGS partner organisations, 1 % of them with an access end in the
    next 30 days, 1 % already ended; attestation every 90 days, the last
    confirmation spread over the past 89 days, 1 % overdue; one partner
    admin each; 50 vendor channel managers sponsoring 100 organisations
    each.
  - N_USERS accounts: the days since the last activity follow
    365 * U^4 (U uniform): most accounts were seen lately, a long tail was
    not (about 30 % beyond the 90-day policy: a first run over a portal
    that never had a lifecycle); 5 % never signed in; 0.5 % have a term
    ending in the next 60 days; 0.1 % are exempt; 2 % were disabled by
    the lifecycle 31 to 60 days ago (due for deletion); 5 % have an open
    session.
  - 10,000 community invitations, 30 % past their expiry.

Then, each timed as wall-clock seconds with the porticoctl process's peak
RSS (from wait4): plan (the dry run), the first run (the catch-up: every
overdue action at once), a second run at the same instant (a no-op), and
the next day's run (the steady state).  It prints one line per step and
the counts of actions.
"""

import argparse
import os
import resource
import subprocess
import sys
import time

SRC_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(SRC_DIR, "tests"))
import stack as ptstack  # noqa: E402

NOW = "2027-03-01 04:00:00"
NEXT_DAY = "2027-03-02 04:00:00"

SEED = """
SET SESSION max_recursive_iterations = 10000000;
SET @now = TIMESTAMP '%(now)s';
CREATE TEMPORARY TABLE seq (n INT UNSIGNED PRIMARY KEY) ENGINE=InnoDB;
INSERT INTO seq WITH RECURSIVE s (n) AS (SELECT 1 UNION ALL
    SELECT n + 1 FROM s WHERE n < %(users)d) SELECT n FROM s;
INSERT INTO organisations (slug, name, kind, created_at) VALUES
    ('bench-vendor', 'Bench Vendor', 'vendor', @now - INTERVAL 900 DAY);
INSERT INTO organisations (slug, name, kind, created_at, attested_at,
    access_valid_until)
SELECT CONCAT('org-', n), CONCAT('Partner ', n, ' Ltd'), 'partner',
    @now - INTERVAL 900 DAY,
    @now - INTERVAL IF(n MOD 100 = 7, 95, n MOD 89) DAY,
    CASE WHEN n MOD 100 = 3 THEN @now + INTERVAL (n MOD 30) DAY
         WHEN n MOD 100 = 5 THEN @now - INTERVAL 2 DAY END
FROM seq WHERE n <= %(orgs)d;
SET @org0 = (SELECT MIN(id) FROM organisations WHERE kind = 'partner');
SET @vendor = (SELECT id FROM organisations WHERE slug = 'bench-vendor');
INSERT INTO users (source, external_id, login, name, email,
    organisation_id, created_at, last_seen_at, last_login_at, valid_until)
SELECT 'oidc', CONCAT('iss u', n), CONCAT('u', n), CONCAT('User ', n),
    CONCAT('u', n, '@example.com'), @org0 + (n MOD %(orgs)d),
    @now - INTERVAL 400 DAY,
    IF(n MOD 20 = 1, NULL,
       @now - INTERVAL FLOOR(POW(RAND(n), 4) * 365 * 86400) SECOND),
    NULL,
    IF(n MOD 200 = 2, @now + INTERVAL (n MOD 60) DAY, NULL)
FROM seq;
UPDATE users SET last_login_at = last_seen_at;
UPDATE users SET created_at = @now - INTERVAL (id MOD 200) DAY
    WHERE last_seen_at IS NULL;
INSERT INTO users (source, external_id, login, name, email,
    organisation_id, created_at, last_seen_at)
SELECT 'oidc', CONCAT('iss cm', n), CONCAT('cm', n),
    CONCAT('Channel Manager ', n), CONCAT('cm', n, '@example.com'), @vendor,
    @now - INTERVAL 900 DAY, @now - INTERVAL 1 DAY FROM seq WHERE n <= 50;
INSERT INTO user_roles (user_id, role, source, confirmed_at)
SELECT id, 'channel_manager', 'manual', @now FROM users WHERE login LIKE 'cm%%';
INSERT INTO lifecycle_exemptions (user_id, reason)
SELECT id, 'bench: exempt' FROM users WHERE login LIKE 'cm%%';
UPDATE organisations o SET o.sponsor_user_id = (SELECT u.id FROM users u
    WHERE u.login = CONCAT('cm', 1 + (o.id MOD 50))) WHERE o.kind = 'partner';
INSERT INTO user_roles (user_id, role, source, confirmed_at)
SELECT MIN(id), 'partner_admin', 'oidc', @now FROM users
WHERE login LIKE 'u%%' GROUP BY organisation_id;
INSERT INTO lifecycle_exemptions (user_id, reason)
SELECT id, 'bench: break-glass' FROM users WHERE id MOD 1000 = 11
    AND login LIKE 'u%%';
UPDATE users SET status = 'disabled', lifecycle_rule = 'inactivity',
    disabled_reason = 'bench', disabled_at = @now - INTERVAL
    (31 + id MOD 30) DAY, lifecycle_disabled_at = disabled_at
    WHERE id MOD 50 = 13 AND login LIKE 'u%%';
INSERT INTO sessions (token_hash, user_id, method, created_at,
    last_seen_at, expires_at)
SELECT UNHEX(SHA2(CONCAT('bench', id), 256)), id, 'oidc', @now, @now,
    @now + INTERVAL 1 DAY FROM users WHERE id MOD 20 = 4;
INSERT INTO communities (slug, name, description, visibility, join_policy)
VALUES ('bench-club', 'Bench club', '', 'listed', 'open');
INSERT INTO community_invitations (community_id, token_hash, invitee_email,
    invited_by, created_at, expires_at)
SELECT (SELECT id FROM communities WHERE slug = 'bench-club'),
    UNHEX(SHA2(CONCAT('inv', n), 256)), CONCAT('guest', n, '@example.com'),
    1, @now - INTERVAL 20 DAY,
    @now + INTERVAL IF(n MOD 10 < 3, -1, 5) DAY FROM seq WHERE n <= 10000;
DROP TEMPORARY TABLE seq;
ANALYZE TABLE users, organisations, sessions, user_roles;
"""


def timed(argv):
    """Runs argv; returns (seconds, peak RSS in MiB, stdout, stderr)."""
    t0 = time.monotonic()
    p = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         stdin=subprocess.DEVNULL)
    out, err = [], []
    # Read both pipes without deadlock: stdout may be hundreds of MB.
    import threading
    t = threading.Thread(target=lambda: err.append(p.stderr.read()))
    t.start()
    lines = 0
    for line in p.stdout:
        lines += 1
        if lines <= 3:
            out.append(line)
    t.join()
    _, status, ru = os.wait4(p.pid, 0)
    p.returncode = os.waitstatus_to_exitcode(status)
    secs = time.monotonic() - t0
    if p.returncode != 0:
        raise SystemExit("%s failed:\n%s" % (" ".join(argv),
                                             err[0].decode()[-3000:]))
    return secs, ru.ru_maxrss / 1024.0, lines, err[0].decode().strip()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--users", type=int, default=1000000)
    ap.add_argument("--orgs", type=int, default=5000)
    ap.add_argument("--batch", type=int, default=1000)
    ap.add_argument("--keep", action="store_true",
                    help="leave the stack running (Ctrl-C to stop)")
    args = ap.parse_args()
    s = ptstack.Stack(seed=False, nginx=False, apache=False, ldap=False,
                      identity=False, websso=False)
    s.start()
    try:
        s.mysql("SET GLOBAL innodb_buffer_pool_size = 1073741824")
        conf = s.scratch_db("lcbench")
        s.ctl("migrate", config=conf)
        with open(conf, "a") as f:
            f.write("\n[lifecycle]\nenabled = true\ninactivity_days = 90\n"
                    "warn_days = 14,3\ngrace_days = 30\nbatch = %d\n"
                    "attestation_days = 90\nattestation_warn_days = 14,3\n"
                    % args.batch)
        t0 = time.monotonic()
        r = subprocess.run(["mariadb", "--no-defaults", "-uroot",
                            "--socket=%s" % s.db_socket,
                            "--database=portico_lcbench"],
                           input=SEED % {"now": NOW, "users": args.users,
                                         "orgs": args.orgs},
                           text=True, capture_output=True)
        if r.returncode != 0:
            raise SystemExit("seed failed: %s" % r.stderr)
        print("seed: %d users, %d organisations in %.1f s"
              % (args.users, args.orgs, time.monotonic() - t0))
        ctl = [s.ctl_bin, "-c", conf, "lifecycle"]
        for name, argv in (
                ("plan", ctl + ["plan", "--now", NOW]),
                ("run (first)", ctl + ["run", "--now", NOW]),
                ("run (again)", ctl + ["run", "--now", NOW]),
                ("plan (next day)", ctl + ["plan", "--now", NEXT_DAY]),
                ("run (next day)", ctl + ["run", "--now", NEXT_DAY])):
            secs, rss, lines, summary = timed(argv)
            print("%-16s %7.2f s  peak RSS %6.1f MiB  %8d lines  %s"
                  % (name, secs, rss, lines, summary.splitlines()[-1]))
            sys.stdout.flush()
        q = ("SELECT (SELECT COUNT(*) FROM mail_outbox), "
             "(SELECT COUNT(*) FROM audit_log), (SELECT COUNT(*) FROM "
             "sessions WHERE ended_at IS NOT NULL)")
        print("outbox, audit rows, sessions ended: %s"
              % s.mysql(q, db="portico_lcbench").strip())
        if args.keep:
            print("stack at %s; Ctrl-C to stop" % s.base)
            while True:
                time.sleep(3600)
    finally:
        s.stop()


if __name__ == "__main__":
    resource.setrlimit(resource.RLIMIT_NOFILE, (4096, 4096))
    main()
