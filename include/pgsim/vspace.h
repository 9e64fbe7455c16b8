/* pgsim: a model of the sel4utils vspace library (libsel4utils vspace.c,
 * bootstrap.c, elf.c, process.c, thread.c; libsel4vspace vspace.c).
 *
 * The model keeps the library's own books exactly as the library keeps
 * them -- the per-vspace record (sel4utils_alloc_data_t), the reservation
 * list (struct sel4utils_res, sorted by descending start) and the shadow
 * page table with its EMPTY / RESERVED sentinels at every level, a cap and
 * a cookie per 4 KiB bottom slot -- and performs the library's seL4
 * invocations through the kernel model (pgsim/kernel.h) in the library's
 * order, so that hardware page tables appear the way they appear on a real
 * system (a Page_Map, a FailedLookup, a Retype and a PageTable_Map for the
 * failed level, the Page_Map again).  It never looks at the page tables
 * itself and never calls the reference walker; the checker (pgsim/check.h)
 * compares the views.  The facts it follows are in
 * spec/sel4utils-vspace.md (seL4_libs d8abd95e; the seed's fork 0d37c61f).
 *
 * Faithful means the quirks too: free_reservation leaves mapped pages and
 * stops clearing at the first one, unmap_pages consults only the first
 * page's reservation, map_pages failure leaves earlier pages mapped, ELF
 * loading drops its reservations, and so on.  Where the library would
 * assert (debug build) or dereference NULL, the operation stops there and
 * its outcome says so (PGSIM_VS_ASSERT / PGSIM_VS_CRASH); with `ndebug`
 * the asserts are compiled out and execution continues as under NDEBUG.
 *
 * The allocator (vka) is modelled as the seL4 test driver's: CPtrs handed
 * out from a counter (lowest free first), objects retyped from one untyped
 * slot; a CPtr names the kernel-model slot "<prefix>0x<cptr>".  Freed
 * untyped memory is not reused (the kernel model's watermark only moves
 * forward), which changes physical addresses, never the vspace books.
 *
 * Every change to the books is attributed to an operation (an event with a
 * parent chain: "new_pages_at_vaddr in elf_load in configure_process"), so
 * the checker and the reports can say which library path produced a state.
 */
#ifndef PGSIM_VSPACE_H
#define PGSIM_VSPACE_H

#include <stdio.h>

#include "pgsim/kernel.h"

struct pgsim_vs_env;   /* the world: kernel, vka, vspaces, processes, history */
struct pgsim_vs;       /* one sel4utils vspace (sel4utils_alloc_data_t) */
struct pgsim_vs_proc;  /* one configured process (sel4utils_process_t) */

/* libsel4vspace's VSPACE_FREE / VSPACE_PRESERVE for unmap_pages. */
enum pgsim_vs_vka {
	PGSIM_VS_PRESERVE = 0, /* keep the caps (vka NULL) */
	PGSIM_VS_FREE = 1,     /* delete caps, free slots and untypeds */
};

/* ---- outcomes ------------------------------------------------------------ */

enum pgsim_vs_status {
	PGSIM_VS_OK = 0,      /* the library call returned success */
	PGSIM_VS_FAILED,      /* it returned its failure value (NULL / -1 / error) */
	PGSIM_VS_ASSERT,      /* an assert() of a debug build fired: the call stops there */
	PGSIM_VS_CRASH,       /* the library dereferences NULL / freed memory */
};
const char *pgsim_vs_status_name(enum pgsim_vs_status s);

struct pgsim_vs_out {
	enum pgsim_vs_status status;
	int ret;                    /* the library's int return value */
	uint64_t vaddr;             /* returned address (0 = NULL) */
	uint64_t cptr;              /* returned cap (get_cap, ipc buffer) */
	uint64_t value;             /* other results (get_cookie, stack top) */
	struct pgsim_vs_res *res;   /* returned reservation (NULL = none) */
	bool has_kres;              /* the last failing seL4 invocation */
	struct pgsim_kres kres;
	unsigned n_calls;           /* seL4 invocations performed */
	unsigned n_objects;         /* paging structures the map path made */
	char msg[240];              /* the library's log line / assert text */
};

