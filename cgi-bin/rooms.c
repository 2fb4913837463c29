/*
 * rooms.fcgi: the rooms of OpenVidu Meet.
 *
 *   POST   /rooms                             {roomName} -> 201 {message, room}
 *   GET    /rooms                             -> 200 {rooms} (every page)
 *   DELETE /rooms/{roomId}                    -> Meet's 200/202 {message}, or its 409/404
 *   DELETE /rooms/{roomId}/anonymous-access   -> 200 {message, room: {roomId, anonymousAccess}}
 *
 * A room in any answer is lib/room_view's allow-list, never Meet's object:
 * Meet's has the secret URLs of the anonymous links.
 */
#include <cjson/cJSON.h>
#include <stdio.h>

#include "app.h"
#include "error.h"
#include "meet_client.h"
#include "response.h"
#include "room_view.h"
#include "router.h"
#include "validate.h"

/* Reduces Meet's room (or array of rooms) in result to the app's view. */
static struct error room_view_answer(struct meet_result *result, bool (*view)(cJSON *json))
{
	if (!view(result->json))
		return error_make(502, "OpenVidu Meet sent a room the app cannot read");
	return error_none();
}

static struct error create_room(const struct app_call *call, struct response *out)
{
	const struct room_input *room = &call->input.room;
	struct meet_result result = meet_client_create_room(call->meet, room->room_name,
							    call->app->config.room_anonymous_access);
	struct error error = app_meet_error(call, &result);
	char message[VALIDATE_NAME_MAX_BYTES + 64];

	if (!error_is_set(&error))
		error = room_view_answer(&result, room_view_in_place);
	if (!error_is_set(&error)) {
		snprintf(message, sizeof message, "Room '%s' created successfully", room->room_name);
		response_meet_json(out, 201, message, "room", &result);
	}
	meet_result_free(&result);
	return error;
}

static struct error list_rooms(const struct app_call *call, struct response *out)
{
	struct meet_result result = meet_client_list_rooms(call->meet);
	struct error error = app_meet_error(call, &result);

	if (!error_is_set(&error))
		error = room_view_answer(&result, room_view_list_in_place);
	if (!error_is_set(&error))
		response_meet_json(out, 200, NULL, "rooms", &result);
	meet_result_free(&result);
	return error;
}

/* Meet's 200 (deleted) and 202 (scheduled) both pass through with its message. */
static struct error delete_room(const struct app_call *call, struct response *out)
{
	struct meet_result result = meet_client_delete_room(call->meet, call->room_id);
	struct error error = app_meet_error(call, &result);
	const cJSON *message = cJSON_GetObjectItemCaseSensitive(result.json, "message");

	if (!error_is_set(&error)) {
		char fallback[VALIDATE_ID_MAX + 64];
		snprintf(fallback, sizeof fallback, "Room '%s' deleted successfully", call->room_id);
		response_set_json(out, result.http_status,
				  response_message_object(cJSON_IsString(message) ? message->valuestring
										   : fallback));
	}
	meet_result_free(&result);
	return error;
}

/* Turns off a room's anonymous links (made elsewhere, or before rooms were
 * created without them): afterwards only member links get in. */
static struct error disable_anonymous_access(const struct app_call *call, struct response *out)
{
	struct meet_result result = meet_client_disable_anonymous_access(call->meet, call->room_id);
	struct error error = app_meet_error(call, &result);
	char message[VALIDATE_ID_MAX + 96];

	if (!error_is_set(&error)) {
		/* Meet's answer holds the old links' URLs: none of it is passed on. */
		cJSON *room = cJSON_CreateObject();
		if (room != NULL && (!cJSON_AddStringToObject(room, "roomId", call->room_id)
				     || !cJSON_AddFalseToObject(room, "anonymousAccess"))) {
			cJSON_Delete(room);
			room = NULL;
		}
		snprintf(message, sizeof message,
			 "Anonymous links of room '%s' turned off: only members get in", call->room_id);
		response_set_json_item(out, 200, message, "room", room);
	}
	meet_result_free(&result);
	return error;
}

static const struct route routes[] = {
	{ "POST", "/rooms", validate_room_input, create_room },
	{ "GET", "/rooms", NULL, list_rooms },
	{ "DELETE", "/rooms/{roomId}", NULL, delete_room },
	{ "DELETE", "/rooms/{roomId}/anonymous-access", NULL, disable_anonymous_access },
};

const struct program rooms_program = { "rooms", routes, sizeof routes / sizeof routes[0] };
