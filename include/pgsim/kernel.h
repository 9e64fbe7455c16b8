/* pgsim: a model of the seL4 kernel's VSpace interface.
 *
 * Objects (untyped memory, paging structures, frames, ASID pools), caps in
 * named slots with the capability derivation tree, and every VSpace
 * invocation with the kernel's decode checks in the kernel's order.  The
 * model keeps kernel state (caps, ASID table) in C structures and writes
 * page-table entries into simulated memory exactly as seL4's make*PTE
 * functions build them; it finds its slots with its own lookups (like the
 * kernel's lookupPTSlot) and never asks the reference walker.  The facts it
 * follows are in spec/sel4-vspace.md (seL4 16.0.0-dev).
 *
 * Conventions:
 * - Slots are named by strings (a scenario says `cap: pdpt`).  A name that
 *   was never filled, or whose cap was deleted, is an empty slot and holds
 *   a null cap, as an empty CNode slot would.  (seL4 raises a cap fault
 *   only for a cptr that does not resolve to a slot at all; with named slots
 *   every name resolves, so invoking an empty slot is InvalidCapability(0),
 *   exactly what seL4 answers for a null cap.)
 * - A seL4 outcome (success or an seL4_Error with its extra words) is a
 *   value in struct pgsim_kres.  Functions return 0 when the invocation ran
 *   (whatever seL4 answered), and -errno only for failures of pgsim itself
 *   or misuse (-ENOMEM, -EINVAL for a NULL name, -ENOENT for an unknown
 *   object-type name, -EFAULT when simulated memory refuses a write).
 * - Rights arguments are seL4_CapRights_t words (PGSIM_SEL4_CAN_*), VM
 *   attributes are the architecture's seL4_*_VMAttributes word.
 *
 * Not modelled: TCB / endpoint / notification / CNode objects (a Retype by
 * their number is -ENOTSUP), the VSpace-root flush invocations, the effect
 * of ARM Page cache maintenance (its decode checks are modelled), x86
 * IOMMU / EPT mappings, AArch64 hypervisor (stage-2) configurations, SMP
 * TLB-bitmap kernel entries.  The capability derivation tree keeps seL4's
 * MDB list order, so Revoke deletes in the kernel's order.
 */
#ifndef PGSIM_KERNEL_H
#define PGSIM_KERNEL_H

#include "pgsim/arch.h"
#include "pgsim/mem.h"

/* ---- seL4 errors and invocation results ------------------------------ */

/* seL4_Error (libsel4 errors.h). */
enum pgsim_sel4_err {
	PGSIM_SEL4_NO_ERROR = 0,
	PGSIM_SEL4_INVALID_ARGUMENT = 1,
	PGSIM_SEL4_INVALID_CAPABILITY = 2,
	PGSIM_SEL4_ILLEGAL_OPERATION = 3,
	PGSIM_SEL4_RANGE_ERROR = 4,
	PGSIM_SEL4_ALIGNMENT_ERROR = 5,
	PGSIM_SEL4_FAILED_LOOKUP = 6,
	PGSIM_SEL4_TRUNCATED_MESSAGE = 7,
	PGSIM_SEL4_DELETE_FIRST = 8,
	PGSIM_SEL4_REVOKE_FIRST = 9,
	PGSIM_SEL4_NOT_ENOUGH_MEMORY = 10,
	PGSIM_SEL4_NUM_ERRORS = 11,
};

/* seL4_LookupFailureType (the value user space sees in MR1). */
enum pgsim_sel4_lookup {
	PGSIM_SEL4_LOOKUP_NONE = 0,
	PGSIM_SEL4_LOOKUP_INVALID_ROOT = 1,
	PGSIM_SEL4_LOOKUP_MISSING_CAPABILITY = 2,
	PGSIM_SEL4_LOOKUP_DEPTH_MISMATCH = 3,
	PGSIM_SEL4_LOOKUP_GUARD_MISMATCH = 4,
};

/* The outcome of one invocation.  Only the fields of err are meaningful;
 * mr[]/n_mr hold the reply exactly as seL4's setMRs_syscall_error /
 * setMRs_lookup_failure write it (label = err). */
