"""Voice macros end to end (docs/web-api.md "Voice macros"): the web API's
GET/POST /api/v1/macros and PUT/DELETE /api/v1/macros/{id} with their
authorization matrix (no session 401, roles that do not report 403, a
member changing the organization's macros 403, another member's or another
organization's macro 404), CSRF, and bad input that changes nothing; then
macros applied by real jobs: a web transcript job "bulgular iki nokta makro
normal beyin" gets the library's normal text for each section, an
organization's macro reaches an External API job, and a user's macro
overrides the organization's.

One data directory and one server serve the whole module; each test uses
its own macro names (or its own organization) so tests do not meet."""

import os
import shutil
import tempfile
import time
import unittest

from harness import Server, admin_ok, db_query
from jobs_helpers import (REPORT, TEXT_TIMEOUT_S, encode_multipart, post_form, report_fields,
                          wait_job)
from web_helpers import PATH_OF_ROLE, WebClient, make_people, make_user

V1 = "/api/v1"
MACROS = V1 + "/macros"
BRAIN_SUT = "803910"   # Brain CT, CT, brain: the library's tr-bt-beyin / en-ct-brain
UNKNOWN_ID = "00000000-0000-4000-8000-000000000000"
LIBRARY = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "data",
                       "templates")

S = {}   # the module's data directory, server and people


def setUpModule():
    S["data"] = tempfile.mkdtemp(prefix="raportai-e2e-")
    unittest.addModuleCleanup(shutil.rmtree, S["data"], ignore_errors=True)
    S["a"] = make_people(S["data"], "ma", credits=50)
    S["b"] = make_people(S["data"], "mb", credits=50)
    S["a"]["radiologist2"] = "radiologist2-ma@example.org"
    make_user(S["data"], "radiologist", S["a"]["radiologist2"], S["a"]["org"])
    srv = Server(S["data"], ["--workers", "2", "--rate-limit", "100000"])
    srv.start()
    unittest.addModuleCleanup(srv.stop)
    S["srv"] = srv


def client(people, role):
    c = WebClient(S["srv"])
    c.must_login(PATH_OF_ROLE.get(role, "corporate"), people[role])
    return c


def macro_rows():
    """Every macro row: what a refused request must leave unchanged."""
    return db_query(S["data"], "SELECT id, org_id, user_id, name, name_fold, section, text,"
                    " updated_at FROM macros ORDER BY id")


