-- 0002_organisations.sql - the companies Portico knows: the vendor that
-- runs the program and its partners.  A partner has a type and, once
-- admitted, a tier.  Forward-only: change it in a new file.

CREATE TABLE organisations (
	id		INT UNSIGNED NOT NULL AUTO_INCREMENT,
	slug		VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
	name		VARCHAR(128) NOT NULL,
	kind		ENUM('vendor', 'partner') NOT NULL,
	partner_type	ENUM('reseller', 'integrator', 'distributor', 'msp',
			    'isv', 'referral') NULL,
	tier_id		SMALLINT UNSIGNED NULL,
	region		VARCHAR(32) NULL,	-- EMEA, North America, LATAM, APAC
	country		CHAR(2) CHARACTER SET ascii COLLATE ascii_bin NULL, -- ISO 3166-1
	industry	VARCHAR(64) NULL,
	created_at	DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
	updated_at	DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
			    ON UPDATE CURRENT_TIMESTAMP,
	PRIMARY KEY (id),
	UNIQUE KEY organisations_slug (slug),
	-- Partner lists: by tier, by kind, filtered by region or industry.
	KEY organisations_tier (tier_id, name),
	KEY organisations_kind (kind, name),
	KEY organisations_region (region, country),
	KEY organisations_industry (industry),
	CONSTRAINT organisations_tier FOREIGN KEY (tier_id)
	    REFERENCES program_tiers (id) ON DELETE RESTRICT,
	CONSTRAINT organisations_slug_chars
	    CHECK (slug REGEXP '^[a-z0-9-]+$'),
	CONSTRAINT organisations_country_code
	    CHECK (country IS NULL OR country REGEXP '^[A-Z]{2}$'),
	-- Only partners have a partner type or a tier.
	CONSTRAINT organisations_vendor_no_tier
	    CHECK (kind = 'partner' OR (partner_type IS NULL AND tier_id IS NULL))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
