"""test_mail.py - outbound email (modules/mail.c) against the real SMTP sink.

`porticoctl mail test|send|status` on a scratch database each, with [mail]
pointing at the stack's aiosmtpd sink (tests/services/smtp.py): delivery
with the right headers and a dot-only line intact, header injection refused
at queue time, dedup keys, retry with backoff while the sink is down, max
attempts, two concurrent senders, and status counts.
"""

import email.header
import subprocess
import time

import pytest


@pytest.fixture
def mailconf(stack):
    """(config path, mysql runner) on a fresh migrated database; sink empty."""
    path = stack.scratch_db("mail")
    stack.ctl("migrate", config=path)
    stack.smtp.clear()
    if not stack.smtp.alive():
        stack.smtp.start()
    yield path
    if not stack.smtp.alive():
        stack.smtp.start()
    stack.smtp.clear()


def sql(stack, q):
    return stack.mysql(q, db="portico_mail").strip()


def with_mail(stack, path, **kw):
    """Rewrites path with [mail] overrides."""
    conf = stack.smtp.mail_config(**kw)
    stack.write_config(path, {"db": {"name": "portico_mail"},
        "server": {"listen": ""}, "mail": conf})


def decoded(h):
    return str(email.header.make_header(email.header.decode_header(h)))


def test_queue_and_send_delivers_once(stack, mailconf):
    stack.ctl("mail", "test", "anne@example.com", "--name",
        "Zoë Müller, Sales", "--title", "Grüße aus Portico", config=mailconf)
    assert sql(stack, "SELECT status, attempts FROM mail_outbox") == \
        "queued\t0"
    r = stack.ctl("mail", "send", config=mailconf)
    assert "1 sent" in r.stderr
    msgs = stack.smtp.messages()
    assert len(msgs) == 1
    m = msgs[0]
    assert decoded(m["Subject"]) == "Grüße aus Portico"
    assert decoded(m["To"]) == '"Zoë Müller, Sales" <anne@example.com>' or \
        decoded(m["To"]) == "Zoë Müller, Sales <anne@example.com>"
    assert m["From"] == "Portico <portal@example.com>"
    mid = sql(stack, "SELECT message_id FROM mail_outbox")
    assert m["Message-ID"] == mid
    body = m.get_payload(decode=True).decode("utf-8")
    lines = body.split("\n")
    assert "." in lines, body
    assert "..and this one starts with two." in lines, body
    assert sql(stack, "SELECT status, attempts, sent_at IS NOT NULL "
        "FROM mail_outbox") == "sent\t1\t1"
    # Nothing is due any more: a second run sends nothing.
    r = stack.ctl("mail", "send", config=mailconf)
    assert "0 sent" in r.stderr
    assert len(stack.smtp.messages()) == 1


@pytest.mark.parametrize("arg,value", [
    ("--title", "Hello\r\nBcc: victim@example.com"),
    ("--title", "Hello\nBcc: victim@example.com"),
    ("--name", "Anne\r\nBcc: victim@example.com"),
    ("--name", "Anne\nX"),
])
def test_header_injection_refused(stack, mailconf, arg, value):
    r = stack.ctl("mail", "test", "anne@example.com", arg, value,
        config=mailconf, check=False)
    assert r.returncode == 1, r.stderr
    assert sql(stack, "SELECT COUNT(*) FROM mail_outbox") == "0"


@pytest.mark.parametrize("addr", ["anne@example.com\r\nRCPT TO:<x@y>",
    "<anne@example.com>", "anne", "a b@example.com", "anne@@example.com"])
def test_bad_address_refused(stack, mailconf, addr):
    r = stack.ctl("mail", "test", addr, config=mailconf, check=False)
    assert r.returncode != 0
    assert sql(stack, "SELECT COUNT(*) FROM mail_outbox") == "0"


def test_dedup_key(stack, mailconf):
    key = "lifecycle:warn:42:2026-11-23"
    stack.ctl("mail", "test", "anne@example.com", "--dedup", key,
        config=mailconf)
    r = stack.ctl("mail", "test", "anne@example.com", "--dedup", key,
        config=mailconf, check=False)
    assert r.returncode == 3, r.stderr
    assert sql(stack, "SELECT COUNT(*) FROM mail_outbox") == "1"
    stack.ctl("mail", "send", config=mailconf)
    r = stack.ctl("mail", "test", "anne@example.com", "--dedup", key,
        config=mailconf, check=False)
    assert r.returncode == 3
    stack.ctl("mail", "send", config=mailconf)
    assert len(stack.smtp.messages()) == 1


def test_sink_down_retry_with_backoff(stack, mailconf):
    with_mail(stack, mailconf, retry_base=1)
    stack.ctl("mail", "test", "anne@example.com", config=mailconf)
    stack.smtp.stop()
    r = stack.ctl("mail", "send", config=mailconf)
    assert "1 to retry" in r.stderr, r.stderr
    assert sql(stack, "SELECT status, attempts, "
        "next_attempt_at > UTC_TIMESTAMP(), last_error <> '' "
        "FROM mail_outbox") == "queued\t1\t1\t1"
    stack.smtp.start()
    # Not due yet (retry_base * 2^1 = 2 s): nothing sent.
    r = stack.ctl("mail", "send", config=mailconf)
    assert "0 sent" in r.stderr
    assert stack.smtp.messages() == []
    time.sleep(3)
    r = stack.ctl("mail", "send", config=mailconf)
    assert "1 sent" in r.stderr
    assert len(stack.smtp.messages()) == 1
    stack.ctl("mail", "send", config=mailconf)
    assert len(stack.smtp.messages()) == 1
    assert sql(stack, "SELECT status, attempts FROM mail_outbox") == \
        "sent\t2"


