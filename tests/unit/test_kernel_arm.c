/* seL4 kernel model on AArch64 (non-hyp, 48-bit, 4 KiB granule): Page_Map
 * and PageTable_Map in decodeARM*Invocation's order (spec 3.2), the
 * descending lookupPTSlot and its bitsLeft (4.1/4.2), entry bits (5.2),
 * sel4test PT0001 (aarch64 variant) and the mapping tutorial.
 *
 * Fixture: untyped "ut" = [0x80000000, +16 MiB): vspace 0x80000000
 * (ASID 1), pt1 0x80001000, pt2 0x80002000, pt3 0x80003000, frame
 * 0x80004000.  Descriptor bits: [1:0] 0b11 table/page, 0b01 block; bit 58
 * seL4's page marker; AttrIndx [4:2] = 4 when cacheable; AP [7:6] RW 01,
 * RO 11, KernelOnly 00; AF 0x400; nG 0x800; UXN bit 54.
 */
#include "test_kernel_util.h"

#define UT 0x80000000ull
#define RW PGSIM_SEL4_READ_WRITE
#define RD PGSIM_SEL4_CAN_READ
#define WR PGSIM_SEL4_CAN_WRITE
#define DEF 3u          /* seL4_ARM_Default_VMAttributes */
#define XN 4u
#define PAGE_BITS 0x0400000000000000ull

static void setup_opts(struct kfix *f, const struct pgsim_kernel_opts *o)
{
	kf_init_opts(f, "aarch64", UT, 24, o);
	kf_retype(f, "vspace", "vs");
	kf_retype(f, "page_table", "pt1");
	kf_retype(f, "page_table", "pt2");
	kf_retype(f, "page_table", "pt3");
	kf_retype(f, "frame", "frame");
	kf_assign(f, "vs");
}

static void setup(struct kfix *f)
{
	setup_opts(f, NULL);
}

/* pt1, pt2, pt3 as L1, L2, L3 for VA 0. */
static void tables(struct kfix *f)
{
	setup(f);
	kf_map_ok(f, "pt1", "vs", 0, 0, 0);
	kf_map_ok(f, "pt2", "vs", 0, 0, 0);
	kf_map_ok(f, "pt3", "vs", 0, 0, 0);
}

/* The tutorial on AArch64: VA 0xa000000000 = L0 index 1, L1 128, L2 0,
 * L3 0.  Each PageTable lands in the first missing level; the frame fails
 * at 39, 30, 21 in turn.  The read-only page then faults on a user write
 * with ESR 0x9200004f (EC 0x24 data abort from EL0, IL, WnR, DFSC 0b001111
 * permission fault level 3). */
static void test_tutorial(void **state)
{
	(void)state;
	struct kfix f;
	setup(&f);
	const pgsim_va_t va = 0xa000000000ull;
	struct pgsim_kres r = kf_map(&f, "frame", "vs", va, RD, DEF);
	kf_expect_missing(&r, 39);
	kf_map_ok(&f, "pt1", "vs", va, 0, 0);
	assert_int_equal(kf_cap(&f, "pt1").vaddr, 0x8000000000ull);
	r = kf_map(&f, "frame", "vs", va, RD, DEF);
	kf_expect_missing(&r, 30);
	kf_map_ok(&f, "pt2", "vs", va, 0, 0);
	assert_int_equal(kf_cap(&f, "pt2").vaddr, va);
	r = kf_map(&f, "frame", "vs", va, RD, DEF);
	kf_expect_missing(&r, 21);
	kf_map_ok(&f, "pt3", "vs", va, 0, 0);
	kf_map_ok(&f, "frame", "vs", va, RD, DEF);
	assert_int_equal(kf_entry(&f, UT, 1), 0x80001003);
	assert_int_equal(kf_entry(&f, UT + 0x1000, 128), 0x80002003);
	assert_int_equal(kf_entry(&f, UT + 0x2000, 0), 0x80003003);
	assert_int_equal(kf_entry(&f, UT + 0x3000, 0), PAGE_BITS | 0x80004cd3);
	pgsim_pa_t root;
	assert_int_equal(pgsim_kernel_root_pa(f.k, "vs", &root), 0);
	struct pgsim_translation t = tu_walk(&f.cfg, f.mem, root, va, PGSIM_ACCESS_READ, true);
	assert_true(t.ok);
	assert_int_equal(t.pa, 0x80004000);
	t = tu_walk(&f.cfg, f.mem, root, va, PGSIM_ACCESS_WRITE, true);
	assert_false(t.ok);
	struct pgsim_vm_fault vf;
	assert_int_equal(pgsim_kernel_vm_fault(f.k, &t.fault, PGSIM_ACCESS_WRITE, 0x400000, &vf), 0);
	assert_int_equal(vf.fsr, 0x9200004f);
	assert_int_equal(vf.addr, va);
	assert_int_equal(vf.prefetch, 0);
	char line[128];
	pgsim_vm_fault_line(&vf, line, sizeof line);
	assert_string_equal(line, "vm fault on data at address 0xa000000000 with status 0x9200004f");
	kf_map_ok(&f, "frame", "vs", va, RW, DEF);
	t = tu_walk(&f.cfg, f.mem, root, va, PGSIM_ACCESS_WRITE, true);
	assert_true(t.ok);
	kf_free(&f);
}

