/* pgsim: the invariant checker -- the shadow against the seL4 caps and the
 * hardware (spec sel4utils-vspace.md section 3: LARGE-REPLICA,
 * COOKIE-OWNERSHIP, CAP-UNIQUE, S=>H, H=>S, PT-UNTRACKED).
 *
 * "What the library did" comes from the vka's record of each CPtr (which
 * operation allocated it, where the library itself mapped it, whether
 * update_entries recorded it); "what happened" from the kernel's caps and
 * the walker.  A difference the library's record explains (a bookkeeping
 * frame, a swallowed update_entries error, a cap unmapped by someone
 * else) is by design; one it does not explain is a corruption.
 */
#include <stdlib.h>
#include <string.h>

#include "check_impl.h"

static uint64_t block_of(uint64_t va, unsigned lg2)
{
	return va & ~((1ull << lg2) - 1);
}

/* The kernel frame size of a shadow cap (12 when unknown). */
static unsigned cap_lg2(struct chk_run *r, uint64_t cptr)
{
	struct pgsim_kcap_info ki;
	if (chk_kcap(r, cptr, &ki) == 0 && ki.type == PGSIM_KCAP_FRAME)
		return ki.size_lg2;
	return 12;
}

static void add_slot(struct chk_run *r, unsigned idx, const struct chk_vs *v, const struct chk_srun *run,
		     uint64_t va, bool bd, const char *cause)
{
	struct pgsim_chk_violation w;
	chk_views(r, v, va, va == run->va ? &run->s : NULL, &w);
	chk_add(r, idx, v, 0, va, va + CHK_PAGE - 1, 1, bd, cause, &w);
}

void chk_large_replica(struct chk_run *r, unsigned idx)
{
	const struct pgsim_vs_env *env = r->ctx->env;
	for (unsigned i = 0; i < r->n_vss; i++) {
		const struct chk_vs *v = &r->vss[i];
		uint64_t done_base = 1, done_cap = 0;
		for (size_t j = 0; j < v->n_runs; j++) {
			const struct chk_srun *run = &v->runs[j];
			if (run->s.kind != PGSIM_VS_SLOT_MAPPED)
				continue;
			unsigned lg2 = cap_lg2(r, run->s.value);
			if (lg2 <= 12)
				continue;
			uint64_t b = block_of(run->va, lg2);
			if (b == done_base && run->s.value == done_cap)
				continue;
			done_base = b;
			done_cap = run->s.value;
			struct pgsim_vs_slot first;
			pgsim_vs_lookup(v->vs, b, &first);
			struct pgsim_vs_capinfo ci;
			bool bd = pgsim_vs_capinfo(env, run->s.value, &ci) == 0 && ci.hw_only;
			for (uint64_t va = b; va < b + (1ull << lg2); va += CHK_PAGE) {
				struct pgsim_vs_slot s;
				pgsim_vs_lookup(v->vs, va, &s);
				if (s.kind == PGSIM_VS_SLOT_MAPPED && s.value == run->s.value &&
				    s.cookie == first.cookie && first.value == run->s.value)
					continue;
				char cause[200];
				snprintf(cause, sizeof cause, "cap 0x%llx maps 2^%u bytes at 0x%llx, but this slot "
					 "does not repeat its cap and cookie%s", (unsigned long long)run->s.value,
					 lg2, (unsigned long long)b,
					 bd ? ": update_entries failed part-way through the large page" : "");
				struct pgsim_chk_violation w;
				chk_views(r, v, va, &s, &w);
				chk_add(r, idx, v, 0, va, va + CHK_PAGE - 1, 1, bd, cause, &w);
			}
		}
	}
}

