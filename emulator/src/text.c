#include "text.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

static void buf_reserve(struct buf *b, size_t extra)
{
	if (b->len + extra + 1 <= b->cap)
		return;
	size_t cap = b->cap ? b->cap : 256;
	while (cap < b->len + extra + 1)
		cap *= 2;
	char *data = realloc(b->data, cap);
	if (!data)
		abort(); /* a test server out of memory has nothing sensible to do */
	b->data = data;
	b->cap = cap;
}

void buf_append(struct buf *b, const char *s, size_t n)
{
	buf_reserve(b, n);
	memcpy(b->data + b->len, s, n);
	b->len += n;
	b->data[b->len] = '\0';
}

void buf_puts(struct buf *b, const char *s)
{
	buf_append(b, s, strlen(s));
}

void buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	buf_reserve(b, (size_t)n);
	va_start(ap, fmt);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

void buf_html(struct buf *b, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '&': buf_puts(b, "&amp;"); break;
		case '<': buf_puts(b, "&lt;"); break;
		case '>': buf_puts(b, "&gt;"); break;
		case '"': buf_puts(b, "&quot;"); break;
		case '\'': buf_puts(b, "&#39;"); break;
		default: buf_append(b, s, 1);
		}
	}
}

char *buf_take(struct buf *b)
{
	if (!b->data)
		buf_append(b, "", 0);
	char *data = b->data;
	b->data = NULL;
	b->len = b->cap = 0;
	return data;
}

void buf_free(struct buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}

static void random_bytes(unsigned char *out, size_t n)
{
	size_t got = 0;
	while (got < n) {
		ssize_t r = getrandom(out + got, n - got, 0);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			abort();
		}
		got += (size_t)r;
	}
}

static void random_chars(char *out, size_t n, const char *alphabet, unsigned size)
{
	unsigned char bytes[64];
	size_t i = 0;
	while (i < n) {
		random_bytes(bytes, sizeof bytes);
		for (size_t k = 0; k < sizeof bytes && i < n; k++) {
			/* rejection sampling keeps every character equally likely */
			if (bytes[k] >= 256 - 256 % size)
				continue;
			out[i++] = alphabet[bytes[k] % size];
		}
	}
	out[n] = '\0';
}

void text_random_hex(char *out, size_t n)
{
	random_chars(out, n, "0123456789abcdef", 16);
}

void text_random_base36(char *out, size_t n)
{
	random_chars(out, n, "0123456789abcdefghijklmnopqrstuvwxyz", 36);
}

/* Reads one code point; malformed bytes come back one at a time as 0xFFFD. */
static uint32_t utf8_next(const unsigned char **p)
{
	const unsigned char *s = *p;
	uint32_t c = s[0];
	int extra = 0;
	if (c < 0x80) {
		*p = s + 1;
		return c;
	} else if ((c & 0xE0) == 0xC0) {
		c &= 0x1F;
		extra = 1;
	} else if ((c & 0xF0) == 0xE0) {
		c &= 0x0F;
		extra = 2;
	} else if ((c & 0xF8) == 0xF0) {
		c &= 0x07;
		extra = 3;
	} else {
		*p = s + 1;
		return 0xFFFD;
	}
	for (int i = 1; i <= extra; i++) {
		if ((s[i] & 0xC0) != 0x80) {
			*p = s + 1;
			return 0xFFFD;
		}
		c = (c << 6) | (s[i] & 0x3F);
	}
	*p = s + 1 + extra;
	return c;
}

/* Base letter of U+00C0..U+017F after NFD, '.' when it does not decompose. */
static const char latin_base[] =
	"AAAAAA.CEEEEIIII" /* C0 */
	".NOOOOO..UUUUY.." /* D0 */
	"aaaaaa.ceeeeiiii" /* E0 */
	".nooooo..uuuuy.y" /* F0 */
	"AaAaAaCcCcCcCcDd" /* 100 */
	"..EeEeEeEeEeGgGg" /* 110 */
	"GgGgHh..IiIiIiIi" /* 120 */
	"I...JjKk.LlLlLl." /* 130 */
	"...NnNnNn...OoOo" /* 140 */
	"Oo..RrRrRrSsSsSs" /* 150 */
	"SsTtTt..UuUuUuUu" /* 160 */
	"UuUuWwYyYZzZzZz."; /* 170 */

