/* admin.js - the platform administrator's console (admin.html), in four tabs:
 *   organizations  every organization with its status (pending, active,
 *                  inactive: who deactivated it when), members and credits;
 *                  approve, deactivate, activate; create one with its
 *                  manager.
 *   users          search; activate or deactivate a user; suspend a user
 *                  or lift the suspension (the platform's block, which
 *                  the organization's managers cannot undo).
 *   jobs           jobs across the platform, by state, paged; failures with
 *                  their error code and message.
 *   health         queue depth, workers, speech engine and its languages,
 *                  database.
 * Endpoints: docs/web-api.md, "Platform staff". A tab loads when first shown;
 * its refresh button loads it again. */

import { api, errorText } from './api.js';
import { initPage } from './layout.js';
import { h, badge, setStatus, setStatusText, clearFieldErrors } from './dom.js';
import { t, hasKey, formatDate, formatDateTime } from './i18n.js';
import {
    ADMIN_NAV, confirmAction, formValues, showApiError, showProblems, withBusy, rowsOrEmpty, keepFocus,
    pager, initTabs, formatNumber, textOrDash, shortId
} from './console-ui.js';

const MIN_PASSWORD = 8;

const state = {
    session: null,
    orgs: [],
    users: { items: [], page: 1, total: 0, pageSize: 50 },
    jobs: { items: [], page: 1, total: 0, pageSize: 20 },
    health: null,
    healthAt: null,
    loaded: new Set(),
    focusFrom: null     /* {id, action}: the organization or user row and button last used */
};

function $(id) {
    return document.getElementById(id);
}

function translatedCell(prefix, value, props) {
    const key = prefix + value;
    return h('td', Object.assign({}, props || {}, hasKey(key) ? { i18n: key } : { text: textOrDash(value) }));
}

function button(key, action, label, cls) {
    return h('button', { type: 'button', class: 'btn btn-small ' + (cls || ''), dataset: { action } },
        [h('span', { i18n: key }), h('span', { class: 'sr-only', text: ': ' + label })]);
}

/* ---- organizations ------------------------------------------------------------ */

function orgStatusBadge(status) {
    const cls = { pending: 'pending', active: 'active', inactive: 'inactive' }[status] || 'muted';
    return h('span', { class: 'badge badge--' + cls, i18n: 'admin.org.' + status });
}

function orgActions(o) {
    const buttons = [];
    if (o.status === 'pending') {
        buttons.push(button('admin.approve', 'approve', o.name, 'btn-primary'));
    } else if (o.status === 'active') {
        buttons.push(button('admin.deactivate', 'deactivate', o.name, 'btn-danger'));
    } else {
        buttons.push(button('admin.activate', 'activate', o.name, ''));
    }
    const td = h('td', { class: 'actions actions--wrap' }, buttons);
    td.addEventListener('click', (event) => {
        const b = event.target.closest('button[data-action]');
        if (b) {
            orgAction(b, o);
        }
    });
    return td;
}

/* The status badge, and for a deactivated organization who did it when. */
function orgStatusCell(o) {
    const cell = [orgStatusBadge(o.status)];
    if (o.status === 'inactive' && o.deactivatedAt) {
        cell.push(h('div', {
            class: 'cell-note', i18n: 'admin.byWhom',
            i18nVars: { who: o.deactivatedBy || '', time: formatDateTime(o.deactivatedAt) }
        }));
    }
    return h('td', null, cell);
}

function orgRow(o) {
    return h('tr', { dataset: { id: o.id, name: o.name, status: o.status } }, [
        h('td', { text: o.name }),
        translatedCell('reg.type.', o.type),
        orgStatusCell(o),
        h('td', { class: 'num', text: formatNumber(o.memberCount) }),
        h('td', { class: 'num', text: formatNumber(o.credits) }),
        h('td', { class: 'nowrap', text: formatDate(o.createdAt) }),
        orgActions(o)
    ]);
}

