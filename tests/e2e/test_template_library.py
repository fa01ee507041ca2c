"""The template library radiologists recognise: an EK-2B-style list imported
with `admin import-sut` finds the library's Turkish and English templates by
the modality and body part in each procedure name (GET /templates and
report jobs that come back "matched"); an organization's and a user's own
templates override the library's (user > organization > library); IHE MRRT
(RadReport) templates imported with `admin import-mrrt` and
POST /api/v1/templates/import-mrrt.

The 99xxxx codes below are test data, not SUT codes."""

import os
import shutil
import tempfile
import unittest

from harness import REPO, SharedDataDirTest, admin, admin_ok, db_query, make_org_with_key
from jobs_helpers import (REPORT, TEMPLATES, TEXT_TIMEOUT_S, FilePart, encode_multipart,
                          html_text, post_form, report_fields, wait_job, web_job)
from web_helpers import PASSWORD, WebClient, make_user

V1 = "/api/v1"
MRRT_DIR = os.path.join(REPO, "tests", "data", "mrrt")
SERVER_ARGS = ["--workers", "2", "--rate-limit", "100000"]
EK2B_HEADER = "SIRA NO;İŞLEM KODU;İŞLEM ADI;AÇIKLAMA;İŞLEM PUANI"

# (code, procedure name as EK-2B writes it, Turkish template id, English id)
EXAMS = [
    ("803910", "BEYİN BT", "tr-bt-beyin", "en-ct-brain"),
    ("990101", "TORAKS BT [test verisi]", "tr-bt-toraks", "en-ct-chest"),
    ("990102", "TÜM ABDOMEN BT [test verisi]", "tr-bt-batin", "en-ct-abdomen"),
    ("990103", "KRANİAL MR [test verisi]", "tr-mr-beyin", "en-mr-brain"),
    ("990104", "LOMBER MR [test verisi]", "tr-mr-lomber", "en-mr-lumbar-spine"),
    ("990105", "SERVİKAL MR [test verisi]", "tr-mr-servikal", "en-mr-cervical-spine"),
    ("990106", "DİZ MR [test verisi]", "tr-mr-diz", "en-mr-knee"),
    ("990107", "OMUZ MR [test verisi]", "tr-mr-omuz", "en-mr-shoulder"),
    ("990108", "TÜM BATIN USG [test verisi]", "tr-usg-tum-batin", "en-us-abdomen"),
    ("990109", "TİROİD USG [test verisi]", "tr-usg-tiroid", "en-us-thyroid"),
    ("990110", "MEME USG (BİLATERAL) [test verisi]", "tr-usg-meme", "en-us-breast"),
    ("990111", "OBSTETRİK USG [test verisi]", "tr-usg-obstetrik", "en-us-obstetric"),
    ("990112", "AKCİĞER GRAFİSİ (PA) [test verisi]", "tr-akciger-grafisi", "en-chest-xray"),
    ("990113", "EL GRAFİSİ [test verisi]", "tr-ekstremite-grafisi", "en-xr-extremity"),
    ("990114", "EKSTREMİTE GRAFİSİ [test verisi]", "tr-ekstremite-grafisi", "en-xr-extremity"),
    ("990115", "MAMOGRAFİ (BİLATERAL) [test verisi]", "tr-mamografi", "en-mammography"),
]
NO_TEMPLATE_CODE = ("990199", "DİZ GRAFİSİ [test verisi]")  # XR knee: no library template

TR_TRANSCRIPT = ("bulgular iki nokta normal sınırlarda nokta "
                 "sonuç iki nokta patoloji saptanmadı nokta")
EN_TRANSCRIPT = "findings colon within normal limits period conclusion colon no abnormality period"


def write_ek2b(directory):
    rows = [EK2B_HEADER, ";RADYOLOJİ;;;"]
    for i, (code, name, _, _) in enumerate(EXAMS + [NO_TEMPLATE_CODE + (None, None)], 1):
        rows.append("%d;%s;%s;;100" % (i, code[:3] + "." + code[3:], name))
    path = os.path.join(directory, "ek2b.csv")
    with open(path, "w", encoding="utf-8") as f:
        f.write("\ufeff" + "\r\n".join(rows) + "\r\n")
    return path


