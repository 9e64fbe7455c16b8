/* pgsim: scenario engine — results as text, JSON and TAP.
 *
 * Deterministic: no pointers, no times; numbers that can be 64 bits wide
 * are hex strings in JSON.  docs/scenarios.md shows every format.
 */
#include <string.h>

#include "engine_impl.h"

static const char *status_word(enum pgsim_step_status s)
{
	switch (s) {
	case PGSIM_STEP_PASS: return "pass";
	case PGSIM_STEP_FAIL: return "FAIL";
	default: return "skip";
	}
}

static void indent(FILE *out, const char *text, const char *prefix)
{
	while (text && *text) {
		size_t n = strcspn(text, "\n");

		fprintf(out, "%s%.*s\n", prefix, (int)n, text);
		text += n;
		if (*text)
			text++;
	}
}

static void summary(FILE *out, const struct pgsim_run *r)
{
	fprintf(out, "%u passed, %u failed", r->passed, r->failed);
	if (r->not_run)
		fprintf(out, ", %u not run", r->not_run);
	fputc('\n', out);
}

void pgsim_run_print_text(FILE *out, const struct pgsim_run *r, bool trace)
{
	fprintf(out, "%s (%s, %s)\n", r->scn->name, r->scn->file, r->arch);
	for (unsigned i = 0; i < r->n_results; i++) {
		const struct pgsim_step_result *s = &r->results[i];

		fprintf(out, "  %s  line %-4u %s: %s\n", status_word(s->status), s->line, s->label,
			s->outcome);
		for (unsigned j = 0; j < s->n_mismatch; j++)
			fprintf(out, "        %s:%u: %s: expected %s, got %s\n", r->scn->file, s->line,
				s->mm[j].what, s->mm[j].expected, s->mm[j].actual);
		/* A failed step shows what the kernel said about it (seL4's
		 * userError text), which often names the argument at fault. */
		if (s->status == PGSIM_STEP_FAIL && s->act.has_kres && s->act.kres.msg[0])
			fprintf(out, "        kernel: %s\n", s->act.kres.msg);
		indent(out, s->output, "        ");
		if (trace)
			indent(out, s->trace, "        ");
	}
	summary(out, r);
}

/* ---- JSON ------------------------------------------------------------------ */

static void jstr(FILE *out, const char *s)
{
	fputc('"', out);
	for (; s && *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(out, "\\%c", c);
		else if (c == '\n')
			fputs("\\n", out);
		else if (c == '\t')
			fputs("\\t", out);
		else if (c < 0x20)
			fprintf(out, "\\u%04x", c);
		else
			fputc(c, out);
	}
	fputc('"', out);
}

static void jkey(FILE *out, const char *k, bool *first)
{
	if (!*first)
		fputc(',', out);
	*first = false;
	jstr(out, k);
	fputc(':', out);
}

static void jhex(FILE *out, const char *k, uint64_t v, bool *first)
{
	jkey(out, k, first);
	fprintf(out, "\"0x%llx\"", (unsigned long long)v);
}

static void json_kres(FILE *out, const struct pgsim_kres *k, bool *first)
{
	jkey(out, "error", first);
	jstr(out, pgsim_sel4_err_name(k->err));
	switch (k->err) {
	case PGSIM_SEL4_INVALID_ARGUMENT:
		jkey(out, "arg", first);
		fprintf(out, "%u", k->arg);
		break;
	case PGSIM_SEL4_INVALID_CAPABILITY:
		jkey(out, "cap", first);
		fprintf(out, "%u", k->cap);
		break;
	case PGSIM_SEL4_RANGE_ERROR:
		jkey(out, "range", first);
		fprintf(out, "[\"0x%llx\",\"0x%llx\"]", (unsigned long long)k->range_min,
			(unsigned long long)k->range_max);
		break;
	case PGSIM_SEL4_FAILED_LOOKUP:
		jkey(out, "lookup", first);
		jstr(out, pgsim_sel4_lookup_name(k->lookup));
		if (k->lookup == PGSIM_SEL4_LOOKUP_MISSING_CAPABILITY) {
			jkey(out, "failed_level", first);
			fprintf(out, "%u", k->bits_left);
		}
		break;
	case PGSIM_SEL4_NOT_ENOUGH_MEMORY:
		jhex(out, "memory_left", k->memory_left, first);
		break;
	default:
		break;
	}
	if (k->msg[0]) {
		jkey(out, "kernel_message", first);
		jstr(out, k->msg);
	}
}

