# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=False
"""Compiled twins of the classifier's hot loops: block features, the words key of a block, the
context columns, the tree walk, the second stage's score context and the decode along the page; and of
two loops outside it: the byte automaton of language identification and difflib's similarity
ratio for near-duplicate blocks.

features._base_python, features._word_key_python, features._context_python,
classifier.Model._log_odds_python, classifier._score_context_python and
classifier._article_path_python are the reference: these
functions return the same values to the last bit (tests/test_native.py compares them), only
without the interpreter in the loop. Block features ran six regular expressions and four maps per
block; here one pass over the code points does it. The character classes are not
re-implemented: ``table`` holds, for every code point, the answer of the very regex engines the
reference uses (features.char_table), so a Unicode update cannot make the two disagree.

Built by setuptools when a C compiler is there; without it cleaner runs the Python references.
"""
from libc.math cimport INFINITY, log1p
from libc.stdlib cimport free, malloc, qsort

cdef extern from *:
    """
    #if defined(__GNUC__) || defined(__clang__)
    #define CLEANER_PREFETCH(p) __builtin_prefetch((p), 0, 0)
    #else
    #define CLEANER_PREFETCH(p) ((void)(p))
    #endif
    """
    void CLEANER_PREFETCH(const void* p) nogil

import numpy as np

# Bits of a table entry (features.char_table builds it with the same numbers).
cdef enum:
    WORD = 1      # regex \w
    SPACE = 2     # regex \s
    UPPER = 4     # regex \p{Lu}
    DIGIT = 8     # regex \d
    LETTER = 16   # re [^\W\d_]
    RE_DIGIT = 32 # re \d


cdef inline bint terminal(Py_UCS4 c) noexcept:
    # features._TERMINAL
    return c == u'.' or c == u'!' or c == u'?' or c == u'…' or c == u'"' or c == u'”' \
        or c == u'»' or c == u')' or c == u"'" or c == u'’'


cdef inline bint sentence_stop(Py_UCS4 c) noexcept:
    return c == u'.' or c == u'!' or c == u'?' or c == u'…'


cdef inline bint closing_quote(Py_UCS4 c) noexcept:
    return c == u'"' or c == u"'" or c == u'”' or c == u'»' or c == u')' or c == u']'


cdef inline bint opening(Py_UCS4 c) noexcept:
    return c == u'"' or c == u'“' or c == u'«' or c == u'('


cdef inline bint separator(Py_UCS4 c) noexcept:
    return c == u'|' or c == u'•' or c == u'·' or c == u'/' or c == u'»' or c == u'›' \
        or c == u'>' or c == u'–' or c == u'—' or c == u'-'


cdef inline bint bullet(Py_UCS4 c) noexcept:
    return c == u'•' or c == u'·' or c == u'▪' or c == u'◦' or c == u'●' or c == u'■' \
        or c == u'►' or c == u'▸' or c == u'‣' or c == u'○' or c == u'*' or c == u'+' \
        or c == u'-' or c == u'–' or c == u'—'


cdef Py_ssize_t sentence_ends(str text, Py_ssize_t n, const unsigned char* table):
    """Matches of features._SENT_END, found as findall finds them (left to right, no overlap).
    The quote run and the space run cannot share a character, and the last character is neither,
    so the first way to match is the only one: no backtracking to try."""
    cdef Py_ssize_t i = 0, j, count = 0
    cdef Py_UCS4 c
    while i < n:
        if not sentence_stop(text[i]):
            i += 1
            continue
        j = i + 1
        while j < n and closing_quote(text[j]):
            j += 1
        if j < n and table[<Py_UCS4>text[j]] & SPACE:
            while j < n and table[<Py_UCS4>text[j]] & SPACE:
                j += 1
            if j < n:
                c = text[j]
                if table[c] & UPPER or opening(c):
                    count += 1
                    i = j + 1
                    continue
        i += 1
    return count


cdef Py_ssize_t separators(str text, Py_ssize_t n, const unsigned char* table):
    """Matches of features._SEPARATORS, (?:^|\\s)SEP(?:\\s|$), left to right without overlap."""
    cdef Py_ssize_t p = 0, count = 0, sep
    while p < n:
        sep = -1  # where the separator stands, if one starts a match at p
        if p == 0 and separator(text[0]):
            sep = 0
        elif table[<Py_UCS4>text[p]] & SPACE and p + 1 < n and separator(text[p + 1]):
            sep = p + 1
        if sep >= 0:
            if sep + 1 == n:
                count += 1
                break
            if table[<Py_UCS4>text[sep + 1]] & SPACE:
                count += 1
                p = sep + 2
                continue
        p += 1
    return count


