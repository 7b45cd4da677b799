"""WeasyPrint with a confined fetcher: lay out, finish the pages, write a deterministic PDF, observe.

render → finish pages (colophon, blank pages) → write (PDF/X-4 or PDF/A-2b metadata, fixed IDs) →
findings for preflight (missing glyphs, image resolution, failed loads, font embedding).
"""

from __future__ import annotations

import hashlib
import logging
import re
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from urllib.parse import urljoin

from bulletin.print.paging import finish_pages
from bulletin.print.preflight import Findings
from bulletin.print.render import PrintDocument, output_condition


@dataclass(frozen=True)
class RenderedPdf:
    data: bytes
    pages: int
    refused: tuple[str, ...]  # resources the fetcher refused or could not read
    findings: Findings


class _LoadFailures(logging.Handler):
    """Collects WeasyPrint's "Failed to load image/stylesheet at …" errors (it logs them and carries on),
    with what kind of resource each URL was: preflight names a font a font and a stylesheet a stylesheet."""

    _RE = re.compile(r"Failed to load (image|stylesheet) at (?:'([^']*)'|\"([^\"]*)\"|(\S+?) ?: )")

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.urls: list[str] = []
        self.kinds: dict[str, str] = {}  # url -> "image" | "stylesheet"

    def emit(self, record: logging.LogRecord) -> None:
        try:
            msg = record.getMessage()
        except Exception:  # a malformed record must not break rendering
            return
        m = self._RE.search(msg)
        if m:
            url = m.group(2) or m.group(3) or m.group(4)
            self.urls.append(url)
            self.kinds.setdefault(url, m.group(1))


def write_pdf(
    doc: PrintDocument,
    roots: list[Path],
    identifier: str,
    *,
    pad_to: int = 1,
    font_config=None,
    page_hook=None,
) -> RenderedPdf:
    """Render `doc` to PDF bytes. `identifier` fixes the PDF /ID and XMP document id (determinism).
    `page_hook(pages)`, when given, may change the finished pages before they are written (proofs mark
    the blank pages, bulletin.print.proof)."""
    import weasyprint
    from weasyprint import LOGGER

    from bulletin.print import fillers, floats
    from bulletin.print.fetcher import ConfinedFetcher  # imports WeasyPrint: only when rendering

    floats.install_float_patch()  # photos that do not fit at a page foot go to the next page's top
    fetcher = ConfinedFetcher([*roots, *doc.roots], doc.aliases)
    failures = _LoadFailures()
    LOGGER.addHandler(failures)
    try:

        def render(source: str):
            html = weasyprint.HTML(string=source, base_url=doc.base_url, url_fetcher=fetcher)
            return html.render(font_config=font_config)

        def lay_out(source: str):
            document = render(source)
            if floats.missing_floats(document):  # a photo kept for a page after the last: without floats
                document = render(source.replace(f' {floats.FLOAT_CLASS}"', '"'))
            return document

        document = lay_out(doc.html)
        holes = fillers.find_holes(document.pages, doc.fill_holes_mm)
        chosen = fillers.plan(holes, doc.fillers)
        if chosen:  # a second layout only for an issue with a hole a filler fits (bulletin.print.fillers)
            filled = lay_out(fillers.insert(doc.html, chosen))
            if fillers.placed(filled.pages, holes, chosen, len(document.pages)):
                document = filled
            else:
                chosen = {}
        unfilled = tuple(
            (doc.articles.get(h.anchor, ""), h.page + 1, h.mm) for h in holes if h.anchor not in chosen
        )
        findings = Findings()
        _observe_images(document, doc.base_url, findings)
        pages = finish_pages(document.pages, pad_to)
        if page_hook is not None:
            pages = page_hook(pages)
        final = document.copy(pages) if len(pages) != len(document.pages) else document
        uid = hashlib.md5(identifier.encode()).hexdigest()
        options = {"pdf_identifier": uid.encode()}
        if doc.variant:
            options["pdf_variant"] = doc.variant
        data = final.write_pdf(finisher=_Finisher(doc, uid, findings), **options)
    finally:
        LOGGER.removeHandler(failures)
    for font in final.fonts.values():
        findings.missing_glyphs.update(font.missing)
    findings.failed_images.extend(failures.urls)
    findings.failed_kinds.update(failures.kinds)
    findings.refused_why.update(fetcher.why)
    findings.holes.extend(unfilled)
    return RenderedPdf(data, len(pages), tuple(fetcher.refused), findings)


