"""How fast the screens react: a call reaching the info screen, and kiosk steps under load.

Run: ``.venv/bin/python benchmarks/bench_display.py``

The København example is served by ``frontdesk serve`` (uvicorn) on 127.0.0.1
in a process of its own, on a SQLite file, so the load generator does not
share the server's interpreter.

1. **Call to screen**: an info screen is open in Chromium; an employee's call
   (``POST /api/v1/counters/skranke-1/call-next``, sent by the browser) is timed
   until the called number is in the screen's page (pushed by Server-Sent
   Events). Target: p95 under 200 ms. The reference in the same run is the call
   request alone (its answer, without waiting for the screen).
2. **Kiosk steps**: 20 kiosks at once walk the tree on the kiosk pages (answer a
   question, tick a checklist, get sent home, start again); each step is the
   form post and the page it leads to. Each kiosk taps every 0.1-0.3 s, ten
   times faster than a quick citizen. Target: p99 under 20 ms. The reference is
   a static file from the same server under the same load. Then the same 20
   kiosks tap without pause, which gives the most steps per second.
"""

from __future__ import annotations

import asyncio
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

import httpx
from http_client import Http

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "kobenhavn"
CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
CALLS = 60
KIOSKS = 20
KIOSK_SECONDS = 8.0
THINK = (0.1, 0.3)
"""Seconds between two taps of one kiosk: ten times faster than a quick citizen."""
PASSWORD = "bench"


def percentile(values: list[float], share: float) -> float:
    """The ``share`` percentile (nearest rank) of ``values``."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def summary(name: str, values_ms: list[float]) -> str:
    """One line of figures."""
    return (
        f"{name:<34} n={len(values_ms):<5} p50={percentile(values_ms, 0.5):6.1f} ms  "
        f"p95={percentile(values_ms, 0.95):6.1f} ms  p99={percentile(values_ms, 0.99):6.1f} ms  "
        f"mean={statistics.fmean(values_ms):6.1f} ms"
    )


def start_server(workdir: Path, extra: str = "") -> tuple[subprocess.Popen[str], str]:
    """``frontdesk serve`` on a free port, with one manager; ``extra``: more of the
    ``display:`` section (indented YAML)."""
    from frontdesk_display.passwords import hash_password

    hashed = hash_password(PASSWORD)
    display = workdir / "display.yaml"
    display.write_text(
        f"display:\n  users:\n    - {{username: mb, role: manager, password_hash: '{hashed}'}}\n"
        + extra,
        encoding="utf-8",
    )
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    frontdesk = Path(sys.executable).parent / "frontdesk"
    command = [str(frontdesk), "serve", str(EXAMPLE), "--db", str(workdir / "bench.db"),
               "--port", str(port), "--display", str(display)]  # fmt: skip
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, text=True)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 20
    while True:
        try:
            httpx.get(f"{url}/api/v1/centres", timeout=1)
            return server, url
        except httpx.TransportError:
            if time.monotonic() > deadline or server.poll() is not None:
                raise RuntimeError("the server did not start") from None
            time.sleep(0.05)


CALL_AND_WAIT = """
async ([token, before]) => {
  const called = document.getElementById("called");
  const seen = () => called.querySelector("tr[data-number]") &&
    called.querySelector("tr[data-number]").dataset.number !== before;
  const started = performance.now();
  const shown = new Promise((resolve) => {
    const observer = new MutationObserver(() => {
      if (seen()) { observer.disconnect(); resolve(performance.now()); }
    });
    observer.observe(called, {childList: true, subtree: true, attributes: true});
  });
  const answer = await fetch("/api/v1/counters/skranke-1/call-next", {
    method: "POST", headers: {"Authorization": "Bearer " + token}});
  const answered = performance.now();
  const body = await answer.json();
  const at = await shown;
  return [at - started, answered - started, body.ticket.number];
}
"""


def call_to_screen(url: str) -> tuple[list[float], list[float]]:
    """Milliseconds from a call to the number on the screen, and of the call alone."""
    from playwright.sync_api import sync_playwright

    api = f"{url}/api/v1"
    token = httpx.post(f"{api}/token", json={"username": "mb", "password": PASSWORD}).json()
    headers = {"Authorization": f"Bearer {token['token']}"}
    httpx.post(f"{api}/counters/skranke-1/sign-in", headers=headers).raise_for_status()
    to_screen: list[float] = []
    request_only: list[float] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1920, "height": 1080})
        page.goto(f"{url}/screen/nyropsgade")
        page.wait_for_selector("body[data-link=open]", state="attached")
        before = ""
        for index in range(CALLS + 5):
            issued = httpx.post(
                f"{api}/queues/pas/tickets", json={"language": "da"}, headers=headers
            )
            issued.raise_for_status()
            total, request, number = page.evaluate(CALL_AND_WAIT, [token["token"], before])
            before = number
            httpx.post(f"{api}/counters/skranke-1/finish", headers=headers).raise_for_status()
            if index >= 5:  # the first calls warm up the browser and the server
                to_screen.append(total)
                request_only.append(request)
        browser.close()
    return to_screen, request_only


class Connection(Http):
    """The kiosk's connection: a form posted, the page it leads to fetched."""

    async def step(self, path: str, form: dict[str, str]) -> str:
        """Post a kiosk form and fetch the page it leads to; the page's path."""
        status, location, _ = await self.request("POST", path, form=form)
        if status != 303:
            raise RuntimeError(f"kiosk step answered {status}")
        target = urlsplit(location).path
        status, _, _ = await self.request("GET", target)
        if status != 200:
            raise RuntimeError(f"kiosk page answered {status}")
        return target


