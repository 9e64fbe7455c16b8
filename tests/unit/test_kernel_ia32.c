/* seL4 kernel model on ia32 (2-level, 4 MiB large pages, PD as root):
 * the shared x86 decode with PT lookups failing at 22, USER_TOP
 * 0xe0000000, the kernel window entries copied at PD creation (and the
 * PT-map DeleteFirst quirk they cause), GetStatusBits (VSPACE0010).
 *
 * Fixture: untyped "ut" = [0x10000000, +16 MiB): pd 0x10000000 (ASID 1),
 * pt 0x10001000, frame 0x10002000.  32-bit entries: P1 RW2 US4 PWT8
 * PCD0x10 A0x20 D0x40 PS0x80 G0x100, PAT 0x80 (PTE) / 0x1000 (4 MiB PDE).
 */
#include "test_kernel_util.h"

#define UT 0x10000000ull
#define RW PGSIM_SEL4_READ_WRITE
#define RD PGSIM_SEL4_CAN_READ

static void setup(struct kfix *f)
{
	kf_init(f, "ia32", UT, 24);
	kf_retype(f, "page_directory", "pd");
	kf_retype(f, "page_table", "pt");
	kf_retype(f, "frame", "frame");
	kf_assign(f, "pd");
}

/* copyGlobalMappings: PD 0x380..0x3fe = global supervisor writable 4 MiB
 * pages of physical memory from 0 (0x183 | paddr), 0x3ff = the kernel PT
 * (stand-in 0x101000, P|RW). */
static void test_kernel_window(void **state)
{
	(void)state;
	struct kfix f;
	setup(&f);
	assert_int_equal(kf_entry(&f, UT, 0x37f), 0);
	assert_int_equal(kf_entry(&f, UT, 0x380), 0x00000183);
	assert_int_equal(kf_entry(&f, UT, 0x381), 0x00400183);
	assert_int_equal(kf_entry(&f, UT, 0x3fe), 0x1f800183);
	assert_int_equal(kf_entry(&f, UT, 0x3ff), 0x00101003);
	assert_true(pgsim_kernel_is_kernel_entry(f.k, 0x380));
	assert_true(pgsim_kernel_is_kernel_entry(f.k, 0x3ff));
	assert_false(pgsim_kernel_is_kernel_entry(f.k, 0x37f));
	kf_free(&f);
}

/* The tutorial on ia32 at 0xa0000000 (PD index 0x280, PT index 0): the
 * only failed level is 22; the RO page faults on a write with 0x7. */
static void test_tutorial(void **state)
{
	(void)state;
	struct kfix f;
	setup(&f);
	const pgsim_va_t va = 0xa0000000;
	struct pgsim_kres r = kf_map(&f, "frame", "pd", va, RD, 0);
	kf_expect_missing(&r, 22);
	kf_map_ok(&f, "pt", "pd", va, 0, 0);
	kf_map_ok(&f, "frame", "pd", va, RD, 0);
	assert_int_equal(kf_entry(&f, UT, 0x280), 0x10001007);
	assert_int_equal(kf_entry(&f, UT + 0x1000, 0), 0x10002005);
	struct pgsim_translation t = tu_walk(&f.cfg, f.mem, UT, va, PGSIM_ACCESS_WRITE, true);
	assert_false(t.ok);
	struct pgsim_vm_fault vf;
	assert_int_equal(pgsim_kernel_vm_fault(f.k, &t.fault, PGSIM_ACCESS_WRITE, 0x8048000, &vf), 0);
	char line[128];
	pgsim_vm_fault_line(&vf, line, sizeof line);
	assert_string_equal(line, "vm fault on data at address 0xa0000000 with status 0x7");
	kf_map_ok(&f, "frame", "pd", va, RW, 0);
	assert_int_equal(kf_entry(&f, UT + 0x1000, 0), 0x10002007);
	kf_free(&f);
}

/* Spec 5.1 vectors in 32-bit entries: 4K at 0x1234000 and a 4 MiB page at
 * 0x40000000 (PAT moves to bit 12 in the PDE). */
