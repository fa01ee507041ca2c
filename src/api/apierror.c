/* apierror.c - the API error catalogue and error replies (see apierror.h). */
#include "api/apierror.h"

static const struct {
    const char *code;
    unsigned status;
    const char *message;
} catalogue[] = {
#define API_ERROR_ROW(code, status, message) {#code, status, message},
    API_ERRORS(API_ERROR_ROW)
#undef API_ERROR_ROW
};

unsigned api_error_status(api_error e)
{
    return catalogue[e].status;
}

const char *api_error_code(api_error e)
{
    return catalogue[e].code;
}

json_t *api_error_body(api_error e, const char *message, const char *field)
{
    json_t *err = json_pack("{s:s, s:s}", "code", catalogue[e].code, "message",
                            message ? message : catalogue[e].message);
    if (err && field)
        json_object_set_new(err, "field", json_string(field));
    return err ? json_pack("{s:o}", "error", err) : NULL;
}

void api_reply_error(http_request *req, api_error e, const char *message, const char *field,
                     json_t *extra)
{
    json_t *body = api_error_body(e, message, field);
    if (body && extra)
        json_object_update(body, extra);
    json_decref(extra);
    http_reply_json(req, catalogue[e].status, body ? body : json_object());
}
