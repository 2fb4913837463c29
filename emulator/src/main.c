/*
 * meet-emulator: a stand-in for the OpenVidu Meet 3.8.0 server, for tests
 * and the offline demo. Reads its settings from the environment (emulator/README.md),
 * serves under http://HOST:PORT/meet until SIGINT or SIGTERM, then stops the
 * server threads and frees everything.
 */
#include <netdb.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <microhttpd.h>

#include "emulator.h"
#include "http.h"
#include "livekit.h"
#include "store.h"

struct emu_config emu_config;

const char *emu_guest_type(void)
{
	return emu_config.naming == NAMING_TUTORIAL ? "external" : "identified_guest";
}

const char *emu_guest_prefix(void)
{
	return emu_config.naming == NAMING_TUTORIAL ? "ext-" : "guest-";
}

/* An unset or empty variable counts as unset. */
static const char *env(const char *name, const char *fallback)
{
	const char *v = getenv(name);
	return v && *v ? v : fallback;
}

static bool parse_unsigned(const char *s, unsigned max, unsigned *out)
{
	char *end;
	unsigned long v = strtoul(s, &end, 10);
	if (!*s || *end || v > max)
		return false;
	*out = (unsigned)v;
	return true;
}

/* A port setting: 0-65535, where 0 asks for any free port. */
static bool read_port(const char *name, const char *value, unsigned *out)
{
	if (parse_unsigned(value, 65535, out))
		return true;
	fprintf(stderr, "meet-emulator: %s must be a port number (0 = any free port)\n", name);
	return false;
}

static bool read_config(void)
{
	snprintf(emu_config.host, sizeof emu_config.host, "%s", env("MEET_EMULATOR_HOST", "127.0.0.1"));
	snprintf(emu_config.api_key, sizeof emu_config.api_key, "%s", env("OV_MEET_API_KEY", "meet-api-key"));
	if (!read_port("MEET_EMULATOR_PORT", env("MEET_EMULATOR_PORT", "9080"), &emu_config.port))
		return false;
	const char *naming = env("MEET_EMULATOR_NAMING", "released");
	if (strcmp(naming, "released") == 0)
		emu_config.naming = NAMING_RELEASED;
	else if (strcmp(naming, "tutorial") == 0)
		emu_config.naming = NAMING_TUTORIAL;
	else {
		fprintf(stderr, "meet-emulator: MEET_EMULATOR_NAMING must be released or tutorial\n");
		return false;
	}
	const char *fault = env("MEET_EMULATOR_FAULT", "");
	if (!*fault || strcmp(fault, "none") == 0)
		emu_config.fault = FAULT_NONE;
	else if (strncmp(fault, "slow:", 5) == 0 && parse_unsigned(fault + 5, 3600000, &emu_config.fault_value))
		emu_config.fault = FAULT_SLOW;
	else if (strncmp(fault, "status:", 7) == 0 && parse_unsigned(fault + 7, 599, &emu_config.fault_value) &&
		 emu_config.fault_value >= 100)
		emu_config.fault = FAULT_STATUS;
	else if (strcmp(fault, "garbage") == 0)
		emu_config.fault = FAULT_GARBAGE;
	else if (strcmp(fault, "reset") == 0)
		emu_config.fault = FAULT_RESET;
	else {
		fprintf(stderr, "meet-emulator: MEET_EMULATOR_FAULT must be slow:MS, status:CODE, garbage or reset\n");
		return false;
	}
	emu_config.log_path = env("MEET_EMULATOR_LOG", NULL);
	const char *livekit_port = env("MEET_EMULATOR_LIVEKIT_PORT", NULL);
	emu_config.livekit = livekit_port != NULL;
	if (livekit_port && !read_port("MEET_EMULATOR_LIVEKIT_PORT", livekit_port, &emu_config.livekit_port))
		return false;
	/* Meet's own default for LIVEKIT_URL; with a listener, its address once bound */
	const char *livekit_url = env("MEET_EMULATOR_LIVEKIT_URL", "");
	if (*livekit_url && ((strncmp(livekit_url, "ws://", 5) != 0 && strncmp(livekit_url, "wss://", 6) != 0) ||
			     strlen(livekit_url) >= sizeof emu_config.livekit_url)) {
		fprintf(stderr, "meet-emulator: MEET_EMULATOR_LIVEKIT_URL must be a ws:// or wss:// URL\n");
		return false;
	}
	snprintf(emu_config.livekit_url, sizeof emu_config.livekit_url, "%s",
		 *livekit_url ? livekit_url : "ws://localhost:7880");
	return true;
}

