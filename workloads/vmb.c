/*
 * vmb.c — reader of the `vmb` binary trace (format in vmb.h; the writer is vmb_writer.c). Both
 * keep one 1 MiB buffer and a small per-process state (the two delta registers, vmb_shared.h):
 * memory depends on the number of processes, never on the trace's length. A large regular file
 * is mapped whole instead (mapahead.h: a helper thread maps pages ahead of the reader and gives
 * them back behind it; a file truncated while it is read raises SIGBUS). The reader decodes
 * straight from its buffer or mapping, refilled only when fewer than VMB_SLACK bytes remain, so
 * the hot loop is a tag byte, one varint and a pid-change test. Accesses are decoded without a
 * branch on the varint's length: by vmb_decode_access (read()) or vmb_fast_run, a window at a
 * time (read_batch(), with struct trace_format's batch rule); every other record goes to the
 * general path vmb_read_general (out of line). fuzz_trace_vmb and test_vmb_batch check that the
 * two give the same ops and positions.
 */
#include "workloads/vmb.h"

#include <errno.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "workloads/mapahead.h"
#include "workloads/trace_format.h"
#include "workloads/vmb_shared.h"

const unsigned char vmb_magic[4] = {0x89, 'V', 'M', 'B'};

/* ---- reader ---- */

struct vmb_reader {
	FILE *f;
	char *path;
	const unsigned char *buf; /* map.data when the file is mapped (map.bytes > 0), else own */
	unsigned char *own_buf;
	struct mapahead map;
	bool pext;        /* decode varints with BMI2 pext (vmb_pext_fast, unless opts forbid it) */
	size_t pos, len;  /* decoding position and bytes held in buf */
	uint64_t buf_off; /* file offset of buf[0] */
	uint64_t rec_off; /* file offset of the record last decoded */
	int eof, ended;   /* host EOF seen; end record seen */
	struct vmb_state st;
	char **files; /* declared file names by index */
	uint32_t nr_files, cap_files;
	/* The op before the next one was a process op other than an exit, so an access of the
	 * current process may continue a batch (kept by the general path; 0 is only slower). */
	int chain;
	int held_rc;         /* < 0: the error read_batch met, returned by every later call */
	struct err held_err; /* its message */
	char name[VMB_NAME_MAX + 1];
};

static void vmb_where(void *reader, char *buf, size_t len)
{
	struct vmb_reader *r = reader;
	snprintf(buf, len, "%s: byte offset %llu", r->path, (unsigned long long)r->rec_off);
}

static int vmb_bad(struct vmb_reader *r, struct err *err, uint64_t off, const char *what)
{
	return err_set(err, "%s: byte offset %llu: %s", r->path, (unsigned long long)off, what);
}

/* Make at least want bytes available from pos unless the file ends first. */
static int vmb_fill(struct vmb_reader *r, size_t want, struct err *err)
{
	if (r->len - r->pos >= want || r->eof)
		return 0;
	size_t rest = r->len - r->pos;
	memmove(r->own_buf, r->buf + r->pos, rest);
	r->buf_off += r->pos;
	r->pos = 0;
	r->len = rest;
	while (r->len < want && !r->eof) {
		size_t n = fread(r->own_buf + r->len, 1, VMB_BUF_BYTES - r->len, r->f);
		if (n == 0) {
			if (ferror(r->f))
				return err_setc(err, VMSIM_EIO, "%s: read error: %s", r->path,
				                strerror(errno));
			r->eof = 1;
		}
		r->len += n;
	}
	return 0;
}

static void vmb_close(void *reader);

