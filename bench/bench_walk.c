/* Walker benchmarks.  Each line prints `name arch n ns/op` beside a floor
 * measured in the same run, so the ratio is what counts on a noisy machine:
 *  - translate: pgsim_walk_translate over a table of 4K pages, against a
 *    bare 4-level x86_64 walk that only reads entries through the same
 *    sparse memory (the cost no walker can avoid);
 *  - range: pgsim_walk_range over the same tables, ns per page visited;
 *  - import: raw image import MB/s against fread() of the same file.
 * Usage: bench_walk [pages]   (default 65536) */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "pgsim/walk.h"

static double now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

/* Map `pages` 4K pages from VA 0 with the arch's own encode(), tables
 * allocated upward from 0x100000, frames at 0x40000000 + i*4K. */
static pgsim_pa_t build(const struct pgsim_cfg *cfg, struct pgsim_mem *m, unsigned pages)
{
	const struct pgsim_arch *a = cfg->arch;
	const struct pgsim_arch_ops *o = a->ops;
	uint64_t leaf_flags = 0;
	const struct pgsim_field_desc *f;
	/* Enough flags for a readable user leaf on every arch. */
	static const char *const names[] = { "RW", "US", "R", "W", "U", "A", "AF", "AP" };
	for (unsigned i = 0; i < sizeof names / sizeof names[0]; i++)
		if ((f = pgsim_field_find(a, names[i], PGSIM_ENTRY_LEAF, 0)))
			leaf_flags = pgsim_field_set(f, leaf_flags, 1);
	static const char *const tnames[] = { "RW", "US" };
	uint64_t table_flags = 0;
	pgsim_pa_t next = 0x100000, root = next;
	next += 0x2000;
	for (unsigned p = 0; p < pages; p++) {
		pgsim_va_t va = (pgsim_va_t)p << 12;
		pgsim_pa_t table = root;
		for (int l = cfg->top_level; l > 0; l--) {
			table_flags = 0;
			for (unsigned i = 0; i < 2; i++)
				if ((f = pgsim_field_find(a, tnames[i], PGSIM_ENTRY_TABLE, l)))
					table_flags = pgsim_field_set(f, table_flags, 1);
			pgsim_pa_t epa = table + (pgsim_pa_t)pgsim_level_index(cfg, l, va) * a->entry_bytes;
			uint64_t e = 0;
			pgsim_pa_t sub = 0;
			pgsim_mem_read_le(m, epa, a->entry_bytes, &e);
			if (o->classify(cfg, l, e, &sub) != PGSIM_ENTRY_TABLE) {
				sub = next;
				next += 0x1000;
				pgsim_mem_write_le(m, epa, a->entry_bytes,
						   o->encode(cfg, l, PGSIM_ENTRY_TABLE, sub, table_flags));
			}
			table = sub;
		}
		pgsim_pa_t epa = table + (pgsim_pa_t)pgsim_level_index(cfg, 0, va) * a->entry_bytes;
		pgsim_mem_write_le(m, epa, a->entry_bytes,
				   o->encode(cfg, 0, PGSIM_ENTRY_LEAF, 0x40000000ull + ((pgsim_pa_t)p << 12),
					     leaf_flags));
	}
	return root;
}

/* The floor: read one entry per level and follow bits 51:12, nothing else. */
static pgsim_pa_t bare_walk(struct pgsim_mem *m, const struct pgsim_cfg *cfg, pgsim_pa_t root,
			    pgsim_va_t va)
{
	pgsim_pa_t t = root;
	uint64_t e = 0;
	for (int l = cfg->top_level; l >= 0; l--) {
		pgsim_mem_read_le(m, t + (pgsim_pa_t)pgsim_level_index(cfg, l, va) * cfg->arch->entry_bytes,
				  cfg->arch->entry_bytes, &e);
		t = e & 0x000ffffffffff000ull;
	}
	return t | (va & 0xfff);
}

static int count_range(void *ctx, const struct pgsim_range *r)
{
	*(uint64_t *)ctx += r->pages;
	return 0;
}

