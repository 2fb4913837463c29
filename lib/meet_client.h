/*
 * meet_client: the only code that talks to OpenVidu Meet's REST API.
 *
 * A struct meet_client is one libcurl easy handle, made by
 * meet_client_create with its constant options (timeouts, allowed
 * protocols, keep-alive, the X-API-KEY header list) set once, and reused by
 * every call so the connection to Meet stays open. Each worker (lib/app.c:
 * each FastCGI worker thread, or the one plain-CGI request) has its own, and
 * only that worker uses it. Calls take ids already checked by validate_id;
 * they are URL-escaped here anyway.
 *
 * Each call returns a struct meet_result: how the transfer went, Meet's
 * HTTP status and its parsed JSON. meet_result_error turns one that is not
 * a success into the error our API answers with.
 *
 * Each call is bounded as a whole: MEET_TIMEOUT_MS from its start, shared
 * by every page of a list (each transfer gets what is left; none left is a
 * timeout before asking), and MEET_LIST_MAX_BYTES across a list's pages
 * (8 MiB for any one answer). A body that cannot be built is never replaced
 * by no body: the call fails with MEET_OUT_OF_MEMORY and nothing is sent.
 */
#ifndef MEET_MEET_CLIENT_H
#define MEET_MEET_CLIENT_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>

#include "config.h"
#include "error.h"

enum meet_failure {
	MEET_OK,           /* Meet answered; see http_status */
	MEET_UNREACHABLE,  /* no connection, reset, nothing answered */
	MEET_TIMEOUT,      /* the call took MEET_TIMEOUT_MS, all its pages together */
	MEET_BAD_JSON,     /* answered, but not with the JSON expected */
	MEET_TOO_LARGE,    /* an answer over 8 MiB, or a list over MEET_LIST_MAX_BYTES */
	MEET_OUT_OF_MEMORY, /* the request could not be built: nothing was sent */
};

struct meet_result {
	enum meet_failure failure;
	int http_status;   /* Meet's status; 0 when it did not answer */
	cJSON *json;       /* the answer (or, for lists, the merged array);
	                    * caller frees with meet_result_free */
	char detail[256];  /* libcurl's reason, for the log only */
};

struct meet_client;

/* Returns NULL when libcurl cannot be set up. Caller frees with meet_client_free. */
struct meet_client *meet_client_create(const struct config *config);
void meet_client_free(struct meet_client *client);

/* POST /rooms with the tutorial's config (chat, recording, virtual
 * background on) and every anonymous link (moderator, speaker, recording)
 * on or off as anonymous_access says (ROOM_ANONYMOUS_ACCESS). */
struct meet_result meet_client_create_room(struct meet_client *client, const char *room_name,
					   bool anonymous_access);

/* Every room, following nextPageToken; json is the array of rooms. Asks
 * only for the fields the app answers with (MEET_ROOM_LIST_FIELDS). */
struct meet_result meet_client_list_rooms(struct meet_client *client);

/* PUT /rooms/{roomId}/access turning every anonymous link off; json is
 * Meet's access object (its links included: not for the browser). */
struct meet_result meet_client_disable_anonymous_access(struct meet_client *client,
							const char *room_id);

struct meet_result meet_client_delete_room(struct meet_client *client, const char *room_id);

/* POST /rooms/{roomId}/members {name, baseRole, customPermissions?}. */
struct meet_result meet_client_add_member(struct meet_client *client, const char *room_id,
					  const char *name, const char *base_role,
					  const cJSON *custom_permissions);

/*
 * Every external member of the room, all pages; json is the array. Asks with
 * type=identified_guest (3.8.0); on a 422 asks with type=external (the
 * tutorial's spelling) and keeps whichever worked for the process's life.
 */
struct meet_result meet_client_list_external_members(struct meet_client *client,
						     const char *room_id);

struct meet_result meet_client_get_member(struct meet_client *client, const char *room_id,
					  const char *member_id);

/* PUT with the fields given (base_role "" and custom_permissions NULL are left out). */
struct meet_result meet_client_update_member(struct meet_client *client, const char *room_id,
					     const char *member_id, const char *base_role,
					     const cJSON *custom_permissions);

struct meet_result meet_client_delete_member(struct meet_client *client, const char *room_id,
					     const char *member_id);

void meet_result_free(struct meet_result *result);

/* Meet's status in the last transfer since the previous call (0: none), for
 * the request's log line; resets it. */
int meet_client_take_last_status(struct meet_client *client);

/* --- Pure helpers, exposed for the unit tests. --- */

/*
 * Writes base_url + "/api/v1" + "/segment"... into out, each segment
 * URL-escaped; then "?name=value&..." from query (pairs, NULL-terminated,
 * values escaped). Refuses empty, "." and ".." segments (escaping leaves dots
 * alone). Returns 0, or -1 when refused or out is too small.
 */
int meet_url_build(char *out, size_t out_size, const char *base_url,
		   const char *const segments[], const char *const query[]);

/* The room fields GET /rooms asks Meet for (?fields=). */
#define MEET_ROOM_LIST_FIELDS "roomId,roomName,creationDate,status,access"

/*
 * Bodies sent to Meet; each returns NULL when any part of it cannot be
 * allocated (never a body with a part missing). Caller frees with
 * cJSON_Delete.
 *   POST /rooms: {roomName, config: {chat, recording, virtualBackground},
 *   access: {anonymous: {moderator, speaker, recording}}}, each {enabled}
 *   POST/PUT members: {name?, baseRole?, customPermissions?} (name and
 *   base_role "" or NULL and custom_permissions NULL are left out)
 *   PUT /rooms/{roomId}/access: {access: {anonymous: {...}}}
 */
cJSON *meet_room_create_body(const char *room_name, bool anonymous_access);
cJSON *meet_member_body(const char *name, const char *base_role, const cJSON *custom_permissions);
cJSON *meet_access_body(bool anonymous_access);

/* True for a member whose type is identified_guest (3.8.0) or external (tutorial). */
bool meet_member_is_external(const cJSON *member);

/*
 * What each transfer makes of Meet's answer: its status, and its body
 * parsed as JSON (MEET_BAD_JSON when it is not). Caller frees with
 * meet_result_free.
 */
struct meet_result meet_answer_parse(int http_status, const char *body, size_t body_len);

/*
 * Moves the items of page's array `list` that keep() accepts (all when keep
 * is NULL) onto the array all. Returns 1 when another page follows (its
 * nextPageToken copied into token, which holds the previous one), 0 on the
 * last page, -1 when the page has no such array or its token repeats or
 * does not fit.
 */
int meet_list_page_take(cJSON *all, cJSON *page, const char *list,
			bool (*keep)(const cJSON *item), char *token, size_t token_size);

/*
 * The error our API answers for a result that is not a 2xx JSON answer:
 * unreachable 502 naming meet_url, timeout 504, non-JSON or too large 502,
 * out of memory 500, Meet 5xx 502, Meet 4xx with its status and message
 * (422 adds the fields' messages). Messages name meet_url without any
 * user:password@, query or fragment. Returns no error for a 2xx JSON answer.
 */
struct error meet_result_error(const struct meet_result *result, const char *meet_url);

#endif
