/*
 * Unit tests of lib/router: the programs' real tables (cgi-bin/, through
 * program_list) pass router_check_table and route as the API says: {…}
 * segments, 404, 405 with Allow, the body validator each route declares.
 * Then router_check_table on tables made bad on purpose.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "programs.h"
#include "router.h"
#include "validate.h"

static struct error handler(const struct app_call *call, struct response *out)
{
	(void)call, (void)out;
	return error_none();
}

/* The checked router of the program called name; fails the test otherwise. */
static void router_of(const char *name, struct router *router)
{
	char problem[512];

	for (size_t i = 0; program_list[i] != NULL; i++) {
		const struct program *program = program_list[i];
		if (strcmp(program->name, name) != 0)
			continue;
		if (router_check_table(router, program->routes, program->route_count,
				       problem, sizeof problem) != 0)
			fail_msg("%s: %s", name, problem);
		return;
	}
	fail_msg("no program called %s", name);
}

static void assert_param(const struct route_match *match, enum route_param param, const char *value)
{
	assert_non_null(match->param[param]);
	assert_int_equal(match->param_len[param], strlen(value));
	assert_memory_equal(match->param[param], value, strlen(value));
}

/* The same check app_run makes at start-up, on every program of cgi-bin/. */
static void test_every_program_table_passes_the_check(void **state)
{
	struct router router;
	char problem[512];
	size_t count = 0;
	(void)state;

	for (size_t i = 0; program_list[i] != NULL; i++, count++) {
		const struct program *program = program_list[i];
		if (router_check_table(&router, program->routes, program->route_count,
				       problem, sizeof problem) != 0)
			fail_msg("%s: %s", program->name, problem);
	}
	assert_true(count >= 3);
}

static void test_members_matches_method_and_pattern(void **state)
{
	struct route_match match;
	struct router router;
	(void)state;

	router_of("members", &router);
	assert_int_equal(router_match(&router, "GET", "/rooms/r-1/members", &match).status, 0);
	assert_string_equal(match.route->method, "GET");
	assert_string_equal(match.route->pattern, "/rooms/{roomId}/members");
	assert_param(&match, ROUTE_PARAM_ROOM_ID, "r-1");
	assert_null(match.param[ROUTE_PARAM_MEMBER_ID]);

	assert_int_equal(router_match(&router, "DELETE", "/rooms/r_2/members/guest-9", &match).status, 0);
	assert_string_equal(match.route->pattern, "/rooms/{roomId}/members/{memberId}");
	assert_param(&match, ROUTE_PARAM_ROOM_ID, "r_2");
	assert_param(&match, ROUTE_PARAM_MEMBER_ID, "guest-9");

	assert_int_equal(router_match(&router, "GET", "/rooms/r/members/m/qr", &match).status, 0);
	assert_string_equal(match.route->pattern, "/rooms/{roomId}/members/{memberId}/qr");
	assert_param(&match, ROUTE_PARAM_MEMBER_ID, "m");
}

static void test_rooms_and_config_match(void **state)
{
	struct route_match match;
	struct router router;
	struct error error;
	(void)state;

	router_of("rooms", &router);
	assert_int_equal(router_match(&router, "GET", "/rooms", &match).status, 0);
	assert_string_equal(match.route->method, "GET");
	assert_null(match.param[ROUTE_PARAM_ROOM_ID]);
	assert_int_equal(router_match(&router, "DELETE", "/rooms/abc", &match).status, 0);
	assert_param(&match, ROUTE_PARAM_ROOM_ID, "abc");
	error = router_match(&router, "PUT", "/rooms", &match);
	assert_int_equal(error.status, 405);
	assert_string_equal(error.allow, "POST, GET");
	assert_int_equal(router_match(&router, "GET", "/rooms/abc/members", &match).status, 404);

	router_of("config", &router);
	assert_int_equal(router_match(&router, "GET", "/config", &match).status, 0);
	error = router_match(&router, "POST", "/config", &match);
	assert_int_equal(error.status, 405);
	assert_string_equal(error.allow, "GET");
}

