/* Walker unit tests for AArch64 (VMSAv8-64 stage 1, EL1&0, 4 KiB granule).
 *
 * Every descriptor below is hand-encoded from hw-formats.md 2.3:
 *   bits[1:0] 11 = table (L0-L2) / page (L3), 01 = block (L1/L2);
 *   AttrIndx [4:2], AP[2:1] [7:6], SH [9:8], AF 10, nG 11, DBM 51, PXN 53,
 *   UXN 54; table: PXNTable 59, UXNTable 60, APTable[0] 61, APTable[1] 62.
 * Expected ESR_EL1 values are worked out from hw-formats.md 2.6:
 *   EC<<26 | IL (1<<25) | WnR (1<<6, data writes) | xFSC, so
 *   data abort from EL0 (EC 0x24) = 0x92000000 + ..., from EL1 (0x25) =
 *   0x96000000 + ..., instruction abort from EL0 (0x20) = 0x82000000 + ...,
 *   from EL1 (0x21) = 0x86000000 + ...;  xFSC: address size 0x00+L,
 *   translation 0x04+L, access flag 0x08+L, permission 0x0C+L, external
 *   abort on walk 0x14+L (L = Arm level = 3 - pgsim level).
 *
 * The standard layout: root (L0 table) at 0x1000, L1 table 0x2000, L2 table
 * 0x3000, L3 table 0x4000, and the VA
 *   VA = 0x0000_0080_8060_4567:  VA[47:39] = 1, VA[38:30] = 2,
 *        VA[29:21] = 3, VA[20:12] = 4, offset 0x567,
 * so the descriptors read are at 0x1000+1*8 = 0x1008, 0x2000+2*8 = 0x2010,
 * 0x3000+3*8 = 0x3018 and 0x4000+4*8 = 0x4020.
 */
#include <errno.h>
#include <stdlib.h>

#include "tutil.h"

#define ROOT 0x1000ull
#define VA 0x0000008080604567ull
#define E_L0 0x1008ull
#define E_L1 0x2010ull
#define E_L2 0x3018ull
#define E_L3 0x4020ull

/* page at 0x40000000, AP=01 (EL1 RW, EL0 RW), AF, bits[1:0]=11 */
#define PAGE_RW_EL0 0x0000000040000443ull
#define RD PGSIM_ACCESS_READ
#define WR PGSIM_ACCESS_WRITE
#define EX PGSIM_ACCESS_EXEC
#define PERM PGSIM_FAULT_PERMISSION
#define ALL_UKRW (PGSIM_P_UR | PGSIM_P_UW | PGSIM_P_SR | PGSIM_P_SW)

struct fx {
	struct pgsim_mem *m;
	struct pgsim_cfg cfg;
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof *f);
	assert_non_null(f);
	f->m = pgsim_mem_new();
	assert_non_null(f->m);
	f->cfg = tu_cfg("aarch64");
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	pgsim_mem_free(f->m);
	free(f);
	return 0;
}

/* L0 -> L1 -> L2 -> L3 table descriptors (11 + next-table address) for VA,
 * with extra upper-attribute bits per level. */
static void chain(struct pgsim_mem *m, uint64_t l0x, uint64_t l1x, uint64_t l2x)
{
	tu_put(m, E_L0, 8, 0x2003ull | l0x);
	tu_put(m, E_L1, 8, 0x3003ull | l1x);
	tu_put(m, E_L2, 8, 0x4003ull | l2x);
}

static struct pgsim_translation walk(struct fx *f, pgsim_va_t va, enum pgsim_access a, bool user)
{
	return tu_walk(&f->cfg, f->m, ROOT, va, a, user);
}

static void expect_fault(const struct pgsim_translation *t, enum pgsim_fault_kind k,
			 int level, uint64_t esr)
{
	assert_false(t->ok);
	assert_int_equal(t->fault.kind, k);
	assert_int_equal(t->fault.level, level);
	assert_int_equal(t->fault.code, esr);
	assert_int_equal(t->fault.addr, t->va);
}

/* Walk va from ROOT and expect success with physical address pa. */
static struct pgsim_translation okw(struct fx *f, pgsim_va_t va, enum pgsim_access a, bool user,
				    pgsim_pa_t pa)
{
	struct pgsim_translation t = walk(f, va, a, user);
	assert_true(t.ok);
	assert_int_equal(t.pa, pa);
	return t;
}

/* Walk va from ROOT and expect fault k at level with ESR_EL1 = esr. */
static struct pgsim_translation xf(struct fx *f, pgsim_va_t va, enum pgsim_access a, bool user,
				   enum pgsim_fault_kind k, int level, uint64_t esr)
{
	struct pgsim_translation t = walk(f, va, a, user);
	expect_fault(&t, k, level, esr);
	return t;
}

