/*
 * config: the settings of a program, read once per process.
 *
 * Each setting comes from the environment first (an empty variable counts
 * as unset), then from the .env file, then from its default. The file is
 * KEY=VALUE lines with optional `export `, '#' comments, blank lines, and
 * single ('literal') or double ("\n \" \\ escapes") quotes.
 * Values are copied into the struct, so nothing points into environ
 * (libfcgi replaces it on every request).
 */
#ifndef MEET_CONFIG_H
#define MEET_CONFIG_H

#include <stddef.h>

enum {
	CONFIG_URL_MAX = 512,
	CONFIG_API_KEY_MAX = 512,
	CONFIG_BASE_PATH_MAX = 256,
	CONFIG_LINE_MAX = 2048,
	CONFIG_THREADS_MAX = 64,
};

#define CONFIG_DEFAULT_MEET_SERVER_URL "http://localhost:9080/meet"
#define CONFIG_DEFAULT_MEET_API_KEY "meet-api-key"

struct config {
	char meet_server_url[CONFIG_URL_MAX];  /* http(s)://..., no trailing '/' */
	char meet_api_key[CONFIG_API_KEY_MAX]; /* secret: never logged or shown */
	long connect_timeout_ms;               /* MEET_CONNECT_TIMEOUT_MS */
	long timeout_ms;                       /* MEET_TIMEOUT_MS, whole request */
	char app_base_path[CONFIG_BASE_PATH_MAX]; /* "" or "/sub", no trailing '/' */
	long threads;                          /* MEET_THREADS: FastCGI requests served at once */
};

/*
 * Fills config from the environment, the .env file and the defaults.
 * env_file: path of the .env file; NULL means $MEET_ENV_FILE, else
 * <directory of the program>/../.env. A missing file is not an error.
 * Returns 0, or -1 with the reason in problem (a bad URL, timeout or path).
 */
int config_load(struct config *config, const char *env_file,
		char *problem, size_t problem_size);

/*
 * Parses one line of a .env file. Returns 1 when it sets a variable (key
 * and value filled, NUL-terminated), 0 for a blank or comment line, and -1
 * for a malformed line or one too long for the buffers.
 */
int config_parse_line(const char *line, char *key, size_t key_size,
		      char *value, size_t value_size);

#endif
