#include "request.h"

#include <fcgi_stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static void copy_env(const char *name, char *out, size_t out_size)
{
	const char *value = getenv(name);

	out[0] = '\0';
	if (value != NULL && strlen(value) < out_size)
		strcpy(out, value);
}

/* Reads the body; past the limit it keeps reading and discarding so the web
 * server is not left writing into a closed pipe. */
static void read_body(struct request *request)
{
	const char *length_text = getenv("CONTENT_LENGTH");
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
			request->body_len = fread(request->body, 1, (size_t)declared, stdin);
			request->body[request->body_len] = '\0';
			return;
		}
	}
	while ((got = fread(scrap, 1, sizeof scrap, stdin)) > 0)
		;
}

void request_read(struct request *request, const char *app_base_path)
{
	const char *uri = getenv("REQUEST_URI");

	memset(request, 0, sizeof *request);
	copy_env("REQUEST_METHOD", request->method, sizeof request->method);
	copy_env("CONTENT_TYPE", request->content_type, sizeof request->content_type);
	request_path_from_uri(uri ? uri : "", app_base_path, request->path, sizeof request->path);
	read_body(request);
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

struct error request_json_object(const struct request *request, cJSON **object)
{
	*object = NULL;
	if (request->body_too_large)
		return error_make(413, "The request body is larger than %d bytes", REQUEST_MAX_BODY_BYTES);
	if (!request_content_type_is_json(request->content_type))
		return error_make(415, "The request body must be JSON (Content-Type: application/json)");
	if (request->body == NULL)
		return error_make(400, "The request body must be a JSON object");
	*object = cJSON_ParseWithLength(request->body, request->body_len);
	if (*object == NULL)
		return error_make(400, "The request body is not valid JSON");
	if (!cJSON_IsObject(*object)) {
		cJSON_Delete(*object);
		*object = NULL;
		return error_make(400, "The request body must be a JSON object");
	}
	return error_none();
}
