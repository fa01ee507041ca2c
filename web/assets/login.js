/* login.js - the one sign-in module of the four sign-in pages.
 *
 * The page holds <form data-path="user|corporate|admin|accounting"> with
 * inputs named email and password, a submit button and an aria-live
 * element #login-status. Submitting posts {path, email, password} to
 * POST /api/v1/auth/login; on success the browser goes to the reply's
 * redirect (a same-site path). A refusal shows the server's answer: the
 * same message whether the password or the role was wrong. 429
 * LOGIN_LOCKED shows how long to wait and keeps the button disabled that
 * long. A visitor already signed in on this page's path goes straight on. */

import { api, loadSession, setCsrfToken, errorText } from './api.js';
import { initPublicPage, HOME_BY_PATH } from './layout.js';
import { setStatus, setStatusText } from './dom.js';

const MAX_LOCK_SECONDS = 3600;

function safeRedirect(target, path) {
    if (typeof target === 'string' && target.startsWith('/') && !target.startsWith('//')) {
        return target;
    }
    return HOME_BY_PATH[path] || '/';
}

function start() {
    initPublicPage();
    const form = document.querySelector('form[data-path]');
    if (!form) {
        return;
    }
    const path = form.dataset.path;
    const status = document.getElementById('login-status');
    const button = form.querySelector('button[type="submit"]');
    let lockTimer = null;

    loadSession().then((session) => {
        if (session && session.path === path) {
            window.location.replace(safeRedirect(session.redirect, path));
        }
    }).catch(() => { /* no session or no server: stay on the form */ });

    function lockFor(seconds) {
        const wait = Math.min(Math.max(Number(seconds) || 1, 1), MAX_LOCK_SECONDS);
        setStatus(status, 'error', 'err.LOGIN_LOCKED', { seconds: wait });
        button.disabled = true;
        clearTimeout(lockTimer);
        lockTimer = setTimeout(() => {
            button.disabled = false;
        }, wait * 1000);
    }

    form.addEventListener('submit', async (event) => {
        event.preventDefault();
        const email = form.elements.email.value.trim();
        const password = form.elements.password.value;
        if (!email || !password) {
            setStatus(status, 'error', 'login.missing');
            (email ? form.elements.password : form.elements.email).focus();
            return;
        }
        button.disabled = true;
        setStatus(status, 'info', 'login.submitting');
        try {
            const reply = await api('POST', '/api/v1/auth/login', { path, email, password },
                { noRedirect: true });
            setCsrfToken(reply.csrfToken);
            setStatus(status, 'success', 'login.success');
            window.location.assign(safeRedirect(reply.redirect, path));
        } catch (err) {
            form.elements.password.value = '';
            form.elements.password.focus();
            if (err.code === 'LOGIN_LOCKED') {
                lockFor(err.retryAfter);
                return;
            }
            setStatusText(status, 'error', errorText(err));
            button.disabled = false;
        }
    });
}

start();
