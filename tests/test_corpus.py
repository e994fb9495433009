"""The policy corpus: shipped data validates; every broken variant fails with a precise message."""

from __future__ import annotations

import json
import shutil

import pytest
import yaml

from analysis.corpus import corpus_json_schema, load_corpus
from analysis.errors import CorpusError, UnknownRegionError
from tests.conftest import ROOT

FACTS_IDS = {
    "orebro-rus-2022-2030": {
        "naringsliv-och-entreprenorskap",
        "forskning-och-innovation",
        "kunskapslyft-och-utbildning",
        "kompetensforsorjning-och-matchning",
        "halsa-och-sjukvard",
        "social-sammanhallning-och-demokrati",
        "samhallsplanering-och-infrastruktur",
        "energi-och-klimat",
    },
    "nationell-strategi-2021-2030": {
        "likvardiga-mojligheter",
        "kompetensforsorjning-och-kompetensutveckling",
        "innovation-och-entreprenorskap",
        "tillganglighet-digital-och-transport",
    },
    "orebro-anslag-1-1": {"naringsliv-langsiktigt-hallbart", "eu-medfinansiering", "innovativa-samhallslosningar"},
}


@pytest.fixture()
def corpus_copy(tmp_path):
    target = tmp_path / "policy_corpus"
    shutil.copytree(ROOT / "policy_corpus", target)
    return target


def edit(path, change):
    path.write_text(change(path.read_text(encoding="utf-8")), encoding="utf-8")


def problems_of(root) -> list[str]:
    with pytest.raises(CorpusError) as caught:
        load_corpus(root)
    return caught.value.problems


def test_shipped_corpus_has_every_fixed_id(corpus):
    for framework_id, ids in FACTS_IDS.items():
        assert {item.id for item in corpus.framework(framework_id).items} == ids
    assert {p.id for p in corpus.perspectives.perspectives} == {"miljo", "barn", "jamstalldhet", "likabehandling", "tillganglighet"}
    assert {p.id for p in corpus.perspectives.perspectives if p.required} == {"miljo", "barn", "jamstalldhet"}
    rules = {r.id for r in corpus.rules.rules}
    assert {"share-above-limit", "budget-missing", "purpose-missing", "goals-missing", "timeplan-missing",
            "operating-support", "period-outside-limits"} <= rules


def test_version_includes_content_hash(corpus_copy):
    before = load_corpus(corpus_copy).version
    edit(corpus_copy / "rules.yaml", lambda t: t.replace("överstiger {limit} %", "är över {limit} %"))
    after = load_corpus(corpus_copy).version
    assert before.split("+")[0] == after.split("+")[0] and before != after




# One edit each that breaks the corpus, and the fragments one reported problem must hold (file, entry, what).
BROKEN = [
    pytest.param("frameworks/orebro-rus-2022-2030.yaml", "- id: energi-och-klimat", "- id: naringsliv-och-entreprenorskap",
                 ["duplicate item id 'naringsliv-och-entreprenorskap'"], id="duplicate-item-id"),
    pytest.param("manifest.yaml", "frameworks: [varmland-rus-2021-2040,", "frameworks: [varmland-rus-2099,",
                 ["unknown framework 'varmland-rus-2099'", "[varmland]"], id="dangling-region-reference"),
    pytest.param("rules.yaml", "sections: [syfte]", "sections: [syftet]", ["unknown section 'syftet'", "[purpose-missing]"],
                 id="rule-with-unknown-section"),
    pytest.param("frameworks/nationell-strategi-2021-2030.yaml", "vocabulary: [välfärd,",
                 "vocabulary: []\n    unused: [välfärd,", ["vocabulary", "[likvardiga-mojligheter]"], id="empty-vocabulary"),
    pytest.param("perspectives.yaml", r"'\bsträva efter\b'", "'(sträva efter'", ["invalid regular expression"],
                 id="bad-regex"),
    pytest.param("headings.yaml", "role: perspectives, ", "", ["headings.yaml", "role: perspectives"],
                 id="perspective-section-named-once"),
    pytest.param("headings.yaml", "title: {id: titel,", "title: {id: syfte,", ["duplicate section id 'syfte'"],
                 id="title-id-is-no-heading-id"),
    pytest.param("rules.yaml", "överstiger {limit} %", "överstiger 50 %", ["[share-above-limit]", "{limit}"],
                 id="rule-message-shows-its-limit-as-a-placeholder"),
    pytest.param("rules.yaml", "({share} %)", "({andel} %)", ["[share-above-limit]", "'andel'"],
                 id="rule-message-names-only-known-placeholders"),
    pytest.param("facts.yaml", "'\\btotal\\w*'", "'\\btotal(\\w*'", ["facts.yaml", "invalid regular expression"],
                 id="broken-fact-cue"),
    pytest.param("facts.yaml", "  funds:\n", "  paying:\n", ["facts.yaml", "funds"],
                 id="a-cue-class-the-extraction-needs-cannot-be-removed"),
]


