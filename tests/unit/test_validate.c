/* Unit tests of lib/validate: every allow-list rule. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "validate.h"

static int status_of(struct error error)
{
	return error.status;
}

static void test_ids(void **state)
{
	char long_id[VALIDATE_ID_MAX + 2];
	(void)state;

	assert_int_equal(status_of(validate_id("roomId", "team_sync-rg048nrxpuwrwbe", 25)), 0);
	assert_int_equal(status_of(validate_id("memberId", "guest-c170312108", 16)), 0);
	assert_int_equal(status_of(validate_id("roomId", "", 0)), 400);
	assert_int_equal(status_of(validate_id("roomId", "..", 2)), 400);
	assert_int_equal(status_of(validate_id("roomId", "a.b", 3)), 400);
	assert_int_equal(status_of(validate_id("roomId", "a%2Fb", 5)), 400);
	assert_int_equal(status_of(validate_id("roomId", "a b", 3)), 400);
	assert_int_equal(status_of(validate_id("roomId", "ä", 2)), 400);
	/* Only len bytes count: the rest of a path is not part of the id. */
	assert_int_equal(status_of(validate_id("roomId", "abc/members", 3)), 0);

	memset(long_id, 'a', sizeof long_id);
	assert_int_equal(status_of(validate_id("roomId", long_id, VALIDATE_ID_MAX)), 0);
	struct error error = validate_id("memberId", long_id, VALIDATE_ID_MAX + 1);
	assert_int_equal(error.status, 400);
	assert_non_null(strstr(error.message, "memberId"));
}

static void test_utf8_counting(void **state)
{
	(void)state;

	assert_int_equal(validate_utf8_text_chars("abc", 3), 3);
	assert_int_equal(validate_utf8_text_chars("Habitación José", strlen("Habitación José")), 15);
	assert_int_equal(validate_utf8_text_chars("会议室", strlen("会议室")), 3);
	assert_int_equal(validate_utf8_text_chars("\xF0\x9F\x98\x80", 4), 1);        /* emoji */
	assert_int_equal(validate_utf8_text_chars("\xC3", 1), -1);                    /* cut short */
	assert_int_equal(validate_utf8_text_chars("\xC0\xAF", 2), -1);                /* overlong '/' */
	assert_int_equal(validate_utf8_text_chars("\xE0\x80\xAF", 3), -1);            /* overlong */
	assert_int_equal(validate_utf8_text_chars("\xED\xA0\x80", 3), -1);            /* surrogate */
	assert_int_equal(validate_utf8_text_chars("\xF4\x90\x80\x80", 4), -1);        /* > U+10FFFF */
	assert_int_equal(validate_utf8_text_chars("\xFF", 1), -1);
	assert_int_equal(validate_utf8_text_chars("a\tb", 3), -1);                    /* C0 control */
	assert_int_equal(validate_utf8_text_chars("a\x7f", 2), -1);                   /* DEL */
	assert_int_equal(validate_utf8_text_chars("\xC2\x85", 2), -1);                /* C1 NEL */
}

/* Parses json (an object) and validates it as a room. */
static struct error room(const char *json, struct room_input *out)
{
	cJSON *body = cJSON_Parse(json);
	union body_input input;
	struct error error;

	assert_non_null(body);
	error = validate_room_input(body, &input);
	*out = input.room;
	cJSON_Delete(body);
	return error;
}

static void test_room_name(void **state)
{
	struct room_input input;
	char json[256];
	struct error error;
	(void)state;

	assert_int_equal(room("{\"roomName\":\"Team Sync\"}", &input).status, 0);
	assert_string_equal(input.room_name, "Team Sync");
	assert_int_equal(room("{\"roomName\":\"x\"}", &input).status, 0);

	/* 50 characters of two bytes each pass; 51 do not. */
	strcpy(json, "{\"roomName\":\"");
	for (int i = 0; i < 50; i++)
		strcat(json, "é");
	strcat(json, "\"}");
	assert_int_equal(room(json, &input).status, 0);
	assert_int_equal(strlen(input.room_name), 100);
	json[strlen(json) - 2] = '\0';
	strcat(json, "é\"}");
	error = room(json, &input);
	assert_int_equal(error.status, 400);
	assert_non_null(strstr(error.message, "roomName"));
	assert_non_null(strstr(error.message, "50"));

	assert_int_equal(room("{}", &input).status, 400);
	assert_int_equal(room("{\"roomName\":null}", &input).status, 400);
	assert_int_equal(room("{\"roomName\":\"\"}", &input).status, 400);
	assert_int_equal(room("{\"roomName\":\"   \"}", &input).status, 400);
	assert_int_equal(room("{\"roomName\":42}", &input).status, 400);
	assert_int_equal(room("{\"roomName\":[\"a\"]}", &input).status, 400);
	assert_int_equal(room("{\"roomName\":\"a\\nb\"}", &input).status, 400);
	assert_int_equal(room("{\"roomName\":\"\\u0007\"}", &input).status, 400);
}

/* out->custom_permissions is only compared with NULL: it pointed into the body. */
static struct error member(const char *json, bool create, struct member_input *out)
{
	cJSON *body = cJSON_Parse(json);
	union body_input input;
	struct error error;

	assert_non_null(body);
	error = create ? validate_member_create(body, &input) : validate_member_update(body, &input);
	*out = input.member;
	cJSON_Delete(body);
	return error;
}

