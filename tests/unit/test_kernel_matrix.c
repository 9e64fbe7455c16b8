/* seL4 kernel model: the cross-architecture behaviour matrix of spec 3.4,
 * one test per row, each run on ia32, x86_64, aarch64 and sv39 with the
 * expectation the matrix gives for that architecture.
 *
 * Per architecture the fixture retypes, from "ut" = [0x10000000, +16 MiB):
 * the root ("vspace" alias) at 0x10000000, then the paging structures that
 * cover VA 0 from the top down (t0, t1, t2), a 4 KiB frame "f" and a
 * large frame "big", and maps the structures for VA 0.
 */
#include "test_kernel_util.h"

#define UT 0x10000000ull
#define RW PGSIM_SEL4_READ_WRITE

struct arch_case {
	const char *arch;
	const char *tables[3];   /* top-down, for VA 0 */
	unsigned n_tables;
	unsigned large_lg2;      /* large frame size */
	unsigned leaf_missing;   /* failed level for a 4K under a large leaf */
	pgsim_va_t kernel_va;    /* a VA in the kernel window */
	bool generic_pt;         /* one PageTable type for every level */
	bool overwrite;          /* fresh frame over a leaf is silently overwritten */
	bool too_high_first;     /* too-high is checked before alignment */
	uint64_t attr;           /* ordinary attributes */
};

static const struct arch_case cases[] = {
	{ "ia32", { "page_table" }, 1, 22, 22, 0xe0000000, false, true, true, 0 },
	{ "x86_64", { "pdpt", "page_directory", "page_table" }, 3, 21, 21,
	  0xffffff8000000000ull, false, true, true, 0 },
	{ "aarch64", { "page_table", "page_table", "page_table" }, 3, 21, 21,
	  0xffff000000000000ull, true, true, false, 3 },
	{ "sv39", { "page_table", "page_table" }, 2, 21, 21, 0xffffffc000000000ull,
	  true, false, true, 0 },
};
#define N_CASES (sizeof cases / sizeof cases[0])

static void setup(struct kfix *f, const struct arch_case *c)
{
	kf_init(f, c->arch, UT, 24);
	kf_retype(f, "vspace", "vs");
	static const char *tn[3] = { "t0", "t1", "t2" };
	for (unsigned i = 0; i < c->n_tables; i++)
		kf_retype(f, c->tables[i], tn[i]);
	kf_retype(f, "frame", "f");
	kf_retype(f, "large_page", "big");
	kf_assign(f, "vs");
	for (unsigned i = 0; i < c->n_tables; i++)
		kf_map_ok(f, tn[i], "vs", 0, 0, 0);
}

static const char *last_table(const struct arch_case *c)
{
	static const char *tn[3] = { "t0", "t1", "t2" };
	return tn[c->n_tables - 1];
}

/* Row: frame vaddr not aligned -> AlignmentError everywhere (unless also
 * too high: x86 and RISC-V check the address first -> InvalidArgument). */
static void test_row_frame_unaligned(void **state)
{
	(void)state;
	for (unsigned i = 0; i < N_CASES; i++) {
		const struct arch_case *c = &cases[i];
		struct kfix f;
		setup(&f, c);
		struct pgsim_kres r = kf_map(&f, "f", "vs", 0x5800, RW, c->attr);
		kf_expect(&r, PGSIM_SEL4_ALIGNMENT_ERROR);
		r = kf_map(&f, "f", "vs", c->kernel_va + 0x800, RW, c->attr);
		kf_expect(&r, c->too_high_first ? PGSIM_SEL4_INVALID_ARGUMENT
				: PGSIM_SEL4_ALIGNMENT_ERROR);
		kf_free(&f);
	}
}

/* Row: table vaddr not aligned -> accepted, the cap stores the address
 * masked to what the table's slot covers (2 MiB for the lowest table;
 * 4 MiB on ia32). */
