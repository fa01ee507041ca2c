/* console-ui.js - building blocks of the organization workspace and the
 * staff consoles (organization, api-keys, pilot, admin, accounting pages),
 * on top of dom.js and i18n.js. Everything builds DOM nodes; data only ever
 * reaches the page as text.
 *
 *   CORPORATE_NAV, ADMIN_NAV, ACCOUNTING_NAV   menus for initPage().
 *   field(spec)                a .field: label, control, hint, error line.
 *        spec: {name, labelKey, type ('text'|'email'|'password'|'number'|
 *        'url'|'select'|'textarea'), options [{value, key?|text?}], value,
 *        hintKey, hintVars, required, min, max, step, autocomplete, id}.
 *   confirmAction({titleKey, textKey, vars, confirmKey, danger})
 *        a modal question; resolves true when confirmed.
 *   formDialog({titleKey, titleVars, leadKey, leadVars, fields, submitKey,
 *        check(values) -> [[name, text]…], submit(values) -> result})
 *        a modal form; submit may throw an ApiError (shown beside the field it
 *        names, or in the dialog's status line, the dialog stays open);
 *        resolves to submit's result, or null when cancelled.
 *   secretDialog({titleKey, secret, labelKey, notes: [nodes]})   shows a secret once
 *        (labelKey names it; default: an API key)
 *        with a copy button and the warning that it is not shown again;
 *        resolves when closed.
 *   withBusy(button, fn)       runs fn with the button disabled.
 *   keepFocus(tbody, render, from)   re-renders a table; when that leaves
 *        the focus nowhere (the focused button was replaced) and from =
 *        {id, action} names the row (tr[data-id]) and button the user worked
 *        on, focuses that action in the new row, or its first enabled button.
 *   rowsOrEmpty(tbody, rows, emptyKey, columns)   fills a tbody (one row with
 *        the empty message when rows is empty).
 *   pager(el, {page, pageSize, total}, onPage)   previous / next buttons.
 *   initTabs(tablist, onShow)  an ARIA tab list (arrow keys, Home, End),
 *        remembered in location.hash.
 *   stackedBarChart({columns, series, titleText, descText})   an SVG chart
 *        (role="img", title and description); series [{label, values}].
 *   formatNumber(n), formatMonth('YYYY-MM'), shortId(uuid), textOrDash(v)
 *   whoText(v)                 a person given as a string or {name, email}.
 *   ROLES_CORPORATE, LANGUAGES */

import { h, clear, setStatus, setStatusText, showFieldError, clearFieldErrors } from './dom.js';
import { t, applyI18n, currentLang } from './i18n.js';
import { errorText } from './api.js';
import { LANGUAGES } from './vocabulary.js';
import { CORPORATE_REPORTING_NAV } from './layout.js';

export const CORPORATE_NAV = CORPORATE_REPORTING_NAV;
export const ADMIN_NAV = [{ href: '/admin.html', key: 'nav.admin' }];
export const ACCOUNTING_NAV = [{ href: '/accounting.html', key: 'nav.accounting' }];

export const ROLES_CORPORATE = ['manager', 'radiologist', 'doctor', 'technical'];
export { LANGUAGES };

let fieldSeq = 0;

/* ---- form fields ------------------------------------------------------------- */

function control(spec, id) {
    const common = {
        id,
        name: spec.name,
        required: spec.required || false,
        autocomplete: spec.autocomplete || null
    };
    if (spec.type === 'select') {
        return h('select', common, (spec.options || []).map((o) => h('option', {
            value: o.value,
            i18n: o.key || null,
            text: o.key ? null : (o.text !== undefined ? o.text : o.value),
            selected: String(o.value) === String(spec.value)
        })));
    }
    if (spec.type === 'textarea') {
        return h('textarea', Object.assign(common, { value: spec.value || '', rows: spec.rows || 3 }));
    }
    return h('input', Object.assign(common, {
        type: spec.type || 'text',
        value: spec.value === undefined || spec.value === null ? '' : String(spec.value),
        min: spec.min, max: spec.max, step: spec.step,
        inputmode: spec.type === 'number' ? 'numeric' : null,
        spellcheck: spec.type === 'password' || spec.type === 'email' ? 'false' : null
    }));
}

