/*
 * feed.c - the Atom feed of a community (GET /c/{slug}/feed.atom) and the
 * per-user feed token (GET, POST /account/feed-token).
 *
 * A feed reader rarely carries the session cookie, so the feed also takes
 * ?token=: 32 random bytes, base64url, of which only the SHA-256 is stored
 * (feed_tokens, one row per user).  Rotating the token replaces the row,
 * which revokes the old one.  The token stands for its user exactly as a
 * session would: the request gets a session-shaped identity (user and
 * roles, no session row) so that the one visibility rule of access.c
 * decides.  A wrong token, a disabled user, or a user who may not read the
 * community all get pt_comm_not_found(), the same bytes as a community
 * that does not exist.
 *
 * The feed lists the latest PT_DISC_FEED_ENTRIES visible posts in visible
 * threads; each entry carries the post's source text as Atom text content
 * (never HTML, so no feed reader can be made to run markup).
 *
 * XML produced:
 *   feed.xsl:       <feed base="https://host" updated=""><community/>
 *                   <entry post="" thread="" title="" first="yes" author=""
 *                   published="" updated=""><body>text</body></entry>...
 *                   </feed>
 *   feed-token.xsl: <feed-token exists="yes" created="" token="(once,
 *                   after rotating)"/>
 *
 * API (threads.h): pt_disc_feed_get, pt_disc_token_get,
 * pt_disc_token_post.  To put more in an entry, select it in STMT_ENTRIES
 * and write it in feed.xsl.
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include "portico.h"
#include "community.h"
#include "threads.h"

#define FEED_TOKEN_BYTES	32

enum {
	STMT_ENTRIES,
	STMT_TOKEN_INFO,
	STMT_TOKEN_SET,
	STMT__MAX
};

static const char *const stmts[STMT__MAX] = {
	[STMT_ENTRIES] = "SELECT p.id, p.thread_id, t.title, p.is_first, "
	    "u.login, u.name, p.body, " PT_DISC_TIME("p.created_at") ", "
	    PT_DISC_TIME("COALESCE(p.edited_at, p.created_at)") " "
	    "FROM posts p JOIN threads t ON t.id = p.thread_id "
	    "JOIN users u ON u.id = p.author_id "
	    "WHERE p.community_id = ? AND p.status = 'visible' AND "
	    "t.status = 'visible' AND t.community_id = p.community_id "
	    "ORDER BY p.created_at DESC, p.id DESC LIMIT ?",
	[STMT_TOKEN_INFO] = "SELECT " PT_DISC_TIME("created_at")
	    " FROM feed_tokens WHERE user_id = ?",
	[STMT_TOKEN_SET] = "INSERT INTO feed_tokens (user_id, token_hash, "
	    "created_at) VALUES (?, UNHEX(?), NOW()) ON DUPLICATE KEY UPDATE "
	    "token_hash = VALUES(token_hash), created_at = VALUES(created_at)",
};



static int
feed_build(struct pt_req *r, xmlNodePtr out)
{
	struct pt_comm	 c;
	struct pt_stmt	*st;
	xmlNodePtr	 fx, ex;
	const char	*updated = "1970-01-01T00:00:00Z", *u;
	int		 rc;

	if (r->sess == NULL)
		return pt_comm_not_found(r);
	rc = pt_comm_load(r, 0, pt_req_str(r, "slug"), &c);
	if (rc == PT_DECLINED || (rc == PT_OK && !c.readable))
		return pt_comm_not_found(r);
	if (rc != PT_OK)
		return 500;

	if ((st = pt_db_stmt(r->db, r->arena, stmts[STMT_ENTRIES])) == NULL)
		return 500;
	pt_db_bind_int(st, 0, c.id);
	pt_db_bind_int(st, 1, PT_DISC_FEED_ENTRIES);
	if (pt_db_exec(st) != PT_OK)
		return 500;
	fx = pt_xml_elem(out, "feed");
	pt_xml_attr(fx, "base", pt_printf(r->arena, "%s://%s",
	    r->https ? "https" : "http", r->host != NULL && *r->host != '\0' ?
	    r->host : "localhost"));
	pt_comm_xml(fx, &c);
	while ((rc = pt_db_fetch(st)) == PT_OK) {
		/*
		 * Entries come newest first by creation, but an older post
		 * edited since is newer: the feed is as new as its newest.
		 */
		u = pt_db_col_text(st, 8);
		if (strcmp(u, updated) > 0)
			updated = u;
		ex = pt_xml_elem(fx, "entry");
		pt_xml_attr_int(ex, "post", pt_db_col_int(st, 0));
		pt_xml_attr_int(ex, "thread", pt_db_col_int(st, 1));
		pt_xml_attr(ex, "title", pt_db_col_text(st, 2));
		if (pt_db_col_int(st, 3))
			pt_xml_attr(ex, "first", "yes");
		pt_xml_attr(ex, "login", pt_db_col_text(st, 4));
		pt_xml_attr(ex, "author", pt_db_col_text(st, 5));
		pt_xml_text(ex, "body", pt_db_col_text(st, 6));
		pt_xml_attr(ex, "published", pt_db_col_text(st, 7));
		pt_xml_attr(ex, "updated", u);
	}
	if (rc != PT_DECLINED)
		return 500;
	pt_xml_attr(fx, "updated", updated);
	return 200;
}

