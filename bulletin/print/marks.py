"""Crop marks outside the bleed, on a sheet enlarged to carry them (print.crop_marks).

WeasyPrint's `marks: crop` draws its marks inside the bleed, where the bleed artwork (the masthead band,
photos set to the edge) covers them, and in RGB. A print shop wants them on the paper around the bleed:
MediaBox = trim + bleed + mark area, BleedBox = trim + bleed, TrimBox = trim. This runs on WeasyPrint's
PDF objects before they are written (pdf._Finisher), so it adds no pass over the file and stays
deterministic: each page's MediaBox grows by the mark area, its content is clipped to the BleedBox (no
artwork reaches into the mark area), and eight hairlines mark the trim corners in the registration colour
(Separation /All: every plate, as PDF/X expects of marks), or in RGB black for a PDF/A archive copy.
"""

from __future__ import annotations

from bulletin.print.geometry import MARK_GAP_MM, MARK_LENGTH_MM, MARK_LINE_PT, MARK_MARGIN_MM

PT_PER_MM = 72 / 25.4
REGISTRATION = "bulletin-registration"  # the colour space's name in the page resources


def mark_lines(trim: tuple[float, float, float, float], bleed: tuple[float, float, float, float]):
    """The eight crop-mark segments ((x0, y0), (x1, y1)) in PDF points, for a page whose TrimBox is `trim`
    and BleedBox `bleed` (x0, y0, x1, y1): each on the line of a trim edge, from MARK_GAP beyond the
    bleed edge outwards, MARK_LENGTH long."""
    tx0, ty0, tx1, ty1 = trim
    bx0, by0, bx1, by1 = bleed
    gap, length = MARK_GAP_MM * PT_PER_MM, MARK_LENGTH_MM * PT_PER_MM
    lines = []
    for x, out_x, sx in ((tx0, bx0 - gap, -1), (tx1, bx1 + gap, 1)):
        for y, out_y, sy in ((ty0, by0 - gap, -1), (ty1, by1 + gap, 1)):
            lines.append(((out_x, y), (out_x + sx * length, y)))  # horizontal, at the trim line y
            lines.append(((x, out_y), (x, out_y + sy * length)))  # vertical, at the trim line x
    return lines


def _box(value) -> tuple[float, float, float, float]:
    x0, y0, x1, y1 = (float(v) for v in value)
    return min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)


def _num(v: float) -> str:
    return f"{v:.3f}".rstrip("0").rstrip(".")


def add_crop_marks(pdf, pydyf, *, registration: bool) -> None:
    """Enlarge every page of `pdf` (a pydyf.PDF about to be written) and draw its crop marks.
    `registration`: marks in Separation /All (press PDFs); False: DeviceRGB black (PDF/A)."""
    extra = (MARK_GAP_MM + MARK_LENGTH_MM + MARK_MARGIN_MM) * PT_PER_MM
    colour_space = None
    if registration:
        tint = pydyf.Dictionary(
            {
                "FunctionType": 2,
                "Domain": pydyf.Array((0, 1)),
                "C0": pydyf.Array((0, 0, 0, 0)),
                "C1": pydyf.Array((1, 1, 1, 1)),
                "N": 1,
            }
        )
        pdf.add_object(tint)
        colour_space = pydyf.Array(("/Separation", "/All", "/DeviceCMYK", tint.reference))
        pdf.add_object(colour_space)
    pages = [o for o in pdf.objects if isinstance(o, dict) and o.get("Type") == "/Page" and "TrimBox" in o]
    resources_done: set[int] = set()
    for page in pages:
        trim = _box(page["TrimBox"])
        bleed = _box(page["MediaBox"])  # WeasyPrint's MediaBox is the CSS bleed box
        page["BleedBox"] = pydyf.Array(bleed)
        x0, y0, x1, y1 = bleed
        page["MediaBox"] = pydyf.Array((x0 - extra, y0 - extra, x1 + extra, y1 + extra))
        bx0, by0, bx1, by1 = bleed
        clip = pydyf.Stream([f"q {_num(bx0)} {_num(by0)} {_num(bx1 - bx0)} {_num(by1 - by0)} re W n"])
        ops = ["Q", "q", f"{MARK_LINE_PT} w", "0 J"]
        ops += [f"/{REGISTRATION} CS", "1 SCN"] if registration else ["0 0 0 RG"]
        for (x0, y0), (x1, y1) in mark_lines(trim, bleed):
            ops.append(f"{_num(x0)} {_num(y0)} m {_num(x1)} {_num(y1)} l S")
        ops.append("Q")
        marks = pydyf.Stream(ops)
        pdf.add_object(clip)
        pdf.add_object(marks)
        page["Contents"] = pydyf.Array((clip.reference, page["Contents"], marks.reference))
        if registration:
            resources = _resources(pdf, page)
            if resources is not None and id(resources) not in resources_done:
                resources_done.add(id(resources))
                spaces = resources.get("ColorSpace")
                if spaces is None:
                    spaces = resources["ColorSpace"] = pydyf.Dictionary()
                elif not isinstance(spaces, dict):
                    spaces = _deref(pdf, spaces)
                spaces[REGISTRATION] = colour_space.reference


def _deref(pdf, ref):
    """The object `ref` ("12 0 R") points to."""
    if isinstance(ref, bytes):
        ref = ref.decode()
    if isinstance(ref, str) and ref.endswith(" R"):
        return pdf.objects[int(ref.split()[0])]
    return ref


def _resources(pdf, page):
    res = page.get("Resources")
    res = _deref(pdf, res)
    return res if isinstance(res, dict) else None
