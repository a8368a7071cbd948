"""Certificate PDFs: bilingual text, an embedded subset CJK font, a QR code that decodes."""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path
from typing import Any

import pytest
import zxingcpp
from pypdf import PdfReader

from onestop.core import pdf as pdf_module
from onestop.core.pdf import PdfFontMissing, qr_matrix, render_certificate_pdf

VERIFY_URL = "http://testserver/verify/Q7XK2M9PLR4TWV8C/"

SAMPLE: dict[str, Any] = {
    "title_zh": "食品经营许可证",
    "title_en": "Food Business Licence",
    "number": "JY11105000123456",
    "holder_zh": "北京美味餐饮管理有限公司",
    "holder_en": "Beijing Tasty Catering Management Co., Ltd.",
    "rows": [
        ("统一社会信用代码", "Unified social credit code", "91110105MA01ABCD13"),
        ("经营场所", "Business premises", "北京市朝阳区建国路88号"),
        ("经营项目", "Business scope", "热食类食品制售 Hot food"),
    ],
    "issued_on": dt.date(2026, 11, 27),
    "valid_to": dt.date(2031, 11, 26),
    "issuer_zh": "北京市朝阳区市场监督管理局",
    "issuer_en": "Chaoyang District Administration for Market Regulation",
    "verify_url": VERIFY_URL,
    "code": "Q7XK2M9PLR4TWV8C",
}


@pytest.fixture(autouse=True)
def _fresh_font_choice() -> Any:
    pdf_module._choose_font.cache_clear()
    yield
    pdf_module._choose_font.cache_clear()


@pytest.fixture(scope="module")
def certificate() -> bytes:
    pdf_module._choose_font.cache_clear()
    return render_certificate_pdf(**SAMPLE)


def _text(data: bytes) -> str:
    """All text pypdf extracts, without whitespace and NULs.

    pypdf (7.x) reads the two-byte codes of fpdf2's embedded CID CMap one byte at a time, so it
    puts a NUL or a space between characters; poppler's pdftotext reads the same file cleanly.
    """
    reader = PdfReader(io.BytesIO(data))
    text = "".join(page.extract_text() for page in reader.pages)
    return re.sub(r"[\s\x00]", "", text)


def test_is_a_one_page_a4_pdf(certificate):
    assert certificate.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(certificate))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)
    assert reader.metadata is not None
    assert "JY11105000123456" in (reader.metadata.title or "")
    root: Any = reader.trailer["/Root"]
    assert root["/Lang"] == "zh-CN"


def test_chinese_and_english_text_is_extractable(certificate):
    text = _text(certificate)
    for expected in [
        "食品经营许可证",
        "FoodBusinessLicence",
        "北京美味餐饮管理有限公司",
        "BeijingTastyCateringManagementCo.,Ltd.",
        "统一社会信用代码",
        "91110105MA01ABCD13",
        "北京市朝阳区建国路88号",
        "北京市朝阳区市场监督管理局",
        "ChaoyangDistrictAdministrationforMarketRegulation",
        "2026年11月27日",
        "2031-11-26",
        "Q7XK2M9PLR4TWV8C",
        "JY11105000123456",
        VERIFY_URL,
    ]:
        assert expected in text, expected


def test_the_cjk_font_is_embedded_and_subset(certificate):
    reader = PdfReader(io.BytesIO(certificate))
    page: Any = reader.pages[0]
    fonts = page["/Resources"]["/Font"]
    embedded = []
    for ref in fonts.values():
        font = ref.get_object()
        assert font["/Subtype"] == "/Type0"
        descendant = font["/DescendantFonts"][0].get_object()
        descriptor = descendant["/FontDescriptor"].get_object()
        assert "/FontFile2" in descriptor or "/FontFile3" in descriptor
        # A subset font's name carries a six-letter tag: "ABCDEF+NotoSansCJKSC".
        assert re.fullmatch(r"/[A-Z]{6}\+.+", str(descendant["/BaseFont"]))
        embedded.append(str(descendant["/BaseFont"]))
    assert any("CJK" in name for name in embedded)
    # Subset: the whole Noto Sans CJK collection is ~20 MB; the certificate stays small.
    assert len(certificate) < 150_000


def test_the_qr_code_decodes_to_the_verify_url(certificate):
    reader = PdfReader(io.BytesIO(certificate))
    images = reader.pages[0].images
    assert len(images) == 1
    found = zxingcpp.read_barcodes(images[0].image)
    assert [(b.format, b.text) for b in found] == [(zxingcpp.BarcodeFormat.QRCode, VERIFY_URL)]


def test_the_drawn_qr_matches_qrcode_s_matrix(certificate):
    embedded = PdfReader(io.BytesIO(certificate)).pages[0].images[0].image
    assert embedded is not None
    image = embedded.convert("L")
    matrix = qr_matrix(VERIFY_URL)
    modules = len(matrix)
    assert image.width == image.height
    step = image.width / modules
    for y, row in enumerate(matrix):
        for x, dark in enumerate(row):
            pixel = image.getpixel((int((x + 0.5) * step), int((y + 0.5) * step)))
            assert isinstance(pixel, int)
            assert (pixel < 128) == dark, (x, y)


def test_no_expiry_and_many_rows_flow_onto_a_second_page():
    rows = [(f"事项{n}", f"Item {n}", f"内容 {n} value") for n in range(20)]
    data = render_certificate_pdf(**{**SAMPLE, "rows": rows, "valid_to": None})
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) == 2
    text = _text(data)
    assert "长期有效" in text
    assert "Item19" in text
    assert "事项19" in text


def test_same_certificate_twice_comes_from_memory(certificate):
    again = render_certificate_pdf(**SAMPLE)
    assert again == certificate


def test_a_configured_font_file_is_used(settings):
    choice = pdf_module._choose_font("")  # the default (Debian) font
    settings.ONESTOP_PDF_FONT = str(choice.path)
    chosen = pdf_module.certificate_font()
    assert chosen == choice
    data = render_certificate_pdf(**{**SAMPLE, "number": "CONFIGURED-FONT"})
    assert "CONFIGURED-FONT" in _text(data)


def test_a_wrong_configured_font_fails_loudly(settings):
    settings.ONESTOP_PDF_FONT = "/nowhere/font.ttf"
    with pytest.raises(
        PdfFontMissing, match=re.escape("ONESTOP_PDF_FONT points to '/nowhere/font.ttf'")
    ):
        render_certificate_pdf(**SAMPLE)


def test_no_font_installed_fails_loudly(settings, monkeypatch, tmp_path: Path):
    settings.ONESTOP_PDF_FONT = ""
    monkeypatch.setattr(pdf_module, "DEFAULT_FONTS", (tmp_path / "none.ttc",))
    with pytest.raises(PdfFontMissing, match="fonts-noto-cjk") as info:
        render_certificate_pdf(**SAMPLE)
    assert "ONESTOP_PDF_FONT" in str(info.value)
    assert str(tmp_path / "none.ttc") in str(info.value)


def test_the_simplified_chinese_face_is_chosen_from_the_collection():
    choice = pdf_module._choose_font("")
    from fontTools.ttLib import TTCollection

    collection = TTCollection(str(choice.path), lazy=True)
    try:
        name = str(collection.fonts[choice.index]["name"].getDebugName(4))
    finally:
        collection.close()
    assert " SC" in name
    assert "Mono" not in name
