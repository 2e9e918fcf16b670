/*
 * trace_vmt.c — the `vmt` text trace (../shared/DESIGN.md): one operation per line, '#'
 * comments, numbers in decimal or 0x hex. Extensions beyond DESIGN.md: `madvise ADDR LEN
 * ADVICE` (docs/traces.md lists the advice), `msync ADDR LEN`, PROT may also be `none`, w, x or wx,
 * and an anonymous mmap may end with `huge` (MAPF_HUGE), any mmap with `populate`, `hint`,
 * `noreplace`, `noreserve`, `growsdown` and a recorded result `= RESULT` (not those of shmem:
 * and sysv:, which take only `populate`); an mmap of shmem:NAME:OFFSET or sysv:NAME:OFFSET,
 * `shmem NAME SIZE` and `unlink NAME` are OP_SHM, `sigaction` OP_SIGACTION. NAME and IMAGE are
 * single tokens without blanks; a file or shmem NAME has no ':'.
 *
 * The normal form (what the writer prints, so text -> vmb -> text is the identity on it):
 * no comments or blank lines, one space between tokens, lower case, addresses, lengths,
 * offsets and file sizes in 0x hex, pids and nanoseconds in decimal, `wait` without a pid
 * for "any child".
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "workloads/linereader.h"
#include "workloads/trace_format.h"

#define VMT_MAX_TOKENS 16

struct vmt_reader {
	struct linereader lr;
	char name[1024]; /* the name of the last op (file, exec) */
};

static int vmt_open(void **out, const char *path, const struct trace_read_opts *opts,
                    struct err *err)
{
	struct vmt_reader *r = xcalloc(1, sizeof(*r));
	int rc = linereader_open(&r->lr, path, err);
	if (rc) {
		free(r);
		return rc;
	}
	*out = r;
	return 0;
}

static void vmt_where(void *reader, char *buf, size_t len)
{
	struct vmt_reader *r = reader;
	snprintf(buf, len, "%s:%llu", r->lr.path, (unsigned long long)r->lr.line_no);
}

static void vmt_close(void *reader)
{
	struct vmt_reader *r = reader;
	linereader_close(&r->lr);
	free(r);
}

struct tok {
	const char *s;
	size_t len;
};

static int vmt_bad(struct vmt_reader *r, struct err *err, const char *fmt, ...) PRINTF_LIKE(3, 4);
static int vmt_bad(struct vmt_reader *r, struct err *err, const char *fmt, ...)
{
	char what[700];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	return err_set(err, "%s:%llu: %s", r->lr.path, (unsigned long long)r->lr.line_no, what);
}

static int tok_is(const struct tok *t, const char *word)
{
	size_t n = strlen(word);
	return t->len == n && memcmp(t->s, word, n) == 0;
}

/* A number token; what names it in the message ("an address", "a length"). */
static int tok_num(struct vmt_reader *r, const struct tok *t, const char *what, uint64_t *v,
                   struct err *err)
{
	const char *p = t->s;
	if (trace_parse_u64(&p, v) < 0 || p != t->s + t->len)
		return vmt_bad(r, err, "expected %s (decimal or 0x hex), got \"%.*s\"", what,
		               (int)MIN(t->len, 60), t->s);
	return 0;
}

static int tok_pid(struct vmt_reader *r, const struct tok *t, const char *what, uint32_t *pid,
                   struct err *err)
{
	uint64_t v;
	if (tok_num(r, t, what, &v, err))
		return -VMSIM_EINVAL;
	if (v == 0 || v > UINT32_MAX)
		return vmt_bad(r, err, "%s must be in 1..%u, got %llu", what, UINT32_MAX,
		               (unsigned long long)v);
	*pid = (uint32_t)v;
	return 0;
}

static int set_name(struct vmt_reader *r, struct op *op, const char *s, size_t len, struct err *err)
{
	if (len == 0 || len >= sizeof(r->name))
		return vmt_bad(r, err, "a name must have 1 to %zu characters", sizeof(r->name) - 1);
	memcpy(r->name, s, len);
	r->name[len] = '\0';
	op->name = r->name;
	return 0;
}

static int want_tokens(struct vmt_reader *r, int nt, int lo, int hi, const char *usage,
                       struct err *err)
{
	if (nt < lo || nt > hi)
		return vmt_bad(r, err, "expected \"%s\"", usage);
	return 0;
}

static int parse_range(struct vmt_reader *r, const struct tok *t, struct op *op, struct err *err)
{
	if (tok_num(r, &t[0], "an address", &op->addr, err) ||
	    tok_num(r, &t[1], "a length in bytes", &op->len, err))
		return -VMSIM_EINVAL;
	return 0;
}

