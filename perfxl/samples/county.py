"""A small example county: the four seed projects, ~20 generated departments, bad files.

The county is what the county finance bureau collects in spring (seed 004 describes
one): a folder per department holding its self-evaluation workbooks, in the layouts
units really use, plus the submissions that go wrong. `build_county` writes it
deterministically (a fixed random seed, fixed zip dates), so the committed
examples/county/ equals what scripts/build_example_county.py rebuilds.

Generated figures are what a unit would print: its own arithmetic, sometimes rounded
differently or claiming full marks it did not earn; the consolidation recomputes them.
"""

from __future__ import annotations

import random
import shutil
from dataclasses import dataclass, replace
from pathlib import Path

from perfxl.county import SETTINGS_NAME
from perfxl.samples.broken import write_broken
from perfxl.samples.national import write_workbook
from perfxl.samples.seeds import SEEDS
from perfxl.samples.spec import FundsSpec, ProjectSpec, RowSpec

COUNTY = "示例县"
YEAR = 2023
RANDOM_SEED = 20240301

# (project, its quantity indicator, unit, target amount, budget in 万元)
Project = tuple[str, str, str, int, float]
DEPARTMENTS: tuple[tuple[str, tuple[Project, ...]], ...] = (
    ("教育局", (
        ("学前教育发展资金", "受益幼儿人数", "人", 1200, 360.0),
        ("义务教育薄弱环节改善", "改造校舍面积", "平方米", 5000, 820.5),
        ("教师培训经费", "培训教师人次", "人次", 800, 45.0),
        ("学生资助补助经费", "资助学生人数", "人", 2600, 156.0),
    )),
    ("卫生健康委员会", (
        ("基本公共卫生服务补助资金", "建立居民健康档案数", "份", 60000, 612.0),
        ("家庭医生签约服务经费", "签约服务人数", "人", 18000, 90.0),
        ("计划生育家庭奖励扶助", "奖励扶助人数", "人", 950, 114.0),
    )),
    ("农业农村局", (
        ("农业保险保费补贴", "参保面积", "亩", 150000, 980.0),
        ("高标准农田建设", "建设高标准农田面积", "亩", 20000, 3000.0),
        ("动物防疫补助经费", "免疫牲畜数量", "头", 300000, 128.0),
    )),
    ("林业和草原局", (
        ("森林植被恢复费", "植被恢复面积", "亩", 1500, 210.0),
        ("草原生态保护补助奖励", "禁牧面积", "亩", 400000, 1250.0),
    )),
    ("民政局", (
        ("社会福利补助资金", "救助困难群众人数", "人", 3100, 540.0),
        ("养老服务体系建设", "新建养老服务站点", "个", 12, 260.0),
    )),
    ("残疾人联合会", (("残疾人康复服务经费", "康复服务人数", "人", 420, 63.0),)),
    ("水利局", (
        ("农村饮水安全维修养护", "维修供水管网长度", "公里", 35, 180.0),
        ("小型水库维修养护", "维修养护水库数量", "座", 4, 96.0),
    )),
    ("住房和城乡建设局", (
        ("老旧小区改造", "改造小区数量", "个", 6, 1450.0),
        ("城市道路维护经费", "维护道路长度", "公里", 42, 230.0),
    )),
    ("交通运输局", (("农村公路养护资金", "养护农村公路里程", "公里", 310, 465.0),)),
    ("文化体育广播电视和旅游局", (
        ("公共文化服务体系建设", "开展文化惠民演出场次", "场次", 120, 88.0),
        ("全民健身活动经费", "举办全民健身赛事", "场", 15, 36.0),
    )),
    ("人力资源和社会保障局", (
        ("职业技能培训补贴", "培训劳动者人次", "人次", 2400, 288.0),
        ("就业创业补助资金", "新增城镇就业人数", "人", 1100, 175.0),
    )),
    ("市场监督管理局", (("食品安全抽检经费", "食品安全抽检批次", "批次", 900, 54.0),)),
    ("自然资源局", (
        ("不动产登记工作经费", "办理登记业务件数", "件", 5200, 40.0),
        ("地质灾害防治", "排查隐患点数量", "处", 85, 120.0),
    )),
    ("应急管理局", (("应急物资储备经费", "储备物资种类", "类", 18, 75.0),)),
    ("司法局", (
        ("法律援助经费", "办理法律援助案件", "件", 260, 32.0),
        ("人民调解工作经费", "调解矛盾纠纷件数", "件", 1400, 28.0),
    )),
    ("统计局", (("经济普查工作经费", "普查单位数量", "家", 3800, 66.0),)),
    ("审计局", (("审计业务经费", "完成审计项目数", "个", 24, 38.0),)),
    ("发展和改革委员会", (("价格监测工作经费", "价格监测品种", "种", 60, 12.0),)),
    ("医疗保障局", (("城乡居民医疗救助资金", "医疗救助人次", "人次", 5600, 410.0),)),
    ("退役军人事务局", (("优抚对象补助经费", "发放优抚对象人数", "人", 1650, 520.0),)),
    ("生态环境分局", (("大气污染防治资金", "淘汰燃煤锅炉数量", "台", 40, 300.0),)),
)  # fmt: skip

