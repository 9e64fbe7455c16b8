/* Permission combination, A/D handling and #PF reporting common to ia32
 * (32-bit paging) and x86_64 (4-level paging): Intel SDM vol. 3A 4.6
 * (access rights), 4.7 (page-fault error code), 4.8 (accessed and dirty). */
#include <stdio.h>

#include "x86.h"

void x86_accumulate(const struct pgsim_cfg *cfg, int level, uint64_t e, struct pgsim_acc *acc)
{
	/* R/W and U/S must be 1 at every level; XD counts if set anywhere. */
	acc->and_bits &= e;
	acc->or_bits |= e;
}

unsigned x86_perms(const struct pgsim_cfg *cfg, int level, uint64_t e, const struct pgsim_acc *acc)
{
	uint64_t all = acc->and_bits & e;
	bool rw = all & X86_RW;
	bool user_page = all & X86_US;
	/* XD is only an execute-disable bit with EFER.NXE (else it is a
	 * reserved bit, caught by classify); ia32 has no XD at all. */
	bool xd = (cfg->flags & PGSIM_CPU_NXE) && ((acc->or_bits | e) & X86_XD);
	bool wp = cfg->flags & PGSIM_CPU_WP;
	unsigned p = 0;

	if (user_page) {
		p |= PGSIM_P_UR;
		if (rw)
			p |= PGSIM_P_UW;
		if (!xd)
			p |= PGSIM_P_UX;
		/* Supervisor data access to a user page: blocked by SMAP unless
		 * EFLAGS.AC; writes still follow CR0.WP. */
		bool smap_block = (cfg->flags & PGSIM_CPU_SMAP) && !(cfg->flags & PGSIM_CPU_AC);
		if (!smap_block) {
			p |= PGSIM_P_SR;
			if (rw || !wp)
				p |= PGSIM_P_SW;
		}
		/* SMEP: no supervisor fetch from a user-mode address. */
		if (!xd && !(cfg->flags & PGSIM_CPU_SMEP))
			p |= PGSIM_P_SX;
	} else {
		p |= PGSIM_P_SR;
		if (rw || !wp)
			p |= PGSIM_P_SW;
		if (!xd)
			p |= PGSIM_P_SX;
	}
	return p;
}

enum pgsim_fault_kind x86_leaf_ad(const struct pgsim_cfg *cfg, int level, uint64_t e,
				  enum pgsim_access acc, bool permitted, uint64_t *out)
{
	/* A is set in the leaf on a successful access, D as well on a write
	 * (SDM 4.8); x86 never faults on A/D. */
	*out = e;
	if (permitted)
		*out = e | X86_A | (acc == PGSIM_ACCESS_WRITE ? X86_D : 0);
	return PGSIM_FAULT_NONE;
}

uint64_t x86_table_ad(const struct pgsim_cfg *cfg, int level, uint64_t e)
{
	/* Every paging-structure entry used on the way down gets A (SDM 4.8);
	 * like QEMU's mmu_translate we set it as the entry is walked. */
	return e | X86_A;
}

void x86_report(const struct pgsim_cfg *cfg, enum pgsim_access acc, bool user, struct pgsim_fault *f)
{
	uint64_t code = 0;
	switch (f->kind) {
	case PGSIM_FAULT_VA_RANGE:
		/* A non-canonical address is #GP(0), not #PF (SDM 4.5). */
		f->code = 0;
		snprintf(f->text, sizeof f->text, "#GP(0): non-canonical address 0x%016llx",
			 (unsigned long long)f->addr);
		return;
	case PGSIM_FAULT_BUS:
		f->code = 0;
		snprintf(f->text, sizeof f->text,
			 "walk read outside RAM at level %d (no #PF: a bus error)", f->level);
		return;
	case PGSIM_FAULT_NOT_PRESENT:
		break;
	case PGSIM_FAULT_RESERVED:
		code |= 0x1 | 0x8; /* RSVD implies P=1 (SDM 4.7) */
		break;
	default: /* permission, or anything reported as a protection fault */
		code |= 0x1;
		break;
	}
	if (acc == PGSIM_ACCESS_WRITE)
		code |= 0x2;
	if (user)
		code |= 0x4;
	/* I/D: instruction fetch, reported when SMEP or (PAE paging and NXE). */
	if (acc == PGSIM_ACCESS_EXEC &&
	    (cfg->flags & (PGSIM_CPU_SMEP | PGSIM_CPU_NXE)))
		code |= 0x10;
	f->code = code;
	snprintf(f->text, sizeof f->text, "#PF error code 0x%llx (%s%s%s%s%s), CR2 0x%016llx",
		 (unsigned long long)code,
		 code & 1 ? "P" : "not-present",
		 code & 2 ? " W" : " R",
		 code & 4 ? " U" : " S",
		 code & 8 ? " RSVD" : "",
		 code & 0x10 ? " I/D" : "",
		 (unsigned long long)f->addr);
}

void x86_leaf_attrs(const struct pgsim_cfg *cfg, int level, uint64_t e, char *buf, size_t len)
{
	unsigned pat_bit = level == 0 ? 7 : 12;
	unsigned idx = (unsigned)(((e >> pat_bit) & 1) << 2 | ((e >> 4) & 1) << 1 | ((e >> 3) & 1));
	snprintf(buf, len, "pat%u%s", idx, (e & X86_G) ? " G" : "");
}
