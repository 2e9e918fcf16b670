/*
 * fuzz_cli.c — libFuzzer target of the command line: the input's lines are argv (the first
 * line a subcommand, "vmsim" prepended as by main), given to the subcommand's main from the
 * table in sim/cli/cli.c, in a private folder holding a tiny valid config (c.json, 3 frames,
 * a 20-reference pages trace t.pages) and a sweep over it (s.json), so that option parsing is
 * followed into real runs, converts and sweeps. Everything a command writes there is removed
 * after each input. Sweep points run /bin/true (VMSIM_SWEEP_EXE): the child is not fuzzed here.
 *
 * What it ignores: main.c's own three lines (--version, --help, an unknown command). A crash,
 * a leak, a sanitizer report or an exit() is a bug; exit status 2 is the expected answer to
 * most inputs.
 */
#define _GNU_SOURCE /* nftw's FTW_DEPTH, FTW_PHYS */
#include <ftw.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sim/cli/cli.h"

#define FUZZ_CLI_MAX_ARGS 24

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char fuzz_cli_dir[] = "/tmp/vmsim-fuzz-cli-XXXXXX";

static void fuzz_cli_write(const char *name, const char *text)
{
	FILE *f = fopen(name, "w");
	if (!f || fputs(text, f) < 0 || fclose(f))
		abort();
}

static void fuzz_cli_setup(void)
{
	if (!mkdtemp(fuzz_cli_dir) || chdir(fuzz_cli_dir))
		abort();
	fuzz_cli_write("t.pages", "7\n0\n1\n2\n0\n3\n0\n4\n2\n3\n0\n3\n2\n1\n2\n0\n1\n7\n0\n1\n");
	fuzz_cli_write("c.json", "{\"memory\": {\"frames\": 3}, \"workload\": {\"type\": \"trace\", "
	                         "\"format\": \"pages\", \"path\": \"t.pages\"}}\n");
	fuzz_cli_write("s.json", "{\"name\": \"s\", \"base\": \"c.json\", \"grid\": "
	                         "{\"memory.frames\": [3, 4]}}\n");
	setenv("VMSIM_SWEEP_EXE", "/bin/true", 1);
}

static int fuzz_cli_remove(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb, (void)flag;
	if (ftw->level == 0)
		return 0;
	const char *base = path + ftw->base;
	if (ftw->level == 1 &&
	    (!strcmp(base, "t.pages") || !strcmp(base, "c.json") || !strcmp(base, "s.json")))
		return 0;
	remove(path);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int ready;
	if (!ready) {
		fuzz_cli_setup();
		ready = 1;
	}
	char *text = malloc(size + 1);
	memcpy(text, data, size);
	text[size] = '\0';
	char *argv[FUZZ_CLI_MAX_ARGS + 2];
	int argc = 0;
	for (char *w = text; w && argc < FUZZ_CLI_MAX_ARGS;) {
		char *nl = strchr(w, '\n');
		if (nl)
			*nl = '\0';
		argv[argc++] = w;
		w = nl ? nl + 1 : NULL;
	}
	argv[argc] = NULL;
	const struct cli_command *c = argc ? cli_find(argv[0]) : NULL;
	if (c) {
		c->main(argc, argv);
		fflush(stdout);
	}
	free(text);
	/* the fixtures stay; whatever the command wrote goes */
	nftw(fuzz_cli_dir, fuzz_cli_remove, 16, FTW_DEPTH | FTW_PHYS);
	return 0;
}
