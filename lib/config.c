#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <pwd.h>
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

/*
 * first://host[:port][/path] or second://... No user:password@ (it would
 * reach logs and error messages), no query or fragment (paths are appended
 * to it), no blanks or control characters.
 */
static bool is_url(char *text, const char *first, const char *second)
{
	size_t scheme = strncmp(text, first, strlen(first)) == 0 ? strlen(first)
		      : strncmp(text, second, strlen(second)) == 0 ? strlen(second) : 0;
	size_t authority;

	if (scheme == 0)
		return false;
	for (const char *p = text; *p; p++)
		if ((unsigned char)*p <= ' ' || *p == 0x7f || *p == '?' || *p == '#')
			return false;
	authority = strcspn(text + scheme, "/");
	if (authority == 0 || memchr(text + scheme, '@', authority) != NULL)
		return false;
	strip_trailing_slashes(text);
	return true;
}

static bool is_http_url(char *text)
{
	return is_url(text, "http://", "https://");
}

/* LiveKit's address as Meet gives it to browsers (Meet's LIVEKIT_URL). */
static bool is_websocket_url(char *text)
{
	return is_url(text, "ws://", "wss://");
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

/* MEET_AUTH's words and what lib/access makes of them. */
static const struct {
	const char *name;
	enum access_mode mode;
} auth_modes[] = {
	{ "auto", ACCESS_AUTO },
	{ "required", ACCESS_REQUIRED },
	{ "off", ACCESS_OFF },
};

/* The index of text in auth_modes, or -1. */
static int auth_mode_index(const char *text)
{
	for (size_t i = 0; i < sizeof auth_modes / sizeof auth_modes[0]; i++)
		if (strcmp(text, auth_modes[i].name) == 0)
			return (int)i;
	return -1;
}

static bool is_auth_mode(char *text)
{
	return auth_mode_index(text) >= 0;
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
	bool is_switch;             /* on or off, kept as a bool */
	long min, max;              /* a number's range; a text's length in bytes */
	bool (*accept)(char *text); /* a text's own rule; may tidy it in place */
	const char *problem;        /* why a value is refused; "%ld" prints max */
	bool secret;                /* never written out */
};

#define TEXT_FIELD(field) \
	.offset = offsetof(struct config, field), .max = sizeof ((struct config *)0)->field - 1
#define NUMBER_FIELD(field) .offset = offsetof(struct config, field), .is_number = true
#define SWITCH_FIELD(field) .offset = offsetof(struct config, field), .is_switch = true

/* config_load checks them in this order and reports the first refused. */
static const struct setting settings[] = {
	{ .name = "OV_MEET_SERVER_URL", .default_value = "http://localhost:9080/meet",
	  TEXT_FIELD(meet_server_url), .accept = is_http_url,
	  .problem = "OV_MEET_SERVER_URL must be an http:// or https:// URL without "
		     "user:password@, query (?), fragment (#) or blanks" },
	/* Meet's own default for LIVEKIT_URL; the page's policy admits it (scripts/csp.sh) */
	{ .name = "OV_LIVEKIT_URL", .default_value = "ws://localhost:7880",
	  TEXT_FIELD(livekit_url), .accept = is_websocket_url,
	  .problem = "OV_LIVEKIT_URL must be a ws:// or wss:// URL without "
		     "user:password@, query (?), fragment (#) or blanks" },
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
	{ .name = "MEET_LIST_MAX_BYTES", .default_value = "33554432",
	  NUMBER_FIELD(list_max_bytes), .min = 65536, .max = 1073741824,
	  .problem = "MEET_LIST_MAX_BYTES must be 65536-%ld (bytes)" },
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
	{ .name = "ROOM_ANONYMOUS_ACCESS", .default_value = "off",
	  SWITCH_FIELD(room_anonymous_access),
	  .problem = "ROOM_ANONYMOUS_ACCESS must be on or off" },
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

/*
 * Where the settings are: the path given, else $MEET_ENV_FILE, else the
 * default .env, else, when that does not exist, ~/meet-fcgi.env of the user
 * the process runs as: suEXEC drops SetEnv, and a shared host's program
 * directory is inside the document root. The user's entry, not $HOME,
 * which a CGI environment does not have. Called before any thread starts
 * (getpwuid is not thread-safe).
 */
static void choose_env_file(const char *env_file, char *path, size_t path_size)
{
	const struct passwd *user;

	if (env_file == NULL)
		env_file = getenv(env_file_variable);
	if (env_file != NULL && env_file[0] != '\0') {
		snprintf(path, path_size, "%s", env_file);
		return;
	}
	default_env_file(path, path_size);
	if (access(path, F_OK) == 0 || errno != ENOENT)
		return;
	user = getpwuid(geteuid());
	if (user == NULL || user->pw_dir == NULL || user->pw_dir[0] != '/')
		return;
	char home_file[CONFIG_PATH_MAX];
	int n = snprintf(home_file, sizeof home_file, "%s/meet-fcgi.env", user->pw_dir);
	if (n > 0 && (size_t)n < sizeof home_file && access(home_file, F_OK) == 0)
		snprintf(path, path_size, "%s", home_file);
}

/*
 * Reads one line of file into line, without its '\n'. Returns 1, 0 at the
 * end of the file, or -1 for a line that does not fit or holds a NUL: all
 * of it is consumed, so its tail is never taken for a line of its own.
 */
static int read_line(FILE *file, char *line, size_t size)
{
	size_t n = 0;
	bool bad = false;
	int c;

	while ((c = getc(file)) != EOF && c != '\n') {
		if (c == '\0' || n + 1 >= size)
			bad = true;
		else
			line[n++] = (char)c;
	}
	line[n] = '\0';
	if (c == EOF && n == 0 && !bad)
		return 0;
	return bad ? -1 : 1;
}

/*
 * Reads the known settings from the file into file_values (empty when not
 * set). A missing or unreadable file sets nothing; returns -1 with the
 * line's number in problem when a line is malformed or too long.
 */
static int read_env_file(struct config *config, char file_values[SETTING_COUNT][CONFIG_LINE_MAX],
			 bool file_has[SETTING_COUNT], char *problem, size_t problem_size)
{
	FILE *file = fopen(config->env_file, "r");
	char line[CONFIG_LINE_MAX];
	char key[128];
	char value[CONFIG_LINE_MAX];
	int status = 0;
	int got;

	if (file == NULL)
		return 0;
	config->env_file_read = true;
	for (long number = 1; (got = read_line(file, line, sizeof line)) != 0; number++) {
		int kind = got < 0 ? -1 : config_parse_line(line, key, sizeof key, value, sizeof value);
		if (kind < 0) {
			snprintf(problem, problem_size, "%s: line %ld is malformed or longer than %d bytes",
				 config->env_file, number, CONFIG_LINE_MAX - 1);
			status = -1;
			break;
		}
		for (int i = 0; kind == 1 && i < SETTING_COUNT; i++) {
			if (strcmp(key, settings[i].name) == 0) {
				snprintf(file_values[i], CONFIG_LINE_MAX, "%s", value);
				file_has[i] = true;
			}
		}
	}
	fclose(file);
	return status;
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
	if (setting->is_switch) {
		*(bool *)(void *)field = strcmp(value, "on") == 0;
		return strcmp(value, "on") == 0 || strcmp(value, "off") == 0;
	}
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
	choose_env_file(env_file, config->env_file, sizeof config->env_file);
	if (read_env_file(config, file_values, file_has, problem, problem_size) != 0)
		return -1;

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
	/* Once here, so no request compares the words again. */
	config->auth_mode = auth_modes[auth_mode_index(config->auth)].mode;
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

	if (setting->is_switch)
		return *(const bool *)(const void *)field ? "on" : "off";
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
