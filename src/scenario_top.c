/* pgsim: scenario loader, part 3 — the top-level keys and the steps.
 *
 * The document is a mapping: name, description, arch and its options
 * (va_bits, pa_bits, cpu, kernel), untyped, vspace, objects, steps.  Each
 * step is a mapping with exactly one operation key (from the caller's op
 * table), an optional `expect` and an optional `note`.
 */
#include <errno.h>
#include <string.h>

#include "scenario_impl.h"

static const struct pgsim_scn_key kernel_keys[] = {
	{ .name = "smp", .type = PGSIM_SCN_T_BOOL },
	{ .name = "mcs", .type = PGSIM_SCN_T_BOOL },
	{ .name = "huge_page", .type = PGSIM_SCN_T_BOOL },
	{ .name = "it_asid_reserved", .type = PGSIM_SCN_T_BOOL },
	{ 0 }
};

static const struct pgsim_scn_key untyped_keys[] = {
	{ .name = "slot", .type = PGSIM_SCN_T_SLOT },
	{ .name = "pa", .type = PGSIM_SCN_T_NUM, .required = true },
	{ .name = "size", .type = PGSIM_SCN_T_NUM },
	{ .name = "size_bits", .type = PGSIM_SCN_T_NUM, .max = 64 },
	{ .name = "device", .type = PGSIM_SCN_T_BOOL },
	{ 0 }
};

static const struct pgsim_scn_key object_keys[] = {
	{ .name = "type", .type = PGSIM_SCN_T_STR, .required = true },
	{ .name = "size_bits", .type = PGSIM_SCN_T_NUM, .max = 64 },
	{ .name = "from", .type = PGSIM_SCN_T_CAP },
	{ 0 }
};

/* The top level; cpu, objects and steps are checked by hand below. */
static const struct pgsim_scn_key top_keys[] = {
	{ .name = "name", .type = PGSIM_SCN_T_STR },
	{ .name = "description", .type = PGSIM_SCN_T_STR },
	{ .name = "arch", .type = PGSIM_SCN_T_STR, .required = true },
	{ .name = "va_bits", .type = PGSIM_SCN_T_NUM, .max = 64 },
	{ .name = "pa_bits", .type = PGSIM_SCN_T_NUM, .max = 64 },
	{ .name = "cpu", .type = PGSIM_SCN_T_MAP },
	{ .name = "kernel", .type = PGSIM_SCN_T_MAP, .sub = kernel_keys },
	{ .name = "untyped", .type = PGSIM_SCN_T_MAPS, .sub = untyped_keys },
	{ .name = "vspace", .type = PGSIM_SCN_T_SLOT },
	{ .name = "objects", .type = PGSIM_SCN_T_MAP },
	{ .name = "steps", .type = PGSIM_SCN_T_MAPS, .required = true },
	{ 0 }
};

static const struct pgsim_scn_key bool_key = { .name = "flag", .type = PGSIM_SCN_T_BOOL };
static const struct pgsim_scn_key slot_key = { .name = "slot", .type = PGSIM_SCN_T_SLOT };

/* cpu: {smep: true, wp: false} or [smep, no-wp] (the list form sets the
 * named flags; a "no-" prefix clears one).  The list form is rewritten
 * into the mapping form. */
