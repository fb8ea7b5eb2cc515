"""The enrolment QR code as SVG markup to place in the page.

Inline markup, not an <img>: the Content-Security-Policy allows no data: URIs for pictures
of secrets and a separate image URL would have to carry the key. The markup is rebuilt from
the drawing's path alone, checked to be nothing but path commands, so nothing else that a
library might emit (scripts, links, styles) can reach the page.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ElementTree

import qrcode
import qrcode.image.svg
from django.utils.html import format_html
from django.utils.safestring import SafeString

SVG_NAMESPACE = "{http://www.w3.org/2000/svg}"
PATH_COMMANDS = re.compile(r"[MmHhVvLlZz0-9.,\s-]+")
VIEW_BOX = re.compile(r"0 0 \d+ \d+")
SIZE_PX = 200


def qr_svg(data: str, *, label: str) -> SafeString:
    image = qrcode.make(
        data,
        image_factory=qrcode.image.svg.SvgPathImage,
        error_correction=qrcode.constants.ERROR_CORRECT_M,
    )
    # The library's own output for data we built, not untrusted XML; parsed only to take the path.
    root = ElementTree.fromstring(image.to_string(encoding="unicode"))  # noqa: S314
    paths = root.findall(f"{SVG_NAMESPACE}path")
    view_box = root.get("viewBox", "")
    drawing = paths[0].get("d", "") if len(paths) == 1 else ""
    if not (VIEW_BOX.fullmatch(view_box) and PATH_COMMANDS.fullmatch(drawing)):
        raise ValueError("The QR code drawing is not plain path commands.")
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="{}" width="{}" height="{}" role="img" '
        'aria-label="{}" class="qr-code">'
        '<rect width="100%" height="100%" fill="#fff"/><path d="{}" fill="#000"/></svg>',
        view_box,
        SIZE_PX,
        SIZE_PX,
        label,
        drawing,
    )
