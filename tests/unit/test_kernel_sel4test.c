/* sel4test VSpace cases (spec 7) that make sense off target, run on the
 * model with accesses through the reference walker: VSPACE0001, 0006,
 * FRAMEEXPORTS0001, FRAMEXN0001/0002, PAGEFAULT0001-0003, CACHEFLUSH0004,
 * and the libraries-2 tutorial's jump to NULL on ia32.
 */
#include "test_kernel_util.h"

#define UT 0x10000000ull
#define RW PGSIM_SEL4_READ_WRITE
#define ALL PGSIM_SEL4_ALL_RIGHTS

static const char *const arches[] = { "ia32", "x86_64", "aarch64", "sv39" };

static void setup(struct kfix *f, const char *arch)
{
	kf_init(f, arch, UT, 24);
	kf_retype(f, "vspace", "vs");
	kf_assign(f, "vs");
}

static void map_helper_ok(struct kfix *f, const char *frame, pgsim_va_t va, unsigned rights,
			  uint64_t attr)
{
	struct pgsim_kmap_report rep;
	struct pgsim_kres r;
	assert_int_equal(pgsim_kernel_map_helper(f->k, frame, "vs", va, rights, attr, "ut", "h",
						 &rep, &r), 0);
	kf_expect(&r, PGSIM_SEL4_NO_ERROR);
}

static pgsim_pa_t root_of(struct kfix *f, const char *vs)
{
	pgsim_pa_t root;
	assert_int_equal(pgsim_kernel_root_pa(f->k, vs, &root), 0);
	return root;
}

/* Write / read a word as the user thread would, through the walker. */
static bool user_write(struct kfix *f, const char *vs, pgsim_va_t va, uint64_t v)
{
	struct pgsim_translation t = tu_walk(&f->cfg, f->mem, root_of(f, vs), va,
					     PGSIM_ACCESS_WRITE, true);
	if (!t.ok)
		return false;
	tu_put(f->mem, t.pa, 4, v);
	return true;
}

static bool user_read(struct kfix *f, const char *vs, pgsim_va_t va, uint64_t *v)
{
	struct pgsim_translation t = tu_walk(&f->cfg, f->mem, root_of(f, vs), va,
					     PGSIM_ACCESS_READ, true);
	if (!t.ok)
		return false;
	*v = tu_get(f->mem, t.pa, 4);
	return true;
}

/* VSPACE0001: build the paging structures and a frame at 0x10000000 in a
 * fresh vspace, delete the root cap, then Page_Unmap the frame: no error,
 * nothing written (the stale cap's ASID no longer resolves). */
static void test_vspace0001(void **state)
{
	(void)state;
	for (unsigned i = 0; i < 4; i++) {
		struct kfix f;
		setup(&f, arches[i]);
		kf_retype(&f, "frame", "frame");
		map_helper_ok(&f, "frame", 0x10000000, RW, pgsim_kernel_default_attr(f.k));
		struct pgsim_kres r;
		assert_int_equal(pgsim_kernel_delete(f.k, "vs", &r), 0);
		kf_expect(&r, PGSIM_SEL4_NO_ERROR);
		r = kf_unmap(&f, "frame");
		kf_expect(&r, PGSIM_SEL4_NO_ERROR);
		assert_false(kf_cap(&f, "frame").mapped);
		kf_free(&f);
	}
}

/* VSPACE0006: a vspace in every pool (x86_64: 8 pools) maps and touches
 * memory at 0x10000000. */
