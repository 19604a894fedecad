#!/usr/bin/python3
"""oidc.py - the test OpenID provider (tests/oidc/provider.mjs) on loopback.

The provider runs in the foreground (`node tests/oidc/provider.mjs`) in its
own session, its pid kept by tests/stack.py's Daemon, its log in
BASE/oidc.log.  Readiness is its "ready ISSUER" line plus an answered
discovery request, polled while checking that node is still alive; never a
fixed sleep.  The provider's npm dependencies live in tests/oidc/node_modules
(scripts/install-deps runs `npm ci --prefix tests/oidc`).

API:

    p = OidcProvider(base, port=0, redirect_uris=(), post_logout_uris=(),
                     backchannel_uri=None, conform=False, daemon=None,
                     error=None)
        base: a directory (created) for the log.  The URIs are registered
        for every client.  daemon/error: tests/stack.py's Daemon and
        StackError (imported from there when not given).
    p.start() / p.stop() / p.alive()
    p.issuer                    "http://127.0.0.1:PORT" (no slash)
    p.port, p.log_path
    p.clients                   {client_id: {"secret", "auth_method",
                                 "alg"}}: portico (client_secret_basic,
                                 RS256), portico-post (client_secret_post,
                                 RS256), portico-es (client_secret_basic,
                                 ES256)
    p.users                     {uid: {"password", "name", "email", "org",
                                 "groups", ...}} (read from the provider)
    p.oidc_config(client="portico", redirect_uri=None, **overrides)
                                the [oidc] section for portico.conf
    p.login(auth_url, login, password, session=None)
        -> the URL the provider redirects the browser to at the end (the
           client's redirect_uri with code, state and iss, or with an
           error).  Drives GET auth URL -> form -> POST credentials; consent
           is implied.  Raises LoginRefused (with .page) when the provider
           shows the form again (wrong credentials).  session: a
           requests.Session holding the provider's cookies (one is made
           when None; pass the same one to logout()).
    p.logout(end_session_url, session) -> the URL the provider sends the
           browser to after confirming the logout (post_logout_redirect_uri
           or its own success page); back-channel logout tokens are POSTed
           to the clients before it answers.
    p.rotate(alg="all", keep=True) -> list of kids (new first)
    p.set_conform(on)           conformIdTokenClaims (claims only from
                                userinfo when on)
    p.spoil_next_id_token(defect, client=None)   see provider.mjs DEFECTS
    p.mint(use="id"|"logout", client="portico", sub=..., **params) -> str
    p.backchannel(client="portico", sub=..., sid=None, defect=None,
                  nosub=False) -> {"status", "body", "token"}
    p.last(client, sub) -> {"id_token", "sid"}
    p.state() -> dict

CLI: /usr/bin/python3 tests/services/oidc.py [--port N]
     [--redirect-uri URI]... [--post-logout-uri URI]... [--backchannel-uri U]
     runs the provider until Ctrl-C and prints the clients and users.
"""

import argparse
import json
import os
import re
import shutil
import signal
import socket
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request

TESTS_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PROVIDER_DIR = os.path.join(TESTS_DIR, "oidc")
PROVIDER = os.path.join(PROVIDER_DIR, "provider.mjs")

CLIENT_SECRET = "p0rtico s3cret:/+%&="
CLIENTS = {
    "portico": {"secret": CLIENT_SECRET, "auth_method":
        "client_secret_basic", "alg": "RS256"},
    "portico-post": {"secret": CLIENT_SECRET, "auth_method":
        "client_secret_post", "alg": "RS256"},
    "portico-es": {"secret": CLIENT_SECRET, "auth_method":
        "client_secret_basic", "alg": "ES256"},
}
SCOPES = "openid profile email org groups"


class LoginRefused(Exception):
    """The provider showed its sign-in form again."""

    def __init__(self, page):
        super().__init__("the provider refused the credentials")
        self.page = page


def _free_port():
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
    finally:
        s.close()


