/*
 * app: what every program does around its handlers. A program's main is
 *
 *	return app_run(routes, sizeof routes / sizeof routes[0]);
 *
 * app_run loads the configuration once and ignores SIGPIPE. Under plain CGI
 * it serves the one request of the process. Under FastCGI it starts
 * MEET_THREADS workers (default 8), each with its own libfcgi request and
 * its own Meet client (libcurl handle, kept connection), accepting on the
 * socket the web server gave on fd 0: one process serves that many requests
 * at once, so a web server that connects per request (lighttpd 1.4, Apache)
 * never queues behind a slow answer. SIGTERM or SIGINT stop it after the
 * requests in progress.
 *
 * Per request the worker reads the request, routes it through the
 * program's table, checks the path ids and (for POST and PUT) the JSON body,
 * calls the handler, writes the answer, logs one line and frees everything
 * the request allocated.
 */
#ifndef MEET_APP_H
#define MEET_APP_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>

#include "config.h"
#include "meet_client.h"
#include "router.h"
#include "validate.h"

struct app {
	struct config config;       /* read-only once the workers run */
	const struct route *routes;
	size_t route_count;
};

/* What a handler gets: only values that passed validation. */
struct app_call {
	const struct app *app;
	struct meet_client *meet;             /* the serving worker's own */
	char room_id[VALIDATE_ID_MAX + 1];    /* "" when the route has no {roomId} */
	char member_id[VALIDATE_ID_MAX + 1];  /* "" when the route has no {memberId} */
	const cJSON *body;                    /* JSON object for POST/PUT, else NULL */
};

/* Serves until stopped. Returns the exit status: 0, or 1 after logging why
 * it could not start (bad configuration, no libcurl, no threads). */
int app_run(const struct route *routes, size_t route_count);

/* Turns a Meet result that is not a success into the error to answer with. */
struct error app_meet_error(const struct app_call *call, const struct meet_result *result);

#endif
