/*
 * provenance.h — where a result came from: the vmsim version and git commit, the command
 * line, the host and the time. Written to run.json by `vmsim run` and shown by `vmsim report`
 * (host facts: never in stats.json, which stays byte-identical across machines).
 */
#ifndef VMSIM_SIM_CLI_PROVENANCE_H
#define VMSIM_SIM_CLI_PROVENANCE_H

/* `git describe --always --dirty` of the source tree at build time, or "unknown"
 * (build/generated/git_commit.c, written by scripts/git-commit.cmake). */
extern const char vmsim_git_commit[];

/* "vmsim " followed by argv[0..argc-1], each word quoted for a POSIX shell when it needs it
 * (new). argv[0] is the subcommand. */
char *provenance_command(int argc, char **argv);
/* The host name (new; "unknown" when it cannot be read). */
char *provenance_host(void);
/* The current time, UTC, as 2026-12-05T07:12:00Z (new). */
char *provenance_time_utc(void);

#endif