static int vmb_open(void **out, const char *path, const struct trace_read_opts *opts,
                    struct err *err)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return err_set(err, "%s: cannot open trace: %s", path, strerror(errno));
	struct vmb_reader *r = xcalloc(1, sizeof(*r));
	r->f = f;
	r->path = xstrdup(path);
	/* A large regular file is mapped whole (mapahead.h: a helper thread maps pages ahead
	 * and releases them behind): no copy from the page cache, no refills. Anything else
	 * (a small file, a pipe) is read through the buffer. */
	struct stat sb;
	if (fstat(fileno(f), &sb) == 0 && S_ISREG(sb.st_mode) && sb.st_size >= VMB_MAP_MIN_BYTES &&
	    (uint64_t)sb.st_size <= SIZE_MAX &&
	    mapahead_open(&r->map, fileno(f), (size_t)sb.st_size, !opts->vmb_map_sync) == 0) {
		r->buf = r->map.data;
		r->len = r->map.bytes;
		r->eof = 1;
	} else {
		r->buf = r->own_buf = xmalloc(VMB_BUF_BYTES);
	}
	state_init(&r->st);
	r->pext = !opts->vmb_portable && !vmb_portable_forced() && vmb_pext_fast();
	*out = r;
	int rc = vmb_fill(r, VMB_HEADER_BYTES, err);
	if (rc < 0)
		goto fail;
	if (r->len < 4 || memcmp(r->buf, vmb_magic, 4) != 0) {
		rc = vmb_bad(r, err, 0, "not a vmb trace (bad magic: expected 0x89 'V' 'M' 'B')");
		goto fail;
	}
	if (r->len < VMB_HEADER_BYTES) {
		rc = vmb_bad(r, err, r->len, "truncated header (8 bytes expected)");
		goto fail;
	}
	unsigned version = r->buf[4] | (unsigned)r->buf[5] << 8;
	unsigned flags = r->buf[6] | (unsigned)r->buf[7] << 8;
	if (version != VMB_VERSION) {
		char what[128];
		snprintf(what, sizeof(what), "unsupported vmb version %u (this vmsim reads %u)",
		         version, VMB_VERSION);
		rc = vmb_bad(r, err, 4, what);
		goto fail;
	}
	if (flags != 0) {
		rc = vmb_bad(r, err, 6, "unknown header flags (expected 0)");
		goto fail;
	}
	r->pos = VMB_HEADER_BYTES;
	r->rec_off = VMB_HEADER_BYTES;
	return 0;
fail:
	*out = NULL;
	vmb_close(r);
	return rc;
}

static void vmb_close(void *reader)
{
	struct vmb_reader *r = reader;
	fclose(r->f);
	if (r->map.bytes)
		mapahead_close(&r->map);
	free(r->own_buf);
	free(r->path);
	state_fini(&r->st);
	for (uint32_t i = 0; i < r->nr_files; i++)
		free(r->files[i]);
	free(r->files);
	free(r);
}

/* A record cut by the file's end (rc VMB_VARINT_TRUNCATED) or a refused varint at at. */
static __attribute__((noinline)) int vmb_bad_varint(struct vmb_reader *r, int rc,
                                                    const unsigned char *at, struct err *err)
{
	char what[200];
	uint64_t off = rc == VMB_VARINT_TRUNCATED ? r->len : (uint64_t)(at - r->buf);
	snprintf(what, sizeof(what), vmb_varint_problem(rc),
	         (unsigned long long)(r->buf_off + off));
	return vmb_bad(r, err, r->rec_off, what);
}
#define vmb_truncated(r, err) vmb_bad_varint(r, VMB_VARINT_TRUNCATED, NULL, err)
#define GETV(v)                                                                                    \
	do {                                                                                       \
		const unsigned char *getv_at = p;                                                  \
		int getv_rc = vmb_get_varint(&p, end, &(v));                                       \
		if (unlikely(getv_rc < 0))                                                         \
			return vmb_bad_varint(r, getv_rc, getv_at, err);                           \
	} while (0)
#define GETB(v)                                                                                    \
	do {                                                                                       \
		if (unlikely(p == end))                                                            \
			return vmb_truncated(r, err);                                              \
		(v) = *p++;                                                                        \
	} while (0)

/* A length-prefixed name into r->name; may refill (so it re-derives p from pos). */
static int vmb_get_name(struct vmb_reader *r, const unsigned char **pp, struct err *err)
{
	const unsigned char *p = *pp, *end = r->buf + r->len;
	uint64_t n;
	GETV(n);
	if (n == 0 || n > VMB_NAME_MAX)
		return vmb_bad(r, err, r->rec_off, "name length out of range (1..1023)");
	r->pos = (size_t)(p - r->buf);
	int rc = vmb_fill(r, n + VMB_SLACK, err);
	if (rc < 0)
		return rc;
	if (r->len - r->pos < n)
		return vmb_truncated(r, err);
	memcpy(r->name, r->buf + r->pos, n);
	r->name[n] = '\0';
	if (memchr(r->name, '\0', n) || strpbrk(r->name, " \t\n\r"))
		return vmb_bad(r, err, r->rec_off, "a name contains a NUL or a blank");
	*pp = r->buf + r->pos + n;
	return 0;
}

