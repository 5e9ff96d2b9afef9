"""Cell formulas generated from a scoring profile.

The plain twin repeats, in ordinary spreadsheet functions, what perfxl.scoring does,
with every choice read from the profile: the reverse/cost/equal methods, the scoring
method and its threshold, the cap, the qualitative bands, the funds denominators and
their order, the grade lines, the rounding digits and the completion method. Nothing
here names a region; a new profile file gives new formulas without new code.

Only the functions listed in perfxl.template.expr are used. Shared intermediate values
live in hidden helper columns (see perfxl.template.layout.HELPERS) instead of being
repeated. A blank row computes to "" so that it enters no sum and no average. How a
typed actual is read is perfxl.template.actuals.

In "udf" mode the row rate and score, the execution and arrival scores, the execution
rate, the grade and the deviation call the PERF_* functions of perfxl.excel.udfs instead;
the bookkeeping around them (which rows count, which rate a funds row takes, totals, the
completion rate) stays plain.
"""

from __future__ import annotations

from decimal import Decimal

from perfxl.profiles import (
    CompletionMethod,
    EnteredScores,
    FundsRule,
    PointsRounding,
    Profile,
    ScoreMethod,
)
from perfxl.template import actuals, targets
from perfxl.template.expr import any_of, blank, filled, num, text
from perfxl.template.layout import (
    ARRIVAL_ROW,
    COMPLETION_ROW,
    DEVIATION_ROW,
    EXEC_ROW,
    FIRST_ROW,
    FUNDS_SOURCE_ROWS,
    GRADE_ROW,
    HELPERS,
    LAST_ROW,
    TOTAL_ROW,
    funds_ref,
    ref,
    span,
    summary_helper,
    summary_ref,
)

GE, LE, EQ = targets.GE, targets.LE, targets.EQ  # the signs of the helper dir


