/* organization.js - the organization workspace (organization.html), where
 * corporate sign-in lands.
 *
 * Everyone sees the organization's name, credits and their role. Managers
 * also get the member roster (add, change role, deactivate / reactivate, set
 * a new password; a member the platform suspended is marked, and only a
 * platform administrator can reactivate them), the usage overview (reports and credits per member and
 * month: a stacked bar chart and the same numbers as a table) and the
 * organization settings with the callback signing secret of the web app's
 * jobs (created or rotated here and shown once, in a dialog), plus the
 * integration links. Radiologists and
 * doctors get links to the reporting pages; technical users the pilot view
 * and the integration documents. Endpoints: docs/web-api.md, "Organization
 * workspace". */

import { api, errorText } from './api.js';
import { initPage } from './layout.js';
import { h, clear, setStatus, setStatusText, clearFieldErrors } from './dom.js';
import { t, formatDate, formatDateTime } from './i18n.js';
import {
    CORPORATE_NAV, ROLES_CORPORATE, LANGUAGES, confirmAction, formDialog, secretDialog, formValues, showApiError,
    showProblems, withBusy, rowsOrEmpty, keepFocus, formatNumber, formatMonth, stackedBarChart, chartLegend
} from './console-ui.js';

const MIN_PASSWORD = 8;
const MAX_RETENTION_DAYS = 365;

const state = {
    session: null,
    members: [],
    usage: null,
    focusFrom: null     /* {id, action}: the member row and button last used */
};

function $(id) {
    return document.getElementById(id);
}

/* ---- summary ------------------------------------------------------------------ */

function showSummary(session) {
    const org = session.organization || {};
    const role = session.user.role;
    const title = $('org-name');
    if (org.name) {
        title.removeAttribute('data-i18n');
        title.textContent = org.name;
    }
    const lead = role === 'manager' ? 'org.lead.manager' : role === 'technical' ? 'org.lead.technical' : 'org.lead.member';
    $('org-lead').setAttribute('data-i18n', lead);
    $('org-lead').textContent = t(lead);
    $('stat-credits').textContent = formatNumber(org.credits);
    const type = $('stat-type');
    if (org.type) {
        type.setAttribute('data-i18n', 'reg.type.' + org.type);
        type.textContent = t('reg.type.' + org.type);
    }
    $('stat-role').setAttribute('data-i18n', 'role.' + role);
    $('stat-role').textContent = t('role.' + role);
}

function showSections(role) {
    const manager = role === 'manager';
    $('reporting-links').hidden = !(manager || role === 'radiologist' || role === 'doctor');
    $('integration-links').hidden = !(manager || role === 'technical');
    $('tile-keys').hidden = !manager;
    for (const id of ['manager-toc', 'members', 'usage', 'settings']) {
        $(id).hidden = !manager;
    }
}

/* ---- members ---------------------------------------------------------------- */

function stateBadges(m) {
    const badges = [h('span', {
        class: 'badge ' + (m.active ? 'badge--active' : 'badge--inactive'),
        i18n: m.active ? 'console.active' : 'console.inactive'
    })];
    if (m.suspended) {
        badges.push(' ', h('span', { class: 'badge badge--suspended', i18n: 'console.suspended' }),
            h('span', { class: 'cell-note', i18n: 'org.m.suspendedHint' }));
    }
    return badges;
}

function actionButton(key, action, name, disabled) {
    return h('button', {
        type: 'button', class: 'btn btn-small', disabled, dataset: { action }
    }, [h('span', { i18n: key }), h('span', { class: 'sr-only', text: ': ' + name })]);
}

function memberRow(m) {
    const self = m.id === state.session.user.id;
    const actions = h('td', { class: 'actions actions--wrap' }, [
        actionButton('org.m.changeRole', 'role', m.name, self),
        /* Reactivating a member the platform suspended is not the manager's to do. */
        actionButton(m.active ? 'org.m.deactivate' : 'org.m.activate', 'toggle', m.name,
            self || (m.suspended && !m.active)),
        actionButton('org.m.setPassword', 'password', m.name, false)
    ]);
    const row = h('tr', { dataset: { id: m.id, email: m.email, suspended: m.suspended ? 'true' : 'false' } }, [
        h('td', null, [m.name || '', self ? h('span', { class: 'muted', i18n: 'org.m.you' }) : null]),
        h('td', { class: 'wrap-anywhere', text: m.email }),
        h('td', { i18n: 'role.' + m.role }),
        h('td', null, stateBadges(m)),
        h('td', { class: 'nowrap', text: formatDate(m.createdAt) }),
        actions
    ]);
    actions.addEventListener('click', (event) => {
        const button = event.target.closest('button[data-action]');
        if (button) {
            memberAction(button, m);
        }
    });
    return row;
}