/* Page through four levels; PA = 0x40000000 | 0x567; trail lists the four
 * descriptor addresses.  AP=01, UXN=PXN=0: EL0 RW + exec, EL1 RW but no
 * EL1 execute (EL0-writable). */
static void test_page_48bit_starts_at_l0(void **state)
{
	struct fx *f = *state;
	assert_int_equal(f->cfg.va_bits, 48);
	assert_int_equal(f->cfg.top_level, 3);
	assert_int_equal(f->cfg.pa_bits, 48);
	chain(f->m, 0, 0, 0);
	tu_put(f->m, E_L3, 8, PAGE_RW_EL0);
	struct pgsim_translation t = okw(f, VA, RD, true, 0x40000567);
	assert_int_equal(t.page_lg2, 12);
	assert_int_equal(t.level, 0);
	assert_int_equal(t.perms, ALL_UKRW | PGSIM_P_UX);
	assert_int_equal(t.n_trail, 4);
	assert_int_equal(t.trail[0].entry_pa, E_L0);
	assert_int_equal(t.trail[0].level, 3);
	assert_int_equal(t.trail[1].entry_pa, E_L1);
	assert_int_equal(t.trail[2].entry_pa, E_L2);
	assert_int_equal(t.trail[3].entry_pa, E_L3);
	assert_int_equal(t.trail[3].kind, PGSIM_ENTRY_LEAF);
}

/* T0SZ=25: 39-bit VA, walk starts at L1.  VA 0x40_8060_4567: VA[38:30] =
 * 0x102 = 258 -> root entry at 0x1000 + 258*8 = 0x1810. */
static void test_page_39bit_starts_at_l1(void **state)
{
	struct fx *f = *state;
	assert_int_equal(pgsim_cfg_set_va_bits(&f->cfg, 39), 0);
	assert_int_equal(f->cfg.top_level, 2);
	assert_int_equal(f->cfg.top_index_bits, 9);
	tu_put(f->m, 0x1810, 8, 0x3003);
	tu_put(f->m, E_L2, 8, 0x4003);
	tu_put(f->m, E_L3, 8, PAGE_RW_EL0);
	struct pgsim_translation t = okw(f, 0x0000004080604567ull, RD, true, 0x40000567);
	assert_int_equal(t.n_trail, 3);
	assert_int_equal(t.trail[0].level, 2);
	assert_int_equal(t.trail[0].entry_pa, 0x1810);
	/* bit 39 is above a 39-bit VA: translation fault L0 */
	xf(f, 0x0000008080604567ull, RD, true, PGSIM_FAULT_VA_RANGE, -1, 0x92000004);
}

/* 40-bit VA: the L1 root has 10 index bits (two concatenated 4K tables at
 * 0x1000..0x2fff).  VA 0x80_8060_4567: VA[39:30] = 0x202 = 514 -> entry at
 * 0x1000 + 514*8 = 0x2010, in the second 4K half.  Same VA without bit 39:
 * index 2 -> 0x1010, left invalid -> translation fault L1 (0x92000005). */
static void test_page_40bit_concatenated_l1(void **state)
{
	struct fx *f = *state;
	assert_int_equal(pgsim_cfg_set_va_bits(&f->cfg, 40), 0);
	assert_int_equal(f->cfg.top_level, 2);
	assert_int_equal(f->cfg.top_index_bits, 10);
	tu_put(f->m, 0x2010, 8, 0x5003);
	tu_put(f->m, 0x5018, 8, 0x6003);
	tu_put(f->m, 0x6020, 8, PAGE_RW_EL0);
	struct pgsim_translation t = okw(f, 0x0000008080604567ull, RD, true, 0x40000567);
	assert_int_equal(t.trail[0].entry_pa, 0x2010);
	t = xf(f, 0x0000000080604567ull, RD, true, PGSIM_FAULT_NOT_PRESENT, 2, 0x92000005);
	assert_int_equal(t.trail[0].entry_pa, 0x1010);
	/* only 48, 40 and 39 are modelled */
	assert_int_equal(pgsim_cfg_set_va_bits(&f->cfg, 41), -EINVAL);
	assert_int_equal(pgsim_cfg_set_va_bits(&f->cfg, 47), -EINVAL);
}

/* 2 MiB block at L2: 0x40200441 = OA 0x40200000, AF, AP=01, bits 01.
 * PA = 0x40200000 | VA[20:0] (0x04567) = 0x40204567. */
static void test_block_2m(void **state)
{
	struct fx *f = *state;
	chain(f->m, 0, 0, 0);
	tu_put(f->m, E_L2, 8, 0x40200441);
	struct pgsim_translation t = okw(f, VA, WR, true, 0x40204567);
	assert_int_equal(t.page_lg2, 21);
	assert_int_equal(t.level, 1);
	assert_int_equal(t.n_trail, 3);
}

