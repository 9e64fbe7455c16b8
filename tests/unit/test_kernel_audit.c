/* seL4 kernel model, audit against the kernel source (docs/sel4-model.md):
 * the "too high" boundaries of spec 2.3 on every architecture, the order
 * in which each architecture's Page_Map looks at an already-mapped cap
 * (remap rules), and frames over tables / tables over frames.
 *
 * Expected values come from the decode functions named in each test
 * (decodeX86FrameInvocation, decodeARMFrameInvocation,
 * decodeRISCVFrameInvocation, the *PageTableInvocation decoders and the
 * lookup*Slot walks); the derivation is in the comments.
 *
 * Fixture per architecture: "ut" = [0x10000000, +16 MiB), a 4 GiB untyped
 * "huge" at 0x100000000 for 1 GiB frames where the architecture has them, the root
 * "vs" (assigned, ASID 1), and the tables for VA 0 when asked for.
 */
#include "test_kernel_util.h"

#define UT 0x10000000ull
#define HUGE_UT 0x100000000ull
#define RW PGSIM_SEL4_READ_WRITE
#define RD PGSIM_SEL4_CAN_READ

enum { OK = PGSIM_SEL4_NO_ERROR, INV = PGSIM_SEL4_INVALID_ARGUMENT,
       ALIGN = PGSIM_SEL4_ALIGNMENT_ERROR, DF = PGSIM_SEL4_DELETE_FIRST,
       FL = PGSIM_SEL4_FAILED_LOOKUP, ICAP = PGSIM_SEL4_INVALID_CAPABILITY };

struct arch_tables {
	const char *arch;
	const char *tables[3];  /* paging structures below the root, top down */
	unsigned n;
	uint64_t attr;          /* ordinary attributes */
	bool has_huge;
};

static const struct arch_tables archs[] = {
	{ "ia32", { "page_table" }, 1, 0, false },
	{ "x86_64", { "pdpt", "page_directory", "page_table" }, 3, 0, true },
	{ "aarch64", { "page_table", "page_table", "page_table" }, 3, 3, true },
	{ "sv39", { "page_table", "page_table" }, 2, 0, true },
};
#define N_ARCHS (sizeof archs / sizeof archs[0])

static const struct arch_tables *arch_of(const char *name)
{
	for (unsigned i = 0; i < N_ARCHS; i++)
		if (strcmp(archs[i].arch, name) == 0)
			return &archs[i];
	fail_msg("no arch %s", name);
	return NULL;
}

/* The root "vs", assigned; the first n_tables structures mapped at va
 * (slots "t0".."t2"). */
static void setup(struct kfix *f, const struct arch_tables *a, pgsim_va_t va, unsigned n_tables)
{
	kf_init(f, a->arch, UT, 24);
	if (a->has_huge)
		assert_int_equal(pgsim_kernel_add_untyped(f->k, "huge", HUGE_UT, 32, false), 0);
	kf_retype(f, "vspace", "vs");
	kf_assign(f, "vs");
	static const char *tn[3] = { "t0", "t1", "t2" };
	for (unsigned i = 0; i < n_tables; i++) {
		kf_retype(f, a->tables[i], tn[i]);
		kf_map_ok(f, tn[i], "vs", va, 0, a->attr);
	}
}

/* A frame or table of `type` in slot `slot` (1 GiB frames from "huge"). */
static void make(struct kfix *f, const char *type, const char *slot)
{
	if (strcmp(type, "huge_page") == 0)
		kf_retype_from(f, "huge", type, 0, slot);
	else
		kf_retype(f, type, slot);
}

static void expect(const struct pgsim_kres *r, int err)
{
	kf_expect(r, (enum pgsim_sel4_err)err);
	if (err == INV) {
		assert_int_equal(r->arg, 0);
		assert_int_equal(r->n_mr, 1);
		assert_int_equal(r->mr[0], 0);
	}
}

/* ---- spec 2.3: the "too high" predicates ------------------------------ */

struct bcase {
	const char *arch;
	const char *type;
	pgsim_va_t va;
	unsigned n_tables;      /* structures mapped at va first */
	int err;
	pgsim_va_t cap_va;      /* tables, on success: the address the cap records */
};

