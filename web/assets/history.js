/* history.js - the report history (history.html): a search form (free
 * text, patient, accession, exam, modality, date range) over
 * GET /api/v1/reports, a paged table of the results (20 a page, newest
 * first) with links to each report. The search lives in the address
 * (?q=...&page=N), so a result page can be bookmarked and Back works. */

import { api, errorText } from './api.js';
import { initPage, REPORTING_NAV } from './layout.js';
import { setStatus, setStatusText } from './dom.js';
import { t } from './i18n.js';
import { fillReportTable } from './report-table.js';

const FILTERS = ['q', 'patient', 'accession', 'exam', 'modality', 'from', 'to'];

const state = { items: [], total: 0, page: 1, pageSize: 20 };
const $ = (id) => document.getElementById(id);

function paramsFromAddress() {
    const params = new URLSearchParams(window.location.search);
    const out = new URLSearchParams();
    for (const name of FILTERS) {
        const value = (params.get(name) || '').trim();
        if (value) {
            out.set(name, value);
        }
    }
    const page = Number.parseInt(params.get('page') || '1', 10);
    out.set('page', String(Number.isFinite(page) && page > 0 ? page : 1));
    return out;
}

function fillForm(params) {
    const form = $('search-form');
    for (const name of FILTERS) {
        form.elements[name].value = params.get(name) || '';
    }
}

function paramsFromForm(page) {
    const form = $('search-form');
    const out = new URLSearchParams();
    for (const name of FILTERS) {
        const value = form.elements[name].value.trim();
        if (value) {
            out.set(name, value);
        }
    }
    out.set('page', String(page));
    return out;
}

/** The search in the address, on another page. */
function pageParams(page) {
    const params = paramsFromAddress();
    params.set('page', String(page));
    return params;
}

function renderPager() {
    const pages = Math.max(1, Math.ceil(state.total / state.pageSize));
    const info = $('page-info');
    info.setAttribute('data-i18n', 'common.pageOf');
    info.setAttribute('data-i18n-vars', JSON.stringify({ page: state.page, pages }));
    info.textContent = t('common.pageOf', { page: state.page, pages });
    $('page-prev').disabled = state.page <= 1;
    $('page-next').disabled = state.page >= pages;
    const count = $('result-count');
    count.setAttribute('data-i18n', 'hist.count');
    count.setAttribute('data-i18n-vars', JSON.stringify({ total: state.total }));
    count.textContent = t('hist.count', { total: state.total });
}

async function load(params) {
    const status = $('page-status');
    setStatus(status, 'info', 'common.loading');
    try {
        const reply = await api('GET', '/api/v1/reports?' + params.toString());
        state.items = reply.items || [];
        state.total = reply.total || 0;
        state.page = reply.page || Number(params.get('page')) || 1;
        state.pageSize = reply.pageSize || 20;
        setStatus(status);
        fillReportTable($('history-table').querySelector('tbody'), state.items, 'hist.none');
        renderPager();
    } catch (err) {
        setStatusText(status, 'error', errorText(err));
    }
}

function go(params, push) {
    const url = '/history.html?' + params.toString();
    if (push) {
        window.history.pushState(null, '', url);
    }
    return load(params);
}

async function start() {
    const session = await initPage({ path: ['user', 'corporate'], nav: REPORTING_NAV });
    if (!session) {
        return;
    }
    const form = $('search-form');
    form.addEventListener('submit', async (event) => {
        event.preventDefault();
        await go(paramsFromForm(1), true);
        $('results-title').focus();
    });
    form.addEventListener('reset', () => {
        setTimeout(() => go(paramsFromForm(1), true), 0);
    });
    $('page-prev').addEventListener('click', () => go(pageParams(state.page - 1), true));
    $('page-next').addEventListener('click', () => go(pageParams(state.page + 1), true));
    window.addEventListener('popstate', () => {
        const params = paramsFromAddress();
        fillForm(params);
        load(params);
    });
    window.addEventListener('raportai:lang', () => {
        fillReportTable($('history-table').querySelector('tbody'), state.items, 'hist.none');
    });
    const params = paramsFromAddress();
    fillForm(params);
    await load(params);
}

start();
