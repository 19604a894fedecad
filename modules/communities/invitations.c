/*
 * invitations.c - invitations to a community: managers invite a named
 * user (by login) or an email address, revoke and resend; the recipient
 * opens the link, accepts or declines.
 *
 * An invitation is a link /invitations/{token}: 32 random bytes from
 * OpenSSL's RAND_bytes, base64url, of which only the SHA-256 (of the
 * link's text) is stored, so the database cannot give a link back.  The
 * manager sees the link once, on the page that created it (mail delivery
 * comes later).  The link is bound to its recipient: the signed-in user
 * named by it, or for an email invitation the signed-in user whose
 * account email matches case-insensitively.  Anyone else, a revoked,
 * superseded, used or expired invitation, and a token that never existed
 * all get the same answer, pt_comm_not_found(), so a link proves nothing
 * to the wrong person.  It is single use (the accepting UPDATE only
 * matches a pending row), expires [lifecycle] invitation_days after it is
 * made, can be revoked, and a resend makes a new link and marks the old
 * row superseded.  Pending invitations also show on the recipient's
 * /communities page, where POST /communities/invitations/{id} accepts or
 * declines one under the same binding.
 *
 * Inviting runs the competitor check (pt_comm_conflict_gate) for the
 * recipient's organisation (for an email address, that of the account with
 * that email if there is one).
 *
 * XML produced:
 *   invitations.xsl: <community .../>
 *     <invitations first="yes|no">
 *       <error>message</error> <form to="" reason="" override="yes"/>
 *       <link to="">https://host/invitations/TOKEN</link>  (just made)
 *       <invitation id="" login="" name="" email="" inviter="" created=""
 *           expires="" status="" expired="yes" redeemed-by=""
 *           override-reason=""/>...
 *       <next before=""/>   (100 a page, newest first, keyset on id)
 *     </invitations>
 *   invitation.xsl: <invitation id="" token="" expires="" inviter="">
 *       <community .../></invitation>
 *
 * API (members.h): pt_comm_invitations_get/post,
 * pt_comm_invitation_revoke_post, pt_comm_invitation_resend_post,
 * pt_comm_invitation_get/post, pt_comm_invitation_id_post.  To add a way
 * to deliver the link (mail), hand `link` from make_invitation() to it.
 */
#include <string.h>

#include <openssl/rand.h>

#include "portico.h"
#include "community.h"
#include "members.h"
#include "../mail.h"

#define TOKEN_BYTES	32
#define TOKEN_CHARS	43	/* unpadded base64url of 32 bytes */
#define PAGE_ROWS	100

enum {
	STMT_LIST,
	STMT_USER_EMAIL,
	STMT_SUPERSEDE_SAME,
	STMT_INSERT,
	STMT_REVOKE,
	STMT_ONE,
	STMT_SUPERSEDE,
	STMT_BY_TOKEN,
	STMT_BY_ID,
	STMT_ACCEPT,
	STMT_DECLINE,
	STMT_JOIN,
	STMT_IS_MEMBER,
	STMT__MAX
};

