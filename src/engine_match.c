/* pgsim: scenario engine — matching an outcome against its expectation,
 * and the outcome in words. */
#include <stdarg.h>
#include <string.h>
#include <strings.h>

#include "engine_impl.h"

static void mm(struct pgsim_step_result *r, const char *what, const char *exp, const char *fmt,
	       ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 4, 5)))
#endif
	;

static void mm(struct pgsim_step_result *r, const char *what, const char *exp, const char *fmt,
	       ...)
{
	struct pgsim_mismatch *m;
	va_list ap;

	if (r->n_mismatch == PGSIM_MAX_MISMATCH)
		return;
	m = &r->mm[r->n_mismatch++];
	snprintf(m->what, sizeof(m->what), "%s", what);
	snprintf(m->expected, sizeof(m->expected), "%s", exp);
	va_start(ap, fmt);
	vsnprintf(m->actual, sizeof(m->actual), fmt, ap);
	va_end(ap);
}

static const char *hex(char *buf, size_t len, uint64_t v)
{
	snprintf(buf, len, "0x%llx", (unsigned long long)v);
	return buf;
}

static void size_str(uint64_t bytes, char *buf, size_t len)
{
	static const char units[] = "KMGTPE";
	unsigned u = 0;

	if (bytes < 1024 || (bytes & 1023)) {
		snprintf(buf, len, "%llu", (unsigned long long)bytes);
		return;
	}
	bytes >>= 10;
	while (bytes >= 1024 && !(bytes & 1023) && u < 5) {
		bytes >>= 10;
		u++;
	}
	snprintf(buf, len, "%llu%c", (unsigned long long)bytes, units[u]);
}

static void match_kres(const struct eng_expect *x, struct pgsim_step_result *r)
{
	const struct pgsim_kres *k = &r->act.kres;
	char got[160], b[40];

	pgsim_kres_str(k, got, sizeof(got));
	if (k->err != x->err) {
		mm(r, "error", pgsim_sel4_err_name(x->err), "%s", got);
		return;
	}
	if (x->has_lookup && k->lookup != x->lookup)
		mm(r, "lookup", pgsim_sel4_lookup_name(x->lookup), "%s", got);
	if (x->has_failed_level) {
		snprintf(b, sizeof(b), "%u", x->failed_level);
		if (k->lookup != PGSIM_SEL4_LOOKUP_MISSING_CAPABILITY)
			mm(r, "failed_level", b, "%s (no failed level)", got);
		else if (k->bits_left != x->failed_level)
			mm(r, "failed_level", b, "%u", k->bits_left);
	}
	if (x->has_arg && k->arg != x->arg) {
		snprintf(b, sizeof(b), "%u", x->arg);
		mm(r, "arg", b, "%u", k->arg);
	}
	if (x->has_cap && k->cap != x->cap) {
		snprintf(b, sizeof(b), "%u", x->cap);
		mm(r, "cap", b, "%u", k->cap);
	}
	if (x->has_range && (k->range_min != x->range_min || k->range_max != x->range_max)) {
		char e2[80];

		snprintf(e2, sizeof(e2), "[0x%llx, 0x%llx]", (unsigned long long)x->range_min,
			 (unsigned long long)x->range_max);
		mm(r, "range", e2, "[0x%llx, 0x%llx]", (unsigned long long)k->range_min,
		   (unsigned long long)k->range_max);
	}
	if (x->has_memory_left && k->memory_left != x->memory_left)
		mm(r, "memory_left", hex(b, sizeof(b), x->memory_left), "0x%llx",
		   (unsigned long long)k->memory_left);
}

/* User accesses compare against seL4's VMFault message; supervisor
 * accesses and translate queries against the architecture's own fault
 * report (the kernel would not deliver a VMFault for them). */
static void match_fault(const struct eng_expect *x, struct pgsim_step_result *r)
{
	const struct pgsim_step_actual *a = &r->act;
	const struct pgsim_fault *f = &a->fault;
	bool vm = a->has_vm_fault;
	uint64_t status = vm ? a->vm_fault.fsr : f->code;
	uint64_t addr = vm ? a->vm_fault.addr : f->addr;
	char b[80];

	if (!a->has_fault) {
		if (x->fault)
			mm(r, "fault", "a fault", "no fault");
		return;
	}
	if (!x->fault) {
		mm(r, "fault", "no fault", "%s", a->fault_line);
		return;
	}
	if (x->has_kind && f->kind != x->kind)
		mm(r, "fault.kind", pgsim_fault_kind_name(x->kind), "%s", pgsim_fault_kind_name(f->kind));
	if (x->has_status && status != x->status)
		mm(r, "fault.status", hex(b, sizeof(b), x->status), "0x%llx (%s)",
		   (unsigned long long)status, a->fault_line);
	if (x->has_address && addr != x->address)
		mm(r, "fault.address", hex(b, sizeof(b), x->address), "0x%llx",
		   (unsigned long long)addr);
	if (x->has_flevel && f->level != x->flevel) {
		snprintf(b, sizeof(b), "%d", x->flevel);
		mm(r, "fault.level", b, "%d", f->level);
	}
	if (x->has_prefetch) {
		bool pf = vm ? a->vm_fault.prefetch != 0 : false;

		if (!vm)
			mm(r, "fault.prefetch", x->prefetch ? "true" : "false",
			   "no VMFault message (not a user access)");
		else if (pf != x->prefetch)
			mm(r, "fault.prefetch", x->prefetch ? "true" : "false", "%s",
			   pf ? "true" : "false");
	}
	if (x->has_ip) {
		if (!vm)
			mm(r, "fault.ip", hex(b, sizeof(b), x->ip), "no VMFault message");
		else if (a->vm_fault.ip != x->ip)
			mm(r, "fault.ip", hex(b, sizeof(b), x->ip), "0x%llx",
			   (unsigned long long)a->vm_fault.ip);
	}
	if (x->has_label) {
		snprintf(b, sizeof(b), "%u", x->label);
		if (!vm)
			mm(r, "fault.label", b, "no VMFault message");
		else if (a->vm_fault.label != x->label)
			mm(r, "fault.label", b, "%u", a->vm_fault.label);
	}
	if (x->has_line && strcmp(x->line, a->fault_line) != 0)
		mm(r, "fault.line", x->line, "%s", a->fault_line);
}

