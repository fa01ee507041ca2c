/* reporting.js - the AI reporting page (reporting-ai.html).
 *
 * 1. Exam: a search box (GET /api/v1/exams?q=, debounced, stale answers
 *    dropped) lists code, name, modality and matched template; picking one
 *    names its matched template on the automatic choice of the template
 *    list (GET /api/v1/templates), where another can be chosen (sent as
 *    templateId; the automatic choice sends none and the server matches).
 *    A typed 5-7 digit code not in the catalog is accepted as it is.
 * 2. Input: a microphone recording (recorder.js), an audio file, or typed
 *    findings; patient name and id, accession, input and output language.
 * 3. Submit: POST /api/v1/jobs (multipart), then GET /api/v1/jobs/{id}
 *    every 2 s, at most MAX_POLLS times before asking whether to go on.
 * 4. Review: the sections as editable textareas; Save posts
 *    /api/v1/reports (later saves PUT a new revision), then export links. */

import { api, apiForm, errorText } from './api.js';
import { initPage, REPORTING_NAV } from './layout.js';
import { h, clear, setStatus, setStatusText, badge, showFieldError, clearFieldErrors, debounce } from './dom.js';
import { t, currentLang } from './i18n.js';
import { Recorder, recordingSupported } from './recorder.js';
import { sectionsFromJob, examOfJob, buildSectionEditors, readSections, hasText, exportLinks, showSectionError } from './report-sections.js';

const SEARCH_DELAY_MS = 250;
const POLL_INTERVAL_MS = 2000;
const MAX_POLLS = 150;            /* 5 minutes, then the user decides */
const MAX_POLL_ERRORS = 5;        /* consecutive failed polls before giving up */
const SUT_CODE = /^\d{5,7}$/;

const state = {
    exam: null,           /* the picked catalog entry */
    results: [],
    searchSeq: 0,
    recorder: null,
    recording: null,      /* {blob, durationMs, fileName} */
    recordTimer: null,
    playbackUrl: null,
    jobId: null,
    job: null,
    submittedAt: 0,
    polls: 0,
    pollErrors: 0,
    pollTimer: null,
    report: null,         /* the saved report */
    outputLangTouched: false
};

const $ = (id) => document.getElementById(id);

/* ---- 1. exam and template ---------------------------------------------- */

function examLabel(exam) {
    const parts = [exam.sutCode, exam.name || t('rep.noName')];
    if (exam.modality) {
        parts.push(exam.modality);
    }
    return parts.join(' · ');
}

function showSelectedExam() {
    const box = $('selected-exam');
    const text = $('selected-exam-text');
    if (state.exam) {
        text.removeAttribute('data-i18n');
        text.textContent = examLabel(state.exam);
        box.hidden = false;
        return;
    }
    const code = $('exam-search').value.trim();
    if (SUT_CODE.test(code)) {
        text.setAttribute('data-i18n', 'rep.selectedCode');
        text.setAttribute('data-i18n-vars', JSON.stringify({ code }));
        text.textContent = t('rep.selectedCode', { code });
        box.hidden = false;
        return;
    }
    box.hidden = true;
}

/* The automatic choice names the exam's matched template, if any. */
function labelAutoTemplate() {
    const auto = $('template-select').querySelector('option[value=""]');
    const tpl = state.exam && state.exam.template;
    if (tpl && tpl.name) {
        auto.setAttribute('data-i18n', 'rep.templateAutoNamed');
        auto.setAttribute('data-i18n-vars', JSON.stringify({ name: tpl.name }));
        auto.textContent = t('rep.templateAutoNamed', { name: tpl.name });
    } else {
        auto.setAttribute('data-i18n', 'rep.templateAuto');
        auto.removeAttribute('data-i18n-vars');
        auto.textContent = t('rep.templateAuto');
    }
}

function selectExam(exam) {
    state.exam = exam;
    $('exam-search').value = exam.sutCode;
    labelAutoTemplate();
    renderResults();
    showSelectedExam();
    clearFieldErrors($('job-form'));
}

