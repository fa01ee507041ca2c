/* external.c - External API v1 authentication, rate limit and replies.
 *
 * Outcomes, in this order, revealing nothing more than the status:
 *   no "Bearer" credential, a malformed or mistyped key (checked without
 *   touching the database), an unknown or revoked key, a rotated key past
 *   its grace period, or a key whose user is inactive
 *   or suspended by the platform                       -> 401 UNAUTHORIZED
 *   over the per-key limit                             -> 429 RATE_LIMIT
 *   the user is no longer the organization's manager,
 *   or the organization is inactive (deactivated by
 *   the platform)                                      -> 403 FORBIDDEN
 * Every request with a valid key counts against the key's limit and its use
 * count, and its reply carries remainingCredits and the rate-limit headers. */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "api/internal.h"
#include "auth/apikey.h"
#include "auth/roles.h"
#include "core/err.h"
#include "core/log.h"
#include "core/timeutil.h"

/* The key in "Authorization: Bearer <key>", or NULL. */
static const char *bearer_token(http_request *req)
{
    const char *auth = http_header(req, "Authorization");
    if (auth == NULL || strncasecmp(auth, "Bearer ", 7) != 0)
        return NULL;
    auth += 7;
    while (*auth == ' ')
        auth++;
    return auth;
}

/* Resolves the key to its record and user. RA_ERR_INVALID when the caller is
 * not authenticated; another negative code on a database failure. */
static int resolve_key(http_request *req, api_app *app, api_caller *caller)
{
    const char *token = bearer_token(req);
    if (token == NULL || apikey_check(token) != RA_OK)
        return RA_ERR_INVALID;
    char hash[APIKEY_HASH_HEX];
    apikey_hash(token, hash);
    int rc = store_key_by_hash(app->store, hash, &caller->key);
    if (rc == RA_ERR_NOT_FOUND)
        return RA_ERR_INVALID;
    if (rc == RA_OK && !store_key_is_live(&caller->key, time_now_ms()))
        return RA_ERR_INVALID; /* revoked, or rotated and past its grace period */
    if (rc == RA_OK)
        rc = store_user_get(app->store, caller->key.user_id, &caller->user);
    if (rc == RA_OK && !store_user_may_sign_in(&caller->user))
        return RA_ERR_INVALID;
    if (rc == RA_OK)
        rc = store_org_get(app->store, caller->key.org_id, &caller->org);
    return rc;
}

static void add_rate_headers(http_request *req, const ratelimit_result *rl)
{
    char value[64];
    snprintf(value, sizeof value, "%u;w=%d", rl->limit, RATELIMIT_WINDOW_MS / 1000);
    http_add_header(req, "RateLimit-Policy", value);
    snprintf(value, sizeof value, "%u", rl->limit);
    http_add_header(req, "RateLimit-Limit", value);
    snprintf(value, sizeof value, "%u", rl->remaining);
    http_add_header(req, "RateLimit-Remaining", value);
    snprintf(value, sizeof value, "%u", rl->reset_s);
    http_add_header(req, "RateLimit-Reset", value);
}

int api_external_auth(http_request *req, api_app *app, api_caller *caller)
{
    int rc = resolve_key(req, app, caller);
    if (rc == RA_ERR_INVALID) {
        http_add_header(req, "WWW-Authenticate", "Bearer realm=\"RaportAI External API\"");
        api_reply_error(req, API_UNAUTHORIZED, NULL, NULL, NULL);
        return rc;
    }
    if (rc != RA_OK) {
        log_error("api: authentication lookup failed: %s (request %s)", ra_strerror(rc),
                  http_request_id(req));
        api_reply_error(req, API_UNAVAILABLE, NULL, NULL, NULL);
        return rc;
    }
    ratelimit_result rl;
    ratelimit_hit(app->limiter, caller->key.id, time_mono_ms(), &rl);
    add_rate_headers(req, &rl);
    if (!rl.allowed) {
        char retry[16];
        snprintf(retry, sizeof retry, "%u", rl.reset_s > 0 ? rl.reset_s : 1);
        http_add_header(req, "Retry-After", retry);
        api_external_error(req, caller, API_RATE_LIMIT, NULL, NULL);
        return RA_ERR_REFUSED;
    }
    rc = store_key_touch(app->store, caller->key.id);
    if (rc != RA_OK)
        log_warn("api: could not record use of key %s: %s", caller->key.prefix, ra_strerror(rc));
    int manager = role_parse(caller->user.role) == ROLE_MANAGER &&
                  strcmp(caller->user.org_id, caller->key.org_id) == 0;
    if (!manager || !caller->org.active) {
        api_external_error(req, caller, API_FORBIDDEN, NULL, NULL);
        return RA_ERR_REFUSED;
    }
    return RA_OK;
}

void api_external_reply(http_request *req, unsigned status, const api_caller *caller, json_t *body)
{
    json_object_set_new(body, "remainingCredits", json_integer(caller->org.credits));
    http_add_header(req, "Cache-Control", "no-store");
    http_reply_json(req, status, body);
}

void api_external_error(http_request *req, const api_caller *caller, api_error e,
                        const char *message, const char *field)
{
    http_add_header(req, "Cache-Control", "no-store");
    api_reply_error(req, e, message, field,
                    json_pack("{s:I}", "remainingCredits", (json_int_t)caller->org.credits));
}