class Formulas:
    """Formula text for every computed cell of a template, for one profile and mode."""

    def __init__(self, profile: Profile, mode: str = "plain") -> None:
        if mode not in ("plain", "udf"):
            raise ValueError(f"formulas must be 'plain' or 'udf', not {mode!r}")
        self.p = profile
        self.mode = mode
        self.rd = profile.rate_digits
        self.sd = profile.score_digits
        self.cap = num(profile.rows.cap)

    # --- building blocks ------------------------------------------------------------

    def score_expr(
        self, rate: str, weight: str, method: ScoreMethod, threshold: Decimal, full_at: Decimal
    ) -> str:
        """perfxl.rates.score_from_rate as a formula (unrounded)."""
        r = f"MAX({rate},0)"
        match method:
            case ScoreMethod.THRESHOLD:
                th = num(threshold)
                span_ = num(1 - threshold)
                return f"IF({r}>=1,{weight},IF({r}<{th},0,({r}-{th})/{span_}*{weight}))"
            case ScoreMethod.FULL_ABOVE:
                return f"IF({r}>={num(full_at)},{weight},MIN({r},1)*{weight})"
            case ScoreMethod.PROPORTIONAL:
                return f"MIN({r},1)*{weight}"
        raise ValueError(f"unknown scoring method {method!r}")

    def rule_score(self, rule: FundsRule, rate: str, weight: str) -> str:
        return self.score_expr(rate, weight, rule.method, rule.threshold, rule.full_at)

    def clamp(self, expr: str) -> str:
        return f"MIN(MAX({expr},0),{self.cap})"

    def funds_rate(self, rule: FundsRule, numerator: str) -> str:
        """numerator ÷ the first denominator the profile lists that is filled and > 0."""
        top = funds_ref(numerator)
        chain = '""'
        for field in reversed(rule.denominator):
            if field == numerator:
                continue
            bottom = funds_ref(field)
            if self.mode == "udf" and numerator == "spent":
                chain = f"IF(N({bottom})>0,{bottom},{chain})"
            else:
                chain = f"IF(N({bottom})>0,ROUND({top}/{bottom},{self.rd}),{chain})"
        if self.mode == "udf" and numerator == "spent":
            return f'IF(ISNUMBER({top}),PERF_EXEC_RATE({top},{chain},PX_PROFILE),"")'
        return f'IF(ISNUMBER({top}),{chain},"")'

    # --- one indicator row ------------------------------------------------------------

    def row(self, r: int) -> dict[str, str]:
        """Formulas of row r: helpers, 完成率 (rate) and 得分 (score)."""
        first = r == FIRST_ROW
        a, b, c, d, e, f, g, h, i = (
            ref(k, r)
            for k in (
                "level1", "level2", "name", "nature", "target", "unit", "actual", "weight",
                "entered",
            )
        )  # fmt: skip
        h_ = {k: ref(k, r) for k in HELPERS}
        prev = {k: ref(k, r - 1) for k in ("l1", "l2", "first_exec", "head")}
        out: dict[str, str] = {}
        above = '""' if first else prev["l1"]
        out["l1"] = f"IF({filled(a)},TRIM({a}),{above})"
        inherit = '""' if first else f'IF({filled(a)},"",{prev["l2"]})'
        out["l2"] = f'IF({filled(b)},SUBSTITUTE({b}," ",""),{inherit})'
        # perfxl.reader.rows: a row with 分值 or 评分 is an indicator; without them it is
        # one only if it has a target or an actual and is no detail: a `其中…` row, or a
        # row under a heading indicator (分值 but no target or actual) in the same level
        prev_head = "0" if first else f"IF(OR({filled(a)},{filled(b)}),0,{prev['head']})"
        detail = f'OR({prev_head}=1,LEFT(TRIM({c}),2)="其中")'
        figures = f"OR({filled(e)},{filled(g)})"
        out["exists"] = f"IF(OR(ISNUMBER({h}),ISNUMBER({i}),AND({figures},NOT({detail}))),1,0)"
        heading = f"IF(AND(ISNUMBER({h}),{blank(e)},{blank(g)}),1,0)"
        out["head"] = f"IF({h_['exists']}=1,{heading},{prev_head})"
        # as perfxl.reader.rows joins them: 定性 keeps the value alone, 定量 is no sign,
        # a unit already typed at the value's end is not repeated
        nature, value, unit = f"TRIM({d})", f"TRIM({e})", f"TRIM({f})"
        sign = f'IF({any_of(nature, list(targets.QUANTITATIVE_WORDS))},"",{nature})'
        tail = f'IF(RIGHT({value},LEN({unit}))={unit},"",{unit})'
        out["text"] = (
            f'IF({blank(e)},"",IF({any_of(nature, list(targets.QUALITATIVE_WORDS))},{value},'
            f"{sign}&{value}&{tail}))"
        )
        out["nac"] = actuals.says_not_applicable(c)
        out["nat"] = actuals.says_not_applicable(h_["text"])
        out["nag"] = actuals.says_not_applicable(g)
        out["na"] = self._na(c, g, h_)
        out["kind"] = self._kind(c, h_)
        out["rub"] = self._rubric(g, i, h_)
        out["op"] = targets.operator(d)
        out["dir"] = targets.direction(self.p, c, d, e, f, h_)
        out.update(actuals.helpers(d, f, g, h_))
        out["grade"] = actuals.grade(g, h_)
        out["mode"] = self._mode(d, e, g, h, i, h_)
        out["act"] = actuals.aligned(d, e, f, h_)
        out["grate"] = self._grate(d, e, g, h, i, h_)
        out["gratio"] = self._gratio(d, e, h_)
        fr = f'IF({h_["kind"]}="E",{funds_ref("rate")},{summary_ref(ARRIVAL_ROW)})'
        own = f'IF({h_["gratio"]}<>"",{h_["gratio"]},{h_["grate"]})'
        # a funds rate that is not a number ("" or a PERF_EXEC_RATE error) is no rate
        out["src"] = f'IF({h_["kind"]}="","",IF(ISNUMBER({fr}),{fr},{own}))'
        rate_cell = ref("rate", r)
        src = h_["src"]  # the engine's ratio of an execution row: uncapped
        found = f'IF(AND({h_["kind"]}="E",{h_["mode"]}<>"",{src}<>""),{src},"")'
        out["first_exec"] = (
            found if first else f'IF({prev["first_exec"]}<>"",{prev["first_exec"]},{found})'
        )
        applicable = f"AND({h_['exists']}=1,{h_['na']}=0)"
        out["wrate"] = f"IF({applicable},N({rate_cell})*N({h}),0)"
        out["wapp"] = f"IF({applicable},N({h}),0)"
        target = targets.udf_text(d, e, f, h_) if self.mode == "udf" else h_["text"]
        out["rate"], out["score"] = self._rate_score(target, g, h, i, h_)
        return out

    def _na(self, c: str, g: str, h_: dict[str, str]) -> str:
        """1 when the row does not apply: 无此类指标 as its name or target, or as its actual
        when it has no target (perfxl.scoring: against a target it is a missing figure)."""
        name, target, actual = (f"{h_[k]}=1" for k in ("nac", "nat", "nag"))
        # the target alone leaves the row out only when the actual is blank; the actual
        # only when it says so too, or the target is blank (a dash target with a
        # described actual is a rubric row the evaluator scores)
        both = f"AND({actual},OR({target},{blank(h_['text'])}))"
        tests = [name, f"IF({blank(g)},{target},{both})"]
        return f"IF({h_['exists']}=0,0,IF(OR({','.join(tests)}),1,0))"

    def _rubric(self, g: str, i: str, h_: dict[str, str]) -> str:
        """1 for a rubric row scored by the evaluator's 评分 (perfxl.scoring): a dash
        target (—, 无) with a described actual, or no target, a worded actual and a 评分."""
        target = h_["text"]
        dash = f"AND({filled(target)},{h_['nat']}=1)"
        worded = f"AND(NOT(ISNUMBER({g})),{filled(g)},{actuals.worded(h_['typed'])})"
        return f"IF(OR({dash},AND({blank(target)},ISNUMBER({i}),{worded})),1,0)"

    def _kind(self, c: str, h_: dict[str, str]) -> str:
        """E / A when the row's name is one of the profile's funds-row names."""
        name = f"IF({filled(c)},{c},{h_['l2']})"
        for old in (" ", "\u3000", "%", "％", "（）", "()"):  # the engine drops spaces, % and (…)
            name = f'SUBSTITUTE({name},{text(old)},"")'
        e = any_of(name, list(self.p.execution.row_names))
        a = any_of(name, list(self.p.arrival.row_names))
        return f'IF({h_["exists"]}=0,"",IF({e},"E",IF({a},"A","")))'

    def _mode(self, d: str, e: str, g: str, h: str, i: str, h_: dict[str, str]) -> str:
        # 定量 is no sign to the reader: a text target under it is read as written
        words = ["", *targets.QUALITATIVE_WORDS, *targets.QUANTITATIVE_WORDS]
        qual_nature = any_of(f"TRIM({d})", words)
        grade = f'{h_["grade"]}<>""'
        manual = f'IF(AND({h_["kind"]}="",ISNUMBER({i})),"M","X")'
        quant = f'IF(AND({h_["dir"]}<>"",ISNUMBER({h_["num"]})),"C","X")'
        qual = f'IF({qual_nature},IF({blank(g)},"X",IF({grade},"Q",IF(ISNUMBER({i}),"V","X"))),"X")'
        return (
            f'IF(OR({h_["exists"]}=0,{h_["na"]}=1,NOT(ISNUMBER({h}))),"",'
            f"IF(OR(AND({blank(e)},{blank(g)}),{h_['rub']}=1),{manual},"
            f'IF({blank(e)},"X",IF(ISNUMBER({e}),{quant},{qual}))))'
        )

    def _grate(self, d: str, e: str, g: str, h: str, i: str, h_: dict[str, str]) -> str:
        """The row's own rate by its mode, rounded where the profile rounds rates."""
        by_entry = f'IF(N({h})>0,ROUND({i}/{h},{self.rd}),"")'
        band = self._band(h_["grade"], h, i)
        ratio = self._ratio(h_["dir"], e, h_["act"], h_["l2"])
        mode = h_["mode"]
        return (
            f'IF(OR({mode}="M",{mode}="V"),{by_entry},'
            f'IF({mode}="Q",ROUND({band},{self.rd}),'
            f'IF({mode}="C",ROUND({ratio},{self.rd}),"")))'
        )

    def _band(self, g: str, h: str, i: str) -> str:
        """The band's upper bound, or the typed 评分 ÷ 分值 when inside the band
        (g: the grade helper)."""
        *rest, last = self.p.bands

        def inside(band) -> str:
            lo, up = num(band.lower), num(band.upper)
            return f"IF(AND(ISNUMBER({i}),{h}>0,{i}>={lo}*{h},{i}<={up}*{h}),{i}/{h},{up})"

        expr = inside(last)
        for band in reversed(rest):
            expr = f"IF({g}={text(band.level.value)},{inside(band)},{expr})"
        return expr

    def _ratio(self, sign: str, e: str, a: str, level2: str, clamped: bool = True) -> str:
        """perfxl.rates.quantity_rate for a number target compared by `sign` (the helper
        dir), unrounded: the rate (clamped to 0…cap) or, with clamped=False, the uncapped
        ratio ("" where it has none)."""
        rules = self.p.rows
        clamp = self.clamp if clamped else (lambda expr: expr)
        positive = clamp(f"IF({e}=0,1,{a}/{e})")
        reverse = {
            "actual_over_target": f"IF({e}=0,IF({a}=0,1,0),{a}/{e})",
            "linear_penalty": f"IF({a}<={e},1,IF({e}=0,0,1-({a}-{e})/{e}))",
            "target_over_actual": f"IF({a}<=0,1,{e}/{a})",
        }
        rev = clamp(reverse[rules.reverse])
        if rules.cost != rules.reverse:
            cost = clamp(reverse[rules.cost])
            rev = f"IF({any_of(level2, list(rules.cost_level2))},{cost},{rev})"
        if clamped:
            equal = {  # =0 under proportional: met only by 0 (as the engine reads it)
                "proportional": f"IF({e}=0,IF({a}=0,1,0),{positive})",
                "full_if_equal": f"IF({a}={e},1,0)",
                "deviation": f"IF({e}=0,IF({a}=0,1,0),{clamp(f'1-ABS({a}-{e})/ABS({e})')})",
            }[rules.equal]
        else:  # the engine keeps actual ÷ target as the ratio of a deviation-scored row
            equal = {
                "proportional": f'IF({e}=0,"",{positive})',
                "full_if_equal": '""',
                "deviation": f'IF({e}=0,"",{a}/{e})',
            }[rules.equal]
        return f"IF({sign}={text(GE)},{positive},IF({sign}={text(LE)},{rev},{equal}))"

    def _gratio(self, d: str, e: str, h_: dict[str, str]) -> str:
        """The row's uncapped ratio, rounded: what a funds row falls back on."""
        ratio = self._ratio(h_["dir"], e, h_["act"], h_["l2"], clamped=False)
        mode = h_["mode"]
        if '""' not in ratio:
            return f'IF({mode}="C",ROUND({ratio},{self.rd}),"")'
        return f'IF({mode}="C",IF({ratio}="","",ROUND({ratio},{self.rd})),"")'

    def _rate_score(
        self, target: str, g: str, h: str, i: str, h_: dict[str, str]
    ) -> tuple[str, str]:
        mode, kind, src, grate = h_["mode"], h_["kind"], h_["src"], h_["grate"]
        funds_rate = f'IF({src}="","",{self.clamp(src)})'
        rows = self.p.rows
        if self.mode == "udf":
            # a funds row takes the funds block's rate, else its own ratio (src, as in
            # perfxl.scoring), scored by the profile's [execution] / [arrival] rule
            level2 = h_["l2"]
            unscored = f'OR({mode}="",{src}="")'
            by_rule = (
                f'IF({kind}="E",PERF_EXEC_SCORE({src},{h},PX_PROFILE),'
                f"PERF_ARRIVAL_SCORE({src},{h},PX_PROFILE))"
            )
            rate = (
                f'IF({h_["exists"]}=0,"",IF({kind}<>"",IF({unscored},"",{self.clamp(src)}),'
                f"PERF_RATE({target},{g},PX_PROFILE,{level2},{i},{h})))"
            )
            score = (
                f'IF({h_["exists"]}=0,"",IF({kind}<>"",IF({unscored},"",{by_rule}),'
                f"PERF_SCORE({target},{g},{h},PX_PROFILE,{level2},{i})))"
            )
            return rate, score
        rate = f'IF({mode}="","",IF({kind}<>"",{funds_rate},{grate}))'
        execution = self.points(self.p.execution, src, h)
        arrival = self.points(self.p.arrival, src, h)
        by_rule = execution if execution == arrival else f'IF({kind}="E",{execution},{arrival})'
        row_score = self.score_expr(grate, h, rows.score, rows.threshold, Decimal(1))
        qualitative = self.kept(f"ROUND({grate}*{h},{self.sd})", h, i)
        computed = self.kept(f"ROUND({row_score},{self.sd})", h, i)
        score = (
            f'IF({mode}="","",IF({kind}<>"",IF({src}="","",{by_rule}),'
            f'IF(OR({mode}="M",{mode}="V"),{i},'
            f'IF({mode}="Q",{qualitative},'
            f'IF({mode}="C",{computed},"")))))'
        )
        return rate, score

    def points(self, rule: FundsRule, rate: str, weight: str) -> str:
        """perfxl.rates.funds_points: rounded to the score digits, or cut down to whole
        points under points_rounding = "truncate" (10 × 99.10% = 9.91 → 9). The product
        is first rounded to 10 decimals, so that 0.29 × 100 = 28.999999999999996 in
        binary is 29, as in the engine's decimals, before it is cut."""
        expr = self.rule_score(rule, rate, weight)
        match rule.points_rounding:
            case PointsRounding.TRUNCATE:
                return f"ROUNDDOWN(ROUND({expr},10),0)"
            case PointsRounding.ROUND:
                return f"ROUND({expr},{self.sd})"
        raise ValueError(f"unknown points rounding {rule.points_rounding!r}")

    def kept(self, computed: str, h: str, i: str) -> str:
        """The score of a computed or qualitative row; under [rows] entered_scores =
        "keep" the evaluator's 评分 instead, when it lies within 0…分值 (perfxl.scoring)."""
        match self.p.rows.entered_scores:
            case EnteredScores.RECOMPUTE:
                return computed
            case EnteredScores.KEEP:
                return f"IF(AND(ISNUMBER({i}),{i}>=0,{i}<=N({h})),{i},{computed})"
        raise ValueError(f"unknown entered_scores {self.p.rows.entered_scores!r}")

    # --- funds block and summary ------------------------------------------------------

    def funds(self) -> dict[str, str]:
        """执行率 and 得分 of the funds block (得分 only counts on the self form)."""
        rate, weight = funds_ref("rate"), funds_ref("weight")
        exists = summary_helper("funds_row")
        if self.mode == "udf":
            points = f"PERF_EXEC_SCORE({rate},{weight},PX_PROFILE)"
        else:
            points = self.points(self.p.execution, rate, weight)
        return {
            "rate": self.funds_rate(self.p.execution, "spent"),
            "score": f'IF({exists}=0,"",IF(ISNUMBER({rate}),{points},""))',
        }

    def summary(self) -> dict[str, str]:
        """Cell (A1, absolute) → formula for the summary rows and their helpers."""
        h = summary_helper
        rate, weight, score = funds_ref("rate"), funds_ref("weight"), funds_ref("score")
        kinds, exists, nas = span("kind"), span("exists"), span("na")
        weights, scores = span("weight"), span("score")
        funds_scored = f"AND({h('funds_row')}=1,ISNUMBER({score}))"
        possible = f"SUM({weights})+IF({h('funds_row')}=1,{weight},0)"
        raw = f"SUM({scores})+IF({funds_scored},{score},0)"
        if not self.p.total.includes_execution:
            # [total] includes_execution = false: 总分 covers the indicators only; a scored
            # 预算执行率 (row or funds block) is shown apart, as perfxl.scoring leaves
            # its Method.EXECUTION rows out (an unscored one still counts its points)
            scored = f'{kinds},"E",{scores},">=0"'
            possible += f"-SUMIFS({weights},{scored})-IF({funds_scored},{weight},0)"
            raw = f"SUM({scores})-SUMIFS({scores},{scored})"
        out = {
            h("funds_row"): f'IF(AND(ISNUMBER({weight}),COUNTIF({kinds},"E")=0),1,0)',
            h("applicable"): f"SUM({exists})-SUM({nas})+{h('funds_row')}",
            h("possible"): possible,
            h("skipped"): f"SUMIF({nas},1,{weights})",
            h("raw"): raw,
            h("funds_rate"): (
                f"IF({h('funds_row')}=1,IF(ISNUMBER({rate}),{self.clamp(rate)},0),0)"
            ),
            # nothing entered yet: 总分, 等级 and 总体完成率 stay empty, not 0 差 and 0.00%
            h("input"): (
                f"IF(SUMPRODUCT(--(LEN(TRIM({span('actual')}))>0))+COUNT({span('entered')})"
                f"+COUNT({funds_ref('initial_budget')}:{funds_ref('spent')[:-1]}"
                f"{FUNDS_SOURCE_ROWS[-1]})>0,1,0)"
            ),
        }
        raw, possible, skipped = h("raw"), h("possible"), h("skipped")
        total = raw
        if self.p.rescale_not_applicable:
            total = (
                f"IF(AND({skipped}>0,{possible}>{skipped}),"
                f"{raw}*{possible}/({possible}-{skipped}),{raw})"
            )
        rows = f"SUM({exists})+{h('funds_row')}"
        total_cell = summary_ref(TOTAL_ROW)
        out[f"$H${TOTAL_ROW}"] = f'IF({rows}=0,"",{possible})'
        out[total_cell] = f'IF(OR({rows}=0,{h("input")}=0),"",ROUND({total},{self.sd}))'
        out[summary_ref(GRADE_ROW)] = f'IF({total_cell}="","",{self.grade(total_cell)})'
        first = ref("first_exec", LAST_ROW)
        out[summary_ref(EXEC_ROW)] = f'IF(ISNUMBER({rate}),{rate},IF({first}<>"",{first},""))'
        out[summary_ref(ARRIVAL_ROW)] = self.funds_rate(self.p.arrival, "received")
        out[summary_ref(COMPLETION_ROW)] = self.completion()
        completion, execution = summary_ref(COMPLETION_ROW), summary_ref(EXEC_ROW)
        if self.mode == "udf":
            deviation = f"PERF_DEVIATION({completion},{execution})"
        else:
            deviation = f"ROUND(({completion}-{execution})*100,2)"
        out[summary_ref(DEVIATION_ROW)] = f'IF(OR({completion}="",{execution}=""),"",{deviation})'
        limit = num(self.p.deviation_threshold)
        out[f"$L${DEVIATION_ROW}"] = (
            f'IF({summary_ref(DEVIATION_ROW)}="","",IF(ABS({summary_ref(DEVIATION_ROW)})>{limit},'
            f'"偏差超过{limit}个百分点，请说明原因",""))'
        )
        return out

    def grade(self, total: str) -> str:
        if self.mode == "udf":
            return f"PERF_GRADE({total},PX_PROFILE)"
        *rest, (last, _) = self.p.grades
        expr = text(last)
        for grade, minimum in reversed(rest):
            expr = f"IF({total}>={num(minimum)},{text(grade)},{expr})"
        return expr

    def completion(self) -> str:
        h = summary_helper
        match self.p.completion:
            case CompletionMethod.WEIGHTED:
                funds_weight = f"IF({h('funds_row')}=1,N({funds_ref('weight')}),0)"
                weights = f"(SUM({span('wapp')})+{funds_weight})"
                rated = f"(SUM({span('wrate')})+{h('funds_rate')}*{funds_weight})"
                return f'IF(OR({h("input")}=0,{weights}<=0),"",ROUND({rated}/{weights},{self.rd}))'
            case CompletionMethod.MEAN:
                count = f"IF({h('input')}=0,0,{h('applicable')})"
                rates = f"(SUM({span('rate')})+{h('funds_rate')})"
                return f'IF({count}<=0,"",ROUND({rates}/{count},{self.rd}))'
        raise ValueError(f"unknown completion method {self.p.completion!r}")
