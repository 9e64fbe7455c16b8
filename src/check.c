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
	/* the nodes in list order, each once: a corrupted list may loop */
	unsigned bound = pgsim_vs_res_count(r->ctx->env) + 1, n = 0;
	v->ri = calloc(bound, sizeof *v->ri);
	if (!v->ri)
		return -ENOMEM;
	const struct pgsim_vs_res *p;
	for (p = v->info.head; p && n < bound; p = p->next) {
		bool seen = false;
		for (unsigned i = 0; i < n && !seen; i++)
			seen = v->ri[i].r == p;
		if (seen)
			break;
		v->ri[n].lo = p->start & ~(CHK_PAGE - 1);
		v->ri[n].hi = (p->end + CHK_PAGE - 1) & ~(CHK_PAGE - 1);
		v->ri[n].r = p;
		n++;
	}
	v->list_ok = p == NULL;
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

static unsigned lower_bound(const struct chk_run *r, uint32_t asid, uint64_t va)
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
	return lo;
}

int chk_frame_with(struct chk_run *r, uint32_t asid, uint64_t va, pgsim_pa_t pa, struct pgsim_kcap_info *ki)
{
	/* a mapping covering va starts at va aligned down to its size: look
	 * there for each frame size of the architecture */
	for (unsigned t = 0; t < pgsim_kernel_n_types(r->ctx->k); t++) {
		const struct pgsim_ktype_info *ty = pgsim_kernel_type(r->ctx->k, t);
		if (ty->kind != PGSIM_KOBJ_FRAME)
			continue;
		uint64_t size = 1ull << ty->size_lg2, base = va & ~(size - 1);
		for (unsigned i = lower_bound(r, asid, base); i < r->n_frames; i++) {
			const struct pgsim_kcap_info *f = &r->frames[i];
			if (f->asid != asid || f->vaddr != base)
				break;
			if (f->size_lg2 == ty->size_lg2 && pa >= f->pa && pa - f->pa == va - base) {
				*ki = *f;
				return 0;
			}
		}
	}
	return -ENOENT;
}

int chk_frame_at(struct chk_run *r, uint32_t asid, uint64_t va, struct pgsim_kcap_info *ki)
{
	unsigned lo = lower_bound(r, asid, va);
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