static const char *const stmts[STMT__MAX] = {
	[STMT_LIST] = "SELECT i.id, COALESCE(u.login, ''), "
	    "COALESCE(u.name, ''), COALESCE(i.invitee_email, ''), ib.login, "
	    "i.created_at, i.expires_at, i.status, i.expires_at <= NOW(), "
	    "COALESCE(i.override_reason, ''), COALESCE(rb.login, '') "
	    "FROM community_invitations i "
	    "LEFT JOIN users u ON u.id = i.invitee_user_id "
	    "JOIN users ib ON ib.id = i.invited_by "
	    "LEFT JOIN users rb ON rb.id = i.redeemed_by "
	    "WHERE i.community_id = ? AND i.status <> 'superseded' "
	    "AND (? = 0 OR i.id < ?) ORDER BY i.id DESC LIMIT 101",
	[STMT_USER_EMAIL] = "SELECT id, COALESCE(organisation_id, 0) "
	    "FROM users WHERE email <> '' AND LOWER(email) = LOWER(?) "
	    "AND status = 'active' ORDER BY id LIMIT 1",
	[STMT_SUPERSEDE_SAME] = "UPDATE community_invitations "
	    "SET status = 'superseded', decided_at = NOW() "
	    "WHERE community_id = ? AND status = 'pending' AND "
	    "(invitee_user_id = ? OR (invitee_user_id IS NULL AND "
	    "LOWER(invitee_email) = LOWER(?)))",
	[STMT_INSERT] = "INSERT INTO community_invitations (community_id, "
	    "token_hash, invitee_user_id, invitee_email, invited_by, "
	    "expires_at, override_reason) VALUES (?, UNHEX(?), ?, ?, ?, "
	    "NOW() + INTERVAL ? DAY, ?)",
	[STMT_REVOKE] = "UPDATE community_invitations SET status = 'revoked', "
	    "decided_at = NOW() WHERE id = ? AND community_id = ? "
	    "AND status = 'pending'",
	[STMT_ONE] = "SELECT invitee_user_id, COALESCE(invitee_email, ''), "
	    "override_reason FROM community_invitations WHERE id = ? "
	    "AND community_id = ? AND status IN ('pending', 'expired')",
	[STMT_SUPERSEDE] = "UPDATE community_invitations SET "
	    "status = 'superseded', decided_at = NOW() WHERE id = ? "
	    "AND status IN ('pending', 'expired')",
	/*
	 * An open invitation bound to the reader: parameters user, email
	 * x2 (the recipient binding), then the token's hash or the id.
	 */
	[STMT_BY_TOKEN] = "SELECT i.id, i.expires_at, u.name, u.login, "
	    "i.invited_by, "
	    "c.id, c.slug, c.name, c.description, c.visibility, "
	    "c.join_policy, c.private, i.override_reason IS NULL AND "
	    "i.invitee_user_id IS NULL "
	    "FROM community_invitations i "
	    "JOIN communities c ON c.id = i.community_id "
	    "JOIN users u ON u.id = i.invited_by "
	    "WHERE i.status = 'pending' AND i.expires_at > NOW() "
	    "AND c.archived_at IS NULL AND (i.invitee_user_id = ? OR "
	    "(i.invitee_user_id IS NULL AND ? <> '' AND "
	    "LOWER(i.invitee_email) = LOWER(?))) AND "
	    "i.token_hash = UNHEX(?)",
	[STMT_BY_ID] = "SELECT i.id, i.expires_at, u.name, u.login, "
	    "i.invited_by, "
	    "c.id, c.slug, c.name, c.description, c.visibility, "
	    "c.join_policy, c.private, i.override_reason IS NULL AND "
	    "i.invitee_user_id IS NULL "
	    "FROM community_invitations i "
	    "JOIN communities c ON c.id = i.community_id "
	    "JOIN users u ON u.id = i.invited_by "
	    "WHERE i.status = 'pending' AND i.expires_at > NOW() "
	    "AND c.archived_at IS NULL AND (i.invitee_user_id = ? OR "
	    "(i.invitee_user_id IS NULL AND ? <> '' AND "
	    "LOWER(i.invitee_email) = LOWER(?))) AND "
	    "i.id = ?",
	[STMT_ACCEPT] = "UPDATE community_invitations SET "
	    "status = 'accepted', decided_at = NOW(), redeemed_by = ? "
	    "WHERE id = ? AND status = 'pending' AND expires_at > NOW()",
	[STMT_DECLINE] = "UPDATE community_invitations SET "
	    "status = 'declined', decided_at = NOW(), redeemed_by = ? "
	    "WHERE id = ? AND status = 'pending' AND expires_at > NOW()",
	[STMT_JOIN] = "INSERT INTO community_members (community_id, user_id, "
	    "role, source, added_by) VALUES (?, ?, 'member', 'invitation', ?) "
	    "ON DUPLICATE KEY UPDATE user_id = user_id",
	[STMT_IS_MEMBER] = "SELECT 1 FROM community_members "
	    "WHERE community_id = ? AND user_id = ? UNION ALL "
	    "SELECT 1 FROM directory_memberships WHERE community_slug = ? "
	    "AND user_id = ? LIMIT 1",
};

