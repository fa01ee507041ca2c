/* web_accounting.c - the accounting console (path accounting, role
 * accounting; see docs/web-api.md): every organization's balance, credit
 * changes with a reason, the ledger a page at a time, and one month's usage
 * of every organization as CSV.
 *
 * A credit change is one ledger row naming the accountant (by e-mail) and
 * the reason, written with the balance in one transaction; a deduction that
 * would take the balance below zero changes nothing (409).
 *
 * The CSV follows RFC 4180 (CRLF line ends; a field holding a comma, quote
 * or line break is quoted, quotes doubled) and is safe to open in a
 * spreadsheet: a field starting with =, +, -, @, a tab or a carriage
 * return gets a leading single quote, so it is never read as a formula. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/internal.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/log.h"
#include "core/text.h"

#define ACCOUNTANTS WEB_ROLE(ROLE_ACCOUNTING)
#define PAGE_SIZE 50
#define CREDIT_CHANGE_MAX 1000000
#define CSV_MAX_BYTES (64u * 1024u * 1024u)

/* ---- balances ---------------------------------------------------------------------- */

static void add_balance(const store_org_summary *o, void *ctx)
{
    json_t *item = api_org_json(&o->org);
    json_object_set_new(item, "memberCount", json_integer(o->members));
    json_array_append_new(ctx, item);
}

static void balances(http_request *req, api_app *app, const web_session *ws)
{
    (void)ws;
    json_t *items = json_array();
    int rc = store_org_each(app->store, add_balance, items);
    api_reply_items(req, items, rc, "listing balances");
}

/* ---- credit changes ---------------------------------------------------------------------- */

typedef struct credit_change {
    const char *org_id, *reason;
    int64_t amount;
} credit_change;

/* Reads and checks a credit change; -1 after replying. An organization that
 * does not exist answers 404. */
static int credit_input(http_request *req, api_app *app, const json_t *body, credit_change *c)
{
    int bad = 0;
    store_org org;
    c->org_id = api_json_string(body, "organizationId", &bad);
    if (bad || c->org_id == NULL || !ids_is_uuid(c->org_id)) {
        api_reply_invalid(req, "organizationId", "Give the organization's id.");
        return -1;
    }
    if (api_json_int(body, "amount", &c->amount) <= 0 || c->amount == 0 ||
        c->amount > CREDIT_CHANGE_MAX || c->amount < -CREDIT_CHANGE_MAX) {
        api_reply_invalid(req, "amount",
                          "amount is a whole number of credits from -1000000 "
                          "to 1000000, not 0 (negative deducts).");
        return -1;
    }
    c->reason = api_json_string(body, "reason", &bad);
    if (bad || c->reason == NULL || text_check_name(c->reason, STORE_REASON_MAX) != RA_OK) {
        api_reply_invalid(req, "reason",
                          "Give the reason: 1 to 200 characters, without "
                          "control characters or surrounding spaces.");
        return -1;
    }
    int rc = store_org_get(app->store, c->org_id, &org);
    if (rc == RA_OK)
        return 0;
    if (rc == RA_ERR_NOT_FOUND)
        api_reply_error(req, API_NOT_FOUND, "No organization has this id.", "organizationId", NULL);
    else
        api_reply_internal(req, "reading an organization", rc);
    return -1;
}

static void credits_change(http_request *req, api_app *app, const web_session *ws)
{
    json_t *body = api_json_body(req);
    if (body == NULL)
        return;
    credit_change c;
    if (credit_input(req, app, body, &c) == 0) {
        int64_t balance = 0;
        int rc =
            store_credits_add(app->store, c.org_id, c.amount, c.reason, ws->user.email, &balance);
        if (rc == RA_OK) {
            log_info("web: %lld credits for organization %s by accountant %s", (long long)c.amount,
                     c.org_id, ws->user.id);
            http_reply_json(req, 200,
                            json_pack("{s:s, s:I, s:I}", "organizationId", c.org_id, "amount",
                                      (json_int_t)c.amount, "balance", (json_int_t)balance));
        } else if (rc == RA_ERR_BALANCE) {
            api_reply_error(req, API_INSUFFICIENT_BALANCE,
                            "The balance is smaller than the "
                            "deduction; nothing changed.",
                            "amount", NULL);
        } else {
            api_reply_internal(req, "changing credits", rc);
        }
    }
    json_decref(body);
}

/* ---- the ledger ---------------------------------------------------------------------- */

static void add_ledger_row(const store_ledger_row *r, void *ctx)
{
    json_array_append_new(ctx,
                          json_pack("{s:I, s:I, s:s, s:s, s:s}", "amount", (json_int_t)r->amount,
                                    "balanceAfter", (json_int_t)r->balance_after, "reason",
                                    r->reason, "actor", r->actor, "createdAt", r->created_at));
}

