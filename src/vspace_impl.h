/* pgsim: internals of the sel4utils vspace model (src/vspace*.c). */
#ifndef PGSIM_VSPACE_IMPL_H
#define PGSIM_VSPACE_IMPL_H

#include <stdarg.h>

#include "pgsim/vspace.h"

#define VS_EMPTY 0ull
#define VS_PAGE 0x1000ull

/* One shadow table: vspace_mid_level_t (table[]) or vspace_bottom_level_t
 * (cap[] + cookie[]).  The pointer value the library stores for it in the
 * level above is `ptr`, its address in the loader vspace (create_level's
 * vspace_new_pages / alloc_and_map result).  ev[] / rs[] are pgsim's
 * history per entry: the event that last wrote it and the reservation it
 * was reserved or mapped under. */
struct vs_node {
	int level;
	uint64_t ptr;
	uint64_t base;            /* first VA it covers (set when linked) */
	unsigned pages;           /* loader pages it occupies */
	uint64_t *e;
	uint64_t *cookie;         /* bottom only */
	uint32_t *ev;
	uint32_t *rs;
	struct vs_node **child;   /* mid only: the model's link behind e[i] */
	uint32_t made_by;
	bool freed;               /* tear_down unmapped its pages */
};

struct pgsim_vs {
	struct pgsim_vs_env *env;
	char *name;
	/* sel4utils_alloc_data_t */
	uint64_t root_cptr;
	struct vs_node *top;
	uint64_t next_bootstrap_vaddr;
	uint64_t last_allocated;
	struct pgsim_vs *bootstrap;
	struct pgsim_vs_res *head;
	bool is_empty;
	struct pgsim_vs_proc *proc;     /* allocated-object callback cookie */
	bool has_map_fns;               /* common_init_post_bootstrap ran */
	/* pgsim */
	unsigned levels, bits;
	struct vs_node **nodes;
	unsigned n_nodes, max_nodes;
	bool torn_down;
};

struct pgsim_vs_proc {
	char *name;
	struct pgsim_vs *vs;
	uint64_t root_cptr;
	uint64_t *objs;                  /* allocated_object_list (CPtrs) */
	unsigned n_objs, max_objs;
	uint64_t ipc_buffer, ipc_buffer_cap, stack_top, stack_pages;
	unsigned n_phdrs;
};

struct vs_cap {
	uint64_t cptr;
	char slot[48];
	enum pgsim_vs_cap_origin origin;
	uint64_t ut;
	const struct pgsim_vs *owner;
	uint32_t made_by;
	const struct pgsim_vs *mapped_vs;
	uint64_t mapped_va;
	unsigned mapped_lg2;
	uint32_t mapped_by, unmapped_by;
	bool in_shadow;
	const char *hw_only;
};

struct vs_ut {
	pgsim_pa_t pa;
	unsigned size_lg2;
	uint64_t cptr;
	bool freed;
	uint32_t made_by, freed_by;
};

/* Library constants of one architecture, keyed by the walker's descriptor
 * (data, like the kernel model's karch table). */
struct vs_arch {
	const struct pgsim_arch *arch;
	unsigned word_bits;
	uint64_t user_top;              /* libsel4 seL4_UserTop */
	unsigned map_paging_objects;    /* VSPACE_MAP_PAGING_OBJECTS */
	const char *uncached_attr;      /* seL4_ARCH_Uncached_VMAttributes by name, NULL = 0 */
};

enum vs_abort {
	VS_RUN = 0,
	VS_ABORT_ASSERT,
	VS_ABORT_CRASH,
	VS_ABORT_PGSIM,                 /* pgsim itself failed (rc in env->rc) */
};

struct pgsim_vs_env {
	struct pgsim_kernel *k;
	const struct pgsim_cfg *cfg;
	const struct vs_arch *ad;
	struct pgsim_vs_consts c;
	char *untyped, *pool, *prefix;
	bool ndebug;
	uint64_t first_cptr;
	/* vka */
	struct vs_cap *caps;            /* indexed by cptr - first_cptr */
	size_t n_caps, max_caps;
	uint64_t next_free_hint;
	struct vs_ut *uts;
	size_t n_uts, max_uts;
	/* world */
	struct pgsim_vs **vss;
	unsigned n_vss, max_vss;
	struct pgsim_vs_proc **procs;
	unsigned n_procs, max_procs;
	struct pgsim_vs_res **res;      /* by serial - 1 */
	unsigned n_res, max_res;
	struct pgsim_vs_event *ev;      /* by id - 1 */
	uint32_t n_ev, max_ev;
	uint32_t cur;                   /* current event */
	/* the running call */
	struct pgsim_vs_out *out;
	enum vs_abort abort;
	int rc;
	uint32_t ctx_res;               /* reservation serial for history */
	FILE *trace;
};