int
pt_disc_feed_get(struct pt_req *r, xmlNodePtr out)
{
	const char	*token = pt_req_str(r, "token");
	int		 rc, st;

	if (token == NULL)
		return feed_build(r, out);
	/*
	 * The token decides, not the cookie; its identity lasts for this
	 * handler only, so an error page shows nobody as signed in.
	 */
	r->sess = NULL;
	if ((rc = pt_sess_feed_token(r, token)) == PT_DECLINED)
		return pt_comm_not_found(r);
	if (rc != PT_OK)
		return 500;
	st = feed_build(r, out);
	r->sess = NULL;
	return st;
}

/* <feed-token> with when the current token was made, if there is one. */
static int
token_page(struct pt_req *r, xmlNodePtr out, const char *token)
{
	struct pt_stmt	*st;
	xmlNodePtr	 tx;
	int		 rc;

	if ((st = pt_db_stmt(r->db, r->arena, stmts[STMT_TOKEN_INFO])) ==
	    NULL)
		return 500;
	pt_db_bind_int(st, 0, r->sess->user_id);
	if (pt_db_exec(st) != PT_OK || (rc = pt_db_fetch(st)) == PT_ERR)
		return 500;
	tx = pt_xml_elem(out, "feed-token");
	if (rc == PT_OK) {
		pt_xml_attr(tx, "exists", "yes");
		pt_xml_attr(tx, "created", pt_db_col_text(st, 0));
		while (pt_db_fetch(st) == PT_OK)
			;
	}
	if (token != NULL)
		pt_xml_attr(tx, "token", token);
	return 200;
}

int
pt_disc_token_get(struct pt_req *r, xmlNodePtr out)
{
	return token_page(r, out, NULL);
}

int
pt_disc_token_post(struct pt_req *r, xmlNodePtr out)
{
	unsigned char	 raw[FEED_TOKEN_BYTES];
	struct pt_stmt	*st;
	char		*token;

	if (RAND_bytes(raw, sizeof(raw)) != 1) {
		pt_rlog(r, PT_LOG_ERR, "feed token: RAND_bytes failed");
		abort();
	}
	token = pt_b64url_encode(r->arena, raw, sizeof(raw));
	OPENSSL_cleanse(raw, sizeof(raw));
	if ((st = pt_db_stmt(r->db, r->arena, stmts[STMT_TOKEN_SET])) == NULL)
		return 500;
	pt_db_bind_int(st, 0, r->sess->user_id);
	pt_db_bind_text(st, 1, pt_token_hash_hex(r->arena, token));
	if (pt_db_exec(st) != PT_OK)
		return 500;
	if (pt_audit(r->db, r->arena, r->sess->user_id, "feed_token_rotated",
	    r->sess->user_id, "", r->id) != PT_OK)
		return 500;
	return token_page(r, out, token);
}
