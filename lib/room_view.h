/*
 * room_view: the only fields of a Meet room the app ever answers with.
 *
 * Meet's room carries secrets (the anonymous access URLs with their
 * ?secret=) and fields a later Meet may add. The app's answers keep an
 * allow-list: roomId, roomName, creationDate, status, and
 * anonymousAccess, a boolean saying whether any anonymous link (moderator,
 * speaker or recording) is still on. Whatever else Meet sends is dropped.
 */
#ifndef MEET_ROOM_VIEW_H
#define MEET_ROOM_VIEW_H

#include <cjson/cJSON.h>
#include <stdbool.h>

/*
 * Turns a room of Meet into the app's view, in place: keys outside the
 * allow-list are removed, `access` becomes `anonymousAccess` (true, false,
 * or null when Meet did not say). Returns false when room is not an object
 * or memory ran out (room is then unusable: the caller answers 500/502).
 */
bool room_view_in_place(cJSON *room);

/* The same for every room of an array; false as above for any of them. */
bool room_view_list_in_place(cJSON *rooms);

#endif
