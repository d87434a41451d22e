"""The seeds' facts in other clothes: plan documents laid out as committees post them, built from
the curated plans (schedules/plans/*.yaml), so the importer can be measured on layouts it was not
developed on.

A document is a list of blocks: a paragraph (str) or a table (rows of cells). It is rendered as the
text a .txt would hold ("| cell | cell |" rows), as a .docx with real Word tables, or as the lines a
text-layer PDF gives (each cell's text on its own line, the way a PDF table extracts).
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass

from schedules.model import Document, Plan

Table = list[list[str]]
Block = str | Table

# What each layout carries of its curated plan: the comparison is made on these kinds only.
HEAD = "plan number, date, period"
DOCS = "documents in their month"
DATED = "dated deadlines"
RELATIVE = "deadlines relative to a cell's event"
AUDIENCE = "deadline audience"


@dataclass(frozen=True)
class Layout:
    name: str
    plan_id: str
    kinds: tuple[str, ...]
    blocks: list[Block]


def _cite(d: Document, numbered: int | None = None) -> str:
    when = f", ngày {d.date.day:02d}/{d.date.month:02d}/{d.date.year}" if d.date else ""
    issuer = f" của {d.issuer}" if d.issuer else ""
    lead = f"{numbered}. " if numbered else ""
    title = d.title if d.title.lower().startswith(("về", "“")) else f"về {d.title}"
    return f"{lead}{d.kind} số {d.number}{when}{issuer} {title}."


_ROMAN = ["I", "II", "III", "IV"]


def tra_vinh_month_table(plan: Plan) -> Layout:
    """The list as a table whose first column is the month ("Tháng 04 năm 2022"), one document per
    row, unnumbered, the month cell left empty below its first row; "Số:" with a colon."""
    rows: Table = [["Thời gian", "Văn bản nghiên cứu, học tập"]]
    for t in plan.topics:
        y, m = t.month
        for k, d in enumerate(t.documents):
            rows.append([f"Tháng {m:02d} năm {y}" if k == 0 else "", _cite(d)])
    return Layout(
        "Trà Vinh: bảng theo tháng, Số: có dấu hai chấm",
        plan.id,
        (HEAD, DOCS),
        [
            "ĐẢNG BỘ TỈNH TRÀ VINH",
            "ĐẢNG ỦY KHỐI CÁC CƠ QUAN VÀ DOANH NGHIỆP",
            "Số: 60-KH/ĐUK",
            "Trà Vinh, ngày 18 tháng 4 năm 2022",
            "KẾ HOẠCH",
            "Tổ chức đợt sinh hoạt chính trị về xây dựng, chỉnh đốn Đảng và hệ thống chính trị",
            "Căn cứ Hướng dẫn số 40-HD/BTGTU, ngày 09/3/2022 của Ban Tuyên giáo Tỉnh ủy, Ban Thường "
            "vụ Đảng ủy Khối ban hành kế hoạch như sau:",
            "1. Đối tượng",
            "Cán bộ, đảng viên các chi bộ, đảng bộ cơ sở trực thuộc.",
            "2. Thời gian thực hiện: từ Tháng 04 năm 2022 đến Tháng 11 năm 2022.",
            "3. Danh mục văn bản",
            rows,
            "III. TỔ CHỨC THỰC HIỆN",
            "Các chi bộ, đảng bộ cơ sở tổ chức thực hiện kế hoạch này.",
        ],
    )


def tra_vinh_by_quarter(plan: Plan) -> Layout:
    """Quarter headings naming the year, "Tháng 4" under them, numbered items as bullets; the date
    as "ngày 18/4/2022"; the issuer named only in the letterhead."""
    blocks: list[Block] = [
        "ĐẢNG ỦY KHỐI CÁC CƠ QUAN VÀ DOANH NGHIỆP",
        "Số 60-KH/ĐUK",
        "Trà Vinh, ngày 18/4/2022",
        "KẾ HOẠCH",
        "tổ chức đợt sinh hoạt chính trị về xây dựng, chỉnh đốn Đảng",
        "1. Đối tượng",
        "Các chi bộ, đảng bộ cơ sở trực thuộc Đảng bộ Khối.",
        "2. Thời gian: từ tháng 4/2022 đến tháng 11/2022.",
        "3. Nội dung sinh hoạt theo từng tháng",
    ]
    quarter = 0
    for t in plan.topics:
        y, m = t.month
        if (m - 1) // 3 + 1 != quarter:
            quarter = (m - 1) // 3 + 1
            blocks.append(f"QUÝ {_ROMAN[quarter - 1]} NĂM {y}")
        blocks.append(f"Tháng {m}")
        blocks += [_cite(d, k) for k, d in enumerate(t.documents, 1)]
    blocks += ["III. TỔ CHỨC THỰC HIỆN", "Các chi bộ thực hiện nghiêm túc kế hoạch này."]
    return Layout("Trà Vinh: theo quý, “Tháng 4” dưới tiêu đề năm", plan.id, (HEAD, DOCS), blocks)


def ky_loi_progress(plan: Plan) -> Layout:
    """The Kỳ Lợi deadlines as a commune committee's own plan words them: "xong trước", "hoàn
    thành trước", a date in words, the pilot cell named in its own line; issuer "Đảng ủy xã"."""
    return Layout(
        "Kỳ Lợi: tiến độ, Đảng ủy xã ban hành",
        plan.id,
        (DATED, RELATIVE, AUDIENCE),
        [
            "ĐẢNG BỘ THỊ XÃ KỲ ANH",
            "ĐẢNG ỦY XÃ KỲ LỢI",
            "KẾ HOẠCH",
            "Tổ chức sinh hoạt chuyên đề “Tự soi, tự sửa” năm 2022",
            "Đảng ủy xã Kỳ Lợi xây dựng kế hoạch tổ chức sinh hoạt chuyên đề như sau:",
            "1. Đối tượng",
            "Toàn thể đảng viên, cán bộ, công chức xã.",
            "2. Tiến độ thực hiện",
            "- Chi ủy các chi bộ trực thuộc gửi kế hoạch tổ chức sinh hoạt chuyên đề và đăng ký "
            "thời gian hội nghị về Thường trực Đảng ủy, xong trước ngày 25 tháng 8 năm 2022.",
            "- Ban Chấp hành Đảng ủy tổ chức sinh hoạt chuyên đề, hoàn thành trước ngày 06/9/2022.",
            "- Chi bộ Tân Phúc Thành 3 là chi bộ điểm, tổ chức sinh hoạt chuyên đề để rút kinh "
            "nghiệm. Thời gian hoàn thành trước ngày 10/9/2022.",
            "- Các chi bộ còn lại tổ chức sinh hoạt chuyên đề trước ngày 20/9/2022.",
            "- Chi ủy chi bộ gửi báo cáo chuyên đề về Thường trực Đảng ủy trước 05 ngày tổ chức "
            "hội nghị chuyên đề; Đảng ủy xem xét và gửi Ban Tuyên giáo Thị ủy trước 03 ngày tổ "
            "chức hội nghị chuyên đề.",
        ],
    )


