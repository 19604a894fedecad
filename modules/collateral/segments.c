/*
 * segments.c - the segment rule language (segments.h) and the reader's
 * segments, computed once per request.
 *
 * Grammar (keywords and attribute names are case-insensitive):
 *
 *   rule  = or
 *   or    = and *( "or" and )
 *   and   = unary *( "and" unary )
 *   unary = "not" unary / "(" or ")" / cond
 *   cond  = attr ( "=" / "!=" ) value
 *         / attr "in" "(" value *( "," value ) ")"
 *   attr  = "tier" / "type" / "region" / "industry" / "org" / "group"
 *   value = 1*( ALPHA / DIGIT / "-" / "_" / "." )
 *         / DQUOTE *( any UTF-8 but DQUOTE and "\" / "\" DQUOTE / "\\" ) DQUOTE
 *
 * e.g.  tier = platinum and (region = EMEA or not type = msp)
 *       org in (kestrel-cloud, harborline-distribution)
 *       group = "cn=beta-program,ou=groups,dc=halvard,dc=example"
 *
 * tier compares with the program tier's slug, type with the partner type,
 * region and industry with the organisation's (all ASCII-case-insensitive);
 * org with the organisation's slug (exactly); group with each directory
 * group the user holds (case-insensitively: LDAP DNs).  A condition on an
 * attribute the organisation lacks is false (and its "!=" true).
 *
 * API (segments.h): pt_seg_parse, pt_seg_eval, pt_seg_reader,
 * pt_seg_bind_reader.  To add an attribute, add it to attrs[], to struct
 * pt_seg_subject and to the subject query in pt_seg_reader().
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "portico.h"
#include "segments.h"

enum seg_attr {
	A_TIER,
	A_TYPE,
	A_REGION,
	A_INDUSTRY,
	A_ORG,
	A_GROUP,
	A__MAX
};

static const char *const attrs[A__MAX] = {
	"tier", "type", "region", "industry", "org", "group",
};

enum seg_op {
	OP_COND,
	OP_NOT,
	OP_AND,
	OP_OR,
};

struct pt_seg_rule {
	enum seg_op		 op;
	enum seg_attr		 attr;
	bool			 negate;	/* != */
	const char		**vals;
	size_t			 nvals;
	struct pt_seg_rule	*l, *r;
};

struct parser {
	struct pt_arena	*a;
	const char	*s;
	size_t		 pos;
	size_t		 len;
	int		 depth;
	char		*err;
	size_t		 errlen;
	bool		 failed;
};

static void
fail(struct parser *p, const char *what)
{
	if (!p->failed)
		snprintf(p->err, p->errlen, "%s at character %zu", what,
		    p->pos + 1);
	p->failed = true;
}

static void
skip_ws(struct parser *p)
{
	while (p->pos < p->len && (p->s[p->pos] == ' ' ||
	    p->s[p->pos] == '\t' || p->s[p->pos] == '\r' ||
	    p->s[p->pos] == '\n'))
		p->pos++;
}

static bool
word_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.';
}

/* The bare word at the cursor (not consumed), its length in *n. */
static const char *
peek_word(struct parser *p, size_t *n)
{
	size_t	 i = p->pos;

	skip_ws(p);
	i = p->pos;
	while (i < p->len && word_char(p->s[i]))
		i++;
	*n = i - p->pos;
	return p->s + p->pos;
}

static bool
keyword(struct parser *p, const char *kw)
{
	const char	*w;
	size_t		 n;

	w = peek_word(p, &n);
	if (n == strlen(kw) && strncasecmp(w, kw, n) == 0) {
		p->pos += n;
		return true;
	}
	return false;
}

static bool
punct(struct parser *p, const char *tok)
{
	size_t	 n = strlen(tok);

	skip_ws(p);
	if (p->len - p->pos >= n && memcmp(p->s + p->pos, tok, n) == 0) {
		p->pos += n;
		return true;
	}
	return false;
}

