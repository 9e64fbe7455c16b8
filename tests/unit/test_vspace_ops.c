/* sel4utils vspace model: each operation's effect on the reservation list
 * (R), the shadow (S) and the seL4 state / hardware (H), the reservation
 * algebra, shadow updates at every level, and the paths the spec marks as
 * not maintaining an invariant (spec sel4utils-vspace.md sections 1-2 and
 * the follow-on steps 8a-8f of section 5).  Expected values are worked
 * out from the spec in each test's comment.
 */
#include "test_vspace_util.h"
#include "pgsim/check.h"

#define RW PGSIM_SEL4_READ_WRITE
#define ALL PGSIM_SEL4_ALL_RIGHTS

static struct pgsim_chk_result chk(struct vfix *f)
{
	struct pgsim_chk_ctx ctx = { &f->cfg, f->mem, f->k, f->env };
	struct pgsim_chk_result res;
	assert_int_equal(pgsim_chk_run(&ctx, NULL, &res), 0);
	return res;
}

static uint64_t bit(const char *id)
{
	return 1ull << pgsim_chk_find(id);
}

/* The violations of `id` in vspace `vs` covering va. */
static const struct pgsim_chk_violation *viol(const struct pgsim_chk_result *r, const char *id,
					      const char *vs, uint64_t va)
{
	for (unsigned i = 0; i < r->n; i++)
		if (!strcmp(r->v[i].id, id) && !strcmp(r->v[i].vspace, vs) && va >= r->v[i].va &&
		    va <= r->v[i].last)
			return &r->v[i];
	return NULL;
}

static struct pgsim_kcap_info kcap(struct vfix *f, uint64_t cptr)
{
	char slot[64];
	struct pgsim_kcap_info ki;
	pgsim_vs_slot(f->env, cptr, slot, sizeof slot);
	assert_int_equal(pgsim_kernel_cap(f->k, slot, &ki), 0);
	return ki;
}

static uint64_t cap_at(const struct pgsim_vs *vs, uint64_t va)
{
	struct pgsim_vs_slot s;
	pgsim_vs_lookup(vs, va, &s);
	return s.value;
}

static uint64_t hint(const struct pgsim_vs *vs)
{
	struct pgsim_vs_info in;
	pgsim_vs_info(vs, &in);
	return in.last_allocated;
}

static void seed(struct vfix *f, const char *arch)
{
	vf_init(f, arch);
	vf_spawn(f, vf_seg1, 1);
}

/* ---- reservation algebra ---------------------------------------------------------- */

/* insert_reservation keeps descending start order: reservations at
 * 0x20000000, 0x30000000, 0x25000000 list as 0x30..., 0x25..., 0x20...
 * (after the stack's 0x10001000, which stays last). */
static void test_res_order(void **state)
{
	(void)state;
	struct vfix f;
	seed(&f, "ia32");
	struct pgsim_vs_out o;
	const uint64_t at[] = { 0x20000000, 0x30000000, 0x25000000 };
	for (unsigned i = 0; i < 3; i++) {
		assert_int_equal(pgsim_vs_reserve_range_at(f.C, at[i], 0x2000, RW, true, &o), 0);
		vf_ok(&o);
		assert_true(o.res->malloced);
		assert_int_equal(vf_kind(f.C, at[i]), PGSIM_VS_SLOT_RESERVED);
		assert_int_equal(vf_kind(f.C, at[i] + 0x2000), PGSIM_VS_SLOT_EMPTY);
	}
	struct pgsim_vs_info in;
	pgsim_vs_info(f.C, &in);
	const uint64_t want[] = { 0x30000000, 0x25000000, 0x20000000, 0x10001000 };
	const struct pgsim_vs_res *r = in.head;
	for (unsigned i = 0; i < 4; i++, r = r->next) {
		assert_non_null(r);
		assert_int_equal(r->start, want[i]);
	}
	assert_null(r);
	/* reserve_range_at leaves the hint alone */
	assert_int_equal(in.last_allocated, 0x10013000);
	/* over a RESERVED or a mapped page: "Range not available", no node */
	assert_int_equal(pgsim_vs_reserve_range_at(f.C, 0x20001000, 0x1000, RW, true, &o), 0);
	assert_int_equal(o.status, PGSIM_VS_FAILED);
	assert_null(o.res);
	assert_int_equal(pgsim_vs_reserve_range_at(f.C, 0x10002000, 0x1000, RW, true, &o), 0);
	assert_int_equal(o.status, PGSIM_VS_FAILED);
	assert_int_equal(vf_n_res(f.C), 4);
	/* 0 bytes: refused by vspace_reserve_range_at */
	assert_int_equal(pgsim_vs_reserve_range_at(f.C, 0x40000000, 0, RW, true, &o), 0);
	assert_int_equal(o.status, PGSIM_VS_FAILED);
	vf_free(&f);
}

/* reserve_range_at checks the UNROUNDED range page by page from vaddr:
 * [0x20000800, +0x1000) checks only 0x20000800, but reserves
 * [0x20000000, 0x20002000).  With 0x20001000 already reserved by R1, the
 * perform_reservation assert fires (debug build); under NDEBUG the node
 * is inserted anyway and overlaps R1 (RES-DISJOINT, a corruption). */
