"""Load and validate the policy corpus, collecting every problem with file and line."""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from analysis.corpus.schema import (
    FactCues,
    Framework,
    HeadingLexicon,
    Manifest,
    PerspectiveSet,
    PolicyCorpus,
    RuleSet,
)
from analysis.errors import CorpusError

MANIFEST = "manifest.yaml"


class _Problems(list[str]):
    def add(self, file: Path | str, message: str, line: int | None = None, entry: str | None = None) -> None:
        where = f"{Path(file).name}:{line}" if line else f"{Path(file).name}"
        self.append(f"{where}: {f'[{entry}] ' if entry else ''}{message}")


_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _read_yaml(path: Path, problems: _Problems) -> tuple[Any, yaml.Node | None]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        problems.add(path, "file not found")
        return None, None
    except (OSError, UnicodeDecodeError) as error:
        problems.add(path, f"cannot read: {error}")
        return None, None
    try:
        # libyaml's C parser, where PyYAML has it: the same data and marks, 10× faster (every process loads this)
        return yaml.load(text, Loader=_LOADER), yaml.compose(text, Loader=_LOADER)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        problems.add(
            path, f"YAML syntax error: {getattr(error, 'problem', error)}", line=mark.line + 1 if mark else None
        )
        return None, None


def _node_at(node: yaml.Node | None, loc: tuple[int | str, ...]) -> yaml.Node | None:
    """Follow a pydantic error location through the YAML node tree, as deep as it goes."""
    for key in loc:
        if isinstance(node, yaml.MappingNode):
            node = next((value for k, value in node.value if k.value == key), node)
        elif isinstance(node, yaml.SequenceNode) and isinstance(key, int) and key < len(node.value):
            node = node.value[key]
        else:
            break
    return node


def _entry_id(data: Any, loc: tuple[int | str, ...]) -> str | None:
    """The id of the innermost entry on the error's path, so officers can find it."""
    found = None
    for key in loc:
        try:
            data = data[key]
        except (KeyError, IndexError, TypeError):
            break
        if isinstance(data, dict) and isinstance(data.get("id"), str):
            found = data["id"]
    return found


def _validate(model: type[BaseModel], path: Path, problems: _Problems) -> Any:
    data, node = _read_yaml(path, problems)
    if data is None and node is None:
        return None
    try:
        return model.model_validate(data)
    except ValidationError as error:
        for issue in error.errors():
            loc = tuple(issue["loc"])
            target = _node_at(node, loc)
            line = target.start_mark.line + 1 if target is not None else None
            field = ".".join(str(part) for part in loc) or "(top level)"
            problems.add(path, f"{field}: {issue['msg']}", line=line, entry=_entry_id(data, loc))
        return None


def _duplicates(ids: list[str]) -> list[str]:
    return sorted(item for item, count in Counter(ids).items() if count > 1)


def _check_frameworks(corpus: dict[str, Any], root: Path, problems: _Problems) -> None:
    """Framework ids and item ids are unique across the whole corpus."""
    frameworks: list[Framework] = corpus["frameworks"]
    for duplicate in _duplicates([f.id for f in frameworks]):
        problems.add(root / MANIFEST, f"duplicate framework id {duplicate!r}", entry=duplicate)
    item_ids = [item.id for f in frameworks for item in f.items]
    for duplicate in _duplicates(item_ids):
        owners = [f.id for f in frameworks if any(i.id == duplicate for i in f.items)]
        problems.add(root / MANIFEST, f"duplicate item id {duplicate!r} (in {', '.join(owners)})", entry=duplicate)


def _check_regions(corpus: dict[str, Any], root: Path, problems: _Problems) -> None:
    """Regions are unique, name only known frameworks, and the default region is one of them."""
    manifest: Manifest = corpus["manifest"]
    framework_ids = {f.id for f in corpus["frameworks"]}
    for duplicate in _duplicates([r.id for r in manifest.regions]):
        problems.add(root / MANIFEST, f"duplicate region id {duplicate!r}", entry=duplicate)
    for region in manifest.regions:
        for framework_id in region.frameworks:
            if framework_id not in framework_ids:
                problems.add(
                    root / MANIFEST, f"region {region.id!r} names unknown framework {framework_id!r}", entry=region.id
                )
    if manifest.default_region not in {r.id for r in manifest.regions}:
        problems.add(root / MANIFEST, f"default_region {manifest.default_region!r} is not a listed region")