def submit_text(srv, key, code, lang, transcript):
    reply = post_form(srv, REPORT, report_fields(None, sut=code, lang=lang,
                                                 transcript=transcript), key)
    return reply


class LibraryMatching(SharedDataDirTest):
    """An imported EK-2B list and the shipped library."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.files = tempfile.mkdtemp(prefix="raportai-ek2b-")
        cls.addClassCleanup(shutil.rmtree, cls.files, ignore_errors=True)
        code, out, err = admin(cls.data, "import-sut", write_ek2b(cls.files))
        assert code == 0, err
        cls.srv = cls.start_server(SERVER_ARGS)
        cls.org, _, cls.key = make_org_with_key(cls.data, credits=100)

    def test_the_imported_list_finds_every_new_template(self):
        reply = self.srv.get(TEMPLATES, key=self.key)
        self.assertEqual(reply.status, 200, reply.body)
        codes = {t["id"]: t["sutCodes"] for t in reply.json()["templates"]}
        for code, name, tr_id, en_id in EXAMS:
            with self.subTest(exam=name):
                self.assertIn(code, codes[tr_id])
                self.assertIn(code, codes[en_id])
        rows = dict((r[0], r[1:]) for r in db_query(
            self.data, "SELECT code, modality, body_part FROM sut_catalog"))
        self.assertEqual(rows["990105"], ("MR", "cervical_spine"))
        self.assertEqual(rows["990107"], ("MR", "shoulder"))
        self.assertEqual(rows["990110"], ("US", "breast"))
        self.assertEqual(rows["990111"], ("US", "obstetric"))
        self.assertEqual(rows["990113"], ("XR", "extremity"))
        for ids in codes.values():
            self.assertNotIn(NO_TEMPLATE_CODE[0], ids)

    def run_job(self, code, lang, transcript):
        reply = submit_text(self.srv, self.key, code, lang, transcript)
        self.assertEqual(reply.status, 202, reply.body)
        return wait_job(self, self.srv, self.key, reply.json()["pollUrl"], TEXT_TIMEOUT_S)

    def test_jobs_are_matched_in_the_output_language(self):
        cases = [("990105", "tr", TR_TRANSCRIPT, "SERVİKAL VERTEBRA MR", "SONUÇ:"),
                 ("990105", "en", EN_TRANSCRIPT, "MRI CERVICAL SPINE", "CONCLUSION:"),
                 ("990111", "tr", TR_TRANSCRIPT, "OBSTETRİK ULTRASONOGRAFİ", "BULGULAR:"),
                 ("990113", "en", EN_TRANSCRIPT, "EXTREMITY X-RAY", "FINDINGS:"),
                 ("990115", "tr", TR_TRANSCRIPT, "BİLATERAL MAMOGRAFİ",
                  "SONUÇ VE BI-RADS KATEGORİSİ:")]
        for code, lang, transcript, title, heading in cases:
            with self.subTest(code=code, lang=lang):
                done = self.run_job(code, lang, transcript)
                self.assertEqual(done["status"], "completed", done)
                self.assertEqual(done["templateUsed"], "matched")
                self.assertTrue(done["reportText"].startswith(title), done["reportText"])
                self.assertIn(heading, done["reportText"])

    def test_an_exam_without_a_library_template_gets_the_default(self):
        done = self.run_job(NO_TEMPLATE_CODE[0], "tr", TR_TRANSCRIPT)
        self.assertEqual(done["status"], "completed", done)
        self.assertEqual(done["templateUsed"], "default")
        self.assertEqual(done["modality"], "XR")


OWN_ORG_TEMPLATE = "KURUM BEYİN BT ŞABLONU\n\nBULGULAR:\n{{BULGULAR}}\n\nSONUÇ:\n{{SONUC}}\n"
OWN_USER_TEMPLATE = "KİŞİSEL BEYİN BT\n{{BULGULAR}}\n{{SONUC}}\n"


class OwnTemplatesOverride(SharedDataDirTest):
    """user > organization > library, for web and External API jobs."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.srv = cls.start_server(SERVER_ARGS)
        cls.org, cls.manager, cls.key = make_org_with_key(cls.data, credits=50,
                                                          name="Override Hastanesi")
        cls.radiologist = "rad-override@example.org"
        cls.doctor = "doc-override@example.org"
        make_user(cls.data, "radiologist", cls.radiologist, cls.org)
        make_user(cls.data, "doctor", cls.doctor, cls.org)
        cls.other_org, _, cls.other_key = make_org_with_key(cls.data, credits=10,
                                                            name="Başka Hastane")
        admin_ok(cls.data, "create-user", "--email", "web-" + cls.manager, "--password",
                 PASSWORD, "--role", "manager", "--org", cls.org)
        mgr = WebClient(cls.srv)
        mgr.must_login("corporate", "web-" + cls.manager)
        reply = mgr.post(V1 + "/templates", {
            "name": "Kurum Beyin BT", "format": "txt", "content": OWN_ORG_TEMPLATE,
            "modality": "CT", "bodyPart": "brain", "language": "tr"})
        assert reply.status == 201, reply.body
        cls.rad = WebClient(cls.srv)
        cls.rad.must_login("corporate", cls.radiologist)
        reply = cls.rad.post(V1 + "/templates", {
            "name": "Benim Beyin BT", "format": "txt", "content": OWN_USER_TEMPLATE,
            "modality": "CT", "bodyPart": "brain", "language": "tr"})
        assert reply.status == 201, reply.body

    def test_the_users_own_template_wins_for_their_web_job(self):
        done = web_job(self, self.rad, "803910", TR_TRANSCRIPT)
        self.assertEqual(done["status"], "completed", done)
        report = done["reports"][0] if "reports" in done else done
        self.assertEqual(report["templateUsed"], "matched")
        self.assertTrue(report["reportText"].startswith("KİŞİSEL BEYİN BT"), report["reportText"])

    def test_the_organizations_template_overrides_the_library_for_a_web_job(self):
        doc = WebClient(self.srv)
        doc.must_login("corporate", self.doctor)
        done = web_job(self, doc, "803910", TR_TRANSCRIPT)
        self.assertEqual(done["status"], "completed", done)
        report = done["reports"][0] if "reports" in done else done
        self.assertEqual(report["templateUsed"], "matched")
        self.assertTrue(report["reportText"].startswith("KURUM BEYİN BT ŞABLONU"),
                        report["reportText"])

    def test_the_organizations_template_serves_its_external_api_jobs(self):
        reply = submit_text(self.srv, self.key, "803910", "tr", TR_TRANSCRIPT)
        self.assertEqual(reply.status, 202, reply.body)
        done = wait_job(self, self.srv, self.key, reply.json()["pollUrl"], TEXT_TIMEOUT_S)
        self.assertEqual(done["templateUsed"], "matched")
        self.assertTrue(done["reportText"].startswith("KURUM BEYİN BT ŞABLONU"),
                        done["reportText"])

    def test_the_library_stays_for_other_languages_and_organizations(self):
        reply = submit_text(self.srv, self.key, "803910", "en", EN_TRANSCRIPT)
        self.assertEqual(reply.status, 202, reply.body)
        done = wait_job(self, self.srv, self.key, reply.json()["pollUrl"], TEXT_TIMEOUT_S)
        self.assertEqual(done["templateUsed"], "matched")
        self.assertTrue(done["reportText"].startswith("CT BRAIN"), done["reportText"])
        reply = submit_text(self.srv, self.other_key, "803910", "tr", TR_TRANSCRIPT)
        self.assertEqual(reply.status, 202, reply.body)
        done = wait_job(self, self.srv, self.other_key, reply.json()["pollUrl"], TEXT_TIMEOUT_S)
        self.assertEqual(done["templateUsed"], "matched")
        self.assertTrue(done["reportText"].startswith("BEYİN BT"), done["reportText"])


