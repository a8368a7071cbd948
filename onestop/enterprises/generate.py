"""A synthetic SME register for demos and benchmarks: ``generate_enterprises(count, seed)``.

Realistic in shape, not in detail:

- districts weighted by economic weight (Chaoyang and Haidian hold the most enterprises, the
  outer districts few);
- industries: catering, retail, software and internet, business services, accommodation,
  culture and cinemas, wholesale, manufacturing, construction, real estate, research,
  residents' services (GB/T 4754-2017 classes), each with its own revenue per employee;
- sizes: employees drawn so that most enterprises are micro or small, a few medium and large;
  revenue follows employees x the industry's productivity with noise; the size class is then
  computed with the same function the services use (``size_fields``);
- figures for 2019 and 2020, with a pandemic drop in 2020 for catering, accommodation, travel
  agencies, cinemas and performances (a spread around -45 %), a slight dip elsewhere and growth
  for internet and software; enterprises registered in 2020 have 2020 figures only;
- valid, checksummed credit codes derived from the seed and a running number (the same seed
  gives the same codes, so a second run updates rather than adds); bilingual names.

Written through ``bulk.upsert_batch`` (COPY on PostgreSQL) in batches, one transaction each.
"""

from __future__ import annotations

import datetime as dt
import math
import random
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from onestop.core.audit import audit_record
from onestop.enterprises.bulk import RECORD_COLUMNS, Batch, BatchWriter
from onestop.enterprises.clean import industry_sections
from onestop.enterprises.codes import credit_code_from_number
from onestop.enterprises.models import Enterprise
from onestop.enterprises.tags import tags_to_db

# Running numbers of generated codes start here (factories use 900,000+, demo rows their own).
CODE_BASE = 10_000_000
CODES_PER_SEED = 20_000_000

# Share of enterprises by district (GB/T 2260), roughly by economic weight.
DISTRICT_WEIGHTS: dict[str, float] = {
    "110105": 22.0,  # Chaoyang
    "110108": 19.0,  # Haidian
    "110106": 8.0,  # Fengtai
    "110102": 6.0,  # Xicheng
    "110101": 5.0,  # Dongcheng
    "110112": 6.0,  # Tongzhou
    "110114": 6.0,  # Changping
    "110115": 5.5,  # Daxing
    "110113": 5.0,  # Shunyi
    "110111": 3.0,  # Fangshan
    "110107": 2.5,  # Shijingshan
    "110116": 1.5,  # Huairou
    "110118": 1.3,  # Miyun
    "110117": 1.2,  # Pinggu
    "110109": 1.2,  # Mentougou
    "110119": 0.8,  # Yanqing
}


@dataclass(frozen=True)
class Sector:
    code: str  # GB/T 4754-2017 class
    weight: float
    word_zh: str  # as in a company name: 北京XX餐饮有限公司
    word_en: str
    revenue_per_employee: float  # 10,000 CNY per person per year
    pandemic: bool = False  # hit hard in 2020
    growth: bool = False  # grew in 2020 (internet, software)
    tech: bool = False


SECTORS: tuple[Sector, ...] = (
    Sector("6210", 9.0, "餐饮", "Catering", 18, pandemic=True),
    Sector("6220", 4.0, "快餐", "Fast Food", 15, pandemic=True),
    Sector("6291", 2.0, "小吃", "Snacks", 12, pandemic=True),
    Sector("6231", 1.0, "茶馆", "Teahouse", 12, pandemic=True),
    Sector("5211", 3.0, "百货", "Department Store", 60),
    Sector("5212", 3.0, "超市", "Supermarket", 45),
    Sector("5292", 4.0, "电子商务", "E-commerce", 80, growth=True),
    Sector("5251", 1.5, "大药房", "Pharmacy", 50),
    Sector("5281", 1.5, "五金", "Hardware", 35),
    Sector("6513", 7.0, "软件", "Software", 60, growth=True, tech=True),
    Sector("6531", 4.0, "信息技术", "Information Technology", 70, growth=True, tech=True),
    Sector("6429", 3.0, "网络科技", "Internet Technology", 70, growth=True, tech=True),
    Sector("6560", 2.5, "科技咨询", "Technology Consulting", 45, tech=True),
    Sector("7320", 2.0, "技术研究", "Technology Research", 40, tech=True),
    Sector("7299", 6.0, "商务服务", "Business Services", 40),
    Sector("7231", 1.5, "律师事务", "Legal Services", 45),
    Sector("7259", 2.0, "广告", "Advertising", 55),
    Sector("7281", 1.0, "会展", "Exhibitions", 40, pandemic=True),
    Sector("7291", 2.0, "国际旅行社", "Travel Agency", 30, pandemic=True),
    Sector("6110", 1.5, "酒店", "Hotel", 25, pandemic=True),
    Sector("6121", 1.5, "连锁酒店", "Budget Hotels", 22, pandemic=True),
    Sector("6130", 0.8, "民宿", "Guesthouse", 15, pandemic=True),
    Sector("8760", 1.2, "影城", "Cinema", 20, pandemic=True),
    Sector("8810", 1.0, "文化艺术", "Arts and Culture", 20, pandemic=True),
    Sector("8820", 0.5, "剧场", "Theatre", 20, pandemic=True),
    Sector("5179", 3.0, "商贸", "Trading", 220),
    Sector("5137", 1.5, "电器批发", "Electronics Wholesale", 200),
    Sector("3911", 1.0, "电子设备", "Electronic Equipment", 90, tech=True),
    Sector("3021", 0.8, "建材", "Building Materials", 70),
    Sector("4790", 2.0, "建筑工程", "Construction", 80),
    Sector("7020", 2.0, "物业管理", "Property Management", 12),
    Sector("7030", 1.5, "房地产经纪", "Real Estate Agency", 30),
    Sector("8040", 2.5, "美容美发", "Beauty Salon", 10, pandemic=True),
    Sector("8010", 1.0, "家政服务", "Home Services", 8),
    Sector("5821", 1.5, "物流", "Logistics", 60),
)
PANDEMIC_TAGGABLE = {"hard_hit"}

