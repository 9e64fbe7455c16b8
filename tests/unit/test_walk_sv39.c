/* Walker tests for RISC-V Sv39 with raw, hand-encoded PTEs.
 *
 * PTE encoding used in the derivations (privileged spec, "Sv39"):
 *   PTE = (PA >> 12) << 10 | flags, flags V=0x01 R=0x02 W=0x04 X=0x08
 *   U=0x10 G=0x20 A=0x40 D=0x80, RSW = bits 9:8; reserved 60:54,
 *   PBMT 62:61, N 63.  VPN[2] = VA[38:30], VPN[1] = VA[29:21],
 *   VPN[0] = VA[20:12]; entry address = table + 8 * index.
 * scause: 12/13/15 page fault, 1/5/7 access fault (fetch/load/store).
 *
 * Common layout: root table at 0x80000000, a level-1 table at 0x80001000,
 * a level-0 table at 0x80002000.
 *   pointer to 0x80001000: PPN 0x80001 -> 0x80001 << 10 = 0x20000400 | V = 0x20000401
 *   pointer to 0x80002000: PPN 0x80002 -> 0x20000800 | V = 0x20000801
 *   4 KiB frame 0x80010000: PPN 0x80010 -> 0x20004000 (| flags)
 * VA 0x40403abc = 1 << 30 | 2 << 21 | 3 << 12 | 0xabc: VPN[2]=1, VPN[1]=2,
 * VPN[0]=3, so its entries are at 0x80000008, 0x80001010, 0x80002018.
 */
#include <string.h>

#include "tutil.h"

#define ROOT 0x80000000ull
#define L1T 0x80001000ull
#define L0T 0x80002000ull
#define PTR_L1 0x20000401ull
#define PTR_L0 0x20000801ull
#define VA4K 0x40403abcull
#define E2 (ROOT + 1 * 8) /* 0x80000008 */
#define E1 (L1T + 2 * 8)  /* 0x80001010 */
#define E0 (L0T + 3 * 8)  /* 0x80002018 */

#define RD PGSIM_ACCESS_READ
#define WR PGSIM_ACCESS_WRITE
#define EX PGSIM_ACCESS_EXEC

static int setup(void **state) { *state = pgsim_mem_new(); return *state ? 0 : -1; }
static int teardown(void **state) { pgsim_mem_free(*state); return 0; }

/* root[1] -> L1T, L1T[2] -> L0T, L0T[3] = leaf. */
static void chain4k(struct pgsim_mem *m, uint64_t leaf)
{
	tu_put(m, E2, 8, PTR_L1);
	tu_put(m, E1, 8, PTR_L0);
	tu_put(m, E0, 8, leaf);
}

static struct pgsim_translation walk_ad(const struct pgsim_cfg *cfg, struct pgsim_mem *m,
					pgsim_pa_t root, pgsim_va_t va,
					enum pgsim_access acc, bool user)
{
	struct pgsim_translation t;
	struct pgsim_walk_req req = { .access = acc, .user = user, .update_ad = true };
	assert_int_equal(pgsim_walk_translate(cfg, m, root, va, &req, &t), 0);
	return t;
}

static void expect_fault(const struct pgsim_translation *t, enum pgsim_fault_kind kind,
			 int level, uint64_t scause, pgsim_va_t va)
{
	assert_false(t->ok);
	assert_int_equal(t->fault.kind, kind);
	assert_int_equal(t->fault.level, level);
	assert_int_equal(t->fault.code, scause);
	assert_int_equal(t->fault.addr, va);
}

static const uint64_t pf_cause[] = { [RD] = 13, [WR] = 15, [EX] = 12 };

/* 4 KiB page reached through two pointers: supervisor RW page
 * 0x200040C7 = frame 0x80010000 | V R W A D (0xC7). */
static void test_4k_after_two_pointers(void **state)
{
	struct pgsim_mem *m = *state; struct pgsim_cfg cfg = tu_cfg("sv39");
	chain4k(m, 0x200040C7);
	struct pgsim_translation t = tu_walk(&cfg, m, ROOT, VA4K, RD, false);
	assert_true(t.ok);
	assert_int_equal(t.pa, 0x80010abc);   /* frame | offset 0xabc */
	assert_int_equal(t.level, 0);
	assert_int_equal(t.page_lg2, 12);
	assert_int_equal(t.perms, PGSIM_P_SR | PGSIM_P_SW); /* no U, no X */
	assert_int_equal(t.n_trail, 3);
	assert_int_equal(t.trail[0].level, 2);
	assert_int_equal(t.trail[0].entry_pa, 0x80000008);
	assert_int_equal(t.trail[0].kind, PGSIM_ENTRY_TABLE);
	assert_int_equal(t.trail[1].entry_pa, 0x80001010);
	assert_int_equal(t.trail[1].kind, PGSIM_ENTRY_TABLE);
	assert_int_equal(t.trail[2].entry_pa, 0x80002018);
	assert_int_equal(t.trail[2].value, 0x200040C7);
	assert_int_equal(t.trail[2].kind, PGSIM_ENTRY_LEAF);
}

