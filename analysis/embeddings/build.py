"""Reproducible offline build of static-sv, distilled from the e5-small teacher.

Model2vec's recipe, adapted to Swedish: a word-level vocabulary from wordfreq's
Swedish list (plus the policy corpus), each entry embedded by the teacher,
reduced with PCA, weighted by SIF frequency weights, and packed as a
WordPiece tokenizer whose ``##`` continuation pieces let unseen compounds
("techklustret") fall back to known heads. The result is a sentence-transformers
folder (StaticEmbedding + Normalize) that loads with no network.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

log = logging.getLogger(__name__)

_SWEDISH_WORD = re.compile(r"^[a-zåäöéü]+(?:-[a-zåäöéü]+)?$")
_DIGITS_AND_LETTERS = list("0123456789abcdefghijklmnopqrstuvwxyzåäöéü")


@dataclass(frozen=True)
class BuildConfig:
    """Every knob of the build; recorded in build_info.json next to the weights."""

    vocabulary_size: int = 60_000
    continuation_size: int = 30_000
    dimensions: int = 256
    sif_a: float = 1e-3
    seed: int = 20261127
    batch_size: int = 256
    training_sentences: int = 24_000
    epochs: int = 4
    learning_rate: float = 0.05
    train_batch: int = 256


def swedish_vocabulary(config: BuildConfig, extra_words: Iterable[str] = ()) -> list[str]:
    """wordfreq's most frequent Swedish words, cleaned, plus domain words from the corpus."""
    from wordfreq import top_n_list

    seen: dict[str, None] = {}
    for word in top_n_list("sv", config.vocabulary_size * 2):
        if _SWEDISH_WORD.match(word) and len(seen) < config.vocabulary_size:
            seen[word] = None
    for word in extra_words:
        word = word.lower()
        if _SWEDISH_WORD.match(word):
            seen[word] = None
    return list(seen)


class TeacherCache:
    """Word → teacher vector, persisted so a rebuild re-encodes only new words."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.vectors: dict[str, np.ndarray] = {}
        if path.is_file():
            data = np.load(path, allow_pickle=False)
            self.vectors = dict(zip(data["words"].tolist(), data["vectors"], strict=True))

    def fill(self, words: list[str], encode: Callable[[list[str]], np.ndarray], batch_size: int,
             progress: Callable[[int], None] | None = None) -> None:
        missing = list(dict.fromkeys(word for word in words if word not in self.vectors))  # each word once
        for start in range(0, len(missing), batch_size):
            batch = missing[start : start + batch_size]
            for word, vector in zip(batch, encode(batch), strict=True):
                self.vectors[word] = vector.astype(np.float32)
            if progress:
                progress(len(batch))
            if (start // batch_size) % 40 == 39:
                self.save()
        self.save()

    def save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        words = list(self.vectors)
        tmp = self.path.with_suffix(".tmp.npz")
        np.savez(tmp, words=np.array(words), vectors=np.stack([self.vectors[w] for w in words]))
        tmp.replace(self.path)


def sif_weight(word: str, a: float) -> float:
    """Smooth inverse frequency: frequent function words contribute little to a sentence."""
    from wordfreq import word_frequency

    return a / (a + word_frequency(word, "sv"))


def build_tokenizer(words: list[str], continuations: list[str]):
    """WordPiece over whole words; ``##piece`` entries cover compound heads and endings."""
    from tokenizers import Tokenizer, normalizers, pre_tokenizers
    from tokenizers.models import WordPiece

    vocab: dict[str, int] = {"[UNK]": 0}
    for token in [*words, *(f"##{w}" for w in continuations), *_DIGITS_AND_LETTERS,
                  *(f"##{c}" for c in _DIGITS_AND_LETTERS)]:
        vocab.setdefault(token, len(vocab))
    tokenizer = Tokenizer(WordPiece(vocab, unk_token="[UNK]", continuing_subword_prefix="##",
                                    max_input_chars_per_word=60))
    tokenizer.normalizer = normalizers.Sequence([normalizers.NFC(), normalizers.Lowercase()])
    tokenizer.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    return tokenizer, vocab


