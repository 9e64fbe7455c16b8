/* pgsim: the invariant checker -- the table, the run, and the views.
 *
 * Each invariant is a row {id, views, statement, broken_by, fn}.  A run
 * first gathers each view once (the shadow of every sel4utils vspace as
 * runs of slots, its reservation intervals, the kernel's mapped frame and
 * table caps and its assigned roots), then calls the selected rows.  A
 * row reports violations through chk_add, which merges a violation into
 * the previous one when it continues it (adjacent VA, same cause), so
 * 387 ELF pages mapped outside any reservation read as one line.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "check_impl.h"

#define R PGSIM_CHK_R
#define S PGSIM_CHK_S
#define K PGSIM_CHK_K
#define H PGSIM_CHK_H

static const struct {
	struct pgsim_chk_def d;
	chk_fn fn;
} table[] = {
	{ { "RES-ALIGN", R, true,
	    "every reservation has start < end, both 4 KiB aligned",
	    "" }, chk_res_align },
	{ { "RES-ORDER", R, true,
	    "the reservation list is sorted by strictly descending start (and ends)",
	    "" }, chk_res_order },
	{ { "RES-DISJOINT", R, true,
	    "no two reservations overlap",
	    "an NDEBUG build's perform_reservation after an unaligned reserve_range_at whose "
	    "unchecked last page was taken" }, chk_res_disjoint },
	{ { "RES-COVERED", R | S, true,
	    "every page inside a reservation is RESERVED or mapped in the shadow, never EMPTY",
	    "unmap_pages starting outside a reservation and running into it; an NDEBUG "
	    "build's partial perform_reservation" }, chk_res_covered },
	{ { "RESERVED-IN-RES", R | S, true,
	    "every RESERVED mark (bottom slot or mid entry) lies inside some reservation",
	    "the kernel region marks; bootstrap marks (image, existing frames, bookkeeping "
	    "region); free_reservation stopping at the first mapped slot; RESERVED mid "
	    "entries that cannot be cleared; unmap_pages running past a reservation's end" },
	  chk_reserved_in_res },
	{ { "MAPPED-IN-RES", R | S, true,
	    "every mapped shadow entry lies inside some reservation",
	    "new_pages, map_pages, vspace_new_ipc_buffer, vspace_new_pages_with_config, "
	    "vspace_share_mem, ELF loading (reservations dropped after loading), "
	    "free_reservation of a mapped range, move_resize_reservation shrinking" },
	  chk_mapped_in_res },
	{ { "RES-RIGHTS", R | S | K, true,
	    "a page mapped inside a reservation was mapped with the reservation's rights and "
	    "cacheability (deferred reservations excepted)",
	    "" }, chk_res_rights },
	{ { "DEFERRED-EXCL", R | S, true,
	    "a deferred-rights reservation is mapped only through "
	    "deferred_rights_map_pages_at_vaddr",
	    "new_pages_at_vaddr and share_mem_at_vaddr, which do not look at rights_deferred" },
	  chk_deferred_excl },
	{ { "SENTINEL-WF", S, true,
	    "mid entries are EMPTY, RESERVED or a table pointer; bottom caps EMPTY, RESERVED "
	    "or a CPtr; the cookie is 0 whenever the cap is a sentinel",
	    "" }, chk_sentinel_wf },
	{ { "KERNEL-RESERVED", S, true,
	    "top-level entries from TOP_LEVEL_INDEX(KERNEL_RESERVED_START) up are RESERVED "
	    "(unless the vspace is empty)",
	    "" }, chk_kernel_reserved },
	{ { "LARGE-REPLICA", S | K, true,
	    "a mapping of 2^k bytes occupies 2^(k-12) consecutive aligned bottom slots with "
	    "the same cap and cookie",
	    "update_entries failing part-way through a large page" }, chk_large_replica },
	{ { "SHADOW-BACKED", S | K | H, true,
	    "every mapped shadow entry at va has a present hardware mapping at va of the "
	    "cap's frame",
	    "a Page_Unmap, CNode_Delete or Revoke of the frame cap outside the library; a "
	    "remap by another party" }, chk_shadow_backed },
	{ { "NO-GHOSTS", S | K | H, true,
	    "every present user mapping (backed by a frame cap) appears as a mapped shadow "
	    "entry",
	    "self-bootstrapped vspaces (image, bootinfo, bookkeeping frames); map_pages "
	    "failure; new_pages' lost update_entries error; share_mem_at_vaddr ignoring "
	    "update_entries; unmap_pages clearing the shadow after a failed Page_Unmap; "
	    "mappings made by another party" }, chk_no_ghosts },
	{ { "PT-UNTRACKED", K, true,
	    "every paging structure mapped into a vspace is on its process's "
	    "allocated-object list",
	    "leaky vspaces (no allocated-object callback, e.g. a root task's); tables made "
	    "by another party" }, chk_pt_untracked },
	{ { "COOKIE-OWNERSHIP", S | K, true,
	    "cookie != 0 exactly when the library allocated the frame (its untyped is "
	    "freed by unmap_pages(VSPACE_FREE) and tear_down)",
	    "map_pages / map_pages_at_vaddr callers passing their own non-zero cookies" },
	  chk_cookie_ownership },
	{ { "CAP-UNIQUE", S, true,
	    "a frame cap (CPtr) is mapped at only one vaddr across all vspaces' shadows",
	    "" }, chk_cap_unique },
	{ { "HINT", S, true,
	    "no free range lies between the initial hint 0x10000000 and last_allocated "
	    "outside every reservation (find_range never wraps to reach it)",
	    "free_reservation and unmap_pages clears that do not lower the hint (find_range "
	    "never wraps: the library does not maintain this)" }, chk_hint },
	{ { "GEOMETRY", S | H, true,
	    "the shadow's index at every level is the hardware's",
	    "" }, chk_geometry },
	{ { "CAP-WALK", K | H, false,
	    "every mapped frame cap translates through the walker to its frame with the "
	    "rights the kernel recorded",
	    "" }, chk_cap_walk },
	{ { "LEAF-CAP", K | H, false,
	    "every present leaf the walker finds belongs to a frame cap mapped there",
	    "" }, chk_leaf_cap },
	{ { "TABLE-CAP", K | H, false,
	    "every table pointer the walker finds belongs to a mapped paging-structure cap, "
	    "and every mapped paging-structure cap is pointed to",
	    "" }, chk_table_cap },
};

#define N_TABLE (sizeof table / sizeof table[0])

unsigned pgsim_chk_count(void)
{
	return N_TABLE;
}

const struct pgsim_chk_def *pgsim_chk_def(unsigned i)
{
	return i < N_TABLE ? &table[i].d : NULL;
}

int pgsim_chk_find(const char *id)
{
	for (unsigned i = 0; i < N_TABLE; i++)
		if (!strcasecmp(table[i].d.id, id))
			return (int)i;
	return -1;
}

void pgsim_chk_ids_str(uint64_t bits, char *buf, size_t len)
{
	size_t used = 0;
	buf[0] = '\0';
	for (unsigned i = 0; i < N_TABLE && used < len; i++)
		if (bits & (1ull << i)) {
			int w = snprintf(buf + used, len - used, "%s%s", used ? ", " : "", table[i].d.id);
			if (w < 0)
				break;
			used += (size_t)w;
		}
}

/* ---- recording ---------------------------------------------------------------- */

