"""A qualitative answer one step below the target (较满意, 较及时, 基本达标, 初步建立).

Raised by the engine while scoring; this module documents it. A lesser
satisfaction word (较满意, 比较满意, 基本满意) against a 满意 target, or against a
quantitative 满意度 target such as ≥90% answered in words, and a hedge (较, 比较, 较为,
基本, 大体, 大致, 初步, 相对) in front of the target's own word (较及时 against 及时,
制度较健全 against 制度健全) or in front of an achievement word (基本完成, 较为有效) are
partly met: the 部分达成 band of the profile's `[qualitative] bands` (scored at the band's
top, or at the evaluator's score inside the band), not full marks. 满意, 非常满意, 及时
and 达标 stay 达成; a target that itself carries the hedge (基本达标, 基本满意) is met by
the same words. The target restated without a hedge stays 达成 even when a hedge stands
elsewhere (基本达成逐步提高目标 against 逐步提高).

Wrong:

    受益群众满意度 | 年度指标值 满意 | 实际完成值 基本满意 | 分值 10 | 得分 10
    项目完成及时性 | 年度指标值 及时 | 实际完成值 较及时 | 分值 7 | 得分 7

Right:

    受益群众满意度 | 年度指标值 满意 | 实际完成值 基本满意 | 分值 10 | 得分 8
    项目完成及时性 | 年度指标值 及时 | 实际完成值 较及时 | 分值 7 | 得分 5.6
"""

from __future__ import annotations

from perfxl.findings import CODES

CODE = "PX024"
NAME = "qualitative.below_target"
SEVERITY, MESSAGE = CODES[CODE]
ENGINE = True  # raised by perfxl.scoring on the row; this module only documents it
