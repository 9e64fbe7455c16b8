/* pgsim: sel4utils vspace model -- the shadow page table.
 *
 * The helpers of libsel4utils vspace_internal.h, one for one:
 * reserve_entries_{mid,bottom}, clear_entries_{mid,bottom},
 * update_entries_{mid,bottom}, is_reserved_or_empty_{mid,bottom}, get_cap,
 * get_cookie, and bootstrap.c's tolerant reserve_range_{mid,bottom}.  They
 * keep the library's control flow exactly (which entry is written before
 * which error, which tables are created on the way, no rollback), because
 * the partial states they leave are what the checker has to explain.
 *
 * Arithmetic is on 64-bit values.  The callers wrap the ends they compute
 * from user input (vaddr + bytes) to the library's word (VS_WORD), as its
 * uintptr_t does; inside these helpers a range ending exactly at 4 GiB on
 * ia32 behaves as intended rather than as a 32-bit wrap would (no library
 * path builds one: the kernel region is marked at the top level).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "vspace_impl.h"

uint64_t vs_bytes_for_level(const struct pgsim_vs *vs, int l)
{
	return 1ull << (vs->bits * (unsigned)l + 12);
}

unsigned vs_index(const struct pgsim_vs *vs, uint64_t va, int l)
{
	return (unsigned)((va >> (vs->bits * (unsigned)l + 12)) & ((1ull << vs->bits) - 1));
}

static uint64_t RES(const struct pgsim_vs *vs)
{
	return vs->env->c.reserved;
}

struct vs_node *vs_node_new(struct pgsim_vs *vs, int level, uint64_t ptr, unsigned pages,
			    uint64_t init)
{
	size_t n = 1u << vs->bits;
	struct vs_node *nd = calloc(1, sizeof *nd);
	struct pgsim_vs_env *env = vs->env;
	if (!nd)
		goto nomem;
	nd->level = level;
	nd->ptr = ptr;
	nd->pages = pages;
	nd->made_by = env->cur;
	nd->e = malloc(n * sizeof *nd->e);
	nd->ev = calloc(n, sizeof *nd->ev);
	nd->rs = calloc(n, sizeof *nd->rs);
	if (level == 0)
		nd->cookie = calloc(n, sizeof *nd->cookie);
	else
		nd->child = calloc(n, sizeof *nd->child);
	if (!nd->e || !nd->ev || !nd->rs || (level == 0 ? !nd->cookie : !nd->child))
		goto nomem;
	for (size_t i = 0; i < n; i++)
		nd->e[i] = init;
	if (vs->n_nodes == vs->max_nodes) {
		unsigned m = vs->max_nodes ? vs->max_nodes * 2 : 16;
		struct vs_node **p = realloc(vs->nodes, m * sizeof *p);
		if (!p)
			goto nomem;
		vs->nodes = p;
		vs->max_nodes = m;
	}
	vs->nodes[vs->n_nodes++] = nd;
	return nd;
nomem:
	if (nd) {
		free(nd->e);
		free(nd->ev);
		free(nd->rs);
		free(nd->cookie);
		free(nd->child);
		free(nd);
	}
	vs_fail_pgsim(env, -ENOMEM, "shadow table");
	return NULL;
}

struct vs_node *vs_child(const struct pgsim_vs *vs, const struct vs_node *n, unsigned i)
{
	uint64_t v = n->e[i];
	if (v == VS_EMPTY || v == RES(vs) || n->level == 0)
		return NULL;
	struct vs_node *c = n->child[i];
	if (c && c->ptr == v && c->level == n->level - 1 && !c->freed)
		return c;
	for (unsigned k = 0; k < vs->n_nodes; k++) {
		c = vs->nodes[k];
		if (c->ptr == v && c->level == n->level - 1 && !c->freed)
			return c;
	}
	return NULL;
}

void vs_set_mid(struct pgsim_vs *vs, struct vs_node *n, unsigned i, uint64_t v, struct vs_node *child)
{
	/* a new table starts out as the entry it replaces (update_entries_mid
	 * passes the old sentinel on): its entries inherit that entry's
	 * history */
	uint32_t old_ev = n->ev[i], old_rs = n->rs[i];
	n->e[i] = v;
	n->child[i] = child;
	n->ev[i] = vs->env->cur;
	n->rs[i] = v == RES(vs) ? vs->env->ctx_res : 0;
	if (child) {
		child->base = n->base + (uint64_t)i * vs_bytes_for_level(vs, n->level);
		for (size_t k = 0; k < (1u << vs->bits); k++) {
			child->ev[k] = old_ev;
			child->rs[k] = child->e[k] == RES(vs) ? old_rs : 0;
		}
	}
}

