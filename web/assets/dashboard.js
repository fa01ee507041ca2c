/* dashboard.js - the dashboard (dashboard.html): remaining credits, reports
 * today and this week, jobs in progress, the five latest reports and quick
 * start links, from GET /api/v1/dashboard. */

import { api, errorText } from './api.js';
import { initPage, REPORTING_NAV } from './layout.js';
import { setStatusText } from './dom.js';
import { fillReportTable } from './report-table.js';

function number(id, value) {
    document.getElementById(id).textContent = value === undefined || value === null ? '–' : String(value);
}

async function start() {
    const session = await initPage({ path: ['user', 'corporate'], nav: REPORTING_NAV });
    if (!session) {
        return;
    }
    const status = document.getElementById('page-status');
    const tbody = document.querySelector('#recent-table tbody');
    let recent = [];
    try {
        const d = await api('GET', '/api/v1/dashboard');
        number('stat-credits', d.remainingCredits);
        number('stat-today', d.reportsToday);
        number('stat-week', d.reportsThisWeek);
        number('stat-jobs', d.jobsInProgress);
        recent = d.recent || [];
        fillReportTable(tbody, recent, 'dash.noRecent');
    } catch (err) {
        setStatusText(status, 'error', errorText(err));
    }
    window.addEventListener('raportai:lang', () => fillReportTable(tbody, recent, 'dash.noRecent'));
}

start();