class MrrtImport(SharedDataDirTest):
    """`admin import-mrrt` and POST /api/v1/templates/import-mrrt."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.srv = cls.start_server(SERVER_ARGS)
        cls.org, cls.manager, cls.key = make_org_with_key(cls.data, credits=20,
                                                          name="MRRT Hastanesi")
        cls.radiologist = "rad-mrrt@example.org"
        make_user(cls.data, "radiologist", cls.radiologist, cls.org)

    def templates_in_db(self):
        return db_query(self.data, "SELECT id, name, language, format, modality, body_part,"
                        " content FROM user_templates ORDER BY created_at, id")

    def test_cli_prints_the_converted_template(self):
        code, out, err = admin(self.data, "import-mrrt", os.path.join(MRRT_DIR, "ct-chest.html"))
        self.assertEqual(code, 0, err)
        self.assertTrue(out.startswith("<p><b>CT Chest with Contrast</b></p>"), out)
        for ph in ("{{KLINIK}}", "{{TEKNIK}}", "{{KARSILASTIRMA}}", "{{BULGULAR}}",
                   "{{IZLENIM}}"):
            self.assertIn(ph, out)

    def test_cli_saves_it_for_the_organization_and_jobs_use_it(self):
        before = len(self.templates_in_db())
        code, out, err = admin(self.data, "import-mrrt", "--org", self.org,
                               os.path.join(MRRT_DIR, "ct-chest.html"))
        self.assertEqual(code, 0, err)
        rows = [r for r in self.templates_in_db() if r[0] == out]
        self.assertEqual(len(rows), 1)
        self.assertEqual(rows[0][1:6], ("CT Chest with Contrast", "en", "html", "CT", "chest"))
        self.assertEqual(len(self.templates_in_db()), before + 1)
        # The manager owns it, so it is the organization's: an External API
        # job for a chest CT in English is filled into it.
        admin_ok(self.data, "import-sut", self.write_ek2b())
        reply = submit_text(self.srv, self.key, "990101", "en", EN_TRANSCRIPT)
        self.assertEqual(reply.status, 202, reply.body)
        done = wait_job(self, self.srv, self.key, reply.json()["pollUrl"], TEXT_TIMEOUT_S)
        self.assertEqual(done["templateUsed"], "matched", done)
        text = html_text(done["reportHtml"])
        self.assertIn("CT Chest with Contrast", text)
        self.assertIn("within normal limits", text.lower())

    def write_ek2b(self):
        directory = tempfile.mkdtemp(prefix="raportai-ek2b-")
        self.addCleanup(shutil.rmtree, directory, ignore_errors=True)
        return write_ek2b(directory)

    def test_cli_refusals_change_nothing(self):
        before = self.templates_in_db()
        bare_org = admin_ok(self.data, "create-org", "--name", "Yöneticisiz")
        cases = [
            (["import-mrrt", os.path.join(MRRT_DIR, "no-report-sections.html")],
             "none of its 1 sections is a report section"),
            (["import-mrrt", os.path.join(MRRT_DIR, "missing.html")], "cannot open"),
            (["import-mrrt", "--org", "not-a-uuid", os.path.join(MRRT_DIR, "ct-chest.html")],
             "is not an organization id"),
            (["import-mrrt", "--org", bare_org, os.path.join(MRRT_DIR, "ct-chest.html")],
             "has no active manager"),
            (["import-mrrt", "--language", "es", os.path.join(MRRT_DIR, "ct-chest.html")],
             "language 'es' is not one of"),
            (["import-mrrt"], "--file is required"),
        ]
        for args, needle in cases:
            with self.subTest(args=args):
                code, out, err = admin(self.data, *args)
                self.assertEqual((code, out), (2, ""), err)
                self.assertEqual(len(err.strip().splitlines()), 1, err)
                self.assertTrue(err.startswith("raportai admin import-mrrt: "), err)
                self.assertIn(needle, err)
        self.assertEqual(self.templates_in_db(), before)

    def upload(self, client, data, filename="template.html", **fields):
        parts = [("file", FilePart(data, filename, "text/html"))]
        parts += [(k, v) for k, v in fields.items()]
        body, ctype = encode_multipart(parts)
        return client.request("POST", V1 + "/templates/import-mrrt", raw=body,
                              headers={"Content-Type": ctype})

    def signed_in(self):
        client = WebClient(self.srv)
        client.must_login("corporate", self.radiologist)
        return client

    def test_web_import_creates_an_own_template(self):
        c = self.signed_in()
        with open(os.path.join(MRRT_DIR, "mr-knee-template.html"), "rb") as f:
            reply = self.upload(c, f.read())
        self.assertEqual(reply.status, 201, reply.body)
        t = reply.json()
        self.assertEqual((t["name"], t["language"], t["format"], t["modality"], t["bodyPart"],
                          t["owner"]), ("Diz MR (MRRT)", "tr", "html", "MR", "knee", "own"))
        self.assertEqual(reply.headers["location"], V1 + "/templates/" + t["id"])
        self.assertIn("{{BULGULAR}}", t["content"])
        self.assertIn("&#123;&#123;DEGIL&#125;&#125;", t["content"])
        listed = [i for i in c.get(V1 + "/templates").json()["items"] if i["id"] == t["id"]]
        self.assertEqual(len(listed), 1)
        got = c.get(V1 + "/templates/" + t["id"])
        self.assertEqual(got.json()["content"], t["content"])

    def test_web_import_takes_the_forms_corrections(self):
        c = self.signed_in()
        with open(os.path.join(MRRT_DIR, "ct-chest.html"), "rb") as f:
            reply = self.upload(c, f.read(), name="Toraks BT (RadReport)", language="tr",
                                modality="CT", bodyPart="chest")
        self.assertEqual(reply.status, 201, reply.body)
        t = reply.json()
        self.assertEqual((t["name"], t["language"], t["bodyPart"]),
                         ("Toraks BT (RadReport)", "tr", "chest"))

    def test_web_import_refusals_change_nothing(self):
        c = self.signed_in()
        before = self.templates_in_db()
        with open(os.path.join(MRRT_DIR, "no-report-sections.html"), "rb") as f:
            no_sections = f.read()
        with open(os.path.join(MRRT_DIR, "ct-chest.html"), "rb") as f:
            good = f.read()
        cases = [
            (no_sections, {}, "file", "None of its 1 sections is a report section"),
            (b"", {}, "file", "The file is empty"),
            (b"\x89PNG\r\n\x1a\n\x00\x00", {}, "file", "NUL byte"),
            (b"<section>\xff</section>", {}, "file", "not UTF-8"),
            (b"FINDINGS: normal", {}, "file", "no <section> elements"),
            (b"a" * (2 * 1024 * 1024 + 1), {}, "file", "larger than 2 MiB"),
            (good, {"language": "es"}, "language", "language is one of"),
            (good, {"bodyPart": "x" * 65}, "bodyPart", "bodyPart"),
        ]
        for data, fields, field, needle in cases:
            with self.subTest(field=field, needle=needle):
                reply = self.upload(c, data, **fields)
                self.assertEqual(reply.status, 400, reply.body)
                error = reply.json()["error"]
                self.assertEqual(error["code"], "INVALID_TEMPLATE")
                self.assertEqual(error.get("field"), field)
                self.assertIn(needle, error["message"])
        body, ctype = encode_multipart([("name", "no file")])
        reply = c.request("POST", V1 + "/templates/import-mrrt", raw=body,
                          headers={"Content-Type": ctype})
        self.assertEqual(reply.status, 400, reply.body)
        self.assertEqual(reply.json()["error"]["field"], "file")
        # Without the CSRF token, and without a session: refused.
        body, ctype = encode_multipart([("file", FilePart(good, "t.html", "text/html"))])
        reply = c.request("POST", V1 + "/templates/import-mrrt", raw=body,
                          headers={"Content-Type": ctype}, csrf=False)
        self.assertEqual(reply.status, 403, reply.body)
        reply = WebClient(self.srv).request("POST", V1 + "/templates/import-mrrt", raw=body,
                                            headers={"Content-Type": ctype})
        self.assertEqual(reply.status, 401, reply.body)
        self.assertEqual(self.templates_in_db(), before)


if __name__ == "__main__":
    unittest.main()