int main(int argc, char **argv)
{
	unsigned pages = argc > 1 ? (unsigned)strtoul(argv[1], NULL, 0) : 65536;
	const unsigned reps = 8;
	unsigned n;
	const struct pgsim_arch *const *all = pgsim_arch_all(&n);
	printf("%-10s %-8s %10s %10s %10s %6s\n", "bench", "arch", "n", "ns/op", "floor", "ratio");
	for (unsigned i = 0; i < n; i++) {
		struct pgsim_cfg cfg;
		pgsim_cfg_init(&cfg, all[i]);
		struct pgsim_mem *m = pgsim_mem_new();
		pgsim_pa_t root = build(&cfg, m, pages);
		struct pgsim_walk_req req = { .access = PGSIM_ACCESS_READ, .user = true };
		struct pgsim_translation t;
		volatile uint64_t sink = 0;
		uint64_t ops = (uint64_t)pages * reps;

		double t0 = now_ns();
		for (unsigned r = 0; r < reps; r++)
			for (unsigned p = 0; p < pages; p++)
				sink += bare_walk(m, &cfg, root, ((pgsim_va_t)p << 12) | 8);
		double floor_ns = (now_ns() - t0) / ops;

		t0 = now_ns();
		unsigned okc = 0;
		for (unsigned r = 0; r < reps; r++)
			for (unsigned p = 0; p < pages; p++) {
				pgsim_walk_translate(&cfg, m, root, ((pgsim_va_t)p << 12) | 8, &req, &t);
				okc += t.ok;
				sink += t.pa;
			}
		double walk_ns = (now_ns() - t0) / ops;
		if (okc != ops)
			fprintf(stderr, "%s: %u of %llu translations faulted\n", cfg.arch->name, (unsigned)(ops - okc),
				(unsigned long long)ops);
		printf("%-10s %-8s %10llu %10.1f %10.1f %6.2f\n", "translate", cfg.arch->name,
		       (unsigned long long)ops, walk_ns, floor_ns, walk_ns / floor_ns);

		uint64_t seen = 0;
		struct pgsim_range_opts o = { .va = 0, .last = pgsim_va_last(&cfg), .merge = true };
		struct pgsim_range_cb cb = { .range = count_range, .ctx = &seen };
		t0 = now_ns();
		for (unsigned r = 0; r < reps; r++)
			pgsim_walk_range(&cfg, m, root, &o, &cb);
		double range_ns = (now_ns() - t0) / ops;
		printf("%-10s %-8s %10llu %10.1f %10.1f %6.2f\n", "range", cfg.arch->name,
		       (unsigned long long)seen, range_ns, floor_ns, range_ns / floor_ns);
		pgsim_mem_free(m);
		(void)sink;
	}

	/* Import: a 64 MiB image of which every 16th page is non-zero. */
	const size_t img = 64u << 20;
	FILE *f = tmpfile();
	unsigned char *buf = calloc(1, 4096);
	for (size_t off = 0; off < img; off += 4096) {
		buf[0] = (off / 4096) % 16 == 0;
		fwrite(buf, 1, 4096, f);
	}
	unsigned char *big = malloc(1 << 20);
	rewind(f);
	double t0 = now_ns();
	while (fread(big, 1, 1 << 20, f) > 0)
		;
	double fread_s = (now_ns() - t0) / 1e9;
	rewind(f);
	struct pgsim_mem *m = pgsim_mem_new();
	char err[128];
	t0 = now_ns();
	pgsim_mem_import(m, f, 0x80000000ull, err, sizeof err);
	double imp_s = (now_ns() - t0) / 1e9;
	double mb = img / 1048576.0;
	printf("%-10s %-8s %10zu %9.0fMB/s %8.0fMB/s %6.2f  (%zu pages stored)\n", "import", "-",
	       img, mb / imp_s, mb / fread_s, fread_s / imp_s, pgsim_mem_pages_used(m));
	pgsim_mem_free(m);
	fclose(f);
	free(buf);
	free(big);
	return 0;
}