/* 1 GiB block at L1: 0x80000441 -> PA = 0x80000000 | VA[29:0] (0x00604567). */
static void test_block_1g(void **state)
{
	struct fx *f = *state;
	chain(f->m, 0, 0, 0);
	tu_put(f->m, E_L1, 8, 0x80000441);
	struct pgsim_translation t = okw(f, VA, RD, false, 0x80604567);
	assert_int_equal(t.page_lg2, 30);
	assert_int_equal(t.level, 2);
}

/* Block OA bits below the block size are RES0 and ignored, not a fault:
 * L2 0x40212441 (OA[20:12] = 0x12) -> base 0x40200000, PA 0x40204567;
 * L1 0x80123441 -> base 0x80000000, PA 0x80604567. */
static void test_block_low_oa_bits_masked(void **state)
{
	struct fx *f = *state;
	chain(f->m, 0, 0, 0);
	tu_put(f->m, E_L2, 8, 0x40212441);
	okw(f, VA, RD, true, 0x40204567);
	tu_put(f->m, E_L1, 8, 0x80123441);
	okw(f, VA, RD, true, 0x80604567);
	/* classify itself returns the block base, not the raw OA field */
	pgsim_pa_t a = 0;
	assert_int_equal(f->cfg.arch->ops->classify(&f->cfg, 1, 0x40212441, &a), PGSIM_ENTRY_LEAF);
	assert_int_equal(a, 0x40200000);
	assert_int_equal(f->cfg.arch->ops->classify(&f->cfg, 2, 0x80123441, &a), PGSIM_ENTRY_LEAF);
	assert_int_equal(a, 0x80000000);
}

/* Block (01) at L0 is not allowed without LPA2: translation fault L0,
 * DFSC 0x04.  01 at L3 is reserved: translation fault L3, DFSC 0x07. */
static void test_bad_block_levels(void **state)
{
	struct fx *f = *state;
	tu_put(f->m, E_L0, 8, 0x441);
	xf(f, VA, RD, true, PGSIM_FAULT_RESERVED, 3, 0x92000004);
	chain(f->m, 0, 0, 0);
	tu_put(f->m, E_L3, 8, 0x40000441);
	struct pgsim_translation t = xf(f, VA, RD, true, PGSIM_FAULT_RESERVED, 0, 0x92000007);
	assert_string_equal(t.fault.text,
		"Data Abort from EL0: translation fault, level 3 (DFSC 0x07, ESR 0x92000007)");
}

/* Invalid descriptor (bit 0 = 0) at Arm level L -> translation fault L,
 * DFSC 0x04+L.  Entries below the invalid one are left zero. */
static void test_invalid_each_level(void **state)
{
	struct fx *f = *state;
	static const uint64_t at[4] = { E_L0, E_L1, E_L2, E_L3 };
	chain(f->m, 0, 0, 0);
	tu_put(f->m, E_L3, 8, PAGE_RW_EL0);
	for (int arm = 3; arm >= 0; arm--) {
		/* 0x...002 (bit 0 clear, bit 1 set) is still invalid */
		tu_put(f->m, at[arm], 8, 0x2);
		struct pgsim_translation t = xf(f, VA, RD, true, PGSIM_FAULT_NOT_PRESENT,
						3 - arm, 0x92000004ull + (unsigned)arm);
		assert_int_equal(t.n_trail, (unsigned)arm + 1);
	}
	/* EL0 write: WnR set -> 0x92000047 when the L3 entry is the invalid one */
	chain(f->m, 0, 0, 0);
	struct pgsim_translation t = xf(f, VA, WR, true, PGSIM_FAULT_NOT_PRESENT, 0, 0x92000047);
	assert_string_equal(t.fault.text,
		"Data Abort from EL0: translation fault, level 3 (DFSC 0x07, ESR 0x92000047)");
	/* EL1 fetch: instruction abort same EL, IFSC 0x07, no WnR */
	xf(f, VA, EX, false, PGSIM_FAULT_NOT_PRESENT, 0, 0x86000007);
}

/* AF=0: page 0x40000043 -> access flag fault L3 (0x0B); L2 block
 * 0x40200041 -> 0x0A.  AF is checked before permissions: AP=00 page with
 * AF=0 (0x40000003) read from EL0 is still an access flag fault. */
static void test_access_flag(void **state)
{
	struct fx *f = *state;
	chain(f->m, 0, 0, 0);
	tu_put(f->m, E_L3, 8, 0x40000043);
	xf(f, VA, RD, true, PGSIM_FAULT_ACCESS_FLAG, 0, 0x9200000B);
	tu_put(f->m, E_L3, 8, 0x40000003);
	xf(f, VA, RD, true, PGSIM_FAULT_ACCESS_FLAG, 0, 0x9200000B);
	tu_put(f->m, E_L2, 8, 0x40200041);
	xf(f, VA, WR, false, PGSIM_FAULT_ACCESS_FLAG, 1, 0x9600004A);
}

