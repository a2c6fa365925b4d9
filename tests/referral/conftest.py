"""A small configuration of our own for the referral tests, and helpers to load trees.

Testby has two centres: ``main`` (queues ``pass`` and ``tax``, kiosk ``k1``) and
``annex`` (queue ``annex-q``). Documents ``old_passport`` and ``photo``; services
``passport`` (bookable), ``tax`` (not bookable), ``licence`` (booking only) and
``permit`` (bookable in person or by phone); one authority, ``jobcenter``.

A test writes its tree as YAML into ``tree.yaml`` next to ``base.yaml``, so the
positions in messages are those of the tree file alone.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest

from frontdesk_core import check
from frontdesk_core.config.models import Config
from frontdesk_core.plugins import builtin_context

BASE = """\
site:
  id: testby
  name: Testby Kommune
  languages: [da, en]
  booking:
    url: https://testby.dk/book

centres:
  - id: main
    name: {da: Borgerservice, en: Citizen Service}
    address: Rådhuspladsen 1, 9999 Testby
    opening_hours:
      mon: "09:00-15:00"
      tue: "09:00-15:00"
      wed: "09:00-15:00"
      thu: "09:00-17:30"
      fri: "09:00-13:00"
    queues:
      - id: pass
        name: {da: Pas, en: Passport}
        prefix: P
        where: {da: Venteområde A, en: Waiting area A}
      - id: tax
        name: {da: Skat, en: Tax}
        prefix: S
    counters:
      - id: c1
        name: {da: Skranke 1, en: Counter 1}
        queues: [pass, tax]
      - id: c2
        name: {da: Skranke 2, en: Counter 2}
        queues: [tax]
    kiosks:
      - id: k1
        name: Kiosk 1
    tree: main
  - id: annex
    name: {da: Annekset, en: The Annex}
    address: Rådhuspladsen 3, 9999 Testby
    opening_hours:
      mon: "10:00-14:00"
      thu: ["10:00-12:00", "13:00-17:00"]
    queues:
      - id: annex-q
        name: {da: Annekset, en: The Annex}
        prefix: A
    counters:
      - id: a1
        name: {da: Skranke A, en: Counter A}
        queues: [annex-q]
    kiosks:
      - id: ak
        name: Annex kiosk
    tree: main

documents:
  - id: old_passport
    name: {da: Gammelt pas, en: Old passport}
  - id: photo
    name: {da: Pasfoto, en: Passport photo}
    help: {da: Højst 6 måneder gammelt, en: At most 6 months old}

services:
  - id: passport
    name: {da: Pas, en: Passport}
    queue: pass
    documents: [old_passport, photo]
    booking:
      duration: 15 min
      min_notice: 0 min
  - id: tax
    name: {da: Skat, en: Tax}
    queue: tax
  - id: licence
    name: {da: Kørekort, en: Driving licence}
    queue: pass
    booking_only: true
    booking:
      duration: 15 min
  - id: permit
    name: {da: Byggetilladelse, en: Building permit}
    queue: annex-q
    booking:
      duration: 30 min
      channels: [in_person, phone]

authorities:
  - id: jobcenter
    name: {da: Jobcentret, en: The Job Centre}
    address: Jobvej 1, 9999 Testby
    opening_hours: {da: Man-fre 9-15, en: Mon-Fri 9-15}
    where: {da: Stueetagen, en: Ground floor}
    phone: "+45 11 22 33 44"
    url: https://testby.dk/job
"""

ALL_KINDS = """\
trees:
  - id: main
    name: Every kind of node
    start: errand
    nodes:
      - kind: question
        id: errand
        text: {da: Hvad skal du?, en: What is your errand?}
        help: {da: Vælg en, en: Choose one}
        options:
          - id: passport
            label: {da: Pas, en: Passport}
            icon: passport
            help: {da: Nyt pas, en: New passport}
            next: passport-docs
          - id: tax
            label: {da: Skat, en: Tax}
            next: tax-branch
          - id: job
            label: {da: Job, en: Jobs}
            next: to-jobcenter
          - id: annex
            label: {da: Annekset, en: The Annex}
            when: {var: centre, eq: main}
            next: to-annex
          - id: english
            label: {da: Engelsk, en: English help}
            when: {var: language, eq: en}
            next: booked
          - id: booked
            label: {da: Jeg har en tid, en: I have an appointment}
            next: booked
          - id: book
            label: {da: Bestil tid, en: Book a time}
            next: permit-info
      - kind: checklist
        id: passport-docs
        text: {da: Har du dette med?, en: Do you have these?}
        documents: [old_passport, photo]
        next: passport-queue
        missing: passport-home
      - kind: queue
        id: passport-queue
        queue: pass
        service: passport
        priority: 3
        note: Pas
      - kind: send_home
        id: passport-home
        text: {da: Kom igen, en: Come back}
        documents: [photo]
        book_service: passport
      - kind: branch
        id: tax-branch
        cases:
          - when: {var: queue.tax.length, gt: 10}
            next: tax-book
          - when: {var: time, ge: "14:00"}
            next: tax-home
        otherwise: tax-queue
      - kind: queue
        id: tax-queue
        queue: tax
        service: tax
      - kind: book
        id: tax-book
        service: permit
      - kind: send_home
        id: tax-home
        text: {da: Kom i morgen, en: Come tomorrow}
        url: https://skat.dk
      - kind: refer
        id: to-jobcenter
        authority: jobcenter
      - kind: refer
        id: to-annex
        centre: annex
        text: {da: Gå til annekset, en: Go to the Annex}
      - kind: check_in
        id: booked
      - kind: info
        id: permit-info
        text: {da: Kun efter aftale, en: By appointment only}
        next: permit-book
      - kind: book
        id: permit-book
        service: permit
        text: {da: Vælg en tid, en: Choose a time}
"""


def write_config(directory: Path, tree_yaml: str) -> Path:
    """A configuration directory holding ``base.yaml`` and ``tree.yaml``."""
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "base.yaml").write_text(BASE, encoding="utf-8")
    (directory / "tree.yaml").write_text(tree_yaml, encoding="utf-8")
    return directory


Problems = Callable[..., list[str]]


@pytest.fixture
def problems(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Problems:
    """Check a tree against the base configuration; the problems as 'file:line:col: message'."""
    directory = write_config(tmp_path / "cfg", "")
    monkeypatch.chdir(directory)

    def run(tree_yaml: str, *, functions: frozenset[str] = frozenset()) -> list[str]:
        write_config(directory, tree_yaml)
        _, found = check(".", replace(builtin_context(), condition_functions=functions))
        return [str(p) for p in found]

    return run


@pytest.fixture
def config(tmp_path: Path) -> Config:
    """The base configuration with the tree that has every kind of node."""
    loaded, found = check(write_config(tmp_path / "all", ALL_KINDS))
    if loaded is None:
        raise AssertionError("\n".join(str(p) for p in found))
    return loaded
