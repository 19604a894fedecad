"""test_ctl.py - porticoctl against the real mariadbd of the test stack.

Covers the migration runner (apply, record, re-run, status, failure, the
lock between concurrent runs), seed-demo, the configuration parser's error
messages as an administrator sees them, --help, and the `routes` format
that the guard tests parse.  Each test works on its own scratch database
(stack.scratch_db), so the main stack's data is never touched.
"""

import hashlib
import os
import re
import shutil
import subprocess

import stack as stackmod

MIGRATION_RE = re.compile(r"^(\d{4})_[A-Za-z0-9_-]+\.sql$")
COMMANDS = ["migrate", "status", "seed-demo", "check-config", "routes"]
DEMO_TABLES = ["program", "program_tiers", "program_tier_items",
    "organisations"]


def sql_dir(stack):
    return os.path.join(stack.src_dir, "sql")


def migration_files(directory):
    """{version: (name, sha256)} of the NNNN_*.sql files in directory."""
    out = {}
    for name in sorted(os.listdir(directory)):
        m = MIGRATION_RE.match(name)
        if m:
            with open(os.path.join(directory, name), "rb") as f:
                out[int(m.group(1))] = (name,
                    hashlib.sha256(f.read()).hexdigest())
    return out


def applied(stack, db):
    """{version: (name, checksum)} from schema_migrations."""
    out = {}
    for line in stack.mysql("SELECT version, name, checksum FROM "
            "schema_migrations ORDER BY version", db=db).splitlines():
        v, name, checksum = line.split("\t")
        out[int(v)] = (name, checksum)
    return out


def status_rows(stdout):
    """{file: state} from `porticoctl status`."""
    rows = {}
    lines = stdout.splitlines()
    assert lines[0].split()[:2] == ["VERSION", "STATE"], stdout
    for line in lines[1:]:
        f = line.split()
        if len(f) >= 4 and re.fullmatch(r"\d{4}", f[0]):
            rows[f[-1]] = f[1]
    return rows


def table_dump(stack, db):
    """Every row of the demo tables, for before/after comparisons."""
    return {t: stack.mysql("SELECT * FROM %s ORDER BY 1, 2" % t, db=db)
        for t in DEMO_TABLES}


def copy_migrations(stack, dest, upto=None):
    os.makedirs(dest, exist_ok=True)
    for v, (name, _) in migration_files(sql_dir(stack)).items():
        if upto is None or v <= upto:
            shutil.copy(os.path.join(sql_dir(stack), name), dest)
    return dest


def test_migrate_applies_all_and_records_them(stack):
    conf = stack.scratch_db("ctl_apply")
    files = migration_files(sql_dir(stack))
    assert len(files) >= 2

    r = stack.ctl("migrate", config=conf)
    for name, _ in files.values():
        assert "applying %s" % name in r.stderr

    # Every file is recorded under its number with its exact checksum.
    assert applied(stack, "portico_ctl_apply") == files
    tables = set(stack.mysql("SHOW TABLES", db="portico_ctl_apply").split())
    assert set(DEMO_TABLES) <= tables
    # The session settings of db.c are in force: times are UTC and stored.
    at = stack.mysql("SELECT MAX(applied_at) > UTC_TIMESTAMP() - INTERVAL "
        "10 MINUTE FROM schema_migrations", db="portico_ctl_apply")
    assert at.strip() == "1"


def test_migrate_again_is_a_noop(stack):
    conf = stack.scratch_db("ctl_noop")
    stack.ctl("migrate", config=conf)
    before = stack.mysql("SELECT * FROM schema_migrations ORDER BY version",
        db="portico_ctl_noop")

    r = stack.ctl("migrate", config=conf)
    assert "applying" not in r.stderr
    assert "nothing to do" in r.stderr
    after = stack.mysql("SELECT * FROM schema_migrations ORDER BY version",
        db="portico_ctl_noop")
    assert before == after


def test_status_lists_pending_applied_and_modified(stack, tmp_path):
    migs = copy_migrations(stack, str(tmp_path / "sql"))
    conf = stack.scratch_db("ctl_status", sql_dir=migs)
    names = [n for n, _ in migration_files(migs).values()]

    rows = status_rows(stack.ctl("status", config=conf).stdout)
    assert rows == {n: "pending" for n in names}

    stack.ctl("migrate", config=conf)
    r = stack.ctl("status", config=conf)
    assert status_rows(r.stdout) == {n: "applied" for n in names}
    assert "%d applied, 0 pending" % len(names) in r.stdout

    # Editing an applied file is reported, never re-run.
    with open(os.path.join(migs, names[0]), "a") as f:
        f.write("\n-- edited after release\n")
    rows = status_rows(stack.ctl("status", config=conf).stdout)
    assert rows[names[0]] == "modified"
    r = stack.ctl("migrate", config=conf)
    assert "%s was modified" % names[0] in r.stderr
    assert "applying" not in r.stderr


