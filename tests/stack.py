#!/usr/bin/python3
"""stack.py - a private Portico stack on loopback, for tests, the demo and bench/.

Everything runs under one short base directory (/tmp/pt.XXXXXXXX, mode 0755,
so that unix socket paths stay under 108 bytes and nginx workers and Apache
children, which run as root / www-data, can enter it).  Each daemon runs in
the foreground in its own session, its pid is kept, and readiness is polled
(never a fixed sleep) while checking that the pid is still alive:

    mariadbd   fresh datadir (mariadb-install-db), --skip-networking,
               socket BASE/mysql.sock, log BASE/mariadb.log
    portico    `portico -c BASE/portico.conf`, listen unix:BASE/portico.sock,
               stderr to BASE/portico.log, after `porticoctl migrate`
               (and `seed-demo` when asked)
    nginx      `nginx -p BASE/nginx/ -c BASE/nginx/nginx.conf -e ...`,
               daemon off; includes the SHIPPED conf/nginx/portico.conf
    apache2    `apache2 -f BASE/apache/apache.conf -D FOREGROUND`; includes
               the SHIPPED conf/apache/portico.conf
    slapd      the demo directory (tests/services/slapd.py, users in
               tests/fixtures/ldap/README.md) on ldap://127.0.0.1:PORT/,
               files under BASE/ldap; the main portico.conf's [ldap]
               section points at it (ldap=False: no slapd, no [ldap])
    oidc       the test OpenID provider (tests/services/oidc.py, node) on
               http://127.0.0.1:PORT, files under BASE/oidc; [oidc],
               [websso], [session] and [roles] of portico.conf come from
               the identity block (identity=False: none of them)

The shipped web-server configurations are rendered by substituting only their
Debian paths and port (/run/portico/portico.sock, /usr/share/portico/static,
`listen 80;` / `<VirtualHost *:80>`), so the tests prove the files we ship.
A substitution that does not match fails loudly.

Processes are stopped on stop(), on exceptions (context manager), at exit, on
SIGTERM/SIGHUP (turned into KeyboardInterrupt in the main thread) and, as a
last resort, by PR_SET_PDEATHSIG when the Python process dies.  Only
processes this module started are signalled, by pid (and the process group
each one leads).  The base directory is removed unless PT_KEEP=1.

API (used by tests/integration/conftest.py, scripts/demo and bench/):

    stack = Stack(seed=False, nginx=True, apache=True, nginx_port=0,
                  apache_port=0, workers=2, server=None, limits=None,
                  ldap=True, identity=True)
    stack.start() / stack.stop()            also `with Stack(...) as stack:`;
                                            stop() leaves sanitizer reports
                                            written at exit in
                                            stack.final_reports
    stack.base, stack.src_dir, stack.build_dir
    stack.config_path                       the main portico.conf
    stack.log_path                          the main portico's stderr log
    stack.nginx_url, stack.apache_url       "http://127.0.0.1:PORT" (no slash)
    stack.limits                            the [limits] the main config sets
    stack.portico                           the main Portico (see below)
    stack.portico_pid, stack.worker_pids()  master pid; live worker pids
    stack.restart_portico()                 SIGTERM, wait, start again
    stack.reload_portico()                  SIGHUP (does not wait)
    stack.ctl(*args, config=None, check=True)  -> CompletedProcess (text)
    stack.mysql(sql, db=None)               -> stdout of `mariadb -N -B`
    stack.stop_db() / stack.start_db()      same datadir and socket
    stack.scratch_db(name, sql_dir=None, server=None, limits=None, db=None)
                                            -> path of a portico.conf for a
                                               fresh empty database
                                               portico_<name>, listening on
                                               unix:BASE/<name>.sock
    stack.spawn_portico(config, wait=True, argv=None, address=None,
                        stdin=None)  -> Portico: another instance
    stack.write_config(path, overrides)     writes a portico.conf
    stack.url("nginx"|"apache"), stack.nginx_port, stack.apache_port
    stack.render_nginx_site(port), stack.render_apache_site(port)
                                            the shipped site, rendered
    stack.db, stack.nginx, stack.apache     their Daemon objects
    stack.slapd                             the directory (a slapd.Slapd:
                                            .stop()/.start() for "LDAP
                                            down", .modify(ldif), .uri,
                                            .ldap_config()), or None
    stack.smtp                              the SMTP sink (tests/services/
                                            smtp.py: .messages(), .clear(),
                                            .stop()/.start(), .url); the
                                            main config's [mail] uses it
    stack.oidc                              the OIDC provider (an
                                            oidc.OidcProvider), or None
    stack.websso_servers()                  {"nginx": url, "apache": url}:
                                            web servers whose /login/sso
                                            is behind their own SSO
                                            (started on first call)
    stack.log_paths()                       every log under base

    Portico: .pid, .alive(), .worker_pids(), .address ("unix:/path"),
             .log_path, .log_text(), .start(wait=True), .stop(timeout=None)
             -> exit status, .reload(), .wait_ready(), .wait_workers(n,
             exclude=()), .request(method, uri, body=b"", headers=None)
             -> FcgiResponse (speaks FastCGI to the socket directly)

    http_request(base_url, target="/", method="GET", headers=None,
        body=None) -> HttpResponse (.status, .headers, .header(name),
        .body, .text): the raw target is sent as is (no normalising).

    Daemon(name, argv, log_path, env=None, stdin=None): one foreground
        process in its own session: .start(), .pid, .alive(),
        .wait_until(cond, what), .send_signal(sig), .stop(sig, timeout)
        (also kills whatever is left in its session).
    children_of(pid), read_portico_conf(path), write_portico_conf(path, d)

    fcgi_request(address, method="GET", uri="/", body=b"", headers=None,
        params=None, timeout=30, on_connect=None) -> FcgiResponse with
        .status, .headers (list of pairs), .header(name), .body (bytes),
        .stderr; raises FcgiError when the connection ends without
        FCGI_END_REQUEST (e.g. a worker killed mid-request).

    SANITIZER_PATTERNS, stack.sanitizer_reports(): sanitizer reports that
        appeared in any portico log under base or in porticoctl output
        since the previous call (a list of excerpts; empty when clean).

Environment: PORTICO_BUILD_DIR (where portico and porticoctl are; relative
paths are taken from the source dir; default the source dir), PT_KEEP=1
(keep base for post-mortems).

CLI: /usr/bin/python3 tests/stack.py demo [--port 8080]
     migrates, seeds the demo data and serves it through nginx on
     http://127.0.0.1:PORT/ until Ctrl-C (or SIGTERM), leaving nothing behind.
"""

import argparse
import atexit
import ctypes
import grp
import os
import pwd
import re
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time

SRC_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# Debian paths in the shipped web-server configurations.
DEBIAN_SOCKET = "/run/portico/portico.sock"
DEBIAN_STATIC = "/usr/share/portico/static"
# collateral: the file store the shipped sites hand downloads from.
DEBIAN_COLLATERAL = "/var/lib/portico/collateral"

APACHE_MODULES = "/usr/lib/apache2/modules"
APACHE_LOAD = [
    ("mpm_event_module", "mod_mpm_event.so"),
    ("authz_core_module", "mod_authz_core.so"),
    ("mime_module", "mod_mime.so"),
    ("alias_module", "mod_alias.so"),
    ("headers_module", "mod_headers.so"),
    ("proxy_module", "mod_proxy.so"),
    ("proxy_fcgi_module", "mod_proxy_fcgi.so"),
    ("unique_id_module", "mod_unique_id.so"),
    # collateral: downloads (X-Sendfile) and SetEnv PORTICO_OFFLOAD.
    ("env_module", "mod_env.so"),
    ("xsendfile_module", "mod_xsendfile.so"),
]

