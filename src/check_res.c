/* pgsim: the invariant checker -- the reservation list, and the shadow
 * against the reservation list (spec sel4utils-vspace.md section 3).
 *
 * The by-design classification reads the model's history: the event that
 * last wrote a shadow entry and the reservation it was reserved or mapped
 * under.  A state that a library path produces (ELF loading drops its
 * reservations, free_reservation stops at the first mapped slot, the
 * kernel region has no node ...) is reported with that path as its cause;
 * a state no library path explains is a corruption.
 */
#include <string.h>

#include "check_impl.h"

static const char *op_of(const struct pgsim_vs_env *env, uint32_t ev)
{
	const struct pgsim_vs_event *e = pgsim_vs_event(env, ev);
	return e ? e->op : "an unknown operation";
}

/* ---- the list ------------------------------------------------------------------ */

static void res_views(const struct pgsim_vs_res *p, struct pgsim_chk_violation *w)
{
	memset(w, 0, sizeof *w);
	snprintf(w->res, sizeof w->res, "reservation %u [0x%llx, 0x%llx)%s%s", p->serial,
		 (unsigned long long)p->start, (unsigned long long)p->end, p->malloced ? " malloced" : "",
		 p->freed_by ? " (freed)" : "");
}

void chk_res_align(struct chk_run *r, unsigned idx)
{
	for (unsigned i = 0; i < r->n_vss; i++) {
		const struct chk_vs *v = &r->vss[i];
		for (unsigned j = 0; j < v->n_ri; j++) {
			const struct pgsim_vs_res *p = v->ri[j].r;
			bool empty = !(p->start < p->end);
			if (!empty && !(p->start & (CHK_PAGE - 1)) && !(p->end & (CHK_PAGE - 1)))
				continue;
			struct pgsim_chk_violation w;
			res_views(p, &w);
			pgsim_vs_event_str(r->ctx->env, p->made_by, w.history, sizeof w.history);
			char cause[200];
			snprintf(cause, sizeof cause, "reservation %u [0x%llx, 0x%llx) %s", p->serial,
				 (unsigned long long)p->start, (unsigned long long)p->end,
				 empty ? "is empty (start >= end)" : "is not 4 KiB aligned");
			bool bd = empty && p->resized;
			if (bd)
				snprintf(cause, sizeof cause, "move_resize_reservation was given 0 bytes for "
					 "reservation %u", p->serial);
			uint64_t last = empty ? p->start : ((p->end + CHK_PAGE - 1) & ~(CHK_PAGE - 1)) - 1;
			chk_add(r, idx, v, 0, p->start & ~(CHK_PAGE - 1), last,
				empty ? 0 : (last - (p->start & ~(CHK_PAGE - 1)) + 1) / CHK_PAGE, bd, cause, &w);
		}
	}
}

void chk_res_order(struct chk_run *r, unsigned idx)
{
	for (unsigned i = 0; i < r->n_vss; i++) {
		const struct chk_vs *v = &r->vss[i];
		const struct pgsim_vs_res *p = v->info.head;
		for (unsigned j = 1; p && j < v->n_ri; j++, p = p->next) {
			const struct pgsim_vs_res *q = p->next;
			if (!q || p->start > q->start)
				continue;
			struct pgsim_chk_violation w;
			res_views(q, &w);
			char cause[200];
			snprintf(cause, sizeof cause, "reservation %u (start 0x%llx) follows reservation %u "
				 "(start 0x%llx): the list is not in descending start order", q->serial,
				 (unsigned long long)q->start, p->serial, (unsigned long long)p->start);
			chk_add(r, idx, v, 0, q->start, q->end > q->start ? q->end - 1 : q->start,
				(q->end - q->start) / CHK_PAGE, false, cause, &w);
		}
		if (!v->list_ok) {
			struct pgsim_chk_violation w;
			memset(&w, 0, sizeof w);
			snprintf(w.res, sizeof w.res, "more than %u nodes", v->n_ri);
			chk_add(r, idx, v, 0, 0, 0, 0, false,
				"the reservation list does not end: it has a cycle", &w);
		}
	}
}