static int parse_prot(struct vmt_reader *r, const struct tok *t, struct op *op, struct err *err)
{
	int prot = trace_parse_prot(t->s, t->len);
	if (prot < 0)
		return vmt_bad(r, err,
		               "expected a protection (r, rw, rx, rwx, w, x, wx or none), "
		               "got \"%.*s\"",
		               (int)MIN(t->len, 60), t->s);
	op->prot = (uint8_t)prot;
	return 0;
}

/* mmap's flags after private|shared: each at most once, huge only for anon, hint and
 * noreplace not together. */
static int parse_mmap_flag(struct op *op, const struct tok *t)
{
	static const struct {
		const char *word;
		uint8_t flag, xflag;
	} flags[] = {{"huge", MAPF_HUGE, 0},          {"populate", MAPF_POPULATE, 0},
	             {"hint", 0, MAPX_HINT},          {"noreplace", 0, MAPX_NOREPLACE},
	             {"noreserve", 0, MAPX_NORESERVE}, {"growsdown", 0, MAPX_GROWSDOWN}};
	for (size_t i = 0; i < sizeof(flags) / sizeof(flags[0]); i++) {
		if (!tok_is(t, flags[i].word) || (op->flags & flags[i].flag) ||
		    (op->xflags & flags[i].xflag))
			continue;
		if ((flags[i].flag & MAPF_HUGE) && (op->flags & MAPF_FILE))
			return -1;
		op->flags |= flags[i].flag;
		op->xflags |= flags[i].xflag;
		return (op->xflags & MAPX_HINT) && (op->xflags & MAPX_NOREPLACE) ? -1 : 0;
	}
	return -1;
}

/* mmap's recorded result "= ADDR|ERRNO" in t[0..1]: into arg (an address, or an errno number). */
static int parse_mmap_result(struct vmt_reader *r, const struct tok *t, struct op *op,
                             struct err *err)
{
	unsigned e = trace_errno_find(t[1].s, t[1].len);
	op->flags |= e ? OPRES_ERRNO : OPRES_ADDR;
	op->arg = e;
	return e ? 0
	         : tok_num(r, &t[1], "a result (an address or EINVAL, ENOMEM, EEXIST, ...)",
	                   &op->arg, err);
}

/* The MAPPING of an mmap line: anon, or PREFIX:NAME:OFFSET with PREFIX file (MAPF_FILE),
 * shmem (OP_SHM, SHM_MAP) or sysv (OP_SHM, SHM_ATTACH). */
static int parse_mapping(struct vmt_reader *r, const struct tok *t, struct op *op, struct err *err)
{
	static const struct {
		const char *prefix;
		uint8_t kind, flags;
		uint64_t arg;
	} kinds[] = {{"file:", OP_MMAP, MAPF_FILE, 0},
	             {"shmem:", OP_SHM, 0, SHM_MAP},
	             {"sysv:", OP_SHM, 0, SHM_ATTACH}};
	op->offset = 0;
	if (tok_is(t, "anon"))
		return 0;
	for (size_t k = 0; k < ARRAY_SIZE(kinds); k++) {
		size_t n = strlen(kinds[k].prefix);
		if (t->len <= n || memcmp(t->s, kinds[k].prefix, n) != 0)
			continue;
		const char *name = t->s + n;
		const char *end = t->s + t->len;
		const char *colon = memchr(name, ':', (size_t)(end - name));
		if (!colon || colon == name)
			return vmt_bad(r, err, "expected %sNAME:OFFSET, got \"%.*s\"",
			               kinds[k].prefix, (int)MIN(t->len, 60), t->s);
		struct tok off = {colon + 1, (size_t)(end - colon - 1)};
		if (tok_num(r, &off, "a file offset", &op->offset, err) ||
		    set_name(r, op, name, (size_t)(colon - name), err))
			return -VMSIM_EINVAL;
		op->kind = kinds[k].kind;
		op->flags |= kinds[k].flags;
		op->arg = kinds[k].arg;
		return 0;
	}
	return vmt_bad(r, err,
	               "expected anon, file:NAME:OFFSET, shmem:NAME:OFFSET or sysv:NAME:OFFSET, "
	               "got \"%.*s\"",
	               (int)MIN(t->len, 60), t->s);
}

