"""Name matching for the register's search: normal forms, keys and scores.

Pure Python with no database access, so that the ranking is the same whichever
database produced the candidates (issue 2, point 5). The database only narrows the
register to a bounded set of candidates through indexed keys (``selectors.py``);
every candidate is then scored here, in bulk.

A name is compared part by part: the query is split every plausible way into a
family name and given names (either order, since people type "SMITH John" as often
as "John Smith"), and each part is compared with tolerance for typing errors,
sound-alike spellings and nickname forms.
"""

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import NamedTuple

import jellyfish
from nicknames import NickNamer
from rapidfuzz import process
from rapidfuzz.distance import OSA, JaroWinkler

# Weights of the family name and the given names in a two-part match.
FAMILY_WEIGHT = 0.55
GIVEN_WEIGHT = 0.45
# A query whose parts are in the other order ("Smith John") ranks just below the
# same query in recorded order, so the order the user typed breaks ties.
SWAPPED_FACTOR = 0.98
# A query that names one part only is weaker evidence than one that names both.
FAMILY_ONLY_FACTOR = 0.95
GIVEN_ONLY_FACTOR = 0.9
# Matching one part of a double-barrelled family name ("Smith" for "Smith-Jones").
PART_OF_FAMILY_FACTOR = 0.9
# A query given name that matches a middle name rather than the first given name.
MIDDLE_NAME_FACTOR = 0.95
# Similarity given to a nickname form of the name ("Bill" for "William"), raised by
# up to 0.08 by spelling.
NICKNAME_SIMILARITY = 0.9
# Results scoring below this (out of 100) are not shown.
MIN_SCORE = 72.0
# At most this many query words are considered; more add nothing but cost.
MAX_QUERY_TOKENS = 6

_NICKNAMES = NickNamer()


# Letters that Unicode does not decompose into a plain letter and an accent.
_UNDECOMPOSED = str.maketrans(
    {
        "ł": "l",
        "Ł": "L",
        "ø": "o",
        "Ø": "O",
        "đ": "d",
        "Đ": "D",
        "ð": "d",
        "Ð": "D",
        "ß": "ss",
        "æ": "ae",
        "Æ": "AE",
        "œ": "oe",
        "Œ": "OE",
        "þ": "th",
        "Þ": "TH",
        "ı": "i",
    }
)


@lru_cache(maxsize=65536)
def normalise_name(text: str) -> str:
    """Lower case, without accents, apostrophes or hyphens; single spaces.

    "O'Brien" becomes "obrien", "Smith-Jones" becomes "smith jones".
    """
    decomposed = unicodedata.normalize("NFKD", (text or "").translate(_UNDECOMPOSED))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    plain = re.sub(r"['’‘`´]", "", plain)
    plain = re.sub(r"[^a-z0-9]+", " ", plain)
    return " ".join(plain.split())


def compact(text: str) -> str:
    """A normalised name without its spaces: "smith jones" -> "smithjones"."""
    return text.replace(" ", "")


# Spelling rules applied in order before the vowels are dropped. They fold the
# spellings of one sound together (ph/f/v, c/k/q, th/t, mps/ms), so that
# Stephen/Steven, Catherine/Kathryn and Thompson/Thomson share a key.
_KEY_RULES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), replacement)
    for pattern, replacement in (
        (r"^mac", "mc"),
        (r"^kn", "n"),
        (r"^gn", "n"),
        (r"^wr", "r"),
        (r"^ps", "s"),
        (r"^wh", "w"),
        (r"^chr", "kr"),
        (r"^x", "s"),
        (r"ph", "f"),
        (r"tch", "ch"),
        (r"sch", "sk"),
        (r"ch", "x"),
        (r"sh", "s"),
        (r"th", "t"),
        (r"ck", "k"),
        (r"c(?=[eiy])", "s"),
        (r"c", "k"),
        (r"q", "k"),
        (r"x", "ks"),
        (r"z", "s"),
        (r"g(?=[eiy])", "j"),
        (r"gh", "g"),
        (r"dg", "j"),
        (r"v", "f"),
        (r"mp(?=[st])", "m"),
    )
)


