"""Language-aware access to bilingual domain data (explicit name_th / name_en columns)."""

from django.utils.translation import get_language


def in_english() -> bool:
    return (get_language() or "th").startswith("en")


def pick(thai: str, english: str) -> str:
    """The English text when the UI is English and one exists, else the Thai (always present)."""
    if english and in_english():
        return english
    return thai


class BilingualNameMixin:
    name_th: str
    name_en: str

    @property
    def name(self) -> str:
        return pick(self.name_th, self.name_en)
