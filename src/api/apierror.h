/* apierror.h - the one catalogue of API errors: code, HTTP status, message.
 *
 * Used by the External API, and by every other JSON endpoint, so a code means
 * the same thing everywhere. Bodies look like
 *   {"error":{"code":"UNAUTHORIZED","message":"...","field":"..."}}
 * ("field" only when one input is at fault). The codes are the product
 * guide's where it names one. */
#ifndef RAPORTAI_API_APIERROR_H
#define RAPORTAI_API_APIERROR_H

#include <jansson.h>

#include "http/http.h"

#define API_ERRORS(X)                                                                              \
    X(INVALID_REQUEST, 400, "The request is malformed.")                                           \
    X(INVALID_METADATA, 400, "Metadata is invalid.")                                               \
    X(NO_EXAMS, 400, "The exam list is empty.")                                                    \
    X(TOO_MANY_EXAMS, 400, "At most 20 exams per request.")                                        \
    X(MISSING_ACCESSION, 400, "Accession number missing.")                                         \
    X(INVALID_SUT_CODE, 400, "SUT code format invalid: 5 to 7 digits.")                            \
    X(INVALID_AUDIO, 400, "Audio file is invalid.")                                                \
    X(INVALID_CALLBACK_URL, 400, "The callback URL must be an absolute https URL.")                \
    X(UNSUPPORTED_LANGUAGE, 400, "No speech engine is configured for this language.")              \
    X(INSUFFICIENT_CREDITS, 402, "Not enough report credits.")                                     \
    X(DUPLICATE_SUBMISSION, 409, "Same audio already submitted.")                                  \
    X(AUDIO_TOO_LARGE, 413, "The audio file is larger than the limit.")                            \
    X(AUDIO_TOO_LONG, 400, "The recording is longer than the job's credits cover.")                \
    X(INVALID_TEMPLATE, 400, "The template is invalid.")                                           \
    X(UNAUTHORIZED, 401, "API key missing or invalid.")                                            \
    X(UNAUTHENTICATED, 401, "Sign in first; the session is missing or has ended.")                 \
    X(INVALID_CREDENTIALS, 401, "The e-mail or password is wrong.")                                \
    X(CSRF_FAILED, 403, "The request does not carry this session's CSRF token.")                   \
    X(USER_SUSPENDED, 403,                                                                         \
      "The platform suspended this user; only a platform administrator can lift it.")              \
    X(FORBIDDEN, 403, "This API key may not use the External API.")                                \
    X(NOT_FOUND, 404, "Not found.")                                                                \
    X(METHOD_NOT_ALLOWED, 405, "This method is not allowed on this path.")                         \
    X(ALREADY_EXISTS, 409, "It exists already.")                                                   \
    X(CONFLICT, 409, "The object's state does not allow this.")                                    \
    X(INSUFFICIENT_BALANCE, 409, "The balance would become negative.")                             \
    X(LIMIT_REACHED, 409, "As many of these exist as are allowed; remove one first.")              \
    X(PAYLOAD_TOO_LARGE, 413, "The request body is too large.")                                    \
    X(UNSUPPORTED_MEDIA_TYPE, 415, "Send the body as application/json.")                           \
    X(RATE_LIMIT, 429, "Request limit exceeded; retry after the time in Retry-After.")             \
    X(LOGIN_LOCKED, 429, "Too many failed sign-ins; retry after the time in Retry-After.")         \
    X(INTERNAL, 500, "Internal error; the request id identifies it in the server log.")            \
    X(UNAVAILABLE, 503, "The service is not available right now.")

typedef enum {
#define API_ERROR_ENUM(code, status, message) API_##code,
    API_ERRORS(API_ERROR_ENUM)
#undef API_ERROR_ENUM
} api_error;

unsigned api_error_status(api_error e);
const char *api_error_code(api_error e);

/* The error body; message NULL uses the catalogue's, field may be NULL.
 * Returns a new reference (NULL only when out of memory). */
json_t *api_error_body(api_error e, const char *message, const char *field);

/* Replies with the error; extra (may be NULL) is merged into the top level of
 * the body and its reference taken. */
void api_reply_error(http_request *req, api_error e, const char *message, const char *field,
                     json_t *extra);

#endif
