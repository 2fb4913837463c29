/*
 * Unit tests of lib/config: .env lines, environment over file over default,
 * each setting's check, and the settings written out for the shell
 * (tools/meet-config) or put into the environment.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"

static int parse(const char *line, char *key, char *value)
{
	return config_parse_line(line, key, 64, value, 256);
}

static void test_parse_plain_and_export(void **state)
{
	char key[64], value[256];
	(void)state;

	assert_int_equal(parse("OV_MEET_API_KEY=secret\n", key, value), 1);
	assert_string_equal(key, "OV_MEET_API_KEY");
	assert_string_equal(value, "secret");

	assert_int_equal(parse("  export SERVER_PORT = 7000  \n", key, value), 1);
	assert_string_equal(key, "SERVER_PORT");
	assert_string_equal(value, "7000");

	assert_int_equal(parse("EMPTY=\n", key, value), 1);
	assert_string_equal(value, "");
}

static void test_parse_comments_and_blank_lines(void **state)
{
	char key[64], value[256];
	(void)state;

	assert_int_equal(parse("\n", key, value), 0);
	assert_int_equal(parse("   \n", key, value), 0);
	assert_int_equal(parse("# OV_MEET_API_KEY=x\n", key, value), 0);
	assert_int_equal(parse("  # indented comment", key, value), 0);

	assert_int_equal(parse("URL=http://h/meet # trailing comment\n", key, value), 1);
	assert_string_equal(value, "http://h/meet");
	/* A '#' inside a word is part of the value. */
	assert_int_equal(parse("KEY=abc#def\n", key, value), 1);
	assert_string_equal(value, "abc#def");
}

static void test_parse_quotes(void **state)
{
	char key[64], value[256];
	(void)state;

	assert_int_equal(parse("KEY='a # b \\n'\n", key, value), 1);
	assert_string_equal(value, "a # b \\n");

	assert_int_equal(parse("KEY=\"x \\\"y\\\" \\\\ z\\n\" # note\n", key, value), 1);
	assert_string_equal(value, "x \"y\" \\ z\n");

	assert_int_equal(parse("KEY=\"   spaces kept   \"", key, value), 1);
	assert_string_equal(value, "   spaces kept   ");
}

static void test_parse_malformed(void **state)
{
	char key[64], value[256];
	char long_value[400];
	(void)state;

	assert_int_equal(parse("no equals sign\n", key, value), -1);
	assert_int_equal(parse("1KEY=x\n", key, value), -1);
	assert_int_equal(parse("KEY='unterminated\n", key, value), -1);
	assert_int_equal(parse("KEY=\"a\" junk\n", key, value), -1);
	memset(long_value, 'x', sizeof long_value);
	memcpy(long_value, "KEY=", 4);
	long_value[sizeof long_value - 1] = '\0';
	assert_int_equal(parse(long_value, key, value), -1);
}

static int clear_environment(void **state)
{
	(void)state;
	for (size_t i = 0; config_setting_name(i) != NULL; i++)
		unsetenv(config_setting_name(i));
	unsetenv("MEET_ENV_FILE");
	return 0;
}

/* Writes text to a fresh temp file; its path goes to path. */
static void write_env_file(char path[64], const char *text)
{
	int fd;

	strcpy(path, "/tmp/meet-config-test-XXXXXX");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
}

static void test_load_defaults(void **state)
{
	struct config config;
	char problem[256];
	(void)state;

	assert_int_equal(config_load(&config, "/nonexistent/.env", problem, sizeof problem), 0);
	assert_string_equal(config.meet_server_url, "http://localhost:9080/meet");
	assert_string_equal(config.meet_api_key, "meet-api-key");
	assert_int_equal(config.connect_timeout_ms, 3000);
	assert_int_equal(config.timeout_ms, 10000);
	assert_string_equal(config.app_base_path, "");
	assert_int_equal(config.threads, 8);
	assert_string_equal(config.server_host, "127.0.0.1");
	assert_int_equal(config.server_port, 6080);
	assert_string_equal(config.web_server, "lighttpd");
	assert_false(config.room_anonymous_access);
	assert_int_equal(config.list_max_bytes, 32 * 1024 * 1024);
	assert_string_equal(config.env_file, "/nonexistent/.env");
	assert_false(config.env_file_read);
}

