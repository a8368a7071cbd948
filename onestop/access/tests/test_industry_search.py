"""Searching the classification: code, Chinese words, pinyin and its initials, English; ranking."""

from __future__ import annotations

import pytest

from onestop.access.selectors import (
    IndustryDetail,
    industry_ancestors_codes,
    industry_closest,
    industry_get,
    industry_search,
    industry_sections,
)

pytestmark = pytest.mark.usefixtures("classification")


def get(code: str) -> IndustryDetail:
    detail = industry_get(code)
    assert detail is not None, code
    return detail


def codes(q: str, limit: int = 20) -> list[str]:
    return [node.code for node in industry_search(q, limit=limit)]


def test_an_exact_code_comes_first_then_the_codes_below_it():
    assert codes("8760")[0] == "8760"
    found = codes("87")
    assert found[0] == "87"
    assert set(found[1:]) <= {c for c in found if c.startswith("87")}
    assert "876" in found and "8760" in found
    # Higher levels before lower ones.
    assert found.index("876") < found.index("8760")


def test_a_section_letter_finds_the_section_in_either_case():
    assert codes("R") == ["R"]
    assert codes("r") == ["R"]
    assert codes("\uff32") == ["R"]  # a full-width R, as a Chinese keyboard may type it


@pytest.mark.parametrize("q", ["餐饮", "canyin", "can yin", "CanYin", "cy", "cyy", "catering"])
def test_catering_is_found_by_chinese_pinyin_initials_and_english(q):
    found = codes(q)
    assert "62" in found[:3], found


def test_chinese_words_rank_the_name_that_starts_with_them_first():
    found = codes("餐饮")
    assert found[:3] == ["62", "624", "6241"]
    assert "H" in found  # 住宿和餐饮业 contains the word
    assert codes("餐饮业")[0] == "62"  # the exact name first


def test_chinese_words_need_not_be_next_to_each_other():
    found = codes("外卖餐饮")  # jieba: 外卖 / 餐饮, both in 餐饮配送及外卖送餐服务
    assert found[0] == "624"
    assert "6242" in found  # 外卖送餐服务: one of the two words


def test_pinyin_matches_from_any_syllable_and_while_typing():
    assert "62" in codes("yinye")  # can-yin-ye, from the second syllable
    assert codes("canyi")[:1] == ["62"]  # half-typed
    assert "6640" in codes("yinhang")  # 银行理财服务


def test_initials_match_from_the_start_or_inside():
    found = codes("rj")
    assert found[:2] == ["65", "651"]  # 软件和信息技术服务业, 软件开发
    assert "C" in codes("zzy")  # 制造业


def test_english_words_match_in_any_order_and_by_prefix():
    assert codes("catering")[:2] == ["62", "H"]
    assert "06" in codes("coal mining")[:3]
    assert "B" in codes("minin")  # half-typed


def test_no_match_and_empty_queries_give_nothing():
    assert codes("restaurant") == []  # classes have no English names: nothing is invented
    assert codes("") == []
    assert codes("   ") == []
    assert codes("zzzzzz") == []


def test_the_limit_is_respected():
    assert len(codes("zhi zao", limit=5)) == 5
    assert codes("62", limit=0) == []


def test_the_sections_are_a_to_t():
    assert [node.code for node in industry_sections()] == [chr(c) for c in range(65, 85)]


def test_a_node_has_its_path_to_the_section_and_its_children():
    detail = industry_get("876")
    assert detail is not None
    assert [a.code for a in detail.ancestors] == ["R", "87"]
    assert [c.code for c in detail.children] == ["8760"]
    assert get("8760").children == []
    assert get("r").node.code == "R"
    assert industry_get("9999") is None


def test_ancestor_codes_for_the_checker():
    assert industry_ancestors_codes("8760") == ["8760", "876", "87", "R"]
    assert industry_ancestors_codes("R") == ["R"]
    assert industry_ancestors_codes("6299") == ["6299", "629", "62", "H"]
    assert industry_ancestors_codes("8769") == []


def test_closest_codes_share_the_longest_prefix_nearest_first():
    assert [n.code for n in industry_closest("8769")] == ["8760", "8770", "8750", "8740", "8730"]
    assert [n.code for n in industry_closest("99")][:2] == ["97", "96"]
    assert industry_closest("canyin")[0].code == "62"


def test_names_follow_the_language(settings):
    from django.utils import translation

    node = get("62").node
    with translation.override("en"):
        assert node.name == "Catering Services"
        assert get("6241").node.name == "餐饮配送服务"  # no English name: Chinese
    with translation.override("zh-hans"):
        assert node.name == "餐饮业"
    assert get("6241").node.name_en_missing
    assert not node.name_en_missing
