"""The text of a wkhtmltopdf PDF as the document wrote it.

A PDF font maps each glyph it draws back to a character (its ToUnicode map):
that map is what pdftotext and the search of a PDF reader read. Qt (wkhtmltopdf)
writes it from the font's own character map, taking for each glyph the lowest
code point that uses it. A CJK font draws several code points with one glyph:
子 (U+5B50) and the Kangxi radical ⼦ (U+2F26), 门 (U+95E8) and ⻔ (U+2ED4),
户 (U+6237) and ⼾ (U+2F3E)... so the PDF says 电⼦, 部⻔, 客⼾ where the
document says 电子, 部门, 客户, and a search for 客户 finds nothing.

``searchable_pdf(pdf, text)`` rewrites those maps: a glyph that stands for
several code points is mapped to the one the document's own text (the HTML
wkhtmltopdf printed) uses, else to the ideograph rather than the radical. The
font's character map is read from the installed font file (fontconfig names
it); the new maps are appended as an incremental update of the PDF, so the
bytes wkhtmltopdf wrote stay as they are. A PDF or font this module does not
understand leaves the PDF unchanged.
"""

import functools
import io
import logging
import re
import struct
import subprocess
import unicodedata

from odoo.tools.pdf import IndirectObject, PdfReader

_logger = logging.getLogger(__name__)

_RADICAL = re.compile(r"[\u2e80-\u2fdf]")  # CJK radicals supplement, Kangxi
_HEX = re.compile(rb"<([0-9A-Fa-f]+)>")
_CMAP_SECTION = re.compile(rb"(begin(bfchar|bfrange))(.*?)(end\2)", re.S)
_BFRANGE_ENTRY = re.compile(
    rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*(\[[^\]]*\]|<[0-9A-Fa-f]+>)"
)
_BFCHAR_ENTRY = re.compile(rb"(<[0-9A-Fa-f]+>\s*)(<[0-9A-Fa-f]+>)")


# ---------------------------------------------------------------- font files
@functools.lru_cache(maxsize=64)
def _font_file(postscript_name):
    """(path, index in a collection) of the installed font, or None."""
    try:
        out = subprocess.run(
            [
                "fc-match",
                "-f",
                "%{file}\n%{index}\n%{postscriptname}",
                f":postscriptname={postscript_name}",
            ],
            capture_output=True,
            text=True,
            timeout=10,
            check=True,
        ).stdout.split("\n")
    except (OSError, subprocess.SubprocessError):
        return None
    # fc-match always answers: the closest font when the name is not installed
    if len(out) < 3 or out[2] != postscript_name:
        return None
    return out[0], int(out[1] or 0)


@functools.lru_cache(maxsize=16)
def _shared_glyphs(path, index):
    """{character: the characters drawn with the same glyph} in a font file."""
    by_glyph = {}
    for code, glyph in _read_cmap(path, index).items():
        by_glyph.setdefault(glyph, []).append(chr(code))
    return {
        char: chars for chars in by_glyph.values() if len(chars) > 1 for char in chars
    }


def _read_cmap(path, index):
    """{code point: glyph id} of the basic multilingual plane (all that Qt
    maps back) from a TrueType/OpenType font or collection."""
    with open(path, "rb") as f:

        def read(offset, size):
            f.seek(offset)
            return f.read(size)

        base = 0
        if read(0, 4) == b"ttcf":
            base = struct.unpack(">I", read(12 + 4 * index, 4))[0]
        (num_tables,) = struct.unpack(">H", read(base + 4, 2))
        for i in range(num_tables):
            tag, _sum, offset, length = struct.unpack(
                ">4sIII", read(base + 12 + 16 * i, 16)
            )
            if tag == b"cmap":
                cmap = read(offset, length)
                break
        else:
            return {}
    (count,) = struct.unpack(">H", cmap[2:4])
    subtables = {}
    for i in range(count):
        platform, encoding, offset = struct.unpack(">HHI", cmap[4 + 8 * i : 12 + 8 * i])
        subtables[platform, encoding] = offset
    for key in ((3, 10), (0, 6), (0, 4), (3, 1), (0, 3)):
        offset = subtables.get(key)
        if offset is None:
            continue
        (fmt,) = struct.unpack(">H", cmap[offset : offset + 2])
        if fmt == 12:
            return _cmap_format_12(cmap, offset)
        if fmt == 4:
            return _cmap_format_4(cmap, offset)
    return {}


def _cmap_format_12(cmap, offset):
    (groups,) = struct.unpack(">I", cmap[offset + 12 : offset + 16])
    result = {}
    for g in range(groups):
        start, end, glyph = struct.unpack(
            ">III", cmap[offset + 16 + 12 * g : offset + 28 + 12 * g]
        )
        for code in range(start, min(end, 0xFFFF) + 1):
            result[code] = glyph + code - start
    return result


def _cmap_format_4(cmap, offset):
    (seg_x2,) = struct.unpack(">H", cmap[offset + 6 : offset + 8])
    segs = seg_x2 // 2

    def array(start):
        return struct.unpack(f">{segs}H", cmap[start : start + seg_x2])

    ends = array(offset + 14)
    starts = array(offset + 16 + seg_x2)
    deltas = array(offset + 16 + 2 * seg_x2)
    range_offsets_at = offset + 16 + 3 * seg_x2
    range_offsets = array(range_offsets_at)
    result = {}
    for i in range(segs):
        for code in range(starts[i], ends[i] + 1):
            if code == 0xFFFF:
                continue
            if range_offsets[i]:
                at = (
                    range_offsets_at + 2 * i + range_offsets[i] + 2 * (code - starts[i])
                )
                (glyph,) = struct.unpack(">H", cmap[at : at + 2])
                if glyph:
                    glyph = (glyph + deltas[i]) % 65536
            else:
                glyph = (code + deltas[i]) % 65536
            if glyph:
                result[code] = glyph
    return result


