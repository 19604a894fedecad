"""bench/community.py - the "community" scenario of bench/run: a community
page with 25 threads, read by a signed-in member.

setup(stack) writes, with SQL on the bench stack's database: a partner user
("bench.member", role partner_user), an invitation-only community
("bench-community", readable through membership, so the page exercises the
member path of the visibility rule), the user's membership, 25 threads with
their first posts and replies counted (two pinned), and a session for the
user whose cookie the benchmark sends.  It returns (path, cookie header
value).  Nothing here signs in through LDAP: the bench stack runs no slapd
requirement, and a session row is what a sign-in leaves behind.

To change the page measured, change THREADS or the SQL below; the page must
stay byte-identical from one request to the next (bench/run checks it),
so nothing on it may depend on the time of the request.
"""

import base64
import hashlib
import os

SLUG = "bench-community"
THREADS = 25


def _q(s):
    return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'"


def setup(stack):
    token = base64.urlsafe_b64encode(os.urandom(32)).rstrip(b"=").decode()
    digest = hashlib.sha256(token.encode()).hexdigest()
    threads = ", ".join(
        "(@c, @u, %s, %d, %d, @u, NOW(6) - INTERVAL %d MINUTE)" % (
            _q("Bench thread %02d: rolling out the Q%d partner "
               "promotion" % (i, i % 4 + 1)), i % 7, 1 if i < 2 else 0, i)
        for i in range(THREADS))
    sql = """
INSERT INTO users (source, external_id, login, name, email)
    VALUES ('ldap', 'uid=bench.member,ou=people,dc=halvard,dc=example',
    'bench.member', 'Bench Member', 'bench.member@example.com');
SET @u = LAST_INSERT_ID();
INSERT INTO user_roles (user_id, role, source, confirmed_at)
    VALUES (@u, 'partner_user', 'manual', NOW());
INSERT INTO communities (slug, name, description, visibility, join_policy,
    private) VALUES (%(slug)s, 'Bench community',
    'Where the benchmark reads 25 threads as a member.', 'unlisted',
    'invitation', FALSE);
SET @c = LAST_INSERT_ID();
INSERT INTO community_members (community_id, user_id, role, source)
    VALUES (@c, @u, 'member', 'manager');
INSERT INTO threads (community_id, author_id, title, reply_count, pinned,
    last_post_by, last_post_at) VALUES %(threads)s;
INSERT INTO posts (thread_id, community_id, author_id, is_first, body)
    SELECT id, community_id, author_id, TRUE, CONCAT('First post of ', title)
    FROM threads WHERE community_id = @c;
INSERT INTO sessions (token_hash, user_id, method, created_at,
    last_seen_at, expires_at) VALUES (UNHEX(%(digest)s), @u, 'ldap', NOW(),
    NOW(), NOW() + INTERVAL 1 DAY);
""" % {"slug": _q(SLUG), "threads": threads, "digest": _q(digest)}
    stack.mysql(sql, db="portico")
    return "/c/" + SLUG, "portico=" + token
