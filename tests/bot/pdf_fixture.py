"""A small hand-written PDF with a real text layer, for testing the .pdf import path.

Helvetica draws ASCII; every other character (Vietnamese letters, quotes) gets a byte code of its
own and a ToUnicode map entry, which is what text extraction reads — as in any PDF whose embedded
font is subset. Glyphs for those codes are not drawn well, but the text layer is exact.
"""

from __future__ import annotations


def _cmap(mapping: dict[int, str]) -> bytes:
    entries = "\n".join(f"<{code:02X}> <{ord(ch):04X}>" for code, ch in sorted(mapping.items()))
    return (
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
        "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
        "1 begincodespacerange\n<00> <FF>\nendcodespacerange\n"
        f"{len(mapping)} beginbfchar\n{entries}\nendbfchar\n"
        "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n"
    ).encode()


def make_pdf(lines: list[str], per_page: int = 50) -> bytes:
    extra = sorted({c for line in lines for c in line if not 32 <= ord(c) <= 126})
    fonts = [extra[i : i + 120] for i in range(0, len(extra), 120)] or [[]]
    where = {c: (i, 128 + j) for i, chunk in enumerate(fonts) for j, c in enumerate(chunk)}
    objects: list[bytes] = []

    def add(body: bytes) -> int:
        objects.append(body)
        return len(objects)

    font_ids = []
    for chunk in fonts:
        mapping = {c: chr(c) for c in range(32, 127)} | {128 + j: ch for j, ch in enumerate(chunk)}
        cmap = _cmap(mapping)
        cmap_id = add(b"<< /Length %d >>\nstream\n" % len(cmap) + cmap + b"\nendstream")
        font_ids.append(
            add(
                b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /ToUnicode %d 0 R >>"
                % cmap_id
            )
        )
    fonts_dict = b" ".join(b"/F%d %d 0 R" % (i, fid) for i, fid in enumerate(font_ids))
    pages_id = len(objects) + 1 + 2 * ((len(lines) + per_page - 1) // per_page or 1)
    page_ids = []
    for start in range(0, max(len(lines), 1), per_page):
        ops = [b"BT"]
        y = 800
        for line in lines[start : start + per_page]:
            ops.append(b"1 0 0 1 30 %d Tm" % y)
            y -= 15
            runs: list[tuple[int, bytearray]] = []
            for c in line:
                font, code = where.get(c, (runs[-1][0] if runs else 0, ord(c)))
                if not runs or runs[-1][0] != font:
                    runs.append((font, bytearray()))
                runs[-1][1].append(code)
            for font, data in runs:
                ops.append(b"/F%d 9 Tf <%s> Tj" % (font, data.hex().encode()))
        ops.append(b"ET")
        content = b"\n".join(ops)
        content_id = add(b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream")
        page_ids.append(
            add(
                b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 595 842] /Contents %d 0 R "
                b"/Resources << /Font << %s >> >> >>" % (pages_id, content_id, fonts_dict)
            )
        )
    kids = b" ".join(b"%d 0 R" % p for p in page_ids)
    assert add(b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, len(page_ids))) == pages_id
    catalog_id = add(b"<< /Type /Catalog /Pages %d 0 R >>" % pages_id)
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        catalog_id,
        xref,
    )
    return bytes(out)