static void unaligned_at(bool ndebug)
{
	struct vfix f;
	struct pgsim_vs_env_opts eo = { .ndebug = ndebug };
	vf_init_opts(&f, "ia32", &eo);
	vf_spawn(&f, vf_seg1, 1);
	struct pgsim_vs_out o;
	assert_int_equal(pgsim_vs_reserve_range_at(f.C, 0x20001000, 0x1000, RW, true, &o), 0);
	vf_ok(&o);
	assert_int_equal(pgsim_vs_reserve_range_at(f.C, 0x20000800, 0x1000, RW, true, &o), 0);
	if (!ndebug) {
		assert_int_equal(o.status, PGSIM_VS_ASSERT);
		assert_non_null(strstr(o.msg, "perform_reservation"));
		vf_free(&f);
		return;
	}
	vf_ok(&o);
	assert_int_equal(o.res->start, 0x20000000);
	assert_int_equal(o.res->end, 0x20002000);
	struct pgsim_chk_result r = chk(&f);
	assert_int_equal(r.fired_not_by_design, bit("RES-DISJOINT"));
	const struct pgsim_chk_violation *v = viol(&r, "RES-DISJOINT", "child", 0x20001000);
	assert_non_null(v);
	assert_int_equal(v->va, 0x20001000);
	assert_int_equal(v->last, 0x20001fff);
	pgsim_chk_result_free(&r);
	vf_free(&f);
}

static void test_res_at_unaligned_assert(void **state)
{
	(void)state;
	unaligned_at(false);
}

static void test_res_at_unaligned_ndebug(void **state)
{
	(void)state;
	unaligned_at(true);
}

/* free_reservation of an all-RESERVED range clears it and lowers the hint
 * to its start; with a mapped page in the middle it clears up to that
 * page, stops, still drops the node, and leaves the hint: page 0 EMPTY,
 * page 1 mapped (outside any reservation now), page 2 RESERVED (outside
 * any reservation).  The checker calls both by design. */
static void test_free_reservation(void **state)
{
	(void)state;
	struct vfix f;
	seed(&f, "ia32");
	struct pgsim_vs_out o;
	assert_int_equal(pgsim_vs_reserve_range(f.C, 0x3000, RW, true, &o), 0);
	vf_ok(&o);
	assert_int_equal(o.vaddr, 0x10013000);
	assert_int_equal(hint(f.C), 0x10016000);
	assert_int_equal(pgsim_vs_free_reservation(f.C, o.res, &o), 0);
	vf_ok(&o);
	assert_int_equal(vf_kind(f.C, 0x10013000), PGSIM_VS_SLOT_EMPTY);
	assert_int_equal(vf_kind(f.C, 0x10015000), PGSIM_VS_SLOT_EMPTY);
	assert_int_equal(hint(f.C), 0x10013000);
	assert_int_equal(vf_n_res(f.C), 1);
	/* now with a page mapped in the middle */
	assert_int_equal(pgsim_vs_reserve_range(f.C, 0x3000, RW, true, &o), 0);
	struct pgsim_vs_res *res = o.res;
	assert_int_equal(pgsim_vs_new_pages_at_vaddr(f.C, 0x10014000, 1, 12, res, false, &o), 0);
	vf_ok(&o);
	assert_int_equal(pgsim_vs_free_reservation(f.C, res, &o), 0);
	vf_ok(&o);
	assert_int_equal(vf_kind(f.C, 0x10013000), PGSIM_VS_SLOT_EMPTY);
	assert_int_equal(vf_kind(f.C, 0x10014000), PGSIM_VS_SLOT_MAPPED);
	assert_int_equal(vf_kind(f.C, 0x10015000), PGSIM_VS_SLOT_RESERVED);
	assert_int_equal(hint(f.C), 0x10016000);
	assert_int_equal(vf_n_res(f.C), 1);
	assert_int_not_equal(res->freed_by, 0);
	struct pgsim_chk_result r = chk(&f);
	assert_int_equal(r.fired_not_by_design, 0);
	const struct pgsim_chk_violation *v = viol(&r, "RESERVED-IN-RES", "child", 0x10015000);
	assert_non_null(v);
	assert_true(v->by_design);
	assert_non_null(strstr(v->cause, "freed by free_reservation"));
	v = viol(&r, "MAPPED-IN-RES", "child", 0x10014000);
	assert_non_null(v);
	assert_true(v->by_design);
	/* the free left a hole below the hint at 0x10013000: HINT (by design) */
	v = viol(&r, "HINT", "child", 0x10013000);
	assert_non_null(v);
	assert_true(v->by_design);
	pgsim_chk_result_free(&r);
	/* a freed malloced node used again: a use after free */
	assert_int_equal(pgsim_vs_free_reservation(f.C, res, &o), 0);
	assert_int_equal(o.status, PGSIM_VS_CRASH);
	vf_free(&f);
}

/* 8e: a whole aligned 4 MiB block reserved becomes a RESERVED mid entry
 * (PDE 65, no bottom table); free_reservation cannot clear a RESERVED
 * mid entry, so it stays RESERVED for ever and the range cannot be
 * reserved again. */
static void test_mid_reserved_forever(void **state)
{
	(void)state;
	struct vfix f;
	seed(&f, "ia32");
	struct pgsim_vs_out o;
	assert_int_equal(pgsim_vs_reserve_range_at(f.C, 0x10400000, 0x400000, RW, true, &o), 0);
	vf_ok(&o);
	struct pgsim_vs_slot s;
	pgsim_vs_lookup(f.C, 0x10400000, &s);
	assert_int_equal(s.kind, PGSIM_VS_SLOT_MID_RESERVED);
	assert_int_equal(s.level, 1);
	assert_int_equal(s.index, 65);
	assert_int_equal(pgsim_vs_free_reservation(f.C, o.res, &o), 0);
	vf_ok(&o);
	pgsim_vs_lookup(f.C, 0x10400000, &s);
	assert_int_equal(s.kind, PGSIM_VS_SLOT_MID_RESERVED);
	assert_int_equal(vf_n_res(f.C), 1);
	assert_int_equal(pgsim_vs_reserve_range_at(f.C, 0x10400000, 0x1000, RW, true, &o), 0);
	assert_int_equal(o.status, PGSIM_VS_FAILED);
	struct pgsim_chk_result r = chk(&f);
	const struct pgsim_chk_violation *v = viol(&r, "RESERVED-IN-RES", "child", 0x10400000);
	assert_non_null(v);
	assert_true(v->by_design);
	assert_int_equal(v->va, 0x10400000);
	assert_int_equal(v->last, 0x107fffff);
	assert_int_equal(r.fired_not_by_design, 0);
	pgsim_chk_result_free(&r);
	vf_free(&f);
}