#define VS_ABORTED(env) ((env)->abort != VS_RUN)
/* A sum as the library's uintptr_t holds it (ia32: modulo 2^32). */
#define VS_WORD(env, x) ((x) & (env)->c.reserved)

/* ---- vspace.c: environment, events, outcome; vspace_vka.c: the vka ------- */
/* Grow *v (of *max elements of elem bytes) to hold need; -ENOMEM. */
int vs_grow(void **v, size_t *max, size_t need, size_t elem);
void vs_out_begin(struct pgsim_vs_env *env, struct pgsim_vs_out *out);
int vs_out_end(struct pgsim_vs_env *env);
uint32_t vs_op_push(struct pgsim_vs_env *env, const struct pgsim_vs *vs, const char *op,
		    const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 4, 5)))
#endif
	;
void vs_op_pop(struct pgsim_vs_env *env, uint32_t prev);
/* The library's ZF_LOGE: remembered as the outcome message. */
void vs_log(struct pgsim_vs_env *env, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 2, 3)))
#endif
	;
/* assert(cond) of a debug build: false when the call must stop. */
bool vs_assert(struct pgsim_vs_env *env, bool cond, const char *what);
void vs_crash(struct pgsim_vs_env *env, const char *what);
void vs_fail_pgsim(struct pgsim_vs_env *env, int rc, const char *what);
void vs_note_kres(struct pgsim_vs_env *env, const struct pgsim_kres *r);

struct vs_cap *vs_cap_get(const struct pgsim_vs_env *env, uint64_t cptr);
/* vka_cspace_alloc: 0 or -1 (out of slots / pgsim failure aborts). */
int vs_cspace_alloc(struct pgsim_vs_env *env, uint64_t *cptr);
void vs_cspace_free(struct pgsim_vs_env *env, uint64_t cptr);
const char *vs_slot(const struct pgsim_vs_env *env, uint64_t cptr, char *buf, size_t len);
/* vka_alloc_object / vka_alloc_frame: 0 or a vka error (-1). */
int vs_alloc_object(struct pgsim_vs_env *env, const struct pgsim_ktype_info *t, unsigned size_bits,
		    enum pgsim_vs_cap_origin origin, const struct pgsim_vs *owner,
		    uint64_t *cptr, uint64_t *ut);
/* The same, the new cap's slot named `name` instead of "<prefix>0x<cptr>". */
int vs_alloc_object_named(struct pgsim_vs_env *env, const struct pgsim_ktype_info *t, unsigned size_bits,
			  enum pgsim_vs_cap_origin origin, const struct pgsim_vs *owner, const char *name,
			  uint64_t *cptr, uint64_t *ut);
const struct pgsim_ktype_info *vs_frame_type(const struct pgsim_vs_env *env, unsigned size_bits);
/* vka_free_object: delete, free the slot, free the untyped. */
void vs_free_object(struct pgsim_vs_env *env, uint64_t cptr, uint64_t ut);
/* seL4 calls on CPtrs (return the seL4 error; pgsim failures abort). */
int vs_cnode_delete(struct pgsim_vs_env *env, uint64_t cptr);
int vs_cnode_copy(struct pgsim_vs_env *env, uint64_t dest, uint64_t src, unsigned rights);
int vs_page_unmap(struct pgsim_vs_env *env, uint64_t cptr);
void vs_utspace_free(struct pgsim_vs_env *env, uint64_t ut);

struct pgsim_vs *vs_new(struct pgsim_vs_env *env, const char *name);
struct pgsim_vs_proc *vs_proc_new(struct pgsim_vs_env *env, const char *name);
int vs_proc_add_object(struct pgsim_vs_proc *p, uint64_t cptr);
/* A call on a vspace / reservation the library can still use (else the
 * outcome is a crash: torn down, never created, freed). */
bool vs_usable(struct pgsim_vs *vs);
bool vs_res_usable(struct pgsim_vs *vs, struct pgsim_vs_res *r);
int vs_get_vspace(struct pgsim_vs *vs, struct pgsim_vs *loader, uint64_t root, bool empty,
		  struct pgsim_vs_proc *proc);

/* ---- vspace_shadow.c: the tree (vspace_internal.h) ------------------------ */
uint64_t vs_bytes_for_level(const struct pgsim_vs *vs, int l);
unsigned vs_index(const struct pgsim_vs *vs, uint64_t va, int l);
struct vs_node *vs_node_new(struct pgsim_vs *vs, int level, uint64_t ptr, unsigned pages,
			    uint64_t init);
