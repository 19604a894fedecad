-- 0011_lifecycle_attestation.sql - the second slice of the access
-- lifecycle (modules/lifecycle.c, modules/lifecycle_admin.c,
-- modules/auth/directory.c): directory deprovisioning, sponsor
-- attestation, group exemptions.
--
-- users.lifecycle_rule gains 'directory' (sync-directory disabled the
-- account: gone from the directory, or in no group that grants access) and
-- 'attestation' (the organisation's roster was not confirmed by its
-- deadline, or the user was removed at attestation).
-- users.attested_at: when the organisation's partner admin or sponsor last
-- kept this user on the roster (or an administrator re-enabled them).
-- users.lifecycle_seen: COALESCE(last_seen_at, last_login_at, created_at).
-- organisations.sponsor_user_id: the vendor's channel manager who answers
-- for the partner; organisations.attested_at: the last roster
-- confirmation.  The attestation deadline of a partner organisation is
-- COALESCE(attested_at, created_at) + [lifecycle] attestation_days; at the
-- deadline its active users not kept since the cycle began
-- (users.attested_at < that base, or NULL) are disabled.

ALTER TABLE users
	MODIFY COLUMN lifecycle_rule ENUM('inactivity', 'term', 'org_term',
	    'directory', 'attestation') NULL,
	ADD COLUMN attested_at DATETIME NULL,
	-- The start of the inactivity clock, indexed so that the sweep finds
	-- the accounts due with a range scan instead of reading them all.
	ADD COLUMN lifecycle_seen DATETIME AS
	    (COALESCE(last_seen_at, last_login_at, created_at)) VIRTUAL,
	ADD KEY users_lifecycle_seen (status, lifecycle_seen);

ALTER TABLE lifecycle_warnings
	MODIFY COLUMN rule ENUM('inactivity', 'term', 'org_term',
	    'directory', 'attestation') NOT NULL;

ALTER TABLE organisations
	ADD COLUMN sponsor_user_id BIGINT UNSIGNED NULL,
	ADD COLUMN attested_at DATETIME NULL,
	ADD KEY organisations_sponsor (sponsor_user_id);

-- Directory groups whose members the sweep never touches (break-glass
-- admins, ...).  group_name is the group exactly as the identity source
-- reports it (user_groups.group_name: an LDAP DN or an OIDC group value);
-- group_hash is its SHA-256, matched against user_groups.group_hash.
CREATE TABLE lifecycle_group_exemptions (
	id		INT UNSIGNED NOT NULL AUTO_INCREMENT,
	group_hash	BINARY(32) NOT NULL,
	group_name	VARCHAR(1024) NOT NULL,
	reason		VARCHAR(255) NOT NULL,
	exempted_by	BIGINT UNSIGNED NULL,	-- NULL: set up by an operator
	exempted_at	DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
	PRIMARY KEY (id),
	UNIQUE KEY lifecycle_group_exemptions_hash (group_hash)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE INDEX user_groups_hash ON user_groups (group_hash, user_id);

-- One row per attestation reminder sent: to whom (a partner admin, or the
-- sponsor), for which organisation, stage ([lifecycle]
-- attestation_warn_days) and deadline; like lifecycle_warnings, sent_at is
-- NULL only inside the batch that inserts the row.
CREATE TABLE lifecycle_attestation_reminders (
	id		BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
	organisation_id	INT UNSIGNED NOT NULL,
	user_id		BIGINT UNSIGNED NOT NULL,
	stage		SMALLINT UNSIGNED NOT NULL,
	deadline	DATETIME NOT NULL,
	sponsor		BOOLEAN NOT NULL DEFAULT FALSE,
	sent_at		DATETIME NULL,
	PRIMARY KEY (id),
	UNIQUE KEY lifecycle_attestation_once (organisation_id, stage,
	    deadline, user_id),
	KEY lifecycle_attestation_pending (sent_at),
	CONSTRAINT lifecycle_attestation_org FOREIGN KEY (organisation_id)
	    REFERENCES organisations (id) ON DELETE CASCADE,
	CONSTRAINT lifecycle_attestation_user FOREIGN KEY (user_id)
	    REFERENCES users (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
