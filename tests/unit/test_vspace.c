/* sel4utils vspace model: the seed's spawn (spec sel4utils-vspace.md
 * sections 4 and 5) on ia32, and the same spawn on x86_64, AArch64 and
 * Sv39.
 *
 * Expected values, worked out from the spec by hand:
 * - ia32 shadow geometry 2 x 10 bits: top index = va >> 22, bottom index
 *   = (va >> 12) & 0x3ff.  0x08048000 -> PDE 32 slot 72; 387 pages end at
 *   0x081cafff -> slot 458 (72 + 386).  0x10000000 -> PDE 64 slot 0.
 * - IPC buffer: first find_range from last_allocated 0x10000000 ->
 *   0x10000000 (no reservation); stack: reserve 17 pages from 0x10001000
 *   -> [0x10001000, 0x10012000), guard 0x10001000 RESERVED, 16 pages at
 *   0x10002000..0x10011fff; shared page: 0x10012000 (reservation freed).
 * - PDE 32: 387 used, 0 reserved, 1024 - 387 = 637 empty.  PDE 64: used
 *   1 + 16 + 1 = 18, reserved 1, empty 1024 - 19 = 1005.  Top level: 2
 *   used (32, 64), 1024 - 896 = 128 RESERVED (kernel region from
 *   0xe0000000 >> 22 = 896), 1024 - 130 = 894 empty.
 * - last_allocated: 0x10012000 + 0x1000 = 0x10013000.
 * - hardware: one PT per used PDE (FailedLookup 22 at the first map of
 *   each), both on the process's allocated-object list.
 * Other arches (4 levels x 9 bits; Sv39 3 x 9): the same VAs; a 2 MiB
 * bottom table covers 0x08000000..0x081fffff (slots 72..458 of 512) and
 * 0x10000000..0x101fffff; the FailedLookups create PDPT/PD/PT (x86_64,
 * AArch64: 3 tables for the first VA, 1 for the second) or 2 + 1 (Sv39).
 */
#include "test_vspace_util.h"

/* The seed state on ia32, with one 387-page ELF segment. */
static void test_seed_ia32(void **state)
{
	(void)state;
	struct vfix f;
	vf_init(&f, "ia32");
	vf_spawn(&f, vf_seg1, 1);
	const struct pgsim_vs *C = f.C;
	struct pgsim_vs_info in;
	pgsim_vs_info(C, &in);
	/* exactly one reservation: [0x10001000, 0x10012000), 17 pages, malloced */
	assert_int_equal(vf_n_res(C), 1);
	assert_int_equal(in.head->start, 0x10001000);
	assert_int_equal(in.head->end, 0x10012000);
	assert_int_equal((in.head->end - in.head->start) / 0x1000, 17);
	assert_true(in.head->malloced);
	assert_false(in.head->rights_deferred);
	assert_int_equal(in.head->rights, PGSIM_SEL4_ALL_RIGHTS);
	/* PDE 32: 387 used, 0 reserved, 637 empty */
	struct vf_count c = vf_count(C, 0x08000000, 0x083fffff);
	assert_int_equal(c.used, 387);
	assert_int_equal(c.reserved, 0);
	assert_int_equal(c.empty, 637);
	assert_int_equal(vf_kind(C, 0x08047000), PGSIM_VS_SLOT_EMPTY);
	assert_int_equal(vf_kind(C, 0x08048000), PGSIM_VS_SLOT_MAPPED);
	assert_int_equal(vf_kind(C, 0x081ca000), PGSIM_VS_SLOT_MAPPED);
	assert_int_equal(vf_kind(C, 0x081cb000), PGSIM_VS_SLOT_EMPTY);
	/* PDE 64: 18 used, 1 reserved (the guard), 1005 empty */
	c = vf_count(C, 0x10000000, 0x103fffff);
	assert_int_equal(c.used, 18);
	assert_int_equal(c.reserved, 1);
	assert_int_equal(c.empty, 1005);
	assert_int_equal(vf_kind(C, 0x10001000), PGSIM_VS_SLOT_RESERVED);
	/* top level: 896..1023 RESERVED without a reservation node */
	struct pgsim_vs_slot s;
	for (uint64_t i = 0; i < 1024; i++) {
		pgsim_vs_lookup(C, i << 22, &s);
		if (i >= 896)
			assert_int_equal(s.kind, PGSIM_VS_SLOT_MID_RESERVED);
		else if (i != 32 && i != 64)
			assert_true(s.kind == PGSIM_VS_SLOT_EMPTY && s.level == 1);
	}
	/* cookies: ELF, IPC and stack pages carry ut cookies; the shared page 0 */
	assert_int_not_equal(vf_cookie(C, 0x08048000), 0);
	assert_int_not_equal(vf_cookie(C, 0x10000000), 0);
	assert_int_not_equal(vf_cookie(C, 0x10002000), 0);
	assert_int_equal(vf_cookie(C, 0x10012000), 0);
	assert_int_equal(in.last_allocated, 0x10013000);
	/* two page tables on the process's allocated-object list */
	struct pgsim_vs_proc_info pi;
	pgsim_vs_proc_info(f.proc, &pi);
	assert_int_equal(pi.n_objects, 2);
	assert_int_equal(pi.ipc_buffer, 0x10000000);
	assert_int_equal(pi.stack_top, 0x10012000);
	for (unsigned i = 0; i < pi.n_objects; i++) {
		char slot[64];
		struct pgsim_kcap_info ki;
		pgsim_vs_slot(f.env, pi.objects[i], slot, sizeof slot);
		assert_int_equal(pgsim_kernel_cap(f.k, slot, &ki), 0);
		assert_int_equal(ki.type, PGSIM_KCAP_TABLE);
		assert_true(ki.mapped);
		/* ia32 PT caps record the 4 MiB-aligned VA they serve */
		assert_true(ki.vaddr == 0x08000000 || ki.vaddr == 0x10000000);
	}
	vf_free(&f);
}

