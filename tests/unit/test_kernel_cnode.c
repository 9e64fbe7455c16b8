/* seL4 kernel model: CNode Copy / Mint / Move / Delete / Revoke and the
 * derivation rules of spec 1.4 (Arch_deriveCap, Arch_finaliseCap), on
 * x86_64.  Fixture as test_kernel_x86.c: pml4 0x10000000 (ASID 1), pdpt
 * +0x1000, pd +0x2000, pt +0x3000, frame +0x4000; tables for VA 0 mapped
 * by tables(): PT entries for VA 0x5000/0x6000 are PT[5]/PT[6].
 */
#include "test_kernel_util.h"

#define UT 0x10000000ull
#define PT (UT + 0x3000)
#define RW PGSIM_SEL4_READ_WRITE

/* the header comment's objects, the pml4 not assigned */
static void setup(struct kfix *f)
{
	kf_x64_objects(f, UT, false);
}

/* ... assigned ASID 1, with pdpt, pd, pt mapped for VA 0 */
static void tables(struct kfix *f)
{
	kf_x64_objects(f, UT, true);
	kf_x64_tables(f, 0);
}

/* An unassigned root cannot be copied (IllegalOperation), an assigned one
 * can; likewise an unmapped page table / PD / PDPT. */
static void test_copy_unmapped_tables(void **state)
{
	(void)state;
	struct kfix f;
	setup(&f);
	const char *t[] = { "pml4", "pdpt", "pd", "pt" };
	for (unsigned i = 0; i < 4; i++) {
		struct pgsim_kres r = kf_copy(&f, t[i], "c", RW);
		kf_expect(&r, PGSIM_SEL4_ILLEGAL_OPERATION);
		assert_int_equal(kf_cap(&f, "c").type, PGSIM_KCAP_NULL);
	}
	kf_assign(&f, "pml4");
	kf_map_ok(&f, "pdpt", "pml4", 0, 0, 0);
	struct pgsim_kres r = kf_copy(&f, "pml4", "c1", RW);
	kf_expect(&r, PGSIM_SEL4_NO_ERROR);
	r = kf_copy(&f, "pdpt", "c2", RW);
	kf_expect(&r, PGSIM_SEL4_NO_ERROR);
	struct pgsim_kcap_info in = kf_cap(&f, "c2");
	assert_true(in.mapped);
	assert_int_equal(in.asid, 1);
	assert_string_equal(in.parent, "pdpt");
	assert_false(in.final);
	kf_free(&f);
}

/* A frame copy is unmapped; it maps at a second address (shared memory:
 * both entries name the same frame), while the original cap cannot map
 * a second time. */
static void test_copy_frame_shared(void **state)
{
	(void)state;
	struct kfix f;
	tables(&f);
	kf_map_ok(&f, "frame", "pml4", 0x5000, RW, 0);
	struct pgsim_kres r = kf_copy(&f, "frame", "shared", RW);
	kf_expect(&r, PGSIM_SEL4_NO_ERROR);
	assert_false(kf_cap(&f, "shared").mapped);
	kf_map_ok(&f, "shared", "pml4", 0x6000, RW, 0);
	assert_int_equal(kf_entry(&f, PT, 5), 0x10004007);
	assert_int_equal(kf_entry(&f, PT, 6), 0x10004007);
	r = kf_map(&f, "frame", "pml4", 0x7000, RW, 0);
	kf_expect(&r, PGSIM_SEL4_INVALID_ARGUMENT);
	kf_free(&f);
}

/* FRAMEDIPC0003: deleting a frame cap (final or not) removes that cap's
 * own mapping and no other. */
static void test_delete_frame_unmaps(void **state)
{
	(void)state;
	struct kfix f;
	tables(&f);
	kf_map_ok(&f, "frame", "pml4", 0x5000, RW, 0);
	struct pgsim_kres r = kf_copy(&f, "frame", "shared", RW);
	kf_map_ok(&f, "shared", "pml4", 0x6000, RW, 0);
	r = kf_delete(&f, "shared");
	kf_expect(&r, PGSIM_SEL4_NO_ERROR);
	assert_int_equal(kf_entry(&f, PT, 6), 0);
	assert_int_equal(kf_entry(&f, PT, 5), 0x10004007);
	r = kf_delete(&f, "frame");
	kf_expect(&r, PGSIM_SEL4_NO_ERROR);
	assert_int_equal(kf_entry(&f, PT, 5), 0);
	/* deleting an empty slot is fine */
	r = kf_delete(&f, "frame");
	kf_expect(&r, PGSIM_SEL4_NO_ERROR);
	kf_free(&f);
}