void vs_set_bottom(struct pgsim_vs *vs, struct vs_node *n, unsigned i, uint64_t cap, uint64_t cookie)
{
	n->e[i] = cap;
	n->cookie[i] = cookie;
	n->ev[i] = vs->env->cur;
	n->rs[i] = cap == VS_EMPTY ? 0 : vs->env->ctx_res;
}

/* A mid entry that is neither sentinel must be a table; if the model
 * cannot find one, the library would follow a wild pointer. */
static struct vs_node *follow(struct pgsim_vs *vs, struct vs_node *n, unsigned i)
{
	struct vs_node *c = vs_child(vs, n, i);
	if (!c) {
		char msg[160];
		snprintf(msg, sizeof msg,
			 "shadow level %d entry %u holds 0x%llx, which is no table: the library "
			 "dereferences it", n->level, i, (unsigned long long)n->e[i]);
		vs_crash(vs->env, msg);
	}
	return c;
}

static void next_range(const struct pgsim_vs *vs, int l, uint64_t start, uint64_t end,
		       uint64_t *aligned, uint64_t *next)
{
	uint64_t b = vs_bytes_for_level(vs, l);
	*aligned = start & ~(b - 1);
	*next = *aligned + b;
	if (*next > end)
		*next = end;
}

/* ---- reserve_entries -------------------------------------------------------- */

static int reserve_bottom(struct pgsim_vs *vs, struct vs_node *n, uint64_t start, uint64_t end,
			  bool preserve)
{
	while (start < end) {
		unsigned i = vs_index(vs, start, 0);
		uint64_t cap = n->e[i];
		if (cap == RES(vs)) {
			vs_log(vs->env, "Attempting to reserve already reserved region");
			return -1;
		}
		if (cap != VS_EMPTY && preserve)
			return -1;
		vs_set_bottom(vs, n, i, RES(vs), 0);
		start += VS_PAGE;
	}
	return 0;
}

/* An EMPTY mid-level entry on a reserve/bootstrap path: a new lower level
 * when only part of its span is concerned (`must`), else the RESERVED
 * sentinel for the whole span.  *v gets the entry's new value. */
static int fill_empty(struct pgsim_vs *vs, struct vs_node *n, unsigned i, int l, bool must,
		      uint64_t *v)
{
	struct vs_node *c = NULL;
	if (must) {
		c = vs_create_level(vs, l - 1, VS_EMPTY);
		if (!c) {
			vs_log(vs->env, "Failed to allocate and map book keeping frames "
			       "during bootstrapping");
			return -1;
		}
		*v = c->ptr;
	} else {
		*v = RES(vs);
	}
	vs_set_mid(vs, n, i, *v, c);
	return 0;
}

static int reserve_mid(struct pgsim_vs *vs, struct vs_node *n, int l, uint64_t start, uint64_t end,
		       bool preserve)
{
	while (start < end) {
		unsigned i = vs_index(vs, start, l);
		uint64_t b = vs_bytes_for_level(vs, l);
		uint64_t aligned = start & ~(b - 1);
		uint64_t next = aligned + b;
		bool must = false;
		if (next > end) {
			next = end;
			must = true;
		} else if (start != aligned) {
			must = true;
		}
		uint64_t v = n->e[i];
		if (v == RES(vs)) {
			vs_log(vs->env, "Tried to reserve already reserved region");
			return -1;
		}
		if (v == VS_EMPTY && fill_empty(vs, n, i, l, must, &v))
			return -1;
		if (v != RES(vs)) {
			struct vs_node *c = follow(vs, n, i);
			if (!c)
				return -1;
			int err = l == 1 ? reserve_bottom(vs, c, start, next, preserve)
					 : reserve_mid(vs, c, l - 1, start, next, preserve);
			if (err)
				return err;
		}
		start = next;
	}
	return 0;
}

int vs_reserve_entries_range(struct pgsim_vs *vs, uint64_t start, uint64_t end, bool preserve)
{
	return reserve_mid(vs, vs->top, (int)vs->levels - 1, start, end, preserve);
}

/* ---- clear_entries -------------------------------------------------------- */

static int clear_bottom(struct pgsim_vs *vs, struct vs_node *n, uint64_t start, uint64_t end,
			bool only_reserved)
{
	while (start < end) {
		unsigned i = vs_index(vs, start, 0);
		if (n->e[i] != RES(vs) && only_reserved)
			return -1;
		vs_set_bottom(vs, n, i, VS_EMPTY, 0);
		start += VS_PAGE;
	}
	return 0;
}

