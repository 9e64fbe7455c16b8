/* libFuzzer target: hostile page tables.  The input is split into a small
 * header (arch, root slot, VA, access, CPU flags) and the bytes of
 * physical memory from 0; the walker must terminate and stay in bounds
 * for one translation and for a range walk of the whole space. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "pgsim/walk.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int count(void *ctx, const struct pgsim_range *r)
{
	(void)r;
	++*(unsigned *)ctx;
	return 0;
}

static int count_a(void *ctx, const struct pgsim_anomaly *a)
{
	(void)a;
	++*(unsigned *)ctx;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 16)
		return 0;
	unsigned n;
	const struct pgsim_arch *const *all = pgsim_arch_all(&n);
	struct pgsim_cfg cfg;
	pgsim_cfg_init(&cfg, all[data[0] % n]);
	cfg.flags = (uint32_t)data[1] | (uint32_t)data[2] << 8;
	const struct pgsim_arch *a = cfg.arch;
	if (a->n_va_geometries > 1)
		pgsim_cfg_set_va_bits(&cfg, a->va_geometries[data[3] % a->n_va_geometries].va_bits);
	pgsim_va_t va;
	memcpy(&va, data + 4, sizeof va);
	pgsim_pa_t root = (pgsim_pa_t)(data[12] & 7) << 12;
	struct pgsim_walk_req req = { .access = (enum pgsim_access)(data[13] % 3),
				      .user = data[13] & 4, .update_ad = data[13] & 8 };
	struct pgsim_mem *m = pgsim_mem_new();
	pgsim_mem_add_ram(m, 0, 0x7fff);
	pgsim_mem_write(m, 0, data + 16, size - 16 > 0x8000 ? 0x8000 : size - 16);
	struct pgsim_translation t;
	pgsim_walk_translate(&cfg, m, root, va, &req, &t);
	unsigned r = 0;
	struct pgsim_range_opts o = { .va = 0, .last = pgsim_va_last(&cfg), .merge = data[14] & 1,
				      .max_visits = 1u << 16 };
	struct pgsim_range_cb cb = { .range = count, .anomaly = count_a, .ctx = &r };
	pgsim_walk_range(&cfg, m, root, &o, &cb);
	pgsim_mem_free(m);
	return 0;
}
