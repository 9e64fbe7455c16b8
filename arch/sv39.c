/* pgsim: RISC-V Sv39 (RV64, 3 levels of 512 x 8-byte PTEs).
 *
 * Source of the rules: the RISC-V privileged spec, "Sv39: Page-Based
 * 39-bit Virtual-Memory System" and "Virtual Address Translation Process"
 * (with LEVELS = 3, PTESIZE = 8), the sstatus SUM/MXR text and the Svade /
 * Svpbmt / Svnapot chapters; QEMU's get_physical_address() and
 * raise_mmu_exception() (target/riscv/cpu_helper.c) where the spec leaves
 * room.  Level numbers are the spec's: level 0 maps 4 KiB pages, level 1
 * 2 MiB megapages, level 2 1 GiB gigapages.
 *
 * Not modelled: Svpbmt and Svnapot (a PTE using them page-faults, as on a
 * core without the extensions), Svadu/menvcfg.ADUE (the "svade" flag picks
 * between the two behaviours), Zicfiss shadow-stack pages (W=1 R=0 X=0 is
 * always reserved), PMP/PMA checks other than "the PTE is not in RAM",
 * M-mode and MPRV.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "pgsim/arch.h"

/* PTE bits (privileged spec, "Sv39 page table entry"). */
#define SV39_V (1ull << 0)
#define SV39_R (1ull << 1)
#define SV39_W (1ull << 2)
#define SV39_X (1ull << 3)
#define SV39_U (1ull << 4)
#define SV39_G (1ull << 5)
#define SV39_A (1ull << 6)
#define SV39_D (1ull << 7)
#define SV39_RSW_SHIFT 8
#define SV39_RSW_MASK (3ull << SV39_RSW_SHIFT)
#define SV39_PPN_SHIFT 10
#define SV39_PPN_BITS 44
#define SV39_PPN_MASK (((1ull << SV39_PPN_BITS) - 1) << SV39_PPN_SHIFT) /* 53:10 */
#define SV39_RES_MASK (0x7full << 54)                                    /* 60:54 */
#define SV39_PBMT_MASK (3ull << 61)                                      /* 62:61 */
#define SV39_N (1ull << 63)
#define SV39_PAGE_SHIFT 12
#define SV39_INDEX_BITS 9

#define KIND_T (1u << PGSIM_ENTRY_TABLE)
#define KIND_L (1u << PGSIM_ENTRY_LEAF)
#define ALL_LEVELS 0x7u

/* Physical address held in the PPN field. */
static pgsim_pa_t sv39_ppn_addr(uint64_t e)
{
	return ((e & SV39_PPN_MASK) >> SV39_PPN_SHIFT) << SV39_PAGE_SHIFT;
}

static enum pgsim_entry_kind sv39_classify(const struct pgsim_cfg *cfg, int level,
					   uint64_t e, pgsim_pa_t *addr)
{
	(void)cfg;
	/* Step 3 of the translation process: V=0 is a page fault and every
	 * other bit is free for software. */
	if (!(e & SV39_V))
		return PGSIM_ENTRY_INVALID;
	/* Still step 3: bits 60:54 are reserved for future standard use;
	 * PBMT and N page-fault on a core without Svpbmt / Svnapot (QEMU:
	 * PBMT without menvcfg.PBMTE, N without Svnapot). */
	if (e & (SV39_RES_MASK | SV39_PBMT_MASK | SV39_N))
		return PGSIM_ENTRY_RESERVED;
	/* R=0 W=1 (with or without X) is a reserved encoding. */
	if ((e & SV39_W) && !(e & SV39_R))
		return PGSIM_ENTRY_RESERVED;

	if (!(e & (SV39_R | SV39_X))) {
		/* Pointer.  Step 4: running out of levels is a page fault. */
		if (level == 0)
			return PGSIM_ENTRY_RESERVED;
		/* The spec reserves D, A and U in non-leaf PTEs for future use
		 * ("must be cleared by software").  QEMU >= 7.0 page-faults on
		 * them (get_physical_address, commit b6ecc63c); older QEMU and
		 * some cores ignore them.  We follow QEMU >= 7.0.  G is legal. */
		if (e & (SV39_A | SV39_D | SV39_U))
			return PGSIM_ENTRY_RESERVED;
		*addr = sv39_ppn_addr(e);
		return PGSIM_ENTRY_TABLE;
	}

	/* Leaf.  Step 5: a superpage whose PPN[level-1:0] is non-zero is
	 * misaligned, a page fault. */
	pgsim_pa_t pa = sv39_ppn_addr(e);
	unsigned low_bits = SV39_PAGE_SHIFT + SV39_INDEX_BITS * (unsigned)level;
	uint64_t low = (1ull << low_bits) - 1;
	if (pa & low)
		return PGSIM_ENTRY_RESERVED;
	*addr = pa & ~low;
	return PGSIM_ENTRY_LEAF;
}

