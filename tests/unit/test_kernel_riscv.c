/* seL4 kernel model on RISC-V Sv39: Page_Map / PageTable_Map in
 * decodeRISCV*Invocation's order (spec 3.3), bitsLeft 30/21 (and 12 for a
 * large frame over a table), entry bits (5.3), kernel entries copied at
 * ASIDPool_Assign, VM fault causes (6.2).
 *
 * Fixture: untyped "ut" = [0x90000000, +16 MiB): root PT 0x90000000
 * (assigned, ASID 1), pt1 0x90001000, pt2 0x90002000, frame 0x90003000.
 * PTE: V1 R2 W4 X8 U0x10 G0x20 A0x40 D0x80, PPN << 10.
 */
#include "test_kernel_util.h"

#define UT 0x90000000ull
#define RW PGSIM_SEL4_READ_WRITE
#define RD PGSIM_SEL4_CAN_READ
#define WR PGSIM_SEL4_CAN_WRITE
#define XN 1u

static void setup(struct kfix *f)
{
	kf_init(f, "sv39", UT, 24);
	kf_retype(f, "page_table", "root");
	kf_retype(f, "page_table", "pt1");
	kf_retype(f, "page_table", "pt2");
	kf_retype(f, "frame", "frame");
	kf_assign(f, "root");
}

/* pt1 (level 1) and pt2 (level 0) for VA 0 */
static void tables(struct kfix *f)
{
	setup(f);
	kf_map_ok(f, "pt1", "root", 0, 0, 0);
	kf_map_ok(f, "pt2", "root", 0, 0, 0);
}

/* ASIDPool_Assign copies the kernel's root entries 256..511: 256..509
 * global supervisor RWX gigapages (D A G X W R V = 0xef) of physical
 * memory from 0, 510/511 the kernel's level-1 tables (G V = 0x21) at the
 * default stand-in 0x80201000 / 0x80202000.  Entries below 256 stay 0. */
static void test_kernel_entries(void **state)
{
	(void)state;
	struct kfix f;
	kf_init(&f, "sv39", UT, 24);
	kf_retype(&f, "page_table", "root");
	assert_int_equal(kf_entry(&f, UT, 256), 0);
	kf_assign(&f, "root");
	assert_int_equal(kf_entry(&f, UT, 255), 0);
	assert_int_equal(kf_entry(&f, UT, 256), 0xef);
	assert_int_equal(kf_entry(&f, UT, 257), 0x100000ef);
	assert_int_equal(kf_entry(&f, UT, 509), (253ull << 28) | 0xef);
	assert_int_equal(kf_entry(&f, UT, 510), 0x20080421);
	assert_int_equal(kf_entry(&f, UT, 511), 0x20080821);
	assert_true(pgsim_kernel_is_kernel_entry(f.k, 256));
	assert_false(pgsim_kernel_is_kernel_entry(f.k, 255));
	kf_free(&f);
}

/* The tutorial on Sv39 at VA 0x20000000 (root 0, level-1 index 256,
 * level-0 index 0): 30, then 21, then success; the read-only page faults
 * on a write with the normalised cause 7. */
