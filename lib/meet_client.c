#include "meet_client.h"

#include <curl/curl.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"

enum {
	MEET_URL_MAX = 2048,
	MEET_ANSWER_MAX_BYTES = 8 * 1024 * 1024, /* a page of 100 rooms is ~150 KB */
	MEET_PAGE_SIZE = 100,                    /* Meet's maximum maxItems */
	MEET_MAX_PAGES = 1000,                   /* 100,000 items: a loop, not a list */
	MEET_PAGE_TOKEN_MAX = 1024,
};

/* Meet 3.8.0's name for an external member, then the tutorial's. */
static const char *const external_member_types[] = { "identified_guest", "external" };
/* Index into external_member_types of the spelling Meet took: learned once
 * and shared by every worker of the process (they all call the same Meet). */
static atomic_int member_type_spelling;

struct meet_client {
	CURL *curl;
	struct curl_slist *headers;       /* X-API-KEY, Accept */
	struct curl_slist *json_headers;  /* the same plus Content-Type */
	char error_buffer[CURL_ERROR_SIZE];
	char base_url[CONFIG_URL_MAX];
	char *answer;                     /* grows to the largest answer seen */
	size_t answer_len;
	size_t answer_capacity;
	int last_status;                  /* for meet_client_take_last_status */
};

static size_t collect_answer(char *data, size_t size, size_t count, void *user)
{
	struct meet_client *client = user;
	size_t len = size * count;

	if (client->answer_len + len > MEET_ANSWER_MAX_BYTES)
		return 0;  /* libcurl fails the transfer with CURLE_WRITE_ERROR */
	if (client->answer_len + len > client->answer_capacity) {
		size_t capacity = (client->answer_len + len) * 2;
		char *grown = realloc(client->answer, capacity);
		if (grown == NULL)
			return 0;
		client->answer = grown;
		client->answer_capacity = capacity;
	}
	memcpy(client->answer + client->answer_len, data, len);
	client->answer_len += len;
	return len;
}

struct meet_client *meet_client_create(const struct config *config)
{
	struct meet_client *client = calloc(1, sizeof *client);
	char key_header[CONFIG_API_KEY_MAX + 16];
	struct curl_slist *added;

	if (client == NULL)
		return NULL;
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		goto fail;
	client->curl = curl_easy_init();
	if (client->curl == NULL)
		goto fail;
	snprintf(client->base_url, sizeof client->base_url, "%s", config->meet_server_url);

	snprintf(key_header, sizeof key_header, "X-API-KEY: %s", config->meet_api_key);
	const char *common[] = { key_header, "Accept: application/json", "Expect:" };
	for (size_t i = 0; i < sizeof common / sizeof common[0]; i++) {
		if ((added = curl_slist_append(client->headers, common[i])) == NULL)
			goto fail;
		client->headers = added;
		if ((added = curl_slist_append(client->json_headers, common[i])) == NULL)
			goto fail;
		client->json_headers = added;
	}
	if ((added = curl_slist_append(client->json_headers, "Content-Type: application/json")) == NULL)
		goto fail;
	client->json_headers = added;
	memset(key_header, 0, sizeof key_header);

	CURL *curl = client->curl;
	if (curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https") != CURLE_OK
	    || curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, config->connect_timeout_ms) != CURLE_OK
	    || curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, config->timeout_ms) != CURLE_OK
	    || curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L) != CURLE_OK
	    || curl_easy_setopt(curl, CURLOPT_TCP_KEEPALIVE, 1L) != CURLE_OK
	    || curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L) != CURLE_OK
	    || curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, client->error_buffer) != CURLE_OK
	    || curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, collect_answer) != CURLE_OK
	    || curl_easy_setopt(curl, CURLOPT_WRITEDATA, client) != CURLE_OK
	    || curl_easy_setopt(curl, CURLOPT_USERAGENT, "meet-fcgi") != CURLE_OK)
		goto fail;
	return client;
fail:
	meet_client_free(client);
	return NULL;
}