def test_failing_migration_stops_and_keeps_earlier_ones(stack, tmp_path):
    migs = copy_migrations(stack, str(tmp_path / "sql"), upto=1)
    first = migration_files(migs)[1][0]
    with open(os.path.join(migs, "0002_broken.sql"), "w") as f:
        # The INSERT must be rolled back with the failing statement.
        f.write("INSERT INTO program (id, name, intro) VALUES "
            "(1, 'Half done', 'x');\nSELEKT broken FROM nowhere;\n")
    with open(os.path.join(migs, "0003_after.sql"), "w") as f:
        f.write("CREATE TABLE never_created (id INT PRIMARY KEY);\n")
    conf = stack.scratch_db("ctl_fail", sql_dir=migs)

    r = stack.ctl("migrate", config=conf, check=False)
    assert r.returncode == 1, r
    # "<file>: <server error>", naming the statement the server refused.
    m = re.search(r"^(\S*0002_broken\.sql): (.*)$", r.stderr, re.M)
    assert m, r.stderr
    assert "SQL syntax" in m.group(2) and "SELEKT" in m.group(2)
    assert "0003_after.sql" not in r.stderr

    db = "portico_ctl_fail"
    assert list(applied(stack, db)) == [1]
    assert stack.mysql("SELECT COUNT(*) FROM program", db=db).strip() == "0"
    assert "never_created" not in stack.mysql("SHOW TABLES", db=db).split()
    rows = status_rows(stack.ctl("status", config=conf).stdout)
    assert rows == {first: "applied", "0002_broken.sql": "pending",
        "0003_after.sql": "pending"}


