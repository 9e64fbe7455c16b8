/* pgsim: seL4 kernel model -- AArch64 VSpace invocations.
 *
 * As seL4's decodeARMFrameInvocation, decodeARMPageTableInvocation and
 * decodeARMMMUInvocation (src/arch/arm/64/kernel/vspace.c), for the
 * non-hyp 4-level, 48-bit configuration of current seL4 (one generic
 * PageTable object for every non-root level, 13.0.0 on).  lookupPTSlot
 * (kernel_pt.c, with this file's entry format) descends from the VSpace
 * root while the slot holds a table descriptor and returns the slot it
 * stopped at with bitsLeft (39, 30, 21, 12); the decoders interpret
 * bitsLeft.  Entries are built as makeUserPagePTE and
 * pte_pte_table_new build them (spec 5.2).
 */
#include <errno.h>
#include <string.h>

#include "kernel_impl.h"

#define A_TYPE_MASK 3ull
#define A_TYPE_TABLE 3ull     /* with SW bit 58 clear */
#define A_TYPE_BLOCK 1ull
#define A_SW_PAGE (1ull << 58)/* seL4's pte_sw_type: 4 KiB page, not table */
#define A_UXN (1ull << 54)
#define A_NG (1ull << 11)
#define A_AF (1ull << 10)
#define A_SH_SHIFT 8
#define A_AP_SHIFT 6
#define A_ATTRIDX_SHIFT 2
#define A_ADDR 0x0000fffffffff000ull

/* MAIR indices seL4 programs (NORMAL = 4, DEVICE_nGnRnE = 0) */
#define A_ATTR_NORMAL 4ull
#define A_ATTR_DEVICE 0ull
#define A_SMP_SHARE 3ull

/* seL4_ARM_VMAttributes */
#define A_ATTR_CACHEABLE 1u
#define A_ATTR_PARITY 2u
#define A_ATTR_XN 4u

/* pte_pte_table_ptr_get_present: type 0b11 with software bit 58 clear */
static bool is_table(uint64_t e)
{
	return (e & A_TYPE_MASK) == A_TYPE_TABLE && !(e & A_SW_PAGE);
}

/* pte_ptr_get_valid: any type other than pte_invalid */
static bool is_valid(uint64_t e)
{
	return (e & A_TYPE_MASK) != 0;
}

/* pte_is_page_type: a 4 KiB page (0b11 + SW bit) or a block (0b01) */
static bool is_page(uint64_t e)
{
	return ((e & A_TYPE_MASK) == A_TYPE_TABLE && (e & A_SW_PAGE)) ||
	       ((e & A_TYPE_MASK) == A_TYPE_BLOCK && !(e & A_SW_PAGE));
}

/* pte_pte_table_get_pt_base_address / pte_get_page_base_address */
static pgsim_pa_t entry_addr(uint64_t e)
{
	return e & A_ADDR;
}

/* what kernel_pt.c's lookupPTSlot, unmapPage and unmapPageTable read */
static const struct kpte_fmt arm_pte = { is_table, is_page, entry_addr };

/* APFromVMRights (non-hyp stage 1) */
static uint64_t ap_bits(enum pgsim_vm_rights r)
{
	switch (r) {
	case PGSIM_VM_READ_WRITE: return 1;
	case PGSIM_VM_READ_ONLY: return 3;
	default: return 0;
	}
}

