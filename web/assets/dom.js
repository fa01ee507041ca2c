/* dom.js - small helpers to build and update the page safely.
 *
 * Data from the server only ever reaches the page as text (textContent or
 * attribute values): nothing here parses HTML.
 *
 *   h(tag, props, children)   a new element. props: class, text, i18n (a
 *        dictionary key: sets data-i18n and the translated text), i18nVars,
 *        on ({event: handler}), dataset, the properties hidden, disabled,
 *        checked, selected, readOnly, required, value, and any other name as
 *        an attribute (null/undefined/false leave it out). children: nodes,
 *        strings (as text) or null (skipped), or one of them alone.
 *   clear(node)               removes every child.
 *   setStatus(el, kind, key, vars)   a translated message in an aria-live
 *        region; kind 'error' | 'success' | 'info' | null; stays translated
 *        when the language changes.
 *   setStatusText(el, kind, text)    the same with a ready sentence (the
 *        server's message); setStatus(el) with no key empties it.
 *   badge(status)             a status badge (pending/processing/completed/failed).
 *   showFieldError(form, name, text), clearFieldErrors(form)   a message
 *        under the control named name, inside its .field (which gets
 *        .field--invalid; the control gets aria-invalid and aria-describedby
 *        pointing at the .field__error element).
 *   debounce(fn, ms), queryParam(name)
 */

import { t } from './i18n.js';

const PROPERTIES = new Set(['hidden', 'disabled', 'checked', 'selected', 'readOnly', 'required', 'value', 'multiple']);

export function h(tag, props, children) {
    const el = document.createElement(tag);
    const p = props || {};
    for (const [name, value] of Object.entries(p)) {
        if (value === null || value === undefined || value === false) {
            continue;
        }
        if (name === 'class') {
            el.className = value;
        } else if (name === 'text') {
            el.textContent = String(value);
        } else if (name === 'i18n') {
            el.setAttribute('data-i18n', value);
        } else if (name === 'i18nVars') {
            el.setAttribute('data-i18n-vars', JSON.stringify(value));
        } else if (name === 'on') {
            for (const [event, handler] of Object.entries(value)) {
                el.addEventListener(event, handler);
            }
        } else if (name === 'dataset') {
            Object.assign(el.dataset, value);
        } else if (PROPERTIES.has(name)) {
            el[name] = value;
        } else {
            el.setAttribute(name, value === true ? '' : String(value));
        }
    }
    if (p.i18n) {
        el.textContent = t(p.i18n, p.i18nVars);
    }
    const list = Array.isArray(children) ? children : [children];
    for (const child of list) {
        if (child === null || child === undefined || child === false) {
            continue;
        }
        el.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return el;
}

export function clear(node) {
    while (node.firstChild) {
        node.removeChild(node.firstChild);
    }
}

function statusClass(kind) {
    return 'status' + (kind ? ' status--' + kind : '');
}

/** A translated message (key, vars) in the live region el. */
export function setStatus(el, kind, key, vars) {
    if (!el) {
        return;
    }
    if (!key) {
        el.removeAttribute('data-i18n');
        el.removeAttribute('data-i18n-vars');
        el.textContent = '';
        el.className = statusClass(null);
        return;
    }
    el.setAttribute('data-i18n', key);
    if (vars) {
        el.setAttribute('data-i18n-vars', JSON.stringify(vars));
    } else {
        el.removeAttribute('data-i18n-vars');
    }
    el.className = statusClass(kind);
    el.textContent = t(key, vars);
}

/** A ready sentence in the live region el. */
export function setStatusText(el, kind, text) {
    if (!el) {
        return;
    }
    el.removeAttribute('data-i18n');
    el.removeAttribute('data-i18n-vars');
    el.className = statusClass(text ? kind : null);
    el.textContent = text || '';
}

const STATUSES = new Set(['pending', 'processing', 'completed', 'failed']);

export function badge(status) {
    const known = STATUSES.has(status);
    return h('span', {
        class: 'badge badge--' + (known ? status : 'muted'),
        i18n: known ? 'status.' + status : null,
        text: known ? null : status
    });
}

function fieldParts(form, name) {
    const control = form.querySelector('[name="' + CSS.escape(name) + '"]');
    const field = control ? control.closest('.field') : null;
    const message = field ? field.querySelector('.field__error') : null;
    return { control, field, message };
}

/** Shows text under the control named name; false when the form has no
 *  such control (the caller then shows the text elsewhere). */
export function showFieldError(form, name, text) {
    const { control, field, message } = fieldParts(form, name);
    if (!control || !field || !message) {
        return false;
    }
    if (!message.id) {
        message.id = (control.id || name) + '-error';
    }
    message.textContent = text;
    field.classList.add('field--invalid');
    control.setAttribute('aria-invalid', 'true');
    const described = (control.getAttribute('aria-describedby') || '').split(/\s+/).filter(Boolean);
    if (!described.includes(message.id)) {
        described.push(message.id);
        control.setAttribute('aria-describedby', described.join(' '));
    }
    return true;
}

export function clearFieldErrors(form) {
    for (const field of form.querySelectorAll('.field--invalid')) {
        field.classList.remove('field--invalid');
    }
    for (const message of form.querySelectorAll('.field__error')) {
        message.textContent = '';
    }
    for (const control of form.querySelectorAll('[aria-invalid]')) {
        control.removeAttribute('aria-invalid');
    }
}

export function debounce(fn, ms) {
    let timer = null;
    return (...args) => {
        clearTimeout(timer);
        timer = setTimeout(() => fn(...args), ms);
    };
}

export function queryParam(name) {
    return new URLSearchParams(window.location.search).get(name);
}
