/* seL4 kernel model, x86_64 paging structures: PageTable_Map/Unmap,
 * PageDirectory_Map/Unmap, PDPT_Map/Unmap in the kernel's check order
 * (spec 3.1 PageTable table and the PD/PDPT differences), table unmap
 * zeroing and stale child caps, kernel window entries.
 *
 * Fixture: untyped "ut" = [0x10000000, +16 MiB); pml4 0x10000000 (ASID 1),
 * pdpt 0x10001000, pd 0x10002000, pt 0x10003000, frame 0x10004000.
 * Table entries written by the model: address | P|RW|US (7) | PWT 8 | PCD 0x10.
 */
#include "test_kernel_util.h"

#define UT 0x10000000ull
#define RW PGSIM_SEL4_READ_WRITE

/* the fixture of the header comment, pml4 assigned ASID 1 */
static void setup(struct kfix *f)
{
	kf_x64_objects(f, UT, true);
}

static struct pgsim_kres raw(struct kfix *f, enum pgsim_klabel l, const char *cap,
			     unsigned n_words, uint64_t w0, unsigned n_extra, const char *extra)
{
	struct pgsim_kinv inv = { .label = l, .cap = cap, .n_words = n_words,
				  .w = { w0, 0 }, .n_extra = n_extra, .extra = { extra } };
	return kf_invoke(f, &inv);
}

/* A new PML4 carries the kernel's entry PML4[511] (copyGlobalMappings:
 * the kernel PDPT, present + writable, supervisor); nothing else. */
static void test_kernel_window_entry(void **state)
{
	(void)state;
	struct kfix f;
	setup(&f);
	assert_int_equal(kf_entry(&f, UT, 511), 0x101000 | 3);
	for (unsigned i = 0; i < 511; i++)
		assert_int_equal(kf_entry(&f, UT, i), 0);
	assert_true(pgsim_kernel_is_kernel_entry(f.k, 511));
	assert_false(pgsim_kernel_is_kernel_entry(f.k, 510));
	kf_free(&f);
}

/* Entries for each table map: PML4E, PDPTE, PDE point at the next table
 * with P|RW|US plus PWT/PCD from the map's attr. */
static void test_table_entries(void **state)
{
	(void)state;
	struct kfix f;
	setup(&f);
	kf_map_ok(&f, "pdpt", "pml4", 0, 0, 0);
	kf_map_ok(&f, "pd", "pml4", 0, 0, 3);   /* WT|CD -> PWT|PCD */
	kf_map_ok(&f, "pt", "pml4", 0, 0, 1);   /* WT -> PWT */
	assert_int_equal(kf_entry(&f, UT, 0), 0x10001007);
	assert_int_equal(kf_entry(&f, UT + 0x1000, 0), 0x1000201f);
	assert_int_equal(kf_entry(&f, UT + 0x2000, 0), 0x1000300f);
	/* spec 5.1 vector: PDE -> PT at 0x5000, default attr = 0x5007 */
	assert_int_equal(pgsim_kernel_add_untyped(f.k, "u5000", 0x5000, 12, false), 0);
	kf_retype_from(&f, "u5000", "page_table", 0, "pt5000");
	kf_map_ok(&f, "pt5000", "pml4", 0x200000, 0, 0);
	assert_int_equal(kf_entry(&f, UT + 0x2000, 1), 0x5007);
	struct pgsim_kcap_info in = kf_cap(&f, "pt5000");
	assert_true(in.mapped);
	assert_int_equal(in.asid, 1);
	assert_int_equal(in.vaddr, 0x200000);
	kf_free(&f);
}

/* Unmap label with another cap to the table -> RevokeFirst; the final
 * cap unmaps. */
