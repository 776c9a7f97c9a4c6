"""PDFs in Chinese that print the same anywhere: the fonts travel inside the file.

Every PDF the product makes (公开报告单, the printed bulletin notice, the 台帐, the street office's evaluation
table) starts from ``cjk_pdf``. fpdf2 embeds a subset of each TrueType font it uses, so a reader's
machine needs no Chinese font of its own.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from django.conf import settings
from fpdf import FPDF

# The project's own font: Noto Sans SC (SIL Open Font License), from the npm registry
# (package.json: @expo-google-fonts/noto-sans-sc), installed by make with the other front-end packages.
# It carries Chinese, Latin letters and digits, in a real regular and a real bold face, so a fresh
# machine needs no font package. GONGKAI_CJK_FONT names another TrueType file (one face for both).
FONT_FACES = {
    "": Path("@expo-google-fonts", "noto-sans-sc", "400Regular", "NotoSansSC_400Regular.ttf"),
    "B": Path("@expo-google-fonts", "noto-sans-sc", "700Bold", "NotoSansSC_700Bold.ttf"),
}
FONT_NAME = "NotoSansSC"  # as the embedded font names itself (its PostScript name begins so)


class FontMissing(RuntimeError):
    """The Chinese font is not installed: the PDF cannot be printed in Chinese."""


def font_file(style: str = "") -> Path:
    """The TrueType file for ``style`` ("" regular, "B" bold)."""
    override = os.environ.get("GONGKAI_CJK_FONT", "")
    path = Path(override) if override else Path(settings.NODE_MODULES) / FONT_FACES[style]
    if not path.is_file():
        raise FontMissing(
            "服务器缺少 PDF 所用的中文字体,暂时无法生成 PDF。请管理员在程序目录运行 make install 后重试。"
        )
    return path


def cjk_pdf(*, bold: bool = False, document: type[FPDF] = FPDF, **options: Any) -> tuple[FPDF, str]:
    """A new ``document(**options)`` with the Chinese font registered, and the family name to use
    (``document``: an ``FPDF`` subclass that draws a header or footer on every page).

    ``bold`` registers the bold face as well, which fpdf2 needs for HTML headings and table headers
    (parsing a face costs a fraction of a second, so only the PDFs that lay out HTML ask for it).
    Raises ``FontMissing`` (with a Chinese message for the page) when the font is not installed.
    """
    pdf = document(**options)
    for style in ("", "B") if bold else ("",):
        pdf.add_font("cjk", style=style, fname=str(font_file(style)))
    return pdf, "cjk"
