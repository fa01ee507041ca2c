"""GET /api/external/v1/templates: the shipped library's entries and their
fields, name normalization (unique, sanitized, extension-free) on a library
the test writes, the SUT codes each template serves, and `admin import-sut`
with CSV and XLSX files the test builds (the codes 99xxxx in them are test
data, not SUT codes)."""

import io
import os
import re
import shutil
import tempfile
import unittest
import zipfile
from xml.sax.saxutils import escape

from harness import REPO, SharedDataDirTest, admin, db_query, make_org_with_key

TEMPLATES = "/api/external/v1/templates"
FIELDS = {"id", "name", "modality", "bodyPart", "language", "format", "sutCodes",
          "placeholders", "source"}
PLACEHOLDERS = {"BULGULAR", "SONUC", "IZLENIM", "TEKNIK", "KLINIK", "KARSILASTIRMA"}
FORBIDDEN_IN_NAMES = "/\\<>:\"|?*{}"
EK2B_HEADER = "SIRA NO;İŞLEM KODU;İŞLEM ADI;AÇIKLAMA;İŞLEM PUANI"


def name_key(name):
    """Names compared as the server promises: without case, dotted and
    dotless i alike."""
    return name.replace("İ", "i").replace("I", "i").replace("ı", "i").lower()


def read_manifest():
    rows = []
    with open(os.path.join(REPO, "data", "templates", "manifest.tsv"), encoding="utf-8") as f:
        lines = [line.rstrip("\r\n") for line in f]
    lines = [line for line in lines if line and not line.startswith("#")]
    for line in lines[1:]:
        rows.append(dict(zip(lines[0].split("\t"), line.split("\t"))))
    return rows


class TemplateChecks:
    """Checks every template list must pass (a mixin for TestCase classes)."""

    def check_list(self, body, credits):
        self.assertEqual(set(body), {"templates", "count", "remainingCredits"}, set(body))
        self.assertEqual(body["remainingCredits"], credits)
        templates = body["templates"]
        self.assertIsInstance(templates, list)
        self.assertGreater(len(templates), 0)
        self.assertEqual(body["count"], len(templates))
        for t in templates:
            with self.subTest(template=t.get("id")):
                self.assertEqual(set(t), FIELDS)
                self.assertRegex(t["id"], r"^[a-z0-9_-]+$")
                self.assertRegex(t["modality"], r"^[A-Z]{1,7}$")
                self.assertRegex(t["bodyPart"], r"^[a-z_]{1,31}$")
                self.assertIn(t["language"], ("tr", "en"))
                self.assertIn(t["format"], ("txt", "rtf", "html"))
                self.assertEqual(t["source"], "library")
                self.assertIsInstance(t["sutCodes"], list)
                for code in t["sutCodes"]:
                    self.assertRegex(code, r"^\d{5,7}$")
                self.assertEqual(t["sutCodes"], sorted(set(t["sutCodes"])))
                self.assertIsInstance(t["placeholders"], list)
                self.assertGreater(len(t["placeholders"]), 0)
                self.assertLessEqual(set(t["placeholders"]), PLACEHOLDERS)
                self.check_name(t["name"])
        ids = [t["id"] for t in templates]
        self.assertEqual(len(ids), len(set(ids)), ids)
        keys = [name_key(t["name"]) for t in templates]
        self.assertEqual(len(keys), len(set(keys)), [t["name"] for t in templates])

    def check_name(self, name):
        self.assertIsInstance(name, str)
        self.assertTrue(name)
        self.assertEqual(name, name.strip())
        self.assertNotIn("  ", name)
        self.assertLessEqual(len(name), 100)
        for ch in FORBIDDEN_IN_NAMES:
            self.assertNotIn(ch, name)
        self.assertFalse(any(ord(c) < 0x20 or 0x7F <= ord(c) <= 0x9F for c in name), name)
        self.assertNotRegex(name.lower(), r"\.(txt|rtf|html?)$")


