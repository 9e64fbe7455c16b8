/* pgsim: seL4 kernel model -- lifecycle, slots, the CDT, objects, results.
 *
 * The capability derivation tree is kept as a parent link per cap, which
 * is what seL4's mapping database encodes with its list order and
 * revocable bits (isMDBParentOf): a cap made by Retype (or a boot cap) is
 * revocable and parents its copies; a copy of a non-revocable cap becomes
 * a sibling (child of the same parent); an untyped copy is revocable.
 * Deleting a cap hands its children to its parent, as removing a node
 * from the MDB list does.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "kernel_impl.h"

#define K_TOMB (UINT32_MAX - 1)

/* ---- per-architecture data, keyed by descriptor ------------------------ */

static const struct karch *const karchs[] = {
	&karch_ia32, &karch_x86_64, &karch_aarch64, &karch_sv39,
};

static const struct karch *karch_for(const struct pgsim_arch *a)
{
	for (size_t i = 0; i < sizeof karchs / sizeof karchs[0]; i++)
		if (karchs[i]->arch == a)
			return karchs[i];
	return NULL;
}

unsigned k_rights_enc(const struct pgsim_kernel *k, enum pgsim_vm_rights r)
{
	return k->ka->rights_enc[r];
}

/* ---- memory helpers ---------------------------------------------------- */

int k_read_entry(const struct pgsim_kernel *k, pgsim_pa_t pa, uint64_t *v)
{
	return pgsim_mem_read_le(k->mem, pa, k->cfg->arch->entry_bytes, v);
}

int k_write_entry(struct pgsim_kernel *k, pgsim_pa_t pa, uint64_t v)
{
	return pgsim_mem_write_le(k->mem, pa, k->cfg->arch->entry_bytes, v);
}

int k_zero(struct pgsim_kernel *k, pgsim_pa_t pa, uint64_t len)
{
	return pgsim_mem_fill(k->mem, pa, 0, len);
}

uint64_t k_index(const struct pgsim_kernel *k, int level, pgsim_va_t va)
{
	return pgsim_level_index(k->cfg, level, va);
}

/* ---- slot names -------------------------------------------------------- */

static size_t hash_str(const char *s)
{
	size_t h = 1469598103934665603ull & SIZE_MAX;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * (1099511628211ull & SIZE_MAX);
	return h;
}

static int hash_grow(struct pgsim_kernel *k)
{
	size_t ncap = k->hash.cap ? k->hash.cap * 2 : 64;
	uint32_t *nt = malloc(ncap * sizeof *nt);
	if (!nt)
		return -ENOMEM;
	for (size_t i = 0; i < ncap; i++)
		nt[i] = K_NONE;
	size_t used = 0;
	for (size_t i = 0; i < k->hash.cap; i++) {
		uint32_t ci = k->hash.tab[i];
		if (ci == K_NONE || ci == K_TOMB)
			continue;
		size_t j = hash_str(k->caps[ci].slot) & (ncap - 1);
		while (nt[j] != K_NONE)
			j = (j + 1) & (ncap - 1);
		nt[j] = ci;
		used++;
	}
	free(k->hash.tab);
	k->hash.tab = nt;
	k->hash.cap = ncap;
	k->hash.used = used;
	return 0;
}

static size_t *hash_pos(const struct pgsim_kernel *k, const char *slot, size_t *pos)
{
	if (!k->hash.cap)
		return NULL;
	size_t j = hash_str(slot) & (k->hash.cap - 1);
	for (size_t n = 0; n < k->hash.cap; n++) {
		uint32_t ci = k->hash.tab[j];
		if (ci == K_NONE)
			return NULL;
		if (ci != K_TOMB && strcmp(k->caps[ci].slot, slot) == 0) {
			*pos = j;
			return pos;
		}
		j = (j + 1) & (k->hash.cap - 1);
	}
	return NULL;
}

uint32_t k_slot_find(const struct pgsim_kernel *k, const char *slot)
{
	size_t pos;
	if (!slot || !hash_pos(k, slot, &pos))
		return K_NONE;
	return k->hash.tab[pos];
}

static int hash_insert(struct pgsim_kernel *k, uint32_t ci)
{
	if ((k->hash.used + 1) * 2 > k->hash.cap) {
		int rc = hash_grow(k);
		if (rc)
			return rc;
	}
	size_t j = hash_str(k->caps[ci].slot) & (k->hash.cap - 1);
	while (k->hash.tab[j] != K_NONE && k->hash.tab[j] != K_TOMB)
		j = (j + 1) & (k->hash.cap - 1);
	if (k->hash.tab[j] == K_NONE)
		k->hash.used++;
	k->hash.tab[j] = ci;
	return 0;
}

