/* Unit tests of lib/request (path, content type, JSON body) and lib/response (error shape). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "request.h"
#include "response.h"

static void test_path_from_uri(void **state)
{
	char path[32];
	(void)state;

	assert_true(request_path_from_uri("/rooms?x=1", "", path, sizeof path));
	assert_string_equal(path, "/rooms");
	assert_true(request_path_from_uri("/rooms/a/members#frag", "", path, sizeof path));
	assert_string_equal(path, "/rooms/a/members");
	/* Not decoded: %2F stays and then fails id validation. */
	assert_true(request_path_from_uri("/rooms/a%2Fb", "", path, sizeof path));
	assert_string_equal(path, "/rooms/a%2Fb");

	assert_true(request_path_from_uri("/meet-app/rooms", "/meet-app", path, sizeof path));
	assert_string_equal(path, "/rooms");
	assert_false(request_path_from_uri("/meet-apps/rooms", "/meet-app", path, sizeof path));
	assert_string_equal(path, "");
	assert_false(request_path_from_uri("/rooms", "/meet-app", path, sizeof path));
	assert_false(request_path_from_uri("/meet-app", "/meet-app", path, sizeof path));
	assert_false(request_path_from_uri("", "", path, sizeof path));
	assert_false(request_path_from_uri("/rooms/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "", path, sizeof path));
}

static void test_content_type(void **state)
{
	(void)state;

	assert_true(request_content_type_is_json("application/json"));
	assert_true(request_content_type_is_json("Application/JSON; charset=utf-8"));
	assert_true(request_content_type_is_json("application/json ;charset=UTF-8"));
	assert_false(request_content_type_is_json(""));
	assert_false(request_content_type_is_json("text/plain"));
	assert_false(request_content_type_is_json("application/x-www-form-urlencoded"));
	assert_false(request_content_type_is_json("multipart/form-data; boundary=x"));
	assert_false(request_content_type_is_json("application/jsonp"));
	assert_false(request_content_type_is_json("application/json-patch+json"));
}

static struct error body_check(const char *content_type, const char *body, bool too_large, cJSON **object)
{
	struct request request = { .body_too_large = too_large };

	strcpy(request.content_type, content_type);
	request.body = body ? strdup(body) : NULL;
	request.body_len = body ? strlen(body) : 0;
	struct error error = request_json_object(&request, object);
	request_free(&request);
	return error;
}

static void test_json_body_checks_in_order(void **state)
{
	cJSON *object;
	(void)state;

	assert_int_equal(body_check("application/json", "{\"roomName\":\"a\"}", false, &object).status, 0);
	assert_true(cJSON_IsObject(object));
	cJSON_Delete(object);

	assert_int_equal(body_check("text/plain", "{}", true, &object).status, 413);
	assert_null(object);
	assert_int_equal(body_check("text/plain", "{}", false, &object).status, 415);
	assert_int_equal(body_check("", NULL, false, &object).status, 415);
	assert_int_equal(body_check("application/json", NULL, false, &object).status, 400);
	assert_int_equal(body_check("application/json", "{\"a\":", false, &object).status, 400);
	assert_int_equal(body_check("application/json", "[1,2]", false, &object).status, 400);
	assert_int_equal(body_check("application/json", "\"text\"", false, &object).status, 400);
	assert_int_equal(body_check("application/json", "null", false, &object).status, 400);
	assert_null(object);
}

static void test_error_shape(void **state)
{
	struct response response;
	struct error error = error_make(405, "Method not allowed; use %s", "GET");
	(void)state;

	error.allow = "GET";
	response_init(&response);
	response_set_error(&response, &error);
	assert_int_equal(response.status, 405);
	assert_string_equal(response.content_type, "application/json");
	assert_string_equal(response.allow, "GET");
	assert_string_equal(response.body, "{\"message\":\"Method not allowed; use GET\"}");
	response_free(&response);

	/* Quotes and control characters are escaped by cJSON, not by hand. */
	error = error_make(400, "'%s' \"quoted\"\n", "name");
	response_set_error(&response, &error);
	assert_string_equal(response.body, "{\"message\":\"'name' \\\"quoted\\\"\\n\"}");
	response_free(&response);

	assert_string_equal(response_reason_phrase(413), "Content Too Large");
	assert_string_equal(response_reason_phrase(504), "Gateway Timeout");
	assert_string_equal(response_reason_phrase(299), "");
}

/* Whole numbers outside int (timestamps) take our faster path: the text must
 * be exactly what cJSON itself prints, in arrays and nested objects too. */
static void test_json_numbers_print_as_cjson_does(void **state)
{
	static const double numbers[] = {
		0, 42, -7, 2147483647.0, 2147483648.0, -2147483649.0, 1764115200000.0,
		999999999999999.0, -999999999999999.0, 1e15, -1e15, 1.5, 1764115200000.5,
		1e300, 123456789012345678.0, -0.5,
	};
	(void)state;

	for (size_t i = 0; i < sizeof numbers / sizeof numbers[0]; i++) {
		const char *text = "{\"list\":[{\"n\":0}],\"pagination\":{\"maxItems\":100}}";
		cJSON *ours = cJSON_Parse(text);
		cJSON *theirs = cJSON_Parse(text);
		struct response response;

		cJSON_SetNumberValue(cJSON_GetArrayItem(cJSON_GetObjectItem(ours, "list"), 0)->child, numbers[i]);
		cJSON_SetNumberValue(cJSON_GetArrayItem(cJSON_GetObjectItem(theirs, "list"), 0)->child, numbers[i]);
		char *expected = cJSON_PrintUnformatted(theirs);
		response_init(&response);
		response_set_json(&response, 200, ours);
		assert_string_equal(response.body, expected);
		assert_int_equal(response.body_len, strlen(expected));
		cJSON_free(expected);
		cJSON_Delete(theirs);
		response_free(&response);
	}
}

static void test_error_truncation_keeps_utf8(void **state)
{
	char long_text[ERROR_MESSAGE_MAX + 8];
	(void)state;

	/* 'é' is two bytes; an odd offset makes the cut fall inside one. */
	long_text[0] = 'x';
	for (size_t i = 1; i + 2 < sizeof long_text; i += 2)
		memcpy(long_text + i, "\xC3\xA9", 2);
	long_text[sizeof long_text - 1] = '\0';
	struct error error = error_make(400, "x%s", long_text);
	size_t len = strlen(error.message);
	assert_true(len < ERROR_MESSAGE_MAX);
	assert_int_equal((unsigned char)error.message[len - 1], 0xA9);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_path_from_uri),
		cmocka_unit_test(test_content_type),
		cmocka_unit_test(test_json_body_checks_in_order),
		cmocka_unit_test(test_error_shape),
		cmocka_unit_test(test_json_numbers_print_as_cjson_does),
		cmocka_unit_test(test_error_truncation_keeps_utf8),
	};
	return cmocka_run_group_tests_name("request and response", tests, NULL, NULL);
}