void chk_add(struct chk_run *r, unsigned idx, const struct chk_vs *v, uint32_t asid,
	     uint64_t va, uint64_t last, uint64_t pages, bool by_design, const char *cause,
	     const struct pgsim_chk_violation *views)
{
	struct pgsim_chk_result *res = r->res;
	const char *vname = v ? pgsim_vs_name(v->vs) : "";
	res->fired |= 1ull << idx;
	if (!by_design)
		res->fired_not_by_design |= 1ull << idx;
	if (res->n) {
		struct pgsim_chk_violation *p = &res->v[res->n - 1];
		if (p->index == idx && p->asid == asid && p->by_design == by_design &&
		    !strcmp(p->vspace, vname) && !strcmp(p->cause, cause) && p->last + 1 == va) {
			p->last = last;
			p->pages += pages;
			return;
		}
	}
	if (res->n == r->max) {
		res->dropped++;
		return;
	}
	if (res->n == r->cap) {
		unsigned nc = r->cap ? r->cap * 2 : 32;
		struct pgsim_chk_violation *nv = realloc(res->v, nc * sizeof *nv);
		if (!nv) {
			r->err = -ENOMEM;
			res->dropped++;
			return;
		}
		res->v = nv;
		r->cap = nc;
	}
	struct pgsim_chk_violation *p = &res->v[res->n++];
	if (views)
		*p = *views;
	else
		memset(p, 0, sizeof *p);
	p->id = table[idx].d.id;
	p->index = idx;
	snprintf(p->vspace, sizeof p->vspace, "%s", vname);
	p->asid = asid;
	p->va = va;
	p->last = last;
	p->pages = pages;
	p->by_design = by_design;
	snprintf(p->cause, sizeof p->cause, "%s", cause);
}

