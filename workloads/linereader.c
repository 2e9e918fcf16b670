/*
 * linereader.c — see linereader.h.
 */
#include "workloads/linereader.h"

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define LINEREADER_CAP (1u << 20)

int linereader_open(struct linereader *lr, const char *path, struct err *err)
{
	memset(lr, 0, sizeof(*lr));
	lr->f = fopen(path, "rb");
	if (!lr->f)
		return err_set(err, "%s: cannot open trace: %s", path, strerror(errno));
	struct stat st;
	if (!fstat(fileno(lr->f), &st) && S_ISDIR(st.st_mode)) {
		fclose(lr->f);
		lr->f = NULL;
		return err_set(err, "%s: cannot open trace: %s", path, strerror(EISDIR));
	}
	lr->cap = LINEREADER_CAP;
	lr->nul_at = SIZE_MAX;
	lr->buf = xmalloc(lr->cap + 1);
	lr->buf[0] = '\0';
	lr->path = xstrdup(path);
	return 0;
}

void linereader_rewind(struct linereader *lr)
{
	rewind(lr->f);
	lr->len = lr->pos = 0;
	lr->buf[0] = '\0';
	lr->line_no = 0;
	lr->eof = 0;
	lr->nul_at = SIZE_MAX;
}

const char *linereader_what(int too_long)
{
	return too_long == LINEREADER_NUL ? "a NUL byte in the line (not a text trace?)"
	                                  : "line too long";
}

/* Does the line [start, end) of lr->buf hold the buffer's first NUL? */
static bool line_has_nul(const struct linereader *lr, const char *start, const char *end)
{
	return lr->nul_at != SIZE_MAX && lr->nul_at >= (size_t)(start - lr->buf) &&
	       lr->nul_at < (size_t)(end - lr->buf);
}

char *linereader_next(struct linereader *lr, int *too_long)
{
	*too_long = 0;
	for (;;) {
		char *start = lr->buf + lr->pos;
		char *nl = memchr(start, '\n', lr->len - lr->pos);
		if (nl) {
			if (unlikely(line_has_nul(lr, start, nl))) {
				*too_long = LINEREADER_NUL;
				lr->line_no++;
				return NULL;
			}
			*nl = '\0';
			if (nl > start && nl[-1] == '\r')
				nl[-1] = '\0';
			lr->pos = (size_t)(nl - lr->buf) + 1;
			lr->line_no++;
			return start;
		}
		if (lr->eof) {
			if (lr->pos == lr->len)
				return NULL;
			/* A last line without a newline. */
			if (line_has_nul(lr, start, lr->buf + lr->len)) {
				*too_long = LINEREADER_NUL;
				lr->line_no++;
				return NULL;
			}
			lr->buf[lr->len] = '\0';
			if (lr->len > lr->pos && lr->buf[lr->len - 1] == '\r')
				lr->buf[lr->len - 1] = '\0';
			lr->pos = lr->len;
			lr->line_no++;
			return start;
		}
		/* Move the partial line to the front and read more. */
		size_t rest = lr->len - lr->pos;
		if (rest == lr->cap) {
			*too_long = LINEREADER_TOO_LONG;
			lr->line_no++;
			return NULL;
		}
		memmove(lr->buf, start, rest);
		/* the first NUL: in the kept rest (moved), else in what is read now (one memchr
		 * per buffer, not per line) */
		if (lr->nul_at != SIZE_MAX)
			lr->nul_at = lr->nul_at >= lr->pos ? lr->nul_at - lr->pos : SIZE_MAX;
		lr->pos = 0;
		lr->len = rest;
		size_t n = fread(lr->buf + lr->len, 1, lr->cap - lr->len, lr->f);
		if (lr->nul_at == SIZE_MAX) {
			const char *z = memchr(lr->buf + lr->len, '\0', n);
			if (z)
				lr->nul_at = (size_t)(z - lr->buf);
		}
		lr->len += n;
		lr->buf[lr->len] = '\0'; /* a sentinel for parsers that scan ahead */
		if (n == 0)
			lr->eof = 1;
	}
}

void linereader_close(struct linereader *lr)
{
	if (lr->f)
		fclose(lr->f);
	free(lr->buf);
	free(lr->path);
	memset(lr, 0, sizeof(*lr));
}

int linewriter_open(struct linewriter *lw, const char *path, struct err *err)
{
	memset(lw, 0, sizeof(*lw));
	lw->f = fopen(path, "wb");
	if (!lw->f)
		return err_setc(err, VMSIM_EIO, "%s: cannot create: %s", path, strerror(errno));
	lw->path = xstrdup(path);
	lw->buf = xmalloc(LINEREADER_CAP);
	setvbuf(lw->f, lw->buf, _IOFBF, LINEREADER_CAP);
	return 0;
}

int linewriter_close(struct linewriter *lw, struct err *err)
{
	int rc = 0;
	if (fclose(lw->f) != 0)
		rc = err_setc(err, VMSIM_EIO, "%s: write failed: %s", lw->path, strerror(errno));
	free(lw->buf);
	free(lw->path);
	memset(lw, 0, sizeof(*lw));
	return rc;
}