/* -------------------------------------------------------------- tokens */


/* A new link token (arena), or NULL if the random generator failed. */
static const char *
token_new(struct pt_arena *a)
{
	unsigned char	 buf[TOKEN_BYTES];
	const char	*tok;

	if (RAND_bytes(buf, sizeof(buf)) != 1)
		return NULL;
	tok = pt_b64url_encode(a, buf, sizeof(buf));
	OPENSSL_cleanse(buf, sizeof(buf));
	return tok;
}

static bool
token_wellformed(const char *t)
{
	return t != NULL && strlen(t) == TOKEN_CHARS &&
	    strspn(t, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	    "0123456789-_") == TOKEN_CHARS;
}

/* ------------------------------------------------------- manager pages */

static int
invitations_page(struct pt_req *r, const struct pt_comm *c, xmlNodePtr out,
    const char *msg, const char *link, const char *link_to)
{
	struct pt_stmt	*st;
	xmlNodePtr	 lx, x;
	const char	*v;
	int64_t		 before, last = 0;
	int		 rc, n = 0;

	before = msg || link ? 0 : pt_req_int(r, "before", 0);
	(void)pt_comm_xml(out, c);
	lx = pt_xml_elem(out, "invitations");
	pt_xml_attr(lx, "first", before > 0 ? "no" : "yes");
	if (msg != NULL) {
		pt_xml_text(lx, "error", msg);
		x = pt_xml_elem(lx, "form");
		if ((v = pt_req_str(r, "to")) != NULL)
			pt_xml_attr(x, "to", v);
		if ((v = pt_req_str(r, "reason")) != NULL)
			pt_xml_attr(x, "reason", v);
		if (pt_req_int(r, "override", 0))
			pt_xml_attr(x, "override", "yes");
	}
	if (link != NULL) {
		x = pt_xml_text(lx, "link", link);
		pt_xml_attr(x, "to", link_to);
	}
	if ((st = pt_db_stmt(r->db, r->arena, stmts[STMT_LIST])) == NULL)
		return 500;
	pt_db_bind_int(st, 0, c->id);
	pt_db_bind_int(st, 1, before);
	pt_db_bind_int(st, 2, before);
	if (pt_db_exec(st) != PT_OK)
		return 500;
	while ((rc = pt_db_fetch(st)) == PT_OK) {
		if (++n > PAGE_ROWS)
			continue;
		last = pt_db_col_int(st, 0);
		x = pt_xml_elem(lx, "invitation");
		pt_xml_attr_int(x, "id", last);
		if (*(v = pt_db_col_text(st, 1)) != '\0')
			pt_xml_attr(x, "login", v);
		if (*(v = pt_db_col_text(st, 2)) != '\0')
			pt_xml_attr(x, "name", v);
		if (*(v = pt_db_col_text(st, 3)) != '\0')
			pt_xml_attr(x, "email", v);
		pt_xml_attr(x, "inviter", pt_db_col_text(st, 4));
		pt_xml_attr(x, "created", pt_db_col_text(st, 5));
		pt_xml_attr(x, "expires", pt_db_col_text(st, 6));
		pt_xml_attr(x, "status", pt_db_col_text(st, 7));
		if (pt_db_col_int(st, 8) != 0)
			pt_xml_attr(x, "expired", "yes");
		if (*(v = pt_db_col_text(st, 9)) != '\0')
			pt_xml_attr(x, "override-reason", v);
		if (*(v = pt_db_col_text(st, 10)) != '\0')
			pt_xml_attr(x, "redeemed-by", v);
	}
	if (rc != PT_DECLINED)
		return 500;
	if (n > PAGE_ROWS)
		pt_xml_attr_int(pt_xml_elem(lx, "next"), "before", last);
	return 200;
}