/* ---- views --------------------------------------------------------------------- */

static void rights_str(unsigned rights, char *buf, size_t len)
{
	snprintf(buf, len, "%s%s%s%s", rights & PGSIM_SEL4_CAN_READ ? "r" : "-",
		 rights & PGSIM_SEL4_CAN_WRITE ? "w" : "-", rights & PGSIM_SEL4_CAN_GRANT ? "g" : "-",
		 rights & PGSIM_SEL4_CAN_GRANT_REPLY ? "G" : "-");
}

const struct chk_rint *chk_ri_find(const struct chk_vs *v, uint64_t va)
{
	for (unsigned i = 0; i < v->n_ri; i++)
		if (va >= v->ri[i].lo && va < v->ri[i].hi)
			return &v->ri[i];
	return NULL;
}

static void view_res(struct chk_run *r, const struct chk_vs *v, uint64_t va,
		     const struct pgsim_vs_slot *s, char *buf, size_t len)
{
	const struct chk_rint *ri = chk_ri_find(v, va);
	int w;
	if (ri) {
		char rs[8];
		rights_str(ri->r->rights, rs, sizeof rs);
		w = snprintf(buf, len, "reservation %u [0x%llx, 0x%llx) %s%s%s", ri->r->serial,
			     (unsigned long long)ri->r->start, (unsigned long long)ri->r->end, rs,
			     ri->r->cacheable ? "" : " uncached", ri->r->rights_deferred ? " deferred" : "");
	} else {
		w = snprintf(buf, len, "none");
	}
	if (w < 0 || (size_t)w >= len || !s || !s->res_serial || (ri && ri->r->serial == s->res_serial))
		return;
	const struct pgsim_vs_res *old = pgsim_vs_res_at(r->ctx->env, s->res_serial);
	if (!old)
		return;
	if (old->freed_by)
		snprintf(buf + w, len - (size_t)w, "; it was made under reservation %u [0x%llx, 0x%llx), "
			 "freed by op %u", old->serial, (unsigned long long)old->start,
			 (unsigned long long)old->end, old->freed_by);
	else
		snprintf(buf + w, len - (size_t)w, "; it was made under reservation %u [0x%llx, 0x%llx)",
			 old->serial, (unsigned long long)old->start, (unsigned long long)old->end);
}

static void view_shadow(const struct pgsim_vs_slot *s, uint64_t reserved, char *buf, size_t len)
{
	const char *what = s->level ? "entry" : "slot";
	switch (s->kind) {
	case PGSIM_VS_SLOT_MAPPED:
		snprintf(buf, len, "level 0 slot %u of the table at 0x%llx: cap 0x%llx, cookie 0x%llx",
			 s->index, (unsigned long long)s->table_ptr, (unsigned long long)s->value,
			 (unsigned long long)s->cookie);
		return;
	case PGSIM_VS_SLOT_RESERVED:
	case PGSIM_VS_SLOT_MID_RESERVED:
		snprintf(buf, len, "level %d %s %u: RESERVED (0x%llx)%s", s->level, what, s->index,
			 (unsigned long long)reserved, s->cookie ? ", cookie not 0" : "");
		break;
	case PGSIM_VS_SLOT_EMPTY:
		snprintf(buf, len, "level %d %s %u: EMPTY%s", s->level, what, s->index,
			 s->cookie ? ", cookie not 0" : "");
		break;
	case PGSIM_VS_SLOT_BAD:
		snprintf(buf, len, "level %d entry %u: 0x%llx, which is no table of this vspace", s->level,
			 s->index, (unsigned long long)s->value);
		return;
	}
	if (s->cookie) {
		size_t l = strlen(buf);
		snprintf(buf + l, len - l, " (0x%llx)", (unsigned long long)s->cookie);
	}
}

