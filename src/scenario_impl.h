/* pgsim: internals of the scenario loader (src/scenario*.c only). */
#ifndef PGSIM_SCENARIO_IMPL_H
#define PGSIM_SCENARIO_IMPL_H

#include "pgsim/scenario.h"

/* Limits that keep hostile files bounded. */
#define SCN_MAX_FILE (16u << 20)
#define SCN_MAX_DEPTH 64
#define SCN_MAX_NODES 1000000ul
#define SCN_MAX_SLOT 63        /* slot names fit the kernel's 64-byte fields */

/* Everything a loaded scenario owns comes from one arena. */
struct pgsim_scn_arena;
struct pgsim_scn_arena *scn_arena_new(void);
void scn_arena_free(struct pgsim_scn_arena *a);
/* Zeroed memory, or NULL. */
void *scn_alloc(struct pgsim_scn_arena *a, size_t n);
char *scn_strdup(struct pgsim_scn_arena *a, const char *s, size_t len);

/* scenario.c: YAML text -> node tree (no schema).  Returns 0 and the
 * document's root node, -EINVAL with diagnostics (*root is still set when
 * the tree is whole, e.g. after a duplicate key), -ENOMEM. */
int scn_parse_yaml(struct pgsim_scn_arena *a, const char *buf, size_t len,
		   struct pgsim_scn_diags *d, struct pgsim_scn_node **root);

/* scenario_schema.c: checking nodes against key lists. */
struct scn_ctx {
	struct pgsim_scn_arena *a;
	struct pgsim_scn_diags *d;
	bool bad;       /* a diagnostic was added */
	bool nomem;
};

#define SCN_DIAG(c, m, ...) \
	do { pgsim_scn_diag_add((c)->d, (m), __VA_ARGS__); (c)->bad = true; } while (0)

/* Check v against k (path names it in messages, e.g. "map.vaddr"):
 * scalars get their kind (NUM, STR, BOOL), shorthand forms are expanded. */
void scn_check_value(struct scn_ctx *c, const char *path, const struct pgsim_scn_key *k,
		     struct pgsim_scn_node *v);
/* Check every key of map m against keys; a missing required key is
 * reported at `owner`. */
void scn_check_map(struct scn_ctx *c, const char *path, struct pgsim_scn_node *m,
		   const struct pgsim_scn_key *keys, struct pgsim_scn_mark owner);
/* A scalar becomes {shorthand: scalar}, nothing becomes {}; false if v is
 * neither a mapping nor convertible. */
bool scn_wrap_map(struct scn_ctx *c, struct pgsim_scn_node *v, const char *shorthand);
/* " (did you mean 'x'?)" in buf, or "". */
const char *scn_hint(char *buf, size_t len, const char *word, const char *const *cands,
		     unsigned n);

/* scenario_top.c: check the tree and fill s.  Returns 0, -EINVAL with
 * diagnostics, -ENOMEM. */
int scn_check(struct pgsim_scn *s, struct pgsim_scn_node *root,
	      const struct pgsim_scn_schema *schema, struct pgsim_scn_diags *d);

#endif