static struct pgsim_translation walk_ad(struct fx *f, enum pgsim_access a, bool user)
{
	struct pgsim_translation t;
	struct pgsim_walk_req req = { .access = a, .user = user, .update_ad = true };
	assert_int_equal(pgsim_walk_translate(&f->cfg, f->m, ROOT, VA, &req, &t), 0);
	return t;
}

/* TCR.HA: hardware sets AF (0x40000043 -> 0x40000443) in memory when the
 * access is permitted; a denied access (AP=00 from EL0) writes nothing. */
static void test_ha_sets_af(void **state)
{
	struct fx *f = *state;
	assert_int_equal(pgsim_cfg_set_flag(&f->cfg, "ha", true), 0);
	chain(f->m, 0, 0, 0);
	tu_put(f->m, E_L3, 8, 0x40000043);
	struct pgsim_translation t = walk(f, VA, RD, true);
	assert_true(t.ok);
	assert_int_equal(tu_get(f->m, E_L3, 8), 0x40000043); /* no update_ad */
	t = walk_ad(f, RD, true);
	assert_true(t.ok);
	assert_int_equal(t.leaf, 0x40000443);
	assert_int_equal(t.n_written, 1);
	assert_int_equal(tu_get(f->m, E_L3, 8), 0x40000443);
	tu_put(f->m, E_L3, 8, 0x40000003);
	t = walk_ad(f, RD, true);
	expect_fault(&t, PERM, 0, 0x9200000F);
	assert_int_equal(tu_get(f->m, E_L3, 8), 0x40000003);
	/* leaf_ad itself leaves a denied access's entry alone (*out = e) */
	uint64_t out = 0;
	assert_int_equal(f->cfg.arch->ops->leaf_ad(&f->cfg, 0, 0x40000003, RD,
						   false, &out), PGSIM_FAULT_NONE);
	assert_int_equal(out, 0x40000003);
}

/* AP[2:1] table (hw-formats.md 2.4). */
static void test_ap_bits(void **state)
{
	struct fx *f = *state;
	chain(f->m, 0, 0, 0);
	/* AP=10 (0x80): EL1 RO, EL0 none.  EL0 write: permission L3 + WnR =
	 * 0x9200004F; EL1 write 0x9600004F; EL1 read fine. */
	tu_put(f->m, E_L3, 8, 0x40000483);
	struct pgsim_translation t = xf(f, VA, WR, true, PERM, 0, 0x9200004F);
	assert_string_equal(t.fault.text,
		"Data Abort from EL0: permission fault, level 3 (DFSC 0x0F, ESR 0x9200004F)");
	xf(f, VA, WR, false, PERM, 0, 0x9600004F);
	t = walk(f, VA, RD, false);
	assert_true(t.ok);
	assert_int_equal(t.perms, PGSIM_P_SR | PGSIM_P_SX | PGSIM_P_UX);
	/* AP=00: EL1 RW, EL0 none -> EL0 read 0x9200000F */
	tu_put(f->m, E_L3, 8, 0x40000403);
	xf(f, VA, RD, true, PERM, 0, 0x9200000F);
	t = walk(f, VA, WR, false);
	assert_true(t.ok);
	/* AP=11 (0xC0): RO at both ELs, EL1 may execute (not EL0-writable) */
	tu_put(f->m, E_L3, 8, 0x400004C3);
	t = walk(f, VA, RD, true);
	assert_true(t.ok);
	assert_int_equal(t.perms, PGSIM_P_UR | PGSIM_P_UX | PGSIM_P_SR | PGSIM_P_SX);
}

/* APTable[1] (bit 62) at L1 makes the AP=01 page read-only at every EL;
 * the fault is a permission fault at the leaf's level (L3).  APTable[0]
 * (bit 61) at L2 removes EL0 data access. */
static void test_aptable(void **state)
{
	struct fx *f = *state;
	chain(f->m, 0, 1ull << 62, 0);
	tu_put(f->m, E_L3, 8, PAGE_RW_EL0);
	xf(f, VA, WR, true, PERM, 0, 0x9200004F);
	xf(f, VA, WR, false, PERM, 0, 0x9600004F);
	struct pgsim_translation t = walk(f, VA, RD, true);
	assert_true(t.ok);
	/* no longer EL0-writable, so EL1 may now execute */
	assert_int_equal(t.perms, PGSIM_P_UR | PGSIM_P_UX | PGSIM_P_SR | PGSIM_P_SX);

	chain(f->m, 0, 0, 1ull << 61);
	xf(f, VA, RD, true, PERM, 0, 0x9200000F);
	t = walk(f, VA, WR, false);
	assert_true(t.ok);
	assert_int_equal(t.perms, PGSIM_P_SR | PGSIM_P_SW | PGSIM_P_SX | PGSIM_P_UX);
}

