// SPDX-License-Identifier: MIT
/*
 * The lspci command. Everything printed comes from what enumeration
 * recorded, except command and status in -v, which are read live.
 */
#include "drivers/pci/cfg.h"
#include "drivers/pci/lspci.h"
#include "drivers/pci/pci_regs.h"
#include "kernel/console/console.h"
#include "kernel/errno.h"
#include "kernel/lib/string.h"

#define LSPCI_USAGE	 "usage: lspci [-t | -v ssss:bb:dd.f]"
#define LSPCI_MAX_INDENT 64 /* characters of tree indentation at most */

struct pci_name {
	uint16_t code;
	const char *name;
};

/* Classes named after their sub-class (base << 8 | sub). */
static const struct pci_name pci_subclass_names[] = {
	{0x0100, "SCSI"},	 {0x0101, "IDE"},
	{0x0105, "ATA"},	 {0x0106, "SATA"},
	{0x0107, "SAS"},	 {0x0108, "NVMe"},
	{0x0200, "ethernet"},	 {0x0300, "VGA"},
	{0x0401, "audio"},	 {0x0403, "audio"},
	{0x0600, "host bridge"}, {0x0601, "ISA bridge"},
	{0x0604, "PCI bridge"},	 {0x0609, "PCI bridge"},
	{0x0700, "serial port"}, {0x0806, "IOMMU"},
	{0x0c03, "USB"},	 {0x0c05, "SMBus"},
};

/* Otherwise named after the base class. */
static const char *const pci_base_names[] = {
	"unclassified device",
	"storage",
	"network",
	"display",
	"multimedia",
	"memory",
	"bridge",
	"communication",
	"system peripheral",
	"input",
	"docking station",
	"processor",
	"serial bus",
	"wireless",
	"intelligent I/O",
	"satellite",
	"encryption",
	"signal processing",
	"accelerator",
	"instrumentation",
};

static const struct pci_name pci_cap_names[] = {
	{PCI_CAP_ID_PM, "PM"},
	{PCI_CAP_ID_AGP, "AGP"},
	{PCI_CAP_ID_VPD, "VPD"},
	{PCI_CAP_ID_SLOTID, "slot ID"},
	{PCI_CAP_ID_MSI, "MSI"},
	{PCI_CAP_ID_CHSWP, "hot swap"},
	{PCI_CAP_ID_PCIX, "PCI-X"},
	{PCI_CAP_ID_HT, "HyperTransport"},
	{PCI_CAP_ID_VNDR, "vendor specific"},
	{PCI_CAP_ID_DBG, "debug port"},
	{PCI_CAP_ID_SHPC, "hot-plug controller"},
	{PCI_CAP_ID_SSVID, "subsystem ID"},
	{PCI_CAP_ID_EXP, "PCIe"},
	{PCI_CAP_ID_MSIX, "MSI-X"},
	{PCI_CAP_ID_SATA, "SATA"},
	{PCI_CAP_ID_AF, "advanced features"},
	{PCI_CAP_ID_EA, "enhanced allocation"},
};

static const struct pci_name pci_ecap_names[] = {
	{PCI_EXT_CAP_ID_ERR, "AER"},
	{PCI_EXT_CAP_ID_VC, "VC"},
	{PCI_EXT_CAP_ID_DSN, "serial number"},
	{PCI_EXT_CAP_ID_PWR, "power budgeting"},
	{PCI_EXT_CAP_ID_RCLD, "RC link"},
	{PCI_EXT_CAP_ID_RCEC, "RC event collector"},
	{PCI_EXT_CAP_ID_MFVC, "MFVC"},
	{PCI_EXT_CAP_ID_VNDR, "vendor specific"},
	{PCI_EXT_CAP_ID_ACS, "ACS"},
	{PCI_EXT_CAP_ID_ARI, "ARI"},
	{PCI_EXT_CAP_ID_ATS, "ATS"},
	{PCI_EXT_CAP_ID_SRIOV, "SR-IOV"},
	{PCI_EXT_CAP_ID_MCAST, "multicast"},
	{PCI_EXT_CAP_ID_PRI, "PRI"},
	{PCI_EXT_CAP_ID_REBAR, "resizable BAR"},
	{PCI_EXT_CAP_ID_TPH, "TPH"},
	{PCI_EXT_CAP_ID_LTR, "LTR"},
	{PCI_EXT_CAP_ID_SECPCI, "secondary PCIe"},
	{PCI_EXT_CAP_ID_PASID, "PASID"},
	{PCI_EXT_CAP_ID_DPC, "DPC"},
	{PCI_EXT_CAP_ID_L1SS, "L1 PM substates"},
	{PCI_EXT_CAP_ID_PTM, "PTM"},
	{PCI_EXT_CAP_ID_DVSEC, "DVSEC"},
	{PCI_EXT_CAP_ID_DLF, "data link feature"},
	{PCI_EXT_CAP_ID_PL_16GT, "16 GT/s"},
};