/* ---- reservations ---------------------------------------------------------- */

/* struct sel4utils_res, plus pgsim's bookkeeping.  Nodes the library frees
 * stay allocated (marked freed) until the environment is freed, so a stale
 * handle is reported as a use after free instead of corrupting pgsim. */
struct pgsim_vs_res {
	uint64_t start, end;        /* [start, end), 4 KiB aligned by perform_reservation */
	unsigned rights;            /* seL4_CapRights_t word (PGSIM_SEL4_CAN_*) */
	bool cacheable;
	bool malloced;
	bool rights_deferred;
	struct pgsim_vs_res *next;
	/* pgsim */
	struct pgsim_vs *vs;
	uint32_t serial;            /* 1, 2, ... per environment */
	uint32_t made_by;           /* event that created it */
	uint32_t freed_by;          /* event that unlinked/freed it, 0 = live */
	bool resized;               /* move_resize_reservation changed it */
	char name[32];              /* optional label ("" = none) */
};

/* ---- the environment ------------------------------------------------------- */

struct pgsim_vs_env_opts {
	const char *untyped;        /* untyped slot the vka retypes from (required) */
	const char *asid_pool;      /* pool for process roots; NULL = "asid_pool" */
	const char *slot_prefix;    /* slot name prefix; NULL = "cptr." */
	uint64_t first_cptr;        /* first CPtr handed out; 0 = 0x100 */
	bool ndebug;                /* library built with NDEBUG: asserts compiled out */
	/* Shadow geometry override (VSPACE_NUM_LEVELS / VSPACE_LEVEL_BITS);
	 * 0 = the library's value for the architecture. */
	unsigned shadow_levels, shadow_level_bits;
};

/* -ENOTSUP for an architecture the model has no library constants for. */
int pgsim_vs_env_new(struct pgsim_kernel *k, const struct pgsim_vs_env_opts *o,
		     struct pgsim_vs_env **out);
void pgsim_vs_env_free(struct pgsim_vs_env *env);
struct pgsim_kernel *pgsim_vs_env_kernel(const struct pgsim_vs_env *env);
/* One line per seL4 invocation and library log line ("" to stop). */
void pgsim_vs_env_trace(struct pgsim_vs_env *env, FILE *f);

/* Library constants for this architecture. */
struct pgsim_vs_consts {
	unsigned levels;            /* VSPACE_NUM_LEVELS */
	unsigned level_bits;        /* VSPACE_LEVEL_BITS */
	unsigned word_bits;         /* uintptr_t width */
	uint64_t reserved;          /* RESERVED = UINTPTR_MAX */
	uint64_t kernel_reserved_start; /* ALIGN_DOWN(seL4_UserTop, 4K) */
	unsigned kernel_top_index;  /* TOP_LEVEL_INDEX(KERNEL_RESERVED_START) */
	uint64_t reserve_start, reserve_size; /* VSPACE_RESERVE_START / _SIZE */
	unsigned map_paging_objects;/* VSPACE_MAP_PAGING_OBJECTS */
	uint64_t first_hint;        /* last_allocated after common_init: 0x10000000 */
	uint64_t default_attr;      /* seL4_ARCH_Default_VMAttributes */
	uint64_t uncached_attr;     /* seL4_ARCH_Uncached_VMAttributes */
};
void pgsim_vs_env_consts(const struct pgsim_vs_env *env, struct pgsim_vs_consts *c);

/* ---- the vka ------------------------------------------------------------- */

/* Register an existing kernel slot with the vka (the root task's own caps,
 * a root the scenario made): *cptr is the CPtr the library will use. */
