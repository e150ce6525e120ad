// SPDX-License-Identifier: MIT
/* The hypervisor's PCI function table and helpers on PCI names. */
#include "drivers/pci/pci.h"
#include "kernel/errno.h"
#include "kernel/lib/string.h"

static struct pci_dev pci_dev_table[PCI_MAX_DEVS];

struct pci_topology pci_devices = {
	.dev = pci_dev_table,
	.count = 0,
	.capacity = PCI_MAX_DEVS,
};

/* The table is sorted by sbdf (pci_enumerate keeps it so). */
struct pci_dev *pci_find(const struct pci_topology *t, pci_sbdf_t sbdf)
{
	unsigned lo = 0, hi = t->count;

	while (lo < hi) {
		unsigned mid = lo + (hi - lo) / 2;

		if (t->dev[mid].sbdf == sbdf)
			return &t->dev[mid];
		if (t->dev[mid].sbdf < sbdf)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

void pci_sbdf_str(pci_sbdf_t sbdf, char *buf, size_t size)
{
	snprintf(buf, size, "%04x:%02x:%02x.%x", PCI_SBDF_SEG(sbdf),
		 PCI_SBDF_BUS(sbdf), PCI_SBDF_DEV(sbdf), PCI_SBDF_FN(sbdf));
}

static int pci_hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * Parse 1..maxdigits hex digits ending at stop (a character, or '\0');
 * advances *s past the stop character.
 */
static bool pci_parse_field(const char **s, unsigned maxdigits, char stop,
			    uint32_t *out)
{
	const char *p = *s;
	uint32_t v = 0;
	unsigned n = 0;
	int d;

	while ((d = pci_hex_digit(*p)) >= 0) {
		if (++n > maxdigits)
			return false;
		v = v << 4 | (uint32_t)d;
		p++;
	}
	if (n == 0 || *p != stop)
		return false;
	*s = stop ? p + 1 : p;
	*out = v;
	return true;
}

int pci_sbdf_parse(const char *s, pci_sbdf_t *out)
{
	uint32_t seg = 0, bus, dev, fn;
	const char *colon = strchr(s, ':');

	/* Two colons: the segment is given. */
	if (colon && strchr(colon + 1, ':') &&
	    !pci_parse_field(&s, 4, ':', &seg))
		return -HV_EINVAL;
	if (!pci_parse_field(&s, 2, ':', &bus) ||
	    !pci_parse_field(&s, 2, '.', &dev) ||
	    !pci_parse_field(&s, 1, '\0', &fn))
		return -HV_EINVAL;
	if (dev > 0x1f || fn > 7)
		return -HV_EINVAL;
	*out = PCI_SBDF(seg, bus, dev, fn);
	return 0;
}
