/* The invariant checker: one mutation test per invariant, on every
 * architecture.
 *
 * Each test builds the seed state (spec sel4utils-vspace.md section 5:
 * driver P, child C with a 387-page ELF, IPC buffer, 16-page stack, one
 * shared page), checks that nothing is found that no library path
 * explains (the by-design findings of section 5 -- 389 mapped pages and
 * the kernel region outside any reservation -- are there and classified
 * by design), corrupts exactly one reservation, shadow slot, list link,
 * allocated-object entry or page-table entry, and asserts that exactly
 * that invariant now fires as a corruption and nothing else newly fires.
 *
 * Seed addresses (all arches): ELF 0x08048000..0x081cafff, IPC buffer
 * 0x10000000, guard 0x10001000 (RESERVED), stack 0x10002000..0x10011fff,
 * shared page 0x10012000, last_allocated 0x10013000; the stack
 * reservation [0x10001000, 0x10012000) is the only one.
 */
#include "test_vspace_util.h"
#include "pgsim/check.h"

static struct pgsim_chk_result chk(struct vfix *f)
{
	struct pgsim_chk_ctx ctx = { &f->cfg, f->mem, f->k, f->env };
	struct pgsim_chk_result res;
	assert_int_equal(pgsim_chk_run(&ctx, NULL, &res), 0);
	return res;
}

static uint64_t bit(const char *id)
{
	int i = pgsim_chk_find(id);
	assert_true(i >= 0);
	return 1ull << i;
}

static void dump(const struct pgsim_chk_result *r)
{
	pgsim_chk_print(stderr, r);
}

/* The seed state, with no corruption found.  *fired = what fires (by
 * design) before the mutation. */
static void base(struct vfix *f, const char *arch, uint64_t *fired)
{
	vf_init(f, arch);
	vf_spawn(f, vf_seg1, 1);
	struct pgsim_chk_result r = chk(f);
	if (r.fired_not_by_design)
		dump(&r);
	assert_int_equal(r.fired_not_by_design, 0);
	/* section 5's by-design findings */
	assert_true(r.fired & bit("MAPPED-IN-RES"));
	assert_true(r.fired & bit("RESERVED-IN-RES"));
	*fired = r.fired;
	pgsim_chk_result_free(&r);
}

/* After the mutation: `id` fires as a corruption, nothing else does, and
 * no other invariant fires that did not fire before. */
static void expect_only(struct vfix *f, uint64_t before, const char *id, bool by_design)
{
	struct pgsim_chk_result r = chk(f);
	uint64_t want = bit(id);
	bool ok = (r.fired & want) && !(r.fired & ~(before | want)) &&
		  r.fired_not_by_design == (by_design ? 0 : want);
	if (!ok) {
		char got[256];
		pgsim_chk_ids_str(r.fired_not_by_design, got, sizeof got);
		fprintf(stderr, "%s: expected only %s; corruptions found: %s\n", f->cfg.arch->name, id, got);
		dump(&r);
	}
	assert_true(ok);
	/* the violation names the ID and carries a cause */
	bool found = false;
	for (unsigned i = 0; i < r.n; i++)
		if (!strcmp(r.v[i].id, id) && r.v[i].cause[0])
			found = true;
	assert_true(found);
	pgsim_chk_result_free(&r);
	vf_free(f);
}

static struct pgsim_vs_res *stack_res(struct vfix *f)
{
	struct pgsim_vs_info in;
	pgsim_vs_info(f->C, &in);
	return (struct pgsim_vs_res *)in.head;
}

#define ARCH (*(const char *const *)*state)

/* RES-ALIGN: the stack reservation's start 16 bytes up (same page). */
static void test_res_align(void **state)
{
	struct vfix f;
	uint64_t b;
	base(&f, ARCH, &b);
	stack_res(&f)->start += 0x10;
	expect_only(&f, b, "RES-ALIGN", false);
}