@pytest.mark.parametrize(("file", "old", "new", "fragments"), BROKEN)
def test_a_broken_corpus_names_the_problem(corpus_copy, file, old, new, fragments):
    path = corpus_copy / file
    assert old in path.read_text(encoding="utf-8"), "the edit must apply to the shipped corpus"
    edit(path, lambda t: t.replace(old, new, 1))
    assert any(all(fragment in p for fragment in fragments) for p in problems_of(corpus_copy))



def test_missing_field_reports_file_line_and_entry(corpus_copy):
    path = corpus_copy / "frameworks" / "orebro-anslag-1-1.yaml"
    edit(path, lambda t: t.replace("    name: Medfinansiering av EU-projekt\n", ""))
    problems = problems_of(corpus_copy)
    assert any(p.startswith("orebro-anslag-1-1.yaml:") and "[eu-medfinansiering]" in p and "name" in p for p in problems)



def test_yaml_syntax_error_has_a_line(corpus_copy):
    edit(corpus_copy / "headings.yaml", lambda t: t + "\n  - {id: trasig, name: [unclosed\n")
    [problem] = problems_of(corpus_copy)
    assert problem.startswith("headings.yaml:") and "YAML syntax error" in problem



def test_unknown_region(corpus):
    with pytest.raises(UnknownRegionError):
        corpus.frameworks_for("gotland")


def test_every_problem_is_listed_at_once(corpus_copy):
    edit(corpus_copy / "rules.yaml", lambda t: t.replace("sections: [syfte]", "sections: [syftet]"))
    edit(corpus_copy / "manifest.yaml", lambda t: t.replace("default_region: orebro", "default_region: gotland"))
    assert len(problems_of(corpus_copy)) >= 2


def test_adding_an_area_is_a_data_change(corpus_copy, analyzer):
    """A region adds a missing RUS area; it validates and shows up in analysis results."""
    from analysis.pipeline import Analyzer

    path = corpus_copy / "frameworks" / "orebro-rus-2022-2030.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["items"].append({
        "id": "kultur-och-fritid", "name": "Kultur och fritid", "status": "working-name",
        "source": {"document": "Test"}, "description": "Ett rikt kulturliv och en meningsfull fritid för alla i länet.",
        "vocabulary": ["kultur", "fritid", "idrott", "bibliotek"],
        "examples": ["Biblioteken erbjuder fler kulturaktiviteter på fritiden."],
    })
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    corpus = load_corpus(corpus_copy)
    custom = Analyzer.create(analyzer.settings, corpus=corpus, embedder=analyzer.embedder)
    result = custom.analyze(custom.read_text("Biblioteken och idrottsföreningarna ordnar kultur och fritid för unga i länet."))
    items = [a for a in result.alignments if a.framework == "orebro-rus-2022-2030"]
    assert any(a.item == "kultur-och-fritid" for a in items)
    assert items[0].item == "kultur-och-fritid"


def test_second_region_is_selectable(analyze_text):
    result = analyze_text("Projektet ska stärka konkurrenskraften i länets företag genom export och innovation.",
                          region="varmland")
    assert {a.framework for a in result.alignments} == {"varmland-rus-2021-2040", "nationell-strategi-2021-2030"}
    assert result.versions.region == "varmland"


def test_json_schema_covers_every_file_kind():
    schema = corpus_json_schema()
    assert set(schema["files"]) == {"manifest.yaml", "frameworks/*.yaml", "perspectives.yaml", "rules.yaml", "headings.yaml",
                                   "facts.yaml"}
    json.dumps(schema)




def test_which_headings_make_a_decision_is_corpus_data(corpus_copy, corpus):
    """`kinds` in headings.yaml decides a decision: moved to another heading, the kind follows it."""
    from analysis.sections import HeadingMapper, document_kind, segment

    text = "Rubrik\n\nBedömning\nProjektet är bra.\n\nSyfte\nAtt göra något.\n\nMål\nEtt mål."
    edit(corpus_copy / "headings.yaml", lambda t: t.replace("kinds: [decision], ", "").replace(
        "keywords: [bedömning, överväganden], ", "keywords: [bedömning, överväganden], kinds: [decision], "))
    moved = load_corpus(corpus_copy)
    kinds = [document_kind(segment(text, HeadingMapper(c.headings, c.perspectives))) for c in (corpus, moved)]
    assert kinds == ["application", "decision"]