def library_normal(rel):
    """The normal text per section key of a library template's .normal
    sidecar, as the library loader joins it (consecutive lines of one key
    joined by a line break)."""
    texts = {}
    with open(os.path.join(LIBRARY, rel), encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\r\n")
            if not line or line.startswith("#"):
                continue
            key, text = line.split("\t", 1)
            texts.setdefault(key, []).append(text.strip())
    return {k: "\n".join(v) for k, v in texts.items()}


def as_structured(text):
    """A normal text as the structurer writes it: every line ending in
    sentence punctuation."""
    lines = [line.strip() for line in text.split("\n")]
    return "\n".join(line if line[-1] in ".?!" else line + "." for line in lines if line)


class Base(unittest.TestCase):

    def assertError(self, reply, status, code, field=None):
        self.assertEqual(reply.status, status, reply.body)
        err = reply.json()["error"]
        self.assertEqual(err["code"], code, err)
        self.assertTrue(err["message"])
        if field is not None:
            self.assertEqual(err.get("field"), field, err)
        return err

    def create(self, c, name, text, section=None, org_wide=None):
        body = {"name": name, "text": text}
        if section is not None:
            body["section"] = section
        if org_wide is not None:
            body["orgWide"] = org_wide
        reply = c.post(MACROS, body)
        self.assertEqual(reply.status, 201, reply.body)
        return reply.json()

    def listed(self, c):
        reply = c.get(MACROS)
        self.assertEqual(reply.status, 200, reply.body)
        return {m["id"]: m for m in reply.json()["items"]}

    def web_job(self, c, transcript, sut=BRAIN_SUT):
        """Submits a web transcript job and waits (bounded) until it ends."""
        body, ctype = encode_multipart([("transcript", transcript), ("sutCode", sut)])
        reply = c.request("POST", V1 + "/jobs", raw=body, headers={"Content-Type": ctype})
        self.assertEqual(reply.status, 202, reply.body)
        job = reply.json()["jobId"]
        deadline = time.monotonic() + TEXT_TIMEOUT_S
        while True:
            reply = c.get(V1 + "/jobs/" + job)
            self.assertEqual(reply.status, 200, reply.body)
            done = reply.json()
            if done["status"] in ("completed", "failed"):
                self.assertEqual(done["status"], "completed", done)
                return done
            if time.monotonic() > deadline:
                self.fail("web job %s not finished within %ds: %r" % (job, TEXT_TIMEOUT_S, done))
            time.sleep(0.2)

    def external_job(self, key, transcript, lang="tr"):
        reply = post_form(S["srv"], REPORT, report_fields(None, sut=BRAIN_SUT, lang=lang,
                                                          transcript=transcript), key)
        self.assertEqual(reply.status, 202, reply.body)
        done = wait_job(self, S["srv"], key, reply.json()["pollUrl"], TEXT_TIMEOUT_S)
        self.assertEqual(done["status"], "completed", done)
        return done


# ---- the API ----------------------------------------------------------------------------------

class Crud(Base):

    def test_a_radiologist_manages_own_macros(self):
        c = client(S["a"], "radiologist")
        m = self.create(c, "Kontrol Önerisi", "Üç ay sonra kontrol önerilir.")
        self.assertEqual(m["name"], "Kontrol Önerisi")
        self.assertIsNone(m["section"])
        self.assertEqual(m["text"], "Üç ay sonra kontrol önerilir.")
        self.assertFalse(m["orgWide"])
        self.assertTrue(m["canEdit"])
        self.assertRegex(m["createdAt"], r"^\d{4}-\d\d-\d\dT")
        self.assertEqual(db_query(S["data"], "SELECT user_id, name_fold, section FROM macros"
                                  " WHERE id = ?", (m["id"],)),
                         [(db_query(S["data"], "SELECT id FROM users WHERE email = ?",
                                    (S["a"]["radiologist"],))[0][0], "kontrol onerisi", "")])
        self.assertIn(m["id"], self.listed(c))

        reply = c.put(MACROS + "/" + m["id"], {"name": "kontrol önerisi", "section": "conclusion",
                                               "text": "Altı ay sonra kontrol önerilir."})
        self.assertEqual(reply.status, 200, reply.body)
        self.assertEqual(reply.json()["section"], "conclusion")
        self.assertEqual(self.listed(c)[m["id"]]["text"], "Altı ay sonra kontrol önerilir.")

        reply = c.delete(MACROS + "/" + m["id"])
        self.assertEqual(reply.status, 204, reply.body)
        self.assertNotIn(m["id"], self.listed(c))
        self.assertEqual(db_query(S["data"], "SELECT COUNT(*) FROM macros WHERE id = ?",
                                  (m["id"],)), [(0,)])
        self.assertError(c.delete(MACROS + "/" + m["id"]), 404, "NOT_FOUND")

    def test_the_text_is_kept_as_given(self):
        c = client(S["a"], "doctor")
        m = self.create(c, "düzen", "  Satır bir.   \r\n\r\n\r\n\tSatır iki.  ")
        self.assertEqual(m["text"], "  Satır bir.   \r\n\r\n\r\n\tSatır iki.  ",
                         "kept as given; laid out when a job inserts it")
        c.delete(MACROS + "/" + m["id"])

    def test_organization_macros_are_the_managers(self):
        manager = client(S["a"], "manager")
        m = self.create(manager, "kurum normal", "Kurumun normal metni.", org_wide=True)
        self.assertTrue(m["orgWide"])
        self.assertTrue(m["canEdit"])
        listed = manager.get(MACROS).json()
        self.assertTrue(listed["canManageOrg"])
        for role in ("radiologist", "doctor", "radiologist2"):
            c = client(S["a"], role)
            with self.subTest(role=role):
                seen = self.listed(c)[m["id"]]
                self.assertTrue(seen["orgWide"])
                self.assertFalse(seen["canEdit"])
                self.assertFalse(c.get(MACROS).json()["canManageOrg"])
                before = macro_rows()
                self.assertError(c.put(MACROS + "/" + m["id"], {"name": "x", "text": "y"}), 403,
                                 "FORBIDDEN")
                self.assertError(c.delete(MACROS + "/" + m["id"]), 403, "FORBIDDEN")
                self.assertError(c.post(MACROS, {"name": "z", "text": "t", "orgWide": True}),
                                 403, "FORBIDDEN")
                self.assertEqual(macro_rows(), before)
        individual = client(S["a"], "individual")
        before = macro_rows()
        self.assertError(individual.post(MACROS, {"name": "z", "text": "t", "orgWide": True}),
                         403, "FORBIDDEN")
        self.assertNotIn(m["id"], self.listed(individual), "an individual's own organization")
        self.assertEqual(macro_rows(), before)
        reply = manager.put(MACROS + "/" + m["id"], {"name": "kurum normal",
                                                     "text": "Yeni metin."})
        self.assertEqual(reply.status, 200, reply.body)
        self.assertTrue(reply.json()["orgWide"])
        before = macro_rows()
        self.assertError(manager.put(MACROS + "/" + m["id"], {"name": "kurum normal",
                                                              "text": "x", "orgWide": False}),
                         400, "INVALID_REQUEST", "orgWide")
        self.assertEqual(macro_rows(), before)
        self.assertEqual(manager.delete(MACROS + "/" + m["id"]).status, 204)

    def test_other_members_and_other_organizations_macros_are_404(self):
        owner = client(S["a"], "radiologist")
        own = self.create(owner, "gizli", "Sahibinin metni.")
        org_wide = self.create(client(S["a"], "manager"), "kurumun gizlisi", "Kurum metni.",
                               org_wide=True)
        before = macro_rows()
        outsiders = [("radiologist2 of a", client(S["a"], "radiologist2"), [own]),
                     ("manager of a", client(S["a"], "manager"), [own]),
                     ("individual a", client(S["a"], "individual"), [own, org_wide])]
        outsiders += [("%s of b" % role, client(S["b"], role), [own, org_wide])
                      for role in ("manager", "radiologist", "doctor", "individual")]
        for who, c, hidden in outsiders:
            for m in hidden:
                with self.subTest(who=who, macro=m["name"]):
                    self.assertError(c.put(MACROS + "/" + m["id"], {"name": "x", "text": "y"}),
                                     404, "NOT_FOUND")
                    self.assertError(c.delete(MACROS + "/" + m["id"]), 404, "NOT_FOUND")
                    self.assertNotIn(m["id"], self.listed(c))
        self.assertEqual(macro_rows(), before)

    def test_unknown_ids_are_404(self):
        c = client(S["a"], "radiologist")
        before = macro_rows()
        for mid in ("nope", UNKNOWN_ID, "lib:tr-bt-beyin"):
            with self.subTest(id=mid):
                self.assertError(c.put(MACROS + "/" + mid, {"name": "x", "text": "y"}), 404,
                                 "NOT_FOUND")
                self.assertError(c.delete(MACROS + "/" + mid), 404, "NOT_FOUND")
        self.assertEqual(macro_rows(), before)

    def test_no_session_is_401_and_roles_that_do_not_report_are_403(self):
        m = self.create(client(S["a"], "radiologist"), "matris", "Metin.")
        calls = [("GET", MACROS, None), ("POST", MACROS, {"name": "x", "text": "y"}),
                 ("PUT", MACROS + "/" + m["id"], {"name": "x", "text": "y"}),
                 ("DELETE", MACROS + "/" + m["id"], None)]
        before = macro_rows()
        anonymous = WebClient(S["srv"])
        for method, path, body in calls:
            with self.subTest(who="nobody", method=method):
                self.assertError(anonymous.request(method, path, body), 401, "UNAUTHENTICATED")
        for role in ("technical", "admin", "accounting"):
            c = client(S["a"], role)
            for method, path, body in calls:
                with self.subTest(role=role, method=method):
                    self.assertError(c.request(method, path, body), 403, "FORBIDDEN")
        self.assertEqual(macro_rows(), before)

    def test_missing_or_wrong_csrf_and_foreign_origin_are_403(self):
        c = client(S["a"], "radiologist")
        m = self.create(c, "csrf", "Metin.")
        before = macro_rows()
        calls = [("POST", MACROS, {"name": "x", "text": "y"}),
                 ("PUT", MACROS + "/" + m["id"], {"name": "x", "text": "y"}),
                 ("DELETE", MACROS + "/" + m["id"], None)]
        for method, path, body in calls:
            with self.subTest(method=method):
                self.assertError(c.request(method, path, body, csrf=False), 403, "CSRF_FAILED")
                self.assertError(c.request(method, path, body,
                                           headers={"X-CSRF-Token": "0" * 64}),
                                 403, "CSRF_FAILED")
                self.assertError(c.request(method, path, body,
                                           headers={"Origin": "https://evil.example"}),
                                 403, "CSRF_FAILED")
        self.assertEqual(macro_rows(), before)

    def test_bad_input_is_refused_and_changes_nothing(self):
        c = client(S["a"], "radiologist")
        m = self.create(c, "var olan", "Metin.")
        bad = [
            ({}, "name"),
            ({"text": "t"}, "name"),
            ({"name": "x" * 61, "text": "t"}, "name"),
            ({"name": "  ", "text": "t"}, "name"),
            ({"name": " boşluklu", "text": "t"}, "name"),
            ({"name": "iki\nsatır", "text": "t"}, "name"),
            ({"name": "- / -", "text": "t"}, "name"),
            ({"name": "a b c d e f g h i", "text": "t"}, "name"),
            ({"name": "makro normal diz", "text": "t"}, "name"),
            ({"name": "MACRO x", "text": "t"}, "name"),
            ({"name": "x"}, "text"),
            ({"name": "x", "text": " \n\t "}, "text"),
            ({"name": "x", "text": "a" * (16 * 1024 + 1)}, "text"),
            ({"name": "x", "text": "kontrol\x01karakter"}, "text"),
            ({"name": "x", "text": "t", "section": "body"}, "section"),
            ({"name": "x", "text": "t", "section": "Findings"}, "section"),
            ({"name": 5, "text": "t"}, None),
            ({"name": "x", "text": ["t"]}, None),
            ({"name": "x", "text": "t", "section": 1}, None),
            ({"name": "x", "text": "t", "orgWide": "yes"}, None),
        ]
        before = macro_rows()
        for body, field in bad:
            for method, path in (("POST", MACROS), ("PUT", MACROS + "/" + m["id"])):
                with self.subTest(method=method, body=str(body)[:60]):
                    self.assertError(c.request(method, path, body), 400, "INVALID_REQUEST",
                                     field)
        for method, path in (("POST", MACROS), ("PUT", MACROS + "/" + m["id"])):
            with self.subTest(method=method, body="not JSON"):
                self.assertError(c.request(method, path, raw=b"name=x",
                                           headers={"Content-Type":
                                                    "application/x-www-form-urlencoded"}),
                                 415, "UNSUPPORTED_MEDIA_TYPE")
                self.assertError(c.request(method, path, raw=b"{\"name\": ",
                                           headers={"Content-Type": "application/json"}),
                                 400, "INVALID_REQUEST")
                self.assertError(c.request(method, path, raw=b"[1]",
                                           headers={"Content-Type": "application/json"}),
                                 400, "INVALID_REQUEST")
        self.assertError(c.get(MACROS + "?lang=xx"), 400, "INVALID_REQUEST", "lang")
        self.assertEqual(macro_rows(), before)

    def test_names_are_unique_per_owner_and_section_as_spoken(self):
        c = client(S["a"], "radiologist2")
        first = self.create(c, "İleri Tetkik", "Birinci.")
        before = macro_rows()
        for name in ("ileri tetkik", "ILERI TETKIK", "İleri-Tetkik", "ıleri  tetkık"):
            with self.subTest(name=name):
                self.assertError(c.post(MACROS, {"name": name, "text": "İkinci."}), 409,
                                 "ALREADY_EXISTS", "name")
        self.assertEqual(macro_rows(), before)
        # Another section, or another owner, may use the name.
        other_section = self.create(c, "ileri tetkik", "Sonuçta.", section="conclusion")
        self.create(client(S["a"], "doctor"), "ileri tetkik", "Doktorun.")
        self.create(client(S["a"], "manager"), "ileri tetkik", "Kurumun.", org_wide=True)
        # Renaming into a taken name changes nothing.
        before = macro_rows()
        self.assertError(c.put(MACROS + "/" + other_section["id"],
                               {"name": "İLERİ TETKİK", "text": "x"}), 409, "ALREADY_EXISTS",
                         "name")
        self.assertEqual(macro_rows(), before)
        self.assertIn(first["id"], self.listed(c))

    def test_at_most_200_macros_per_user(self):
        c, _ = new_member()
        for i in range(200):
            reply = c.post(MACROS, {"name": "m%d" % i, "text": "Metin %d." % i})
            self.assertEqual(reply.status, 201, reply.body)
        before = macro_rows()
        err = self.assertError(c.post(MACROS, {"name": "bir fazla", "text": "x"}), 409,
                               "LIMIT_REACHED")
        self.assertIn("200", err["message"])
        self.assertEqual(macro_rows(), before)
        self.assertEqual(len(self.listed(c)), 200)

    def test_the_built_in_names_are_listed_per_language(self):
        c = client(S["a"], "radiologist")
        body = c.get(MACROS).json()
        self.assertEqual(body["language"], "tr", "the organization's dictation language")
        self.assertEqual(body["macroWord"], "makro")
        said = {b["say"]: b for b in body["builtin"]}
        self.assertIn("makro normal beyin", said)
        self.assertIn("makro normal BT Beyin", said)
        self.assertEqual(said["makro normal BT Beyin"]["templateId"], "lib:tr-bt-beyin")
        self.assertTrue(all(b["language"] == "tr" for b in body["builtin"]))
        body = c.get(MACROS + "?lang=en").json()
        self.assertEqual(body["macroWord"], "macro")
        self.assertIn("macro normal brain", [b["say"] for b in body["builtin"]])


_counter = [0]


def new_member(role="radiologist"):
    """A new organization with one member of role, signed in: (client, org)."""
    _counter[0] += 1
    org = admin_ok(S["data"], "create-org", "--name", "Makro Klinik %d" % _counter[0],
                   "--credits", "10")
    email = "macro-%s-%d@example.org" % (role, _counter[0])
    make_user(S["data"], role, email, org)
    c = WebClient(S["srv"])
    c.must_login("corporate", email)
    return c, org


# ---- macros in jobs -----------------------------------------------------------------------------

class Jobs(Base):

    def test_makro_normal_beyin_inserts_the_librarys_normal_text_per_section(self):
        normal = library_normal("tr/bt-beyin.normal")
        self.assertIn("BULGULAR", normal)
        self.assertIn("SONUC", normal)
        c = client(S["a"], "radiologist")
        done = self.web_job(c, "bulgular iki nokta makro normal beyin "
                               "sonuç iki nokta makro normal beyin")
        self.assertEqual(done["sections"]["findings"], as_structured(normal["BULGULAR"]))
        self.assertEqual(done["sections"]["conclusion"], as_structured(normal["SONUC"]))
        self.assertNotIn("makro", done["reportText"].lower())
        self.assertIn("makro normal beyin", done["transcript"], "the transcript stays as said")
        # An unknown name stays as dictated.
        done = self.web_job(c, "bulgular iki nokta makro bilinmeyen isim nokta")
        self.assertEqual(done["sections"]["findings"], "Makro bilinmeyen isim.")

    def test_an_organization_macro_reaches_external_api_jobs(self):
        people = S["b"]
        key = admin_ok(S["data"], "create-key", "--email", people["manager"], "--name", "HBYS")
        self.create(client(people, "manager"), "kontrol önerisi",
                    "Üç ay sonra kontrol MR önerilir.", org_wide=True)
        # A member's own macro of the same name is not the External API's.
        self.create(client(people, "radiologist"), "kontrol önerisi", "Kişisel metin.")
        done = self.external_job(key, "bulgular iki nokta beyin parankimi normal nokta "
                                      "sonuç iki nokta makro kontrol önerisi")
        self.assertIn("Üç ay sonra kontrol MR önerilir.", done["reportText"])
        self.assertNotIn("Kişisel metin.", done["reportText"])
        self.assertNotIn("makro", done["reportText"].lower())
        # English dictation: the macro word is "macro"; the built-in normal
        # text of the English library template is there too.
        normal = library_normal("en/ct-brain.normal")
        done = self.external_job(key, "findings colon macro normal brain period "
                                      "impression colon macro kontrol onerisi", lang="en")
        self.assertIn(as_structured(normal["BULGULAR"]).split("\n")[0], done["reportText"])
        self.assertIn("Üç ay sonra kontrol MR önerilir.", done["reportText"])

    def test_a_users_macro_overrides_the_organizations(self):
        people = S["a"]
        self.create(client(people, "manager"), "takip planı", "Kurumun takip planı.",
                    org_wide=True)
        self.create(client(people, "radiologist"), "takip planı", "Radyoloğun takip planı.",
                    section="conclusion")
        said = "bulgular iki nokta makro takip planı sonuç iki nokta makro takip planı"
        done = self.web_job(client(people, "radiologist"), said)
        self.assertEqual(done["sections"]["conclusion"], "Radyoloğun takip planı.")
        self.assertEqual(done["sections"]["findings"], "Kurumun takip planı.",
                         "the user's macro is for the conclusion only")
        done = self.web_job(client(people, "radiologist2"), said)
        self.assertEqual(done["sections"]["conclusion"], "Kurumun takip planı.")
        # Another organization's macros are never used.
        done = self.web_job(client(S["b"], "doctor"), said)
        self.assertEqual(done["sections"]["conclusion"], "Makro takip planı.")


if __name__ == "__main__":
    unittest.main()