void meet_client_free(struct meet_client *client)
{
	if (client == NULL)
		return;
	if (client->curl != NULL)
		curl_easy_cleanup(client->curl);
	curl_slist_free_all(client->headers);
	curl_slist_free_all(client->json_headers);
	free(client->answer);
	free(client);
	curl_global_cleanup();
}

void meet_result_free(struct meet_result *result)
{
	cJSON_Delete(result->json);
	result->json = NULL;
}

int meet_client_take_last_status(struct meet_client *client)
{
	int status = client->last_status;

	client->last_status = 0;
	return status;
}

static struct meet_result failed(enum meet_failure failure, const char *detail)
{
	struct meet_result result = { .failure = failure };

	snprintf(result.detail, sizeof result.detail, "%s", detail);
	return result;
}

/* One HTTP transfer with Meet on the worker's handle. body may be NULL. */
static struct meet_result transfer(struct meet_client *client, const char *method,
				   const char *url, const cJSON *body)
{
	CURL *curl = client->curl;
	char *body_text = NULL;
	long status = 0;
	CURLcode code;

	client->answer_len = 0;
	client->error_buffer[0] = '\0';
	curl_easy_setopt(curl, CURLOPT_URL, url);
	if (body != NULL) {
		body_text = cJSON_PrintUnformatted(body);
		if (body_text == NULL)
			return failed(MEET_UNREACHABLE, "out of memory building the request");
		curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body_text);
		curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, (long)strlen(body_text));
		curl_easy_setopt(curl, CURLOPT_HTTPHEADER, client->json_headers);
	} else {
		curl_easy_setopt(curl, CURLOPT_HTTPGET, 1L);
		curl_easy_setopt(curl, CURLOPT_HTTPHEADER, client->headers);
	}
	/* GET and POST follow from the options above; others are named. */
	curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST,
			 strcmp(method, "GET") == 0 || strcmp(method, "POST") == 0 ? NULL : method);

	code = curl_easy_perform(curl);
	cJSON_free(body_text);
	if (code != CURLE_OK) {
		const char *why = client->error_buffer[0] ? client->error_buffer : curl_easy_strerror(code);
		if (code == CURLE_OPERATION_TIMEDOUT)
			return failed(MEET_TIMEOUT, why);
		if (code == CURLE_WRITE_ERROR)
			return failed(MEET_BAD_JSON, "answer too large");
		return failed(MEET_UNREACHABLE, why);
	}
	curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
	client->last_status = (int)status;
	return meet_answer_parse((int)status, client->answer, client->answer_len);
}

struct meet_result meet_answer_parse(int http_status, const char *body, size_t body_len)
{
	struct meet_result result = { .failure = MEET_OK, .http_status = http_status };

	result.json = json_parse(body, body_len, NULL);
	if (result.json == NULL) {
		result.failure = MEET_BAD_JSON;
		snprintf(result.detail, sizeof result.detail, "HTTP %d answer is not JSON", http_status);
	}
	return result;
}

static bool is_success(const struct meet_result *result)
{
	return result->failure == MEET_OK && result->http_status >= 200 && result->http_status < 300;
}

int meet_url_build(char *out, size_t out_size, const char *base_url,
		   const char *const segments[], const char *const query[])
{
	size_t len;
	int n = snprintf(out, out_size, "%s/api/v1", base_url);

	if (n < 0 || (size_t)n >= out_size)
		return -1;
	len = (size_t)n;
	for (size_t i = 0; segments[i] != NULL; i++) {
		const char *segment = segments[i];
		if (segment[0] == '\0' || strcmp(segment, ".") == 0 || strcmp(segment, "..") == 0)
			return -1;
		char *escaped = curl_easy_escape(NULL, segment, 0);
		if (escaped == NULL)
			return -1;
		n = snprintf(out + len, out_size - len, "/%s", escaped);
		curl_free(escaped);
		if (n < 0 || (size_t)n >= out_size - len)
			return -1;
		len += (size_t)n;
	}
	for (size_t i = 0; query != NULL && query[i] != NULL; i += 2) {
		char *escaped = curl_easy_escape(NULL, query[i + 1], 0);
		if (escaped == NULL)
			return -1;
		n = snprintf(out + len, out_size - len, "%c%s=%s", i == 0 ? '?' : '&', query[i], escaped);
		curl_free(escaped);
		if (n < 0 || (size_t)n >= out_size - len)
			return -1;
		len += (size_t)n;
	}
	return 0;
}

