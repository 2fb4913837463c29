#include "exchange.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>

const char *exchange_param(const struct exchange *exchange, const char *name)
{
	if (exchange->fcgi == NULL)
		return getenv(name);
	return FCGX_GetParam(name, exchange->fcgi->envp);
}

size_t exchange_read(const struct exchange *exchange, char *buffer, size_t size)
{
	if (exchange->fcgi == NULL)
		return fread(buffer, 1, size, stdin);
	int got = FCGX_GetStr(buffer, size > INT_MAX ? INT_MAX : (int)size, exchange->fcgi->in);
	return got > 0 ? (size_t)got : 0;
}

void exchange_write(const struct exchange *exchange, const char *data, size_t len)
{
	if (exchange->fcgi == NULL) {
		fwrite(data, 1, len, stdout);
		fflush(stdout);
		return;
	}
	while (len > 0) {
		int chunk = len > INT_MAX ? INT_MAX : (int)len;
		if (FCGX_PutStr(data, chunk, exchange->fcgi->out) != chunk)
			return;  /* the web server went away; nothing to tell it */
		data += chunk;
		len -= (size_t)chunk;
	}
}
