"""Request and response models of the HTTP API, with the descriptions and examples OpenAPI shows.

Limits are enforced by the routes (so a long text is a 413 `document-too-large`, not a validation
error) and published in the schema as maxLength/maxItems by service/openapi.py from the settings.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator
from pydantic.config import JsonDict

from analysis.corpus.schema import FrameworkKind, Status
from analysis.result import AnalysisResult
from service.problems import Problem

FIELDS_EXAMPLE: JsonDict = {
    "Syfte": "Att fler små och medelstora företag i länet ska börja exportera.",
    "Hur beaktas jämställdhet?": "Andelen kvinnor bland deltagarna följs upp varje kvartal med könsuppdelad statistik.",
}
EXAMPLE_FILE = Path(__file__).with_name("result-example.json")


@lru_cache(maxsize=1)
def result_example() -> dict:
    """A real result of a short text (regenerated and checked against the model by a test)."""
    return json.loads(EXAMPLE_FILE.read_text(encoding="utf-8"))


class AnalysisRequest(BaseModel):
    """Either a whole text, or intake-form fields (label → answer), which become sections."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "text": "Projektet ska hjälpa små företag i Örebro län att växa genom rådgivning och export.",
                    "region": "orebro",
                },
                {"fields": FIELDS_EXAMPLE, "title": "Exportlyft Örebro län"},
            ],
            "oneOf": [  # exactly one of text and fields (the validator below enforces the same)
                {"required": ["text"], "properties": {"text": {"type": "string"}, "fields": {"type": "null"}}},
                {"required": ["fields"], "properties": {"fields": {"type": "object"}, "text": {"type": "null"}}},
            ],
        },
    )

    text: str | None = Field(default=None, description="The document text (UTF-8); longer than the limit → 413 "
                             "document-too-large")
    fields: dict[str, str] | None = Field(default=None, description="Form-field label → the applicant's answer; labels "
                                          "and answers count towards the text limit")
    title: str | None = Field(default=None, max_length=500, description="Project title, used with fields")
    region: str | None = Field(default=None, max_length=100, description="Region id from /v1/policies whose frameworks "
                               "to match (default: the corpus's default region)", examples=["orebro"])
    include_text: bool = Field(default=False, description="Return the normalised text that evidence offsets refer to")

    @model_validator(mode="after")
    def _exactly_one_input(self) -> AnalysisRequest:
        if (self.text is None) == (self.fields is None):
            raise ValueError("give exactly one of 'text' or 'fields'")
        return self


class BatchEntry(AnalysisRequest):
    """One item of a batch: an analysis request plus the caller's own reference, echoed in the response."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"ref": "ansokan-2026-0142", "text": "Syftet är att fler unga ska välja en utbildning inom tech."}]})

    ref: str | None = Field(default=None, max_length=200, description="The caller's id for this item (e.g. the case "
                            "number), echoed unchanged in the item's result")


class BatchRequest(BaseModel):
    """Several short texts analyzed in order in one call; each item succeeds or fails on its own."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"items": [{"ref": "A-1", "text": "Syftet är att fler unga ska välja en utbildning inom tech."},
                   {"ref": "A-2", "fields": {"Hur beaktas barnrättsperspektivet?": "Projektet berör inte barn."}}]}]})

    items: list[BatchEntry] = Field(min_length=1, description="The items; more than the limit → 413 too-many-items")


class BatchItem(BaseModel):
    """The outcome of one batch item: a result or a problem, never both."""

    index: int = Field(ge=0, description="Position of the item in the request")
    ref: str | None = Field(default=None, description="The item's `ref` from the request, unchanged")
    status: Literal["ok", "error"] = Field(description="ok: `result` is set; error: `error` is set")
    result: AnalysisResult | None = Field(default=None, description="The analysis, when status is ok")
    error: Problem | None = Field(default=None, description="The problem, when status is error")


class BatchResponse(BaseModel):
    """Per-item outcomes in request order. HTTP 200 when every item succeeded, 207 Multi-Status otherwise."""

    model_config = ConfigDict(json_schema_extra={"examples": [{"results": [
        {"index": 0, "ref": "A-1", "status": "ok", "result": {"...": "an AnalysisResult"}},
        {"index": 1, "ref": "A-2", "status": "error", "error": {
            "type": "http://localhost:8000/problems/empty-document", "title": "The document is empty", "status": 422,
            "detail": "the document holds no text", "title_sv": "Dokumentet är tomt",
            "detail_sv": "Dokumentet innehåller ingen text att bedöma."}}]}]})

    results: list[BatchItem] = Field(description="One entry per request item, in order")


