// The individual radiologist's work in a real browser: the dashboard, a
// dictation recorded through Chromium's fake microphone (a WAV spoken by
// espeak-ng) turned into a structured report, reviewed, edited, saved and
// exported; the report found in the history, opened and saved again as a
// second revision; the typed-findings path; templates; the print view;
// and the pages at tablet width.

import fs from 'node:fs';

const JOB_TIMEOUT_MS = 90000;

async function openReporting(ctx, page) {
    await page.click('header nav a[href="/reporting-ai.html"]');
    await page.waitForURL('**/reporting-ai.html');
    await page.waitForLoadState('networkidle', { timeout: 10000 }).catch(() => {});
}

async function searchExam(ctx, page, query, code) {
    await page.fill('#exam-search', '');
    await page.type('#exam-search', query, { delay: 20 });
    const button = '#exam-results button[data-sut-code="' + code + '"]';
    await page.waitForSelector(button, { timeout: 10000 });
    return button;
}

async function waitForReview(ctx, page) {
    await page.waitForFunction(() => {
        const review = document.getElementById('review-form');
        const status = document.getElementById('job-status');
        return (review && !review.hidden) || (status && status.classList.contains('status--error'));
    }, null, { timeout: JOB_TIMEOUT_MS, polling: 500 });
    const failure = await page.$('#job-status.status--error');
    if (failure) {
        throw new Error('the job failed: ' + (await failure.textContent()));
    }
}

async function download(page, selector) {
    const [file] = await Promise.all([
        page.waitForEvent('download', { timeout: 20000 }),
        page.click(selector)
    ]);
    const where = await file.path();
    return { name: file.suggestedFilename(), bytes: fs.readFileSync(where) };
}

async function section(page, key) {
    return page.inputValue('#sec-' + key);
}

