/* Reference walker on hand-encoded x86 tables (ia32 and x86_64).
 * Expected values follow the Intel SDM vol. 3A: 4.3 (32-bit paging), 4.5
 * (4-level), 4.6 (access rights), 4.7 (#PF error code: P=1, W/R=2, U/S=4,
 * RSVD=8, I/D=0x10), 4.8 (A/D). */
#include "tutil.h"

#define R PGSIM_ACCESS_READ
#define W PGSIM_ACCESS_WRITE
#define X PGSIM_ACCESS_EXEC

/* x86_64 layout used by most cases: PML4 0x1000, PDPT 0x2000, PD 0x3000,
 * PT 0x4000, frame 0x5000.  VA 0x401234: PML4 0, PDPT 0, PD 2, PT 1,
 * offset 0x234.  Entry 0x..007 = P|RW|US. */
#define VA64 0x401234ull
static struct pgsim_mem *x64_tables(void)
{
	struct pgsim_mem *m = pgsim_mem_new();
	tu_put(m, 0x1000 + 0 * 8, 8, 0x2007);
	tu_put(m, 0x2000 + 0 * 8, 8, 0x3007);
	tu_put(m, 0x3000 + 2 * 8, 8, 0x4007);
	tu_put(m, 0x4000 + 1 * 8, 8, 0x5007);
	return m;
}

/* A present 4K mapping: PA = frame | offset, trail of four entries. */
static void test_x64_4k(void **state)
{
	(void)state;
	struct pgsim_cfg c = tu_cfg("x86_64");
	struct pgsim_mem *m = x64_tables();
	struct pgsim_translation t = tu_walk(&c, m, 0x1000, VA64, R, true);
	assert_true(t.ok);
	assert_int_equal(t.pa, 0x5234);
	assert_int_equal(t.page_lg2, 12);
	assert_int_equal(t.level, 0);
	assert_int_equal(t.perms, PGSIM_P_UR | PGSIM_P_UW | PGSIM_P_UX |
			 PGSIM_P_SR | PGSIM_P_SW | PGSIM_P_SX);
	assert_int_equal(t.n_trail, 4);
	assert_int_equal(t.trail[0].entry_pa, 0x1000);
	assert_int_equal(t.trail[1].entry_pa, 0x2000);
	assert_int_equal(t.trail[2].entry_pa, 0x3010);
	assert_int_equal(t.trail[3].entry_pa, 0x4008);
	assert_int_equal(t.trail[3].value, 0x5007);
	assert_int_equal(t.trail[3].kind, PGSIM_ENTRY_LEAF);
	pgsim_mem_free(m);
}

/* Not present at each level: user read 0x4, user write 0x6, supervisor
 * read 0x0; a user fetch 0x14 (I/D because NXE is on by default). */
static void test_x64_not_present_each_level(void **state)
{
	(void)state;
	struct pgsim_cfg c = tu_cfg("x86_64");
	static const pgsim_pa_t slot[4] = { 0x1000, 0x2000, 0x3010, 0x4008 };
	for (int drop = 0; drop < 4; drop++) {
		struct pgsim_mem *m = x64_tables();
		tu_put(m, slot[drop], 8, 0);
		struct pgsim_translation t = tu_walk(&c, m, 0x1000, VA64, R, true);
		assert_false(t.ok);
		assert_int_equal(t.fault.kind, PGSIM_FAULT_NOT_PRESENT);
		assert_int_equal(t.fault.level, 3 - drop);
		assert_int_equal(t.fault.code, 0x4);
		assert_int_equal(t.fault.addr, VA64);
		assert_int_equal(t.n_trail, drop + 1);
		t = tu_walk(&c, m, 0x1000, VA64, W, true);
		assert_int_equal(t.fault.code, 0x6);
		t = tu_walk(&c, m, 0x1000, VA64, R, false);
		assert_int_equal(t.fault.code, 0x0);
		t = tu_walk(&c, m, 0x1000, VA64, X, true);
		assert_int_equal(t.fault.code, 0x14);
		pgsim_mem_free(m);
	}
	/* Without NXE and SMEP a fetch fault has no I/D bit. */
	assert_int_equal(pgsim_cfg_set_flag(&c, "nxe", false), 0);
	struct pgsim_mem *m = x64_tables();
	tu_put(m, 0x4008, 8, 0);
	struct pgsim_translation t = tu_walk(&c, m, 0x1000, VA64, X, true);
	assert_int_equal(t.fault.code, 0x4);
	pgsim_mem_free(m);
}

