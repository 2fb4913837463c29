/*
 * exchange: one request's conversation with the web server.
 *
 * Under FastCGI each worker thread has its own libfcgi request (parameters,
 * stdin and stdout streams); under plain CGI there is one request, in the
 * process environment, stdin and stdout. request.c and response.c read and
 * write through these three calls and never see which one it is.
 */
#ifndef MEET_EXCHANGE_H
#define MEET_EXCHANGE_H

#include <fcgiapp.h>
#include <stddef.h>

struct exchange {
	FCGX_Request *fcgi;  /* not owned; NULL under plain CGI */
};

/* A CGI variable of the request (REQUEST_URI, ...), or NULL. */
const char *exchange_param(const struct exchange *exchange, const char *name);

/* Reads up to size bytes of the request body; 0 at its end. */
size_t exchange_read(const struct exchange *exchange, char *buffer, size_t size);

/* Writes len bytes of the answer (headers, then body). */
void exchange_write(const struct exchange *exchange, const char *data, size_t len);

#endif