/* Two more 1-page reservations at 0x10013000 (R2) and 0x10014000 (R3). */
static void two_more(struct vfix *f, struct pgsim_vs_res **r2, struct pgsim_vs_res **r3)
{
	struct pgsim_vs_out o;
	assert_int_equal(pgsim_vs_reserve_range(f->C, 0x1000, PGSIM_SEL4_ALL_RIGHTS, true, &o), 0);
	vf_ok(&o);
	*r2 = o.res;
	assert_int_equal((*r2)->start, 0x10013000);
	assert_int_equal(pgsim_vs_reserve_range(f->C, 0x1000, PGSIM_SEL4_ALL_RIGHTS, true, &o), 0);
	vf_ok(&o);
	*r3 = o.res;
	assert_int_equal((*r3)->start, 0x10014000);
}

/* RES-ORDER: the list R3 -> R2 -> stack relinked as R2 -> R3 -> stack. */
static void test_res_order(void **state)
{
	struct vfix f;
	uint64_t b;
	base(&f, ARCH, &b);
	struct pgsim_vs_res *r2, *r3, *st = stack_res(&f);
	two_more(&f, &r2, &r3);
	struct pgsim_vs_info in;
	pgsim_vs_info(f.C, &in);
	assert_ptr_equal(in.head, r3);     /* descending: 0x10014000 first */
	assert_ptr_equal(r3->next, r2);
	assert_ptr_equal(r2->next, st);
	pgsim_vs_poke_head(f.C, r2);
	r2->next = r3;
	r3->next = st;
	expect_only(&f, b, "RES-ORDER", false);
}

/* RES-ORDER again: the list made a cycle (stack -> R3 -> R2 -> stack);
 * the checker counts each node once and says the list does not end. */
static void test_res_order_cycle(void **state)
{
	struct vfix f;
	uint64_t b;
	base(&f, ARCH, &b);
	struct pgsim_vs_res *r2, *r3, *st = stack_res(&f);
	two_more(&f, &r2, &r3);
	st->next = r3;
	expect_only(&f, b, "RES-ORDER", false);
}

/* RES-DISJOINT: R2's end moved over R3's page. */
static void test_res_disjoint(void **state)
{
	struct vfix f;
	uint64_t b;
	base(&f, ARCH, &b);
	struct pgsim_vs_res *r2, *r3;
	two_more(&f, &r2, &r3);
	r2->end = 0x10015000;
	expect_only(&f, b, "RES-DISJOINT", false);
}

/* RES-COVERED: the guard page (RESERVED, inside the stack reservation)
 * emptied. */
static void test_res_covered(void **state)
{
	struct vfix f;
	uint64_t b;
	base(&f, ARCH, &b);
	assert_int_equal(pgsim_vs_poke_entry(f.C, 0, 0x10001000, 0), 0);
	expect_only(&f, b, "RES-COVERED", false);
}

/* RESERVED-IN-RES: an EMPTY slot outside every reservation (0x10013000)
 * marked RESERVED. */
static void test_reserved_in_res(void **state)
{
	struct vfix f;
	uint64_t b;
	base(&f, ARCH, &b);
	struct pgsim_vs_consts c;
	pgsim_vs_env_consts(f.env, &c);
	assert_int_equal(pgsim_vs_poke_entry(f.C, 0, 0x10013000, c.reserved), 0);
	expect_only(&f, b, "RESERVED-IN-RES", false);
}

/* MAPPED-IN-RES: the stack reservation shrunk by its top page, which
 * stays mapped (no library path did it: the node was not resized). */
static void test_mapped_in_res(void **state)
{
	struct vfix f;
	uint64_t b;
	base(&f, ARCH, &b);
	stack_res(&f)->end -= 0x1000;
	expect_only(&f, b, "MAPPED-IN-RES", false);
}

/* RES-RIGHTS: the stack reservation now says read-only; its pages are
 * mapped read-write. */
