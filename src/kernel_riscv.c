/* pgsim: seL4 kernel model -- RISC-V Sv39 VSpace invocations.
 *
 * As seL4's decodeRISCVFrameInvocation, decodeRISCVPageTableInvocation and
 * decodeRISCVMMUInvocation (src/arch/riscv/kernel/vspace.c).  The root is
 * an ordinary PageTable that became a root by ASIDPool_Assign (which also
 * copies the kernel's global entries into it).  lookupPTSlot (kernel_pt.c,
 * with this file's entry format) descends while the slot is a non-leaf
 * PTE (V=1, R=W=X=0), bitsLeft 30, 21, 12.
 * Entries as makeUserPTE builds them (spec 5.3); RISC-V is the one
 * architecture that refuses a fresh frame over an existing mapping.
 */
#include <errno.h>
#include <string.h>

#include "kernel_impl.h"

#define R_V (1ull << 0)
#define R_R (1ull << 1)
#define R_W (1ull << 2)
#define R_X (1ull << 3)
#define R_U (1ull << 4)
#define R_G (1ull << 5)
#define R_A (1ull << 6)
#define R_D (1ull << 7)
#define R_PPN_SHIFT 10
#define R_PPN_MASK ((1ull << 44) - 1)

#define R_ATTR_XN 1u   /* seL4_RISCV_ExecuteNever */

static pgsim_pa_t pte_pa(uint64_t e)
{
	return ((e >> R_PPN_SHIFT) & R_PPN_MASK) << 12;
}

static uint64_t pa_pte(pgsim_pa_t pa)
{
	return (pa >> 12) << R_PPN_SHIFT;
}

/* isPTEPageTable */
static bool is_table(uint64_t e)
{
	return (e & R_V) && !(e & (R_R | R_W | R_X));
}

/* unmapPage's test for a leaf: valid and not a table pointer */
static bool is_page(uint64_t e)
{
	return (e & R_V) && !is_table(e);
}

/* what kernel_pt.c's lookupPTSlot, unmapPage and unmapPageTable read */
static const struct kpte_fmt rv_pte = { is_table, is_page, pte_pa };

/* makeUserPTE: read unless KernelOnly, write only for ReadWrite, user
 * always, executable unless ExecuteNever; nothing at all -> invalid. */
static uint64_t make_pte(pgsim_pa_t pa, bool exec, enum pgsim_vm_rights r)
{
	bool rd = r != PGSIM_VM_KERNEL_ONLY, wr = r == PGSIM_VM_READ_WRITE;
	if (!rd && !wr && !exec)
		return 0;
	return pa_pte(pa) | R_D | R_A | R_U | (exec ? R_X : 0) | (wr ? R_W : 0) |
	       (rd ? R_R : 0) | R_V;
}

/* *masked: maskVMRights has run (its write-only warning is printed
 * whatever a later check decides). */