static void test_row_table_unaligned(void **state)
{
	(void)state;
	for (unsigned i = 0; i < N_CASES; i++) {
		const struct arch_case *c = &cases[i];
		struct kfix f;
		setup(&f, c);
		kf_retype(&f, "page_table", "pt");
		pgsim_va_t va = (1ull << c->large_lg2) + 0x1234;
		kf_map_ok(&f, "pt", "vs", va, 0, 0);
		assert_int_equal(kf_cap(&f, "pt").vaddr, 1ull << c->large_lg2);
		kf_free(&f);
	}
}

/* Rows: a mapped frame cap again -- same vspace and vaddr: remap; same
 * vspace, other vaddr: InvalidArgument 0; other vspace: InvalidCapability
 * 1 (the second vspace has its own tables so RISC-V's earlier lookup
 * passes). */
static void test_row_frame_mapped_again(void **state)
{
	(void)state;
	for (unsigned i = 0; i < N_CASES; i++) {
		const struct arch_case *c = &cases[i];
		struct kfix f;
		setup(&f, c);
		kf_map_ok(&f, "f", "vs", 0x5000, RW, c->attr);
		kf_map_ok(&f, "f", "vs", 0x5000, PGSIM_SEL4_CAN_READ, c->attr);
		struct pgsim_kres r = kf_map(&f, "f", "vs", 0x6000, RW, c->attr);
		kf_expect(&r, PGSIM_SEL4_INVALID_ARGUMENT);
		assert_int_equal(r.arg, 0);
		kf_retype(&f, "vspace", "vs2");
		kf_assign(&f, "vs2");
		static const char *tn[3] = { "u0", "u1", "u2" };
		for (unsigned j = 0; j < c->n_tables; j++) {
			kf_retype(&f, c->tables[j], tn[j]);
			kf_map_ok(&f, tn[j], "vs2", 0, 0, 0);
		}
		r = kf_map(&f, "f", "vs2", 0x5000, RW, c->attr);
		kf_expect(&r, PGSIM_SEL4_INVALID_CAPABILITY);
		assert_int_equal(r.cap, 1);
		kf_free(&f);
	}
}

/* Row: fresh frame over an existing same-size leaf: overwrite on x86 and
 * AArch64, DeleteFirst on RISC-V. */
static void test_row_overwrite(void **state)
{
	(void)state;
	for (unsigned i = 0; i < N_CASES; i++) {
		const struct arch_case *c = &cases[i];
		struct kfix f;
		setup(&f, c);
		kf_retype(&f, "frame", "g");
		kf_map_ok(&f, "f", "vs", 0x5000, RW, c->attr);
		struct pgsim_kres r = kf_map(&f, "g", "vs", 0x5000, RW, c->attr);
		kf_expect(&r, c->overwrite ? PGSIM_SEL4_NO_ERROR : PGSIM_SEL4_DELETE_FIRST);
		kf_free(&f);
	}
}

/* Row: large frame where a lower table exists: DeleteFirst on x86,
 * FailedLookup with bitsLeft 12 on AArch64 / RISC-V. */
static void test_row_large_over_table(void **state)
{
	(void)state;
	for (unsigned i = 0; i < N_CASES; i++) {
		const struct arch_case *c = &cases[i];
		struct kfix f;
		setup(&f, c);
		struct pgsim_kres r = kf_map(&f, "big", "vs", 0, RW, c->attr);
		if (c->generic_pt) {
			kf_expect_missing(&r, 12);
		} else {
			kf_expect(&r, PGSIM_SEL4_DELETE_FIRST);
		}
		kf_free(&f);
	}
}

/* Row: small frame where a larger leaf exists -> FailedLookup at the
 * large leaf's level (21; ia32 22). */
static void test_row_small_under_large(void **state)
{
	(void)state;
	for (unsigned i = 0; i < N_CASES; i++) {
		const struct arch_case *c = &cases[i];
		struct kfix f;
		setup(&f, c);
		pgsim_va_t va = 1ull << c->large_lg2;
		kf_map_ok(&f, "big", "vs", va, RW, c->attr);
		struct pgsim_kres r = kf_map(&f, "f", "vs", va + 0x1000, RW, c->attr);
		kf_expect_missing(&r, c->leaf_missing);
		kf_free(&f);
	}
}

