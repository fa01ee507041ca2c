"""A fake OpenAI-compatible server on 127.0.0.1, written for the tests.

It tests OUR clients - the HTTP client (src/httpc/httpc.c), the speech engine
`openai` (src/asr/openai.c) and the structuring engine `openai` - and not any
real server: it implements the endpoints as OpenAI documents them, checks
every request it receives as strictly as such a server would (stricter where
our client promises more), records each request for assertions, and can be
told to answer slowly, with 429 (and Retry-After), 500, a dropped
connection or malformed JSON, request by request.

    with FakeOpenAI(key="sk-test") as fake:
        url = fake.url                       # base URL: "http://127.0.0.1:PORT"
        fake.script("transcriptions", [{"status": 429, "retry_after": "1"}])
        ...                                  # the next request gets the 429, the
        ...                                  # one after it the normal answer
        fake.requests("transcriptions")      # what was received, in order
        fake.violations                      # requests that broke the contract

A step of a script (and the default, set with fake.default(...)) is a dict:
    status       HTTP status (default 200)
    retry_after  a Retry-After header value
    delay        seconds to wait before answering (bounded by MAX_DELAY_S)
    body         the raw body to send instead of the normal answer (malformed
                 JSON, an answer without "text", ...)
    close        True: drop the connection without answering
    text         the transcript to answer (default: FakeOpenAI.transcript)

Endpoints:
    POST /v1/audio/transcriptions   (speech; below)
    POST /v1/chat/completions       (structuring; below, with script_chat)

Only loopback addresses are used; every wait is bounded."""

import http.server
import json
import re
import struct
import threading
import time

MAX_DELAY_S = 60
MAX_BODY = 64 * 1024 * 1024

# What the fake answers when a test says nothing else: a written transcript
# per language, as a Whisper-style server would return it.
TRANSCRIPTS = {
    "tr": "Bulgular: Beyin parankimi normal görünümdedir. Orta hat yapıları ortadadır. "
          "Sonuç: Normal beyin BT incelemesi.",
    "en": "Findings: The brain parenchyma is normal. Impression: Normal brain CT.",
    "ru": "Описание: Паренхима головного мозга без особенностей. "
          "Заключение: Норма.",
    "az": "Təsvir: Beyin parenximası normaldır. Nəticə: Normal beyin KT.",
    "fr": "Résultats : Le parenchyme cérébral est normal. Conclusion : Scanner cérébral normal.",
    "de": "Befund: Das Hirnparenchym ist unauffällig. Beurteilung: Unauffälliges CT des Schädels.",
}

TRANSCRIPTION_FIELDS = {"file", "model", "language", "prompt", "response_format",
                        "temperature", "timestamp_granularities[]"}
RESPONSE_FORMATS = {"json", "text", "srt", "verbose_json", "vtt"}


# ---- multipart/form-data -------------------------------------------------------------

def parse_multipart(body, content_type):
    """[(name, filename or None, content type or None, bytes)] of a
    multipart/form-data body; raises ValueError when it is malformed."""
    m = re.match(r'multipart/form-data;\s*boundary="?([^";]+)"?', content_type or "", re.I)
    if not m:
        raise ValueError("Content-Type is not multipart/form-data with a boundary")
    delimiter = b"--" + m.group(1).encode("latin-1")
    chunks = body.split(delimiter)
    if len(chunks) < 3 or not chunks[-1].startswith(b"--"):
        raise ValueError("the body does not end with the closing boundary")
    parts = []
    for chunk in chunks[1:-1]:
        if not chunk.startswith(b"\r\n") or not chunk.endswith(b"\r\n"):
            raise ValueError("a part is not framed by CRLF")
        head, sep, data = chunk[2:-2].partition(b"\r\n\r\n")
        if not sep:
            raise ValueError("a part has no blank line after its headers")
        headers = {}
        for line in head.decode("utf-8").split("\r\n"):
            k, _, v = line.partition(":")
            headers[k.strip().lower()] = v.strip()
        disp = headers.get("content-disposition", "")
        name = re.search(r'\bname="([^"]*)"', disp)
        if not disp.startswith("form-data") or not name:
            raise ValueError("a part has no form-data name")
        filename = re.search(r'\bfilename="([^"]*)"', disp)
        parts.append((name.group(1), filename.group(1) if filename else None,
                      headers.get("content-type"), data))
    return parts