function renderOrgs() {
    const filter = $('org-filter').value;
    const rows = state.orgs.filter((o) => !filter || o.status === filter).map(orgRow);
    const tbody = document.querySelector('#orgs-table tbody');
    keepFocus(tbody, () => rowsOrEmpty(tbody, rows, 'admin.noOrgs', 7), state.focusFrom);
}

async function loadOrgs() {
    try {
        const reply = await api('GET', '/api/v1/admin/organizations');
        state.orgs = reply.items || [];
        renderOrgs();
    } catch (err) {
        setStatusText($('orgs-status'), 'error', errorText(err));
    }
}

async function orgAction(b, o) {
    const action = b.dataset.action;
    state.focusFrom = { id: o.id, action };
    if (action === 'deactivate') {
        const sure = await confirmAction({
            titleKey: 'admin.deactivateOrgTitle', textKey: 'admin.deactivateOrgText',
            vars: { name: o.name }, confirmKey: 'admin.deactivate'
        });
        if (!sure) {
            return;
        }
    }
    await withBusy(b, async () => {
        try {
            await api('POST', '/api/v1/admin/organizations/' + encodeURIComponent(o.id) + '/' + action, {});
            setStatus($('orgs-status'), 'success', 'admin.org.done.' + action, { name: o.name });
            await loadOrgs();
        } catch (err) {
            setStatusText($('orgs-status'), 'error', errorText(err));
        }
    });
}

function initOrgForm() {
    const form = $('org-form');
    const status = $('org-form-status');
    form.addEventListener('submit', async (event) => {
        event.preventDefault();
        clearFieldErrors(form);
        setStatus(status);
        const values = formValues(form);
        const problems = [];
        for (const name of ['name', 'managerName', 'managerEmail']) {
            if (!values[name]) {
                problems.push([name, t('console.required')]);
            }
        }
        if (values.managerPassword.length < MIN_PASSWORD) {
            problems.push(['managerPassword', t('org.m.passwordShort')]);
        }
        if (showProblems(form, problems)) {
            return;
        }
        await withBusy(form.querySelector('button[type="submit"]'), async () => {
            try {
                await api('POST', '/api/v1/admin/organizations', values);
                form.reset();
                setStatus(status, 'success', 'admin.orgCreated', { name: values.name });
                await loadOrgs();
            } catch (err) {
                showApiError(form, status, err);
            }
        });
    });
    $('org-filter').addEventListener('change', renderOrgs);
    $('orgs-refresh').addEventListener('click', (event) => withBusy(event.currentTarget, loadOrgs));
}

/* ---- users -------------------------------------------------------------------------- */

/* The active badge, and while suspended a second badge with who did it
 * when. */
function userStateCell(u) {
    const cell = [h('span', {
        class: 'badge ' + (u.active ? 'badge--active' : 'badge--inactive'),
        i18n: u.active ? 'console.active' : 'console.inactive'
    })];
    if (u.suspended) {
        cell.push(' ', h('span', { class: 'badge badge--suspended', i18n: 'console.suspended' }));
        if (u.suspendedAt) {
            cell.push(h('div', {
                class: 'cell-note', i18n: 'admin.byWhom',
                i18nVars: { who: u.suspendedBy || '', time: formatDateTime(u.suspendedAt) }
            }));
        }
    }
    return h('td', null, cell);
}

function userRow(u) {
    const self = state.session && u.id === state.session.user.id;
    const label = u.name || u.email;
    const b = button(u.active ? 'admin.deactivate' : 'admin.activate', 'toggle', label, u.active ? 'btn-danger' : '');
    b.disabled = Boolean(self);
    b.addEventListener('click', () => toggleUser(b, u));
    const s = button(u.suspended ? 'admin.unsuspend' : 'admin.suspend', 'suspend', label, u.suspended ? '' : 'btn-danger');
    s.disabled = Boolean(self);
    s.addEventListener('click', () => suspendUser(s, u));
    return h('tr', { dataset: { id: u.id, email: u.email, suspended: u.suspended ? 'true' : 'false' } }, [
        h('td', { text: u.name || '' }),
        h('td', { class: 'wrap-anywhere', text: u.email }),
        translatedCell('role.', u.role),
        h('td', { text: textOrDash(u.organizationName) }),
        userStateCell(u),
        h('td', { class: 'actions actions--wrap' }, [b, s])
    ]);
}

