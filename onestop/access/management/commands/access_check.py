"""``onestop access-check --industry 8760 --foreign-share 70``: the access checker's verdict.

Options: ``--single-share`` (largest single foreign investor, default the total), ``--form``
(company, partnership, individual_business), ``--ftz`` (inside a pilot free trade zone),
``--date YYYY-MM-DD`` (default today), ``--answer film=no`` (clarifying questions, repeatable),
``--lang en|zh-hans``, ``--json`` (the API's answer). Exit status 1 on invalid input.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from onestop.access.services.checker import FORMS, access_check
from onestop.access.services.checker_text import check_result_data
from onestop.core.errors import ValidationFailed


class Command(BaseCommand):
    help = "May this foreign investment go ahead? Prints the verdict and its legal basis."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--industry", action="append", required=True, help="GB/T 4754 code")
        parser.add_argument("--foreign-share", type=float, required=True, help="percent")
        parser.add_argument("--single-share", type=float, help="percent (default: the total)")
        parser.add_argument("--form", choices=FORMS, default="company")
        parser.add_argument("--ftz", action="store_true", help="inside a pilot FTZ")
        parser.add_argument("--date", type=dt.date.fromisoformat, help="YYYY-MM-DD")
        parser.add_argument("--answer", action="append", default=[], help="question=value")
        parser.add_argument("--lang", choices=("en", "zh-hans"), default="zh-hans")
        parser.add_argument("--json", action="store_true", help="print the API's JSON answer")

    def handle(self, *args: Any, **options: Any) -> None:
        answers = {}
        for answer in options["answer"]:
            key, _sep, value = answer.partition("=")
            if not value:
                raise CommandError(f"--answer {answer}: write question=value, e.g. film=no")
            answers[key] = value
        try:
            result = access_check(
                activities=options["industry"],
                foreign_share=options["foreign_share"],
                single_share=options["single_share"],
                form=options["form"],
                place="inside_ftz" if options["ftz"] else "outside_ftz",
                date=options["date"],
                answers=answers,
            )
        except ValidationFailed as exc:
            raise CommandError("\n".join(f"{e.field}: {e.message}" for e in exc.errors)) from None
        data = check_result_data(result, options["lang"])
        if options["json"]:
            self.stdout.write(json.dumps(data, default=str, ensure_ascii=False, indent=1))
            return
        self._print(data, options["lang"])

    def _print(self, data: dict[str, Any], lang: str) -> None:
        out = self.stdout.write
        out(f"{data['allowed_label']} — {data['classification_label']}")
        for warning in data["warnings"]:
            out(self.style.WARNING(f"! {warning}"))
        for activity in data["activities"]:
            out(f"\n{activity['code']} {activity['name']}: {activity['allowed_label']}")
            for item in activity["items"]:
                out(f"  #{item['number']} [{item['status']}] {item['summary']}")
                for condition in item["conditions"]:
                    mark = {True: "ok", False: "NO", None: "?"}[condition["met"]]
                    out(f"    {mark}: {condition['text']}")
                if item["question"]:
                    out(f"    ? {item['question']}")
                if item["uncertain"]:
                    out(f"    (uncertain) {item['uncertain_note']}")
        for question in data["questions"]:
            options = ", ".join(o["value"] for o in question["options"])
            out(f"\n? {question['text']}  --answer {question['key']}=({options})")
        for note in data["notes"]:
            if note["broken"] is not False and note["kind"] == "rule":
                out(f"\n* {note['text']}")
        for other in data["alternatives"]:
            out(f"\n{other['edition']['title']}: {other['allowed_label']}")
        out("\n" + data["explanation"]["en" if lang == "en" else "zh"])
        out(f"{data['licence_reminder']['text']} {data['licence_reminder']['url']}")