def parse_wav(data):
    """The format of a RIFF WAVE file: dict(rate, channels, bits, format,
    samples, pcm); raises ValueError when it is not one."""
    if len(data) < 44 or data[:4] != b"RIFF" or data[8:12] != b"WAVE":
        raise ValueError("the file is not RIFF/WAVE")
    if struct.unpack("<I", data[4:8])[0] != len(data) - 8:
        raise ValueError("the RIFF size does not match the file")
    pos, fmt, pcm = 12, None, None
    while pos + 8 <= len(data):
        cid, size = data[pos:pos + 4], struct.unpack("<I", data[pos + 4:pos + 8])[0]
        payload = data[pos + 8:pos + 8 + size]
        if len(payload) != size:
            raise ValueError("chunk %r is cut short" % cid)
        if cid == b"fmt ":
            fmt = struct.unpack("<HHIIHH", payload[:16])
        elif cid == b"data":
            pcm = payload
        pos += 8 + size + (size & 1)
    if fmt is None or pcm is None:
        raise ValueError("the WAV has no fmt or data chunk")
    audio_format, channels, rate, byte_rate, align, bits = fmt
    if byte_rate != rate * channels * bits // 8 or align != channels * bits // 8:
        raise ValueError("the WAV's byte rate or block align is inconsistent")
    return {"format": audio_format, "channels": channels, "rate": rate, "bits": bits,
            "samples": len(pcm) // max(1, align), "pcm": pcm}


def rms(pcm, start, count):
    """Root mean square of count 16-bit samples of pcm from sample start."""
    start = max(0, start)
    chunk = pcm[2 * start:2 * (start + count)]
    n = len(chunk) // 2
    if n == 0:
        return 0.0
    values = struct.unpack("<%dh" % n, chunk[:2 * n])
    return (sum(v * v for v in values) / n) ** 0.5


# ---- the server ------------------------------------------------------------------------

class FakeOpenAI:
    """The fake server; a context manager (or call close())."""

    def __init__(self, key=None):
        """key: the bearer key every request must carry (None: no check)."""
        self.key = key
        self.lock = threading.Lock()
        self._scripts = {}
        self._defaults = {}
        self._requests = {}
        self.violations = []
        self.transcript = lambda record: TRANSCRIPTS.get(record.get("language"), "Normal.")
        fake = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self):
                fake._handle(self)

            def do_GET(self):
                fake._answer(self, {"status": 404}, {"error": {"message": "not found"}})

            def log_message(self, *args):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self):
        return "http://127.0.0.1:%d" % self.httpd.server_address[1]

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # -- what the tests tell it, and what it saw --

    def script(self, endpoint, steps):
        """The next requests to endpoint ("transcriptions", "chat") get these
        steps, one each, before the default answer resumes."""
        with self.lock:
            self._scripts.setdefault(endpoint, []).extend(steps)

    def default(self, endpoint, step=None):
        """Every request to endpoint without a scripted step gets step
        (None: the normal answer)."""
        with self.lock:
            self._defaults[endpoint] = step

    def reset(self):
        """Forgets scripts, defaults, requests and violations."""
        with self.lock:
            self._scripts.clear()
            self._defaults.clear()
            self._requests.clear()
            self.violations = []

    def requests(self, endpoint):
        with self.lock:
            return list(self._requests.get(endpoint, []))

    def wait_requests(self, endpoint, count, timeout=30):
        """Waits (bounded) until endpoint has seen count requests; returns them."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            got = self.requests(endpoint)
            if len(got) >= count:
                return got
            time.sleep(0.05)
        return self.requests(endpoint)

    # -- plumbing --

    def _next_step(self, endpoint):
        with self.lock:
            queue = self._scripts.get(endpoint)
            if queue:
                return dict(queue.pop(0))
            return dict(self._defaults.get(endpoint) or {})

    def _record(self, endpoint, record):
        with self.lock:
            record["index"] = len(self._requests.setdefault(endpoint, []))
            self._requests[endpoint].append(record)
            if record.get("violations"):
                self.violations.append(record)

    def _answer(self, h, step, payload):
        """Sends the answer of step (payload: the normal JSON answer)."""
        delay = min(float(step.get("delay", 0)), MAX_DELAY_S)
        if delay > 0:
            time.sleep(delay)
        if step.get("close"):
            h.close_connection = True
            return
        body = step.get("body")
        if body is None:
            body = json.dumps(payload, ensure_ascii=False)
        if isinstance(body, str):
            body = body.encode("utf-8")
        try:
            h.send_response(int(step.get("status", 200)))
            h.send_header("Content-Type", "application/json")
            h.send_header("Content-Length", str(len(body)))
            if step.get("retry_after") is not None:
                h.send_header("Retry-After", str(step["retry_after"]))
            h.end_headers()
            h.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up first (a timeout test)

    def _handle(self, h):
        path = h.path.split("?", 1)[0]
        n = int(h.headers.get("Content-Length") or 0)
        body = h.rfile.read(n) if 0 < n <= MAX_BODY else b""
        record = {"at": time.monotonic(), "path": h.path,
                  "auth": h.headers.get("Authorization"),
                  "content_type": h.headers.get("Content-Type"), "violations": []}
        if self.key is not None and record["auth"] != "Bearer " + self.key:
            record["violations"].append("Authorization is not the bearer key")
            self._record("auth", record)
            return self._answer(h, {"status": 401}, error(
                "Incorrect API key provided.", "invalid_request_error", "invalid_api_key"))
        route = ROUTES.get(path)
        if route is None:
            record["violations"].append("no such endpoint: POST " + path)
            self._record("unknown", record)
            return self._answer(h, {"status": 404}, error("Unknown path " + path,
                                                          "invalid_request_error"))
        endpoint, handler = route
        handler(self, h, body, record, endpoint)


def error(message, kind, code=None):
    return {"error": {"message": message, "type": kind, "param": None, "code": code}}


# ---- POST /v1/audio/transcriptions -------------------------------------------------------

def check_transcription(record, parts):
    """Checks the form as OpenAI documents it, plus what our client promises:
    the file is a 16 kHz mono 16-bit PCM WAV, and model, language,
    response_format=json are always sent."""
    v = record["violations"]
    fields = {}
    for name, filename, ctype, data in parts:
        if name not in TRANSCRIPTION_FIELDS:
            v.append("unknown field %r" % name)
        if name in fields:
            v.append("field %r sent twice" % name)
        fields[name] = (filename, ctype, data)
    if "file" not in fields:
        v.append("no file")
    else:
        filename, ctype, data = fields["file"]
        record["filename"], record["file_type"] = filename, ctype
        if not filename:
            v.append("file is not a file part (no filename)")
        elif not filename.lower().endswith(".wav"):
            v.append("file name %r does not say WAV" % filename)
        try:
            wav = parse_wav(data)
            record["wav"] = wav
            if (wav["format"], wav["channels"], wav["rate"], wav["bits"]) != (1, 1, 16000, 16):
                v.append("file is not 16 kHz mono 16-bit PCM: %r" % (
                    {k: wav[k] for k in ("format", "channels", "rate", "bits")},))
            if wav["samples"] == 0:
                v.append("file holds no audio")
            if len(data) > 25 * 1000 * 1000:
                v.append("file is larger than 25 MB")
        except ValueError as e:
            v.append("file: %s" % e)
    for name in ("model", "language", "prompt", "response_format"):
        if name in fields:
            filename, ctype, data = fields[name]
            if filename is not None:
                v.append("%s is a file part" % name)
            try:
                record[name] = data.decode("utf-8")
            except UnicodeDecodeError:
                v.append("%s is not UTF-8" % name)
    if not record.get("model"):
        v.append("model is missing or empty")
    if not re.fullmatch(r"[a-z]{2}", record.get("language") or ""):
        v.append("language is not an ISO-639-1 code: %r" % record.get("language"))
    if record.get("response_format") != "json":
        v.append("response_format is %r, not json" % record.get("response_format"))
    if "prompt" in fields and not record.get("prompt"):
        v.append("prompt is sent empty")


def handle_transcriptions(fake, h, body, record, endpoint):
    if not (record["content_type"] or "").lower().startswith("multipart/form-data"):
        record["violations"].append("Content-Type is %r" % record["content_type"])
        parts = []
    else:
        try:
            parts = parse_multipart(body, record["content_type"])
        except ValueError as e:
            record["violations"].append("multipart: %s" % e)
            parts = []
    check_transcription(record, parts)
    step = fake._next_step(endpoint)
    record["step"] = step
    fake._record(endpoint, record)
    if record["violations"]:
        return fake._answer(h, {"status": 400}, error("; ".join(record["violations"]),
                                                      "invalid_request_error"))
    text = step.get("text")
    if text is None:
        text = fake.transcript(record)
    record["text"] = text
    status = int(step.get("status", 200))
    payload = {"text": text} if status == 200 else error(
        "Rate limit reached." if status == 429 else "The server had an error.",
        "requests" if status == 429 else "server_error")
    fake._answer(h, step, payload)


# ---- POST /v1/chat/completions -------------------------------------------------------------
# The structuring engine (src/structuring/llm.c). The body must be JSON: {"model",
# "messages": [a system and a user message, both with text], "response_format":
# {"type": "json_schema", "json_schema": {"name", "strict": true, "schema"}}}, the
# schema being exactly one of ours (REPORT_SCHEMA, SPLIT_SCHEMA below) as the
# engine documents them; fake.chat_model, when set, is the model it must name.
# Each request is recorded with "json", "schema" (the schema's name), "system"
# and "dictation" (the two messages).
#
# A chat step is a common step (status, retry_after, delay, body, close) and:
#     answer         the message content: a dict or list is sent as its JSON, a str
#                    as it is (malformed JSON, prose, a fence, ...)
#     finish_reason  default "stop" ("length": an answer cut off)
# Several requests make one job (a split, then one per exam) and jobs run at
# once, so chat steps are best scripted per dictation: script_chat(fake,
# marker, schema, steps) gives requests whose dictation holds marker and whose
# schema is that name these steps in turn (the last one repeats). Otherwise
# fake.script("chat", ...) and fake.default("chat", ...) apply, and the normal
# answer puts the whole dictation in findings (a split: all of it in exam 1).

REPORT_MEMBERS = ["clinical_information", "technique", "comparison", "findings",
                  "impression", "conclusion"]
REPORT_SCHEMA = {"type": "object",
                 "properties": {m: {"type": "string"} for m in REPORT_MEMBERS},
                 "required": REPORT_MEMBERS, "additionalProperties": False}
SPLIT_SCHEMA = {"type": "object",
                "properties": {"exams": {"type": "array", "items": {
                    "type": "object",
                    "properties": {"exam": {"type": "integer"}, "text": {"type": "string"}},
                    "required": ["exam", "text"], "additionalProperties": False}}},
                "required": ["exams"], "additionalProperties": False}
CHAT_SCHEMAS = {"radiology_report": REPORT_SCHEMA, "exam_parts": SPLIT_SCHEMA}


def script_chat(fake, marker, schema, steps):
    """Requests whose dictation holds marker and whose schema is named schema
    get steps in turn, the last one repeating."""
    with fake.lock:
        if not hasattr(fake, "chat_scripts"):
            fake.chat_scripts = []
        fake.chat_scripts.append((marker, schema, [dict(s) for s in steps]))


def same_schema(got, want):
    """Equal as JSON Schema: the order of "required" does not matter."""
    if isinstance(want, dict):
        if not isinstance(got, dict) or set(got) != set(want):
            return False
        for k, v in want.items():
            if k == "required":
                if not isinstance(got[k], list) or sorted(got[k]) != sorted(v):
                    return False
            elif not same_schema(got[k], v):
                return False
        return True
    return got == want and type(got) is type(want)


def check_chat(fake, record, body):
    """Checks the JSON body as OpenAI documents it, with our schemas."""
    v = record["violations"]
    if not (record["content_type"] or "").lower().startswith("application/json"):
        v.append("Content-Type is %r" % record["content_type"])
    try:
        j = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        v.append("the body is not JSON")
        return
    record["json"] = j
    if not isinstance(j, dict):
        v.append("the body is not a JSON object")
        return
    model = getattr(fake, "chat_model", None)
    if not isinstance(j.get("model"), str) or not j["model"]:
        v.append("model is missing or empty")
    elif model is not None and j["model"] != model:
        v.append("model is %r, not %r" % (j["model"], model))
    msgs = j.get("messages")
    if (not isinstance(msgs, list) or len(msgs) != 2 or
            not all(isinstance(m, dict) for m in msgs) or
            [m.get("role") for m in msgs] != ["system", "user"] or
            not all(isinstance(m.get("content"), str) and m["content"] for m in msgs)):
        v.append("messages are not a system and a user message with text")
    else:
        record["system"], record["dictation"] = msgs[0]["content"], msgs[1]["content"]
    rf = j.get("response_format")
    js = rf.get("json_schema") if isinstance(rf, dict) else None
    if not isinstance(rf, dict) or rf.get("type") != "json_schema" or not isinstance(js, dict):
        v.append("response_format is not {type: json_schema, json_schema: {...}}")
        return
    record["schema"] = js.get("name")
    if js.get("strict") is not True:
        v.append("json_schema.strict is not true")
    want = CHAT_SCHEMAS.get(js.get("name"))
    if want is None:
        v.append("json_schema.name %r is none of ours" % js.get("name"))
    elif not same_schema(js.get("schema"), want):
        v.append("json_schema.schema of %s is not the documented one: %r"
                 % (js["name"], js.get("schema")))


def chat_step(fake, endpoint, record):
    """The step for a chat request: its dictation's script, else the queue."""
    with fake.lock:
        for marker, schema, steps in getattr(fake, "chat_scripts", []):
            if schema == record.get("schema") and marker in record.get("dictation", ""):
                return dict(steps.pop(0) if len(steps) > 1 else steps[0])
    return fake._next_step(endpoint)