class ShippedLibrary(TemplateChecks, SharedDataDirTest):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.srv = cls.start_server(["--rate-limit", "1000"])
        cls.org, _, cls.key = make_org_with_key(cls.data, credits=12)
        reply = cls.srv.get(TEMPLATES, key=cls.key)
        cls.status = reply.status
        cls.body = reply.json()

    def by(self, modality, body_part):
        return [t for t in self.body["templates"]
                if t["modality"] == modality and t["bodyPart"] == body_part]

    def test_list_shape_and_names(self):
        self.assertEqual(self.status, 200)
        self.check_list(self.body, 12)

    def test_entries_follow_the_manifest(self):
        manifest = read_manifest()
        self.assertEqual(self.body["count"], len(manifest))
        got = {t["id"]: t for t in self.body["templates"]}
        for row in manifest:
            with self.subTest(file=row["file"]):
                tid = re.sub(r"[/.]", "-", row["file"].rsplit(".", 1)[0].lower())
                self.assertIn(tid, got)
                t = got[tid]
                self.assertEqual(t["name"], row["name"])
                self.assertEqual((t["modality"], t["bodyPart"], t["language"]),
                                 (row["modality"], row["body_part"], row["language"]))
                ext = row["file"].rsplit(".", 1)[1]
                self.assertEqual(t["format"], "html" if ext == "htm" else ext)
        self.assertEqual(got["tr-bt-beyin"]["name"], "BT Beyin")

    def test_both_languages_and_every_format(self):
        self.assertEqual({t["language"] for t in self.body["templates"]}, {"tr", "en"})
        self.assertEqual({t["format"] for t in self.body["templates"]}, {"txt", "rtf", "html"})
        for t in self.body["templates"]:
            self.assertIn("BULGULAR", t["placeholders"], t["id"])

    def test_shipped_sut_codes(self):
        brain_ct = self.by("CT", "brain")
        lumbar_mr = self.by("MR", "lumbar_spine")
        self.assertGreaterEqual(len(brain_ct), 2)
        self.assertGreaterEqual(len(lumbar_mr), 2)
        for t in brain_ct:
            self.assertEqual(t["sutCodes"], ["803910"], t["id"])
        for t in lumbar_mr:
            self.assertEqual(t["sutCodes"], ["804102"], t["id"])
        for t in self.body["templates"]:
            if t not in brain_ct and t not in lumbar_mr:
                # 804200 has no name or modality, so no template serves it.
                self.assertEqual(t["sutCodes"], [], t["id"])

    def test_shipped_catalog_names_its_sources(self):
        rows = db_query(self.data, "SELECT code, modality, body_part, source FROM sut_catalog"
                        " ORDER BY code")
        self.assertEqual([r[:3] for r in rows], [("803910", "CT", "brain"),
                                                 ("804102", "MR", "lumbar_spine"),
                                                 ("804200", "", "")])
        for row in rows:
            self.assertTrue(row[3])


def write_share(root, entries):
    """A share directory with data/templates (a manifest of entries:
    (file, name, modality, body_part, language, content)) and the shipped
    data/sut list."""
    tdir = os.path.join(root, "data", "templates")
    os.makedirs(os.path.join(root, "data", "sut"))
    shutil.copy(os.path.join(REPO, "data", "sut", "known-codes.csv"),
                os.path.join(root, "data", "sut", "known-codes.csv"))
    lines = ["file\tname\tmodality\tbody_part\tlanguage"]
    for file, name, modality, body_part, language, content in entries:
        lines.append("\t".join((file, name, modality, body_part, language)))
        path = os.path.join(tdir, file)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as f:
            f.write(content)
    with open(os.path.join(tdir, "manifest.tsv"), "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")


TXT = "BULGULAR:\n{{BULGULAR}}\n\nSONUÇ:\n{{SONUC}}\n"
HTML = "<p><b>BULGULAR:</b> {{BULGULAR}}</p>"
RTF = "{\\rtf1\\ansi\\deff0 BULGULAR: {{BULGULAR}}\\par}"

