/* pgsim: scenario engine — the operation table and the seL4 operations.
 *
 * One row per operation: its name, its keys (the loader checks them), the
 * key a bare scalar fills, and the engine's part (run function, what its
 * outcome can be matched against, extra prepare checks).  Adding an
 * operation is a row here, a key list and a run function; the loader, the
 * matcher and the output need no change.  Memory, walker, print and check
 * operations run in engine_mem.c.
 */
#include <errno.h>
#include <string.h>
#include <strings.h>

#include "engine_impl.h"
#include "engine_vspace.h"

/* ---- run functions: seL4 invocations --------------------------------------- */

/* Default rights: seL4_ReadWrite for a Map, seL4_AllRights for a copy. */
#define MAP_RIGHTS PGSIM_SEL4_READ_WRITE
#define COPY_RIGHTS PGSIM_SEL4_ALL_RIGHTS

static int attr_of(const struct pgsim_engine *e, const struct pgsim_scn_step *st, uint64_t *bits)
{
	const struct pgsim_scn_node *bad;

	return eng_attr(e, eng_arg(st, "attr"), bits, &bad);
}

static void names_of(const struct pgsim_scn_node *n, const char **v, unsigned max, unsigned *cnt)
{
	*cnt = 0;
	for (unsigned i = 0; n && i < n->n && i < max; i++)
		v[(*cnt)++] = n->items[i].text;
}

static int run_retype(struct pgsim_engine *e, const struct pgsim_scn_step *st,
		      struct pgsim_step_actual *a)
{
	const char *dest[64];
	unsigned n;

	names_of(eng_arg(st, "dest"), dest, 64, &n);
	a->has_kres = true;
	return pgsim_kernel_retype(e->k, eng_str(st, "untyped", e->untyped), eng_str(st, "type", ""),
				   (unsigned)eng_num(st, "size_bits", 0), dest, n, &a->kres);
}

static int run_copy(struct pgsim_engine *e, const struct pgsim_scn_step *st,
		    struct pgsim_step_actual *a)
{
	a->has_kres = true;
	return pgsim_kernel_copy(e->k, eng_str(st, "src", ""), eng_str(st, "dest", ""),
				 (unsigned)eng_num(st, "rights", COPY_RIGHTS), &a->kres);
}

static int run_mint(struct pgsim_engine *e, const struct pgsim_scn_step *st,
		    struct pgsim_step_actual *a)
{
	a->has_kres = true;
	return pgsim_kernel_mint(e->k, eng_str(st, "src", ""), eng_str(st, "dest", ""),
				 (unsigned)eng_num(st, "rights", COPY_RIGHTS), eng_num(st, "badge", 0),
				 &a->kres);
}

static int run_move(struct pgsim_engine *e, const struct pgsim_scn_step *st,
		    struct pgsim_step_actual *a)
{
	a->has_kres = true;
	return pgsim_kernel_move(e->k, eng_str(st, "src", ""), eng_str(st, "dest", ""), &a->kres);
}

static int run_delete(struct pgsim_engine *e, const struct pgsim_scn_step *st,
		      struct pgsim_step_actual *a)
{
	a->has_kres = true;
	return pgsim_kernel_delete(e->k, eng_str(st, "cap", ""), &a->kres);
}

static int run_revoke(struct pgsim_engine *e, const struct pgsim_scn_step *st,
		      struct pgsim_step_actual *a)
{
	a->has_kres = true;
	return pgsim_kernel_revoke(e->k, eng_str(st, "cap", ""), &a->kres);
}

/* An invocation whose success carries a value (an ASID, a physical
 * address, status bits): the step's value is the kernel's.  Returns rc. */
static int kres_value(struct pgsim_step_actual *a, int rc)
{
	a->has_value = !rc && a->kres.err == PGSIM_SEL4_NO_ERROR;
	a->value = a->kres.value;
	return rc;
}

static int run_assign(struct pgsim_engine *e, const struct pgsim_scn_step *st,
		      struct pgsim_step_actual *a)
{
	int rc;

	a->has_kres = true;
	rc = pgsim_kernel_assign(e->k, eng_str(st, "pool", "asid_pool"), eng_vspace(e, st),
				 &a->kres);
	return kres_value(a, rc);
}

static int run_make_pool(struct pgsim_engine *e, const struct pgsim_scn_step *st,
			 struct pgsim_step_actual *a)
{
	int rc;

	a->has_kres = true;
	rc = pgsim_kernel_make_pool(e->k, eng_str(st, "control", "asid_control"),
				    eng_str(st, "untyped", e->untyped), eng_str(st, "dest", ""),
				    &a->kres);
	return kres_value(a, rc);
}

static int run_map(struct pgsim_engine *e, const struct pgsim_scn_step *st,
		   struct pgsim_step_actual *a)
{
	uint64_t attr;
	int rc = attr_of(e, st, &attr);

