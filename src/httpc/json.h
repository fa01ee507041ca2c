/* json.h - reading the JSON answers of the speech and language-model
 * servers: one string found by its path.
 *
 * THREAD SAFETY. May be called from any thread at once. */
#ifndef RAPORTAI_HTTPC_JSON_H
#define RAPORTAI_HTTPC_JSON_H

#include <stddef.h>

/* The string at path in the JSON text (len bytes): path is member names
 * separated by '.', a component made of digits indexes an array
 * ("text", "choices.0.message.content"). *out is a new allocation (caller
 * frees). RA_ERR_FORMAT when the text is not JSON or the path does not lead
 * to a string; RA_ERR_NOMEM. */
int httpc_json_string(const char *json, size_t len, const char *path, char **out);

#endif
