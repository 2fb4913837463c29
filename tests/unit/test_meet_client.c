/* Unit tests of lib/meet_client's pure parts: URLs, bodies, and the mapping
 * of Meet's answers and failures to ours; and of lib/qr. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "meet_client.h"
#include "qr.h"

#define MEET "http://meet.local:9080/meet"

static void test_url_building(void **state)
{
	char url[256];
	(void)state;

	const char *const rooms[] = { "rooms", NULL };
	assert_int_equal(meet_url_build(url, sizeof url, MEET, rooms, NULL), 0);
	assert_string_equal(url, MEET "/api/v1/rooms");

	const char *const member[] = { "rooms", "team_sync-rg0", "members", "guest-c17", NULL };
	assert_int_equal(meet_url_build(url, sizeof url, MEET, member, NULL), 0);
	assert_string_equal(url, MEET "/api/v1/rooms/team_sync-rg0/members/guest-c17");

	const char *const query[] = { "maxItems", "100", "type", "identified_guest", NULL };
	const char *const members[] = { "rooms", "r", "members", NULL };
	assert_int_equal(meet_url_build(url, sizeof url, MEET, members, query), 0);
	assert_string_equal(url, MEET "/api/v1/rooms/r/members?maxItems=100&type=identified_guest");
}

static void test_url_escaping(void **state)
{
	char url[256];
	(void)state;

	/* Page tokens are base64: '+', '/' and '=' must be escaped. */
	const char *const query[] = { "maxItems", "100", "nextPageToken", "eyJh+b/c==", NULL };
	const char *const rooms[] = { "rooms", NULL };
	assert_int_equal(meet_url_build(url, sizeof url, MEET, rooms, query), 0);
	assert_string_equal(url, MEET "/api/v1/rooms?maxItems=100&nextPageToken=eyJh%2Bb%2Fc%3D%3D");

	const char *const odd[] = { "rooms", "a/b?c#d e", NULL };
	assert_int_equal(meet_url_build(url, sizeof url, MEET, odd, NULL), 0);
	assert_string_equal(url, MEET "/api/v1/rooms/a%2Fb%3Fc%23d%20e");

	/* Escaping leaves dots alone, so dot segments are refused outright. */
	const char *const dots[] = { "rooms", "..", NULL };
	assert_int_equal(meet_url_build(url, sizeof url, MEET, dots, NULL), -1);
	const char *const dot[] = { "rooms", ".", "members", NULL };
	assert_int_equal(meet_url_build(url, sizeof url, MEET, dot, NULL), -1);
	const char *const empty[] = { "rooms", "", NULL };
	assert_int_equal(meet_url_build(url, sizeof url, MEET, empty, NULL), -1);

	char small[24];
	assert_int_equal(meet_url_build(small, sizeof small, MEET, rooms, NULL), -1);
}

static void test_room_create_body(void **state)
{
	cJSON *body = meet_room_create_body("Team \"Sync\"");
	char *text = cJSON_PrintUnformatted(body);
	(void)state;

	assert_string_equal(text,
		"{\"roomName\":\"Team \\\"Sync\\\"\",\"config\":{\"chat\":{\"enabled\":true},"
		"\"recording\":{\"enabled\":true},\"virtualBackground\":{\"enabled\":true}}}");
	cJSON_free(text);
	cJSON_Delete(body);
}

static void test_member_types(void **state)
{
	static const struct { const char *json; bool external; } cases[] = {
		{ "{\"type\":\"identified_guest\"}", true },
		{ "{\"type\":\"external\"}", true },
		{ "{\"type\":\"user\"}", false },
		{ "{\"type\":\"registered\"}", false },
		{ "{\"type\":1}", false },
		{ "{}", false },
	};
	(void)state;

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		cJSON *member = cJSON_Parse(cases[i].json);
		assert_int_equal(meet_member_is_external(member), cases[i].external);
		cJSON_Delete(member);
	}
}

/* The error for a result with Meet's status and body (NULL: not JSON). */
static struct error mapped(enum meet_failure failure, int status, const char *json)
{
	struct meet_result result = { .failure = failure, .http_status = status };
	struct error error;

	result.json = json ? cJSON_Parse(json) : NULL;
	error = meet_result_error(&result, MEET);
	meet_result_free(&result);
	return error;
}

static void test_mapping_success(void **state)
{
	(void)state;

	assert_int_equal(mapped(MEET_OK, 200, "{\"rooms\":[]}").status, 0);
	assert_int_equal(mapped(MEET_OK, 201, "{\"roomId\":\"r\"}").status, 0);
	assert_int_equal(mapped(MEET_OK, 202, "{\"message\":\"scheduled\"}").status, 0);
	assert_int_equal(mapped(MEET_OK, 200, "[]").status, 0);
}

static void test_mapping_failures(void **state)
{
	struct error error;
	(void)state;

	error = mapped(MEET_UNREACHABLE, 0, NULL);
	assert_int_equal(error.status, 502);
	assert_non_null(strstr(error.message, MEET));

	error = mapped(MEET_TIMEOUT, 0, NULL);
	assert_int_equal(error.status, 504);
	assert_non_null(strstr(error.message, MEET));

	error = mapped(MEET_BAD_JSON, 200, NULL);
	assert_int_equal(error.status, 502);
	assert_non_null(strstr(error.message, "JSON"));

	error = mapped(MEET_OK, 500, "{\"error\":\"Internal Server Error\",\"message\":\"Unexpected error while getting rooms\"}");
	assert_int_equal(error.status, 502);
	assert_non_null(strstr(error.message, "HTTP 500"));
	assert_non_null(strstr(error.message, "Unexpected error while getting rooms"));

	error = mapped(MEET_BAD_JSON, 503, NULL);
	assert_int_equal(error.status, 502);

	error = mapped(MEET_OK, 302, "{}");
	assert_int_equal(error.status, 502);
}