static void test_tutorial(void **state)
{
	(void)state;
	struct kfix f;
	setup(&f);
	const pgsim_va_t va = 0x20000000;
	struct pgsim_kres r = kf_map(&f, "frame", "root", va, RD, 0);
	kf_expect_missing(&r, 30);
	kf_map_ok(&f, "pt1", "root", va, 0, 0);
	r = kf_map(&f, "frame", "root", va, RD, 0);
	kf_expect_missing(&r, 21);
	kf_map_ok(&f, "pt2", "root", va, 0, 0);
	kf_map_ok(&f, "frame", "root", va, RD, 0);
	/* 0x90001000 >> 12 << 10 = 0x24000400 */
	assert_int_equal(kf_entry(&f, UT, 0), 0x24000401);
	assert_int_equal(kf_entry(&f, UT + 0x1000, 256), 0x24000801);
	assert_int_equal(kf_entry(&f, UT + 0x2000, 0), 0x24000cdb);
	pgsim_pa_t root;
	assert_int_equal(pgsim_kernel_root_pa(f.k, "root", &root), 0);
	assert_int_equal(pgsim_kernel_root_pa(f.k, "pt1", &root), -ENOENT);
	assert_int_equal(pgsim_kernel_root_pa(f.k, "root", &root), 0);
	struct pgsim_translation t = tu_walk(&f.cfg, f.mem, root, va, PGSIM_ACCESS_READ, true);
	assert_true(t.ok);
	t = tu_walk(&f.cfg, f.mem, root, va, PGSIM_ACCESS_WRITE, true);
	assert_false(t.ok);
	struct pgsim_vm_fault vf;
	assert_int_equal(pgsim_kernel_vm_fault(f.k, &t.fault, PGSIM_ACCESS_WRITE, 0x10000, &vf), 0);
	assert_int_equal(vf.fsr, 7);
	assert_int_equal(vf.addr, va);
	char line[128];
	pgsim_vm_fault_line(&vf, line, sizeof line);
	assert_string_equal(line, "vm fault on data at address 0x20000000 with status 0x7");
	t = tu_walk(&f.cfg, f.mem, root, 0x20001000, PGSIM_ACCESS_READ, true);
	assert_int_equal(pgsim_kernel_vm_fault(f.k, &t.fault, PGSIM_ACCESS_READ, 0x10000, &vf), 0);
	assert_int_equal(vf.fsr, 5);
	assert_int_equal(vf.prefetch, 0);
	t = tu_walk(&f.cfg, f.mem, root, 0x20001000, PGSIM_ACCESS_EXEC, true);
	assert_int_equal(pgsim_kernel_vm_fault(f.k, &t.fault, PGSIM_ACCESS_EXEC, 0x20001000, &vf), 0);
	assert_int_equal(vf.fsr, 1);
	assert_int_equal(vf.prefetch, 1);
	pgsim_vm_fault_line(&vf, line, sizeof line);
	assert_string_equal(line, "vm fault on code at address 0x20001000 with status 0x1");
	kf_free(&f);
}

/* Spec 5.3 vectors: 4K at 0x80200000 (PPN field 0x20080000) for each
 * rights / ExecuteNever combination, KernelOnly + XN = an invalid entry
 * that still counts as mapped; non-leaf -> PT at 0x80300000 = 0x200c0001. */
static void test_entry_vectors(void **state)
{
	(void)state;
	struct kfix f;
	setup(&f);
	assert_int_equal(pgsim_kernel_add_untyped(f.k, "uv", 0x80200000, 12, false), 0);
	assert_int_equal(pgsim_kernel_add_untyped(f.k, "upt", 0x80300000, 12, false), 0);
	kf_retype_from(&f, "uv", "frame", 0, "v");
	kf_retype_from(&f, "upt", "page_table", 0, "ptv");
	kf_map_ok(&f, "pt1", "root", 0, 0, 0);
	kf_map_ok(&f, "ptv", "root", 0, 0, 0);
	assert_int_equal(kf_entry(&f, UT + 0x1000, 0), 0x200c0001);
	static const struct { unsigned rights; uint64_t attr; uint64_t e; } v[] = {
		{ RW, 0, 0x200800df }, { RD, 0, 0x200800db }, { RW, XN, 0x200800d7 },
		{ RD, XN, 0x200800d3 }, { WR, 0, 0x200800d9 }, { 0, 0, 0x200800d9 },
		{ WR, XN, 0 },
	};
	for (unsigned i = 0; i < sizeof v / sizeof v[0]; i++) {
		kf_map_ok(&f, "v", "root", 0x7000, v[i].rights, v[i].attr);
		assert_int_equal(kf_entry(&f, 0x80300000, 7), v[i].e);
	}
	assert_true(kf_cap(&f, "v").mapped);
	/* maskVMRights' debug line for the write-only request */
	struct pgsim_kres r = kf_map(&f, "v", "root", 0x7000, WR, 0);
	kf_expect(&r, PGSIM_SEL4_NO_ERROR);
	assert_string_equal(r.msg, "Attempted to make unsupported write only mapping");
	r = kf_map(&f, "v", "root", 0x7000, RW, 0);
	assert_string_equal(r.msg, "");
	kf_free(&f);
}