	if (rc)
		return rc;
	a->has_kres = true;
	return pgsim_kernel_map(e->k, eng_str(st, "cap", ""), eng_vspace(e, st),
				eng_num(st, "vaddr", 0), (unsigned)eng_num(st, "rights", MAP_RIGHTS),
				attr, &a->kres);
}

static int run_remap(struct pgsim_engine *e, const struct pgsim_scn_step *st,
		     struct pgsim_step_actual *a)
{
	uint64_t attr;
	int rc = attr_of(e, st, &attr);

	if (rc)
		return rc;
	a->has_kres = true;
	return pgsim_kernel_remap(e->k, eng_str(st, "cap", ""), eng_vspace(e, st),
				  (unsigned)eng_num(st, "rights", MAP_RIGHTS), attr, &a->kres);
}

static int run_unmap(struct pgsim_engine *e, const struct pgsim_scn_step *st,
		     struct pgsim_step_actual *a)
{
	a->has_kres = true;
	return pgsim_kernel_unmap(e->k, eng_str(st, "cap", ""), &a->kres);
}

static int run_get_address(struct pgsim_engine *e, const struct pgsim_scn_step *st,
			   struct pgsim_step_actual *a)
{
	int rc;

	a->has_kres = true;
	rc = pgsim_kernel_get_address(e->k, eng_str(st, "cap", ""), &a->kres);
	return kres_value(a, rc);
}

static int run_map_helper(struct pgsim_engine *e, const struct pgsim_scn_step *st,
			  struct pgsim_step_actual *a)
{
	uint64_t attr;
	int rc = attr_of(e, st, &attr);

	if (rc)
		return rc;
	a->has_kres = true;
	a->has_created = true;
	return pgsim_kernel_map_helper(e->k, eng_str(st, "cap", ""), eng_vspace(e, st),
				       eng_num(st, "vaddr", 0),
				       (unsigned)eng_num(st, "rights", MAP_RIGHTS), attr,
				       eng_str(st, "untyped", e->untyped),
				       eng_str(st, "prefix", NULL), &a->created, &a->kres);
}

static int label_of(const char *s)
{
	for (int l = 0; l < PGSIM_KL_COUNT; l++) {
		const char *n = pgsim_klabel_name((enum pgsim_klabel)l);

		if (n && strcasecmp(n, s) == 0)
			return l;
	}
	return -1;
}

static int run_invoke(struct pgsim_engine *e, const struct pgsim_scn_step *st,
		      struct pgsim_step_actual *a)
{
	const struct pgsim_scn_node *w = eng_arg(st, "words");
	const char *dest[64];
	struct pgsim_kinv inv = { 0 };
	int label = label_of(eng_str(st, "label", "")), rc;

	if (label < 0)
		return -EINVAL;
	inv.label = (enum pgsim_klabel)label;
	inv.cap = eng_str(st, "cap", "");
	for (unsigned i = 0; w && i < w->n && i < 6; i++)
		inv.w[inv.n_words++] = w->items[i].num;
	names_of(eng_arg(st, "extra"), inv.extra, 2, &inv.n_extra);
	names_of(eng_arg(st, "dest"), dest, 64, &inv.n_dest);
	inv.dest = dest;
	a->has_kres = true;
	rc = pgsim_kernel_invoke(e->k, &inv, &a->kres);
	switch (inv.label) {
	case PGSIM_KL_PAGE_GET_ADDRESS:
	case PGSIM_KL_PAGE_DIRECTORY_GET_STATUS_BITS:
	case PGSIM_KL_ASID_CONTROL_MAKE_POOL:
	case PGSIM_KL_ASID_POOL_ASSIGN:
		kres_value(a, rc);
		break;
	default:
		break;
	}
	return rc;
}

/* ---- prepare hooks ------------------------------------------------------------ */

static void prep_type(struct pgsim_engine *e, const struct pgsim_scn_step *st,
		      struct pgsim_scn_diags *d)
{
	const struct pgsim_scn_node *t = eng_arg(st, "type");

	/* Untyped_Retype with a type this architecture lacks cannot be
	 * written as a seL4 call at all: an input error, not an outcome. */
	if (t && !pgsim_kernel_type_find(e->k, t->text)) {
		const char *names[32];
		unsigned n = 0;
		const char *h;

		for (unsigned i = 0; i < pgsim_kernel_n_types(e->k) && n < 32; i++)
			names[n++] = pgsim_kernel_type(e->k, i)->name;
		h = pgsim_scn_suggest(t->text, names, n);
		pgsim_scn_diag_add(d, t->mark, "retype.type: unknown %s object type '%.40s'%s%s%s",
				   e->cfg.arch->name, t->text, h ? " (did you mean '" : "",
				   h ? h : "", h ? "'?)" : "");
	}
}