static const char *const pci_exp_type_names[] = {
	[PCI_EXP_TYPE_ENDPOINT] = "endpoint",
	[PCI_EXP_TYPE_LEG_END] = "legacy endpoint",
	[PCI_EXP_TYPE_ROOT_PORT] = "root port",
	[PCI_EXP_TYPE_UPSTREAM] = "upstream port",
	[PCI_EXP_TYPE_DOWNSTREAM] = "downstream port",
	[PCI_EXP_TYPE_PCI_BRIDGE] = "PCIe-to-PCI bridge",
	[PCI_EXP_TYPE_PCIE_BRIDGE] = "PCI-to-PCIe bridge",
	[PCI_EXP_TYPE_RC_END] = "RC integrated endpoint",
	[PCI_EXP_TYPE_RC_EC] = "RC event collector",
};

/* Link speed encodings 1..6 of Link Capabilities/Status. */
static const char *const pci_link_speeds[] = {
	"?", "2.5GT/s", "5GT/s", "8GT/s", "16GT/s", "32GT/s", "64GT/s",
};

static const char *pci_name_find(const struct pci_name *tab, size_t n,
				 unsigned code)
{
	for (size_t i = 0; i < n; i++)
		if (tab[i].code == code)
			return tab[i].name;
	return NULL;
}

const char *pci_class_name(uint32_t class)
{
	unsigned base = (class >> 16) & 0xff;
	const char *name;

	name = pci_name_find(pci_subclass_names, ARRAY_SIZE(pci_subclass_names),
			     class >> 8);
	if (name)
		return name;
	if (base < ARRAY_SIZE(pci_base_names))
		return pci_base_names[base];
	return base == 0xff ? "unassigned class" : "unknown class";
}

/* Append to the NUL-terminated text in buf. */
static void __printf(3, 4)
	lspci_cat(char *buf, size_t size, const char *fmt, ...)
{
	size_t len = strlen(buf);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf + len, size - len, fmt, ap);
	va_end(ap);
}

/* The one-line summary, indented by indent spaces. */
static void lspci_line(const struct pci_dev *d, unsigned indent)
{
	char line[LSPCI_MAX_INDENT + 96], name[16];

	indent = MIN(indent, LSPCI_MAX_INDENT);
	memset(line, ' ', indent);
	line[indent] = '\0';
	pci_sbdf_str(d->sbdf, name, sizeof(name));
	lspci_cat(line, sizeof(line), "%s %04x:%04x class %06x %s", name,
		  d->vendor, d->device, d->class, pci_class_name(d->class));
	if (d->header_type == PCI_HEADER_TYPE_BRIDGE)
		lspci_cat(line, sizeof(line), " [bus %02x-%02x]",
			  d->secondary_bus, d->subordinate_bus);
	console_printf("%s\n", line);
}