/* 2 MiB megapage: VA 0x40A12345 = 1 << 30 | 5 << 21 | 0x12345, L1T[5] at
 * 0x80001028 = frame 0x80200000 (PPN 0x80200 -> 0x20080000) | V R X A (0x4B). */
static void test_megapage(void **state)
{
	struct pgsim_mem *m = *state; struct pgsim_cfg cfg = tu_cfg("sv39");
	tu_put(m, E2, 8, PTR_L1);
	tu_put(m, 0x80001028, 8, 0x2008004B);
	struct pgsim_translation t = tu_walk(&cfg, m, ROOT, 0x40A12345, EX, false);
	assert_true(t.ok);
	assert_int_equal(t.pa, 0x80212345); /* 0x80200000 | low 21 bits of the VA */
	assert_int_equal(t.level, 1);
	assert_int_equal(t.page_lg2, 21);
	assert_int_equal(t.perms, PGSIM_P_SR | PGSIM_P_SX);
	assert_int_equal(t.n_trail, 2);
}

/* 1 GiB gigapage: VA 0x92345678 = 2 << 30 | 0x12345678, root[2] at
 * 0x80000010 = frame 0xC0000000 (PPN 0xC0000 -> 0x30000000) | V R W X U A D
 * (0xDF).  A U page: user RWX, supervisor nothing (SUM=0). */
static void test_gigapage(void **state)
{
	struct pgsim_mem *m = *state; struct pgsim_cfg cfg = tu_cfg("sv39");
	tu_put(m, 0x80000010, 8, 0x300000DF);
	struct pgsim_translation t = tu_walk(&cfg, m, ROOT, 0x92345678, WR, true);
	assert_true(t.ok);
	assert_int_equal(t.pa, 0xD2345678);
	assert_int_equal(t.level, 2);
	assert_int_equal(t.page_lg2, 30);
	assert_int_equal(t.perms, PGSIM_P_UR | PGSIM_P_UW | PGSIM_P_UX);
	assert_int_equal(t.n_trail, 1);
}

/* PA = frame | offset with the widest PPN: all 44 PPN bits set is
 * 0x003FFFFFFFFFFC00, | V R A (0x43); frame 0xFFFFFFFFFFF000 (56 bits),
 * offset 0xfff -> PA 0xFFFFFFFFFFFFFF.  Nothing from bits 63:54 leaks in. */
static void test_pa_frame_or_offset(void **state)
{
	struct pgsim_mem *m = *state; struct pgsim_cfg cfg = tu_cfg("sv39");
	tu_put(m, E2, 8, PTR_L1);
	tu_put(m, E1, 8, PTR_L0);
	tu_put(m, L0T + 4 * 8, 8, 0x003FFFFFFFFFFC43);
	/* VA 0x40404fff: VPN 1/2/4, offset 0xfff */
	struct pgsim_translation t = tu_walk(&cfg, m, ROOT, 0x40404fff, RD, false);
	assert_true(t.ok);
	assert_int_equal(t.pa, 0xFFFFFFFFFFFFFFull);
}

/* V=0 at each level is a page fault of the access type, found at that
 * level; the invalid entry is the last trail step. */
static void test_invalid_each_level(void **state)
{
	struct pgsim_mem *m = *state; struct pgsim_cfg cfg = tu_cfg("sv39");
	for (int lvl = 2; lvl >= 0; lvl--) {
		/* fill the chain down to lvl, leave lvl's entry 0 */
		tu_put(m, E2, 8, lvl < 2 ? PTR_L1 : 0);
		tu_put(m, E1, 8, lvl < 1 ? PTR_L0 : 0);
		tu_put(m, E0, 8, 0);
		for (int a = RD; a <= EX; a++) {
			struct pgsim_translation t = tu_walk(&cfg, m, ROOT, VA4K, a, true);
			expect_fault(&t, PGSIM_FAULT_NOT_PRESENT, lvl, pf_cause[a], VA4K);
			assert_int_equal(t.n_trail, (unsigned)(3 - lvl));
			assert_int_equal(t.trail[t.n_trail - 1].kind, PGSIM_ENTRY_INVALID);
		}
	}
	/* the words: load page fault, scause 13, stval = VA */
	struct pgsim_translation t = tu_walk(&cfg, m, ROOT, VA4K, RD, false);
	assert_string_equal(t.fault.text, "load page fault (scause 13, stval 0x0000000040403abc)");
	t = tu_walk(&cfg, m, ROOT, VA4K, WR, false);
	assert_non_null(strstr(t.fault.text, "store/AMO page fault (scause 15"));
	t = tu_walk(&cfg, m, ROOT, VA4K, EX, false);
	assert_non_null(strstr(t.fault.text, "instruction page fault (scause 12"));
}