static void test_load_file_then_environment_wins(void **state)
{
	struct config config;
	char problem[256];
	char path[64];
	(void)state;

	write_env_file(path,
		"# settings\n"
		"export OV_MEET_SERVER_URL='https://meet.example.org/meet/'\n"
		"OV_MEET_API_KEY=\"from-file\"\n"
		"MEET_TIMEOUT_MS=2500 # ms\n"
		"APP_BASE_PATH=/tools/meet/\n");
	assert_int_equal(config_load(&config, path, problem, sizeof problem), 0);
	assert_string_equal(config.meet_server_url, "https://meet.example.org/meet");
	assert_string_equal(config.meet_api_key, "from-file");
	assert_int_equal(config.timeout_ms, 2500);
	assert_string_equal(config.app_base_path, "/tools/meet");

	setenv("OV_MEET_API_KEY", "from-env", 1);
	setenv("MEET_TIMEOUT_MS", "", 1);  /* empty: the file's value stands */
	assert_int_equal(config_load(&config, path, problem, sizeof problem), 0);
	assert_string_equal(config.meet_api_key, "from-env");
	assert_int_equal(config.timeout_ms, 2500);

	/* MEET_ENV_FILE names the file when no path is given. */
	clear_environment(NULL);
	setenv("MEET_ENV_FILE", path, 1);
	assert_int_equal(config_load(&config, NULL, problem, sizeof problem), 0);
	assert_string_equal(config.meet_api_key, "from-file");
	unlink(path);
}

static void test_load_rejects_bad_values(void **state)
{
	struct config config;
	char problem[256];
	(void)state;

	setenv("OV_MEET_SERVER_URL", "ftp://meet.example.org", 1);
	assert_int_equal(config_load(&config, "/nonexistent", problem, sizeof problem), -1);
	assert_non_null(strstr(problem, "OV_MEET_SERVER_URL"));
	clear_environment(NULL);

	setenv("MEET_TIMEOUT_MS", "10s", 1);
	assert_int_equal(config_load(&config, "/nonexistent", problem, sizeof problem), -1);
	setenv("MEET_TIMEOUT_MS", "0", 1);
	assert_int_equal(config_load(&config, "/nonexistent", problem, sizeof problem), -1);
	setenv("MEET_TIMEOUT_MS", " 100", 1);  /* digits only: no blank, no sign */
	assert_int_equal(config_load(&config, "/nonexistent", problem, sizeof problem), -1);
	setenv("MEET_TIMEOUT_MS", "+100", 1);
	assert_int_equal(config_load(&config, "/nonexistent", problem, sizeof problem), -1);
	clear_environment(NULL);

	setenv("APP_BASE_PATH", "meet", 1);
	assert_int_equal(config_load(&config, "/nonexistent", problem, sizeof problem), -1);
	assert_non_null(strstr(problem, "APP_BASE_PATH"));
}

/* Loads with MEET_THREADS set to text; returns config_load's result. */
static int load_threads(const char *text, struct config *config, char *problem, size_t problem_size)
{
	setenv("MEET_THREADS", text, 1);
	memset(problem, 0, problem_size);
	return config_load(config, "/nonexistent/.env", problem, problem_size);
}

static void test_threads_default_and_range(void **state)
{
	struct config config;
	char problem[256];
	(void)state;

	/* Unset, and empty (web server configs pass every name): the default. */
	assert_int_equal(config_load(&config, "/nonexistent/.env", problem, sizeof problem), 0);
	assert_int_equal(config.threads, 8);
	assert_int_equal(load_threads("", &config, problem, sizeof problem), 0);
	assert_int_equal(config.threads, 8);

	assert_int_equal(load_threads("16", &config, problem, sizeof problem), 0);
	assert_int_equal(config.threads, 16);
	assert_int_equal(load_threads("1", &config, problem, sizeof problem), 0);
	assert_int_equal(config.threads, 1);
	assert_int_equal(load_threads("64", &config, problem, sizeof problem), 0);
	assert_int_equal(config.threads, CONFIG_THREADS_MAX);
}

