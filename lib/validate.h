/*
 * validate: the allow-lists every input passes before it is used.
 *
 * Handlers receive only the structs filled here (or ids checked here), so
 * nothing unchecked reaches a URL, a log line or Meet. A route names its
 * body validator in its table entry (router.h); lib/app.c runs it. Each failure is a 400
 * error whose message names the field and the rule. Text is counted in
 * characters (UTF-8 code points); invalid UTF-8 and control characters are
 * refused.
 */
#ifndef MEET_VALIDATE_H
#define MEET_VALIDATE_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>

#include "error.h"

enum {
	VALIDATE_ID_MAX = 100,          /* roomId, memberId: [A-Za-z0-9_-]{1,100} */
	VALIDATE_NAME_MAX_CHARS = 50,   /* roomName, name */
	VALIDATE_NAME_MAX_BYTES = 4 * VALIDATE_NAME_MAX_CHARS,
	VALIDATE_ROLE_MAX = 16,
	VALIDATE_PERMISSION_NAME_MAX = 64,
	VALIDATE_PERMISSIONS_MAX = 32,
};

struct room_input {
	char room_name[VALIDATE_NAME_MAX_BYTES + 1];
};

struct member_input {
	char name[VALIDATE_NAME_MAX_BYTES + 1];  /* trimmed; "" on update */
	char base_role[VALIDATE_ROLE_MAX];       /* "" when absent (update only) */
	/* {name: bool, ...} checked; points into the request body, which owns it;
	 * NULL when absent. */
	const cJSON *custom_permissions;
};

/* What a body validator fills: the member its comment below names. */
union body_input {
	struct room_input room;
	struct member_input member;
};

/* A route's check of its JSON object body (struct route): fills out, or
 * returns a 400 naming the field. */
typedef struct error (*body_validator)(const cJSON *body, union body_input *out);

/* field names the id in the message ("roomId"); value need not be NUL-terminated. */
struct error validate_id(const char *field, const char *value, size_t len);

/* POST /rooms: {roomName: 1-50 characters, not only spaces}; fills out->room. */
struct error validate_room_input(const cJSON *body, union body_input *out);

/* POST members: {name: 1-50 characters after trimming, baseRole,
 * customPermissions?}; fills out->member. */
struct error validate_member_create(const cJSON *body, union body_input *out);

/* PUT member: {baseRole?, customPermissions?}, at least one of them; fills
 * out->member (name ""). */
struct error validate_member_update(const cJSON *body, union body_input *out);

/*
 * Number of code points in text[0..len), or -1 when it is not valid UTF-8
 * (overlong forms, surrogates and values above U+10FFFF are invalid) or holds
 * a control character (U+0000-U+001F, U+007F-U+009F).
 */
long validate_utf8_text_chars(const char *text, size_t len);

#endif