/* Deleting a copy of a mapped PT does nothing; deleting the last cap
 * unlinks the PT from its PD, without clearing the PT's entries. */
static void test_delete_last_table_cap(void **state)
{
	(void)state;
	struct kfix f;
	tables(&f);
	kf_map_ok(&f, "frame", "pml4", 0x5000, RW, 0);
	struct pgsim_kres r = kf_copy(&f, "pt", "ptc", RW);
	kf_expect(&r, PGSIM_SEL4_NO_ERROR);
	r = kf_delete(&f, "pt");
	kf_expect(&r, PGSIM_SEL4_NO_ERROR);
	assert_int_equal(kf_entry(&f, UT + 0x2000, 0), 0x10003007);
	assert_true(kf_cap(&f, "ptc").final);
	r = kf_delete(&f, "ptc");
	kf_expect(&r, PGSIM_SEL4_NO_ERROR);
	assert_int_equal(kf_entry(&f, UT + 0x2000, 0), 0);
	assert_int_equal(kf_entry(&f, PT, 5), 0x10004007);
	kf_free(&f);
}

/* Deleting the last root cap frees its ASID (deleteASID): a copy of the
 * root still names ASID 1 but no longer resolves (InvalidRoot) -- until
 * another root takes ASID 1. */
static void test_delete_root(void **state)
{
	(void)state;
	struct kfix f;
	tables(&f);
	kf_retype(&f, "pml4", "pml4b");
	struct pgsim_kres r = kf_copy(&f, "pml4", "pml4c", RW);
	kf_expect(&r, PGSIM_SEL4_NO_ERROR);
	r = kf_delete(&f, "pml4");
	pgsim_pa_t pa;
	assert_int_equal(pgsim_kernel_asid_root(f.k, 1, &pa), 0);  /* copy holds it */
	r = kf_delete(&f, "pml4c");
	assert_int_equal(pgsim_kernel_asid_root(f.k, 1, &pa), -ENOENT);
	kf_assign(&f, "pml4b");
	assert_int_equal(kf_cap(&f, "pml4b").asid, 1);
	kf_free(&f);
}

/* Copy sources and destinations (decodeCNodeInvocation order): an
 * occupied destination -> DeleteFirst (before the source is looked at);
 * an empty source -> FailedLookup, failedLookupWasSource = 1,
 * MissingCapability with bitsLeft = the source depth (64). */
static void test_copy_slots(void **state)
{
	(void)state;
	struct kfix f;
	setup(&f);
	struct pgsim_kres r = kf_copy(&f, "nothing", "pml4", RW);
	kf_expect(&r, PGSIM_SEL4_DELETE_FIRST);
	r = kf_copy(&f, "nothing", "c", RW);
	kf_expect(&r, PGSIM_SEL4_FAILED_LOOKUP);
	assert_true(r.lookup_source);
	assert_int_equal(r.lookup, PGSIM_SEL4_LOOKUP_MISSING_CAPABILITY);
	assert_int_equal(r.bits_left, 64);
	assert_int_equal(r.n_mr, 3);
	assert_int_equal(r.mr[0], 1);
	assert_int_equal(r.mr[1], 2);
	assert_int_equal(r.mr[2], 64);
	assert_int_equal(pgsim_kernel_move(f.k, "nothing", "c", &r), 0);
	kf_expect(&r, PGSIM_SEL4_FAILED_LOOKUP);
	kf_free(&f);
}

/* Mint narrows VM rights like Copy (the badge changes nothing for these
 * caps); write-only masks to KernelOnly. */
