/* x86_64 4-level paging (IA-32e), Intel SDM vol. 3A 4.5, tables 4-14..4-20.
 * Level 3 = PML4 [47:39], 2 = PDPT [38:30], 1 = PD [29:21], 0 = PT [20:12]. */
#include <stdio.h>

#include "x86.h"

static uint64_t bits(unsigned hi, unsigned lo)
{
	return ((hi >= 63 ? ~0ull : (1ull << (hi + 1)) - 1)) & ~((1ull << lo) - 1);
}

/* Address bits of an entry whose output is aligned to 2^lo. */
static uint64_t addr_mask(const struct pgsim_cfg *cfg, unsigned lo)
{
	return bits(cfg->pa_bits - 1, lo);
}

static bool is_large(int level, uint64_t e)
{
	return (level == 1 || level == 2) && (e & X86_PS);
}

static enum pgsim_entry_kind classify(const struct pgsim_cfg *cfg, int level, uint64_t e,
				      pgsim_pa_t *addr)
{
	if (!(e & X86_P))
		return PGSIM_ENTRY_INVALID; /* reserved bits are not checked when P=0 */
	/* Reserved everywhere: address bits 51:M, and XD without EFER.NXE. */
	if (e & bits(51, cfg->pa_bits))
		return PGSIM_ENTRY_RESERVED;
	if ((e & X86_XD) && !(cfg->flags & PGSIM_CPU_NXE))
		return PGSIM_ENTRY_RESERVED;
	if (level == 3 && (e & X86_PS))
		return PGSIM_ENTRY_RESERVED; /* PS must be 0 in a PML4E */
	if (level == 0) {
		*addr = e & addr_mask(cfg, 12);
		return PGSIM_ENTRY_LEAF;
	}
	if (is_large(level, e)) {
		unsigned lo = cfg->arch->level[level].shift;
		if (level == 2 && !(cfg->flags & PGSIM_CPU_PAGE1GB))
			return PGSIM_ENTRY_RESERVED;
		/* Alignment is enforced through reserved bits lo-1..13 (bit 12
		 * is PAT). */
		if (e & bits(lo - 1, 13))
			return PGSIM_ENTRY_RESERVED;
		*addr = e & addr_mask(cfg, lo);
		return PGSIM_ENTRY_LEAF;
	}
	*addr = e & addr_mask(cfg, 12);
	return PGSIM_ENTRY_TABLE;
}

static uint64_t type_bits(int level, enum pgsim_entry_kind kind)
{
	if (kind == PGSIM_ENTRY_LEAF && level > 0)
		return X86_P | X86_PS;
	return X86_P;
}

static uint64_t kind_addr_mask(const struct pgsim_cfg *cfg, int level, enum pgsim_entry_kind kind)
{
	unsigned lo = (kind == PGSIM_ENTRY_LEAF) ? cfg->arch->level[level].shift : 12;
	return addr_mask(cfg, lo);
}

static uint64_t encode(const struct pgsim_cfg *cfg, int level, enum pgsim_entry_kind kind,
		       pgsim_pa_t addr, uint64_t flags)
{
	if (kind == PGSIM_ENTRY_INVALID)
		return flags & ~X86_P;
	return type_bits(level, kind) | (addr & kind_addr_mask(cfg, level, kind)) | flags;
}

static uint64_t flags_of(const struct pgsim_cfg *cfg, int level, enum pgsim_entry_kind kind,
			 uint64_t e)
{
	if (kind == PGSIM_ENTRY_INVALID)
		return e & ~X86_P;
	return e & ~(type_bits(level, kind) | kind_addr_mask(cfg, level, kind));
}

static const struct pgsim_arch_ops ops = {
	.classify = classify,
	.accumulate = x86_accumulate,
	.perms = x86_perms,
	.leaf_ad = x86_leaf_ad,
	.table_ad = x86_table_ad,
	.report = x86_report,
	.encode = encode,
	.flags_of = flags_of,
	.leaf_attrs = x86_leaf_attrs,
};

#define T (1u << PGSIM_ENTRY_TABLE)
#define L (1u << PGSIM_ENTRY_LEAF)
static const struct pgsim_field_desc fields[] = {
	{ "P", 0, 1, T | L, 0xf },
	{ "RW", 1, 1, T | L, 0xf },
	{ "US", 2, 1, T | L, 0xf },
	{ "PWT", 3, 1, T | L, 0xf },
	{ "PCD", 4, 1, T | L, 0xf },
	{ "A", 5, 1, T | L, 0xf },
	{ "D", 6, 1, L, 0x7 },
	{ "PS", 7, 1, T, 0xe },
	{ "PS", 7, 1, L, 0x6 },
	{ "PAT", 7, 1, L, 0x1 },
	{ "G", 8, 1, L, 0x7 },
	{ "AVL", 9, 3, T | L, 0xf },
	{ "PAT", 12, 1, L, 0x6 },
	{ "AVL_HI", 52, 7, T | L, 0xf },
	{ "PK", 59, 4, L, 0x7 },
	{ "XD", 63, 1, T | L, 0xf },
};
#undef T
#undef L

static const struct pgsim_cpu_flag_desc cpu_flags[] = {
	{ "wp", PGSIM_CPU_WP, true, "CR0.WP: supervisor writes honour R/W" },
	{ "nxe", PGSIM_CPU_NXE, true, "EFER.NXE: bit 63 is execute-disable (else reserved)" },
	{ "smep", PGSIM_CPU_SMEP, false, "CR4.SMEP: no supervisor fetch from user pages" },
	{ "smap", PGSIM_CPU_SMAP, false, "CR4.SMAP: no supervisor data access to user pages" },
	{ "ac", PGSIM_CPU_AC, false, "EFLAGS.AC: lifts SMAP for explicit accesses" },
	{ "page1gb", PGSIM_CPU_PAGE1GB, true, "CPUID Page1GB: 1 GiB pages (else PS in a PDPTE is reserved)" },
};

static const struct pgsim_va_geometry geometries[] = {
	{ 48, 3 },
};

const struct pgsim_arch pgsim_arch_x86_64 = {
	.name = "x86_64",
	.title = "x86-64 4-level paging: 4K/2M/1G pages, NX, 48-bit canonical VA",
	.entry_bytes = 8,
	.page_lg2 = 12,
	.levels = 4,
	.level = {
		{ "PT", "PTE", 12, 9, true },
		{ "PD", "PDE", 21, 9, true },
		{ "PDPT", "PDPTE", 30, 9, true },
		{ "PML4", "PML4E", 39, 9, false },
	},
	.va_geometries = geometries,
	.n_va_geometries = 1,
	.va_rule = PGSIM_VA_SIGN_EXTEND,
	/* MAXPHYADDR: QEMU's default phys-bits is 40; real CPUs go to 52. */
	.pa_bits_default = 40,
	.pa_bits_min = 32,
	.pa_bits_max = 52,
	.fields = fields,
	.n_fields = sizeof fields / sizeof fields[0],
	.cpu_flags = cpu_flags,
	.n_cpu_flags = sizeof cpu_flags / sizeof cpu_flags[0],
	.user_top = 1ull << 47,
	.root_addr_size_fault = false,
	.ops = &ops,
};
