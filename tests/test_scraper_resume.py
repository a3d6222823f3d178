"""kill -9 in the middle of a crawl, twice, then finish: every document is stored exactly once, nothing that was
committed before a kill is fetched again, and the WARC files hold each body once."""

import os
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

from warcio.archiveiterator import ArchiveIterator

from scraper.archive import Archive
from scraper.testing import PortalServer, synthetic_trs_site

ROOT = Path(__file__).resolve().parents[1]
HOSTS = [f"www.r{i}.gov.cn" for i in range(3)]


def _committed(data: Path) -> set[tuple[str, str]]:
    db = sqlite3.connect(f"file:{data / 'state.sqlite'}?mode=ro", uri=True)
    try:
        rows = db.execute("SELECT url FROM documents WHERE sha256 IS NOT NULL").fetchall()
    finally:
        db.close()
    return {(urlsplit(u).hostname, urlsplit(u).path) for (u,) in rows}


def test_kill_and_resume_loses_nothing_and_refetches_nothing(tmp_path):
    with PortalServer(latency=0.003) as srv:
        for h in HOSTS:
            srv.add_site(h, files=synthetic_trs_site(4, 6, pdf_every=3))
        reg = tmp_path / "sources.csv"
        reg.write_text("id,name,url,min_delay\n" + "".join(
            f"r{i},测试{i},{srv.url(h, '/zfxxgknb/')},0.02\n" for i, h in enumerate(HOSTS)), encoding="utf-8")
        data = tmp_path / "data"
        cmd = [sys.executable, "-m", "xxgk", "crawl", "--sources", str(reg), "--data-dir", str(data),
               "--min-delay", "0.02", "--no-progress"]
        for h in HOSTS:
            cmd += ["--resolve", f"{h}=127.0.0.1"]
        env = {**os.environ, "PYTHONPATH": str(ROOT)}

        fetched_twice = []
        for kill_after in (25, 70):
            before = _committed(data) if (data / "state.sqlite").exists() else set()
            srv.clear_log()
            proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            deadline = time.monotonic() + 60
            while len(srv.requests) < kill_after - len(before) // 2 and proc.poll() is None:
                assert time.monotonic() < deadline, "crawl made no progress"
                time.sleep(0.005)
            proc.kill()
            proc.communicate()
            assert proc.returncode == -9, "the crawl finished before it could be killed"
            fetched_twice += [(r.host, r.path) for r in srv.requests if (r.host, r.path) in before
                              and r.path != "/robots.txt"]

        before = _committed(data)
        srv.clear_log()
        done = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stdout + done.stderr
        assert "(resumed)" in done.stdout
        fetched_twice += [(r.host, r.path) for r in srv.requests if (r.host, r.path) in before
                          and r.path != "/robots.txt"]
        assert fetched_twice == []

    ar = Archive(data)
    reports = list(ar.documents(kinds=("report",)))
    attachments = list(ar.documents(kinds=("attachment",)))
    assert len(reports) == 3 * 24 and len(attachments) == 3 * 8
    assert len(list(ar.documents(kinds=("list",)))) == 3 * 4
    for d in reports + attachments:
        assert d.body()  # sha256-checked read from the WARC
    states = ar.states()
    assert all(s["status"] == "ok" for s in states)
    # WARC: each 200 body exactly once (an in-flight response at kill time was truncated away, then refetched)
    bodies = Counter()
    for f in sorted((data / "warc").glob("*.warc.gz")):
        with open(f, "rb") as fh:
            for rec in ArchiveIterator(fh):
                if rec.rec_type == "response" and rec.http_headers.get_statuscode() == "200":
                    uri = rec.rec_headers.get_header("WARC-Target-URI")
                    if not uri.endswith("/robots.txt"):
                        bodies[uri] += 1
    assert set(bodies) == {s["url"] for s in states}
    assert all(n == 1 for n in bodies.values()), [u for u, n in bodies.items() if n > 1]
    db_refs = ar.db.execute("SELECT COUNT(*) FROM responses WHERE http_status = 200 AND record_type = 'response' "
                            "AND target_uri NOT LIKE '%/robots.txt'").fetchone()[0]
    assert db_refs == len(bodies)
