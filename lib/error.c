#include "error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* Truncation may cut a UTF-8 sequence in two; drop the partial character so
 * the message stays valid UTF-8 in the JSON we send. */
static void drop_partial_utf8_tail(char *text)
{
	size_t len = strlen(text);
	size_t start = len;

	while (start > 0 && ((unsigned char)text[start - 1] & 0xC0) == 0x80)
		start--;
	if (start == 0 || ((unsigned char)text[start - 1] & 0x80) == 0)
		return;
	/* text[start - 1] leads a sequence: is it complete? */
	unsigned char lead = (unsigned char)text[start - 1];
	size_t need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2;
	if (len - (start - 1) < need)
		text[start - 1] = '\0';
}

struct error error_none(void)
{
	struct error none = { 0 };
	return none;
}

struct error error_make(int status, const char *format, ...)
{
	struct error error = { .status = status };
	va_list args;

	va_start(args, format);
	vsnprintf(error.message, sizeof error.message, format, args);
	va_end(args);
	drop_partial_utf8_tail(error.message);
	return error;
}

bool error_is_set(const struct error *error)
{
	return error->status != 0;
}