cdef bint list_item(str text, Py_ssize_t n, const unsigned char* table):
    """features._LIST.match"""
    cdef Py_ssize_t d = 0
    if n >= 2 and bullet(text[0]) and table[<Py_UCS4>text[1]] & SPACE:
        return True
    while d < 3 and d < n and table[<Py_UCS4>text[d]] & DIGIT:
        d += 1
    if d == 0 or d + 1 >= n:
        return False
    return (text[d] == u'.' or text[d] == u')') and (table[<Py_UCS4>text[d + 1]] & SPACE) != 0


cdef bint urlish(str text, Py_ssize_t n, const unsigned char* table):
    """features._URLISH.search"""
    cdef Py_ssize_t i, end
    cdef Py_UCS4 c
    for i in range(n):
        c = text[i]
        if c == u'h':
            if text.startswith("http://", i) or text.startswith("https://", i):
                return True
        elif c == u'w':
            if text.startswith("www.", i):
                return True
        elif c == u'@' or c == u'#':
            if i + 1 < n and table[<Py_UCS4>text[i + 1]] & WORD:
                return True
        elif c == u'.':
            for tld in ("com", "org", "net", "fr", "de", "io"):
                if text.startswith(tld, i + 1):
                    end = i + 1 + len(tld)
                    if end == n or not (table[<Py_UCS4>text[end]] & WORD):
                        return True
    return False


def base(str full, frozenset stops, Py_ssize_t sample, bytes table_bytes):
    """features._base_python(full, stops), the same list of floats."""
    if not full:
        raise IndexError("a block is never empty")
    cdef const unsigned char* table = table_bytes
    cdef str text = full[:sample] if len(full) > sample else full
    cdef Py_ssize_t n = len(text), i = 0, start
    cdef Py_ssize_t ntok = 0, caps = 0, toklen = 0, stop = 0
    cdef Py_ssize_t letters = 0, digits = 0, spaces = 0, commas = 0, chars, punct, sentences
    cdef Py_UCS4 c
    cdef unsigned char k
    cdef bint check_stops = len(stops) > 0
    while i < n:
        c = text[i]
        k = table[c]
        if k & LETTER:
            letters += 1
        elif k & RE_DIGIT:
            digits += 1
        elif c == u' ':
            spaces += 1
        elif c == u',':
            commas += 1
        if k & WORD:
            start = i
            if c.isupper():
                caps += 1
            i += 1
            while i < n:
                c = text[i]
                k = table[c]
                if not (k & WORD):
                    break
                if k & LETTER:
                    letters += 1
                elif k & RE_DIGIT:
                    digits += 1
                i += 1
            ntok += 1
            toklen += i - start
            if check_stops and text[start:i].casefold() in stops:
                stop += 1
            continue
        i += 1
    cdef Py_ssize_t nt = ntok if ntok else 1
    chars = n if n else 1
    if letters == 0:
        letters = 1
    punct = chars - letters - digits - spaces
    cdef Py_UCS4 last = full[len(full) - 1]
    sentences = sentence_ends(text, n, table)
    cdef double words = <double>ntok if len(full) == n else <double>len(full.split())
    # Python's int / int: both exact as doubles here, so one correctly rounded division
    cdef double sent = <double>(sentences * len(full)) / <double>n
    cdef double avg = toklen / <double>nt
    if avg > 15:
        avg = 15
    return [
        log1p(words),
        1.0 if terminal(last) else 0.0,
        1.0 if last == u':' else 0.0,
        stop / <double>nt,
        caps / <double>nt,
        digits / <double>chars,
        (punct if punct > 0 else 0) / <double>chars,
        log1p(sent + (1 if sentence_stop(last) else 0)),
        avg / 10,
        1.0 if list_item(text, n, table) else 0.0,
        1.0 if urlish(text, n, table) else 0.0,
        min(separators(text, n, table), 5) / 5.0,
        1.0 if text.isupper() and letters > 3 else 0.0,
        1.0 if n and (<Py_UCS4>text[0]).islower() else 0.0,
        0.0,
        1.0 if ntok <= 3 else 0.0,
        commas / <double>nt,
    ]


def token_key(str folded, bytes table_bytes):
    """" ".join(features._TOKEN.findall(folded))"""
    cdef const unsigned char* table = table_bytes
    cdef Py_ssize_t n = len(folded), i = 0, start
    parts = []
    while i < n:
        if table[<Py_UCS4>folded[i]] & WORD:
            start = i
            i += 1
            while i < n and table[<Py_UCS4>folded[i]] & WORD:
                i += 1
            parts.append(folded[start:i])
            continue
        i += 1
    return " ".join(parts)


