/*
 * fuzz_route: the request line as the programs see it.
 *
 * Input: "METHOD\nREQUEST_URI". The URI goes through request_path_from_uri
 * (with and without an APP_BASE_PATH), then router_match over the three
 * programs' tables, then validate_id on each {…} value, as app_serve does
 * before any handler runs.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "request.h"
#include "router.h"
#include "validate.h"

/* The programs' tables in cgi-bin/, without handlers: routing is what is fuzzed. */
static const struct route rooms_routes[] = {
	{ "POST", "/rooms", NULL },
	{ "GET", "/rooms", NULL },
	{ "DELETE", "/rooms/{roomId}", NULL },
};
static const struct route members_routes[] = {
	{ "POST", "/rooms/{roomId}/members", NULL },
	{ "GET", "/rooms/{roomId}/members", NULL },
	{ "PUT", "/rooms/{roomId}/members/{memberId}", NULL },
	{ "DELETE", "/rooms/{roomId}/members/{memberId}", NULL },
	{ "GET", "/rooms/{roomId}/members/{memberId}/qr", NULL },
};
static const struct route config_routes[] = {
	{ "GET", "/config", NULL },
};

static void route_one(const struct route *routes, size_t count, const char *method, const char *path)
{
	struct route_match match;
	struct error error = router_match(routes, count, method, path, &match);

	if (error_is_set(&error)) {
		if (error.status != 404 && error.status != 405)
			abort();
		return;
	}
	for (int i = 0; i < match.param_count; i++) {
		/* A matched value lies inside the path. */
		if (match.param[i] < path || match.param[i] + match.param_len[i] > path + strlen(path))
			abort();
		(void)validate_id("id", match.param[i], match.param_len[i]);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char method[REQUEST_METHOD_MAX] = "";
	char path[REQUEST_PATH_MAX];
	const uint8_t *newline = memchr(data, '\n', size);
	char *uri;
	size_t method_len;

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
		route_one(rooms_routes, sizeof rooms_routes / sizeof rooms_routes[0], method, path);
		route_one(members_routes, sizeof members_routes / sizeof members_routes[0], method, path);
		route_one(config_routes, sizeof config_routes / sizeof config_routes[0], method, path);
	}
	free(uri);
	return 0;
}
