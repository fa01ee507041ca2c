"""The documentation hub (web/docs.html and web/docs/*.html), without a
server:

- the callback verification samples in docs/callback-verify/ (C with
  libsodium, Python, Node.js, C# on Mono) are built in a temporary folder and
  run against signatures computed here with Python's hmac over a body with
  Turkish characters: a valid signature exits 0; a tampered body, a wrong
  secret, a stale or future timestamp and a cut signature exit 1;
- callbacks.html shows exactly those files;
- every page keeps to the Content-Security-Policy (no inline script, no
  inline style, no event-handler attributes), loads nothing from another
  origin, links only to files that exist (and ids that exist) or to the
  app's own pages, has its headings in order, its landmarks, and a Turkish
  and an English half that pair up;
- api-reference.html names every error code the External API returns, with
  the status of src/api/apierror.h, every form and metadata field submit.c
  reads, and every field poll.c writes; callbacks.html gives webhook.c's
  retry schedule."""

import glob
import hashlib
import hmac
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest
from datetime import datetime, timedelta, timezone
from html.parser import HTMLParser

from harness import REPO

WEB = os.path.join(REPO, "web")
SAMPLES = os.path.join(REPO, "docs", "callback-verify")
SAMPLE_FILES = ("verify.c", "verify.py", "verify.js", "Verify.cs")
BUILD_TIMEOUT_S = 180
RUN_TIMEOUT_S = 60

# Pages of the app that other parts of web/ provide; the docs may link to
# them whether or not they exist in this checkout yet. /assets/app.css is the
# shared stylesheet every page loads.
KNOWN_APP_PAGES = {"/login.html", "/kurumsal-login.html", "/reporting-ai.html",
                   "/organization.html", "/dashboard.html", "/assets/app.css"}

# The External API's handlers: the error codes they use are the ones the
# External API returns.
EXTERNAL_API_SOURCES = ("external.c", "router.c", "submit.c", "poll.c", "templates.c")

VOID_ELEMENTS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
                 "source", "track", "wbr"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "poster", "data", "srcset", "cite",
                  "background", "manifest", "xlink:href"}


# ---- callback verification samples --------------------------------------------

def iso_utc(when):
    """The server's timestamp form: 2026-11-28T21:05:18.123Z."""
    return when.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.") + \
        "%03dZ" % (when.microsecond // 1000)


def sign(secret, timestamp, body):
    """The signature as the server computes it (src/jobs/webhook.c)."""
    message = timestamp.encode("utf-8") + b"." + body
    return hmac.new(secret.encode("utf-8"), message, hashlib.sha256).hexdigest()


def callback_body():
    """A callback body as the server sends it (compact JSON, non-ASCII
    escaped), plus raw UTF-8 Turkish text so the samples are shown to hash
    bytes, not characters."""
    report = {"jobId": "5349cd94-fdaa-4cb4-8031-ffdb1a7209b5", "status": "completed",
              "examCount": 1, "patientUid": "1.2.3.4.5.6.7890",
              "reports": [{"accessionNumber": "ACC-001", "sutCode": "803910",
                           "status": "completed",
                           "reportText": "BULGULAR:\nAkut kanama izlenmedi.\n\nSONUÇ:\nNormal."}],
              "remainingCredits": 8}
    escaped = json.dumps(report, ensure_ascii=True, separators=(",", ":")).encode("ascii")
    raw = json.dumps({"note": "Şükrü Çağlar, İğdır: ığüşöç ĞÜŞİÖÇ"}, ensure_ascii=False,
                     separators=(",", ":")).encode("utf-8")
    return escaped[:-1] + b',"extra":' + raw + b"}"


def run(cmd, timeout, cwd=None):
    return subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          stdin=subprocess.DEVNULL, timeout=timeout, cwd=cwd)