static void lspci_pcie(const struct pci_dev *d, char *buf, size_t size)
{
	unsigned width =
		(unsigned)FIELD_GET(PCI_EXP_LNKSTA_NLW, d->pcie_lnksta);
	unsigned speed =
		(unsigned)FIELD_GET(PCI_EXP_LNKSTA_CLS, d->pcie_lnksta);
	const char *type = NULL;

	if (d->pcie_type < ARRAY_SIZE(pci_exp_type_names))
		type = pci_exp_type_names[d->pcie_type];
	if (type)
		lspci_cat(buf, size, " %s", type);
	else
		lspci_cat(buf, size, " type 0x%x", d->pcie_type);
	if (d->flr)
		lspci_cat(buf, size, ", FLR");
	if (d->pcie_lnkcap == 0)
		return;
	if (width == 0)
		lspci_cat(buf, size, ", link down");
	else
		lspci_cat(buf, size, ", link x%u %s", width,
			  pci_link_speeds[speed < ARRAY_SIZE(pci_link_speeds)
						  ? speed
						  : 0]);
}

static void lspci_msi(const struct pci_dev *d, char *buf, size_t size)
{
	unsigned mmc = (unsigned)FIELD_GET(PCI_MSI_FLAGS_QMASK, d->msi_ctrl);

	lspci_cat(buf, size, " %u vector%s", 1u << mmc, mmc ? "s" : "");
	if (d->msi_ctrl & PCI_MSI_FLAGS_64BIT)
		lspci_cat(buf, size, ", 64-bit");
	if (d->msi_ctrl & PCI_MSI_FLAGS_MASKBIT)
		lspci_cat(buf, size, ", per-vector masking");
	if (d->msi_ctrl & PCI_MSI_FLAGS_ENABLE)
		lspci_cat(buf, size, ", enabled");
}

static void lspci_msix(const struct pci_dev *d, char *buf, size_t size)
{
	unsigned n = (unsigned)FIELD_GET(PCI_MSIX_FLAGS_QSIZE, d->msix_ctrl);

	lspci_cat(buf, size,
		  " %u entries, table BAR %u + 0x%x, PBA BAR %u + 0x%x", n + 1,
		  (unsigned)(d->msix_table & PCI_MSIX_TABLE_BIR),
		  (unsigned)(d->msix_table & PCI_MSIX_TABLE_OFFSET),
		  (unsigned)(d->msix_pba & PCI_MSIX_TABLE_BIR),
		  (unsigned)(d->msix_pba & PCI_MSIX_TABLE_OFFSET));
	if (d->msix_ctrl & PCI_MSIX_FLAGS_ENABLE)
		lspci_cat(buf, size, ", enabled");
	if (d->msix_ctrl & PCI_MSIX_FLAGS_MASKALL)
		lspci_cat(buf, size, ", masked");
}

static void lspci_acs_bits(uint16_t v, char *buf, size_t size)
{
	static const char *const names[] = {"SV", "TB", "RR", "CR",
					    "UF", "EC", "DT"};

	if ((v & BIT_MASK(6, 0)) == 0)
		lspci_cat(buf, size, " none");
	for (unsigned i = 0; i < ARRAY_SIZE(names); i++)
		if (v & BIT(i))
			lspci_cat(buf, size, " %s", names[i]);
}

static void lspci_acs(const struct pci_dev *d, char *buf, size_t size)
{
	lspci_cat(buf, size, " ctrl");
	lspci_acs_bits(d->acs_ctrl, buf, size);
	lspci_cat(buf, size, " (cap");
	lspci_acs_bits(d->acs_cap, buf, size);
	lspci_cat(buf, size, ")");
}

static void lspci_pasid(const struct pci_dev *d, char *buf, size_t size)
{
	lspci_cat(buf, size, " width %u",
		  (unsigned)FIELD_GET(PCI_PASID_CAP_WIDTH, d->pasid_caps));
	if (d->pasid_caps & PCI_PASID_CAP_EXEC)
		lspci_cat(buf, size, ", exec");
	if (d->pasid_caps & PCI_PASID_CAP_PRIV)
		lspci_cat(buf, size, ", priv");
	if (d->pasid_ctrl & PCI_PASID_CTRL_ENABLE)
		lspci_cat(buf, size, ", enabled");
}