static int
invitations_fail(struct pt_req *r, const struct pt_comm *c, xmlNodePtr out,
    int status, const char *msg)
{
	if (invitations_page(r, c, out, msg, NULL, NULL) != 200)
		return 500;
	r->keep_page = true;
	r->error = msg;
	return status;
}

int
pt_comm_invitations_get(struct pt_req *r, xmlNodePtr out)
{
	struct pt_comm	 c;
	int		 st;

	if ((st = pt_comm_load_managed(r, &c)) != 200)
		return st;
	return invitations_page(r, &c, out, NULL, NULL, NULL);
}

/*
 * Inserts an invitation (inside the caller's transaction) and returns its
 * link in *link (arena).  PT_OK or PT_ERR.
 */
static int
make_invitation(struct pt_req *r, const struct pt_comm *c, int64_t user,
    const char *email, const char *override_reason, const char **link)
{
	struct pt_stmt	*st;
	const char	*tok, *hash;
	unsigned int	 days = r->cfg->lifecycle_invitation_days;

	if ((tok = token_new(r->arena)) == NULL ||
	    (hash = pt_token_hash_hex(r->arena, tok)) == NULL) {
		pt_rlog(r, PT_LOG_ERR, "invitations: no random token");
		return PT_ERR;
	}
	if ((st = pt_db_stmt(r->db, r->arena, stmts[STMT_INSERT])) == NULL)
		return PT_ERR;
	pt_db_bind_int(st, 0, c->id);
	pt_db_bind_text(st, 1, hash);
	if (user > 0)
		pt_db_bind_int(st, 2, user);
	else
		pt_db_bind_null(st, 2);
	if (email != NULL && *email != '\0')
		pt_db_bind_text(st, 3, email);
	else
		pt_db_bind_null(st, 3);
	pt_db_bind_int(st, 4, r->sess->user_id);
	pt_db_bind_int(st, 5, days > 0 ? days : 14);
	if (override_reason != NULL)
		pt_db_bind_text(st, 6, override_reason);
	else
		pt_db_bind_null(st, 6);
	if (pt_db_exec(st) != PT_OK)
		return PT_ERR;
	*link = pt_printf(r->arena, "%s%s/invitations/%s",
	    r->host ? (r->https ? "https://" : "http://") : "",
	    r->host ? r->host : "", tok);
	return PT_OK;
}