class CallbackSamplesTest(unittest.TestCase):
    """Each sample accepts exactly the valid signature."""

    SECRET = "9765b970b1e14c1ea45add9c7bd70c273a0137925288cbd0beef75759ab885c3"

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="raportai-docs-")
        cls.body = callback_body()
        cls.body_file = os.path.join(cls.tmp, "body.json")
        with open(cls.body_file, "wb") as f:
            f.write(cls.body)
        tampered = cls.body.replace("Akut".encode(), "Akud".encode(), 1)
        assert tampered != cls.body
        cls.tampered_file = os.path.join(cls.tmp, "tampered.json")
        with open(cls.tampered_file, "wb") as f:
            f.write(tampered)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def check_sample(self, command):
        """Runs command (a list, to which the four arguments are added)
        through every case."""
        now = datetime.now(timezone.utc)
        fresh = iso_utc(now)
        stale = iso_utc(now - timedelta(minutes=10))
        future = iso_utc(now + timedelta(minutes=10))
        good = sign(self.SECRET, fresh, self.body)
        cases = [
            ("valid signature", 0, self.SECRET, fresh, good, self.body_file),
            ("valid, 2 minutes old", 0, self.SECRET, iso_utc(now - timedelta(minutes=2)),
             sign(self.SECRET, iso_utc(now - timedelta(minutes=2)), self.body), self.body_file),
            ("tampered body", 1, self.SECRET, fresh, good, self.tampered_file),
            ("wrong secret", 1, "0" + self.SECRET[1:], fresh, good, self.body_file),
            ("stale timestamp", 1, self.SECRET, stale, sign(self.SECRET, stale, self.body),
             self.body_file),
            ("future timestamp", 1, self.SECRET, future, sign(self.SECRET, future, self.body),
             self.body_file),
            ("signature of another timestamp", 1, self.SECRET, iso_utc(now - timedelta(seconds=1)),
             good, self.body_file),
            ("cut signature", 1, self.SECRET, fresh, good[:-2], self.body_file),
            ("malformed timestamp", 1, self.SECRET, "yesterday", sign(self.SECRET, "yesterday",
                                                                      self.body),
             self.body_file),
        ]
        for name, want, secret, stamp, signature, body_file in cases:
            with self.subTest(case=name):
                res = run(command + [secret, stamp, signature, body_file], RUN_TIMEOUT_S)
                self.assertEqual(res.returncode, want,
                                 "%s: exit %d, stdout %r, stderr %r"
                                 % (name, res.returncode, res.stdout, res.stderr))
        with self.subTest(case="missing arguments"):
            self.assertEqual(run(command, RUN_TIMEOUT_S).returncode, 1)

    def build(self, cmd, what):
        res = run(cmd, BUILD_TIMEOUT_S)
        self.assertEqual(res.returncode, 0, "%s failed: %s %s"
                         % (what, res.stdout.decode(errors="replace"),
                            res.stderr.decode(errors="replace")))

    def test_c_libsodium(self):
        self.assertIsNotNone(shutil.which("gcc"), "gcc is missing (scripts/deps.sh)")
        flags = run(["pkg-config", "--cflags", "--libs", "libsodium"], RUN_TIMEOUT_S)
        self.assertEqual(flags.returncode, 0, "libsodium-dev is missing (scripts/deps.sh)")
        exe = os.path.join(self.tmp, "verify-c")
        self.build(["gcc", "-std=c17", "-Wall", "-Wextra", "-Werror", "-O2",
                    os.path.join(SAMPLES, "verify.c"), "-o", exe]
                   + flags.stdout.decode().split(), "gcc verify.c")
        self.check_sample([exe])

    def test_python(self):
        self.check_sample([sys.executable, os.path.join(SAMPLES, "verify.py")])

    def test_javascript_node(self):
        node = shutil.which("node")
        if node is None:
            self.skipTest("node is not on PATH: the JavaScript sample (docs/callback-verify/"
                          "verify.js) was not run; install Node.js to run it")
        self.check_sample([node, os.path.join(SAMPLES, "verify.js")])

    def test_csharp_mono(self):
        for tool, package in (("mcs", "mono-mcs"), ("mono", "mono-runtime")):
            self.assertIsNotNone(shutil.which(tool),
                                 "%s is missing: install %s (scripts/deps.sh test)"
                                 % (tool, package))
        exe = os.path.join(self.tmp, "verify.exe")
        self.build(["mcs", "-warnaserror+", "-out:" + exe, os.path.join(SAMPLES, "Verify.cs")],
                   "mcs Verify.cs")
        self.check_sample(["mono", exe])


# ---- the pages -----------------------------------------------------------------

