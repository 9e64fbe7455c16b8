/* pgsim: AArch64 VMSAv8-64, stage 1, EL1&0 regime, TTBR0 only, 4 KiB
 * granule, 8-byte descriptors (hw-formats.md section 2; Arm ARM DDI 0487
 * ch. D4/D5; behaviour cross-checked with QEMU target/arm/ptw.c
 * get_phys_addr_lpae / get_S1prot).
 *
 * Level numbering: our level 3 = Arm L0 (VA[47:39]), 2 = L1 ([38:30]),
 * 1 = L2 ([29:21]), 0 = L3 ([20:12]); faults are reported in Arm's numbers
 * (Arm level = 3 - our level).
 *
 * Not modelled: TTBR1 (the upper VA region), TBI, EPDn, TCR.HPDn (the
 * hierarchical APTable/XNTable controls are always applied), FEAT_LPA/LPA2
 * (so OA is at most 48 bits and level-0 blocks do not exist), FEAT_PAN3
 * (EPAN), FEAT_HAFT (AF in table descriptors), NSTable/NS (the model is
 * Non-secure only), stage 2, MAIR memory types beyond printing AttrIndx.
 */
#include <inttypes.h>
#include <stdio.h>

#include "pgsim/arch.h"

/* Descriptor bits (hw-formats.md 2.3). */
#define D_VALID      (1ull << 0)
#define D_TYPE       (1ull << 1)   /* 1 = table (L0-L2) / page (L3), 0 = block */
#define D_TYPE_MASK  (D_VALID | D_TYPE)
#define D_ATTRINDX_SHIFT 2
#define D_NS         (1ull << 5)
#define D_AP1        (1ull << 6)   /* AP[1]: EL0 access */
#define D_AP2        (1ull << 7)   /* AP[2]: read-only */
#define D_SH_SHIFT   8
#define D_AF         (1ull << 10)
#define D_NG         (1ull << 11)
#define D_GP         (1ull << 50)
#define D_DBM        (1ull << 51)
#define D_CONT       (1ull << 52)
#define D_PXN        (1ull << 53)
#define D_UXN        (1ull << 54)
/* Table descriptor upper attributes. */
#define T_PXNTABLE   (1ull << 59)
#define T_UXNTABLE   (1ull << 60)
#define T_APTABLE0   (1ull << 61)  /* no EL0 access below */
#define T_APTABLE1   (1ull << 62)  /* no write at any EL below */
#define T_NSTABLE    (1ull << 63)
#define T_HIER       (T_PXNTABLE | T_UXNTABLE | T_APTABLE0 | T_APTABLE1)

/* OA / next-level table address field, [47:12].  Bits [51:48] are ignored
 * with a 48-bit OA (QEMU masks them; ARMv8.0 listed them RES0). */
#define OA_MASK      0x0000fffffffff000ull

#define L_TABLE (1u << PGSIM_ENTRY_TABLE)
#define L_LEAF  (1u << PGSIM_ENTRY_LEAF)
/* our levels: 0 = L3, 1 = L2, 2 = L1, 3 = L0 */
#define LV_ALL   0x0fu
#define LV_TABLE 0x0eu   /* L0..L2 */
#define LV_LEAF  0x07u   /* L1..L3 */
#define LV_BLOCK 0x06u   /* L1, L2 */

static inline int arm_level(int level)
{
	return level < 0 ? 0 : 3 - level;
}

/* Address field of a leaf at `level`: the OA bits above the block/page
 * size.  Low OA bits of a block are RES0 and simply not part of the
 * address (QEMU masks them; hw-formats.md 2.3 note). */
static uint64_t leaf_oa_mask(const struct pgsim_cfg *cfg, int level)
{
	unsigned shift = cfg->arch->level[level].shift;
	return OA_MASK & ~((1ull << shift) - 1);
}