# The limits the harness's main portico.conf sets: the documented defaults
# (conf/portico.conf.sample), written out so tests know the numbers.
DEFAULT_LIMITS = {
    "body_max": 1048576,
    "headers_max": 16384,
    "cookie_max": 4096,
    "query_max": 8192,
    "fields_max": 256,
}

DB_USER = "portico"
DB_PASSWORD = "pt-test-pw"

SANITIZER_PATTERNS = ("ERROR: AddressSanitizer", "runtime error:",
    "ERROR: LeakSanitizer")

START_TIMEOUT = float(os.environ.get("PT_START_TIMEOUT", "60"))


class StackError(Exception):
    """A daemon failed to start or a command failed; the message has logs."""


class FcgiError(Exception):
    """A FastCGI exchange ended without FCGI_END_REQUEST.

    connected_at is the time.monotonic() at which the connection was made.
    """
    connected_at = None


# ------------------------------------------------------------ processes

_libc = ctypes.CDLL(None, use_errno=True)
_PR_SET_PDEATHSIG = 1


def _child_setup():
    # Runs in the child between fork and exec: die with the harness.
    _libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)


def _tail(path, n=40):
    try:
        with open(path, "rb") as f:
            f.seek(0, 2)
            size = f.tell()
            f.seek(max(0, size - 16384))
            data = f.read().decode("utf-8", "replace")
    except OSError:
        return "(no log %s)" % path
    return "\n".join(data.splitlines()[-n:])


def _proc_stat(pid):
    """(state, ppid, pgid, sid) of pid from /proc, or None."""
    try:
        with open("/proc/%d/stat" % pid, "rb") as f:
            data = f.read().decode("ascii", "replace")
    except OSError:
        return None
    rest = data[data.rindex(")") + 2:].split()
    return rest[0], int(rest[1]), int(rest[2]), int(rest[3])


def _all_pids():
    for name in os.listdir("/proc"):
        if name.isdigit():
            yield int(name)


def children_of(pid):
    """Live (non-zombie) children of pid, sorted."""
    out = []
    for p in _all_pids():
        st = _proc_stat(p)
        if st and st[1] == pid and st[0] != "Z":
            out.append(p)
    return sorted(out)


def _session_members(sid):
    out = []
    for p in _all_pids():
        st = _proc_stat(p)
        if st and st[3] == sid and st[0] != "Z":
            out.append(p)
    return out


def _free_port():
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
    finally:
        s.close()


def _can_connect(address):
    """True if a stream connection to "unix:/p", "host:port" or
    ("host", port) works."""
    if isinstance(address, str) and address.startswith("unix:"):
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        target = address[5:]
    else:
        if isinstance(address, str):
            host, _, port = address.rpartition(":")
            address = (host, int(port))
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        target = address
    s.settimeout(1.0)
    try:
        s.connect(target)
        return True
    except OSError:
        return False
    finally:
        s.close()


class Daemon:
    """One foreground process, in its own session, with its log file."""

    def __init__(self, name, argv, log_path, env=None, stdin=None):
        self.name = name
        self.argv = argv
        self.log_path = log_path
        self.env = env
        self.stdin = stdin      # an fd to give as fd 0 (a listening socket)
        self.proc = None

    @property
    def pid(self):
        return self.proc.pid if self.proc else None

    def start(self):
        logf = open(self.log_path, "ab")
        try:
            self.proc = subprocess.Popen(self.argv,
                stdin=subprocess.DEVNULL if self.stdin is None else self.stdin,
                stdout=logf, stderr=logf, env=self.env,
                start_new_session=True, preexec_fn=_child_setup,
                close_fds=True)
        finally:
            logf.close()
        return self

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def returncode(self):
        return self.proc.poll() if self.proc else None

    def wait_until(self, cond, what, timeout=START_TIMEOUT):
        """Polls cond() until true; fails if the process exits first."""
        deadline = time.monotonic() + timeout
        delay = 0.005
        while True:
            if cond():
                return
            if not self.alive():
                raise StackError("%s exited with status %s while waiting "
                    "for %s; last log lines of %s:\n%s" % (self.name,
                    self.returncode(), what, self.log_path,
                    _tail(self.log_path)))
            if time.monotonic() > deadline:
                raise StackError("%s: timed out after %.0fs waiting for "
                    "%s; last log lines of %s:\n%s" % (self.name, timeout,
                    what, self.log_path, _tail(self.log_path)))
            time.sleep(delay)
            delay = min(delay * 2, 0.1)

    def send_signal(self, sig):
        if self.alive():
            os.kill(self.proc.pid, sig)

    def stop(self, sig=signal.SIGTERM, timeout=15.0):
        """Signals, waits, then SIGKILLs the session.  Returns exit status."""
        if self.proc is None:
            return None
        rc = self.proc.poll()
        if rc is None:
            try:
                os.kill(self.proc.pid, sig)
            except ProcessLookupError:
                pass
            try:
                rc = self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                os.kill(self.proc.pid, signal.SIGKILL)
                rc = self.proc.wait()
        # Whatever the leader left behind in its session (workers,
        # children) goes too; nothing else shares that session id.
        self._reap_session()
        return rc

    def _reap_session(self):
        sid = self.proc.pid
        deadline = time.monotonic() + 5.0
        while True:
            left = _session_members(sid)
            if not left:
                return
            for p in left:
                try:
                    os.kill(p, signal.SIGKILL)
                except ProcessLookupError:
                    pass
            if time.monotonic() > deadline:
                return
            time.sleep(0.01)


# --------------------------------------------------------------- FastCGI

_FCGI_BEGIN, _FCGI_ABORT, _FCGI_END = 1, 2, 3
_FCGI_PARAMS, _FCGI_STDIN, _FCGI_STDOUT, _FCGI_STDERR = 4, 5, 6, 7


def _fcgi_record(rtype, content, rid=1):
    out = b""
    for i in range(0, max(len(content), 1), 65535):
        chunk = content[i:i + 65535]
        pad = (8 - len(chunk) % 8) % 8
        out += struct.pack(">BBHHBB", 1, rtype, rid, len(chunk), pad, 0)
        out += chunk + b"\0" * pad
        if not content:
            break
    return out


def _fcgi_nv(name, value):
    out = b""
    for n in (len(name), len(value)):
        out += struct.pack(">B", n) if n < 128 else \
            struct.pack(">I", n | 0x80000000)
    return out + name + value


class FcgiResponse:
    def __init__(self, status, headers, body, stderr, app_status):
        self.status = status
        self.headers = headers
        self.body = body
        self.stderr = stderr
        self.app_status = app_status

    def header(self, name, default=None):
        for k, v in self.headers:
            if k.lower() == name.lower():
                return v
        return default

    @property
    def text(self):
        return self.body.decode("utf-8", "replace")

    def __repr__(self):
        return "<FcgiResponse %d, %d bytes>" % (self.status, len(self.body))