static void match_translation(const struct eng_expect *x, struct pgsim_step_result *r)
{
	const struct pgsim_translation *t = &r->act.t;
	char e1[80], a1[80];

	if (!r->act.has_translation) {
		mm(r, "translation", "a translation", "%s",
		   r->act.has_fault ? r->act.fault_line : "none");
		return;
	}
	if (x->has_pa && t->pa != x->pa)
		mm(r, "translation.pa", hex(e1, sizeof(e1), x->pa), "0x%llx",
		   (unsigned long long)t->pa);
	if (x->has_size && (t->page_lg2 >= 64 || (1ull << t->page_lg2) != x->size)) {
		size_str(x->size, e1, sizeof(e1));
		size_str(t->page_lg2 < 64 ? 1ull << t->page_lg2 : 0, a1, sizeof(a1));
		mm(r, "translation.size", e1, "%s", a1);
	}
	if (x->has_tlevel && t->level != x->tlevel) {
		snprintf(e1, sizeof(e1), "%d", x->tlevel);
		mm(r, "translation.level", e1, "%d", t->level);
	}
	if (x->has_perms && (t->perms & x->perms_mask) != x->perms) {
		/* Show only the modes the expectation names, for both sides. */
		bool u = x->perms_mask & (PGSIM_P_UR | PGSIM_P_UW | PGSIM_P_UX);
		bool sv = x->perms_mask & (PGSIM_P_SR | PGSIM_P_SW | PGSIM_P_SX);
		pgsim_perms_str(x->perms, e1, sizeof(e1));
		pgsim_perms_str(t->perms, a1, sizeof(a1));
		if (u != sv) {
			/* "u:rw- s:---": the user half is chars 0-4, the rest follows */
			memmove(e1, u ? e1 : e1 + 6, 6);
			memmove(a1, u ? a1 : a1 + 6, 6);
			e1[5] = a1[5] = '\0';
		}
		mm(r, "translation.perms", e1, "%s", a1);
	}
}

static void match_created(const struct eng_expect *x, struct pgsim_step_result *r)
{
	const struct pgsim_kmap_report *c = &r->act.created;
	char b[80];

	if (c->n_created != x->n_created) {
		snprintf(b, sizeof(b), "%u object%s", x->n_created, x->n_created == 1 ? "" : "s");
		mm(r, "created", b, "%u object%s", c->n_created, c->n_created == 1 ? "" : "s");
		return;
	}
	for (unsigned i = 0; i < c->n_created; i++) {
		const struct eng_created *ec = &x->created[i];
		char what[40];

		snprintf(what, sizeof(what), "created[%u]", i);
		if (ec->type && (!c->created[i].type || strcmp(ec->type, c->created[i].type->name)))
			mm(r, what, ec->type, "%s",
			   c->created[i].type ? c->created[i].type->name : "nothing");
		if (ec->slot && strcmp(ec->slot, c->created[i].slot))
			mm(r, what, ec->slot, "%s", c->created[i].slot);
		if (ec->has_level && ec->level != c->created[i].bits_left) {
			snprintf(b, sizeof(b), "failed level %u", ec->level);
			mm(r, what, b, "failed level %u", c->created[i].bits_left);
		}
	}
}

/* Printed text: name the first line that differs. */
static void match_output(const char *want, const char *got, struct pgsim_step_result *r)
{
	unsigned line = 1;
	size_t lw, lg;
	char what[40], e1[160];

	for (;;) {
		lw = strcspn(want, "\n");
		lg = strcspn(got, "\n");
		if (lw != lg || strncmp(want, got, lw) != 0 || !want[lw] || !got[lg])
			break;
		want += lw + 1;
		got += lg + 1;
		line++;
	}
	snprintf(what, sizeof(what), "output line %u", line);
	if (!*want)
		snprintf(e1, sizeof(e1), "nothing (the output ends)");
	else
		snprintf(e1, sizeof(e1), "'%.*s'", (int)(lw < 150 ? lw : 150), want);
	if (!*got)
		mm(r, what, e1, "nothing (the output ends)");
	else
		mm(r, what, e1, "'%.*s'", (int)(lg < 190 ? lg : 190), got);
}

