/*
 * storage.c - the local-directory backend of the collateral store
 * (storage.h): content-addressed files under [collateral] storage_dir.
 *
 * Layout: <storage_dir>/tmp/ holds objects being written (mkstemp, 0640;
 * a worker killed mid-upload leaves one, swept after a day);
 * <storage_dir>/<aa>/<bb>/<sha256> holds committed ones, aa and bb being
 * the first two pairs of hex digits (0750 directories), so that no
 * directory grows past 65,536 entries.  A commit is fsync(file), rename()
 * into place, fsync(directory): after a crash a file is either complete
 * under its name or not there.  Objects are immutable; identical uploads
 * share one file.
 *
 * API: storage.h.  To add a backend (S3-compatible, via libcurl), give
 * these functions a second implementation chosen by a [collateral] key;
 * callers see only storage.h.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "portico.h"
#include "storage.h"

struct pt_store_put {
	struct pt_req	*r;
	char		*tmp;		/* temporary path, NULL once gone */
	int		 fd;
	EVP_MD_CTX	*md;
	uint64_t	 size;
};

static void
put_cleanup(void *arg)
{
	struct pt_store_put	*p = arg;

	pt_store_abort(p);
	if (p->md != NULL) {
		EVP_MD_CTX_free(p->md);
		p->md = NULL;
	}
}

/*
 * Makes a directory of the store.  The mode is set explicitly, whatever
 * the umask, so that the web server's group can always traverse it; the
 * setgid bit the new directory inherits from the store (which makes every
 * entry belong to that group) is kept.
 */
static int
mkdir_p(const char *path, mode_t mode)
{
	struct stat	 sb;

	if (mkdir(path, mode) == 0) {
		if (stat(path, &sb) == 0)
			(void)chmod(path, mode | (sb.st_mode & S_ISGID));
		return PT_OK;
	}
	return errno == EEXIST ? PT_OK : PT_ERR;
}

/*
 * Removes temporary objects older than a day: what a worker killed in the
 * middle of an upload (no arena cleanup ran) left behind.  Uploads are
 * rare, so doing it when one starts costs nothing that matters.
 */
static void
sweep_tmp(struct pt_req *r, const char *tmpdir)
{
	struct dirent	*de;
	struct stat	 sb;
	DIR		*d;
	time_t		 old = time(NULL) - 86400;

	if ((d = opendir(tmpdir)) == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		if (strncmp(de->d_name, "up.", 3) != 0)
			continue;
		if (fstatat(dirfd(d), de->d_name, &sb, AT_SYMLINK_NOFOLLOW) ==
		    0 && S_ISREG(sb.st_mode) && sb.st_mtime < old) {
			if (unlinkat(dirfd(d), de->d_name, 0) == 0)
				pt_rlog(r, PT_LOG_WARN, "collateral store: "
				    "removed stale %s/%s", tmpdir, de->d_name);
		}
	}
	closedir(d);
}

struct pt_store_put *
pt_store_begin(struct pt_req *r)
{
	const char		*dir = r->cfg->collateral_storage_dir;
	struct pt_store_put	*p;
	char			*tmpdir;

	tmpdir = pt_printf(r->arena, "%s/tmp", dir);
	if (mkdir_p(dir, 0750) != PT_OK || mkdir_p(tmpdir, 0750) != PT_OK) {
		pt_rlog(r, PT_LOG_ERR, "collateral store %s: %s", dir,
		    strerror(errno));
		return NULL;
	}
	sweep_tmp(r, tmpdir);
	p = pt_alloc(r->arena, sizeof(*p));
	p->r = r;
	p->fd = -1;
	p->tmp = pt_printf(r->arena, "%s/up.XXXXXX", tmpdir);
	if ((p->fd = mkostemp(p->tmp, O_CLOEXEC)) == -1) {
		pt_rlog(r, PT_LOG_ERR, "collateral store %s: %s", tmpdir,
		    strerror(errno));
		return NULL;
	}
	if (fchmod(p->fd, 0640) == -1)
		pt_rlog(r, PT_LOG_WARN, "collateral store: chmod: %s",
		    strerror(errno));
	if ((p->md = EVP_MD_CTX_new()) == NULL ||
	    EVP_DigestInit_ex(p->md, EVP_sha256(), NULL) != 1)
		abort();
	pt_arena_cleanup(r->arena, put_cleanup, p);
	return p;
}

