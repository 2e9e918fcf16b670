/*
 * registry.c — the table of workload types (the "type" of a workload object). Adding one:
 * write workloads/<name>.c defining `const struct workload_ops workload_<name>` and add one
 * line below.
 */
#include <string.h>

#include "workloads/workload.h"

extern const struct workload_ops workload_trace;
extern const struct workload_ops workload_gen_seq, workload_gen_uniform, workload_gen_zipf,
    workload_gen_hotcold, workload_gen_phases, workload_gen_loop, workload_gen_fork_server,
    workload_gen_mmap_scan;

const struct workload_ops *const workload_table[] = {
    &workload_trace,    &workload_gen_seq,         &workload_gen_uniform,
    &workload_gen_zipf, &workload_gen_hotcold,     &workload_gen_phases,
    &workload_gen_loop, &workload_gen_fork_server, &workload_gen_mmap_scan,
};
const size_t workload_table_len = ARRAY_SIZE(workload_table);

const struct workload_ops *workload_find(const char *name)
{
	for (size_t i = 0; i < workload_table_len; i++)
		if (strcmp(workload_table[i]->name, name) == 0)
			return workload_table[i];
	return NULL;
}