static void test_mint_rights(void **state)
{
	(void)state;
	struct kfix f;
	tables(&f);
	struct pgsim_kres r;
	assert_int_equal(pgsim_kernel_mint(f.k, "frame", "ro", PGSIM_SEL4_CAN_READ, 42, &r), 0);
	kf_expect(&r, PGSIM_SEL4_NO_ERROR);
	assert_int_equal(kf_cap(&f, "ro").rights, PGSIM_VM_READ_ONLY);
	assert_int_equal(pgsim_kernel_mint(f.k, "frame", "ko", PGSIM_SEL4_CAN_WRITE, 0, &r), 0);
	assert_int_equal(kf_cap(&f, "ko").rights, PGSIM_VM_KERNEL_ONLY);
	assert_int_equal(kf_cap(&f, "ko").rights_encoding, 1);
	kf_map_ok(&f, "ko", "pml4", 0x5000, RW, 0);
	assert_int_equal(kf_entry(&f, PT, 5), 0x10004003);
	/* a copy of the read-only cap asked for RW stays read-only */
	r = kf_copy(&f, "ro", "ro2", RW);
	assert_int_equal(kf_cap(&f, "ro2").rights, PGSIM_VM_READ_ONLY);
	kf_free(&f);
}

/* Move keeps the cap (mapping included) and its place in the CDT. */
static void test_move(void **state)
{
	(void)state;
	struct kfix f;
	tables(&f);
	kf_map_ok(&f, "frame", "pml4", 0x5000, RW, 0);
	struct pgsim_kres r;
	assert_int_equal(pgsim_kernel_move(f.k, "frame", "moved", &r), 0);
	kf_expect(&r, PGSIM_SEL4_NO_ERROR);
	assert_int_equal(kf_cap(&f, "frame").type, PGSIM_KCAP_NULL);
	struct pgsim_kcap_info in = kf_cap(&f, "moved");
	assert_true(in.mapped);
	assert_int_equal(in.vaddr, 0x5000);
	assert_string_equal(in.parent, "ut");
	assert_int_equal(pgsim_kernel_move(f.k, "moved", "pt", &r), 0);
	kf_expect(&r, PGSIM_SEL4_DELETE_FIRST);
	kf_unmap(&f, "moved");
	assert_int_equal(kf_entry(&f, PT, 5), 0);
	kf_free(&f);
}

/* Revoke of a frame cap deletes its copies (each unmapping its own
 * mapping) and keeps the cap itself; revoking a copy deletes nothing
 * (copies are siblings, not children, of each other). */
static void test_revoke_frame(void **state)
{
	(void)state;
	struct kfix f;
	tables(&f);
	kf_map_ok(&f, "frame", "pml4", 0x5000, RW, 0);
	kf_copy(&f, "frame", "c1", RW);
	kf_copy(&f, "c1", "c2", RW);
	assert_string_equal(kf_cap(&f, "c2").parent, "frame");
	kf_map_ok(&f, "c1", "pml4", 0x6000, RW, 0);
	kf_map_ok(&f, "c2", "pml4", 0x7000, RW, 0);
	struct pgsim_kres r;
	assert_int_equal(pgsim_kernel_revoke(f.k, "c1", &r), 0);
	kf_expect(&r, PGSIM_SEL4_NO_ERROR);
	assert_int_equal(kf_cap(&f, "c2").type, PGSIM_KCAP_FRAME);
	assert_int_equal(pgsim_kernel_revoke(f.k, "frame", &r), 0);
	kf_expect(&r, PGSIM_SEL4_NO_ERROR);
	assert_int_equal(kf_cap(&f, "c1").type, PGSIM_KCAP_NULL);
	assert_int_equal(kf_cap(&f, "c2").type, PGSIM_KCAP_NULL);
	assert_int_equal(kf_entry(&f, PT, 5), 0x10004007);
	assert_int_equal(kf_entry(&f, PT, 6), 0);
	assert_int_equal(kf_entry(&f, PT, 7), 0);
	assert_true(kf_cap(&f, "frame").mapped);
	kf_free(&f);
}

/* Revoking the untyped deletes every object made from it: frames unmap,
 * the root loses ASID 1, and the next root assigned gets ASID 1. */
static void test_revoke_untyped(void **state)
{
	(void)state;
	struct kfix f;
	tables(&f);
	assert_int_equal(pgsim_kernel_add_untyped(f.k, "ut2", 0x20000000, 16, false), 0);
	kf_retype_from(&f, "ut2", "pml4", 0, "keep");
	kf_map_ok(&f, "frame", "pml4", 0x5000, RW, 0);
	kf_copy(&f, "frame", "fc", RW);
	struct pgsim_kres r;
	assert_int_equal(pgsim_kernel_revoke(f.k, "ut", &r), 0);
	kf_expect(&r, PGSIM_SEL4_NO_ERROR);
	assert_int_equal(pgsim_kernel_n_caps(f.k), 5); /* control, pool, ut, ut2, keep */
	assert_int_equal(kf_entry(&f, PT, 5), 0);
	kf_assign(&f, "keep");
	assert_int_equal(kf_cap(&f, "keep").asid, 1);
	kf_free(&f);
}

