/* Unit tests of lib/router: the table lookup, {…} segments, 404 and 405. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "router.h"

static struct error handler_a(const struct app_call *call, struct response *out)
{
	(void)call, (void)out;
	return error_none();
}

static struct error handler_b(const struct app_call *call, struct response *out)
{
	(void)call, (void)out;
	return error_none();
}

/* The members program's table, shape for shape. */
static const struct route routes[] = {
	{ "POST", "/rooms/{roomId}/members", handler_a },
	{ "GET", "/rooms/{roomId}/members", handler_b },
	{ "PUT", "/rooms/{roomId}/members/{memberId}", handler_a },
	{ "DELETE", "/rooms/{roomId}/members/{memberId}", handler_b },
	{ "GET", "/rooms/{roomId}/members/{memberId}/qr", handler_a },
};
enum { ROUTE_COUNT = sizeof routes / sizeof routes[0] };

static void assert_param(const struct route_match *match, int i, const char *name, const char *value)
{
	assert_int_equal(match->param_name_len[i], strlen(name));
	assert_memory_equal(match->param_name[i], name, strlen(name));
	assert_int_equal(match->param_len[i], strlen(value));
	assert_memory_equal(match->param[i], value, strlen(value));
}

static void test_matches_method_and_pattern(void **state)
{
	struct route_match match;
	(void)state;

	assert_int_equal(router_match(routes, ROUTE_COUNT, "GET", "/rooms/r-1/members", &match).status, 0);
	assert_ptr_equal(match.route, &routes[1]);
	assert_int_equal(match.param_count, 1);
	assert_param(&match, 0, "roomId", "r-1");

	assert_int_equal(router_match(routes, ROUTE_COUNT, "DELETE", "/rooms/r_2/members/guest-9", &match).status, 0);
	assert_ptr_equal(match.route, &routes[3]);
	assert_int_equal(match.param_count, 2);
	assert_param(&match, 0, "roomId", "r_2");
	assert_param(&match, 1, "memberId", "guest-9");

	assert_int_equal(router_match(routes, ROUTE_COUNT, "GET", "/rooms/r/members/m/qr", &match).status, 0);
	assert_ptr_equal(match.route, &routes[4]);
}

static void test_unknown_paths_are_404(void **state)
{
	static const char *const paths[] = {
		"", "/", "/rooms", "/rooms/r", "/rooms/r/members/", "/rooms//members",
		"/rooms/r/members/m/qr/x", "/rooms/r/memberss", "/ROOMS/r/members",
		"/rooms/r/members/m/qrx", "rooms/r/members",
	};
	struct route_match match;
	(void)state;

	for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++) {
		struct error error = router_match(routes, ROUTE_COUNT, "GET", paths[i], &match);
		assert_int_equal(error.status, 404);
		assert_null(match.route);
		assert_null(error.allow);
	}
}

static void test_wrong_method_is_405_with_allow(void **state)
{
	struct route_match match;
	struct error error;
	(void)state;

	error = router_match(routes, ROUTE_COUNT, "PATCH", "/rooms/r/members", &match);
	assert_int_equal(error.status, 405);
	assert_string_equal(error.allow, "POST, GET");
	assert_null(match.route);

	error = router_match(routes, ROUTE_COUNT, "GET", "/rooms/r/members/m", &match);
	assert_int_equal(error.status, 405);
	assert_string_equal(error.allow, "PUT, DELETE");

	error = router_match(routes, ROUTE_COUNT, "", "/rooms/r/members/m/qr", &match);
	assert_int_equal(error.status, 405);
	assert_string_equal(error.allow, "GET");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_matches_method_and_pattern),
		cmocka_unit_test(test_unknown_paths_are_404),
		cmocka_unit_test(test_wrong_method_is_405_with_allow),
	};
	return cmocka_run_group_tests_name("router", tests, NULL, NULL);
}