static int parse_mmap(struct vmt_reader *r, const struct tok *t, int nt, struct op *op,
                      struct err *err)
{
	static const char usage[] =
	    "PID mmap ADDR LEN PROT anon|file:NAME:OFFSET|shmem:NAME:OFFSET|sysv:NAME:OFFSET "
	    "private|shared [huge] [populate] [hint] [noreplace] [noreserve] [growsdown] [= RESULT]";
	op->flags = 0;
	if (want_tokens(r, nt, 7, 15, usage, err) || parse_range(r, &t[2], op, err) ||
	    parse_prot(r, &t[4], op, err) || parse_mapping(r, &t[5], op, err))
		return -VMSIM_EINVAL;
	if (tok_is(&t[6], "shared"))
		op->flags |= MAPF_SHARED;
	else if (!tok_is(&t[6], "private"))
		return vmt_bad(r, err, "expected private or shared, got \"%.*s\"",
		               (int)MIN(t[6].len, 60), t[6].s);
	if (op->arg == SHM_ATTACH && op->kind == OP_SHM && !(op->flags & MAPF_SHARED))
		return vmt_bad(r, err, "a sysv segment is attached shared (shmat), not private");
	int i = 7;
	for (; i < nt && !tok_is(&t[i], "="); i++)
		if (parse_mmap_flag(op, &t[i]) ||
		    (op->kind == OP_SHM && (op->xflags || (op->flags & MAPF_HUGE))))
			return vmt_bad(r, err,
			               "expected \"%s\" (each flag once, huge only for anon, not "
			               "both hint and noreplace; shmem: and sysv: take only populate)",
			               usage);
	if (i < nt && op->kind == OP_SHM)
		return vmt_bad(r, err, "a shmem: or sysv: mmap has no recorded result");
	if (i < nt && (i + 2 != nt || parse_mmap_result(r, &t[i], op, err)))
		return i + 2 != nt ? vmt_bad(r, err, "expected \"%s\"", usage) : -VMSIM_EINVAL;
	return 0;
}

/* A shmem object by name: "PID shmem NAME SIZE" (create or resize) and "PID unlink NAME".
 * Returns 1 when o is neither. */
static int parse_shm(struct vmt_reader *r, const struct tok *t, int nt, struct op *op,
                     struct err *err)
{
	const struct tok *o = &t[1];
	op->kind = OP_SHM;
	if (tok_is(o, "shmem")) {
		op->arg = SHM_TRUNCATE;
		if (want_tokens(r, nt, 4, 4, "PID shmem NAME SIZE_BYTES", err) ||
		    tok_num(r, &t[3], "a size in bytes", &op->len, err))
			return -VMSIM_EINVAL;
	} else if (tok_is(o, "unlink")) {
		op->arg = SHM_UNLINK;
		if (want_tokens(r, nt, 3, 3, "PID unlink NAME", err))
			return -VMSIM_EINVAL;
	} else {
		return 1;
	}
	if (memchr(t[2].s, ':', t[2].len))
		return vmt_bad(r, err, "a shmem name may not contain ':'");
	return set_name(r, op, t[2].s, t[2].len, err);
}

/* "PID sigaction segv|bus [default]" */
static int parse_sigaction(struct vmt_reader *r, const struct tok *t, int nt, struct op *op,
                           struct err *err)
{
	op->kind = OP_SIGACTION;
	if (want_tokens(r, nt, 3, 4, "PID sigaction segv|bus [default]", err))
		return -VMSIM_EINVAL;
	if (tok_is(&t[2], "segv") || tok_is(&t[2], "bus"))
		op->arg = tok_is(&t[2], "segv") ? OPSIG_SEGV : OPSIG_BUS;
	else
		return vmt_bad(r, err, "sigaction: expected segv or bus, got \"%.*s\"",
		               (int)MIN(t[2].len, 60), t[2].s);
	if (nt == 4 && !tok_is(&t[3], "default"))
		return vmt_bad(r, err, "sigaction: expected default, got \"%.*s\"",
		               (int)MIN(t[3].len, 60), t[3].s);
	op->flags = nt == 4 ? SIGACTF_DEFAULT : 0;
	return 0;
}

/* Split line into at most VMT_MAX_TOKENS tokens (a '#' starts a comment). Returns how many,
 * or < 0 when there are more. */
static int vmt_tokenize(struct vmt_reader *r, const char *line, struct tok *t, struct err *err)
{
	int nt = 0;
	const char *p = line;
	for (;;) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == '\0' || *p == '#')
			return nt;
		if (nt == VMT_MAX_TOKENS + 1)
			return vmt_bad(r, err, "too many fields");
		t[nt].s = p;
		while (*p && *p != ' ' && *p != '\t' && *p != '#')
			p++;
		t[nt].len = (size_t)(p - t[nt].s);
		nt++;
	}
}

