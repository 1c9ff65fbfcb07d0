"""Admission ticket (准考证) PDFs with reportlab: one A4 page per candidate.

Chinese text uses reportlab's built-in CID font STSong-Light (no font file to ship; PDF readers
supply the glyphs). The font is registered once per process and the wrapped rules text is
computed once, so a ticket costs only its own text, photo and QR code."""

import io
import os
from dataclasses import dataclass, field
from functools import cache

import segno
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

FONT = "STSong-Light"
RULES = (
    "一、考生凭本准考证和有效居民身份证（两证齐全）参加考试，开考前30分钟进入考场，"
    "对号入座，并将两证放在桌面左上角以便核验。",
    "二、开考30分钟后不得入场；考试期间不得提前交卷退场。",
    "三、除黑色墨水笔、2B铅笔、橡皮外，不得携带任何物品进入座位；手机等电子设备须关机后"
    "放在指定位置，考场内使用无线电屏蔽设备，全程录像。",
    "四、考生须在试卷和答题卡指定位置填写姓名和准考证号，不得做任何标记。",
    "五、保持考场安静，不得交头接耳、左顾右盼、抄袭或协助他人抄袭；对违纪行为按《公务员录用"
    "考试违纪违规行为处理办法》处理。",
    "六、考试结束信号发出后立即停止答题，待监考人员收齐试卷、答题卡后方可离开考场。",
)
PAGE_W, PAGE_H = A4
MARGIN = 48


@cache
def _font() -> str:
    pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    return FONT


@dataclass
class Ticket:
    exam_name: str
    exam_code: str
    name: str
    masked_id: str
    ticket_number: str
    position: str
    area: str
    site: str
    address: str
    room: str
    seat: str
    sessions: list = field(default_factory=list)  # [(场次, 科目, 时间)]
    photo_path: str | None = None
    qr_text: str = ""


def _wrap(text: str, size: float, width: float) -> list[str]:
    """Break Chinese text by width (any character may end a line)."""
    lines, line, used = [], "", 0.0
    for ch in text:
        w = pdfmetrics.stringWidth(ch, FONT, size)
        if used + w > width and line:
            lines.append(line)
            line, used = "", 0.0
        line += ch
        used += w
    if line:
        lines.append(line)
    return lines


@cache
def _rules_lines(size: float, width: float) -> tuple[str, ...]:
    _font()
    return tuple(line for rule in RULES for line in _wrap(rule, size, width))


def _qr(c: canvas.Canvas, text: str, x: float, y: float, size: float) -> None:
    """The QR code as vector rectangles, one per horizontal run of dark modules, written in
    module units under a scaling transform (integers only: cheap to format, crisp in print)."""
    # A fixed mask: choosing the best of eight costs 20 ms a code; any mask scans the same.
    matrix = segno.make(text, error="m", micro=False, mask=0).matrix
    n = len(matrix)
    cell = size / (n + 8)  # quiet zone of four modules each side
    ops = []
    for row, bits in enumerate(matrix):
        top = n - 1 - row
        col = 0
        while col < n:
            if bits[col]:
                start = col
                while col < n and bits[col]:
                    col += 1
                ops.append(f"{start} {top} {col - start} 1 re")
            else:
                col += 1
    c.saveState()
    c.translate(x + 4 * cell, y + 4 * cell)
    c.scale(cell, cell)
    c._code.append("\n".join(ops) + "\nf")
    c.restoreState()


def _photo(c: canvas.Canvas, path: str | None, x: float, y: float, w: float, h: float) -> None:
    c.setLineWidth(0.6)
    c.rect(x, y, w, h)
    if path and os.path.exists(path):
        try:
            c.drawImage(path, x + 1, y + 1, w - 2, h - 2)  # a JPEG file goes in as it is
            return
        except OSError:
            pass  # an unreadable file: the box stays empty, the ticket is still valid
    c.setFont(FONT, 10)
    c.drawCentredString(x + w / 2, y + h / 2, "照片")


def draw_ticket(c: canvas.Canvas, t: Ticket) -> None:
    """One page; the caller calls showPage() between tickets."""
    font = _font()
    top = PAGE_H - MARGIN
    c.setFont(font, 15)
    c.drawCentredString(PAGE_W / 2, top - 10, t.exam_name)
    c.setFont(font, 22)
    c.drawCentredString(PAGE_W / 2, top - 42, "准  考  证")

    photo_w, photo_h = 96, 128
    photo_x, photo_y = PAGE_W - MARGIN - photo_w, top - 70 - photo_h
    _photo(c, t.photo_path, photo_x, photo_y, photo_w, photo_h)
    _qr(c, t.qr_text, photo_x - 6, photo_y - 116, photo_w + 12)

    rows = [
        ("姓    名", t.name),
        ("身份证号", t.masked_id),
        ("准考证号", t.ticket_number),
        ("报考职位", t.position),
        ("考    区", t.area),
        ("考    点", t.site),
        ("考点地址", t.address),
        ("考    场", t.room),
        ("座 位 号", t.seat),
    ]
    y = top - 86
    label_x, value_x, value_w = MARGIN, MARGIN + 70, photo_x - MARGIN - 84
    for label, value in rows:
        c.setFont(font, 11)
        c.drawString(label_x, y, label)
        lines = _wrap(value or "—", 12, value_w) if len(value or "") > 18 else [value or "—"]
        c.setFont(font, 14 if label == "准考证号" else 12)
        for i, line in enumerate(lines[:2]):
            c.drawString(value_x, y - i * 15, line)
        c.setLineWidth(0.3)
        c.line(
            value_x - 4,
            y - 5 - (len(lines[:2]) - 1) * 15,
            value_x + value_w,
            y - 5 - (len(lines[:2]) - 1) * 15,
        )
        y -= 26 + (len(lines[:2]) - 1) * 15

    y = min(y, photo_y - 130) - 6
    c.setFont(font, 13)
    c.drawString(MARGIN, y, "考试安排")
    y -= 8
    widths = [80, 200, PAGE_W - 2 * MARGIN - 280]
    header = ("场次", "科目", "时间")
    c.setLineWidth(0.6)
    for row in [header, *t.sessions]:
        c.rect(MARGIN, y - 20, sum(widths), 20)
        x = MARGIN
        c.setFont(font, 11)
        for width, text in zip(widths, row, strict=True):
            c.drawString(x + 6, y - 14, str(text))
            x += width
            c.line(x, y - 20, x, y)
        y -= 20
    y -= 22
    c.setFont(font, 13)
    c.drawString(MARGIN, y, "考场规则")
    y -= 18
    text = c.beginText(MARGIN, y)
    text.setFont(font, 10, leading=15)
    for line in _rules_lines(10, PAGE_W - 2 * MARGIN):
        text.textLine(line)
    c.drawText(text)
    c.setFont(font, 9)
    c.drawCentredString(
        PAGE_W / 2, MARGIN - 10, "二维码经数字签名，考点可离线核验；涂改、复制篡改均无效。"
    )


def render(ticket: Ticket) -> bytes:
    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=A4, pageCompression=1)
    c.setAuthor("鞍山市人事考试中心")
    c.setTitle(f"准考证 {ticket.ticket_number}")
    draw_ticket(c, ticket)
    c.showPage()
    c.save()
    return out.getvalue()