cdef extern from *:
    """
    /* A split of a tree as the walk reads it (classifier.SPLIT, 16 bytes on 64-bit machines). Each tree is laid out
       as a complete binary tree of the ensemble's depth (classifier.Model's heap layout): the
       children of split k are at 2k + 1 and 2k + 2, so a step reads no child pointer, and the
       leaf a walk reaches is its index minus the number of splits. */
    typedef struct {
        double threshold;
        Py_ssize_t feature;
    } cleaner_split;

    /* A block one step down a tree: left when its value is <= the threshold; NaN is not <=
       anything, so it goes right. */
    #define CLEANER_STEP(k, row) ((k) = 2 * (k) + 2 - ((row)[s[k].feature] <= s[k].threshold))

    /* classifier.Model._log_odds_python without the base: out[b] = the leaf values of block b's
       row, added in tree order. Chunks of 32 blocks go through every tree before the next chunk
       (their rows stay in the L1 cache), and within a chunk eight blocks walk down a tree side by
       side: a walk is a chain of loads each waiting for the one before, and eight independent
       chains in registers keep the processor busy where one block after another kept it
       waiting. */
    static void cleaner_walk_trees(const double* rows, Py_ssize_t n, Py_ssize_t stride,
                                   Py_ssize_t ntrees, const cleaner_split* splits,
                                   const double* leaves, int depth, double* out) {
        Py_ssize_t nsplits = ((Py_ssize_t)1 << depth) - 1, nleaves = nsplits + 1;
        Py_ssize_t lo, hi, b, t, k;
        int d;
        for (lo = 0; lo < n; lo += 32) {
            hi = lo + 32 < n ? lo + 32 : n;
            for (t = 0; t < ntrees; t++) {
                const cleaner_split* s = splits + t * nsplits;
                const double* leaf = leaves + t * nleaves - nsplits;  /* leaf[k]: heap index k */
                for (b = lo; b + 8 <= hi; b += 8) {
                    const double* r = rows + b * stride;
                    Py_ssize_t n0 = 0, n1 = 0, n2 = 0, n3 = 0, n4 = 0, n5 = 0, n6 = 0, n7 = 0;
                    for (d = 0; d < depth; d++) {
                        CLEANER_STEP(n0, r); CLEANER_STEP(n1, r + stride);
                        CLEANER_STEP(n2, r + 2 * stride); CLEANER_STEP(n3, r + 3 * stride);
                        CLEANER_STEP(n4, r + 4 * stride); CLEANER_STEP(n5, r + 5 * stride);
                        CLEANER_STEP(n6, r + 6 * stride); CLEANER_STEP(n7, r + 7 * stride);
                    }
                    if (t == 0) {
                        out[b] = leaf[n0]; out[b + 1] = leaf[n1]; out[b + 2] = leaf[n2];
                        out[b + 3] = leaf[n3]; out[b + 4] = leaf[n4]; out[b + 5] = leaf[n5];
                        out[b + 6] = leaf[n6]; out[b + 7] = leaf[n7];
                    } else {
                        out[b] += leaf[n0]; out[b + 1] += leaf[n1]; out[b + 2] += leaf[n2];
                        out[b + 3] += leaf[n3]; out[b + 4] += leaf[n4]; out[b + 5] += leaf[n5];
                        out[b + 6] += leaf[n6]; out[b + 7] += leaf[n7];
                    }
                }
                for (; b < hi; b++) {
                    k = 0;
                    for (d = 0; d < depth; d++)
                        CLEANER_STEP(k, rows + b * stride);
                    out[b] = t == 0 ? leaf[k] : out[b] + leaf[k];
                }
            }
        }
    }
    """
    ctypedef struct cleaner_split:
        pass
    void cleaner_walk_trees(const double* rows, Py_ssize_t n, Py_ssize_t stride, Py_ssize_t ntrees,
                            const cleaner_split* splits, const double* leaves, int depth,
                            double* out) nogil


