// SPDX-License-Identifier: MIT
/* The generic fault ring: order, wrap, counters, rate limit, `faults`. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "drivers/iommu/fault_ring.h"
#include "kernel/errno.h"
#include "stub_log.h"

static struct fault_ring ring;

static int setup(void **state)
{
	(void)state;
	fault_ring_clear(&ring);
	stub_log_reset();
	stub_console_reset();
	return 0;
}

/* Fault number n: its address and time tell it apart. */
static struct iommu_fault mkfault(unsigned n)
{
	struct iommu_fault f = {
		.time_us = 1000ull * n,
		.unit = 0,
		.sbdf = PCI_SBDF(0, 0, 3, 0),
		.addr = (uint64_t)n << 12,
		.is_write = true,
		.reason = 5,
		.reason_str = "write access to a read-only page",
	};
	return f;
}

/* Number of lines of text that start with prefix. */
static int count_lines(const char *text, const char *prefix)
{
	size_t len = strlen(prefix);
	int n = 0;

	for (const char *p = text; *p;) {
		if (strncmp(p, prefix, len) == 0)
			n++;
		p = strchr(p, '\n');
		if (!p)
			break;
		p++;
	}
	return n;
}

static void test_empty(void **state)
{
	(void)state;
	assert_int_equal(fault_ring_count(&ring), 0);
	assert_null(fault_ring_get(&ring, 0));
	fault_ring_print(&ring);
	assert_string_equal(stub_console_text(),
			    "faults: 0 total, 0 shown, 0 dropped by hardware "
			    "(overflow), 0 not logged\n");
}

static void test_order_before_wrap(void **state)
{
	(void)state;
	for (unsigned i = 0; i < 10; i++) {
		struct iommu_fault f = mkfault(i);
		fault_ring_push(&ring, &f);
	}
	assert_int_equal(fault_ring_count(&ring), 10);
	assert_int_equal(ring.total, 10);
	for (unsigned i = 0; i < 10; i++)
		assert_int_equal(fault_ring_get(&ring, i)->addr,
				 (uint64_t)i << 12);
	assert_null(fault_ring_get(&ring, 10));
	assert_int_equal(stub_log_count(), 0); /* push does not log */
}

static void test_wrap_keeps_last_64(void **state)
{
	(void)state;
	for (unsigned i = 0; i < 1000; i++) {
		struct iommu_fault f = mkfault(i);
		fault_ring_push(&ring, &f);
		assert_int_equal(fault_ring_count(&ring),
				 i + 1 < FAULT_RING_SIZE ? i + 1
							 : FAULT_RING_SIZE);
	}
	assert_int_equal(FAULT_RING_SIZE, 64);
	assert_int_equal(ring.total, 1000);
	for (unsigned i = 0; i < FAULT_RING_SIZE; i++) {
		const struct iommu_fault *f = fault_ring_get(&ring, i);

		assert_non_null(f);
		assert_int_equal(f->addr, (uint64_t)(1000 - 64 + i) << 12);
	}
	assert_null(fault_ring_get(&ring, FAULT_RING_SIZE));
}

static void test_clear(void **state)
{
	struct iommu_fault f = mkfault(1);
	(void)state;
	fault_ring_report(&ring, &(struct fault_ratelimit){0}, &f);
	ring.overflow = 3;
	fault_ring_clear(&ring);
	assert_int_equal(fault_ring_count(&ring), 0);
	assert_int_equal(ring.total, 0);
	assert_int_equal(ring.overflow, 0);
	assert_int_equal(ring.not_logged, 0);
	f = mkfault(7);
	fault_ring_push(&ring, &f);
	assert_int_equal(fault_ring_get(&ring, 0)->addr, 7 << 12);
}

static void test_format(void **state)
{
	char buf[FAULT_LINE_MAX];
	struct iommu_fault f = {
		.unit = 2,
		.sbdf = PCI_SBDF(0x1a, 0x3f, 0x1f, 7),
		.addr = 0xfedcba9876543000ull,
		.reason = 0x86,
		.reason_str = "sm: read access without read permission",
	};
	(void)state;
	fault_format(&f, buf, sizeof(buf));
	assert_string_equal(buf, "unit 2 001a:3f:1f.7 read 0xfedcba9876543000 "
				 "reason 0x86 sm: read access without read "
				 "permission");
	f.is_write = true;
	f.is_exec = true;
	f.priv = true;
	f.pasid_present = true;
	f.pasid = 0xfffff;
	fault_format(&f, buf, sizeof(buf));
	assert_string_equal(buf,
			    "unit 2 001a:3f:1f.7 write+exec+priv "
			    "0xfedcba9876543000 reason 0x86 sm: read "
			    "access without read permission pasid 0xfffff");
	f.is_write = false;
	f.priv = false;
	f.pasid_present = false;
	fault_format(&f, buf, sizeof(buf));
	assert_non_null(strstr(buf, " read+exec 0x"));
	assert_null(strstr(buf, "pasid"));
}

