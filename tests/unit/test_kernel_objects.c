/* seL4 kernel model: Untyped_Retype (decodeUntypedInvocation check order,
 * watermark, alignment, reset/zeroing, device untyped) and the ASID
 * invocations (ASIDControl_MakePool, ASIDPool_Assign; sel4test
 * VSPACE0002-0005), on x86_64 unless stated.
 */
#include "test_kernel_util.h"

#define UT 0x10000000ull

static struct pgsim_kres retype_n(struct kfix *f, const char *ut, const char *type,
				  unsigned size, const char *const *d, unsigned n)
{
	struct pgsim_kres r;
	assert_int_equal(pgsim_kernel_retype(f->k, ut, type, size, d, n, &r), 0);
	return r;
}

/* Objects go at the watermark aligned up to their size: 4K at UT, then a
 * 2 MiB page at UT+0x200000 (watermark 0x400000), then 3 frames at
 * UT+0x400000.. in one call. */
static void test_retype_layout(void **state)
{
	(void)state;
	struct kfix f;
	kf_init(&f, "x86_64", UT, 24);
	kf_retype(&f, "frame", "a");
	assert_int_equal(kf_pa(&f, "a"), UT);
	assert_int_equal(kf_cap(&f, "ut").watermark, 0x1000);
	kf_retype(&f, "large_page", "b");
	assert_int_equal(kf_pa(&f, "b"), UT + 0x200000);
	assert_int_equal(kf_cap(&f, "ut").watermark, 0x400000);
	const char *d[] = { "c0", "c1", "c2" };
	struct pgsim_kres r = retype_n(&f, "ut", "frame", 0, d, 3);
	kf_expect(&r, PGSIM_SEL4_NO_ERROR);
	assert_int_equal(kf_pa(&f, "c0"), UT + 0x400000);
	assert_int_equal(kf_pa(&f, "c2"), UT + 0x402000);
	struct pgsim_kcap_info in = kf_cap(&f, "c1");
	assert_int_equal(in.type, PGSIM_KCAP_FRAME);
	assert_int_equal(in.rights, PGSIM_VM_READ_WRITE);
	assert_int_equal(in.rights_encoding, 3);
	assert_string_equal(in.parent, "ut");
	assert_string_equal(in.obj_type->sel4_name, "seL4_X86_4K");
	assert_int_equal(in.obj_type->number, 8);
	kf_free(&f);
}

/* (free >> size) < n -> NotEnoughMemory with memoryLeft = free bytes
 * (MR0); nothing is created. */
static void test_retype_not_enough_memory(void **state)
{
	(void)state;
	struct kfix f;
	kf_init(&f, "x86_64", UT, 21);
	kf_retype(&f, "frame", "a");
	const char *d[] = { "b" };
	struct pgsim_kres r = retype_n(&f, "ut", "large_page", 0, d, 1);
	kf_expect(&r, PGSIM_SEL4_NOT_ENOUGH_MEMORY);
	assert_int_equal(r.memory_left, 0x1ff000);
	assert_int_equal(r.n_mr, 1);
	assert_int_equal(r.mr[0], 0x1ff000);
	assert_int_equal(kf_cap(&f, "b").type, PGSIM_KCAP_NULL);
	/* 511 more frames fit, 512 do not */
	const char *many[512];
	char names[512][8];
	for (unsigned i = 0; i < 512; i++) {
		snprintf(names[i], sizeof names[i], "f%u", i);
		many[i] = names[i];
	}
	r = retype_n(&f, "ut", "frame", 0, many, 256);
	kf_expect(&r, PGSIM_SEL4_NO_ERROR);
	r = retype_n(&f, "ut", "frame", 0, many + 256, 256);
	kf_expect(&r, PGSIM_SEL4_NOT_ENOUGH_MEMORY);
	assert_int_equal(r.memory_left, 255 * 0x1000);
	kf_free(&f);
}

/* userObjSize >= wordBits or object size > seL4_MaxUntypedBits (47) ->
 * RangeError(0, 47); an untyped below seL4_MinUntypedBits (4) ->
 * InvalidArgument 1; window 0 or > 256 -> RangeError(1, 256). */
