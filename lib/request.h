/*
 * request: what the web server handed us for the current request.
 *
 * request_read copies the CGI/FastCGI variables it needs (REQUEST_METHOD,
 * REQUEST_URI, CONTENT_TYPE, CONTENT_LENGTH, and for lib/access REMOTE_USER,
 * REMOTE_ADDR, HTTP_HOST) and the body into the struct,
 * because libfcgi frees the request's parameters when it is finished. The
 * path is REQUEST_URI without the query string and without APP_BASE_PATH,
 * not percent-decoded: a '%' in an id fails validation instead of smuggling
 * a '/'.
 */
#ifndef MEET_REQUEST_H
#define MEET_REQUEST_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>

#include "error.h"
#include "exchange.h"

enum {
	REQUEST_MAX_BODY_BYTES = 64 * 1024,
	REQUEST_METHOD_MAX = 16,
	REQUEST_PATH_MAX = 1024,
	REQUEST_CONTENT_TYPE_MAX = 128,
	REQUEST_USER_MAX = 256,
	REQUEST_ADDR_MAX = 64,
	REQUEST_HOST_MAX = 256,
};

struct request {
	char method[REQUEST_METHOD_MAX];      /* "" when absent or too long */
	char path[REQUEST_PATH_MAX];          /* "" when outside APP_BASE_PATH */
	char content_type[REQUEST_CONTENT_TYPE_MAX];
	/* "" when absent or too long: a value that does not fit never counts
	 * as a login or an allowed Host. */
	char remote_user[REQUEST_USER_MAX];   /* who the web server authenticated */
	char remote_addr[REQUEST_ADDR_MAX];
	char host[REQUEST_HOST_MAX];          /* the Host header */
	char *body;                           /* owned; NUL-terminated; NULL when empty */
	size_t body_len;
	bool body_too_large;                  /* more than REQUEST_MAX_BODY_BYTES */
};

/* Reads the request of exchange. Caller frees with request_free. */
void request_read(struct request *request, const struct exchange *exchange,
		  const char *app_base_path);

void request_free(struct request *request);

/*
 * Writes into path the path of request_uri without its query string and
 * without base_path ("" or "/prefix"). Returns false (path "") when the URI
 * does not start with base_path as a whole segment or does not fit.
 */
bool request_path_from_uri(const char *request_uri, const char *base_path,
			   char *path, size_t path_size);

/* True for "application/json", any case, with optional ";parameters". */
bool request_content_type_is_json(const char *content_type);

/*
 * Checks a POST/PUT body in order: 413 too large, 415 not JSON, 400 not a
 * JSON object. On success *object is the parsed body; caller frees with
 * cJSON_Delete.
 */
struct error request_json_object(const struct request *request, cJSON **object);

#endif
