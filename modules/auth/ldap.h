/*
 * ldap.h - the LDAP directory library of the auth module
 * (modules/auth/ldap.c): RFC 4515 filter escaping, search-then-bind
 * sign-in, and a service-account lookup for directory sync.
 *
 * Not to be confused with OpenLDAP's <ldap.h>: this header includes
 * nothing of libldap, so callers see only portico.h types.  Include it as
 * "ldap.h" from modules/auth/ (or "auth/ldap.h" with -Imodules) and
 * OpenLDAP's as <ldap.h>.
 */
#ifndef PT_AUTH_LDAP_H
#define PT_AUTH_LDAP_H

#include <stdbool.h>

#include "portico.h"

/* Longest login handed to the directory; longer ones are PT_DECLINED. */
#define PT_LDAP_LOGIN_MAX	256
/* Longest password handed to the directory; longer ones are PT_DECLINED. */
#define PT_LDAP_PASSWORD_MAX	1024

/*
 * Escapes in as an RFC 4515 assertion value, so that it can stand for the
 * "%s" of a filter and match only itself: '*', '(', ')', '\\', control
 * characters, DEL and every byte that is not part of valid UTF-8 become
 * "\xx" (two lower-case hex digits); valid UTF-8 characters are kept.
 * This is the one escaper: every filter Portico sends is built through it.
 * Returns PT_OK with *out arena-allocated (allocates; never NULL), or
 * PT_ERR if in is NULL.
 */
int	pt_ldap_escape(struct pt_arena *, const char *in, char **out) PT_WUR;

/*
 * Signs login in with password against [ldap]: binds as bind_dn (or
 * searches anonymously when it is empty), searches base_dn with
 * user_filter for exactly one entry, binds as that entry with password,
 * then reads the user's groups (memberOf, or a search of group_base_dn
 * with group_filter, per group_mode) as the service account.
 *
 * Returns PT_OK with *out filled (source "ldap", external_id the entry's
 * DN, login the entry's login_attr, name, email, organisation from
 * org_attr or NULL, groups the group DNs, group_eq pt_ldap_dn_equal);
 * every string is allocated from the arena.  Returns PT_DECLINED, *out untouched, for credentials that do
 * not sign anyone in, whatever the reason: empty or over-long login or
 * password (refused before any connection), no entry, more than one
 * entry, a wrong password.  Returns PT_ERR (logged) when the directory is
 * unreachable, slower than [ldap] timeout in all, refuses the service
 * account, or the configuration does not work; the caller answers 503.
 * The whole call takes at most about [ldap] timeout seconds.  The
 * connection is closed before it returns; the password is never logged
 * or copied.
 */
int	pt_ldap_authenticate(const struct pt_config *, struct pt_arena *,
	    const char *login, const char *password, struct pt_identity *out)
	    PT_WUR;

/*
 * Looks a user up as the service account, without their password, for
 * directory sync: dn_or_login is an entry DN below base_dn (as stored in
 * external_id) or a login.  The entry must still be the one user_filter
 * finds for its login.  Returns PT_OK with *out filled as
 * pt_ldap_authenticate() does; PT_DECLINED if the directory no longer has
 * that user (or the login is ambiguous); PT_ERR (logged) as above.
 * Allocates from the arena: a sync over many users should reset it
 * between users.
 */
int	pt_ldap_lookup(const struct pt_config *, struct pt_arena *,
	    const char *dn_or_login, struct pt_identity *out) PT_WUR;

/*
 * True if a and b are the same DN: both parse as LDAPv3 DNs and are equal
 * once normalised (RFC 4514 form, insignificant spaces and escapes
 * removed), ignoring ASCII case.  For comparing configured group DNs
 * ([roles]) with the ones the directory returns.  Allocates nothing that
 * outlives the call.
 */
bool	pt_ldap_dn_equal(const char *a, const char *b);

#endif /* PT_AUTH_LDAP_H */
