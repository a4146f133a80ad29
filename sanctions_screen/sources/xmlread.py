"""Parsing XML list files into an element tree, with errors that name the file and line."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from ..errors import ListFormatError


def parse_xml(data: bytes, path: Path | str) -> ET.Element:
    """The root element; ListFormatError with the line for truncated or malformed XML.

    >>> parse_xml(b"<a><b></a>", "x.xml")
    Traceback (most recent call last):
    ...
    sanctions_screen.errors.ListFormatError: x.xml, line 1: malformed XML: mismatched tag: line 1, column 8
    """
    try:
        return ET.fromstring(data)
    except ET.ParseError as exc:
        line = exc.position[0] if exc.position else None
        raise ListFormatError(f"malformed XML: {exc}", path=str(path), line=line) from exc


def local(tag: str) -> str:
    """A tag without its namespace.

    >>> local("{urn:x}entity")
    'entity'
    """
    return tag.rsplit("}", 1)[-1]


def text(el: ET.Element | None) -> str:
    """Stripped text of an element, '' when absent."""
    return (el.text or "").strip() if el is not None else ""
