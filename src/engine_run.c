/* pgsim: scenario engine — running a prepared scenario.
 *
 * Setup first: the default vspace (retyped and assigned an ASID, like the
 * initial thread's seL4_CapInitThreadVSpace) and the objects, in order.
 * Then every step: run, match, record.  Without keep_going the first
 * failed step stops the scenario and the rest are reported as not run.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "engine_impl.h"

/* ---- --trace: the walk of the VAs a kernel step touches ------------------- */

static void watch_add(struct pgsim_engine *e, struct eng_watch *w, pgsim_pa_t root,
		      pgsim_va_t va)
{
	struct pgsim_walk_req req = { .access = PGSIM_ACCESS_READ, .user = true };

	for (unsigned i = 0; i < w->n; i++)
		if (w->w[i].root == root && w->w[i].va == va)
			return;
	if (w->n == ENG_MAX_WATCH)
		return;
	w->w[w->n].root = root;
	w->w[w->n].va = va;
	if (pgsim_walk_translate(&e->cfg, e->mem, root, va, &req, &w->w[w->n].t) == 0)
		w->n++;
}

void eng_watch_before(struct pgsim_engine *e, const struct pgsim_scn_step *st,
		      struct eng_watch *w)
{
	static const char *const cap_keys[] = { "cap", "src" };
	const struct pgsim_scn_node *va = eng_arg(st, "vaddr");
	const char *vs = eng_vspace(e, st);
	pgsim_pa_t root;

	w->n = 0;
	if (va && vs && pgsim_kernel_root_pa(e->k, vs, &root) == 0)
		watch_add(e, w, root, va->num);
	/* where a named cap says it is mapped */
	for (unsigned i = 0; i < 2; i++) {
		const char *slot = eng_str(st, cap_keys[i], NULL);
		struct pgsim_kcap_info c;

		if (slot && pgsim_kernel_cap(e->k, slot, &c) == 0 && c.mapped && c.vaddr &&
		    pgsim_kernel_asid_root(e->k, c.asid, &root) == 0)
			watch_add(e, w, root, c.vaddr);
	}
}

static void trail_line(struct pgsim_engine *e, const struct pgsim_trail_step *s, pgsim_va_t va,
		       const char *what)
{
	fprintf(e->trace, "  %s [%u] at 0x%llx: 0x%llx %s%s\n",
		e->cfg.arch->level[s->level].entry_name, pgsim_level_index(&e->cfg, s->level, va),
		(unsigned long long)s->entry_pa, (unsigned long long)s->value,
		pgsim_entry_kind_name(s->kind), what);
}

void eng_watch_after(struct pgsim_engine *e, const struct eng_watch *w)
{
	struct pgsim_walk_req req = { .access = PGSIM_ACCESS_READ, .user = true };

	for (unsigned i = 0; i < w->n; i++) {
		const struct pgsim_translation *b = &w->w[i].t;
		struct pgsim_translation t;

		if (pgsim_walk_translate(&e->cfg, e->mem, w->w[i].root, w->w[i].va, &req, &t))
			continue;
		fprintf(e->trace, "walk of 0x%llx after the step (root 0x%llx):\n",
			(unsigned long long)w->w[i].va, (unsigned long long)w->w[i].root);
		for (unsigned j = 0; j < t.n_trail; j++) {
			const struct pgsim_trail_step *s = &t.trail[j];
			const char *what = "  (newly on the path)";
			char buf[64];

			for (unsigned k = 0; k < b->n_trail; k++) {
				if (b->trail[k].entry_pa != s->entry_pa)
					continue;
				what = "";
				if (b->trail[k].value != s->value) {
					snprintf(buf, sizeof(buf), "  (written, was 0x%llx)",
						 (unsigned long long)b->trail[k].value);
					what = buf;
				}
			}
			trail_line(e, s, t.va, what);
		}
		/* entries the step took off the path */
		for (unsigned k = 0; k < b->n_trail; k++) {
			bool on = false;
			uint64_t now;
			char buf[64];

			for (unsigned j = 0; j < t.n_trail; j++)
				on = on || t.trail[j].entry_pa == b->trail[k].entry_pa;
			if (on || pgsim_mem_read_le(e->mem, b->trail[k].entry_pa,
						    e->cfg.arch->entry_bytes, &now) ||
			    now == b->trail[k].value)
				continue;
			snprintf(buf, sizeof(buf), "  (was on the path; now 0x%llx)",
				 (unsigned long long)now);
			trail_line(e, &b->trail[k], t.va, buf);
		}
		if (t.ok)
			fprintf(e->trace, "  => pa 0x%llx\n", (unsigned long long)t.pa);
		else
			fprintf(e->trace, "  => %s\n", t.fault.text);
	}
}