function resultButton(exam) {
    const picked = state.exam && state.exam.sutCode === exam.sutCode;
    const button = h('button', { type: 'button', 'aria-pressed': picked ? 'true' : 'false', dataset: { sutCode: exam.sutCode } }, [
        h('span', { class: 'mono', text: exam.sutCode }),
        h('span', null, [
            h('span', { text: exam.name || t('rep.noName') }),
            h('span', { class: 'sub', text: [exam.modality, exam.bodyPart].filter(Boolean).join(' · ') })
        ]),
        h('span', { class: 'tpl muted', text: exam.template ? exam.template.name : t('rep.noTemplate') })
    ]);
    button.addEventListener('click', () => selectExam(exam));
    return h('li', null, button);
}

function renderResults() {
    const list = $('exam-results');
    clear(list);
    for (const exam of state.results) {
        list.append(resultButton(exam));
    }
}

async function searchExams() {
    const q = $('exam-search').value.trim();
    const status = $('exam-search-status');
    const seq = ++state.searchSeq;
    if (state.exam && state.exam.sutCode !== q) {
        state.exam = null;
        labelAutoTemplate();
    }
    showSelectedExam();
    if (!q) {
        state.results = [];
        renderResults();
        setStatus(status);
        return;
    }
    setStatus(status, null, 'rep.searching');
    try {
        const reply = await api('GET', '/api/v1/exams?q=' + encodeURIComponent(q));
        if (seq !== state.searchSeq) {
            return; /* a newer search is on its way */
        }
        state.results = reply.items || [];
        const exact = state.results.find((e) => e.sutCode === q);
        renderResults();
        if (exact && !state.exam) {
            selectExam(exact);
        }
        setStatus(status, null, state.results.length ? 'rep.results' : 'rep.noResults', { n: state.results.length });
    } catch (err) {
        if (seq === state.searchSeq) {
            setStatusText(status, 'error', errorText(err));
        }
    }
}

async function loadTemplates() {
    const select = $('template-select');
    try {
        const reply = await api('GET', '/api/v1/templates');
        const groups = { library: h('optgroup', { 'data-i18n-label': 'rep.templateLibrary' }),
            own: h('optgroup', { 'data-i18n-label': 'rep.templateOwn' }) };
        for (const tpl of reply.items || []) {
            const group = groups[tpl.owner === 'own' ? 'own' : 'library'];
            const details = [tpl.modality, tpl.language, tpl.format].filter(Boolean).join(', ');
            group.append(h('option', { value: tpl.id, text: tpl.name + (details ? ' (' + details + ')' : '') }));
        }
        for (const group of [groups.own, groups.library]) {
            if (group.children.length) {
                select.append(group);
            }
        }
        labelGroups();
    } catch (err) {
        setStatusText($('page-status'), 'error', errorText(err));
    }
}

/* optgroup labels are attributes the i18n module does not know. */
function labelGroups() {
    for (const group of document.querySelectorAll('optgroup[data-i18n-label]')) {
        group.label = t(group.getAttribute('data-i18n-label'));
    }
}

/* ---- 2. input ------------------------------------------------------------ */

function currentSource() {
    return $('job-form').elements.source.value;
}

function showPanel() {
    const source = currentSource();
    for (const panel of document.querySelectorAll('[data-panel]')) {
        panel.hidden = panel.dataset.panel !== source;
    }
}

function clock(ms) {
    const total = Math.floor(ms / 1000);
    const mm = String(Math.floor(total / 60)).padStart(2, '0');
    const ss = String(total % 60).padStart(2, '0');
    return mm + ':' + ss;
}

function setPlayback(blob) {
    const audio = $('record-playback');
    if (state.playbackUrl) {
        URL.revokeObjectURL(state.playbackUrl);
        state.playbackUrl = null;
    }
    if (blob) {
        state.playbackUrl = URL.createObjectURL(blob);
        audio.src = state.playbackUrl;
        audio.hidden = false;
    } else {
        audio.removeAttribute('src');
        audio.hidden = true;
    }
}

async function startRecording() {
    const status = $('record-status');
    discardRecording();
    state.recorder = new Recorder();
    try {
        await state.recorder.start();
    } catch (err) {
        state.recorder = null;
        setStatus(status, 'error', 'rep.micDenied', { reason: err && err.message ? err.message : String(err) });
        return;
    }
    $('record-start').disabled = true;
    $('record-start').classList.add('is-recording');
    $('record-stop').disabled = false;
    $('record-stop').focus();
    setStatus(status, 'info', 'rep.recording');
    state.recordTimer = setInterval(() => {
        $('record-time').textContent = clock(state.recorder ? state.recorder.elapsedMs() : 0);
    }, 250);
}