static void test_vspace0006(void **state)
{
	(void)state;
	struct kfix f;
	kf_init(&f, "x86_64", UT, 24);
	struct pgsim_kres r;
	for (unsigned p = 0; p < 8; p++) {
		char pool[16], ut[16], vs[16], fr[16];
		snprintf(pool, sizeof pool, p ? "pool%u" : "asid_pool", p);
		snprintf(ut, sizeof ut, "up%u", p);
		snprintf(vs, sizeof vs, "vs%u", p);
		snprintf(fr, sizeof fr, "f%u", p);
		if (p) {
			kf_retype_from(&f, "ut", "untyped", 12, ut);
			assert_int_equal(pgsim_kernel_make_pool(f.k, "asid_control", ut, pool, &r), 0);
			kf_expect(&r, PGSIM_SEL4_NO_ERROR);
		}
		kf_retype(&f, "vspace", vs);
		kf_retype(&f, "frame", fr);
		assert_int_equal(pgsim_kernel_assign(f.k, pool, vs, &r), 0);
		kf_expect(&r, PGSIM_SEL4_NO_ERROR);
		assert_int_equal(r.value, p ? p * 512 : 1);
		struct pgsim_kmap_report rep;
		assert_int_equal(pgsim_kernel_map_helper(f.k, fr, vs, 0x10000000, RW, 0, "ut", vs,
							 &rep, &r), 0);
		kf_expect(&r, PGSIM_SEL4_NO_ERROR);
		assert_true(user_write(&f, vs, 0x10000010, 0x1000 + p));
		uint64_t v;
		assert_true(user_read(&f, vs, 0x10000010, &v));
		assert_int_equal(v, 0x1000 + p);
	}
	kf_free(&f);
}

/* FRAMEEXPORTS0001: for every frame size, allocate until the untyped is
 * exhausted; map each, touch it, Page_Map it again at the same vaddr with
 * seL4_AllRights (remap: NoError, data unchanged), unmap. */
static void test_frameexports0001(void **state)
{
	(void)state;
	for (unsigned i = 0; i < 4; i++) {
		struct kfix f;
		setup(&f, arches[i]);
		uint64_t attr = pgsim_kernel_default_attr(f.k);
		static const char *const sizes[] = { "frame", "large_page", "huge_page" };
		pgsim_va_t va = 0x40000000;
		for (unsigned s = 0; s < 3; s++) {
			const struct pgsim_ktype_info *t = pgsim_kernel_type_find(f.k, sizes[s]);
			if (!t)
				continue;  /* ia32: no 1 GiB frames */
			/* an untyped for four of this size */
			char ut[8];
			snprintf(ut, sizeof ut, "fu%u", s);
			static const pgsim_pa_t bases[] = { 0x20000000, 0x40000000, 0x100000000ull };
			pgsim_pa_t base = bases[s];
			assert_int_equal(pgsim_kernel_add_untyped(f.k, ut, base, t->size_lg2 + 2, false), 0);
			unsigned n = 0;
			for (;;) {
				char fr[16];
				snprintf(fr, sizeof fr, "x%u.%u", s, n);
				const char *d[1] = { fr };
				struct pgsim_kres r;
				assert_int_equal(pgsim_kernel_retype(f.k, ut, sizes[s], 0, d, 1, &r), 0);
				if (r.err == PGSIM_SEL4_NOT_ENOUGH_MEMORY)
					break;
				kf_expect(&r, PGSIM_SEL4_NO_ERROR);
				va = (va + (1ull << t->size_lg2) - 1) & ~((1ull << t->size_lg2) - 1);
				map_helper_ok(&f, fr, va, RW, attr);
				assert_true(user_write(&f, "vs", va + 0x10, 0xabc0 + n));
				kf_map_ok(&f, fr, "vs", va, ALL, attr);
				uint64_t v;
				assert_true(user_read(&f, "vs", va + 0x10, &v));
				assert_int_equal(v, 0xabc0 + n);
				r = kf_unmap(&f, fr);
				kf_expect(&r, PGSIM_SEL4_NO_ERROR);
				assert_false(user_read(&f, "vs", va + 0x10, &v));
				va += 1ull << t->size_lg2;
				n++;
			}
			assert_int_equal(n, 4);
		}
		kf_free(&f);
	}
}

/* FRAMEXN0001/0002 (AArch64; RISC-V has ExecuteNever too): code in a 4K
 * and a 2M frame is executable; remapping the same frame at the same
 * vaddr with ExecuteNever is NoError, contents unchanged, and a fetch now
 * faults with Addr = the start of the page and PrefetchFault = 1. */
