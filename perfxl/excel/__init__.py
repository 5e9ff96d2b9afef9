"""The Excel-facing layer: in-cell functions (xlwings UDFs) and, later, the ribbon.

Everything here is a thin shell over perfxl.scoring; it converts what Excel sends into
engine inputs and engine results into what a cell can show.
"""