/* Builds the URL and transfers; a URL that cannot be built is our bug, and
 * is reported as Meet being unreachable rather than sent anywhere. */
static struct meet_result call(struct meet_client *client, const char *method,
			       const char *const segments[], const char *const query[],
			       const cJSON *body)
{
	char url[MEET_URL_MAX];

	if (meet_url_build(url, sizeof url, client->base_url, segments, query) != 0)
		return failed(MEET_UNREACHABLE, "request URL could not be built");
	return transfer(client, method, url, body);
}

static cJSON *enabled(bool on)
{
	cJSON *object = cJSON_CreateObject();

	cJSON_AddBoolToObject(object, "enabled", on);
	return object;
}

cJSON *meet_room_create_body(const char *room_name)
{
	cJSON *body = cJSON_CreateObject();
	cJSON *config = cJSON_CreateObject();

	/* 3.8.0 dropped recording.allowAccessTo; the rest is the tutorial's. */
	cJSON_AddItemToObject(config, "chat", enabled(true));
	cJSON_AddItemToObject(config, "recording", enabled(true));
	cJSON_AddItemToObject(config, "virtualBackground", enabled(true));
	cJSON_AddStringToObject(body, "roomName", room_name);
	cJSON_AddItemToObject(body, "config", config);
	return body;
}

struct meet_result meet_client_create_room(struct meet_client *client, const char *room_name)
{
	const char *const segments[] = { "rooms", NULL };
	cJSON *body = meet_room_create_body(room_name);
	struct meet_result result = call(client, "POST", segments, NULL, body);

	cJSON_Delete(body);
	return result;
}

struct meet_result meet_client_delete_room(struct meet_client *client, const char *room_id)
{
	const char *const segments[] = { "rooms", room_id, NULL };
	/* A live meeting is not cut short: Meet deletes the room when it ends
	 * (202). Recordings are never destroyed from here: Meet answers 409. */
	const char *const query[] = { "withMeeting", "when_meeting_ends",
				      "withRecordings", "fail", NULL };

	return call(client, "DELETE", segments, query, NULL);
}

bool meet_member_is_external(const cJSON *member)
{
	const cJSON *type = cJSON_GetObjectItemCaseSensitive(member, "type");

	if (!cJSON_IsString(type))
		return false;
	for (size_t i = 0; i < sizeof external_member_types / sizeof external_member_types[0]; i++)
		if (strcmp(type->valuestring, external_member_types[i]) == 0)
			return true;
	return false;
}

static bool keep_every_item(const cJSON *item)
{
	(void)item;
	return true;
}

int meet_list_page_take(cJSON *all, cJSON *page, const char *list,
			bool (*keep)(const cJSON *item), char *token, size_t token_size)
{
	cJSON *items = cJSON_GetObjectItemCaseSensitive(page, list);
	cJSON *pagination = cJSON_GetObjectItemCaseSensitive(page, "pagination");
	cJSON *next = cJSON_GetObjectItemCaseSensitive(pagination, "nextPageToken");
	cJSON *item;

	if (!cJSON_IsArray(items))
		return -1;
	/* Detaching the head each time keeps this linear in the page's size. */
	while ((item = items->child) != NULL) {
		cJSON_DetachItemViaPointer(items, item);
		if (keep == NULL || keep(item))
			cJSON_AddItemToArray(all, item);
		else
			cJSON_Delete(item);
	}
	if (!cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(pagination, "isTruncated"))
	    || !cJSON_IsString(next) || next->valuestring[0] == '\0')
		return 0;
	/* A token that repeats or does not fit would loop forever. */
	if (strlen(next->valuestring) >= token_size || strcmp(next->valuestring, token) == 0)
		return -1;
	snprintf(token, token_size, "%s", next->valuestring);
	return 1;
}