static void json_actual(FILE *out, const struct pgsim_step_actual *a)
{
	bool first = true;

	fputc('{', out);
	if (a->error[0]) {
		jkey(out, "pgsim_error", &first);
		jstr(out, a->error);
	}
	if (a->has_kres)
		json_kres(out, &a->kres, &first);
	if (a->has_value)
		jhex(out, "value", a->value, &first);
	if (a->has_fault) {
		bool f2 = true;
		bool vm = a->has_vm_fault;

		jkey(out, "fault", &first);
		fputc('{', out);
		jkey(out, "kind", &f2);
		jstr(out, pgsim_fault_kind_name(a->fault.kind));
		jkey(out, "level", &f2);
		fprintf(out, "%d", a->fault.level);
		jhex(out, "status", vm ? a->vm_fault.fsr : a->fault.code, &f2);
		jhex(out, "address", vm ? a->vm_fault.addr : a->fault.addr, &f2);
		if (vm) {
			jkey(out, "prefetch", &f2);
			fputs(a->vm_fault.prefetch ? "true" : "false", out);
			jhex(out, "ip", a->vm_fault.ip, &f2);
			jkey(out, "label", &f2);
			fprintf(out, "%u", a->vm_fault.label);
		}
		jkey(out, "line", &f2);
		jstr(out, a->fault_line);
		fputc('}', out);
	}
	if (a->has_translation) {
		bool f2 = true;
		char p[32];

		pgsim_perms_str(a->t.perms, p, sizeof(p));
		jkey(out, "translation", &first);
		fputc('{', out);
		jhex(out, "pa", a->t.pa, &f2);
		jhex(out, "size", a->t.page_lg2 < 64 ? 1ull << a->t.page_lg2 : 0, &f2);
		jkey(out, "level", &f2);
		fprintf(out, "%d", a->t.level);
		jkey(out, "perms", &f2);
		jstr(out, p);
		fputc('}', out);
	}
	if (a->has_created) {
		jkey(out, "created", &first);
		fputc('[', out);
		for (unsigned i = 0; i < a->created.n_created; i++) {
			bool f2 = true;

			fputs(i ? ",{" : "{", out);
			jkey(out, "type", &f2);
			jstr(out, a->created.created[i].type ? a->created.created[i].type->name : "");
			jkey(out, "slot", &f2);
			jstr(out, a->created.created[i].slot);
			jkey(out, "failed_level", &f2);
			fprintf(out, "%u", a->created.created[i].bits_left);
			fputc('}', out);
		}
		fputc(']', out);
	}
	if (a->has_invariants) {
		const char *p = a->invariants;

		jkey(out, "invariants", &first);
		fputc('[', out);
		while (*p) {
			size_t l = strcspn(p, ",");

			fprintf(out, "%s\"%.*s\"", p == a->invariants ? "" : ",", (int)l, p);
			p += l;
			p += *p == ',';
		}
		fputc(']', out);
	}
	fputc('}', out);
}