/* Reserved R/W/X encodings at the leaf: W=1 R=0 (0x200040C5 = V W A D)
 * and W+X without R (0x2000400D = V W X). */
static void test_reserved_rwx(void **state)
{
	struct pgsim_mem *m = *state; struct pgsim_cfg cfg = tu_cfg("sv39");
	chain4k(m, 0x200040C5);
	struct pgsim_translation t = tu_walk(&cfg, m, ROOT, VA4K, RD, false);
	expect_fault(&t, PGSIM_FAULT_RESERVED, 0, 13, VA4K);
	chain4k(m, 0x2000400D);
	t = tu_walk(&cfg, m, ROOT, VA4K, EX, false);
	expect_fault(&t, PGSIM_FAULT_RESERVED, 0, 12, VA4K);
	/* control: R W X (0x2000400F) is fine */
	chain4k(m, 0x2000400F);
	t = tu_walk(&cfg, m, ROOT, VA4K, EX, false);
	assert_true(t.ok);
}

/* Pointer PTEs with A (0x40), U (0x10) or D (0x80) set are reserved (QEMU
 * >= 7.0); G (0x20) on a pointer is legal.  0x20000401 | bit. */
static void test_pointer_reserved_bits(void **state)
{
	struct pgsim_mem *m = *state; struct pgsim_cfg cfg = tu_cfg("sv39");
	chain4k(m, 0x200040C7);
	static const uint64_t bad[] = { 0x20000441, 0x20000411, 0x20000481 };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		tu_put(m, E2, 8, bad[i]);
		struct pgsim_translation t = tu_walk(&cfg, m, ROOT, VA4K, WR, false);
		expect_fault(&t, PGSIM_FAULT_RESERVED, 2, 15, VA4K);
		assert_int_equal(t.n_trail, 1);
	}
	/* A set in the level-1 pointer: 0x20000841 */
	tu_put(m, E2, 8, PTR_L1);
	tu_put(m, E1, 8, 0x20000841);
	struct pgsim_translation t = tu_walk(&cfg, m, ROOT, VA4K, RD, false);
	expect_fault(&t, PGSIM_FAULT_RESERVED, 1, 13, VA4K);
	/* G on both pointers: 0x20000421, 0x20000821 -> fine */
	tu_put(m, E2, 8, 0x20000421);
	tu_put(m, E1, 8, 0x20000821);
	t = tu_walk(&cfg, m, ROOT, VA4K, RD, false);
	assert_true(t.ok);
	assert_int_equal(t.pa, 0x80010abc);
}

/* A pointer (V only) at level 0 runs out of levels: page fault at 0.
 * 0x20005001 = pointer to 0x80014000. */
static void test_pointer_at_level0(void **state)
{
	struct pgsim_mem *m = *state; struct pgsim_cfg cfg = tu_cfg("sv39");
	chain4k(m, 0x20005001);
	struct pgsim_translation t = tu_walk(&cfg, m, ROOT, VA4K, RD, false);
	expect_fault(&t, PGSIM_FAULT_RESERVED, 0, 13, VA4K);
	assert_int_equal(t.n_trail, 3);
	assert_int_equal(t.trail[2].kind, PGSIM_ENTRY_RESERVED);
	/* the arch says so itself (the walker also guards level 0); the same
	 * entry one level up is a pointer to 0x80014000 */
	pgsim_pa_t a = 0;
	assert_int_equal(cfg.arch->ops->classify(&cfg, 0, 0x20005001, &a), PGSIM_ENTRY_RESERVED);
	assert_int_equal(cfg.arch->ops->classify(&cfg, 1, 0x20005001, &a), PGSIM_ENTRY_TABLE);
	assert_int_equal(a, 0x80014000);
}

/* Misaligned superpages.  Gigapage at 0xC0001000 (PPN[0]=1):
 * PPN 0xC0001 -> 0x30000400 | V R W X A D (0xCF) = 0x300004CF; gigapage at
 * 0xC0200000 (PPN[1]=1): PPN 0xC0200 -> 0x30080000 | 0xCF = 0x300800CF;
 * megapage at 0x80201000 (PPN[0]=1): PPN 0x80201 -> 0x20080400 | V R X A
 * (0x4B) = 0x2008044B. */