/* The two-segment ELF gives the same shadow: the shared frame 0x080c7000
 * goes to the writable segment's reservation (prepare_reservations) and
 * is created once; both reservations are freed after loading. */
static void test_seed_ia32_two_segments(void **state)
{
	(void)state;
	struct vfix f;
	vf_init(&f, "ia32");
	vf_spawn(&f, vf_seg2, 2);
	struct vf_count c = vf_count(f.C, 0x08000000, 0x083fffff);
	assert_int_equal(c.used, 387);
	assert_int_equal(c.reserved, 0);
	assert_int_equal(c.empty, 637);
	c = vf_count(f.C, 0x10000000, 0x103fffff);
	assert_int_equal(c.used, 18);
	assert_int_equal(c.reserved, 1);
	assert_int_equal(vf_n_res(f.C), 1);
	/* the shared frame was mapped while loading segment 0, through the
	 * reservation of segment 1 (index + 1): its mapping event is a
	 * new_pages_at_vaddr inside load_segment 0 */
	struct pgsim_vs_slot s;
	pgsim_vs_lookup(f.C, 0x080c7000, &s);
	assert_int_equal(s.kind, PGSIM_VS_SLOT_MAPPED);
	const struct pgsim_vs_event *ev = pgsim_vs_event(f.env, s.event);
	assert_non_null(ev);
	assert_string_equal(ev->op, "new_pages_at_vaddr");
	const struct pgsim_vs_event *par = pgsim_vs_event(f.env, ev->parent);
	assert_string_equal(par->op, "load_segment");
	assert_int_equal(par->detail[0], '0');
	/* and its reservation serial is segment 1's (freed after loading) */
	struct pgsim_vs_res *r = pgsim_vs_res_at(f.env, s.res_serial);
	assert_non_null(r);
	assert_int_equal(r->start, 0x080c7000);
	assert_int_equal(r->end, 0x081cb000);
	assert_int_not_equal(r->freed_by, 0);
	/* segment 0's reservation lost that frame: [0x08048000, 0x080c7000) */
	pgsim_vs_lookup(f.C, 0x080c6000, &s);
	r = pgsim_vs_res_at(f.env, s.res_serial);
	assert_non_null(r);
	assert_int_equal(r->end, 0x080c7000);
	vf_free(&f);
}

/* The same spawn on a 4-level (x86_64, AArch64) or 3-level (Sv39) arch. */
static void spawn_64(const char *arch, unsigned top_kernel, unsigned n_tables)
{
	struct vfix f;
	vf_init(&f, arch);
	vf_spawn(&f, vf_seg1, 1);
	struct pgsim_vs_info in;
	pgsim_vs_info(f.C, &in);
	assert_int_equal(in.level_bits, 9);
	assert_int_equal(vf_n_res(f.C), 1);
	assert_int_equal(in.head->start, 0x10001000);
	assert_int_equal(in.head->end, 0x10012000);
	assert_true(in.head->malloced);
	/* bottom table 0x08000000..0x081fffff: 387 used of 512 */
	struct vf_count c = vf_count(f.C, 0x08000000, 0x081fffff);
	assert_int_equal(c.used, 387);
	assert_int_equal(c.reserved, 0);
	assert_int_equal(c.empty, 512 - 387);
	/* bottom table 0x10000000..0x101fffff: 18 used, 1 reserved */
	c = vf_count(f.C, 0x10000000, 0x101fffff);
	assert_int_equal(c.used, 18);
	assert_int_equal(c.reserved, 1);
	assert_int_equal(c.empty, 512 - 19);
	/* kernel region: top entries from TOP_LEVEL_INDEX(KERNEL_RESERVED_START) */
	struct pgsim_vs_consts k;
	pgsim_vs_env_consts(f.env, &k);
	assert_int_equal(k.kernel_top_index, top_kernel);
	struct pgsim_vs_slot s;
	uint64_t top_shift = (uint64_t)(in.levels - 1) * 9 + 12;
	pgsim_vs_lookup(f.C, (uint64_t)top_kernel << top_shift, &s);
	assert_int_equal(s.kind, PGSIM_VS_SLOT_MID_RESERVED);
	assert_int_equal(s.level, (int)in.levels - 1);
	pgsim_vs_lookup(f.C, (uint64_t)(top_kernel - 1) << top_shift, &s);
	assert_int_equal(s.kind, PGSIM_VS_SLOT_EMPTY);
	assert_int_equal(in.last_allocated, 0x10013000);
	struct pgsim_vs_proc_info pi;
	pgsim_vs_proc_info(f.proc, &pi);
	assert_int_equal(pi.n_objects, n_tables);
	vf_free(&f);
}