void chk_cookie_ownership(struct chk_run *r, unsigned idx)
{
	const struct pgsim_vs_env *env = r->ctx->env;
	for (unsigned i = 0; i < r->n_vss; i++) {
		const struct chk_vs *v = &r->vss[i];
		for (size_t j = 0; j < v->n_runs; j++) {
			const struct chk_srun *run = &v->runs[j];
			if (run->s.kind != PGSIM_VS_SLOT_MAPPED)
				continue;
			/* the cookie the library reads to free a mapping is its
			 * first slot's (unmap_pages, tear_down's free_page) */
			unsigned lg2 = cap_lg2(r, run->s.value);
			if (block_of(run->va, lg2) != run->va)
				continue;
			uint64_t cap = run->s.value, cookie = run->s.cookie;
			struct pgsim_vs_utinfo ui;
			struct pgsim_vs_capinfo ci;
			bool known = pgsim_vs_capinfo(env, cap, &ci) == 0;
			char cause[200];
			if (cookie) {
				bool ok = pgsim_vs_utinfo(env, cookie, &ui) == 0 && ui.cptr == cap;
				if (ok && !ui.freed)
					continue;
				bool caller = pgsim_vs_event_within(env, run->s.event, "map_pages") ||
					      pgsim_vs_event_within(env, run->s.event, "map_pages_at_vaddr") ||
					      pgsim_vs_event_within(env, run->s.event,
								    "deferred_rights_map_pages_at_vaddr");
				if (ok)
					snprintf(cause, sizeof cause, "cookie 0x%llx names an untyped that was "
						 "already freed", (unsigned long long)cookie);
				else if (caller)
					snprintf(cause, sizeof cause, "map_pages recorded the caller's cookie "
						 "0x%llx: unmap_pages(VSPACE_FREE) and tear_down will free it as "
						 "an untyped of this frame", (unsigned long long)cookie);
				else
					snprintf(cause, sizeof cause, "cookie 0x%llx is not the untyped of cap "
						 "0x%llx", (unsigned long long)cookie, (unsigned long long)cap);
				add_slot(r, idx, v, run, run->va, !ok && caller, cause);
			} else if (known && ci.origin == PGSIM_VS_CAP_LIB_FRAME && ci.owner == v->vs) {
				snprintf(cause, sizeof cause, "the library allocated this frame (untyped 0x%llx) "
					 "but the shadow holds cookie 0: it would never free it",
					 (unsigned long long)ci.ut);
				add_slot(r, idx, v, run, run->va, false, cause);
			}
		}
	}
}

struct cap_occ {
	uint64_t cap;
	unsigned vs;
	uint64_t base;
};

static int cmp_occ(const void *a, const void *b)
{
	const struct cap_occ *x = a, *y = b;
	if (x->cap != y->cap)
		return x->cap < y->cap ? -1 : 1;
	if (x->vs != y->vs)
		return x->vs < y->vs ? -1 : 1;
	return x->base < y->base ? -1 : x->base > y->base;
}

void chk_cap_unique(struct chk_run *r, unsigned idx)
{
	size_t n = 0, max = 0;
	struct cap_occ *occ = NULL;
	for (unsigned i = 0; i < r->n_vss; i++)
		for (size_t j = 0; j < r->vss[i].n_runs; j++) {
			const struct chk_srun *run = &r->vss[i].runs[j];
			if (run->s.kind != PGSIM_VS_SLOT_MAPPED)
				continue;
			uint64_t base = block_of(run->va, cap_lg2(r, run->s.value));
			if (n && occ[n - 1].cap == run->s.value && occ[n - 1].vs == i && occ[n - 1].base == base)
				continue;
			if (n == max) {
				max = max ? max * 2 : 256;
				struct cap_occ *p = realloc(occ, max * sizeof *p);
				if (!p) {
					free(occ);
					r->err = -12;
					return;
				}
				occ = p;
			}
			occ[n++] = (struct cap_occ){ run->s.value, i, base };
		}
	if (n)
		qsort(occ, n, sizeof *occ, cmp_occ);
	for (size_t a = 0; a < n;) {
		size_t b = a + 1;
		while (b < n && occ[b].cap == occ[a].cap)
			b++;
		for (size_t k = a + 1; k < b; k++) {
			if (occ[k].vs == occ[k - 1].vs && occ[k].base == occ[k - 1].base)
				continue;
			const struct chk_vs *v = &r->vss[occ[k].vs];
			char cause[200];
			snprintf(cause, sizeof cause, "cap 0x%llx is also in the shadow of %s at 0x%llx: a "
				 "frame cap maps one address", (unsigned long long)occ[k].cap,
				 pgsim_vs_name(r->vss[occ[a].vs].vs), (unsigned long long)occ[a].base);
			struct pgsim_chk_violation w;
			chk_views(r, v, occ[k].base, NULL, &w);
			chk_add(r, idx, v, 0, occ[k].base, occ[k].base + CHK_PAGE - 1, 1, false, cause, &w);
		}
		a = b;
	}
	free(occ);
}