void chk_view_kcap(const struct pgsim_kcap_info *ki, char *buf, size_t len)
{
	switch (ki->type) {
	case PGSIM_KCAP_NULL:
		snprintf(buf, len, "%s: empty slot", ki->slot ? ki->slot : "?");
		return;
	case PGSIM_KCAP_FRAME:
		if (ki->mapped)
			snprintf(buf, len, "%s: frame 2^%u at pa 0x%llx, mapped in ASID %u at 0x%llx %s",
				 ki->slot, ki->size_lg2, (unsigned long long)ki->pa, ki->asid,
				 (unsigned long long)ki->vaddr, pgsim_vm_rights_name(ki->map_rights));
		else
			snprintf(buf, len, "%s: frame 2^%u at pa 0x%llx, not mapped", ki->slot, ki->size_lg2,
				 (unsigned long long)ki->pa);
		return;
	default:
		snprintf(buf, len, "%s: %s at pa 0x%llx%s", ki->slot,
			 ki->obj_type ? ki->obj_type->sel4_name : "cap", (unsigned long long)ki->pa,
			 ki->mapped ? ", mapped" : "");
		return;
	}
}

int chk_kcap(struct chk_run *r, uint64_t cptr, struct pgsim_kcap_info *ki)
{
	char slot[64];
	if (!r->ctx->env)
		return -ENOENT;
	pgsim_vs_slot(r->ctx->env, cptr, slot, sizeof slot);
	int rc = pgsim_kernel_cap(r->ctx->k, slot, ki);
	if (rc == 0 && !ki->slot)
		ki->slot = "?";
	return rc;
}

void chk_view_cap(struct chk_run *r, uint64_t cptr, char *buf, size_t len)
{
	struct pgsim_kcap_info ki;
	char slot[64];
	pgsim_vs_slot(r->ctx->env, cptr, slot, sizeof slot);
	if (pgsim_kernel_cap(r->ctx->k, slot, &ki) != 0) {
		snprintf(buf, len, "%s: no such slot", slot);
		return;
	}
	if (ki.type == PGSIM_KCAP_NULL)
		ki.slot = slot;
	chk_view_kcap(&ki, buf, len);
}

bool chk_translate(struct chk_run *r, pgsim_pa_t root, uint64_t va, struct pgsim_translation *t)
{
	struct pgsim_walk_req q = { PGSIM_ACCESS_READ, true, false };
	if (pgsim_walk_translate(r->ctx->cfg, r->ctx->mem, root, va, &q, t) == 0 && t->ok)
		return true;
	if (t->fault.kind != PGSIM_FAULT_PERMISSION)
		return false;
	q.user = false;
	return pgsim_walk_translate(r->ctx->cfg, r->ctx->mem, root, va, &q, t) == 0 && t->ok;
}

enum pgsim_vm_rights chk_walk_rights(const struct pgsim_translation *t)
{
	if (!(t->perms & PGSIM_P_UR))
		return PGSIM_VM_KERNEL_ONLY;
	return t->perms & PGSIM_P_UW ? PGSIM_VM_READ_WRITE : PGSIM_VM_READ_ONLY;
}

void chk_view_walk(struct chk_run *r, pgsim_pa_t root, uint64_t va, char *buf, size_t len)
{
	struct pgsim_translation t;
	if (chk_translate(r, root, va, &t)) {
		char p[32];
		pgsim_perms_str(t.perms, p, sizeof p);
		snprintf(buf, len, "pa 0x%llx (2^%u page, level %d) %s", (unsigned long long)t.pa,
			 t.page_lg2, t.level, p);
	} else {
		snprintf(buf, len, "%s at level %d", pgsim_fault_kind_name(t.fault.kind), t.fault.level);
	}
}

void chk_top_op(const struct pgsim_vs_env *env, uint32_t ev, char *buf, size_t len)
{
	const struct pgsim_vs_event *e = pgsim_vs_event(env, ev);
	buf[0] = '\0';
	while (e && e->parent) {
		const struct pgsim_vs_event *p = pgsim_vs_event(env, e->parent);
		if (!p)
			break;
		e = p;
	}
	if (e) {
		const char *what = e->vs[0] ? e->vs : e->detail;
		snprintf(buf, len, "%s%s%s", e->op, what[0] ? " " : "", what);
	}
}

