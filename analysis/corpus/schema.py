"""Pydantic schema of the policy corpus: what an officer may write in policy_corpus/."""

from __future__ import annotations

import re
import string
from datetime import date
from typing import Annotated, Literal, get_args

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, field_validator, model_validator

Slug = Annotated[
    str, Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", description="Stable id: lowercase ASCII words joined by '-'")
]
Status = Literal["verified", "indicated", "working-name"]
Position = Literal["word", "modifier", "head"]
Severity = Literal["error", "warning", "info"]
DocumentKind = Literal["decision", "application", "summary", "form", "news"]
SignalKind = Literal["analysis", "measures", "indicators", "responsibility"]
FrameworkKind = Literal["rus", "national", "orientation"]  # calibrated separately; label fields are named so
FactKind = Literal["amount", "share", "period"]
FactField = Literal["amount_sek", "share_percent", "period"]  # a fact as the result contract's Facts names it
FRAMEWORK_KINDS: tuple[FrameworkKind, ...] = get_args(FrameworkKind)
FACT_FIELDS: tuple[FactField, ...] = get_args(FactField)


class Strict(BaseModel):
    """Unknown keys are typos: reject them rather than silently ignore them."""

    model_config = ConfigDict(extra="forbid", frozen=True)


def _check_regex(pattern: str) -> str:
    try:
        re.compile(pattern)
    except re.error as error:
        raise ValueError(f"invalid regular expression {pattern!r}: {error}") from error
    return pattern


Regex = Annotated[str, Field(min_length=1), AfterValidator(_check_regex)]


class Source(Strict):
    document: str = Field(min_length=1)
    section: str | None = None


class Term(Strict):
    """A vocabulary entry: a lemma or phrase, and where in a compound it may occur."""

    term: str = Field(min_length=1)
    positions: tuple[Position, ...] = ("word", "modifier", "head")
    surface: bool = False
    weak: bool = False
    weight: float = Field(default=1.0, gt=0, le=5)
    note: str | None = None

    @field_validator("term")
    @classmethod
    def _lowercase(cls, value: str) -> str:
        return value.strip().lower()


def _coerce_terms(values: object) -> object:
    """Let officers write a bare string where a Term with default settings is meant."""
    if isinstance(values, list):
        return [{"term": value} if isinstance(value, str) else value for value in values]
    return values


Vocabulary = Annotated[list[Term], BeforeValidator(_coerce_terms), Field(min_length=1)]


class FalseFriend(Strict):
    """A look-alike that must not count: a term in some compound position, or a phrase pattern."""

    term: str | None = None
    positions: tuple[Position, ...] = ("word", "modifier", "head")
    pattern: Regex | None = None
    note: str = Field(min_length=1)

    @model_validator(mode="after")
    def _one_of(self) -> FalseFriend:
        if (self.term is None) == (self.pattern is None):
            raise ValueError("a false friend needs exactly one of 'term' or 'pattern'")
        return self


class PolicyItem(Strict):
    id: Slug
    name: str = Field(min_length=1)
    status: Status
    source: Source
    description: str = Field(min_length=40)
    orientations: list[str] = []
    vocabulary: Vocabulary
    false_friends: list[FalseFriend] = []
    examples: list[str] = Field(min_length=1)


class ProgrammePeriod(Strict):
    """The years a strategy covers: a project period outside it is flagged in the portfolio report."""

    start: date
    end: date


class Framework(Strict):
    id: Slug
    name: str = Field(min_length=1)
    kind: FrameworkKind
    status: Status
    source: Source
    description: str = Field(min_length=1)
    allows_none: bool = False
    period: ProgrammePeriod | None = None
    items: list[PolicyItem] = Field(min_length=1)


Signals = dict[SignalKind, list[Regex]]


class EmptySign(Strict):
    id: Slug
    reason: str = Field(min_length=1)
    patterns: list[Regex] = Field(min_length=1)


class Perspective(Strict):
    id: Slug
    name: str = Field(min_length=1)
    required: bool
    status: Status = "verified"
    source: Source
    description: str = Field(min_length=1)
    heading_terms: list[str] = Field(min_length=1)
    vocabulary: Vocabulary
    false_friends: list[FalseFriend] = []
    signals: Signals = {}
    weak_note: str | None = Field(
        default=None, description="Why the weak-only words are not enough, for this perspective"
    )
    weak_counts_when_named: bool = Field(
        default=False, description="Weak words count as substance once the perspective itself is named (topics, "
                                   "not look-alikes: 'avfall' under miljö yes, 'unga' under barn no)")


