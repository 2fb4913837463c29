/*
 * http: libmicrohttpd glue. Each request gets a struct exchange (raw URI,
 * body) when MHD first sees it; once the body is in, respond() builds a
 * struct request, sends it to the API, a page or a static file, writes the
 * struct reply, and logs API requests. Every answer carries CORS headers
 * and a preflight is answered 204, as Express's cors() does in 3.8.0 (the
 * WebComponent calls Meet from the host page's origin). Fault modes
 * (MEET_EMULATOR_FAULT) apply to /meet/api/v1 only. With MHD's thread per connection, a slow
 * answer only holds its own connection's thread.
 */
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <microhttpd.h>

#include "emulator.h"
#include "http.h"
#include "text.h"

/* Express's JSON parser stops at 100 kB (and answers in HTML). */
enum { MAX_BODY_BYTES = 100 * 1024 };

struct exchange {
	char *uri; /* raw, as on the request line */
	struct buf body;
	bool too_large;
	bool started;
};

static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;
static FILE *log_file;

/* slow answers wait on this, so a stop does not wait for them */
static pthread_mutex_t sleep_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t sleep_cond = PTHREAD_COND_INITIALIZER;
static bool stopping;

/* ---------- replies ---------- */

void reply_header(struct reply *r, const char *name, const char *fmt, ...)
{
	if (r->header_count == REPLY_MAX_HEADERS)
		return;
	char value[2048];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(value, sizeof value, fmt, ap);
	va_end(ap);
	r->headers[r->header_count].name = name;
	r->headers[r->header_count].value = strdup(value);
	r->header_count++;
}

void reply_json(struct reply *r, unsigned status, cJSON *item)
{
	char *text = cJSON_PrintUnformatted(item);
	cJSON_Delete(item);
	free(r->body);
	r->status = status;
	r->content_type = JSON_TYPE;
	r->body_len = strlen(text);
	r->body = malloc(r->body_len + 1);
	if (!r->body)
		abort();
	memcpy(r->body, text, r->body_len + 1);
	cJSON_free(text);
}

void reply_error(struct reply *r, unsigned status, const char *error, const char *fmt, ...)
{
	char message[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(message, sizeof message, fmt, ap);
	va_end(ap);
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "error", error);
	cJSON_AddStringToObject(o, "message", message);
	reply_json(r, status, o);
}

void reply_invalid(struct reply *r, cJSON *details)
{
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "error", "Unprocessable Entity");
	cJSON_AddStringToObject(o, "message", "Invalid request");
	cJSON_AddItemToObject(o, "details", details);
	reply_json(r, 422, o);
}

void reply_text(struct reply *r, unsigned status, const char *type, const char *text)
{
	free(r->body);
	r->status = status;
	r->content_type = type;
	r->body = strdup(text);
	r->body_len = strlen(text);
}

void reply_free(struct reply *r)
{
	free(r->body);
	for (size_t i = 0; i < r->header_count; i++)
		free(r->headers[i].value);
	memset(r, 0, sizeof *r);
}

/* ---------- requests ---------- */

const char *request_query(const struct request *req, const char *name)
{
	for (size_t i = 0; i < req->query_count; i++)
		if (strcmp(req->query[i].name, name) == 0)
			return req->query[i].value;
	return NULL;
}

static const char *connection_header(const struct request *req, const char *name)
{
	return MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, name);
}

static void parse_query(struct request *req, const char *raw)
{
	char *copy = strdup(raw), *save = NULL;
	size_t cap = 0;
	for (char *pair = strtok_r(copy, "&", &save); pair; pair = strtok_r(NULL, "&", &save)) {
		char *eq = strchr(pair, '=');
		if (eq)
			*eq = '\0';
		if (req->query_count == cap) {
			cap = cap ? cap * 2 : 8;
			req->query = realloc(req->query, cap * sizeof *req->query);
			if (!req->query)
				abort();
		}
		struct query_param *q = &req->query[req->query_count++];
		q->name = strdup(pair);
		q->value = strdup(eq ? eq + 1 : "");
		text_url_decode(q->name, true);
		text_url_decode(q->value, true);
	}
	free(copy);
}