def build_static_sv(output_dir: Path, cache_dir: Path, config: BuildConfig = BuildConfig(),
                    extra_words: Iterable[str] = (), teacher=None,
                    progress_factory=None, corpus=None) -> dict:
    """Build the model folder; returns the build information written beside it."""
    from sklearn.decomposition import PCA

    from analysis.embeddings.e5 import E5SmallEmbedder

    rng = np.random.default_rng(config.seed)
    words = swedish_vocabulary(config, extra_words)
    continuations = [w for w in words[: config.continuation_size * 2] if len(w) >= 3][: config.continuation_size]
    teacher = teacher or E5SmallEmbedder()
    cache = TeacherCache(cache_dir / f"teacher-{teacher.name}.npz")
    log.info("vocabulary: %d words, %d continuation pieces", len(words), len(continuations))
    singles = _DIGITS_AND_LETTERS
    to_encode = [*words, *singles]
    advance = progress_factory(len([w for w in to_encode if w not in cache.vectors])) if progress_factory else None
    cache.fill(to_encode, teacher.encode, config.batch_size, advance)

    tokenizer, vocab = build_tokenizer(words, continuations)
    teacher_matrix = np.stack([cache.vectors[w] for w in words])
    sample = teacher_matrix[rng.permutation(len(words))[: min(len(words), 40_000)]]
    pca = PCA(n_components=config.dimensions, random_state=config.seed).fit(sample)

    rows = np.zeros((len(vocab), config.dimensions), dtype=np.float32)
    tokens = [t for t, _ in sorted(vocab.items(), key=lambda kv: kv[1])]
    bases = [t.removeprefix("##") for t in tokens[1:]]  # a continuation piece shares its word's vector
    projected = pca.transform(np.stack([cache.vectors[b] for b in bases]))
    weights = np.array([sif_weight(b, config.sif_a) for b in bases], dtype=np.float32)
    rows[1:] = projected * weights[:, None]
    # Digits carry no topic, yet every text has years and percentages: left in, they pull every
    # document towards whichever item's description is full of numbers. They stay silent, like [UNK].
    silent = [index for token, index in vocab.items() if token.lstrip("#").isdigit()]
    rows[silent] = 0.0
    training: dict = {}
    if config.training_sentences and corpus is not None:
        sentences = training_sentences(corpus, config.training_sentences, config.seed)
        sentence_cache = TeacherCache(cache_dir / f"sentences-{teacher.name}.npz")
        sentence_cache.fill(sentences, teacher.encode, 128)
        targets = pca.transform(np.stack([sentence_cache.vectors[s] for s in sentences]))
        rows, training = distil(rows, tokenizer, sentences, targets, config)
        rows[silent] = 0.0
    return _write_model(output_dir, tokenizer, rows, config, teacher, len(words), len(continuations), training)


def distil(rows: np.ndarray, tokenizer, sentences: list[str], targets: np.ndarray,
           config: BuildConfig) -> tuple[np.ndarray, dict]:
    """Train the token vectors so their mean points where the teacher's sentence vector does (cosine loss)."""
    import torch

    torch.manual_seed(config.seed)
    bag = torch.nn.EmbeddingBag.from_pretrained(torch.from_numpy(rows.copy()), freeze=False, mode="mean", sparse=True)
    optimiser = torch.optim.SparseAdam(bag.parameters(), lr=config.learning_rate / 10)
    encoded = [np.asarray(e.ids, dtype=np.int64) for e in tokenizer.encode_batch(sentences, add_special_tokens=False)]
    target = torch.nn.functional.normalize(torch.from_numpy(targets.astype(np.float32)), dim=1)
    order_rng = np.random.default_rng(config.seed)
    history = []
    for epoch in range(config.epochs):
        order = order_rng.permutation(len(sentences))
        total = 0.0
        for start in range(0, len(order), config.train_batch):
            batch = [i for i in order[start : start + config.train_batch] if len(encoded[i])]
            ids = torch.from_numpy(np.concatenate([encoded[i] for i in batch]))
            offsets = torch.from_numpy(np.cumsum([0] + [len(encoded[i]) for i in batch[:-1]]))
            predicted = torch.nn.functional.normalize(bag(ids, offsets), dim=1)
            loss = (1 - (predicted * target[batch]).sum(dim=1)).mean()
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
            total += loss.item() * len(batch)
        history.append(round(total / len(sentences), 5))
        log.info("distillation epoch %d: cosine loss %.4f", epoch + 1, history[-1])
    trained = bag.weight.detach().numpy().astype(np.float32)
    trained[0] = 0.0  # [UNK] stays silent
    return trained, {"sentences": len(sentences), "epochs": config.epochs, "loss_per_epoch": history}