/* makeUserPagePTE */
static uint64_t make_page(const struct pgsim_kernel *k, pgsim_pa_t pa, enum pgsim_vm_rights r,
			  uint64_t attr, unsigned size_lg2)
{
	bool cacheable = attr & A_ATTR_CACHEABLE;
	uint64_t e = pa | A_NG | A_AF | ap_bits(r) << A_AP_SHIFT;
	e |= (cacheable ? A_ATTR_NORMAL : A_ATTR_DEVICE) << A_ATTRIDX_SHIFT;
	if (cacheable && k->opts.smp)
		e |= A_SMP_SHARE << A_SH_SHIFT;
	if (attr & A_ATTR_XN)
		e |= A_UXN;
	if (size_lg2 == 12)
		e |= A_TYPE_TABLE | A_SW_PAGE;
	else
		e |= A_TYPE_BLOCK;
	return e;
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
	pgsim_va_t vaddr = inv->w[0];
	uint64_t attr = inv->w[2];
	enum pgsim_vm_rights vr = pgsim_vm_rights_mask(c->rights, (unsigned)inv->w[1]);
	*masked = true;
	const struct kcap *vs = k_cap(k, inv->extra[0]);
	if (!vs || !k_is_valid_native_root(k, vs)) {
		k_err_cap(r, 1, "");
		return 0;
	}
	uint32_t asid = vs->asid;
	uint32_t root = k_decode_root(k, vs, r, "", "");
	if (root == K_NONE)
		return 0;
	if (vaddr & ((1ull << o->size_lg2) - 1)) {
		k_err(r, PGSIM_SEL4_ALIGNMENT_ERROR, "");
		return 0;
	}
	if (c->mapped) {
		if (c->asid != asid) {
			k_err_cap(r, 1, "ARMPageMap: Attempting to remap a frame that does not "
				  "belong to the passed address space");
			return 0;
		}
		if (c->vaddr != vaddr) {
			k_err_arg(r, 0, "ARMPageMap: Attempting to map frame into multiple addresses");
			return 0;
		}
	} else if (vaddr + (1ull << o->size_lg2) - 1 > k->ka->user_top) {
		k_err_arg(r, 0, "");
		return 0;
	}
	struct kpt_slot s;
	int rc = k_pt_lookup(k, k->objs[root].pa, vaddr, &s);
	if (rc)
		return rc;
	if (s.bits != o->size_lg2) {
		k_err_missing(r, s.bits, false, "");
		return 0;
	}
	/* performPageInvocationMap: overwrite whatever page is there */
	return k_perform_page_map(k, c, s.pa, make_page(k, o->pa, vr, attr, o->size_lg2), asid,
				  vaddr, vr, attr, r);
}

/* vmRightsFromPTE: AP 0/2 KernelOnly, 1 ReadWrite, 3 ReadOnly */
static enum pgsim_vm_rights rights_of(uint64_t e)
{
	switch ((e >> A_AP_SHIFT) & 3) {
	case 1: return PGSIM_VM_READ_WRITE;
	case 3: return PGSIM_VM_READ_ONLY;
	default: return PGSIM_VM_KERNEL_ONLY;
	}
}

/* decodeARMFrameInvocation's Page_Clean_Data / Invalidate_Data /
 * CleanInvalidate_Data / Unify_Instruction (non-hyp): the checks in order;
 * the flush itself changes nothing the model keeps. */
static int page_flush(struct pgsim_kernel *k, const struct kinv *inv, struct pgsim_kres *r)
{
	const struct kcap *c = &k->caps[inv->ci];
	const struct kobj *o = &k->objs[c->obj];
	if (inv->n_words < 2) {
		k_err(r, PGSIM_SEL4_TRUNCATED_MESSAGE, "Page Flush: Truncated message.");
		return 0;
	}
	if (!c->mapped) {
		k_err(r, PGSIM_SEL4_ILLEGAL_OPERATION, "Page Flush: Frame is not mapped.");
		return 0;
	}
	uint32_t root = k_find_vspace(k, c->asid);
	if (root == K_NONE) {
		k_err_invalid_root(r, "Page Flush: No PGD for ASID");
		return 0;
	}
	uint64_t start = inv->w[0], end = inv->w[1], size = 1ull << o->size_lg2;
	if (end <= start) {
		k_err_arg(r, 1, "PageFlush: Invalid range");
		return 0;
	}
	if (start >= size || end > size) {
		k_err_arg(r, 0, "Page Flush: Requested range not inside page");
		return 0;
	}
	struct kpt_slot s;
	int rc = k_pt_find_page(k, k->objs[root].pa, c, &s);
	if (rc < 0)
		return rc;
	if (!rc) {
		k_err_cap(r, 0, "Page Flush: Attempting to use cap with stale mapping information.");
		return 0;
	}
	if (inv->label == PGSIM_KL_PAGE_INVALIDATE_DATA && rights_of(s.e) != PGSIM_VM_READ_WRITE) {
		k_err(r, PGSIM_SEL4_ILLEGAL_OPERATION,
		      "ARMPageInvalidate_Data: Cannot call on mapping without write rights.");
		return 0;
	}
	k_res_ok(r);
	return 0;
}