static void test_res_rights(void **state)
{
	struct vfix f;
	uint64_t b;
	base(&f, ARCH, &b);
	stack_res(&f)->rights = PGSIM_SEL4_CAN_READ;
	expect_only(&f, b, "RES-RIGHTS", false);
}

/* DEFERRED-EXCL: the stack reservation flagged deferred; its pages were
 * mapped by new_pages_at_vaddr and it was not made deferred. */
static void test_deferred_excl(void **state)
{
	struct vfix f;
	uint64_t b;
	base(&f, ARCH, &b);
	stack_res(&f)->rights_deferred = true;
	expect_only(&f, b, "DEFERRED-EXCL", false);
}

/* SENTINEL-WF: a cookie on the RESERVED guard slot. */
static void test_sentinel_wf(void **state)
{
	struct vfix f;
	uint64_t b;
	base(&f, ARCH, &b);
	assert_int_equal(pgsim_vs_poke_cookie(f.C, 0x10001000, 0x55), 0);
	expect_only(&f, b, "SENTINEL-WF", false);
}

/* SENTINEL-WF again: a mid entry that is no table pointer (the shadow's
 * pointer to the PDE-32-equivalent bottom table overwritten). */
static void test_sentinel_wf_mid(void **state)
{
	struct vfix f;
	uint64_t b;
	base(&f, ARCH, &b);
	/* an EMPTY mid entry just below the kernel region holds garbage */
	struct pgsim_vs_consts c;
	pgsim_vs_env_consts(f.env, &c);
	unsigned shift = (c.levels - 1) * c.level_bits + 12;
	uint64_t va = (uint64_t)(c.kernel_top_index - 1) << shift;
	assert_int_equal(pgsim_vs_poke_entry(f.C, (int)c.levels - 1, va, 0x1234), 0);
	expect_only(&f, b, "SENTINEL-WF", false);
}

/* KERNEL-RESERVED: the last kernel-region top-level entry emptied. */
static void test_kernel_reserved(void **state)
{
	struct vfix f;
	uint64_t b;
	base(&f, ARCH, &b);
	struct pgsim_vs_consts c;
	pgsim_vs_env_consts(f.env, &c);
	unsigned shift = (c.levels - 1) * c.level_bits + 12;
	uint64_t va = ((1ull << c.level_bits) - 1) << shift;
	assert_int_equal(pgsim_vs_poke_entry(f.C, (int)c.levels - 1, va, 0), 0);
	expect_only(&f, b, "KERNEL-RESERVED", false);
}

/* LARGE-REPLICA: a large page (4 MiB on ia32, 2 MiB elsewhere) from
 * new_pages; the second of its slots gets another cookie. */
static void test_large_replica(void **state)
{
	struct vfix f;
	uint64_t b;
	base(&f, ARCH, &b);
	unsigned lg2 = pgsim_kernel_type_find(f.k, "large_page")->size_lg2;
	struct pgsim_vs_out o;
	assert_int_equal(pgsim_vs_new_pages(f.C, PGSIM_SEL4_ALL_RIGHTS, 1, lg2, &o), 0);
	vf_ok(&o);
	/* find_range aligns the hint 0x10013000 up to the page size */
	uint64_t va = (0x10013000 + (1ull << lg2) - 1) & ~((1ull << lg2) - 1);
	assert_int_equal(o.vaddr, va);
	struct pgsim_vs_slot s0, s1, sl;
	pgsim_vs_lookup(f.C, va, &s0);
	pgsim_vs_lookup(f.C, va + 0x1000, &s1);
	pgsim_vs_lookup(f.C, va + (1ull << lg2) - 0x1000, &sl);
	assert_int_equal(s0.kind, PGSIM_VS_SLOT_MAPPED);
	assert_int_equal(s1.value, s0.value);
	assert_int_equal(sl.value, s0.value);
	assert_int_equal(sl.cookie, s0.cookie);
	struct pgsim_chk_result r = chk(&f);
	assert_int_equal(r.fired_not_by_design, 0);
	b = r.fired;
	pgsim_chk_result_free(&r);
	assert_int_equal(pgsim_vs_poke_cookie(f.C, va + 0x1000, s0.cookie + 1), 0);
	expect_only(&f, b, "LARGE-REPLICA", false);
}

