/*
 * members.fcgi: the external members of a room (Meet 3.8.0 calls them
 * identified guests; this API keeps the tutorial's word).
 *
 *   POST   /rooms/{roomId}/members                  {name, baseRole, customPermissions?} -> 201 {message, member}
 *   GET    /rooms/{roomId}/members                  -> 200 {members} (external only, every page)
 *   PUT    /rooms/{roomId}/members/{memberId}       {baseRole?, customPermissions?} -> 200 {message, member}
 *   DELETE /rooms/{roomId}/members/{memberId}       -> 200 {message}
 *   GET    /rooms/{roomId}/members/{memberId}/qr    -> 200 image/svg+xml, the access link as a QR code
 */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <string.h>

#include "app.h"
#include "qr.h"
#include "response.h"

/* {message, member} with Meet's member as `member` (taken from result). */
static void answer_with_member(struct response *out, int status, const char *message,
			       struct meet_result *result)
{
	cJSON *answer = response_message_object(message);

	if (cJSON_AddItemToObject(answer, "member", result->json))
		result->json = NULL;  /* now owned by answer */
	response_set_json(out, status, answer);
}

static struct error add_member(const struct app_call *call, struct response *out)
{
	struct member_input input;
	struct error error = validate_member_create(call->body, &input);
	struct meet_result result;
	char message[VALIDATE_NAME_MAX_BYTES + VALIDATE_ID_MAX + 64];

	if (error_is_set(&error))
		return error;
	result = meet_client_add_member(call->meet, call->room_id, input.name,
					input.base_role, input.custom_permissions);
	error = app_meet_error(call, &result);
	if (!error_is_set(&error)) {
		snprintf(message, sizeof message, "Member '%s' added successfully to room '%s'",
			 input.name, call->room_id);
		answer_with_member(out, 201, message, &result);
	}
	meet_result_free(&result);
	return error;
}

static struct error list_members(const struct app_call *call, struct response *out)
{
	struct meet_result result = meet_client_list_external_members(call->meet, call->room_id);
	struct error error = app_meet_error(call, &result);

	if (!error_is_set(&error)) {
		cJSON *answer = cJSON_CreateObject();
		if (cJSON_AddItemToObject(answer, "members", result.json))
			result.json = NULL;  /* now owned by answer */
		response_set_json(out, 200, answer);
	}
	meet_result_free(&result);
	return error;
}

static struct error update_member(const struct app_call *call, struct response *out)
{
	struct member_input input;
	struct error error = validate_member_update(call->body, &input);
	struct meet_result result;

	if (error_is_set(&error))
		return error;
	result = meet_client_update_member(call->meet, call->room_id, call->member_id,
					   input.base_role, input.custom_permissions);
	error = app_meet_error(call, &result);
	if (!error_is_set(&error))
		answer_with_member(out, 200, "Member updated successfully", &result);
	meet_result_free(&result);
	return error;
}

static struct error delete_member(const struct app_call *call, struct response *out)
{
	struct meet_result result = meet_client_delete_member(call->meet, call->room_id,
							       call->member_id);
	struct error error = app_meet_error(call, &result);
	const cJSON *message = cJSON_GetObjectItemCaseSensitive(result.json, "message");

	if (!error_is_set(&error))
		response_set_json(out, 200, response_message_object(
			cJSON_IsString(message) ? message->valuestring : "Member deleted successfully"));
	meet_result_free(&result);
	return error;
}

/* The QR code of the member's access link, made here so the link never
 * travels to a third-party QR service. */
static struct error member_qr(const struct app_call *call, struct response *out)
{
	struct meet_result result = meet_client_get_member(call->meet, call->room_id,
							    call->member_id);
	struct error error = app_meet_error(call, &result);
	const cJSON *access_url = cJSON_GetObjectItemCaseSensitive(result.json, "accessUrl");
	char *svg;
	size_t svg_len;

	if (error_is_set(&error))
		goto out;
	if (!cJSON_IsString(access_url)
	    || (strncmp(access_url->valuestring, "https://", 8) != 0
		&& strncmp(access_url->valuestring, "http://", 7) != 0)) {
		error = error_make(502, "OpenVidu Meet sent a member without an access link");
		goto out;
	}
	svg = qr_svg(access_url->valuestring, &svg_len);
	if (svg == NULL) {
		error = error_make(500, "The access link could not be encoded as a QR code");
		goto out;
	}
	response_set_body(out, 200, "image/svg+xml", svg, svg_len);
out:
	meet_result_free(&result);
	return error;
}

static const struct route routes[] = {
	{ "POST", "/rooms/{roomId}/members", add_member },
	{ "GET", "/rooms/{roomId}/members", list_members },
	{ "PUT", "/rooms/{roomId}/members/{memberId}", update_member },
	{ "DELETE", "/rooms/{roomId}/members/{memberId}", delete_member },
	{ "GET", "/rooms/{roomId}/members/{memberId}/qr", member_qr },
};

int main(void)
{
	return app_run(routes, sizeof routes / sizeof routes[0]);
}
