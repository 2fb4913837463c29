/*
 * The LiveKit stand-in (livekit.h): a second libmicrohttpd daemon, thread
 * per connection. A websocket session runs in its connection's thread
 * after the upgrade: it sends {"join"}, then polls its socket and its
 * `leave_reason`, which other threads set (under `lock`) to end it; only
 * the session's own thread ever writes to its socket.
 * WebSocket framing is the minimum RFC 6455 asks of a server: unmasked
 * frames out, masked frames in, text, ping/pong and close.
 */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <microhttpd.h>
#include <openssl/evp.h>

#include "emulator.h"
#include "livekit.h"
#include "text.h"

/* Largest client frame accepted; the dialect's messages are a few bytes. */
enum { MAX_FRAME_BYTES = 16 * 1024, POLL_MS = 100, STOP_WAIT_MS = 3000 };

enum ws_opcode { WS_TEXT = 0x1, WS_CLOSE = 0x8, WS_PING = 0x9, WS_PONG = 0xA };

struct session {
	char room_id[128];
	char identity[128];
	char name[256];
	const char *leave_reason; /* static string; set under lock to end it */
	struct session *next;
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t sessions_changed = PTHREAD_COND_INITIALIZER;
static struct session *sessions;
static bool stopping;
static struct MHD_Daemon *daemon_handle;

/* ---------- sessions ---------- */

/* Adds s; an earlier session of the same identity in the room is told to go. */
static bool session_register(struct session *s)
{
	pthread_mutex_lock(&lock);
	bool ok = !stopping;
	if (ok) {
		for (struct session *o = sessions; o; o = o->next)
			if (!o->leave_reason && strcmp(o->room_id, s->room_id) == 0 &&
			    strcmp(o->identity, s->identity) == 0)
				o->leave_reason = "duplicate_identity";
		s->next = sessions;
		sessions = s;
	}
	pthread_mutex_unlock(&lock);
	return ok;
}

static void session_unregister(struct session *s)
{
	pthread_mutex_lock(&lock);
	for (struct session **p = &sessions; *p; p = &(*p)->next) {
		if (*p == s) {
			*p = s->next;
			break;
		}
	}
	pthread_cond_broadcast(&sessions_changed);
	pthread_mutex_unlock(&lock);
}

static const char *session_leave_reason(struct session *s)
{
	pthread_mutex_lock(&lock);
	const char *reason = s->leave_reason;
	pthread_mutex_unlock(&lock);
	return reason;
}

void livekit_disconnect(const char *room_id, const char *identity, const char *reason)
{
	pthread_mutex_lock(&lock);
	for (struct session *s = sessions; s; s = s->next)
		if (!s->leave_reason && strcmp(s->room_id, room_id) == 0 && (!identity || strcmp(s->identity, identity) == 0))
			s->leave_reason = reason;
	pthread_mutex_unlock(&lock);
}

/* ---------- websocket frames ---------- */

static bool send_all(int sock, const unsigned char *data, size_t len)
{
	while (len) {
		ssize_t n = send(sock, data, len, MSG_NOSIGNAL);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return false;
		data += n;
		len -= (size_t)n;
	}
	return true;
}

static bool send_frame(int sock, enum ws_opcode opcode, const void *payload, size_t len)
{
	unsigned char header[4];
	size_t header_len = 2;
	header[0] = (unsigned char)(0x80 | opcode); /* FIN: never fragmented */
	if (len < 126) {
		header[1] = (unsigned char)len;
	} else if (len <= 0xFFFF) {
		header[1] = 126;
		header[2] = (unsigned char)(len >> 8);
		header[3] = (unsigned char)len;
		header_len = 4;
	} else {
		return false;
	}
	return send_all(sock, header, header_len) && send_all(sock, payload, len);
}

static bool send_json(int sock, cJSON *message)
{
	char *text = cJSON_PrintUnformatted(message);
	cJSON_Delete(message);
	bool ok = send_frame(sock, WS_TEXT, text, strlen(text));
	cJSON_free(text);
	return ok;
}

static bool send_leave(int sock, const char *reason)
{
	cJSON *message = cJSON_CreateObject();
	cJSON_AddStringToObject(cJSON_AddObjectToObject(message, "leave"), "reason", reason);
	if (!send_json(sock, message))
		return false;
	/* close code 1000, normal closure */
	static const unsigned char normal[2] = { 0x03, 0xE8 };
	return send_frame(sock, WS_CLOSE, normal, sizeof normal);
}

/*
 * Takes the first complete client frame off the front of in. Returns 1 with
 * the frame (payload unmasked in place, *payload pointing into in), 0 when
 * more bytes are needed, -1 on a protocol error (unmasked, oversized or
 * fragmented frame).
 */
static int take_frame(struct buf *in, size_t *consumed, int *opcode, unsigned char **payload, size_t *len)
{
	unsigned char *p = (unsigned char *)in->data;
	if (in->len < 2)
		return 0;
	if (!(p[0] & 0x80) || !(p[1] & 0x80))
		return -1;
	size_t n = p[1] & 0x7F, at = 2;
	if (n == 126) {
		if (in->len < 4)
			return 0;
		n = ((size_t)p[2] << 8) | p[3];
		at = 4;
	} else if (n == 127) {
		return -1;
	}
	if (n > MAX_FRAME_BYTES)
		return -1;
	if (in->len < at + 4 + n)
		return 0;
	const unsigned char *mask = p + at;
	unsigned char *data = p + at + 4;
	for (size_t i = 0; i < n; i++)
		data[i] ^= mask[i % 4];
	*opcode = p[0] & 0x0F;
	*payload = data;
	*len = n;
	*consumed = at + 4 + n;
	return 1;
}

static void buf_consume(struct buf *b, size_t n)
{
	memmove(b->data, b->data + n, b->len - n);
	b->len -= n;
}

/* ---------- one session ---------- */

/* The session's whole life, in its connection's thread. */
static void run_session(struct session *s, int sock, const char *extra, size_t extra_len)
{
	struct buf in = { 0 };
	if (extra_len)
		buf_append(&in, extra, extra_len);

	cJSON *join = cJSON_CreateObject();
	cJSON *body = cJSON_AddObjectToObject(join, "join");
	cJSON_AddStringToObject(body, "room", s->room_id);
	cJSON *participant = cJSON_AddObjectToObject(body, "participant");
	cJSON_AddStringToObject(participant, "identity", s->identity);
	cJSON_AddStringToObject(participant, "name", s->name);
	bool open = send_json(sock, join);

	while (open) {
		const char *reason = session_leave_reason(s);
		if (reason) {
			send_leave(sock, reason);
			break;
		}
		struct pollfd pfd = { .fd = sock, .events = POLLIN };
		int ready = poll(&pfd, 1, POLL_MS);
		if (ready < 0 && errno != EINTR)
			break;
		if (ready > 0) {
			char chunk[4096];
			ssize_t n = recv(sock, chunk, sizeof chunk, 0);
			if (n <= 0)
				break; /* the browser went away */
			buf_append(&in, chunk, (size_t)n);
		}
		int opcode, got;
		unsigned char *payload;
		size_t len, consumed;
		while (open && (got = take_frame(&in, &consumed, &opcode, &payload, &len)) == 1) {
			if (opcode == WS_CLOSE) {
				send_frame(sock, WS_CLOSE, payload, len < 2 ? 0 : 2);
				open = false;
			} else if (opcode == WS_PING) {
				open = send_frame(sock, WS_PONG, payload, len);
			} else if (opcode == WS_TEXT && len >= 8 && memmem(payload, len, "\"leave\"", 7)) {
				/* the participant leaves: the browser closes next */
				static const unsigned char normal[2] = { 0x03, 0xE8 };
				send_frame(sock, WS_CLOSE, normal, sizeof normal);
				open = false;
			}
			buf_consume(&in, consumed);
		}
		if (got < 0) {
			static const unsigned char protocol_error[2] = { 0x03, 0xEA }; /* 1002 */
			send_frame(sock, WS_CLOSE, protocol_error, sizeof protocol_error);
			break;
		}
	}
	buf_free(&in);
}

/* ---------- HTTP: /rtc and /rtc/validate ---------- */

/* The session a joining token grants (room, identity, name): false when
 * the token is not one the emulator signed for joining a room. */
static bool session_from_token(const char *token, struct session *out)
{
	cJSON *claims = token ? pages_verify_token(token) : NULL;
	if (!claims)
		return false;
	const cJSON *video = cJSON_GetObjectItemCaseSensitive(claims, "video");
	const cJSON *room = cJSON_GetObjectItemCaseSensitive(video, "room");
	const cJSON *identity = cJSON_GetObjectItemCaseSensitive(claims, "sub");
	const cJSON *name = cJSON_GetObjectItemCaseSensitive(claims, "name");
	bool ok = cJSON_IsString(room) && cJSON_IsString(identity) &&
		  cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(video, "roomJoin"));
	if (ok) {
		memset(out, 0, sizeof *out);
		snprintf(out->room_id, sizeof out->room_id, "%s", room->valuestring);
		snprintf(out->identity, sizeof out->identity, "%s", identity->valuestring);
		snprintf(out->name, sizeof out->name, "%s", cJSON_IsString(name) ? name->valuestring : identity->valuestring);
	}
	cJSON_Delete(claims);
	return ok;
}