async function stopRecording() {
    if (!state.recorder || !state.recorder.isRecording()) {
        return;
    }
    clearInterval(state.recordTimer);
    $('record-stop').disabled = true;
    try {
        state.recording = await state.recorder.stop();
    } catch (err) {
        state.recording = null;
    }
    state.recorder = null;
    $('record-start').disabled = false;
    $('record-start').classList.remove('is-recording');
    if (state.recording) {
        const seconds = Math.round(state.recording.durationMs / 1000);
        $('record-time').textContent = clock(seconds * 1000);
        setStatus($('record-status'), 'success', 'rep.recorded', { seconds });
        setPlayback(state.recording.blob);
        $('record-discard').hidden = false;
    }
}

function discardRecording() {
    if (state.recorder) {
        state.recorder.cancel();
        state.recorder = null;
    }
    clearInterval(state.recordTimer);
    state.recording = null;
    setPlayback(null);
    $('record-time').textContent = clock(0);
    $('record-discard').hidden = true;
    $('record-start').disabled = false;
    $('record-start').classList.remove('is-recording');
    $('record-stop').disabled = true;
    setStatus($('record-status'));
}

function setupRecorder() {
    if (!recordingSupported()) {
        $('record-start').disabled = true;
        /* Browsers offer the microphone only to HTTPS pages (and localhost). */
        setStatus($('record-status'), 'info', window.isSecureContext ? 'rep.noRecorder' : 'rep.needsHttps');
        return;
    }
    $('record-start').addEventListener('click', startRecording);
    $('record-stop').addEventListener('click', stopRecording);
    $('record-discard').addEventListener('click', () => {
        discardRecording();
        $('record-start').focus();
    });
}

/* ---- 3. submit and poll --------------------------------------------------- */

function chosenCode() {
    if (state.exam) {
        return state.exam.sutCode;
    }
    const typed = $('exam-search').value.trim();
    return SUT_CODE.test(typed) ? typed : null;
}

/* Adds the dictation to fd; an i18n key naming what is missing, or null. */
function addInput(fd) {
    const form = $('job-form');
    const source = currentSource();
    if (source === 'record') {
        if (state.recorder && state.recorder.isRecording()) {
            return ['rep.stillRecording', null];
        }
        if (!state.recording || state.recording.blob.size === 0) {
            return ['rep.needInput', null];
        }
        fd.append('audio', state.recording.blob, state.recording.fileName);
    } else if (source === 'file') {
        const file = form.elements.audio.files[0];
        if (!file) {
            return ['rep.needInput', 'audio'];
        }
        fd.append('audio', file, file.name);
    } else {
        const text = form.elements.transcript.value.trim();
        if (!text) {
            return ['rep.needInput', 'transcript'];
        }
        fd.append('transcript', text);
    }
    return null;
}

function buildJob() {
    const form = $('job-form');
    const code = chosenCode();
    if (!code) {
        return { problem: ['rep.needExam', 'sutCode'] };
    }
    const fd = new FormData();
    const problem = addInput(fd);
    if (problem) {
        return { problem };
    }
    fd.append('sutCode', code);
    if (form.elements.templateId.value) {
        fd.append('templateId', form.elements.templateId.value);
    }
    for (const name of ['patientName', 'patientId', 'accessionNo']) {
        const value = form.elements[name].value.trim();
        if (value) {
            fd.append(name, value);
        }
    }
    fd.append('inputLang', form.elements.inputLang.value);
    fd.append('outputLang', form.elements.outputLang.value);
    return { fd };
}

const FIELD_CONTROLS = { audio: 'audio', transcript: 'transcript', sutCode: 'sutCode', templateId: 'templateId',
    patientName: 'patientName', patientId: 'patientId', accessionNo: 'accessionNo',
    inputLang: 'inputLang', outputLang: 'outputLang' };