class OidcProvider:
    """One private test provider; see the module docstring."""

    def __init__(self, base, port=0, redirect_uris=(), post_logout_uris=(),
        backchannel_uri=None, conform=False, daemon=None, error=None):
        if daemon is None or error is None:
            if TESTS_DIR not in sys.path:
                sys.path.insert(0, TESTS_DIR)
            import stack
            daemon = daemon or stack.Daemon
            error = error or stack.StackError
        self._daemon_cls = daemon
        self._error = error
        self.base = os.path.abspath(base)
        self.port = port
        self.redirect_uris = list(redirect_uris)
        self.post_logout_uris = list(post_logout_uris)
        self.backchannel_uri = backchannel_uri
        self.conform = conform
        self.log_path = os.path.join(self.base, "oidc.log")
        self.clients = {k: dict(v) for k, v in CLIENTS.items()}
        self.users = {}
        self.daemon = None

    @property
    def issuer(self):
        return "http://127.0.0.1:%d" % self.port

    # -- lifecycle

    def start(self):
        """Starts node on the provider and waits until it answers."""
        if self.daemon is not None and self.daemon.alive():
            return self
        if not os.path.isdir(os.path.join(PROVIDER_DIR, "node_modules",
                "oidc-provider")):
            raise self._error("tests/oidc/node_modules is missing: run "
                "scripts/install-deps (npm ci --prefix tests/oidc)")
        os.makedirs(self.base, exist_ok=True)
        if not self.port:
            self.port = _free_port()
        argv = ["node", PROVIDER, "--port", str(self.port)]
        for u in self.redirect_uris:
            argv += ["--redirect-uri", u]
        for u in self.post_logout_uris:
            argv += ["--post-logout-uri", u]
        if self.backchannel_uri:
            argv += ["--backchannel-uri", self.backchannel_uri]
        if self.conform:
            argv.append("--conform")
        self.daemon = self._daemon_cls("oidc-provider", argv, self.log_path)
        self.daemon.start()
        self.daemon.wait_until(self._ready, "the OIDC provider on %s" %
            self.issuer)
        self.users = self._admin("GET", "/admin/users")
        return self

    def _ready(self):
        try:
            with open(self.log_path, encoding="utf-8",
                    errors="replace") as f:
                if ("ready %s\n" % self.issuer) not in f.read():
                    return False
            with urllib.request.urlopen(self.issuer +
                    "/.well-known/openid-configuration", timeout=2) as r:
                return r.status == 200
        except (OSError, urllib.error.URLError):
            return False

    def stop(self):
        """Stops the provider (SIGTERM) and waits."""
        if self.daemon is not None:
            self.daemon.stop(signal.SIGTERM, 10)

    def alive(self):
        return self.daemon is not None and self.daemon.alive()

    # -- configuration for portico.conf

    def oidc_config(self, client="portico", redirect_uri=None, **overrides):
        """The [oidc] section for client, updated with overrides."""
        c = self.clients[client]
        conf = {
            "enabled": True,
            "issuer": self.issuer,
            "client_id": client,
            "client_secret": c["secret"],
            "auth_method": c["auth_method"],
            "redirect_uri": redirect_uri or (self.redirect_uris[0] if
                self.redirect_uris else ""),
            "post_logout_redirect_uri": self.post_logout_uris[0] if
                self.post_logout_uris else "",
            "scopes": SCOPES,
            "name_claim": "name",
            "email_claim": "email",
            "org_claim": "org",
            "groups_claim": "groups",
            "timeout": 5,
            "allow_http": True,
        }
        conf.update(overrides)
        return conf

    # -- admin endpoints

    def _admin(self, method, path, params=None, text=False):
        url = self.issuer + path
        if params:
            url += "?" + urllib.parse.urlencode({k: v for k, v in
                params.items() if v is not None})
        req = urllib.request.Request(url, method=method,
            data=b"" if method == "POST" else None)
        try:
            with urllib.request.urlopen(req, timeout=10) as r:
                body = r.read().decode("utf-8")
        except urllib.error.HTTPError as e:
            raise self._error("provider %s %s: %d %s" % (method, path,
                e.code, e.read().decode("utf-8", "replace")))
        return body if text else json.loads(body)

    def rotate(self, alg="all", keep=True):
        return self._admin("POST", "/admin/rotate", {"alg": alg,
            "keep": "1" if keep else "0"})["kids"]

    def set_conform(self, on):
        self._admin("POST", "/admin/conform", {"on": "1" if on else "0"})

    def spoil_next_id_token(self, defect, client=None):
        self._admin("POST", "/admin/next-id-token", {"defect": defect,
            "client": client})

    def mint(self, use="id", client="portico", sub=None, **params):
        p = {"use": use, "client": client, "sub": sub}
        p.update(params)
        return self._admin("GET", "/admin/token", p, text=True)

    def backchannel(self, client="portico", sub=None, sid=None,
        defect=None, nosub=False):
        return self._admin("POST", "/admin/backchannel", {"client": client,
            "sub": sub, "sid": sid, "defect": defect,
            "nosub": "1" if nosub else None})

    def last(self, client, sub):
        return self._admin("GET", "/admin/last", {"client": client,
            "sub": sub})

    def state(self):
        return self._admin("GET", "/admin/state")

    # -- browser steps

    def _session(self, session):
        if session is not None:
            return session
        import requests
        return requests.Session()

    def _at_provider(self, url):
        return url.startswith(self.issuer + "/") or url.startswith("/")

    def login(self, auth_url, login, password, session=None):
        """Signs in at the provider; returns where it sends the browser."""
        s = self._session(session)
        r = s.get(auth_url, allow_redirects=False, timeout=10)
        for _ in range(10):
            if r.status_code in (302, 303):
                loc = urllib.parse.urljoin(self.issuer + "/",
                    r.headers["Location"])
                if not self._at_provider(loc):
                    return loc
                r = s.get(loc, allow_redirects=False, timeout=10)
                continue
            if r.status_code != 200:
                raise self._error("provider answered %d: %s" %
                    (r.status_code, r.text[:500]))
            m = re.search(r'<form method="post" action="([^"]+/login)"',
                r.text)
            if m is None:
                raise self._error("no sign-in form in the provider's "
                    "page: %s" % r.text[:500])
            r = s.post(urllib.parse.urljoin(self.issuer + "/", m.group(1)),
                data={"login": login, "password": password},
                allow_redirects=False, timeout=10)
            if r.status_code == 200:
                raise LoginRefused(r.text)
        raise self._error("the provider kept redirecting")

    def logout(self, end_session_url, session):
        """Confirms an RP-initiated logout; returns the final Location."""
        r = session.get(end_session_url, allow_redirects=False, timeout=10)
        if r.status_code != 200:
            raise self._error("end_session answered %d: %s" %
                (r.status_code, r.text[:500]))
        action = re.search(r'<form id="op.logoutForm" method="post" '
            r'action="([^"]+)"', r.text)
        xsrf = re.search(r'name="xsrf" value="([^"]+)"', r.text)
        if action is None or xsrf is None:
            raise self._error("no logout form: %s" % r.text[:500])
        r = session.post(urllib.parse.urljoin(self.issuer + "/",
            action.group(1)), data={"xsrf": xsrf.group(1), "logout": "yes"},
            allow_redirects=False, timeout=30)
        if r.status_code not in (302, 303):
            raise self._error("logout confirm answered %d: %s" %
                (r.status_code, r.text[:500]))
        return urllib.parse.urljoin(self.issuer + "/", r.headers["Location"])


