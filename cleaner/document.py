"""Document and Block: what readers make and the engine judges.

A block is one paragraph or line of canonical text, or one code block (its words in ``text``, its
lines between fences in ``code``). Blocks read from HTML also carry the features of the element they
came from, which selector rules and the classifier use; blocks read from plain text leave those at
their defaults.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .canonical import split_blocks


@dataclass(slots=True)
class Block:
    text: str
    line: int  # 1-based line of the source where the block starts
    tag: str = ""  # HTML: the block element ("p", "h2", "li", ...); "" for text input
    heading: int = 0  # HTML: 1-6 for h1-h6, else 0
    link_density: float = 0.0  # HTML: share of the block's characters inside <a>
    in_list: bool = False  # HTML: inside <ul>/<ol>/<dl>
    selected: frozenset = frozenset()  # ids of selector rules whose element holds this block
    boiler_hint: float = 0.0  # HTML: 1.0 inside an element whose class/id/tag says nav, footer, share, ...
    content_hint: float = 0.0  # HTML: 1.0 inside an element whose class/id/tag says article, content, ...
    in_main: float = 0.0  # HTML: 1.0 inside the element holding most paragraph text (html._mark_main)
    hidden: float = 0.0  # HTML: 1.0 inside an element hidden until a script or a click shows it
    box: tuple = ()  # HTML: what the block's containers hold (html._mark_boxes; features.BOX)
    code: str = ""  # a code block as written, between fences (canonical.fenced); "" for prose
    pre: int = 0  # HTML: the <pre> (its element's number) the block is in, else 0
    row: int = 0  # HTML: the table row (its element's number) of a block that is a cell's text; else 0
    cell: int = 0  # HTML: the cell (its element's number) of such a block
    item: int = 0  # HTML: the list item (its <li> element's number) the block is in, else 0
    marker: str = ""  # HTML: that item's marker ("-", "3.", "iv."), written before its first block


# A text that opens with a list marker of its own ("1.", "b)", "iv.", "•", "-"): the page wrote its
# numbers or bullets into the items, and cleaner adds none.
_MARKED = re.compile(r"(?:[0-9]{1,4}|[a-zA-Z]|[ivxlcdmIVXLCDM]{1,7})[.)](?:\s|$)|[-*+\u2022\u00b7\u25e6\u25aa\u25ab"
                     r"\u25b8\u25ba\u2023\u2043\u2013\u2014\u2192\u2713\u2714](?:\s|$)")


def written_blocks(blocks, texts=None, alive=None) -> list[str]:
    """The blocks as the output writes them, each an entry of canonical.join_blocks: a code block
    with its lines, and the cells of a table row that are written one after another on one line,
    " | " between cells ("Europe | 12.4 bn | +3%"), a space between the pieces of one cell. A row's
    cells are still judged one by one; only what survives is joined. A list item's first
    surviving block opens with the item's marker ("- ", "3. "), unless it is code or starts with
    a marker of its own. ``texts`` (the blocks' texts after strips) and ``alive`` default to the
    blocks as read, every one kept."""
    if texts is None:
        texts = [b.text for b in blocks]
    if alive is None:
        alive = [True] * len(blocks)
    out: list[str] = []
    row = cell = 0
    marked: set[int] = set()  # the items whose marker is written (or has no place)
    for block, text, live in zip(blocks, texts, alive):
        if not live:
            continue
        item = block.item
        if item and item not in marked:
            marked.add(item)
            if block.marker and not block.code and not (block.row and block.row == row) and not _MARKED.match(text):
                text = f"{block.marker} {text}"
        if block.code:
            out.append(block.code)
            row = 0
            continue
        if block.row and block.row == row:
            out[-1] += (" " if block.cell == cell else " | ") + text
        else:
            out.append(text)
        row, cell = block.row, block.cell
    return out


@dataclass(slots=True)
class Document:
    blocks: list[Block]
    source: str = "<stdin>"
    format: str = "text"
    meta: dict = field(default_factory=dict)

    @classmethod
    def from_text(cls, text: str, source: str = "<stdin>") -> "Document":
        return cls([Block(line, number, code=code) for number, line, code in split_blocks(text)], source, "text")
