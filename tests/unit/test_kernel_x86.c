/* seL4 kernel model on x86_64 and ia32: Page_Map / PageTable_Map /
 * PageDirectory_Map / PDPT_Map / Unmap / GetAddress, each decode error in
 * the kernel's order (spec 3.1), failed levels (4.1), entry bits (5.1).
 *
 * Fixture (x86_64): untyped "ut" = [0x10000000, +16 MiB).  The first
 * Retype resets it, so 4 KiB objects land at 0x10000000, 0x10001000, ...
 * in the order they are retyped.  Entry values: P=1 RW=2 US=4 PWT=8
 * PCD=0x10 PS=0x80, PAT 0x80 (4K) / 0x1000 (2M/4M).
 */
#include "test_kernel_util.h"

#define UT 0x10000000ull
#define RW PGSIM_SEL4_READ_WRITE
#define RD PGSIM_SEL4_CAN_READ
#define WR PGSIM_SEL4_CAN_WRITE

/* pml4 at UT (assigned ASID 1), pdpt +0x1000, pd +0x2000, pt +0x3000,
 * frame +0x4000. */
static void x64_setup(struct kfix *f)
{
	kf_init(f, "x86_64", UT, 24);
	kf_retype(f, "pml4", "pml4");
	kf_retype(f, "pdpt", "pdpt");
	kf_retype(f, "page_directory", "pd");
	kf_retype(f, "page_table", "pt");
	kf_retype(f, "frame_4k", "frame");
	kf_assign(f, "pml4");
}

/* pdpt, pd, pt mapped for VA 0 (PML4[0], PDPT[0], PD[0]). */
static void x64_tables(struct kfix *f)
{
	x64_setup(f);
	kf_map_ok(f, "pdpt", "pml4", 0, 0, 0);
	kf_map_ok(f, "pd", "pml4", 0, 0, 0);
	kf_map_ok(f, "pt", "pml4", 0, 0, 0);
}

/* The seL4 mapping tutorial (TUT mapping, x86_64, TEST_VADDR
 * 0xa000000000 = PML4 index 1, PDPT index 128, PD 0, PT 0): map PDPT;
 * frame map fails at level 30; map PD; fails at 21; map PT; map read-only;
 * read 0; the write faults "vm fault on data at address 0xa000000000 with
 * status 0x7" (P|W|U); remap read-write; the write succeeds. */
static void test_tutorial(void **state)
{
	(void)state;
	struct kfix f;
	x64_setup(&f);
	const pgsim_va_t va = 0xa000000000ull;
	kf_map_ok(&f, "pdpt", "pml4", va, 0, 0);
	struct pgsim_kres r = kf_map(&f, "frame", "pml4", va, RD, 0);
	kf_expect_missing(&r, 30);
	kf_map_ok(&f, "pd", "pml4", va, 0, 0);
	r = kf_map(&f, "frame", "pml4", va, RD, 0);
	kf_expect_missing(&r, 21);
	kf_map_ok(&f, "pt", "pml4", va, 0, 0);
	kf_map_ok(&f, "frame", "pml4", va, RD, 0);
	/* entries: tables P|RW|US, the read-only leaf P|US */
	assert_int_equal(kf_entry(&f, UT, 1), 0x10001007);
	assert_int_equal(kf_entry(&f, UT + 0x1000, 128), 0x10002007);
	assert_int_equal(kf_entry(&f, UT + 0x2000, 0), 0x10003007);
	assert_int_equal(kf_entry(&f, UT + 0x3000, 0), 0x10004005);
	/* read through the walker: fresh frames read 0 */
	pgsim_pa_t root;
	assert_int_equal(pgsim_kernel_root_pa(f.k, "pml4", &root), 0);
	assert_int_equal(root, UT);
	struct pgsim_translation t = tu_walk(&f.cfg, f.mem, root, va, PGSIM_ACCESS_READ, true);
	assert_true(t.ok);
	assert_int_equal(t.pa, 0x10004000);
	assert_int_equal(tu_get(f.mem, t.pa, 8), 0);
	/* the write faults */
	t = tu_walk(&f.cfg, f.mem, root, va, PGSIM_ACCESS_WRITE, true);
	assert_false(t.ok);
	struct pgsim_vm_fault vf;
	assert_int_equal(pgsim_kernel_vm_fault(f.k, &t.fault, PGSIM_ACCESS_WRITE, 0x401000, &vf), 0);
	assert_int_equal(vf.label, 5);
	assert_int_equal(vf.addr, va);
	assert_int_equal(vf.fsr, 7);
	assert_int_equal(vf.prefetch, 0);
	assert_int_equal(vf.ip, 0x401000);
	char line[128];
	pgsim_vm_fault_line(&vf, line, sizeof line);
	assert_string_equal(line, "vm fault on data at address 0xa000000000 with status 0x7");
	/* remap read-write at the same vaddr: allowed, entry rewritten */
	kf_map_ok(&f, "frame", "pml4", va, RW, 0);
	assert_int_equal(kf_entry(&f, UT + 0x3000, 0), 0x10004007);
	t = tu_walk(&f.cfg, f.mem, root, va, PGSIM_ACCESS_WRITE, true);
	assert_true(t.ok);
	assert_true(t.perms & PGSIM_P_UW);
	kf_free(&f);
}

/* Page_GetAddress: MR0 = the frame's physical address, mapped or not
 * (spec 3 common facts). */
static void test_get_address(void **state)
{
	(void)state;
	struct kfix f;
	x64_tables(&f);
	struct pgsim_kres r;
	assert_int_equal(pgsim_kernel_get_address(f.k, "frame", &r), 0);
	kf_expect(&r, PGSIM_SEL4_NO_ERROR);
	assert_int_equal(r.value, UT + 0x4000);
	assert_int_equal(r.n_mr, 1);
	assert_int_equal(r.mr[0], UT + 0x4000);
	kf_map_ok(&f, "frame", "pml4", 0x5000, RW, 0);
	assert_int_equal(pgsim_kernel_get_address(f.k, "frame", &r), 0);
	assert_int_equal(r.value, UT + 0x4000);
	kf_free(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tutorial),
		cmocka_unit_test(test_get_address),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