@lru_cache(maxsize=65536)
def name_key(word: str) -> str:
    """A sound-alike key for one normalised word (no spaces).

    The first letter is kept (a leading vowel becomes "a"), later vowels and the
    letters h, w and y are dropped, and doubled letters are collapsed.
    """
    if not word:
        return ""
    if word.isdigit():
        return word
    text = word
    for pattern, replacement in _KEY_RULES:
        text = pattern.sub(replacement, text)
    first = "a" if text[0] in "aeiouy" else text[0]
    rest = re.sub(r"[aeiouyhw]", "", text[1:])
    key = first
    for char in rest:
        if char != key[-1]:
            key += char
    return key[:30]


@lru_cache(maxsize=65536)
def _metaphone(word: str) -> str:
    return jellyfish.metaphone(word) if word else ""


@lru_cache(maxsize=65536)
def _nysiis(word: str) -> str:
    return jellyfish.nysiis(word) if word else ""


# Share of the gap to 1.0 closed by 0, 1, 2 or 3 agreeing phonetic codes.
_PHONETIC_SHARE = (0.0, 0.3, 0.5, 0.65)


@lru_cache(maxsize=16384)
def nickname_forms(word: str) -> frozenset[str]:
    """The word, its nicknames and the names it is a nickname of (the `nicknames`
    package's curated list): "bill" -> william, will, ...; "peggy" -> margaret."""
    if not word or word.isdigit():
        return frozenset({word})
    return frozenset({word} | _NICKNAMES.nicknames_of(word) | _NICKNAMES.canonicals_of(word))


def initial(word: str) -> str:
    """The first letter of a word's key: "Catherine" and "Kathryn" both give "k"."""
    return name_key(word)[:1]


# The first letters a key can have for a word typed with this first letter: the
# spelling rules depend on the second letter ("Gill" is "jl", "Gll" is "gl";
# "Cindy" is "snd", "Condy" is "knd"), and that letter may be the one mistyped.
_KEY_INITIALS = {
    "c": "ksx",
    "g": "gj",
    "k": "kn",
    "p": "pfs",
    "w": "wr",
    "s": "sx",
    "x": "s",
    "q": "k",
    "z": "s",
}


def initials_of(word: str) -> frozenset[str]:
    """The key initials a name could have, given this spelling of it."""
    first = "a" if word[:1] in set("aeiouy") else word[:1]
    return frozenset({initial(word), *_KEY_INITIALS.get(first, first)}) - {""}


class EntryFields(NamedTuple):
    """The index columns of one name a person is known by, in ``NameEntry``'s order."""

    display_name: str
    given_norm: str
    family_norm: str
    full_norm: str
    family_compact: str
    given_first: str
    given_key: str
    family_key: str
    given_initial: str


def entry_fields(given_names: str, family_name: str) -> EntryFields:
    given = normalise_name(given_names)
    family = normalise_name(family_name)
    family_flat = compact(family)[:100]
    first_given = given.split(" ")[0][:150] if given else ""
    display = " ".join(" ".join(p.split()) for p in (given_names, family_name) if p.strip())
    return EntryFields(
        display_name=display[:260],
        given_norm=given[:150],
        family_norm=family[:100],
        full_norm=" ".join(p for p in (given, family) if p)[:260],
        family_compact=family_flat,
        given_first=first_given,
        given_key=name_key(first_given),
        family_key=name_key(family_flat),
        given_initial=initial(first_given),
    )


# Longer words keep their variants to this length: enough to tell names apart.
MAX_VARIANT_LENGTH = 20


def deletion_variants(word: str) -> set[str]:
    """The word and the word with each one of its letters left out."""
    word = word[:MAX_VARIANT_LENGTH]
    variants = {word}
    if len(word) > 2:
        variants.update(word[:i] + word[i + 1 :] for i in range(len(word)))
    return variants


def words_of(fields: EntryFields) -> set[str]:
    """The words an entry is looked up by, for the dictionary of names (``NameWord``)."""
    return {w for w in (fields.given_first, fields.family_compact) if w}


@dataclass(frozen=True)
class Split:
    """One reading of the query: which words are the family name, which given."""

    family: str  # compact; "" when the query names given names only
    given: tuple[str, ...]
    swapped: bool = False