/* SHADOW-BACKED: the guard slot claims a frame the caller allocated and
 * nobody mapped. */
static void test_shadow_backed(void **state)
{
	struct vfix f;
	uint64_t b;
	base(&f, ARCH, &b);
	uint64_t cap;
	struct pgsim_vs_out o;
	assert_int_equal(pgsim_vs_vka_alloc_frame(f.env, 12, &cap, NULL, &o), 0);
	vf_ok(&o);
	assert_int_equal(pgsim_vs_poke_entry(f.C, 0, 0x10001000, cap), 0);
	expect_only(&f, b, "SHADOW-BACKED", false);
}

/* NO-GHOSTS: the first ELF page's slot emptied (cookie too); the page
 * stays mapped, and the library's record says it recorded it. */
static void test_no_ghosts(void **state)
{
	struct vfix f;
	uint64_t b;
	base(&f, ARCH, &b);
	assert_int_equal(pgsim_vs_poke_cookie(f.C, 0x08048000, 0), 0);
	assert_int_equal(pgsim_vs_poke_entry(f.C, 0, 0x08048000, 0), 0);
	expect_only(&f, b, "NO-GHOSTS", false);
}

/* PT-UNTRACKED: the child's first paging structure dropped from its
 * allocated-object list. */
static void test_pt_untracked(void **state)
{
	struct vfix f;
	uint64_t b;
	base(&f, ARCH, &b);
	assert_int_equal(pgsim_vs_proc_forget_object(f.proc, 0), 0);
	expect_only(&f, b, "PT-UNTRACKED", false);
}

/* COOKIE-OWNERSHIP: a library-allocated stack page's cookie zeroed. */
static void test_cookie_ownership(void **state)
{
	struct vfix f;
	uint64_t b;
	base(&f, ARCH, &b);
	assert_int_not_equal(vf_cookie(f.C, 0x10002000), 0);
	assert_int_equal(pgsim_vs_poke_cookie(f.C, 0x10002000, 0), 0);
	expect_only(&f, b, "COOKIE-OWNERSHIP", false);
}

/* CAP-UNIQUE: the child's shared-page slot holds the driver's own cap of
 * env->init instead of its copy -- the same frame, so the hardware still
 * agrees, but one CPtr is now in two shadows. */
static void test_cap_unique(void **state)
{
	struct vfix f;
	uint64_t b;
	base(&f, ARCH, &b);
	struct pgsim_vs_slot s;
	pgsim_vs_lookup(f.P, f.p_init, &s);
	assert_int_equal(s.kind, PGSIM_VS_SLOT_MAPPED);
	assert_int_equal(pgsim_vs_poke_entry(f.C, 0, 0x10012000, s.value), 0);
	expect_only(&f, b, "CAP-UNIQUE", false);
}

/* HINT: last_allocated raised over three never-used pages; find_range
 * will not return to them.  The spec calls this "not an invariant", so
 * the finding is classified by design. */
static void test_hint(void **state)
{
	struct vfix f;
	uint64_t b;
	base(&f, ARCH, &b);
	assert_false(b & bit("HINT"));
	pgsim_vs_poke_hint(f.C, 0x10016000);
	expect_only(&f, b, "HINT", true);
}

/* GEOMETRY: the shadow one level short (like AArch64 hyp with a 40-bit
 * PA: 3 levels x 9 bits over 4 hardware levels); every address of the
 * spawn is below the shadow's 2^39 (Sv39: 2^30), so nothing else breaks.
 * (ia32's shadow is 2 x 10 bits; one level less leaves no room for the
 * kernel region, so it is not run there.) */
