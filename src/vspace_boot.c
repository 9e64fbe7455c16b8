/* pgsim: sel4utils vspace model -- creating and tearing down vspaces, and
 * reading the shadow.
 *
 * bootstrap.c: common_init, common_init_post_bootstrap (the kernel region
 * RESERVED at the top level), alloc_and_map, bootstrap_page_table,
 * reserve_initial_task_regions, sel4utils_bootstrap_vspace and
 * sel4utils_get_vspace / get_empty_vspace.  vspace.c: sel4utils_tear_down
 * with free_pages_at_level / free_page (and its size bug for large pages).
 */
#include <errno.h>
#include <string.h>

#include "vspace_impl.h"


static uint64_t RES(const struct pgsim_vs *vs)
{
	return vs->env->c.reserved;
}

static uint64_t mid_size(const struct pgsim_vs *vs)
{
	return (1ull << vs->bits) * (vs->env->c.word_bits / 8);
}

uint64_t vs_alloc_and_map(struct pgsim_vs *vs, uint64_t size)
{
	struct pgsim_vs_env *env = vs->env;
	if (size % VS_PAGE) {
		vs_log(env, "Object must be multiple of base page size");
		return 0;
	}
	if (!vs->next_bootstrap_vaddr) {
		vs_assert(env, false, "!\"not implemented\" (alloc_and_map)");
		return 0;
	}
	uint32_t p = vs_op_push(env, vs, "alloc_and_map", "%llu pages at 0x%llx",
				(unsigned long long)(size / VS_PAGE),
				(unsigned long long)vs->next_bootstrap_vaddr);
	uint64_t first = vs->next_bootstrap_vaddr;
	while (size > 0 && !VS_ABORTED(env)) {
		uint64_t vaddr = vs->next_bootstrap_vaddr, frame, ut;
		if (vs_alloc_object(env, vs_frame_type(env, 12), 12, PGSIM_VS_CAP_LIB_FRAME, vs, &frame, &ut)) {
			vs_log(env, "Failed to allocate bootstrap frame");
			first = 0;
			break;
		}
		uint64_t objs[PGSIM_MAX_LEVELS + 1];
		unsigned n;
		int err = vs_sel4_map_page(env, vs->root_cptr, frame, vaddr, PGSIM_SEL4_ALL_RIGHTS, true,
					   objs, &n);
		if (VS_ABORTED(env))
			break;
		if (err) {
			vs_free_object(env, frame, ut);
			vs_log(env, "Failed to map bootstrap frame at 0x%llx, error: %d",
			       (unsigned long long)vaddr, err);
			first = 0;
			break;
		}
		for (unsigned i = 0; i < n; i++)
			vs_allocated_object(vs, objs[i]);
		struct vs_cap *c = vs_cap_get(env, frame);
		c->mapped_vs = vs;
		c->mapped_va = vaddr;
		c->mapped_lg2 = 12;
		c->mapped_by = env->cur;
		c->hw_only = "bookkeeping frame of a self-bootstrapped vspace (alloc_and_map): "
			     "mapped in the reserved region, never recorded in the shadow";
		vs->next_bootstrap_vaddr += VS_PAGE;
		size -= VS_PAGE;
	}
	vs_op_pop(env, p);
	return VS_ABORTED(env) ? 0 : first;
}

static void common_init(struct pgsim_vs *vs, uint64_t root, struct pgsim_vs_proc *proc)
{
	vs->last_allocated = vs->env->c.first_hint;
	vs->head = NULL;
	vs->is_empty = false;
	vs->root_cptr = root;
	vs->proc = proc;
}

static void post_bootstrap(struct pgsim_vs *vs)
{
	struct pgsim_vs_env *env = vs->env;
	uint32_t p = vs_op_push(env, vs, "common_init_post_bootstrap", "%s",
				vs->is_empty ? "(empty: no kernel region)" : "kernel region RESERVED");
	if (!vs->is_empty)
		for (unsigned i = env->c.kernel_top_index; i < (1u << vs->bits); i++)
			vs_set_mid(vs, vs->top, i, RES(vs), NULL);
	vs->has_map_fns = true;
	vs_op_pop(env, p);
}