/* Row: table map where the slot is occupied: x86's fixed-level types get
 * DeleteFirst; AArch64/RISC-V's PageTable descends past tables into the
 * first missing level (DeleteFirst only once none is left). */
static void test_row_table_occupied(void **state)
{
	(void)state;
	for (unsigned i = 0; i < N_CASES; i++) {
		const struct arch_case *c = &cases[i];
		struct kfix f;
		setup(&f, c);
		kf_retype(&f, c->tables[0], "again");
		struct pgsim_kres r = kf_map(&f, "again", "vs", 0x200000ull << 1, 0, 0);
		if (c->generic_pt) {
			kf_expect(&r, PGSIM_SEL4_NO_ERROR);
			/* landed as the last level: covers 2 MiB */
			assert_int_equal(kf_cap(&f, "again").vaddr, 0x400000);
			kf_retype(&f, c->tables[0], "again2");
			r = kf_map(&f, "again2", "vs", 0x400000, 0, 0);
			kf_expect(&r, PGSIM_SEL4_DELETE_FIRST);
		} else if (c->n_tables == 1) {
			/* ia32: 0x400000 is a fresh PD slot; the first one is taken */
			kf_expect(&r, PGSIM_SEL4_NO_ERROR);
			kf_retype(&f, c->tables[0], "again2");
			r = kf_map(&f, "again2", "vs", 0, 0, 0);
			kf_expect(&r, PGSIM_SEL4_DELETE_FIRST);
		} else {
			kf_expect(&r, PGSIM_SEL4_DELETE_FIRST);
		}
		kf_free(&f);
	}
}

/* Rows: vspace root not assigned -> InvalidCapability 1; assigned but its
 * ASID gone -> FailedLookup InvalidRoot (frame and table maps alike). */
static void test_row_root_states(void **state)
{
	(void)state;
	for (unsigned i = 0; i < N_CASES; i++) {
		const struct arch_case *c = &cases[i];
		struct kfix f;
		setup(&f, c);
		kf_retype(&f, "vspace", "fresh");
		kf_retype(&f, "page_table", "pt");
		struct pgsim_kres r = kf_map(&f, "f", "fresh", 0x5000, RW, c->attr);
		kf_expect(&r, PGSIM_SEL4_INVALID_CAPABILITY);
		assert_int_equal(r.cap, 1);
		r = kf_map(&f, "pt", "fresh", 0x400000, 0, 0);
		kf_expect(&r, PGSIM_SEL4_INVALID_CAPABILITY);
		assert_int_equal(r.cap, 1);
		assert_int_equal(pgsim_kernel_delete(f.k, "asid_pool", &r), 0);
		r = kf_map(&f, "f", "vs", 0x5000, RW, c->attr);
		kf_expect(&r, PGSIM_SEL4_FAILED_LOOKUP);
		assert_int_equal(r.lookup, PGSIM_SEL4_LOOKUP_INVALID_ROOT);
		r = kf_map(&f, "pt", "vs", 0x400000, 0, 0);
		kf_expect(&r, PGSIM_SEL4_FAILED_LOOKUP);
		assert_int_equal(r.lookup, PGSIM_SEL4_LOOKUP_INVALID_ROOT);
		kf_free(&f);
	}
}

/* Rows: table already mapped -> InvalidCapability 0; table unmap with
 * copies of its cap -> RevokeFirst. */
static void test_row_table_caps(void **state)
{
	(void)state;
	for (unsigned i = 0; i < N_CASES; i++) {
		const struct arch_case *c = &cases[i];
		struct kfix f;
		setup(&f, c);
		const char *t = last_table(c);
		struct pgsim_kres r = kf_map(&f, t, "vs", 0x400000, 0, 0);
		kf_expect(&r, PGSIM_SEL4_INVALID_CAPABILITY);
		assert_int_equal(r.cap, 0);
		assert_int_equal(pgsim_kernel_copy(f.k, t, "copy", RW, &r), 0);
		kf_expect(&r, PGSIM_SEL4_NO_ERROR);
		r = kf_unmap(&f, t);
		kf_expect(&r, PGSIM_SEL4_REVOKE_FIRST);
		kf_free(&f);
	}
}

