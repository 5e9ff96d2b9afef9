Attribute VB_Name = "PerfxlBridge"
' perfxl ribbon bridge: the only VBA perfxl has.
'
' Every button of the perfxl ribbon tab (macros/customUI14.xml) has
' onAction="PerfxlRibbon". This Sub hands the button's id to Python through
' xlwings' RunPython; perfxl.excel.ribbon.handle() does the work. A new button
' therefore needs no new VBA.
'
' RunPython comes from the xlwings module in the same VBA project: perfxl.xlam
' is an xlwings custom add-in (perfxl addin install imports this file into it,
' see docs/excel.md). Kept ASCII-only: the VBA editor imports .bas files in
' the system code page.
Option Explicit

Public Sub PerfxlRibbon(control As IRibbonControl)
    RunPython "import perfxl.excel.ribbon as r; r.handle('" & control.Id & "')"
End Sub