/* move_resize_reservation: growing reserves the new pages, shrinking
 * clears only the RESERVED pages it drops; a mapped page dropped stays
 * mapped outside the reservation (MAPPED-IN-RES by design). */
static void test_move_resize(void **state)
{
	(void)state;
	struct vfix f;
	seed(&f, "ia32");
	struct pgsim_vs_out o;
	assert_int_equal(pgsim_vs_reserve_range_at(f.C, 0x20000000, 0x2000, RW, true, &o), 0);
	struct pgsim_vs_res *res = o.res;
	assert_int_equal(pgsim_vs_new_pages_at_vaddr(f.C, 0x20000000, 1, 12, res, false, &o), 0);
	vf_ok(&o);
	/* grow to 4 pages */
	assert_int_equal(pgsim_vs_move_resize_reservation(f.C, res, 0x20000000, 0x4000, &o), 0);
	vf_ok(&o);
	assert_int_equal(res->end, 0x20004000);
	assert_int_equal(vf_kind(f.C, 0x20003000), PGSIM_VS_SLOT_RESERVED);
	/* move up by one page: page 0 (mapped) is dropped but stays mapped */
	assert_int_equal(pgsim_vs_move_resize_reservation(f.C, res, 0x20001000, 0x3000, &o), 0);
	vf_ok(&o);
	assert_int_equal(res->start, 0x20001000);
	assert_int_equal(vf_kind(f.C, 0x20000000), PGSIM_VS_SLOT_MAPPED);
	/* shrink to 1 page: pages 2 and 3 (RESERVED) are cleared */
	assert_int_equal(pgsim_vs_move_resize_reservation(f.C, res, 0x20001000, 0x1000, &o), 0);
	assert_int_equal(vf_kind(f.C, 0x20002000), PGSIM_VS_SLOT_EMPTY);
	assert_int_equal(vf_kind(f.C, 0x20001000), PGSIM_VS_SLOT_RESERVED);
	struct pgsim_chk_result r = chk(&f);
	const struct pgsim_chk_violation *v = viol(&r, "MAPPED-IN-RES", "child", 0x20000000);
	assert_non_null(v);
	assert_true(v->by_design);
	assert_non_null(strstr(v->cause, "move_resize"));
	assert_int_equal(r.fired_not_by_design, 0);
	pgsim_chk_result_free(&r);
	vf_free(&f);
}

/* Deferred rights: map_pages_at_vaddr refuses a deferred reservation,
 * deferred_rights_map_pages_at_vaddr maps with the caller's rights (here
 * read-only), and new_pages_at_vaddr does not look at the flag and maps
 * with the reservation's seL4_NoRights: a kernel-only mapping.  The
 * checker calls the latter DEFERRED-EXCL by design. */
static void test_deferred(void **state)
{
	(void)state;
	struct vfix f;
	seed(&f, "ia32");
	struct pgsim_vs_out o;
	assert_int_equal(pgsim_vs_reserve_deferred_rights_range_at(f.C, 0x20000000, 0x3000, true, &o), 0);
	vf_ok(&o);
	struct pgsim_vs_res *res = o.res;
	assert_true(res->rights_deferred);
	assert_int_equal(res->rights, 0);
	uint64_t c1, c2;
	assert_int_equal(pgsim_vs_vka_alloc_frame(f.env, 12, &c1, NULL, &o), 0);
	assert_int_equal(pgsim_vs_vka_alloc_frame(f.env, 12, &c2, NULL, &o), 0);
	assert_int_equal(pgsim_vs_map_pages_at_vaddr(f.C, &c1, NULL, 0x20000000, 1, 12, res, &o), 0);
	assert_int_equal(o.status, PGSIM_VS_FAILED);
	assert_non_null(strstr(o.msg, "no rights"));
	assert_int_equal(pgsim_vs_deferred_rights_map_pages_at_vaddr(f.C, &c1, NULL, 0x20000000, 1, 12,
								     PGSIM_SEL4_CAN_READ, res, &o), 0);
	vf_ok(&o);
	assert_int_equal(kcap(&f, c1).map_rights, PGSIM_VM_READ_ONLY);
	assert_int_equal(pgsim_vs_new_pages_at_vaddr(f.C, 0x20001000, 1, 12, res, false, &o), 0);
	vf_ok(&o);
	assert_int_equal(kcap(&f, cap_at(f.C, 0x20001000)).map_rights, PGSIM_VM_KERNEL_ONLY);
	struct pgsim_chk_result r = chk(&f);
	const struct pgsim_chk_violation *v = viol(&r, "DEFERRED-EXCL", "child", 0x20001000);
	assert_non_null(v);
	assert_true(v->by_design);
	assert_null(viol(&r, "DEFERRED-EXCL", "child", 0x20000000));
	assert_int_equal(r.fired_not_by_design, 0);
	pgsim_chk_result_free(&r);
	vf_free(&f);
}

/* ---- shadow updates at every level (x86_64: 4 levels of 9 bits) -------------- */

