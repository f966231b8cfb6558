# cython: language_level=3
"""The walk of html._blocks over libxml2's nodes, through lxml's C API.

html._walk_python is the reference: the same events in the same order (an element's start, its
text, its children, its end, its tail), the same frames and the same blocks. What changes is
how an element is read: its tag, attributes, line, text and tail come from the node itself, where
the Python walk asks lxml for an element proxy at each start and end (a Python lookup of the
element class each time) and for each attribute in a separate call. Built as its own module, since
it needs lxml's headers at build time; without it cleaner walks in Python (html._walk_python).
"""
from lxml.includes cimport tree
from lxml.includes.tree cimport xmlNode
from libc.string cimport strcmp
cimport lxml.includes.etreepublic as cetree

cetree.import_lxml__etree()


cdef inline bint _is_element(xmlNode* c) noexcept:
    # what lxml walks as an element: elements, comments, processing instructions, entity refs
    return (c.type == tree.XML_ELEMENT_NODE or c.type == tree.XML_COMMENT_NODE
            or c.type == tree.XML_PI_NODE or c.type == tree.XML_ENTITY_REF_NODE)


cdef inline xmlNode* _element_from(xmlNode* c) noexcept:
    """The first node at or after ``c`` among its siblings that lxml walks as an element."""
    while c is not NULL and not _is_element(c):
        c = c.next
    return c


cdef inline xmlNode* _text_node(xmlNode* c) noexcept:
    # lxml's _textNodeOrSkip: text and CDATA nodes count, XInclude markers are stepped over
    while c is not NULL:
        if c.type == tree.XML_TEXT_NODE or c.type == tree.XML_CDATA_SECTION_NODE:
            return c
        if c.type == tree.XML_XINCLUDE_START or c.type == tree.XML_XINCLUDE_END:
            c = c.next
        else:
            return NULL
    return NULL


cdef object _text_run(xmlNode* c):
    """lxml's .text (from an element's first child) or .tail (from its next sibling): the run of
    text nodes there, joined; "" or None when it is empty (both are falsy to the walk)."""
    cdef bytes joined = b""
    c = _text_node(c)
    if c is NULL:
        return None
    while c is not NULL:
        if c.content is not NULL:
            joined += <bytes>(<char*>c.content)
        c = _text_node(c.next)
    return joined.decode("utf-8")


cdef inline str _tag(xmlNode* c, doc):
    """An element's tag in lower case, as lxml spells it ("{uri}name" with a namespace); "" for
    the other nodes the walks step over (comments, processing instructions, entity references)."""
    if c.type != tree.XML_ELEMENT_NODE:
        return ""
    if c.ns is NULL:
        return (<bytes>(<char*>c.name)).decode("utf-8").lower()
    return cetree.elementFactory(doc, c).tag.lower()


cdef object _attribute(xmlNode* c, const char* name, doc):
    """el.get(name) for an attribute without a namespace: its value, or None. Read from the
    node's attribute list (libxml2's own functions are inside lxml's module, not linked here);
    a value of several nodes (entity references) is left to lxml."""
    cdef tree.xmlAttr* a = c.properties
    while a is not NULL:
        if a.ns is NULL and strcmp(<const char*>a.name, name) == 0:
            if a.children is NULL:
                return ""
            if a.children.next is NULL and (a.children.type == tree.XML_TEXT_NODE
                                            or a.children.type == tree.XML_CDATA_SECTION_NODE):
                return (<bytes>(<char*>a.children.content)).decode("utf-8") if a.children.content is not NULL else ""
            return cetree.elementFactory(doc, c).get((<bytes>name).decode("ascii"))
        a = a.next
    return None


# Whitespace to str.split() that normalize_chars deletes instead (file, group, record and unit
# separators): a text holding one must be normalised before it is split.
_SEPARATORS_DELETED = ("\x1c", "\x1d", "\x1e", "\x1f")


