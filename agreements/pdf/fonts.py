"""The bundled Sarabun faces the PDF declares, and where they live (static/fonts/).

Kept apart from the fetcher and the renderer so that importing it (the verify page does, through
the package) does not import WeasyPrint.
"""

from pathlib import Path

from django.conf import settings

# Only the faces the document uses: WeasyPrint loads every declared face, used or not.
FONT_FACES = (
    (400, "normal", "Sarabun-Regular.ttf"),
    (700, "normal", "Sarabun-Bold.ttf"),
)


# How Pango names each face in a PDF's BaseFont (after the subset tag).
FONT_FACE_NAMES = {400: "Kham-Sarabun", 700: "Kham-Sarabun-Bold"}


def fonts_url() -> str:
    return (Path(settings.BASE_DIR) / "static" / "fonts").resolve().as_uri() + "/"


def allowed_roots() -> tuple[Path, ...]:
    """The only folders WeasyPrint may read: our bundled fonts and our stylesheets."""
    static = Path(settings.BASE_DIR) / "static"
    return ((static / "fonts").resolve(), (static / "css").resolve())