static void test_framexn(void **state)
{
	(void)state;
	static const char *const xn_arches[] = { "aarch64", "sv39" };
	for (unsigned i = 0; i < 2; i++) {
		struct kfix f;
		setup(&f, xn_arches[i]);
		uint64_t def = pgsim_kernel_default_attr(f.k), xn;
		assert_int_equal(pgsim_kernel_attr_parse(f.k, "execute_never", &xn), 0);
		kf_retype(&f, "frame", "f4k");
		kf_retype(&f, "large_page", "f2m");
		static const char *const fr[] = { "f4k", "f2m" };
		static const pgsim_va_t va[] = { 0x10000000, 0x10200000 };
		for (unsigned j = 0; j < 2; j++) {
			map_helper_ok(&f, fr[j], va[j], RW, def);
			assert_true(user_write(&f, "vs", va[j], 0xd503201f)); /* "nop" */
			struct pgsim_translation t = tu_walk(&f.cfg, f.mem, root_of(&f, "vs"), va[j],
							     PGSIM_ACCESS_EXEC, true);
			assert_true(t.ok);
			kf_map_ok(&f, fr[j], "vs", va[j], RW, def | xn);
			uint64_t v;
			assert_true(user_read(&f, "vs", va[j], &v));
			assert_int_equal(v, 0xd503201f);
			t = tu_walk(&f.cfg, f.mem, root_of(&f, "vs"), va[j], PGSIM_ACCESS_EXEC, true);
			assert_false(t.ok);
			struct pgsim_vm_fault vf;
			assert_int_equal(pgsim_kernel_vm_fault(f.k, &t.fault, PGSIM_ACCESS_EXEC, va[j], &vf), 0);
			assert_int_equal(vf.addr, va[j]);
			assert_int_equal(vf.prefetch, 1);
		}
		kf_free(&f);
	}
}

/* PAGEFAULT0001-0003: read, write and jump to BAD_VADDR (nothing mapped
 * there).  Expected words, by hand:
 *  x86_64 0x7edcba987650: PML4E not present: read 0x4 (U), write 0x6
 *    (U|W), fetch 0x14 (U|I/D: the walker's default has EFER.NXE on);
 *  ia32 0xf123456c: inside the kernel window (a global supervisor 4 MiB
 *    page): read 0x5 (P|U), write 0x7, fetch 0x5 (no NX, no SMEP: no I/D);
 *  aarch64 0x7edcba987650: L0 translation fault: read 0x92000004, write
 *    0x92000044, fetch 0x82000004 (EC 0x20);
 *  sv39 0x3cba987650: 5, 7, 1.
 * sel4test's classification holds: x86 read <=> bit 1 clear, AArch64 read
 * <=> bit 6 clear, RISC-V read <=> FSR in {1, 2, 5}. */
static void test_pagefault(void **state)
{
	(void)state;
	static const struct {
		const char *arch;
		pgsim_va_t bad;
		uint64_t rd, wr, ex;
		uint64_t prefetch;
	} c[] = {
		{ "x86_64", 0x7edcba987650ull, 0x4, 0x6, 0x14, 1 },
		{ "ia32", 0xf123456c, 0x5, 0x7, 0x5, 0 },
		{ "aarch64", 0x7edcba987650ull, 0x92000004, 0x92000044, 0x82000004, 1 },
		{ "sv39", 0x3cba987650ull, 5, 7, 1, 1 },
	};
	for (unsigned i = 0; i < 4; i++) {
		struct kfix f;
		setup(&f, c[i].arch);
		pgsim_pa_t root = root_of(&f, "vs");
		static const enum pgsim_access acc[] = {
			PGSIM_ACCESS_READ, PGSIM_ACCESS_WRITE, PGSIM_ACCESS_EXEC };
		const uint64_t want[] = { c[i].rd, c[i].wr, c[i].ex };
		for (unsigned a = 0; a < 3; a++) {
			struct pgsim_translation t = tu_walk(&f.cfg, f.mem, root, c[i].bad, acc[a], true);
			assert_false(t.ok);
			uint64_t ip = acc[a] == PGSIM_ACCESS_EXEC ? c[i].bad : 0x10000;
			struct pgsim_vm_fault vf;
			assert_int_equal(pgsim_kernel_vm_fault(f.k, &t.fault, acc[a], ip, &vf), 0);
			if (vf.fsr != want[a])
				print_error("%s access %u: fsr 0x%llx\n", c[i].arch, a,
					    (unsigned long long)vf.fsr);
			assert_int_equal(vf.fsr, want[a]);
			assert_int_equal(vf.addr, c[i].bad);
			assert_int_equal(vf.ip, ip);
			assert_int_equal(vf.prefetch, acc[a] == PGSIM_ACCESS_EXEC ? c[i].prefetch : 0);
		}
		kf_free(&f);
	}
}