static void test_table_unmap_revoke_first(void **state)
{
	(void)state;
	struct kfix f;
	setup(&f);
	kf_x64_tables(&f, 0);
	struct pgsim_kres r = kf_copy(&f, "pt", "pt_copy", RW);
	kf_expect(&r, PGSIM_SEL4_NO_ERROR);
	r = kf_unmap(&f, "pt");
	kf_expect(&r, PGSIM_SEL4_REVOKE_FIRST);
	assert_int_equal(kf_entry(&f, UT + 0x2000, 0), 0x10003007);
	kf_delete(&f, "pt_copy");
	r = kf_unmap(&f, "pt");
	kf_expect(&r, PGSIM_SEL4_NO_ERROR);
	assert_int_equal(kf_entry(&f, UT + 0x2000, 0), 0);
	assert_false(kf_cap(&f, "pt").mapped);
	kf_free(&f);
}

/* Labels a table type does not answer to -> IllegalOperation; a PML4
 * cap answers to nothing (decodeX86ModeMMUInvocation). */
static void test_table_illegal(void **state)
{
	(void)state;
	struct kfix f;
	setup(&f);
	struct pgsim_kres r = raw(&f, PGSIM_KL_PAGE_DIRECTORY_MAP, "pt", 2, 0, 1, "pml4");
	kf_expect(&r, PGSIM_SEL4_ILLEGAL_OPERATION);
	r = raw(&f, PGSIM_KL_PDPT_MAP, "pd", 2, 0, 1, "pml4");
	kf_expect(&r, PGSIM_SEL4_ILLEGAL_OPERATION);
	r = raw(&f, PGSIM_KL_PAGE_MAP, "pdpt", 3, 0, 1, "pml4");
	kf_expect(&r, PGSIM_SEL4_ILLEGAL_OPERATION);
	r = raw(&f, PGSIM_KL_PAGE_TABLE_MAP, "pml4", 2, 0, 1, "pml4");
	kf_expect(&r, PGSIM_SEL4_ILLEGAL_OPERATION);
	r = kf_map(&f, "pml4", "pml4", 0, 0, 0);
	kf_expect(&r, PGSIM_SEL4_ILLEGAL_OPERATION);
	r = kf_unmap(&f, "pml4");
	kf_expect(&r, PGSIM_SEL4_ILLEGAL_OPERATION);
	kf_free(&f);
}

/* Fewer than 2 words or no extra cap -> TruncatedMessage (before the
 * already-mapped check). */
static void test_table_truncated(void **state)
{
	(void)state;
	struct kfix f;
	setup(&f);
	kf_map_ok(&f, "pdpt", "pml4", 0, 0, 0);
	struct pgsim_kres r = raw(&f, PGSIM_KL_PDPT_MAP, "pdpt", 1, 0, 1, "pml4");
	kf_expect(&r, PGSIM_SEL4_TRUNCATED_MESSAGE);
	r = raw(&f, PGSIM_KL_PAGE_TABLE_MAP, "pt", 2, 0, 0, NULL);
	kf_expect(&r, PGSIM_SEL4_TRUNCATED_MESSAGE);
	kf_free(&f);
}

/* Already mapped -> InvalidCapability 0, checked before the vspace. */
static void test_table_already_mapped(void **state)
{
	(void)state;
	struct kfix f;
	setup(&f);
	kf_map_ok(&f, "pdpt", "pml4", 0, 0, 0);
	struct pgsim_kres r = kf_map(&f, "pdpt", "pml4", 0x8000000000ull, 0, 0);
	kf_expect(&r, PGSIM_SEL4_INVALID_CAPABILITY);
	assert_int_equal(r.cap, 0);
	r = kf_map(&f, "pdpt", "frame", 0x8000000000ull, 0, 0);
	kf_expect(&r, PGSIM_SEL4_INVALID_CAPABILITY);
	assert_int_equal(r.cap, 0);
	kf_free(&f);
}

/* The vaddr is silently masked to what one parent entry covers (PT: 2 MiB,
 * PD: 1 GiB, PDPT: 512 GiB) and the cap records the masked address
 * (spec 2.3: PT map at 0x7fffffffF123 -> 0x7fffffe00000, allowed). */
