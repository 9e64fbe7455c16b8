/* pgsim: sel4utils vspace model -- the environment, the operation history,
 * the vka (slot and untyped allocator) and the outcome of a library call.
 *
 * The vka stands for the allocator a seL4 root task hands the library
 * (allocman in sel4test): vka_cspace_alloc gives the lowest free CPtr,
 * vka_alloc_object retypes one object from the environment's untyped into
 * that slot (seL4_Untyped_Retype), vka_free_object deletes the cap
 * (seL4_CNode_Delete), frees the slot and the untyped.  The untyped cookie
 * of an allocation (vka_object_t.ut, which the library stores as the
 * shadow's cookie) is its index + 1, so it is never 0.
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

static int grow(void **v, size_t *max, size_t need, size_t elem)
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

#define GROW(arr, max, need) grow((void **)&(arr), &(max), (need), sizeof(*(arr)))

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

/* ---- vka ----------------------------------------------------------------------- */

struct vs_cap *vs_cap_get(const struct pgsim_vs_env *env, uint64_t cptr)
{
	if (cptr < env->first_cptr || cptr - env->first_cptr >= env->n_caps)
		return NULL;
	struct vs_cap *c = &env->caps[cptr - env->first_cptr];
	return c->origin == PGSIM_VS_CAP_NONE ? NULL : c;
}

const char *vs_slot(const struct pgsim_vs_env *env, uint64_t cptr, char *buf, size_t len)
{
	const struct vs_cap *c = vs_cap_get(env, cptr);
	if (c)
		snprintf(buf, len, "%s", c->slot);
	else
		snprintf(buf, len, "%s0x%llx", env->prefix, (unsigned long long)cptr);
	return buf;
}

const char *pgsim_vs_slot(const struct pgsim_vs_env *env, uint64_t cptr, char *buf, size_t len)
{
	return vs_slot(env, cptr, buf, len);
}

int vs_cspace_alloc(struct pgsim_vs_env *env, uint64_t *cptr)
{
	size_t i = env->next_free_hint;
	while (i < env->n_caps && env->caps[i].origin != PGSIM_VS_CAP_NONE)
		i++;
	if (i == env->n_caps) {
		if (GROW(env->caps, env->max_caps, i + 1)) {
			vs_fail_pgsim(env, -ENOMEM, "vka_cspace_alloc");
			return -1;
		}
		env->n_caps = i + 1;
	}
	struct vs_cap *c = &env->caps[i];
	memset(c, 0, sizeof *c);
	c->cptr = env->first_cptr + i;
	c->origin = PGSIM_VS_CAP_SLOT;
	c->made_by = env->cur;
	snprintf(c->slot, sizeof c->slot, "%s0x%llx", env->prefix, (unsigned long long)c->cptr);
	env->next_free_hint = i + 1;
	*cptr = c->cptr;
	return 0;
}

void vs_cspace_free(struct pgsim_vs_env *env, uint64_t cptr)
{
	struct vs_cap *c = vs_cap_get(env, cptr);
	if (!c) {
		if (env->trace)
			fprintf(env->trace, "    vka_cspace_free(0x%llx): not an allocated slot\n",
				(unsigned long long)cptr);
		return;
	}
	c->origin = PGSIM_VS_CAP_NONE;
	size_t i = (size_t)(cptr - env->first_cptr);
	if (i < env->next_free_hint)
		env->next_free_hint = i;
}

static void trace_call(struct pgsim_vs_env *env, const char *what, const char *slot,
		       const struct pgsim_kres *r)
{
	if (env->out)
		env->out->n_calls++;
	vs_note_kres(env, r);
	if (env->trace) {
		char b[160];
		pgsim_kres_str(r, b, sizeof b);
		fprintf(env->trace, "    %s(%s) = %s\n", what, slot, b);
	}
}

const struct pgsim_ktype_info *vs_frame_type(const struct pgsim_vs_env *env, unsigned size_bits)
{
	for (unsigned i = 0; i < pgsim_kernel_n_types(env->k); i++) {
		const struct pgsim_ktype_info *t = pgsim_kernel_type(env->k, i);
		if (t->kind == PGSIM_KOBJ_FRAME && t->size_lg2 == size_bits)
			return t;
	}
	return NULL;
}