void chk_views(struct chk_run *r, const struct chk_vs *v, uint64_t va, const struct pgsim_vs_slot *slot,
	       struct pgsim_chk_violation *out)
{
	struct pgsim_vs_slot s;
	memset(out, 0, sizeof *out);
	if (!slot) {
		pgsim_vs_lookup(v->vs, va, &s);
		slot = &s;
	}
	view_res(r, v, va, slot, out->res, sizeof out->res);
	view_shadow(slot, r->c.reserved, out->shadow, sizeof out->shadow);
	if (slot->kind == PGSIM_VS_SLOT_MAPPED)
		chk_view_cap(r, slot->value, out->cap, sizeof out->cap);
	else
		snprintf(out->cap, sizeof out->cap, "-");
	if (v->have_root)
		chk_view_walk(r, v->root_pa, va, out->walker, sizeof out->walker);
	else
		snprintf(out->walker, sizeof out->walker, "no assigned root");
	if (slot->event)
		pgsim_vs_event_str(r->ctx->env, slot->event, out->history, sizeof out->history);
}

/* ---- gathering ------------------------------------------------------------------ */

static int run_cb(void *ctx, uint64_t va, uint64_t pages, const struct pgsim_vs_slot *s)
{
	struct chk_vs *v = ctx;
	if (v->n_runs == v->max_runs) {
		size_t n = v->max_runs ? v->max_runs * 2 : 256;
		struct chk_srun *p = realloc(v->runs, n * sizeof *p);
		if (!p)
			return -ENOMEM;
		v->runs = p;
		v->max_runs = n;
	}
	v->runs[v->n_runs].va = va;
	v->runs[v->n_runs].pages = pages;
	v->runs[v->n_runs].s = *s;
	v->n_runs++;
	return 0;
}

static int cmp_ri(const void *a, const void *b)
{
	const struct chk_rint *x = a, *y = b;
	return x->lo < y->lo ? -1 : x->lo > y->lo;
}

static int gather_vs(struct chk_run *r, struct chk_vs *v, const struct pgsim_vs *vs)
{
	memset(v, 0, sizeof *v);
	v->vs = vs;
	pgsim_vs_info(vs, &v->info);
	int rc = pgsim_vs_visit(vs, run_cb, v);
	if (rc < 0)
		return rc;
	unsigned bound = pgsim_vs_res_count(r->ctx->env) + 1, n = 0;
	const struct pgsim_vs_res *p;
	for (p = v->info.head; p && n < bound; p = p->next)
		n++;
	v->list_ok = p == NULL;
	v->ri = calloc(n ? n : 1, sizeof *v->ri);
	if (!v->ri)
		return -ENOMEM;
	p = v->info.head;
	for (unsigned i = 0; i < n; i++, p = p->next) {
		v->ri[i].lo = p->start & ~(CHK_PAGE - 1);
		v->ri[i].hi = (p->end + CHK_PAGE - 1) & ~(CHK_PAGE - 1);
		v->ri[i].r = p;
	}
	v->n_ri = n;
	qsort(v->ri, n, sizeof *v->ri, cmp_ri);
	char slot[64];
	struct pgsim_kcap_info ki;
	pgsim_vs_slot(r->ctx->env, v->info.root_cptr, slot, sizeof slot);
	if (pgsim_kernel_root_pa(r->ctx->k, slot, &v->root_pa) == 0 &&
	    pgsim_kernel_cap(r->ctx->k, slot, &ki) == 0) {
		v->have_root = true;
		v->asid = ki.asid;
	}
	return 0;
}

static int cmp_frame(const void *a, const void *b)
{
	const struct pgsim_kcap_info *x = a, *y = b;
	if (x->asid != y->asid)
		return x->asid < y->asid ? -1 : 1;
	return x->vaddr < y->vaddr ? -1 : x->vaddr > y->vaddr;
}

static int gather_kernel(struct chk_run *r)
{
	struct pgsim_kernel *k = r->ctx->k;
	unsigned n = pgsim_kernel_n_caps(k);
	r->frames = calloc(n ? n : 1, sizeof *r->frames);
	r->tables = calloc(n ? n : 1, sizeof *r->tables);
	r->roots = calloc(n ? n : 1, sizeof *r->roots);
	if (!r->frames || !r->tables || !r->roots)
		return -ENOMEM;
	for (unsigned i = 0; i < n; i++) {
		struct pgsim_kcap_info ki;
		pgsim_pa_t pa;
		if (pgsim_kernel_cap_at(k, i, &ki) || !ki.mapped)
			continue;
		if (ki.type == PGSIM_KCAP_FRAME)
			r->frames[r->n_frames++] = ki;
		else if (ki.type == PGSIM_KCAP_TABLE && pgsim_kernel_root_pa(k, ki.slot, &pa) == 0)
			r->roots[r->n_roots++] = ki;
		else if (ki.type == PGSIM_KCAP_TABLE)
			r->tables[r->n_tables++] = ki;
	}
	if (r->n_frames)
		qsort(r->frames, r->n_frames, sizeof *r->frames, cmp_frame);
	return 0;
}

