/* pgsim: sel4utils vspace reports -- the seed walker's summary and the
 * reconciliation.
 *
 * The summary prints what the seed's sel4utils_walk_vspace printed (the
 * reservation list with page counts and the malloced flag; for each used
 * top-level entry the empty / reserved / used 4 KiB slots below it; the
 * top level's own counts), in a fixed format without pointers, so a user
 * can hold it against their root task's output line by line.  On a
 * 3- or 4-level shadow each used top-level entry is followed by one line
 * per bottom table.
 *
 * The reconciliation accounts for every used and reserved slot: runs of
 * slots that share a story (state, the reservation they lie in, the one
 * they were made under, the operation that made them, the cookie kind,
 * what the hardware says) become one line, and the totals close the
 * account.  Whether the hardware agrees is asked of the checker.
 */
#include <stdlib.h>
#include <string.h>

#include "pgsim/check.h"
#include "pgsim/vspace.h"

struct cnt {
	uint64_t used, reserved, empty;
};

static void add(struct cnt *c, const struct pgsim_vs_slot *s, uint64_t n)
{
	switch (s->kind) {
	case PGSIM_VS_SLOT_MAPPED: c->used += n; break;
	case PGSIM_VS_SLOT_RESERVED:
	case PGSIM_VS_SLOT_MID_RESERVED: c->reserved += n; break;
	default: c->empty += n; break;
	}
}

struct sum_ctx {
	FILE *f;
	unsigned levels, bits;
	uint64_t top_bytes, bottom_bytes;
	int64_t cur_top;          /* top entry being summed, -1 none */
	struct cnt top;           /* its slots */
	int64_t cur_bot;          /* bottom table being summed */
	struct cnt bot;
	char *lines;              /* bottom-table lines of the current top entry */
	size_t len, cap;
	struct cnt entries;       /* the top level's own entries */
};

static void put_line(struct sum_ctx *c, const char *s)
{
	size_t n = strlen(s);
	if (c->len + n + 1 > c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 1024;
		while (cap < c->len + n + 1)
			cap *= 2;
		char *p = realloc(c->lines, cap);
		if (!p)
			return;
		c->lines = p;
		c->cap = cap;
	}
	memcpy(c->lines + c->len, s, n + 1);
	c->len += n;
}

static void flush_bot(struct sum_ctx *c)
{
	if (c->cur_bot < 0)
		return;
	if (c->levels > 2 && (c->bot.used || c->bot.reserved)) {
		char b[160];
		uint64_t va = (uint64_t)c->cur_bot * c->bottom_bytes;
		snprintf(b, sizeof b, "    table 0x%llx-0x%llx: used %llu reserved %llu empty %llu\n",
			 (unsigned long long)va, (unsigned long long)(va + c->bottom_bytes - 1),
			 (unsigned long long)c->bot.used, (unsigned long long)c->bot.reserved,
			 (unsigned long long)c->bot.empty);
		put_line(c, b);
	}
	c->cur_bot = -1;
	memset(&c->bot, 0, sizeof c->bot);
}

static void flush_top(struct sum_ctx *c)
{
	flush_bot(c);
	if (c->cur_top >= 0) {
		uint64_t va = (uint64_t)c->cur_top * c->top_bytes;
		fprintf(c->f, "  top[%lld] 0x%llx-0x%llx: used %llu reserved %llu empty %llu\n",
			(long long)c->cur_top, (unsigned long long)va,
			(unsigned long long)(va + c->top_bytes - 1), (unsigned long long)c->top.used,
			(unsigned long long)c->top.reserved, (unsigned long long)c->top.empty);
		if (c->len)
			fputs(c->lines, c->f);
	}
	c->cur_top = -1;
	c->len = 0;
	if (c->lines)
		c->lines[0] = '\0';
	memset(&c->top, 0, sizeof c->top);
}

static int sum_cb(void *ctx, uint64_t va, uint64_t pages, const struct pgsim_vs_slot *s)
{
	struct sum_ctx *c = ctx;
	int64_t t = (int64_t)(va / c->top_bytes);
	if (s->level == (int)c->levels - 1) {
		/* a top-level entry that is no table */
		flush_top(c);
		add(&c->entries, s, 1);
		return 0;
	}
	if (t != c->cur_top) {
		flush_top(c);
		c->cur_top = t;
		c->entries.used++;
	}
	add(&c->top, s, pages);
	if (s->level != 0) {
		/* a whole mid entry below the top: no bottom table */
		flush_bot(c);
		return 0;
	}
	int64_t bt = (int64_t)(va / c->bottom_bytes);
	if (bt != c->cur_bot) {
		flush_bot(c);
		c->cur_bot = bt;
	}
	add(&c->bot, s, pages);
	return 0;
}