static int vmb_read_general(struct vmb_reader *r, struct op *op, struct err *err);

/* 8 bytes at p as a little-endian number. */
static inline uint64_t vmb_load_le64(const unsigned char *p)
{
	uint64_t w;
	memcpy(&w, p, sizeof(w));
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	w = __builtin_bswap64(w);
#endif
	return w;
}

/* The bits of x at the positions set in mask, packed together (BMI2's parallel bit extract):
 * one instruction where it is fast (Intel since Haswell, AMD since Zen 3; vmb_pext_fast).
 * Inline assembly rather than the intrinsic, so that this file needs no BMI2 target flags;
 * only executed when the reader found the instruction available. */
static inline uint64_t vmb_pext(uint64_t x, uint64_t mask)
{
#if defined(__x86_64__) && defined(__GNUC__)
	uint64_t r;
	__asm__("pext %2, %1, %0" : "=r"(r) : "r"(x), "r"(mask));
	return r;
#else
	(void)x, (void)mask;
	BUG_ON(1, "pext decoder on a host without it");
	return 0;
#endif
}

/* BMI2's parallel bit deposit, under the same conditions as vmb_pext. */
static inline uint64_t vmb_pdep(uint64_t x, uint64_t mask)
{
#if defined(__x86_64__) && defined(__GNUC__)
	uint64_t r;
	__asm__("pdep %2, %1, %0" : "=r"(r) : "r"(x), "r"(mask));
	return r;
#else
	(void)x, (void)mask;
	BUG_ON(1, "pdep on a host without it");
	return 0;
#endif
}

/* The 7-bit groups of x (top bits clear) packed together. */
static inline uint64_t vmb_pack_pext(uint64_t x)
{
	return vmb_pext(x, 0x7f7f7f7f7f7f7f7full);
}

/* The hot case: the record at p (VMB_SLACK bytes are readable there) is an access of the
 * current process (tag without VMB_TAG_PID) whose delta varint has at most 8 bytes (a zigzag
 * delta < 2^56). Decoded without a branch on the varint's length: the first byte without its
 * continuation bit ends it, and the 7-bit groups are packed by three shift-and-merge steps.
 * Fills op's kind, pid and addr (the other fields are left as they are), moves the register
 * and returns the record's length in bytes; 0 (nothing changed) for any other record,
 * including the widest varints, whose validity needs the full check of vmb_read_general.
 * read() decodes one record with it; read_batch() has its own loop, vmb_fast_run. */
static inline __attribute__((always_inline)) size_t vmb_decode_access(const unsigned char *p,
                                                                      struct vmb_regs *cur,
                                                                      uint32_t pid, struct op *op,
                                                                      const bool pext)
{
	unsigned tag = p[0];
	if (unlikely(tag > OP_EXEC))
		return 0;
	uint64_t w = vmb_load_le64(p + 1);
	uint64_t stops = ~w & 0x8080808080808080ull; /* bytes without a continuation bit */
	if (unlikely(!stops))
		return 0;
	/* The bytes up to the first stop, without their top bits. */
	uint64_t x = w & (stops ^ (stops - 1)) & 0x7f7f7f7f7f7f7f7full;
	if (pext) {
		x = vmb_pack_pext(x);
	} else {
		/* Pack pairs of groups: the high one of each pair moves down by 1, then 2 bits
		 * (x minus the high part, plus it shifted), then the high 28 bits join the low
		 * 28. */
		x -= (x >> 1) & 0x3f803f803f803f80ull;       /* 2 x 7 bits in each 16 */
		x -= 3 * ((x >> 2) & 0x0fffc0000fffc000ull); /* 2 x 14 bits in each 32 */
		x = (x & 0x0fffffffu) | ((x >> 32) << 28);   /* 2 x 28 bits */
	}
	uint64_t *reg = &cur->last[tag >> 1];
	uint64_t addr = *reg + (uint64_t)vmb_unzigzag(x);
	*reg = addr;
	op->kind = (uint8_t)tag;
	op->pid = pid;
	op->addr = addr;
	return ((unsigned)__builtin_ctzll(stops) >> 3) + 2; /* stop bit 7, 15, ..., 63 */
}

