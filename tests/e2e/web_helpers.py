"""Helpers for tests of the web app's JSON API (/api/v1): a browser-like
client that keeps the session cookie and the CSRF token, and the people of
each sign-in path made with the admin CLI."""

import json

from harness import admin_ok

PASSWORD = "correct horse battery"
COOKIE = "raportai_session"


class WebClient:
    """One browser: a session cookie jar and the session's CSRF token."""

    def __init__(self, server, source=None):
        self.server = server
        self.source = source   # the loopback address it connects from (harness)
        self.token = None      # the session cookie's value
        self.csrf = None

    def request(self, method, path, body=None, headers=None, csrf=True, raw=None,
                content_type="application/json"):
        h = dict(headers or {})
        if self.token is not None:
            h.setdefault("Cookie", "%s=%s" % (COOKIE, self.token))
        if csrf and self.csrf is not None and method not in ("GET", "HEAD"):
            h.setdefault("X-CSRF-Token", self.csrf)
        data = raw
        if body is not None:
            data = json.dumps(body).encode("utf-8")
            h.setdefault("Content-Type", content_type)
        reply = self.server.request(method, path, h, data, source=self.source)
        self._take_cookie(reply)
        return reply

    def _take_cookie(self, reply):
        cookie = reply.headers.get("set-cookie")
        if cookie and cookie.startswith(COOKIE + "="):
            value = cookie.split(";", 1)[0].split("=", 1)[1]
            self.token = value or None

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def post(self, path, body=None, **kw):
        return self.request("POST", path, body if body is not None else {}, **kw)

    def put(self, path, body, **kw):
        return self.request("PUT", path, body, **kw)

    def patch(self, path, body, **kw):
        return self.request("PATCH", path, body, **kw)

    def delete(self, path, **kw):
        return self.request("DELETE", path, **kw)

    def login(self, path, email, password=PASSWORD):
        reply = self.post("/api/v1/auth/login",
                          {"path": path, "email": email, "password": password})
        if reply.status == 200:
            self.csrf = reply.json()["csrfToken"]
        return reply

    def must_login(self, path, email, password=PASSWORD):
        reply = self.login(path, email, password)
        if reply.status != 200:
            raise AssertionError("sign-in of %s on %s failed: %d %s"
                                 % (email, path, reply.status, reply.body[:200]))
        return reply.json()


def assert_api_error(test, reply, status, code, field=None):
    """Checks an error reply of the web API: the status, the code, a message,
    and field when given. Returns the error object."""
    test.assertEqual(reply.status, status, reply.body)
    error = reply.json()["error"]
    test.assertEqual(error["code"], code, error)
    test.assertTrue(error["message"])
    if field is not None:
        test.assertEqual(error.get("field"), field, error)
    return error


def make_user(data_dir, role, email, org=None, name=None):
    """A user of role (with org for corporate roles); returns the user id."""
    args = ["create-user", "--email", email, "--password", PASSWORD, "--role", role]
    if org is not None:
        args += ["--org", org]
    if name is not None:
        args += ["--name", name]
    return admin_ok(data_dir, *args)


def make_org(data_dir, name="Ankara Şehir Hastanesi", credits=10):
    return admin_ok(data_dir, "create-org", "--name", name, "--credits", str(credits))


def make_people(data_dir, tag="a", credits=10):
    """An organization with one member of each corporate role, an individual
    with credits, an admin and an accountant. Returns a dict: role -> e-mail,
    plus "org" -> the organization's id."""
    org = make_org(data_dir, "Hastane %s" % tag, credits)
    people = {"org": org}
    for role in ("manager", "radiologist", "doctor", "technical"):
        people[role] = "%s-%s@example.org" % (role, tag)
        make_user(data_dir, role, people[role], org)
    people["individual"] = "individual-%s@example.org" % tag
    make_user(data_dir, "individual", people["individual"])
    admin_ok(data_dir, "add-credits", "--email", people["individual"], "--amount",
             str(credits), "--reason", "test credits")
    people["admin"] = "admin-%s@example.org" % tag
    make_user(data_dir, "admin", people["admin"])
    people["accounting"] = "accounting-%s@example.org" % tag
    make_user(data_dir, "accounting", people["accounting"])
    return people


PATH_OF_ROLE = {
    "individual": "user",
    "manager": "corporate", "radiologist": "corporate", "doctor": "corporate",
    "technical": "corporate",
    "admin": "admin",
    "accounting": "accounting",
}


def signed_in(server, people, role):
    """A WebClient signed in as the person of role in people."""
    client = WebClient(server)
    client.must_login(PATH_OF_ROLE[role], people[role])
    return client
