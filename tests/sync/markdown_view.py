"""How a markdown message looks once rendered: Qt's own markdown reader (md4c, GitHub dialect,
raw HTML allowed) stands in for the group clients, so a test can ask what a reader would see:
headings, quotes, lists, code, links, images, coloured or emphasised text."""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtGui import QTextDocument, QTextFormat


@dataclass
class Piece:
    """A run of text with one look."""

    text: str
    link: str | None = None
    image: bool = False
    code: bool = False
    bold: bool = False
    italic: bool = False
    struck: bool = False
    coloured: bool = False

    @property
    def plain(self) -> bool:
        """Nothing but text (bold aside, which the template's labels use)."""
        return not (self.link or self.image or self.code or self.italic or self.struck or self.coloured)


@dataclass
class Block:
    """A paragraph, heading, list item, quote, code block or rule as rendered."""

    text: str
    heading: int = 0
    listed: bool = False
    quoted: bool = False
    code: bool = False
    rule: bool = False
    pieces: list[Piece] = field(default_factory=list)


def render(markdown: str) -> list[Block]:
    """The blocks a reader sees for `markdown` (a QApplication must exist)."""
    doc = QTextDocument()
    doc.setMarkdown(markdown, QTextDocument.MarkdownFeature.MarkdownDialectGitHub)
    blocks = []
    block = doc.begin()
    while block.isValid():
        fmt = block.blockFormat()
        seen = Block(
            text=block.text(),
            heading=fmt.headingLevel(),
            listed=block.textList() is not None,
            quoted=bool(fmt.property(QTextFormat.Property.BlockQuoteLevel)),
            code=fmt.hasProperty(QTextFormat.Property.BlockCodeLanguage)
            or fmt.hasProperty(QTextFormat.Property.BlockCodeFence),
            rule=fmt.hasProperty(QTextFormat.Property.BlockTrailingHorizontalRulerWidth),
        )
        it = block.begin()
        while not it.atEnd():
            fragment = it.fragment()
            cf = fragment.charFormat()
            seen.pieces.append(
                Piece(
                    text=fragment.text(),
                    link=cf.anchorHref() or ("#" if cf.isAnchor() else None),
                    image=cf.isImageFormat(),
                    code=cf.fontFixedPitch(),
                    bold=cf.fontWeight() >= 600,
                    italic=cf.fontItalic(),
                    struck=cf.fontStrikeOut(),
                    coloured=cf.hasProperty(QTextFormat.Property.ForegroundBrush),
                )
            )
            it += 1
        blocks.append(seen)
        block = block.next()
    return blocks
