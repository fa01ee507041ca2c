/* recorder.js - records a dictation from the microphone with getUserMedia
 * and MediaRecorder.
 *
 *   recordingSupported()      true when this browser can record audio.
 *   const r = new Recorder(); await r.start();   asks for the microphone
 *                             (throws the browser's error when refused);
 *   r.elapsedMs()             time recorded so far;
 *   const { blob, durationMs, fileName } = await r.stop();
 *                             the recording: Opus in WebM when the browser
 *                             has it, else what it supports; the microphone
 *                             is released.
 *   r.cancel()                stops and throws the recording away. */

const PREFERRED_TYPES = ['audio/webm;codecs=opus', 'audio/webm', 'audio/ogg;codecs=opus', 'audio/mp4'];
const EXTENSIONS = { 'audio/webm': 'webm', 'audio/ogg': 'ogg', 'audio/mp4': 'm4a', 'audio/wav': 'wav' };
const SLICE_MS = 1000;

export function recordingSupported() {
    return Boolean(navigator.mediaDevices && navigator.mediaDevices.getUserMedia && window.MediaRecorder);
}

function pickType() {
    for (const type of PREFERRED_TYPES) {
        if (MediaRecorder.isTypeSupported && MediaRecorder.isTypeSupported(type)) {
            return type;
        }
    }
    return '';
}

function extensionOf(type) {
    const base = (type || '').split(';')[0].trim();
    return EXTENSIONS[base] || 'webm';
}

export class Recorder {
    constructor() {
        this.stream = null;
        this.media = null;
        this.chunks = [];
        this.startedAt = 0;
        this.stoppedAt = 0;
    }

    async start() {
        this.chunks = [];
        this.stream = await navigator.mediaDevices.getUserMedia({
            audio: { channelCount: 1, echoCancellation: false, noiseSuppression: false, autoGainControl: true }
        });
        const type = pickType();
        try {
            this.media = type ? new MediaRecorder(this.stream, { mimeType: type }) : new MediaRecorder(this.stream);
        } catch (err) {
            this.release();
            throw err;
        }
        this.media.addEventListener('dataavailable', (event) => {
            if (event.data && event.data.size > 0) {
                this.chunks.push(event.data);
            }
        });
        this.media.start(SLICE_MS);
        this.startedAt = performance.now();
        this.stoppedAt = 0;
    }

    isRecording() {
        return Boolean(this.media && this.media.state === 'recording');
    }

    elapsedMs() {
        if (!this.startedAt) {
            return 0;
        }
        return (this.stoppedAt || performance.now()) - this.startedAt;
    }

    release() {
        if (this.stream) {
            for (const track of this.stream.getTracks()) {
                track.stop();
            }
        }
        this.stream = null;
    }

    stop() {
        return new Promise((resolve, reject) => {
            if (!this.isRecording()) {
                reject(new Error('not recording'));
                return;
            }
            this.media.addEventListener('stop', () => {
                this.stoppedAt = performance.now();
                this.release();
                const type = this.media.mimeType || (this.chunks[0] && this.chunks[0].type) || 'audio/webm';
                const blob = new Blob(this.chunks, { type: type.split(';')[0] });
                resolve({ blob, durationMs: this.elapsedMs(), fileName: 'dictation.' + extensionOf(type) });
            }, { once: true });
            this.media.stop();
        });
    }

    cancel() {
        if (this.isRecording()) {
            this.media.stop();
        }
        this.release();
        this.chunks = [];
        this.startedAt = 0;
    }
}