/* A non-present entry's other bits are not checked: bit 51 set with P=0
 * is still "not present", not RSVD. */
static void test_x64_not_present_ignores_reserved(void **state)
{
	(void)state;
	struct pgsim_cfg c = tu_cfg("x86_64");
	struct pgsim_mem *m = x64_tables();
	tu_put(m, 0x4008, 8, (1ull << 51) | 0x5006);
	struct pgsim_translation t = tu_walk(&c, m, 0x1000, VA64, R, true);
	assert_int_equal(t.fault.kind, PGSIM_FAULT_NOT_PRESENT);
	assert_int_equal(t.fault.code, 0x4);
	pgsim_mem_free(m);
}

/* Reserved bits (SDM 6.4 vectors): address bit >= MAXPHYADDR (40) in the
 * PTE gives 0x09 supervisor read, 0x0b supervisor write, 0x0d user read. */
static void test_x64_rsvd_phys_bits(void **state)
{
	(void)state;
	struct pgsim_cfg c = tu_cfg("x86_64");
	struct pgsim_mem *m = x64_tables();
	tu_put(m, 0x4008, 8, (1ull << 45) | 0x5007);
	struct pgsim_translation t = tu_walk(&c, m, 0x1000, VA64, R, false);
	assert_int_equal(t.fault.kind, PGSIM_FAULT_RESERVED);
	assert_int_equal(t.fault.level, 0);
	assert_int_equal(t.fault.code, 0x09);
	t = tu_walk(&c, m, 0x1000, VA64, W, false);
	assert_int_equal(t.fault.code, 0x0b);
	t = tu_walk(&c, m, 0x1000, VA64, R, true);
	assert_int_equal(t.fault.code, 0x0d);
	/* With MAXPHYADDR 46 the same entry is a legal address. */
	assert_int_equal(pgsim_cfg_set_pa_bits(&c, 46), 0);
	t = tu_walk(&c, m, 0x1000, VA64, R, true);
	assert_true(t.ok);
	assert_int_equal(t.pa, (1ull << 45) | 0x5234);
	pgsim_mem_free(m);
}

/* XD with EFER.NXE=0 is reserved; PS in a PML4E is reserved. */
static void test_x64_rsvd_xd_and_pml4_ps(void **state)
{
	(void)state;
	struct pgsim_cfg c = tu_cfg("x86_64");
	struct pgsim_mem *m = x64_tables();
	tu_put(m, 0x3010, 8, (1ull << 63) | 0x4007);
	struct pgsim_translation t = tu_walk(&c, m, 0x1000, VA64, X, true);
	assert_int_equal(t.fault.kind, PGSIM_FAULT_PERMISSION); /* NXE on: XD forbids fetch */
	assert_int_equal(t.fault.code, 0x15);                   /* P U I/D */
	assert_int_equal(t.fault.level, 0);
	pgsim_cfg_set_flag(&c, "nxe", false);
	t = tu_walk(&c, m, 0x1000, VA64, R, true);
	assert_int_equal(t.fault.kind, PGSIM_FAULT_RESERVED);
	assert_int_equal(t.fault.level, 1);
	assert_int_equal(t.fault.code, 0x0d);
	pgsim_mem_free(m);

	c = tu_cfg("x86_64");
	m = x64_tables();
	tu_put(m, 0x1000, 8, 0x2087);
	t = tu_walk(&c, m, 0x1000, VA64, R, true);
	assert_int_equal(t.fault.kind, PGSIM_FAULT_RESERVED);
	assert_int_equal(t.fault.level, 3);
	pgsim_mem_free(m);
}