/* Arm ARM D5.3 (AArch64.BlockDescSupported, QEMU lpae_block_desc_valid):
 * with the 4 KiB granule and no LPA2 a block (bits[1:0] = 01) is allowed
 * at L1 and L2 only; at L0 and L3 it is a translation fault. */
static enum pgsim_entry_kind a64_classify(const struct pgsim_cfg *cfg, int level,
					  uint64_t e, pgsim_pa_t *addr)
{
	enum pgsim_entry_kind kind;
	uint64_t oa;

	if (!(e & D_VALID))
		return PGSIM_ENTRY_INVALID;
	if (e & D_TYPE) {
		kind = level > 0 ? PGSIM_ENTRY_TABLE : PGSIM_ENTRY_LEAF;
		oa = e & OA_MASK;
	} else {
		if (level != 1 && level != 2)
			return PGSIM_ENTRY_RESERVED;
		kind = PGSIM_ENTRY_LEAF;
		oa = e & leaf_oa_mask(cfg, level);
	}
	/* Output / next-table address wider than the OA size (TCR.IPS):
	 * address size fault at this level (QEMU: descaddr >> outputsize).
	 * The bits below a block's size are always below pa_bits >= 32. */
	if (cfg->pa_bits < 64 && ((e & OA_MASK) >> cfg->pa_bits) != 0)
		return PGSIM_ENTRY_ADDR_SIZE;
	if (addr)
		*addr = oa;
	return kind;
}

/* Hierarchical controls are OR-ed down the walk (QEMU: tableattrs |=
 * desc[63:59]).  TCR_EL1.HPD0 (FEAT_HPDS), which would disable them, is not
 * modelled: they always apply.  NSTable is kept in or_bits but ignored. */
static void a64_accumulate(const struct pgsim_cfg *cfg, int level, uint64_t e,
			   struct pgsim_acc *acc)
{
	acc->or_bits |= e & (T_HIER | T_NSTABLE);
}

/* Stage 1 EL1&0 permissions (hw-formats.md 2.4; Arm ARM D5.4; QEMU
 * get_S1prot for a two-range regime). */
/* TCR_EL1.HD enables hardware dirty-state management only together with
 * HA (Arm ARM, TCR_EL1.HD; AArch64.S1ApplyOutputPerms tests ha && hd;
 * QEMU aa64_va_parameters: hd = ha && hd). */
static bool dirty_state_on(const struct pgsim_cfg *cfg)
{
	return (cfg->flags & PGSIM_CPU_HA) && (cfg->flags & PGSIM_CPU_HD);
}

static unsigned a64_perms(const struct pgsim_cfg *cfg, int level, uint64_t e,
			  const struct pgsim_acc *acc)
{
	uint64_t t = acc ? acc->or_bits : 0;
	bool el0 = (e & D_AP1) && !(t & T_APTABLE0);   /* APTable[0] clears AP[1] */
	bool ro = (e & D_AP2) != 0;
	bool uxn = (e & D_UXN) || (t & T_UXNTABLE);
	bool pxn = (e & D_PXN) || (t & T_PXNTABLE);
	bool wxn = (cfg->flags & PGSIM_CPU_WXN) != 0;
	bool uw, pw;
	unsigned p;

	/* HD + DBM: a writable-clean page (AP[2]=1) counts as writable; the
	 * hardware clears AP[2] on the first write (leaf_ad).  Arm's
	 * pseudocode clears the effective AP[2] for every access; QEMU only
	 * pre-clears it for stores - the two differ only in WXN and the
	 * EL1-execute rule for such pages, where we follow the Arm ARM. */
	if (ro && (e & D_DBM) && dirty_state_on(cfg))
		ro = false;
	if (t & T_APTABLE1)                             /* APTable[1] sets AP[2] */
		ro = true;
	pw = !ro;
	uw = el0 && !ro;

	p = PGSIM_P_SR;
	if (pw)
		p |= PGSIM_P_SW;
	if (el0) {
		p |= PGSIM_P_UR;
		if (uw)
			p |= PGSIM_P_UW;
	}
	/* EL0 may execute without read access (execute-only memory). */
	if (!uxn && !(wxn && uw))
		p |= PGSIM_P_UX;
	/* EL1 never executes EL0-writable memory (QEMU: xn = pxn || user_rw
	 * & PAGE_WRITE); WXN: writable at EL1 => no EL1 execute. */
	if (!pxn && !uw && !(wxn && pw))
		p |= PGSIM_P_SX;
	/* PSTATE.PAN: EL1 data accesses to EL0-accessible pages fault; fetches
	 * are not affected (FEAT_PAN3/EPAN not modelled). */
	if ((cfg->flags & PGSIM_CPU_PAN) && el0)
		p &= ~(unsigned)(PGSIM_P_SR | PGSIM_P_SW);
	return p;
}