int
pt_comm_invitations_post(struct pt_req *r, xmlNodePtr out)
{
	struct pt_comm		 c;
	struct pt_comm_user	 u;
	struct pt_stmt		*st;
	const char		*to, *email = NULL, *why, *link;
	int64_t			 user = 0, org = 0;
	int			 rc;

	if ((rc = pt_comm_load_managed(r, &c)) != 200)
		return rc;
	to = pt_req_str(r, "to");
	if (to != NULL)
		to += strspn(to, " ");
	if (to == NULL || *to == '\0')
		return invitations_fail(r, &c, out, 400, "Give the login of "
		    "the person to invite, or their email address.");
	if ((rc = pt_comm_user_by_login(r, to, &u)) == PT_ERR)
		return 500;
	if (rc == PT_OK) {
		user = u.id;
		org = u.org_id;
	} else if (strchr(to, '@') != NULL) {
		/*
		 * An invitation bound to an address nobody can have (a@, @b)
		 * could never be redeemed: refuse it as the mailer would.
		 */
		if (!pt_mail_addr_ok(to))
			return invitations_fail(r, &c, out, 400,
			    pt_printf(r->arena, "\"%s\" is not an email "
			    "address.", to));
		email = to;
		if ((st = pt_db_stmt(r->db, r->arena,
		    stmts[STMT_USER_EMAIL])) == NULL)
			return 500;
		pt_db_bind_text(st, 0, email);
		if (pt_db_exec(st) != PT_OK || (rc = pt_db_fetch(st)) ==
		    PT_ERR)
			return 500;
		if (rc == PT_OK) {
			u.id = pt_db_col_int(st, 0);
			org = pt_db_col_int(st, 1);
		}
	} else
		return invitations_fail(r, &c, out, 400, pt_printf(r->arena,
		    "Nobody with the login \"%s\" has signed in to the portal "
		    "yet. To invite someone new, give their email address.",
		    to));
	if (u.id > 0) {
		if ((st = pt_db_stmt(r->db, r->arena,
		    stmts[STMT_IS_MEMBER])) == NULL)
			return 500;
		pt_db_bind_int(st, 0, c.id);
		pt_db_bind_int(st, 1, u.id);
		pt_db_bind_text(st, 2, c.slug);
		pt_db_bind_int(st, 3, u.id);
		if (pt_db_exec(st) != PT_OK || (rc = pt_db_fetch(st)) ==
		    PT_ERR)
			return 500;
		if (rc == PT_OK)
			return invitations_fail(r, &c, out, 409,
			    pt_printf(r->arena, "%s is already a member.",
			    to));
	}

	if (pt_db_begin(r->db) != PT_OK)
		return 500;
	if ((rc = pt_comm_conflict_gate(r, &c, u.id, org, to, &why)) != 200) {
		pt_db_rollback(r->db);
		return rc == 500 ? 500 : invitations_fail(r, &c, out, rc,
		    r->error);
	}
	/* One open link per recipient: an earlier one stops working. */
	if ((st = pt_db_stmt(r->db, r->arena, stmts[STMT_SUPERSEDE_SAME])) ==
	    NULL)
		goto fail;
	pt_db_bind_int(st, 0, c.id);
	if (user > 0)
		pt_db_bind_int(st, 1, user);
	else
		pt_db_bind_null(st, 1);
	if (email != NULL)
		pt_db_bind_text(st, 2, email);
	else
		pt_db_bind_null(st, 2);
	if (pt_db_exec(st) != PT_OK)
		goto fail;
	if (make_invitation(r, &c, user, email, why, &link) != PT_OK ||
	    pt_comm_modlog(r, c.id, u.id, "invite_create", pt_printf(r->arena,
	    "to %s%s%s", to, why ? "; override: " : "", why ? why : "")) !=
	    PT_OK || pt_db_commit(r->db) != PT_OK)
		goto fail;
	return invitations_page(r, &c, out, NULL, link, to);
fail:
	pt_db_rollback(r->db);
	return 500;
}

int
pt_comm_invitation_revoke_post(struct pt_req *r, xmlNodePtr out)
{
	struct pt_comm	 c;
	struct pt_stmt	*st;
	int64_t		 id = pt_req_int(r, "id", 0);
	int		 rc;

	(void)out;
	if ((rc = pt_comm_load_managed(r, &c)) != 200)
		return rc;
	if (pt_db_begin(r->db) != PT_OK)
		return 500;
	if ((st = pt_db_stmt(r->db, r->arena, stmts[STMT_REVOKE])) == NULL)
		goto fail;
	pt_db_bind_int(st, 0, id);
	pt_db_bind_int(st, 1, c.id);
	if (pt_db_exec(st) != PT_OK)
		goto fail;
	if (pt_db_affected(st) != 1) {
		pt_db_rollback(r->db);
		return pt_comm_not_found(r);
	}
	if (pt_comm_modlog(r, c.id, 0, "invite_revoke", pt_printf(r->arena,
	    "invitation %lld", (long long)id)) != PT_OK ||
	    pt_db_commit(r->db) != PT_OK)
		goto fail;
	if (pt_resp_redirect(r, pt_printf(r->arena, "/c/%s/invitations",
	    c.slug)) != 303)
		return 500;
	return 303;
fail:
	pt_db_rollback(r->db);
	return 500;
}

