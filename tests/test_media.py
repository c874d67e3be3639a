"""Picture uploads: only real JPEG/PNG/WebP, no bombs, no metadata, upright, resized, cached."""

from __future__ import annotations

import io
import json
import struct
import zlib
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from PIL import ExifTags, Image

from newsportal.errors import FieldError
from newsportal.extensions import db
from newsportal.media.services import Limits, encode_upload
from newsportal.models import Article
from newsportal.models import Image as StoredImage

from .demo_snapshot import load_demo

GPS_IFD = ExifTags.IFD.GPSInfo


def picture(size=(1200, 900), fmt="JPEG", exif=None, mode="RGB") -> bytes:
    """A picture with a red top-left corner, so turning it shows."""
    image = Image.new(mode, size, "white")
    image.paste("red", (0, 0, size[0] // 4, size[1] // 4))
    out = io.BytesIO()
    options = {"exif": exif} if exif is not None else {}
    image.save(out, fmt, **options)
    return out.getvalue()


def phone_photo() -> bytes:
    """A JPEG as a phone writes it: camera name, GPS position, rotated by an EXIF tag."""
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "PhoneMakerXYZ"
    exif[ExifTags.Base.Orientation] = 6  # turn 90° clockwise to view
    gps = exif.get_ifd(GPS_IFD)
    gps.update({1: "N", 2: (10.0, 27.0, 36.0), 3: "E", 4: (105.0, 38.0, 24.0)})
    return picture((2000, 1500), exif=exif)


def png_declaring(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims `width` x `height`: a decompression bomb's calling card."""
    data = picture((1, 1), "PNG")
    ihdr = struct.pack(">II", width, height) + data[24:29]
    chunk = b"IHDR" + ihdr
    return (
        data[:8] + struct.pack(">I", 13) + chunk + struct.pack(">I", zlib.crc32(chunk)) + data[33:]
    )


def upload(client, data: bytes, name: str = "anh.jpg"):
    return client.post(
        "/editor/images/",
        data={"file": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def stored(app) -> tuple[list[Path], list[StoredImage]]:
    folder = Path(app.config["UPLOAD_FOLDER"])
    files = sorted(folder.iterdir()) if folder.exists() else []
    with app.app_context():
        return files, list(db.session.scalars(db.select(StoredImage)))


@pytest.fixture
def editor(auth):
    auth.login("editor")
    return auth.client


def test_phone_photo_is_upright_without_gps_in_every_size(app, editor):
    response = upload(editor, phone_photo(), "IMG_0001.jpg")
    assert response.status_code == 302
    files, images = stored(app)
    assert len(images) == 1
    image = images[0]
    assert (image.width, image.height) == (1500, 2000)  # turned upright
    assert [v["width"] for v in image.variants] == [400, 800, 1500]
    assert len(files) == 3
    for variant in image.variants:
        path = Path(app.config["UPLOAD_FOLDER"]) / variant["name"]
        raw = path.read_bytes()
        assert b"PhoneMakerXYZ" not in raw
        assert b"Exif" not in raw
        with Image.open(path) as copy:
            assert copy.format == "JPEG"
            assert copy.size == (variant["width"], variant["height"])
            assert dict(copy.getexif()) == {}
            assert copy.getexif().get_ifd(GPS_IFD) == {}
            # the red corner is now top-right: the picture was really turned
            red, white = copy.getpixel((copy.width - 5, 5)), copy.getpixel((5, 5))
            assert red[0] > 200
            assert red[1] < 80
            assert white[1] > 200


@pytest.mark.parametrize(
    ("size", "widths"),
    [((3000, 1000), [400, 800, 1600, 2400]), ((500, 400), [400, 500]), ((300, 200), [300])],
)
def test_sizes_never_upscale(app, editor, size, widths):
    assert upload(editor, picture(size)).status_code == 302
    files, [image] = stored(app)
    assert [v["width"] for v in image.variants] == widths
    for variant in image.variants:
        with Image.open(Path(app.config["UPLOAD_FOLDER"]) / variant["name"]) as copy:
            assert copy.width == variant["width"]


@pytest.mark.parametrize(("fmt", "ext"), [("PNG", "png"), ("WEBP", "webp")])
def test_png_and_webp_keep_their_format(app, editor, fmt, ext):
    assert upload(editor, picture((900, 600), fmt, mode="RGBA"), f"a.{ext}").status_code == 302
    files, [image] = stored(app)
    assert image.format == fmt.lower()
    assert all(f.suffix == f".{ext}" for f in files)


def test_names_are_the_hash_of_the_bytes_and_the_same_picture_is_kept_once(app, editor):
    import hashlib

    upload(editor, picture((900, 600)))
    upload(editor, picture((900, 600)), "copy.jpg")
    files, images = stored(app)
    assert len(images) == 1
    for path in files:
        assert path.stem == hashlib.sha256(path.read_bytes()).hexdigest()


JPEG = picture((600, 400))
BAD_UPLOADS = {
    "truncated": JPEG[: len(JPEG) // 2],
    "html renamed .jpg": b"<!doctype html><html><script>alert(1)</script></html>",
    "svg": b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect/></svg>',
    "gif/html polyglot": b"GIF89a\x01\x00\x01\x00\x00\x00\x00<script>alert(1)</script>",
    "real gif": picture((10, 10), "GIF"),
    "bmp": picture((10, 10), "BMP"),
    "bomb past Pillow's limit": png_declaring(100_000, 100_000),
    "bomb past ours": png_declaring(8_000, 8_000),
    "empty": b"",
    "random bytes": bytes(range(256)) * 10,
}


@pytest.mark.parametrize("name", list(BAD_UPLOADS))
def test_bad_uploads_are_refused_with_a_message_and_nothing_stored(app, editor, name):
    response = upload(editor, BAD_UPLOADS[name], "anh.jpg")
    assert response.status_code == 400
    soup = BeautifulSoup(response.data, "html.parser")
    assert soup.select_one(".field.has-error .error").get_text().strip()
    assert stored(app) == ([], [])


def test_html_after_a_real_jpeg_is_not_kept(app, editor):
    payload = b"<html><script>alert(1)</script></html>"
    assert upload(editor, JPEG + payload).status_code == 302
    files, _ = stored(app)
    assert files
    assert all(payload not in f.read_bytes() for f in files)


def test_file_over_the_limit_gets_a_form_error(app, editor):
    # (kept under 500 KB: bigger test uploads leave a temporary file open in the test client)
    app.config["IMAGE_MAX_BYTES"] = 200 * 1024
    big = JPEG + b"\0" * (200 * 1024 + 1 - len(JPEG))
    response = upload(editor, big)
    assert response.status_code == 400
    error = BeautifulSoup(response.data, "html.parser").select_one(".field .error").get_text()
    assert "0,2 MB" in error
    assert stored(app) == ([], [])


def test_request_over_the_server_limit_is_a_form_error_not_a_413_page(app, editor):
    app.config["MAX_CONTENT_LENGTH"] = 2000
    response = upload(editor, picture((900, 900)))
    assert response.status_code == 400
    assert BeautifulSoup(response.data, "html.parser").select_one("form .error") is not None
    assert stored(app) == ([], [])


@pytest.mark.parametrize(("role", "status"), [(None, 302), ("moderator", 403)])
@pytest.mark.sqlite_only("a role check: the same Python on either database")
def test_only_editors_and_admins_upload(app, auth, role, status):
    auth.as_role(role)
    assert auth.client.get("/editor/images/").status_code == status
    assert upload(auth.client, JPEG).status_code == status
    assert stored(app) == ([], [])


@pytest.mark.parametrize("role", ["editor", "admin"])
def test_editors_and_admins_see_the_upload_page(auth, role):
    auth.as_role(role)
    response = auth.client.get("/editor/images/")
    assert response.status_code == 200
    soup = BeautifulSoup(response.data, "html.parser")
    assert soup.select_one("label[for=file]") is not None
    assert soup.select_one(".field .hint").get_text().startswith("Tối đa 10 MB.")


def test_upload_needs_a_csrf_token(csrf_app, make_user):
    from tests.conftest import PASSWORD

    make_user("editor")
    client = csrf_app.test_client()
    login_page = BeautifulSoup(client.get("/login").data, "html.parser")
    token = login_page.select_one("input[name=csrf_token]")["value"]
    client.post(
        "/login", data={"email": "editor@example.org", "password": PASSWORD, "csrf_token": token}
    )
    assert upload(client, JPEG).status_code == 400
    assert stored(csrf_app) == ([], [])


def test_uploads_are_served_as_images_cached_for_a_year(app, editor, client):
    upload(editor, JPEG)
    files, _ = stored(app)
    response = client.get(f"/uploads/{files[0].name}")
    response.close()
    assert response.status_code == 200
    assert response.content_type == "image/jpeg"
    assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize(
    "name",
    [
        "../secret_key",
        "..%2Fsecret_key",
        "a" * 64 + ".html",
        "A" * 64 + ".jpg",
        "x.jpg",
        "0" * 64 + ".jpg",
        "0" * 64 + ".svg",
    ],
)
def test_only_stored_picture_names_are_served(client, name):
    assert client.get(f"/uploads/{name}").status_code == 404


def _one_image_id(app) -> int:
    return stored(app)[1][0].id


def _article_form(**extra):
    return {
        "title": "Bài có ảnh",
        "lead": "Sapo",
        "body": "Nội dung",
        "byline": "Minh Hằng",
        "category_id": "None",
        "published_at": "",
        "comments_enabled": "y",
        "featured_image_id": "None",
        **extra,
    }


def test_featured_picture_needs_alt_text_and_keeps_what_was_typed(app, editor):
    upload(editor, picture((1800, 1200)))
    image_id = _one_image_id(app)
    form = _article_form(featured_image_id=str(image_id), featured_image_caption="Chú thích ảnh")
    response = editor.post("/editor/articles/new", data={**form, "action": "publish"})
    assert response.status_code == 200
    soup = BeautifulSoup(response.data, "html.parser")
    assert soup.select_one("#featured_image_alt-error") is not None
    assert soup.select_one("#featured_image_caption")["value"] == "Chú thích ảnh"
    assert soup.select_one("#title")["value"] == "Bài có ảnh"
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Article.id))) == 0


def test_featured_picture_on_cards_article_and_share_cards(app, editor, client):
    upload(editor, picture((1800, 1200)))
    image_id = _one_image_id(app)
    form = _article_form(
        featured_image_id=str(image_id),
        featured_image_alt="Cánh đồng lúa chín",
        featured_image_caption="Lúa chín ở Tháp Mười",
    )
    assert (
        editor.post("/editor/articles/new", data={**form, "action": "publish"}).status_code == 302
    )
    editor.post(
        "/editor/articles/new", data={**_article_form(title="Bài thứ hai"), "action": "publish"}
    )

    # a list of cards (the home page shows the newest as headlines without pictures)
    listing = BeautifulSoup(client.get("/authors/minh-hang").data, "html.parser")
    card_img = listing.select_one(".card img")
    assert card_img["alt"] == "Cánh đồng lúa chín"
    assert card_img["loading"] == "lazy"
    assert (card_img["width"], card_img["height"]) == ("400", "267")  # 1800x1200 at 400 wide
    assert card_img["sizes"].endswith("100vw")
    assert [part.split()[-1] for part in card_img["srcset"].split(", ")] == [
        "400w",
        "800w",
        "1600w",
        "1800w",
    ]

    slug = "bai-co-anh"
    page = BeautifulSoup(client.get(f"/articles/{slug}").data, "html.parser")
    figure = page.select_one("figure.featured")
    assert figure.img["alt"] == "Cánh đồng lúa chín"
    assert "loading" not in figure.img.attrs  # above the fold
    assert figure.figcaption.get_text() == "Lúa chín ở Tháp Mười"
    og_image = page.select_one('meta[property="og:image"]')["content"]
    assert og_image.startswith("http://127.0.0.1:5000/uploads/")
    assert page.select_one('meta[property="og:image:alt"]')["content"] == "Cánh đồng lúa chín"
    assert page.select_one('meta[name="twitter:card"]')["content"] == "summary_large_image"
    data = json.loads(page.select_one('script[type="application/ld+json"]').string)
    assert data["image"] == [og_image]
    served = client.get(og_image.removeprefix("http://127.0.0.1:5000"))
    served.close()
    assert served.status_code == 200


def test_demo_gives_search_feeds_and_pictures_something_to_show(app, runner, client):
    assert load_demo(app).exit_code == 0
    result = runner.invoke(args=["demo", "load"])  # idempotent
    assert result.exit_code == 0, result.output
    files, images = stored(app)
    with app.app_context():
        featured = db.session.scalars(
            db.select(Article).where(Article.featured_image_id.is_not(None))
        ).all()
        assert (
            len(featured) == len(images) == db.session.scalar(db.select(db.func.count(Article.id)))
        )
        assert all(a.featured_image_alt for a in featured)
    home = BeautifulSoup(client.get("/").data, "html.parser")
    assert home.select("img[srcset]")
    search = BeautifulSoup(client.get("/search?q=lua+thu+dong").data, "html.parser")
    assert search.select(".search-result")
    assert b"<entry>" in client.get("/feed.xml").data


ROOMY = Limits(max_bytes=50_000_000, max_pixels=100_000_000)


@pytest.mark.parametrize(
    ("mode", "fmt", "kept_mode"),
    [("CMYK", "JPEG", "RGB"), ("I;16", "PNG", "RGBA")],
    ids=["print-cmyk-jpeg", "16-bit-grey-png"],
)
def test_pictures_in_modes_browsers_mishandle_are_stored_in_plain_rgb(mode, fmt, kept_mode):
    kind, _ext, copies = encode_upload(picture((800, 600), fmt, mode=mode), ROOMY)
    assert kind == fmt.lower()
    for width, _height, encoded in copies:
        with Image.open(io.BytesIO(encoded)) as stored:
            assert stored.mode == kept_mode
            assert stored.width == width


def test_a_very_wide_jpeg_is_decoded_at_a_reduced_scale_and_keeps_the_largest_width():
    _kind, _ext, copies = encode_upload(picture((9600, 400)), ROOMY)
    assert [width for width, _height, _bytes in copies] == [400, 800, 1600, 2400]


def test_a_jpeg_too_big_to_decode_even_at_an_eighth_within_the_memory_bound_is_refused():
    tight = Limits(max_bytes=50_000_000, max_pixels=100_000_000, max_decoded=10_000)
    with pytest.raises(FieldError) as refused:
        encode_upload(picture((1200, 900)), tight)
    assert (refused.value.field, refused.value.code) == ("file", "too_many_pixels")


def test_a_multi_picture_jpeg_from_a_3d_camera_is_refused_as_another_format():
    # Pillow opens an MPO through the JPEG reader but calls it "MPO": only its first frame
    # would be cleaned, the others kept with their metadata.
    left, right = Image.new("RGB", (640, 480), "white"), Image.new("RGB", (640, 480), "red")
    out = io.BytesIO()
    left.save(out, "MPO", save_all=True, append_images=[right])
    with pytest.raises(FieldError) as refused:
        encode_upload(out.getvalue(), ROOMY)
    assert (refused.value.field, refused.value.code) == ("file", "format")