# ---------------------------------------------------------------- ToUnicode maps
def _best_char(char, shared, text_chars):
    """What a glyph drawn for `char` stands for in this document."""
    if char in text_chars and not _RADICAL.match(char):
        return char
    alternatives = shared.get(char, ())
    used = [c for c in alternatives if c in text_chars]
    if used:
        return min(used, key=lambda c: bool(_RADICAL.match(c)))
    if _RADICAL.match(char):
        ideographs = [c for c in alternatives if not _RADICAL.match(c)]
        if ideographs:
            return ideographs[0]
        folded = unicodedata.normalize("NFKC", char)
        if len(folded) == 1 and not _RADICAL.match(folded):
            return folded
    return char


def _rewrite_cmap(data, shared, text_chars):
    """The ToUnicode CMap with each single-character destination replaced by
    its best character; source codes (glyph ids) are left as they are."""

    def dest(match):
        raw = match.group(1)
        try:
            chars = bytes.fromhex(raw.decode()).decode("utf-16-be")
        except (ValueError, UnicodeDecodeError):
            return match.group(0)
        if len(chars) != 1:
            return match.group(0)
        best = _best_char(chars, shared, text_chars)
        if best == chars:
            return match.group(0)
        return b"<" + best.encode("utf-16-be").hex().upper().encode() + b">"

    def section(match):
        body = match.group(3)
        if match.group(2) == b"bfchar":
            body = _BFCHAR_ENTRY.sub(
                lambda m: m.group(1) + _HEX.sub(dest, m.group(2)), body
            )
        else:

            def entry(m):
                target = m.group(3)
                # <lo> <hi> <start> maps consecutive codes: rewritten only when
                # it maps one
                if target.startswith(b"[") or m.group(1) == m.group(2):
                    target = _HEX.sub(dest, target)
                return m.group(0)[: m.start(3) - m.start(0)] + target

            body = _BFRANGE_ENTRY.sub(entry, body)
        return match.group(1) + body + match.group(4)

    return _CMAP_SECTION.sub(section, data)


def _cmap_chars(data):
    chars = set()
    for raw in _HEX.findall(data):
        try:
            chars.update(bytes.fromhex(raw.decode()).decode("utf-16-be"))
        except (ValueError, UnicodeDecodeError):
            continue
    return chars


def _font_shared_glyphs(font):
    name = str(font.get("/BaseFont", "")).lstrip("/").split("+")[-1]
    located = _font_file(name) if name else None
    if not located:
        return {}
    try:
        return _shared_glyphs(*located)
    except (OSError, struct.error, IndexError):
        _logger.info("cannot read the character map of %s", located[0])
        return {}


def searchable_pdf(pdf, text):
    """`pdf` with ToUnicode maps that give back the characters of `text` (the
    HTML that was printed). Unchanged when nothing needs it or it cannot be
    done safely."""
    try:
        return _searchable_pdf(pdf, set(text))
    except Exception:  # the PDF as printed beats no PDF
        _logger.warning("ToUnicode maps of a PDF left as printed", exc_info=True)
        return pdf


def _searchable_pdf(pdf, text_chars):
    reader = PdfReader(io.BytesIO(pdf), strict=False)
    updates, seen = {}, set()
    for page in reader.pages:
        for font_ref in page.get("/Resources", {}).get("/Font", {}).values():
            font = font_ref.get_object()
            ref = font.raw_get("/ToUnicode") if "/ToUnicode" in font else None
            if not isinstance(ref, IndirectObject) or ref.idnum in seen:
                continue
            seen.add(ref.idnum)
            data = ref.get_object().get_data()
            # fonts whose every character is in the text need no font file
            if _cmap_chars(data) <= text_chars:
                continue
            new = _rewrite_cmap(data, _font_shared_glyphs(font), text_chars)
            if new != data:
                updates[ref.idnum] = (ref.generation, new)
    if not updates:
        return pdf
    prev = [int(x) for x in re.findall(rb"startxref\s+(\d+)", pdf[-1024:])]
    if not prev or pdf[prev[-1] : prev[-1] + 4] != b"xref":
        return pdf  # no classic cross-reference table to update
    return _append_update(pdf, reader.trailer, updates, prev[-1])


def _append_update(pdf, trailer, updates, prev):
    """An incremental update: new versions of the objects, a cross-reference
    section for them, a trailer pointing back to the previous one."""
    out = io.BytesIO()
    out.write(pdf if pdf.endswith(b"\n") else pdf + b"\n")
    offsets = []
    for idnum, (generation, data) in sorted(updates.items()):
        offsets.append((idnum, out.tell(), generation))
        out.write(
            b"%d %d obj\n<< /Length %d >>\nstream\n" % (idnum, generation, len(data))
        )
        out.write(data + b"\nendstream\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n")
    for idnum, offset, generation in offsets:
        out.write(b"%d 1\n%010d %05d n\r\n" % (idnum, offset, generation))
    refs = b""
    for key in ("/Root", "/Info"):
        value = trailer.raw_get(key) if key in trailer else None
        if isinstance(value, IndirectObject):
            refs += b"%s %d %d R " % (key.encode(), value.idnum, value.generation)
    out.write(
        b"trailer\n<< /Size %d %s/Prev %d >>\nstartxref\n%d\n%%%%EOF\n"
        % (int(trailer["/Size"]), refs, prev, xref)
    )
    return out.getvalue()
