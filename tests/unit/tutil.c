#include "tutil.h"

void tu_put(struct pgsim_mem *m, pgsim_pa_t pa, unsigned bytes, uint64_t value)
{
	assert_int_equal(pgsim_mem_write_le(m, pa, bytes, value), 0);
}

uint64_t tu_get(struct pgsim_mem *m, pgsim_pa_t pa, unsigned bytes)
{
	uint64_t v = 0;
	assert_int_equal(pgsim_mem_read_le(m, pa, bytes, &v), 0);
	return v;
}

struct pgsim_cfg tu_cfg(const char *arch)
{
	struct pgsim_cfg cfg;
	const struct pgsim_arch *a = pgsim_arch_find(arch);
	assert_non_null(a);
	pgsim_cfg_init(&cfg, a);
	return cfg;
}

struct pgsim_translation tu_walk(const struct pgsim_cfg *cfg, struct pgsim_mem *m,
				 pgsim_pa_t root, pgsim_va_t va,
				 enum pgsim_access acc, bool user)
{
	struct pgsim_translation t;
	struct pgsim_walk_req req = { .access = acc, .user = user, .update_ad = false };
	assert_int_equal(pgsim_walk_translate(cfg, m, root, va, &req, &t), 0);
	return t;
}
