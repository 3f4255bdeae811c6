"""Extractor layer: ``shotcoder_drug_matcher``, drug names from the knowledge-base lexicon.

Exact surface forms are matched on characters, not tokens, so "Kenalog-40", "Depo-Medrol®" and
"B12 1,000mcg" match whatever the tokenizer does with them; the matches also become a spaCy span
group (``shotcoder_drug``) that medspaCy's ConText scopes over. Misspellings ("ceftriaxon",
"rocephen") are caught by an optional edit-distance pass restricted to words of six or more
letters that share the first letter with a lexicon term, so short tokens never match fuzzily;
names spelled by ear ("fenergan", "rocefin", "zofrin") by a spelling-by-ear key that agrees
with the term's, or differs from it in one vowel; names a speech recognizer broke into words
("tour a doll sixty milligrams") only right before an amount, when the words share the name's
consonants and sound nearly like it.
"""

import re
from collections.abc import Sequence

from rapidfuzz import fuzz, process
from spacy.language import Language
from spacy.tokens import Doc

from extractor.extensions import mentions, register_extensions
from extractor.mentions import Mention
from extractor.phrase_index import PhraseIndex
from extractor.regexes import BARE_DEPO, DOSE, VOLUME, vocabulary
from extractor.settings import DrugTerm

SPANS_KEY = "shotcoder_drug"
_WORD = re.compile(r"[A-Za-z][A-Za-z\-]{5,}")
# "B12 level", "B12 deficiency", "testosterone level": a lab or a condition, not a drug given.
_NOT_DRUG_AFTER = re.compile(
    r"[\s-]*(?:levels?|deficien\w*|def\b|lab\w*|assay|panel|results?|was\s+low|is\s+low|"
    r"allerg\w*|lock|flush\w*|dependent|resistan\w*|pump|drip\s+rate|protocol\s+per\s+pharmacy|"
    r"induced|antibod\w*|sensitivity|intoleran\w*|program\w*|\d+(?:\.\d+)?\s*(?:ng|pg|ug|mcg|mg)/d?l)\b",
    re.IGNORECASE,
)
# "Inj. TT 0.5ml IM": the prescribing prefix, then a short abbreviation (vocabulary.json)
_INJ_PREFIXED = re.compile(r"\binj(?:ection)?\.?[ \t]*(?P<abbr>[A-Za-z]{2,3})\b", re.IGNORECASE)
# A med-spa's own name for its lipotropic mix: "Lipo-Slim", "Lipo-Lean #3/10", "LipoMax"
_LIPO_BRAND = re.compile(r"\b[Ll]ipo(?:-[A-Z][A-Za-z0-9]*|[A-Z][a-z]{2,})\b")
# A short abbreviation ("epi", "ns", "mtx") that is only the start of a longer hyphenated or
# apostrophised word ("epi-retinal", "NS's") is not the drug.
_WORD_GOES_ON = re.compile(r"[-'][A-Za-z]")
# Words that sit within edit distance of a drug name but are ordinary clinical English.
_FUZZY_STOP = frozenset(
    {
        "patient",
        "reports",
        "prednisone",
        "protonix",
        "heparin",
        "insulin",
        "history",
        "medical",
        "medication",
        "medications",
        "deltoid",
        "gluteal",
        "tolerated",
        "lorazepam",
        "diazepam",
        "clonazepam",
        "ondansetron",
        "promethazine",
        "thoracis",
        "rotate",
    }
)


def _sound_key(word: str) -> str:
    """A spelling-by-ear key: "fenergan" and "phenergan", "rocefin" and "rocephin" agree.

    An x is heard as "ks" ("I mitt tricks" and "Imitrex") and a z as an s ("so Fran", Zofran).
    """
    w = word.lower().replace("ph", "f").replace("ck", "k").replace("qu", "kw")
    w = re.sub(r"c(?=[eiy])", "s", w)
    w = w.replace("c", "k").replace("y", "i").replace("x", "ks").replace("z", "s")
    return re.sub(r"(.)\1+", r"\1", w)


