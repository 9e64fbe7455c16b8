/* pgsim: internals of the scenario engine (src/engine*.c only). */
#ifndef PGSIM_ENGINE_IMPL_H
#define PGSIM_ENGINE_IMPL_H

#include "pgsim/engine.h"

/* What an operation's outcome can be matched against (the expect keys it
 * accepts). */
enum {
	X_KRES = 1u << 0,         /* error, failed_level, lookup, arg, cap, range, memory_left */
	X_VALUE = 1u << 1,
	X_FAULT = 1u << 2,
	X_TRANSLATION = 1u << 3,
	X_CREATED = 1u << 4,
	X_OUTPUT = 1u << 5,
	X_INVARIANTS = 1u << 6,
};

struct pgsim_engine;
struct eng_vs;

/* The engine's half of an op table row (pgsim_scn_opdef.impl). */
struct eng_op {
	/* Run the step, filling a.  Returns 0, or -errno when pgsim itself
	 * failed (the step then fails with a->error). */
	int (*run)(struct pgsim_engine *e, const struct pgsim_scn_step *st,
		   struct pgsim_step_actual *a);
	unsigned produces;        /* X_* */
	/* Extra checks against the machine at prepare time (may be NULL). */
	void (*prepare)(struct pgsim_engine *e, const struct pgsim_scn_step *st,
			struct pgsim_scn_diags *d);
	/* prepare checks itself that a vspace exists when one is needed */
	bool prepare_vspace;
};

/* A step's expectation, decoded at prepare time. */
struct eng_created {
	const char *type;         /* canonical type name, NULL = any */
	const char *slot;         /* NULL = any */
	bool has_level;
	unsigned level;
};

#define ENG_MAX_CREATED PGSIM_KMAP_MAX_CREATED

struct eng_expect {
	unsigned keys;            /* X_* of the keys given */
	enum pgsim_sel4_err err;  /* default seL4_NoError */
	bool has_failed_level, has_lookup, has_arg, has_cap, has_range, has_memory_left;
	unsigned failed_level, arg, cap;
	enum pgsim_sel4_lookup lookup;
	uint64_t range_min, range_max, memory_left;
	bool has_value;
	uint64_t value;
	/* fault: any of these may be given */
	bool fault;               /* a fault is expected */
	bool has_status, has_kind, has_address, has_flevel, has_prefetch, has_ip, has_label,
	     has_line;
	uint64_t status, address, ip;
	unsigned label;
	enum pgsim_fault_kind kind;
	int flevel;
	bool prefetch;
	const char *line;
	/* translation */
	bool has_pa, has_size, has_tlevel, has_perms;
	uint64_t pa, size;
	int tlevel;
	unsigned perms_mask, perms;
	/* map_helper */
	bool has_created;
	unsigned n_created;
	struct eng_created created[ENG_MAX_CREATED];
	/* print */
	const char *output;
	/* check: the invariant IDs expected to be violated (NULL: none) */
	const struct pgsim_scn_node *invariants;
};

/* Slot names known at a point of the scenario (prepare's cap-name check). */
struct eng_names {
	const char **v;
	size_t n, cap;
};

struct pgsim_engine {
	const struct pgsim_scn *s;
	struct pgsim_cfg cfg;
	struct pgsim_mem *mem;
	struct pgsim_kernel *k;
	struct pgsim_kernel_opts kopts;
	const char *vspace;       /* default vspace slot, NULL = none */
	bool make_vspace;         /* retype + assign it before the objects */
	const char *untyped;      /* default untyped slot */
	struct eng_expect *exp;   /* one per step */
	struct eng_names names;   /* prepare only */
	struct eng_names prefixes;/* map_helper slot prefixes seen */
	bool ran;
	/* during a step */
	const struct pgsim_engine_opts *opts;
	FILE *trace;              /* NULL unless tracing */
	FILE *out;                /* print output */
	struct eng_vs *vs;        /* sel4utils model state (engine_vspace.c) */
};

/* engine.c */
const struct eng_op *eng_op_of(const struct pgsim_scn_step *st);
/* Argument accessors (the loader already checked the types). */
const struct pgsim_scn_node *eng_arg(const struct pgsim_scn_step *st, const char *key);
const char *eng_str(const struct pgsim_scn_step *st, const char *key, const char *def);
uint64_t eng_num(const struct pgsim_scn_step *st, const char *key, uint64_t def);
/* The step's vspace slot: its `vspace` key or the scenario default. */
const char *eng_vspace(const struct pgsim_engine *e, const struct pgsim_scn_step *st);
/* Resolve an ATTR node (NULL = the arch default).  -ENOENT names the bad
 * part in *bad. */
int eng_attr(const struct pgsim_engine *e, const struct pgsim_scn_node *n, uint64_t *bits,
	     const struct pgsim_scn_node **bad);
bool eng_names_has(const struct eng_names *s, const char *name);
int eng_names_add(struct eng_names *s, const char *name);

/* engine_expect.c */
extern const struct pgsim_scn_key eng_expect_keys[];
void eng_expect_prepare(struct pgsim_engine *e, const struct pgsim_scn_step *st,
			struct eng_expect *x, struct pgsim_scn_diags *d);
/* engine_match.c: compare; fills r->mm / r->n_mismatch. */
void eng_expect_match(const struct pgsim_engine *e, const struct pgsim_scn_step *st,
		      const struct eng_expect *x, struct pgsim_step_result *r);
/* The outcome in words into buf. */
void eng_outcome_str(const struct pgsim_engine *e, const struct pgsim_scn_step *st,
		     const struct pgsim_step_actual *a, char *buf, size_t len);

/* engine_mem.c: the memory, walker, print and check operations (their
 * rows are in engine_ops.c's table). */
int eng_run_read(struct pgsim_engine *e, const struct pgsim_scn_step *st,
		 struct pgsim_step_actual *a);
int eng_run_write(struct pgsim_engine *e, const struct pgsim_scn_step *st,
		  struct pgsim_step_actual *a);
int eng_run_execute(struct pgsim_engine *e, const struct pgsim_scn_step *st,
		    struct pgsim_step_actual *a);
int eng_run_translate(struct pgsim_engine *e, const struct pgsim_scn_step *st,
		      struct pgsim_step_actual *a);
int eng_run_print(struct pgsim_engine *e, const struct pgsim_scn_step *st,
		  struct pgsim_step_actual *a);
int eng_run_check(struct pgsim_engine *e, const struct pgsim_scn_step *st,
		  struct pgsim_step_actual *a);
void eng_prep_access(struct pgsim_engine *e, const struct pgsim_scn_step *st,
		     struct pgsim_scn_diags *d);
void eng_prep_print(struct pgsim_engine *e, const struct pgsim_scn_step *st,
		    struct pgsim_scn_diags *d);
void eng_prep_check(struct pgsim_engine *e, const struct pgsim_scn_step *st,
		    struct pgsim_scn_diags *d);

/* engine_mem.c: --trace support.  Before a kernel step, remember the walk
 * of every VA the step touches; after it, print the walk again with the
 * entries whose value changed. */
#define ENG_MAX_WATCH 4
struct eng_watch {
	unsigned n;
	struct {
		pgsim_pa_t root;
		pgsim_va_t va;
		struct pgsim_translation t;
	} w[ENG_MAX_WATCH];
};
void eng_watch_before(struct pgsim_engine *e, const struct pgsim_scn_step *st,
		      struct eng_watch *w);
void eng_watch_after(struct pgsim_engine *e, const struct eng_watch *w);

#endif