static void test_retype_sizes(void **state)
{
	(void)state;
	struct kfix f;
	kf_init(&f, "x86_64", UT, 24);
	const char *d[] = { "x" };
	struct pgsim_kres r = retype_n(&f, "ut", "untyped", 64, d, 1);
	kf_expect(&r, PGSIM_SEL4_RANGE_ERROR);
	assert_int_equal(r.range_min, 0);
	assert_int_equal(r.range_max, 47);
	r = retype_n(&f, "ut", "untyped", 48, d, 1);
	kf_expect(&r, PGSIM_SEL4_RANGE_ERROR);
	r = retype_n(&f, "ut", "frame", 64, d, 1);
	kf_expect(&r, PGSIM_SEL4_RANGE_ERROR);
	r = retype_n(&f, "ut", "untyped", 3, d, 1);
	kf_expect(&r, PGSIM_SEL4_INVALID_ARGUMENT);
	assert_int_equal(r.arg, 1);
	r = retype_n(&f, "ut", "frame", 0, d, 0);
	kf_expect(&r, PGSIM_SEL4_RANGE_ERROR);
	assert_int_equal(r.range_min, 1);
	assert_int_equal(r.range_max, 256);
	kf_free(&f);
}

/* A type number past seL4_ObjectTypeCount (x86_64: 12) -> InvalidArgument
 * 0; an occupied destination slot -> DeleteFirst and nothing moves; an
 * unknown type name is a usage error (-ENOENT). */
static void test_retype_type_and_dest(void **state)
{
	(void)state;
	struct kfix f;
	kf_init(&f, "x86_64", UT, 24);
	const char *d[] = { "x", "asid_pool" };
	struct pgsim_kinv inv = { .label = PGSIM_KL_UNTYPED_RETYPE, .cap = "ut", .n_words = 6,
				  .w = { 12, 0, 0, 0, 0, 1 }, .n_extra = 1, .extra = { "" },
				  .dest = d, .n_dest = 1 };
	struct pgsim_kres r = kf_invoke(&f, &inv);
	kf_expect(&r, PGSIM_SEL4_INVALID_ARGUMENT);
	assert_int_equal(r.arg, 0);
	inv.n_words = 5;
	r = kf_invoke(&f, &inv);
	kf_expect(&r, PGSIM_SEL4_TRUNCATED_MESSAGE);
	r = retype_n(&f, "ut", "frame", 0, d, 2);
	kf_expect(&r, PGSIM_SEL4_DELETE_FIRST);
	assert_int_equal(kf_cap(&f, "x").type, PGSIM_KCAP_NULL);
	assert_int_equal(kf_cap(&f, "ut").watermark, 1ull << 24); /* still "full" */
	assert_int_equal(pgsim_kernel_retype(f.k, "ut", "tcb_of_doom", 0, d, 1, &r), -ENOENT);
	/* Retype on something that is not an untyped: that cap's decode
	 * rejects the label */
	kf_retype(&f, "frame", "fr");
	r = retype_n(&f, "fr", "frame", 0, d, 1);
	kf_expect(&r, PGSIM_SEL4_ILLEGAL_OPERATION);
	kf_free(&f);
}

/* Device untyped: frames only (a table -> InvalidArgument 1), and device
 * memory is never cleared; ordinary boot untyped memory is cleared by the
 * first Retype (resetUntypedCap), whatever was there. */
static void test_retype_device_and_zeroing(void **state)
{
	(void)state;
	struct kfix f;
	kf_init(&f, "x86_64", UT, 24);
	assert_int_equal(pgsim_kernel_add_untyped(f.k, "dev", 0xfe000000, 16, true), 0);
	tu_put(f.mem, 0xfe000010, 8, 0x1122334455667788ull);
	tu_put(f.mem, UT + 0x10, 8, 0xdeadbeef);
	tu_put(f.mem, UT + 0xfff000, 8, 0xdeadbeef);
	const char *d[] = { "x" };
	struct pgsim_kres r = retype_n(&f, "dev", "page_table", 0, d, 1);
	kf_expect(&r, PGSIM_SEL4_INVALID_ARGUMENT);
	assert_int_equal(r.arg, 1);
	kf_retype_from(&f, "dev", "frame", 0, "devframe");
	assert_true(kf_cap(&f, "devframe").device);
	assert_int_equal(tu_get(f.mem, 0xfe000010, 8), 0x1122334455667788ull);
	kf_retype(&f, "frame", "a");
	assert_int_equal(tu_get(f.mem, UT + 0x10, 8), 0);
	assert_int_equal(tu_get(f.mem, UT + 0xfff000, 8), 0);
	kf_free(&f);
}

