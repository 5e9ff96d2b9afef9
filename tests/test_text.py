import pytest

from perfxl.text import normalize


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        # full-width digits, letters and signs
        ("０１２３４５６７８９", "0123456789"),
        ("９５％", "95%"),
        ("＞＝９５％", ">=95%"),
        ("＜＝５个", "<=5个"),
        ("﹦100%", "=100%"),
        ("＝100%", "=100%"),
        ("＞90%", ">90%"),
        ("＜3次", "<3次"),
        ("=68.95（万元）", "=68.95(万元)"),
        ("＋５", "+5"),
        ("１，０００", "1,000"),
        ("１．５", "1.5"),
        ("Ｎ／Ａ", "N/A"),
        ("－", "-"),
        # signs NFKC leaves alone
        ("≧95%", "≥95%"),
        ("≦5万元", "≤5万元"),
        ("═100%", "=100%"),  # U+2550 box drawing double horizontal
        ("〉=95%", ">=95%"),  # U+3009 angle bracket
        ("〉＝95%", ">=95%"),
        ("〈=5个", "<=5个"),
        ("〉90%", ">90%"),
        ("》=95%", ">=95%"),  # title mark before =
        # title marks quoting a document stay as they are
        ("符合《管理办法》要求", "符合《管理办法》要求"),
        ("《2023年工作方案》", "《2023年工作方案》"),
        ("元/人・月", "元/人·月"),
        ("元/人･月", "元/人·月"),
        # spaces, NBSP, ideographic space and newlines inside a cell
        (" ≥ 95 % ", "≥95%"),
        ("≥\u00a095%", "≥95%"),
        ("产出\u3000指标", "产出指标"),
        ("有效\n提升", "有效提升"),
        ("\t2个\r\n", "2个"),
        ("", ""),
        ("   ", ""),
        # traditional -> simplified
        ("產出指標", "产出指标"),
        ("數量指標", "数量指标"),
        ("≥10萬元", "≥10万元"),
        ("達成預期指標", "达成预期指标"),
        ("個月", "个月"),
        ("效果顯著", "效果显著"),
        # already clean text is unchanged
        ("≥2个", "≥2个"),
        ("逐步提高", "逐步提高"),
    ],
)
def test_normalize(raw: str, expected: str) -> None:
    assert normalize(raw) == expected


def test_normalize_is_idempotent() -> None:
    once = normalize("＞＝ ９５％ 萬元")
    assert normalize(once) == once
