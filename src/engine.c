/* pgsim: scenario engine — prepare (the machine and every step checked
 * against it) and run (setup, steps, expectations).
 *
 * Prepare does everything that can go wrong with the file before a step
 * runs: the architecture and its options, the kernel, the untyped regions,
 * object types, cap names (a name must be filled by the objects, an earlier
 * step or the boot caps before it is used), attribute names and numbers
 * that must fit the architecture.  Run then only meets outcomes.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "engine_impl.h"
#include "engine_vspace.h"

/* ---- small helpers ------------------------------------------------------- */

const struct eng_op *eng_op_of(const struct pgsim_scn_step *st)
{
	return st->op->impl;
}

const struct pgsim_scn_node *eng_arg(const struct pgsim_scn_step *st, const char *key)
{
	return pgsim_scn_get(st->args, key);
}

const char *eng_str(const struct pgsim_scn_step *st, const char *key, const char *def)
{
	const struct pgsim_scn_node *n = eng_arg(st, key);

	return n && n->kind == PGSIM_SCN_STR ? n->text : def;
}

uint64_t eng_num(const struct pgsim_scn_step *st, const char *key, uint64_t def)
{
	const struct pgsim_scn_node *n = eng_arg(st, key);

	return n && n->kind == PGSIM_SCN_NUM ? n->num : def;
}

const char *eng_vspace(const struct pgsim_engine *e, const struct pgsim_scn_step *st)
{
	return eng_str(st, "vspace", e->vspace);
}

int eng_attr(const struct pgsim_engine *e, const struct pgsim_scn_node *n, uint64_t *bits,
	     const struct pgsim_scn_node **bad)
{
	const struct pgsim_scn_node *items;
	unsigned cnt;

	*bits = pgsim_kernel_default_attr(e->k);
	if (!n)
		return 0;
	if (n->kind == PGSIM_SCN_NUM) {
		*bits = n->num;
		return 0;
	}
	items = n->kind == PGSIM_SCN_LIST ? n->items : n;
	cnt = n->kind == PGSIM_SCN_LIST ? n->n : 1;
	*bits = 0;
	for (unsigned i = 0; i < cnt; i++) {
		/* "write_through|cache_disabled": names joined by '|' */
		const char *p = items[i].text;

		while (*p) {
			char name[64];
			size_t len = strcspn(p, "|");
			uint64_t b;

			while (len && (*p == ' ')) {
				p++;
				len--;
			}
			while (len && p[len - 1] == ' ')
				len--;
			if (len == 0 || len >= sizeof(name)) {
				*bad = &items[i];
				return -ENOENT;
			}
			memcpy(name, p, len);
			name[len] = '\0';
			if (pgsim_kernel_attr_parse(e->k, name, &b)) {
				*bad = &items[i];
				return -ENOENT;
			}
			*bits |= b;
			p += len;
			p += strspn(p, "| ");
		}
	}
	return 0;
}

/* A string set: open addressing, strings owned by the scenario. */
static size_t str_hash(const char *s)
{
	size_t h = 5381;

	while (*s)
		h = h * 33 + (unsigned char)*s++;
	return h;
}

bool eng_names_has(const struct eng_names *s, const char *name)
{
	if (!s->cap)
		return false;
	for (size_t i = str_hash(name) & (s->cap - 1);; i = (i + 1) & (s->cap - 1)) {
		if (!s->v[i])
			return false;
		if (strcmp(s->v[i], name) == 0)
			return true;
	}
}

int eng_names_add(struct eng_names *s, const char *name)
{
	if (eng_names_has(s, name))
		return 0;
	if ((s->n + 1) * 2 > s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 64;
		const char **v = calloc(cap, sizeof(*v));

		if (!v)
			return -ENOMEM;
		for (size_t i = 0; i < s->cap; i++) {
			size_t j;

			if (!s->v[i])
				continue;
			for (j = str_hash(s->v[i]) & (cap - 1); v[j]; j = (j + 1) & (cap - 1))
				;
			v[j] = s->v[i];
		}
		free(s->v);
		s->v = v;
		s->cap = cap;
	}
	{
		size_t j;

		for (j = str_hash(name) & (s->cap - 1); s->v[j]; j = (j + 1) & (s->cap - 1))
			;
		s->v[j] = name;
		s->n++;
	}
	return 0;
}

static void names_free(struct eng_names *s)
{
	free(s->v);
	memset(s, 0, sizeof(*s));
}