/* Access flag and dirty state (hw-formats.md 2.5 steps 4-5; QEMU
 * get_phys_addr_lpae).  AF=0 without TCR.HA is an access flag fault, and
 * as in QEMU it is checked before permissions, so it is reported even for
 * an access that would also be a permission fault (the newest Arm ARM's
 * priority is not confirmed, hw-formats.md section 8).  With HA, or HD and
 * DBM, the updated descriptor is written back only when the access is
 * permitted (QEMU writes new_descriptor after the permission check). */
static enum pgsim_fault_kind a64_leaf_ad(const struct pgsim_cfg *cfg, int level,
					 uint64_t e, enum pgsim_access acc,
					 bool permitted, uint64_t *out)
{
	uint64_t v = e;

	*out = e;
	if (!(e & D_AF)) {
		if (!(cfg->flags & PGSIM_CPU_HA))
			return PGSIM_FAULT_ACCESS_FLAG;
		v |= D_AF;
	}
	if (!permitted)
		return PGSIM_FAULT_NONE;
	if (acc == PGSIM_ACCESS_WRITE && dirty_state_on(cfg) &&
	    (e & D_DBM) && (e & D_AP2))
		v &= ~D_AP2;
	*out = v;
	return PGSIM_FAULT_NONE;
}

/* DFSC/IFSC base codes, level added (Arm ESR_ELx.ISS; QEMU arm_fi_to_lfsc). */
static unsigned fsc_base(enum pgsim_fault_kind k, const char **what)
{
	switch (k) {
	case PGSIM_FAULT_ADDRESS_SIZE:
		*what = "address size fault";
		return 0x00;
	case PGSIM_FAULT_ACCESS_FLAG:
		*what = "access flag fault";
		return 0x08;
	case PGSIM_FAULT_PERMISSION:
		*what = "permission fault";
		return 0x0c;
	case PGSIM_FAULT_BUS:
		*what = "external abort on walk";
		return 0x14;
	case PGSIM_FAULT_NOT_PRESENT:
	case PGSIM_FAULT_RESERVED:  /* bad block level: translation fault */
	case PGSIM_FAULT_VA_RANGE:  /* outside TTBR0's range: translation fault L0 */
	default:
		*what = "translation fault";
		return 0x04;
	}
}

/* ESR_EL1: EC [31:26], IL [25], ISS [24:0] with xFSC [5:0] and, for data
 * aborts, WnR [6] (hw-formats.md 2.6).  EC 0x20/0x21 instruction abort
 * from EL0 / EL1, 0x24/0x25 data abort from EL0 / EL1. */