static void check_cpu(struct scn_ctx *c, struct pgsim_scn_node *v)
{
	if (v->kind == PGSIM_SCN_LIST || v->kind == PGSIM_SCN_SCALAR) {
		struct pgsim_scn_node *items = v->kind == PGSIM_SCN_LIST ? v->items : v;
		unsigned n = v->kind == PGSIM_SCN_LIST ? v->n : 1;
		struct pgsim_scn_node *vals = scn_alloc(c->a, (n ? n : 1) * sizeof(*vals));
		const char **keys = scn_alloc(c->a, (n ? n : 1) * sizeof(*keys));
		struct pgsim_scn_mark *km = scn_alloc(c->a, (n ? n : 1) * sizeof(*km));

		if (!vals || !keys || !km) {
			c->nomem = true;
			return;
		}
		for (unsigned i = 0; i < n; i++) {
			const char *t = items[i].text;

			if (items[i].kind != PGSIM_SCN_SCALAR) {
				SCN_DIAG(c, items[i].mark, "cpu: expected a CPU flag name, got %s",
					 items[i].kind == PGSIM_SCN_NULL ? "nothing" : "a list or mapping");
				return;
			}
			keys[i] = strncmp(t, "no-", 3) == 0 ? t + 3 : t;
			km[i] = items[i].mark;
			vals[i] = items[i];
			vals[i].kind = PGSIM_SCN_BOOL;
			vals[i].b = keys[i] == t;
		}
		for (unsigned i = 0; i < n; i++)
			for (unsigned j = 0; j < i; j++)
				if (strcmp(keys[i], keys[j]) == 0)
					SCN_DIAG(c, km[i], "cpu: flag '%s' given twice", keys[i]);
		memset(v, 0, sizeof(*v));
		v->kind = PGSIM_SCN_MAP;
		v->mark = items[0].mark;
		v->n = n;
		v->items = vals;
		v->keys = keys;
		v->key_marks = km;
		return;
	}
	if (v->kind != PGSIM_SCN_MAP) {
		SCN_DIAG(c, v->mark, "cpu: expected CPU flags as a mapping {name: true|false} "
			 "or a list of names");
		return;
	}
	for (unsigned i = 0; i < v->n; i++) {
		char path[96];

		snprintf(path, sizeof(path), "cpu.%s", v->keys[i]);
		scn_check_value(c, path, &bool_key, &v->items[i]);
	}
}

static void check_objects(struct scn_ctx *c, struct pgsim_scn *s, struct pgsim_scn_node *v)
{
	if (v->kind == PGSIM_SCN_NULL)
		return;
	if (v->kind != PGSIM_SCN_MAP) {
		SCN_DIAG(c, v->mark, "objects: expected a mapping of slot names to object types "
			 "(e.g. 'frame: frame_4k')");
		return;
	}
	s->objects = scn_alloc(c->a, (v->n ? v->n : 1) * sizeof(*s->objects));
	if (!s->objects) {
		c->nomem = true;
		return;
	}
	for (unsigned i = 0; i < v->n; i++) {
		struct pgsim_scn_node *o = &v->items[i];
		struct pgsim_scn_object *obj = &s->objects[s->n_objects];
		struct pgsim_scn_node name = { .kind = PGSIM_SCN_SCALAR, .text = v->keys[i],
					       .mark = v->key_marks[i] };
		const struct pgsim_scn_node *t, *sb, *from;
		char path[96];
		unsigned before = c->d->n + c->d->dropped;

		snprintf(path, sizeof(path), "objects.%.60s", v->keys[i]);
		scn_check_value(c, "objects", &slot_key, &name);
		if (o->kind == PGSIM_SCN_NULL) {
			SCN_DIAG(c, v->key_marks[i], "%s: missing object type", path);
		} else if (!scn_wrap_map(c, o, "type")) {
			SCN_DIAG(c, o->mark, "%s: expected an object type or a mapping with 'type'",
				 path);
		} else {
			scn_check_map(c, path, o, object_keys, v->key_marks[i]);
		}
		if (c->d->n + c->d->dropped != before)
			continue;
		t = pgsim_scn_get(o, "type");
		sb = pgsim_scn_get(o, "size_bits");
		from = pgsim_scn_get(o, "from");
		obj->name = v->keys[i];
		obj->mark = v->key_marks[i];
		obj->type = t->text;
		obj->type_mark = t->mark;
		if (sb) {
			obj->size_bits = sb->num;
			obj->size_mark = sb->mark;
		}
		if (from) {
			obj->from = from->text;
			obj->from_mark = from->mark;
		}
		s->n_objects++;
	}
}