/* Permissions come from the leaf alone (no hierarchical combination). */
static unsigned sv39_perms(const struct pgsim_cfg *cfg, int level, uint64_t e,
			   const struct pgsim_acc *acc)
{
	(void)level;
	(void)acc;
	bool r = e & SV39_R, w = e & SV39_W, x = e & SV39_X;
	/* sstatus.MXR: loads may read pages marked executable. */
	bool readable = r || (x && (cfg->flags & PGSIM_CPU_MXR));
	unsigned p = 0;

	if (e & SV39_U) {
		/* U-mode may use U=1 pages.  S-mode may load/store them only
		 * with sstatus.SUM=1 and never execute from them. */
		p |= (readable ? PGSIM_P_UR : 0) | (w ? PGSIM_P_UW : 0) |
		     (x ? PGSIM_P_UX : 0);
		if (cfg->flags & PGSIM_CPU_SUM)
			p |= (readable ? PGSIM_P_SR : 0) | (w ? PGSIM_P_SW : 0);
	} else {
		/* U=0 pages: supervisor only; U-mode always faults. */
		p |= (readable ? PGSIM_P_SR : 0) | (w ? PGSIM_P_SW : 0) |
		     (x ? PGSIM_P_SX : 0);
	}
	return p;
}

/* Step 9: A=0, or D=0 on a store.  With Svade it is a page fault; without
 * it the hardware sets A (and D on a store), as QEMU does when neither
 * Svade nor Svadu/ADUE is in effect and as xv6 relies on.  Only reached
 * for permitted accesses: the U/SUM/MXR and R/W/X checks (steps 6-8)
 * come first. */
static enum pgsim_fault_kind sv39_leaf_ad(const struct pgsim_cfg *cfg, int level,
					  uint64_t e, enum pgsim_access acc,
					  bool permitted, uint64_t *out)
{
	(void)level;
	bool store = acc == PGSIM_ACCESS_WRITE;

	*out = e;
	if (!permitted)
		return PGSIM_FAULT_NONE;
	if (cfg->flags & PGSIM_CPU_SVADE) {
		if (!(e & SV39_A) || (store && !(e & SV39_D)))
			return PGSIM_FAULT_ACCESS_FLAG;
		return PGSIM_FAULT_NONE;
	}
	*out = e | SV39_A | (store ? SV39_D : 0);
	return PGSIM_FAULT_NONE;
}

/* scause values (privileged spec, "Supervisor cause register"):
 * page faults 12/13/15, access faults 1/5/7, for fetch/load/store-AMO.
 * As raise_mmu_exception in QEMU: a PMP/PMA failure of a PTE read is an
 * access fault, everything else found by the walk is a page fault. */
static void sv39_report(const struct pgsim_cfg *cfg, enum pgsim_access acc,
			bool user, struct pgsim_fault *f)
{
	(void)cfg;
	(void)user; /* scause does not say which mode faulted */
	static const char *const what[] = {
		[PGSIM_ACCESS_READ] = "load",
		[PGSIM_ACCESS_WRITE] = "store/AMO",
		[PGSIM_ACCESS_EXEC] = "instruction",
	};
	static const uint64_t page_fault[] = {
		[PGSIM_ACCESS_READ] = 13,
		[PGSIM_ACCESS_WRITE] = 15,
		[PGSIM_ACCESS_EXEC] = 12,
	};
	static const uint64_t access_fault[] = {
		[PGSIM_ACCESS_READ] = 5,
		[PGSIM_ACCESS_WRITE] = 7,
		[PGSIM_ACCESS_EXEC] = 1,
	};
	unsigned a = (unsigned)acc <= PGSIM_ACCESS_EXEC ? (unsigned)acc : PGSIM_ACCESS_READ;
	bool bus = f->kind == PGSIM_FAULT_BUS;

	f->code = bus ? access_fault[a] : page_fault[a];
	snprintf(f->text, sizeof(f->text), "%s %s fault (scause %" PRIu64 ", stval 0x%016" PRIx64 ")",
		 what[a], bus ? "access" : "page", f->code, (uint64_t)f->addr);
}

/* encode/flags_of: the type bit is V (a pointer is V with R=W=X=0, a leaf
 * needs R or X in flags); the address goes to PPN[53:10]. */
static uint64_t sv39_encode(const struct pgsim_cfg *cfg, int level,
			    enum pgsim_entry_kind kind, pgsim_pa_t addr, uint64_t flags)
{
	(void)cfg;
	(void)level;
	if (kind == PGSIM_ENTRY_INVALID)
		return flags & ~SV39_V;
	return SV39_V | (((addr >> SV39_PAGE_SHIFT) << SV39_PPN_SHIFT) & SV39_PPN_MASK) | flags;
}

static uint64_t sv39_flags_of(const struct pgsim_cfg *cfg, int level,
			      enum pgsim_entry_kind kind, uint64_t e)
{
	(void)cfg;
	(void)level;
	if (kind == PGSIM_ENTRY_INVALID)
		return e & ~SV39_V;
	return e & ~(SV39_V | SV39_PPN_MASK);
}

