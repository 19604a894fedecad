/*
 * fuzz_segments.c - libFuzzer target for the segment rule parser and
 * evaluator (pt_seg_parse, pt_seg_eval in modules/collateral/segments.c).
 *
 * The input is rule text (NUL-terminated copy).  A rule that parses must
 * evaluate, for two fixed subjects, to the same answer twice, and "not
 * (rule)" must parse (unless that makes it too long or too deep) and
 * evaluate to the opposite.  A rule that is refused must come with a
 * message.  Any violation aborts.
 *
 * Seeds: tests/fuzz/corpus/segments/.  See docs/fuzzing.md.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "portico.h"
#include "../../modules/collateral/segments.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static const char *const groups[] = { "cn=beta-program,dc=x", "cn=a" };

static const struct pt_seg_subject subjects[] = {
	{ .tier = "platinum", .type = "msp", .region = "APAC",
	  .industry = "Technology", .org = "kestrel-cloud", .groups = groups,
	  .ngroups = 2 },
	{ .tier = "", .region = "EMEA", .org = "veldt-advisory" },
};

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct pt_arena	*a;
	struct pt_seg_rule	*rule, *neg;
	char			*text, *ntext, err[128];
	size_t			 i;
	bool			 m;

	if (a == NULL)
		a = pt_arena_new();
	if ((text = malloc(size + 1)) == NULL ||
	    (ntext = malloc(size + 16)) == NULL)
		abort();
	memcpy(text, data, size);
	text[size] = '\0';
	rule = pt_seg_parse(a, text, err, sizeof(err));
	if (rule == NULL) {
		if (err[0] == '\0')
			abort();
	} else {
		snprintf(ntext, size + 16, "not (%s)", text);
		neg = pt_seg_parse(a, ntext, err, sizeof(err));
		for (i = 0; i < PT_NELEM(subjects); i++) {
			m = pt_seg_eval(rule, &subjects[i]);
			if (m != pt_seg_eval(rule, &subjects[i]))
				abort();
			if (neg != NULL && pt_seg_eval(neg, &subjects[i]) == m)
				abort();
		}
		if (neg == NULL && strlen(ntext) <= PT_SEG_RULE_MAX &&
		    strstr(err, "deep") == NULL)
			abort();
	}
	free(text);
	free(ntext);
	pt_arena_reset(a);
	return 0;
}