/* 2 MiB page: PD[2] = 0x40000087 (P RW US PS) maps VA 0x400000..0x5fffff
 * to 0x40000000.., so VA 0x401234 -> 0x40001234.  Bit 12 (PAT) is legal,
 * bit 13 is reserved (frame not 2 MiB aligned). */
static void test_x64_2m(void **state)
{
	(void)state;
	struct pgsim_cfg c = tu_cfg("x86_64");
	struct pgsim_mem *m = x64_tables();
	tu_put(m, 0x3010, 8, 0x40000087);
	struct pgsim_translation t = tu_walk(&c, m, 0x1000, VA64, W, true);
	assert_true(t.ok);
	assert_int_equal(t.pa, 0x40001234);
	assert_int_equal(t.page_lg2, 21);
	assert_int_equal(t.level, 1);
	tu_put(m, 0x3010, 8, 0x40001087);
	t = tu_walk(&c, m, 0x1000, VA64, R, true);
	assert_true(t.ok);
	assert_int_equal(t.pa, 0x40001234); /* PAT is not an address bit */
	tu_put(m, 0x3010, 8, 0x40002087);
	t = tu_walk(&c, m, 0x1000, VA64, R, true);
	assert_int_equal(t.fault.kind, PGSIM_FAULT_RESERVED);
	assert_int_equal(t.fault.level, 1);
	assert_int_equal(t.fault.code, 0x0d);
	pgsim_mem_free(m);
}

/* 1 GiB page: PDPT[1] = 0x80000087 maps VA 0x40000000.. to 0x80000000;
 * without Page1GB the PS bit in a PDPTE is reserved; bit 29 set is a
 * misaligned frame, reserved. */
static void test_x64_1g(void **state)
{
	(void)state;
	struct pgsim_cfg c = tu_cfg("x86_64");
	struct pgsim_mem *m = x64_tables();
	tu_put(m, 0x2008, 8, 0x80000087);
	struct pgsim_translation t = tu_walk(&c, m, 0x1000, 0x7654321ull + 0x40000000ull, R, true);
	assert_true(t.ok);
	assert_int_equal(t.pa, 0x87654321ull);
	assert_int_equal(t.page_lg2, 30);
	assert_int_equal(t.level, 2);
	tu_put(m, 0x2008, 8, 0xA0000087);
	t = tu_walk(&c, m, 0x1000, 0x40000000ull, R, true);
	assert_int_equal(t.fault.kind, PGSIM_FAULT_RESERVED);
	tu_put(m, 0x2008, 8, 0x80000087);
	pgsim_cfg_set_flag(&c, "page1gb", false);
	t = tu_walk(&c, m, 0x1000, 0x40000000ull, R, true);
	assert_int_equal(t.fault.kind, PGSIM_FAULT_RESERVED);
	assert_int_equal(t.fault.level, 2);
	pgsim_mem_free(m);
}

/* R/W is ANDed over levels: PDE R/W=0, PTE R/W=1, user write -> 0x07. */
static void test_x64_rw_and(void **state)
{
	(void)state;
	struct pgsim_cfg c = tu_cfg("x86_64");
	struct pgsim_mem *m = x64_tables();
	tu_put(m, 0x3010, 8, 0x4005);
	struct pgsim_translation t = tu_walk(&c, m, 0x1000, VA64, W, true);
	assert_int_equal(t.fault.kind, PGSIM_FAULT_PERMISSION);
	assert_int_equal(t.fault.code, 0x07);
	assert_int_equal(t.fault.level, 0);
	t = tu_walk(&c, m, 0x1000, VA64, R, true);
	assert_true(t.ok);
	assert_int_equal(t.perms & (PGSIM_P_UW | PGSIM_P_SW), 0); /* WP=1 */
	pgsim_mem_free(m);
}

/* U/S ANDed: PDPTE without U/S makes the page supervisor-only; user read
 * -> P|U = 0x05. */
