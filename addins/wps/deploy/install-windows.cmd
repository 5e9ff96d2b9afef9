@echo off
rem perfxl WPS 表格加载项：离线安装（当前用户，不需要管理员权限）。
rem 在 addins\wps\deploy 文件夹中双击本文件；它运行同一文件夹中的 install-windows.ps1。
rem 装好后重新启动 WPS，打开表格应看到“绩效”选项卡。
chcp 65001 >nul
powershell -NoProfile -ExecutionPolicy Bypass -File "%~dp0install-windows.ps1"
pause
