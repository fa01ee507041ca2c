// The template library on the templates page in a real browser: the import
// of an IHE MRRT (RadReport) template through its button and hidden file
// input adds an own template and shows it; a file that is not an MRRT
// template is refused with the server's sentence. The MRRT files are the
// hand-written ones of tests/data/mrrt.

import path from 'node:path';
import { fileURLToPath } from 'node:url';

const MRRT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'data', 'mrrt');

export const tests = [
    ['an MRRT template is imported from the templates page', async (ctx) => {
        const user = ctx.makeUser('individual');
        const page = await ctx.newPage();
        await ctx.signIn(page, '/login.html', user);
        await ctx.visit(page, '/templates.html');
        await page.waitForSelector('#template-table tbody tr[data-template-id]');
        ctx.assert.equal(await page.isVisible('#import-mrrt'), true, 'the import button is shown');

        await page.setInputFiles('#mrrt-file', path.join(MRRT, 'no-report-sections.html'));
        await page.waitForSelector('#page-status.status--error');
        ctx.assert.match(await page.textContent('#page-status'), /report section/);

        await page.setInputFiles('#mrrt-file', path.join(MRRT, 'ct-chest.html'));
        await page.waitForSelector('#template-view:not([hidden])');
        ctx.assert.match(await page.textContent('#view-title'), /CT Chest with Contrast/);
        ctx.assert.match(await page.textContent('#view-content'), /\{\{BULGULAR\}\}/);
        ctx.assert.match(await page.textContent('#page-status'), /CT Chest with Contrast/);
        await page.waitForSelector('#template-table tbody tr:has-text("CT Chest with Contrast") [data-action="edit"]');
        await ctx.shot(page, 'templates-mrrt-imported');
    }],
];
