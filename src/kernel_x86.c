/* pgsim: seL4 kernel model -- x86 (ia32 and x86_64) VSpace invocations.
 *
 * ia32 and x86_64 share seL4's decodeX86FrameInvocation and
 * decodeX86PageTableInvocation (src/arch/x86/kernel/vspace.c); x86_64 adds
 * decodeX64PageDirectoryInvocation, decodeX64PDPTInvocation and the 1 GiB
 * path of decodeX86ModeMapPage (src/arch/x86/64/kernel/vspace.c); ia32 has
 * decodeIA32PageDirectoryInvocation (GetStatusBits only) on its root.
 * The lookups are the kernel's fixed-level ones (lookupPDPTSlot,
 * lookupPDSlot, lookupPTSlot): each wants a present table pointer (PS=0
 * where a large page could sit) at every level above its target and fails
 * with MissingCapability(bitsLeft = the shift of the level whose entry is
 * missing: 39/30/21 on x86_64, 22 on ia32).  Entries are built as
 * makeUserPTE / makeUserPDELargePage / makeUserPDPTEHugePage /
 * makeUserPDEPageTable / makeUserPDPTEPageDirectory / makeUserPML4E do
 * (spec 5.1).
 */
#include <errno.h>
#include <string.h>

#include "kernel_x86.h"

struct x86_mode {
	unsigned pa_top;                  /* entry address bits end below this */
	bool check_ps[PGSIM_MAX_LEVELS];  /* lookups need PS=0 at this level */
};

static const struct x86_mode mode_x86_64 = { 52, { false, true, true, false } };
static const struct x86_mode mode_ia32 = { 32, { false, true } };

static const struct x86_mode *mode(const struct pgsim_kernel *k)
{
	return k->ka == &karch_ia32 ? &mode_ia32 : &mode_x86_64;
}

/* Address field of an entry whose target is aligned to 2^lo. */
static uint64_t addr_of(const struct pgsim_kernel *k, uint64_t e, unsigned lo)
{
	uint64_t m = ((1ull << mode(k)->pa_top) - 1) & ~((1ull << lo) - 1);
	return e & m;
}

/* The kernel's lookup{PDPT,PD,PT}Slot: the slot at `level` for va, or
 * false with *bits = the failed level. */
static bool lookup(const struct pgsim_kernel *k, pgsim_pa_t root, pgsim_va_t va,
		   int level, pgsim_pa_t *slot, unsigned *bits, int *rc)
{
	pgsim_pa_t pa = root;
	unsigned eb = k->cfg->arch->entry_bytes;
	*rc = 0;
	for (int l = k_top_level(k);; l--) {
		pgsim_pa_t s = pa + k_index(k, l, va) * eb;
		if (l == level) {
			*slot = s;
			return true;
		}
		uint64_t e;
		*rc = k_read_entry(k, s, &e);
		if (*rc)
			return false;
		if (!(e & X_P) || (mode(k)->check_ps[l] && (e & X_PS))) {
			*bits = k_level_shift(k, l);
			return false;
		}
		pa = addr_of(k, e, 12);
	}
}

/* WritableFromVMRights / SuperUserFromVMRights */
static uint64_t rights_bits(enum pgsim_vm_rights r)
{
	uint64_t e = 0;
	if (r != PGSIM_VM_READ_ONLY)
		e |= X_RW;
	if (r != PGSIM_VM_KERNEL_ONLY)
		e |= X_US;
	return e;
}

static uint64_t cache_bits(uint64_t attr)
{
	return ((attr & X_ATTR_PWT) ? X_PWT : 0) | ((attr & X_ATTR_PCD) ? X_PCD : 0);
}

/* makeUserPTE (level 0), makeUserPDELargePage (1), makeUserPDPTEHugePage
 * (2: PAT always 0, spec 8.10). */
static uint64_t make_leaf(int level, pgsim_pa_t pa, enum pgsim_vm_rights r, uint64_t attr)
{
	uint64_t e = pa | X_P | rights_bits(r) | cache_bits(attr);
	if (level == 0) {
		if (attr & X_ATTR_PAT)
			e |= X_PAT_4K;
	} else {
		e |= X_PS;
		if (level == 1 && (attr & X_ATTR_PAT))
			e |= X_PAT_LARGE;
	}
	return e;
}

