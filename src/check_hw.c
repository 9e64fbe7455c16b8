/* pgsim: the invariant checker -- the seL4 model's caps against the page
 * tables the reference walker reads (CAP-WALK, LEAF-CAP, TABLE-CAP), and
 * the hardware-agreement question of the reconciliation report.
 *
 * These need no sel4utils model: they hold for every kernel scenario.
 * The kernel model writes entries with its own lookups and the walker
 * reads them with its own, so agreement here is the cross-check the
 * kernel model issue asks for.
 */
#include <stdlib.h>
#include <string.h>

#include "check_impl.h"

int chk_walk_user(struct chk_run *r, pgsim_pa_t root, const struct pgsim_range_cb *cb)
{
	const struct pgsim_cfg *cfg = r->ctx->cfg;
	unsigned shift = cfg->arch->level[cfg->top_level].shift;
	unsigned n = 1u << cfg->top_index_bits;
	pgsim_va_t vlast = pgsim_va_last(cfg);
	for (unsigned i = 0; i < n;) {
		if (pgsim_kernel_is_kernel_entry(r->ctx->k, i)) {
			i++;
			continue;
		}
		unsigned j = i;
		while (j + 1 < n && !pgsim_kernel_is_kernel_entry(r->ctx->k, j + 1))
			j++;
		uint64_t lo = (uint64_t)i << shift;
		if (lo > vlast)
			break;
		uint64_t hi = ((uint64_t)(j + 1) << shift) - 1;
		if (hi > vlast || shift + cfg->top_index_bits >= 64)
			hi = vlast;
		struct pgsim_range_opts o = { lo, hi, false, 0 };
		int rc = pgsim_walk_range(cfg, r->ctx->mem, root, &o, cb);
		if (rc)
			return rc;
		i = j + 1;
	}
	return 0;
}

/* The vspace model of an ASID, for naming (NULL when none). */
static const struct chk_vs *vs_of_asid(struct chk_run *r, uint32_t asid)
{
	for (unsigned i = 0; i < r->n_vss; i++)
		if (r->vss[i].have_root && r->vss[i].asid == asid)
			return &r->vss[i];
	return NULL;
}

void chk_cap_walk(struct chk_run *r, unsigned idx)
{
	for (unsigned i = 0; i < r->n_frames; i++) {
		const struct pgsim_kcap_info *ki = &r->frames[i];
		pgsim_pa_t root;
		if (pgsim_kernel_asid_root(r->ctx->k, ki->asid, &root))
			continue; /* stale: its vspace is gone */
		struct pgsim_translation t;
		bool ok = chk_translate(r, root, ki->vaddr, &t);
		if (ok && t.pa == ki->pa && t.page_lg2 == ki->size_lg2 && chk_walk_rights(&t) == ki->map_rights)
			continue;
		struct pgsim_chk_violation w;
		memset(&w, 0, sizeof w);
		chk_view_kcap(ki, w.cap, sizeof w.cap);
		chk_view_walk(r, root, ki->vaddr, w.walker, sizeof w.walker);
		char cause[200];
		struct pgsim_kcap_info other;
		bool bd = ok && chk_frame_with(r, ki->asid, ki->vaddr, t.pa, &other) == 0 &&
			  strcmp(other.slot, ki->slot);
		/* KernelOnly quirks seL4 documents (sel4-vspace.md 5.3, 8.9): on
		 * RISC-V a KernelOnly execute-never mapping is written as an
		 * all-zero entry although Map succeeds; and with MXR an
		 * execute-only KernelOnly page becomes readable. */
		bool ko = ki->map_rights == PGSIM_VM_KERNEL_ONLY;
		bool ko_invalid = ko && !ok && t.fault.kind == PGSIM_FAULT_NOT_PRESENT && t.n_trail &&
				  t.trail[t.n_trail - 1].value == 0 &&
				  r->ctx->cfg->arch->level[t.fault.level].shift == ki->size_lg2;
		bool ko_mxr = ko && ok && t.pa == ki->pa && !(t.perms & PGSIM_P_UW) &&
			      (r->ctx->cfg->flags & PGSIM_CPU_MXR);
		/* A stale frame cap (sel4-vspace.md 1.4): a table above its leaf
		 * was unmapped, so the walk stops before the frame's level;
		 * seL4 keeps the cap marked mapped and Page_Unmap stays safe. */
		unsigned frame_level_shift = ki->size_lg2;
		bool stale_frame = !ok && t.fault.kind == PGSIM_FAULT_NOT_PRESENT && t.fault.level >= 0 &&
				   r->ctx->cfg->arch->level[t.fault.level].shift > frame_level_shift;
		if (ko_invalid || ko_mxr || stale_frame)
			bd = true;
		if (stale_frame)
			snprintf(cause, sizeof cause, "a stale cap: the table above %s's entry was unmapped "
				 "(the walk stops at level %d); seL4 still counts %s as mapped", ki->slot,
				 t.fault.level, ki->slot);
		else if (ko_invalid)
			snprintf(cause, sizeof cause, "%s is mapped KernelOnly with execute-never: seL4 "
				 "writes that as an invalid entry, yet the cap counts as mapped", ki->slot);
		else if (ko_mxr)
			snprintf(cause, sizeof cause, "%s is mapped KernelOnly, which seL4 writes as an "
				 "execute-only user page; sstatus.MXR makes it readable", ki->slot);
		else if (bd)
			snprintf(cause, sizeof cause, "%s was mapped over %s's entry (x86 overwrites a "
				 "present 4 KiB entry without a check): %s still counts as mapped", other.slot,
				 ki->slot, ki->slot);
		else if (!ok)
			snprintf(cause, sizeof cause, "the kernel has %s mapped here but the walker faults",
				 ki->slot);
		else if (t.pa != ki->pa || t.page_lg2 != ki->size_lg2)
			snprintf(cause, sizeof cause, "the walker reaches pa 0x%llx (2^%u), not the frame of %s",
				 (unsigned long long)t.pa, t.page_lg2, ki->slot);
		else
			snprintf(cause, sizeof cause, "the walker gives %s, the kernel mapped %s %s",
				 pgsim_vm_rights_name(chk_walk_rights(&t)), ki->slot,
				 pgsim_vm_rights_name(ki->map_rights));
		chk_add(r, idx, vs_of_asid(r, ki->asid), ki->asid, ki->vaddr,
			ki->vaddr + (1ull << ki->size_lg2) - 1, 1ull << (ki->size_lg2 - 12), bd, cause, &w);
	}
}

