-- demo/collateral/items.sql - demo data: the collateral library (issue 5).
-- Not a demo/*.sql file of its own: `porticoctl seed-demo` runs it last,
-- through modules/collateral/demo.c, after it has put every file of this
-- directory into the collateral store with the storage API and listed
-- them in the session's temporary table demo_collateral_files (name,
-- sha256, size, content_type).  So the rows below never name a hash; they
-- name a file, and a file that is not in the store has no version here.
--
-- Loading it again changes nothing: items are found by title, versions by
-- (item, number), segments by name, tags, targets and feedback by their
-- keys, the one demo download by (user, version).  Dates are set on first load only.
--
-- The library (who sees what is in the README's demo section), owned by
-- Priya Raman (praman, content manager):
--   Ledgerflow partner overview deck   3 versions, history exposed
--   Ledgerflow 7.2 datasheet (en, de), Reconcile Engine datasheet
--   Ledgerflow architecture diagram (PNG), partner FAQ (ja, text)
--   Continuous close whitepaper
--   Platinum partner price list 2027   segment "Platinum partners"
--   APAC managed services playbook     segment "APAC partners"
--   Harborline case study              past its review date
--   Spring 2025 promotion price sheet  expired: managers only

SET @u_praman = (SELECT id FROM users WHERE source = 'ldap' AND
    external_id = 'uid=praman,ou=people,dc=halvard,dc=example');
SET @u_lchen = (SELECT id FROM users WHERE source = 'ldap' AND
    external_id = 'uid=lchen,ou=people,dc=halvard,dc=example');

INSERT INTO segments (name, rule) VALUES
	('Platinum partners', 'tier = platinum'),
	('APAC partners', 'region = APAC')
ON DUPLICATE KEY UPDATE id = id;

-- The items: (title, description, kind, language, product, audience,
-- days since the last version, days to review (negative: overdue), days
-- to expiry (NULL: none; negative: expired), history exposed).
CREATE TEMPORARY TABLE demo_collateral_items (
	title		VARCHAR(255) NOT NULL PRIMARY KEY,
	description	TEXT NOT NULL,
	kind		VARCHAR(32) NOT NULL,
	language	VARCHAR(16) NOT NULL,
	product		VARCHAR(64) NOT NULL,
	audience	VARCHAR(16) NOT NULL,
	age		INT NOT NULL,
	review		INT NOT NULL,
	expires		INT NULL,
	history		BOOLEAN NOT NULL
) DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
INSERT INTO demo_collateral_items VALUES
	('Ledgerflow partner overview deck',
	 'The first meeting with a finance team: why spreadsheets fail at month end, what Ledgerflow 7.2 does, where a partner''s services fit, and reference customers. Version 3 adds the competitive landscape.',
	 'presentation', 'en', 'Ledgerflow', 'everyone', 3, 362, NULL, TRUE),
	('Ledgerflow 7.2 datasheet',
	 'Two pages for procurement and IT: bank feeds in 40 countries, deployment regions, integrations (SAP S/4HANA, NetSuite, Dynamics 365) and security certifications.',
	 'datasheet', 'en', 'Ledgerflow', 'everyone', 12, 353, NULL, FALSE),
	('Ledgerflow 7.2 Datenblatt',
	 'Das Datenblatt zu Ledgerflow 7.2 auf Deutsch: Bankanbindungen, Betriebsmodelle und Integrationen.',
	 'datasheet', 'de', 'Ledgerflow', 'everyone', 10, 355, NULL, FALSE),
	('Reconcile Engine datasheet',
	 'Matching rules, tolerances, throughput per node and the audit trail of the Reconcile Engine, standalone or with Ledgerflow.',
	 'datasheet', 'en', 'Reconcile Engine', 'everyone', 40, 325, NULL, FALSE),
	('Ledgerflow reference architecture diagram',
	 'One picture for the solution architect: bank feeds, the reconciliation core and the ERP connectors.',
	 'other', 'en', 'Ledgerflow', 'everyone', 20, 345, NULL, FALSE),
	('Ledgerflow 7.2 partner FAQ (Japanese)',
	 'パートナー向けのよくある質問: 東京リージョンの予定、明細コードのマッピング。',
	 'other', 'ja', 'Ledgerflow', 'everyone', 6, 359, NULL, FALSE),
	('Continuous close whitepaper',
	 'Why month-end close still takes a week and how to make it a daily habit: a five-stage maturity model with the controls each stage needs.',
	 'whitepaper', 'en', 'Ledgerflow', 'everyone', 60, 305, NULL, FALSE),
	('Platinum partner price list 2027',
	 'Partner prices, the services attach rebate and the deal registration discount for 2027. Confidential: platinum partners only.',
	 'price-list', 'en', 'Ledgerflow', 'segments', 2, 363, 400, FALSE),
	('APAC managed services playbook',
	 'Selling Ledgerflow as a managed service in Australia, Singapore and Japan: data residency, MAS TRM and APRA CPS 234 mappings, packaging and a 90-day launch plan.',
	 'playbook', 'en', 'Ledgerflow', 'segments', 8, 357, NULL, FALSE),
	('Case study: Harborline Distribution closes in 3 days',
	 'How Harborline cut its month-end close from nine working days to three. Figures from the 2025 fiscal year; due for a refresh.',
	 'case-study', 'en', 'Ledgerflow', 'everyone', 420, -55, NULL, FALSE),
	('Spring 2025 promotion price sheet',
	 'Twenty per cent off first-year Ledgerflow Cloud subscriptions booked by 30 June 2025. Expired: replaced by the 2027 price lists.',
	 'price-list', 'en', 'Ledgerflow', 'everyone', 600, -235, -510, FALSE);

INSERT INTO collateral_items (title, description, kind, language, product,
    owner_id, audience, review_at, expires_at, expose_history, created_at,
    updated_at)
SELECT d.title, d.description, d.kind, d.language, d.product, @u_praman,
	d.audience, NOW() + INTERVAL d.review DAY,
	IF(d.expires IS NULL, NULL, NOW() + INTERVAL d.expires DAY),
	d.history, NOW() - INTERVAL (d.age + 90) DAY, NOW() - INTERVAL d.age DAY
FROM demo_collateral_items d
WHERE NOT EXISTS (SELECT 1 FROM collateral_items i WHERE i.title = d.title)
ORDER BY d.age DESC;

-- The versions: (item title, number, file of this directory, days ago).
CREATE TEMPORARY TABLE demo_collateral_versions (
	title		VARCHAR(255) NOT NULL,
	number		INT UNSIGNED NOT NULL,
	file		VARCHAR(255) NOT NULL,
	age		INT NOT NULL,
	PRIMARY KEY (title, number)
) DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
INSERT INTO demo_collateral_versions VALUES
	('Ledgerflow partner overview deck', 1, 'ledgerflow-overview-v1.pdf', 95),
	('Ledgerflow partner overview deck', 2, 'ledgerflow-overview-v2.pdf', 41),
	('Ledgerflow partner overview deck', 3, 'ledgerflow-overview-v3.pdf', 3),
	('Ledgerflow 7.2 datasheet', 1, 'ledgerflow-7.2-datasheet.pdf', 12),
	('Ledgerflow 7.2 Datenblatt', 1, 'ledgerflow-7.2-datenblatt.pdf', 10),
	('Reconcile Engine datasheet', 1, 'reconcile-engine-datasheet.pdf', 40),
	('Ledgerflow reference architecture diagram', 1, 'ledgerflow-architecture.png', 20),
	('Ledgerflow 7.2 partner FAQ (Japanese)', 1, 'ledgerflow-partner-faq-ja.txt', 6),
	('Continuous close whitepaper', 1, 'continuous-close-whitepaper.pdf', 60),
	('Platinum partner price list 2027', 1, 'platinum-price-list-2027.pdf', 2),
	('APAC managed services playbook', 1, 'apac-managed-services-playbook.pdf', 8),
	('Case study: Harborline Distribution closes in 3 days', 1, 'harborline-case-study.pdf', 420),
	('Spring 2025 promotion price sheet', 1, 'promo-2025-price-sheet.pdf', 600);

INSERT INTO collateral_versions (item_id, number, sha256, size,
    content_type, filename, uploaded_by, uploaded_at)
SELECT i.id, dv.number, f.sha256, f.size, f.content_type, f.name,
	@u_praman, NOW() - INTERVAL dv.age DAY
FROM demo_collateral_versions dv
JOIN collateral_items i ON i.title = dv.title
-- LEFT: a file that is not in the store (not installed, say) makes a NULL
-- sha256, which the table refuses, so the load fails loudly.
LEFT JOIN demo_collateral_files f ON f.name = dv.file
ORDER BY dv.age DESC
ON DUPLICATE KEY UPDATE id = collateral_versions.id;

-- The current version is the highest number; unchanged on a second load.
UPDATE collateral_items i
JOIN demo_collateral_items d ON d.title = i.title
JOIN collateral_versions v ON v.item_id = i.id AND v.number =
	(SELECT MAX(number) FROM collateral_versions WHERE item_id = i.id)
SET i.current_version_id = v.id
WHERE i.current_version_id IS NULL OR i.current_version_id <> v.id;

INSERT IGNORE INTO collateral_tags (item_id, tag)
SELECT i.id, t.tag
FROM (
	SELECT 'Ledgerflow partner overview deck' AS title, 'first-meeting' AS tag
	UNION ALL SELECT 'Ledgerflow partner overview deck', 'pitch'
	UNION ALL SELECT 'Ledgerflow 7.2 datasheet', 'release-7.2'
	UNION ALL SELECT 'Ledgerflow 7.2 datasheet', 'procurement'
	UNION ALL SELECT 'Ledgerflow 7.2 Datenblatt', 'release-7.2'
	UNION ALL SELECT 'Reconcile Engine datasheet', 'procurement'
	UNION ALL SELECT 'Ledgerflow reference architecture diagram', 'architecture'
	UNION ALL SELECT 'Ledgerflow 7.2 partner FAQ (Japanese)', 'release-7.2'
	UNION ALL SELECT 'Continuous close whitepaper', 'thought-leadership'
	UNION ALL SELECT 'Platinum partner price list 2027', 'pricing'
	UNION ALL SELECT 'APAC managed services playbook', 'managed-services'
	UNION ALL SELECT 'APAC managed services playbook', 'apac'
	UNION ALL SELECT 'Case study: Harborline Distribution closes in 3 days', 'reference'
	UNION ALL SELECT 'Spring 2025 promotion price sheet', 'pricing'
) t JOIN collateral_items i ON i.title = t.title;

INSERT IGNORE INTO collateral_targets (item_id, segment_id)
SELECT i.id, s.id
FROM (
	SELECT 'Platinum partner price list 2027' AS title,
	    'Platinum partners' AS segment
	UNION ALL SELECT 'APAC managed services playbook', 'APAC partners'
) t
JOIN collateral_items i ON i.title = t.title
JOIN segments s ON s.name = t.segment;

-- Lina Chen downloaded version 2 of the deck: the library tells her that
-- version 3 is out.
INSERT INTO collateral_downloads (user_id, organisation_id, item_id,
    version_id, downloaded_at)
SELECT u.id, u.organisation_id, v.item_id, v.id, NOW() - INTERVAL 30 DAY
FROM users u
JOIN collateral_items i ON i.title = 'Ledgerflow partner overview deck'
JOIN collateral_versions v ON v.item_id = i.id AND v.number = 2
WHERE u.id = @u_lchen AND NOT EXISTS (SELECT 1 FROM collateral_downloads d
	WHERE d.user_id = u.id AND d.version_id = v.id);

-- Feedback the owner finds on her items (one per user and item).
INSERT IGNORE INTO collateral_feedback (item_id, user_id, rating, comment,
    created_at)
SELECT i.id, u.id, f.rating, f.comment, NOW() - INTERVAL f.age DAY
FROM (
	SELECT 'Ledgerflow partner overview deck' AS title,
	    'uid=jwhitfield,ou=people,dc=halvard,dc=example' AS dn, 5 AS rating,
	    'The competitive slide is exactly what our account teams asked for.' AS comment,
	    2 AS age
	UNION ALL SELECT 'Ledgerflow partner overview deck',
	    'uid=dtan,ou=people,dc=halvard,dc=example', 4,
	    'Good deck. A version with Singapore references would help us.', 1
	UNION ALL SELECT 'Case study: Harborline Distribution closes in 3 days',
	    'uid=lchen,ou=people,dc=halvard,dc=example', 3,
	    'Customers ask for newer figures than 2025.', 20
) f
JOIN collateral_items i ON i.title = f.title
JOIN users u ON u.source = 'ldap' AND u.external_id = f.dn;

DROP TEMPORARY TABLE demo_collateral_items;
DROP TEMPORARY TABLE demo_collateral_versions;