struct pgsim_kres {
	enum pgsim_sel4_err err;
	unsigned arg;            /* InvalidArgument: invalidArgumentNumber */
	unsigned cap;            /* InvalidCapability: invalidCapNumber */
	uint64_t range_min;      /* RangeError */
	uint64_t range_max;
	bool lookup_source;      /* FailedLookup: failedLookupWasSource */
	enum pgsim_sel4_lookup lookup; /* FailedLookup: lookup failure type */
	unsigned bits_left;      /* MissingCapability: bitsLeft, i.e. the
				  * failed-lookup level that
				  * seL4_MappingFailedLookupLevel() returns */
	uint64_t memory_left;    /* NotEnoughMemory: memoryLeft */
	unsigned n_mr;
	uint64_t mr[4];
	/* On success: Page_GetAddress -> physical address; ASIDPool_Assign ->
	 * the ASID given; ASIDControl_MakePool -> the pool's ASID base;
	 * ia32 PageDirectory_GetStatusBits -> bit0 accessed, bit1 dirty. */
	uint64_t value;
	/* The kernel's userError() text for this outcome, or "" (debug
	 * builds print it; it is informative, not part of the ABI). */
	char msg[112];
};

/* "seL4_FailedLookup"; NULL if out of range. */
const char *pgsim_sel4_err_name(enum pgsim_sel4_err e);
/* Accepts "seL4_FailedLookup", "FailedLookup" or "failed_lookup"
 * (case-insensitive); -ENOENT when unknown. */
int pgsim_sel4_err_parse(const char *name, enum pgsim_sel4_err *e);
/* "seL4_MissingCapability" */
const char *pgsim_sel4_lookup_name(enum pgsim_sel4_lookup l);
/* One line: "seL4_NoError", "seL4_FailedLookup (seL4_MissingCapability,
 * bitsLeft 30)", "seL4_InvalidCapability (cap 1)" ... */
void pgsim_kres_str(const struct pgsim_kres *r, char *buf, size_t len);

/* seL4_CapRights_t bits (bit0 write, bit1 read, bit2 grant, bit3 grant
 * reply). */
enum {
	PGSIM_SEL4_CAN_WRITE = 1u << 0,
	PGSIM_SEL4_CAN_READ = 1u << 1,
	PGSIM_SEL4_CAN_GRANT = 1u << 2,
	PGSIM_SEL4_CAN_GRANT_REPLY = 1u << 3,
	PGSIM_SEL4_ALL_RIGHTS = 0xf,
	PGSIM_SEL4_READ_WRITE = 0x3,
};

/* The VM rights a frame cap carries (maskVMRights' range).  Generic
 * values; each architecture's internal encoding is reported separately. */
enum pgsim_vm_rights {
	PGSIM_VM_KERNEL_ONLY = 0,
	PGSIM_VM_READ_ONLY = 1,
	PGSIM_VM_READ_WRITE = 2,
};
/* "VMKernelOnly", "VMReadOnly", "VMReadWrite" */
const char *pgsim_vm_rights_name(enum pgsim_vm_rights r);
/* As seL4's maskVMRights (identical on all architectures, spec 1.3). */
enum pgsim_vm_rights pgsim_vm_rights_mask(enum pgsim_vm_rights have, unsigned cap_rights);

/* ---- the kernel ------------------------------------------------------- */

struct pgsim_kernel;

struct pgsim_kernel_opts {
	bool smp;           /* AArch64: cacheable leaves get SH = inner shareable */
	bool no_huge_page;  /* x86_64 built without KernelHugePage: no 1 GiB frames */
	bool mcs;           /* MCS build: object-type numbers +2, VMFault label 6 */
	/* Slot names of the boot caps; NULL = "asid_control", "asid_pool". */
	const char *asid_control_slot;
	const char *asid_pool_slot;
	/* The initial thread owns ASID 1 of pool 0 (IT_ASID): the first
	 * Assign through the boot pool then yields ASID 2, as on a booted
	 * system.  Off: the first Assign yields ASID 1. */
	bool it_asid_reserved;
	/* Physical address of the kernel's own global tables (x86_64 PDPT,
	 * ia32 kernel PT, ...) that the kernel entries copied into every
	 * vspace root point at; 0 = the per-architecture default.  The model
	 * never writes these tables, it only points at them. */
	pgsim_pa_t kernel_tables_pa;
};