/* Each route names its body check: POST and PUT, and nothing else. */
static void test_routes_declare_their_body_validator(void **state)
{
	static const struct {
		const char *program, *method, *path;
		body_validator validate_body;
	} cases[] = {
		{ "rooms", "POST", "/rooms", validate_room_input },
		{ "rooms", "GET", "/rooms", NULL },
		{ "rooms", "DELETE", "/rooms/r", NULL },
		{ "members", "POST", "/rooms/r/members", validate_member_create },
		{ "members", "GET", "/rooms/r/members", NULL },
		{ "members", "PUT", "/rooms/r/members/m", validate_member_update },
		{ "members", "DELETE", "/rooms/r/members/m", NULL },
		{ "members", "GET", "/rooms/r/members/m/qr", NULL },
		{ "config", "GET", "/config", NULL },
	};
	struct route_match match;
	struct router router;
	(void)state;

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		router_of(cases[i].program, &router);
		assert_int_equal(router_match(&router, cases[i].method, cases[i].path, &match).status, 0);
		if (match.route->validate_body != cases[i].validate_body)
			fail_msg("%s %s: not the body validator expected", cases[i].method, cases[i].path);
	}
}

static void test_unknown_paths_are_404(void **state)
{
	static const char *const paths[] = {
		"", "/", "/rooms", "/rooms/r", "/rooms/r/members/", "/rooms//members",
		"/rooms/r/members/m/qr/x", "/rooms/r/memberss", "/ROOMS/r/members",
		"/rooms/r/members/m/qrx", "rooms/r/members",
	};
	struct route_match match;
	struct router router;
	(void)state;

	router_of("members", &router);
	for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++) {
		struct error error = router_match(&router, "GET", paths[i], &match);
		assert_int_equal(error.status, 404);
		assert_null(match.route);
		assert_null(error.allow);
	}
}

static void test_wrong_method_is_405_with_allow(void **state)
{
	struct route_match match;
	struct router router;
	struct error error;
	(void)state;

	router_of("members", &router);
	error = router_match(&router, "PATCH", "/rooms/r/members", &match);
	assert_int_equal(error.status, 405);
	assert_string_equal(error.allow, "POST, GET");
	assert_null(match.route);

	error = router_match(&router, "GET", "/rooms/r/members/m", &match);
	assert_int_equal(error.status, 405);
	assert_string_equal(error.allow, "PUT, DELETE");

	error = router_match(&router, "", "/rooms/r/members/m/qr", &match);
	assert_int_equal(error.status, 405);
	assert_string_equal(error.allow, "GET");
}

static void test_check_resolves_parameter_slots(void **state)
{
	static const struct route routes[] = {
		{ "GET", "/a/{memberId}/b/{roomId}", NULL, handler },
		{ "POST", "/a/{roomId}", validate_room_input, handler },
		{ "PUT", "/a/{roomId}", validate_member_update, handler },
		{ "GET", "/a/b", NULL, handler },
		{ "GET", "/a/{roomId}", NULL, handler },
	};
	struct route_match match;
	struct router router;
	char problem[512] = "";
	(void)state;

	assert_int_equal(router_check_table(&router, routes, 5, problem, sizeof problem), 0);
	assert_int_equal(router.params[0][0], ROUTE_PARAM_MEMBER_ID);
	assert_int_equal(router.params[0][1], ROUTE_PARAM_ROOM_ID);
	assert_int_equal(router.params[1][0], ROUTE_PARAM_ROOM_ID);

	/* Values land in their slots whatever the order in the pattern. */
	assert_int_equal(router_match(&router, "GET", "/a/m1/b/r1", &match).status, 0);
	assert_param(&match, ROUTE_PARAM_ROOM_ID, "r1");
	assert_param(&match, ROUTE_PARAM_MEMBER_ID, "m1");
	assert_string_equal(router_param_name(ROUTE_PARAM_ROOM_ID), "roomId");
	assert_string_equal(router_param_name(ROUTE_PARAM_MEMBER_ID), "memberId");
}

/* Checks a one-route table; its problem must hold want (and name the route). */
static void assert_refused(const char *method, const char *pattern, body_validator validate_body,
			   route_handler route_handler, const char *want)
{
	const struct route routes[] = { { method, pattern, validate_body, route_handler } };
	struct router router;
	char problem[512] = "";

	if (router_check_table(&router, routes, 1, problem, sizeof problem) != -1)
		fail_msg("%s %s was accepted", method ? method : "NULL", pattern ? pattern : "NULL");
	if (strstr(problem, want) == NULL || strstr(problem, "route 1") == NULL)
		fail_msg("%s %s: problem \"%s\", wanted \"%s\"", method ? method : "NULL",
			 pattern ? pattern : "NULL", problem, want);
	assert_int_equal(router.route_count, 0);
}

