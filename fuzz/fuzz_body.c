/*
 * fuzz_body: a POST/PUT body and its Content-Type, as lib/app.c checks them.
 *
 * Input: "CONTENT_TYPE\nBODY". request_json_object decides 413/415/400 or
 * hands over the object, which then goes through every body validator
 * (each route's validate_body); a failure becomes the JSON error answer, as
 * response_set_error writes it.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "meet_client.h"
#include "request.h"
#include "response.h"
#include "validate.h"

static void answer(const struct error *error)
{
	struct response response;

	if (!error_is_set(error))
		return;
	if (error->status < 400 || error->status > 499)
		abort();
	response_init(&response);
	response_set_error(&response, error);
	if (response.body == NULL)
		abort();
	response_free(&response);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct request request = { .method = "POST", .path = "/rooms" };
	const uint8_t *newline = memchr(data, '\n', size);
	size_t type_len = newline ? (size_t)(newline - data) : 0;
	union body_input input;
	struct error error;
	cJSON *body = NULL;

	if (newline == NULL || type_len >= sizeof request.content_type)
		return 0;
	memcpy(request.content_type, data, type_len);
	request.content_type[type_len] = '\0';
	request.body_len = size - type_len - 1;
	request.body_too_large = request.body_len > REQUEST_MAX_BODY_BYTES;
	if (request.body_len > 0) {
		/* request_read gives a NUL-terminated copy; the parser must not need it. */
		request.body = malloc(request.body_len);
		if (request.body == NULL)
			return 0;
		memcpy(request.body, newline + 1, request.body_len);
	}

	error = request_json_object(&request, &body);
	answer(&error);
	/* cJSON reads a string only up to a NUL: an accepted body has none. */
	if (body != NULL && memchr(request.body, '\0', request.body_len) != NULL)
		abort();
	if (body != NULL) {
		error = validate_room_input(body, &input);
		answer(&error);
		if (!error_is_set(&error)) {
			cJSON *out = meet_room_create_body(input.room.room_name, false);
			char *text = cJSON_PrintUnformatted(out);
			cJSON_free(text);
			cJSON_Delete(out);
		}
		error = validate_member_create(body, &input);
		answer(&error);
		error = validate_member_update(body, &input);
		answer(&error);
	}
	(void)validate_utf8_text_chars((const char *)data, size);
	cJSON_Delete(body);
	free(request.body);
	return 0;
}
