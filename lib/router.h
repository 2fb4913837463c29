/*
 * router: a static table from (method, path pattern) to body check and handler.
 *
 * Like cgit's cmds[], each program declares one table; like kcgi's
 * validators, each route declares the check its body must pass. Patterns
 * are literal segments and "{roomId}" or "{memberId}" segments, each
 * matching one non-empty path segment. router_check_table refuses a bad
 * table once, at start-up, and resolves each {name} to its slot, so that
 * router_match compares no parameter name per request. An unknown path is a
 * 404; a known path with another method is a 405 whose Allow lists the
 * methods the table has.
 */
#ifndef MEET_ROUTER_H
#define MEET_ROUTER_H

#include <stddef.h>

#include "error.h"
#include "validate.h"

/* The path parameters a pattern may name, each with its slot in a match. */
enum route_param {
	ROUTE_PARAM_ROOM_ID,    /* {roomId} */
	ROUTE_PARAM_MEMBER_ID,  /* {memberId} */
	ROUTE_PARAM_COUNT
};

enum {
	ROUTER_MAX_ROUTES = 16,
	ROUTER_MAX_PARAMS = ROUTE_PARAM_COUNT,  /* a name appears once per pattern */
	ROUTER_ALLOW_MAX = 64,
};

struct app_call;
struct response;

/* Fills out on success; returns an error otherwise (written by the caller). */
typedef struct error (*route_handler)(const struct app_call *call, struct response *out);

struct route {
	const char *method;           /* "GET", "POST", "PUT", "DELETE" */
	const char *pattern;          /* "/rooms/{roomId}/members" */
	body_validator validate_body; /* POST and PUT only; NULL: no body check */
	route_handler handler;
};

/* A table that passed router_check_table. */
struct router {
	const struct route *routes;   /* not owned: the program's static table */
	size_t route_count;
	/* The slot of each {…} segment of routes[i], in pattern order. */
	enum route_param params[ROUTER_MAX_ROUTES][ROUTER_MAX_PARAMS];
};

struct route_match {
	const struct route *route;
	/* By slot, the value of each parameter the route has: a pointer into
	 * the path given to router_match (not NUL-terminated) and its length;
	 * NULL when the pattern has no such segment. */
	const char *param[ROUTE_PARAM_COUNT];
	size_t param_len[ROUTE_PARAM_COUNT];
	char allow[ROUTER_ALLOW_MAX];  /* for 405: "GET, POST" */
};

/*
 * Checks a program's table and fills router from it. Refuses no routes or
 * more than ROUTER_MAX_ROUTES, a method that is not upper-case letters, a
 * missing handler, a body validator on a method other than POST or PUT, a
 * pattern that is not "/segment/..." of letters, digits, '-', '_', '.' or
 * whole {name} segments, an unknown or repeated {name}, and two routes with
 * the same method whose patterns match the same paths. Returns 0, or -1 with
 * the reason (naming the route) in problem.
 */
int router_check_table(struct router *router, const struct route *routes, size_t route_count,
		       char *problem, size_t problem_size);

/* "roomId" for ROUTE_PARAM_ROOM_ID: the name in patterns and in messages. */
const char *router_param_name(enum route_param param);

/*
 * Finds the route for method and path (no query string). Returns no error
 * with match->route set, or 404, or 405 with error.allow pointing into
 * match->allow. Pure: no I/O.
 */
struct error router_match(const struct router *router, const char *method, const char *path,
			  struct route_match *match);

#endif
