"""A cut summary keeps what tells meetings apart: both ends of the name, then the head count."""

from __future__ import annotations

from PySide6.QtGui import QFont, QFontMetrics

from desktop.summary_delegate import shown_summary

NAMES = (
    "11月党小组学习：冬季防火安全知识和政策宣讲（第一党小组）",
    "11月党小组学习：冬季防火安全知识和政策宣讲（第二党小组）",
)


def test_names_differing_at_the_end_or_the_start_stay_apart(qapp):
    metrics = QFontMetrics(QFont())
    for width in (metrics.horizontalAdvance("中") * n for n in (14, 18, 24, 30)):
        ends = {shown_summary(f"{name} · 党小组会 · 8人", metrics, width) for name in NAMES}
        starts = {
            shown_summary(f"{m}月党小组学习冬季防火安全知识 · 党小组会 · 8人", metrics, width)
            for m in (11, 12)
        }
        assert len(ends) == 2 and len(starts) == 2, (width, ends, starts)
        for shown in ends | starts:
            assert metrics.horizontalAdvance(shown) <= width
            if "党小组会" in shown:  # the type gives way before the head count does
                assert shown.endswith(" · 8人")


def test_a_line_that_fits_is_left_whole_and_the_name_keeps_its_room(qapp):
    metrics = QFontMetrics(QFont())
    line = "支部委员会会议 · 2026-11-05 · 7人"
    assert shown_summary(line, metrics, metrics.horizontalAdvance(line)) == line
    full = f"{NAMES[0]} · 党小组会 · 8人"
    for n in range(14, 40):
        shown = shown_summary(full, metrics, metrics.horizontalAdvance("中") * n)
        name = shown.partition(" · ")[0]
        # Something after the name is shown only while the name keeps twelve characters' room.
        assert name == shown or metrics.horizontalAdvance(name) >= metrics.horizontalAdvance("中" * 11), shown
