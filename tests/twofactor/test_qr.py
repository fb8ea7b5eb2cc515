"""The enrolment QR code: it carries the key the page shows, and nothing but a drawing."""

from __future__ import annotations

import re
from base64 import b32decode
from binascii import hexlify

import pytest
import qrcode
from django_otp.plugins.otp_totp.models import TOTPDevice

from twofactor.qr import qr_svg

from ..conftest import Cast
from .test_views_enrol import set_up_page
from .test_views_sign_in import signed_in_with_password


def dark_modules(svg: str) -> set[tuple[int, int]]:
    drawing = re.search(r'<path d="([^"]+)"', svg)
    assert drawing is not None
    return {(int(x), int(y)) for x, y in re.findall(r"M(\d+),(\d+)H", drawing.group(1))}


def expected_modules(data: str) -> set[tuple[int, int]]:
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M)
    code.add_data(data)
    code.make(fit=True)
    return {(x, y) for y, row in enumerate(code.get_matrix()) for x, dark in enumerate(row) if dark}


def test_the_qr_code_holds_the_typed_key_for_this_person_and_the_desk(cast: Cast) -> None:
    page, key, _ = set_up_page(signed_in_with_password(cast.manager))
    hex_key = hexlify(b32decode(key.replace(" ", ""))).decode()
    uri = TOTPDevice(user=cast.manager, key=hex_key).config_url

    assert uri.startswith("otpauth://totp/Social%20IT%20Desk%3Amax.manager%40example.com?secret=")
    assert uri.endswith("&issuer=Social%20IT%20Desk")
    assert dark_modules(page) == expected_modules(uri)


@pytest.mark.parametrize("data", ['"><script>alert(1)</script>', "otpauth://totp/a?secret=AB&x=<b>"])
def test_the_markup_is_a_drawing_whatever_the_data(data: str) -> None:
    svg = str(qr_svg(data, label='Scan "me" <now>'))

    assert "<script" not in svg and "<b>" not in svg
    assert 'aria-label="Scan &quot;me&quot; &lt;now&gt;"' in svg
    assert re.fullmatch(r'<svg [^<>]*><rect [^<>]*/><path d="[MHVz0-9,\s]+" fill="#000"/></svg>', svg)
