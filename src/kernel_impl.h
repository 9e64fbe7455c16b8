/* pgsim: internals of the seL4 kernel model (src/kernel*.c only).
 *
 * Kernel state lives in C structures: an object table, a cap table whose
 * entries are the named slots (with a CDT parent link each) and the ASID
 * table.  Paging-structure contents live in simulated memory only; the
 * per-architecture files read and write them there with their own
 * lookups, never through the walker.
 */
#ifndef PGSIM_KERNEL_IMPL_H
#define PGSIM_KERNEL_IMPL_H

#include <stdio.h>

#include "pgsim/kernel.h"

#define K_NONE UINT32_MAX

/* One seL4 object type of an architecture. */
struct ktype {
	struct pgsim_ktype_info info;
	const char *aliases[6];   /* extra scenario names, NULL-terminated */
	enum pgsim_klabel map_label, unmap_label; /* what libsel4's typed
						   * Map/Unmap for it send */
	/* tables: Arch_deriveCap's userError for an unmapped / unassigned
	 * cap of this type */
	const char *derive_msg;
};

/* the tail of a frame (or untyped) type: its labels, no derive message */
#define K_FRAME_LABELS PGSIM_KL_PAGE_MAP, PGSIM_KL_PAGE_UNMAP, NULL
/* a table type's labels; its derive message follows */
#define K_PT_LABELS PGSIM_KL_PAGE_TABLE_MAP, PGSIM_KL_PAGE_TABLE_UNMAP
/* seL4_UntypedObject, object type 0 on every architecture; the first
 * entry of every type table */
#define K_UNTYPED_TYPE { { "seL4_UntypedObject", "untyped", PGSIM_KOBJ_UNTYPED, 0, 0, false, -1 }, \
			 { NULL }, K_FRAME_LABELS }

struct kobj {
	const struct ktype *type;  /* NULL: ASID control */
	pgsim_pa_t pa;
	unsigned size_lg2;
	bool device;
	uint32_t *pool;            /* ASID pool: root object per ASID low bits */
	uint32_t n_caps;           /* live caps naming this object */
};

struct kcap {
	char *slot;                /* NULL: empty entry (slot name freed) */
	enum pgsim_kcap_type type;
	uint32_t obj;
	uint32_t parent;           /* CDT parent (cap index) or K_NONE */
	bool revocable;            /* seL4 mdbRevocable */
	uint32_t n_children;       /* live caps whose parent this is */
	uint32_t mdb_prev, mdb_next; /* seL4's MDB list order */
	/* frames */
	enum pgsim_vm_rights rights;
	/* frames and tables */
	bool mapped;
	uint32_t asid;
	pgsim_va_t vaddr;
	enum pgsim_vm_rights map_rights;
	uint64_t map_attr;
	/* untyped: FREE_INDEX_TO_OFFSET(capFreeIndex) */
	uint64_t free_bytes;
	/* ASID pool */
	uint32_t asid_base;
};

/* A decoded invocation: the caps resolved, the words as given. */
struct kinv {
	enum pgsim_klabel label;
	uint32_t ci;               /* invoked cap (index; K_NONE = null cap) */
	unsigned n_words;
	uint64_t w[6];
	unsigned n_extra;
	uint32_t extra[2];         /* K_NONE = null cap */
	const char *extra_name[2];
	const char *const *dest;
	unsigned n_dest;
};

struct karch;

struct karch_ops {
	/* decode + perform for a frame / paging-structure cap */
	int (*frame)(struct pgsim_kernel *k, const struct kinv *inv, struct pgsim_kres *r);
	int (*table)(struct pgsim_kernel *k, const struct kinv *inv, struct pgsim_kres *r);
	/* unmapPage for a frame cap's recorded mapping (stale-safe) */
	int (*unmap_page)(struct pgsim_kernel *k, const struct kcap *c);
	/* unmapPageTable (x86: also unmapPageDirectory / unmapPDPT) for a
	 * table cap's recorded mapping: clear the parent slot if it still
	 * points at the table */
	int (*unlink_table)(struct pgsim_kernel *k, const struct kcap *c);
	/* finalise a table cap (final): unlink from its parent or deleteASID */
	int (*finalise_table)(struct pgsim_kernel *k, const struct kcap *c);
	/* a new object was created (x86: copy the kernel's global entries
	 * into a new root) */
	int (*created)(struct pgsim_kernel *k, uint32_t obj);
	/* a root was assigned an ASID (RISC-V copies global entries here) */
	int (*assigned)(struct pgsim_kernel *k, uint32_t obj);
	/* the VMFault message for a walker fault */
	int (*vm_fault)(const struct pgsim_kernel *k, const struct pgsim_fault *f,
			enum pgsim_access acc, uint64_t ip, struct pgsim_vm_fault *out);
	/* adjust k->types for the build options (may be NULL) */
	void (*setup)(struct pgsim_kernel *k);
	/* map helper: paging-structure type for a failed level, or NULL */
	const struct ktype *(*type_for_bits)(const struct pgsim_kernel *k, unsigned bits_left);
};