function renderUsers() {
    const users = state.users;
    const tbody = document.querySelector('#users-table tbody');
    keepFocus(tbody, () => rowsOrEmpty(tbody, users.items.map(userRow), 'admin.noUsers', 6), state.focusFrom);
    pager($('users-pager'), users, (page) => loadUsers(page));
}

/** Loads a page of the search in the form (the first page without one). */
async function loadUsers(page) {
    const params = new URLSearchParams();
    const q = $('users-q').value.trim();
    if (q) {
        params.set('q', q);
    }
    params.set('page', String(page || 1));
    setStatus($('users-status'), 'info', 'common.loading');
    try {
        const reply = await api('GET', '/api/v1/admin/users?' + params.toString());
        const items = reply.items || [];
        state.users = {
            items,
            page: reply.page || page || 1,
            pageSize: reply.pageSize || 50,
            total: reply.total !== undefined ? reply.total : items.length
        };
        renderUsers();
        setStatus($('users-status'), null, 'admin.userCount', { n: state.users.total });
    } catch (err) {
        setStatusText($('users-status'), 'error', errorText(err));
    }
}

async function toggleUser(b, u) {
    const label = u.name || u.email;
    state.focusFrom = { id: u.id, action: 'toggle' };
    if (u.active) {
        const sure = await confirmAction({
            titleKey: 'admin.deactivateUserTitle', textKey: 'admin.deactivateUserText',
            vars: { name: label }, confirmKey: 'admin.deactivate'
        });
        if (!sure) {
            return;
        }
    }
    await withBusy(b, async () => {
        try {
            await api('PATCH', '/api/v1/admin/users/' + encodeURIComponent(u.id), { active: !u.active });
            await loadUsers(state.users.page);
            setStatus($('users-status'), 'success', u.active ? 'admin.userDeactivated' : 'admin.userActivated', { name: label });
        } catch (err) {
            setStatusText($('users-status'), 'error', errorText(err));
        }
    });
}

async function suspendUser(b, u) {
    const label = u.name || u.email;
    state.focusFrom = { id: u.id, action: 'suspend' };
    if (!u.suspended) {
        const sure = await confirmAction({
            titleKey: 'admin.suspendTitle', textKey: 'admin.suspendText',
            vars: { name: label }, confirmKey: 'admin.suspend'
        });
        if (!sure) {
            return;
        }
    }
    await withBusy(b, async () => {
        try {
            await api('POST', '/api/v1/admin/users/' + encodeURIComponent(u.id) + (u.suspended ? '/unsuspend' : '/suspend'), {});
            await loadUsers(state.users.page);
            setStatus($('users-status'), 'success', u.suspended ? 'admin.userUnsuspended' : 'admin.userSuspended', { name: label });
        } catch (err) {
            setStatusText($('users-status'), 'error', errorText(err));
        }
    });
}

function initUsers() {
    $('users-form').addEventListener('submit', (event) => {
        event.preventDefault();
        withBusy($('users-form').querySelector('button[type="submit"]'), () => loadUsers(1));
    });
}

/* ---- jobs ------------------------------------------------------------------------------ */

function jobRow(j) {
    const id = j.jobId;
    return h('tr', { dataset: { job: id, status: j.status } }, [
        h('td', { class: 'mono nowrap', title: id, text: shortId(id) }),
        h('td', { text: textOrDash(j.organizationName) }),
        translatedCell('pilot.kind.', j.kind),
        h('td', null, badge(j.status)),
        h('td', { class: 'nowrap', text: formatDateTime(j.createdAt) }),
        h('td', { class: 'nowrap', text: j.finishedAt ? formatDateTime(j.finishedAt) : t('common.none') }),
        h('td', { class: 'num', text: formatNumber(j.examCount) }),
        h('td', { class: 'mono', text: textOrDash(j.errorCode) }),
        h('td', { text: textOrDash(j.errorMessage) })
    ]);
}

