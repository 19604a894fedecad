"""`porticoctl sync-directory` against the harness's real slapd: a user
removed from a portal group loses that role and their sessions; a user no
longer in the directory loses every directory role and session; roles
granted by hand are kept; a directory that does not answer changes nothing.

Each test works on its own scratch database, with users and sessions
written as a sign-in would leave them, and changes the directory through
the harness (tests/services/slapd.py) as IT would.
"""

import os
import secrets

import pytest

BASE = "dc=halvard,dc=example"
KESTREL_ADMINS = "cn=partner-admins-kestrel,ou=groups," + BASE
PARTNER_USERS = "cn=partner-users,ou=groups," + BASE


def dn(uid):
    return "uid=%s,ou=people,%s" % (uid, BASE)


@pytest.fixture
def syncdb(stack):
    conf = stack.scratch_db("dirsync")
    stack.ctl("migrate", config=conf)
    stack.ctl("seed-demo", config=conf)
    # [roles] has one line per grant, which the dict-based writer cannot
    # say: append it.  Group DNs in another case than the directory's, as
    # admins type them, must still match (DN comparison).
    with open(conf, "a") as f:
        f.write("\n[roles]\n")
        f.write("partner_user = %s\n" % PARTNER_USERS.upper())
        f.write("partner_admin = %s\n" % KESTREL_ADMINS)
        f.write("\n[communities]\n")
        f.write("partner-lounge = %s\n" % PARTNER_USERS)
        f.write("kestrel-admins = %s\n" % KESTREL_ADMINS)
    return conf, "portico_dirsync"


def grants_of(stack, db, user):
    return stack.mysql("SELECT CONCAT(community_slug, ':', source) FROM "
                       "directory_memberships WHERE user_id = %d ORDER BY 1"
                       % user, db=db).split()


def add_user(stack, db, uid, roles, manual=()):
    """A user as sign-in leaves them: row, directory roles, one session."""
    # The demo data may already hold the row (its people exist before
    # their first sign-in).
    stack.mysql(
        "INSERT INTO users (source, external_id, login, name) "
        "VALUES ('ldap', '%s', '%s', '%s') "
        "ON DUPLICATE KEY UPDATE login = VALUES(login)"
        % (dn(uid), uid, uid), db=db)
    uid_id = int(stack.mysql("SELECT id FROM users WHERE login = '%s' AND "
                             "source = 'ldap'" % uid, db=db).strip())
    for role in roles:
        stack.mysql("INSERT INTO user_roles (user_id, role, source, "
                    "confirmed_at) VALUES (%d, '%s', 'ldap', NOW())"
                    % (uid_id, role), db=db)
    for role in manual:
        stack.mysql("INSERT INTO user_roles (user_id, role, source, "
                    "confirmed_at) VALUES (%d, '%s', 'manual', NOW())"
                    % (uid_id, role), db=db)
    stack.mysql(
        "INSERT INTO sessions (token_hash, user_id, method, created_at, "
        "last_seen_at, expires_at) VALUES (UNHEX(SHA2('%s', 256)), %d, "
        "'ldap', NOW(), NOW(), NOW() + INTERVAL 1 HOUR)"
        % (secrets.token_hex(16), uid_id), db=db)
    return uid_id


def roles_of(stack, db, user):
    out = stack.mysql("SELECT CONCAT(role, ':', source) FROM user_roles "
                      "WHERE user_id = %d ORDER BY 1" % user, db=db)
    return out.split()


def open_sessions(stack, db, user):
    return int(stack.mysql("SELECT COUNT(*) FROM sessions WHERE user_id = %d "
                           "AND ended_at IS NULL" % user, db=db).strip())


def set_member(stack, group, uid, present):
    stack.slapd.modify("dn: %s\nchangetype: modify\n%s: member\nmember: %s\n"
                       % (group, "add" if present else "delete", dn(uid)))


