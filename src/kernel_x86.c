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

#include "kernel_impl.h"

/* x86 entry bits (Intel SDM vol. 3 4.3/4.5, seL4 structures.bf) */
#define X_P (1ull << 0)
#define X_RW (1ull << 1)
#define X_US (1ull << 2)
#define X_PWT (1ull << 3)
#define X_PCD (1ull << 4)
#define X_A (1ull << 5)
#define X_D (1ull << 6)
#define X_PS (1ull << 7)
#define X_PAT_4K (1ull << 7)
#define X_G (1ull << 8)
#define X_PAT_LARGE (1ull << 12)

/* seL4_X86_VMAttributes */
#define X_ATTR_PWT 1u
#define X_ATTR_PCD 2u
#define X_ATTR_PAT 4u

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

static int top(const struct pgsim_kernel *k)
{
	return (int)k->cfg->arch->levels - 1;
}

static unsigned shift(const struct pgsim_kernel *k, int level)
{
	return k->cfg->arch->level[level].shift;
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
	for (int l = top(k);; l--) {
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
			*bits = shift(k, l);
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

static int unmap_page(struct pgsim_kernel *k, const struct kcap *c)
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
	if (!(e & X_P) || (level > 0 && !(e & X_PS)) || addr_of(k, e, shift(k, level)) != o->pa)
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
		uint64_t wmask = k->ka->word_bits == 64 ? UINT64_MAX : (1ull << k->ka->word_bits) - 1;
		uint64_t vtop = (vaddr + (1ull << o->size_lg2)) & wmask;
		if (vaddr > k->ka->user_top || vtop > k->ka->user_top) {
			k_err_arg(r, 0, "X86Frame: Mapping address too high.");
			return 0;
		}
	}
	uint32_t root = k_find_vspace(k, asid);
	if (root == K_NONE) {
		k_err_invalid_root(r, "");
		return 0;
	}
	if (root != vs->obj) {
		k_err_cap(r, 1, "");
		return 0;
	}
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
	rc = k_write_entry(k, slot, make_leaf(level, o->pa, vr, attr));
	if (rc)
		return rc;
	c->mapped = true;
	c->asid = asid;
	c->vaddr = vaddr;
	c->map_rights = vr;
	c->map_attr = attr;
	k_res_ok(r);
	return 0;
}

/* decodeX86FrameInvocation */
static int x86_frame(struct pgsim_kernel *k, const struct kinv *inv, struct pgsim_kres *r)
{
	struct kcap *c = &k->caps[inv->ci];
	switch (inv->label) {
	case PGSIM_KL_PAGE_MAP: {
		/* the failure's own userError, if it has one, is the one kept */
		bool masked = false;
		int rc = frame_map(k, inv, r, &masked);
		if (!rc && masked && !r->msg[0])
			k_note_write_only(r, c->rights, (unsigned)inv->w[1]);
		return rc;
	}
	case PGSIM_KL_PAGE_UNMAP: {
		/* performX86FrameInvocationUnmap: an unmapped cap is left as
		 * it is (a copy keeps the address Mode_deriveCap left in it);
		 * a mapped one is unmapped and its mapping fields cleared
		 * (performX86PageInvocationUnmap).  ARM and RISC-V clear the
		 * fields either way. */
		if (c->mapped) {
			int rc = unmap_page(k, c);
			if (rc)
				return rc;
			c->mapped = false;
			c->asid = 0;
			c->vaddr = 0;
		}
		k_res_ok(r);
		return 0;
	}
	case PGSIM_KL_PAGE_GET_ADDRESS:
		k_res_ok(r);
		r->value = k->objs[c->obj].pa;
		r->n_mr = 1;
		r->mr[0] = r->value;
		return 0;
	default:
		k_err(r, PGSIM_SEL4_ILLEGAL_OPERATION, "");
		return 0;
	}
}

/* ---- paging structures ------------------------------------------------- */

/* unmapPageTable / unmapPageDirectory / unmapPDPT: clear the parent slot
 * if it still points at this table. */
static int unlink_table(struct pgsim_kernel *k, const struct kcap *c)
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