/*
 * GETs every page of a list (segments, plus type_filter as ?type= when not
 * NULL) and returns the items of the field `list` that keep() accepts, as
 * one array in result.json.
 */
static struct meet_result list_all_pages(struct meet_client *client, const char *const segments[],
					 const char *type_filter, const char *list,
					 bool (*keep)(const cJSON *item))
{
	char page_size[8];
	char token[MEET_PAGE_TOKEN_MAX] = "";
	cJSON *all = cJSON_CreateArray();
	struct meet_result result = { .failure = MEET_OK };

	snprintf(page_size, sizeof page_size, "%d", MEET_PAGE_SIZE);
	if (all == NULL)
		return failed(MEET_UNREACHABLE, "out of memory");
	for (int page = 0; page < MEET_MAX_PAGES; page++) {
		const char *query[7] = { "maxItems", page_size };
		size_t q = 2;
		if (type_filter != NULL) {
			query[q++] = "type";
			query[q++] = type_filter;
		}
		if (token[0] != '\0') {
			query[q++] = "nextPageToken";
			query[q++] = token;
		}
		query[q] = NULL;

		result = call(client, "GET", segments, query, NULL);
		if (!is_success(&result))
			goto fail;

		int more = meet_list_page_take(all, result.json, list, keep, token, sizeof token);
		if (more < 0) {
			result.failure = MEET_BAD_JSON;
			snprintf(result.detail, sizeof result.detail, "page without a '%s' array or with a bad nextPageToken", list);
			goto fail;
		}
		if (more == 0) {
			meet_result_free(&result);
			result.json = all;
			return result;
		}
		meet_result_free(&result);
	}
	result.failure = MEET_BAD_JSON;
	snprintf(result.detail, sizeof result.detail, "more than %d pages", MEET_MAX_PAGES);
fail:
	cJSON_Delete(all);
	if (result.failure != MEET_OK)
		meet_result_free(&result);
	return result;
}

struct meet_result meet_client_list_rooms(struct meet_client *client)
{
	const char *const segments[] = { "rooms", NULL };

	return list_all_pages(client, segments, NULL, "rooms", keep_every_item);
}

struct meet_result meet_client_list_external_members(struct meet_client *client,
						     const char *room_id)
{
	const char *const segments[] = { "rooms", room_id, "members", NULL };
	int spelling = atomic_load(&member_type_spelling);
	struct meet_result result = list_all_pages(client, segments, external_member_types[spelling],
						   "members", meet_member_is_external);

	/* 422: this server spells the type the other way (Meet 3.8.0 refuses
	 * type=external: emulator/conformance/transcripts/08b-list-members-type-external.json). */
	if (result.failure == MEET_OK && result.http_status == 422) {
		int other = 1 - spelling;
		struct meet_result retry = list_all_pages(client, segments, external_member_types[other],
							  "members", meet_member_is_external);
		/* Any answer but a 422 means Meet took this spelling: keep it, and
		 * pass on what it said (the list, or e.g. a 404 for the room). */
		if (retry.failure != MEET_OK || retry.http_status != 422) {
			if (retry.failure == MEET_OK)
				atomic_store(&member_type_spelling, other);
			meet_result_free(&result);
			return retry;
		}
		meet_result_free(&retry);
	}
	return result;
}

static cJSON *member_body(const char *name, const char *base_role, const cJSON *custom_permissions)
{
	cJSON *body = cJSON_CreateObject();

	if (name != NULL && name[0] != '\0')
		cJSON_AddStringToObject(body, "name", name);
	if (base_role != NULL && base_role[0] != '\0')
		cJSON_AddStringToObject(body, "baseRole", base_role);
	if (custom_permissions != NULL)
		cJSON_AddItemToObject(body, "customPermissions", cJSON_Duplicate(custom_permissions, true));
	return body;
}

struct meet_result meet_client_add_member(struct meet_client *client, const char *room_id,
					  const char *name, const char *base_role,
					  const cJSON *custom_permissions)
{
	const char *const segments[] = { "rooms", room_id, "members", NULL };
	cJSON *body = member_body(name, base_role, custom_permissions);
	struct meet_result result = call(client, "POST", segments, NULL, body);

	cJSON_Delete(body);
	return result;
}