function renderJobs() {
    const jobs = state.jobs;
    rowsOrEmpty(document.querySelector('#jobs-table tbody'), (jobs.items || []).map(jobRow), 'admin.noJobs', 9);
    pager($('jobs-pager'), jobs, (page) => loadJobs(page));
}

async function loadJobs(page) {
    const params = new URLSearchParams();
    const st = $('jobs-state').value;
    if (st) {
        params.set('state', st);
    }
    params.set('page', String(page || 1));
    setStatus($('jobs-status'), 'info', 'common.loading');
    try {
        const reply = await api('GET', '/api/v1/admin/jobs?' + params.toString());
        state.jobs = {
            items: reply.items || [],
            page: reply.page || page || 1,
            pageSize: reply.pageSize || 20,
            total: reply.total !== undefined ? reply.total : (reply.items || []).length
        };
        renderJobs();
        setStatus($('jobs-status'), null, 'admin.jobCount', { n: state.jobs.total });
    } catch (err) {
        setStatusText($('jobs-status'), 'error', errorText(err));
    }
}

function initJobs() {
    $('jobs-form').addEventListener('submit', (event) => {
        event.preventDefault();
        withBusy($('jobs-refresh'), () => loadJobs(1));
    });
    $('jobs-state').addEventListener('change', () => loadJobs(1));
}

/* ---- health ------------------------------------------------------------------------- */

function setText(id, value) {
    $(id).textContent = value;
}

function renderHealth() {
    const hl = state.health;
    if (!hl) {
        return;
    }
    const queue = hl.queue || {};
    setText('h-pending', formatNumber(queue.pending));
    setText('h-processing', formatNumber(queue.processing));
    setText('h-workers', formatNumber(hl.workers));
    const db = $('h-database');
    const dbOk = hl.database === 'ok';
    db.className = 'stat__value stat__value--text ' + (dbOk ? 'health-ok' : 'health-bad');
    db.setAttribute('data-i18n', dbOk ? 'admin.h.ok' : 'admin.h.bad');
    db.textContent = t(dbOk ? 'admin.h.ok' : 'admin.h.bad');
    if (!dbOk && hl.database) {
        db.title = String(hl.database);
    }
    const speech = hl.speech || {};
    setText('h-engine', textOrDash(speech.engine));
    const langs = Array.isArray(speech.languages) ? speech.languages : [];
    setText('h-languages', langs.length ? langs.map((l) => t('org.lang.' + l) + ' (' + l + ')').join(', ') : t('common.none'));
    const updated = $('health-updated');
    updated.setAttribute('data-i18n', 'console.updatedAt');
    updated.setAttribute('data-i18n-vars', JSON.stringify({ time: formatDateTime(state.healthAt) }));
    updated.textContent = t('console.updatedAt', { time: formatDateTime(state.healthAt) });
}

async function loadHealth() {
    try {
        state.health = await api('GET', '/api/v1/admin/health');
        state.healthAt = new Date().toISOString();
        setStatus($('health-status'));
        renderHealth();
    } catch (err) {
        setStatusText($('health-status'), 'error', errorText(err));
    }
}

/* ---- start ---------------------------------------------------------------------------- */

const LOADERS = {
    organizations: loadOrgs,
    users: () => loadUsers(1),
    jobs: () => loadJobs(1),
    health: loadHealth
};

async function start() {
    const session = await initPage({ path: 'admin', nav: ADMIN_NAV });
    if (!session) {
        return;
    }
    state.session = session;
    initOrgForm();
    initUsers();
    initJobs();
    $('health-refresh').addEventListener('click', (event) => withBusy(event.currentTarget, loadHealth));
    initTabs($('admin-tabs'), (name) => {
        if (!state.loaded.has(name)) {
            state.loaded.add(name);
            LOADERS[name]();
        }
    });
    window.addEventListener('raportai:lang', () => {
        renderOrgs();
        renderUsers();
        renderJobs();
        renderHealth();
    });
}

start();