struct hw_ctx {
	struct chk_run *r;
	unsigned idx;
	uint32_t asid;
	pgsim_pa_t root;
	bool *seen;               /* per r->tables */
};

static int leaf_cb(void *c, const struct pgsim_range *rg)
{
	struct hw_ctx *h = c;
	struct chk_run *r = h->r;
	struct pgsim_kcap_info ki;
	if (chk_frame_with(r, h->asid, rg->va, rg->pa, &ki) == 0 && ki.vaddr == rg->va &&
	    ki.size_lg2 == rg->page_lg2)
		return 0;
	struct pgsim_chk_violation w;
	memset(&w, 0, sizeof w);
	char p[32];
	pgsim_perms_str(rg->perms, p, sizeof p);
	snprintf(w.walker, sizeof w.walker, "pa 0x%llx (2^%u page, level %d) %s",
		 (unsigned long long)rg->pa, rg->page_lg2, rg->level, p);
	if (chk_frame_at(r, h->asid, rg->va, &ki) == 0)
		chk_view_kcap(&ki, w.cap, sizeof w.cap);
	else
		snprintf(w.cap, sizeof w.cap, "no frame cap is mapped at this address");
	chk_add(r, h->idx, vs_of_asid(r, h->asid), h->asid, rg->va, rg->va + (1ull << rg->page_lg2) - 1,
		1ull << (rg->page_lg2 - 12), false,
		"a present leaf that no frame cap mapped (the tables changed under the kernel)", &w);
	return r->err;
}

void chk_leaf_cap(struct chk_run *r, unsigned idx)
{
	for (unsigned i = 0; i < r->n_roots; i++) {
		struct hw_ctx h = { r, idx, r->roots[i].asid, 0, NULL };
		if (pgsim_kernel_root_pa(r->ctx->k, r->roots[i].slot, &h.root))
			continue;
		struct pgsim_range_cb cb = { .range = leaf_cb, .ctx = &h };
		int rc = chk_walk_user(r, h.root, &cb);
		if (rc < 0) {
			r->err = rc;
			return;
		}
	}
}

static uint64_t block_of(uint64_t va, unsigned lg2)
{
	return lg2 >= 64 ? 0 : va & ~((1ull << lg2) - 1);
}

static int table_cb(void *c, int depth, unsigned index, int level, pgsim_pa_t entry_pa, uint64_t value,
		    enum pgsim_entry_kind kind, pgsim_va_t va)
{
	(void)depth;
	(void)entry_pa;
	struct hw_ctx *h = c;
	struct chk_run *r = h->r;
	if (kind != PGSIM_ENTRY_TABLE)
		return 0;
	const struct pgsim_cfg *cfg = r->ctx->cfg;
	pgsim_pa_t target = 0;
	cfg->arch->ops->classify(cfg, level, value, &target);
	unsigned lg2 = cfg->arch->level[level].shift;
	for (unsigned t = 0; t < r->n_tables; t++) {
		const struct pgsim_kcap_info *ki = &r->tables[t];
		if (ki->asid == h->asid && ki->pa == target && block_of(ki->vaddr, lg2) == block_of(va, lg2)) {
			h->seen[t] = true;
			return 0;
		}
	}
	struct pgsim_chk_violation w;
	memset(&w, 0, sizeof w);
	snprintf(w.walker, sizeof w.walker, "level %d entry %u = 0x%llx -> table at pa 0x%llx", level, index,
		 (unsigned long long)value, (unsigned long long)target);
	snprintf(w.cap, sizeof w.cap, "no paging-structure cap is mapped there");
	chk_add(r, h->idx, vs_of_asid(r, h->asid), h->asid, block_of(va, lg2),
		block_of(va, lg2) + (1ull << lg2) - 1, (1ull << lg2) / CHK_PAGE, false,
		"a table pointer no paging-structure cap accounts for", &w);
	return r->err;
}

