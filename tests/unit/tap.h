/*
 * tap.h - a tiny Test Anything Protocol writer for Portico's C unit tests.
 *
 * Every unit test is one program that prints TAP on stdout; automake's
 * tap-driver.sh turns that into the make check summary.  The helpers are
 * static so that each test program carries its own copy and nothing here
 * needs linking.
 *
 * API:
 *	plan(n)			print "1..n" up front (optional)
 *	ok(cond, fmt, ...)	one test point
 *	is_int(got, want, fmt, ...)
 *	is_str(got, want, fmt, ...)	NULL-safe string comparison
 *	is_mem(got, glen, want, wlen, fmt, ...)
 *	diag(fmt, ...)		a "# ..." comment line
 *	skip(why)		one test point reported as skipped
 *	done()			print the trailing plan if none was given and
 *				return the exit status for main()
 *
 * To add a helper, add a static function here and a macro that passes
 * __FILE__ and __LINE__ so failures say where they happened.
 */
#ifndef PT_TAP_H
#define PT_TAP_H

#include <inttypes.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int	tap_count;
static int	tap_failed;
static int	tap_planned;

static void __attribute__((unused))
plan(int n)
{
	tap_planned = n;
	printf("1..%d\n", n);
	fflush(stdout);
}

static void __attribute__((unused, format(printf, 1, 2)))
diag(const char *fmt, ...)
{
	va_list	 ap;
	char	 buf[4096], *p, *nl;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	for (p = buf; ; p = nl + 1) {
		nl = strchr(p, '\n');
		if (nl != NULL)
			*nl = '\0';
		printf("# %s\n", p);
		if (nl == NULL)
			break;
	}
	fflush(stdout);
}

static int __attribute__((unused, format(printf, 4, 0)))
tap_vok(int pass, const char *file, int line, const char *fmt, va_list ap)
{
	char	 name[1024];
	char	*p;

	vsnprintf(name, sizeof(name), fmt, ap);
	/* A '#' in a description would read as a directive. */
	for (p = name; *p != '\0'; p++)
		if (*p == '#' || *p == '\n' || *p == '\r')
			*p = ' ';
	tap_count++;
	printf("%sok %d - %s\n", pass ? "" : "not ", tap_count, name);
	if (!pass) {
		tap_failed++;
		printf("#   failed at %s:%d\n", file, line);
	}
	fflush(stdout);
	return pass;
}

static int __attribute__((unused, format(printf, 4, 5)))
tap_ok(int pass, const char *file, int line, const char *fmt, ...)
{
	va_list	 ap;
	int	 rc;

	va_start(ap, fmt);
	rc = tap_vok(pass, file, line, fmt, ap);
	va_end(ap);
	return rc;
}

static int __attribute__((unused, format(printf, 5, 6)))
tap_is_int(intmax_t got, intmax_t want, const char *file, int line,
    const char *fmt, ...)
{
	va_list	 ap;
	int	 rc;

	va_start(ap, fmt);
	rc = tap_vok(got == want, file, line, fmt, ap);
	va_end(ap);
	if (!rc)
		diag("  got: %jd\n  expected: %jd", got, want);
	return rc;
}

/* Prints s with non-printable bytes escaped, for diagnostics. */
static void __attribute__((unused))
tap_quote(char *buf, size_t bufsz, const char *s, size_t len)
{
	size_t	 i, o = 0;

	if (s == NULL) {
		snprintf(buf, bufsz, "(null)");
		return;
	}
	for (i = 0; i < len && o + 5 < bufsz; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c >= 0x20 && c < 0x7f && c != '\\')
			buf[o++] = (char)c;
		else
			o += (size_t)snprintf(buf + o, bufsz - o, "\\x%02x", c);
	}
	if (i < len && o + 4 < bufsz)
		o += (size_t)snprintf(buf + o, bufsz - o, "...");
	buf[o] = '\0';
}

static int __attribute__((unused, format(printf, 7, 8)))
tap_is_mem(const char *got, size_t glen, const char *want, size_t wlen,
    const char *file, int line, const char *fmt, ...)
{
	va_list	 ap;
	int	 rc, pass;
	char	 g[512], w[512];

	if (got == NULL || want == NULL)
		pass = got == want;
	else
		pass = glen == wlen && memcmp(got, want, glen) == 0;
	va_start(ap, fmt);
	rc = tap_vok(pass, file, line, fmt, ap);
	va_end(ap);
	if (!rc) {
		tap_quote(g, sizeof(g), got, glen);
		tap_quote(w, sizeof(w), want, wlen);
		diag("  got: \"%s\" (%zu bytes)\n  expected: \"%s\" (%zu bytes)",
		    g, glen, w, wlen);
	}
	return rc;
}

static void __attribute__((unused))
tap_skip(const char *why)
{
	tap_count++;
	printf("ok %d # SKIP %s\n", tap_count, why);
	fflush(stdout);
}

static int __attribute__((unused))
done(void)
{
	if (tap_planned == 0)
		printf("1..%d\n", tap_count);
	else if (tap_planned != tap_count)
		diag("planned %d tests but ran %d", tap_planned, tap_count);
	fflush(stdout);
	if (tap_failed > 0)
		diag("%d of %d tests failed", tap_failed, tap_count);
	return tap_failed > 0 || (tap_planned != 0 &&
	    tap_planned != tap_count) ? EXIT_FAILURE : EXIT_SUCCESS;
}

#define ok(cond, ...)	tap_ok(!!(cond), __FILE__, __LINE__, __VA_ARGS__)
#define is_int(got, want, ...) \
	tap_is_int((intmax_t)(got), (intmax_t)(want), __FILE__, __LINE__, \
	    __VA_ARGS__)
#define is_str(got, want, ...) do {					\
	const char *tap_g_ = (got), *tap_w_ = (want);			\
	tap_is_mem(tap_g_, tap_g_ ? strlen(tap_g_) : 0, tap_w_,		\
	    tap_w_ ? strlen(tap_w_) : 0, __FILE__, __LINE__, __VA_ARGS__); \
} while (0)
#define is_mem(got, glen, want, wlen, ...) \
	tap_is_mem((got), (glen), (want), (wlen), __FILE__, __LINE__, \
	    __VA_ARGS__)
#define skip(why)	tap_skip(why)

#endif /* PT_TAP_H */