int vs_alloc_object(struct pgsim_vs_env *env, const struct pgsim_ktype_info *t, unsigned size_bits,
		    enum pgsim_vs_cap_origin origin, const struct pgsim_vs *owner,
		    uint64_t *cptr, uint64_t *ut)
{
	*cptr = 0;
	*ut = 0;
	if (!t) {
		vs_log(env, "vka: no object of %u bits on this architecture", size_bits);
		return -1;
	}
	uint64_t c;
	if (vs_cspace_alloc(env, &c))
		return -1;
	char slot[64];
	vs_slot(env, c, slot, sizeof slot);
	const char *dest[1] = { slot };
	struct pgsim_kres r;
	int rc = pgsim_kernel_retype(env->k, env->untyped, t->sel4_name, size_bits, dest, 1, &r);
	if (rc) {
		vs_fail_pgsim(env, rc, "Untyped_Retype");
		return -1;
	}
	trace_call(env, "Untyped_Retype", slot, &r);
	if (r.err != PGSIM_SEL4_NO_ERROR) {
		vs_log(env, "vka: allocating %s failed: %s", t->sel4_name, pgsim_sel4_err_name(r.err));
		vs_cspace_free(env, c);
		return -1;
	}
	struct pgsim_kcap_info ki;
	pgsim_kernel_cap(env->k, slot, &ki);
	size_t max = env->max_uts;
	if (GROW(env->uts, max, env->n_uts + 1)) {
		vs_fail_pgsim(env, -ENOMEM, "vka");
		return -1;
	}
	env->max_uts = max;
	struct vs_ut *u = &env->uts[env->n_uts++];
	u->pa = ki.pa;
	u->size_lg2 = ki.size_lg2;
	u->cptr = c;
	u->made_by = env->cur;
	struct vs_cap *cap = vs_cap_get(env, c);
	cap->origin = origin;
	cap->ut = env->n_uts;
	cap->owner = owner;
	*cptr = c;
	*ut = env->n_uts;
	return 0;
}

void vs_utspace_free(struct pgsim_vs_env *env, uint64_t ut)
{
	if (ut == 0 || ut > env->n_uts) {
		if (env->trace)
			fprintf(env->trace, "    vka_utspace_free(0x%llx): not an untyped cookie\n",
				(unsigned long long)ut);
		return;
	}
	env->uts[ut - 1].freed = true;
	env->uts[ut - 1].freed_by = env->cur;
}

int vs_cnode_delete(struct pgsim_vs_env *env, uint64_t cptr)
{
	char slot[64];
	vs_slot(env, cptr, slot, sizeof slot);
	struct pgsim_kres r;
	int rc = pgsim_kernel_delete(env->k, slot, &r);
	if (rc) {
		vs_fail_pgsim(env, rc, "CNode_Delete");
		return -1;
	}
	trace_call(env, "CNode_Delete", slot, &r);
	struct vs_cap *c = vs_cap_get(env, cptr);
	if (c && r.err == PGSIM_SEL4_NO_ERROR) {
		if (c->mapped_by && !c->unmapped_by)
			c->unmapped_by = env->cur;
		c->origin = PGSIM_VS_CAP_SLOT;
	}
	return (int)r.err;
}

int vs_cnode_copy(struct pgsim_vs_env *env, uint64_t dest, uint64_t src, unsigned rights)
{
	char ds[64], ss[64];
	vs_slot(env, dest, ds, sizeof ds);
	vs_slot(env, src, ss, sizeof ss);
	struct pgsim_kres r;
	int rc = pgsim_kernel_copy(env->k, ss, ds, rights, &r);
	if (rc) {
		vs_fail_pgsim(env, rc, "CNode_Copy");
		return -1;
	}
	trace_call(env, "CNode_Copy", ds, &r);
	struct vs_cap *c = vs_cap_get(env, dest);
	if (c && r.err == PGSIM_SEL4_NO_ERROR) {
		c->origin = PGSIM_VS_CAP_COPY;
		c->made_by = env->cur;
		c->ut = 0;
		c->owner = NULL;
		c->mapped_vs = NULL;
		c->mapped_by = c->unmapped_by = 0;
		c->in_shadow = false;
		c->hw_only = NULL;
	}
	return (int)r.err;
}

int vs_page_unmap(struct pgsim_vs_env *env, uint64_t cptr)
{
	char slot[64];
	vs_slot(env, cptr, slot, sizeof slot);
	struct pgsim_kres r;
	int rc = pgsim_kernel_unmap(env->k, slot, &r);
	if (rc) {
		vs_fail_pgsim(env, rc, "Page_Unmap");
		return -1;
	}
	trace_call(env, "Page_Unmap", slot, &r);
	struct vs_cap *c = vs_cap_get(env, cptr);
	if (c && r.err == PGSIM_SEL4_NO_ERROR)
		c->unmapped_by = env->cur;
	return (int)r.err;
}

