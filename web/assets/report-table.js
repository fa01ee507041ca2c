/* report-table.js - the table of report summaries shared by the dashboard
 * (recent reports) and the report history.
 *
 *   fillReportTable(tbody, items, emptyKey)   one row per summary
 *   ({id, revision, sutCode, examName, modality, patientName, patientId,
 *   accessionNo, createdAt, updatedAt, author}); emptyKey is the i18n key
 *   shown in a single row when there are none. Each row links to
 *   /report.html?id=ID. The table's <thead> must have 8 columns: date,
 *   patient, patient id, accession, exam, modality, revision, open. */

import { h, clear } from './dom.js';
import { formatDateTime } from './i18n.js';

const COLUMNS = 8;

function examCell(item) {
    return h('td', null, [
        h('span', { class: 'mono', text: item.sutCode || '' }),
        item.examName ? h('span', { class: 'sub muted', text: ' ' + item.examName }) : null
    ]);
}

function row(item) {
    const link = h('a', {
        href: '/report.html?id=' + encodeURIComponent(item.id),
        class: 'btn btn-small',
        i18n: 'common.open',
        dataset: { reportId: item.id }
    });
    return h('tr', { dataset: { reportId: item.id } }, [
        h('td', { class: 'nowrap', text: formatDateTime(item.updatedAt || item.createdAt) }),
        h('td', { text: item.patientName || '' }),
        h('td', { text: item.patientId || '' }),
        h('td', { text: item.accessionNo || '' }),
        examCell(item),
        h('td', { text: item.modality || '' }),
        h('td', { text: item.revision !== undefined ? String(item.revision) : '' }),
        h('td', { class: 'actions actions--wrap' }, link)
    ]);
}

export function fillReportTable(tbody, items, emptyKey) {
    clear(tbody);
    if (!items || items.length === 0) {
        tbody.append(h('tr', null, h('td', { class: 'empty', colspan: String(COLUMNS), i18n: emptyKey })));
        return;
    }
    for (const item of items) {
        tbody.append(row(item));
    }
}
