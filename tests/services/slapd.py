#!/usr/bin/python3
"""slapd.py - a private OpenLDAP slapd on loopback, for tests and the demo.

The server runs in the foreground (`slapd -d none`: no debug output, but
configuration errors reach the log) in its own session, from a
configuration rendered from tests/fixtures/ldap/slapd.conf.in into a
directory of its own (under the stack's base directory), and listens on

    ldap://127.0.0.1:PORT/      what Portico's [ldap] uri points at
    ldapi://BASE%2Fldapi        the harness's own door: SASL EXTERNAL as
                                whoever runs the harness is the directory
                                manager (authz-regexp in the template)
    ldaps://127.0.0.1:PORT2/    only with tls=True

On the first start the data (tests/fixtures/ldap/demo.ldif unless another
LDIF is given) is loaded with ldapadd over ldapi, through the running
server, so that the memberof overlay fills in memberOf.  stop() and a later
start() keep the data: that is how tests take the directory down and bring
it back.  Readiness is an anonymous LDAP bind that gets its answer, polled
while checking that slapd is still alive; never a fixed sleep.

API:

    d = Slapd(base, port=0, ldif=None, tls=False, daemon=None, error=None)
        base: a directory to create (short: the ldapi path must stay under
        108 bytes).  daemon/error: tests/stack.py's Daemon and StackError
        (imported from there when not given).
    d.start() / d.stop() / d.alive()
    d.uri, d.ldaps_uri (tls only), d.ldapi_uri, d.port, d.ldaps_port
    d.base_dn, d.bind_dn, d.bind_password   the service account Portico uses
    d.ca_file (tls only)                    PEM of the CA that signed the
                                            server's certificate, which
                                            is for 127.0.0.1 (libldap
                                            checks a "localhost" URI
                                            against the host's own name)
    d.ldap_config(**overrides)              the [ldap] section for
                                            portico.conf, as a dict
    d.add(ldif), d.modify(ldif), d.delete(dn)   as the directory manager
    d.search(filter, base=None, attrs=(), scope="sub") -> ldapsearch text
    d.whoami(dn, password, uri=None) -> CompletedProcess of ldapwhoami -x
    d.log_path

Demo users, groups and passwords: tests/fixtures/ldap/README.md.

CLI: /usr/bin/python3 tests/services/slapd.py [--port N] [--tls]
     runs the demo directory until Ctrl-C and prints how to reach it.
"""

import argparse
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse

TESTS_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIXTURES = os.path.join(TESTS_DIR, "fixtures", "ldap")
TEMPLATE = os.path.join(FIXTURES, "slapd.conf.in")
DEMO_LDIF = os.path.join(FIXTURES, "demo.ldif")

MODULE_DIR = "/usr/lib/ldap"
SCHEMA_DIR = "/etc/ldap/schema"

BASE_DN = "dc=halvard,dc=example"
MANAGER_DN = "cn=manager,dc=halvard,dc=example"
SERVICE_DN = "cn=portico-svc,ou=services,dc=halvard,dc=example"
SERVICE_PASSWORD = "svc-portico-secret"

# An anonymous simple BindRequest, message id 1: readiness probe.
_ANON_BIND = bytes.fromhex("300c020101600702010304008000")

# The LDAP tools must not read ~/.ldaprc or /etc/ldap/ldap.conf.
_TOOL_ENV = dict(os.environ, LDAPNOINIT="1")


def _free_port():
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
    finally:
        s.close()


