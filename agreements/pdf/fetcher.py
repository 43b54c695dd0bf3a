"""What WeasyPrint may read while rendering an agreement: our bundled fonts and stylesheets only.

STYLE.md §7: the URL fetcher reads only the project's own static files, so neither a template
bug nor text that slipped through escaping can make a render read the disk or the network.
"""

import mimetypes
from collections.abc import Iterable
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from weasyprint.urls import URLFetcher, URLFetcherResponse

from agreements.pdf.fonts import allowed_roots


class ResourceRefused(ValueError):
    """WeasyPrint asked for something outside our static fonts and stylesheets."""


class StaticOnlyFetcher(URLFetcher):
    """A URL fetcher that serves files under `allowed_roots()` and refuses everything else.

    The text of a KPI is escaped, so it can never become markup; this is the second wall: should
    a URL reach WeasyPrint anyway (a template bug), nothing on the network, nothing elsewhere on
    disk (file:///etc/passwd) and no data: URL is read. A refusal is an ordinary exception, which
    WeasyPrint logs and renders as nothing.
    """

    def __init__(self, roots: Iterable[Path] | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.roots = tuple(Path(root).resolve() for root in (roots or allowed_roots()))

    def local_path(self, url: str) -> Path | None:
        """The allowed file `url` names, or None when it names anything else."""
        parts = urlsplit(url)
        if parts.scheme.lower() != "file" or parts.netloc not in ("", "localhost"):
            return None
        # resolve() follows symbolic links and "..", so neither can lead out of the roots.
        path = Path(url2pathname(unquote(parts.path))).resolve()
        if not path.is_file():
            return None
        if not any(path.is_relative_to(root) for root in self.roots):
            return None
        return path

    def fetch(self, url: str, headers: dict | None = None) -> URLFetcherResponse:
        path = self.local_path(url)
        if path is None:
            raise ResourceRefused(f"refused to fetch {url[:200]!r}: not one of our static files")
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(
            path.as_uri(), body=path.read_bytes(), headers={"Content-Type": content_type}
        )
