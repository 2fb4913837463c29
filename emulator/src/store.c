#include "store.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "text.h"

const char *const store_perm_names[PERM_COUNT] = {
	"canRecord", "canRetrieveRecordings", "canDeleteRecordings", "canJoinMeeting",
	"canShareAccessLinks", "canMakeModerator", "canKickParticipants", "canEndMeeting",
	"canPublishVideo", "canPublishAudio", "canShareScreen", "canReadChat",
	"canWriteChat", "canChangeVirtualBackground",
};

const char *const store_role_names[2] = { "moderator", "speaker" };

const char *const store_status_names[ROOM_STATUS_COUNT] = { "open", "active_meeting", "closed" };

/* Role defaults of 3.8.0 (transcript 04c). */
static const bool default_permissions[2][PERM_COUNT] = {
	{ 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1 },
	{ 0, 1, 0, 1, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1 },
};

static struct {
	pthread_mutex_t lock;
	struct room **rooms;
	size_t count, cap;
	char oid_random[11];
	unsigned long counter;
} store = { .lock = PTHREAD_MUTEX_INITIALIZER };

void store_init(void)
{
	text_random_hex(store.oid_random, 10);
}

void store_lock(void)
{
	pthread_mutex_lock(&store.lock);
}

void store_unlock(void)
{
	pthread_mutex_unlock(&store.lock);
}

/* Like a Mongo ObjectId: seconds, a per-run random part, a counter. */
static void new_oid(char out[25])
{
	store.counter++;
	snprintf(out, 25, "%08lx%.10s%06lx", (unsigned long)time(NULL) & 0xffffffffUL,
		 store.oid_random, store.counter & 0xffffffUL);
}

static void member_free(struct member *m)
{
	free(m->name);
	free(m);
}

static void room_free(struct room *room)
{
	for (size_t i = 0; i < room->member_count; i++)
		member_free(room->members[i]);
	free(room->members);
	cJSON_Delete(room->config.encoding);
	free(room->name);
	free(room);
}

void store_free(void)
{
	for (size_t i = 0; i < store.count; i++)
		room_free(store.rooms[i]);
	free(store.rooms);
	store.rooms = NULL;
	store.count = store.cap = 0;
}

static void *grow(void *array, size_t *cap, size_t count, size_t size)
{
	if (count < *cap)
		return array;
	*cap = *cap ? *cap * 2 : 16;
	void *bigger = realloc(array, *cap * size);
	if (!bigger)
		abort();
	return bigger;
}

struct room *store_add_room(const char *name)
{
	struct room *room = calloc(1, sizeof *room);
	char slug[112];
	char suffix[16];
	if (!room)
		abort();
	text_room_slug(name, slug, sizeof slug);
	/* a clash of 15 random base-36 characters is not worth a retry loop,
	 * but a cheap check keeps ids unique for sure */
	do {
		text_random_base36(suffix, 15);
		snprintf(room->id, sizeof room->id, "%s-%s", slug, suffix);
	} while (store_find_room(room->id));
	new_oid(room->oid);
	room->name = strdup(name);
	room->created_ms = room->roles_updated_ms = text_now_ms();
	room->status = ROOM_OPEN;
	room->config = (struct room_config){ .chat = true, .recording = true,
		.virtual_background = true, .e2ee = false, .captions = true };
	snprintf(room->config.layout, sizeof room->config.layout, "grid");
	room->config.encoding = cJSON_CreateString("H264_720P_30");
	memcpy(room->permissions, default_permissions, sizeof room->permissions);
	for (int a = 0; a < ACCESS_COUNT; a++) {
		room->anonymous_enabled[a] = true;
		text_random_hex(room->secret[a], 10);
	}
	store.rooms = grow(store.rooms, &store.cap, store.count, sizeof *store.rooms);
	store.rooms[store.count++] = room;
	return room;
}

struct room *store_find_room(const char *id)
{
	for (size_t i = 0; i < store.count; i++)
		if (strcmp(store.rooms[i]->id, id) == 0)
			return store.rooms[i];
	return NULL;
}

size_t store_room_count(void)
{
	return store.count;
}

struct room *store_room_at(size_t i)
{
	return store.rooms[i];
}

bool store_delete_room(const char *id)
{
	for (size_t i = 0; i < store.count; i++) {
		if (strcmp(store.rooms[i]->id, id) == 0) {
			room_free(store.rooms[i]);
			memmove(&store.rooms[i], &store.rooms[i + 1],
				(store.count - i - 1) * sizeof *store.rooms);
			store.count--;
			return true;
		}
	}
	return false;
}