/* Row: vaddr in the kernel window -> InvalidArgument 0 for frames. */
static void test_row_kernel_window(void **state)
{
	(void)state;
	for (unsigned i = 0; i < N_CASES; i++) {
		const struct arch_case *c = &cases[i];
		struct kfix f;
		setup(&f, c);
		struct pgsim_kres r = kf_map(&f, "f", "vs", c->kernel_va, RW, c->attr);
		kf_expect(&r, PGSIM_SEL4_INVALID_ARGUMENT);
		assert_int_equal(r.arg, 0);
		kf_free(&f);
	}
}

/* Intended user permissions agree with what the walker reads back from the
 * entries the model wrote, for ReadWrite and ReadOnly (and ExecuteNever
 * where the architecture has it); RISC-V KernelOnly is the documented
 * exception (spec 8.9): execute-only for the user, though seL4 means
 * "inaccessible". */
static void test_intended_perms(void **state)
{
	(void)state;
	const unsigned user = PGSIM_P_UR | PGSIM_P_UW | PGSIM_P_UX;
	for (unsigned i = 0; i < N_CASES; i++) {
		const struct arch_case *c = &cases[i];
		struct kfix f;
		setup(&f, c);
		pgsim_pa_t root;
		assert_int_equal(pgsim_kernel_root_pa(f.k, "vs", &root), 0);
		uint64_t xn = 0;
		bool has_xn = pgsim_kernel_attr_parse(f.k, "execute_never", &xn) == 0;
		const struct { unsigned rights; uint64_t attr; } m[] = {
			{ RW, c->attr }, { PGSIM_SEL4_CAN_READ, c->attr },
			{ RW, c->attr | xn }, { PGSIM_SEL4_CAN_READ, c->attr | xn },
		};
		for (unsigned j = 0; j < (has_xn ? 4u : 2u); j++) {
			kf_map_ok(&f, "f", "vs", 0x5000, m[j].rights, m[j].attr);
			struct pgsim_kcap_info in = kf_cap(&f, "f");
			unsigned want = pgsim_kernel_intended_perms(f.k, in.map_rights, in.map_attr);
			struct pgsim_translation t = tu_walk(&f.cfg, f.mem, root, 0x5000,
							     PGSIM_ACCESS_READ, true);
			assert_true(t.ok);
			assert_int_equal(t.perms & user, want);
		}
		kf_free(&f);
	}
	struct kfix f;
	setup(&f, &cases[3]);
	kf_map_ok(&f, "f", "vs", 0x5000, PGSIM_SEL4_CAN_WRITE, 0);
	assert_int_equal(pgsim_kernel_intended_perms(f.k, PGSIM_VM_KERNEL_ONLY, 0), 0);
	pgsim_pa_t root;
	assert_int_equal(pgsim_kernel_root_pa(f.k, "vs", &root), 0);
	struct pgsim_translation t = tu_walk(&f.cfg, f.mem, root, 0x5000, PGSIM_ACCESS_EXEC, true);
	assert_true(t.ok);
	assert_int_equal(t.perms & user, PGSIM_P_UX);
	kf_free(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_row_frame_unaligned),
		cmocka_unit_test(test_row_table_unaligned),
		cmocka_unit_test(test_row_frame_mapped_again),
		cmocka_unit_test(test_row_overwrite),
		cmocka_unit_test(test_row_large_over_table),
		cmocka_unit_test(test_row_small_under_large),
		cmocka_unit_test(test_row_table_occupied),
		cmocka_unit_test(test_row_root_states),
		cmocka_unit_test(test_row_table_caps),
		cmocka_unit_test(test_row_kernel_window),
		cmocka_unit_test(test_intended_perms),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