BENEFITS = (
    ("社会效益指标", "群众生活条件改善情况", "有效改善"),
    ("社会效益指标", "公共服务水平提升情况", "有效提升"),
    ("经济效益指标", "带动相关产业发展", "逐步提高"),
    ("生态效益指标", "生态环境质量", "持续改善"),
)
SUSTAINED = (("可持续影响指标", "长效管理机制建立情况", "长期"),)
# Where the seed projects sit in the county, for the demo that scores them on their own.
SEED_PATHS = {key: f"{s.department}/{s.project}.xlsx" for key, s in SEEDS.items()}
# A unit the county expects a table from that never sent one (listed as not submitted).
NEVER_SUBMITTED = f"{COUNTY}乡村振兴局"


@dataclass(frozen=True)
class CountyFile:
    """One file of the example county and what it is meant to show."""

    path: str  # relative to the county folder, "/"-separated
    kind: str  # "workbook", "seed", a perfxl.samples.broken kind, "duplicate", "resubmitted",
    # "settings" (perfxl-county.toml), "monitoring" (the May round under 监控/)
    projects: int = 0


def department_name(short: str) -> str:
    return f"{COUNTY}{short}"


def generate_project(rng: random.Random, department: str, project: Project) -> ProjectSpec:
    """One self-evaluation table (funds row 10 + 产出 50 + 效益 30 + 满意度 10).

    About a quarter of the projects are weak (slow spending, several targets missed) so
    that the county shows every grade; a few carry the defects units really submit.
    """
    name, qty_name, unit, amount, budget = project
    weak = rng.random() < 0.25
    rate = 1.0 if rng.random() < 0.4 else rng.uniform(0.3 if weak else 0.6, 0.99)
    spent = round(budget * rate, 2)
    short = weak or rng.random() < 0.2
    done = int(amount * rng.uniform(0.4 if weak else 0.8, 0.97)) if short else amount
    late = "项目实施进度滞后，部分任务结转至下年度完成。" if short else ""
    quality = rng.choice((78, 85, 90)) if weak else 100
    level2, benefit, benefit_target = rng.choice(BENEFITS)
    partial = weak or rng.random() < 0.1
    satisfied = rng.choice((80, 85, 88)) if weak else rng.choice((90, 92, 95, 98))
    timely_weight = None if rng.random() < 0.06 else 10  # 分值缺失: an error to report
    rows = [
        _row("产出指标", "数量指标", qty_name, f"≥{amount}{unit}", f"{done}{unit}", 20, late),
        _row("产出指标", "质量指标", "项目验收合格率", "≥95%", f"{quality}%", 10,
             "" if quality >= 95 else "部分工程验收整改后合格。"),
        _row("产出指标", "时效指标", "资金拨付及时率", rng.choice(("=100%", "≥95%")), "100%",
             timely_weight),
        _row("产出指标", "成本指标", "项目总成本", f"≤{budget:g}万元", f"{spent:g}万元", 10),
        _row("效益指标", level2, benefit, benefit_target,
             "部分达成预期目标" if partial else benefit_target, 15,
             "项目效益尚在逐步显现。" if partial else "", printed=11.5 if partial else None),
        _row("效益指标", *SUSTAINED[0], SUSTAINED[0][2], 15),
        _row("满意度指标", "服务对象满意度指标", "服务对象满意度", "≥90%", f"{satisfied}%", 10,
             "" if satisfied >= 90 else "部分群众对服务时效不满意。"),
    ]  # fmt: skip
    funds_score = round(10 * spent / budget, 2)
    printed = round(funds_score + sum(r.score or 0 for r in rows), 2)
    if rng.random() < 0.15:  # claims full marks it did not earn: the validator will say so
        printed = 100
    grade = "优" if printed >= 90 else "良" if printed >= 80 else "中" if printed >= 60 else "差"
    return ProjectSpec(
        key=f"{department}/{name}",
        title_year=YEAR,
        project=name,
        department=department,
        unit=department,
        funds=FundsSpec(budget, budget, budget, spent, 10, round(spent / budget, 4), funds_score),
        goal=f"通过实施{name}，完成{qty_name}{amount}{unit}，资金使用合规、拨付及时，服务对象满意度达到90%以上。",
        achieved=f"全年完成{qty_name}{done}{unit}，支出{spent:g}万元。",
        rows=tuple(rows),
        total=printed,
        grade=grade,
    )