static const struct bcase bcases[] = {
	/* x86 (decodeX86FrameInvocation): vaddr > USER_TOP or
	 * vaddr + size > USER_TOP, USER_TOP = 0x7fffffffffff; checked
	 * before alignment.  Tables: masked vaddr > USER_TOP. */
	{ "x86_64", "frame", 0x7fffffffe000ull, 3, OK, 0 },
	{ "x86_64", "frame", 0x7ffffffff000ull, 0, INV, 0 },   /* end 2^47 */
	{ "x86_64", "frame", 0x7ffffffff800ull, 0, INV, 0 },   /* too high wins over unaligned */
	{ "x86_64", "frame", 0xfffffffffffff000ull, 0, INV, 0 },/* vaddr itself; end wraps to 0 */
	{ "x86_64", "large_page", 0x7fffffc00000ull, 2, OK, 0 },
	{ "x86_64", "large_page", 0x7fffffe00000ull, 0, INV, 0 },
	{ "x86_64", "huge_page", 0x7fff80000000ull, 1, OK, 0 },
	{ "x86_64", "huge_page", 0x7fffc0000000ull, 0, INV, 0 },
	/* PT: 0x7ffffffff123 & ~(2M-1) = 0x7fffffe00000 <= USER_TOP */
	{ "x86_64", "page_table", 0x7ffffffff123ull, 2, OK, 0x7fffffe00000ull },
	{ "x86_64", "page_table", 0x800000000000ull, 0, INV, 0 },
	{ "x86_64", "page_directory", 0x7fffffffffffull, 1, OK, 0x7fffc0000000ull },
	{ "x86_64", "page_directory", 0x800000000000ull, 0, INV, 0 },
	{ "x86_64", "pdpt", 0x7fffffffffffull, 0, OK, 0x7f8000000000ull },
	{ "x86_64", "pdpt", 0x800000000000ull, 0, INV, 0 },
	/* ia32: USER_TOP = 0xe0000000 (PPTR_BASE & 0xffc00000); the end may
	 * equal it.  PT masked to 4 MiB: 0xe0000000..0xe03fffff pass the
	 * test and hit the kernel's global large page in PD slot 0x380. */
	{ "ia32", "frame", 0xdffff000ull, 1, OK, 0 },
	{ "ia32", "frame", 0xdffff800ull, 0, INV, 0 },          /* end 0xe0000800 */
	{ "ia32", "frame", 0xe0000000ull, 0, INV, 0 },
	{ "ia32", "large_page", 0xdfc00000ull, 0, OK, 0 },
	{ "ia32", "large_page", 0xe0000000ull, 0, INV, 0 },     /* vaddr == top, end above */
	{ "ia32", "large_page", 0xffc00000ull, 0, INV, 0 },     /* end wraps to 0 */
	{ "ia32", "page_table", 0xdfffffffull, 0, OK, 0xdfc00000ull },
	{ "ia32", "page_table", 0xe03fffffull, 0, DF, 0 },
	{ "ia32", "page_table", 0xe0400000ull, 0, INV, 0 },
	/* AArch64 (decodeARMFrameInvocation): alignment first, then
	 * vaddr + size - 1 > USER_TOP (0x7fffffffffff, inclusive).
	 * PageTable: raw vaddr > USER_TOP; the cap records vaddr masked by
	 * the bitsLeft of the slot it lands in (root slot: 39). */
	{ "aarch64", "frame", 0x7ffffffff000ull, 3, OK, 0 },
	{ "aarch64", "frame", 0x800000000000ull, 0, INV, 0 },
	{ "aarch64", "frame", 0x800000000800ull, 0, ALIGN, 0 }, /* unaligned wins */
	{ "aarch64", "large_page", 0x7fffffe00000ull, 2, OK, 0 },
	{ "aarch64", "huge_page", 0x7fffc0000000ull, 1, OK, 0 },
	{ "aarch64", "huge_page", 0x800000000000ull, 0, INV, 0 },
	{ "aarch64", "page_table", 0x7fffffffffffull, 0, OK, 0x7f8000000000ull },
	{ "aarch64", "page_table", 0x800000000000ull, 0, INV, 0 },
	/* RISC-V (decodeRISCVFrameInvocation): vaddr + size - 1 >= USER_TOP
	 * (0x3ffffff000), before alignment.  PageTable: raw vaddr >=
	 * USER_TOP; a table in a root slot records vaddr & ~(1G-1). */
	{ "sv39", "frame", 0x3fffffe000ull, 2, OK, 0 },
	{ "sv39", "frame", 0x3ffffff000ull, 0, INV, 0 },
	{ "sv39", "frame", 0x3ffffff800ull, 0, INV, 0 },          /* too high wins */
	{ "sv39", "large_page", 0x3fffc00000ull, 1, OK, 0 },
	{ "sv39", "large_page", 0x3fffe00000ull, 0, INV, 0 },
	{ "sv39", "huge_page", 0x3f80000000ull, 0, OK, 0 },
	{ "sv39", "huge_page", 0x3fc0000000ull, 0, INV, 0 },
	{ "sv39", "page_table", 0x3fffe00000ull, 0, OK, 0x3fc0000000ull },
	{ "sv39", "page_table", 0x3fffffefffull, 0, OK, 0x3fc0000000ull },
	{ "sv39", "page_table", 0x3ffffff000ull, 0, INV, 0 },
};