static int bootstrap(struct pgsim_vs *vs, uint64_t is, uint64_t ie, const uint64_t *frames,
		     unsigned n_frames)
{
	struct pgsim_vs_env *env = vs->env;
	/* bootstrap_page_table */
	vs->next_bootstrap_vaddr = env->c.reserve_start;
	uint64_t top = vs_alloc_and_map(vs, mid_size(vs));
	if (!top)
		return -1;
	vs->top = vs_node_new(vs, (int)vs->levels - 1, top, (unsigned)(mid_size(vs) / VS_PAGE), VS_EMPTY);
	if (!vs->top)
		return -1;
	uint32_t p = vs_op_push(env, vs, "reserve_range", "bootstrap region [0x%llx, 0x%llx)",
				(unsigned long long)env->c.reserve_start,
				(unsigned long long)(env->c.reserve_start + env->c.reserve_size));
	int err = vs_bootstrap_reserve_range(vs, env->c.reserve_start,
					     env->c.reserve_start + env->c.reserve_size);
	vs_op_pop(env, p);
	if (err || VS_ABORTED(env))
		return -1;
	/* reserve_initial_task_regions */
	p = vs_op_push(env, vs, "reserve_initial_task_regions", "image [0x%llx, 0x%llx), %u frames",
		       (unsigned long long)is, (unsigned long long)ie, n_frames);
	err = vs_bootstrap_reserve_range(vs, is, ie);
	if (err && !VS_ABORTED(env))
		vs_log(env, "Error reserving code/data segment");
	for (unsigned i = 0; !err && !VS_ABORTED(env) && i < n_frames; i++) {
		err = vs_bootstrap_reserve_range(vs, frames[i], frames[i] + VS_PAGE);
		if (err && !VS_ABORTED(env))
			vs_log(env, "Error reserving frame at 0x%llx", (unsigned long long)frames[i]);
	}
	vs_op_pop(env, p);
	if (err || VS_ABORTED(env))
		return -1;
	post_bootstrap(vs);
	return 0;
}

int pgsim_vs_bootstrap(struct pgsim_vs_env *env, const char *name, uint64_t root_cptr,
		       uint64_t image_start, uint64_t image_end,
		       const uint64_t *frames, unsigned n_frames,
		       struct pgsim_vs **out_vs, struct pgsim_vs_out *out)
{
	if (!name || pgsim_vs_find(env, name))
		return -EEXIST;
	struct pgsim_vs *vs = vs_new(env, name);
	if (!vs)
		return -ENOMEM;
	vs_out_begin(env, out);
	uint32_t p = vs_op_push(env, vs, "bootstrap_vspace", NULL);
	common_init(vs, root_cptr, NULL);
	vs->bootstrap = NULL;
	int ret = bootstrap(vs, image_start, image_end, frames, n_frames);
	env->out->ret = ret;
	if (ret)
		env->out->status = PGSIM_VS_FAILED;
	if (out_vs)
		*out_vs = vs;
	vs_op_pop(env, p);
	return vs_out_end(env);
}

int vs_get_vspace(struct pgsim_vs *vs, struct pgsim_vs *loader, uint64_t root, bool empty,
		  struct pgsim_vs_proc *proc)
{
	struct pgsim_vs_env *env = vs->env;
	uint32_t p = vs_op_push(env, vs, empty ? "get_empty_vspace" : "get_vspace", "loader %s",
				loader->name);
	common_init(vs, root, proc);
	vs->is_empty = empty;
	vs->bootstrap = loader;
	int ret = -1;
	if (vs_usable(loader)) {
		uint64_t top = vs_new_pages(loader, PGSIM_SEL4_ALL_RIGHTS, mid_size(vs) / VS_PAGE, 12);
		if (top && !VS_ABORTED(env)) {
			vs->top = vs_node_new(vs, (int)vs->levels - 1, top,
					      (unsigned)(mid_size(vs) / VS_PAGE), VS_EMPTY);
			if (vs->top) {
				post_bootstrap(vs);
				ret = 0;
			}
		}
	}
	vs_op_pop(env, p);
	return ret;
}

int pgsim_vs_get_vspace(struct pgsim_vs_env *env, const char *name, struct pgsim_vs *loader,
			uint64_t root_cptr, bool empty, struct pgsim_vs_proc *proc,
			struct pgsim_vs **out_vs, struct pgsim_vs_out *out)
{
	if (!name || !loader || pgsim_vs_find(env, name))
		return name && loader ? -EEXIST : -EINVAL;
	struct pgsim_vs *vs = vs_new(env, name);
	if (!vs)
		return -ENOMEM;
	if (proc)
		proc->vs = vs;
	vs_out_begin(env, out);
	int ret = vs_get_vspace(vs, loader, root_cptr, empty, proc);
	env->out->ret = ret;
	if (ret)
		env->out->status = PGSIM_VS_FAILED;
	if (out_vs)
		*out_vs = vs;
	return vs_out_end(env);
}

