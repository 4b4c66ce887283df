"""A partnership's assurance data together (register, audits, scrutiny), and reading it from a
partnership folder's ``assurance/*.yaml`` files."""

from __future__ import annotations

from pathlib import Path

import yaml
from pydantic import ValidationError

from masa.spec import SourceError
from masa.spec.yamlwrite import dump_yaml

from .caseaudit import CaseAudit
from .common import Strict
from .reviews import Register, Review
from .scrutiny import Scrutiny

FILES = {"reviews.yaml": "reviews", "case-audits.yaml": "audits", "scrutiny.yaml": "scrutiny"}


class Book(Strict):
    reviews: list[Review] = []
    audits: list[CaseAudit] = []
    scrutiny: list[Scrutiny] = []

    def register(self) -> Register:
        return Register(reviews=self.reviews)

    def scrutiny_for(self, period: str) -> Scrutiny | None:
        return next((s for s in self.scrutiny if s.period == period), None)

    def empty(self) -> bool:
        return not (self.reviews or self.audits or self.scrutiny)


class BookError(SourceError):
    """An assurance file that cannot be read, named with the field at fault."""


def book_files(book: Book) -> dict[str, str]:
    """The book as the ``assurance/*.yaml`` files `load_book` reads back (``masa export``'s
    way back to files): one file per part that holds anything, defaults left out."""
    files = {}
    for name, key in FILES.items():
        items = getattr(book, key)
        if items:
            files[name] = dump_yaml({key: [i.model_dump(mode="json", exclude_defaults=True) for i in items]})
    return files


def load_book(folder: str | Path) -> Book:
    """The folder's assurance files; an empty book when it has none. A file that does not
    validate raises ``BookError`` naming the file and the field."""
    base = Path(folder) / "assurance"
    data: dict[str, list] = {}
    for name, key in FILES.items():
        path = base / name
        if not path.exists():
            continue
        try:
            doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except yaml.YAMLError as exc:
            raise BookError(f"{path}: not valid YAML ({exc})") from None
        if not isinstance(doc, dict) or set(doc) - {key}:
            raise BookError(f"{path}: expected one key, {key!r}, holding a list")
        data[key] = doc.get(key) or []
    try:
        return Book.model_validate(data)
    except ValidationError as exc:
        e = exc.errors()[0]
        where = ".".join(str(x) for x in e["loc"])
        raise BookError(f"{base}: {where}: {str(e['msg']).removeprefix('Value error, ')}") from None
