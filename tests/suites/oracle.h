/* Test-side translation oracles for the random differential walker test.
 *
 * One small function per architecture, written straight from
 * /work/shared/spec/hw-formats.md (sections 1-3, 6) as a plain walk: read
 * the entry, look at its bits, go down or stop.  They share nothing with
 * pgsim's arch/ or src/walk*.c code; the only pgsim function they call is
 * pgsim_mem_read_le (to read entry bytes), and they speak pgsim's
 * vocabulary (PGSIM_FAULT_*, PGSIM_P_*, PGSIM_CPU_*) only so that answers
 * can be compared.
 *
 * Level numbers are pgsim's (0 = leaf-most table, -1 = before any read);
 * AArch64 reports use Arm's numbering (Arm level = 3 - level).
 */
#ifndef PGSIM_TEST_ORACLE_H
#define PGSIM_TEST_ORACLE_H

#include <stdbool.h>
#include <stdint.h>

#include "pgsim/arch.h"
#include "pgsim/mem.h"

enum oracle_arch {
	ORACLE_IA32,
	ORACLE_X86_64,
	ORACLE_AARCH64,
	ORACLE_SV39,
};

struct oracle_cfg {
	enum oracle_arch arch;
	unsigned va_bits;   /* ia32 32, x86_64 48, AArch64 48/40/39, Sv39 39 */
	unsigned pa_bits;   /* x86 MAXPHYADDR, Arm IPS output size, Sv39 56 */
	uint32_t flags;     /* PGSIM_CPU_* */
};

#define ORACLE_MAX_STEPS 5

struct oracle_res {
	/* The walk reached a well-formed leaf (a mapping a range walk lists);
	 * pa/page_lg2/level/perms are valid then, whatever the access. */
	bool leaf;
	/* The access itself succeeds. */
	bool ok;
	uint64_t pa;
	unsigned page_lg2;
	int level;
	unsigned perms;       /* PGSIM_P_* for every mode */
	/* On failure. */
	int fault;            /* enum pgsim_fault_kind */
	int fault_level;
	uint64_t code;        /* #PF error code / ESR_EL1 / scause */
	bool code_defined;    /* false where the manual defines no report */
	/* Every entry read successfully, in walk order, and the base of the
	 * table it was read from. */
	unsigned n_steps;
	uint64_t step_pa[ORACLE_MAX_STEPS];
	uint64_t step_val[ORACLE_MAX_STEPS];
	uint64_t step_table[ORACLE_MAX_STEPS];
	int step_level[ORACLE_MAX_STEPS];
};

void oracle_x86(const struct oracle_cfg *c, const struct pgsim_mem *m, uint64_t root,
		uint64_t va, enum pgsim_access acc, bool user, struct oracle_res *r);
void oracle_aarch64(const struct oracle_cfg *c, const struct pgsim_mem *m, uint64_t root,
		    uint64_t va, enum pgsim_access acc, bool user, struct oracle_res *r);
void oracle_sv39(const struct oracle_cfg *c, const struct pgsim_mem *m, uint64_t root,
		 uint64_t va, enum pgsim_access acc, bool user, struct oracle_res *r);

/* Dispatch on c->arch. */
void oracle_translate(const struct oracle_cfg *c, const struct pgsim_mem *m, uint64_t root,
		      uint64_t va, enum pgsim_access acc, bool user, struct oracle_res *r);

/* Geometry the generator and the enumerator need (from the manuals'
 * VA splits, not from pgsim's descriptors). */
unsigned oracle_levels(const struct oracle_cfg *c);        /* walk depth */
int oracle_top_level(const struct oracle_cfg *c);
unsigned oracle_shift(const struct oracle_cfg *c, int level);
unsigned oracle_index_bits(const struct oracle_cfg *c, int level);
unsigned oracle_entry_bytes(const struct oracle_cfg *c);
bool oracle_sign_extend(const struct oracle_cfg *c);
/* Canonical form of a VA made of the low va_bits bits. */
uint64_t oracle_canonical(const struct oracle_cfg *c, uint64_t va);

/* Helpers the oracles share (oracle_common.c). */
void oracle_reset(struct oracle_res *r);
/* Read an entry; false outside RAM. Records the step on success. */
bool oracle_read(const struct pgsim_mem *m, struct oracle_res *r, int level,
		 uint64_t table, uint64_t entry_pa, unsigned bytes, uint64_t *e);
void oracle_fail(struct oracle_res *r, int kind, int level);
void oracle_succeed(struct oracle_res *r, uint64_t frame, unsigned lg2, int level,
		    uint64_t va);
/* The PGSIM_P_* bit an access needs. */
unsigned oracle_needed(enum pgsim_access acc, bool user);

#endif
