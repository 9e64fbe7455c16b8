/* pgsim: seL4 kernel model -- x86 (ia32 and x86_64) data around the
 * invocations of kernel_x86.c: the kernel's own root entries that a new
 * root receives (copyGlobalMappings), the VMFault message (handleVMFault),
 * the failed level -> object type mapping of the map helper, the object
 * types of each build and the per-architecture descriptors.
 */
#include <errno.h>
#include <string.h>

#include "kernel_x86.h"

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
	for (int l = 0; l < k_top_level(k); l++) {
		if (k_level_shift(k, l + 1) != bits)
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
	.frame = k_x86_frame,
	.table = k_x86_table,
	.unmap_page = k_x86_unmap_page,
	.unlink_table = k_x86_unlink_table,
	.finalise_table = k_finalise_table,
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

#define PD_LABELS PGSIM_KL_PAGE_DIRECTORY_MAP, PGSIM_KL_PAGE_DIRECTORY_UNMAP
#define PDPT_LABELS PGSIM_KL_PDPT_MAP, PGSIM_KL_PDPT_UNMAP

/* libsel4 x86_64 object types (HugePage on) and sizes (spec 2.1, 2.2). */
static const struct ktype x86_64_types[] = {
	K_UNTYPED_TYPE,
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
	K_UNTYPED_TYPE,
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
	.unmap_clears_unmapped = false,
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
	.unmap_clears_unmapped = false,
	.ops = &x86_ops,
};