def log_odds(const double[:, ::1] X, const unsigned char[::1] splits, const double[::1] leaves,
             int depth, double base):
    """classifier.Model._log_odds_python, with the trees in the heap layout of Model.splits and
    Model.leaves: for each block, the trees' leaf values added in tree order (as numpy's sum over
    the first axis adds them), then the base; the same sums to the bit."""
    cdef Py_ssize_t n = X.shape[0], b, nleaves = (<Py_ssize_t>1) << depth
    cdef Py_ssize_t ntrees = leaves.shape[0] // nleaves
    if depth < 0 or depth > 30 or leaves.shape[0] != ntrees * nleaves or splits.shape[0] != <Py_ssize_t>sizeof(cleaner_split) * ntrees * (nleaves - 1):
        raise ValueError("the trees' splits and leaves do not make complete trees of the depth")
    out = np.zeros(n)  # each block's sum of leaf values (none: 0.0), then base + that sum
    cdef double[::1] o = out
    cdef const cleaner_split* first = NULL  # depth 0: no splits, every tree is its leaf
    if n and ntrees:
        if depth:
            first = <const cleaner_split*>&splits[0]
        with nogil:
            cleaner_walk_trees(&X[0, 0], n, X.shape[1], ntrees, first, &leaves[0], depth, &o[0])
    for b in range(n):
        o[b] = base + o[b]
    return out


def article_path(list gains, double switch, double gap):
    """classifier._article_path_python: the same Viterbi path over the same four states, with the
    same comparisons in the same order (a predecessor replaces the state's own value only when
    strictly better, so ties and NaN go the same way)."""
    cdef Py_ssize_t n = len(gains), k
    if n == 0:
        return []
    cdef double lost = -INFINITY
    cdef double before = 0.0, inside = <double>gains[0] - switch, gapped = lost, after = lost
    cdef double into, gap_total, end_total, best, g
    cdef unsigned char came, gap_came, end_came
    back = bytearray(4 * (n - 1))
    cdef unsigned char[::1] b = back
    for k in range(1, n):
        g = gains[k]
        into, came = inside, 1
        if before - switch > into:
            into, came = before - switch, 0
        if gapped - gap > into:
            into, came = gapped - gap, 2
        gap_total, gap_came = gapped, 2
        if inside - gap > gap_total:
            gap_total, gap_came = inside - gap, 1
        end_total, end_came = after, 3
        if inside - switch > end_total:
            end_total, end_came = inside - switch, 1
        b[4 * (k - 1)] = 0
        b[4 * (k - 1) + 1] = came
        b[4 * (k - 1) + 2] = gap_came
        b[4 * (k - 1) + 3] = end_came
        inside, gapped, after = into + g, gap_total, end_total
    cdef int state
    if after > before:
        state, best = 3, after
    else:
        state, best = 0, before
    if inside > best:
        state = 1
    path = [False] * n
    path[n - 1] = state == 1
    for k in range(n - 2, -1, -1):
        state = b[4 * k + state]
        path[k] = state == 1
    return path


def context(const double[:, ::1] B, list nwords, Py_ssize_t prose_words, Py_ssize_t c_words,
            Py_ssize_t c_terminal, Py_ssize_t c_stop):
    """features._context_python: the context columns (features.CONTEXT, in that order) from the
    blocks' own features ``B`` (columns ``c_words``, ``c_terminal``, ``c_stop``: log_words,
    ends_terminal, stop_ratio) and word counts. Every sum runs in the order the reference's
    does, and each division and log1p is the same double operation."""
    cdef Py_ssize_t n = B.shape[0], i, k, j, col, lo, hi, first = -1, last = -1, gap
    cdef long long total = 0, prose_total = 0, before = 0, w
    cdef double s, share
    out = np.zeros((n, 13))
    if n == 0:
        return out
    cdef double[:, ::1] o = out
    words = np.empty(n, dtype=np.int64)
    cdef long long[::1] nw = words
    flags = bytearray(n)  # reads like prose: enough words, ends like a sentence
    cdef unsigned char[::1] prose = flags
    dist = np.empty(n, dtype=np.intp)
    cdef Py_ssize_t[::1] d = dist
    for i in range(n):
        w = nwords[i]
        nw[i] = w
        total += w
        if w >= prose_words and B[i, c_terminal] != 0.0:
            prose[i] = 1
            prose_total += w
            if first < 0:
                first = i
            last = i
    if total == 0:
        total = 1
    share = <double>prose_total / <double>total
    # distance to the nearest prose block either side (n when there is none): a sweep each way
    gap = -1
    for i in range(n):
        if prose[i]:
            gap = i
        d[i] = i - gap if gap >= 0 else n
    gap = -1
    for i in range(n - 1, -1, -1):
        if prose[i]:
            gap = i
        if gap >= 0 and gap - i < d[i]:
            d[i] = gap - i
    for i in range(n):
        o[i, 0] = <double>i / <double>(n - 1) if n > 1 else 0.0
        o[i, 1] = <double>before / <double>total
        before += nw[i]
        if i > 0:
            o[i, 2] = B[i - 1, c_words]
            o[i, 3] = B[i - 1, c_terminal]
            o[i, 4] = B[i - 1, c_stop]
        if i + 1 < n:
            o[i, 5] = B[i + 1, c_words]
            o[i, 6] = B[i + 1, c_terminal]
            o[i, 7] = B[i + 1, c_stop]
        lo = i - 3 if i >= 3 else 0
        hi = i + 4 if i + 4 < n else n
        for j in range(2):
            col = c_words if j == 0 else c_terminal
            # seven padded values added left to right, as numpy sums a row of seven
            s = B[i - 3, col] if i >= 3 else 0.0
            for k in range(i - 2, i + 4):
                s = s + (B[k, col] if 0 <= k < n else 0.0)
            o[i, 8 + j] = s / <double>(hi - lo)
        o[i, 10] = log1p(<double>d[i])
        if first <= i <= last:  # (never, when there is no prose: last is -1)
            o[i, 11] = 1.0
        o[i, 12] = share
    return out


