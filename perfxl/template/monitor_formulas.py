"""Formula text of the monitoring template, from the profile's [monitoring] settings.

The plain twin repeats perfxl.monitoring.lights in ordinary spreadsheet functions (the
one re-implementation the house allows, held to the engine by LibreOffice in
tests/monitoring/test_monitor_template_libreoffice.py): 序时进度 = N/12; 执行率 =
1-N月执行数 ÷ 全年预算数 (年初预算数 when 全年 is blank or 0), rounded half up to the
profile's rate digits; v = 执行率 ÷ 序时进度 against execution_red / execution_yellow;
an indicator's progress (≥ counts and amounts pro-rated by N/12, percentages and
satisfaction not, ≤ ceilings 绿 within and 红 beyond, 定性 by its grade), at least 黄
when 全年预计完成值 falls short, the worst with 完成目标可能性; the project light the
worst of all. Lights are ranks in hidden helpers (1 红, 2 黄, 3 蓝, 4 绿: the engine's
order, worst first) so that "worst" is MIN.

Thresholds are compared on the ratio rounded to 12 decimals: the engine divides
Decimals, which are exact at a boundary (0.1 ÷ 2/12 is 0.6, 黄), while a spreadsheet's
binary floats may land a hair below it.

In udf mode 序时进度 is PERF_TIME_PROGRESS and every light PERF_MONITOR_LIGHT, so the
engine itself computes them; the ranks are read back from the words.
"""

from __future__ import annotations

from perfxl.monitoring.engine import LEVEL_WORDS
from perfxl.monitoring.lights import RowKind
from perfxl.profiles import Profile
from perfxl.profiles.settings import MonitoringSettings
from perfxl.template import monitor_layout as M
from perfxl.template.expr import num

RANK = {word: i for i, word in enumerate(M.LIGHTS, 1)}  # 红 1, 黄 2, 蓝 3, 绿 4
NONE = 9  # "no light" inside MIN
EXACT = 12  # decimals a ratio is rounded to before it meets a threshold
KIND_CODES = {  # the helper `kind`, one letter per perfxl.monitoring.lights.RowKind
    RowKind.PRORATED: "P",
    RowKind.LEVEL: "L",
    RowKind.CEILING: "C",
    RowKind.QUALITATIVE: "Q",
}
LEVEL_UNITS = ("%",)  # a percentage is a level, not an amount that accumulates
LIKELIHOOD_RANKS = {"确定能": 4, "有可能": 2, "完全不可能": 1}
GRADE_RANKS = {"达成": 4, "部分达成": 2, "未达成": 1}


def settings_of(profile: Profile) -> MonitoringSettings:
    return profile.monitoring


def abs_(cell: str) -> str:
    return f"${cell[0]}${cell[1:]}"


