/* report.js - one saved report (report.html?id=ID[&revision=N]).
 *
 * Shows the report's details and its sections as editable textareas
 * (GET /api/v1/reports/{id}, ?revision=N for an older one). Saving PUTs the
 * edited report, which the server keeps as a new revision; the earlier ones
 * stay and are listed with links to view them. Export links and the print
 * view follow the revision on screen. */

import { api, errorText } from './api.js';
import { initPage, REPORTING_NAV } from './layout.js';
import { h, clear, setStatus, setStatusText, queryParam } from './dom.js';
import { t, formatDateTime } from './i18n.js';
import { buildSectionEditors, readSections, hasText, exportLinks, showSectionError } from './report-sections.js';

const state = { id: null, revision: null, report: null, latest: null };
const $ = (id) => document.getElementById(id);

function latestRevision(report) {
    const numbers = (report.revisions || []).map((r) => Number(r.revision)).filter(Number.isFinite);
    return numbers.length ? Math.max(...numbers) : Number(report.revision);
}

function reportUrl(revision) {
    return '/report.html?id=' + encodeURIComponent(state.id) + (revision ? '&revision=' + encodeURIComponent(revision) : '');
}

function fact(key, value) {
    return [h('dt', { i18n: key }), h('dd', { text: value === undefined || value === null || value === '' ? t('common.none') : String(value) })];
}

function renderFacts(r) {
    const facts = $('report-facts');
    clear(facts);
    facts.append(
        ...fact('col.exam', [r.sutCode, r.examName].filter(Boolean).join(' · ')),
        ...fact('col.modality', r.modality),
        ...fact('col.patient', r.patientName),
        ...fact('col.patientId', r.patientId),
        ...fact('col.accession', r.accessionNo),
        ...fact('col.language', r.language ? t('langName.' + r.language) : ''),
        ...fact('col.revision', r.revision),
        ...fact('col.author', r.author),
        ...fact('report.created', formatDateTime(r.createdAt)),
        ...fact('report.updated', formatDateTime(r.updatedAt))
    );
}

function renderRevisions(r) {
    const tbody = $('revision-table').querySelector('tbody');
    clear(tbody);
    const list = (r.revisions || []).slice().sort((a, b) => b.revision - a.revision);
    for (const rev of list) {
        const shown = Number(rev.revision) === Number(r.revision);
        const notes = [];
        if (Number(rev.revision) === state.latest) {
            notes.push(h('span', { class: 'badge badge--completed', i18n: 'report.current' }));
        }
        if (shown) {
            notes.push(h('span', { class: 'badge badge--processing', i18n: 'report.viewing' }));
        }
        tbody.append(h('tr', { dataset: { revision: String(rev.revision) } }, [
            h('td', null, [String(rev.revision), ' '].concat(notes)),
            h('td', { class: 'nowrap', text: formatDateTime(rev.createdAt) }),
            h('td', { text: rev.author || '' }),
            h('td', { class: 'actions actions--wrap' }, shown ? null : h('a', {
                class: 'btn btn-small',
                href: reportUrl(rev.revision),
                i18n: 'common.view',
                'aria-label': t('report.revisionN', { revision: rev.revision })
            }))
        ]));
    }
}

function render() {
    const r = state.report;
    const heading = $('report-heading');
    heading.removeAttribute('data-i18n');
    heading.textContent = [r.examName || r.sutCode || t('report.title'), r.patientName].filter(Boolean).join(' — ');
    document.title = heading.textContent;
    renderFacts(r);
    const form = $('report-form');
    form.elements.patientName.value = r.patientName || '';
    form.elements.patientId.value = r.patientId || '';
    form.elements.accessionNo.value = r.accessionNo || '';
    buildSectionEditors($('section-editors'), r.sections || {}, { idPrefix: 'sec' });
    const old = Number(r.revision) !== state.latest;
    $('old-revision').hidden = !old;
    if (old) {
        const text = $('old-revision-text');
        text.setAttribute('data-i18n', 'report.viewingOld');
        text.setAttribute('data-i18n-vars', JSON.stringify({ revision: r.revision }));
        text.textContent = t('report.viewingOld', { revision: r.revision });
        $('to-latest').href = reportUrl(null);
    }
    exportLinks($('export-links'), state.id, old ? r.revision : null);
    renderRevisions(r);
    $('report-body').hidden = false;
}

async function load() {
    const path = '/api/v1/reports/' + encodeURIComponent(state.id) +
        (state.revision ? '?revision=' + encodeURIComponent(state.revision) : '');
    const r = await api('GET', path);
    state.report = r;
    state.latest = latestRevision(r);
    render();
}

async function save(event) {
    event.preventDefault();
    const form = $('report-form');
    const status = $('save-status');
    const sections = readSections($('section-editors'));
    if (!hasText(sections)) {
        setStatus(status, 'error', 'rep.empty');
        return;
    }
    const r = state.report;
    const text = (name) => form.elements[name].value.trim() || null;
    const body = {
        sutCode: r.sutCode,
        examName: r.examName || null,
        modality: r.modality || null,
        patientName: text('patientName'),
        patientId: text('patientId'),
        accessionNo: text('accessionNo'),
        language: r.language,
        sections
    };
    $('save-report').disabled = true;
    setStatus(status, 'info', 'report.saving');
    try {
        const reply = await api('PUT', '/api/v1/reports/' + encodeURIComponent(state.id), body);
        const saved = reply.report || reply;
        state.revision = null;
        window.history.replaceState(null, '', reportUrl(null));
        await load();
        setStatus(status, 'success', 'report.saved', { revision: saved.revision || state.latest });
    } catch (err) {
        setStatusText(status, 'error', errorText(err));
        showSectionError($('report-form'), err);
    } finally {
        $('save-report').disabled = false;
    }
}

async function start() {
    const session = await initPage({ path: ['user', 'corporate'], nav: REPORTING_NAV });
    if (!session) {
        return;
    }
    state.id = queryParam('id');
    state.revision = queryParam('revision');
    if (!state.id) {
        setStatus($('page-status'), 'error', 'report.missingId');
        return;
    }
    $('report-form').addEventListener('submit', save);
    window.addEventListener('raportai:lang', () => {
        if (state.report) {
            renderFacts(state.report);
            renderRevisions(state.report);
        }
    });
    try {
        await load();
    } catch (err) {
        setStatusText($('page-status'), 'error', errorText(err));
    }
}

start();