def block_text(str raw, normalize_chars, canonical_line):
    """canonical_line(" ".join(normalize_chars(raw).split())): a block's text from its pieces
    (before canonical.unfenced, which _fenceless applies).

    Split first, and normalize_chars sees the words alone: most are printable, which its shortcut
    answers in one call, where the raw pieces' line breaks sent two blocks in three down its long
    path. The order does not matter otherwise: its other changes turn whitespace into whitespace,
    which the split drops, or delete characters, which leaves spaces canonical_line collapses. The
    separators above are the exception: a text holding one goes the old way."""
    cdef str sep
    for sep in _SEPARATORS_DELETED:
        if sep in raw:
            return canonical_line(" ".join(normalize_chars(raw).split()))
    return canonical_line(normalize_chars(" ".join(raw.split())))


cdef inline str _fenceless(str text):
    # canonical.unfenced, called only for the rare text that starts like a fence
    if text and (text[0] == "`" or text[0] == "~"):
        from .canonical import unfenced
        return unfenced(text)
    return text


# html.SEAM_*, the same numbers
cdef enum:
    SEAM_NONE = 0
    SEAM_ENDED = 1
    SEAM_SIBLING = 2


cdef class _Frame:
    """html._Frame, typed, with the nearest block-level frame (this one or an ancestor's) kept
    instead of searched for at every block."""
    cdef str tag
    cdef object selected
    cdef double boiler, content, hidden
    cdef bint in_list, in_link, is_block
    cdef tuple path
    cdef _Frame block
    cdef long pre, item
    cdef str marker


cdef _Frame _frame(str tag, selected, double boiler, double content, bint in_list, bint in_link,
                   bint is_block, tuple path, double hidden, _Frame parent, long pre, long item, str marker):
    cdef _Frame f = _Frame.__new__(_Frame)
    f.tag, f.selected, f.boiler, f.content, f.hidden = tag, selected, boiler, content, hidden
    f.in_list, f.in_link, f.is_block, f.path = in_list, in_link, is_block, path
    f.block = f if is_block or parent is None else parent.block
    f.pre = pre
    f.item, f.marker = item, marker
    return f


cdef class _Blocks:
    """The blocks being written: the pieces of text since the last block boundary, and the
    frame they are in."""
    cdef list blocks, paths, pieces
    cdef Py_ssize_t link_chars
    cdef int seam  # html.SEAM_*: what the walk passed since the last text
    cdef long line
    cdef object Block, canonical_line, normalize_chars, code_lines, glued

    cdef flush(self, _Frame frame):
        # html._walk_python's flush(), ``frame`` being the top of its stack
        cdef _Frame block_frame
        cdef Py_ssize_t total
        if not self.pieces:
            return
        raw = "".join(self.pieces)
        text = _fenceless(block_text(raw, self.normalize_chars, self.canonical_line))
        total = len(text)
        if text:
            block_frame = frame.block
            tag = block_frame.tag
            self.blocks.append(self.Block(
                text=text, line=self.line or 1, tag=tag,
                heading=int(tag[1]) if len(tag) == 2 and tag[0] == "h" and tag[1].isdigit() else 0,
                link_density=min(1.0, self.link_chars / total) if total else 0.0,
                in_list=frame.in_list, selected=frame.selected,
                boiler_hint=frame.boiler, content_hint=frame.content, hidden=frame.hidden,
                pre=frame.pre, code=self.code_lines(raw) if frame.pre else "", item=frame.item, marker=frame.marker))
            self.paths.append(block_frame.path)
        self.pieces.clear()
        self.link_chars = 0
        self.line = 0

    cdef add(self, text, _Frame frame):
        if text:
            if self.seam == SEAM_SIBLING and self.pieces and not frame.pre and self.glued(self.pieces[-1], text):
                self.pieces.append(" ")
            self.seam = SEAM_NONE
            self.pieces.append(text)
            if frame.in_link:
                self.link_chars += len(text.strip())