/* makeUserPDEPageTable / makeUserPDPTEPageDirectory / makeUserPML4E */
static uint64_t make_table(pgsim_pa_t pa, uint64_t attr)
{
	return pa | X_P | X_RW | X_US | cache_bits(attr);
}

/* ---- frames ------------------------------------------------------------ */

int k_x86_unmap_page(struct pgsim_kernel *k, const struct kcap *c)
{
	uint32_t root = k_find_vspace(k, c->asid);
	if (root == K_NONE)
		return 0;
	const struct kobj *o = &k->objs[c->obj];
	int level = o->type->info.level;
	pgsim_pa_t slot;
	unsigned bits;
	int rc;
	if (!lookup(k, k->objs[root].pa, c->vaddr, level, &slot, &bits, &rc))
		return rc;
	uint64_t e;
	rc = k_read_entry(k, slot, &e);
	if (rc)
		return rc;
	/* only if present, of this size, and pointing at this frame */
	if (!(e & X_P) || (level > 0 && !(e & X_PS)) || addr_of(k, e, k_level_shift(k, level)) != o->pa)
		return 0;
	return k_write_entry(k, slot, 0);
}

/* *masked: maskVMRights has run (its write-only warning is printed
 * whatever a later check decides). */
static int frame_map(struct pgsim_kernel *k, const struct kinv *inv, struct pgsim_kres *r,
		     bool *masked)
{
	if (inv->n_words < 3 || inv->n_extra < 1) {
		k_err(r, PGSIM_SEL4_TRUNCATED_MESSAGE, "");
		return 0;
	}
	struct kcap *c = &k->caps[inv->ci];
	const struct kobj *o = &k->objs[c->obj];
	int level = o->type->info.level;
	pgsim_va_t vaddr = inv->w[0];
	uint64_t attr = inv->w[2];
	const struct kcap *vs = k_cap(k, inv->extra[0]);
	if (!vs || !k_is_valid_native_root(k, vs)) {
		k_err_cap(r, 1, "X86FrameMap: Attempting to map frame into invalid page directory cap.");
		return 0;
	}
	uint32_t asid = vs->asid;
	if (c->mapped) {
		if (c->asid != asid) {
			k_err_cap(r, 1, "");
			return 0;
		}
		/* capFMapType is always VSpace here (no IOMMU / EPT model). */
		if (c->vaddr != vaddr) {
			k_err_arg(r, 0, "X86Frame: Attempting to map frame into multiple addresses");
			return 0;
		}
	} else {
		/* vaddr and vtop against USER_TOP, in word arithmetic */
		uint64_t vtop = (vaddr + (1ull << o->size_lg2)) & k_word_mask(k);
		if (vaddr > k->ka->user_top || vtop > k->ka->user_top) {
			k_err_arg(r, 0, "X86Frame: Mapping address too high.");
			return 0;
		}
	}
	uint32_t root = k_decode_root(k, vs, r, "", "");
	if (root == K_NONE)
		return 0;
	enum pgsim_vm_rights vr = pgsim_vm_rights_mask(c->rights, (unsigned)inv->w[1]);
	*masked = true;
	if (vaddr & ((1ull << o->size_lg2) - 1)) {
		k_err(r, PGSIM_SEL4_ALIGNMENT_ERROR, "");
		return 0;
	}
	pgsim_pa_t slot;
	unsigned bits;
	int rc;
	if (!lookup(k, k->objs[root].pa, vaddr, level, &slot, &bits, &rc)) {
		if (rc)
			return rc;
		k_err_missing(r, bits, false, "");
		return 0;
	}
	if (level > 0) {
		/* createSafeMappingEntries_PDE / _PDPTE: a present table in
		 * the slot must be deleted first; a leaf is overwritten. */
		uint64_t e;
		rc = k_read_entry(k, slot, &e);
		if (rc)
			return rc;
		if ((e & X_P) && !(e & X_PS)) {
			k_err(r, PGSIM_SEL4_DELETE_FIRST, "");
			return 0;
		}
	}
	/* performX86PageInvocationMapPTE / PDE / PDPTE */
	return k_perform_page_map(k, c, slot, make_leaf(level, o->pa, vr, attr), asid, vaddr, vr,
				  attr, r);
}

