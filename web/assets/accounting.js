/* accounting.js - the accounting console (accounting.html): every
 * organization's balance, a credit change (a positive top-up or a negative
 * adjustment, always with a reason, confirmed before it is sent), the ledger
 * of one organization (amount, balance after, reason, who, when; paged) and
 * the monthly usage CSV (a plain download link to
 * GET /api/v1/accounting/usage.csv?month=YYYY-MM). Endpoints: docs/web-api.md,
 * "Platform staff". */

import { api, errorText } from './api.js';
import { initPage } from './layout.js';
import { h, clear, setStatus, setStatusText, clearFieldErrors, showFieldError } from './dom.js';
import { t, hasKey, formatDateTime } from './i18n.js';
import {
    ACCOUNTING_NAV, confirmAction, formValues, showApiError, showProblems, withBusy, rowsOrEmpty,
    pager, formatNumber, whoText, textOrDash
} from './console-ui.js';

const MONTH_RE = /^\d{4}-(0[1-9]|1[0-2])$/;

const state = {
    orgs: [],
    ledger: { organizationId: '', items: [], page: 1, total: 0, pageSize: 20 }
};

function $(id) {
    return document.getElementById(id);
}

function orgNameOf(id) {
    const o = state.orgs.find((x) => x.id === id);
    return o ? o.name : id;
}

/* ---- balances ------------------------------------------------------------------- */

function balanceRow(o) {
    const id = o.id;
    const name = o.name;
    const show = h('button', { type: 'button', class: 'btn btn-small', dataset: { action: 'ledger' } },
        [h('span', { i18n: 'acc.showLedger' }), h('span', { class: 'sr-only', text: ': ' + name })]);
    show.addEventListener('click', () => {
        $('l-org').value = id;
        loadLedger(1);
        $('ledger-title').scrollIntoView({ block: 'start' });
        $('l-org').focus();
    });
    const statusKey = 'admin.org.' + o.status;
    return h('tr', { dataset: { id, name } }, [
        h('td', { text: name }),
        h('td', hasKey(statusKey) ? { i18n: statusKey } : { text: textOrDash(o.status) }),
        h('td', { class: 'num', text: formatNumber(o.credits) }),
        h('td', { class: 'actions actions--wrap' }, show)
    ]);
}

function fillOrgSelects() {
    for (const select of document.querySelectorAll('select[data-org-select]')) {
        const keep = select.value;
        clear(select);
        select.append(h('option', { value: '', i18n: 'acc.pickOrg' }));
        for (const o of state.orgs) {
            select.append(h('option', { value: o.id, text: o.name }));
        }
        select.value = state.orgs.some((o) => o.id === keep) ? keep : '';
    }
}

function renderBalances() {
    rowsOrEmpty(document.querySelector('#balances-table tbody'), state.orgs.map(balanceRow), 'acc.noOrgs', 4);
}

async function loadBalances() {
    try {
        const reply = await api('GET', '/api/v1/accounting/balances');
        state.orgs = reply.items || [];
        renderBalances();
        fillOrgSelects();
    } catch (err) {
        setStatusText($('page-status'), 'error', errorText(err));
    }
}

/* ---- credit change ----------------------------------------------------------------- */

function creditProblems(values) {
    const problems = [];
    if (!values.organizationId) {
        problems.push(['organizationId', t('acc.pickOrgFirst')]);
    }
    const n = Number(values.amount);
    if (values.amount === '' || !Number.isInteger(n) || n === 0) {
        problems.push(['amount', t('acc.amountBad')]);
    }
    if (!values.reason) {
        problems.push(['reason', t('acc.reasonMissing')]);
    }
    return problems;
}

function initCreditForm() {
    const form = $('credit-form');
    const status = $('credit-status');
    form.addEventListener('submit', async (event) => {
        event.preventDefault();
        clearFieldErrors(form);
        setStatus(status);
        const values = formValues(form);
        if (showProblems(form, creditProblems(values))) {
            return;
        }
        const amount = Number(values.amount);
        const name = orgNameOf(values.organizationId);
        const sure = await confirmAction({
            titleKey: 'acc.confirmTitle',
            textKey: amount > 0 ? 'acc.confirmTopUp' : 'acc.confirmDeduct',
            vars: { name, amount: formatNumber(Math.abs(amount)), reason: values.reason },
            confirmKey: 'acc.apply',
            danger: amount < 0
        });
        if (!sure) {
            return;
        }
        await withBusy(form.querySelector('button[type="submit"]'), async () => {
            try {
                const reply = await api('POST', '/api/v1/accounting/credits',
                    { organizationId: values.organizationId, amount, reason: values.reason });
                setStatus(status, 'success', 'acc.applied', { name, balance: formatNumber(reply && reply.balance) });
                form.elements.amount.value = '';
                form.elements.reason.value = '';
                await loadBalances();
                $('l-org').value = values.organizationId;
                await loadLedger(1);
            } catch (err) {
                showApiError(form, status, err);
            }
        });
    });
}

