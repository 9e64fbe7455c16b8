/* pgsim: sel4utils vspace model -- the environment, the operation history,
 * the world's lists and the outcome of a library call.
 *
 * The vka itself is in vspace_vka.c.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "vspace_impl.h"

/* libsel4 seL4_UserTop, VSPACE_MAP_PAGING_OBJECTS (libsel4utils
 * sel4_arch vspace.h) and seL4_ARCH_Uncached_VMAttributes (libsel4vspace
 * arch page.h) per architecture (spec sel4-vspace.md 2.1, sel4utils 1.4). */
static const struct vs_arch vs_arches[] = {
	{ &pgsim_arch_ia32, 32, 0xe0000000ull, 2, "cache_disabled" },
	{ &pgsim_arch_x86_64, 64, 0x7ffffffff000ull, 5, "cache_disabled" },
	{ &pgsim_arch_aarch64, 64, 0x7fffffffffffull, 5, NULL },
	{ &pgsim_arch_sv39, 64, 0x3ffffff000ull, 5, NULL },
};

const char *pgsim_vs_status_name(enum pgsim_vs_status s)
{
	switch (s) {
	case PGSIM_VS_OK: return "ok";
	case PGSIM_VS_FAILED: return "failed";
	case PGSIM_VS_ASSERT: return "assert";
	case PGSIM_VS_CRASH: return "crash";
	}
	return "?";
}

static char *vs_strdup(const char *s)
{
	size_t n = strlen(s) + 1;
	char *p = malloc(n);
	if (p)
		memcpy(p, s, n);
	return p;
}

int vs_grow(void **v, size_t *max, size_t need, size_t elem)
{
	if (need <= *max)
		return 0;
	size_t n = *max ? *max * 2 : 16;
	while (n < need)
		n *= 2;
	void *p = realloc(*v, n * elem);
	if (!p)
		return -ENOMEM;
	memset((char *)p + *max * elem, 0, (n - *max) * elem);
	*v = p;
	*max = n;
	return 0;
}

#define GROW(arr, max, need) vs_grow((void **)&(arr), &(max), (need), sizeof(*(arr)))

static void consts_init(struct pgsim_vs_env *env, const struct pgsim_vs_env_opts *o)
{
	struct pgsim_vs_consts *c = &env->c;
	c->levels = o->shadow_levels ? o->shadow_levels : (unsigned)env->cfg->top_level + 1;
	c->level_bits = o->shadow_level_bits ? o->shadow_level_bits : pgsim_level_index_bits(env->cfg, 0);
	c->word_bits = env->ad->word_bits;
	c->reserved = c->word_bits == 64 ? UINT64_MAX : (1ull << c->word_bits) - 1;
	c->kernel_reserved_start = env->ad->user_top & ~(VS_PAGE - 1);
	unsigned top_shift = (c->levels - 1) * c->level_bits + 12;
	c->kernel_top_index = (unsigned)((c->kernel_reserved_start >> top_shift) &
					 ((1ull << c->level_bits) - 1));
	/* bootstrap.c: 1 + k + ... + k^(n-1) mid tables, k^n bottom tables
	 * (k = 2^bits, n = levels - 1), plus one page. */
	uint64_t mid = 0, k = 1;
	for (unsigned i = 0; i + 1 < c->levels; i++) {
		mid += k;
		k <<= c->level_bits;
	}
	uint64_t mid_size = (1ull << c->level_bits) * (c->word_bits / 8);
	c->reserve_size = mid * mid_size + k * 2 * mid_size + mid_size;
	c->reserve_start = (c->kernel_reserved_start - c->reserve_size) & c->reserved;
	c->map_paging_objects = env->ad->map_paging_objects;
	c->first_hint = 0x10000000ull;
	c->default_attr = pgsim_kernel_default_attr(env->k);
	c->uncached_attr = 0;
	if (env->ad->uncached_attr)
		pgsim_kernel_attr_parse(env->k, env->ad->uncached_attr, &c->uncached_attr);
}