void chk_res_disjoint(struct chk_run *r, unsigned idx)
{
	for (unsigned i = 0; i < r->n_vss; i++) {
		const struct chk_vs *v = &r->vss[i];
		for (unsigned a = 0; a < v->n_ri; a++)
			for (unsigned b = a + 1; b < v->n_ri; b++) {
				const struct pgsim_vs_res *x = v->ri[a].r, *y = v->ri[b].r;
				if (!(x->start < y->end && y->start < x->end))
					continue;
				uint64_t lo = x->start > y->start ? x->start : y->start;
				uint64_t hi = x->end < y->end ? x->end : y->end;
				struct pgsim_chk_violation w;
				chk_views(r, v, lo, NULL, &w);
				snprintf(w.res, sizeof w.res, "reservations %u [0x%llx, 0x%llx) and %u "
					 "[0x%llx, 0x%llx)", x->serial, (unsigned long long)x->start,
					 (unsigned long long)x->end, y->serial, (unsigned long long)y->start,
					 (unsigned long long)y->end);
				char cause[200];
				snprintf(cause, sizeof cause, "reservations %u and %u overlap", x->serial,
					 y->serial);
				chk_add(r, idx, v, 0, lo, hi - 1, (hi - lo + CHK_PAGE - 1) / CHK_PAGE, false,
					cause, &w);
			}
	}
}

/* ---- shadow against the list ------------------------------------------------------ */

/* Call fn for the parts of [lo, hi) inside (in = true) or outside every
 * reservation interval of v. */
typedef void (*part_fn)(struct chk_run *r, unsigned idx, const struct chk_vs *v,
			const struct chk_srun *run, uint64_t lo, uint64_t hi, const struct chk_rint *ri);

static void parts(struct chk_run *r, unsigned idx, const struct chk_vs *v, const struct chk_srun *run,
		  bool in, part_fn fn)
{
	uint64_t lo = run->va, hi = run->va + run->pages * CHK_PAGE;
	uint64_t cur = lo;
	for (unsigned j = 0; j < v->n_ri && cur < hi; j++) {
		const struct chk_rint *ri = &v->ri[j];
		if (ri->hi <= cur || ri->lo >= hi)
			continue;
		uint64_t a = ri->lo > cur ? ri->lo : cur, b = ri->hi < hi ? ri->hi : hi;
		if (!in && a > cur)
			fn(r, idx, v, run, cur, a, NULL);
		if (in)
			fn(r, idx, v, run, a, b, ri);
		cur = b;
	}
	if (!in && cur < hi)
		fn(r, idx, v, run, cur, hi, NULL);
}

static void add_part(struct chk_run *r, unsigned idx, const struct chk_vs *v, const struct chk_srun *run,
		     uint64_t lo, uint64_t hi, bool bd, const char *cause)
{
	struct pgsim_chk_violation w;
	chk_views(r, v, lo, &run->s, &w);
	chk_add(r, idx, v, 0, lo, hi - 1, (hi - lo) / CHK_PAGE, bd, cause, &w);
}

static void covered_part(struct chk_run *r, unsigned idx, const struct chk_vs *v, const struct chk_srun *run,
			 uint64_t lo, uint64_t hi, const struct chk_rint *ri)
{
	const struct pgsim_vs_env *env = r->ctx->env;
	char cause[200];
	bool bd = run->s.event && pgsim_vs_event_within(env, run->s.event, "unmap_pages");
	if (bd)
		snprintf(cause, sizeof cause, "EMPTY inside reservation %u: unmap_pages began outside "
			 "any reservation (it consults only its first page's) and cleared this page",
			 ri->r->serial);
	else
		snprintf(cause, sizeof cause, "EMPTY inside reservation %u [0x%llx, 0x%llx), and no library "
			 "path empties a reserved page", ri->r->serial, (unsigned long long)ri->r->start,
			 (unsigned long long)ri->r->end);
	add_part(r, idx, v, run, lo, hi, bd, cause);
}

void chk_res_covered(struct chk_run *r, unsigned idx)
{
	for (unsigned i = 0; i < r->n_vss; i++)
		for (size_t j = 0; j < r->vss[i].n_runs; j++)
			if (r->vss[i].runs[j].s.kind == PGSIM_VS_SLOT_EMPTY)
				parts(r, idx, &r->vss[i], &r->vss[i].runs[j], true, covered_part);
}