async function submitJob(event) {
    event.preventDefault();
    const form = $('job-form');
    const status = $('submit-status');
    clearFieldErrors(form);
    const { fd, problem } = buildJob();
    if (problem) {
        setStatus(status, 'error', problem[0]);
        if (problem[1]) {
            showFieldError(form, problem[1], t(problem[0]));
            form.elements[problem[1]].focus();
        }
        return;
    }
    stopPolling();
    $('submit-job').disabled = true;
    $('review-form').hidden = true;
    setStatus(status, 'info', 'rep.submitting');
    try {
        const reply = await apiForm('POST', '/api/v1/jobs', fd);
        state.jobId = reply.jobId;
        state.report = null;
        state.submittedAt = Date.now();
        setStatus(status, 'info', 'rep.jobStarted', {
            seconds: reply.estimatedSeconds !== undefined ? reply.estimatedSeconds : '?',
            credits: reply.remainingCredits !== undefined ? reply.remainingCredits : '?'
        });
        showProgress(reply.status || 'pending');
        startPolling();
    } catch (err) {
        $('submit-job').disabled = false;
        const text = errorText(err);
        setStatusText(status, 'error', text);
        const control = FIELD_CONTROLS[err.field];
        if (control && form.elements[control]) {
            showFieldError(form, control, text);
        }
    }
}

function showProgress(jobStatus) {
    $('progress').hidden = false;
    const holder = $('job-badge');
    clear(holder);
    holder.append(badge(jobStatus));
    const seconds = Math.round((Date.now() - state.submittedAt) / 1000);
    $('job-elapsed').setAttribute('data-i18n', 'rep.elapsed');
    $('job-elapsed').setAttribute('data-i18n-vars', JSON.stringify({ seconds }));
    $('job-elapsed').textContent = t('rep.elapsed', { seconds });
}

function stopPolling() {
    clearTimeout(state.pollTimer);
    state.pollTimer = null;
}

function startPolling() {
    state.polls = 0;
    state.pollErrors = 0;
    $('keep-waiting').hidden = true;
    setStatus($('job-status'));
    schedulePoll();
}

function schedulePoll() {
    stopPolling();
    if (state.polls >= MAX_POLLS) {
        setStatus($('job-status'), 'info', 'rep.pollGaveUp');
        $('keep-waiting').hidden = false;
        $('submit-job').disabled = false;
        return;
    }
    state.pollTimer = setTimeout(pollOnce, POLL_INTERVAL_MS);
}

function jobFailure(job) {
    const exam = examOfJob(job);
    const error = job.error || exam.error || {};
    return error.message || error.code || t('err.generic');
}

async function pollOnce() {
    state.polls += 1;
    const jobId = state.jobId;
    let job;
    try {
        job = await api('GET', '/api/v1/jobs/' + encodeURIComponent(jobId));
    } catch (err) {
        state.pollErrors += 1;
        if (state.pollErrors >= MAX_POLL_ERRORS || err.status === 404) {
            setStatusText($('job-status'), 'error', errorText(err));
            $('submit-job').disabled = false;
            return;
        }
        schedulePoll();
        return;
    }
    if (jobId !== state.jobId) {
        return;
    }
    state.pollErrors = 0;
    state.job = job;
    showProgress(job.status);
    if (job.status === 'completed') {
        $('submit-job').disabled = false;
        setStatus($('job-status'));
        showReview(job);
    } else if (job.status === 'failed') {
        $('submit-job').disabled = false;
        setStatus($('job-status'), 'error', 'rep.failed', { message: jobFailure(job) });
    } else {
        schedulePoll();
    }
}

/* ---- 4. review and save ----------------------------------------------------- */

function showReview(job) {
    const exam = examOfJob(job);
    buildSectionEditors($('section-editors'), sectionsFromJob(job), { idPrefix: 'sec' });
    const used = $('template-used');
    if (exam.templateUsed) {
        used.setAttribute('data-i18n', 'rep.templateUsed');
        used.setAttribute('data-i18n-vars', JSON.stringify({ how: t('rep.used.' + exam.templateUsed) }));
        used.textContent = t('rep.templateUsed', { how: t('rep.used.' + exam.templateUsed) });
    } else {
        used.textContent = '';
    }
    $('transcript-view').textContent = exam.transcript || '';
    $('transcript-details').hidden = !exam.transcript;
    $('after-save').hidden = true;
    setStatus($('save-status'));
    $('save-report').setAttribute('data-i18n', 'rep.save');
    $('save-report').textContent = t('rep.save');
    $('review-form').hidden = false;
    $('review-title').focus();
}

