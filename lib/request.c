#include "request.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "json.h"

static void copy_param(const struct exchange *exchange, const char *name,
		       char *out, size_t out_size)
{
	const char *value = exchange_param(exchange, name);

	out[0] = '\0';
	if (value != NULL && strlen(value) < out_size)
		strcpy(out, value);
}

/* Reads the body; past the limit it keeps reading and discarding so the web
 * server is not left writing into a closed pipe. */
static void read_body(struct request *request, const struct exchange *exchange)
{
	const char *length_text = exchange_param(exchange, "CONTENT_LENGTH");
	long declared = length_text ? strtol(length_text, NULL, 10) : 0;
	char scrap[4096];
	size_t got;

	if (declared <= 0)
		return;
	if (declared > REQUEST_MAX_BODY_BYTES) {
		request->body_too_large = true;
	} else {
		request->body = malloc((size_t)declared + 1);
		if (request->body == NULL) {
			request->body_too_large = true;
		} else {
			request->body_len = exchange_read(exchange, request->body, (size_t)declared);
			request->body[request->body_len] = '\0';
			return;
		}
	}
	while ((got = exchange_read(exchange, scrap, sizeof scrap)) > 0)
		;
}

void request_read(struct request *request, const struct exchange *exchange,
		  const char *app_base_path)
{
	const char *uri = exchange_param(exchange, "REQUEST_URI");

	memset(request, 0, sizeof *request);
	copy_param(exchange, "REQUEST_METHOD", request->method, sizeof request->method);
	copy_param(exchange, "CONTENT_TYPE", request->content_type, sizeof request->content_type);
	copy_param(exchange, "REMOTE_USER", request->remote_user, sizeof request->remote_user);
	copy_param(exchange, "REMOTE_ADDR", request->remote_addr, sizeof request->remote_addr);
	copy_param(exchange, "HTTP_HOST", request->host, sizeof request->host);
	request_path_from_uri(uri ? uri : "", app_base_path, request->path, sizeof request->path);
	read_body(request, exchange);
}

void request_free(struct request *request)
{
	free(request->body);
	request->body = NULL;
	request->body_len = 0;
}

bool request_path_from_uri(const char *request_uri, const char *base_path,
			   char *path, size_t path_size)
{
	size_t base_len = strlen(base_path);
	size_t len = strcspn(request_uri, "?#");

	path[0] = '\0';
	if (strncmp(request_uri, base_path, base_len) != 0)
		return false;
	request_uri += base_len;
	len -= base_len;
	if (len == 0 || request_uri[0] != '/' || len >= path_size)
		return false;
	memcpy(path, request_uri, len);
	path[len] = '\0';
	return true;
}

bool request_content_type_is_json(const char *content_type)
{
	static const char json[] = "application/json";
	size_t len = sizeof json - 1;

	while (*content_type == ' ')
		content_type++;
	if (strncasecmp(content_type, json, len) != 0)
		return false;
	content_type += len;
	while (*content_type == ' ')
		content_type++;
	return *content_type == '\0' || *content_type == ';';
}

/* cJSON ends a string at a NUL, raw or escaped ("a\u0000b" reads as "a"), so the
 * validators would check less than was sent. An escape is a backslash
 * preceded by an even number of backslashes. */
static bool has_nul(const char *text, size_t len)
{
	static const char escape[] = "\\u0000";

	/* A raw NUL is not JSON either, but cJSON reads a string up to it. */
	if (memchr(text, '\0', len) != NULL)
		return true;
	for (const char *at = text; (at = memmem(at, len - (size_t)(at - text), escape, 6)) != NULL; at++) {
		size_t backslashes = 0;
		while (at - (ptrdiff_t)backslashes > text && at[-1 - (ptrdiff_t)backslashes] == '\\')
			backslashes++;
		if (backslashes % 2 == 0)
			return true;
	}
	return false;
}

static bool only_whitespace(const char *at, const char *end)
{
	while (at < end && (*at == ' ' || *at == '\t' || *at == '\n' || *at == '\r'))
		at++;
	return at == end;
}

static int compare_keys(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* cJSON reads the first of two equal keys, other parsers the last: refuse
 * the ambiguity, in every object of the body (sorted: linear-logarithmic). */
static bool has_duplicate_keys(const cJSON *item)
{
	const cJSON *child;
	size_t count = 0;
	bool duplicate = false;

	for (child = item->child; child != NULL; child = child->next) {
		if (has_duplicate_keys(child))
			return true;
		count++;
	}
	if (!cJSON_IsObject(item) || count < 2)
		return false;
	const char **keys = malloc(count * sizeof *keys);
	if (keys == NULL)
		return true;  /* refused rather than unchecked */
	count = 0;
	for (child = item->child; child != NULL; child = child->next)
		keys[count++] = child->string ? child->string : "";
	qsort(keys, count, sizeof *keys, compare_keys);
	for (size_t i = 1; i < count && !duplicate; i++)
		duplicate = strcmp(keys[i - 1], keys[i]) == 0;
	free(keys);
	return duplicate;
}

struct error request_json_object(const struct request *request, cJSON **object)
{
	const char *end = NULL;

	*object = NULL;
	if (request->body_too_large)
		return error_make(413, "The request body is larger than %d bytes", REQUEST_MAX_BODY_BYTES);
	if (!request_content_type_is_json(request->content_type))
		return error_make(415, "The request body must be JSON (Content-Type: application/json)");
	if (request->body == NULL)
		return error_make(400, "The request body must be a JSON object");
	if (has_nul(request->body, request->body_len))
		return error_make(400, "The request body holds a NUL character (\\u0000)");
	*object = json_parse(request->body, request->body_len, &end);
	if (*object == NULL || !only_whitespace(end, request->body + request->body_len)) {
		cJSON_Delete(*object);
		*object = NULL;
		return error_make(400, "The request body is not valid JSON");
	}
	if (has_duplicate_keys(*object)) {
		cJSON_Delete(*object);
		*object = NULL;
		return error_make(400, "The request body names a field twice");
	}
	if (!cJSON_IsObject(*object)) {
		cJSON_Delete(*object);
		*object = NULL;
		return error_make(400, "The request body must be a JSON object");
	}
	return error_none();
}