int chk_frame_at(struct chk_run *r, uint32_t asid, uint64_t va, struct pgsim_kcap_info *ki)
{
	unsigned lo = 0, hi = r->n_frames;
	while (lo < hi) {
		unsigned mid = (lo + hi) / 2;
		const struct pgsim_kcap_info *f = &r->frames[mid];
		if (f->asid < asid || (f->asid == asid && f->vaddr < va))
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < r->n_frames && r->frames[lo].asid == asid && r->frames[lo].vaddr == va) {
		*ki = r->frames[lo];
		return 0;
	}
	return -ENOENT;
}

int pgsim_chk_run(const struct pgsim_chk_ctx *ctx, const struct pgsim_chk_opts *o,
		  struct pgsim_chk_result *res)
{
	struct pgsim_chk_opts d = { 0, 0 };
	if (!o)
		o = &d;
	memset(res, 0, sizeof *res);
	struct chk_run r = { .ctx = ctx, .res = res };
	r.max = o->max_violations ? o->max_violations : 4096;
	int rc = gather_kernel(&r);
	if (!rc && ctx->env) {
		pgsim_vs_env_consts(ctx->env, &r.c);
		unsigned n = pgsim_vs_count(ctx->env);
		r.vss = calloc(n ? n : 1, sizeof *r.vss);
		if (!r.vss)
			rc = -ENOMEM;
		for (unsigned i = 0; !rc && i < n; i++) {
			const struct pgsim_vs *vs = pgsim_vs_at(ctx->env, i);
			struct pgsim_vs_info in;
			pgsim_vs_info(vs, &in);
			if (in.torn_down || !in.top_ptr)
				continue;
			rc = gather_vs(&r, &r.vss[r.n_vss], vs);
			r.n_vss++;
		}
	}
	for (unsigned i = 0; !rc && i < N_TABLE; i++) {
		if (o->only && !(o->only & (1ull << i)))
			continue;
		if (table[i].d.needs_vspace && !ctx->env)
			continue;
		table[i].fn(&r, i);
		rc = r.err;
	}
	for (unsigned i = 0; i < r.n_vss; i++) {
		free(r.vss[i].runs);
		free(r.vss[i].ri);
	}
	free(r.vss);
	free(r.frames);
	free(r.tables);
	free(r.roots);
	return rc;
}

void pgsim_chk_result_free(struct pgsim_chk_result *res)
{
	free(res->v);
	memset(res, 0, sizeof *res);
}

void pgsim_chk_print(FILE *f, const struct pgsim_chk_result *res)
{
	unsigned nbd = 0;
	for (unsigned i = 0; i < res->n; i++) {
		const struct pgsim_chk_violation *v = &res->v[i];
		if (!v->by_design)
			nbd++;
		fprintf(f, "%s %s%s0x%llx..0x%llx (%llu page%s)%s: %s\n", v->id, v->vspace,
			v->vspace[0] ? " " : "", (unsigned long long)v->va, (unsigned long long)v->last,
			(unsigned long long)v->pages, v->pages == 1 ? "" : "s",
			v->by_design ? " [by design]" : "", v->cause);
		if (v->res[0])
			fprintf(f, "    reservations: %s\n", v->res);
		if (v->shadow[0])
			fprintf(f, "    shadow:       %s\n", v->shadow);
		if (v->cap[0])
			fprintf(f, "    seL4 cap:     %s\n", v->cap);
		if (v->walker[0])
			fprintf(f, "    walker:       %s\n", v->walker);
		if (v->history[0])
			fprintf(f, "    history:      %s\n", v->history);
	}
	char ids[512];
	pgsim_chk_ids_str(res->fired, ids, sizeof ids);
	fprintf(f, "%u violation%s (%u not by design%s)%s%s\n", res->n, res->n == 1 ? "" : "s", nbd,
		res->dropped ? ", more dropped" : "", res->n ? ": " : "", ids);
}