def _row(
    level1: str,
    level2: str,
    name: str,
    target: str,
    actual: str,
    weight: int | None,
    reason: str = "",
    printed: float | None = None,
) -> RowSpec:
    """A row as the unit scores it: full when met, its own share when short."""
    score: float | None = weight
    if printed is not None:
        score = printed
    elif weight is not None and target.startswith("≥") and target[1:2].isdigit():
        goal = float("".join(ch for ch in target[1:] if ch.isdigit() or ch == "."))
        got = float("".join(ch for ch in actual if ch.isdigit() or ch == "."))
        score = round(weight * min(got / goal, 1), 2)
    return RowSpec(level1, level2, name, target, actual, weight, score, reason)


def county_files() -> list[tuple[CountyFile, list[ProjectSpec], dict]]:
    """What to write: each file with its projects and the write_workbook options."""
    rng = random.Random(RANDOM_SEED)
    plan: list[tuple[CountyFile, list[ProjectSpec], dict]] = []
    for key, seed in sorted(SEEDS.items()):
        plan.append((CountyFile(SEED_PATHS[key], "seed", 1), [seed], {}))
    for short, projects in DEPARTMENTS:
        department = department_name(short)
        specs = [generate_project(rng, department, p) for p in projects]
        options = {
            "traditional": rng.random() < 0.1,
            "level1_points": rng.random() < 0.3,
            "spacer_rows": rng.random() < 0.2,
            "header_variant": "synonyms" if rng.random() < 0.2 else "standard",
        }
        suffix = ".xlsm" if rng.random() < 0.1 else ".xlsx"
        if len(specs) > 1 and rng.random() < 0.3:  # one workbook, a sheet per project
            path = f"{department}/{department}{YEAR}年度项目支出绩效自评表{suffix}"
            plan.append((CountyFile(path, "workbook", len(specs)), specs, options))
        else:
            for spec in specs:
                path = f"{department}/{spec.project}{suffix}"
                plan.append((CountyFile(path, "workbook", 1), [spec], options))
    return plan


def _dept(short: str) -> str:
    return department_name(short)