int pgsim_vs_env_new(struct pgsim_kernel *k, const struct pgsim_vs_env_opts *o,
		     struct pgsim_vs_env **out)
{
	if (!k || !o || !o->untyped || !out)
		return -EINVAL;
	const struct pgsim_cfg *cfg = pgsim_kernel_cfg(k);
	const struct vs_arch *ad = NULL;
	for (size_t i = 0; i < sizeof vs_arches / sizeof vs_arches[0]; i++)
		if (vs_arches[i].arch == cfg->arch)
			ad = &vs_arches[i];
	if (!ad)
		return -ENOTSUP;
	if ((o->shadow_levels && (o->shadow_levels < 2 || o->shadow_levels > PGSIM_MAX_LEVELS)) ||
	    (o->shadow_level_bits && (o->shadow_level_bits < 4 || o->shadow_level_bits > 12)))
		return -EINVAL;
	struct pgsim_vs_env *env = calloc(1, sizeof *env);
	if (!env)
		return -ENOMEM;
	env->k = k;
	env->cfg = cfg;
	env->ad = ad;
	env->ndebug = o->ndebug;
	env->first_cptr = o->first_cptr ? o->first_cptr : 0x100;
	env->untyped = vs_strdup(o->untyped);
	env->pool = vs_strdup(o->asid_pool ? o->asid_pool : "asid_pool");
	env->prefix = vs_strdup(o->slot_prefix ? o->slot_prefix : "cptr.");
	if (!env->untyped || !env->pool || !env->prefix) {
		pgsim_vs_env_free(env);
		return -ENOMEM;
	}
	consts_init(env, o);
	*out = env;
	return 0;
}

static void node_free(struct vs_node *n)
{
	free(n->e);
	free(n->cookie);
	free(n->ev);
	free(n->rs);
	free(n->child);
	free(n);
}

void pgsim_vs_env_free(struct pgsim_vs_env *env)
{
	if (!env)
		return;
	for (unsigned i = 0; i < env->n_vss; i++) {
		struct pgsim_vs *vs = env->vss[i];
		for (unsigned j = 0; j < vs->n_nodes; j++)
			node_free(vs->nodes[j]);
		free(vs->nodes);
		free(vs->name);
		free(vs);
	}
	for (unsigned i = 0; i < env->n_procs; i++) {
		free(env->procs[i]->objs);
		free(env->procs[i]->name);
		free(env->procs[i]);
	}
	for (unsigned i = 0; i < env->n_res; i++)
		free(env->res[i]);
	free(env->vss);
	free(env->procs);
	free(env->res);
	free(env->ev);
	free(env->caps);
	free(env->uts);
	free(env->untyped);
	free(env->pool);
	free(env->prefix);
	free(env);
}

struct pgsim_kernel *pgsim_vs_env_kernel(const struct pgsim_vs_env *env)
{
	return env->k;
}

void pgsim_vs_env_trace(struct pgsim_vs_env *env, FILE *f)
{
	env->trace = f;
}

void pgsim_vs_env_consts(const struct pgsim_vs_env *env, struct pgsim_vs_consts *c)
{
	*c = env->c;
}

/* ---- outcome ---------------------------------------------------------------- */

static struct pgsim_vs_out scratch_out;

void vs_out_begin(struct pgsim_vs_env *env, struct pgsim_vs_out *out)
{
	if (!out)
		out = &scratch_out;
	memset(out, 0, sizeof *out);
	env->out = out;
	env->abort = VS_RUN;
	env->rc = 0;
	env->ctx_res = 0;
}

int vs_out_end(struct pgsim_vs_env *env)
{
	struct pgsim_vs_out *out = env->out;
	if (env->abort == VS_ABORT_ASSERT)
		out->status = PGSIM_VS_ASSERT;
	else if (env->abort == VS_ABORT_CRASH)
		out->status = PGSIM_VS_CRASH;
	int rc = env->abort == VS_ABORT_PGSIM ? (env->rc ? env->rc : -EIO) : 0;
	env->abort = VS_RUN;
	return rc;
}

void vs_log(struct pgsim_vs_env *env, const char *fmt, ...)
{
	char buf[240];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	if (env->out && !env->out->msg[0])
		snprintf(env->out->msg, sizeof env->out->msg, "%s", buf);
	if (env->trace)
		fprintf(env->trace, "    log: %s\n", buf);
}

