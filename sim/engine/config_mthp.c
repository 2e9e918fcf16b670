/*
 * config_mthp.c — the keys of vm.mthp: anonymous multi-size THP, one key per folio size below
 * 2 MiB, as Linux's /sys/kernel/mm/transparent_hugepage/hugepages-<N>kB/enabled (2048kB is
 * vm.thp). Only the table: sim.c reads the resolved values into struct vm_config, the fault
 * path is models/vm/mthp.c, docs/vm.md ("Anonymous mTHP") says what is modelled.
 */
#include "sim/engine/config.h"

#define MTHP_CHOICES "never|always|madvise|inherit"
#define MTHP_DOC(kb)                                                                               \
	"anonymous private faults map a " kb " folio where its aligned range is in the VMA and "   \
	"unmapped (Linux's hugepages-" kb "/enabled): never; always; madvise: where the mapping "  \
	"asks (MADV_HUGEPAGE); inherit: as vm.thp"

/* clang-format off */
const struct param_spec mthp_params[] = {
	{.key = "16kB", .type = PARAM_ENUM, .def = "\"never\"", .choices = MTHP_CHOICES, .doc = MTHP_DOC("16kB")},
	{.key = "32kB", .type = PARAM_ENUM, .def = "\"never\"", .choices = MTHP_CHOICES, .doc = MTHP_DOC("32kB")},
	{.key = "64kB", .type = PARAM_ENUM, .def = "\"never\"", .choices = MTHP_CHOICES, .doc = MTHP_DOC("64kB")},
	{.key = "128kB", .type = PARAM_ENUM, .def = "\"never\"", .choices = MTHP_CHOICES, .doc = MTHP_DOC("128kB")},
	{.key = "256kB", .type = PARAM_ENUM, .def = "\"never\"", .choices = MTHP_CHOICES, .doc = MTHP_DOC("256kB")},
	{.key = "512kB", .type = PARAM_ENUM, .def = "\"never\"", .choices = MTHP_CHOICES, .doc = MTHP_DOC("512kB")},
	{.key = "1024kB", .type = PARAM_ENUM, .def = "\"never\"", .choices = MTHP_CHOICES, .doc = MTHP_DOC("1024kB")},
	{0},
};
/* clang-format on */