/* decodeARMFrameInvocation */
static int arm_frame(struct pgsim_kernel *k, const struct kinv *inv, struct pgsim_kres *r)
{
	struct kcap *c = &k->caps[inv->ci];
	switch (inv->label) {
	case PGSIM_KL_PAGE_MAP:
		return k_page_map(k, inv, r, frame_map);
	case PGSIM_KL_PAGE_UNMAP:
		return k_page_unmap(k, c, r);
	case PGSIM_KL_PAGE_CLEAN_DATA:
	case PGSIM_KL_PAGE_INVALIDATE_DATA:
	case PGSIM_KL_PAGE_CLEAN_INVALIDATE_DATA:
	case PGSIM_KL_PAGE_UNIFY_INSTRUCTION:
		return page_flush(k, inv, r);
	case PGSIM_KL_PAGE_GET_ADDRESS:
		return k_page_get_address(k, c, r);
	default:
		k_err(r, PGSIM_SEL4_ILLEGAL_OPERATION, "");
		return 0;
	}
}

/* decodeARMPageTableInvocation; a VSpace cap only takes cache operations
 * (decodeARMVSpaceRootInvocation), so every label here is illegal on it. */
static int arm_table(struct pgsim_kernel *k, const struct kinv *inv, struct pgsim_kres *r)
{
	struct kcap *c = &k->caps[inv->ci];
	const struct kobj *o = &k->objs[c->obj];
	if (o->type->info.root) {
		k_err(r, PGSIM_SEL4_ILLEGAL_OPERATION, "");
		return 0;
	}
	if (inv->label == PGSIM_KL_PAGE_TABLE_UNMAP) {
		if (!k_is_final(k, inv->ci)) {
			k_err(r, PGSIM_SEL4_REVOKE_FIRST, "");
			return 0;
		}
		return k_perform_table_unmap(k, c, r);
	}
	if (inv->label != PGSIM_KL_PAGE_TABLE_MAP) {
		k_err(r, PGSIM_SEL4_ILLEGAL_OPERATION, "");
		return 0;
	}
	if (inv->n_words < 2 || inv->n_extra < 1) {
		k_err(r, PGSIM_SEL4_TRUNCATED_MESSAGE, "");
		return 0;
	}
	if (c->mapped) {
		k_err_cap(r, 0, "");
		return 0;
	}
	pgsim_va_t vaddr = inv->w[0];
	const struct kcap *vs = k_cap(k, inv->extra[0]);
	if (!vs || !k_is_valid_native_root(k, vs)) {
		k_err_cap(r, 1, "");
		return 0;
	}
	uint32_t asid = vs->asid;
	if (vaddr > k->ka->user_top) {
		k_err_arg(r, 0, "");
		return 0;
	}
	uint32_t root = k_decode_root(k, vs, r, "", "");
	if (root == K_NONE)
		return 0;
	struct kpt_slot s;
	int rc = k_pt_lookup(k, k->objs[root].pa, vaddr, &s);
	if (rc)
		return rc;
	if (s.bits == k->cfg->arch->page_lg2 || is_valid(s.e)) {
		k_err(r, PGSIM_SEL4_DELETE_FIRST, "");
		return 0;
	}
	/* pte_pte_table_new: type 0b11 + address, nothing else */
	return k_perform_table_map(k, c, s.pa, o->pa | A_TYPE_TABLE, asid,
				   vaddr & ~((1ull << s.bits) - 1), r);
}

/* handleVMFault: data abort -> Addr = FAR; prefetch abort -> Addr = the
 * restart PC; FSR = ESR (EC 0x20 = instruction abort from EL0). */
static int arm_vm_fault(const struct pgsim_kernel *k, const struct pgsim_fault *f,
			enum pgsim_access acc, uint64_t ip, struct pgsim_vm_fault *out)
{
	(void)k;
	bool fetch = acc == PGSIM_ACCESS_EXEC;
	out->ip = ip;
	out->addr = fetch ? ip : f->addr;
	out->fsr = f->code & 0xffffffffu;
	out->prefetch = fetch;
	return 0;
}