int pgsim_vs_vka_adopt(struct pgsim_vs_env *env, const char *slot, uint64_t *cptr);
/* The caller's own vka_alloc_frame (for map_pages): a frame the library
 * did not allocate (cookie 0 in map_pages unless the caller passes one). */
int pgsim_vs_vka_alloc_frame(struct pgsim_vs_env *env, unsigned size_bits, uint64_t *cptr,
			     uint64_t *ut_cookie, struct pgsim_vs_out *out);
/* The kernel slot a CPtr names, e.g. "cptr.0x10a". */
const char *pgsim_vs_slot(const struct pgsim_vs_env *env, uint64_t cptr, char *buf, size_t len);

/* What the vka knows about a CPtr. */
enum pgsim_vs_cap_origin {
	PGSIM_VS_CAP_NONE = 0,     /* never handed out / free */
	PGSIM_VS_CAP_SLOT,         /* allocated slot, no object made for it */
	PGSIM_VS_CAP_LIB_FRAME,    /* frame the library allocated (new_pages*, bookkeeping) */
	PGSIM_VS_CAP_OBJECT,       /* paging structure / root the library allocated */
	PGSIM_VS_CAP_COPY,         /* cap copy made by the library */
	PGSIM_VS_CAP_CALLER,       /* frame allocated through pgsim_vs_vka_alloc_frame */
	PGSIM_VS_CAP_ADOPTED,      /* pgsim_vs_vka_adopt */
};
struct pgsim_vs_capinfo {
	enum pgsim_vs_cap_origin origin;
	const char *slot;
	uint64_t ut;               /* untyped cookie of the object (0 = none) */
	const struct pgsim_vs *owner; /* LIB_FRAME: the vspace whose op allocated it */
	uint32_t made_by;          /* event */
	/* the library's record of its own mapping of this cap */
	const struct pgsim_vs *mapped_vs;
	uint64_t mapped_va;
	unsigned mapped_lg2;
	uint32_t mapped_by;        /* event, 0 = not mapped by the library */
	bool in_shadow;            /* update_entries recorded it */
	const char *hw_only;       /* why the mapping is not in the shadow (NULL) */
	uint32_t unmapped_by;      /* event of the library's last unmap (0) */
};
/* 0, or -ENOENT when the vka never handed the CPtr out. */
int pgsim_vs_capinfo(const struct pgsim_vs_env *env, uint64_t cptr, struct pgsim_vs_capinfo *ci);
/* The CPtr whose slot is `slot`; -ENOENT when the vka does not know it. */
int pgsim_vs_cptr_of_slot(const struct pgsim_vs_env *env, const char *slot, uint64_t *cptr);

/* Untyped allocations (cookie = index + 1). */
struct pgsim_vs_utinfo {
	pgsim_pa_t pa;
	unsigned size_lg2;
	uint64_t cptr;             /* the object's cap */
	bool freed;                /* vka_utspace_free was called */
	uint32_t made_by, freed_by;
};
int pgsim_vs_utinfo(const struct pgsim_vs_env *env, uint64_t cookie, struct pgsim_vs_utinfo *ui);

/* ---- creating vspaces -------------------------------------------------------- */

/* sel4utils_bootstrap_vspace: a self-bootstrapped vspace (the root task's)
 * on the assigned root `root_cptr`.  image [start, end) is
 * __executable_start .. ROUND_UP(_end, 4K); frames[] the existing_frames
 * (bootinfo, IPC buffer, extra bootinfo pages), one 4 KiB page each.
 * `leaky`: no allocated-object callback (the _leaky wrappers). */
int pgsim_vs_bootstrap(struct pgsim_vs_env *env, const char *name, uint64_t root_cptr,
		       uint64_t image_start, uint64_t image_end,
		       const uint64_t *frames, unsigned n_frames,
		       struct pgsim_vs **vs, struct pgsim_vs_out *out);
/* sel4utils_get_vspace (empty = sel4utils_get_empty_vspace): a vspace on
 * root `root_cptr` whose shadow lives in `loader`.  proc receives the
 * allocated paging objects (NULL = nobody, a leaky vspace). */
