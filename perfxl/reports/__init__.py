"""Word drafts of what people hand on: the project's 自评报告 and the county report.

Both are drafts in the seed reports' outline. Every figure in them is one the engine
(perfxl.scoring, perfxl.rates) or the consolidation ledger produced, formatted here and
never recomputed; every count is the length of the list it introduces; every passage
that needs a person's judgement is a marked prompt 【请填写：…】 for the clerk.
"""

from perfxl.reports.document import PROMPT_MARK, ReportExists, write_document

__all__ = ["PROMPT_MARK", "ReportExists", "write_document"]