def _write_model(output_dir: Path, tokenizer, rows: np.ndarray, config: BuildConfig, teacher,
                 n_words: int, n_continuations: int, training: dict | None = None) -> dict:
    import torch
    from sentence_transformers import SentenceTransformer
    from sentence_transformers.sentence_transformer.modules import Normalize, StaticEmbedding

    static = StaticEmbedding(tokenizer, embedding_weights=torch.from_numpy(rows.astype(np.float16)))
    model = SentenceTransformer(modules=[static, Normalize()], device="cpu")
    output_dir.mkdir(parents=True, exist_ok=True)
    card = output_dir / "README.md"
    kept_card = card.read_text(encoding="utf-8") if card.is_file() else None
    model.save(str(output_dir))
    if kept_card is not None:  # sentence-transformers writes its own card; ours says what the model is
        card.write_text(kept_card, encoding="utf-8")
    digest = hashlib.sha256(rows.astype(np.float16).tobytes()).hexdigest()[:12]
    info = {
        "version": f"static-sv-{digest}",
        "teacher": teacher.version,
        "vocabulary_words": n_words,
        "continuation_pieces": n_continuations,
        "rows": int(rows.shape[0]),
        "config": config.__dict__,
        "distillation": training or {},
    }
    (output_dir / "build_info.json").write_text(json.dumps(info, indent=2), encoding="utf-8")
    return info


def corpus_words(corpus) -> list[str]:
    """Every word the policy corpus uses, so domain vocabulary is never out of the model's reach."""
    texts: list[str] = []
    for framework in corpus.frameworks:
        texts += [framework.name, framework.description]
        for item in framework.items:
            texts += [
                item.name,
                item.description,
                *item.orientations,
                *item.examples,
                *(t.term for t in item.vocabulary),
            ]
    for perspective in corpus.perspectives.perspectives:
        texts += [perspective.name, perspective.description, *(t.term for t in perspective.vocabulary)]
    words = {w for text in texts for w in re.findall(r"[a-zåäöéü]+(?:-[a-zåäöéü]+)?", text.lower())}
    return sorted(words)


def training_sentences(corpus, count: int, seed: int) -> list[str]:
    """Swedish training texts for distillation, built offline from permissively licensed sources only.

    Random frequency-weighted word sequences from wordfreq's Swedish list (topic without syntax, which
    is all a bag-of-words student can learn), domain mixes of policy vocabulary with common words, and
    the corpus's own sentences with word dropout. The devset is left out so its evaluation stays honest.
    """
    from wordfreq import top_n_list, word_frequency

    rng = np.random.default_rng(seed)
    common = [w for w in top_n_list("sv", 20_000) if _SWEDISH_WORD.match(w)]
    weights = np.array([word_frequency(w, "sv") for w in common]) ** 0.5
    weights /= weights.sum()
    items = [item for framework in corpus.frameworks for item in framework.items]
    perspectives = corpus.perspectives.perspectives
    corpus_sentences = []
    for item in items:
        corpus_sentences += [s.strip() for s in re.split(r"(?<=[.!?])\s+", item.description) if s.strip()]
        corpus_sentences += [*item.examples, *item.orientations]
    out: list[str] = []
    while len(out) < count:
        roll = rng.random()
        if roll < 0.55:
            out.append(" ".join(rng.choice(common, size=rng.integers(5, 15), p=weights)))
        elif roll < 0.9:
            source = (
                items[rng.integers(len(items))] if rng.random() < 0.8 else perspectives[rng.integers(len(perspectives))]
            )
            terms = [t.term for t in source.vocabulary]
            picked = list(rng.choice(terms, size=min(len(terms), int(rng.integers(2, 5))), replace=False))
            filler = list(rng.choice(common[:2000], size=rng.integers(3, 8), p=None))
            words = picked + filler
            rng.shuffle(words)
            out.append(" ".join(words))
        else:
            words = corpus_sentences[rng.integers(len(corpus_sentences))].split()
            kept = [w for w in words if rng.random() > 0.25] or words
            out.append(" ".join(kept))
    return out