void pgsim_vs_info(const struct pgsim_vs *vs, struct pgsim_vs_info *info)
{
	memset(info, 0, sizeof *info);
	info->root_cptr = vs->root_cptr;
	const struct vs_cap *c = vs_cap_get(vs->env, vs->root_cptr);
	info->root_slot = c ? c->slot : NULL;
	info->last_allocated = vs->last_allocated;
	info->next_bootstrap_vaddr = vs->next_bootstrap_vaddr;
	info->bootstrap = vs->bootstrap;
	info->is_empty = vs->is_empty;
	info->proc = vs->proc;
	info->head = vs->head;
	info->levels = vs->levels;
	info->level_bits = vs->bits;
	info->top_ptr = vs->top ? vs->top->ptr : 0;
	info->torn_down = vs->torn_down;
}

/* ---- tear_down ------------------------------------------------------------------- */

static void mark_freed(struct pgsim_vs *vs, uint64_t ptr)
{
	for (unsigned k = 0; k < vs->n_nodes; k++)
		if (vs->nodes[k]->ptr == ptr && !vs->nodes[k]->freed) {
			vs->nodes[k]->freed = true;
			return;
		}
}

/* free_page: a run of equal non-zero cookies is taken for one page of
 * 12 * run bits -- right for 4 KiB pages, an invalid size for large ones
 * (which therefore leak). */
static void free_page(struct pgsim_vs *vs, bool free, uint64_t vaddr)
{
	uint64_t cookie = vs_get_cookie(vs, vaddr);
	if (!cookie)
		return;
	unsigned n = 1;
	for (uint64_t t = vaddr + VS_PAGE; vs_get_cookie(vs, t) == cookie; t += VS_PAGE)
		n++;
	vs_unmap_pages(vs, vaddr, 1, 12 * n, free);
}

static void free_pages_at_level(struct pgsim_vs *vs, bool free, int tl, uint64_t vaddr)
{
	struct pgsim_vs_env *env = vs->env;
	struct vs_node *level = vs->top;
	for (int i = (int)vs->levels - 1; i > tl && i > 1; i--) {
		unsigned idx = vs_index(vs, vaddr, i);
		if (level->e[idx] == RES(vs) || level->e[idx] == VS_EMPTY)
			return;
		level = vs_child(vs, level, idx);
		if (!level) {
			vs_crash(env, "tear_down follows a shadow entry that is no table");
			return;
		}
	}
	if (tl == 0) {
		unsigned idx = vs_index(vs, vaddr, 1);
		if (level->e[idx] == RES(vs) || level->e[idx] == VS_EMPTY)
			return;
		struct vs_node *b = vs_child(vs, level, idx);
		if (!b) {
			vs_crash(env, "tear_down follows a shadow entry that is no table");
			return;
		}
		uint64_t cap = b->e[vs_index(vs, vaddr, 0)];
		if (cap != VS_EMPTY && cap != RES(vs))
			free_page(vs, free, vaddr);
		return;
	}
	unsigned idx = vs_index(vs, vaddr, tl);
	uint64_t v = level->e[idx];
	if (v == RES(vs) || v == VS_EMPTY)
		return;
	for (unsigned j = 0; j < (1u << vs->bits) && !VS_ABORTED(env); j++)
		free_pages_at_level(vs, free, tl - 1, vaddr + j * vs_bytes_for_level(vs, tl - 1));
	if (VS_ABORTED(env))
		return;
	uint64_t pages = (tl == 1 ? 2 : 1) * mid_size(vs) / VS_PAGE;
	vs_unmap_pages(vs->bootstrap, v, pages, 12, true);
	mark_freed(vs, v);
}

int pgsim_vs_tear_down(struct pgsim_vs *vs, enum pgsim_vs_vka vka, struct pgsim_vs_out *out)
{
	struct pgsim_vs_env *env = vs->env;
	vs_out_begin(env, out);
	uint32_t p = vs_op_push(env, vs, "tear_down", "%s",
				vka == PGSIM_VS_FREE ? "VSPACE_FREE" : "VSPACE_PRESERVE");
	bool free = vka == PGSIM_VS_FREE;
	if (!vs_usable(vs)) {
		/* reported by vs_usable */
	} else if (!vs->bootstrap) {
		vs_log(env, "Not implemented: sel4utils cannot currently tear down a "
		       "self-bootstrapped vspace");
		env->out->status = PGSIM_VS_FAILED;
	} else {
		while (vs->head && !VS_ABORTED(env)) {
			uint32_t q = vs_op_push(env, vs, "free_reservation", "%u", vs->head->serial);
			vs_free_reservation(vs, vs->head);
			vs_op_pop(env, q);
		}
		if (vs->top && !VS_ABORTED(env)) {
			for (unsigned i = 0; i < (1u << vs->bits) && !VS_ABORTED(env); i++)
				free_pages_at_level(vs, free, (int)vs->levels - 1,
						    vs_bytes_for_level(vs, (int)vs->levels - 1) * i);
			if (!VS_ABORTED(env)) {
				vs_unmap_pages(vs->bootstrap, vs->top->ptr, mid_size(vs) / VS_PAGE, 12, true);
				vs->top->freed = true;
			}
		}
		/* data->top_level is left dangling */
		if (!VS_ABORTED(env))
			vs->torn_down = true;
	}
	vs_op_pop(env, p);
	return vs_out_end(env);
}

