/* AArch64 oracle: VMSAv8-64 stage 1, EL1&0, TTBR0, 4 KiB granule, written
 * from hw-formats.md 2.1-2.6 and 6.2 (Arm ARM D4/D5; QEMU
 * get_phys_addr_lpae / get_S1prot behaviour where the notes cite it).
 *
 *  - VA bits above the input size must be 0 (TTBR0 only), else a
 *    translation fault, level 0, before any read (2.1, 2.5 step 1).
 *  - A root wider than the output size: address size fault, level 0.
 *  - bits[1:0]: x0 invalid; 01 block at L1/L2, translation fault at L0/L3
 *    (no LPA2); 11 table at L0-L2, page at L3 (2.2, 2.3).
 *  - Table address [47:12], block OA [47:30]/[47:21], page OA [47:12];
 *    low block OA bits and bits 51:48 are ignored; OA bits at or above the
 *    IPS size: address size fault at that level (2.3, 2.5 step 3, 6.2).
 *  - APTable/UXNTable/PXNTable are ORed down the walk (2.4, 6.2).
 *  - AF=0 without HA: access flag fault, before permissions (2.5).
 *  - HA and HD with DBM=1: the effective AP[2] is 0 (Arm ARM
 *    AArch64.S1ApplyOutputPerms; HD alone does nothing), so the page
 *    counts as writable everywhere; APTable[1] still wins (2.5 step 5).
 *  - ESR_EL1 = EC << 26 | IL | WnR << 6 | DFSC (2.6); EC 0x20/0x21
 *    instruction abort lower/same EL, 0x24/0x25 data abort; IL = 1 as in
 *    pgsim's documented examples (ESR 0x92000047).
 */
#include "oracle.h"

#define OA_MASK 0x0000fffffffff000ull /* bits 47:12 */

enum {
	DFSC_ADDR_SIZE = 0x00,
	DFSC_TRANSLATION = 0x04,
	DFSC_ACCESS_FLAG = 0x08,
	DFSC_PERMISSION = 0x0c,
	DFSC_EXT_ABORT_WALK = 0x14,
};

static void esr(enum pgsim_access acc, bool user, struct oracle_res *r)
{
	/* Arm level of our level; -1 (before any read) is reported as level 0. */
	unsigned arm = r->fault_level < 0 ? 0 : 3u - (unsigned)r->fault_level;
	uint64_t fsc = 0, ec;

	switch (r->fault) {
	case PGSIM_FAULT_ADDRESS_SIZE:
		fsc = DFSC_ADDR_SIZE + arm;
		break;
	case PGSIM_FAULT_NOT_PRESENT:
	case PGSIM_FAULT_RESERVED:
	case PGSIM_FAULT_VA_RANGE:
		fsc = DFSC_TRANSLATION + arm;
		break;
	case PGSIM_FAULT_ACCESS_FLAG:
		fsc = DFSC_ACCESS_FLAG + arm;
		break;
	case PGSIM_FAULT_PERMISSION:
		fsc = DFSC_PERMISSION + arm;
		break;
	case PGSIM_FAULT_BUS:
		fsc = DFSC_EXT_ABORT_WALK + arm;
		break;
	default:
		break;
	}
	if (acc == PGSIM_ACCESS_EXEC)
		ec = user ? 0x20 : 0x21;
	else
		ec = user ? 0x24 : 0x25;
	r->code = ec << 26 | 1ull << 25 | fsc;
	if (acc == PGSIM_ACCESS_WRITE)
		r->code |= 1ull << 6; /* WnR */
}