def _check_perspectives(corpus: dict[str, Any], root: Path, problems: _Problems) -> None:
    """Perspective ids and empty-sign ids are unique."""
    perspectives: PerspectiveSet | None = corpus.get("perspectives")
    if not perspectives:
        return
    path = root / corpus["manifest"].files.perspectives
    for duplicate in _duplicates([p.id for p in perspectives.perspectives]):
        problems.add(path, f"duplicate perspective id {duplicate!r}", entry=duplicate)
    for duplicate in _duplicates([s.id for s in perspectives.empty_signs]):
        problems.add(path, f"duplicate empty-sign id {duplicate!r}", entry=duplicate)


def _check_headings(corpus: dict[str, Any], root: Path, problems: _Problems) -> None:
    """Section ids in the heading lexicon (the title's included) are unique."""
    headings: HeadingLexicon | None = corpus.get("headings")
    if not headings:
        return
    path = root / corpus["manifest"].files.headings
    for duplicate in _duplicates([headings.title.id, *(h.id for h in headings.sections)]):
        problems.add(path, f"duplicate section id {duplicate!r}", entry=duplicate)


def _check_rules(corpus: dict[str, Any], root: Path, problems: _Problems) -> None:
    """Rule ids are unique and rules name only sections the heading lexicon defines."""
    rules: RuleSet | None = corpus.get("rules")
    if not rules:
        return
    headings: HeadingLexicon | None = corpus.get("headings")
    path = root / corpus["manifest"].files.rules
    for duplicate in _duplicates([r.id for r in rules.rules]):
        problems.add(path, f"duplicate rule id {duplicate!r}", entry=duplicate)
    if not headings:  # an invalid heading file is reported on its own; unknown sections cannot be told then
        return
    section_ids = {h.id for h in headings.sections}
    for rule in rules.rules:
        for section in getattr(rule, "sections", []):
            if section not in section_ids:
                problems.add(path, f"rule refers to unknown section {section!r}", entry=rule.id)


# Cross-file checks, in the order their problems are reported.
_CROSS_CHECKS = (_check_frameworks, _check_regions, _check_perspectives, _check_headings, _check_rules)


def _cross_check(corpus: dict[str, Any], root: Path, problems: _Problems) -> None:
    for check in _CROSS_CHECKS:
        check(corpus, root, problems)


def _content_hash(paths: list[Path]) -> str:
    digest = hashlib.sha256()
    for path in paths:
        digest.update(path.name.encode())
        digest.update(path.read_bytes() if path.is_file() else b"")
    return digest.hexdigest()[:12]


def load_corpus(root: Path | str) -> PolicyCorpus:
    """Read and validate every file; raise CorpusError listing all problems at once."""
    root = Path(root)
    problems = _Problems()
    if not root.is_dir():
        raise CorpusError([f"{root}: corpus folder not found"])
    manifest: Manifest | None = _validate(Manifest, root / MANIFEST, problems)
    if manifest is None:
        raise CorpusError(problems)
    frameworks = [_validate(Framework, root / name, problems) for name in manifest.files.frameworks]
    corpus: dict[str, Any] = {
        "manifest": manifest,
        "frameworks": [f for f in frameworks if f is not None],
        "perspectives": _validate(PerspectiveSet, root / manifest.files.perspectives, problems),
        "rules": _validate(RuleSet, root / manifest.files.rules, problems),
        "headings": _validate(HeadingLexicon, root / manifest.files.headings, problems),
        "facts": _validate(FactCues, root / manifest.files.facts, problems),
    }
    _cross_check(corpus, root, problems)
    if problems:
        raise CorpusError(problems)
    files = [root / MANIFEST, *(root / n for n in manifest.files.frameworks),
             root / manifest.files.perspectives, root / manifest.files.rules, root / manifest.files.headings,
             root / manifest.files.facts]
    return PolicyCorpus(**corpus, content_hash=_content_hash(files))


@lru_cache(maxsize=8)
def cached_corpus(root: str) -> PolicyCorpus:
    """One validated corpus per folder per process: loading happens once, not per request."""
    return load_corpus(Path(root))


def corpus_json_schema() -> dict[str, Any]:
    """JSON Schemas for each corpus file, so editors can validate YAML while officers type."""
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "policyalign policy corpus",
        "$defs": {},
        "files": {
            "manifest.yaml": Manifest.model_json_schema(),
            "frameworks/*.yaml": Framework.model_json_schema(),
            "perspectives.yaml": PerspectiveSet.model_json_schema(),
            "rules.yaml": RuleSet.model_json_schema(),
            "headings.yaml": HeadingLexicon.model_json_schema(),
            "facts.yaml": FactCues.model_json_schema(),
        },
    }


def dump_json_schema() -> str:
    return json.dumps(corpus_json_schema(), ensure_ascii=False, indent=2)
