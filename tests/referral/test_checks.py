"""The static checks of referral trees, each with its exact positioned message."""

from __future__ import annotations

import textwrap

from .conftest import ALL_KINDS, Problems


def tree(*nodes: str, start: str = "errand") -> str:
    """A tree file whose nodes start on line 6 (at column 7 for ``- kind``)."""
    body = "".join(textwrap.dedent(part.rstrip(" ")) for part in nodes)
    return (
        "trees:\n"
        "  - id: main\n"
        "    name: Test\n"
        f"    start: {start}\n"
        "    nodes:\n" + textwrap.indent(body, "      ")
    )


QUEUE = """\
        - kind: queue
          id: end
          queue: pass
"""


def test_the_tree_with_every_kind_of_node_is_valid(problems: Problems) -> None:
    assert problems(ALL_KINDS) == []


def test_a_reference_to_a_missing_node(problems: Problems) -> None:
    text = tree(
        """\
        - kind: question
          id: errand
          text: {da: Hvad?, en: What?}
          options:
            - id: a
              label: {da: A, en: A}
              next: edn
        """,
        QUEUE,
    )
    assert problems(text) == ["tree.yaml:12:19: unknown node 'edn'; did you mean 'end'?"]


def test_an_unknown_start(problems: Problems) -> None:
    assert problems(tree(QUEUE, start="begin")) == [
        "tree.yaml:4:12: unknown node 'begin'; known: 'end'"
    ]


def test_duplicate_node_and_option_ids(problems: Problems) -> None:
    text = tree(
        """\
        - kind: question
          id: errand
          text: {da: Hvad?, en: What?}
          options:
            - id: a
              label: {da: A, en: A}
              next: end
            - id: a
              label: {da: B, en: B}
              next: end
        """,
        QUEUE,
        QUEUE,
    )
    assert problems(text) == [
        "tree.yaml:13:17: duplicate option id 'a' (first used at tree.yaml:10)",
        "tree.yaml:20:13: duplicate node id 'end' (first used at tree.yaml:17)",
    ]


def test_a_loop(problems: Problems) -> None:
    text = tree(
        """\
        - kind: info
          id: errand
          text: {da: Hej, en: Hello}
          next: again
        - kind: checklist
          id: again
          text: {da: Har du?, en: Do you have?}
          documents: [photo]
          next: end
          missing: errand
        """,
        QUEUE,
    )
    assert problems(text) == [
        "tree.yaml:15:18: 'errand' leads back here and makes a loop (errand -> again -> errand); "
        "every path must end in an outcome"
    ]


def test_an_unreachable_node(problems: Problems) -> None:
    text = tree(
        """\
        - kind: check_in
          id: errand
        - kind: refer
          id: lonely
          authority: jobcenter
        """
    )
    assert problems(text) == [
        "tree.yaml:9:13: no path from the start 'errand' reaches node 'lonely'"
    ]


def test_a_question_whose_options_can_all_be_hidden(problems: Problems) -> None:
    text = tree(
        """\
        - kind: question
          id: errand
          text: {da: Hvad?, en: What?}
          options:
            - id: a
              label: {da: A, en: A}
              when: {var: language, eq: da}
              next: end
        """,
        QUEUE,
    )
    assert problems(text) == [
        "tree.yaml:10:11: every option of question 'errand' has a 'when': when none holds the "
        "citizen is stuck; leave at least one option without 'when'"
    ]


def test_outcomes_name_what_exists(problems: Problems) -> None:
    text = tree(
        """\
        - kind: question
          id: errand
          text: {da: Hvad?, en: What?}
          options:
            - {id: a, label: {da: A, en: A}, next: q}
            - {id: b, label: {da: B, en: B}, next: home}
            - {id: c, label: {da: C, en: C}, next: away}
            - {id: d, label: {da: D, en: D}, next: book}
            - {id: e, label: {da: E, en: E}, next: nowhere}
            - {id: f, label: {da: F, en: F}, next: docs}
            - {id: g, label: {da: G, en: G}, next: licence}
        - {kind: queue, id: q, queue: pas, service: pasport}
        - {kind: send_home, id: home, text: {da: Hjem, en: Home}, documents: [foto], book_service: tax}
        - {kind: refer, id: away, authority: jobcentre, centre: anex}
        - {kind: book, id: book, service: tax}
        - {kind: refer, id: nowhere}
        - {kind: checklist, id: docs, text: {da: Har du?, en: Have you?}, documents: [photos], next: q, missing: home}
        - {kind: queue, id: licence, queue: pass, service: licence}
        """  # noqa: E501
    )
    assert problems(text) == [
        "tree.yaml:17:37: unknown queue 'pas'; did you mean 'pass'?",
        "tree.yaml:17:51: unknown service 'pasport'; did you mean 'passport'?",
        "tree.yaml:18:77: unknown document 'foto'; did you mean 'photo'?",
        "tree.yaml:18:98: service 'tax' cannot be booked: it has no 'booking' section",
        "tree.yaml:19:44: unknown authority 'jobcentre'; did you mean 'jobcenter'?",
        "tree.yaml:19:63: unknown centre 'anex'; did you mean 'annex'?",
        "tree.yaml:20:41: service 'tax' cannot be booked: it has no 'booking' section",
        "tree.yaml:21:9: the referral 'nowhere' names neither an 'authority' nor a 'centre'",
        "tree.yaml:22:85: unknown document 'photos'; did you mean 'photo'?",
        "tree.yaml:23:58: service 'licence' is served by appointment only; "
        "send the citizen to a 'book' outcome instead of a queue",
    ]