static void test_entry_vectors(void **state)
{
	(void)state;
	struct kfix f;
	setup(&f);
	assert_int_equal(pgsim_kernel_add_untyped(f.k, "u4k", 0x1234000, 12, false), 0);
	assert_int_equal(pgsim_kernel_add_untyped(f.k, "u4m", 0x40000000, 22, false), 0);
	kf_retype_from(&f, "u4k", "frame", 0, "v4k");
	kf_retype_from(&f, "u4m", "frame_4m", 0, "v4m");
	kf_map_ok(&f, "pt", "pd", 0, 0, 0);
	static const struct { unsigned rights; uint64_t attr; uint64_t e; } v[] = {
		{ RW, 0, 0x1234007 }, { RD, 0, 0x1234005 }, { PGSIM_SEL4_CAN_WRITE, 0, 0x1234003 },
		{ RW, 1, 0x123400f }, { RW, 2, 0x1234017 }, { RW, 3, 0x123401f }, { RW, 4, 0x1234087 },
	};
	for (unsigned i = 0; i < sizeof v / sizeof v[0]; i++) {
		kf_map_ok(&f, "v4k", "pd", 0x7000, v[i].rights, v[i].attr);
		assert_int_equal(kf_entry(&f, UT + 0x1000, 7), v[i].e);
	}
	kf_map_ok(&f, "v4m", "pd", 0x400000, RW, 0);
	assert_int_equal(kf_entry(&f, UT, 1), 0x40000087);
	kf_map_ok(&f, "v4m", "pd", 0x400000, RW, 4);
	assert_int_equal(kf_entry(&f, UT, 1), 0x40001087);
	kf_free(&f);
}

/* USER_TOP 0xe0000000 (spec 2.3): 4K at 0xdffff000 and 4M at 0xdfc00000
 * are allowed (end == USER_TOP), 0xe0000000 is not; a 4 MiB page over a
 * PT -> DeleteFirst; 4K under a 4 MiB page -> FailedLookup 22. */
static void test_user_top_and_large(void **state)
{
	(void)state;
	struct kfix f;
	setup(&f);
	assert_int_equal(pgsim_kernel_add_untyped(f.k, "u4m", 0x40000000, 23, false), 0);
	kf_retype_from(&f, "u4m", "large_page", 0, "l1");
	kf_retype_from(&f, "u4m", "large_page", 0, "l2");
	kf_map_ok(&f, "pt", "pd", 0xdffff000, 0, 0);
	kf_map_ok(&f, "frame", "pd", 0xdffff000, RW, 0);
	assert_int_equal(kf_entry(&f, UT + 0x1000, 0x3ff), 0x10002007);
	struct pgsim_kres r = kf_map(&f, "l1", "pd", 0xdfc00000, RW, 0);
	kf_expect(&r, PGSIM_SEL4_DELETE_FIRST);
	kf_map_ok(&f, "l1", "pd", 0xdf800000, RW, 0);
	r = kf_unmap(&f, "pt");
	kf_map_ok(&f, "l2", "pd", 0xdfc00000, RW, 0);
	assert_int_equal(kf_entry(&f, UT, 0x37f), 0x40400087);
	r = kf_unmap(&f, "l2");
	r = kf_map(&f, "l2", "pd", 0xe0000000, RW, 0);   /* vtop 0xe0400000 */
	kf_expect(&r, PGSIM_SEL4_INVALID_ARGUMENT);
	kf_retype(&f, "frame", "g");
	r = kf_map(&f, "g", "pd", 0xe0000000, RW, 0);
	kf_expect(&r, PGSIM_SEL4_INVALID_ARGUMENT);
	r = kf_map(&f, "g", "pd", 0xdf801000, RW, 0);
	kf_expect_missing(&r, 22);
	kf_free(&f);
}

/* The PT-map quirk: 0xe0000000..0xe03fffff is masked to 0xe0000000,
 * passes the "> USER_TOP" test, and meets the kernel's global 4 MiB page
 * in PD[0x380] -> DeleteFirst; from 0xe0400000 on -> InvalidArgument. */
static void test_pt_kernel_window_quirk(void **state)
{
	(void)state;
	struct kfix f;
	setup(&f);
	struct pgsim_kres r = kf_map(&f, "pt", "pd", 0xe0000000, 0, 0);
	kf_expect(&r, PGSIM_SEL4_DELETE_FIRST);
	r = kf_map(&f, "pt", "pd", 0xe03fffff, 0, 0);
	kf_expect(&r, PGSIM_SEL4_DELETE_FIRST);
	r = kf_map(&f, "pt", "pd", 0xe0400000, 0, 0);
	kf_expect(&r, PGSIM_SEL4_INVALID_ARGUMENT);
	/* masking below the window */
	kf_map_ok(&f, "pt", "pd", 0x00c01234, 0, 0);
	assert_int_equal(kf_cap(&f, "pt").vaddr, 0x00c00000);
	assert_int_equal(kf_entry(&f, UT, 3), 0x10001007);
	kf_free(&f);
}