class ReasonTemplates(Strict):
    """The Swedish sentences a perspective's verdict is explained with; {placeholders} are filled in."""

    absent: str = Field(min_length=1, description="{name}")
    weak_only: str = Field(min_length=1, description="{words}, {note}")
    present: str = Field(min_length=1, description="{found}, {words}")
    heading_only: str = Field(min_length=1, description="{heading}")
    partial: str = Field(min_length=1, description="{found}, {missing}, {words}")
    no_substance: str = Field(min_length=1, description="{words}")
    empty_sentence: str = Field(min_length=1, description="{reason}, {quote}")
    false_friend: str = Field(min_length=1, description="{word}, {note}")


class PerspectiveSet(Strict):
    present_min_kinds: int = Field(ge=1, le=4)
    reasons: ReasonTemplates
    signal_kinds: dict[SignalKind, str]
    common_signals: Signals
    empty_signs: list[EmptySign]
    perspectives: list[Perspective] = Field(min_length=1)


# What a rule message may name: the facts found, the amount in the evidence, and the rule's own parameters.
RULE_MESSAGE_FIELDS = ("share", "amount", "start", "end", "latest_end", "limit", "limit_sek")


class RuleBase(Strict):
    id: Slug
    status: Status = "verified"
    severity: Severity
    message: str = Field(min_length=1, description="Swedish; {placeholders} from RULE_MESSAGE_FIELDS")
    citation: str = Field(min_length=1)
    applies_to: list[DocumentKind] = ["decision", "application", "summary", "form"]

    @field_validator("message")
    @classmethod
    def _known_placeholders(cls, message: str) -> str:
        try:
            fields = [(name, spec, conversion) for _, name, spec, conversion in string.Formatter().parse(message)
                      if name is not None]
        except ValueError as error:
            raise ValueError(f"message is not a valid template: {error}") from None
        if any(spec or conversion for _, spec, conversion in fields):
            raise ValueError("message placeholders take no format: the values come formatted in Swedish")
        names = {name for name, _, _ in fields}
        if unknown := sorted(names - set(RULE_MESSAGE_FIELDS)):
            raise ValueError(f"message names unknown placeholders {unknown}; known: {list(RULE_MESSAGE_FIELDS)}")
        return message

    def _names(self, placeholder: str) -> None:
        """A parameter the officer must see is a placeholder, never a number copied into the text."""
        if f"{{{placeholder}}}" not in self.message:
            raise ValueError(f"message must show the rule's parameter as {{{placeholder}}}")


class ShareAboveRule(RuleBase):
    check: Literal["share_above"]
    limit_percent: float = Field(gt=0, le=100)

    @model_validator(mode="after")
    def _shows_limit(self) -> ShareAboveRule:
        self._names("limit")
        return self


class FactsMissingRule(RuleBase):
    check: Literal["facts_missing"]
    facts: list[FactField] = Field(min_length=1)


class ContentMissingRule(RuleBase):
    """Fires when none of the sections, patterns or facts is found."""

    check: Literal["content_missing"]
    sections: list[Slug] = []
    patterns: list[Regex] = []
    facts: list[FactField] = []


class PatternPresentRule(RuleBase):
    check: Literal["pattern_present"]
    patterns: list[Regex] = Field(min_length=1)
    negations: list[Regex] = []


class PeriodWithinRule(RuleBase):
    check: Literal["period_within"]
    earliest_start: date | None = None
    latest_end: date | None = None
    when_patterns: list[Regex] = []


class PeriodOrderRule(RuleBase):
    check: Literal["period_order"]


class AmountPatternAboveRule(RuleBase):
    check: Literal["amount_pattern_above"]
    patterns: list[Regex] = Field(min_length=1)
    limit_sek: int = Field(gt=0)

    @model_validator(mode="after")
    def _shows_limit(self) -> AmountPatternAboveRule:
        self._names("limit_sek")
        return self


Rule = Annotated[
    ShareAboveRule | FactsMissingRule | ContentMissingRule | PatternPresentRule | PeriodWithinRule
    | PeriodOrderRule | AmountPatternAboveRule,
    Field(discriminator="check"),
]


class RuleSet(Strict):
    rules: list[Rule] = Field(min_length=1)


class HeadingEntry(Strict):
    id: Slug
    name: str = Field(min_length=1)
    keywords: list[str] = Field(min_length=1)
    kinds: list[DocumentKind] = Field(
        default=[], description="Only documents of these kinds have this heading: it makes a text that kind")
    role: Literal["perspectives"] | None = Field(
        default=None, description="perspectives: a heading that names perspectives maps to this section")
    weight: float = Field(default=1.0, ge=0, le=5, description="Weight of policy-vocabulary hits in this section")


class TitleSection(Strict):
    """The title paragraph that opens a text: a section of its own, found by layout, not by keywords."""

    id: Slug
    weight: float = Field(default=2.0, ge=0, le=5, description="Weight of policy-vocabulary hits in the title")