static void test_misaligned_superpages(void **state)
{
	struct pgsim_mem *m = *state; struct pgsim_cfg cfg = tu_cfg("sv39");
	tu_put(m, 0x80000010, 8, 0x300004CF);
	struct pgsim_translation t = tu_walk(&cfg, m, ROOT, 0x92345678, RD, false);
	expect_fault(&t, PGSIM_FAULT_RESERVED, 2, 13, 0x92345678);
	tu_put(m, 0x80000010, 8, 0x300800CF);
	t = tu_walk(&cfg, m, ROOT, 0x92345678, WR, false);
	expect_fault(&t, PGSIM_FAULT_RESERVED, 2, 15, 0x92345678);

	tu_put(m, E2, 8, PTR_L1);
	tu_put(m, 0x80001028, 8, 0x2008044B);
	t = tu_walk(&cfg, m, ROOT, 0x40A12345, EX, false);
	expect_fault(&t, PGSIM_FAULT_RESERVED, 1, 12, 0x40A12345);
}

/* Bits 63:54 of a valid PTE: reserved bit 54 (0x0040000000000000), bit 60
 * (0x1000000000000000), PBMT=1 (bit 61, 0x2000000000000000), N (bit 63)
 * all page-fault; RSW (bits 9:8) does not. */
static void test_high_bits(void **state)
{
	struct pgsim_mem *m = *state; struct pgsim_cfg cfg = tu_cfg("sv39");
	static const uint64_t bad[] = {
		0x00400000200040C7, /* bit 54 */
		0x10000000200040C7, /* bit 60 */
		0x20000000200040C7, /* PBMT = 1 (NC) */
		0x40000000200040C7, /* PBMT = 2 (IO) */
		0x80000000200040C7, /* N */
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		chain4k(m, bad[i]);
		struct pgsim_translation t = tu_walk(&cfg, m, ROOT, VA4K, RD, false);
		expect_fault(&t, PGSIM_FAULT_RESERVED, 0, 13, VA4K);
	}
	/* reserved bit 54 in the root pointer: 0x0040000020000401 */
	chain4k(m, 0x200040C7);
	tu_put(m, E2, 8, 0x0040000020000401);
	struct pgsim_translation t = tu_walk(&cfg, m, ROOT, VA4K, RD, false);
	expect_fault(&t, PGSIM_FAULT_RESERVED, 2, 13, VA4K);
	/* RSW = 3 (0x300): 0x200043C7 translates */
	chain4k(m, 0x200043C7);
	t = tu_walk(&cfg, m, ROOT, VA4K, RD, false);
	assert_true(t.ok);
	assert_int_equal(t.pa, 0x80010abc);
}

/* VA[63:39] must equal VA[38]: a page fault before any PTE is read. */
static void test_va_sign_extension(void **state)
{
	struct pgsim_mem *m = *state; struct pgsim_cfg cfg = tu_cfg("sv39");
	/* 0x4000000000: bit 38 set, 63:39 clear; 0x8000000000: bit 39 only;
	 * 0xFFFFFF8000000000: 63:39 set, bit 38 clear. */
	static const uint64_t bad[] = { 0x4000000000, 0x8000000000, 0xFFFFFF8000000000 };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct pgsim_translation t = tu_walk(&cfg, m, ROOT, bad[i], WR, false);
		expect_fault(&t, PGSIM_FAULT_VA_RANGE, -1, 15, bad[i]);
		assert_int_equal(t.n_trail, 0);
	}
	/* 0xFFFFFFC000000123 is canonical: VPN[2] = VA[38:30] = 0x100 = 256,
	 * entry 0x80000000 + 256 * 8 = 0x80000800; gigapage at 0x80000000
	 * (PPN 0x80000 -> 0x20000000) | V R A (0x43) -> PA 0x80000123. */
	tu_put(m, 0x80000800, 8, 0x20000043);
	struct pgsim_translation t = tu_walk(&cfg, m, ROOT, 0xFFFFFFC000000123, RD, false);
	assert_true(t.ok);
	assert_int_equal(t.pa, 0x80000123);
}

/* U-mode access to a U=0 page (0x200040CF = V R W X A D): permission page
 * fault for every access type; supervisor has all three. */
static void test_user_on_supervisor_page(void **state)
{
	struct pgsim_mem *m = *state; struct pgsim_cfg cfg = tu_cfg("sv39");
	chain4k(m, 0x200040CF);
	for (int a = RD; a <= EX; a++) {
		struct pgsim_translation t = tu_walk(&cfg, m, ROOT, VA4K, a, true);
		expect_fault(&t, PGSIM_FAULT_PERMISSION, 0, pf_cause[a], VA4K);
		t = tu_walk(&cfg, m, ROOT, VA4K, a, false);
		assert_true(t.ok);
	}
}

/* SUM: S-mode load/store of a U page (0x200040DF = V R W X U A D) faults
 * with SUM=0 and works with SUM=1; fetch faults even with SUM=1. */
