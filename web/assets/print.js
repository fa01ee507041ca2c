/* print.js - the print view of a saved report (print.html?id=ID[&revision=N]):
 * a clean A4 page in the report's own language (whatever the interface
 * language), and a Print button that calls window.print(). The page frame
 * is left out of the printout by the print styles in app.css. */

import { api, errorText } from './api.js';
import { initPage, REPORTING_NAV } from './layout.js';
import { h, clear, setStatus, setStatusText, queryParam } from './dom.js';
import { tIn, LANGS } from './i18n.js';
import { SECTION_KEYS } from './report-sections.js';

const $ = (id) => document.getElementById(id);

function formatIn(lang, iso) {
    const d = new Date(iso);
    if (!iso || Number.isNaN(d.getTime())) {
        return '';
    }
    return new Intl.DateTimeFormat(lang === 'tr' ? 'tr-TR' : 'en-GB', { dateStyle: 'long', timeStyle: 'short' }).format(d);
}

function render(r, id) {
    const lang = LANGS.includes(r.language) ? r.language : 'tr';
    const doc = $('report-doc');
    doc.lang = lang;
    $('doc-title').textContent = r.examName || (r.sutCode ? 'SUT ' + r.sutCode : tIn(lang, 'report.title'));
    $('doc-subtitle').textContent = [r.examName && r.sutCode ? 'SUT ' + r.sutCode : null, r.modality].filter(Boolean).join(' · ');
    const meta = $('doc-meta');
    clear(meta);
    const rows = [
        ['col.patient', r.patientName], ['col.patientId', r.patientId], ['col.accession', r.accessionNo],
        ['col.date', formatIn(lang, r.updatedAt || r.createdAt)], ['col.author', r.author], ['col.revision', r.revision]
    ];
    for (const [key, value] of rows) {
        if (value === undefined || value === null || value === '') {
            continue;
        }
        meta.append(h('div', null, [h('dt', { text: tIn(lang, key) + ':' }), h('dd', { text: String(value) })]));
    }
    const box = $('doc-sections');
    clear(box);
    const sections = r.sections || {};
    for (const key of SECTION_KEYS) {
        const text = (sections[key] || '').trim();
        if (!text) {
            continue;
        }
        box.append(h('section', null, [h('h2', { text: tIn(lang, 'sec.' + key) }), h('p', { text })]));
    }
    $('doc-foot').textContent = tIn(lang, 'print.footer', { id, revision: r.revision });
    document.title = $('doc-title').textContent + (r.patientName ? ' — ' + r.patientName : '');
    doc.hidden = false;
}

async function start() {
    const session = await initPage({ path: ['user', 'corporate'], nav: REPORTING_NAV });
    if (!session) {
        return;
    }
    const id = queryParam('id');
    const revision = queryParam('revision');
    if (!id) {
        setStatus($('page-status'), 'error', 'report.missingId');
        return;
    }
    $('back-link').href = '/report.html?id=' + encodeURIComponent(id) + (revision ? '&revision=' + encodeURIComponent(revision) : '');
    $('print-button').addEventListener('click', () => window.print());
    try {
        const r = await api('GET', '/api/v1/reports/' + encodeURIComponent(id) + (revision ? '?revision=' + encodeURIComponent(revision) : ''));
        render(r, id);
        $('print-button').disabled = false;
    } catch (err) {
        setStatusText($('page-status'), 'error', errorText(err));
    }
}

start();
