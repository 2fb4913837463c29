#include "router.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

static const char *const param_names[ROUTE_PARAM_COUNT] = {
	[ROUTE_PARAM_ROOM_ID] = "roomId",
	[ROUTE_PARAM_MEMBER_ID] = "memberId",
};

/* What a literal pattern segment may hold. */
static const char literal_chars[] =
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.";

const char *router_param_name(enum route_param param)
{
	return param_names[param];
}

/* The slot named by name[0..len), or ROUTE_PARAM_COUNT when none is. */
static enum route_param param_named(const char *name, size_t len)
{
	for (int p = 0; p < ROUTE_PARAM_COUNT; p++)
		if (strlen(param_names[p]) == len && memcmp(param_names[p], name, len) == 0)
			return (enum route_param)p;
	return ROUTE_PARAM_COUNT;
}

/* Checks pattern's segments and records the slot of each {name} in params. */
static bool check_pattern(const char *pattern, enum route_param params[ROUTER_MAX_PARAMS],
			  char *why, size_t why_size)
{
	int count = 0;

	if (pattern == NULL || pattern[0] != '/') {
		snprintf(why, why_size, "the pattern must start with '/'");
		return false;
	}
	for (const char *at = pattern; *at == '/';) {
		const char *segment = at + 1;
		const char *end = strchrnul(segment, '/');
		int len = (int)(end - segment);

		if (len == 0) {
			snprintf(why, why_size, "empty segment");
			return false;
		}
		if (segment[0] != '{') {
			if (strspn(segment, literal_chars) != (size_t)len) {
				snprintf(why, why_size, "segment '%.*s' may hold only letters, digits, "
					 "'-', '_', '.' or be a whole {name}", len, segment);
				return false;
			}
		} else if (len < 3 || end[-1] != '}' || memchr(segment + 1, '{', (size_t)len - 2) != NULL
			   || memchr(segment + 1, '}', (size_t)len - 2) != NULL) {
			snprintf(why, why_size, "segment '%.*s' is not a whole {name}", len, segment);
			return false;
		} else {
			enum route_param param = param_named(segment + 1, (size_t)len - 2);
			if (count == ROUTER_MAX_PARAMS) {
				snprintf(why, why_size, "more than %d parameters", ROUTER_MAX_PARAMS);
				return false;
			}
			if (param == ROUTE_PARAM_COUNT) {
				snprintf(why, why_size, "unknown parameter %.*s", len, segment);
				return false;
			}
			for (int i = 0; i < count; i++) {
				if (params[i] == param) {
					snprintf(why, why_size, "parameter %.*s appears twice", len, segment);
					return false;
				}
			}
			params[count++] = param;
		}
		at = end;
	}
	return true;
}

/* True when two checked patterns match the same paths: the same literal
 * segments, and a parameter wherever the other has one. */
static bool same_paths(const char *a, const char *b)
{
	while (*a == '/' && *b == '/') {
		const char *a_end = strchrnul(a + 1, '/');
		const char *b_end = strchrnul(b + 1, '/');
		bool a_param = a[1] == '{';

		if (a_param != (b[1] == '{'))
			return false;
		if (!a_param && (a_end - a != b_end - b || memcmp(a, b, (size_t)(a_end - a)) != 0))
			return false;
		a = a_end;
		b = b_end;
	}
	return *a == '\0' && *b == '\0';
}