/* Execute-never: UXNTable at L0 (bit 60) -> EL0 fetch = instruction abort
 * from EL0, permission L3: 0x82000000 | 0x0F = 0x8200000F; UXN in the page
 * (bit 54) likewise.  PXN (bit 53) and PXNTable (bit 59) stop EL1 fetch
 * (EC 0x21: 0x8600000F).  EL1 fetch from an AP=01 (EL0-writable) page is a
 * permission fault even without PXN; from AP=00 it is allowed. */
static void test_execute_never(void **state)
{
	struct fx *f = *state;
	chain(f->m, 1ull << 60, 0, 0);
	tu_put(f->m, E_L3, 8, PAGE_RW_EL0);
	struct pgsim_translation t = xf(f, VA, EX, true, PERM, 0, 0x8200000F);
	assert_string_equal(t.fault.text,
		"Instruction Abort from EL0: permission fault, level 3 (IFSC 0x0F, ESR 0x8200000F)");
	assert_true(walk(f, VA, RD, true).ok);

	chain(f->m, 0, 0, 0);
	assert_true(walk(f, VA, EX, true).ok);
	tu_put(f->m, E_L3, 8, PAGE_RW_EL0 | 1ull << 54);
	xf(f, VA, EX, true, PERM, 0, 0x8200000F);

	tu_put(f->m, E_L3, 8, PAGE_RW_EL0);
	xf(f, VA, EX, false, PERM, 0, 0x8600000F);
	tu_put(f->m, E_L3, 8, 0x40000403);
	assert_true(walk(f, VA, EX, false).ok);
	tu_put(f->m, E_L3, 8, 0x40000403 | 1ull << 53);
	xf(f, VA, EX, false, PERM, 0, 0x8600000F);
	assert_true(walk(f, VA, EX, true).ok); /* PXN leaves EL0 alone */
	chain(f->m, 0, 1ull << 59, 0);
	tu_put(f->m, E_L3, 8, 0x40000403);
	xf(f, VA, EX, false, PERM, 0, 0x8600000F);
}

/* SCTLR_EL1.WXN: a page writable at the fetching EL is execute-never.
 * AP=00 (EL1 RW): EL1 fetch ok without WXN, 0x8600000F with it.  AP=10
 * (EL1 RO): still executable.  AP=01: EL0 fetch 0x8200000F with WXN;
 * AP=11 (EL0 RO): EL0 fetch fine. */
static void test_wxn(void **state)
{
	struct fx *f = *state;
	chain(f->m, 0, 0, 0);
	tu_put(f->m, E_L3, 8, 0x40000403);
	assert_true(walk(f, VA, EX, false).ok);
	assert_int_equal(pgsim_cfg_set_flag(&f->cfg, "wxn", true), 0);
	xf(f, VA, EX, false, PERM, 0, 0x8600000F);
	tu_put(f->m, E_L3, 8, 0x40000483);
	assert_true(walk(f, VA, EX, false).ok);
	tu_put(f->m, E_L3, 8, PAGE_RW_EL0);
	xf(f, VA, EX, true, PERM, 0, 0x8200000F);
	tu_put(f->m, E_L3, 8, 0x400004C3);
	assert_true(walk(f, VA, EX, true).ok);
}

/* PSTATE.PAN: EL1 data access to an EL0-accessible page (AP=01) faults
 * (read 0x9600000F, write 0x9600004F); EL0 is unaffected, AP=00 pages are
 * unaffected, and EL1 fetch of an AP=11 page is unaffected. */
static void test_pan(void **state)
{
	struct fx *f = *state;
	chain(f->m, 0, 0, 0);
	tu_put(f->m, E_L3, 8, PAGE_RW_EL0);
	assert_true(walk(f, VA, RD, false).ok);
	assert_int_equal(pgsim_cfg_set_flag(&f->cfg, "pan", true), 0);
	xf(f, VA, RD, false, PERM, 0, 0x9600000F);
	xf(f, VA, WR, false, PERM, 0, 0x9600004F);
	assert_true(walk(f, VA, WR, true).ok);
	tu_put(f->m, E_L3, 8, 0x40000403);
	assert_true(walk(f, VA, RD, false).ok);
	tu_put(f->m, E_L3, 8, 0x400004C3);
	assert_true(walk(f, VA, EX, false).ok);
	xf(f, VA, RD, false, PERM, 0, 0x9600000F);
}

