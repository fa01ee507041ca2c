/* test_pools.c - unit tests of src/api/pools.c: how a refusal of the
 * probing or rendering pool is answered (a full queue: 503 UNAVAILABLE with
 * Retry-After; stopping: 503 without it; anything else: 500), and that the
 * test gate does nothing unless its FIFO exists. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../support/http_double.h"
#include "api/internal.h"
#include "core/err.h"

static const char *error_code(http_request *req)
{
    json_t *body = http_double_reply_json(req);
    cr_assert_not_null(body);
    static char code[64];
    const char *c = json_string_value(json_object_get(json_object_get(body, "error"), "code"));
    snprintf(code, sizeof code, "%s", c ? c : "");
    json_decref(body);
    return code;
}

Test(pools, a_full_queue_is_503_with_retry_after)
{
    http_request *req = http_double_new("GET", "/api/v1/reports/x/export");
    api_reply_pool_busy(req, RA_ERR_REFUSED, "documents being rendered",
                        json_pack("{s:i}", "remainingCredits", 7));
    cr_assert_eq(http_double_status(req), 503);
    cr_assert_str_eq(http_double_reply_header(req, "Retry-After"), "5");
    cr_assert_str_eq(error_code(req), "UNAVAILABLE");
    json_t *body = http_double_reply_json(req);
    const char *message =
        json_string_value(json_object_get(json_object_get(body, "error"), "message"));
    cr_assert_not_null(strstr(message, "documents being rendered"), "%s", message);
    cr_assert_eq(json_integer_value(json_object_get(body, "remainingCredits")), 7);
    json_decref(body);
    http_double_free(req);
}

Test(pools, stopping_is_503_without_retry_after_and_other_failures_500)
{
    http_request *req = http_double_new("GET", "/x");
    api_reply_pool_busy(req, RA_ERR_CANCELLED, "recordings being checked", NULL);
    cr_assert_eq(http_double_status(req), 503);
    cr_assert_null(http_double_reply_header(req, "Retry-After"));
    cr_assert_str_eq(error_code(req), "UNAVAILABLE");
    http_double_free(req);

    req = http_double_new("GET", "/x");
    api_reply_pool_busy(req, RA_ERR_NOMEM, "recordings being checked", NULL);
    cr_assert_eq(http_double_status(req), 500);
    cr_assert_null(http_double_reply_header(req, "Retry-After"));
    cr_assert_str_eq(error_code(req), "INTERNAL");
    http_double_free(req);
}

Test(pools, the_refusal_for_handlers_that_answer_their_own_way)
{
    api_refusal why = {.code = API_INVALID_REQUEST};
    api_pool_refusal(RA_ERR_REFUSED, "recordings being checked", &why);
    cr_assert_eq(why.code, API_UNAVAILABLE);
    cr_assert_eq(why.retry_after_s, API_POOL_RETRY_S);
    cr_assert_str_eq(why.field, "");
    api_pool_refusal(RA_ERR_CANCELLED, "recordings being checked", &why);
    cr_assert_eq(why.code, API_UNAVAILABLE);
    cr_assert_eq(why.retry_after_s, 0);
}

Test(pools, the_gate_passes_without_its_fifo)
{
    char dir[] = "/tmp/raportai-gate-XXXXXX";
    cr_assert_not_null(mkdtemp(dir));
    setenv("RAPORTAI_TEST_POOL_GATE", dir, 1);
    api_pool_gate("render"); /* no FIFO: returns at once */
    char path[128];
    snprintf(path, sizeof path, "%s/render", dir);
    FILE *f = fopen(path, "w"); /* a plain file is not a gate */
    cr_assert_not_null(f);
    fclose(f);
    api_pool_gate("render");
    unsetenv("RAPORTAI_TEST_POOL_GATE");
    remove(path);
    rmdir(dir);
}
