/* Sparse physical memory: zero reads, sparseness, RAM regions, endianness,
 * page-crossing access, raw image import and export. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tutil.h"

/* Unwritten memory reads as zero and costs no pages. */
static void test_zero_and_sparse(void **state)
{
	(void)state;
	struct pgsim_mem *m = pgsim_mem_new();
	uint8_t buf[16];
	memset(buf, 0xaa, sizeof buf);
	assert_int_equal(pgsim_mem_read(m, 0x123456789000ull, buf, sizeof buf), 0);
	for (unsigned i = 0; i < sizeof buf; i++)
		assert_int_equal(buf[i], 0);
	assert_int_equal(pgsim_mem_pages_used(m), 0);
	/* Two writes 1 TiB apart: two pages, nothing in between. */
	tu_put(m, 0x0, 8, 1);
	tu_put(m, 1ull << 40, 8, 2);
	assert_int_equal(pgsim_mem_pages_used(m), 2);
	/* Zero-filling a gigabyte stores nothing. */
	assert_int_equal(pgsim_mem_fill(m, 1ull << 30, 0, 1ull << 30), 0);
	assert_int_equal(pgsim_mem_pages_used(m), 2);
	assert_int_equal(tu_get(m, 1ull << 40, 8), 2);
	/* Zero-filling 2^46 bytes clears what is stored inside the range,
	 * partial pages included, and leaves the rest alone (and returns at
	 * once: it visits stored pages, not the 2^34 pages of the range). */
	tu_put(m, 1ull << 40, 8, 0xaaaaaaaabbbbbbbbull);
	tu_put(m, (1ull << 40) + 0xff8, 8, 3);
	tu_put(m, 0x2000, 8, 4);
	assert_int_equal(pgsim_mem_fill(m, (1ull << 40) + 4, 0, 1ull << 46), 0);
	assert_int_equal(tu_get(m, 1ull << 40, 8), 0xbbbbbbbbull);
	assert_int_equal(tu_get(m, (1ull << 40) + 0xff8, 8), 0);
	assert_int_equal(tu_get(m, 0x2000, 8), 4);
	pgsim_mem_free(m);
}

/* Many pages: the hash table grows and keeps every page. */
static void test_many_pages(void **state)
{
	(void)state;
	struct pgsim_mem *m = pgsim_mem_new();
	for (uint64_t i = 0; i < 5000; i++)
		tu_put(m, i * 0x1000 * 3, 8, i + 1);
	assert_int_equal(pgsim_mem_pages_used(m), 5000);
	for (uint64_t i = 0; i < 5000; i++)
		assert_int_equal(tu_get(m, i * 0x1000 * 3, 8), i + 1);
	pgsim_mem_free(m);
}

/* Little-endian: 0x1122334455667788 is stored 88 77 ... 11. */
static void test_endianness(void **state)
{
	(void)state;
	struct pgsim_mem *m = pgsim_mem_new();
	uint8_t b[8];
	tu_put(m, 0x100, 8, 0x1122334455667788ull);
	assert_int_equal(pgsim_mem_read(m, 0x100, b, 8), 0);
	assert_int_equal(b[0], 0x88);
	assert_int_equal(b[7], 0x11);
	assert_int_equal(tu_get(m, 0x100, 4), 0x55667788);
	assert_int_equal(tu_get(m, 0x104, 4), 0x11223344);
	uint64_t v;
	assert_int_equal(pgsim_mem_read_le(m, 0x100, 9, &v), -EINVAL);
	pgsim_mem_free(m);
}

/* A write that straddles a page boundary lands in both pages. */
static void test_page_crossing(void **state)
{
	(void)state;
	struct pgsim_mem *m = pgsim_mem_new();
	tu_put(m, 0xffc, 8, 0xdeadbeefcafef00dull);
	assert_int_equal(tu_get(m, 0xffc, 4), 0xcafef00d);
	assert_int_equal(tu_get(m, 0x1000, 4), 0xdeadbeef);
	assert_int_equal(pgsim_mem_pages_used(m), 2);
	pgsim_mem_free(m);
}

/* RAM regions: outside RAM is -EFAULT; touching regions merge; a span
 * across a hole fails; the top of the space does not wrap. */
