"""Matchers: lexical (compounds, negation, false friends, empty), semantic, calibrated combination."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from analysis.errors import ModelUnavailableError
from analysis.document import Document
from analysis.matching.calibration import FEATURES, Calibrator, fit_calibrator
from analysis.matching.features import Feature, FeatureMismatchError, merged
from analysis.matching.registry import calibrator_features, registered
from tests.conftest import SEED


def lexical_scores(analyzer, prepare_text, text: str, framework: str = "orebro-rus-2022-2030") -> dict:
    document = prepare_text(text)
    return {s.item: s for s in analyzer.lexical.score(document, analyzer.corpus.framework(framework))}


def test_compound_parts_count(analyzer, prepare_text):
    scores = lexical_scores(analyzer, prepare_text, "Vi bygger ett företagskluster med kompetensförsörjningsinsatser.")
    assert scores["naringsliv-och-entreprenorskap"].score > 0
    assert scores["kompetensforsorjning-och-matchning"].score > 0
    assert scores["halsa-och-sjukvard"].score == 0


def test_negated_terms_do_not_count(analyzer, prepare_text):
    scores = lexical_scores(analyzer, prepare_text, "Projektet handlar inte om export.")
    assert scores["naringsliv-och-entreprenorskap"].score == 0


def test_false_friend_compound_head(analyzer, prepare_text):
    """'klimat' counts for Energi och klimat, 'företagsklimat' does not."""
    climate = lexical_scores(analyzer, prepare_text, "Vi arbetar med klimatet.")["energi-och-klimat"].score
    milieu = lexical_scores(analyzer, prepare_text, "Vi förbättrar företagsklimatet.")["energi-och-klimat"].score
    assert climate > 0 and milieu == 0


def test_item_name_mention_is_strong_evidence(analyzer, prepare_text):
    scores = lexical_scores(analyzer, prepare_text,
                            "Projektet ligger inom det prioriterade området Social sammanhållning och demokrati.")
    best = max(scores.values(), key=lambda s: s.score)
    assert best.item == "social-sammanhallning-och-demokrati" and best.features[Feature.NAME_MENTION] == 1.0
    assert "Social sammanhållning" in best.evidence[0].text


def test_every_item_is_found_by_its_own_name(analyzer, prepare_text):
    """Each name as written in the corpus, whatever it holds ("hälso- och sjukvård", "EU-projekt", commas),
    is read by the same tokenizer and lemmas as the text naming it."""
    for framework in analyzer.corpus.frameworks:
        for item in framework.items:
            if len(item.name.split()) < 2:
                continue
            scores = lexical_scores(analyzer, prepare_text,
                                    f"Projektet ligger inom det prioriterade området {item.name}.", framework.id)
            assert scores[item.id].features[Feature.NAME_MENTION] == 1.0, (framework.id, item.name)


def test_empty_text_scores_nothing(analyzer, prepare_text):
    document = prepare_text("Hej.")
    framework = analyzer.corpus.framework("orebro-rus-2022-2030")
    assert all(s.score == 0 for s in analyzer.lexical.score(document, framework))
    assert all(s.evidence == [] for s in analyzer.semantic.score(document, framework))


def test_semantic_prefers_similar_examples(analyzer, prepare_text):
    document = prepare_text("Kommunernas fordon ställs om till el och biogas för att minska utsläppen i länet.")
    analyzer.embed([document])
    scores = analyzer.semantic.score(document, analyzer.corpus.framework("orebro-rus-2022-2030"))
    assert max(scores, key=lambda s: s.score).item == "energi-och-klimat"


def _features(z: float) -> dict[Feature, float]:
    lexical = max(z, 0)
    return {Feature.SEMANTIC_Z: z, Feature.SEMANTIC_TOP: z / 4, Feature.LEXICAL_SHARE: lexical / 3,
            Feature.LEXICAL_LOG: lexical / 2, Feature.NAME_MENTION: 0.0, Feature.SUPERVISED: lexical / 4}


def test_calibrator_roundtrip_and_monotonicity(tmp_path):
    rows = [("rus", _features(z), int(z > 1)) for z in [-1.0, -0.5, 0.0, 0.2, 0.4, 1.5, 2.0, 2.5, 3.0, -0.2]]
    calibrator = fit_calibrator(rows, "fake")
    path = tmp_path / "cal.json"
    calibrator.save(path)
    loaded = Calibrator.load(path)
    assert loaded.version == calibrator.version
    low, high = loaded.probability("rus", _features(-1.0)), loaded.probability("rus", _features(3.0))
    assert 0 <= low < 0.5 < high <= 1
    assert loaded.probability("unknown-kind", _features(3.0)) == pytest.approx(
        loaded.probability("default", _features(3.0))
    )


def test_calibrator_refuses_a_missing_feature_and_other_features(tmp_path):
    calibrator = fit_calibrator([("rus", _features(z), int(z > 1)) for z in [-1.0, 0.0, 2.0, 3.0]], "fake")
    with pytest.raises(FeatureMismatchError, match=r"missing \['semantic_z'\]"):
        calibrator.probability("rus", {k: v for k, v in _features(1.0).items() if k != Feature.SEMANTIC_Z})
    misspelt = {("semantic_zz" if k == Feature.SEMANTIC_Z else k): v for k, v in _features(1.0).items()}
    with pytest.raises(FeatureMismatchError, match=r"unexpected \['semantic_zz'\], missing \['semantic_z'\]"):
        calibrator.probability("rus", misspelt)  # type: ignore[arg-type]
    with pytest.raises(FeatureMismatchError, match="unexpected"):
        calibrator.probability("rus", {**_features(1.0), "lexical_raw": 1.0})  # type: ignore[dict-item]
    path = tmp_path / "cal.json"
    calibrator.save(path)
    data = json.loads(path.read_text())
    data["features"] = [*data["features"][:-1], "something-else"]
    path.write_text(json.dumps(data))
    with pytest.raises(ModelUnavailableError, match="refit"):
        Calibrator.load(path)


def _empty_document(analyzer):
    return Document(id="empty", source=None, text="", language="sv", kind="summary", sections=[], sentences=[],
                    vectors=np.zeros((0, analyzer.embedder.dim), dtype=np.float32))


def test_every_registered_matcher_passes_the_matcher_contract(analyzer):
    """The contract every matcher must pass (in the spirit of scikit-learn's check_estimator): registered
    under its own name, reports exactly its declared features (finite floats), one score per item in its
    declared range, evidence quoting the text, the same answer twice, and an empty document handled."""
    document = analyzer.prepare(analyzer.read_path(SEED))
    analyzer.embed([document])
    instances = {"lexical": analyzer.lexical, "semantic": analyzer.semantic, "supervised": analyzer.supervised}
    assert list(registered()) == list(instances)  # a new matcher must be wired into the pipeline
    assert len(set(calibrator_features())) == len(calibrator_features()) == len(FEATURES)
    for name, matcher in instances.items():
        assert type(matcher) is registered()[name] and matcher.name == name
        low, high = matcher.score_range
        for framework in analyzer.frameworks(None):
            scores = matcher.score(document, framework)
            assert [s.item for s in scores] == [item.id for item in framework.items]
            for score in scores:
                assert score.matcher == name and set(score.features) == set(matcher.features), (name, score.item)
                assert all(isinstance(v, float) and math.isfinite(v) for v in score.features.values())
                assert low <= score.score <= high, (name, score.item, score.score)
                for evidence in score.evidence:
                    assert document.text[evidence.start : evidence.end] == evidence.text
                    assert evidence.source == name
            assert matcher.score(document, framework) == scores, name
            empty = matcher.score(_empty_document(analyzer), framework)
            assert [s.item for s in empty] == [item.id for item in framework.items]
            assert all(s.evidence == [] and set(s.features) == set(matcher.features)
                       and low <= s.score <= high for s in empty), name


def test_combined_matcher_calibrates_every_registered_feature(analyzer):
    document = analyzer.prepare(analyzer.read_path(SEED))
    analyzer.embed([document])
    for framework in analyzer.frameworks(None):
        for score in analyzer.matcher.score(document, framework):
            assert set(score.features) == set(FEATURES) and list(score.contributions) == list(registered())
            assert 0.0 <= score.score <= 1.0


def test_a_matcher_name_is_registered_once():
    from analysis.matching.registry import register

    class Impostor:
        features = (Feature.LEXICAL_LOG,)

    with pytest.raises(ValueError, match="'lexical' is registered already"):
        register("lexical")(Impostor)
    assert registered()["lexical"] is not Impostor


def test_features_from_two_matchers_never_overwrite_each_other():
    with pytest.raises(FeatureMismatchError, match="lexical_log"):
        merged({Feature.LEXICAL_LOG: 1.0}, {Feature.LEXICAL_LOG: 2.0})


def test_alignments_are_ranked_with_evidence(analyzer):
    result = analyzer.analyze(analyzer.read_path(SEED), include_text=True)
    for framework in {a.framework for a in result.alignments}:
        ranked = [a for a in result.alignments if a.framework == framework]
        assert [a.rank for a in ranked] == list(range(1, len(ranked) + 1))
        assert ranked == sorted(ranked, key=lambda a: (not a.explicit, -a.score))
        assert ranked[0].match
        for evidence in ranked[0].evidence:
            assert result.document.text[evidence.start : evidence.end] == evidence.text


def test_seed_top_items_with_the_default_model(static_analyzer):
    """The first demo: the seed decision ranks the right item first in every framework."""
    result = static_analyzer.analyze(static_analyzer.read_path(SEED))
    top = {a.framework: a for a in result.alignments if a.rank == 1}
    assert top["orebro-rus-2022-2030"].item == "naringsliv-och-entreprenorskap"
    assert top["nationell-strategi-2021-2030"].item == "innovation-och-entreprenorskap"
    assert top["orebro-anslag-1-1"].item == "naringsliv-langsiktigt-hallbart"
    assert all(a.evidence for a in top.values())
    assert result.versions.models["embedder"].startswith("static-sv:")


def test_named_priority_outranks_inference_and_even_marks_secondary(analyze_text):
    result = analyze_text(
        "Projektet genomförs inom det prioriterade området Kompetensförsörjning och matchning och stärker även "
        "området Näringsliv och entreprenörskap. Företagen får rådgivning, export och kluster för att växa.")
    rus = [a for a in result.alignments if a.framework == "orebro-rus-2022-2030"]
    assert rus[0].item == "kompetensforsorjning-och-matchning" and rus[0].explicit and rus[0].match
    secondary = next(a for a in rus if a.item == "naringsliv-och-entreprenorskap")
    assert not secondary.explicit