static void ledger(http_request *req, api_app *app, const web_session *ws)
{
    (void)ws;
    const char *org_id = http_query(req, "organizationId");
    int64_t page, total = 0;
    store_org org;
    if (org_id == NULL || !ids_is_uuid(org_id)) {
        api_reply_invalid(req, "organizationId", "Give the organization's id.");
        return;
    }
    if (api_query_page(req, &page) != 0)
        return;
    int rc = store_org_get(app->store, org_id, &org);
    json_t *items = json_array();
    if (rc == RA_OK)
        rc = store_ledger_page(app->store, org_id, (page - 1) * PAGE_SIZE, PAGE_SIZE,
                               add_ledger_row, items, &total);
    if (rc == RA_ERR_NOT_FOUND) {
        json_decref(items);
        api_reply_error(req, API_NOT_FOUND, "No organization has this id.", "organizationId", NULL);
    } else if (rc != RA_OK) {
        json_decref(items);
        api_reply_internal(req, "reading the ledger", rc);
    } else {
        http_reply_json(req, 200,
                        json_pack("{s:o, s:o, s:I, s:i, s:I}", "organization", api_org_json(&org),
                                  "items", items, "page", (json_int_t)page, "pageSize", PAGE_SIZE,
                                  "total", (json_int_t)total));
    }
}

/* ---- usage CSV ------------------------------------------------------------------------ */

typedef struct csv_out {
    buf b;
    int rc; /* the first failure to append; RA_OK so far */
    const char *month;
} csv_out;

static void put(csv_out *c, const char *s, size_t n)
{
    if (c->rc == RA_OK)
        c->rc = buf_append(&c->b, s, n);
}

/* Appends one CSV field (with the separator before it unless first). */
static void csv_field(csv_out *c, const char *value, int first)
{
    if (!first)
        put(c, ",", 1);
    int formula = value[0] != '\0' && strchr("=+-@\t\r", value[0]) != NULL;
    int quote = formula || strpbrk(value, ",\"\r\n") != NULL;
    if (quote)
        put(c, "\"", 1);
    if (formula)
        put(c, "'", 1);
    for (const char *p = value; *p; p++) {
        if (*p == '"')
            put(c, "\"", 1);
        put(c, p, 1);
    }
    if (quote)
        put(c, "\"", 1);
}

static void csv_number(csv_out *c, int64_t n)
{
    char text[24];
    snprintf(text, sizeof text, "%lld", (long long)n);
    csv_field(c, text, 0);
}

static void csv_row(const store_month_usage *u, void *ctx)
{
    csv_out *c = ctx;
    csv_field(c, u->org.id, 1);
    csv_field(c, u->org.name, 0);
    csv_field(c, u->org.type, 0);
    csv_field(c, c->month, 0);
    csv_number(c, u->reports);
    csv_number(c, u->credits_used);
    csv_number(c, u->top_ups);
    put(c, "\r\n", 2);
}

/* True for YYYY-MM with a month from 01 to 12 and a year from 2000 to 9999. */
static int valid_month(const char *m)
{
    if (m == NULL || strlen(m) != 7 || m[4] != '-')
        return 0;
    for (int i = 0; i < 7; i++)
        if (i != 4 && (m[i] < '0' || m[i] > '9'))
            return 0;
    int month = (m[5] - '0') * 10 + (m[6] - '0');
    return m[0] >= '2' && month >= 1 && month <= 12;
}

static void usage_csv(http_request *req, api_app *app, const web_session *ws)
{
    (void)ws;
    const char *month = http_query(req, "month");
    if (!valid_month(month)) {
        api_reply_invalid(req, "month", "month is YYYY-MM, such as 2026-11.");
        return;
    }
    csv_out c = {.rc = RA_OK, .month = month};
    buf_init(&c.b, CSV_MAX_BYTES);
    static const char header[] =
        "organization_id,organization,type,month,reports,credits_used,top_ups\r\n";
    put(&c, header, sizeof header - 1);
    int rc = store_month_usage_each(app->store, month, csv_row, &c);
    if (rc == RA_OK)
        rc = c.rc;
    if (rc != RA_OK) {
        api_reply_internal(req, "writing the usage CSV", rc);
    } else {
        char disposition[96];
        snprintf(disposition, sizeof disposition, "attachment; filename=\"usage-%s.csv\"", month);
        http_add_header(req, "Content-Disposition", disposition);
        http_reply(req, 200, "text/csv; charset=utf-8", buf_str(&c.b), c.b.len);
    }
    buf_release(&c.b);
}

static const web_route routes[] = {
    {"GET", "/api/v1/accounting/balances", ACCOUNTANTS, balances},
    {"POST", "/api/v1/accounting/credits", ACCOUNTANTS, credits_change},
    {"GET", "/api/v1/accounting/ledger", ACCOUNTANTS, ledger},
    {"GET", "/api/v1/accounting/usage.csv", ACCOUNTANTS, usage_csv},
};

const web_route_table web_accounting_routes = {routes, sizeof routes / sizeof routes[0]};