/* Page_Map checks 1-4: truncated; vspace not a mapped PT cap ->
 * InvalidCapability 1; an intermediate PT passed as vspace resolves to
 * another root -> InvalidCapability 1; ASID gone -> InvalidRoot. */
static void test_frame_vspace_checks(void **state)
{
	(void)state;
	struct kfix f;
	tables(&f);
	kf_retype(&f, "page_table", "unassigned");
	struct pgsim_kinv inv = { .label = PGSIM_KL_PAGE_MAP, .cap = "frame", .n_words = 3,
				  .w = { 0x5000, RW }, .n_extra = 0 };
	struct pgsim_kres r = kf_invoke(&f, &inv);
	kf_expect(&r, PGSIM_SEL4_TRUNCATED_MESSAGE);
	r = kf_map(&f, "frame", "unassigned", 0x5000, RW, 0);
	kf_expect(&r, PGSIM_SEL4_INVALID_CAPABILITY);
	assert_int_equal(r.cap, 1);
	r = kf_map(&f, "frame", "pt1", 0x5000, RW, 0);
	kf_expect(&r, PGSIM_SEL4_INVALID_CAPABILITY);
	assert_int_equal(r.cap, 1);
	assert_int_equal(pgsim_kernel_delete(f.k, "asid_pool", &r), 0);
	r = kf_map(&f, "frame", "root", 0x5000, RW, 0);
	kf_expect(&r, PGSIM_SEL4_FAILED_LOOKUP);
	assert_int_equal(r.lookup, PGSIM_SEL4_LOOKUP_INVALID_ROOT);
	kf_free(&f);
}

/* Check 5 (vaddr + size - 1 >= USER_TOP = 0x3ffffff000, also for remaps)
 * before 6 (alignment): spec 2.3 boundaries. */
static void test_frame_user_top(void **state)
{
	(void)state;
	struct kfix f;
	setup(&f);
	kf_retype(&f, "large_page", "f2m");
	const pgsim_va_t top = 0x3fffffe000ull;
	kf_map_ok(&f, "pt1", "root", top, 0, 0);
	kf_map_ok(&f, "pt2", "root", top, 0, 0);
	kf_map_ok(&f, "frame", "root", top, RW, 0);
	assert_int_equal(kf_entry(&f, UT + 0x2000, 510), 0x24000cdf);
	struct pgsim_kres r = kf_unmap(&f, "frame");
	r = kf_map(&f, "frame", "root", 0x3ffffff000ull, RW, 0);
	kf_expect(&r, PGSIM_SEL4_INVALID_ARGUMENT);
	assert_int_equal(r.arg, 0);
	r = kf_map(&f, "frame", "root", 0x3ffffff800ull, RW, 0);
	kf_expect(&r, PGSIM_SEL4_INVALID_ARGUMENT);
	r = kf_map(&f, "f2m", "root", 0x3fffe00000ull, RW, 0);
	kf_expect(&r, PGSIM_SEL4_INVALID_ARGUMENT);
	r = kf_map(&f, "frame", "root", 0x5800, RW, 0);
	kf_expect(&r, PGSIM_SEL4_ALIGNMENT_ERROR);
	kf_free(&f);
}