cdef Py_ssize_t _walk_automaton(const unsigned char[::1] data, const unsigned int[::1] nextmove,
                                const Py_ssize_t[::1] rowbase, const Py_ssize_t[::1] output,
                                Py_ssize_t[::1] tally, Py_ssize_t* order) except -1:
    """Counts into ``tally`` the features py3langid's byte automaton emits over ``data``, and
    writes each distinct feature to ``order`` (room for len(data)) when first emitted; returns
    how many there are. On a feature outside the tally, resets what it counted and raises."""
    cdef Py_ssize_t state = 0, i, f, k, distinct = 0
    cdef Py_ssize_t nfeatures = tally.shape[0]
    for i in range(data.shape[0]):
        state = nextmove[rowbase[state] + data[i]]
        f = output[state]
        if f >= 0:
            if f >= nfeatures:  # not this model's automaton: leave the scratch as it was
                for k in range(distinct):
                    tally[order[k]] = 0
                raise IndexError("feature %d outside a tally of %d" % (f, nfeatures))
            if tally[f] == 0:
                order[distinct] = f
                distinct += 1
            tally[f] += 1
    return distinct


def dfa_counts(const unsigned char[::1] data, const unsigned int[::1] nextmove, const Py_ssize_t[::1] rowbase,
               const Py_ssize_t[::1] output, Py_ssize_t[::1] tally):
    """features._dfa_counts_python: py3langid's byte automaton walked over ``data`` (UTF-8), the
    count of each feature it emits, as a dict whose keys come in the order of their first
    emission (the order the model's sum over features runs in).

    ``tally`` is the caller's scratch, one slot per feature, all zero on entry and left all zero:
    a fresh zeroed array of the model's 100,000 features on every call cost more than the walk
    (the pages it touches are faulted in anew each time). The walk and the reset call nothing in
    Python, so no other thread can run between them and find the scratch in use."""
    cdef Py_ssize_t f, k, distinct
    cdef Py_ssize_t n = data.shape[0]
    cdef Py_ssize_t* order = <Py_ssize_t*>malloc((n if n > 0 else 1) * sizeof(Py_ssize_t))
    cdef Py_ssize_t* times = <Py_ssize_t*>malloc((n if n > 0 else 1) * sizeof(Py_ssize_t))
    if order == NULL or times == NULL:
        free(order)
        free(times)
        raise MemoryError()
    try:
        distinct = _walk_automaton(data, nextmove, rowbase, output, tally, order)
        for k in range(distinct):
            f = order[k]
            times[k] = tally[f]
            tally[f] = 0
        counts = {}
        for k in range(distinct):
            counts[order[k]] = times[k]
    finally:
        free(order)
        free(times)
    return counts


cdef enum:
    _AHEAD = 4  # rows fetched ahead by dfa_sums (eight read no different: bench/RESULTS.md)
    _LINE = 64  # bytes in a cache line


cdef inline void _prefetch_row(const unsigned short* row, Py_ssize_t n) noexcept nogil:
    """Ask for every cache line of the ``n`` entries at ``row`` (a hint: nothing is read)."""
    if n <= 0:
        return
    cdef size_t first = <size_t>row & ~(<size_t>_LINE - 1)
    cdef size_t last = <size_t>(row + n) - 1
    while first <= last:
        CLEANER_PREFETCH(<const void*>first)
        first += _LINE


