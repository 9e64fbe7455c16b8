/* Range walk: visit every mapping in a VA range in VA order, merging
 * contiguous runs.  Hostile tables cannot make it loop or run away: a table
 * that is already on the current path is reported as a cycle and not
 * descended, and a budget bounds the entries read when tables are shared
 * many times over. */
#include <errno.h>
#include <string.h>

#include "pgsim/walk.h"

#define DEFAULT_BUDGET (1ull << 26)

struct rw {
	const struct pgsim_cfg *cfg;
	struct pgsim_mem *mem;
	const struct pgsim_range_opts *opts;
	const struct pgsim_range_cb *cb;
	uint64_t visits, budget;
	pgsim_pa_t path[PGSIM_MAX_LEVELS + 1];
	int depth;
	bool have;
	struct pgsim_range pend;
};

static int flush(struct rw *w)
{
	if (!w->have)
		return 0;
	w->have = false;
	return w->cb->range ? w->cb->range(w->cb->ctx, &w->pend) : 0;
}

static int emit(struct rw *w, const struct pgsim_range *r)
{
	struct pgsim_range *p = &w->pend;
	if (w->have && w->opts->merge && p->last != ~0ull && p->last + 1 == r->va &&
	    p->pa + (p->last - p->va + 1) == r->pa && p->level == r->level &&
	    p->perms == r->perms && strcmp(p->attrs, r->attrs) == 0) {
		p->last = r->last;
		p->pages += r->pages;
		return 0;
	}
	int rc = flush(w);
	if (rc)
		return rc;
	*p = *r;
	w->have = true;
	return 0;
}

static int anomaly(struct rw *w, enum pgsim_anomaly_kind kind, pgsim_va_t va, pgsim_va_t last,
		   int level, pgsim_pa_t epa, uint64_t value, pgsim_pa_t target)
{
	int rc = flush(w);
	if (rc || !w->cb->anomaly)
		return rc;
	struct pgsim_anomaly an = {
		.kind = kind, .va = va, .last = last, .level = level,
		.entry_pa = epa, .value = value, .target = target,
	};
	return w->cb->anomaly(w->cb->ctx, &an);
}

static int walk_table(struct rw *w, pgsim_pa_t table, int level, pgsim_va_t base,
		      const struct pgsim_acc *acc)
{
	const struct pgsim_cfg *cfg = w->cfg;
	const struct pgsim_arch *a = cfg->arch;
	const struct pgsim_arch_ops *ops = a->ops;
	unsigned shift = a->level[level].shift;
	uint64_t n = 1ull << pgsim_level_index_bits(cfg, level);
	uint64_t span = 1ull << shift;

	for (uint64_t idx = 0; idx < n; idx++) {
		pgsim_va_t raw = base | (idx << shift);
		pgsim_va_t va = pgsim_va_canonical(cfg, raw);
		pgsim_va_t last = va + (span - 1);
		if (last < w->opts->va)
			continue;
		if (va > w->opts->last)
			break;
		pgsim_pa_t epa = table + idx * a->entry_bytes;
		if (++w->visits > w->budget)
			return -E2BIG;
		uint64_t e;
		if (pgsim_mem_read_le(w->mem, epa, a->entry_bytes, &e) < 0) {
			/* The table (or its rest) lies outside RAM: say so once. */
			pgsim_va_t tlast = pgsim_va_canonical(cfg, base | ((n - 1) << shift)) + (span - 1);
			return anomaly(w, PGSIM_ANOMALY_BUS, va, tlast, level, epa, 0, table);
		}
		pgsim_pa_t addr = 0;
		enum pgsim_entry_kind kind = ops->classify(cfg, level, e, &addr);
		if (kind == PGSIM_ENTRY_TABLE && level == 0)
			kind = PGSIM_ENTRY_RESERVED;
		if (kind == PGSIM_ENTRY_INVALID)
			continue;
		if (w->cb->entry) {
			int rc = flush(w);
			if (!rc)
				rc = w->cb->entry(w->cb->ctx, w->depth + 1, (unsigned)idx, level,
						  epa, e, kind, va);
			if (rc)
				return rc;
		}
		int rc = 0;
		switch (kind) {
		case PGSIM_ENTRY_INVALID:
			break;
		case PGSIM_ENTRY_RESERVED:
			rc = anomaly(w, PGSIM_ANOMALY_RESERVED, va, last, level, epa, e, addr);
			break;
		case PGSIM_ENTRY_ADDR_SIZE:
			rc = anomaly(w, PGSIM_ANOMALY_ADDR_SIZE, va, last, level, epa, e, addr);
			break;
		case PGSIM_ENTRY_TABLE: {
			bool cycle = false;
			for (int d = 0; d <= w->depth; d++)
				if (w->path[d] == addr)
					cycle = true;
			if (cycle) {
				rc = anomaly(w, PGSIM_ANOMALY_CYCLE, va, last, level, epa, e, addr);
				break;
			}
			struct pgsim_acc sub = *acc;
			if (ops->accumulate)
				ops->accumulate(cfg, level, e, &sub);
			w->path[++w->depth] = addr;
			rc = walk_table(w, addr, level - 1, raw, &sub);
			w->depth--;
			break;
		}
		case PGSIM_ENTRY_LEAF: {
			struct pgsim_range r;
			memset(&r, 0, sizeof r);
			pgsim_pa_t frame = addr & ~(span - 1);
			r.va = va < w->opts->va ? w->opts->va : va;
			r.last = last > w->opts->last ? w->opts->last : last;
			r.pa = frame + (r.va - va);
			r.page_lg2 = shift;
			r.level = level;
			r.perms = ops->perms(cfg, level, e, acc);
			r.leaf = e;
			r.pages = 1;
			ops->leaf_attrs(cfg, level, e, r.attrs, sizeof r.attrs);
			rc = emit(w, &r);
			break;
		}
		}
		if (rc)
			return rc;
	}
	return 0;
}

int pgsim_walk_range(const struct pgsim_cfg *cfg, struct pgsim_mem *mem,
		     pgsim_pa_t root, const struct pgsim_range_opts *opts,
		     const struct pgsim_range_cb *cb)
{
	if (opts->last < opts->va)
		return -EINVAL;
	struct rw w;
	memset(&w, 0, sizeof w);
	w.cfg = cfg;
	w.mem = mem;
	w.opts = opts;
	w.cb = cb;
	w.budget = opts->max_visits ? opts->max_visits : DEFAULT_BUDGET;
	w.path[0] = root;
	if (cfg->arch->root_addr_size_fault && cfg->pa_bits < 64 && (root >> cfg->pa_bits) != 0)
		return anomaly(&w, PGSIM_ANOMALY_ADDR_SIZE, opts->va, opts->last, cfg->top_level,
			       root, 0, root);
	struct pgsim_acc acc = { .and_bits = ~0ull, .or_bits = 0 };
	int rc = walk_table(&w, root, cfg->top_level, 0, &acc);
	if (rc)
		return rc;
	return flush(&w);
}