/* Spec 5.2 vectors for a 4 KiB frame and a 2 MiB block at 0x40000000
 * (the untyped "uv" is retyped twice; deleting the 4K frame lets it
 * reset), uniprocessor; table descriptor -> PT at 0x80000000. */
static void test_entry_vectors(void **state)
{
	(void)state;
	struct kfix f;
	tables(&f);
	assert_int_equal(kf_entry(&f, UT, 0), 0x80001003);
	assert_int_equal(pgsim_kernel_add_untyped(f.k, "uv", 0x40000000, 21, false), 0);
	kf_retype_from(&f, "uv", "frame", 0, "v4k");
	static const struct { unsigned rights; uint64_t attr; uint64_t e; } v[] = {
		{ RW, DEF, 0x0400000040000c53ull }, { RD, DEF, 0x0400000040000cd3ull },
		{ RW, DEF | XN, 0x0440000040000c53ull }, { RW, 0, 0x0400000040000c43ull },
		{ RW, 2, 0x0400000040000c43ull }, { WR, DEF, 0x0400000040000c13ull },
	};
	for (unsigned i = 0; i < sizeof v / sizeof v[0]; i++) {
		kf_map_ok(&f, "v4k", "vs", 0x7000, v[i].rights, v[i].attr);
		assert_int_equal(kf_entry(&f, UT + 0x3000, 7), v[i].e);
	}
	struct pgsim_kres r;
	assert_int_equal(pgsim_kernel_delete(f.k, "v4k", &r), 0);
	assert_int_equal(kf_entry(&f, UT + 0x3000, 7), 0);
	kf_retype_from(&f, "uv", "large_page", 0, "v2m");
	kf_map_ok(&f, "v2m", "vs", 0x400000, RW, DEF);   /* L2[2] */
	assert_int_equal(kf_entry(&f, UT + 0x2000, 2), 0x0000000040000c51ull);
	kf_free(&f);
}

/* SMP builds make cacheable leaves inner shareable (SH = 0b11). */
static void test_entry_smp(void **state)
{
	(void)state;
	struct kfix f;
	struct pgsim_kernel_opts o = { .smp = true };
	setup_opts(&f, &o);
	kf_map_ok(&f, "pt1", "vs", 0, 0, 0);
	kf_map_ok(&f, "pt2", "vs", 0, 0, 0);
	kf_map_ok(&f, "pt3", "vs", 0, 0, 0);
	kf_map_ok(&f, "frame", "vs", 0x7000, RW, DEF);
	assert_int_equal(kf_entry(&f, UT + 0x3000, 7), PAGE_BITS | 0x80004f53);
	kf_map_ok(&f, "frame", "vs", 0x7000, RW, 0);    /* device: SH stays 0 */
	assert_int_equal(kf_entry(&f, UT + 0x3000, 7), PAGE_BITS | 0x80004c43);
	kf_free(&f);
}

/* Page_Map checks 1-4: truncated; vspace not an assigned VSpace ->
 * InvalidCapability 1; ASID gone -> FailedLookup InvalidRoot; another
 * root -> InvalidCapability 1. */
