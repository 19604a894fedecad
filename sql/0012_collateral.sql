-- 0012_collateral.sql - the collateral library: items at stable URLs, their
-- versions (content-addressed files, never rewritten), tags, downloads
-- (one row per download, so counts are exact under concurrency) and
-- partners' feedback.
--
-- The stable URL of an item is /collateral/{id}; it always serves
-- current_version_id.  A version's file lives under [collateral]
-- storage_dir at the path derived from sha256 (modules/collateral/
-- storage.c); two versions with the same bytes share one file.
-- Who may see an item: audience and collateral_targets (0013_segments.sql,
-- modules/collateral/segments.h), expires_at and review_at checked at
-- request time by modules/collateral/collateral.c.

CREATE TABLE collateral_items (
	id		BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
	title		VARCHAR(255) NOT NULL,
	description	TEXT NOT NULL,
	kind		ENUM('presentation', 'datasheet', 'price-list',
			    'playbook', 'video', 'case-study', 'whitepaper',
			    'other') NOT NULL DEFAULT 'other',
	language	VARCHAR(16) CHARACTER SET ascii COLLATE ascii_bin
			    NOT NULL DEFAULT 'en',
	product		VARCHAR(64) NOT NULL DEFAULT '',
	owner_id	BIGINT UNSIGNED NULL,
	audience	ENUM('everyone', 'segments') NOT NULL DEFAULT 'everyone',
	-- Past review_at: "needs review" for owners and managers only.
	review_at	DATETIME NOT NULL,
	-- Past expires_at: gone for partners, at once (checked per request).
	expires_at	DATETIME NULL,
	-- Partners may see and download older versions.
	expose_history	BOOLEAN NOT NULL DEFAULT FALSE,
	current_version_id BIGINT UNSIGNED NULL,
	created_at	DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
	-- When the current version changed (the library's "updated" filter
	-- and the feed order), not when metadata was edited.
	updated_at	DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
	PRIMARY KEY (id),
	KEY collateral_items_updated (updated_at, id),
	KEY collateral_items_kind (kind, updated_at),
	KEY collateral_items_owner (owner_id, review_at),
	CONSTRAINT collateral_items_owner FOREIGN KEY (owner_id)
	    REFERENCES users (id) ON DELETE SET NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE collateral_versions (
	id		BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
	item_id		BIGINT UNSIGNED NOT NULL,
	number		INT UNSIGNED NOT NULL,
	sha256		CHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
	size		BIGINT UNSIGNED NOT NULL,
	-- From the allow-list, decided by sniffing (never the client's).
	content_type	VARCHAR(128) CHARACTER SET ascii COLLATE ascii_bin
			    NOT NULL,
	-- The uploader's file name, sanitised; metadata only (the file on
	-- disk is named by sha256).
	filename	VARCHAR(255) NOT NULL,
	uploaded_by	BIGINT UNSIGNED NULL,
	uploaded_at	DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
	-- A restore copies an older version into a new one: its number.
	restored_from	INT UNSIGNED NULL,
	PRIMARY KEY (id),
	UNIQUE KEY collateral_versions_number (item_id, number),
	KEY collateral_versions_sha (sha256),
	CONSTRAINT collateral_versions_item FOREIGN KEY (item_id)
	    REFERENCES collateral_items (id) ON DELETE CASCADE,
	CONSTRAINT collateral_versions_user FOREIGN KEY (uploaded_by)
	    REFERENCES users (id) ON DELETE SET NULL,
	CONSTRAINT collateral_versions_sha_hex
	    CHECK (sha256 REGEXP '^[0-9a-f]{64}$')
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

ALTER TABLE collateral_items ADD CONSTRAINT collateral_items_current
    FOREIGN KEY (current_version_id) REFERENCES collateral_versions (id)
    ON DELETE SET NULL;

CREATE TABLE collateral_tags (
	item_id		BIGINT UNSIGNED NOT NULL,
	tag		VARCHAR(64) NOT NULL,
	PRIMARY KEY (item_id, tag),
	KEY collateral_tags_tag (tag, item_id),
	CONSTRAINT collateral_tags_item FOREIGN KEY (item_id)
	    REFERENCES collateral_items (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- One row per download: an INSERT each, so concurrent downloads are all
-- counted.  Also the source of "a new version of X you downloaded".
CREATE TABLE collateral_downloads (
	id		BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
	user_id		BIGINT UNSIGNED NULL,
	organisation_id	INT UNSIGNED NULL,
	item_id		BIGINT UNSIGNED NOT NULL,
	version_id	BIGINT UNSIGNED NOT NULL,
	downloaded_at	DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
	PRIMARY KEY (id),
	KEY collateral_downloads_user (user_id, item_id, version_id),
	KEY collateral_downloads_item (item_id, downloaded_at),
	KEY collateral_downloads_version (version_id),
	CONSTRAINT collateral_downloads_user FOREIGN KEY (user_id)
	    REFERENCES users (id) ON DELETE SET NULL,
	CONSTRAINT collateral_downloads_org FOREIGN KEY (organisation_id)
	    REFERENCES organisations (id) ON DELETE SET NULL,
	CONSTRAINT collateral_downloads_item FOREIGN KEY (item_id)
	    REFERENCES collateral_items (id) ON DELETE CASCADE,
	CONSTRAINT collateral_downloads_version FOREIGN KEY (version_id)
	    REFERENCES collateral_versions (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- A partner's rating and comment on an item; one per user and item (a
-- second submission replaces the first).  The item's owner sees them.
CREATE TABLE collateral_feedback (
	item_id		BIGINT UNSIGNED NOT NULL,
	user_id		BIGINT UNSIGNED NOT NULL,
	rating		TINYINT UNSIGNED NOT NULL,
	comment		TEXT NOT NULL,
	created_at	DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
	PRIMARY KEY (item_id, user_id),
	CONSTRAINT collateral_feedback_item FOREIGN KEY (item_id)
	    REFERENCES collateral_items (id) ON DELETE CASCADE,
	CONSTRAINT collateral_feedback_user FOREIGN KEY (user_id)
	    REFERENCES users (id) ON DELETE CASCADE,
	CONSTRAINT collateral_feedback_rating CHECK (rating BETWEEN 1 AND 5)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