def dfa_sums(const unsigned char[::1] data, const unsigned int[::1] nextmove, const Py_ssize_t[::1] rowbase,
             const Py_ssize_t[::1] output, Py_ssize_t[::1] tally, const unsigned short[:, ::1] table,
             const float[::1] half):
    """py3langid's naive-Bayes sums over ``data`` without its prior: for each language c, the sum
    over the features the automaton emits of log1p(count) times the model's table[feature, c].

    ``table`` is the model's float16 table read as its bits, ``half`` the float32 value of every
    float16 bit pattern (so no conversion is written here). The weights are rounded to float32
    as py3langid's are, the sum is in double, in the order of first emission. py3langid sums in
    float32 through numpy's matrix product, so the two differ in the last bits:
    features._certain_best decides whether the difference can matter. Returns the sums and the
    number of distinct features. ``tally`` as for dfa_counts."""
    cdef Py_ssize_t f, k, c, distinct
    cdef Py_ssize_t n = data.shape[0], ncls = table.shape[1]
    if tally.shape[0] > table.shape[0]:
        raise IndexError("a tally of %d for a table of %d features" % (tally.shape[0], table.shape[0]))
    if half.shape[0] < 65536:
        raise IndexError("a float16 table needs 65536 entries, not %d" % half.shape[0])
    cdef Py_ssize_t* order = <Py_ssize_t*>malloc((n if n > 0 else 1) * sizeof(Py_ssize_t))
    if order == NULL:
        raise MemoryError()
    out = np.zeros(ncls, dtype=np.float64)
    cdef double[::1] acc = out
    cdef double w
    cdef const unsigned short* row
    try:
        distinct = _walk_automaton(data, nextmove, rowbase, output, tally, order)
        # The table is tens of megabytes and its rows are read in no order: the rows a few
        # features ahead are asked for while this one is summed, so that their misses overlap.
        for k in range(min(distinct, _AHEAD)):
            _prefetch_row(&table[order[k], 0], ncls)
        for k in range(distinct):
            f = order[k]
            if k + _AHEAD < distinct:
                _prefetch_row(&table[order[k + _AHEAD], 0], ncls)
            w = <float>log1p(<double>tally[f])
            tally[f] = 0
            row = &table[f, 0]
            for c in range(ncls):
                acc[c] += w * half[row[c]]
    finally:
        free(order)
    return out, distinct


cdef struct CharAt:
    Py_UCS4 c
    Py_ssize_t pos


cdef int _by_char_then_position(const void* x, const void* y) noexcept nogil:
    cdef const CharAt* p = <const CharAt*>x
    cdef const CharAt* q = <const CharAt*>y
    if p.c != q.c:
        return -1 if p.c < q.c else 1
    return -1 if p.pos < q.pos else (1 if p.pos > q.pos else 0)