static void test_table_masking(void **state)
{
	(void)state;
	struct kfix f;
	setup(&f);
	kf_map_ok(&f, "pdpt", "pml4", 0x7fffffffffffull, 0, 0);
	assert_int_equal(kf_cap(&f, "pdpt").vaddr, 0x7f8000000000ull);
	kf_map_ok(&f, "pd", "pml4", 0x7fffffffffffull, 0, 0);
	assert_int_equal(kf_cap(&f, "pd").vaddr, 0x7fffc0000000ull);
	kf_map_ok(&f, "pt", "pml4", 0x7ffffffff123ull, 0, 0);
	assert_int_equal(kf_cap(&f, "pt").vaddr, 0x7fffffe00000ull);
	/* PML4[255] -> PDPT[511] -> PD[511] -> PT */
	assert_int_equal(kf_entry(&f, UT, 255), 0x10001007);
	assert_int_equal(kf_entry(&f, UT + 0x1000, 511), 0x10002007);
	assert_int_equal(kf_entry(&f, UT + 0x2000, 511), 0x10003007);
	kf_free(&f);
}

/* Check 4: vspace wrong type or unassigned -> InvalidCapability 1. */
static void test_table_bad_vspace(void **state)
{
	(void)state;
	struct kfix f;
	setup(&f);
	kf_retype(&f, "pml4", "pml4b");
	struct pgsim_kres r = kf_map(&f, "pdpt", "pml4b", 0, 0, 0);
	kf_expect(&r, PGSIM_SEL4_INVALID_CAPABILITY);
	assert_int_equal(r.cap, 1);
	r = kf_map(&f, "pdpt", "pd", 0, 0, 0);
	kf_expect(&r, PGSIM_SEL4_INVALID_CAPABILITY);
	assert_int_equal(r.cap, 1);
	kf_free(&f);
}

/* Check 5: masked vaddr > USER_TOP -> InvalidArgument 0. */
static void test_table_too_high(void **state)
{
	(void)state;
	struct kfix f;
	setup(&f);
	struct pgsim_kres r = kf_map(&f, "pdpt", "pml4", 0x800000000000ull, 0, 0);
	kf_expect(&r, PGSIM_SEL4_INVALID_ARGUMENT);
	assert_int_equal(r.arg, 0);
	r = kf_map(&f, "pt", "pml4", 0xffffffff80000000ull, 0, 0);
	kf_expect(&r, PGSIM_SEL4_INVALID_ARGUMENT);
	/* the kernel's own PML4[511] is therefore never reachable */
	r = kf_map(&f, "pdpt", "pml4", 0xffffff8000000000ull, 0, 0);
	kf_expect(&r, PGSIM_SEL4_INVALID_ARGUMENT);
	kf_free(&f);
}

/* Checks 6/7: ASID gone -> FailedLookup InvalidRoot; ASID now names
 * another root -> InvalidCapability 1. */
static void test_table_asid(void **state)
{
	(void)state;
	struct kfix f;
	setup(&f);
	kf_retype(&f, "pml4", "pml4b");
	kf_retype_from(&f, "ut", "untyped", 12, "ut_pool");
	struct pgsim_kres r;
	assert_int_equal(pgsim_kernel_delete(f.k, "asid_pool", &r), 0);
	r = kf_map(&f, "pdpt", "pml4", 0, 0, 0);
	kf_expect(&r, PGSIM_SEL4_FAILED_LOOKUP);
	assert_int_equal(r.lookup, PGSIM_SEL4_LOOKUP_INVALID_ROOT);
	assert_int_equal(pgsim_kernel_make_pool(f.k, "asid_control", "ut_pool", "asid_pool", &r), 0);
	kf_expect(&r, PGSIM_SEL4_NO_ERROR);
	kf_assign(&f, "pml4b");
	r = kf_map(&f, "pdpt", "pml4", 0, 0, 0);
	kf_expect(&r, PGSIM_SEL4_INVALID_CAPABILITY);
	assert_int_equal(r.cap, 1);
	kf_map_ok(&f, "pdpt", "pml4b", 0, 0, 0);
	kf_free(&f);
}

