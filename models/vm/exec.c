/*
 * exec.c — execve's new address space (Linux's fs/exec.c and the loading half of
 * fs/binfmt_elf.c, for the program images of the config, docs/config.md images.*): the text
 * (file "<image>.text", private r-x), the data (file "<image>.data", private rw: writes COW)
 * and the bss of the image and of each of its libraries, then the heap after the bss and the
 * stack below stack_top (anonymous); the heap is brk's ([start_brk, brk), vm_brk). A library is another image or a declared file (mapped
 * whole, private r-x). The images come parsed (struct vm_image, at setup); their files are
 * declared when the VM is set up, in the images' order.
 *
 * Not modelled: the ELF headers, the dynamic loader's own work, the auxiliary vector and the
 * arguments on the stack, ASLR (every address is the image's).
 */
#include "models/vm/internal.h"

#include <stdlib.h>

static char *image_file_name(const char *image, const char *section)
{
	return xasprintf("%s.%s", image, section);
}

/* Bytes of the data section: its whole pages and the file part of one more. */
static uint64_t image_data_bytes(const struct vm_image *img, uint64_t ps)
{
	return img->data_pages * ps + img->data_tail_bytes;
}

void vm_images_declare_files(struct vm *vm)
{
	uint64_t ps = vm->cfg.page_size;
	for (uint32_t i = 0; i < vm->cfg.nr_images; i++) {
		const struct vm_image *img = &vm->cfg.images[i];
		char *text = image_file_name(img->name, "text");
		char *data = image_file_name(img->name, "data");
		vm_file_declare(vm, text, img->text_pages * ps);
		vm_file_declare(vm, data, image_data_bytes(img, ps));
		free(text);
		free(data);
	}
}

int vm_image_find(const struct vm *vm, const char *name)
{
	for (uint32_t i = 0; i < vm->cfg.nr_images; i++)
		if (!strcmp(vm->cfg.images[i].name, name))
			return (int)i;
	return -1;
}

/* Map text, data and bss of img at base; returns the end of the bss, 0 on failure. */
static uint64_t map_sections(struct vm *vm, struct mm_struct *mm, const struct vm_image *img,
                             uint64_t base, struct fault_work *w)
{
	uint64_t ps = vm->cfg.page_size;
	uint64_t text = img->text_pages * ps;
	uint64_t data = (image_data_bytes(img, ps) + ps - 1) & ~(ps - 1);
	uint64_t bss = img->bss_pages * ps;
	char *ftext = image_file_name(img->name, "text"), *fdata = image_file_name(img->name, "data");
	int rc = 0;
	if (text)
		rc |= vm_mmap_file(vm, mm, base, text, VM_READ | VM_EXEC,
		                   (uint32_t)vm_file_find(vm, ftext), 0, w);
	if (data)
		rc |= vm_mmap_file(vm, mm, base + text, data, VM_READ | VM_WRITE,
		                   (uint32_t)vm_file_find(vm, fdata), 0, w);
	if (bss)
		rc |= vm_mmap_anon(vm, mm, base + text + data, bss, VM_READ | VM_WRITE, w);
	free(ftext);
	free(fdata);
	return rc ? 0 : base + text + data + bss;
}

/* The libraries of img, one after another from its lib_base. Returns false on failure. */
static bool map_libs(struct vm *vm, struct mm_struct *mm, const struct vm_image *img,
                     struct fault_work *w)
{
	uint64_t ps = vm->cfg.page_size;
	uint64_t lib = img->lib_base;
	for (uint32_t i = 0; i < img->nr_libs; i++) {
		if (img->lib_image[i] >= 0) {
			lib = map_sections(vm, mm, &vm->cfg.images[img->lib_image[i]], lib, w);
			if (!lib)
				return false;
			continue;
		}
		int f = vm_file_find(vm, img->libs[i]);
		uint64_t size = f < 0 ? 0 : (vm->fm.files[f].size_bytes + ps - 1) & ~(ps - 1);
		if (!size || vm_mmap_file(vm, mm, lib, size, VM_READ | VM_EXEC, (uint32_t)f, 0, w))
			return false;
		lib += size;
	}
	return true;
}

struct mm_struct *vm_exec_mm(struct vm *vm, uint32_t pid, int image, struct fault_work *w,
                             uint64_t *padzero_out)
{
	const struct vm_image *img = &vm->cfg.images[image];
	uint64_t ps = vm->cfg.page_size;
	struct mm_struct *mm = vm_mm_create(vm, pid);
	uint64_t end = map_sections(vm, mm, img, img->text_base, w);
	uint64_t heap = img->heap_pages * ps, stack = img->stack_pages * ps;
	bool ok = end != 0;
	if (ok && heap)
		ok = !vm_mmap_anon(vm, mm, end, heap, VM_READ | VM_WRITE, w);
	mm->start_brk = end; /* the heap is brk's: it may grow and shrink from there */
	mm->brk = end + heap;
	if (ok && stack)
		ok = stack <= img->stack_top &&
		     !vm_mmap_anon(vm, mm, img->stack_top - stack, stack,
		                   VM_READ | VM_WRITE | VM_GROWSDOWN, w); /* it grows on faults */
	if (ok)
		ok = map_libs(vm, mm, img, w);
	if (!ok) {
		vm_mm_destroy(vm, mm, w);
		return NULL;
	}
	*padzero_out = img->data_tail_bytes
	                   ? img->text_base + img->text_pages * ps + image_data_bytes(img, ps)
	                   : 0;
	return mm;
}
