-- 0003_users.sql - partner users and vendor staff, created just in time
-- at their first sign-in from the identity source that proved who they are
-- (LDAP, OpenID Connect or the web server's SSO).  The organisation comes
-- from the identity source, never from user input.  A disabled user stays
-- disabled whatever the identity source says later: only an administrator
-- (or the lifecycle module) changes status.

CREATE TABLE users (
	id		BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
	source		ENUM('ldap', 'oidc', 'header') NOT NULL,
	-- The LDAP entry DN, "issuer subject" for OIDC, or the web server's
	-- REMOTE_USER: stable for the life of the account at its source.
	external_id	VARCHAR(512) NOT NULL,
	login		VARCHAR(255) NOT NULL,
	name		VARCHAR(255) NOT NULL DEFAULT '',
	email		VARCHAR(255) NOT NULL DEFAULT '',
	organisation_id	INT UNSIGNED NULL,
	status		ENUM('active', 'disabled') NOT NULL DEFAULT 'active',
	disabled_reason	VARCHAR(255) NULL,
	disabled_at	DATETIME NULL,
	created_at	DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
	last_login_at	DATETIME NULL,
	last_seen_at	DATETIME NULL,
	PRIMARY KEY (id),
	UNIQUE KEY users_external (source, external_id),
	KEY users_login (login),
	KEY users_organisation (organisation_id, status),
	KEY users_status (status, last_seen_at),
	CONSTRAINT users_organisation FOREIGN KEY (organisation_id)
	    REFERENCES organisations (id) ON DELETE RESTRICT
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The groups the identity source reported at the last sign-in or sync,
-- with when that was; group_hash indexes names too long for a key.
CREATE TABLE user_groups (
	user_id		BIGINT UNSIGNED NOT NULL,
	source		ENUM('ldap', 'oidc', 'header') NOT NULL,
	group_hash	BINARY(32) NOT NULL,
	group_name	VARCHAR(1024) NOT NULL,
	confirmed_at	DATETIME NOT NULL,
	PRIMARY KEY (user_id, source, group_hash),
	CONSTRAINT user_groups_user FOREIGN KEY (user_id)
	    REFERENCES users (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Roles with their provenance: a directory grant (source ldap/oidc/header,
-- via_group says which mapped group) is added and removed only by sign-in
-- and sync from that source; a manual grant only by an administrator.
CREATE TABLE user_roles (
	user_id		BIGINT UNSIGNED NOT NULL,
	role		ENUM('partner_user', 'partner_admin', 'channel_manager',
			    'content_manager', 'moderator', 'portal_admin')
			    NOT NULL,
	source		ENUM('ldap', 'oidc', 'header', 'manual') NOT NULL,
	via_group	VARCHAR(1024) NULL,
	confirmed_at	DATETIME NOT NULL,
	PRIMARY KEY (user_id, role, source),
	CONSTRAINT user_roles_user FOREIGN KEY (user_id)
	    REFERENCES users (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