/* The ia32 PD (root) answers only to GetStatusBits: Map/Unmap labels ->
 * IllegalOperation.  GetStatusBits: fewer than 1 word -> Truncated;
 * vaddr > USER_TOP -> InvalidArgument 0; nothing mapped -> InvalidArgument
 * 1; VSPACE0010: after map A=0 D=0, after a read A=1 D=0, after a write
 * A=1 D=1 (the walker sets A/D in the PTE). */
static void test_get_status_bits(void **state)
{
	(void)state;
	struct kfix f;
	setup(&f);
	struct pgsim_kres r = kf_map(&f, "pd", "pd", 0, 0, 0);
	kf_expect(&r, PGSIM_SEL4_ILLEGAL_OPERATION);
	r = kf_unmap(&f, "pd");
	kf_expect(&r, PGSIM_SEL4_ILLEGAL_OPERATION);
	struct pgsim_kinv inv = { .label = PGSIM_KL_PAGE_DIRECTORY_GET_STATUS_BITS, .cap = "pd",
				  .n_words = 0 };
	r = kf_invoke(&f, &inv);
	kf_expect(&r, PGSIM_SEL4_TRUNCATED_MESSAGE);
	inv.n_words = 1;
	inv.w[0] = 0xe0001000;
	r = kf_invoke(&f, &inv);
	kf_expect(&r, PGSIM_SEL4_INVALID_ARGUMENT);
	assert_int_equal(r.arg, 0);
	inv.w[0] = 0x5000;
	r = kf_invoke(&f, &inv);
	kf_expect(&r, PGSIM_SEL4_INVALID_ARGUMENT);
	assert_int_equal(r.arg, 1);
	kf_map_ok(&f, "pt", "pd", 0, 0, 0);
	r = kf_invoke(&f, &inv);
	kf_expect(&r, PGSIM_SEL4_INVALID_ARGUMENT);
	assert_int_equal(r.arg, 1);
	kf_map_ok(&f, "frame", "pd", 0x5000, RW, 0);
	r = kf_invoke(&f, &inv);
	kf_expect(&r, PGSIM_SEL4_NO_ERROR);
	assert_int_equal(r.n_mr, 2);
	assert_int_equal(r.mr[0], 0);
	assert_int_equal(r.mr[1], 0);
	struct pgsim_walk_req req = { .access = PGSIM_ACCESS_READ, .user = true, .update_ad = true };
	struct pgsim_translation t;
	assert_int_equal(pgsim_walk_translate(&f.cfg, f.mem, UT, 0x5000, &req, &t), 0);
	assert_true(t.ok);
	r = kf_invoke(&f, &inv);
	assert_int_equal(r.mr[0], 1);
	assert_int_equal(r.mr[1], 0);
	req.access = PGSIM_ACCESS_WRITE;
	assert_int_equal(pgsim_walk_translate(&f.cfg, f.mem, UT, 0x5000, &req, &t), 0);
	r = kf_invoke(&f, &inv);
	assert_int_equal(r.mr[0], 1);
	assert_int_equal(r.mr[1], 1);
	assert_int_equal(r.value, 3);
	kf_free(&f);
}

/* ia32 ASIDs: 4 pools of 1024; the boot pool is pool 0, three more can
 * be made, then DeleteFirst (VSPACE0003/0004). */
static void test_pools(void **state)
{
	(void)state;
	struct kfix f;
	kf_init(&f, "ia32", UT, 24);
	struct pgsim_kres r;
	for (unsigned i = 1; i < 5; i++) {
		char ut[8], p[8];
		snprintf(ut, sizeof ut, "u%u", i);
		snprintf(p, sizeof p, "p%u", i);
		kf_retype_from(&f, "ut", "untyped", 12, ut);
		assert_int_equal(pgsim_kernel_make_pool(f.k, "asid_control", ut, p, &r), 0);
		if (i < 4) {
			kf_expect(&r, PGSIM_SEL4_NO_ERROR);
			assert_int_equal(r.value, i * 1024);
		} else {
			kf_expect(&r, PGSIM_SEL4_DELETE_FIRST);
		}
	}
	kf_free(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kernel_window),
		cmocka_unit_test(test_tutorial),
		cmocka_unit_test(test_entry_vectors),
		cmocka_unit_test(test_user_top_and_large),
		cmocka_unit_test(test_pt_kernel_window_quirk),
		cmocka_unit_test(test_get_status_bits),
		cmocka_unit_test(test_pools),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
