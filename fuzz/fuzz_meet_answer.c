/*
 * fuzz_meet_answer: what Meet sends back, as the client handles it.
 *
 * Input: two bytes of HTTP status, then one or more answer bodies separated
 * by NUL bytes. The first body is a single answer: parsed, mapped to our
 * error (meet_result_error) and, if it is a member, classified. All bodies
 * are then the pages of a list, merged with meet_list_page_take as
 * list_all_pages does (rooms, and members filtered to external ones).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "meet_client.h"

enum { TOKEN_MAX = 1024 };

static void check_error(const struct meet_result *result)
{
	struct error error = meet_result_error(result, "http://meet.test/meet");
	int status = result->http_status;

	if (!error_is_set(&error))
		return;
	/* Our answer is a 4xx passed through from Meet, or a 502/504. */
	if (!(error.status == 502 || error.status == 504 || (error.status == status && status >= 400 && status < 500)))
		abort();
	if (strnlen(error.message, sizeof error.message) >= sizeof error.message)
		abort();
}

static void merge_pages(const uint8_t *data, size_t size, int status, const char *list,
			bool (*keep)(const cJSON *item))
{
	cJSON *all = cJSON_CreateArray();
	char token[TOKEN_MAX] = "";
	size_t at = 0;

	while (at <= size && all != NULL) {
		const uint8_t *end = memchr(data + at, '\0', size - at);
		size_t len = end ? (size_t)(end - (data + at)) : size - at;
		struct meet_result page = meet_answer_parse(status, (const char *)data + at, len);
		int more = page.json ? meet_list_page_take(all, page.json, list, keep, token, sizeof token) : -1;

		check_error(&page);
		meet_result_free(&page);
		if (more != 1)
			break;
		at += len + 1;
	}
	if (keep != NULL) {
		const cJSON *item;
		cJSON_ArrayForEach(item, all)
			if (!keep(item))
				abort();
	}
	cJSON_Delete(all);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int status;

	if (size < 2)
		return 0;
	status = 100 + (data[0] << 8 | data[1]) % 500;
	data += 2;
	size -= 2;

	const uint8_t *end = memchr(data, '\0', size);
	struct meet_result single = meet_answer_parse(status, (const char *)data,
						      end ? (size_t)(end - data) : size);
	check_error(&single);
	(void)meet_member_is_external(single.json);
	meet_result_free(&single);

	merge_pages(data, size, status, "rooms", NULL);
	merge_pages(data, size, status, "members", meet_member_is_external);
	return 0;
}