def walk(trees, selected_by, bint skip_hidden, hidden_words):
    """(blocks, paths) of the trees, as html._walk_python gives them."""
    from . import html as H

    cdef xmlNode* c
    cdef xmlNode* top
    cdef xmlNode* nxt
    cdef long sourceline
    cdef long counter = 0
    cdef bint descend, hidden, is_block
    cdef long item
    cdef str marker
    cdef _Frame frame, parent
    cdef _Blocks out = _Blocks.__new__(_Blocks)
    cdef list stack

    out.blocks, out.paths, out.pieces = [], [], []
    out.link_chars, out.line = 0, 0
    out.Block, out.canonical_line, out.normalize_chars = H.Block, H.canonical_line, H.normalize_chars
    out.code_lines = H.code_lines
    out.glued, out.seam = H.glued, SEAM_NONE
    INVISIBLE, BLOCK_TAGS, LIST_TAGS = H.INVISIBLE, H.BLOCK_TAGS, H.LIST_TAGS
    hidden_style, hidden_class, boiler_hint, content_hint = (
        H._hidden_style, H._hidden_class, H._boiler_hint, H._content_hint)

    selections = {}
    for el, ids in selected_by.items():
        selections[<size_t>(<cetree._Element>el)._c_node] = ids

    stack = [_frame("html", frozenset(), 0.0, 0.0, False, False, True, (), 0.0, None, 0, 0, "")]
    numberings = {}  # per <ol> frame: html.list_numbering, advanced item by item
    list_numbering, item_marker = H.list_numbering, H.item_marker
    for root in trees:
        doc = cetree.documentOrRaise(root)
        top = (<cetree._Element>root)._c_node
        c = top
        while c is not NULL:
            # -- the element's start
            if out.seam == SEAM_ENDED:
                out.seam = SEAM_SIBLING
            descend = False
            tag = _tag(c, doc)
            hidden = False
            cls = None
            if tag and tag not in INVISIBLE:
                cls = _attribute(c, b"class", doc)  # read once: for hiding, and for the hints below
                if tag == "noscript" or _attribute(c, b"hidden", doc) is not None or _attribute(c, b"aria-hidden", doc) == "true":
                    hidden = True
                else:
                    style = _attribute(c, b"style", doc)
                    hidden = bool((style and hidden_style(style)) or (cls and hidden_class(cls)))
            if not tag or tag in INVISIBLE or (skip_hidden and hidden):
                if hidden and hidden_words is not None:
                    hidden_words.append(len(cetree.elementFactory(doc, c).text_content().split()))
                stack.append(None)  # its end still comes, and its tail is kept
            else:
                descend = True
                parent = <_Frame>stack[-1]
                is_block = tag in BLOCK_TAGS
                if is_block or tag == "br":
                    if out.pieces:
                        out.flush(parent)
                ident, role = _attribute(c, b"id", doc), _attribute(c, b"role", doc)
                attrs = f"{cls if cls is not None else ''} {ident if ident is not None else ''} {role if role is not None else ''}".strip()
                own = selections.get(<size_t>c)
                counter += 1
                item = parent.item
                marker = parent.marker
                if tag == "li":
                    item = counter
                    if parent.tag == "ol":
                        numbering = numberings.get(parent)
                        if numbering is None:
                            numbering = numberings[parent] = list_numbering(cetree.elementFactory(doc, c.parent))
                        marker = item_marker(numbering, _attribute(c, b"value", doc))
                    else:
                        marker = "-"
                frame = _frame(
                    tag,
                    parent.selected | own if own else parent.selected,
                    1.0 if parent.boiler or (attrs and boiler_hint(attrs)) or tag in ("nav", "footer", "aside") else 0.0,
                    1.0 if parent.content or (attrs and content_hint(attrs)) or tag in ("article", "main") else 0.0,
                    parent.in_list or tag in LIST_TAGS,
                    parent.in_link or tag == "a",
                    is_block,
                    parent.path + (counter,) if is_block else parent.path,
                    1.0 if parent.hidden or hidden else 0.0,
                    parent,
                    counter if tag == "pre" else parent.pre,
                    item, marker,
                )
                stack.append(frame)
                if not out.line:
                    # libxml2 keeps lines up to 65534 in the node; past that lxml finds the line
                    sourceline = c.line if c.line < 65535 else (cetree.elementFactory(doc, c).sourceline or 0)
                    if sourceline > 0:
                        out.line = sourceline
                out.add(_text_run(c.children), frame)
            # -- down to the first child, or the end of this element and of its finished ancestors
            nxt = _element_from(c.children) if descend else NULL
            if nxt is not NULL:
                c = nxt
                continue
            while True:
                ended = stack.pop()
                if out.seam == SEAM_NONE:
                    out.seam = SEAM_ENDED
                if out.pieces and ended is not None and ((<_Frame>ended).is_block or (<_Frame>ended).tag == "br"):
                    out.flush(<_Frame>ended)
                out.add(_text_run(c.next), <_Frame>stack[-1])
                if c is top:
                    c = NULL
                    break
                nxt = _element_from(c.next)
                if nxt is not NULL:
                    c = nxt
                    break
                c = c.parent
    out.flush(<_Frame>stack[-1])
    return out.blocks, out.paths