/* The connection's request is still readable here: the session comes from
 * its token, on this thread's stack, and lives until the socket closes. */
static void on_upgraded(void *cls, struct MHD_Connection *conn, void *req_cls, const char *extra_in,
			size_t extra_in_size, MHD_socket sock, struct MHD_UpgradeResponseHandle *urh)
{
	(void)cls;
	(void)req_cls;
	struct session s;
	const char *token = MHD_lookup_connection_value(conn, MHD_GET_ARGUMENT_KIND, "access_token");
	if (!session_from_token(token, &s)) {
		/* cannot happen: on_request checked it before the upgrade */
	} else if (session_register(&s)) {
		run_session(&s, sock, extra_in, extra_in_size);
		session_unregister(&s);
	} else {
		send_leave(sock, "server_shutdown");
	}
	MHD_upgrade_action(urh, MHD_UPGRADE_ACTION_CLOSE);
}

static enum MHD_Result answer_text(struct MHD_Connection *conn, unsigned status, const char *text)
{
	struct MHD_Response *r = MHD_create_response_from_buffer(strlen(text), (void *)text, MHD_RESPMEM_PERSISTENT);
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, "text/plain; charset=utf-8");
	/* the page that asks is on another origin, as with the real server */
	MHD_add_response_header(r, MHD_HTTP_HEADER_ACCESS_CONTROL_ALLOW_ORIGIN, "*");
	enum MHD_Result ok = MHD_queue_response(conn, status, r);
	MHD_destroy_response(r);
	return ok;
}

