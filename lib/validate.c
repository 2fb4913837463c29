#include "validate.h"

#include <stdio.h>
#include <string.h>

static bool is_id_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
	    || (c >= '0' && c <= '9') || c == '-' || c == '_';
}

struct error validate_id(const char *field, const char *value, size_t len)
{
	if (len == 0 || len > VALIDATE_ID_MAX)
		goto bad;
	for (size_t i = 0; i < len; i++)
		if (!is_id_char(value[i]))
			goto bad;
	return error_none();
bad:
	return error_make(400, "'%s' must be 1-%d letters, digits, '-' or '_'",
			  field, VALIDATE_ID_MAX);
}

/* Length of the UTF-8 sequence led by byte c, or 0 if c cannot lead one. */
static int utf8_sequence_length(unsigned char c)
{
	if (c < 0x80)
		return 1;
	if (c >= 0xC2 && c <= 0xDF)
		return 2;
	if (c >= 0xE0 && c <= 0xEF)
		return 3;
	if (c >= 0xF0 && c <= 0xF4)
		return 4;
	return 0;
}

long validate_utf8_text_chars(const char *text, size_t len)
{
	const unsigned char *s = (const unsigned char *)text;
	long chars = 0;
	size_t i = 0;

	while (i < len) {
		int n = utf8_sequence_length(s[i]);
		unsigned long code;

		if (n == 0 || i + (size_t)n > len)
			return -1;
		code = n == 1 ? s[i] : s[i] & (0x7F >> n);
		for (int k = 1; k < n; k++) {
			if ((s[i + k] & 0xC0) != 0x80)
				return -1;
			code = (code << 6) | (s[i + k] & 0x3F);
		}
		if ((n == 3 && code < 0x800) || (n == 4 && code < 0x10000)
		    || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF))
			return -1;
		if (code < 0x20 || (code >= 0x7F && code <= 0x9F))
			return -1;
		i += (size_t)n;
		chars++;
	}
	return chars;
}

/* Checks body[field] is a string of 1-50 characters (after trimming spaces
 * when trim is set) and copies it, trimmed, into out. */
static struct error take_name(const cJSON *body, const char *field, bool trim,
			      char out[VALIDATE_NAME_MAX_BYTES + 1])
{
	const cJSON *item = cJSON_GetObjectItemCaseSensitive(body, field);
	const char *start;
	size_t len;
	long chars;

	if (item == NULL || cJSON_IsNull(item))
		return error_make(400, "'%s' is required", field);
	if (!cJSON_IsString(item))
		return error_make(400, "'%s' must be a string", field);

	start = item->valuestring;
	len = strlen(start);
	if (trim) {
		while (len > 0 && *start == ' ')
			start++, len--;
		while (len > 0 && start[len - 1] == ' ')
			len--;
	}
	chars = validate_utf8_text_chars(start, len);
	if (chars < 0)
		return error_make(400, "'%s' must be valid UTF-8 text without control characters", field);
	if (chars < 1 || chars > VALIDATE_NAME_MAX_CHARS || len > VALIDATE_NAME_MAX_BYTES)
		return error_make(400, "'%s' must be %s1 to %d characters long", field,
				  trim ? "(after trimming spaces) " : "", VALIDATE_NAME_MAX_CHARS);
	if (strspn(start, " ") >= len)
		return error_make(400, "'%s' must not be only spaces", field);
	memcpy(out, start, len);
	out[len] = '\0';
	return error_none();
}

static struct error take_base_role(const cJSON *body, bool required,
				   char out[VALIDATE_ROLE_MAX])
{
	const cJSON *item = cJSON_GetObjectItemCaseSensitive(body, "baseRole");

	out[0] = '\0';
	if (item == NULL) {
		if (required)
			return error_make(400, "'baseRole' is required");
		return error_none();
	}
	if (!cJSON_IsString(item)
	    || (strcmp(item->valuestring, "moderator") != 0
		&& strcmp(item->valuestring, "speaker") != 0))
		return error_make(400, "'baseRole' must be 'moderator' or 'speaker'");
	snprintf(out, VALIDATE_ROLE_MAX, "%s", item->valuestring);
	return error_none();
}

/* Permission names are camelCase words such as canRecord. */
static bool is_permission_name(const char *name)
{
	size_t len = strlen(name);

	if (len == 0 || len > VALIDATE_PERMISSION_NAME_MAX)
		return false;
	for (size_t i = 0; i < len; i++) {
		char c = name[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (i > 0 && c >= '0' && c <= '9')))
			return false;
	}
	return true;
}

static struct error take_custom_permissions(const cJSON *body, const cJSON **out)
{
	const cJSON *item = cJSON_GetObjectItemCaseSensitive(body, "customPermissions");
	const cJSON *permission;
	int count = 0;

	*out = NULL;
	if (item == NULL)
		return error_none();
	if (!cJSON_IsObject(item))
		return error_make(400, "'customPermissions' must be an object of booleans");
	cJSON_ArrayForEach(permission, item) {
		if (!is_permission_name(permission->string))
			return error_make(400, "'customPermissions' names must be 1-%d letters or digits",
					  VALIDATE_PERMISSION_NAME_MAX);
		if (!cJSON_IsBool(permission))
			return error_make(400, "'customPermissions.%s' must be true or false",
					  permission->string);
		if (++count > VALIDATE_PERMISSIONS_MAX)
			return error_make(400, "'customPermissions' may name at most %d permissions",
					  VALIDATE_PERMISSIONS_MAX);
	}
	*out = item;
	return error_none();
}

struct error validate_room_input(const cJSON *body, union body_input *out)
{
	return take_name(body, "roomName", false, out->room.room_name);
}

struct error validate_member_create(const cJSON *body, union body_input *out)
{
	struct member_input *member = &out->member;
	struct error error = take_name(body, "name", true, member->name);

	if (!error_is_set(&error))
		error = take_base_role(body, true, member->base_role);
	if (!error_is_set(&error))
		error = take_custom_permissions(body, &member->custom_permissions);
	return error;
}

struct error validate_member_update(const cJSON *body, union body_input *out)
{
	struct member_input *member = &out->member;
	struct error error = take_base_role(body, false, member->base_role);

	member->name[0] = '\0';
	if (!error_is_set(&error))
		error = take_custom_permissions(body, &member->custom_permissions);
	if (!error_is_set(&error) && member->base_role[0] == '\0' && member->custom_permissions == NULL)
		error = error_make(400, "give 'baseRole' or 'customPermissions' to change");
	return error;
}