static void test_user_top_boundaries(void **state)
{
	(void)state;
	for (unsigned i = 0; i < sizeof bcases / sizeof bcases[0]; i++) {
		const struct bcase *c = &bcases[i];
		struct kfix f;
		setup(&f, arch_of(c->arch), c->va, c->n_tables);
		make(&f, c->type, "obj");
		struct pgsim_kres r = kf_map(&f, "obj", "vs", c->va, RW, arch_of(c->arch)->attr);
		if (r.err != (enum pgsim_sel4_err)c->err)
			print_error("case %u: %s %s at 0x%llx\n", i, c->arch, c->type,
				    (unsigned long long)c->va);
		expect(&r, c->err);
		struct pgsim_kcap_info in = kf_cap(&f, "obj");
		assert_int_equal(in.mapped, c->err == OK);
		if (c->err == OK)
			assert_int_equal(in.vaddr, c->cap_va ? c->cap_va : c->va);
		kf_free(&f);
	}
}

/* ia32 PageDirectory_GetStatusBits: vaddr > USER_TOP is the test, so
 * 0xe0000000 itself passes and reads the kernel's global 4 MiB page in PD
 * slot 0x380 (present, A = D = 0 as map_kernel_window writes it); one
 * byte higher is InvalidArgument 0. */
static void test_ia32_status_bits_boundary(void **state)
{
	(void)state;
	struct kfix f;
	setup(&f, arch_of("ia32"), 0, 0);
	struct pgsim_kinv inv = { .label = PGSIM_KL_PAGE_DIRECTORY_GET_STATUS_BITS, .cap = "vs",
				  .n_words = 1, .w = { 0xe0000000 } };
	struct pgsim_kres r = kf_invoke(&f, &inv);
	kf_expect(&r, PGSIM_SEL4_NO_ERROR);
	assert_int_equal(r.n_mr, 2);
	assert_int_equal(r.mr[0], 0);
	assert_int_equal(r.mr[1], 0);
	inv.w[0] = 0xe0000001;
	r = kf_invoke(&f, &inv);
	expect(&r, INV);
	/* 0xdffff000 has no PT: no mapping -> InvalidArgument 1 */
	inv.w[0] = 0xdffff000;
	r = kf_invoke(&f, &inv);
	kf_expect(&r, PGSIM_SEL4_INVALID_ARGUMENT);
	assert_int_equal(r.arg, 1);
	kf_free(&f);
}

/* ---- remap rules: where each arch looks at an already-mapped cap ------ */

struct rcase {
	const char *arch;
	int unaligned_other;    /* mapped at 0x5000, Map at 0x6800 */
	int aligned_no_tables;  /* Map at 0x40000000 (no tables there) */
	int other_vspace;       /* Map at 0x5000 into a second, empty vspace */
	int dead_vspace;        /* Map at 0x5000 into a vspace whose pool is gone */
	unsigned bits;          /* FailedLookup level where the answer is FL */
};

/* x86: the mapped-cap checks (ASID, then vaddr) come right after the
 * vspace type check, before findVSpaceForASID, alignment and the walk.
 * AArch64: after findVSpaceForASID and alignment, before the walk.
 * RISC-V: after too-high, alignment and the walk (lookupPTSlot), so a
 * missing table wins over "multiple addresses" / "other vspace". */
static const struct rcase rcases[] = {
	{ "ia32", INV, INV, ICAP, ICAP, 0 },
	{ "x86_64", INV, INV, ICAP, ICAP, 0 },
	{ "aarch64", ALIGN, INV, ICAP, FL, 0 },
	{ "sv39", ALIGN, FL, FL, FL, 30 },
};

