/*
 * The REST API of OpenVidu Meet 3.8.0 as the emulator answers it:
 * a route table per API (public, internal), then for each route the checks
 * in the released order: API key, request validation (zod-like issues with
 * the recorded messages, 422), existence of the room (404), the operation.
 * Validation collects every issue like zod 3: a type error "aborts" the
 * object, so the cross-field refinement (name vs userId) is skipped after it.
 */
#include <math.h>
#include <regex.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "emulator.h"
#include "livekit.h"
#include "store.h"
#include "text.h"

/* ---------- validation issues ---------- */

struct issues {
	cJSON *details;
	bool aborted;
};

static void issue(struct issues *is, const char *field, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void issue(struct issues *is, const char *field, const char *fmt, ...)
{
	char message[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(message, sizeof message, fmt, ap);
	va_end(ap);
	if (!is->details)
		is->details = cJSON_CreateArray();
	cJSON *d = cJSON_CreateObject();
	cJSON_AddStringToObject(d, "field", field);
	cJSON_AddStringToObject(d, "message", message);
	cJSON_AddItemToArray(is->details, d);
}

/* zod 3's name for the type of a JSON value */
static const char *zod_type(const cJSON *v)
{
	if (cJSON_IsString(v)) return "string";
	if (cJSON_IsNumber(v)) return "number";
	if (cJSON_IsBool(v)) return "boolean";
	if (cJSON_IsArray(v)) return "array";
	if (cJSON_IsNull(v)) return "null";
	return "object";
}

/* invalid_type: "Required" when missing, else "Expected X, received Y" */
static void type_issue(struct issues *is, const char *field, const char *expected, const cJSON *v)
{
	if (!v)
		issue(is, field, "Required");
	else
		issue(is, field, "Expected %s, received %s", expected, zod_type(v));
	is->aborted = true;
}

static void join_path(char *out, size_t cap, const char *parent, const char *key)
{
	if (*parent)
		snprintf(out, cap, "%s.%s", parent, key);
	else
		snprintf(out, cap, "%s", key);
}

/* z.enum(options): the index of the value, or -1 after an issue */
static int check_enum(struct issues *is, const char *field, const cJSON *v,
		      const char *const *options, size_t count)
{
	char expected[256] = "";
	for (size_t i = 0; i < count; i++) {
		if (v && cJSON_IsString(v) && strcmp(v->valuestring, options[i]) == 0)
			return (int)i;
		size_t used = strlen(expected);
		snprintf(expected + used, sizeof expected - used, "%s'%s'", i ? " | " : "", options[i]);
	}
	if (v && cJSON_IsString(v))
		issue(is, field, "Invalid enum value. Expected %s, received '%s'", expected, v->valuestring);
	else
		type_issue(is, field, expected, v);
	is->aborted = true;
	return -1;
}

/* The same for a query parameter (always a string when present). */
static int check_query_enum(struct issues *is, const char *field, const char *value,
			    const char *const *options, size_t count, int fallback)
{
	if (!value)
		return fallback;
	cJSON *v = cJSON_CreateString(value);
	int i = check_enum(is, field, v, options, count);
	cJSON_Delete(v);
	return i;
}

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* ---------- shared request pieces ---------- */

static const char *const policy_meeting[] = { "force", "when_meeting_ends", "fail" };
static const char *const policy_recordings[] = { "force", "close", "fail" };
static const char *const role_options[] = { "moderator", "speaker" };
static const char *const match_modes[] = { "exact", "prefix", "partial", "regex" };
static const char *const sort_orders[] = { "asc", "desc" };

/* Requests without an API key count against the public limiter; the
 * emulator reports the headers but never answers 429. */
static struct {
	long long window_start_ms;
	unsigned used;
} rate;

static void rate_limit_headers(struct request *req, struct reply *r)
{
	if (req->header(req, "x-api-key"))
		return;
	long long now = text_now_ms();
	if (now - rate.window_start_ms >= 60000) {
		rate.window_start_ms = now;
		rate.used = 0;
	}
	rate.used++;
	long long reset = (rate.window_start_ms + 60000 - now + 999) / 1000;
	reply_header(r, "RateLimit", "limit=120, remaining=%u, reset=%lld",
		     rate.used >= 120 ? 0 : 120 - rate.used, reset);
	reply_header(r, "RateLimit-Policy", "120;w=60");
}

static bool authorized(struct request *req, struct reply *r)
{
	const char *key = req->header(req, "x-api-key");
	if (!key || !*key) {
		reply_error(r, 401, "Authentication Error", "Unauthorized");
		return false;
	}
	if (strcmp(key, emu_config.api_key) != 0) {
		reply_error(r, 401, "Authentication Error", "Invalid API key");
		return false;
	}
	return true;
}

/* Does the request ask for this extra field (query extraFields or the
 * X-ExtraFields header, comma lists)? */
static bool wants_extra(struct request *req, const char *name)
{
	const char *lists[2] = { request_query(req, "extraFields"), req->header(req, "x-extrafields") };
	for (int i = 0; i < 2; i++) {
		if (!lists[i])
			continue;
		const char *p = lists[i];
		size_t n = strlen(name);
		while (*p) {
			while (*p == ' ' || *p == ',')
				p++;
			const char *end = p;
			while (*end && *end != ',')
				end++;
			const char *last = end;
			while (last > p && last[-1] == ' ')
				last--;
			if ((size_t)(last - p) == n && strncmp(p, name, n) == 0)
				return true;
			p = end;
		}
	}
	return false;
}

/* roomId path parameter: 1-100 characters, then everything outside
 * [a-zA-Z0-9_-] removed; empty after that is a 422. */
static void check_room_id(struct issues *is, const char *field, const char *raw, char *out, size_t cap)
{
	size_t n = 0;
	if (text_utf16_length(raw) > 100) {
		issue(is, field, "roomId cannot exceed 100 characters");
		out[0] = '\0';
		return;
	}
	for (const char *p = raw; *p && n + 1 < cap; p++) {
		char c = *p;
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-')
			out[n++] = c;
	}
	out[n] = '\0';
	if (n == 0)
		issue(is, field, "roomId cannot be empty after sanitization");
}

/* The roomId of a /rooms/:roomId/... route; false after answering 422. */
static bool route_room_id(struct request *req, struct reply *r, char *room_id, size_t cap)
{
	struct issues is = { 0 };
	check_room_id(&is, "roomId", req->params[0], room_id, cap);
	if (is.details) {
		reply_invalid(r, is.details);
		return false;
	}
	return true;
}

static void room_not_found(struct reply *r, const char *room_id)
{
	reply_error(r, 404, "Room Error", "Room '%s' does not exist", room_id);
}

/* The room of a checked roomId; NULL after answering 404. */
static struct room *route_room(struct reply *r, const char *room_id)
{
	struct room *room = store_find_room(room_id);
	if (!room)
		room_not_found(r, room_id);
	return room;
}

static void member_not_found(struct reply *r, const char *member_id, const char *room_id)
{
	reply_error(r, 404, "Room Member Error", "Room member '%s' not found in room '%s'", member_id, room_id);
}

/* maxItems: coerced number, > 0, floored, at most 100, default 10 */
static size_t check_max_items(struct request *req, struct issues *is)
{
	const char *v = request_query(req, "maxItems");
	double d;
	if (!v)
		return 10;
	if (!text_js_number(v, &d)) {
		issue(is, "maxItems", "Expected number, received nan");
		return 10;
	}
	if (!(d > 0)) {
		issue(is, "maxItems", "maxItems must be a positive number");
		return 10;
	}
	d = floor(d);
	if (d > 100)
		d = 100;
	return d < 1 ? 1 : (size_t)d;
}

struct page_token {
	bool set;
	bool valid;
	bool no_value; /* fieldValue null: nothing comes after it */
	long long ms;
	char oid[25];
};

/* nextPageToken: base64 of {"fieldValue", "id"}; not validated by the
 * released server, so a broken one fails later with a 500. A null
 * fieldValue (see store_page_token) matches no item: an empty page. */
static struct page_token read_page_token(struct request *req)
{
	struct page_token t = { 0 };
	const char *v = request_query(req, "nextPageToken");
	if (!v || !*v)
		return t;
	t.set = true;
	size_t len;
	unsigned char *raw = text_base64_decode(v, &len);
	cJSON *json = cJSON_ParseWithLength((const char *)raw, len);
	const cJSON *fv = cJSON_GetObjectItemCaseSensitive(json, "fieldValue");
	const cJSON *id = cJSON_GetObjectItemCaseSensitive(json, "id");
	if ((cJSON_IsNumber(fv) || cJSON_IsNull(fv)) && cJSON_IsString(id) && strlen(id->valuestring) < sizeof t.oid) {
		t.valid = true;
		t.no_value = cJSON_IsNull(fv);
		t.ms = t.no_value ? 0 : (long long)fv->valuedouble;
		snprintf(t.oid, sizeof t.oid, "%s", id->valuestring);
	}
	cJSON_Delete(json);
	free(raw);
	return t;
}

/* name filter of the lists: exact (default), prefix, partial or regex */
struct name_filter {
	const char *value;
	int mode;
	bool case_insensitive;
	regex_t regex;
	bool regex_ready;
};

static void check_name_filter(struct request *req, struct issues *is, const char *field,
			      const char *mode_field, const char *ci_field, struct name_filter *f)
{
	f->value = request_query(req, field);
	f->mode = check_query_enum(is, mode_field, request_query(req, mode_field),
				   match_modes, COUNT(match_modes), 0);
	const char *ci = request_query(req, ci_field);
	f->case_insensitive = ci && strcasecmp(ci, "true") == 0;
	if (f->value && f->mode == 3) {
		int flags = REG_EXTENDED | REG_NOSUB | (f->case_insensitive ? REG_ICASE : 0);
		if (regcomp(&f->regex, f->value, flags) == 0)
			f->regex_ready = true;
		else
			issue(is, field, "Invalid regular expression pattern");
	}
}

static bool name_matches(const struct name_filter *f, const char *name)
{
	if (!f->value)
		return true;
	size_t n = strlen(f->value);
	int (*cmp)(const char *, const char *, size_t) = f->case_insensitive ? strncasecmp : strncmp;
	switch (f->mode) {
	case 1:
		return cmp(name, f->value, n) == 0;
	case 2:
		for (const char *p = name; *p; p++)
			if (cmp(p, f->value, n) == 0)
				return true;
		return n == 0;
	case 3:
		return f->regex_ready && regexec(&f->regex, name, 0, NULL, 0) == 0;
	default:
		return strlen(name) == n && cmp(name, f->value, n) == 0;
	}
}

static void name_filter_free(struct name_filter *f)
{
	if (f->regex_ready)
		regfree(&f->regex);
}

/* pagination object and the token of the last item */
static cJSON *pagination_json(const struct list_item *items, size_t n, bool truncated, size_t max_items,
			      bool token_value)
{
	cJSON *p = cJSON_CreateObject();
	cJSON_AddBoolToObject(p, "isTruncated", truncated);
	if (truncated && n > 0) {
		char *token = store_page_token(&items[n - 1], token_value);
		cJSON_AddStringToObject(p, "nextPageToken", token);
		free(token);
	}
	cJSON_AddNumberToObject(p, "maxItems", (double)max_items);
	return p;
}

static cJSON *string_array(const char *a, const char *b)
{
	cJSON *arr = cJSON_CreateArray();
	cJSON_AddItemToArray(arr, cJSON_CreateString(a));
	if (b)
		cJSON_AddItemToArray(arr, cJSON_CreateString(b));
	return arr;
}

/* A body the JSON parser did not take is undefined: 422 "Required" on "" */
static bool check_body_object(struct request *req, struct issues *is)
{
	if (req->body_state != BODY_JSON) {
		type_issue(is, "", "object", NULL);
		return false;
	}
	if (!cJSON_IsObject(req->json)) {
		type_issue(is, "", "object", req->json);
		return false;
	}
	return true;
}

/* A map of the 14 permissions, each optional and boolean, unknown keys dropped. */
static void check_permissions(struct issues *is, const char *path, const cJSON *obj, signed char out[PERM_COUNT])
{
	char field[160];
	for (int p = 0; p < PERM_COUNT; p++) {
		const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, store_perm_names[p]);
		if (!v)
			continue;
		join_path(field, sizeof field, path, store_perm_names[p]);
		if (!cJSON_IsBool(v))
			type_issue(is, field, "boolean", v);
		else
			out[p] = cJSON_IsTrue(v);
	}
}

/* {enabled: boolean} sections of config and access: true when *out was set */
static bool check_enabled(struct issues *is, const cJSON *parent, const char *path, const char *key, bool *out)
{
	char field[160];
	const cJSON *section = cJSON_GetObjectItemCaseSensitive(parent, key);
	if (!section)
		return false;
	join_path(field, sizeof field, path, key);
	if (!cJSON_IsObject(section)) {
		type_issue(is, field, "object", section);
		return false;
	}
	const cJSON *enabled = cJSON_GetObjectItemCaseSensitive(section, "enabled");
	char enabled_field[200];
	join_path(enabled_field, sizeof enabled_field, field, "enabled");
	if (!cJSON_IsBool(enabled)) {
		type_issue(is, enabled_field, "boolean", enabled);
		return false;
	}
	*out = cJSON_IsTrue(enabled);
	return true;
}

/* The same where leaving it out matters: -1 not given, 0 false, 1 true. */
static void check_enabled_given(struct issues *is, const cJSON *parent, const char *path, const char *key,
				signed char *out)
{
	bool value;
	if (check_enabled(is, parent, path, key, &value))
		*out = value;
}

/* An access object (an object already): anonymous {moderator, speaker,
 * recording} and user, each optional and {enabled: boolean}. */
static void check_access(struct issues *is, const cJSON *access, signed char anonymous[ACCESS_COUNT],
			 signed char *user)
{
	static const char *const names[ACCESS_COUNT] = { "moderator", "speaker", "recording" };
	const cJSON *anon = cJSON_GetObjectItemCaseSensitive(access, "anonymous");
	if (anon && !cJSON_IsObject(anon)) {
		type_issue(is, "access.anonymous", "object", anon);
	} else if (anon) {
		for (int a = 0; a < ACCESS_COUNT; a++)
			check_enabled_given(is, anon, "access.anonymous", names[a], &anonymous[a]);
	}
	check_enabled_given(is, access, "access", "user", user);
}

/* ---------- rooms ---------- */

static const char *const layouts[] = { "grid", "speaker", "single-speaker" };
static const char *const encodings[] = {
	"H264_720P_30", "H264_720P_60", "H264_1080P_30", "H264_1080P_60",
	"PORTRAIT_H264_720P_30", "PORTRAIT_H264_720P_60", "PORTRAIT_H264_1080P_30",
	"PORTRAIT_H264_1080P_60",
};

struct room_options {
	char *name; /* normalised; malloc'd */
	long long auto_deletion_ms;
	int policy_meeting, policy_recordings;
	struct room_config config;
	bool recording_given;
	signed char permissions[2][PERM_COUNT];
	bool anonymous[ACCESS_COUNT];
	bool user;
};

static bool js_whitespace(unsigned char c)
{
	return c == ' ' || (c >= 0x09 && c <= 0x0D);
}

/* trim, then inner whitespace runs to one space (ASCII whitespace only) */
static char *normalise_room_name(const char *s)
{
	struct buf b = { 0 };
	bool space = false;
	while (js_whitespace((unsigned char)*s))
		s++;
	for (; *s; s++) {
		if (js_whitespace((unsigned char)*s)) {
			space = true;
			continue;
		}
		if (space)
			buf_puts(&b, " ");
		space = false;
		buf_append(&b, s, 1);
	}
	return buf_take(&b);
}

static void check_recording(struct issues *is, const cJSON *config, struct room_options *o)
{
	const cJSON *rec = cJSON_GetObjectItemCaseSensitive(config, "recording");
	if (!rec)
		return;
	if (!cJSON_IsObject(rec)) {
		type_issue(is, "config.recording", "object", rec);
		return;
	}
	const cJSON *enabled = cJSON_GetObjectItemCaseSensitive(rec, "enabled");
	if (!cJSON_IsBool(enabled))
		type_issue(is, "config.recording.enabled", "boolean", enabled);
	else {
		o->config.recording = cJSON_IsTrue(enabled);
		o->recording_given = true;
	}
	const cJSON *layout = cJSON_GetObjectItemCaseSensitive(rec, "layout");
	if (layout) {
		int i = check_enum(is, "config.recording.layout", layout, layouts, COUNT(layouts));
		if (i >= 0)
			snprintf(o->config.layout, sizeof o->config.layout, "%s", layouts[i]);
	}
	const cJSON *encoding = cJSON_GetObjectItemCaseSensitive(rec, "encoding");
	if (encoding) {
		bool ok = cJSON_IsObject(encoding);
		for (size_t i = 0; !ok && cJSON_IsString(encoding) && i < COUNT(encodings); i++)
			ok = strcmp(encoding->valuestring, encodings[i]) == 0;
		if (!ok) {
			issue(is, "config.recording.encoding", "Invalid input");
			is->aborted = true;
		} else {
			cJSON_Delete(o->config.encoding);
			o->config.encoding = cJSON_Duplicate(encoding, true);
		}
	}
}

/* RoomOptionsSchema, in its field order; unknown keys dropped. */
static void check_room_options(struct request *req, struct issues *is, struct room_options *o)
{
	memset(o, 0, sizeof *o);
	o->config = (struct room_config){ .chat = true, .recording = true, .virtual_background = true,
		.e2ee = false, .captions = true };
	snprintf(o->config.layout, sizeof o->config.layout, "grid");
	o->config.encoding = cJSON_CreateString("H264_720P_30");
	o->policy_meeting = 1;
	o->policy_recordings = 1;
	memset(o->permissions, -1, sizeof o->permissions);
	for (int a = 0; a < ACCESS_COUNT; a++)
		o->anonymous[a] = true;
	if (!check_body_object(req, is))
		return;
	const cJSON *body = req->json;

	const cJSON *name = cJSON_GetObjectItemCaseSensitive(body, "roomName");
	if (name && !cJSON_IsString(name))
		type_issue(is, "roomName", "string", name);
	else if (name && text_utf16_length(name->valuestring) > 50)
		issue(is, "roomName", "roomName cannot exceed 50 characters");
	else
		o->name = normalise_room_name(name ? name->valuestring : "Room");

	const cJSON *date = cJSON_GetObjectItemCaseSensitive(body, "autoDeletionDate");
	if (date && !cJSON_IsNumber(date))
		type_issue(is, "autoDeletionDate", "number", date);
	else if (date && !(date->valuedouble >= (double)(text_now_ms() + 3600 * 1000)))
		issue(is, "autoDeletionDate", "autoDeletionDate must be at least 1h in the future");
	else if (date)
		o->auto_deletion_ms = (long long)date->valuedouble;

	const cJSON *policy = cJSON_GetObjectItemCaseSensitive(body, "autoDeletionPolicy");
	if (policy && !cJSON_IsObject(policy)) {
		type_issue(is, "autoDeletionPolicy", "object", policy);
	} else if (policy) {
		const cJSON *m = cJSON_GetObjectItemCaseSensitive(policy, "withMeeting");
		const cJSON *rec = cJSON_GetObjectItemCaseSensitive(policy, "withRecordings");
		if (m) {
			int i = check_enum(is, "autoDeletionPolicy.withMeeting", m, policy_meeting, COUNT(policy_meeting));
			if (i == 2)
				issue(is, "autoDeletionPolicy.withMeeting", "FAIL policy is not allowed for withMeeting auto-deletion policy");
			else if (i >= 0)
				o->policy_meeting = i;
		}
		if (rec) {
			int i = check_enum(is, "autoDeletionPolicy.withRecordings", rec, policy_recordings, COUNT(policy_recordings));
			if (i == 2)
				issue(is, "autoDeletionPolicy.withRecordings", "FAIL policy is not allowed for withRecordings auto-deletion policy");
			else if (i >= 0)
				o->policy_recordings = i;
		}
	}

	const cJSON *config = cJSON_GetObjectItemCaseSensitive(body, "config");
	if (config && !cJSON_IsObject(config)) {
		type_issue(is, "config", "object", config);
	} else if (config) {
		check_enabled(is, config, "config", "chat", &o->config.chat);
		check_recording(is, config, o);
		check_enabled(is, config, "config", "virtualBackground", &o->config.virtual_background);
		check_enabled(is, config, "config", "e2ee", &o->config.e2ee);
		check_enabled(is, config, "config", "captions", &o->config.captions);
	}
	/* end-to-end encryption and recording exclude each other */
	if (o->config.e2ee && o->config.recording)
		o->config.recording = false;

	const cJSON *roles = cJSON_GetObjectItemCaseSensitive(body, "roles");
	if (roles && !cJSON_IsObject(roles)) {
		type_issue(is, "roles", "object", roles);
	} else if (roles) {
		for (int r = 0; r < 2; r++) {
			char field[96];
			const cJSON *role = cJSON_GetObjectItemCaseSensitive(roles, store_role_names[r]);
			if (!role)
				continue;
			snprintf(field, sizeof field, "roles.%s", store_role_names[r]);
			if (!cJSON_IsObject(role)) {
				type_issue(is, field, "object", role);
				continue;
			}
			const cJSON *perms = cJSON_GetObjectItemCaseSensitive(role, "permissions");
			char perms_field[128];
			join_path(perms_field, sizeof perms_field, field, "permissions");
			if (!cJSON_IsObject(perms))
				type_issue(is, perms_field, "object", perms);
			else
				check_permissions(is, perms_field, perms, o->permissions[r]);
		}
	}

	const cJSON *access = cJSON_GetObjectItemCaseSensitive(body, "access");
	if (access && !cJSON_IsObject(access)) {
		type_issue(is, "access", "object", access);
	} else if (access) {
		/* what is left out keeps the defaults */
		signed char anonymous[ACCESS_COUNT], user = -1;
		memset(anonymous, -1, sizeof anonymous);
		check_access(is, access, anonymous, &user);
		for (int a = 0; a < ACCESS_COUNT; a++)
			if (anonymous[a] >= 0)
				o->anonymous[a] = anonymous[a];
		if (user >= 0)
			o->user = user;
	}
}

static void create_room(struct request *req, struct reply *r)
{
	struct issues is = { 0 };
	struct room_options o;
	check_room_options(req, &is, &o);
	if (is.details) {
		reply_invalid(r, is.details);
		goto out;
	}
	if (!o.name[0]) {
		/* passes the schema, but the database requires a name */
		reply_error(r, 500, "Internal Server Error", "Unexpected error while creating room");
		goto out;
	}
	struct room *room = store_add_room(o.name);
	room->auto_deletion_ms = o.auto_deletion_ms;
	snprintf(room->policy_meeting, sizeof room->policy_meeting, "%s", policy_meeting[o.policy_meeting]);
	snprintf(room->policy_recordings, sizeof room->policy_recordings, "%s", policy_recordings[o.policy_recordings]);
	cJSON_Delete(room->config.encoding);
	room->config = o.config;
	o.config.encoding = NULL; /* moved into the room */
	for (int role = 0; role < 2; role++)
		for (int p = 0; p < PERM_COUNT; p++)
			if (o.permissions[role][p] >= 0)
				room->permissions[role][p] = o.permissions[role][p];
	memcpy(room->anonymous_enabled, o.anonymous, sizeof o.anonymous);
	room->user_enabled = o.user;

	cJSON *json = store_room_json(room, req->base_url, wants_extra(req, "config"), wants_extra(req, "roles"));
	cJSON_AddItemToObject(json, "_extraFields", string_array("config", "roles"));
	reply_header(r, "Location", "%s/api/v1/rooms/%s", req->base_url, room->id);
	reply_json(r, 201, json);
out:
	free(o.name);
	cJSON_Delete(o.config.encoding);
}

/* ---------- fields and extraFields of GET /rooms and /rooms/:roomId ----------
 * Both come as a query parameter and as a header (X-Fields, X-ExtraFields),
 * comma lists whose names are trimmed; names that are not base fields
 * (for fields) or extra fields (for extraFields) are dropped. The valid
 * names of the header are added to those of the parameter, each once; a
 * repeated parameter is a 422 unless the header has a valid name, which
 * then replaces it. The answer holds the selected fields in that order
 * (all base fields in their usual order when none is left), then the
 * extra fields in the order asked: 3.8.0 reads them from its database
 * with that projection. */

static const char *const room_base_fields[] = {
	"roomId", "roomName", "owner", "creationDate", "access", "status",
	"rolesUpdatedAt", "meetingEndAction", "autoDeletionDate", "autoDeletionPolicy",
};
static const char *const room_extra_fields[] = { "config", "roles" };

enum { ROOM_VIEW_MAX = COUNT(room_base_fields) + COUNT(room_extra_fields) };

/* The keys of a room an answer holds, in order. */
struct room_view {
	const char *keys[ROOM_VIEW_MAX];
	size_t count;
	bool selected; /* fields chose the base fields */
};

static bool name_in(const char *const *names, size_t count, const char *name, size_t len)
{
	for (size_t i = 0; i < count; i++)
		if (strlen(names[i]) == len && strncmp(names[i], name, len) == 0)
			return true;
	return false;
}

/* Appends the names of a comma list found in allowed[] to out[], once each. */
static void add_names(const char *list, const char *const *allowed, size_t n_allowed,
		      const char **out, size_t *count)
{
	static const char space[] = " \t\n\v\f\r";
	const char *p = list;
	while (*p) {
		const char *end = strchr(p, ',');
		if (!end)
			end = p + strlen(p);
		const char *first = p, *last = end;
		while (first < last && strchr(space, *first))
			first++;
		while (last > first && strchr(space, last[-1]))
			last--;
		size_t len = (size_t)(last - first);
		for (size_t i = 0; len && i < n_allowed; i++)
			if (strlen(allowed[i]) == len && strncmp(allowed[i], first, len) == 0 &&
			    !name_in(out, *count, first, len))
				out[(*count)++] = allowed[i];
		p = *end ? end + 1 : end;
	}
}

/* One list (fields or extraFields) from its parameter and its header. */
static void read_field_list(struct request *req, struct issues *is, const char *param, const char *header,
			    const char *const *allowed, size_t n_allowed, const char **out, size_t *count)
{
	const char *from_header[ROOM_VIEW_MAX];
	size_t n_header = 0;
	const char *h = req->header(req, header);
	if (h)
		add_names(h, allowed, n_allowed, from_header, &n_header);
	const char *value = NULL;
	size_t occurrences = 0;
	for (size_t i = 0; i < req->query_count; i++)
		if (strcmp(req->query[i].name, param) == 0 && occurrences++ == 0)
			value = req->query[i].value;
	*count = 0;
	if (occurrences > 1 && n_header == 0) {
		issue(is, param, "Expected string, received array");
		return;
	}
	if (occurrences == 1)
		add_names(value, allowed, n_allowed, out, count);
	for (size_t i = 0; i < n_header; i++)
		if (!name_in(out, *count, from_header[i], strlen(from_header[i])))
			out[(*count)++] = from_header[i];
}

static void check_room_view(struct request *req, struct issues *is, struct room_view *v)
{
	const char *fields[ROOM_VIEW_MAX], *extras[ROOM_VIEW_MAX];
	size_t n_fields, n_extras;
	read_field_list(req, is, "fields", "x-fields", room_base_fields, COUNT(room_base_fields), fields, &n_fields);
	read_field_list(req, is, "extraFields", "x-extrafields", room_extra_fields, COUNT(room_extra_fields),
			extras, &n_extras);
	v->selected = n_fields > 0;
	v->count = 0;
	if (v->selected)
		for (size_t i = 0; i < n_fields; i++)
			v->keys[v->count++] = fields[i];
	else
		for (size_t i = 0; i < COUNT(room_base_fields); i++)
			v->keys[v->count++] = room_base_fields[i];
	for (size_t i = 0; i < n_extras; i++)
		v->keys[v->count++] = extras[i];
}

static bool room_view_has(const struct room_view *v, const char *key)
{
	return name_in(v->keys, v->count, key, strlen(key));
}

/* A room as GET answers it, with the view's keys (those the room has). */
static cJSON *room_view_json(const struct room *room, const char *base, const struct room_view *v)
{
	cJSON *all = store_room_json(room, base, room_view_has(v, "config"), room_view_has(v, "roles"));
	cJSON *o = cJSON_CreateObject();
	for (size_t i = 0; i < v->count; i++) {
		cJSON *item = cJSON_DetachItemFromObjectCaseSensitive(all, v->keys[i]);
		if (item)
			cJSON_AddItemToObject(o, v->keys[i], item);
	}
	cJSON_Delete(all);
	return o;
}

static const char *const room_sort_fields[] = { "creationDate", "roomName", "autoDeletionDate" };

static void list_rooms(struct request *req, struct reply *r)
{
	struct issues is = { 0 };
	struct name_filter name = { 0 };
	struct room_view view;
	check_name_filter(req, &is, "roomName", "roomNameMatchMode", "roomNameCaseInsensitive", &name);
	const char *owner = request_query(req, "owner");
	if (owner && !*owner)
		issue(&is, "owner", "owner cannot be empty");
	int status = check_query_enum(&is, "status", request_query(req, "status"), store_status_names,
				      ROOM_STATUS_COUNT, -1);
	check_room_view(req, &is, &view);
	size_t max_items = check_max_items(req, &is);
	int sort_field = check_query_enum(&is, "sortField", request_query(req, "sortField"), room_sort_fields,
					  COUNT(room_sort_fields), 0);
	check_query_enum(&is, "sortOrder", request_query(req, "sortOrder"), sort_orders, COUNT(sort_orders), 1);
	if (is.details) {
		reply_invalid(r, is.details);
		goto out;
	}
	struct page_token token = read_page_token(req);
	if (token.set && !token.valid) {
		reply_error(r, 500, "Internal Server Error", "Unexpected error while getting rooms");
		goto out;
	}

	/* every room is owned by "admin" in the emulator */
	size_t total = store_room_count(), count = 0;
	struct list_item *items = calloc(total ? total : 1, sizeof *items);
	for (size_t i = 0; i < total && !token.no_value; i++) {
		struct room *room = store_room_at(i);
		if ((status >= 0 && (int)room->status != status) || (owner && strcmp(owner, "admin") != 0) ||
		    !name_matches(&name, room->name))
			continue;
		items[count++] = (struct list_item){ room->created_ms, room->oid, room };
	}
	bool truncated;
	size_t n = store_page(items, count, token.set, token.ms, token.oid, max_items, &truncated);
	cJSON *json = cJSON_CreateObject();
	cJSON *rooms = cJSON_AddArrayToObject(json, "rooms");
	for (size_t i = 0; i < n; i++)
		cJSON_AddItemToArray(rooms, room_view_json(items[i].item, req->base_url, &view));
	/* the token's value is the sort field's, read with the selected fields */
	bool token_value = !view.selected || room_view_has(&view, room_sort_fields[sort_field]);
	cJSON_AddItemToObject(json, "pagination", pagination_json(items, n, truncated, max_items, token_value));
	cJSON_AddItemToObject(json, "_extraFields", string_array("config", "roles"));
	free(items);
	reply_json(r, 200, json);
out:
	name_filter_free(&name);
}

static void get_room(struct request *req, struct reply *r)
{
	struct issues is = { 0 };
	struct room_view view;
	char room_id[128];
	if (!route_room_id(req, r, room_id, sizeof room_id))
		return;
	check_room_view(req, &is, &view);
	if (is.details) {
		reply_invalid(r, is.details);
		return;
	}
	struct room *room = route_room(r, room_id);
	if (!room)
		return;
	cJSON *json = room_view_json(room, req->base_url, &view);
	cJSON_AddItemToObject(json, "_extraFields", string_array("config", "roles"));
	reply_json(r, 200, json);
}

/* PUT /rooms/:roomId/access: what the body gives replaces those flags
 * only (a deep merge); the answer is the room's whole access object. */
static void update_room_access(struct request *req, struct reply *r)
{
	struct issues is = { 0 };
	char room_id[128];
	if (!route_room_id(req, r, room_id, sizeof room_id))
		return;
	signed char anonymous[ACCESS_COUNT], user = -1;
	memset(anonymous, -1, sizeof anonymous);
	if (check_body_object(req, &is)) {
		const cJSON *access = cJSON_GetObjectItemCaseSensitive(req->json, "access");
		if (!cJSON_IsObject(access))
			type_issue(&is, "access", "object", access);
		else
			check_access(&is, access, anonymous, &user);
	}
	if (is.details) {
		reply_invalid(r, is.details);
		return;
	}
	struct room *room = route_room(r, room_id);
	if (!room)
		return;
	if (room->status == ROOM_ACTIVE_MEETING) {
		reply_error(r, 409, "Room Error", "Room '%s' has an active meeting", room->id);
		return;
	}
	for (int a = 0; a < ACCESS_COUNT; a++)
		if (anonymous[a] >= 0)
			room->anonymous_enabled[a] = anonymous[a];
	if (user >= 0)
		room->user_enabled = user;
	room->roles_updated_ms = text_now_ms();
	cJSON *all = store_room_json(room, req->base_url, false, false);
	cJSON *access = cJSON_DetachItemFromObjectCaseSensitive(all, "access");
	cJSON_Delete(all);
	reply_json(r, 200, access);
}

/* withMeeting / withRecordings of the delete routes */
static void check_delete_policies(struct request *req, struct issues *is)
{
	check_query_enum(is, "withMeeting", request_query(req, "withMeeting"), policy_meeting, COUNT(policy_meeting), 2);
	check_query_enum(is, "withRecordings", request_query(req, "withRecordings"), policy_recordings, COUNT(policy_recordings), 2);
}

/* With no meetings and no recordings in the emulator, every policy deletes. */
static cJSON *room_deleted_json(const char *room_id, bool with_room_id)
{
	char message[300];
	cJSON *o = cJSON_CreateObject();
	if (with_room_id)
		cJSON_AddStringToObject(o, "roomId", room_id);
	cJSON_AddStringToObject(o, "successCode", "room_deleted");
	snprintf(message, sizeof message, "Room '%s' deleted successfully", room_id);
	cJSON_AddStringToObject(o, "message", message);
	return o;
}

static void delete_room(struct request *req, struct reply *r)
{
	struct issues is = { 0 };
	char room_id[128];
	/* this route's validator reports the path parameter on field "" */
	check_room_id(&is, "", req->params[0], room_id, sizeof room_id);
	check_delete_policies(req, &is);
	if (is.details) {
		reply_invalid(r, is.details);
		return;
	}
	if (!store_delete_room(room_id)) {
		room_not_found(r, room_id);
		return;
	}
	livekit_disconnect(room_id, NULL, "room_deleted");
	reply_json(r, 200, room_deleted_json(room_id, false));
}

static void bulk_delete_rooms(struct request *req, struct reply *r)
{
	struct issues is = { 0 };
	cJSON *ids = cJSON_CreateArray();
	for (size_t i = 0; i < req->query_count; i++) {
		if (strcmp(req->query[i].name, "roomIds") != 0)
			continue;
		char *list = strdup(req->query[i].value);
		char *save = NULL;
		for (char *tok = strtok_r(list, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
			char id[128];
			size_t n = 0;
			for (const char *p = tok; *p && n + 1 < sizeof id; p++)
				if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '_' || *p == '-')
					id[n++] = *p;
			id[n] = '\0';
			bool seen = !n;
			const cJSON *e;
			cJSON_ArrayForEach(e, ids) seen |= strcmp(e->valuestring, id) == 0;
			if (!seen)
				cJSON_AddItemToArray(ids, cJSON_CreateString(id));
		}
		free(list);
	}
	if (cJSON_GetArraySize(ids) == 0)
		issue(&is, "roomIds", "At least one valid roomId is required after sanitization");
	check_delete_policies(req, &is);
	if (is.details) {
		cJSON_Delete(ids);
		reply_invalid(r, is.details);
		return;
	}
	cJSON *deleted = cJSON_CreateArray(), *failed = cJSON_CreateArray();
	const cJSON *e;
	cJSON_ArrayForEach(e, ids) {
		if (store_delete_room(e->valuestring)) {
			livekit_disconnect(e->valuestring, NULL, "room_deleted");
			cJSON_AddItemToArray(deleted, room_deleted_json(e->valuestring, true));
		} else {
			char message[300];
			cJSON *f = cJSON_CreateObject();
			cJSON_AddStringToObject(f, "roomId", e->valuestring);
			cJSON_AddStringToObject(f, "error", "Room Error");
			snprintf(message, sizeof message, "Room '%s' does not exist", e->valuestring);
			cJSON_AddStringToObject(f, "message", message);
			cJSON_AddItemToArray(failed, f);
		}
	}
	int failures = cJSON_GetArraySize(failed);
	cJSON *json = cJSON_CreateObject();
	if (failures) {
		char message[100];
		snprintf(message, sizeof message, "%d room(s) failed to process while deleting", failures);
		cJSON_AddStringToObject(json, "message", message);
	} else {
		cJSON_AddStringToObject(json, "message", "All rooms successfully processed for deletion");
	}
	cJSON_AddItemToObject(json, "deleted", deleted);
	cJSON_AddItemToObject(json, "failed", failed);
	cJSON_Delete(ids);
	reply_json(r, failures ? 400 : 200, json);
}

/* ---------- members ---------- */

static const char *member_type(const struct member *m)
{
	return m->kind == MEMBER_USER ? "user" : emu_guest_type();
}

static bool user_id_valid(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_'))
			return false;
	return true;
}

static void add_member(struct request *req, struct reply *r)
{
	struct issues is = { 0 };
	char room_id[128];
	if (!route_room_id(req, r, room_id, sizeof room_id))
		return;

	const cJSON *user_id = NULL, *name = NULL;
	int role = -1;
	signed char custom[PERM_COUNT];
	memset(custom, -1, sizeof custom);
	if (check_body_object(req, &is)) {
		const cJSON *body = req->json;
		user_id = cJSON_GetObjectItemCaseSensitive(body, "userId");
		name = cJSON_GetObjectItemCaseSensitive(body, "name");
		if (user_id && !cJSON_IsString(user_id))
			type_issue(&is, "userId", "string", user_id);
		else if (user_id && !user_id_valid(user_id->valuestring))
			issue(&is, "userId", "userId must contain only lowercase letters, numbers, and underscores");
		if (name && !cJSON_IsString(name))
			type_issue(&is, "name", "string", name);
		else if (name && !name->valuestring[0])
			issue(&is, "name", "name cannot be empty");
		else if (name && text_utf16_length(name->valuestring) > 50)
			issue(&is, "name", "name cannot exceed 50 characters");
		role = check_enum(&is, "baseRole", cJSON_GetObjectItemCaseSensitive(body, "baseRole"),
				  role_options, COUNT(role_options));
		const cJSON *perms = cJSON_GetObjectItemCaseSensitive(body, "customPermissions");
		if (perms && !cJSON_IsObject(perms))
			type_issue(&is, "customPermissions", "object", perms);
		else if (perms)
			check_permissions(&is, "customPermissions", perms, custom);
		/* the refinement runs only when no type error aborted the object */
		if (!is.aborted) {
			bool has_user = cJSON_IsString(user_id) && user_id->valuestring[0];
			bool has_name = cJSON_IsString(name) && name->valuestring[0];
			if (has_user == has_name)
				issue(&is, "userId", "Either userId or name must be provided, but not both");
		}
	}
	if (is.details) {
		reply_invalid(r, is.details);
		return;
	}
	struct room *room = route_room(r, room_id);
	if (!room)
		return;
	if (cJSON_IsString(user_id) && user_id->valuestring[0]) {
		/* the only user of the emulator is the admin, who owns every room */
		if (strcmp(user_id->valuestring, "admin") == 0)
			reply_error(r, 409, "Room Member Error",
				    "User '%s' cannot be added as a member of room '%s' because they are the room owner or an admin",
				    user_id->valuestring, room_id);
		else
			reply_error(r, 404, "User Error", "User '%s' not found", user_id->valuestring);
		return;
	}
	struct member *m = room_add_member(room, emu_guest_prefix(), name->valuestring);
	m->base_role = (enum role)role;
	memcpy(m->custom, custom, sizeof custom);
	cJSON *json = store_member_json(room, m, req->base_url, member_type(m),
					wants_extra(req, "effectivePermissions"), MEMBER_JSON_CREATED);
	cJSON_AddItemToObject(json, "_extraFields", string_array("effectivePermissions", NULL));
	reply_header(r, "Location", "%s/api/v1/rooms/%s/members/%s", req->base_url, room->id, m->id);
	reply_json(r, 201, json);
}

static const char *const member_sort_fields[] = { "membershipDate", "name" };

static void list_members(struct request *req, struct reply *r)
{
	struct issues is = { 0 };
	struct name_filter name = { 0 };
	char room_id[128];
	if (!route_room_id(req, r, room_id, sizeof room_id))
		return;
	const char *types[2] = { "user", emu_guest_type() };
	int type = check_query_enum(&is, "type", request_query(req, "type"), types, 2, -1);
	int role = check_query_enum(&is, "baseRole", request_query(req, "baseRole"), role_options, COUNT(role_options), -1);
	check_name_filter(req, &is, "name", "nameMatchMode", "nameCaseInsensitive", &name);
	size_t max_items = check_max_items(req, &is);
	check_query_enum(&is, "sortField", request_query(req, "sortField"), member_sort_fields, COUNT(member_sort_fields), 0);
	check_query_enum(&is, "sortOrder", request_query(req, "sortOrder"), sort_orders, COUNT(sort_orders), 1);
	if (is.details) {
		reply_invalid(r, is.details);
		goto out;
	}
	struct room *room = route_room(r, room_id);
	if (!room)
		goto out;
	struct page_token token = read_page_token(req);
	if (token.set && !token.valid) {
		reply_error(r, 500, "Internal Server Error", "Unexpected error while getting room members");
		goto out;
	}
	struct list_item *items = calloc(room->member_count ? room->member_count : 1, sizeof *items);
	size_t count = 0;
	for (size_t i = 0; i < room->member_count && !token.no_value; i++) {
		struct member *m = room->members[i];
		if (type == 0 && m->kind != MEMBER_USER)
			continue;
		if (type == 1 && m->kind != MEMBER_GUEST)
			continue;
		if (role >= 0 && (int)m->base_role != role)
			continue;
		if (!name_matches(&name, m->name))
			continue;
		items[count++] = (struct list_item){ m->membership_ms, m->oid, m };
	}
	bool truncated;
	size_t n = store_page(items, count, token.set, token.ms, token.oid, max_items, &truncated);
	bool effective = wants_extra(req, "effectivePermissions");
	cJSON *json = cJSON_CreateObject();
	cJSON *members = cJSON_AddArrayToObject(json, "members");
	for (size_t i = 0; i < n; i++) {
		struct member *m = items[i].item;
		cJSON_AddItemToArray(members, store_member_json(room, m, req->base_url, member_type(m), effective, MEMBER_JSON_READ));
	}
	cJSON_AddItemToObject(json, "pagination", pagination_json(items, n, truncated, max_items, true));
	cJSON_AddItemToObject(json, "_extraFields", string_array("effectivePermissions", NULL));
	free(items);
	reply_json(r, 200, json);
out:
	name_filter_free(&name);
}

/* The member of a /rooms/:roomId/members/:memberId route after validation. */
static struct member *route_member(struct request *req, struct reply *r, const char *room_id, struct room **room_out)
{
	struct room *room = route_room(r, room_id);
	if (!room)
		return NULL;
	struct member *m = room_find_member(room, req->params[1]);
	if (!m) {
		member_not_found(r, req->params[1], room_id);
		return NULL;
	}
	*room_out = room;
	return m;
}

static void get_member(struct request *req, struct reply *r)
{
	char room_id[128];
	struct room *room;
	if (!route_room_id(req, r, room_id, sizeof room_id))
		return;
	struct member *m = route_member(req, r, room_id, &room);
	if (!m)
		return;
	cJSON *json = store_member_json(room, m, req->base_url, member_type(m),
					wants_extra(req, "effectivePermissions"), MEMBER_JSON_READ);
	cJSON_AddItemToObject(json, "_extraFields", string_array("effectivePermissions", NULL));
	reply_json(r, 200, json);
}

static void update_member(struct request *req, struct reply *r)
{
	struct issues is = { 0 };
	char room_id[128];
	struct room *room;
	if (!route_room_id(req, r, room_id, sizeof room_id))
		return;
	int role = -1;
	const cJSON *perms = NULL;
	signed char custom[PERM_COUNT];
	memset(custom, -1, sizeof custom);
	if (check_body_object(req, &is)) {
		const cJSON *v = cJSON_GetObjectItemCaseSensitive(req->json, "baseRole");
		if (v)
			role = check_enum(&is, "baseRole", v, role_options, COUNT(role_options));
		perms = cJSON_GetObjectItemCaseSensitive(req->json, "customPermissions");
		if (perms && !cJSON_IsObject(perms))
			type_issue(&is, "customPermissions", "object", perms);
		else if (perms)
			check_permissions(&is, "customPermissions", perms, custom);
	}
	if (is.details) {
		reply_invalid(r, is.details);
		return;
	}
	struct member *m = route_member(req, r, room_id, &room);
	if (!m)
		return;
	if (role >= 0)
		m->base_role = (enum role)role;
	if (perms) /* a given set replaces the stored one */
		memcpy(m->custom, custom, sizeof custom);
	m->permissions_updated_ms = text_now_ms();
	cJSON *json = store_member_json(room, m, req->base_url, member_type(m),
					wants_extra(req, "effectivePermissions"), MEMBER_JSON_READ);
	cJSON_AddItemToObject(json, "_extraFields", string_array("effectivePermissions", NULL));
	reply_json(r, 200, json);
}

static void delete_member(struct request *req, struct reply *r)
{
	char room_id[128];
	struct room *room;
	if (!route_room_id(req, r, room_id, sizeof room_id))
		return;
	struct member *m = route_member(req, r, room_id, &room);
	if (!m)
		return;
	char message[300];
	snprintf(message, sizeof message, "Member '%s' deleted successfully from room '%s'", m->id, room->id);
	room_delete_member(room, req->params[1]);
	/* as 3.8.0, which removes the member's participant from LiveKit */
	livekit_disconnect(room_id, req->params[1], "participant_removed");
	cJSON *json = cJSON_CreateObject();
	cJSON_AddStringToObject(json, "message", message);
	reply_json(r, 200, json);
}

static void bulk_delete_members(struct request *req, struct reply *r)
{
	struct issues is = { 0 };
	char room_id[128];
	if (!route_room_id(req, r, room_id, sizeof room_id))
		return;
	/* a comma-separated string only: a repeated parameter is an array,
	 * which the released schema treats as empty */
	const char *list = NULL;
	int occurrences = 0;
	for (size_t i = 0; i < req->query_count; i++)
		if (strcmp(req->query[i].name, "memberIds") == 0 && occurrences++ == 0)
			list = req->query[i].value;
	cJSON *ids = cJSON_CreateArray();
	if (list && occurrences == 1) {
		char *copy = strdup(list), *save = NULL;
		for (char *tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
			while (*tok == ' ')
				tok++;
			if (*tok)
				cJSON_AddItemToArray(ids, cJSON_CreateString(tok));
		}
		free(copy);
	}
	if (cJSON_GetArraySize(ids) == 0) {
		cJSON_Delete(ids);
		issue(&is, "memberIds", "At least one memberId is required");
		reply_invalid(r, is.details);
		return;
	}
	struct room *room = route_room(r, room_id);
	if (!room) {
		cJSON_Delete(ids);
		return;
	}
	cJSON *deleted = cJSON_CreateArray(), *failed = cJSON_CreateArray();
	const cJSON *e;
	cJSON_ArrayForEach(e, ids) {
		if (room_delete_member(room, e->valuestring)) {
			livekit_disconnect(room_id, e->valuestring, "participant_removed");
			cJSON_AddItemToArray(deleted, cJSON_CreateString(e->valuestring));
		} else {
			cJSON *f = cJSON_CreateObject();
			cJSON_AddStringToObject(f, "memberId", e->valuestring);
			cJSON_AddStringToObject(f, "error", "Room member not found");
			cJSON_AddItemToArray(failed, f);
		}
	}
	cJSON_Delete(ids);
	int failures = cJSON_GetArraySize(failed);
	cJSON *json = cJSON_CreateObject();
	if (failures) {
		char message[100];
		snprintf(message, sizeof message, "%d room member(s) could not be deleted", failures);
		cJSON_AddStringToObject(json, "message", message);
	} else {
		cJSON_AddStringToObject(json, "message", "All room members deleted successfully");
	}
	cJSON_AddItemToObject(json, "deleted", deleted);
	cJSON_AddItemToObject(json, "failed", failed);
	reply_json(r, failures ? 400 : 200, json);
}

/* ---------- internal API: the token the room page and the WebComponent ask for ---------- */

/* With joinMeeting: true the token also lets its holder join the meeting:
 * a member joins as its member id, an anonymous link as a name-based
 * identity (3.8.0's rules); the name is participantName, else the member's. */
static void member_token(struct request *req, struct reply *r)
{
	char room_id[128];
	const cJSON *body = req->body_state == BODY_JSON ? req->json : NULL;
	const cJSON *secret = cJSON_GetObjectItemCaseSensitive(body, "secret");
	const cJSON *participant_name = cJSON_GetObjectItemCaseSensitive(body, "participantName");
	bool joining = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(body, "joinMeeting"));
	if (!cJSON_IsString(secret) || !secret->valuestring[0]) {
		reply_error(r, 401, "Authentication Error", "Unauthorized");
		return;
	}
	if (!route_room_id(req, r, room_id, sizeof room_id))
		return;
	struct room *room = route_room(r, room_id);
	if (!room)
		return;
	const char *s = secret->valuestring;
	bool perms[PERM_COUNT];
	const char *member_id = NULL, *member_name = NULL;
	bool moderator;
	if (strncmp(s, emu_guest_prefix(), strlen(emu_guest_prefix())) == 0) {
		struct member *m = room_find_member(room, s);
		if (!m) {
			member_not_found(r, s, room_id);
			return;
		}
		member_effective(room, m, perms);
		member_id = m->id;
		member_name = m->name;
		moderator = m->base_role == ROLE_MODERATOR;
	} else {
		int role = strcmp(s, room->secret[ACCESS_MODERATOR]) == 0 ? ROLE_MODERATOR
			 : strcmp(s, room->secret[ACCESS_SPEAKER]) == 0 ? ROLE_SPEAKER : -1;
		if (role < 0) {
			reply_error(r, 400, "Room Error", "Secret '%s' is not recognized for room '%s'", s, room_id);
			return;
		}
		if (!room->anonymous_enabled[role == ROLE_MODERATOR ? ACCESS_MODERATOR : ACCESS_SPEAKER]) {
			reply_error(r, 403, "Room Error", "Anonymous access in room '%s' is disabled for role '%s'",
				    room_id, store_role_names[role]);
			return;
		}
		memcpy(perms, room->permissions[role], sizeof perms);
		moderator = role == ROLE_MODERATOR;
	}
	struct token_join join = { 0 };
	char identity[160];
	if (joining) {
		join.name = cJSON_IsString(participant_name) && participant_name->valuestring[0]
				    ? participant_name->valuestring : member_name;
		if (!join.name) {
			reply_error(r, 400, "Room Member Error",
				    "participantName is required when joining a meeting and it cannot be inferred from member/user context");
			return;
		}
		if (!perms[PERM_CAN_JOIN_MEETING]) {
			reply_error(r, 403, "Authorization Error", "Insufficient permissions to access this resource");
			return;
		}
		if (member_id) {
			snprintf(identity, sizeof identity, "%s", member_id);
		} else {
			char slug[128], suffix[16];
			text_room_slug(join.name, slug, sizeof slug);
			text_random_base36(suffix, 15);
			snprintf(identity, sizeof identity, "%s-%s", slug, suffix);
		}
		join.identity = identity;
	}
	char *token = pages_member_token(room->id, member_id, perms, moderator, joining ? &join : NULL);
	cJSON *json = cJSON_CreateObject();
	cJSON_AddStringToObject(json, "token", token);
	free(token);
	reply_json(r, 200, json);
}

