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

/* Resolves the key to its record, its user's role and its organization's
 * state (api_keyauth_find: from memory when known). RA_ERR_INVALID when the
 * caller is not authenticated; another negative code on a database
 * failure. The balance is left unknown (-1). */
static int resolve_key(http_request *req, api_app *app, api_caller *caller)
{
    const char *token = bearer_token(req);
    if (token == NULL || apikey_check(token) != RA_OK)
        return RA_ERR_INVALID;
    char hash[APIKEY_HASH_HEX];
    apikey_hash(token, hash);
    store_key_auth a;
    int rc = api_keyauth_find(app->keys, hash, &a);
    if (rc == RA_ERR_NOT_FOUND)
        return RA_ERR_INVALID;
    if (rc != RA_OK)
        return rc;
    if (!store_key_is_live(&a.key, time_now_ms()) || !a.user_may_use)
        return RA_ERR_INVALID; /* revoked, rotated and past its grace period, or its user
                                  deactivated or suspended */
    caller->key = a.key;
    snprintf(caller->user.id, sizeof caller->user.id, "%s", a.key.user_id);
    snprintf(caller->user.role, sizeof caller->user.role, "%s", a.role);
    snprintf(caller->user.org_id, sizeof caller->user.org_id, "%s", a.user_org_id);
    caller->user.active = 1;
    snprintf(caller->org.id, sizeof caller->org.id, "%s", a.key.org_id);
    caller->org.active = a.org_active;
    caller->org.credits = -1;
    return RA_OK;
}

int api_caller_balance(api_app *app, api_caller *caller)
{
    return store_org_credits(app->store, caller->org.id, &caller->org.credits);
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

int api_external_auth(http_request *req, api_app *app, int own_balance, api_caller *caller)
{
    *caller = (api_caller){.org.credits = -1};
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
    int manager = role_parse(caller->user.role) == ROLE_MANAGER &&
                  strcmp(caller->user.org_id, caller->key.org_id) == 0;
    int refused = !rl.allowed || !manager || !caller->org.active;
    if ((refused || !own_balance) && (rc = api_caller_balance(app, caller)) != RA_OK) {
        log_error("api: cannot read the balance: %s (request %s)", ra_strerror(rc),
                  http_request_id(req));
        api_reply_error(req, API_UNAVAILABLE, NULL, NULL, NULL);
        return rc;
    }
    if (!rl.allowed) {
        char retry[16];
        snprintf(retry, sizeof retry, "%u", rl.reset_s > 0 ? rl.reset_s : 1);
        http_add_header(req, "Retry-After", retry);
        api_external_error(req, caller, API_RATE_LIMIT, NULL, NULL);
        return RA_ERR_REFUSED;
    }
    api_keyauth_used(app->keys, caller->key.id);
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
