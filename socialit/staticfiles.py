"""Static files from the npm packages: only the ones the pages load."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.staticfiles.finders import BaseFinder
from django.contrib.staticfiles.utils import matches_patterns
from django.core.files.storage import FileSystemStorage


class PackageFilesFinder(BaseFinder):
    """The files settings.PACKAGE_STATIC_FILES names, each package under its URL prefix.

    A package's folder holds every build, source and source map of it: collected whole, it
    is thousands of files that collectstatic hashes and compresses for nothing. The pages
    load a few files, and those name their own maps and fonts.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.packages: list[tuple[str, Path, list[str]]] = [
            (prefix, Path(root), list(patterns))
            for prefix, (root, patterns) in settings.PACKAGE_STATIC_FILES.items()
        ]
        self.storages: dict[str, FileSystemStorage] = {}
        for prefix, root, _ in self.packages:
            storage = FileSystemStorage(location=root)
            storage.prefix = prefix  # type: ignore[attr-defined]  # read by collectstatic
            self.storages[prefix] = storage

    def _files(self) -> Iterator[tuple[str, str, Path]]:
        """(prefix, path inside the package, file on disk) for every file chosen."""
        for prefix, root, patterns in self.packages:
            for pattern in patterns:
                for file in sorted(root.glob(pattern)):
                    if file.is_file():
                        yield prefix, file.relative_to(root).as_posix(), file

    # Nothing found is [] as in Django's own finders: finders.find() adds a None to what it
    # found. The stubs say str | None.
    def find(  # type: ignore[override]
        self, path: str, find_all: bool = False, **kwargs: Any
    ) -> str | list[str]:
        find_all = find_all or bool(kwargs.get("all"))
        found = [str(file) for prefix, name, file in self._files() if f"{prefix}/{name}" == path]
        if find_all:
            return found
        return found[0] if found else []

    def list(self, ignore_patterns: Iterable[str] | None) -> Iterator[tuple[str, FileSystemStorage]]:
        for prefix, name, _ in self._files():
            if not matches_patterns(name, ignore_patterns or []):
                yield name, self.storages[prefix]