static void test_threads_rejects_bad_values(void **state)
{
	static const char *const bad[] = {
		"0", "65", "-1", "8x", "abc", "x8", "4.0", "99999999999999999999999", " 8", "+8",
	};
	struct config config;
	char problem[256];
	(void)state;

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		if (load_threads(bad[i], &config, problem, sizeof problem) != -1)
			fail_msg("MEET_THREADS=\"%s\" was accepted (threads %ld)", bad[i], config.threads);
		if (strcmp(problem, "MEET_THREADS must be 1-64") != 0)
			fail_msg("MEET_THREADS=\"%s\": problem \"%s\"", bad[i], problem);
	}
}

static void test_access_settings(void **state)
{
	static const char *const bad_auth[] = { "yes", "Required", "auto ", "none" };
	struct config config;
	char problem[256];
	char path[64];
	(void)state;

	write_env_file(path, "MEET_AUTH=required\nMEET_ALLOWED_HOSTS=meet.example.org, lan.test\n");
	assert_int_equal(config_load(&config, path, problem, sizeof problem), 0);
	assert_string_equal(config.auth, "required");
	assert_int_equal(config.auth_mode, ACCESS_REQUIRED);
	assert_string_equal(config.allowed_hosts, "meet.example.org, lan.test");
	unlink(path);
	for (size_t i = 0; i < sizeof bad_auth / sizeof bad_auth[0]; i++) {
		char line[64];
		snprintf(line, sizeof line, "MEET_AUTH='%s'\n", bad_auth[i]);
		write_env_file(path, line);
		assert_int_equal(config_load(&config, path, problem, sizeof problem), -1);
		assert_string_equal(problem, "MEET_AUTH must be auto, required or off");
		unlink(path);
	}
	write_env_file(path, "MEET_ALLOWED_HOSTS=evil.test/x\n");
	assert_int_equal(config_load(&config, path, problem, sizeof problem), -1);
	assert_non_null(strstr(problem, "MEET_ALLOWED_HOSTS"));
	unlink(path);
}

static void test_threads_from_file_then_environment(void **state)
{
	struct config config;
	char problem[256];
	char path[64];
	(void)state;

	write_env_file(path, "MEET_THREADS=3\n");
	assert_int_equal(config_load(&config, path, problem, sizeof problem), 0);
	assert_int_equal(config.threads, 3);

	setenv("MEET_THREADS", "", 1);  /* empty: the file's value stands */
	assert_int_equal(config_load(&config, path, problem, sizeof problem), 0);
	assert_int_equal(config.threads, 3);

	setenv("MEET_THREADS", "5", 1);
	assert_int_equal(config_load(&config, path, problem, sizeof problem), 0);
	assert_int_equal(config.threads, 5);
	unlink(path);

	/* A bad value in the file is refused like one in the environment. */
	unsetenv("MEET_THREADS");
	write_env_file(path, "MEET_THREADS=0\n");
	assert_int_equal(config_load(&config, path, problem, sizeof problem), -1);
	assert_non_null(strstr(problem, "MEET_THREADS"));
	unlink(path);
}

/* The settings of README's Configuration table, MEET_ENV_FILE aside (it
 * says where the others are read from). */