void pgsim_run_print_json(FILE *out, const struct pgsim_run *r, bool trace)
{
	bool first = true;

	fputc('{', out);
	jkey(out, "format", &first);
	jstr(out, "pgsim-run");
	jkey(out, "version", &first);
	fputs("1", out);
	jkey(out, "file", &first);
	jstr(out, r->scn->file);
	jkey(out, "name", &first);
	jstr(out, r->scn->name);
	jkey(out, "arch", &first);
	jstr(out, r->arch);
	jkey(out, "result", &first);
	jstr(out, r->failed ? "fail" : "pass");
	jkey(out, "passed", &first);
	fprintf(out, "%u", r->passed);
	jkey(out, "failed", &first);
	fprintf(out, "%u", r->failed);
	jkey(out, "not_run", &first);
	fprintf(out, "%u", r->not_run);
	jkey(out, "steps", &first);
	fputc('[', out);
	for (unsigned i = 0; i < r->n_results; i++) {
		const struct pgsim_step_result *s = &r->results[i];
		bool f2 = true;

		fputs(i ? ",{" : "{", out);
		jkey(out, "index", &f2);
		fprintf(out, "%u", s->step ? s->step->index : 0);
		jkey(out, "line", &f2);
		fprintf(out, "%u", s->line);
		jkey(out, "op", &f2);
		jstr(out, s->step ? s->step->op->name : "setup");
		jkey(out, "label", &f2);
		jstr(out, s->label);
		if (s->step && s->step->note) {
			jkey(out, "note", &f2);
			jstr(out, s->step->note);
		}
		jkey(out, "status", &f2);
		jstr(out, s->status == PGSIM_STEP_PASS ? "pass"
			  : s->status == PGSIM_STEP_FAIL ? "fail" : "not_run");
		jkey(out, "outcome", &f2);
		jstr(out, s->outcome);
		if (s->status != PGSIM_STEP_NOT_RUN && s->step) {
			jkey(out, "actual", &f2);
			json_actual(out, &s->act);
		}
		jkey(out, "mismatches", &f2);
		fputc('[', out);
		for (unsigned j = 0; j < s->n_mismatch; j++) {
			bool f3 = true;

			fputs(j ? ",{" : "{", out);
			jkey(out, "what", &f3);
			jstr(out, s->mm[j].what);
			jkey(out, "expected", &f3);
			jstr(out, s->mm[j].expected);
			jkey(out, "actual", &f3);
			jstr(out, s->mm[j].actual);
			fputc('}', out);
		}
		fputc(']', out);
		if (s->output) {
			jkey(out, "output", &f2);
			jstr(out, s->output);
		}
		if (trace && s->trace) {
			jkey(out, "trace", &f2);
			jstr(out, s->trace);
		}
		fputc('}', out);
	}
	fputs("]}\n", out);
}

/* ---- TAP ------------------------------------------------------------------- */

void pgsim_run_print_tap(FILE *out, const struct pgsim_run *r, bool trace, unsigned *counter)
{
	fprintf(out, "# %s (%s, %s)\n", r->scn->name, r->scn->file, r->arch);
	for (unsigned i = 0; i < r->n_results; i++) {
		const struct pgsim_step_result *s = &r->results[i];
		unsigned n = ++*counter;

		fprintf(out, "%s %u - %s:%u %s", s->status == PGSIM_STEP_FAIL ? "not ok" : "ok", n,
			r->scn->file, s->line, s->label);
		if (s->status == PGSIM_STEP_NOT_RUN)
			fputs(" # SKIP not run (an earlier step failed)", out);
		fputc('\n', out);
		if (s->status == PGSIM_STEP_FAIL) {
			fputs("  ---\n  outcome: ", out);
			jstr(out, s->outcome);
			fputs("\n  mismatches:\n", out);
			for (unsigned j = 0; j < s->n_mismatch; j++) {
				fputs("    - what: ", out);
				jstr(out, s->mm[j].what);
				fputs("\n      expected: ", out);
				jstr(out, s->mm[j].expected);
				fputs("\n      actual: ", out);
				jstr(out, s->mm[j].actual);
				fputc('\n', out);
			}
			fputs("  ...\n", out);
		}
		indent(out, s->output, "# ");
		if (trace)
			indent(out, s->trace, "# ");
	}
}
