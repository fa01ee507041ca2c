/* url.c - URLs of the servers httpc talks to (see url.h): checking a
 * configured URL and naming its origin. Owns the curl_url_* calls. */
#include "httpc/url.h"

#include <curl/curl.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "core/err.h"
#include "core/text.h"

/* True when curl_url_get finds a non-empty part in u. */
static int has_part(CURLU *u, CURLUPart part)
{
    char *v = NULL;
    int present = curl_url_get(u, part, &v, 0) == CURLUE_OK && v != NULL && v[0] != '\0';
    curl_free(v);
    return present;
}

/* Checks the parts of a parsed URL (see httpc_check_url). */
static int check_url_parts(CURLU *u, char *err, size_t errlen)
{
    char *scheme = NULL;
    int rc = RA_OK;
    if (curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
        (strcasecmp(scheme, "http") != 0 && strcasecmp(scheme, "https") != 0))
        rc = ra_fail(err, errlen, RA_ERR_INVALID, "The URL must start with http:// or https://.");
    else if (!has_part(u, CURLUPART_HOST))
        rc = ra_fail(err, errlen, RA_ERR_INVALID, "The URL has no host.");
    else if (has_part(u, CURLUPART_USER) || has_part(u, CURLUPART_PASSWORD) ||
             has_part(u, CURLUPART_OPTIONS))
        rc = ra_fail(err, errlen, RA_ERR_INVALID,
                     "The URL must not carry a user name or password (give the key "
                     "separately).");
    else if (has_part(u, CURLUPART_FRAGMENT) || has_part(u, CURLUPART_ZONEID))
        rc = ra_fail(err, errlen, RA_ERR_INVALID,
                     "The URL must not have a fragment or an IPv6 zone.");
    curl_free(scheme);
    return rc;
}

int httpc_check_url(const char *url, char *err, size_t errlen)
{
    size_t len = url != NULL ? strlen(url) : 0;
    if (len == 0 || !text_is_token(url, len))
        return ra_fail(err, errlen, RA_ERR_INVALID,
                       "The URL must be printable ASCII without spaces.");
    if (len > HTTPC_MAX_URL_LEN)
        return ra_fail(err, errlen, RA_ERR_INVALID, "The URL is longer than %d characters.",
                       HTTPC_MAX_URL_LEN);
    const char *sep = strstr(url, "://");
    if (sep == NULL || sep[3] == '\0' || sep[3] == '/' || sep[3] == '?' || strchr(url, '#'))
        return ra_fail(err, errlen, RA_ERR_INVALID,
                       "The URL must be absolute (http://host/...), without a fragment.");
    CURLU *u = curl_url();
    if (u == NULL)
        return ra_fail(err, errlen, RA_ERR_NOMEM, "Out of memory.");
    CURLUcode uc = curl_url_set(u, CURLUPART_URL, url, CURLU_NON_SUPPORT_SCHEME);
    int rc = uc == CURLUE_OUT_OF_MEMORY ? ra_fail(err, errlen, RA_ERR_NOMEM, "Out of memory.")
             : uc != CURLUE_OK ? ra_fail(err, errlen, RA_ERR_INVALID, "The URL is not valid.")
                               : check_url_parts(u, err, errlen);
    curl_url_cleanup(u);
    return rc;
}

void httpc_url_origin(const char *url, char *out, size_t outlen)
{
    if (outlen == 0)
        return;
    snprintf(out, outlen, "?");
    CURLU *u = url != NULL ? curl_url() : NULL;
    char *scheme = NULL, *host = NULL, *port = NULL;
    if (u != NULL && curl_url_set(u, CURLUPART_URL, url, CURLU_NON_SUPPORT_SCHEME) == CURLUE_OK &&
        curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) == CURLUE_OK &&
        curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK) {
        if (curl_url_get(u, CURLUPART_PORT, &port, 0) == CURLUE_OK)
            snprintf(out, outlen, "%s://%s:%s", scheme, host, port);
        else
            snprintf(out, outlen, "%s://%s", scheme, host);
    }
    curl_free(scheme);
    curl_free(host);
    curl_free(port);
    curl_url_cleanup(u);
}