/** A .field with a label, the control, an optional hint and an error line. */
export function field(spec) {
    fieldSeq += 1;
    const id = spec.id || 'f-' + spec.name + '-' + fieldSeq;
    const input = control(spec, id);
    const hint = spec.hintKey
        ? h('span', { class: 'field__hint', id: id + '-hint', i18n: spec.hintKey, i18nVars: spec.hintVars })
        : null;
    if (hint) {
        input.setAttribute('aria-describedby', hint.id);
    }
    return h('div', { class: 'field' }, [
        h('label', { for: id, i18n: spec.labelKey, i18nVars: spec.labelVars }),
        input,
        hint,
        h('span', { class: 'field__error' })
    ]);
}

/** The values of a form's named controls (strings, trimmed except passwords). */
export function formValues(form) {
    const values = {};
    for (const el of form.elements) {
        if (!el.name) {
            continue;
        }
        values[el.name] = el.type === 'password' ? el.value : el.value.trim();
    }
    return values;
}

/** Shows err beside the field it names (when the form has it) and in status. */
export function showApiError(form, status, err) {
    const text = errorText(err);
    if (form && err && err.field && showFieldError(form, err.field, text)) {
        const el = form.elements[err.field];
        if (el && el.focus) {
            el.focus();
        }
    }
    setStatusText(status, 'error', text);
}

/** Shows local problems [[name, text]…] under their fields; true if any. */
export function showProblems(form, problems) {
    for (const [name, text] of problems) {
        showFieldError(form, name, text);
    }
    if (problems.length && form.elements[problems[0][0]]) {
        form.elements[problems[0][0]].focus();
    }
    return problems.length > 0;
}

/* ---- dialogs --------------------------------------------------------------- */

function openDialog(dialog, onClose) {
    document.body.append(dialog);
    applyI18n(dialog);
    const opener = document.activeElement;
    dialog.addEventListener('close', () => {
        dialog.remove();
        if (opener && opener.isConnected && opener.focus) {
            opener.focus();
        }
        onClose(dialog.returnValue);
    });
    dialog.showModal();
}

function dialogFrame(titleKey, titleVars, cls) {
    fieldSeq += 1;
    const titleId = 'dlg-title-' + fieldSeq;
    const dialog = h('dialog', { class: 'console-dialog ' + (cls || ''), 'aria-labelledby': titleId });
    dialog.append(h('h2', { id: titleId, i18n: titleKey, i18nVars: titleVars }));
    return dialog;
}

/** A modal yes/no question; resolves true when the user confirms. */
export function confirmAction(opts) {
    return new Promise((resolve) => {
        const dialog = dialogFrame(opts.titleKey, opts.vars);
        const form = h('form', { method: 'dialog' }, [
            h('p', { i18n: opts.textKey, i18nVars: opts.vars }),
            h('div', { class: 'form-actions' }, [
                h('button', {
                    type: 'submit', value: 'yes',
                    class: 'btn ' + (opts.danger === false ? 'btn-primary' : 'btn-danger'),
                    i18n: opts.confirmKey || 'console.confirm'
                }),
                h('button', { type: 'submit', value: 'no', class: 'btn', i18n: 'common.cancel', autofocus: true })
            ])
        ]);
        dialog.append(form);
        openDialog(dialog, (value) => resolve(value === 'yes'));
    });
}

