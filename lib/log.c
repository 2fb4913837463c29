#include "log.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* One write(2) per line, so lines of concurrent processes do not mix. */
static void write_line(char *line, size_t size, int len)
{
	if (len < 0)
		return;
	if ((size_t)len >= size - 1)
		len = (int)size - 2;
	line[len++] = '\n';
	while (write(STDERR_FILENO, line, (size_t)len) < 0 && errno == EINTR)
		;
}

/* Methods come from the web server; print only what looks like one. */
static const char *printable_method(const char *method)
{
	size_t len = strlen(method);

	if (len == 0 || len > 15 || strspn(method, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") != len)
		return "?";
	return method;
}

void log_request(const char *method, const char *route, int status,
		 int meet_status, long duration_ms)
{
	char line[512];
	char meet[16] = "-";
	int len;

	if (meet_status > 0)
		snprintf(meet, sizeof meet, "%d", meet_status);
	len = snprintf(line, sizeof line, "meet-fcgi %s: %s %s %d meet=%s %ldms",
		       program_invocation_short_name, printable_method(method),
		       route, status, meet, duration_ms);
	write_line(line, sizeof line, len);
}

void log_message(const char *format, ...)
{
	char line[1024];
	va_list args;
	int prefix;
	int len;

	prefix = snprintf(line, sizeof line, "meet-fcgi %s: ", program_invocation_short_name);
	va_start(args, format);
	len = vsnprintf(line + prefix, sizeof line - (size_t)prefix, format, args);
	va_end(args);
	if (len >= 0)
		len += prefix;
	write_line(line, sizeof line, len);
}