int pgsim_vs_get_vspace(struct pgsim_vs_env *env, const char *name, struct pgsim_vs *loader,
			uint64_t root_cptr, bool empty, struct pgsim_vs_proc *proc,
			struct pgsim_vs **vs, struct pgsim_vs_out *out);
struct pgsim_vs *pgsim_vs_find(const struct pgsim_vs_env *env, const char *name);
unsigned pgsim_vs_count(const struct pgsim_vs_env *env);
struct pgsim_vs *pgsim_vs_at(const struct pgsim_vs_env *env, unsigned i);
const char *pgsim_vs_name(const struct pgsim_vs *vs);
const struct pgsim_vs_env *pgsim_vs_env_of(const struct pgsim_vs *vs);

/* The record's fields. */
struct pgsim_vs_info {
	uint64_t root_cptr;
	const char *root_slot;
	uint64_t last_allocated;
	uint64_t next_bootstrap_vaddr;
	const struct pgsim_vs *bootstrap;  /* loader, NULL = self-bootstrapped */
	bool is_empty;
	const struct pgsim_vs_proc *proc;  /* allocated-object callback target */
	struct pgsim_vs_res *head;         /* reservation list */
	unsigned levels, level_bits;       /* shadow geometry */
	uint64_t top_ptr;                  /* where the top level lives in the loader */
	bool torn_down;
};
void pgsim_vs_info(const struct pgsim_vs *vs, struct pgsim_vs_info *info);

/* ---- the library's operations (vspace.h interface) ------------------------- */

int pgsim_vs_reserve_range_aligned(struct pgsim_vs *vs, uint64_t bytes, unsigned size_bits,
				   unsigned rights, bool cacheable, struct pgsim_vs_out *out);
static inline int pgsim_vs_reserve_range(struct pgsim_vs *vs, uint64_t bytes, unsigned rights,
					 bool cacheable, struct pgsim_vs_out *out)
{
	return pgsim_vs_reserve_range_aligned(vs, bytes, 12, rights, cacheable, out);
}
/* The _no_alloc variants (caller storage, malloced = 0). */
int pgsim_vs_reserve_range_no_alloc(struct pgsim_vs *vs, uint64_t bytes, unsigned size_bits,
				    unsigned rights, bool cacheable, struct pgsim_vs_out *out);
int pgsim_vs_reserve_range_at(struct pgsim_vs *vs, uint64_t vaddr, uint64_t bytes,
			      unsigned rights, bool cacheable, struct pgsim_vs_out *out);
int pgsim_vs_reserve_range_at_no_alloc(struct pgsim_vs *vs, uint64_t vaddr, uint64_t bytes,
				       unsigned rights, bool cacheable, struct pgsim_vs_out *out);
int pgsim_vs_reserve_deferred_rights_range_at(struct pgsim_vs *vs, uint64_t vaddr, uint64_t bytes,
					      bool cacheable, struct pgsim_vs_out *out);
int pgsim_vs_free_reservation(struct pgsim_vs *vs, struct pgsim_vs_res *res, struct pgsim_vs_out *out);
int pgsim_vs_free_reservation_by_vaddr(struct pgsim_vs *vs, uint64_t vaddr, struct pgsim_vs_out *out);
int pgsim_vs_move_resize_reservation(struct pgsim_vs *vs, struct pgsim_vs_res *res, uint64_t vaddr,
				     uint64_t bytes, struct pgsim_vs_out *out);
/* find_reserve: the first node containing vaddr, or NULL. */
struct pgsim_vs_res *pgsim_vs_find_reserve(const struct pgsim_vs *vs, uint64_t vaddr);

/* vspace_new_pages (out->vaddr). */
int pgsim_vs_new_pages(struct pgsim_vs *vs, unsigned rights, uint64_t n, unsigned size_bits,
		       struct pgsim_vs_out *out);