/* application/x-www-form-urlencoded → an object of strings (flat) */
static cJSON *parse_form(const char *body)
{
	struct request tmp = { 0 };
	parse_query(&tmp, body);
	cJSON *o = cJSON_CreateObject();
	for (size_t i = 0; i < tmp.query_count; i++) {
		cJSON_AddStringToObject(o, tmp.query[i].name, tmp.query[i].value);
		free(tmp.query[i].name);
		free(tmp.query[i].value);
	}
	free(tmp.query);
	return o;
}

static bool is_json_type(const char *type)
{
	if (!type)
		return false;
	size_t n = strcspn(type, "; \t");
	if (n == 16 && strncasecmp(type, "application/json", 16) == 0)
		return true;
	/* application/...+json */
	return n > 17 && strncasecmp(type, "application/", 12) == 0 && strncasecmp(type + n - 5, "+json", 5) == 0;
}

/*
 * The body as the released server's parsers see it: JSON (strict: an
 * object or array; empty counts as {}), a form, or undefined. false when
 * the answer is already decided (400 malformed, 413 too large).
 */
static bool read_body(struct request *req, struct exchange *x, struct reply *r)
{
	const char *type = connection_header(req, "content-type");
	if (is_json_type(type)) {
		if (x->too_large) {
			reply_text(r, 413, "text/html; charset=utf-8",
				   "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>Error</title>\n"
				   "</head>\n<body>\n<pre>PayloadTooLargeError: request entity too large</pre>\n</body>\n</html>\n");
			return false;
		}
		const char *p = x->body.data ? x->body.data : "";
		p += strspn(p, " \t\r\n");
		if (!*p) {
			req->body_state = BODY_JSON;
			req->json = cJSON_CreateObject();
			return true;
		}
		const char *end = NULL;
		if (*p == '{' || *p == '[')
			req->json = cJSON_ParseWithLengthOpts(p, x->body.len - (size_t)(p - x->body.data), &end, false);
		if (req->json && end && strspn(end, " \t\r\n") == strlen(end)) {
			req->body_state = BODY_JSON;
			return true;
		}
		cJSON_Delete(req->json);
		req->json = NULL;
		reply_error(r, 400, "Bad Request", "Malformed body");
		return false;
	}
	if (type && strncasecmp(type, "application/x-www-form-urlencoded", 33) == 0 && x->body.len) {
		req->body_state = BODY_JSON;
		req->json = parse_form(x->body.data);
	}
	return true;
}

static void build_base_url(struct request *req)
{
	const char *host = connection_header(req, "host");
	const char *proto = connection_header(req, "x-forwarded-proto");
	char fallback[300];
	char scheme[16] = "http";
	if (proto && *proto) {
		size_t n = strcspn(proto, ", ");
		if (n < sizeof scheme && n > 0)
			snprintf(scheme, sizeof scheme, "%.*s", (int)n, proto);
	}
	if (!host || !*host) {
		snprintf(fallback, sizeof fallback, strchr(emu_config.host, ':') ? "[%s]:%u" : "%s:%u",
			 emu_config.host, emu_config.port);
		host = fallback;
	}
	snprintf(req->base_url, sizeof req->base_url, "%s://%.500s/meet", scheme, host);
}

static void request_free(struct request *req)
{
	for (size_t i = 0; i < req->query_count; i++) {
		free(req->query[i].name);
		free(req->query[i].value);
	}
	free(req->query);
	for (int i = 0; i < 3; i++)
		free(req->params[i]);
	cJSON_Delete(req->json);
}

/* ---------- faults ---------- */

void http_sleep_ms(unsigned ms)
{
	struct timespec until;
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += ms / 1000;
	until.tv_nsec += (long)(ms % 1000) * 1000000L;
	if (until.tv_nsec >= 1000000000L) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&sleep_lock);
	while (!stopping && pthread_cond_timedwait(&sleep_cond, &sleep_lock, &until) != ETIMEDOUT)
		;
	pthread_mutex_unlock(&sleep_lock);
}

void http_wake_sleepers(void)
{
	pthread_mutex_lock(&sleep_lock);
	stopping = true;
	pthread_cond_broadcast(&sleep_cond);
	pthread_mutex_unlock(&sleep_lock);
}

static const char reset_body[] = "{\"rooms\":[{\"roomId\":\"trunc";

