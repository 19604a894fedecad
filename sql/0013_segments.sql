-- 0013_segments.sql - segments: named rules over a reader's organisation
-- (tier, type, region, industry, slug) and directory groups, in the rule
-- language of modules/collateral/segments.c; and which segments a
-- collateral item is for (collateral_items.audience = 'segments').
--
-- The rule text is parsed when a segment is saved (a rule that does not
-- parse is refused) and again when a reader's segments are computed, once
-- per request (pt_seg_reader).

CREATE TABLE segments (
	id		INT UNSIGNED NOT NULL AUTO_INCREMENT,
	name		VARCHAR(128) NOT NULL,
	rule		VARCHAR(2048) NOT NULL,
	created_at	DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
	updated_at	DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
			    ON UPDATE CURRENT_TIMESTAMP,
	PRIMARY KEY (id),
	UNIQUE KEY segments_name (name)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE collateral_targets (
	item_id		BIGINT UNSIGNED NOT NULL,
	segment_id	INT UNSIGNED NOT NULL,
	PRIMARY KEY (item_id, segment_id),
	KEY collateral_targets_segment (segment_id),
	CONSTRAINT collateral_targets_item FOREIGN KEY (item_id)
	    REFERENCES collateral_items (id) ON DELETE CASCADE,
	CONSTRAINT collateral_targets_segment FOREIGN KEY (segment_id)
	    REFERENCES segments (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