void oracle_aarch64(const struct oracle_cfg *c, const struct pgsim_mem *m, uint64_t root,
		    uint64_t va, enum pgsim_access acc, bool user, struct oracle_res *r)
{
	uint32_t f = c->flags;
	bool ha = f & PGSIM_CPU_HA, hd = f & PGSIM_CPU_HD;
	uint64_t table = root, e = 0, tattr = 0;
	int level = c->va_bits == 48 ? 3 : 2;
	bool ap1, ap2, uxn, pxn, wr_ok;
	unsigned p = 0;

	oracle_reset(r);
	if (va >> c->va_bits) {
		oracle_fail(r, PGSIM_FAULT_VA_RANGE, -1);
		goto report;
	}
	if (root >> c->pa_bits) {
		oracle_fail(r, PGSIM_FAULT_ADDRESS_SIZE, -1);
		goto report;
	}
	for (;; level--) {
		unsigned shift = 12 + 9 * (unsigned)level;
		unsigned ibits = (level == (c->va_bits == 48 ? 3 : 2)) ? c->va_bits - shift : 9;
		uint64_t epa = table + ((va >> shift) & ((1ull << ibits) - 1)) * 8, oa;

		if (!oracle_read(m, r, level, table, epa, 8, &e)) {
			oracle_fail(r, PGSIM_FAULT_BUS, level);
			goto report;
		}
		if (!(e & 1)) {
			oracle_fail(r, PGSIM_FAULT_NOT_PRESENT, level);
			goto report;
		}
		if ((e & 3) == 1 && (level == 0 || level == 3)) {
			/* block at L3 / at L0 without LPA2 */
			oracle_fail(r, PGSIM_FAULT_RESERVED, level);
			goto report;
		}
		if ((e & 3) == 3 && level > 0) {
			oa = e & OA_MASK;
			if (oa >> c->pa_bits) {
				oracle_fail(r, PGSIM_FAULT_ADDRESS_SIZE, level);
				goto report;
			}
			tattr |= e & (0x1full << 59); /* NSTable APTable UXNTable PXNTable */
			table = oa;
			continue;
		}
		/* block (L1/L2) or page (L3) */
		oa = e & OA_MASK & ~((1ull << shift) - 1);
		if (oa >> c->pa_bits) {
			oracle_fail(r, PGSIM_FAULT_ADDRESS_SIZE, level);
			goto report;
		}
		oracle_succeed(r, oa, shift, level, va);
		break;
	}

	/* Effective rights (2.4).  With HA and HD, a DBM=1 descriptor has
	 * the effective value of AP[2] cleared for every purpose (write, the
	 * EL0-writable => PXN rule, WXN), as the Arm ARM pseudocode
	 * AArch64.S1ApplyOutputPerms says; hierarchical APTable[1] still makes
	 * it read-only.  (QEMU clears AP[2] only on a store.)  Then
	 * APTable[0] (61) clears AP[1], APTable[1] (62) sets AP[2], UXNTable
	 * (60) / PXNTable (59) OR into UXN / PXN. */
	ap1 = (e >> 6 & 1) && !(tattr >> 61 & 1);
	ap2 = ((e >> 7 & 1) && !(ha && hd && (e >> 51 & 1))) || (tattr >> 62 & 1);
	uxn = (e >> 54 & 1) || (tattr >> 60 & 1);
	pxn = (e >> 53 & 1) || (tattr >> 59 & 1);
	wr_ok = !ap2;
	if (ap1)
		p |= PGSIM_P_UR;
	if (ap1 && wr_ok)
		p |= PGSIM_P_UW;
	/* EL0 may execute without read (AP 00/10 with UXN=0); WXN removes
	 * execute from EL0-writable pages. */
	if (!uxn && !((f & PGSIM_CPU_WXN) && ap1 && !ap2))
		p |= PGSIM_P_UX;
	/* PAN: no EL1 data access to EL0-accessible pages. */
	if (!((f & PGSIM_CPU_PAN) && ap1)) {
		p |= PGSIM_P_SR;
		if (wr_ok)
			p |= PGSIM_P_SW;
	}
	/* EL1 execute: not PXN, not EL0-writable, not (WXN and writable). */
	if (!pxn && !(ap1 && !ap2) && !((f & PGSIM_CPU_WXN) && !ap2))
		p |= PGSIM_P_SX;
	r->perms = p;

	/* AF before permission (2.5, QEMU order). */
	if (!(e >> 10 & 1) && !ha) {
		oracle_fail(r, PGSIM_FAULT_ACCESS_FLAG, r->level);
		goto report;
	}
	if (!(p & oracle_needed(acc, user))) {
		oracle_fail(r, PGSIM_FAULT_PERMISSION, r->level);
		goto report;
	}
	r->ok = true;
	return;
report:
	esr(acc, user, r);
}
