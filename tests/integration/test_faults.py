"""Faults: killed workers, drains, reloads, recycling, crash loops, a lost
database.

The database tests run on the shared stack through both web servers (they
restore it).  The process-manager tests each get a fresh portico instance
(scratch_portico: own database, socket and log) and talk FastCGI to it
directly, which lets them tell exactly which requests were in flight:

  * load comes from a few threads, each sending one request at a time,
    bounded in count and time (Load below);
  * a request is "in flight" at a signal if its connection was made before
    the signal was sent (FcgiResponse/FcgiError.connected_at);
  * to hold requests inside workers for as long as a test needs, a client
    session takes LOCK TABLES ... WRITE on the instance's tables: "/" then
    waits in MariaDB (seen in the processlist) until UNLOCK TABLES.

The crash loop is provoked by starting an instance on a private copy of
xslt/ and then renaming that copy away and killing the workers: every new
worker fails to load its stylesheets and exits at once (status 2), which
is exactly a worker dying young in a loop.  The master validates the
stylesheets before it starts and on SIGHUP, so a config that lacks them
from the start would be refused rather than crash-looped.
"""

import os
import re
import shutil
import signal
import subprocess
import threading
import time

import pytest

import stack as stackmod
from test_pages import check_error_page


# ------------------------------------------------------------------ load

class Result:
    def __init__(self, t0, t1, connected_at, status=None, error=None,
        complete=False):
        self.t0, self.t1 = t0, t1
        self.connected_at = connected_at
        self.status = status
        self.error = error
        self.complete = complete

    @property
    def ok(self):
        return self.status == 200 and self.complete

    def __repr__(self):
        return "<%s at %.3f (connected %s): %s>" % (
            "ok" if self.ok else "FAIL", self.t0,
            "%.3f" % self.connected_at if self.connected_at else "never",
            self.status if self.error is None else repr(self.error))


def one_request(portico, uri, on_connect=None):
    t0 = time.monotonic()
    try:
        r = portico.request("GET", uri, timeout=30, on_connect=on_connect)
    except stackmod.FcgiError as e:
        return Result(t0, time.monotonic(), e.connected_at, error=e)
    except OSError as e:
        return Result(t0, time.monotonic(), None, error=e)
    cl = r.header("Content-Length")
    complete = r.app_status == 0 and (cl is None or int(cl) == len(r.body))
    return Result(t0, time.monotonic(), r.connected_at, r.status,
        complete=complete)


class Load:
    """A bounded load: threads each send requests one after another."""

    def __init__(self, portico, uri="/", threads=4, max_requests=5000,
        max_seconds=90):
        self.portico = portico
        self.uri = uri
        self.nthreads = threads
        self.max_requests = max_requests
        self.deadline = time.monotonic() + max_seconds
        self.results = []
        self.connects = 0
        self.lock = threading.Lock()
        self.stop_event = threading.Event()
        self.threads = []

    def _run(self):
        while not self.stop_event.is_set() and \
                time.monotonic() < self.deadline:
            with self.lock:
                if len(self.results) >= self.max_requests:
                    return
            res = one_request(self.portico, self.uri, self._connected)
            with self.lock:
                self.results.append(res)
            if res.connected_at is None:
                # Nothing listens (any more): do not spin.
                self.stop_event.wait(0.02)

    def _connected(self):
        with self.lock:
            self.connects += 1

    def start(self):
        for _ in range(self.nthreads):
            t = threading.Thread(target=self._run, daemon=True)
            t.start()
            self.threads.append(t)
        return self

    def ok_count(self):
        with self.lock:
            return sum(1 for r in self.results if r.ok)

    def wait_ok(self, more, timeout=60):
        """Waits until `more` further requests have succeeded."""
        target = self.ok_count() + more
        deadline = time.monotonic() + timeout
        while self.ok_count() < target:
            assert time.monotonic() < deadline, \
                "load stalled: %d ok, want %d" % (self.ok_count(), target)
            assert any(t.is_alive() for t in self.threads), "load ended"
            time.sleep(0.01)

    def stop(self):
        self.stop_event.set()
        for t in self.threads:
            t.join(60)
        with self.lock:
            return list(self.results)