static void test_setting_names_and_defaults(void **state)
{
	static const char *const expected[] = {
		"OV_MEET_SERVER_URL", "OV_LIVEKIT_URL", "OV_MEET_API_KEY", "SERVER_HOST", "SERVER_PORT",
		"MEET_CONNECT_TIMEOUT_MS", "MEET_TIMEOUT_MS", "MEET_LIST_MAX_BYTES", "APP_BASE_PATH",
		"MEET_THREADS", "WEB_SERVER", "MEET_AUTH", "MEET_ALLOWED_HOSTS", "ROOM_ANONYMOUS_ACCESS",
	};
	size_t count = 0;
	(void)state;

	while (config_setting_name(count) != NULL)
		count++;
	assert_int_equal(count, sizeof expected / sizeof expected[0]);
	for (size_t i = 0; i < count; i++)
		assert_string_equal(config_setting_name(i), expected[i]);

	assert_string_equal(config_default("OV_MEET_SERVER_URL"), "http://localhost:9080/meet");
	assert_string_equal(config_default("OV_LIVEKIT_URL"), "ws://localhost:7880");
	assert_string_equal(config_default("SERVER_PORT"), "6080");
	assert_string_equal(config_default("APP_BASE_PATH"), "");
	assert_string_equal(config_default("WEB_SERVER"), "lighttpd");
	assert_null(config_default("MEET_ENV_FILE"));
	assert_null(config_default("server_port"));
}

/* Loads with name set to text; returns config_load's result. */
static int load_with(const char *name, const char *text, struct config *config, char *problem)
{
	setenv(name, text, 1);
	problem[0] = '\0';
	return config_load(config, "/nonexistent/.env", problem, 256);
}

static void test_server_port_host_and_web_server(void **state)
{
	static const char *const web_servers[] = {
		"lighttpd", "lighttpd-cgi", "apache-fcgid", "apache-cgi", "nginx",
	};
	static const char *const bad_web_servers[] = {
		"apache", "light", "lighttpd-cg", "lighttpd-cgi2", "nginx ", "Nginx", "cgi", ",",
		"lighttpd, nginx", "lighttpd,", " nginx",
	};
	static const char *const bad_ports[] = { "0", "65536", "80x", "-1", " 80" };
	static const char *const bad_hosts[] = { "a b", "host;rm", "[::1]", "h/x", "'x'" };
	struct config config;
	char problem[256];
	(void)state;

	assert_int_equal(load_with("SERVER_PORT", "8443", &config, problem), 0);
	assert_int_equal(config.server_port, 8443);
	for (size_t i = 0; i < sizeof bad_ports / sizeof bad_ports[0]; i++) {
		assert_int_equal(load_with("SERVER_PORT", bad_ports[i], &config, problem), -1);
		assert_string_equal(problem, "SERVER_PORT must be 1-65535");
	}
	unsetenv("SERVER_PORT");

	for (size_t i = 0; i < sizeof web_servers / sizeof web_servers[0]; i++) {
		assert_int_equal(load_with("WEB_SERVER", web_servers[i], &config, problem), 0);
		assert_string_equal(config.web_server, web_servers[i]);
	}
	for (size_t i = 0; i < sizeof bad_web_servers / sizeof bad_web_servers[0]; i++) {
		if (load_with("WEB_SERVER", bad_web_servers[i], &config, problem) != -1)
			fail_msg("WEB_SERVER=\"%s\" was accepted", bad_web_servers[i]);
		assert_non_null(strstr(problem, "WEB_SERVER must be one of lighttpd, lighttpd-cgi,"));
	}
	unsetenv("WEB_SERVER");

	assert_int_equal(load_with("SERVER_HOST", "0.0.0.0", &config, problem), 0);
	assert_int_equal(load_with("SERVER_HOST", "::1", &config, problem), 0);
	assert_int_equal(load_with("SERVER_HOST", "meet.example.org", &config, problem), 0);
	assert_string_equal(config.server_host, "meet.example.org");
	for (size_t i = 0; i < sizeof bad_hosts / sizeof bad_hosts[0]; i++) {
		assert_int_equal(load_with("SERVER_HOST", bad_hosts[i], &config, problem), -1);
		assert_non_null(strstr(problem, "SERVER_HOST"));
	}
}