def thai_nguyen_rounds(plan: Plan) -> Layout:
    """Thái Nguyên's study deadline and three report rounds, "chậm nhất" and a list of dates
    ("trước ngày 28/02" is "chậm nhất ngày 27/02": the same last day);
    "Số:" and "V/v" in the header."""
    return Layout(
        "Thái Nguyên: Số:, V/v, các đợt báo cáo",
        plan.id,
        (HEAD, DATED, AUDIENCE),
        [
            "TỈNH ỦY THÁI NGUYÊN",
            "Số: 49-KH/TU",
            "V/v tổ chức nghiên cứu, học tập Kết luận, Quy định Hội nghị Trung ương 4 (khóa XIII)",
            "Thái Nguyên, ngày 18 tháng 02 năm 2022",
            "Ban Thường vụ Tỉnh ủy ban hành kế hoạch như sau:",
            "1. Thời gian thực hiện: từ tháng 02/2022 đến tháng 12/2022.",
            "2. Các huyện, thành, thị ủy và đảng ủy trực thuộc Tỉnh ủy tổ chức học tập, quán "
            "triệt trong 1/2 ngày, hoàn thành trước ngày 28/02/2022.",
            "3. Các đảng bộ trực thuộc Tỉnh ủy, cơ quan, đơn vị báo cáo tổng kết việc học tập, "
            "quán triệt gửi về Ban Thường vụ Tỉnh ủy (qua Ban Tuyên giáo Tỉnh ủy) chậm nhất ngày "
            "27/02/2022.",
            "4. Các đảng bộ trực thuộc Tỉnh ủy, cơ quan, đơn vị báo cáo kết quả đợt sinh hoạt "
            "chính trị gửi về Ban Thường vụ Tỉnh ủy (qua Ban Tuyên giáo Tỉnh ủy) trước ngày "
            "28/02/2022, 20/6/2022 và 20/12/2022.",
        ],
    )


LAYOUTS: dict[str, Callable[[Plan], Layout]] = {
    "tra-vinh-60-2022": tra_vinh_month_table,
    "tra-vinh-60-2022/quarters": tra_vinh_by_quarter,
    "ky-loi-2022": ky_loi_progress,
    "thai-nguyen-49-2022": thai_nguyen_rounds,
}


def all_layouts(plans: dict[str, Plan]) -> list[Layout]:
    return [make(plans[key.split("/")[0]]) for key, make in LAYOUTS.items()]


def as_text(layout: Layout) -> str:
    lines: list[str] = []
    for block in layout.blocks:
        if isinstance(block, str):
            lines.append(block)
        else:
            lines.append("")
            lines += ["| " + " | ".join(row) + " |" for row in block]
            lines.append("")
    return "\n".join(lines) + "\n"


def as_pdf_lines(layout: Layout) -> list[str]:
    lines: list[str] = []
    for block in layout.blocks:
        if isinstance(block, str):
            lines.append(block)
        else:
            lines += [cell for row in block for cell in row if cell]
    return lines


def as_docx(layout: Layout) -> bytes:
    import docx

    document = docx.Document()
    for block in layout.blocks:
        if isinstance(block, str):
            document.add_paragraph(block)
            continue
        table = document.add_table(rows=len(block), cols=max(len(r) for r in block))
        for r, row in enumerate(block):
            for c, text in enumerate(row):
                table.cell(r, c).text = text
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