/* ---- reading the shadow ------------------------------------------------------------ */

static void slot_of(const struct pgsim_vs *vs, const struct vs_node *n, unsigned i,
		    struct pgsim_vs_slot *s)
{
	s->level = n->level;
	s->index = i;
	s->value = n->e[i];
	s->cookie = n->level == 0 ? n->cookie[i] : 0;
	s->event = n->ev[i];
	s->res_serial = n->rs[i];
	s->table_ptr = n->ptr;
	if (n->level == 0)
		s->kind = s->value == VS_EMPTY ? PGSIM_VS_SLOT_EMPTY
			  : s->value == RES(vs) ? PGSIM_VS_SLOT_RESERVED
						: PGSIM_VS_SLOT_MAPPED;
	else
		s->kind = s->value == VS_EMPTY ? PGSIM_VS_SLOT_EMPTY
			  : s->value == RES(vs) ? PGSIM_VS_SLOT_MID_RESERVED
						: PGSIM_VS_SLOT_BAD;
}

void pgsim_vs_lookup(const struct pgsim_vs *vs, uint64_t va, struct pgsim_vs_slot *s)
{
	memset(s, 0, sizeof *s);
	const struct vs_node *n = vs->top;
	if (!n)
		return;
	for (int l = (int)vs->levels - 1; l >= 1; l--) {
		unsigned i = vs_index(vs, va, l);
		const struct vs_node *c = vs_child(vs, n, i);
		if (!c) {
			slot_of(vs, n, i, s);
			return;
		}
		n = c;
	}
	slot_of(vs, n, vs_index(vs, va, 0), s);
}

static int visit(const struct pgsim_vs *vs, const struct vs_node *n, uint64_t base,
		 pgsim_vs_visit_fn fn, void *ctx)
{
	uint64_t b = vs_bytes_for_level(vs, n->level);
	for (unsigned i = 0; i < (1u << vs->bits); i++) {
		uint64_t va = base + i * b;
		const struct vs_node *c = n->level ? vs_child(vs, n, i) : NULL;
		int r;
		if (c) {
			r = visit(vs, c, va, fn, ctx);
		} else {
			struct pgsim_vs_slot s;
			slot_of(vs, n, i, &s);
			r = fn(ctx, va, b / VS_PAGE, &s);
		}
		if (r)
			return r;
	}
	return 0;
}

int pgsim_vs_visit(const struct pgsim_vs *vs, pgsim_vs_visit_fn fn, void *ctx)
{
	if (!vs->top || vs->torn_down)
		return 0;
	return visit(vs, vs->top, 0, fn, ctx);
}

static struct vs_node *node_at(struct pgsim_vs *vs, int level, uint64_t va)
{
	struct vs_node *n = vs->top;
	if (!n || level < 0 || level >= (int)vs->levels)
		return NULL;
	for (int l = (int)vs->levels - 1; l > level; l--) {
		n = vs_child(vs, n, vs_index(vs, va, l));
		if (!n)
			return NULL;
	}
	return n;
}

int pgsim_vs_poke_entry(struct pgsim_vs *vs, int level, uint64_t va, uint64_t value)
{
	struct vs_node *n = node_at(vs, level, va);
	if (!n)
		return -ENOENT;
	unsigned i = vs_index(vs, va, level);
	n->e[i] = value;
	if (level > 0) {
		n->child[i] = NULL;
		struct vs_node *c = vs_child(vs, n, i);
		n->child[i] = c;
	}
	return 0;
}

int pgsim_vs_poke_cookie(struct pgsim_vs *vs, uint64_t va, uint64_t cookie)
{
	struct vs_node *n = node_at(vs, 0, va);
	if (!n)
		return -ENOENT;
	n->cookie[vs_index(vs, va, 0)] = cookie;
	return 0;
}

void pgsim_vs_poke_hint(struct pgsim_vs *vs, uint64_t last_allocated)
{
	vs->last_allocated = last_allocated;
}

void pgsim_vs_poke_head(struct pgsim_vs *vs, struct pgsim_vs_res *head)
{
	vs->head = head;
}