/** A modal form; see the top of this file. */
export function formDialog(opts) {
    return new Promise((resolve) => {
        const dialog = dialogFrame(opts.titleKey, opts.titleVars);
        const status = h('p', { class: 'status', role: 'status', 'aria-live': 'polite' });
        const submit = h('button', { type: 'submit', class: 'btn btn-primary', i18n: opts.submitKey || 'common.save' });
        const cancel = h('button', { type: 'button', class: 'btn', i18n: 'common.cancel' });
        const form = h('form', { novalidate: true }, [
            opts.leadKey ? h('p', { i18n: opts.leadKey, i18nVars: opts.leadVars }) : null,
            ...opts.fields.map(field),
            status,
            h('div', { class: 'form-actions' }, [submit, cancel])
        ]);
        let result = null;
        cancel.addEventListener('click', () => dialog.close('cancel'));
        form.addEventListener('submit', async (event) => {
            event.preventDefault();
            clearFieldErrors(form);
            setStatus(status);
            const values = formValues(form);
            if (opts.check && showProblems(form, opts.check(values))) {
                return;
            }
            submit.disabled = true;
            setStatus(status, 'info', 'console.working');
            try {
                result = await opts.submit(values);
                dialog.close('done');
            } catch (err) {
                submit.disabled = false;
                showApiError(form, status, err);
            }
        });
        dialog.append(form);
        openDialog(dialog, (value) => resolve(value === 'done' ? (result === null ? true : result) : null));
        const first = form.querySelector('input, select, textarea');
        if (first) {
            first.focus();
        }
    });
}

async function copyText(input) {
    try {
        await navigator.clipboard.writeText(input.value);
        return true;
    } catch (e) {
        input.focus();
        input.select();
        try {
            return document.execCommand('copy');
        } catch (e2) {
            return false;
        }
    }
}

/** Shows a secret (a new API key) once; see the top of this file. */
export function secretDialog(opts) {
    return new Promise((resolve) => {
        const dialog = dialogFrame(opts.titleKey, opts.titleVars, 'console-dialog--wide');
        fieldSeq += 1;
        const id = 'secret-' + fieldSeq;
        const input = h('input', {
            id, type: 'text', class: 'mono secret-value', readOnly: true,
            value: opts.secret, spellcheck: 'false', autocomplete: 'off',
            'data-secret': 'true'
        });
        const status = h('p', { class: 'status', role: 'status', 'aria-live': 'polite' });
        const copy = h('button', { type: 'button', class: 'btn btn-primary', i18n: 'console.copy' });
        copy.addEventListener('click', async () => {
            const ok = await copyText(input);
            setStatus(status, ok ? 'success' : 'error', ok ? 'console.copied' : 'console.copyFailed');
        });
        const done = h('button', { type: 'submit', class: 'btn', i18n: 'console.secretDone' });
        dialog.append(
            h('p', { class: 'status status--error', i18n: 'console.secretWarning' }),
            h('div', { class: 'field' }, [h('label', { for: id, i18n: opts.labelKey || 'console.secretLabel' }), input]),
            ...(opts.notes || []),
            status,
            h('form', { method: 'dialog', class: 'form-actions' }, [copy, done])
        );
        input.addEventListener('focus', () => input.select());
        openDialog(dialog, () => resolve());
        input.focus();
    });
}

/* ---- busy buttons, tables, pager ------------------------------------------- */

export async function withBusy(button, fn) {
    if (button) {
        button.disabled = true;
    }
    try {
        return await fn();
    } finally {
        if (button) {
            button.disabled = false;
        }
    }
}

export function keepFocus(tbody, render, from) {
    render();
    const lost = !document.activeElement || document.activeElement === document.body;
    if (!lost || !from || !from.id) {
        return;
    }
    const row = Array.from(tbody.querySelectorAll('tr[data-id]')).find((tr) => tr.dataset.id === from.id);
    const buttons = row ? Array.from(row.querySelectorAll('button:not(:disabled)')) : [];
    const target = buttons.find((b) => b.dataset.action === from.action) || buttons[0];
    if (target) {
        target.focus();
    }
}

/** Puts rows (nodes) in tbody, or one row with the empty message. */
export function rowsOrEmpty(tbody, rows, emptyKey, columns) {
    clear(tbody);
    if (!rows.length) {
        tbody.append(h('tr', null, h('td', { class: 'empty', colspan: columns, i18n: emptyKey })));
        return;
    }
    tbody.append(...rows);
}