static void test_x64_us_and(void **state)
{
	(void)state;
	struct pgsim_cfg c = tu_cfg("x86_64");
	struct pgsim_mem *m = x64_tables();
	tu_put(m, 0x2000, 8, 0x3003);
	struct pgsim_translation t = tu_walk(&c, m, 0x1000, VA64, R, true);
	assert_int_equal(t.fault.code, 0x05);
	t = tu_walk(&c, m, 0x1000, VA64, R, false);
	assert_true(t.ok);
	pgsim_mem_free(m);
}

/* CR0.WP: supervisor write to a read-only page succeeds with WP=0 and
 * faults 0x03 with WP=1. */
static void test_x64_wp(void **state)
{
	(void)state;
	struct pgsim_cfg c = tu_cfg("x86_64");
	struct pgsim_mem *m = x64_tables();
	tu_put(m, 0x4008, 8, 0x5005);
	struct pgsim_translation t = tu_walk(&c, m, 0x1000, VA64, W, false);
	assert_int_equal(t.fault.code, 0x03);
	pgsim_cfg_set_flag(&c, "wp", false);
	t = tu_walk(&c, m, 0x1000, VA64, W, false);
	assert_true(t.ok);
	/* A user write still faults: WP does not matter for CPL 3. */
	t = tu_walk(&c, m, 0x1000, VA64, W, true);
	assert_int_equal(t.fault.code, 0x07);
	pgsim_mem_free(m);
}

/* SMEP: supervisor fetch from a user page -> 0x11; SMAP: supervisor read
 * of a user page -> 0x01 unless AC. */
static void test_x64_smep_smap(void **state)
{
	(void)state;
	struct pgsim_cfg c = tu_cfg("x86_64");
	struct pgsim_mem *m = x64_tables();
	struct pgsim_translation t = tu_walk(&c, m, 0x1000, VA64, X, false);
	assert_true(t.ok);
	pgsim_cfg_set_flag(&c, "smep", true);
	t = tu_walk(&c, m, 0x1000, VA64, X, false);
	assert_int_equal(t.fault.code, 0x11);
	pgsim_cfg_set_flag(&c, "smap", true);
	t = tu_walk(&c, m, 0x1000, VA64, R, false);
	assert_int_equal(t.fault.kind, PGSIM_FAULT_PERMISSION);
	assert_int_equal(t.fault.code, 0x01);
	t = tu_walk(&c, m, 0x1000, VA64, W, false);
	assert_int_equal(t.fault.code, 0x03);
	pgsim_cfg_set_flag(&c, "ac", true);
	t = tu_walk(&c, m, 0x1000, VA64, R, false);
	assert_true(t.ok);
	pgsim_mem_free(m);
}

/* Non-canonical VA: #GP, before any table is read. The upper canonical
 * half reaches PML4 index 256. */
static void test_x64_canonical(void **state)
{
	(void)state;
	struct pgsim_cfg c = tu_cfg("x86_64");
	struct pgsim_mem *m = x64_tables();
	struct pgsim_translation t = tu_walk(&c, m, 0x1000, 0x0000800000000000ull, R, true);
	assert_int_equal(t.fault.kind, PGSIM_FAULT_VA_RANGE);
	assert_int_equal(t.fault.level, -1);
	assert_int_equal(t.n_trail, 0);
	/* 0xffff800000401234: PML4 256 -> reuse the PDPT at 0x2000. */
	tu_put(m, 0x1000 + 256 * 8, 8, 0x2007);
	t = tu_walk(&c, m, 0x1000, 0xffff800000401234ull, R, true);
	assert_true(t.ok);
	assert_int_equal(t.pa, 0x5234);
	assert_int_equal(t.trail[0].entry_pa, 0x1800);
	pgsim_mem_free(m);
}

/* A/D: with update_ad a user write sets A in every table entry on the
 * way and A|D in the PTE; a read sets A only; a faulting access does not
 * touch the leaf. */