class Node:
    """One element of a parsed page."""

    def __init__(self, tag, attrs, parent, line):
        self.tag = tag
        self.attrs = dict(attrs)
        self.parent = parent
        self.children = []
        self.parts = []  # text and child nodes, in order
        self.line = line

    def text(self):
        return "".join(p if isinstance(p, str) else p.text() for p in self.parts)

    def iter(self):
        yield self
        for child in self.children:
            yield from child.iter()

    def visible_text(self, lang):
        """Text without the other language's elements."""
        out = []
        for p in self.parts:
            if isinstance(p, str):
                out.append(p)
            elif p.attrs.get("lang") not in ("tr", "en") or p.attrs.get("lang") == lang:
                out.append(p.visible_text(lang))
        return "".join(out)


class PageParser(HTMLParser):
    """Builds a small element tree; records structural mistakes."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", [], None, 0)
        self.current = self.root
        self.errors = []

    def handle_starttag(self, tag, attrs):
        node = Node(tag, attrs, self.current, self.getpos()[0])
        self.current.children.append(node)
        self.current.parts.append(node)
        if tag not in VOID_ELEMENTS:
            self.current = node

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID_ELEMENTS:
            self.current = self.current.parent

    def handle_endtag(self, tag):
        if tag in VOID_ELEMENTS:
            return
        if self.current.tag != tag:
            self.errors.append("line %d: </%s> closes <%s>"
                               % (self.getpos()[0], tag, self.current.tag))
            node = self.current
            while node is not None and node.tag != tag:
                node = node.parent
            if node is None:
                return
            self.current = node
        self.current = self.current.parent

    def handle_data(self, data):
        self.current.parts.append(data)


def doc_pages():
    pages = sorted(set(glob.glob(os.path.join(WEB, "docs*.html"))
                       + glob.glob(os.path.join(WEB, "docs", "**", "*.html"), recursive=True)))
    return pages


def page_url(path):
    return "/" + os.path.relpath(path, WEB).replace(os.sep, "/")


_parsed = {}


def parse(path):
    if path not in _parsed:
        with open(path, encoding="utf-8") as f:
            source = f.read()
        p = PageParser()
        p.feed(source)
        p.close()
        _parsed[path] = (p.root, p.errors, source)
    return _parsed[path]


def elements(path, tag=None):
    root = parse(path)[0]
    return [n for n in root.iter() if n.tag != "#document" and (tag is None or n.tag == tag)]


def by_id(path, ident):
    for n in elements(path):
        if n.attrs.get("id") == ident:
            return n
    return None


def resolve(base_url, ref):
    """The site path ref points to from base_url, and its fragment."""
    ref, _, fragment = ref.partition("#")
    ref = ref.partition("?")[0]
    if ref == "":
        return base_url, fragment
    if ref.startswith("/"):
        target = ref
    else:
        target = os.path.normpath(os.path.join(os.path.dirname(base_url), ref))
    return target, fragment


class DocsPagesTest(unittest.TestCase):

    def setUp(self):
        self.pages = doc_pages()

    def test_the_pages_exist(self):
        names = {page_url(p) for p in self.pages}
        for want in ("/docs.html", "/docs/user-guide.html", "/docs/corporate-guide.html",
                     "/docs/api-reference.html", "/docs/callbacks.html", "/docs/checklist.html"):
            self.assertIn(want, names)
        for asset in ("docs.css", "docs.js"):
            self.assertTrue(os.path.isfile(os.path.join(WEB, "assets", asset)), asset)

    def test_well_formed(self):
        for page in self.pages:
            with self.subTest(page=page_url(page)):
                _, errors, source = parse(page)
                self.assertEqual(errors, [])
                self.assertTrue(source.startswith("<!DOCTYPE html>"))
                metas = [m for m in elements(page, "meta")]
                self.assertTrue(any(m.attrs.get("charset", "").lower() == "utf-8" for m in metas))
                self.assertTrue(any(m.attrs.get("name") == "viewport" for m in metas))
                ids = [n.attrs["id"] for n in elements(page) if "id" in n.attrs]
                self.assertEqual(len(ids), len(set(ids)), "duplicate ids")

    def test_no_inline_script_or_style(self):
        for page in self.pages:
            with self.subTest(page=page_url(page)):
                self.assertEqual(elements(page, "style"), [], "<style> block")
                for n in elements(page):
                    self.assertNotIn("style", n.attrs, "style attribute on line %d" % n.line)
                    for name in n.attrs:
                        self.assertFalse(name.startswith("on"),
                                         "event handler %s on line %d" % (name, n.line))
                    for name in URL_ATTRIBUTES & set(n.attrs):
                        self.assertFalse((n.attrs[name] or "").strip().lower()
                                         .startswith("javascript:"), "line %d" % n.line)
                scripts = elements(page, "script")
                self.assertTrue(scripts, "no script")
                for s in scripts:
                    self.assertTrue(s.attrs.get("src"), "inline script on line %d" % s.line)
                    self.assertEqual(s.text().strip(), "", "script body on line %d" % s.line)
                    self.assertEqual(s.attrs.get("type"), "module")
                self.assertEqual([s.attrs["src"] for s in scripts], ["/assets/docs.js"])
                sheets = [l.attrs.get("href") for l in elements(page, "link")
                          if l.attrs.get("rel") == "stylesheet"]
                self.assertEqual(sheets, ["/assets/app.css", "/assets/docs.css"])

    def test_nothing_from_another_origin(self):
        for page in self.pages:
            with self.subTest(page=page_url(page)):
                for n in elements(page):
                    for name in URL_ATTRIBUTES & set(n.attrs):
                        value = (n.attrs[name] or "").strip()
                        if n.tag == "link" and n.attrs.get("rel") == "icon" and value == "data:,":
                            continue  # "no icon": keeps browsers from asking for /favicon.ico
                        self.assertIsNone(re.match(r"^([a-zA-Z][a-zA-Z0-9+.-]*:|//)", value),
                                          "%s=%r on line %d is not same-origin"
                                          % (name, value, n.line))
        for asset in ("docs.css", "docs.js"):
            with open(os.path.join(WEB, "assets", asset), encoding="utf-8") as f:
                text = f.read()
            self.assertNotRegex(text, r"https?://|@import|url\(\s*['\"]?//", asset)

    def test_internal_links_exist(self):
        for page in self.pages:
            base = page_url(page)
            for n in elements(page):
                for name in ("href", "src"):
                    if name not in n.attrs:
                        continue
                    if n.attrs[name] == "data:,":
                        continue  # the empty icon
                    target, fragment = resolve(base, n.attrs[name])
                    with self.subTest(page=base, link=n.attrs[name]):
                        path = os.path.join(WEB, target.lstrip("/"))
                        if target in KNOWN_APP_PAGES and not os.path.isfile(path):
                            continue
                        self.assertTrue(os.path.isfile(path), "%s (line %d) points to %s, "
                                        "which does not exist" % (base, n.line, target))
                        if fragment and path.endswith(".html"):
                            self.assertIsNotNone(by_id(path, fragment),
                                                 "no id %r in %s" % (fragment, target))

    def test_headings_in_order(self):
        for page in self.pages:
            with self.subTest(page=page_url(page)):
                levels = [int(n.tag[1]) for n in elements(page)
                          if re.fullmatch(r"h[1-6]", n.tag)]
                self.assertTrue(levels and levels[0] == 1, levels)
                self.assertEqual(levels.count(1), 1)
                for before, after in zip(levels, levels[1:]):
                    self.assertLessEqual(after, before + 1, levels)

    def test_landmarks_and_language_switch(self):
        for page in self.pages:
            with self.subTest(page=page_url(page)):
                mains = elements(page, "main")
                self.assertEqual(len(mains), 1)
                self.assertEqual(mains[0].attrs.get("id"), "main")
                self.assertEqual(len(elements(page, "header")), 1)
                self.assertEqual(len(elements(page, "footer")), 1)
                navs = elements(page, "nav")
                self.assertTrue(navs)
                for nav in navs:
                    self.assertTrue(by_id(page, nav.attrs.get("aria-labelledby", "")),
                                    "nav without a name on line %d" % nav.line)
                first_link = elements(page, "a")[0]
                self.assertEqual(first_link.attrs.get("href"), "#main", "skip link first")
                switch = by_id(page, "docs-lang-switch")
                self.assertIsNotNone(switch)
                self.assertEqual(switch.tag, "button")
                self.assertEqual(switch.attrs.get("type"), "button")
                self.assertTrue(switch.text().strip())
                current = [a for a in elements(page, "a") if a.attrs.get("aria-current") == "page"]
                self.assertEqual([a.attrs["href"] for a in current], [page_url(page)])
                for region in [n for n in elements(page) if n.attrs.get("role") == "region"]:
                    self.assertTrue(by_id(page, region.attrs.get("aria-labelledby", "")),
                                    "region without a name on line %d" % region.line)
                    self.assertEqual(region.attrs.get("tabindex"), "0")
        with open(os.path.join(WEB, "assets", "docs.js"), encoding="utf-8") as f:
            script = f.read()
        self.assertIn("'raportai.lang'", script)
        self.assertIn("docs-lang-switch", script)

    def test_turkish_and_english_pair_up(self):
        for page in self.pages:
            with self.subTest(page=page_url(page)):
                root = parse(page)[0]
                html_el = elements(page, "html")[0]
                self.assertEqual(html_el.attrs.get("lang"), "tr")
                self.assertTrue(html_el.attrs.get("data-title-tr"))
                self.assertTrue(html_el.attrs.get("data-title-en"))
                for n in root.iter():
                    if n.tag in ("#document", "html") or "docs-lang-switch" == n.attrs.get("id"):
                        continue
                    lang = n.attrs.get("lang")
                    if lang is None:
                        continue
                    self.assertIn(lang, ("tr", "en"), "line %d" % n.line)
                    siblings = n.parent.children
                    i = siblings.index(n)
                    if lang == "tr":
                        partner = siblings[i + 1] if i + 1 < len(siblings) else None
                        want = "en"
                    else:
                        partner = siblings[i - 1] if i > 0 else None
                        want = "tr"
                    self.assertTrue(partner is not None and partner.tag == n.tag
                                    and partner.attrs.get("lang") == want,
                                    "<%s lang=%s> on line %d has no <%s lang=%s> beside it"
                                    % (n.tag, lang, n.line, n.tag, want))
                    self.assertTrue(n.text().strip() or n.children,
                                    "empty lang=%s on line %d" % (lang, n.line))
                main = elements(page, "main")[0]
                tr_text = main.visible_text("tr")
                en_text = main.visible_text("en")
                self.assertRegex(tr_text, "[çğıöşüİ]", "no Turkish text")
                self.assertNotEqual(tr_text, en_text)

    def test_callbacks_page_shows_the_sample_files(self):
        page = os.path.join(WEB, "docs", "callbacks.html")
        shown = {}
        for pre in elements(page, "pre"):
            source = pre.attrs.get("data-source")
            if source:
                shown[source] = pre.text()
        self.assertEqual(set(shown), {"docs/callback-verify/" + f for f in SAMPLE_FILES})
        for source, text in shown.items():
            with self.subTest(sample=source):
                with open(os.path.join(REPO, source), encoding="utf-8") as f:
                    want = f.read().rstrip("\n")
                self.assertEqual(text.rstrip("\n"), want,
                                 "%s differs from the page; run docs/callback-verify/embed.py"
                                 % source)
        # The escaping is real HTML escaping: the raw page holds no bare "<"
        # from the samples (e.g. "#include <sodium.h>").
        raw = parse(page)[2]
        self.assertIn("#include &lt;sodium.h&gt;", raw)

    def test_api_reference_names_every_error_code(self):
        with open(os.path.join(REPO, "src", "api", "apierror.h"), encoding="utf-8") as f:
            catalogue = dict(re.findall(r"X\(\s*([A-Z_]+)\s*,\s*(\d{3})\s*,", f.read()))
        self.assertIn("UNAUTHORIZED", catalogue)
        used = set()
        for name in EXTERNAL_API_SOURCES:
            with open(os.path.join(REPO, "src", "api", name), encoding="utf-8") as f:
                used |= set(re.findall(r"\bAPI_([A-Z][A-Z_]+)\b", f.read()))
        external = used & set(catalogue)
        self.assertGreaterEqual(len(external), 15, external)
        page = os.path.join(WEB, "docs", "api-reference.html")
        for code in sorted(external):
            with self.subTest(code=code):
                row = by_id(page, "error-" + code)
                self.assertIsNotNone(row, "api-reference.html has no row id=error-%s" % code)
                cells = [c for c in row.children if c.tag in ("td", "th")]
                self.assertEqual(cells[0].text().strip(), catalogue[code])
                self.assertEqual(cells[1].text().strip(), code)
                self.assertTrue(cells[2].visible_text("tr").strip())
                self.assertTrue(cells[2].visible_text("en").strip())
        for n in elements(page):
            ident = n.attrs.get("id", "")
            if ident.startswith("error-") and ident != "error-codes":
                self.assertIn(ident[len("error-"):], catalogue, "a code apierror.h lacks")

    def test_api_reference_names_every_job_failure_code(self):
        """The job and exam error codes table lists exactly the codes of
        src/core/failures.c, each explained in both languages."""
        with open(os.path.join(REPO, "src", "core", "failures.c"), encoding="utf-8") as f:
            codes = set(re.findall(r'\[JOB_FAIL_[A-Z_]+\] = "([A-Z_]+)"', f.read()))
        self.assertIn("SPLIT_FAILED", codes)
        page = os.path.join(WEB, "docs", "api-reference.html")
        rows = {n.attrs["id"][len("job-error-"):] for n in elements(page)
                if n.attrs.get("id", "").startswith("job-error-")}
        self.assertEqual(rows, codes)
        for code in sorted(codes):
            with self.subTest(code=code):
                cells = [c for c in by_id(page, "job-error-" + code).children
                         if c.tag in ("td", "th")]
                self.assertEqual(cells[0].text().strip(), code)
                self.assertTrue(cells[1].visible_text("tr").strip())
                self.assertTrue(cells[1].visible_text("en").strip())

    def fields_of(self, page, table_id):
        table = by_id(page, table_id)
        self.assertIsNotNone(table, table_id)
        names = set()
        for th in table.iter():
            if th.tag == "th" and th.attrs.get("scope") == "row":
                names |= {c.text().strip() for c in th.iter() if c.tag == "code"}
        return names

    def test_api_reference_fields_match_the_code(self):
        with open(os.path.join(REPO, "src", "api", "submit.c"), encoding="utf-8") as f:
            submit = f.read()
        page = os.path.join(WEB, "docs", "api-reference.html")
        report_fields = set(re.findall(r'\bfield\(req, "(\w+)"\)', submit))
        report_fields |= set(re.findall(r'http_form_file\(req, "(\w+)"\)', submit))
        self.assertIn("sutCode", report_fields)
        self.assertEqual(self.fields_of(page, "report-form-fields"), report_fields)
        pacs_form = {"audio", "transcript"} | set(re.findall(r'http_form\(req, "(\w+)"\)', submit))
        self.assertEqual(self.fields_of(page, "pacs-form-fields"), pacs_form)
        arrays = re.findall(r"known\[\]\s*=\s*\{([^}]*)\}", submit)
        self.assertEqual(len(arrays), 2, "submit.c's two known-field lists")
        exam_fields = set(re.findall(r'"(\w+)"', arrays[0]))
        top_fields = set(re.findall(r'"(\w+)"', arrays[1]))
        self.assertIn("accessionNumber", exam_fields)
        self.assertIn("patientUid", top_fields)
        self.assertEqual(self.fields_of(page, "pacs-metadata-fields"),
                         top_fields | {"exams[]." + f for f in exam_fields})

    def test_api_reference_names_every_poll_field(self):
        with open(os.path.join(REPO, "src", "api", "poll.c"), encoding="utf-8") as f:
            poll = f.read()
        keys = set(re.findall(r'json_object_set_new\(\w+, "(\w+)"', poll))
        keys |= set(re.findall(r'json_pack\("[^"]*", "(\w+)"', poll))
        self.assertIn("creditsUsed", keys)
        page = os.path.join(WEB, "docs", "api-reference.html")
        codes = {n.text().strip() for n in elements(page, "code")}
        for key in sorted(keys):
            self.assertIn(key, codes, "api-reference.html does not name %s" % key)

    def test_callbacks_page_gives_the_retry_schedule(self):
        with open(os.path.join(REPO, "src", "jobs", "webhook.c"), encoding="utf-8") as f:
            match = re.search(r"retry_schedule\[\]\s*=\s*\{([^}]*)\}", f.read())
        self.assertIsNotNone(match)
        schedule = [int(x) for x in re.findall(r"\d+", match.group(1))]
        page = os.path.join(WEB, "docs", "callbacks.html")
        shown = [int(n.attrs["data-seconds"]) for n in elements(page)
                 if "data-seconds" in n.attrs]
        self.assertEqual(shown, schedule)


if __name__ == "__main__":
    unittest.main()
