/* seL4 kernel model: the failed-level-following map helper (what
 * sel4utils' mapping loop does), per architecture: the objects it creates
 * follow the failed levels of spec 4.1 / the bitsLeft -> type table of 4.3,
 * and the frame ends up translating through the walker.
 */
#include "test_kernel_util.h"

#define UT 0x10000000ull
#define RW PGSIM_SEL4_READ_WRITE

struct helper_case {
	const char *arch;
	pgsim_va_t va;
	unsigned n;                 /* objects created for an empty vspace */
	unsigned bits[3];           /* the failed levels, in order */
	const char *types[3];       /* the seL4 types created */
};

static const struct helper_case cases[] = {
	{ "ia32", 0xa0000000, 1, { 22 }, { "seL4_X86_PageTableObject" } },
	{ "x86_64", 0xa000000000ull, 3, { 39, 30, 21 },
	  { "seL4_X86_PDPTObject", "seL4_X86_PageDirectoryObject", "seL4_X86_PageTableObject" } },
	{ "aarch64", 0xa000000000ull, 3, { 39, 30, 21 },
	  { "seL4_ARM_PageTableObject", "seL4_ARM_PageTableObject", "seL4_ARM_PageTableObject" } },
	{ "sv39", 0x20000000, 2, { 30, 21 },
	  { "seL4_RISCV_PageTableObject", "seL4_RISCV_PageTableObject" } },
};

static void setup(struct kfix *f, const char *arch)
{
	kf_init(f, arch, UT, 24);
	kf_retype(f, "vspace", "vs");
	kf_retype(f, "frame", "f1");
	kf_retype(f, "frame", "f2");
	kf_assign(f, "vs");
}

/* Empty vspace: one object per missing level, each recorded with the
 * level that asked for it, slots "<prefix>.<type>.<n>"; a second frame
 * next to the first needs nothing; both translate. */
static void test_helper_builds_levels(void **state)
{
	(void)state;
	for (unsigned i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const struct helper_case *c = &cases[i];
		struct kfix f;
		setup(&f, c->arch);
		uint64_t attr = pgsim_kernel_default_attr(f.k);
		struct pgsim_kmap_report rep;
		struct pgsim_kres r;
		assert_int_equal(pgsim_kernel_map_helper(f.k, "f1", "vs", c->va, RW, attr, "ut",
							 "auto", &rep, &r), 0);
		kf_expect(&r, PGSIM_SEL4_NO_ERROR);
		assert_int_equal(rep.n_created, c->n);
		assert_int_equal(rep.attempts, c->n + 1);
		for (unsigned j = 0; j < c->n; j++) {
			assert_int_equal(rep.created[j].bits_left, c->bits[j]);
			assert_string_equal(rep.created[j].type->sel4_name, c->types[j]);
			struct pgsim_kcap_info in = kf_cap(&f, rep.created[j].slot);
			assert_int_equal(in.type, PGSIM_KCAP_TABLE);
			assert_true(in.mapped);
			assert_int_equal(strncmp(rep.created[j].slot, "auto.", 5), 0);
		}
		assert_int_equal(pgsim_kernel_map_helper(f.k, "f2", "vs", c->va + 0x1000, RW, attr,
							 "ut", "auto", &rep, &r), 0);
		kf_expect(&r, PGSIM_SEL4_NO_ERROR);
		assert_int_equal(rep.n_created, 0);
		assert_int_equal(rep.attempts, 1);
		pgsim_pa_t root;
		assert_int_equal(pgsim_kernel_root_pa(f.k, "vs", &root), 0);
		struct pgsim_translation t = tu_walk(&f.cfg, f.mem, root, c->va + 0x1008,
						     PGSIM_ACCESS_WRITE, true);
		assert_true(t.ok);
		assert_int_equal(t.pa, kf_pa(&f, "f2") + 8);
		kf_free(&f);
	}
}

/* Slot names do not collide: a second vspace region gets ".1" names. */
static void test_helper_names(void **state)
{
	(void)state;
	struct kfix f;
	setup(&f, "x86_64");
	struct pgsim_kmap_report rep;
	struct pgsim_kres r;
	assert_int_equal(pgsim_kernel_map_helper(f.k, "f1", "vs", 0, RW, 0, "ut", "m", &rep, &r), 0);
	assert_string_equal(rep.created[0].slot, "m.pdpt.0");
	assert_string_equal(rep.created[2].slot, "m.page_table.0");
	assert_int_equal(pgsim_kernel_map_helper(f.k, "f2", "vs", 0x8000000000ull, RW, 0, "ut", "m",
						 &rep, &r), 0);
	kf_expect(&r, PGSIM_SEL4_NO_ERROR);
	assert_string_equal(rep.created[0].slot, "m.pdpt.1");
	kf_free(&f);
}

/* When the untyped runs out, the loop stops with the Retype's
 * NotEnoughMemory and reports what it did create. */
static void test_helper_out_of_memory(void **state)
{
	(void)state;
	struct kfix f;
	kf_init(&f, "x86_64", UT, 24);
	assert_int_equal(pgsim_kernel_add_untyped(f.k, "small", 0x20000000, 13, false), 0);
	kf_retype(&f, "vspace", "vs");
	kf_retype(&f, "frame", "f1");
	kf_assign(&f, "vs");
	struct pgsim_kmap_report rep;
	struct pgsim_kres r;
	assert_int_equal(pgsim_kernel_map_helper(f.k, "f1", "vs", 0, RW, 0, "small", "m", &rep, &r), 0);
	kf_expect(&r, PGSIM_SEL4_NOT_ENOUGH_MEMORY);
	assert_int_equal(r.memory_left, 0);
	assert_int_equal(rep.n_created, 2);
	assert_false(kf_cap(&f, "f1").mapped);
	kf_free(&f);
}

/* A failed level no object fills (AArch64 2 MiB over an L3 -> 12) ends the
 * loop with that FailedLookup and nothing created; other errors pass
 * straight through (unaligned -> AlignmentError). */
static void test_helper_stops(void **state)
{
	(void)state;
	struct kfix f;
	setup(&f, "aarch64");
	kf_retype(&f, "large_page", "big");
	struct pgsim_kmap_report rep;
	struct pgsim_kres r;
	assert_int_equal(pgsim_kernel_map_helper(f.k, "f1", "vs", 0x1000, RW, 3, "ut", "m", &rep, &r), 0);
	kf_expect(&r, PGSIM_SEL4_NO_ERROR);
	assert_int_equal(pgsim_kernel_map_helper(f.k, "big", "vs", 0, RW, 3, "ut", "m", &rep, &r), 0);
	kf_expect_missing(&r, 12);
	assert_int_equal(rep.n_created, 0);
	assert_int_equal(pgsim_kernel_map_helper(f.k, "f2", "vs", 0x1800, RW, 3, "ut", "m", &rep, &r), 0);
	kf_expect(&r, PGSIM_SEL4_ALIGNMENT_ERROR);
	kf_free(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_helper_builds_levels),
		cmocka_unit_test(test_helper_names),
		cmocka_unit_test(test_helper_out_of_memory),
		cmocka_unit_test(test_helper_stops),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
