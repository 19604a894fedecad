-- 0005_login_safety.sql - state that must be shared by every worker on
-- every host for sign-in to be safe: failure counters for throttling, the
-- OpenID Connect logins in progress (state, nonce and PKCE verifier, bound
-- to the browser), and back-channel logout token ids already used.

CREATE TABLE login_throttle (
	scope		ENUM('account', 'address') NOT NULL,
	key_hash	BINARY(32) NOT NULL,
	window_start	DATETIME NOT NULL,
	failures	INT UNSIGNED NOT NULL,
	PRIMARY KEY (scope, key_hash),
	KEY login_throttle_window (window_start)
) ENGINE=InnoDB;

CREATE TABLE auth_pending (
	state_hash	BINARY(32) NOT NULL,
	browser_hash	BINARY(32) NOT NULL,
	nonce		VARCHAR(128) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
	verifier	VARCHAR(128) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
	return_to	VARCHAR(2048) NOT NULL DEFAULT '/',
	created_at	DATETIME NOT NULL,
	PRIMARY KEY (state_hash),
	KEY auth_pending_created (created_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE oidc_logout_jti (
	jti_hash	BINARY(32) NOT NULL,
	seen_at		DATETIME NOT NULL,
	PRIMARY KEY (jti_hash),
	KEY oidc_logout_jti_seen (seen_at)
) ENGINE=InnoDB;
