#include "router.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

/* Compares path with pattern segment by segment, recording {…} values. */
static bool pattern_matches(const char *pattern, const char *path, struct route_match *match)
{
	match->param_count = 0;
	while (*pattern == '/' && *path == '/') {
		const char *pattern_end = strchrnul(pattern + 1, '/');
		const char *path_end = strchrnul(path + 1, '/');
		size_t pattern_len = (size_t)(pattern_end - pattern - 1);
		size_t path_len = (size_t)(path_end - path - 1);

		if (pattern_len >= 2 && pattern[1] == '{' && pattern_end[-1] == '}') {
			int i = match->param_count;
			if (path_len == 0 || i >= ROUTER_MAX_PARAMS)
				return false;
			match->param[i] = path + 1;
			match->param_len[i] = path_len;
			match->param_name[i] = pattern + 2;
			match->param_name_len[i] = pattern_len - 2;
			match->param_count++;
		} else if (pattern_len != path_len || memcmp(pattern + 1, path + 1, path_len) != 0) {
			return false;
		}
		pattern = pattern_end;
		path = path_end;
	}
	return *pattern == '\0' && *path == '\0';
}

struct error router_match(const struct route *routes, size_t route_count,
			  const char *method, const char *path,
			  struct route_match *match)
{
	struct route_match candidate;
	bool path_known = false;
	size_t allow_len = 0;

	memset(match, 0, sizeof *match);
	for (size_t i = 0; i < route_count; i++) {
		if (!pattern_matches(routes[i].pattern, path, &candidate))
			continue;
		if (strcmp(routes[i].method, method) == 0) {
			*match = candidate;
			match->route = &routes[i];
			return error_none();
		}
		/* Same path, other method: remember it for the Allow header. */
		if (strstr(match->allow, routes[i].method) == NULL) {
			int n = snprintf(match->allow + allow_len, sizeof match->allow - allow_len,
					 "%s%s", path_known ? ", " : "", routes[i].method);
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
