#include "response.h"

#include <stdbool.h>
#include <stdio.h>
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

/*
 * cJSON prints a number that does not fit an int (Meet's millisecond
 * timestamps) with sprintf("%1.15g") and reads it back with sscanf to check
 * it: two thirds of the cost of printing a list of rooms. A whole number
 * below 10^15 prints the same digits either way, so such numbers become raw
 * JSON text printed here. Only for a tree about to be printed and freed.
 */
static void whole_numbers_as_text(cJSON *item)
{
	for (; item != NULL; item = item->next) {
		if (item->child != NULL)
			whole_numbers_as_text(item->child);
		double value = item->valuedouble;
		if (!cJSON_IsNumber(item) || value == (double)item->valueint
		    || !(value > -1e15 && value < 1e15) || value != (double)(long long)value)
			continue;
		char digits[24];
		char *end = digits + sizeof digits;
		char *at = end;
		unsigned long long magnitude = (unsigned long long)(value < 0 ? -value : value);
		do
			*--at = (char)('0' + magnitude % 10);
		while ((magnitude /= 10) != 0);
		if (value < 0)
			*--at = '-';
		char *text = malloc((size_t)(end - at) + 1);
		if (text == NULL)
			continue;  /* cJSON prints it the slow way */
		memcpy(text, at, (size_t)(end - at));
		text[end - at] = '\0';
		/* cJSON_Delete frees a raw item's text like a string's. */
		item->type = cJSON_Raw;
		item->valuestring = text;
	}
}

void response_set_json(struct response *response, int status, cJSON *json)
{
	char *text = NULL;

	if (json != NULL) {
		whole_numbers_as_text(json);
		text = cJSON_PrintUnformatted(json);
	}

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

void response_set_json_item(struct response *response, int status, const char *message,
			    const char *key, cJSON *item)
{
	cJSON *answer = item == NULL ? NULL
		      : message != NULL ? response_message_object(message) : cJSON_CreateObject();

	if (answer == NULL || !cJSON_AddItemToObject(answer, key, item)) {
		cJSON_Delete(item);
		cJSON_Delete(answer);
		answer = NULL;  /* response_set_json makes it a 500 */
	}
	response_set_json(response, status, answer);
}

void response_meet_json(struct response *response, int status, const char *message,
			const char *key, struct meet_result *result)
{
	cJSON *item = result->json;

	result->json = NULL;  /* now owned by the answer */
	response_set_json_item(response, status, message, key, item);
}

int response_set_attachment(struct response *response, const char *filename)
{
	size_t len = strspn(filename, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_");

	if (len == 0 || filename[len] != '\0' || len >= sizeof response->attachment)
		return -1;
	memcpy(response->attachment, filename, len + 1);
	return 0;
}

void response_set_error(struct response *response, const struct error *error)
{
	response_set_json(response, error->status, response_message_object(error->message));
	response->allow = error->allow;
	response->attachment[0] = '\0';
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

void response_write(const struct response *response, const struct exchange *exchange)
{
	const char *body = response->body;
	size_t body_len = response->body_len;
	int status = response->status;
	const char *attachment = response->attachment;

	if (body == NULL) {
		body = fallback_body;
		body_len = sizeof fallback_body - 1;
		status = 500;
		attachment = "";
	}
	/* The header values are ours (status, static strings, a checked file
	 * name of bounded length), so they always fit. */
	bool download = attachment[0] != '\0';
	char head[512];
	int head_len = snprintf(head, sizeof head,
				"Status: %d %s\r\nContent-Type: %s\r\nContent-Length: %zu\r\n"
				"Cache-Control: no-store\r\n%s%s%s%s%s%s\r\n",
				status, response_reason_phrase(status),
				response->content_type ? response->content_type : JSON_TYPE, body_len,
				response->allow ? "Allow: " : "", response->allow ? response->allow : "",
				response->allow ? "\r\n" : "",
				download ? "Content-Disposition: attachment; filename=\"" : "",
				download ? attachment : "", download ? "\"\r\n" : "");
	if (head_len < 0 || (size_t)head_len >= sizeof head)
		return;
	exchange_write(exchange, head, (size_t)head_len);
	exchange_write(exchange, body, body_len);
}

void response_free(struct response *response)
{
	free(response->body);
	response_init(response);
}