def test_max_attempts_fails(stack, mailconf):
    with_mail(stack, mailconf, retry_base=0, max_attempts=3)
    stack.ctl("mail", "test", "anne@example.com", config=mailconf)
    stack.smtp.stop()
    for _ in range(5):
        stack.ctl("mail", "send", config=mailconf)
    assert sql(stack, "SELECT status, attempts FROM mail_outbox") == \
        "failed\t3"
    r = stack.ctl("mail", "status", config=mailconf)
    assert "failed     1" in r.stdout


def test_concurrent_senders_deliver_once(stack, mailconf):
    n = 30
    for i in range(n):
        stack.ctl("mail", "test", "user%d@example.com" % i, config=mailconf)
    argv = [stack.ctl_bin, "-c", mailconf, "mail", "send"]
    procs = [subprocess.Popen(argv, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True) for _ in range(3)]
    outs = [p.communicate(timeout=120) for p in procs]
    # Only the failing senders' ends, so a failure shows its cause.
    bad = [(p.returncode, err[-1500:]) for p, (_, err) in zip(procs, outs)
           if p.returncode != 0]
    assert not bad, bad
    rcpts = sorted(m["To"] for m in stack.smtp.messages())
    assert rcpts == sorted("<user%d@example.com>" % i for i in range(n))
    assert sql(stack, "SELECT COUNT(*) FROM mail_outbox WHERE "
        "status = 'sent' AND attempts = 1") == str(n)


def test_status_and_uncertain(stack, mailconf):
    for i in range(3):
        stack.ctl("mail", "test", "u%d@example.com" % i, config=mailconf)
    stack.ctl("mail", "send", "--limit", "1", config=mailconf)
    # A sender that died mid-send long ago: uncertain, never resent.
    sql(stack, "UPDATE mail_outbox SET status = 'sending', claimed_at = "
        "UTC_TIMESTAMP() - INTERVAL 1 HOUR WHERE status = 'queued' "
        "ORDER BY id LIMIT 1")
    r = stack.ctl("mail", "send", config=mailconf)
    assert "1 marked uncertain" in r.stderr and "1 sent" in r.stderr
    r = stack.ctl("mail", "status", config=mailconf)
    assert "sent       2" in r.stdout
    assert "uncertain  1" in r.stdout
    assert "uncertain: id" in r.stdout
    assert len(stack.smtp.messages()) == 2


def test_mail_help(stack):
    r = stack.ctl("mail", "--help")
    assert "mail send [--limit N]" in r.stdout
    r = stack.ctl("mail", "bogus", check=False)
    assert r.returncode == 2


@pytest.fixture
def secure_sink(stack):
    """A second sink that requires STARTTLS, then AUTH, as a company relay
    does (tests/services/smtp.py, secure=)."""
    import os
    import sys
    sys.path.insert(0, os.path.join(stack.src_dir, "tests", "services"))
    import smtp as smtpmod
    s = smtpmod.Smtp(os.path.join(stack.base, "smtp-secure"),
        secure=("relay-user", "relay-Secret-7"))
    s.start()
    yield s
    s.stop()


def test_starttls_and_auth(stack, mailconf, secure_sink):
    s = secure_sink

    def send(**kw):
        with_mail(stack, mailconf, smtp_url=s.url, **kw)
        return stack.ctl("mail", "send", config=mailconf, check=False)

    stack.ctl("mail", "test", "anne@example.com", config=mailconf)
    # Without STARTTLS the relay refuses to go on: the message waits.
    r = send()
    assert "0 sent" in r.stderr, r.stderr
    assert sql(stack, "SELECT status FROM mail_outbox") == "queued"
    # STARTTLS with a CA that did not sign the relay's certificate: no.
    sql(stack, "UPDATE mail_outbox SET next_attempt_at = NOW()")
    r = send(starttls="yes", username="relay-user",
        password="relay-Secret-7")
    assert "0 sent" in r.stderr, r.stderr
    # The right CA but the wrong password: still queued, never lost.
    sql(stack, "UPDATE mail_outbox SET next_attempt_at = NOW()")
    r = send(starttls="yes", ca_file=s.ca_file, username="relay-user",
        password="wrong")
    # A refused login is the relay's configuration, not the message's
    # fault (535 notwithstanding): it stays queued for the fixed config.
    assert "0 sent" in r.stderr, r.stderr
    assert sql(stack, "SELECT status FROM mail_outbox") == "queued"
    assert s.messages() == []
    # The right CA and credentials: delivered once, over TLS.
    sql(stack, "UPDATE mail_outbox SET next_attempt_at = NOW()")
    r = send(starttls="yes", ca_file=s.ca_file, username="relay-user",
        password="relay-Secret-7")
    assert "1 sent" in r.stderr, r.stderr
    msgs = s.messages()
    assert len(msgs) == 1 and msgs[0]["To"].endswith("<anne@example.com>")
    assert sql(stack, "SELECT status FROM mail_outbox") == "sent"
