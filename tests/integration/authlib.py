"""Helpers shared by the sign-in tests (tests/integration/test_auth_*.py).

Not a test module: pytest collects nothing here.  Everything goes through
the real web servers (or straight to a portico over FastCGI where a test
must choose the worker or the client address), with a small cookie jar of
our own so that every request is sent exactly as written.

    Browser(base_url)              a browser: .get(target), .post(target,
                                   form), .cookies, .form_token(),
                                   .login_ldap(login, password, next=None)
    LDAP_USERS                     login -> password (tests/fixtures/ldap)
    clear_throttle(stack, db)      forget every login failure counted
    xml_view(browser, path)        the page's XML (debug_xml), parsed
    text_of(html)                  the visible text of a page
    body_without_request_id(resp)  the body with its request id masked
    csrf_routes(stack)             [(method, path)] flagged csrf
    fcgi_browser(portico, addr)    the same as Browser, over FastCGI to one
                                   portico, with REMOTE_ADDR = addr
"""

import re
import urllib.parse

import lxml.etree
import lxml.html

import stack as stackmod

# tests/fixtures/ldap/README.md
LDAP_USERS = {
    "hlindqvist": "hanna-demo",
    "mokafor": "marcus-demo",
    "praman": "priya-demo",
    "knakamura": "kenji-demo",
    "vhale": "vera-demo",
    "jwhitfield": "jack-demo",
    "lchen": "lina-demo",
    "o'brien*": "siobhan-demo",
    "alex.morgan": "alex-demo",
    "dtan": "daniel-demo",
    "rkumar": "ravi-demo",
    "bfarrell": "brendan-demo",
}

CSRF_RE = re.compile(r'name="csrf" value="([^"]*)"')


class Jar:
    """Cookies as a browser keeps them for one host (attributes dropped)."""

    def __init__(self):
        self.cookies = {}
        self.set_cookie_lines = []

    def header(self):
        return "; ".join("%s=%s" % kv for kv in self.cookies.items())

    def take(self, lines):
        for line in lines:
            self.set_cookie_lines.append(line)
            pair, _, attrs = line.partition(";")
            name, _, value = pair.strip().partition("=")
            if value == "" or "max-age=0" in attrs.lower():
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = value


class Browser(Jar):
    def __init__(self, base_url):
        super().__init__()
        self.base = base_url
        self.last = None

    def request(self, method, target, form=None, headers=None, body=None):
        h = {}
        if self.cookies:
            h["Cookie"] = self.header()
        if form is not None:
            body = urllib.parse.urlencode(form).encode()
            h["Content-Type"] = "application/x-www-form-urlencoded"
        h.update(headers or {})
        r = stackmod.http_request(self.base, target, method=method,
            headers=h, body=body)
        self.take(r.header_all("Set-Cookie"))
        self.last = r
        return r

    def get(self, target, **kw):
        return self.request("GET", target, **kw)

    def post(self, target, form=None, **kw):
        return self.request("POST", target, form=form if form is not None
            else {}, **kw)

    def form_token(self, path="/login"):
        """The form token of a page that shows a form (default /login)."""
        r = self.get(path)
        m = CSRF_RE.search(r.text)
        assert m, "no form token on %s (%d)" % (path, r.status)
        return m.group(1)

    def login_ldap(self, login, password=None, next=None):
        tok = self.form_token()
        form = {"csrf": tok, "login": login,
            "password": LDAP_USERS.get(login, "") if password is None
            else password}
        if next is not None:
            form["next"] = next
        return self.post("/login", form)

    def session_cookie(self):
        return self.cookies.get("portico")


def logged_in(stack, base_url, login):
    b = Browser(base_url)
    r = b.login_ldap(login)
    assert r.status == 303, (r.status, text_of(r.text)[:500])
    assert b.session_cookie()
    return b


def clear_throttle(stack, db="portico"):
    stack.mysql("DELETE FROM login_throttle", db=db)


def text_of(html):
    if not html.strip():
        return ""
    return " ".join(lxml.html.fromstring(html).text_content().split())


def body_without_request_id(resp):
    body = resp.body
    rid = resp.header("X-Request-Id")
    if rid:
        body = body.replace(rid.encode(), b"{rid}")
    return body


def xml_view(browser, path):
    sep = "&" if "?" in path else "?"
    r = browser.get(path + sep + "format=xml")
    assert r.status == 200, (r.status, r.text[:500])
    return lxml.etree.fromstring(r.body)


def csrf_routes(stack):
    """[(methods, path)] of every route flagged csrf in `porticoctl routes`
    (module, methods, path, access, flags, xsl; tab-separated)."""
    out = []
    for line in stack.ctl("routes").stdout.splitlines():
        f = line.split("\t")
        if len(f) >= 5 and "csrf" in f[4].split(",") and \
                "nocsrf" not in f[4].split(","):
            out.append((f[1], f[2]))
    return out


def upload_routes(stack):
    """Paths of the routes flagged upload (multipart/form-data bodies)."""
    out = set()
    for line in stack.ctl("routes").stdout.splitlines():
        f = line.split("\t")
        if len(f) >= 5 and "upload" in f[4].split(","):
            out.add(f[2])
    return out


def multipart(form, boundary="portico-test-boundary"):
    """(body, content type) of form as multipart/form-data, text fields
    only, in order (what a browser sends for an upload form)."""
    parts = []
    for k, v in form.items():
        parts.append(("--%s\r\nContent-Disposition: form-data; "
            "name=\"%s\"\r\n\r\n%s\r\n" % (boundary, k, v)).encode())
    parts.append(("--%s--\r\n" % boundary).encode())
    return b"".join(parts), "multipart/form-data; boundary=" + boundary


def concrete(path, value="1"):
    return re.sub(r"\{[^}/]+\}", value, path)


class FcgiBrowser(Jar):
    """A browser talking FastCGI to one portico, as REMOTE_ADDR addr."""

    def __init__(self, portico, addr="127.0.0.1"):
        super().__init__()
        self.p = portico
        self.addr = addr

    def request(self, method, target, form=None):
        headers = {}
        if self.cookies:
            headers["Cookie"] = self.header()
        body = b""
        if form is not None:
            body = urllib.parse.urlencode(form).encode()
        r = self.p.request(method, target, body=body, headers=headers,
            params={"REMOTE_ADDR": self.addr})
        self.take([v for k, v in r.headers if k.lower() == "set-cookie"])
        return r

    def form_token(self):
        r = self.request("GET", "/login")
        return CSRF_RE.search(r.text).group(1)

    def login_ldap(self, login, password):
        return self.request("POST", "/login", {"csrf": self.form_token(),
            "login": login, "password": password})