static void test_frame_vspace_checks(void **state)
{
	(void)state;
	struct kfix f;
	tables(&f);
	kf_retype(&f, "vspace", "vs2");
	struct pgsim_kinv inv = { .label = PGSIM_KL_PAGE_MAP, .cap = "frame", .n_words = 2,
				  .w = { 0x5000, RW }, .n_extra = 1, .extra = { "vs" } };
	struct pgsim_kres r = kf_invoke(&f, &inv);
	kf_expect(&r, PGSIM_SEL4_TRUNCATED_MESSAGE);
	r = kf_map(&f, "frame", "vs2", 0x5000, RW, DEF);
	kf_expect(&r, PGSIM_SEL4_INVALID_CAPABILITY);
	assert_int_equal(r.cap, 1);
	r = kf_map(&f, "frame", "pt1", 0x5000, RW, DEF);
	kf_expect(&r, PGSIM_SEL4_INVALID_CAPABILITY);
	assert_int_equal(r.cap, 1);
	kf_retype_from(&f, "ut", "untyped", 12, "up");
	assert_int_equal(pgsim_kernel_delete(f.k, "asid_pool", &r), 0);
	r = kf_map(&f, "frame", "vs", 0x5000, RW, DEF);
	kf_expect(&r, PGSIM_SEL4_FAILED_LOOKUP);
	assert_int_equal(r.lookup, PGSIM_SEL4_LOOKUP_INVALID_ROOT);
	assert_int_equal(pgsim_kernel_make_pool(f.k, "asid_control", "up", "pool", &r), 0);
	assert_int_equal(pgsim_kernel_assign(f.k, "pool", "vs2", &r), 0);
	assert_int_equal(r.value, 1);
	r = kf_map(&f, "frame", "vs", 0x5000, RW, DEF);
	kf_expect(&r, PGSIM_SEL4_INVALID_CAPABILITY);
	assert_int_equal(r.cap, 1);
	kf_free(&f);
}

/* Check 5 comes before the too-high and mapped checks on AArch64:
 * unaligned + too high -> AlignmentError; unaligned + already mapped
 * elsewhere -> AlignmentError.  Then 6a/6b/6c. */
static void test_frame_order(void **state)
{
	(void)state;
	struct kfix f;
	tables(&f);
	kf_retype(&f, "vspace", "vs2");
	kf_assign(&f, "vs2");
	struct pgsim_kres r = kf_map(&f, "frame", "vs", 0x800000000800ull, RW, DEF);
	kf_expect(&r, PGSIM_SEL4_ALIGNMENT_ERROR);
	kf_map_ok(&f, "frame", "vs", 0x5000, RW, DEF);
	r = kf_map(&f, "frame", "vs", 0x6800, RW, DEF);
	kf_expect(&r, PGSIM_SEL4_ALIGNMENT_ERROR);
	r = kf_map(&f, "frame", "vs2", 0x5000, RW, DEF);
	kf_expect(&r, PGSIM_SEL4_INVALID_CAPABILITY);
	assert_int_equal(r.cap, 1);
	r = kf_map(&f, "frame", "vs", 0x6000, RW, DEF);
	kf_expect(&r, PGSIM_SEL4_INVALID_ARGUMENT);
	assert_int_equal(r.arg, 0);
	kf_free(&f);
}

/* 6c: vaddr + size - 1 > USER_TOP (0x7fffffffffff): the last 4 KiB page
 * and a 1 GiB page ending at 2^47 are allowed on AArch64; beyond is
 * InvalidArgument 0 (spec 2.3). */
static void test_frame_user_top(void **state)
{
	(void)state;
	struct kfix f;
	setup(&f);
	assert_int_equal(pgsim_kernel_add_untyped(f.k, "u1g", 0x40000000, 30, false), 0);
	kf_retype_from(&f, "u1g", "huge_page", 0, "f1g");
	const pgsim_va_t top = 0x7ffffffff000ull;
	kf_map_ok(&f, "pt1", "vs", top, 0, 0);
	kf_map_ok(&f, "pt2", "vs", top, 0, 0);
	kf_map_ok(&f, "pt3", "vs", top, 0, 0);
	kf_map_ok(&f, "frame", "vs", top, RW, DEF);
	assert_int_equal(kf_entry(&f, UT + 0x3000, 511), PAGE_BITS | 0x80004c53);
	kf_map_ok(&f, "f1g", "vs", 0x7fff80000000ull, RW, DEF);   /* L1[510] */
	assert_int_equal(kf_entry(&f, UT + 0x1000, 510), 0x40000c51);
	struct pgsim_kres r;
	assert_int_equal(pgsim_kernel_delete(f.k, "frame", &r), 0);
	kf_retype(&f, "frame", "g");
	r = kf_map(&f, "g", "vs", 0x800000000000ull, RW, DEF);
	kf_expect(&r, PGSIM_SEL4_INVALID_ARGUMENT);
	assert_int_equal(r.arg, 0);
	kf_free(&f);
}