#define VMT_ADVICE                                                                                 \
	"hugepage|nohugepage|dontneed|normal|random|sequential|willneed|free|remove|dontfork|"     \
	"dofork|wipeonfork|keeponfork|cold|pageout|populate_read|populate_write"

/* "PID madvise ADDR LEN ADVICE [= RESULT]" (RESULT: 0 or an errno name) */
static int parse_result(struct vmt_reader *r, const struct tok *t, struct op *op, struct err *err);
static int parse_madvise(struct vmt_reader *r, const struct tok *t, int nt, struct op *op,
                         struct err *err)
{
	op->kind = OP_MADVISE;
	if ((nt != 5 && nt != 7) || (nt == 7 && !tok_is(&t[5], "=")))
		return vmt_bad(r, err, "expected \"PID madvise ADDR LEN ADVICE [= RESULT]\"");
	if (parse_range(r, &t[2], op, err) || (nt == 7 && parse_result(r, &t[5], op, err)))
		return -VMSIM_EINVAL;
	if ((op->flags & OPRES_ADDR) && op->offset)
		return vmt_bad(r, err, "madvise returns 0 or an errno, not an address");
	op->arg = trace_advice_find(t[4].s, t[4].len);
	if (!op->arg)
		return vmt_bad(r, err, "expected an advice (" VMT_ADVICE "), got \"%.*s\"",
		               (int)MIN(t[4].len, 60), t[4].s);
	return 0;
}

/* A request boundary (see OP_MARK): "PID mark begin|end ID" */
static int parse_mark(struct vmt_reader *r, const struct tok *t, int nt, struct op *op,
                      struct err *err)
{
	op->kind = OP_MARK;
	if (want_tokens(r, nt, 4, 4, "PID mark begin|end ID", err))
		return -VMSIM_EINVAL;
	if (tok_is(&t[2], "begin"))
		op->flags = MARK_BEGIN;
	else if (tok_is(&t[2], "end"))
		op->flags = MARK_END;
	else
		return vmt_bad(r, err, "mark: expected begin or end, got \"%.*s\"",
		               (int)MIN(t[2].len, 60), t[2].s);
	if (tok_num(r, &t[3], "mark id", &op->arg, err))
		return -VMSIM_EINVAL;
	return 0;
}

/* A write to memory.reclaim: "PID memory.reclaim BYTES [CGROUP]" (no CGROUP: the process's) */
static int parse_memory_reclaim(struct vmt_reader *r, const struct tok *t, int nt, struct op *op,
                                struct err *err)
{
	op->kind = OP_MEMORY_RECLAIM;
	if (want_tokens(r, nt, 3, 4, "PID memory.reclaim BYTES [CGROUP]", err) ||
	    tok_num(r, &t[2], "a length in bytes", &op->len, err) ||
	    (nt == 4 && set_name(r, op, t[3].s, t[3].len, err)))
		return -VMSIM_EINVAL;
	return 0;
}

/* A recorded result "= RESULT" in t[0..1] (an address or an errno name) into op. */
static int parse_result(struct vmt_reader *r, const struct tok *t, struct op *op, struct err *err)
{
	unsigned e = trace_errno_find(t[1].s, t[1].len);
	if (e) {
		op->flags |= OPRES_ERRNO;
		op->prot = (uint8_t)e;
		return 0;
	}
	op->flags |= OPRES_ADDR;
	return tok_num(r, &t[1], "a result (an address or EINVAL, EFAULT, ENOMEM, EEXIST, ...)",
	               &op->offset, err);
}

/* "PID mremap ADDR OLD_LEN NEW_LEN [maymove] [fixed NEW_ADDR] [dontunmap] [= RESULT]" */
static int parse_mremap(struct vmt_reader *r, const struct tok *t, int nt, struct op *op,
                        struct err *err)
{
	static const char usage[] =
	    "PID mremap ADDR OLD_LEN NEW_LEN [maymove] [fixed NEW_ADDR] [dontunmap] [= RESULT]";
	op->kind = OP_MREMAP;
	if (want_tokens(r, nt, 5, 11, usage, err) ||
	    tok_num(r, &t[2], "an address", &op->addr, err) ||
	    tok_num(r, &t[3], "a length in bytes", &op->len, err) ||
	    tok_num(r, &t[4], "a length in bytes", &op->arg, err))
		return -VMSIM_EINVAL;
	int i = 5;
	if (i < nt && tok_is(&t[i], "maymove") && ++i)
		op->flags |= MREMAPF_MAYMOVE;
	if (i + 1 < nt && tok_is(&t[i], "fixed")) {
		op->flags |= MREMAPF_FIXED;
		if (tok_num(r, &t[i + 1], "an address", &op->offset, err))
			return -VMSIM_EINVAL;
		i += 2;
	}
	if (i < nt && tok_is(&t[i], "dontunmap") && ++i)
		op->flags |= MREMAPF_DONTUNMAP;
	uint64_t fixed = op->offset;
	if (i + 2 == nt && tok_is(&t[i], "=")) {
		if (parse_result(r, &t[i], op, err))
			return -VMSIM_EINVAL;
		if ((op->flags & MREMAPF_FIXED) && (op->flags & OPRES_ADDR) && op->offset != fixed)
			return vmt_bad(r, err,
			               "mremap with fixed NEW_ADDR returns NEW_ADDR or an errno");
		if ((op->flags & MREMAPF_FIXED) && (op->flags & OPRES_ERRNO))
			op->offset = fixed;
		i += 2;
	}
	if (i != nt)
		return vmt_bad(r, err, "expected \"%s\"", usage);
	return 0;
}