static void test_member_name_trimmed(void **state)
{
	struct member_input input;
	char json[256];
	(void)state;

	assert_int_equal(member("{\"name\":\"  Alice  \",\"baseRole\":\"speaker\"}", true, &input).status, 0);
	assert_string_equal(input.name, "Alice");
	assert_string_equal(input.base_role, "speaker");
	assert_null(input.custom_permissions);

	/* 50 characters plus surrounding spaces pass; the spaces are cut. */
	strcpy(json, "{\"baseRole\":\"moderator\",\"name\":\"   ");
	for (int i = 0; i < 50; i++)
		strcat(json, "M");
	strcat(json, "   \"}");
	assert_int_equal(member(json, true, &input).status, 0);
	assert_int_equal(strlen(input.name), 50);
	json[strlen(json) - 5] = '\0';
	strcat(json, "MM\"}");
	assert_int_equal(member(json, true, &input).status, 400);

	assert_int_equal(member("{\"name\":\"   \",\"baseRole\":\"speaker\"}", true, &input).status, 400);
	assert_int_equal(member("{\"baseRole\":\"speaker\"}", true, &input).status, 400);
	assert_int_equal(member("{\"name\":7,\"baseRole\":\"speaker\"}", true, &input).status, 400);
	assert_int_equal(member("{\"name\":\"Bob\\u0000x\",\"baseRole\":\"speaker\"}", true, &input).status, 0);
	assert_int_equal(member("{\"name\":\"B\\u001bob\",\"baseRole\":\"speaker\"}", true, &input).status, 400);
}

static void test_base_role(void **state)
{
	struct member_input input;
	struct error error;
	(void)state;

	assert_int_equal(member("{\"name\":\"A\",\"baseRole\":\"moderator\"}", true, &input).status, 0);
	error = member("{\"name\":\"A\",\"baseRole\":\"admin\"}", true, &input);
	assert_int_equal(error.status, 400);
	assert_non_null(strstr(error.message, "baseRole"));
	assert_int_equal(member("{\"name\":\"A\",\"baseRole\":\"Speaker\"}", true, &input).status, 400);
	assert_int_equal(member("{\"name\":\"A\",\"baseRole\":true}", true, &input).status, 400);
	assert_int_equal(member("{\"name\":\"A\"}", true, &input).status, 400);
}

static void test_custom_permissions(void **state)
{
	struct member_input input;
	union body_input validated;
	struct error error;
	char json[2048];
	(void)state;

	/* custom_permissions points into the body, so the body must outlive it. */
	cJSON *body = cJSON_Parse("{\"name\":\"A\",\"baseRole\":\"speaker\","
				  "\"customPermissions\":{\"canRecord\":true,\"canShareScreen\":false}}");
	assert_int_equal(validate_member_create(body, &validated).status, 0);
	assert_ptr_equal(validated.member.custom_permissions, cJSON_GetObjectItem(body, "customPermissions"));
	assert_int_equal(cJSON_GetArraySize(validated.member.custom_permissions), 2);
	cJSON_Delete(body);
	assert_int_equal(member("{\"name\":\"A\",\"baseRole\":\"speaker\",\"customPermissions\":{}}",
				true, &input).status, 0);

	error = member("{\"name\":\"A\",\"baseRole\":\"speaker\",\"customPermissions\":{\"canRecord\":\"yes\"}}",
		       true, &input);
	assert_int_equal(error.status, 400);
	assert_non_null(strstr(error.message, "customPermissions.canRecord"));
	assert_int_equal(member("{\"name\":\"A\",\"baseRole\":\"speaker\",\"customPermissions\":null}",
				true, &input).status, 400);
	assert_int_equal(member("{\"name\":\"A\",\"baseRole\":\"speaker\",\"customPermissions\":[true]}",
				true, &input).status, 400);
	assert_int_equal(member("{\"name\":\"A\",\"baseRole\":\"speaker\",\"customPermissions\":{\"can-record\":true}}",
				true, &input).status, 400);
	assert_int_equal(member("{\"name\":\"A\",\"baseRole\":\"speaker\",\"customPermissions\":{\"\":true}}",
				true, &input).status, 400);

	/* More names than any release has permissions. */
	strcpy(json, "{\"name\":\"A\",\"baseRole\":\"speaker\",\"customPermissions\":{");
	for (int i = 0; i <= VALIDATE_PERMISSIONS_MAX; i++)
		sprintf(json + strlen(json), "%s\"p%c%c\":true", i ? "," : "", 'a' + i / 26, 'a' + i % 26);
	strcat(json, "}}");
	assert_int_equal(member(json, true, &input).status, 400);
}

static void test_update(void **state)
{
	struct member_input input;
	(void)state;

	assert_int_equal(member("{\"baseRole\":\"moderator\"}", false, &input).status, 0);
	assert_string_equal(input.base_role, "moderator");
	assert_null(input.custom_permissions);
	assert_int_equal(member("{\"customPermissions\":{\"canRecord\":false}}", false, &input).status, 0);
	assert_string_equal(input.base_role, "");
	assert_non_null(input.custom_permissions);
	/* name is not something PUT changes; it is ignored, not sent. */
	assert_int_equal(member("{\"name\":\"x\",\"baseRole\":\"speaker\"}", false, &input).status, 0);
	assert_string_equal(input.name, "");

	assert_int_equal(member("{}", false, &input).status, 400);
	assert_int_equal(member("{\"baseRole\":\"owner\"}", false, &input).status, 400);
	assert_int_equal(member("{\"customPermissions\":{\"canRecord\":1}}", false, &input).status, 400);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ids),
		cmocka_unit_test(test_utf8_counting),
		cmocka_unit_test(test_room_name),
		cmocka_unit_test(test_member_name_trimmed),
		cmocka_unit_test(test_base_role),
		cmocka_unit_test(test_custom_permissions),
		cmocka_unit_test(test_update),
	};
	return cmocka_run_group_tests_name("validate", tests, NULL, NULL);
}
