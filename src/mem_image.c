/* Raw physical-memory images (the format of QEMU's `pmemsave`: just the
 * bytes, starting at a base address). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "pgsim/mem.h"

static bool all_zero(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i])
			return false;
	return true;
}

int pgsim_mem_import(struct pgsim_mem *m, FILE *f, pgsim_pa_t base, char *err, size_t errlen)
{
	uint8_t *buf = malloc(PGSIM_MEM_PAGE_SIZE);
	if (!buf) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	uint64_t total = 0;
	int rc = 0;
	for (;;) {
		size_t n = fread(buf, 1, PGSIM_MEM_PAGE_SIZE, f);
		if (n == 0)
			break;
		if (base + total + n - 1 < base) {
			snprintf(err, errlen, "image does not fit below the top of the physical space");
			rc = -EOVERFLOW;
			goto out;
		}
		/* Pages of zeros need no storage: they read back as zero. */
		if (!all_zero(buf, n)) {
			rc = pgsim_mem_add_ram(m, base + total, base + total + n - 1);
			if (rc == 0)
				rc = pgsim_mem_write(m, base + total, buf, n);
			if (rc < 0) {
				snprintf(err, errlen, "%s", strerror(-rc));
				goto out;
			}
		}
		total += n;
		if (n < PGSIM_MEM_PAGE_SIZE)
			break;
	}
	if (ferror(f)) {
		snprintf(err, errlen, "read error: %s", strerror(errno));
		rc = -EIO;
		goto out;
	}
	if (total == 0) {
		snprintf(err, errlen, "image is empty");
		rc = -EINVAL;
		goto out;
	}
	rc = pgsim_mem_add_ram(m, base, base + total - 1);
	if (rc < 0)
		snprintf(err, errlen, "%s", strerror(-rc));
out:
	free(buf);
	return rc;
}

int pgsim_mem_import_file(struct pgsim_mem *m, const char *path, pgsim_pa_t base, char *err, size_t errlen)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		int e = errno;
		snprintf(err, errlen, "%s: %s", path, strerror(e));
		return -e;
	}
	int rc = pgsim_mem_import(m, f, base, err, errlen);
	fclose(f);
	return rc;
}

int pgsim_mem_export(const struct pgsim_mem *m, FILE *f, pgsim_pa_t base, uint64_t len)
{
	uint8_t *buf = malloc(PGSIM_MEM_PAGE_SIZE);
	if (!buf)
		return -ENOMEM;
	int rc = 0;
	while (len) {
		size_t n = PGSIM_MEM_PAGE_SIZE - (base & (PGSIM_MEM_PAGE_SIZE - 1));
		if (n > len)
			n = (size_t)len;
		rc = pgsim_mem_read(m, base, buf, n);
		if (rc < 0)
			break;
		if (fwrite(buf, 1, n, f) != n) {
			rc = -EIO;
			break;
		}
		base += n;
		len -= n;
	}
	free(buf);
	return rc;
}

int pgsim_mem_export_file(const struct pgsim_mem *m, const char *path, pgsim_pa_t base, uint64_t len)
{
	FILE *f = fopen(path, "wb");
	if (!f)
		return -errno;
	int rc = pgsim_mem_export(m, f, base, len);
	if (fclose(f) != 0 && rc == 0)
		rc = -errno;
	return rc;
}