static void test_sum(void **state)
{
	struct pgsim_mem *m = *state; struct pgsim_cfg cfg = tu_cfg("sv39");
	chain4k(m, 0x200040DF);
	struct pgsim_translation t = tu_walk(&cfg, m, ROOT, VA4K, RD, false);
	expect_fault(&t, PGSIM_FAULT_PERMISSION, 0, 13, VA4K);
	t = tu_walk(&cfg, m, ROOT, VA4K, WR, false);
	expect_fault(&t, PGSIM_FAULT_PERMISSION, 0, 15, VA4K);

	assert_int_equal(pgsim_cfg_set_flag(&cfg, "sum", true), 0);
	t = tu_walk(&cfg, m, ROOT, VA4K, RD, false);
	assert_true(t.ok);
	assert_int_equal(t.pa, 0x80010abc);
	assert_int_equal(t.perms, PGSIM_P_UR | PGSIM_P_UW | PGSIM_P_UX |
				  PGSIM_P_SR | PGSIM_P_SW);
	t = tu_walk(&cfg, m, ROOT, VA4K, WR, false);
	assert_true(t.ok);
	t = tu_walk(&cfg, m, ROOT, VA4K, EX, false);
	expect_fault(&t, PGSIM_FAULT_PERMISSION, 0, 12, VA4K);
}

/* MXR: a load from an execute-only page (0x20004049 = V X A) faults
 * without MXR and succeeds with it; a store still faults. */
static void test_mxr(void **state)
{
	struct pgsim_mem *m = *state; struct pgsim_cfg cfg = tu_cfg("sv39");
	chain4k(m, 0x20004049);
	struct pgsim_translation t = tu_walk(&cfg, m, ROOT, VA4K, RD, false);
	expect_fault(&t, PGSIM_FAULT_PERMISSION, 0, 13, VA4K);
	assert_int_equal(pgsim_cfg_set_flag(&cfg, "mxr", true), 0);
	t = tu_walk(&cfg, m, ROOT, VA4K, RD, false);
	assert_true(t.ok);
	assert_int_equal(t.perms, PGSIM_P_SR | PGSIM_P_SX);
	t = tu_walk(&cfg, m, ROOT, VA4K, WR, false);
	expect_fault(&t, PGSIM_FAULT_PERMISSION, 0, 15, VA4K);
}

/* Svade: A=0 on a load (0x20004007 = V R W) and D=0 on a store
 * (0x20004047 = V R W A) page-fault as ACCESS_FLAG; a load of the A=1
 * page is fine.  A permission failure wins over A=0 (steps 6-8 before 9). */
static void test_svade(void **state)
{
	struct pgsim_mem *m = *state; struct pgsim_cfg cfg = tu_cfg("sv39");
	assert_int_equal(pgsim_cfg_set_flag(&cfg, "svade", true), 0);
	chain4k(m, 0x20004007);
	struct pgsim_translation t = walk_ad(&cfg, m, ROOT, VA4K, RD, false);
	expect_fault(&t, PGSIM_FAULT_ACCESS_FLAG, 0, 13, VA4K);
	assert_int_equal(tu_get(m, E0, 8), 0x20004007); /* nothing written */
	t = tu_walk(&cfg, m, ROOT, VA4K, RD, true);    /* U=0 page, user */
	expect_fault(&t, PGSIM_FAULT_PERMISSION, 0, 13, VA4K);

	chain4k(m, 0x20004047);
	t = walk_ad(&cfg, m, ROOT, VA4K, WR, false);
	expect_fault(&t, PGSIM_FAULT_ACCESS_FLAG, 0, 15, VA4K);
	assert_int_equal(tu_get(m, E0, 8), 0x20004047);
	t = walk_ad(&cfg, m, ROOT, VA4K, RD, false);
	assert_true(t.ok);
	assert_int_equal(t.n_written, 0);
}

/* Default (hardware A/D update, as QEMU): a load of 0x20004007 leaves
 * 0x20004047 (+A) in memory; a store then leaves 0x200040C7 (+D).  A
 * faulting store to a read-only page (0x20004003) writes nothing.  Pointer
 * PTEs are never written. */