/* A 1 GiB-aligned 1 GiB reservation is one RESERVED entry at level 2; a
 * page mapped inside splits it: a level-1 table pre-filled RESERVED and a
 * bottom table pre-filled RESERVED (update_entries_mid passes the old
 * sentinel on), 3 loader pages; the other 2^18 - 1 slots stay reserved.
 * A 2 MiB-aligned 2 MiB reservation is a RESERVED level-1 entry; an
 * unaligned range gets bottom tables. */
static void test_levels_x86_64(void **state)
{
	(void)state;
	struct vfix f;
	seed(&f, "x86_64");
	struct pgsim_vs_out o;
	struct pgsim_vs_info pin;
	pgsim_vs_info(f.P, &pin);
	uint64_t p_hint = pin.last_allocated;
	assert_int_equal(pgsim_vs_reserve_range_at(f.C, 0x40000000, 0x40000000, RW, true, &o), 0);
	vf_ok(&o);
	struct pgsim_vs_res *res = o.res;
	struct pgsim_vs_slot s;
	pgsim_vs_lookup(f.C, 0x7fffffff, &s);
	assert_int_equal(s.kind, PGSIM_VS_SLOT_MID_RESERVED);
	assert_int_equal(s.level, 2);
	assert_int_equal(s.index, 1);
	/* no shadow table was needed: the driver's hint did not move */
	pgsim_vs_info(f.P, &pin);
	assert_int_equal(pin.last_allocated, p_hint);
	assert_int_equal(pgsim_vs_new_pages_at_vaddr(f.C, 0x40001000, 1, 12, res, false, &o), 0);
	vf_ok(&o);
	pgsim_vs_lookup(f.C, 0x40000000, &s);
	assert_int_equal(s.kind, PGSIM_VS_SLOT_RESERVED);
	assert_int_equal(s.level, 0);
	pgsim_vs_lookup(f.C, 0x40200000, &s);
	assert_int_equal(s.kind, PGSIM_VS_SLOT_MID_RESERVED);
	assert_int_equal(s.level, 1);
	struct vf_count c = vf_count(f.C, 0x40000000, 0x7fffffff);
	assert_int_equal(c.used, 1);
	assert_int_equal(c.reserved, (1u << 18) - 1);
	assert_int_equal(c.empty, 0);
	pgsim_vs_info(f.P, &pin);
	assert_int_equal(pin.last_allocated, p_hint + 3 * 0x1000);
	/* 2 MiB aligned: a RESERVED level-1 entry; unaligned: bottom slots */
	assert_int_equal(pgsim_vs_reserve_range_at(f.C, 0x80200000, 0x200000, RW, true, &o), 0);
	pgsim_vs_lookup(f.C, 0x80200000, &s);
	assert_int_equal(s.kind, PGSIM_VS_SLOT_MID_RESERVED);
	assert_int_equal(s.level, 1);
	assert_int_equal(pgsim_vs_reserve_range_at(f.C, 0x803ff000, 0x2000, RW, true, &o), 0);
	assert_int_equal(o.status, PGSIM_VS_FAILED); /* its first page is in that block */
	assert_int_equal(pgsim_vs_reserve_range_at(f.C, 0x805ff000, 0x2000, RW, true, &o), 0);
	vf_ok(&o);
	pgsim_vs_lookup(f.C, 0x805ff000, &s);
	assert_int_equal(s.kind, PGSIM_VS_SLOT_RESERVED);
	assert_int_equal(s.level, 0);
	assert_int_equal(s.index, 511);
	pgsim_vs_lookup(f.C, 0x80600000, &s);
	assert_int_equal(s.kind, PGSIM_VS_SLOT_RESERVED);
	assert_int_equal(s.index, 0);
	vf_free(&f);
}

/* ---- mapping operations on R, S and H --------------------------------------------- */

/* new_pages: no reservation, a ut cookie, the frame mapped at the shadow's
 * address; the first page in a fresh 4 MiB region costs a PageTable_Map
 * (FailedLookup 22) that goes on the process's allocated-object list. */
static void test_new_pages(void **state)
{
	(void)state;
	struct vfix f;
	seed(&f, "ia32");
	struct pgsim_vs_proc_info pi;
	pgsim_vs_proc_info(f.proc, &pi);
	unsigned n0 = pi.n_objects;
	/* hint 0x10013000; 4 pages */
	struct pgsim_vs_out o;
	assert_int_equal(pgsim_vs_new_pages(f.C, RW, 4, 12, &o), 0);
	vf_ok(&o);
	assert_int_equal(o.vaddr, 0x10013000);
	assert_int_equal(hint(f.C), 0x10017000);
	assert_int_equal(vf_n_res(f.C), 1);
	for (uint64_t va = 0x10013000; va < 0x10017000; va += 0x1000) {
		struct pgsim_vs_slot s;
		pgsim_vs_lookup(f.C, va, &s);
		assert_int_equal(s.kind, PGSIM_VS_SLOT_MAPPED);
		assert_int_not_equal(s.cookie, 0);
		struct pgsim_kcap_info ki = kcap(&f, s.value);
		assert_true(ki.mapped);
		assert_int_equal(ki.vaddr, va);
		assert_int_equal(ki.map_rights, PGSIM_VM_READ_WRITE);
		struct pgsim_vs_utinfo ui;
		assert_int_equal(pgsim_vs_utinfo(f.env, s.cookie, &ui), 0);
		assert_int_equal(ui.pa, ki.pa);
	}
	pgsim_vs_proc_info(f.proc, &pi);
	assert_int_equal(pi.n_objects, n0); /* PDE 64 already has its PT */
	/* 0x10400000: new_pages of a page in PDE 65 needs a new PT */
	pgsim_vs_poke_hint(f.C, 0x10400000);
	assert_int_equal(pgsim_vs_new_pages(f.C, RW, 1, 12, &o), 0);
	vf_ok(&o);
	assert_int_equal(o.vaddr, 0x10400000);
	assert_int_equal(o.n_objects + 0, 0); /* counted on the list instead */
	assert_true(o.n_calls >= 5);          /* retype, map (fails), retype, PT map, map */
	pgsim_vs_proc_info(f.proc, &pi);
	assert_int_equal(pi.n_objects, n0 + 1);
	/* num_pages 0: refused by vspace_new_pages */
	assert_int_equal(pgsim_vs_new_pages(f.C, RW, 0, 12, &o), 0);
	assert_int_equal(o.status, PGSIM_VS_FAILED);
	vf_free(&f);
}

