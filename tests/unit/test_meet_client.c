/* Unit tests of lib/meet_client's pure parts: URLs, bodies, and the mapping
 * of Meet's answers and failures to ours; that a body which cannot be built
 * (cJSON's allocations failing one by one) sends nothing; and of lib/qr. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

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

/* body as compact JSON, then deleted. */
static void assert_body(cJSON *body, const char *expected)
{
	char *text;

	assert_non_null(body);
	text = cJSON_PrintUnformatted(body);
	assert_string_equal(text, expected);
	cJSON_free(text);
	cJSON_Delete(body);
}

#define CONFIG_ON "\"config\":{\"chat\":{\"enabled\":true},\"recording\":{\"enabled\":true}," \
	"\"virtualBackground\":{\"enabled\":true}}"
#define ANONYMOUS(on) "{\"anonymous\":{\"moderator\":{\"enabled\":" on "},\"speaker\":{\"enabled\":" \
	on "},\"recording\":{\"enabled\":" on "}}}"

static void test_room_create_body(void **state)
{
	(void)state;

	/* Anonymous links off unless ROOM_ANONYMOUS_ACCESS=on: only members get in. */
	assert_body(meet_room_create_body("Team \"Sync\"", false),
		    "{\"roomName\":\"Team \\\"Sync\\\"\"," CONFIG_ON ",\"access\":" ANONYMOUS("false") "}");
	assert_body(meet_room_create_body("Open", true),
		    "{\"roomName\":\"Open\"," CONFIG_ON ",\"access\":" ANONYMOUS("true") "}");
}

static void test_access_and_member_bodies(void **state)
{
	cJSON *permissions = cJSON_Parse("{\"canShareScreen\":false,\"canRecord\":true}");
	(void)state;

	/* What the oracle took for PUT /rooms/{roomId}/access (answering 200). */
	assert_body(meet_access_body(false), "{\"access\":" ANONYMOUS("false") "}");
	assert_body(meet_member_body("Alice", "moderator", NULL),
		    "{\"name\":\"Alice\",\"baseRole\":\"moderator\"}");
	assert_body(meet_member_body("Bob", "speaker", permissions),
		    "{\"name\":\"Bob\",\"baseRole\":\"speaker\","
		    "\"customPermissions\":{\"canShareScreen\":false,\"canRecord\":true}}");
	assert_body(meet_member_body(NULL, "", permissions),
		    "{\"customPermissions\":{\"canShareScreen\":false,\"canRecord\":true}}");
	assert_body(meet_member_body(NULL, "speaker", NULL), "{\"baseRole\":\"speaker\"}");
	cJSON_Delete(permissions);
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

	error = mapped(MEET_TOO_LARGE, 0, NULL);
	assert_int_equal(error.status, 502);
	assert_non_null(strstr(error.message, "MEET_LIST_MAX_BYTES"));

	error = mapped(MEET_OUT_OF_MEMORY, 0, NULL);
	assert_int_equal(error.status, 500);
	assert_non_null(strstr(error.message, "nothing was sent"));
}

/* Messages name Meet's host, never credentials, a query or a fragment,
 * whatever URL they are given. */
static void test_mapping_names_host_not_credentials(void **state)
{
	static const char *const urls[] = {
		"http://admin:hunter2@meet.local:9080/meet?key=hunter2#hunter2",
		"https://hunter2@meet.local:9080/meet", "http://meet.local:9080/meet#hunter2",
	};
	struct meet_result result = { .failure = MEET_UNREACHABLE };
	(void)state;

	for (size_t i = 0; i < sizeof urls / sizeof urls[0]; i++) {
		struct error error = meet_result_error(&result, urls[i]);
		assert_int_equal(error.status, 502);
		assert_null(strstr(error.message, "hunter2"));
		assert_non_null(strstr(error.message, "meet.local:9080"));
	}
	struct error error = meet_result_error(&result, urls[0]);
	assert_string_equal(error.message, "OpenVidu Meet at http://meet.local:9080/meet cannot be reached");
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

/*
 * cJSON's allocator for the failure tests: counts allocations, fails the
 * fail_at-th (0: none), and counts blocks still held, so a builder that
 * gave up is also seen to free what it had.
 */
static size_t allocations;
static size_t fail_at;
static long live_blocks;

static void *counting_malloc(size_t size)
{
	void *block;

	if (++allocations == fail_at)
		return NULL;
	block = malloc(size);
	if (block != NULL)
		live_blocks++;
	return block;
}

static void counting_free(void *block)
{
	if (block != NULL)
		live_blocks--;
	free(block);
}

static void fail_allocation(size_t n)
{
	cJSON_Hooks hooks = { counting_malloc, counting_free };

	allocations = 0;
	fail_at = n;
	live_blocks = 0;
	cJSON_InitHooks(&hooks);
}

static void plain_allocator(void)
{
	cJSON_InitHooks(NULL);
}

/* Builds one body (index which) with the custom permissions given. */
static cJSON *build_body(int which, const cJSON *permissions)
{
	switch (which) {
	case 0:
		return meet_room_create_body("Team", false);
	case 1:
		return meet_member_body("Alice", "speaker", permissions);
	case 2:
		return meet_member_body(NULL, "moderator", permissions);
	default:
		return meet_access_body(false);
	}
}

/* For each builder, the n-th allocation failing, for every n it makes:
 * NULL and nothing held, never a body with a part left out. */
static void test_builders_fail_whole(void **state)
{
	cJSON *permissions = cJSON_Parse("{\"canShareScreen\":false,\"canRecord\":true}");
	(void)state;

	for (int which = 0; which < 4; which++) {
		fail_allocation(0);
		cJSON *whole = build_body(which, permissions);
		size_t needed = allocations;
		cJSON_Delete(whole);
		assert_true(needed > 3);
		for (size_t n = 1; n <= needed; n++) {
			fail_allocation(n);
			cJSON *body = build_body(which, permissions);
			if (body != NULL)
				fail_msg("body %d was built with allocation %zu of %zu failing", which, n, needed);
			assert_int_equal(live_blocks, 0);
		}
	}
	plain_allocator();
	cJSON_Delete(permissions);
}

/* A socket that listens on 127.0.0.1 and never answers: a stand-in Meet
 * that counts who connects. */
static int silent_meet(char *url, size_t url_size)
{
	struct sockaddr_in address = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof address;
	int listener = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);

	assert_true(listener >= 0);
	assert_int_equal(bind(listener, (struct sockaddr *)&address, sizeof address), 0);
	assert_int_equal(listen(listener, 16), 0);
	assert_int_equal(getsockname(listener, (struct sockaddr *)&address, &len), 0);
	snprintf(url, url_size, "http://127.0.0.1:%d/meet", ntohs(address.sin_port));
	return listener;
}