/* Up to n known names, for did-you-mean. */
static unsigned names_list(const struct eng_names *s, const char **out, unsigned n)
{
	unsigned k = 0;

	for (size_t i = 0; i < s->cap && k < n; i++)
		if (s->v[i])
			out[k++] = s->v[i];
	return k;
}

static const char *mapped_prefix(const struct pgsim_engine *e, const char *name)
{
	/* map_helper fills "<prefix>.<type>.<n>" */
	for (size_t i = 0; i < e->prefixes.cap; i++) {
		const char *p = e->prefixes.v[i];

		if (p && strncmp(name, p, strlen(p)) == 0 && name[strlen(p)] == '.')
			return p;
	}
	return NULL;
}

/* " (did you mean 'x'?)" or "" */
static const char *hint(char *buf, size_t len, const char *word, const char *const *c,
			unsigned n)
{
	const char *h = pgsim_scn_suggest(word, c, n);

	if (!h)
		return "";
	snprintf(buf, len, " (did you mean '%s'?)", h);
	return buf;
}

/* ---- prepare: the machine -------------------------------------------------- */

static void list_arches(char *buf, size_t len)
{
	snprintf(buf, len, "%s", pgsim_arch_names());
}

static int prepare_machine(struct pgsim_engine *e, struct pgsim_scn_diags *d)
{
	const struct pgsim_scn *s = e->s;
	const struct pgsim_arch *a = pgsim_arch_find(s->arch);
	const struct pgsim_scn_node *kn = s->kernel;
	char buf[160], hb[96];
	unsigned before = d->n;
	int rc;

	if (!a) {
		unsigned n;
		const struct pgsim_arch *const *all = pgsim_arch_all(&n);
		const char *names[8];

		for (unsigned i = 0; i < n && i < 8; i++)
			names[i] = all[i]->name;
		list_arches(buf, sizeof(buf));
		pgsim_scn_diag_add(d, s->arch_mark, "arch: unknown architecture '%.40s'%s (one of: %s)",
				   s->arch, hint(hb, sizeof(hb), s->arch, names, n < 8 ? n : 8),
				   buf);
		return -EINVAL;
	}
	pgsim_cfg_init(&e->cfg, a);
	/* A scenario models a thread under seL4, whose CPU state is not the
	 * walker's generic default: seL4 never sets EFER.NXE (sel4-vspace.md
	 * 5.1), so x86 has no execute-disable and fetch faults carry no I/D
	 * bit.  Architectures without the flag ignore this; `cpu:` overrides. */
	(void)pgsim_cfg_set_flag(&e->cfg, "nxe", false);
	if (s->va_bits && pgsim_cfg_set_va_bits(&e->cfg, (unsigned)s->va_bits->num)) {
		size_t off = 0;

		buf[0] = '\0';
		for (unsigned i = 0; i < a->n_va_geometries && off < sizeof(buf); i++)
			off += (size_t)snprintf(buf + off, sizeof(buf) - off, "%s%u", i ? ", " : "",
						a->va_geometries[i].va_bits);
		pgsim_scn_diag_add(d, s->va_bits->mark, "va_bits: %s has no %llu-bit VA mode "
				   "(supported: %s)", a->name,
				   (unsigned long long)s->va_bits->num, buf);
		return -EINVAL;
	}
	if (s->pa_bits && pgsim_cfg_set_pa_bits(&e->cfg, (unsigned)s->pa_bits->num)) {
		pgsim_scn_diag_add(d, s->pa_bits->mark, "pa_bits: %llu is out of range for %s "
				   "(%u to %u)", (unsigned long long)s->pa_bits->num, a->name,
				   a->pa_bits_min, a->pa_bits_max);
		return -EINVAL;
	}
	for (unsigned i = 0; s->cpu && i < s->cpu->n; i++) {
		if (pgsim_cfg_set_flag(&e->cfg, s->cpu->keys[i], s->cpu->items[i].b)) {
			const char *names[32];
			size_t off = 0;
			unsigned n = a->n_cpu_flags < 32 ? a->n_cpu_flags : 32;

			buf[0] = '\0';
			for (unsigned j = 0; j < n; j++) {
				names[j] = a->cpu_flags[j].name;
				if (off < sizeof(buf))
					off += (size_t)snprintf(buf + off, sizeof(buf) - off, "%s%s",
								j ? ", " : "", names[j]);
			}
			pgsim_scn_diag_add(d, s->cpu->key_marks[i],
					   "cpu: %s has no CPU flag '%.40s'%s (flags: %s)", a->name,
					   s->cpu->keys[i],
					   hint(hb, sizeof(hb), s->cpu->keys[i], names, n),
					   n ? buf : "none");
		}
	}
	if (d->n != before)
		return -EINVAL;
	if (kn) {
		const struct pgsim_scn_node *v;

		if ((v = pgsim_scn_get(kn, "smp")))
			e->kopts.smp = v->b;
		if ((v = pgsim_scn_get(kn, "mcs")))
			e->kopts.mcs = v->b;
		if ((v = pgsim_scn_get(kn, "huge_page")))
			e->kopts.no_huge_page = !v->b;
		if ((v = pgsim_scn_get(kn, "it_asid_reserved")))
			e->kopts.it_asid_reserved = v->b;
	}
	e->mem = pgsim_mem_new();
	if (!e->mem)
		return -ENOMEM;
	rc = pgsim_kernel_new(&e->cfg, e->mem, &e->kopts, &e->k);
	if (rc == -ENOTSUP) {
		pgsim_scn_diag_add(d, s->va_bits ? s->va_bits->mark : s->arch_mark,
				   "the seL4 model does not cover this %s configuration "
				   "(va_bits %u, pa_bits %u)", a->name, e->cfg.va_bits, e->cfg.pa_bits);
		return -EINVAL;
	}
	return rc;
}