static int vmb_read(void *reader, struct op *op, struct err *err)
{
	struct vmb_reader *r = reader;
	mapahead_advance(&r->map, r->pos);
	if (likely(r->len - r->pos >= VMB_SLACK && r->st.cur)) {
		size_t n =
		    r->pext ? vmb_decode_access(r->buf + r->pos, r->st.cur, r->st.pid, op, true)
		            : vmb_decode_access(r->buf + r->pos, r->st.cur, r->st.pid, op, false);
		if (likely(n)) {
			r->rec_off = r->buf_off + r->pos;
			r->pos += n;
			return 1;
		}
	}
	return vmb_read_general(r, op, err);
}

/* Bit i set where p[i] has no continuation bit: a tag byte, or the last byte of a varint. A
 * window's last record may have its varint's 8-byte load start at byte 62, so
 * VMB_WINDOW_READ bytes must be readable at p. */
#define VMB_WINDOW_BYTES 64
#define VMB_WINDOW_READ (VMB_WINDOW_BYTES + 8)
#define VMB_PREFETCH_BYTES 1024
static inline __attribute__((always_inline)) uint64_t vmb_stop_mask(const unsigned char *p)
{
#if defined(__SSE2__) && !defined(VMB_SCALAR_MASK) /* VMB_SCALAR_MASK: to test the other */
	uint64_t m = (uint16_t)_mm_movemask_epi8(_mm_loadu_si128((const __m128i *)p));
	m |= (uint64_t)(uint16_t)_mm_movemask_epi8(_mm_loadu_si128((const __m128i *)(p + 16)))
	     << 16;
	m |= (uint64_t)(uint16_t)_mm_movemask_epi8(_mm_loadu_si128((const __m128i *)(p + 32)))
	     << 32;
	m |= (uint64_t)(uint16_t)_mm_movemask_epi8(_mm_loadu_si128((const __m128i *)(p + 48)))
	     << 48;
	return ~m;
#else
	uint64_t m = 0;
	for (unsigned i = 0; i < VMB_WINDOW_BYTES; i += 8) {
		/* The top bits of 8 bytes, gathered into one byte by a multiply. */
		uint64_t t = (~vmb_load_le64(p + i) & 0x8080808080808080ull) >> 7;
		m |= ((t * 0x0102040810204080ull) >> 56) << i;
	}
	return m;
#endif
}

struct vmb_run {
	const unsigned char *q; /* the next record */
	struct op *op;          /* the next op to fill */
	uint64_t rw, x;         /* the address registers */
};

/* The records of the window at base (stop mask m) from s->q on; true if the run must stop
 * here: at a record of the general path (an op other than an access, a varint of 9 or 10
 * bytes), after an address beyond TRACE_VA_LIMIT, or at op_end. The quick form (careful
 * false) is for a window that vmb_fast_run has found to hold no varint longer than 8 bytes
 * and no more records than the ops left (the pext decoder cuts the window's mask to make it
 * so), and tests neither. */
static inline __attribute__((always_inline)) bool vmb_window(struct vmb_run *s,
                                                             const unsigned char *base, uint64_t m,
                                                             uint32_t pid, const struct op *op_end,
                                                             const bool pext, const bool careful)
{
	for (;;) {
		uint64_t m2 = m & (m - 1); /* without the tag's bit: the lowest is the end */
		if (!m2)
			return false; /* the record at q ends beyond the window */
		const unsigned char *q = s->q;
		unsigned tag = *q;
		uint64_t w = vmb_load_le64(q + 1);
		uint64_t stops = ~w & 0x8080808080808080ull; /* the same end, found in w */
		if (careful && unlikely(!stops))
			return true;      /* a varint of 9 or 10 bytes */
		w &= stops ^ (stops - 1); /* the varint's bytes */
		uint64_t delta;
		if (pext) {
			/* Packed without its top bits and without bit 0, the zigzag sign: that is
			 * the magnitude, to be complemented when the sign is set. */
			delta = vmb_pext(w, 0x7f7f7f7f7f7f7f7eull) ^
			        (uint64_t)((int64_t)(w << 63) >> 63);
		} else {
			/* Pairs of groups: the high one of each pair moves down by 1, then 2 bits
			 * (w minus the high part, plus it shifted), then the high 28 bits join the
			 * low 28. */
			w &= 0x7f7f7f7f7f7f7f7full;
			w -= (w >> 1) & 0x3f803f803f803f80ull;
			w -= 3 * ((w >> 2) & 0x0fffc0000fffc000ull);
			w = (w & 0x0fffffffu) | ((w >> 32) << 28);
			delta = (uint64_t)vmb_unzigzag(w);
		}
		uint64_t addr;
		if (likely(tag < OP_EXEC))
			addr = s->rw += delta;
		else if (tag == OP_EXEC)
			addr = s->x += delta;
		else
			return true; /* not an access */
		struct op *op = s->op++;
		op->kind = (uint8_t)tag;
		op->pid = pid;
		op->addr = addr;
		s->q = base + __builtin_ctzll(m2) + 1;
		m = m2 & (m2 - 1);
		if (unlikely(addr >= TRACE_VA_LIMIT))
			return true;
		if (careful && unlikely(s->op == op_end))
			return true;
	}
}

