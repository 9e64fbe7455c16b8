/* Sparse, page-granular simulated physical memory.
 *
 * Pages live in an open-addressing hash table keyed by page frame number;
 * a page is created on its first write, so untouched memory costs nothing
 * and reads as zero. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "pgsim/mem.h"

struct ram_region {
	pgsim_pa_t base, last;
};

struct slot {
	uint64_t pfn;
	uint8_t *page; /* NULL = empty slot */
};

struct pgsim_mem {
	struct slot *slots;
	size_t cap;    /* power of two */
	size_t used;
	struct ram_region *ram;
	unsigned n_ram, cap_ram;
};

struct pgsim_mem *pgsim_mem_new(void)
{
	struct pgsim_mem *m = calloc(1, sizeof *m);
	if (!m)
		return NULL;
	m->cap = 64;
	m->slots = calloc(m->cap, sizeof *m->slots);
	if (!m->slots) {
		free(m);
		return NULL;
	}
	return m;
}

void pgsim_mem_free(struct pgsim_mem *m)
{
	if (!m)
		return;
	for (size_t i = 0; i < m->cap; i++)
		free(m->slots[i].page);
	free(m->slots);
	free(m->ram);
	free(m);
}

static size_t hash_pfn(uint64_t pfn, size_t cap)
{
	/* Fibonacci hashing: consecutive frames spread over the table. */
	return (size_t)((pfn * 0x9E3779B97F4A7C15ull) >> 17) & (cap - 1);
}

static uint8_t *find_page(const struct pgsim_mem *m, uint64_t pfn)
{
	for (size_t i = hash_pfn(pfn, m->cap);; i = (i + 1) & (m->cap - 1)) {
		if (!m->slots[i].page)
			return NULL;
		if (m->slots[i].pfn == pfn)
			return m->slots[i].page;
	}
}

static int grow(struct pgsim_mem *m)
{
	size_t ncap = m->cap * 2;
	struct slot *ns = calloc(ncap, sizeof *ns);
	if (!ns)
		return -ENOMEM;
	for (size_t i = 0; i < m->cap; i++) {
		if (!m->slots[i].page)
			continue;
		size_t j = hash_pfn(m->slots[i].pfn, ncap);
		while (ns[j].page)
			j = (j + 1) & (ncap - 1);
		ns[j] = m->slots[i];
	}
	free(m->slots);
	m->slots = ns;
	m->cap = ncap;
	return 0;
}

static uint8_t *get_page(struct pgsim_mem *m, uint64_t pfn)
{
	uint8_t *p = find_page(m, pfn);
	if (p)
		return p;
	if ((m->used + 1) * 4 > m->cap * 3 && grow(m) < 0)
		return NULL;
	p = calloc(1, PGSIM_MEM_PAGE_SIZE);
	if (!p)
		return NULL;
	size_t i = hash_pfn(pfn, m->cap);
	while (m->slots[i].page)
		i = (i + 1) & (m->cap - 1);
	m->slots[i].pfn = pfn;
	m->slots[i].page = p;
	m->used++;
	return p;
}

size_t pgsim_mem_pages_used(const struct pgsim_mem *m)
{
	return m->used;
}

int pgsim_mem_add_ram(struct pgsim_mem *m, pgsim_pa_t base, pgsim_pa_t last)
{
	if (last < base)
		return -EINVAL;
	if (m->n_ram == m->cap_ram) {
		unsigned nc = m->cap_ram ? m->cap_ram * 2 : 4;
		struct ram_region *nr = realloc(m->ram, nc * sizeof *nr);
		if (!nr)
			return -ENOMEM;
		m->ram = nr;
		m->cap_ram = nc;
	}
	/* Keep regions sorted by base, merging overlapping or touching ones. */
	unsigned i = 0;
	while (i < m->n_ram && m->ram[i].base < base)
		i++;
	memmove(&m->ram[i + 1], &m->ram[i], (m->n_ram - i) * sizeof *m->ram);
	m->ram[i].base = base;
	m->ram[i].last = last;
	m->n_ram++;
	unsigned w = 0;
	for (unsigned r = 1; r < m->n_ram; r++) {
		struct ram_region *cur = &m->ram[w];
		if (cur->last == ~0ull || m->ram[r].base <= cur->last + 1) {
			if (m->ram[r].last > cur->last)
				cur->last = m->ram[r].last;
		} else {
			m->ram[++w] = m->ram[r];
		}
	}
	m->n_ram = w + 1;
	return 0;
}

unsigned pgsim_mem_n_ram(const struct pgsim_mem *m)
{
	return m->n_ram;
}

void pgsim_mem_ram(const struct pgsim_mem *m, unsigned i, pgsim_pa_t *base, pgsim_pa_t *last)
{
	*base = m->ram[i].base;
	*last = m->ram[i].last;
}

