#include "app.h"

#include <cjson/cJSON.h>
#include <fcgiapp.h>
#include <pthread.h>
#include <signal.h>
#include <sys/prctl.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "access.h"
#include "exchange.h"
#include "log.h"
#include "meet_client.h"
#include "request.h"
#include "response.h"

/* FCGI_LISTENSOCK_FILENO of the FastCGI spec: where the web server puts the
 * listening socket. */
enum { LISTEN_SOCKET_FD = 0 };

struct worker {
	const struct app *app;
	struct meet_client *meet;   /* owned */
	FCGX_Request request;
};

/* Set by the main thread on SIGTERM; read by every worker. */
static atomic_bool stopping;
/* Requests between accept and their answer, so that a stop waits for them. */
static atomic_int serving;
/* Kept reachable until exit: stopped workers may still sit in accept(). */
static struct worker *workers;

struct error app_meet_error(const struct app_call *call, const struct meet_result *result)
{
	struct error error = meet_result_error(result, call->app->config.meet_server_url);

	/* The browser gets a short message; the reason goes to the log. */
	if (error.status >= 500)
		log_message("OpenVidu Meet at %s: %s (HTTP %d)", call->app->config.meet_server_url,
			    result->detail[0] ? result->detail : "error answer", result->http_status);
	return error;
}

/* Where call keeps the value of a path parameter. */
static char *path_id_slot(struct app_call *call, enum route_param param)
{
	switch (param) {
	case ROUTE_PARAM_ROOM_ID:
		return call->room_id;
	case ROUTE_PARAM_MEMBER_ID:
		return call->member_id;
	case ROUTE_PARAM_COUNT:
		break;
	}
	return NULL;
}

/* Copies the route's {roomId} and {memberId} into call after validate_id. */
static struct error take_path_ids(const struct route_match *match, struct app_call *call)
{
	for (int p = 0; p < ROUTE_PARAM_COUNT; p++) {
		const char *value = match->param[p];
		size_t len = match->param_len[p];
		char *slot = path_id_slot(call, (enum route_param)p);

		if (value == NULL)
			continue;
		struct error error = validate_id(router_param_name((enum route_param)p), value, len);
		if (error_is_set(&error))
			return error;
		memcpy(slot, value, len);
		slot[len] = '\0';
	}
	return error_none();
}

/* Parses the JSON object of a POST or PUT into *body (the caller frees it
 * with cJSON_Delete), then runs the route's body validator into input,
 * which may point into *body. */
static struct error take_body(const struct request *request, const struct route *route,
			      cJSON **body, union body_input *input)
{
	struct error error = error_none();

	if (strcmp(request->method, "POST") == 0 || strcmp(request->method, "PUT") == 0)
		error = request_json_object(request, body);
	if (!error_is_set(&error) && route->validate_body != NULL)
		error = route->validate_body(*body, input);
	return error;
}

/* Whether this request may manage rooms at all: before routing, so nobody
 * unauthorised learns even which paths exist. */
static struct error check_access(const struct config *config, const struct request *request)
{
	struct access_request who = { request->remote_user, request->remote_addr, request->host };

	return access_check(config->auth_mode, config->allowed_hosts, &who);
}

static long milliseconds_since(const struct timespec *start)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (now.tv_sec - start->tv_sec) * 1000L + (now.tv_nsec - start->tv_nsec) / 1000000L;
}

static void serve(const struct app *app, struct meet_client *meet,
		  const struct exchange *exchange)
{
	struct app_call call = { .app = app, .meet = meet };
	struct request request;
	struct response response;
	struct route_match match = { .route = NULL };
	struct timespec start;
	cJSON *body = NULL;  /* freed after the handler: call.input may point into it */
	struct error error;

	clock_gettime(CLOCK_MONOTONIC, &start);
	response_init(&response);
	request_read(&request, exchange, app->config.app_base_path);

	error = check_access(&app->config, &request);
	if (error_is_set(&error))
		goto out;
	error = router_match(&app->router, request.method, request.path, &match);
	if (error_is_set(&error))
		goto out;
	error = take_path_ids(&match, &call);
	if (error_is_set(&error))
		goto out;
	error = take_body(&request, match.route, &body, &call.input);
	if (error_is_set(&error))
		goto out;
	error = match.route->handler(&call, &response);
out:
	if (error_is_set(&error))
		response_set_error(&response, &error);
	response_write(&response, exchange);
	/* Only the route's pattern is logged: a path may hold a member id, a secret. */
	log_request(request.method, match.route ? match.route->pattern : "-",
		    response.body ? response.status : 500,
		    meet_client_take_last_status(meet), milliseconds_since(&start));
	cJSON_Delete(body);
	response_free(&response);
	request_free(&request);
}

