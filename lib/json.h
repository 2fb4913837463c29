/*
 * json: cJSON's parser, safe to call from several workers at once.
 *
 * cJSON 1.7 resets a global error position at the start of every parse, so
 * two threads parsing at once race on it (we never read it). Parses take
 * turns here; printing and freeing touch no shared state.
 */
#ifndef MEET_JSON_H
#define MEET_JSON_H

#include <cjson/cJSON.h>
#include <stddef.h>

/* cJSON_ParseWithLengthOpts without the requirement of a NUL at the end;
 * *end (when end is not NULL) is where parsing stopped. */
cJSON *json_parse(const char *text, size_t len, const char **end);

#endif