static void test_remap_check_order(void **state)
{
	(void)state;
	for (unsigned i = 0; i < sizeof rcases / sizeof rcases[0]; i++) {
		const struct rcase *c = &rcases[i];
		const struct arch_tables *a = arch_of(c->arch);
		struct kfix f;
		setup(&f, a, 0, a->n);
		kf_retype(&f, "frame", "fr");
		kf_retype(&f, "frame", "g");
		kf_map_ok(&f, "fr", "vs", 0x5000, RW, a->attr);

		struct pgsim_kres r = kf_map(&f, "fr", "vs", 0x6800, RW, a->attr);
		expect(&r, c->unaligned_other);
		r = kf_map(&f, "fr", "vs", 0x40000000, RW, a->attr);
		expect(&r, c->aligned_no_tables);
		if (c->aligned_no_tables == FL)
			kf_expect_missing(&r, c->bits);

		kf_retype(&f, "vspace", "vs2");
		kf_assign(&f, "vs2");
		r = kf_map(&f, "fr", "vs2", 0x5000, RW, a->attr);
		expect(&r, c->other_vspace);
		if (c->other_vspace == ICAP)
			assert_int_equal(r.cap, 1);
		if (c->other_vspace == FL)
			kf_expect_missing(&r, c->bits);

		/* vs3 in pool 1; deleting the only pool cap unregisters the
		 * pool (deleteASIDPool), so vs3's ASID no longer resolves */
		kf_retype_from(&f, "ut", "untyped", 12, "pool_ut");
		assert_int_equal(pgsim_kernel_make_pool(f.k, "asid_control", "pool_ut", "pool1", &r), 0);
		kf_expect(&r, PGSIM_SEL4_NO_ERROR);
		kf_retype(&f, "vspace", "vs3");
		assert_int_equal(pgsim_kernel_assign(f.k, "pool1", "vs3", &r), 0);
		kf_expect(&r, PGSIM_SEL4_NO_ERROR);
		assert_int_equal(pgsim_kernel_delete(f.k, "pool1", &r), 0);
		r = kf_map(&f, "fr", "vs3", 0x5000, RW, a->attr);
		expect(&r, c->dead_vspace);
		if (c->dead_vspace == FL) {
			assert_int_equal(r.lookup, PGSIM_SEL4_LOOKUP_INVALID_ROOT);
			assert_int_equal(r.n_mr, 2);
		}
		/* an unmapped frame reaches findVSpaceForASID on every arch */
		r = kf_map(&f, "g", "vs3", 0x5000, RW, a->attr);
		kf_expect(&r, PGSIM_SEL4_FAILED_LOOKUP);
		assert_int_equal(r.lookup, PGSIM_SEL4_LOOKUP_INVALID_ROOT);
		/* none of this touched the original mapping */
		struct pgsim_kcap_info in = kf_cap(&f, "fr");
		assert_true(in.mapped);
		assert_int_equal(in.vaddr, 0x5000);
		kf_free(&f);
	}
}

/* The leaf entry each arch writes for a 4 KiB frame at pa (spec 5.1-5.3:
 * makeUserPTE x86, makeUserPagePTE AArch64 with attr 3 uniprocessor,
 * makeUserPTE RISC-V executable). */
static uint64_t leaf4k(const char *arch, pgsim_pa_t pa, bool rw)
{
	if (strcmp(arch, "aarch64") == 0)
		return pa | (rw ? 0x0400000000000c53ull : 0x0400000000000cd3ull);
	if (strcmp(arch, "sv39") == 0)
		return ((pa >> 12) << 10) | (rw ? 0xdf : 0xdb);
	return pa | (rw ? 0x7 : 0x5);
}

static const char *last_table(const struct arch_tables *a)
{
	static const char *tn[3] = { "t0", "t1", "t2" };
	return tn[a->n - 1];
}

/* Remap (same cap, vspace, vaddr) rewrites the entry with the new rights;
 * the walk is redone, so once the leaf table is unmapped (and zeroed) the
 * remap is FailedLookup at the leaf table's level (ia32 22, else 21), the
 * stale cap still unmaps cleanly, and after a new table the remap works. */
