/*
 * csv: a table as RFC 4180 text that spreadsheet programs open correctly
 * and safely.
 *
 * The text starts with a UTF-8 byte-order mark (without it Excel reads
 * non-ASCII names as another encoding) and every row ends in CRLF. A cell
 * holding a comma, a double quote, CR or LF is quoted, its quotes doubled.
 * A cell that a spreadsheet would run as a formula (first character `=`,
 * `+`, `-`, `@`, tab or CR) gets a leading apostrophe, so it is shown as
 * text: names and links come from people, and a file that runs what a guest
 * typed is an attack. Bytes are copied as they are (UTF-8 stays UTF-8).
 */
#ifndef MEET_CSV_H
#define MEET_CSV_H

#include <stddef.h>

#define CSV_BYTE_ORDER_MARK "\xEF\xBB\xBF"

/*
 * The rows x columns table cells (row by row; a NULL cell is empty) as CSV
 * text of *len bytes, NUL-terminated. Returns NULL when out of memory.
 * Caller frees with free. Pure: no I/O.
 */
char *csv_table(const char *const *cells, size_t rows, size_t columns, size_t *len);

#endif
