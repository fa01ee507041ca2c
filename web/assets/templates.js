/* templates.js - the template library and the user's own templates
 * (templates.html).
 *
 * Lists GET /api/v1/templates (filterable by name), shows one template
 * (GET /api/v1/templates/{id}), creates (POST), edits (PUT) and deletes
 * (DELETE, after a confirmation dialog) own templates; a library template
 * can be the start of a new one. The editor reads a file with FileReader,
 * inserts placeholders at the cursor, and puts the server's validation
 * error (400 INVALID_TEMPLATE with field) next to that field. An IHE MRRT
 * (RadReport) HTML template can be imported as an own template
 * (POST /api/v1/templates/import-mrrt). */

import { api, apiForm, errorText } from './api.js';
import { initPage, REPORTING_NAV } from './layout.js';
import { h, clear, setStatus, setStatusText, showFieldError, clearFieldErrors } from './dom.js';
import { t } from './i18n.js';
import { saveEditorForm, confirmEditorDelete } from './editor.js';

const PLACEHOLDERS = ['BULGULAR', 'SONUC', 'IZLENIM', 'TEKNIK', 'KLINIK', 'KARSILASTIRMA'];
const MAX_FILE_BYTES = 512 * 1024;
const FORMAT_OF_EXTENSION = { txt: 'txt', rtf: 'rtf', html: 'html', htm: 'html' };
const FIELDS = ['name', 'format', 'modality', 'bodyPart', 'language', 'content'];

const state = {
    items: [],
    viewing: null,      /* the template shown, with content */
    editing: null,      /* null: creating; else the template being edited */
    returnFocus: null
};

const $ = (id) => document.getElementById(id);

/* ---- list ------------------------------------------------------------------ */

function ownerBadge(owner) {
    const own = owner === 'own';
    return h('span', { class: 'badge badge--' + (own ? 'own' : 'library'), i18n: own ? 'tpl.owner.own' : 'tpl.owner.library' });
}

function actionButton(key, handler, extraClass, item) {
    const button = h('button', {
        type: 'button',
        class: 'btn btn-small' + (extraClass ? ' ' + extraClass : ''),
        i18n: key,
        dataset: { templateId: item.id, action: key.split('.').pop() }
    });
    button.setAttribute('aria-label', t(key) + ': ' + item.name);
    button.addEventListener('click', () => {
        state.returnFocus = button;
        handler(item);
    });
    return button;
}

function row(item) {
    const own = item.owner === 'own';
    return h('tr', { dataset: { templateId: item.id } }, [
        h('td', { text: item.name }),
        h('td', null, ownerBadge(item.owner)),
        h('td', { class: 'mono', text: (item.format || '').toUpperCase() }),
        h('td', { text: item.modality || '' }),
        h('td', { text: item.bodyPart || '' }),
        h('td', { text: item.language || '' }),
        h('td', { class: 'actions actions--wrap' }, [
            actionButton('common.view', viewTemplate, null, item),
            own ? actionButton('common.edit', editTemplate, null, item) : null,
            own ? actionButton('common.delete', confirmDelete, 'btn-danger', item) : null
        ])
    ]);
}

function renderList() {
    const tbody = $('template-table').querySelector('tbody');
    const filter = $('template-filter').value.trim().toLocaleLowerCase();
    const shown = state.items.filter((item) => !filter ||
        [item.name, item.modality, item.bodyPart].some((v) => v && v.toLocaleLowerCase().includes(filter)));
    clear(tbody);
    if (shown.length === 0) {
        tbody.append(h('tr', null, h('td', { class: 'empty', colspan: '7', i18n: 'tpl.none' })));
        return;
    }
    for (const item of shown) {
        tbody.append(row(item));
    }
}

async function loadList() {
    try {
        const reply = await api('GET', '/api/v1/templates');
        state.items = (reply.items || []).slice().sort((a, b) =>
            (a.owner === b.owner ? 0 : a.owner === 'own' ? -1 : 1) || a.name.localeCompare(b.name));
        renderList();
    } catch (err) {
        setStatusText($('page-status'), 'error', errorText(err));
    }
}

/* ---- view ------------------------------------------------------------------ */

function fact(key, value) {
    return [h('dt', { i18n: key }), h('dd', { text: value || t('common.none') })];
}