/* map_pages records the caller's caps and cookies; when a later cap fails
 * to map, only the FIRST page's shadow entry is cleared: the pages mapped
 * before the failure stay in H, and (but the first) in S.  Here caps
 * [c1, c2, c3] with c3 already mapped elsewhere (InvalidArgument): c1
 * stays mapped in H but not in S (NO-GHOSTS by design), c2 stays in both. */
static void test_map_pages_failure(void **state)
{
	(void)state;
	struct vfix f;
	seed(&f, "ia32");
	struct pgsim_vs_out o;
	uint64_t c[3];
	for (unsigned i = 0; i < 3; i++)
		assert_int_equal(pgsim_vs_vka_alloc_frame(f.env, 12, &c[i], NULL, &o), 0);
	/* c3 mapped first, alone, at 0x10013000 */
	uint64_t cookie = 0x77;
	assert_int_equal(pgsim_vs_map_pages(f.C, &c[2], &cookie, RW, 1, 12, true, &o), 0);
	vf_ok(&o);
	assert_int_equal(o.vaddr, 0x10013000);
	assert_int_equal(vf_cookie(f.C, 0x10013000), 0x77);
	/* now all three at 0x10014000.. */
	assert_int_equal(pgsim_vs_map_pages(f.C, c, NULL, RW, 3, 12, true, &o), 0);
	assert_int_equal(o.status, PGSIM_VS_FAILED);
	assert_int_equal(o.vaddr, 0);
	assert_true(o.has_kres);
	assert_int_equal(o.kres.err, PGSIM_SEL4_INVALID_ARGUMENT);
	assert_int_equal(vf_kind(f.C, 0x10014000), PGSIM_VS_SLOT_EMPTY);
	assert_int_equal(vf_kind(f.C, 0x10015000), PGSIM_VS_SLOT_MAPPED);
	assert_int_equal(vf_kind(f.C, 0x10016000), PGSIM_VS_SLOT_EMPTY);
	assert_true(kcap(&f, c[0]).mapped);
	assert_int_equal(kcap(&f, c[0]).vaddr, 0x10014000);
	assert_true(kcap(&f, c[1]).mapped);
	struct pgsim_chk_result r = chk(&f);
	const struct pgsim_chk_violation *v = viol(&r, "NO-GHOSTS", "child", 0x10014000);
	assert_non_null(v);
	assert_true(v->by_design);
	assert_non_null(strstr(v->cause, "first page"));
	/* the caller's cookie 0x77 on a caller frame: COOKIE-OWNERSHIP, by design */
	v = viol(&r, "COOKIE-OWNERSHIP", "child", 0x10013000);
	assert_non_null(v);
	assert_true(v->by_design);
	assert_int_equal(r.fired_not_by_design, 0);
	pgsim_chk_result_free(&r);
	vf_free(&f);
}

/* unmap_pages inside a reservation re-marks RESERVED; outside it empties
 * and lowers the hint; VSPACE_FREE deletes the cap and frees its untyped.
 * 8a: unmap of the shared page with VSPACE_PRESERVE: slot 18 EMPTY, the
 * cap copy stays in its slot (a leak), the hint drops to 0x10012000. */
static void test_unmap_pages(void **state)
{
	(void)state;
	struct vfix f;
	seed(&f, "ia32");
	struct pgsim_vs_out o;
	uint64_t shared = cap_at(f.C, 0x10012000);
	assert_int_equal(pgsim_vs_unmap_pages(f.C, 0x10012000, 1, 12, PGSIM_VS_PRESERVE, &o), 0);
	vf_ok(&o);
	assert_int_equal(vf_kind(f.C, 0x10012000), PGSIM_VS_SLOT_EMPTY);
	assert_int_equal(hint(f.C), 0x10012000);
	struct pgsim_kcap_info ki = kcap(&f, shared);
	assert_int_equal(ki.type, PGSIM_KCAP_FRAME); /* the copy leaks */
	assert_false(ki.mapped);
	/* a stack page with VSPACE_FREE: RESERVED again, cap deleted, ut freed */
	struct pgsim_vs_slot s;
	pgsim_vs_lookup(f.C, 0x10005000, &s);
	assert_int_equal(pgsim_vs_unmap_pages(f.C, 0x10005000, 1, 12, PGSIM_VS_FREE, &o), 0);
	vf_ok(&o);
	assert_int_equal(vf_kind(f.C, 0x10005000), PGSIM_VS_SLOT_RESERVED);
	assert_int_equal(vf_cookie(f.C, 0x10005000), 0);
	assert_int_equal(kcap(&f, s.value).type, PGSIM_KCAP_NULL);
	struct pgsim_vs_utinfo ui;
	assert_int_equal(pgsim_vs_utinfo(f.env, s.cookie, &ui), 0);
	assert_true(ui.freed);
	/* 0 pages: refused by vspace_unmap_pages */
	assert_int_equal(pgsim_vs_unmap_pages(f.C, 0x10006000, 0, 12, PGSIM_VS_FREE, &o), 0);
	assert_int_equal(vf_kind(f.C, 0x10006000), PGSIM_VS_SLOT_MAPPED);
	struct pgsim_chk_result r = chk(&f);
	assert_int_equal(r.fired_not_by_design, 0);
	pgsim_chk_result_free(&r);
	vf_free(&f);
}

