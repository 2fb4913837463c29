#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The settings this file knows, in the order config_load fills them. */
enum setting {
	SETTING_MEET_SERVER_URL,
	SETTING_MEET_API_KEY,
	SETTING_CONNECT_TIMEOUT_MS,
	SETTING_TIMEOUT_MS,
	SETTING_APP_BASE_PATH,
	SETTING_THREADS,
	SETTING_COUNT
};

static const struct {
	const char *name;
	const char *default_value;
} settings[SETTING_COUNT] = {
	[SETTING_MEET_SERVER_URL] = { "OV_MEET_SERVER_URL", CONFIG_DEFAULT_MEET_SERVER_URL },
	[SETTING_MEET_API_KEY] = { "OV_MEET_API_KEY", CONFIG_DEFAULT_MEET_API_KEY },
	[SETTING_CONNECT_TIMEOUT_MS] = { "MEET_CONNECT_TIMEOUT_MS", "3000" },
	[SETTING_TIMEOUT_MS] = { "MEET_TIMEOUT_MS", "10000" },
	[SETTING_APP_BASE_PATH] = { "APP_BASE_PATH", "" },
	[SETTING_THREADS] = { "MEET_THREADS", "8" },
};

static const char *skip_blanks(const char *p)
{
	while (*p == ' ' || *p == '\t')
		p++;
	return p;
}

/* Copies a quoted value starting after its opening quote; returns the
 * character after the closing quote, or NULL when unterminated/too long. */
static const char *copy_quoted(const char *p, char quote, char *value, size_t value_size)
{
	size_t n = 0;

	for (; *p && *p != quote; p++) {
		char c = *p;
		if (quote == '"' && c == '\\' && p[1]) {
			p++;
			c = *p == 'n' ? '\n' : *p == 't' ? '\t' : *p == 'r' ? '\r' : *p;
		}
		if (n + 1 >= value_size)
			return NULL;
		value[n++] = c;
	}
	if (*p != quote)
		return NULL;
	value[n] = '\0';
	return p + 1;
}

int config_parse_line(const char *line, char *key, size_t key_size,
		      char *value, size_t value_size)
{
	const char *p = skip_blanks(line);
	size_t n = 0;

	if (*p == '\0' || *p == '#' || *p == '\n' || *p == '\r')
		return 0;
	if (strncmp(p, "export", 6) == 0 && (p[6] == ' ' || p[6] == '\t'))
		p = skip_blanks(p + 6);

	if (!(isalpha((unsigned char)*p) || *p == '_'))
		return -1;
	while (isalnum((unsigned char)*p) || *p == '_') {
		if (n + 1 >= key_size)
			return -1;
		key[n++] = *p++;
	}
	key[n] = '\0';

	p = skip_blanks(p);
	if (*p++ != '=')
		return -1;
	p = skip_blanks(p);

	if (*p == '"' || *p == '\'') {
		p = copy_quoted(p + 1, *p, value, value_size);
		if (p == NULL)
			return -1;
		p = skip_blanks(p);
		if (*p && *p != '#' && *p != '\n' && *p != '\r')
			return -1;
		return 1;
	}

	/* Unquoted: up to the end of line or a " #" comment, trailing blanks cut. */
	n = 0;
	for (; *p && *p != '\n' && *p != '\r'; p++) {
		if (*p == '#' && n > 0 && (value[n - 1] == ' ' || value[n - 1] == '\t'))
			break;
		if (n + 1 >= value_size)
			return -1;
		value[n++] = *p;
	}
	while (n > 0 && (value[n - 1] == ' ' || value[n - 1] == '\t'))
		n--;
	value[n] = '\0';
	return 1;
}

/* The default .env: the project root, one level above the program's dir. */
static void default_env_file(char *path, size_t path_size)
{
	char exe[PATH_MAX];
	ssize_t len = readlink("/proc/self/exe", exe, sizeof exe - 1);

	if (len <= 0) {
		snprintf(path, path_size, ".env");
		return;
	}
	exe[len] = '\0';
	snprintf(path, path_size, "%s/../.env", dirname(exe));
}