/* The messages a refused setting gave before the table of settings. */
static void test_problems_name_the_limits(void **state)
{
	struct config config;
	char problem[256];
	char long_key[CONFIG_API_KEY_MAX + 1];
	(void)state;

	assert_int_equal(load_with("MEET_CONNECT_TIMEOUT_MS", "600001", &config, problem), -1);
	assert_string_equal(problem,
			    "MEET_CONNECT_TIMEOUT_MS and MEET_TIMEOUT_MS must be 1-600000 (milliseconds)");
	unsetenv("MEET_CONNECT_TIMEOUT_MS");
	assert_int_equal(load_with("OV_MEET_API_KEY", "a\rb", &config, problem), -1);
	assert_string_equal(problem, "OV_MEET_API_KEY must be 1-511 characters on one line");
	memset(long_key, 'k', sizeof long_key - 1);
	long_key[sizeof long_key - 1] = '\0';
	assert_int_equal(load_with("OV_MEET_API_KEY", long_key, &config, problem), -1);
	long_key[sizeof long_key - 2] = '\0';
	assert_int_equal(load_with("OV_MEET_API_KEY", long_key, &config, problem), 0);
	unsetenv("OV_MEET_API_KEY");
	assert_int_equal(load_with("OV_MEET_SERVER_URL", "meet.example.org", &config, problem), -1);
	assert_string_equal(problem, "OV_MEET_SERVER_URL must be an http:// or https:// URL without "
			    "user:password@, query (?), fragment (#) or blanks");
}

/* config_write_shell's output for config, NUL-terminated; caller frees. */
static char *shell_text(const struct config *config)
{
	char *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);

	assert_non_null(out);
	assert_int_equal(config_write_shell(config, out), 0);
	fclose(out);
	return text;
}

static void test_write_shell(void **state)
{
	struct config config;
	char problem[256];
	char *text;
	(void)state;

	setenv("OV_MEET_SERVER_URL", "https://meet.example.org/meet/", 1);
	setenv("OV_MEET_API_KEY", "the-secret-key", 1);
	setenv("APP_BASE_PATH", "/it's here", 1);
	assert_int_equal(config_load(&config, "/nonexistent/.env", problem, sizeof problem), 0);
	text = shell_text(&config);
	assert_string_equal(text,
		"OV_MEET_SERVER_URL='https://meet.example.org/meet'\n"
		"OV_LIVEKIT_URL='ws://localhost:7880'\n"
		"SERVER_HOST='127.0.0.1'\n"
		"SERVER_PORT='6080'\n"
		"MEET_CONNECT_TIMEOUT_MS='3000'\n"
		"MEET_TIMEOUT_MS='10000'\n"
		"MEET_LIST_MAX_BYTES='33554432'\n"
		"APP_BASE_PATH='/it'\\''s here'\n"
		"MEET_THREADS='8'\n"
		"WEB_SERVER='lighttpd'\n"
		"MEET_AUTH='auto'\n"
		"MEET_ALLOWED_HOSTS=''\n"
		"ROOM_ANONYMOUS_ACCESS='off'\n"
		"MEET_ENV_FILE='/nonexistent/.env'\n");
	assert_null(strstr(text, "the-secret-key"));
	assert_null(strstr(text, "API_KEY"));
	free(text);
}

/* What sh makes of the output: each value comes back byte for byte. */
static void test_write_shell_round_trip(void **state)
{
	static const char tricky[] = "/a 'b' \"c\" $HOME `x` \\ ;|&*\n#";
	struct config config;
	char problem[256];
	char path[64];
	char command[256];
	char back[256] = "";
	char *text;
	FILE *shell;
	(void)state;

	setenv("APP_BASE_PATH", tricky, 1);
	assert_int_equal(config_load(&config, "/nonexistent/.env", problem, sizeof problem), 0);
	text = shell_text(&config);
	write_env_file(path, text);
	free(text);
	snprintf(command, sizeof command, "env -i sh -c '. %s && printf %%s \"$APP_BASE_PATH\"'", path);
	shell = popen(command, "r");
	assert_non_null(shell);
	size_t len = fread(back, 1, sizeof back - 1, shell);
	back[len] = '\0';
	assert_int_equal(pclose(shell), 0);
	unlink(path);
	assert_string_equal(back, tricky);
}