/* "G A D RSW=2": the leaf bits that are neither permissions nor address. */
static void sv39_leaf_attrs(const struct pgsim_cfg *cfg, int level, uint64_t e,
			    char *buf, size_t len)
{
	(void)cfg;
	(void)level;
	char tmp[32] = "";
	size_t n = 0;
	if (e & SV39_G)
		n += (size_t)snprintf(tmp + n, sizeof(tmp) - n, "%sG", n ? " " : "");
	if (e & SV39_A)
		n += (size_t)snprintf(tmp + n, sizeof(tmp) - n, "%sA", n ? " " : "");
	if (e & SV39_D)
		n += (size_t)snprintf(tmp + n, sizeof(tmp) - n, "%sD", n ? " " : "");
	if (e & SV39_RSW_MASK)
		snprintf(tmp + n, sizeof(tmp) - n, "%sRSW=%u", n ? " " : "",
			 (unsigned)((e & SV39_RSW_MASK) >> SV39_RSW_SHIFT));
	if (len)
		snprintf(buf, len, "%s", tmp);
}

static const struct pgsim_arch_ops sv39_ops = {
	.classify = sv39_classify,
	.accumulate = NULL, /* permissions are leaf-only */
	.perms = sv39_perms,
	.leaf_ad = sv39_leaf_ad,
	.table_ad = NULL,   /* hardware never writes pointer PTEs */
	.report = sv39_report,
	.encode = sv39_encode,
	.flags_of = sv39_flags_of,
	.leaf_attrs = sv39_leaf_attrs,
};

/* Where a field means something: U/A/D are reserved in pointers, R/W/X
 * make an entry a leaf, PBMT/N are leaf attributes of extensions we do not
 * model (their presence page-faults, but naming them helps a dump). */
static const struct pgsim_field_desc sv39_fields[] = {
	{ "V", 0, 1, KIND_T | KIND_L, ALL_LEVELS },
	{ "R", 1, 1, KIND_L, ALL_LEVELS },
	{ "W", 2, 1, KIND_L, ALL_LEVELS },
	{ "X", 3, 1, KIND_L, ALL_LEVELS },
	{ "U", 4, 1, KIND_L, ALL_LEVELS },
	{ "G", 5, 1, KIND_T | KIND_L, ALL_LEVELS },
	{ "A", 6, 1, KIND_L, ALL_LEVELS },
	{ "D", 7, 1, KIND_L, ALL_LEVELS },
	{ "RSW", 8, 2, KIND_T | KIND_L, ALL_LEVELS },
	{ "PPN", 10, 44, KIND_T | KIND_L, ALL_LEVELS },
	{ "reserved", 54, 7, KIND_T | KIND_L, ALL_LEVELS },
	{ "PBMT", 61, 2, KIND_L, ALL_LEVELS },
	{ "N", 63, 1, KIND_L, ALL_LEVELS },
};

static const struct pgsim_cpu_flag_desc sv39_cpu_flags[] = {
	{ "sum", PGSIM_CPU_SUM, false,
	  "sstatus.SUM: S-mode may load/store (not execute) U=1 pages" },
	{ "mxr", PGSIM_CPU_MXR, false,
	  "sstatus.MXR: loads may read pages marked executable" },
	{ "svade", PGSIM_CPU_SVADE, false,
	  "Svade: A=0, or D=0 on a store, page-faults (off: hardware sets A/D, as QEMU)" },
};

static const struct pgsim_va_geometry sv39_va_geometries[] = {
	{ 39, 2 },
};

const struct pgsim_arch pgsim_arch_sv39 = {
	.name = "sv39",
	.title = "RISC-V Sv39: 3 levels, 4 KiB pages, 2 MiB megapages, 1 GiB gigapages",
	.entry_bytes = 8,
	.page_lg2 = 12,
	.levels = 3,
	.level = {
		{ "level 0", "level-0 PTE", 12, 9, true },
		{ "level 1", "level-1 PTE", 21, 9, true },
		{ "level 2", "level-2 PTE", 30, 9, true },
	},
	.va_geometries = sv39_va_geometries,
	.n_va_geometries = sizeof(sv39_va_geometries) / sizeof(sv39_va_geometries[0]),
	/* VA[63:39] must equal VA[38], else a page fault. */
	.va_rule = PGSIM_VA_SIGN_EXTEND,
	/* 44-bit PPN: 56-bit physical addresses. */
	.pa_bits_default = 56,
	.pa_bits_min = 56,
	.pa_bits_max = 56,
	.fields = sv39_fields,
	.n_fields = sizeof(sv39_fields) / sizeof(sv39_fields[0]),
	.cpu_flags = sv39_cpu_flags,
	.n_cpu_flags = sizeof(sv39_cpu_flags) / sizeof(sv39_cpu_flags[0]),
	.user_top = 0,
	.root_addr_size_fault = false,
	.ops = &sv39_ops,
};