/* ---- ledger -------------------------------------------------------------------------------- */

function ledgerRow(r) {
    const amount = Number(r.amount);
    return h('tr', null, [
        h('td', { class: 'nowrap', text: formatDateTime(r.createdAt) }),
        h('td', { class: 'num ' + (amount < 0 ? 'amount-neg' : 'amount-pos'), text: (amount > 0 ? '+' : '') + formatNumber(amount) }),
        h('td', { class: 'num', text: formatNumber(r.balanceAfter) }),
        h('td', { text: textOrDash(r.reason) }),
        h('td', { class: 'wrap-anywhere', text: whoText(r.actor) })
    ]);
}

function renderLedger() {
    const l = state.ledger;
    rowsOrEmpty(document.querySelector('#ledger-table tbody'), l.items.map(ledgerRow),
        l.organizationId ? 'acc.noLedger' : 'acc.pickForLedger', 5);
    pager($('ledger-pager'), l, (page) => loadLedger(page));
}

async function loadLedger(page) {
    const id = $('l-org').value;
    const status = $('ledger-status');
    if (!id) {
        state.ledger = { organizationId: '', items: [], page: 1, total: 0, pageSize: 20 };
        renderLedger();
        return;
    }
    setStatus(status, 'info', 'common.loading');
    try {
        const reply = await api('GET', '/api/v1/accounting/ledger?organizationId=' + encodeURIComponent(id) +
            '&page=' + encodeURIComponent(page || 1));
        state.ledger = {
            organizationId: id,
            items: reply.items || [],
            page: reply.page || page || 1,
            pageSize: reply.pageSize || 20,
            total: reply.total !== undefined ? reply.total : (reply.items || []).length
        };
        renderLedger();
        setStatus(status, null, 'acc.ledgerOf', { name: orgNameOf(id), n: state.ledger.total });
    } catch (err) {
        setStatusText(status, 'error', errorText(err));
    }
}

/* ---- usage export --------------------------------------------------------------------- */

function thisMonth() {
    return new Date().toISOString().slice(0, 7);
}

function updateCsvLink() {
    const input = $('csv-month');
    const link = $('csv-link');
    const month = input.value;
    const field = input.closest('.field');
    field.classList.remove('field--invalid');
    field.querySelector('.field__error').textContent = '';
    input.removeAttribute('aria-invalid');
    if (MONTH_RE.test(month)) {
        link.href = '/api/v1/accounting/usage.csv?month=' + encodeURIComponent(month);
        link.setAttribute('download', 'raportai-usage-' + month + '.csv');
        link.removeAttribute('aria-disabled');
    } else {
        link.removeAttribute('href');
        link.setAttribute('aria-disabled', 'true');
        if (month) {
            showFieldError(input.closest('section'), 'month', t('acc.monthBad'));
        }
    }
}

function initExport() {
    const input = $('csv-month');
    input.value = thisMonth();
    input.addEventListener('input', updateCsvLink);
    input.addEventListener('change', updateCsvLink);
    updateCsvLink();
}

/* ---- start ----------------------------------------------------------------------------- */

async function start() {
    const session = await initPage({ path: 'accounting', nav: ACCOUNTING_NAV });
    if (!session) {
        return;
    }
    initCreditForm();
    initExport();
    $('balances-refresh').addEventListener('click', (event) => withBusy(event.currentTarget, loadBalances));
    $('ledger-form').addEventListener('submit', (event) => {
        event.preventDefault();
        withBusy($('ledger-refresh'), () => loadLedger(1));
    });
    $('l-org').addEventListener('change', () => loadLedger(1));
    window.addEventListener('raportai:lang', () => {
        renderBalances();
        fillOrgSelects();
        renderLedger();
    });
    renderLedger();
    await loadBalances();
}

start();
