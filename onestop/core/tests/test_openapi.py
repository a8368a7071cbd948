"""The OpenAPI document: a snapshot of the public contract, a structural check, and the docs page.

When the API changes on purpose, regenerate the snapshot and review its diff:

    UPDATE_OPENAPI_SNAPSHOT=1 pytest onestop/core/tests/test_openapi.py

The docs page is also loaded in chromium, under the real CSP: browser/test_api_docs.py.
"""

from __future__ import annotations

import difflib
import json
import os
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

SNAPSHOT = Path(__file__).with_name("openapi_snapshot.json")
REGENERATE = "UPDATE_OPENAPI_SNAPSHOT=1 pytest onestop/core/tests/test_openapi.py"
METHODS = {"get", "put", "post", "delete", "patch", "head", "options", "trace"}


def _document() -> dict[str, Any]:
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.json()


def _pretty(document: dict[str, Any]) -> str:
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def _operations(document: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (method.upper(), path, operation)
        for path, item in document["paths"].items()
        for method, operation in item.items()
        if method in METHODS
    ]


def test_openapi_matches_the_snapshot() -> None:
    current = _pretty(_document())
    if os.environ.get("UPDATE_OPENAPI_SNAPSHOT") == "1":
        SNAPSHOT.write_text(current, encoding="utf-8")
        return
    assert SNAPSHOT.exists(), f"No snapshot yet. Create it with:\n    {REGENERATE}"
    expected = SNAPSHOT.read_text(encoding="utf-8")
    if current != expected:
        diff = "".join(
            difflib.unified_diff(
                expected.splitlines(keepends=True),
                current.splitlines(keepends=True),
                fromfile="openapi_snapshot.json (committed)",
                tofile="/api/v1/openapi.json (now)",
            )
        )
        pytest.fail(
            "The OpenAPI document changed. If the change is intended, regenerate the snapshot "
            f"and commit it with your change:\n    {REGENERATE}\n\n{diff}",
            pytrace=False,
        )


def test_openapi_is_a_valid_openapi_3_document() -> None:
    document = _document()
    assert re.fullmatch(r"3\.\d+\.\d+", document["openapi"])
    assert document["info"]["title"] and document["info"]["version"]
    assert document["paths"]
    schemes = document["components"]["securitySchemes"]
    assert {"type": "http", "scheme": "bearer"} in schemes.values()
    schemas = document["components"]["schemas"]
    seen_ids: set[str] = set()
    for method, path, operation in _operations(document):
        where = f"{method} {path}"
        assert path.startswith("/api/v1/"), where
        op_id = operation.get("operationId")
        assert op_id, f"{where} has no operationId"
        assert op_id not in seen_ids, f"{where}: duplicate operationId {op_id}"
        seen_ids.add(op_id)
        assert operation.get("tags"), f"{where} has no tag"
        assert operation["responses"], where
        # Every path parameter is declared.
        declared = {p["name"] for p in operation.get("parameters", []) if p["in"] == "path"}
        assert declared == set(re.findall(r"{(\w+)}", path)), where
        # Every $ref points at a component.
        for ref in re.findall(r'"\$ref": "#/components/schemas/(\w+)"', json.dumps(operation)):
            assert ref in schemas, f"{where}: dangling $ref {ref}"


def test_every_route_declares_its_error_responses() -> None:
    """Routes say which problems they can answer, with the problem+json media type."""
    document = _document()
    for method, path, operation in _operations(document):
        where = f"{method} {path}"
        codes = {int(code) for code in operation["responses"]}
        required = set()
        if operation.get("security"):
            required.add(401)
            if method in {"POST", "PUT", "PATCH", "DELETE"}:
                required.add(403)  # a session without the CSRF token
        if operation.get("parameters") or operation.get("requestBody"):
            required.add(422)
        if "{" in path:
            required.add(404)
        if operation.get("requestBody"):
            required.add(400)  # malformed JSON
        assert required <= codes, f"{where} does not declare {sorted(required - codes)}"
        assert any(200 <= code < 300 for code in codes), where
        for code, response in operation["responses"].items():
            if int(code) >= 400:
                content = response["content"]
                assert list(content) == ["application/problem+json"], where
                assert content["application/problem+json"]["schema"] == {
                    "$ref": "#/components/schemas/Problem"
                }, where


def test_the_problem_schema_has_the_stable_fields() -> None:
    problem = _document()["components"]["schemas"]["Problem"]
    assert set(problem["required"]) == {"type", "title", "status", "code", "detail", "instance"}
    assert "errors" in problem["properties"]


def test_input_and_output_schemas_are_separate() -> None:
    """Request bodies use *In schemas, responses *Out schemas (never a whole model)."""
    document = _document()
    for method, path, operation in _operations(document):
        body = operation.get("requestBody")
        if body and "multipart/form-data" in body["content"]:
            # A file upload: plain form fields declared on the route, no model schema.
            schema = body["content"]["multipart/form-data"]["schema"]
            assert "$ref" not in json.dumps(schema), f"{method} {path}: {schema}"
            assert any(
                field.get("format") == "binary"
                or any(option.get("format") == "binary" for option in field.get("anyOf", []))
                for field in schema["properties"].values()
            ), f"{method} {path}: multipart without a file field"
        elif body:
            ref = body["content"]["application/json"]["schema"]["$ref"]
            assert ref.endswith("In"), f"{method} {path}: {ref}"
        for code, response in operation["responses"].items():
            if int(code) < 300 and "content" in response:
                text = json.dumps(response["content"])
                assert not re.search(r'schemas/\w+In"', text), f"{method} {path}"


# ----- the docs page ----------------------------------------------------------------------


class _Assets(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.scripts: list[dict[str, str | None]] = []
        self.inline_styles = 0
        self.links: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if "style" in values:
            self.inline_styles += 1
        if any(name.startswith("on") for name in values):
            self.inline_styles += 1000  # inline event handlers are inline script
        if tag == "script":
            self.scripts.append(values)
        elif tag == "style":
            self.inline_styles += 1
        elif tag == "link" and values.get("href"):
            self.links.append(str(values["href"]))


def test_docs_page_uses_local_assets_and_no_inline_script() -> None:
    response = Client().get("/api/v1/docs")
    assert response.status_code == 200
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "style-src 'self'" in csp
    html = response.content.decode()
    parser = _Assets()
    parser.feed(html)
    assert parser.scripts, "the docs page should load Swagger UI"
    for script in parser.scripts:
        src = script.get("src")
        if src is None:
            # Data blocks are not executed, so CSP does not apply to them.
            assert script.get("type") == "application/json", script
        else:
            assert src.startswith("/static/"), src
    assert all(href.startswith("/static/") for href in parser.links), parser.links
    assert parser.inline_styles == 0
    assert "cdn" not in html.lower()
    assert "//" not in "".join(str(s.get("src") or "") for s in parser.scripts)
    settings = json.loads(html.split('id="swagger-settings">', 1)[1].split("</script>", 1)[0])
    assert settings["url"] == "/api/v1/openapi.json"
    assert settings["validatorUrl"] is None  # no call to an outside validator


def test_docs_assets_are_served_by_us() -> None:
    client = Client()
    for asset in ("swagger-ui-bundle.js", "swagger-ui-init.js", "swagger-ui.css"):
        response = client.get(f"/static/ninja/{asset}")
        assert response.status_code == 200, asset
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)  # close the file