static int finalise_table(struct pgsim_kernel *k, const struct kcap *c)
{
	if (k_is_vtable_root(k, c)) {
		k_delete_asid(k, c->asid, c->obj);
		return 0;
	}
	return unlink_table(k, c);
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
static int x86_table(struct pgsim_kernel *k, const struct kinv *inv, struct pgsim_kres *r)
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
	if (inv->label == unmap_l[level]) {
		if (!k_is_final(k, inv->ci)) {
			k_err(r, PGSIM_SEL4_REVOKE_FIRST, "Cannot unmap if more than one cap exists.");
			return 0;
		}
		if (c->mapped) {
			int rc = unlink_table(k, c);
			if (!rc)
				rc = k_zero(k, o->pa, 1ull << o->size_lg2);
			if (rc)
				return rc;
		}
		c->mapped = false;
		k_res_ok(r);
		return 0;
	}
	if (inv->label != map_l[level]) {
		k_err(r, PGSIM_SEL4_ILLEGAL_OPERATION, "Illegal operation.");
		return 0;
	}
	if (inv->n_words < 2 || inv->n_extra < 1) {
		k_err(r, PGSIM_SEL4_TRUNCATED_MESSAGE, "Truncated message.");
		return 0;
	}
	if (c->mapped) {
		k_err_cap(r, 0, "Table is already mapped.");
		return 0;
	}
	/* silently masked to the region one parent entry covers */
	pgsim_va_t vaddr = inv->w[0] & ~((1ull << shift(k, plevel)) - 1);
	uint64_t attr = inv->w[1];
	const struct kcap *vs = k_cap(k, inv->extra[0]);
	if (!vs || !k_is_valid_native_root(k, vs)) {
		k_err_cap(r, 1, "");
		return 0;
	}
	uint32_t asid = vs->asid;
	if (vaddr > k->ka->user_top) {
		k_err_arg(r, 0, "Mapping address too high.");
		return 0;
	}
	uint32_t root = k_find_vspace(k, asid);
	if (root == K_NONE) {
		k_err_invalid_root(r, "");
		return 0;
	}
	if (root != vs->obj) {
		k_err_cap(r, 1, "");
		return 0;
	}
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
	if ((rc = k_write_entry(k, slot, make_table(o->pa, attr))))
		return rc;
	c->mapped = true;
	c->asid = asid;
	c->vaddr = vaddr;
	k_res_ok(r);
	return 0;
}

/* ---- kernel window ----------------------------------------------------- */

/* copyGlobalMappings at root creation.  x86_64: PML4[511] = the kernel
 * PDPT (present, writable, supervisor: map_kernel_window).  ia32: PD
 * 0x380..0x3fe = global supervisor 4 MiB pages of physical memory from
 * PADDR_BASE 0 on, 0x3ff = the kernel's page table (no log buffer, no
 * SMP).  The kernel tables themselves are not modelled. */
static int x86_created(struct pgsim_kernel *k, uint32_t obj)
{
	const struct kobj *o = &k->objs[obj];
	if (!o->type->info.root)
		return 0;
	unsigned eb = k->cfg->arch->entry_bytes;
	if (k->ka == &karch_x86_64)
		return k_write_entry(k, o->pa + 511 * eb, k->ktables_pa | X_P | X_RW);
	for (unsigned i = 0x380; i < 0x3ff; i++) {
		uint64_t e = ((uint64_t)(i - 0x380) << 22) | X_PS | X_G | X_RW | X_P;
		int rc = k_write_entry(k, o->pa + i * eb, e);
		if (rc)
			return rc;
	}
	return k_write_entry(k, o->pa + 0x3ff * eb, k->ktables_pa | X_RW | X_P);
}

/* ---- faults ------------------------------------------------------------ */

/* handleVMFault (x86): Addr = CR2, FSR = the #PF error code (a 5-bit
 * field), PrefetchFault = its I/D bit (set by the CPU only with NX or
 * SMEP enabled: the walker's cfg decides). */