# --- speed-ups over WeasyPrint internals ------------------------------------------------------------
#
# The two speed-ups below stand in for WeasyPrint internals as they are in WeasyPrint 70.0, the release
# pyproject.toml pins (`weasyprint==70.0`): `weasyprint.pdf.fonts.ffi` (cffi's FFI, of which only `new`
# is changed) and `weasyprint.draw.draw_text(stream, textbox, offset_x, text_overflow, block_ellipsis)`.
# They change no byte of the output, only the time, so on any other release — or where those internals
# are not what they were — they are not installed and WeasyPrint runs as it is (the same PDFs, slower).
# The layout patches, which do change the output (bulletin.print.floats, bulletin.print.cjk), refuse
# another release instead. Before moving the pin: compare fonts.py's use of `ffi.new` and draw_text's
# signature and stream calls with the new release, then run tests/test_pdf_draw.py and
# tests/test_output_identity.py.
SPEEDUPS_WEASYPRINT = "70.0"
_DRAW_TEXT_PARAMETERS = ("stream", "textbox", "offset_x", "text_overflow", "block_ellipsis")


def _weasyprint_is(version: str) -> bool:
    import weasyprint

    return weasyprint.__version__ == version


_ARRAY_OF_N = re.compile(r"^(\w+)\[\d+\]$")


class _CachedArrayTypes:
    """Stands for cffi's FFI in weasyprint.pdf.fonts: `new("hb_codepoint_t[N]", items)` becomes
    `new("hb_codepoint_t[]", items)`, the same array, without cffi parsing a new C type (~5 ms with
    pycparser) for every N — WeasyPrint 70 subsets each font with three arrays of a new length."""

    def __init__(self, ffi) -> None:
        self._ffi = ffi

    def new(self, cdecl, init=None):
        m = _ARRAY_OF_N.match(cdecl) if isinstance(cdecl, str) else None
        if m:
            length = int(cdecl[m.end(1) + 1 : -1])
            if init is None:
                return self._ffi.new(m.group(1) + "[]", length)  # zero-filled, as new("T[N]") is
            if not isinstance(init, int) and len(init) == length:
                return self._ffi.new(m.group(1) + "[]", init)
        return self._ffi.new(cdecl, init)

    def __getattr__(self, name):
        return getattr(self._ffi, name)


def install_font_subset_speedup() -> bool:
    """Once per process, before writing PDFs: see :class:`_CachedArrayTypes`. Changes no byte of
    the output. True when installed (now or before); False on a WeasyPrint other than
    SPEEDUPS_WEASYPRINT, which then runs unchanged."""
    from weasyprint.pdf import fonts

    if isinstance(fonts.ffi, _CachedArrayTypes):
        return True
    if not _weasyprint_is(SPEEDUPS_WEASYPRINT) or not callable(getattr(fonts.ffi, "new", None)):
        return False
    fonts.ffi = _CachedArrayTypes(fonts.ffi)
    return True


SPEEDUPS_PYDYF = "0.13.0"  # the pydyf that WeasyPrint 70.0 installs here; its Stream.data is a property


