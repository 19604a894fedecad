-- 0009_lifecycle.sql - access lifecycle (modules/lifecycle.c): the dates
-- after which an account or a whole organisation loses access, exemptions,
-- and the warnings already sent, so that `porticoctl lifecycle run` is
-- idempotent and never warns twice about one deadline.
--
-- users.valid_until / organisations.access_valid_until: fixed terms (e.g.
-- the end of a partner contract); NULL for none.
-- users.lifecycle_rule / lifecycle_disabled_at: set when the lifecycle
-- disabled the account; the account is deleted after the grace period only
-- while disabled_at still equals lifecycle_disabled_at (an administrator
-- who re-enables and later disables it by hand takes it out of the sweep).
-- users.deleted_at: personal data removed (the row stays, so authored
-- content keeps its author id; name says "former member of <org>").
-- users.lifecycle_todo: 1 disabled, 2 deleted by the batch in progress;
-- set and cleared inside one transaction, so 0 between batches.

ALTER TABLE users
	ADD COLUMN valid_until DATETIME NULL,
	ADD COLUMN lifecycle_rule ENUM('inactivity', 'term', 'org_term') NULL,
	ADD COLUMN lifecycle_disabled_at DATETIME NULL,
	ADD COLUMN deleted_at DATETIME NULL,
	ADD COLUMN lifecycle_todo TINYINT UNSIGNED NOT NULL DEFAULT 0,
	ADD KEY users_valid_until (valid_until),
	ADD KEY users_lifecycle_todo (lifecycle_todo),
	ADD KEY users_lifecycle_disabled (lifecycle_disabled_at);

ALTER TABLE organisations
	ADD COLUMN access_valid_until DATETIME NULL,
	ADD KEY organisations_access_valid_until (access_valid_until);

-- Accounts the sweep never touches (break-glass admins, ...), and why.
CREATE TABLE lifecycle_exemptions (
	user_id		BIGINT UNSIGNED NOT NULL,
	reason		VARCHAR(255) NOT NULL,
	exempted_by	BIGINT UNSIGNED NULL,	-- NULL: set up by an operator
	exempted_at	DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
	PRIMARY KEY (user_id),
	CONSTRAINT lifecycle_exemptions_user FOREIGN KEY (user_id)
	    REFERENCES users (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- One row per warning: stage is the offset in days before the deadline
-- ([lifecycle] warn_days).  A new deadline (the user signed in, or the term
-- was extended) is a new row.  sent_at is NULL only inside the batch that
-- inserts the row (the mail is queued and the audit row written before the
-- batch commits).
CREATE TABLE lifecycle_warnings (
	id		BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
	user_id		BIGINT UNSIGNED NOT NULL,
	rule		ENUM('inactivity', 'term', 'org_term') NOT NULL,
	stage		SMALLINT UNSIGNED NOT NULL,
	deadline	DATETIME NOT NULL,
	reason		VARCHAR(255) NOT NULL,
	sent_at		DATETIME NULL,
	PRIMARY KEY (id),
	UNIQUE KEY lifecycle_warnings_once (user_id, rule, stage, deadline),
	KEY lifecycle_warnings_pending (sent_at),
	CONSTRAINT lifecycle_warnings_user FOREIGN KEY (user_id)
	    REFERENCES users (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Every running clock of every active, not deleted account: base is when
-- it started; the deadline is base + scaled * [lifecycle] inactivity_days
-- days (scaled = 0 for fixed terms, whose base is the deadline itself).
CREATE VIEW lifecycle_clock AS
	SELECT u.id AS user_id, 'inactivity' AS rule,
	    COALESCE(u.last_seen_at, u.last_login_at, u.created_at) AS base,
	    1 AS scaled
	FROM users u
	WHERE u.status = 'active' AND u.deleted_at IS NULL
	UNION ALL
	SELECT u.id, 'term', u.valid_until, 0
	FROM users u
	WHERE u.status = 'active' AND u.deleted_at IS NULL
	    AND u.valid_until IS NOT NULL
	UNION ALL
	SELECT u.id, 'org_term', o.access_valid_until, 0
	FROM users u JOIN organisations o ON o.id = u.organisation_id
	WHERE u.status = 'active' AND u.deleted_at IS NULL
	    AND o.access_valid_until IS NOT NULL;
