/*
 * app: what every program does around its handlers.
 *
 * Once per process, app_start loads the configuration, creates the Meet
 * client, ignores SIGPIPE and makes SIGTERM stop the loop after the current
 * request. Per request, app_serve reads the request, routes it through the
 * program's table, checks the path ids and (for POST and PUT) the JSON body,
 * calls the handler, writes the answer, logs one line and frees everything
 * the request allocated. A program's main is:
 *
 *	if (app_start(&app) != 0) return 1;
 *	while (app_accept())
 *		app_serve(&app, routes, ROUTE_COUNT);
 *	app_stop(&app);
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
	struct config config;
	struct meet_client *meet;   /* owned; freed by app_stop */
};

/* What a handler gets: only values that passed validation. */
struct app_call {
	struct app *app;
	char room_id[VALIDATE_ID_MAX + 1];    /* "" when the route has no {roomId} */
	char member_id[VALIDATE_ID_MAX + 1];  /* "" when the route has no {memberId} */
	const cJSON *body;                    /* JSON object for POST/PUT, else NULL */
};

/* Returns 0, or -1 after logging why (bad configuration, no libcurl). */
int app_start(struct app *app);

/* Waits for the next request; false when there are no more or SIGTERM came. */
bool app_accept(void);

void app_serve(struct app *app, const struct route *routes, size_t route_count);

void app_stop(struct app *app);

/* Turns a Meet result that is not a success into the error to answer with. */
struct error app_meet_error(const struct app_call *call, const struct meet_result *result);

#endif