export const tests = [
    ['a recorded dictation becomes a saved, exported, revised report', async (ctx) => {
        const user = ctx.makeUser('individual', { name: 'Dr. Elif Kaya', credits: 5 });
        const page = await ctx.newPage();
        await ctx.signIn(page, '/login.html', user);
        ctx.assert.equal(ctx.url(page), '/dashboard.html');
        await page.waitForFunction(() => document.getElementById('stat-credits').textContent.trim() === '5');
        await ctx.shot(page, 'dashboard');

        await openReporting(ctx, page);
        // By name first, then by code: the code's exact match is picked.
        await searchExam(ctx, page, 'brain', '803910');
        const byCode = await searchExam(ctx, page, '804200', '804200');
        await page.click(byCode);
        await page.waitForSelector('#selected-exam:not([hidden])');
        ctx.assert.match(await page.textContent('#selected-exam-text'), /804200/);
        await page.selectOption('#input-lang', 'en');
        ctx.assert.equal(await page.inputValue('#output-lang'), 'en', 'the report language follows');
        await page.fill('#patient-name', 'Ali Veli');
        await page.fill('#patient-id', 'P-12345');
        await page.fill('#accession', 'ACC-BROWSER-1');

        // The recording lasts from the start click to the stop click: at
        // least the 6.5 s waited, at most what the clicks took on a loaded
        // machine.
        const clickedStart = Date.now();
        await page.click('#record-start');
        await page.waitForSelector('#record-stop:not([disabled])');
        await page.waitForTimeout(6500);
        await page.click('#record-stop');
        const clickedStop = Date.now();
        await page.waitForSelector('#record-playback:not([hidden])');
        const time = await page.textContent('#record-time');
        const shown = /^00:(\d\d)$/.exec(time);
        ctx.assert.ok(shown, 'the recording time as mm:ss, got ' + time);
        const seconds = Number(shown[1]);
        ctx.assert.ok(seconds >= 6 && seconds <= Math.ceil((clickedStop - clickedStart) / 1000),
            'about six seconds recorded, got ' + time);
        await ctx.shot(page, 'reporting-recorded');

        await page.click('#submit-job');
        await page.waitForSelector('#progress:not([hidden]) .badge');
        await ctx.shot(page, 'reporting-progress');
        await waitForReview(ctx, page);
        await ctx.shot(page, 'reporting-review');
        const findings = await section(page, 'findings');
        const transcript = await page.textContent('#transcript-view');
        ctx.assert.ok(transcript.trim().length > 0, 'a transcript came back');
        ctx.assert.match(findings, /liver|normal/i, 'the findings come from the dictation: ' + transcript);
        ctx.assert.ok((await section(page, 'impression')).trim() || (await section(page, 'conclusion')).trim(),
            'the dictated impression has a section of its own: ' + transcript);

        await page.fill('#sec-findings', findings + '\nEdited in the browser test.');
        await page.click('#save-report');
        await page.waitForSelector('#after-save:not([hidden])');
        ctx.assert.match(await page.textContent('#save-status'), /1/);
        await ctx.shot(page, 'reporting-saved');

        const pdf = await download(page, '#export-links a[data-format="pdf"]');
        ctx.assert.equal(pdf.bytes.subarray(0, 5).toString('latin1'), '%PDF-', 'the PDF export is a PDF');
        const txt = await download(page, '#export-links a[data-format="txt"]');
        ctx.assert.match(txt.bytes.toString('utf8'), /Edited in the browser test\./, 'the export holds the edit');
        const reportHref = await page.getAttribute('#open-report', 'href');
        const reportId = new URLSearchParams(reportHref.split('?')[1]).get('id');
        ctx.assert.ok(reportId);

        await page.click('header nav a[href="/history.html"]');
        await page.waitForURL('**/history.html');
        await page.fill('#f-patient', 'Ali Veli');
        await page.click('#search-form button[type="submit"]');
        const row = '#history-table tr[data-report-id="' + reportId + '"]';
        await page.waitForSelector(row);
        ctx.assert.match(await page.textContent(row), /ACC-BROWSER-1/);
        await ctx.shot(page, 'history');
        await Promise.all([page.waitForURL('**/report.html?id=*'), page.click(row + ' a')]);
        await page.waitForSelector('#report-body:not([hidden])');
        ctx.assert.match(await section(page, 'findings'), /Edited in the browser test\./);
        await page.fill('#sec-conclusion', 'Revised in the browser test.');
        await page.click('#save-report');
        await page.waitForSelector('#revision-table tr[data-revision="2"]');
        ctx.assert.equal(await page.locator('#revision-table tbody tr').count(), 2);
        ctx.assert.match(await page.textContent('#save-status'), /2/);
        await ctx.shot(page, 'report-revision-2');

        // The first revision is still there, as it was.
        await Promise.all([page.waitForURL('**revision=1'), page.click('#revision-table tr[data-revision="1"] a')]);
        await page.waitForSelector('#old-revision:not([hidden])');
        ctx.assert.equal(await section(page, 'conclusion'), '');

        await ctx.visit(page, '/print.html?id=' + encodeURIComponent(reportId));
        await page.waitForSelector('#report-doc:not([hidden])');
        const printed = await page.textContent('#report-doc');
        ctx.assert.match(printed, /Ali Veli/);
        ctx.assert.match(printed, /Revised in the browser test\./);
        ctx.assert.equal(await page.isEnabled('#print-button'), true);
        await ctx.shot(page, 'print');

        await ctx.visit(page, '/dashboard.html');
        await page.waitForFunction(() => document.getElementById('stat-credits').textContent.trim() === '4');
        await page.waitForSelector('#recent-table tr[data-report-id="' + reportId + '"]');
    }],

    ['typed Turkish findings become a report without audio', async (ctx) => {
        const user = ctx.makeUser('individual', { credits: 3 });
        const page = await ctx.newPage();
        await ctx.signIn(page, '/login.html', user);
        await openReporting(ctx, page);
        await page.click('#submit-job');
        ctx.assert.equal(await page.getAttribute('#exam-search', 'aria-invalid'), 'true', 'an exam is needed first');
        await page.click(await searchExam(ctx, page, 'beyin', '803910'));
        const auto = await page.textContent('#template-select option[value=""]');
        const matched = await page.textContent('#exam-results button[data-sut-code="803910"] .tpl');
        ctx.assert.ok(auto.includes(matched.trim()), 'the automatic choice names the matched template: ' + auto);
        // Another library template than the matched one (which the server
        // would call "matched" even when picked by hand).
        const chosen = await page.$eval('#template-select', (select, name) =>
            Array.from(select.options).find((o) => o.value.startsWith('lib:') && o.textContent.includes('MR Beyin') &&
                !o.textContent.includes(name)).value, matched.trim());
        await page.selectOption('#template-select', chosen);
        await page.check('input[name="source"][value="text"]');
        await page.click('#submit-job');
        await page.waitForSelector('#transcript[aria-invalid="true"]');
        await page.fill('#transcript', 'Bulgular: Beyin parankimi normal görünümdedir. Sonuç: Normal beyin BT incelemesi.');
        await page.selectOption('#input-lang', 'tr');
        await page.fill('#patient-name', 'Ayşe Demir');
        await page.click('#submit-job');
        await waitForReview(ctx, page);
        ctx.assert.match(await page.textContent('#template-used'), /seçtiğiniz/, 'the chosen template was used');
        ctx.assert.match(await section(page, 'findings'), /Beyin parankimi/);
        ctx.assert.match(await section(page, 'conclusion') + await section(page, 'impression'), /Normal beyin/);
        await page.click('#save-report');
        await page.waitForSelector('#after-save:not([hidden])');
        await ctx.shot(page, 'reporting-typed-saved');
    }],

    ['a report text is read back into sections by the headings the server writes, in every language', async (ctx) => {
        // The multi-exam review reads a report's plain text by its headings;
        // they come from the server's section table (/assets/vocabulary.js).
        const user = ctx.makeUser('individual', { credits: 1 });
        const page = await ctx.newPage();
        await ctx.signIn(page, '/login.html', user);
        await openReporting(ctx, page);
        const read = (text) => page.evaluate(async (t) => {
            const m = await import('/assets/report-sections.js');
            return m.parseReportText(t);
        }, text);
        const tr = await read('MR BEYİN\nBULGULAR: Parankim normal.\nSonuc: Normal.\nKlinik bilgi: Baş ağrısı.');
        ctx.assert.equal(tr.findings, 'Parankim normal.');
        ctx.assert.equal(tr.conclusion, 'Normal.', 'an ASCII spelling, in any case');
        ctx.assert.equal(tr.clinical, 'Baş ağrısı.');
        const ru = await read('ОПИСАНИЕ: Без изменений.\nЗАКЛЮЧЕНИЕ: Норма.');
        ctx.assert.equal(ru.findings, 'Без изменений.');
        ctx.assert.equal(ru.conclusion, 'Норма.');
        const none = await read('Notes: nothing to say.');
        ctx.assert.equal(none.findings, 'Notes: nothing to say.', 'no heading: all of it is findings');
        const keys = await page.evaluate(async () => (await import('/assets/report-sections.js')).SECTION_KEYS);
        ctx.assert.deepEqual(keys, ['clinical', 'technique', 'comparison', 'findings', 'conclusion', 'impression']);
    }],

    ['an uploaded audio file becomes a report; Turkish speech is refused with the reason', async (ctx) => {
        const user = ctx.makeUser('individual', { credits: 2 });
        const page = await ctx.newPage();
        await ctx.signIn(page, '/login.html', user);
        await openReporting(ctx, page);
        await page.click(await searchExam(ctx, page, '8042', '804200'));
        await page.check('input[name="source"][value="file"]');
        await page.setInputFiles('#audio-file', ctx.wavPath);
        await page.selectOption('#input-lang', 'tr');
        await page.click('#submit-job');
        await page.waitForSelector('#submit-status.status--error');
        ctx.assert.ok((await page.textContent('#submit-status')).trim().length > 0, 'the refusal says why');
        await ctx.shot(page, 'reporting-refused-language');
        await page.selectOption('#input-lang', 'en');
        await page.click('#submit-job');
        await waitForReview(ctx, page);
        ctx.assert.match(await section(page, 'findings'), /liver|normal/i);
        await ctx.shot(page, 'reporting-uploaded');
    }],

    ['own templates: the server refuses a bad one beside its field; create, edit, delete', async (ctx) => {
        const user = ctx.makeUser('individual');
        const page = await ctx.newPage();
        await ctx.signIn(page, '/login.html', user);
        await ctx.visit(page, '/templates.html');
        await page.waitForSelector('#template-table tbody tr[data-template-id]');
        const libraryRows = await page.locator('#template-table tbody tr[data-template-id]').count();
        ctx.assert.ok(libraryRows > 0, 'the library is listed');
        await ctx.shot(page, 'templates');
        await page.click('#template-table tbody tr[data-template-id] [data-action="view"]');
        await page.waitForSelector('#template-view:not([hidden])');
        ctx.assert.match(await page.textContent('#view-content'), /\{\{[A-Z]+\}\}/);

        await page.click('#new-template');
        await page.fill('#tpl-name', 'Benim Şablonum');
        await page.fill('#tpl-content', 'BULGULAR:\n{{BILINMEYEN}}\n');
        await page.click('#tpl-save');
        await page.waitForSelector('#tpl-content[aria-invalid="true"]');
        ctx.assert.ok((await page.textContent('#tpl-content ~ .field__error')).trim().length > 0);
        await ctx.shot(page, 'templates-invalid');
        await page.fill('#tpl-content', 'BULGULAR:\n');
        await page.click('#placeholder-list button[data-placeholder="BULGULAR"]');
        ctx.assert.match(await page.inputValue('#tpl-content'), /\{\{BULGULAR\}\}/);
        await page.selectOption('#tpl-modality', 'CT');
        await page.click('#tpl-save');
        const own = '#template-table tbody tr:has-text("Benim Şablonum")';
        await page.waitForSelector(own);
        await page.click(own + ' [data-action="edit"]');
        await page.fill('#tpl-name', 'Benim Şablonum 2');
        await page.click('#tpl-save');
        const renamed = '#template-table tbody tr:has-text("Benim Şablonum 2")';
        await page.waitForSelector(renamed);
        await page.click(renamed + ' [data-action="delete"]');
        await page.waitForSelector('#confirm-dialog[open]');
        await ctx.shot(page, 'templates-confirm-delete');
        await page.click('#confirm-delete');
        await page.waitForSelector(renamed, { state: 'detached' });
        ctx.assert.equal(await page.locator('#template-table tbody tr[data-template-id]').count(), libraryRows);
    }],

    ['the pages fit a tablet and switch to English', async (ctx) => {
        const user = ctx.makeUser('individual', { credits: 1 });
        const page = await ctx.newPage({ viewport: { width: 768, height: 1024 } });
        await ctx.signIn(page, '/login.html', user);
        for (const name of ['dashboard', 'reporting-ai', 'templates', 'history']) {
            await ctx.visit(page, '/' + name + '.html', 'tablet-' + name);
            const width = await page.evaluate(() => document.documentElement.scrollWidth);
            ctx.assert.ok(width <= 768, name + ' is ' + width + ' px wide at 768');
        }
        await ctx.visit(page, '/dashboard.html');
        const turkish = await page.textContent('header nav a[href="/dashboard.html"]');
        await page.selectOption('#lang-switch', 'en');
        ctx.assert.equal(await page.textContent('header nav a[href="/dashboard.html"]'), 'Dashboard');
        await page.reload();
        await page.waitForSelector('header nav');
        ctx.assert.equal(await page.textContent('header nav a[href="/dashboard.html"]'), 'Dashboard');
        await ctx.shot(page, 'dashboard-en');
        await page.selectOption('#lang-switch', 'tr');
        ctx.assert.equal(await page.textContent('header nav a[href="/dashboard.html"]'), turkish);
    }],

    ['the keyboard reaches the exam list and the focus is visible', async (ctx) => {
        const user = ctx.makeUser('individual');
        const page = await ctx.newPage();
        await ctx.signIn(page, '/login.html', user);
        await ctx.visit(page, '/reporting-ai.html');
        await page.focus('#exam-search');
        await page.keyboard.type('803910');
        await page.waitForSelector('#exam-results button');
        await page.keyboard.press('ArrowDown');
        const focused = await page.evaluate(() => document.activeElement.dataset.sutCode);
        ctx.assert.equal(focused, '803910');
        const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
        ctx.assert.notEqual(outline, 'none', 'the focused element shows an outline');
        await page.keyboard.press('Enter');
        await page.waitForSelector('#selected-exam:not([hidden])');
    }]
];
