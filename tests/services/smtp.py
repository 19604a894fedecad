#!/usr/bin/python3
"""smtp.py - a private SMTP sink on loopback, for tests and the demo.

Runs aiosmtpd (Debian's python3-aiosmtpd) in the foreground, in its own
session, storing each message it accepts as one file in a maildir:

    /usr/bin/python3 -m aiosmtpd -n -l 127.0.0.1:PORT \\
        -c aiosmtpd.handlers.Mailbox DIR

Readiness is the server's "220" greeting, polled while checking that the
process is alive; never a fixed sleep.  stop() and start() keep the port
and the maildir: that is how tests take the sink down and bring it back.

API:

    s = Smtp(base, port=0, daemon=None, error=None)
        daemon/error: tests/stack.py's Daemon and StackError.
    s.start() / s.stop() / s.alive()
    s.url                  "smtp://127.0.0.1:PORT" for [mail] smtp_url
    s.messages()           [email.message.Message], oldest first
    s.raw_messages()       [bytes] as stored
    s.clear()              removes the stored messages
    s.mail_config(**kw)    the [mail] section for portico.conf, as a dict
"""

import email
import os
import socket
import time


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Smtp:
    def __init__(self, base, port=0, daemon=None, error=None):
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

    def start(self):
        self.daemon = self._daemon_cls("smtp", ["/usr/bin/python3", "-m",
            "aiosmtpd", "-n", "-l", "127.0.0.1:%d" % self.port, "-c",
            "aiosmtpd.handlers.Mailbox", self.maildir], self.log_path)
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
