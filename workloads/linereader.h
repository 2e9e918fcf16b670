/*
 * linereader.h — fast buffered reading of text traces line by line, with line numbers for
 * messages. Lines are returned NUL-terminated in place (no copy, no allocation per line); a
 * line is valid until the next call. Memory is one fixed buffer, whatever the file's length.
 */
#ifndef VMSIM_WORKLOADS_LINEREADER_H
#define VMSIM_WORKLOADS_LINEREADER_H

#include <stdint.h>
#include <stdio.h>

#include "sim/base/util.h"

struct linereader {
	FILE *f;
	char *buf;        /* buffer of cap bytes (+1: buf[len] is always a NUL sentinel, so a
	                     parser may scan the unread bytes [pos, len) in place) */
	size_t cap, len;  /* bytes held */
	size_t pos;       /* start of the next line within buf */
	uint64_t line_no; /* number of the line last returned (1-based) */
	int eof;
	size_t nul_at; /* offset in buf of its first NUL byte below len; SIZE_MAX: none */
	char *path; /* for messages */
};

/* Open path for reading; on failure returns < 0 with err naming the file. */
int linereader_open(struct linereader *lr, const char *path, struct err *err);
/* Rewind to the first line. */
void linereader_rewind(struct linereader *lr);
/* The next line without its newline (and '\r'), or NULL at end of file. A line longer than
 * the buffer, or one holding a NUL byte (a binary file, a block of zeros: it would hide the
 * rest of the line), is an error: returns NULL and sets *too_long to LINEREADER_TOO_LONG or
 * LINEREADER_NUL (lr->line_no is that line's number; linereader_what says which). */
char *linereader_next(struct linereader *lr, int *too_long);
enum { LINEREADER_TOO_LONG = 1, LINEREADER_NUL = 2 };
/* The message of a *too_long code: "line too long" or "a NUL byte in the line ...". */
const char *linereader_what(int too_long);
void linereader_close(struct linereader *lr);

/* The writing side of text traces: a file with a 1 MiB buffer, and its path for messages. */
struct linewriter {
	FILE *f;
	char *path;
	char *buf;
};

/* Create path for writing; on failure < 0 with err naming the file. */
int linewriter_open(struct linewriter *lw, const char *path, struct err *err);
/* Flush and close; < 0 with err naming the file when the data did not reach it. */
int linewriter_close(struct linewriter *lw, struct err *err);

#endif
