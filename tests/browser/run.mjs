// Browser tests: drives Debian's Chromium (through playwright-core) against
// the real binary, started on a free loopback port with a fresh data
// directory, and runs every tests/browser/test_*.mjs.
//
//   node tests/browser/run.mjs [BINARY]      (default build/asan/raportai)
//   node tests/browser/run.mjs BINARY --only NAME_PART   (tests whose name contains it)
//
// A test file exports `tests`, an array of [name, async (ctx) => {...}].
// Tests run two at a time (RAPORTAI_BROWSER_JOBS=1 for one at a time), each
// with its own browser contexts (fresh cookies) and its own users: no test
// may depend on another or on counts of data other tests may add.
// ctx (see makeContext) offers: baseUrl, admin(...args), makeUser(role, ...),
// newPage(), open(page, path) (drawn), visit(page, path, shotName) (drawn
// and the network quiet), signIn, signInRefused, shot(page, name), assert
// (node:assert/strict), wavPath, tmpDir, dataDir, serverLog.
// Screenshots go to tests/artifacts/browser/NAME.png. A page that logs a
// CSP violation or throws an uncaught error fails its test. Every wait is
// bounded. The last line is exactly `browser: N passed, M failed`; the exit
// code is non-zero when anything failed.

import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';
import assert from 'node:assert/strict';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const REPO = path.resolve(HERE, '..', '..');
const ARTIFACTS = path.join(REPO, 'tests', 'artifacts', 'browser');
const CHROMIUM = process.env.RAPORTAI_CHROMIUM || '/usr/bin/chromium';
const START_TIMEOUT_MS = 30000;
const STOP_TIMEOUT_MS = 15000;
const TEST_TIMEOUT_MS = 150000;
const SUITE_TIMEOUT_MS = 420000;
const ADMIN_TIMEOUT_MS = 60000;
const JOBS = Math.max(1, Math.min(4, Number.parseInt(process.env.RAPORTAI_BROWSER_JOBS || '2', 10) || 1));
const SANITIZER_MARKS = ['ERROR: AddressSanitizer', 'ERROR: LeakSanitizer', 'runtime error:'];
export const PASSWORD = 'correct horse battery';

// Spoken through Chromium's fake microphone: an English dictation the local
// speech engine knows, with section headings the structuring rules read.
// About 5.6 s at 150 words a minute, so a 6.5 s recording holds all of it.
const DICTATION = 'findings colon the liver is normal period impression colon normal ultrasound period';

function parseArgs(argv) {
    const args = { binary: 'build/asan/raportai', only: null };
    const rest = argv.slice(2);
    for (let i = 0; i < rest.length; i++) {
        if (rest[i] === '--only') {
            args.only = rest[++i] || '';
        } else {
            args.binary = rest[i];
        }
    }
    args.binary = path.resolve(REPO, args.binary);
    return args;
}

function sanitizerEnv() {
    const env = Object.assign({}, process.env);
    env.ASAN_OPTIONS = env.ASAN_OPTIONS || 'detect_leaks=1';
    env.UBSAN_OPTIONS = env.UBSAN_OPTIONS || 'print_stacktrace=1';
    return env;
}

