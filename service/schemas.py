"""Request and response models of the HTTP API, with the examples OpenAPI shows."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from analysis.result import AnalysisResult
from service.problems import Problem

FIELDS_EXAMPLE = {
    "Syfte": "Att fler små och medelstora företag i länet ska börja exportera.",
    "Hur beaktas jämställdhet?": "Andelen kvinnor bland deltagarna följs upp varje kvartal med könsuppdelad statistik.",
}


class AnalysisRequest(BaseModel):
    """Either a whole text, or intake-form fields (label → answer), which become sections."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"text": "Projektet ska hjälpa små företag i Örebro län att växa genom rådgivning och export.", "region": "orebro"},
        {"fields": FIELDS_EXAMPLE, "title": "Exportlyft Örebro län"},
    ], "oneOf": [  # exactly one of text and fields (the validator below enforces the same)
        {"required": ["text"], "properties": {"text": {"type": "string"}, "fields": {"type": "null"}}},
        {"required": ["fields"], "properties": {"fields": {"type": "object"}, "text": {"type": "null"}}},
    ]})

    text: str | None = Field(default=None, description="The document text (UTF-8)")
    fields: dict[str, str] | None = Field(default=None, description="Form-field label → the applicant's answer")
    title: str | None = Field(default=None, max_length=500, description="Project title, used with fields")
    region: str | None = Field(default=None, description="Region whose frameworks to match (default: the corpus's)")
    include_text: bool = Field(default=False, description="Return the normalised text that offsets refer to")

    @model_validator(mode="after")
    def _exactly_one_input(self) -> AnalysisRequest:
        if (self.text is None) == (self.fields is None):
            raise ValueError("give exactly one of 'text' or 'fields'")
        return self


class BatchRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"items": [{"text": "Syftet är att fler unga ska välja en utbildning inom tech."},
                   {"fields": {"Hur beaktas barnrättsperspektivet?": "Projektet berör inte barn."}}]}]})

    items: list[AnalysisRequest] = Field(min_length=1, description="Short texts analysed in order")


class BatchItem(BaseModel):
    index: int
    status: Literal["ok", "error"]
    result: AnalysisResult | None = None
    error: Problem | None = None


class BatchResponse(BaseModel):
    results: list[BatchItem]


class PolicyItemOut(BaseModel):
    id: str
    name: str
    status: str
    description: str
    orientations: list[str]
    vocabulary: list[str]


class FrameworkOut(BaseModel):
    id: str
    name: str
    kind: str
    status: str
    description: str
    allows_none: bool
    items: list[PolicyItemOut]


class RegionOut(BaseModel):
    id: str
    name: str
    frameworks: list[str]


class PoliciesOut(BaseModel):
    corpus_version: str
    default_region: str
    regions: list[RegionOut]
    frameworks: list[FrameworkOut]
    perspectives: list[dict]


class Ready(BaseModel):
    status: Literal["ready"]
    corpus: str
    models: dict[str, str]
    software: str