/* Check 7 (lookup) comes before the already-mapped checks (8a/8b): a
 * mapped cap asked for an address without tables gets FailedLookup; with
 * tables, another vaddr -> InvalidArgument 0, another vspace ->
 * InvalidCapability 1.  bitsLeft: 2 MiB over a level-0 table -> 12;
 * 4K under a megapage -> 21. */
static void test_frame_lookup_order(void **state)
{
	(void)state;
	struct kfix f;
	tables(&f);
	kf_retype(&f, "large_page", "f2m");
	kf_retype(&f, "page_table", "root2");
	kf_retype(&f, "page_table", "r2pt1");
	kf_retype(&f, "page_table", "r2pt2");
	kf_assign(&f, "root2");
	kf_map_ok(&f, "frame", "root", 0x5000, RW, 0);
	struct pgsim_kres r = kf_map(&f, "frame", "root", 0x40000000, RW, 0);
	kf_expect_missing(&r, 30);
	r = kf_map(&f, "frame", "root", 0x6000, RW, 0);
	kf_expect(&r, PGSIM_SEL4_INVALID_ARGUMENT);
	r = kf_map(&f, "frame", "root2", 0x5000, RW, 0);
	kf_expect_missing(&r, 30);
	kf_map_ok(&f, "r2pt1", "root2", 0, 0, 0);
	kf_map_ok(&f, "r2pt2", "root2", 0, 0, 0);
	r = kf_map(&f, "frame", "root2", 0x5000, RW, 0);
	kf_expect(&r, PGSIM_SEL4_INVALID_CAPABILITY);
	assert_int_equal(r.cap, 1);
	r = kf_map(&f, "f2m", "root", 0, RW, 0);
	kf_expect_missing(&r, 12);
	kf_map_ok(&f, "f2m", "root", 0x200000, RW, 0);
	r = kf_map(&f, "frame", "root", 0x201000, RW, 0);
	kf_expect_missing(&r, 21);
	kf_free(&f);
}

/* 8d: RISC-V alone refuses a fresh frame over an existing mapping
 * (DeleteFirst); remapping the same cap at its vaddr is fine. */
static void test_frame_no_overwrite(void **state)
{
	(void)state;
	struct kfix f;
	tables(&f);
	kf_retype(&f, "frame", "frame2");
	kf_map_ok(&f, "frame", "root", 0x5000, RW, 0);
	struct pgsim_kres r = kf_map(&f, "frame2", "root", 0x5000, RW, 0);
	kf_expect(&r, PGSIM_SEL4_DELETE_FIRST);
	assert_false(kf_cap(&f, "frame2").mapped);
	kf_map_ok(&f, "frame", "root", 0x5000, RD, XN);
	assert_int_equal(kf_entry(&f, UT + 0x2000, 5), 0x24000cd3);
	kf_free(&f);
}

/* PageTable_Map / Unmap: RevokeFirst for a shared cap and for the root;
 * IllegalOperation; truncated; mapped (an assigned root too) ->
 * InvalidCapability 0; vspace not mapped -> 1; vaddr >= USER_TOP ->
 * InvalidArgument 0; DeleteFirst at the last level or over a page; cap
 * vaddr masked to what the slot covers. */
