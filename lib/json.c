#include "json.h"

#include <pthread.h>

static pthread_mutex_t parse_lock = PTHREAD_MUTEX_INITIALIZER;

cJSON *json_parse(const char *text, size_t len, const char **end)
{
	cJSON *json;

	pthread_mutex_lock(&parse_lock);
	json = cJSON_ParseWithLengthOpts(text, len, end, 0);  /* no NUL needed */
	pthread_mutex_unlock(&parse_lock);
	return json;
}