/* ---- labels ------------------------------------------------------------------- */

static void label_of(const struct pgsim_scn_step *st, char *buf, size_t len)
{
	const struct pgsim_scn_node *a = st->args;
	size_t off = (size_t)snprintf(buf, len, "%s", st->op->name);

	for (unsigned i = 0; a && i < a->n && off < len; i++) {
		const struct pgsim_scn_node *v = &a->items[i];

		off += (size_t)snprintf(buf + off, len - off, " %s=", a->keys[i]);
		if (off >= len)
			break;
		if (v->kind == PGSIM_SCN_LIST) {
			for (unsigned j = 0; j < v->n && off < len; j++)
				off += (size_t)snprintf(buf + off, len - off, "%s%s", j ? "," : "",
							v->items[j].text);
		} else {
			off += (size_t)snprintf(buf + off, len - off, "%s", v->text);
		}
	}
}

/* ---- the run ------------------------------------------------------------------ */

/* The text a memstream collected (NULL when empty); the buffer is only
 * final after fclose. */
static char *close_stream(FILE *f, char **buf)
{
	if (!f)
		return NULL;
	fclose(f);
	if (*buf && !(*buf)[0]) {
		free(*buf);
		*buf = NULL;
	}
	return *buf;
}

static int setup_fail(struct pgsim_run *run, struct pgsim_step_result *r, unsigned line,
		      const char *label, const struct pgsim_kres *k, int rc)
{
	char ks[160];

	r->line = line;
	r->status = PGSIM_STEP_FAIL;
	snprintf(r->label, sizeof(r->label), "%s", label);
	if (rc)
		snprintf(r->outcome, sizeof(r->outcome), "pgsim error: %s", strerror(-rc));
	else {
		pgsim_kres_str(k, ks, sizeof(ks));
		snprintf(r->outcome, sizeof(r->outcome), "%s", ks);
	}
	r->n_mismatch = 1;
	snprintf(r->mm[0].what, sizeof(r->mm[0].what), "setup");
	snprintf(r->mm[0].expected, sizeof(r->mm[0].expected), "seL4_NoError");
	snprintf(r->mm[0].actual, sizeof(r->mm[0].actual), "%.190s", r->outcome);
	run->n_results++;
	run->failed++;
	return 0;
}

/* The default vspace and the objects.  A failure is a failed result. */
static bool setup(struct pgsim_engine *e, struct pgsim_run *run)
{
	const struct pgsim_scn *s = e->s;
	struct pgsim_step_result *r = &run->results[0];
	struct pgsim_kres k;
	int rc;

	if (e->make_vspace) {
		const char *dest[1] = { e->vspace };
		char label[200];

		snprintf(label, sizeof(label), "setup: retype and assign the default vspace '%s'",
			 e->vspace);
		rc = pgsim_kernel_retype(e->k, e->untyped, "vspace", 0, dest, 1, &k);
		if (!rc && k.err == PGSIM_SEL4_NO_ERROR)
			rc = pgsim_kernel_assign(e->k, "asid_pool", e->vspace, &k);
		if (rc || k.err != PGSIM_SEL4_NO_ERROR)
			return setup_fail(run, r, 1, label, &k, rc), false;
	}
	for (unsigned i = 0; i < s->n_objects; i++) {
		const struct pgsim_scn_object *o = &s->objects[i];
		const char *dest[1] = { o->name };
		char label[200];

		if (strcasecmp(o->type, "empty") == 0)
			continue;
		snprintf(label, sizeof(label), "setup: retype object %s (%s)", o->name, o->type);
		rc = pgsim_kernel_retype(e->k, o->from ? o->from : e->untyped, o->type,
					 (unsigned)o->size_bits, dest, 1, &k);
		if (rc || k.err != PGSIM_SEL4_NO_ERROR)
			return setup_fail(run, r, o->mark.line, label, &k, rc), false;
	}
	return true;
}