/* Check 7: bitsLeft != frame size -> FailedLookup with the walk's
 * bitsLeft: missing levels (39/30/21), a larger frame over a smaller table
 * (2 MiB over an L3 -> 12; 1 GiB over an L2 -> 21, over L2+L3 -> 12), a
 * smaller frame under a block (4K under 2M -> 21, under 1G -> 30). */
static void test_frame_bits_left(void **state)
{
	(void)state;
	struct kfix f;
	tables(&f);
	kf_retype(&f, "large_page", "f2m");      /* 0x80200000 */
	kf_retype(&f, "page_table", "pt4");      /* 0x80400000 */
	assert_int_equal(pgsim_kernel_add_untyped(f.k, "u1g", 0x40000000, 30, false), 0);
	kf_retype_from(&f, "u1g", "huge_page", 0, "f1g");
	struct pgsim_kres r = kf_map(&f, "frame", "vs", 0x8000000000ull, RW, DEF);
	kf_expect_missing(&r, 39);
	r = kf_map(&f, "frame", "vs", 0x40000000, RW, DEF);
	kf_expect_missing(&r, 30);
	r = kf_map(&f, "frame", "vs", 0x200000, RW, DEF);
	kf_expect_missing(&r, 21);
	r = kf_map(&f, "f2m", "vs", 0, RW, DEF);
	kf_expect_missing(&r, 12);
	r = kf_map(&f, "f1g", "vs", 0, RW, DEF);
	kf_expect_missing(&r, 12);
	kf_map_ok(&f, "pt4", "vs", 0x40000000, 0, 0);   /* an L2 under L1[1] */
	r = kf_map(&f, "f1g", "vs", 0x40000000, RW, DEF);
	kf_expect_missing(&r, 21);
	kf_map_ok(&f, "f2m", "vs", 0x200000, RW, DEF);  /* block in L2[1] */
	r = kf_map(&f, "frame", "vs", 0x201000, RW, DEF);
	kf_expect_missing(&r, 21);
	kf_free(&f);
}

/* A fresh frame over an existing page of the same size is overwritten
 * (AArch64 since 11.0.0); Page_Unmap of the stale cap leaves it alone. */
static void test_frame_overwrite(void **state)
{
	(void)state;
	struct kfix f;
	tables(&f);
	kf_retype(&f, "frame", "frame2");   /* 0x80005000 */
	kf_map_ok(&f, "frame", "vs", 0x5000, RW, DEF);
	kf_map_ok(&f, "frame2", "vs", 0x5000, RW, DEF);
	assert_int_equal(kf_entry(&f, UT + 0x3000, 5), PAGE_BITS | 0x80005c53);
	struct pgsim_kres r = kf_unmap(&f, "frame");
	kf_expect(&r, PGSIM_SEL4_NO_ERROR);
	assert_int_equal(kf_entry(&f, UT + 0x3000, 5), PAGE_BITS | 0x80005c53);
	r = kf_unmap(&f, "frame2");
	assert_int_equal(kf_entry(&f, UT + 0x3000, 5), 0);
	kf_free(&f);
}

/* sel4test PT0001 (aarch64 variant) at vstart 0x10000000 with L1/L2 in
 * place: misaligned 2 MiB -> AlignmentError; map, unmap, remap; the same
 * cap at vstart+2M -> InvalidArgument; 4K where no L3 -> FailedLookup;
 * PT_Map at vstart+2M+10 -> ok (truncated); 4K at vstart+2M+4K -> ok;
 * delete the PT, unmap both frames -> ok; a new PT at vstart, 4K at
 * vstart+4K and 2M at vstart+2M -> ok. */