def main(argv=None):
    ap = argparse.ArgumentParser(prog="oidc.py",
        description="Run the test OpenID provider until Ctrl-C.")
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--redirect-uri", action="append", default=[])
    ap.add_argument("--post-logout-uri", action="append", default=[])
    ap.add_argument("--backchannel-uri")
    ap.add_argument("--conform", action="store_true")
    args = ap.parse_args(argv)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(
        KeyboardInterrupt()))
    base = tempfile.mkdtemp(prefix="pt-oidc.", dir="/tmp")
    p = OidcProvider(base, port=args.port, redirect_uris=args.redirect_uri,
        post_logout_uris=args.post_logout_uri,
        backchannel_uri=args.backchannel_uri, conform=args.conform)
    try:
        p.start()
        print("OpenID provider: %s  (log %s; Ctrl-C stops it)" %
            (p.issuer, p.log_path), flush=True)
        for cid, c in p.clients.items():
            print("  client %-13s %s, ID tokens %s, secret %r" % (cid,
                c["auth_method"], c["alg"], c["secret"]), flush=True)
        for uid, u in p.users.items():
            print("  user %-11s password %-16s %s, %d group(s)" % (uid,
                u["password"], u["org"], len(u["groups"])), flush=True)
        while p.alive():
            time.sleep(0.5)
        sys.stderr.write("the provider exited; see %s\n" % p.log_path)
        return 1
    except KeyboardInterrupt:
        return 0
    finally:
        p.stop()
        shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
