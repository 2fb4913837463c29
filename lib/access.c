/* access: see access.h. */
#include "access.h"

#include <arpa/inet.h>
#include <stddef.h>
#include <string.h>
#include <strings.h>

enum { HOST_NAME_MAX_LEN = 255 };

bool access_address_is_loopback(const char *address)
{
	struct in_addr v4;
	struct in6_addr v6;

	if (address == NULL)
		return false;
	if (inet_pton(AF_INET, address, &v4) == 1)
		return (ntohl(v4.s_addr) >> 24) == 127;
	if (inet_pton(AF_INET6, address, &v6) != 1)
		return false;
	if (IN6_IS_ADDR_LOOPBACK(&v6))
		return true;
	return IN6_IS_ADDR_V4MAPPED(&v6) && v6.s6_addr[12] == 127;
}

/* Copies the host name of a Host header (no port, no brackets) into name.
 * False when it is empty, too long or malformed. */
static bool host_name(const char *host, char *name, size_t name_size)
{
	size_t len;

	if (host == NULL || host[0] == '\0')
		return false;
	if (host[0] == '[') {
		const char *end = strchr(host, ']');
		if (end == NULL || (end[1] != '\0' && end[1] != ':'))
			return false;
		host++;
		len = (size_t)(end - host);
	} else {
		len = strcspn(host, ":");
	}
	if (len == 0 || len >= name_size)
		return false;
	memcpy(name, host, len);
	name[len] = '\0';
	return true;
}

static bool name_in_list(const char *name, const char *list)
{
	size_t name_len = strlen(name);

	while (list != NULL && *list != '\0') {
		size_t item_len = strcspn(list, ",");
		const char *item = list;

		while (item_len > 0 && *item == ' ') {
			item++;
			item_len--;
		}
		while (item_len > 0 && item[item_len - 1] == ' ')
			item_len--;
		if (item_len == name_len && strncasecmp(item, name, name_len) == 0)
			return true;
		list += strcspn(list, ",");
		if (*list == ',')
			list++;
	}
	return false;
}

/* A Host's name is an address written as REMOTE_ADDR writes one, or localhost. */
static bool name_is_loopback(const char *name)
{
	return strcasecmp(name, "localhost") == 0 || access_address_is_loopback(name);
}

bool access_host_is_allowed(const char *host, const char *allowed_hosts)
{
	char name[HOST_NAME_MAX_LEN + 1];

	if (!host_name(host, name, sizeof name))
		return false;
	return name_is_loopback(name) || name_in_list(name, allowed_hosts);
}

struct error access_check(enum access_mode mode, const char *allowed_hosts,
			  const struct access_request *request)
{
	bool logged_in = request->remote_user != NULL && request->remote_user[0] != '\0';

	if (logged_in)
		return error_none();
	if (mode == ACCESS_REQUIRED)
		return error_make(403, "Managing rooms needs a login, and the web server sent none: "
				  "turn on HTTP basic auth (MEET_HTPASSWD, or AuthUserFile in .htaccess; "
				  "see docs/deployment.md)");
	if (!access_host_is_allowed(request->host, allowed_hosts))
		return error_make(403, "This address is not one the app answers to without a login: "
				  "open it as localhost, add its name to MEET_ALLOWED_HOSTS, "
				  "or turn on HTTP basic auth (MEET_HTPASSWD)");
	if (mode == ACCESS_AUTO && !access_address_is_loopback(request->remote_addr))
		return error_make(403, "Managing rooms from another machine needs a login: "
				  "set MEET_HTPASSWD (make run with SERVER_HOST creates one) "
				  "or turn on HTTP basic auth in the web server");
	return error_none();
}
