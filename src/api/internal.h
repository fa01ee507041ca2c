/* internal.h - what the handler files of src/api share: the authenticated
 * caller of an External API request and the reply helpers. */
#ifndef RAPORTAI_API_INTERNAL_H
#define RAPORTAI_API_INTERNAL_H

#include "api/api.h"
#include "api/apierror.h"

/* The caller of an External API request, after authentication. */
typedef struct api_caller {
    store_key  key;
    store_user user;
    store_org  org;
} api_caller;

typedef void (*api_public_fn)(http_request *req, api_app *app);
typedef void (*api_external_fn)(http_request *req, api_app *app, const api_caller *caller);

/* Authenticates an External API request and applies the rate limit. On
 * success returns RA_OK with *caller filled and the rate-limit headers
 * added; otherwise it has already replied (401, 403, 429 or 500). */
int api_external_auth(http_request *req, api_app *app, api_caller *caller);

/* Replies 2xx with body plus "remainingCredits" (takes the reference). */
void api_external_reply(http_request *req, unsigned status, const api_caller *caller,
                        json_t *body);
/* Replies with an error plus "remainingCredits". */
void api_external_error(http_request *req, const api_caller *caller, api_error e,
                        const char *message, const char *field);

/* The final segment of the path, for routes ending in "/{}". */
const char *api_path_param(http_request *req);

/* The poll response of a job (without remainingCredits); NULL when the job
 * cannot be read (*rc says why: RA_ERR_NOT_FOUND for another
 * organization's job). */
json_t *api_job_json(api_app *app, const char *job_id, const char *org_id, const char *kind,
                     int *rc);

/* Handlers. */
void api_healthz(http_request *req, api_app *app);
void api_external_templates(http_request *req, api_app *app, const api_caller *caller);
void api_external_submit_report(http_request *req, api_app *app, const api_caller *caller);
void api_external_submit_pacs(http_request *req, api_app *app, const api_caller *caller);
void api_external_poll_report(http_request *req, api_app *app, const api_caller *caller);
void api_external_poll_pacs(http_request *req, api_app *app, const api_caller *caller);

#endif
