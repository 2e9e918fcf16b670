/*
 * access.h — the kind of a memory access: one enum from the trace to the TLB. A workload's
 * access operation carries it (enum op_kind's OP_READ, OP_WRITE and OP_EXEC are these values),
 * the VM layer checks it against the VMA and the PTE, and the machine model looks the access up
 * in the data or the instruction TLB by it.
 */
#ifndef VMSIM_SIM_BASE_ACCESS_H
#define VMSIM_SIM_BASE_ACCESS_H

enum access_kind {
	ACCESS_READ,  /* a data load */
	ACCESS_WRITE, /* a data store: sets the PTE's dirty bit, faults on a read-only PTE */
	ACCESS_EXEC,  /* an instruction fetch: the instruction TLB, a VMA with VM_EXEC */
};

#endif