static const char *
value(struct parser *p)
{
	const char	*w;
	char		*out, *o;
	size_t		 n;

	skip_ws(p);
	if (p->pos < p->len && p->s[p->pos] == '"') {
		o = out = pt_alloc(p->a, p->len - p->pos);
		for (p->pos++; p->pos < p->len && p->s[p->pos] != '"';
		    p->pos++) {
			if (p->s[p->pos] == '\\') {
				if (p->pos + 1 >= p->len ||
				    (p->s[p->pos + 1] != '"' &&
				    p->s[p->pos + 1] != '\\')) {
					fail(p, "bad escape in a quoted value");
					return NULL;
				}
				p->pos++;
			}
			*o++ = p->s[p->pos];
		}
		if (p->pos >= p->len) {
			fail(p, "unterminated quoted value");
			return NULL;
		}
		p->pos++;
		*o = '\0';
		return out;
	}
	w = peek_word(p, &n);
	if (n == 0) {
		fail(p, "expected a value");
		return NULL;
	}
	p->pos += n;
	return pt_strndup(p->a, w, n);
}

static struct pt_seg_rule	*parse_or(struct parser *);

static struct pt_seg_rule *
parse_cond(struct parser *p)
{
	struct pt_seg_rule	*n;
	const char		*w, *v;
	size_t			 len, i, cap = 4;

	w = peek_word(p, &len);
	for (i = 0; i < A__MAX; i++)
		if (len == strlen(attrs[i]) &&
		    strncasecmp(w, attrs[i], len) == 0)
			break;
	if (i == A__MAX) {
		fail(p, "expected tier, type, region, industry, org or group");
		return NULL;
	}
	p->pos += len;
	n = pt_alloc(p->a, sizeof(*n));
	n->op = OP_COND;
	n->attr = (enum seg_attr)i;
	if (punct(p, "!="))
		n->negate = true;
	else if (punct(p, "="))
		n->negate = false;
	else if (keyword(p, "in")) {
		if (!punct(p, "(")) {
			fail(p, "expected '(' after in");
			return NULL;
		}
		n->vals = pt_alloc(p->a, cap * sizeof(*n->vals));
		do {
			if ((v = value(p)) == NULL)
				return NULL;
			if (n->nvals == cap) {
				const char	**g = pt_alloc(p->a,
				    2 * cap * sizeof(*g));

				memcpy(g, n->vals, cap * sizeof(*g));
				n->vals = g;
				cap *= 2;
			}
			n->vals[n->nvals++] = v;
		} while (punct(p, ","));
		if (!punct(p, ")")) {
			fail(p, "expected ',' or ')'");
			return NULL;
		}
		return n;
	} else {
		fail(p, "expected =, != or in");
		return NULL;
	}
	if ((v = value(p)) == NULL)
		return NULL;
	n->vals = pt_alloc(p->a, sizeof(*n->vals));
	n->vals[0] = v;
	n->nvals = 1;
	return n;
}

static struct pt_seg_rule *
parse_unary(struct parser *p)
{
	struct pt_seg_rule	*n, *sub;

	if (++p->depth > PT_SEG_DEPTH_MAX) {
		fail(p, "nested too deeply");
		return NULL;
	}
	if (keyword(p, "not")) {
		if ((sub = parse_unary(p)) == NULL)
			return NULL;
		n = pt_alloc(p->a, sizeof(*n));
		n->op = OP_NOT;
		n->l = sub;
	} else if (punct(p, "(")) {
		if ((n = parse_or(p)) == NULL)
			return NULL;
		if (!punct(p, ")")) {
			fail(p, "expected ')'");
			return NULL;
		}
	} else
		n = parse_cond(p);
	p->depth--;
	return n;
}

static struct pt_seg_rule *
parse_binary(struct parser *p, bool is_or)
{
	struct pt_seg_rule	*l, *r, *n;

	l = is_or ? parse_binary(p, false) : parse_unary(p);
	while (l != NULL && keyword(p, is_or ? "or" : "and")) {
		r = is_or ? parse_binary(p, false) : parse_unary(p);
		if (r == NULL)
			return NULL;
		n = pt_alloc(p->a, sizeof(*n));
		n->op = is_or ? OP_OR : OP_AND;
		n->l = l;
		n->r = r;
		l = n;
	}
	return l;
}

static struct pt_seg_rule *
parse_or(struct parser *p)
{
	return parse_binary(p, true);
}

/*
 * Returns the parsed rule (arena-owned), or NULL with a message in err
 * for text that is empty, too long, not UTF-8 or not in the grammar.
 */