/* Address range and address size.  VA bit 48 set with a 48-bit VA:
 * translation fault L0 before any read (0x92000004).  Root 0x1_0000_0000_0000
 * (bit 48) with 48-bit IPS: address size fault L0, DFSC 0x00 = 0x92000000.
 * pa_bits 40: root 0x100_0000_1000 (bit 40) likewise; a page with OA bit 44
 * (0x0000100040000443) -> address size fault L3 (0x92000003); an L1 table
 * pointer with bit 44 -> address size fault L1 (0x92000001).  With 48-bit
 * IPS the same page is fine (PA 0x1000_4000_0567) and bits [51:48] are
 * ignored (bit 49 set: PA 0x40000567). */
static void test_va_range_and_address_size(void **state)
{
	struct fx *f = *state;
	chain(f->m, 0, 0, 0);
	tu_put(f->m, E_L3, 8, PAGE_RW_EL0);
	struct pgsim_translation t = xf(f, VA | 1ull << 48, RD, true, PGSIM_FAULT_VA_RANGE, -1,
					0x92000004);
	assert_int_equal(t.n_trail, 0);
	t = walk(f, 0xffff008080604567ull, RD, true);   /* TTBR1 region */
	expect_fault(&t, PGSIM_FAULT_VA_RANGE, -1, 0x92000004);

	t = tu_walk(&f->cfg, f->m, 1ull << 48, VA, RD, true);
	expect_fault(&t, PGSIM_FAULT_ADDRESS_SIZE, -1, 0x92000000);

	tu_put(f->m, E_L3, 8, 0x0000100040000443ull);
	t = okw(f, VA, RD, true, 0x100040000567ull);
	tu_put(f->m, E_L3, 8, 0x0002000040000443ull);
	t = okw(f, VA, RD, true, 0x40000567);

	assert_int_equal(pgsim_cfg_set_pa_bits(&f->cfg, 40), 0);
	t = tu_walk(&f->cfg, f->m, 0x10000001000ull, VA, RD, true);
	expect_fault(&t, PGSIM_FAULT_ADDRESS_SIZE, -1, 0x92000000);
	tu_put(f->m, E_L3, 8, 0x0000100040000443ull);
	t = xf(f, VA, RD, true, PGSIM_FAULT_ADDRESS_SIZE, 0, 0x92000003);
	assert_string_equal(t.fault.text,
		"Data Abort from EL0: address size fault, level 3 (DFSC 0x03, ESR 0x92000003)");
	tu_put(f->m, E_L1, 8, 0x0000100000003003ull);
	xf(f, VA, RD, true, PGSIM_FAULT_ADDRESS_SIZE, 2, 0x92000001);
	assert_int_equal(pgsim_cfg_set_pa_bits(&f->cfg, 31), -EINVAL);
	assert_int_equal(pgsim_cfg_set_pa_bits(&f->cfg, 52), -EINVAL);
}

/* HA + HD + DBM: page AP=11 with DBM (0x00080000400004C3) is writable-clean;
 * an EL0 write succeeds and clears AP[2] (-> 0x0008000040000443).  Without
 * HD the write is a permission fault (0x9200004F); with HD but APTable[1]
 * above it still is, and memory is unchanged; a read changes nothing. */
static void test_dbm_hd(void **state)
{
	struct fx *f = *state;
	const uint64_t clean = 0x00080000400004C3ull;
	chain(f->m, 0, 0, 0);
	tu_put(f->m, E_L3, 8, clean);
	struct pgsim_translation t = walk_ad(f, WR, true);
	expect_fault(&t, PERM, 0, 0x9200004F);
	/* HD does nothing without HA (TCR_EL1.HD: dirty state management
	 * only when HA is also 1): still a permission fault. */
	assert_int_equal(pgsim_cfg_set_flag(&f->cfg, "hd", true), 0);
	t = walk_ad(f, WR, true);
	expect_fault(&t, PERM, 0, 0x9200004F);
	assert_int_equal(tu_get(f->m, E_L3, 8), clean);
	assert_int_equal(pgsim_cfg_set_flag(&f->cfg, "ha", true), 0);
	t = walk_ad(f, RD, true);
	assert_true(t.ok);
	assert_int_equal(tu_get(f->m, E_L3, 8), clean);
	/* writable-clean counts as EL0-writable: no EL1 execute */
	assert_int_equal(t.perms, ALL_UKRW | PGSIM_P_UX);
	chain(f->m, 0, 1ull << 62, 0);
	t = walk_ad(f, WR, true);
	expect_fault(&t, PERM, 0, 0x9200004F);
	assert_int_equal(tu_get(f->m, E_L3, 8), clean);
	chain(f->m, 0, 0, 0);
	t = walk_ad(f, WR, true);
	assert_true(t.ok);
	assert_int_equal(t.leaf, 0x0008000040000443ull);
	assert_int_equal(tu_get(f->m, E_L3, 8), 0x0008000040000443ull);
}