cdef class _Prose:
    """The pieces of the block being read, and the prose words of the blocks read so far."""
    cdef list pieces
    cdef long total
    cdef object normalize_chars, canonical_line, prose_count, glued
    cdef int seam, pre  # as walk's: html.SEAM_*, and how many <pre> the walk is in

    cdef add(self, text):
        # walk's _Blocks.add, down to the text
        if text:
            if self.seam == SEAM_SIBLING and self.pieces and not self.pre and self.glued(self.pieces[-1], text):
                self.pieces.append(" ")
            self.seam = SEAM_NONE
            self.pieces.append(text)

    cdef flush(self):
        # walk's flush, down to what prose_count reads of a block: its text and its words
        text = _fenceless(block_text("".join(self.pieces), self.normalize_chars, self.canonical_line))
        if text:
            self.total += self.prose_count(text, len(text.split()))
        self.pieces.clear()


def hidden_prose(trees, normalize_chars, canonical_line, prose_count):
    """features.count_prose_words of the texts of the blocks walk(trees, ..., skip_hidden=False)
    gives: what parse_html weighs before it reads a page with its hidden elements, and, on most
    pages that ask, throws away. The same elements and boundaries as walk, none of what the texts
    do not need: no attributes, frames, selections or Block objects. Its loop is walk's, written
    again rather than shared: a per-node callback would cost what this saves."""
    from . import html as H

    cdef xmlNode* c
    cdef xmlNode* top
    cdef xmlNode* nxt
    cdef bint descend, is_block
    cdef int ended
    cdef list stack = []  # per open node: -1 not read, 2 a <pre>, 1 another block or <br>, 0 any other element
    cdef _Prose out = _Prose.__new__(_Prose)
    out.pieces, out.total = [], 0
    out.normalize_chars, out.canonical_line, out.prose_count = normalize_chars, canonical_line, prose_count
    out.glued, out.seam, out.pre = H.glued, SEAM_NONE, 0
    INVISIBLE, BLOCK_TAGS = H.INVISIBLE, H.BLOCK_TAGS

    for root in trees:
        doc = cetree.documentOrRaise(root)
        top = (<cetree._Element>root)._c_node
        c = top
        while c is not NULL:
            if out.seam == SEAM_ENDED:
                out.seam = SEAM_SIBLING
            descend = False
            tag = _tag(c, doc)
            if not tag or tag in INVISIBLE:
                stack.append(-1)
            else:
                descend = True
                is_block = tag in BLOCK_TAGS or tag == "br"
                if is_block and out.pieces:
                    out.flush()
                if tag == "pre":
                    out.pre += 1
                stack.append(2 if tag == "pre" else (1 if is_block else 0))
                out.add(_text_run(c.children))
            nxt = _element_from(c.children) if descend else NULL
            if nxt is not NULL:
                c = nxt
                continue
            while True:
                ended = stack.pop()
                if out.seam == SEAM_NONE:
                    out.seam = SEAM_ENDED
                if ended >= 1 and out.pieces:
                    out.flush()
                if ended == 2:
                    out.pre -= 1
                out.add(_text_run(c.next))
                if c is top:
                    c = NULL
                    break
                nxt = _element_from(c.next)
                if nxt is not NULL:
                    c = nxt
                    break
                c = c.parent
    if out.pieces:
        out.flush()
    return out.total