static int clear_mid(struct pgsim_vs *vs, struct vs_node *n, int l, uint64_t start, uint64_t end,
		     bool only_reserved)
{
	while (start < end) {
		unsigned i = vs_index(vs, start, l);
		uint64_t aligned, next;
		next_range(vs, l, start, end, &aligned, &next);
		uint64_t v = n->e[i];
		if (v == RES(vs)) {
			vs_log(vs->env, "Cannot clear reserved entries mid level");
			return -1;
		}
		if (v != VS_EMPTY) {
			struct vs_node *c = follow(vs, n, i);
			if (!c)
				return -1;
			int err = l == 1 ? clear_bottom(vs, c, start, next, only_reserved)
					 : clear_mid(vs, c, l - 1, start, next, only_reserved);
			if (err)
				return err;
		}
		start = next;
	}
	return 0;
}

int vs_clear_entries_range(struct pgsim_vs *vs, uint64_t start, uint64_t end, bool only_reserved)
{
	int err = clear_mid(vs, vs->top, (int)vs->levels - 1, start, end, only_reserved);
	if (err)
		return err;
	if (start < vs->last_allocated)
		vs->last_allocated = start;
	return 0;
}

/* ---- update_entries ---------------------------------------------------------- */

static int update_bottom(struct pgsim_vs *vs, struct vs_node *n, uint64_t start, uint64_t end,
			 uint64_t cap, uint64_t cookie)
{
	while (start < end) {
		unsigned i = vs_index(vs, start, 0);
		uint64_t old = n->e[i];
		if (old != RES(vs) && old != VS_EMPTY) {
			vs_log(vs->env, "Mapping neither reserved nor empty for vaddr 0x%llx "
			       "(contains 0x%llx)", (unsigned long long)start, (unsigned long long)old);
			return -1;
		}
		vs_set_bottom(vs, n, i, cap, cookie);
		start += VS_PAGE;
	}
	return 0;
}

static int update_mid(struct pgsim_vs *vs, struct vs_node *n, int l, uint64_t start, uint64_t end,
		      uint64_t cap, uint64_t cookie)
{
	while (start < end) {
		unsigned i = vs_index(vs, start, l);
		uint64_t aligned, next;
		next_range(vs, l, start, end, &aligned, &next);
		uint64_t v = n->e[i];
		struct vs_node *c;
		if (v == VS_EMPTY || v == RES(vs)) {
			/* the new table starts out as the sentinel it replaces */
			c = vs_create_level(vs, l - 1, v);
			if (!c) {
				vs_log(vs->env, "Failed to allocate and map book keeping frames "
				       "during bootstrapping");
				return -1;
			}
			vs_set_mid(vs, n, i, c->ptr, c);
		} else {
			c = follow(vs, n, i);
			if (!c)
				return -1;
		}
		int err = l == 1 ? update_bottom(vs, c, start, next, cap, cookie)
				 : update_mid(vs, c, l - 1, start, next, cap, cookie);
		if (err)
			return err;
		start = next;
	}
	return 0;
}

int vs_update_entries(struct pgsim_vs *vs, uint64_t vaddr, uint64_t cap, unsigned size_bits,
		      uint64_t cookie)
{
	return update_mid(vs, vs->top, (int)vs->levels - 1, vaddr, vaddr + (1ull << size_bits),
			  cap, cookie);
}

/* ---- is_reserved_or_empty ----------------------------------------------------- */

static bool roe_bottom(const struct pgsim_vs *vs, const struct vs_node *n, uint64_t start,
		       uint64_t end, uint64_t good)
{
	for (; start < end; start += VS_PAGE)
		if (n->e[vs_index(vs, start, 0)] != good)
			return false;
	return true;
}

static bool roe_mid(const struct pgsim_vs *vs, const struct vs_node *n, int l, uint64_t start,
		    uint64_t end, uint64_t good, uint64_t bad)
{
	while (start < end) {
		unsigned i = vs_index(vs, start, l);
		uint64_t aligned, next;
		next_range(vs, l, start, end, &aligned, &next);
		uint64_t v = n->e[i];
		if (v == bad)
			return false;
		if (v != good) {
			struct vs_node *c = follow((struct pgsim_vs *)vs, (struct vs_node *)n, i);
			if (!c)
				return false;
			bool ok = l == 1 ? roe_bottom(vs, c, start, next, good)
					 : roe_mid(vs, c, l - 1, start, next, good, bad);
			if (!ok)
				return false;
		}
		start = next;
	}
	return true;
}

bool vs_is_available_range(const struct pgsim_vs *vs, uint64_t start, uint64_t end)
{
	return roe_mid(vs, vs->top, (int)vs->levels - 1, start, end, VS_EMPTY, RES(vs));
}