static void test_pt0001(void **state)
{
	(void)state;
	struct kfix f;
	setup(&f);
	const pgsim_va_t vs0 = 0x10000000;
	kf_map_ok(&f, "pt1", "vs", vs0, 0, 0);
	kf_map_ok(&f, "pt2", "vs", vs0, 0, 0);
	kf_retype(&f, "large_page", "f2m");   /* 0x80200000 */
	kf_retype(&f, "frame", "fa");         /* 0x80400000 */
	kf_retype(&f, "frame", "fb");
	kf_retype(&f, "page_table", "pt4");
	kf_retype(&f, "large_page", "g2m");
	struct pgsim_kres r = kf_map(&f, "f2m", "vs", vs0 + 0x100000, RW, DEF);
	kf_expect(&r, PGSIM_SEL4_ALIGNMENT_ERROR);
	kf_map_ok(&f, "f2m", "vs", vs0, RW, DEF);
	r = kf_unmap(&f, "f2m");
	kf_expect(&r, PGSIM_SEL4_NO_ERROR);
	kf_map_ok(&f, "f2m", "vs", vs0, RW, DEF);
	r = kf_map(&f, "f2m", "vs", vs0 + 0x200000, RW, DEF);
	kf_expect(&r, PGSIM_SEL4_INVALID_ARGUMENT);
	r = kf_map(&f, "fa", "vs", vs0 + 0x201000, RW, DEF);
	kf_expect(&r, PGSIM_SEL4_FAILED_LOOKUP);
	kf_map_ok(&f, "pt3", "vs", vs0 + 0x200000 + 10, 0, 0);
	assert_int_equal(kf_cap(&f, "pt3").vaddr, vs0 + 0x200000);
	kf_map_ok(&f, "fa", "vs", vs0 + 0x201000, RW, DEF);
	assert_int_equal(pgsim_kernel_delete(f.k, "pt3", &r), 0);
	kf_expect(&r, PGSIM_SEL4_NO_ERROR);
	r = kf_unmap(&f, "f2m");
	kf_expect(&r, PGSIM_SEL4_NO_ERROR);
	r = kf_unmap(&f, "fa");
	kf_expect(&r, PGSIM_SEL4_NO_ERROR);
	kf_map_ok(&f, "pt4", "vs", vs0, 0, 0);
	kf_map_ok(&f, "fb", "vs", vs0 + 0x1000, RW, DEF);
	kf_map_ok(&f, "g2m", "vs", vs0 + 0x200000, RW, DEF);
	kf_free(&f);
}

/* PageTable_Map: RevokeFirst for a shared table's unmap; labels other
 * than PT Map/Unmap and any label on a VSpace -> IllegalOperation;
 * truncated; already mapped -> InvalidCapability 0; bad vspace -> 1; raw
 * vaddr > USER_TOP -> InvalidArgument 0; no level left or a page in the
 * way -> DeleteFirst; never a FailedLookup. */
static void test_pt_map_checks(void **state)
{
	(void)state;
	struct kfix f;
	tables(&f);
	kf_retype(&f, "page_table", "pt4");
	kf_retype(&f, "large_page", "f2m");
	struct pgsim_kres r;
	assert_int_equal(pgsim_kernel_copy(f.k, "pt3", "pt3c", RW, &r), 0);
	r = kf_unmap(&f, "pt3");
	kf_expect(&r, PGSIM_SEL4_REVOKE_FIRST);
	struct pgsim_kinv inv = { .label = PGSIM_KL_PAGE_DIRECTORY_MAP, .cap = "pt4", .n_words = 2,
				  .n_extra = 1, .extra = { "vs" } };
	r = kf_invoke(&f, &inv);
	kf_expect(&r, PGSIM_SEL4_ILLEGAL_OPERATION);
	r = kf_map(&f, "vs", "vs", 0, 0, 0);
	kf_expect(&r, PGSIM_SEL4_ILLEGAL_OPERATION);
	inv.label = PGSIM_KL_PAGE_TABLE_MAP;
	inv.n_words = 1;
	r = kf_invoke(&f, &inv);
	kf_expect(&r, PGSIM_SEL4_TRUNCATED_MESSAGE);
	r = kf_map(&f, "pt3", "vs", 0x40000000, 0, 0);
	kf_expect(&r, PGSIM_SEL4_INVALID_CAPABILITY);
	assert_int_equal(r.cap, 0);
	r = kf_map(&f, "pt4", "frame", 0, 0, 0);
	kf_expect(&r, PGSIM_SEL4_INVALID_CAPABILITY);
	assert_int_equal(r.cap, 1);
	r = kf_map(&f, "pt4", "vs", 0x800000000000ull, 0, 0);
	kf_expect(&r, PGSIM_SEL4_INVALID_ARGUMENT);
	kf_map_ok(&f, "pt4", "vs", 0x7fffffffffffull, 0, 0);  /* raw check: allowed */
	assert_int_equal(kf_cap(&f, "pt4").vaddr, 0x7f8000000000ull);
	r = kf_unmap(&f, "pt4");
	kf_expect(&r, PGSIM_SEL4_NO_ERROR);
	/* all levels present for VA 0 */
	r = kf_map(&f, "pt4", "vs", 0, 0, 0);
	kf_expect(&r, PGSIM_SEL4_DELETE_FIRST);
	kf_map_ok(&f, "f2m", "vs", 0x200000, RW, DEF);
	r = kf_map(&f, "pt4", "vs", 0x200000, 0, 0);
	kf_expect(&r, PGSIM_SEL4_DELETE_FIRST);
	kf_free(&f);
}