class MonitorFormulas:
    """Formula text for every computed cell of the monitoring template."""

    def __init__(self, profile: Profile, mode: str = "plain") -> None:
        if mode not in ("plain", "udf"):
            raise ValueError(f"formulas must be 'plain' or 'udf', not {mode!r}")
        self.p, self.mode, self.s = profile, mode, settings_of(profile)
        self.month, self.tp = abs_(M.MONTH_CELL), abs_(M.PROGRESS_CELL)

    # --- header and funds ---------------------------------------------------------------

    def time_progress(self) -> str:
        m = self.month
        valid = f"ISNUMBER({m}),{m}>=1,{m}<=12,ROUND({m},0)={m}"
        if self.mode == "udf":
            return f'IF(AND({valid}),PERF_TIME_PROGRESS({m}),"")'
        return f'IF(AND({valid}),{m}/12,"")'

    def funds_rate(self, r: int) -> str:
        """执行率 of one funds row: spent ÷ 全年预算数, else 年初预算数, rounded half up."""
        spent, budget, initial = (M.funds_ref(k, r) for k in ("spent", "budget", "initial_budget"))
        rd = self.p.rate_digits
        chain = f'IF(N({initial})>0,ROUND({spent}/{initial},{rd}),"")'
        chain = f"IF(N({budget})>0,ROUND({spent}/{budget},{rd}),{chain})"
        return f'IF(ISNUMBER({spent}),{chain},"")'

    def exec_progress(self) -> str:
        """v = 执行率 ÷ 序时进度, rounded for showing (the light takes it unrounded)."""
        rate = M.funds_ref("rate")
        v = f"ROUND({rate}/{self.tp},{self.p.rate_digits})"
        return f'IF(AND(ISNUMBER({rate}),ISNUMBER({self.tp})),{v},"")'

    def exec_light(self) -> str:
        rate = M.funds_ref("rate")
        if self.mode == "udf":
            return (
                f"IF(AND(ISNUMBER({rate}),ISNUMBER({self.tp})),"
                f'PERF_MONITOR_LIGHT({rate},{self.tp},"执行",{self.month},"","",PX_PROFILE),"")'
            )
        return _word(M.EXEC_RANK)

    def exec_rank(self) -> str:
        if self.mode == "udf":
            return _rank_of(M.funds_ref("light"))
        rate, s = M.funds_ref("rate"), self.s
        x = f"ROUND({rate}/{self.tp},{EXACT})"
        return (
            f"IF(AND(ISNUMBER({rate}),ISNUMBER({self.tp})),IF({x}<{num(s.execution_red)},1,"
            f'IF({x}<{num(s.execution_yellow)},2,4)),"")'
        )

    def funds_note(self) -> str:
        s = self.s
        return (
            f"执行率 = 1-N月执行数 ÷ 全年预算数（未填时用年初预算数）；进度 = 执行率 ÷ 序时进度，"
            f"低于 {num(s.execution_red)} 红灯，低于 {num(s.execution_yellow)} 黄灯，其余绿灯"
        )

    # --- indicator rows -----------------------------------------------------------------

    def row(self, r: int) -> dict[str, str]:
        """Formulas of row r: the helpers, 进度 (progress) and 灯 (light)."""
        c = {k: M.ref(k, r) for k in M.COL}
        out: dict[str, str] = {}
        if r == M.FIRST_ROW:
            out["l1"] = f'IF(LEN(TRIM({c["level1"]}))>0,TRIM({c["level1"]}),"")'
            out["l2"] = f'IF(LEN(TRIM({c["level2"]}))>0,TRIM({c["level2"]}),"")'
        else:
            up = {k: M.ref(k, r - 1) for k in ("l1", "l2")}
            new_l1 = f"LEN(TRIM({c['level1']}))>0"
            out["l1"] = f"IF({new_l1},TRIM({c['level1']}),{up['l1']})"
            out["l2"] = (
                f'IF(LEN(TRIM({c["level2"]}))>0,TRIM({c["level2"]}),IF({new_l1},"",{up["l2"]}))'
            )
        out["kind"] = self._kind(c)
        out["text"] = self._target_text(c)
        out["tgt"] = f'IF(ISNUMBER({c["target"]}),{c["target"]},"")'
        out["act"] = self._value(c, "actual")
        out["pred"] = self._value(c, "predicted")
        out["raw"] = self._progress(c)
        rounded = f"ROUND({c['raw']},{self.p.rate_digits})"
        out["progress"] = f'IF(ISNUMBER({c["raw"]}),{rounded},"")'
        if self.mode == "udf":
            out["light"] = self._udf_light(c)
            out["rank"] = _rank_of(c["light"])
        else:
            out["rank"] = self._rank(c)
            out["light"] = _word(c["rank"])
        return out

    def _kind(self, c: dict[str, str]) -> str:
        """The row's RowKind letter, as perfxl.monitoring.engine.row_kind reads the
        composed target: 定性 Q; ≤ C; a percentage, or a level 2 or name holding a level
        word (率, 满意 …) L; else P. "" for a row without a target, and for a number
        target without 指标性质 (a bare figure: the profile's readings of those are left
        to perfxl, and the cell is marked red)."""
        nature = f"TRIM({c['nature']})"
        words = f"{c['l2']}&TRIM({c['name']})"
        level = [f'TRIM({c["unit"]})="{u}"' for u in LEVEL_UNITS]
        level += [f'ISNUMBER(FIND("{w}",{words}))' for w in LEVEL_WORDS]
        k = KIND_CODES
        quantitative = (
            f'IF({nature}="≤","{k[RowKind.CEILING]}",'
            f'IF(OR({",".join(level)}),"{k[RowKind.LEVEL]}","{k[RowKind.PRORATED]}"))'
        )
        signed = ",".join(f'{nature}="{n}"' for n in M.NATURES if n != M.QUALITATIVE)
        qualitative = f'IF(LEN(TRIM({c["target"]}))>0,"{k[RowKind.QUALITATIVE]}","")'
        return (
            f'IF({nature}="{M.QUALITATIVE}",{qualitative},'
            f'IF(AND(ISNUMBER({c["target"]}),OR({signed})),{quantitative},""))'
        )

    def _value(self, c: dict[str, str], key: str) -> str:
        """A typed figure in the target's unit, or a 定性 row's grade rank (达成 4 …).

        A number typed as such (a percentage typed as 0.95 against 95 % is 95, as
        perfxl.units.align reads a figure without unit), or a text of digits and one
        point ending in the row's own 计量单位 (180人, 95%: the unit is the row's, so
        the figure is read as it stands); any other text is left to perfxl (red)."""
        cell, unit = c[key], f"TRIM({c['unit']})"
        grades = _lookup(f"TRIM({cell})", GRADE_RANKS)
        fraction = f'AND({unit}="%",{cell}<=1,N({c["target"]})>1)'
        number = f"IF({fraction},ROUND({cell}*100,10),{cell})"
        typed = f"TRIM({cell})"
        bare = f"LEFT({typed},LEN({typed})-LEN({unit}))"
        digits = ",".join(f'"{d}"' for d in ".0123456789")
        only_digits = f'SUMPRODUCT(LEN({bare})-LEN(SUBSTITUTE({bare},{{{digits}}},"")))=LEN({bare})'
        plain_figure = f'AND(LEFT({bare},1)<>".",RIGHT({bare},1)<>".",{only_digits})'
        text = (  # nested IFs: LEFT is only asked for a text longer than its unit
            f"IF(AND(LEN({unit})>0,LEN({typed})>LEN({unit})),"
            f"IF(RIGHT({typed},LEN({unit}))={unit},"
            f'IF({plain_figure},IFERROR(VALUE({bare}),""),""),""),"")'
        )
        return (
            f'IF({c["kind"]}="Q",{grades},IF(ISNUMBER({cell}),{number},'
            f'IF(ISTEXT({cell}),{text},"")))'
        )

    def _progress(self, c: dict[str, str]) -> str:
        kind, tgt, act = c["kind"], c["tgt"], c["act"]
        prorated = f'IF(ISNUMBER({self.tp}),{act}/({tgt}*{self.tp}),"")'
        return (
            f'IF(OR({kind}="",{kind}="Q",NOT(ISNUMBER({act}))),"",IF(N({tgt})=0,"",'
            f'IF({kind}="P",{prorated},{act}/{tgt})))'
        )

    def _rank(self, c: dict[str, str]) -> str:
        s = self.s
        kind, prog, act, tgt, pred = c["kind"], c["raw"], c["act"], c["tgt"], c["pred"]
        x = f"ROUND({prog},{EXACT})"
        band = (
            f"IF({x}<{num(s.indicator_red)},1,IF({x}<{num(s.indicator_yellow)},2,"
            f"IF({x}>={num(s.indicator_blue)},3,4)))"
        )
        own = (
            f'IF({kind}="Q",IF(ISNUMBER({act}),{act},{NONE}),'
            f'IF({kind}="C",IF(ISNUMBER({act}),IF({act}<={tgt},4,1),{NONE}),'
            f"IF(ISNUMBER({prog}),{band},{NONE})))"
        )
        # 全年预计完成值 short of the target (a 定性 one: not 达成, rank 4): at least 黄
        short = (
            f'IF(NOT(ISNUMBER({pred})),{NONE},IF({kind}="Q",IF({pred}<4,2,{NONE}),'
            f'IF(IF({kind}="C",{pred}>{tgt},{pred}<{tgt}),2,{NONE})))'
        )
        likely = _lookup(f"TRIM({c['likelihood']})", LIKELIHOOD_RANKS, str(NONE))
        worst = f"MIN({own},{short},{likely})"
        return f'IF({kind}="","",IF({worst}={NONE},"",{worst}))'

    def _target_text(self, c: dict[str, str]) -> str:
        """The target as the readers join it: 指标性质 & 年度指标值 & 计量单位 (≥200人),
        the text alone for 定性."""
        nature, target = f"TRIM({c['nature']})", c["target"]
        joined = f"{nature}&{target}&TRIM({c['unit']})"
        return (
            f'IF(LEN(TRIM({target}))=0,"",IF({nature}="{M.QUALITATIVE}",TRIM({target}),'
            f"IF(ISNUMBER({target}),{joined},TRIM({target}))))"
        )

    def _udf_light(self, c: dict[str, str]) -> str:
        """PERF_MONITOR_LIGHT given the target joined as the readers join it."""
        level2 = f'IF({c["l2"]}="","指标",{c["l2"]})'
        return (
            f'IF({c["kind"]}="","",PERF_MONITOR_LIGHT({c["actual"]},{c["text"]},{level2},'
            f"{self.month},{c['predicted']},{c['likelihood']},PX_PROFILE,TRIM({c['name']})))"
        )

    # --- project ------------------------------------------------------------------------

    def project_light(self) -> str:
        ranks = f"{M.EXEC_RANK},{M.span('rank')}"
        worst = f"MIN({ranks})"
        return f'IF(COUNT({ranks})=0,"",{_word(worst)})'


def _word(rank: str) -> str:
    """A rank (1–4) as its light's word; "" for "" or none."""
    red, yellow, blue, green = M.LIGHTS
    return (
        f'IF(NOT(ISNUMBER({rank})),"",IF({rank}=1,"{red}",IF({rank}=2,"{yellow}",'
        f'IF({rank}=3,"{blue}",IF({rank}=4,"{green}","")))))'
    )


def _rank_of(cell: str) -> str:
    """The rank of the word a light cell shows ("" for no light or an error text)."""
    return _lookup(cell, RANK, '""')


def _lookup(expr: str, ranks: dict[str, int], otherwise: str = '""') -> str:
    out = otherwise
    for word, rank in reversed(ranks.items()):
        out = f'IF({expr}="{word}",{rank},{out})'
    return out