/* Why a RESERVED mark or a mapping lies where no reservation covers it. */
static bool outside_cause(struct chk_run *r, const struct pgsim_vs_slot *s, bool mapped, char *cause,
			  size_t len)
{
	const struct pgsim_vs_env *env = r->ctx->env;
	char top[96];
	chk_top_op(env, s->event, top, sizeof top);
	const char *what = mapped ? "mapped" : "marked RESERVED";
	if (!mapped && pgsim_vs_event_within(env, s->event, "common_init_post_bootstrap")) {
		snprintf(cause, len, "the kernel region: common_init_post_bootstrap marks the top-level "
			 "entries from KERNEL_RESERVED_START up without a reservation node");
		return true;
	}
	if (!mapped && pgsim_vs_event_within(env, s->event, "bootstrap_vspace")) {
		snprintf(cause, len, "marked by the bootstrap of a self-managed vspace (bootstrap "
			 "region, image or existing frames): there is no reservation node");
		return true;
	}
	const struct pgsim_vs_res *res = pgsim_vs_res_at(env, s->res_serial);
	if (!res) {
		if (mapped && s->event) {
			snprintf(cause, len, "mapped by %s (in %s), which makes no reservation",
				 op_of(env, s->event), top);
			return true;
		}
		snprintf(cause, len, "%s with no reservation and by no library operation that does so",
			 what);
		return false;
	}
	if (res->freed_by) {
		char ftop[48];
		chk_top_op(env, res->freed_by, ftop, sizeof ftop);
		snprintf(cause, len, "%s under reservation %u [0x%llx, 0x%llx), freed by %s (in %s)%s", what,
			 res->serial, (unsigned long long)res->start, (unsigned long long)res->end,
			 op_of(env, res->freed_by), ftop,
			 mapped ? ": freeing never unmaps" : ": freeing stops at the first non-RESERVED slot");
		return true;
	}
	if (res->resized) {
		snprintf(cause, len, "move_resize_reservation moved reservation %u off this page", res->serial);
		return true;
	}
	if (!mapped && pgsim_vs_event_within(env, s->event, "unmap_pages")) {
		snprintf(cause, len, "unmap_pages ran past the end of reservation %u [0x%llx, 0x%llx), the "
			 "reservation of its first page, and re-marked this page", res->serial,
			 (unsigned long long)res->start, (unsigned long long)res->end);
		return true;
	}
	snprintf(cause, len, "%s under reservation %u [0x%llx, 0x%llx), which does not cover it, and no "
		 "library path moved it", what, res->serial, (unsigned long long)res->start,
		 (unsigned long long)res->end);
	return false;
}

static void outside_part(struct chk_run *r, unsigned idx, const struct chk_vs *v, const struct chk_srun *run,
			 uint64_t lo, uint64_t hi, const struct chk_rint *ri)
{
	(void)ri;
	char cause[200];
	bool bd = outside_cause(r, &run->s, run->s.kind == PGSIM_VS_SLOT_MAPPED, cause, sizeof cause);
	add_part(r, idx, v, run, lo, hi, bd, cause);
}

void chk_reserved_in_res(struct chk_run *r, unsigned idx)
{
	for (unsigned i = 0; i < r->n_vss; i++)
		for (size_t j = 0; j < r->vss[i].n_runs; j++) {
			enum pgsim_vs_slot_kind k = r->vss[i].runs[j].s.kind;
			if (k == PGSIM_VS_SLOT_RESERVED || k == PGSIM_VS_SLOT_MID_RESERVED)
				parts(r, idx, &r->vss[i], &r->vss[i].runs[j], false, outside_part);
		}
}

void chk_mapped_in_res(struct chk_run *r, unsigned idx)
{
	for (unsigned i = 0; i < r->n_vss; i++)
		for (size_t j = 0; j < r->vss[i].n_runs; j++)
			if (r->vss[i].runs[j].s.kind == PGSIM_VS_SLOT_MAPPED)
				parts(r, idx, &r->vss[i], &r->vss[i].runs[j], false, outside_part);
}

static void rights_part(struct chk_run *r, unsigned idx, const struct chk_vs *v, const struct chk_srun *run,
			uint64_t lo, uint64_t hi, const struct chk_rint *ri)
{
	if (ri->r->rights_deferred || !v->have_root)
		return;
	struct pgsim_kcap_info ki;
	if (chk_kcap(r, run->s.value, &ki) || ki.type != PGSIM_KCAP_FRAME || !ki.mapped ||
	    ki.asid != v->asid || ki.vaddr != (lo & ~((1ull << ki.size_lg2) - 1)))
		return; /* not mapped here: SHADOW-BACKED's concern */
	enum pgsim_vm_rights want = pgsim_vm_rights_mask(ki.rights, ri->r->rights);
	uint64_t attr = ri->r->cacheable ? r->c.default_attr : r->c.uncached_attr;
	if (ki.map_rights == want && ki.map_attr == attr)
		return;
	char cause[200];
	snprintf(cause, sizeof cause, "mapped %s with attributes 0x%llx; reservation %u asks for %s "
		 "with 0x%llx (%scacheable)", pgsim_vm_rights_name(ki.map_rights),
		 (unsigned long long)ki.map_attr, ri->r->serial, pgsim_vm_rights_name(want),
		 (unsigned long long)attr, ri->r->cacheable ? "" : "un");
	add_part(r, idx, v, run, lo, hi, false, cause);
}