/* "PID brk ADDR [= RESULT]": RESULT is an address (brk returns the old break on failure) */
static int parse_brk(struct vmt_reader *r, const struct tok *t, int nt, struct op *op,
                     struct err *err)
{
	op->kind = OP_BRK;
	if ((nt != 3 && nt != 5) || (nt == 5 && !tok_is(&t[3], "=")))
		return vmt_bad(r, err, "expected \"PID brk ADDR [= RESULT]\"");
	if (tok_num(r, &t[2], "an address", &op->addr, err))
		return -VMSIM_EINVAL;
	if (nt == 5) {
		op->flags = OPRES_ADDR;
		return tok_num(r, &t[4], "a result address (brk returns the break)", &op->offset,
		               err);
	}
	return 0;
}

/* read(2)/write(2) of a declared file: "PID read|write NAME OFFSET LEN [BUF] [direct]" */
static int parse_file_rw(struct vmt_reader *r, const struct tok *t, int nt, struct op *op,
                         struct err *err)
{
	static const char usage[] = "PID read|write NAME OFFSET LEN [BUF] [direct]";
	op->kind = OP_FILE_RW;
	op->flags = tok_is(&t[1], "write") ? RWF_WRITE : 0;
	if (want_tokens(r, nt, 5, 7, usage, err) || set_name(r, op, t[2].s, t[2].len, err) ||
	    tok_num(r, &t[3], "a file offset", &op->offset, err) ||
	    tok_num(r, &t[4], "a length in bytes", &op->len, err))
		return -VMSIM_EINVAL;
	op->addr = 0;
	int i = 5;
	if (i < nt && !tok_is(&t[i], "direct")) {
		if (tok_num(r, &t[i], "a buffer address", &op->addr, err))
			return -VMSIM_EINVAL;
		op->flags |= RWF_BUF;
		i++;
	}
	if (i < nt && tok_is(&t[i], "direct")) {
		op->flags |= RWF_DIRECT;
		i++;
	}
	if (i < nt)
		return vmt_bad(r, err, "expected \"%s\"", usage);
	return 0;
}

/* fsync, fdatasync, sync_file_range, ftruncate, fallocate of a declared file. Returns 1 when
 * o is none of them. */
static int parse_file_sync(struct vmt_reader *r, const struct tok *t, int nt, struct op *op,
                           struct err *err)
{
	const struct tok *o = &t[1];
	op->kind = OP_FILE_SYNC;
	op->offset = op->len = 0;
	if (tok_is(o, "fsync") || tok_is(o, "fdatasync")) {
		op->arg = tok_is(o, "fsync") ? SYNC_FSYNC : SYNC_FDATASYNC;
		if (want_tokens(r, nt, 3, 3, "PID fsync|fdatasync NAME", err))
			return -VMSIM_EINVAL;
	} else if (tok_is(o, "ftruncate")) {
		op->arg = SYNC_FTRUNCATE;
		if (want_tokens(r, nt, 4, 4, "PID ftruncate NAME SIZE", err) ||
		    tok_num(r, &t[3], "a size in bytes", &op->offset, err))
			return -VMSIM_EINVAL;
	} else if (tok_is(o, "sync_file_range")) {
		op->arg = SYNC_RANGE;
		if (want_tokens(r, nt, 5, 5, "PID sync_file_range NAME OFFSET LEN", err) ||
		    tok_num(r, &t[3], "a file offset", &op->offset, err) ||
		    tok_num(r, &t[4], "a length in bytes", &op->len, err))
			return -VMSIM_EINVAL;
	} else if (tok_is(o, "fallocate")) {
		op->arg = SYNC_FALLOCATE;
		if (want_tokens(r, nt, 5, 6, "PID fallocate NAME OFFSET LEN [punch_hole]", err) ||
		    tok_num(r, &t[3], "a file offset", &op->offset, err) ||
		    tok_num(r, &t[4], "a length in bytes", &op->len, err))
			return -VMSIM_EINVAL;
		if (nt == 6 && !tok_is(&t[5], "punch_hole"))
			return vmt_bad(r, err, "fallocate: expected punch_hole, got \"%.*s\"",
			               (int)MIN(t[5].len, 60), t[5].s);
		if (nt == 6)
			op->arg = SYNC_PUNCH_HOLE;
	} else {
		return 1;
	}
	return set_name(r, op, t[2].s, t[2].len, err);
}