static void test_remap_rewrites_and_rewalks(void **state)
{
	(void)state;
	for (unsigned i = 0; i < N_ARCHS; i++) {
		const struct arch_tables *a = &archs[i];
		struct kfix f;
		setup(&f, a, 0, a->n);
		kf_retype(&f, "frame", "fr");
		pgsim_pa_t pa = kf_pa(&f, "fr"), leaf = kf_pa(&f, last_table(a));
		kf_map_ok(&f, "fr", "vs", 0x5000, RD, a->attr);
		assert_int_equal(kf_entry(&f, leaf, 5), leaf4k(a->arch, pa, false));
		kf_map_ok(&f, "fr", "vs", 0x5000, RW, a->attr);
		assert_int_equal(kf_entry(&f, leaf, 5), leaf4k(a->arch, pa, true));
		assert_int_equal(kf_cap(&f, "fr").map_rights, PGSIM_VM_READ_WRITE);

		struct pgsim_kres r = kf_unmap(&f, last_table(a));
		kf_expect(&r, PGSIM_SEL4_NO_ERROR);
		assert_int_equal(kf_entry(&f, leaf, 5), 0);
		r = kf_map(&f, "fr", "vs", 0x5000, RW, a->attr);
		kf_expect_missing(&r, strcmp(a->arch, "ia32") == 0 ? 22 : 21);
		assert_true(kf_cap(&f, "fr").mapped);
		kf_map_ok(&f, last_table(a), "vs", 0, 0, a->attr);
		kf_map_ok(&f, "fr", "vs", 0x5000, RD, a->attr);
		assert_int_equal(kf_entry(&f, leaf, 5), leaf4k(a->arch, pa, false));
		r = kf_unmap(&f, "fr");
		kf_expect(&r, PGSIM_SEL4_NO_ERROR);
		assert_int_equal(kf_entry(&f, leaf, 5), 0);
		assert_false(kf_cap(&f, "fr").mapped);
		kf_free(&f);
	}
}

/* unmapPage (AArch64, RISC-V) clears the slot only if it holds a page:
 * after lookupPTSlot stops at the frame's level with the frame's address,
 * pte_is_page_type (AArch64: type 0b11 needs software bit 58, spec 5.2)
 * or "valid and not isPTEPageTable" (RISC-V: R=W=X=0 is a table pointer,
 * spec 5.3) must hold too.  The leaf entry is turned into that non-page
 * form by hand -- AArch64 leaf4k(pa, rw) & ~bit 58 = pa | 0xc53; Sv39
 * ((pa >> 12) << 10) | 0xdf with R, W, X (0xe) cleared = ... | 0xd1 --
 * so Page_Unmap must leave it as it is, while performPageInvocationUnmap
 * still clears the cap.  On AArch64 the Page Flush decode makes the same
 * test and calls such a cap stale (InvalidCapability 0). */
static void test_unmap_page_needs_a_page(void **state)
{
	(void)state;
	static const char *const pt_archs[] = { "aarch64", "sv39" };
	for (unsigned i = 0; i < 2; i++) {
		const struct arch_tables *a = arch_of(pt_archs[i]);
		bool arm = i == 0;
		struct kfix f;
		setup(&f, a, 0, a->n);
		kf_retype(&f, "frame", "fr");
		pgsim_pa_t pa = kf_pa(&f, "fr"), leaf = kf_pa(&f, last_table(a));
		kf_map_ok(&f, "fr", "vs", 0x5000, RW, a->attr);
		assert_int_equal(kf_entry(&f, leaf, 5), leaf4k(a->arch, pa, true));
		struct pgsim_kinv flush = { .label = PGSIM_KL_PAGE_CLEAN_DATA, .cap = "fr",
					    .n_words = 2, .w = { 0, 4 } };
		struct pgsim_kres r;
		if (arm) {
			r = kf_invoke(&f, &flush);
			kf_expect(&r, PGSIM_SEL4_NO_ERROR);
		}
		uint64_t odd = arm ? pa | 0xc53 : ((pa >> 12) << 10) | 0xd1;
		tu_put(f.mem, leaf + 5 * 8, 8, odd);
		if (arm) {
			r = kf_invoke(&f, &flush);
			kf_expect(&r, PGSIM_SEL4_INVALID_CAPABILITY);
			assert_int_equal(r.cap, 0);
		}
		r = kf_unmap(&f, "fr");
		kf_expect(&r, PGSIM_SEL4_NO_ERROR);
		assert_int_equal(kf_entry(&f, leaf, 5), odd);
		assert_false(kf_cap(&f, "fr").mapped);
		assert_int_equal(kf_cap(&f, "fr").vaddr, 0);
		kf_free(&f);
	}
}

