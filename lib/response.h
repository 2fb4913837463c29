/*
 * response: the answer to the current request, built then written once.
 *
 * Handlers fill a struct response (Meet's JSON through response_meet_json,
 * other JSON through response_set_json, other bodies through
 * response_set_body); the program's loop writes it with
 * response_write. Errors become {"message": ...} in response_set_error and
 * nowhere else. Every answer carries Cache-Control: no-store, because room
 * and member lists hold access links.
 */
#ifndef MEET_RESPONSE_H
#define MEET_RESPONSE_H

#include <cjson/cJSON.h>
#include <stddef.h>

#include "error.h"
#include "exchange.h"
#include "meet_client.h"

enum { RESPONSE_FILENAME_MAX = 128 };

struct response {
	int status;
	const char *content_type;  /* static string */
	char *body;                /* owned; freed by response_free */
	size_t body_len;
	const char *allow;         /* static "Allow" value, or NULL */
	/* The name a browser saves the body under (Content-Disposition:
	 * attachment), set by response_set_attachment; "" shows it. */
	char attachment[RESPONSE_FILENAME_MAX];
};

void response_init(struct response *response);

/* Serialises json as the body and frees json (ownership passes here). */
void response_set_json(struct response *response, int status, cJSON *json);

/*
 * Answers {message, <key>: item} (no message when it is NULL), as in
 * 201 {message, room}. Takes item (freed here whatever happens); when any
 * part cannot be built the answer is a bodiless 500, never a partial one.
 */
void response_set_json_item(struct response *response, int status, const char *message,
			    const char *key, cJSON *item);

/* response_set_json_item with Meet's JSON: takes result->json, leaving NULL
 * there; the caller still frees result with meet_result_free. */
void response_meet_json(struct response *response, int status, const char *message,
			const char *key, struct meet_result *result);

/* Takes ownership of body (malloc'ed); content_type must be static. */
void response_set_body(struct response *response, int status,
		       const char *content_type, char *body, size_t body_len);

/*
 * Makes the answer a download saved as filename. The name is written into a
 * header as it is, so only 1 to RESPONSE_FILENAME_MAX - 1 letters, digits,
 * '.', '-' and '_' are taken; returns -1 and changes nothing otherwise. An
 * error answer is never a download.
 */
int response_set_attachment(struct response *response, const char *filename);

/* The one place an error becomes an answer: {"message": error->message}. */
void response_set_error(struct response *response, const struct error *error);

/* A JSON object {"message": message}; caller frees with cJSON_Delete. */
cJSON *response_message_object(const char *message);

/* Writes status line, headers and body to the web server (FastCGI or CGI). */
void response_write(const struct response *response, const struct exchange *exchange);

void response_free(struct response *response);

/* "Not Found" for 404; "" for codes it does not know. */
const char *response_reason_phrase(int status);

#endif