function renderMembers() {
    const tbody = document.querySelector('#members-table tbody');
    keepFocus(tbody, () => rowsOrEmpty(tbody, state.members.map(memberRow), 'org.m.none', 6), state.focusFrom);
    const active = state.members.filter((m) => m.active).length;
    const count = $('members-count');
    count.setAttribute('data-i18n', 'org.m.count');
    count.setAttribute('data-i18n-vars', JSON.stringify({ total: state.members.length, active }));
    count.textContent = t('org.m.count', { total: state.members.length, active });
}

async function loadMembers() {
    try {
        const reply = await api('GET', '/api/v1/org/members');
        state.members = reply.items || [];
        renderMembers();
    } catch (err) {
        setStatusText($('members-status'), 'error', errorText(err));
    }
}

function passwordProblems(values) {
    const problems = [];
    if (!values.password || values.password.length < MIN_PASSWORD) {
        problems.push(['password', t('org.m.passwordShort')]);
    } else if ('password2' in values && values.password !== values.password2) {
        problems.push(['password2', t('org.m.passwordMismatch')]);
    }
    return problems;
}

async function changeRole(m) {
    const done = await formDialog({
        titleKey: 'org.m.changeRoleTitle',
        titleVars: { name: m.name },
        fields: [{
            name: 'role', labelKey: 'org.col.role', type: 'select', value: m.role,
            options: ROLES_CORPORATE.map((r) => ({ value: r, key: 'role.' + r }))
        }],
        submitKey: 'org.m.changeRole',
        submit: (values) => api('PATCH', '/api/v1/org/members/' + encodeURIComponent(m.id), { role: values.role })
    });
    if (done) {
        setStatus($('members-status'), 'success', 'org.m.roleChanged', { name: m.name });
        await loadMembers();
    }
}

async function toggleActive(m) {
    if (m.active) {
        const sure = await confirmAction({
            titleKey: 'org.m.deactivateTitle', textKey: 'org.m.deactivateText',
            vars: { name: m.name }, confirmKey: 'org.m.deactivate'
        });
        if (!sure) {
            return;
        }
    }
    try {
        await api('PATCH', '/api/v1/org/members/' + encodeURIComponent(m.id), { active: !m.active });
        setStatus($('members-status'), 'success', m.active ? 'org.m.deactivated' : 'org.m.activated', { name: m.name });
        await loadMembers();
    } catch (err) {
        setStatusText($('members-status'), 'error', errorText(err));
    }
}

async function setPassword(m) {
    const done = await formDialog({
        titleKey: 'org.m.setPasswordTitle',
        titleVars: { name: m.name },
        leadKey: 'org.m.setPasswordLead',
        fields: [
            { name: 'password', labelKey: 'org.m.newPassword', type: 'password', autocomplete: 'new-password', hintKey: 'org.m.passwordHint', required: true },
            { name: 'password2', labelKey: 'org.m.newPassword2', type: 'password', autocomplete: 'new-password', required: true }
        ],
        submitKey: 'org.m.setPassword',
        check: passwordProblems,
        submit: (values) => api('POST', '/api/v1/org/members/' + encodeURIComponent(m.id) + '/password',
            { password: values.password })
    });
    if (done) {
        setStatus($('members-status'), 'success', 'org.m.passwordSet', { name: m.name });
    }
}

function memberAction(button, m) {
    const action = button.dataset.action;
    state.focusFrom = { id: m.id, action };
    if (action === 'role') {
        changeRole(m);
    } else if (action === 'toggle') {
        toggleActive(m);
    } else if (action === 'password') {
        setPassword(m);
    }
}

function initMemberForm() {
    const form = $('member-form');
    const status = $('members-status');
    form.addEventListener('submit', async (event) => {
        event.preventDefault();
        clearFieldErrors(form);
        setStatus(status);
        const values = formValues(form);
        const problems = [];
        for (const name of ['name', 'email']) {
            if (!values[name]) {
                problems.push([name, t('console.required')]);
            }
        }
        problems.push(...passwordProblems({ password: values.password }));
        if (showProblems(form, problems)) {
            return;
        }
        const button = form.querySelector('button[type="submit"]');
        await withBusy(button, async () => {
            try {
                await api('POST', '/api/v1/org/members', values);
                form.reset();
                setStatus(status, 'success', 'org.m.added', { name: values.name });
                await loadMembers();
            } catch (err) {
                showApiError(form, status, err);
            }
        });
    });
}