static bool is_method(const char *method)
{
	return method != NULL && method[0] != '\0'
	    && strspn(method, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") == strlen(method);
}

/* Checks routes[i] alone, then against the routes before it. */
static bool check_route(const struct route *routes, size_t i,
			enum route_param params[ROUTER_MAX_PARAMS], char *why, size_t why_size)
{
	const struct route *route = &routes[i];

	if (!is_method(route->method)) {
		snprintf(why, why_size, "the method must be upper-case letters");
		return false;
	}
	if (route->handler == NULL) {
		snprintf(why, why_size, "no handler");
		return false;
	}
	if (route->validate_body != NULL && strcmp(route->method, "POST") != 0
	    && strcmp(route->method, "PUT") != 0) {
		snprintf(why, why_size, "a body validator on a method without a body");
		return false;
	}
	if (!check_pattern(route->pattern, params, why, why_size))
		return false;
	for (size_t k = 0; k < i; k++) {
		if (strcmp(routes[k].method, route->method) == 0
		    && same_paths(routes[k].pattern, route->pattern)) {
			snprintf(why, why_size, "matches the same requests as route %zu (%s %s)",
				 k + 1, routes[k].method, routes[k].pattern);
			return false;
		}
	}
	return true;
}

int router_check_table(struct router *router, const struct route *routes, size_t route_count,
		       char *problem, size_t problem_size)
{
	char why[256];

	memset(router, 0, sizeof *router);
	if (routes == NULL || route_count == 0 || route_count > ROUTER_MAX_ROUTES) {
		snprintf(problem, problem_size, "a table has 1-%d routes", ROUTER_MAX_ROUTES);
		return -1;
	}
	for (size_t i = 0; i < route_count; i++) {
		if (!check_route(routes, i, router->params[i], why, sizeof why)) {
			snprintf(problem, problem_size, "route %zu (%s %s): %s", i + 1,
				 routes[i].method ? routes[i].method : "NULL",
				 routes[i].pattern ? routes[i].pattern : "NULL", why);
			return -1;
		}
	}
	router->routes = routes;
	router->route_count = route_count;
	return 0;
}

/* Compares path with a checked pattern segment by segment, recording the
 * value of each {…} segment in the slot params gives it. */
static bool pattern_matches(const char *pattern, const enum route_param *params,
			    const char *path, struct route_match *match)
{
	int count = 0;

	memset(match->param, 0, sizeof match->param);
	memset(match->param_len, 0, sizeof match->param_len);
	while (*pattern == '/' && *path == '/') {
		const char *pattern_end = strchrnul(pattern + 1, '/');
		const char *path_end = strchrnul(path + 1, '/');
		size_t pattern_len = (size_t)(pattern_end - pattern - 1);
		size_t path_len = (size_t)(path_end - path - 1);

		/* Checked at start-up: a '{' starts a whole {name} segment. */
		if (pattern[1] == '{') {
			if (path_len == 0)
				return false;
			match->param[params[count]] = path + 1;
			match->param_len[params[count]] = path_len;
			count++;
		} else if (pattern_len != path_len || memcmp(pattern + 1, path + 1, path_len) != 0) {
			return false;
		}
		pattern = pattern_end;
		path = path_end;
	}
	return *pattern == '\0' && *path == '\0';
}

struct error router_match(const struct router *router, const char *method, const char *path,
			  struct route_match *match)
{
	struct route_match candidate;
	bool path_known = false;
	size_t allow_len = 0;

	memset(match, 0, sizeof *match);
	for (size_t i = 0; i < router->route_count; i++) {
		const struct route *route = &router->routes[i];

		if (!pattern_matches(route->pattern, router->params[i], path, &candidate))
			continue;
		if (strcmp(route->method, method) == 0) {
			memcpy(match->param, candidate.param, sizeof match->param);
			memcpy(match->param_len, candidate.param_len, sizeof match->param_len);
			match->route = route;
			return error_none();
		}
		/* Same path, other method: remember it for the Allow header. */
		if (strstr(match->allow, route->method) == NULL) {
			int n = snprintf(match->allow + allow_len, sizeof match->allow - allow_len,
					 "%s%s", path_known ? ", " : "", route->method);
			if (n > 0 && allow_len + (size_t)n < sizeof match->allow)
				allow_len += (size_t)n;
		}
		path_known = true;
	}
	if (!path_known)
		return error_make(404, "No such endpoint");

	struct error error = error_make(405, "Method not allowed; use %s", match->allow);
	error.allow = match->allow;
	return error;
}