/* The node the mid entry node->e[i] points to, or NULL (sentinel or a
 * value that is no table of this vspace). */
struct vs_node *vs_child(const struct pgsim_vs *vs, const struct vs_node *n, unsigned i);
void vs_set_mid(struct pgsim_vs *vs, struct vs_node *n, unsigned i, uint64_t v, struct vs_node *child);
void vs_set_bottom(struct pgsim_vs *vs, struct vs_node *n, unsigned i, uint64_t cap, uint64_t cookie);
/* Library helpers, each as vspace_internal.h has it. */
int vs_reserve_entries_range(struct pgsim_vs *vs, uint64_t start, uint64_t end, bool preserve);
int vs_clear_entries_range(struct pgsim_vs *vs, uint64_t start, uint64_t end, bool only_reserved);
int vs_update_entries(struct pgsim_vs *vs, uint64_t vaddr, uint64_t cap, unsigned size_bits,
		      uint64_t cookie);
bool vs_is_available_range(const struct pgsim_vs *vs, uint64_t start, uint64_t end);
bool vs_is_reserved_range(const struct pgsim_vs *vs, uint64_t start, uint64_t end);
uint64_t vs_get_cap(const struct pgsim_vs *vs, uint64_t va);     /* internal get_cap */
uint64_t vs_get_cookie(const struct pgsim_vs *vs, uint64_t va);
/* bootstrap.c's tolerant reserve_range. */
int vs_bootstrap_reserve_range(struct pgsim_vs *vs, uint64_t start, uint64_t end);
/* create_level (vspace.c): a new table from the loader or the bootstrap region. */
struct vs_node *vs_create_level(struct pgsim_vs *vs, int level, uint64_t init);

/* ---- vspace_res.c --------------------------------------------------------- */
uint64_t vs_find_range(struct pgsim_vs *vs, uint64_t n, unsigned size_bits);
struct pgsim_vs_res *vs_find_reserve(const struct pgsim_vs *vs, uint64_t va);
bool vs_check_reservation(struct pgsim_vs *vs, struct pgsim_vs_res *res, uint64_t start, uint64_t end);
struct pgsim_vs_res *vs_res_new(struct pgsim_vs *vs);
/* sel4utils_reserve_range_aligned / _at / free (inner, no event). */
struct pgsim_vs_res *vs_reserve_aligned(struct pgsim_vs *vs, uint64_t bytes, unsigned size_bits,
					unsigned rights, bool cacheable, bool no_alloc);
struct pgsim_vs_res *vs_reserve_at(struct pgsim_vs *vs, uint64_t vaddr, uint64_t bytes,
				   unsigned rights, bool cacheable, bool no_alloc);
void vs_free_reservation(struct pgsim_vs *vs, struct pgsim_vs_res *res);

/* ---- vspace_map.c ----------------------------------------------------------- */
bool vs_valid_size_bits(const struct pgsim_vs_env *env, unsigned size_bits);
/* sel4utils_map_page (mapping.c) on an explicit root: seL4 error, or -1
 * for a vka failure; objects made go to objs[]. */
int vs_sel4_map_page(struct pgsim_vs_env *env, uint64_t root, uint64_t frame, uint64_t vaddr,
		     unsigned rights, bool cacheable, uint64_t *objs, unsigned *n_objs);
/* data->map_page (sel4utils_map_page_pd): 0 or -1. */
int vs_map_page(struct pgsim_vs *vs, uint64_t cap, uint64_t vaddr, unsigned rights, bool cacheable,
		unsigned size_bits);
void vs_allocated_object(struct pgsim_vs *vs, uint64_t cptr);
uint64_t vs_new_pages(struct pgsim_vs *vs, unsigned rights, uint64_t n, unsigned size_bits);
int vs_new_pages_at_vaddr(struct pgsim_vs *vs, uint64_t vaddr, uint64_t n, unsigned size_bits,
			  struct pgsim_vs_res *res, bool can_use_dev);
uint64_t vs_map_pages(struct pgsim_vs *vs, const uint64_t *caps, const uint64_t *cookies,
		      unsigned rights, uint64_t n, unsigned size_bits, bool cacheable);
void vs_unmap_pages(struct pgsim_vs *vs, uint64_t vaddr, uint64_t n, unsigned size_bits, bool free);
int vs_share_mem_at_vaddr(struct pgsim_vs *from, struct pgsim_vs *to, uint64_t start, uint64_t n,
			  unsigned size_bits, uint64_t vaddr, struct pgsim_vs_res *res);

/* ---- vspace_boot.c ---------------------------------------------------------- */
uint64_t vs_alloc_and_map(struct pgsim_vs *vs, uint64_t size);

#endif
