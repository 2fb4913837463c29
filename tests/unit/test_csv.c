/* Unit tests of lib/csv: RFC 4180 quoting, the byte-order mark, the
 * formula guard and non-ASCII text, byte for byte. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "csv.h"

#define BOM CSV_BYTE_ORDER_MARK

/* csv_table of one row of cells must be exactly expected (BOM included). */
static void assert_row(const char *const *cells, size_t columns, const char *expected)
{
	size_t len = 0;
	char *text = csv_table(cells, 1, columns, &len);

	assert_non_null(text);
	assert_int_equal(len, strlen(expected));
	assert_memory_equal(text, expected, len);
	assert_int_equal(text[len], '\0');
	free(text);
}

static void test_header_and_plain_rows(void **state)
{
	const char *const cells[] = {
		"name", "role", "link",
		"Alice", "speaker", "https://meet.example.com/room/r1?secret=abc",
		"Bob", "moderator", "https://meet.example.com/room/r1?secret=def",
	};
	const char expected[] = BOM "name,role,link\r\n"
		"Alice,speaker,https://meet.example.com/room/r1?secret=abc\r\n"
		"Bob,moderator,https://meet.example.com/room/r1?secret=def\r\n";
	size_t len = 0;
	char *text;
	(void)state;

	text = csv_table(cells, 3, 3, &len);
	assert_non_null(text);
	assert_int_equal(len, sizeof expected - 1);
	assert_memory_equal(text, expected, len);
	/* The byte-order mark is the three bytes EF BB BF, first. */
	assert_memory_equal(text, "\xEF\xBB\xBF", 3);
	free(text);
}

static void test_quoting(void **state)
{
	(void)state;
	assert_row((const char *const[]){ "Smith, John", "speaker" }, 2,
		   BOM "\"Smith, John\",speaker\r\n");
	assert_row((const char *const[]){ "Ann \"Nan\" Lee" }, 1,
		   BOM "\"Ann \"\"Nan\"\" Lee\"\r\n");
	assert_row((const char *const[]){ "two\nlines", "cr\rhere", "crlf\r\nboth" }, 3,
		   BOM "\"two\nlines\",\"cr\rhere\",\"crlf\r\nboth\"\r\n");
	assert_row((const char *const[]){ "\"" }, 1, BOM "\"\"\"\"\r\n");
	/* Spaces, semicolons, apostrophes and tabs inside need no quotes. */
	assert_row((const char *const[]){ " padded ", "a;b", "O'Brien", "a\tb" }, 4,
		   BOM " padded ,a;b,O'Brien,a\tb\r\n");
}

static void test_empty_and_null_cells(void **state)
{
	(void)state;
	assert_row((const char *const[]){ "", NULL, "x" }, 3, BOM ",,x\r\n");

	size_t len = 99;
	char *text = csv_table(NULL, 0, 3, &len);
	assert_non_null(text);
	assert_int_equal(len, 3);
	assert_string_equal(text, BOM);
	free(text);
}

static void test_formula_guard(void **state)
{
	(void)state;
	assert_row((const char *const[]){ "=HYPERLINK(\"http://evil\")" }, 1,
		   BOM "\"'=HYPERLINK(\"\"http://evil\"\")\"\r\n");
	assert_row((const char *const[]){ "=1+2", "+1", "-1", "@SUM(A1)" }, 4,
		   BOM "'=1+2,'+1,'-1,'@SUM(A1)\r\n");
	assert_row((const char *const[]){ "\tTabbed", "\rCarriage" }, 2,
		   BOM "'\tTabbed,\"'\rCarriage\"\r\n");
	assert_row((const char *const[]){ "=cmd|' /C calc'!A0, x" }, 1,
		   BOM "\"'=cmd|' /C calc'!A0, x\"\r\n");
	/* Only the first character counts. */
	assert_row((const char *const[]){ "a=b", "x-y", "mail@example.com", " =1" }, 4,
		   BOM "a=b,x-y,mail@example.com, =1\r\n");
}

static void test_non_ascii_kept(void **state)
{
	(void)state;
	assert_row((const char *const[]){ "José Müller", "会议室", "\xF0\x9F\x98\x80 Zoë, Ø" }, 3,
		   BOM "José Müller,会议室,\"\xF0\x9F\x98\x80 Zoë, Ø\"\r\n");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_header_and_plain_rows),
		cmocka_unit_test(test_quoting),
		cmocka_unit_test(test_empty_and_null_cells),
		cmocka_unit_test(test_formula_guard),
		cmocka_unit_test(test_non_ascii_kept),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
