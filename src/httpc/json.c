/* json.c - reading the JSON answers of the speech and language-model
 * servers (see json.h). Owns the json_* calls of httpc. */
#include "httpc/json.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"

/* The member or element named by the n bytes at name. */
static json_t *json_step(json_t *v, const char *name, size_t n)
{
    char key[256];
    if (n == 0 || n >= sizeof key)
        return NULL;
    memcpy(key, name, n);
    key[n] = '\0';
    if (json_is_array(v) && strspn(key, "0123456789") == n && n <= 9)
        return json_array_get(v, strtoul(key, NULL, 10));
    return json_is_object(v) ? json_object_get(v, key) : NULL;
}

int httpc_json_string(const char *json, size_t len, const char *path, char **out)
{
    if (json == NULL || path == NULL)
        return RA_ERR_FORMAT;
    json_error_t jerr;
    json_t *root = json_loadb(json, len, 0, &jerr);
    json_t *v = root;
    for (const char *p = path; v != NULL;) {
        size_t n = strcspn(p, ".");
        v = json_step(v, p, n);
        if (p[n] == '\0')
            break;
        p += n + 1;
    }
    int rc = RA_ERR_FORMAT;
    if (v != NULL && json_is_string(v) &&
        memchr(json_string_value(v), '\0', json_string_length(v)) == NULL) {
        char *s = strdup(json_string_value(v));
        rc = s != NULL ? RA_OK : RA_ERR_NOMEM;
        if (s != NULL)
            *out = s;
    }
    json_decref(root);
    return rc;
}