struct member *room_add_member(struct room *room, const char *id_prefix, const char *name)
{
	struct member *m = calloc(1, sizeof *m);
	char hex[11];
	if (!m)
		abort();
	do {
		text_random_hex(hex, 10);
		snprintf(m->id, sizeof m->id, "%s%s", id_prefix, hex);
	} while (room_find_member(room, m->id));
	new_oid(m->oid);
	m->name = strdup(name);
	m->kind = MEMBER_GUEST;
	memset(m->custom, -1, sizeof m->custom);
	m->membership_ms = m->permissions_updated_ms = text_now_ms();
	room->members = grow(room->members, &room->member_cap, room->member_count, sizeof *room->members);
	room->members[room->member_count++] = m;
	return m;
}

struct member *room_find_member(struct room *room, const char *id)
{
	for (size_t i = 0; i < room->member_count; i++)
		if (strcmp(room->members[i]->id, id) == 0)
			return room->members[i];
	return NULL;
}

bool room_delete_member(struct room *room, const char *id)
{
	for (size_t i = 0; i < room->member_count; i++) {
		if (strcmp(room->members[i]->id, id) == 0) {
			member_free(room->members[i]);
			memmove(&room->members[i], &room->members[i + 1],
				(room->member_count - i - 1) * sizeof *room->members);
			room->member_count--;
			return true;
		}
	}
	return false;
}

void member_effective(const struct room *room, const struct member *m, bool out[PERM_COUNT])
{
	for (int p = 0; p < PERM_COUNT; p++)
		out[p] = m->custom[p] >= 0 ? m->custom[p] : room->permissions[m->base_role][p];
}

/* Newest first: date descending, then object id descending. */
static int newest_first(const void *a, const void *b)
{
	const struct list_item *x = a, *y = b;
	if (x->date_ms != y->date_ms)
		return x->date_ms > y->date_ms ? -1 : 1;
	return -strcmp(x->oid, y->oid);
}

size_t store_page(struct list_item *items, size_t count, bool after_set,
		  long long after_ms, const char *after_oid, size_t max_items,
		  bool *truncated)
{
	qsort(items, count, sizeof *items, newest_first);
	size_t start = 0;
	if (after_set) {
		while (start < count &&
		       (items[start].date_ms > after_ms ||
			(items[start].date_ms == after_ms && strcmp(items[start].oid, after_oid) >= 0)))
			start++;
	}
	size_t n = count - start < max_items ? count - start : max_items;
	memmove(items, items + start, n * sizeof *items);
	*truncated = start + n < count;
	return n;
}

char *store_page_token(const struct list_item *last, bool with_value)
{
	char json[128];
	int n = with_value ? snprintf(json, sizeof json, "{\"fieldValue\":%lld,\"id\":\"%s\"}",
				      last->date_ms, last->oid)
			   : snprintf(json, sizeof json, "{\"fieldValue\":null,\"id\":\"%s\"}", last->oid);
	return text_base64_encode((const unsigned char *)json, (size_t)n);
}

cJSON *store_permissions_json(const bool perms[PERM_COUNT])
{
	cJSON *o = cJSON_CreateObject();
	for (int p = 0; p < PERM_COUNT; p++)
		cJSON_AddBoolToObject(o, store_perm_names[p], perms[p]);
	return o;
}

static cJSON *enabled_url(bool enabled, const char *url)
{
	cJSON *o = cJSON_CreateObject();
	cJSON_AddBoolToObject(o, "enabled", enabled);
	cJSON_AddStringToObject(o, "url", url);
	return o;
}

static cJSON *enabled_only(bool enabled)
{
	cJSON *o = cJSON_CreateObject();
	cJSON_AddBoolToObject(o, "enabled", enabled);
	return o;
}

