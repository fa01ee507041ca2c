/* web_params.c - reading the query parameters and JSON members the web
 * handlers share (page numbers, job states, ids in the path, booleans,
 * integers), checking a new person's name, e-mail and password, and the
 * replies for an input at fault and for a failure (see internal.h). */
#include <string.h>

#include "api/internal.h"
#include "auth/password.h"
#include "core/err.h"
#include "core/job_state.h"
#include "core/log.h"
#include "core/opts.h"
#include "core/text.h"

#define PAGE_MAX 1000000

int api_query_page(http_request *req, int64_t *page)
{
    const char *value = http_query(req, "page");
    *page = 1;
    if (value == NULL || *value == '\0')
        return 0;
    if (opts_int(value, 1, PAGE_MAX, page) != RA_OK) {
        api_reply_invalid(req, "page", "page must be a whole number from 1 to 1000000.");
        return -1;
    }
    return 0;
}

int api_json_bool(const json_t *obj, const char *name, int *out)
{
    json_t *v = json_object_get(obj, name);
    if (v == NULL || json_is_null(v))
        return 0;
    if (!json_is_boolean(v))
        return -1;
    *out = json_is_true(v);
    return 1;
}

int api_json_int(const json_t *obj, const char *name, int64_t *out)
{
    json_t *v = json_object_get(obj, name);
    if (v == NULL || json_is_null(v))
        return 0;
    if (!json_is_integer(v))
        return -1;
    *out = (int64_t)json_integer_value(v);
    return 1;
}

void api_reply_invalid(http_request *req, const char *field, const char *message)
{
    api_reply_error(req, API_INVALID_REQUEST, message, field, NULL);
}

int api_check_person(http_request *req, const char *name, const char *email, const char *password,
                     const char *const fields[3])
{
    if (name == NULL || text_check_name(name, STORE_NAME_MAX) != RA_OK)
        api_reply_invalid(req, fields[0],
                          "Give a name of 1 to 200 characters, without "
                          "control characters or surrounding spaces.");
    else if (email == NULL || text_check_email(email) != RA_OK)
        api_reply_invalid(req, fields[1], "Give a valid e-mail address.");
    else if (password == NULL || password_check_policy(password) != RA_OK)
        api_reply_invalid(req, fields[2],
                          "The password needs 8 to 1024 characters and "
                          "may not be only spaces.");
    else
        return 0;
    return -1;
}

json_t *api_json_text_or_null(const char *s)
{
    return s != NULL && *s != '\0' ? json_string(s) : json_null();
}

int api_query_job_state(http_request *req, const char **state)
{
    *state = http_query(req, "state");
    if (*state == NULL || **state == '\0') {
        *state = NULL;
        return 0;
    }
    if (job_state_parse(*state) != JOB_STATE_COUNT)
        return 0;
    api_reply_invalid(req, "state", "state is pending, processing, completed or failed.");
    return -1;
}

int api_path_uuid(http_request *req, int index, char id[UUID_LEN])
{
    if (api_path_segment(req, index, id, UUID_LEN) == RA_OK && ids_is_uuid(id))
        return 0;
    api_reply_error(req, API_NOT_FOUND, NULL, NULL, NULL);
    return -1;
}

void api_reply_internal(http_request *req, const char *what, int rc)
{
    log_error("web: %s failed: %s (request %s)", what, ra_strerror(rc), http_request_id(req));
    api_reply_error(req, API_INTERNAL, NULL, NULL, NULL);
}

void api_reply_items(http_request *req, json_t *items, int rc, const char *what)
{
    if (rc == RA_OK && items != NULL) {
        http_reply_json(req, 200, json_pack("{s:o}", "items", items));
        return;
    }
    json_decref(items);
    api_reply_internal(req, what, rc == RA_OK ? RA_ERR_NOMEM : rc);
}