/* 8b: free_reservation of the stack without unmapping it first: the clear
 * empties the guard (slot 1), stops at slot 2 (mapped), drops the node;
 * the 16 stack pages stay mapped with no reservation; the hint stays. */
static void test_free_stack_reservation(void **state)
{
	(void)state;
	struct vfix f;
	seed(&f, "ia32");
	struct pgsim_vs_out o;
	struct pgsim_vs_info in;
	pgsim_vs_info(f.C, &in);
	assert_int_equal(pgsim_vs_free_reservation(f.C, (struct pgsim_vs_res *)in.head, &o), 0);
	vf_ok(&o);
	assert_int_equal(vf_n_res(f.C), 0);
	assert_int_equal(vf_kind(f.C, 0x10001000), PGSIM_VS_SLOT_EMPTY);
	struct vf_count c = vf_count(f.C, 0x10000000, 0x103fffff);
	assert_int_equal(c.used, 18);
	assert_int_equal(c.reserved, 0);
	assert_int_equal(hint(f.C), 0x10013000);
	struct pgsim_chk_result r = chk(&f);
	const struct pgsim_chk_violation *v = viol(&r, "MAPPED-IN-RES", "child", 0x10002000);
	assert_non_null(v);
	assert_true(v->by_design);
	assert_int_equal(v->va, 0x10002000);
	assert_int_equal(v->last, 0x10011fff);
	assert_int_equal(r.fired_not_by_design, 0);
	pgsim_chk_result_free(&r);
	vf_free(&f);
}

/* 8c: unmap_pages(0x10000000, 3, VSPACE_FREE) starts outside any
 * reservation, so every page is cleared: slot 0 freed; slot 1 (guard)
 * feeds the RESERVED sentinel 0xffffffff to Page_Unmap and the vka, then
 * becomes EMPTY; slot 2 unmapped, freed, EMPTY: a 2-page EMPTY hole in the
 * stack reservation (RES-COVERED, by design). */
static void test_unmap_into_reservation(void **state)
{
	(void)state;
	struct vfix f;
	seed(&f, "ia32");
	struct pgsim_vs_out o;
	assert_int_equal(pgsim_vs_unmap_pages(f.C, 0x10000000, 3, 12, PGSIM_VS_FREE, &o), 0);
	vf_ok(&o);
	assert_true(o.has_kres); /* Page_Unmap of the sentinel failed */
	assert_int_equal(o.kres.err, PGSIM_SEL4_INVALID_CAPABILITY);
	for (uint64_t va = 0x10000000; va < 0x10003000; va += 0x1000)
		assert_int_equal(vf_kind(f.C, va), PGSIM_VS_SLOT_EMPTY);
	assert_int_equal(vf_kind(f.C, 0x10003000), PGSIM_VS_SLOT_MAPPED);
	struct pgsim_chk_result r = chk(&f);
	const struct pgsim_chk_violation *v = viol(&r, "RES-COVERED", "child", 0x10001000);
	assert_non_null(v);
	assert_true(v->by_design);
	assert_int_equal(v->va, 0x10001000);
	assert_int_equal(v->last, 0x10002fff);
	assert_int_equal(r.fired_not_by_design, 0);
	pgsim_chk_result_free(&r);
	vf_free(&f);
}

/* 8d: unmap_pages of the guard: the reservation is found, Page_Unmap runs
 * on the sentinel, reserve_entries fails ("already reserved"), and
 * assert(get_cap != cap) fires in a debug build; under NDEBUG the call
 * returns with nothing changed. */
static void test_unmap_guard(void **state)
{
	(void)state;
	for (int nd = 0; nd < 2; nd++) {
		struct vfix f;
		struct pgsim_vs_env_opts eo = { .ndebug = nd };
		vf_init_opts(&f, "ia32", &eo);
		vf_spawn(&f, vf_seg1, 1);
		struct pgsim_vs_out o;
		assert_int_equal(pgsim_vs_unmap_pages(f.C, 0x10001000, 1, 12, PGSIM_VS_PRESERVE, &o), 0);
		if (nd) {
			vf_ok(&o);
		} else {
			assert_int_equal(o.status, PGSIM_VS_ASSERT);
			assert_non_null(strstr(o.msg, "get_cap"));
		}
		assert_int_equal(vf_kind(f.C, 0x10001000), PGSIM_VS_SLOT_RESERVED);
		vf_free(&f);
	}
}

/* unmap_pages starting inside a reservation and running past its end
 * re-marks the pages beyond it RESERVED: the stack's last page and the
 * shared page (slot 18, outside) -> slot 18 RESERVED outside any
 * reservation (RESERVED-IN-RES, by design). */
static void test_unmap_past_end(void **state)
{
	(void)state;
	struct vfix f;
	seed(&f, "ia32");
	struct pgsim_vs_out o;
	assert_int_equal(pgsim_vs_unmap_pages(f.C, 0x10011000, 2, 12, PGSIM_VS_PRESERVE, &o), 0);
	vf_ok(&o);
	assert_int_equal(vf_kind(f.C, 0x10011000), PGSIM_VS_SLOT_RESERVED);
	assert_int_equal(vf_kind(f.C, 0x10012000), PGSIM_VS_SLOT_RESERVED);
	struct pgsim_chk_result r = chk(&f);
	const struct pgsim_chk_violation *v = viol(&r, "RESERVED-IN-RES", "child", 0x10012000);
	assert_non_null(v);
	assert_true(v->by_design);
	assert_non_null(strstr(v->cause, "ran past the end"));
	assert_int_equal(r.fired_not_by_design, 0);
	pgsim_chk_result_free(&r);
	vf_free(&f);
}