/* ---------- routing ---------- */

typedef void handler_fn(struct request *req, struct reply *r);

struct route {
	const char *method;
	const char *pattern; /* segments; ":x" takes one non-empty segment */
	handler_fn *handler;
};

static const struct route public_routes[] = {
	{ "POST", "/rooms", create_room },
	{ "GET", "/rooms", list_rooms },
	{ "DELETE", "/rooms", bulk_delete_rooms },
	{ "GET", "/rooms/:roomId", get_room },
	{ "DELETE", "/rooms/:roomId", delete_room },
	{ "PUT", "/rooms/:roomId/access", update_room_access },
	{ "POST", "/rooms/:roomId/members", add_member },
	{ "GET", "/rooms/:roomId/members", list_members },
	{ "DELETE", "/rooms/:roomId/members", bulk_delete_members },
	{ "GET", "/rooms/:roomId/members/:memberId", get_member },
	{ "PUT", "/rooms/:roomId/members/:memberId", update_member },
	{ "DELETE", "/rooms/:roomId/members/:memberId", delete_member },
};

static const struct route internal_routes[] = {
	{ "POST", "/rooms/:roomId/members/token", member_token },
};

/* Express-like match: literal segments case-insensitive, an optional
 * trailing slash, parameters percent-decoded into req->params. */