static void test_print(void **state)
{
	struct iommu_fault f = mkfault(0);
	(void)state;
	f.time_us = 12345678;
	f.addr = 0x100000;
	fault_ring_push(&ring, &f);
	f.time_us = 123456000001ull; /* more than five digits of seconds */
	f.is_write = false;
	f.pasid_present = true;
	f.pasid = 1;
	f.reason = 0x59;
	f.reason_str = "sm: PASID table entry not present";
	fault_ring_push(&ring, &f);
	ring.overflow = 2;
	ring.not_logged = 9;
	fault_ring_print(&ring);
	assert_string_equal(
		stub_console_text(),
		"faults: 2 total, 2 shown, 2 dropped by hardware (overflow), "
		"9 not logged\n"
		"[   12.345678] unit 0 0000:00:03.0 write 0x0000000000100000 "
		"reason 0x05 write access to a read-only page\n"
		"[123456.000001] unit 0 0000:00:03.0 read 0x0000000000100000 "
		"reason 0x59 sm: PASID table entry not present pasid 0x1\n");
}

static void test_print_oldest_first_after_wrap(void **state)
{
	(void)state;
	for (unsigned i = 0; i < 70; i++) {
		struct iommu_fault f = mkfault(i);
		fault_ring_push(&ring, &f);
	}
	fault_ring_print(&ring);
	const char *t = stub_console_text();
	assert_non_null(strstr(t, "faults: 70 total, 64 shown,"));
	assert_int_equal(count_lines(t, "["), 64);
	/* Fault 6 (the oldest kept) comes first, fault 69 last. */
	const char *first = strstr(t, "0x0000000000006000");
	const char *last = strstr(t, "0x0000000000045000");
	assert_non_null(first);
	assert_non_null(last);
	assert_true(first < last);
	assert_null(strstr(t, "0x0000000000005000"));
}

static void test_cmd(void **state)
{
	struct iommu_fault f = mkfault(1);
	char *list[] = {"faults"};
	char *clear[] = {"faults", "clear"};
	char *bad[] = {"faults", "clean"};
	char *extra[] = {"faults", "clear", "now"};
	(void)state;
	fault_ring_push(&ring, &f);
	assert_int_equal(fault_ring_cmd(&ring, 1, list), 0);
	assert_non_null(strstr(stub_console_text(), "faults: 1 total"));

	stub_console_reset();
	assert_int_equal(fault_ring_cmd(&ring, 2, bad), -HV_EINVAL);
	assert_string_equal(stub_console_text(),
			    "error: usage: faults [clear]\n");
	stub_console_reset();
	assert_int_equal(fault_ring_cmd(&ring, 3, extra), -HV_EINVAL);
	assert_string_equal(stub_console_text(),
			    "error: usage: faults [clear]\n");
	assert_int_equal(fault_ring_count(&ring), 1); /* nothing changed */

	stub_console_reset();
	assert_int_equal(fault_ring_cmd(&ring, 2, clear), 0);
	assert_string_equal(stub_console_text(), "faults cleared\n");
	assert_int_equal(fault_ring_count(&ring), 0);
	assert_int_equal(ring.total, 0);
}

static void test_report_logs_line(void **state)
{
	struct fault_ratelimit rl = {0};
	struct iommu_fault f = mkfault(0x100);
	(void)state;
	fault_ring_report(&ring, &rl, &f);
	assert_int_equal(stub_log_count(), 1);
	assert_string_equal(stub_log_text(),
			    "IOMMU: fault unit 0 0000:00:03.0 write "
			    "0x0000000000100000 reason 0x05 write access to a "
			    "read-only page\n");
	assert_int_equal(fault_ring_count(&ring), 1);
}

