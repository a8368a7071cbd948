"""The catalogue as CPSV-AP 3.2 RDF, with each service's conditions described in CCCEV 2.1.

Every service in force becomes a ``cpsv:PublicService`` at its page's URL, with its competent
authority (``cv:PublicOrganisation``), documents (``cv:Evidence``), output (``cv:Output``),
fee (``cv:Cost``), legal basis (``eli:LegalResource``), prerequisites (``dct:requires``),
processing time (``cv:processingTime``, days as written: working days are noted in the
description because xsd:duration has no working days), the journeys it belongs to
(``cv:Event``), and its condition as a ``cv:Criterion`` (CCCEV) whose information concepts
are the business-profile fields the CEL rule reads; the rule text is a ``cpsv:Rule``.
Codelist values are typed ``skos:Concept`` and places ``dct:Location``, as the shapes need.
"""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from rdflib import RDF, XSD, BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, SKOS

from onestop.catalogue.models import Journey, PublicService
from onestop.catalogue.profile import PROFILE_SCHEMA, profile_rule
from onestop.core.models import Agency

CPSV = Namespace("http://purl.org/vocab/cpsv#")
CV = Namespace("http://data.europa.eu/m8g/")
ELI = Namespace("http://data.europa.eu/eli/ontology#")
CURRENCY = Namespace("http://publications.europa.eu/resource/authority/currency/")
ZH, EN = "zh-Hans", "en"


def _site() -> str:
    return str(getattr(settings, "SITE_URL", "http://localhost:8000")).rstrip("/")


def _texts(graph: Graph, subject: URIRef | BNode, predicate: URIRef, zh: str, en: str) -> None:
    if zh:
        graph.add((subject, predicate, Literal(zh, lang=ZH)))
    if en:
        graph.add((subject, predicate, Literal(en, lang=EN)))


def _duration(limit: dict[str, object]) -> Literal | None:
    value, unit = limit.get("value"), limit.get("unit")
    if unit == "immediate":
        return Literal("P0D", datatype=XSD.duration)
    if isinstance(value, int | float):
        return Literal(f"P{int(value)}D", datatype=XSD.duration)
    return None


