"""PDFs in Chinese that print the same anywhere: the fonts travel inside the file.

Every PDF the product makes (公开报告单, the printed bulletin notice, the street office's evaluation
table) starts from ``cjk_pdf``. fpdf2 embeds a subset of each TrueType font it uses, so a reader's
machine needs no Chinese font of its own.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from fpdf import FPDF

# A TrueType font with CJK glyphs: Debian's fonts-droid-fallback (installed by make demo / make test, see
# the README); GONGKAI_CJK_FONT names another one.
FONT_CANDIDATES = [
    os.environ.get("GONGKAI_CJK_FONT", ""),
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
]
LATIN_CANDIDATES = [
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
]


class FontMissing(RuntimeError):
    """No CJK font on this machine: the PDF cannot be printed in Chinese."""


def cjk_font() -> Path:
    for candidate in FONT_CANDIDATES:
        if candidate and Path(candidate).is_file():
            return Path(candidate)
    raise FontMissing("服务器缺少中文字体,暂时无法生成 PDF。请管理员安装 fonts-droid-fallback 后重试。")


def latin_font() -> Path | None:
    """Digits and Latin letters: the CJK fallback font has none of its own."""
    return next((Path(c) for c in LATIN_CANDIDATES if Path(c).is_file()), None)


def cjk_pdf(*, bold: bool = False, **options: Any) -> tuple[FPDF, str]:
    """A new ``FPDF(**options)`` with the Chinese font registered, and the family name to use.

    Latin text and digits use a Latin font when there is one, with the CJK font as fallback for
    every character it lacks. The CJK font has a single face: ``bold`` registers it once more as the
    bold style, which fpdf2 needs for HTML headings and table headers (parsing a font costs ~0.2 s,
    so only the PDFs that lay out HTML ask for it). Raises ``FontMissing`` (with a Chinese message
    for the page) when the server has no CJK font.
    """
    font = cjk_font()
    styles = ("", "B") if bold else ("",)
    pdf = FPDF(**options)
    for style in styles:
        pdf.add_font("cjk", style=style, fname=str(font))
    latin = latin_font()
    if latin is None:
        return pdf, "cjk"
    for style in styles:
        pdf.add_font("latin", style=style, fname=str(latin))
    pdf.set_fallback_fonts(["cjk"])
    return pdf, "latin"