/* PT unmap: walk to the table along its vaddr, clear the parent slot,
 * zero the table; a PT unmapped twice is fine; VSpace deletion frees the
 * ASID and stale frame caps unmap harmlessly (VSPACE0001). */
static void test_unmaps(void **state)
{
	(void)state;
	struct kfix f;
	tables(&f);
	kf_map_ok(&f, "frame", "vs", 0x5000, RW, DEF);
	struct pgsim_kres r = kf_unmap(&f, "pt2");
	kf_expect(&r, PGSIM_SEL4_NO_ERROR);
	assert_int_equal(kf_entry(&f, UT + 0x1000, 0), 0);
	assert_int_equal(kf_entry(&f, UT + 0x2000, 0), 0);
	assert_int_equal(kf_entry(&f, UT + 0x3000, 5), PAGE_BITS | 0x80004c53);
	r = kf_unmap(&f, "pt2");
	kf_expect(&r, PGSIM_SEL4_NO_ERROR);
	assert_int_equal(pgsim_kernel_delete(f.k, "vs", &r), 0);
	pgsim_pa_t pa;
	assert_int_equal(pgsim_kernel_asid_root(f.k, 1, &pa), -ENOENT);
	r = kf_unmap(&f, "frame");
	kf_expect(&r, PGSIM_SEL4_NO_ERROR);
	kf_free(&f);
}

/* An instruction fetch fault: PrefetchFault 1, Addr = the PC, FSR = ESR
 * EC 0x20 (instruction abort from EL0) | IL | IFSC translation level 3
 * (0b000111) = 0x82000007. */
static void test_prefetch_fault(void **state)
{
	(void)state;
	struct kfix f;
	tables(&f);
	pgsim_pa_t root;
	assert_int_equal(pgsim_kernel_root_pa(f.k, "vs", &root), 0);
	struct pgsim_translation t = tu_walk(&f.cfg, f.mem, root, 0x6004, PGSIM_ACCESS_EXEC, true);
	assert_false(t.ok);
	struct pgsim_vm_fault vf;
	assert_int_equal(pgsim_kernel_vm_fault(f.k, &t.fault, PGSIM_ACCESS_EXEC, 0x6004, &vf), 0);
	assert_int_equal(vf.prefetch, 1);
	assert_int_equal(vf.addr, 0x6004);
	assert_int_equal(vf.fsr, 0x82000007);
	char line[128];
	pgsim_vm_fault_line(&vf, line, sizeof line);
	assert_string_equal(line, "vm fault on code at address 0x6004 with status 0x82000007");
	kf_free(&f);
}

/* Derivation on AArch64: an unassigned VSpace / unmapped PT cannot be
 * copied; a frame copy is unmapped but keeps the recorded address
 * (Arch_deriveCap clears only the ASID). */
static void test_derive(void **state)
{
	(void)state;
	struct kfix f;
	setup(&f);
	kf_retype(&f, "vspace", "vs2");
	struct pgsim_kres r;
	assert_int_equal(pgsim_kernel_copy(f.k, "vs2", "c", RW, &r), 0);
	kf_expect(&r, PGSIM_SEL4_ILLEGAL_OPERATION);
	assert_int_equal(pgsim_kernel_copy(f.k, "pt1", "c", RW, &r), 0);
	kf_expect(&r, PGSIM_SEL4_ILLEGAL_OPERATION);
	kf_map_ok(&f, "pt1", "vs", 0, 0, 0);
	kf_map_ok(&f, "pt2", "vs", 0, 0, 0);
	kf_map_ok(&f, "pt3", "vs", 0, 0, 0);
	kf_map_ok(&f, "frame", "vs", 0x5000, RW, DEF);
	assert_int_equal(pgsim_kernel_copy(f.k, "frame", "fc", RW, &r), 0);
	struct pgsim_kcap_info in = kf_cap(&f, "fc");
	assert_false(in.mapped);
	assert_int_equal(in.vaddr, 0x5000);
	assert_int_equal(kf_cap(&f, "frame").rights_encoding, 1);
	kf_free(&f);
}