def chat_normal_answer(record):
    dictation = record.get("dictation", "")
    if record.get("schema") == "exam_parts":
        return {"exams": [{"exam": 1, "text": dictation}]}
    report = {m: "" for m in REPORT_MEMBERS}
    report["findings"] = dictation
    return report


def handle_chat_completions(fake, h, body, record, endpoint):
    check_chat(fake, record, body)
    step = chat_step(fake, endpoint, record)
    record["step"] = step
    fake._record(endpoint, record)
    if record["violations"]:
        return fake._answer(h, {"status": 400}, error("; ".join(record["violations"]),
                                                      "invalid_request_error"))
    status = int(step.get("status", 200))
    if status != 200:
        return fake._answer(h, step, error(
            "Rate limit reached." if status == 429 else "The server had an error.",
            "requests" if status == 429 else "server_error"))
    content = step.get("answer", chat_normal_answer(record))
    if not isinstance(content, str):
        content = json.dumps(content, ensure_ascii=False)
    fake._answer(h, step, {
        "id": "chatcmpl-fake%d" % record["index"], "object": "chat.completion",
        "created": int(time.time()), "model": record["json"].get("model"),
        "choices": [{"index": 0, "finish_reason": step.get("finish_reason", "stop"),
                     "message": {"role": "assistant", "content": content, "refusal": None}}],
        "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2}})


ROUTES = {
    "/v1/audio/transcriptions": ("transcriptions", handle_transcriptions),
    "/v1/chat/completions": ("chat", handle_chat_completions),
}
