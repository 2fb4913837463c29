#include "meet_client.h"

#include <curl/curl.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

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
	long timeout_ms;                  /* MEET_TIMEOUT_MS: one call, all its pages */
	size_t list_max_bytes;            /* MEET_LIST_MAX_BYTES: one list, all its pages */
	char *answer;                     /* grows to the largest answer seen, plus its NUL */
	size_t answer_len;
	size_t answer_capacity;
	size_t answer_limit;              /* what this transfer's answer may take */
	bool answer_over_limit;           /* the transfer failed for passing it */
	int last_status;                  /* for meet_client_take_last_status */
};

/*
 * What one call may still spend: its deadline, MEET_TIMEOUT_MS after it
 * started, shared by every page of a list; and the bytes its answers may
 * still take, which a list's pages share.
 */
struct budget {
	struct timespec deadline;         /* CLOCK_MONOTONIC */
	size_t bytes_left;
};

static struct budget budget_start(const struct meet_client *client, size_t bytes)
{
	struct budget budget = { .bytes_left = bytes };

	clock_gettime(CLOCK_MONOTONIC, &budget.deadline);
	budget.deadline.tv_sec += client->timeout_ms / 1000;
	budget.deadline.tv_nsec += (client->timeout_ms % 1000) * 1000000L;
	if (budget.deadline.tv_nsec >= 1000000000L) {
		budget.deadline.tv_sec++;
		budget.deadline.tv_nsec -= 1000000000L;
	}
	return budget;
}

/* Whole milliseconds left before the deadline; 0 or less when none. */
static long budget_ms_left(const struct budget *budget)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (long)(budget->deadline.tv_sec - now.tv_sec) * 1000L
	       + (budget->deadline.tv_nsec - now.tv_nsec) / 1000000L;
}

static size_t collect_answer(char *data, size_t size, size_t count, void *user)
{
	struct meet_client *client = user;
	size_t len = size * count;

	if (len > client->answer_limit - client->answer_len) {
		client->answer_over_limit = true;
		return 0;  /* libcurl fails the transfer with CURLE_WRITE_ERROR */
	}
	/* One byte more for the NUL that ends the answer before it is parsed. */
	if (client->answer_len + len + 1 > client->answer_capacity) {
		size_t capacity = (client->answer_len + len + 1) * 2;
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
	client->timeout_ms = config->timeout_ms;
	client->list_max_bytes = (size_t)config->list_max_bytes;

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

/* Sets up the method and body of the next transfer: body_text is sent
 * as JSON when not NULL, and a request without one is never a POST. */
static void set_method(CURL *curl, struct meet_client *client, const char *method,
		       const char *body_text)
{
	if (body_text != NULL) {
		curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body_text);
		curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, (long)strlen(body_text));
		curl_easy_setopt(curl, CURLOPT_HTTPHEADER, client->json_headers);
	} else {
		curl_easy_setopt(curl, CURLOPT_HTTPGET, 1L);
		curl_easy_setopt(curl, CURLOPT_HTTPHEADER, client->headers);
	}
	/* GET and POST follow from the options above; others are named. */
	curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST,
			 strcmp(method, body_text != NULL ? "POST" : "GET") == 0 ? NULL : method);
}

/* Why a transfer failed, as a result. */
static struct meet_result transfer_failed(const struct meet_client *client, CURLcode code)
{
	const char *why = client->error_buffer[0] ? client->error_buffer : curl_easy_strerror(code);

	if (code == CURLE_OPERATION_TIMEDOUT)
		return failed(MEET_TIMEOUT, why);
	if (code == CURLE_WRITE_ERROR && !client->answer_over_limit)
		return failed(MEET_BAD_JSON, "out of memory reading the answer");
	if (code == CURLE_WRITE_ERROR && client->answer_limit < MEET_ANSWER_MAX_BYTES)
		return failed(MEET_TOO_LARGE, "the pages of the list passed MEET_LIST_MAX_BYTES");
	if (code == CURLE_WRITE_ERROR)
		return failed(MEET_TOO_LARGE, "answer larger than 8 MiB");
	return failed(MEET_UNREACHABLE, why);
}

