// The platform staff consoles in a real browser. An admin approves an
// organization that registered itself (its manager can then sign in),
// creates one with its manager and deactivates it (who did it when shown),
// finds and deactivates a user, suspends them (sign-in refused, who did it
// shown) and lifts the suspension, sees a job sent to the External API among the platform's jobs,
// and reads the health tab. An accountant tops up an organization's credits
// with a reason (confirmed first), sees the ledger row naming them, is
// refused a deduction below zero, and downloads the month's usage CSV.

import fs from 'node:fs';

const CSV_HEADER = 'organization_id,organization,type,month,reports,credits_used,top_ups';

async function postJson(ctx, path, body) {
    const resp = await fetch(ctx.baseUrl + path, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(15000)
    });
    return { status: resp.status, body: resp.status === 204 ? null : await resp.json() };
}

async function externalJob(ctx, key) {
    const form = new FormData();
    form.append('audio', new Blob([fs.readFileSync(ctx.wavPath)], { type: 'audio/wav' }), 'dictation.wav');
    form.append('sutCode', '803910');
    form.append('inputLang', 'en');
    form.append('outputLang', 'en');
    const resp = await fetch(ctx.baseUrl + '/api/external/v1/report', {
        method: 'POST',
        headers: { Authorization: 'Bearer ' + key },
        body: form,
        signal: AbortSignal.timeout(20000)
    });
    return { status: resp.status, body: await resp.json() };
}

function orgRow(name) {
    return '#orgs-table tbody tr[data-name="' + name + '"]';
}

async function confirmDialog(page) {
    await page.waitForSelector('dialog[open] button[value="yes"]');
    await page.click('dialog[open] button[value="yes"]');
    await page.waitForSelector('dialog[open]', { state: 'detached', timeout: 10000 });
}

