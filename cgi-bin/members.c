/*
 * members.fcgi: the external members of a room (Meet 3.8.0 calls them
 * identified guests; this API keeps the tutorial's word).
 *
 *   POST   /rooms/{roomId}/members                  {name, baseRole, customPermissions?} -> 201 {message, member}
 *   GET    /rooms/{roomId}/members                  -> 200 {members} (external only, every page)
 *   GET    /rooms/{roomId}/members.csv              -> 200 text/csv, name,role,link of the same members
 *   PUT    /rooms/{roomId}/members/{memberId}       {baseRole?, customPermissions?} -> 200 {message, member}
 *   DELETE /rooms/{roomId}/members/{memberId}       -> 200 {message}
 *   GET    /rooms/{roomId}/members/{memberId}/qr    -> 200 image/svg+xml, the access link as a QR code
 */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "csv.h"
#include "error.h"
#include "meet_client.h"
#include "qr.h"
#include "response.h"
#include "router.h"
#include "validate.h"

static struct error add_member(const struct app_call *call, struct response *out)
{
	const struct member_input *member = &call->input.member;
	struct meet_result result = meet_client_add_member(call->meet, call->room_id, member->name,
							    member->base_role,
							    member->custom_permissions);
	struct error error = app_meet_error(call, &result);
	char message[VALIDATE_NAME_MAX_BYTES + VALIDATE_ID_MAX + 64];

	if (!error_is_set(&error)) {
		snprintf(message, sizeof message, "Member '%s' added successfully to room '%s'",
			 member->name, call->room_id);
		response_meet_json(out, 201, message, "member", &result);
	}
	meet_result_free(&result);
	return error;
}

static struct error list_members(const struct app_call *call, struct response *out)
{
	struct meet_result result = meet_client_list_external_members(call->meet, call->room_id);
	struct error error = app_meet_error(call, &result);

	if (!error_is_set(&error))
		response_meet_json(out, 200, NULL, "members", &result);
	meet_result_free(&result);
	return error;
}

/* A member's field as CSV cell text: "" when Meet left it out. */
static const char *text_field(const cJSON *member, const char *field)
{
	const cJSON *item = cJSON_GetObjectItemCaseSensitive(member, field);

	return cJSON_IsString(item) ? item->valuestring : "";
}

/* The list above as a spreadsheet file of links to hand out, saved as
 * {roomId}-members.csv; lib/csv.c does the quoting and the formula guard. */
static struct error members_csv(const struct app_call *call, struct response *out)
{
	static const char *const header[] = { "name", "role", "link" };
	enum { COLUMNS = sizeof header / sizeof header[0] };
	struct meet_result result = meet_client_list_external_members(call->meet, call->room_id);
	struct error error = app_meet_error(call, &result);
	const char **cells = NULL;
	const cJSON *member;
	char filename[RESPONSE_FILENAME_MAX];
	char *csv;
	size_t rows, at = COLUMNS, csv_len;

	if (error_is_set(&error))
		goto out;
	rows = 1 + (size_t)cJSON_GetArraySize(result.json);
	cells = calloc(rows * COLUMNS, sizeof *cells);
	if (cells == NULL) {
		error = error_make(500, "Out of memory");
		goto out;
	}
	memcpy(cells, header, sizeof header);
	cJSON_ArrayForEach(member, result.json) {
		cells[at++] = text_field(member, "name");
		cells[at++] = text_field(member, "baseRole");
		cells[at++] = text_field(member, "accessUrl");
	}
	csv = csv_table(cells, rows, COLUMNS, &csv_len);
	if (csv == NULL) {
		error = error_make(500, "Out of memory");
		goto out;
	}
	response_set_body(out, 200, "text/csv; charset=utf-8", csv, csv_len);
	/* The room id passed validate_id, so the name is always taken. */
	snprintf(filename, sizeof filename, "%s-members.csv", call->room_id);
	response_set_attachment(out, filename);
out:
	free(cells);
	meet_result_free(&result);
	return error;
}

static struct error update_member(const struct app_call *call, struct response *out)
{
	const struct member_input *member = &call->input.member;
	struct meet_result result = meet_client_update_member(call->meet, call->room_id,
							       call->member_id, member->base_role,
							       member->custom_permissions);
	struct error error = app_meet_error(call, &result);

	if (!error_is_set(&error))
		response_meet_json(out, 200, "Member updated successfully", "member", &result);
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
	{ "POST", "/rooms/{roomId}/members", validate_member_create, add_member },
	{ "GET", "/rooms/{roomId}/members", NULL, list_members },
	{ "GET", "/rooms/{roomId}/members.csv", NULL, members_csv },
	{ "PUT", "/rooms/{roomId}/members/{memberId}", validate_member_update, update_member },
	{ "DELETE", "/rooms/{roomId}/members/{memberId}", NULL, delete_member },
	{ "GET", "/rooms/{roomId}/members/{memberId}/qr", NULL, member_qr },
};

const struct program members_program = { "members", routes, sizeof routes / sizeof routes[0] };