/* A kernel for cfg's architecture over mem (both must outlive it).  The
 * boot caps ASID control and the initial ASID pool (pool 0) are placed in
 * their slots.  -ENOTSUP for an architecture or configuration the model
 * does not cover (e.g. an AArch64 VA width other than 48). */
int pgsim_kernel_new(const struct pgsim_cfg *cfg, struct pgsim_mem *mem,
		     const struct pgsim_kernel_opts *opts, struct pgsim_kernel **out);
void pgsim_kernel_free(struct pgsim_kernel *k);
const struct pgsim_cfg *pgsim_kernel_cfg(const struct pgsim_kernel *k);
struct pgsim_mem *pgsim_kernel_mem(const struct pgsim_kernel *k);

/* Put a boot untyped cap for [pa, pa + 2^size_lg2) in `slot`, as the boot
 * info hands it to the initial thread (its watermark says "full", so the
 * first Retype resets it, which zeroes non-device memory).  -EINVAL when
 * pa is not aligned or size_lg2 is outside seL4_MinUntypedBits ..
 * seL4_MaxUntypedBits; -EEXIST when the slot is occupied. */
int pgsim_kernel_add_untyped(struct pgsim_kernel *k, const char *slot,
			     pgsim_pa_t pa, unsigned size_lg2, bool device);

/* ---- object types ----------------------------------------------------- */

enum pgsim_kobj_kind {
	PGSIM_KOBJ_UNTYPED,
	PGSIM_KOBJ_FRAME,
	PGSIM_KOBJ_TABLE,       /* any paging structure, roots included */
	PGSIM_KOBJ_ASID_POOL,   /* made by ASIDControl_MakePool, not Retype */
	PGSIM_KOBJ_ASID_CONTROL,
};

struct pgsim_ktype_info {
	const char *sel4_name;  /* "seL4_X86_PDPTObject" */
	const char *name;       /* scenario name: "pdpt" */
	enum pgsim_kobj_kind kind;
	unsigned size_lg2;      /* object size (untyped: 0 = caller chooses) */
	unsigned number;        /* seL4 object-type enum value of this build */
	bool root;              /* a vspace root type (RISC-V: the PT type,
				 * which becomes a root when assigned) */
	int level;              /* tables: hardware level the type sits at,
				 * -1 = any non-root level (AArch64/RISC-V
				 * PageTable); frames: leaf level */
};

/* Object types of this kernel's architecture, in seL4 enum order. */
unsigned pgsim_kernel_n_types(const struct pgsim_kernel *k);
const struct pgsim_ktype_info *pgsim_kernel_type(const struct pgsim_kernel *k, unsigned i);
/* Find a type by its seL4 name ("seL4_X86_PDPTObject", also without the
 * seL4_ prefix or "Object" suffix), its scenario name, or a portable alias:
 * "untyped", "vspace" (the root type), "page_table" / "pt",
 * "page_directory" / "pd", "pdpt", "pml4", "frame" / "frame_4k" /
 * "small_page", "large_page" / "frame_2m" (ia32: "frame_4m"),
 * "huge_page" / "frame_1g".  Case-insensitive.  NULL when this
 * architecture has no such type. */
const struct pgsim_ktype_info *pgsim_kernel_type_find(const struct pgsim_kernel *k,
						     const char *name);

/* ---- caps ------------------------------------------------------------- */

enum pgsim_kcap_type {
	PGSIM_KCAP_NULL = 0,
	PGSIM_KCAP_UNTYPED,
	PGSIM_KCAP_FRAME,
	PGSIM_KCAP_TABLE,
	PGSIM_KCAP_ASID_CONTROL,
	PGSIM_KCAP_ASID_POOL,
};