int pgsim_vs_new_pages_at_vaddr(struct pgsim_vs *vs, uint64_t vaddr, uint64_t n, unsigned size_bits,
				struct pgsim_vs_res *res, bool can_use_dev, struct pgsim_vs_out *out);
/* vspace_map_pages: caps[n], cookies[n] or NULL (out->vaddr). */
int pgsim_vs_map_pages(struct pgsim_vs *vs, const uint64_t *caps, const uint64_t *cookies,
		       unsigned rights, uint64_t n, unsigned size_bits, bool cacheable,
		       struct pgsim_vs_out *out);
int pgsim_vs_map_pages_at_vaddr(struct pgsim_vs *vs, const uint64_t *caps, const uint64_t *cookies,
				uint64_t vaddr, uint64_t n, unsigned size_bits,
				struct pgsim_vs_res *res, struct pgsim_vs_out *out);
int pgsim_vs_deferred_rights_map_pages_at_vaddr(struct pgsim_vs *vs, const uint64_t *caps,
						const uint64_t *cookies, uint64_t vaddr, uint64_t n,
						unsigned size_bits, unsigned rights,
						struct pgsim_vs_res *res, struct pgsim_vs_out *out);
int pgsim_vs_unmap_pages(struct pgsim_vs *vs, uint64_t vaddr, uint64_t n, unsigned size_bits,
			 enum pgsim_vs_vka vka, struct pgsim_vs_out *out);
/* vspace_get_cap / vspace_get_cookie (out->cptr / out->value). */
int pgsim_vs_get_cap(struct pgsim_vs *vs, uint64_t vaddr, struct pgsim_vs_out *out);
int pgsim_vs_get_cookie(struct pgsim_vs *vs, uint64_t vaddr, struct pgsim_vs_out *out);
int pgsim_vs_share_mem_at_vaddr(struct pgsim_vs *from, struct pgsim_vs *to, uint64_t start,
				uint64_t n, unsigned size_bits, uint64_t vaddr,
				struct pgsim_vs_res *res, struct pgsim_vs_out *out);
/* vspace_share_mem: reserve aligned, share_mem_at_vaddr, free (out->vaddr). */
int pgsim_vs_share_mem(struct pgsim_vs *from, struct pgsim_vs *to, uint64_t start, uint64_t n,
		       unsigned size_bits, unsigned rights, bool cacheable, struct pgsim_vs_out *out);
int pgsim_vs_tear_down(struct pgsim_vs *vs, enum pgsim_vs_vka vka, struct pgsim_vs_out *out);

/* libsel4vspace helpers. */
int pgsim_vs_new_ipc_buffer(struct pgsim_vs *vs, struct pgsim_vs_out *out);      /* vaddr, cptr */
int pgsim_vs_free_ipc_buffer(struct pgsim_vs *vs, uint64_t vaddr, struct pgsim_vs_out *out);
int pgsim_vs_new_sized_stack(struct pgsim_vs *vs, uint64_t n_pages, struct pgsim_vs_out *out); /* value = top */
int pgsim_vs_free_sized_stack(struct pgsim_vs *vs, uint64_t stack_top, uint64_t n_pages,
			      struct pgsim_vs_out *out);
/* vspace_new_pages_with_config (vaddr 0 = anywhere). */
int pgsim_vs_new_pages_with_config(struct pgsim_vs *vs, uint64_t vaddr, uint64_t n, unsigned size_bits,
				   unsigned rights, bool can_use_dev, struct pgsim_vs_out *out);

/* ---- ELF loading and processes --------------------------------------------- */

/* One program header.  flags: PF_X 1, PF_W 2, PF_R 4.  Non-PT_LOAD headers
 * are not given (read_regions skips them). */
struct pgsim_vs_segment {
	uint64_t vaddr;
	uint64_t memsz;
	uint64_t filesz;
	unsigned flags;
	const uint8_t *data;        /* filesz bytes copied in, or NULL (frames stay zero) */
};
enum { PGSIM_PF_X = 1, PGSIM_PF_W = 2, PGSIM_PF_R = 4 };

