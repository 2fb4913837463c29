#include "response.h"

#include <fcgi_stdio.h>
#include <stdlib.h>
#include <string.h>

#define JSON_TYPE "application/json"

/* Written when even building an error fails (out of memory). */
static const char fallback_body[] = "{\"message\":\"Internal server error\"}";

void response_init(struct response *response)
{
	memset(response, 0, sizeof *response);
}

void response_set_body(struct response *response, int status,
		       const char *content_type, char *body, size_t body_len)
{
	free(response->body);
	response->status = status;
	response->content_type = content_type;
	response->body = body;
	response->body_len = body_len;
}

void response_set_json(struct response *response, int status, cJSON *json)
{
	char *text = json ? cJSON_PrintUnformatted(json) : NULL;

	cJSON_Delete(json);
	if (text == NULL) {
		response_set_body(response, 500, JSON_TYPE, NULL, 0);
		return;
	}
	/* cJSON allocates with malloc by default, so free() releases it. */
	response_set_body(response, status, JSON_TYPE, text, strlen(text));
}

cJSON *response_message_object(const char *message)
{
	cJSON *object = cJSON_CreateObject();

	if (object != NULL && cJSON_AddStringToObject(object, "message", message) == NULL) {
		cJSON_Delete(object);
		object = NULL;
	}
	return object;
}

void response_set_error(struct response *response, const struct error *error)
{
	response_set_json(response, error->status, response_message_object(error->message));
	response->allow = error->allow;
}

const char *response_reason_phrase(int status)
{
	switch (status) {
	case 200: return "OK";
	case 201: return "Created";
	case 202: return "Accepted";
	case 400: return "Bad Request";
	case 401: return "Unauthorized";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 409: return "Conflict";
	case 413: return "Content Too Large";
	case 415: return "Unsupported Media Type";
	case 422: return "Unprocessable Content";
	case 429: return "Too Many Requests";
	case 500: return "Internal Server Error";
	case 502: return "Bad Gateway";
	case 504: return "Gateway Timeout";
	default: return "";
	}
}

void response_write(const struct response *response)
{
	const char *body = response->body;
	size_t body_len = response->body_len;
	int status = response->status;

	if (body == NULL) {
		body = fallback_body;
		body_len = sizeof fallback_body - 1;
		status = 500;
	}
	printf("Status: %d %s\r\n", status, response_reason_phrase(status));
	printf("Content-Type: %s\r\n", response->content_type ? response->content_type : JSON_TYPE);
	/* libfcgi has its own printf, which knows no %zu. */
	printf("Content-Length: %lu\r\n", (unsigned long)body_len);
	printf("Cache-Control: no-store\r\n");
	if (response->allow != NULL)
		printf("Allow: %s\r\n", response->allow);
	printf("\r\n");
	/* libfcgi's fwrite takes a non-const pointer but does not write through it. */
	fwrite((void *)body, 1, body_len, stdout);
}

void response_free(struct response *response)
{
	free(response->body);
	response_init(response);
}