def test_group_removal_then_sync_removes_role_and_ends_sessions(stack,
                                                                syncdb):
    conf, db = syncdb
    jack = add_user(stack, db, "jwhitfield", ["partner_user",
                                              "partner_admin"])
    lina = add_user(stack, db, "lchen", ["partner_user"])
    set_member(stack, PARTNER_USERS, "jwhitfield", False)
    try:
        r = stack.ctl("sync-directory", config=conf)
        # Every directory account is checked (the demo people too).
        checked = stack.mysql("SELECT COUNT(*) FROM users WHERE source = "
                              "'ldap' AND status = 'active'", db=db).strip()
        assert "%s users checked, 1 lost a role, 0 no longer" % checked \
            in r.stderr
        assert roles_of(stack, db, jack) == ["partner_admin:ldap"]
        assert open_sessions(stack, db, jack) == 0
        # Community grants follow the same groups.
        assert grants_of(stack, db, jack) == ["kestrel-admins:ldap"]
        assert grants_of(stack, db, lina) == ["partner-lounge:ldap"]
        reason = stack.mysql("SELECT DISTINCT end_reason FROM sessions "
                             "WHERE user_id = %d" % jack, db=db).strip()
        assert reason == "directory: role removed"
        audit = stack.mysql("SELECT action FROM audit_log WHERE "
                            "subject_user_id = %d" % jack, db=db).split()
        assert audit == ["directory_role_removed"]
        # Lina's groups did not change: her role and session stay.
        assert roles_of(stack, db, lina) == ["partner_user:ldap"]
        assert open_sessions(stack, db, lina) == 1
        # The groups the directory reported are recorded.
        groups = stack.mysql("SELECT group_name FROM user_groups WHERE "
                             "user_id = %d" % jack, db=db)
        assert KESTREL_ADMINS in groups and PARTNER_USERS not in groups
        # Running it again changes nothing.
        r = stack.ctl("sync-directory", config=conf)
        assert "0 lost a role, 0 no longer" in r.stderr
    finally:
        set_member(stack, PARTNER_USERS, "jwhitfield", True)


def test_user_gone_from_directory_loses_directory_roles_not_manual(stack,
                                                                   syncdb):
    conf, db = syncdb
    ghost = add_user(stack, db, "ghost.user", ["partner_user"],
                     manual=["moderator"])
    r = stack.ctl("sync-directory", config=conf)
    assert "1 no longer in the directory" in r.stderr
    assert roles_of(stack, db, ghost) == ["moderator:manual"]
    assert open_sessions(stack, db, ghost) == 0
    assert grants_of(stack, db, ghost) == []


def test_directory_down_changes_nothing(stack, syncdb):
    conf, db = syncdb
    ghost = add_user(stack, db, "ghost.user", ["partner_user"])
    stack.slapd.stop()
    try:
        r = stack.ctl("sync-directory", config=conf, check=False)
        assert r.returncode == 1
        assert "did not answer" in r.stderr and "FAILED" in r.stderr
        assert roles_of(stack, db, ghost) == ["partner_user:ldap"]
        assert open_sessions(stack, db, ghost) == 1
    finally:
        stack.slapd.start()


def test_sync_directory_has_help(stack):
    r = stack.ctl("sync-directory", "--help")
    assert "usage: porticoctl" in r.stdout and "sync-directory" in r.stdout


def test_a_signed_in_user_removed_from_the_group_is_signed_out(stack):
    """End to end: sign in through the LDAP form, IT removes the user from
    the group that gave them the portal, the sync runs, and the user's very
    next request is anonymous."""
    from authlib import FcgiBrowser
    conf = stack.scratch_db("dirsync_e2e")
    stack.ctl("migrate", config=conf)
    stack.ctl("seed-demo", config=conf)
    p = stack.spawn_portico(conf)
    try:
        b = FcgiBrowser(p)
        assert b.login_ldap("rkumar", "ravi-demo").status == 303
        assert b.request("GET", "/account").status == 200
        set_member(stack, PARTNER_USERS, "rkumar", False)
        try:
            r = stack.ctl("sync-directory", config=conf)
            assert "1 lost a role" in r.stderr
            r = b.request("GET", "/account")
            assert r.status == 303
            assert r.header("Location").startswith("/login?next=")
            # Signing in again is refused: no portal group any more.
            assert b.login_ldap("rkumar", "ravi-demo").status == 403
        finally:
            set_member(stack, PARTNER_USERS, "rkumar", True)
    finally:
        p.stop(timeout=30)


def test_sync_signs_out_through_each_web_server(stack, base_url):
    """The same, on the main stack through nginx and through Apache: the
    user's next page after the sync is the sign-in page."""
    from authlib import Browser
    b = Browser(base_url)
    assert b.login_ldap("rkumar", "ravi-demo").status == 303
    assert b.get("/account").status == 200
    set_member(stack, PARTNER_USERS, "rkumar", False)
    try:
        r = stack.ctl("sync-directory")
        assert "FAILED" not in r.stderr
        r = b.get("/account")
        assert r.status == 303
        assert r.header("Location").startswith("/login?next=")
        # [lifecycle] deprovision (on by default): in no portal group, the
        # account is disabled by the directory rule, not just left roleless.
        assert stack.mysql("SELECT status, lifecycle_rule FROM users WHERE "
                           "login = 'rkumar' AND source = 'ldap'",
                           db="portico").strip() == \
            "disabled\tdirectory"
    finally:
        set_member(stack, PARTNER_USERS, "rkumar", True)
        # Only an administrator re-enables a lifecycle-disabled account;
        # the next parameter of this test and later tests need rkumar.
        stack.mysql("UPDATE users SET status = 'active', disabled_reason = "
                    "NULL, disabled_at = NULL, lifecycle_rule = NULL, "
                    "lifecycle_disabled_at = NULL WHERE login = 'rkumar' "
                    "AND source = 'ldap'",
                    db="portico")
