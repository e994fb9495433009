"""The calibrator's input features: one name each, written by the matchers, read by calibration and ranking.

A matcher declares which of these it reports (its ``features`` tuple, see registry.py);
the calibrator's vector is the registered matchers' features in registration order and
refuses any other key (calibration.py), so a misspelt name is an error, never a silent 0.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum


class Feature(StrEnum):
    LEXICAL_SHARE = "lexical_share"  # the item's share of the framework's lexical score
    LEXICAL_LOG = "lexical_log"  # log(1 + lexical score)
    NAME_MENTION = "name_mention"  # 1 the text claims the item by name, less for a weaker mention, 0 none
    SEMANTIC_Z = "semantic_z"  # closeness of the best sentences, standardised over the framework's items
    SEMANTIC_TOP = "semantic_top"  # mean similarity of the best sentences
    SUPERVISED = "supervised"  # the TF-IDF model's probability


Features = dict[Feature, float]


class FeatureMismatchError(ValueError):
    """A feature dict with names the calibrator was not fitted on, or without some it was."""


def check_names(features: Mapping[Feature, float] | Mapping[str, float], expected: tuple[Feature, ...]) -> None:
    """scikit-learn's feature_names_in_ rule: exactly the fitted names, any order."""
    given = set(features)
    if given != set(expected):
        unexpected = sorted(str(name) for name in given - set(expected))
        missing = sorted(str(name) for name in set(expected) - given)
        raise FeatureMismatchError(f"features do not match the calibrator's: unexpected {unexpected}, "
                                   f"missing {missing} (fitted on {[str(name) for name in expected]})")


def merged(*parts: Mapping[Feature, float]) -> Features:
    """Several matchers' features as one dict; two matchers reporting the same name is a bug, not an overwrite."""
    out: Features = {}
    for part in parts:
        if clash := out.keys() & part.keys():
            raise FeatureMismatchError(f"two matchers report {sorted(str(name) for name in clash)}")
        out.update(part)
    return out