static void test_export(void **state)
{
	struct config config;
	char problem[256];
	char path[64];
	(void)state;

	write_env_file(path, "OV_MEET_API_KEY=from-file\nMEET_THREADS=3\n");
	assert_int_equal(config_load(&config, path, problem, sizeof problem), 0);
	assert_int_equal(config_export(&config), 0);
	assert_string_equal(getenv("OV_MEET_API_KEY"), "from-file");
	assert_string_equal(getenv("MEET_THREADS"), "3");
	assert_string_equal(getenv("SERVER_PORT"), "6080");
	assert_string_equal(getenv("APP_BASE_PATH"), "");
	assert_string_equal(getenv("MEET_ENV_FILE"), path);
	/* What a program started next loads is the same, from the environment alone. */
	unlink(path);
	assert_int_equal(config_load(&config, NULL, problem, sizeof problem), 0);
	assert_string_equal(config.meet_api_key, "from-file");
	assert_int_equal(config.threads, 3);
}

static void test_room_anonymous_access_and_list_budget(void **state)
{
	static const char *const bad_switches[] = { "ON", "yes", "1", "true", "on ", "of" };
	static const char *const bad_budgets[] = { "65535", "1073741825", "32M", "-1", " 65536", "0x10000" };
	struct config config;
	char problem[256];
	char *text;
	(void)state;

	assert_int_equal(load_with("ROOM_ANONYMOUS_ACCESS", "on", &config, problem), 0);
	assert_true(config.room_anonymous_access);
	text = shell_text(&config);
	assert_non_null(strstr(text, "ROOM_ANONYMOUS_ACCESS='on'\n"));
	free(text);
	assert_int_equal(load_with("ROOM_ANONYMOUS_ACCESS", "off", &config, problem), 0);
	assert_false(config.room_anonymous_access);
	for (size_t i = 0; i < sizeof bad_switches / sizeof bad_switches[0]; i++) {
		if (load_with("ROOM_ANONYMOUS_ACCESS", bad_switches[i], &config, problem) != -1)
			fail_msg("ROOM_ANONYMOUS_ACCESS=\"%s\" was accepted", bad_switches[i]);
		assert_string_equal(problem, "ROOM_ANONYMOUS_ACCESS must be on or off");
	}
	unsetenv("ROOM_ANONYMOUS_ACCESS");

	assert_int_equal(load_with("MEET_LIST_MAX_BYTES", "65536", &config, problem), 0);
	assert_int_equal(config.list_max_bytes, 65536);
	assert_int_equal(load_with("MEET_LIST_MAX_BYTES", "1073741824", &config, problem), 0);
	assert_int_equal(config.list_max_bytes, 1073741824L);
	for (size_t i = 0; i < sizeof bad_budgets / sizeof bad_budgets[0]; i++) {
		if (load_with("MEET_LIST_MAX_BYTES", bad_budgets[i], &config, problem) != -1)
			fail_msg("MEET_LIST_MAX_BYTES=\"%s\" was accepted", bad_budgets[i]);
		assert_string_equal(problem, "MEET_LIST_MAX_BYTES must be 65536-1073741824 (bytes)");
	}
}

/* Meet's URL goes into every request and into error messages: no
 * credentials, no query or fragment, no blanks; the refusal never echoes it. */
static void test_meet_url_refusals(void **state)
{
	static const char *const bad[] = {
		"http://admin:hunter2@meet.example.org/meet", "https://hunter2@meet.example.org",
		"http://meet.example.org/meet?secret=hunter2", "http://meet.example.org/meet#hunter2",
		"http://meet.example.org/me et", "http://meet.example.org/meet\t", " http://meet.example.org",
		"http://meet.example.org/meet\n", "http://", "https:///meet", "http://meet\x7f.org",
	};
	static const char *const good[] = {
		"http://127.0.0.1:9080/meet", "https://meet.example.org", "https://meet.example.org/a@b",
	};
	struct config config;
	char problem[256];
	(void)state;

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		if (load_with("OV_MEET_SERVER_URL", bad[i], &config, problem) != -1)
			fail_msg("OV_MEET_SERVER_URL=\"%s\" was accepted", bad[i]);
		assert_non_null(strstr(problem, "OV_MEET_SERVER_URL"));
		assert_null(strstr(problem, "hunter2"));
	}
	for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
		assert_int_equal(load_with("OV_MEET_SERVER_URL", good[i], &config, problem), 0);
}