def _answers_bind(port):
    """True if an anonymous bind to 127.0.0.1:port gets a BindResponse."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1.0) as s:
            s.sendall(_ANON_BIND)
            data = s.recv(64)
    except OSError:
        return False
    # SEQUENCE { INTEGER 1, [APPLICATION 1] BindResponse ... }
    return len(data) > 5 and data[0] == 0x30 and 0x61 in data[2:8]


class Slapd:
    """One private slapd; see the module docstring."""

    def __init__(self, base, port=0, ldif=None, tls=False, daemon=None,
        error=None):
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
        self.ldif = ldif or DEMO_LDIF
        self.tls = tls
        self.ldaps_port = None
        self.base_dn = BASE_DN
        self.bind_dn = SERVICE_DN
        self.bind_password = SERVICE_PASSWORD
        self.conf_path = os.path.join(self.base, "slapd.conf")
        self.log_path = os.path.join(self.base, "slapd.log")
        self.ldapi_path = os.path.join(self.base, "ldapi")
        self.ca_file = None
        self.daemon = None
        self._loaded = False

    # -- addresses

    @property
    def uri(self):
        return "ldap://127.0.0.1:%d/" % self.port

    @property
    def ldaps_uri(self):
        return "ldaps://127.0.0.1:%d/" % self.ldaps_port if self.tls \
            else None

    @property
    def ldapi_uri(self):
        return "ldapi://" + urllib.parse.quote(self.ldapi_path, safe="")

    def ldap_config(self, **overrides):
        """The [ldap] section pointing at this server (service account,
        memberOf groups, 2 s timeout), updated with overrides."""
        conf = {
            "enabled": True,
            "uri": self.uri,
            "starttls": False,
            "tls_verify": True,
            "bind_dn": self.bind_dn,
            "bind_password": self.bind_password,
            "base_dn": self.base_dn,
            "user_filter": "(&(objectClass=inetOrgPerson)(uid=%s))",
            "login_attr": "uid",
            "name_attr": "cn",
            "email_attr": "mail",
            "org_attr": "o",
            "group_mode": "memberof",
            "group_base_dn": "ou=groups," + self.base_dn,
            "timeout": 2,
        }
        if self.tls:
            conf["ca_file"] = self.ca_file
        conf.update(overrides)
        return conf

    # -- lifecycle

    def start(self):
        """Starts slapd (first time: renders the config, loads the LDIF)."""
        if self.daemon is not None and self.daemon.alive():
            return self
        first = not os.path.exists(self.conf_path)
        if first:
            self._prepare()
        listen = [self.uri, self.ldapi_uri]
        if self.tls:
            listen.append(self.ldaps_uri)
        try:
            os.unlink(self.ldapi_path)
        except FileNotFoundError:
            pass
        self.daemon = self._daemon_cls("slapd", ["slapd", "-d", "none", "-h",
            " ".join(listen), "-f", self.conf_path], self.log_path,
            env=_TOOL_ENV)
        self.daemon.start()
        self.daemon.wait_until(lambda: _answers_bind(self.port),
            "slapd answering a bind on %s" % self.uri)
        if not self._loaded:
            self._ldap_tool("ldapadd", ["-f", self.ldif])
            self._loaded = True
        return self

    def stop(self):
        """Stops slapd (SIGTERM) and waits; the data stays for start()."""
        if self.daemon is not None:
            self.daemon.stop(signal.SIGTERM, 15)

    def alive(self):
        return self.daemon is not None and self.daemon.alive()

    def _prepare(self):
        os.makedirs(os.path.join(self.base, "db"), exist_ok=True)
        if len(self.ldapi_path) >= 100:
            raise self._error("slapd: %s is too long for a unix socket "
                "path" % self.ldapi_path)
        self.port = self.port or _free_port()
        tls = ""
        if self.tls:
            self.ldaps_port = _free_port()
            tls = self._make_certs()
        with open(TEMPLATE) as f:
            text = f.read()
        for k, v in (("@BASE@", self.base), ("@MODULEDIR@", MODULE_DIR),
                ("@SCHEMADIR@", SCHEMA_DIR), ("@UID@", str(os.getuid())),
                ("@GID@", str(os.getgid())), ("@TLS@", tls)):
            if k not in text:
                raise self._error("slapd: %s lacks %s" % (TEMPLATE, k))
            text = text.replace(k, v)
        left = re.findall(r"@[A-Z]+@", text)
        if left:
            raise self._error("slapd: %s: unknown placeholders %s" %
                (TEMPLATE, ", ".join(sorted(set(left)))))
        with open(self.conf_path, "w") as f:
            f.write(text)

    def _make_certs(self):
        """A throwaway CA and a server certificate for 127.0.0.1 and
        localhost; returns the slapd.conf lines that use them."""
        d = os.path.join(self.base, "tls")
        os.makedirs(d, exist_ok=True)
        ca_key, ca = os.path.join(d, "ca.key"), os.path.join(d, "ca.pem")
        key, csr = os.path.join(d, "server.key"), os.path.join(d, "server.csr")
        crt, ext = os.path.join(d, "server.pem"), os.path.join(d, "san.ext")
        with open(ext, "w") as f:
            f.write("subjectAltName = IP:127.0.0.1, DNS:localhost\n"
                "extendedKeyUsage = serverAuth\n")
        ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
            "-nodes"]
        for argv in (
                ["openssl", "req", "-x509"] + ec + ["-days", "2", "-subj",
                    "/CN=Portico test directory CA", "-keyout", ca_key,
                    "-out", ca],
                ["openssl", "req", "-new"] + ec + ["-subj", "/CN=127.0.0.1",
                    "-keyout", key, "-out", csr],
                ["openssl", "x509", "-req", "-in", csr, "-CA", ca, "-CAkey",
                    ca_key, "-CAcreateserial", "-days", "2", "-extfile",
                    ext, "-out", crt]):
            r = subprocess.run(argv, stdin=subprocess.DEVNULL,
                capture_output=True, text=True)
            if r.returncode != 0:
                raise self._error("slapd: %s failed:\n%s" % (" ".join(argv),
                    r.stderr[-2000:]))
        self.ca_file = ca
        return "\n".join([
            "TLSCACertificateFile\t%s" % ca,
            "TLSCertificateFile\t%s" % crt,
            "TLSCertificateKeyFile\t%s" % key,
        ])

    # -- tools

    def _ldap_tool(self, tool, args, input=None, check=True):
        argv = [tool, "-Q", "-Y", "EXTERNAL", "-H", self.ldapi_uri] + args
        r = subprocess.run(argv, input=input, capture_output=True, text=True,
            env=_TOOL_ENV, stdin=None if input is not None else
            subprocess.DEVNULL, timeout=60)
        if check and r.returncode != 0:
            raise self._error("slapd: %s exited %d:\n%s%s\nlast log lines "
                "of %s:\n%s" % (" ".join(argv), r.returncode, r.stdout[-2000:],
                r.stderr[-2000:], self.log_path, self._tail()))
        return r

    def _tail(self, n=20):
        try:
            with open(self.log_path, errors="replace") as f:
                return "\n".join(f.read().splitlines()[-n:])
        except OSError:
            return "(no log)"

    def add(self, ldif):
        """Adds the entries in the LDIF text, as the directory manager."""
        return self._ldap_tool("ldapadd", [], input=ldif)

    def modify(self, ldif):
        """Applies an LDIF change record text, as the directory manager."""
        return self._ldap_tool("ldapmodify", [], input=ldif)

    def delete(self, dn):
        return self._ldap_tool("ldapdelete", [dn])

    def search(self, filter="(objectClass=*)", base=None, attrs=(),
        scope="sub"):
        """ldapsearch output (LDIF, no wrapping) as the directory manager."""
        return self._ldap_tool("ldapsearch", ["-LLL", "-o", "ldif-wrap=no",
            "-s", scope, "-b", base or self.base_dn, filter] +
            list(attrs)).stdout

    def whoami(self, dn, password, uri=None):
        """ldapwhoami -x -D dn -w password over TCP; the CompletedProcess
        (returncode 0 and "anonymous" on stdout for an anonymous bind)."""
        return subprocess.run(["ldapwhoami", "-x", "-H", uri or self.uri,
            "-D", dn, "-w", password], capture_output=True, text=True,
            env=_TOOL_ENV, stdin=subprocess.DEVNULL, timeout=30)


def main(argv=None):
    ap = argparse.ArgumentParser(prog="slapd.py",
        description="Run the demo directory until Ctrl-C.")
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--tls", action="store_true")
    args = ap.parse_args(argv)
    def interrupt(signum, frame):
        raise KeyboardInterrupt("signal %d" % signum)
    signal.signal(signal.SIGINT, interrupt)
    signal.signal(signal.SIGTERM, interrupt)
    base = tempfile.mkdtemp(prefix="ptl.", dir="/tmp")
    d = Slapd(base, port=args.port, tls=args.tls)
    try:
        d.start()
        print("slapd: %s  base %s" % (d.uri, d.base_dn))
        if d.tls:
            print("       %s  CA %s" % (d.ldaps_uri, d.ca_file))
        print("       service account %s / %s" % (d.bind_dn,
            d.bind_password))
        print("       manager: ldapsearch -Y EXTERNAL -H '%s'" % d.ldapi_uri)
        print("       (Ctrl-C stops it; data under %s)" % base, flush=True)
        while d.alive():
            time.sleep(0.5)
        sys.stderr.write("slapd exited; log:\n%s\n" % d._tail())
        return 1
    except KeyboardInterrupt:
        return 0
    finally:
        d.stop()
        shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