bool pgsim_mem_is_ram(const struct pgsim_mem *m, pgsim_pa_t pa, uint64_t len)
{
	if (len == 0)
		return true;
	pgsim_pa_t last = pa + (len - 1);
	if (last < pa)
		return false; /* wraps past the top of the physical space */
	if (m->n_ram == 0)
		return true;
	/* Regions are merged, so one region must hold the whole span. */
	for (unsigned i = 0; i < m->n_ram; i++)
		if (m->ram[i].base <= pa && last <= m->ram[i].last)
			return true;
	return false;
}

int pgsim_mem_read(const struct pgsim_mem *m, pgsim_pa_t pa, void *buf, size_t len)
{
	if (!pgsim_mem_is_ram(m, pa, len))
		return -EFAULT;
	uint8_t *out = buf;
	while (len) {
		size_t off = pa & (PGSIM_MEM_PAGE_SIZE - 1);
		size_t n = PGSIM_MEM_PAGE_SIZE - off;
		if (n > len)
			n = len;
		const uint8_t *p = find_page(m, pa >> PGSIM_MEM_PAGE_LG2);
		if (p)
			memcpy(out, p + off, n);
		else
			memset(out, 0, n);
		out += n;
		pa += n;
		len -= n;
	}
	return 0;
}

/* Zero [pa, pa+len-1] by visiting the stored pages rather than every
 * page of the range: clearing a huge untyped costs what is stored. */
static void zero_stored(struct pgsim_mem *m, pgsim_pa_t pa, uint64_t len)
{
	pgsim_pa_t last = pa + (len - 1);
	for (size_t i = 0; i < m->cap; i++) {
		uint8_t *p = m->slots[i].page;
		if (!p)
			continue;
		pgsim_pa_t base = m->slots[i].pfn << PGSIM_MEM_PAGE_LG2;
		pgsim_pa_t plast = base + (PGSIM_MEM_PAGE_SIZE - 1);
		if (plast < pa || base > last)
			continue;
		pgsim_pa_t from = base < pa ? pa : base;
		pgsim_pa_t to = plast > last ? last : plast;
		memset(p + (from - base), 0, (size_t)(to - from + 1));
	}
}

static int mem_put(struct pgsim_mem *m, pgsim_pa_t pa, const void *buf, uint8_t byte, uint64_t len)
{
	if (!pgsim_mem_is_ram(m, pa, len))
		return -EFAULT;
	if (!buf && byte == 0 && len / PGSIM_MEM_PAGE_SIZE > m->cap) {
		if (len)
			zero_stored(m, pa, len);
		return 0;
	}
	const uint8_t *in = buf;
	while (len) {
		size_t off = pa & (PGSIM_MEM_PAGE_SIZE - 1);
		uint64_t n = PGSIM_MEM_PAGE_SIZE - off;
		if (n > len)
			n = len;
		uint64_t pfn = pa >> PGSIM_MEM_PAGE_LG2;
		uint8_t *p;
		if (!in && byte == 0) {
			/* Zero-filling needs no storage where none exists. */
			p = find_page(m, pfn);
			if (p)
				memset(p + off, 0, n);
		} else {
			p = get_page(m, pfn);
			if (!p)
				return -ENOMEM;
			if (in)
				memcpy(p + off, in, n);
			else
				memset(p + off, byte, n);
		}
		if (in)
			in += n;
		pa += n;
		len -= n;
	}
	return 0;
}

int pgsim_mem_write(struct pgsim_mem *m, pgsim_pa_t pa, const void *buf, size_t len)
{
	return mem_put(m, pa, buf, 0, len);
}

int pgsim_mem_fill(struct pgsim_mem *m, pgsim_pa_t pa, uint8_t byte, uint64_t len)
{
	return mem_put(m, pa, NULL, byte, len);
}

int pgsim_mem_read_le(const struct pgsim_mem *m, pgsim_pa_t pa, unsigned len, uint64_t *v)
{
	uint8_t b[8];
	if (len == 0 || len > 8)
		return -EINVAL;
	int rc = pgsim_mem_read(m, pa, b, len);
	if (rc < 0)
		return rc;
	uint64_t x = 0;
	for (unsigned i = len; i-- > 0;)
		x = (x << 8) | b[i];
	*v = x;
	return 0;
}

int pgsim_mem_write_le(struct pgsim_mem *m, pgsim_pa_t pa, unsigned len, uint64_t v)
{
	uint8_t b[8];
	if (len == 0 || len > 8)
		return -EINVAL;
	for (unsigned i = 0; i < len; i++)
		b[i] = (uint8_t)(v >> (8 * i));
	return pgsim_mem_write(m, pa, b, len);
}
