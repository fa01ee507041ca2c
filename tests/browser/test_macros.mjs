// Voice macros on the templates page in a real browser: a manager creates a
// macro for the whole organization and sees it listed with its scope and
// section; the built-in names of the template library are shown; the
// server's validation message lands next to the name; a radiologist of the
// same organization sees the organization's macro but cannot change it.

export const tests = [
    ['a macro created on the templates page is listed', async (ctx) => {
        const manager = ctx.makeUser('manager', { name: 'Dr. Selin Aydın' });
        const page = await ctx.newPage();
        await ctx.signIn(page, '/kurumsal-login.html', manager);
        await ctx.open(page, '/templates.html');
        await page.waitForSelector('#macro-table tbody td.empty');
        ctx.assert.match(await page.textContent('#builtin-list'), /makro normal beyin/,
            'the library\'s built-in names are listed');

        await page.click('#new-macro');
        await page.waitForSelector('#macro-form:not([hidden])');
        ctx.assert.equal(await page.isVisible('#macro-scope'), true, 'a manager chooses the scope');
        ctx.assert.match(await page.textContent('#macro-name-hint'), /makro/);

        // The server's refusal is shown next to the field.
        await page.fill('#macro-name', 'makro kontrol');
        await page.fill('#macro-text', 'Üç ay sonra kontrol MR önerilir.');
        await page.click('#macro-save');
        await page.waitForSelector('#macro-form .field--invalid #macro-name');
        ctx.assert.match(await page.textContent('#macro-editor-status'), /makro/i);

        await page.fill('#macro-name', 'Kontrol Önerisi');
        await page.selectOption('#macro-section', 'conclusion');
        await page.selectOption('#macro-scope', 'true');
        await ctx.shot(page, 'macros-editor');
        await page.click('#macro-save');
        await page.waitForSelector('#macro-status.status--success');
        const row = page.locator('#macro-table tbody tr', { hasText: 'Kontrol Önerisi' });
        await row.waitFor({ timeout: 10000 });
        const text = await row.textContent();
        ctx.assert.match(text, /Sonuç/, 'the section is shown');
        ctx.assert.match(text, /Kurum/, 'the scope is shown');
        ctx.assert.match(text, /Üç ay sonra kontrol MR önerilir\./);
        ctx.assert.equal(await row.locator('button[data-action="edit"]').count(), 1);
        await ctx.shot(page, 'macros-listed');

        // The list is the server's: it is there after a reload too.
        await ctx.open(page, '/templates.html');
        await page.locator('#macro-table tbody tr', { hasText: 'Kontrol Önerisi' }).waitFor({ timeout: 10000 });

        // A radiologist of the organization sees it, without edit buttons.
        const radiologist = ctx.makeUser('radiologist', { org: manager.org });
        const other = await ctx.newPage();
        await ctx.signIn(other, '/kurumsal-login.html', radiologist);
        await ctx.open(other, '/templates.html');
        const seen = other.locator('#macro-table tbody tr', { hasText: 'Kontrol Önerisi' });
        await seen.waitFor({ timeout: 10000 });
        ctx.assert.equal(await seen.locator('button').count(), 0, 'not the radiologist\'s to change');
        await other.click('#new-macro');
        await other.waitForSelector('#macro-form:not([hidden])');
        ctx.assert.equal(await other.isVisible('#macro-scope'), false, 'only a manager chooses the scope');
    }]
];