async function fetchTemplate(item) {
    return api('GET', '/api/v1/templates/' + encodeURIComponent(item.id));
}

async function viewTemplate(item) {
    setStatus($('page-status'));
    let tpl;
    try {
        tpl = await fetchTemplate(item);
    } catch (err) {
        setStatusText($('page-status'), 'error', errorText(err));
        return;
    }
    state.viewing = Object.assign({}, item, tpl);
    closeEditor(false);
    const title = $('view-title');
    title.setAttribute('data-i18n', 'tpl.viewTitle');
    title.setAttribute('data-i18n-vars', JSON.stringify({ name: state.viewing.name }));
    title.textContent = t('tpl.viewTitle', { name: state.viewing.name });
    const facts = $('view-facts');
    clear(facts);
    facts.append(...fact('col.owner', t(state.viewing.owner === 'own' ? 'tpl.owner.own' : 'tpl.owner.library')),
        ...fact('col.format', (state.viewing.format || '').toUpperCase()),
        ...fact('col.modality', state.viewing.modality),
        ...fact('col.bodyPart', state.viewing.bodyPart),
        ...fact('col.language', state.viewing.language));
    $('view-content').textContent = state.viewing.content || '';
    const own = state.viewing.owner === 'own';
    $('view-edit').hidden = !own;
    $('view-delete').hidden = !own;
    $('template-view').hidden = false;
    title.focus();
}

function closeView() {
    $('template-view').hidden = true;
    state.viewing = null;
}

/* ---- editor ----------------------------------------------------------------- */

function openEditor(template, asCopy) {
    const form = $('template-form');
    closeView();
    clearFieldErrors(form);
    setStatus($('editor-status'));
    form.reset();
    state.editing = template && !asCopy ? template : null;
    const title = $('editor-title');
    if (state.editing) {
        title.setAttribute('data-i18n', 'tpl.editorEdit');
        title.setAttribute('data-i18n-vars', JSON.stringify({ name: template.name }));
    } else {
        title.setAttribute('data-i18n', 'tpl.editorNew');
        title.removeAttribute('data-i18n-vars');
    }
    title.textContent = t(title.getAttribute('data-i18n'), state.editing ? { name: template.name } : undefined);
    if (template) {
        form.elements.name.value = asCopy ? t('tpl.copyName', { name: template.name }) : template.name;
        form.elements.format.value = template.format || 'txt';
        form.elements.modality.value = template.modality || '';
        form.elements.bodyPart.value = template.bodyPart || '';
        form.elements.language.value = template.language || 'tr';
        form.elements.content.value = template.content || '';
    }
    form.hidden = false;
    form.elements.name.focus();
}

function closeEditor(restoreFocus) {
    $('template-form').hidden = true;
    state.editing = null;
    if (restoreFocus && state.returnFocus && document.contains(state.returnFocus)) {
        state.returnFocus.focus();
    }
}

async function editTemplate(item) {
    try {
        openEditor(Object.assign({}, item, await fetchTemplate(item)), false);
    } catch (err) {
        setStatusText($('page-status'), 'error', errorText(err));
    }
}

function insertPlaceholder(name) {
    const area = $('tpl-content');
    const text = '{{' + name + '}}';
    const start = area.selectionStart ?? area.value.length;
    const end = area.selectionEnd ?? start;
    area.setRangeText(text, start, end, 'end');
    area.focus();
}

function renderPlaceholders() {
    const list = $('placeholder-list');
    clear(list);
    for (const name of PLACEHOLDERS) {
        const button = h('button', { type: 'button', class: 'btn btn-small', dataset: { placeholder: name } }, [
            h('code', { text: '{{' + name + '}}' }),
            h('span', { class: 'muted', text: t('ph.' + name) })
        ]);
        button.addEventListener('click', () => insertPlaceholder(name));
        list.append(h('li', null, button));
    }
}

