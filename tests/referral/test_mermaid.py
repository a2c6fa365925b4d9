"""Drawing trees as Mermaid flowcharts: shapes, labels, conditions and escaping."""

from __future__ import annotations

from pathlib import Path

from frontdesk_core import check
from frontdesk_core.referral.mermaid import render_mermaid

from .conftest import ALL_KINDS, write_config


def test_every_kind_of_node_has_its_shape_and_every_reference_an_arrow(tmp_path: Path) -> None:
    config, _ = check(write_config(tmp_path, ALL_KINDS))
    assert config is not None
    text = render_mermaid(config.tree("main"), config, "en")
    lines = text.splitlines()
    assert lines[0] == "flowchart TD"
    assert '    n0{"errand: What is your errand?"}' in lines
    assert '    n1[/"passport-docs: Do you have these?"/]' in lines
    assert '    n2(["passport-queue: queue pass, service passport"])' in lines
    assert '    n3(["passport-home: send home; photo; book passport"])' in lines
    assert '    n4{{"tax-branch"}}' in lines
    assert '    n11["permit-info: By appointment only"]' in lines
    assert '    n0 -->|"Passport"| n1' in lines
    assert '    n0 -.->|"The Annex [centre = main]"| n9' in lines
    assert '    n1 -->|"all there"| n2' in lines
    assert '    n1 -->|"something missing"| n3' in lines
    assert '    n4 -.->|"queue.tax.length > 10"| n6' in lines
    assert '    n4 -->|"otherwise"| n5' in lines
    assert "    n11 --> n12" in lines
    assert "    class n10 check_in" in lines
    arrows = [line for line in lines if "->" in line]
    assert len(arrows) == 7 + 2 + 3 + 1  # options, checklist, branch, info


def test_texts_are_escaped_and_in_the_chosen_language(tmp_path: Path) -> None:
    tree = ALL_KINDS.replace("Hvad skal du?", '"Hvad skal \\"du\\"\\n nu?"')
    config, problems = check(write_config(tmp_path, tree))
    assert config is not None, problems
    text = render_mermaid(config.tree("main"), config)
    assert '    n0{"errand: Hvad skal #quot;du#quot; nu?"}' in text.splitlines()
    assert '-->|"alt er med"|' in text
