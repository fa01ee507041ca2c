"""Benchmark: do 1,000 slow clients lock a normal client out?

Starts build/raportai (the optimised build) on a loopback port in a
temporary data directory and measures a normal client's requests (from
127.0.0.1, each on a new connection: GET /healthz and an authenticated
External API request, GET /api/external/v1/templates with a valid key,
alternately) three ways:

- alone (the reference, in the same run);
- while SLOW_CONNECTIONS slow connections are held from 20 other loopback
  addresses (127.0.0.2 .. 127.0.0.21, 50 each): half send a header line
  every SLOW_INTERVAL_S seconds and never finish their headers, half send
  complete headers of a sign-in with a 100 kB body and then a body byte
  every SLOW_INTERVAL_S seconds. Each one cut by the server reconnects at
  once, so the thousand are held all along;
- the same under the previous defaults (no header deadline, no body rate,
  512 connections in all), fewer requests with a short timeout: what the
  deadlines and limits changed.

The slow clients run in a separate process (asyncio), on the same cores as
the server and the measuring client. Bounded: a fixed number of requests,
a timeout on each, a time cap on the ramp-up. Raises its own open-files
limit to the hard limit (the server raises its own).

    python3 bench/slow_clients.py [BINARY]
"""

import asyncio
import multiprocessing
import os
import random
import resource
import shutil
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "e2e"))
import harness  # noqa: E402
from common import percentile, where_and_when  # noqa: E402

SLOW_ADDRESSES = ["127.0.0.%d" % i for i in range(2, 22)]
PER_ADDRESS = 50
SLOW_CONNECTIONS = len(SLOW_ADDRESSES) * PER_ADDRESS
SLOW_INTERVAL_S = 3
GOOD_REQUESTS = 400
PACE_S = 0.05          # between the normal client's requests: 400 span 20 s, two
                       # header deadlines, so the slow clients' cuts and
                       # reconnections happen while it measures
OLD_REQUESTS = 20
REQUEST_TIMEOUT_S = 10
OLD_TIMEOUT_S = 3
RAMP_CAP_S = 60
OLD_DEFAULTS = ["--header-timeout", "0", "--min-body-rate", "0", "--max-connections", "512"]

HEADER_SLOW = b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n"
BODY_SLOW = (b"POST /api/v1/auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\n"
             b"Content-Type: application/json\r\nContent-Length: 100000\r\n\r\n{")


async def slow_client(port, source, body, held, cuts, stop):
    """One slow connection from source, opened again whenever it ends."""
    await asyncio.sleep(random.uniform(0, SLOW_INTERVAL_S))  # spread the trickle
    while not stop.is_set():
        try:
            reader, writer = await asyncio.wait_for(asyncio.open_connection(
                "127.0.0.1", port, local_addr=(source, 0)), REQUEST_TIMEOUT_S)
        except (OSError, asyncio.TimeoutError):
            await asyncio.sleep(1)
            continue
        with held.get_lock():
            held.value += 1
        try:
            writer.write(BODY_SLOW if body else HEADER_SLOW)
            n = 0
            while not stop.is_set():
                try:
                    if not await asyncio.wait_for(reader.read(4096), SLOW_INTERVAL_S):
                        break  # cut
                except asyncio.TimeoutError:
                    pass
                writer.write(b"x" if body else b"X-Slow-%d: 1\r\n" % n)
                await writer.drain()
                n += 1
        except OSError:
            pass
        finally:
            with held.get_lock():
                held.value -= 1
            if not stop.is_set():
                with cuts.get_lock():
                    cuts.value += 1
            writer.close()


def slow_clients(port, held, cuts, stop):
    """The slow clients' process: SLOW_CONNECTIONS connections until stop."""
    _raise_open_files()

    async def run():
        tasks = [asyncio.create_task(slow_client(port, source, i % 2 == 1, held, cuts, stop))
                 for source in SLOW_ADDRESSES for i in range(PER_ADDRESS)]
        while not stop.is_set():
            await asyncio.sleep(0.2)
        for t in tasks:
            t.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    asyncio.run(run())