def ratio(str a, str b):
    """features._ratio_python: difflib.SequenceMatcher(None, a, b, autojunk=False).ratio(), by
    the same algorithm (the longest matching block of a range, earliest in a, then in b; then the
    ranges before and after it), so the same blocks are found and the same number returned.
    The positions of each character of b (difflib's b2j) are one sorted array here, and the run
    lengths of the previous row (its j2len dict) an array whose entries carry the row they were
    written in."""
    cdef Py_ssize_t la = len(a), lb = len(b)
    if la + lb == 0:
        return 1.0
    if la == 0 or lb == 0:
        return 0.0
    cdef Py_ssize_t i, j, t, lo, hi, mid, k, matches = 0, top = 0
    cdef Py_ssize_t alo, ahi, blo, bhi, besti, bestj, bestsize
    cdef long long row = 0
    cdef Py_UCS4* A = <Py_UCS4*>malloc(la * sizeof(Py_UCS4))
    cdef Py_UCS4* B = <Py_UCS4*>malloc(lb * sizeof(Py_UCS4))
    cdef CharAt* where = <CharAt*>malloc(lb * sizeof(CharAt))
    cdef Py_ssize_t* first = <Py_ssize_t*>malloc(la * sizeof(Py_ssize_t))
    cdef Py_ssize_t* last = <Py_ssize_t*>malloc(la * sizeof(Py_ssize_t))
    cdef Py_ssize_t* run0 = <Py_ssize_t*>malloc(lb * sizeof(Py_ssize_t))
    cdef Py_ssize_t* run1 = <Py_ssize_t*>malloc(lb * sizeof(Py_ssize_t))
    cdef long long* row0 = <long long*>malloc(lb * sizeof(long long))
    cdef long long* row1 = <long long*>malloc(lb * sizeof(long long))
    cdef Py_ssize_t* stack = <Py_ssize_t*>malloc(4 * (min(la, lb) + 2) * sizeof(Py_ssize_t))
    cdef Py_ssize_t* prev_run
    cdef Py_ssize_t* cur_run
    cdef long long* prev_row
    cdef long long* cur_row
    try:
        if (A == NULL or B == NULL or where == NULL or first == NULL or last == NULL or run0 == NULL
                or run1 == NULL or row0 == NULL or row1 == NULL or stack == NULL):
            raise MemoryError()
        for i in range(la):
            A[i] = a[i]
        for j in range(lb):
            B[j] = b[j]
            where[j].c = B[j]
            where[j].pos = j
            row0[j] = -2
            row1[j] = -2
        qsort(where, lb, sizeof(CharAt), _by_char_then_position)
        for i in range(la):  # the positions of a[i] in b: where[first[i]:last[i]], ascending
            lo, hi = 0, lb
            while lo < hi:
                mid = (lo + hi) // 2
                if where[mid].c < A[i]:
                    lo = mid + 1
                else:
                    hi = mid
            first[i] = lo
            hi = lb
            while lo < hi:
                mid = (lo + hi) // 2
                if where[mid].c <= A[i]:
                    lo = mid + 1
                else:
                    hi = mid
            last[i] = lo
        stack[0], stack[1], stack[2], stack[3] = 0, la, 0, lb
        top = 1
        while top:
            top -= 1
            alo, ahi, blo, bhi = stack[4 * top], stack[4 * top + 1], stack[4 * top + 2], stack[4 * top + 3]
            besti, bestj, bestsize = alo, blo, 0
            row += 2  # a new range: no run goes on from the last row of the previous one
            prev_run, prev_row, cur_run, cur_row = run0, row0, run1, row1
            for i in range(alo, ahi):
                row += 1
                prev_run, cur_run = cur_run, prev_run
                prev_row, cur_row = cur_row, prev_row
                for t in range(first[i], last[i]):
                    j = where[t].pos
                    if j < blo:
                        continue
                    if j >= bhi:
                        break
                    k = (prev_run[j - 1] if j > 0 and prev_row[j - 1] == row - 1 else 0) + 1
                    cur_run[j] = k
                    cur_row[j] = row
                    if k > bestsize:
                        besti, bestj, bestsize = i - k + 1, j - k + 1, k
            while besti > alo and bestj > blo and A[besti - 1] == B[bestj - 1]:
                besti, bestj, bestsize = besti - 1, bestj - 1, bestsize + 1
            while besti + bestsize < ahi and bestj + bestsize < bhi and A[besti + bestsize] == B[bestj + bestsize]:
                bestsize += 1
            if bestsize:
                matches += bestsize
                if alo < besti and blo < bestj:
                    stack[4 * top], stack[4 * top + 1], stack[4 * top + 2], stack[4 * top + 3] = alo, besti, blo, bestj
                    top += 1
                if besti + bestsize < ahi and bestj + bestsize < bhi:
                    stack[4 * top] = besti + bestsize
                    stack[4 * top + 1] = ahi
                    stack[4 * top + 2] = bestj + bestsize
                    stack[4 * top + 3] = bhi
                    top += 1
    finally:
        free(A); free(B); free(where); free(first); free(last)
        free(run0); free(run1); free(row0); free(row1); free(stack)
    return 2.0 * matches / (la + lb)


def own_rows(list texts, object lang, frozenset stops, dict memo, dict word_keys, Py_ssize_t sample, bytes table_bytes,
             Py_ssize_t ncols, Py_ssize_t repeated):
    """The loop of features._own_rows_python: each block's own features (``base``), its repeat key
    and word count, from ``memo`` (one document's, keyed by text and language) or computed and
    remembered there; the ``repeated`` column set where a key occurs more than once. A key not in
    the memo is taken from ``word_keys`` (text -> key, or None) when there, else computed and put
    there (blocks of at most ``sample`` characters). Returns the matrix of own features and the
    word counts."""
    cdef Py_ssize_t n = len(texts), k, c
    out = np.empty((n, ncols))
    cdef double[:, ::1] o = out
    nwords = [0] * n
    keys = [None] * n
    seen = {}
    cdef list row
    for k in range(n):
        text = <str>texts[k]
        entry = (text, lang)
        cached = memo.get(entry) if memo is not None else None
        if cached is None:
            if len(text) > sample:
                key = text.casefold()
            else:
                key = word_keys.get(text) if word_keys is not None else None
                if key is None:
                    key = token_key(text.casefold(), table_bytes)
                    if word_keys is not None:
                        word_keys[text] = key
            cached = (key, base(text, stops, sample, table_bytes), len(text.split()))
            if memo is not None:
                memo[entry] = cached
        key = (<tuple>cached)[0]
        row = <list>(<tuple>cached)[1]
        for c in range(ncols):
            o[k, c] = <double>row[c]
        nwords[k] = (<tuple>cached)[2]
        keys[k] = key
        seen[key] = seen.get(key, 0) + 1
    for k in range(n):
        o[k, repeated] = 1.0 if seen[keys[k]] > 1 else 0.0
    return out, nwords