/** Previous / next buttons and "page N / M" in el. */
export function pager(el, info, onPage) {
    clear(el);
    const size = info.pageSize || 20;
    const page = info.page || 1;
    const pages = Math.max(1, Math.ceil((info.total || 0) / size));
    if (pages <= 1 && page <= 1) {
        return;
    }
    const prev = h('button', { type: 'button', class: 'btn btn-small', i18n: 'common.prev', disabled: page <= 1 });
    const next = h('button', { type: 'button', class: 'btn btn-small', i18n: 'common.next', disabled: page >= pages });
    prev.addEventListener('click', () => onPage(page - 1));
    next.addEventListener('click', () => onPage(page + 1));
    el.append(prev, h('span', { i18n: 'common.pageOf', i18nVars: { page, pages } }), next);
}

/* ---- tabs ----------------------------------------------------------------------- */

/** Makes tablist (role="tablist" holding role="tab" buttons with
 *  aria-controls) work; onShow(tab name) runs when a tab is shown. */
export function initTabs(tablist, onShow) {
    const tabs = Array.from(tablist.querySelectorAll('[role="tab"]'));
    function show(tab, focus) {
        for (const other of tabs) {
            const selected = other === tab;
            other.setAttribute('aria-selected', selected ? 'true' : 'false');
            other.tabIndex = selected ? 0 : -1;
            document.getElementById(other.getAttribute('aria-controls')).hidden = !selected;
        }
        if (focus) {
            tab.focus();
        }
        const name = tab.dataset.tab;
        if (window.location.hash !== '#' + name) {
            window.history.replaceState(null, '', '#' + name);
        }
        onShow(name);
    }
    tablist.addEventListener('click', (event) => {
        const tab = event.target.closest('[role="tab"]');
        if (tab) {
            show(tab, false);
        }
    });
    tablist.addEventListener('keydown', (event) => {
        const i = tabs.indexOf(document.activeElement);
        if (i < 0) {
            return;
        }
        const moves = { ArrowRight: i + 1, ArrowLeft: i - 1, Home: 0, End: tabs.length - 1 };
        if (!(event.key in moves)) {
            return;
        }
        event.preventDefault();
        show(tabs[(moves[event.key] + tabs.length) % tabs.length], true);
    });
    const wanted = tabs.find((tab) => '#' + tab.dataset.tab === window.location.hash) || tabs[0];
    show(wanted, false);
    return (name) => {
        const tab = tabs.find((x) => x.dataset.tab === name);
        if (tab) {
            show(tab, false);
        }
    };
}

/* ---- formatting ------------------------------------------------------------------ */

function locale() {
    return currentLang() === 'tr' ? 'tr-TR' : 'en-GB';
}

export function formatNumber(n) {
    if (n === null || n === undefined || n === '') {
        return t('common.none');
    }
    const v = Number(n);
    return Number.isFinite(v) ? new Intl.NumberFormat(locale()).format(v) : String(n);
}

/** '2026-11' as "Kas 2026" / "Nov 2026". */
export function formatMonth(ym) {
    const m = /^(\d{4})-(\d{2})$/.exec(String(ym || ''));
    if (!m) {
        return String(ym || '');
    }
    const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, 1));
    return new Intl.DateTimeFormat(locale(), { month: 'short', year: 'numeric', timeZone: 'UTC' }).format(d);
}

export function shortId(id) {
    return id ? String(id).slice(0, 8) : '';
}

export function textOrDash(v) {
    return v === null || v === undefined || v === '' ? t('common.none') : String(v);
}

export function whoText(v) {
    if (!v) {
        return t('common.none');
    }
    if (typeof v === 'string') {
        return v;
    }
    return v.email || v.name || t('common.none');
}

/* ---- chart ------------------------------------------------------------------------- */

const SVG_NS = 'http://www.w3.org/2000/svg';
const SERIES_CLASSES = 8;

function svg(tag, attrs, children) {
    const el = document.createElementNS(SVG_NS, tag);
    for (const [name, value] of Object.entries(attrs || {})) {
        if (value !== null && value !== undefined) {
            el.setAttribute(name, String(value));
        }
    }
    for (const child of children || []) {
        el.append(child);
    }
    return el;
}