# Letters a spoken word opens with but nobody says ("knox", "gnaw", "wrist", "psych"): a speech
# recognizer's "love Knox" is heard as "love nox", Lovenox
_SILENT_OPENING = re.compile(r"\b(?:k(?=n)|g(?=n)|w(?=r)|p(?=[sn]))", re.IGNORECASE)


def _heard_key(run: str) -> str:
    """The spelling-by-ear key of a run of words, each word's silent opening letter dropped."""
    return _sound_key(re.sub(r"[\s.-]+", "", _SILENT_OPENING.sub("", run)))


def _one_vowel_apart(a: str, b: str) -> bool:
    """Same length, same letters but one vowel: "zofrin" and "zofran", "toradal" and "toradol"."""
    if len(a) != len(b):
        return False
    diff = [(x, y) for x, y in zip(a, b, strict=True) if x != y]
    return len(diff) == 1 and diff[0][0] in "aeiou" and diff[0][1] in "aeiou"


def _skeleton(key: str) -> str:
    """The consonants of a spelling-by-ear key, t and d alike: "tour a doll" and "toradol"."""
    w = key[:1] + re.sub(r"[aeiouwhy]", "", key[1:])
    return re.sub(r"(.)\1+", r"\1", w.replace("d", "t"))


def _vowel_form(key: str) -> str:
    """A key's beat: its consonants, each vowel run as one "a", h silent after the first letter.

    "toward all" and "toradol" read "tawardal" and "taradal", "pro leah" and "prolia" both
    "prala": a recognizer keeps a name's consonants and syllables, not its vowels. A w after a
    vowel and before none is part of the vowel ("row gam" and "rhogam" both "ragam").
    """
    key = key[:1] + re.sub(r"(?<=[aeiou])w(?![aeiou])", "", key[1:].replace("h", ""))
    return re.sub(r"[aeiou]+", "a", key)


# A drug name a speech recognizer broke into words ("tour a doll sixty milligrams", "row seffin
# one gram", "beta methasone 12 mg"): two to four words on one line, right before an amount
# (a spoken initial keeps its period: "By Sillin L. A." is Bicillin L-A)
_SPOKEN_RUN = re.compile(r"[A-Za-z]+(?:(?:[ -]|(?<=\b[A-Za-z])\.[ ]?)[A-Za-z]+){1,3}")
_AMOUNT_SOON = 40
_SPOKEN_MIN_SCORE = 80
# Words that sound like a name by their beat alone ("pro leah sixty milligrams" for Prolia,
# "toward all 60 mg" for Toradol) when they run right up to the amount, have the name's
# syllables, and neither open nor close on an ordinary little word ("we gave 60 mg" is not
# Wegovy, "pt was on 5 mg" not Pitocin, "steroid today 40 mg" not Cetrotide). A skeleton of
# three consonants must beat the same and still spell close ("min via 10 mL" beats like Menveo
# but is spelled far from it).
_SPOKEN_VOWEL_SCORE = 80
_SHORT_SKELETON = 3
_SHORT_SKELETON_SCORE = 70
_CLOSING_LITTLE_WORDS = frozenset("the at of to on in for with by and or".split())
_RUN_TO_AMOUNT = re.compile(r"[ \t]*\Z")
_LITTLE_WORDS = frozenset(
    "a an the and or of on in at to for by as is was are were be been we he she it i you they "
    "pt him her his them this that then than so per no not did do does had has have gave give "
    "given got get use used take took via min over with from into after before today now "
    "here also again dose".split()
)


