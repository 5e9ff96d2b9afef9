# perfxl WPS 表格加载项：离线安装（当前用户，不需要管理员权限）。
# 把加载项复制到 %APPDATA%\kingsoft\wps\jsaddons\perfxl_1.0.0，并在同一文件夹的
# publish.xml 中登记（已有的其他加载项保留，旧的 perfxl 登记换成新的）。
$ErrorActionPreference = 'Stop'
$name = 'perfxl'
$version = '1.0.0'
$src = Split-Path -Parent $PSScriptRoot
$jsaddons = Join-Path $env:APPDATA 'kingsoft\wps\jsaddons'
$dest = Join-Path $jsaddons ($name + '_' + $version)
try {
    New-Item -ItemType Directory -Force -Path $jsaddons | Out-Null
    if (Test-Path $dest) { Remove-Item -Recurse -Force $dest }
    New-Item -ItemType Directory -Force -Path $dest | Out-Null
    foreach ($f in 'index.html', 'main.js', 'ribbon.xml', 'package.json') { Copy-Item (Join-Path $src $f) $dest }
    foreach ($d in 'js', 'ui', 'images') { Copy-Item -Recurse (Join-Path $src $d) $dest }

    $publish = Join-Path $jsaddons 'publish.xml'
    $line = '  <jsplugin name="' + $name + '" type="et" url="' + $name + '_' + $version + '" version="' + $version + '" enable="enable_dev" install="null" customDomain=""/>'
    if (Test-Path $publish) { $xml = [IO.File]::ReadAllText($publish) } else { $xml = '' }
    if ($xml -notmatch '</jsplugins>') { $xml = '<?xml version="1.0" encoding="UTF-8"?>' + "`r`n<jsplugins>`r`n</jsplugins>`r`n" }
    $xml = [regex]::Replace($xml, '[ \t]*<jsplugin\b[^>]*\bname="' + $name + '"[^>]*/>\r?\n?', '')
    $xml = $xml.Replace('</jsplugins>', $line + "`r`n</jsplugins>")
    [IO.File]::WriteAllText($publish, $xml, (New-Object Text.UTF8Encoding($false)))
    Write-Host ('已安装到 ' + $dest)
    Write-Host '请重新启动 WPS，打开表格后应看到“绩效”选项卡。'
} catch {
    Write-Host ('安装未完成：' + $_.Exception.Message)
    Write-Host '可按 docs\wps.md 中“手工部署”一节操作。'
    exit 1
}
