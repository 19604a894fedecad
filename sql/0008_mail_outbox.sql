-- 0008_mail_outbox.sql - outbound email: one row per message, written by
-- pt_mail_queue() (modules/mail.c) and delivered by `porticoctl mail send`.
--
-- status: queued (waiting for next_attempt_at), sending (claimed by one
-- sender; the claim is the UPDATE ... WHERE status = 'queued' that only one
-- sender can win), sent, failed (permanent 5xx or max_attempts reached),
-- uncertain (a sender died while the message was in 'sending': it may or
-- may not have been delivered, so it is never resent automatically).
-- Times are UTC.  dedup_key, when set, makes queueing idempotent.

CREATE TABLE mail_outbox (
	id		BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
	to_address	VARCHAR(254) NOT NULL,
	to_name		VARCHAR(255) NOT NULL DEFAULT '',
	subject		VARCHAR(998) NOT NULL,
	body		MEDIUMTEXT NOT NULL,
	template	VARCHAR(255) NOT NULL,
	status		ENUM('queued', 'sending', 'sent', 'failed', 'uncertain')
			    NOT NULL DEFAULT 'queued',
	attempts	INT UNSIGNED NOT NULL DEFAULT 0,
	next_attempt_at	DATETIME NOT NULL,
	claimed_at	DATETIME NULL,
	last_error	VARCHAR(1024) NOT NULL DEFAULT '',
	created_at	DATETIME NOT NULL,
	sent_at		DATETIME NULL,
	message_id	VARCHAR(255) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
	dedup_key	VARCHAR(191) CHARACTER SET ascii COLLATE ascii_bin NULL,
	PRIMARY KEY (id),
	UNIQUE KEY mail_outbox_message_id (message_id),
	UNIQUE KEY mail_outbox_dedup (dedup_key),
	KEY mail_outbox_due (status, next_attempt_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