static bool js_space(uint32_t c)
{
	return c == ' ' || (c >= 0x09 && c <= 0x0D) || c == 0xA0 || c == 0x1680 ||
	       (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 ||
	       c == 0x202F || c == 0x205F || c == 0x3000 || c == 0xFEFF;
}

void text_room_slug(const char *name, char *out, size_t cap)
{
	size_t n = 0;
	bool last_underscore = true; /* drops leading '_' */
	const unsigned char *p = (const unsigned char *)name;
	while (*p && n + 1 < cap) {
		uint32_t c = utf8_next(&p);
		char ch = 0;
		if (c >= 0xC0 && c <= 0x17F && latin_base[c - 0xC0] != '.')
			c = (unsigned char)latin_base[c - 0xC0];
		else if (c == 0x212A) /* KELVIN SIGN decomposes to K */
			c = 'K';
		else if (c == 0x212B) /* ANGSTROM SIGN decomposes to A with ring */
			c = 'A';
		if (c >= 'A' && c <= 'Z')
			c += 'a' - 'A';
		if (c == '-' || js_space(c) || c == '_')
			ch = '_';
		else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
			ch = (char)c;
		if (!ch)
			continue;
		if (ch == '_') {
			if (last_underscore)
				continue;
			last_underscore = true;
		} else {
			last_underscore = false;
		}
		out[n++] = ch;
	}
	while (n > 0 && out[n - 1] == '_')
		n--;
	out[n] = '\0';
	if (n == 0)
		snprintf(out, cap, "room");
}

static char *base64_with(const unsigned char *data, size_t len, const char *alphabet, bool pad)
{
	char *out = malloc((len + 2) / 3 * 4 + 1);
	if (!out)
		abort();
	size_t o = 0;
	for (size_t i = 0; i < len; i += 3) {
		uint32_t v = (uint32_t)data[i] << 16;
		if (i + 1 < len)
			v |= (uint32_t)data[i + 1] << 8;
		if (i + 2 < len)
			v |= data[i + 2];
		out[o++] = alphabet[(v >> 18) & 63];
		out[o++] = alphabet[(v >> 12) & 63];
		if (i + 1 < len)
			out[o++] = alphabet[(v >> 6) & 63];
		else if (pad)
			out[o++] = '=';
		if (i + 2 < len)
			out[o++] = alphabet[v & 63];
		else if (pad)
			out[o++] = '=';
	}
	out[o] = '\0';
	return out;
}

char *text_base64_encode(const unsigned char *data, size_t len)
{
	return base64_with(data, len, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/", true);
}

char *text_base64url_encode(const unsigned char *data, size_t len)
{
	return base64_with(data, len, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_", false);
}

static int base64_value(char c)
{
	if (c >= 'A' && c <= 'Z') return c - 'A';
	if (c >= 'a' && c <= 'z') return c - 'a' + 26;
	if (c >= '0' && c <= '9') return c - '0' + 52;
	if (c == '+' || c == '-') return 62;
	if (c == '/' || c == '_') return 63;
	return -1;
}

unsigned char *text_base64_decode(const char *s, size_t *len)
{
	size_t slen = strlen(s);
	unsigned char *out = malloc(slen * 3 / 4 + 3);
	if (!out)
		abort();
	uint32_t acc = 0;
	int bits = 0;
	size_t o = 0;
	for (; *s && *s != '='; s++) {
		int v = base64_value(*s);
		if (v < 0)
			continue;
		acc = (acc << 6) | (uint32_t)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			out[o++] = (unsigned char)((acc >> bits) & 0xFF);
		}
	}
	out[o] = '\0';
	*len = o;
	return out;
}

bool text_js_number(const char *s, double *out)
{
	while (*s && strchr(" \t\n\v\f\r", *s))
		s++;
	size_t n = strlen(s);
	while (n > 0 && strchr(" \t\n\v\f\r", s[n - 1]))
		n--;
	if (n == 0) {
		*out = 0; /* Number("") is 0 */
		return true;
	}
	char tmp[128];
	if (n >= sizeof tmp)
		return false;
	memcpy(tmp, s, n);
	tmp[n] = '\0';
	const char *t = tmp;
	if (strcmp(t, "Infinity") == 0 || strcmp(t, "+Infinity") == 0) {
		*out = INFINITY;
		return true;
	}
	if (strcmp(t, "-Infinity") == 0) {
		*out = -INFINITY;
		return true;
	}
	if (t[0] == '0' && (t[1] == 'x' || t[1] == 'X' || t[1] == 'o' || t[1] == 'O' || t[1] == 'b' || t[1] == 'B')) {
		int base = (t[1] == 'x' || t[1] == 'X') ? 16 : (t[1] == 'o' || t[1] == 'O') ? 8 : 2;
		double v = 0;
		if (!t[2])
			return false;
		for (const char *c = t + 2; *c; c++) {
			int d;
			if (*c >= '0' && *c <= '9') d = *c - '0';
			else if (*c >= 'a' && *c <= 'f') d = *c - 'a' + 10;
			else if (*c >= 'A' && *c <= 'F') d = *c - 'A' + 10;
			else return false;
			if (d >= base)
				return false;
			v = v * base + d;
		}
		*out = v;
		return true;
	}
	/* decimal literal only: digits, one '.', an exponent; strtod would also
	 * take "inf", "nan" and hex floats, which Number() does not */
	const char *c = t;
	if (*c == '+' || *c == '-')
		c++;
	bool digits = false;
	while (*c >= '0' && *c <= '9') { c++; digits = true; }
	if (*c == '.') {
		c++;
		while (*c >= '0' && *c <= '9') { c++; digits = true; }
	}
	if (!digits)
		return false;
	if (*c == 'e' || *c == 'E') {
		c++;
		if (*c == '+' || *c == '-')
			c++;
		if (!(*c >= '0' && *c <= '9'))
			return false;
		while (*c >= '0' && *c <= '9')
			c++;
	}
	if (*c)
		return false;
	*out = strtod(t, NULL);
	return true;
}

size_t text_utf16_length(const char *s)
{
	size_t n = 0;
	const unsigned char *p = (const unsigned char *)s;
	while (*p) {
		uint32_t c = utf8_next(&p);
		n += c >= 0x10000 ? 2 : 1;
	}
	return n;
}

static int hex_value(char c)
{
	if (c >= '0' && c <= '9') return c - '0';
	if (c >= 'a' && c <= 'f') return c - 'a' + 10;
	if (c >= 'A' && c <= 'F') return c - 'A' + 10;
	return -1;
}

void text_url_decode(char *s, bool plus_is_space)
{
	char *w = s;
	for (char *r = s; *r; r++) {
		if (*r == '%' && hex_value(r[1]) >= 0 && hex_value(r[2]) >= 0) {
			*w++ = (char)(hex_value(r[1]) * 16 + hex_value(r[2]));
			r += 2;
		} else if (*r == '+' && plus_is_space) {
			*w++ = ' ';
		} else {
			*w++ = *r;
		}
	}
	*w = '\0';
}

long long text_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}
