"""policyalign: policy alignment and document analysis for Swedish regional development funding.

Use ``Analyzer.create()`` once, then ``analyzer.analyze(analyzer.read_path(path))``.
Imports are lazy so that light users (an embedder, the corpus validator) do not load spaCy.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from analysis.pipeline import Analyzer
    from analysis.result import AnalysisResult

__all__ = ["AnalysisResult", "Analyzer"]


def __getattr__(name: str) -> Any:
    if name == "Analyzer":
        from analysis.pipeline import Analyzer

        return Analyzer
    if name == "AnalysisResult":
        from analysis.result import AnalysisResult

        return AnalysisResult
    raise AttributeError(name)