/*
 * One HTTP transfer with Meet on the worker's handle, within what budget
 * has left, which it spends. body_text (JSON) may be NULL, except for
 * POST and PUT.
 */
static struct meet_result transfer(struct meet_client *client, struct budget *budget,
				   const char *method, const char *url, const char *body_text)
{
	CURL *curl = client->curl;
	long ms_left = budget_ms_left(budget);
	long status = 0;
	CURLcode code;

	if (body_text == NULL && (strcmp(method, "POST") == 0 || strcmp(method, "PUT") == 0))
		return failed(MEET_OUT_OF_MEMORY, "a POST or PUT without its body is not sent");
	if (ms_left <= 0)
		return failed(MEET_TIMEOUT, "MEET_TIMEOUT_MS spent before this transfer");
	client->answer_len = 0;
	client->answer_over_limit = false;
	client->answer_limit = budget->bytes_left < MEET_ANSWER_MAX_BYTES ? budget->bytes_left
									  : MEET_ANSWER_MAX_BYTES;
	client->error_buffer[0] = '\0';
	curl_easy_setopt(curl, CURLOPT_URL, url);
	curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, ms_left);
	set_method(curl, client, method, body_text);

	code = curl_easy_perform(curl);
	budget->bytes_left -= client->answer_len;
	if (code != CURLE_OK)
		return transfer_failed(client, code);
	curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
	client->last_status = (int)status;
	if (client->answer == NULL)
		return meet_answer_parse((int)status, "", 0);
	client->answer[client->answer_len] = '\0';
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
static struct meet_result call(struct meet_client *client, struct budget *budget,
			       const char *method, const char *const segments[],
			       const char *const query[], const char *body_text)
{
	char url[MEET_URL_MAX];

	if (meet_url_build(url, sizeof url, client->base_url, segments, query) != 0)
		return failed(MEET_UNREACHABLE, "request URL could not be built");
	return transfer(client, budget, method, url, body_text);
}

/* One call without a body: a budget of its own, for one answer. */
static struct meet_result call_once(struct meet_client *client, const char *method,
				    const char *const segments[], const char *const query[])
{
	struct budget budget = budget_start(client, MEET_ANSWER_MAX_BYTES);

	return call(client, &budget, method, segments, query, NULL);
}

/* One call with body (taken: deleted here), which is NULL when it could not
 * be built: then, or when it cannot be printed, nothing is sent. */
static struct meet_result call_with_body(struct meet_client *client, const char *method,
					 const char *const segments[], cJSON *body)
{
	struct budget budget = budget_start(client, MEET_ANSWER_MAX_BYTES);
	char *text = body != NULL ? cJSON_PrintUnformatted(body) : NULL;
	struct meet_result result;

	cJSON_Delete(body);
	if (text == NULL)
		return failed(MEET_OUT_OF_MEMORY, "out of memory building the request body");
	result = call(client, &budget, method, segments, NULL, text);
	cJSON_free(text);
	return result;
}

/* Adds item to object under key, or deletes it: false when item is NULL or
 * cannot be added, so a part that failed is never silently left out. */
static bool add_owned(cJSON *object, const char *key, cJSON *item)
{
	if (item != NULL && cJSON_AddItemToObject(object, key, item))
		return true;
	cJSON_Delete(item);
	return false;
}

/* {key: item}, taking item; NULL (item deleted) when out of memory. */
static cJSON *object_with(const char *key, cJSON *item)
{
	cJSON *object = cJSON_CreateObject();

	if (object == NULL) {
		cJSON_Delete(item);
		return NULL;
	}
	if (!add_owned(object, key, item)) {
		cJSON_Delete(object);
		return NULL;
	}
	return object;
}

static cJSON *enabled(bool on)
{
	return object_with("enabled", cJSON_CreateBool(on));
}

/* {key1: {enabled: on}, key2: ...} for each of keys (NULL-terminated). */
static cJSON *switches(const char *const keys[], bool on)
{
	cJSON *object = cJSON_CreateObject();

	for (size_t i = 0; object != NULL && keys[i] != NULL; i++) {
		if (!add_owned(object, keys[i], enabled(on))) {
			cJSON_Delete(object);
			object = NULL;
		}
	}
	return object;
}

