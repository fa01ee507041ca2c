/* layout.js - the frame every page shares: header with the product name,
 * navigation by role, language switch and the user menu with sign-out.
 *
 * A page's HTML has <body class="is-loading">, a .skip-link, an empty
 * <header class="site-header"></header>, <main id="main" class="page">, and
 * one module script that starts with:
 *
 *   const session = await initPage({ path: 'user', nav: USER_NAV });
 *   if (!session) return;            // on the way to the sign-in page
 *
 * initPage(options) loads the session (GET /api/v1/session). Without one,
 * or with one of another sign-in path, it sends the browser to the path's
 * sign-in page and resolves to null. Otherwise it draws the header, shows
 * <main>, and resolves to the session ({user, organization, path,
 * csrfToken, ...}). options:
 *   path   'user' | 'corporate' | 'admin' | 'accounting', or an array of
 *          them when a page serves several paths (the first one's sign-in
 *          page is where a visitor without a session goes).
 *   nav    [{href, key, roles?}] (key: an i18n key; roles: only these
 *          roles see the link), or a function(session) returning such a list.
 * A page restored from the back-forward cache checks its session again.
 *
 * initPublicPage() is the frame of pages without a session (landing,
 * sign-in, registration): product name and language switch.
 *
 * NAV_BY_PATH / USER_NAV / REPORTING_NAV: the standard menus; HOME_BY_PATH:
 * where each path lands after sign-in. */

import { applyI18n, currentLang, setLang } from './i18n.js';
import { api, loadSession, setSignInPage, SIGN_IN_PAGES, errorText } from './api.js';
import { h, clear, setStatusText } from './dom.js';

export const HOME_BY_PATH = {
    user: '/dashboard.html',
    corporate: '/organization.html',
    admin: '/admin.html',
    accounting: '/accounting.html'
};

/** The individual radiologist's menu. */
export const USER_NAV = [
    { href: '/dashboard.html', key: 'nav.dashboard' },
    { href: '/reporting-ai.html', key: 'nav.reporting' },
    { href: '/templates.html', key: 'nav.templates' },
    { href: '/history.html', key: 'nav.history' }
];

/** The corporate menu on the reporting pages: members who report see the
 *  reporting pages, technical staff only the organization workspace. */
export const CORPORATE_REPORTING_NAV = [
    { href: '/organization.html', key: 'nav.organization' },
    { href: '/reporting-ai.html', key: 'nav.reporting', roles: ['manager', 'radiologist', 'doctor'] },
    { href: '/templates.html', key: 'nav.templates', roles: ['manager', 'radiologist', 'doctor'] },
    { href: '/history.html', key: 'nav.history', roles: ['manager', 'radiologist', 'doctor'] },
    { href: '/api-keys.html', key: 'nav.apiKeys', roles: ['manager'] },
    { href: '/pilot.html', key: 'nav.pilot', roles: ['manager', 'technical'] }
];

/** The menu of the reporting pages, which serve both the user and the
 *  corporate path. */
export function REPORTING_NAV(session) {
    return session.path === 'corporate' ? CORPORATE_REPORTING_NAV : USER_NAV;
}

const LANGUAGE_NAMES = { tr: 'Türkçe', en: 'English' };

function languageSwitch() {
    const select = h('select', { id: 'lang-switch', name: 'lang' },
        Object.entries(LANGUAGE_NAMES).map(([code, name]) =>
            h('option', { value: code, lang: code, selected: code === currentLang() }, name)));
    select.addEventListener('change', () => setLang(select.value));
    return h('div', { class: 'lang-switch' }, [
        h('label', { for: 'lang-switch', i18n: 'common.language' }),
        select
    ]);
}

function brand(href, path) {
    return h('a', { class: 'brand', href }, [
        h('span', { class: 'brand__mark', 'aria-hidden': 'true' }),
        h('span', { i18n: 'app.name' }),
        path ? h('span', { class: 'brand__area', i18n: 'area.' + path }) : null
    ]);
}

function headerElement() {
    let header = document.querySelector('header.site-header');
    if (!header) {
        header = h('header', { class: 'site-header' });
        const skip = document.querySelector('.skip-link');
        if (skip) {
            skip.after(header);
        } else {
            document.body.prepend(header);
        }
    }
    clear(header);
    return header;
}