def fcgi_request(address, method="GET", uri="/", body=b"", headers=None,
    params=None, timeout=30.0, on_connect=None):
    """Sends one request to a FastCGI responder, the way nginx would.

    address is "unix:/path" or "host:port".  headers become HTTP_* params;
    params override or add raw FastCGI params.  Returns an FcgiResponse;
    raises FcgiError if the connection closes before FCGI_END_REQUEST and
    OSError if it cannot connect.  Both the response and the FcgiError
    carry connected_at (time.monotonic() once connected), which lets a
    fault test tell requests in flight at a signal from later ones.
    """
    path, _, query = uri.partition("?")
    env = {
        "GATEWAY_INTERFACE": "CGI/1.1",
        "SERVER_SOFTWARE": "portico-stack",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REQUEST_SCHEME": "http",
        "REQUEST_METHOD": method,
        "REQUEST_URI": uri,
        "SCRIPT_NAME": path,
        "DOCUMENT_URI": path,
        "QUERY_STRING": query,
        "REMOTE_ADDR": "127.0.0.1",
        "REMOTE_PORT": "40000",
        "SERVER_ADDR": "127.0.0.1",
        "SERVER_PORT": "80",
        "SERVER_NAME": "localhost",
        "HTTP_HOST": "localhost",
        "CONTENT_LENGTH": str(len(body)) if body else "",
        "CONTENT_TYPE": "application/x-www-form-urlencoded" if body else "",
    }
    for k, v in (headers or {}).items():
        env["HTTP_" + k.upper().replace("-", "_")] = v
    env.update(params or {})
    pairs = b"".join(_fcgi_nv(k.encode(), v.encode("utf-8", "surrogateescape"))
        for k, v in env.items())

    if address.startswith("unix:"):
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        target = address[5:]
    else:
        host, _, port = address.rpartition(":")
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        target = (host, int(port))
    s.settimeout(timeout)
    try:
        s.connect(target)
        connected_at = time.monotonic()
        if on_connect is not None:
            on_connect()
        msg = _fcgi_record(_FCGI_BEGIN, struct.pack(">HB5x", 1, 0))
        msg += _fcgi_record(_FCGI_PARAMS, pairs)
        msg += _fcgi_record(_FCGI_PARAMS, b"")
        if body:
            msg += _fcgi_record(_FCGI_STDIN, body)
        msg += _fcgi_record(_FCGI_STDIN, b"")
        try:
            s.sendall(msg)
        except (BrokenPipeError, ConnectionResetError):
            pass    # the app may answer without reading everything
        out, err, buf = [], [], b""
        app_status = None
        while app_status is None:
            try:
                data = s.recv(65536)
            except ConnectionResetError:
                data = b""
            if not data:
                e = FcgiError("connection to %s closed before "
                    "FCGI_END_REQUEST (%d bytes of output)" %
                    (address, sum(map(len, out))))
                e.connected_at = connected_at
                raise e
            buf += data
            while len(buf) >= 8:
                _, rtype, _, clen, plen, _ = struct.unpack(">BBHHBB",
                    buf[:8])
                if len(buf) < 8 + clen + plen:
                    break
                content = buf[8:8 + clen]
                buf = buf[8 + clen + plen:]
                if rtype == _FCGI_STDOUT:
                    out.append(content)
                elif rtype == _FCGI_STDERR:
                    err.append(content)
                elif rtype == _FCGI_END:
                    app_status = struct.unpack(">I", content[:4])[0]
                    break
    finally:
        s.close()

    raw = b"".join(out)
    sep = raw.find(b"\r\n\r\n")
    if sep >= 0:
        head, rbody = raw[:sep], raw[sep + 4:]
    else:
        sep = raw.find(b"\n\n")
        head, rbody = (raw[:sep], raw[sep + 2:]) if sep >= 0 else (raw, b"")
    hdrs, status = [], 200
    for line in head.decode("latin-1").splitlines():
        if ":" not in line:
            continue
        k, v = line.split(":", 1)
        v = v.strip()
        if k.lower() == "status":
            status = int(v.split()[0])
        else:
            hdrs.append((k, v))
    resp = FcgiResponse(status, hdrs, rbody,
        b"".join(err).decode("utf-8", "replace"), app_status)
    resp.connected_at = connected_at
    return resp


# ------------------------------------------------------------------ HTTP

class HttpResponse:
    def __init__(self, status, reason, headers, body):
        self.status = status
        self.reason = reason
        self.headers = headers
        self.body = body

    def header(self, name, default=None):
        for k, v in self.headers:
            if k.lower() == name.lower():
                return v
        return default

    def header_all(self, name):
        return [v for k, v in self.headers if k.lower() == name.lower()]

    @property
    def text(self):
        return self.body.decode("utf-8", "replace")

    def __repr__(self):
        return "<HttpResponse %d %s, %d bytes>" % (self.status, self.reason,
            len(self.body))


def http_request(base_url, target="/", method="GET", headers=None, body=None,
    timeout=30.0):
    """One HTTP/1.1 request, sent exactly as given (no URL normalising).

    base_url is "http://host:port"; target is the raw request target
    ("/?q=%ZZ" stays as is).  Header values may be str or bytes (sent
    verbatim).  Returns an HttpResponse; one connection per request.
    """
    import http.client
    hostport = base_url.split("//", 1)[1].rstrip("/")
    host, _, port = hostport.rpartition(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=timeout)
    try:
        conn.putrequest(method, target, skip_accept_encoding=True)
        hdrs = {"Connection": "close"}
        hdrs.update(headers or {})
        if body is not None:
            hdrs.setdefault("Content-Length", str(len(body)))
        for k, v in hdrs.items():
            conn.putheader(k, v)
        conn.endheaders(body)
        r = conn.getresponse()
        data = r.read()
        return HttpResponse(r.status, r.reason, r.getheaders(), data)
    finally:
        conn.close()


# ------------------------------------------------------------ config

def write_portico_conf(path, sections):
    """Writes an INI file from {"section": {"key": value}} in order; a
    list value repeats its key, one line per item."""
    lines = ["# Written by tests/stack.py for a private test stack."]
    for sec, kv in sections.items():
        lines.append("")
        lines.append("[%s]" % sec)
        for k, v in kv.items():
            # A list repeats the key, one line per value ([roles]).
            for v in (v if isinstance(v, list) else [v]):
                if isinstance(v, bool):
                    v = "yes" if v else "no"
                lines.append("%s = %s" % (k, v))
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")
    return path


def read_portico_conf(path):
    """Reads back {"section": {"key": "value"}} written above."""
    out, sec = {}, None
    with open(path) as f:
        for line in f:
            line = line.strip()
            if not line or line[0] in "#;":
                continue
            if line.startswith("["):
                sec = out.setdefault(line.strip("[]"), {})
            elif "=" in line and sec is not None:
                k, v = line.split("=", 1)
                sec[k.strip()] = v.strip()
    return out


def _render(text, subs, what):
    """Replaces each (regex, replacement); each must match at least once."""
    for pat, rep in subs:
        text, n = re.subn(pat, rep, text, flags=re.M)
        if n == 0:
            raise StackError("%s: expected to find %r to substitute; the "
                "shipped configuration changed shape" % (what, pat))
    return text


class Portico:
    """One portico master (and its prefork workers) started by the harness."""

    def __init__(self, stack, config, log_path, argv=None, address=None,
        stdin=None):
        self.stack = stack
        self.config = config
        self.log_path = log_path
        conf = read_portico_conf(config)
        self.listen = conf.get("server", {}).get("listen", "")
        self.address = address or self.listen
        self.daemon = Daemon("portico", argv or [stack.portico_bin, "-c",
            config], log_path, stdin=stdin)

    @property
    def pid(self):
        return self.daemon.pid

    def alive(self):
        return self.daemon.alive()

    def returncode(self):
        return self.daemon.returncode()

    def start(self, wait=True):
        if self.listen.startswith("unix:"):
            try:
                os.unlink(self.listen[5:])
            except FileNotFoundError:
                pass
        self.daemon.start()
        self.stack._register(self)
        if wait:
            self.wait_ready()
        return self

    def wait_ready(self, timeout=START_TIMEOUT):
        """Waits until a worker answers /healthz (any status)."""
        def ready():
            if not _can_connect(self.address):
                return False
            try:
                self.request("GET", "/healthz", timeout=5)
                return True
            except (OSError, FcgiError):
                return False
        self.daemon.wait_until(ready, "a worker to answer /healthz on %s" %
            self.address, timeout)

    def worker_pids(self):
        return children_of(self.pid) if self.alive() else []

    def wait_workers(self, n, exclude=(), timeout=START_TIMEOUT):
        """Waits for n live workers none of which is in exclude."""
        exclude = set(exclude)
        def ok():
            w = self.worker_pids()
            return len(w) == n and not exclude.intersection(w)
        self.daemon.wait_until(ok, "%d workers (excluding %s)" %
            (n, sorted(exclude)), timeout)
        return self.worker_pids()

    def reload(self):
        self.daemon.send_signal(signal.SIGHUP)

    def stop(self, timeout=None, sig=signal.SIGTERM):
        """Stops (SIGTERM drains); returns the master's exit status."""
        if timeout is None:
            timeout = 30.0
        return self.daemon.stop(sig, timeout)

    def log_text(self):
        try:
            with open(self.log_path, "rb") as f:
                return f.read().decode("utf-8", "replace")
        except FileNotFoundError:
            return ""

    def request(self, method="GET", uri="/", body=b"", headers=None,
        params=None, timeout=30.0, on_connect=None):
        return fcgi_request(self.address, method, uri, body, headers,
            params, timeout, on_connect)