/* LiveKit's address: ws:// or wss:// only (the browser opens a websocket
 * to it and the page's policy admits it), under the same rules as Meet's. */
static void test_livekit_url(void **state)
{
	static const char *const bad[] = {
		"http://livekit.example.org", "https://meet.example.org", "livekit.example.org:7880",
		"ws://user:hunter2@livekit.example.org", "wss://livekit.example.org/?x=hunter2",
		"ws://", "ws://live kit", "ws://livekit.example.org\n",
	};
	static const char *const good[][2] = {
		{ "ws://127.0.0.1:7880", "ws://127.0.0.1:7880" },
		{ "wss://meet.example.org/", "wss://meet.example.org" },
		{ "wss://livekit.example.org:7443/rtc-proxy", "wss://livekit.example.org:7443/rtc-proxy" },
	};
	struct config config;
	char problem[256];
	(void)state;

	assert_int_equal(config_load(&config, "/nonexistent/.env", problem, sizeof problem), 0);
	assert_string_equal(config.livekit_url, "ws://localhost:7880");
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		if (load_with("OV_LIVEKIT_URL", bad[i], &config, problem) != -1)
			fail_msg("OV_LIVEKIT_URL=\"%s\" was accepted", bad[i]);
		assert_string_equal(problem, "OV_LIVEKIT_URL must be a ws:// or wss:// URL without "
				    "user:password@, query (?), fragment (#) or blanks");
	}
	for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
		assert_int_equal(load_with("OV_LIVEKIT_URL", good[i][0], &config, problem), 0);
		assert_string_equal(config.livekit_url, good[i][1]);
	}
}

/* Writes a file of a first line of comment_len '#'s followed on the SAME
 * line by a setting, then a good line; returns config_load's result. */
static int load_after_long_comment(size_t comment_len, struct config *config, char *problem,
				   char path[64])
{
	static const char tail[] = "OV_MEET_SERVER_URL=http://evil.test\nOV_MEET_API_KEY=later\n";
	char *text = malloc(comment_len + sizeof tail);
	int status;

	assert_non_null(text);
	memset(text, '#', comment_len);
	memcpy(text + comment_len, tail, sizeof tail);
	write_env_file(path, text);
	free(text);
	problem[0] = '\0';
	status = config_load(config, path, problem, 256);
	unlink(path);
	return status;
}

/* A line longer than the reader's buffer is refused whole, never split
 * into a second line that would set something. */
static void test_env_file_long_line_refused(void **state)
{
	struct config config;
	char problem[256];
	char path[64];
	char expected[128];
	(void)state;

	/* From the shortest line that does not fit (2048 bytes) past 2,046 and
	 * 2,047 characters of comment, where a 2048-byte reader would split. */
	for (size_t len = CONFIG_LINE_MAX - 35; len <= CONFIG_LINE_MAX + 40; len++) {
		assert_int_equal(load_after_long_comment(len, &config, problem, path), -1);
		snprintf(expected, sizeof expected, "%s: line 1 is malformed or longer than 2047 bytes", path);
		assert_string_equal(problem, expected);
		assert_null(strstr(problem, "evil"));
	}
	/* Just short enough (2047 bytes): all of it a comment, the next line read. */
	assert_int_equal(load_after_long_comment(CONFIG_LINE_MAX - 1 - 35, &config, problem, path), 0);
	assert_string_equal(config.meet_server_url, "http://localhost:9080/meet");
	assert_string_equal(config.meet_api_key, "later");
	char fits[CONFIG_LINE_MAX + 32];
	memset(fits, 'x', sizeof fits);
	memcpy(fits, "UNUSED=", 7);
	strcpy(fits + CONFIG_LINE_MAX - 1, "\nOV_MEET_API_KEY=later\n");  /* a line of 2047 bytes */
	write_env_file(path, fits);
	assert_int_equal(config_load(&config, path, problem, sizeof problem), 0);
	assert_string_equal(config.meet_api_key, "later");
	assert_true(config.env_file_read);
	unlink(path);
	fits[CONFIG_LINE_MAX - 1] = 'x';
	strcpy(fits + CONFIG_LINE_MAX, "\nOV_MEET_API_KEY=later\n");  /* 2048: one too many */
	write_env_file(path, fits);
	assert_int_equal(config_load(&config, path, problem, sizeof problem), -1);
	assert_non_null(strstr(problem, "line 1 is malformed"));
	unlink(path);
}