/* Check 8: the walk to the parent slot fails: PT needs a PDPT (39) and a
 * PD (30); PD needs a PDPT (39); PDPT never fails this way. */
static void test_table_failed_levels(void **state)
{
	(void)state;
	struct kfix f;
	setup(&f);
	struct pgsim_kres r = kf_map(&f, "pt", "pml4", 0, 0, 0);
	kf_expect_missing(&r, 39);
	r = kf_map(&f, "pd", "pml4", 0, 0, 0);
	kf_expect_missing(&r, 39);
	kf_map_ok(&f, "pdpt", "pml4", 0, 0, 0);
	r = kf_map(&f, "pt", "pml4", 0, 0, 0);
	kf_expect_missing(&r, 30);
	assert_false(kf_cap(&f, "pt").mapped);
	kf_free(&f);
}

/* Check 9: the parent slot is present (a table or a large page) ->
 * DeleteFirst, for PT, PD and PDPT. */
static void test_table_delete_first(void **state)
{
	(void)state;
	struct kfix f;
	setup(&f);
	kf_retype(&f, "pdpt", "pdpt2");
	kf_retype(&f, "page_directory", "pd2");
	kf_retype(&f, "page_table", "pt2");
	kf_retype(&f, "large_page", "f2m");
	kf_x64_tables(&f, 0);
	struct pgsim_kres r = kf_map(&f, "pdpt2", "pml4", 0, 0, 0);
	kf_expect(&r, PGSIM_SEL4_DELETE_FIRST);
	r = kf_map(&f, "pd2", "pml4", 0, 0, 0);
	kf_expect(&r, PGSIM_SEL4_DELETE_FIRST);
	r = kf_map(&f, "pt2", "pml4", 0, 0, 0);
	kf_expect(&r, PGSIM_SEL4_DELETE_FIRST);
	/* a 2 MiB page in PD[1] also blocks a PT there */
	kf_map_ok(&f, "f2m", "pml4", 0x200000, RW, 0);
	r = kf_map(&f, "pt2", "pml4", 0x200000, 0, 0);
	kf_expect(&r, PGSIM_SEL4_DELETE_FIRST);
	assert_false(kf_cap(&f, "pt2").mapped);
	kf_free(&f);
}

/* A 1 GiB page in PDPT[1] blocks a PD there. */
static void test_pd_over_huge(void **state)
{
	(void)state;
	struct kfix f;
	setup(&f);
	assert_int_equal(pgsim_kernel_add_untyped(f.k, "u1g", 0x40000000, 30, false), 0);
	kf_retype_from(&f, "u1g", "huge_page", 0, "f1g");
	kf_map_ok(&f, "pdpt", "pml4", 0, 0, 0);
	kf_map_ok(&f, "f1g", "pml4", 0x40000000, RW, 0);
	struct pgsim_kres r = kf_map(&f, "pd", "pml4", 0x40000000, 0, 0);
	kf_expect(&r, PGSIM_SEL4_DELETE_FIRST);
	kf_free(&f);
}

/* Unmapping a PT clears the PDE and zeroes the PT; the frame cap mapped
 * through it stays "mapped" (stale): its Page_Unmap succeeds and changes
 * nothing; after the PT is mapped again the frame cap can be remapped at
 * its recorded vaddr (remap path), spec 3.1 "Unmap of a table". */
static void test_pt_unmap_zeroes_and_stale_frame(void **state)
{
	(void)state;
	struct kfix f;
	setup(&f);
	kf_x64_tables(&f, 0);
	kf_map_ok(&f, "frame", "pml4", 0x5000, RW, 0);
	assert_int_equal(kf_entry(&f, UT + 0x3000, 5), 0x10004007);
	struct pgsim_kres r = kf_unmap(&f, "pt");
	kf_expect(&r, PGSIM_SEL4_NO_ERROR);
	assert_int_equal(kf_entry(&f, UT + 0x2000, 0), 0);
	assert_int_equal(kf_entry(&f, UT + 0x3000, 5), 0);
	assert_true(kf_cap(&f, "frame").mapped);
	/* the stale frame cap cannot go elsewhere, only remap */
	r = kf_map(&f, "frame", "pml4", 0x6000, RW, 0);
	kf_expect(&r, PGSIM_SEL4_INVALID_ARGUMENT);
	r = kf_map(&f, "frame", "pml4", 0x5000, RW, 0);
	kf_expect_missing(&r, 21);
	kf_map_ok(&f, "pt", "pml4", 0, 0, 0);
	kf_map_ok(&f, "frame", "pml4", 0x5000, RW, 0);
	assert_int_equal(kf_entry(&f, UT + 0x3000, 5), 0x10004007);
	kf_free(&f);
}

