/* pgsim: seL4 kernel model -- the frame and paging-structure steps that
 * are the same kernel behaviour on every architecture.
 *
 * seL4 writes these per architecture (src/arch/{arm/64,riscv,x86}/kernel/
 * vspace.c), but the functions modelled here do the same thing on each:
 * the perform steps of Map (store the entry the decode built, store the
 * updated cap), of Page_Unmap, PageTable_Unmap and Page_GetAddress, the
 * ASID checks every Map decoder makes, and Arch_finaliseCap for a table
 * on the architectures whose root has a type of its own.  The decoders
 * themselves (their checks, order and messages) stay in kernel_arm.c,
 * kernel_riscv.c and kernel_x86.c, because there the architectures
 * differ.
 */
#include "kernel_impl.h"

/* As the decodeARMFrameInvocation / decodeRISCVFrameInvocation /
 * decodeX86FrameInvocation Map cases and the PageTable Map decoders:
 * findVSpaceForASID fails -> FailedLookup (InvalidRoot, not the source);
 * it names another root than the cap -> InvalidCapability 1. */
uint32_t k_decode_root(const struct pgsim_kernel *k, const struct kcap *vs,
		       struct pgsim_kres *r, const char *no_root_msg, const char *other_root_msg)
{
	uint32_t root = k_find_vspace(k, vs->asid);
	if (root == K_NONE) {
		k_err_invalid_root(r, no_root_msg);
		return K_NONE;
	}
	if (root != vs->obj) {
		k_err_cap(r, 1, other_root_msg);
		return K_NONE;
	}
	return root;
}

/* maskVMRights prints its write-only warning whenever it runs, whatever a
 * later check decides; a failure's own userError, if it has one, is the
 * one kept (r->msg holds one line). */
int k_page_map(struct pgsim_kernel *k, const struct kinv *inv, struct pgsim_kres *r,
	       k_page_map_fn map)
{
	bool masked = false;
	int rc = map(k, inv, r, &masked);
	if (!rc && masked && !r->msg[0])
		k_note_write_only(r, k->caps[inv->ci].rights, (unsigned)inv->w[1]);
	return rc;
}

/* performPageTableInvocationMap (AArch64, RISC-V),
 * performX86PageTableInvocationMap, performX64PageDirectoryInvocationMap,
 * performX64PDPTInvocationMap: the updated cap goes to its slot, the entry
 * to its table slot. */
int k_perform_table_map(struct pgsim_kernel *k, struct kcap *c, pgsim_pa_t slot, uint64_t entry,
			uint32_t asid, pgsim_va_t vaddr, struct pgsim_kres *r)
{
	int rc = k_write_entry(k, slot, entry);
	if (rc)
		return rc;
	c->mapped = true;
	c->asid = asid;
	c->vaddr = vaddr;
	k_res_ok(r);
	return 0;
}

/* performPageInvocationMap (AArch64), performPageInvocationMapPTE
 * (RISC-V), performX86PageInvocationMapPTE/PDE/PDPTE: the same, and the
 * model keeps what it wrote (rights after maskVMRights, attributes) for
 * the cross-check. */
int k_perform_page_map(struct pgsim_kernel *k, struct kcap *c, pgsim_pa_t slot, uint64_t entry,
		       uint32_t asid, pgsim_va_t vaddr, enum pgsim_vm_rights rights,
		       uint64_t attr, struct pgsim_kres *r)
{
	int rc = k_perform_table_map(k, c, slot, entry, asid, vaddr, r);
	if (rc)
		return rc;
	c->map_rights = rights;
	c->map_attr = attr;
	return 0;
}

/* performPageInvocationUnmap (AArch64, RISC-V): unmapPage if the cap has
 * an ASID, then the recorded mapping is cleared either way.
 * performX86FrameInvocationUnmap returns early for an unmapped cap, so on
 * x86 an unmapped copy keeps the address Mode_deriveCap left in it; only
 * a mapped one is unmapped and cleared (performX86PageInvocationUnmap). */
int k_page_unmap(struct pgsim_kernel *k, struct kcap *c, struct pgsim_kres *r)
{
	if (c->mapped) {
		int rc = k->ka->ops->unmap_page(k, c);
		if (rc)
			return rc;
	}
	if (c->mapped || k->ka->unmap_clears_unmapped) {
		c->mapped = false;
		c->asid = 0;
		c->vaddr = 0;
	}
	k_res_ok(r);
	return 0;
}

/* performPageGetAddress: MR0 = the frame's physical address. */
int k_page_get_address(const struct pgsim_kernel *k, const struct kcap *c, struct pgsim_kres *r)
{
	k_res_ok(r);
	r->value = k->objs[c->obj].pa;
	r->n_mr = 1;
	r->mr[0] = r->value;
	return 0;
}

/* performPageTableInvocationUnmap (AArch64, RISC-V),
 * performX86PageTableInvocationUnmap, performX64PageDirectoryInvocationUnmap,
 * performX64PDPTInvocationUnmap: a mapped table is unlinked from its
 * parent and its memory cleared (cleared even when no parent link was
 * found); only IsMapped is cleared in the cap. */
int k_perform_table_unmap(struct pgsim_kernel *k, struct kcap *c, struct pgsim_kres *r)
{
	if (c->mapped) {
		const struct kobj *o = &k->objs[c->obj];
		int rc = k->ka->ops->unlink_table(k, c);
		if (!rc)
			rc = k_zero(k, o->pa, 1ull << o->size_lg2);
		if (rc)
			return rc;
	}
	c->mapped = false;
	k_res_ok(r);
	return 0;
}

/* Arch_finaliseCap (AArch64 vspace_cap / page_table_cap; x86
 * Mode_finaliseCap pml4 / pdpt / pd, Arch_finaliseCap page_table /
 * page_directory) for a final, mapped cap: a root loses its ASID
 * (deleteASID), any other table is unlinked from its parent.  RISC-V,
 * whose root is an ordinary PageTable, decides by the ASID instead
 * (kernel_riscv.c). */
int k_finalise_table(struct pgsim_kernel *k, const struct kcap *c)
{
	if (k_is_vtable_root(k, c)) {
		k_delete_asid(k, c->asid, c->obj);
		return 0;
	}
	return k->ka->ops->unlink_table(k, c);
}
