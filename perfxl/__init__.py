"""perfxl: live, checked budget-performance evaluation tables (项目支出绩效评价)."""

__version__ = "0.1.0"