void chk_res_rights(struct chk_run *r, unsigned idx)
{
	for (unsigned i = 0; i < r->n_vss; i++)
		for (size_t j = 0; j < r->vss[i].n_runs; j++)
			if (r->vss[i].runs[j].s.kind == PGSIM_VS_SLOT_MAPPED)
				parts(r, idx, &r->vss[i], &r->vss[i].runs[j], true, rights_part);
}

static void deferred_part(struct chk_run *r, unsigned idx, const struct chk_vs *v, const struct chk_srun *run,
			  uint64_t lo, uint64_t hi, const struct chk_rint *ri)
{
	const struct pgsim_vs_env *env = r->ctx->env;
	if (!ri->r->rights_deferred ||
	    pgsim_vs_event_within(env, run->s.event, "deferred_rights_map_pages_at_vaddr"))
		return;
	const struct pgsim_vs_event *made = pgsim_vs_event(env, ri->r->made_by);
	bool was_deferred = made && pgsim_vs_event_within(env, ri->r->made_by,
							   "reserve_deferred_rights_range_at");
	const char *op = op_of(env, run->s.event);
	bool bd = was_deferred && (pgsim_vs_event_within(env, run->s.event, "new_pages_at_vaddr") ||
				   pgsim_vs_event_within(env, run->s.event, "share_mem_at_vaddr"));
	char cause[200];
	if (bd)
		snprintf(cause, sizeof cause, "deferred reservation %u mapped by %s, which does not check "
			 "rights_deferred (it maps with the reservation's seL4_NoRights)", ri->r->serial, op);
	else
		snprintf(cause, sizeof cause, "reservation %u is deferred but its page was mapped by %s%s",
			 ri->r->serial, op, was_deferred ? "" : " (and no deferred reserve made it)");
	add_part(r, idx, v, run, lo, hi, bd, cause);
}

void chk_deferred_excl(struct chk_run *r, unsigned idx)
{
	for (unsigned i = 0; i < r->n_vss; i++)
		for (size_t j = 0; j < r->vss[i].n_runs; j++)
			if (r->vss[i].runs[j].s.kind == PGSIM_VS_SLOT_MAPPED)
				parts(r, idx, &r->vss[i], &r->vss[i].runs[j], true, deferred_part);
}

void chk_sentinel_wf(struct chk_run *r, unsigned idx)
{
	for (unsigned i = 0; i < r->n_vss; i++) {
		const struct chk_vs *v = &r->vss[i];
		for (size_t j = 0; j < v->n_runs; j++) {
			const struct chk_srun *run = &v->runs[j];
			const struct pgsim_vs_slot *s = &run->s;
			const char *why = NULL;
			if (s->kind == PGSIM_VS_SLOT_BAD)
				why = "a mid entry is neither EMPTY, RESERVED nor a table pointer";
			else if (s->kind != PGSIM_VS_SLOT_MAPPED && s->cookie)
				why = "a sentinel slot has a non-zero cookie";
			else if (s->kind == PGSIM_VS_SLOT_MAPPED && (s->value & ~r->c.reserved))
				why = "a cap wider than a machine word";
			if (why)
				add_part(r, idx, v, run, run->va, run->va + run->pages * CHK_PAGE, false, why);
		}
	}
}

