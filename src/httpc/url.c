/* url.c - URLs httpc sends to (see url.h): their parts as curl reads
 * them, the check a configured server's URL passes, and origins. Owns the
 * curl_url_* calls. */
#include "httpc/url.h"

#include <curl/curl.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "core/err.h"
#include "core/text.h"

/* Copies part of u into out, cut to outlen bytes; "" when the URL has no
 * such part. RA_ERR_NOMEM when curl cannot allocate. */
static int read_part(CURLU *u, CURLUPart part, char *out, size_t outlen)
{
    char *v = NULL;
    CURLUcode uc = curl_url_get(u, part, &v, 0);
    snprintf(out, outlen, "%s", uc == CURLUE_OK && v != NULL ? v : "");
    curl_free(v);
    return uc == CURLUE_OUT_OF_MEMORY ? RA_ERR_NOMEM : RA_OK;
}

/* Fills out from the parsed URL u. */
static int read_parts(CURLU *u, httpc_url_parts *out)
{
    /* Parts a check refuses whatever they hold: only their presence is kept. */
    const struct {
        CURLUPart part;
        int *flag;
    } present[] = {
        {CURLUPART_USER, &out->has_credentials},
        {CURLUPART_PASSWORD, &out->has_credentials},
        {CURLUPART_OPTIONS, &out->has_credentials},
        {CURLUPART_FRAGMENT, &out->has_fragment_or_zone},
        {CURLUPART_ZONEID, &out->has_fragment_or_zone},
    };
    int rc = read_part(u, CURLUPART_SCHEME, out->scheme, sizeof out->scheme);
    if (rc == RA_OK)
        rc = read_part(u, CURLUPART_HOST, out->host, sizeof out->host);
    if (rc == RA_OK)
        rc = read_part(u, CURLUPART_PORT, out->port, sizeof out->port);
    for (size_t i = 0; rc == RA_OK && i < sizeof present / sizeof present[0]; i++) {
        char probe[2];
        rc = read_part(u, present[i].part, probe, sizeof probe);
        if (probe[0] != '\0')
            *present[i].flag = 1;
    }
    return rc;
}

int httpc_url_parse(const char *url, httpc_url_parts *out, char *err, size_t errlen)
{
    *out = (httpc_url_parts){0};
    CURLU *u = curl_url();
    if (u == NULL)
        return ra_fail(err, errlen, RA_ERR_NOMEM, "Out of memory.");
    CURLUcode uc = curl_url_set(u, CURLUPART_URL, url, CURLU_NON_SUPPORT_SCHEME);
    int rc = uc == CURLUE_OUT_OF_MEMORY ? RA_ERR_NOMEM
             : uc != CURLUE_OK          ? RA_ERR_INVALID
                                        : read_parts(u, out);
    curl_url_cleanup(u);
    if (rc == RA_ERR_NOMEM)
        return ra_fail(err, errlen, rc, "Out of memory.");
    if (rc != RA_OK)
        return ra_fail(err, errlen, rc, "The URL is not valid.");
    return RA_OK;
}

/* Checks the parts of a parsed URL (see httpc_check_url). */
static int check_url_parts(const httpc_url_parts *u, char *err, size_t errlen)
{
    if (strcasecmp(u->scheme, "http") != 0 && strcasecmp(u->scheme, "https") != 0)
        return ra_fail(err, errlen, RA_ERR_INVALID, "The URL must start with http:// or https://.");
    if (u->host[0] == '\0')
        return ra_fail(err, errlen, RA_ERR_INVALID, "The URL has no host.");
    if (u->has_credentials)
        return ra_fail(err, errlen, RA_ERR_INVALID,
                       "The URL must not carry a user name or password (give the key "
                       "separately).");
    if (u->has_fragment_or_zone)
        return ra_fail(err, errlen, RA_ERR_INVALID,
                       "The URL must not have a fragment or an IPv6 zone.");
    return RA_OK;
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
    httpc_url_parts parts;
    int rc = httpc_url_parse(url, &parts, err, errlen);
    return rc != RA_OK ? rc : check_url_parts(&parts, err, errlen);
}

void httpc_url_origin(const char *url, char *out, size_t outlen)
{
    httpc_url_parts u;
    if (outlen == 0)
        return;
    if (url == NULL || httpc_url_parse(url, &u, NULL, 0) != RA_OK || u.host[0] == '\0')
        snprintf(out, outlen, "?");
    else if (u.port[0] != '\0')
        snprintf(out, outlen, "%s://%s:%s", u.scheme, u.host, u.port);
    else
        snprintf(out, outlen, "%s://%s", u.scheme, u.host);
}
