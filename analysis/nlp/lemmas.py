"""Swedish lemmas from simplemma (greedy), cached: the blank spaCy pipeline has no tagger."""

from __future__ import annotations

import contextlib
import logging
import marshal
import os
import tempfile
from collections.abc import Callable, Mapping
from functools import lru_cache
from importlib.metadata import version
from pathlib import Path

from simplemma import Lemmatizer
from simplemma.strategies import DefaultStrategy
from simplemma.strategies.dictionaries.dictionary_factory import (
    CachingDictionaryFactory,
    MappingStrToByteString,
    _load_dictionary_from_disk,
)

from analysis.language import lemma_exceptions

log = logging.getLogger(__name__)


class MarshalledDictionaries(CachingDictionaryFactory):
    """simplemma's dictionaries, decoded once per machine and kept in ``folder`` as marshal files.

    simplemma stores each language front-coded and decodes it in a Python loop at every process start:
    1.1 s for Swedish, in every CLI run, bulk worker and analysis process. The decoded dict reads back
    from a marshal file in 0.3 s. The file is named by simplemma's version; where the folder cannot be
    written the dictionary is simply decoded as before. marshal holds data only, no code to run.
    """

    def __init__(self, folder: Callable[[], Path]) -> None:
        super().__init__()  # simplemma's per-language cache: each dictionary is read once per process
        self._folder = folder  # asked at first use: the settings are read then, not at import

    def _get_dictionary_uncached(self, lang: str) -> Mapping[str, str]:
        return MappingStrToByteString(self._read(lang))

    def _read(self, lang: str) -> dict[bytes, bytes]:
        folder = self._folder()
        path = folder / f"simplemma-{version('simplemma')}-{lang}.marshal"
        with contextlib.suppress(OSError, ValueError, EOFError, TypeError):
            data = marshal.loads(path.read_bytes())
            if isinstance(data, dict):
                return data
        data = _load_dictionary_from_disk(lang)
        try:  # written under a temporary name and renamed: a reader never sees half a file
            folder.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile(dir=folder, delete=False) as handle:
                handle.write(marshal.dumps(data))
            os.replace(handle.name, path)
        except OSError as error:
            log.info("simplemma dictionary not cached: %s", error)
        return data


def _cache_folder() -> Path:
    from analysis.settings import get_settings

    return get_settings().cache_dir


# simplemma.lemmatize(..., greedy=True) with its own second cache (65 536 entries) turned off: ours is in front.
_LEMMATIZER = Lemmatizer(cache_max_size=0, lemmatization_strategy=DefaultStrategy(
    greedy=True, dictionary_factory=MarshalledDictionaries(_cache_folder)))


@lru_cache(maxsize=40_000)
def lemma(word: str) -> str:
    """Lower-case lemma; greedy mode also reduces inflected compounds ("arbetsmiljön")."""
    return _lemma_of_lowered(word.lower())


@lru_cache(maxsize=40_000)
def _lemma_of_lowered(lowered: str) -> str:
    """Cached by the lower-case form: "Projektet" and "projektet" are looked up once."""
    if not any(ch.isalpha() for ch in lowered):
        return lowered
    if (exception := lemma_exceptions().get(lowered)) is not None:
        return exception
    return _LEMMATIZER.lemmatize(lowered, "sv").lower()


def phrase_lemmas(phrase: str) -> tuple[str, ...]:
    """Lemmas of each word in a vocabulary phrase, lemmatised exactly as document tokens are."""
    return tuple(lemma(word) for word in phrase.replace("-", " - ").split() if word != "-")