static void prep_helper(struct pgsim_engine *e, const struct pgsim_scn_step *st,
			struct pgsim_scn_diags *d)
{
	/* the helper fills slots "<prefix>.<type>.<n>": later steps may name them */
	const char *p = eng_str(st, "prefix", eng_str(st, "cap", NULL));

	(void)d;
	if (p)
		eng_names_add(&e->prefixes, p);
}

static void prep_invoke(struct pgsim_engine *e, const struct pgsim_scn_step *st,
			struct pgsim_scn_diags *d)
{
	const struct pgsim_scn_node *l = eng_arg(st, "label");
	const char *names[PGSIM_KL_COUNT];
	const char *h;

	(void)e;
	if (!l || label_of(l->text) >= 0)
		return;
	for (int i = 0; i < PGSIM_KL_COUNT; i++)
		names[i] = pgsim_klabel_name((enum pgsim_klabel)i);
	h = pgsim_scn_suggest(l->text, names, PGSIM_KL_COUNT);
	if (h)
		pgsim_scn_diag_add(d, l->mark, "invoke.label: unknown label '%.40s' (did you mean "
				   "'%s'?)", l->text, h);
	else
		pgsim_scn_diag_add(d, l->mark, "invoke.label: unknown label '%.40s' (labels: "
				   "Page_Map, Page_Unmap, Page_GetAddress, PageTable_Map, "
				   "PageTable_Unmap, PageDirectory_Map, PageDirectory_Unmap, PDPT_Map, "
				   "PDPT_Unmap, PageDirectory_GetStatusBits, ASIDControl_MakePool, "
				   "ASIDPool_Assign, Untyped_Retype)", l->text);
}

/* ---- keys ----------------------------------------------------------------------- */

#define CAP(n, req) { .name = n, .type = PGSIM_SCN_T_CAP, .required = req }
#define SLOT(n) { .name = n, .type = PGSIM_SCN_T_SLOT, .required = true }
#define VA(n, req) { .name = n, .type = PGSIM_SCN_T_VA, .required = req }
#define RIGHTS { .name = "rights", .type = PGSIM_SCN_T_RIGHTS }
#define ATTR { .name = "attr", .type = PGSIM_SCN_T_ATTR }

static const struct pgsim_scn_key k_retype[] = {
	{ .name = "type", .type = PGSIM_SCN_T_STR, .required = true },
	{ .name = "dest", .type = PGSIM_SCN_T_SLOTS, .required = true, .max = 64 },
	CAP("untyped", false),
	{ .name = "size_bits", .type = PGSIM_SCN_T_NUM, .max = 64 },
	{ 0 }
};
static const struct pgsim_scn_key k_copy[] = { CAP("src", true), SLOT("dest"), RIGHTS, { 0 } };
static const struct pgsim_scn_key k_mint[] = {
	CAP("src", true), SLOT("dest"), RIGHTS,
	{ .name = "badge", .type = PGSIM_SCN_T_WORD },
	{ 0 }
};
static const struct pgsim_scn_key k_move[] = { CAP("src", true), SLOT("dest"), { 0 } };
static const struct pgsim_scn_key k_cap[] = { CAP("cap", true), { 0 } };
static const struct pgsim_scn_key k_assign[] = { CAP("vspace", false), CAP("pool", false), { 0 } };
static const struct pgsim_scn_key k_make_pool[] = {
	CAP("untyped", true), SLOT("dest"), CAP("control", false), { 0 }
};
static const struct pgsim_scn_key k_map[] = {
	CAP("cap", true), VA("vaddr", true), CAP("vspace", false), RIGHTS, ATTR, { 0 }
};
static const struct pgsim_scn_key k_remap[] = {
	CAP("cap", true), CAP("vspace", false), RIGHTS, ATTR, { 0 }
};
static const struct pgsim_scn_key k_map_helper[] = {
	CAP("cap", true), VA("vaddr", true), CAP("vspace", false), RIGHTS, ATTR,
	CAP("untyped", false),
	{ .name = "prefix", .type = PGSIM_SCN_T_SLOT },
	{ 0 }
};
static const struct pgsim_scn_key k_invoke[] = {
	{ .name = "label", .type = PGSIM_SCN_T_STR, .required = true },
	CAP("cap", true),
	{ .name = "words", .type = PGSIM_SCN_T_NUMS, .max = 6 },
	{ .name = "extra", .type = PGSIM_SCN_T_CAPS, .max = 2 },
	{ .name = "dest", .type = PGSIM_SCN_T_SLOTS, .max = 64 },
	{ 0 }
};

