/*
 * router: a static table from (method, path pattern) to handler.
 *
 * Like cgit's cmds[], each program declares one table; router_match scans it.
 * Patterns are literal segments and "{name}" segments that match one
 * non-empty path segment. An unknown path is a 404; a known path with
 * another method is a 405 whose Allow lists the methods the table has.
 */
#ifndef MEET_ROUTER_H
#define MEET_ROUTER_H

#include <stddef.h>

#include "error.h"

enum { ROUTER_MAX_PARAMS = 2, ROUTER_ALLOW_MAX = 64 };

struct app_call;
struct response;

/* Fills out on success; returns an error otherwise (written by the caller). */
typedef struct error (*route_handler)(const struct app_call *call, struct response *out);

struct route {
	const char *method;   /* "GET", "POST", "PUT", "DELETE" */
	const char *pattern;  /* "/rooms/{roomId}/members" */
	route_handler handler;
};

struct route_match {
	const struct route *route;
	/* Values of the {…} segments in pattern order: pointers into the path
	 * given to router_match (not NUL-terminated), and their lengths. */
	const char *param[ROUTER_MAX_PARAMS];
	size_t param_len[ROUTER_MAX_PARAMS];
	const char *param_name[ROUTER_MAX_PARAMS];   /* "roomId" (static) */
	size_t param_name_len[ROUTER_MAX_PARAMS];
	int param_count;
	char allow[ROUTER_ALLOW_MAX];  /* for 405: "GET, POST" */
};

/*
 * Finds the route for method and path (no query string). Returns no error
 * with match->route set, or 404, or 405 with error.allow pointing into
 * match->allow. Pure: no I/O.
 */
struct error router_match(const struct route *routes, size_t route_count,
			  const char *method, const char *path,
			  struct route_match *match);

#endif