/* share_mem_at_vaddr has no check_reservation and ignores update_entries:
 * sharing the driver's page onto the child's mapped stack page 0x10002000
 * (x86: a 4 KiB Page_Map over a present entry overwrites it silently)
 * succeeds, the shadow keeps the old cap, the hardware maps the copy.  The
 * checker says SHADOW-BACKED, by design (an overwrite). */
static void test_share_over_mapped(void **state)
{
	(void)state;
	struct vfix f;
	seed(&f, "ia32");
	struct pgsim_vs_out o;
	struct pgsim_vs_info in;
	pgsim_vs_info(f.C, &in);
	uint64_t old = cap_at(f.C, 0x10002000);
	assert_int_equal(pgsim_vs_share_mem_at_vaddr(f.P, f.C, f.p_init, 1, 12, 0x10002000,
						     (struct pgsim_vs_res *)in.head, &o), 0);
	vf_ok(&o);
	assert_int_equal(cap_at(f.C, 0x10002000), old);
	struct pgsim_chk_result r = chk(&f);
	const struct pgsim_chk_violation *v = viol(&r, "SHADOW-BACKED", "child", 0x10002000);
	assert_non_null(v);
	assert_true(v->by_design);
	assert_int_equal(r.fired_not_by_design, 0);
	pgsim_chk_result_free(&r);
	vf_free(&f);
}

/* 8f, sel4test's teardown order: unmap the shared page (PRESERVE),
 * free_ipc_buffer, free_sized_stack (all RESERVED again, then the
 * reservation freed: the hint drops to 0x10001000), tear_down: the ELF
 * pages (ut cookies) are unmapped and freed, the child's shadow tables
 * unmapped from the driver.  What survives: the leaked copy of the shared
 * page's cap (cookie 0 pages are never freed by tear_down). */
static void test_teardown(void **state)
{
	(void)state;
	struct vfix f;
	seed(&f, "ia32");
	struct pgsim_vs_out o;
	uint64_t shared = cap_at(f.C, 0x10012000), elf = cap_at(f.C, 0x08048000);
	assert_int_equal(pgsim_vs_unmap_pages(f.C, 0x10012000, 1, 12, PGSIM_VS_PRESERVE, &o), 0);
	assert_int_equal(pgsim_vs_free_ipc_buffer(f.C, 0x10000000, &o), 0);
	vf_ok(&o);
	assert_int_equal(pgsim_vs_free_sized_stack(f.C, 0x10012000, 16, &o), 0);
	vf_ok(&o);
	assert_int_equal(vf_n_res(f.C), 0);
	/* free_ipc_buffer's clear (outside any reservation) already took the
	 * hint down to 0x10000000; the stack's clear does not raise it */
	assert_int_equal(hint(f.C), 0x10000000);
	struct vf_count c = vf_count(f.C, 0x10000000, 0x103fffff);
	assert_int_equal(c.used + c.reserved, 0);
	struct pgsim_vs_info pin;
	pgsim_vs_info(f.P, &pin);
	struct vf_count pc0 = vf_count(f.P, 0x10000000, 0x103fffff);
	/* the driver holds env->init + the child's top + 2 x 2 bottom pages */
	assert_int_equal(pc0.used, 6);
	assert_int_equal(pgsim_vs_tear_down(f.C, PGSIM_VS_FREE, &o), 0);
	vf_ok(&o);
	struct pgsim_vs_info in;
	pgsim_vs_info(f.C, &in);
	assert_true(in.torn_down);
	assert_int_equal(kcap(&f, elf).type, PGSIM_KCAP_NULL);
	assert_int_equal(kcap(&f, shared).type, PGSIM_KCAP_FRAME);
	struct vf_count pc = vf_count(f.P, 0x10000000, 0x103fffff);
	assert_int_equal(pc.used, 1); /* env->init only */
	/* a torn-down vspace cannot be used again */
	assert_int_equal(pgsim_vs_new_pages(f.C, RW, 1, 12, &o), 0);
	assert_int_equal(o.status, PGSIM_VS_CRASH);
	vf_free(&f);
}

/* tear_down's free_page takes a run of equal cookies for one page of
 * 12 * run bits.  free_pages_at_level calls it for every mapped bottom
 * slot: from the first slot of a 4 MiB page the run is 1024 (12288 bits,
 * no valid size: nothing happens), and so on down to the LAST slot, whose
 * run is 1: a 4 KiB unmap_pages, valid, which Page_Unmaps the large cap
 * (the whole 4 MiB mapping goes), deletes it and frees its untyped with
 * the 4 KiB size; only that last slot is cleared.  (The spec's "the page
 * leaks" holds for every slot but the last.) */
static void test_teardown_large(void **state)
{
	(void)state;
	struct vfix f;
	seed(&f, "ia32");
	struct pgsim_vs_out o;
	assert_int_equal(pgsim_vs_new_pages(f.C, RW, 1, 22, &o), 0);
	vf_ok(&o);
	assert_int_equal(o.vaddr, 0x10400000);
	uint64_t big = cap_at(f.C, 0x10400000);
	uint64_t cookie = vf_cookie(f.C, 0x10400000);
	assert_int_equal(cap_at(f.C, 0x107ff000), big);
	assert_true(kcap(&f, big).mapped);
	assert_int_equal(kcap(&f, big).size_lg2, 22);
	assert_int_equal(pgsim_vs_tear_down(f.C, PGSIM_VS_FREE, &o), 0);
	vf_ok(&o);
	assert_int_equal(kcap(&f, big).type, PGSIM_KCAP_NULL);
	struct pgsim_vs_utinfo ui;
	assert_int_equal(pgsim_vs_utinfo(f.env, cookie, &ui), 0);
	assert_true(ui.freed);
	vf_free(&f);
}

