/* pgsim: what the two x86 files of the seL4 kernel model share
 * (kernel_x86.c: decode/perform; kernel_x86_info.c: kernel window,
 * VMFault, types, descriptors).  src/kernel_x86*.c only.
 */
#ifndef PGSIM_KERNEL_X86_H
#define PGSIM_KERNEL_X86_H

#include "kernel_impl.h"

/* x86 entry bits (Intel SDM vol. 3 4.3/4.5, seL4 structures.bf) */
#define X_P (1ull << 0)
#define X_RW (1ull << 1)
#define X_US (1ull << 2)
#define X_PWT (1ull << 3)
#define X_PCD (1ull << 4)
#define X_A (1ull << 5)
#define X_D (1ull << 6)
#define X_PS (1ull << 7)
#define X_PAT_4K (1ull << 7)
#define X_G (1ull << 8)
#define X_PAT_LARGE (1ull << 12)

/* seL4_X86_VMAttributes */
#define X_ATTR_PWT 1u
#define X_ATTR_PCD 2u
#define X_ATTR_PAT 4u

/* kernel_x86.c: the ops kernel_x86_info.c's descriptors point at */
int k_x86_frame(struct pgsim_kernel *k, const struct kinv *inv, struct pgsim_kres *r);
int k_x86_table(struct pgsim_kernel *k, const struct kinv *inv, struct pgsim_kres *r);
int k_x86_unmap_page(struct pgsim_kernel *k, const struct kcap *c);
int k_x86_unlink_table(struct pgsim_kernel *k, const struct kcap *c);

#endif
