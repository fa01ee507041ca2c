/* api.js - how pages talk to the web API (/api/v1, docs/web-api.md).
 *
 *   api(method, path, body, options)     JSON request; resolves to the parsed
 *                                         reply (null for 204).
 *   apiForm(method, path, formData, options)   the same with a FormData body
 *                                         (multipart; the browser sets the
 *                                         boundary), for uploads.
 *   loadSession()                         GET /api/v1/session: the session or
 *                                         null; keeps its csrfToken in memory.
 *   setCsrfToken(token), setSignInPage(url)
 *   errorText(err)                        the message to show for a thrown error.
 *   SIGN_IN_PAGES                          sign-in page of each path.
 *
 * Every request goes same-origin with the session cookie; POST, PUT, PATCH
 * and DELETE carry X-CSRF-Token. A failed request throws an ApiError with
 * .status (0 when the server was not reached), .code (the server's error
 * code, or NETWORK / TIMEOUT), .field, .retryAfter (seconds, from the
 * Retry-After header) and .message (the server's sentence). A 401 sends the
 * browser to the page's sign-in page unless options.noRedirect is set.
 * options.timeoutMs bounds the wait (default 30 s, uploads 180 s). */

import { t, hasKey } from './i18n.js';

export const SIGN_IN_PAGES = {
    user: '/login.html',
    corporate: '/kurumsal-login.html',
    admin: '/admin-login.html',
    accounting: '/accounting-login.html'
};

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const DEFAULT_TIMEOUT_MS = 30000;
const UPLOAD_TIMEOUT_MS = 180000;

let csrfToken = null;
let signInPage = SIGN_IN_PAGES.user;

export class ApiError extends Error {
    constructor(status, code, message, field, retryAfter) {
        super(message || code);
        this.name = 'ApiError';
        this.status = status;
        this.code = code;
        this.field = field || null;
        this.retryAfter = retryAfter;
    }
}

export function setCsrfToken(token) {
    csrfToken = token || null;
}

export function setSignInPage(url) {
    signInPage = url;
}

/** Where a 401 sends the browser. */
export function currentSignInPage() {
    return signInPage;
}

async function readBody(resp) {
    if (resp.status === 204) {
        return null;
    }
    const type = resp.headers.get('Content-Type') || '';
    if (type.includes('application/json')) {
        try {
            return await resp.json();
        } catch (e) {
            return null;
        }
    }
    return await resp.text();
}

function toError(resp, body) {
    const e = body && typeof body === 'object' && body.error ? body.error : {};
    const retry = Number.parseInt(resp.headers.get('Retry-After') || '', 10);
    return new ApiError(resp.status, e.code || 'HTTP_' + resp.status, e.message || '', e.field,
        Number.isFinite(retry) ? retry : undefined);
}

async function send(method, path, init, options) {
    const opts = options || {};
    const headers = init.headers;
    headers['Accept'] = 'application/json';
    if (STATE_CHANGING.has(method) && csrfToken) {
        headers['X-CSRF-Token'] = csrfToken;
    }
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), opts.timeoutMs || DEFAULT_TIMEOUT_MS);
    let resp;
    try {
        resp = await fetch(path, {
            method,
            headers,
            body: init.body,
            credentials: 'same-origin',
            cache: 'no-store',
            signal: controller.signal
        });
    } catch (err) {
        const timedOut = err && err.name === 'AbortError';
        throw new ApiError(0, timedOut ? 'TIMEOUT' : 'NETWORK',
            t(timedOut ? 'err.timeout' : 'err.network'));
    } finally {
        clearTimeout(timer);
    }
    const body = await readBody(resp);
    if (!resp.ok) {
        const error = toError(resp, body);
        if (resp.status === 401 && !opts.noRedirect) {
            window.location.replace(signInPage);
        }
        throw error;
    }
    return body;
}

/** A JSON request: body (any JSON value) is sent as application/json. */
export function api(method, path, body, options) {
    const m = method.toUpperCase();
    const init = { headers: {} };
    if (body !== undefined && body !== null) {
        init.headers['Content-Type'] = 'application/json';
        init.body = JSON.stringify(body);
    }
    return send(m, path, init, options);
}

/** A multipart request with a FormData body. */
export function apiForm(method, path, formData, options) {
    const opts = Object.assign({ timeoutMs: UPLOAD_TIMEOUT_MS }, options || {});
    return send(method.toUpperCase(), path, { headers: {}, body: formData }, opts);
}

/** The signed-in session, or null when there is none (no redirect). */
export async function loadSession() {
    try {
        const session = await api('GET', '/api/v1/session', undefined, { noRedirect: true });
        setCsrfToken(session && session.csrfToken);
        return session;
    } catch (err) {
        if (err.status === 401) {
            setCsrfToken(null);
            return null;
        }
        throw err;
    }
}

/** The message to show for err: our translation of a known error code,
 *  otherwise the server's own sentence (validation errors say exactly what
 *  is wrong), otherwise a generic one. */
export function errorText(err) {
    if (!err) {
        return t('err.generic');
    }
    const key = 'err.' + err.code;
    if (err.code && hasKey(key)) {
        return t(key, { seconds: err.retryAfter !== undefined ? err.retryAfter : '…' });
    }
    return err.message || t('err.generic');
}
