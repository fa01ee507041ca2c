"""The operator CLI, `raportai admin ...`: every command, what it prints, and
each of its refusals (exit status 2, one sentence on stderr, nothing on
stdout, nothing changed). Also the --help of each level and unknown commands
and options."""

import unittest

from harness import (SharedDataDirTest, admin_ok, db_exec, db_query, key_checksum,
                     run_binary)

UUID_RE = r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"
KEY_RE = r"^rapi_[0-9A-Za-z]{38}$"
ISO_RE = r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$"
PASSWORD = "correct horse"
HEADER = "prefix\tlabel\tcreated_by\tcreated_at\tlast_used_at\tuse_count\tstatus"


class AdminTest(SharedDataDirTest):
    """Shared helpers: refusals and counts of what is in the database."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Creates the database, so later refusals print only their sentence
        # (not the one-off migration lines).
        admin_ok(cls.data, "schema-version")

    def assertRefused(self, args, pattern):
        """The command is refused: status 2, empty stdout, exactly one
        stderr line naming the command and matching pattern."""
        code, out, err = self.admin(*args)
        self.assertEqual(code, 2, "admin %r: expected a refusal, got %d (%r, %r)"
                         % (args, code, out, err))
        self.assertEqual(out, "", "admin %r printed on stdout on refusal" % (args,))
        lines = err.splitlines()
        self.assertEqual(len(lines), 1, "admin %r: expected one stderr line, got %r"
                         % (args, err))
        self.assertTrue(lines[0].startswith("raportai admin %s: " % args[0]), lines[0])
        self.assertRegex(lines[0], pattern)
        return lines[0]

    def count(self, table):
        return db_query(self.data, "SELECT COUNT(*) FROM %s" % table)[0][0]

    def snapshot(self):
        """Everything the admin commands change, to check a refusal changed
        nothing."""
        return {t: db_query(self.data, "SELECT * FROM %s ORDER BY 1" % t)
                for t in ("organizations", "users", "credit_ledger", "api_keys", "sut_catalog")}

    def new_org(self, credits=0, org_type="hospital", name="Test Hastanesi"):
        return self.admin_ok("create-org", "--name", name, "--type", org_type,
                             "--credits", str(credits))

    def new_user(self, email, role, org=None):
        args = ["create-user", "--email", email, "--password", PASSWORD, "--role", role]
        if org is not None:
            args += ["--org", org]
        return self.admin_ok(*args)

    def org_row(self, org_id):
        rows = db_query(self.data, "SELECT name, type, active, credits FROM organizations"
                        " WHERE id = ?", (org_id,))
        self.assertEqual(len(rows), 1)
        return rows[0]

    def user_row(self, email):
        rows = db_query(self.data, "SELECT role, org_id, active, name FROM users"
                        " WHERE email = ?", (email,))
        self.assertEqual(len(rows), 1, email)
        return rows[0]


class CreateOrg(AdminTest):

    def test_prints_a_uuid_and_stores_each_type(self):
        for org_type in ("hospital", "imaging_center", "teleradiology"):
            org = self.new_org(7, org_type, "Kurum %s" % org_type)
            self.assertRegex(org, UUID_RE)
            self.assertEqual(self.org_row(org), ("Kurum %s" % org_type, org_type, 1, 7))
        # --type defaults to hospital, --credits to 0.
        org = self.admin_ok("create-org", "--name", "Varsayılan")
        self.assertRegex(org, UUID_RE)
        self.assertEqual(self.org_row(org), ("Varsayılan", "hospital", 1, 0))

    def test_opening_credits_are_a_ledger_entry(self):
        org = self.new_org(25)
        self.assertEqual(db_query(self.data, "SELECT amount, balance_after FROM credit_ledger"
                                  " WHERE org_id = ?", (org,)), [(25, 25)])

    def test_turkish_letters_are_kept(self):
        name = "İzmir Çiğli Görüntüleme Merkezi — ĞÜŞÖÇıİ ğüşöçı"
        org = self.new_org(0, "imaging_center", name)
        self.assertEqual(self.org_row(org)[0], name)
        # The limit counts characters, not bytes: 200 two-byte letters fit.
        org = self.new_org(0, "hospital", "ş" * 200)
        self.assertEqual(self.org_row(org)[0], "ş" * 200)

    def test_sql_metacharacters_are_stored_verbatim(self):
        names = ["x'); DROP TABLE users; --", "Robert\"; DELETE FROM organizations; --",
                 "a' OR '1'='1", "%_\\ ; --"]
        for name in names:
            org = self.new_org(3, "hospital", name)
            self.assertEqual(self.org_row(org), (name, "hospital", 1, 3))
            # The users table is still there: a user can join that organization.
            email = "sql-%s@example.org" % org[:8]
            user = self.new_user(email, "radiologist", org)
            self.assertRegex(user, UUID_RE)
            self.assertEqual(self.user_row(email)[:2], ("radiologist", org))
        tables = {r[0] for r in db_query(self.data, "SELECT name FROM sqlite_master"
                                                    " WHERE type = 'table'")}
        self.assertTrue({"users", "organizations", "api_keys", "credit_ledger"} <= tables)

    def test_refusals_change_nothing(self):
        before = self.snapshot()
        cases = [
            (["create-org", "--name", "X", "--type", "clinic"], r"--type must be hospital"),
            (["create-org", "--name", "X", "--type", "Hospital"], r"--type must be hospital"),
            (["create-org", "--name", "X", "--type", ""], r"--type must be hospital"),
            (["create-org", "--name", "X", "--type", "personal"], r"--type must be hospital"),
            (["create-org", "--name", "X", "--credits", "-1"], r"--credits must be"),
            (["create-org", "--name", "X", "--credits", "abc"], r"--credits must be"),
            (["create-org", "--name", "X", "--credits", "1.5"], r"--credits must be"),
            (["create-org", "--name", "X", "--credits", "1000000001"], r"--credits must be"),
            (["create-org", "--name", "X", "--credits", ""], r"--credits must be"),
            (["create-org", "--name", ""], r"--name is required"),
            (["create-org"], r"--name is required"),
            (["create-org", "--name", "A\tB"], r"--name must be"),
            (["create-org", "--name", "A\nB"], r"--name must be"),
            (["create-org", "--name", "A\x1bB"], r"--name must be"),
            (["create-org", "--name", "A\x7fB"], r"--name must be"),
            (["create-org", "--name", "A\u0085B"], r"--name must be"),
            (["create-org", "--name", " Leading"], r"--name must be"),
            (["create-org", "--name", "Trailing "], r"--name must be"),
            (["create-org", "--name", "ş" * 201], r"--name must be"),
            (["create-org", "--name", b"Bad \xff UTF-8"], r"--name must be"),
        ]
        for args, pattern in cases:
            with self.subTest(args=args):
                self.assertRefused(args, pattern)
        self.assertEqual(self.snapshot(), before)

    def test_unknown_option_and_stray_argument(self):
        before = self.snapshot()
        self.assertRefused(["create-org", "--name", "X", "--bogus", "1"],
                           r"unknown option '--bogus'")
        self.assertRefused(["create-org", "--name", "X", "stray"],
                           r"unexpected argument 'stray'")
        self.assertEqual(self.snapshot(), before)


class CreateUser(AdminTest):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.org = admin_ok(cls.data, "create-org", "--name", "Kullanıcı Hastanesi")

    def test_corporate_roles_join_the_organization(self):
        for role in ("manager", "radiologist", "doctor", "technical"):
            email = "%s@corp.example.org" % role
            user = self.new_user(email, role, self.org)
            self.assertRegex(user, UUID_RE)
            role_db, org_db, active, name = self.user_row(email)
            self.assertEqual((role_db, org_db, active, name), (role, self.org, 1, role))

    def test_individual_gets_a_personal_account(self):
        email = "bireysel@example.org"
        self.assertRegex(self.new_user(email, "individual"), UUID_RE)
        role, org, active, _ = self.user_row(email)
        self.assertEqual((role, active), ("individual", 1))
        self.assertEqual(self.org_row(org)[1:], ("personal", 1, 0))

    def test_platform_roles_have_no_organization(self):
        for role in ("admin", "accounting"):
            email = "%s@platform.example.org" % role
            self.assertRegex(self.new_user(email, role), UUID_RE)
            self.assertEqual(self.user_row(email)[:3], (role, None, 1))

    def test_display_name(self):
        email = "adli@example.org"
        self.admin_ok("create-user", "--email", email, "--password", PASSWORD, "--role",
                      "doctor", "--org", self.org, "--name", "Dr. Ayşe Işık")
        self.assertEqual(self.user_row(email)[3], "Dr. Ayşe Işık")

    def test_duplicate_email_is_refused_case_insensitively(self):
        self.new_user("A@Example.org", "radiologist", self.org)
        before = self.snapshot()
        for email in ("a@example.org", "A@Example.org", "A@EXAMPLE.ORG"):
            with self.subTest(email=email):
                self.assertRefused(["create-user", "--email", email, "--password", PASSWORD,
                                    "--role", "doctor", "--org", self.org],
                                   r"already exists")
        # Nor as an individual (whose personal account must not be left behind).
        self.assertRefused(["create-user", "--email", "a@example.ORG", "--password",
                            PASSWORD, "--role", "individual"], r"already exists")
        self.assertEqual(self.snapshot(), before)
        # Still refused the second time: the refusal did not free the address.
        self.assertRefused(["create-user", "--email", "a@example.org", "--password", PASSWORD,
                            "--role", "doctor", "--org", self.org], r"already exists")

    def test_refusals_change_nothing(self):
        other = self.admin_ok("create-org", "--name", "Başka")
        self.new_user("has-personal@example.org", "individual")
        personal = self.user_row("has-personal@example.org")[1]
        before = self.snapshot()
        base = ["--password", PASSWORD]
        cases = [
            (["--email", "c1@example.org", "--role", "manager"], r"role manager needs --org"),
            (["--email", "c2@example.org", "--role", "radiologist"], r"needs --org"),
            (["--email", "c3@example.org", "--role", "doctor"], r"needs --org"),
            (["--email", "c4@example.org", "--role", "technical"], r"needs --org"),
            (["--email", "c5@example.org", "--role", "individual", "--org", other],
             r"role individual takes no --org"),
            (["--email", "c6@example.org", "--role", "admin", "--org", other],
             r"role admin takes no --org"),
            (["--email", "c7@example.org", "--role", "accounting", "--org", other],
             r"role accounting takes no --org"),
            (["--email", "c8@example.org", "--role", "manager", "--org",
              "00000000-0000-4000-8000-000000000000"], r"no organization with id"),
            (["--email", "c9@example.org", "--role", "manager", "--org", "not-a-uuid"],
             r"is not an organization id"),
            (["--email", "c10@example.org", "--role", "manager", "--org",
              "x'); DROP TABLE users; --"], r"is not an organization id"),
            (["--email", "c11@example.org", "--role", "manager", "--org", personal],
             r"is a personal account"),
            (["--email", "c12@example.org", "--role", "superuser"], r"--role must be one of"),
            (["--email", "c13@example.org", "--role", "Manager", "--org", other],
             r"--role must be one of"),
            (["--email", "c14@example.org"], r"--role must be one of"),
        ]
        for extra, pattern in cases:
            with self.subTest(args=extra):
                self.assertRefused(["create-user"] + base + extra, pattern)
        for email in ("noatsign.example.org", "@example.org", "a@b", "a@@example.org",
                      "a@b@example.org", "a b@example.org", "a@example.org.", "a@.example.org",
                      "<a>@example.org", "a'--@example.org", "a\x01@example.org", ""):
            with self.subTest(email=email):
                self.assertRefused(["create-user", "--email", email, "--password", PASSWORD,
                                    "--role", "doctor", "--org", other],
                                   r"--email is required" if email == ""
                                   else r"is not an e-mail address")
        for password in ("short", "1234567", "        ", "\t\t\t\t\t\t\t\t", ""):
            with self.subTest(password=password):
                self.assertRefused(["create-user", "--email", "pw@example.org", "--password",
                                    password, "--role", "doctor", "--org", other],
                                   r"--password is required" if password == ""
                                   else r"--password must be")
        self.assertRefused(["create-user", "--email", "nopw@example.org", "--role", "doctor",
                            "--org", other], r"--password is required")
        self.assertEqual(self.snapshot(), before)

    def test_refusal_is_one_line_whatever_the_input(self):
        """A refusal that repeats the operator's input must not let a control
        character in it break the one-line message (or forge a second line in
        a captured log)."""
        before = self.snapshot()
        cases = [
            ["create-user", "--email", "a\n@example.org", "--password", PASSWORD, "--role",
             "doctor", "--org", self.org],
            ["create-user", "--email", "ok@example.org", "--password", PASSWORD, "--role",
             "doctor", "--org", "0000\nFORGED"],
            ["set-role", "--email", "ghost\nFORGED@example.org", "--role", "doctor"],
            ["revoke-key", "--prefix", "rapi_\nFORGED"],
        ]
        multi_line = []
        for args in cases:
            code, out, err = self.admin(*args)
            self.assertEqual((code, out), (2, ""), (args, err))
            self.assertTrue(err.startswith("raportai admin %s: " % args[0]), err)
            if len(err.splitlines()) != 1:
                multi_line.append(err)
        self.assertEqual(multi_line, [], "refusals that are not one line")
        self.assertEqual(self.snapshot(), before)

    def test_eight_character_password_is_enough(self):
        self.admin_ok("create-user", "--email", "eight@example.org", "--password", "12345678",
                      "--role", "technical", "--org", self.org)
        self.assertEqual(self.user_row("eight@example.org")[0], "technical")

    def test_password_is_not_stored_in_clear(self):
        self.new_user("hashed@example.org", "doctor", self.org)
        rows = db_query(self.data, "SELECT password_hash FROM users")
        self.assertTrue(rows)
        for (h,) in rows:
            self.assertTrue(h.startswith("$argon2id$"), h)
            self.assertNotIn(PASSWORD, h)


class SetRoleAndActive(AdminTest):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.org = admin_ok(cls.data, "create-org", "--name", "Rol Hastanesi")

    def test_role_changes_within_corporate_roles(self):
        email = "rolling@example.org"
        self.new_user(email, "manager", self.org)
        for role in ("radiologist", "doctor", "technical", "manager"):
            code, out, err = self.admin("set-role", "--email", email, "--role", role)
            self.assertEqual((code, out), (0, ""), err)
            self.assertEqual(self.user_row(email)[:2], (role, self.org))
        # The e-mail is found case-insensitively.
        self.admin_ok("set-role", "--email", "ROLLING@Example.ORG", "--role", "doctor")
        self.assertEqual(self.user_row(email)[0], "doctor")

    def test_role_changes_within_platform_roles(self):
        email = "plat@example.org"
        self.new_user(email, "admin")
        self.admin_ok("set-role", "--email", email, "--role", "accounting")
        self.assertEqual(self.user_row(email)[:2], ("accounting", None))

    def test_role_change_across_kinds_is_refused(self):
        self.new_user("corp@example.org", "manager", self.org)
        self.new_user("indiv@example.org", "individual")
        self.new_user("acct@example.org", "accounting")
        before = self.snapshot()
        cases = [("corp@example.org", "admin"), ("corp@example.org", "accounting"),
                 ("corp@example.org", "individual"), ("indiv@example.org", "manager"),
                 ("indiv@example.org", "admin"), ("acct@example.org", "manager"),
                 ("acct@example.org", "individual")]
        for email, role in cases:
            with self.subTest(email=email, role=role):
                self.assertRefused(["set-role", "--email", email, "--role", role],
                                   r"a role change stays within")
        self.assertRefused(["set-role", "--email", "corp@example.org", "--role", "boss"],
                           r"--role must be one of")
        self.assertRefused(["set-role", "--email", "nobody@example.org", "--role", "doctor"],
                           r"no user with e-mail nobody@example.org")
        self.assertRefused(["set-role", "--role", "doctor"], r"--email is required")
        self.assertEqual(self.snapshot(), before)

    def test_set_active(self):
        email = "active@example.org"
        self.new_user(email, "doctor", self.org)
        code, out, err = self.admin("set-active", "--email", email, "--active", "0")
        self.assertEqual((code, out), (0, ""), err)
        self.assertEqual(self.user_row(email)[2], 0)
        self.admin_ok("set-active", "--email", email, "--active", "1")
        self.assertEqual(self.user_row(email)[2], 1)
        before = self.snapshot()
        for value in ("2", "-1", "yes", "true", "", "1.0", "0x1"):
            with self.subTest(value=value):
                self.assertRefused(["set-active", "--email", email, "--active", value],
                                   r"--active must be 0 or 1")
        self.assertRefused(["set-active", "--email", email], r"--active must be 0 or 1")
        self.assertRefused(["set-active", "--email", "ghost@example.org", "--active", "0"],
                           r"no user with e-mail")
        self.assertEqual(self.snapshot(), before)


class AddCredits(AdminTest):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.org = admin_ok(cls.data, "create-org", "--name", "Kredi Hastanesi", "--credits",
                           "10")
        admin_ok(cls.data, "create-user", "--email", "staff@example.org", "--password",
                 PASSWORD, "--role", "manager", "--org", cls.org)
        admin_ok(cls.data, "create-user", "--email", "solo@example.org", "--password",
                 PASSWORD, "--role", "individual")
        admin_ok(cls.data, "create-user", "--email", "admin@example.org", "--password",
                 PASSWORD, "--role", "admin")

    def balance(self, org):
        return self.org_row(org)[3]

    def test_org_credits_and_the_ledger(self):
        org = self.new_org(5)
        self.assertEqual(self.admin_ok("add-credits", "--org", org, "--amount", "7"), "12")
        self.assertEqual(self.admin_ok("add-credits", "--org", org, "--amount", "-12"), "0")
        self.assertEqual(self.admin_ok("add-credits", "--org", org, "--amount", "3",
                                       "--reason", "Fatura 2026/01"), "3")
        rows = db_query(self.data, "SELECT amount, balance_after, reason, actor FROM"
                        " credit_ledger WHERE org_id = ? ORDER BY id", (org,))
        self.assertEqual([r[:3] for r in rows], [(5, 5, "opening balance"),
                                                 (7, 12, "top-up"), (-12, 0, "adjustment"),
                                                 (3, 3, "Fatura 2026/01")])
        self.assertTrue(all(r[3] for r in rows))
        self.assertEqual(self.balance(org), 3)

    def test_individual_personal_account(self):
        personal = self.user_row("solo@example.org")[1]
        start = self.balance(personal)
        self.assertEqual(self.admin_ok("add-credits", "--email", "solo@example.org",
                                       "--amount", "4"), str(start + 4))
        self.assertEqual(self.admin_ok("add-credits", "--email", "SOLO@example.org",
                                       "--amount", "-1"), str(start + 3))
        self.assertEqual(self.balance(personal), start + 3)

    def test_refusals_change_nothing(self):
        personal = self.user_row("solo@example.org")[1]
        before = self.snapshot()
        bal = self.balance(self.org)
        cases = [
            (["--email", "staff@example.org", "--amount", "5"],
             r"staff@example.org is manager: credits belong to their organization; use --org"),
            (["--email", "admin@example.org", "--amount", "5"],
             r"admin@example.org is admin: credits belong to organizations"),
            (["--email", "ghost@example.org", "--amount", "5"], r"no user with e-mail"),
            (["--org", self.org, "--email", "solo@example.org", "--amount", "5"],
             r"give exactly one of --org ORG_ID and --email E"),
            (["--amount", "5"], r"give exactly one of"),
            (["--org", self.org, "--amount", "0"], r"--amount must be .*not 0"),
            (["--org", self.org, "--amount", "abc"], r"--amount must be"),
            (["--org", self.org, "--amount", "2.5"], r"--amount must be"),
            (["--org", self.org, "--amount", ""], r"--amount must be"),
            (["--org", self.org], r"--amount must be"),
            (["--org", self.org, "--amount", "1000000001"], r"--amount must be"),
            (["--org", self.org, "--amount", "-%d" % (bal + 1)],
             r"the balance would become negative; nothing changed"),
            (["--org", self.org, "--amount", "-1000000000"], r"the balance would become negative"),
            (["--email", "solo@example.org", "--amount",
              "-%d" % (self.balance(personal) + 1)], r"the balance would become negative"),
            (["--org", "00000000-0000-4000-8000-000000000000", "--amount", "5"],
             r"no organization with id"),
            (["--org", "123", "--amount", "5"], r"is not an organization id"),
            (["--org", self.org, "--amount", "5", "--reason", "a\nb"], r"--reason must be"),
        ]
        for extra, pattern in cases:
            with self.subTest(args=extra):
                self.assertRefused(["add-credits"] + extra, pattern)
        self.assertEqual(self.snapshot(), before)
        # The balance really is unchanged: the next top-up starts from it.
        self.assertEqual(self.admin_ok("add-credits", "--org", self.org, "--amount", "1"),
                         str(bal + 1))


class Keys(AdminTest):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.org = admin_ok(cls.data, "create-org", "--name", "Anahtar Hastanesi")
        cls.manager = "keys-manager@example.org"
        admin_ok(cls.data, "create-user", "--email", cls.manager, "--password", PASSWORD,
                 "--role", "manager", "--org", cls.org)

    def list_keys(self, org=None):
        out = self.admin_ok("list-keys", "--org", org or self.org)
        lines = out.split("\n")
        self.assertEqual(lines[0], HEADER)
        return [line.split("\t") for line in lines[1:]]

    def key_line(self, prefix, org=None):
        found = [row for row in self.list_keys(org) if row[0] == prefix]
        self.assertEqual(len(found), 1, "prefix %s in list-keys" % prefix)
        return found[0]

    def test_create_key_prints_a_checksummed_key(self):
        key = self.admin_ok("create-key", "--email", self.manager, "--name", "PACS bağlantısı")
        self.assertRegex(key, KEY_RE)
        self.assertEqual(len(key), 43)
        self.assertEqual(key[37:], key_checksum(key[:37]))
        row = self.key_line(key[:12])
        self.assertEqual(len(row), 7)
        self.assertEqual(row[1:3], ["PACS bağlantısı", self.manager])
        self.assertRegex(row[3], ISO_RE)
        self.assertEqual(row[4:], ["-", "0", "active"])
        # Only a hash is stored: the key itself is nowhere in the database.
        stored = db_query(self.data, "SELECT key_hash, prefix FROM api_keys WHERE prefix = ?",
                          (key[:12],))
        self.assertEqual(len(stored), 1)
        self.assertNotIn(key, stored[0][0])
        self.assertRegex(stored[0][0], r"^[0-9a-f]{64}$")
        # Two keys are different; the default label is used without --name.
        other = self.admin_ok("create-key", "--email", self.manager.upper())
        self.assertNotEqual(other, key)
        self.assertEqual(self.key_line(other[:12])[1], "API key")

    def test_list_keys_newest_first(self):
        org = self.new_org(0, "teleradiology", "Liste")
        self.assertEqual(self.admin_ok("list-keys", "--org", org), HEADER)
        self.new_user("lister@example.org", "manager", org)
        keys = [self.admin_ok("create-key", "--email", "lister@example.org", "--name",
                              "k%d" % i) for i in range(3)]
        rows = self.list_keys(org)
        self.assertEqual([r[0] for r in rows], [k[:12] for k in reversed(keys)])
        self.assertEqual([r[1] for r in rows], ["k2", "k1", "k0"])

    def test_create_key_refusals(self):
        org = self.new_org(0, "hospital", "Ret")
        self.new_user("rad@example.org", "radiologist", org)
        self.new_user("ind@example.org", "individual")
        self.new_user("adm@example.org", "admin")
        self.new_user("sleepy@example.org", "manager", org)
        self.admin_ok("set-active", "--email", "sleepy@example.org", "--active", "0")
        before = self.snapshot()
        cases = [
            ("rad@example.org", r"rad@example.org is radiologist; only an organization's "
                                r"managers hold API keys"),
            ("ind@example.org", r"is individual; only"),
            ("adm@example.org", r"is admin; only"),
            ("sleepy@example.org", r"sleepy@example.org is inactive"),
            ("nobody@example.org", r"no user with e-mail nobody@example.org"),
        ]
        for email, pattern in cases:
            with self.subTest(email=email):
                self.assertRefused(["create-key", "--email", email], pattern)
        self.assertRefused(["create-key"], r"--email is required")
        self.assertRefused(["create-key", "--email", self.manager, "--name", "a\tb"],
                           r"--name must be")
        self.assertRefused(["create-key", "--email", self.manager, "--name", "x" * 101],
                           r"--name must be")
        self.assertEqual(self.snapshot(), before)
        self.assertEqual(self.admin_ok("list-keys", "--org", org), HEADER)

    def test_list_keys_refusals(self):
        self.assertRefused(["list-keys", "--org", "00000000-0000-4000-8000-000000000000"],
                           r"no organization with id")
        self.assertRefused(["list-keys", "--org", "x' OR '1'='1"], r"is not an organization id")
        self.assertRefused(["list-keys"], r"--org is required")

    def test_revoke_key(self):
        key = self.admin_ok("create-key", "--email", self.manager, "--name", "to revoke")
        keep = self.admin_ok("create-key", "--email", self.manager, "--name", "to keep")
        self.assertEqual(self.admin_ok("revoke-key", "--prefix", key[:12]), key[:12])
        self.assertEqual(self.key_line(key[:12])[6], "revoked")
        self.assertEqual(self.key_line(keep[:12])[6], "active")
        before = self.snapshot()
        self.assertRefused(["revoke-key", "--prefix", key[:12]],
                           r"the key %s is already revoked" % key[:12])
        self.assertRefused(["revoke-key", "--prefix", "rapi_0000000"],
                           r"no key has the prefix rapi_0000000")
        for bad in (key[:11], key[:13], key, "RAPI_" + key[5:12], "xxxxx" + key[5:12],
                    "rapi_", "' OR 1=1 --"):
            with self.subTest(prefix=bad):
                self.assertRefused(["revoke-key", "--prefix", bad],
                                   r"--prefix must be the key's first 12 characters")
        self.assertRefused(["revoke-key"], r"--prefix is required")
        self.assertEqual(self.snapshot(), before)

    def test_revoke_refuses_an_ambiguous_prefix(self):
        key = self.admin_ok("create-key", "--email", self.manager, "--name", "twin a")
        # No command makes two keys share a prefix (7 random characters); the
        # test writes a second row with the same prefix straight into the
        # database.
        db_exec(self.data, "INSERT INTO api_keys (id, key_hash, prefix, label, org_id, user_id,"
                " created_at, use_count) SELECT 'twin-row', '%s', prefix, 'twin b', org_id,"
                " user_id, created_at, 0 FROM api_keys WHERE prefix = '%s'"
                % ("0" * 64, key[:12]))
        before = self.snapshot()
        self.assertRefused(["revoke-key", "--prefix", key[:12]],
                           r"more than one key has the prefix %s; nothing was revoked"
                           % key[:12])
        self.assertEqual(self.snapshot(), before)
        self.assertEqual(sorted(r[6] for r in self.list_keys() if r[0] == key[:12]),
                         ["active", "active"])


class SchemaVersion(AdminTest):

    def test_prints_the_version(self):
        self.assertRegex(self.admin_ok("schema-version"), r"^\d+$")


class Help(unittest.TestCase):

    def test_top_level_help(self):
        code, out, err = run_binary("--help")
        self.assertEqual(code, 0, err)
        self.assertIn("usage: raportai COMMAND", out)
        self.assertRegex(out, r"(?m)^\s+serve\s")
        self.assertRegex(out, r"(?m)^\s+admin\s")
        code, out, err = run_binary("-h")
        self.assertEqual(code, 0, err)
        self.assertIn("usage: raportai COMMAND", out)

    def test_serve_help_names_the_environment_variables(self):
        code, out, err = run_binary("serve", "--help")
        self.assertEqual(code, 0, err)
        for needle in ("--listen", "RAPORTAI_LISTEN", "127.0.0.1:8080", "--data",
                       "RAPORTAI_DATA", "./var", "--rate-limit", "RAPORTAI_RATE_LIMIT",
                       "(default 60)"):
            self.assertIn(needle, out)

    def test_admin_help_lists_every_command(self):
        code, out, err = run_binary("admin", "--help")
        self.assertEqual(code, 0, err)
        for cmd in ("create-org", "create-user", "set-role", "set-active", "add-credits",
                    "create-key", "list-keys", "revoke-key", "import-sut", "schema-version"):
            self.assertRegex(out, r"(?m)^\s+%s\s" % cmd)

    def test_command_help(self):
        code, out, err = run_binary("admin", "create-org", "--help")
        self.assertEqual(code, 0, err)
        for needle in ("usage: raportai admin create-org", "--name NAME", "--type TYPE",
                       "hospital, imaging_center or teleradiology", "--credits N",
                       "--data DIR", "RAPORTAI_DATA"):
            self.assertIn(needle, out)
        for cmd, needle in (("create-user", "--role ROLE"), ("add-credits", "--amount N"),
                            ("create-key", "--email E"), ("list-keys", "--org ORG_ID"),
                            ("revoke-key", "--prefix PREFIX"), ("import-sut", "FILE")):
            code, out, err = run_binary("admin", cmd, "--help")
            self.assertEqual(code, 0, err)
            self.assertIn(needle, out)

    def test_unknown_commands_and_options(self):
        for args, pattern in ((["bogus"], r"raportai: unknown command 'bogus'"),
                              (["admin", "bogus"], r"raportai admin: unknown command 'bogus'"),
                              (["serve", "--bogus"], r"unknown option '--bogus'"),
                              (["serve", "stray"], r"unexpected argument 'stray'"),
                              (["admin", "create-org", "--name"],
                               r"option '--name' needs a value"),
                              ([], r"usage: raportai COMMAND"),
                              (["admin"], r"usage: raportai admin COMMAND")):
            with self.subTest(args=args):
                code, out, err = run_binary(*args)
                self.assertEqual(code, 2, (out, err))
                self.assertEqual(out, "")
                self.assertRegex(err, pattern)


if __name__ == "__main__":
    unittest.main()