cdef inline xmlNode* _element_node(xmlNode* c) noexcept:
    """The first node at or after ``c`` among its siblings that is an element (what
    ``iter(etree.Element)`` yields; comments and the like hold no elements)."""
    while c is not NULL and c.type != tree.XML_ELEMENT_NODE:
        c = c.next
    return c


cdef inline bint _named(const char* name, tuple names) noexcept:
    """Whether ``name`` is one of ``names`` (bytes), compared in C: most tags and attribute
    names of a page are none of the few a selector needs, and are never decoded."""
    cdef bytes candidate
    for candidate in names:
        if strcmp(name, <const char*>candidate) == 0:
            return True
    return False


def select(root, index, dict out):
    """selectors.SelectorIndex.select_python's one-walk part on one tree, into ``out`` (element
    -> set of rule ids): the same elements, the same ids, in the same order.

    The Python loop asks lxml for a proxy object per element and for the list of its attributes;
    here the nodes are read in place, a tag or an attribute name is decoded only when a selector
    needs it (by_tag, by_attr, single), and a proxy is made only for an element that some
    alternative must test whole or that is selected."""
    cdef xmlNode* c
    cdef xmlNode* top
    cdef xmlNode* nxt
    cdef tree.xmlAttr* a
    by_tag, by_attr, single, anywhere = index.by_tag, index.by_attr, index.single, index.anywhere
    verdicts = index._single
    cdef tuple tags = index.tag_bytes
    cdef tuple names = index.attribute_bytes
    doc = cetree.documentOrRaise(root)
    top = (<cetree._Element>root)._c_node
    c = top
    while c is not NULL:
        ids = None
        el = None
        # a namespaced element's tag is "{uri}name", never a key of by_tag
        candidates = by_tag.get((<bytes>(<char*>c.name)).decode("utf-8")) if c.ns is NULL and _named(<const char*>c.name, tags) else None
        a = c.properties
        while a is not NULL:
            if a.ns is NULL and _named(<const char*>a.name, names):
                name = (<bytes>(<char*>a.name)).decode("utf-8")
                if name in single:
                    # el.items() gives each attribute node the value el.get(name) gives
                    hit = verdicts(name, _attribute(c, <const char*>a.name, doc))
                    if hit:
                        ids = set(hit) if ids is None else ids | hit
                more = by_attr.get(name)
                if more:
                    candidates = (candidates or []) + more
            a = a.next
        if anywhere:
            candidates = (candidates or []) + anywhere
        if candidates:
            el = cetree.elementFactory(doc, c)
            for alt in candidates:
                if (ids is None or alt.rule not in ids) and alt.matches(el):
                    ids = {alt.rule} if ids is None else ids | {alt.rule}
        if ids:
            out[el if el is not None else cetree.elementFactory(doc, c)] = ids
        # next in document order: the first child element, else the next element after this
        # one or after the nearest ancestor below the root that has one
        nxt = _element_node(c.children)
        while nxt is NULL and c is not top:
            nxt = _element_node(c.next)
            if nxt is NULL:
                c = c.parent
        c = nxt
    return out
