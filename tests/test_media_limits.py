"""What one picture upload may cost: PNG and WebP are decoded whole, so they get a pixel cap of
their own; a big camera JPEG is decoded at a reduced scale. Memory is measured in a child
process (Pillow's buffers are C memory that tracemalloc does not see), from /proc: Linux."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from PIL import ExifTags, Image

from .test_media import stored, upload

ROOT = Path(__file__).resolve().parents[1]
UPLOAD_MEMORY_MB = 300  # the bound README states for one upload
MEASURE = """
import json, sys
from pathlib import Path
from newsportal.config import DEFAULTS
from newsportal.errors import FieldError
from newsportal.media.services import Limits, encode_upload

def status(field):  # in MB; VmHWM is this program's peak (ru_maxrss counts the parent's too)
    with open("/proc/self/status") as lines:
        return next(int(line.split()[1]) for line in lines if line.startswith(field)) / 1024

data = Path(sys.argv[1]).read_bytes()
limits = Limits(DEFAULTS["IMAGE_MAX_BYTES"], DEFAULTS["IMAGE_MAX_PIXELS"],
                DEFAULTS["IMAGE_MAX_DECODED_PIXELS"])
resident = status("VmRSS:")
try:
    kind, _ext, copies = encode_upload(data, limits)
    result = {"kind": kind, "sizes": [[width, height] for width, height, _ in copies]}
except FieldError as error:
    result = {"refused": error.code}
result["mb"] = status("VmHWM:") - resident
print(json.dumps(result))
"""


def encoded(image: Image.Image, fmt: str, **options) -> bytes:
    out = io.BytesIO()
    image.save(out, fmt, **options)
    return out.getvalue()


def flat(size: tuple[int, int], mode: str = "RGB") -> Image.Image:
    """One colour and a corner: compresses to almost nothing, decodes to every pixel."""
    image = Image.new(mode, size, 255 if mode == "L" else (200,) * len(mode))
    image.paste(0 if mode == "L" else (0,) * len(mode), (0, 0, size[0] // 4, size[1] // 4))
    return image


def camera_jpeg(size: tuple[int, int], orientation: int = 1) -> bytes:
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = orientation
    return encoded(flat(size), "JPEG", quality=90, exif=exif)


def animated(fmt: str, frames: int, size=(2000, 2000)) -> bytes:
    images = [flat(size, "RGBA") for _ in range(frames)]
    for number, image in enumerate(images):
        image.paste((number * 20, 0, 0, 255), (number * 50, 0, number * 50 + 40, 40))
    return encoded(images[0], fmt, save_all=frames > 1, append_images=images[1:])


def measure(tmp_path: Path, data: bytes) -> dict:
    path = tmp_path / "upload.bin"
    path.write_bytes(data)
    done = subprocess.run(  # noqa: S603 (our interpreter, our script)
        [sys.executable, "-c", MEASURE, str(path)],
        capture_output=True,
        check=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    return json.loads(done.stdout)


@pytest.mark.slow
@pytest.mark.parametrize(
    ("name", "data", "largest"),
    [
        # 48 megapixels as a phone writes it, sideways with its EXIF tag: decoded at half size
        ("camera JPEG", lambda: camera_jpeg((8000, 6000), orientation=6), [2400, 3200]),
        # too tall for half size to fit the cap: decoded at a quarter, still 2000 px wide
        ("tall JPEG", lambda: camera_jpeg((4000, 12500)), [2000, 6250]),
        ("PNG at the cap", lambda: encoded(flat((4000, 4000), "RGBA"), "PNG"), [2400, 2400]),
        ("WebP at the cap", lambda: encoded(flat((4000, 4000), "RGBA"), "WEBP"), [2400, 2400]),
    ],
)
def test_one_upload_stays_within_the_stated_memory(tmp_path, name, data, largest):
    result = measure(tmp_path, data())
    assert result["sizes"][-1] == largest, name
    assert result["mb"] < UPLOAD_MEMORY_MB, name


@pytest.mark.slow
def test_refusing_a_one_colour_png_of_50_megapixels_costs_almost_nothing(tmp_path):
    data = encoded(flat((7071, 7071), "L"), "PNG")
    assert len(data) < 300 * 1024
    result = measure(tmp_path, data)
    assert result["refused"] == "too_many_pixels_lossless"
    assert result["mb"] < 16  # the header is read, not one row of pixels


@pytest.mark.slow
@pytest.mark.parametrize("fmt", ["PNG", "WEBP"])
def test_frames_of_an_animation_do_not_multiply_memory(tmp_path, fmt):
    one, many = measure(tmp_path, animated(fmt, 1)), measure(tmp_path, animated(fmt, 12))
    assert many["sizes"] == one["sizes"]
    assert many["mb"] < 1.5 * one["mb"] + 8  # one frame is decoded, not twelve


@pytest.mark.parametrize(
    ("fmt", "size", "name"), [("PNG", (7071, 7071), "so-do.png"), ("WEBP", (4001, 4001), "a.webp")]
)
def test_png_and_webp_over_the_cap_get_the_limit_under_the_field(auth, app, fmt, size, name):
    auth.login("editor")
    response = upload(auth.client, encoded(flat(size, "L"), fmt), name)
    assert response.status_code == 400
    error = BeautifulSoup(response.data, "html.parser").select_one(".field.has-error .error")
    assert "PNG" in error.get_text()
    assert "16 megapixel" in error.get_text()
    assert stored(app) == ([], [])
