/*
 * vmb_writer.c — writer of the `vmb` binary trace (format in vmb.h): records into a 1 MiB
 * buffer, written out when it fills; each access coded as the zigzag delta from its process's
 * register (vmb_shared.h), a pid only when the process changes, files by their index.
 */
#include <errno.h>
#include <stdio.h>

#include "workloads/vmb_shared.h"

struct vmb_writer {
	FILE *f;
	char *path;
	unsigned char *buf;
	size_t len;
	struct vmb_state st;
	char **files;
	uint32_t nr_files, cap_files;
	int failed;
};

static int vmb_flush(struct vmb_writer *w, struct err *err)
{
	if (w->len && fwrite(w->buf, 1, w->len, w->f) != w->len) {
		w->failed = 1;
		return err_setc(err, VMSIM_EIO, "%s: write failed: %s", w->path, strerror(errno));
	}
	w->len = 0;
	return 0;
}

int vmb_wopen(void **out, const char *path, const struct trace_read_opts *opts, struct err *err)
{
	FILE *f = fopen(path, "wb");
	if (!f)
		return err_setc(err, VMSIM_EIO, "%s: cannot create: %s", path, strerror(errno));
	struct vmb_writer *w = xcalloc(1, sizeof(*w));
	w->f = f;
	w->path = xstrdup(path);
	w->buf = xmalloc(VMB_BUF_BYTES);
	state_init(&w->st);
	memcpy(w->buf, vmb_magic, 4);
	w->buf[4] = VMB_VERSION & 0xff;
	w->buf[5] = VMB_VERSION >> 8;
	w->buf[6] = w->buf[7] = 0;
	w->len = VMB_HEADER_BYTES;
	*out = w;
	return 0;
}

static unsigned char *put_name(unsigned char *p, const char *name)
{
	size_t n = strlen(name);
	BUG_ON(n == 0 || n > VMB_NAME_MAX, "name length %zu", n);
	p = vmb_put_varint(p, n);
	memcpy(p, name, n);
	return p + n;
}

int vmb_write(void *writer, const struct op *op, struct err *err)
{
	struct vmb_writer *w = writer;
	if (w->len > VMB_BUF_BYTES - 2 * VMB_NAME_MAX - 4 * VMB_SLACK) {
		int rc = vmb_flush(w, err);
		if (rc < 0)
			return rc;
	}
	unsigned char *p = w->buf + w->len;
	unsigned char *tag = p++;
	*tag = op->kind < OP_KIND_FIRST_EXT ? op->kind
	                                    : (unsigned char)(((op->kind + 1) & 0x0f) | VMB_TAG_EXT);
	if (op->kind != OP_FILE && op->pid != w->st.pid) {
		*tag |= VMB_TAG_PID;
		p = vmb_put_varint(p, op->pid);
		state_switch(&w->st, op->pid);
	}
	switch (op->kind) {
	case OP_READ:
	case OP_WRITE:
	case OP_EXEC: {
		uint64_t *reg = &w->st.cur->last[op->kind >> 1];
		p = vmb_put_varint(p, vmb_zigzag((int64_t)(op->addr - *reg)));
		*reg = op->addr;
		break;
	}
	case OP_MMAP:
	case OP_MUNMAP:
	case OP_MPROTECT:
	case OP_MADVISE:
	case OP_MSYNC:
		p = vmb_put_varint(p, op->addr);
		p = vmb_put_varint(p, op->len);
		if (op->kind == OP_MMAP || op->kind == OP_MPROTECT)
			*p++ = op->prot | (op->kind == OP_MMAP && op->xflags ? VMB_MMAP_XFLAGS : 0);
		if (op->kind == OP_MMAP) {
			*p++ = op->flags;
			if (op->xflags)
				*p++ = op->xflags;
			if (op->flags & (OPRES_ADDR | OPRES_ERRNO))
				p = vmb_put_varint(p, op->arg);
			if (op->flags & MAPF_FILE) {
				uint32_t i = w->nr_files;
				while (i > 0 && strcmp(w->files[i - 1], op->name) != 0)
					i--;
				BUG_ON(i == 0, "mmap of undeclared file %s", op->name);
				p = vmb_put_varint(p, i - 1);
				p = vmb_put_varint(p, op->offset);
			}
		}
		if (op->kind == OP_MADVISE) {
			bool res = op->flags & (OPRES_ADDR | OPRES_ERRNO);
			*p++ = (unsigned char)(op->arg | (res ? VMB_MADV_RESULT : 0));
			if (res) { /* the result's flag bits, then its errno (0: success) */
				*p++ = op->flags & (OPRES_ADDR | OPRES_ERRNO);
				*p++ = op->prot;
			}
		}
		break;
	case OP_FORK:
	case OP_WAIT:
	case OP_COMPUTE:
		p = vmb_put_varint(p, op->arg);
		break;
	case OP_MARK:
		*p++ = op->flags;
		p = vmb_put_varint(p, op->arg);
		break;
	case OP_EXIT:
		break;
	case OP_EXECVE:
		p = put_name(p, op->name);
		break;
	case OP_FILE:
		p = put_name(p, op->name);
		p = vmb_put_varint(p, op->len);
		if (w->nr_files == w->cap_files) {
			w->cap_files = w->cap_files ? w->cap_files * 2 : 8;
			w->files = xrealloc(w->files, w->cap_files * sizeof(*w->files));
		}
		w->files[w->nr_files++] = xstrdup(op->name);
		break;
	default: /* an extended record: its generic layout (vmb.h) */
		BUG_ON(!op_kind_name(op->kind) || op->kind < OP_KIND_FIRST_EXT, "op kind %u", op->kind);
		*p++ = op->prot;
		*p++ = op->flags;
		p = vmb_put_varint(p, op->addr);
		p = vmb_put_varint(p, op->len);
		p = vmb_put_varint(p, op->arg);
		p = vmb_put_varint(p, op->offset);
		*p++ = op->name != NULL;
		if (op->name)
			p = put_name(p, op->name);
	}
	w->len = (size_t)(p - w->buf);
	return 0;
}

int vmb_wclose(void *writer, struct err *err)
{
	struct vmb_writer *w = writer;
	int rc = 0;
	if (!w->failed) {
		w->buf[w->len++] = VMB_OP_END;
		rc = vmb_flush(w, err);
	}
	if (fclose(w->f) != 0 && rc == 0)
		rc = err_setc(err, VMSIM_EIO, "%s: write failed: %s", w->path, strerror(errno));
	free(w->buf);
	free(w->path);
	state_fini(&w->st);
	for (uint32_t i = 0; i < w->nr_files; i++)
		free(w->files[i]);
	free(w->files);
	free(w);
	return rc;
}
