/* Unit tests of lib/room_view: the allow-list of a room's fields. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "room_view.h"

static char *view_of(const char *meet_json)
{
	cJSON *room = cJSON_Parse(meet_json);
	char *text;

	assert_non_null(room);
	assert_true(room_view_in_place(room));
	text = cJSON_PrintUnformatted(room);
	cJSON_Delete(room);
	return text;
}

static void assert_view(const char *meet_json, const char *expected)
{
	char *text = view_of(meet_json);

	assert_string_equal(text, expected);
	cJSON_free(text);
}

static void test_secrets_and_unknown_fields_dropped(void **state)
{
	(void)state;
	assert_view("{\"roomId\":\"r-1\",\"roomName\":\"Team\",\"owner\":\"admin\",\"creationDate\":1764000000000,"
		    "\"config\":{\"chat\":{\"enabled\":true}},\"moderatorUrl\":\"http://m/room/r-1?secret=abc\","
		    "\"access\":{\"anonymous\":{\"moderator\":{\"enabled\":true,\"url\":\"http://m/room/r-1?secret=123\"},"
		    "\"speaker\":{\"enabled\":false,\"url\":\"http://m/room/r-1?secret=456\"}},\"user\":{\"enabled\":false}},"
		    "\"status\":\"open\",\"futureSecret\":{\"token\":\"t\"},\"_extraFields\":[\"config\"]}",
		    "{\"roomId\":\"r-1\",\"roomName\":\"Team\",\"creationDate\":1764000000000,\"status\":\"open\","
		    "\"anonymousAccess\":true}");
}

static void test_anonymous_access(void **state)
{
	(void)state;
	assert_view("{\"roomId\":\"r\",\"access\":{\"anonymous\":{\"moderator\":{\"enabled\":false},"
		    "\"speaker\":{\"enabled\":false},\"recording\":{\"enabled\":false}}}}",
		    "{\"roomId\":\"r\",\"anonymousAccess\":false}");
	assert_view("{\"roomId\":\"r\",\"access\":{\"anonymous\":{\"moderator\":{\"enabled\":false},"
		    "\"recording\":{\"enabled\":true}}}}",
		    "{\"roomId\":\"r\",\"anonymousAccess\":true}");
	/* Meet did not say: unknown, never a guess. */
	assert_view("{\"roomId\":\"r\"}", "{\"roomId\":\"r\",\"anonymousAccess\":null}");
	assert_view("{\"roomId\":\"r\",\"access\":{\"anonymous\":{\"moderator\":{}}}}",
		    "{\"roomId\":\"r\",\"anonymousAccess\":null}");
	assert_view("{\"roomId\":\"r\",\"access\":\"x\"}", "{\"roomId\":\"r\",\"anonymousAccess\":null}");
	/* A field named like a kept one but Meet's own anonymousAccess is replaced. */
	assert_view("{\"anonymousAccess\":\"http://secret\",\"status\":\"closed\"}",
		    "{\"status\":\"closed\",\"anonymousAccess\":null}");
}

static void test_list(void **state)
{
	cJSON *rooms = cJSON_Parse("[{\"roomId\":\"a\",\"x\":1},{\"roomId\":\"b\",\"y\":2}]");
	cJSON *not_rooms = cJSON_Parse("[{\"roomId\":\"a\"},3]");
	char *text;
	(void)state;

	assert_true(room_view_list_in_place(rooms));
	text = cJSON_PrintUnformatted(rooms);
	assert_string_equal(text, "[{\"roomId\":\"a\",\"anonymousAccess\":null},{\"roomId\":\"b\",\"anonymousAccess\":null}]");
	cJSON_free(text);
	assert_false(room_view_list_in_place(not_rooms));
	assert_false(room_view_list_in_place(NULL));
	assert_false(room_view_in_place(NULL));
	cJSON_Delete(rooms);
	cJSON_Delete(not_rooms);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_secrets_and_unknown_fields_dropped),
		cmocka_unit_test(test_anonymous_access),
		cmocka_unit_test(test_list),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