/* With no children left (deleted or revoked) the untyped resets: the next
 * object goes back to its base and the used part is zeroed; while a child
 * lives, allocation continues at the watermark. */
static void test_retype_reuse(void **state)
{
	(void)state;
	struct kfix f;
	kf_init(&f, "x86_64", UT, 24);
	kf_retype(&f, "frame", "a");
	kf_retype(&f, "frame", "b");
	assert_int_equal(kf_pa(&f, "b"), UT + 0x1000);
	tu_put(f.mem, UT + 0x1008, 8, 42);
	struct pgsim_kres r;
	assert_int_equal(pgsim_kernel_delete(f.k, "a", &r), 0);
	kf_retype(&f, "frame", "c");
	assert_int_equal(kf_pa(&f, "c"), UT + 0x2000);
	assert_int_equal(pgsim_kernel_revoke(f.k, "ut", &r), 0);
	kf_expect(&r, PGSIM_SEL4_NO_ERROR);
	assert_int_equal(kf_cap(&f, "b").type, PGSIM_KCAP_NULL);
	assert_int_equal(kf_cap(&f, "c").type, PGSIM_KCAP_NULL);
	kf_retype(&f, "frame", "d");
	assert_int_equal(kf_pa(&f, "d"), UT);
	assert_int_equal(tu_get(f.mem, UT + 0x1008, 8), 0);
	assert_int_equal(kf_cap(&f, "ut").watermark, 0x1000);
	kf_free(&f);
}

/* A child untyped starts empty (watermark 0) at its parent's watermark. */
static void test_retype_child_untyped(void **state)
{
	(void)state;
	struct kfix f;
	kf_init(&f, "x86_64", UT, 24);
	kf_retype(&f, "frame", "a");
	kf_retype_from(&f, "ut", "untyped", 16, "child");
	struct pgsim_kcap_info in = kf_cap(&f, "child");
	assert_int_equal(in.type, PGSIM_KCAP_UNTYPED);
	assert_int_equal(in.pa, UT + 0x10000);
	assert_int_equal(in.size_lg2, 16);
	assert_int_equal(in.watermark, 0);
	kf_retype_from(&f, "child", "frame", 0, "b");
	assert_int_equal(kf_pa(&f, "b"), UT + 0x10000);
	assert_int_equal(kf_cap(&f, "ut").watermark, 0x20000);
	kf_free(&f);
}

/* sel4test VSPACE0003/0004: x86_64 has 8 pools; the boot pool is pool 0,
 * 7 more can be made (bases 512, 1024, ...), then DeleteFirst -- checked
 * before the untyped is even looked at. */
static void test_make_pool_all(void **state)
{
	(void)state;
	struct kfix f;
	kf_init(&f, "x86_64", UT, 24);
	struct pgsim_kres r;
	for (unsigned i = 1; i < 8; i++) {
		char ut[16], pool[16];
		snprintf(ut, sizeof ut, "u%u", i);
		snprintf(pool, sizeof pool, "p%u", i);
		kf_retype_from(&f, "ut", "untyped", 12, ut);
		assert_int_equal(pgsim_kernel_make_pool(f.k, "asid_control", ut, pool, &r), 0);
		kf_expect(&r, PGSIM_SEL4_NO_ERROR);
		assert_int_equal(r.value, i * 512);
		assert_int_equal(kf_cap(&f, pool).asid_base, i * 512);
		assert_string_equal(kf_cap(&f, pool).parent, ut);
		/* the untyped is now full */
		assert_int_equal(kf_cap(&f, ut).watermark, 0x1000);
	}
	kf_retype_from(&f, "ut", "untyped", 12, "u8");
	assert_int_equal(pgsim_kernel_make_pool(f.k, "asid_control", "u8", "p8", &r), 0);
	kf_expect(&r, PGSIM_SEL4_DELETE_FIRST);
	kf_retype(&f, "frame", "notut");
	assert_int_equal(pgsim_kernel_make_pool(f.k, "asid_control", "notut", "p8", &r), 0);
	kf_expect(&r, PGSIM_SEL4_DELETE_FIRST);
	kf_free(&f);
}

/* MakePool errors in order: label, length, untyped not a non-device
 * 12-bit untyped (InvalidCapability 1), untyped with children
 * (RevokeFirst), destination occupied (DeleteFirst). */