static int frame_map(struct pgsim_kernel *k, const struct kinv *inv, struct pgsim_kres *r,
		     bool *masked)
{
	if (inv->n_words < 3 || inv->n_extra < 1) {
		k_err(r, PGSIM_SEL4_TRUNCATED_MESSAGE, "RISCVPageMap: Truncated message.");
		return 0;
	}
	struct kcap *c = &k->caps[inv->ci];
	const struct kobj *o = &k->objs[c->obj];
	pgsim_va_t vaddr = inv->w[0];
	uint64_t attr = inv->w[2];
	const struct kcap *vs = k_cap(k, inv->extra[0]);
	if (!vs || vs->type != PGSIM_KCAP_TABLE || !vs->mapped) {
		k_err_cap(r, 1, "RISCVPageMap: Bad PageTable cap.");
		return 0;
	}
	uint32_t asid = vs->asid;
	uint32_t root = k_decode_root(k, vs, r, "RISCVPageMap: No PageTable for ASID",
				      "RISCVPageMap: ASID lookup failed");
	if (root == K_NONE)
		return 0;
	if (vaddr + (1ull << o->size_lg2) - 1 >= k->ka->user_top) {
		k_err_arg(r, 0, "");
		return 0;
	}
	if (vaddr & ((1ull << o->size_lg2) - 1)) {
		k_err(r, PGSIM_SEL4_ALIGNMENT_ERROR, "");
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
	if (c->mapped) {
		if (c->asid != asid) {
			k_err_cap(r, 1, "RISCVPageMap: Attempting to remap a frame that does not "
				  "belong to the passed address space");
			return 0;
		}
		if (c->vaddr != vaddr) {
			k_err_arg(r, 0, "RISCVPageMap: attempting to map frame into multiple addresses");
			return 0;
		}
		if (is_table(s.e)) {
			k_err(r, PGSIM_SEL4_DELETE_FIRST, "RISCVPageMap: no mapping to remap.");
			return 0;
		}
	} else if (s.e & R_V) {
		k_err(r, PGSIM_SEL4_DELETE_FIRST, "Virtual address already mapped");
		return 0;
	}
	enum pgsim_vm_rights vr = pgsim_vm_rights_mask(c->rights, (unsigned)inv->w[1]);
	*masked = true;
	/* performPageInvocationMapPTE */
	return k_perform_page_map(k, c, s.pa, make_pte(o->pa, !(attr & R_ATTR_XN), vr), asid,
				  vaddr, vr, attr, r);
}

/* decodeRISCVFrameInvocation */
static int rv_frame(struct pgsim_kernel *k, const struct kinv *inv, struct pgsim_kres *r)
{
	struct kcap *c = &k->caps[inv->ci];
	switch (inv->label) {
	case PGSIM_KL_PAGE_MAP:
		return k_page_map(k, inv, r, frame_map);
	case PGSIM_KL_PAGE_UNMAP:
		return k_page_unmap(k, c, r);
	case PGSIM_KL_PAGE_GET_ADDRESS:
		return k_page_get_address(k, c, r);
	default:
		k_err(r, PGSIM_SEL4_ILLEGAL_OPERATION, "RISCVPage: Illegal operation.");
		return 0;
	}
}

/* Arch_finaliseCap (page_table_cap, final and mapped): a root loses its
 * ASID, any other PT is unlinked from its parent. */
static int finalise_table(struct pgsim_kernel *k, const struct kcap *c)
{
	if (k_find_vspace(k, c->asid) == c->obj) {
		k_delete_asid(k, c->asid, c->obj);
		return 0;
	}
	return k_pt_unlink_table(k, c);
}

/* decodeRISCVPageTableInvocation */
static int rv_table(struct pgsim_kernel *k, const struct kinv *inv, struct pgsim_kres *r)
{
	struct kcap *c = &k->caps[inv->ci];
	const struct kobj *o = &k->objs[c->obj];
	if (inv->label == PGSIM_KL_PAGE_TABLE_UNMAP) {
		if (!k_is_final(k, inv->ci)) {
			k_err(r, PGSIM_SEL4_REVOKE_FIRST,
			      "RISCVPageTableUnmap: cannot unmap if more than once cap exists");
			return 0;
		}
		if (c->mapped && k_find_vspace(k, c->asid) == c->obj) {
			k_err(r, PGSIM_SEL4_REVOKE_FIRST,
			      "RISCVPageTableUnmap: cannot call unmap on top level PageTable");
			return 0;
		}
		return k_perform_table_unmap(k, c, r);
	}
	if (inv->label != PGSIM_KL_PAGE_TABLE_MAP) {
		k_err(r, PGSIM_SEL4_ILLEGAL_OPERATION, "RISCVPageTable: Illegal Operation");
		return 0;
	}
	if (inv->n_words < 2 || inv->n_extra < 1) {
		k_err(r, PGSIM_SEL4_TRUNCATED_MESSAGE, "RISCVPageTable: truncated message");
		return 0;
	}
	if (c->mapped) {
		k_err_cap(r, 0, "RISCVPageTable: PageTable is already mapped.");
		return 0;
	}
	pgsim_va_t vaddr = inv->w[0];
	const struct kcap *vs = k_cap(k, inv->extra[0]);
	if (!vs || vs->type != PGSIM_KCAP_TABLE || !vs->mapped) {
		k_err_cap(r, 1, "RISCVPageTableMap: Invalid top-level PageTable.");
		return 0;
	}
	uint32_t asid = vs->asid;
	if (vaddr >= k->ka->user_top) {
		k_err_arg(r, 0, "RISCVPageTableMap: Virtual address cannot be in kernel window.");
		return 0;
	}
	uint32_t root = k_decode_root(k, vs, r, "RISCVPageTableMap: ASID lookup failed",
				      "RISCVPageTableMap: ASID lookup failed");
	if (root == K_NONE)
		return 0;
	struct kpt_slot s;
	int rc = k_pt_lookup(k, k->objs[root].pa, vaddr, &s);
	if (rc)
		return rc;
	if (s.bits == k->cfg->arch->page_lg2 || (s.e & R_V)) {
		k_err(r, PGSIM_SEL4_DELETE_FIRST, "RISCVPageTableMap: All objects mapped at this address");
		return 0;
	}
	/* performPageTableInvocationMap: a non-leaf PTE, V only */
	return k_perform_table_map(k, c, s.pa, pa_pte(o->pa) | R_V, asid,
				   vaddr & ~((1ull << s.bits) - 1), r);
}

/* copyGlobalMappings at ASIDPool_Assign: root indices 256..511 as
 * map_kernel_window leaves them: 256..509 map physical memory from
 * PADDR_BASE 0 with global supervisor RWX gigapages (A, D set), 510 (the
 * kernel image) and 511 (kernel devices) point at the kernel's level-1
 * tables (V and G only).  The platform-specific second alias of the
 * kernel image inside 256..509 is not modelled. */
static int rv_assigned(struct pgsim_kernel *k, uint32_t obj)
{
	pgsim_pa_t root = k->objs[obj].pa;
	for (unsigned i = 256; i < 510; i++) {
		uint64_t e = pa_pte((pgsim_pa_t)(i - 256) << 30) | R_D | R_A | R_G | R_X | R_W | R_R | R_V;
		int rc = k_write_entry(k, root + i * 8, e);
		if (rc)
			return rc;
	}
	int rc = k_write_entry(k, root + 510 * 8, pa_pte(k->ktables_pa) | R_G | R_V);
	if (!rc)
		rc = k_write_entry(k, root + 511 * 8, pa_pte(k->ktables_pa + 0x1000) | R_G | R_V);
	return rc;
}

/* handleVMFault: FSR normalised to 5 (load), 7 (store/AMO), 1 (fetch). */
static int rv_vm_fault(const struct pgsim_kernel *k, const struct pgsim_fault *f,
		       enum pgsim_access acc, uint64_t ip, struct pgsim_vm_fault *out)
{
	(void)k;
	out->ip = ip;
	out->addr = f->addr;
	switch (acc) {
	case PGSIM_ACCESS_EXEC:
		out->fsr = 1;
		out->prefetch = 1;
		break;
	case PGSIM_ACCESS_WRITE:
		out->fsr = 7;
		break;
	default:
		out->fsr = 5;
		break;
	}
	return 0;
}

/* libsel4vspace riscv mapping.c: any level >= 21 wants a PageTable. */
static const struct ktype *rv_type_for_bits(const struct pgsim_kernel *k, unsigned bits)
{
	if (bits < 21)
		return NULL;
	for (unsigned i = 0; i < k->ka->n_types; i++)
		if (k->types[i].info.kind == PGSIM_KOBJ_TABLE)
			return &k->types[i];
	return NULL;
}

static const struct karch_ops rv_ops = {
	.frame = rv_frame,
	.table = rv_table,
	.unmap_page = k_pt_unmap_page,
	.unlink_table = k_pt_unlink_table,
	.finalise_table = finalise_table,
	.created = NULL,
	.assigned = rv_assigned,
	.vm_fault = rv_vm_fault,
	.setup = NULL,
	.type_for_bits = rv_type_for_bits,
};

static const struct kattr_name rv_attrs[] = {
	{ "execute_never", R_ATTR_XN },
	{ "xn", R_ATTR_XN },
	{ NULL, 0 },
};

/* libsel4 riscv64 object types, spec 2.1/2.2 */
static const struct ktype rv_types[] = {
	K_UNTYPED_TYPE,
	{ { "seL4_RISCV_Giga_Page", "huge_page", PGSIM_KOBJ_FRAME, 30, 5, false, 2 },
	  { "frame_1g", "1g", "giga_page", NULL }, K_FRAME_LABELS },
	{ { "seL4_RISCV_4K_Page", "frame", PGSIM_KOBJ_FRAME, 12, 6, false, 0 },
	  { "frame_4k", "small_page", "4k", "page", NULL }, K_FRAME_LABELS },
	{ { "seL4_RISCV_Mega_Page", "large_page", PGSIM_KOBJ_FRAME, 21, 7, false, 1 },
	  { "frame_2m", "2m", "mega_page", NULL }, K_FRAME_LABELS },
	{ { "seL4_RISCV_PageTableObject", "page_table", PGSIM_KOBJ_TABLE, 12, 8, true, -1 },
	  { "pt", "vspace", "vspace_root", "root", NULL }, K_PT_LABELS,
	  "Deriving an unmapped PT cap" },
};

const struct karch karch_sv39 = {
	.arch = &pgsim_arch_sv39,
	.prefix = "RISCV",
	.types = rv_types,
	.n_types = sizeof rv_types / sizeof rv_types[0],
	.n_pools_bits = 7,
	.pool_index_bits = 9,
	.min_untyped_bits = 4,
	.max_untyped_bits = 38,
	.word_bits = 64,
	/* USER_TOP = seL4_UserTop = 0x3ffffff000 */
	.user_top = 0x3ffffff000ull,
	.default_attr = 0,
	.xn_attr = R_ATTR_XN,
	.attrs = rv_attrs,
	.rights_enc = { 1, 2, 3 },
	/* a stand-in for the kernel's level-1 tables (kernel image) */
	.kernel_tables_pa = 0x80201000,
	.kwin_first = 256,
	.kwin_n = 256,
	.pte = &rv_pte,
	.derive_clears_vaddr = true,
	.unmap_clears_unmapped = true,
	.ops = &rv_ops,
};
