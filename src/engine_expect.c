/* pgsim: scenario engine — expectations.
 *
 * A step's `expect` is decoded against the machine at prepare time (error
 * names, fault kinds, object types), then compared with the step's actual
 * outcome.  No `expect` means: no seL4 error and no fault.  Each key given
 * is compared; keys not given are not.  A mismatch records what was
 * expected and what happened, in the words the output uses.
 */
#include <errno.h>
#include <string.h>
#include <strings.h>

#include "engine_impl.h"

static const struct pgsim_scn_key fault_keys[] = {
	{ .name = "status", .type = PGSIM_SCN_T_NUM },
	{ .name = "kind", .type = PGSIM_SCN_T_STR },
	{ .name = "address", .type = PGSIM_SCN_T_NUM },
	{ .name = "level", .type = PGSIM_SCN_T_NUM, .max = PGSIM_MAX_LEVELS - 1 },
	{ .name = "prefetch", .type = PGSIM_SCN_T_BOOL },
	{ .name = "ip", .type = PGSIM_SCN_T_NUM },
	{ .name = "label", .type = PGSIM_SCN_T_NUM },
	{ .name = "line", .type = PGSIM_SCN_T_STR },
	{ 0 }
};

static const struct pgsim_scn_key translation_keys[] = {
	{ .name = "pa", .type = PGSIM_SCN_T_NUM },
	{ .name = "size", .type = PGSIM_SCN_T_NUM },
	{ .name = "level", .type = PGSIM_SCN_T_NUM, .max = PGSIM_MAX_LEVELS - 1 },
	{ .name = "perms", .type = PGSIM_SCN_T_STR },
	{ 0 }
};

static const struct pgsim_scn_key created_keys[] = {
	{ .name = "type", .type = PGSIM_SCN_T_STR },
	{ .name = "slot", .type = PGSIM_SCN_T_STR },
	{ .name = "failed_level", .type = PGSIM_SCN_T_NUM, .max = 64 },
	{ 0 }
};

static const char *const lookups[] = { "invalid_root", "missing_capability", NULL };

const struct pgsim_scn_key eng_expect_keys[] = {
	{ .name = "error", .type = PGSIM_SCN_T_STR },
	{ .name = "failed_level", .type = PGSIM_SCN_T_NUM, .max = 64 },
	{ .name = "lookup", .type = PGSIM_SCN_T_CHOICE, .choices = lookups },
	{ .name = "arg", .type = PGSIM_SCN_T_NUM, .max = 63 },
	{ .name = "cap", .type = PGSIM_SCN_T_NUM, .max = 63 },
	{ .name = "range", .type = PGSIM_SCN_T_NUMS, .max = 2 },
	{ .name = "memory_left", .type = PGSIM_SCN_T_NUM },
	{ .name = "value", .type = PGSIM_SCN_T_NUM },
	{ .name = "fault", .type = PGSIM_SCN_T_MAP, .sub = fault_keys, .shorthand = "kind" },
	{ .name = "translation", .type = PGSIM_SCN_T_MAP, .sub = translation_keys },
	{ .name = "created", .type = PGSIM_SCN_T_MAPS, .sub = created_keys, .shorthand = "type",
	  .max = ENG_MAX_CREATED },
	{ .name = "output", .type = PGSIM_SCN_T_STR },
	{ .name = "invariants", .type = PGSIM_SCN_T_STRS },
	{ 0 }
};

