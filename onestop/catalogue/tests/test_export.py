"""The CPSV-AP / CCCEV export validates against the official SHACL shapes with zero violations.

The shapes are read from ../shared/validators next to the repository (never copied into the
project); without that folder the test is skipped and says why.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.test import Client
from rdflib import Graph

pytestmark = pytest.mark.django_db

VALIDATORS = Path(__file__).resolve().parents[3].parent / "shared" / "validators"


def _shapes(*parts: str) -> Graph:
    path = VALIDATORS.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"official SHACL shapes not found at {path} (../shared/validators is absent)")
    return Graph().parse(path)


def _validate(data: Graph, shapes: Graph, vocabulary: Graph) -> str:
    from pyshacl import validate

    conforms, _report, text = validate(
        data, shacl_graph=shapes, ont_graph=vocabulary, inference="rdfs", allow_warnings=False
    )
    return "" if conforms else str(text)


@pytest.fixture
def exported(catalogue: None, client: Client) -> Graph:
    response = client.get("/services/cpsv-ap.ttl")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/turtle")
    return Graph().parse(data=response.content, format="turtle")


def test_cpsv_ap_conforms(exported: Graph) -> None:
    shapes = _shapes("cpsv-ap", "3.2.0", "cpsv-ap-SHACL.ttl")
    vocabulary = _shapes("cpsv-ap", "3.2.0", "cpsv-ap-vocabulary.ttl")
    assert _validate(exported, shapes, vocabulary) == ""


def test_cccev_conforms(exported: Graph) -> None:
    shapes = _shapes("cccev", "2.1.0", "cccev-ap-SHACL.ttl")
    vocabulary = _shapes("cccev", "2.1.0", "cccev-vocabulary.ttl")
    assert _validate(exported, shapes, vocabulary) == ""


def test_export_content_and_json_ld(exported: Graph, client: Client) -> None:
    query = """
        PREFIX cpsv: <http://purl.org/vocab/cpsv#>
        PREFIX cv: <http://data.europa.eu/m8g/>
        SELECT (COUNT(DISTINCT ?s) AS ?n) (COUNT(DISTINCT ?c) AS ?criteria) WHERE {
          ?s a cpsv:PublicService . OPTIONAL { ?s cv:holdsRequirement ?c . ?c a cv:Criterion }
        }"""
    (row,) = list(exported.query(query))
    counts = [int(str(value)) for value in row]  # type: ignore[union-attr]
    assert counts[0] == 50
    assert counts[1] > 40
    response = client.get("/services/cpsv-ap.jsonld")
    assert response.status_code == 200
    as_jsonld = Graph().parse(data=json.dumps(response.json()), format="json-ld")
    assert len(as_jsonld) == len(exported)


def test_the_shapes_do_catch_a_broken_service(exported: Graph) -> None:
    """Guard the guard: a service without its competent authority is a violation."""
    from rdflib import URIRef

    shapes = _shapes("cpsv-ap", "3.2.0", "cpsv-ap-SHACL.ttl")
    vocabulary = _shapes("cpsv-ap", "3.2.0", "cpsv-ap-vocabulary.ttl")
    authority = URIRef("http://data.europa.eu/m8g/hasCompetentAuthority")
    exported.remove((None, authority, None))
    assert "hasCompetentAuthority" in _validate(exported, shapes, vocabulary)
