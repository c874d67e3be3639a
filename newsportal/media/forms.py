from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired

from ..forms import Form

# Service error codes -> what the editor reads under the file field.
ERRORS = {
    "too_large": _l("The file is too large. The limit is %(mb)s MB."),
    "not_image": _l(
        "This file is not a picture we can read, or it is damaged. Upload a JPEG, PNG or WebP."
    ),
    "format": _l("Only JPEG, PNG and WebP pictures can be uploaded."),
    "too_many_pixels": _l("This picture has too many pixels to process safely."),
    "too_many_pixels_lossless": _l(
        "A PNG or WebP picture can have at most %(mpx)s megapixels. Make it smaller, or save a "
        "photo as JPEG."
    ),
}


class ImageForm(Form):
    file = FileField(
        _l("Picture (JPEG, PNG or WebP)"), validators=[FileRequired(_l("Choose a file."))]
    )