struct kattr_name {
	const char *name;
	uint64_t bits;
};

/* The entry format the lookupPTSlot-style walks of kernel_pt.c read
 * (AArch64, RISC-V): a next-level table pointer, a page (or block)
 * mapping, and the address either one holds. */
struct kpte_fmt {
	bool (*is_table)(uint64_t e);
	bool (*is_page)(uint64_t e);
	pgsim_pa_t (*addr)(uint64_t e);
};

/* Per-architecture seL4 data, keyed by the walker's descriptor. */
struct karch {
	const struct pgsim_arch *arch;
	const char *prefix;            /* label prefix: "X86", "ARM", "RISCV" */
	const struct ktype *types;
	unsigned n_types;
	unsigned n_pools_bits;         /* seL4_NumASIDPoolsBits */
	unsigned pool_index_bits;      /* seL4_ASIDPoolIndexBits */
	unsigned min_untyped_bits, max_untyped_bits;
	unsigned word_bits;
	pgsim_va_t user_top;           /* the kernel's USER_TOP (2.3) */
	uint64_t default_attr;
	uint64_t xn_attr;              /* the ExecuteNever attribute bit, 0 = none */
	const struct kattr_name *attrs;
	unsigned rights_enc[3];        /* encoding of KernelOnly, RO, RW */
	pgsim_pa_t kernel_tables_pa;   /* default for opts.kernel_tables_pa */
	unsigned kwin_first, kwin_n;   /* root indices holding kernel entries */
	const struct kpte_fmt *pte;    /* NULL: x86's fixed-level lookups */
	bool derive_clears_vaddr;      /* Arch_deriveCap of a frame zeroes the
					* recorded vaddr too (RISC-V) */
	bool unmap_clears_unmapped;    /* Page_Unmap of an unmapped frame cap
					* still zeroes its recorded mapping
					* (AArch64, RISC-V); x86 leaves it */
	const struct karch_ops *ops;
};

extern const struct karch karch_ia32;
extern const struct karch karch_x86_64;
extern const struct karch karch_aarch64;
extern const struct karch karch_sv39;

struct slot_hash {
	uint32_t *tab;    /* cap index per bucket, K_NONE empty */
	size_t cap;       /* buckets (power of two) */
	size_t used;      /* live + tombstones */
};

struct pgsim_kernel {
	const struct pgsim_cfg *cfg;
	struct pgsim_mem *mem;
	const struct karch *ka;
	struct pgsim_kernel_opts opts;
	struct ktype *types;      /* copy of ka->types with build numbers */
	struct kobj *objs;
	uint32_t n_objs, max_objs;
	struct kcap *caps;
	uint32_t n_caps, max_caps;
	uint32_t n_live;
	uint32_t mdb_tail;        /* last cap in MDB order, K_NONE */
	struct slot_hash hash;
	uint32_t *asid_table;     /* pool object per pool index, K_NONE */
	pgsim_pa_t ktables_pa;
};

/* ---- kernel.c: slots, caps, objects, results --------------------------- */
uint32_t k_slot_find(const struct pgsim_kernel *k, const char *slot);
/* A new cap in the empty slot `slot` (caller checked emptiness), with CDT
 * parent `parent`, placed in the MDB list right after `after` (cteInsert /
 * insertNewCap) or at the end (K_NONE, boot caps). */
int k_cap_new(struct pgsim_kernel *k, const char *slot, enum pgsim_kcap_type type,
	      uint32_t obj, uint32_t parent, uint32_t after, uint32_t *out);