export const tests = [
    ['an admin approves, creates and deactivates organizations, manages users, sees jobs and health', async (ctx) => {
        const stamp = Date.now().toString(36);
        const registered = 'Kayıtlı Görüntüleme ' + stamp;
        const managerEmail = ctx.email('kayit');
        const reg = await postJson(ctx, '/api/v1/auth/register', {
            organizationName: registered, organizationType: 'imaging_center',
            name: 'Dr. Kayıt Yöneticisi', email: managerEmail, password: ctx.password
        });
        ctx.assert.equal(reg.status, 202, JSON.stringify(reg.body));
        const before = await postJson(ctx, '/api/v1/auth/login', { path: 'corporate', email: managerEmail, password: ctx.password });
        ctx.assert.equal(before.status, 401, 'nobody signs in before approval');

        // A job from another organization, for the jobs tab.
        const jobOwner = ctx.makeUser('manager', { orgName: 'İş Sahibi ' + stamp });
        const key = ctx.admin('create-key', '--email', jobOwner.email, '--name', 'browser test');
        const job = await externalJob(ctx, key);
        ctx.assert.equal(job.status, 202, JSON.stringify(job.body));

        const admin = ctx.makeUser('admin', { name: 'Platform Yöneticisi' });
        const page = await ctx.newPage();
        await ctx.signIn(page, '/admin-login.html', admin);
        ctx.assert.equal(ctx.url(page), '/admin.html');

        // Organizations: the registered one waits; approve it.
        await page.waitForSelector(orgRow(registered) + '[data-status="pending"]');
        ctx.assert.match(await page.textContent(orgRow(registered)), /Onay bekliyor/);
        await page.selectOption('#org-filter', 'pending');
        for (const status of await page.$$eval('#orgs-table tbody tr[data-status]', (rows) => rows.map((r) => r.dataset.status))) {
            ctx.assert.equal(status, 'pending');
        }
        await ctx.shot(page, 'admin-organizations-pending');
        await page.click(orgRow(registered) + ' button[data-action="approve"]');
        await page.waitForSelector('#orgs-status.status--success');
        await page.selectOption('#org-filter', '');
        await page.waitForSelector(orgRow(registered) + '[data-status="active"]');
        const after = await postJson(ctx, '/api/v1/auth/login', { path: 'corporate', email: managerEmail, password: ctx.password });
        ctx.assert.equal(after.status, 200, 'the approved manager signs in');

        // Create an organization with its manager, then deactivate it.
        const created = 'Admin Hastanesi ' + stamp;
        const createdManager = ctx.email('admin-yarat');
        await page.fill('#o-name', created);
        await page.selectOption('#o-type', 'hospital');
        await page.fill('#o-manager', 'Dr. Yeni Yönetici');
        await page.fill('#o-email', createdManager);
        await page.fill('#o-password', 'kisa');
        await page.click('#org-form button[type="submit"]');
        await page.waitForSelector('#org-form .field--invalid #o-password');
        await page.fill('#o-password', ctx.password);
        await page.click('#org-form button[type="submit"]');
        await page.waitForSelector(orgRow(created) + '[data-status="active"]');
        await page.click(orgRow(created) + ' button[data-action="deactivate"]');
        await confirmDialog(page);
        await page.waitForSelector(orgRow(created) + '[data-status="inactive"]');
        const refused = await postJson(ctx, '/api/v1/auth/login', { path: 'corporate', email: createdManager, password: ctx.password });
        ctx.assert.equal(refused.status, 401, 'a deactivated organization\'s manager cannot sign in');
        ctx.assert.ok(await page.isVisible(orgRow(created) + ' button[data-action="activate"]'));
        ctx.assert.ok((await page.textContent(orgRow(created))).includes(admin.email), 'who deactivated it');
        await ctx.shot(page, 'admin-organizations');

        // Users: find the approved manager, deactivate (confirmed), activate.
        await page.click('#tab-users');
        await page.fill('#users-q', managerEmail);
        await page.click('#users-form button[type="submit"]');
        const userRow = '#users-table tbody tr[data-email="' + managerEmail + '"]';
        await page.waitForSelector(userRow);
        ctx.assert.match(await page.textContent(userRow), new RegExp(registered));
        await page.click(userRow + ' button[data-action="toggle"]');
        await confirmDialog(page);
        await page.waitForSelector(userRow + ' .badge--inactive');
        await ctx.shot(page, 'admin-users');
        await page.click(userRow + ' button[data-action="toggle"]');
        await page.waitForSelector(userRow + ' .badge--active');

        // Suspend (confirmed): marked with who did it, sign-in refused;
        // then lift it, and they sign in again.
        await page.click(userRow + ' button[data-action="suspend"]');
        await confirmDialog(page);
        await page.waitForSelector(userRow + '[data-suspended="true"] .badge--suspended');
        ctx.assert.ok((await page.textContent(userRow)).includes(admin.email), 'who suspended them');
        ctx.assert.match(await page.textContent('#users-status'), /askıya alındı/);
        const suspended = await postJson(ctx, '/api/v1/auth/login', { path: 'corporate', email: managerEmail, password: ctx.password });
        ctx.assert.equal(suspended.status, 401, 'a suspended user cannot sign in');
        await ctx.shot(page, 'admin-users-suspended');
        await page.click(userRow + ' button[data-action="suspend"]');
        await page.waitForSelector(userRow + '[data-suspended="false"]');
        ctx.assert.equal(await page.$(userRow + ' .badge--suspended'), null);
        const lifted = await postJson(ctx, '/api/v1/auth/login', { path: 'corporate', email: managerEmail, password: ctx.password });
        ctx.assert.equal(lifted.status, 200, 'the suspension lifted, they sign in');

        // Jobs: the External API job is listed with its organization.
        await page.click('#tab-jobs');
        const jobRow = '#jobs-table tbody tr[data-job="' + job.body.jobId + '"]';
        await page.waitForSelector(jobRow);
        ctx.assert.match(await page.textContent(jobRow), new RegExp('İş Sahibi ' + stamp));
        await page.selectOption('#jobs-state', 'failed');
        await page.waitForFunction(() => /Toplam/.test(document.getElementById('jobs-status').textContent));
        for (const status of await page.$$eval('#jobs-table tbody tr[data-status]', (rows) => rows.map((r) => r.dataset.status))) {
            ctx.assert.equal(status, 'failed');
        }
        await page.selectOption('#jobs-state', '');
        await page.waitForSelector(jobRow);
        await ctx.shot(page, 'admin-jobs');

        // Health, reached with the keyboard from the jobs tab.
        await page.focus('#tab-jobs');
        await page.keyboard.press('ArrowRight');
        ctx.assert.equal(await page.getAttribute('#tab-health', 'aria-selected'), 'true');
        await page.waitForFunction(() => document.getElementById('h-database').textContent === 'Çalışıyor');
        ctx.assert.match(await page.textContent('#h-workers'), /^\d+$/);
        ctx.assert.equal(await page.textContent('#h-engine'), 'local');
        ctx.assert.match(await page.textContent('#h-languages'), /\(en\)/);
        ctx.assert.match(new URL(page.url()).hash, /#health/);
        await ctx.shot(page, 'admin-health');

        // The language switch re-labels the console.
        await page.selectOption('#lang-switch', 'en');
        await page.waitForFunction(() => document.getElementById('h-database').textContent === 'Working');
        ctx.assert.equal(await page.textContent('#tab-orgs'), 'Organizations');
        await ctx.shot(page, 'admin-health-en');
    }],

    ['an accountant tops up credits with a reason, reads the ledger and downloads the usage CSV', async (ctx) => {
        const stamp = Date.now().toString(36);
        const orgName = 'Muhasebe Test Hastanesi ' + stamp;
        const org = ctx.admin('create-org', '--name', orgName, '--credits', '5');
        const accountant = ctx.makeUser('accounting', { name: 'Muhasebeci' });
        const page = await ctx.newPage();
        await ctx.signIn(page, '/accounting-login.html', accountant);
        ctx.assert.equal(ctx.url(page), '/accounting.html');
        const balanceRow = '#balances-table tbody tr[data-id="' + org + '"]';
        await page.waitForSelector(balanceRow);
        ctx.assert.match(await page.textContent(balanceRow), /5/);

        // A reason is required; then a confirmed top-up.
        await page.selectOption('#c-org', org);
        await page.fill('#c-amount', '25');
        await page.click('#credit-form button[type="submit"]');
        await page.waitForSelector('#credit-form .field--invalid #c-reason');
        await page.fill('#c-reason', 'Fatura 2026-0042');
        await page.click('#credit-form button[type="submit"]');
        ctx.assert.match(await page.textContent('dialog[open]'), /25 kredi yüklenecek/);
        await ctx.shot(page, 'accounting-confirm');
        await confirmDialog(page);
        await page.waitForSelector('#credit-status.status--success');
        ctx.assert.match(await page.textContent('#credit-status'), /yeni bakiye 30 kredi/);
        await page.waitForFunction((sel) => /30/.test(document.querySelector(sel).textContent), balanceRow);

        // The ledger shows the row with the accountant's e-mail.
        await page.waitForFunction(() => /Fatura 2026-0042/.test(document.querySelector('#ledger-table tbody').textContent));
        const ledgerRow = await page.$$eval('#ledger-table tbody tr', (rows) =>
            rows.map((r) => Array.from(r.cells).map((c) => c.textContent.trim())).find((cells) => cells[3] === 'Fatura 2026-0042'));
        ctx.assert.ok(ledgerRow, 'the top-up is in the ledger');
        ctx.assert.equal(ledgerRow[1], '+25');
        ctx.assert.equal(ledgerRow[2], '30');
        ctx.assert.equal(ledgerRow[4], accountant.email);

        // A deduction below zero is refused and changes nothing.
        await page.fill('#c-amount', '-1000');
        await page.fill('#c-reason', 'Hatalı düzeltme');
        await page.click('#credit-form button[type="submit"]');
        await confirmDialog(page);
        await page.waitForSelector('#credit-status.status--error');
        ctx.assert.match(await page.textContent('#credit-status'), /sıfırın altına/);
        ctx.assert.match(await page.textContent(balanceRow), /30/);
        await ctx.shot(page, 'accounting');

        // The month's usage CSV.
        const month = new Date().toISOString().slice(0, 7);
        await page.fill('#csv-month', month);
        ctx.assert.equal(await page.getAttribute('#csv-link', 'href'), '/api/v1/accounting/usage.csv?month=' + month);
        const [file] = await Promise.all([
            page.waitForEvent('download', { timeout: 20000 }),
            page.click('#csv-link')
        ]);
        const text = fs.readFileSync(await file.path(), 'utf8');
        const lines = text.split('\r\n');
        ctx.assert.equal(lines[0], CSV_HEADER);
        const mine = lines.find((l) => l.startsWith(org + ','));
        ctx.assert.ok(mine, 'the organization has a row');
        // The 5 credits it was created with count as a top-up too.
        ctx.assert.ok(mine.endsWith(',' + orgName + ',hospital,' + month + ',0,0,30'), 'its row: ' + mine);

        // Tablet width.
        await page.setViewportSize({ width: 768, height: 1000 });
        await page.waitForTimeout(100);
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        ctx.assert.ok(overflow <= 1, 'no sideways scrolling at 768 px, got ' + overflow);
        await ctx.shot(page, 'accounting-768');
    }]
];
