/* A ring-0 x86 program that makes QEMU's TCG walker (mmu_translate) answer
 * for every VA: see x86_stub.c. */
#ifndef PGSIM_TEST_QEMU_X86_STUB_H
#define PGSIM_TEST_QEMU_X86_STUB_H

#include <stdbool.h>
#include <stdint.h>

#include "pgsim/mem.h"

/* Physical region the stub takes: [0, X86_STUB_END). */
#define X86_STUB_END 0x13000ull
#define X86_STUB_MAX_VAS 2048u

struct x86_stub {
	uint64_t va;       /* VA of the region (physical 0) */
	uint64_t entry;    /* first instruction */
	uint64_t done;     /* the final hlt: put a breakpoint here */
	uint64_t results;  /* 2 x 8 bytes per VA: read status, write status */
	uint64_t stack;    /* initial stack pointer */
	unsigned slot;     /* root entry used for the mapping */
};

/* Write the stub, its descriptor tables, the VA list and its mapping into
 * m, for the tree rooted at root (long mode: 4-level, else 32-bit
 * paging).  The mapping takes the highest root entry that is all zero.
 * Returns 0, or -1 when the root has no free entry or n is too big. */
int x86_stub_install(struct pgsim_mem *m, uint64_t root, bool lm, const uint64_t *vas,
		     unsigned n, struct x86_stub *s);

#endif