static void hash_remove(struct pgsim_kernel *k, const char *slot)
{
	size_t pos;
	if (hash_pos(k, slot, &pos))
		k->hash.tab[pos] = K_TOMB;
}

/* ---- caps and objects -------------------------------------------------- */

int k_cap_new(struct pgsim_kernel *k, const char *slot, enum pgsim_kcap_type type,
	      uint32_t obj, uint32_t parent, uint32_t after, uint32_t *out)
{
	if (k->n_caps == k->max_caps) {
		uint32_t n = k->max_caps ? k->max_caps * 2 : 32;
		struct kcap *nc = realloc(k->caps, n * sizeof *nc);
		if (!nc)
			return -ENOMEM;
		k->caps = nc;
		k->max_caps = n;
	}
	char *name = strdup(slot);
	if (!name)
		return -ENOMEM;
	uint32_t ci = k->n_caps;
	struct kcap *c = &k->caps[ci];
	memset(c, 0, sizeof *c);
	c->slot = name;
	c->type = type;
	c->obj = obj;
	c->parent = parent;
	int rc = hash_insert(k, ci);
	if (rc) {
		free(name);
		return rc;
	}
	if (parent != K_NONE)
		k->caps[parent].n_children++;
	k->objs[obj].n_caps++;
	if (after == K_NONE)
		after = k->mdb_tail;
	c->mdb_prev = after;
	c->mdb_next = after == K_NONE ? K_NONE : k->caps[after].mdb_next;
	if (after != K_NONE)
		k->caps[after].mdb_next = ci;
	if (c->mdb_next != K_NONE)
		k->caps[c->mdb_next].mdb_prev = ci;
	else
		k->mdb_tail = ci;
	k->n_caps++;
	k->n_live++;
	if (out)
		*out = ci;
	return 0;
}

int k_cap_rename(struct pgsim_kernel *k, uint32_t ci, const char *slot)
{
	char *name = strdup(slot);
	if (!name)
		return -ENOMEM;
	struct kcap *c = &k->caps[ci];
	hash_remove(k, c->slot);
	free(c->slot);
	c->slot = name;
	return hash_insert(k, ci);
}

void k_cap_clear(struct pgsim_kernel *k, uint32_t ci)
{
	struct kcap *c = &k->caps[ci];
	for (uint32_t i = 0; i < k->n_caps && c->n_children; i++) {
		if (k->caps[i].slot && k->caps[i].parent == ci) {
			k->caps[i].parent = c->parent;
			c->n_children--;
			if (c->parent != K_NONE)
				k->caps[c->parent].n_children++;
		}
	}
	if (c->parent != K_NONE)
		k->caps[c->parent].n_children--;
	k->objs[c->obj].n_caps--;
	if (c->mdb_prev != K_NONE)
		k->caps[c->mdb_prev].mdb_next = c->mdb_next;
	if (c->mdb_next != K_NONE)
		k->caps[c->mdb_next].mdb_prev = c->mdb_prev;
	else
		k->mdb_tail = c->mdb_prev;
	hash_remove(k, c->slot);
	free(c->slot);
	c->slot = NULL;
	c->type = PGSIM_KCAP_NULL;
	k->n_live--;
}

int k_obj_new(struct pgsim_kernel *k, const struct ktype *t, pgsim_pa_t pa,
	      unsigned size_lg2, bool device, uint32_t *out)
{
	if (k->n_objs == k->max_objs) {
		uint32_t n = k->max_objs ? k->max_objs * 2 : 32;
		struct kobj *no = realloc(k->objs, n * sizeof *no);
		if (!no)
			return -ENOMEM;
		k->objs = no;
		k->max_objs = n;
	}
	struct kobj *o = &k->objs[k->n_objs];
	memset(o, 0, sizeof *o);
	o->type = t;
	o->pa = pa;
	o->size_lg2 = size_lg2;
	o->device = device;
	*out = k->n_objs++;
	return 0;
}

bool k_has_children(const struct pgsim_kernel *k, uint32_t ci)
{
	return k->caps[ci].n_children > 0;
}

/* Every cap to an object has the object's cap type, so the object's live
 * cap count says whether this one is the last (isFinalCapability). */
bool k_is_final(const struct pgsim_kernel *k, uint32_t ci)
{
	return k->objs[k->caps[ci].obj].n_caps == 1;
}

/* ---- lifecycle --------------------------------------------------------- */