struct pgsim_kcap_info {
	const char *slot;
	enum pgsim_kcap_type type;
	const struct pgsim_ktype_info *obj_type; /* NULL for ASID control */
	pgsim_pa_t pa;          /* object base (untyped: region base) */
	unsigned size_lg2;
	bool device;            /* untyped / frame from device memory */
	/* frames: the cap's VM rights and its internal arch encoding */
	enum pgsim_vm_rights rights;
	unsigned rights_encoding;
	/* frames and tables: the mapping the cap records.  For roots
	 * "mapped" means assigned to an ASID (vaddr is then 0). */
	bool mapped;
	uint32_t asid;
	pgsim_va_t vaddr;
	/* frames, when mapped: what the model wrote (not seL4 cap state,
	 * kept for the cross-check) */
	enum pgsim_vm_rights map_rights; /* rights after maskVMRights */
	uint64_t map_attr;
	/* untyped: bytes used below the watermark (capFreeIndex in bytes) */
	uint64_t watermark;
	/* ASID pool: the pool's ASID base */
	uint32_t asid_base;
	const char *parent;     /* CDT parent slot, NULL for a root of the tree */
	bool final;             /* no other cap names the same object */
};

/* The cap in `slot`: 0 (info->type is PGSIM_KCAP_NULL for an empty slot).
 * Strings stay valid until the slot changes. */
int pgsim_kernel_cap(const struct pgsim_kernel *k, const char *slot,
		     struct pgsim_kcap_info *info);
/* Non-empty slots in a stable order (the order they were filled;
 * Move keeps the position). */
unsigned pgsim_kernel_n_caps(const struct pgsim_kernel *k);
int pgsim_kernel_cap_at(const struct pgsim_kernel *k, unsigned i,
			struct pgsim_kcap_info *info);

/* Physical address of the vspace root table in `slot` (what CR3 / TTBR0 /
 * satp would hold for a thread using it): 0, or -ENOENT when the slot does
 * not hold a vspace root cap (RISC-V: a PT cap that is assigned). */
int pgsim_kernel_root_pa(const struct pgsim_kernel *k, const char *slot, pgsim_pa_t *pa);
/* The root registered for an ASID: 0, or -ENOENT when the ASID does not
 * resolve (findVSpaceForASID fails). */
int pgsim_kernel_asid_root(const struct pgsim_kernel *k, uint32_t asid, pgsim_pa_t *pa);

/* Root-table entries the kernel owns (copied from its global vspace:
 * x86_64 PML4[511], ia32 PD[0x380..0x3ff], RISC-V root[256..511]; none on
 * AArch64, whose kernel lives behind TTBR1).  A checker comparing the
 * model with the tables skips these. */
bool pgsim_kernel_is_kernel_entry(const struct pgsim_kernel *k, unsigned root_index);

/* ---- invocations ------------------------------------------------------ */

/* Untyped_Retype (decodeUntypedInvocation): n objects of type into the
 * empty slots dest[0..n-1].  size_bits is the userObjSize word (untyped:
 * its size; ignored by fixed-size types except for the range check).
 * -ENOENT when `type` names no type of this architecture. */
int pgsim_kernel_retype(struct pgsim_kernel *k, const char *untyped, const char *type,
			unsigned size_bits, const char *const *dest, unsigned n,
			struct pgsim_kres *r);

/* CNode invocations (decodeCNodeInvocation) on the one flat CSpace. */
int pgsim_kernel_copy(struct pgsim_kernel *k, const char *src, const char *dest,
		      unsigned rights, struct pgsim_kres *r);
int pgsim_kernel_mint(struct pgsim_kernel *k, const char *src, const char *dest,
		      unsigned rights, uint64_t badge, struct pgsim_kres *r);
int pgsim_kernel_move(struct pgsim_kernel *k, const char *src, const char *dest,
		      struct pgsim_kres *r);
int pgsim_kernel_delete(struct pgsim_kernel *k, const char *slot, struct pgsim_kres *r);
int pgsim_kernel_revoke(struct pgsim_kernel *k, const char *slot, struct pgsim_kres *r);

/* ASIDControl_MakePool(control, untyped, dest) and ASIDPool_Assign(pool,
 * vspace) (decode*MMUInvocation).  r->value = ASID base / ASID. */
int pgsim_kernel_make_pool(struct pgsim_kernel *k, const char *control,
			   const char *untyped, const char *dest, struct pgsim_kres *r);
int pgsim_kernel_assign(struct pgsim_kernel *k, const char *pool, const char *vspace,
			struct pgsim_kres *r);