struct pt_seg_rule *
pt_seg_parse(struct pt_arena *a, const char *text, char *err, size_t errlen)
{
	struct parser		 p;
	struct pt_seg_rule	*rule;

	memset(&p, 0, sizeof(p));
	p.a = a;
	p.s = text;
	p.len = strlen(text);
	p.err = err;
	p.errlen = errlen;
	if (errlen > 0)
		err[0] = '\0';
	if (p.len > PT_SEG_RULE_MAX) {
		snprintf(err, errlen, "the rule is longer than %d bytes",
		    PT_SEG_RULE_MAX);
		return NULL;
	}
	if (!pt_utf8_valid(text, p.len)) {
		snprintf(err, errlen, "the rule is not valid UTF-8");
		return NULL;
	}
	rule = parse_or(&p);
	if (rule != NULL) {
		skip_ws(&p);
		if (p.pos != p.len) {
			fail(&p, "expected and, or or the end");
			rule = NULL;
		}
	}
	return p.failed ? NULL : rule;
}

static bool
cond_match(const struct pt_seg_rule *n, const char *have)
{
	size_t	 i;

	if (have == NULL || *have == '\0')
		return false;
	for (i = 0; i < n->nvals; i++)
		if (n->attr == A_ORG ? strcmp(have, n->vals[i]) == 0 :
		    strcasecmp(have, n->vals[i]) == 0)
			return true;
	return false;
}

/* Returns true if the subject matches the rule. */
bool
pt_seg_eval(const struct pt_seg_rule *n, const struct pt_seg_subject *s)
{
	const char	*have = NULL;
	bool		 m = false;
	size_t		 i;

	switch (n->op) {
	case OP_NOT:
		return !pt_seg_eval(n->l, s);
	case OP_AND:
		return pt_seg_eval(n->l, s) && pt_seg_eval(n->r, s);
	case OP_OR:
		return pt_seg_eval(n->l, s) || pt_seg_eval(n->r, s);
	case OP_COND:
		break;
	}
	switch (n->attr) {
	case A_TIER:
		have = s->tier;
		break;
	case A_TYPE:
		have = s->type;
		break;
	case A_REGION:
		have = s->region;
		break;
	case A_INDUSTRY:
		have = s->industry;
		break;
	case A_ORG:
		have = s->org;
		break;
	case A_GROUP:
		for (i = 0; i < s->ngroups && !m; i++)
			m = cond_match(n, s->groups[i]);
		return n->negate ? !m : m;
	case A__MAX:
		break;
	}
	m = cond_match(n, have);
	return n->negate ? !m : m;
}

/* ------------------------------------------------------------ readers */

enum {
	STMT_ORG_USER,
	STMT_ORG_SLUG,
	STMT_GROUPS,
	STMT_SEGMENTS,
	STMT__MAX
};

static const char *const stmts[STMT__MAX] = {
	[STMT_ORG_USER] = "SELECT o.id, o.slug, t.slug, o.partner_type, "
	    "o.region, o.industry FROM organisations o LEFT JOIN "
	    "program_tiers t ON t.id = o.tier_id WHERE o.id = ?",
	[STMT_ORG_SLUG] = "SELECT o.id, o.slug, t.slug, o.partner_type, "
	    "o.region, o.industry FROM organisations o LEFT JOIN "
	    "program_tiers t ON t.id = o.tier_id WHERE o.slug = ?",
	[STMT_GROUPS] = "SELECT group_name FROM user_groups WHERE user_id = ?",
	[STMT_SEGMENTS] = "SELECT id, rule FROM segments ORDER BY id",
};

static bool
sees_all(const struct pt_req *r)
{
	const unsigned int all = 1u << PT_ROLE_CONTENT_MANAGER |
	    1u << PT_ROLE_PORTAL_ADMIN;

	return r->sess != NULL && (r->sess->roles & all) != 0;
}

/*
 * Returns PT_OK with the reader filled in, PT_DECLINED if ?as names no
 * organisation (r->error set), PT_ERR on a database error.
 */
