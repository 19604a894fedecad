-- demo/0003_communities.sql - demo data: the people of the demo directory
-- (tests/fixtures/ldap/README.md) and the communities they talk in.
-- Loaded by `porticoctl seed-demo` after 0001 and 0002.  Loading it again changes
-- nothing: users and communities upsert by their unique keys without
-- touching existing rows' status, threads are found by (community, title),
-- posts by (thread, author, body), notifications by (user, kind, post), and
-- the counters are recomputed.
--
-- Users: Portico creates users just in time at sign-in, keyed by (source,
-- external_id) = ('ldap', the entry's DN as the directory returns it).  The
-- rows below use exactly those keys, login, name, email and organisation, so
-- the first sign-in finds them (and their posts and memberships) instead of
-- creating new ones.  Sign-in still sets roles and groups.  vhale (in no
-- portal group) and the two alex.morgan entries (ambiguous, refused) are
-- left out: they can never sign in.
--
-- Communities (who sees what is in the README's demo section):
--   halvard-partner-network  listed, open: every signed-in user reads it
--   kestrel-cloud-halvard    private, unlisted, invitation only: Kestrel
--   meridian-halvard         private, secret, invitation only: Meridian
-- Kestrel and Meridian are declared competitors (organisation_conflicts).

INSERT INTO users (source, external_id, login, name, email, organisation_id)
VALUES
	('ldap', 'uid=hlindqvist,ou=people,dc=halvard,dc=example', 'hlindqvist', 'Hanna Lindqvist', 'hanna.lindqvist@halvard.example',
	 (SELECT id FROM organisations WHERE slug = 'halvard')),
	('ldap', 'uid=mokafor,ou=people,dc=halvard,dc=example', 'mokafor', 'Marcus Okafor', 'marcus.okafor@halvard.example',
	 (SELECT id FROM organisations WHERE slug = 'halvard')),
	('ldap', 'uid=praman,ou=people,dc=halvard,dc=example', 'praman', 'Priya Raman', 'priya.raman@halvard.example',
	 (SELECT id FROM organisations WHERE slug = 'halvard')),
	('ldap', 'uid=knakamura,ou=people,dc=halvard,dc=example', 'knakamura', 'Kenji Nakamura', 'kenji.nakamura@halvard.example',
	 (SELECT id FROM organisations WHERE slug = 'halvard')),
	('ldap', 'uid=jwhitfield,ou=people,dc=halvard,dc=example', 'jwhitfield', 'Jack Whitfield', 'jack.whitfield@kestrel-cloud.example',
	 (SELECT id FROM organisations WHERE slug = 'kestrel-cloud')),
	('ldap', 'uid=lchen,ou=people,dc=halvard,dc=example', 'lchen', 'Lina Chen', 'lina.chen@kestrel-cloud.example',
	 (SELECT id FROM organisations WHERE slug = 'kestrel-cloud')),
	('ldap', 'uid=o''brien*,ou=people,dc=halvard,dc=example', 'o''brien*', 'Siobhán O''Brien', 'siobhan.obrien@kestrel-cloud.example',
	 (SELECT id FROM organisations WHERE slug = 'kestrel-cloud')),
	('ldap', 'uid=dtan,ou=people,dc=halvard,dc=example', 'dtan', 'Daniel Tan', 'daniel.tan@meridian-shared.example',
	 (SELECT id FROM organisations WHERE slug = 'meridian-shared-services')),
	('ldap', 'uid=rkumar,ou=people,dc=halvard,dc=example', 'rkumar', 'Ravi Kumar', 'ravi.kumar@meridian-shared.example',
	 (SELECT id FROM organisations WHERE slug = 'meridian-shared-services')),
	('ldap', 'uid=bfarrell,ou=people,dc=halvard,dc=example', 'bfarrell', 'Brendan Farrell', 'brendan.farrell@meridian-shared.example',
	 (SELECT id FROM organisations WHERE slug = 'meridian-shared-services'))
-- An account that exists already (signed in, disabled, deleted) is kept.
ON DUPLICATE KEY UPDATE id = id;

SET @u_hlindqvist = (SELECT id FROM users WHERE source = 'ldap' AND external_id = 'uid=hlindqvist,ou=people,dc=halvard,dc=example');
SET @u_mokafor = (SELECT id FROM users WHERE source = 'ldap' AND external_id = 'uid=mokafor,ou=people,dc=halvard,dc=example');
SET @u_praman = (SELECT id FROM users WHERE source = 'ldap' AND external_id = 'uid=praman,ou=people,dc=halvard,dc=example');
SET @u_knakamura = (SELECT id FROM users WHERE source = 'ldap' AND external_id = 'uid=knakamura,ou=people,dc=halvard,dc=example');
SET @u_jwhitfield = (SELECT id FROM users WHERE source = 'ldap' AND external_id = 'uid=jwhitfield,ou=people,dc=halvard,dc=example');
SET @u_lchen = (SELECT id FROM users WHERE source = 'ldap' AND external_id = 'uid=lchen,ou=people,dc=halvard,dc=example');
SET @u_obrien = (SELECT id FROM users WHERE source = 'ldap' AND external_id = 'uid=o''brien*,ou=people,dc=halvard,dc=example');
SET @u_dtan = (SELECT id FROM users WHERE source = 'ldap' AND external_id = 'uid=dtan,ou=people,dc=halvard,dc=example');
SET @u_rkumar = (SELECT id FROM users WHERE source = 'ldap' AND external_id = 'uid=rkumar,ou=people,dc=halvard,dc=example');
SET @u_bfarrell = (SELECT id FROM users WHERE source = 'ldap' AND external_id = 'uid=bfarrell,ou=people,dc=halvard,dc=example');

-- Kestrel and Meridian sell the same managed services to the same APAC
-- finance teams: a portal admin declared them competitors.
INSERT INTO organisation_conflicts (org_a, org_b, reason, created_by)
SELECT LEAST(k.id, m.id), GREATEST(k.id, m.id),
	'Both are managed-service providers selling Ledgerflow to the same APAC finance teams.',
	@u_hlindqvist
FROM organisations k JOIN organisations m
WHERE k.slug = 'kestrel-cloud' AND m.slug = 'meridian-shared-services'
ON DUPLICATE KEY UPDATE reason = VALUES(reason);

-- Halvard Partner Network
INSERT INTO communities (slug, name, description, visibility, join_policy,
	private, created_by, created_at)
VALUES ('halvard-partner-network', 'Halvard Partner Network',
	'The open community of the whole Halvard Partner Network: product questions, implementation tips, program news and events. Everyone signed in can read it; join to post.

Customer names, pricing and deal specifics belong in your private partnership community, not here.',
	'listed', 'open', 0, @u_mokafor, NOW() - INTERVAL 30 DAY)
ON DUPLICATE KEY UPDATE name = VALUES(name), description = VALUES(description),
	visibility = VALUES(visibility), join_policy = VALUES(join_policy),
	private = VALUES(private);
SET @c_halvard_partner_network = (SELECT id FROM communities WHERE slug = 'halvard-partner-network');
INSERT INTO community_members (community_id, user_id, role, source, added_by,
	joined_at)
VALUES
	(@c_halvard_partner_network, @u_mokafor, 'manager', 'creator', @u_mokafor, NOW() - INTERVAL 30 DAY),
	(@c_halvard_partner_network, @u_hlindqvist, 'member', 'open', NULL, NOW() - INTERVAL 29 DAY),
	(@c_halvard_partner_network, @u_praman, 'member', 'open', NULL, NOW() - INTERVAL 29 DAY),
	(@c_halvard_partner_network, @u_knakamura, 'member', 'open', NULL, NOW() - INTERVAL 29 DAY),
	(@c_halvard_partner_network, @u_jwhitfield, 'member', 'open', NULL, NOW() - INTERVAL 29 DAY),
	(@c_halvard_partner_network, @u_dtan, 'member', 'open', NULL, NOW() - INTERVAL 29 DAY)
-- A membership that exists (a role changed since) is kept.
ON DUPLICATE KEY UPDATE community_id = community_id;

-- Kestrel Cloud × Halvard
INSERT INTO communities (slug, name, description, visibility, join_policy,
	private, created_by, created_at)
VALUES ('kestrel-cloud-halvard', 'Kestrel Cloud × Halvard',
	'Private partnership space for Kestrel Cloud Services and the Halvard channel team: the joint business plan, escalations and MDF claims. Invitation only.',
	'unlisted', 'invitation', 1, @u_mokafor, NOW() - INTERVAL 30 DAY)
ON DUPLICATE KEY UPDATE name = VALUES(name), description = VALUES(description),
	visibility = VALUES(visibility), join_policy = VALUES(join_policy),
	private = VALUES(private);
SET @c_kestrel_cloud_halvard = (SELECT id FROM communities WHERE slug = 'kestrel-cloud-halvard');
INSERT INTO community_members (community_id, user_id, role, source, added_by,
	joined_at)
VALUES
	(@c_kestrel_cloud_halvard, @u_mokafor, 'manager', 'creator', @u_mokafor, NOW() - INTERVAL 30 DAY),
	(@c_kestrel_cloud_halvard, @u_jwhitfield, 'manager', 'manager', @u_mokafor, NOW() - INTERVAL 30 DAY),
	(@c_kestrel_cloud_halvard, @u_lchen, 'member', 'invitation', @u_mokafor, NOW() - INTERVAL 29 DAY),
	(@c_kestrel_cloud_halvard, @u_obrien, 'member', 'invitation', @u_mokafor, NOW() - INTERVAL 29 DAY)
-- A membership that exists (a role changed since) is kept.
ON DUPLICATE KEY UPDATE community_id = community_id;

-- Meridian Shared Services × Halvard
INSERT INTO communities (slug, name, description, visibility, join_policy,
	private, created_by, created_at)
VALUES ('meridian-halvard', 'Meridian Shared Services × Halvard',
	'Private partnership space for Meridian Shared Services and the Halvard channel team: the path to Silver, pilots and pricing questions. Invitation only.',
	'secret', 'invitation', 1, @u_mokafor, NOW() - INTERVAL 30 DAY)
ON DUPLICATE KEY UPDATE name = VALUES(name), description = VALUES(description),
	visibility = VALUES(visibility), join_policy = VALUES(join_policy),
	private = VALUES(private);
SET @c_meridian_halvard = (SELECT id FROM communities WHERE slug = 'meridian-halvard');
INSERT INTO community_members (community_id, user_id, role, source, added_by,
	joined_at)
VALUES
	(@c_meridian_halvard, @u_mokafor, 'manager', 'creator', @u_mokafor, NOW() - INTERVAL 30 DAY),
	(@c_meridian_halvard, @u_dtan, 'manager', 'manager', @u_mokafor, NOW() - INTERVAL 30 DAY),
	(@c_meridian_halvard, @u_rkumar, 'member', 'invitation', @u_mokafor, NOW() - INTERVAL 29 DAY),
	(@c_meridian_halvard, @u_bfarrell, 'member', 'invitation', @u_mokafor, NOW() - INTERVAL 29 DAY)
-- A membership that exists (a role changed since) is kept.
ON DUPLICATE KEY UPDATE community_id = community_id;

-- Threads: a thread is its title and its first post; replies follow.

-- halvard-partner-network: Welcome to the Halvard Partner Network: start here
INSERT INTO threads (community_id, author_id, title, pinned, featured,
	created_at, last_post_at, last_post_by)
SELECT @c_halvard_partner_network, @u_mokafor, 'Welcome to the Halvard Partner Network: start here', 1, 0,
	NOW() - INTERVAL 288 HOUR, NOW() - INTERVAL 288 HOUR, @u_mokafor
FROM DUAL WHERE NOT EXISTS (SELECT 1 FROM threads
	WHERE community_id = @c_halvard_partner_network AND title = 'Welcome to the Halvard Partner Network: start here');
SET @t = (SELECT id FROM threads WHERE community_id = @c_halvard_partner_network AND title = 'Welcome to the Halvard Partner Network: start here');
INSERT INTO posts (thread_id, community_id, author_id, is_first, body, created_at)
SELECT @t, @c_halvard_partner_network, @u_mokafor, 1,
	'Welcome! This is the open community for everyone in the Halvard Partner Network: resellers, integrators, managed service providers and software vendors.

What belongs here:

- product questions and implementation tips for Ledgerflow
- program news: tiers, deal registration, MDF
- events and training

What does not: customer names, pricing and anything about a specific deal. Those go to your private partnership community with Halvard, which only your company and your channel team can see.

Kenji Nakamura and the channel team moderate. Be kind, be specific, and give kudos to the answers that helped you.',
	(SELECT created_at FROM threads WHERE id = @t) + INTERVAL 0 HOUR
FROM DUAL WHERE NOT EXISTS (SELECT 1 FROM posts
	WHERE thread_id = @t AND author_id = @u_mokafor AND is_first = 1 AND body = 'Welcome! This is the open community for everyone in the Halvard Partner Network: resellers, integrators, managed service providers and software vendors.

What belongs here:

- product questions and implementation tips for Ledgerflow
- program news: tiers, deal registration, MDF
- events and training

What does not: customer names, pricing and anything about a specific deal. Those go to your private partnership community with Halvard, which only your company and your channel team can see.

Kenji Nakamura and the channel team moderate. Be kind, be specific, and give kudos to the answers that helped you.');
SET @p = (SELECT id FROM posts WHERE thread_id = @t AND author_id = @u_mokafor
	AND is_first = 1 AND body = 'Welcome! This is the open community for everyone in the Halvard Partner Network: resellers, integrators, managed service providers and software vendors.

What belongs here:

- product questions and implementation tips for Ledgerflow
- program news: tiers, deal registration, MDF
- events and training

What does not: customer names, pricing and anything about a specific deal. Those go to your private partnership community with Halvard, which only your company and your channel team can see.

Kenji Nakamura and the channel team moderate. Be kind, be specific, and give kudos to the answers that helped you.');
INSERT IGNORE INTO kudos (post_id, user_id, community_id, created_at) VALUES
	(@p, @u_jwhitfield, @c_halvard_partner_network, (SELECT created_at FROM posts WHERE id = @p) + INTERVAL 1 HOUR),
	(@p, @u_dtan, @c_halvard_partner_network, (SELECT created_at FROM posts WHERE id = @p) + INTERVAL 2 HOUR),
	(@p, @u_knakamura, @c_halvard_partner_network, (SELECT created_at FROM posts WHERE id = @p) + INTERVAL 3 HOUR);
INSERT INTO posts (thread_id, community_id, author_id, is_first, body, created_at)
SELECT @t, @c_halvard_partner_network, @u_jwhitfield, 0,
	'Thanks Marcus. Good to have one place for this instead of five mailing lists.',
	(SELECT created_at FROM threads WHERE id = @t) + INTERVAL 2 HOUR
FROM DUAL WHERE NOT EXISTS (SELECT 1 FROM posts
	WHERE thread_id = @t AND author_id = @u_jwhitfield AND is_first = 0 AND body = 'Thanks Marcus. Good to have one place for this instead of five mailing lists.');
INSERT INTO posts (thread_id, community_id, author_id, is_first, body, created_at)
SELECT @t, @c_halvard_partner_network, @u_dtan, 0,
	'Glad to be here. Is there a way to be told when a new release note is posted?',
	(SELECT created_at FROM threads WHERE id = @t) + INTERVAL 26 HOUR
FROM DUAL WHERE NOT EXISTS (SELECT 1 FROM posts
	WHERE thread_id = @t AND author_id = @u_dtan AND is_first = 0 AND body = 'Glad to be here. Is there a way to be told when a new release note is posted?');
INSERT INTO posts (thread_id, community_id, author_id, is_first, body, created_at)
SELECT @t, @c_halvard_partner_network, @u_mokafor, 0,
	'@dtan yes: every community has an Atom feed, and you get a notification when someone replies to your thread or mentions you.',
	(SELECT created_at FROM threads WHERE id = @t) + INTERVAL 28 HOUR
FROM DUAL WHERE NOT EXISTS (SELECT 1 FROM posts
	WHERE thread_id = @t AND author_id = @u_mokafor AND is_first = 0 AND body = '@dtan yes: every community has an Atom feed, and you get a notification when someone replies to your thread or mentions you.');
SET @p = (SELECT id FROM posts WHERE thread_id = @t AND author_id = @u_mokafor
	AND is_first = 0 AND body = '@dtan yes: every community has an Atom feed, and you get a notification when someone replies to your thread or mentions you.');
INSERT INTO notifications (user_id, kind, community_id, thread_id,
	post_id, actor_id, created_at)
SELECT @u_dtan, 'mention', @c_halvard_partner_network, @t, @p, @u_mokafor, created_at FROM posts WHERE id = @p
	AND NOT EXISTS (SELECT 1 FROM notifications WHERE user_id = @u_dtan
	AND kind = 'mention' AND post_id = @p);
INSERT IGNORE INTO kudos (post_id, user_id, community_id, created_at) VALUES
	(@p, @u_dtan, @c_halvard_partner_network, (SELECT created_at FROM posts WHERE id = @p) + INTERVAL 1 HOUR);

-- halvard-partner-network: Ledgerflow 7.2 is out: what partners need to know
INSERT INTO threads (community_id, author_id, title, pinned, featured,
	created_at, last_post_at, last_post_by)
SELECT @c_halvard_partner_network, @u_praman, 'Ledgerflow 7.2 is out: what partners need to know', 0, 0,
	NOW() - INTERVAL 216 HOUR, NOW() - INTERVAL 216 HOUR, @u_praman
FROM DUAL WHERE NOT EXISTS (SELECT 1 FROM threads
	WHERE community_id = @c_halvard_partner_network AND title = 'Ledgerflow 7.2 is out: what partners need to know');
SET @t = (SELECT id FROM threads WHERE community_id = @c_halvard_partner_network AND title = 'Ledgerflow 7.2 is out: what partners need to know');
INSERT INTO posts (thread_id, community_id, author_id, is_first, body, created_at)
SELECT @t, @c_halvard_partner_network, @u_praman, 1,
	'Ledgerflow 7.2 shipped this week. The highlights for partners:

- Bank statement import reads CAMT.053 and BAI2 directly; no more conversion scripts.
- The reconciliation engine matches partial payments across currencies.
- Month-end close checklists can be templated per entity and copied between tenants.

The updated pitch deck and demo script are in the library. Cloud tenants are upgraded on the second Saturday of the month; on-premises customers can upgrade from 7.0 or later.',
	(SELECT created_at FROM threads WHERE id = @t) + INTERVAL 0 HOUR
FROM DUAL WHERE NOT EXISTS (SELECT 1 FROM posts
	WHERE thread_id = @t AND author_id = @u_praman AND is_first = 1 AND body = 'Ledgerflow 7.2 shipped this week. The highlights for partners:

- Bank statement import reads CAMT.053 and BAI2 directly; no more conversion scripts.
- The reconciliation engine matches partial payments across currencies.
- Month-end close checklists can be templated per entity and copied between tenants.

The updated pitch deck and demo script are in the library. Cloud tenants are upgraded on the second Saturday of the month; on-premises customers can upgrade from 7.0 or later.');
INSERT INTO posts (thread_id, community_id, author_id, is_first, body, created_at)
SELECT @t, @c_halvard_partner_network, @u_jwhitfield, 0,
	'The CAMT.053 import is the one our banking customers keep asking for. Does it keep the bank''s transaction codes, or are they mapped to Ledgerflow categories?',
	(SELECT created_at FROM threads WHERE id = @t) + INTERVAL 5 HOUR
FROM DUAL WHERE NOT EXISTS (SELECT 1 FROM posts
	WHERE thread_id = @t AND author_id = @u_jwhitfield AND is_first = 0 AND body = 'The CAMT.053 import is the one our banking customers keep asking for. Does it keep the bank''s transaction codes, or are they mapped to Ledgerflow categories?');
INSERT INTO posts (thread_id, community_id, author_id, is_first, body, created_at)
SELECT @t, @c_halvard_partner_network, @u_praman, 0,
	'Both: the original code stays on the statement line and a mapping table turns it into a category. The mapping can be edited per tenant.',
	(SELECT created_at FROM threads WHERE id = @t) + INTERVAL 7 HOUR
FROM DUAL WHERE NOT EXISTS (SELECT 1 FROM posts
	WHERE thread_id = @t AND author_id = @u_praman AND is_first = 0 AND body = 'Both: the original code stays on the statement line and a mapping table turns it into a category. The mapping can be edited per tenant.');
SET @p = (SELECT id FROM posts WHERE thread_id = @t AND author_id = @u_praman
	AND is_first = 0 AND body = 'Both: the original code stays on the statement line and a mapping table turns it into a category. The mapping can be edited per tenant.');
INSERT IGNORE INTO kudos (post_id, user_id, community_id, created_at) VALUES
	(@p, @u_jwhitfield, @c_halvard_partner_network, (SELECT created_at FROM posts WHERE id = @p) + INTERVAL 1 HOUR);
INSERT INTO posts (thread_id, community_id, author_id, is_first, body, created_at)
SELECT @t, @c_halvard_partner_network, @u_dtan, 0,
	'Upgraded our sandbox tenant yesterday, no issues so far.',
	(SELECT created_at FROM threads WHERE id = @t) + INTERVAL 30 HOUR
FROM DUAL WHERE NOT EXISTS (SELECT 1 FROM posts
	WHERE thread_id = @t AND author_id = @u_dtan AND is_first = 0 AND body = 'Upgraded our sandbox tenant yesterday, no issues so far.');

-- halvard-partner-network: Deal registration: changes from 1 January
INSERT INTO threads (community_id, author_id, title, pinned, featured,
	created_at, last_post_at, last_post_by)
SELECT @c_halvard_partner_network, @u_mokafor, 'Deal registration: changes from 1 January', 0, 0,
	NOW() - INTERVAL 144 HOUR, NOW() - INTERVAL 144 HOUR, @u_mokafor
FROM DUAL WHERE NOT EXISTS (SELECT 1 FROM threads
	WHERE community_id = @c_halvard_partner_network AND title = 'Deal registration: changes from 1 January');
SET @t = (SELECT id FROM threads WHERE community_id = @c_halvard_partner_network AND title = 'Deal registration: changes from 1 January');
INSERT INTO posts (thread_id, community_id, author_id, is_first, body, created_at)
SELECT @t, @c_halvard_partner_network, @u_mokafor, 1,
	'From 1 January a registered deal stays protected for 120 days instead of 90, and you can extend it once by 60 days while the customer runs a formal evaluation.

Two things change in the form: the expected close date is required, and you name the customer''s finance lead. Registrations without both are sent back to you rather than rejected.

Questions about a specific deal go to your channel manager, not to this thread.',
	(SELECT created_at FROM threads WHERE id = @t) + INTERVAL 0 HOUR
FROM DUAL WHERE NOT EXISTS (SELECT 1 FROM posts
	WHERE thread_id = @t AND author_id = @u_mokafor AND is_first = 1 AND body = 'From 1 January a registered deal stays protected for 120 days instead of 90, and you can extend it once by 60 days while the customer runs a formal evaluation.

Two things change in the form: the expected close date is required, and you name the customer''s finance lead. Registrations without both are sent back to you rather than rejected.

Questions about a specific deal go to your channel manager, not to this thread.');
SET @p = (SELECT id FROM posts WHERE thread_id = @t AND author_id = @u_mokafor
	AND is_first = 1 AND body = 'From 1 January a registered deal stays protected for 120 days instead of 90, and you can extend it once by 60 days while the customer runs a formal evaluation.

Two things change in the form: the expected close date is required, and you name the customer''s finance lead. Registrations without both are sent back to you rather than rejected.

Questions about a specific deal go to your channel manager, not to this thread.');
INSERT IGNORE INTO kudos (post_id, user_id, community_id, created_at) VALUES
	(@p, @u_dtan, @c_halvard_partner_network, (SELECT created_at FROM posts WHERE id = @p) + INTERVAL 1 HOUR);
INSERT INTO posts (thread_id, community_id, author_id, is_first, body, created_at)
SELECT @t, @c_halvard_partner_network, @u_dtan, 0,
	'120 days helps a lot with tender-style procurement. Does the extension need an approval?',
	(SELECT created_at FROM threads WHERE id = @t) + INTERVAL 3 HOUR
FROM DUAL WHERE NOT EXISTS (SELECT 1 FROM posts
	WHERE thread_id = @t AND author_id = @u_dtan AND is_first = 0 AND body = '120 days helps a lot with tender-style procurement. Does the extension need an approval?');
INSERT INTO posts (thread_id, community_id, author_id, is_first, body, created_at)
SELECT @t, @c_halvard_partner_network, @u_mokafor, 0,
	'It is approved automatically the first time, as long as the evaluation is logged on the registration.',
	(SELECT created_at FROM threads WHERE id = @t) + INTERVAL 4 HOUR
FROM DUAL WHERE NOT EXISTS (SELECT 1 FROM posts
	WHERE thread_id = @t AND author_id = @u_mokafor AND is_first = 0 AND body = 'It is approved automatically the first time, as long as the evaluation is logged on the registration.');

-- halvard-partner-network: Tips for a multi-entity month-end close
INSERT INTO threads (community_id, author_id, title, pinned, featured,
	created_at, last_post_at, last_post_by)
SELECT @c_halvard_partner_network, @u_jwhitfield, 'Tips for a multi-entity month-end close', 0, 1,
	NOW() - INTERVAL 96 HOUR, NOW() - INTERVAL 96 HOUR, @u_jwhitfield
FROM DUAL WHERE NOT EXISTS (SELECT 1 FROM threads
	WHERE community_id = @c_halvard_partner_network AND title = 'Tips for a multi-entity month-end close');
SET @t = (SELECT id FROM threads WHERE community_id = @c_halvard_partner_network AND title = 'Tips for a multi-entity month-end close');
INSERT INTO posts (thread_id, community_id, author_id, is_first, body, created_at)
SELECT @t, @c_halvard_partner_network, @u_jwhitfield, 1,
	'We have now run six multi-entity Ledgerflow implementations and a few lessons keep coming back:

- Agree the intercompany matching rules before data migration, not after.
- Build one close checklist template and copy it per entity; resist per-entity variations in the first quarter.
- Give the group controller a read-only view of every entity from day one.

What has worked for others?',
	(SELECT created_at FROM threads WHERE id = @t) + INTERVAL 0 HOUR
FROM DUAL WHERE NOT EXISTS (SELECT 1 FROM posts
	WHERE thread_id = @t AND author_id = @u_jwhitfield AND is_first = 1 AND body = 'We have now run six multi-entity Ledgerflow implementations and a few lessons keep coming back:

- Agree the intercompany matching rules before data migration, not after.
- Build one close checklist template and copy it per entity; resist per-entity variations in the first quarter.
- Give the group controller a read-only view of every entity from day one.

What has worked for others?');
SET @p = (SELECT id FROM posts WHERE thread_id = @t AND author_id = @u_jwhitfield
	AND is_first = 1 AND body = 'We have now run six multi-entity Ledgerflow implementations and a few lessons keep coming back:

- Agree the intercompany matching rules before data migration, not after.
- Build one close checklist template and copy it per entity; resist per-entity variations in the first quarter.
- Give the group controller a read-only view of every entity from day one.

What has worked for others?');
INSERT IGNORE INTO kudos (post_id, user_id, community_id, created_at) VALUES
	(@p, @u_knakamura, @c_halvard_partner_network, (SELECT created_at FROM posts WHERE id = @p) + INTERVAL 1 HOUR),
	(@p, @u_praman, @c_halvard_partner_network, (SELECT created_at FROM posts WHERE id = @p) + INTERVAL 2 HOUR),
	(@p, @u_dtan, @c_halvard_partner_network, (SELECT created_at FROM posts WHERE id = @p) + INTERVAL 3 HOUR);
INSERT INTO posts (thread_id, community_id, author_id, is_first, body, created_at)
SELECT @t, @c_halvard_partner_network, @u_knakamura, 0,
	'Great list. One more from the support side: set each entity''s time zone explicitly. Most of the "missing transactions" tickets we see are day-boundary problems.',
	(SELECT created_at FROM threads WHERE id = @t) + INTERVAL 6 HOUR
FROM DUAL WHERE NOT EXISTS (SELECT 1 FROM posts
	WHERE thread_id = @t AND author_id = @u_knakamura AND is_first = 0 AND body = 'Great list. One more from the support side: set each entity''s time zone explicitly. Most of the "missing transactions" tickets we see are day-boundary problems.');
SET @p = (SELECT id FROM posts WHERE thread_id = @t AND author_id = @u_knakamura
	AND is_first = 0 AND body = 'Great list. One more from the support side: set each entity''s time zone explicitly. Most of the "missing transactions" tickets we see are day-boundary problems.');
INSERT INTO notifications (user_id, kind, community_id, thread_id,
	post_id, actor_id, created_at)
SELECT @u_jwhitfield, 'reply', @c_halvard_partner_network, @t, @p, @u_knakamura, created_at FROM posts WHERE id = @p
	AND NOT EXISTS (SELECT 1 FROM notifications WHERE user_id = @u_jwhitfield
	AND kind = 'reply' AND post_id = @p);
INSERT IGNORE INTO kudos (post_id, user_id, community_id, created_at) VALUES
	(@p, @u_jwhitfield, @c_halvard_partner_network, (SELECT created_at FROM posts WHERE id = @p) + INTERVAL 1 HOUR);
INSERT INTO posts (thread_id, community_id, author_id, is_first, body, created_at)
SELECT @t, @c_halvard_partner_network, @u_dtan, 0,
	'Agree on the single template. We also lock the chart-of-accounts mapping after the first close.',
	(SELECT created_at FROM threads WHERE id = @t) + INTERVAL 24 HOUR
FROM DUAL WHERE NOT EXISTS (SELECT 1 FROM posts
	WHERE thread_id = @t AND author_id = @u_dtan AND is_first = 0 AND body = 'Agree on the single template. We also lock the chart-of-accounts mapping after the first close.');
SET @p = (SELECT id FROM posts WHERE thread_id = @t AND author_id = @u_dtan
	AND is_first = 0 AND body = 'Agree on the single template. We also lock the chart-of-accounts mapping after the first close.');
INSERT INTO notifications (user_id, kind, community_id, thread_id,
	post_id, actor_id, created_at)
SELECT @u_jwhitfield, 'reply', @c_halvard_partner_network, @t, @p, @u_dtan, created_at FROM posts WHERE id = @p
	AND NOT EXISTS (SELECT 1 FROM notifications WHERE user_id = @u_jwhitfield
	AND kind = 'reply' AND post_id = @p);

-- halvard-partner-network: Halvard Summit 2027: call for partner speakers
INSERT INTO threads (community_id, author_id, title, pinned, featured,
	created_at, last_post_at, last_post_by)
SELECT @c_halvard_partner_network, @u_hlindqvist, 'Halvard Summit 2027: call for partner speakers', 0, 0,
	NOW() - INTERVAL 48 HOUR, NOW() - INTERVAL 48 HOUR, @u_hlindqvist
FROM DUAL WHERE NOT EXISTS (SELECT 1 FROM threads
	WHERE community_id = @c_halvard_partner_network AND title = 'Halvard Summit 2027: call for partner speakers');
SET @t = (SELECT id FROM threads WHERE community_id = @c_halvard_partner_network AND title = 'Halvard Summit 2027: call for partner speakers');
INSERT INTO posts (thread_id, community_id, author_id, is_first, body, created_at)
SELECT @t, @c_halvard_partner_network, @u_hlindqvist, 1,
	'Halvard Summit 2027 is in Melbourne on 14 and 15 April. We are looking for partners to present a customer story or a technical deep dive (30 minutes).

Send a title and a short abstract to your channel manager by 31 January. Platinum partners have a reserved slot; everyone is welcome to propose.',
	(SELECT created_at FROM threads WHERE id = @t) + INTERVAL 0 HOUR
FROM DUAL WHERE NOT EXISTS (SELECT 1 FROM posts
	WHERE thread_id = @t AND author_id = @u_hlindqvist AND is_first = 1 AND body = 'Halvard Summit 2027 is in Melbourne on 14 and 15 April. We are looking for partners to present a customer story or a technical deep dive (30 minutes).

Send a title and a short abstract to your channel manager by 31 January. Platinum partners have a reserved slot; everyone is welcome to propose.');

-- halvard-partner-network: Certified Implementer exam: study group?
INSERT INTO threads (community_id, author_id, title, pinned, featured,
	created_at, last_post_at, last_post_by)
SELECT @c_halvard_partner_network, @u_dtan, 'Certified Implementer exam: study group?', 0, 0,
	NOW() - INTERVAL 26 HOUR, NOW() - INTERVAL 26 HOUR, @u_dtan
FROM DUAL WHERE NOT EXISTS (SELECT 1 FROM threads
	WHERE community_id = @c_halvard_partner_network AND title = 'Certified Implementer exam: study group?');
SET @t = (SELECT id FROM threads WHERE community_id = @c_halvard_partner_network AND title = 'Certified Implementer exam: study group?');
INSERT INTO posts (thread_id, community_id, author_id, is_first, body, created_at)
SELECT @t, @c_halvard_partner_network, @u_dtan, 1,
	'A few of us are sitting the Ledgerflow Certified Implementer exam next quarter. Would anyone like to join a fortnightly study call? APAC-friendly times preferred but not required.',
	(SELECT created_at FROM threads WHERE id = @t) + INTERVAL 0 HOUR
FROM DUAL WHERE NOT EXISTS (SELECT 1 FROM posts
	WHERE thread_id = @t AND author_id = @u_dtan AND is_first = 1 AND body = 'A few of us are sitting the Ledgerflow Certified Implementer exam next quarter. Would anyone like to join a fortnightly study call? APAC-friendly times preferred but not required.');
INSERT INTO posts (thread_id, community_id, author_id, is_first, body, created_at)
SELECT @t, @c_halvard_partner_network, @u_praman, 0,
	'The training team can join one of the calls to go through the reconciliation module, which is where most candidates lose points.',
	(SELECT created_at FROM threads WHERE id = @t) + INTERVAL 2 HOUR
FROM DUAL WHERE NOT EXISTS (SELECT 1 FROM posts
	WHERE thread_id = @t AND author_id = @u_praman AND is_first = 0 AND body = 'The training team can join one of the calls to go through the reconciliation module, which is where most candidates lose points.');
SET @p = (SELECT id FROM posts WHERE thread_id = @t AND author_id = @u_praman
	AND is_first = 0 AND body = 'The training team can join one of the calls to go through the reconciliation module, which is where most candidates lose points.');
INSERT IGNORE INTO kudos (post_id, user_id, community_id, created_at) VALUES
	(@p, @u_dtan, @c_halvard_partner_network, (SELECT created_at FROM posts WHERE id = @p) + INTERVAL 1 HOUR);

-- kestrel-cloud-halvard: Platinum joint business plan FY27: draft for review
INSERT INTO threads (community_id, author_id, title, pinned, featured,
	created_at, last_post_at, last_post_by)
SELECT @c_kestrel_cloud_halvard, @u_mokafor, 'Platinum joint business plan FY27: draft for review', 1, 0,
	NOW() - INTERVAL 192 HOUR, NOW() - INTERVAL 192 HOUR, @u_mokafor
FROM DUAL WHERE NOT EXISTS (SELECT 1 FROM threads
	WHERE community_id = @c_kestrel_cloud_halvard AND title = 'Platinum joint business plan FY27: draft for review');
SET @t = (SELECT id FROM threads WHERE community_id = @c_kestrel_cloud_halvard AND title = 'Platinum joint business plan FY27: draft for review');
INSERT INTO posts (thread_id, community_id, author_id, is_first, body, created_at)
SELECT @t, @c_kestrel_cloud_halvard, @u_mokafor, 1,
	'Jack, Lina: here is the draft joint business plan for FY27. The main targets:

- USD 2.6 million in Halvard bookings, 40 % of it from new logos
- three new Certified Solution Architects by June
- two co-funded events, in Sydney and Auckland

Please comment here by Friday; we sign it off on the quarterly call.',
	(SELECT created_at FROM threads WHERE id = @t) + INTERVAL 0 HOUR
FROM DUAL WHERE NOT EXISTS (SELECT 1 FROM posts
	WHERE thread_id = @t AND author_id = @u_mokafor AND is_first = 1 AND body = 'Jack, Lina: here is the draft joint business plan for FY27. The main targets:

- USD 2.6 million in Halvard bookings, 40 % of it from new logos
- three new Certified Solution Architects by June
- two co-funded events, in Sydney and Auckland

Please comment here by Friday; we sign it off on the quarterly call.');
INSERT INTO posts (thread_id, community_id, author_id, is_first, body, created_at)
SELECT @t, @c_kestrel_cloud_halvard, @u_jwhitfield, 0,
	'The bookings target is fine. For the architects we can commit to two by June and the third by September: @lchen and Siobhán are booked on the course in March.',
	(SELECT created_at FROM threads WHERE id = @t) + INTERVAL 3 HOUR
FROM DUAL WHERE NOT EXISTS (SELECT 1 FROM posts
	WHERE thread_id = @t AND author_id = @u_jwhitfield AND is_first = 0 AND body = 'The bookings target is fine. For the architects we can commit to two by June and the third by September: @lchen and Siobhán are booked on the course in March.');
SET @p = (SELECT id FROM posts WHERE thread_id = @t AND author_id = @u_jwhitfield
	AND is_first = 0 AND body = 'The bookings target is fine. For the architects we can commit to two by June and the third by September: @lchen and Siobhán are booked on the course in March.');
INSERT INTO notifications (user_id, kind, community_id, thread_id,
	post_id, actor_id, created_at)
SELECT @u_lchen, 'mention', @c_kestrel_cloud_halvard, @t, @p, @u_jwhitfield, created_at FROM posts WHERE id = @p
	AND NOT EXISTS (SELECT 1 FROM notifications WHERE user_id = @u_lchen
	AND kind = 'mention' AND post_id = @p);
INSERT INTO notifications (user_id, kind, community_id, thread_id,
	post_id, actor_id, created_at)
SELECT @u_mokafor, 'reply', @c_kestrel_cloud_halvard, @t, @p, @u_jwhitfield, created_at FROM posts WHERE id = @p
	AND NOT EXISTS (SELECT 1 FROM notifications WHERE user_id = @u_mokafor
	AND kind = 'reply' AND post_id = @p);
INSERT IGNORE INTO kudos (post_id, user_id, community_id, created_at) VALUES
	(@p, @u_mokafor, @c_kestrel_cloud_halvard, (SELECT created_at FROM posts WHERE id = @p) + INTERVAL 1 HOUR);
INSERT INTO posts (thread_id, community_id, author_id, is_first, body, created_at)
SELECT @t, @c_kestrel_cloud_halvard, @u_mokafor, 0,
	'September works. I will update the plan before the call.',
	(SELECT created_at FROM threads WHERE id = @t) + INTERVAL 5 HOUR
FROM DUAL WHERE NOT EXISTS (SELECT 1 FROM posts
	WHERE thread_id = @t AND author_id = @u_mokafor AND is_first = 0 AND body = 'September works. I will update the plan before the call.');

-- kestrel-cloud-halvard: Tasman Mutual Bank: nightly reconciliation runs past the window
INSERT INTO threads (community_id, author_id, title, pinned, featured,
	created_at, last_post_at, last_post_by)
SELECT @c_kestrel_cloud_halvard, @u_lchen, 'Tasman Mutual Bank: nightly reconciliation runs past the window', 0, 0,
	NOW() - INTERVAL 120 HOUR, NOW() - INTERVAL 120 HOUR, @u_lchen
FROM DUAL WHERE NOT EXISTS (SELECT 1 FROM threads
	WHERE community_id = @c_kestrel_cloud_halvard AND title = 'Tasman Mutual Bank: nightly reconciliation runs past the window');
SET @t = (SELECT id FROM threads WHERE community_id = @c_kestrel_cloud_halvard AND title = 'Tasman Mutual Bank: nightly reconciliation runs past the window');
INSERT INTO posts (thread_id, community_id, author_id, is_first, body, created_at)
SELECT @t, @c_kestrel_cloud_halvard, @u_lchen, 1,
	'Since the 7.2 upgrade, the nightly reconciliation for Tasman Mutual''s treasury entity runs past the 02:00 window about twice a week. Statement volume has not changed (about 180,000 lines a night).

Support case 48213 is open; can someone from Halvard look at it with us?',
	(SELECT created_at FROM threads WHERE id = @t) + INTERVAL 0 HOUR
FROM DUAL WHERE NOT EXISTS (SELECT 1 FROM posts
	WHERE thread_id = @t AND author_id = @u_lchen AND is_first = 1 AND body = 'Since the 7.2 upgrade, the nightly reconciliation for Tasman Mutual''s treasury entity runs past the 02:00 window about twice a week. Statement volume has not changed (about 180,000 lines a night).

Support case 48213 is open; can someone from Halvard look at it with us?');
INSERT INTO posts (thread_id, community_id, author_id, is_first, body, created_at)
SELECT @t, @c_kestrel_cloud_halvard, @u_mokafor, 0,
	'I have asked support to escalate 48213 and to bring in engineering.',
	(SELECT created_at FROM threads WHERE id = @t) + INTERVAL 2 HOUR
FROM DUAL WHERE NOT EXISTS (SELECT 1 FROM posts
	WHERE thread_id = @t AND author_id = @u_mokafor AND is_first = 0 AND body = 'I have asked support to escalate 48213 and to bring in engineering.');
INSERT INTO posts (thread_id, community_id, author_id, is_first, body, created_at)
SELECT @t, @c_kestrel_cloud_halvard, @u_obrien, 0,
	'Engineering found it: the new partial-payment matching scanned every open item of the treasury entity. A configuration change limits it to 90 days; runs now finish by 00:40.',
	(SELECT created_at FROM threads WHERE id = @t) + INTERVAL 24 HOUR
FROM DUAL WHERE NOT EXISTS (SELECT 1 FROM posts
	WHERE thread_id = @t AND author_id = @u_obrien AND is_first = 0 AND body = 'Engineering found it: the new partial-payment matching scanned every open item of the treasury entity. A configuration change limits it to 90 days; runs now finish by 00:40.');
SET @p = (SELECT id FROM posts WHERE thread_id = @t AND author_id = @u_obrien
	AND is_first = 0 AND body = 'Engineering found it: the new partial-payment matching scanned every open item of the treasury entity. A configuration change limits it to 90 days; runs now finish by 00:40.');
INSERT INTO notifications (user_id, kind, community_id, thread_id,
	post_id, actor_id, created_at)
SELECT @u_lchen, 'reply', @c_kestrel_cloud_halvard, @t, @p, @u_obrien, created_at FROM posts WHERE id = @p
	AND NOT EXISTS (SELECT 1 FROM notifications WHERE user_id = @u_lchen
	AND kind = 'reply' AND post_id = @p);
INSERT IGNORE INTO kudos (post_id, user_id, community_id, created_at) VALUES
	(@p, @u_lchen, @c_kestrel_cloud_halvard, (SELECT created_at FROM posts WHERE id = @p) + INTERVAL 1 HOUR),
	(@p, @u_jwhitfield, @c_kestrel_cloud_halvard, (SELECT created_at FROM posts WHERE id = @p) + INTERVAL 2 HOUR);
INSERT INTO posts (thread_id, community_id, author_id, is_first, body, created_at)
SELECT @t, @c_kestrel_cloud_halvard, @u_lchen, 0,
	'Confirmed on our side: three clean nights in a row. Thank you!',
	(SELECT created_at FROM threads WHERE id = @t) + INTERVAL 27 HOUR
FROM DUAL WHERE NOT EXISTS (SELECT 1 FROM posts
	WHERE thread_id = @t AND author_id = @u_lchen AND is_first = 0 AND body = 'Confirmed on our side: three clean nights in a row. Thank you!');

-- kestrel-cloud-halvard: MDF claim for the Sydney roadshow
INSERT INTO threads (community_id, author_id, title, pinned, featured,
	created_at, last_post_at, last_post_by)
SELECT @c_kestrel_cloud_halvard, @u_jwhitfield, 'MDF claim for the Sydney roadshow', 0, 0,
	NOW() - INTERVAL 48 HOUR, NOW() - INTERVAL 48 HOUR, @u_jwhitfield
FROM DUAL WHERE NOT EXISTS (SELECT 1 FROM threads
	WHERE community_id = @c_kestrel_cloud_halvard AND title = 'MDF claim for the Sydney roadshow');
SET @t = (SELECT id FROM threads WHERE community_id = @c_kestrel_cloud_halvard AND title = 'MDF claim for the Sydney roadshow');
INSERT INTO posts (thread_id, community_id, author_id, is_first, body, created_at)
SELECT @t, @c_kestrel_cloud_halvard, @u_jwhitfield, 1,
	'We ran the Sydney finance leaders breakfast on the 12th: 46 attendees from 31 companies and 9 qualified opportunities. We are claiming USD 8,400 against our MDF; the venue and agency invoices are on the claim.

Anything else you need from us?',
	(SELECT created_at FROM threads WHERE id = @t) + INTERVAL 0 HOUR
FROM DUAL WHERE NOT EXISTS (SELECT 1 FROM posts
	WHERE thread_id = @t AND author_id = @u_jwhitfield AND is_first = 1 AND body = 'We ran the Sydney finance leaders breakfast on the 12th: 46 attendees from 31 companies and 9 qualified opportunities. We are claiming USD 8,400 against our MDF; the venue and agency invoices are on the claim.

Anything else you need from us?');
INSERT INTO posts (thread_id, community_id, author_id, is_first, body, created_at)
SELECT @t, @c_kestrel_cloud_halvard, @u_mokafor, 0,
	'Approved. Could you also send the list of attending companies (no personal contact details) for the campaign report?',
	(SELECT created_at FROM threads WHERE id = @t) + INTERVAL 6 HOUR
FROM DUAL WHERE NOT EXISTS (SELECT 1 FROM posts
	WHERE thread_id = @t AND author_id = @u_mokafor AND is_first = 0 AND body = 'Approved. Could you also send the list of attending companies (no personal contact details) for the campaign report?');

-- meridian-halvard: Registered to Silver: your plan for next year
INSERT INTO threads (community_id, author_id, title, pinned, featured,
	created_at, last_post_at, last_post_by)
SELECT @c_meridian_halvard, @u_mokafor, 'Registered to Silver: your plan for next year', 1, 0,
	NOW() - INTERVAL 240 HOUR, NOW() - INTERVAL 240 HOUR, @u_mokafor
FROM DUAL WHERE NOT EXISTS (SELECT 1 FROM threads
	WHERE community_id = @c_meridian_halvard AND title = 'Registered to Silver: your plan for next year');
SET @t = (SELECT id FROM threads WHERE community_id = @c_meridian_halvard AND title = 'Registered to Silver: your plan for next year');
INSERT INTO posts (thread_id, community_id, author_id, is_first, body, created_at)
SELECT @t, @c_meridian_halvard, @u_mokafor, 1,
	'Daniel, Ravi: here is what stands between Meridian and Silver, and how we can help.

- USD 100,000 in annual bookings: you are at 64,000 with two deals in flight.
- Two Certified Implementers: Ravi sits the exam in February and we fund a second seat.
- Three referenceable customers: Lion City Logistics and Straits Cold Chain agreed; we need one more.

Let us review progress on the first call of each month.',
	(SELECT created_at FROM threads WHERE id = @t) + INTERVAL 0 HOUR
FROM DUAL WHERE NOT EXISTS (SELECT 1 FROM posts
	WHERE thread_id = @t AND author_id = @u_mokafor AND is_first = 1 AND body = 'Daniel, Ravi: here is what stands between Meridian and Silver, and how we can help.

- USD 100,000 in annual bookings: you are at 64,000 with two deals in flight.
- Two Certified Implementers: Ravi sits the exam in February and we fund a second seat.
- Three referenceable customers: Lion City Logistics and Straits Cold Chain agreed; we need one more.

Let us review progress on the first call of each month.');
SET @p = (SELECT id FROM posts WHERE thread_id = @t AND author_id = @u_mokafor
	AND is_first = 1 AND body = 'Daniel, Ravi: here is what stands between Meridian and Silver, and how we can help.

- USD 100,000 in annual bookings: you are at 64,000 with two deals in flight.
- Two Certified Implementers: Ravi sits the exam in February and we fund a second seat.
- Three referenceable customers: Lion City Logistics and Straits Cold Chain agreed; we need one more.

Let us review progress on the first call of each month.');
INSERT IGNORE INTO kudos (post_id, user_id, community_id, created_at) VALUES
	(@p, @u_dtan, @c_meridian_halvard, (SELECT created_at FROM posts WHERE id = @p) + INTERVAL 1 HOUR);
INSERT INTO posts (thread_id, community_id, author_id, is_first, body, created_at)
SELECT @t, @c_meridian_halvard, @u_dtan, 0,
	'Thanks Marcus. For the third reference, Harbourfront Freight goes live in March; we will ask them after their first close.',
	(SELECT created_at FROM threads WHERE id = @t) + INTERVAL 4 HOUR
FROM DUAL WHERE NOT EXISTS (SELECT 1 FROM posts
	WHERE thread_id = @t AND author_id = @u_dtan AND is_first = 0 AND body = 'Thanks Marcus. For the third reference, Harbourfront Freight goes live in March; we will ask them after their first close.');
INSERT INTO posts (thread_id, community_id, author_id, is_first, body, created_at)
SELECT @t, @c_meridian_halvard, @u_rkumar, 0,
	'Booked the exam for 18 February.',
	(SELECT created_at FROM threads WHERE id = @t) + INTERVAL 26 HOUR
FROM DUAL WHERE NOT EXISTS (SELECT 1 FROM posts
	WHERE thread_id = @t AND author_id = @u_rkumar AND is_first = 0 AND body = 'Booked the exam for 18 February.');
SET @p = (SELECT id FROM posts WHERE thread_id = @t AND author_id = @u_rkumar
	AND is_first = 0 AND body = 'Booked the exam for 18 February.');
INSERT IGNORE INTO kudos (post_id, user_id, community_id, created_at) VALUES
	(@p, @u_mokafor, @c_meridian_halvard, (SELECT created_at FROM posts WHERE id = @p) + INTERVAL 1 HOUR);

-- meridian-halvard: Lion City Logistics pilot: pricing question
INSERT INTO threads (community_id, author_id, title, pinned, featured,
	created_at, last_post_at, last_post_by)
SELECT @c_meridian_halvard, @u_dtan, 'Lion City Logistics pilot: pricing question', 0, 0,
	NOW() - INTERVAL 96 HOUR, NOW() - INTERVAL 96 HOUR, @u_dtan
FROM DUAL WHERE NOT EXISTS (SELECT 1 FROM threads
	WHERE community_id = @c_meridian_halvard AND title = 'Lion City Logistics pilot: pricing question');
SET @t = (SELECT id FROM threads WHERE community_id = @c_meridian_halvard AND title = 'Lion City Logistics pilot: pricing question');
INSERT INTO posts (thread_id, community_id, author_id, is_first, body, created_at)
SELECT @t, @c_meridian_halvard, @u_dtan, 1,
	'Lion City Logistics wants a three-month pilot for two entities before committing to the full rollout. Can we price the pilot at the Registered discount and credit it against the first year if they sign?',
	(SELECT created_at FROM threads WHERE id = @t) + INTERVAL 0 HOUR
FROM DUAL WHERE NOT EXISTS (SELECT 1 FROM posts
	WHERE thread_id = @t AND author_id = @u_dtan AND is_first = 1 AND body = 'Lion City Logistics wants a three-month pilot for two entities before committing to the full rollout. Can we price the pilot at the Registered discount and credit it against the first year if they sign?');
INSERT INTO posts (thread_id, community_id, author_id, is_first, body, created_at)
SELECT @t, @c_meridian_halvard, @u_mokafor, 0,
	'Yes, as long as the deal is registered before the pilot starts. I have noted it on the registration.',
	(SELECT created_at FROM threads WHERE id = @t) + INTERVAL 3 HOUR
FROM DUAL WHERE NOT EXISTS (SELECT 1 FROM posts
	WHERE thread_id = @t AND author_id = @u_mokafor AND is_first = 0 AND body = 'Yes, as long as the deal is registered before the pilot starts. I have noted it on the registration.');
SET @p = (SELECT id FROM posts WHERE thread_id = @t AND author_id = @u_mokafor
	AND is_first = 0 AND body = 'Yes, as long as the deal is registered before the pilot starts. I have noted it on the registration.');
INSERT INTO notifications (user_id, kind, community_id, thread_id,
	post_id, actor_id, created_at)
SELECT @u_dtan, 'reply', @c_meridian_halvard, @t, @p, @u_mokafor, created_at FROM posts WHERE id = @p
	AND NOT EXISTS (SELECT 1 FROM notifications WHERE user_id = @u_dtan
	AND kind = 'reply' AND post_id = @p);
INSERT IGNORE INTO kudos (post_id, user_id, community_id, created_at) VALUES
	(@p, @u_dtan, @c_meridian_halvard, (SELECT created_at FROM posts WHERE id = @p) + INTERVAL 1 HOUR);
INSERT INTO posts (thread_id, community_id, author_id, is_first, body, created_at)
SELECT @t, @c_meridian_halvard, @u_bfarrell, 0,
	'I will prepare the pilot statement of work with the two entities and the data migration scope.',
	(SELECT created_at FROM threads WHERE id = @t) + INTERVAL 25 HOUR
FROM DUAL WHERE NOT EXISTS (SELECT 1 FROM posts
	WHERE thread_id = @t AND author_id = @u_bfarrell AND is_first = 0 AND body = 'I will prepare the pilot statement of work with the two entities and the data migration scope.');

-- meridian-halvard: Direct bank feeds in Singapore
INSERT INTO threads (community_id, author_id, title, pinned, featured,
	created_at, last_post_at, last_post_by)
SELECT @c_meridian_halvard, @u_rkumar, 'Direct bank feeds in Singapore', 0, 0,
	NOW() - INTERVAL 30 HOUR, NOW() - INTERVAL 30 HOUR, @u_rkumar
FROM DUAL WHERE NOT EXISTS (SELECT 1 FROM threads
	WHERE community_id = @c_meridian_halvard AND title = 'Direct bank feeds in Singapore');
SET @t = (SELECT id FROM threads WHERE community_id = @c_meridian_halvard AND title = 'Direct bank feeds in Singapore');
INSERT INTO posts (thread_id, community_id, author_id, is_first, body, created_at)
SELECT @t, @c_meridian_halvard, @u_rkumar, 1,
	'Which Singapore banks have a direct Ledgerflow bank feed today? One prospect uses two local banks and a regional one.',
	(SELECT created_at FROM threads WHERE id = @t) + INTERVAL 0 HOUR
FROM DUAL WHERE NOT EXISTS (SELECT 1 FROM posts
	WHERE thread_id = @t AND author_id = @u_rkumar AND is_first = 1 AND body = 'Which Singapore banks have a direct Ledgerflow bank feed today? One prospect uses two local banks and a regional one.');
INSERT INTO posts (thread_id, community_id, author_id, is_first, body, created_at)
SELECT @t, @c_meridian_halvard, @u_mokafor, 0,
	'Direct feeds: DBS and OCBC today, UOB from Q2. Every other bank works through the CAMT.053 file import that came with 7.2.',
	(SELECT created_at FROM threads WHERE id = @t) + INTERVAL 3 HOUR
FROM DUAL WHERE NOT EXISTS (SELECT 1 FROM posts
	WHERE thread_id = @t AND author_id = @u_mokafor AND is_first = 0 AND body = 'Direct feeds: DBS and OCBC today, UOB from Q2. Every other bank works through the CAMT.053 file import that came with 7.2.');

-- Counters the discussion pages read instead of counting (0010): replies,
-- last post, kudos, and each member's posts.  Recomputed for the demo
-- communities only, so loading this file again leaves them right.
SET @demo = CONCAT_WS(',', @c_halvard_partner_network, @c_kestrel_cloud_halvard,
	@c_meridian_halvard);
UPDATE threads t JOIN (
	SELECT p.thread_id, COUNT(*) - 1 AS replies, MAX(p.created_at) AS last_at
	FROM posts p WHERE p.status = 'visible' GROUP BY p.thread_id) s
	ON s.thread_id = t.id
SET t.reply_count = s.replies, t.last_post_at = s.last_at,
	t.last_post_by = (SELECT p2.author_id FROM posts p2
	    WHERE p2.thread_id = t.id AND p2.status = 'visible'
	    ORDER BY p2.created_at DESC, p2.id DESC LIMIT 1)
WHERE FIND_IN_SET(t.community_id, @demo);
UPDATE posts p SET p.kudos_count =
	(SELECT COUNT(*) FROM kudos k WHERE k.post_id = p.id)
WHERE FIND_IN_SET(p.community_id, @demo);
UPDATE community_members m SET m.posts =
	(SELECT COUNT(*) FROM posts p WHERE p.community_id = m.community_id
	    AND p.author_id = m.user_id AND p.status = 'visible')
WHERE FIND_IN_SET(m.community_id, @demo);
