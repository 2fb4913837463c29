/*
 * emulator: what the parts of the Meet API emulator share.
 * http.c turns each MHD request into a struct request (raw path, decoded
 * query, body, headers) and writes the struct reply a handler fills in;
 * api.c holds the REST routes, pages.c the room page, its script, the
 * WebComponent bundle and its sound, livekit.c the LiveKit stand-in on a
 * port of its own. Handlers run with the store locked (store.h).
 */
#ifndef EMU_EMULATOR_H
#define EMU_EMULATOR_H

#include <stdbool.h>
#include <stddef.h>

#include <cjson/cJSON.h>

enum naming { NAMING_RELEASED, NAMING_TUTORIAL };
enum fault { FAULT_NONE, FAULT_SLOW, FAULT_STATUS, FAULT_GARBAGE, FAULT_RESET };

struct emu_config {
	char host[256];
	unsigned port;
	enum naming naming;
	enum fault fault;
	unsigned fault_value; /* ms for slow, status code for status */
	const char *log_path; /* NULL: no request log */
	char api_key[512];
	bool livekit;          /* MEET_EMULATOR_LIVEKIT_PORT set: answer LiveKit */
	unsigned livekit_port; /* its port (0 until bound when the kernel picks) */
	char livekit_url[512]; /* what joining tokens name as LiveKit's address */
};
extern struct emu_config emu_config;

/* What the member type is called, and its id prefix, in this naming. */
const char *emu_guest_type(void);
const char *emu_guest_prefix(void);

enum body_state {
	BODY_UNDEFINED, /* no body, or a content type no parser takes */
	BODY_JSON,      /* req->json holds it */
};

struct query_param {
	char *name;
	char *value; /* percent-decoded; "" when the parameter had no '=' */
};

struct request {
	const char *method;
	const char *path;      /* raw (not percent-decoded), without the query */
	const char *raw_query; /* after '?', or "" */
	char base_url[600];    /* scheme://Host/meet, as the server builds URLs */
	struct query_param *query;
	size_t query_count;
	enum body_state body_state;
	cJSON *json;
	const char *(*header)(const struct request *req, const char *name);
	void *conn; /* the MHD connection, for header() */
	char *params[3]; /* decoded path parameters of the matched route */
};

/* First value of a query parameter, or NULL. */
const char *request_query(const struct request *req, const char *name);

enum { REPLY_MAX_HEADERS = 6 };

struct reply {
	unsigned status;
	const char *content_type; /* static string; NULL for none */
	char *body;               /* malloc'd, owned by the reply */
	size_t body_len;
	struct {
		const char *name;
		char *value; /* malloc'd */
	} headers[REPLY_MAX_HEADERS];
	size_t header_count;
};

#define JSON_TYPE "application/json; charset=utf-8"

void reply_header(struct reply *r, const char *name, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Sets a JSON body (takes and frees the item). */
void reply_json(struct reply *r, unsigned status, cJSON *item);
/* {"error": error, "message": message} */
void reply_error(struct reply *r, unsigned status, const char *error, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* 422 with the details array (takes it). */
void reply_invalid(struct reply *r, cJSON *details);
void reply_text(struct reply *r, unsigned status, const char *type, const char *text);
void reply_free(struct reply *r);

/* api.c: /meet/api/v1/... and /meet/internal-api/v1/... (rest is the path
 * after the version prefix). */
void api_public(struct request *req, const char *rest, struct reply *r);
void api_internal(struct request *req, const char *rest, struct reply *r);

/* pages.c */
bool pages_init(void);
void pages_free(void);
void pages_room(struct request *req, const char *room_id_raw, struct reply *r);
void pages_bundle(struct request *req, struct reply *r);
/* Static files of the room page; false when name is not one of them. */
bool pages_static(struct request *req, const char *name, struct reply *r);
/* /meet/assets/sounds/participant-joined.wav */
void pages_sound(struct reply *r);

/* Who joins a meeting with a token (identity and display name). */
struct token_join {
	const char *identity;
	const char *name;
};
/* The token a valid secret gets (a JWT-shaped string); caller frees. With
 * join, it also grants joining the room's meeting on LiveKit, as the token
 * 3.8.0 issues for joinMeeting: true does, and names emu_config.livekit_url. */
char *pages_member_token(const char *room_id, const char *member_id,
			 const bool *permissions, bool moderator, const struct token_join *join);
/* The claims of a token pages_member_token issued and that has not expired,
 * or NULL; caller frees with cJSON_Delete. */
cJSON *pages_verify_token(const char *token);

#endif
