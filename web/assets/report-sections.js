/* report-sections.js - the six sections of a structured report and the
 * pieces of page that show them, shared by reporting-ai, report and print.
 *
 *   SECTION_KEYS                 report order: clinical, technique,
 *                                comparison, findings, conclusion, impression
 *                                (from vocabulary.js, which the server makes
 *                                from its section table, core/sections.h)
 *   sectionsFromJob(job)         a job's sections from its poll body: the
 *                                body's own "sections" when the server sends
 *                                them, otherwise read back from reportText
 *                                (headings such as "FINDINGS:" / "BULGULAR:"),
 *                                otherwise the whole text as findings.
 *   parseReportText(text)        that reading of a plain-text report.
 *   buildSectionEditors(box, sections, options)   a labelled textarea per
 *                                section (ids PREFIX-KEY, names KEY);
 *                                options: idPrefix (default 'sec'), readOnly.
 *   readSections(box)            {key: text} from those textareas.
 *   hasText(sections)            true when some section has text.
 *   exportLinks(box, reportId, revision)   download links (PDF, DOCX, RTF,
 *                                TXT) and the print view link.
 *   showSectionError(form, err)  the server's refusal beside the section its
 *                                field names ("sections.findings"). */

import { h, clear, showFieldError, clearFieldErrors } from './dom.js';
import { SECTION_KEYS, SECTION_HEADINGS as HEADINGS } from './vocabulary.js';

export { SECTION_KEYS };

function headingKey(label) {
    const candidates = [label.toLocaleUpperCase('tr-TR'), label.toUpperCase()];
    for (const [key, names] of Object.entries(HEADINGS)) {
        if (candidates.some((c) => names.includes(c))) {
            return key;
        }
    }
    return null;
}

function emptySections() {
    const out = {};
    for (const key of SECTION_KEYS) {
        out[key] = '';
    }
    return out;
}

/** Sections read from a plain-text report; text before the first heading
 *  (a template's title line) is left out. No heading at all: everything
 *  is findings. */
export function parseReportText(text) {
    const out = emptySections();
    const source = String(text || '').replace(/\r\n?/g, '\n');
    let current = null;
    let found = false;
    const parts = {};
    for (const line of source.split('\n')) {
        const m = /^\s*([^:\n]{3,40}?)\s*:\s*(.*)$/.exec(line);
        const key = m ? headingKey(m[1].trim()) : null;
        if (key) {
            found = true;
            current = key;
            parts[key] = parts[key] || [];
            if (m[2]) {
                parts[key].push(m[2]);
            }
        } else if (current) {
            parts[current].push(line);
        }
    }
    if (!found) {
        out.findings = source.trim();
        return out;
    }
    for (const [key, lines] of Object.entries(parts)) {
        out[key] = lines.join('\n').trim();
    }
    return out;
}

function objectSections(value) {
    if (!value || typeof value !== 'object') {
        return null;
    }
    const out = emptySections();
    for (const key of SECTION_KEYS) {
        out[key] = typeof value[key] === 'string' ? value[key] : '';
    }
    return out;
}

/** The exam report of a poll body: the body itself for a single report,
 *  the first of "reports" for a multi-exam job. */
export function examOfJob(job) {
    if (job && Array.isArray(job.reports) && job.reports.length) {
        return job.reports[0];
    }
    return job || {};
}

export function sectionsFromJob(job) {
    const exam = examOfJob(job);
    return objectSections(job && job.sections) || objectSections(exam.sections) ||
        parseReportText(exam.reportText || exam.filledTemplate || '');
}

export function hasText(sections) {
    return SECTION_KEYS.some((key) => sections[key] && sections[key].trim() !== '');
}

export function buildSectionEditors(box, sections, options) {
    const opts = options || {};
    const prefix = opts.idPrefix || 'sec';
    clear(box);
    for (const key of SECTION_KEYS) {
        const id = prefix + '-' + key;
        const text = sections && sections[key] ? sections[key] : '';
        box.append(h('div', { class: 'field' }, [
            h('label', { for: id, i18n: 'sec.' + key }),
            h('textarea', {
                id,
                name: key,
                rows: key === 'findings' ? '8' : '3',
                readOnly: Boolean(opts.readOnly),
                value: text,
                dataset: { section: key }
            }),
            h('span', { class: 'field__error' })
        ]));
    }
}

export function readSections(box) {
    const out = emptySections();
    for (const area of box.querySelectorAll('textarea[data-section]')) {
        out[area.dataset.section] = area.value;
    }
    return out;
}

const EXPORT_FORMATS = ['pdf', 'docx', 'rtf', 'txt'];

/** Links to download the report (or one revision) and to its print view. */
export function exportLinks(box, reportId, revision) {
    clear(box);
    const id = encodeURIComponent(reportId);
    const rev = revision ? '&revision=' + encodeURIComponent(revision) : '';
    for (const format of EXPORT_FORMATS) {
        box.append(h('a', {
            class: 'btn btn-small',
            href: '/api/v1/reports/' + id + '/export?format=' + format + rev,
            download: '',
            i18n: 'export.' + format,
            dataset: { format }
        }));
    }
    box.append(h('a', {
        class: 'btn btn-small',
        href: '/print.html?id=' + id + rev,
        i18n: 'export.print',
        dataset: { format: 'print' }
    }));
}

/** Marks the section textarea that err.field names; false when it names none. */
export function showSectionError(form, err) {
    clearFieldErrors(form);
    const m = /^sections\.(\w+)$/.exec((err && err.field) || '');
    if (!m || !SECTION_KEYS.includes(m[1])) {
        return false;
    }
    return showFieldError(form, m[1], err.message || '');
}