static void test_geometry(void **state)
{
	if (!strcmp(ARCH, "ia32"))
		skip();
	struct vfix f;
	struct pgsim_cfg cfg = tu_cfg(ARCH);
	struct pgsim_vs_env_opts o = { .shadow_levels = (unsigned)cfg.top_level };
	vf_init_opts(&f, ARCH, &o);
	vf_spawn(&f, vf_seg1, 1);
	expect_only(&f, bit("MAPPED-IN-RES") | bit("RESERVED-IN-RES") | bit("NO-GHOSTS") |
			 bit("PT-UNTRACKED"), "GEOMETRY", false);
}

/* ---- the kernel against the walker ---------------------------------------------- */

/* The child's root and the walk of va. */
static struct pgsim_translation walk_child(struct vfix *f, uint64_t va, pgsim_pa_t *root)
{
	struct pgsim_vs_proc_info pi;
	pgsim_vs_proc_info(f->proc, &pi);
	char slot[64];
	pgsim_vs_slot(f->env, pi.root_cptr, slot, sizeof slot);
	assert_int_equal(pgsim_kernel_root_pa(f->k, slot, root), 0);
	struct pgsim_walk_req q = { PGSIM_ACCESS_READ, true, false };
	struct pgsim_translation t;
	assert_int_equal(pgsim_walk_translate(&f->cfg, f->mem, *root, va, &q, &t), 0);
	assert_true(t.ok);
	return t;
}

/* CAP-WALK: the stack page's leaf made read-only in memory (ia32/x86_64
 * RW = 0, AArch64 AP = 3, Sv39 W = 0); the kernel still records it
 * read-write. */
static void test_cap_walk(void **state)
{
	static const struct { const char *arch, *field; uint64_t ro; } ro[] = {
		{ "ia32", "RW", 0 }, { "x86_64", "RW", 0 }, { "aarch64", "AP", 3 }, { "sv39", "W", 0 },
	};
	struct vfix f;
	uint64_t b;
	base(&f, ARCH, &b);
	pgsim_pa_t root;
	struct pgsim_translation t = walk_child(&f, 0x10002000, &root);
	const struct pgsim_trail_step *leaf = &t.trail[t.n_trail - 1];
	const struct pgsim_field_desc *fd = NULL;
	for (unsigned i = 0; i < 4; i++)
		if (!strcmp(ro[i].arch, ARCH))
			fd = pgsim_field_find(f.cfg.arch, ro[i].field, PGSIM_ENTRY_LEAF, leaf->level),
			tu_put(f.mem, leaf->entry_pa, f.cfg.arch->entry_bytes,
			       pgsim_field_set(fd, leaf->value, ro[i].ro));
	assert_non_null(fd);
	expect_only(&f, b, "CAP-WALK", false);
}

/* LEAF-CAP: a leaf written into an empty slot of the stack's page table
 * (100 entries further), pointing at some RAM page, with the stack leaf's
 * flags. */
static void test_leaf_cap(void **state)
{
	struct vfix f;
	uint64_t b;
	base(&f, ARCH, &b);
	pgsim_pa_t root;
	struct pgsim_translation t = walk_child(&f, 0x10002000, &root);
	const struct pgsim_trail_step *leaf = &t.trail[t.n_trail - 1];
	const struct pgsim_arch *a = f.cfg.arch;
	uint64_t flags = a->ops->flags_of(&f.cfg, leaf->level, PGSIM_ENTRY_LEAF, leaf->value);
	uint64_t e = a->ops->encode(&f.cfg, leaf->level, PGSIM_ENTRY_LEAF, VF_UT_PA + 0x3f00000, flags);
	pgsim_pa_t slot = leaf->entry_pa + 100 * a->entry_bytes;
	assert_int_equal(tu_get(f.mem, slot, a->entry_bytes), 0);
	tu_put(f.mem, slot, a->entry_bytes, e);
	expect_only(&f, b, "LEAF-CAP", false);
}

/* TABLE-CAP: a table entry written next to the one that leads to the
 * stack's page table, pointing at a zeroed page no cap names. */
