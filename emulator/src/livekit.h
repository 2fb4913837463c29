/*
 * livekit: the emulator's stand-in for LiveKit's signalling, on a port of
 * its own (another origin than Meet's, as in a local OpenVidu deployment
 * where Meet serves on 9080 and LiveKit on 7880). It answers what a browser
 * asks of LiveKit: GET /rtc/validate over HTTP and the /rtc websocket, with
 * a joining token the emulator issued. Over the socket it speaks a small
 * JSON dialect of its own (not LiveKit's protobuf): {"join": …} once
 * connected, {"leave": {"reason": …}} when the server ends the session.
 * Sessions are ended with a LiveKit disconnect reason when the same
 * identity joins again (duplicate_identity), when Meet removes the
 * participant or deletes the room, and when the emulator stops
 * (server_shutdown).
 */
#ifndef EMU_LIVEKIT_H
#define EMU_LIVEKIT_H

#include <stdbool.h>
#include <sys/socket.h>

/* Starts listening on addr (port 0: the kernel picks); *port gets the port. */
bool livekit_start(const struct sockaddr *addr, bool ipv6, unsigned *port);
/* Ends every session with server_shutdown, then stops listening. */
void livekit_stop(void);
/* Ends the sessions of identity in room_id (every one in the room when
 * identity is NULL) with reason, a LiveKit disconnect reason. */
void livekit_disconnect(const char *room_id, const char *identity, const char *reason);

#endif
