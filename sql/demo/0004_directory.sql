-- demo/0004_directory.sql - demo data for the partner directory
-- (modules/partner_directory.c, schema in 0017_directory.sql): areas of
-- expertise, what each demo organisation is known for, a line about each
-- company, and the job titles and expertise of the demo people.  Needs
-- demo/0002 (organisations) and demo/0003 (people).  Every statement
-- upserts or ignores duplicates, so loading it again changes nothing.

INSERT INTO expertise_areas (slug, name) VALUES
	('ap-automation', 'Accounts payable automation'),
	('bank-reconciliation', 'Bank reconciliation'),
	('month-end-close', 'Month-end close'),
	('multi-entity', 'Multi-entity consolidation'),
	('erp-integration', 'ERP integration'),
	('data-migration', 'Data migration'),
	('managed-services', 'Managed services'),
	('treasury', 'Treasury and cash management'),
	('public-sector', 'Public sector finance'),
	('training', 'Training and enablement')
ON DUPLICATE KEY UPDATE name = VALUES(name);

-- What each organisation is known for: (organisation slug, expertise slug).
INSERT IGNORE INTO organisation_expertise (organisation_id, expertise_id)
SELECT o.id, e.id FROM (
	SELECT 'halvard' AS org, 'training' AS area
	UNION ALL SELECT 'ashgrove-consulting', 'multi-entity'
	UNION ALL SELECT 'ashgrove-consulting', 'month-end-close'
	UNION ALL SELECT 'nordlicht-data', 'erp-integration'
	UNION ALL SELECT 'baltic-ledger', 'ap-automation'
	UNION ALL SELECT 'veldt-advisory', 'public-sector'
	UNION ALL SELECT 'harborline-distribution', 'training'
	UNION ALL SELECT 'maple-and-pine-it', 'managed-services'
	UNION ALL SELECT 'lakeshore-fintech', 'bank-reconciliation'
	UNION ALL SELECT 'cordillera-tecnologia', 'erp-integration'
	UNION ALL SELECT 'cordillera-tecnologia', 'data-migration'
	UNION ALL SELECT 'rio-claro-software', 'ap-automation'
	UNION ALL SELECT 'kestrel-cloud', 'managed-services'
	UNION ALL SELECT 'kestrel-cloud', 'bank-reconciliation'
	UNION ALL SELECT 'kestrel-cloud', 'treasury'
	UNION ALL SELECT 'tsubaki-digital', 'multi-entity'
	UNION ALL SELECT 'meridian-shared-services', 'managed-services'
	UNION ALL SELECT 'meridian-shared-services', 'ap-automation'
) x
JOIN organisations o ON o.slug = x.org
JOIN expertise_areas e ON e.slug = x.area;

UPDATE organisations o JOIN (
	SELECT 'halvard' AS slug, 'Makers of Halvard Ledgerflow, finance automation for mid-market finance teams: accounts payable, reconciliation and the month-end close.' AS summary
	UNION ALL SELECT 'ashgrove-consulting', 'London finance-transformation consultancy leading multi-entity Ledgerflow rollouts for insurers and asset managers.'
	UNION ALL SELECT 'nordlicht-data', 'Hamburg reseller connecting Ledgerflow to the ERP systems of German manufacturers.'
	UNION ALL SELECT 'baltic-ledger', 'Vilnius reseller for retail chains in the Baltics, new to the program.'
	UNION ALL SELECT 'veldt-advisory', 'Cape Town advisory firm introducing Ledgerflow to municipalities and state-owned companies.'
	UNION ALL SELECT 'harborline-distribution', 'North American distributor with a reseller network of 140 partners and a Ledgerflow training academy.'
	UNION ALL SELECT 'maple-and-pine-it', 'Toronto managed-service provider running Ledgerflow for hospital groups and clinics.'
	UNION ALL SELECT 'lakeshore-fintech', 'Chicago software vendor whose bank-data connectors feed Ledgerflow reconciliation.'
	UNION ALL SELECT 'cordillera-tecnologia', 'Santiago integrator for mining groups: ERP integration and data migration across Chile and Peru.'
	UNION ALL SELECT 'rio-claro-software', 'Campinas software vendor with an agribusiness payables add-on for Ledgerflow.'
	UNION ALL SELECT 'kestrel-cloud', 'Sydney managed-service provider running Ledgerflow for banks and insurers across Australia and New Zealand, with a 24x7 reconciliation desk.'
	UNION ALL SELECT 'tsubaki-digital', 'Osaka integrator consolidating the ledgers of Japanese manufacturing groups.'
	UNION ALL SELECT 'meridian-shared-services', 'Singapore shared-services provider running accounts payable for logistics companies in South-East Asia.'
) x ON x.slug = o.slug
SET o.summary = x.summary;