/* Meet's access: {anonymous: {moderator, speaker, recording: {enabled}}}. */
static cJSON *anonymous_access(bool on)
{
	static const char *const links[] = { "moderator", "speaker", "recording", NULL };

	return object_with("anonymous", switches(links, on));
}

cJSON *meet_room_create_body(const char *room_name, bool anonymous_on)
{
	/* 3.8.0 dropped recording.allowAccessTo; the rest is the tutorial's. */
	static const char *const features[] = { "chat", "recording", "virtualBackground", NULL };
	cJSON *body = cJSON_CreateObject();

	if (body == NULL)
		return NULL;
	if (cJSON_AddStringToObject(body, "roomName", room_name) == NULL
	    || !add_owned(body, "config", switches(features, true))
	    || !add_owned(body, "access", anonymous_access(anonymous_on))) {
		cJSON_Delete(body);
		return NULL;
	}
	return body;
}

cJSON *meet_access_body(bool anonymous_on)
{
	return object_with("access", anonymous_access(anonymous_on));
}

struct meet_result meet_client_create_room(struct meet_client *client, const char *room_name,
					   bool anonymous_access)
{
	const char *const segments[] = { "rooms", NULL };

	return call_with_body(client, "POST", segments,
			      meet_room_create_body(room_name, anonymous_access));
}

struct meet_result meet_client_disable_anonymous_access(struct meet_client *client,
							const char *room_id)
{
	const char *const segments[] = { "rooms", room_id, "access", NULL };

	return call_with_body(client, "PUT", segments, meet_access_body(false));
}

struct meet_result meet_client_delete_room(struct meet_client *client, const char *room_id)
{
	const char *const segments[] = { "rooms", room_id, NULL };
	/* A live meeting is not cut short: Meet deletes the room when it ends
	 * (202). Recordings are never destroyed from here: Meet answers 409. */
	const char *const query[] = { "withMeeting", "when_meeting_ends",
				      "withRecordings", "fail", NULL };

