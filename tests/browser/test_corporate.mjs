// The organization workspace in a real browser: a manager signs in on the
// corporate page and lands on /organization.html, adds a radiologist,
// changes their role, sets their password, deactivates and reactivates
// them, saves the organization settings (a refused callback URL first) and
// reads the usage chart and table; on /api-keys.html creates a key (read
// from the dialog that shows it once), rotates it (the old key's "works
// until" time shown) and revokes the new one; a job sent to the External API
// with the old key (still inside its grace period) shows on /pilot.html with
// its state. A technical user sees the pilot view but /api-keys.html sends
// them to sign-in; a radiologist sees the reporting links only. In the
// settings a manager creates the callback signing secret of web jobs (shown
// once, in a dialog, never on the page or in the settings again) and
// rotates it after a confirmation. A member the platform suspended is
// marked in the roster; the manager may deactivate them but not
// reactivate them (the button is disabled, the API answers USER_SUSPENDED).

import fs from 'node:fs';

const CALLBACK_WAIT_MS = 60000;

async function signInCorporate(ctx, page, user) {
    await ctx.signIn(page, '/kurumsal-login.html', user);
    ctx.assert.equal(ctx.url(page), '/organization.html', 'corporate sign-in lands on the workspace');
}

function memberRow(email) {
    return '#members-table tbody tr[data-email="' + email + '"]';
}

async function dialogSubmit(page) {
    await page.click('dialog[open] button[type="submit"]');
    await page.waitForSelector('dialog[open]', { state: 'detached', timeout: 10000 });
}

// Reads the key the dialog shows once, checks the warning, closes it.
async function readSecretDialog(ctx, page) {
    await page.waitForSelector('dialog[open] input[data-secret]');
    const key = await page.inputValue('dialog[open] input[data-secret]');
    ctx.assert.match(key, /^rapi_[A-Za-z0-9]{30,}$/, 'the dialog shows the whole key');
    ctx.assert.match(await page.textContent('dialog[open]'), /bir daha gösterilmeyecek/);
    return key;
}

async function closeSecretDialog(page) {
    await page.click('dialog[open] form[method="dialog"] button[type="submit"]');
    await page.waitForSelector('dialog[open]', { state: 'detached', timeout: 10000 });
}

function keyRowFor(key) {
    return (rows) => rows.filter((r) => key.startsWith(r.prefix)).map((r) => r.state);
}

async function keyStates(page) {
    return page.$$eval('#keys-table tbody tr[data-id]', (rows) =>
        rows.map((r) => ({ prefix: r.dataset.prefix, state: r.dataset.state })));
}

// withAudio false sends no body at all: a key refused on the headers gets
// its answer at once and the server closes the connection without reading a
// body (docs/api.md, "Uploads"), so a client still sending one may see the
// connection reset instead of the answer.
async function externalJob(ctx, key, callbackUrl, withAudio = true) {
    const form = new FormData();
    if (callbackUrl) {
        form.append('callbackUrl', callbackUrl);
    }
    form.append('audio', new Blob([fs.readFileSync(ctx.wavPath)], { type: 'audio/wav' }), 'dictation.wav');
    form.append('sutCode', '804200');
    form.append('inputLang', 'en');
    form.append('outputLang', 'en');
    const resp = await fetch(ctx.baseUrl + '/api/external/v1/report', {
        method: 'POST',
        headers: { Authorization: 'Bearer ' + key },
        body: withAudio ? form : '',
        signal: AbortSignal.timeout(20000)
    });
    return { status: resp.status, body: await resp.json() };
}

