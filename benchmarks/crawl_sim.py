"""Crawl throughput against the politeness bound, on loopback hosts only.

A child process serves N synthetic TRS-style 年报 columns (scraper.testing.synthetic_trs_site), one per
loopback address (127.0.0.2, 127.0.0.3, ...), each answering after an injected latency (a small asyncio HTTP
server, so the simulated portals leave the CPU to the crawler). The real crawler (scraper.crawl.crawl, default settings: jitter,
fsync'd WARC, SQLite state) then crawls all of them. The politeness bound is the fastest any polite crawler
could go: every host kept busy at its min_delay, i.e. host h needs (requests_h - 1) * min_delay + latency
seconds. We report the achieved share of that bound (target >= 90%) and the smallest gap each host saw
between two requests (must be >= min_delay).

    python benchmarks/crawl_sim.py                 # 200 hosts, min_delay 1 s, latency 50 ms
    python benchmarks/crawl_sim.py --hosts 50 --min-delay 0.5
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import resource
import sqlite3
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from scraper.crawl import crawl  # noqa: E402
from scraper.registry import Source  # noqa: E402
from scraper.testing import synthetic_trs_site  # noqa: E402


def _address(i: int) -> str:
    i += 2  # 127.0.0.1 stays free for everything else
    return f"127.0.{i // 254}.{i % 254 + (1 if i // 254 else 0)}" if i >= 254 else f"127.0.0.{i}"


async def _host_server(ip: str, files: dict[str, bytes], latency: float, log: list[float]):
    """A minimal keep-alive HTTP/1.1 server for one loopback address (asyncio: one thread serves all hosts,
    so the simulated portals cost little CPU next to the crawler on a small machine)."""
    import asyncio

    async def handle(reader, writer):
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                log.append(time.monotonic())
                path = head.split(b" ", 2)[1].decode("latin-1").split("?", 1)[0]
                if path.endswith("/"):
                    path += "index.html"
                await asyncio.sleep(latency)
                body = files.get(path)
                status = b"200 OK" if body is not None else b"404 Not Found"
                body = body if body is not None else b"not found"
                ctype = b"application/pdf" if path.endswith(".pdf") else b"text/html"
                writer.write(b"HTTP/1.1 " + status + b"\r\nContent-Type: " + ctype + b"\r\nContent-Length: "
                             + str(len(body)).encode() + b"\r\n\r\n" + body)
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()

    return await asyncio.start_server(handle, ip, 0)


def _serve(n: int, latency: float, pages: int, per_page: int, conn) -> None:
    import asyncio

    async def run() -> None:
        logs: dict[str, list[float]] = {}
        servers = []
        for i in range(n):
            ip = _address(i)
            files = synthetic_trs_site(pages, per_page, pdf_every=5, agency=f"基准县{i}")
            logs[ip] = []
            servers.append(await _host_server(ip, files, latency, logs[ip]))
        conn.send([(s.sockets[0].getsockname()[0], s.sockets[0].getsockname()[1]) for s in servers])
        loop = asyncio.get_running_loop()
        await loop.run_in_executor(None, conn.recv)  # wait for "done"
        conn.send(logs)
        for s in servers:
            s.close()

    asyncio.run(run())


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--hosts", type=int, default=200)
    ap.add_argument("--min-delay", type=float, default=1.0)
    ap.add_argument("--latency", type=float, default=0.05, help="injected server latency, seconds")
    ap.add_argument("--pages", type=int, default=2, help="list pages per host")
    ap.add_argument("--per-page", type=int, default=5, help="reports per list page")
    ap.add_argument("--workers", type=int, default=None)
    ap.add_argument("--jitter", type=float, default=None, help="override the crawler's default jitter (fraction)")
    args = ap.parse_args(argv)

    ctx = mp.get_context("fork")
    parent, child = ctx.Pipe()
    proc = ctx.Process(target=_serve, args=(args.hosts, args.latency, args.pages, args.per_page, child), daemon=True)
    proc.start()
    endpoints = parent.recv()
    sources = [Source(id=f"h{i:03d}", name=f"基准{i}", url=f"http://{ip}:{port}/zfxxgknb/", min_delay=args.min_delay)
               for i, (ip, port) in enumerate(endpoints)]
    with tempfile.TemporaryDirectory() as data:
        ru0 = resource.getrusage(resource.RUSAGE_SELF)
        t0, wall0 = time.monotonic(), time.time()
        extra = {} if args.jitter is None else {"jitter": args.jitter}
        summary = crawl(sources, data, workers=args.workers, progress=False, **extra)
        elapsed = time.monotonic() - t0
        ru1 = resource.getrusage(resource.RUSAGE_SELF)
        cpu = (ru1.ru_utime - ru0.ru_utime) + (ru1.ru_stime - ru0.ru_stime)
        db = sqlite3.connect(Path(data) / "state.sqlite")
        sent: dict[str, list[float]] = {}
        for target, at in db.execute("SELECT target_uri, sent_at FROM responses ORDER BY sent_at"):
            sent.setdefault(urlsplit(target).hostname, []).append(at)
        db.close()
    parent.send("done")
    arrivals = parent.recv()
    proc.join(10)

    counts = {ip: len(ts) for ip, ts in arrivals.items()}
    total = sum(counts.values())
    bound = max((n - 1) * args.min_delay + args.latency for n in counts.values())
    gaps = [b - a for ts in arrivals.values() for a, b in zip(sorted(ts), sorted(ts)[1:], strict=False)]
    sent_gaps = [b - a for ts in sent.values() for a, b in zip(ts, ts[1:], strict=False)]
    reports = sum(s.reports_new for s in summary.stats.values())
    print(f"hosts {args.hosts}, min_delay {args.min_delay}s, latency {args.latency * 1000:.0f} ms, "
          f"{total} requests ({reports} reports), exit code {summary.exit_code}")
    print(f"crawl time {elapsed:.1f}s; politeness bound {bound:.1f}s "
          f"(every host busy at min_delay: {args.hosts / args.min_delay:.0f} req/s ceiling)")
    print(f"throughput {total / elapsed:.1f} req/s = {100 * bound / elapsed:.1f}% of the politeness bound")
    first = min(ts[0] for ts in sent.values()) - wall0
    period = sum(ts[-1] - ts[0] for ts in sent.values()) / sum(len(ts) - 1 for ts in sent.values())
    last = max(ts[-1] for ts in sent.values()) - wall0
    print(f"breakdown: first request {first:.2f}s after start; mean gap per host {period:.3f}s "
          f"({100 * (period / args.min_delay - 1):.1f}% over min_delay, jitter included); last request at "
          f"{last:.1f}s, crawl returned at {elapsed:.1f}s")
    print(f"crawler CPU {cpu:.1f}s = {100 * cpu / elapsed:.0f}% of one core (the simulated portals run in "
          f"another process on the same machine)")
    print(f"smallest gap between two requests to one host: {min(sent_gaps):.3f}s as sent (crawler's audit log), "
          f"{min(gaps):.3f}s as received (min_delay {args.min_delay}s)")
    return 0 if summary.exit_code == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