static void check_untyped(struct scn_ctx *c, struct pgsim_scn *s, const struct pgsim_scn_node *v)
{
	s->untyped = scn_alloc(c->a, (v->n ? v->n : 1) * sizeof(*s->untyped));
	if (!s->untyped) {
		c->nomem = true;
		return;
	}
	for (unsigned i = 0; i < v->n; i++) {
		const struct pgsim_scn_node *u = &v->items[i];
		const struct pgsim_scn_node *slot = pgsim_scn_get(u, "slot");
		const struct pgsim_scn_node *pa = pgsim_scn_get(u, "pa");
		const struct pgsim_scn_node *size = pgsim_scn_get(u, "size");
		const struct pgsim_scn_node *bits = pgsim_scn_get(u, "size_bits");
		const struct pgsim_scn_node *dev = pgsim_scn_get(u, "device");
		struct pgsim_scn_untyped *ut = &s->untyped[s->n_untyped];

		if (u->kind != PGSIM_SCN_MAP || !pa || pa->kind != PGSIM_SCN_NUM)
			continue;  /* already reported */
		if (!slot && v->n > 1) {
			SCN_DIAG(c, u->mark, "untyped: 'slot' is required when there is more than "
				 "one untyped region");
			continue;
		}
		if ((size != NULL) == (bits != NULL)) {
			SCN_DIAG(c, u->mark, "untyped: give exactly one of 'size' and 'size_bits'");
			continue;
		}
		if (size && size->kind != PGSIM_SCN_NUM)
			continue;
		if (bits && bits->kind != PGSIM_SCN_NUM)
			continue;
		if (size && (size->num == 0 || (size->num & (size->num - 1)))) {
			SCN_DIAG(c, size->mark, "untyped.size: %s is not a power of two", size->text);
			continue;
		}
		ut->slot = slot ? slot->text : "untyped";
		ut->slot_mark = slot ? slot->mark : u->mark;
		ut->pa = pa->num;
		ut->pa_mark = pa->mark;
		if (size) {
			ut->size_bits = 0;
			while ((1ull << ut->size_bits) != size->num)
				ut->size_bits++;
			ut->size_mark = size->mark;
		} else {
			ut->size_bits = (unsigned)bits->num;
			ut->size_mark = bits->mark;
		}
		ut->device = dev && dev->kind == PGSIM_SCN_BOOL && dev->b;
		ut->mark = u->mark;
		s->n_untyped++;
	}
}

/* One step: exactly one operation key, plus expect and note. */
static void check_step(struct scn_ctx *c, const struct pgsim_scn_schema *schema,
		       struct pgsim_scn_step *st, struct pgsim_scn_node *v)
{
	const char *names[64];
	unsigned n_names = 0;
	struct pgsim_scn_node *opv = NULL, *exv = NULL;
	char buf[96], path[96];

	for (unsigned i = 0; i < schema->n_ops && n_names < 62; i++)
		names[n_names++] = schema->ops[i].name;
	names[n_names++] = "expect";
	names[n_names++] = "note";
	if (v->kind != PGSIM_SCN_MAP || v->n == 0) {
		SCN_DIAG(c, v->mark, "steps: a step is a mapping with one operation, such as "
			 "'- map: {cap: frame, vaddr: 0x1000}'");
		return;
	}
	for (unsigned i = 0; i < v->n; i++) {
		const char *k = v->keys[i];
		const struct pgsim_scn_opdef *op = NULL;

		if (strcmp(k, "expect") == 0) {
			struct pgsim_scn_node *e = &v->items[i];

			if (!scn_wrap_map(c, e, schema->expect_shorthand)) {
				SCN_DIAG(c, e->mark, "expect: expected a mapping of expectations "
					 "(or an error name)");
				continue;
			}
			exv = e;
			st->expect = e;
			st->expect_mark = v->key_marks[i];
			continue;
		}
		if (strcmp(k, "note") == 0) {
			struct pgsim_scn_node *e = &v->items[i];

			if (e->kind != PGSIM_SCN_SCALAR)
				SCN_DIAG(c, e->mark, "note: expected text");
			else
				st->note = e->text;
			continue;
		}
		for (unsigned j = 0; j < schema->n_ops; j++)
			if (strcmp(schema->ops[j].name, k) == 0)
				op = &schema->ops[j];
		if (!op) {
			SCN_DIAG(c, v->key_marks[i], "unknown operation '%.40s'%s", k,
				 scn_hint(buf, sizeof(buf), k, names, n_names));
			return;
		}
		if (st->op) {
			SCN_DIAG(c, v->key_marks[i], "a step has one operation; '%s' follows '%s' "
				 "(make it a step of its own)", k, st->op->name);
			return;
		}
		st->op = op;
		st->mark = v->key_marks[i];
		opv = &v->items[i];
	}
	if (!st->op) {
		SCN_DIAG(c, v->mark, "step %u has no operation", st->index);
		return;
	}
	if (!scn_wrap_map(c, opv, st->op->shorthand)) {
		SCN_DIAG(c, opv->mark, "%s: expected a mapping of arguments", st->op->name);
		return;
	}
	scn_check_map(c, st->op->name, opv, st->op->keys, st->mark);
	st->args = opv;
	if (exv) {
		snprintf(path, sizeof(path), "%s: expect", st->op->name);
		scn_check_map(c, path, exv, schema->expect, st->expect_mark);
	}
}

