/*
 * error: a failure the user will see, as a value.
 *
 * Every module reports what went wrong as a struct error: the HTTP status
 * our API answers with and a message for the browser. They are built here
 * and written in one place (response_set_error), so every failure has the
 * same JSON shape {"message": ...}. Status 0 means "no error".
 */
#ifndef MEET_ERROR_H
#define MEET_ERROR_H

#include <stdbool.h>

enum { ERROR_MESSAGE_MAX = 512 };

struct error {
	int status;                       /* HTTP status; 0 = no error */
	char message[ERROR_MESSAGE_MAX];  /* for the browser: no secrets */
	const char *allow;                /* static "Allow" value for 405, else NULL */
};

/* The value that means success. */
struct error error_none(void);

/* An error with a printf-style message (truncated to ERROR_MESSAGE_MAX). */
struct error error_make(int status, const char *format, ...)
	__attribute__((format(__printf__, 2, 3)));

bool error_is_set(const struct error *error);

#endif