int
pt_store_write(struct pt_store_put *p, const char *buf, size_t len)
{
	ssize_t	 n;

	if (p->fd == -1) {
		errno = EBADF;
		return PT_ERR;
	}
	if (EVP_DigestUpdate(p->md, buf, len) != 1)
		abort();
	while (len > 0) {
		if ((n = write(p->fd, buf, len)) == -1) {
			if (errno == EINTR)
				continue;
			return PT_ERR;
		}
		buf += n;
		len -= (size_t)n;
		p->size += (uint64_t)n;
	}
	return PT_OK;
}

uint64_t
pt_store_size(const struct pt_store_put *p)
{
	return p->size;
}

const char *
pt_store_path(struct pt_arena *a, const char *sha)
{
	return pt_printf(a, "%.2s/%.2s/%s", sha, sha + 2, sha);
}

const char *
pt_store_abspath(struct pt_arena *a, const struct pt_config *cfg,
    const char *sha)
{
	return pt_printf(a, "%s/%s", cfg->collateral_storage_dir,
	    pt_store_path(a, sha));
}

static int
fsync_dir(const char *path)
{
	int	 fd, rc;

	if ((fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1)
		return PT_ERR;
	rc = fsync(fd);
	close(fd);
	return rc == 0 ? PT_OK : PT_ERR;
}

int
pt_store_commit(struct pt_store_put *p, char sha[65], bool *created)
{
	static const char	 hex[] = "0123456789abcdef";
	struct pt_arena		*a = p->r->arena;
	const char		*dir = p->r->cfg->collateral_storage_dir;
	unsigned char		 md[EVP_MAX_MD_SIZE];
	unsigned int		 mdlen, i;
	char			*d1, *d2, *path;
	struct stat		 st;

	*created = false;
	if (p->fd == -1) {
		errno = EBADF;
		return PT_ERR;
	}
	if (EVP_DigestFinal_ex(p->md, md, &mdlen) != 1 || mdlen != 32)
		abort();
	for (i = 0; i < 32; i++) {
		sha[2 * i] = hex[md[i] >> 4];
		sha[2 * i + 1] = hex[md[i] & 15];
	}
	sha[64] = '\0';
	if (fsync(p->fd) == -1)
		return PT_ERR;
	if (close(p->fd) == -1) {
		p->fd = -1;
		return PT_ERR;
	}
	p->fd = -1;
	d1 = pt_printf(a, "%s/%.2s", dir, sha);
	d2 = pt_printf(a, "%s/%.2s", d1, sha + 2);
	path = pt_printf(a, "%s/%s", d2, sha);
	if (mkdir_p(d1, 0750) != PT_OK || mkdir_p(d2, 0750) != PT_OK)
		return PT_ERR;
	if (stat(path, &st) == 0) {
		/* The same bytes are stored already. */
		unlink(p->tmp);
		p->tmp = NULL;
		return PT_OK;
	}
	if (rename(p->tmp, path) == -1)
		return PT_ERR;
	p->tmp = NULL;
	*created = true;
	if (fsync_dir(d2) != PT_OK)
		return PT_ERR;
	return PT_OK;
}

void
pt_store_abort(struct pt_store_put *p)
{
	if (p->fd != -1) {
		close(p->fd);
		p->fd = -1;
	}
	if (p->tmp != NULL) {
		unlink(p->tmp);
		p->tmp = NULL;
	}
}

static void
fd_close(void *arg)
{
	close((int)(intptr_t)arg);
}

int
pt_store_open(struct pt_arena *a, const struct pt_config *cfg,
    const char *sha)
{
	int	 fd;

	if (!pt_store_sha_ok(sha)) {
		errno = EINVAL;
		return -1;
	}
	fd = open(pt_store_abspath(a, cfg, sha), O_RDONLY | O_CLOEXEC |
	    O_NOFOLLOW);
	if (fd != -1)
		pt_arena_cleanup(a, fd_close, (void *)(intptr_t)fd);
	return fd;
}

int
pt_store_remove(const struct pt_config *cfg, const char *sha)
{
	char	 path[4096];
	int	 n;

	if (!pt_store_sha_ok(sha))
		return PT_ERR;
	n = snprintf(path, sizeof(path), "%s/%.2s/%.2s/%s",
	    cfg->collateral_storage_dir, sha, sha + 2, sha);
	if (n < 0 || (size_t)n >= sizeof(path))
		return PT_ERR;
	if (unlink(path) == -1 && errno != ENOENT)
		return PT_ERR;
	return PT_OK;
}

bool
pt_store_sha_ok(const char *s)
{
	size_t	 i;

	for (i = 0; i < 64; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' &&
		    s[i] <= 'f')))
			return false;
	return s[64] == '\0';
}
