-- 0006_audit.sql - who did what to which account, and why: sign-ins,
-- refusals, sessions ended, roles granted or removed by the directory.
-- Append-only; later modules (lifecycle, communities) write here too.

CREATE TABLE audit_log (
	id		BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
	at		DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
	actor_user_id	BIGINT UNSIGNED NULL,	-- NULL: the system
	action		VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
	subject_user_id	BIGINT UNSIGNED NULL,
	detail		VARCHAR(1024) NOT NULL DEFAULT '',
	request_id	VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL DEFAULT '',
	PRIMARY KEY (id),
	KEY audit_log_at (at),
	KEY audit_log_subject (subject_user_id, at),
	KEY audit_log_action (action, at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
