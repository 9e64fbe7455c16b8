/* pgsim: sel4utils vspace model -- the vka.
 *
 * The allocator a seL4 root task hands the library (allocman in sel4test):
 * vka_cspace_alloc gives the lowest free CPtr, vka_alloc_object retypes
 * one object from the environment's untyped into that slot
 * (seL4_Untyped_Retype), vka_free_object deletes the cap
 * (seL4_CNode_Delete), frees the slot and the untyped.  The untyped cookie
 * of an allocation (vka_object_t.ut, which the library stores as the
 * shadow's cookie) is its index + 1, so it is never 0.  A CPtr names the
 * kernel-model slot "<prefix>0x<cptr>".
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "vspace_impl.h"

#define GROW(arr, max, need) vs_grow((void **)&(arr), &(max), (need), sizeof(*(arr)))

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
	return vs_alloc_object_named(env, t, size_bits, origin, owner, NULL, cptr, ut);
}

int vs_alloc_object_named(struct pgsim_vs_env *env, const struct pgsim_ktype_info *t, unsigned size_bits,
			  enum pgsim_vs_cap_origin origin, const struct pgsim_vs *owner, const char *name,
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
	if (name)
		snprintf(vs_cap_get(env, c)->slot, sizeof env->caps[0].slot, "%s", name);
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

