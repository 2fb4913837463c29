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

/* The configurations scripts/run.sh can start. */
#define WEB_SERVERS "lighttpd, lighttpd-cgi, apache-fcgid, apache-cgi, nginx"

static void strip_trailing_slashes(char *text)
{
	size_t len = strlen(text);

	while (len > 0 && text[len - 1] == '/')
		text[--len] = '\0';
}

static bool is_http_url(char *text)
{
	if (strncmp(text, "http://", 7) != 0 && strncmp(text, "https://", 8) != 0)
		return false;
	strip_trailing_slashes(text);
	return true;
}

/* The key goes into a header line. */
static bool is_one_line(char *text)
{
	return strpbrk(text, "\r\n") == NULL;
}

static bool is_base_path(char *text)
{
	if (text[0] != '\0' && text[0] != '/')
		return false;
	strip_trailing_slashes(text);
	return true;
}

/* A name or an address for a web server to listen on, nothing else: the
 * configurations take it into their text. */
static bool is_host(char *text)
{
	return strspn(text, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789.:-")
	       == strlen(text);
}

static bool is_auth_mode(char *text)
{
	return strcmp(text, "auto") == 0 || strcmp(text, "required") == 0 || strcmp(text, "off") == 0;
}

/* Comma-separated host names, for lib/access. */
static bool is_host_list(char *text)
{
	return strspn(text, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789.-, ")
	       == strlen(text);
}

/* One whole name of WEB_SERVERS. */
static bool is_web_server(char *text)
{
	static const char names[] = WEB_SERVERS;
	size_t len = strlen(text);

	if (strpbrk(text, ", ") != NULL)
		return false;
	for (const char *at = names; (at = strstr(at, text)) != NULL; at++)
		if ((at == names || at[-1] == ' ') && (at[len] == ',' || at[len] == '\0'))
			return true;
	return false;
}

/*
 * One setting: its name, default and check, and its field in struct
 * config, either text (a char array) or a whole number (long).
 */
struct setting {
	const char *name;
	const char *default_value;
	size_t offset;              /* of its field in struct config */
	bool is_number;
	long min, max;              /* a number's range; a text's length in bytes */
	bool (*accept)(char *text); /* a text's own rule; may tidy it in place */
	const char *problem;        /* why a value is refused; "%ld" prints max */
	bool secret;                /* never written out */
};

#define TEXT_FIELD(field) \
	.offset = offsetof(struct config, field), .max = sizeof ((struct config *)0)->field - 1
#define NUMBER_FIELD(field) .offset = offsetof(struct config, field), .is_number = true

/* config_load checks them in this order and reports the first refused. */
static const struct setting settings[] = {
	{ .name = "OV_MEET_SERVER_URL", .default_value = "http://localhost:9080/meet",
	  TEXT_FIELD(meet_server_url), .accept = is_http_url,
	  .problem = "OV_MEET_SERVER_URL must be an http:// or https:// URL" },
	{ .name = "OV_MEET_API_KEY", .default_value = "meet-api-key",
	  TEXT_FIELD(meet_api_key), .min = 1, .accept = is_one_line, .secret = true,
	  .problem = "OV_MEET_API_KEY must be 1-%ld characters on one line" },
	{ .name = "SERVER_HOST", .default_value = "127.0.0.1",
	  TEXT_FIELD(server_host), .min = 1, .accept = is_host,
	  .problem = "SERVER_HOST must be a host name or an IP address" },
	{ .name = "SERVER_PORT", .default_value = "6080",
	  NUMBER_FIELD(server_port), .min = 1, .max = 65535,
	  .problem = "SERVER_PORT must be 1-%ld" },
	{ .name = "MEET_CONNECT_TIMEOUT_MS", .default_value = "3000",
	  NUMBER_FIELD(connect_timeout_ms), .min = 1, .max = 600000,
	  .problem = "MEET_CONNECT_TIMEOUT_MS and MEET_TIMEOUT_MS must be 1-%ld (milliseconds)" },
	{ .name = "MEET_TIMEOUT_MS", .default_value = "10000",
	  NUMBER_FIELD(timeout_ms), .min = 1, .max = 600000,
	  .problem = "MEET_CONNECT_TIMEOUT_MS and MEET_TIMEOUT_MS must be 1-%ld (milliseconds)" },
	{ .name = "APP_BASE_PATH", .default_value = "",
	  TEXT_FIELD(app_base_path), .accept = is_base_path,
	  .problem = "APP_BASE_PATH must be empty or start with '/'" },
	{ .name = "MEET_THREADS", .default_value = "8",
	  NUMBER_FIELD(threads), .min = 1, .max = CONFIG_THREADS_MAX,
	  .problem = "MEET_THREADS must be 1-%ld" },
	{ .name = "WEB_SERVER", .default_value = "lighttpd",
	  TEXT_FIELD(web_server), .min = 1, .accept = is_web_server,
	  .problem = "WEB_SERVER must be one of " WEB_SERVERS },
	{ .name = "MEET_AUTH", .default_value = "auto",
	  TEXT_FIELD(auth), .accept = is_auth_mode,
	  .problem = "MEET_AUTH must be auto, required or off" },
	{ .name = "MEET_ALLOWED_HOSTS", .default_value = "",
	  TEXT_FIELD(allowed_hosts), .accept = is_host_list,
	  .problem = "MEET_ALLOWED_HOSTS must be host names separated by commas" },
};

enum { SETTING_COUNT = sizeof settings / sizeof settings[0] };

/* Not in the table: it says where the others are read from. */
static const char env_file_variable[] = "MEET_ENV_FILE";

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

/* Checks value against setting and stores it in config's field. */
static bool take(const struct setting *setting, const char *value, struct config *config)
{
	char *field = (char *)config + setting->offset;
	size_t len = strlen(value);

	if (setting->is_number)
		return parse_number(value, setting->min, setting->max, (long *)(void *)field) == 0;
	if (len < (size_t)setting->min || len > (size_t)setting->max)
		return false;
	memcpy(field, value, len + 1);
	return setting->accept == NULL || setting->accept(field);
}

int config_load(struct config *config, const char *env_file,
		char *problem, size_t problem_size)
{
	char file_values[SETTING_COUNT][CONFIG_LINE_MAX];
	bool file_has[SETTING_COUNT] = { false };

	memset(config, 0, sizeof *config);
	if (env_file == NULL)
		env_file = getenv(env_file_variable);
	if (env_file != NULL && env_file[0] != '\0')
		snprintf(config->env_file, sizeof config->env_file, "%s", env_file);
	else
		default_env_file(config->env_file, sizeof config->env_file);
	read_env_file(config->env_file, file_values, file_has);

	for (int i = 0; i < SETTING_COUNT; i++) {
		const char *from_env = getenv(settings[i].name);
		/* Empty counts as unset: web server configs pass every name. */
		const char *value = from_env && from_env[0] ? from_env
				  : file_has[i] ? file_values[i] : settings[i].default_value;

		if (!take(&settings[i], value, config)) {
			snprintf(problem, problem_size, settings[i].problem, settings[i].max);
			return -1;
		}
	}
	return 0;
}

const char *config_setting_name(size_t i)
{
	return i < SETTING_COUNT ? settings[i].name : NULL;
}

const char *config_default(const char *name)
{
	for (int i = 0; i < SETTING_COUNT; i++)
		if (strcmp(settings[i].name, name) == 0)
			return settings[i].default_value;
	return NULL;
}

/* The value config keeps for setting, as text: the field itself, or the
 * number written into buffer. */
static const char *value_text(const struct setting *setting, const struct config *config,
			      char *buffer, size_t buffer_size)
{
	const char *field = (const char *)config + setting->offset;

	if (!setting->is_number)
		return field;
	snprintf(buffer, buffer_size, "%ld", *(const long *)(const void *)field);
	return buffer;
}

/* NAME='value', with each ' closed, escaped and reopened: '\''. */
static int write_assignment(FILE *out, const char *name, const char *value)
{
	if (fprintf(out, "%s='", name) < 0)
		return -1;
	for (; *value; value++)
		if ((*value == '\'' ? fputs("'\\''", out) : fputc(*value, out)) == EOF)
			return -1;
	return fputs("'\n", out) == EOF ? -1 : 0;
}

int config_write_shell(const struct config *config, FILE *out)
{
	char number[24];

	for (int i = 0; i < SETTING_COUNT; i++) {
		if (settings[i].secret)
			continue;
		if (write_assignment(out, settings[i].name,
				     value_text(&settings[i], config, number, sizeof number)) != 0)
			return -1;
	}
	if (write_assignment(out, env_file_variable, config->env_file) != 0)
		return -1;
	return fflush(out) == 0 ? 0 : -1;
}

int config_export(const struct config *config)
{
	char number[24];

	for (int i = 0; i < SETTING_COUNT; i++)
		if (setenv(settings[i].name,
			   value_text(&settings[i], config, number, sizeof number), 1) != 0)
			return -1;
	return setenv(env_file_variable, config->env_file, 1);
}