static const char *const modes[] = { "user", "supervisor", NULL };
/* "exec" as pgsim walk --access spells it, "execute" as the step is named */
static const char *const accesses[] = { "read", "write", "execute", "exec", NULL };
static const char *const print_what[] = { "ranges", "json", "vmprint", "caps", "walk", NULL };
static const char *const check_what[] = { "invariants", NULL };

#define MODE { .name = "mode", .type = PGSIM_SCN_T_CHOICE, .choices = modes }
#define ACC_SIZE { .name = "size", .type = PGSIM_SCN_T_NUM, .max = 8 }

static const struct pgsim_scn_key k_read[] = {
	VA("vaddr", true), ACC_SIZE, MODE, CAP("vspace", false), VA("ip", false), { 0 }
};
static const struct pgsim_scn_key k_write[] = {
	VA("vaddr", true), { .name = "value", .type = PGSIM_SCN_T_NUM, .required = true },
	ACC_SIZE, MODE, CAP("vspace", false), VA("ip", false), { 0 }
};
static const struct pgsim_scn_key k_execute[] = {
	VA("vaddr", true), MODE, CAP("vspace", false), { 0 }
};
static const struct pgsim_scn_key k_translate[] = {
	VA("vaddr", true), { .name = "access", .type = PGSIM_SCN_T_CHOICE, .choices = accesses },
	MODE, CAP("vspace", false), { 0 }
};
static const struct pgsim_scn_key k_print[] = {
	{ .name = "what", .type = PGSIM_SCN_T_CHOICE, .choices = print_what },
	CAP("vspace", false), VA("from", false), VA("to", false), VA("vaddr", false),
	{ .name = "slots", .type = PGSIM_SCN_T_CAPS },
	{ 0 }
};
static const struct pgsim_scn_key k_check[] = {
	{ .name = "what", .type = PGSIM_SCN_T_CHOICE, .choices = check_what, .required = true },
	{ .name = "ids", .type = PGSIM_SCN_T_STRS },
	/* engine_vspace.c's invariants: count these even when by design /
	 * accept these even when not */
	{ .name = "strict", .type = PGSIM_SCN_T_STRS },
	{ .name = "allow", .type = PGSIM_SCN_T_STRS },
	{ 0 }
};

#define OP(n, keys, sh, runf, prod, prep) \
	{ n, keys, sh, &(const struct eng_op){ runf, prod, prep, false } }
#define OP_OWN_VSPACE(n, keys, sh, runf, prod, prep) \
	{ n, keys, sh, &(const struct eng_op){ runf, prod, prep, true } }

static const struct pgsim_scn_opdef ops[] = {
	OP("retype", k_retype, NULL, run_retype, X_KRES, prep_type),
	OP("copy", k_copy, NULL, run_copy, X_KRES, NULL),
	OP("mint", k_mint, NULL, run_mint, X_KRES, NULL),
	OP("move", k_move, NULL, run_move, X_KRES, NULL),
	OP("delete", k_cap, "cap", run_delete, X_KRES, NULL),
	OP("revoke", k_cap, "cap", run_revoke, X_KRES, NULL),
	OP("assign", k_assign, "vspace", run_assign, X_KRES | X_VALUE, NULL),
	OP("make_pool", k_make_pool, NULL, run_make_pool, X_KRES | X_VALUE, NULL),
	OP("map", k_map, NULL, run_map, X_KRES, NULL),
	OP("remap", k_remap, "cap", run_remap, X_KRES, NULL),
	OP("unmap", k_cap, "cap", run_unmap, X_KRES, NULL),
	OP("get_address", k_cap, "cap", run_get_address, X_KRES | X_VALUE, NULL),
	OP("map_helper", k_map_helper, NULL, run_map_helper, X_KRES | X_CREATED, prep_helper),
	OP("invoke", k_invoke, NULL, run_invoke, X_KRES | X_VALUE, prep_invoke),
	OP("read", k_read, "vaddr", eng_run_read, X_FAULT | X_VALUE | X_TRANSLATION, eng_prep_access),
	OP("write", k_write, NULL, eng_run_write, X_FAULT | X_TRANSLATION, eng_prep_access),
	OP("execute", k_execute, "vaddr", eng_run_execute, X_FAULT | X_TRANSLATION, NULL),
	OP("translate", k_translate, "vaddr", eng_run_translate, X_FAULT | X_TRANSLATION, NULL),
	OP_OWN_VSPACE("print", k_print, "what", eng_run_print, X_OUTPUT, eng_prep_print),
	OP("check", k_check, "what", eng_run_check, X_INVARIANTS, eng_prep_check),
	ENG_VSPACE_OPS
};

static const struct pgsim_scn_schema schema = {
	.ops = ops,
	.n_ops = sizeof(ops) / sizeof(ops[0]),
	.expect = eng_expect_keys,
	.expect_shorthand = "error",
};

const struct pgsim_scn_schema *pgsim_engine_schema(void)
{
	return &schema;
}