static int run_step(struct pgsim_engine *e, const struct pgsim_scn_step *st,
		    const struct eng_expect *x, struct pgsim_step_result *r)
{
	const struct eng_op *op = eng_op_of(st);
	char *obuf = NULL, *tbuf = NULL;
	size_t olen = 0, tlen = 0;
	struct eng_watch w = { 0 };
	int rc;

	e->out = open_memstream(&obuf, &olen);
	if (!e->out)
		return -ENOMEM;
	e->trace = NULL;
	if (e->opts->trace) {
		e->trace = open_memstream(&tbuf, &tlen);
		if (!e->trace) {
			fclose(e->out);
			free(obuf);
			return -ENOMEM;
		}
		if (op->produces & X_KRES)
			eng_watch_before(e, st, &w);
	}
	rc = op->run(e, st, &r->act);
	if (rc && !r->act.error[0])
		snprintf(r->act.error, sizeof(r->act.error), "%s", strerror(-rc));
	if (e->trace && (op->produces & X_KRES))
		eng_watch_after(e, &w);
	r->output = close_stream(e->out, &obuf);
	r->trace = close_stream(e->trace, &tbuf);
	e->out = e->trace = NULL;
	eng_expect_match(e, st, x, r);
	eng_outcome_str(e, st, &r->act, r->outcome, sizeof(r->outcome));
	if ((op->produces & X_OUTPUT) && !r->act.error[0]) {
		unsigned lines = 0;

		for (const char *p = r->output; p && *p; p++)
			lines += *p == '\n';
		snprintf(r->outcome, sizeof(r->outcome), "printed %u line%s", lines,
			 lines == 1 ? "" : "s");
	}
	r->status = r->n_mismatch ? PGSIM_STEP_FAIL : PGSIM_STEP_PASS;
	return 0;
}

int pgsim_engine_run(struct pgsim_engine *e, const struct pgsim_engine_opts *o,
		     struct pgsim_run **out)
{
	static const struct pgsim_engine_opts defaults = { 0 };
	const struct pgsim_scn *s = e->s;
	struct pgsim_run *run;
	bool stop = false;

	*out = NULL;
	if (e->ran)
		return -EALREADY;
	e->ran = true;
	e->opts = o ? o : &defaults;
	run = calloc(1, sizeof(*run));
	if (!run)
		return -ENOMEM;
	run->scn = s;
	run->arch = e->cfg.arch->name;
	/* one extra result for a failed setup */
	run->results = calloc(s->n_steps + 1, sizeof(*run->results));
	if (!run->results) {
		free(run);
		return -ENOMEM;
	}
	stop = !setup(e, run);
	for (unsigned i = 0; i < s->n_steps; i++) {
		const struct pgsim_scn_step *st = &s->steps[i];
		struct pgsim_step_result *r = &run->results[run->n_results++];
		int rc;

		r->step = st;
		r->line = st->mark.line;
		label_of(st, r->label, sizeof(r->label));
		if (stop) {
			r->status = PGSIM_STEP_NOT_RUN;
			snprintf(r->outcome, sizeof(r->outcome), "not run");
			run->not_run++;
			continue;
		}
		rc = run_step(e, st, &e->exp[i], r);
		if (rc) {
			pgsim_run_free(run);
			return rc;
		}
		if (r->status == PGSIM_STEP_PASS) {
			run->passed++;
		} else {
			run->failed++;
			stop = !e->opts->keep_going;
		}
	}
	*out = run;
	return 0;
}

void pgsim_run_free(struct pgsim_run *r)
{
	if (!r)
		return;
	for (unsigned i = 0; i < r->n_results; i++) {
		free(r->results[i].output);
		free(r->results[i].trace);
	}
	free(r->results);
	free(r);
}
