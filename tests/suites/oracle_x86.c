/* x86 oracle: ia32 32-bit paging and x86_64 4-level paging, written from
 * hw-formats.md 1.2 (ia32 entries), 1.4 (IA-32e entries), 1.5 (walk),
 * 1.6 (combined rights), 1.7 (#PF error code).  SDM vol. 3A ch. 4.
 *
 * Policy points taken from the spec notes (and pgsim's docs/walker.md):
 *  - reserved bits are checked only in present entries, and a reserved-bit
 *    fault reports P=1 with RSVD (SDM 4.7, not current QEMU TCG);
 *  - ia32 models PSE-36 with M = pa_bits (<= 40), PAT is supported (PAT
 *    bits are never reserved);
 *  - x86_64: bits 51:M, XD with NXE=0, PS in a PML4E, PS in a PDPTE
 *    without Page1GB, bits 29:13 of a 1 GiB / 20:13 of a 2 MiB leaf are
 *    reserved; bits 62:52 are ignored (no protection keys);
 *  - a non-canonical VA is #GP(0): error code 0, nothing read;
 *  - an entry read outside RAM has no #PF encoding (the manual says machine
 *    check): kind BUS at that level, the code is not compared.
 */
#include "oracle.h"

#define X_P (1ull << 0)
#define X_RW (1ull << 1)
#define X_US (1ull << 2)
#define X_PS (1ull << 7)
#define X_XD (1ull << 63)

/* #PF error-code bits (SDM 4.7, hw-formats 1.7). */
#define PF_P 0x1u
#define PF_W 0x2u
#define PF_U 0x4u
#define PF_RSVD 0x8u
#define PF_ID 0x10u

static uint64_t bits(unsigned hi, unsigned lo)
{
	if (hi < lo)
		return 0;
	return ((hi >= 63) ? ~0ull : ((1ull << (hi + 1)) - 1)) & ~((1ull << lo) - 1);
}

static void pf_code(const struct oracle_cfg *c, enum pgsim_access acc, bool user,
		    struct oracle_res *r)
{
	uint64_t code = 0;

	if (r->fault == PGSIM_FAULT_VA_RANGE) {
		/* #GP(0) on x86_64; ia32 has no wider VA at all. */
		r->code = 0;
		r->code_defined = c->arch == ORACLE_X86_64;
		return;
	}
	if (r->fault == PGSIM_FAULT_BUS) {
		r->code_defined = false;
		return;
	}
	if (r->fault != PGSIM_FAULT_NOT_PRESENT)
		code |= PF_P;
	if (r->fault == PGSIM_FAULT_RESERVED)
		code |= PF_RSVD;
	if (acc == PGSIM_ACCESS_WRITE)
		code |= PF_W;
	if (user)
		code |= PF_U;
	/* I/D: fetch and (SMEP or (PAE and NXE)); ia32 has no PAE. */
	if (acc == PGSIM_ACCESS_EXEC &&
	    ((c->flags & PGSIM_CPU_SMEP) ||
	     (c->arch == ORACLE_X86_64 && (c->flags & PGSIM_CPU_NXE))))
		code |= PF_ID;
	r->code = code;
}

/* SDM 4.6 table in hw-formats 1.6, for every mode at once.  us/rw are the
 * ANDs of U/S and R/W over the walk, xd the OR of XD (NXE only). */
static unsigned x86_perms(uint32_t f, bool us, bool rw, bool xd)
{
	unsigned p = 0;
	bool smap_blocks = us && (f & PGSIM_CPU_SMAP) && !(f & PGSIM_CPU_AC);

	if (us)
		p |= PGSIM_P_UR;
	if (us && rw)
		p |= PGSIM_P_UW;
	if (us && !xd)
		p |= PGSIM_P_UX;
	if (!smap_blocks) {
		p |= PGSIM_P_SR;
		if (rw || !(f & PGSIM_CPU_WP))
			p |= PGSIM_P_SW;
	}
	if (!xd && !(us && (f & PGSIM_CPU_SMEP)))
		p |= PGSIM_P_SX;
	return p;
}

static void finish(const struct oracle_cfg *c, enum pgsim_access acc, bool user,
		   struct oracle_res *r)
{
	if (r->leaf && !r->fault) {
		if (r->perms & oracle_needed(acc, user))
			r->ok = true;
		else
			oracle_fail(r, PGSIM_FAULT_PERMISSION, r->level);
	}
	if (!r->ok)
		pf_code(c, acc, user, r);
}