void chk_shadow_backed(struct chk_run *r, unsigned idx)
{
	const struct pgsim_vs_env *env = r->ctx->env;
	for (unsigned i = 0; i < r->n_vss; i++) {
		const struct chk_vs *v = &r->vss[i];
		if (!v->have_root)
			continue;
		for (size_t j = 0; j < v->n_runs; j++) {
			const struct chk_srun *run = &v->runs[j];
			if (run->s.kind != PGSIM_VS_SLOT_MAPPED)
				continue;
			uint64_t cap = run->s.value, va = run->va;
			struct pgsim_kcap_info ki;
			bool frame = chk_kcap(r, cap, &ki) == 0 && ki.type == PGSIM_KCAP_FRAME;
			uint64_t b = frame ? block_of(va, ki.size_lg2) : va;
			struct pgsim_translation t;
			bool hw = chk_translate(r, v->root_pa, va, &t);
			if (frame && hw && t.pa == ki.pa + (va - b))
				continue;
			struct pgsim_vs_capinfo ci;
			bool known = pgsim_vs_capinfo(env, cap, &ci) == 0;
			bool lib_here = known && ci.mapped_vs == v->vs && ci.mapped_by &&
					ci.mapped_va == b;
			bool k_here = frame && ki.mapped && ki.asid == v->asid && ki.vaddr == b;
			char cause[200];
			bool bd = false;
			struct pgsim_kcap_info other;
			bool overwritten = hw && chk_frame_with(r, v->asid, va, t.pa, &other) == 0 &&
					   strcmp(other.slot, frame ? ki.slot : "");
			if (overwritten) {
				bd = true;
				snprintf(cause, sizeof cause, "%s was mapped over it (a 4 KiB Page_Map onto a "
					 "present entry overwrites it silently on x86) and the shadow still "
					 "holds cap 0x%llx", other.slot, (unsigned long long)cap);
			} else if (lib_here && !k_here) {
				bd = true;
				snprintf(cause, sizeof cause, "the library mapped cap 0x%llx here, but the "
					 "kernel no longer has it mapped here: unmapped, deleted or revoked "
					 "outside the library", (unsigned long long)cap);
			} else if (!lib_here && !k_here) {
				snprintf(cause, sizeof cause, "the shadow holds cap 0x%llx, which neither the "
					 "library nor the kernel mapped here", (unsigned long long)cap);
			} else {
				snprintf(cause, sizeof cause, "the kernel has cap 0x%llx mapped here but the "
					 "page tables do not map its frame", (unsigned long long)cap);
			}
			add_slot(r, idx, v, run, va, bd, cause);
		}
	}
}

struct ghost_ctx {
	struct chk_run *r;
	const struct chk_vs *v;
	unsigned idx;
};