static bool route_match(const char *pattern, const char *path, struct request *req)
{
	size_t nparams = 0;
	char *decoded[3] = { 0 };
	const char *p = pattern, *s = path;
	while (*p) {
		if (*p != '/' || *s != '/')
			goto fail;
		p++;
		s++;
		const char *pend = strchr(p, '/');
		const char *send = strchr(s, '/');
		size_t plen = pend ? (size_t)(pend - p) : strlen(p);
		size_t slen = send ? (size_t)(send - s) : strlen(s);
		if (*p == ':') {
			if (slen == 0 || nparams == 3)
				goto fail;
			decoded[nparams] = strndup(s, slen);
			text_url_decode(decoded[nparams++], false);
		} else if (plen != slen || strncasecmp(p, s, plen) != 0) {
			goto fail;
		}
		p += plen;
		s += slen;
	}
	if (*s && strcmp(s, "/") != 0)
		goto fail;
	for (size_t i = 0; i < 3; i++)
		req->params[i] = decoded[i];
	return true;
fail:
	for (size_t i = 0; i < 3; i++)
		free(decoded[i]);
	return false;
}

static handler_fn *find_route(const struct route *routes, size_t count, struct request *req, const char *rest)
{
	for (size_t i = 0; i < count; i++) {
		if (strcmp(routes[i].method, req->method) != 0 &&
		    !(strcmp(req->method, "HEAD") == 0 && strcmp(routes[i].method, "GET") == 0))
			continue;
		if (route_match(routes[i].pattern, rest, req))
			return routes[i].handler;
	}
	return NULL;
}

void api_public(struct request *req, const char *rest, struct reply *r)
{
	handler_fn *handler = find_route(public_routes, COUNT(public_routes), req, rest);
	if (!handler) {
		reply_error(r, 404, "Path Not Found", "API path not implemented");
		return;
	}
	store_lock();
	if (strncasecmp(rest, "/rooms", 6) == 0)
		rate_limit_headers(req, r);
	if (authorized(req, r))
		handler(req, r);
	store_unlock();
}

void api_internal(struct request *req, const char *rest, struct reply *r)
{
	handler_fn *handler = find_route(internal_routes, COUNT(internal_routes), req, rest);
	if (!handler) {
		reply_error(r, 404, "Path Not Found", "API path not implemented");
		return;
	}
	store_lock();
	handler(req, r);
	store_unlock();
}