class PriorityMentions(Strict):
    """How a text names a policy item as its own priority (lemmas, read just before the item's name)."""

    context: list[str] = Field(min_length=1, description="Lemmas that make a name a claim: område, inriktning, …")
    secondary: list[str] = Field(min_length=1, description="Lemmas that make it an extra: även, också, …")
    window: int = Field(default=8, ge=1, le=30, description="Words before the name that are read")


class HeadingLexicon(Strict):
    max_heading_words: int = Field(default=12, ge=2, le=30)
    priority_mentions: PriorityMentions
    title: TitleSection
    default_weight: float = Field(default=1.0, ge=0, le=5)
    sections: list[HeadingEntry] = Field(min_length=1)

    @model_validator(mode="after")
    def _one_perspective_section(self) -> HeadingLexicon:
        if len([entry for entry in self.sections if entry.role == "perspectives"]) != 1:
            raise ValueError("exactly one section needs 'role: perspectives' (where perspective headings map)")
        return self

    @property
    def perspective_section(self) -> str:
        """The section a heading naming perspectives maps to."""
        return next(entry.id for entry in self.sections if entry.role == "perspectives")

    def weight_of(self, section_id: str | None) -> float:
        if section_id == self.title.id:
            return self.title.weight
        for entry in self.sections:
            if entry.id == section_id:
                return entry.weight
        return self.default_weight


class CueClass(Strict):
    """Words that, near a number, say what the number is (granted, total, another funder's, …)."""

    description: str = Field(min_length=1)
    patterns: list[Regex] = Field(min_length=1)


CuePlace = Annotated[str, Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*@(near|before|after|sentence|label|close)$")]


class Veto(Strict):
    """Candidates with any `when` cue and no `unless` cue are never the fact."""

    fact: FactKind
    reason: str = Field(min_length=1)
    when: list[CuePlace] = Field(min_length=1)
    unless: list[CuePlace] = []


# Cue classes the extraction reads by name (the amount's role, who pays, per-year totals); a corpus may add
# classes freely, but these must exist.
REQUIRED_CUES = ("granted", "requested", "ceiling", "region-body", "other-funder", "funds", "per-period")


class FactCues(Strict):
    """policy_corpus/facts.yaml: the cue classes the fact ranker reads, and hard vetoes."""

    vetoes: list[Veto] = []
    cues: dict[Slug, CueClass] = Field(min_length=1)

    @model_validator(mode="after")
    def _vetoes_name_known_cues(self) -> FactCues:
        missing = [name for name in REQUIRED_CUES if name not in self.cues]
        if missing:
            raise ValueError(f"cue classes the extraction needs are missing: {', '.join(missing)}")
        for veto in self.vetoes:
            for place in [*veto.when, *veto.unless]:
                if place.split("@")[0] not in self.cues:
                    raise ValueError(f"veto '{veto.reason}' names an unknown cue class in {place!r}")
        return self


class Region(Strict):
    id: Slug
    name: str = Field(min_length=1)
    status: Literal["official", "demonstration"] = Field(
        default="official",
        description="demonstration: the region's strategy is an example, not checked against its source",
    )
    frameworks: list[Slug] = Field(min_length=1)


class ManifestFiles(Strict):
    frameworks: list[str] = Field(min_length=1)
    perspectives: str
    rules: str
    headings: str
    facts: str = "facts.yaml"


class Manifest(Strict):
    name: str = Field(min_length=1)
    version: str = Field(min_length=1)
    language: Literal["sv"]
    description: str = ""
    default_region: Slug
    regions: list[Region] = Field(min_length=1)
    files: ManifestFiles


class PolicyCorpus(Strict):
    """The whole corpus after loading: cross-file references are checked here."""

    manifest: Manifest
    frameworks: list[Framework]
    perspectives: PerspectiveSet
    rules: RuleSet
    headings: HeadingLexicon
    facts: FactCues
    content_hash: str

    @property
    def version(self) -> str:
        return f"{self.manifest.version}+{self.content_hash}"

    def framework(self, framework_id: str) -> Framework:
        for framework in self.frameworks:
            if framework.id == framework_id:
                return framework
        from analysis.errors import UnknownItemError

        raise UnknownItemError(f"unknown framework {framework_id!r}; known: {', '.join(f.id for f in self.frameworks)}")

    def region(self, region_id: str | None) -> Region:
        wanted = region_id or self.manifest.default_region
        for region in self.manifest.regions:
            if region.id == wanted:
                return region
        from analysis.errors import UnknownRegionError

        raise UnknownRegionError(f"unknown region {wanted!r}; known: {', '.join(r.id for r in self.manifest.regions)}")

    def frameworks_for(self, region_id: str | None) -> list[Framework]:
        return [self.framework(framework_id) for framework_id in self.region(region_id).frameworks]
