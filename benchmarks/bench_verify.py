"""Benchmark of registry verification against a local fake Crossref + OpenAlex.

Runs the real command ``citecheck verify bibliography-100.json`` against the fake registry of the
test suite (tests/fake_registry.py, on 127.0.0.1) with 100 ms of latency on every answer and five
references whose look-ups stall past the client's 3 s time-out: first with an empty cache, then
again with the cache it filled. Reports wall time, requests sent, and the most requests the server
saw in flight at once next to the configured concurrency.

The first run is set against its theoretical minimum: every answered request holds one of the
five slots for the latency, and each stalling reference holds one for the whole time-out (once:
its look-ups share it), so no schedule does better than that slot time over five slots; nor better
than the requests at the registry's announced rate (50 a second). The requests are those the
references need looked up one at a time (counted in a run with ``batch=1``); DOIs looked up
together need fewer, so the first run is also timed with ``--batch 1``.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from fake_registry import FakeRegistry  # noqa: E402
from registry_catalogue import bibliography_100  # noqa: E402

BIBLIOGRAPHY = ROOT / "tests" / "data" / "registry" / "bibliography-100.json"
LATENCY = 0.100
CONCURRENCY = 5  # what the fake registry advertises in x-concurrency-limit, as Crossref does
TIMEOUT = 3.0  # seconds for a reference's look-ups in all
STALLING = 5  # references whose look-ups stall (bibliography_100's "timeout" entries)
RATE = 50.0  # requests a second the fake registry announces (x-rate-limit-limit per interval)
BOUND = 1.3  # the first run within this of the minimum
CACHED_BOUND = 0.3  # seconds for the cached run


def run(fake: FakeRegistry, cache: Path, batch: int = 20) -> tuple[float, int, int]:
    before = len(fake.requests)
    env = dict(os.environ, CITECHECK_CACHE_DIR=str(cache))
    command = [
        sys.executable, "-m", "citecheck", "verify", str(BIBLIOGRAPHY), "--format", "json", "--fail-on", "never",
        "--crossref-url", fake.crossref_url, "--openalex-url", fake.openalex_url,
        "--concurrency", str(CONCURRENCY), "--timeout", str(TIMEOUT), "--batch", str(batch), "-o", str(cache / "report.json"),
    ]  # fmt: skip
    start = time.perf_counter()
    proc = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"citecheck verify failed ({proc.returncode}): {proc.stderr.strip()}")
    return elapsed, len(fake.requests) - before, fake.max_in_flight


def one_by_one(fake: FakeRegistry) -> tuple[int, int]:
    """The same run in this process with each DOI looked up alone: the requests the references
    need one look-up at a time (the workload the minimum is taken from), and the client's own
    count of requests in flight (the server also counts a stalled request the client has already
    given up on)."""
    from citecheck.bibliography import read_bibliography
    from citecheck.verify import RegistryClient, Settings, verify_references

    settings = Settings(
        crossref_url=fake.crossref_url,
        openalex_url=fake.openalex_url,
        cache=False,
        concurrency=CONCURRENCY,
        timeout=TIMEOUT,
        batch=1,
    )
    client = RegistryClient(settings)
    try:
        verify_references(read_bibliography(str(BIBLIOGRAPHY))[1], client=client)
    finally:
        client.close()
    return client.sent, client.max_in_flight


def main() -> int:
    scenario = bibliography_100()
    with (
        tempfile.TemporaryDirectory() as tmp,
        FakeRegistry(latency=LATENCY, timeouts=scenario.registry_timeouts, timeout_sleep=TIMEOUT + 0.5) as fake,
    ):
        cache = Path(tmp)
        cold, cold_requests, in_flight = run(fake, cache / "batched")
        warm, warm_requests, _ = run(fake, cache / "batched")
        alone, alone_requests, _ = run(fake, cache / "alone", batch=1)
        needed, own = one_by_one(fake)
    answered = needed - STALLING  # a stalling reference's first look-up stalls; the rest are not asked
    floor = max((answered * LATENCY + STALLING * TIMEOUT) / CONCURRENCY, needed / RATE)
    print(
        f"verification of 100 references, {LATENCY * 1000:.0f} ms latency per answer,"
        f" {STALLING} references stalling past {TIMEOUT:g} s"
    )
    print("| run | wall s | requests | most in flight (client) | most in flight (server) | concurrency |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    print(f"| empty cache | {cold:.2f} | {cold_requests} | {own} | {in_flight} | {CONCURRENCY} |")
    print(f"| cached | {warm:.2f} | {warm_requests} | - | - | {CONCURRENCY} |")
    print(f"| empty cache, --batch 1 | {alone:.2f} | {alone_requests} | - | - | {CONCURRENCY} |")
    print("(the server also counts a stalled request the client gave up on, until the server notices the hang-up)")
    print()
    print(
        f"theoretical minimum of the first run: the {needed} look-ups the references need one at a time,"
        f" ({answered} answered x {LATENCY:g} s + {STALLING} stalling x {TIMEOUT:g} s) / {CONCURRENCY} places"
        f" = {floor:.2f} s (the announced rate alone: {needed / RATE:.2f} s); batches of DOIs can go below it"
    )
    print("| target | measured | bound | verdict |")
    print("| --- | ---: | ---: | --- |")
    ratio = cold / floor
    print(f"| first run / minimum | {ratio:.2f} | <= {BOUND:g} | {'met' if ratio <= BOUND else 'not met'} |")
    verdict = "met" if alone / floor <= BOUND else "not met"
    print(f"| first run with --batch 1 / minimum | {alone / floor:.2f} | <= {BOUND:g} | {verdict} |")
    print(
        f"| cached run | {warm:.2f} s, {warm_requests} requests | < {CACHED_BOUND:g} s, 0 requests"
        f" | {'met' if warm < CACHED_BOUND and warm_requests == 0 else 'not met'} |"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