/* Which outcome each expect key looks at. */
static unsigned key_class(const char *k)
{
	static const struct { const char *k; unsigned x; } t[] = {
		{ "error", X_KRES }, { "failed_level", X_KRES }, { "lookup", X_KRES },
		{ "arg", X_KRES }, { "cap", X_KRES }, { "range", X_KRES },
		{ "memory_left", X_KRES }, { "value", X_VALUE }, { "fault", X_FAULT },
		{ "translation", X_TRANSLATION }, { "created", X_CREATED },
		{ "output", X_OUTPUT }, { "invariants", X_INVARIANTS },
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		if (strcmp(t[i].k, k) == 0)
			return t[i].x;
	return 0;
}

static const char *class_words(unsigned x)
{
	switch (x) {
	case X_KRES: return "seL4 error";
	case X_VALUE: return "value";
	case X_FAULT: return "fault";
	case X_TRANSLATION: return "translation";
	case X_CREATED: return "created objects";
	case X_OUTPUT: return "printed output";
	default: return "invariant result";
	}
}

static bool parse_fault_kind(const char *s, enum pgsim_fault_kind *k)
{
	for (int i = PGSIM_FAULT_NONE; i <= PGSIM_FAULT_VA_RANGE; i++) {
		const char *n = pgsim_fault_kind_name((enum pgsim_fault_kind)i);
		size_t j;

		for (j = 0; s[j] && n[j]; j++)
			if (!(s[j] == n[j] || (s[j] == '_' && n[j] == '-')))
				break;
		if (!s[j] && !n[j]) {
			*k = (enum pgsim_fault_kind)i;
			return true;
		}
	}
	return false;
}

/* "u:rw- s:r--": a mode that is written is compared in full, a mode left
 * out is not compared. */
static bool parse_perms(const char *s, unsigned *mask, unsigned *bits)
{
	*mask = *bits = 0;
	while (*s) {
		unsigned shift;

		if (*s == ' ') {
			s++;
			continue;
		}
		if ((s[0] != 'u' && s[0] != 's') || s[1] != ':')
			return false;
		shift = s[0] == 'u' ? 0 : 3;
		if (*mask & (7u << shift))
			return false;
		*mask |= 7u << shift;
		for (s += 2; *s && *s != ' '; s++) {
			switch (*s) {
			case 'r': *bits |= PGSIM_P_UR << shift; break;
			case 'w': *bits |= PGSIM_P_UW << shift; break;
			case 'x': *bits |= PGSIM_P_UX << shift; break;
			case '-': break;
			default: return false;
			}
		}
	}
	return *mask != 0;
}

static void prep_fault(const struct pgsim_scn_node *f, struct eng_expect *x,
		       struct pgsim_scn_diags *d)
{
	const struct pgsim_scn_node *v;

	x->fault = true;
	if ((v = pgsim_scn_get(f, "kind"))) {
		if (!parse_fault_kind(v->text, &x->kind)) {
			char list[200];
			size_t off = 0;

			for (int i = PGSIM_FAULT_NONE; i <= PGSIM_FAULT_VA_RANGE; i++)
				off += (size_t)snprintf(list + off, sizeof(list) - off, "%s%s",
							i ? ", " : "",
							pgsim_fault_kind_name((enum pgsim_fault_kind)i));
			pgsim_scn_diag_add(d, v->mark, "expect.fault.kind: unknown fault kind "
					   "'%.40s' (one of: %s)", v->text, list);
		} else if (x->kind == PGSIM_FAULT_NONE) {
			if (f->n > 1)
				pgsim_scn_diag_add(d, v->mark, "expect.fault: kind none says no fault; "
						   "it takes no other keys");
			x->fault = false;
			return;
		}
		x->has_kind = true;
	}
	if ((v = pgsim_scn_get(f, "status")))
		x->has_status = true, x->status = v->num;
	if ((v = pgsim_scn_get(f, "address")))
		x->has_address = true, x->address = v->num;
	if ((v = pgsim_scn_get(f, "level")))
		x->has_flevel = true, x->flevel = (int)v->num;
	if ((v = pgsim_scn_get(f, "prefetch")))
		x->has_prefetch = true, x->prefetch = v->b;
	if ((v = pgsim_scn_get(f, "ip")))
		x->has_ip = true, x->ip = v->num;
	if ((v = pgsim_scn_get(f, "label")))
		x->has_label = true, x->label = (unsigned)v->num;
	if ((v = pgsim_scn_get(f, "line")))
		x->has_line = true, x->line = v->text;
}

static void prep_translation(const struct pgsim_cfg *cfg, const struct pgsim_scn_node *t,
			     struct eng_expect *x, struct pgsim_scn_diags *d)
{
	const struct pgsim_scn_node *v;

	if ((v = pgsim_scn_get(t, "pa")))
		x->has_pa = true, x->pa = v->num;
	if ((v = pgsim_scn_get(t, "size"))) {
		/* Only the page sizes the architecture has can ever match. */
		char sizes[64] = "";
		size_t off = 0;
		bool found = false;
		for (int l = 0; l <= cfg->top_level; l++) {
			if (!cfg->arch->level[l].leaf_ok)
				continue;
			unsigned lg2 = cfg->arch->level[l].shift;
			found |= v->num == 1ull << lg2;
			off += (size_t)snprintf(sizes + off, sizeof sizes - off, "%s%llu%c", off ? ", " : "",
						1ull << (lg2 % 10), " KMGT"[lg2 / 10]);
			if (off >= sizeof sizes)
				break;
		}
		if (!found)
			pgsim_scn_diag_add(d, v->mark, "expect.translation.size: %s is no page size "
					   "of %s (%s)", v->text, cfg->arch->name, sizes);
		x->has_size = true, x->size = v->num;
	}
	if ((v = pgsim_scn_get(t, "level")))
		x->has_tlevel = true, x->tlevel = (int)v->num;
	if ((v = pgsim_scn_get(t, "perms"))) {
		if (!parse_perms(v->text, &x->perms_mask, &x->perms))
			pgsim_scn_diag_add(d, v->mark, "expect.translation.perms: '%.40s' is not "
					   "of the form 'u:rwx s:rwx' (either part may be left "
					   "out; '-' for a missing right)", v->text);
		x->has_perms = true;
	}
}

static void prep_created(const struct pgsim_engine *e, const struct pgsim_scn_node *c,
			 struct eng_expect *x, struct pgsim_scn_diags *d)
{
	x->has_created = true;
	x->n_created = c->n;
	for (unsigned i = 0; i < c->n && i < ENG_MAX_CREATED; i++) {
		const struct pgsim_scn_node *it = &c->items[i], *v;
		struct eng_created *ec = &x->created[i];

		if ((v = pgsim_scn_get(it, "type"))) {
			const struct pgsim_ktype_info *t = pgsim_kernel_type_find(e->k, v->text);

			if (!t)
				pgsim_scn_diag_add(d, v->mark, "expect.created: unknown %s object "
						   "type '%.40s'", e->cfg.arch->name, v->text);
			else
				ec->type = t->name;
		}
		if ((v = pgsim_scn_get(it, "slot")))
			ec->slot = v->text;
		if ((v = pgsim_scn_get(it, "failed_level")))
			ec->has_level = true, ec->level = (unsigned)v->num;
	}
}

/* An extra word only makes sense with its error. */
static void need_err(const struct pgsim_scn_node *ex, const char *key, const struct eng_expect *x,
		     enum pgsim_sel4_err want, struct pgsim_scn_diags *d)
{
	for (unsigned i = 0; i < ex->n; i++)
		if (strcmp(ex->keys[i], key) == 0 && x->err != want)
			pgsim_scn_diag_add(d, ex->key_marks[i], "expect.%s: goes with error %s", key,
					   pgsim_sel4_err_name(want));
}

void eng_expect_prepare(struct pgsim_engine *e, const struct pgsim_scn_step *st,
			struct eng_expect *x, struct pgsim_scn_diags *d)
{
	const struct eng_op *op = eng_op_of(st);
	const struct pgsim_scn_node *ex = st->expect, *v;

	memset(x, 0, sizeof(*x));
	x->err = PGSIM_SEL4_NO_ERROR;
	if (!ex)
		return;
	for (unsigned i = 0; i < ex->n; i++) {
		unsigned c = key_class(ex->keys[i]);

		if (!(op->produces & c)) {
			pgsim_scn_diag_add(d, ex->key_marks[i], "%s: expect.%s: a %s step has no %s "
					   "to expect", st->op->name, ex->keys[i], st->op->name,
					   class_words(c));
			continue;
		}
		x->keys |= c;
	}
	if ((v = pgsim_scn_get(ex, "error"))) {
		if (pgsim_sel4_err_parse(v->text, &x->err)) {
			const char *names[PGSIM_SEL4_NUM_ERRORS];
			const char *h;

			for (int i = 0; i < PGSIM_SEL4_NUM_ERRORS; i++)
				names[i] = pgsim_sel4_err_name((enum pgsim_sel4_err)i);
			h = pgsim_scn_suggest(v->text, names, PGSIM_SEL4_NUM_ERRORS);
			pgsim_scn_diag_add(d, v->mark, "expect.error: unknown seL4 error '%.40s'%s%s%s",
					   v->text, h ? " (did you mean '" : "", h ? h : "",
					   h ? "'?)" : "");
		}
	}
	if ((v = pgsim_scn_get(ex, "failed_level")))
		x->has_failed_level = true, x->failed_level = (unsigned)v->num;
	if ((v = pgsim_scn_get(ex, "lookup"))) {
		x->has_lookup = true;
		x->lookup = strcmp(v->text, "invalid_root") == 0 ? PGSIM_SEL4_LOOKUP_INVALID_ROOT
								  : PGSIM_SEL4_LOOKUP_MISSING_CAPABILITY;
	}
	if ((v = pgsim_scn_get(ex, "arg")))
		x->has_arg = true, x->arg = (unsigned)v->num;
	if ((v = pgsim_scn_get(ex, "cap")))
		x->has_cap = true, x->cap = (unsigned)v->num;
	if ((v = pgsim_scn_get(ex, "range"))) {
		if (v->n != 2)
			pgsim_scn_diag_add(d, v->mark, "expect.range: give [min, max]");
		else
			x->has_range = true, x->range_min = v->items[0].num,
			x->range_max = v->items[1].num;
	}
	if ((v = pgsim_scn_get(ex, "memory_left")))
		x->has_memory_left = true, x->memory_left = v->num;
	need_err(ex, "failed_level", x, PGSIM_SEL4_FAILED_LOOKUP, d);
	need_err(ex, "lookup", x, PGSIM_SEL4_FAILED_LOOKUP, d);
	need_err(ex, "arg", x, PGSIM_SEL4_INVALID_ARGUMENT, d);
	need_err(ex, "cap", x, PGSIM_SEL4_INVALID_CAPABILITY, d);
	need_err(ex, "range", x, PGSIM_SEL4_RANGE_ERROR, d);
	need_err(ex, "memory_left", x, PGSIM_SEL4_NOT_ENOUGH_MEMORY, d);
	if ((v = pgsim_scn_get(ex, "value")))
		x->has_value = true, x->value = v->num;
	if ((v = pgsim_scn_get(ex, "fault")))
		prep_fault(v, x, d);
	if ((v = pgsim_scn_get(ex, "translation")))
		prep_translation(&e->cfg, v, x, d);
	if ((v = pgsim_scn_get(ex, "created")))
		prep_created(e, v, x, d);
	if ((v = pgsim_scn_get(ex, "output")))
		x->output = v->text;
	/* invariant IDs are checked against the checker's table by the check
	 * operation's prepare hook */
	x->invariants = pgsim_scn_get(ex, "invariants");
}