cJSON *store_room_json(const struct room *room, const char *base, bool with_config,
		       bool with_roles)
{
	cJSON *o = cJSON_CreateObject();
	char url[1024];
	cJSON_AddStringToObject(o, "roomId", room->id);
	cJSON_AddStringToObject(o, "roomName", room->name);
	cJSON_AddStringToObject(o, "owner", "admin");
	cJSON_AddNumberToObject(o, "creationDate", (double)room->created_ms);
	if (room->auto_deletion_ms) {
		cJSON_AddNumberToObject(o, "autoDeletionDate", (double)room->auto_deletion_ms);
		cJSON *policy = cJSON_AddObjectToObject(o, "autoDeletionPolicy");
		cJSON_AddStringToObject(policy, "withMeeting", room->policy_meeting);
		cJSON_AddStringToObject(policy, "withRecordings", room->policy_recordings);
	}
	cJSON *access = cJSON_AddObjectToObject(o, "access");
	cJSON *anonymous = cJSON_AddObjectToObject(access, "anonymous");
	snprintf(url, sizeof url, "%s/room/%s?secret=%s", base, room->id, room->secret[ACCESS_MODERATOR]);
	cJSON_AddItemToObject(anonymous, "moderator", enabled_url(room->anonymous_enabled[ACCESS_MODERATOR], url));
	snprintf(url, sizeof url, "%s/room/%s?secret=%s", base, room->id, room->secret[ACCESS_SPEAKER]);
	cJSON_AddItemToObject(anonymous, "speaker", enabled_url(room->anonymous_enabled[ACCESS_SPEAKER], url));
	snprintf(url, sizeof url, "%s/room/%s/recordings?secret=%s", base, room->id, room->secret[ACCESS_RECORDING]);
	cJSON_AddItemToObject(anonymous, "recording", enabled_url(room->anonymous_enabled[ACCESS_RECORDING], url));
	snprintf(url, sizeof url, "%s/room/%s", base, room->id);
	cJSON_AddItemToObject(access, "user", enabled_url(room->user_enabled, url));
	cJSON_AddStringToObject(o, "status", store_status_names[room->status]);
	cJSON_AddNumberToObject(o, "rolesUpdatedAt", (double)room->roles_updated_ms);
	cJSON_AddStringToObject(o, "meetingEndAction", "none");
	if (with_config) {
		const struct room_config *c = &room->config;
		cJSON *config = cJSON_AddObjectToObject(o, "config");
		cJSON_AddItemToObject(config, "chat", enabled_only(c->chat));
		cJSON *rec = cJSON_AddObjectToObject(config, "recording");
		cJSON_AddBoolToObject(rec, "enabled", c->recording);
		cJSON_AddStringToObject(rec, "layout", c->layout);
		cJSON_AddItemToObject(rec, "encoding", cJSON_Duplicate(c->encoding, true));
		cJSON_AddItemToObject(config, "virtualBackground", enabled_only(c->virtual_background));
		cJSON_AddItemToObject(config, "e2ee", enabled_only(c->e2ee));
		cJSON_AddItemToObject(config, "captions", enabled_only(c->captions));
	}
	if (with_roles) {
		cJSON *roles = cJSON_AddObjectToObject(o, "roles");
		for (int r = 0; r < 2; r++) {
			cJSON *role = cJSON_AddObjectToObject(roles, store_role_names[r]);
			cJSON_AddItemToObject(role, "permissions", store_permissions_json(room->permissions[r]));
		}
	}
	return o;
}

cJSON *store_member_json(const struct room *room, const struct member *m, const char *base,
			 const char *type_name, bool with_effective, enum member_json_order order)
{
	cJSON *o = cJSON_CreateObject();
	char url[1024];
	bool effective[PERM_COUNT];
	cJSON_AddStringToObject(o, "memberId", m->id);
	cJSON_AddStringToObject(o, "roomId", room->id);
	cJSON_AddStringToObject(o, "type", type_name);
	cJSON_AddStringToObject(o, "name", m->name);
	cJSON_AddNumberToObject(o, "membershipDate", (double)m->membership_ms);
	if (m->kind == MEMBER_GUEST)
		snprintf(url, sizeof url, "%s/room/%s?secret=%s", base, room->id, m->id);
	else
		snprintf(url, sizeof url, "%s/room/%s", base, room->id);
	cJSON_AddStringToObject(o, "accessUrl", url);
	cJSON_AddStringToObject(o, "baseRole", store_role_names[m->base_role]);
	bool any_custom = false;
	for (int p = 0; p < PERM_COUNT; p++)
		any_custom |= m->custom[p] >= 0;
	if (any_custom) {
		cJSON *custom = cJSON_AddObjectToObject(o, "customPermissions");
		for (int p = 0; p < PERM_COUNT; p++)
			if (m->custom[p] >= 0)
				cJSON_AddBoolToObject(custom, store_perm_names[p], m->custom[p]);
	}
	member_effective(room, m, effective);
	if (with_effective && order == MEMBER_JSON_CREATED)
		cJSON_AddItemToObject(o, "effectivePermissions", store_permissions_json(effective));
	cJSON_AddNumberToObject(o, "permissionsUpdatedAt", (double)m->permissions_updated_ms);
	if (with_effective && order == MEMBER_JSON_READ)
		cJSON_AddItemToObject(o, "effectivePermissions", store_permissions_json(effective));
	return o;
}