static void test_pt_checks(void **state)
{
	(void)state;
	struct kfix f;
	tables(&f);
	kf_retype(&f, "page_table", "pt3");
	kf_retype(&f, "page_table", "pt4");
	kf_retype(&f, "large_page", "f2m");
	struct pgsim_kres r;
	assert_int_equal(pgsim_kernel_copy(f.k, "pt2", "pt2c", RW, &r), 0);
	r = kf_unmap(&f, "pt2");
	kf_expect(&r, PGSIM_SEL4_REVOKE_FIRST);
	r = kf_unmap(&f, "root");
	kf_expect(&r, PGSIM_SEL4_REVOKE_FIRST);
	struct pgsim_kinv inv = { .label = PGSIM_KL_PDPT_MAP, .cap = "pt3", .n_words = 2,
				  .n_extra = 1, .extra = { "root" } };
	r = kf_invoke(&f, &inv);
	kf_expect(&r, PGSIM_SEL4_ILLEGAL_OPERATION);
	inv.label = PGSIM_KL_PAGE_TABLE_MAP;
	inv.n_extra = 0;
	r = kf_invoke(&f, &inv);
	kf_expect(&r, PGSIM_SEL4_TRUNCATED_MESSAGE);
	r = kf_map(&f, "root", "root", 0x40000000, 0, 0);
	kf_expect(&r, PGSIM_SEL4_INVALID_CAPABILITY);
	assert_int_equal(r.cap, 0);
	r = kf_map(&f, "pt3", "pt4", 0x40000000, 0, 0);
	kf_expect(&r, PGSIM_SEL4_INVALID_CAPABILITY);
	assert_int_equal(r.cap, 1);
	r = kf_map(&f, "pt3", "root", 0x3ffffff000ull, 0, 0);
	kf_expect(&r, PGSIM_SEL4_INVALID_ARGUMENT);
	kf_map_ok(&f, "pt3", "root", 0x3fffe00123ull, 0, 0);
	assert_int_equal(kf_cap(&f, "pt3").vaddr, 0x3fc0000000ull);
	r = kf_map(&f, "pt4", "root", 0, 0, 0);
	kf_expect(&r, PGSIM_SEL4_DELETE_FIRST);
	kf_map_ok(&f, "f2m", "root", 0x200000, RW, 0);
	r = kf_map(&f, "pt4", "root", 0x200000, 0, 0);
	kf_expect(&r, PGSIM_SEL4_DELETE_FIRST);
	kf_free(&f);
}

/* A PT mapped as an intermediate cannot then be assigned; deleting the
 * final root cap frees the ASID, deleting a final intermediate PT cap
 * unlinks it; PT unmap zeroes the table. */
static void test_roots_and_deletes(void **state)
{
	(void)state;
	struct kfix f;
	tables(&f);
	struct pgsim_kres r;
	assert_int_equal(pgsim_kernel_assign(f.k, "asid_pool", "pt1", &r), 0);
	kf_expect(&r, PGSIM_SEL4_INVALID_CAPABILITY);
	assert_int_equal(r.cap, 1);
	kf_map_ok(&f, "frame", "root", 0x5000, RW, 0);
	r = kf_unmap(&f, "pt2");
	kf_expect(&r, PGSIM_SEL4_NO_ERROR);
	assert_int_equal(kf_entry(&f, UT + 0x1000, 0), 0);
	assert_int_equal(kf_entry(&f, UT + 0x2000, 5), 0);
	assert_int_equal(pgsim_kernel_delete(f.k, "pt1", &r), 0);
	assert_int_equal(kf_entry(&f, UT, 0), 0);
	assert_int_equal(pgsim_kernel_delete(f.k, "root", &r), 0);
	pgsim_pa_t pa;
	assert_int_equal(pgsim_kernel_asid_root(f.k, 1, &pa), -ENOENT);
	/* a frame copy on RISC-V forgets the address too */
	assert_int_equal(pgsim_kernel_copy(f.k, "frame", "fc", RW, &r), 0);
	assert_int_equal(kf_cap(&f, "fc").vaddr, 0);
	assert_false(kf_cap(&f, "fc").mapped);
	kf_free(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kernel_entries),
		cmocka_unit_test(test_tutorial),
		cmocka_unit_test(test_entry_vectors),
		cmocka_unit_test(test_frame_vspace_checks),
		cmocka_unit_test(test_frame_user_top),
		cmocka_unit_test(test_frame_lookup_order),
		cmocka_unit_test(test_frame_no_overwrite),
		cmocka_unit_test(test_pt_checks),
		cmocka_unit_test(test_roots_and_deletes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