int
pt_comm_invitation_resend_post(struct pt_req *r, xmlNodePtr out)
{
	struct pt_comm	 c;
	struct pt_stmt	*st;
	const char	*email, *why, *link, *to;
	int64_t		 id = pt_req_int(r, "id", 0), user;
	int		 rc;

	if ((rc = pt_comm_load_managed(r, &c)) != 200)
		return rc;
	if ((st = pt_db_stmt(r->db, r->arena, stmts[STMT_ONE])) == NULL)
		return 500;
	pt_db_bind_int(st, 0, id);
	pt_db_bind_int(st, 1, c.id);
	if (pt_db_exec(st) != PT_OK || (rc = pt_db_fetch(st)) == PT_ERR)
		return 500;
	if (rc == PT_DECLINED)
		return pt_comm_not_found(r);
	user = pt_db_col_null(st, 0) ? 0 : pt_db_col_int(st, 0);
	email = pt_db_col_text(st, 1);
	why = pt_db_col_null(st, 2) ? NULL : pt_db_col_text(st, 2);
	to = *email != '\0' ? email : pt_printf(r->arena, "user %lld",
	    (long long)user);
	if (pt_db_begin(r->db) != PT_OK)
		return 500;
	if ((st = pt_db_stmt(r->db, r->arena, stmts[STMT_SUPERSEDE])) == NULL)
		goto fail;
	pt_db_bind_int(st, 0, id);
	if (pt_db_exec(st) != PT_OK || pt_db_affected(st) != 1)
		goto fail;
	if (make_invitation(r, &c, user, email, why, &link) != PT_OK ||
	    pt_comm_modlog(r, c.id, user, "invite_resend", pt_printf(r->arena,
	    "invitation %lld sent again", (long long)id)) != PT_OK ||
	    pt_db_commit(r->db) != PT_OK)
		goto fail;
	return invitations_page(r, &c, out, NULL, link, to);
fail:
	pt_db_rollback(r->db);
	return 500;
}

/* ------------------------------------------------------- the recipient */

/*
 * Finds the open invitation bound to the request's user, by token (tok not
 * NULL) or by id.  Returns 200 with *id, *inviter, *cid and *slug set,
 * *recheck true for an email invitation without an override and, if out
 * is not NULL, <invitation> added; else the not-found answer or 500.
 */
static int
find_mine(struct pt_req *r, const char *tok, int64_t want, xmlNodePtr out,
    int64_t *id, int64_t *inviter, int64_t *cid, const char **slug,
    bool *recheck)
{
	struct pt_stmt	*st;
	struct pt_comm	 c;
	const char	*hash = NULL, *email = r->sess->email;
	xmlNodePtr	 ix;
	int		 rc;

	if (tok != NULL) {
		if (!token_wellformed(tok))
			return pt_comm_not_found(r);
		if ((hash = pt_token_hash_hex(r->arena, tok)) == NULL)
			return 500;
	}
	if ((st = pt_db_stmt(r->db, r->arena, stmts[tok ? STMT_BY_TOKEN :
	    STMT_BY_ID])) == NULL)
		return 500;
	pt_db_bind_int(st, 0, r->sess->user_id);
	pt_db_bind_text(st, 1, email ? email : "");
	pt_db_bind_text(st, 2, email ? email : "");
	if (tok != NULL)
		pt_db_bind_text(st, 3, hash);
	else
		pt_db_bind_int(st, 3, want);
	if (pt_db_exec(st) != PT_OK || (rc = pt_db_fetch(st)) == PT_ERR)
		return 500;
	if (rc == PT_DECLINED)
		return pt_comm_not_found(r);
	*id = pt_db_col_int(st, 0);
	*inviter = pt_db_col_int(st, 4);
	*cid = pt_db_col_int(st, 5);
	*slug = pt_db_col_text(st, 6);
	*recheck = pt_db_col_int(st, 12) != 0;
	if (out != NULL) {
		ix = pt_xml_elem(out, "invitation");
		pt_xml_attr_int(ix, "id", *id);
		if (tok != NULL)
			pt_xml_attr(ix, "token", tok);
		pt_xml_attr(ix, "expires", pt_db_col_text(st, 1));
		pt_xml_attr(ix, "inviter", *pt_db_col_text(st, 2) != '\0' ?
		    pt_db_col_text(st, 2) : pt_db_col_text(st, 3));
		memset(&c, 0, sizeof(c));
		c.id = *cid;
		c.slug = *slug;
		c.name = pt_db_col_text(st, 7);
		c.description = pt_db_col_text(st, 8);
		c.visibility = pt_db_col_text(st, 9);
		c.join_policy = pt_db_col_text(st, 10);
		c.priv = pt_db_col_int(st, 11) != 0;
		(void)pt_comm_xml(ix, &c);
	}
	return 200;
}

