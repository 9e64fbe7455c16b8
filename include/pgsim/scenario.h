/* pgsim: the scenario language, YAML to plain structs.
 *
 * The loader (src/scenario*.c) is the only code that sees libyaml.  It
 * turns a file into a tree of plain nodes that remember where they were
 * written (1-based line and column), and checks the tree against a schema:
 * the fixed top-level keys of a scenario and, for the steps, a table of
 * operations the caller supplies (the engine's).  Everything that needs an
 * architecture or the seL4 model to be decided (object types, cap names,
 * attribute names, numbers that must fit an address register) is left to
 * the engine's prepare pass, which reports through the same diagnostics
 * list, so every error in a file reads `file:line:col: message` and is
 * reported before any step runs.  docs/scenarios.md describes the language.
 */
#ifndef PGSIM_SCENARIO_H
#define PGSIM_SCENARIO_H

#include <stdio.h>

#include "pgsim/types.h"

/* Where something was written: 1-based line and column (0 = unknown). */
struct pgsim_scn_mark {
	unsigned line, col;
};

/* ---- diagnostics --------------------------------------------------------- */

#define PGSIM_SCN_MAX_DIAGS 32

struct pgsim_scn_diag {
	struct pgsim_scn_mark mark;
	char msg[320];
};

struct pgsim_scn_diags {
	char file[256];         /* as given by the caller */
	unsigned n;             /* kept diagnostics (at most PGSIM_SCN_MAX_DIAGS) */
	unsigned dropped;       /* further ones not kept */
	struct pgsim_scn_diag d[PGSIM_SCN_MAX_DIAGS];
};

void pgsim_scn_diags_init(struct pgsim_scn_diags *d, const char *file);
void pgsim_scn_diag_add(struct pgsim_scn_diags *d, struct pgsim_scn_mark m, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 3, 4)))
#endif
	;
/* One "file:line:col: message" line per diagnostic (and a count of the
 * dropped ones). */
void pgsim_scn_diags_print(FILE *out, const struct pgsim_scn_diags *d);

/* The candidate closest to `word` by edit distance, if close enough to be
 * a likely typo; NULL otherwise.  For "did you mean" hints. */
const char *pgsim_scn_suggest(const char *word, const char *const *cands, unsigned n);

/* ---- the node tree -------------------------------------------------------- */

enum pgsim_scn_kind {
	PGSIM_SCN_NULL = 0,  /* empty value, ~ or null */
	PGSIM_SCN_SCALAR,    /* text not (yet) given a type */
	PGSIM_SCN_STR,       /* text checked as a string */
	PGSIM_SCN_NUM,       /* number (also rights words) */
	PGSIM_SCN_BOOL,
	PGSIM_SCN_LIST,
	PGSIM_SCN_MAP,
};

struct pgsim_scn_node {
	enum pgsim_scn_kind kind;
	struct pgsim_scn_mark mark;
	bool quoted;             /* scalar written in quotes */
	const char *text;        /* scalars: the text as written ("" for NULL) */
	uint64_t num;            /* NUM */
	bool b;                  /* BOOL */
	unsigned n;              /* LIST items / MAP pairs */
	struct pgsim_scn_node *items;       /* LIST items; MAP values */
	const char **keys;                  /* MAP keys */
	struct pgsim_scn_mark *key_marks;   /* MAP key positions */
};

/* The value of `key` in a MAP node, or NULL (also when map is NULL or not
 * a map). */
const struct pgsim_scn_node *pgsim_scn_get(const struct pgsim_scn_node *map, const char *key);

/* ---- schemas -------------------------------------------------------------- */

/* What a key's value must be.  The loader checks the syntax; the comment
 * says what the engine checks on top. */
enum pgsim_scn_type {
	PGSIM_SCN_T_NUM,     /* number: decimal, 0x hex, '_' between digits,
			      * K/M/G/T suffix (powers of 1024) */
	PGSIM_SCN_T_VA,      /* number; engine: fits the address register */
	PGSIM_SCN_T_WORD,    /* number; engine: fits a machine word */
	PGSIM_SCN_T_BOOL,    /* true / false (yes / no) */
	PGSIM_SCN_T_STR,     /* any scalar, as text */
	PGSIM_SCN_T_CHOICE,  /* one of key->choices */
	PGSIM_SCN_T_CAP,     /* slot name; engine: known by then */
	PGSIM_SCN_T_SLOT,    /* slot name the step fills */
	PGSIM_SCN_T_SLOTS,   /* one slot name or a list of them (filled) */
	PGSIM_SCN_T_CAPS,    /* list of slot names (used) */
	PGSIM_SCN_T_RIGHTS,  /* r, w, x, g letters / seL4 preset name / number
			      * -> NUM holding the seL4_CapRights_t word */
	PGSIM_SCN_T_ATTR,    /* number, or names joined by '|' or in a list;
			      * engine resolves the names */
	PGSIM_SCN_T_NUMS,    /* list of numbers */
	PGSIM_SCN_T_STRS,    /* one string or a list of strings */
	PGSIM_SCN_T_MAP,     /* mapping checked against key->sub (a scalar
			      * fills key->shorthand when that is set) */
	PGSIM_SCN_T_MAPS,    /* list of such mappings (a scalar item fills
			      * key->shorthand) */
};

