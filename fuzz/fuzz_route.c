/*
 * fuzz_route: the request line as the programs see it.
 *
 * Input: "METHOD\nREQUEST_URI". The URI goes through request_path_from_uri
 * (with and without an APP_BASE_PATH), then router_match over every
 * program's real table (cgi-bin/programs.h), then validate_id on each {…}
 * value, as lib/app.c does before any handler runs.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "programs.h"
#include "request.h"
#include "router.h"
#include "validate.h"

/* Every program's table, checked once as app_run checks it. */
static struct router routers[16];
static size_t router_count;

static void check_tables(void)
{
	char problem[512];

	for (router_count = 0; program_list[router_count] != NULL; router_count++) {
		const struct program *program = program_list[router_count];
		if (router_count == sizeof routers / sizeof routers[0]
		    || router_check_table(&routers[router_count], program->routes, program->route_count,
					  problem, sizeof problem) != 0)
			abort();
	}
}

static void route_one(const struct router *router, const char *method, const char *path)
{
	struct route_match match;
	struct error error = router_match(router, method, path, &match);

	if (error_is_set(&error)) {
		if (error.status != 404 && error.status != 405)
			abort();
		return;
	}
	for (int p = 0; p < ROUTE_PARAM_COUNT; p++) {
		if (match.param[p] == NULL)
			continue;
		/* A matched value lies inside the path. */
		if (match.param[p] < path || match.param[p] + match.param_len[p] > path + strlen(path))
			abort();
		(void)validate_id(router_param_name((enum route_param)p), match.param[p],
				  match.param_len[p]);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char method[REQUEST_METHOD_MAX] = "";
	char path[REQUEST_PATH_MAX];
	const uint8_t *newline = memchr(data, '\n', size);
	char *uri;
	size_t method_len;

	if (router_count == 0)
		check_tables();
	if (newline == NULL)
		return 0;
	method_len = (size_t)(newline - data);
	if (method_len >= sizeof method)
		return 0;
	memcpy(method, data, method_len);
	method[method_len] = '\0';
	/* Environment values are C strings: the URI ends at its first NUL. */
	uri = strndup((const char *)newline + 1, size - method_len - 1);
	if (uri == NULL)
		return 0;

	static const char *const base_paths[] = { "", "/meet-app" };
	for (size_t b = 0; b < sizeof base_paths / sizeof base_paths[0]; b++) {
		if (!request_path_from_uri(uri, base_paths[b], path, sizeof path))
			continue;
		if (strlen(path) >= sizeof path || path[0] != '/')
			abort();
		for (size_t r = 0; r < router_count; r++)
			route_one(&routers[r], method, path);
	}
	free(uri);
	return 0;
}
