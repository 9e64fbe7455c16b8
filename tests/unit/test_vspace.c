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
#include "pgsim/check.h"

/* What a print function wrote, as a string (caller frees). */
static char *capture(void (*fn)(FILE *, void *), void *arg)
{
	FILE *f = tmpfile();
	assert_non_null(f);
	fn(f, arg);
	long n = ftell(f);
	rewind(f);
	char *buf = calloc(1, (size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	return buf;
}

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

static void print_summary(FILE *f, void *vs)
{
	pgsim_vs_print_summary(f, vs);
}

static struct vfix *rec_fix;
static void print_rec(FILE *f, void *vs)
{
	struct pgsim_chk_ctx ctx = { &rec_fix->cfg, rec_fix->mem, rec_fix->k, rec_fix->env };
	pgsim_vs_print_reconciliation(f, vs, &ctx);
}

/* The seed walker's summary of the ia32 child, line by line as section
 * 4.1 / 5 give it: one 17-page malloced reservation; PDE 32: 387 used,
 * 0 reserved, 637 empty; PDE 64: 18 used, 1 reserved, 1005 empty; the
 * top level: 2 used, 128 reserved, 894 empty. */
static void test_summary_ia32(void **state)
{
	(void)state;
	struct vfix f;
	vf_init(&f, "ia32");
	vf_spawn(&f, vf_seg1, 1);
	char *out = capture(print_summary, f.C);
	assert_string_equal(out,
			    "vspace child: 1 reservation\n"
			    "  [0] 0x10001000-0x10012000 17 pages malloced=1\n"
			    "VSPACE_NUM_LEVELS 2, VSPACE_LEVEL_BITS 10\n"
			    "  top[32] 0x8000000-0x83fffff: used 387 reserved 0 empty 637\n"
			    "  top[64] 0x10000000-0x103fffff: used 18 reserved 1 empty 1005\n"
			    "  top level: used 2 reserved 128 empty 894\n");
	free(out);
	vf_free(&f);
}

/* On x86_64 the whole spawn is under PML4 entry 0: 405 used and 1
 * reserved of its 2^27 slots, then one line per bottom table (512 slots:
 * 387 + 125 empty; 18 + 1 + 493); the top level: 1 used, 512 - 255 = 257
 * reserved, 254 empty. */
static void test_summary_x86_64(void **state)
{
	(void)state;
	struct vfix f;
	vf_init(&f, "x86_64");
	vf_spawn(&f, vf_seg1, 1);
	char *out = capture(print_summary, f.C);
	assert_string_equal(out,
			    "vspace child: 1 reservation\n"
			    "  [0] 0x10001000-0x10012000 17 pages malloced=1\n"
			    "VSPACE_NUM_LEVELS 4, VSPACE_LEVEL_BITS 9\n"
			    "  top[0] 0x0-0x7fffffffff: used 405 reserved 1 empty 134217322\n"
			    "    table 0x8000000-0x81fffff: used 387 reserved 0 empty 125\n"
			    "    table 0x10000000-0x101fffff: used 18 reserved 1 empty 493\n"
			    "  top level: used 1 reserved 257 empty 254\n");
	free(out);
	vf_free(&f);
}

/* The reconciliation of the ia32 seed is section 4.3's table: 387 ELF
 * slots outside any reservation (their reservation freed by the ELF
 * load), the IPC buffer outside, the guard RESERVED inside, 16 stack
 * pages inside, the shared page outside with cookie 0, the kernel region
 * 896..1023; every one agreeing with the hardware; totals 405 used = 16
 * + 389, reserved 1 + 128 top-level entries. */
static void test_reconciliation_ia32(void **state)
{
	(void)state;
	struct vfix f;
	vf_init(&f, "ia32");
	vf_spawn(&f, vf_seg1, 1);
	rec_fix = &f;
	char *out = capture(print_rec, f.C);
	static const char *const want[] = {
		"  0x8048000-0x81cafff L0[72..458] 387 used: no reservation (made under 1, freed by op ",
		"by new_pages_at_vaddr in configure_process child; cookie ut; hardware: agrees\n",
		"  0x10000000-0x10000fff L0[0] 1 used: no reservation; by new_pages in configure_process "
		"child; cookie ut; hardware: agrees\n",
		"  0x10001000-0x10001fff L0[1] 1 reserved: in reservation 2; by reserve_range in "
		"configure_process child; cookie -; hardware: agrees (not present)\n",
		"  0x10002000-0x10011fff L0[2..17] 16 used: in reservation 2; by new_pages_at_vaddr in "
		"configure_process child; cookie ut; hardware: agrees\n",
		"  0x10012000-0x10012fff L0[18] 1 used: no reservation (made under 3, freed by op ",
		"by share_mem_at_vaddr in vspace_share_mem child; cookie 0; hardware: agrees\n",
		"  0xe0000000-0xffffffff L1[896..1023] 131072 reserved: no reservation; by "
		"common_init_post_bootstrap in configure_process child; cookie -; hardware: kernel region\n",
		"  used 405 = 16 in reservations + 389 outside any\n",
		"  reserved 131073 = 1 in reservations + 0 outside any + 131072 kernel region (128 "
		"top-level entries)\n",
	};
	const char *p = out;
	for (unsigned i = 0; i < sizeof want / sizeof want[0]; i++) {
		const char *q = strstr(p, want[i]);
		if (!q)
			fail_msg("missing in order: %s\n--- got:\n%s", want[i], out);
		p = q + strlen(want[i]);
	}
	free(out);
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
		cmocka_unit_test(test_summary_ia32),
		cmocka_unit_test(test_summary_x86_64),
		cmocka_unit_test(test_reconciliation_ia32),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
