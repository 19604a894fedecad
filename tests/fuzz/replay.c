/*
 * replay.c - runs a fuzz target over its seed corpus, without libFuzzer.
 *
 * make check links this file with each tests/fuzz/fuzz_<name>.c and the
 * ordinary compiler, so every seed (and every crash reproducer added to a
 * corpus) runs on every build.  With no arguments it reads
 * $PT_SRCDIR/tests/fuzz/corpus/<name>/ (PT_FUZZ_NAME is set by the build);
 * arguments name files or directories to run instead, which is how a
 * crash file from a fuzz session is replayed under a debugger.
 *
 * Output is TAP: one test point per input.  "# input: FILE" is printed
 * before each input runs, so a crash is traced to its file in the log.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef PT_FUZZ_NAME
#error "PT_FUZZ_NAME must name the target (see tests/fuzz/local.mk)"
#endif

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static int	 count;

static int
cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int
run_file(const char *path)
{
	FILE		*f;
	uint8_t		*buf = NULL;
	size_t		 len = 0, cap = 0, n;

	if ((f = fopen(path, "rb")) == NULL) {
		printf("not ok %d - %s: %s\n", ++count, path, strerror(errno));
		return 1;
	}
	for (;;) {
		if (len == cap) {
			cap = cap ? cap * 2 : 4096;
			if ((buf = realloc(buf, cap)) == NULL)
				abort();
		}
		n = fread(buf + len, 1, cap - len, f);
		if (n == 0)
			break;
		len += n;
	}
	fclose(f);
	printf("# input: %s (%zu bytes)\n", path, len);
	fflush(stdout);
	/* Hand over exactly len bytes so that ASan catches over-reads. */
	buf = realloc(buf, len ? len : 1);
	(void)LLVMFuzzerTestOneInput(buf, len);
	free(buf);
	printf("ok %d - %s\n", ++count, path);
	fflush(stdout);
	return 0;
}

static int
run_path(const char *path)
{
	struct stat	 sb;
	DIR		*d;
	struct dirent	*e;
	char		**names = NULL, *full;
	size_t		 n = 0, cap = 0, i;
	int		 fails = 0;

	if (stat(path, &sb) == -1) {
		printf("not ok %d - %s: %s\n", ++count, path, strerror(errno));
		return 1;
	}
	if (!S_ISDIR(sb.st_mode))
		return run_file(path);
	if ((d = opendir(path)) == NULL) {
		printf("not ok %d - %s: %s\n", ++count, path, strerror(errno));
		return 1;
	}
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			if ((names = realloc(names, cap * sizeof(*names))) ==
			    NULL)
				abort();
		}
		if ((names[n++] = strdup(e->d_name)) == NULL)
			abort();
	}
	closedir(d);
	qsort(names, n, sizeof(*names), cmp);
	for (i = 0; i < n; i++) {
		size_t flen = strlen(path) + strlen(names[i]) + 2;

		if ((full = malloc(flen)) == NULL)
			abort();
		snprintf(full, flen, "%s/%s", path, names[i]);
		fails += run_path(full);
		free(full);
		free(names[i]);
	}
	free(names);
	return fails;
}

int
main(int argc, char *argv[])
{
	const char	*src;
	char		 dir[4096];
	int		 i, fails = 0;

	if (argc > 1) {
		for (i = 1; i < argc; i++)
			fails += run_path(argv[i]);
	} else {
		if ((src = getenv("PT_SRCDIR")) == NULL)
			src = ".";
		snprintf(dir, sizeof(dir), "%s/tests/fuzz/corpus/%s", src,
		    PT_FUZZ_NAME);
		fails = run_path(dir);
	}
	if (count == 0)
		printf("not ok %d - no corpus inputs found\n", ++count),
		    fails++;
	printf("1..%d\n", count);
	return fails ? 1 : 0;
}