static void walk_ia32(const struct oracle_cfg *c, const struct pgsim_mem *m, uint64_t root,
		      uint64_t va, struct oracle_res *r)
{
	uint64_t pde, pte, pt, pd_pa, pt_pa;
	unsigned m_bits = c->pa_bits > 40 ? 40 : c->pa_bits;
	unsigned carry = m_bits - 32; /* PDE bits 13.. carrying PA[39:32] */
	bool us, rw;

	if (va >> 32) {
		oracle_fail(r, PGSIM_FAULT_VA_RANGE, -1);
		return;
	}
	/* PDE: CR3[31:12] | VA[31:22] * 4. */
	root &= bits(31, 12);
	pd_pa = root + ((va >> 22) & 0x3ff) * 4;
	if (!oracle_read(m, r, 1, root, pd_pa, 4, &pde)) {
		oracle_fail(r, PGSIM_FAULT_BUS, 1);
		return;
	}
	if (!(pde & X_P)) {
		oracle_fail(r, PGSIM_FAULT_NOT_PRESENT, 1);
		return;
	}
	if ((pde & X_PS) && (c->flags & PGSIM_CPU_PSE)) {
		/* 4 MiB page (T4-4): bits 21:(13+carry) reserved, bits
		 * (12+carry):13 are PA[(31+carry):32], 31:22 PA[31:22]. */
		uint64_t frame;

		if (pde & bits(21, 13 + carry)) {
			oracle_fail(r, PGSIM_FAULT_RESERVED, 1);
			return;
		}
		frame = (pde & bits(31, 22)) | (((pde >> 13) & ((1ull << carry) - 1)) << 32);
		oracle_succeed(r, frame, 22, 1, va);
		us = pde & X_US;
		rw = pde & X_RW;
		r->perms = x86_perms(c->flags, us, rw, false);
		return;
	}
	/* PDE -> page table (PS ignored without CR4.PSE). */
	pt = pde & bits(31, 12);
	pt_pa = pt + ((va >> 12) & 0x3ff) * 4;
	if (!oracle_read(m, r, 0, pt, pt_pa, 4, &pte)) {
		oracle_fail(r, PGSIM_FAULT_BUS, 0);
		return;
	}
	if (!(pte & X_P)) {
		oracle_fail(r, PGSIM_FAULT_NOT_PRESENT, 0);
		return;
	}
	/* 4 KiB PTE (T4-6): no reserved bits with PAT supported. */
	oracle_succeed(r, pte & bits(31, 12), 12, 0, va);
	us = (pde & X_US) && (pte & X_US);
	rw = (pde & X_RW) && (pte & X_RW);
	r->perms = x86_perms(c->flags, us, rw, false);
}

static void walk_x86_64(const struct oracle_cfg *c, const struct pgsim_mem *m, uint64_t root,
			uint64_t va, struct oracle_res *r)
{
	uint64_t table = root & bits(51, 12), e = 0, top = va >> 47;
	uint64_t addr_rsvd = c->pa_bits >= 52 ? 0 : bits(51, c->pa_bits);
	bool nxe = c->flags & PGSIM_CPU_NXE;
	bool us = true, rw = true, xd = false;
	int level;

	/* Canonical: VA[63:48] = VA[47] (1.4). */
	if (top != 0 && top != 0x1ffff) {
		oracle_fail(r, PGSIM_FAULT_VA_RANGE, -1);
		return;
	}
	for (level = 3; level >= 0; level--) {
		unsigned shift = 12 + 9 * (unsigned)level;
		uint64_t epa = table + ((va >> shift) & 0x1ff) * 8;
		bool large;

		if (!oracle_read(m, r, level, table, epa, 8, &e)) {
			oracle_fail(r, PGSIM_FAULT_BUS, level);
			return;
		}
		if (!(e & X_P)) {
			oracle_fail(r, PGSIM_FAULT_NOT_PRESENT, level);
			return;
		}
		large = (level == 1 || level == 2) && (e & X_PS);
		/* Reserved bits (1.4 table, 1.5 step 3). */
		if ((e & addr_rsvd) || ((e & X_XD) && !nxe) ||
		    (level == 3 && (e & X_PS)) ||
		    (level == 2 && large && !(c->flags & PGSIM_CPU_PAGE1GB)) ||
		    (large && (e & bits(shift - 1, 13)))) {
			oracle_fail(r, PGSIM_FAULT_RESERVED, level);
			return;
		}
		us = us && (e & X_US);
		rw = rw && (e & X_RW);
		xd = xd || (nxe && (e & X_XD));
		if (level == 0 || large) {
			oracle_succeed(r, e & bits(51, shift), shift, level, va);
			r->perms = x86_perms(c->flags, us, rw, xd);
			return;
		}
		table = e & bits(51, 12);
	}
}

void oracle_x86(const struct oracle_cfg *c, const struct pgsim_mem *m, uint64_t root,
		uint64_t va, enum pgsim_access acc, bool user, struct oracle_res *r)
{
	oracle_reset(r);
	if (c->arch == ORACLE_IA32)
		walk_ia32(c, m, root, va, r);
	else
		walk_x86_64(c, m, root, va, r);
	finish(c, acc, user, r);
}
