"""policyalign: policy alignment and document analysis for Swedish regional development funding.

Use ``Analyzer.create()`` once, then ``analyzer.analyze(analyzer.read_path(path))``.
"""

from analysis.pipeline import Analyzer
from analysis.result import AnalysisResult

__all__ = ["AnalysisResult", "Analyzer"]