# What joins a combination product's two parts: "A/B", "A + B", "A and B", "A & B"
_JOINS_PARTS = re.compile(r"\s*(?:/|\+|&|\band\b|\bwith\b)\s*", re.IGNORECASE)
# A parenthesis right after a name, up to its close on the same line
_PAREN_AFTER = re.compile(r"[ \t]*[(\[][^()\[\]\n]{0,160}[)\]]")
_NEXT_WORD = re.compile(r"[ \t]+(?P<w>[A-Za-z]{5,})\b")
# The one or two words right before a name on its line
_WORDS_BEFORE = re.compile(r"(?:\b(?P<a>[A-Za-z]+)[ \t]+)?\b(?P<b>[A-Za-z]+)[ \t]+\Z")
_NEXT_TWO_WORDS = re.compile(r"[ \t]+(?P<w>[A-Za-z]{2,})[ \t]+(?P<v>[A-Za-z]{2,})\b")
_CONTRACEPTION = re.compile(
    r"\bcontracept\w*|\bbirth[ \t]+control\b|\bfamily[ \t]+planning\b|\bZ30\.\w", re.IGNORECASE)
_IMMUNOTHERAPY = re.compile(r"\bimmunotherapy\b", re.IGNORECASE)
# What allergen extracts are made from, in both readers below
_ALLERGEN_SOURCE = (
    r"trees?|grass(?:es)?|weeds?|ragweed|(?:dust\s+)?mites?|molds?|moulds?|pollens?|dander")
_ALLERGENS = re.compile(
    rf"\b(?:{_ALLERGEN_SOURCE}|cockroach|d\.\s?(?:pteronyssinus|farinae|pter))\b",
    re.IGNORECASE,
)
# A note about allergy shots: "Allergy injection record", "alergy shot log", "SCIT", "1:1 v/v"
_ALLERGY_SHOTS = re.compile(
    r"\bal{1,2}erg(?:y|en|ic)\b[^\n]{0,30}?\b(?:shots?|inj\w*|immunotherapy|extracts?|vials?)\b"
    r"|\bimmunotherapy\b|\bSCIT\b|\b[wv]/v\b",
    re.IGNORECASE,
)
# What an extract vial holds: "tree/grass/ragweed", "Cat/dog", "dust mite (D.f./D.p.)", "Mite",
# "pollen mix"; run of such words joined by "/", ",", "&", "-" or "and"
_ALLERGEN_WORD = (
    rf"(?:{_ALLERGEN_SOURCE}|cockroach(?:es)?|cats?|dogs?"
    r"|d\.\s?(?:pteronyssinus|farinae|far|pter|f|p)\.?)"
)
_ALLERGEN_RUN = re.compile(
    rf"\b{_ALLERGEN_WORD}(?:[ \t]*(?:/|,|&|-|\band\b)[ \t]*{_ALLERGEN_WORD})*"
    rf"(?:[ \t]+mix(?:ture)?\b)?",
    re.IGNORECASE,
)
# The vial's volume on the allergen's line, within a table row's reach: "| 1:10 v/v | 0.30 mL"
_ROW_VOLUME_AHEAD = 70
# "Vial: Maintenance - trees/grass mix 1:1 v/v", then "Dose: 0.50 mL  Route: SC" on the next line
_ROW_FIELD_NEXT = re.compile(r"\n[ \t]*(?:dose|vol(?:ume)?|amount)\b", re.IGNORECASE)
# "0.5 mL of the tree/grass/weed vial"
_VOLUME_OF_BEFORE = re.compile(
    VOLUME.pattern + r"[ \t]+of[ \t]+(?:the[ \t]+|her[ \t]+|his[ \t]+)?\Z", re.IGNORECASE)


def _could_be_heard(run: str, term: str) -> bool:
    """Whether a run's end words could be a name a recognizer split.

    A little word heard as a syllable may open it ("by sillin", "in vega sustain a"), but an
    article or preposition does not close it ("flush the 1000 cc" is not a flu shot); a lone
    consonant does not open it ("g one-half tablet" is not Gonal-f) and closes it only as the
    name's own last letter ("vitamin C 500 mg" is not vitamin K).
    """
    words = run.lower().replace("-", " ").split()
    first, last = words[0], words[-1]
    if len(first) == 1 and first not in "aeiou" or last in _CLOSING_LITTLE_WORDS:
        return False
    return len(last) > 1 or last in "aeiou" or term.lower().endswith(last)