static void lspci_ats(const struct pci_dev *d, char *buf, size_t size)
{
	unsigned qdep = (unsigned)FIELD_GET(PCI_ATS_CAP_QDEP, d->ats_cap);

	/* A queue depth of 0 means 32 (PCIe 5.0 10.5.1.2). */
	lspci_cat(buf, size, " queue depth %u", qdep ? qdep : 32);
	if (d->ats_cap & PCI_ATS_CAP_PAGE_ALIGNED)
		lspci_cat(buf, size, ", page-aligned");
	if (d->ats_ctrl & PCI_ATS_CTRL_ENABLE)
		lspci_cat(buf, size, ", enabled");
}

/* "cap 0x40 PCIe endpoint, FLR" and the like. */
static void lspci_cap(const struct pci_dev *d, const struct pci_cap_ref *c,
		      bool ext)
{
	char buf[128];
	const char *name;

	if (ext)
		name = pci_name_find(pci_ecap_names, ARRAY_SIZE(pci_ecap_names),
				     c->id);
	else
		name = pci_name_find(pci_cap_names, ARRAY_SIZE(pci_cap_names),
				     c->id);
	snprintf(buf, sizeof(buf), "%s 0x%02x ", ext ? "ecap" : "cap", c->off);
	if (name)
		lspci_cat(buf, sizeof(buf), "%s", name);
	else
		lspci_cat(buf, sizeof(buf), ext ? "id 0x%04x" : "id 0x%02x",
			  c->id);
	/* Decoded fields describe the first instance only. */
	if (!ext && c->off == d->cap_pcie)
		lspci_pcie(d, buf, sizeof(buf));
	else if (!ext && c->off == d->cap_msi)
		lspci_msi(d, buf, sizeof(buf));
	else if (!ext && c->off == d->cap_msix)
		lspci_msix(d, buf, sizeof(buf));
	else if (!ext && c->off == d->cap_pm)
		lspci_cat(buf, sizeof(buf), " v%u",
			  (unsigned)FIELD_GET(PCI_PM_CAP_VER_MASK, d->pm_caps));
	else if (ext && c->off == d->ecap_acs)
		lspci_acs(d, buf, sizeof(buf));
	else if (ext && c->off == d->ecap_pasid)
		lspci_pasid(d, buf, sizeof(buf));
	else if (ext && c->off == d->ecap_ats)
		lspci_ats(d, buf, sizeof(buf));
	else if (ext && c->off == d->ecap_pri)
		lspci_cat(buf, sizeof(buf), " capacity %u", d->pri_max_reqs);
	else if (ext && c->off == d->ecap_sriov)
		lspci_cat(buf, sizeof(buf), " total VFs %u",
			  d->sriov_total_vfs);
	console_printf("  %s\n", buf);
}

static void lspci_bars(const struct pci_dev *d)
{
	static const char *const kinds[] = {
		[PCI_BAR_NONE] = "none",
		[PCI_BAR_IO] = "io",
		[PCI_BAR_MEM32] = "mem32",
		[PCI_BAR_MEM64] = "mem64",
	};

	for (unsigned i = 0; i < d->nbars && i < PCI_NUM_BARS; i++) {
		const struct pci_bar *b = &d->bar[i];

		if (b->kind == PCI_BAR_NONE || b->size == 0)
			continue;
		console_printf("  bar %u %s%s base 0x%llx size 0x%llx\n", i,
			       kinds[b->kind],
			       b->prefetchable ? " prefetchable" : "",
			       (unsigned long long)b->base,
			       (unsigned long long)b->size);
	}
}

static void lspci_verbose(const struct pci_dev *d)
{
	lspci_line(d, 0);
	console_printf("  revision 0x%02x, header type %u, %s\n", d->revision,
		       d->header_type,
		       d->multifunction ? "multi-function" : "single-function");
	console_printf("  command 0x%04x status 0x%04x\n",
		       pci_cfg_read16(d->sbdf, PCI_COMMAND),
		       pci_cfg_read16(d->sbdf, PCI_STATUS));
	if (d->header_type == PCI_HEADER_TYPE_BRIDGE)
		console_printf(
			"  bus primary %02x secondary %02x subordinate %02x\n",
			d->primary_bus, d->secondary_bus, d->subordinate_bus);
	lspci_bars(d);
	for (unsigned i = 0; i < d->ncaps; i++)
		lspci_cap(d, &d->caps[i], false);
	for (unsigned i = 0; i < d->necaps; i++)
		lspci_cap(d, &d->ecaps[i], true);
	if (d->cap_list_broken)
		console_printf("  capability list cut (see the log)\n");
}

