/*
 * registry.c — the table of replacement policies. Adding a policy: write
 * models/policy/<name>.c defining `const struct policy_ops policy_<name>`, add one line to
 * each list below, and add it to the contract test (tests/unit/test_policy_contract.c).
 */
#include <string.h>

#include "models/policy/policy.h"

extern const struct policy_ops policy_fifo, policy_random, policy_lru, policy_lfu, policy_opt;
extern const struct policy_ops policy_clock, policy_nru, policy_aging, policy_wsclock;
extern const struct policy_ops policy_2q, policy_arc, policy_car, policy_lirs, policy_clockpro;
extern const struct policy_ops policy_s3fifo, policy_sieve, policy_linux, policy_mglru;
extern const struct policy_ops policy_lru_k, policy_wtinylfu, policy_lecar;

const struct policy_ops *const policy_table[] = {
    &policy_fifo, &policy_random,   &policy_lru,     &policy_lfu,   &policy_opt,   &policy_clock,
    &policy_nru,  &policy_aging,    &policy_wsclock, &policy_2q,    &policy_arc,   &policy_car,
    &policy_lirs, &policy_clockpro, &policy_s3fifo,  &policy_sieve, &policy_linux, &policy_mglru,
    &policy_lru_k, &policy_wtinylfu, &policy_lecar,
};
const size_t policy_table_len = ARRAY_SIZE(policy_table);

const struct policy_ops *policy_find(const char *name)
{
	for (size_t i = 0; i < policy_table_len; i++)
		if (strcmp(policy_table[i]->name, name) == 0)
			return policy_table[i];
	return NULL;
}