/* A NUMA memory policy: "PID mempolicy MODE NODEMASK [ADDR LEN]" (set_mempolicy; with a range,
 * mbind). MODE as numactl names it, NODEMASK a number (bit i: memory.nodes[i]). */
static int parse_mempolicy(struct vmt_reader *r, const struct tok *t, int nt, struct op *op,
                           struct err *err)
{
	op->kind = OP_MEMPOLICY;
	if (want_tokens(r, nt, 4, 6, "PID mempolicy MODE NODEMASK [ADDR LEN]", err) || nt == 5)
		return nt == 5 ? vmt_bad(r, err, "mempolicy: expected ADDR and LEN, or neither")
		               : -VMSIM_EINVAL;
	unsigned mode = 0;
	while (mode < MPOL_MODE_COUNT && !tok_is(&t[2], trace_mpol_mode_name(mode)))
		mode++;
	if (mode == MPOL_MODE_COUNT)
		return vmt_bad(r, err,
		               "mempolicy: expected default, preferred, bind, interleave or local, "
		               "got \"%.*s\"",
		               (int)MIN(t[2].len, 60), t[2].s);
	op->prot = (uint8_t)mode;
	if (tok_num(r, &t[3], "a node mask", &op->arg, err) ||
	    (nt == 6 && parse_range(r, &t[4], op, err)))
		return -VMSIM_EINVAL;
	return 0;
}

/* The mlock family: "PID mlock ADDR LEN [onfault]", "PID munlock ADDR LEN",
 * "PID mlockall current|future|onfault[,...]", "PID munlockall". Returns 1 when o is none. */
static int parse_mlock(struct vmt_reader *r, const struct tok *t, int nt, struct op *op,
                       struct err *err)
{
	const struct tok *o = &t[1];
	op->kind = OP_MLOCK;
	if (tok_is(o, "mlock") || tok_is(o, "munlock")) {
		bool lock = tok_is(o, "mlock");
		op->arg = lock ? MLOCK_CALL_MLOCK : MLOCK_CALL_MUNLOCK;
		if (want_tokens(r, nt, 4, lock ? 5 : 4,
		                lock ? "PID mlock ADDR LEN [onfault]" : "PID munlock ADDR LEN", err) ||
		    parse_range(r, &t[2], op, err))
			return -VMSIM_EINVAL;
		if (nt == 5 && !tok_is(&t[4], "onfault"))
			return vmt_bad(r, err, "mlock: expected onfault, got \"%.*s\"",
			               (int)MIN(t[4].len, 60), t[4].s);
		op->flags = nt == 5 ? MLOCKF_ONFAULT : 0;
		return 0;
	}
	if (tok_is(o, "munlockall")) {
		op->arg = MLOCK_CALL_MUNLOCKALL;
		return want_tokens(r, nt, 2, 2, "PID munlockall", err);
	}
	if (!tok_is(o, "mlockall"))
		return 1;
	op->arg = MLOCK_CALL_MLOCKALL;
	if (want_tokens(r, nt, 3, 3, "PID mlockall current|future|onfault[,...]", err))
		return -VMSIM_EINVAL;
	static const char *const words[] = {"current", "future", "onfault"};
	for (const char *p = t[2].s, *end = t[2].s + t[2].len; p < end;) {
		const char *comma = memchr(p, ',', (size_t)(end - p));
		struct tok w = {p, (size_t)((comma ? comma : end) - p)};
		unsigned i = 0;
		while (i < 3 && !tok_is(&w, words[i]))
			i++;
		if (i == 3 || (op->flags & (1u << i)))
			return vmt_bad(r, err,
			               "mlockall: expected current, future and onfault joined by ','"
			               ", each once, got \"%.*s\"",
			               (int)MIN(t[2].len, 60), t[2].s);
		op->flags |= (uint8_t)(1u << i);
		p = comma ? comma + 1 : end;
	}
	if (!(op->flags & (MCLF_CURRENT | MCLF_FUTURE)))
		return vmt_bad(r, err, "mlockall: onfault needs current or future (Linux: EINVAL)");
	return 0;
}