/* TUT libraries-2: on ia32 a jump to NULL is reported as "vm fault on
 * data at address (nil) with status 0x4" (no I/D bit without NX/SMEP). */
static void test_jump_to_null(void **state)
{
	(void)state;
	struct kfix f;
	setup(&f, "ia32");
	struct pgsim_translation t = tu_walk(&f.cfg, f.mem, root_of(&f, "vs"), 0,
					     PGSIM_ACCESS_EXEC, true);
	assert_false(t.ok);
	struct pgsim_vm_fault vf;
	assert_int_equal(pgsim_kernel_vm_fault(f.k, &t.fault, PGSIM_ACCESS_EXEC, 0, &vf), 0);
	char line[128];
	pgsim_vm_fault_line(&vf, line, sizeof line);
	assert_string_equal(line, "vm fault on data at address (nil) with status 0x4");
	kf_free(&f);
}

/* x86_64: a non-canonical address is #GP, not a page fault: no VMFault
 * message (-EDOM); AArch64 / Sv39 report out-of-range VAs as VMFaults. */
static void test_non_canonical(void **state)
{
	(void)state;
	struct kfix f;
	setup(&f, "x86_64");
	struct pgsim_translation t = tu_walk(&f.cfg, f.mem, root_of(&f, "vs"),
					     0x0000800000000000ull, PGSIM_ACCESS_READ, true);
	assert_false(t.ok);
	struct pgsim_vm_fault vf;
	assert_int_equal(pgsim_kernel_vm_fault(f.k, &t.fault, PGSIM_ACCESS_READ, 0x1000, &vf), -EDOM);
	kf_free(&f);
	setup(&f, "sv39");
	t = tu_walk(&f.cfg, f.mem, root_of(&f, "vs"), 0x0000004000000000ull, PGSIM_ACCESS_WRITE, true);
	assert_false(t.ok);
	assert_int_equal(pgsim_kernel_vm_fault(f.k, &t.fault, PGSIM_ACCESS_WRITE, 0x1000, &vf), 0);
	assert_int_equal(vf.fsr, 7);
	kf_free(&f);
}

/* CACHEFLUSH0004: retype, map, write; revoke the untyped (the frame is
 * deleted and unmapped); retype again (reset clears it) and map: reads 0. */
static void test_cacheflush0004(void **state)
{
	(void)state;
	for (unsigned i = 0; i < 4; i++) {
		struct kfix f;
		setup(&f, arches[i]);
		uint64_t attr = pgsim_kernel_default_attr(f.k);
		assert_int_equal(pgsim_kernel_add_untyped(f.k, "fu", 0x08000000, 16, false), 0);
		kf_retype_from(&f, "fu", "frame", 0, "a");
		map_helper_ok(&f, "a", 0x10000000, RW, attr);
		assert_true(user_write(&f, "vs", 0x10000020, 0x5a5a));
		struct pgsim_kres r;
		assert_int_equal(pgsim_kernel_revoke(f.k, "fu", &r), 0);
		uint64_t v;
		assert_false(user_read(&f, "vs", 0x10000020, &v));
		kf_retype_from(&f, "fu", "frame", 0, "b");
		assert_int_equal(kf_pa(&f, "b"), 0x08000000);
		kf_map_ok(&f, "b", "vs", 0x10000000, RW, attr);
		assert_true(user_read(&f, "vs", 0x10000020, &v));
		assert_int_equal(v, 0);
		kf_free(&f);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vspace0001),
		cmocka_unit_test(test_vspace0006),
		cmocka_unit_test(test_frameexports0001),
		cmocka_unit_test(test_framexn),
		cmocka_unit_test(test_pagefault),
		cmocka_unit_test(test_jump_to_null),
		cmocka_unit_test(test_non_canonical),
		cmocka_unit_test(test_cacheflush0004),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