# ------------------------------------------- identity (issue 3, auth pages)
#
# Everything the harness does for signing in, kept in this one block (the
# rest of the file only calls into it, at the lines marked "identity"):
#
#  - the [session] [oidc] [websso] [roles] sections of every portico.conf
#    the stack writes ([ldap] comes from the slapd block above): plain-http
#    cookies, throttling that the suite's own failed logins from 127.0.0.1
#    cannot trip by address, the OIDC test provider (tests/services/oidc.py)
#    with allow_http, the web server's SSO read from PORTICO_SSO_* params,
#    and [roles] for the fixture groups (LDAP DNs, OIDC/SSO group names);
#  - the OIDC provider itself, started with the stack: its client's
#    redirect_uri, post-logout URI and back-channel URI point at nginx (or
#    Apache without nginx), whose port is therefore picked before the
#    config is written;
#  - on demand (stack.websso_servers()), a second nginx and a second Apache
#    whose /login/sso is protected by an SSO in front of portico: nginx
#    runs the SHIPPED example of conf/nginx/portico.conf (its commented
#    "web-server SSO example" block, uncommented) against SsoGateway, an
#    oauth2-proxy-like auth endpoint in this process; Apache checks Basic
#    credentials itself (mod_auth_basic) and sets the same PORTICO_SSO_*
#    variables with mod_rewrite.  The main nginx and Apache stay as
#    shipped, so every route still answers identically through both.
#
# API: stack.oidc (an oidc.OidcProvider, or None with identity=False),
# stack.websso_servers() -> {"nginx": url, "apache": url},
# stack.sso_gateway, SSO_USERS (login -> password, name, email, org,
# groups), ROLE_GROUPS ([roles] lines).

LDAP_GROUPS = "ou=groups,dc=halvard,dc=example"

# [roles]: the fixture groups, as LDAP DNs (tests/fixtures/ldap) and as the
# plain names the OIDC provider and the SSO gateway report.
ROLE_GROUPS = []
for _role, _cn in (("portal_admin", "portal-admins"),
        ("channel_manager", "channel-managers"),
        ("content_manager", "content-managers"),
        ("moderator", "moderators"),
        ("partner_user", "partner-users"),
        ("partner_admin", "partner-admins-kestrel"),
        ("partner_admin", "partner-admins-meridian")):
    ROLE_GROUPS.append((_role, "cn=%s,%s" % (_cn, LDAP_GROUPS)))
    ROLE_GROUPS.append((_role, _cn))

# The people the web server's SSO knows (its own accounts, as a company
# IdP behind oauth2-proxy or mod_auth_openidc would): REMOTE_USER is the
# e-mail address, as it often is with SAML and Azure AD.
SSO_USERS = {
    "lina.chen@kestrel-cloud.example": {"password": "lina-sso",
        "name": "Lina Chen", "email": "lina.chen@kestrel-cloud.example",
        "org": "kestrel-cloud", "groups": ["partner-users", "beta-program"]},
    "hanna.lindqvist@halvard.example": {"password": "hanna-sso",
        "name": "Hanna Lindqvist", "email": "hanna.lindqvist@halvard.example",
        "org": "halvard", "groups": ["portal-admins"]},
    "vera.hale@halvard.example": {"password": "vera-sso",
        "name": "Vera Hale", "email": "vera.hale@halvard.example",
        "org": "halvard", "groups": []},
}

# Where the shipped nginx example sends its auth subrequests (oauth2-proxy's
# default); the harness points it at SsoGateway instead.
SSO_EXAMPLE_UPSTREAM = "http://127.0.0.1:4180/oauth2/auth"
SSO_BEGIN = "# ---- BEGIN web-server SSO example"
SSO_END = "# ---- END web-server SSO example"


class SsoGateway:
    """An oauth2-proxy-like auth endpoint for nginx's auth_request.

    GET /oauth2/auth with the browser's own headers: valid HTTP Basic
    credentials of SSO_USERS -> 202 with X-Auth-Request-User, -Name,
    -Email, -Org and -Groups (';'-separated, [websso]'s default separator:
    an INI value cannot be ';'); anything else -> 401 with a
    WWW-Authenticate challenge, which nginx passes to the browser.  It
    never looks at any other header the client sent.  Runs in a daemon
    thread of this process; requests counts the checks it answered.
    """

    def __init__(self, users):
        self.users = users
        self.server = None
        self.thread = None
        self.requests = 0

    @property
    def url(self):
        return "http://127.0.0.1:%d/oauth2/auth" % self.server.server_port

    def start(self):
        import base64
        import http.server
        gw = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                gw.requests += 1
                who = None
                auth = self.headers.get("Authorization", "")
                if self.path == "/oauth2/auth" and auth.startswith("Basic "):
                    try:
                        raw = base64.b64decode(auth[6:], validate=True)
                        login, _, pw = raw.decode("utf-8").partition(":")
                    except ValueError:
                        login, pw = "", ""
                    u = gw.users.get(login)
                    if u is not None and u["password"] == pw:
                        who = (login, u)
                if who is None:
                    self.send_response(401)
                    self.send_header("WWW-Authenticate",
                        'Basic realm="Halvard SSO (test)"')
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                login, u = who
                self.send_response(202)
                for h, v in (("User", login), ("Name", u["name"]),
                        ("Email", u["email"]), ("Org", u["org"]),
                        ("Groups", ";".join(u["groups"]))):
                    self.send_header("X-Auth-Request-" + h,
                        v.encode("utf-8").decode("latin-1"))
                self.send_header("Content-Length", "0")
                self.end_headers()

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0),
            Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever,
            name="sso-gateway", daemon=True)
        self.thread.start()
        return self

    def stop(self):
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
            self.server = None


def websso_nginx_site(text, gateway_url):
    """The shipped nginx site with its web-server SSO example uncommented
    (commented directives are '#' + a non-blank; prose is '# ...') and its
    upstream pointed at gateway_url.  Fails if the block is missing."""
    out, inside, seen = [], False, False
    for line in text.split("\n"):
        s = line.lstrip()
        if s.startswith(SSO_BEGIN):
            inside = seen = True
        elif s.startswith(SSO_END):
            inside = False
        elif inside and re.match(r"#[^\s#]|#\t", s):
            line = line[:len(line) - len(s)] + s[1:]
        out.append(line)
    if not seen:
        raise StackError("conf/nginx/portico.conf: no %r block" % SSO_BEGIN)
    return _render("\n".join(out), [(re.escape(SSO_EXAMPLE_UPSTREAM),
        gateway_url)], "conf/nginx/portico.conf SSO example")