class _Builder:
    def __init__(self) -> None:
        self.site = _site()
        self.graph = Graph()
        for prefix, ns in (("cpsv", CPSV), ("cv", CV), ("eli", ELI), ("dct", DCTERMS),
                           ("skos", SKOS)):  # fmt: skip
            self.graph.bind(prefix, ns)
        self.doc = URIRef(self.site + reverse("catalogue:cpsv_ttl"))
        self.beijing = URIRef("http://sws.geonames.org/1816670/")
        self.graph.add((self.beijing, RDF.type, DCTERMS.Location))
        self.graph.add((URIRef(CURRENCY.CNY), RDF.type, SKOS.Concept))
        self.concepts: dict[str, URIRef] = {}

    def iri(self, fragment: str) -> URIRef:
        return URIRef(f"{self.doc}#{fragment}")

    def agency(self, agency: Agency) -> URIRef:
        node = URIRef(self.site + f"/api/v1/agencies/{agency.code}")
        g = self.graph
        if (node, RDF.type, CV.PublicOrganisation) not in g:
            g.add((node, RDF.type, CV.PublicOrganisation))
            g.add((node, DCTERMS.identifier, Literal(agency.code)))
            _texts(g, node, SKOS.prefLabel, agency.name_zh, agency.name_en)
            _texts(g, node, DCTERMS.title, agency.name_zh, agency.name_en)
            g.add((node, DCTERMS.spatial, self.beijing))
        return node

    def concept(self, path: str) -> URIRef:
        if path not in self.concepts:
            node = self.iri("profile-" + path.replace(".", "-"))
            spec = PROFILE_SCHEMA.fields[path]
            g = self.graph
            g.add((node, RDF.type, CV.InformationConcept))
            g.add((node, DCTERMS.identifier, Literal(path)))
            g.add((node, SKOS.prefLabel, Literal(str(spec.label))))
            g.add((node, DCTERMS.description, Literal(f"{path} ({spec.type.value})")))
            self.concepts[path] = node
        return self.concepts[path]

    def service(self, service: PublicService, events: dict[int, list[URIRef]]) -> None:
        version = service.current
        assert version is not None
        g = self.graph
        node = URIRef(self.site + reverse("catalogue:service", args=[service.identifier]))
        ident = service.identifier
        g.add((node, RDF.type, CPSV.PublicService))
        g.add((node, DCTERMS.identifier, Literal(ident)))
        _texts(g, node, DCTERMS.title, version.title_zh, version.title_en)
        _texts(
            g, node, DCTERMS.description,
            version.description_zh, version.description_en or version.title_en,
        )  # fmt: skip
        g.add((node, CV.hasCompetentAuthority, self.agency(service.agency)))
        g.add((node, DCTERMS.spatial, self.beijing))
        for prereq in version.prerequisites:
            g.add((node, DCTERMS.requires, URIRef(self.site + f"/services/{prereq}/")))
        for event in events.get(service.pk, []):
            g.add((node, CV.isGroupedBy, event))
        limit = (
            version.committed_limit
            if _duration(version.committed_limit)
            else version.statutory_limit
        )
        duration = _duration(limit)
        if duration is not None:
            g.add((node, CV.processingTime, duration))
        for n, doc in enumerate(version.documents, start=1):
            evidence = self.iri(f"{ident}-evidence-{n}")
            g.add((node, CPSV.hasInput, evidence))
            g.add((evidence, RDF.type, CV.Evidence))
            g.add((evidence, DCTERMS.identifier, Literal(f"{ident}-evidence-{n}")))
            _texts(g, evidence, DCTERMS.title, doc["name_zh"], doc["name_en"])
        if version.output_zh or version.output_en:
            output = self.iri(f"{ident}-output")
            g.add((node, CPSV.produces, output))
            g.add((output, RDF.type, CV.Output))
            g.add((output, DCTERMS.identifier, Literal(f"{ident}-output")))
            _texts(g, output, DCTERMS.title, version.output_zh, version.output_en)
        if version.fee_cny is not None:
            cost = self.iri(f"{ident}-cost")
            g.add((node, CV.hasCost, cost))
            g.add((cost, RDF.type, CV.Cost))
            g.add((cost, DCTERMS.identifier, Literal(f"{ident}-cost")))
            g.add((cost, CV.hasValue, Literal(float(version.fee_cny), datatype=XSD.double)))
            g.add((cost, CV.currency, URIRef(CURRENCY.CNY)))
            if version.fee_note:
                g.add((cost, DCTERMS.description, Literal(version.fee_note, lang=EN)))
        for basis in version.legal_basis:
            act = self.iri(f"act-{basis['act_id']}")
            g.add((node, CV.hasLegalResource, act))
            g.add((act, RDF.type, ELI.LegalResource))
            _texts(g, act, DCTERMS.title, basis["act_zh"], basis["act_en"])
        if version.rule:
            self.criterion(
                node, ident, version.rule, version.applies_when_zh, version.applies_when_en
            )

    def criterion(self, service: URIRef, ident: str, rule: str, zh: str, en: str) -> None:
        g = self.graph
        criterion = self.iri(f"{ident}-criterion")
        g.add((service, CV.holdsRequirement, criterion))
        g.add((criterion, RDF.type, CV.Criterion))
        g.add((criterion, RDF.type, CV.Requirement))
        g.add((criterion, DCTERMS.identifier, Literal(f"{ident}-criterion")))
        _texts(g, criterion, DCTERMS.title, zh, en or rule)
        g.add((criterion, DCTERMS.description, Literal(f"CEL: {rule}")))
        for path in profile_rule(rule).fields:
            g.add((criterion, CV.hasConcept, self.concept(path)))
        rule_node = self.iri(f"{ident}-rule")
        g.add((service, CPSV.follows, rule_node))
        g.add((rule_node, RDF.type, CPSV.Rule))
        g.add((rule_node, DCTERMS.identifier, Literal(f"{ident}-rule")))
        g.add((rule_node, DCTERMS.title, Literal(f"Condition of {ident}", lang=EN)))
        g.add((rule_node, DCTERMS.description, Literal(rule, lang=EN)))
        g.add((criterion, CV.fulfils, rule_node))

    def events(self) -> dict[int, list[URIRef]]:
        by_service: dict[int, list[URIRef]] = {}
        for journey in Journey.objects.prefetch_related("candidates"):
            event = self.iri(f"journey-{journey.code}")
            g = self.graph
            g.add((event, RDF.type, CV.Event))
            g.add((event, DCTERMS.identifier, Literal(journey.code)))
            _texts(g, event, DCTERMS.title, journey.name_zh, journey.name_en)
            for candidate in journey.candidates.all():
                by_service.setdefault(candidate.service_id, []).append(event)
        return by_service


def catalogue_graph() -> Graph:
    builder = _Builder()
    events = builder.events()
    for service in PublicService.objects.filter(current__isnull=False).select_related(
        "current", "agency"
    ):
        builder.service(service, events)
    return builder.graph
