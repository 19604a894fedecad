-- 0001_program.sql - the partner program: its one description row, its
-- tiers and what each tier gives and asks.  Read by the public program page
-- (/).  One DDL concern: the program tables, created together because none
-- is useful without the others.  Forward-only: change them in a new file.

-- The program itself.  Always exactly one row, id 1.
CREATE TABLE program (
	id		TINYINT UNSIGNED NOT NULL,
	name		VARCHAR(128) NOT NULL,
	tagline		VARCHAR(255) NOT NULL DEFAULT '',
	intro		TEXT NOT NULL,
	updated_at	DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
			    ON UPDATE CURRENT_TIMESTAMP,
	PRIMARY KEY (id),
	CONSTRAINT program_one_row CHECK (id = 1)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The tiers, in ascending order of position: 1 is the entry tier.  Slugs
-- appear in URLs, so they are ASCII and compared byte for byte (ascii_bin,
-- which also makes the REGEXP check case-sensitive).
CREATE TABLE program_tiers (
	id		SMALLINT UNSIGNED NOT NULL AUTO_INCREMENT,
	slug		VARCHAR(32) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
	name		VARCHAR(64) NOT NULL,
	position	SMALLINT UNSIGNED NOT NULL,
	summary		VARCHAR(1024) NOT NULL DEFAULT '',
	updated_at	DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
			    ON UPDATE CURRENT_TIMESTAMP,
	PRIMARY KEY (id),
	UNIQUE KEY program_tiers_slug (slug),
	UNIQUE KEY program_tiers_position (position),
	CONSTRAINT program_tiers_slug_chars
	    CHECK (slug REGEXP '^[a-z0-9-]+$'),
	CONSTRAINT program_tiers_position_min CHECK (position >= 1)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- What a tier gives (benefit) and asks (requirement), each list in order
-- of position.
CREATE TABLE program_tier_items (
	tier_id		SMALLINT UNSIGNED NOT NULL,
	kind		ENUM('benefit', 'requirement') NOT NULL,
	position	SMALLINT UNSIGNED NOT NULL,
	text		VARCHAR(512) NOT NULL,
	PRIMARY KEY (tier_id, kind, position),
	CONSTRAINT program_tier_items_tier FOREIGN KEY (tier_id)
	    REFERENCES program_tiers (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