static int x86_vm_fault(const struct pgsim_kernel *k, const struct pgsim_fault *f,
			enum pgsim_access acc, uint64_t ip, struct pgsim_vm_fault *out)
{
	(void)k;
	(void)acc;
	/* A non-canonical address is #GP (seL4: a UserException, not a
	 * VMFault); a walk outside RAM raises no #PF at all. */
	if (f->kind == PGSIM_FAULT_VA_RANGE || f->kind == PGSIM_FAULT_BUS)
		return -EDOM;
	out->ip = ip;
	out->addr = f->addr;
	out->fsr = f->code & 0x1f;
	out->prefetch = (f->code >> 4) & 1;
	return 0;
}

/* sel4utils / libsel4vspace x86_64 mapping.c: 39 -> PDPT, 30 -> PD,
 * 21 -> PT; ia32: 22 -> PT. */
static const struct ktype *x86_type_for_bits(const struct pgsim_kernel *k, unsigned bits)
{
	for (int l = 0; l < top(k); l++) {
		if (shift(k, l + 1) != bits)
			continue;
		for (unsigned i = 0; i < k->ka->n_types; i++)
			if (k->types[i].info.kind == PGSIM_KOBJ_TABLE && !k->types[i].info.root &&
			    k->types[i].info.level == l)
				return &k->types[i];
	}
	return NULL;
}

/* x86_64 without KernelHugePage: seL4_X64_HugePageObject is the invalid
 * number 0xfffffffe and the types after it move down by one (spec 2.2). */
static void x86_setup(struct pgsim_kernel *k)
{
	if (k->ka != &karch_x86_64 || !k->opts.no_huge_page)
		return;
	unsigned huge = 0;
	for (unsigned i = 0; i < k->ka->n_types; i++)
		if (k->types[i].info.kind == PGSIM_KOBJ_FRAME && k->types[i].info.size_lg2 == 30)
			huge = k->types[i].info.number;
	for (unsigned i = 0; i < k->ka->n_types; i++) {
		struct pgsim_ktype_info *t = &k->types[i].info;
		if (t->number == huge)
			t->number = 0xfffffffe;
		else if (t->number > huge && t->number != 0xfffffffe)
			t->number--;
	}
}

static const struct karch_ops x86_ops = {
	.frame = x86_frame,
	.table = x86_table,
	.unmap_page = unmap_page,
	.finalise_table = finalise_table,
	.created = x86_created,
	.assigned = NULL,
	.vm_fault = x86_vm_fault,
	.setup = x86_setup,
	.type_for_bits = x86_type_for_bits,
};

static const struct kattr_name x86_attrs[] = {
	{ "write_back", 0 },
	{ "write_through", X_ATTR_PWT },
	{ "cache_disabled", X_ATTR_PCD },
	{ "uncacheable", X_ATTR_PWT | X_ATTR_PCD },
	{ "write_combining", X_ATTR_PAT },
	{ NULL, 0 },
};

#define UNTYPED_TYPE { { "seL4_UntypedObject", "untyped", PGSIM_KOBJ_UNTYPED, 0, 0, false, -1 }, \
		       { NULL }, K_FRAME_LABELS }
#define PD_LABELS PGSIM_KL_PAGE_DIRECTORY_MAP, PGSIM_KL_PAGE_DIRECTORY_UNMAP
#define PDPT_LABELS PGSIM_KL_PDPT_MAP, PGSIM_KL_PDPT_UNMAP

