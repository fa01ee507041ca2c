/* api.h - the request handlers behind `raportai serve`: routing, External API
 * v1 authentication and rate limits, and the endpoints themselves.
 *
 * api_app holds what handlers share; it is built by the serve command and
 * outlives the HTTP server. api_handle is the http_handler for the server. */
#ifndef RAPORTAI_API_API_H
#define RAPORTAI_API_API_H

#include "auth/ratelimit.h"
#include "http/http.h"
#include "report/templates.h"
#include "store/store.h"

typedef struct api_app {
    store              *store;     /* borrowed */
    ratelimit          *limiter;   /* borrowed; per API key */
    const tmpl_library *templates; /* borrowed; the built-in library */
} api_app;

/* Routes req to its handler (app is an api_app). */
void api_handle(http_request *req, void *app);

#endif
