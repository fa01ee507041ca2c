"""The caps on what web app users create, with a server started with
small ones (--keys-per-org 3, --templates-per-user 2,
--revisions-per-report 3): the creation past a cap is refused with 409
LIMIT_REACHED naming the cap, and nothing changes; removing one makes room
again. Each test makes its own organization."""

import unittest

from harness import SharedDataDirTest, db_query
from org_helpers import make_team, sign_in

KEYS = "/api/v1/org/keys"
OWN_TEMPLATES = "/api/v1/templates"
REPORTS = "/api/v1/reports"

REPORT = {"sutCode": "803910", "examName": "Beyin BT", "modality": "CT",
          "patientName": "Ayşe Şahin", "patientId": "TC-1", "accessionNo": "ACC-1",
          "language": "tr", "sections": {"findings": "Beyin parankimi normal.",
                                         "conclusion": "Normal beyin BT."}}


def template(name):
    return {"name": name, "format": "txt", "modality": "CT", "bodyPart": "brain",
            "language": "tr", "content": "BULGULAR:\n{{BULGULAR}}"}


class Quotas(SharedDataDirTest):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.srv = cls.start_server(["--rate-limit", "100000", "--keys-per-org", "3",
                                    "--templates-per-user", "2", "--revisions-per-report", "3"])

    def assertLimit(self, reply, number):
        self.assertEqual(reply.status, 409, reply.body)
        error = reply.json()["error"]
        self.assertEqual(error["code"], "LIMIT_REACHED", error)
        self.assertIn(str(number), error["message"])

    def count(self, sql, *params):
        return db_query(self.data, sql, params)[0][0]

    def test_live_api_keys_per_organization(self):
        team = make_team(self.data, "quota-keys", roles=("manager",))
        manager = sign_in(self.srv, team["manager"])
        ids = []
        for i in range(3):
            reply = manager.post(KEYS, {"label": "key %d" % i})
            self.assertEqual(reply.status, 201, reply.body)
            ids.append(reply.json()["id"])
        self.assertLimit(manager.post(KEYS, {"label": "one too many"}), 3)
        self.assertEqual(self.count("SELECT COUNT(*) FROM api_keys WHERE org_id = ?",
                                    team["org"]), 3)
        # another organization has its own count
        other = make_team(self.data, "quota-keys-2", roles=("manager",))
        self.assertEqual(sign_in(self.srv, other["manager"]).post(KEYS, {}).status, 201)
        # a revoked key makes room
        self.assertEqual(manager.post(KEYS + "/" + ids[0] + "/revoke").status, 200)
        self.assertEqual(manager.post(KEYS, {"label": "replacement"}).status, 201)
        self.assertLimit(manager.post(KEYS, {"label": "again too many"}), 3)

    def test_own_templates_per_user(self):
        team = make_team(self.data, "quota-templates", roles=("radiologist", "doctor"))
        alice = sign_in(self.srv, team["radiologist"])
        made = [alice.post(OWN_TEMPLATES, template("T%d" % i)) for i in range(2)]
        self.assertEqual([r.status for r in made], [201, 201], [r.body for r in made])
        self.assertLimit(alice.post(OWN_TEMPLATES, template("T2")), 2)
        self.assertEqual(self.count("SELECT COUNT(*) FROM user_templates WHERE user_id = ?",
                                    team["ids"]["radiologist"]), 2)
        # each user has their own count
        bob = sign_in(self.srv, team["doctor"])
        self.assertEqual(bob.post(OWN_TEMPLATES, template("B0")).status, 201)
        # changing one is not creating one; deleting one makes room
        first = made[0].json()["id"]
        self.assertEqual(alice.put(OWN_TEMPLATES + "/" + first, template("T0b")).status, 200)
        self.assertIn(alice.delete(OWN_TEMPLATES + "/" + first).status, (200, 204))
        self.assertEqual(alice.post(OWN_TEMPLATES, template("T3")).status, 201)

    def test_revisions_per_report(self):
        team = make_team(self.data, "quota-revisions", roles=("radiologist",))
        alice = sign_in(self.srv, team["radiologist"])
        reply = alice.post(REPORTS, REPORT)
        self.assertIn(reply.status, (200, 201), reply.body)
        rid = reply.json()["id"]
        for n in (2, 3):
            body = dict(REPORT, sections=dict(REPORT["sections"], findings="Bulgu %d." % n))
            self.assertEqual(alice.put(REPORTS + "/" + rid, body).status, 200)
        self.assertLimit(alice.put(REPORTS + "/" + rid, dict(
            REPORT, sections=dict(REPORT["sections"], findings="Bulgu 4."))), 3)
        self.assertEqual(self.count("SELECT COUNT(*) FROM report_revisions WHERE report_id = ?",
                                    rid), 3)
        self.assertEqual(self.count("SELECT revision FROM reports WHERE id = ?", rid), 3)
        self.assertEqual(alice.get(REPORTS + "/" + rid).json()["sections"]["findings"],
                         "Bulgu 3.")
        # a new report starts its own count
        self.assertIn(alice.post(REPORTS, REPORT).status, (200, 201))


if __name__ == "__main__":
    unittest.main()
