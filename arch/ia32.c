/* ia32 32-bit (non-PAE) paging, Intel SDM vol. 3A 4.3, tables 4-4..4-6.
 * Level 1 = page directory [31:22], level 0 = page table [21:12];
 * 4 MiB pages with CR4.PSE, PSE-36 high address bits in PDE bits 20:13. */
#include <stdio.h>

#include "x86.h"

/* PSE-36: PDE bits (M-20):13 hold PA[(M-1):32]; bits 21:(M-19) are
 * reserved (with M = 32 all of 21:13). */
static uint64_t pse36_reserved(unsigned m)
{
	unsigned lo = m - 19; /* lowest reserved bit */
	if (lo > 21)
		return 0;
	return ((1ull << 22) - 1) & ~((1ull << lo) - 1);
}

static uint64_t pse36_addr(uint64_t e, unsigned m)
{
	unsigned hi_bits = m - 32; /* number of PA bits above 31 */
	uint64_t high = (e >> 13) & ((1ull << hi_bits) - 1);
	return (e & 0xFFC00000ull) | (high << 32);
}

static bool is_large(const struct pgsim_cfg *cfg, int level, uint64_t e)
{
	/* PS is only honoured with CR4.PSE; without it the PDE points to a
	 * page table whatever bit 7 says. */
	return level == 1 && (e & X86_PS) && (cfg->flags & PGSIM_CPU_PSE);
}

static enum pgsim_entry_kind classify(const struct pgsim_cfg *cfg, int level, uint64_t e,
				      pgsim_pa_t *addr)
{
	e &= 0xFFFFFFFFull;
	if (!(e & X86_P))
		return PGSIM_ENTRY_INVALID;
	if (is_large(cfg, level, e)) {
		/* The only reserved bits of 32-bit paging (PAT is supported). */
		if (e & pse36_reserved(cfg->pa_bits))
			return PGSIM_ENTRY_RESERVED;
		*addr = pse36_addr(e, cfg->pa_bits);
		return PGSIM_ENTRY_LEAF;
	}
	*addr = e & 0xFFFFF000ull;
	return level == 0 ? PGSIM_ENTRY_LEAF : PGSIM_ENTRY_TABLE;
}

static uint64_t kind_addr_mask(const struct pgsim_cfg *cfg, int level, enum pgsim_entry_kind kind)
{
	if (kind == PGSIM_ENTRY_LEAF && level == 1)
		return 0xFFC00000ull | (((1ull << (cfg->pa_bits - 32)) - 1) << 13);
	return 0xFFFFF000ull;
}

static uint64_t type_bits(int level, enum pgsim_entry_kind kind)
{
	return (kind == PGSIM_ENTRY_LEAF && level == 1) ? (X86_P | X86_PS) : X86_P;
}

static uint64_t encode(const struct pgsim_cfg *cfg, int level, enum pgsim_entry_kind kind,
		       pgsim_pa_t addr, uint64_t flags)
{
	if (kind == PGSIM_ENTRY_INVALID)
		return flags & 0xFFFFFFFEull;
	uint64_t a = addr & 0xFFFFF000ull;
	if (kind == PGSIM_ENTRY_LEAF && level == 1)
		a = (addr & 0xFFC00000ull) |
		    (((addr >> 32) & ((1ull << (cfg->pa_bits - 32)) - 1)) << 13);
	return (type_bits(level, kind) | a | flags) & 0xFFFFFFFFull;
}

static uint64_t flags_of(const struct pgsim_cfg *cfg, int level, enum pgsim_entry_kind kind,
			 uint64_t e)
{
	e &= 0xFFFFFFFFull;
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
	{ "P", 0, 1, T | L, 0x3 },
	{ "RW", 1, 1, T | L, 0x3 },
	{ "US", 2, 1, T | L, 0x3 },
	{ "PWT", 3, 1, T | L, 0x3 },
	{ "PCD", 4, 1, T | L, 0x3 },
	{ "A", 5, 1, T | L, 0x3 },
	{ "D", 6, 1, L, 0x3 },
	{ "PS", 7, 1, T | L, 0x2 },
	{ "PAT", 7, 1, L, 0x1 },
	{ "G", 8, 1, L, 0x3 },
	{ "AVL", 9, 3, T | L, 0x3 },
	{ "PAT", 12, 1, L, 0x2 },
	{ "PA39_32", 13, 8, L, 0x2 },
};
#undef T
#undef L

static const struct pgsim_cpu_flag_desc cpu_flags[] = {
	{ "wp", PGSIM_CPU_WP, true, "CR0.WP: supervisor writes honour R/W" },
	{ "pse", PGSIM_CPU_PSE, true, "CR4.PSE: PDE.PS maps a 4 MiB page" },
	{ "smep", PGSIM_CPU_SMEP, false, "CR4.SMEP: no supervisor fetch from user pages" },
	{ "smap", PGSIM_CPU_SMAP, false, "CR4.SMAP: no supervisor data access to user pages" },
	{ "ac", PGSIM_CPU_AC, false, "EFLAGS.AC: lifts SMAP for explicit accesses" },
};

static const struct pgsim_va_geometry geometries[] = {
	{ 32, 1 },
};

const struct pgsim_arch pgsim_arch_ia32 = {
	.name = "ia32",
	.title = "ia32 32-bit paging (no PAE): 4K and 4M pages, PSE-36",
	.entry_bytes = 4,
	.page_lg2 = 12,
	.levels = 2,
	.level = {
		{ "PT", "PTE", 12, 10, true },
		{ "PD", "PDE", 22, 10, true },
	},
	.va_geometries = geometries,
	.n_va_geometries = 1,
	.va_rule = PGSIM_VA_ZERO_EXTEND,
	/* PSE-36 with M = 40 (QEMU always models it so). */
	.pa_bits_default = 40,
	.pa_bits_min = 32,
	.pa_bits_max = 40,
	.fields = fields,
	.n_fields = sizeof fields / sizeof fields[0],
	.cpu_flags = cpu_flags,
	.n_cpu_flags = sizeof cpu_flags / sizeof cpu_flags[0],
	.user_top = 0,
	.root_addr_size_fault = false,
	.ops = &ops,
};