def _same_beat(run: str, key: str, term_key: str, skeleton_len: int) -> bool:
    """Whether a run of words with a term's consonant skeleton also has the term's beat."""
    words = run.lower().replace("-", " ").split()
    if words[0] in _LITTLE_WORDS or words[-1] in _LITTLE_WORDS:
        return False
    beat, term_beat = _vowel_form(key), _vowel_form(term_key)
    if beat.count("a") != term_beat.count("a"):
        return False
    if skeleton_len <= _SHORT_SKELETON:
        return beat == term_beat and fuzz.ratio(key, term_key) >= _SHORT_SKELETON_SCORE
    return fuzz.ratio(beat, term_beat) >= _SPOKEN_VOWEL_SCORE


class DrugMatcher:
    """Tag drug names; each mention's value is the matching :class:`DrugTerm`."""

    version = 1

    def __init__(
        self, *, name: str, terms: Sequence[DrugTerm], fuzzy: bool, fuzzy_min_score: float
    ) -> None:
        """Compile the lexicon.

        Args:
            name: Component instance name.
            terms: Surface forms with their canonical drug.
            fuzzy: Whether to run the misspelling pass.
            fuzzy_min_score: rapidfuzz ratio threshold for the misspelling pass.
        """
        register_extensions()
        self.name = name
        self.prefixed: dict[str, str] = vocabulary().get("prefixed_abbreviations", {})
        self.by_term = {t.term.lower(): t for t in terms}
        self.index = PhraseIndex((t.term, t) for t in terms)
        self.fuzzy = fuzzy
        self.fuzzy_min_score = fuzzy_min_score
        by_letter: dict[str, list[str]] = {}
        for p in self.by_term:
            if len(p) >= 6 and p.isalpha():
                by_letter.setdefault(p[0], []).append(p)
        self.fuzzy_choices = by_letter
        # Misspellings by ear: one spelling-by-ear key per term, grouped by length and opening
        by_sound: dict[tuple[int, str], list[tuple[str, DrugTerm]]] = {}
        for p in self.by_term:
            if len(p) >= 6 and p.isalpha():
                key = _sound_key(p)
                by_sound.setdefault((len(key), key[:2]), []).append((key, self.by_term[p]))
        self.by_sound = by_sound
        # Names heard as several words: one consonant skeleton per term, kept when it is
        # long enough and names one drug only
        by_skeleton: dict[str, dict[str, tuple[DrugTerm, str]]] = {}
        for p, t in self.by_term.items():
            joined = re.sub(r"[\s-]+", "", p)
            if len(joined) >= 6 and joined.isalpha():
                key = _sound_key(joined)
                by_skeleton.setdefault(_skeleton(key), {})[t.name] = (t, key)
        self.by_skeleton = {k: next(iter(v.values())) for k, v in by_skeleton.items()
                            if len(v) == 1 and len(k) >= _SHORT_SKELETON}
        self._fuzzy_cache: dict[str, DrugTerm | None] = {}
        # Two-word names by their first word, for a misspelled second word ("haloperidol
        # decanaote", "testosterone enanthrate"): {"haloperidol": [("decanoate", term), ...]}
        second: dict[str, list[tuple[str, DrugTerm]]] = {}
        for p, t in self.by_term.items():
            first, _, rest = p.partition(" ")
            if rest and len(rest) >= 5 and rest.isalpha():
                second.setdefault(first, []).append((rest, t))
        self.second_words = second
        # Two-part names by their last part, with the first part's consonants and beat, for a
        # first part a speech recognizer split ("deep oh Medrol" is Depo-Medrol, "so loo Medrol"
        # Solu-Medrol): {"medrol": [("dp", "tapa", term), ...]}
        first_parts: dict[str, list[tuple[str, str, DrugTerm]]] = {}
        for p, t in self.by_term.items():
            head, sep, last = re.split(r"([ -])", p, maxsplit=1) if re.search(r"[ -]", p) \
                else (p, "", "")
            if sep and len(head) >= 3 and head.isalpha() and last.isalpha():
                key = _sound_key(head)
                first_parts.setdefault(last, []).append((_skeleton(key), _vowel_form(key), t))
        self.first_parts = first_parts
        # Combination products by their components: {"penicillin g benzathine", "penicillin g
        # procaine"} is Bicillin C-R, when a note spells the product out as its two parts
        names = {t.name for t in terms}
        combos: dict[frozenset[str], DrugTerm] = {}
        for t in terms:
            parts = frozenset(t.name.split(" and "))
            if len(parts) == 2 and parts <= names:
                combos.setdefault(parts, t)
        self.combos = combos

    def __call__(self, doc: Doc) -> Doc:
        """Add DRUG mentions and the ``shotcoder_drug`` span group."""
        text = doc.text
        found = [
            Mention(start, end, "DRUG", term, f"{self.name}@exact")
            for start, end, term in self.index.find(text)
            if not _NOT_DRUG_AFTER.match(text, end)
            and not (end - start <= 3 and _WORD_GOES_ON.match(text, end))
        ]
        if self.fuzzy and self.fuzzy_choices:
            found = [self._spoken_first_part(text, self._longer_name(text, m)) for m in found]
            found.extend(self._fuzzy(text, found))
            found.extend(self._spoken(text, found))
        found.extend(self._prefixed(text, found))
        found.extend(self._lipo_brand(text, found))
        found.extend(self._immunotherapy_log(text, found))
        found.extend(self._allergen_rows(text, found))
        found.sort(key=lambda x: x.start)
        if self.combos:
            found = self._combinations(text, found)
        mentions(doc)["DRUG"] = found
        spans = []
        for mention in found:
            if mention.source.endswith("allergen-vial"):
                continue  # a vial row takes its verdict from its row, as adapters' vial rows do
            span = doc.char_span(mention.start, mention.end, label="DRUG", alignment_mode="expand")
            if span is not None:
                span._.shotcoder_mention = mention
                spans.append(span)
        # A bare "Depo" is resolved to a product later (adapters); ConText scopes over it now
        # so that "Depo NOT given today" keeps its own status cue. In a note about contraception
        # ("Dx: contraceptive counseling (Z30.09)") it is Depo-Provera unless a later reading
        # finds another Depo drug named in full.
        meant = self.by_term.get("depo-provera") if _CONTRACEPTION.search(text) else None
        bare = [Mention(m.start(), m.end(), "BARE_DEPO", meant, f"{self.name}@bare-depo")
                for m in BARE_DEPO.finditer(text)
                if not any(f.start <= m.start() < f.end for f in found)]
        mentions(doc)["BARE_DEPO"] = bare
        for mention in bare:
            span = doc.char_span(mention.start, mention.end, label="DRUG", alignment_mode="expand")
            if span is not None:
                spans.append(span)
        doc.spans[SPANS_KEY] = sorted(spans, key=lambda sp: sp.start)
        return doc

    def _combinations(self, text: str, found: list[Mention]) -> list[Mention]:
        """Join a combination product written as its parts into the product.

        "penicillin G benzathine/penicillin G procaine" is one product (Bicillin C-R), not two
        drugs; so are the parts in parentheses right after the product's name ("Bicillin C-R
        (benzathine penicillin G 1.2 MU, procaine penicillin G 1.2 MU)"), which are dropped.
        """
        out: list[Mention] = []
        i = 0
        while i < len(found):
            m = found[i]
            nxt = found[i + 1] if i + 1 < len(found) else None
            combo = nxt and self.combos.get(frozenset((m.value.name, nxt.value.name)))
            if combo is not None and _JOINS_PARTS.fullmatch(text, m.end, nxt.start):
                out.append(Mention(m.start, nxt.end, "DRUG", combo, f"{self.name}@combination"))
                i += 2
                continue
            parts = self._parts(m)
            if parts:
                close = _PAREN_AFTER.match(text, m.end)
                j = i + 1
                while (close and j < len(found) and found[j].end <= close.end()
                       and found[j].value.name in parts):
                    j += 1
                if close and j > i + 1:
                    out.append(m)
                    i = j
                    continue
            out.append(m)
            i += 1
        return out

    def _parts(self, m: Mention) -> frozenset[str]:
        """The two parts' names when ``m`` names a combination product, else none."""
        parts = frozenset(m.value.name.split(" and "))
        return parts if parts in self.combos else frozenset()

    def _prefixed(self, text: str, found: list[Mention]) -> list[Mention]:
        """Read a short abbreviation as its drug right after an "Inj." prefix ("Inj. TT")."""
        out = []
        for m in _INJ_PREFIXED.finditer(text):
            term = self.by_term.get(self.prefixed.get(m["abbr"].lower(), ""))
            if term is not None and not any(f.start < m.end("abbr") and m.start("abbr") < f.end
                                            for f in found):
                out.append(Mention(m.start("abbr"), m.end("abbr"), "DRUG", term,
                                   f"{self.name}@prefixed"))
        return out

    def _lipo_brand(self, text: str, found: list[Mention]) -> list[Mention]:
        """Read a clinic's "Lipo-<name>" product as a lipotropic mix whose contents are unstated."""
        term = self.by_term.get("lipotropic injection")
        if term is None:
            return []
        return [Mention(m.start(), m.end(), "DRUG", term, f"{self.name}@lipo-brand")
                for m in _LIPO_BRAND.finditer(text)
                if not any(f.start < m.end() and m.start() < f.end for f in found)]

    def _immunotherapy_log(self, text: str, found: list[Mention]) -> list[Mention]:
        """Read "immunotherapy" as allergen extract in an allergy-shot log.

        A log that names only "immunotherapy" and its vials' allergens ("Immunotherapy log ...
        | Red #1 | Trees/grass mix | 0.40 mL | SC") is about allergen extract; "immunotherapy"
        alone (cancer immunotherapy) is not a drug.
        """
        term = self.by_term.get("allergen immunotherapy")
        if term is None or any(m.value.name == term.name for m in found):
            return []
        if not _ALLERGENS.search(text):
            return []
        return [Mention(m.start(), m.end(), "DRUG", term, f"{self.name}@immunotherapy")
                for m in _IMMUNOTHERAPY.finditer(text)][:1]

    def _allergen_rows(self, text: str, found: list[Mention]) -> list[Mention]:
        """Read each vial of an allergy-shot log as allergen extract.

        Such logs name what a vial holds, not a drug: "Vial 1 (trees/grass/ragweed) maint 1:1
        0.4 mls sub q L arm", "Cat/dog:  0.25 mL  SC  R arm", "0.5 mL of the cat/dog vial".
        In a note about allergy shots, an allergen named with a volume right before it or on
        its line after it (or in a "Dose:" field on the next line) is one vial's injection.
        A diagnosis ("allergic rhinitis due to pollen") carries no volume and is never read,
        nor is a run that qualifies a drug already named just before it on its line.
        """
        term = self.by_term.get("allergen extract")
        if term is None or not _ALLERGY_SHOTS.search(text):
            return []
        out: list[Mention] = []
        for run in _ALLERGEN_RUN.finditer(text):
            line_start = text.rfind("\n", 0, run.start()) + 1
            if any(m.start < run.end() and run.start() < m.end
                   or line_start <= m.end <= run.start()
                   and not VOLUME.search(text, m.end, run.start())
                   for m in found + out):
                continue  # "Allergenic extract (tree/grass)": the drug's own qualifier
            line_end = text.find("\n", run.end())
            line_end = len(text) if line_end < 0 else line_end
            ahead = text[run.end() : min(line_end, run.end() + _ROW_VOLUME_AHEAD)]
            if _ROW_FIELD_NEXT.match(text, line_end):
                next_end = text.find("\n", line_end + 1)
                ahead = text[run.end() : len(text) if next_end < 0 else next_end]
            if VOLUME.search(ahead) or _VOLUME_OF_BEFORE.search(text, line_start, run.start()):
                out.append(Mention(run.start(), run.end(), "DRUG", term,
                                   f"{self.name}@allergen-vial"))
        return out

    def _closest(self, word: str) -> DrugTerm | None:
        if word in self._fuzzy_cache:
            return self._fuzzy_cache[word]
        # Guard against ordinary words ("humeral" ~ "humira"): same first two letters, at
        # most one letter longer or shorter, and words of seven letters or more.
        choices = [c for c in self.fuzzy_choices.get(word[0], ())
                   if abs(len(c) - len(word)) <= 1 and c[:2] == word[:2] and len(c) >= 7]
        hit = process.extractOne(word, choices, scorer=fuzz.ratio,
                                 score_cutoff=self.fuzzy_min_score) if choices else None
        term = self.by_term[hit[0]] if hit else None
        if term is None:
            # heard, not read: "fenergan" (phenergan), "rocefin" (rocephin), "zofrin" (zofran)
            key = _sound_key(word)
            near = {t.name: t for k, t in self.by_sound.get((len(key), key[:2]), ())
                    if k == key or _one_vowel_apart(k, key)}
            term = next(iter(near.values())) if len(near) == 1 else None
        if len(self._fuzzy_cache) < 50_000:
            self._fuzzy_cache[word] = term
        return term

    def _longer_name(self, text: str, m: Mention) -> Mention:
        """The name with its misspelled second word: "haloperidol decanaote" is the decanoate.

        The word after an exact one-word match extends it to a two-word name when it is
        within the misspelling pass's distance of that name's second word; so do the next two
        words a speech recognizer made of it ("testosterone sip ionate"), when they run
        together to that distance or spell it by ear.
        """
        options = self.second_words.get(text[m.start:m.end].lower(), ())
        if not options:
            return m
        nxt = _NEXT_WORD.match(text, m.end)
        if nxt is not None:
            word = nxt["w"].lower()
            if any(rest == word for rest, _ in options):
                return m
            hits = {t.name: t for rest, t in options
                    if rest[0] == word[0] and fuzz.ratio(word, rest) >= self.fuzzy_min_score}
            if len(hits) == 1 and next(iter(hits)) != m.value.name:
                return Mention(m.start, nxt.end("w"), "DRUG", next(iter(hits.values())),
                               f"{self.name}@fuzzy")
        two = _NEXT_TWO_WORDS.match(text, m.end)
        if two is None:
            return m
        joined = (two["w"] + two["v"]).lower()
        key = _sound_key(joined)
        hits = {t.name: t for rest, t in options
                if fuzz.ratio(joined, rest) >= self.fuzzy_min_score
                or _sound_key(rest) == key}
        if len(hits) != 1 or next(iter(hits)) == m.value.name:
            return m
        return Mention(m.start, two.end("v"), "DRUG", next(iter(hits.values())),
                       f"{self.name}@spoken")

    def _spoken_first_part(self, text: str, m: Mention) -> Mention:
        """The name with the first part a speech recognizer split off it, before an exact match.

        "deep oh Medrol" is Depo-Medrol and "so loo Medrol" Solu-Medrol: the one or two words
        right before a name that is the last part of a two-part name extend it to that name
        when they have its first part's consonants and beat ("the Medrol" does not).
        """
        options = self.first_parts.get(text[m.start:m.end].lower(), ())
        if not options:
            return m
        before = _WORDS_BEFORE.search(text, max(0, m.start - 30), m.start)
        if before is None:
            return m
        for n in (2, 1):
            words = [w for w in (before["a"], before["b"])[2 - n:] if w]
            if len(words) != n:
                continue
            start = before.start("a") if n == 2 else before.start("b")
            key = _heard_key(" ".join(words))
            skeleton, beat = _skeleton(key), _vowel_form(key)
            hits = {t.name: t for head_skeleton, head_beat, t in options
                    if head_skeleton == skeleton and head_beat == beat}
            if len(hits) == 1 and next(iter(hits)) != m.value.name:
                return Mention(start, m.end, "DRUG", next(iter(hits.values())),
                               f"{self.name}@spoken")
        return m

    def _fuzzy(self, text: str, exact: list[Mention]) -> list[Mention]:
        out = []
        spans = [(e.start, e.end) for e in exact]
        for m in _WORD.finditer(text):
            word = m.group(0).lower().strip("-")
            if len(word) < 6 or word in self.by_term or word in _FUZZY_STOP:
                continue
            if any(s < m.end() and m.start() < e for s, e in spans):
                continue
            term = self._closest(word)
            if term is not None and not _NOT_DRUG_AFTER.match(text, m.end()):
                out.append(Mention(m.start(), m.end(), "DRUG", term, f"{self.name}@fuzzy"))
        return out

    def _spoken(self, text: str, known: list[Mention]) -> list[Mention]:
        """Drug names a speech recognizer wrote as several words, right before an amount.

        "tour a doll sixty milligrams" (toradol), "row seffin one gram" (rocephin), "beta
        methasone 12 mg": two to four words whose letters run together spell the name, or
        sound like it, and an amount follows on the same line within a few words.
        """
        out: list[Mention] = []
        taken = [(k.start, k.end) for k in known]
        for line in re.finditer(r"[^\n]+", text):
            for amount in (*DOSE.finditer(text, line.start(), line.end()),
                           *VOLUME.finditer(text, line.start(), line.end())):
                lo = max(line.start(), amount.start() - _AMOUNT_SOON)
                hit = self._spoken_before(text, lo, amount.start(), taken)
                if hit is not None:
                    taken.append((hit.start, hit.end))
                    out.append(hit)
        return out

    def _spoken_before(self, text: str, lo: int, hi: int,
                       taken: list[tuple[int, int]]) -> Mention | None:
        """The longest run of words in text[lo:hi] that spells a drug's name by ear."""
        words = list(re.finditer(r"[A-Za-z]+", text[lo:hi]))
        for n in (4, 3, 2):
            for i in range(len(words) - n + 1):
                first, last = words[i], words[i + n - 1]
                start, end = lo + first.start(), lo + last.end()
                if not _SPOKEN_RUN.fullmatch(text, start, end):
                    continue
                if any(s < end and start < e for s, e in taken):
                    continue
                joined = re.sub(r"[\s.-]+", "", text[start:end]).lower()
                term = self.by_term.get(joined)
                if term is None:
                    # same consonants, and spelled by ear nearly alike ("pt was on" shares
                    # oxytocin's consonants, not its sound)
                    key = _heard_key(text[start:end])
                    skeleton = _skeleton(key)
                    term, term_key = self.by_skeleton.get(skeleton, (None, ""))
                    if term is not None and not (
                        _could_be_heard(text[start:end], term.term)
                        and (len(skeleton) > _SHORT_SKELETON
                             and fuzz.ratio(key, term_key) >= _SPOKEN_MIN_SCORE
                             or _RUN_TO_AMOUNT.match(text, end, hi)
                             and _same_beat(text[start:end], key, term_key, len(skeleton)))
                    ):
                        term = None
                if term is not None:
                    return Mention(start, end, "DRUG", term, f"{self.name}@spoken")
        return None


@Language.factory(
    "shotcoder_drug_matcher",
    assigns=["doc.spans", "doc._.shotcoder_mentions"],
    default_config={"terms": [], "fuzzy": True, "fuzzy_min_score": 88.0},
)
def make_drug_matcher(
    nlp: Language, name: str, terms: list[dict[str, object]], fuzzy: bool, fuzzy_min_score: float
) -> "DrugMatcher":
    """Build the drug matcher (spaCy factory); ``terms`` are :class:`DrugTerm` dicts."""
    parsed = [DrugTerm.model_validate(t) for t in terms]
    return DrugMatcher(name=name, terms=parsed, fuzzy=fuzzy, fuzzy_min_score=fuzzy_min_score)