/* RAM is [0, 0x3fffffff]; the L1 entry points to an L2 table at 0x80000000
 * outside RAM: reading the L2 descriptor fails -> synchronous external
 * abort on walk, Arm level 2: DFSC 0x16, ESR 0x92000016.  A root outside
 * RAM: level 0, DFSC 0x14. */
static void test_external_abort_on_walk(void **state)
{
	struct fx *f = *state;
	assert_int_equal(pgsim_mem_add_ram(f->m, 0, 0x3fffffff), 0);
	chain(f->m, 0, 0, 0);
	tu_put(f->m, E_L1, 8, 0x80000003);
	struct pgsim_translation t = xf(f, VA, RD, true, PGSIM_FAULT_BUS, 1, 0x92000016);
	assert_string_equal(t.fault.text,
		"Data Abort from EL0: external abort on walk, level 2 (DFSC 0x16, ESR 0x92000016)");
	t = tu_walk(&f->cfg, f->m, 0x80000000, VA, EX, false);
	expect_fault(&t, PGSIM_FAULT_BUS, 3, 0x86000014);
}

/* seL4 entry vectors (sel4-vspace.md 5.2), decoded through the ops:
 *   0x0400000040000C53 RW cacheable: 11, AttrIndx=4, AP=01, AF, nG, SW bit 58
 *     -> EL0 RW + exec, EL1 RW, no EL1 exec (EL0-writable)
 *   0x0400000040000CD3 RO: AP=11 -> EL0 RO + exec, EL1 RO + exec
 *   0x0400000040000C13 KernelOnly (AP=00, built from the same layout) ->
 *     no EL0 data access; EL1 RW + exec.  UXN=0, so EL0 may still fetch
 *     (execute-only memory).
 *   0x0440000040000C53 RW + XN (bit 54) -> EL0 RW, no EL0 exec
 *   0x0000000040000C51 2M block at L2, RW -> LEAF, OA 0x40000000
 *   0x0000000080000003 table -> TABLE 0x80000000 */
static void test_sel4_vectors(void **state)
{
	struct fx *f = *state;
	const struct pgsim_arch_ops *ops = f->cfg.arch->ops;
	struct pgsim_acc acc = { .and_bits = ~0ull, .or_bits = 0 };
	pgsim_pa_t a = 0;
	char buf[64];

	assert_int_equal(ops->classify(&f->cfg, 0, 0x0400000040000C53ull, &a), PGSIM_ENTRY_LEAF);
	assert_int_equal(a, 0x40000000);
	assert_int_equal(ops->perms(&f->cfg, 0, 0x0400000040000C53ull, &acc),
			 ALL_UKRW | PGSIM_P_UX);
	assert_int_equal(ops->perms(&f->cfg, 0, 0x0400000040000CD3ull, &acc),
			 PGSIM_P_UR | PGSIM_P_UX | PGSIM_P_SR | PGSIM_P_SX);
	assert_int_equal(ops->perms(&f->cfg, 0, 0x0400000040000C13ull, &acc),
			 PGSIM_P_SR | PGSIM_P_SW | PGSIM_P_SX | PGSIM_P_UX);
	assert_int_equal(ops->perms(&f->cfg, 0, 0x0440000040000C53ull, &acc), ALL_UKRW);
	assert_int_equal(ops->classify(&f->cfg, 1, 0x0000000040000C51ull, &a), PGSIM_ENTRY_LEAF);
	assert_int_equal(a, 0x40000000);
	assert_int_equal(ops->perms(&f->cfg, 1, 0x0000000040000C51ull, &acc),
			 ALL_UKRW | PGSIM_P_UX);
	for (int lv = 1; lv <= 3; lv++) {
		assert_int_equal(ops->classify(&f->cfg, lv, 0x80000003ull, &a), PGSIM_ENTRY_TABLE);
		assert_int_equal(a, 0x80000000);
	}
	ops->leaf_attrs(&f->cfg, 0, 0x0400000040000C53ull, buf, sizeof buf);
	assert_string_equal(buf, "AttrIndx=4 SH=0 nG AF");
	ops->leaf_attrs(&f->cfg, 0, 0x0400000040000F53ull, buf, sizeof buf);  /* SMP */
	assert_string_equal(buf, "AttrIndx=4 SH=3 nG AF");
	ops->leaf_attrs(&f->cfg, 0, 0x0400000040000C43ull, buf, sizeof buf);  /* uncached */
	assert_string_equal(buf, "AttrIndx=0 SH=0 nG AF");

	/* and through a real walk: the RW page read and written from EL0 */
	chain(f->m, 0, 0, 0);
	tu_put(f->m, E_L3, 8, 0x0400000040000C53ull);
	okw(f, VA, WR, true, 0x40000567);
	tu_put(f->m, E_L3, 8, 0x0400000040000CD3ull);
	xf(f, VA, WR, true, PERM, 0, 0x9200004F);
	tu_put(f->m, E_L3, 8, 0x0400000040000C13ull);
	xf(f, VA, RD, true, PERM, 0, 0x9200000F);
	tu_put(f->m, E_L3, 8, 0x0440000040000C53ull);
	xf(f, VA, EX, true, PERM, 0, 0x8200000F);
}