def test_concurrent_migrates_do_not_interleave(stack, tmp_path):
    migs = copy_migrations(stack, str(tmp_path / "sql"))
    with open(os.path.join(migs, "0900_slow.sql"), "w") as f:
        f.write("CREATE TABLE slow_marker (id INT PRIMARY KEY);\n"
            "DO SLEEP(1);\n")
    conf = stack.scratch_db("ctl_lock", sql_dir=migs)

    argv = [stack.ctl_bin, "-c", conf, "migrate"]
    procs = [subprocess.Popen(argv, stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(2)]
    outs = [p.communicate(timeout=120) for p in procs]
    for p, (out, err) in zip(procs, outs):
        assert p.returncode == 0, err
    # Each file was applied by exactly one of the two runs.
    errs = outs[0][1] + outs[1][1]
    for name, _ in migration_files(migs).values():
        assert errs.count("applying %s" % name) == 1, errs
    assert applied(stack, "portico_ctl_lock") == migration_files(migs)


def test_seed_demo_twice_gives_the_same_rows(stack):
    conf = stack.scratch_db("ctl_seed")
    db = "portico_ctl_seed"
    stack.ctl("migrate", config=conf)

    r = stack.ctl("seed-demo", config=conf)
    demo = sorted(n for n in os.listdir(os.path.join(sql_dir(stack),
        "demo")) if n.endswith(".sql"))
    for name in demo:
        assert "%s: ok" % name in r.stderr
    first = table_dump(stack, db)

    # A believable data set: four ordered tiers with 3-5 items of each kind,
    # one vendor and partners across types, tiers and all four regions.
    tiers = stack.mysql("SELECT name FROM program_tiers ORDER BY position",
        db=db).split()
    assert tiers == ["Registered", "Silver", "Gold", "Platinum"]
    groups = stack.mysql("SELECT t.slug, i.kind, COUNT(*) FROM "
        "program_tiers t JOIN program_tier_items i ON i.tier_id = t.id "
        "GROUP BY t.slug, i.kind", db=db).splitlines()
    assert len(groups) == 4 * 2, groups
    for line in groups:
        slug, kind, n = line.split("\t")
        assert 3 <= int(n) <= 5, line
    assert stack.mysql("SELECT COUNT(*) FROM organisations WHERE "
        "kind = 'vendor'", db=db).strip() == "1"
    partners = int(stack.mysql("SELECT COUNT(*) FROM organisations WHERE "
        "kind = 'partner' AND tier_id IS NOT NULL", db=db))
    assert partners >= 10
    regions = set(stack.mysql("SELECT DISTINCT region FROM organisations "
        "WHERE kind = 'partner'", db=db).splitlines())
    assert regions == {"EMEA", "North America", "LATAM", "APAC"}
    assert int(stack.mysql("SELECT COUNT(DISTINCT partner_type) FROM "
        "organisations", db=db)) >= 5
    assert int(stack.mysql("SELECT COUNT(DISTINCT tier_id) FROM "
        "organisations", db=db)) == 4

    r = stack.ctl("seed-demo", config=conf)
    assert table_dump(stack, db) == first


def write_conf(path, text):
    with open(path, "w") as f:
        f.write(text)
    return str(path)


def test_check_config_errors_name_file_line_and_key(stack, tmp_path):
    ok = stack.ctl("check-config").stdout
    assert ok == "ok\n"

    cases = [
        ("[server]\nworkers = 2\n\n# comment\nwrokers = 3\n", 5,
            "[server] wrokers: unknown key"),
        ("[server]\nworkers = abc\n", 2,
            "[server] workers: 'abc' is not a number from 1 to 256"),
        ("[server]\nlog_level = info\n[db]\nport = 70000\n", 4,
            "[db] port: '70000'"),
        ("[servre]\nworkers = 2\n", 2, "unknown section [servre]"),
        ("[server]\nlisten_mode = 0999\n", 2, "[server] listen_mode:"),
        ("[server]\ndebug_xml = maybe\n", 2, "[server] debug_xml: 'maybe'"),
        ("[server]\nworkers = 2\nworkers = 3\n", 3,
            "[server] workers: set twice (first on line 2)"),
        ("[limits]\nbody_max = lots\n", 2, "[limits] body_max: 'lots'"),
    ]
    for i, (text, line, msg) in enumerate(cases):
        conf = write_conf(tmp_path / ("bad%d.conf" % i), text)
        r = stack.ctl("check-config", config=conf, check=False)
        assert r.returncode == 1, (text, r)
        assert r.stdout == ""
        assert "%s:%d: " % (conf, line) in r.stderr, (text, r.stderr)
        assert msg in r.stderr, (text, r.stderr)
        # Every command refuses to run on a bad file, with the same error.
        r = stack.ctl("status", config=conf, check=False)
        assert r.returncode == 1 and "%s:%d: " % (conf, line) in r.stderr

    r = stack.ctl("check-config", config=str(tmp_path / "missing.conf"),
        check=False)
    assert r.returncode == 1 and "missing.conf" in r.stderr


def test_password_file_is_read_and_trimmed(stack, tmp_path):
    conf = stack.scratch_db("ctl_secret")
    sections = stackmod.read_portico_conf(conf)
    secret = sections["db"].pop("password")
    sections["db"]["password_file"] = "db-password"   # relative to conf
    good = tmp_path / "good"
    good.mkdir()
    write_conf(good / "db-password", secret + "\n")
    conf_good = stackmod.write_portico_conf(str(good / "portico.conf"),
        sections)
    r = stack.ctl("status", config=conf_good)
    assert "pending" in r.stdout

    bad = tmp_path / "bad"
    bad.mkdir()
    write_conf(bad / "db-password", secret + "-wrong\n")
    conf_bad = stackmod.write_portico_conf(str(bad / "portico.conf"),
        sections)
    r = stack.ctl("status", config=conf_bad, check=False)
    assert r.returncode == 1
    assert "Access denied" in r.stderr
    assert secret not in r.stderr + r.stdout

    # Both ways at once is ambiguous, hence an error naming the line.
    sections["db"]["password"] = secret
    conf_both = stackmod.write_portico_conf(str(good / "both.conf"),
        sections)
    r = stack.ctl("check-config", config=conf_both, check=False)
    assert r.returncode == 1
    assert re.search(r"both\.conf:\d+: \[db\] password", r.stderr), r.stderr


def test_every_command_has_help(stack, tmp_path):
    r = stack.ctl("--help")
    assert r.stdout.startswith("usage: porticoctl")
    for cmd in COMMANDS:
        assert re.search(r"^  %s " % re.escape(cmd), r.stdout, re.M), cmd

    # Help needs neither a readable configuration nor a database.
    missing = str(tmp_path / "nowhere.conf")
    for cmd in COMMANDS:
        for flag in ("--help", "-h"):
            r = stack.ctl(cmd, flag, config=missing)
            assert r.stdout.startswith("usage: porticoctl [-c FILE] %s\n"
                % cmd), r.stdout
            assert len(r.stdout.splitlines()) >= 4

    # Usage errors exit 2 and say what to do.
    for args in [(), ("frobnicate",), ("status", "extra"), ("--bogus",)]:
        r = stack.ctl(*args, config=missing, check=False)
        assert r.returncode == 2, (args, r)
        assert "porticoctl" in r.stderr


def test_routes_prints_seven_tab_separated_fields(stack):
    r = stack.ctl("routes", config="/nonexistent/portico.conf")
    lines = r.stdout.splitlines()
    assert lines
    methods_re = re.compile(r"^(GET|HEAD|POST|PUT|DELETE|PATCH|OPTIONS)"
        r"(, (GET|HEAD|POST|PUT|DELETE|PATCH|OPTIONS))*$")
    bits_re = re.compile(r"^-$|^[a-z_]+(,[a-z_]+)*(,0x[0-9a-f]+)?$|"
        r"^0x[0-9a-f]+$")
    seen = {}
    for line in lines:
        f = line.split("\t")
        assert len(f) == 7 and all(f), line
        module, methods, path, access, flags, xsl, fields = f
        assert re.fullmatch(r"[a-z0-9_-]+", module), line
        # name/type/req|opt/min/max/sources, comma-separated, or "-".
        assert fields == "-" or all(re.fullmatch(
            r"[a-z0-9_]+/(text|multiline|int|slug|bool)/(req|opt)/-?\d+/"
            r"-?\d+/p?q?b?", spec) for spec in fields.split(",")), line
        assert methods_re.match(methods), line
        assert path.startswith("/"), line
        assert bits_re.match(access) and bits_re.match(flags), line
        seen[path] = (module, methods, access)
    # The two routes the core ships with, as the page tests know them.
    assert seen["/"][1].startswith("GET, HEAD")
    assert seen["/"][2] == "public"
    assert "/healthz" in seen