static void test_x64_ad_update(void **state)
{
	(void)state;
	struct pgsim_cfg c = tu_cfg("x86_64");
	struct pgsim_mem *m = x64_tables();
	struct pgsim_walk_req req = { .access = PGSIM_ACCESS_READ, .user = true, .update_ad = true };
	struct pgsim_translation t;
	assert_int_equal(pgsim_walk_translate(&c, m, 0x1000, VA64, &req, &t), 0);
	assert_true(t.ok);
	assert_int_equal(tu_get(m, 0x1000, 8), 0x2027);
	assert_int_equal(tu_get(m, 0x4008, 8), 0x5027);
	assert_int_equal(t.n_written, 4);
	req.access = PGSIM_ACCESS_WRITE;
	assert_int_equal(pgsim_walk_translate(&c, m, 0x1000, VA64, &req, &t), 0);
	assert_int_equal(tu_get(m, 0x4008, 8), 0x5067);
	assert_int_equal(t.n_written, 1);
	/* A read-only leaf: the failed write leaves it alone. */
	tu_put(m, 0x4008, 8, 0x5005);
	assert_int_equal(pgsim_walk_translate(&c, m, 0x1000, VA64, &req, &t), 0);
	assert_false(t.ok);
	assert_int_equal(tu_get(m, 0x4008, 8), 0x5005);
	pgsim_mem_free(m);
}

/* A table pointer outside RAM: the walk stops with a bus fault at the
 * level whose entry could not be read. */
static void test_x64_outside_ram(void **state)
{
	(void)state;
	struct pgsim_cfg c = tu_cfg("x86_64");
	struct pgsim_mem *m = x64_tables();
	pgsim_mem_add_ram(m, 0, 0x5fff);
	tu_put(m, 0x2000, 8, 0x100000007ull);
	struct pgsim_translation t = tu_walk(&c, m, 0x1000, VA64, R, true);
	assert_int_equal(t.fault.kind, PGSIM_FAULT_BUS);
	assert_int_equal(t.fault.level, 1);
	pgsim_mem_free(m);
}

/* A self-referencing PML4 (entry 0 points at the PML4 itself) is walked
 * the way the MMU does: bounded by the number of levels.  VA 0 reads
 * PML4[0] four times and maps the PML4 page itself. */
static void test_x64_self_reference(void **state)
{
	(void)state;
	struct pgsim_cfg c = tu_cfg("x86_64");
	struct pgsim_mem *m = pgsim_mem_new();
	tu_put(m, 0x1000, 8, 0x1007);
	struct pgsim_translation t = tu_walk(&c, m, 0x1000, 0x10, R, true);
	assert_true(t.ok);
	assert_int_equal(t.pa, 0x1010);
	assert_int_equal(t.n_trail, 4);
	pgsim_mem_free(m);
}

/* ia32: PD 0x1000, PT 0x2000.  VA 0x00401234: PD 1, PT 1. */
static struct pgsim_mem *ia32_tables(void)
{
	struct pgsim_mem *m = pgsim_mem_new();
	tu_put(m, 0x1004, 4, 0x2007);
	tu_put(m, 0x2004, 4, 0x5007);
	return m;
}

static void test_ia32_4k(void **state)
{
	(void)state;
	struct pgsim_cfg c = tu_cfg("ia32");
	struct pgsim_mem *m = ia32_tables();
	struct pgsim_translation t = tu_walk(&c, m, 0x1000, 0x00401234, W, true);
	assert_true(t.ok);
	assert_int_equal(t.pa, 0x5234);
	assert_int_equal(t.n_trail, 2);
	assert_int_equal(t.trail[0].entry_pa, 0x1004);
	assert_int_equal(t.trail[1].entry_pa, 0x2004);
	/* VAs above 32 bits do not exist on ia32. */
	t = tu_walk(&c, m, 0x1000, 0x100401234ull, R, true);
	assert_int_equal(t.fault.kind, PGSIM_FAULT_VA_RANGE);
	pgsim_mem_free(m);
}

/* 4 MiB pages: PD[2] = 0x00C00087 maps VA 0x800000.. to 0xC00000..;
 * PSE-36 bits 20:13 = 0x12 give PA[39:32] = 0x12; bit 21 is reserved;
 * with CR4.PSE=0 the same PDE points to a page table at 0xC00000. */
