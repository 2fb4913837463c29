/*
 * fuzz_env: .env files. Each line goes through config_parse_line with
 * roomy and with tight buffers; the whole input is then loaded as the .env
 * of config_load (written to a temp file), which also checks the values,
 * and what it accepts is written out as meet-config does, without the key.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"

static char env_path[64];

/* True when line (up to its '\n') reads NAME='...' as the shell would,
 * each ' inside written '\'' (close, escaped quote, reopen). */
static bool is_assignment(const char *line, const char **next)
{
	const char *p = line + strspn(line, "ABCDEFGHIJKLMNOPQRSTUVWXYZ_");

	if (p == line || p[0] != '=' || p[1] != '\'')
		return false;
	for (p += 2;; p += 4) {
		p = strchr(p, '\'');
		if (p == NULL)
			return false;
		if (strncmp(p, "'\\''", 4) != 0)
			break;
	}
	if (p[1] != '\n')
		return false;
	*next = p + 2;
	return true;
}

/* config_write_shell's lines: each a whole assignment, none the API key. */
static void write_shell(const struct config *config)
{
	char *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);

	if (out == NULL)
		return;
	if (config_write_shell(config, out) != 0)
		abort();
	fclose(out);
	for (const char *line = text, *next; *line != '\0'; line = next)
		if (!is_assignment(line, &next) || strncmp(line, "OV_MEET_API_KEY=", 16) == 0)
			abort();
	free(text);
}

static void parse_with(const char *line, size_t key_size, size_t value_size)
{
	char key[CONFIG_LINE_MAX];
	char value[CONFIG_LINE_MAX];
	int kind;

	memset(key, 'K', sizeof key);
	memset(value, 'V', sizeof value);
	kind = config_parse_line(line, key, key_size, value, value_size);
	if (kind < -1 || kind > 1)
		abort();
	if (kind == 1 && (strnlen(key, key_size) >= key_size || strnlen(value, value_size) >= value_size))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);
	char problem[256];
	struct config config;
	FILE *file;

	if (text == NULL)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	for (char *line = text, *end; line != NULL; line = end ? end + 1 : NULL) {
		end = strchr(line, '\n');
		if (end != NULL)
			*end = '\0';
		parse_with(line, CONFIG_LINE_MAX, CONFIG_LINE_MAX);
		parse_with(line, 8, 8);
		parse_with(line, 1, 1);
	}
	free(text);

	if (env_path[0] == '\0') {
		snprintf(env_path, sizeof env_path, "/tmp/fuzz-env-%ld", (long)getpid());
		/* The environment must not decide what the file would have. */
		for (size_t i = 0; config_setting_name(i) != NULL; i++)
			unsetenv(config_setting_name(i));
		unsetenv("MEET_ENV_FILE");
	}
	file = fopen(env_path, "w");
	if (file == NULL)
		return 0;
	fwrite(data, 1, size, file);
	fclose(file);
	if (config_load(&config, env_path, problem, sizeof problem) == 0) {
		if (strnlen(config.meet_server_url, sizeof config.meet_server_url) >= sizeof config.meet_server_url
		    || config.connect_timeout_ms <= 0 || config.timeout_ms <= 0)
			abort();
		write_shell(&config);
	}
	unlink(env_path);
	return 0;
}