// Suspends the user through an admin's session of the admin API; returns
// the HTTP status.
async function suspendAsAdmin(ctx, userId) {
    const admin = ctx.makeUser('admin', { name: 'Platform Yöneticisi' });
    const login = await fetch(ctx.baseUrl + '/api/v1/auth/login', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ path: 'admin', email: admin.email, password: admin.password }),
        signal: AbortSignal.timeout(15000)
    });
    ctx.assert.equal(login.status, 200);
    const cookie = login.headers.get('set-cookie').split(';')[0];
    const csrf = (await login.json()).csrfToken;
    const resp = await fetch(ctx.baseUrl + '/api/v1/admin/users/' + userId + '/suspend', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Cookie: cookie, 'X-CSRF-Token': csrf },
        body: '{}',
        signal: AbortSignal.timeout(15000)
    });
    return resp.status;
}

export const tests = [
    ['a manager runs members, settings, usage, API keys and the pilot view', async (ctx) => {
        const manager = ctx.makeUser('manager', { name: 'Dr. Ayşe Yönetici', orgName: 'Ankara Kurumsal Test', credits: 20 });
        const page = await ctx.newPage();
        await signInCorporate(ctx, page, manager);
        await page.waitForSelector(memberRow(manager.email));
        ctx.assert.equal(await page.textContent('#org-name'), 'Ankara Kurumsal Test');
        ctx.assert.equal((await page.textContent('#stat-credits')).trim(), '20');
        ctx.assert.ok(await page.isDisabled(memberRow(manager.email) + ' button[data-action="toggle"]'),
            'a manager cannot deactivate themselves');
        await ctx.shot(page, 'corporate-organization');

        // A radiologist joins; a too-short password is caught first.
        const email = ctx.email('radyolog');
        await page.fill('#m-name', 'Dr. Mehmet Radyolog');
        await page.fill('#m-email', email);
        await page.selectOption('#m-role', 'radiologist');
        await page.fill('#m-password', 'short');
        await page.click('#member-form button[type="submit"]');
        await page.waitForSelector('#member-form .field--invalid #m-password');
        await page.fill('#m-password', 'radyolog sifresi 1');
        await page.click('#member-form button[type="submit"]');
        await page.waitForSelector(memberRow(email));
        ctx.assert.match(await page.textContent(memberRow(email)), /Radyolog/);
        ctx.assert.match(await page.textContent('#members-status'), /eklendi/);

        // The same e-mail again is refused beside the field.
        await page.fill('#m-name', 'Dr. Kopya');
        await page.fill('#m-email', email);
        await page.fill('#m-password', 'radyolog sifresi 1');
        await page.click('#member-form button[type="submit"]');
        await page.waitForSelector('#member-form .field--invalid #m-email');

        // Role change through its dialog.
        await page.click(memberRow(email) + ' button[data-action="role"]');
        await page.selectOption('dialog[open] select[name="role"]', 'doctor');
        await dialogSubmit(page);
        await page.waitForFunction((sel) => /Doktor/.test(document.querySelector(sel).textContent), memberRow(email));

        // A new password: a mismatch is caught, then it is set.
        await page.click(memberRow(email) + ' button[data-action="password"]');
        await page.fill('dialog[open] input[name="password"]', 'yeni sifre 12345');
        await page.fill('dialog[open] input[name="password2"]', 'yeni sifre 99999');
        await page.click('dialog[open] button[type="submit"]');
        await page.waitForSelector('dialog[open] .field--invalid');
        await page.fill('dialog[open] input[name="password2"]', 'yeni sifre 12345');
        await dialogSubmit(page);
        await page.waitForFunction(() => /şifre belirlendi/.test(document.getElementById('members-status').textContent));

        // Deactivate (confirmed) and reactivate.
        await page.click(memberRow(email) + ' button[data-action="toggle"]');
        await page.click('dialog[open] button[value="yes"]');
        await page.waitForSelector(memberRow(email) + ' .badge--inactive');
        await page.click(memberRow(email) + ' button[data-action="toggle"]');
        await page.waitForSelector(memberRow(email) + ' .badge--active');
        ctx.assert.equal(await page.evaluate(() => {
            const el = document.activeElement;
            return el && el.closest('tr') ? el.closest('tr').dataset.email + ' ' + el.dataset.action : null;
        }), email + ' toggle', 'the focus stays on the row worked on after it is redrawn');

        // Settings: an http callback is refused beside its field, https saved.
        await page.waitForFunction(() => document.querySelector('#settings-form select[name="inputLang"]').value !== '');
        await page.fill('#s-callback', 'http://hbys.example.org/raportai/callback');
        await page.selectOption('#s-input', 'en');
        await page.selectOption('#s-output', 'tr');
        await page.fill('#s-retention', '30');
        await page.click('#settings-form button[type="submit"]');
        await page.waitForSelector('#settings-form .field--invalid #s-callback');
        await page.fill('#s-callback', 'https://hbys.example.org/raportai/callback');
        await page.click('#settings-form button[type="submit"]');
        await page.waitForSelector('#settings-status.status--success');

        // Usage: chart and table for 12 months of credits.
        await page.selectOption('#usage-months', '12');
        await page.check('#usage-form input[value="credits"]');
        await page.waitForFunction(() => document.querySelectorAll('#usage-table thead th').length === 14);
        ctx.assert.equal(await page.getAttribute('#usage-chart svg', 'role'), 'img');
        ctx.assert.match(await page.textContent('#usage-table caption'), /kredi/);
        ctx.assert.ok((await page.$$('#usage-table tbody tr')).length >= 3, 'two members and the External API');

        // After a reload the settings are the saved ones.
        await ctx.visit(page, '/organization.html');
        await page.waitForFunction(() => document.getElementById('s-callback').value !== '');
        ctx.assert.equal(await page.inputValue('#s-callback'), 'https://hbys.example.org/raportai/callback');
        ctx.assert.equal(await page.inputValue('#s-input'), 'en');
        ctx.assert.equal(await page.inputValue('#s-retention'), '30');
        await ctx.shot(page, 'corporate-organization-settings');

        // API keys: create, read it once from the dialog.
        await page.click('header nav a[href="/api-keys.html"]');
        await page.waitForURL('**/api-keys.html');
        await page.fill('#k-label', 'HBYS pilot');
        await page.click('#create-form button[type="submit"]');
        const first = await readSecretDialog(ctx, page);
        await ctx.shot(page, 'corporate-api-key-created');
        await closeSecretDialog(page);
        await page.waitForFunction((k) => Array.from(document.querySelectorAll('#keys-table tbody tr[data-prefix]'))
            .some((r) => k.startsWith(r.dataset.prefix)), first);
        ctx.assert.ok(!(await page.textContent('#keys-table')).includes(first), 'the list never shows the whole key');

        // Rotate with the default 24 h grace: a new key, the old one works on.
        const firstRow = '#keys-table tbody tr[data-state="active"]';
        await page.click(firstRow + ' button[data-action="rotate"]');
        ctx.assert.equal(await page.inputValue('dialog[open] input[name="graceHours"]'), '24');
        await page.click('dialog[open] button[type="submit"]');
        const second = await readSecretDialog(ctx, page);
        ctx.assert.notEqual(second, first);
        ctx.assert.match(await page.textContent('#old-key-until'), /tarihine kadar çalışmaya devam edecek/);
        await closeSecretDialog(page);
        await page.waitForFunction(() => document.querySelectorAll('#keys-table tbody tr[data-id]').length === 2);
        let states = await keyStates(page);
        ctx.assert.deepEqual(keyRowFor(first)(states), ['expiring']);
        ctx.assert.deepEqual(keyRowFor(second)(states), ['active']);

        // Revoke the new key, confirmed.
        await page.click('#keys-table tbody tr[data-state="active"] button[data-action="revoke"]');
        await page.click('dialog[open] button[value="yes"]');
        await page.waitForSelector('#keys-table tbody tr[data-state="revoked"]');
        states = await keyStates(page);
        ctx.assert.deepEqual(keyRowFor(second)(states), ['revoked']);
        await ctx.shot(page, 'corporate-api-keys');

        // The revoked key is refused; the old one (in its grace period) works.
        const refused = await externalJob(ctx, second, undefined, false);
        ctx.assert.equal(refused.status, 401);
        const job = await externalJob(ctx, first);
        ctx.assert.equal(job.status, 202, JSON.stringify(job.body));
        const jobId = job.body.jobId;

        await page.click('header nav a[href="/pilot.html"]');
        await page.waitForURL('**/pilot.html');
        const jobRow = '#jobs-table tbody tr[data-job="' + jobId + '"]';
        await page.waitForSelector(jobRow);
        ctx.assert.match(await page.getAttribute(jobRow, 'data-status'), /^(pending|processing|completed|failed)$/);
        ctx.assert.match(await page.textContent(jobRow + ' .badge'), /Sırada|İşleniyor|Tamamlandı|Başarısız/);
        ctx.assert.match(await page.textContent(jobRow), /Tekli rapor/);
        // The state filter: this job is not among the failed ones unless it failed.
        await page.selectOption('#state-filter', 'completed');
        await page.waitForFunction(() => /iş gösteriliyor/.test(document.getElementById('jobs-status').textContent));
        for (const status of await page.$$eval('#jobs-table tbody tr[data-status]', (rows) => rows.map((r) => r.dataset.status))) {
            ctx.assert.equal(status, 'completed');
        }
        await page.selectOption('#state-filter', '');
        await page.waitForSelector(jobRow);
        await ctx.shot(page, 'corporate-pilot');

        // Tablet width: the workspace still fits.
        await page.setViewportSize({ width: 768, height: 1000 });
        await ctx.visit(page, '/organization.html');
        await page.waitForSelector(memberRow(email));
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        ctx.assert.ok(overflow <= 1, 'no sideways scrolling at 768 px, got ' + overflow);
        await ctx.shot(page, 'corporate-organization-768');
    }],

    ['a manager creates the callback signing secret, sees it once and rotates it', async (ctx) => {
        const manager = ctx.makeUser('manager', { orgName: 'İmza Test Hastanesi' });
        const page = await ctx.newPage();
        await signInCorporate(ctx, page, manager);
        await page.waitForSelector('#secret-state[data-state="none"]');
        ctx.assert.match(await page.textContent('#secret-state'), /doğrulanamaz/);
        ctx.assert.ok(await page.isHidden('#secret-rotate'), 'nothing to rotate yet');

        await page.click('#secret-create');
        await page.waitForSelector('dialog[open] input[data-secret]');
        const first = await page.inputValue('dialog[open] input[data-secret]');
        ctx.assert.match(first, /^[0-9a-f]{64}$/);
        ctx.assert.match(await page.textContent('dialog[open] label'), /Callback imza anahtarı/);
        ctx.assert.match(await page.textContent('dialog[open]'), /bir daha gösterilmeyecek/);
        await ctx.shot(page, 'corporate-callback-secret-created');
        await closeSecretDialog(page);
        await page.waitForSelector('#secret-status.status--success');
        ctx.assert.equal(await page.getAttribute('#secret-state', 'data-state'), 'set');
        ctx.assert.ok((await page.textContent('#secret-state')).includes(manager.email), 'who made it');
        ctx.assert.ok(await page.isHidden('#secret-create'), 'a second one is a rotation');
        ctx.assert.ok(!(await page.content()).includes(first), 'the page keeps no copy');

        // After a reload: who made it, never the secret.
        await ctx.visit(page, '/organization.html');
        await page.waitForSelector('#secret-state[data-state="set"]');
        ctx.assert.ok(!(await page.content()).includes(first));
        const settings = await page.request.get(ctx.baseUrl + '/api/v1/org/settings');
        ctx.assert.equal(settings.status(), 200);
        ctx.assert.ok(!(await settings.text()).includes(first), 'the settings never show it');

        // Rotation asks first; the new secret is shown once and differs.
        await page.click('#secret-rotate');
        await page.click('dialog[open] button[value="yes"]');
        await page.waitForSelector('dialog[open] input[data-secret]');
        const second = await page.inputValue('dialog[open] input[data-secret]');
        ctx.assert.match(second, /^[0-9a-f]{64}$/);
        ctx.assert.notEqual(second, first);
        ctx.assert.match(await page.textContent('dialog[open]'), /Eski anahtar artık/);
        await closeSecretDialog(page);
        await page.waitForFunction(() => /yenilendi/.test(document.getElementById('secret-status').textContent));
        ctx.assert.ok(!(await page.content()).includes(second));
        await ctx.shot(page, 'corporate-callback-secret');
    }],

    ['a manager sees a member the platform suspended and cannot reactivate them', async (ctx) => {
        const manager = ctx.makeUser('manager', { orgName: 'Askı Test Hastanesi' });
        const member = ctx.makeUser('radiologist', { org: manager.org, name: 'Dr. Askıdaki' });
        ctx.assert.equal(await suspendAsAdmin(ctx, member.id), 200);
        const page = await ctx.newPage();
        await signInCorporate(ctx, page, manager);
        const row = memberRow(member.email);
        await page.waitForSelector(row + '[data-suspended="true"] .badge--suspended');
        ctx.assert.match(await page.textContent(row), /Askıda/);
        ctx.assert.match(await page.textContent(row), /yalnızca platform yöneticisi/);
        ctx.assert.equal(await page.$(memberRow(manager.email) + ' .badge--suspended'), null);

        // Deactivating is the manager's; reactivating then is not offered.
        ctx.assert.ok(!(await page.isDisabled(row + ' button[data-action="toggle"]')));
        await page.click(row + ' button[data-action="toggle"]');
        await page.click('dialog[open] button[value="yes"]');
        await page.waitForSelector(row + ' .badge--inactive');
        ctx.assert.ok(await page.isDisabled(row + ' button[data-action="toggle"]'),
            'reactivating a suspended member is not offered');
        await ctx.shot(page, 'corporate-member-suspended');

        // And the API refuses it, changing nothing.
        const refused = await page.evaluate(async (id) => {
            const session = await (await fetch('/api/v1/session')).json();
            const resp = await fetch('/api/v1/org/members/' + id, {
                method: 'PATCH',
                headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': session.csrfToken },
                body: JSON.stringify({ active: true })
            });
            return [resp.status, (await resp.json()).error.code];
        }, member.id);
        ctx.assert.deepEqual(refused, [403, 'USER_SUSPENDED']);
        await ctx.visit(page, '/organization.html');
        await page.waitForSelector(row + '[data-suspended="true"] .badge--inactive');
    }],

    ['a technical user gets the pilot view, not the API keys; a radiologist the reporting links', async (ctx) => {
        const manager = ctx.makeUser('manager', { orgName: 'Teknik Test Merkezi' });
        const tech = ctx.makeUser('technical', { org: manager.org, name: 'Teknik Kişi' });
        // A job with a callback to a host that cannot be reached from here: its
        // failed delivery attempts show in the pilot view at the end.
        const key = ctx.admin('create-key', '--email', manager.email, '--name', 'pilot');
        const job = await externalJob(ctx, key, 'https://hbys.invalid/raportai/callback');
        ctx.assert.equal(job.status, 202, JSON.stringify(job.body));
        const page = await ctx.newPage();
        await signInCorporate(ctx, page, tech);
        await page.waitForSelector('#integration-links:not([hidden])');
        ctx.assert.ok(await page.isHidden('#members'), 'no member roster');
        ctx.assert.ok(await page.isHidden('#tile-keys'), 'no API key tile');
        ctx.assert.ok(await page.isHidden('#reporting-links'));
        for (const href of ['/pilot.html', '/docs/api-reference.html', '/docs/callbacks.html', '/docs/checklist.html']) {
            ctx.assert.ok(await page.isVisible('#integration-links a[href="' + href + '"]'), href);
        }
        ctx.assert.equal(await page.$('header nav a[href="/api-keys.html"]'), null);
        await ctx.shot(page, 'corporate-technical');

        await page.click('header nav a[href="/pilot.html"]');
        await page.waitForURL('**/pilot.html');
        const jobRow = '#jobs-table tbody tr[data-job="' + job.body.jobId + '"]';
        await page.waitForSelector(jobRow);

        const reply = await page.request.get(ctx.baseUrl + '/api-keys.html', { maxRedirects: 0 });
        ctx.assert.equal(reply.status(), 303);
        ctx.assert.equal(reply.headers()['location'], '/kurumsal-login.html');
        const nav = await page.goto(ctx.baseUrl + '/api-keys.html');
        ctx.assert.ok(nav.request().redirectedFrom(), 'the page answered with a redirect');
        ctx.assert.equal(new URL(nav.url()).pathname, '/kurumsal-login.html');
        const keys = await page.request.get(ctx.baseUrl + '/api/v1/org/keys');
        ctx.assert.equal(keys.status(), 403);

        const radiologist = ctx.makeUser('radiologist', { org: manager.org, name: 'Dr. Radyolog' });
        const other = await ctx.newPage();
        await signInCorporate(ctx, other, radiologist);
        await other.waitForSelector('#reporting-links:not([hidden])');
        ctx.assert.ok(await other.isHidden('#integration-links'));
        ctx.assert.ok(await other.isHidden('#members'));
        for (const href of ['/reporting-ai.html', '/history.html', '/templates.html']) {
            ctx.assert.ok(await other.isVisible('#reporting-links a[href="' + href + '"]'), href);
        }
        ctx.assert.equal((await other.textContent('#stat-credits')).trim(), '9', 'one credit held by the job');
        await ctx.shot(other, 'corporate-radiologist');
        const pilot = await other.request.get(ctx.baseUrl + '/pilot.html', { maxRedirects: 0 });
        ctx.assert.equal(pilot.status(), 303);

        // Back in the pilot view: the callback's attempts, expanded.
        await ctx.visit(page, '/pilot.html');
        const toggle = jobRow + ' button[aria-controls]';
        const deadline = Date.now() + CALLBACK_WAIT_MS;
        while (!/\(([1-9]\d*)\)/.test(await page.textContent(toggle))) {
            ctx.assert.ok(Date.now() < deadline, 'a delivery attempt within ' + CALLBACK_WAIT_MS / 1000 + ' s');
            await page.waitForTimeout(1000);
            await page.click('#jobs-refresh');
            await page.waitForSelector(toggle);
        }
        ctx.assert.equal(await page.getAttribute(jobRow, 'data-status'), 'completed');
        await page.focus(toggle);
        await page.keyboard.press('Enter');
        ctx.assert.equal(await page.getAttribute(toggle, 'aria-expanded'), 'true');
        const detail = '#' + await page.getAttribute(toggle, 'aria-controls');
        await page.waitForSelector(detail + ' table tbody tr');
        ctx.assert.match(await page.textContent(detail), /https:\/\/hbys\.invalid\/raportai\/callback/);
        const attempt = await page.$$eval(detail + ' table tbody tr td', (cells) => cells.map((c) => c.textContent.trim()));
        ctx.assert.equal(attempt[0], '1');
        ctx.assert.notEqual(attempt[3], '—', 'the failed attempt says why');
        ctx.assert.match(await page.textContent(jobRow), /Teslim bekliyor|Teslim edilemedi/);
        await ctx.shot(page, 'corporate-pilot-attempts');
    }]
];
