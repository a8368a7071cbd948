"""Permission-matrix rows of the access domain (collected by onestop/core/tests/matrix.py).

The public access pages keep their rows in matrix.py itself; here, the back-office page that
imports a negative-list edition: city administrators only. ``build_world`` has loaded the
one-item edition "matrix-national" on class 8760, which the rows' files re-import.
"""

from __future__ import annotations

import json
from typing import Any

from onestop.access.tests.negative_list_fixtures import matrix_edition_data
from onestop.core.tests.matrix import LOGIN, Case, World, cells, only, page


class ResendableFile:
    """An upload for the test client that can be sent by every row run: the client calls
    ``read()`` once per request and never seeks, so this returns the whole content each time."""

    def __init__(self, name: str, content: bytes) -> None:
        self.name = name
        self.content_type = "application/json"
        self._content = content

    def read(self, *_args: Any) -> bytes:
        return self._content


def _file(data: Any, name: str) -> ResendableFile:
    return ResendableFile(name, json.dumps(data, ensure_ascii=False).encode())


NEW_EDITION = _file(matrix_edition_data("matrix-imported"), "matrix-imported.json")
NOT_AN_EDITION = _file({"format": "something-else"}, "not-an-edition.json")
ADMIN = ("city_admin",)


def build(world: World) -> None:
    """Nothing to add: the rows use the edition build_world loads."""


PAGES: list[Case] = [
    page("access:edition_import", only(200, ADMIN, others=403, anonymous=LOGIN)),
    page(
        "access:edition_import",
        only(302, ADMIN, others=403, anonymous=LOGIN),
        method="POST",
        data={"file": NEW_EDITION},
        label="a new edition",
    ),
    page(
        "access:edition_import",
        only(422, ADMIN, others=403, anonymous=LOGIN),
        method="POST",
        data={"file": NOT_AN_EDITION},
        label="a file with errors",
    ),
    page(
        "access:edition_import",
        only(422, ADMIN, others=403, anonymous=LOGIN),
        method="POST",
        label="no file",
    ),
    page("access:edition_import", cells(405, anonymous=LOGIN), method="PUT", label="PUT"),
]

APIS: list[Case] = []