bool vs_is_reserved_range(const struct pgsim_vs *vs, uint64_t start, uint64_t end)
{
	return roe_mid(vs, vs->top, (int)vs->levels - 1, start, end, RES(vs), VS_EMPTY);
}

/* ---- get_cap / get_cookie -------------------------------------------------------- */

static const struct vs_node *bottom_of(const struct pgsim_vs *vs, uint64_t va)
{
	const struct vs_node *n = vs->top;
	for (int l = (int)vs->levels - 1; l >= 1; l--) {
		unsigned i = vs_index(vs, va, l);
		uint64_t v = n->e[i];
		if (v == VS_EMPTY || v == RES(vs))
			return NULL;
		n = follow((struct pgsim_vs *)vs, (struct vs_node *)n, i);
		if (!n)
			return NULL;
	}
	return n;
}

uint64_t vs_get_cap(const struct pgsim_vs *vs, uint64_t va)
{
	const struct vs_node *b = bottom_of(vs, va);
	return b ? b->e[vs_index(vs, va, 0)] : 0;
}

uint64_t vs_get_cookie(const struct pgsim_vs *vs, uint64_t va)
{
	const struct vs_node *b = bottom_of(vs, va);
	return b ? b->cookie[vs_index(vs, va, 0)] : 0;
}

/* ---- bootstrap.c reserve_range ------------------------------------------------------ */

static int boot_bottom(struct pgsim_vs *vs, struct vs_node *n, uint64_t start, uint64_t end)
{
	for (; start < end; start += VS_PAGE) {
		unsigned i = vs_index(vs, start, 0);
		uint64_t cap = n->e[i];
		if (cap == RES(vs))
			continue;
		if (cap != VS_EMPTY) {
			vs_log(vs->env, "Cannot reserve allocated region");
			return -1;
		}
		/* the bootstrap variant writes the cap only (the cookie of
		 * an EMPTY slot is already 0) */
		n->e[i] = RES(vs);
		n->ev[i] = vs->env->cur;
		n->rs[i] = vs->env->ctx_res;
	}
	return 0;
}

static int boot_mid(struct pgsim_vs *vs, struct vs_node *n, int l, uint64_t start, uint64_t end)
{
	while (start < end) {
		unsigned i = vs_index(vs, start, l);
		uint64_t b = vs_bytes_for_level(vs, l);
		uint64_t aligned = start & ~(b - 1);
		uint64_t next = aligned + b;
		bool must = false;
		if (next > end) {
			next = end;
			must = true;
		} else if (start != aligned) {
			must = true;
		}
		uint64_t v = n->e[i];
		if (v == VS_EMPTY && fill_empty(vs, n, i, l, must, &v))
			return -1;
		if (v != RES(vs)) {
			struct vs_node *c = follow(vs, n, i);
			if (!c)
				return -1;
			int err = l == 1 ? boot_bottom(vs, c, start, next)
					 : boot_mid(vs, c, l - 1, start, next);
			if (err)
				return err;
		}
		start = next;
	}
	return 0;
}

int vs_bootstrap_reserve_range(struct pgsim_vs *vs, uint64_t start, uint64_t end)
{
	return boot_mid(vs, vs->top, (int)vs->levels - 1, start, end);
}

/* ---- create_level (vspace.c) ------------------------------------------------------ */

struct vs_node *vs_create_level(struct pgsim_vs *vs, int level, uint64_t init)
{
	/* vspace_mid_level_t: 2^bits words; vspace_bottom_level_t: two
	 * arrays of 2^bits words (cap[] and cookie[]). */
	uint64_t size = (1ull << vs->bits) * (vs->env->c.word_bits / 8) * (level == 0 ? 2 : 1);
	uint64_t pages = (size + VS_PAGE - 1) / VS_PAGE;
	uint64_t ptr;
	uint32_t p = vs_op_push(vs->env, vs, "create_level", "%s table",
				level == 0 ? "bottom" : "mid");
	if (vs->bootstrap == NULL) {
		/* bootstrap_create_level: frames from the reserved region */
		ptr = vs_alloc_and_map(vs, pages * VS_PAGE);
	} else {
		/* vspace_new_pages(bootstrap, seL4_AllRights, size / 4K, 12) */
		ptr = vs_new_pages(vs->bootstrap, PGSIM_SEL4_ALL_RIGHTS, pages, 12);
	}
	struct vs_node *n = NULL;
	if (ptr && !VS_ABORTED(vs->env))
		n = vs_node_new(vs, level, ptr, (unsigned)pages, init);
	vs_op_pop(vs->env, p);
	return n;
}
