/* Unit tests of lib/access: who may manage, with and without a login. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "access.h"

static int decide(enum access_mode mode, const char *allowed, const char *user,
		  const char *address, const char *host)
{
	struct access_request request = { user, address, host };
	return access_check(mode, allowed, &request).status;
}

static void test_loopback_addresses(void **state)
{
	(void)state;
	assert_true(access_address_is_loopback("127.0.0.1"));
	assert_true(access_address_is_loopback("127.8.9.10"));
	assert_true(access_address_is_loopback("::1"));
	assert_true(access_address_is_loopback("::ffff:127.0.0.1"));
	assert_false(access_address_is_loopback("10.0.0.1"));
	assert_false(access_address_is_loopback("::ffff:10.0.0.1"));
	assert_false(access_address_is_loopback("128.0.0.1"));
	assert_false(access_address_is_loopback("fe80::1"));
	assert_false(access_address_is_loopback(""));
	assert_false(access_address_is_loopback(NULL));
	assert_false(access_address_is_loopback("127.0.0.1 "));
}

static void test_hosts(void **state)
{
	(void)state;
	assert_true(access_host_is_allowed("localhost", ""));
	assert_true(access_host_is_allowed("LocalHost:6080", ""));
	assert_true(access_host_is_allowed("127.0.0.1:6080", ""));
	assert_true(access_host_is_allowed("[::1]:6080", ""));
	assert_true(access_host_is_allowed("[::1]", ""));
	assert_true(access_host_is_allowed("meet.example.org:443", "other.test, Meet.Example.org"));
	assert_false(access_host_is_allowed("meet.example.org", "meet.example"));
	assert_false(access_host_is_allowed("evil.test", ""));
	assert_false(access_host_is_allowed("localhost.evil.test", ""));
	assert_false(access_host_is_allowed("127.0.0.1.evil.test", ""));
	assert_false(access_host_is_allowed("[::1", ""));
	assert_false(access_host_is_allowed("[::1]x", ""));
	assert_false(access_host_is_allowed(":6080", ""));
	assert_false(access_host_is_allowed("", "x"));
	assert_false(access_host_is_allowed(NULL, ""));
	assert_false(access_host_is_allowed("evil.test", NULL));
}

static void test_auto(void **state)
{
	(void)state;
	assert_int_equal(decide(ACCESS_AUTO, "", NULL, "127.0.0.1", "localhost:6080"), 0);
	assert_int_equal(decide(ACCESS_AUTO, "", "", "::1", "[::1]:6080"), 0);
	/* Another machine, or a DNS-rebinding page: refused without a login. */
	assert_int_equal(decide(ACCESS_AUTO, "", NULL, "192.168.1.7", "192.168.1.5:6080"), 403);
	assert_int_equal(decide(ACCESS_AUTO, "", NULL, "127.0.0.1", "evil.test:6080"), 403);
	assert_int_equal(decide(ACCESS_AUTO, "", NULL, "127.0.0.1", NULL), 403);
	assert_int_equal(decide(ACCESS_AUTO, "", NULL, NULL, "localhost"), 403);
	/* A configured name still needs a loopback peer (a local proxy). */
	assert_int_equal(decide(ACCESS_AUTO, "meet.test", NULL, "127.0.0.1", "meet.test"), 0);
	assert_int_equal(decide(ACCESS_AUTO, "meet.test", NULL, "10.1.1.1", "meet.test"), 403);
	/* A login is enough, whatever the address and Host. */
	assert_int_equal(decide(ACCESS_AUTO, "", "admin", "10.1.1.1", "evil.test"), 0);
}

static void test_required_and_off(void **state)
{
	struct access_request request = { NULL, "127.0.0.1", "localhost" };
	struct error error = access_check(ACCESS_REQUIRED, "", &request);
	(void)state;

	assert_int_equal(error.status, 403);
	assert_non_null(strstr(error.message, "MEET_HTPASSWD"));
	assert_int_equal(decide(ACCESS_REQUIRED, "", "admin", "10.0.0.1", "x"), 0);
	assert_int_equal(decide(ACCESS_OFF, "", NULL, "10.0.0.1", "localhost"), 0);
	assert_int_equal(decide(ACCESS_OFF, "", NULL, "10.0.0.1", "evil.test"), 403);
	assert_int_equal(decide(ACCESS_OFF, "lan.test", NULL, "10.0.0.1", "lan.test:80"), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_loopback_addresses),
		cmocka_unit_test(test_hosts),
		cmocka_unit_test(test_auto),
		cmocka_unit_test(test_required_and_off),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