/* encode/flags_of: hand-encoded values from sel4-vspace.md 5.2 and 2.3. */
static void test_encode_flags_of(void **state)
{
	struct fx *f = *state;
	const struct pgsim_arch_ops *ops = f->cfg.arch->ops;
	const struct pgsim_cfg *c = &f->cfg;

	/* page: 11 | 0x40000000 | flags 0x0400000000000C50 */
	assert_int_equal(ops->encode(c, 0, PGSIM_ENTRY_LEAF, 0x40000000, 0x0400000000000C50ull),
			 0x0400000040000C53ull);
	assert_int_equal(ops->flags_of(c, 0, PGSIM_ENTRY_LEAF, 0x0400000040000C53ull),
			 0x0400000000000C50ull);
	/* 2M block: 01 | 0x40000000 | 0xC50 */
	assert_int_equal(ops->encode(c, 1, PGSIM_ENTRY_LEAF, 0x40000000, 0xC50), 0x40000C51);
	/* 1G block: OA bits below 1 GiB are not address bits */
	assert_int_equal(ops->encode(c, 2, PGSIM_ENTRY_LEAF, 0x80000000, 0x441), 0x80000441);
	assert_int_equal(ops->flags_of(c, 2, PGSIM_ENTRY_LEAF, 0x80123441), 0x123440);
	/* table with APTable[1] */
	assert_int_equal(ops->encode(c, 2, PGSIM_ENTRY_TABLE, 0x3000, 1ull << 62),
			 0x4000000000003003ull);
	assert_int_equal(ops->flags_of(c, 2, PGSIM_ENTRY_TABLE, 0x4000000000003003ull),
			 1ull << 62);
	/* invalid keeps software bits, never bit 0 */
	assert_int_equal(ops->encode(c, 0, PGSIM_ENTRY_INVALID, 0, 0x0400000000000000ull),
			 0x0400000000000000ull);
	assert_int_equal(ops->classify(c, 0, 0x0400000000000000ull, NULL), PGSIM_ENTRY_INVALID);
}

/* Descriptor data: names, level names, CPU flags, self-check. */
static void test_descriptor(void **state)
{
	struct fx *f = *state;
	const struct pgsim_arch *a = f->cfg.arch;
	char err[128] = "";
	assert_string_equal(a->name, "aarch64");
	assert_string_equal(a->level[3].name, "L0");
	assert_string_equal(a->level[0].name, "L3");
	assert_string_equal(a->level[2].entry_name, "L1 descriptor");
	assert_false(a->level[3].leaf_ok);
	assert_true(a->level[0].leaf_ok && a->level[1].leaf_ok && a->level[2].leaf_ok);
	assert_int_equal(f->cfg.flags, 0);
	assert_int_equal(pgsim_cfg_set_flag(&f->cfg, "wp", true), -ENOENT);
	assert_int_equal(pgsim_arch_selfcheck(a, err, sizeof err), 0);
	const struct pgsim_field_desc *fd = pgsim_field_find(a, "APTable", PGSIM_ENTRY_TABLE, 3);
	assert_non_null(fd);
	assert_int_equal(pgsim_field_get(fd, 0x4000000000003003ull), 2);
	assert_null(pgsim_field_find(a, "nT", PGSIM_ENTRY_LEAF, 0));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(n) cmocka_unit_test_setup_teardown(n, setup, teardown)
		T(test_page_48bit_starts_at_l0),
		T(test_page_39bit_starts_at_l1),
		T(test_page_40bit_concatenated_l1),
		T(test_block_2m),
		T(test_block_1g),
		T(test_block_low_oa_bits_masked),
		T(test_bad_block_levels),
		T(test_invalid_each_level),
		T(test_access_flag),
		T(test_ha_sets_af),
		T(test_ap_bits),
		T(test_aptable),
		T(test_execute_never),
		T(test_wxn),
		T(test_pan),
		T(test_va_range_and_address_size),
		T(test_dbm_hd),
		T(test_external_abort_on_walk),
		T(test_sel4_vectors),
		T(test_encode_flags_of),
		T(test_descriptor),
#undef T
	};
	return cmocka_run_group_tests_name("walk_aarch64", tests, NULL, NULL);
}