/* The default untyped region: 1 GiB at 0x40000000 where the architecture's
 * untyped caps may be that large, else the largest that fits (ia32 has
 * seL4_MaxUntypedBits 29).  Sparse memory makes the size free. */
static int prepare_untyped(struct pgsim_engine *e, struct pgsim_scn_diags *d)
{
	const struct pgsim_scn *s = e->s;
	int rc;

	if (s->n_untyped == 0) {
		for (unsigned bits = 30; bits >= 12; bits--) {
			rc = pgsim_kernel_add_untyped(e->k, "untyped", 0x40000000, bits, false);
			if (rc != -EINVAL)
				break;
		}
		if (rc)
			return rc;
		e->untyped = "untyped";
		return eng_names_add(&e->names, "untyped");
	}
	e->untyped = s->untyped[0].slot;
	for (unsigned i = 0; i < s->n_untyped; i++) {
		const struct pgsim_scn_untyped *u = &s->untyped[i];

		rc = pgsim_kernel_add_untyped(e->k, u->slot, u->pa, u->size_bits, u->device);
		if (rc == -EINVAL)
			pgsim_scn_diag_add(d, u->mark, "untyped '%s': 2^%u bytes at 0x%llx is not "
					   "a valid %s untyped (the base must be aligned to the "
					   "size, and the size within seL4_MinUntypedBits .. "
					   "seL4_MaxUntypedBits)", u->slot, u->size_bits,
					   (unsigned long long)u->pa, e->cfg.arch->name);
		else if (rc == -EEXIST)
			pgsim_scn_diag_add(d, u->slot_mark, "untyped: slot '%s' is already used",
					   u->slot);
		else if (rc)
			return rc;
		else if ((rc = eng_names_add(&e->names, u->slot)))
			return rc;
	}
	return 0;
}

static void type_hint(const struct pgsim_engine *e, const char *name, char *buf, size_t len)
{
	const char *names[64];
	unsigned n = 0;
	char hb[96];
	size_t off;

	for (unsigned i = 0; i < pgsim_kernel_n_types(e->k) && n < 62; i++) {
		names[n++] = pgsim_kernel_type(e->k, i)->name;
		names[n++] = pgsim_kernel_type(e->k, i)->sel4_name;
	}
	off = (size_t)snprintf(buf, len, "%s; %s types:",
			       hint(hb, sizeof(hb), name, names, n), e->cfg.arch->name);
	for (unsigned i = 0; i < n && off < len; i += 2)
		off += (size_t)snprintf(buf + off, len - off, "%s %s", i ? "," : "", names[i]);
}

