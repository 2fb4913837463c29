/*
 * store: the emulator's whole state, in memory, behind one mutex.
 * Rooms own their members. Every request handler takes the lock with
 * store_lock() for the whole request and releases it with store_unlock(),
 * so handlers never see a half-made change. Pointers returned by the
 * finders stay valid only while the lock is held.
 * Items carry a Mongo-like 24-hex object id, increasing within a run, that
 * breaks ties between equal dates in list order (newest first) and page tokens.
 */
#ifndef EMU_STORE_H
#define EMU_STORE_H

#include <stdbool.h>
#include <stddef.h>

#include <cjson/cJSON.h>

enum { PERM_COUNT = 14, PERM_CAN_JOIN_MEETING = 3, PERM_CAN_END_MEETING = 7 /* indexes in store_perm_names */ };
extern const char *const store_perm_names[PERM_COUNT];

enum role { ROLE_MODERATOR = 0, ROLE_SPEAKER = 1 };
extern const char *const store_role_names[2];

enum member_kind { MEMBER_GUEST, MEMBER_USER };

/* Room status: open (no meeting), active_meeting, closed (no joining). */
enum room_status { ROOM_OPEN, ROOM_ACTIVE_MEETING, ROOM_CLOSED, ROOM_STATUS_COUNT };
extern const char *const store_status_names[ROOM_STATUS_COUNT];

/* Anonymous access links of a room. */
enum access_kind { ACCESS_MODERATOR, ACCESS_SPEAKER, ACCESS_RECORDING, ACCESS_COUNT };

struct member {
	char id[40];
	char oid[25];
	char *name;
	enum member_kind kind;
	enum role base_role;
	signed char custom[PERM_COUNT]; /* -1 not given, 0 false, 1 true */
	long long membership_ms;
	long long permissions_updated_ms;
};

struct room_config {
	bool chat, recording, virtual_background, e2ee, captions;
	char layout[24];
	cJSON *encoding; /* string preset or {video, audio}; owned */
};

struct room {
	char id[128];
	char oid[25];
	char *name;
	long long created_ms;
	long long roles_updated_ms;
	long long auto_deletion_ms; /* 0: none */
	enum room_status status;
	char policy_meeting[24], policy_recordings[16];
	struct room_config config;
	bool permissions[2][PERM_COUNT];
	bool anonymous_enabled[ACCESS_COUNT];
	bool user_enabled;
	char secret[ACCESS_COUNT][11];
	struct member **members;
	size_t member_count, member_cap;
};

void store_init(void);
/* Frees every room and member (at exit). */
void store_free(void);
void store_lock(void);
void store_unlock(void);

/* A new room with the defaults of 3.8.0 (name copied); owned by the store. */
struct room *store_add_room(const char *name);
struct room *store_find_room(const char *id);
/* Rooms in creation order, for listing. */
size_t store_room_count(void);
struct room *store_room_at(size_t i);
bool store_delete_room(const char *id);

struct member *room_add_member(struct room *room, const char *id_prefix, const char *name);
struct member *room_find_member(struct room *room, const char *id);
bool room_delete_member(struct room *room, const char *id);
/* Permissions of the member's base role with its custom ones on top. */
void member_effective(const struct room *room, const struct member *m, bool out[PERM_COUNT]);

/*
 * Listing, newest first (date desc, then object id desc).
 * The caller passes the filtered items; the page starts after the token's
 * (fieldValue, id) when after_set. Returns how many of items[] are in the
 * page (moved to the front); *truncated tells whether more remain.
 */
struct list_item {
	long long date_ms;
	const char *oid;
	void *item;
};
size_t store_page(struct list_item *items, size_t count, bool after_set,
		  long long after_ms, const char *after_oid, size_t max_items,
		  bool *truncated);
/* The token for the last item of a page; caller frees. Without
 * with_value its fieldValue is null, as 3.8.0 writes it when the answer's
 * fields leave the sort field out (such a token then finds nothing). */
char *store_page_token(const struct list_item *last, bool with_value);

/* JSON of a room as the API returns it (base: "http://host/meet"). */
cJSON *store_room_json(const struct room *room, const char *base, bool with_config,
		       bool with_roles);
/* JSON of the anonymous access object. */
cJSON *store_permissions_json(const bool perms[PERM_COUNT]);

enum member_json_order {
	MEMBER_JSON_READ,   /* effectivePermissions after permissionsUpdatedAt */
	MEMBER_JSON_CREATED /* effectivePermissions before it, as create answers */
};
cJSON *store_member_json(const struct room *room, const struct member *m, const char *base,
			 const char *type_name, bool with_effective, enum member_json_order order);

#endif