/* Sends the start of a JSON body, then fails: MHD closes the connection
 * with fewer bytes than the Content-Length it announced. */
static ssize_t reset_reader(void *cls, uint64_t pos, char *buf, size_t max)
{
	(void)cls;
	size_t n = sizeof reset_body - 1;
	if (pos >= n)
		return MHD_CONTENT_READER_END_WITH_ERROR;
	if (n - pos < max)
		max = n - (size_t)pos;
	memcpy(buf, reset_body + pos, max);
	return (ssize_t)max;
}

/* true when the fault decides the answer (r filled, or *reset set) */
static bool apply_fault(struct reply *r, bool *reset)
{
	switch (emu_config.fault) {
	case FAULT_SLOW:
		http_sleep_ms(emu_config.fault_value);
		return false;
	case FAULT_STATUS: {
		const char *phrase = MHD_get_reason_phrase_for(emu_config.fault_value);
		reply_error(r, emu_config.fault_value, phrase && *phrase ? phrase : "Error",
			    "Emulated fault (MEET_EMULATOR_FAULT=status:%u)", emu_config.fault_value);
		return true;
	}
	case FAULT_GARBAGE:
		reply_text(r, 200, JSON_TYPE, "<html><body>Emulated fault: this is not JSON {\"rooms\": [</body></html>");
		return true;
	case FAULT_RESET:
		*reset = true;
		r->status = 200;
		return true;
	default:
		return false;
	}
}

static void log_request(const char *method, const char *uri, unsigned status)
{
	if (!log_file)
		return;
	pthread_mutex_lock(&log_lock);
	fprintf(log_file, "%s %s %u\n", method, uri, status);
	fflush(log_file);
	pthread_mutex_unlock(&log_lock);
}

/* ---------- dispatch ---------- */

static bool has_prefix(const char *path, const char *prefix, const char **rest)
{
	size_t n = strlen(prefix);
	if (strncmp(path, prefix, n) != 0 || (path[n] != '\0' && path[n] != '/'))
		return false;
	*rest = path + n;
	return true;
}

static bool is_get(const char *method)
{
	return strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0;
}

static enum MHD_Result respond(struct MHD_Connection *conn, const char *method, struct exchange *x)
{
	struct request req = { .method = method, .header = connection_header, .conn = conn };
	struct reply r = { 0 };
	bool reset = false, api = false;
	const char *rest;
	char *path = strndup(x->uri, strcspn(x->uri, "?#"));
	const char *q = strchr(x->uri, '?');
	req.path = path;
	req.raw_query = q ? q + 1 : "";
	parse_query(&req, req.raw_query);
	build_base_url(&req);

	bool preflight = strcmp(method, "OPTIONS") == 0 && connection_header(&req, "access-control-request-method");
	if (preflight) {
		/* as Express's cors() in 3.8.0: the WebComponent calls Meet from the host page's origin */
		r.status = 204;
		reply_header(&r, "Access-Control-Allow-Methods", "GET,HEAD,PUT,PATCH,POST,DELETE");
		const char *asked = connection_header(&req, "access-control-request-headers");
		if (asked)
			reply_header(&r, "Access-Control-Allow-Headers", "%s", asked);
		reply_header(&r, "Vary", "Access-Control-Request-Headers");
	} else if (has_prefix(path, "/meet/api/v1", &rest)) {
		api = true;
		if (!apply_fault(&r, &reset) && read_body(&req, x, &r))
			api_public(&req, rest, &r);
	} else if (has_prefix(path, "/meet/internal-api/v1", &rest)) {
		api = true;
		if (read_body(&req, x, &r))
			api_internal(&req, rest, &r);
	} else if (strncmp(path, "/meet/room/", 11) == 0 && path[11] && is_get(method)) {
		pages_room(&req, path + 11, &r);
	} else if (strcmp(path, "/meet/v1/openvidu-meet.js") == 0 && is_get(method)) {
		pages_bundle(&req, &r);
	} else if (strcmp(path, "/meet/assets/sounds/participant-joined.wav") == 0 && is_get(method)) {
		pages_sound(&r);
	} else if (!(strncmp(path, "/meet/emulator/", 15) == 0 && is_get(method) &&
		     pages_static(&req, path + 15, &r))) {
		reply_text(&r, 404, "text/plain; charset=utf-8", "Not Found\n");
	}