static void *work(void *arg)
{
	struct worker *worker = arg;
	struct exchange exchange = { .fcgi = &worker->request };
	int accepted = 0;

	while (!atomic_load(&stopping) && (accepted = FCGX_Accept_r(&worker->request)) >= 0) {
		atomic_fetch_add(&serving, 1);
		serve(worker->app, worker->meet, &exchange);
		FCGX_Finish_r(&worker->request);  /* the answer leaves here */
		atomic_fetch_sub(&serving, 1);
	}
	if (!atomic_load(&stopping)) {
		/* accept() failed for good (say, out of descriptors): let the
		 * web server start a fresh process. */
		log_message("cannot accept requests (%d); stopping", accepted);
		kill(getpid(), SIGTERM);
	}
	return NULL;
}

/*
 * Waits, with no bound, until no request is in progress: a bound could
 * only cut one short, and each is bounded already (MEET_TIMEOUT_MS for its
 * call to Meet, every page included: lib/meet_client.c; its reads and
 * writes end when the web server closes its side). A worker counts itself in
 * `serving` right after accept() returns, so a few looks apart must all
 * see none: one accepted as the first look saw none is counted by the next.
 */
static void wait_for_requests(void)
{
	struct timespec pause = { 0, 10 * 1000 * 1000 };

	for (int idle_looks = 0; idle_looks < 3;) {
		idle_looks = atomic_load(&serving) == 0 ? idle_looks + 1 : 0;
		if (idle_looks < 3)
			nanosleep(&pause, NULL);
	}
}

/* Blocked from the start (the workers inherit the mask); one that came
 * early waits for sigwait. */
static int serve_fastcgi(const struct app *app, const sigset_t *stop_signals)
{
	long count = app->config.threads;
	int signal_number;
	int error;

	workers = calloc((size_t)count, sizeof *workers);
	if (workers == NULL)
		return 1;
	/* Made here, one at a time: curl_global_init is not thread-safe. */
	for (long i = 0; i < count; i++) {
		workers[i].app = app;
		workers[i].meet = meet_client_create(&app->config);
		if (workers[i].meet == NULL) {
			log_message("cannot set up libcurl");
			return 1;
		}
		FCGX_InitRequest(&workers[i].request, LISTEN_SOCKET_FD, 0);
	}
	/* Never joined: the process ends with them (see wait_for_requests). */
	pthread_attr_t detached;
	pthread_attr_init(&detached);
	pthread_attr_setdetachstate(&detached, PTHREAD_CREATE_DETACHED);
	for (long i = 0; i < count; i++) {
		pthread_t thread;
		error = pthread_create(&thread, &detached, work, &workers[i]);
		if (error != 0) {
			log_message("cannot start worker thread %ld of %ld: %s", i + 1, count, strerror(error));
			if (i == 0)
				return 1;
			break;
		}
	}
	pthread_attr_destroy(&detached);
	while (sigwait(stop_signals, &signal_number) != 0)
		;
	atomic_store(&stopping, true);
	wait_for_requests();
	/* Workers still in accept() end with the process. */
	return 0;
}

int app_run(const struct program *program)
{
	static struct app app;  /* read by the workers until exit */
	struct sigaction ignore = { .sa_handler = SIG_IGN };
	sigset_t stop_signals;
	char problem[512];

	if (router_check_table(&app.router, program->routes, program->route_count,
			       problem, sizeof problem) != 0) {
		log_message("route table of %s: %s", program->name, problem);
		return 1;
	}
	/* No core dumps and no ptrace by other processes of the same user: the
	 * process holds the API key. */
	prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
	sigemptyset(&ignore.sa_mask);
	sigaction(SIGPIPE, &ignore, NULL);
	/* Under FastCGI only the main thread takes these, in sigwait. */
	sigemptyset(&stop_signals);
	sigaddset(&stop_signals, SIGTERM);
	sigaddset(&stop_signals, SIGINT);
	pthread_sigmask(SIG_BLOCK, &stop_signals, NULL);

	if (config_load(&app.config, NULL, problem, sizeof problem) != 0) {
		log_message("configuration: %s", problem);
		return 1;
	}
	/* Which file, never what it holds. */
	if (app.config.env_file_read)
		log_message("settings from %s", app.config.env_file);
	else
		log_message("no settings file (%s cannot be read): environment and defaults only",
			    app.config.env_file);
	if (FCGX_Init() != 0) {
		log_message("cannot set up libfcgi");
		return 1;
	}
	if (!FCGX_IsCGI())
		return serve_fastcgi(&app, &stop_signals);
	/* A plain CGI process stops on these at once, as any program does. */
	pthread_sigmask(SIG_UNBLOCK, &stop_signals, NULL);

	struct meet_client *meet = meet_client_create(&app.config);
	struct exchange exchange = { .fcgi = NULL };
	if (meet == NULL) {
		log_message("cannot set up libcurl");
		return 1;
	}
	serve(&app, meet, &exchange);
	meet_client_free(meet);
	return 0;
}
