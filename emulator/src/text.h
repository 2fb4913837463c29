/*
 * text: the small string tools the emulator needs, all pure functions.
 * A growable buffer (struct buf, caller frees data with free()), random ids,
 * the roomId slug, base64, JavaScript's Number() for query strings, UTF-16
 * lengths (zod counts JavaScript string length) and HTML escaping.
 */
#ifndef EMU_TEXT_H
#define EMU_TEXT_H

#include <stdbool.h>
#include <stddef.h>

struct buf {
	char *data; /* always NUL-terminated once anything was appended */
	size_t len;
	size_t cap;
};

void buf_append(struct buf *b, const char *s, size_t n);
void buf_puts(struct buf *b, const char *s);
void buf_printf(struct buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Appends s with & < > " ' replaced by entities. */
void buf_html(struct buf *b, const char *s);
/* Gives the data to the caller (free() it) and empties b. */
char *buf_take(struct buf *b);
void buf_free(struct buf *b);

/* n random characters of [0-9a-f] / [0-9a-z], NUL-terminated (out has n+1). */
void text_random_hex(char *out, size_t n);
void text_random_base36(char *out, size_t n);

/*
 * The roomId prefix of a room name, as the released server forms it:
 * NFD (Latin-1 and Latin Extended-A letters lose their accents, letters that
 * do not decompose are dropped), lower case, '-' and whitespace to '_',
 * anything outside [a-z0-9_] dropped, '_' runs collapsed and trimmed;
 * "room" when nothing is left. out has cap bytes.
 */
void text_room_slug(const char *name, char *out, size_t cap);

/* Standard base64 with padding; caller frees. */
char *text_base64_encode(const unsigned char *data, size_t len);
/* base64url without padding (JWT); caller frees. */
char *text_base64url_encode(const unsigned char *data, size_t len);
/* Lenient decode as Node's Buffer.from(s, 'base64'): skips characters
 * outside both alphabets, stops at '='. Caller frees; *len gets the size. */
unsigned char *text_base64_decode(const char *s, size_t *len);

/* JavaScript Number(s): false when the result is NaN. */
bool text_js_number(const char *s, double *out);

/* Length of a UTF-8 string in UTF-16 code units (JavaScript's .length). */
size_t text_utf16_length(const char *s);

/* Percent-decodes s in place ('+' stays unless plus_is_space). */
void text_url_decode(char *s, bool plus_is_space);

/* Milliseconds since the epoch. */
long long text_now_ms(void);

#endif
