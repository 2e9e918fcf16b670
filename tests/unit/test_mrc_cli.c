/*
 * test_mrc_cli.c — `vmsim mrc` (sim/cli/mrc_cli.c) end to end, in process: the CSV it writes
 * for the textbook strings byte for byte, its exit codes, and its messages on bad input.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sim/base/util.h"
#include "sim/cli/mrc.h"
#include "tests/unit/test.h"

static char dir[] = "/tmp/vmsim_test_mrc_cli.XXXXXX";

static char *path_in_dir(const char *name)
{
	return xasprintf("%s/%s", dir, name);
}

static void write_file(const char *name, const char *text)
{
	char *p = path_in_dir(name);
	FILE *f = fopen(p, "w");
	BUG_ON(!f, "cannot write %s", p);
	fputs(text, f);
	fclose(f);
	free(p);
}

static char *read_file(const char *path)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return xstrdup("");
	char *buf = xcalloc(1 << 16, 1);
	size_t n = fread(buf, 1, (1 << 16) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

/* Run mrc_cli_main with the NULL-terminated words; *stderr_text gets what it printed there. */
static int run(char **stderr_text, const char *first, ...)
{
	char *argv[32];
	int argc = 0;
	va_list ap;
	va_start(ap, first);
	for (const char *w = first; w; w = va_arg(ap, const char *))
		argv[argc++] = (char *)w;
	va_end(ap);
	argv[argc] = NULL;
	char *errpath = path_in_dir("stderr.txt");
	fflush(stderr);
	int saved = dup(2);
	BUG_ON(!freopen(errpath, "w", stderr), "cannot redirect stderr");
	int rc = mrc_cli_main(argc, argv);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	clearerr(stderr);
	*stderr_text = read_file(errpath);
	free(errpath);
	return rc;
}

static void test_textbook_csv(void)
{
	write_file("sil.txt",
	           "# Silberschatz's string, with a read, hex and a comment\n"
	           "7\n0\n1\n2\n0\n3\n0\n4\n2\n3\n0 r\n3\n\n2\n1\n2\n0 w\n1\n7\n0x0\n1\n");
	char *in = path_in_dir("sil.txt"), *out = path_in_dir("sil.csv"), *err;
	CHECK_EQ_U64(run(&err, "mrc", in, "--policy", "both", "-o", out, NULL), 0);
	char *csv = read_file(out);
	/* LRU 12 and 8 faults with 3 and 4 frames, OPT 9 and 8; 6 distinct pages, 20 refs */
	CHECK(strcmp(csv, "frames,lru_faults,lru_fault_ratio,opt_faults,opt_fault_ratio\n"
	                  "1,20,1.000000,20,1.000000\n"
	                  "2,17,0.850000,13,0.650000\n"
	                  "3,12,0.600000,9,0.450000\n"
	                  "4,8,0.400000,8,0.400000\n"
	                  "5,7,0.350000,7,0.350000\n"
	                  "6,6,0.300000,6,0.300000\n") == 0);
	free(csv);
	free(err);

	CHECK_EQ_U64(run(&err, "mrc", "--max-frames", "4", in, "-o", out, NULL), 0);
	csv = read_file(out);
	CHECK(strcmp(csv, "frames,faults,fault_ratio\n"
	                  "1,20,1.000000\n2,17,0.850000\n3,12,0.600000\n4,8,0.400000\n") == 0);
	free(csv);
	free(err);
	free(in);

	write_file("belady.txt", "1\n2\n3\n4\n1\n2\n5\n1\n2\n3\n4\n5");
	in = path_in_dir("belady.txt");
	CHECK_EQ_U64(run(&err, "mrc", in, "--policy", "opt", "--max-frames", "6", "-o", out, NULL),
	             0);
	csv = read_file(out);
	/* OPT 7 and 6 with 3 and 4 frames; beyond the 5 pages, only the 5 cold misses */
	CHECK(strcmp(csv, "frames,faults,fault_ratio\n"
	                  "1,12,1.000000\n2,9,0.750000\n3,7,0.583333\n4,6,0.500000\n"
	                  "5,5,0.416667\n6,5,0.416667\n") == 0);
	free(csv);
	free(err);
	CHECK_EQ_U64(run(&err, "mrc", in, "-o", out, NULL), 0);
	csv = read_file(out);
	CHECK_STR_CONTAINS(csv, "3,10,0.833333\n4,8,0.666667\n");
	free(csv);
	free(err);
	/* SHARDS at rate 1 is exact */
	CHECK_EQ_U64(run(&err, "mrc", in, "--shards", "1", "-o", out, NULL), 0);
	csv = read_file(out);
	CHECK_STR_CONTAINS(csv, "3,10,0.833333\n4,8,0.666667\n");
	free(csv);
	free(err);
	free(in);

	write_file("empty.txt", "# nothing\n\n");
	in = path_in_dir("empty.txt");
	CHECK_EQ_U64(run(&err, "mrc", in, "--policy", "both", "-o", out, NULL), 0);
	csv = read_file(out);
	CHECK(strcmp(csv, "frames,lru_faults,lru_fault_ratio,opt_faults,opt_fault_ratio\n") == 0);
	free(csv);
	free(err);
	free(in);
	free(out);
}