/* ---- frames over tables, tables over frames --------------------------- */

struct ocase {
	const char *arch;
	const char *type;       /* "page_table" etc. for a table Map */
	pgsim_va_t va;
	int err;
	unsigned bits;          /* FailedLookup level */
};

/* Run in order on one fixture per arch (tables for VA 0 mapped). */
static const struct ocase ocases[] = {
	/* x86_64: createSafeMappingEntries_PDE/_PDPTE refuse a present
	 * table (DeleteFirst); lookupPTSlot/lookupPDSlot fail at a large
	 * leaf (21 / 30); table maps refuse any present entry. */
	{ "x86_64", "large_page", 0, DF, 0 },
	{ "x86_64", "huge_page", 0, DF, 0 },
	{ "x86_64", "huge_page", 0x40000000, OK, 0 },
	{ "x86_64", "page_directory", 0x40000000, DF, 0 },
	{ "x86_64", "page_table", 0x40000000, FL, 30 },
	{ "x86_64", "frame", 0x40001000, FL, 30 },
	{ "x86_64", "large_page", 0x40200000, FL, 30 },
	{ "x86_64", "large_page", 0x200000, OK, 0 },
	{ "x86_64", "page_table", 0x200000, DF, 0 },
	{ "x86_64", "frame", 0x201000, FL, 21 },
	/* ia32: the PD is the root; a 4 MiB page over a PT is DeleteFirst,
	 * a PT over a 4 MiB page too, a 4K under it FailedLookup 22. */
	{ "ia32", "large_page", 0, DF, 0 },
	{ "ia32", "large_page", 0x400000, OK, 0 },
	{ "ia32", "page_table", 0x400000, DF, 0 },
	{ "ia32", "frame", 0x401000, FL, 22 },
	/* AArch64: lookupPTSlot descends through tables, so a big frame
	 * over smaller tables fails with the level the walk reached (12);
	 * a table over a block or at the last level is DeleteFirst. */
	{ "aarch64", "large_page", 0, FL, 12 },
	{ "aarch64", "huge_page", 0, FL, 12 },
	{ "aarch64", "page_table", 0x5000, DF, 0 },
	{ "aarch64", "huge_page", 0x40000000, OK, 0 },
	{ "aarch64", "page_table", 0x40000000, DF, 0 },
	{ "aarch64", "frame", 0x40001000, FL, 30 },
	{ "aarch64", "page_table", 0x80000000, OK, 0 },  /* lands as L2 */
	{ "aarch64", "huge_page", 0x80000000, FL, 21 },
	{ "aarch64", "large_page", 0x200000, OK, 0 },
	{ "aarch64", "page_table", 0x200000, DF, 0 },
	{ "aarch64", "frame", 0x201000, FL, 21 },
	/* RISC-V: the same walk (non-leaf = V and R=W=X=0). */
	{ "sv39", "large_page", 0, FL, 12 },
	{ "sv39", "huge_page", 0, FL, 12 },
	{ "sv39", "page_table", 0x5000, DF, 0 },
	{ "sv39", "huge_page", 0x40000000, OK, 0 },
	{ "sv39", "page_table", 0x40000000, DF, 0 },
	{ "sv39", "frame", 0x40001000, FL, 30 },
	{ "sv39", "page_table", 0x80000000, OK, 0 },     /* lands in root slot 2 */
	{ "sv39", "huge_page", 0x80000000, FL, 21 },
	{ "sv39", "large_page", 0x200000, OK, 0 },
	{ "sv39", "page_table", 0x200000, DF, 0 },
	{ "sv39", "frame", 0x201000, FL, 21 },
};

static void test_frames_and_tables_overlap(void **state)
{
	(void)state;
	const char *cur = NULL;
	struct kfix f;
	for (unsigned i = 0; i < sizeof ocases / sizeof ocases[0]; i++) {
		const struct ocase *c = &ocases[i];
		const struct arch_tables *a = arch_of(c->arch);
		if (!cur || strcmp(cur, c->arch) != 0) {
			if (cur)
				kf_free(&f);
			setup(&f, a, 0, a->n);
			cur = c->arch;
		}
		char slot[16];
		snprintf(slot, sizeof slot, "o%u", i);
		make(&f, c->type, slot);
		struct pgsim_kres r = kf_map(&f, slot, "vs", c->va, RW, a->attr);
		if (r.err != (enum pgsim_sel4_err)c->err)
			print_error("case %u: %s %s at 0x%llx\n", i, c->arch, c->type,
				    (unsigned long long)c->va);
		expect(&r, c->err);
		if (c->err == FL)
			kf_expect_missing(&r, c->bits);
	}
	kf_free(&f);
}

