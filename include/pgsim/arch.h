/* pgsim: architecture descriptors.
 *
 * Each architecture is one const struct pgsim_arch in arch/<name>.c.  The
 * descriptor carries the geometry of every level, the named entry fields
 * (used to decode and print entries), address widths, the CPU controls the
 * architecture has, and the user/kernel split.
 *
 * Four small hooks remain code (ops): how an entry is classified at a level,
 * how table entries accumulate permission bits on the way down, what the
 * leaf's effective permissions are, and how a fault is reported.  The
 * manuals state these as algorithms that differ in structure (x86 ANDs
 * R/W and U/S over every level, AArch64 ORs APTable/XNTable bits, RISC-V
 * looks at the leaf only), so a table language able to express them would
 * be a small interpreter that is harder to check than the few lines each
 * hook is.  Generic code never asks which architecture it runs on.
 */
#ifndef PGSIM_ARCH_H
#define PGSIM_ARCH_H

#include "pgsim/types.h"

/* CPU controls that change the outcome of a walk.  One bit space shared by
 * all architectures; each descriptor lists the ones it honours. */
enum pgsim_cpu_flag {
	PGSIM_CPU_WP = 1u << 0,      /* x86 CR0.WP: supervisor writes honour R/W */
	PGSIM_CPU_PSE = 1u << 1,     /* ia32 CR4.PSE: 4 MiB pages */
	PGSIM_CPU_NXE = 1u << 2,     /* x86 EFER.NXE: XD bit honoured (else reserved) */
	PGSIM_CPU_SMEP = 1u << 3,    /* x86 CR4.SMEP */
	PGSIM_CPU_SMAP = 1u << 4,    /* x86 CR4.SMAP */
	PGSIM_CPU_AC = 1u << 5,      /* x86 EFLAGS.AC (SMAP override) */
	PGSIM_CPU_PAGE1GB = 1u << 6, /* x86_64 CPUID Page1GB: 1 GiB pages allowed */
	PGSIM_CPU_SUM = 1u << 7,     /* RISC-V sstatus.SUM */
	PGSIM_CPU_MXR = 1u << 8,     /* RISC-V sstatus.MXR */
	PGSIM_CPU_SVADE = 1u << 9,   /* RISC-V Svade: A=0 / D=0 faults (else hardware sets) */
	PGSIM_CPU_PAN = 1u << 10,    /* AArch64 PSTATE.PAN */
	PGSIM_CPU_WXN = 1u << 11,    /* AArch64 SCTLR_EL1.WXN */
	PGSIM_CPU_HA = 1u << 12,     /* AArch64 TCR_EL1.HA: hardware sets AF */
	PGSIM_CPU_HD = 1u << 13,     /* AArch64 TCR_EL1.HD: hardware dirty state (DBM) */
	PGSIM_CPU_PGE = 1u << 14,    /* x86 CR4.PGE: G bit honoured */
};

struct pgsim_cpu_flag_desc {
	const char *name;   /* as typed on the command line / in scenarios */
	uint32_t bit;       /* PGSIM_CPU_* */
	bool default_on;
	const char *help;
};

/* The walk configuration: which architecture and CPU state. */
struct pgsim_cfg {
	const struct pgsim_arch *arch;
	uint32_t flags;        /* PGSIM_CPU_* */
	unsigned va_bits;      /* translated VA width (AArch64: 64 - T0SZ) */
	unsigned pa_bits;      /* physical/output address width (x86 MAXPHYADDR, Arm IPS) */
	int top_level;         /* level the walk starts at (derived from va_bits) */
	unsigned top_index_bits; /* index bits of the top level (derived) */
};

struct pgsim_level_desc {
	const char *name;      /* the manual's name for this level's table, e.g. "PDPT", "L1" */
	const char *entry_name;/* name of an entry at this level, e.g. "PDPTE", "L1 descriptor" */
	uint8_t shift;         /* lowest VA bit indexed by this level */
	uint8_t index_bits;    /* index width when this level is not the top */
	bool leaf_ok;          /* the hardware allows a leaf (page/block) here */
};

/* A named bit field of an entry.  kinds/levels are masks (1u << kind,
 * 1u << level) saying where the field means something. */