void chk_kernel_reserved(struct chk_run *r, unsigned idx)
{
	for (unsigned i = 0; i < r->n_vss; i++) {
		const struct chk_vs *v = &r->vss[i];
		if (v->info.is_empty)
			continue;
		unsigned shift = (v->info.levels - 1) * v->info.level_bits + 12;
		unsigned first = (unsigned)((r->c.kernel_reserved_start >> shift) &
					    ((1ull << v->info.level_bits) - 1));
		for (uint64_t e = first; e < (1ull << v->info.level_bits); e++) {
			struct pgsim_vs_slot s;
			uint64_t va = e << shift;
			pgsim_vs_lookup(v->vs, va, &s);
			if (s.kind == PGSIM_VS_SLOT_MID_RESERVED && s.level == (int)v->info.levels - 1)
				continue;
			struct pgsim_chk_violation w;
			chk_views(r, v, va, &s, &w);
			snprintf(w.shadow, sizeof w.shadow, "top-level entry %llu is not RESERVED "
				 "(kernel region from entry %u)", (unsigned long long)e, first);
			chk_add(r, idx, v, 0, va, va + (1ull << shift) - 1, (1ull << shift) / CHK_PAGE, false,
				"a kernel-region top-level entry is not RESERVED; no library path clears "
				"a RESERVED mid entry", &w);
		}
	}
}

static void hint_part(struct chk_run *r, unsigned idx, const struct chk_vs *v, const struct chk_srun *run,
		      uint64_t lo, uint64_t hi, const struct chk_rint *ri)
{
	(void)ri;
	uint64_t a = lo > r->c.first_hint ? lo : r->c.first_hint;
	uint64_t b = hi < v->info.last_allocated ? hi : v->info.last_allocated;
	if (a >= b)
		return;
	const struct pgsim_vs_env *env = r->ctx->env;
	/* the spec: "not an invariant" -- find_range never wraps and the
	 * hint only drops on a clear that succeeds -- so every finding is by
	 * design; the cause says which way the hole came about */
	bool bd = true;
	char cause[200];
	if (run->s.event)
		snprintf(cause, sizeof cause, "free below last_allocated 0x%llx: cleared by %s without "
			 "lowering the hint, and find_range never wraps back to it",
			 (unsigned long long)v->info.last_allocated, op_of(env, run->s.event));
	else
		snprintf(cause, sizeof cause, "free below last_allocated 0x%llx and never used: skipped "
			 "by find_range (alignment) or the hint moved past it; find_range never wraps",
			 (unsigned long long)v->info.last_allocated);
	add_part(r, idx, v, run, a, b, bd, cause);
}

void chk_hint(struct chk_run *r, unsigned idx)
{
	for (unsigned i = 0; i < r->n_vss; i++) {
		const struct chk_vs *v = &r->vss[i];
		for (size_t j = 0; j < v->n_runs; j++) {
			const struct chk_srun *run = &v->runs[j];
			if (run->s.kind != PGSIM_VS_SLOT_EMPTY || run->va >= v->info.last_allocated ||
			    run->va + run->pages * CHK_PAGE <= r->c.first_hint)
				continue;
			parts(r, idx, v, run, false, hint_part);
		}
	}
}

void chk_geometry(struct chk_run *r, unsigned idx)
{
	const struct pgsim_cfg *cfg = r->ctx->cfg;
	unsigned hw_levels = (unsigned)cfg->top_level + 1;
	for (unsigned i = 0; i < r->n_vss; i++) {
		const struct chk_vs *v = &r->vss[i];
		unsigned sl = v->info.levels, sb = v->info.level_bits;
		int bad = -1;
		unsigned n = sl > hw_levels ? sl : hw_levels;
		for (unsigned l = 0; l < n && bad < 0; l++) {
			if (l >= sl || l >= hw_levels) {
				bad = (int)l;
				break;
			}
			unsigned hb = pgsim_level_index_bits(cfg, (int)l);
			if (cfg->arch->level[l].shift != 12 + l * sb || hb != sb)
				bad = (int)l;
		}
		if (bad < 0)
			continue;
		unsigned scover = 12 + sl * sb, hcover = cfg->va_bits;
		char cause[200];
		snprintf(cause, sizeof cause, "shadow %u levels x %u bits (covers 2^%u), hardware %u levels "
			 "(covers 2^%u): their indices differ from level %d%s", sl, sb, scover, hw_levels,
			 hcover, bad, scover < hcover ? "; higher addresses alias lower ones in the shadow"
						      : "");
		struct pgsim_chk_violation w;
		memset(&w, 0, sizeof w);
		snprintf(w.shadow, sizeof w.shadow, "VSPACE_NUM_LEVELS %u, VSPACE_LEVEL_BITS %u", sl, sb);
		uint64_t cover = hcover > scover ? hcover : scover;
		chk_add(r, idx, v, 0, 0, cover >= 64 ? UINT64_MAX : (1ull << cover) - 1, 0, false, cause, &w);
	}
}
