-- 0004_sessions.sql - sign-in sessions.  The browser holds a random
-- token; only its SHA-256 is stored, so a leaked table cannot be replayed.
-- A session ends by setting ended_at (never by deleting the row, which
-- keeps "active sessions" and the audit readable); every request checks it,
-- so a revocation reaches every worker on every host at once.

CREATE TABLE sessions (
	id		BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
	token_hash	BINARY(32) NOT NULL,
	user_id		BIGINT UNSIGNED NOT NULL,
	method		ENUM('ldap', 'oidc', 'header') NOT NULL,
	-- The OpenID provider's session id, for back-channel logout.
	idp_sid		VARCHAR(255) NULL,
	created_at	DATETIME NOT NULL,
	last_seen_at	DATETIME NOT NULL,
	expires_at	DATETIME NOT NULL,
	ended_at	DATETIME NULL,
	end_reason	VARCHAR(64) NULL,
	client_addr	VARCHAR(64) NOT NULL DEFAULT '',
	user_agent	VARCHAR(255) NOT NULL DEFAULT '',
	PRIMARY KEY (id),
	UNIQUE KEY sessions_token (token_hash),
	KEY sessions_user (user_id, ended_at),
	KEY sessions_idp (idp_sid),
	CONSTRAINT sessions_user FOREIGN KEY (user_id)
	    REFERENCES users (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