static void test_ratelimit_burst_and_summary(void **state)
{
	struct fault_ratelimit rl = {0};
	(void)state;
	for (unsigned i = 0; i < 25; i++) {
		struct iommu_fault f = mkfault(i);
		f.time_us = 5000000 + i * 1000; /* all inside one second */
		fault_ring_report(&ring, &rl, &f);
	}
	assert_int_equal(stub_log_count(), FAULT_LOG_BURST);
	assert_int_equal(ring.total, 25);
	assert_int_equal(ring.not_logged, 15);
	assert_int_equal(fault_ring_count(&ring), 25);

	/* Still inside the window: no summary yet. */
	fault_ratelimit_tick(&rl, 5999999);
	assert_int_equal(stub_log_count(), FAULT_LOG_BURST);
	/* The next window opens: one summary line. */
	fault_ratelimit_tick(&rl, 6000000);
	assert_int_equal(stub_log_count(), FAULT_LOG_BURST + 1);
	assert_true(stub_log_contains(
		"IOMMU: 15 faults not logged in the last second\n"));
	/* Nothing suppressed since: no further summary. */
	fault_ratelimit_tick(&rl, 9000000);
	assert_int_equal(stub_log_count(), FAULT_LOG_BURST + 1);
	/* And the new window logs again. */
	struct iommu_fault f = mkfault(99);
	f.time_us = 9000001;
	fault_ring_report(&ring, &rl, &f);
	assert_int_equal(stub_log_count(), FAULT_LOG_BURST + 2);
	assert_int_equal(ring.not_logged, 15);
}

static void test_ratelimit_no_summary_when_quiet(void **state)
{
	struct fault_ratelimit rl = {0};
	(void)state;
	for (unsigned i = 0; i < FAULT_LOG_BURST; i++) {
		struct iommu_fault f = mkfault(i);
		fault_ring_report(&ring, &rl, &f);
	}
	fault_ratelimit_tick(&rl, 10 * FAULT_LOG_WINDOW_US);
	assert_int_equal(stub_log_count(), FAULT_LOG_BURST);
	assert_false(stub_log_contains("not logged"));
	assert_int_equal(ring.not_logged, 0);
}

static void test_ratelimit_per_unit(void **state)
{
	struct fault_ratelimit rl0 = {0}, rl1 = {0};
	(void)state;
	for (unsigned i = 0; i < 30; i++) {
		struct iommu_fault f = mkfault(i);
		f.time_us = 100;
		f.unit = (int)(i % 2);
		fault_ring_report(&ring, f.unit ? &rl1 : &rl0, &f);
	}
	/* Each unit has its own burst. */
	assert_int_equal(stub_log_count(), 2 * FAULT_LOG_BURST);
	assert_int_equal(ring.not_logged, 10);
	assert_int_equal(rl0.suppressed, 5);
	assert_int_equal(rl1.suppressed, 5);
}

static void test_ratelimit_clock_backwards(void **state)
{
	struct fault_ratelimit rl = {0};
	(void)state;
	for (unsigned i = 0; i < 12; i++) {
		struct iommu_fault f = mkfault(i);
		f.time_us = 50000000;
		fault_ring_report(&ring, &rl, &f);
	}
	/* A time before the window: a new window, not a stuck limiter. */
	fault_ratelimit_tick(&rl, 1000);
	assert_true(stub_log_contains(
		"IOMMU: 2 faults not logged in the last second"));
	struct iommu_fault f = mkfault(50);
	f.time_us = 1001;
	fault_ring_report(&ring, &rl, &f);
	assert_int_equal(stub_log_count(), FAULT_LOG_BURST + 2);
}

static void test_overflow(void **state)
{
	struct fault_ratelimit rl = {0};
	(void)state;
	fault_ring_overflow(&ring, &rl, 3, 100);
	assert_int_equal(ring.overflow, 1);
	assert_int_equal(ring.total, 0);
	assert_true(stub_log_contains(
		"IOMMU: unit 3 fault records overflowed, the hardware "
		"dropped faults"));
	/* In a storm the overflow line is rate-limited like fault lines. */
	for (unsigned i = 0; i < 100; i++)
		fault_ring_overflow(&ring, &rl, 3, 200);
	assert_int_equal(ring.overflow, 101);
	assert_int_equal(stub_log_count(), FAULT_LOG_BURST);
	fault_ring_print(&ring);
	assert_non_null(strstr(stub_console_text(),
			       "101 dropped by hardware (overflow)"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_empty, setup),
		cmocka_unit_test_setup(test_order_before_wrap, setup),
		cmocka_unit_test_setup(test_wrap_keeps_last_64, setup),
		cmocka_unit_test_setup(test_clear, setup),
		cmocka_unit_test_setup(test_format, setup),
		cmocka_unit_test_setup(test_print, setup),
		cmocka_unit_test_setup(test_print_oldest_first_after_wrap,
				       setup),
		cmocka_unit_test_setup(test_cmd, setup),
		cmocka_unit_test_setup(test_report_logs_line, setup),
		cmocka_unit_test_setup(test_ratelimit_burst_and_summary, setup),
		cmocka_unit_test_setup(test_ratelimit_no_summary_when_quiet,
				       setup),
		cmocka_unit_test_setup(test_ratelimit_per_unit, setup),
		cmocka_unit_test_setup(test_ratelimit_clock_backwards, setup),
		cmocka_unit_test_setup(test_overflow, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