struct pgsim_field_desc {
	const char *name;
	uint8_t pos;
	uint8_t width;
	uint8_t kinds;   /* 1u << PGSIM_ENTRY_TABLE and/or 1u << PGSIM_ENTRY_LEAF */
	uint8_t levels;  /* bit per level */
};

/* One supported VA width and the level the walk starts at. */
struct pgsim_va_geometry {
	unsigned va_bits;
	int top_level;
};

enum pgsim_va_rule {
	PGSIM_VA_ZERO_EXTEND, /* bits above va_bits must be 0 (ia32, AArch64 TTBR0) */
	PGSIM_VA_SIGN_EXTEND, /* bits above va_bits-1 copy bit va_bits-1 (x86_64, Sv39) */
};

/* Per-walk scratch the ops accumulate into (table attribute bits etc.). */
struct pgsim_acc {
	uint64_t and_bits; /* bits that must be set at every level (x86 R/W, U/S) */
	uint64_t or_bits;  /* bits that count when set at any level (x86 XD, Arm *Table) */
};

/* A fault as the architecture reports it. */
struct pgsim_fault {
	enum pgsim_fault_kind kind;
	int level;              /* level at which it was found; -1 before the first read */
	uint64_t code;          /* x86 #PF error code / AArch64 ESR_EL1 / RISC-V scause */
	pgsim_va_t addr;        /* CR2 / FAR_EL1 / stval */
	char text[96];          /* the architecture's own words, e.g. "#PF error 0x7" */
};

struct pgsim_arch_ops {
	/* Classify entry e read at level.  For TABLE stores the next table's
	 * physical address in *addr, for LEAF the frame's base address. */
	enum pgsim_entry_kind (*classify)(const struct pgsim_cfg *cfg, int level,
					  uint64_t e, pgsim_pa_t *addr);
	/* Fold a table entry's permission bits into acc (may be NULL). */
	void (*accumulate)(const struct pgsim_cfg *cfg, int level, uint64_t e,
			   struct pgsim_acc *acc);
	/* Effective PGSIM_P_* permissions of leaf e at level under acc. */
	unsigned (*perms)(const struct pgsim_cfg *cfg, int level, uint64_t e,
			  const struct pgsim_acc *acc);
	/* Accessed/dirty handling at the leaf, called after perms() with
	 * `permitted` = whether perms() allows the access.  Returns
	 * PGSIM_FAULT_ACCESS_FLAG when the access faults on A/D/AF (AArch64
	 * AF=0 without HA: reported even if not permitted, since the AF check
	 * comes first; RISC-V Svade: only when permitted), else
	 * PGSIM_FAULT_NONE with *out = the entry value the hardware leaves
	 * behind (A/D/AF set, DBM clearing AP[2]; *out = e when nothing
	 * changes or the access is not permitted).  The walker reports a
	 * permission fault itself when !permitted and this returns NONE. */
	enum pgsim_fault_kind (*leaf_ad)(const struct pgsim_cfg *cfg, int level,
					 uint64_t e, enum pgsim_access acc,
					 bool permitted, uint64_t *out);
	/* Entry value after the hardware used table entry e (x86 sets A);
	 * NULL when the architecture never writes table entries. */
	uint64_t (*table_ad)(const struct pgsim_cfg *cfg, int level, uint64_t e);
	/* Fill f->code and f->text for f->kind/f->level/f->addr. */
	void (*report)(const struct pgsim_cfg *cfg, enum pgsim_access acc,
		       bool user, struct pgsim_fault *f);
	/* Encode an entry of the given kind at level: type bits + address +
	 * flags (flags must not overlap the type or address bits). */
	uint64_t (*encode)(const struct pgsim_cfg *cfg, int level,
			   enum pgsim_entry_kind kind, pgsim_pa_t addr, uint64_t flags);
	/* The flag bits of e (everything encode() takes in `flags`). */
	uint64_t (*flags_of)(const struct pgsim_cfg *cfg, int level,
			     enum pgsim_entry_kind kind, uint64_t e);
	/* Short attribute text for a leaf (memory type, global, A/D ...) into
	 * buf; used by dumps to merge and print ranges. */
	void (*leaf_attrs)(const struct pgsim_cfg *cfg, int level, uint64_t e,
			   char *buf, size_t len);
};

