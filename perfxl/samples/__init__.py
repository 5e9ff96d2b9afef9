"""Fixture workbooks in the national 项目支出绩效自评表 layout.

They are built from the published seed reports' own figures so that golden tests and the
bundled demo data exercise real numbers (and real defects), not invented ones.
"""