static bool header_has_token(struct MHD_Connection *conn, const char *name, const char *token)
{
	const char *value = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, name);
	return value && strcasestr(value, token);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
				  const char *version, const char *upload_data, size_t *upload_size, void **req_cls)
{
	(void)cls;
	(void)version;
	(void)upload_data;
	(void)upload_size;
	if (!*req_cls) {
		*req_cls = conn; /* first call: headers only */
		return MHD_YES;
	}
	*req_cls = NULL;
	if (strcmp(method, "GET") != 0)
		return answer_text(conn, 405, "method not allowed\n");
	const char *token = MHD_lookup_connection_value(conn, MHD_GET_ARGUMENT_KIND, "access_token");
	struct session s;
	bool valid = session_from_token(token, &s);
	if (strcmp(url, "/rtc/validate") == 0)
		return valid ? answer_text(conn, 200, "success") : answer_text(conn, 401, "invalid token\n");
	if (strcmp(url, "/rtc") != 0)
		return answer_text(conn, 404, "not found\n");

	const char *key = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Sec-WebSocket-Key");
	const char *ws_version = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Sec-WebSocket-Version");
	if (!header_has_token(conn, "Upgrade", "websocket") || !header_has_token(conn, "Connection", "upgrade") ||
	    !key || strlen(key) > 64 || !ws_version || strcmp(ws_version, "13") != 0)
		return answer_text(conn, 400, "a websocket upgrade is expected\n");
	if (!valid)
		return answer_text(conn, 401, "invalid token\n");

	/* Sec-WebSocket-Accept: base64(SHA-1(key + the RFC 6455 GUID)) */
	char keyed[128];
	snprintf(keyed, sizeof keyed, "%s258EAFA5-E914-47DA-95CA-C5AB0DC85B11", key);
	unsigned char digest[EVP_MAX_MD_SIZE];
	unsigned int digest_len = 0;
	EVP_Digest(keyed, strlen(keyed), digest, &digest_len, EVP_sha1(), NULL);
	char *accept = text_base64_encode(digest, digest_len);

	struct MHD_Response *r = MHD_create_response_for_upgrade(on_upgraded, NULL);
	MHD_add_response_header(r, MHD_HTTP_HEADER_UPGRADE, "websocket");
	MHD_add_response_header(r, "Sec-WebSocket-Accept", accept);
	free(accept);
	enum MHD_Result ok = MHD_queue_response(conn, MHD_HTTP_SWITCHING_PROTOCOLS, r);
	MHD_destroy_response(r);
	return ok;
}

bool livekit_start(const struct sockaddr *addr, bool ipv6, unsigned *port)
{
	unsigned flags = MHD_USE_THREAD_PER_CONNECTION | MHD_USE_INTERNAL_POLLING_THREAD | MHD_ALLOW_UPGRADE |
			 MHD_USE_AUTO | MHD_USE_ERROR_LOG | (ipv6 ? MHD_USE_IPv6 : 0);
	daemon_handle = MHD_start_daemon(flags, 0, NULL, NULL, on_request, NULL,
					 MHD_OPTION_SOCK_ADDR, addr,
					 MHD_OPTION_LISTENING_ADDRESS_REUSE, (unsigned int)1,
					 MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)120,
					 MHD_OPTION_END);
	if (!daemon_handle)
		return false;
	const union MHD_DaemonInfo *info = MHD_get_daemon_info(daemon_handle, MHD_DAEMON_INFO_BIND_PORT);
	if (info)
		*port = info->port;
	return true;
}

void livekit_stop(void)
{
	if (!daemon_handle)
		return;
	struct timespec until;
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += STOP_WAIT_MS / 1000;
	pthread_mutex_lock(&lock);
	stopping = true;
	for (struct session *s = sessions; s; s = s->next)
		if (!s->leave_reason)
			s->leave_reason = "server_shutdown";
	/* each session says goodbye from its own thread, then goes */
	while (sessions && pthread_cond_timedwait(&sessions_changed, &lock, &until) != ETIMEDOUT)
		;
	pthread_mutex_unlock(&lock);
	MHD_stop_daemon(daemon_handle);
	daemon_handle = NULL;
}
