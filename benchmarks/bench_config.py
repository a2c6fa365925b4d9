"""Validating a configuration grows linearly with its size.

Run: ``.venv/bin/python benchmarks/bench_config.py``

Generates configurations of about 0.5, 1 and 2 MB (many centres with their
queues and counters, documents, services, and a referral tree per centre with
questions, checklists, branches and outcomes), then times ``frontdesk
validate``'s check of each, best of a few rounds. Printed: wall-clock and CPU
seconds per size, CPU seconds per MB, and how much longer the 2 MB one takes
than the 1 MB one (2.0 when it grows linearly). Target: the 2 MB configuration
in under 2 s of CPU time (the wall-clock time too on a machine of its own).
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from frontdesk_core.loading import check

ROUNDS = 3
TARGET_SECONDS = 2.0
SIZES_MB = (0.5, 1.0, 2.0)

SITE = """\
site:
  id: bench
  name: Bench Kommune
  languages: [da, en]
  timezone: Europe/Copenhagen
include:
  - "*.yaml"
"""


def _centre(c: int) -> str:
    queues = "".join(
        f"""      - id: q{c}-{q}
        name: {{da: Kø {q}, en: Queue {q}}}
        prefix: {"ABCD"[q]}
        target: 80% within 15 minutes
        where: {{da: "Venteområde {q}", en: "Waiting area {q}"}}
"""
        for q in range(4)
    )
    counters = "".join(
        f"""      - id: c{c}-{k}
        name: {{da: Skranke {k}, en: Counter {k}}}
        queues: [q{c}-{k % 4}, q{c}-{(k + 1) % 4}]
        location: {{da: "Stueetagen, skranke {k}", en: "Ground floor, counter {k}"}}
"""
        for k in range(6)
    )
    return f"""  - id: centre-{c}
    name: {{da: Borgerservice {c}, en: Citizen Service {c}}}
    address: Torvet {c}, 9999 Testby
    opening_hours:
      mon: "10:00-15:00"
      tue: "10:00-15:00"
      thu: ["10:00-12:00", "13:00-17:30"]
    exceptions:
      - date: 2026-12-23
        hours: "10:00-13:00"
        reason: {{da: Lille juleaftensdag, en: Short day before Christmas}}
    queues:
{queues}    counters:
{counters}    kiosks:
      - {{id: k{c}, name: Kiosk {c}}}
    tree: tree-{c}
"""


def _errand(c: int, e: int, documents: int) -> str:
    first, second = (c * 7 + e) % documents, (c * 7 + e + 1) % documents
    return f"""      - kind: checklist
        id: docs-{e}
        text: {{da: Har du dette med?, en: Do you have these with you?}}
        documents: [doc-{first}, doc-{second}]
        next: when-{e}
        missing: home-{e}
      - kind: branch
        id: when-{e}
        cases:
          - when: {{var: queue.q{c}-{e % 4}.length, gt: 10}}
            next: home-{e}
        otherwise: queue-{e}
      - kind: queue
        id: queue-{e}
        queue: q{c}-{e % 4}
        service: service-{c}-{e}
        text: {{da: Tag et nummer og vent på skærmen., en: Take a number and watch the screen.}}
      - kind: send_home
        id: home-{e}
        text: {{da: "Kom igen med det der mangler.", en: "Come back with what is missing."}}
        documents: [doc-{first}]
"""


def _tree(c: int, errands: int, documents: int) -> str:
    options = "".join(
        f"""          - id: errand-{e}
            label: {{da: Ærinde {e}, en: Errand {e}}}
            next: docs-{e}
"""
        for e in range(errands)
    )
    nodes = "".join(_errand(c, e, documents) for e in range(errands))
    return f"""  - id: tree-{c}
    name: Borgerservice {c}
    start: errand
    nodes:
      - kind: question
        id: errand
        text: {{da: Hvad skal du?, en: What is your errand?}}
        options:
{options}{nodes}"""


def generate(directory: Path, megabytes: float) -> int:
    """Write a configuration of about ``megabytes`` into ``directory``; its size in bytes."""
    directory.mkdir(parents=True)
    errands, documents = 8, 200
    centre_bytes = len(_centre(0)) + len(_tree(0, errands, documents))
    centre_bytes += errands * 200  # its services
    centres = max(1, round(megabytes * 1_000_000 / centre_bytes))
    files = {
        "frontdesk.yaml": SITE,
        "centres.yaml": "centres:\n" + "".join(_centre(c) for c in range(centres)),
        "trees.yaml": "trees:\n" + "".join(_tree(c, errands, documents) for c in range(centres)),
        "documents.yaml": "documents:\n"
        + "".join(
            f"  - id: doc-{d}\n    name: {{da: Dokument {d}, en: Document {d}}}\n"
            for d in range(documents)
        ),
        "services.yaml": "services:\n"
        + "".join(
            f"  - id: service-{c}-{e}\n    name: {{da: Ærinde {e}, en: Errand {e}}}\n"
            f"    queue: q{c}-{e % 4}\n    documents: [doc-{(c * 7 + e) % documents}]\n"
            for c in range(centres)
            for e in range(errands)
        ),
    }
    for name, text in files.items():
        (directory / name).write_text(text, encoding="utf-8")
    return sum(len(text.encode("utf-8")) for text in files.values())


def seconds_to_check(directory: Path) -> tuple[float, float]:
    """The best of ``ROUNDS`` checks of the configuration (it must be valid): wall-clock
    and CPU seconds (on a shared machine the CPU time is what the check itself costs)."""
    wall = cpu = float("inf")
    for _ in range(ROUNDS):
        began, began_cpu = time.perf_counter(), time.process_time()
        config, problems = check(directory)
        wall = min(wall, time.perf_counter() - began)
        cpu = min(cpu, time.process_time() - began_cpu)
        if config is None:
            raise SystemExit("\n".join(str(p) for p in problems[:10]))
    return wall, cpu


def main() -> int:
    """Print the figures; exit 1 if the 2 MB configuration takes longer than the target."""
    figures: list[tuple[int, float, float]] = []
    with tempfile.TemporaryDirectory(prefix="frontdesk-bench-") as tmp:
        for index, megabytes in enumerate(SIZES_MB):
            directory = Path(tmp) / f"config{index}"
            size = generate(directory, megabytes)
            figures.append((size, *seconds_to_check(directory)))
    for size, wall, cpu in figures:
        per_mb = cpu / (size / 1_000_000)
        print(
            f"validate {size / 1_000_000:4.2f} MB: {wall:6.2f} s wall, {cpu:6.2f} s CPU "
            f"({per_mb:.2f} s CPU per MB)"
        )
    (small, _, t_small), (large, _, t_large) = figures[-2], figures[-1]
    print(
        f"{large / small:.1f}x the size takes {t_large / t_small:.2f}x the CPU time "
        f"(linear: {large / small:.1f}x); target for 2 MB: under {TARGET_SECONDS:.0f} s"
    )
    return 0 if t_large < TARGET_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())