bool vs_assert(struct pgsim_vs_env *env, bool cond, const char *what)
{
	if (cond || VS_ABORTED(env))
		return cond;
	if (env->ndebug) {
		if (env->trace)
			fprintf(env->trace, "    assert(%s) fails; compiled out (NDEBUG)\n", what);
		return true;
	}
	env->abort = VS_ABORT_ASSERT;
	if (env->out)
		snprintf(env->out->msg, sizeof env->out->msg, "assertion failed: %s", what);
	if (env->trace)
		fprintf(env->trace, "    assertion failed: %s\n", what);
	return false;
}

void vs_crash(struct pgsim_vs_env *env, const char *what)
{
	if (VS_ABORTED(env))
		return;
	env->abort = VS_ABORT_CRASH;
	if (env->out)
		snprintf(env->out->msg, sizeof env->out->msg, "%s", what);
	if (env->trace)
		fprintf(env->trace, "    crash: %s\n", what);
}

void vs_fail_pgsim(struct pgsim_vs_env *env, int rc, const char *what)
{
	if (VS_ABORTED(env))
		return;
	env->abort = VS_ABORT_PGSIM;
	env->rc = rc;
	if (env->out)
		snprintf(env->out->msg, sizeof env->out->msg, "pgsim: %s: %s", what, strerror(-rc));
}

void vs_note_kres(struct pgsim_vs_env *env, const struct pgsim_kres *r)
{
	if (env->out && r->err != PGSIM_SEL4_NO_ERROR) {
		env->out->has_kres = true;
		env->out->kres = *r;
	}
}

/* ---- events ------------------------------------------------------------------ */

uint32_t vs_op_push(struct pgsim_vs_env *env, const struct pgsim_vs *vs, const char *op,
		    const char *fmt, ...)
{
	uint32_t prev = env->cur;
	size_t max = env->max_ev;
	if (GROW(env->ev, max, (size_t)env->n_ev + 1)) {
		vs_fail_pgsim(env, -ENOMEM, op);
		return prev;
	}
	env->max_ev = (uint32_t)max;
	struct pgsim_vs_event *e = &env->ev[env->n_ev++];
	e->id = env->n_ev;
	e->parent = prev;
	e->op = op;
	e->vs = vs ? vs->name : "";
	e->detail[0] = '\0';
	if (fmt) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(e->detail, sizeof e->detail, fmt, ap);
		va_end(ap);
	}
	env->cur = e->id;
	if (env->trace)
		fprintf(env->trace, "  [op %u] %s %s %s\n", e->id, op, e->vs, e->detail);
	return prev;
}

void vs_op_pop(struct pgsim_vs_env *env, uint32_t prev)
{
	env->cur = prev;
}

const struct pgsim_vs_event *pgsim_vs_event(const struct pgsim_vs_env *env, uint32_t id)
{
	if (id == 0 || id > env->n_ev)
		return NULL;
	return &env->ev[id - 1];
}

void pgsim_vs_event_str(const struct pgsim_vs_env *env, uint32_t id, char *buf, size_t len)
{
	size_t used = 0;
	buf[0] = '\0';
	if (!id) {
		snprintf(buf, len, "unknown operation");
		return;
	}
	for (unsigned depth = 0; id && used < len; depth++) {
		const struct pgsim_vs_event *e = pgsim_vs_event(env, id);
		if (!e)
			break;
		int w = snprintf(buf + used, len - used, "%s%s%s%s%s%s (op %u)",
				 depth ? " in " : "", e->op, e->vs[0] ? " " : "", e->vs,
				 e->detail[0] ? " " : "", e->detail, e->id);
		if (w < 0)
			break;
		used += (size_t)w;
		id = e->parent;
	}
}

bool pgsim_vs_event_within(const struct pgsim_vs_env *env, uint32_t id, const char *name)
{
	while (id) {
		const struct pgsim_vs_event *e = pgsim_vs_event(env, id);
		if (!e)
			return false;
		if (!strcmp(e->op, name))
			return true;
		id = e->parent;
	}
	return false;
}

/* ---- the world's lists ----------------------------------------------------------- */