/* Map the cap in `slot` into `vspace` at vaddr, with the invocation its
 * type answers to: a frame -> Page_Map(vaddr, rights, attr); a paging
 * structure -> PageTable_Map / PageDirectory_Map / PDPT_Map(vaddr, attr)
 * (rights unused).  Mapping a mapped frame cap again at the same vaddr in
 * the same vspace is seL4's remap (rights/attributes rewritten). */
int pgsim_kernel_map(struct pgsim_kernel *k, const char *slot, const char *vspace,
		     pgsim_va_t vaddr, unsigned rights, uint64_t attr, struct pgsim_kres *r);
/* The pre-11.0 Page_Remap(frame, vspace, rights, attr), now a Page_Map at
 * the vaddr the cap records.  An unmapped frame cap gives
 * InvalidCapability(0), as the old Remap did. */
int pgsim_kernel_remap(struct pgsim_kernel *k, const char *frame, const char *vspace,
		       unsigned rights, uint64_t attr, struct pgsim_kres *r);
/* Page_Unmap / PageTable_Unmap / PageDirectory_Unmap / PDPT_Unmap. */
int pgsim_kernel_unmap(struct pgsim_kernel *k, const char *slot, struct pgsim_kres *r);
/* Page_GetAddress: r->value = physical address. */
int pgsim_kernel_get_address(struct pgsim_kernel *k, const char *frame, struct pgsim_kres *r);

/* Raw invocation, for the decode paths the typed calls cannot reach
 * (TruncatedMessage, a label the cap's type does not implement ...).
 * Labels are generic; each names the seL4 label of this architecture
 * (PAGE_MAP = X86PageMap / ARMPageMap / RISCVPageMap ...). */
enum pgsim_klabel {
	PGSIM_KL_PAGE_MAP,
	PGSIM_KL_PAGE_UNMAP,
	PGSIM_KL_PAGE_GET_ADDRESS,
	PGSIM_KL_PAGE_TABLE_MAP,
	PGSIM_KL_PAGE_TABLE_UNMAP,
	PGSIM_KL_PAGE_DIRECTORY_MAP,         /* x86_64 */
	PGSIM_KL_PAGE_DIRECTORY_UNMAP,       /* x86_64 */
	PGSIM_KL_PDPT_MAP,                   /* x86_64 */
	PGSIM_KL_PDPT_UNMAP,                 /* x86_64 */
	PGSIM_KL_PAGE_DIRECTORY_GET_STATUS_BITS, /* ia32 */
	PGSIM_KL_ASID_CONTROL_MAKE_POOL,
	PGSIM_KL_ASID_POOL_ASSIGN,
	PGSIM_KL_UNTYPED_RETYPE,
	/* AArch64 Page cache maintenance (start, end offsets in the page);
	 * only their decode checks are modelled */
	PGSIM_KL_PAGE_CLEAN_DATA,
	PGSIM_KL_PAGE_INVALIDATE_DATA,
	PGSIM_KL_PAGE_CLEAN_INVALIDATE_DATA,
	PGSIM_KL_PAGE_UNIFY_INSTRUCTION,
	PGSIM_KL_COUNT,
};
const char *pgsim_klabel_name(enum pgsim_klabel l);

struct pgsim_kinv {
	enum pgsim_klabel label;
	const char *cap;        /* invoked slot */
	unsigned n_words;       /* message length */
	uint64_t w[6];          /* message words (Page_Map: vaddr, rights, attr) */
	unsigned n_extra;       /* extra caps */
	const char *extra[2];   /* their slots (an empty slot is a null cap) */
	const char *const *dest;/* UNTYPED_RETYPE: destination slots ... */
	unsigned n_dest;        /* ... of which w[5] (nodeWindow) are used */
};
int pgsim_kernel_invoke(struct pgsim_kernel *k, const struct pgsim_kinv *inv,
			struct pgsim_kres *r);

/* ---- VM attributes ---------------------------------------------------- */

/* The architecture's default VM attributes word (x86 WriteBack 0, AArch64
 * seL4_ARM_Default_VMAttributes 0x3, RISC-V 0). */