static void test_ia32_4m(void **state)
{
	(void)state;
	struct pgsim_cfg c = tu_cfg("ia32");
	struct pgsim_mem *m = ia32_tables();
	tu_put(m, 0x1008, 4, 0x00C00087);
	struct pgsim_translation t = tu_walk(&c, m, 0x1000, 0x00812345, R, true);
	assert_true(t.ok);
	assert_int_equal(t.pa, 0xC12345);
	assert_int_equal(t.page_lg2, 22);
	assert_int_equal(t.level, 1);
	tu_put(m, 0x1008, 4, 0x00C00087 | (0x12 << 13));
	t = tu_walk(&c, m, 0x1000, 0x00812345, R, true);
	assert_true(t.ok);
	assert_int_equal(t.pa, 0x1200C12345ull);
	tu_put(m, 0x1008, 4, 0x00C00087 | (1u << 21));
	t = tu_walk(&c, m, 0x1000, 0x00812345, R, true);
	assert_int_equal(t.fault.kind, PGSIM_FAULT_RESERVED);
	assert_int_equal(t.fault.code, 0x0d);
	/* With M = 32 the PSE-36 bits are reserved too. */
	tu_put(m, 0x1008, 4, 0x00C00087 | (1u << 13));
	pgsim_cfg_set_pa_bits(&c, 32);
	t = tu_walk(&c, m, 0x1000, 0x00812345, R, true);
	assert_int_equal(t.fault.kind, PGSIM_FAULT_RESERVED);
	c = tu_cfg("ia32");
	pgsim_cfg_set_flag(&c, "pse", false);
	tu_put(m, 0x1008, 4, 0x00C00087);
	t = tu_walk(&c, m, 0x1000, 0x00812345, R, true);
	/* PT at 0xC00000, index 0x12 -> entry 0xC00048, zero: not present. */
	assert_int_equal(t.fault.kind, PGSIM_FAULT_NOT_PRESENT);
	assert_int_equal(t.fault.level, 0);
	assert_int_equal(t.trail[1].entry_pa, 0xC00048);
	pgsim_mem_free(m);
}

/* ia32 has no NX: a user fetch fault has no I/D unless SMEP is on. */
static void test_ia32_fetch_code(void **state)
{
	(void)state;
	struct pgsim_cfg c = tu_cfg("ia32");
	struct pgsim_mem *m = ia32_tables();
	struct pgsim_translation t = tu_walk(&c, m, 0x1000, 0x00801000, X, true);
	assert_int_equal(t.fault.code, 0x04);
	pgsim_cfg_set_flag(&c, "smep", true);
	t = tu_walk(&c, m, 0x1000, 0x00801000, X, true);
	assert_int_equal(t.fault.code, 0x14);
	/* Bit 63 does not exist in a 32-bit entry: all pages executable. */
	t = tu_walk(&c, m, 0x1000, 0x00401000, X, true);
	assert_true(t.ok);
	pgsim_mem_free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_x64_4k),
		cmocka_unit_test(test_x64_not_present_each_level),
		cmocka_unit_test(test_x64_not_present_ignores_reserved),
		cmocka_unit_test(test_x64_rsvd_phys_bits),
		cmocka_unit_test(test_x64_rsvd_xd_and_pml4_ps),
		cmocka_unit_test(test_x64_2m),
		cmocka_unit_test(test_x64_1g),
		cmocka_unit_test(test_x64_rw_and),
		cmocka_unit_test(test_x64_us_and),
		cmocka_unit_test(test_x64_wp),
		cmocka_unit_test(test_x64_smep_smap),
		cmocka_unit_test(test_x64_canonical),
		cmocka_unit_test(test_x64_ad_update),
		cmocka_unit_test(test_x64_outside_ram),
		cmocka_unit_test(test_x64_self_reference),
		cmocka_unit_test(test_ia32_4k),
		cmocka_unit_test(test_ia32_4m),
		cmocka_unit_test(test_ia32_fetch_code),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