int main(void)
{
	struct addrinfo hints = { .ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM, .ai_flags = AI_PASSIVE };
	struct addrinfo *addr = NULL;
	struct MHD_Daemon *daemon = NULL;
	sigset_t stop_signals;
	int status = 1;

	signal(SIGPIPE, SIG_IGN);
	if (!read_config())
		return 2;
	if (getaddrinfo(emu_config.host, NULL, &hints, &addr) != 0 || !addr) {
		fprintf(stderr, "meet-emulator: cannot resolve MEET_EMULATOR_HOST %s\n", emu_config.host);
		return 2;
	}
	bool ipv6 = addr->ai_family == AF_INET6;
	if (ipv6)
		((struct sockaddr_in6 *)addr->ai_addr)->sin6_port = htons((uint16_t)emu_config.port);
	else
		((struct sockaddr_in *)addr->ai_addr)->sin_port = htons((uint16_t)emu_config.port);

	store_init();
	if (!pages_init()) {
		fprintf(stderr, "meet-emulator: cannot prepare the WebComponent bundle\n");
		goto out;
	}

	/* Block the stop signals before MHD starts its threads, so they inherit
	 * the mask and only sigwait() below receives them. */
	sigemptyset(&stop_signals);
	sigaddset(&stop_signals, SIGINT);
	sigaddset(&stop_signals, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &stop_signals, NULL);

	daemon = http_start(addr->ai_addr, ipv6);
	if (!daemon) {
		fprintf(stderr, "meet-emulator: cannot listen on %s:%u\n", emu_config.host, emu_config.port);
		goto out;
	}
	const union MHD_DaemonInfo *info = MHD_get_daemon_info(daemon, MHD_DAEMON_INFO_BIND_PORT);
	if (info)
		emu_config.port = info->port;
	char livekit_line[600] = "";
	if (emu_config.livekit) {
		if (ipv6)
			((struct sockaddr_in6 *)addr->ai_addr)->sin6_port = htons((uint16_t)emu_config.livekit_port);
		else
			((struct sockaddr_in *)addr->ai_addr)->sin_port = htons((uint16_t)emu_config.livekit_port);
		if (!livekit_start(addr->ai_addr, ipv6, &emu_config.livekit_port)) {
			fprintf(stderr, "meet-emulator: cannot listen for LiveKit on %s:%u\n", emu_config.host,
				emu_config.livekit_port);
			goto out;
		}
		char own[300];
		snprintf(own, sizeof own, ipv6 ? "ws://[%s]:%u" : "ws://%s:%u", emu_config.host, emu_config.livekit_port);
		if (!*env("MEET_EMULATOR_LIVEKIT_URL", ""))
			snprintf(emu_config.livekit_url, sizeof emu_config.livekit_url, "%s", own);
		snprintf(livekit_line, sizeof livekit_line, " livekit %s", own);
	}
	printf(ipv6 ? "meet-emulator listening on http://[%s]:%u/meet%s\n" : "meet-emulator listening on http://%s:%u/meet%s\n",
	       emu_config.host, emu_config.port, livekit_line);
	fflush(stdout);

	int sig = 0;
	sigwait(&stop_signals, &sig);
	status = 0;
out:
	/* LiveKit first: its sessions say server_shutdown while Meet still answers */
	livekit_stop();
	http_stop(daemon);
	pages_free();
	store_free();
	freeaddrinfo(addr);
	return status;
}