static void test_check_refuses_bad_routes(void **state)
{
	(void)state;

	assert_refused("GET", "/rooms/{roomid}", NULL, handler, "unknown parameter {roomid}");
	assert_refused("GET", "/rooms/{id}", NULL, handler, "unknown parameter {id}");
	assert_refused("GET", "/rooms/{}", NULL, handler, "not a whole {name}");
	assert_refused("GET", "/rooms/{roomId", NULL, handler, "not a whole {name}");
	assert_refused("GET", "/rooms/{room}Id}", NULL, handler, "not a whole {name}");
	assert_refused("GET", "/rooms/x{roomId}", NULL, handler, "may hold only");
	assert_refused("GET", "/rooms/{roomId}/members/{roomId}", NULL, handler, "appears twice");
	assert_refused("GET", "/a/{roomId}/{memberId}/{roomId}", NULL, handler, "more than 2 parameters");
	assert_refused("GET", "rooms", NULL, handler, "start with '/'");
	assert_refused("GET", NULL, NULL, handler, "start with '/'");
	assert_refused("GET", "/", NULL, handler, "empty segment");
	assert_refused("GET", "/rooms/", NULL, handler, "empty segment");
	assert_refused("GET", "/rooms//members", NULL, handler, "empty segment");
	assert_refused("GET", "/rooms?x", NULL, handler, "may hold only");
	assert_refused("get", "/rooms", NULL, handler, "upper-case");
	assert_refused("", "/rooms", NULL, handler, "upper-case");
	assert_refused(NULL, "/rooms", NULL, handler, "upper-case");
	assert_refused("GET", "/rooms", NULL, NULL, "no handler");
	assert_refused("GET", "/rooms", validate_room_input, handler, "method without a body");
	assert_refused("DELETE", "/rooms/{roomId}", validate_room_input, handler, "method without a body");
}

static void test_check_refuses_bad_tables(void **state)
{
	static const struct route repeated[] = {
		{ "GET", "/rooms", NULL, handler },
		{ "POST", "/rooms", validate_room_input, handler },
		{ "GET", "/rooms", NULL, handler },
	};
	/* Different names, same paths: the second could never be reached. */
	static const struct route same_paths[] = {
		{ "GET", "/rooms/{roomId}", NULL, handler },
		{ "GET", "/rooms/{memberId}", NULL, handler },
	};
	struct route many[ROUTER_MAX_ROUTES + 1];
	char patterns[ROUTER_MAX_ROUTES + 1][16];
	struct router router;
	char problem[512];
	(void)state;

	assert_int_equal(router_check_table(&router, repeated, 3, problem, sizeof problem), -1);
	assert_non_null(strstr(problem, "route 3 (GET /rooms)"));
	assert_non_null(strstr(problem, "route 1 (GET /rooms)"));
	assert_int_equal(router_check_table(&router, same_paths, 2, problem, sizeof problem), -1);
	assert_non_null(strstr(problem, "route 2 (GET /rooms/{memberId})"));

	assert_int_equal(router_check_table(&router, repeated, 0, problem, sizeof problem), -1);
	assert_int_equal(router_check_table(&router, NULL, 1, problem, sizeof problem), -1);
	for (int i = 0; i <= ROUTER_MAX_ROUTES; i++) {
		snprintf(patterns[i], sizeof patterns[i], "/r%d", i);
		many[i] = (struct route){ "GET", patterns[i], NULL, handler };
	}
	assert_int_equal(router_check_table(&router, many, ROUTER_MAX_ROUTES, problem, sizeof problem), 0);
	assert_int_equal(router_check_table(&router, many, ROUTER_MAX_ROUTES + 1, problem, sizeof problem), -1);
	assert_non_null(strstr(problem, "1-16 routes"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_program_table_passes_the_check),
		cmocka_unit_test(test_members_matches_method_and_pattern),
		cmocka_unit_test(test_rooms_and_config_match),
		cmocka_unit_test(test_routes_declare_their_body_validator),
		cmocka_unit_test(test_unknown_paths_are_404),
		cmocka_unit_test(test_wrong_method_is_405_with_allow),
		cmocka_unit_test(test_check_resolves_parameter_slots),
		cmocka_unit_test(test_check_refuses_bad_routes),
		cmocka_unit_test(test_check_refuses_bad_tables),
	};
	return cmocka_run_group_tests_name("router", tests, NULL, NULL);
}