/* fork, vfork, thread, wait, exec, exit, compute: "PID OPERATION [ARG]". Returns 1 when o is none of them. */
static int parse_process_op(struct vmt_reader *r, const struct tok *t, int nt, struct op *op,
                            struct err *err)
{
	const struct tok *o = &t[1];
	uint32_t child = 0;
	if (tok_is(o, "fork") || tok_is(o, "vfork")) {
		op->kind = o->s[0] == 'v' ? OP_VFORK : OP_FORK;
		if (want_tokens(r, nt, 3, 3,
		                op->kind == OP_VFORK ? "PID vfork CHILD_PID" : "PID fork CHILD_PID",
		                err) ||
		    tok_pid(r, &t[2], "a child pid", &child, err))
			return -VMSIM_EINVAL;
		op->arg = child;
	} else if (tok_is(o, "thread")) {
		op->kind = OP_THREAD;
		if (want_tokens(r, nt, 3, 3, "PID thread TID", err) ||
		    tok_pid(r, &t[2], "a thread id", &child, err))
			return -VMSIM_EINVAL;
		op->arg = child;
	} else if (tok_is(o, "wait")) {
		op->kind = OP_WAIT;
		if (want_tokens(r, nt, 2, 3, "PID wait [CHILD_PID]", err) ||
		    (nt == 3 && tok_pid(r, &t[2], "a child pid", &child, err)))
			return -VMSIM_EINVAL;
		op->arg = child;
	} else if (tok_is(o, "exec")) {
		op->kind = OP_EXECVE;
		if (want_tokens(r, nt, 3, 4, "PID exec IMAGE [bare]", err) ||
		    set_name(r, op, t[2].s, t[2].len, err))
			return -VMSIM_EINVAL;
		if (nt == 4 && !tok_is(&t[3], "bare"))
			return vmt_bad(r, err, "expected \"bare\" after the image name, got \"%.*s\"",
			               (int)t[3].len, t[3].s);
		if (nt == 4)
			op->kind = OP_EXEC_BARE;
	} else if (tok_is(o, "exit")) {
		op->kind = OP_EXIT;
		if (want_tokens(r, nt, 2, 2, "PID exit", err))
			return -VMSIM_EINVAL;
	} else if (tok_is(o, "compute")) {
		op->kind = OP_COMPUTE;
		if (want_tokens(r, nt, 3, 3, "PID compute NANOSECONDS", err) ||
		    tok_num(r, &t[2], "nanoseconds", &op->arg, err))
			return -VMSIM_EINVAL;
	} else {
		return 1;
	}
	return 0;
}

/* "PID OPERATION ...": 0, or < 0 with err. */
static int parse_pid_op(struct vmt_reader *r, const struct tok *t, int nt, struct op *op,
                        struct err *err)
{
	const struct tok *o = &t[1];
	if (o->len == 1 && (o->s[0] == 'r' || o->s[0] == 'w' || o->s[0] == 'x')) {
		op->kind = o->s[0] == 'r' ? OP_READ : o->s[0] == 'w' ? OP_WRITE : OP_EXEC;
		if (want_tokens(r, nt, 3, 3, "PID r|w|x ADDR", err) ||
		    tok_num(r, &t[2], "an address", &op->addr, err))
			return -VMSIM_EINVAL;
		return 0;
	}
	if (tok_is(o, "mmap")) {
		op->kind = OP_MMAP;
		return parse_mmap(r, t, nt, op, err) ? -VMSIM_EINVAL : 0;
	}
	if (tok_is(o, "munmap") || tok_is(o, "msync")) {
		op->kind = tok_is(o, "munmap") ? OP_MUNMAP : OP_MSYNC;
		if (want_tokens(r, nt, 4, 4,
		                op->kind == OP_MUNMAP ? "PID munmap ADDR LEN"
		                                      : "PID msync ADDR LEN",
		                err) ||
		    parse_range(r, &t[2], op, err))
			return -VMSIM_EINVAL;
		return 0;
	}
	if (tok_is(o, "mprotect")) {
		op->kind = OP_MPROTECT;
		if (want_tokens(r, nt, 5, 5, "PID mprotect ADDR LEN PROT", err) ||
		    parse_range(r, &t[2], op, err) || parse_prot(r, &t[4], op, err))
			return -VMSIM_EINVAL;
		return 0;
	}
	if (tok_is(o, "madvise"))
		return parse_madvise(r, t, nt, op, err);
	if (tok_is(o, "mark"))
		return parse_mark(r, t, nt, op, err);
	if (tok_is(o, "memory.reclaim"))
		return parse_memory_reclaim(r, t, nt, op, err);
	if (tok_is(o, "mremap"))
		return parse_mremap(r, t, nt, op, err);
	if (tok_is(o, "read") || tok_is(o, "write"))
		return parse_file_rw(r, t, nt, op, err);
	if (tok_is(o, "mempolicy"))
		return parse_mempolicy(r, t, nt, op, err);
	if (tok_is(o, "brk"))
		return parse_brk(r, t, nt, op, err);
	if (tok_is(o, "sigaction"))
		return parse_sigaction(r, t, nt, op, err);
	int rc = parse_file_sync(r, t, nt, op, err);
	if (rc <= 0)
		return rc;
	rc = parse_mlock(r, t, nt, op, err);
	if (rc <= 0)
		return rc;
	rc = parse_shm(r, t, nt, op, err);
	if (rc <= 0)
		return rc;
	rc = parse_process_op(r, t, nt, op, err);
	if (rc <= 0)
		return rc;
	return vmt_bad(r, err,
	               "unknown operation \"%.*s\" (expected r, w, x, mmap, munmap, mprotect, "
	               "madvise, msync, fork, thread, wait, exec, exit, compute, mark, "
	               "memory.reclaim, mremap, read, write, fsync, fdatasync, sync_file_range, "
	               "ftruncate, fallocate, mempolicy, brk, mlock, munlock, mlockall, munlockall, "
	               "shmem, unlink or sigaction)",
	               (int)MIN(o->len, 60), o->s);
}

