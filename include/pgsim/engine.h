/* pgsim: the scenario engine.
 *
 * Runs a loaded scenario's steps over the seL4 kernel model and the
 * reference walker and matches each step's outcome against its `expect`.
 * Three phases:
 *   load     pgsim_engine_load: the file through the loader with the
 *            engine's op table as the step schema;
 *   prepare  pgsim_engine_prepare: the machine (architecture, CPU flags,
 *            memory, kernel, untyped regions) is built and every step is
 *            checked against it (object types, cap names, attribute and
 *            error names, numbers that must fit the architecture).  Any
 *            problem is a file:line:col diagnostic, before any step runs;
 *   run      pgsim_engine_run: objects are retyped, steps run in order,
 *            each yields a pgsim_step_result (outcome values, mismatches).
 * Formatting the results (text, JSON, TAP) is in src/engine_report.c.
 * The operations, keys and outputs are documented in docs/scenarios.md.
 */
#ifndef PGSIM_ENGINE_H
#define PGSIM_ENGINE_H

#include <stdio.h>

#include "pgsim/kernel.h"
#include "pgsim/scenario.h"
#include "pgsim/walk.h"

/* The step operations and expectation keys, for pgsim_scn_load_*. */
const struct pgsim_scn_schema *pgsim_engine_schema(void);

/* pgsim_scn_load_file with the engine's schema. */
int pgsim_engine_load(const char *path, struct pgsim_scn **out, struct pgsim_scn_diags *d);

struct pgsim_engine;

/* Build the machine for s and check every step.  Returns 0, -EINVAL with
 * diagnostics in d, or -ENOMEM.  s must outlive the engine. */
int pgsim_engine_prepare(const struct pgsim_scn *s, struct pgsim_scn_diags *d,
			 struct pgsim_engine **out);
void pgsim_engine_free(struct pgsim_engine *e);

struct pgsim_engine_opts {
	bool keep_going;   /* run every step even after one failed */
	bool trace;        /* record walk trails and entries written */
};

enum pgsim_step_status {
	PGSIM_STEP_PASS,
	PGSIM_STEP_FAIL,
	PGSIM_STEP_NOT_RUN,
};

/* What a step did, as values. */
struct pgsim_step_actual {
	bool has_kres;                 /* an seL4 invocation answered */
	struct pgsim_kres kres;
	bool has_value;                /* read value, GetAddress PA, ASID ... */
	uint64_t value;
	bool has_fault;                /* a memory access or translation faulted */
	struct pgsim_fault fault;      /* as the walker reported it */
	bool has_vm_fault;             /* user access: seL4's VMFault message */
	struct pgsim_vm_fault vm_fault;
	char fault_line[160];          /* kernel debug line (user) / arch text */
	bool has_translation;          /* translate / access that succeeded */
	struct pgsim_translation t;
	bool has_created;              /* map_helper */
	struct pgsim_kmap_report created;
	/* check: the IDs of the invariants that were violated, comma
	 * separated in the checker's order ("" = all held) */
	bool has_invariants;
	char invariants[512];
	char error[200];               /* pgsim itself failed ("" = no) */
};

struct pgsim_mismatch {
	char what[40];                 /* "error", "fault.status", "value" ... */
	char expected[160];
	char actual[200];
};

#define PGSIM_MAX_MISMATCH 8

struct pgsim_step_result {
	const struct pgsim_scn_step *step; /* NULL: the objects setup */
	unsigned line;                 /* line of the operation (or object) */
	char label[200];               /* "map frame vaddr=0xa000000000 rights=r" */
	enum pgsim_step_status status;
	char outcome[240];             /* what happened, in words */
	unsigned n_mismatch;
	struct pgsim_mismatch mm[PGSIM_MAX_MISMATCH];
	struct pgsim_step_actual act;
	char *output;                  /* print steps: what was printed */
	char *trace;                   /* --trace: trail and entries written */
};

struct pgsim_run {
	const struct pgsim_scn *scn;
	const char *arch;
	unsigned n_results;
	struct pgsim_step_result *results;
	unsigned passed, failed, not_run;
};

/* Run the scenario once (an engine runs at most once).  Returns 0 with
 * *out set (whatever the outcome of the steps), or -errno. */
int pgsim_engine_run(struct pgsim_engine *e, const struct pgsim_engine_opts *o,
		     struct pgsim_run **out);
void pgsim_run_free(struct pgsim_run *r);

/* ---- output (src/engine_report.c, formats in docs/scenarios.md) ---------- */

/* A heading, one line per step (print output and trace indented below it)
 * and "N passed, N failed". */
void pgsim_run_print_text(FILE *out, const struct pgsim_run *r, bool trace);
/* One JSON document on one line, "pgsim-run" format version 1. */
void pgsim_run_print_json(FILE *out, const struct pgsim_run *r, bool trace);
/* TAP 13 test points, numbered from *counter + 1 (the caller prints the
 * version line first and the plan "1..N" after the last scenario). */
void pgsim_run_print_tap(FILE *out, const struct pgsim_run *r, bool trace, unsigned *counter);

#endif