struct pgsim_scn_key {
	const char *name;               /* NULL ends a key list */
	enum pgsim_scn_type type;
	bool required;
	uint64_t max;                   /* numbers: largest value (0 = any);
					 * lists: most items (0 = any) */
	const char *const *choices;     /* CHOICE: NULL-terminated */
	const struct pgsim_scn_key *sub;/* MAP / MAPS */
	const char *shorthand;          /* MAP / MAPS: key a scalar fills */
};

/* One step operation.  `impl` belongs to the caller (the engine keeps its
 * run function there); the loader never looks at it. */
struct pgsim_scn_opdef {
	const char *name;
	const struct pgsim_scn_key *keys;   /* NULL-name terminated */
	const char *shorthand;              /* key `- op: scalar` fills, or NULL */
	const void *impl;
};

struct pgsim_scn_schema {
	const struct pgsim_scn_opdef *ops;
	unsigned n_ops;
	const struct pgsim_scn_key *expect; /* keys of a step's `expect` */
	const char *expect_shorthand;       /* key `expect: scalar` fills */
};

/* ---- a loaded scenario ---------------------------------------------------- */

struct pgsim_scn_untyped {
	const char *slot;
	uint64_t pa;
	unsigned size_bits;
	bool device;
	struct pgsim_scn_mark mark;         /* the entry */
	struct pgsim_scn_mark pa_mark, size_mark, slot_mark;
};

struct pgsim_scn_object {
	const char *name;                   /* slot */
	const char *type;                   /* object type name as written */
	uint64_t size_bits;                 /* 0 = not given */
	const char *from;                   /* untyped slot, NULL = default */
	struct pgsim_scn_mark mark, type_mark, size_mark, from_mark;
};

struct pgsim_scn_step {
	const struct pgsim_scn_opdef *op;
	unsigned index;                     /* 1-based position in steps */
	struct pgsim_scn_mark mark;         /* the operation key */
	const char *note;                   /* optional `note:` text */
	const struct pgsim_scn_node *args;  /* MAP (shorthand expanded) */
	const struct pgsim_scn_node *expect;/* MAP, or NULL: must succeed */
	struct pgsim_scn_mark expect_mark;
};

struct pgsim_scn {
	const char *file;
	const char *name;                   /* `name:`, else the file name */
	const char *description;            /* may be NULL */
	const char *arch;
	struct pgsim_scn_mark arch_mark;
	const struct pgsim_scn_node *root;  /* the whole document (MAP) */
	/* arch options: nodes of the root (NULL when absent) */
	const struct pgsim_scn_node *va_bits, *pa_bits, *cpu, *kernel;
	const char *vspace;                 /* NULL: "vspace"; "none": no default */
	struct pgsim_scn_mark vspace_mark;
	unsigned n_untyped;                 /* 0: the engine's default region */
	struct pgsim_scn_untyped *untyped;
	unsigned n_objects;
	struct pgsim_scn_object *objects;
	unsigned n_steps;
	struct pgsim_scn_step *steps;
	struct pgsim_scn_arena *arena;      /* owns everything above */
};

/* Load a scenario from a file / a buffer (`file` names it in messages).
 * Returns 0 with *out set, -EINVAL when the input has errors (all of them,
 * up to the limit, in d; *out is NULL), or -errno when the file cannot be
 * read (message in d).  Hostile input is bounded: files over 16 MiB,
 * nesting deeper than 64 levels, aliases, and more than a million nodes
 * are errors. */
int pgsim_scn_load_file(const char *path, const struct pgsim_scn_schema *schema,
			struct pgsim_scn **out, struct pgsim_scn_diags *d);
int pgsim_scn_load_buf(const char *file, const char *buf, size_t len,
		       const struct pgsim_scn_schema *schema,
		       struct pgsim_scn **out, struct pgsim_scn_diags *d);
void pgsim_scn_free(struct pgsim_scn *s);

/* Scalar parsers shared with the engine.  Return false on bad syntax;
 * pgsim_scn_parse_num also fails on numbers above 2^64 - 1. */
bool pgsim_scn_parse_num(const char *s, uint64_t *v);
bool pgsim_scn_parse_rights(const char *s, uint64_t *v);

#endif
