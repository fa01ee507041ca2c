/* api-keys.js - the organization's External API keys (api-keys.html),
 * managers only: the list (prefix, label, who created it and when, last use,
 * use count, state), creating a key (the whole key is shown once, in a
 * dialog with a copy button), renaming, rotating with a grace period for the
 * old key (0-168 hours) and revoking. Endpoints: GET/POST /api/v1/org/keys,
 * PATCH /api/v1/org/keys/{id}, POST /api/v1/org/keys/{id}/rotate|revoke. */

import { api, errorText } from './api.js';
import { initPage } from './layout.js';
import { h, setStatus, setStatusText, clearFieldErrors } from './dom.js';
import { t, formatDateTime } from './i18n.js';
import {
    CORPORATE_NAV, confirmAction, formDialog, secretDialog, formValues, showApiError, showProblems,
    withBusy, rowsOrEmpty, keepFocus, formatNumber, whoText, textOrDash
} from './console-ui.js';

const MAX_GRACE_HOURS = 168;
const DEFAULT_GRACE_HOURS = 24;

let keys = [];
let focusFrom = null; /* {id, action}: the key row and button last used */

function $(id) {
    return document.getElementById(id);
}

function keyUrl(k, action) {
    return '/api/v1/org/keys/' + encodeURIComponent(k.id) + (action ? '/' + action : '');
}

/** 'active' | 'expiring' | 'expired' | 'revoked'. */
function keyState(k) {
    if (['active', 'expiring', 'expired', 'revoked'].includes(k.status)) {
        return k.status;
    }
    if (k.revokedAt) {
        return 'revoked';
    }
    if (k.expiresAt) {
        return Date.parse(k.expiresAt) <= Date.now() ? 'expired' : 'expiring';
    }
    return 'active';
}

function stateBadge(k) {
    const s = keyState(k);
    const vars = s === 'expiring' ? { time: formatDateTime(k.expiresAt) }
        : s === 'revoked' ? { time: formatDateTime(k.revokedAt) } : null;
    return h('span', { class: 'badge badge--' + s, i18n: 'keys.state.' + s, i18nVars: vars });
}

function actionButton(key, action, label, danger) {
    return h('button', {
        type: 'button', class: 'btn btn-small' + (danger ? ' btn-danger' : ''), dataset: { action }
    }, [h('span', { i18n: key }), h('span', { class: 'sr-only', text: ': ' + label })]);
}

function keyRow(k) {
    const s = keyState(k);
    const label = k.label || k.prefix;
    const buttons = [];
    if (s === 'active' || s === 'expiring') {
        buttons.push(actionButton('keys.rename', 'rename', label, false));
        if (s === 'active') {
            buttons.push(actionButton('keys.rotate', 'rotate', label, false));
        }
        buttons.push(actionButton('keys.revoke', 'revoke', label, true));
    }
    const actions = h('td', { class: 'actions actions--wrap' }, buttons);
    actions.addEventListener('click', (event) => {
        const button = event.target.closest('button[data-action]');
        if (button) {
            keyAction(button.dataset.action, k);
        }
    });
    return h('tr', { dataset: { id: k.id, prefix: k.prefix || '', state: s } }, [
        h('td', { class: 'mono nowrap', text: (k.prefix || '') + '…' }),
        h('td', { text: textOrDash(k.label) }),
        h('td', { class: 'wrap-anywhere', text: whoText(k.createdBy) }),
        h('td', { class: 'nowrap', text: formatDateTime(k.createdAt) }),
        h('td', { class: 'nowrap', text: k.lastUsedAt ? formatDateTime(k.lastUsedAt) : t('keys.never') }),
        h('td', { class: 'num', text: formatNumber(k.useCount || 0) }),
        h('td', null, stateBadge(k)),
        actions
    ]);
}

function render() {
    const tbody = document.querySelector('#keys-table tbody');
    keepFocus(tbody, () => rowsOrEmpty(tbody, keys.map(keyRow), 'keys.none', 8), focusFrom);
}

async function load() {
    try {
        const reply = await api('GET', '/api/v1/org/keys');
        keys = reply.items || [];
        render();
    } catch (err) {
        setStatusText($('page-status'), 'error', errorText(err));
    }
}

function keyNote(key, vars) {
    return h('p', { i18n: key, i18nVars: vars });
}