def test_a_centre_names_an_existing_tree(problems: Problems) -> None:
    found = problems(tree(QUEUE, start="end").replace("id: main", "id: other"))
    assert found[0].startswith("base.yaml:")
    assert found[0].endswith("unknown referral tree 'main'; known: 'other'")


def branch(when: str) -> str:
    """A tree whose branch condition is written on line 15, column 19."""
    return tree(
        f"""\
        - kind: question
          id: errand
          text: {{da: Hvad?, en: What?}}
          options:
            - {{id: a, label: {{da: A, en: A}}, next: check}}
            - {{id: b, label: {{da: B, en: B}}, next: check}}
        - kind: branch
          id: check
          cases:
            - when: {when}
              next: end
          otherwise: end
        """,
        QUEUE,
    )


CONDITION_CASES = [
    ("{var: answer.errand, eq: a}", []),
    (
        "{var: answer.errand, eq: c}",
        ["15:44: at question 'errand': unknown option 'c'; known: 'a', 'b'"],
    ),
    (
        "{var: answer.erand, eq: a}",
        ["15:25: unknown question 'erand'; did you mean 'errand'? in 'answer.erand'"],
    ),
    (
        "{var: answer.end, eq: a}",
        ["15:25: 'answer.end' needs a question, but 'end' is a queue node"],
    ),
    ("{var: missing.photo, eq: true}", []),
    (
        "{var: missing.foto, eq: true}",
        ["15:25: unknown document 'foto'; did you mean 'photo'? in 'missing.foto'"],
    ),
    ("{var: missing.photo, eq: 1}", ["15:44: 'missing.photo' is true or false; got the number 1"]),
    ("{var: missing_count, ge: 1}", []),
    ("{var: queue.tax.length, gt: 10}", []),
    ("{var: queue.tax.wait, le: 30.5}", []),
    ("{var: queue.tax.open, eq: false}", []),
    (
        "{var: queue.tx.open, eq: false}",
        ["15:25: unknown queue 'tx'; did you mean 'tax'? in 'queue.tx.open'"],
    ),
    (
        "{var: queue.tax.size, gt: 1}",
        [
            "15:25: 'queue.tax.size' names no queue attribute; write queue.<id>.open, .length or .wait"  # noqa: E501
        ],
    ),
    ("{var: queue.tax.length, gt: many}", ["15:47: 'queue.tax.length' is a number; got 'many'"]),
    ("{var: queue.tax.length, gt: true}", ["15:47: 'queue.tax.length' is a number; got true"]),
    ("{var: time, ge: '14:00'}", []),
    ("{var: time, ge: '25:00'}", ["15:35: '25:00' is not a time of day; write it like '09:00'"]),
    ("{var: weekday, in: [mon, thu]}", []),
    ("{var: weekday, in: [mon, tues]}", ["15:44: unknown weekday 'tues'; did you mean 'tue'?"]),
    (
        "{var: weekday, gt: mon}",
        ["15:34: 'weekday' cannot be compared with 'gt'; use eq, ne, in or not_in"],
    ),
    ("{var: centre, ne: annex}", []),
    ("{var: centre, eq: anex}", ["15:37: unknown centre 'anex'; did you mean 'annex'?"]),
    ("{var: language, not_in: [de]}", ["15:44: unknown language 'de'; known: 'da', 'en'"]),
    ("{var: langauge, eq: da}", ["15:25: unknown variable 'langauge'; did you mean 'language'?"]),
    (
        "{var: centre}",
        [
            "15:19: a comparison needs exactly one operator (eq, ne, lt, le, gt, ge, in, not_in); it has none"  # noqa: E501
        ],
    ),
    (
        "{var: centre, eq: main, ne: annex}",
        [
            "15:19: a comparison needs exactly one operator (eq, ne, lt, le, gt, ge, in, not_in); it has 2: eq, ne"  # noqa: E501
        ],
    ),
    (
        "{all: [{var: centre, eq: main}, {not: {var: time, lt: '9'}}]}",
        ["15:73: '9' is not a time of day; write it like '09:00'"],
    ),
    (
        "{any: [{call: open_today}, {call: busy}]}",
        ["15:53: unknown condition function 'busy'; did you mean 'busy_day'?"],
    ),
]


def test_conditions_are_checked(problems: Problems) -> None:
    failures = []
    for when, expected in CONDITION_CASES:
        got = problems(branch(when), functions=frozenset({"open_today", "busy_day"}))
        want = [f"tree.yaml:{e}" for e in expected]
        if got != want:
            failures.append(f"{when}:\n  got  {got}\n  want {want}")
    assert not failures, "\n".join(failures)


def test_an_answer_must_be_asked_before_the_condition(problems: Problems) -> None:
    text = tree(
        """\
        - kind: question
          id: errand
          text: {da: Hvad?, en: What?}
          options:
            - id: a
              label: {da: A, en: A}
              when: {var: answer.errand, eq: a}
              next: end
            - id: b
              label: {da: B, en: B}
              next: end
        """,
        QUEUE,
    )
    assert problems(text) == [
        "tree.yaml:12:25: the question 'errand' is never asked before this point, "
        "so 'answer.errand' is always empty here"
    ]


def test_condition_functions_must_be_registered(problems: Problems) -> None:
    assert problems(branch("{call: busy_day, args: {limit: 3}}")) == [
        "tree.yaml:15:26: unknown condition function 'busy_day'; there is no condition function at all"  # noqa: E501
    ]
    assert (
        problems(branch("{call: busy_day, args: {limit: 3}}"), functions=frozenset({"busy_day"}))
        == []
    )