static void test_ram_regions(void **state)
{
	(void)state;
	struct pgsim_mem *m = pgsim_mem_new();
	uint64_t v;
	assert_true(pgsim_mem_is_ram(m, ~0ull - 7, 8)); /* no regions: all RAM */
	assert_false(pgsim_mem_is_ram(m, ~0ull - 3, 8)); /* wraps */
	assert_int_equal(pgsim_mem_add_ram(m, 0x2000, 0x2fff), 0);
	assert_int_equal(pgsim_mem_add_ram(m, 0x1000, 0x1fff), 0);
	assert_int_equal(pgsim_mem_add_ram(m, 0x8000, 0x8fff), 0);
	assert_int_equal(pgsim_mem_n_ram(m), 2);
	pgsim_pa_t b, l;
	pgsim_mem_ram(m, 0, &b, &l);
	assert_int_equal(b, 0x1000);
	assert_int_equal(l, 0x2fff);
	assert_int_equal(pgsim_mem_read_le(m, 0x1ff8, 8, &v), 0);
	assert_int_equal(pgsim_mem_read_le(m, 0x2ffc, 8, &v), -EFAULT); /* runs off the end */
	assert_int_equal(pgsim_mem_read_le(m, 0x0, 8, &v), -EFAULT);
	assert_int_equal(pgsim_mem_write_le(m, 0x5000, 8, 1), -EFAULT);
	assert_int_equal(pgsim_mem_add_ram(m, 0x3000, 0x2000), -EINVAL);
	pgsim_mem_free(m);
}

/* Import: bytes land at base, the image becomes RAM, zero pages are not
 * stored; export writes the same bytes back. */
static void test_import_export(void **state)
{
	(void)state;
	FILE *f = tmpfile();
	assert_non_null(f);
	/* 3 pages + 10 bytes: page 0 has a marker, page 1 is zero, page 2
	 * has a marker, the tail has bytes. */
	uint8_t *img = calloc(1, 3 * 4096 + 10);
	img[5] = 0x55;
	img[2 * 4096 + 7] = 0x77;
	img[3 * 4096 + 9] = 0x99;
	assert_int_equal(fwrite(img, 1, 3 * 4096 + 10, f), 3 * 4096 + 10);
	rewind(f);
	struct pgsim_mem *m = pgsim_mem_new();
	char err[128];
	assert_int_equal(pgsim_mem_import(m, f, 0x80000000ull, err, sizeof err), 0);
	assert_int_equal(pgsim_mem_pages_used(m), 3);
	assert_true(pgsim_mem_is_ram(m, 0x80000000ull, 3 * 4096 + 10));
	assert_false(pgsim_mem_is_ram(m, 0x80000000ull + 3 * 4096 + 10, 1));
	assert_int_equal(tu_get(m, 0x80000005ull, 1), 0x55);
	assert_int_equal(tu_get(m, 0x80002007ull, 1), 0x77);
	assert_int_equal(tu_get(m, 0x80003009ull, 1), 0x99);

	FILE *o = tmpfile();
	assert_int_equal(pgsim_mem_export(m, o, 0x80000000ull, 3 * 4096 + 10), 0);
	rewind(o);
	uint8_t *back = calloc(1, 3 * 4096 + 10);
	assert_int_equal(fread(back, 1, 3 * 4096 + 10, o), 3 * 4096 + 10);
	assert_memory_equal(img, back, 3 * 4096 + 10);
	/* Export outside RAM fails rather than inventing bytes. */
	assert_int_equal(pgsim_mem_export(m, o, 0x7ffff000ull, 4096), -EFAULT);
	fclose(o);
	fclose(f);
	free(img);
	free(back);
	pgsim_mem_free(m);
}

/* An empty image and a missing file are errors with a message. */
static void test_import_errors(void **state)
{
	(void)state;
	struct pgsim_mem *m = pgsim_mem_new();
	char err[256] = "";
	FILE *f = tmpfile();
	assert_int_equal(pgsim_mem_import(m, f, 0, err, sizeof err), -EINVAL);
	assert_non_null(strstr(err, "empty"));
	fclose(f);
	assert_int_equal(pgsim_mem_import_file(m, "/nonexistent/x.bin", 0, err, sizeof err), -ENOENT);
	assert_non_null(strstr(err, "/nonexistent/x.bin"));
	/* An image that would run past the top of the physical space. */
	f = tmpfile();
	uint8_t page[4096] = { 1 };
	fwrite(page, 1, sizeof page, f);
	fwrite(page, 1, sizeof page, f);
	rewind(f);
	assert_int_equal(pgsim_mem_import(m, f, ~0ull - 4095, err, sizeof err), -EOVERFLOW);
	fclose(f);
	pgsim_mem_free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_zero_and_sparse),
		cmocka_unit_test(test_many_pages),
		cmocka_unit_test(test_endianness),
		cmocka_unit_test(test_page_crossing),
		cmocka_unit_test(test_ram_regions),
		cmocka_unit_test(test_import_export),
		cmocka_unit_test(test_import_errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