class _IdentityMixin:
    """Stack's sign-in parts; see the block comment above."""

    def _identity_init(self, identity, websso=True):
        self.want_identity = identity
        # The demo has no SSO module in front of /login/sso: no button
        # that can only fail.
        self.want_websso = websso
        self.oidc = None
        self.sso_gateway = None
        self._websso = None

    def _start_identity(self):
        """Picks the web servers' ports and starts the OIDC provider."""
        if not self.want_identity:
            return
        if self.want_nginx and not self.nginx_port:
            self.nginx_port = _free_port()
        if self.want_apache and not self.apache_port:
            self.apache_port = _free_port()
        front = self.nginx_port or self.apache_port
        services = os.path.join(os.path.dirname(os.path.abspath(__file__)),
            "services")
        if services not in sys.path:
            sys.path.insert(0, services)
        import oidc
        site = "http://127.0.0.1:%d" % front
        self.oidc = oidc.OidcProvider(os.path.join(self.base, "oidc"),
            redirect_uris=[site + "/login/oidc/callback"],
            post_logout_uris=[site + "/"],
            backchannel_uri=site + "/logout/backchannel",
            daemon=Daemon, error=StackError)
        self.oidc.start()

    def _stop_identity(self, errors):
        for what in ("_websso_daemons", "oidc"):
            objs = getattr(self, what, None)
            for o in (objs if isinstance(objs, list) else [objs]):
                if o is None:
                    continue
                try:
                    o.stop()
                except Exception as e:
                    errors.append(e)
        if self.sso_gateway is not None:
            self.sso_gateway.stop()

    def _identity_config(self):
        """The [session] [oidc] [websso] [roles] sections (a dict)."""
        if not self.want_identity:
            return {}
        conf = {
            # The suite signs in from 127.0.0.1 all the time: the address
            # limit is tested on instances of its own (test_auth_throttle).
            "session": {"cookie_secure": False, "throttle_account": 5,
                "throttle_address": 100000, "throttle_window": 900},
            "websso": {"enabled": self.want_websso,
                "user_param": "PORTICO_SSO_USER",
                "name_param": "PORTICO_SSO_NAME",
                "email_param": "PORTICO_SSO_EMAIL",
                "org_param": "PORTICO_SSO_ORG",
                "groups_param": "PORTICO_SSO_GROUPS"},
        }
        if self.oidc is not None:
            conf["oidc"] = self.oidc.oidc_config(allow_http=True, timeout=3,
                display_name="Halvard SSO (demo provider)")
        roles = {}
        for role, group in ROLE_GROUPS:
            roles.setdefault(role, []).append(group)
        conf["roles"] = roles
        return conf

    def websso_servers(self):
        """Starts (once) an nginx and an Apache whose /login/sso is behind
        the web server's SSO; returns {"nginx": url, "apache": url}."""
        if self._websso is not None:
            return self._websso
        self._websso_daemons = []
        self.sso_gateway = SsoGateway(SSO_USERS).start()
        urls = {}
        # nginx: the main nginx.conf with its directory and site swapped.
        src, d = os.path.join(self.base, "nginx"), os.path.join(self.base,
            "nginx-sso")
        os.makedirs(os.path.join(d, "tmp"))
        for f in ("fastcgi_params", "mime.types"):
            shutil.copy(os.path.join(src, f), d)
        port = _free_port()
        with open(os.path.join(d, "portico-site.conf"), "w") as f:
            f.write(websso_nginx_site(self.render_nginx_site(port),
                self.sso_gateway.url))
        with open(os.path.join(src, "nginx.conf")) as f:
            conf = f.read().replace(src + "/", d + "/")
        with open(os.path.join(d, "nginx.conf"), "w") as f:
            f.write(conf)
        n = Daemon("nginx-sso", ["nginx", "-p", d + "/", "-c",
            os.path.join(d, "nginx.conf"), "-e",
            os.path.join(d, "error.log")], os.path.join(d, "stderr.log"))
        self._websso_daemons.append(n)
        n.start()
        n.wait_until(lambda: _can_connect(("127.0.0.1", port)),
            "nginx-sso on 127.0.0.1:%d" % port)
        urls["nginx"] = "http://127.0.0.1:%d" % port
        # Apache: Basic credentials checked by Apache, then mod_rewrite
        # copies REMOTE_USER (and the user's attributes) into PORTICO_SSO_*.
        import base64
        import hashlib
        src, d = os.path.join(self.base, "apache"), os.path.join(self.base,
            "apache-sso")
        for sub in ("run", "logs"):
            os.makedirs(os.path.join(d, sub))
        port = _free_port()
        with open(os.path.join(d, "sso.htpasswd"), "w") as f:
            for login, u in SSO_USERS.items():
                f.write("%s:{SHA}%s\n" % (login, base64.b64encode(
                    hashlib.sha1(u["password"].encode()).digest()).decode()))
        os.chmod(d, 0o755)
        os.chmod(os.path.join(d, "sso.htpasswd"), 0o644)
        site = os.path.join(d, "portico-site.conf")
        with open(site, "w") as f:
            f.write(self.render_apache_site(port))
        sso = ["LoadModule %s %s/%s" % (m, APACHE_MODULES, so) for m, so in (
            ("auth_basic_module", "mod_auth_basic.so"),
            ("authn_core_module", "mod_authn_core.so"),
            ("authn_file_module", "mod_authn_file.so"),
            ("authz_user_module", "mod_authz_user.so"),
            ("rewrite_module", "mod_rewrite.so"))]
        sso += ["<Location /login/sso>",
            "    AuthType Basic",
            '    AuthName "Halvard SSO (test)"',
            "    AuthBasicProvider file",
            '    AuthUserFile "%s/sso.htpasswd"' % d,
            "    Require valid-user",
            "    RewriteEngine On",
            "    RewriteRule ^ - [E=PORTICO_SSO_USER:%{REMOTE_USER}]"]
        for login, u in SSO_USERS.items():
            flags = ",".join("E=PORTICO_SSO_%s:%s" % (k, v) for k, v in (
                ("NAME", u["name"]),
                ("EMAIL", u["email"]), ("ORG", u["org"]),
                ("GROUPS", ";".join(u["groups"]))) if v)
            sso += ["    RewriteCond %%{REMOTE_USER} =%s" % login,
                '    RewriteRule ^ - "[%s]"' % flags]
        sso.append("</Location>")
        with open(os.path.join(src, "apache.conf")) as f:
            lines = f.read().replace(src + "/", d + "/").replace(
                '"%s"' % src, '"%s"' % d).split("\n")
        out = []
        for line in lines:
            if line.startswith("Listen "):
                line = "Listen 127.0.0.1:%d" % port
            if line.startswith("Include "):
                out += sso
                line = "Include %s" % site
            out.append(line)
        conf = os.path.join(d, "apache.conf")
        with open(conf, "w") as f:
            f.write("\n".join(out))
        a = Daemon("apache2-sso", ["apache2", "-f", conf, "-D",
            "FOREGROUND"], os.path.join(d, "logs", "stderr.log"))
        self._websso_daemons.append(a)
        a.start()
        a.wait_until(lambda: _can_connect(("127.0.0.1", port)),
            "apache2-sso on 127.0.0.1:%d" % port)
        urls["apache"] = "http://127.0.0.1:%d" % port
        self._websso = urls
        return urls


# ----------------------------------------------------------------- stack