static void a64_report(const struct pgsim_cfg *cfg, enum pgsim_access acc,
		       bool user, struct pgsim_fault *f)
{
	const char *what;
	bool exec = acc == PGSIM_ACCESS_EXEC;
	int lvl = arm_level(f->level);  /* -1 (VA range, TTBR) reports level 0 */
	unsigned fsc = fsc_base(f->kind, &what) + (unsigned)lvl;
	uint64_t ec = exec ? (user ? 0x20 : 0x21) : (user ? 0x24 : 0x25);
	uint64_t esr = ec << 26 | 1ull << 25 | fsc;

	if (!exec && acc == PGSIM_ACCESS_WRITE)
		esr |= 1ull << 6;
	f->code = esr;
	/* at most 87 characters: fits f->text */
	snprintf(f->text, sizeof f->text,
		 "%s Abort from EL%c: %s, level %c (%s 0x%02X, ESR 0x%08" PRIX32 ")",
		 exec ? "Instruction" : "Data", user ? '0' : '1', what,
		 (char)('0' + (lvl & 3)), exec ? "IFSC" : "DFSC", fsc & 0x3fu,
		 (uint32_t)esr);
}

/* Type bits and address field of `kind` at `level`. */
static uint64_t type_bits(int level, enum pgsim_entry_kind kind)
{
	switch (kind) {
	case PGSIM_ENTRY_TABLE:
	case PGSIM_ENTRY_ADDR_SIZE:
		return D_VALID | D_TYPE;
	case PGSIM_ENTRY_LEAF:
		return level == 0 ? (D_VALID | D_TYPE) : D_VALID;
	case PGSIM_ENTRY_RESERVED:
		return D_VALID;          /* 01 at L0 or L3 */
	case PGSIM_ENTRY_INVALID:
	default:
		return 0;
	}
}

static uint64_t addr_mask(const struct pgsim_cfg *cfg, int level,
			  enum pgsim_entry_kind kind)
{
	if (kind == PGSIM_ENTRY_INVALID)
		return 0;
	if (kind == PGSIM_ENTRY_LEAF)
		return leaf_oa_mask(cfg, level);
	return OA_MASK;
}

static uint64_t a64_encode(const struct pgsim_cfg *cfg, int level,
			   enum pgsim_entry_kind kind, pgsim_pa_t addr, uint64_t flags)
{
	uint64_t am = addr_mask(cfg, level, kind);

	if (kind == PGSIM_ENTRY_INVALID)
		return flags & ~D_VALID;
	return type_bits(level, kind) | (addr & am) | (flags & ~(am | D_TYPE_MASK));
}

static uint64_t a64_flags_of(const struct pgsim_cfg *cfg, int level,
			     enum pgsim_entry_kind kind, uint64_t e)
{
	if (kind == PGSIM_ENTRY_INVALID)
		return e & ~D_VALID;
	return e & ~(addr_mask(cfg, level, kind) | D_TYPE_MASK);
}

/* "AttrIndx=4 SH=3 nG AF": memory attributes that permissions do not
 * already express, in a fixed order. */
static void a64_leaf_attrs(const struct pgsim_cfg *cfg, int level, uint64_t e,
			   char *buf, size_t len)
{
	if (!len)
		return;
	snprintf(buf, len, "AttrIndx=%u SH=%u%s%s%s%s%s%s",
		 (unsigned)(e >> D_ATTRINDX_SHIFT) & 7u, (unsigned)(e >> D_SH_SHIFT) & 3u,
		 (e & D_NS) ? " NS" : "", (e & D_NG) ? " nG" : "",
		 (e & D_AF) ? " AF" : "", (e & D_DBM) ? " DBM" : "",
		 (e & D_GP) ? " GP" : "", (e & D_CONT) ? " Contiguous" : "");
}

static const struct pgsim_arch_ops a64_ops = {
	.classify = a64_classify,
	.accumulate = a64_accumulate,
	.perms = a64_perms,
	.leaf_ad = a64_leaf_ad,
	.table_ad = NULL,   /* no hardware update of table descriptors (no HAFT) */
	.report = a64_report,
	.encode = a64_encode,
	.flags_of = a64_flags_of,
	.leaf_attrs = a64_leaf_attrs,
};