static void test_bad_input(void)
{
	char *err;
	write_file("bad.txt", "1\n2\n# fine\nthree\n");
	char *in = path_in_dir("bad.txt");
	char *want = xasprintf("%s:4: expected a page number", in);
	CHECK_EQ_U64(run(&err, "mrc", in, NULL), 2);
	CHECK_STR_CONTAINS(err, want);
	free(err);
	free(want);
	free(in);

	in = path_in_dir("missing.txt");
	CHECK_EQ_U64(run(&err, "mrc", in, NULL), 2);
	CHECK_STR_CONTAINS(err, "missing.txt: cannot open trace");
	free(err);
	free(in);

	in = path_in_dir("sil.txt");
	CHECK_EQ_U64(run(&err, "mrc", NULL), 2);
	CHECK_STR_CONTAINS(err, "missing the TRACE argument");
	free(err);
	CHECK_EQ_U64(run(&err, "mrc", in, "--policy", "clocky", NULL), 2);
	CHECK_STR_CONTAINS(err,
	                   "--policy: expected lru, opt, both or a policy of `vmsim policies`, got "
	                   "\"clocky\"");
	free(err);
	CHECK_EQ_U64(run(&err, "mrc", in, "--rate", "0.5", NULL), 2);
	CHECK_STR_CONTAINS(err, "--rate, --points and --set are for miniature simulations");
	free(err);
	CHECK_EQ_U64(run(&err, "mrc", in, "--policy", "clock", "--rate", "0", NULL), 2);
	CHECK_STR_CONTAINS(err, "--rate: expected a rate in (0, 1], got \"0\"");
	free(err);
	CHECK_EQ_U64(run(&err, "mrc", in, "--max-frames", "0", NULL), 2);
	CHECK_STR_CONTAINS(err, "--max-frames: expected an integer");
	free(err);
	CHECK_EQ_U64(run(&err, "mrc", in, "--shards", "1.5", NULL), 2);
	CHECK_STR_CONTAINS(err, "--shards: expected a rate in (0, 1]");
	free(err);
	CHECK_EQ_U64(run(&err, "mrc", in, "--shards", "0.01", "--policy", "opt", NULL), 2);
	CHECK_STR_CONTAINS(err, "--shards estimates the LRU curve only");
	free(err);
	CHECK_EQ_U64(run(&err, "mrc", in, "--format", "vmx", NULL), 2);
	CHECK_STR_CONTAINS(err,
	                   "--format: expected one of pages|vmt|vmb|lackey|oracle, got \"vmx\"");
	free(err);
	/* A pages trace read as vmt: the vmt reader's message names the file and line. */
	CHECK_EQ_U64(run(&err, "mrc", in, "--format", "vmt", NULL), 2);
	CHECK_STR_CONTAINS(err, "sil.txt:2: expected");
	free(err);
	CHECK_EQ_U64(run(&err, "mrc", in, "--bogus", "1", NULL), 2);
	CHECK_STR_CONTAINS(err, "unknown option \"--bogus\"");
	free(err);
	char *out = xasprintf("%s/no/such/dir/out.csv", dir);
	CHECK_EQ_U64(run(&err, "mrc", in, "-o", out, NULL), 2);
	CHECK_STR_CONTAINS(err, "cannot write");
	free(err);
	free(out);
	free(in);
}

int main(void)
{
	BUG_ON(!mkdtemp(dir), "mkdtemp failed");
	test_textbook_csv();
	test_bad_input();
	char *cmd = xasprintf("rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", dir);
	free(cmd);
	TEST_DONE();
}