static int vmt_parse(struct vmt_reader *r, char *line, struct op *op, struct err *err)
{
	struct tok t[VMT_MAX_TOKENS + 1];
	int nt = vmt_tokenize(r, line, t, err);
	if (nt <= 0)
		return nt;
	memset(op, 0, sizeof(*op));
	if (tok_is(&t[0], "file")) {
		if (want_tokens(r, nt, 3, 3, "file NAME SIZE_BYTES", err))
			return -VMSIM_EINVAL;
		if (memchr(t[1].s, ':', t[1].len))
			return vmt_bad(r, err, "a file name may not contain ':'");
		op->kind = OP_FILE;
		if (set_name(r, op, t[1].s, t[1].len, err) ||
		    tok_num(r, &t[2], "a file size in bytes", &op->len, err))
			return -VMSIM_EINVAL;
		return 1;
	}
	if (nt < 2)
		return vmt_bad(r, err, "expected \"PID OPERATION ...\" or \"file NAME SIZE\"");
	if (tok_pid(r, &t[0], "a pid", &op->pid, err))
		return -VMSIM_EINVAL;
	int rc = parse_pid_op(r, t, nt, op, err);
	return rc < 0 ? rc : 1;
}

static int vmt_read(void *reader, struct op *op, struct err *err)
{
	struct vmt_reader *r = reader;
	for (;;) {
		int too_long;
		char *line = linereader_next(&r->lr, &too_long);
		if (!line) {
			if (too_long)
				return vmt_bad(r, err, "%s", linereader_what(too_long));
			return 0;
		}
		int rc = vmt_parse(r, line, op, err);
		if (rc)
			return rc;
	}
}

/* Writer: normal-form lines through a big stdio buffer. */
static int vmt_wopen(void **out, const char *path, const struct trace_read_opts *opts,
                     struct err *err)
{
	struct linewriter *w = xmalloc(sizeof(*w));
	int rc = linewriter_open(w, path, err);
	if (rc) {
		free(w);
		return rc;
	}
	*out = w;
	return 0;
}

static int vmt_write(void *writer, const struct op *op, struct err *err)
{
	struct linewriter *w = writer;
	char line[1200];
	size_t n = trace_format_vmt_line(op, line, sizeof(line) - 1);
	line[n++] = '\n';
	if (fwrite(line, 1, n, w->f) != n)
		return err_setc(err, VMSIM_EIO, "%s: write failed: %s", w->path, strerror(errno));
	return 0;
}

static int vmt_wclose(void *writer, struct err *err)
{
	int rc = linewriter_close(writer, err);
	free(writer);
	return rc;
}

const struct trace_format trace_format_vmt = {
    .name = "vmt",
    .extensions = ".vmt",
    .open = vmt_open,
    .read = vmt_read,
    .where = vmt_where,
    .close = vmt_close,
    .wopen = vmt_wopen,
    .write = vmt_write,
    .wclose = vmt_wclose,
};