int
pt_seg_reader(struct pt_req *r, struct pt_seg_reader *out)
{
	struct pt_seg_subject	 subj;
	struct pt_stmt		*st;
	const char		*as, **groups = NULL, *sep = "";
	struct pt_seg_rule	*rule;
	size_t			 ngroups = 0, cap = 0, len = 0, cap2 = 64;
	char			 err[128], *ids;
	int			 rc;

	memset(out, 0, sizeof(*out));
	memset(&subj, 0, sizeof(subj));
	out->segments = "";
	if (r->sess == NULL)
		return PT_OK;
	as = pt_kv_get(&r->args, "as");
	if (sees_all(r) && (as == NULL || *as == '\0')) {
		out->all = true;
		return PT_OK;
	}
	if (as != NULL && *as != '\0' && sees_all(r)) {
		if (strspn(as, "abcdefghijklmnopqrstuvwxyz0123456789-") !=
		    strlen(as)) {
			r->error = "There is no such organisation to view the "
			    "library as.";
			return PT_DECLINED;
		}
		st = pt_db_stmt(r->db, r->arena, stmts[STMT_ORG_SLUG]);
		if (st == NULL)
			return PT_ERR;
		pt_db_bind_text(st, 0, as);
	} else {
		if (r->sess->org_id == 0)
			goto segments;
		st = pt_db_stmt(r->db, r->arena, stmts[STMT_ORG_USER]);
		if (st == NULL)
			return PT_ERR;
		pt_db_bind_int(st, 0, r->sess->org_id);
		as = NULL;
	}
	if (pt_db_exec(st) != PT_OK)
		return PT_ERR;
	if ((rc = pt_db_fetch(st)) == PT_ERR)
		return PT_ERR;
	if (rc == PT_DECLINED) {
		if (as != NULL) {
			r->error = "There is no such organisation to view the "
			    "library as.";
			return PT_DECLINED;
		}
		goto segments;
	}
	out->org_id = pt_db_col_int(st, 0);
	subj.org = pt_db_col_text(st, 1);
	subj.tier = pt_db_col_text(st, 2);
	subj.type = pt_db_col_text(st, 3);
	subj.region = pt_db_col_text(st, 4);
	subj.industry = pt_db_col_text(st, 5);
	out->as_org = as != NULL ? subj.org : NULL;

	/* A "view as" preview has the organisation, not a user's groups. */
	if (as == NULL) {
		st = pt_db_stmt(r->db, r->arena, stmts[STMT_GROUPS]);
		if (st == NULL)
			return PT_ERR;
		pt_db_bind_int(st, 0, r->sess->user_id);
		if (pt_db_exec(st) != PT_OK)
			return PT_ERR;
		while ((rc = pt_db_fetch(st)) == PT_OK) {
			if (ngroups == cap) {
				const char	**g;

				cap = cap ? cap * 2 : 8;
				g = pt_alloc(r->arena, cap * sizeof(*g));
				if (ngroups)
					memcpy(g, groups, ngroups * sizeof(*g));
				groups = g;
			}
			groups[ngroups++] = pt_db_col_text(st, 0);
		}
		if (rc == PT_ERR)
			return PT_ERR;
	}
	subj.groups = groups;
	subj.ngroups = ngroups;

segments:
	if ((st = pt_db_stmt(r->db, r->arena, stmts[STMT_SEGMENTS])) == NULL)
		return PT_ERR;
	if (pt_db_exec(st) != PT_OK)
		return PT_ERR;
	ids = pt_alloc(r->arena, cap2);
	while ((rc = pt_db_fetch(st)) == PT_OK) {
		const char	*id = pt_db_col_text(st, 0);

		rule = pt_seg_parse(r->arena, pt_db_col_text(st, 1), err,
		    sizeof(err));
		if (rule == NULL) {
			pt_rlog(r, PT_LOG_WARN, "segment %s: %s", id, err);
			continue;
		}
		if (!pt_seg_eval(rule, &subj))
			continue;
		if (len + strlen(id) + 2 > cap2) {
			char	*g = pt_alloc(r->arena, cap2 * 2 + strlen(id));

			memcpy(g, ids, len);
			ids = g;
			cap2 = cap2 * 2 + strlen(id);
		}
		len += (size_t)sprintf(ids + len, "%s%s", sep, id);
		sep = ",";
	}
	if (rc == PT_ERR)
		return PT_ERR;
	out->segments = ids;
	return PT_OK;
}

/* Binds PT_SEG_ITEM_FOR_READER_SQL's two parameters; returns the next. */
unsigned int
pt_seg_bind_reader(struct pt_stmt *st, unsigned int i,
    const struct pt_seg_reader *rd)
{
	pt_db_bind_int(st, i++, rd->all ? 1 : 0);
	pt_db_bind_text(st, i++, rd->segments);
	return i;
}