static void test_make_pool_errors(void **state)
{
	(void)state;
	struct kfix f;
	kf_init(&f, "x86_64", UT, 24);
	struct pgsim_kres r;
	kf_retype_from(&f, "ut", "untyped", 13, "u13");
	assert_int_equal(pgsim_kernel_make_pool(f.k, "asid_control", "u13", "p", &r), 0);
	kf_expect(&r, PGSIM_SEL4_INVALID_CAPABILITY);
	assert_int_equal(r.cap, 1);
	assert_int_equal(pgsim_kernel_add_untyped(f.k, "dev", 0xfe000000, 12, true), 0);
	assert_int_equal(pgsim_kernel_make_pool(f.k, "asid_control", "dev", "p", &r), 0);
	kf_expect(&r, PGSIM_SEL4_INVALID_CAPABILITY);
	kf_retype(&f, "frame", "fr");
	assert_int_equal(pgsim_kernel_make_pool(f.k, "asid_control", "fr", "p", &r), 0);
	kf_expect(&r, PGSIM_SEL4_INVALID_CAPABILITY);
	kf_retype_from(&f, "ut", "untyped", 12, "u12");
	kf_retype_from(&f, "u12", "frame", 0, "inside");
	assert_int_equal(pgsim_kernel_make_pool(f.k, "asid_control", "u12", "p", &r), 0);
	kf_expect(&r, PGSIM_SEL4_REVOKE_FIRST);
	assert_int_equal(pgsim_kernel_delete(f.k, "inside", &r), 0);
	assert_int_equal(pgsim_kernel_make_pool(f.k, "asid_control", "u12", "fr", &r), 0);
	kf_expect(&r, PGSIM_SEL4_DELETE_FIRST);
	struct pgsim_kinv inv = { .label = PGSIM_KL_ASID_CONTROL_MAKE_POOL, .cap = "asid_control",
				  .n_words = 1, .n_extra = 2, .extra = { "u12", "" } };
	r = kf_invoke(&f, &inv);
	kf_expect(&r, PGSIM_SEL4_TRUNCATED_MESSAGE);
	inv.label = PGSIM_KL_ASID_POOL_ASSIGN;
	r = kf_invoke(&f, &inv);
	kf_expect(&r, PGSIM_SEL4_ILLEGAL_OPERATION);
	assert_int_equal(pgsim_kernel_make_pool(f.k, "asid_control", "u12", "p", &r), 0);
	kf_expect(&r, PGSIM_SEL4_NO_ERROR);
	kf_free(&f);
}

/* VSPACE0002/0005: Assign of an assigned root or of a non-root ->
 * InvalidCapability 1; a new pool takes exactly 512 roots, pool 0 takes
 * 511 (ASID 0 is never given); the next -> DeleteFirst.  ASIDs are the
 * lowest free ones. */
static void test_assign(void **state)
{
	(void)state;
	struct kfix f;
	kf_init(&f, "x86_64", UT, 24);
	static char names[513][8];
	const char *d[513];
	for (unsigned i = 0; i < 513; i++) {
		snprintf(names[i], sizeof names[i], "r%u", i);
		d[i] = names[i];
	}
	struct pgsim_kres r = retype_n(&f, "ut", "pml4", 0, d, 256);
	kf_expect(&r, PGSIM_SEL4_NO_ERROR);
	r = retype_n(&f, "ut", "pml4", 0, d + 256, 256);
	kf_expect(&r, PGSIM_SEL4_NO_ERROR);
	r = retype_n(&f, "ut", "pml4", 0, d + 512, 1);
	kf_expect(&r, PGSIM_SEL4_NO_ERROR);
	kf_retype(&f, "page_table", "pt");
	for (unsigned i = 0; i < 511; i++) {
		assert_int_equal(pgsim_kernel_assign(f.k, "asid_pool", d[i], &r), 0);
		kf_expect(&r, PGSIM_SEL4_NO_ERROR);
		assert_int_equal(r.value, i + 1);
	}
	assert_int_equal(pgsim_kernel_assign(f.k, "asid_pool", d[511], &r), 0);
	kf_expect(&r, PGSIM_SEL4_DELETE_FIRST);
	assert_int_equal(pgsim_kernel_assign(f.k, "asid_pool", d[0], &r), 0);
	kf_expect(&r, PGSIM_SEL4_INVALID_CAPABILITY);
	assert_int_equal(r.cap, 1);
	assert_int_equal(pgsim_kernel_assign(f.k, "asid_pool", "pt", &r), 0);
	kf_expect(&r, PGSIM_SEL4_INVALID_CAPABILITY);
	/* a new pool (base 512) takes 512 */
	kf_retype_from(&f, "ut", "untyped", 12, "up");
	assert_int_equal(pgsim_kernel_make_pool(f.k, "asid_control", "up", "pool1", &r), 0);
	kf_expect(&r, PGSIM_SEL4_NO_ERROR);
	assert_int_equal(pgsim_kernel_assign(f.k, "pool1", d[511], &r), 0);
	assert_int_equal(r.value, 512);
	/* deleting a root frees its ASID; the lowest free is reused */
	assert_int_equal(pgsim_kernel_delete(f.k, d[4], &r), 0);
	assert_int_equal(pgsim_kernel_assign(f.k, "asid_pool", d[512], &r), 0);
	kf_expect(&r, PGSIM_SEL4_NO_ERROR);
	assert_int_equal(r.value, 5);
	kf_free(&f);
}

