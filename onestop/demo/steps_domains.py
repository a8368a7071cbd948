"""Demo steps of the SME register, support policies and applications."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

DEMO_POLICY_DIR = Path(__file__).parent / "data" / "policies"

if TYPE_CHECKING:
    from onestop.demo.services import DemoContext


def load_register(ctx: DemoContext) -> None:
    """The SME register: figures by year, sizes, a realistic synthetic population.

    Demo Catering (Chaoyang, restaurants, small; 2020 revenue about 40 % below 2019) and Demo
    Technology (Haidian, software, high-tech) get full records; 2,000 synthetic enterprises
    (fixed seed) fill the register. Idempotent (onestop/enterprises/demo.py).
    """
    from onestop.demo.services import DEMO_ENTERPRISES
    from onestop.enterprises.demo import demo_register_load

    codes = {spec.key: spec.credit_code for spec in DEMO_ENTERPRISES}
    for step, outcome in demo_register_load(codes):
        ctx.count(step, outcome)


def load_policies(ctx: DemoContext) -> None:
    """Beijing's 2020 support policies as rules, and a first matching run.

    The policy files of onestop/policies/data (13 real 2020 measures, sources cited) are
    loaded and published; the matching run then stores who is eligible and notifies them.
    Demo Catering (small, Chaoyang, restaurants) is eligible for the March-April rent waiver
    and just misses the 100 % unemployment-insurance refund (staff 28 -> 22, 21.4 % fewer;
    the small-firm limit is 20 %). Those ended in 2020, so the same story is told again by
    the two demonstration policies, which are open: rent relief it can confirm today, and
    the job-retention refund as a near miss. Idempotent: a second run changes and sends nothing.
    """
    from collections import Counter

    from onestop.policies.loader import policies_load
    from onestop.policies.models import Policy, PolicyStatus
    from onestop.policies.services import policies_match_run

    # The real 2020 measures have all ended; two open-ended demonstration policies modelled on
    # them (titles marked 【演示】/[Demo], onestop/demo/data/policies) let J4 be taken up today.
    for directory in (None, DEMO_POLICY_DIR):
        options = {"directory": directory} if directory else {}
        report = policies_load(actor=None, publish=True, **options)
        for outcome in ("created", "updated", "unchanged"):
            for _code in getattr(report, outcome):
                ctx.count("policies", outcome)
    published = Policy.objects.filter(status=PolicyStatus.PUBLISHED)
    if report.created or report.updated or published.filter(matched_generation=None).exists():
        run = policies_match_run()
        ctx.tally.setdefault("policy_matches", Counter())["created"] += run.added


def load_applications(ctx: DemoContext) -> None:
    """Sample applications and cases for the officers' queues.

    The Demo Catering owner applies to open the restaurant (domestic): the name and the
    registration are approved, the business licence is issued as an e-certificate with the
    known code ``DEMO_CERTIFICATE_CODE`` (for the README and /verify/), and the food business
    licence then waits in the market-regulation clerk's queue (the fire inspection in the fire
    clerk's). The investor applies for a wholly foreign-owned restaurant in Chaoyang; the
    clerk has returned its name declaration for correction. Idempotent (keys and states).
    """
    from onestop.applications.demo import demo_applications_load

    for outcome in demo_applications_load():
        ctx.count("applications", outcome)
