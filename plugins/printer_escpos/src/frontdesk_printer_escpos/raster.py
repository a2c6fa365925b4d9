"""Text drawn as a picture, for characters the printer's code page does not have.

A code page holds 128 characters beyond ASCII; a name such as "Şahin" or a
Polish "ł" is not among them. Rather than print "?", such a line is drawn
with a TrueType font and sent as a raster image, which every ESC/POS printer
prints.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/TTF/DejaVuSans.ttf",
    "/usr/share/fonts/dejavu/DejaVuSans.ttf",
)
BOLD_CANDIDATES = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
    "/usr/share/fonts/TTF/DejaVuSans-Bold.ttf",
    "/usr/share/fonts/dejavu/DejaVuSans-Bold.ttf",
)
LINE_DOTS = 24
"""The height in dots of one line of the printer's normal font (font A, 12x24)."""

Font = ImageFont.FreeTypeFont | ImageFont.ImageFont


@lru_cache(maxsize=32)
def _font(size: int, bold: bool) -> Font:
    for candidate in BOLD_CANDIDATES if bold else FONT_CANDIDATES:
        if Path(candidate).is_file():
            return ImageFont.truetype(candidate, size)
    # Pillow's own font (a FreeType font since Pillow 10.1) when DejaVu is not installed.
    return ImageFont.load_default(size)


def text_image(
    text: str,
    *,
    dots: int,
    width: int = 1,
    height: int = 1,
    align: str = "left",
    bold: bool = False,
) -> Image.Image:
    """One line of ``text`` as a black-on-white image ``dots`` wide, aligned like text."""
    line_height = LINE_DOTS * height
    size = int(line_height * 0.85)
    font = _font(size, bold)
    left, _, right, _ = font.getbbox(text)
    text_width = max(1, int((right - left) * width / height))
    while text_width > dots and size > 8:
        # Too wide for the paper even after wrapping: shrink rather than cut it off.
        size -= 2
        font = _font(size, bold)
        left, _, right, _ = font.getbbox(text)
        text_width = max(1, int((right - left) * width / height))
    natural = Image.new("L", (max(1, int(right - left)), line_height), 255)
    ImageDraw.Draw(natural).text((-left, line_height // 2), text, font=font, fill=0, anchor="lm")
    if width != height:
        natural = natural.resize((text_width, line_height))
    canvas = Image.new("L", (dots, line_height), 255)
    offset = {"left": 0, "center": (dots - natural.width) // 2, "right": dots - natural.width}
    canvas.paste(natural, (max(0, offset.get(align, 0)), 0))
    return canvas