	return call_once(client, "DELETE", segments, query);
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

/* What a list asks for besides its page: one ?name=value filter. */
struct list_filter {
	const char *name;   /* NULL for none */
	const char *value;
};

/*
 * GETs every page of a list (segments, plus filter) within budget, and
 * returns the items of the field `list` that keep() accepts, as one array
 * in result.json.
 */
static struct meet_result list_all_pages(struct meet_client *client, struct budget *budget,
					 const char *const segments[], struct list_filter filter,
					 const char *list, bool (*keep)(const cJSON *item))
{
	char page_size[8];
	char token[MEET_PAGE_TOKEN_MAX] = "";
	cJSON *all = cJSON_CreateArray();
	struct meet_result result = { .failure = MEET_OK };

	snprintf(page_size, sizeof page_size, "%d", MEET_PAGE_SIZE);
	if (all == NULL)
		return failed(MEET_OUT_OF_MEMORY, "out of memory");
	for (int page = 0; page < MEET_MAX_PAGES; page++) {
		const char *query[7] = { "maxItems", page_size };
		size_t q = 2;
		if (filter.name != NULL) {
			query[q++] = filter.name;
			query[q++] = filter.value;
		}
		if (token[0] != '\0') {
			query[q++] = "nextPageToken";
			query[q++] = token;
		}
		query[q] = NULL;

		result = call(client, budget, "GET", segments, query, NULL);
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
	struct budget budget = budget_start(client, client->list_max_bytes);
	/* Only what the app answers with: no access URL travels for nothing. */
	struct list_filter fields = { "fields", MEET_ROOM_LIST_FIELDS };

	return list_all_pages(client, &budget, segments, fields, "rooms", keep_every_item);
}

/* Members of type external_member_types[spelling], every page, within budget. */
static struct meet_result list_members_spelled(struct meet_client *client, struct budget *budget,
					       const char *const segments[], int spelling)
{
	struct list_filter type = { "type", external_member_types[spelling] };

	return list_all_pages(client, budget, segments, type, "members", meet_member_is_external);
}

struct meet_result meet_client_list_external_members(struct meet_client *client,
						     const char *room_id)
{
	const char *const segments[] = { "rooms", room_id, "members", NULL };
	int spelling = atomic_load(&member_type_spelling);
	/* One budget for both spellings: the retry is the same request. */
	struct budget budget = budget_start(client, client->list_max_bytes);
	struct meet_result result = list_members_spelled(client, &budget, segments, spelling);

	/* 422: this server spells the type the other way (Meet 3.8.0 refuses
	 * type=external: emulator/conformance/transcripts/08b-list-members-type-external.json). */
	if (result.failure == MEET_OK && result.http_status == 422) {
		int other = 1 - spelling;
		struct meet_result retry = list_members_spelled(client, &budget, segments, other);
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

/* Adds text under key unless it is NULL or "": false when out of memory. */
static bool add_text(cJSON *object, const char *key, const char *text)
{
	return text == NULL || text[0] == '\0' || cJSON_AddStringToObject(object, key, text) != NULL;
}

cJSON *meet_member_body(const char *name, const char *base_role, const cJSON *custom_permissions)
{
	cJSON *body = cJSON_CreateObject();

	if (body == NULL)
		return NULL;
	if (!add_text(body, "name", name) || !add_text(body, "baseRole", base_role)
	    || (custom_permissions != NULL
		&& !add_owned(body, "customPermissions", cJSON_Duplicate(custom_permissions, true)))) {
		cJSON_Delete(body);
		return NULL;
	}
	return body;
}

struct meet_result meet_client_add_member(struct meet_client *client, const char *room_id,
					  const char *name, const char *base_role,
					  const cJSON *custom_permissions)
{
	const char *const segments[] = { "rooms", room_id, "members", NULL };

	return call_with_body(client, "POST", segments,
			      meet_member_body(name, base_role, custom_permissions));
}

struct meet_result meet_client_get_member(struct meet_client *client, const char *room_id,
					  const char *member_id)
{
	const char *const segments[] = { "rooms", room_id, "members", member_id, NULL };

	return call_once(client, "GET", segments, NULL);
}

struct meet_result meet_client_update_member(struct meet_client *client, const char *room_id,
					     const char *member_id, const char *base_role,
					     const cJSON *custom_permissions)
{
	const char *const segments[] = { "rooms", room_id, "members", member_id, NULL };

	return call_with_body(client, "PUT", segments,
			      meet_member_body(NULL, base_role, custom_permissions));
}

struct meet_result meet_client_delete_member(struct meet_client *client, const char *room_id,
					     const char *member_id)
{
	const char *const segments[] = { "rooms", room_id, "members", member_id, NULL };

	return call_once(client, "DELETE", segments, NULL);
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

/* meet_url as messages name it: without user:password@, query or fragment
 * (config_load refuses them; this keeps a message safe whatever it gets). */
static const char *url_for_message(const char *meet_url, char *out, size_t size)
{
	const char *scheme_end = strstr(meet_url, "://");
	const char *host = scheme_end != NULL ? scheme_end + 3 : meet_url;
	size_t authority = strcspn(host, "/?#");
	const char *at = memchr(host, '@', authority);
	int scheme_len = (int)(host - meet_url);

	if (at != NULL)
		host = at + 1;
	snprintf(out, size, "%.*s%.*s", scheme_len, meet_url, (int)strcspn(host, "?#"), host);
	return out;
}

struct error meet_result_error(const struct meet_result *result, const char *meet_url_given)
{
	char fallback[64];
	char url[CONFIG_URL_MAX];
	const char *meet_url = url_for_message(meet_url_given, url, sizeof url);
	int status = result->http_status;

	if (result->failure == MEET_OUT_OF_MEMORY)
		return error_make(500, "This server ran out of memory preparing its request to "
				  "OpenVidu Meet at %s; nothing was sent", meet_url);
	if (result->failure == MEET_TOO_LARGE)
		return error_make(502, "OpenVidu Meet at %s sent more than this server takes for "
				  "one request (8 MiB an answer, MEET_LIST_MAX_BYTES a list)", meet_url);
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