function isCurrent(href) {
    const here = window.location.pathname;
    return here === href || (href === '/index.html' && here === '/');
}

function navigation(items) {
    const links = items.map((item) => h('li', null, h('a', {
        href: item.href,
        i18n: item.key,
        'aria-current': isCurrent(item.href) ? 'page' : null
    })));
    return h('nav', { 'data-i18n-aria-label': 'nav.main', 'aria-label': '' }, h('ul', { class: 'nav' }, links));
}

async function signOut(button, path) {
    button.disabled = true;
    button.setAttribute('data-i18n', 'user.signingOut');
    applyI18n(button);
    try {
        await api('POST', '/api/v1/auth/logout', undefined, { noRedirect: true, timeoutMs: 10000 });
    } catch (err) {
        /* an ended session or a lost server: either way go to sign-in */
    }
    window.location.replace(SIGN_IN_PAGES[path] || '/');
}

function userMenu(session) {
    const user = session.user || {};
    const org = session.organization;
    const signOutButton = h('button', {
        type: 'button', id: 'sign-out', class: 'btn btn-small btn-block', i18n: 'user.signOut'
    });
    signOutButton.addEventListener('click', () => signOut(signOutButton, session.path));
    const details = h('details', { class: 'user-menu' }, [
        h('summary', null, [
            h('span', { class: 'user-menu__name', text: user.name || user.email || '' }),
            ' ',
            h('span', { class: 'sr-only', i18n: 'user.menu' })
        ]),
        h('div', { class: 'user-menu__panel' }, [
            h('p', null, h('strong', { text: user.name || '' })),
            h('p', { class: 'muted', text: user.email || '' }),
            h('p', { i18n: 'role.' + user.role }),
            org && org.name ? h('p', { i18n: 'user.organization', i18nVars: { name: org.name } }) : null,
            signOutButton
        ])
    ]);
    details.addEventListener('keydown', (event) => {
        if (event.key === 'Escape' && details.open) {
            details.open = false;
            details.querySelector('summary').focus();
        }
    });
    document.addEventListener('click', (event) => {
        if (details.open && !details.contains(event.target)) {
            details.open = false;
        }
    });
    return details;
}

function renderHeader(session, items) {
    const header = headerElement();
    const home = session ? HOME_BY_PATH[session.path] || '/' : '/';
    header.append(h('div', { class: 'site-header__inner' }, [
        brand(home, session ? session.path : null),
        items && items.length ? navigation(items) : null,
        h('div', { class: 'header-tools' }, [languageSwitch(), session ? userMenu(session) : null])
    ]));
    applyI18n(header);
}

function showPage() {
    document.body.classList.remove('is-loading');
}

function navItems(nav, session) {
    const list = typeof nav === 'function' ? nav(session) : nav || [];
    const role = session.user ? session.user.role : null;
    return list.filter((item) => !item.roles || item.roles.includes(role));
}

function fitsPath(session, paths) {
    return session && paths.includes(session.path);
}

/** See the top of this file. */
export async function initPage(options) {
    const paths = Array.isArray(options.path) ? options.path : [options.path];
    const signIn = SIGN_IN_PAGES[paths[0]] || '/';
    setSignInPage(signIn);
    applyI18n(document);
    let session;
    try {
        session = await loadSession();
    } catch (err) {
        renderHeader(null, []);
        showPage();
        const main = document.querySelector('main');
        const status = h('p', { class: 'status', role: 'status', 'aria-live': 'polite' });
        main.prepend(status);
        setStatusText(status, 'error', errorText(err));
        return null;
    }
    if (!fitsPath(session, paths)) {
        window.location.replace(signIn);
        return null;
    }
    setSignInPage(SIGN_IN_PAGES[session.path]);
    renderHeader(session, navItems(options.nav, session));
    showPage();
    window.addEventListener('pageshow', async (event) => {
        if (!event.persisted) {
            return;
        }
        const again = await loadSession().catch(() => null);
        if (!fitsPath(again, paths)) {
            window.location.replace(signIn);
        }
    });
    return session;
}

/** The frame of a page without a session. */
export function initPublicPage() {
    applyI18n(document);
    renderHeader(null, []);
    showPage();
}