BROKEN: tuple[tuple[str, str], ...] = (
    ("zero_byte", f"{_dept('统计局')}/经济普查工作经费（空白）.xlsx"),
    ("text_renamed", f"{_dept('审计局')}/报送通知.xlsx"),
    # .xls files are read (perfxl.reader.legacy); this one is an OLE header and nothing
    # else, a damaged .xls, so the county keeps a rejected .xls to show the reason
    ("old_xls", f"{_dept('司法局')}/2022年法律援助经费自评表.xls"),
    ("encrypted", f"{_dept('应急管理局')}/应急物资储备经费（已加密）.xlsx"),
    ("corrupt_zip", f"{_dept('水利局')}/小型水库维修养护（上传中断）.xlsx"),
    ("no_table", f"{_dept('发展和改革委员会')}/报送说明.xlsx"),
    ("zip_bomb", f"{_dept('生态环境分局')}/空气监测数据.xlsx"),
)
# The same file sent twice under another name, and a project sent again with changes.
DUPLICATE = (_dept("教育局"), "学前教育发展资金", "（重复提交）")
RESUBMITTED = (_dept("民政局"), "社会福利补助资金", "（修改稿）")
LOCK_FILE = f"{_dept('教育局')}/~$学前教育发展资金.xlsx"


def _find(plan: list, department: str, project: str) -> tuple[CountyFile, ProjectSpec, dict]:
    for entry, specs, options in plan:
        for spec in specs:
            if spec.department == department and spec.project == project:
                return entry, spec, options
    raise LookupError(f"{department}/{project} is not in the county")


def build_county(outdir: Path) -> list[CountyFile]:
    """Write the county under `outdir` (emptied first) and list what was written."""
    if outdir.exists():
        shutil.rmtree(outdir)
    plan = county_files()
    written: list[CountyFile] = []
    for entry, specs, options in plan:
        write_workbook(specs, outdir / entry.path, **options)
        written.append(entry)
    department, project, note = DUPLICATE
    entry, spec, options = _find(plan, department, project)
    copy = f"{department}/{project}{note}.xlsx"
    if entry.projects == 1:
        shutil.copyfile(outdir / entry.path, outdir / copy)
    else:  # same content as a file of its own would have: write it alone, twice
        write_workbook([spec], outdir / copy, **options)
    written.append(CountyFile(copy, "duplicate", 1))
    department, project, note = RESUBMITTED
    entry, spec, options = _find(plan, department, project)
    changed = replace(spec, achieved=spec.achieved + "（修改稿：补充说明资金结余原因）")
    path = f"{department}/{project}{note}.xlsx"
    write_workbook([changed], outdir / path, **options)
    written.append(CountyFile(path, "resubmitted", 1))
    corrupt_source = outdir / plan[-1][0].path
    for kind, path in BROKEN:
        write_broken(kind, outdir / path, source=corrupt_source)
        written.append(CountyFile(path, kind))
    (outdir / LOCK_FILE).write_bytes(b"\x08zhangsan" + bytes(150))  # Excel's owner file
    (outdir / SETTINGS_NAME).write_text(county_settings_text(), encoding="utf-8")
    written.append(CountyFile(SETTINGS_NAME, "settings"))
    from perfxl.samples.monitoring import build_round  # the May round (双监控), 监控/

    written.extend(CountyFile(path, "monitoring", n) for path, n in build_round(outdir))
    return sorted(written, key=lambda f: f.path)


def county_settings_text() -> str:
    """The county's perfxl-county.toml: every department expected (one of them never
    submits), and the folders of seeds 002 and 003 scored under the Xinjiang profiles
    their reports apply, the rest under the national default."""
    from perfxl.county_starter import starter_text
    from perfxl.samples.demo import SEED_PROFILES

    default = SEED_PROFILES["000"]
    units = sorted(
        {s.department for s in SEEDS.values()} | {department_name(d) for d, _ in DEPARTMENTS}
    )
    folders = tuple(
        (SEEDS[key].department, profile)
        for key, profile in sorted(SEED_PROFILES.items())
        if profile != default
    )
    return starter_text(COUNTY, YEAR, (*units, NEVER_SUBMITTED), default, folders)