-- The demo people's cards: (DN, job title).  The users rows come from
-- demo/0003 (or from sign-in).
INSERT INTO user_profiles (user_id, job_title)
SELECT u.id, x.title FROM (
	SELECT 'uid=hlindqvist,ou=people,dc=halvard,dc=example' AS dn, 'Partner portal administrator' AS title
	UNION ALL SELECT 'uid=mokafor,ou=people,dc=halvard,dc=example', 'Channel manager, APAC'
	UNION ALL SELECT 'uid=praman,ou=people,dc=halvard,dc=example', 'Partner enablement lead'
	UNION ALL SELECT 'uid=knakamura,ou=people,dc=halvard,dc=example', 'Community moderator and support engineer'
	UNION ALL SELECT 'uid=jwhitfield,ou=people,dc=halvard,dc=example', 'Head of alliances'
	UNION ALL SELECT 'uid=lchen,ou=people,dc=halvard,dc=example', 'Ledgerflow practice lead'
	UNION ALL SELECT 'uid=o''brien*,ou=people,dc=halvard,dc=example', 'Senior reconciliation consultant'
	UNION ALL SELECT 'uid=dtan,ou=people,dc=halvard,dc=example', 'Managing director'
	UNION ALL SELECT 'uid=rkumar,ou=people,dc=halvard,dc=example', 'Implementation consultant'
	UNION ALL SELECT 'uid=bfarrell,ou=people,dc=halvard,dc=example', 'Solutions architect'
) x
JOIN users u ON u.source = 'ldap' AND u.external_id = x.dn
ON DUPLICATE KEY UPDATE user_id = u.id;

INSERT IGNORE INTO user_expertise (user_id, expertise_id)
SELECT u.id, e.id FROM (
	SELECT 'uid=mokafor,ou=people,dc=halvard,dc=example' AS dn, 'managed-services' AS area
	UNION ALL SELECT 'uid=praman,ou=people,dc=halvard,dc=example', 'training'
	UNION ALL SELECT 'uid=knakamura,ou=people,dc=halvard,dc=example', 'bank-reconciliation'
	UNION ALL SELECT 'uid=jwhitfield,ou=people,dc=halvard,dc=example', 'multi-entity'
	UNION ALL SELECT 'uid=lchen,ou=people,dc=halvard,dc=example', 'month-end-close'
	UNION ALL SELECT 'uid=lchen,ou=people,dc=halvard,dc=example', 'multi-entity'
	UNION ALL SELECT 'uid=o''brien*,ou=people,dc=halvard,dc=example', 'bank-reconciliation'
	UNION ALL SELECT 'uid=o''brien*,ou=people,dc=halvard,dc=example', 'treasury'
	UNION ALL SELECT 'uid=dtan,ou=people,dc=halvard,dc=example', 'ap-automation'
	UNION ALL SELECT 'uid=rkumar,ou=people,dc=halvard,dc=example', 'data-migration'
	UNION ALL SELECT 'uid=rkumar,ou=people,dc=halvard,dc=example', 'bank-reconciliation'
	UNION ALL SELECT 'uid=bfarrell,ou=people,dc=halvard,dc=example', 'erp-integration'
) x
JOIN users u ON u.source = 'ldap' AND u.external_id = x.dn
JOIN expertise_areas e ON e.slug = x.area;