static void check_steps(struct scn_ctx *c, struct pgsim_scn *s,
			const struct pgsim_scn_schema *schema, struct pgsim_scn_node *v)
{
	if (v->kind == PGSIM_SCN_NULL) {
		SCN_DIAG(c, v->mark, "steps: the list of steps is empty");
		return;
	}
	if (v->kind != PGSIM_SCN_LIST) {
		SCN_DIAG(c, v->mark, "steps: expected a list of steps ('- map: {...}')");
		return;
	}
	s->steps = scn_alloc(c->a, (v->n ? v->n : 1) * sizeof(*s->steps));
	if (!s->steps) {
		c->nomem = true;
		return;
	}
	for (unsigned i = 0; i < v->n; i++) {
		struct pgsim_scn_step *st = &s->steps[s->n_steps];

		st->index = s->n_steps + 1;
		st->mark = v->items[i].mark;
		check_step(c, schema, st, &v->items[i]);
		if (st->op && st->args)
			s->n_steps++;
	}
}

int scn_check(struct pgsim_scn *s, struct pgsim_scn_node *root,
	      const struct pgsim_scn_schema *schema, struct pgsim_scn_diags *d)
{
	struct scn_ctx c = { .a = s->arena, .d = d };
	const char *names[16];
	unsigned nk = 0;
	char buf[96];

	while (top_keys[nk].name)
		names[nk] = top_keys[nk].name, nk++;
	if (root->kind != PGSIM_SCN_MAP) {
		SCN_DIAG(&c, root->mark, "a scenario is a mapping with at least 'arch' and "
			 "'steps', not %s", root->kind == PGSIM_SCN_LIST ? "a list" : "text");
		return -EINVAL;
	}
	s->root = root;
	for (unsigned i = 0; i < root->n; i++) {
		const struct pgsim_scn_key *k = NULL;
		struct pgsim_scn_node *v = &root->items[i];

		for (unsigned j = 0; j < nk; j++)
			if (strcmp(root->keys[i], top_keys[j].name) == 0)
				k = &top_keys[j];
		if (!k) {
			SCN_DIAG(&c, root->key_marks[i], "unknown key '%.40s'%s", root->keys[i],
				 scn_hint(buf, sizeof(buf), root->keys[i], names, nk));
			continue;
		}
		if (strcmp(k->name, "cpu") == 0)
			check_cpu(&c, v);
		else if (strcmp(k->name, "objects") == 0)
			check_objects(&c, s, v);
		else if (strcmp(k->name, "steps") == 0)
			check_steps(&c, s, schema, v);
		else
			scn_check_value(&c, k->name, k, v);
		if (c.nomem)
			return -ENOMEM;
	}
	for (unsigned j = 0; j < nk; j++)
		if (top_keys[j].required && !pgsim_scn_get(root, top_keys[j].name))
			SCN_DIAG(&c, root->mark, "missing required key '%s'", top_keys[j].name);
	if (c.bad)
		return -EINVAL;
	{
		const struct pgsim_scn_node *n = pgsim_scn_get(root, "name");
		const struct pgsim_scn_node *desc = pgsim_scn_get(root, "description");
		const struct pgsim_scn_node *arch = pgsim_scn_get(root, "arch");
		const struct pgsim_scn_node *vs = pgsim_scn_get(root, "vspace");
		const struct pgsim_scn_node *ut = pgsim_scn_get(root, "untyped");
		const char *base = strrchr(s->file, '/');

		s->name = n ? n->text : (base ? base + 1 : s->file);
		s->description = desc ? desc->text : NULL;
		s->arch = arch->text;
		s->arch_mark = arch->mark;
		s->va_bits = pgsim_scn_get(root, "va_bits");
		s->pa_bits = pgsim_scn_get(root, "pa_bits");
		s->cpu = pgsim_scn_get(root, "cpu");
		s->kernel = pgsim_scn_get(root, "kernel");
		if (vs) {
			s->vspace = vs->text;
			s->vspace_mark = vs->mark;
		}
		if (ut)
			check_untyped(&c, s, ut);
	}
	if (c.nomem)
		return -ENOMEM;
	return c.bad ? -EINVAL : 0;
}
