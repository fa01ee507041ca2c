/* register.js - an organization's self-registration (register.html):
 * POST /api/v1/auth/register, then the "waiting for approval" message.
 * Checks what it can before sending (required fields, password length and
 * repetition) and shows the server's refusal next to the field it names. */

import { api, errorText } from './api.js';
import { initPublicPage } from './layout.js';
import { setStatus, setStatusText, showFieldError, clearFieldErrors } from './dom.js';
import { t } from './i18n.js';

const FIELDS = ['organizationName', 'organizationType', 'name', 'email', 'password'];
const MIN_PASSWORD = 8;

function localProblems(form) {
    const problems = [];
    for (const name of FIELDS.concat(['password2'])) {
        if (!form.elements[name].value.trim()) {
            problems.push([name, t('reg.missing')]);
        }
    }
    const password = form.elements.password.value;
    if (password && password.length < MIN_PASSWORD) {
        problems.push(['password', t('reg.tooShort')]);
    }
    if (form.elements.password2.value && password !== form.elements.password2.value) {
        problems.push(['password2', t('reg.mismatch')]);
    }
    return problems;
}

function start() {
    initPublicPage();
    const form = document.getElementById('register-form');
    const status = document.getElementById('register-status');
    const done = document.getElementById('register-done');
    const button = form.querySelector('button[type="submit"]');

    form.addEventListener('submit', async (event) => {
        event.preventDefault();
        clearFieldErrors(form);
        setStatus(status);
        const problems = localProblems(form);
        if (problems.length) {
            for (const [name, text] of problems) {
                showFieldError(form, name, text);
            }
            form.elements[problems[0][0]].focus();
            return;
        }
        const body = {};
        for (const name of FIELDS) {
            body[name] = name === 'password' ? form.elements[name].value : form.elements[name].value.trim();
        }
        button.disabled = true;
        setStatus(status, 'info', 'reg.submitting');
        try {
            await api('POST', '/api/v1/auth/register', body, { noRedirect: true });
            setStatus(status);
            form.hidden = true;
            done.hidden = false;
            document.getElementById('done-title').focus();
        } catch (err) {
            button.disabled = false;
            const text = errorText(err);
            if (err.field && showFieldError(form, err.field, text)) {
                form.elements[err.field].focus();
                setStatusText(status, 'error', text);
            } else {
                setStatusText(status, 'error', text);
            }
        }
    });
}

start();