/* ---- usage ---------------------------------------------------------------------- */

function measure() {
    const checked = document.querySelector('#usage-form input[name="measure"]:checked');
    return checked ? checked.value : 'reports';
}

/* The server lists months newest first; the chart and table read oldest
 * to newest, left to right. */
function usageSeries(usage, what) {
    const n = (usage.months || []).length;
    const ordered = (values) => (values || []).slice(0, n).reverse();
    const series = (usage.members || []).map((m) => ({ label: m.name || m.userId, values: ordered(m[what]) }));
    if (usage.api) {
        series.push({ label: t('org.usage.api'), values: ordered(usage.api[what]) });
    }
    return series;
}

function sum(values) {
    return values.reduce((a, v) => a + (Number(v) || 0), 0);
}

function usageTable(months, series, what) {
    const table = $('usage-table');
    const caption = table.querySelector('caption');
    const captionKey = what === 'credits' ? 'org.usage.tableCredits' : 'org.usage.tableReports';
    caption.setAttribute('data-i18n', captionKey);
    caption.textContent = t(captionKey);
    const head = table.querySelector('thead');
    clear(head);
    head.append(h('tr', null, [
        h('th', { scope: 'col', i18n: 'org.usage.who' }),
        ...months.map((m) => h('th', { scope: 'col', class: 'num', text: formatMonth(m) })),
        h('th', { scope: 'col', class: 'num', i18n: 'org.usage.total' })
    ]));
    const rows = series.map((s) => h('tr', null, [
        h('th', { scope: 'row', text: s.label }),
        ...months.map((m, i) => h('td', { class: 'num', text: formatNumber(s.values[i] || 0) })),
        h('td', { class: 'num', text: formatNumber(sum(s.values)) })
    ]));
    rowsOrEmpty(table.querySelector('tbody'), rows, 'org.usage.none', months.length + 2);
    const foot = table.querySelector('tfoot');
    clear(foot);
    const totals = months.map((m, i) => sum(series.map((s) => s.values[i] || 0)));
    foot.append(h('tr', null, [
        h('th', { scope: 'row', i18n: 'org.usage.total' }),
        ...totals.map((v) => h('td', { class: 'num', text: formatNumber(v) })),
        h('td', { class: 'num', text: formatNumber(sum(totals)) })
    ]));
}

function renderUsage() {
    const usage = state.usage;
    if (!usage) {
        return;
    }
    const what = measure();
    const months = (usage.months || []).slice().reverse();
    const series = usageSeries(usage, what);
    const chart = $('usage-chart');
    clear(chart);
    const legend = $('usage-legend');
    clear(legend);
    const labels = months.map(formatMonth);
    const totals = months.map((m, i) => sum(series.map((s) => s.values[i] || 0)));
    chart.append(stackedBarChart({
        columns: labels,
        series,
        titleText: t(what === 'credits' ? 'org.usage.chartCredits' : 'org.usage.chartReports'),
        descText: labels.map((l, i) => l + ': ' + totals[i]).join('; ')
    }));
    legend.append(chartLegend(series));
    usageTable(months, series, what);
}

async function loadUsage() {
    const months = $('usage-months').value;
    setStatus($('usage-status'), 'info', 'common.loading');
    try {
        state.usage = await api('GET', '/api/v1/org/usage?months=' + encodeURIComponent(months));
        setStatus($('usage-status'));
        renderUsage();
    } catch (err) {
        setStatusText($('usage-status'), 'error', errorText(err));
    }
}

function initUsage() {
    $('usage-months').addEventListener('change', loadUsage);
    for (const radio of document.querySelectorAll('#usage-form input[name="measure"]')) {
        radio.addEventListener('change', renderUsage);
    }
    $('usage-form').addEventListener('submit', (event) => event.preventDefault());
}

/* ---- settings --------------------------------------------------------------------- */

function fillLanguages() {
    for (const select of document.querySelectorAll('#settings-form select[data-languages]')) {
        clear(select);
        for (const code of LANGUAGES) {
            select.append(h('option', { value: code, i18n: 'org.lang.' + code }));
        }
    }
}