/* Is `id` one of the comma-separated IDs in `list` (case-insensitive)? */
static bool id_in(const char *id, const char *list)
{
	size_t n = strlen(id);

	while (*list) {
		size_t l = strcspn(list, ",");

		if (l == n && strncasecmp(list, id, n) == 0)
			return true;
		list += l;
		list += *list == ',';
	}
	return false;
}

/* The violated set must be exactly the expected one (empty by default). */
static void match_invariants(const struct eng_expect *x, struct pgsim_step_result *r)
{
	const struct pgsim_scn_node *want = x->invariants;
	const char *got = r->act.invariants;
	char e1[160];
	size_t off = 0;
	unsigned n_got = 0;
	bool same = true;

	if (!r->act.has_invariants)
		return;
	for (const char *p = got; *p; p++)
		n_got += p == got || p[-1] == ',';
	e1[0] = '\0';
	for (unsigned i = 0; want && i < want->n; i++) {
		same = same && id_in(want->items[i].text, got);
		if (off < sizeof(e1))
			off += (size_t)snprintf(e1 + off, sizeof(e1) - off, "%s%s", i ? "," : "",
						want->items[i].text);
	}
	if (!same || n_got != (want ? want->n : 0))
		mm(r, "invariants", want && want->n ? e1 : "all hold", "%s",
		   got[0] ? got : "all hold");
}

void eng_expect_match(const struct pgsim_engine *e, const struct pgsim_scn_step *st,
		      const struct eng_expect *x, struct pgsim_step_result *r)
{
	const struct eng_op *op = eng_op_of(st);
	const struct pgsim_step_actual *a = &r->act;
	char b[80];

	(void)e;
	if (a->error[0]) {
		mm(r, "pgsim", "the step runs", "%s", a->error);
		return;
	}
	if ((op->produces & X_KRES) && a->has_kres)
		match_kres(x, r);
	if (op->produces & X_FAULT)
		match_fault(x, r);
	if (x->has_value) {
		if (!a->has_value)
			mm(r, "value", hex(b, sizeof(b), x->value), "no value");
		else if (a->value != x->value)
			mm(r, "value", hex(b, sizeof(b), x->value), "0x%llx",
			   (unsigned long long)a->value);
	}
	if (x->keys & X_TRANSLATION)
		match_translation(x, r);
	if (x->has_created)
		match_created(x, r);
	if (x->output && strcmp(x->output, r->output ? r->output : "") != 0)
		match_output(x->output, r->output ? r->output : "", r);
	if (op->produces & X_INVARIANTS)
		match_invariants(x, r);
}

/* ---- outcome in words ------------------------------------------------------ */

struct sbuf {
	char *p;
	size_t len, off;
};

static void put(struct sbuf *s, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 2, 3)))
#endif
	;

static void put(struct sbuf *s, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (s->off >= s->len)
		return;
	if (s->off)
		s->off += (size_t)snprintf(s->p + s->off, s->len - s->off, ", ");
	if (s->off >= s->len)
		return;
	va_start(ap, fmt);
	n = vsnprintf(s->p + s->off, s->len - s->off, fmt, ap);
	va_end(ap);
	if (n > 0)
		s->off += (size_t)n;
}

void eng_outcome_str(const struct pgsim_engine *e, const struct pgsim_scn_step *st,
		     const struct pgsim_step_actual *a, char *buf, size_t len)
{
	struct sbuf s = { buf, len, 0 };

	(void)e;
	(void)st;
	buf[0] = '\0';
	if (a->error[0]) {
		put(&s, "pgsim error: %s", a->error);
		return;
	}
	if (a->has_kres) {
		char k[160];

		pgsim_kres_str(&a->kres, k, sizeof(k));
		put(&s, "%s", k);
	}
	if (a->has_created) {
		for (unsigned i = 0; i < a->created.n_created; i++)
			put(&s, "made %s %s (failed level %u)",
			    a->created.created[i].type ? a->created.created[i].type->name : "?",
			    a->created.created[i].slot, a->created.created[i].bits_left);
	}
	if (a->has_fault)
		put(&s, "%s", a->fault_line);
	if (a->has_translation) {
		char p[40], sz[24];

		pgsim_perms_str(a->t.perms, p, sizeof(p));
		size_str(a->t.page_lg2 < 64 ? 1ull << a->t.page_lg2 : 0, sz, sizeof(sz));
		put(&s, "pa 0x%llx (%s page, level %d, %s)", (unsigned long long)a->t.pa, sz,
		    a->t.level, p);
	}
	if (a->has_value)
		put(&s, "value 0x%llx", (unsigned long long)a->value);
	if (a->has_invariants)
		put(&s, a->invariants[0] ? "violated: %s" : "invariants hold%s", a->invariants);
	if (!s.off)
		put(&s, "done");
}