async function createKey(form) {
    const status = $('page-status');
    clearFieldErrors(form);
    setStatus(status);
    const values = formValues(form);
    if (showProblems(form, values.label ? [] : [['label', t('console.required')]])) {
        return;
    }
    let created = null;
    await withBusy(form.querySelector('button[type="submit"]'), async () => {
        try {
            created = await api('POST', '/api/v1/org/keys', { label: values.label });
        } catch (err) {
            showApiError(form, status, err);
        }
    });
    if (!created) {
        return;
    }
    form.reset();
    await load();
    await secretDialog({
        titleKey: 'keys.createdTitle',
        secret: created.key,
        notes: [keyNote('keys.createdNote', { label: values.label })]
    });
    setStatus(status, 'success', 'keys.created', { label: values.label });
}

async function renameKey(k) {
    const done = await formDialog({
        titleKey: 'keys.renameTitle',
        titleVars: { prefix: k.prefix },
        fields: [{ name: 'label', labelKey: 'keys.label', value: k.label || '', required: true }],
        check: (values) => (values.label ? [] : [['label', t('console.required')]]),
        submit: (values) => api('PATCH', keyUrl(k), { label: values.label })
    });
    if (done) {
        setStatus($('page-status'), 'success', 'keys.renamed');
        await load();
    }
}

function graceProblems(values) {
    const n = Number(values.graceHours);
    if (values.graceHours === '' || !Number.isInteger(n) || n < 0 || n > MAX_GRACE_HOURS) {
        return [['graceHours', t('keys.graceBad', { max: MAX_GRACE_HOURS })]];
    }
    return [];
}

/** When the rotated key stops working: the reply's "previous" key, else
 *  the reloaded list. */
function oldKeyUntil(reply, oldId) {
    const old = reply.previous || keys.find((x) => x.id === oldId);
    return old ? old.expiresAt || old.revokedAt : null;
}

async function rotateKey(k) {
    const reply = await formDialog({
        titleKey: 'keys.rotateTitle',
        titleVars: { prefix: k.prefix },
        leadKey: 'keys.rotateLead',
        fields: [{
            name: 'graceHours', labelKey: 'keys.grace', type: 'number', value: DEFAULT_GRACE_HOURS,
            min: 0, max: MAX_GRACE_HOURS, step: 1, hintKey: 'keys.graceHint', hintVars: { max: MAX_GRACE_HOURS }
        }],
        submitKey: 'keys.rotate',
        check: graceProblems,
        submit: (values) => api('POST', keyUrl(k, 'rotate'), { graceHours: Number(values.graceHours) })
    });
    if (!reply || reply === true) {
        return;
    }
    await load();
    const until = oldKeyUntil(reply, k.id);
    const note = until && Date.parse(until) > Date.now()
        ? keyNote('keys.oldWorksUntil', { prefix: k.prefix, time: formatDateTime(until) })
        : keyNote('keys.oldStopped', { prefix: k.prefix });
    note.id = 'old-key-until';
    await secretDialog({ titleKey: 'keys.rotatedTitle', secret: reply.key, notes: [note] });
    setStatus($('page-status'), 'success', 'keys.rotated', { prefix: k.prefix });
}

async function revokeKey(k) {
    const sure = await confirmAction({
        titleKey: 'keys.revokeTitle', textKey: 'keys.revokeText',
        vars: { prefix: k.prefix, label: k.label || '' }, confirmKey: 'keys.revoke'
    });
    if (!sure) {
        return;
    }
    try {
        await api('POST', keyUrl(k, 'revoke'), {});
        setStatus($('page-status'), 'success', 'keys.revoked', { prefix: k.prefix });
        await load();
    } catch (err) {
        setStatusText($('page-status'), 'error', errorText(err));
    }
}

function keyAction(action, k) {
    focusFrom = { id: k.id, action };
    if (action === 'rename') {
        renameKey(k);
    } else if (action === 'rotate') {
        rotateKey(k);
    } else if (action === 'revoke') {
        revokeKey(k);
    }
}

async function start() {
    const session = await initPage({ path: 'corporate', nav: CORPORATE_NAV });
    if (!session) {
        return;
    }
    if (session.user.role !== 'manager') {
        window.location.replace('/organization.html');
        return;
    }
    const form = $('create-form');
    form.addEventListener('submit', (event) => {
        event.preventDefault();
        createKey(form);
    });
    $('keys-refresh').addEventListener('click', (event) => withBusy(event.currentTarget, load));
    window.addEventListener('raportai:lang', render);
    await load();
}

start();