struct meet_result meet_client_get_member(struct meet_client *client, const char *room_id,
					  const char *member_id)
{
	const char *const segments[] = { "rooms", room_id, "members", member_id, NULL };

	return call(client, "GET", segments, NULL, NULL);
}

struct meet_result meet_client_update_member(struct meet_client *client, const char *room_id,
					     const char *member_id, const char *base_role,
					     const cJSON *custom_permissions)
{
	const char *const segments[] = { "rooms", room_id, "members", member_id, NULL };
	cJSON *body = member_body(NULL, base_role, custom_permissions);
	struct meet_result result = call(client, "PUT", segments, NULL, body);

	cJSON_Delete(body);
	return result;
}

struct meet_result meet_client_delete_member(struct meet_client *client, const char *room_id,
					     const char *member_id)
{
	const char *const segments[] = { "rooms", room_id, "members", member_id, NULL };

	return call(client, "DELETE", segments, NULL, NULL);
}

/* Meet's message, or a stand-in naming its status. */
static const char *meet_message(const struct meet_result *result, char *fallback, size_t size)
{
	const cJSON *message = cJSON_GetObjectItemCaseSensitive(result->json, "message");

	if (cJSON_IsString(message) && message->valuestring[0] != '\0')
		return message->valuestring;
	snprintf(fallback, size, "OpenVidu Meet answered HTTP %d", result->http_status);
	return fallback;
}

/* "field: message; field: message" from a 422's details. */
static void details_text(const cJSON *json, char *out, size_t size)
{
	const cJSON *detail;
	size_t len = 0;

	out[0] = '\0';
	cJSON_ArrayForEach(detail, cJSON_GetObjectItemCaseSensitive(json, "details")) {
		const cJSON *field = cJSON_GetObjectItemCaseSensitive(detail, "field");
		const cJSON *message = cJSON_GetObjectItemCaseSensitive(detail, "message");
		if (!cJSON_IsString(message))
			continue;
		int n = snprintf(out + len, size - len, "%s%s%s%s", len ? "; " : "",
				 cJSON_IsString(field) ? field->valuestring : "",
				 cJSON_IsString(field) && field->valuestring[0] ? ": " : "",
				 message->valuestring);
		if (n < 0 || (size_t)n >= size - len)
			break;
		len += (size_t)n;
	}
}

struct error meet_result_error(const struct meet_result *result, const char *meet_url)
{
	char fallback[64];
	int status = result->http_status;

	if (result->failure == MEET_UNREACHABLE)
		return error_make(502, "OpenVidu Meet at %s cannot be reached", meet_url);
	if (result->failure == MEET_TIMEOUT)
		return error_make(504, "OpenVidu Meet at %s did not answer in time", meet_url);
	if (status >= 500)
		return error_make(502, "OpenVidu Meet at %s failed (HTTP %d): %s", meet_url, status,
				  meet_message(result, fallback, sizeof fallback));
	/* Meet refusing our key is this server's misconfiguration, not the
	 * browser's: a 401 would read as "log in" to the person using the page. */
	if (status == 401 || status == 403)
		return error_make(502, "OpenVidu Meet at %s refused this server's API key "
				  "(HTTP %d: %s); check OV_MEET_API_KEY", meet_url, status,
				  meet_message(result, fallback, sizeof fallback));
	if (status >= 400) {
		const char *message = meet_message(result, fallback, sizeof fallback);
		char details[ERROR_MESSAGE_MAX];

		details_text(result->json, details, sizeof details);
		if (status == 422 && details[0] != '\0')
			return error_make(status, "%s: %s", message, details);
		return error_make(status, "%s", message);
	}
	if (result->failure == MEET_BAD_JSON)
		return error_make(502, "OpenVidu Meet at %s sent an answer that is not the JSON expected",
				  meet_url);
	if (status < 200 || status >= 300 || result->json == NULL)
		return error_make(502, "OpenVidu Meet at %s answered with unexpected HTTP %d", meet_url, status);
	return error_none();
}