void vs_free_object(struct pgsim_vs_env *env, uint64_t cptr, uint64_t ut)
{
	vs_cnode_delete(env, cptr);
	vs_cspace_free(env, cptr);
	vs_utspace_free(env, ut);
}

/* ---- public vka ----------------------------------------------------------------- */

int pgsim_vs_vka_adopt(struct pgsim_vs_env *env, const char *slot, uint64_t *cptr)
{
	if (!slot || strlen(slot) >= sizeof env->caps[0].slot)
		return -EINVAL;
	for (size_t i = 0; i < env->n_caps; i++)
		if (env->caps[i].origin != PGSIM_VS_CAP_NONE && !strcmp(env->caps[i].slot, slot)) {
			*cptr = env->caps[i].cptr;
			return 0;
		}
	vs_out_begin(env, NULL);
	uint64_t c = 0;
	int bad = vs_cspace_alloc(env, &c);
	int rc = vs_out_end(env);
	if (rc || bad)
		return rc ? rc : -ENOMEM;
	struct vs_cap *cap = vs_cap_get(env, c);
	cap->origin = PGSIM_VS_CAP_ADOPTED;
	snprintf(cap->slot, sizeof cap->slot, "%s", slot);
	*cptr = c;
	return 0;
}

int pgsim_vs_vka_alloc_frame(struct pgsim_vs_env *env, unsigned size_bits, uint64_t *cptr,
			     uint64_t *ut_cookie, struct pgsim_vs_out *out)
{
	vs_out_begin(env, out);
	uint32_t p = vs_op_push(env, NULL, "vka_alloc_frame", "%u bits", size_bits);
	uint64_t c = 0, ut = 0;
	int err = vs_alloc_object(env, vs_frame_type(env, size_bits), size_bits,
				  PGSIM_VS_CAP_CALLER, NULL, &c, &ut);
	env->out->ret = err;
	env->out->cptr = c;
	env->out->value = ut;
	if (err)
		env->out->status = PGSIM_VS_FAILED;
	if (cptr)
		*cptr = c;
	if (ut_cookie)
		*ut_cookie = ut;
	vs_op_pop(env, p);
	return vs_out_end(env);
}

int pgsim_vs_capinfo(const struct pgsim_vs_env *env, uint64_t cptr, struct pgsim_vs_capinfo *ci)
{
	const struct vs_cap *c = vs_cap_get(env, cptr);
	memset(ci, 0, sizeof *ci);
	if (!c)
		return -ENOENT;
	ci->origin = c->origin;
	ci->slot = c->slot;
	ci->ut = c->ut;
	ci->owner = c->owner;
	ci->made_by = c->made_by;
	ci->mapped_vs = c->mapped_vs;
	ci->mapped_va = c->mapped_va;
	ci->mapped_lg2 = c->mapped_lg2;
	ci->mapped_by = c->mapped_by;
	ci->in_shadow = c->in_shadow;
	ci->hw_only = c->hw_only;
	ci->unmapped_by = c->unmapped_by;
	return 0;
}

int pgsim_vs_cptr_of_slot(const struct pgsim_vs_env *env, const char *slot, uint64_t *cptr)
{
	size_t pl = strlen(env->prefix);
	if (!strncmp(slot, env->prefix, pl) && slot[pl] == '0' && slot[pl + 1] == 'x') {
		char *end;
		unsigned long long v = strtoull(slot + pl + 2, &end, 16);
		const struct vs_cap *c = *end ? NULL : vs_cap_get(env, v);
		if (c && !strcmp(c->slot, slot)) {
			*cptr = v;
			return 0;
		}
	}
	for (size_t i = 0; i < env->n_caps; i++)
		if (env->caps[i].origin == PGSIM_VS_CAP_ADOPTED && !strcmp(env->caps[i].slot, slot)) {
			*cptr = env->caps[i].cptr;
			return 0;
		}
	return -ENOENT;
}

int pgsim_vs_utinfo(const struct pgsim_vs_env *env, uint64_t cookie, struct pgsim_vs_utinfo *ui)
{
	if (cookie == 0 || cookie > env->n_uts)
		return -ENOENT;
	const struct vs_ut *u = &env->uts[cookie - 1];
	ui->pa = u->pa;
	ui->size_lg2 = u->size_lg2;
	ui->cptr = u->cptr;
	ui->freed = u->freed;
	ui->made_by = u->made_by;
	ui->freed_by = u->freed_by;
	return 0;
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