static void test_hw_ad_update(void **state)
{
	struct pgsim_mem *m = *state; struct pgsim_cfg cfg = tu_cfg("sv39");
	chain4k(m, 0x20004007);
	struct pgsim_translation t = walk_ad(&cfg, m, ROOT, VA4K, RD, false);
	assert_true(t.ok);
	assert_int_equal(t.leaf, 0x20004047);
	assert_int_equal(t.n_written, 1);
	assert_int_equal(tu_get(m, E0, 8), 0x20004047);
	t = walk_ad(&cfg, m, ROOT, VA4K, WR, false);
	assert_true(t.ok);
	assert_int_equal(tu_get(m, E0, 8), 0x200040C7);
	assert_int_equal(tu_get(m, E2, 8), PTR_L1);
	assert_int_equal(tu_get(m, E1, 8), PTR_L0);

	/* a store straight to a clean page sets A and D at once */
	chain4k(m, 0x20004007);
	t = walk_ad(&cfg, m, ROOT, VA4K, WR, false);
	assert_true(t.ok);
	assert_int_equal(tu_get(m, E0, 8), 0x200040C7);

	/* without update_ad the result shows A but memory is untouched */
	chain4k(m, 0x20004007);
	t = tu_walk(&cfg, m, ROOT, VA4K, RD, false);
	assert_true(t.ok);
	assert_int_equal(t.leaf, 0x20004047);
	assert_int_equal(tu_get(m, E0, 8), 0x20004007);

	chain4k(m, 0x20004003);
	t = walk_ad(&cfg, m, ROOT, VA4K, WR, false);
	expect_fault(&t, PGSIM_FAULT_PERMISSION, 0, 15, VA4K);
	assert_int_equal(tu_get(m, E0, 8), 0x20004003);
}

/* A PTE read outside RAM is an access fault (1/5/7) at that level.  RAM is
 * 0x80000000..0x87ffffff; root[1] = 0x24000001 points to 0x90000000. */
static void test_pte_outside_ram(void **state)
{
	struct pgsim_mem *m = *state; struct pgsim_cfg cfg = tu_cfg("sv39");
	assert_int_equal(pgsim_mem_add_ram(m, 0x80000000, 0x87ffffff), 0);
	tu_put(m, E2, 8, 0x24000001);
	static const uint64_t access_cause[] = { [RD] = 5, [WR] = 7, [EX] = 1 };
	for (int a = RD; a <= EX; a++) {
		struct pgsim_translation t = tu_walk(&cfg, m, ROOT, VA4K, a, false);
		expect_fault(&t, PGSIM_FAULT_BUS, 1, access_cause[a], VA4K);
	}
	struct pgsim_translation t = tu_walk(&cfg, m, ROOT, VA4K, RD, false);
	assert_non_null(strstr(t.fault.text, "load access fault (scause 5"));
	/* root itself outside RAM: fault at level 2 */
	t = tu_walk(&cfg, m, 0x90000000, VA4K, RD, false);
	expect_fault(&t, PGSIM_FAULT_BUS, 2, 5, VA4K);
}

/* seL4 leaf vectors (sel4-vspace.md 5.3) for a 4K frame at 0x80200000.
 * Walk: root[2] = seL4 pointer 0x200C0001 -> 0x80300000; there [1] at
 * 0x80300008 = 0x200C0401 -> 0x80301000 (PPN 0x80301 << 10 = 0x200C0400);
 * there [0] = the vector.  VA 0x80200010 = 2 << 30 | 1 << 21 | 0x10. */
static void test_sel4_vectors(void **state)
{
	struct pgsim_mem *m = *state; struct pgsim_cfg cfg = tu_cfg("sv39");
	const unsigned U_R = PGSIM_P_UR, U_W = PGSIM_P_UW, U_X = PGSIM_P_UX;
	const struct {
		uint64_t e;
		unsigned plain, sum, mxr; /* perms with no flag / SUM / MXR */
	} v[] = {
		/* 0xDF = V R W X U A D: RW, executable */
		{ 0x200800DF, U_R | U_W | U_X, U_R | U_W | U_X | PGSIM_P_SR | PGSIM_P_SW, U_R | U_W | U_X },
		/* 0xDB = V R X U A D: RO, executable */
		{ 0x200800DB, U_R | U_X, U_R | U_X | PGSIM_P_SR, U_R | U_X },
		/* 0xD7 = V R W U A D: RW, ExecuteNever */
		{ 0x200800D7, U_R | U_W, U_R | U_W | PGSIM_P_SR | PGSIM_P_SW, U_R | U_W },
		/* 0xD3 = V R U A D: RO, ExecuteNever */
		{ 0x200800D3, U_R, U_R | PGSIM_P_SR, U_R },
		/* 0xD9 = V X U A D: KernelOnly executable = user execute-only */
		{ 0x200800D9, U_X, U_X, U_R | U_X },
	};
	tu_put(m, 0x80000010, 8, 0x200C0001);
	tu_put(m, 0x80300008, 8, 0x200C0401);
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		tu_put(m, 0x80301000, 8, v[i].e);
		enum pgsim_access a = (v[i].e & 0x8) ? EX : RD; /* a permitted access */
		struct pgsim_translation t = tu_walk(&cfg, m, ROOT, 0x80200010, a, true);
		assert_true(t.ok);
		assert_int_equal(t.pa, 0x80200010);
		assert_int_equal(t.perms, v[i].plain);
		struct pgsim_cfg c2 = cfg;
		assert_int_equal(pgsim_cfg_set_flag(&c2, "sum", true), 0);
		t = tu_walk(&c2, m, ROOT, 0x80200010, a, true);
		assert_int_equal(t.perms, v[i].sum);
		c2 = cfg;
		assert_int_equal(pgsim_cfg_set_flag(&c2, "mxr", true), 0);
		t = tu_walk(&c2, m, ROOT, 0x80200010, a, true);
		assert_int_equal(t.perms, v[i].mxr);
	}
	/* KernelOnly executable: a user load faults, a supervisor fetch too */
	tu_put(m, 0x80301000, 8, 0x200800D9);
	struct pgsim_translation t = tu_walk(&cfg, m, ROOT, 0x80200010, RD, true);
	expect_fault(&t, PGSIM_FAULT_PERMISSION, 0, 13, 0x80200010);
	t = tu_walk(&cfg, m, ROOT, 0x80200010, EX, false);
	expect_fault(&t, PGSIM_FAULT_PERMISSION, 0, 12, 0x80200010);
	/* RW ExecuteNever: user fetch faults */
	tu_put(m, 0x80301000, 8, 0x200800D7);
	t = tu_walk(&cfg, m, ROOT, 0x80200010, EX, true);
	expect_fault(&t, PGSIM_FAULT_PERMISSION, 0, 12, 0x80200010);
	/* KernelOnly ExecuteNever is written as 0: not valid */
	tu_put(m, 0x80301000, 8, 0);
	t = tu_walk(&cfg, m, ROOT, 0x80200010, RD, true);
	expect_fault(&t, PGSIM_FAULT_NOT_PRESENT, 0, 13, 0x80200010);
}