	struct MHD_Response *response;
	if (reset) {
		/* announce more than will ever come */
		response = MHD_create_response_from_callback(4096, 64, reset_reader, NULL, NULL);
		MHD_add_response_header(response, MHD_HTTP_HEADER_CONTENT_TYPE, JSON_TYPE);
	} else {
		response = MHD_create_response_from_buffer(r.body_len, r.body ? r.body : (char *)"",
							   r.body ? MHD_RESPMEM_MUST_FREE : MHD_RESPMEM_PERSISTENT);
		r.body = NULL; /* MHD frees it */
		if (r.content_type)
			MHD_add_response_header(response, MHD_HTTP_HEADER_CONTENT_TYPE, r.content_type);
	}
	for (size_t i = 0; i < r.header_count; i++)
		MHD_add_response_header(response, r.headers[i].name, r.headers[i].value);
	MHD_add_response_header(response, "Access-Control-Allow-Origin", "*");
	MHD_add_response_header(response, "Access-Control-Allow-Credentials", "true");
	enum MHD_Result ok = MHD_queue_response(conn, r.status, response);
	MHD_destroy_response(response);
	if (api)
		log_request(method, x->uri, r.status);
	reply_free(&r);
	request_free(&req);
	free(path);
	return ok;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
				  const char *method, const char *version, const char *upload_data,
				  size_t *upload_size, void **req_cls)
{
	(void)cls;
	(void)url;
	(void)version;
	struct exchange *x = *req_cls;
	if (!x)
		return MHD_NO;
	if (!x->started) {
		x->started = true;
		return MHD_YES;
	}
	if (*upload_size) {
		if (x->body.len + *upload_size <= MAX_BODY_BYTES)
			buf_append(&x->body, upload_data, *upload_size);
		else
			x->too_large = true;
		*upload_size = 0;
		return MHD_YES;
	}
	return respond(conn, method, x);
}

/* MHD calls this first with the raw URI; what it returns becomes *req_cls. */
static void *on_uri(void *cls, const char *uri, struct MHD_Connection *conn)
{
	(void)cls;
	(void)conn;
	struct exchange *x = calloc(1, sizeof *x);
	if (!x)
		return NULL;
	x->uri = strdup(uri);
	return x;
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **req_cls,
			 enum MHD_RequestTerminationCode toe)
{
	(void)cls;
	(void)conn;
	(void)toe;
	struct exchange *x = *req_cls;
	if (!x)
		return;
	free(x->uri);
	buf_free(&x->body);
	free(x);
	*req_cls = NULL;
}

/* Keeps the path as sent: routes match the raw path and decode parameters
 * themselves, as Express does. */
static size_t keep_escaped(void *cls, struct MHD_Connection *conn, char *s)
{
	(void)cls;
	(void)conn;
	return strlen(s);
}

struct MHD_Daemon *http_start(const struct sockaddr *addr, bool ipv6)
{
	if (emu_config.log_path) {
		log_file = fopen(emu_config.log_path, "a");
		if (!log_file) {
			fprintf(stderr, "meet-emulator: cannot open %s: %s\n", emu_config.log_path, strerror(errno));
			return NULL;
		}
	}
	unsigned flags = MHD_USE_THREAD_PER_CONNECTION | MHD_USE_INTERNAL_POLLING_THREAD |
			 MHD_USE_AUTO | MHD_USE_ERROR_LOG | (ipv6 ? MHD_USE_IPv6 : 0);
	return MHD_start_daemon(flags, 0, NULL, NULL, on_request, NULL,
				MHD_OPTION_SOCK_ADDR, addr,
				MHD_OPTION_LISTENING_ADDRESS_REUSE, (unsigned int)1,
				MHD_OPTION_URI_LOG_CALLBACK, on_uri, NULL,
				MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL,
				MHD_OPTION_UNESCAPE_CALLBACK, keep_escaped, NULL,
				MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)120,
				MHD_OPTION_END);
}

void http_stop(struct MHD_Daemon *daemon)
{
	http_wake_sleepers();
	if (daemon)
		MHD_stop_daemon(daemon);
	if (log_file)
		fclose(log_file);
	log_file = NULL;
}
