/* Unit tests of lib/response's downloads: which file names
 * response_set_attachment takes, and the headers response_write sends. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "response.h"

/* What response_write sends under plain CGI (stdout), as a string. */
static char *written(const struct response *response)
{
	static char text[4096];
	FILE *capture = tmpfile();
	int saved = dup(STDOUT_FILENO);
	struct exchange cgi = { .fcgi = NULL };
	size_t len;

	assert_non_null(capture);
	fflush(stdout);
	dup2(fileno(capture), STDOUT_FILENO);
	response_write(response, &cgi);
	fflush(stdout);
	dup2(saved, STDOUT_FILENO);
	close(saved);
	rewind(capture);
	len = fread(text, 1, sizeof text - 1, capture);
	text[len] = '\0';
	fclose(capture);
	return text;
}

static void test_attachment_names(void **state)
{
	struct response response;
	char longest[RESPONSE_FILENAME_MAX + 1];  /* a name of RESPONSE_FILENAME_MAX characters */
	(void)state;

	response_init(&response);
	assert_int_equal(response_set_attachment(&response, "team_sync-rg048-members.csv"), 0);
	assert_string_equal(response.attachment, "team_sync-rg048-members.csv");
	/* Anything that could end the quoted value or the header line is refused. */
	const char *const refused[] = { "", "a\"b.csv", "a\r\nX-Evil: 1", "a b.csv", "../x.csv",
					"a;b.csv", "caf\xC3\xA9.csv", "a\\b" };
	for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
		assert_int_equal(response_set_attachment(&response, refused[i]), -1);
		assert_string_equal(response.attachment, "team_sync-rg048-members.csv");
	}
	memset(longest, 'a', sizeof longest - 1);
	longest[sizeof longest - 1] = '\0';
	assert_int_equal(response_set_attachment(&response, longest), -1);
	longest[sizeof longest - 2] = '\0';
	assert_int_equal(response_set_attachment(&response, longest), 0);
	response_free(&response);
	assert_string_equal(response.attachment, "");
}

static void test_download_headers(void **state)
{
	struct response response;
	char *body = strdup("\xEF\xBB\xBFname,role,link\r\n");
	(void)state;

	response_init(&response);
	response_set_body(&response, 200, "text/csv; charset=utf-8", body, strlen(body));
	assert_int_equal(response_set_attachment(&response, "r1-members.csv"), 0);
	assert_string_equal(written(&response),
			    "Status: 200 OK\r\nContent-Type: text/csv; charset=utf-8\r\n"
			    "Content-Length: 19\r\nCache-Control: no-store\r\n"
			    "Content-Disposition: attachment; filename=\"r1-members.csv\"\r\n\r\n"
			    "\xEF\xBB\xBFname,role,link\r\n");

	/* An error answer is never a download, even after a name was set. */
	struct error error = error_make(502, "Meet failed");
	response_set_error(&response, &error);
	assert_string_equal(written(&response),
			    "Status: 502 Bad Gateway\r\nContent-Type: application/json\r\n"
			    "Content-Length: 25\r\nCache-Control: no-store\r\n\r\n"
			    "{\"message\":\"Meet failed\"}");
	response_free(&response);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_attachment_names),
		cmocka_unit_test(test_download_headers),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
