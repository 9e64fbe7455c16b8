/* pgsim: scenario loader, part 1 — YAML to a node tree.
 *
 * The only file in pgsim that includes <yaml.h> (DESIGN.md rule 1).  It
 * reads libyaml's event stream into plain pgsim_scn_node structs that keep
 * their 1-based positions (libyaml's marks are 0-based), and nothing of
 * libyaml leaves this file.  Hostile input is bounded here: the file size,
 * the nesting depth and the node count are capped, aliases are refused
 * (no "billion laughs"), and one document is all a file may hold.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <yaml.h>

#include "scenario_impl.h"

/* ---- YAML events -> nodes ------------------------------------------------- */

struct builder {
	yaml_parser_t p;
	struct pgsim_scn_arena *a;
	struct pgsim_scn_diags *d;
	const char *buf;
	size_t len;
	unsigned long nodes;
	int err;                 /* first fatal error (-EINVAL / -ENOMEM) */
	bool dup;                /* a duplicate key was reported (not fatal) */
};

static struct pgsim_scn_mark mark_of(yaml_mark_t m)
{
	return (struct pgsim_scn_mark){ (unsigned)m.line + 1, (unsigned)m.column + 1 };
}

/* Line and column of a byte offset (reader errors carry only an offset). */
static struct pgsim_scn_mark mark_at(const struct builder *b, size_t off)
{
	struct pgsim_scn_mark m = { 1, 1 };

	for (size_t i = 0; i < off && i < b->len; i++) {
		if (b->buf[i] == '\n') {
			m.line++;
			m.col = 1;
		} else if (((unsigned char)b->buf[i] & 0xc0) != 0x80) {
			m.col++;  /* count characters, not UTF-8 continuation bytes */
		}
	}
	return m;
}

static int fail(struct builder *b, struct pgsim_scn_mark m, const char *msg)
{
	pgsim_scn_diag_add(b->d, m, "%s", msg);
	if (!b->err)
		b->err = -EINVAL;
	return b->err;
}

static int next_event(struct builder *b, yaml_event_t *ev)
{
	const yaml_parser_t *p = &b->p;
	struct pgsim_scn_mark m;

	if (yaml_parser_parse(&b->p, ev))
		return 0;
	if (p->error == YAML_MEMORY_ERROR) {
		b->err = -ENOMEM;
		return b->err;
	}
	if (p->error == YAML_READER_ERROR) {
		/* invalid UTF-8, control characters, NUL bytes ... */
		m = mark_at(b, p->problem_offset);
		pgsim_scn_diag_add(b->d, m, "not a YAML text file: %s",
				   p->problem ? p->problem : "unreadable input");
	} else {
		m = mark_of(p->problem_mark);
		if (p->context)
			pgsim_scn_diag_add(b->d, m, "bad YAML: %s (%s at line %u)",
					   p->problem ? p->problem : "syntax error", p->context,
					   (unsigned)p->context_mark.line + 1);
		else
			pgsim_scn_diag_add(b->d, m, "bad YAML: %s",
					   p->problem ? p->problem : "syntax error");
	}
	b->err = -EINVAL;
	return b->err;
}