int pgsim_kernel_new(const struct pgsim_cfg *cfg, struct pgsim_mem *mem,
		     const struct pgsim_kernel_opts *opts, struct pgsim_kernel **out)
{
	if (!cfg || !cfg->arch || !mem || !out)
		return -EINVAL;
	const struct karch *ka = karch_for(cfg->arch);
	if (!ka)
		return -ENOTSUP;
	/* Only the geometry seL4 uses for each architecture (AArch64: the
	 * 4-level, 48-bit non-hyp configuration). */
	if (cfg->top_level != (int)cfg->arch->levels - 1 ||
	    cfg->top_index_bits != cfg->arch->level[cfg->top_level].index_bits)
		return -ENOTSUP;
	struct pgsim_kernel *k = calloc(1, sizeof *k);
	if (!k)
		return -ENOMEM;
	k->cfg = cfg;
	k->mem = mem;
	k->mdb_tail = K_NONE;
	k->ka = ka;
	if (opts)
		k->opts = *opts;
	k->ktables_pa = k->opts.kernel_tables_pa ? k->opts.kernel_tables_pa : ka->kernel_tables_pa;
	int rc = -ENOMEM;
	k->types = malloc(ka->n_types * sizeof *k->types);
	k->asid_table = malloc(sizeof *k->asid_table << ka->n_pools_bits);
	if (!k->types || !k->asid_table)
		goto fail;
	for (uint32_t i = 0; i < 1u << ka->n_pools_bits; i++)
		k->asid_table[i] = K_NONE;
	for (unsigned i = 0; i < ka->n_types; i++) {
		k->types[i] = ka->types[i];
		/* MCS inserts SchedContext and Reply before the arch types. */
		if (k->opts.mcs && k->types[i].info.number >= 5)
			k->types[i].info.number += 2;
	}
	if (ka->ops->setup)
		ka->ops->setup(k);
	uint32_t obj;
	rc = k_obj_new(k, NULL, 0, 0, false, &obj);
	if (rc)
		goto fail;
	const char *ctl = k->opts.asid_control_slot ? k->opts.asid_control_slot : "asid_control";
	const char *pool = k->opts.asid_pool_slot ? k->opts.asid_pool_slot : "asid_pool";
	rc = k_cap_new(k, ctl, PGSIM_KCAP_ASID_CONTROL, obj, K_NONE, K_NONE, NULL);
	if (rc)
		goto fail;
	k->caps[0].revocable = true;
	rc = k_boot_pool(k, pool);
	if (rc)
		goto fail;
	*out = k;
	return 0;
fail:
	pgsim_kernel_free(k);
	return rc;
}

void pgsim_kernel_free(struct pgsim_kernel *k)
{
	if (!k)
		return;
	for (uint32_t i = 0; i < k->n_caps; i++)
		free(k->caps[i].slot);
	for (uint32_t i = 0; i < k->n_objs; i++)
		free(k->objs[i].pool);
	free(k->caps);
	free(k->objs);
	free(k->hash.tab);
	free(k->types);
	free(k->asid_table);
	free(k);
}

const struct pgsim_cfg *pgsim_kernel_cfg(const struct pgsim_kernel *k)
{
	return k->cfg;
}

struct pgsim_mem *pgsim_kernel_mem(const struct pgsim_kernel *k)
{
	return k->mem;
}

/* ---- object types ------------------------------------------------------ */

unsigned pgsim_kernel_n_types(const struct pgsim_kernel *k)
{
	return k->ka->n_types;
}

const struct pgsim_ktype_info *pgsim_kernel_type(const struct pgsim_kernel *k, unsigned i)
{
	return i < k->ka->n_types ? &k->types[i].info : NULL;
}

const struct pgsim_ktype_info *pgsim_kernel_type_find(const struct pgsim_kernel *k,
						     const char *name)
{
	if (!name)
		return NULL;
	for (unsigned i = 0; i < k->ka->n_types; i++) {
		const struct ktype *t = &k->types[i];
		const char *sn = t->info.sel4_name;
		if (strcasecmp(name, sn) == 0 || strcasecmp(name, t->info.name) == 0 ||
		    strcasecmp(name, sn + 5) == 0)
			return &t->info;
		/* without the "Object" suffix */
		size_t l = strlen(sn);
		if (l > 6 && strcasecmp(sn + l - 6, "Object") == 0) {
			size_t nl = strlen(name);
			if ((nl == l - 6 && strncasecmp(name, sn, nl) == 0) ||
			    (nl == l - 11 && strncasecmp(name, sn + 5, nl) == 0))
				return &t->info;
		}
		for (unsigned j = 0; j < 6 && t->aliases[j]; j++)
			if (strcasecmp(name, t->aliases[j]) == 0)
				return &t->info;
	}
	return NULL;
}

