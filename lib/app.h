/*
 * app: what every program does around its handlers. A program is its
 * table of routes and their handlers (cgi-bin/<name>.c, a struct program)
 * and the shared main (cgi-bin/main.c), which is
 *
 *	return app_run(&rooms_program);
 *
 * app_run checks the table (router_check_table) and refuses to start with a
 * bad one, loads the configuration once and ignores SIGPIPE. Under plain CGI
 * it serves the one request of the process. Under FastCGI it starts
 * MEET_THREADS workers (default 8), each with its own libfcgi request and
 * its own Meet client (libcurl handle, kept connection), accepting on the
 * socket the web server gave on fd 0: one process serves that many requests
 * at once, so a web server that connects per request (lighttpd 1.4, Apache)
 * never queues behind a slow answer. SIGTERM or SIGINT stop it after the
 * requests in progress.
 *
 * Per request the worker reads the request, routes it through the table,
 * checks the path ids, parses the JSON object body of POST and PUT and runs
 * the route's body validator, calls the handler with the values that
 * passed, writes the answer, logs one line and frees everything the request
 * allocated.
 */
#ifndef MEET_APP_H
#define MEET_APP_H

#include <stddef.h>

#include "config.h"
#include "error.h"
#include "router.h"
#include "validate.h"

struct meet_client;
struct meet_result;

/* A program: its name and its table, defined in cgi-bin/<name>.c. */
struct program {
	const char *name;             /* "rooms", for the start-up log */
	const struct route *routes;   /* static */
	size_t route_count;
};

struct app {
	struct config config;         /* read-only once the workers run */
	struct router router;         /* the program's table, checked */
};

/* What a handler gets: only values that passed validation. */
struct app_call {
	const struct app *app;
	struct meet_client *meet;             /* the serving worker's own */
	char room_id[VALIDATE_ID_MAX + 1];    /* "" when the route has no {roomId} */
	char member_id[VALIDATE_ID_MAX + 1];  /* "" when the route has no {memberId} */
	/* What the route's body validator filled (unset without one). It may
	 * point into the request body, which app.c frees after the handler. */
	union body_input input;
};

/* Serves until stopped. Returns the exit status: 0, or 1 after logging why
 * it could not start (bad route table or configuration, no libcurl, no
 * threads). */
int app_run(const struct program *program);

/* Turns a Meet result that is not a success into the error to answer with. */
struct error app_meet_error(const struct app_call *call, const struct meet_result *result);

#endif