struct pgsim_arch {
	const char *name;           /* "ia32", "x86_64", "aarch64", "sv39" */
	const char *title;          /* one line for --help */
	unsigned entry_bytes;       /* 4 or 8 */
	unsigned page_lg2;          /* smallest page: 12 */
	unsigned levels;            /* number of levels in the descriptor */
	struct pgsim_level_desc level[PGSIM_MAX_LEVELS];
	const struct pgsim_va_geometry *va_geometries; /* first is the default */
	unsigned n_va_geometries;
	enum pgsim_va_rule va_rule;
	unsigned pa_bits_default;
	unsigned pa_bits_min, pa_bits_max;
	const struct pgsim_field_desc *fields;
	unsigned n_fields;
	const struct pgsim_cpu_flag_desc *cpu_flags;
	unsigned n_cpu_flags;
	pgsim_va_t user_top;        /* first VA that is not user space (0 = none) */
	/* A root table address wider than pa_bits is an address size fault
	 * (AArch64 TTBR); elsewhere callers must reject such a root. */
	bool root_addr_size_fault;
	const struct pgsim_arch_ops *ops;
};

/* Registry. */
const struct pgsim_arch *pgsim_arch_find(const char *name);
const struct pgsim_arch *const *pgsim_arch_all(unsigned *n);
/* "ia32, x86_64, aarch64, sv39" */
const char *pgsim_arch_names(void);

/* Fill cfg with the architecture's defaults (flags that are on by default,
 * default VA width, default PA width). */
void pgsim_cfg_init(struct pgsim_cfg *cfg, const struct pgsim_arch *arch);
/* Change the VA width; -EINVAL if the architecture does not support it. */
int pgsim_cfg_set_va_bits(struct pgsim_cfg *cfg, unsigned va_bits);
/* Change the PA width; -EINVAL if out of the architecture's range. */
int pgsim_cfg_set_pa_bits(struct pgsim_cfg *cfg, unsigned pa_bits);
/* Set or clear a CPU flag by name; -ENOENT if the arch has no such flag. */
int pgsim_cfg_set_flag(struct pgsim_cfg *cfg, const char *name, bool on);

/* Geometry helpers. */
unsigned pgsim_level_index_bits(const struct pgsim_cfg *cfg, int level);
unsigned pgsim_level_index(const struct pgsim_cfg *cfg, int level, pgsim_va_t va);
/* Size (lg2) of the region one entry at `level` covers. */
static inline unsigned pgsim_level_size_lg2(const struct pgsim_arch *a, int level)
{
	return a->level[level].shift;
}
/* The VA is representable (canonical / in range) under cfg. */
bool pgsim_va_ok(const struct pgsim_cfg *cfg, pgsim_va_t va);
/* Extend a VA made of index bits [va_bits-1:0] to its canonical form. */
pgsim_va_t pgsim_va_canonical(const struct pgsim_cfg *cfg, pgsim_va_t va);
/* Highest canonical VA of the lower half and the size of the VA space. */
pgsim_va_t pgsim_va_last(const struct pgsim_cfg *cfg);

/* Field access by descriptor. */
const struct pgsim_field_desc *pgsim_field_find(const struct pgsim_arch *a,
						const char *name,
						enum pgsim_entry_kind kind, int level);
uint64_t pgsim_field_get(const struct pgsim_field_desc *f, uint64_t e);
uint64_t pgsim_field_set(const struct pgsim_field_desc *f, uint64_t e, uint64_t v);
/* "P RW US A" style list of the set single-bit fields and k=v multi-bit
 * fields valid for kind/level. */
void pgsim_entry_describe(const struct pgsim_cfg *cfg, int level,
			  enum pgsim_entry_kind kind, uint64_t e, char *buf, size_t len);

/* Check a descriptor's internal consistency (levels tile the VA exactly
 * once, fields fit the entry, ops present).  Returns 0 or -EINVAL and a
 * message in err. */
int pgsim_arch_selfcheck(const struct pgsim_arch *a, char *err, size_t len);

/* Permission bits as "rwx" for user and supervisor: "u:r-x s:rw-". */
void pgsim_perms_str(unsigned perms, char *buf, size_t len);

extern const struct pgsim_arch pgsim_arch_ia32;
extern const struct pgsim_arch pgsim_arch_x86_64;
extern const struct pgsim_arch pgsim_arch_aarch64;
extern const struct pgsim_arch pgsim_arch_sv39;

#endif