def install_pdf_write_speedup() -> bool:
    """Once per process, before writing PDFs: while pydyf writes a PDF, each stream's serialised bytes
    (`Stream.data`: its content joined and compressed with zlib at level 9) are made once, not twice.
    With a fixed identifier (we always give one) pydyf serialises every object a second time to hash
    the file for the second part of its /ID: ~3 MB of fonts and page content compressed again (a
    tenth of a second and more per issue). The bytes are the same; the memo lives for one write only.
    True when installed (now or before); False on a pydyf other than SPEEDUPS_PYDYF, or one whose
    Stream.data is not a property, which then runs unchanged."""
    import pydyf

    if getattr(pydyf.PDF.write, "_bulletin_memo", False):
        return True
    if getattr(pydyf, "__version__", None) != SPEEDUPS_PYDYF or not isinstance(
        pydyf.Stream.__dict__.get("data"), property
    ):
        return False
    original_data = pydyf.Stream.data  # the property
    original_write = pydyf.PDF.write
    memo: dict[int, tuple[object, bytes]] | None = None  # id(stream) -> (stream, its data), while writing

    def data(self):
        if memo is None:
            return original_data.fget(self)
        hit = memo.get(id(self))
        if hit is not None and hit[0] is self:
            return hit[1]
        value = original_data.fget(self)
        memo[id(self)] = (self, value)
        return value

    def write(self, *args, **kwargs):
        nonlocal memo
        memo = {}
        try:
            return original_write(self, *args, **kwargs)
        finally:
            memo = None

    write._bulletin_memo = True
    write.original = (original_write, original_data)  # (tests)
    pydyf.Stream.data = property(data)
    pydyf.PDF.write = write
    return True


# The stream calls draw_text makes for a line of text; a replay makes only these.
_TEXT_CALLS = frozenset({"set_color", "begin_text", "set_text_matrix", "add_font", "set_font_size",
                         "show_text", "set_text_rise", "end_text"})  # fmt: skip


class _Recorder:
    """Stands for a page's stream while draw_text draws one text box: passes every call on and
    records it, so that the same drawing at another x can be made again without Pango."""

    def __init__(self, stream) -> None:
        self._stream = stream
        self.calls: list[tuple[str, tuple]] = []

    def __getattr__(self, name):
        method = getattr(self._stream, name)
        if name not in _TEXT_CALLS:
            self.calls = None  # anything else (decorations, emojis): never replayed
            return method

        def call(*args):
            if self.calls is not None:
                self.calls.append((name, args))
            return method(*args)

        return call


def install_leader_draw_speedup() -> bool:
    """Once per process, before drawing pages: a leader (the dots of the contents, `leader(".")`) is
    laid out by WeasyPrint 70 as one copy of the same text box per dot, and each copy is drawn as a new
    Pango layout of that one character (a contents line has ~90). The copies share their layout, style
    and line; only x differs. The first is drawn as usual and its stream calls recorded; the following
    copies replay those calls with their own x. The PDF is byte for byte the same (the calls are the
    same, in the same order), at a small part of the cost. True when installed (now or before); False
    on a WeasyPrint other than SPEEDUPS_WEASYPRINT or with another draw_text, which then runs unchanged."""
    import inspect

    from weasyprint import draw

    original = draw.draw_text
    if getattr(original, "_bulletin_leaders", False):
        return True
    if not _weasyprint_is(SPEEDUPS_WEASYPRINT):
        return False
    try:
        parameters = tuple(inspect.signature(original).parameters)
    except (TypeError, ValueError):
        return False
    if parameters != _DRAW_TEXT_PARAMETERS:
        return False
    last: list = [None, None]  # (the box drawn last: its layout, style, text, y, stream), its calls

    def draw_text(stream, textbox, offset_x, text_overflow, block_ellipsis="none"):
        layout = textbox.pango_layout
        # (offset_x only places decorations, and a box with any is never replayed)
        key = (layout, textbox.style, textbox.text, textbox.position_y, textbox.baseline, stream,
               text_overflow, block_ellipsis)  # fmt: skip
        previous, calls = last
        same = previous is not None and key[0] is previous[0] and key[1] is previous[1]
        if calls and same and key[2:] == previous[2:]:
            x = textbox.position_x
            for name, args in calls:
                if name == "set_text_matrix":
                    args = (*args[:4], x, *args[5:])
                getattr(stream, name)(*args)
            draw_text.replays += 1
            return
        recorder = _Recorder(stream)
        original(recorder, textbox, offset_x, text_overflow, block_ellipsis)
        last[:] = [key, recorder.calls]

    draw_text._bulletin_leaders = True
    draw_text.original = original
    draw_text.replays = 0  # boxes drawn by replay (tests)
    draw.draw_text = draw_text
    return True