# (file, name as written in the manifest, expected name in the list)
AWKWARD = [
    ("tr/a.txt", "BT Beyin", "BT Beyin"),
    ("tr/b.txt", "bt beyin", "bt beyin (2)"),
    ("tr/c.txt", "BT BEYİN", "BT BEYİN (3)"),
    ("tr/d.txt", "BT BEYIN", "BT BEYIN (4)"),
    ("tr/e.html", "<b>Lomber</b> MR.html", "Lomber MR"),
    ("tr/f.rtf", "../../etc/passwd.rtf", "passwd"),
    ("tr/g.txt", "C:\\Şablonlar\\Diz MR.TXT", "Diz MR"),
    ("tr/h.txt", "Kontrol\x01Karakter\x7f", "Kontrol Karakter"),
    ("tr/i.txt", "a:b|c?d*e{f}\"g\"", "abcdefg"),
    ("tr/j.txt", "   ", "Template"),
    ("tr/k.txt", "Akciğer <script>alert(1)</script>Grafisi.htm", "Akciğer alert(1)Grafisi"),
    ("tr/l.txt", "ş" * 150, "ş" * 100),
    ("en/m.txt", "Brain CT.txt", "Brain CT"),
    ("en/n.txt", "Brain CT", "Brain CT (2)"),
]


