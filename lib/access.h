/*
 * access: who may manage rooms and members, decided before any route runs.
 *
 * The web server authenticates (HTTP basic auth) and names the user in
 * REMOTE_USER; this module only decides. With no user, a request is let
 * through only when it cannot come from elsewhere: from a loopback address
 * with a Host this app answers to (loopback names, plus MEET_ALLOWED_HOSTS),
 * so a forgotten .htaccess or a proxy without auth fails closed, and a page
 * on another site that rebinds its DNS name to 127.0.0.1 is refused by Host.
 */
#ifndef MEET_ACCESS_H
#define MEET_ACCESS_H

#include <stdbool.h>

#include "error.h"

/* MEET_AUTH */
enum access_mode {
	ACCESS_AUTO,      /* a login, or loopback address and allowed Host */
	ACCESS_REQUIRED,  /* a login, always */
	ACCESS_OFF,       /* no login needed, but still an allowed Host */
};

struct access_request {
	const char *remote_user;  /* REMOTE_USER; NULL or "" when nobody logged in */
	const char *remote_addr;  /* REMOTE_ADDR; NULL when absent */
	const char *host;         /* the Host header; NULL when absent */
};

/*
 * No error when the request may go on; otherwise 403 with a message saying
 * how to set up a login. allowed_hosts: comma-separated host names (no
 * ports) beyond the loopback ones; "" for none. Pure: no I/O.
 */
struct error access_check(enum access_mode mode, const char *allowed_hosts,
			  const struct access_request *request);

/* 127.0.0.0/8, ::1 and ::ffff:127.x.y.z, as REMOTE_ADDR writes them. */
bool access_address_is_loopback(const char *address);

/* Host (with an optional :port) is localhost, a 127.x address, [::1], or a
 * name in allowed_hosts (case-insensitive). */
bool access_host_is_allowed(const char *host, const char *allowed_hosts);

#endif