def _observe_images(document, base_url: str, findings: Findings) -> None:
    """Pixel width and printed width of every raster image, as laid out."""
    from weasyprint.formatting_structure import boxes
    from weasyprint.images import RasterImage

    for page in document.pages:
        for box in page._page_box.descendants():
            if isinstance(box, boxes.ReplacedBox) and isinstance(box.replacement, RasterImage):
                src = box.element.get("src") if box.element is not None else None
                if src and box.width:
                    url = urljoin(base_url, src)
                    findings.images.append((url, box.replacement.width, box.width * 25.4 / 96))


class _Finisher:
    """Last touches on the PDF objects before WeasyPrint writes them."""

    def __init__(self, doc: PrintDocument, uid: str, findings: Findings) -> None:
        self.doc = doc
        self.uid = uid
        self.findings = findings

    def __call__(self, document, pdf) -> None:
        import pydyf

        for obj in pdf.objects:
            if isinstance(obj, dict) and obj.get("Type") == "/FontDescriptor":
                name = obj.get("FontName", b"")
                name = name.decode("latin-1") if isinstance(name, bytes) else str(name)
                if not any(k in obj for k in ("FontFile", "FontFile2", "FontFile3")) or "+" not in name:
                    self.findings.fonts_not_embedded.append(name.lstrip("/"))
            if isinstance(obj, pydyf.Stream) and obj.extra.get("Type") == "/Metadata":
                # WeasyPrint gives PDF/X-4 a random xmpMM:DocumentID; a fixed one keeps builds identical.
                obj.stream = [
                    re.sub(rb"xmp\.did:[0-9a-f-]{36}", b"xmp.did:" + self.uid.encode(), part)
                    if isinstance(part, bytes)
                    else part
                    for part in obj.stream
                ]
        if self.doc.crop_marks:
            from bulletin.print.marks import add_crop_marks

            add_crop_marks(pdf, pydyf, registration=not self.doc.variant.startswith("pdf/a"))
        if self.doc.variant == "pdf/x-4" and self.doc.icc_profile is not None:
            self._output_intent(pdf, pydyf)

    def _output_intent(self, pdf, pydyf) -> None:
        condition, identifier = output_condition(self.doc.icc_profile)
        intents = pdf.catalog.get("OutputIntents")
        for intent in intents or ():
            intent["OutputConditionIdentifier"] = pydyf.String(identifier)
            intent["OutputCondition"] = pydyf.String(condition)
            intent["Info"] = pydyf.String(condition)
            intent["RegistryName"] = pydyf.String("http://www.color.org")
        # RGB colours and photos are colour-managed (sRGB) instead of device-dependent, as PDF/X-4 requires.
        srgb = pydyf.Stream(
            [(files("weasyprint.pdf") / "sRGB2014.icc").read_bytes()],
            pydyf.Dictionary({"N": 3}),
            compress=True,
        )
        pdf.add_object(srgb)
        for obj in pdf.objects:
            if isinstance(obj, dict) and "lab-d50" in obj and "lab-d65" in obj:  # the shared ColorSpace dict
                obj["DefaultRGB"] = pydyf.Array(("/ICCBased", srgb.reference))


def check_icc_profile(path: Path) -> str | None:
    """None if `path` is a CMYK output profile, else why not."""
    try:
        from PIL import ImageCms

        profile = ImageCms.getOpenProfile(str(path)).profile
    except Exception as exc:  # Pillow raises several kinds for non-profiles
        return str(exc) or type(exc).__name__
    if profile.xcolor_space.strip() != "CMYK":
        return f"colour space {profile.xcolor_space.strip()}"
    return None