static void test_table_cap(void **state)
{
	struct vfix f;
	uint64_t b;
	base(&f, ARCH, &b);
	pgsim_pa_t root;
	struct pgsim_translation t = walk_child(&f, 0x10002000, &root);
	const struct pgsim_trail_step *tab = &t.trail[t.n_trail - 2];
	assert_int_equal(tab->kind, PGSIM_ENTRY_TABLE);
	const struct pgsim_arch *a = f.cfg.arch;
	uint64_t flags = a->ops->flags_of(&f.cfg, tab->level, PGSIM_ENTRY_TABLE, tab->value);
	uint64_t e = a->ops->encode(&f.cfg, tab->level, PGSIM_ENTRY_TABLE, VF_UT_PA + 0x3f00000, flags);
	pgsim_pa_t slot = tab->entry_pa + 3 * a->entry_bytes;
	assert_int_equal(tu_get(f.mem, slot, a->entry_bytes), 0);
	tu_put(f.mem, slot, a->entry_bytes, e);
	expect_only(&f, b, "TABLE-CAP", false);
}

/* Every ID of the table is covered by a test above, and the table has
 * the spec's section 3 IDs. */
static void test_table_ids(void **state)
{
	(void)state;
	static const char *const ids[] = {
		"RES-ALIGN", "RES-ORDER", "RES-DISJOINT", "RES-COVERED", "RESERVED-IN-RES",
		"MAPPED-IN-RES", "RES-RIGHTS", "DEFERRED-EXCL", "SENTINEL-WF", "KERNEL-RESERVED",
		"LARGE-REPLICA", "SHADOW-BACKED", "NO-GHOSTS", "PT-UNTRACKED", "COOKIE-OWNERSHIP",
		"CAP-UNIQUE", "HINT", "GEOMETRY", "CAP-WALK", "LEAF-CAP", "TABLE-CAP",
	};
	assert_int_equal(pgsim_chk_count(), sizeof ids / sizeof ids[0]);
	for (unsigned i = 0; i < sizeof ids / sizeof ids[0]; i++) {
		assert_true(pgsim_chk_find(ids[i]) >= 0);
		assert_non_null(pgsim_chk_def((unsigned)pgsim_chk_find(ids[i]))->statement);
	}
	assert_int_equal(pgsim_chk_find("res-covered"), pgsim_chk_find("RES-COVERED"));
	assert_int_equal(pgsim_chk_find("NOPE"), -1);
}

static const char *archs[] = { "ia32", "x86_64", "aarch64", "sv39" };

#define PER_ARCH(fn)                                                        \
	cmocka_unit_test_prestate(fn, &archs[0]), cmocka_unit_test_prestate(fn, &archs[1]), \
	cmocka_unit_test_prestate(fn, &archs[2]), cmocka_unit_test_prestate(fn, &archs[3])

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table_ids),
		PER_ARCH(test_res_align),
		PER_ARCH(test_res_order),
		PER_ARCH(test_res_order_cycle),
		PER_ARCH(test_res_disjoint),
		PER_ARCH(test_res_covered),
		PER_ARCH(test_reserved_in_res),
		PER_ARCH(test_mapped_in_res),
		PER_ARCH(test_res_rights),
		PER_ARCH(test_deferred_excl),
		PER_ARCH(test_sentinel_wf),
		PER_ARCH(test_sentinel_wf_mid),
		PER_ARCH(test_kernel_reserved),
		PER_ARCH(test_large_replica),
		PER_ARCH(test_shadow_backed),
		PER_ARCH(test_no_ghosts),
		PER_ARCH(test_pt_untracked),
		PER_ARCH(test_cookie_ownership),
		PER_ARCH(test_cap_unique),
		PER_ARCH(test_hint),
		PER_ARCH(test_geometry),
		PER_ARCH(test_cap_walk),
		PER_ARCH(test_leaf_cap),
		PER_ARCH(test_table_cap),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
