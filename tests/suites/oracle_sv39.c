/* Sv39 oracle, written from hw-formats.md 3.1-3.4 and 6.3 (RISC-V
 * privileged spec "Virtual Address Translation Process", LEVELS=3,
 * PTESIZE=8), for a core without Svpbmt, Svnapot or Zicfiss:
 *
 *  - VA[63:39] must equal VA[38], else a page fault before any read;
 *  - a PTE read outside RAM is an access fault (scause 1/5/7);
 *  - V=0: page fault; bits 63:54 (N, PBMT, reserved) non-zero, or W=1
 *    with R=0: page fault;
 *  - R=X=0 is a pointer: with A, D or U set, or at level 0: page fault;
 *  - a superpage leaf whose PPN low bits are non-zero: page fault;
 *  - rights are the leaf's only (U with SUM, MXR; S never executes U
 *    pages); then, with Svade, A=0 or (store and D=0): page fault.
 *  - page faults: scause 12 fetch, 13 load, 15 store/AMO.
 */
#include "oracle.h"

#define SV_V (1ull << 0)
#define SV_R (1ull << 1)
#define SV_W (1ull << 2)
#define SV_X (1ull << 3)
#define SV_U (1ull << 4)
#define SV_A (1ull << 6)
#define SV_D (1ull << 7)

static void scause(enum pgsim_access acc, struct oracle_res *r)
{
	static const uint64_t page_fault[3] = { 13, 15, 12 };
	static const uint64_t access_fault[3] = { 5, 7, 1 };

	r->code = r->fault == PGSIM_FAULT_BUS ? access_fault[acc] : page_fault[acc];
}

void oracle_sv39(const struct oracle_cfg *c, const struct pgsim_mem *m, uint64_t root,
		 uint64_t va, enum pgsim_access acc, bool user, struct oracle_res *r)
{
	uint64_t a = root, pte = 0, top = va >> 38, ppn;
	uint32_t f = c->flags;
	bool u, readable;
	unsigned p = 0;
	int i;

	oracle_reset(r);
	if (top != 0 && top != 0x3ffffff) {
		oracle_fail(r, PGSIM_FAULT_VA_RANGE, -1);
		goto report;
	}
	for (i = 2;; i--) {
		uint64_t vpn = (va >> (12 + 9 * i)) & 0x1ff;

		if (!oracle_read(m, r, i, a, a + vpn * 8, 8, &pte)) {
			oracle_fail(r, PGSIM_FAULT_BUS, i);
			goto report;
		}
		if (!(pte & SV_V)) {
			oracle_fail(r, PGSIM_FAULT_NOT_PRESENT, i);
			goto report;
		}
		if ((pte >> 54) || ((pte & SV_W) && !(pte & SV_R))) {
			oracle_fail(r, PGSIM_FAULT_RESERVED, i);
			goto report;
		}
		ppn = (pte >> 10) & ((1ull << 44) - 1);
		if (pte & (SV_R | SV_X))
			break;
		/* pointer */
		if ((pte & (SV_A | SV_D | SV_U)) || i == 0) {
			oracle_fail(r, PGSIM_FAULT_RESERVED, i);
			goto report;
		}
		a = ppn << 12;
	}
	/* Misaligned superpage: PPN[i-1:0] must be 0. */
	if (i > 0 && (ppn & ((1ull << (9 * i)) - 1))) {
		oracle_fail(r, PGSIM_FAULT_RESERVED, i);
		goto report;
	}
	oracle_succeed(r, ppn << 12, 12 + 9 * (unsigned)i, i, va);

	u = pte & SV_U;
	readable = (pte & SV_R) || ((f & PGSIM_CPU_MXR) && (pte & SV_X));
	if (u) {
		if (readable)
			p |= PGSIM_P_UR;
		if (pte & SV_W)
			p |= PGSIM_P_UW;
		if (pte & SV_X)
			p |= PGSIM_P_UX;
	}
	if (!u || (f & PGSIM_CPU_SUM)) {
		if (readable)
			p |= PGSIM_P_SR;
		if (pte & SV_W)
			p |= PGSIM_P_SW;
	}
	if (!u && (pte & SV_X))
		p |= PGSIM_P_SX;
	r->perms = p;

	if (!(p & oracle_needed(acc, user))) {
		oracle_fail(r, PGSIM_FAULT_PERMISSION, i);
		goto report;
	}
	if ((f & PGSIM_CPU_SVADE) &&
	    (!(pte & SV_A) || (acc == PGSIM_ACCESS_WRITE && !(pte & SV_D)))) {
		oracle_fail(r, PGSIM_FAULT_ACCESS_FLAG, i);
		goto report;
	}
	r->ok = true;
	return;
report:
	scause(acc, r);
}