int
pt_comm_invitation_get(struct pt_req *r, xmlNodePtr out)
{
	const char	*slug;
	int64_t		 id, inviter, cid;
	bool		 recheck;

	return find_mine(r, pt_req_str(r, "token"), 0, out, &id, &inviter,
	    &cid, &slug, &recheck);
}

/* Accepts or declines the invitation the request names. */
static int
decide(struct pt_req *r, const char *tok, int64_t want)
{
	struct pt_stmt	*st;
	const char	*slug, *action = pt_req_str(r, "action");
	int64_t		 id, inviter, cid, me = r->sess->user_id;
	bool		 accept, recheck;
	int		 rc;

	if ((rc = find_mine(r, tok, want, NULL, &id, &inviter, &cid,
	    &slug, &recheck)) != 200)
		return rc;
	if (action == NULL || (strcmp(action, "accept") != 0 &&
	    strcmp(action, "decline") != 0))
		return pt_req_error(r, 400, "Choose to accept or to decline "
		    "the invitation.");
	accept = strcmp(action, "accept") == 0;
	/*
	 * An email invitation (without an override) is checked again: it
	 * may reach an account the manager's check could not see.  The
	 * message names no organisation, which would tell a competitor who
	 * is inside.
	 */
	if (accept && recheck) {
		rc = pt_comm_conflict_check(r->db, r->arena, cid,
		    r->sess->org_id, NULL);
		if (rc == PT_ERR)
			return 500;
		if (rc == PT_DECLINED) {
			if (pt_comm_modlog(r, cid, me, "invite_blocked",
			    "competitor check at acceptance") != PT_OK)
				return 500;
			return pt_req_error(r, 409, "This invitation cannot "
			    "be accepted as it stands. Please ask the manager "
			    "who sent it.");
		}
	}
	if (pt_db_begin(r->db) != PT_OK)
		return 500;
	if ((st = pt_db_stmt(r->db, r->arena, stmts[accept ? STMT_ACCEPT :
	    STMT_DECLINE])) == NULL)
		goto fail;
	pt_db_bind_int(st, 0, me);
	pt_db_bind_int(st, 1, id);
	if (pt_db_exec(st) != PT_OK)
		goto fail;
	if (pt_db_affected(st) != 1) {
		/* Used or revoked a moment ago: as if it never was. */
		pt_db_rollback(r->db);
		return pt_comm_not_found(r);
	}
	if (accept) {
		if ((st = pt_db_stmt(r->db, r->arena, stmts[STMT_JOIN])) ==
		    NULL)
			goto fail;
		pt_db_bind_int(st, 0, cid);
		pt_db_bind_int(st, 1, me);
		pt_db_bind_int(st, 2, inviter);
		if (pt_db_exec(st) != PT_OK)
			goto fail;
	}
	if (pt_comm_modlog(r, cid, me, accept ? "invite_accept" :
	    "invite_decline", pt_printf(r->arena, "invitation %lld",
	    (long long)id)) != PT_OK || pt_db_commit(r->db) != PT_OK)
		goto fail;
	if (pt_resp_redirect(r, accept ? pt_printf(r->arena, "/c/%s", slug) :
	    "/communities") != 303)
		return 500;
	return 303;
fail:
	pt_db_rollback(r->db);
	return 500;
}

int
pt_comm_invitation_post(struct pt_req *r, xmlNodePtr out)
{
	(void)out;
	return decide(r, pt_req_str(r, "token"), 0);
}

int
pt_comm_invitation_id_post(struct pt_req *r, xmlNodePtr out)
{
	(void)out;
	return decide(r, NULL, pt_req_int(r, "id", 0));
}