/* Device frames: Page_Map does not look at capFIsDevice, so the entry is
 * what the same rights and attributes give any frame (AArch64 attr 3 is
 * even Normal cacheable memory); GetAddress is the device address.
 * Revoking the device untyped unmaps its frame; the next Retype resets
 * it without clearing device memory (resetUntypedCap). */
static void test_device_frames(void **state)
{
	(void)state;
	const pgsim_pa_t dev = 0xfe000000;
	for (unsigned i = 0; i < N_ARCHS; i++) {
		const struct arch_tables *a = &archs[i];
		struct kfix f;
		setup(&f, a, 0, a->n);
		assert_int_equal(pgsim_kernel_add_untyped(f.k, "dev", dev, 16, true), 0);
		kf_retype_from(&f, "dev", "frame", 0, "df");
		assert_true(kf_cap(&f, "df").device);
		assert_int_equal(kf_pa(&f, "df"), dev);
		kf_map_ok(&f, "df", "vs", 0x5000, RW, a->attr);
		pgsim_pa_t leaf = kf_pa(&f, last_table(a));
		assert_int_equal(kf_entry(&f, leaf, 5), leaf4k(a->arch, dev, true));
		struct pgsim_kres r;
		assert_int_equal(pgsim_kernel_get_address(f.k, "df", &r), 0);
		kf_expect(&r, PGSIM_SEL4_NO_ERROR);
		assert_int_equal(r.mr[0], dev);
		tu_put(f.mem, dev + 0x10, 4, 0x5a5a);
		assert_int_equal(pgsim_kernel_revoke(f.k, "dev", &r), 0);
		kf_expect(&r, PGSIM_SEL4_NO_ERROR);
		assert_int_equal(kf_entry(&f, leaf, 5), 0);
		kf_retype_from(&f, "dev", "frame", 0, "df2");
		assert_int_equal(kf_pa(&f, "df2"), dev);
		assert_int_equal(tu_get(f.mem, dev + 0x10, 4), 0x5a5a);
		kf_free(&f);
	}
}

/* Each x86_64 table decoder words its userError with its own prefix
 * (seL4 src/arch/x86/kernel/vspace.c, x86/64/kernel/vspace.c): mapping a
 * mapped table, and a table Unmap while a copy exists. */
static void test_x86_table_messages(void **state)
{
	(void)state;
	struct kfix f;
	kf_x64_objects(&f, 0x40000000, true);
	kf_x64_tables(&f, 0x10000000);
	struct pgsim_kres r = kf_map(&f, "pd", "pml4", 0x10000000, 0, 0);
	kf_expect(&r, PGSIM_SEL4_INVALID_CAPABILITY);
	assert_string_equal(r.msg, "X64PageDirectory: PD is already mapped to a PML4.");
	r = kf_map(&f, "pdpt", "pml4", 0x10000000, 0, 0);
	assert_string_equal(r.msg, "X64PDPT: PDPT is already mapped to a PML4.");
	r = kf_map(&f, "pt", "pml4", 0x10000000, 0, 0);
	assert_string_equal(r.msg, "X86PageTable: Page table is already mapped to a page directory.");
	r = kf_copy(&f, "pt", "pt2", PGSIM_SEL4_ALL_RIGHTS);
	kf_expect(&r, PGSIM_SEL4_NO_ERROR);
	r = kf_unmap(&f, "pt");
	kf_expect(&r, PGSIM_SEL4_REVOKE_FIRST);
	assert_string_equal(r.msg, "X86PageTable: Cannot unmap if more than one cap exists.");
	kf_free(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_user_top_boundaries),
		cmocka_unit_test(test_ia32_status_bits_boundary),
		cmocka_unit_test(test_remap_check_order),
		cmocka_unit_test(test_remap_rewrites_and_rewalks),
		cmocka_unit_test(test_unmap_page_needs_a_page),
		cmocka_unit_test(test_frames_and_tables_overlap),
		cmocka_unit_test(test_device_frames),
		cmocka_unit_test(test_x86_table_messages),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