uint64_t pgsim_kernel_default_attr(const struct pgsim_kernel *k);
/* One attribute by name ("write_through", "cache_disabled",
 * "uncacheable", "write_combining" on x86; "cacheable", "parity",
 * "execute_never" on AArch64; "execute_never" on RISC-V; "default"):
 * 0 and its bits in *bits, or -ENOENT. */
int pgsim_kernel_attr_parse(const struct pgsim_kernel *k, const char *name, uint64_t *bits);

/* The user permissions (PGSIM_P_UR/UW/UX) seL4 documents for a mapping
 * with these (already masked) rights and attributes: read for ReadOnly and
 * ReadWrite, write for ReadWrite, execute unless the architecture's
 * ExecuteNever attribute is set (x86 has none: always executable), and
 * nothing at all for KernelOnly ("an inaccessible page", manual).  What the
 * entry bits really grant is the walker's answer; the two differ exactly
 * in the quirks spec 8.9 lists (RISC-V KernelOnly is execute-only). */
unsigned pgsim_kernel_intended_perms(const struct pgsim_kernel *k, enum pgsim_vm_rights r,
				     uint64_t attr);

/* ---- the failed-level-following map helper ---------------------------- */

#define PGSIM_KMAP_MAX_CREATED PGSIM_MAX_LEVELS

struct pgsim_kmap_report {
	unsigned n_created;
	struct {
		char slot[64];          /* slot the new object's cap went to */
		const struct pgsim_ktype_info *type;
		unsigned bits_left;     /* the failed level that asked for it */
	} created[PGSIM_KMAP_MAX_CREATED];
	unsigned attempts;              /* Page_Map calls made */
};

/* Map `frame` at vaddr; on FailedLookup(MissingCapability, bitsLeft) turn
 * bitsLeft into the missing paging-structure type (as sel4utils'
 * vspace_get_alloc_map... / libsel4vspace mapping.c do), retype one from
 * `untyped` into a fresh slot named "<prefix>.<type>.<n>", map it at
 * vaddr (a DeleteFirst there means someone else already did), and retry.
 * r is the outcome of the last Page_Map, or of the Retype / table Map
 * that stopped the loop.  rep lists the objects created (it is filled even
 * when the loop stops on an error). */
int pgsim_kernel_map_helper(struct pgsim_kernel *k, const char *frame, const char *vspace,
			    pgsim_va_t vaddr, unsigned rights, uint64_t attr,
			    const char *untyped, const char *prefix,
			    struct pgsim_kmap_report *rep, struct pgsim_kres *r);

/* ---- VM faults -------------------------------------------------------- */

/* seL4's VMFault message (seL4_Fault_VMFault, length 4). */
struct pgsim_vm_fault {
	unsigned label;         /* seL4_Fault_VMFault: 5, or 6 with MCS */
	uint64_t ip;            /* MR0 seL4_VMFault_IP */
	uint64_t addr;          /* MR1 seL4_VMFault_Addr */
	uint64_t prefetch;      /* MR2 seL4_VMFault_PrefetchFault */
	uint64_t fsr;           /* MR3 seL4_VMFault_FSR */
};

/* Turn a fault the walker reported for a user access into the message the
 * kernel's handleVMFault builds: x86 FSR = the #PF error code (5 bits),
 * prefetch from its I/D bit; AArch64 FSR = ESR, Addr = the PC for an
 * instruction abort; RISC-V FSR = the normalised cause 1/5/7.  ip is the
 * faulting instruction's address (for an instruction fetch it is
 * f->addr).  -EINVAL when f is not a fault; -EDOM when the hardware
 * event is not a page fault seL4 turns into a VMFault (x86: a
 * non-canonical address is #GP, which seL4 reports as a UserException;
 * a walk outside RAM). */
int pgsim_kernel_vm_fault(const struct pgsim_kernel *k, const struct pgsim_fault *f,
			  enum pgsim_access acc, uint64_t ip, struct pgsim_vm_fault *out);
/* The kernel's debug line (faulthandler.c, printf %p style: "0x..." or
 * "(nil)"): "vm fault on data at address 0xa000000000 with status 0x7". */
void pgsim_vm_fault_line(const struct pgsim_vm_fault *vf, char *buf, size_t len);

#endif