static const struct pgsim_field_desc a64_fields[] = {
	{ "valid", 0, 1, L_TABLE | L_LEAF, LV_ALL },
	{ "type", 1, 1, L_TABLE | L_LEAF, LV_ALL },
	/* table descriptors (L0-L2) */
	{ "PXNTable", 59, 1, L_TABLE, LV_TABLE },
	{ "UXNTable", 60, 1, L_TABLE, LV_TABLE },
	{ "APTable", 61, 2, L_TABLE, LV_TABLE },
	{ "NSTable", 63, 1, L_TABLE, LV_TABLE },
	/* block (L1, L2) and page (L3) descriptors */
	{ "AttrIndx", 2, 3, L_LEAF, LV_LEAF },
	{ "NS", 5, 1, L_LEAF, LV_LEAF },
	{ "AP", 6, 2, L_LEAF, LV_LEAF },
	{ "SH", 8, 2, L_LEAF, LV_LEAF },
	{ "AF", 10, 1, L_LEAF, LV_LEAF },
	{ "nG", 11, 1, L_LEAF, LV_LEAF },
	{ "nT", 16, 1, L_LEAF, LV_BLOCK },
	{ "GP", 50, 1, L_LEAF, LV_LEAF },
	{ "DBM", 51, 1, L_LEAF, LV_LEAF },
	{ "Contiguous", 52, 1, L_LEAF, LV_LEAF },
	{ "PXN", 53, 1, L_LEAF, LV_LEAF },
	{ "UXN", 54, 1, L_LEAF, LV_LEAF },
	{ "SW", 55, 4, L_LEAF, LV_LEAF },
	{ "PBHA", 59, 4, L_LEAF, LV_LEAF },
};

static const struct pgsim_cpu_flag_desc a64_cpu_flags[] = {
	{ "pan", PGSIM_CPU_PAN, false, "PSTATE.PAN: EL1 data access to EL0-accessible pages faults" },
	{ "wxn", PGSIM_CPU_WXN, false, "SCTLR_EL1.WXN: writable implies execute-never" },
	{ "ha", PGSIM_CPU_HA, false, "TCR_EL1.HA: hardware sets the access flag" },
	{ "hd", PGSIM_CPU_HD, false, "TCR_EL1.HD: hardware dirty state via DBM (only together with ha)" },
};

/* 48-bit VA starts at L0; 39-bit (T0SZ=25) at L1 with 512 entries; 40-bit
 * (T0SZ=24) at L1 with 1024 entries, i.e. two concatenated 4 KiB tables,
 * as seL4's 40-bit AArch64 configuration uses. */
static const struct pgsim_va_geometry a64_va[] = {
	{ 48, 3 },
	{ 40, 2 },
	{ 39, 2 },
};

const struct pgsim_arch pgsim_arch_aarch64 = {
	.name = "aarch64",
	.title = "AArch64 VMSAv8-64 stage 1 EL1&0 (TTBR0), 4 KiB granule",
	.entry_bytes = 8,
	.page_lg2 = 12,
	.levels = 4,
	.level = {
		{ "L3", "L3 descriptor", 12, 9, true },
		{ "L2", "L2 descriptor", 21, 9, true },
		{ "L1", "L1 descriptor", 30, 9, true },
		{ "L0", "L0 descriptor", 39, 9, false },
	},
	.va_geometries = a64_va,
	.n_va_geometries = sizeof a64_va / sizeof a64_va[0],
	.va_rule = PGSIM_VA_ZERO_EXTEND,
	.pa_bits_default = 48,
	.pa_bits_min = 32,
	.pa_bits_max = 48,
	.fields = a64_fields,
	.n_fields = sizeof a64_fields / sizeof a64_fields[0],
	.cpu_flags = a64_cpu_flags,
	.n_cpu_flags = sizeof a64_cpu_flags / sizeof a64_cpu_flags[0],
	.user_top = 0,
	.root_addr_size_fault = true,
	.ops = &a64_ops,
};