/* The careful form of vmb_window, out of line: it is rare, and the quick loop keeps more of its
 * state in registers without it. */
static __attribute__((noinline)) bool vmb_window_careful(struct vmb_run *s,
                                                         const unsigned char *base, uint64_t m,
                                                         uint32_t pid, const struct op *op_end,
                                                         bool pext)
{
	return pext ? vmb_window(s, base, m, pid, op_end, true, true)
	            : vmb_window(s, base, m, pid, op_end, false, true);
}

/*
 * vmb_read_batch's tight loop: up to fast_max accesses of the current process from *pp (not
 * past last, the last window start), into ops; advances *pp past the last record decoded;
 * returns how many. Stops at a record of the general path, and after an address beyond
 * TRACE_VA_LIMIT. Record boundaries come from a window's stop mask (vmb_stop_mask), not from each decoded
 * varint: a fast record is a tag byte (a stop) and a varint that ends at the next stop, so
 * clearing the mask's two lowest bits steps to the next record. The chain from one record to
 * the next is that one-cycle bit clear, where finding the end in the varint just loaded took
 * about ten cycles; the loads and the decoding of a window's records are independent. The
 * address registers are locals (op stores cannot alias them); pext is a constant at each call,
 * so each decoder has its own loop.
 */
static inline __attribute__((always_inline)) uint32_t
vmb_fast_run(const unsigned char **pp, const unsigned char *last, struct vmb_regs *cur,
             uint32_t pid, struct op *ops, uint32_t fast_max, const bool pext)
{
	struct vmb_run s = {.q = *pp, .op = ops, .rw = cur->last[0], .x = cur->last[1]};
	const struct op *op_end = ops + fast_max;
	/* s.op < op_end: a window that filled the batch exactly must not start another (the
	 * careful form stores an op before it tests op_end). */
	while (s.q <= last && s.op < op_end) {
		const unsigned char *base = s.q;
		uint64_t m = vmb_stop_mask(base); /* no bit below q's tag */
		/* The host's cache line VMB_PREFETCH_BYTES ahead, so that the memory transfer
		 * overlaps the decoding (the pages are mapped ahead by mapahead). */
		__builtin_prefetch(base + VMB_PREFETCH_BYTES);
		/* Bytes with a continuation bit; 8 in a row may be a varint too long for the
		 * quick form. A window holds at most VMB_WINDOW_BYTES / 2 records. */
		uint64_t c = ~m;
		c &= c >> 1;
		c &= c >> 2;
		c &= c >> 4;
		ptrdiff_t left = op_end - s.op;
		if (pext && left < VMB_WINDOW_BYTES / 2) {
			/* Only the first `left` records' bits (a tag and an end each): the bit
			 * after them is bit 2 * left deposited into m. */
			uint64_t after = vmb_pdep(1ull << (2 * left), m);
			if (after)
				m &= after - 1;
			left = VMB_WINDOW_BYTES / 2;
		}
		bool stop;
		if (likely(!c && left >= VMB_WINDOW_BYTES / 2)) {
			stop = vmb_window(&s, base, m, pid, op_end, pext, false);
		} else { /* on a copy, so that s never has its address taken */
			struct vmb_run t = s;
			stop = vmb_window_careful(&t, base, m, pid, op_end, pext);
			s = t;
		}
		if (stop || unlikely(s.q == base)) /* s.q == base: longer than the window */
			break;
	}
	cur->last[0] = s.rw;
	cur->last[1] = s.x;
	*pp = s.q;
	return (uint32_t)(s.op - ops);
}