function svgText(attrs, text) {
    const el = svg('text', attrs);
    el.textContent = text;
    return el;
}

const TICKS = 4;

/* The step between grid lines: a whole 1, 2 or 5 times a power of ten, so
 * that TICKS steps reach value (counts never get fractional ticks). */
function niceStep(value) {
    const raw = Math.max(1, value / TICKS);
    const power = 10 ** Math.floor(Math.log10(raw));
    for (const m of [1, 2, 5, 10]) {
        if (m * power >= raw) {
            return m * power;
        }
    }
    return 10 * power;
}

/** The class of the n-th series' colour. */
export function seriesClass(n) {
    return 'chart-series-' + (n % SERIES_CLASSES);
}

/** A stacked bar chart: one bar per column (a month), one segment per series.
 *  Returns an <svg role="img"> with a <title> and <desc>; the page shows the
 *  same numbers in a table for those who cannot see it. */
export function stackedBarChart(opts) {
    const columns = opts.columns;
    const series = opts.series;
    const totals = columns.map((c, i) => series.reduce((sum, s) => sum + (Number(s.values[i]) || 0), 0));
    const top = niceStep(Math.max(0, ...totals)) * TICKS;
    const width = 640;
    const height = 260;
    const left = 44;
    const bottom = 28;
    const plotH = height - bottom - 12;
    const slot = (width - left - 8) / Math.max(1, columns.length);
    const barW = Math.min(56, slot * 0.6);
    fieldSeq += 1;
    const titleId = 'chart-title-' + fieldSeq;
    const descId = 'chart-desc-' + fieldSeq;
    const root = svg('svg', {
        class: 'bar-chart', viewBox: '0 0 ' + width + ' ' + height, role: 'img',
        'aria-labelledby': titleId + ' ' + descId, preserveAspectRatio: 'xMidYMid meet'
    });
    const title = svg('title', { id: titleId });
    title.textContent = opts.titleText;
    const desc = svg('desc', { id: descId });
    desc.textContent = opts.descText || columns.map((c, i) => c + ': ' + totals[i]).join('; ');
    root.append(title, desc);
    const grid = svg('g', { class: 'bar-chart__grid', 'aria-hidden': 'true' });
    for (let k = 0; k <= TICKS; k++) {
        const y = 12 + plotH - (plotH * k) / TICKS;
        grid.append(svg('line', { x1: left, x2: width - 4, y1: y, y2: y }));
        grid.append(svgText({ x: left - 6, y: y + 4, class: 'bar-chart__axis', 'text-anchor': 'end' },
            formatNumber((top * k) / TICKS)));
    }
    root.append(grid);
    const bars = svg('g', { 'aria-hidden': 'true' });
    columns.forEach((label, i) => {
        const x = left + slot * i + (slot - barW) / 2;
        let y = 12 + plotH;
        series.forEach((s, n) => {
            const v = Number(s.values[i]) || 0;
            if (v <= 0) {
                return;
            }
            const hgt = (plotH * v) / top;
            y -= hgt;
            const rect = svg('rect', { x, y, width: barW, height: hgt, class: 'bar-chart__bar ' + seriesClass(n) });
            const tip = svg('title');
            tip.textContent = s.label + ' · ' + label + ': ' + v;
            rect.append(tip);
            bars.append(rect);
        });
        bars.append(svgText({ x: x + barW / 2, y: height - 10, class: 'bar-chart__axis', 'text-anchor': 'middle' }, label));
        if (totals[i] > 0) {
            bars.append(svgText({ x: x + barW / 2, y: y - 4, class: 'bar-chart__total', 'text-anchor': 'middle' },
                formatNumber(totals[i])));
        }
    });
    root.append(bars);
    return root;
}

/** The legend of a chart's series. */
export function chartLegend(series) {
    return h('ul', { class: 'chart-legend', 'aria-hidden': 'true' }, series.map((s, n) =>
        h('li', null, [h('span', { class: 'chart-legend__swatch ' + seriesClass(n) }), s.label])));
}