/* libsel4 x86_64 object types (HugePage on) and sizes (spec 2.1, 2.2). */
static const struct ktype x86_64_types[] = {
	UNTYPED_TYPE,
	{ { "seL4_X86_PDPTObject", "pdpt", PGSIM_KOBJ_TABLE, 12, 5, false, 2 },
	  { "page_directory_pointer_table", NULL }, PDPT_LABELS,
	  "Deriving an unmapped PTPD cap" /* sic, Mode_deriveCap */ },
	{ { "seL4_X64_PML4Object", "pml4", PGSIM_KOBJ_TABLE, 12, 6, true, 3 },
	  { "vspace", "vspace_root", "root", NULL }, PD_LABELS,
	  "Deriving a PML4 cap without an assigned ASID" },
	{ { "seL4_X64_HugePageObject", "huge_page", PGSIM_KOBJ_FRAME, 30, 7, false, 2 },
	  { "frame_1g", "1g", NULL }, K_FRAME_LABELS },
	{ { "seL4_X86_4K", "frame", PGSIM_KOBJ_FRAME, 12, 8, false, 0 },
	  { "frame_4k", "small_page", "4k", "page", NULL }, K_FRAME_LABELS },
	{ { "seL4_X86_LargePageObject", "large_page", PGSIM_KOBJ_FRAME, 21, 9, false, 1 },
	  { "frame_2m", "2m", NULL }, K_FRAME_LABELS },
	{ { "seL4_X86_PageTableObject", "page_table", PGSIM_KOBJ_TABLE, 12, 10, false, 0 },
	  { "pt", NULL }, K_PT_LABELS, "Deriving an unmapped PT cap" },
	{ { "seL4_X86_PageDirectoryObject", "page_directory", PGSIM_KOBJ_TABLE, 12, 11, false, 1 },
	  { "pd", NULL }, PD_LABELS, "Deriving a PD cap without an assigned ASID" },
};

static const struct ktype ia32_types[] = {
	UNTYPED_TYPE,
	{ { "seL4_X86_4K", "frame", PGSIM_KOBJ_FRAME, 12, 5, false, 0 },
	  { "frame_4k", "small_page", "4k", "page", NULL }, K_FRAME_LABELS },
	{ { "seL4_X86_LargePageObject", "large_page", PGSIM_KOBJ_FRAME, 22, 6, false, 1 },
	  { "frame_4m", "4m", NULL }, K_FRAME_LABELS },
	{ { "seL4_X86_PageTableObject", "page_table", PGSIM_KOBJ_TABLE, 12, 7, false, 0 },
	  { "pt", NULL }, K_PT_LABELS, "Deriving an unmapped PT cap" },
	{ { "seL4_X86_PageDirectoryObject", "page_directory", PGSIM_KOBJ_TABLE, 12, 8, true, 1 },
	  { "pd", "vspace", "vspace_root", "root", NULL }, PD_LABELS,
	  "Deriving a PD cap without an assigned ASID" },
};

const struct karch karch_x86_64 = {
	.arch = &pgsim_arch_x86_64,
	.prefix = "X86",
	.types = x86_64_types,
	.n_types = sizeof x86_64_types / sizeof x86_64_types[0],
	.n_pools_bits = 3,
	.pool_index_bits = 9,
	.min_untyped_bits = 4,
	.max_untyped_bits = 47,
	.word_bits = 64,
	.user_top = 0x7fffffffffffull,
	.default_attr = 0,
	.attrs = x86_attrs,
	/* x86 vm_rights_t: VMKernelOnly 1, VMReadOnly 2, VMReadWrite 3 */
	.rights_enc = { 1, 2, 3 },
	/* a stand-in for x64KSKernelPDPT (kernel image at 1 MiB) */
	.kernel_tables_pa = 0x101000,
	.kwin_first = 511,
	.kwin_n = 1,
	.derive_clears_vaddr = false,
	.ops = &x86_ops,
};

const struct karch karch_ia32 = {
	.arch = &pgsim_arch_ia32,
	.prefix = "X86",
	.types = ia32_types,
	.n_types = sizeof ia32_types / sizeof ia32_types[0],
	.n_pools_bits = 2,
	.pool_index_bits = 10,
	.min_untyped_bits = 4,
	.max_untyped_bits = 29,
	.word_bits = 32,
	/* USER_TOP = PPTR_BASE & 0xffc00000 */
	.user_top = 0xe0000000ull,
	.default_attr = 0,
	.attrs = x86_attrs,
	.rights_enc = { 1, 2, 3 },
	/* a stand-in for ia32KSGlobalPT */
	.kernel_tables_pa = 0x101000,
	.kwin_first = 0x380,
	.kwin_n = 0x80,
	.derive_clears_vaddr = false,
	.ops = &x86_ops,
};