void pgsim_vs_print_summary(FILE *f, const struct pgsim_vs *vs)
{
	struct pgsim_vs_info in;
	pgsim_vs_info(vs, &in);
	/* a corrupted list may have a cycle: each node once, in list order */
	unsigned n = 0, bound = pgsim_vs_res_count(pgsim_vs_env_of(vs)) + 1;
	const struct pgsim_vs_res **nodes = calloc(bound, sizeof *nodes);
	for (const struct pgsim_vs_res *r = in.head; nodes && r && n < bound; r = r->next) {
		bool seen = false;
		for (unsigned j = 0; j < n && !seen; j++)
			seen = nodes[j] == r;
		if (seen)
			break;
		nodes[n++] = r;
	}
	fprintf(f, "vspace %s: %u reservation%s\n", pgsim_vs_name(vs), n, n == 1 ? "" : "s");
	for (unsigned i = 0; i < n; i++)
		fprintf(f, "  [%u] 0x%llx-0x%llx %llu pages malloced=%d%s\n", i,
			(unsigned long long)nodes[i]->start, (unsigned long long)nodes[i]->end,
			(unsigned long long)((nodes[i]->end - nodes[i]->start) / 0x1000),
			nodes[i]->malloced ? 1 : 0, nodes[i]->rights_deferred ? " deferred" : "");
	free(nodes);
	fprintf(f, "VSPACE_NUM_LEVELS %u, VSPACE_LEVEL_BITS %u\n", in.levels, in.level_bits);
	if (in.torn_down || !in.top_ptr) {
		fprintf(f, "  no shadow (%s)\n", in.torn_down ? "torn down" : "not created");
		return;
	}
	struct sum_ctx c;
	memset(&c, 0, sizeof c);
	c.f = f;
	c.levels = in.levels;
	c.bits = in.level_bits;
	c.top_bytes = 1ull << ((in.levels - 1) * in.level_bits + 12);
	c.bottom_bytes = 1ull << (in.level_bits + 12);
	c.cur_top = c.cur_bot = -1;
	pgsim_vs_visit(vs, sum_cb, &c);
	flush_top(&c);
	free(c.lines);
	fprintf(f, "  top level: used %llu reserved %llu empty %llu\n", (unsigned long long)c.entries.used,
		(unsigned long long)c.entries.reserved, (unsigned long long)c.entries.empty);
}

/* ---- reconciliation --------------------------------------------------------------- */

struct rec_row {
	bool active;
	bool used;
	uint64_t va, pages;
	uint32_t in_res, made_res;
	char op[160];
	const char *cookie;
	bool hw;
	char hw_text[120];
	int level;
	unsigned first, last;       /* entry indices at `level` */
};

struct rec_ctx {
	FILE *f;
	const struct pgsim_vs *vs;
	const struct pgsim_vs_env *env;
	const struct pgsim_chk_ctx *chk;
	struct pgsim_vs_consts c;
	struct pgsim_vs_info in;
	struct rec_row row;
	uint64_t used_in, used_out, res_in, res_out, res_kernel;
};

static uint32_t res_at(const struct rec_ctx *c, uint64_t va)
{
	unsigned n = 0, bound = pgsim_vs_res_count(c->env) + 1;
	for (const struct pgsim_vs_res *r = c->in.head; r && n < bound; r = r->next, n++)
		if (va >= (r->start & ~0xfffull) && va < r->end)
			return r->serial;
	return 0;
}

static void op_text(const struct pgsim_vs_env *env, uint32_t ev, char *buf, size_t len)
{
	const struct pgsim_vs_event *e = pgsim_vs_event(env, ev), *top = e;
	if (!e) {
		snprintf(buf, len, "unknown");
		return;
	}
	while (top->parent && pgsim_vs_event(env, top->parent))
		top = pgsim_vs_event(env, top->parent);
	if (top == e)
		snprintf(buf, len, "%s", e->op);
	else
		snprintf(buf, len, "%s in %s %s", e->op, top->op, top->vs[0] ? top->vs : top->detail);
}