WALK = ({"option": "passport"}, {"option": "new"}, {"do": "answer"}, {"do": "restart"})


async def kiosk(url: str, kiosk_id: str, until: float, think: tuple[float, float],
                steps: list[float], rng: random.Random) -> None:  # fmt: skip
    """One kiosk walking to 'sent home' and starting again, until ``until``."""
    connection = await Connection.open(url)
    home = f"/kiosk/nyropsgade/{kiosk_id}"
    try:
        while time.perf_counter() < until:
            path = await connection.step(f"{home}/start", {"language": "da"})
            for form in WALK:
                await asyncio.sleep(rng.uniform(*think))
                started = time.perf_counter()
                path = await connection.step(path, form)
                steps.append((time.perf_counter() - started) * 1000)
    finally:
        connection.close()


async def static_file(url: str, until: float, times: list[float]) -> None:
    """The reference: a static file from the same server, under the same load."""
    connection = await Connection.open(url)
    try:
        while time.perf_counter() < until:
            started = time.perf_counter()
            status, _, _ = await connection.request("GET", "/static/live.js")
            if status != 200:
                raise RuntimeError(f"static file answered {status}")
            times.append((time.perf_counter() - started) * 1000)
            await asyncio.sleep(0.05)
    finally:
        connection.close()


async def kiosk_load(
    url: str, think: tuple[float, float]
) -> tuple[list[float], list[float], float]:
    """Step times of 20 kiosks at once, the reference times, and the seconds it ran."""
    steps: list[float] = []
    reference: list[float] = []
    rng = random.Random(7)
    started = time.perf_counter()
    until = started + KIOSK_SECONDS
    tasks = [kiosk(url, f"kiosk-{1 + i % 3}", until, think, steps, rng) for i in range(KIOSKS)]
    await asyncio.gather(*tasks, static_file(url, until, reference))
    return steps, reference, time.perf_counter() - started


def main() -> int:
    """Run both measurements and print the figures."""
    with tempfile.TemporaryDirectory(prefix="frontdesk-bench-") as tmp:
        server, url = start_server(Path(tmp))
        try:
            to_screen, request_only = call_to_screen(url)
            steps, reference, seconds = asyncio.run(kiosk_load(url, THINK))
            flat_out, _, flat_seconds = asyncio.run(kiosk_load(url, (0.0, 0.0)))
        finally:
            server.send_signal(signal.SIGINT)
            server.wait(timeout=15)
    print(f"frontdesk display benchmark ({os.cpu_count()} cores), server: frontdesk serve")
    print(summary("call -> number on the info screen", to_screen))
    print(summary("  reference: the call request alone", request_only))
    p95 = percentile(to_screen, 0.95)
    push = p95 / max(percentile(request_only, 0.95), 1e-9)
    print(f"  p95 target < 200 ms: {'met' if p95 < 200 else 'MISSED'} ({push:.2f}x the request)")
    print(summary(f"kiosk step, {KIOSKS} kiosks tapping", steps))
    print(summary("  reference: static file, same load", reference))
    p99 = percentile(steps, 0.99)
    print(f"  {len(steps) / seconds:.0f} kiosk steps per second over {seconds:.1f} s")
    ratio = p99 / max(percentile(reference, 0.99), 1e-9)
    print(f"  p99 target < 20 ms: {'met' if p99 < 20 else 'MISSED'} ({ratio:.2f}x the static file)")
    print(summary(f"kiosk step, {KIOSKS} kiosks flat out", flat_out))
    print(f"  {len(flat_out) / flat_seconds:.0f} kiosk steps per second at most")
    return 0


if __name__ == "__main__":
    sys.exit(main())