static void test_mapping_meet_4xx_passes_through(void **state)
{
	struct error error;
	(void)state;

	error = mapped(MEET_OK, 404, "{\"error\":\"Room Error\",\"message\":\"Room 'r' does not exist\"}");
	assert_int_equal(error.status, 404);
	assert_string_equal(error.message, "Room 'r' does not exist");

	error = mapped(MEET_OK, 409, "{\"error\":\"room_has_active_meeting\",\"message\":\"Room 'r' cannot be deleted because it has an active meeting.\"}");
	assert_int_equal(error.status, 409);
	assert_string_equal(error.message, "Room 'r' cannot be deleted because it has an active meeting.");

	error = mapped(MEET_OK, 422,
		       "{\"error\":\"Unprocessable Entity\",\"message\":\"Invalid request\",\"details\":["
		       "{\"field\":\"baseRole\",\"message\":\"Invalid enum value. Expected 'moderator' | 'speaker', received 'admin'\"},"
		       "{\"field\":\"\",\"message\":\"Required\"}]}");
	assert_int_equal(error.status, 422);
	assert_string_equal(error.message,
		"Invalid request: baseRole: Invalid enum value. Expected 'moderator' | 'speaker', received 'admin'; Required");

	/* Meet's 413 is HTML: the status passes, with a message of our own. */
	error = mapped(MEET_BAD_JSON, 413, NULL);
	assert_int_equal(error.status, 413);
	assert_string_equal(error.message, "OpenVidu Meet answered HTTP 413");

	/* Meet refusing our key is our misconfiguration: 502 naming the setting, never the key. */
	error = mapped(MEET_OK, 401, "{\"error\":\"Authentication Error\",\"message\":\"Invalid API key\"}");
	assert_int_equal(error.status, 502);
	assert_non_null(strstr(error.message, "Invalid API key"));
	assert_non_null(strstr(error.message, "OV_MEET_API_KEY"));
}

static void test_list_pages_merge(void **state)
{
	cJSON *all = cJSON_CreateArray();
	char token[16] = "";
	(void)state;

	cJSON *page = cJSON_Parse("{\"members\":[{\"type\":\"identified_guest\",\"name\":\"a\"},"
				  "{\"type\":\"user\",\"name\":\"u\"}],"
				  "\"pagination\":{\"isTruncated\":true,\"nextPageToken\":\"t1\"}}");
	assert_int_equal(meet_list_page_take(all, page, "members", meet_member_is_external, token, sizeof token), 1);
	assert_string_equal(token, "t1");
	assert_int_equal(cJSON_GetArraySize(all), 1);
	cJSON_Delete(page);

	/* The same token again would loop for ever. */
	page = cJSON_Parse("{\"members\":[],\"pagination\":{\"isTruncated\":true,\"nextPageToken\":\"t1\"}}");
	assert_int_equal(meet_list_page_take(all, page, "members", NULL, token, sizeof token), -1);
	cJSON_Delete(page);

	page = cJSON_Parse("{\"members\":[{\"type\":\"external\",\"name\":\"b\"}],"
			   "\"pagination\":{\"isTruncated\":false}}");
	assert_int_equal(meet_list_page_take(all, page, "members", meet_member_is_external, token, sizeof token), 0);
	assert_int_equal(cJSON_GetArraySize(all), 2);
	assert_string_equal(cJSON_GetObjectItem(cJSON_GetArrayItem(all, 1), "name")->valuestring, "b");
	cJSON_Delete(page);

	page = cJSON_Parse("{\"rooms\":{}}");
	assert_int_equal(meet_list_page_take(all, page, "rooms", NULL, token, sizeof token), -1);
	cJSON_Delete(page);

	/* A token longer than the buffer is refused, not cut. */
	page = cJSON_Parse("{\"rooms\":[],\"pagination\":{\"isTruncated\":true,"
			   "\"nextPageToken\":\"0123456789abcdefXYZ\"}}");
	assert_int_equal(meet_list_page_take(all, page, "rooms", NULL, token, sizeof token), -1);
	cJSON_Delete(page);
	cJSON_Delete(all);
}

static void test_qr_svg(void **state)
{
	size_t len = 0;
	char *svg = qr_svg("http://127.0.0.1:9080/meet/room/team_sync-rg048nrxpuwrwbe?secret=guest-c170312108", &len);
	(void)state;

	assert_non_null(svg);
	assert_int_equal(strlen(svg), len);
	assert_memory_equal(svg, "<svg xmlns=\"http://www.w3.org/2000/svg\"", 39);
	assert_non_null(strstr(svg, "<path fill=\"#000\" d=\"M4 4h7v1h-7z"));  /* finder pattern's top row */
	assert_non_null(strstr(svg, "</svg>"));
	free(svg);

	/* Beyond what a version-40 code holds. */
	char *huge = malloc(4000);
	memset(huge, 'x', 3999);
	huge[3999] = '\0';
	assert_null(qr_svg(huge, &len));
	free(huge);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_url_building),
		cmocka_unit_test(test_url_escaping),
		cmocka_unit_test(test_room_create_body),
		cmocka_unit_test(test_member_types),
		cmocka_unit_test(test_mapping_success),
		cmocka_unit_test(test_mapping_failures),
		cmocka_unit_test(test_mapping_meet_4xx_passes_through),
		cmocka_unit_test(test_list_pages_merge),
		cmocka_unit_test(test_qr_svg),
	};
	return cmocka_run_group_tests_name("meet_client", tests, NULL, NULL);
}
