@echo off
rem 登录 Windows 时启动 perfxl 校验服务（WPS 加载项“校验本表”要用它）。
rem 用法：把本文件（或它的快捷方式）放进“启动”文件夹：按 Win+R，输入 shell:startup 回车，复制到打开的文件夹中。
rem 如 perfxl 不在 PATH 中，把下一行改成实际位置，例如 C:\perfxl\perfxl-offline\venv\Scripts\perfxl.exe
set "PERFXL=perfxl"
rem 只在本机监听 8765 端口；需要指定评分规则时在末尾加 --profile xj-60
start "perfxl 校验服务" /min "%PERFXL%" serve --port 8765