/* sel4utils_elf_load into `loadee` through `loader` (temporary mappings
 * of each page in the loader, as load_segment does); with keep_regions
 * the reservations are kept (sel4utils_elf_load_record_regions with a
 * caller array), otherwise they are freed at the end. */
int pgsim_vs_elf_load(struct pgsim_vs *loadee, struct pgsim_vs *loader,
		      const struct pgsim_vs_segment *segs, unsigned n, bool keep_regions,
		      struct pgsim_vs_out *out);
/* sel4utils_elf_reserve: reservations only, placed anywhere (HEAD). */
int pgsim_vs_elf_reserve(struct pgsim_vs *loadee, const struct pgsim_vs_segment *segs, unsigned n,
			 struct pgsim_vs_out *out);

struct pgsim_vs_proc_cfg {
	const struct pgsim_vs_segment *segs; /* ELF PT_LOAD headers (n_segs 0: no ELF) */
	unsigned n_segs;
	bool no_elf_load;           /* do_elf_load = false: sel4utils_elf_reserve */
	struct {
		uint64_t vaddr, bytes;
		unsigned rights;
		bool cacheable;
	} reservations[4];          /* config.reservations (kept) */
	unsigned n_reservations;
	bool no_ipc_buffer;
	uint64_t stack_pages;       /* CONFIG_SEL4UTILS_STACK_SIZE / 4K; 0 = 16 */
	bool no_stack;
};

/* sel4utils_configure_process_custom with create_vspace: root allocated
 * and assigned, get_vspace on the spawner, reservations, ELF load, IPC
 * buffer, stack.  (TCB, fault endpoint and cspace are outside the model.) */
int pgsim_vs_configure_process(struct pgsim_vs_env *env, const char *name, struct pgsim_vs *spawner,
			       const struct pgsim_vs_proc_cfg *cfg, struct pgsim_vs_proc **proc,
			       struct pgsim_vs_out *out);
struct pgsim_vs_proc *pgsim_vs_proc_find(const struct pgsim_vs_env *env, const char *name);
struct pgsim_vs_proc_info {
	struct pgsim_vs *vs;
	uint64_t root_cptr;
	uint64_t ipc_buffer, ipc_buffer_cap, stack_top, stack_pages;
	unsigned n_objects;          /* allocated_object_list length */
	const uint64_t *objects;     /* their CPtrs */
};
void pgsim_vs_proc_info(const struct pgsim_vs_proc *p, struct pgsim_vs_proc_info *info);
/* Drop the i-th allocated object from the list (what a lost callback
 * would do; used to show PT-UNTRACKED).  -ENOENT when out of range. */
int pgsim_vs_proc_forget_object(struct pgsim_vs_proc *p, unsigned i);

/* sel4utils_stack_write through sel4utils_dup_and_map: copy len bytes to
 * the child's vaddr via a temporary mapping in `spawner`. */
int pgsim_vs_stack_write(struct pgsim_vs *child, struct pgsim_vs *spawner, uint64_t vaddr,
			 const void *buf, size_t len, struct pgsim_vs_out *out);
/* sel4utils_spawn_process_v's writes onto the stack top (argv strings,
 * auxv, argc) with resume; the child's books do not change. */
int pgsim_vs_spawn(struct pgsim_vs_proc *p, struct pgsim_vs *spawner, unsigned argc,
		   const char *const *argv, struct pgsim_vs_out *out);

/* ---- reading the shadow --------------------------------------------------- */