/* A self-bootstrapped vspace cannot be torn down. */
static void test_teardown_bootstrapped(void **state)
{
	(void)state;
	struct vfix f;
	vf_init(&f, "ia32");
	struct pgsim_vs_out o;
	assert_int_equal(pgsim_vs_tear_down(f.P, PGSIM_VS_FREE, &o), 0);
	assert_int_equal(o.status, PGSIM_VS_FAILED);
	assert_non_null(strstr(o.msg, "self-bootstrapped"));
	vf_free(&f);
}

/* new_pages when the vka runs dry: the pages done are unmapped and freed
 * again (sel4utils_unmap_pages with the vka), the first page's entry
 * cleared once more, NULL returned; the hint is back at the start. */
static void test_new_pages_out_of_memory(void **state)
{
	(void)state;
	struct vfix f;
	seed(&f, "ia32");
	struct pgsim_vs_out o;
	/* 64 MiB of untyped is 16384 frames: 20000 pages cannot be had */
	assert_int_equal(pgsim_vs_new_pages(f.C, RW, 20000, 12, &o), 0);
	assert_int_equal(o.status, PGSIM_VS_FAILED);
	assert_int_equal(o.vaddr, 0);
	assert_int_equal(hint(f.C), 0x10013000);
	struct vf_count c = vf_count(f.C, 0x10013000, 0x10013000 + 20000ull * 0x1000 - 1);
	assert_int_equal(c.used + c.reserved, 0);
	vf_free(&f);
}

/* get_cap filters RESERVED (0), the internal one does not; get_cookie is
 * 0 in every unmapped case. */
static void test_get_cap_cookie(void **state)
{
	(void)state;
	struct vfix f;
	seed(&f, "ia32");
	struct pgsim_vs_out o;
	assert_int_equal(pgsim_vs_get_cap(f.C, 0x10001000, &o), 0);
	assert_int_equal(o.cptr, 0);
	assert_int_equal(pgsim_vs_get_cap(f.C, 0x10002000, &o), 0);
	assert_int_equal(o.cptr, cap_at(f.C, 0x10002000));
	assert_int_equal(pgsim_vs_get_cookie(f.C, 0x10012000, &o), 0);
	assert_int_equal(o.value, 0);
	assert_int_equal(pgsim_vs_get_cap(f.C, 0xe0000000, &o), 0);
	assert_int_equal(o.cptr, 0);
	vf_free(&f);
}

/* A corrupted list with a cycle: the library would loop for ever in
 * find_reserve; the model stops and calls it a crash, and the summary
 * lists each node once. */
static void test_list_cycle(void **state)
{
	(void)state;
	struct vfix f;
	seed(&f, "ia32");
	struct pgsim_vs_out o;
	assert_int_equal(pgsim_vs_reserve_range(f.C, 0x1000, ALL, true, &o), 0);
	struct pgsim_vs_res *r2 = o.res;
	r2->next->next = r2; /* stack -> r2 */
	assert_int_equal(pgsim_vs_free_reservation_by_vaddr(f.C, 0x30000000, &o), 0);
	assert_int_equal(o.status, PGSIM_VS_CRASH);
	assert_non_null(strstr(o.msg, "cycle"));
	vf_free(&f);
}

/* The history names the operations: the guard was reserved by
 * reserve_range inside vspace_new_sized_stack inside configure_process. */
static void test_history(void **state)
{
	(void)state;
	struct vfix f;
	seed(&f, "ia32");
	struct pgsim_vs_slot s;
	pgsim_vs_lookup(f.C, 0x10001000, &s);
	char buf[256];
	pgsim_vs_event_str(f.env, s.event, buf, sizeof buf);
	assert_non_null(strstr(buf, "reserve_range child"));
	assert_non_null(strstr(buf, "in vspace_new_sized_stack child"));
	assert_non_null(strstr(buf, "in configure_process child"));
	assert_true(pgsim_vs_event_within(f.env, s.event, "configure_thread"));
	assert_false(pgsim_vs_event_within(f.env, s.event, "elf_load"));
	vf_free(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_res_order),
		cmocka_unit_test(test_res_at_unaligned_assert),
		cmocka_unit_test(test_res_at_unaligned_ndebug),
		cmocka_unit_test(test_free_reservation),
		cmocka_unit_test(test_mid_reserved_forever),
		cmocka_unit_test(test_move_resize),
		cmocka_unit_test(test_deferred),
		cmocka_unit_test(test_levels_x86_64),
		cmocka_unit_test(test_new_pages),
		cmocka_unit_test(test_map_pages_failure),
		cmocka_unit_test(test_unmap_pages),
		cmocka_unit_test(test_free_stack_reservation),
		cmocka_unit_test(test_unmap_into_reservation),
		cmocka_unit_test(test_unmap_guard),
		cmocka_unit_test(test_unmap_past_end),
		cmocka_unit_test(test_share_over_mapped),
		cmocka_unit_test(test_teardown),
		cmocka_unit_test(test_teardown_large),
		cmocka_unit_test(test_teardown_bootstrapped),
		cmocka_unit_test(test_new_pages_out_of_memory),
		cmocka_unit_test(test_get_cap_cookie),
		cmocka_unit_test(test_list_cycle),
		cmocka_unit_test(test_history),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