static void flush_row(struct rec_ctx *c)
{
	struct rec_row *r = &c->row;
	if (!r->active)
		return;
	char res[120] = "no reservation";
	if (r->in_res) {
		snprintf(res, sizeof res, "in reservation %u", r->in_res);
	} else if (r->made_res) {
		const struct pgsim_vs_res *m = pgsim_vs_res_at(c->env, r->made_res);
		if (m && m->freed_by)
			snprintf(res, sizeof res, "no reservation (made under %u, freed by op %u)", m->serial,
				 m->freed_by);
		else
			snprintf(res, sizeof res, "no reservation (made under %u)", r->made_res);
	}
	char where[48];
	if (r->last >= r->first && r->last != r->first)
		snprintf(where, sizeof where, "L%d[%u..%u]", r->level, r->first, r->last);
	else if (r->last == r->first)
		snprintf(where, sizeof where, "L%d[%u]", r->level, r->first);
	else
		snprintf(where, sizeof where, "L%d[%u..]", r->level, r->first);
	fprintf(c->f, "  0x%llx-0x%llx %s %llu %s: %s; by %s; cookie %s; hardware: %s\n",
		(unsigned long long)r->va, (unsigned long long)(r->va + r->pages * 0x1000 - 1), where,
		(unsigned long long)r->pages, r->used ? "used" : "reserved", res, r->op, r->cookie,
		r->hw_text);
	r->active = false;
}

static int rec_cb(void *ctx, uint64_t va, uint64_t pages, const struct pgsim_vs_slot *s)
{
	struct rec_ctx *c = ctx;
	bool used = s->kind == PGSIM_VS_SLOT_MAPPED;
	bool reserved = s->kind == PGSIM_VS_SLOT_RESERVED || s->kind == PGSIM_VS_SLOT_MID_RESERVED;
	if (!used && !reserved) {
		flush_row(c);
		return 0;
	}
	struct rec_row n;
	memset(&n, 0, sizeof n);
	n.active = true;
	n.used = used;
	n.va = va;
	n.pages = pages;
	n.in_res = res_at(c, va);
	n.made_res = s->res_serial;
	op_text(c->env, s->event, n.op, sizeof n.op);
	n.cookie = !used ? "-" : s->cookie ? "ut" : "0";
	bool top = s->level == (int)c->in.levels - 1;
	if (top && s->index >= c->c.kernel_top_index && !c->in.is_empty) {
		n.hw = true;
		snprintf(n.hw_text, sizeof n.hw_text, "kernel region");
	} else if (c->chk) {
		n.hw = pgsim_chk_hw_agrees(c->chk, c->vs, va, n.hw_text, sizeof n.hw_text);
		if (n.hw && used)
			snprintf(n.hw_text, sizeof n.hw_text, "agrees");
		else if (n.hw)
			snprintf(n.hw_text, sizeof n.hw_text, "agrees (not present)");
	} else {
		snprintf(n.hw_text, sizeof n.hw_text, "not asked");
	}
	n.level = s->level;
	n.first = n.last = s->index;
	struct rec_row *r = &c->row;
	if (r->active && r->used == n.used && r->in_res == n.in_res && r->made_res == n.made_res &&
	    !strcmp(r->op, n.op) && r->cookie == n.cookie && r->hw == n.hw && r->level == n.level &&
	    r->va + r->pages * 0x1000 == va && (!n.hw ? false : !strcmp(r->hw_text, n.hw_text))) {
		r->pages += pages;
		r->last = s->index;
	} else {
		flush_row(c);
		c->row = n;
	}
	uint64_t *bucket = used ? (n.in_res ? &c->used_in : &c->used_out)
				: (top && s->index >= c->c.kernel_top_index ? &c->res_kernel
				   : n.in_res ? &c->res_in : &c->res_out);
	*bucket += pages;
	return 0;
}

void pgsim_vs_print_reconciliation(FILE *f, const struct pgsim_vs *vs, const struct pgsim_chk_ctx *ctx)
{
	struct rec_ctx c;
	memset(&c, 0, sizeof c);
	c.f = f;
	c.vs = vs;
	c.chk = ctx;
	pgsim_vs_info(vs, &c.in);
	c.env = NULL;
	if (ctx)
		c.env = ctx->env;
	if (!c.env) {
		fprintf(f, "reconciliation of %s: needs the environment\n", pgsim_vs_name(vs));
		return;
	}
	pgsim_vs_env_consts(c.env, &c.c);
	fprintf(f, "reconciliation of %s (slot ranges; L<level>[index] = a whole mid entry):\n",
		pgsim_vs_name(vs));
	pgsim_vs_visit(vs, rec_cb, &c);
	flush_row(&c);
	fprintf(f, "  used %llu = %llu in reservations + %llu outside any\n",
		(unsigned long long)(c.used_in + c.used_out), (unsigned long long)c.used_in,
		(unsigned long long)c.used_out);
	uint64_t per_top = 1ull << ((c.in.levels - 1) * c.in.level_bits);
	fprintf(f, "  reserved %llu = %llu in reservations + %llu outside any + %llu kernel region "
		"(%llu top-level entries)\n",
		(unsigned long long)(c.res_in + c.res_out + c.res_kernel), (unsigned long long)c.res_in,
		(unsigned long long)c.res_out, (unsigned long long)c.res_kernel,
		(unsigned long long)(c.res_kernel / per_top));
}