class Stack(_IdentityMixin):
    """A private mariadbd + portico + nginx + Apache; see the module doc."""

    def __init__(self, seed=False, nginx=True, apache=True, nginx_port=0,
        apache_port=0, workers=2, server=None, limits=None, src_dir=None,
        build_dir=None, ldap=True, identity=True, websso=True):
        self.src_dir = os.path.abspath(src_dir or SRC_DIR)
        bd = build_dir or os.environ.get("PORTICO_BUILD_DIR") or self.src_dir
        self.build_dir = os.path.abspath(os.path.join(self.src_dir, bd))
        self.portico_bin = os.path.join(self.build_dir, "portico")
        self.ctl_bin = os.path.join(self.build_dir, "porticoctl")
        self.seed = seed
        self.want_nginx = nginx
        self.want_apache = apache
        self.want_ldap = ldap
        self.slapd = None
        self.smtp = None  # mail: the SMTP sink (_start_smtp)
        self._identity_init(identity, websso)  # identity: see _IdentityMixin
        self.nginx_port = nginx_port
        self.apache_port = apache_port
        self.workers = workers
        self.server_overrides = dict(server or {})
        self.limits = dict(DEFAULT_LIMITS)
        self.limits.update(limits or {})
        self.base = None
        self.db = None
        self.portico = None
        self.nginx = None
        self.apache = None
        self.nginx_url = None
        self.apache_url = None
        self._instances = []
        self._ctl_reports = []
        self._log_offsets = {}
        self._old_handlers = {}
        self._stopped = False
        self.final_reports = []
        self.user = pwd.getpwuid(os.getuid()).pw_name
        self.is_root = os.getuid() == 0

    # -- paths

    @property
    def config_path(self):
        return os.path.join(self.base, "portico.conf")

    @property
    def collateral_dir(self):
        """[collateral] storage_dir of every config the stack writes."""
        return os.path.join(self.base, "collateral")

    def _make_collateral_dir(self):
        # As the README says for Debian: the portico user owns it, the
        # web server's group may read (setgid: new entries inherit it).
        d = self.collateral_dir
        os.makedirs(d, exist_ok=True)
        if self.is_root:
            os.chown(d, 0, grp.getgrnam("www-data").gr_gid)
        os.chmod(d, 0o2750)

    @property
    def log_path(self):
        return os.path.join(self.base, "portico.log")

    @property
    def db_socket(self):
        return os.path.join(self.base, "mysql.sock")

    @property
    def portico_pid(self):
        return self.portico.pid

    def worker_pids(self):
        return self.portico.worker_pids()

    # -- lifecycle

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
        return False

    def start(self):
        for b in (self.portico_bin, self.ctl_bin):
            if not os.access(b, os.X_OK):
                raise StackError("%s is not built (PORTICO_BUILD_DIR=%s); "
                    "run make first" % (b, self.build_dir))
        self.base = tempfile.mkdtemp(prefix="pt.", dir="/tmp")
        os.chmod(self.base, 0o755)
        atexit.register(self.stop)
        self._install_signals()
        try:
            self._start_db(fresh=True)
            self._setup_db()
            if self.want_ldap:
                self._start_slapd()
            self._start_identity()  # identity: OIDC provider, ports
            self._start_smtp()  # mail: SMTP sink for [mail]
            self.write_config(self.config_path, {"server":
                self.server_overrides})
            self.ctl("migrate")
            # collateral: the store exists before seed-demo puts the demo
            # library's files in it (as the web server's group may read).
            self._make_collateral_dir()
            if self.seed:
                self.ctl("seed-demo")
            self._copy_static()
            self.portico = Portico(self, self.config_path, self.log_path)
            self.portico.start()
            if self.want_nginx:
                self._start_nginx()
            if self.want_apache:
                self._start_apache()
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self):
        """Stops everything started (idempotent) and removes base."""
        if self._stopped or self.base is None:
            return
        self._stopped = True
        errors = []
        for d in (self.nginx, self.apache):
            if d is not None:
                try:
                    d.stop(signal.SIGTERM, 10)
                except Exception as e:  # keep going: stop the rest
                    errors.append(e)
        for p in reversed(self._instances):
            try:
                p.stop(timeout=15)
            except Exception as e:
                errors.append(e)
        self._stop_identity(errors)  # identity: see _IdentityMixin
        if self.smtp is not None:  # mail: the SMTP sink
            try:
                self.smtp.stop()
            except Exception as e:
                errors.append(e)
        if self.slapd is not None:
            try:
                self.slapd.stop()
            except Exception as e:
                errors.append(e)
        if self.db is not None:
            try:
                self.db.stop(signal.SIGTERM, 30)
            except Exception as e:
                errors.append(e)
        self._restore_signals()
        # What the daemons wrote while exiting (LeakSanitizer runs at exit).
        try:
            self.final_reports = self.sanitizer_reports()
        except OSError as e:
            errors.append(e)
        if os.environ.get("PT_KEEP") == "1":
            sys.stderr.write("stack: keeping %s\n" % self.base)
        else:
            shutil.rmtree(self.base, ignore_errors=True)
        try:
            atexit.unregister(self.stop)
        except Exception:
            pass
        if errors:
            raise errors[0]

    def _install_signals(self):
        if threading.current_thread() is not threading.main_thread():
            return
        def handler(signum, frame):
            raise KeyboardInterrupt("signal %d" % signum)
        for sig in (signal.SIGTERM, signal.SIGHUP):
            old = signal.getsignal(sig)
            if old in (signal.SIG_DFL, None):
                self._old_handlers[sig] = old
                signal.signal(sig, handler)

    def _restore_signals(self):
        if threading.current_thread() is not threading.main_thread():
            return
        for sig, old in self._old_handlers.items():
            signal.signal(sig, old or signal.SIG_DFL)
        self._old_handlers = {}

    def _register(self, inst):
        if inst not in self._instances:
            self._instances.append(inst)

    # -- MariaDB

    def _db_argv(self):
        return ["mariadbd", "--no-defaults", "--user=%s" % self.user,
            "--datadir=%s" % os.path.join(self.base, "db"),
            "--socket=%s" % self.db_socket,
            "--pid-file=%s" % os.path.join(self.base, "mariadbd.pid"),
            # Its own temporary files under base, not the shared /tmp
            # where another test server's cleanup could remove them.
            "--tmpdir=%s" % self.base,
            "--skip-networking", "--skip-name-resolve",
            "--log-error=%s" % os.path.join(self.base, "mariadb.log"),
            "--character-set-server=utf8mb4",
            "--collation-server=utf8mb4_unicode_ci",
            "--innodb-buffer-pool-size=64M",
            "--innodb-flush-log-at-trx-commit=2",
            "--max-connections=200"]

    def _start_db(self, fresh=False):
        datadir = os.path.join(self.base, "db")
        if fresh:
            r = subprocess.run(["mariadb-install-db", "--no-defaults",
                "--user=%s" % self.user, "--datadir=%s" % datadir,
                "--auth-root-authentication-method=normal",
                "--skip-test-db"], stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
            if r.returncode != 0:
                raise StackError("mariadb-install-db failed:\n%s" %
                    r.stdout.decode("utf-8", "replace")[-4000:])
        self.db = Daemon("mariadbd", self._db_argv(),
            os.path.join(self.base, "mariadb.stderr"))
        self.db.start()
        self.db.wait_until(self._db_ready, "mariadbd on %s" % self.db_socket)

    def _db_ready(self):
        # The server greets a new client with a handshake packet.
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.settimeout(1.0)
        try:
            s.connect(self.db_socket)
            return len(s.recv(64)) > 4
        except OSError:
            return False
        finally:
            s.close()

    def _setup_db(self):
        self.mysql("CREATE DATABASE portico CHARACTER SET utf8mb4; "
            "CREATE USER '%s'@'localhost' IDENTIFIED BY '%s'; "
            "GRANT ALL PRIVILEGES ON `portico%%`.* TO '%s'@'localhost';"
            % (DB_USER, DB_PASSWORD, DB_USER))

    def mysql(self, sql, db=None):
        """Runs SQL as root through the socket; returns stdout (-N -B)."""
        argv = ["mariadb", "--no-defaults", "-uroot",
            "--socket=%s" % self.db_socket, "-N", "-B"]
        if db:
            argv.append("--database=%s" % db)
        r = subprocess.run(argv + ["-e", sql], stdin=subprocess.DEVNULL,
            capture_output=True, text=True)
        if r.returncode != 0:
            raise StackError("mariadb: %s\nSQL: %s" % (r.stderr.strip(),
                sql))
        return r.stdout

    def stop_db(self):
        """Stops mariadbd cleanly (SIGTERM) and waits for it to exit."""
        self.db.stop(signal.SIGTERM, 30)

    def start_db(self):
        """Starts mariadbd again on the same datadir and socket."""
        if self.db is not None and self.db.alive():
            return
        self._start_db(fresh=False)

    # -- LDAP

    def _start_slapd(self):
        """Starts the demo directory (tests/services/slapd.py)."""
        services = os.path.join(os.path.dirname(os.path.abspath(__file__)),
            "services")
        if services not in sys.path:
            sys.path.insert(0, services)
        import slapd
        self.slapd = slapd.Slapd(os.path.join(self.base, "ldap"),
            daemon=Daemon, error=StackError)
        self.slapd.start()

    # -- mail (issue 6, outbound email): the SMTP sink -------------------
    # tests/services/smtp.py: aiosmtpd storing messages in BASE/smtp/maildir.
    # stack.smtp is the smtp.Smtp (url, messages(), clear(), stop()/start());
    # every portico.conf the stack writes gets [mail] pointing at it.

    def _start_smtp(self):
        """Starts the SMTP sink (tests/services/smtp.py)."""
        services = os.path.join(os.path.dirname(os.path.abspath(__file__)),
            "services")
        if services not in sys.path:
            sys.path.insert(0, services)
        import smtp
        self.smtp = smtp.Smtp(os.path.join(self.base, "smtp"),
            daemon=Daemon, error=StackError)
        self.smtp.start()

    # -- end mail ---------------------------------------------------------

    # -- portico

    def write_config(self, path, overrides=None, name="portico"):
        """Writes a portico.conf: the harness defaults, then overrides.

        overrides is {"server"|"limits"|"db"|"site"|"ldap": {key: value}}.
        """
        conf = {
            "server": {
                "listen": "unix:%s" % os.path.join(self.base,
                    name + ".sock"),
                "listen_mode": "0666",
                "workers": self.workers,
                "max_requests": 0,
                "drain_timeout": 10,
                "log_level": "info",
                "xslt_dir": os.path.join(self.src_dir, "xslt"),
                "sql_dir": os.path.join(self.src_dir, "sql"),
                "static_url": "/static",
                "debug_xml": True,
            },
            "limits": dict(self.limits),
            "db": {
                "host": "localhost",
                "socket": self.db_socket,
                "user": DB_USER,
                "password": DB_PASSWORD,
                "name": name,
                "connect_timeout": 2,
                "read_timeout": 10,
                "write_timeout": 10,
            },
            "site": {"name": "Portico"},
        }
        if self.slapd is not None:
            conf["ldap"] = self.slapd.ldap_config()
        conf.update(self._identity_config())  # identity: [session] ...
        if self.smtp is not None:  # mail: [mail] points at the sink
            conf["mail"] = self.smtp.mail_config()
        # collateral: the store the web servers hand downloads from, and
        # an upload limit small enough for tests to pass it.
        conf["collateral"] = {"storage_dir": self.collateral_dir,
            "max_upload": "8M"}
        for sec, kv in (overrides or {}).items():
            conf.setdefault(sec, {}).update(kv or {})
        return write_portico_conf(path, conf)

    def scratch_db(self, name, sql_dir=None, server=None, limits=None,
        db=None, site=None):
        """A portico.conf for a fresh, empty database portico_<name>.

        It listens on unix:BASE/<name>.sock and logs (when spawned) to
        BASE/portico-<name>.log.  Nothing is migrated.  Returns the path.
        """
        if not re.fullmatch(r"[a-z0-9_]{1,40}", name):
            raise ValueError("scratch name must be [a-z0-9_]{1,40}")
        dbname = "portico_" + name
        self.mysql("DROP DATABASE IF EXISTS `%s`; CREATE DATABASE `%s` "
            "CHARACTER SET utf8mb4;" % (dbname, dbname))
        srv = {"listen": "unix:%s" % os.path.join(self.base, name + ".sock")}
        if sql_dir:
            srv["sql_dir"] = os.path.abspath(sql_dir)
        srv.update(server or {})
        dbconf = {"name": dbname}
        dbconf.update(db or {})
        path = os.path.join(self.base, name + ".conf")
        return self.write_config(path, {"server": srv, "limits": limits,
            "db": dbconf, "site": site})

    def spawn_portico(self, config, wait=True, argv=None, address=None,
        stdin=None):
        """Starts another portico on config; stopped with the stack.

        argv replaces `portico -c config` (e.g. to run it under
        spawn-fcgi), address is where it answers when the config does not
        say (listen empty), stdin an fd handed over as fd 0.  Logs go to
        BASE/portico-<config name>.log.
        """
        name = os.path.splitext(os.path.basename(config))[0]
        log = os.path.join(self.base, "portico-%s.log" % name)
        return Portico(self, config, log, argv=argv, address=address,
            stdin=stdin).start(wait=wait)

    def restart_portico(self):
        """Stops the main portico (SIGTERM) and starts it again."""
        rc = self.portico.stop()
        self.portico.start()
        return rc

    def reload_portico(self):
        """SIGHUP to the main master: re-read config, roll the workers."""
        self.portico.reload()

    def ctl(self, *args, config=None, check=True, input=None, timeout=120):
        """Runs porticoctl -c CONFIG ARGS; returns the CompletedProcess."""
        argv = [self.ctl_bin, "-c", config or self.config_path]
        argv += [str(a) for a in args]
        r = subprocess.run(argv, input=input, capture_output=True, text=True,
            timeout=timeout, stdin=None if input is not None else
            subprocess.DEVNULL)
        for stream in (r.stdout, r.stderr):
            if any(p in stream for p in SANITIZER_PATTERNS):
                self._ctl_reports.append("porticoctl %s:\n%s" %
                    (" ".join(args), stream[-8000:]))
        if check and r.returncode != 0:
            raise StackError("porticoctl %s exited %d\nstdout:\n%s\n"
                "stderr:\n%s" % (" ".join(map(str, args)), r.returncode,
                r.stdout[-4000:], r.stderr[-4000:]))
        return r

    def sanitizer_reports(self):
        """Sanitizer reports that appeared since the last call.

        Scans the new part of every portico*.log under base (the main
        instance's and spawned ones') and porticoctl output; returns a list
        of excerpts, empty when clean.
        """
        out, self._ctl_reports = list(self._ctl_reports), []
        if self.base is None or not os.path.isdir(self.base):
            return out
        for name in sorted(os.listdir(self.base)):
            if not (name.startswith("portico") and name.endswith(".log")):
                continue
            path = os.path.join(self.base, name)
            off = self._log_offsets.get(path, 0)
            with open(path, "rb") as f:
                f.seek(off)
                data = f.read()
            self._log_offsets[path] = off + len(data)
            text = data.decode("utf-8", "replace")
            hits = [text.find(p) for p in SANITIZER_PATTERNS]
            hits = [i for i in hits if i >= 0]
            if hits:
                i = min(hits)
                out.append("%s:\n%s" % (path, text[max(0, i - 2000):
                    i + 6000]))
        return out

    def _copy_static(self):
        src = os.path.join(self.src_dir, "static")
        dst = os.path.join(self.base, "static")
        if os.path.isdir(src):
            shutil.copytree(src, dst)
        else:
            os.mkdir(dst)
        for root, dirs, files in os.walk(dst):
            os.chmod(root, 0o755)
            for f in files:
                os.chmod(os.path.join(root, f), 0o644)

    # -- web servers

    def _shipped(self, rel):
        with open(os.path.join(self.src_dir, rel)) as f:
            return f.read()

    def render_nginx_site(self, port):
        """conf/nginx/portico.conf with only its Debian paths and port
        replaced."""
        return _render(self._shipped("conf/nginx/portico.conf"), [
            (re.escape(DEBIAN_SOCKET), os.path.join(self.base, "portico.sock")),
            (re.escape(DEBIAN_STATIC), os.path.join(self.base, "static")),
            (re.escape(DEBIAN_COLLATERAL), self.collateral_dir),
            (r"^(\s*)listen\s+80;", r"\g<1>listen 127.0.0.1:%d;" % port),
        ], "conf/nginx/portico.conf")

    def render_apache_site(self, port):
        """conf/apache/portico.conf with only its Debian paths and port
        replaced."""
        return _render(self._shipped("conf/apache/portico.conf"), [
            (re.escape(DEBIAN_SOCKET), os.path.join(self.base, "portico.sock")),
            (re.escape(DEBIAN_STATIC), os.path.join(self.base, "static")),
            (re.escape(DEBIAN_COLLATERAL), self.collateral_dir),
            (r"<VirtualHost \*:80>", "<VirtualHost *:%d>" % port),
        ], "conf/apache/portico.conf")

    def _start_nginx(self):
        d = os.path.join(self.base, "nginx")
        os.makedirs(os.path.join(d, "tmp"))
        # The shipped site says `include fastcgi_params;`, resolved next
        # to nginx.conf as on Debian: use Debian's own files.
        for f in ("fastcgi_params", "mime.types"):
            shutil.copy(os.path.join("/etc/nginx", f), d)
        port = self.nginx_port or _free_port()
        site = os.path.join(d, "portico-site.conf")
        with open(site, "w") as f:
            f.write(self.render_nginx_site(port))
        t = os.path.join(d, "tmp")
        conf = "\n".join([
            "# Written by tests/stack.py: a private nginx.",
            "daemon off;",
            "master_process on;",
            "worker_processes 1;",
            "user root;" if self.is_root else "",
            "pid %s/nginx.pid;" % d,
            "error_log %s/error.log warn;" % d,
            "events { worker_connections 1024; }",
            "http {",
            "    include mime.types;",
            "    default_type application/octet-stream;",
            # The request id in the access log lets tests join it with
            # portico's log, as an operator would.
            "    log_format pt '$remote_addr [$time_local] \"$request\" "
            "$status $body_bytes_sent $request_id';",
            "    access_log %s/access.log pt;" % d,
            "    client_body_temp_path %s/body;" % t,
            "    fastcgi_temp_path %s/fastcgi;" % t,
            "    proxy_temp_path %s/proxy;" % t,
            "    uwsgi_temp_path %s/uwsgi;" % t,
            "    scgi_temp_path %s/scgi;" % t,
            "    include %s;" % site,
            "}",
            ""])
        with open(os.path.join(d, "nginx.conf"), "w") as f:
            f.write(conf)
        self.nginx = Daemon("nginx", ["nginx", "-p", d + "/", "-c",
            os.path.join(d, "nginx.conf"), "-e",
            os.path.join(d, "error.log")], os.path.join(d, "stderr.log"))
        self.nginx.log_path_error = os.path.join(d, "error.log")
        self.nginx.start()
        self.nginx.wait_until(lambda: _can_connect(("127.0.0.1", port)),
            "nginx on 127.0.0.1:%d" % port)
        self.nginx_port = port
        self.nginx_url = "http://127.0.0.1:%d" % port

    def _start_apache(self):
        d = os.path.join(self.base, "apache")
        for sub in ("run", "logs"):
            os.makedirs(os.path.join(d, sub))
        port = self.apache_port or _free_port()
        site = os.path.join(d, "portico-site.conf")
        with open(site, "w") as f:
            f.write(self.render_apache_site(port))
        lines = [
            "# Written by tests/stack.py: a private Apache httpd.",
            'ServerRoot "%s"' % d,
            'DefaultRuntimeDir "%s/run"' % d,
            'PidFile "%s/run/apache2.pid"' % d,
            # As Debian's envvars would: the shipped vhost logs there.
            'Define APACHE_LOG_DIR "%s/logs"' % d,
            "ServerName 127.0.0.1",
            "Listen 127.0.0.1:%d" % port,
        ]
        for mod, so in APACHE_LOAD:
            lines.append("LoadModule %s %s/%s" % (mod, APACHE_MODULES, so))
        if self.is_root:
            lines += ["User www-data", "Group www-data"]
        lines += [
            'ErrorLog "%s/logs/error.log"' % d,
            "LogLevel warn",
            'LogFormat "%h %l %u %t \\"%r\\" %>s %b %{UNIQUE_ID}e" common',
            'CustomLog "%s/logs/access.log" common' % d,
            "TypesConfig /etc/mime.types",
            "StartServers 1",
            "ServerLimit 2",
            "ThreadsPerChild 32",
            "MaxRequestWorkers 64",
            "MinSpareThreads 8",
            "MaxSpareThreads 64",
            "Timeout 60",
            # As Debian's apache2.conf: nothing is served unless granted.
            "<Directory />",
            "    Options FollowSymLinks",
            "    AllowOverride None",
            "    Require all denied",
            "</Directory>",
            "Include %s" % site,
            "",
        ]
        conf = os.path.join(d, "apache.conf")
        with open(conf, "w") as f:
            f.write("\n".join(lines))
        self.apache = Daemon("apache2", ["apache2", "-f", conf, "-D",
            "FOREGROUND"], os.path.join(d, "logs", "stderr.log"))
        self.apache.log_path_error = os.path.join(d, "logs", "error.log")
        self.apache.start()
        self.apache.wait_until(lambda: _can_connect(("127.0.0.1", port)),
            "apache2 on 127.0.0.1:%d" % port)
        self.apache_port = port
        self.apache_url = "http://127.0.0.1:%d" % port

    def url(self, server):
        """The base URL of "nginx" or "apache"."""
        return {"nginx": self.nginx_url, "apache": self.apache_url}[server]

    def log_paths(self):
        """Every log under base, for post-mortems."""
        out = []
        for root, _, files in os.walk(self.base or "/nonexistent"):
            out += [os.path.join(root, f) for f in files
                if f.endswith(".log") or f.endswith(".stderr")]
        return sorted(out)


# ------------------------------------------------------------------- CLI

def _demo(args):
    # Ctrl-C stops the demo even when started from a shell that ignores
    # SIGINT for background jobs.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    stack = Stack(seed=True, apache=False, nginx_port=args.port,
        websso=False)
    if _can_connect(("127.0.0.1", args.port)):
        sys.stderr.write("demo: 127.0.0.1:%d is already in use\n" % args.port)
        return 1
    try:
        stack.start()
        print("Portico demo: %s/  (private stack under %s; Ctrl-C stops it)"
            % (stack.nginx_url, stack.base), flush=True)
        print("Directory: %s (users and passwords: "
            "tests/fixtures/ldap/README.md)" % stack.slapd.uri, flush=True)
        if stack.oidc is not None:
            print("OpenID provider: %s (\"Sign in with Halvard SSO\"; users "
                "and passwords: tests/oidc/provider.mjs USERS)" %
                stack.oidc.issuer, flush=True)
        while True:
            for d in (stack.db, stack.portico.daemon, stack.nginx,
                    stack.slapd.daemon, stack.oidc and stack.oidc.daemon):
                if d is not None and not d.alive():
                    sys.stderr.write("demo: %s exited (%s); last log "
                        "lines:\n%s\n" % (d.name, d.returncode(),
                        _tail(d.log_path)))
                    return 1
            time.sleep(0.5)
    except KeyboardInterrupt:
        print("\ndemo: stopping", flush=True)
        return 0
    except StackError as e:
        sys.stderr.write("demo: %s\n" % e)
        return 1
    finally:
        stack.stop()


def main(argv=None):
    ap = argparse.ArgumentParser(prog="stack.py",
        description="Private Portico stack (see the module docstring).")
    sub = ap.add_subparsers(dest="cmd", required=True)
    d = sub.add_parser("demo", help="serve the demo through nginx until "
        "Ctrl-C")
    d.add_argument("--port", type=int, default=8080)
    args = ap.parse_args(argv)
    if args.cmd == "demo":
        return _demo(args)
    return 2


if __name__ == "__main__":
    sys.exit(main())
