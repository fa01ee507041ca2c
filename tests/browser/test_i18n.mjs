// Static checks of the web pages (no browser needed): Turkish and English
// have the same dictionary keys; every key a page or module names exists;
// no page holds what the Content-Security-Policy would block (inline
// scripts, <style> blocks, style="" or on* attributes); every form control
// of our pages has a label.

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const WEB = path.resolve(HERE, '..', '..', 'web');

function walk(dir, ext) {
    const out = [];
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) {
            out.push(...walk(full, ext));
        } else if (entry.name.endsWith(ext)) {
            out.push(full);
        }
    }
    return out;
}

async function dictionaries() {
    const mod = await import(pathToFileURL(path.join(WEB, 'assets', 'i18n.js')).href);
    return mod.DICTIONARIES;
}

export const noBrowser = true;

export const tests = [
    ['Turkish and English have the same keys, none empty', async (ctx) => {
        const { tr, en } = await dictionaries();
        const trKeys = Object.keys(tr).sort();
        const enKeys = Object.keys(en).sort();
        ctx.assert.deepEqual(trKeys.filter((k) => !(k in en)), [], 'keys only in Turkish');
        ctx.assert.deepEqual(enKeys.filter((k) => !(k in tr)), [], 'keys only in English');
        for (const key of trKeys) {
            ctx.assert.ok(tr[key].trim() && en[key].trim(), 'empty text for ' + key);
        }
    }],

    ['every key the pages and modules use exists', async (ctx) => {
        const { tr } = await dictionaries();
        const prefixes = new Set(Object.keys(tr).map((k) => k.split('.')[0]));
        const missing = [];
        for (const file of walk(WEB, '.html')) {
            const html = fs.readFileSync(file, 'utf8');
            for (const m of html.matchAll(/data-i18n(?:-placeholder|-title|-aria-label|-label)?="([^"]+)"/g)) {
                if (!(m[1] in tr)) {
                    missing.push(path.relative(WEB, file) + ': ' + m[1]);
                }
            }
        }
        for (const file of walk(path.join(WEB, 'assets'), '.js')) {
            const js = fs.readFileSync(file, 'utf8');
            for (const m of js.matchAll(/'([a-z][A-Za-z]*\.[A-Za-z0-9_.]*[A-Za-z0-9_])'/g)) {
                const key = m[1];
                if (prefixes.has(key.split('.')[0]) && !(key in tr)) {
                    missing.push(path.relative(WEB, file) + ': ' + key);
                }
            }
        }
        ctx.assert.deepEqual(missing, []);
    }],

    ['no page holds what the Content-Security-Policy blocks', async (ctx) => {
        const problems = [];
        for (const file of walk(WEB, '.html')) {
            const html = fs.readFileSync(file, 'utf8');
            const name = path.relative(WEB, file);
            for (const m of html.matchAll(/<script\b([^>]*)>/gi)) {
                if (!/\bsrc=/.test(m[1])) {
                    problems.push(name + ': inline <script>');
                }
            }
            if (/<style\b/i.test(html)) {
                problems.push(name + ': <style> block');
            }
            if (/\sstyle\s*=/i.test(html)) {
                problems.push(name + ': style attribute');
            }
            const handler = /<[^>]+\son[a-z]+\s*=/i.exec(html);
            if (handler) {
                problems.push(name + ': event handler attribute ' + handler[0].slice(0, 60));
            }
            if (/<(script|img|link|audio|video|source|iframe)\b[^>]*\s(src|href)\s*=\s*"(https?:)?\/\//i.test(html)) {
                problems.push(name + ': something fetched from another site');
            }
        }
        for (const file of walk(path.join(WEB, 'assets'), '.js')) {
            const js = fs.readFileSync(file, 'utf8');
            if (/\.innerHTML\s*=|insertAdjacentHTML|document\.write|\beval\(|new Function\(/.test(js)) {
                problems.push(path.relative(WEB, file) + ': builds markup from strings or evaluates code');
            }
        }
        ctx.assert.deepEqual(problems, []);
    }],

    ['every form control on our pages has a label', async (ctx) => {
        const problems = [];
        const pages = fs.readdirSync(WEB).filter((f) => f.endsWith('.html') && f !== 'docs.html');
        for (const page of pages) {
            const html = fs.readFileSync(path.join(WEB, page), 'utf8');
            const labelled = new Set(Array.from(html.matchAll(/<label[^>]*\bfor="([^"]+)"/g), (m) => m[1]));
            for (const m of html.matchAll(/<(input|select|textarea)\b([^>]*)>/g)) {
                const attrs = m[2];
                if (/type="(radio|checkbox|hidden|submit|button)"/.test(attrs)) {
                    continue; /* radios sit inside their <label> */
                }
                const id = /\bid="([^"]+)"/.exec(attrs);
                if (!id || !labelled.has(id[1])) {
                    problems.push(page + ': <' + m[1] + (id ? ' id=' + id[1] : '') + '> has no label');
                }
            }
        }
        ctx.assert.deepEqual(problems, []);
    }]
];
