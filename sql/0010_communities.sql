-- 0010_communities.sql - communities, who belongs to them, and what is said
-- in them: memberships with provenance, invitations, join requests,
-- competitor conflict sets, threads and posts with their history, kudos,
-- reports, the moderation log, in-app notifications and feed tokens.
--
-- Who may see a community is decided in one place, the predicate of
-- modules/communities/access.c (pt_comm_visible and its SQL fragment);
-- every table below that belongs to a community carries community_id so
-- that predicate can be applied without a join through threads.

CREATE TABLE communities (
	id		INT UNSIGNED NOT NULL AUTO_INCREMENT,
	slug		VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
	name		VARCHAR(128) NOT NULL,
	description	TEXT NOT NULL,
	-- listed: in the list for every signed-in user; unlisted: only
	-- members (and people holding an invitation) know of it; secret:
	-- as unlisted, and its name is never shown to non-members, not even
	-- on an invitation page of a revoked invitation.
	visibility	ENUM('listed', 'unlisted', 'secret') NOT NULL,
	join_policy	ENUM('open', 'request', 'invitation') NOT NULL,
	-- Private communities keep competing partners apart.  A non-private
	-- community with join_policy 'open' can be read by every signed-in
	-- user; everything else only by its members.
	private		BOOLEAN NOT NULL DEFAULT FALSE,
	-- The first N posts of a new member are held for review (0: none).
	hold_first_posts SMALLINT UNSIGNED NOT NULL DEFAULT 0,
	created_by	BIGINT UNSIGNED NULL,
	created_at	DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
	archived_at	DATETIME NULL,
	PRIMARY KEY (id),
	UNIQUE KEY communities_slug (slug),
	KEY communities_listing (visibility, name),
	CONSTRAINT communities_slug_chars CHECK (slug REGEXP '^[a-z0-9-]+$'),
	CONSTRAINT communities_private_closed CHECK (NOT private OR
	    (join_policy = 'invitation' AND visibility <> 'listed'))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Memberships granted inside the portal.  Memberships granted by a
-- directory group live in directory_memberships (0007, keyed by slug) and
-- count equally; a manager cannot remove those (IT owns them), and a
-- directory removal ends them at the next sign-in or sync.
CREATE TABLE community_members (
	community_id	INT UNSIGNED NOT NULL,
	user_id		BIGINT UNSIGNED NOT NULL,
	role		ENUM('member', 'manager') NOT NULL DEFAULT 'member',
	source		ENUM('creator', 'invitation', 'request', 'manager',
			    'open') NOT NULL,
	added_by	BIGINT UNSIGNED NULL,
	joined_at	DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
	-- Posts made since joining, for hold_first_posts.
	posts		INT UNSIGNED NOT NULL DEFAULT 0,
	PRIMARY KEY (community_id, user_id),
	KEY community_members_user (user_id, community_id),
	CONSTRAINT community_members_community FOREIGN KEY (community_id)
	    REFERENCES communities (id) ON DELETE CASCADE,
	CONSTRAINT community_members_user FOREIGN KEY (user_id)
	    REFERENCES users (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Invitations to a named user or an email address.  Only the SHA-256 of
-- the link's token is stored; a resend supersedes the previous row.
-- expires_at is set from [lifecycle] invitation_days at creation; the
-- lifecycle sweep marks unredeemed ones 'expired' and audits them.
CREATE TABLE community_invitations (
	id		BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
	community_id	INT UNSIGNED NOT NULL,
	token_hash	BINARY(32) NOT NULL,
	invitee_user_id	BIGINT UNSIGNED NULL,
	invitee_email	VARCHAR(255) NULL,
	invited_by	BIGINT UNSIGNED NOT NULL,
	created_at	DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
	expires_at	DATETIME NOT NULL,
	status		ENUM('pending', 'accepted', 'revoked', 'expired',
			    'superseded') NOT NULL DEFAULT 'pending',
	decided_at	DATETIME NULL,
	redeemed_by	BIGINT UNSIGNED NULL,
	-- Set when the manager overrode a competitor conflict.
	override_reason	VARCHAR(512) NULL,
	PRIMARY KEY (id),
	UNIQUE KEY community_invitations_token (token_hash),
	KEY community_invitations_community (community_id, status),
	KEY community_invitations_user (invitee_user_id, status),
	KEY community_invitations_email (invitee_email, status),
	KEY community_invitations_expiry (status, expires_at),
	CONSTRAINT community_invitations_community FOREIGN KEY (community_id)
	    REFERENCES communities (id) ON DELETE CASCADE,
	CONSTRAINT community_invitations_invitee CHECK
	    (invitee_user_id IS NOT NULL OR invitee_email IS NOT NULL)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE community_join_requests (
	id		BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
	community_id	INT UNSIGNED NOT NULL,
	user_id		BIGINT UNSIGNED NOT NULL,
	message		VARCHAR(1000) NOT NULL DEFAULT '',
	status		ENUM('pending', 'approved', 'declined', 'withdrawn')
			    NOT NULL DEFAULT 'pending',
	created_at	DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
	decided_by	BIGINT UNSIGNED NULL,
	decided_at	DATETIME NULL,
	override_reason	VARCHAR(512) NULL,
	PRIMARY KEY (id),
	KEY community_join_requests_queue (community_id, status, created_at),
	KEY community_join_requests_user (user_id, status),
	CONSTRAINT community_join_requests_community FOREIGN KEY (community_id)
	    REFERENCES communities (id) ON DELETE CASCADE,
	CONSTRAINT community_join_requests_user FOREIGN KEY (user_id)
	    REFERENCES users (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Competitor conflict sets, declared by a portal admin: a pair is stored
-- once, lower organisation id first.
CREATE TABLE organisation_conflicts (
	org_a		INT UNSIGNED NOT NULL,
	org_b		INT UNSIGNED NOT NULL,
	reason		VARCHAR(512) NOT NULL DEFAULT '',
	created_by	BIGINT UNSIGNED NULL,
	created_at	DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
	PRIMARY KEY (org_a, org_b),
	KEY organisation_conflicts_b (org_b, org_a),
	CONSTRAINT organisation_conflicts_a FOREIGN KEY (org_a)
	    REFERENCES organisations (id) ON DELETE CASCADE,
	CONSTRAINT organisation_conflicts_bb FOREIGN KEY (org_b)
	    REFERENCES organisations (id) ON DELETE CASCADE,
	CONSTRAINT organisation_conflicts_order CHECK (org_a < org_b)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- A thread is its title plus posts; the first post is the thread's body.
-- Counters are kept by the code that inserts posts, so a community page
-- lists threads with one query and no per-thread query.
CREATE TABLE threads (
	id		BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
	community_id	INT UNSIGNED NOT NULL,
	author_id	BIGINT UNSIGNED NOT NULL,
	title		VARCHAR(200) NOT NULL,
	status		ENUM('visible', 'held', 'hidden', 'deleted')
			    NOT NULL DEFAULT 'visible',
	locked		BOOLEAN NOT NULL DEFAULT FALSE,
	pinned		BOOLEAN NOT NULL DEFAULT FALSE,
	featured	BOOLEAN NOT NULL DEFAULT FALSE,
	reply_count	INT UNSIGNED NOT NULL DEFAULT 0,
	created_at	DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
	last_post_at	DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
	last_post_by	BIGINT UNSIGNED NULL,
	PRIMARY KEY (id),
	-- The community page: pinned first, then by activity (keyset).
	KEY threads_listing (community_id, status, pinned, last_post_at, id),
	KEY threads_author (author_id),
	CONSTRAINT threads_community FOREIGN KEY (community_id)
	    REFERENCES communities (id) ON DELETE CASCADE,
	CONSTRAINT threads_author FOREIGN KEY (author_id)
	    REFERENCES users (id) ON DELETE RESTRICT
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Posts carry community_id too (kept equal to their thread's: a move
-- updates both in one transaction) so visibility needs no join.
CREATE TABLE posts (
	id		BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
	thread_id	BIGINT UNSIGNED NOT NULL,
	community_id	INT UNSIGNED NOT NULL,
	author_id	BIGINT UNSIGNED NOT NULL,
	is_first	BOOLEAN NOT NULL DEFAULT FALSE,
	body		MEDIUMTEXT NOT NULL,	-- the author's source text
	status		ENUM('visible', 'held', 'hidden', 'deleted')
			    NOT NULL DEFAULT 'visible',
	status_reason	VARCHAR(512) NULL,
	kudos_count	INT UNSIGNED NOT NULL DEFAULT 0,
	created_at	DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
	edited_at	DATETIME(6) NULL,
	edit_count	SMALLINT UNSIGNED NOT NULL DEFAULT 0,
	PRIMARY KEY (id),
	KEY posts_thread (thread_id, id),
	KEY posts_community (community_id, status, created_at),
	KEY posts_author (author_id, community_id, status),
	CONSTRAINT posts_thread FOREIGN KEY (thread_id)
	    REFERENCES threads (id) ON DELETE CASCADE,
	CONSTRAINT posts_community FOREIGN KEY (community_id)
	    REFERENCES communities (id) ON DELETE CASCADE,
	CONSTRAINT posts_author FOREIGN KEY (author_id)
	    REFERENCES users (id) ON DELETE RESTRICT
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Every earlier text of an edited post (moderators see the history).
CREATE TABLE post_revisions (
	post_id		BIGINT UNSIGNED NOT NULL,
	rev		SMALLINT UNSIGNED NOT NULL,
	title		VARCHAR(200) NULL,	-- first posts: the thread title
	body		MEDIUMTEXT NOT NULL,
	edited_by	BIGINT UNSIGNED NOT NULL,
	replaced_at	DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
	PRIMARY KEY (post_id, rev),
	CONSTRAINT post_revisions_post FOREIGN KEY (post_id)
	    REFERENCES posts (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE kudos (
	post_id		BIGINT UNSIGNED NOT NULL,
	user_id		BIGINT UNSIGNED NOT NULL,
	community_id	INT UNSIGNED NOT NULL,
	created_at	DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
	PRIMARY KEY (post_id, user_id),
	KEY kudos_community (community_id),
	CONSTRAINT kudos_post FOREIGN KEY (post_id)
	    REFERENCES posts (id) ON DELETE CASCADE,
	CONSTRAINT kudos_user FOREIGN KEY (user_id)
	    REFERENCES users (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE post_reports (
	id		BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
	post_id		BIGINT UNSIGNED NOT NULL,
	community_id	INT UNSIGNED NOT NULL,
	reporter_id	BIGINT UNSIGNED NOT NULL,
	reason		VARCHAR(1000) NOT NULL,
	created_at	DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
	resolved_by	BIGINT UNSIGNED NULL,
	resolved_at	DATETIME NULL,
	resolution	VARCHAR(64) NULL,
	PRIMARY KEY (id),
	UNIQUE KEY post_reports_once (post_id, reporter_id),
	KEY post_reports_queue (community_id, resolved_at, created_at),
	CONSTRAINT post_reports_post FOREIGN KEY (post_id)
	    REFERENCES posts (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Who did what, when and why, for every moderation and membership action.
CREATE TABLE moderation_log (
	id		BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
	community_id	INT UNSIGNED NOT NULL,
	thread_id	BIGINT UNSIGNED NULL,
	post_id		BIGINT UNSIGNED NULL,
	subject_user_id	BIGINT UNSIGNED NULL,
	actor_id	BIGINT UNSIGNED NOT NULL,
	action		VARCHAR(32) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
	reason		VARCHAR(1000) NOT NULL DEFAULT '',
	at		DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
	PRIMARY KEY (id),
	KEY moderation_log_community (community_id, at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- In-app notifications.  Visibility is checked again when they are read:
-- a notification from a community the reader has left is never shown.
CREATE TABLE notifications (
	id		BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
	user_id		BIGINT UNSIGNED NOT NULL,
	kind		VARCHAR(32) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
	community_id	INT UNSIGNED NULL,
	thread_id	BIGINT UNSIGNED NULL,
	post_id		BIGINT UNSIGNED NULL,
	-- Other subjects (e.g. a collateral item) by kind.
	object_id	BIGINT UNSIGNED NULL,
	actor_id	BIGINT UNSIGNED NULL,
	created_at	DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
	read_at		DATETIME NULL,
	PRIMARY KEY (id),
	UNIQUE KEY notifications_once (user_id, kind, post_id, object_id),
	KEY notifications_inbox (user_id, read_at, id),
	CONSTRAINT notifications_user FOREIGN KEY (user_id)
	    REFERENCES users (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Per-user tokens for feed readers that cannot send the session cookie.
-- Only the hash is stored; revoking replaces it.  One row per user.
CREATE TABLE feed_tokens (
	user_id		BIGINT UNSIGNED NOT NULL,
	token_hash	BINARY(32) NOT NULL,
	created_at	DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
	PRIMARY KEY (user_id),
	UNIQUE KEY feed_tokens_hash (token_hash),
	CONSTRAINT feed_tokens_user FOREIGN KEY (user_id)
	    REFERENCES users (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