/* decodeX86FrameInvocation */
int k_x86_frame(struct pgsim_kernel *k, const struct kinv *inv, struct pgsim_kres *r)
{
	struct kcap *c = &k->caps[inv->ci];
	switch (inv->label) {
	case PGSIM_KL_PAGE_MAP:
		return k_page_map(k, inv, r, frame_map);
	case PGSIM_KL_PAGE_UNMAP:
		/* performX86FrameInvocationUnmap: an unmapped cap is left as
		 * it is, so a copy keeps the address Mode_deriveCap left in
		 * it (unmap_clears_unmapped is false on x86) */
		return k_page_unmap(k, c, r);
	case PGSIM_KL_PAGE_GET_ADDRESS:
		return k_page_get_address(k, c, r);
	default:
		k_err(r, PGSIM_SEL4_ILLEGAL_OPERATION, "");
		return 0;
	}
}

/* ---- paging structures ------------------------------------------------- */

/* unmapPageTable / unmapPageDirectory / unmapPDPT: clear the parent slot
 * if it still points at this table. */
int k_x86_unlink_table(struct pgsim_kernel *k, const struct kcap *c)
{
	uint32_t root = k_find_vspace(k, c->asid);
	if (root == K_NONE)
		return 0;
	const struct kobj *o = &k->objs[c->obj];
	int plevel = o->type->info.level + 1;
	pgsim_pa_t slot;
	unsigned bits;
	int rc;
	if (!lookup(k, k->objs[root].pa, c->vaddr, plevel, &slot, &bits, &rc))
		return rc;
	uint64_t e;
	rc = k_read_entry(k, slot, &e);
	if (rc)
		return rc;
	if (!(e & X_P) || (mode(k)->check_ps[plevel] && (e & X_PS)) || addr_of(k, e, 12) != o->pa)
		return 0;
	return k_write_entry(k, slot, 0);
}

/* decodeIA32PageDirectoryInvocation: GetStatusBits only. */
static int ia32_pd(struct pgsim_kernel *k, const struct kinv *inv, struct pgsim_kres *r)
{
	if (inv->label != PGSIM_KL_PAGE_DIRECTORY_GET_STATUS_BITS) {
		k_err(r, PGSIM_SEL4_ILLEGAL_OPERATION,
		      "decodeIA32PageDirectoryInvocation: illegal operation");
		return 0;
	}
	if (inv->n_words < 1) {
		k_err(r, PGSIM_SEL4_TRUNCATED_MESSAGE, "X86PageDirectoryGetStatusBits: Truncated message");
		return 0;
	}
	pgsim_va_t vaddr = inv->w[0];
	if (vaddr > k->ka->user_top) {
		k_err_arg(r, 0, "X86PageDirectoryGetStatusBits: address inside kernel window");
		return 0;
	}
	pgsim_pa_t root = k->objs[k->caps[inv->ci].obj].pa, pd_slot, pt_slot;
	unsigned bits;
	int rc;
	uint64_t pde, pte = 0;
	lookup(k, root, vaddr, 1, &pd_slot, &bits, &rc);
	if ((rc = k_read_entry(k, pd_slot, &pde)))
		return rc;
	bool large = (pde & X_P) && (pde & X_PS);
	bool small = lookup(k, root, vaddr, 0, &pt_slot, &bits, &rc);
	if (rc)
		return rc;
	if (small && (rc = k_read_entry(k, pt_slot, &pte)))
		return rc;
	small = small && (pte & X_P);
	if (!large && !small) {
		k_err_arg(r, 1, "X86PageDirectoryGetStatusBits: No mapping found");
		return 0;
	}
	uint64_t e = large ? pde : pte;
	k_res_ok(r);
	r->n_mr = 2;
	r->mr[0] = !!(e & X_A);
	r->mr[1] = !!(e & X_D);
	r->value = r->mr[0] | r->mr[1] << 1;
	return 0;
}

/* decodeX86PageTableInvocation / decodeX64PageDirectoryInvocation /
 * decodeX64PDPTInvocation: one skeleton, the level is the table type's. */