static int prepare_objects(struct pgsim_engine *e, struct pgsim_scn_diags *d)
{
	const struct pgsim_scn *s = e->s;
	const char *vs = s->vspace ? s->vspace : "vspace";
	char buf[240];
	int rc;

	e->vspace = strcmp(vs, "none") == 0 ? NULL : vs;
	e->make_vspace = e->vspace != NULL;
	for (unsigned i = 0; i < s->n_objects; i++)
		if (e->vspace && strcmp(s->objects[i].name, e->vspace) == 0)
			e->make_vspace = false;
	if (e->make_vspace) {
		if (eng_names_has(&e->names, e->vspace)) {
			pgsim_scn_diag_add(d, s->vspace_mark, "vspace: slot '%s' is already used",
					   e->vspace);
			return -EINVAL;
		}
		if ((rc = eng_names_add(&e->names, e->vspace)))
			return rc;
	}
	for (unsigned i = 0; i < s->n_objects; i++) {
		const struct pgsim_scn_object *o = &s->objects[i];
		const struct pgsim_ktype_info *t = NULL;

		if (eng_names_has(&e->names, o->name)) {
			pgsim_scn_diag_add(d, o->mark, "objects: slot '%s' is already used%s",
					   o->name, strcmp(o->name, "asid_pool") == 0 ||
					   strcmp(o->name, "asid_control") == 0
					   ? " (by a boot cap)" : "");
			continue;
		}
		if (strcasecmp(o->type, "empty") != 0) {
			t = pgsim_kernel_type_find(e->k, o->type);
			if (!t) {
				/* the slot is still declared: no "unknown cap" cascade */
				type_hint(e, o->type, buf, sizeof(buf));
				pgsim_scn_diag_add(d, o->type_mark, "objects.%s: unknown object type "
						   "'%.40s'%s", o->name, o->type, buf);
				if ((rc = eng_names_add(&e->names, o->name)))
					return rc;
				continue;
			}
			if (t->kind == PGSIM_KOBJ_UNTYPED && !o->size_bits)
				pgsim_scn_diag_add(d, o->mark, "objects.%s: an untyped object needs "
						   "size_bits", o->name);
			if (t->kind == PGSIM_KOBJ_ASID_POOL || t->kind == PGSIM_KOBJ_ASID_CONTROL)
				pgsim_scn_diag_add(d, o->type_mark, "objects.%s: %s objects are not "
						   "made by Retype (use a make_pool step)", o->name,
						   t->name);
		}
		if (o->from && !eng_names_has(&e->names, o->from))
			pgsim_scn_diag_add(d, o->from_mark, "objects.%s: unknown untyped '%s'",
					   o->name, o->from);
		if ((rc = eng_names_add(&e->names, o->name)))
			return rc;
	}
	return 0;
}


/* ---- prepare: the steps ------------------------------------------------------ */

static void prepare_cap(struct pgsim_engine *e, const struct pgsim_scn_step *st, const char *key,
			const struct pgsim_scn_node *n, struct pgsim_scn_diags *d)
{
	const char *names[256];
	unsigned cnt;
	char hb[96];

	if (eng_names_has(&e->names, n->text) || mapped_prefix(e, n->text))
		return;
	cnt = names_list(&e->names, names, 256);
	pgsim_scn_diag_add(d, n->mark, "%s.%s: unknown cap '%.40s'%s (no untyped, object, boot "
			   "cap or earlier step fills that slot)", st->op->name, key, n->text,
			   hint(hb, sizeof(hb), n->text, names, cnt));
}

static void prepare_attr(struct pgsim_engine *e, const struct pgsim_scn_step *st, const char *key,
			 const struct pgsim_scn_node *n, struct pgsim_scn_diags *d)
{
	/* Every attribute name the kernel model knows on some architecture;
	 * the list in the message keeps the ones this architecture accepts. */
	static const char *const all[] = {
		"default", "write_back", "write_through", "cache_disabled", "uncacheable",
		"write_combining", "cacheable", "parity", "execute_never",
	};
	const char *ok[16];
	unsigned n_ok = 0;
	const struct pgsim_scn_node *bad = NULL;
	uint64_t bits;
	char list[200], hb[96];
	size_t off = 0;

	if (eng_attr(e, n, &bits, &bad) == 0)
		return;
	list[0] = '\0';
	for (unsigned i = 0; i < sizeof(all) / sizeof(all[0]); i++) {
		if (pgsim_kernel_attr_parse(e->k, all[i], &bits) == 0) {
			ok[n_ok++] = all[i];
			off += (size_t)snprintf(list + off, sizeof(list) - off, "%s%s",
						off ? ", " : "", all[i]);
		}
	}
	pgsim_scn_diag_add(d, bad->mark, "%s.%s: unknown %s attribute in '%.40s'%s (attributes: "
			   "%s; or a number)", st->op->name, key, e->cfg.arch->name, bad->text,
			   hint(hb, sizeof(hb), bad->text, ok, n_ok), list);
}

static void prepare_width(struct pgsim_engine *e, const struct pgsim_scn_step *st, const char *key,
			  const struct pgsim_scn_node *n, struct pgsim_scn_diags *d)
{
	/* The address register and a message word are as wide as an entry
	 * on every modelled architecture (ia32: 32 bits, the others 64). */
	unsigned width = e->cfg.arch->entry_bytes * 8;

	if (n->kind == PGSIM_SCN_NUM && width < 64 && (n->num >> width))
		pgsim_scn_diag_add(d, n->mark, "%s.%s: %s does not fit %s's %u-bit words",
				   st->op->name, key, n->text, e->cfg.arch->name, width);
}

