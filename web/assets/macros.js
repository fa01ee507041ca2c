/* macros.js - the voice macros section of templates.html (docs/web-api.md,
 * "Voice macros").
 *
 * Lists GET /api/v1/macros (the user's own macros and the organization's,
 * and the built-in names that may be said), creates (POST), edits (PUT) and
 * deletes (DELETE, after a confirmation dialog) macros the user may change.
 * A manager also chooses the scope (only me / the whole organization); the
 * server decides who may change what (canEdit, canManageOrg) and its
 * validation error (400 with field) is shown next to that field. The page's
 * session, header and language come from templates.js; this module only
 * loads the session to have its CSRF token. */

import { api, errorText, loadSession } from './api.js';
import { h, clear, setStatus, setStatusText, clearFieldErrors } from './dom.js';
import { t } from './i18n.js';
import { saveEditorForm, confirmEditorDelete } from './editor.js';

const FIELDS = ['name', 'section', 'orgWide', 'text'];
const TEXT_PREVIEW_CHARS = 120;

const state = {
    items: [],
    builtin: [],
    macroWord: 'makro',
    canManageOrg: false,
    editing: null,      /* null: creating; else the macro being edited */
    returnFocus: null
};

const $ = (id) => document.getElementById(id);

/* ---- list ------------------------------------------------------------------ */

function sectionLabel(section) {
    return h('span', { i18n: 'mac.section.' + (section || 'any') });
}

function scopeBadge(orgWide) {
    return h('span', { class: 'badge badge--' + (orgWide ? 'library' : 'own'), i18n: orgWide ? 'mac.scope.org' : 'mac.scope.own' });
}

function preview(text) {
    const flat = (text || '').replace(/\s+/g, ' ').trim();
    return flat.length > TEXT_PREVIEW_CHARS ? flat.slice(0, TEXT_PREVIEW_CHARS - 1) + '…' : flat;
}

function actionButton(key, handler, extraClass, item) {
    const button = h('button', {
        type: 'button',
        class: 'btn btn-small' + (extraClass ? ' ' + extraClass : ''),
        i18n: key,
        dataset: { macroId: item.id, action: key.split('.').pop() }
    });
    button.setAttribute('aria-label', t(key) + ': ' + item.name);
    button.addEventListener('click', () => {
        state.returnFocus = button;
        handler(item);
    });
    return button;
}

function row(item) {
    return h('tr', { dataset: { macroId: item.id } }, [
        h('td', null, [h('span', { class: 'muted', text: state.macroWord + ' ' }), h('strong', { text: item.name })]),
        h('td', null, sectionLabel(item.section)),
        h('td', null, scopeBadge(item.orgWide)),
        h('td', { text: preview(item.text) }),
        h('td', { class: 'actions actions--wrap' }, item.canEdit ? [
            actionButton('common.edit', openEditor, null, item),
            actionButton('common.delete', confirmDelete, 'btn-danger', item)
        ] : null)
    ]);
}

function renderList() {
    const tbody = $('macro-table').querySelector('tbody');
    clear(tbody);
    if (state.items.length === 0) {
        tbody.append(h('tr', null, h('td', { class: 'empty', colspan: '5', i18n: 'mac.none' })));
    }
    for (const item of state.items) {
        tbody.append(row(item));
    }
    const list = $('builtin-list');
    clear(list);
    if (state.builtin.length === 0) {
        list.append(h('li', { class: 'muted', i18n: 'mac.builtinNone' }));
    }
    for (const b of state.builtin) {
        list.append(h('li', null, [h('q', { text: b.say }), ' — ', h('span', { class: 'muted', text: b.template })]));
    }
    renderHints();
}

function renderHints() {
    const hint = $('macro-name-hint');
    hint.textContent = t('mac.nameHint', { word: state.macroWord });
    $('macro-scope-field').hidden = !state.canManageOrg;
}

async function loadList() {
    try {
        const reply = await api('GET', '/api/v1/macros');
        state.items = reply.items || [];
        state.builtin = reply.builtin || [];
        state.macroWord = reply.macroWord || 'makro';
        state.canManageOrg = Boolean(reply.canManageOrg);
        renderList();
    } catch (err) {
        setStatusText($('macro-status'), 'error', errorText(err));
    }
}

/* ---- editor ----------------------------------------------------------------- */

function openEditor(item) {
    const form = $('macro-form');
    clearFieldErrors(form);
    setStatus($('macro-editor-status'));
    form.reset();
    state.editing = item || null;
    const title = $('macro-editor-title');
    if (item) {
        title.setAttribute('data-i18n', 'mac.editorEdit');
        title.setAttribute('data-i18n-vars', JSON.stringify({ name: item.name }));
        form.elements.name.value = item.name;
        form.elements.section.value = item.section || '';
        form.elements.orgWide.value = item.orgWide ? 'true' : 'false';
        form.elements.text.value = item.text || '';
    } else {
        title.setAttribute('data-i18n', 'mac.editorNew');
        title.removeAttribute('data-i18n-vars');
    }
    title.textContent = t(title.getAttribute('data-i18n'), item ? { name: item.name } : undefined);
    form.elements.orgWide.disabled = Boolean(item); /* a macro's scope stays */
    renderHints();
    form.hidden = false;
    form.elements.name.focus();
}

function closeEditor(restoreFocus) {
    $('macro-form').hidden = true;
    state.editing = null;
    if (restoreFocus && state.returnFocus && document.contains(state.returnFocus)) {
        state.returnFocus.focus();
    }
}

function macroBody(form) {
    const body = {
        name: form.elements.name.value.trim(),
        section: form.elements.section.value || null,
        text: form.elements.text.value
    };
    if (state.canManageOrg && !state.editing) {
        body.orgWide = form.elements.orgWide.value === 'true';
    }
    return body;
}

async function saveMacro(event) {
    event.preventDefault();
    const saved = await saveEditorForm({
        form: $('macro-form'), status: $('macro-editor-status'), body: macroBody($('macro-form')),
        required: [['name', 'mac.missingName'], ['text', 'mac.missingText']],
        url: '/api/v1/macros', id: state.editing ? state.editing.id : null,
        fields: FIELDS, button: $('macro-save'),
    });
    if (saved) {
        closeEditor(false);
        setStatus($('macro-status'), 'success', 'mac.saved');
        await loadList();
        $('new-macro').focus();
    }
}

/* ---- delete --------------------------------------------------------------- */

function confirmDelete(item) {
    confirmEditorDelete({
        dialog: $('macro-confirm-dialog'), text: $('macro-confirm-text'),
        cancel: $('macro-confirm-cancel'), key: 'mac.confirmDelete', name: item.name,
        url: '/api/v1/macros/' + encodeURIComponent(item.id), status: $('macro-status'),
        returnFocus: state.returnFocus,
        onDeleted: async () => {
            closeEditor(false);
            setStatus($('macro-status'), 'success', 'mac.deleted');
            await loadList();
            $('new-macro').focus();
        },
    });
}

/* ---- start ------------------------------------------------------------------ */

async function start() {
    /* templates.js signs the page in (and sends a stranger to the sign-in
     * page); this only needs the session's CSRF token. */
    const session = await loadSession().catch(() => null);
    if (!session) {
        return;
    }
    $('new-macro').addEventListener('click', () => {
        state.returnFocus = $('new-macro');
        openEditor(null);
    });
    $('macro-form').addEventListener('submit', saveMacro);
    $('macro-cancel').addEventListener('click', () => closeEditor(true));
    window.addEventListener('raportai:lang', renderList);
    await loadList();
}

start();
