/* pgsim: seL4 kernel model -- lookupPTSlot, unmapPage and unmapPageTable
 * of AArch64 and RISC-V.
 *
 * seL4 has one copy of each per architecture (src/arch/arm/64/kernel/
 * vspace.c, src/arch/riscv/kernel/vspace.c), and the two copies run the
 * same algorithm; they differ only in what a next-level table pointer and
 * a page entry look like and where the address sits in an entry.  Those
 * three facts are the architecture's struct kpte_fmt (karch.pte); the
 * walks are here once.  x86's fixed-level lookups (lookupPDPTSlot,
 * lookupPDSlot, lookupPTSlot) are a different algorithm and stay in
 * kernel_x86.c.
 */
#include "kernel_impl.h"

/* lookupPTSlot: from the root, descend while the slot holds a table
 * pointer and a lower level exists; the slot it stopped at, with
 * bitsLeft (ptBitsLeft: the shift of that slot's level). */
int k_pt_lookup(const struct pgsim_kernel *k, pgsim_pa_t root, pgsim_va_t va, struct kpt_slot *s)
{
	const struct kpte_fmt *f = k->ka->pte;
	unsigned eb = k->cfg->arch->entry_bytes;
	int level = k_top_level(k);
	pgsim_pa_t pt = root;
	for (;;) {
		s->bits = k_level_shift(k, level);
		s->pa = pt + k_index(k, level, va) * eb;
		int rc = k_read_entry(k, s->pa, &s->e);
		if (rc)
			return rc;
		if (!f->is_table(s->e) || level == 0)
			return 0;
		level--;
		pt = f->addr(s->e);
	}
}

/* The check unmapPage (and AArch64's Page Flush stale test) makes after
 * lookupPTSlot at the frame cap's recorded vaddr: the slot is at the
 * frame's size, holds a page, and that page is this frame.  1 and *s
 * when it does, 0 when not, <0 when memory refuses the read. */
int k_pt_find_page(const struct pgsim_kernel *k, pgsim_pa_t root, const struct kcap *c,
		   struct kpt_slot *s)
{
	const struct kpte_fmt *f = k->ka->pte;
	const struct kobj *o = &k->objs[c->obj];
	int rc = k_pt_lookup(k, root, c->vaddr, s);
	if (rc)
		return rc;
	return s->bits == o->size_lg2 && f->is_page(s->e) && f->addr(s->e) == o->pa;
}

/* unmapPage: nothing if the ASID no longer resolves or the slot does not
 * hold this frame at this size; else the slot is cleared. */
int k_pt_unmap_page(struct pgsim_kernel *k, const struct kcap *c)
{
	uint32_t root = k_find_vspace(k, c->asid);
	if (root == K_NONE)
		return 0;
	struct kpt_slot s;
	int rc = k_pt_find_page(k, k->objs[root].pa, c, &s);
	if (rc <= 0)
		return rc;
	return k_write_entry(k, s.pa, 0);
}

/* unmapPageTable: walk from the root along the recorded vaddr, at most
 * levels - 1 steps, until this table is reached (give up at a slot that
 * is not a table pointer), then clear the parent slot. */
int k_pt_unlink_table(struct pgsim_kernel *k, const struct kcap *c)
{
	uint32_t root = k_find_vspace(k, c->asid);
	if (root == K_NONE)
		return 0;
	const struct kpte_fmt *f = k->ka->pte;
	unsigned eb = k->cfg->arch->entry_bytes;
	pgsim_pa_t target = k->objs[c->obj].pa, pt = k->objs[root].pa, slot = 0;
	int level = k_top_level(k);
	for (int i = 0; i < k_top_level(k) && pt != target; i++, level--) {
		slot = pt + k_index(k, level, c->vaddr) * eb;
		uint64_t e;
		int rc = k_read_entry(k, slot, &e);
		if (rc)
			return rc;
		if (!f->is_table(e))
			return 0;
		pt = f->addr(e);
	}
	if (pt != target)
		return 0;
	return k_write_entry(k, slot, 0);
}