function readFile() {
    const input = $('tpl-file');
    const form = $('template-form');
    const file = input.files[0];
    clearFieldErrors(form);
    if (!file) {
        return;
    }
    if (file.size > MAX_FILE_BYTES) {
        showFieldError(form, 'file', t('tpl.fileTooLarge'));
        input.value = '';
        return;
    }
    const reader = new FileReader();
    reader.addEventListener('load', () => {
        form.elements.content.value = String(reader.result || '');
        const ext = (file.name.split('.').pop() || '').toLowerCase();
        if (FORMAT_OF_EXTENSION[ext]) {
            form.elements.format.value = FORMAT_OF_EXTENSION[ext];
        }
        if (!form.elements.name.value.trim()) {
            form.elements.name.value = file.name.replace(/\.[^.]+$/, '');
        }
        setStatus($('editor-status'), 'success', 'tpl.fileLoaded', { name: file.name });
    });
    reader.addEventListener('error', () => showFieldError(form, 'file', t('tpl.fileError')));
    reader.readAsText(file, 'utf-8');
}

function templateBody(form) {
    const body = {};
    for (const name of FIELDS) {
        const value = form.elements[name].value;
        body[name] = name === 'content' ? value : value.trim();
    }
    body.modality = body.modality || null;
    body.bodyPart = body.bodyPart || null;
    return body;
}

async function saveTemplate(event) {
    event.preventDefault();
    const saved = await saveEditorForm({
        form: $('template-form'), status: $('editor-status'), body: templateBody($('template-form')),
        required: [['name', 'tpl.missingName'], ['content', 'tpl.missingContent']],
        url: '/api/v1/templates', id: state.editing ? state.editing.id : null,
        fields: FIELDS, button: $('tpl-save'),
    });
    if (saved) {
        closeEditor(false);
        setStatus($('page-status'), 'success', 'tpl.saved');
        await loadList();
        $('template-filter').focus();
    }
}

/* ---- delete --------------------------------------------------------------- */

function confirmDelete(item) {
    confirmEditorDelete({
        dialog: $('confirm-dialog'), text: $('confirm-text'), cancel: $('confirm-cancel'),
        key: 'tpl.confirmDelete', name: item.name,
        url: '/api/v1/templates/' + encodeURIComponent(item.id), status: $('page-status'),
        returnFocus: state.returnFocus,
        onDeleted: async () => {
            closeView();
            closeEditor(false);
            setStatus($('page-status'), 'success', 'tpl.deleted');
            await loadList();
            $('template-filter').focus();
        },
    });
}

/* ---- IHE MRRT import ----------------------------------------------------------- */

/* Sends the chosen file to the server, which converts it (sections to
 * placeholders, modality and body part guessed) and saves it as an own
 * template; the new template is then shown. */
async function importMrrt() {
    const input = $('mrrt-file');
    const file = input.files[0];
    input.value = '';
    if (!file) {
        return;
    }
    const fd = new FormData();
    fd.append('file', file, file.name);
    $('import-mrrt').disabled = true;
    setStatus($('page-status'));
    try {
        const tpl = await apiForm('POST', '/api/v1/templates/import-mrrt', fd);
        await loadList();
        state.returnFocus = $('import-mrrt');
        await viewTemplate(tpl);
        setStatus($('page-status'), 'success', 'tpl.imported', { name: tpl.name });
    } catch (err) {
        setStatusText($('page-status'), 'error', errorText(err));
    } finally {
        $('import-mrrt').disabled = false;
    }
}

/* ---- start ------------------------------------------------------------------ */

async function start() {
    const session = await initPage({ path: ['user', 'corporate'], nav: REPORTING_NAV });
    if (!session) {
        return;
    }
    renderPlaceholders();
    $('template-filter').addEventListener('input', renderList);
    $('new-template').addEventListener('click', () => {
        state.returnFocus = $('new-template');
        openEditor(null, false);
    });
    $('import-mrrt').addEventListener('click', () => $('mrrt-file').click());
    $('mrrt-file').addEventListener('change', importMrrt);
    $('template-form').addEventListener('submit', saveTemplate);
    $('tpl-cancel').addEventListener('click', () => closeEditor(true));
    $('tpl-file').addEventListener('change', readFile);
    $('view-close').addEventListener('click', () => {
        closeView();
        if (state.returnFocus) {
            state.returnFocus.focus();
        }
    });
    $('view-edit').addEventListener('click', () => state.viewing && openEditor(state.viewing, false));
    $('view-copy').addEventListener('click', () => state.viewing && openEditor(state.viewing, true));
    $('view-delete').addEventListener('click', () => state.viewing && confirmDelete(state.viewing));
    window.addEventListener('raportai:lang', () => {
        renderPlaceholders();
        renderList();
    });
    await loadList();
}

start();