static int prepare_step(struct pgsim_engine *e, const struct pgsim_scn_step *st,
			struct eng_expect *x, struct pgsim_scn_diags *d)
{
	const struct eng_op *op = eng_op_of(st);
	int rc;

	for (const struct pgsim_scn_key *k = st->op->keys; k->name; k++) {
		const struct pgsim_scn_node *n = eng_arg(st, k->name);

		if (!n) {
			/* print checks its own (caps need no vspace) */
			if (strcmp(k->name, "vspace") == 0 && k->type == PGSIM_SCN_T_CAP &&
			    !e->vspace && !op->prepare_vspace)
				pgsim_scn_diag_add(d, st->mark, "%s: no vspace given and the "
						   "scenario has none (vspace: none)", st->op->name);
			continue;
		}
		switch (k->type) {
		case PGSIM_SCN_T_CAP:
			prepare_cap(e, st, k->name, n, d);
			break;
		case PGSIM_SCN_T_CAPS:
			for (unsigned i = 0; i < n->n; i++)
				prepare_cap(e, st, k->name, &n->items[i], d);
			break;
		case PGSIM_SCN_T_VA:
		case PGSIM_SCN_T_WORD:
			prepare_width(e, st, k->name, n, d);
			break;
		case PGSIM_SCN_T_NUMS:
			for (unsigned i = 0; i < n->n; i++)
				prepare_width(e, st, k->name, &n->items[i], d);
			break;
		case PGSIM_SCN_T_ATTR:
			prepare_attr(e, st, k->name, n, d);
			break;
		default:
			break;
		}
	}
	if (op->prepare)
		op->prepare(e, st, d);
	for (const struct pgsim_scn_key *k = st->op->keys; k->name; k++) {
		const struct pgsim_scn_node *n = eng_arg(st, k->name);

		if (!n)
			continue;
		if (k->type == PGSIM_SCN_T_SLOT && (rc = eng_names_add(&e->names, n->text)))
			return rc;
		if (k->type == PGSIM_SCN_T_SLOTS)
			for (unsigned i = 0; i < n->n; i++)
				if ((rc = eng_names_add(&e->names, n->items[i].text)))
					return rc;
	}
	eng_expect_prepare(e, st, x, d);
	return 0;
}

int pgsim_engine_prepare(const struct pgsim_scn *s, struct pgsim_scn_diags *d,
			 struct pgsim_engine **out)
{
	struct pgsim_engine *e = calloc(1, sizeof(*e));
	int rc;

	*out = NULL;
	if (!e)
		return -ENOMEM;
	if (d->file[0] == '\0')
		pgsim_scn_diags_init(d, s->file);
	e->s = s;
	rc = prepare_machine(e, d);
	if (rc)
		goto fail;
	if ((rc = eng_names_add(&e->names, "asid_control")) ||
	    (rc = eng_names_add(&e->names, "asid_pool")))
		goto fail;
	rc = prepare_untyped(e, d);
	if (!rc)
		rc = prepare_objects(e, d);
	if (rc)
		goto fail;
	e->exp = calloc(s->n_steps ? s->n_steps : 1, sizeof(*e->exp));
	if (!e->exp) {
		rc = -ENOMEM;
		goto fail;
	}
	for (unsigned i = 0; i < s->n_steps && !rc; i++)
		rc = prepare_step(e, &s->steps[i], &e->exp[i], d);
	if (!rc && (d->n || d->dropped))
		rc = -EINVAL;
	if (rc)
		goto fail;
	names_free(&e->names);
	*out = e;
	return 0;
fail:
	if (rc == -EINVAL && !d->n)
		pgsim_scn_diag_add(d, (struct pgsim_scn_mark){ 0, 0 }, "invalid scenario");
	pgsim_engine_free(e);
	return rc;
}

void pgsim_engine_free(struct pgsim_engine *e)
{
	if (!e)
		return;
	eng_vs_free(e);
	pgsim_kernel_free(e->k);
	pgsim_mem_free(e->mem);
	free(e->exp);
	names_free(&e->names);
	names_free(&e->prefixes);
	free(e);
}

int pgsim_engine_load(const char *path, struct pgsim_scn **out, struct pgsim_scn_diags *d)
{
	return pgsim_scn_load_file(path, pgsim_engine_schema(), out, d);
}
