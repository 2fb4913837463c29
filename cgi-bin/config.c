/*
 * config.fcgi: what the browser needs to load the Meet WebComponent.
 *
 *   GET /config -> 200 {meetServerUrl, webComponentUrl, livekitUrl}
 *
 * The first two come from OV_MEET_SERVER_URL, so Meet is configured in one
 * place; livekitUrl is OV_LIVEKIT_URL, the LiveKit the page's policy admits,
 * which the page names when the policy blocks the component.
 */
#include <cjson/cJSON.h>
#include <stdio.h>

#include "app.h"
#include "config.h"
#include "error.h"
#include "response.h"
#include "router.h"

static struct error get_config(const struct app_call *call, struct response *out)
{
	const char *meet_url = call->app->config.meet_server_url;
	char component_url[CONFIG_URL_MAX + 32];
	cJSON *answer = cJSON_CreateObject();

	snprintf(component_url, sizeof component_url, "%s/v1/openvidu-meet.js", meet_url);
	cJSON_AddStringToObject(answer, "meetServerUrl", meet_url);
	cJSON_AddStringToObject(answer, "webComponentUrl", component_url);
	cJSON_AddStringToObject(answer, "livekitUrl", call->app->config.livekit_url);
	response_set_json(out, 200, answer);
	return error_none();
}

static const struct route routes[] = {
	{ "GET", "/config", NULL, get_config },
};

const struct program config_program = { "config", routes, sizeof routes / sizeof routes[0] };