function reportBody(sections) {
    const form = $('job-form');
    const job = state.job || {};
    const exam = examOfJob(job);
    const picked = state.exam || {};
    const text = (name) => form.elements[name].value.trim() || null;
    return {
        sutCode: exam.sutCode || job.sutCode || chosenCode(),
        examName: exam.examName || picked.name || null,
        modality: exam.modality || picked.modality || null,
        patientName: text('patientName'),
        patientId: text('patientId') || job.patientId || null,
        accessionNo: text('accessionNo') || exam.accessionNo || exam.accessionNumber || null,
        language: job.outputLang || form.elements.outputLang.value,
        sections
    };
}

async function saveReport(event) {
    event.preventDefault();
    const status = $('save-status');
    const sections = readSections($('section-editors'));
    if (!hasText(sections)) {
        setStatus(status, 'error', 'rep.empty');
        return;
    }
    const body = reportBody(sections);
    $('save-report').disabled = true;
    setStatus(status, 'info', 'rep.saving');
    try {
        let reply;
        if (state.report) {
            reply = await api('PUT', '/api/v1/reports/' + encodeURIComponent(state.report.id), body);
        } else {
            reply = await api('POST', '/api/v1/reports', Object.assign({ jobId: state.jobId }, body));
        }
        state.report = reply.report || reply;
        setStatus(status, 'success', 'rep.saved', { revision: state.report.revision });
        exportLinks($('export-links'), state.report.id);
        $('open-report').href = '/report.html?id=' + encodeURIComponent(state.report.id);
        $('after-save').hidden = false;
        $('save-report').setAttribute('data-i18n', 'report.save');
        $('save-report').textContent = t('report.save');
    } catch (err) {
        setStatusText(status, 'error', errorText(err));
        showSectionError($('review-form'), err);
    } finally {
        $('save-report').disabled = false;
    }
}

/* ---- start ------------------------------------------------------------------ */

function setupLanguages() {
    const form = $('job-form');
    const lang = currentLang();
    form.elements.inputLang.value = lang;
    form.elements.outputLang.value = lang;
    form.elements.inputLang.addEventListener('change', () => {
        if (!state.outputLangTouched) {
            form.elements.outputLang.value = form.elements.inputLang.value;
        }
    });
    form.elements.outputLang.addEventListener('change', () => {
        state.outputLangTouched = true;
    });
}

async function start() {
    const session = await initPage({ path: ['user', 'corporate'], nav: REPORTING_NAV });
    if (!session) {
        return;
    }
    const form = $('job-form');
    setupLanguages();
    setupRecorder();
    for (const radio of form.elements.source) {
        radio.addEventListener('change', showPanel);
    }
    showPanel();
    $('exam-search').addEventListener('input', debounce(searchExams, SEARCH_DELAY_MS));
    $('exam-search').addEventListener('keydown', (event) => {
        if (event.key === 'ArrowDown') {
            const first = $('exam-results').querySelector('button');
            if (first) {
                event.preventDefault();
                first.focus();
            }
        }
    });
    $('exam-results').addEventListener('keydown', (event) => {
        const buttons = Array.from($('exam-results').querySelectorAll('button'));
        const i = buttons.indexOf(document.activeElement);
        if (i < 0) {
            return;
        }
        if (event.key === 'ArrowDown' && i + 1 < buttons.length) {
            event.preventDefault();
            buttons[i + 1].focus();
        } else if (event.key === 'ArrowUp') {
            event.preventDefault();
            (i > 0 ? buttons[i - 1] : $('exam-search')).focus();
        }
    });
    form.addEventListener('submit', submitJob);
    $('review-form').addEventListener('submit', saveReport);
    $('keep-waiting').addEventListener('click', () => {
        $('submit-job').disabled = true;
        startPolling();
    });
    window.addEventListener('raportai:lang', () => {
        labelGroups();
        renderResults();
        showSelectedExam();
        if (state.report) {
            exportLinks($('export-links'), state.report.id);
        }
    });
    window.addEventListener('pagehide', () => {
        stopPolling();
        if (state.recorder) {
            state.recorder.cancel();
        }
    });
    await loadTemplates();
}

start();