int k_x86_table(struct pgsim_kernel *k, const struct kinv *inv, struct pgsim_kres *r)
{
	struct kcap *c = &k->caps[inv->ci];
	const struct kobj *o = &k->objs[c->obj];
	if (o->type->info.root) {
		if (k->ka == &karch_ia32)
			return ia32_pd(k, inv, r);
		/* decodeX86ModeMMUInvocation: a PML4 cap has no invocations */
		k_err(r, PGSIM_SEL4_ILLEGAL_OPERATION, "");
		return 0;
	}
	int level = o->type->info.level, plevel = level + 1;
	static const enum pgsim_klabel map_l[] = {
		PGSIM_KL_PAGE_TABLE_MAP, PGSIM_KL_PAGE_DIRECTORY_MAP, PGSIM_KL_PDPT_MAP };
	static const enum pgsim_klabel unmap_l[] = {
		PGSIM_KL_PAGE_TABLE_UNMAP, PGSIM_KL_PAGE_DIRECTORY_UNMAP, PGSIM_KL_PDPT_UNMAP };
	/* The kernel's userError texts per table type, as each decoder words
	 * them (they are informative, not ABI; the prefixes differ). */
	static const struct {
		const char *revoke, *illegal, *truncated, *mapped, *too_high;
	} msg[] = {
		{ "X86PageTable: Cannot unmap if more than one cap exists.",
		  "X86PageTable: Illegal operation.", "X86PageTable: Truncated message.",
		  "X86PageTable: Page table is already mapped to a page directory.",
		  "X86PageTable: Mapping address too high." },
		{ "X86PageDirectory: Cannot unmap if more than one cap exist.",
		  "X64Directory: Illegal operation.", "X64PageDirectory: Truncated message.",
		  "X64PageDirectory: PD is already mapped to a PML4.",
		  "X64PageDirectory: Mapping address too high." },
		{ "X86PDPT: Cannot unmap if more than one cap exist.",
		  "X86PDPT: Illegal operation.", "X64PDPT: Truncated message.",
		  "X64PDPT: PDPT is already mapped to a PML4.", "X64PDPT: Mapping address too high." },
	};
	if (inv->label == unmap_l[level]) {
		if (!k_is_final(k, inv->ci)) {
			k_err(r, PGSIM_SEL4_REVOKE_FIRST, msg[level].revoke);
			return 0;
		}
		return k_perform_table_unmap(k, c, r);
	}
	if (inv->label != map_l[level]) {
		k_err(r, PGSIM_SEL4_ILLEGAL_OPERATION, msg[level].illegal);
		return 0;
	}
	if (inv->n_words < 2 || inv->n_extra < 1) {
		k_err(r, PGSIM_SEL4_TRUNCATED_MESSAGE, msg[level].truncated);
		return 0;
	}
	if (c->mapped) {
		k_err_cap(r, 0, msg[level].mapped);
		return 0;
	}
	/* silently masked to the region one parent entry covers */
	pgsim_va_t vaddr = inv->w[0] & ~((1ull << k_level_shift(k, plevel)) - 1);
	uint64_t attr = inv->w[1];
	const struct kcap *vs = k_cap(k, inv->extra[0]);
	if (!vs || !k_is_valid_native_root(k, vs)) {
		k_err_cap(r, 1, "");
		return 0;
	}
	uint32_t asid = vs->asid;
	if (vaddr > k->ka->user_top) {
		k_err_arg(r, 0, msg[level].too_high);
		return 0;
	}
	uint32_t root = k_decode_root(k, vs, r, "", "");
	if (root == K_NONE)
		return 0;
	pgsim_pa_t slot;
	unsigned bits;
	int rc;
	if (!lookup(k, k->objs[root].pa, vaddr, plevel, &slot, &bits, &rc)) {
		if (rc)
			return rc;
		k_err_missing(r, bits, false, "");
		return 0;
	}
	uint64_t e;
	if ((rc = k_read_entry(k, slot, &e)))
		return rc;
	if (e & X_P) {
		/* a table or a large page is there */
		k_err(r, PGSIM_SEL4_DELETE_FIRST, "");
		return 0;
	}
	return k_perform_table_map(k, c, slot, make_table(o->pa, attr), asid, vaddr, r);
}
