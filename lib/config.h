/*
 * config: the settings, read once per process.
 *
 * lib/config.c holds the one table of settings: each one's name, default
 * and check. Each setting comes from the environment first (an empty
 * variable counts as unset), then from the .env file, then from its
 * default. The file is KEY=VALUE lines with optional `export `, '#'
 * comments, blank lines, and single ('literal') or double ("\n \" \\
 * escapes") quotes. Values are copied into the struct, so nothing points
 * into environ (libfcgi replaces it on every request).
 *
 * The programs and tools/meet-config (which scripts/run.sh asks) load the
 * settings the same way, through config_load.
 */
#ifndef MEET_CONFIG_H
#define MEET_CONFIG_H

#include <stdbool.h>
#include <stdio.h>
#include <stddef.h>

#include "access.h"

enum {
	CONFIG_URL_MAX = 512,
	CONFIG_API_KEY_MAX = 512,
	CONFIG_BASE_PATH_MAX = 256,
	CONFIG_HOST_MAX = 254,
	CONFIG_WEB_SERVER_MAX = 32,
	CONFIG_AUTH_MAX = 16,
	CONFIG_HOSTS_MAX = 512,
	CONFIG_PATH_MAX = 4096,
	CONFIG_LINE_MAX = 2048,
	CONFIG_THREADS_MAX = 64,
};

struct config {
	char meet_server_url[CONFIG_URL_MAX];  /* http(s)://..., no trailing '/' */
	char livekit_url[CONFIG_URL_MAX];      /* OV_LIVEKIT_URL: ws(s)://..., no trailing '/' */
	char meet_api_key[CONFIG_API_KEY_MAX]; /* secret: never logged or shown */
	char server_host[CONFIG_HOST_MAX];     /* SERVER_HOST: where make run's web server listens */
	long server_port;                      /* SERVER_PORT: its port */
	long connect_timeout_ms;               /* MEET_CONNECT_TIMEOUT_MS */
	long timeout_ms;                       /* MEET_TIMEOUT_MS, whole request */
	char app_base_path[CONFIG_BASE_PATH_MAX]; /* "" or "/sub", no trailing '/' */
	long threads;                          /* MEET_THREADS: FastCGI requests served at once */
	char web_server[CONFIG_WEB_SERVER_MAX]; /* WEB_SERVER: make run's configuration */
	char env_file[CONFIG_PATH_MAX];        /* the settings file looked for (MEET_ENV_FILE) */
	char auth[CONFIG_AUTH_MAX];            /* MEET_AUTH: auto, required or off, as written */
	enum access_mode auth_mode;            /* MEET_AUTH as lib/access reads it */
	char allowed_hosts[CONFIG_HOSTS_MAX];  /* MEET_ALLOWED_HOSTS: names answered without a login */
	bool room_anonymous_access;            /* ROOM_ANONYMOUS_ACCESS=on: new rooms keep
						* Meet's anonymous links */
	long list_max_bytes;                   /* MEET_LIST_MAX_BYTES: every page of one list */
	bool env_file_read;                    /* env_file was there and was read */
};

/*
 * Fills config from the environment, the .env file and the defaults.
 * env_file: path of the .env file; NULL means $MEET_ENV_FILE, else
 * <directory of the program>/../.env, else, when that does not exist,
 * meet-fcgi.env in the home directory of the user the process runs as
 * (shared hosts with suEXEC drop the web server's SetEnv). A missing file
 * is not an error; a malformed line, or one longer than CONFIG_LINE_MAX - 1
 * bytes, refuses the whole file (problem names the file and the line, never
 * its text). Returns 0, or -1 with the reason in problem (the first setting
 * refused).
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

/* The name of setting i, in config_load's order, or NULL past the last:
 * for code that lists or clears every setting. */
const char *config_setting_name(size_t i);

/* The default of the setting called name, or NULL when there is none. */
const char *config_default(const char *name);

/*
 * Writes the settings in config as shell assignments, one a line:
 * NAME='value' with each ' written '\''. The API key is left out; the last
 * line is MEET_ENV_FILE, the file config_load read. Returns 0, or -1 when
 * out fails.
 */
int config_write_shell(const struct config *config, FILE *out);

/*
 * Puts every setting in config, the API key too, and MEET_ENV_FILE into
 * this process's environment, for a program it starts next. Returns 0, or
 * -1 when the environment cannot grow.
 */
int config_export(const struct config *config);

#endif