/* The callback signing secret: whether there is one, who made it when
 * (never the secret), and the one button that fits. */
function showSecret(secret) {
    const stateEl = $('secret-state');
    const key = secret ? 'org.sec.made' : 'org.sec.none';
    const vars = secret ? { time: formatDateTime(secret.createdAt), who: secret.createdBy || '' } : null;
    stateEl.dataset.state = secret ? 'set' : 'none';
    stateEl.className = secret ? '' : 'status status--error';
    stateEl.setAttribute('data-i18n', key);
    if (vars) {
        stateEl.setAttribute('data-i18n-vars', JSON.stringify(vars));
    } else {
        stateEl.removeAttribute('data-i18n-vars');
    }
    stateEl.textContent = t(key, vars);
    $('secret-create').hidden = Boolean(secret);
    $('secret-rotate').hidden = !secret;
}

async function changeSecret(rotate) {
    const status = $('secret-status');
    setStatus(status);
    if (rotate) {
        const sure = await confirmAction({
            titleKey: 'org.sec.rotateTitle', textKey: 'org.sec.rotateText', confirmKey: 'org.sec.rotate'
        });
        if (!sure) {
            return;
        }
    }
    const button = $(rotate ? 'secret-rotate' : 'secret-create');
    let made = null;
    await withBusy(button, async () => {
        try {
            made = await api('POST', '/api/v1/org/settings/callback-secret' + (rotate ? '/rotate' : ''), {});
        } catch (err) {
            setStatusText(status, 'error', errorText(err));
        }
    });
    if (!made) {
        return;
    }
    showSecret({ createdAt: made.createdAt, createdBy: made.createdBy });
    await secretDialog({
        titleKey: 'org.sec.title',
        labelKey: 'org.sec.label',
        secret: made.secret,
        notes: [h('p', { i18n: rotate ? 'org.sec.rotatedNote' : 'org.sec.createdNote' })]
    });
    setStatus(status, 'success', rotate ? 'org.sec.rotated' : 'org.sec.created');
    $('secret-rotate').focus();
}

function initSecret() {
    $('secret-create').addEventListener('click', () => changeSecret(false));
    $('secret-rotate').addEventListener('click', () => changeSecret(true));
}

async function loadSettings() {
    const form = $('settings-form');
    try {
        const s = await api('GET', '/api/v1/org/settings');
        showSecret(s.callbackSecret || null);
        form.elements.callbackUrl.value = s.callbackUrl || '';
        form.elements.inputLang.value = s.inputLang || 'tr';
        form.elements.outputLang.value = s.outputLang || 'tr';
        form.elements.audioRetentionDays.value =
            s.audioRetentionDays === undefined || s.audioRetentionDays === null ? '' : String(s.audioRetentionDays);
    } catch (err) {
        setStatusText($('settings-status'), 'error', errorText(err));
    }
}

function initSettings() {
    const form = $('settings-form');
    const status = $('settings-status');
    fillLanguages();
    form.addEventListener('submit', async (event) => {
        event.preventDefault();
        clearFieldErrors(form);
        setStatus(status);
        const values = formValues(form);
        const days = Number(values.audioRetentionDays);
        if (values.audioRetentionDays === '' || !Number.isInteger(days) || days < 0 || days > MAX_RETENTION_DAYS) {
            showProblems(form, [['audioRetentionDays', t('org.s.retentionBad')]]);
            return;
        }
        const body = {
            callbackUrl: values.callbackUrl || null,
            inputLang: values.inputLang,
            outputLang: values.outputLang,
            audioRetentionDays: days
        };
        await withBusy(form.querySelector('button[type="submit"]'), async () => {
            try {
                await api('PUT', '/api/v1/org/settings', body);
                setStatus(status, 'success', 'org.s.saved');
            } catch (err) {
                showApiError(form, status, err);
            }
        });
    });
}

/* ---- start ---------------------------------------------------------------------- */

async function start() {
    const session = await initPage({ path: 'corporate', nav: CORPORATE_NAV });
    if (!session) {
        return;
    }
    state.session = session;
    const role = session.user.role;
    showSummary(session);
    showSections(role);
    if (role !== 'manager') {
        return;
    }
    initMemberForm();
    initUsage();
    initSettings();
    initSecret();
    window.addEventListener('raportai:lang', () => {
        renderMembers();
        renderUsage();
    });
    await Promise.all([loadMembers(), loadUsage(), loadSettings()]);
}

start();