def wait_until(cond, what, timeout=30):
    deadline = time.monotonic() + timeout
    while not cond():
        assert time.monotonic() < deadline, "timed out waiting for " + what
        time.sleep(0.02)


def sequential_ok(portico, n, uri="/"):
    for i in range(n):
        r = one_request(portico, uri)
        assert r.ok, "request %d of %d after the fault: %r" % (i + 1, n, r)


# ------------------------------------------------------------ table lock

class TableLock:
    """Holds LOCK TABLES ... WRITE on every table of a database."""

    def __init__(self, stack, db):
        self.stack = stack
        self.db = db
        tables = stack.mysql("SELECT table_name FROM information_schema."
            "tables WHERE table_schema = '%s' AND table_type = 'BASE TABLE'"
            % db).split()
        assert tables, "no tables in %s" % db
        self.proc = subprocess.Popen(["mariadb", "--no-defaults", "-uroot",
            "--socket=%s" % stack.db_socket, "-N", "-B", "--unbuffered",
            "--database=%s" % db], stdin=subprocess.PIPE,
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self.proc.stdin.write("LOCK TABLES %s;\nSELECT 'locked';\n" %
            ", ".join("`%s` WRITE" % t for t in tables))
        self.proc.stdin.flush()
        line = self.proc.stdout.readline().strip()
        assert line == "locked", "LOCK TABLES failed: %r" % line

    def waiting(self):
        """Queries of user portico waiting for the lock."""
        return int(self.stack.mysql("SELECT COUNT(*) FROM information_"
            "schema.processlist WHERE db = '%s' AND user = 'portico' AND "
            "state LIKE '%%lock%%'" % self.db).strip())

    def release(self):
        if self.proc is None:
            return
        try:
            self.proc.stdin.write("UNLOCK TABLES;\n")
            self.proc.stdin.close()
        except BrokenPipeError:
            pass
        try:
            self.proc.wait(15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.proc = None


def held_requests(portico, n, uri="/"):
    """Starts n requests in threads; returns (threads, results list)."""
    results = []

    def run():
        results.append(one_request(portico, uri))
    threads = [threading.Thread(target=run, daemon=True) for _ in range(n)]
    for t in threads:
        t.start()
    return threads, results


def sig_pending(pid, sig):
    """True if sig is pending for pid (thread or process queue)."""
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                k, _, v = line.partition(":")
                if k in ("SigPnd", "ShdPnd") and int(v, 16) & \
                        (1 << (sig - 1)):
                    return True
    except FileNotFoundError:
        pass
    return False


def master_lines(portico):
    tag = "portico[%d]:" % portico.pid
    return [ln for ln in portico.log_text().splitlines() if tag in ln]


# ----------------------------------------------------- database faults

@pytest.fixture
def fresh_portico_after(stack):
    """Restarts the shared portico after a database test, pass or fail,
    so that a worker left with a cut connection cannot fail later tests."""
    yield
    if not stack.db.alive():
        stack.start_db()
    stack.restart_portico()


def test_db_down_answers_503_and_recovers(stack, get, webserver,
    fresh_portico_after):
    workers = stack.worker_pids()
    stack.stop_db()
    try:
        for path in ("/", "/healthz", "/", "/healthz", "/?format=xml"):
            r = get(path)
            check_error_page(r, 503, "database")
        assert stack.portico.alive(), "portico died with the database"
        assert stack.worker_pids() == workers, "workers crashed"
    finally:
        stack.start_db()
    # No restart of portico: the very next request reconnects.
    for i, path in enumerate(["/", "/healthz"] * 4):
        r = get(path)
        assert r.status == 200, "request %d (%s) after the database came " \
            "back: %d %s" % (i + 1, path, r.status, r.text[:300])
    assert stack.worker_pids() == workers


def test_db_restart_while_idle_next_request_succeeds(stack, get, webserver,
    fresh_portico_after):
    # Every worker holds a connection the restart has cut; none has seen
    # the outage.  The next requests must still succeed.
    for _ in range(4):
        assert get("/").status == 200
    workers = stack.worker_pids()
    stack.stop_db()
    stack.start_db()
    for i, path in enumerate(["/", "/healthz"] * 4):
        r = get(path)
        assert r.status == 200, "request %d (%s) after a database restart: " \
            "%d %s" % (i + 1, path, r.status, r.text[:300])
    assert stack.worker_pids() == workers


# ------------------------------------------------------ process manager

def test_sigkill_worker_under_load(scratch_portico):
    p = scratch_portico("kill", workers=2)
    workers = p.wait_workers(2)
    load = Load(p, "/", threads=4).start()
    try:
        load.wait_ok(40)
        victim = workers[0]
        os.kill(victim, signal.SIGKILL)
        new = p.wait_workers(2, exclude=[victim], timeout=15)
        assert victim not in new and workers[1] in new
        load.wait_ok(40)
    finally:
        results = load.stop()
    bad_status = [r for r in results if r.status not in (None, 200) or
        (r.status == 200 and not r.complete)]
    assert not bad_status, bad_status[:5]
    failed = [r for r in results if not r.ok]
    # Only the request the victim held (one at a time) may fail.
    assert len(failed) <= 1, failed[:10]
    assert all(isinstance(r.error, stackmod.FcgiError) for r in failed), \
        failed
    sequential_ok(p, 20)
    assert p.alive()
    assert any(("worker %d" % victim) in ln and "signal 9" in ln
        for ln in master_lines(p)), "master did not log the killed worker"


def test_sigterm_under_load_drains_in_flight_requests(stack,
    scratch_portico):
    drain = 15
    p = scratch_portico("term", workers=2, drain_timeout=drain)
    p.wait_workers(2)
    lock = TableLock(stack, "portico_term")
    try:
        # Two requests held inside the two workers ...
        held, held_results = held_requests(p, 2)
        wait_until(lambda: lock.waiting() == 2, "2 requests in MariaDB")
        # ... and more queued behind them on the socket.
        load = Load(p, "/healthz", threads=4).start()
        wait_until(lambda: load.connects >= 4, "the load to connect", 10)
        workers = p.worker_pids()
        t_term = time.monotonic()
        os.kill(p.pid, signal.SIGTERM)
        # The drain reached the workers while they hold their requests:
        # SIGTERM is pending (blocked while a request is in progress).
        wait_until(lambda: all(sig_pending(w, signal.SIGTERM)
            for w in workers), "SIGTERM to reach the busy workers", 10)
        assert p.alive(), "master exited with requests in flight"
        assert set(p.worker_pids()) == set(workers)
    finally:
        lock.release()
    try:
        rc = p.daemon.proc.wait(drain + 5)
    except subprocess.TimeoutExpired:
        pytest.fail("master still running %ds after SIGTERM" % (drain + 5))
    t_exit = time.monotonic()
    for t in held:
        t.join(30)
    results = load.stop()
    assert rc == 0, "master exited %d after a drain" % rc
    assert t_exit - t_term < drain, "drain took %.1fs" % (t_exit - t_term)
    assert len(held_results) == 2 and all(r.ok for r in held_results), \
        held_results
    early = [r for r in results if r.connected_at is not None and
        r.connected_at < t_term]
    assert early, "no load request was in flight at SIGTERM"
    assert all(r.ok for r in early), [r for r in early if not r.ok][:5]
    late_bad = [r for r in results if r.status not in (None, 200)]
    assert not late_bad, late_bad[:5]
    never = [r for r in results if r.connected_at is None]
    assert all(r.t0 > t_term for r in never), \
        "a connection was refused before SIGTERM"
    assert not p.worker_pids() and not stackmod.children_of(p.pid)
    assert not os.path.exists(p.address[5:]), "socket left behind"


def test_drain_timeout_bounds_shutdown(stack, scratch_portico):
    p = scratch_portico("drain", workers=1, drain_timeout=1)
    worker = p.wait_workers(1)[0]
    lock = TableLock(stack, "portico_drain")
    try:
        held, held_results = held_requests(p, 1)
        wait_until(lambda: lock.waiting() == 1, "1 request in MariaDB")
        t_term = time.monotonic()
        os.kill(p.pid, signal.SIGTERM)
        try:
            rc = p.daemon.proc.wait(10)
        except subprocess.TimeoutExpired:
            pytest.fail("master ignored drain_timeout = 1")
        elapsed = time.monotonic() - t_term
    finally:
        lock.release()
    for t in held:
        t.join(30)
    assert 0.8 <= elapsed < 5, "exit %.1fs after SIGTERM" % elapsed
    assert rc != 0, "a drain that timed out must not exit 0"
    assert stackmod._proc_stat(worker) is None, "the stuck worker survived"
    assert held_results and not held_results[0].ok


def edit_config(path, section, key, value):
    conf = stackmod.read_portico_conf(path)
    conf[section][key] = value
    stackmod.write_portico_conf(path, conf)


def test_sighup_reload_under_load_drops_nothing(scratch_portico):
    p = scratch_portico("hup", workers=2)
    old = set(p.wait_workers(2))
    master = p.pid
    load = Load(p, "/", threads=4).start()
    try:
        load.wait_ok(40)
        # The new configuration: one more worker and another site name.
        edit_config(p.config, "server", "workers", 3)
        edit_config(p.config, "site", "name", "Reloaded Partner Hub")
        p.reload()
        new = p.wait_workers(3, exclude=old, timeout=30)
        load.wait_ok(40)
    finally:
        results = load.stop()
    failed = [r for r in results if not r.ok]
    assert not failed, "%d of %d requests failed across SIGHUP: %s" % (
        len(failed), len(results), failed[:5])
    assert p.pid == master and p.alive()
    assert not old.intersection(new)
    r = p.request("GET", "/")
    assert r.status == 200 and b"Reloaded Partner Hub" in r.body, \
        "the reloaded [site] name is not on the page"


def test_sighup_rereads_stylesheets_and_refuses_broken_ones(stack,
    scratch_portico):
    xslt = os.path.join(stack.base, "xslt-reload")
    shutil.copytree(os.path.join(stack.src_dir, "xslt"), xslt)
    p = scratch_portico("hupxsl", workers=2, xslt_dir=xslt)
    old = set(p.wait_workers(2))
    index = os.path.join(xslt, "home", "index.xsl")
    with open(index, "rb") as f:
        good = f.read()
    with open(index, "wb") as f:
        f.write(good[:len(good) // 2])     # no longer well-formed
    before = len(master_lines(p))
    p.reload()
    wait_until(lambda: any(re.search(r"(?i)refus", ln) for ln in
        master_lines(p)[before:]), "the master to refuse the reload", 15)
    assert set(p.worker_pids()) == old, "workers replaced by a broken reload"
    sequential_ok(p, 6)
    # Fixed again: the reload goes through and the workers roll.
    with open(index, "wb") as f:
        f.write(good)
    p.reload()
    p.wait_workers(2, exclude=old, timeout=30)
    sequential_ok(p, 6)


REQUEST_LINE = re.compile(r"portico\[(\d+)\]: \w+ rid=\S+ (?:GET|HEAD|POST) "
    r"(\S+) ")


def requests_per_worker(portico):
    """[(worker pid, [paths])] in order of first appearance, from the
    per-request log lines (one per request, written by the worker)."""
    order, paths = [], {}
    for m in REQUEST_LINE.finditer(portico.log_text()):
        pid = int(m.group(1))
        if pid not in paths:
            order.append(pid)
            paths[pid] = []
        paths[pid].append(m.group(2))
    return [(pid, paths[pid]) for pid in order]


def test_max_requests_recycles_a_worker(scratch_portico):
    n = 5
    sent = 3 * n + 2
    p = scratch_portico("recycle", workers=1, max_requests=n)
    first = p.wait_workers(1)[0]
    for i in range(sent):
        r = one_request(p, "/")
        assert r.ok, "request %d: %r" % (i + 1, r)
    # Every request is logged once by the worker that served it.
    wait_until(lambda: sum(paths.count("/") for _, paths in
        requests_per_worker(p)) == sent, "the request log lines", 10)
    served = requests_per_worker(p)
    assert served[0][0] == first
    assert len(served) >= 4, "expected 3 recycles: %s" % served
    for pid, paths in served[:-1]:
        # The readiness probe (/healthz) counts too: a request is a request.
        assert len(paths) == n, "worker %d served %d, max_requests = %d" % (
            pid, len(paths), n)
        assert stackmod._proc_stat(pid) is None, "worker %d lives on" % pid
    assert 1 <= len(served[-1][1]) <= n
    sequential_ok(p, 3)
    # A recycle is not a crash: nothing about backoff or dying.
    assert not [ln for ln in master_lines(p)
        if re.search(r"(?i)backoff|respawn in|keep dying|killed by|exited "
            r"with status", ln)]


def test_crash_loop_backs_off_and_recovers(stack, scratch_portico):
    xslt = os.path.join(stack.base, "xslt-crash")
    shutil.copytree(os.path.join(stack.src_dir, "xslt"), xslt)
    p = scratch_portico("crash", workers=2, xslt_dir=xslt)
    workers = p.wait_workers(2)
    os.rename(xslt, xslt + ".away")
    try:
        for w in workers:
            os.kill(w, signal.SIGKILL)
        t0 = time.monotonic()
        window = 5.0
        while time.monotonic() - t0 < window:
            assert p.alive(), "the master died in the crash loop"
            time.sleep(0.1)
        lines = master_lines(p)
        exits = [ln for ln in lines if re.search(r"worker \d+ exited with "
            r"status [1-9]", ln)]
        # Workers do die young over and over ...
        assert len(exits) >= 3, "no crash loop was provoked: %s" % lines[-10:]
        # ... but with backoff, not as a fork bomb (without it this would
        # be thousands in the window).
        assert len(exits) <= 25, "%d worker deaths in %.0fs" % (len(exits),
            window)
        assert any(re.search(r"(?i)backoff|respawn in", ln) for ln in lines), \
            "the master does not log its backoff"
    finally:
        os.rename(xslt + ".away", xslt)
    # The stylesheets are back: workers come back without a restart.
    p.wait_workers(2, timeout=70)
    p.wait_ready(timeout=70)
    sequential_ok(p, 5)


# ----------------------------------------------------- listening modes

@pytest.mark.parametrize("mode", ["tcp", "spawn-fcgi", "systemd"])
def test_listen_modes(stack, mode):
    name = "listen_" + mode.replace("-", "")
    port = stackmod._free_port()
    sock = os.path.join(stack.base, name + "-in.sock")
    conf = stack.scratch_db(name, server={"listen": "127.0.0.1:%d" % port
        if mode == "tcp" else ""})
    stack.ctl("migrate", config=conf)
    stack.ctl("seed-demo", config=conf)
    if mode == "tcp":
        p = stack.spawn_portico(conf)
    elif mode == "spawn-fcgi":
        # spawn-fcgi makes the socket, puts it on fd 0 and execs portico.
        p = stack.spawn_portico(conf, argv=["spawn-fcgi", "-n", "-s", sock,
            "-M", "0666", "--", stack.portico_bin, "-c", conf],
            address="unix:" + sock)
    else:
        # systemd socket activation: the socket on fd 3, LISTEN_PID/FDS.
        import socket as socketmod
        ls = socketmod.socket(socketmod.AF_UNIX, socketmod.SOCK_STREAM)
        ls.bind(sock)
        ls.listen(64)
        try:
            p = stack.spawn_portico(conf, argv=["sh", "-c",
                'exec 3<&0 0</dev/null; LISTEN_PID=$$ LISTEN_FDS=1 '
                'exec "$0" "$@"', stack.portico_bin, "-c", conf],
                address="unix:" + sock, stdin=ls.fileno())
        finally:
            ls.close()
    try:
        r = p.request("GET", "/")
        assert r.status == 200 and b"</html>" in r.body
        assert len(p.wait_workers(stack.workers)) == stack.workers
    finally:
        rc = p.stop()
    assert rc == 0