/* Unmapping a PD leaves the PT cap stale ("mapped"): mapping it again is
 * InvalidCapability 0 until its own Unmap (which finds no parent link,
 * zeroes the PT and clears IsMapped). */
static void test_pd_unmap_stale_child(void **state)
{
	(void)state;
	struct kfix f;
	setup(&f);
	kf_retype(&f, "page_directory", "pd2");  /* UT + 0x5000 */
	kf_x64_tables(&f, 0);
	kf_map_ok(&f, "frame", "pml4", 0x5000, RW, 0);
	struct pgsim_kres r = kf_unmap(&f, "pd");
	kf_expect(&r, PGSIM_SEL4_NO_ERROR);
	assert_int_equal(kf_entry(&f, UT + 0x1000, 0), 0);
	assert_int_equal(kf_entry(&f, UT + 0x2000, 0), 0);       /* PD zeroed */
	assert_int_equal(kf_entry(&f, UT + 0x3000, 5), 0x10004007); /* PT not */
	kf_map_ok(&f, "pd2", "pml4", 0, 0, 0);
	r = kf_map(&f, "pt", "pml4", 0, 0, 0);
	kf_expect(&r, PGSIM_SEL4_INVALID_CAPABILITY);
	assert_int_equal(r.cap, 0);
	r = kf_unmap(&f, "pt");
	kf_expect(&r, PGSIM_SEL4_NO_ERROR);
	assert_int_equal(kf_entry(&f, UT + 0x3000, 5), 0);
	assert_int_equal(kf_entry(&f, UT + 0x5000, 0), 0);  /* pd2 untouched */
	kf_map_ok(&f, "pt", "pml4", 0, 0, 0);
	assert_int_equal(kf_entry(&f, UT + 0x5000, 0), 0x10003007);
	kf_free(&f);
}

/* PDPT_Unmap clears the PML4E; a second unmap is a no-op success. */
static void test_pdpt_unmap(void **state)
{
	(void)state;
	struct kfix f;
	setup(&f);
	kf_map_ok(&f, "pdpt", "pml4", 0x8000000000ull, 0, 0);
	assert_int_equal(kf_entry(&f, UT, 1), 0x10001007);
	struct pgsim_kres r = kf_unmap(&f, "pdpt");
	kf_expect(&r, PGSIM_SEL4_NO_ERROR);
	assert_int_equal(kf_entry(&f, UT, 1), 0);
	r = kf_unmap(&f, "pdpt");
	kf_expect(&r, PGSIM_SEL4_NO_ERROR);
	kf_free(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kernel_window_entry),
		cmocka_unit_test(test_table_entries),
		cmocka_unit_test(test_table_unmap_revoke_first),
		cmocka_unit_test(test_table_illegal),
		cmocka_unit_test(test_table_truncated),
		cmocka_unit_test(test_table_already_mapped),
		cmocka_unit_test(test_table_masking),
		cmocka_unit_test(test_table_bad_vspace),
		cmocka_unit_test(test_table_too_high),
		cmocka_unit_test(test_table_asid),
		cmocka_unit_test(test_table_failed_levels),
		cmocka_unit_test(test_table_delete_first),
		cmocka_unit_test(test_pd_over_huge),
		cmocka_unit_test(test_pt_unmap_zeroes_and_stale_frame),
		cmocka_unit_test(test_pd_unmap_stale_child),
		cmocka_unit_test(test_pdpt_unmap),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
