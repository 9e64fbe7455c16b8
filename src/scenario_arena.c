/* pgsim: scenario loader, part 0 - the arena every loaded scenario lives
 * in, and the diagnostics list ("file:line:col: message"). */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "scenario_impl.h"

/* ---- arena ---------------------------------------------------------------- */

struct arena_chunk {
	struct arena_chunk *next;
	size_t used, size;
	max_align_t data[];
};

struct pgsim_scn_arena {
	struct arena_chunk *head;
};

struct pgsim_scn_arena *scn_arena_new(void)
{
	return calloc(1, sizeof(struct pgsim_scn_arena));
}

void scn_arena_free(struct pgsim_scn_arena *a)
{
	if (!a)
		return;
	while (a->head) {
		struct arena_chunk *c = a->head;

		a->head = c->next;
		free(c);
	}
	free(a);
}

void *scn_alloc(struct pgsim_scn_arena *a, size_t n)
{
	const size_t align = sizeof(max_align_t);
	struct arena_chunk *c = a->head;
	void *p;

	if (n > SIZE_MAX / 2)
		return NULL;
	n = (n + align - 1) / align * align;
	if (n == 0)
		n = align;
	if (!c || c->size - c->used < n) {
		size_t size = n > 64 * 1024 ? n : 64 * 1024;

		c = malloc(sizeof(*c) + size);
		if (!c)
			return NULL;
		c->used = 0;
		c->size = size;
		c->next = a->head;
		a->head = c;
	}
	p = (char *)c->data + c->used;
	c->used += n;
	memset(p, 0, n);
	return p;
}

char *scn_strdup(struct pgsim_scn_arena *a, const char *s, size_t len)
{
	char *p = scn_alloc(a, len + 1);

	if (p) {
		memcpy(p, s, len);
		p[len] = '\0';
	}
	return p;
}

/* ---- diagnostics ---------------------------------------------------------- */

void pgsim_scn_diags_init(struct pgsim_scn_diags *d, const char *file)
{
	memset(d, 0, sizeof(*d));
	snprintf(d->file, sizeof(d->file), "%s", file ? file : "<scenario>");
}

void pgsim_scn_diag_add(struct pgsim_scn_diags *d, struct pgsim_scn_mark m, const char *fmt, ...)
{
	va_list ap;

	if (d->n == PGSIM_SCN_MAX_DIAGS) {
		d->dropped++;
		return;
	}
	d->d[d->n].mark = m;
	va_start(ap, fmt);
	vsnprintf(d->d[d->n].msg, sizeof(d->d[d->n].msg), fmt, ap);
	va_end(ap);
	d->n++;
}

/* In file order (line, then column); equal positions keep their order. */
void pgsim_scn_diags_print(FILE *out, const struct pgsim_scn_diags *d)
{
	unsigned order[PGSIM_SCN_MAX_DIAGS];

	for (unsigned i = 0; i < d->n; i++) {
		unsigned j = i;

		while (j > 0) {
			const struct pgsim_scn_mark *a = &d->d[order[j - 1]].mark, *b = &d->d[i].mark;

			if (a->line < b->line || (a->line == b->line && a->col <= b->col))
				break;
			order[j] = order[j - 1];
			j--;
		}
		order[j] = i;
	}
	for (unsigned i = 0; i < d->n; i++) {
		const struct pgsim_scn_diag *g = &d->d[order[i]];

		if (g->mark.line)
			fprintf(out, "%s:%u:%u: %s\n", d->file, g->mark.line, g->mark.col, g->msg);
		else
			fprintf(out, "%s: %s\n", d->file, g->msg);
	}
	if (d->dropped)
		fprintf(out, "%s: %u more error%s not shown\n", d->file, d->dropped,
			d->dropped == 1 ? "" : "s");
}
