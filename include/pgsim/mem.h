/* pgsim: sparse simulated physical memory.
 *
 * Page-granular (4 KiB) and sparse: a page that was never written costs
 * nothing and reads as zero, so a scenario can own gigabytes of frames.
 * RAM regions say which physical addresses exist; with no region added all
 * of the 64-bit physical space is RAM.  Reads and writes outside RAM fail
 * with -EFAULT (the walker turns that into a bus / access fault).
 * Multi-byte accessors are little-endian, as on all four architectures.
 */
#ifndef PGSIM_MEM_H
#define PGSIM_MEM_H

#include <stdio.h>

#include "pgsim/types.h"

#define PGSIM_MEM_PAGE_LG2 12
#define PGSIM_MEM_PAGE_SIZE (1u << PGSIM_MEM_PAGE_LG2)

struct pgsim_mem;

struct pgsim_mem *pgsim_mem_new(void);
void pgsim_mem_free(struct pgsim_mem *m);

/* Declare [base, last] as RAM.  Regions may touch or overlap. */
int pgsim_mem_add_ram(struct pgsim_mem *m, pgsim_pa_t base, pgsim_pa_t last);
/* true when every byte of [pa, pa+len-1] is RAM. */
bool pgsim_mem_is_ram(const struct pgsim_mem *m, pgsim_pa_t pa, uint64_t len);
unsigned pgsim_mem_n_ram(const struct pgsim_mem *m);
/* The i-th RAM region (sorted by base). */
void pgsim_mem_ram(const struct pgsim_mem *m, unsigned i, pgsim_pa_t *base, pgsim_pa_t *last);

/* Byte access; -EFAULT outside RAM, -ENOMEM when a page cannot be made. */
int pgsim_mem_read(const struct pgsim_mem *m, pgsim_pa_t pa, void *buf, size_t len);
int pgsim_mem_write(struct pgsim_mem *m, pgsim_pa_t pa, const void *buf, size_t len);
int pgsim_mem_fill(struct pgsim_mem *m, pgsim_pa_t pa, uint8_t byte, uint64_t len);

/* Little-endian entry access (len 4 or 8). */
int pgsim_mem_read_le(const struct pgsim_mem *m, pgsim_pa_t pa, unsigned len, uint64_t *v);
int pgsim_mem_write_le(struct pgsim_mem *m, pgsim_pa_t pa, unsigned len, uint64_t v);

/* Number of pages that hold storage (touched by a write). */
size_t pgsim_mem_pages_used(const struct pgsim_mem *m);

/* Import a raw image (QEMU pmemsave format: the bytes of physical memory
 * from base on, nothing else) and declare it RAM.  Pages that are all zero
 * are not stored.  Returns 0, or -errno with a message in err. */
int pgsim_mem_import(struct pgsim_mem *m, FILE *f, pgsim_pa_t base, char *err, size_t errlen);
int pgsim_mem_import_file(struct pgsim_mem *m, const char *path, pgsim_pa_t base, char *err, size_t errlen);
/* Export [base, base+len-1] as a raw image (zeros where nothing is stored). */
int pgsim_mem_export(const struct pgsim_mem *m, FILE *f, pgsim_pa_t base, uint64_t len);
int pgsim_mem_export_file(const struct pgsim_mem *m, const char *path, pgsim_pa_t base, uint64_t len);

#endif