enum pgsim_vs_slot_kind {
	PGSIM_VS_SLOT_EMPTY,        /* bottom EMPTY, or under an EMPTY mid entry */
	PGSIM_VS_SLOT_RESERVED,     /* bottom RESERVED */
	PGSIM_VS_SLOT_MID_RESERVED, /* under a RESERVED mid entry */
	PGSIM_VS_SLOT_MAPPED,       /* bottom CPtr */
	PGSIM_VS_SLOT_BAD,          /* under a mid entry that is no table pointer */
};
struct pgsim_vs_slot {
	enum pgsim_vs_slot_kind kind;
	int level;                  /* level of the entry that decided (0 = bottom) */
	unsigned index;             /* its index */
	uint64_t value;             /* the entry (bottom: the cap) */
	uint64_t cookie;
	uint32_t event;             /* event that last wrote the entry (0 = unknown) */
	uint32_t res_serial;        /* reservation it was reserved/mapped under (0 none) */
	uint64_t table_ptr;         /* the deciding table's address in the loader */
};
void pgsim_vs_lookup(const struct pgsim_vs *vs, uint64_t va, struct pgsim_vs_slot *s);

/* Visit the shadow in VA order: one call per run of 4 KiB slots that
 * share a state (mid EMPTY / RESERVED entries give one call for their
 * whole range; bottom slots one call each).  Return non-zero to stop. */
typedef int (*pgsim_vs_visit_fn)(void *ctx, uint64_t va, uint64_t pages,
				 const struct pgsim_vs_slot *s);
int pgsim_vs_visit(const struct pgsim_vs *vs, pgsim_vs_visit_fn fn, void *ctx);

/* Raw access for tests and corruption steps: the entry at `level` on the
 * path of va (level 0 = the bottom cap), its cookie (bottom only), the
 * record's hint, and the reservation list head.  -ENOENT when the path
 * has no table at that level. */
int pgsim_vs_poke_entry(struct pgsim_vs *vs, int level, uint64_t va, uint64_t value);
int pgsim_vs_poke_cookie(struct pgsim_vs *vs, uint64_t va, uint64_t cookie);
void pgsim_vs_poke_hint(struct pgsim_vs *vs, uint64_t last_allocated);
void pgsim_vs_poke_head(struct pgsim_vs *vs, struct pgsim_vs_res *head);

/* ---- history ---------------------------------------------------------------- */

struct pgsim_vs_event {
	uint32_t id;                /* 1, 2, ... */
	uint32_t parent;            /* enclosing operation, 0 = top level */
	const char *op;             /* library function, e.g. "new_pages_at_vaddr" */
	const char *vs;             /* vspace name ("" = none) */
	char detail[96];
};
/* NULL for 0 or an unknown id. */
const struct pgsim_vs_event *pgsim_vs_event(const struct pgsim_vs_env *env, uint32_t id);
/* "new_pages_at_vaddr 0x8048000 (op 12) in elf_load (op 9) in
 * configure_process test (op 5)" */
void pgsim_vs_event_str(const struct pgsim_vs_env *env, uint32_t id, char *buf, size_t len);
/* true when event `id` is op `name` or runs inside one. */
bool pgsim_vs_event_within(const struct pgsim_vs_env *env, uint32_t id, const char *name);
/* Reservations ever made (live and freed), by serial (1-based). */
unsigned pgsim_vs_res_count(const struct pgsim_vs_env *env);
struct pgsim_vs_res *pgsim_vs_res_at(const struct pgsim_vs_env *env, uint32_t serial);

/* ---- reports (src/vspace_report.c) ----------------------------------------- */

/* The seed walker's summary: the reservation list (range, pages,
 * malloced) and, for each used top-level entry, its used / reserved /
 * empty 4 KiB slots; then the top level's own counts. */
void pgsim_vs_print_summary(FILE *f, const struct pgsim_vs *vs);

/* The reconciliation: every used and reserved slot, in runs, with the
 * reservation it lies in (or none), the operation that created it, its
 * cookie kind, and whether the hardware agrees (asked of the checker,
 * the only module that may use the walker; ctx NULL = not asked). */
struct pgsim_chk_ctx;
void pgsim_vs_print_reconciliation(FILE *f, const struct pgsim_vs *vs,
				   const struct pgsim_chk_ctx *ctx);

#endif