/* The xv6 vmprint example of hw-formats.md 5.2, root 0x87f67000:
 *   root[0]   @0x87f67000 = 0x21fd8c01 -> table 0x87f63000 (0x21fd8c01 >> 10 = 0x87f63)
 *   [0]       @0x87f63000 = 0x21fd8801 -> table 0x87f62000
 *   [0]       @0x87f62000 = 0x21fd901f -> 0x87f64000 V R W X U
 *   [1]       @0x87f62008 = 0x21fd840f -> 0x87f61000 V R W X (guard, no U)
 *   [2]       @0x87f62010 = 0x21fd801f -> 0x87f60000 V R W X U
 *   root[255] @0x87f677f8 = 0x21fd9801 -> table 0x87f66000
 *   [511]     @0x87f66ff8 = 0x21fd9401 -> table 0x87f65000
 *   [510]     @0x87f65ff0 = 0x21fdd807 -> 0x87f76000 V R W (trapframe)
 *   [511]     @0x87f65ff8 = 0x20001c0b -> 0x80007000 V R X (trampoline)
 * VA 0x3FFFFFF000: VPN[2] = 0xFF = 255, VPN[1] = VPN[0] = 0x1FF = 511. */
static void test_xv6_vmprint_example(void **state)
{
	struct pgsim_mem *m = *state; struct pgsim_cfg cfg = tu_cfg("sv39");
	const pgsim_pa_t root = 0x87f67000;
	tu_put(m, 0x87f67000, 8, 0x21fd8c01);
	tu_put(m, 0x87f63000, 8, 0x21fd8801);
	tu_put(m, 0x87f62000, 8, 0x21fd901f);
	tu_put(m, 0x87f62008, 8, 0x21fd840f);
	tu_put(m, 0x87f62010, 8, 0x21fd801f);
	tu_put(m, 0x87f677f8, 8, 0x21fd9801);
	tu_put(m, 0x87f66ff8, 8, 0x21fd9401);
	tu_put(m, 0x87f65ff0, 8, 0x21fdd807);
	tu_put(m, 0x87f65ff8, 8, 0x20001c0b);

	struct pgsim_translation t = tu_walk(&cfg, m, root, 0x0, RD, true);
	assert_true(t.ok);
	assert_int_equal(t.pa, 0x87f64000);
	assert_int_equal(t.perms, PGSIM_P_UR | PGSIM_P_UW | PGSIM_P_UX);

	t = tu_walk(&cfg, m, root, 0x1000, RD, true); /* guard page */
	expect_fault(&t, PGSIM_FAULT_PERMISSION, 0, 13, 0x1000);

	t = tu_walk(&cfg, m, root, 0x2008, WR, true); /* user stack */
	assert_true(t.ok);
	assert_int_equal(t.pa, 0x87f60008);

	t = tu_walk(&cfg, m, root, 0x3FFFFFF000, EX, false); /* trampoline */
	assert_true(t.ok);
	assert_int_equal(t.pa, 0x80007000);
	assert_int_equal(t.perms, PGSIM_P_SR | PGSIM_P_SX);
	t = tu_walk(&cfg, m, root, 0x3FFFFFF000, EX, true);
	expect_fault(&t, PGSIM_FAULT_PERMISSION, 0, 12, 0x3FFFFFF000);

	t = tu_walk(&cfg, m, root, 0x3FFFFFE010, WR, false); /* trapframe */
	assert_true(t.ok);
	assert_int_equal(t.pa, 0x87f76010);
	assert_int_equal(t.perms, PGSIM_P_SR | PGSIM_P_SW);

	/* xv6 never sets A/D: on a Svade core its trampoline fetch faults */
	assert_int_equal(pgsim_cfg_set_flag(&cfg, "svade", true), 0);
	t = tu_walk(&cfg, m, root, 0x3FFFFFF000, EX, false);
	expect_fault(&t, PGSIM_FAULT_ACCESS_FLAG, 0, 12, 0x3FFFFFF000);
}