/* libsel4vspace aarch64 mapping.c: 21, 30, 39 all want a PageTable. */
static const struct ktype *arm_type_for_bits(const struct pgsim_kernel *k, unsigned bits)
{
	if (bits != 21 && bits != 30 && bits != 39)
		return NULL;
	for (unsigned i = 0; i < k->ka->n_types; i++)
		if (k->types[i].info.kind == PGSIM_KOBJ_TABLE && !k->types[i].info.root)
			return &k->types[i];
	return NULL;
}

static const struct karch_ops arm_ops = {
	.frame = arm_frame,
	.table = arm_table,
	.unmap_page = k_pt_unmap_page,
	.unlink_table = k_pt_unlink_table,
	.finalise_table = k_finalise_table,
	.created = NULL,
	.assigned = NULL,
	.vm_fault = arm_vm_fault,
	.setup = NULL,
	.type_for_bits = arm_type_for_bits,
};

static const struct kattr_name arm_attrs[] = {
	{ "cacheable", A_ATTR_CACHEABLE },
	{ "page_cacheable", A_ATTR_CACHEABLE },
	{ "parity", A_ATTR_PARITY },
	{ "parity_enabled", A_ATTR_PARITY },
	{ "execute_never", A_ATTR_XN },
	{ "xn", A_ATTR_XN },
	{ "uncached", 0 },
	{ NULL, 0 },
};

/* libsel4 aarch64 object types (non-hyp), spec 2.1/2.2; the deprecated
 * PGD/PUD/PD names map to VSpace / PageTable as deprecated.h does. */
static const struct ktype arm_types[] = {
	K_UNTYPED_TYPE,
	{ { "seL4_ARM_HugePageObject", "huge_page", PGSIM_KOBJ_FRAME, 30, 5, false, 2 },
	  { "frame_1g", "1g", NULL }, K_FRAME_LABELS },
	{ { "seL4_ARM_VSpaceObject", "vspace", PGSIM_KOBJ_TABLE, 12, 6, true, 3 },
	  { "vspace_root", "root", "pgd", "page_global_directory", NULL }, K_PT_LABELS,
	  "Deriving a VSpace cap without an assigned ASID" },
	{ { "seL4_ARM_SmallPageObject", "frame", PGSIM_KOBJ_FRAME, 12, 7, false, 0 },
	  { "frame_4k", "small_page", "4k", "page", NULL }, K_FRAME_LABELS },
	{ { "seL4_ARM_LargePageObject", "large_page", PGSIM_KOBJ_FRAME, 21, 8, false, 1 },
	  { "frame_2m", "2m", NULL }, K_FRAME_LABELS },
	{ { "seL4_ARM_PageTableObject", "page_table", PGSIM_KOBJ_TABLE, 12, 9, false, -1 },
	  { "pt", "pud", "page_upper_directory", "pd", "page_directory", NULL }, K_PT_LABELS,
	  "Deriving a PT cap without an assigned ASID" },
};

const struct karch karch_aarch64 = {
	.arch = &pgsim_arch_aarch64,
	.prefix = "ARM",
	.types = arm_types,
	.n_types = sizeof arm_types / sizeof arm_types[0],
	.n_pools_bits = 7,
	.pool_index_bits = 9,
	.min_untyped_bits = 4,
	.max_untyped_bits = 47,
	.word_bits = 64,
	.user_top = 0x7fffffffffffull,
	/* seL4_ARM_Default_VMAttributes = PageCacheable | ParityEnabled */
	.default_attr = A_ATTR_CACHEABLE | A_ATTR_PARITY,
	.xn_attr = A_ATTR_XN,
	.attrs = arm_attrs,
	/* AArch64 vm_rights_t: VMKernelOnly 0, VMReadWrite 1, VMReadOnly 3 */
	.rights_enc = { 0, 3, 1 },
	.kernel_tables_pa = 0,
	.pte = &arm_pte,
	.derive_clears_vaddr = false,
	.unmap_clears_unmapped = true,
	.ops = &arm_ops,
};