/* it_asid_reserved: ASID 1 of pool 0 belongs to the initial thread. */
static void test_it_asid(void **state)
{
	(void)state;
	struct kfix f;
	struct pgsim_kernel_opts o = { .it_asid_reserved = true };
	kf_init_opts(&f, "x86_64", UT, 24, &o);
	kf_retype(&f, "pml4", "pml4");
	kf_assign(&f, "pml4");
	assert_int_equal(kf_cap(&f, "pml4").asid, 2);
	kf_free(&f);
}

/* Object-type names: seL4 names with and without prefix/suffix, scenario
 * names and aliases; numbers as libsel4's enum (spec 2.2), MCS +2, and
 * x86_64 without KernelHugePage (huge = 0xfffffffe, the rest shift). */
static void test_type_names(void **state)
{
	(void)state;
	struct kfix f;
	kf_init(&f, "x86_64", UT, 24);
	const struct pgsim_ktype_info *t = pgsim_kernel_type_find(f.k, "seL4_X86_PDPTObject");
	assert_non_null(t);
	assert_ptr_equal(t, pgsim_kernel_type_find(f.k, "X86_PDPT"));
	assert_ptr_equal(t, pgsim_kernel_type_find(f.k, "pdpt"));
	assert_int_equal(t->number, 5);
	assert_int_equal(pgsim_kernel_type_find(f.k, "vspace")->number, 6);
	assert_int_equal(pgsim_kernel_type_find(f.k, "frame_1g")->number, 7);
	assert_int_equal(pgsim_kernel_type_find(f.k, "seL4_X86_4K")->number, 8);
	assert_int_equal(pgsim_kernel_type_find(f.k, "pd")->number, 11);
	assert_null(pgsim_kernel_type_find(f.k, "frame_4m"));
	kf_free(&f);
	struct pgsim_kernel_opts o = { .mcs = true };
	kf_init_opts(&f, "x86_64", UT, 24, &o);
	assert_int_equal(pgsim_kernel_type_find(f.k, "pdpt")->number, 7);
	assert_int_equal(pgsim_kernel_type_find(f.k, "untyped")->number, 0);
	kf_free(&f);
	struct pgsim_kernel_opts nh = { .no_huge_page = true };
	kf_init_opts(&f, "x86_64", UT, 24, &nh);
	assert_int_equal(pgsim_kernel_type_find(f.k, "huge_page")->number, 0xfffffffe);
	assert_int_equal(pgsim_kernel_type_find(f.k, "frame")->number, 7);
	assert_int_equal(pgsim_kernel_type_find(f.k, "pd")->number, 10);
	const char *d[] = { "h" };
	struct pgsim_kres r = retype_n(&f, "ut", "huge_page", 0, d, 1);
	kf_expect(&r, PGSIM_SEL4_INVALID_ARGUMENT);
	assert_int_equal(r.arg, 0);
	kf_free(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_retype_layout),
		cmocka_unit_test(test_retype_not_enough_memory),
		cmocka_unit_test(test_retype_sizes),
		cmocka_unit_test(test_retype_type_and_dest),
		cmocka_unit_test(test_retype_device_and_zeroing),
		cmocka_unit_test(test_retype_reuse),
		cmocka_unit_test(test_retype_child_untyped),
		cmocka_unit_test(test_make_pool_all),
		cmocka_unit_test(test_make_pool_errors),
		cmocka_unit_test(test_assign),
		cmocka_unit_test(test_it_asid),
		cmocka_unit_test(test_type_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