class NormalizedNames(TemplateChecks, SharedDataDirTest):
    """A library with awkward names, written by the test and given to serve
    with --share."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.share = tempfile.mkdtemp(prefix="raportai-share-")
        cls.addClassCleanup(shutil.rmtree, cls.share, ignore_errors=True)
        entries = []
        for file, name, _ in AWKWARD:
            content = HTML if file.endswith("html") else RTF if file.endswith("rtf") else TXT
            entries.append((file, name, "CT", "brain", file[:2], content))
        write_share(cls.share, entries)
        cls.org, _, cls.key = make_org_with_key(cls.data, credits=1)
        cls.srv = cls.start_server(["--share", cls.share])

    def test_names_are_sanitized_unique_and_extension_free(self):
        reply = self.srv.get(TEMPLATES, key=self.key)
        self.assertEqual(reply.status, 200, reply.body)
        body = reply.json()
        self.check_list(body, 1)
        got = [(t["id"], t["name"]) for t in body["templates"]]
        expected = [(re.sub(r"[/.]", "-", file.rsplit(".", 1)[0]), name)
                    for file, _, name in AWKWARD]
        self.assertEqual(got, expected)
        # Every one is a brain CT template, so each serves the brain CT code.
        for t in body["templates"]:
            self.assertEqual(t["sutCodes"], ["803910"])
        self.assertEqual({t["format"] for t in body["templates"]}, {"txt", "rtf", "html"})


# ---- admin import-sut ---------------------------------------------------------

def xlsx_bytes(rows):
    """A minimal XLSX workbook with one sheet; cells are str (shared string)
    or int (number)."""
    strings = []
    sheet_rows = []
    for r, row in enumerate(rows, 1):
        cells = []
        for c, value in enumerate(row):
            ref = "%s%d" % ("ABCDEFGH"[c], r)
            if isinstance(value, int):
                cells.append('<c r="%s"><v>%d</v></c>' % (ref, value))
            else:
                strings.append(value)
                cells.append('<c r="%s" t="s"><v>%d</v></c>' % (ref, len(strings) - 1))
        sheet_rows.append('<row r="%d">%s</row>' % (r, "".join(cells)))
    ns = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel_ns = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    parts = {
        "[Content_Types].xml":
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.'
            'openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.'
            'openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
        "_rels/.rels":
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="%s/officeDocument" Target="xl/workbook.xml"/>'
            '</Relationships>' % rel_ns,
        "xl/workbook.xml":
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<workbook xmlns="%s" xmlns:r="%s"><sheets>'
            '<sheet name="EK-2B" sheetId="1" r:id="rId1"/></sheets></workbook>' % (ns, rel_ns),
        "xl/_rels/workbook.xml.rels":
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="%s/worksheet" Target="worksheets/sheet1.xml"/>'
            '<Relationship Id="rId2" Type="%s/sharedStrings" Target="sharedStrings.xml"/>'
            '</Relationships>' % (rel_ns, rel_ns),
        "xl/sharedStrings.xml":
            '<?xml version="1.0" encoding="UTF-8"?><sst xmlns="%s" count="%d" uniqueCount="%d">'
            '%s</sst>' % (ns, len(strings), len(strings),
                          "".join("<si><t>%s</t></si>" % escape(s) for s in strings)),
        "xl/worksheets/sheet1.xml":
            '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="%s"><sheetData>%s'
            '</sheetData></worksheet>' % (ns, "".join(sheet_rows)),
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in parts.items():
            z.writestr(name, text.encode("utf-8"))
    return out.getvalue()


# Test data: 803910 is the guide's Brain CT code; every 99xxxx code is made up
# for these tests only.
CSV_ROWS = [
    EK2B_HEADER,
    ";RADYOLOJİ - BİLGİSAYARLI TOMOGRAFİ;;;",
    "1;803.910;Beyin BT;;100",
    "2;990002;Beyin BT (kontrastlı) [test verisi];;120",
    "3;990003;Lomber MR [test verisi];;150",
    "4;990004;Akciğer grafisi [test verisi];;20",
    "5;ABC;Geçersiz kod satırı;;0",
    "6;803910;Beyin BT tekrarı;;100",
]


class SutImport(TemplateChecks, SharedDataDirTest):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.srv = cls.start_server(["--rate-limit", "1000"])
        cls.org, _, cls.key = make_org_with_key(cls.data, credits=5)
        cls.files = tempfile.mkdtemp(prefix="raportai-sut-")
        cls.addClassCleanup(shutil.rmtree, cls.files, ignore_errors=True)

    def write(self, name, data):
        path = os.path.join(self.files, name)
        with open(path, "wb") as f:
            f.write(data if isinstance(data, bytes) else data.encode("utf-8"))
        return path

    def codes(self):
        """{template id: sutCodes} from the running server."""
        reply = self.srv.get(TEMPLATES, key=self.key)
        self.assertEqual(reply.status, 200, reply.body)
        self.check_list(reply.json(), 5)
        return {t["id"]: t["sutCodes"] for t in reply.json()["templates"]}

    def expect(self, codes, groups):
        """Each shipped template serves the codes given for its (modality,
        body part) in groups, and no others."""
        for row in read_manifest():
            tid = re.sub(r"[/.]", "-", row["file"].rsplit(".", 1)[0].lower())
            want = groups.get((row["modality"], row["body_part"]), [])
            self.assertEqual(codes[tid], want, row["file"])

    def import_ok(self, path, count):
        code, out, err = admin(self.data, "import-sut", path)
        self.assertEqual((code, out), (0, str(count)), err)

    def test_csv_import_replaces_the_catalog(self):
        # As Excel saves "CSV UTF-8": with a byte-order mark and CRLF.
        self.import_ok(self.write("ek2b.csv", "\ufeff" + "\r\n".join(CSV_ROWS) + "\r\n"), 4)
        self.expect(self.codes(), {("CT", "brain"): ["803910", "990002"],
                                   ("MR", "lumbar_spine"): ["990003"],
                                   ("XR", "chest"): ["990004"]})
        rows = dict(((r[0], r[1:]) for r in db_query(
            self.data, "SELECT code, name, modality, body_part, source FROM sut_catalog")))
        self.assertEqual(sorted(rows), ["803910", "990002", "990003", "990004"])
        self.assertEqual(rows["803910"][:3], ("Beyin BT", "CT", "brain"))
        self.assertEqual(rows["990003"][1:3], ("MR", "lumbar_spine"))
        self.assertEqual(rows["990004"][1:3], ("XR", "chest"))
        self.assertIn("ek2b.csv", rows["803910"][3])

    def test_xlsx_import(self):
        data = xlsx_bytes([
            ["SIRA NO", "İŞLEM KODU", "İŞLEM ADI", "AÇIKLAMA", "İŞLEM PUANI"],
            [1, "803.910", "BEYİN BT", "", 100],
            [2, 990012, "Kraniyal BT [test verisi]", "", 110],
            [3, "990013", "LOMBER MRG [test verisi]", "", 150],
            [4, "990014", "Tüm batın USG [test verisi]", "", 40],
        ])
        self.import_ok(self.write("ek2b.xlsx", data), 4)
        codes = self.codes()
        self.assertEqual(codes["tr-bt-beyin"], ["803910", "990012"])
        self.assertEqual(codes["en-mr-lumbar-spine"], ["990013"])
        # Every earlier code (804102, the other tests' 99xxxx) is gone: the
        # import replaced the list.
        self.expect(codes, {("CT", "brain"): ["803910", "990012"],
                            ("MR", "lumbar_spine"): ["990013"],
                            ("US", "abdomen"): ["990014"]})

    def test_windows_1254_csv(self):
        text = "\r\n".join([EK2B_HEADER, "1;803910;Beyin BT;;100",
                            "2;990023;Lomber omurga MR [test verisi];;150"]) + "\r\n"
        self.import_ok(self.write("ek2b-1254.csv", text.encode("cp1254")), 2)
        self.expect(self.codes(), {("CT", "brain"): ["803910"],
                                   ("MR", "lumbar_spine"): ["990023"]})
        names = dict(db_query(self.data, "SELECT code, name FROM sut_catalog"))
        self.assertEqual(names["990023"], "Lomber omurga MR [test verisi]")

    def test_utf16_tab_separated(self):
        text = "\r\n".join(["SIRA NO\tİŞLEM KODU\tİŞLEM ADI", "1\t803.910\tBeyin BT",
                            "2\t990041\tLomber MR [test verisi]"]) + "\r\n"
        self.import_ok(self.write("ek2b-utf16.txt", text.encode("utf-16")), 2)
        self.expect(self.codes(), {("CT", "brain"): ["803910"],
                                   ("MR", "lumbar_spine"): ["990041"]})

    def test_bad_files_change_nothing(self):
        self.import_ok(self.write("base.csv", "\n".join([EK2B_HEADER, "1;803910;Beyin BT;;1",
                                                         "2;990031;Lomber MR [test];;1"])), 2)
        before_codes = self.codes()
        before_rows = db_query(self.data, "SELECT * FROM sut_catalog ORDER BY code")
        zip_not_book = io.BytesIO()
        with zipfile.ZipFile(zip_not_book, "w") as z:
            z.writestr("hello.txt", "not a workbook")
        bad = {
            "empty.csv": b"",
            "binary.csv": bytes(range(256)) * 4,
            "png.xlsx": b"\x89PNG\r\n\x1a\n" + b"\x00" * 64,
            "no-code-column.csv": "Ad;Soyad\nAli;Veli\nAyşe;Fatma\n",
            "only-bad-codes.csv": "\n".join([EK2B_HEADER, "1;12;Beyin BT;;1",
                                             "2;12345678;Lomber MR;;1", "3;8O3910;Beyin BT;;1"]),
            "zip-not-workbook.xlsx": zip_not_book.getvalue(),
            "broken.xlsx": b"PK\x03\x04" + b"\x00" * 100,
        }
        for name, data in bad.items():
            with self.subTest(file=name):
                code, out, err = admin(self.data, "import-sut", self.write(name, data))
                self.assertEqual(code, 2, (out, err))
                self.assertEqual(out, "")
                self.assertEqual(len(err.splitlines()), 1, err)
                self.assertTrue(err.startswith("raportai admin import-sut: "), err)
        code, out, err = admin(self.data, "import-sut", os.path.join(self.files, "missing.csv"))
        self.assertEqual((code, out), (2, ""), err)
        code, out, err = admin(self.data, "import-sut", self.files)
        self.assertEqual((code, out), (2, ""), err)
        code, out, err = admin(self.data, "import-sut")
        self.assertEqual((code, out), (2, ""), err)
        self.assertEqual(db_query(self.data, "SELECT * FROM sut_catalog ORDER BY code"),
                         before_rows)
        self.assertEqual(self.codes(), before_codes)


if __name__ == "__main__":
    unittest.main()