/* encode/flags_of against hand-built entries, and classify round trips. */
static void test_encode(void **state)
{
	(void)state;
	struct pgsim_cfg cfg = tu_cfg("sv39");
	const struct pgsim_arch_ops *ops = cfg.arch->ops;
	pgsim_pa_t a = 0;
	/* pointer to 0x80002000 at level 1: 0x20000801 */
	assert_int_equal(ops->encode(&cfg, 1, PGSIM_ENTRY_TABLE, 0x80002000, 0), 0x20000801);
	assert_int_equal(ops->classify(&cfg, 1, 0x20000801, &a), PGSIM_ENTRY_TABLE);
	assert_int_equal(a, 0x80002000);
	/* gigapage 0xC0000000 with R W X A D (0xCE): 0x300000CF */
	uint64_t e = ops->encode(&cfg, 2, PGSIM_ENTRY_LEAF, 0xC0000000, 0xCE);
	assert_int_equal(e, 0x300000CF);
	assert_int_equal(ops->flags_of(&cfg, 2, PGSIM_ENTRY_LEAF, e), 0xCE);
	assert_int_equal(ops->classify(&cfg, 2, e, &a), PGSIM_ENTRY_LEAF);
	assert_int_equal(a, 0xC0000000);
	/* every level: leaf with all flag bits incl. RSW (0x3FE) round-trips */
	for (int lvl = 0; lvl <= 2; lvl++) {
		pgsim_pa_t pa = 0x80000000ull + (1ull << (12 + 9 * lvl));
		e = ops->encode(&cfg, lvl, PGSIM_ENTRY_LEAF, pa, 0x3FE);
		assert_int_equal(ops->classify(&cfg, lvl, e, &a), PGSIM_ENTRY_LEAF);
		assert_int_equal(a, pa);
		assert_int_equal(ops->encode(&cfg, lvl, PGSIM_ENTRY_LEAF, pa,
					     ops->flags_of(&cfg, lvl, PGSIM_ENTRY_LEAF, e)), e);
	}
	/* invalid entries keep their software bits */
	assert_int_equal(ops->encode(&cfg, 0, PGSIM_ENTRY_INVALID, 0, 0x300), 0x300);
	assert_int_equal(ops->classify(&cfg, 0, 0x300, &a), PGSIM_ENTRY_INVALID);

	char err[128] = "";
	assert_int_equal(pgsim_arch_selfcheck(cfg.arch, err, sizeof(err)), 0);
}

/* leaf_attrs names G/A/D/RSW only: 0x200040E7 (V R W G A D), 0x20004043
 * (V R A), 0x20004203 (V R, RSW=2), 0x20004003 (V R). */
static void test_leaf_attrs(void **state)
{
	(void)state;
	struct pgsim_cfg cfg = tu_cfg("sv39");
	static const struct { uint64_t e; const char *text; } v[] = {
		{ 0x200040E7, "G A D" }, { 0x20004043, "A" },
		{ 0x20004203, "RSW=2" }, { 0x20004003, "" },
	};
	char buf[64];
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		cfg.arch->ops->leaf_attrs(&cfg, 0, v[i].e, buf, sizeof(buf));
		assert_string_equal(buf, v[i].text);
	}
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_4k_after_two_pointers),
		T(test_megapage),
		T(test_gigapage),
		T(test_pa_frame_or_offset),
		T(test_invalid_each_level),
		T(test_reserved_rwx),
		T(test_pointer_reserved_bits),
		T(test_pointer_at_level0),
		T(test_misaligned_superpages),
		T(test_high_bits),
		T(test_va_sign_extension),
		T(test_user_on_supervisor_page),
		T(test_sum),
		T(test_mxr),
		T(test_svade),
		T(test_hw_ad_update),
		T(test_pte_outside_ram),
		T(test_sel4_vectors),
		T(test_xv6_vmprint_example),
		T(test_encode),
		T(test_leaf_attrs),
	};
	return cmocka_run_group_tests_name("walk_sv39", tests, NULL, NULL);
}
