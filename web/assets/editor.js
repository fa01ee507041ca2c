/* editor.js - saving an editor form (own templates, macros): one way to check
 * the required fields, create or replace the object, and show the server's
 * refusal beside the field it names.
 *
 *   saveEditorForm({form, status, body, required, url, id, fields, button})
 *     form      the <form>; its fields' errors are cleared first
 *     status    the aria-live element for the editor's message
 *     body      the JSON to send
 *     required  [[name, i18nKey], ...]: a field whose value in body is blank
 *               stops the save with that message beside it
 *     url       the collection: POST url creates, PUT url/id replaces
 *     id        the edited object's id, or null for a new one
 *     fields    the names of body's fields, for the server's "field"
 *     button    the save button, disabled while the request runs
 *   Resolves to true when the server saved it.
 *
 *   confirmEditorDelete({dialog, text, cancel, key, name, url, status,
 *                        returnFocus, onDeleted})
 *     asks in dialog (a <dialog> whose delete button closes it with the
 *     value "delete"; text shows the i18n message key with {name}; cancel
 *     gets the focus), then DELETEs url and calls onDeleted; a refusal is
 *     shown in status; cancelling gives the focus back to returnFocus. */

import { api, errorText } from './api.js';
import { setStatus, setStatusText, showFieldError, clearFieldErrors } from './dom.js';
import { t } from './i18n.js';

export async function saveEditorForm({ form, status, body, required, url, id, fields, button }) {
    clearFieldErrors(form);
    const missing = required.find(([name]) => !String(body[name] || '').trim());
    if (missing) {
        showFieldError(form, missing[0], t(missing[1]));
        setStatus(status, 'error', missing[1]);
        form.elements[missing[0]].focus();
        return false;
    }
    button.disabled = true;
    try {
        if (id) {
            await api('PUT', url + '/' + encodeURIComponent(id), body);
        } else {
            await api('POST', url, body);
        }
        return true;
    } catch (err) {
        const text = errorText(err);
        setStatusText(status, 'error', text);
        const field = err.field && fields.includes(err.field) ? err.field : null;
        if (field && showFieldError(form, field, text) !== false) {
            form.elements[field].focus();
        }
        return false;
    } finally {
        button.disabled = false;
    }
}

export function confirmEditorDelete({ dialog, text, cancel, key, name, url, status, returnFocus, onDeleted }) {
    text.setAttribute('data-i18n', key);
    text.setAttribute('data-i18n-vars', JSON.stringify({ name }));
    text.textContent = t(key, { name });
    dialog.returnValue = '';
    dialog.addEventListener('close', async () => {
        if (dialog.returnValue !== 'delete') {
            if (returnFocus) {
                returnFocus.focus();
            }
            return;
        }
        try {
            await api('DELETE', url);
            await onDeleted();
        } catch (err) {
            setStatusText(status, 'error', errorText(err));
        }
    }, { once: true });
    dialog.showModal();
    cancel.focus();
}
