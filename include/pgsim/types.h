/* pgsim: shared vocabulary.
 *
 * Levels: level 0 is the leaf-most table, the top level is levels - 1.
 * Sizes carry a _lg2 suffix, counts a _bits suffix.  Address ranges are
 * inclusive [va, last] so that the top of a 64-bit space never overflows.
 */
#ifndef PGSIM_TYPES_H
#define PGSIM_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef uint64_t pgsim_va_t;
typedef uint64_t pgsim_pa_t;

#define PGSIM_MAX_LEVELS 5

/* What kind of memory access a walk models. */
enum pgsim_access {
	PGSIM_ACCESS_READ = 0,
	PGSIM_ACCESS_WRITE = 1,
	PGSIM_ACCESS_EXEC = 2,
};

/* Effective permission bits (the answer of a walk for every mode at once). */
enum {
	PGSIM_P_UR = 1u << 0, /* user read */
	PGSIM_P_UW = 1u << 1, /* user write */
	PGSIM_P_UX = 1u << 2, /* user execute */
	PGSIM_P_SR = 1u << 3, /* supervisor read */
	PGSIM_P_SW = 1u << 4, /* supervisor write */
	PGSIM_P_SX = 1u << 5, /* supervisor execute */
};

/* What an entry is, as the hardware reads it at a given level. */
enum pgsim_entry_kind {
	PGSIM_ENTRY_INVALID = 0,  /* not present / not valid */
	PGSIM_ENTRY_TABLE,        /* points to a next-level table */
	PGSIM_ENTRY_LEAF,         /* maps a page or block */
	PGSIM_ENTRY_RESERVED,     /* present, but a reserved bit or encoding faults */
	PGSIM_ENTRY_ADDR_SIZE,    /* present, but its output address is too wide (AArch64) */
};

/* Generic fault kinds; each architecture reports them in its own words. */
enum pgsim_fault_kind {
	PGSIM_FAULT_NONE = 0,
	PGSIM_FAULT_NOT_PRESENT,   /* invalid entry */
	PGSIM_FAULT_RESERVED,      /* reserved bit / illegal encoding / misaligned superpage */
	PGSIM_FAULT_PERMISSION,
	PGSIM_FAULT_ACCESS_FLAG,   /* AArch64 AF=0; RISC-V Svade A=0 or D=0 on a store */
	PGSIM_FAULT_ADDRESS_SIZE,  /* AArch64 address size fault */
	PGSIM_FAULT_BUS,           /* entry read outside RAM (walk external abort / access fault) */
	PGSIM_FAULT_VA_RANGE,      /* non-canonical / outside the translated range */
};

/* Parse an unsigned number as users write it: decimal or 0x hex, '_'
 * between digits, and with size_suffix a K/M/G/T suffix (x 2^10 .. 2^40).
 * Returns 0, -EINVAL for bad syntax, -ERANGE above 2^64 - 1. */
int pgsim_parse_u64(const char *s, bool size_suffix, uint64_t *v);

const char *pgsim_fault_kind_name(enum pgsim_fault_kind k);
const char *pgsim_entry_kind_name(enum pgsim_entry_kind k);
const char *pgsim_access_name(enum pgsim_access a);

#endif