/* Is an unreached table cap stale: its vspace gone, or the walk along
 * its vaddr never points at it (an ancestor was unmapped, and maybe new
 * tables have since taken its place)? */
static bool stale(struct chk_run *r, const struct pgsim_kcap_info *ki)
{
	const struct pgsim_cfg *cfg = r->ctx->cfg;
	pgsim_pa_t root;
	if (pgsim_kernel_asid_root(r->ctx->k, ki->asid, &root))
		return true;
	struct pgsim_walk_req q = { PGSIM_ACCESS_READ, false, false };
	struct pgsim_translation t;
	if (pgsim_walk_translate(cfg, r->ctx->mem, root, ki->vaddr, &q, &t) || !t.n_trail)
		return false;
	for (unsigned i = 0; i < t.n_trail; i++) {
		pgsim_pa_t target = 0;
		if (t.trail[i].kind == PGSIM_ENTRY_TABLE &&
		    cfg->arch->ops->classify(cfg, t.trail[i].level, t.trail[i].value, &target) ==
			    PGSIM_ENTRY_TABLE &&
		    target == ki->pa)
			return false;
	}
	return t.trail[t.n_trail - 1].kind == PGSIM_ENTRY_INVALID;
}

void chk_table_cap(struct chk_run *r, unsigned idx)
{
	bool *seen = calloc(r->n_tables ? r->n_tables : 1, sizeof *seen);
	if (!seen) {
		r->err = -12;
		return;
	}
	for (unsigned i = 0; i < r->n_roots && !r->err; i++) {
		struct hw_ctx h = { r, idx, r->roots[i].asid, 0, seen };
		if (pgsim_kernel_root_pa(r->ctx->k, r->roots[i].slot, &h.root))
			continue;
		struct pgsim_range_cb cb = { .entry = table_cb, .ctx = &h };
		int rc = chk_walk_user(r, h.root, &cb);
		if (rc < 0)
			r->err = rc;
	}
	for (unsigned t = 0; t < r->n_tables && !r->err; t++) {
		if (seen[t])
			continue;
		const struct pgsim_kcap_info *ki = &r->tables[t];
		bool bd = stale(r, ki);
		struct pgsim_chk_violation w;
		memset(&w, 0, sizeof w);
		chk_view_kcap(ki, w.cap, sizeof w.cap);
		pgsim_pa_t root;
		if (pgsim_kernel_asid_root(r->ctx->k, ki->asid, &root) == 0)
			chk_view_walk(r, root, ki->vaddr, w.walker, sizeof w.walker);
		chk_add(r, idx, vs_of_asid(r, ki->asid), ki->asid, ki->vaddr, ki->vaddr, 0, bd,
			bd ? "a stale cap: seL4 leaves a paging-structure cap marked mapped when its "
			     "ancestor table or its vspace goes away"
			   : "a mapped paging-structure cap the tables do not point to", &w);
	}
	free(seen);
}

/* ---- the reconciliation's question ------------------------------------------------- */

bool pgsim_chk_hw_agrees(const struct pgsim_chk_ctx *ctx, const struct pgsim_vs *vs, pgsim_va_t va,
			 char *buf, size_t len)
{
	struct chk_run r = { .ctx = ctx };
	struct pgsim_vs_info in;
	pgsim_vs_info(vs, &in);
	char slot[64];
	pgsim_vs_slot(ctx->env, in.root_cptr, slot, sizeof slot);
	pgsim_pa_t root;
	if (pgsim_kernel_root_pa(ctx->k, slot, &root)) {
		snprintf(buf, len, "no assigned root");
		return false;
	}
	struct pgsim_vs_slot s;
	pgsim_vs_lookup(vs, va, &s);
	struct pgsim_translation t;
	bool hw = chk_translate(&r, root, va, &t);
	if (s.kind != PGSIM_VS_SLOT_MAPPED) {
		if (hw)
			snprintf(buf, len, "no: the walker maps it to pa 0x%llx", (unsigned long long)t.pa);
		else
			snprintf(buf, len, "yes: not present");
		return !hw;
	}
	struct pgsim_kcap_info ki;
	if (chk_kcap(&r, s.value, &ki) || ki.type != PGSIM_KCAP_FRAME) {
		snprintf(buf, len, "no: cap 0x%llx is no frame", (unsigned long long)s.value);
		return false;
	}
	uint64_t off = va & ((1ull << ki.size_lg2) - 1);
	if (!hw) {
		snprintf(buf, len, "no: the walker faults (%s)", pgsim_fault_kind_name(t.fault.kind));
		return false;
	}
	if (t.pa != ki.pa + off) {
		snprintf(buf, len, "no: the walker gives pa 0x%llx, the cap's frame is 0x%llx",
			 (unsigned long long)t.pa, (unsigned long long)(ki.pa + off));
		return false;
	}
	snprintf(buf, len, "yes: pa 0x%llx", (unsigned long long)t.pa);
	return true;
}