static bool is_null_scalar(const yaml_event_t *ev)
{
	const char *v = (const char *)ev->data.scalar.value;

	if (ev->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		return false;
	return v[0] == '\0' || strcmp(v, "~") == 0 || strcmp(v, "null") == 0 ||
	       strcmp(v, "Null") == 0 || strcmp(v, "NULL") == 0;
}

static int build(struct builder *b, yaml_event_t *ev, int depth, struct pgsim_scn_node *out);

/* Children of a sequence or mapping are gathered in a growing heap array,
 * then copied into the arena. */
struct vec {
	struct pgsim_scn_node *v;
	size_t n, cap;
};

static struct pgsim_scn_node *vec_push(struct vec *v)
{
	if (v->n == v->cap) {
		size_t cap = v->cap ? v->cap * 2 : 8;
		struct pgsim_scn_node *nv = realloc(v->v, cap * sizeof(*nv));

		if (!nv)
			return NULL;
		v->v = nv;
		v->cap = cap;
	}
	memset(&v->v[v->n], 0, sizeof(v->v[0]));
	return &v->v[v->n++];
}

static int build_seq(struct builder *b, int depth, struct pgsim_scn_node *out)
{
	struct vec items = { 0 };
	yaml_event_t ev;
	int rc = 0;

	for (;;) {
		struct pgsim_scn_node *it;

		if (next_event(b, &ev))
			break;
		if (ev.type == YAML_SEQUENCE_END_EVENT) {
			yaml_event_delete(&ev);
			break;
		}
		it = vec_push(&items);
		if (!it) {
			yaml_event_delete(&ev);
			b->err = -ENOMEM;
			break;
		}
		rc = build(b, &ev, depth + 1, it);
		yaml_event_delete(&ev);
		if (rc)
			break;
	}
	if (!b->err && items.n) {
		out->items = scn_alloc(b->a, items.n * sizeof(*out->items));
		if (!out->items)
			b->err = -ENOMEM;
		else
			memcpy(out->items, items.v, items.n * sizeof(*out->items));
		out->n = (unsigned)items.n;
	}
	free(items.v);
	return b->err;
}

/* Duplicate-key detection in O(1) per key (a hostile file may hold a
 * mapping with hundreds of thousands of keys): an open-addressing table
 * of key indices + 1. */
struct key_index {
	size_t *slot;
	size_t cap;
};

static size_t key_hash(const char *s)
{
	size_t h = 5381;

	while (*s)
		h = h * 33 + (unsigned char)*s++;
	return h;
}

static bool key_insert(struct key_index *x, const struct vec *keys, size_t i, size_t *found)
{
	size_t j = key_hash(keys->v[i].text) & (x->cap - 1);

	for (; x->slot[j]; j = (j + 1) & (x->cap - 1)) {
		if (strcmp(keys->v[x->slot[j] - 1].text, keys->v[i].text) == 0) {
			*found = x->slot[j];
			return false;
		}
	}
	x->slot[j] = i + 1;
	return true;
}

/* 0 when keys[i] is new (and records it), else 1 + the index of the first
 * occurrence; SIZE_MAX when out of memory. */
static size_t key_seen(struct key_index *x, const struct vec *keys, size_t i)
{
	size_t found = 0;

	if ((i + 1) * 2 > x->cap) {
		size_t cap = x->cap ? x->cap * 2 : 16;
		size_t *slot = calloc(cap, sizeof(*slot));
		struct key_index nx = { slot, cap };

		if (!slot)
			return SIZE_MAX;
		for (size_t j = 0; j < x->cap; j++)
			if (x->slot[j])
				key_insert(&nx, keys, x->slot[j] - 1, &found);
		free(x->slot);
		*x = nx;
	}
	return key_insert(x, keys, i, &found) ? 0 : found;
}

static int build_map(struct builder *b, int depth, struct pgsim_scn_node *out)
{
	struct vec keys = { 0 }, vals = { 0 };
	struct key_index seen = { 0 };
	struct pgsim_scn_node scratch;
	yaml_event_t ev;

	for (;;) {
		struct pgsim_scn_node *k, *v;
		size_t dup;

		if (next_event(b, &ev))
			break;
		if (ev.type == YAML_MAPPING_END_EVENT) {
			yaml_event_delete(&ev);
			break;
		}
		if (ev.type != YAML_SCALAR_EVENT) {
			fail(b, mark_of(ev.start_mark),
			     ev.type == YAML_ALIAS_EVENT ? "aliases (*name) are not supported"
							 : "a key must be plain text, not a list or mapping");
			yaml_event_delete(&ev);
			break;
		}
		k = vec_push(&keys);
		if (!k) {
			yaml_event_delete(&ev);
			b->err = -ENOMEM;
			break;
		}
		k->mark = mark_of(ev.start_mark);
		k->text = scn_strdup(b->a, (const char *)ev.data.scalar.value, ev.data.scalar.length);
		yaml_event_delete(&ev);
		if (!k->text) {
			b->err = -ENOMEM;
			break;
		}
		dup = key_seen(&seen, &keys, keys.n - 1);
		if (dup == SIZE_MAX) {
			b->err = -ENOMEM;
			break;
		}
		if (dup) {
			/* Reported, and the pair is dropped; parsing goes on so
			 * that later errors are reported too, and b->dup makes
			 * the load fail at the end. */
			pgsim_scn_diag_add(b->d, k->mark, "duplicate key '%.60s' (first at line %u)",
					   k->text, keys.v[dup - 1].mark.line);
			b->dup = true;
			keys.n--;
		}
		if (next_event(b, &ev))
			break;
		v = dup ? &scratch : vec_push(&vals);
		if (!v) {
			yaml_event_delete(&ev);
			b->err = -ENOMEM;
			break;
		}
		build(b, &ev, depth + 1, v);
		yaml_event_delete(&ev);
		if (b->err)
			break;
	}
	free(seen.slot);
	if (!b->err && vals.n == keys.n && keys.n) {
		out->items = scn_alloc(b->a, vals.n * sizeof(*out->items));
		out->keys = scn_alloc(b->a, keys.n * sizeof(*out->keys));
		out->key_marks = scn_alloc(b->a, keys.n * sizeof(*out->key_marks));
		if (!out->items || !out->keys || !out->key_marks) {
			b->err = -ENOMEM;
		} else {
			memcpy(out->items, vals.v, vals.n * sizeof(*out->items));
			for (size_t i = 0; i < keys.n; i++) {
				out->keys[i] = keys.v[i].text;
				out->key_marks[i] = keys.v[i].mark;
			}
			out->n = (unsigned)keys.n;
		}
	}
	free(keys.v);
	free(vals.v);
	return b->err;
}

/* Build the node that starts with event ev (which the caller deletes). */
static int build(struct builder *b, yaml_event_t *ev, int depth, struct pgsim_scn_node *out)
{
	out->mark = mark_of(ev->start_mark);
	if (++b->nodes > SCN_MAX_NODES)
		return fail(b, out->mark, "too many values (more than a million)");
	if (depth > SCN_MAX_DEPTH)
		return fail(b, out->mark, "nested more than 64 levels deep");
	switch (ev->type) {
	case YAML_SCALAR_EVENT:
		if (is_null_scalar(ev)) {
			out->kind = PGSIM_SCN_NULL;
			out->text = "";
			return 0;
		}
		out->kind = PGSIM_SCN_SCALAR;
		out->quoted = ev->data.scalar.style != YAML_PLAIN_SCALAR_STYLE;
		if (strlen((const char *)ev->data.scalar.value) != ev->data.scalar.length)
			return fail(b, out->mark, "text contains a NUL character");
		out->text = scn_strdup(b->a, (const char *)ev->data.scalar.value,
				       ev->data.scalar.length);
		if (!out->text)
			b->err = -ENOMEM;
		return b->err;
	case YAML_SEQUENCE_START_EVENT:
		out->kind = PGSIM_SCN_LIST;
		return build_seq(b, depth, out);
	case YAML_MAPPING_START_EVENT:
		out->kind = PGSIM_SCN_MAP;
		return build_map(b, depth, out);
	case YAML_ALIAS_EVENT:
		return fail(b, out->mark, "aliases (*name) are not supported");
	default:
		return fail(b, out->mark, "unexpected YAML structure");
	}
}

int scn_parse_yaml(struct pgsim_scn_arena *a, const char *buf, size_t len,
		   struct pgsim_scn_diags *d, struct pgsim_scn_node **root)
{
	struct builder b = { .a = a, .d = d, .buf = buf, .len = len };
	yaml_event_t ev;
	bool have_doc = false;

	*root = NULL;
	if (!yaml_parser_initialize(&b.p))
		return -ENOMEM;
	yaml_parser_set_input_string(&b.p, (const unsigned char *)buf, len);
	while (!b.err) {
		if (next_event(&b, &ev))
			break;
		switch (ev.type) {
		case YAML_STREAM_START_EVENT:
		case YAML_DOCUMENT_END_EVENT:
			break;
		case YAML_DOCUMENT_START_EVENT:
			if (have_doc)
				fail(&b, mark_of(ev.start_mark),
				     "a scenario file holds one YAML document; this is a second one");
			break;
		case YAML_STREAM_END_EVENT:
			yaml_event_delete(&ev);
			goto done;
		default:
			have_doc = true;
			*root = scn_alloc(a, sizeof(**root));
			if (!*root)
				b.err = -ENOMEM;
			else
				build(&b, &ev, 0, *root);
			break;
		}
		yaml_event_delete(&ev);
	}
done:
	yaml_parser_delete(&b.p);
	if (!b.err && !have_doc) {
		pgsim_scn_diag_add(d, (struct pgsim_scn_mark){ 1, 1 },
				   "empty scenario (a scenario is a mapping with at least "
				   "'arch' and 'steps')");
		b.err = -EINVAL;
	}
	if (b.err)
		*root = NULL;
	else if (b.dup)
		return -EINVAL;  /* *root stays: the schema check may add more */
	return b.err;
}

/* ---- entry points ----------------------------------------------------------- */

int pgsim_scn_load_buf(const char *file, const char *buf, size_t len,
		       const struct pgsim_scn_schema *schema,
		       struct pgsim_scn **out, struct pgsim_scn_diags *d)
{
	struct pgsim_scn_arena *a;
	struct pgsim_scn_node *root;
	struct pgsim_scn *s;
	int rc;

	*out = NULL;
	if (d->file[0] == '\0')
		pgsim_scn_diags_init(d, file);
	if (len > SCN_MAX_FILE) {
		pgsim_scn_diag_add(d, (struct pgsim_scn_mark){ 0, 0 },
				   "file too large (more than 16 MiB)");
		return -EINVAL;
	}
	a = scn_arena_new();
	if (!a)
		return -ENOMEM;
	rc = scn_parse_yaml(a, buf, len, d, &root);
	if (rc && !(rc == -EINVAL && root))
		goto fail;
	s = scn_alloc(a, sizeof(*s));
	if (!s) {
		rc = -ENOMEM;
		goto fail;
	}
	s->arena = a;
	s->file = scn_strdup(a, file ? file : "<scenario>", strlen(file ? file : "<scenario>"));
	if (!s->file) {
		rc = -ENOMEM;
		goto fail;
	}
	if (scn_check(s, root, schema, d) == -ENOMEM)
		rc = -ENOMEM;
	else if (!rc && (d->n || d->dropped))
		rc = -EINVAL;
	if (rc)
		goto fail;
	*out = s;
	return 0;
fail:
	scn_arena_free(a);
	return rc;
}

int pgsim_scn_load_file(const char *path, const struct pgsim_scn_schema *schema,
			struct pgsim_scn **out, struct pgsim_scn_diags *d)
{
	struct stat st;
	char *buf = NULL;
	size_t len = 0, cap;
	FILE *f;
	int rc;

	*out = NULL;
	pgsim_scn_diags_init(d, path);
	f = fopen(path, "rb");
	if (!f) {
		rc = -errno;
		pgsim_scn_diag_add(d, (struct pgsim_scn_mark){ 0, 0 }, "cannot open: %s",
				   strerror(errno));
		return rc;
	}
	if (fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
		fclose(f);
		pgsim_scn_diag_add(d, (struct pgsim_scn_mark){ 0, 0 }, "is a directory");
		return -EISDIR;
	}
	/* Read at most one byte more than the limit, whatever fstat says
	 * (pipes and /proc files report size 0). */
	cap = 64 * 1024;
	for (;;) {
		size_t got;

		if (len == cap || !buf) {
			char *nb;

			if (buf)
				cap *= 2;
			nb = realloc(buf, cap + 1);
			if (!nb) {
				free(buf);
				fclose(f);
				return -ENOMEM;
			}
			buf = nb;
		}
		got = fread(buf + len, 1, cap - len, f);
		len += got;
		if (got == 0 || len > SCN_MAX_FILE)
			break;
	}
	if (ferror(f)) {
		rc = -EIO;
		pgsim_scn_diag_add(d, (struct pgsim_scn_mark){ 0, 0 }, "read error");
		free(buf);
		fclose(f);
		return rc;
	}
	fclose(f);
	rc = pgsim_scn_load_buf(path, buf, len, schema, out, d);
	free(buf);
	return rc;
}

void pgsim_scn_free(struct pgsim_scn *s)
{
	if (s)
		scn_arena_free(s->arena);
}