function withTimeout(promise, ms, what) {
    let timer;
    const timeout = new Promise((resolve, reject) => {
        timer = setTimeout(() => reject(new Error(what + ' took longer than ' + ms / 1000 + ' s')), ms);
    });
    return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/* ---- the dictation file ---------------------------------------------------- */

// A 16-bit PCM mono 48 kHz WAV: espeak-ng speaks, sox resamples and pads it
// with silence (0.2 s before, 4 s after: Chromium's fake capture loops it).
function makeDictation(dir) {
    const raw = path.join(dir, 'dictation-raw.wav');
    const wav = path.join(dir, 'dictation.wav');
    execFileSync('espeak-ng', ['-v', 'en-us', '-s', '150', '-w', raw, DICTATION], { timeout: 30000, stdio: 'ignore' });
    execFileSync('sox', [raw, '-r', '48000', '-c', '1', '-b', '16', '-e', 'signed-integer', wav, 'pad', '0.2', '4'],
        { timeout: 30000, stdio: 'ignore' });
    return wav;
}

/* ---- the server ---------------------------------------------------------------- */

class Server {
    constructor(binary, dataDir) {
        this.binary = binary;
        this.dataDir = dataDir;
        this.log = [];
        this.proc = null;
        this.port = null;
    }

    start() {
        this.proc = spawn(this.binary, ['serve', '--listen', '127.0.0.1:0', '--data', this.dataDir, '--share', REPO],
            { env: sanitizerEnv(), stdio: ['ignore', 'ignore', 'pipe'] });
        const lines = readline.createInterface({ input: this.proc.stderr });
        return withTimeout(new Promise((resolve, reject) => {
            lines.on('line', (line) => {
                this.log.push(line);
                const m = /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(line);
                if (m && !this.port) {
                    this.port = Number(m[1]);
                    resolve(this.port);
                }
            });
            this.proc.on('error', (err) => reject(new Error('cannot start ' + this.binary + ': ' + err.message)));
            this.proc.on('exit', (code) => {
                if (!this.port) {
                    reject(new Error('server exited with ' + code + ':\n' + this.log.join('\n')));
                }
            });
        }), START_TIMEOUT_MS, 'server start');
    }

    // SIGTERM, a bounded wait; a problem as a sentence, or null.
    async stop() {
        if (!this.proc || this.proc.exitCode !== null) {
            return this.proc ? 'server had already exited with ' + this.proc.exitCode : null;
        }
        const exited = new Promise((resolve) => this.proc.on('exit', (code, signal) => resolve({ code, signal })));
        this.proc.kill('SIGTERM');
        let result;
        try {
            result = await withTimeout(exited, STOP_TIMEOUT_MS, 'server stop');
        } catch (err) {
            this.proc.kill('SIGKILL');
            return err.message;
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
        const text = this.log.join('\n');
        const mark = SANITIZER_MARKS.find((m) => text.includes(m));
        if (mark) {
            return 'sanitizer report in the server log:\n' + text;
        }
        if (result.code !== 0) {
            return 'server exited with ' + result.code + ' (' + result.signal + ')';
        }
        return null;
    }

    kill() {
        if (this.proc && this.proc.exitCode === null) {
            this.proc.kill('SIGKILL');
        }
    }
}

function admin(binary, dataDir, args) {
    try {
        return execFileSync(binary, ['admin', ...args, '--data', dataDir, '--share', REPO],
            { env: sanitizerEnv(), timeout: ADMIN_TIMEOUT_MS, stdio: ['ignore', 'pipe', 'pipe'] }).toString('utf8').trim();
    } catch (err) {
        const stderr = err.stderr ? err.stderr.toString('utf8') : '';
        throw new Error('admin ' + args.join(' ') + ' failed: ' + stderr + (err.message || ''));
    }
}

/* ---- per-test context -------------------------------------------------------------- */

function safeName(name) {
    return name.replace(/[^A-Za-z0-9_.-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 80);
}

function makeContext(suite, testName) {
    const contexts = [];
    const problems = [];
    let visits = 0;
    const ctx = {
        baseUrl: suite.baseUrl,
        wavPath: suite.wavPath,
        tmpDir: suite.tmpDir,
        dataDir: suite.dataDir,
        serverLog: suite.server.log,
        assert,
        password: PASSWORD,
        admin: (...args) => admin(suite.binary, suite.dataDir, args),
        // A unique e-mail for this run.
        email(label) {
            suite.emails += 1;
            return label + '-' + suite.emails + '@example.org';
        },
        // A user of role (corporate roles get a fresh organization unless
        // org is given); returns {email, password, id, org}.
        makeUser(role, options) {
            const opts = options || {};
            const email = opts.email || ctx.email(role);
            let org = opts.org || null;
            if (!org && ['manager', 'radiologist', 'doctor', 'technical'].includes(role)) {
                org = ctx.admin('create-org', '--name', opts.orgName || 'Test Hastanesi ' + suite.emails, '--credits', String(opts.credits ?? 10));
            }
            const args = ['create-user', '--email', email, '--password', PASSWORD, '--role', role, '--name', opts.name || 'Dr. ' + role];
            if (org) {
                args.push('--org', org);
            }
            const id = ctx.admin(...args);
            if (role === 'individual' && opts.credits) {
                ctx.admin('add-credits', '--email', email, '--amount', String(opts.credits), '--reason', 'browser test');
            }
            return { email, password: PASSWORD, id, org };
        },
        async newContext(options) {
            const context = await suite.browser.newContext(Object.assign({
                acceptDownloads: true,
                viewport: { width: 1280, height: 900 },
                locale: 'tr-TR'
            }, options || {}));
            await context.grantPermissions(['microphone'], { origin: suite.baseUrl });
            context.setDefaultTimeout(15000);
            context.setDefaultNavigationTimeout(20000);
            contexts.push(context);
            return context;
        },
        async newPage(options) {
            const context = await ctx.newContext(options);
            const page = await context.newPage();
            page.on('console', (msg) => {
                const text = msg.text();
                if (msg.type() === 'error' && /Content Security Policy|Refused to/i.test(text)) {
                    problems.push('CSP violation on ' + page.url() + ': ' + text);
                }
            });
            page.on('pageerror', (err) => problems.push('uncaught error on ' + page.url() + ': ' + err.message));
            return page;
        },
        async shot(page, name) {
            fs.mkdirSync(ARTIFACTS, { recursive: true });
            await page.screenshot({ path: path.join(ARTIFACTS, safeName(name) + '.png'), fullPage: true, timeout: 10000 });
        },
        // Resolves once the page's script has drawn it (layout.js takes
        // body.is-loading away), bounded.
        async ready(page) {
            await page.waitForFunction(() => document.body && !document.body.classList.contains('is-loading'),
                null, { timeout: 10000 });
        },
        // Goes to urlPath and resolves once the page is drawn; its data may
        // still be on the way (wait for what you read).
        async open(page, urlPath) {
            await page.goto(suite.baseUrl + urlPath, { waitUntil: 'load' });
            await ctx.ready(page).catch(() => {});
            return page;
        },
        // Goes to urlPath, waits for the network to be quiet and screenshots
        // the page (as shotName, or TEST-N-PAGE).
        async visit(page, urlPath, shotName) {
            await page.goto(suite.baseUrl + urlPath, { waitUntil: 'load' });
            await page.waitForLoadState('networkidle', { timeout: 10000 }).catch(() => {});
            visits += 1;
            await ctx.shot(page, shotName || testName + '-' + visits + '-' + new URL(page.url()).pathname.slice(1));
            return page;
        },
        url(page) {
            return new URL(page.url()).pathname;
        },
        // Signs in on a sign-in page through the form; resolves after the
        // navigation that success causes.
        async signIn(page, loginPath, user, password) {
            await ctx.open(page, loginPath);
            await page.fill('#email', user.email);
            await page.fill('#password', password || user.password);
            await Promise.all([
                page.waitForURL((u) => !u.pathname.endsWith(loginPath), { timeout: 15000 }),
                page.click('#login-form button[type="submit"]')
            ]);
            await page.waitForLoadState('networkidle', { timeout: 10000 }).catch(() => {});
            visits += 1;
            await ctx.shot(page, testName + '-' + visits + '-' + new URL(page.url()).pathname.slice(1));
        },
        // Tries to sign in and expects a refusal; returns the message shown.
        async signInRefused(page, loginPath, email, password) {
            await ctx.open(page, loginPath);
            await page.fill('#email', email);
            await page.fill('#password', password);
            await page.click('#login-form button[type="submit"]');
            await page.waitForSelector('#login-status.status--error', { timeout: 15000 });
            assert.equal(ctx.url(page), loginPath, 'a refused sign-in stays on its page');
            return (await page.textContent('#login-status')).trim();
        },
        problems,
        async close() {
            for (const context of contexts) {
                await context.close().catch(() => {});
            }
        },
        async failureShots() {
            for (const [i, context] of contexts.entries()) {
                for (const [j, page] of context.pages().entries()) {
                    await ctx.shot(page, 'FAILED-' + testName + '-' + i + '-' + j).catch(() => {});
                }
            }
        }
    };
    return ctx;
}

/* ---- the run ------------------------------------------------------------------------- */

async function loadTests(only) {
    const files = fs.readdirSync(HERE).filter((f) => /^test_.*\.mjs$/.test(f)).sort();
    const all = [];
    for (const file of files) {
        const mod = await import(pathToFileURL(path.join(HERE, file)).href);
        for (const [name, fn] of mod.tests || []) {
            const full = file.replace(/\.mjs$/, '') + ': ' + name;
            if (!only || full.includes(only)) {
                all.push({ name: full, fn, needsBrowser: !mod.noBrowser });
            }
        }
    }
    return all;
}

async function runTest(suite, test) {
    const ctx = makeContext(suite, safeName(test.name));
    const started = Date.now();
    try {
        await withTimeout(test.fn(ctx), TEST_TIMEOUT_MS, 'the test');
        if (ctx.problems.length) {
            throw new Error(ctx.problems.join('\n'));
        }
        console.log('ok   ' + test.name + ' (' + ((Date.now() - started) / 1000).toFixed(1) + ' s)');
        return true;
    } catch (err) {
        await ctx.failureShots();
        console.log('FAIL ' + test.name + ' (' + ((Date.now() - started) / 1000).toFixed(1) + ' s)');
        console.log('     ' + String(err && err.stack ? err.stack : err).split('\n').join('\n     '));
        return false;
    } finally {
        await ctx.close();
    }
}

async function main() {
    const args = parseArgs(process.argv);
    let passed = 0;
    let failed = 0;
    const tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'raportai-browser-'));
    const dataDir = path.join(tmpDir, 'data');
    fs.mkdirSync(dataDir);
    const suite = { binary: args.binary, tmpDir, dataDir, emails: 0 };
    const watchdog = setTimeout(() => {
        console.log('browser suite: over ' + SUITE_TIMEOUT_MS / 1000 + ' s, stopping');
        if (suite.server) {
            suite.server.kill();
        }
        console.log('browser: ' + passed + ' passed, ' + (failed + 1) + ' failed');
        process.exit(1);
    }, SUITE_TIMEOUT_MS);
    try {
        const tests = await loadTests(args.only);
        suite.wavPath = makeDictation(tmpDir);
        suite.server = new Server(args.binary, dataDir);
        const port = await suite.server.start();
        suite.baseUrl = 'http://127.0.0.1:' + port;
        const { chromium } = await import('playwright-core');
        suite.browser = await withTimeout(chromium.launch({
            executablePath: CHROMIUM,
            headless: true,
            args: [
                '--use-fake-device-for-media-stream',
                '--use-fake-ui-for-media-stream',
                '--use-file-for-fake-audio-capture=' + suite.wavPath,
                '--no-sandbox',
                '--disable-dev-shm-usage'
            ]
        }), 30000, 'browser launch');
        // Tests run JOBS at a time (each in its own browser context, with
        // its own users), so no test may count on another's data.
        let next = 0;
        const lane = async () => {
            while (next < tests.length) {
                const test = tests[next++];
                if (await runTest(suite, test)) {
                    passed += 1;
                } else {
                    failed += 1;
                }
            }
        };
        await Promise.all(Array.from({ length: JOBS }, lane));
    } catch (err) {
        console.log('FAIL browser suite setup: ' + (err && err.stack ? err.stack : err));
        failed += 1;
    } finally {
        if (suite.browser) {
            await withTimeout(suite.browser.close(), 15000, 'browser close').catch(() => {});
        }
        if (suite.server) {
            const problem = await suite.server.stop();
            if (problem) {
                console.log('FAIL server stops cleanly: ' + problem);
                failed += 1;
            }
        }
        clearTimeout(watchdog);
        fs.rmSync(tmpDir, { recursive: true, force: true });
    }
    console.log('browser: ' + passed + ' passed, ' + failed + ' failed');
    process.exitCode = failed === 0 ? 0 : 1;
}

main();