class PolicyItemOut(BaseModel):
    """A priority area or orientation of a framework."""

    id: str = Field(description="Stable item id")
    name: str = Field(description="Swedish name")
    status: Status = Field(description="verified: checked against the source; indicated: named in the source, not "
                           "checked; working-name: our own name for the area")
    description: str = Field(description="What belongs to the item, in Swedish")
    orientations: list[str] = Field(description="Named orientations under the item")
    vocabulary: list[str] = Field(description="Lemmas the lexical matcher looks for")


class FrameworkOut(BaseModel):
    """A strategy (RUS, the national strategy) or the region's funding orientation, with its items."""

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "id": "orebro-anslag-1-1", "name": "Region Örebro läns inriktning för anslag 1:1", "kind": "orientation",
        "status": "verified", "description": "…", "allows_none": True, "items": [
            {"id": "kompetensforsorjning", "name": "Kompetensförsörjning", "status": "verified", "description": "…",
             "orientations": [], "vocabulary": ["kompetens", "utbildning"]}]}]})

    id: str = Field(description="Stable framework id")
    name: str = Field(description="Swedish name")
    kind: FrameworkKind = Field(
        description="rus: regional strategy; national: the national strategy; orientation: the region's 1:1 orientation"
    )
    status: Status = Field(description="verified, indicated or working-name, as for items")
    description: str = Field(description="What the framework is, in Swedish; says which areas are missing")
    allows_none: bool = Field(description="Whether a text may fit none of the items (orientations)")
    items: list[PolicyItemOut] = Field(description="All items, in corpus order")


class RegionOut(BaseModel):
    """A region the service can analyze for."""

    id: str = Field(description="Region id for the `region` request field")
    name: str = Field(description="Swedish name")
    status: Literal["official", "demonstration"] = Field(description="demonstration: an example strategy, not checked")
    frameworks: list[str] = Field(description="Framework ids matched for this region")


class PerspectiveInfo(BaseModel):
    """A horizontal perspective the analysis assesses."""

    id: str = Field(description="Perspective id")
    name: str = Field(description="Swedish name")
    required: bool = Field(description="Whether the applicant must describe it")
    description: str = Field(description="What the perspective covers, in Swedish")


class PoliciesOut(BaseModel):
    """The whole corpus as officers see it: regions, frameworks with items, perspectives."""

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "corpus": "2026.11.1+3f2a9c1b", "default_region": "orebro",
        "regions": [{"id": "orebro", "name": "Region Örebro län", "status": "official",
                     "frameworks": ["orebro-rus-2022-2030", "nationell-strategi-2021-2030", "orebro-anslag-1-1"]}],
        "frameworks": [], "perspectives": [{"id": "barn", "name": "Barnrättsperspektivet", "required": True,
                                            "description": "…"}]}]})

    corpus: str = Field(description="Corpus version (manifest version + content hash), as in every result's "
                        "versions.corpus")
    default_region: str = Field(description="Region used when a request names none")
    regions: list[RegionOut] = Field(description="Regions, default first as in the corpus manifest")
    frameworks: list[FrameworkOut] = Field(description="Every framework of every region")
    perspectives: list[PerspectiveInfo] = Field(description="The horizontal perspectives")


class Ready(BaseModel):
    """Corpus and models are loaded; the versions every result will carry."""

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "status": "ready", "corpus": "2026.11.1+3f2a9c1b", "software": "0.1.0",
        "models": {"embedder": "static-sv-1", "calibrator": "static-sv-1"}}]})

    status: Literal["ready"] = Field(description="Always 'ready' (otherwise the route does not answer 200)")
    corpus: str = Field(description="Corpus version, as in every result's versions.corpus")
    models: dict[str, str] = Field(description="Model role → version")
    software: str = Field(description="policyalign version")


class Labels(BaseModel):
    """Swedish labels for the contract's closed sets (group → id → label), for pages and reports."""

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "groups": {"perspective_status": {"present": "finns", "thin": "tunt", "absent": "saknas"}},
        "sections": {"syfte": "Syfte"}}]})

    groups: dict[str, dict[str, str]] = Field(description="analysis/data/labels-sv.yaml: group → id → Swedish label")
    sections: dict[str, str] = Field(description="Canonical section id → Swedish heading name, from the corpus")