static struct pgsim_kres flush(struct kfix *f, enum pgsim_klabel l, const char *cap,
			       unsigned n, uint64_t start, uint64_t end)
{
	struct pgsim_kinv inv = { .label = l, .cap = cap, .n_words = n, .w = { start, end } };
	return kf_invoke(f, &inv);
}

/* Page cache maintenance checks (spec 3.2): truncated; unmapped cap ->
 * IllegalOperation; end <= start -> InvalidArgument 1; outside the page ->
 * InvalidArgument 0; a stale cap -> InvalidCapability 0; Invalidate on a
 * read-only mapping -> IllegalOperation; otherwise NoError.  x86 frames
 * have no such labels (IllegalOperation). */
static void test_page_flush(void **state)
{
	(void)state;
	struct kfix f;
	tables(&f);
	struct pgsim_kres r = flush(&f, PGSIM_KL_PAGE_CLEAN_DATA, "frame", 1, 0, 0x10);
	kf_expect(&r, PGSIM_SEL4_TRUNCATED_MESSAGE);
	r = flush(&f, PGSIM_KL_PAGE_CLEAN_DATA, "frame", 2, 0, 0x10);
	kf_expect(&r, PGSIM_SEL4_ILLEGAL_OPERATION);
	kf_map_ok(&f, "frame", "vs", 0x5000, PGSIM_SEL4_CAN_READ, DEF);
	r = flush(&f, PGSIM_KL_PAGE_CLEAN_DATA, "frame", 2, 0x10, 0x10);
	kf_expect(&r, PGSIM_SEL4_INVALID_ARGUMENT);
	assert_int_equal(r.arg, 1);
	r = flush(&f, PGSIM_KL_PAGE_CLEAN_DATA, "frame", 2, 0x10, 0x1001);
	kf_expect(&r, PGSIM_SEL4_INVALID_ARGUMENT);
	assert_int_equal(r.arg, 0);
	r = flush(&f, PGSIM_KL_PAGE_CLEAN_DATA, "frame", 2, 0, 0x1000);
	kf_expect(&r, PGSIM_SEL4_NO_ERROR);
	r = flush(&f, PGSIM_KL_PAGE_INVALIDATE_DATA, "frame", 2, 0, 0x1000);
	kf_expect(&r, PGSIM_SEL4_ILLEGAL_OPERATION);
	kf_map_ok(&f, "frame", "vs", 0x5000, RW, DEF);
	r = flush(&f, PGSIM_KL_PAGE_INVALIDATE_DATA, "frame", 2, 0, 0x1000);
	kf_expect(&r, PGSIM_SEL4_NO_ERROR);
	assert_int_equal(pgsim_kernel_unmap(f.k, "pt3", &r), 0);
	r = flush(&f, PGSIM_KL_PAGE_UNIFY_INSTRUCTION, "frame", 2, 0, 4);
	kf_expect(&r, PGSIM_SEL4_INVALID_CAPABILITY);
	assert_int_equal(r.cap, 0);
	kf_free(&f);
	kf_init(&f, "x86_64", UT, 24);
	kf_retype(&f, "frame", "frame");
	r = flush(&f, PGSIM_KL_PAGE_CLEAN_DATA, "frame", 2, 0, 4);
	kf_expect(&r, PGSIM_SEL4_ILLEGAL_OPERATION);
	kf_free(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tutorial),
		cmocka_unit_test(test_entry_vectors),
		cmocka_unit_test(test_entry_smp),
		cmocka_unit_test(test_frame_vspace_checks),
		cmocka_unit_test(test_frame_order),
		cmocka_unit_test(test_frame_user_top),
		cmocka_unit_test(test_frame_bits_left),
		cmocka_unit_test(test_frame_overwrite),
		cmocka_unit_test(test_pt0001),
		cmocka_unit_test(test_pt_map_checks),
		cmocka_unit_test(test_unmaps),
		cmocka_unit_test(test_prefetch_fault),
		cmocka_unit_test(test_derive),
		cmocka_unit_test(test_page_flush),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
