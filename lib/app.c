#include "app.h"

#include <fcgi_stdio.h>
#include <fcgiapp.h>
#include <signal.h>
#include <string.h>
#include <time.h>

#include "log.h"
#include "request.h"
#include "response.h"

static volatile sig_atomic_t stop_requested;

static void on_sigterm(int signal_number)
{
	(void)signal_number;
	stop_requested = 1;
	/* libfcgi's accept() then returns instead of retrying on EINTR. */
	FCGX_ShutdownPending();
}

int app_start(struct app *app)
{
	struct sigaction ignore = { .sa_handler = SIG_IGN };
	struct sigaction stop = { .sa_handler = on_sigterm };  /* no SA_RESTART */
	char problem[256];

	memset(app, 0, sizeof *app);
	sigemptyset(&ignore.sa_mask);
	sigemptyset(&stop.sa_mask);
	sigaction(SIGPIPE, &ignore, NULL);
	sigaction(SIGTERM, &stop, NULL);

	if (config_load(&app->config, NULL, problem, sizeof problem) != 0) {
		log_message("configuration: %s", problem);
		return -1;
	}
	app->meet = meet_client_create(&app->config);
	if (app->meet == NULL) {
		log_message("cannot set up libcurl");
		return -1;
	}
	return 0;
}

bool app_accept(void)
{
	return !stop_requested && FCGI_Accept() >= 0;
}

void app_stop(struct app *app)
{
	meet_client_free(app->meet);
	app->meet = NULL;
}

struct error app_meet_error(const struct app_call *call, const struct meet_result *result)
{
	struct error error = meet_result_error(result, call->app->config.meet_server_url);

	/* The browser gets a short message; the reason goes to the log. */
	if (error.status >= 500)
		log_message("OpenVidu Meet at %s: %s (HTTP %d)", call->app->config.meet_server_url,
			    result->detail[0] ? result->detail : "error answer", result->http_status);
	return error;
}

/* Copies the route's {roomId} and {memberId} into call after validate_id. */
static struct error take_path_ids(const struct route_match *match, struct app_call *call)
{
	for (int i = 0; i < match->param_count; i++) {
		char name[32];
		char *slot;

		snprintf(name, sizeof name, "%.*s", (int)match->param_name_len[i], match->param_name[i]);
		if (strcmp(name, "roomId") == 0)
			slot = call->room_id;
		else if (strcmp(name, "memberId") == 0)
			slot = call->member_id;
		else
			return error_make(500, "Route parameter not supported");
		struct error error = validate_id(name, match->param[i], match->param_len[i]);
		if (error_is_set(&error))
			return error;
		memcpy(slot, match->param[i], match->param_len[i]);
		slot[match->param_len[i]] = '\0';
	}
	return error_none();
}

static long milliseconds_since(const struct timespec *start)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (now.tv_sec - start->tv_sec) * 1000L + (now.tv_nsec - start->tv_nsec) / 1000000L;
}

void app_serve(struct app *app, const struct route *routes, size_t route_count)
{
	struct app_call call = { .app = app };
	struct request request;
	struct response response;
	struct route_match match;
	struct timespec start;
	cJSON *body = NULL;
	struct error error;

	clock_gettime(CLOCK_MONOTONIC, &start);
	response_init(&response);
	request_read(&request, app->config.app_base_path);

	error = router_match(routes, route_count, request.method, request.path, &match);
	if (error_is_set(&error))
		goto out;
	error = take_path_ids(&match, &call);
	if (error_is_set(&error))
		goto out;
	if (strcmp(request.method, "POST") == 0 || strcmp(request.method, "PUT") == 0) {
		error = request_json_object(&request, &body);
		if (error_is_set(&error))
			goto out;
		call.body = body;
	}
	error = match.route->handler(&call, &response);
out:
	if (error_is_set(&error))
		response_set_error(&response, &error);
	response_write(&response);
	/* Only the route's pattern is logged: a path may hold a member id, a secret. */
	log_request(request.method, match.route ? match.route->pattern : "-",
		    response.body ? response.status : 500,
		    meet_client_take_last_status(app->meet), milliseconds_since(&start));
	cJSON_Delete(body);
	response_free(&response);
	request_free(&request);
}