# (Chinese, pinyin) syllables for made-up brand names.
BRAND_PARTS: tuple[tuple[str, str], ...] = tuple(
    (zh, en)
    for zh, en in (
        ("华", "Hua"),
        ("京", "Jing"),
        ("盛", "Sheng"),
        ("鑫", "Xin"),
        ("嘉", "Jia"),
        ("瑞", "Rui"),
        ("恒", "Heng"),
        ("泰", "Tai"),
        ("博", "Bo"),
        ("联", "Lian"),
        ("创", "Chuang"),
        ("新", "Xin"),
        ("远", "Yuan"),
        ("达", "Da"),
        ("天", "Tian"),
        ("和", "He"),
        ("安", "An"),
        ("宏", "Hong"),
        ("汇", "Hui"),
        ("通", "Tong"),
        ("明", "Ming"),
        ("丰", "Feng"),
        ("景", "Jing"),
        ("润", "Run"),
        ("云", "Yun"),
        ("海", "Hai"),
        ("山", "Shan"),
        ("星", "Xing"),
        ("光", "Guang"),
        ("益", "Yi"),
        ("智", "Zhi"),
        ("信", "Xin"),
        ("源", "Yuan"),
        ("德", "De"),
        ("顺", "Shun"),
        ("祥", "Xiang"),
        ("隆", "Long"),
        ("兴", "Xing"),
        ("晨", "Chen"),
        ("悦", "Yue"),
    )
)
SURNAMES = ("王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "马", "朱")
GIVEN = ("伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "涛")

# Employees by target tier: (share, low, high) - drawn log-uniformly in [low, high].
EMPLOYEE_TIERS = ((0.70, 1, 12), (0.22, 10, 110), (0.065, 90, 400), (0.015, 300, 4000))
RECORD_FIELDS = (*RECORD_COLUMNS,)


@dataclass
class GenerateReport:
    count: int
    seconds: float
    batches: int


def _log_uniform(rng: random.Random, low: float, high: float) -> float:
    return math.exp(rng.uniform(math.log(low), math.log(high)))


def _money(value: float) -> Decimal:
    return Decimal(f"{max(value, 0.0):.2f}")


def first_code_number(seed: int) -> int:
    return CODE_BASE + (seed % 40) * CODES_PER_SEED


def generated_code(seed: int, index: int, district: str) -> str:
    return credit_code_from_number(first_code_number(seed) + index, district=district)


def _enterprise(
    rng: random.Random, seed: int, index: int, district: str, sector: Sector, section: str
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    brand = rng.sample(BRAND_PARTS, 2)
    brand_zh = brand[0][0] + brand[1][0]
    brand_en = brand[0][1] + brand[1][1].lower()
    registered_on = dt.date(1995, 1, 1) + dt.timedelta(
        days=int((1 - math.sqrt(rng.random())) * 9300)  # later dates more likely
    )
    registered_on = min(registered_on, dt.date(2020, 9, 30))
    ownership = rng.choices(("domestic", "foreign", "hmt"), (90, 7, 3))[0]
    share = rng.random()
    low, high = EMPLOYEE_TIERS[-1][1:]
    for tier_share, tier_low, tier_high in EMPLOYEE_TIERS:
        if share < tier_share:
            low, high = tier_low, tier_high
            break
        share -= tier_share
    employees_2019 = max(1, round(_log_uniform(rng, low, high)))
    revenue_2019 = employees_2019 * sector.revenue_per_employee * rng.lognormvariate(0, 0.45)
    assets_ratio = rng.uniform(0.3, 1.8)
    if sector.pandemic:
        factor = min(1.05, max(0.08, rng.gauss(0.55, 0.2)))
    elif sector.growth:
        factor = max(0.5, rng.gauss(1.1, 0.15))
    else:
        factor = max(0.4, rng.gauss(0.95, 0.12))
    employees_2020 = max(1, round(employees_2019 * math.sqrt(factor) * rng.uniform(0.92, 1.05)))
    revenue_2020 = revenue_2019 * factor
    tags = []
    if sector.tech:
        if rng.random() < 0.3:
            tags.append("high_tech")
        if rng.random() < 0.2:
            tags.append("tech_sme")
        if district == "110108" and rng.random() < 0.6:
            tags.append("zhongguancun")
        if employees_2019 >= 10 and rng.random() < 0.05:
            tags.append("specialised")
        if rng.random() < 0.02:
            tags.append("gazelle")
    if sector.pandemic and factor < 0.7 and rng.random() < 0.4:
        tags.append("hard_hit")
    record = {
        "credit_code": generated_code(seed, index, district),
        "name_zh": f"北京{brand_zh}{sector.word_zh}有限公司",
        "name_en": f"Beijing {brand_en} {sector.word_en} Co., Ltd.",
        "registered_on": registered_on,
        "district": district,
        "industry_code": sector.code,
        "industry_division": sector.code[:2],
        "industry_section": section,
        "ownership": ownership,
        "registered_capital": _money(
            rng.choice((10, 30, 50, 100, 200, 500, 1000)) * max(1, employees_2019 // 20)
        ),
        "tags": tags_to_db(tags),
        "contact_name": rng.choice(SURNAMES) + rng.choice(GIVEN),
        "contact_phone": f"010-{rng.randrange(5000_0000, 8999_9999)}",
        "contact_email": "",
    }
    years = []
    if registered_on.year < 2020:
        years.append(
            {
                "year": 2019,
                "employees": employees_2019,
                "operating_revenue": _money(revenue_2019),
                "total_assets": _money(revenue_2019 * assets_ratio),
            }
        )
    years.append(
        {
            "year": 2020,
            "employees": employees_2020,
            "operating_revenue": _money(revenue_2020),
            "total_assets": _money(revenue_2019 * assets_ratio * rng.uniform(0.85, 1.05)),
        }
    )
    return record, years


def synthetic_enterprises(
    count: int, seed: int, sections: dict[str, str], *, chunk: int = 10_000
) -> Iterator[tuple[dict[str, Any], list[dict[str, Any]]]]:
    """(record, years) for ``count`` synthetic enterprises, without touching the database.
    ``sections``: class code -> section letter (``clean.industry_sections()``)."""
    rng = random.Random(seed)  # noqa: S311 - synthetic data, not security
    districts = list(DISTRICT_WEIGHTS)
    district_weights = list(DISTRICT_WEIGHTS.values())
    sector_weights = [s.weight for s in SECTORS]
    done = 0
    while done < count:
        size = min(chunk, count - done)
        chosen_districts = rng.choices(districts, district_weights, k=size)
        chosen_sectors = rng.choices(SECTORS, sector_weights, k=size)
        for offset in range(size):
            sector = chosen_sectors[offset]
            yield _enterprise(
                rng, seed, done + offset, chosen_districts[offset], sector, sections[sector.code]
            )
        done += size


def generate_enterprises(
    count: int,
    seed: int = 1,
    *,
    batch_size: int = 10_000,
    progress: Callable[[int], None] | None = None,
) -> GenerateReport:
    """Create (or, for the same seed, update) ``count`` synthetic enterprises with figures for
    2019 and 2020 and their size class. Returns how many and how long it took."""
    if count < 0:
        raise ValueError("count must be 0 or more")
    started = time.perf_counter()
    sections = industry_sections()
    missing = [s.code for s in SECTORS if s.code not in sections]
    if missing:
        raise ValueError(
            "The GB/T 4754-2017 classification is not loaded (missing classes "
            f"{', '.join(missing)}): run `onestop import-industries` first."
        )
    fresh = not Enterprise.objects.exists()
    batches = 0
    first_code = ""
    batch = Batch()
    pending = 0

    writer = BatchWriter(RECORD_FIELDS, fresh=fresh)

    def flush() -> None:
        nonlocal batch, pending, batches
        writer.put(batch)
        batches += 1
        if progress is not None:
            progress(pending)
        batch, pending = Batch(), 0

    try:
        for record, years in synthetic_enterprises(count, seed, sections, chunk=batch_size):
            for figures in years:
                batch.add(record, figures)
            first_code = first_code or record["credit_code"]
            pending += 1
            if pending >= batch_size:
                flush()
        if pending:
            flush()
    finally:
        writer.close()
    if first_code:
        first = Enterprise.objects.get(credit_code=first_code)
        audit_record(
            actor=None,
            action="enterprise.generate",
            obj=first,
            changes={"count": count, "seed": seed, "first_code": first.credit_code},
        )
    return GenerateReport(count=count, seconds=time.perf_counter() - started, batches=batches)
