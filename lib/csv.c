#include "csv.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

static bool starts_formula(const char *text)
{
	return text[0] != '\0' && strchr("=+-@\t\r", text[0]) != NULL;
}

/*
 * Writes one cell at out and returns its length; with out NULL only counts,
 * so that csv_table sizes the text with the same code that writes it.
 */
static size_t cell_write(char *out, const char *text)
{
	bool quoted = strpbrk(text, ",\"\r\n") != NULL;
	size_t n = 0;

#define PUT(c) do { if (out != NULL) out[n] = (c); n++; } while (0)
	if (quoted)
		PUT('"');
	if (starts_formula(text))
		PUT('\'');
	for (const char *c = text; *c != '\0'; c++) {
		if (*c == '"')
			PUT('"');
		PUT(*c);
	}
	if (quoted)
		PUT('"');
#undef PUT
	return n;
}

/* Writes the whole table at out (or only counts, with out NULL). */
static size_t table_write(char *out, const char *const *cells, size_t rows, size_t columns)
{
	size_t n = strlen(CSV_BYTE_ORDER_MARK);

	if (out != NULL)
		memcpy(out, CSV_BYTE_ORDER_MARK, n);
	for (size_t row = 0; row < rows; row++) {
		for (size_t column = 0; column < columns; column++) {
			const char *cell = cells[row * columns + column];
			if (column > 0) {
				if (out != NULL)
					out[n] = ',';
				n++;
			}
			n += cell_write(out != NULL ? out + n : NULL, cell != NULL ? cell : "");
		}
		if (out != NULL)
			memcpy(out + n, "\r\n", 2);
		n += 2;
	}
	return n;
}

char *csv_table(const char *const *cells, size_t rows, size_t columns, size_t *len)
{
	size_t size = table_write(NULL, cells, rows, columns);
	char *text = malloc(size + 1);

	if (text == NULL)
		return NULL;
	table_write(text, cells, rows, columns);
	text[size] = '\0';
	*len = size;
	return text;
}
