"""Electronic certificates as A4 PDF: bilingual, with an embedded CJK font and a QR code.

Font decision: no maintained pip package ships a Simplified-Chinese font, so the PDF embeds Noto
Sans CJK SC from Debian's ``fonts-noto-cjk`` package (SIL Open Font License), which the install
and CI scripts put in ``/usr/share/fonts/opentype/noto/``. Set ``ONESTOP_PDF_FONT`` to a TTF, OTF
or TTC file to use another font (for a collection, the first Simplified-Chinese "SC" face is
chosen). When no font is found, ``PdfFontMissing`` says where it looked and how to fix it: a
certificate is never rendered without its Chinese text.

Noto Sans CJK is a CFF-based OpenType font: fpdf2 embeds it (via fontTools) as a CID-keyed CFF
font program (``/FontFile3``, subtype ``CIDFontType0C``), subset to the glyphs used, so a
certificate stays around 35 KB instead of carrying the 16 MB font. One face is embedded: bold
text is drawn filled and stroked, because parsing and subsetting a second CJK face would double
the time a certificate takes (about a second on an idle two-core machine; results are cached).

The QR code (``qrcode`` package, error correction M) holds ``verify_url``; it is drawn as a PNG
image so any reader, and the tests, can decode it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import qrcode
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from fpdf import FPDF
from fpdf.enums import TextMode, XPos, YPos
from PIL import Image

DEBIAN_FONT_DIR = Path("/usr/share/fonts/opentype/noto")
DEFAULT_FONTS = (
    # Debian/Ubuntu fonts-noto-cjk, then the layouts of other distributions.
    DEBIAN_FONT_DIR / "NotoSansCJK-Regular.ttc",
    Path("/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc"),
    Path("/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc"),
)
FAMILY = "onestop-cjk"


class PdfFontMissing(ImproperlyConfigured):
    """No CJK font is available to embed in certificate PDFs."""


@dataclass(frozen=True)
class FontChoice:
    path: Path
    index: int  # face number inside a collection (TTC); 0 for a single font


def _sc_face_index(path: Path) -> int:
    """Index of the first Simplified-Chinese (SC), non-monospaced face of a font collection."""
    if path.suffix.lower() not in (".ttc", ".otc"):
        return 0
    from fontTools.ttLib import TTCollection

    collection = TTCollection(str(path), lazy=True)
    try:
        for index, font in enumerate(collection.fonts):
            name = str(font["name"].getDebugName(4) or "")
            if " SC" in name and "Mono" not in name:
                return index
    finally:
        collection.close()
    return 0


@lru_cache(maxsize=4)
def _choose_font(configured: str) -> FontChoice:
    if configured:
        path = Path(configured)
        if not path.is_file():
            raise PdfFontMissing(
                f"ONESTOP_PDF_FONT points to {configured!r}, which is not a readable font file. "
                "Give the path of a TTF, OTF or TTC font with Chinese characters, or unset it to "
                "use Debian's fonts-noto-cjk."
            )
        return FontChoice(path, _sc_face_index(path))
    for path in DEFAULT_FONTS:
        if path.is_file():
            return FontChoice(path, _sc_face_index(path))
    looked = ", ".join(str(path) for path in DEFAULT_FONTS)
    raise PdfFontMissing(
        "No CJK font for certificate PDFs: install Debian's fonts-noto-cjk "
        "(apt-get install fonts-noto-cjk) or set ONESTOP_PDF_FONT to a TTF/OTF/TTC font file "
        f"with Chinese characters. Looked in: {looked}."
    )


def certificate_font() -> FontChoice:
    """The font certificates embed (raises PdfFontMissing, naming the fix, when there is none)."""
    return _choose_font(str(getattr(settings, "ONESTOP_PDF_FONT", "") or ""))


def qr_image(data: str) -> Image.Image:
    """A QR code (error correction M) of ``data`` as a Pillow image, black on white."""
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=8, border=4)
    code.add_data(data)
    code.make(fit=True)
    return code.make_image(fill_color="black", back_color="white").get_image()


def qr_matrix(data: str) -> list[list[bool]]:
    """The QR modules of ``data`` (with the 4-module quiet zone), as the certificate draws them."""
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=8, border=4)
    code.add_data(data)
    code.make(fit=True)
    return [list(row) for row in code.get_matrix()]


# Fixed bilingual labels: both languages are always printed, so they are not gettext strings.
LABEL_NUMBER = ("证书编号", "Certificate No.")
LABEL_HOLDER = ("持证主体", "Holder")
LABEL_ISSUED = ("发证日期", "Date of issue")
LABEL_VALID = ("有效期至", "Valid until")
LABEL_NO_EXPIRY = ("长期有效", "No expiry date")
LABEL_ISSUER = ("发证机关", "Issued by")
LABEL_VERIFY = ("扫码或访问以下网址核验", "Scan or visit to verify")
LABEL_CODE = ("核验码", "Verification code")
NOTE = (
    "本证书为电子证书，与纸质证书具有同等效力。",  # noqa: RUF001 - Chinese punctuation
    "This electronic certificate has the same effect as a paper one.",
)

PAGE_W, PAGE_H = 210.0, 297.0
MARGIN = 18.0
INK = (20, 20, 20)
MUTED = (90, 90, 90)
ACCENT = (150, 20, 20)


class _Certificate(FPDF):
    def __init__(self, font: FontChoice) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self.set_auto_page_break(auto=False)
        self.set_margins(MARGIN, MARGIN, MARGIN)
        self.add_font(FAMILY, "", str(font.path), collection_font_number=font.index)

    def new_page(self) -> None:
        """A page with the frame: a thick outer line and a thin inner one."""
        self.add_page()
        self.set_draw_color(*ACCENT)
        self.set_line_width(1.2)
        self.rect(8, 8, PAGE_W - 16, PAGE_H - 16)
        self.set_line_width(0.3)
        self.rect(11, 11, PAGE_W - 22, PAGE_H - 22)
        self.set_y(26)

    def font(self, size: float, *, bold: bool = False, color: tuple[int, int, int] = INK) -> None:
        """One face only (a second, bold CJK face would double the rendering time): bold text is
        drawn filled and outlined with a thin stroke of its own colour."""
        self.set_font(FAMILY, "", size)
        self.set_text_color(*color)
        if bold:
            self.text_mode = TextMode.FILL_STROKE
            self.set_draw_color(*color)
            self.set_line_width(size * 0.012)  # mm: about 3.4 % of the em (1 pt = 0.353 mm)
        else:
            self.text_mode = TextMode.FILL

    def centred(self, text: str, size: float, *, bold: bool = False, height: float = 8) -> None:
        self.font(size, bold=bold)
        self.set_x(MARGIN)
        self.multi_cell(
            PAGE_W - 2 * MARGIN,
            height,
            text,
            align="C",
            new_x=XPos.LMARGIN,
            new_y=YPos.NEXT,
        )

    def field(self, label: tuple[str, str], value: str, *, label_w: float = 52) -> None:
        """A label (Chinese over English) on the left, the value on the right, wrapped."""
        if self.get_y() > PAGE_H - 60:
            self.new_page()
        top = self.get_y()
        left = MARGIN + 6
        self.set_xy(left, top)
        self.font(10.5, bold=True)
        self.cell(label_w, 5.5, label[0], new_x=XPos.LEFT, new_y=YPos.NEXT)
        self.set_x(left)
        self.font(8.5, color=MUTED)
        self.cell(label_w, 4.5, label[1], new_x=XPos.LEFT, new_y=YPos.NEXT)
        label_bottom = self.get_y()
        self.set_xy(left + label_w, top)
        self.font(10.5)
        self.multi_cell(
            PAGE_W - 2 * MARGIN - 12 - label_w, 5.5, value, new_x=XPos.LMARGIN, new_y=YPos.NEXT
        )
        bottom = max(label_bottom, self.get_y()) + 2.5
        self.set_draw_color(220, 220, 220)
        self.set_line_width(0.2)
        self.line(left, bottom - 1.2, PAGE_W - MARGIN - 6, bottom - 1.2)
        self.set_y(bottom)


def _date(day: dt.date) -> tuple[str, str]:
    return f"{day.year}年{day.month}月{day.day}日", day.isoformat()


def render_certificate_pdf(
    *,
    title_zh: str,
    title_en: str,
    number: str,
    holder_zh: str,
    holder_en: str,
    rows: list[tuple[str, str, str]],
    issued_on: dt.date,
    valid_to: dt.date | None,
    issuer_zh: str,
    issuer_en: str,
    verify_url: str,
    code: str,
) -> bytes:
    """An A4 certificate as PDF bytes.

    ``rows`` are (label in Chinese, label in English, value) lines printed under the holder.
    ``valid_to`` None prints "no expiry date". Raises PdfFontMissing when no CJK font is found.
    Rendering takes a second or two (the CJK font is parsed and subset), so the last few
    results are kept in memory: asking again for the same certificate is instant.
    """
    return _render(
        _CertificateData(
            title_zh=title_zh,
            title_en=title_en,
            number=number,
            holder_zh=holder_zh,
            holder_en=holder_en,
            rows=tuple((str(a), str(b), str(c)) for a, b, c in rows),
            issued_on=issued_on,
            valid_to=valid_to,
            issuer_zh=issuer_zh,
            issuer_en=issuer_en,
            verify_url=verify_url,
            code=code,
            font=certificate_font(),
        )
    )


@dataclass(frozen=True)
class _CertificateData:
    title_zh: str
    title_en: str
    number: str
    holder_zh: str
    holder_en: str
    rows: tuple[tuple[str, str, str], ...]
    issued_on: dt.date
    valid_to: dt.date | None
    issuer_zh: str
    issuer_en: str
    verify_url: str
    code: str
    font: FontChoice


@lru_cache(maxsize=32)
def _render(data: _CertificateData) -> bytes:
    title_zh, title_en, number = data.title_zh, data.title_en, data.number
    holder_zh, holder_en, rows = data.holder_zh, data.holder_en, data.rows
    issued_on, valid_to = data.issued_on, data.valid_to
    issuer_zh, issuer_en = data.issuer_zh, data.issuer_en
    verify_url, code = data.verify_url, data.code
    pdf = _Certificate(data.font)
    pdf.set_title(f"{title_zh} {title_en} {number}")
    pdf.set_author(f"{issuer_zh} {issuer_en}")
    pdf.set_subject(f"{holder_zh} {holder_en}".strip())
    pdf.set_creator("OneStop")
    pdf.set_lang("zh-CN")
    pdf.set_creation_date(
        dt.datetime(issued_on.year, issued_on.month, issued_on.day, tzinfo=dt.UTC)
    )
    pdf.new_page()
    pdf.centred(title_zh, 24, bold=True, height=11)
    pdf.centred(title_en, 14, height=7)
    pdf.ln(3)
    pdf.font(10, color=MUTED)
    pdf.set_x(MARGIN)
    pdf.cell(
        PAGE_W - 2 * MARGIN,
        6,
        f"{LABEL_NUMBER[0]} {LABEL_NUMBER[1]}: {number}",
        align="C",
        new_x=XPos.LMARGIN,
        new_y=YPos.NEXT,
    )
    pdf.ln(6)

    holder = holder_zh if not holder_en or holder_en == holder_zh else f"{holder_zh}\n{holder_en}"
    pdf.field(LABEL_HOLDER, holder)
    for label_zh, label_en, value in rows:
        pdf.field((label_zh, label_en), str(value))
    issued_zh, issued_en = _date(issued_on)
    pdf.field(LABEL_ISSUED, f"{issued_zh}  {issued_en}")
    if valid_to is None:
        pdf.field(LABEL_VALID, f"{LABEL_NO_EXPIRY[0]}  {LABEL_NO_EXPIRY[1]}")
    else:
        valid_zh, valid_en = _date(valid_to)
        pdf.field(LABEL_VALID, f"{valid_zh}  {valid_en}")

    # The issuing authority, right-aligned above the verification block.
    qr_size = 36.0
    qr_top = PAGE_H - MARGIN - qr_size - 12
    issuer_w = 110.0
    issuer_left = PAGE_W - MARGIN - 6 - issuer_w
    if pdf.get_y() > qr_top - 42:  # many rows: the signature block goes on a page of its own
        pdf.new_page()
    pdf.set_xy(issuer_left, qr_top - 40)
    pdf.font(9, color=MUTED)
    pdf.multi_cell(issuer_w, 5, f"{LABEL_ISSUER[0]} {LABEL_ISSUER[1]}", align="R", new_x=XPos.LEFT)
    pdf.font(13, bold=True)
    pdf.multi_cell(issuer_w, 7, issuer_zh, align="R", new_x=XPos.LEFT)
    pdf.font(9.5)
    pdf.multi_cell(issuer_w, 5, issuer_en, align="R", new_x=XPos.LEFT)
    pdf.multi_cell(issuer_w, 5, issued_zh, align="R", new_x=XPos.LEFT)

    # Bottom: the QR code, and beside it how to verify.
    pdf.set_draw_color(220, 220, 220)
    pdf.set_line_width(0.2)
    pdf.line(MARGIN + 6, qr_top - 4, PAGE_W - MARGIN - 6, qr_top - 4)
    pdf.image(qr_image(verify_url), x=MARGIN + 4, y=qr_top, w=qr_size, h=qr_size)
    text_left = MARGIN + 4 + qr_size + 4
    text_w = PAGE_W - MARGIN - 6 - text_left
    pdf.set_xy(text_left, qr_top + 5)
    pdf.font(9.5, bold=True)
    pdf.multi_cell(text_w, 5, f"{LABEL_VERIFY[0]}  {LABEL_VERIFY[1]}", new_x=XPos.LEFT)
    pdf.font(9, color=MUTED)
    pdf.multi_cell(text_w, 5, verify_url, new_x=XPos.LEFT)
    pdf.set_y(pdf.get_y() + 1.5)
    pdf.set_x(text_left)
    pdf.font(9.5)
    pdf.multi_cell(text_w, 5, f"{LABEL_CODE[0]} {LABEL_CODE[1]}: {code}", new_x=XPos.LEFT)

    pdf.set_y(PAGE_H - MARGIN - 7)
    pdf.font(7.5, color=MUTED)
    pdf.set_x(MARGIN)
    pdf.multi_cell(PAGE_W - 2 * MARGIN, 3.6, f"{NOTE[0]} {NOTE[1]}", align="C")
    return bytes(pdf.output())
