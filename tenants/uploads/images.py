"""An uploaded image is decoded and drawn again (Pillow), and the new file is what is stored: comments,
text chunks, XMP, thumbnails, colour profiles and anything after the image's last byte are left
behind. What stays: the pixels, the orientation (so a phone photo is not shown on its side) and, only
where the caller says the place is evidence, the GPS position.

Markup inside the image's own segments (a JPEG comment or a PNG text chunk written so that a browser
sniffing the file would read a web page) is refused as a polyglot; bytes after the image's end are
not part of the image and are simply not carried over.
"""

from __future__ import annotations

import struct
import warnings
from io import BytesIO

from PIL import ExifTags, Image, UnidentifiedImageError

FORMATS = {"image/jpeg": "JPEG", "image/png": "PNG", "image/webp": "WEBP", "image/gif": "GIF"}
ORIENTATION = 0x0112
RUN_ON = frozenset({0x00, *range(0xD0, 0xD8)})
KEPT_INFO = ("transparency", "duration", "loop", "background", "disposal", "blend")


class Bomb(Exception):
    """More pixels than Pillow's limit (``Image.MAX_IMAGE_PIXELS``): a small file that would take
    gigabytes to decode."""


class Broken(Exception):
    """The bytes start like an image but do not decode as one."""


def image_end(data: bytes, mime: str) -> int:
    """Where the image proper ends; ``len(data)`` when the format is not walked or the walk fails."""
    try:
        if mime == "image/png":
            return _png_end(data)
        if mime == "image/jpeg":
            return _jpeg_end(data)
        if mime == "image/webp" and data[:4] == b"RIFF":
            return min(len(data), 8 + struct.unpack("<I", data[4:8])[0])
    except (struct.error, IndexError):
        pass
    return len(data)


def _png_end(data: bytes) -> int:
    at = 8
    while at + 8 <= len(data):
        length, kind = struct.unpack(">I4s", data[at : at + 8])
        at += 12 + length
        if kind == b"IEND":
            return min(at, len(data))
    return len(data)


def _jpeg_end(data: bytes) -> int:
    at = 2
    while at + 4 <= len(data):
        if data[at] != 0xFF:
            return len(data)
        marker = data[at + 1]
        if marker == 0xD9:
            return at + 2
        if marker == 0xFF or 0xD0 <= marker <= 0xD7 or marker == 0x01:
            at += 2 if marker != 0xFF else 1
            continue
        at += 2 + struct.unpack(">H", data[at + 2 : at + 4])[0]
        if (
            marker == 0xDA
        ):  # entropy-coded data runs to the next marker that is not a stuffed 0xFF00 or a restart
            while at + 1 < len(data) and not (
                data[at] == 0xFF and data[at + 1] not in range(0xD0, 0xD8) and data[at + 1] != 0
            ):
                at += 1
    return len(data)


def image_reencode(data: bytes, *, mime: str, keep_location: bool) -> bytes:
    """The image drawn again in its own format, with only its orientation (and GPS, when asked)
    kept; raises ``Bomb`` or ``Broken``."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(BytesIO(data), formats=[FORMATS[mime]])
            image.load()
            return _saved(image, mime=mime, keep_location=keep_location)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            raise Bomb(str(exc)) from exc
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError, struct.error) as exc:
            raise Broken(str(exc)) from exc


def _saved(image: Image.Image, *, mime: str, keep_location: bool) -> bytes:
    old = image.getexif()
    exif = Image.Exif()
    if old.get(ORIENTATION) in range(2, 9):
        exif[ORIENTATION] = old[ORIENTATION]
    if keep_location and (gps := old.get_ifd(ExifTags.IFD.GPSInfo)):
        exif[ExifTags.IFD.GPSInfo] = dict(gps)
    # Plugins fall back on what the file brought (``info``): only what animation and transparency
    # need is left there.
    image.info = {k: v for k, v in image.info.items() if k in KEPT_INFO}
    options: dict[str, object] = {}
    if len(exif):
        options["exif"] = exif.tobytes()
    if getattr(image, "is_animated", False):
        options["save_all"] = True
    fmt = FORMATS[mime]
    if fmt == "JPEG":
        # The file's own quantisation tables: drawing it again loses as little as the format allows.
        options.update(quality="keep", subsampling="keep")
    elif fmt == "WEBP":
        options.update(quality=90, method=4)
    out = BytesIO()
    image.save(out, fmt, **options)
    return out.getvalue()