/* Reads the known settings from the file into file_values (empty when not set). */
static void read_env_file(const char *path, char file_values[SETTING_COUNT][CONFIG_LINE_MAX],
			  bool file_has[SETTING_COUNT])
{
	FILE *file = fopen(path, "r");
	char line[CONFIG_LINE_MAX];
	char key[128];
	char value[CONFIG_LINE_MAX];

	if (file == NULL)
		return;
	while (fgets(line, sizeof line, file) != NULL) {
		if (config_parse_line(line, key, sizeof key, value, sizeof value) != 1)
			continue;
		for (int i = 0; i < SETTING_COUNT; i++) {
			if (strcmp(key, settings[i].name) == 0) {
				snprintf(file_values[i], CONFIG_LINE_MAX, "%s", value);
				file_has[i] = true;
			}
		}
	}
	fclose(file);
}

/* A whole number in [min, max], digits only (no sign, no blanks). */
static int parse_number(const char *text, long min, long max, long *out)
{
	char *end;
	long value;

	if (!isdigit((unsigned char)text[0]))
		return -1;
	errno = 0;
	value = strtol(text, &end, 10);
	if (errno != 0 || end == text || *end != '\0' || value < min || value > max)
		return -1;
	*out = value;
	return 0;
}

static void strip_trailing_slashes(char *text)
{
	size_t len = strlen(text);

	while (len > 0 && text[len - 1] == '/')
		text[--len] = '\0';
}

int config_load(struct config *config, const char *env_file,
		char *problem, size_t problem_size)
{
	char file_values[SETTING_COUNT][CONFIG_LINE_MAX];
	bool file_has[SETTING_COUNT] = { false };
	const char *value[SETTING_COUNT];
	char path[PATH_MAX];

	memset(config, 0, sizeof *config);
	if (env_file == NULL)
		env_file = getenv("MEET_ENV_FILE");
	if (env_file != NULL && env_file[0] != '\0')
		snprintf(path, sizeof path, "%s", env_file);
	else
		default_env_file(path, sizeof path);
	read_env_file(path, file_values, file_has);

	for (int i = 0; i < SETTING_COUNT; i++) {
		const char *from_env = getenv(settings[i].name);
		/* Empty counts as unset: web server configs pass every name. */
		value[i] = from_env && from_env[0] ? from_env
			 : file_has[i] ? file_values[i] : settings[i].default_value;
	}

	if ((size_t)snprintf(config->meet_server_url, sizeof config->meet_server_url, "%s",
			     value[SETTING_MEET_SERVER_URL]) >= sizeof config->meet_server_url
	    || (strncmp(config->meet_server_url, "http://", 7) != 0
		&& strncmp(config->meet_server_url, "https://", 8) != 0)) {
		snprintf(problem, problem_size, "OV_MEET_SERVER_URL must be an http:// or https:// URL");
		return -1;
	}
	strip_trailing_slashes(config->meet_server_url);

	if ((size_t)snprintf(config->meet_api_key, sizeof config->meet_api_key, "%s",
			     value[SETTING_MEET_API_KEY]) >= sizeof config->meet_api_key
	    || config->meet_api_key[0] == '\0'
	    || strpbrk(config->meet_api_key, "\r\n") != NULL) {
		snprintf(problem, problem_size, "OV_MEET_API_KEY must be 1-%d characters on one line",
			 CONFIG_API_KEY_MAX - 1);
		return -1;
	}

	if (parse_number(value[SETTING_CONNECT_TIMEOUT_MS], 1, 600000, &config->connect_timeout_ms) != 0
	    || parse_number(value[SETTING_TIMEOUT_MS], 1, 600000, &config->timeout_ms) != 0) {
		snprintf(problem, problem_size,
			 "MEET_CONNECT_TIMEOUT_MS and MEET_TIMEOUT_MS must be 1-600000 (milliseconds)");
		return -1;
	}

	const char *base = value[SETTING_APP_BASE_PATH];
	if ((size_t)snprintf(config->app_base_path, sizeof config->app_base_path, "%s", base)
		    >= sizeof config->app_base_path
	    || (base[0] != '\0' && base[0] != '/')) {
		snprintf(problem, problem_size, "APP_BASE_PATH must be empty or start with '/'");
		return -1;
	}
	strip_trailing_slashes(config->app_base_path);

	if (parse_number(value[SETTING_THREADS], 1, CONFIG_THREADS_MAX, &config->threads) != 0) {
		snprintf(problem, problem_size, "MEET_THREADS must be 1-%d", CONFIG_THREADS_MAX);
		return -1;
	}
	return 0;
}