static int ghost_leaf(void *c, const struct pgsim_range *rg)
{
	struct ghost_ctx *g = c;
	struct chk_run *r = g->r;
	const struct chk_vs *v = g->v;
	struct pgsim_kcap_info ki;
	if (chk_frame_at(r, v->asid, rg->va, &ki) || ki.pa != rg->pa)
		return 0; /* no cap behind it: LEAF-CAP's concern */
	struct pgsim_vs_slot s;
	pgsim_vs_lookup(v->vs, rg->va, &s);
	if (s.kind == PGSIM_VS_SLOT_MAPPED)
		return 0;
	const struct pgsim_vs_env *env = r->ctx->env;
	uint64_t cptr;
	struct pgsim_vs_capinfo ci;
	char cause[200];
	bool bd = true;
	if (pgsim_vs_cptr_of_slot(env, ki.slot, &cptr) || pgsim_vs_capinfo(env, cptr, &ci)) {
		snprintf(cause, sizeof cause, "mapped outside the library (cap %s)", ki.slot);
	} else if (ci.hw_only) {
		snprintf(cause, sizeof cause, "%s", ci.hw_only);
	} else if (!ci.mapped_by || ci.mapped_vs != v->vs || ci.mapped_va != rg->va) {
		snprintf(cause, sizeof cause, "mapped through the kernel directly, not by the library "
			 "(cap %s)", ki.slot);
	} else {
		bd = false;
		snprintf(cause, sizeof cause, "the library mapped cap %s here and recorded it, but the "
			 "shadow lost it", ki.slot);
	}
	struct pgsim_chk_violation w;
	chk_views(r, v, rg->va, &s, &w);
	chk_view_kcap(&ki, w.cap, sizeof w.cap);
	chk_add(r, g->idx, v, 0, rg->va, rg->va + (1ull << rg->page_lg2) - 1, 1ull << (rg->page_lg2 - 12),
		bd, cause, &w);
	return r->err;
}

void chk_no_ghosts(struct chk_run *r, unsigned idx)
{
	for (unsigned i = 0; i < r->n_vss; i++) {
		const struct chk_vs *v = &r->vss[i];
		if (!v->have_root)
			continue;
		struct ghost_ctx g = { r, v, idx };
		struct pgsim_range_cb cb = { .range = ghost_leaf, .ctx = &g };
		int rc = chk_walk_user(r, v->root_pa, &cb);
		if (rc < 0) {
			r->err = rc;
			return;
		}
	}
}

void chk_pt_untracked(struct chk_run *r, unsigned idx)
{
	const struct pgsim_vs_env *env = r->ctx->env;
	for (unsigned i = 0; i < r->n_vss; i++) {
		const struct chk_vs *v = &r->vss[i];
		if (!v->have_root)
			continue;
		struct pgsim_vs_proc_info pi;
		memset(&pi, 0, sizeof pi);
		if (v->info.proc)
			pgsim_vs_proc_info(v->info.proc, &pi);
		for (unsigned t = 0; t < r->n_tables; t++) {
			const struct pgsim_kcap_info *ki = &r->tables[t];
			if (ki->asid != v->asid)
				continue;
			uint64_t cptr;
			struct pgsim_vs_capinfo ci;
			bool known = pgsim_vs_cptr_of_slot(env, ki->slot, &cptr) == 0 &&
				     pgsim_vs_capinfo(env, cptr, &ci) == 0 && ci.origin == PGSIM_VS_CAP_OBJECT;
			bool listed = false;
			for (unsigned o = 0; known && o < pi.n_objects; o++)
				listed |= pi.objects[o] == cptr;
			if (listed)
				continue;
			char cause[200];
			bool bd = true;
			if (!known)
				snprintf(cause, sizeof cause, "%s was made outside the library", ki->slot);
			else if (!v->info.proc)
				snprintf(cause, sizeof cause, "%s belongs to a leaky vspace (no allocated-object "
					 "callback): it is tracked nowhere", ki->slot);
			else {
				bd = false;
				snprintf(cause, sizeof cause, "the library made %s for this vspace but it is not "
					 "on the process's allocated-object list", ki->slot);
			}
			struct pgsim_chk_violation w;
			memset(&w, 0, sizeof w);
			chk_view_kcap(ki, w.cap, sizeof w.cap);
			if (known)
				pgsim_vs_event_str(env, ci.made_by, w.history, sizeof w.history);
			chk_add(r, idx, v, ki->asid, ki->vaddr, ki->vaddr, 0, bd, cause, &w);
		}
	}
}
