/* health.c - GET /healthz: 200 when the database answers, 503 otherwise. */
#include "api/internal.h"
#include "core/err.h"

void api_healthz(http_request *req, api_app *app)
{
    int version = 0;
    if (store_schema_version(app->store, &version) != RA_OK) {
        api_reply_error(req, API_UNAVAILABLE, "The database is not reachable.", NULL, NULL);
        return;
    }
    http_add_header(req, "Cache-Control", "no-store");
    http_reply_json(req, 200, json_pack("{s:s, s:i}", "status", "ok", "schemaVersion", version));
}