/* Connections made to listener since the last call (each closed). */
static int connections(int listener)
{
	int count = 0;
	int fd;

	while ((fd = accept(listener, NULL, NULL)) >= 0) {
		close(fd);
		count++;
	}
	assert_true(errno == EAGAIN || errno == EWOULDBLOCK);
	return count;
}

/* One call of the client that sends a body (index which). */
static struct meet_result send_body(struct meet_client *client, int which, const cJSON *permissions)
{
	switch (which) {
	case 0:
		return meet_client_create_room(client, "Team", false);
	case 1:
		return meet_client_add_member(client, "r1", "Alice", "speaker", permissions);
	case 2:
		return meet_client_update_member(client, "r1", "guest-1", "moderator", permissions);
	case 3:
		return meet_client_disable_anonymous_access(client, "r1");
	default:
		return meet_client_list_rooms(client);
	}
}

/* Through the client: a failed allocation on the way is a 500 and no
 * connection to Meet at all (no POST without its body, no GET instead). */
static void test_failed_allocation_sends_nothing(void **state)
{
	cJSON *permissions = cJSON_Parse("{\"canShareScreen\":false}");
	struct config config = { .connect_timeout_ms = 1000, .timeout_ms = 300,
				 .list_max_bytes = 1 << 20 };
	char url[64];
	int listener = silent_meet(url, sizeof url);
	(void)state;

	snprintf(config.meet_server_url, sizeof config.meet_server_url, "%s", url);
	snprintf(config.meet_api_key, sizeof config.meet_api_key, "k");
	struct meet_client *client = meet_client_create(&config);
	assert_non_null(client);
	for (int which = 0; which < 5; which++) {
		/* Every allocation there: the call connects (and times out, Meet
		 * being silent), so the checks below can see a connection. Every
		 * cJSON allocation it made comes before the request leaves. */
		fail_allocation(0);
		struct meet_result result = send_body(client, which, permissions);
		size_t needed = allocations;
		plain_allocator();
		assert_int_equal(result.failure, MEET_TIMEOUT);
		meet_result_free(&result);
		assert_int_equal(connections(listener), 1);
		assert_true(needed >= 1);

		for (size_t n = 1; n <= needed; n++) {
			fail_allocation(n);
			result = send_body(client, which, permissions);
			plain_allocator();
			if (result.failure != MEET_OUT_OF_MEMORY)
				fail_msg("call %d, allocation %zu of %zu failing: failure %d", which, n,
					 needed, result.failure);
			assert_int_equal(meet_result_error(&result, url).status, 500);
			meet_result_free(&result);
			if (connections(listener) != 0)
				fail_msg("call %d reached Meet with allocation %zu failing", which, n);
		}
	}
	meet_client_free(client);
	close(listener);
	cJSON_Delete(permissions);
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
		cmocka_unit_test(test_access_and_member_bodies),
		cmocka_unit_test(test_builders_fail_whole),
		cmocka_unit_test(test_failed_allocation_sends_nothing),
		cmocka_unit_test(test_member_types),
		cmocka_unit_test(test_mapping_success),
		cmocka_unit_test(test_mapping_failures),
		cmocka_unit_test(test_mapping_meet_4xx_passes_through),
		cmocka_unit_test(test_mapping_names_host_not_credentials),
		cmocka_unit_test(test_list_pages_merge),
		cmocka_unit_test(test_qr_svg),
	};
	return cmocka_run_group_tests_name("meet_client", tests, NULL, NULL);
}
