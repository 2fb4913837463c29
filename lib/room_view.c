/* room_view: see room_view.h. */
#include "room_view.h"

#include <stddef.h>
#include <string.h>

static const char *const kept_fields[] = { "roomId", "roomName", "creationDate", "status" };

static bool is_kept(const char *name)
{
	for (size_t i = 0; i < sizeof kept_fields / sizeof kept_fields[0]; i++)
		if (strcmp(name, kept_fields[i]) == 0)
			return true;
	return false;
}

/* True, false, or NULL-json (unknown) from access.anonymous.*.enabled. */
static cJSON *anonymous_access_of(const cJSON *room)
{
	const cJSON *access = cJSON_GetObjectItemCaseSensitive(room, "access");
	const cJSON *anonymous = cJSON_GetObjectItemCaseSensitive(access, "anonymous");
	const cJSON *role;
	bool known = false;

	if (!cJSON_IsObject(anonymous))
		return cJSON_CreateNull();
	cJSON_ArrayForEach(role, anonymous) {
		const cJSON *enabled = cJSON_GetObjectItemCaseSensitive(role, "enabled");
		if (cJSON_IsTrue(enabled))
			return cJSON_CreateTrue();
		known = known || cJSON_IsFalse(enabled);
	}
	return known ? cJSON_CreateFalse() : cJSON_CreateNull();
}

bool room_view_in_place(cJSON *room)
{
	cJSON *anonymous;
	cJSON *item;
	cJSON *next;

	if (!cJSON_IsObject(room))
		return false;
	anonymous = anonymous_access_of(room);
	if (anonymous == NULL)
		return false;
	for (item = room->child; item != NULL; item = next) {
		next = item->next;
		if (item->string == NULL || !is_kept(item->string))
			cJSON_Delete(cJSON_DetachItemViaPointer(room, item));
	}
	if (!cJSON_AddItemToObject(room, "anonymousAccess", anonymous)) {
		cJSON_Delete(anonymous);
		return false;
	}
	return true;
}

bool room_view_list_in_place(cJSON *rooms)
{
	cJSON *room;

	if (!cJSON_IsArray(rooms))
		return false;
	cJSON_ArrayForEach(room, rooms)
		if (!room_view_in_place(room))
			return false;
	return true;
}