/* Move the cap to the empty slot `slot`, keeping its CDT links. */
int k_cap_rename(struct pgsim_kernel *k, uint32_t ci, const char *slot);
/* Empty the cap's slot (emptySlot): children move to its parent. */
void k_cap_clear(struct pgsim_kernel *k, uint32_t ci);
int k_obj_new(struct pgsim_kernel *k, const struct ktype *t, pgsim_pa_t pa,
	      unsigned size_lg2, bool device, uint32_t *out);
bool k_has_children(const struct pgsim_kernel *k, uint32_t ci);
/* isFinalCapability: no other cap names the same object. */
bool k_is_final(const struct pgsim_kernel *k, uint32_t ci);
static inline struct kcap *k_cap(struct pgsim_kernel *k, uint32_t ci)
{
	return ci == K_NONE ? NULL : &k->caps[ci];
}
/* isVTableRoot: a cap to a vspace-root type (RISC-V: any PT);
 * isValidNativeRoot adds "assigned". */
static inline bool k_is_vtable_root(const struct pgsim_kernel *k, const struct kcap *c)
{
	return c->type == PGSIM_KCAP_TABLE && k->objs[c->obj].type->info.root;
}
static inline bool k_is_valid_native_root(const struct pgsim_kernel *k, const struct kcap *c)
{
	return k_is_vtable_root(k, c) && c->mapped;
}
static inline const struct kobj *k_obj_of(const struct pgsim_kernel *k, const struct kcap *c)
{
	return &k->objs[c->obj];
}

/* ---- kernel_result.c ---- */
bool k_name_eq(const char *a, const char *b);
void k_res_ok(struct pgsim_kres *r);
void k_note_write_only(struct pgsim_kres *r, enum pgsim_vm_rights have, unsigned req);
void k_err(struct pgsim_kres *r, enum pgsim_sel4_err e, const char *msg);
void k_err_arg(struct pgsim_kres *r, unsigned arg, const char *msg);
void k_err_cap(struct pgsim_kres *r, unsigned cap, const char *msg);
void k_err_range(struct pgsim_kres *r, uint64_t min, uint64_t max, const char *msg);
void k_err_missing(struct pgsim_kres *r, unsigned bits_left, bool source, const char *msg);
void k_err_invalid_root(struct pgsim_kres *r, const char *msg);
void k_err_memory(struct pgsim_kres *r, uint64_t left, const char *msg);

/* Entry access in simulated memory (entry_bytes wide). */
int k_read_entry(const struct pgsim_kernel *k, pgsim_pa_t pa, uint64_t *v);
int k_write_entry(struct pgsim_kernel *k, pgsim_pa_t pa, uint64_t v);
/* clearMemory of an object's bytes. */
int k_zero(struct pgsim_kernel *k, pgsim_pa_t pa, uint64_t len);
/* Index of va at hardware level `level` of cfg's geometry. */
uint64_t k_index(const struct pgsim_kernel *k, int level, pgsim_va_t va);
/* The root's level, and the shift (bitsLeft) of a level. */
static inline int k_top_level(const struct pgsim_kernel *k)
{
	return (int)k->cfg->arch->levels - 1;
}
static inline unsigned k_level_shift(const struct pgsim_kernel *k, int level)
{
	return k->cfg->arch->level[level].shift;
}
unsigned k_rights_enc(const struct pgsim_kernel *k, enum pgsim_vm_rights r);
/* All ones in the machine word (ia32: the low 32 bits): the kernel's
 * word_t arithmetic wraps there. */
static inline uint64_t k_word_mask(const struct pgsim_kernel *k)
{
	return k->ka->word_bits == 64 ? UINT64_MAX : (1ull << k->ka->word_bits) - 1;
}

/* ---- kernel_asid.c ----------------------------------------------------- */
/* findVSpaceForASID: the root object, or K_NONE (lookup fault InvalidRoot). */
uint32_t k_find_vspace(const struct pgsim_kernel *k, uint32_t asid);
void k_delete_asid(struct pgsim_kernel *k, uint32_t asid, uint32_t root_obj);
void k_delete_pool(struct pgsim_kernel *k, uint32_t pool_obj, uint32_t asid_base);
int k_decode_make_pool(struct pgsim_kernel *k, const struct kinv *inv, struct pgsim_kres *r);
int k_decode_assign(struct pgsim_kernel *k, const struct kinv *inv, struct pgsim_kres *r);
int k_boot_pool(struct pgsim_kernel *k, const char *slot);

