/* Ops shared by the two x86 paging modes (arch-private header). */
#ifndef PGSIM_ARCH_X86_H
#define PGSIM_ARCH_X86_H

#include "pgsim/arch.h"

#define X86_P (1ull << 0)
#define X86_RW (1ull << 1)
#define X86_US (1ull << 2)
#define X86_PWT (1ull << 3)
#define X86_PCD (1ull << 4)
#define X86_A (1ull << 5)
#define X86_D (1ull << 6)
#define X86_PS (1ull << 7)
#define X86_G (1ull << 8)
#define X86_XD (1ull << 63)

void x86_accumulate(const struct pgsim_cfg *cfg, int level, uint64_t e, struct pgsim_acc *acc);
unsigned x86_perms(const struct pgsim_cfg *cfg, int level, uint64_t e, const struct pgsim_acc *acc);
enum pgsim_fault_kind x86_leaf_ad(const struct pgsim_cfg *cfg, int level, uint64_t e,
				  enum pgsim_access acc, bool permitted, uint64_t *out);
uint64_t x86_table_ad(const struct pgsim_cfg *cfg, int level, uint64_t e);
void x86_report(const struct pgsim_cfg *cfg, enum pgsim_access acc, bool user, struct pgsim_fault *f);
/* Memory-type index (4*PAT + 2*PCD + PWT) and G, for dumps.  PAT is bit 7
 * of a 4K PTE and bit 12 of a large-page entry in every x86 paging mode. */
void x86_leaf_attrs(const struct pgsim_cfg *cfg, int level, uint64_t e, char *buf, size_t len);

#endif