/* The two instances of vmb_fast_run. The pext one runs only where vmb_pext_fast found BMI2, so
 * it may use the BMI instructions throughout (andn, blsr, blsmsk, tzcnt). */
#if defined(__x86_64__) && defined(__GNUC__)
#define VMB_TARGET_BMI2 __attribute__((target("bmi,bmi2")))
#else
#define VMB_TARGET_BMI2
#endif
static VMB_TARGET_BMI2 __attribute__((noinline)) uint32_t
vmb_fast_run_pext(const unsigned char **pp, const unsigned char *last, struct vmb_regs *cur,
                  uint32_t pid, struct op *ops, uint32_t fast_max)
{
	return vmb_fast_run(pp, last, cur, pid, ops, fast_max, true);
}

static __attribute__((noinline)) uint32_t vmb_fast_run_portable(const unsigned char **pp,
                                                                const unsigned char *last,
                                                                struct vmb_regs *cur, uint32_t pid,
                                                                struct op *ops, uint32_t fast_max)
{
	return vmb_fast_run(pp, last, cur, pid, ops, fast_max, false);
}

/* See struct trace_format. Accesses of the current process continue a batch while the op
 * before them was a process op other than an exit (r->chain) and their address is below
 * TRACE_VA_LIMIT; a record of the general path (a pid change, any other op, a refill) ends
 * it, so where() names every op trace_source.c must check in full. */
static int vmb_read_batch(void *reader, struct op *ops, uint32_t max, struct err *err)
{
	struct vmb_reader *r = reader;
	mapahead_advance(&r->map, r->pos);
	if (unlikely(r->held_rc < 0)) {
		if (err)
			*err = r->held_err;
		return r->held_rc;
	}
	uint32_t n = 0;
	if (likely(r->st.cur && r->len - r->pos >= VMB_WINDOW_READ)) {
		const unsigned char *p = r->buf + r->pos;
		/* the last start of a window */
		const unsigned char *last = r->buf + r->len - VMB_WINDOW_READ;
		struct vmb_regs *cur = r->st.cur;
		uint32_t pid = r->st.pid, fast_max = r->chain ? max : 1;
		n = r->pext ? vmb_fast_run_pext(&p, last, cur, pid, ops, fast_max)
		            : vmb_fast_run_portable(&p, last, cur, pid, ops, fast_max);
		if (n) {
			/* The last record decoded ends at p: its varint's last byte, the
			 * continuation bytes before it, and the tag (top bit clear). */
			const unsigned char *t = p - 2;
			while (*t & 0x80)
				t--;
			r->rec_off = r->buf_off + (uint64_t)(t - r->buf);
			r->pos = (size_t)(p - r->buf);
			if (ops[n - 1].addr >= TRACE_VA_LIMIT || !r->chain) {
				r->chain = 1; /* for the op after this access */
				return (int)n;
			}
			if (n == max)
				return (int)n;
		}
	}
	uint64_t last_off = r->rec_off; /* of ops[n - 1], if n */
	int rc = vmb_read_general(r, &ops[n], &r->held_err);
	if (rc > 0)
		return (int)n + 1;
	if (n) /* where() names the last op returned, not the end or the error after it */
		r->rec_off = last_off;
	if (rc < 0) { /* held: returned now if no op came before it, and by every later call */
		r->held_rc = rc;
		if (!n && err)
			*err = r->held_err;
	}
	return n ? (int)n : rc;
}

/* Every other record (out of line: the hot path saves no registers). An mmap, munmap,
 * mprotect, madvise or msync record's operands (opc) at *pp into op: */