/* x86_64: seL4_UserTop 0x7ffffffff000 -> top index 255 (bits 47..39);
 * tables PDPT + PD + PT for 0x08048000, PT for 0x10000000. */
static void test_spawn_x86_64(void **state)
{
	(void)state;
	spawn_64("x86_64", 255, 4);
}

/* AArch64: seL4_UserTop 0x7fffffffffff -> ALIGN_DOWN 0x7ffffffff000 ->
 * 255; three PageTables (levels 2, 1, 0) + one. */
static void test_spawn_aarch64(void **state)
{
	(void)state;
	spawn_64("aarch64", 255, 4);
}

/* Sv39: seL4_UserTop 0x3ffffff000 -> 0x3ffffff000 >> 30 = 255; the root
 * covers bits 38..30, so 2 PTs for 0x08048000 and 1 for 0x10000000. */
static void test_spawn_sv39(void **state)
{
	(void)state;
	spawn_64("sv39", 255, 3);
}

/* The library constants per arch (spec 1.4, 1.5): ia32 VSPACE_RESERVE_START
 * = 0xe0000000 - (4K + 1024 * 8K + 4K) = 0xdf7fe000. */
static void test_consts(void **state)
{
	(void)state;
	struct vfix f;
	vf_init(&f, "ia32");
	struct pgsim_vs_consts c;
	pgsim_vs_env_consts(f.env, &c);
	assert_int_equal(c.levels, 2);
	assert_int_equal(c.level_bits, 10);
	assert_int_equal(c.word_bits, 32);
	assert_int_equal(c.reserved, 0xffffffffull);
	assert_int_equal(c.kernel_reserved_start, 0xe0000000);
	assert_int_equal(c.kernel_top_index, 896);
	assert_int_equal(c.reserve_size, 0x802000);
	assert_int_equal(c.reserve_start, 0xdf7fe000);
	assert_int_equal(c.map_paging_objects, 2);
	/* the driver's bootstrap: PDE 893 got a bottom table with entries
	 * 1022..1023 RESERVED, PDEs 894 and 895 RESERVED at the top */
	struct pgsim_vs_slot s;
	pgsim_vs_lookup(f.P, 0xdf7fe000, &s);
	assert_int_equal(s.kind, PGSIM_VS_SLOT_RESERVED);
	assert_int_equal(s.index, 1022);
	pgsim_vs_lookup(f.P, 0xdf7fd000, &s);
	assert_int_equal(s.kind, PGSIM_VS_SLOT_EMPTY);
	assert_int_equal(s.level, 0);
	pgsim_vs_lookup(f.P, 0xdf800000, &s);
	assert_int_equal(s.kind, PGSIM_VS_SLOT_MID_RESERVED);
	assert_int_equal(s.index, 894);
	pgsim_vs_lookup(f.P, 0xdfc00000, &s);
	assert_int_equal(s.kind, PGSIM_VS_SLOT_MID_RESERVED);
	/* its bottom table lives at 0xdf7ff000 (after the top at 0xdf7fe000) */
	assert_int_equal(s.index, 895);
	pgsim_vs_lookup(f.P, 0xdf7ff000, &s);
	assert_int_equal(s.table_ptr, 0xdf7ff000);
	struct pgsim_vs_info in;
	pgsim_vs_info(f.P, &in);
	assert_int_equal(in.top_ptr, 0xdf7fe000);
	/* five bookkeeping pages used: top, the 2-page bottom table for
	 * PDE 893, and the 2-page bottom table reserve_initial_task_regions
	 * needs for the image [0x00400000, 0x00420000) in PDE 1 */
	assert_int_equal(in.next_bootstrap_vaddr, 0xdf803000);
	pgsim_vs_lookup(f.P, 0x00400000, &s);
	assert_int_equal(s.kind, PGSIM_VS_SLOT_RESERVED);
	assert_int_equal(s.table_ptr, 0xdf801000);
	vf_free(&f);
	/* x86_64: (1 + 512 + 512^2) * 4K + 512^3 * 8K + 4K */
	vf_init(&f, "x86_64");
	pgsim_vs_env_consts(f.env, &c);
	assert_int_equal(c.reserve_size, 262657ull * 4096 + (1ull << 40) + 4096);
	assert_int_equal(c.kernel_reserved_start, 0x7ffffffff000ull);
	assert_int_equal(c.reserve_start, 0x7ffffffff000ull - c.reserve_size);
	assert_int_equal(c.map_paging_objects, 5);
	vf_free(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_seed_ia32),
		cmocka_unit_test(test_seed_ia32_two_segments),
		cmocka_unit_test(test_spawn_x86_64),
		cmocka_unit_test(test_spawn_aarch64),
		cmocka_unit_test(test_spawn_sv39),
		cmocka_unit_test(test_consts),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