struct pgsim_vs *vs_new(struct pgsim_vs_env *env, const char *name)
{
	size_t max = env->max_vss;
	if (GROW(env->vss, max, (size_t)env->n_vss + 1))
		return NULL;
	env->max_vss = (unsigned)max;
	struct pgsim_vs *vs = calloc(1, sizeof *vs);
	if (!vs)
		return NULL;
	vs->name = vs_strdup(name ? name : "");
	if (!vs->name) {
		free(vs);
		return NULL;
	}
	vs->env = env;
	vs->levels = env->c.levels;
	vs->bits = env->c.level_bits;
	env->vss[env->n_vss++] = vs;
	return vs;
}

struct pgsim_vs_proc *vs_proc_new(struct pgsim_vs_env *env, const char *name)
{
	size_t max = env->max_procs;
	if (GROW(env->procs, max, (size_t)env->n_procs + 1))
		return NULL;
	env->max_procs = (unsigned)max;
	struct pgsim_vs_proc *p = calloc(1, sizeof *p);
	if (!p)
		return NULL;
	p->name = vs_strdup(name ? name : "");
	if (!p->name) {
		free(p);
		return NULL;
	}
	env->procs[env->n_procs++] = p;
	return p;
}

struct pgsim_vs_res *vs_res_new(struct pgsim_vs *vs)
{
	struct pgsim_vs_env *env = vs->env;
	size_t max = env->max_res;
	struct pgsim_vs_res *r = calloc(1, sizeof *r);
	if (!r || GROW(env->res, max, (size_t)env->n_res + 1)) {
		free(r);
		vs_fail_pgsim(env, -ENOMEM, "malloc");
		return NULL;
	}
	env->max_res = (unsigned)max;
	env->res[env->n_res++] = r;
	r->serial = env->n_res;
	r->vs = vs;
	r->made_by = env->cur;
	return r;
}

unsigned pgsim_vs_res_count(const struct pgsim_vs_env *env)
{
	return env->n_res;
}

struct pgsim_vs_res *pgsim_vs_res_at(const struct pgsim_vs_env *env, uint32_t serial)
{
	return serial && serial <= env->n_res ? env->res[serial - 1] : NULL;
}

struct pgsim_vs *pgsim_vs_find(const struct pgsim_vs_env *env, const char *name)
{
	for (unsigned i = 0; i < env->n_vss; i++)
		if (!strcmp(env->vss[i]->name, name))
			return env->vss[i];
	return NULL;
}

unsigned pgsim_vs_count(const struct pgsim_vs_env *env)
{
	return env->n_vss;
}

struct pgsim_vs *pgsim_vs_at(const struct pgsim_vs_env *env, unsigned i)
{
	return i < env->n_vss ? env->vss[i] : NULL;
}

const char *pgsim_vs_name(const struct pgsim_vs *vs)
{
	return vs->name;
}

const struct pgsim_vs_env *pgsim_vs_env_of(const struct pgsim_vs *vs)
{
	return vs->env;
}

struct pgsim_vs_proc *pgsim_vs_proc_find(const struct pgsim_vs_env *env, const char *name)
{
	for (unsigned i = 0; i < env->n_procs; i++)
		if (!strcmp(env->procs[i]->name, name))
			return env->procs[i];
	return NULL;
}

void pgsim_vs_proc_info(const struct pgsim_vs_proc *p, struct pgsim_vs_proc_info *info)
{
	info->vs = p->vs;
	info->root_cptr = p->root_cptr;
	info->ipc_buffer = p->ipc_buffer;
	info->ipc_buffer_cap = p->ipc_buffer_cap;
	info->stack_top = p->stack_top;
	info->stack_pages = p->stack_pages;
	info->n_objects = p->n_objs;
	info->objects = p->objs;
}

int pgsim_vs_proc_forget_object(struct pgsim_vs_proc *p, unsigned i)
{
	if (i >= p->n_objs)
		return -ENOENT;
	memmove(&p->objs[i], &p->objs[i + 1], (p->n_objs - i - 1) * sizeof p->objs[0]);
	p->n_objs--;
	return 0;
}

int vs_proc_add_object(struct pgsim_vs_proc *p, uint64_t cptr)
{
	size_t max = p->max_objs;
	if (GROW(p->objs, max, (size_t)p->n_objs + 1))
		return -ENOMEM;
	p->max_objs = (unsigned)max;
	p->objs[p->n_objs++] = cptr;
	return 0;
}
