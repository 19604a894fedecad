-- demo/0001_program.sql - demo data: the partner program of Halvard
-- Systems, a fictional vendor of finance automation software, with four
-- tiers and what each gives and asks.  Loaded by `porticoctl seed-demo`;
-- every statement upserts, so loading it again changes nothing.

INSERT INTO program (id, name, tagline, intro) VALUES (1,
	'Halvard Partner Network',
	'Sell, implement and run finance automation with Halvard Ledgerflow.',
	'Halvard Ledgerflow automates accounts payable, reconciliation and the month-end close for mid-market finance teams. The Halvard Partner Network is how resellers, systems integrators, managed service providers and software vendors build a business around it: register your deals, get your consultants certified, and grow from Registered to Platinum as your practice grows. Every tier below lists what we give and what we ask in return.')
ON DUPLICATE KEY UPDATE
	name = VALUES(name), tagline = VALUES(tagline), intro = VALUES(intro);

INSERT INTO program_tiers (slug, name, position, summary) VALUES
	('registered', 'Registered', 1,
	 'The starting point for every partner: sign the partner agreement, get into the portal and register your first deals.'),
	('silver', 'Silver', 2,
	 'For partners with an established Ledgerflow practice who sell and deliver projects on their own.'),
	('gold', 'Gold', 3,
	 'For partners who lead complex, multi-entity deals and implementations with little help from Halvard.'),
	('platinum', 'Platinum', 4,
	 'Our strategic partners: multi-region reach, co-developed offerings and a joint go-to-market plan.')
ON DUPLICATE KEY UPDATE
	name = VALUES(name), position = VALUES(position),
	summary = VALUES(summary);

INSERT INTO program_tier_items (tier_id, kind, position, text) VALUES
	((SELECT id FROM program_tiers WHERE slug = 'registered'), 'benefit', 1,
	 'Partner portal with sales playbooks, pitch decks and the partner price list'),
	((SELECT id FROM program_tiers WHERE slug = 'registered'), 'benefit', 2,
	 'Deal registration with a 10% discount on registered net-new deals'),
	((SELECT id FROM program_tiers WHERE slug = 'registered'), 'benefit', 3,
	 'Free self-paced Ledgerflow Sales Foundations course'),
	((SELECT id FROM program_tiers WHERE slug = 'registered'), 'requirement', 1,
	 'Signed Halvard Partner Agreement'),
	((SELECT id FROM program_tiers WHERE slug = 'registered'), 'requirement', 2,
	 'One employee has completed Ledgerflow Sales Foundations'),
	((SELECT id FROM program_tiers WHERE slug = 'registered'), 'requirement', 3,
	 'Company profile and primary contact kept current in the portal'),

	((SELECT id FROM program_tiers WHERE slug = 'silver'), 'benefit', 1,
	 'Deal registration discount raised to 20% on net-new deals'),
	((SELECT id FROM program_tiers WHERE slug = 'silver'), 'benefit', 2,
	 'Market development funds (MDF) of up to USD 10,000 a year, matched 50/50'),
	((SELECT id FROM program_tiers WHERE slug = 'silver'), 'benefit', 3,
	 'Two seats a year on the Ledgerflow Certified Implementer course'),
	((SELECT id FROM program_tiers WHERE slug = 'silver'), 'benefit', 4,
	 'Not-for-resale sandbox tenant for demos and training'),
	((SELECT id FROM program_tiers WHERE slug = 'silver'), 'requirement', 1,
	 'USD 100,000 in annual Halvard bookings'),
	((SELECT id FROM program_tiers WHERE slug = 'silver'), 'requirement', 2,
	 'Two Ledgerflow Certified Implementers on staff'),
	((SELECT id FROM program_tiers WHERE slug = 'silver'), 'requirement', 3,
	 'Three referenceable customers live on Ledgerflow'),
	((SELECT id FROM program_tiers WHERE slug = 'silver'), 'requirement', 4,
	 'Joint business plan, reviewed twice a year'),

	((SELECT id FROM program_tiers WHERE slug = 'gold'), 'benefit', 1,
	 '30% discount on registered deals and 10% on renewals'),
	((SELECT id FROM program_tiers WHERE slug = 'gold'), 'benefit', 2,
	 'Market development funds of up to USD 40,000 a year'),
	((SELECT id FROM program_tiers WHERE slug = 'gold'), 'benefit', 3,
	 'Named partner account manager and quarterly pipeline reviews'),
	((SELECT id FROM program_tiers WHERE slug = 'gold'), 'benefit', 4,
	 'Priority partner support line with a 4-hour response target'),
	((SELECT id FROM program_tiers WHERE slug = 'gold'), 'benefit', 5,
	 'Roadmap briefings under NDA and early access to beta releases'),
	((SELECT id FROM program_tiers WHERE slug = 'gold'), 'requirement', 1,
	 'USD 500,000 in annual Halvard bookings'),
	((SELECT id FROM program_tiers WHERE slug = 'gold'), 'requirement', 2,
	 'Five certified implementers, one of them a Certified Solution Architect'),
	((SELECT id FROM program_tiers WHERE slug = 'gold'), 'requirement', 3,
	 'Customer satisfaction of 4.3 out of 5 or better on delivered projects'),
	((SELECT id FROM program_tiers WHERE slug = 'gold'), 'requirement', 4,
	 'Two joint marketing campaigns a year'),

	((SELECT id FROM program_tiers WHERE slug = 'platinum'), 'benefit', 1,
	 '35% discount on registered deals and 15% on renewals'),
	((SELECT id FROM program_tiers WHERE slug = 'platinum'), 'benefit', 2,
	 'Market development funds of up to USD 150,000 a year plus co-funded events'),
	((SELECT id FROM program_tiers WHERE slug = 'platinum'), 'benefit', 3,
	 'Executive sponsor at Halvard and an annual joint planning session'),
	((SELECT id FROM program_tiers WHERE slug = 'platinum'), 'benefit', 4,
	 'Co-selling with Halvard field sales, with shared account mapping'),
	((SELECT id FROM program_tiers WHERE slug = 'platinum'), 'benefit', 5,
	 'Featured listing in the partner directory and a speaking slot at Halvard Summit'),
	((SELECT id FROM program_tiers WHERE slug = 'platinum'), 'requirement', 1,
	 'USD 2,000,000 in annual Halvard bookings'),
	((SELECT id FROM program_tiers WHERE slug = 'platinum'), 'requirement', 2,
	 'Fifteen certified implementers and three Certified Solution Architects'),
	((SELECT id FROM program_tiers WHERE slug = 'platinum'), 'requirement', 3,
	 'A dedicated Ledgerflow practice lead and 24x7 support for managed customers'),
	((SELECT id FROM program_tiers WHERE slug = 'platinum'), 'requirement', 4,
	 'Active delivery teams in at least two regions'),
	((SELECT id FROM program_tiers WHERE slug = 'platinum'), 'requirement', 5,
	 'Annual business review with Halvard executives')
ON DUPLICATE KEY UPDATE text = VALUES(text);
