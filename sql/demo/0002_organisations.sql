-- demo/0002_organisations.sql - demo data: Halvard Systems (the vendor)
-- and a dozen fictional partner companies across tiers, partner types,
-- regions and industries.  Needs demo/0001_program.sql for the tiers.
-- Every statement upserts by slug, so loading it again changes nothing.

INSERT INTO organisations
	(slug, name, kind, partner_type, tier_id, region, country, industry)
VALUES
	('halvard', 'Halvard Systems', 'vendor', NULL, NULL,
	 'North America', 'US', 'Software'),

	('ashgrove-consulting', 'Ashgrove Consulting Ltd', 'partner',
	 'integrator', (SELECT id FROM program_tiers WHERE slug = 'gold'),
	 'EMEA', 'GB', 'Financial services'),
	('nordlicht-data', 'Nordlicht Data GmbH', 'partner',
	 'reseller', (SELECT id FROM program_tiers WHERE slug = 'silver'),
	 'EMEA', 'DE', 'Manufacturing'),
	('baltic-ledger', 'Baltic Ledger Partners UAB', 'partner',
	 'reseller', (SELECT id FROM program_tiers WHERE slug = 'registered'),
	 'EMEA', 'LT', 'Retail'),
	('veldt-advisory', 'Veldt Advisory (Pty) Ltd', 'partner',
	 'referral', (SELECT id FROM program_tiers WHERE slug = 'registered'),
	 'EMEA', 'ZA', 'Public sector'),

	('harborline-distribution', 'Harborline Distribution Inc.', 'partner',
	 'distributor', (SELECT id FROM program_tiers WHERE slug = 'platinum'),
	 'North America', 'US', 'Technology'),
	('maple-and-pine-it', 'Maple & Pine IT Services', 'partner',
	 'msp', (SELECT id FROM program_tiers WHERE slug = 'silver'),
	 'North America', 'CA', 'Healthcare'),
	('lakeshore-fintech', 'Lakeshore Fintech Labs', 'partner',
	 'isv', (SELECT id FROM program_tiers WHERE slug = 'registered'),
	 'North America', 'US', 'Banking'),

	('cordillera-tecnologia', 'Cordillera Tecnología SpA', 'partner',
	 'integrator', (SELECT id FROM program_tiers WHERE slug = 'gold'),
	 'LATAM', 'CL', 'Mining'),
	('rio-claro-software', 'Rio Claro Software Ltda.', 'partner',
	 'isv', (SELECT id FROM program_tiers WHERE slug = 'silver'),
	 'LATAM', 'BR', 'Agriculture'),

	('kestrel-cloud', 'Kestrel Cloud Services Pty Ltd', 'partner',
	 'msp', (SELECT id FROM program_tiers WHERE slug = 'platinum'),
	 'APAC', 'AU', 'Financial services'),
	('tsubaki-digital', 'Tsubaki Digital K.K.', 'partner',
	 'integrator', (SELECT id FROM program_tiers WHERE slug = 'gold'),
	 'APAC', 'JP', 'Manufacturing'),
	('meridian-shared-services', 'Meridian Shared Services Pte Ltd', 'partner',
	 'msp', (SELECT id FROM program_tiers WHERE slug = 'registered'),
	 'APAC', 'SG', 'Logistics')
ON DUPLICATE KEY UPDATE
	name = VALUES(name), kind = VALUES(kind),
	partner_type = VALUES(partner_type), tier_id = VALUES(tier_id),
	region = VALUES(region), country = VALUES(country),
	industry = VALUES(industry);