/* ---- kernel_untyped.c -------------------------------------------------- */
int k_decode_retype(struct pgsim_kernel *k, const struct kinv *inv, struct pgsim_kres *r);

/* ---- kernel_cnode.c ---------------------------------------------------- */
/* cteDelete of one slot (finaliseCap + emptySlot). */
int k_delete_slot(struct pgsim_kernel *k, uint32_t ci);

/* ---- kernel_frame.c: steps every architecture's decoder shares -------- */
/* The Map decoders' findVSpaceForASID for the vspace cap vs, and the check
 * that the ASID still names vs's root: the root object, or K_NONE with r
 * set (FailedLookup InvalidRoot with no_root_msg, else InvalidCapability 1
 * with other_root_msg). */
uint32_t k_decode_root(const struct pgsim_kernel *k, const struct kcap *vs,
		       struct pgsim_kres *r, const char *no_root_msg, const char *other_root_msg);
/* An arch's Page_Map decode + perform; *masked says maskVMRights has run. */
typedef int (*k_page_map_fn)(struct pgsim_kernel *k, const struct kinv *inv,
			     struct pgsim_kres *r, bool *masked);
/* Page_Map through `map`, then maskVMRights' write-only warning. */
int k_page_map(struct pgsim_kernel *k, const struct kinv *inv, struct pgsim_kres *r,
	       k_page_map_fn map);
/* perform*PageInvocationMap / perform*PageTableInvocationMap: write the
 * entry the decode built into its slot, store the cap it updated. */
int k_perform_page_map(struct pgsim_kernel *k, struct kcap *c, pgsim_pa_t slot, uint64_t entry,
		       uint32_t asid, pgsim_va_t vaddr, enum pgsim_vm_rights rights,
		       uint64_t attr, struct pgsim_kres *r);
int k_perform_table_map(struct pgsim_kernel *k, struct kcap *c, pgsim_pa_t slot, uint64_t entry,
			uint32_t asid, pgsim_va_t vaddr, struct pgsim_kres *r);
/* Page_Unmap (performPageInvocationUnmap / performX86FrameInvocationUnmap). */
int k_page_unmap(struct pgsim_kernel *k, struct kcap *c, struct pgsim_kres *r);
/* Page_GetAddress (performPageGetAddress). */
int k_page_get_address(const struct pgsim_kernel *k, const struct kcap *c, struct pgsim_kres *r);
/* PageTable_Unmap's perform (performPageTableInvocationUnmap and x86's
 * PD / PDPT twins), after the arch's decode checks. */
int k_perform_table_unmap(struct pgsim_kernel *k, struct kcap *c, struct pgsim_kres *r);
/* Arch_finaliseCap for a final, mapped table cap whose type says whether
 * it is a root (AArch64, x86): deleteASID, else unmap from the parent. */
int k_finalise_table(struct pgsim_kernel *k, const struct kcap *c);

/* ---- kernel_pt.c: AArch64 / RISC-V walks (karch.pte) ------------------- */
struct kpt_slot {
	pgsim_pa_t pa;             /* the slot */
	unsigned bits;             /* ptBitsLeft there */
	uint64_t e;                /* the entry it holds */
};
/* lookupPTSlot from the root table at `root`. */
int k_pt_lookup(const struct pgsim_kernel *k, pgsim_pa_t root, pgsim_va_t va, struct kpt_slot *s);
/* The frame cap's recorded mapping is still in its slot: 1 (and *s), 0
 * when not, <0 on a memory error. */
int k_pt_find_page(const struct pgsim_kernel *k, pgsim_pa_t root, const struct kcap *c,
		   struct kpt_slot *s);
/* unmapPage / unmapPageTable (the unmap_page / unlink_table ops). */
int k_pt_unmap_page(struct pgsim_kernel *k, const struct kcap *c);
int k_pt_unlink_table(struct pgsim_kernel *k, const struct kcap *c);

/* ---- kernel_invoke.c --------------------------------------------------- */
int k_invoke(struct pgsim_kernel *k, const struct kinv *inv, struct pgsim_kres *r);

#endif