@dataclass
class PreparedQuery:
    """The query's words and the index keys the selectors look up."""

    text: str
    tokens: tuple[str, ...]
    splits: tuple[Split, ...]
    # Keys of every word or run of words that may be the family name.
    family_keys: frozenset[str]
    # Keys of every word that may be a given name, and of its nickname forms.
    given_keys: frozenset[str]
    # The same without the nickname forms (which can be many: "mary" has a dozen).
    typed_given_keys: frozenset[str]
    # The words typed, read as family names ("smith", "smithjones") and as given
    # names ("john", "jeanpaul").
    family_words: frozenset[str]
    given_words: frozenset[str]
    # The first two letters the keys of the family name and of the given names
    # (with their nickname forms) can have.
    family_key_prefixes: frozenset[str]
    given_key_prefixes: frozenset[str]
    # Every string the query compares with an entry's words.
    strings: tuple[str, ...] = field(default=())


def _key_prefixes(word: str) -> set[str]:
    key = name_key(word)
    if len(key) < 2:
        # "Le", "de", "Lee": one letter of key would match a twentieth of everyone.
        return set()
    return {first + key[1] for first in initials_of(word)}


def prepare(query: str) -> PreparedQuery:
    text = normalise_name(query)
    tokens = tuple(text.split())[:MAX_QUERY_TOKENS]
    n = len(tokens)
    splits: list[Split] = []
    if n:
        # The whole query as a family name: "Smith", "Smith Jones", "O Brien".
        if n <= 3:
            splits.append(Split(compact("".join(tokens)), ()))
        if n == 1:
            splits.append(Split("", tokens))
        for k in range(1, min(n - 1, 3) + 1):
            # Recorded order: given names first, then a family name of k words.
            splits.append(Split("".join(tokens[n - k :]), tokens[: n - k]))
            # Family name typed first ("SMITH John", or "Smith, John").
            splits.append(Split("".join(tokens[:k]), tokens[k:], swapped=True))
    family_words = {s.family for s in splits if s.family} | set(tokens)
    given_words = set(tokens)
    for split in splits:
        if len(split.given) > 1:
            given_words.add("".join(split.given))
    nick = set().union(*(nickname_forms(t) for t in tokens)) if tokens else set()

    def keys(words: Iterable[str]) -> frozenset[str]:
        return frozenset(name_key(w) for w in words) - {""}

    return PreparedQuery(
        text=text,
        tokens=tokens,
        splits=tuple(splits),
        family_keys=keys(family_words),
        given_keys=keys(given_words | nick),
        typed_given_keys=keys(given_words),
        family_words=frozenset(family_words),
        given_words=frozenset(given_words),
        family_key_prefixes=frozenset().union(*(_key_prefixes(w) for w in family_words)),
        given_key_prefixes=frozenset().union(*(_key_prefixes(w) for w in given_words | nick)),
        strings=tuple(sorted(set(tokens) | family_words | given_words)),
    )


@dataclass(frozen=True)
class Candidate:
    """One index row as the selectors read it."""

    entry_id: int
    nominal_id: object
    is_alias: bool
    display_name: str
    given_norm: str
    family_norm: str


class _Similarity:
    """Word-to-word similarity between the query's strings and the candidates'
    words, computed in bulk (one C loop per query string and measure)."""

    def __init__(self, query: PreparedQuery, words: Iterable[str]) -> None:
        self.query = query
        choices = sorted({w for w in words if w})
        self.base: dict[tuple[str, str], float] = {}
        for q in query.strings:
            jw = process.extract(q, choices, scorer=JaroWinkler.normalized_similarity, limit=None)
            osa = process.extract(q, choices, scorer=OSA.normalized_similarity, limit=None)
            osa_by_word = {w: s for w, s, _ in osa}
            for w, s, _ in jw:
                self.base[(q, w)] = (s + osa_by_word[w]) / 2

        self.memo: dict[tuple[str, str], float] = {}

    def __call__(self, q: str, w: str) -> float:
        value = self.memo.get((q, w))
        if value is None:
            value = self.memo[(q, w)] = self._compute(q, w)
        return value

    def _compute(self, q: str, w: str) -> float:
        if not q or not w:
            return 0.0
        if q == w:
            return 1.0
        sim = self.base.get((q, w))
        if sim is None:
            sim = (JaroWinkler.normalized_similarity(q, w) + OSA.normalized_similarity(q, w)) / 2
        base = sim
        # Sounds alike: each phonetic code that agrees (ours, Metaphone, NYSIIS)
        # closes part of the gap to a perfect match, so that spelling still orders
        # the sound-alikes and one typing error can outrank a different name that
        # merely sounds similar (Marin: Martin before Moran).
        votes = (
            (name_key(q) == name_key(w))
            + (_metaphone(q) == _metaphone(w))
            + (_nysiis(q) == _nysiis(w))
        )
        sim = base + (1 - base) * _PHONETIC_SHARE[votes]
        if len(q) == 1 and w.startswith(q):
            sim = max(sim, 0.75)  # an initial
        elif len(q) >= 3 and w.startswith(q):
            sim = max(sim, 0.8 + 0.1 * len(q) / len(w))  # "Chris" for "Christopher"
        if w in nickname_forms(q):
            # "Chris" is a nickname of Christopher and of Kristen: the spelling
            # decides between them.
            sim = max(sim, NICKNAME_SIMILARITY + 0.08 * base)
        return sim


