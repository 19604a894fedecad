"""`make install` puts everything where a Debian administrator expects it,
and the installed tree works on its own: the installed porticoctl migrates a
database from the installed sql/, and the installed portico serves pages
from the installed stylesheets.

Installs with DESTDIR into a temporary directory, from the build directory
the rest of the suite uses (PORTICO_BUILD_DIR).
"""

import os
import subprocess
import tempfile

import pytest

import stack as stackmod


def _make_var(build_dir, name):
    """The value automake substituted for a Makefile variable."""
    out = subprocess.run(
        ["make", "-s", "-C", build_dir, "--no-print-directory", "-f",
         "Makefile", "-f", "-", "print-var", "V=" + name],
        input="print-var:\n\t@echo $($(V))\n", capture_output=True,
        text=True, check=True)
    return out.stdout.strip()


@pytest.fixture(scope="module")
def installed(stack):
    dest = tempfile.mkdtemp(prefix="pt-inst.")
    r = subprocess.run(["make", "-C", stack.build_dir, "install",
                        "DESTDIR=" + dest], capture_output=True, text=True)
    assert r.returncode == 0, r.stdout[-2000:] + r.stderr[-2000:]
    dirs = {v: _make_var(stack.build_dir, v)
            for v in ("sbindir", "pkgdatadir", "sysconfdir")}
    yield dest, dirs
    subprocess.run(["rm", "-rf", dest], check=False)


def test_install_layout(installed):
    dest, d = installed
    expect = [
        d["sbindir"] + "/portico",
        d["sbindir"] + "/porticoctl",
        d["pkgdatadir"] + "/xslt/common.xsl",
        d["pkgdatadir"] + "/xslt/error.xsl",
        d["pkgdatadir"] + "/xslt/home/index.xsl",
        d["pkgdatadir"] + "/sql/0001_program.sql",
        d["pkgdatadir"] + "/sql/demo/0001_program.sql",
        d["pkgdatadir"] + "/static/portico.css",
        d["sysconfdir"] + "/portico/portico.conf.sample",
        d["sysconfdir"] + "/portico/nginx/portico.conf",
        d["sysconfdir"] + "/portico/apache/portico.conf",
        d["sysconfdir"] + "/portico/systemd/portico.service",
        d["sysconfdir"] + "/portico/systemd/portico.socket",
    ]
    missing = [p for p in expect if not os.path.isfile(dest + p)]
    assert missing == []
    for prog in ("portico", "porticoctl"):
        assert os.access(dest + d["sbindir"] + "/" + prog, os.X_OK)
    # Every migration and stylesheet of the source tree is installed.
    src_sql = sorted(f for f in os.listdir(
        os.path.join(stack_src(), "sql")) if f.endswith(".sql"))
    inst_sql = sorted(f for f in os.listdir(
        dest + d["pkgdatadir"] + "/sql") if f.endswith(".sql"))
    assert inst_sql == src_sql


def stack_src():
    return os.path.dirname(os.path.dirname(os.path.dirname(
        os.path.abspath(__file__))))


def test_installed_tree_migrates_and_serves(stack, installed):
    dest, d = installed
    share = dest + d["pkgdatadir"]
    sbin = dest + d["sbindir"]
    conf = stack.scratch_db("installed", sql_dir=share + "/sql",
                            server={"xslt_dir": share + "/xslt"})
    r = subprocess.run([sbin + "/porticoctl", "-c", conf, "migrate"],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    r = subprocess.run([sbin + "/porticoctl", "-c", conf, "seed-demo"],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    r = subprocess.run([sbin + "/portico", "-c", conf, "-t"],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr

    p = stack.spawn_portico(conf, argv=[sbin + "/portico", "-c", conf])
    try:
        resp = p.request("GET", "/")
        assert resp.status == 200
        assert b"Platinum" in resp.body
        assert resp.header("Content-Type").startswith("text/html")
    finally:
        assert p.stop(timeout=30) == 0
