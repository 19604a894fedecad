/*
 * segments_test.c - unit tests for the segment rule language
 * (modules/collateral/segments.c): precedence of not, and, or; each
 * attribute; in-lists; quoted values; missing attributes; and the rules
 * that must be refused with a message.  To add a case, add a row to
 * cases[] or bad[].
 */
#include <string.h>

#include "portico.h"
#include "../../modules/collateral/segments.h"
#include "tap.h"

static const char *const kestrel_groups[] = {
	"cn=partner-users,ou=groups,dc=halvard,dc=example",
	"cn=beta-program,ou=groups,dc=halvard,dc=example",
};

/* kestrel-cloud: platinum msp in APAC, Technology, in the beta group. */
static const struct pt_seg_subject kestrel = {
	.tier = "platinum", .type = "msp", .region = "APAC",
	.industry = "Technology", .org = "kestrel-cloud",
	.groups = kestrel_groups, .ngroups = 2,
};

/* An organisation with no tier, type or industry, and no groups. */
static const struct pt_seg_subject bare = {
	.tier = "", .type = NULL, .region = "EMEA", .industry = NULL,
	.org = "veldt-advisory",
};

static const struct {
	const char	*rule;
	bool		 kestrel, bare;
} cases[] = {
	{ "tier = platinum", true, false },
	{ "TIER = Platinum", true, false },
	{ "tier != platinum", false, true },
	{ "type = msp", true, false },
	{ "region = apac or region = EMEA", true, true },
	{ "tier = platinum and (region = EMEA or not type = msp)", false,
	    false },
	{ "tier = platinum and region = EMEA or region = EMEA", false, true },
	{ "not tier = gold and not org = veldt-advisory", true, false },
	{ "not not org = kestrel-cloud", true, false },
	{ "org = Kestrel-Cloud", false, false },
	{ "org in (meridian-shared-services, kestrel-cloud)", true, false },
	{ "region in (\"North America\", EMEA)", false, true },
	{ "industry = \"technology\"", true, false },
	{ "industry != technology", false, true },
	{ "group = \"CN=Beta-Program,ou=groups,dc=halvard,dc=example\"", true,
	    false },
	{ "group != \"cn=beta-program,ou=groups,dc=halvard,dc=example\"",
	    false, true },
	{ "((((tier = platinum))))", true, false },
	{ " type=msp\tand\nregion=APAC ", true, false },
	{ "industry = \"a \\\"quoted\\\" \\\\ name\"", false, false },
};

static const char *const bad[] = {
	"",
	"tier",
	"tier =",
	"tier == gold",
	"colour = red",
	"tier = gold and",
	"tier = gold or or tier = silver",
	"(tier = gold",
	"tier = gold)",
	"tier in gold",
	"tier in ()",
	"tier in (gold",
	"tier = \"gold",
	"tier = \"a\\b\"",
	"not",
	"tier = gold region = EMEA",
	"tier = \xff",
};

int
main(void)
{
	struct pt_arena		*a = pt_arena_new();
	struct pt_seg_rule	*rule;
	char			 err[128], *deep;
	size_t			 i;

	for (i = 0; i < PT_NELEM(cases); i++) {
		rule = pt_seg_parse(a, cases[i].rule, err, sizeof(err));
		ok(rule != NULL, "parses: %s%s%s", cases[i].rule,
		    rule ? "" : " -- ", rule ? "" : err);
		if (rule == NULL) {
			ok(0, "kestrel");
			ok(0, "bare");
			continue;
		}
		is_int(pt_seg_eval(rule, &kestrel), cases[i].kestrel,
		    "kestrel-cloud: %s", cases[i].rule);
		is_int(pt_seg_eval(rule, &bare), cases[i].bare,
		    "veldt-advisory: %s", cases[i].rule);
	}
	for (i = 0; i < PT_NELEM(bad); i++) {
		rule = pt_seg_parse(a, bad[i], err, sizeof(err));
		ok(rule == NULL && err[0] != '\0', "refused: \"%s\" (%s)",
		    bad[i], err);
	}

	/* Deep nesting is refused, not a stack overflow. */
	deep = malloc(4000);
	memset(deep, '(', 1000);
	strcpy(deep + 1000, "tier = gold");
	ok(pt_seg_parse(a, deep, err, sizeof(err)) == NULL, "1000 '(': %s",
	    err);
	for (i = 0; i < 500; i++)
		memcpy(deep + 4 * i, "not ", 4);
	strcpy(deep + 4 * 500, "org = x");
	ok(pt_seg_parse(a, deep, err, sizeof(err)) == NULL, "500 nots: %s",
	    err);
	free(deep);
	pt_arena_free(a);
	return done();
}