static int vmb_get_range_op(struct vmb_reader *r, const unsigned char **pp, unsigned opc,
                            struct op *op, struct err *err)
{
	const unsigned char *p = *pp, *end = r->buf + r->len;
	unsigned b;
	GETV(op->addr);
	GETV(op->len);
	if (opc == OP_MMAP || opc == OP_MPROTECT) {
		GETB(b);
		if ((b & (opc == OP_MMAP ? 0x7fu : 0xffu)) > 7)
			return vmb_bad(r, err, r->rec_off, "bad protection byte");
		op->prot = (uint8_t)(b & 7);
		op->xflags = (uint8_t)(b >> 7); /* 1: the xflags byte follows the flags byte */
	}
	if (opc == OP_MMAP) {
		GETB(b);
		if ((b & 0x30) || ((b & MAPF_HUGE) && (b & MAPF_FILE)))
			return vmb_bad(r, err, r->rec_off, "bad mmap flags byte");
		op->flags = (uint8_t)b;
		if (op->xflags)
			GETB(op->xflags);
		if (op->flags & (OPRES_ADDR | OPRES_ERRNO))
			GETV(op->arg);
		if (op->flags & MAPF_FILE) {
			uint64_t idx;
			GETV(idx);
			GETV(op->offset);
			if (idx >= r->nr_files)
				return vmb_bad(r, err, r->rec_off,
				               "mmap names an undeclared file index");
			op->name = r->files[idx];
		}
	}
	if (opc == OP_MADVISE) {
		GETB(b);
		if (b & VMB_MADV_RESULT) { /* a recorded result: its flags byte, its errno byte */
			GETB(op->flags);
			GETB(op->prot);
		}
		if (!vmb_madvise_ok(b & ~(unsigned)VMB_MADV_RESULT, op))
			return vmb_bad(r, err, r->rec_off, "bad madvise advice or result byte");
		op->arg = b & ~(unsigned)VMB_MADV_RESULT;
	}
	*pp = p;
	return 0;
}

/* The name of an exec or file record (opc) at *pp into op; a file declaration also gets its
 * size and an index (mmap records name files by it). */
static int vmb_get_named_op(struct vmb_reader *r, const unsigned char **pp, unsigned opc,
                            struct op *op, struct err *err)
{
	int rc = vmb_get_name(r, pp, err);
	if (rc < 0)
		return rc;
	const unsigned char *p = *pp, *end = r->buf + r->len;
	op->name = r->name;
	if (opc == OP_FILE) {
		if (strchr(r->name, ':'))
			return vmb_bad(r, err, r->rec_off, "a file name contains ':'");
		GETV(op->len);
		if (r->nr_files == r->cap_files) {
			r->cap_files = r->cap_files ? r->cap_files * 2 : 8;
			r->files = xrealloc(r->files, r->cap_files * sizeof(*r->files));
		}
		r->files[r->nr_files++] = xstrdup(r->name);
		op->pid = 0;
	}
	*pp = p;
	return 0;
}

/* An extended record (opcode opc >= VMB_EXT_BASE: kind opc - 1) in vmb.h's generic layout, of
 * a kind this reader knows; its own checks are the trace readers' (trace_source.c). */
static int vmb_get_ext_op(struct vmb_reader *r, const unsigned char **pp, unsigned opc,
                          struct op *op, struct err *err)
{
	const unsigned char *p = *pp, *end = r->buf + r->len;
	unsigned kind = opc - 1, has_name;
	if (!op_kind_name(kind)) {
		char msg[96];
		snprintf(msg, sizeof(msg), "unknown extended record opcode %u (a newer writer?)",
		         opc);
		return vmb_bad(r, err, r->rec_off, msg);
	}
	op->kind = (uint8_t)kind;
	GETB(op->prot);
	GETB(op->flags);
	GETV(op->addr);
	GETV(op->len);
	GETV(op->arg);
	GETV(op->offset);
	GETB(has_name);
	if (has_name > 1)
		return vmb_bad(r, err, r->rec_off, "bad name-present byte in an extended record");
	*pp = p;
	if (has_name) {
		int rc = vmb_get_name(r, pp, err);
		if (rc < 0)
			return rc;
		op->name = r->name;
	}
	return 0;
}

/* The operands of a record other than an access (opc) at *pp into op (zeroed: kind and pid
 * set). Returns 0, 1 at the end record (nothing may follow it), or < 0. */
