/*
 * vmb.h — the `vmb` binary trace: the compact form of `vmt`, streamed.
 *
 * Layout (all multi-byte fixed fields little-endian):
 *   header, 8 bytes: magic 0x89 'V' 'M' 'B', uint16 version (VMB_VERSION), uint16 flags (0)
 *   records, each: one tag byte = opcode (low 4 bits) | VMB_TAG_PID (0x10: a varint pid
 *   follows, the process of this and the next records; otherwise the previous record's
 *   process) | VMB_TAG_EXT (0x20: opcode 16 + the low 4 bits, see below) — bits 6..7 are
 *   zero — then the operands as LEB128 varints:
 *     r, w, x   zigzag(addr - previous address of that process): one register for data
 *               (r, w), one for instruction fetches (x), both starting at 0
 *     mmap      addr, len, prot byte, flags byte (enum op_map_flags), an xflags byte (enum
 *               op_map_xflags) when the prot byte has VMB_MMAP_XFLAGS (0x80), a varint
 *               result when the flags have OPRES_ADDR or OPRES_ERRNO (readers before
 *               issue 15 reject both bits: a newer writer), then for file mappings the
 *               file's index (0-based, in order of declaration) and the offset
 *     munmap, msync      addr, len
 *     mprotect           addr, len, prot byte
 *     madvise            addr, len, advice byte (enum op_advice: 1..17; 4.. are new in
 *                        issue 15, a reader before it rejects them); with VMB_MADV_RESULT
 *                        (0x80) in it, a recorded result: flags byte, errno byte
 *     fork, wait         child pid (wait: 0 = any child)
 *     exec               image: varint length, bytes
 *     exit               nothing
 *     compute            nanoseconds
 *     file               name: varint length, bytes; then size in bytes (no pid)
 *     end (opcode 15)    the last record: a file cut at a record boundary is still caught
 *     extended (tag bit 5; opcode 16..31 = enum op_kind + 1): every one in one generic layout,
 *                        so a new operation kind needs no new codec: prot byte, flags byte,
 *                        addr, len, arg, offset (varints), a name-present byte (0 or 1) and
 *                        then the name (varint length 1..1023, bytes). A reader rejects an
 *                        opcode whose kind it does not know (op_kind_name: NULL).
 * An access costs 2-4 bytes when a process's addresses move by less than 2^20 bytes.
 */
#ifndef VMSIM_WORKLOADS_VMB_H
#define VMSIM_WORKLOADS_VMB_H

#include <stddef.h>
#include <stdint.h>

#define VMB_VERSION 1
#define VMB_HEADER_BYTES 8
#define VMB_TAG_PID 0x10
#define VMB_MMAP_XFLAGS 0x80 /* in an mmap record's prot byte: an xflags byte follows */
/* In a madvise record's advice byte: a recorded result follows (a flags byte, OPRES_ADDR for
 * success or OPRES_ERRNO, and an errno byte; readers before issue 15 reject the bit) */
#define VMB_MADV_RESULT 0x80
#define VMB_OP_END 15
/* The extended-opcode escape: a tag with this bit set carries opcode VMB_EXT_BASE + its low 4
 * bits (16..31), with the same VMB_TAG_PID bit and varint operands after it. Readers before it
 * rejected the bit as reserved, so every older file reads identically; bits 6 and 7 stay
 * reserved (a further escape). */
#define VMB_TAG_EXT 0x20
#define VMB_EXT_BASE 16
extern const unsigned char vmb_magic[4];

/* Append v as a LEB128 varint at p (at most 10 bytes); returns the new end. */
static inline unsigned char *vmb_put_varint(unsigned char *p, uint64_t v)
{
	while (v >= 0x80) {
		*p++ = (unsigned char)(v | 0x80);
		v >>= 7;
	}
	*p++ = (unsigned char)v;
	return p;
}

static inline uint64_t vmb_zigzag(int64_t v)
{
	return ((uint64_t)v << 1) ^ (uint64_t)(v >> 63);
}

static inline int64_t vmb_unzigzag(uint64_t v)
{
	return (int64_t)(v >> 1) ^ -(int64_t)(v & 1);
}

/* Why vmb_get_varint refused a varint (each a distinct message of the reader). */
#define VMB_VARINT_TRUNCATED (-1) /* it runs past end */
#define VMB_VARINT_TOO_LONG (-2)  /* its 10th byte has the continuation bit: 11 bytes or more */
#define VMB_VARINT_TOO_BIG (-3)   /* its 10th byte holds more than bit 63 (> 2^64 - 1) */

/* The reader's message for a VMB_VARINT_* code: a format taking a byte offset (the varint's;
 * for VMB_VARINT_TRUNCATED, the file's end). */
static inline const char *vmb_varint_problem(int rc)
{
	if (rc == VMB_VARINT_TRUNCATED)
		return "truncated record (the file ends at byte offset %llu)";
	return rc == VMB_VARINT_TOO_LONG ? "overlong varint at byte offset %llu (more than 10 "
	                                   "bytes; a 64-bit value takes at most 10)"
	                                 : "varint at byte offset %llu is beyond 64 bits (its 10th "
	                                   "byte is above 1)";
}

/* Read a varint from [*p, end): 0 with *p advanced, else a VMB_VARINT_* code (< 0). */
static inline int vmb_get_varint(const unsigned char **pp, const unsigned char *end, uint64_t *out)
{
	const unsigned char *p = *pp;
	if (p < end && *p < 0x80) { /* the common one-byte case */
		*out = *p;
		*pp = p + 1;
		return 0;
	}
	uint64_t v = 0;
	for (unsigned shift = 0; shift < 70; shift += 7) {
		if (p == end)
			return VMB_VARINT_TRUNCATED;
		unsigned char b = *p++;
		if (shift == 63 && (b & 0x80))
			return VMB_VARINT_TOO_LONG;
		if (shift == 63 && b > 1)
			return VMB_VARINT_TOO_BIG;
		v |= (uint64_t)(b & 0x7f) << shift;
		if (!(b & 0x80)) {
			*out = v;
			*pp = p;
			return 0;
		}
	}
	return VMB_VARINT_TOO_LONG; /* (not reached: the 10th byte returns) */
}

#endif
