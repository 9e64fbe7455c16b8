/* Helpers shared by the CMocka unit tests. */
#ifndef PGSIM_TUTIL_H
#define PGSIM_TUTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "pgsim/arch.h"
#include "pgsim/mem.h"
#include "pgsim/walk.h"

/* Write a raw, hand-encoded entry value of `bytes` bytes at pa. */
void tu_put(struct pgsim_mem *m, pgsim_pa_t pa, unsigned bytes, uint64_t value);
/* Read one back. */
uint64_t tu_get(struct pgsim_mem *m, pgsim_pa_t pa, unsigned bytes);
/* A config for arch with its defaults. */
struct pgsim_cfg tu_cfg(const char *arch);
/* Translate with the given access; asserts the call itself succeeded. */
struct pgsim_translation tu_walk(const struct pgsim_cfg *cfg, struct pgsim_mem *m,
				 pgsim_pa_t root, pgsim_va_t va,
				 enum pgsim_access acc, bool user);

#endif
