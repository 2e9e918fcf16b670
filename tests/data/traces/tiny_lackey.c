/*
 * tiny_lackey.c — the program behind tiny.lackey (no libc, so its lackey log is small):
 * it stores to two pages of a static buffer, loads one back, does a read-modify-write (lackey
 * "M") and an 8-byte store that spans a page boundary, then exits.
 * Regenerate: gcc -O1 -static -nostdlib -fno-stack-protector -o tiny tiny_lackey.c &&
 *   valgrind --tool=lackey --trace-mem=yes --trace-syscalls=yes --log-file=tiny.lackey ./tiny
 */
static char buf[3 * 4096] __attribute__((aligned(4096)));

void _start(void)
{
	char *p = buf;
	__asm__ volatile("movb $1, (%0)\n\t"        /* S p */
	                 "movb $2, 4096(%0)\n\t"    /* S p+4096 */
	                 "movzbl (%0), %%eax\n\t"   /* L p */
	                 "addl $1, 8(%0)\n\t"       /* M p+8 */
	                 "movq %%rax, 8188(%0)\n\t" /* S p+8188, 8 bytes: pages 1 and 2 */
	                 "mov $60, %%eax\n\t"
	                 "xor %%edi, %%edi\n\t"
	                 "syscall"
	                 :
	                 : "r"(p)
	                 : "rax", "rdi", "memory");
	__builtin_unreachable();
}