/* ---- queries ----------------------------------------------------------- */

static void fill_info(const struct pgsim_kernel *k, uint32_t ci, struct pgsim_kcap_info *in)
{
	const struct kcap *c = &k->caps[ci];
	const struct kobj *o = &k->objs[c->obj];
	memset(in, 0, sizeof *in);
	in->slot = c->slot;
	in->type = c->type;
	in->obj_type = o->type ? &o->type->info : NULL;
	in->pa = o->pa;
	in->size_lg2 = o->size_lg2;
	in->device = o->device;
	in->rights = c->rights;
	in->rights_encoding = c->type == PGSIM_KCAP_FRAME ? k_rights_enc(k, c->rights) : 0;
	in->mapped = c->mapped;
	in->asid = c->asid;
	in->vaddr = c->vaddr;
	in->map_rights = c->map_rights;
	in->map_attr = c->map_attr;
	in->watermark = c->free_bytes;
	in->asid_base = c->asid_base;
	in->parent = c->parent != K_NONE ? k->caps[c->parent].slot : NULL;
	in->final = k_is_final(k, ci);
}

int pgsim_kernel_cap(const struct pgsim_kernel *k, const char *slot,
		     struct pgsim_kcap_info *info)
{
	if (!slot || !info)
		return -EINVAL;
	uint32_t ci = k_slot_find(k, slot);
	if (ci == K_NONE) {
		memset(info, 0, sizeof *info);
		info->slot = slot;
		return 0;
	}
	fill_info(k, ci, info);
	return 0;
}

unsigned pgsim_kernel_n_caps(const struct pgsim_kernel *k)
{
	return k->n_live;
}

int pgsim_kernel_cap_at(const struct pgsim_kernel *k, unsigned i,
			struct pgsim_kcap_info *info)
{
	for (uint32_t ci = 0; ci < k->n_caps; ci++) {
		if (!k->caps[ci].slot)
			continue;
		if (i-- == 0) {
			fill_info(k, ci, info);
			return 0;
		}
	}
	return -ENOENT;
}

int pgsim_kernel_root_pa(const struct pgsim_kernel *k, const char *slot, pgsim_pa_t *pa)
{
	uint32_t ci = k_slot_find(k, slot);
	if (ci == K_NONE)
		return -ENOENT;
	const struct kcap *c = &k->caps[ci];
	if (!k_is_vtable_root(k, c))
		return -ENOENT;
	/* RISC-V: a PT is a root only while its ASID resolves to it. */
	if (k->objs[c->obj].type->info.level < 0 &&
	    !(c->mapped && k_find_vspace(k, c->asid) == c->obj))
		return -ENOENT;
	*pa = k->objs[c->obj].pa;
	return 0;
}

int pgsim_kernel_asid_root(const struct pgsim_kernel *k, uint32_t asid, pgsim_pa_t *pa)
{
	uint32_t o = k_find_vspace(k, asid);
	if (o == K_NONE)
		return -ENOENT;
	*pa = k->objs[o].pa;
	return 0;
}

bool pgsim_kernel_is_kernel_entry(const struct pgsim_kernel *k, unsigned root_index)
{
	return root_index >= k->ka->kwin_first && root_index - k->ka->kwin_first < k->ka->kwin_n;
}

unsigned pgsim_kernel_intended_perms(const struct pgsim_kernel *k, enum pgsim_vm_rights r,
				     uint64_t attr)
{
	if (r == PGSIM_VM_KERNEL_ONLY)
		return 0;
	unsigned p = PGSIM_P_UR;
	if (r == PGSIM_VM_READ_WRITE)
		p |= PGSIM_P_UW;
	if (!(attr & k->ka->xn_attr))
		p |= PGSIM_P_UX;
	return p;
}

/* ---- attributes -------------------------------------------------------- */

uint64_t pgsim_kernel_default_attr(const struct pgsim_kernel *k)
{
	return k->ka->default_attr;
}

int pgsim_kernel_attr_parse(const struct pgsim_kernel *k, const char *name, uint64_t *bits)
{
	if (!name || !bits)
		return -EINVAL;
	if (k_name_eq(name, "default")) {
		*bits = k->ka->default_attr;
		return 0;
	}
	for (const struct kattr_name *a = k->ka->attrs; a && a->name; a++) {
		if (k_name_eq(name, a->name)) {
			*bits = a->bits;
			return 0;
		}
	}
	return -ENOENT;
}
