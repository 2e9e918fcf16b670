/*
 * provenance.c — the command line, host and time of provenance.h. The command is quoted so
 * that pasting it into a shell runs the same command (single quotes, ' as '\'').
 */
#include "sim/cli/provenance.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "sim/base/util.h"

/* s needs quoting in a POSIX shell. */
static int needs_quotes(const char *s)
{
	if (!*s)
		return 1;
	for (; *s; s++)
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
		            "_-+=./,:@%",
		            *s))
			return 1;
	return 0;
}

char *provenance_command(int argc, char **argv)
{
	size_t cap = 8;
	for (int i = 0; i < argc; i++)
		cap += 4 * strlen(argv[i]) + 3;
	char *r = xmalloc(cap), *p = r;
	p += sprintf(p, "vmsim");
	for (int i = 0; i < argc; i++) {
		*p++ = ' ';
		if (!needs_quotes(argv[i])) {
			p += sprintf(p, "%s", argv[i]);
			continue;
		}
		*p++ = '\'';
		for (const char *s = argv[i]; *s; s++) {
			if (*s == '\'')
				p += sprintf(p, "'\\''");
			else
				*p++ = *s;
		}
		*p++ = '\'';
	}
	*p = '\0';
	return r;
}

char *provenance_host(void)
{
	char h[256];
	if (gethostname(h, sizeof(h)) < 0)
		return xstrdup("unknown");
	h[sizeof(h) - 1] = '\0';
	return xstrdup(h);
}

char *provenance_time_utc(void)
{
	time_t t = time(NULL);
	struct tm tm;
	char buf[32];
	gmtime_r(&t, &tm);
	strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm);
	return xstrdup(buf);
}