def score_context(const double[::1] z, double mean, const Py_ssize_t[::1] order, boxes):
    """classifier._score_context_python on already clipped scores ``z``, given their mean (numpy's
    pairwise sum, taken by the caller) and their stable ascending ``order``: the same columns
    (classifier.SCORE_CONTEXT, in that order) to the bit. Running sums add in document order as
    numpy's cumsum and bincount do; the containers are told apart by their rows' values, as
    numpy's unique over rows tells them apart (-0.0 equals 0.0; a row holding NaN equals no other)."""
    cdef Py_ssize_t n = z.shape[0], k, j, lo, hi, g, ngroups
    out = np.zeros((n, 16))
    cdef double[:, ::1] o = out
    if n == 0:
        return out
    cdef double* cum = <double*>malloc((n + 1) * sizeof(double))
    cdef double* ahead = <double*>malloc((n + 1) * sizeof(double))
    if cum == NULL or ahead == NULL:
        free(cum)
        free(ahead)
        raise MemoryError()
    cdef double top = z[0], lo_v, hi_v
    try:
        cum[0] = 0.0
        ahead[0] = 0.0
        for k in range(n):
            cum[k + 1] = cum[k] + z[k]
            ahead[k + 1] = ahead[k] + (1.0 if z[k] > 0 else 0.0)
            if z[k] > top:
                top = z[k]
        for k in range(n):
            o[k, 0] = z[k]
            o[k, 1] = z[k - 1] if k >= 1 else -8.0
            o[k, 2] = z[k + 1] if k + 1 < n else -8.0
            o[k, 3] = z[k - 2] if k >= 2 else -8.0
            o[k, 4] = z[k + 2] if k + 2 < n else -8.0
            lo = k - 3 if k >= 3 else 0
            hi = k + 4 if k + 4 <= n else n
            o[k, 5] = (cum[hi] - cum[lo]) / <double>(hi - lo)
            lo_v = hi_v = z[lo]
            for j in range(lo + 1, hi):
                if z[j] < lo_v:
                    lo_v = z[j]
                if z[j] > hi_v:
                    hi_v = z[j]
            o[k, 7] = lo_v
            o[k, 8] = hi_v
            lo = k - 10 if k >= 10 else 0
            hi = k + 11 if k + 11 <= n else n
            o[k, 6] = (cum[hi] - cum[lo]) / <double>(hi - lo)
            o[k, 9] = mean
            o[k, 10] = top
            o[k, 12] = ahead[k] / <double>k if k > 0 else 0.0
            o[k, 13] = (ahead[n] - ahead[k + 1]) / <double>(n - k - 1) if n - k - 1 > 0 else 0.0
        for k in range(n):
            o[order[k], 11] = (k / <double>(n - 1)) if n > 1 else 1.0
    finally:
        free(cum)
        free(ahead)
    if boxes is None:
        for k in range(n):
            o[k, 14] = o[k, 15] = z[k]
        return out
    cdef const double[:, ::1] bx = boxes
    cdef Py_ssize_t m = bx.shape[1]
    ids = {}
    group = np.empty(n, dtype=np.intp)
    cdef Py_ssize_t[::1] gr = group
    for k in range(n):
        key = tuple([bx[k, j] for j in range(m)])
        g = ids.get(key, -1)
        if g < 0:
            g = len(ids)
            ids[key] = g
        gr[k] = g
    ngroups = len(ids)
    sums = np.zeros(ngroups)
    counts = np.zeros(ngroups)
    tops = np.full(ngroups, -np.inf)
    cdef double[::1] s = sums, c = counts, t = tops
    for k in range(n):
        g = gr[k]
        s[g] = s[g] + z[k]
        c[g] = c[g] + 1.0
        if z[k] > t[g]:
            t[g] = z[k]
    for k in range(n):
        g = gr[k]
        o[k, 14] = s[g] / c[g]
        o[k, 15] = t[g]
    return out
