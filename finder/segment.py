"""Chinese text into words with jieba, the same way for what is indexed and for what is typed.

PostgreSQL's full-text parser does not split Chinese: a run of characters is one "word" to it. So the
text is segmented here, in Python, and PostgreSQL gets words separated by spaces (config ``simple``),
which needs no database extension and works on the embedded server and on any managed PostgreSQL.

An indexed text is cut in jieba's search mode (each long word and the shorter words inside it:
城乡居民医疗保险 → 城乡 居民 城乡居民 医疗 保险 医疗保险); a typed word in its precise mode, so that
every word of the query is one the index holds for the same characters. jieba's dictionary ships inside
the package (no network); the tokenizer is built once per process, on first use (~1 s).
"""

from __future__ import annotations

import logging
import re
import threading
import unicodedata
from collections.abc import Iterable

import jieba

_lock = threading.Lock()
_tokenizer: jieba.Tokenizer | None = None

# Words too common to narrow anything; a query made only of them still searches for them.
STOP_WORDS = frozenset(
    [
        "的",
        "了",
        "和",
        "与",
        "及",
        "或",
        "在",
        "是",
        "为",
        "对",
        "等",
        "之",
        "把",
        "被",
        "从",
        "向",
        "有",
        "我",
        "要",
        "请",
        "吗",
        "呢",
        "啊",
        "哪些",
        "什么",
        "怎么",
        "关于",
    ]
)


def tokenizer() -> jieba.Tokenizer:
    """The process's one tokenizer, initialised on first use. Its cache file goes where jieba's own
    does (the temporary folder); without it jieba rebuilds the dictionary, a second slower."""
    global _tokenizer
    if _tokenizer is None:
        with _lock:
            if _tokenizer is None:
                jieba.setLogLevel(logging.WARNING)
                made = jieba.Tokenizer()
                made.initialize()
                _tokenizer = made
    return _tokenizer


def _is_word(token: str) -> bool:
    """Letters or digits in it: punctuation, spaces and symbols are not searched for."""
    return any(unicodedata.category(ch)[0] in "LN" for ch in token)


def _clean(token: str) -> str:
    return unicodedata.normalize("NFKC", token).strip().lower()


def index_words(text: str) -> list[str]:
    """The words of an indexed text, in order, long words followed by the shorter ones inside them."""
    found = (_clean(t) for t in tokenizer().cut_for_search(text or ""))
    return [t for t in found if t and _is_word(t)]


def query_words(text: str) -> list[str]:
    """The words of what someone typed, precise mode, without punctuation; stop words are dropped
    unless nothing else is left."""
    found = [_clean(t) for t in tokenizer().cut(text or "", HMM=False)]
    words = [t for t in found if t and _is_word(t)]
    meaningful = [w for w in words if w not in STOP_WORDS]
    return meaningful or words


def joined(words: Iterable[str]) -> str:
    """Words as PostgreSQL's ``simple`` parser reads them: one space between, nothing it would split."""
    return " ".join(re.sub(r"\s+", "", w) for w in words)
