"""Layout steps to ESC/POS bytes, checked by decoding the bytes again."""

from __future__ import annotations

import textwrap

import pytest
from escpos_decode import Cut as DecodedCut
from escpos_decode import decode
from frontdesk_printer_escpos.encode import encode_ticket, printable
from frontdesk_printer_escpos.layout import Cut, Feed, Qr, Rule, Step, Style, TextLine
from hypothesis import given
from hypothesis import strategies as st

DANISH = "Blåbærgrød på Ærø, Øresund og Åbenrå"


@pytest.mark.parametrize(
    ("code_page", "table", "codec"),
    [
        ("CP865", 5, "cp865"),
        ("CP850", 2, "cp850"),
        ("CP858", 19, "cp858"),
        ("CP1252", 16, "cp1252"),
    ],
)
def test_danish_letters_are_sent_in_the_chosen_code_page(
    code_page: str, table: int, codec: str
) -> None:
    data = encode_ticket([TextLine(DANISH, Style())], code_page=code_page)
    assert data.startswith(b"\x1b@\x1bt" + bytes([table]))
    assert DANISH.encode(codec) in data
    decoded = decode(data)
    assert decoded.code_pages == [codec]
    assert decoded.texts == [DANISH]
    assert not decoded.rasters


def test_a_character_outside_the_code_page_is_drawn_not_replaced() -> None:
    steps: list[Step] = [
        TextLine("Før", Style()),
        TextLine("Şahin Łódź", Style("center", 2, 2, True)),
        TextLine("Efter", Style()),
    ]
    decoded = decode(encode_ticket(steps, dots=576))
    assert decoded.texts == ["Før", "Efter"]
    (raster,) = decoded.rasters
    assert (raster.width, raster.height) == (576, 48)
    assert raster.ink > 200
    columns = raster.column_ink()
    inked = [x for x, count in enumerate(columns) if count]
    # Centred: the ink is spread around the middle of the paper, not at an edge.
    assert abs((inked[0] + inked[-1]) / 2 - 288) < 20


def test_a_raster_line_is_aligned_like_text() -> None:
    left = decode(encode_ticket([TextLine("ş", Style("left"))], dots=384)).rasters[0]
    right = decode(encode_ticket([TextLine("ş", Style("right"))], dots=384)).rasters[0]
    assert max(x for x, c in enumerate(left.column_ink()) if c) < 40
    assert min(x for x, c in enumerate(right.column_ink()) if c) > 340


def test_long_text_wraps_to_the_paper_and_size() -> None:
    text = "Husk at medbringe gammelt pas, billedlegitimation og et nyt foto"
    decoded = decode(
        encode_ticket(
            [TextLine(text, Style()), TextLine(text, Style(width=2, height=2))], columns=32
        )
    )
    assert decoded.texts == textwrap.wrap(text, 32) + textwrap.wrap(text, 16)
    normal = len(textwrap.wrap(text, 32))
    widths = [line.width for line in decoded.lines]
    assert widths == [1] * normal + [2] * (len(widths) - normal)


def test_control_characters_never_reach_the_printer() -> None:
    assert printable("P\x1bd\x07001\x1dV") == "P d 001 V"
    decoded = decode(encode_ticket([TextLine("A\x1dV\x01B", Style())]))
    assert decoded.texts == ["A V B"]
    assert not decoded.cuts


def test_qr_feed_rule_and_cut() -> None:
    steps: list[Step] = [
        Rule(Style(width=2)),
        Feed(3),
        Qr("https://kk.example/billet/P007?sprog=da&kø=pas", "center"),
        Cut(),
    ]
    decoded = decode(encode_ticket(steps, columns=48, cut="full", qr_size=5))
    assert decoded.texts[0] == "-" * 24
    assert decoded.texts[1:4] == ["", "", ""]
    (qr,) = decoded.qr_codes
    assert (qr.content, qr.size, qr.align) == (
        "https://kk.example/billet/P007?sprog=da&kø=pas",
        5,
        "center",
    )
    assert decoded.cuts == [DecodedCut(partial=False)]


@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyzæøåÆØÅ0123456789 .,:-", max_size=120))
def test_any_danish_text_prints_as_written(text: str) -> None:
    decoded = decode(encode_ticket([TextLine(text, Style())], columns=48))
    expected = textwrap.wrap(text, 48, break_long_words=True) if text.strip() else [""]
    assert decoded.texts == expected
    assert not decoded.rasters