static int vmb_get_op(struct vmb_reader *r, const unsigned char **pp, unsigned opc, struct op *op,
                      struct err *err)
{
	const unsigned char *p = *pp, *end = r->buf + r->len;
	unsigned b;
	switch (opc) {
	case OP_MMAP:
	case OP_MUNMAP:
	case OP_MPROTECT:
	case OP_MADVISE:
	case OP_MSYNC:
		return vmb_get_range_op(r, pp, opc, op, err);
	case OP_FORK:
	case OP_WAIT:
	case OP_COMPUTE:
		GETV(op->arg);
		break;
	case OP_MARK:
		GETB(b);
		if (b != MARK_BEGIN && b != MARK_END)
			return vmb_bad(r, err, r->rec_off, "bad mark kind byte");
		op->flags = (uint8_t)b;
		GETV(op->arg);
		break;
	case OP_EXIT:
		break;
	case OP_EXECVE:
	case OP_FILE:
		return vmb_get_named_op(r, pp, opc, op, err);
	case VMB_OP_END:
		r->pos = (size_t)(p - r->buf);
		if (vmb_fill(r, 1, err) < 0)
			return -VMSIM_EIO;
		if (r->len > r->pos)
			return vmb_bad(r, err, r->buf_off + r->pos, "data after the end record");
		r->ended = 1;
		return 1;
	default:
		if (opc >= VMB_EXT_BASE)
			return vmb_get_ext_op(r, pp, opc, op, err);
		return vmb_bad(r, err, r->rec_off, "unknown record opcode");
	}
	*pp = p;
	return 0;
}

/* Every record the fast paths leave: a pid change, any record but an access, a record near the
 * end of the buffer (it refills), the end record. */
static __attribute__((noinline)) int vmb_read_general(struct vmb_reader *r, struct op *op,
                                                      struct err *err)
{
	if (r->ended)
		return 0;
	if (unlikely(r->len - r->pos < VMB_SLACK)) {
		int rc = vmb_fill(r, VMB_SLACK, err);
		if (rc < 0)
			return rc;
	}
	r->rec_off = r->buf_off + r->pos;
	const unsigned char *p = r->buf + r->pos, *end = r->buf + r->len;
	if (unlikely(p == end))
		return vmb_bad(r, err, r->rec_off,
		               "truncated trace: the file ends without an end record");
	unsigned tag = *p++;
	/* VMB_TAG_EXT: opcodes 16..31 (never an access: the fast paths leave it here) */
	unsigned opc = (tag & 0x0f) | (tag & VMB_TAG_EXT ? VMB_EXT_BASE : 0);
	if (unlikely(tag & 0xc0))
		return vmb_bad(r, err, r->rec_off, "bad record tag (reserved bits set)");
	if (tag & VMB_TAG_PID) {
		uint64_t pid;
		GETV(pid);
		if (pid == 0 || pid > UINT32_MAX || opc == OP_FILE || opc == VMB_OP_END)
			return vmb_bad(r, err, r->rec_off, "bad pid in record");
		if (pid != r->st.pid)
			state_switch(&r->st, (uint32_t)pid);
	}
	if (opc <= OP_EXEC) { /* the hot case: one access */
		uint64_t z;
		GETV(z);
		if (unlikely(!r->st.cur))
			return vmb_bad(r, err, r->rec_off, "access before any pid");
		uint64_t *reg = &r->st.cur->last[opc >> 1];
		*reg += (uint64_t)vmb_unzigzag(z);
		op->kind = (uint8_t)opc;
		op->pid = r->st.pid;
		op->addr = *reg;
		r->pos = (size_t)(p - r->buf);
		r->chain = 1;
		return 1;
	}
	memset(op, 0, sizeof(*op));
	op->kind = (uint8_t)opc;
	op->pid = r->st.pid;
	if (opc != OP_FILE && opc != VMB_OP_END && !r->st.cur)
		return vmb_bad(r, err, r->rec_off, "operation before any pid");
	int rc = vmb_get_op(r, &p, opc, op, err);
	if (rc)
		return rc < 0 ? rc : 0; /* (1: the end record) */
	r->pos = (size_t)(p - r->buf);
	r->chain = opc != OP_EXIT && opc != OP_FILE;
	return 1;
}

const struct trace_format trace_format_vmb = {
    .name = "vmb",
    .extensions = ".vmb",
    .open = vmb_open,
    .read = vmb_read,
    .read_batch = vmb_read_batch,
    .where = vmb_where,
    .close = vmb_close,
    .wopen = vmb_wopen,
    .write = vmb_write,
    .wclose = vmb_wclose,
};
