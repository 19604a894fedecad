#!/usr/bin/python3
"""smtp.py - a private SMTP sink on loopback, for tests and the demo.

Runs aiosmtpd (Debian's python3-aiosmtpd) in the foreground, in its own
session, storing each message it accepts as one file in a maildir:

    /usr/bin/python3 -m aiosmtpd -n -l 127.0.0.1:PORT \\
        -c aiosmtpd.handlers.Mailbox DIR

Readiness is the server's "220" greeting, polled while checking that the
process is alive; never a fixed sleep.  stop() and start() keep the port
and the maildir: that is how tests take the sink down and bring it back.

With secure=(user, password) the sink instead demands what a company relay
does: STARTTLS (a throwaway CA and a certificate for 127.0.0.1, made under
base; s.ca_file is the CA) before anything else, then AUTH LOGIN or PLAIN
with that user and password, before it accepts a message.  It is this file
run as a program (aiosmtpd's SMTP class on an asyncio server), since the
aiosmtpd command line has no options for either.

API:

    s = Smtp(base, port=0, daemon=None, error=None, secure=None)
        daemon/error: tests/stack.py's Daemon and StackError.
    s.start() / s.stop() / s.alive()
    s.url                  "smtp://127.0.0.1:PORT" for [mail] smtp_url
    s.messages()           [email.message.Message], oldest first
    s.raw_messages()       [bytes] as stored
    s.clear()              removes the stored messages
    s.mail_config(**kw)    the [mail] section for portico.conf, as a dict
"""

import asyncio
import email
import os
import socket
import ssl
import subprocess
import sys
import time


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Smtp:
    def __init__(self, base, port=0, daemon=None, error=None, secure=None):
        if daemon is None or error is None:
            from stack import Daemon, StackError
            daemon, error = daemon or Daemon, error or StackError
        self._daemon_cls = daemon
        self._error = error
        self.base = base
        self.maildir = os.path.join(base, "maildir")
        self.port = port or _free_port()
        self.log_path = os.path.join(base, "smtp.log")
        self.daemon = None
        self.secure = secure
        self.ca_file = None
        os.makedirs(self.base, exist_ok=True)

    @property
    def url(self):
        return "smtp://127.0.0.1:%d" % self.port

    def mail_config(self, **overrides):
        conf = {"smtp_url": self.url, "starttls": "no",
            "from_address": "portal@example.com", "from_name": "Portico",
            "timeout": 5, "max_attempts": 5, "retry_base": 1, "lease": 60}
        conf.update(overrides)
        return conf

    def _greets(self):
        try:
            with socket.create_connection(("127.0.0.1", self.port), 1) as c:
                c.settimeout(2)
                return c.recv(64).startswith(b"220")
        except OSError:
            return False

    def _make_certs(self):
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
                    "/CN=Portico test mail CA", "-keyout", ca_key, "-out",
                    ca],
                ["openssl", "req", "-new"] + ec + ["-subj", "/CN=127.0.0.1",
                    "-keyout", key, "-out", csr],
                ["openssl", "x509", "-req", "-in", csr, "-CA", ca, "-CAkey",
                    ca_key, "-CAcreateserial", "-days", "2", "-extfile",
                    ext, "-out", crt]):
            r = subprocess.run(argv, stdin=subprocess.DEVNULL,
                capture_output=True, text=True)
            if r.returncode != 0:
                raise self._error("smtp: %s failed:\n%s" % (" ".join(argv),
                    r.stderr[-2000:]))
        self.ca_file = ca
        return crt, key

    def start(self):
        if self.secure:
            if self.ca_file is None:
                self._cert = self._make_certs()
            argv = ["/usr/bin/python3", os.path.abspath(__file__), "serve",
                str(self.port), self.maildir, self._cert[0], self._cert[1]]
            env = dict(os.environ, SMTP_SINK_USER=self.secure[0],
                SMTP_SINK_PASSWORD=self.secure[1])
            self.daemon = self._daemon_cls("smtp", argv, self.log_path,
                env=env)
        else:
            self.daemon = self._daemon_cls("smtp", ["/usr/bin/python3",
                "-m", "aiosmtpd", "-n", "-l", "127.0.0.1:%d" % self.port,
                "-c", "aiosmtpd.handlers.Mailbox", self.maildir],
                self.log_path)
        self.daemon.start()
        self.daemon.wait_until(self._greets, "SMTP sink greeting")
        return self

    def alive(self):
        return self.daemon is not None and self.daemon.alive()

    def stop(self):
        if self.daemon is not None:
            self.daemon.stop()
            self.daemon = None

    def _files(self):
        out = []
        for sub in ("new", "cur"):
            d = os.path.join(self.maildir, sub)
            if os.path.isdir(d):
                out += [os.path.join(d, n) for n in os.listdir(d)]
        return sorted(out, key=lambda p: (os.stat(p).st_mtime_ns, p))

    def raw_messages(self):
        out = []
        for p in self._files():
            with open(p, "rb") as f:
                out.append(f.read())
        return out

    def messages(self):
        return [email.message_from_bytes(b) for b in self.raw_messages()]

    def clear(self):
        for p in self._files():
            os.unlink(p)


def _serve(port, maildir, cert, key):
    """The secure sink: STARTTLS required, then AUTH, then the maildir."""
    from aiosmtpd.handlers import Mailbox
    from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword

    user = os.environ["SMTP_SINK_USER"].encode()
    password = os.environ["SMTP_SINK_PASSWORD"].encode()

    def authenticator(server, session, envelope, mechanism, data):
        ok = isinstance(data, LoginPassword) and data.login == user and \
            data.password == password
        return AuthResult(success=ok)

    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ctx.load_cert_chain(cert, key)
    handler = Mailbox(maildir)
    loop = asyncio.new_event_loop()
    server = loop.run_until_complete(loop.create_server(
        lambda: SMTP(handler, hostname="127.0.0.1", tls_context=ctx,
            require_starttls=True, auth_required=True,
            auth_require_tls=True, authenticator=authenticator),
        "127.0.0.1", port))
    try:
        loop.run_forever()
    finally:
        server.close()


if __name__ == "__main__" and len(sys.argv) == 6 and sys.argv[1] == "serve":
    _serve(int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5])
