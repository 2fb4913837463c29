/* http: the libmicrohttpd server of the emulator (see http.c). */
#ifndef EMU_HTTP_H
#define EMU_HTTP_H

#include <stdbool.h>
#include <sys/socket.h>

struct MHD_Daemon;

/* Opens the request log and starts serving on addr; NULL on failure. */
struct MHD_Daemon *http_start(const struct sockaddr *addr, bool ipv6);
/* Wakes slow answers, stops the daemon (joining its threads), closes the log. */
void http_stop(struct MHD_Daemon *daemon);
/* Sleeps ms milliseconds, or less when the server is stopping. */
void http_sleep_ms(unsigned ms);
void http_wake_sleepers(void);

#endif