/* Revoke follows seL4's MDB order: Retype puts each new cap right after
 * the untyped, so the list is ut, frame, pt, pd, pdpt, pml4 (newest first)
 * and revoke deletes the frame (PT[5] cleared), the PT (PD[0] cleared,
 * the PD still reachable), the PD, the PDPT and then the root.  Deleting
 * oldest first would have killed the ASID first and left every pointer in
 * the dead tables. */
static void test_revoke_order(void **state)
{
	(void)state;
	struct kfix f;
	tables(&f);
	kf_map_ok(&f, "frame", "pml4", 0x5000, RW, 0);
	struct pgsim_kres r;
	assert_int_equal(pgsim_kernel_revoke(f.k, "ut", &r), 0);
	assert_int_equal(kf_entry(&f, PT, 5), 0);
	assert_int_equal(kf_entry(&f, UT + 0x2000, 0), 0);
	assert_int_equal(kf_entry(&f, UT + 0x1000, 0), 0);
	assert_int_equal(kf_entry(&f, UT, 0), 0);
	kf_free(&f);
}

/* An untyped with children cannot be copied (RevokeFirst); a copied
 * untyped leaves its source "full" (setUntypedCapAsFull), so the source
 * cannot allocate while the copy exists. */
static void test_copy_untyped(void **state)
{
	(void)state;
	struct kfix f;
	kf_init(&f, "x86_64", UT, 24);
	assert_int_equal(pgsim_kernel_add_untyped(f.k, "u2", 0x20000000, 16, false), 0);
	kf_retype(&f, "frame", "a");
	struct pgsim_kres r = kf_copy(&f, "ut", "utc", RW);
	kf_expect(&r, PGSIM_SEL4_REVOKE_FIRST);
	r = kf_copy(&f, "u2", "u2c", RW);
	kf_expect(&r, PGSIM_SEL4_NO_ERROR);
	assert_string_equal(kf_cap(&f, "u2c").parent, "u2");
	const char *d[] = { "x" };
	assert_int_equal(pgsim_kernel_retype(f.k, "u2", "frame", 0, d, 1, &r), 0);
	kf_expect(&r, PGSIM_SEL4_NOT_ENOUGH_MEMORY);
	assert_int_equal(r.memory_left, 0);
	kf_retype_from(&f, "u2c", "frame", 0, "x");
	assert_int_equal(kf_pa(&f, "x"), 0x20000000);
	kf_free(&f);
}

/* Cap enumeration is in slot-fill order and skips empty slots. */
static void test_cap_enumeration(void **state)
{
	(void)state;
	struct kfix f;
	setup(&f);
	assert_int_equal(pgsim_kernel_n_caps(f.k), 8);
	struct pgsim_kcap_info in;
	assert_int_equal(pgsim_kernel_cap_at(f.k, 0, &in), 0);
	assert_string_equal(in.slot, "asid_control");
	assert_int_equal(in.type, PGSIM_KCAP_ASID_CONTROL);
	assert_int_equal(pgsim_kernel_cap_at(f.k, 1, &in), 0);
	assert_string_equal(in.slot, "asid_pool");
	kf_delete(&f, "pdpt");
	assert_int_equal(pgsim_kernel_n_caps(f.k), 7);
	assert_int_equal(pgsim_kernel_cap_at(f.k, 4, &in), 0);
	assert_string_equal(in.slot, "pd");
	assert_int_equal(pgsim_kernel_cap_at(f.k, 7, &in), -ENOENT);
	kf_free(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_copy_unmapped_tables),
		cmocka_unit_test(test_copy_frame_shared),
		cmocka_unit_test(test_delete_frame_unmaps),
		cmocka_unit_test(test_delete_last_table_cap),
		cmocka_unit_test(test_delete_root),
		cmocka_unit_test(test_copy_slots),
		cmocka_unit_test(test_mint_rights),
		cmocka_unit_test(test_move),
		cmocka_unit_test(test_revoke_frame),
		cmocka_unit_test(test_revoke_untyped),
		cmocka_unit_test(test_revoke_order),
		cmocka_unit_test(test_copy_untyped),
		cmocka_unit_test(test_cap_enumeration),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