/* Index of the first function at or after sbdf. */
static unsigned lspci_lower_bound(const struct pci_topology *t, pci_sbdf_t sbdf)
{
	unsigned lo = 0, hi = t->count;

	while (lo < hi) {
		unsigned mid = lo + (hi - lo) / 2;

		if (t->dev[mid].sbdf < sbdf)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/*
 * Print the functions of one root bus, each bridge followed by what is
 * behind it. An explicit stack (one frame per bus level, bounded because
 * every followed bridge leads to a higher bus) replaces recursion.
 */
static void lspci_tree_bus(const struct pci_topology *t, unsigned first)
{
	static struct lspci_frame {
		const struct pci_dev *bridge; /* NULL on the root bus */
		uint32_t bus;		      /* seg << 8 | bus */
		unsigned next;		      /* next index to look at */
	} stack[257];
	unsigned sp = 0;

	stack[sp++] =
		(struct lspci_frame){NULL, t->dev[first].sbdf >> 8, first};
	while (sp > 0) {
		struct lspci_frame *f = &stack[sp - 1];
		const struct pci_dev *d;
		pci_sbdf_t child;

		d = f->next < t->count ? &t->dev[f->next] : NULL;
		if (!d || d->sbdf >> 8 != f->bus || d->parent != f->bridge) {
			sp--;
			continue;
		}
		f->next++;
		lspci_line(d, 2 * sp);
		if (d->header_type != PCI_HEADER_TYPE_BRIDGE ||
		    sp == ARRAY_SIZE(stack))
			continue;
		child = PCI_SBDF(PCI_SBDF_SEG(d->sbdf), d->secondary_bus, 0, 0);
		stack[sp++] = (struct lspci_frame){d, child >> 8,
						   lspci_lower_bound(t, child)};
	}
}

static void lspci_tree(const struct pci_topology *t)
{
	uint32_t last = UINT32_MAX;

	for (unsigned i = 0; i < t->count; i++) {
		const struct pci_dev *d = &t->dev[i];

		if (d->parent || d->sbdf >> 8 == last)
			continue;
		last = d->sbdf >> 8;
		console_printf("bus %04x:%02x\n", PCI_SBDF_SEG(d->sbdf),
			       PCI_SBDF_BUS(d->sbdf));
		lspci_tree_bus(t, i);
	}
}

static int lspci_one(const struct pci_topology *t, const char *arg)
{
	pci_sbdf_t sbdf;
	const struct pci_dev *d;
	char name[16];

	if (pci_sbdf_parse(arg, &sbdf) < 0) {
		console_error(
			"bad PCI function '%s' (expected ssss:bb:dd.f or bb:dd.f)",
			arg);
		return -HV_EINVAL;
	}
	d = pci_find(t, sbdf);
	if (!d) {
		pci_sbdf_str(sbdf, name, sizeof(name));
		console_error("no PCI function %s", name);
		return -HV_ENOENT;
	}
	lspci_verbose(d);
	return 0;
}

int pci_cmd_lspci(int argc, char **argv)
{
	const struct pci_topology *t = &pci_devices;
	const char *opt = argc > 1 ? argv[1] : "";

	if (argc == 2 && strcmp(opt, "-t") == 0) {
		lspci_tree(t);
	} else if (argc == 1) {
		for (unsigned i = 0; i < t->count; i++)
			lspci_line(&t->dev[i], 0);
	} else if (argc == 3 && strcmp(opt, "-v") == 0) {
		return lspci_one(t, argv[2]);
	} else if (strcmp(opt, "-t") != 0 && strcmp(opt, "-v") != 0 &&
		   opt[0] == '-') {
		console_error("unknown option '%s' (" LSPCI_USAGE ")", opt);
		return -HV_EINVAL;
	} else {
		console_error(LSPCI_USAGE);
		return -HV_EINVAL;
	}
	if (t->count == 0)
		console_printf("no PCI functions\n");
	return 0;
}