def _given_similarity(sim: _Similarity, query_given: Sequence[str], given: Sequence[str]) -> float:
    if not given:
        return 0.0
    total = 0.0
    for position, q in enumerate(query_given):
        best = 0.0
        for index, word in enumerate(given):
            value = sim(q, word)
            if index != position:
                value *= MIDDLE_NAME_FACTOR
            best = max(best, value)
        total += best
    by_word = total / len(query_given)
    # "Jeanpaul" for "Jean-Paul", or "Jean Paul" for "Jeanpaul".
    joined = sim("".join(query_given), "".join(given))
    return max(by_word, joined)


def _family_similarity(sim: _Similarity, query_family: str, family: str) -> float:
    words = family.split()
    value = sim(query_family, compact(family))
    if len(words) > 1:
        value = max(value, PART_OF_FAMILY_FACTOR * max(sim(query_family, w) for w in words))
    return value


def score(sim: _Similarity, query: PreparedQuery, given_norm: str, family_norm: str) -> float:
    """Score (0-100) of one recorded name or alias against the query."""
    given = tuple(given_norm.split())
    if not family_norm or not given:
        # A single-part name, such as the nickname "Tiny".
        word = compact(given_norm or family_norm)
        whole = sim(compact(query.text), word)
        each = max((sim(t, word) for t in query.tokens), default=0.0)
        if len(query.tokens) > 1:
            each *= GIVEN_ONLY_FACTOR
        return round(100 * max(whole, each), 1)
    best = 0.0
    for split in query.splits:
        if not split.given:
            value = FAMILY_ONLY_FACTOR * _family_similarity(sim, split.family, family_norm)
        elif not split.family:
            value = GIVEN_ONLY_FACTOR * _given_similarity(sim, split.given, given)
        else:
            value = FAMILY_WEIGHT * _family_similarity(
                sim, split.family, family_norm
            ) + GIVEN_WEIGHT * _given_similarity(sim, split.given, given)
            if split.swapped:
                value *= SWAPPED_FACTOR
        best = max(best, value)
    return round(100 * best, 1)


def score_candidates(
    query: PreparedQuery, candidates: Iterable[Candidate]
) -> list[tuple[float, Candidate]]:
    """Every candidate with its score, in bulk; scores of repeated names are reused."""
    rows = list(candidates)
    words: set[str] = set()
    for row in rows:
        words.update(row.given_norm.split())
        words.update(row.family_norm.split())
        words.add(compact(row.family_norm))
        words.add(compact(row.given_norm))
    sim = _Similarity(query, words)
    cache: dict[tuple[str, str], float] = {}
    scored = []
    for row in rows:
        pair = (row.given_norm, row.family_norm)
        value = cache.get(pair)
        if value is None:
            value = cache[pair] = score(sim, query, *pair)
        scored.append((value, row))
    return scored


def trigram_similarity(left: str | None, right: str | None) -> float:
    """pg_trgm's ``similarity()``, for SQLite, so that candidates are ordered alike."""
    a, b = _trigrams(left or ""), _trigrams(right or "")
    if not a or not b:
        return 0.0
    common = len(a & b)
    return common / (len(a) + len(b) - common)


@lru_cache(maxsize=65536)
def _trigrams(text: str) -> frozenset[str]:
    grams: set[str] = set()
    for word in re.findall(r"[a-z0-9]+", text.lower()):
        padded = f"  {word} "
        grams.update(padded[i : i + 3] for i in range(len(padded) - 2))
    return frozenset(grams)
