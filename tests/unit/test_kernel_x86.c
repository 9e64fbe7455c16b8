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
	kf_x64_objects(f, UT, true);
}

/* A 1 GiB frame "f1g" at 0x40000000, from its own untyped. */
static void kf_add_1g(struct kfix *f)
{
	assert_int_equal(pgsim_kernel_add_untyped(f->k, "u1g", 0x40000000, 30, false), 0);
	kf_retype_from(f, "u1g", "huge_page", 0, "f1g");
}

/* pdpt, pd, pt mapped for VA 0 (PML4[0], PDPT[0], PD[0]). */
static void x64_tables(struct kfix *f)
{
	x64_setup(f);
	kf_x64_tables(f, 0);
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

static struct pgsim_kres raw(struct kfix *f, enum pgsim_klabel l, const char *cap,
			     unsigned n_words, uint64_t w0, uint64_t w1, uint64_t w2,
			     unsigned n_extra, const char *extra)
{
	struct pgsim_kinv inv = { .label = l, .cap = cap, .n_words = n_words,
				  .w = { w0, w1, w2 }, .n_extra = n_extra, .extra = { extra } };
	return kf_invoke(f, &inv);
}

/* Check 1: fewer than 3 words, or no extra cap -> TruncatedMessage. */
static void test_frame_truncated(void **state)
{
	(void)state;
	struct kfix f;
	x64_tables(&f);
	struct pgsim_kres r = raw(&f, PGSIM_KL_PAGE_MAP, "frame", 2, 0x5000, RW, 0, 1, "pml4");
	kf_expect(&r, PGSIM_SEL4_TRUNCATED_MESSAGE);
	r = raw(&f, PGSIM_KL_PAGE_MAP, "frame", 3, 0x5000, RW, 0, 0, NULL);
	kf_expect(&r, PGSIM_SEL4_TRUNCATED_MESSAGE);
	/* truncation wins over an invalid vspace (check order) */
	r = raw(&f, PGSIM_KL_PAGE_MAP, "frame", 2, 0x5000, RW, 0, 1, "pt");
	kf_expect(&r, PGSIM_SEL4_TRUNCATED_MESSAGE);
	kf_free(&f);
}

/* Check 2: vspace not an assigned PML4 -> InvalidCapability, cap 1
 * (MR0 = 1): an unassigned PML4, a PT cap, an empty slot. */
static void test_frame_bad_vspace(void **state)
{
	(void)state;
	struct kfix f;
	x64_tables(&f);
	kf_retype(&f, "pml4", "pml4b");
	const char *bad[] = { "pml4b", "pt", "no_such_slot", "frame" };
	for (unsigned i = 0; i < 4; i++) {
		struct pgsim_kres r = kf_map(&f, "frame", bad[i], 0x5000, RW, 0);
		kf_expect(&r, PGSIM_SEL4_INVALID_CAPABILITY);
		assert_int_equal(r.cap, 1);
		assert_int_equal(r.n_mr, 1);
		assert_int_equal(r.mr[0], 1);
	}
	assert_false(kf_cap(&f, "frame").mapped);
	kf_free(&f);
}

/* Check 3a/3c: an already-mapped frame cap: another vspace (ASID) ->
 * InvalidCapability 1, checked before the vaddr; same vspace, other
 * vaddr -> InvalidArgument 0. */
static void test_frame_already_mapped(void **state)
{
	(void)state;
	struct kfix f;
	x64_tables(&f);
	kf_retype(&f, "pml4", "pml4b");   /* UT + 0x5000, ASID 2 */
	kf_assign(&f, "pml4b");
	assert_int_equal(kf_cap(&f, "pml4b").asid, 2);
	kf_map_ok(&f, "frame", "pml4", 0x5000, RW, 0);
	struct pgsim_kres r = kf_map(&f, "frame", "pml4b", 0x6000, RW, 0);
	kf_expect(&r, PGSIM_SEL4_INVALID_CAPABILITY);
	assert_int_equal(r.cap, 1);
	r = kf_map(&f, "frame", "pml4", 0x6000, RW, 0);
	kf_expect(&r, PGSIM_SEL4_INVALID_ARGUMENT);
	assert_int_equal(r.arg, 0);
	assert_int_equal(r.mr[0], 0);
	/* the mapping is untouched */
	assert_int_equal(kf_entry(&f, UT + 0x3000, 5), 0x10004007);
	assert_int_equal(kf_entry(&f, UT + 0x3000, 6), 0);
	kf_free(&f);
}

/* Check 3d: not mapped and vaddr > USER_TOP or vaddr + size > USER_TOP
 * (0x7fffffffffff) -> InvalidArgument 0 (spec 2.3 boundary table). */
static void test_frame_too_high(void **state)
{
	(void)state;
	struct kfix f;
	x64_setup(&f);
	kf_retype(&f, "large_page", "f2m");  /* UT + 0x200000 */
	kf_add_1g(&f);
	/* tables for the top of user space: PML4[255], PDPT[511], PD[511] */
	const pgsim_va_t top = 0x7fffffffe000ull;
	kf_map_ok(&f, "pdpt", "pml4", top, 0, 0);
	kf_map_ok(&f, "pd", "pml4", top, 0, 0);
	kf_map_ok(&f, "pt", "pml4", top, 0, 0);
	kf_map_ok(&f, "frame", "pml4", top, RW, 0);  /* PT[510] */
	assert_int_equal(kf_entry(&f, UT + 0x3000, 510), 0x10004007);
	assert_int_equal(pgsim_kernel_unmap(f.k, "frame", &(struct pgsim_kres){0}), 0);
	struct pgsim_kres r = kf_map(&f, "frame", "pml4", 0x7ffffffff000ull, RW, 0);
	kf_expect(&r, PGSIM_SEL4_INVALID_ARGUMENT);
	assert_int_equal(r.arg, 0);
	r = kf_map(&f, "f2m", "pml4", 0x7fffffe00000ull, RW, 0);
	kf_expect(&r, PGSIM_SEL4_INVALID_ARGUMENT);
	r = kf_map(&f, "f1g", "pml4", 0x7fffc0000000ull, RW, 0);
	kf_expect(&r, PGSIM_SEL4_INVALID_ARGUMENT);
	r = kf_map(&f, "frame", "pml4", 0xffff800000000000ull, RW, 0);
	kf_expect(&r, PGSIM_SEL4_INVALID_ARGUMENT);
	/* too high and unaligned: x86 checks the address first */
	r = kf_map(&f, "frame", "pml4", 0x7ffffffff001ull, RW, 0);
	kf_expect(&r, PGSIM_SEL4_INVALID_ARGUMENT);
	kf_free(&f);
}

/* Check 4: the vspace cap is assigned but its ASID no longer resolves
 * (its pool was deleted) -> FailedLookup, InvalidRoot: MR0 0, MR1 1. */
static void test_frame_invalid_root(void **state)
{
	(void)state;
	struct kfix f;
	x64_tables(&f);
	struct pgsim_kres r;
	assert_int_equal(pgsim_kernel_delete(f.k, "asid_pool", &r), 0);
	kf_expect(&r, PGSIM_SEL4_NO_ERROR);
	r = kf_map(&f, "frame", "pml4", 0x5000, RW, 0);
	kf_expect(&r, PGSIM_SEL4_FAILED_LOOKUP);
	assert_int_equal(r.lookup, PGSIM_SEL4_LOOKUP_INVALID_ROOT);
	assert_int_equal(r.n_mr, 2);
	assert_int_equal(r.mr[0], 0);
	assert_int_equal(r.mr[1], 1);
	assert_int_equal(kf_entry(&f, UT + 0x3000, 5), 0);
	kf_free(&f);
}

/* Check 5: the ASID resolves, but to another root (pool 0 deleted and
 * re-made; the next root assigned gets ASID 1 again) -> InvalidCapability 1. */
static void test_frame_other_root(void **state)
{
	(void)state;
	struct kfix f;
	x64_tables(&f);
	kf_retype(&f, "pml4", "pml4b");
	kf_retype_from(&f, "ut", "untyped", 12, "ut_pool");
	struct pgsim_kres r;
	assert_int_equal(pgsim_kernel_delete(f.k, "asid_pool", &r), 0);
	assert_int_equal(pgsim_kernel_make_pool(f.k, "asid_control", "ut_pool", "asid_pool", &r), 0);
	kf_expect(&r, PGSIM_SEL4_NO_ERROR);
	assert_int_equal(r.value, 0);       /* pool index 0 is free again */
	kf_assign(&f, "pml4b");
	assert_int_equal(kf_cap(&f, "pml4b").asid, 1);
	r = kf_map(&f, "frame", "pml4", 0x5000, RW, 0);
	kf_expect(&r, PGSIM_SEL4_INVALID_CAPABILITY);
	assert_int_equal(r.cap, 1);
	kf_free(&f);
}

/* Check 6: vaddr not aligned to the frame size -> AlignmentError, even
 * when the tables are missing too (alignment comes before the lookup). */
static void test_frame_alignment(void **state)
{
	(void)state;
	struct kfix f;
	x64_setup(&f);
	kf_retype(&f, "large_page", "f2m");
	struct pgsim_kres r = kf_map(&f, "frame", "pml4", 0x5800, RW, 0);
	kf_expect(&r, PGSIM_SEL4_ALIGNMENT_ERROR);
	assert_int_equal(r.n_mr, 0);
	r = kf_map(&f, "f2m", "pml4", 0x100000, RW, 0);
	kf_expect(&r, PGSIM_SEL4_ALIGNMENT_ERROR);
	kf_free(&f);
}

/* Check 7: each missing level (spec 4.1/4.2): 4 KiB -> 39, 30, 21;
 * 2 MiB -> 39, 30; 1 GiB -> 39; nothing is written on failure. */
static void test_frame_failed_levels(void **state)
{
	(void)state;
	struct kfix f;
	x64_setup(&f);
	kf_retype(&f, "large_page", "f2m");
	kf_add_1g(&f);
	struct pgsim_kres r = kf_map(&f, "frame", "pml4", 0, RW, 0);
	kf_expect_missing(&r, 39);
	r = kf_map(&f, "f2m", "pml4", 0, RW, 0);
	kf_expect_missing(&r, 39);
	r = kf_map(&f, "f1g", "pml4", 0, RW, 0);
	kf_expect_missing(&r, 39);
	assert_false(kf_cap(&f, "frame").mapped);
	kf_map_ok(&f, "pdpt", "pml4", 0, 0, 0);
	r = kf_map(&f, "frame", "pml4", 0, RW, 0);
	kf_expect_missing(&r, 30);
	r = kf_map(&f, "f2m", "pml4", 0, RW, 0);
	kf_expect_missing(&r, 30);
	kf_map_ok(&f, "pd", "pml4", 0, 0, 0);
	r = kf_map(&f, "frame", "pml4", 0, RW, 0);
	kf_expect_missing(&r, 21);
	assert_false(kf_cap(&f, "frame").mapped);
	kf_free(&f);
}

/* Check 8: a large frame where a table is present -> DeleteFirst
 * (2 MiB over a PT, 1 GiB over a PD). */
static void test_frame_large_over_table(void **state)
{
	(void)state;
	struct kfix f;
	x64_tables(&f);
	kf_retype(&f, "large_page", "f2m");
	kf_add_1g(&f);
	struct pgsim_kres r = kf_map(&f, "f2m", "pml4", 0, RW, 0);
	kf_expect(&r, PGSIM_SEL4_DELETE_FIRST);
	r = kf_map(&f, "f1g", "pml4", 0, RW, 0);
	kf_expect(&r, PGSIM_SEL4_DELETE_FIRST);
	assert_int_equal(kf_entry(&f, UT + 0x2000, 0), 0x10003007);
	kf_free(&f);
}

/* A smaller frame where a larger leaf sits -> FailedLookup at the leaf's
 * level: 4 KiB under a 2 MiB page -> 21, under a 1 GiB page -> 30; 2 MiB
 * under a 1 GiB page -> 30 (spec 3.1). */
static void test_frame_small_under_large(void **state)
{
	(void)state;
	struct kfix f;
	x64_tables(&f);
	kf_retype(&f, "large_page", "f2m");   /* UT + 0x200000 */
	kf_add_1g(&f);                        /* 0x40000000 */
	kf_retype(&f, "large_page", "g2m");
	kf_map_ok(&f, "f2m", "pml4", 0x200000, RW, 0);   /* PD[1] */
	assert_int_equal(kf_entry(&f, UT + 0x2000, 1), 0x10200087);
	struct pgsim_kres r = kf_map(&f, "frame", "pml4", 0x201000, RW, 0);
	kf_expect_missing(&r, 21);
	kf_map_ok(&f, "f1g", "pml4", 0x40000000, RW, 0);  /* PDPT[1] */
	assert_int_equal(kf_entry(&f, UT + 0x1000, 1), 0x40000087);
	r = kf_map(&f, "frame", "pml4", 0x40001000, RW, 0);
	kf_expect_missing(&r, 30);
	r = kf_map(&f, "g2m", "pml4", 0x40200000, RW, 0);
	kf_expect_missing(&r, 30);
	kf_free(&f);
}

/* A fresh frame over an existing same-size leaf is silently overwritten
 * (x86 since 10.1.0); the old cap goes stale, and its Page_Unmap leaves
 * the new entry alone (physical address compare). */
static void test_frame_overwrite_and_stale_unmap(void **state)
{
	(void)state;
	struct kfix f;
	x64_tables(&f);
	kf_retype(&f, "frame", "frame2");     /* UT + 0x5000 */
	kf_map_ok(&f, "frame", "pml4", 0x5000, RW, 0);
	kf_map_ok(&f, "frame2", "pml4", 0x5000, RD, 0);
	assert_int_equal(kf_entry(&f, UT + 0x3000, 5), 0x10005005);
	assert_true(kf_cap(&f, "frame").mapped);
	struct pgsim_kres r = kf_unmap(&f, "frame");
	kf_expect(&r, PGSIM_SEL4_NO_ERROR);
	assert_false(kf_cap(&f, "frame").mapped);
	assert_int_equal(kf_entry(&f, UT + 0x3000, 5), 0x10005005);
	r = kf_unmap(&f, "frame2");
	kf_expect(&r, PGSIM_SEL4_NO_ERROR);
	assert_int_equal(kf_entry(&f, UT + 0x3000, 5), 0);
	/* unmapping an unmapped cap is a no-op success */
	r = kf_unmap(&f, "frame2");
	kf_expect(&r, PGSIM_SEL4_NO_ERROR);
	kf_free(&f);
}

/* maskVMRights (spec 1.3) as entry bits: RW cap asked R -> RO (P|US);
 * W only -> KernelOnly (P|RW, no US) with the kernel's debug message;
 * nothing -> KernelOnly; a read-only copy asked RW -> RO. */
static void test_frame_rights(void **state)
{
	(void)state;
	struct kfix f;
	x64_tables(&f);
	kf_map_ok(&f, "frame", "pml4", 0x5000, RD, 0);
	assert_int_equal(kf_entry(&f, UT + 0x3000, 5), 0x10004005);
	struct pgsim_kres r = kf_map(&f, "frame", "pml4", 0x5000, WR, 0);
	kf_expect(&r, PGSIM_SEL4_NO_ERROR);
	assert_string_equal(r.msg, "Attempted to make unsupported write only mapping");
	assert_int_equal(kf_entry(&f, UT + 0x3000, 5), 0x10004003);
	assert_int_equal(kf_cap(&f, "frame").map_rights, PGSIM_VM_KERNEL_ONLY);
	kf_map_ok(&f, "frame", "pml4", 0x5000, 0, 0);
	assert_int_equal(kf_entry(&f, UT + 0x3000, 5), 0x10004003);
	assert_int_equal(pgsim_kernel_copy(f.k, "frame", "ro", RD, &r), 0);
	kf_expect(&r, PGSIM_SEL4_NO_ERROR);
	assert_int_equal(kf_cap(&f, "ro").rights, PGSIM_VM_READ_ONLY);
	assert_int_equal(kf_cap(&f, "ro").rights_encoding, 2);
	kf_map_ok(&f, "ro", "pml4", 0x6000, RW, 0);
	assert_int_equal(kf_entry(&f, UT + 0x3000, 6), 0x10004005);
	kf_free(&f);
}

/* Spec 5.1 test vectors: 4 KiB at 0x1234000, 2 MiB at 0x40000000, 1 GiB
 * at 0x80000000, for each rights/attribute combination (remaps of the
 * same cap at the same vaddr rewrite the entry). */
static void test_entry_vectors(void **state)
{
	(void)state;
	struct kfix f;
	x64_tables(&f);
	assert_int_equal(pgsim_kernel_add_untyped(f.k, "u4k", 0x1234000, 12, false), 0);
	assert_int_equal(pgsim_kernel_add_untyped(f.k, "u2m", 0x40000000, 21, false), 0);
	assert_int_equal(pgsim_kernel_add_untyped(f.k, "u1g", 0x80000000, 30, false), 0);
	kf_retype_from(&f, "u4k", "frame", 0, "v4k");
	kf_retype_from(&f, "u2m", "large_page", 0, "v2m");
	kf_retype_from(&f, "u1g", "huge_page", 0, "v1g");
	static const struct { unsigned rights; uint64_t attr; uint64_t e; } v4k[] = {
		{ RW, 0, 0x1234007 }, { RD, 0, 0x1234005 }, { WR, 0, 0x1234003 },
		{ RW, 1, 0x123400f }, { RW, 2, 0x1234017 }, { RW, 3, 0x123401f },
		{ RW, 4, 0x1234087 },
	};
	for (unsigned i = 0; i < sizeof v4k / sizeof v4k[0]; i++) {
		kf_map_ok(&f, "v4k", "pml4", 0x7000, v4k[i].rights, v4k[i].attr);
		assert_int_equal(kf_entry(&f, UT + 0x3000, 7), v4k[i].e);
	}
	/* 2 MiB at VA 0x400000 (PD[2]), 1 GiB at VA 0x80000000 (PDPT[2]) */
	kf_map_ok(&f, "v2m", "pml4", 0x400000, RW, 0);
	assert_int_equal(kf_entry(&f, UT + 0x2000, 2), 0x40000087);
	kf_map_ok(&f, "v2m", "pml4", 0x400000, RW, 4);
	assert_int_equal(kf_entry(&f, UT + 0x2000, 2), 0x40001087);
	kf_map_ok(&f, "v1g", "pml4", 0x80000000, RW, 0);
	assert_int_equal(kf_entry(&f, UT + 0x1000, 2), 0x80000087);
	kf_map_ok(&f, "v1g", "pml4", 0x80000000, RW, 4);
	assert_int_equal(kf_entry(&f, UT + 0x1000, 2), 0x80000087);
	kf_free(&f);
}

/* A label a frame does not implement -> IllegalOperation; invoking an
 * empty slot -> InvalidCapability 0. */
static void test_frame_illegal_and_null(void **state)
{
	(void)state;
	struct kfix f;
	x64_tables(&f);
	struct pgsim_kres r = raw(&f, PGSIM_KL_PAGE_TABLE_MAP, "frame", 3, 0x5000, RW, 0, 1, "pml4");
	kf_expect(&r, PGSIM_SEL4_ILLEGAL_OPERATION);
	r = raw(&f, PGSIM_KL_PAGE_MAP, "empty", 3, 0x5000, RW, 0, 1, "pml4");
	kf_expect(&r, PGSIM_SEL4_INVALID_CAPABILITY);
	assert_int_equal(r.cap, 0);
	kf_free(&f);
}

/* The old Page_Remap name: remap of a mapped cap rewrites rights at its
 * recorded vaddr; of an unmapped cap -> InvalidCapability 0. */
static void test_remap_alias(void **state)
{
	(void)state;
	struct kfix f;
	x64_tables(&f);
	struct pgsim_kres r;
	assert_int_equal(pgsim_kernel_remap(f.k, "frame", "pml4", RW, 0, &r), 0);
	kf_expect(&r, PGSIM_SEL4_INVALID_CAPABILITY);
	assert_int_equal(r.cap, 0);
	kf_map_ok(&f, "frame", "pml4", 0x5000, RD, 0);
	assert_int_equal(pgsim_kernel_remap(f.k, "frame", "pml4", RW, 0, &r), 0);
	kf_expect(&r, PGSIM_SEL4_NO_ERROR);
	assert_int_equal(kf_entry(&f, UT + 0x3000, 5), 0x10004007);
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
		cmocka_unit_test(test_frame_truncated),
		cmocka_unit_test(test_frame_bad_vspace),
		cmocka_unit_test(test_frame_already_mapped),
		cmocka_unit_test(test_frame_too_high),
		cmocka_unit_test(test_frame_invalid_root),
		cmocka_unit_test(test_frame_other_root),
		cmocka_unit_test(test_frame_alignment),
		cmocka_unit_test(test_frame_failed_levels),
		cmocka_unit_test(test_frame_large_over_table),
		cmocka_unit_test(test_frame_small_under_large),
		cmocka_unit_test(test_frame_overwrite_and_stale_unmap),
		cmocka_unit_test(test_frame_rights),
		cmocka_unit_test(test_entry_vectors),
		cmocka_unit_test(test_frame_illegal_and_null),
		cmocka_unit_test(test_remap_alias),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
