/* pilot.js - the pilot view (pilot.html) for managers and technical users:
 * the organization's 50 latest External API jobs (GET /api/v1/org/jobs?state=)
 * with their state, exam count, error and callback delivery; each job's
 * callback attempts (attempt, time, HTTP status, error) open in a row below
 * it. A state filter, a refresh button, and a short go-live checklist. */

import { api, errorText } from './api.js';
import { initPage } from './layout.js';
import { h, clear, badge, setStatus, setStatusText } from './dom.js';
import { t, hasKey, formatDateTime } from './i18n.js';
import { CORPORATE_NAV, withBusy, formatNumber, textOrDash } from './console-ui.js';

const COLUMNS = 8;
const CALLBACK_CLASSES = { delivered: 'completed', pending: 'pending', failed: 'failed' };

let jobs = [];
let loadedAt = null;
const expanded = new Set();

function $(id) {
    return document.getElementById(id);
}

function callbackBadge(status) {
    const key = 'pilot.cb.' + status;
    return h('span', {
        class: 'badge badge--' + (CALLBACK_CLASSES[status] || 'muted'),
        i18n: hasKey(key) ? key : null,
        text: hasKey(key) ? null : status
    });
}

function attemptsTable(job) {
    const attempts = (job.callback && job.callback.attempts) || [];
    if (!attempts.length) {
        return h('p', { class: 'muted', i18n: 'pilot.noAttempts' });
    }
    return h('div', { class: 'table-wrap' }, h('table', { class: 'table table--inner' }, [
        h('caption', { i18n: 'pilot.attemptsOf', i18nVars: { job: job.jobId } }),
        h('thead', null, h('tr', null, [
            h('th', { scope: 'col', class: 'num', i18n: 'pilot.col.attempt' }),
            h('th', { scope: 'col', i18n: 'pilot.col.at' }),
            h('th', { scope: 'col', i18n: 'pilot.col.http' }),
            h('th', { scope: 'col', i18n: 'pilot.col.error' })
        ])),
        h('tbody', null, attempts.map((a) => h('tr', null, [
            h('td', { class: 'num', text: formatNumber(a.attempt) }),
            h('td', { class: 'nowrap', text: formatDateTime(a.at) }),
            h('td', { class: 'mono', text: a.httpStatus ? String(a.httpStatus) : t('common.none') }),
            h('td', { text: textOrDash(a.error) })
        ])))
    ]));
}

function detailRow(job, id) {
    const cb = job.callback || {};
    return h('tr', { id, class: 'detail-row', hidden: !expanded.has(job.jobId) }, h('td', { colspan: COLUMNS }, [
        h('dl', { class: 'facts' }, [
            h('dt', { i18n: 'pilot.jobId' }), h('dd', { class: 'mono', text: job.jobId }),
            h('dt', { i18n: 'pilot.callbackUrl' }), h('dd', { class: 'mono', text: textOrDash(cb.url) })
        ]),
        attemptsTable(job)
    ]));
}

function callbackCell(job, detailId) {
    const cb = job.callback;
    if (!cb || !cb.url) {
        return h('td', { class: 'muted', i18n: 'pilot.noCallback' });
    }
    const count = (cb.attempts || []).length;
    const toggle = h('button', {
        type: 'button', class: 'btn btn-small btn-ghost', 'aria-expanded': expanded.has(job.jobId) ? 'true' : 'false',
        'aria-controls': detailId, dataset: { job: job.jobId }
    }, [h('span', { i18n: 'pilot.attempts', i18nVars: { n: count } })]);
    toggle.addEventListener('click', () => {
        const open = toggle.getAttribute('aria-expanded') !== 'true';
        toggle.setAttribute('aria-expanded', open ? 'true' : 'false');
        $(detailId).hidden = !open;
        if (open) {
            expanded.add(job.jobId);
        } else {
            expanded.delete(job.jobId);
        }
    });
    return h('td', null, h('div', { class: 'cell-stack' }, [cb.status ? callbackBadge(cb.status) : null, toggle]));
}

function jobRows(job, i) {
    const detailId = 'job-detail-' + i;
    const kindKey = 'pilot.kind.' + job.kind;
    const main = h('tr', { dataset: { job: job.jobId, status: job.status } }, [
        h('td', { class: 'mono nowrap', title: job.jobId, text: String(job.jobId || '').slice(0, 8) }),
        h('td', { i18n: hasKey(kindKey) ? kindKey : null, text: hasKey(kindKey) ? null : textOrDash(job.kind) }),
        h('td', null, badge(job.status)),
        h('td', { class: 'nowrap', text: formatDateTime(job.createdAt) }),
        h('td', { class: 'nowrap', text: job.finishedAt ? formatDateTime(job.finishedAt) : t('common.none') }),
        h('td', { class: 'num', text: formatNumber(job.examCount) }),
        h('td', { class: 'mono', title: job.errorMessage || null, text: textOrDash(job.errorCode) }),
        callbackCell(job, detailId)
    ]);
    return [main, detailRow(job, detailId)];
}

function render() {
    const tbody = document.querySelector('#jobs-table tbody');
    clear(tbody);
    if (!jobs.length) {
        tbody.append(h('tr', null, h('td', { class: 'empty', colspan: COLUMNS, i18n: 'pilot.none' })));
    }
    jobs.forEach((job, i) => tbody.append(...jobRows(job, i)));
    const updated = $('jobs-updated');
    if (loadedAt) {
        updated.setAttribute('data-i18n', 'console.updatedAt');
        updated.setAttribute('data-i18n-vars', JSON.stringify({ time: formatDateTime(loadedAt) }));
        updated.textContent = t('console.updatedAt', { time: formatDateTime(loadedAt) });
    }
}

async function load() {
    const state = $('state-filter').value;
    setStatus($('jobs-status'), 'info', 'common.loading');
    try {
        const reply = await api('GET', '/api/v1/org/jobs' + (state ? '?state=' + encodeURIComponent(state) : ''));
        jobs = reply.items || [];
        loadedAt = new Date().toISOString();
        render();
        setStatus($('jobs-status'), null, 'pilot.count', { n: jobs.length });
    } catch (err) {
        setStatusText($('jobs-status'), 'error', errorText(err));
    }
}

async function start() {
    const session = await initPage({ path: 'corporate', nav: CORPORATE_NAV });
    if (!session) {
        return;
    }
    if (!['manager', 'technical'].includes(session.user.role)) {
        window.location.replace('/organization.html');
        return;
    }
    const form = $('filter-form');
    form.addEventListener('submit', (event) => {
        event.preventDefault();
        withBusy($('jobs-refresh'), load);
    });
    $('state-filter').addEventListener('change', () => withBusy($('jobs-refresh'), load));
    window.addEventListener('raportai:lang', render);
    await load();
}

start();
