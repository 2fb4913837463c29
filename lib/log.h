/*
 * log: one line per request, and problems, on the process's stderr.
 *
 * The web server collects stderr into its error log. Lines never carry the
 * API key, a request or answer body, or a member id (a member id is the
 * secret of its access link): callers pass the route pattern, not the path.
 */
#ifndef MEET_LOG_H
#define MEET_LOG_H

/*
 * "meet-fcgi rooms: GET /rooms/{roomId} 200 meet=200 12ms"
 * meet_status 0 means Meet was not asked (printed as "-").
 */
void log_request(const char *method, const char *route, int status,
		 int meet_status, long duration_ms);

/* A free-form line, e.g. why Meet could not be reached. */
void log_message(const char *format, ...) __attribute__((format(__printf__, 1, 2)));

#endif
