Attribute VB_Name = "PerfxlBridge"
' perfxl ribbon bridge: the only VBA perfxl has.
'
' Every button of the perfxl ribbon tab (macros/customUI14.xml) has
' onAction="PerfxlRibbon". This Sub hands the button's id to Python through
' xlwings' RunPython; perfxl.excel.ribbon.handle() does the work. A new button
' therefore needs no new VBA.
'
' Needs RunPython: either the xlwings module in the same VBA project (a
' standalone add-in) or a reference to the xlwings add-in (VBA editor:
' Tools > References > xlwings). Kept ASCII-only: the VBA editor imports .bas
' files in the system code page.
Option Explicit

Public Sub PerfxlRibbon(control As IRibbonControl)
    RunPython "import perfxl.excel.ribbon as r; r.handle('" & control.Id & "')"
End Sub
