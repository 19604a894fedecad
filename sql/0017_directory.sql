-- 0017_directory.sql - what the partner directory (modules/partner_directory.c)
-- searches beyond names, regions, industries and tiers: areas of expertise
-- of organisations and of people, a person's job title and an
-- organisation's short description.
--
-- Who may find whom is not stored here: it follows from community
-- memberships (0010, 0007) and competitor conflicts (0010), decided by the
-- directory's one SQL predicate at read time.

-- The vocabulary the directory filters by (one list, so "AP automation"
-- and "Accounts payable automation" are not two areas).
CREATE TABLE expertise_areas (
	id		SMALLINT UNSIGNED NOT NULL AUTO_INCREMENT,
	slug		VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
	name		VARCHAR(128) NOT NULL,
	PRIMARY KEY (id),
	UNIQUE KEY expertise_areas_slug (slug),
	CONSTRAINT expertise_areas_slug_chars CHECK (slug REGEXP '^[a-z0-9-]+$')
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE organisation_expertise (
	organisation_id	INT UNSIGNED NOT NULL,
	expertise_id	SMALLINT UNSIGNED NOT NULL,
	PRIMARY KEY (organisation_id, expertise_id),
	KEY organisation_expertise_area (expertise_id, organisation_id),
	CONSTRAINT organisation_expertise_org FOREIGN KEY (organisation_id)
	    REFERENCES organisations (id) ON DELETE CASCADE,
	CONSTRAINT organisation_expertise_area FOREIGN KEY (expertise_id)
	    REFERENCES expertise_areas (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE user_expertise (
	user_id		BIGINT UNSIGNED NOT NULL,
	expertise_id	SMALLINT UNSIGNED NOT NULL,
	PRIMARY KEY (user_id, expertise_id),
	KEY user_expertise_area (expertise_id, user_id),
	CONSTRAINT user_expertise_user FOREIGN KEY (user_id)
	    REFERENCES users (id) ON DELETE CASCADE,
	CONSTRAINT user_expertise_area FOREIGN KEY (expertise_id)
	    REFERENCES expertise_areas (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- A person's directory card.  The identity source owns name, email and
-- organisation (users); this is what the person or an administrator adds.
CREATE TABLE user_profiles (
	user_id		BIGINT UNSIGNED NOT NULL,
	job_title	VARCHAR(128) NOT NULL DEFAULT '',
	PRIMARY KEY (user_id),
	CONSTRAINT user_profiles_user FOREIGN KEY (user_id)
	    REFERENCES users (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

ALTER TABLE organisations
	ADD COLUMN summary VARCHAR(1000) NOT NULL DEFAULT '';

-- The directory lists people by name, a page at a time (keyset on name, id).
ALTER TABLE users
	ADD KEY users_directory (name, id);