def _raise_open_files():
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0]


def measure(srv, key, n, timeout, pace=PACE_S):
    """(milliseconds of each request, successes): n requests, /healthz and
    the authenticated one alternately, each on a new connection, pace
    seconds apart."""
    latencies, ok = [], 0
    for i in range(n):
        time.sleep(pace)
        t0 = time.perf_counter()
        try:
            if i % 2:
                reply = srv.request("GET", "/api/external/v1/templates",
                                    {"Authorization": "Bearer " + key}, timeout=timeout)
            else:
                reply = srv.request("GET", "/healthz", timeout=timeout)
            ok += reply.status == 200
        except OSError:
            pass
        latencies.append((time.perf_counter() - t0) * 1000)
    return latencies, ok


def under_slow_clients(srv, key, n, timeout):
    """(latencies, successes, connections held while measuring, cuts)."""
    held = multiprocessing.Value("i", 0)
    cuts = multiprocessing.Value("i", 0)
    stop = multiprocessing.Event()
    proc = multiprocessing.Process(target=slow_clients, args=(srv.port, held, cuts, stop))
    proc.start()
    try:
        deadline = time.monotonic() + RAMP_CAP_S
        while held.value < SLOW_CONNECTIONS and time.monotonic() < deadline:
            time.sleep(0.2)
        time.sleep(SLOW_INTERVAL_S)  # every one of them trickling
        before, cuts_before = held.value, cuts.value
        latencies, ok = measure(srv, key, n, timeout)
        return latencies, ok, min(before, held.value), cuts.value - cuts_before
    finally:
        stop.set()
        proc.join(30)
        if proc.is_alive():
            proc.kill()


def main():
    harness.BINARY = sys.argv[1] if len(sys.argv) > 1 else "build/raportai"
    files = _raise_open_files()
    data = tempfile.mkdtemp(prefix="raportai-bench-")
    try:
        _, _, key = harness.make_org_with_key(data)
        args = ["--rate-limit", "100000", "--workers", "1"]
        with harness.Server(data, args) as srv:
            measure(srv, key, 50, REQUEST_TIMEOUT_S, 0)  # warm-up
            alone = measure(srv, key, GOOD_REQUESTS, REQUEST_TIMEOUT_S)
            slow = under_slow_clients(srv, key, GOOD_REQUESTS, REQUEST_TIMEOUT_S)
        with harness.Server(data, args + OLD_DEFAULTS) as srv:
            old = under_slow_clients(srv, key, OLD_REQUESTS, OLD_TIMEOUT_S)
    finally:
        shutil.rmtree(data, ignore_errors=True)
    print("slow clients benchmark: %s; %d slow connections from %d addresses, a line or "
          "byte every %d s; requests %d ms apart; open files %d" % (
              where_and_when(), SLOW_CONNECTIONS, len(SLOW_ADDRESSES), SLOW_INTERVAL_S,
              PACE_S * 1000, files))
    rows = [("alone (reference)", alone[0], alone[1], None),
            ("1,000 slow connections", slow[0], slow[1], slow[2:]),
            ("the same, previous defaults", old[0], old[1], old[2:])]
    for name, lat, ok, extra in rows:
        print("  %-28s p50 %8.2f ms  p95 %8.2f ms  p99 %8.2f ms  %d/%d succeeded%s" % (
            name, percentile(lat, .5), percentile(lat, .95), percentile(lat, .99), ok, len(lat),
            "  (%d slow held, %d cut meanwhile)" % extra if extra else ""))
    print("  p99 with 1,000 slow connections / alone: %.2fx" % (
        percentile(slow[0], .99) / percentile(alone[0], .99)))


if __name__ == "__main__":
    main()