/* Any line the parser refuses refuses the file, naming the line, not its text. */
static void test_env_file_malformed_line_refused(void **state)
{
	static const char with_nul[] = "OV_MEET_API_KEY=a\0b\n";
	struct config config;
	char problem[256];
	char path[64];
	int fd;
	(void)state;

	write_env_file(path, "# fine\nOV_MEET_API_KEY='hunter2\nMEET_THREADS=2\n");
	assert_int_equal(config_load(&config, path, problem, sizeof problem), -1);
	assert_non_null(strstr(problem, ": line 2 is malformed"));
	assert_null(strstr(problem, "hunter2"));
	unlink(path);

	strcpy(path, "/tmp/meet-config-test-XXXXXX");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, with_nul, sizeof with_nul - 1), (ssize_t)(sizeof with_nul - 1));
	close(fd);
	assert_int_equal(config_load(&config, path, problem, sizeof problem), -1);
	assert_non_null(strstr(problem, ": line 1 is malformed"));
	unlink(path);

	/* CRLF lines and a last line without '\n' are fine. */
	write_env_file(path, "MEET_THREADS=2\r\nOV_MEET_API_KEY=last");
	assert_int_equal(config_load(&config, path, problem, sizeof problem), 0);
	assert_int_equal(config.threads, 2);
	assert_string_equal(config.meet_api_key, "last");
	unlink(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_plain_and_export),
		cmocka_unit_test(test_parse_comments_and_blank_lines),
		cmocka_unit_test(test_parse_quotes),
		cmocka_unit_test(test_parse_malformed),
		cmocka_unit_test_setup_teardown(test_load_defaults, clear_environment, clear_environment),
		cmocka_unit_test_setup_teardown(test_load_file_then_environment_wins, clear_environment, clear_environment),
		cmocka_unit_test_setup_teardown(test_load_rejects_bad_values, clear_environment, clear_environment),
		cmocka_unit_test_setup_teardown(test_threads_default_and_range, clear_environment, clear_environment),
		cmocka_unit_test_setup_teardown(test_threads_rejects_bad_values, clear_environment, clear_environment),
		cmocka_unit_test_setup_teardown(test_threads_from_file_then_environment, clear_environment, clear_environment),
		cmocka_unit_test_setup_teardown(test_access_settings, clear_environment, clear_environment),
		cmocka_unit_test_setup_teardown(test_setting_names_and_defaults, clear_environment, clear_environment),
		cmocka_unit_test_setup_teardown(test_server_port_host_and_web_server, clear_environment, clear_environment),
		cmocka_unit_test_setup_teardown(test_problems_name_the_limits, clear_environment, clear_environment),
		cmocka_unit_test_setup_teardown(test_write_shell, clear_environment, clear_environment),
		cmocka_unit_test_setup_teardown(test_write_shell_round_trip, clear_environment, clear_environment),
		cmocka_unit_test_setup_teardown(test_export, clear_environment, clear_environment),
		cmocka_unit_test_setup_teardown(test_room_anonymous_access_and_list_budget, clear_environment, clear_environment),
		cmocka_unit_test_setup_teardown(test_meet_url_refusals, clear_environment, clear_environment),
		cmocka_unit_test_setup_teardown(test_livekit_url, clear_environment, clear_environment),
		cmocka_unit_test_setup_teardown(test_env_file_long_line_refused, clear_environment, clear_environment),
		cmocka_unit_test_setup_teardown(test_env_file_malformed_line_refused, clear_environment, clear_environment),
	};
	return cmocka_run_group_tests_name("config", tests, NULL, NULL);
}
