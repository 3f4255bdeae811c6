"""Extractor layer: ``shotcoder_route_site``, administration routes and anatomic sites.

Routes: "IM", "intramuscularly", "SQ", "subQ", "subcut", "IV push", "intra-articular", "PO" ...
mapped to the contract vocabulary. Guards: "IM nail"/"IM rod" is intramedullary, "subcutaneous
tissue" is anatomy, and lower-case two-letter abbreviations ("im", "sc", "po") count only right
after an amount or unit ("toradol 60 im"). Sites: laterality plus location ("L delt", "right
ventrogluteal", "RUOQ") and joints for intra-articular injections; a body part followed by "pain",
"fracture" and the like is a complaint, not a site.
"""

import itertools
import re

from spacy.language import Language
from spacy.tokens import Doc

from extractor.extensions import mentions, register_extensions
from extractor.mentions import Mention
from extractor.regexes import (
    ANY_BOX,
    CHECKED_BOX,
    EMPTY_BOX,
    GLUED_ROUTE,
    UNCHECKED_BEFORE,
    alternation,
    vocabulary,
)

_ANATOMY_AFTER_SUBCUT = re.compile(
    r"\s+(?:tissues?|fat|layers?|emphysema|nodules?|closure|sutures?|dissection|plane|"
    r"space|abscess|stitch|edema|mass)",
    re.IGNORECASE,
)
_COMPLAINT_AFTER_SITE = re.compile(
    r"\s*(?:pain|fracture|fx|arthritis|bursitis|tendinitis|tendonitis|replacement|x-?ray|"
    r"surgery|swelling|injury|strain|sprain|osteoarthritis|oa\b|effusion|mri|radiograph|"
    r"weakness|numbness|rash|lesion|wound|laceration)",
    re.IGNORECASE,
)
# "some soreness L arm x2d", "pain in the right buttock": a symptom's place, not an injection site
_COMPLAINT_BEFORE_SITE = re.compile(
    r"\b(?:sore(?:ness)?|pain(?:ful)?|tender(?:ness)?|swelling|swollen|redness|bruis(?:e|ing)|"
    r"itch(?:y|ing)?|numbness|tingling|weakness|rash|lump|knot|induration|ache|aching)"
    r"[ \t]+(?:(?:in|of|at|to|over|on)[ \t]+)?(?:(?:the|his|her|their|my)[ \t]+)?$",
    re.IGNORECASE,
)
_INFUSION_CUE = re.compile(
    r"\b(?:over\s+\d+\s*(?:min|minutes|hours?|hrs?)|infusion|infused|drip|piggyback|ivpb|"
    r"ml/hr|bag)\b",
    re.IGNORECASE,
)
_JOINT_CAPSULE_BEFORE = re.compile(
    r"\b(?:joint|anterior|posterior|superior|inferior|medial|lateral|hip|knee|shoulder|"
    r"glenohumeral|articular|renal|lens|internal)\s+$", re.I)
_AREA_AFTER = re.compile(r"\.?\s*(?:m|cm|mm|meters?|ft|feet|inch(?:es)?)\b|\.?\s*m2|²", re.I)
_IV_NOT_ROUTE = re.compile(
    r"\s*(?:drug|heroin|substance|access|line|site|catheter|fluids?|hydration|pole|tubing|"
    r"placement|was\s+started|started|team|antibiotics\s+were)\b", re.I
)
# "then PO challenge", "PO intake poor", "PO fluids", "PO absorption poor": the patient's drinking
# or gut, not a drug's route
_ORAL_NOT_ROUTE = re.compile(
    r"\s*(?:challenge|trial|intake|fluids?|liquids?|hydration|rehydration|tolerance|diet|"
    r"feeds?|feeding|absorption|status|access)\b", re.I)
_JOINT_INJECTION = re.compile(
    r"\b(?:inject\w*|intra-?articular\w*|aspirat\w*|arthrocentesis|corticosteroid\s+"
    r"injection|steroid\s+injection)\b",
    re.I,
)
# a procedure form's joint field: "Joint:    [ ] knee   [x] glenohumeral"
_JOINT_FIELD = re.compile(r"[ \t]*(?:joints?|joint\s+injected)[ \t]*:", re.I)
_IA_AFTER = re.compile(r"\s+(?:joint\s+)?(?:intra-?articular|IA)\b", re.I)
# "intra-articular injection, LEFT hip", "IA injection of the R hip"
_IA_BEFORE = re.compile(r"\b(?:intra-?articular|IA)\s+(?:injection|inj\.?)?\s*(?:,|of|into|to)?\s*"
                        r"(?:the\s+)?$", re.I)
# "no SC/IM vitamin K", "not IM", "avoid IM": a route ruled out, not the route given
_NEGATED_BEFORE = re.compile(
    r"\b(?:no|not|never|avoid|without)\s+(?:(?:IM|SC|SQ|IV|subq|sub-?Q|sub-?cut\w*|intramuscular\w*|"
    r"PO|oral)\s*(?:/|\bor\b|,)\s*)*$", re.I)
# "can not swallow the pills", "unable to tolerate PO", "can't keep anything down PO": the
# reason for an injection, not an oral route ("not" covers "can not", "does not", "will not")
_CANNOT_TAKE_BEFORE = re.compile(
    r"\b(?:cannot|can'?t|couldn'?t|won'?t|doesn'?t|unable\s+to|not\s+able\s+to|not|difficulty|"
    r"trouble)\s+(?:swallow(?:ing)?|tak(?:e|ing)|"
    r"keep(?:ing)?(?:\s+\w+)?\s+down|tolerat(?:e|ing))\s+(?:any(?:thing)?\s+|the\s+|her\s+|his\s+|"
    r"their\s+|its\s+)?$", re.I)
_UNCHECKED_AFTER = re.compile(rf"[ \t]*(?:{EMPTY_BOX})")


_LINE_UNCHECKED = re.compile(rf"[ \t]*(?:[-*\u2022][ \t]*)?(?:{EMPTY_BOX})")


def unchecked_option(text: str, start: int, end: int) -> bool:
    """Whether a checkbox form leaves this option unchecked.

    A line's boxes go either before their options ("Route: [x] IM  [ ] SQ") or after them
    ("Route:  IM [x]   SC [ ]"): after, when the line ends with a box. A line that opens with
    an empty box and checks nothing is an unchosen option whole ("[ ] Depo-Provera CI 150 mg/mL
    IM (deltoid / gluteal)").
    """
    le = text.find("\n", end)
    le = len(text) if le < 0 else le
    ls = text.rfind("\n", 0, start) + 1
    if _LINE_UNCHECKED.match(text, ls) and CHECKED_BOX.search(text, ls, le) is None:
        return True
    boxes = list(ANY_BOX.finditer(text, ls, le))
    if boxes and not text[boxes[-1].end() : le].strip():
        return _UNCHECKED_AFTER.match(text, end) is not None
    return UNCHECKED_BEFORE.search(text, max(0, start - 6), start) is not None


# "deltoid or gluteal", "deltoides o glúteo", "deltoïde ou fessier": alternatives
_OPTION_JOIN = re.compile(r"\s*(?:/|\bor\b|\bo\b|\bou\b)\s*", re.IGNORECASE)


def _drop_option_lists(text: str, sites: list[Mention]) -> list[Mention]:
    """Sites a product's label lists as alternatives are no documented site.

    "depo-subQ provera 104 SC (anterior thigh / abdomen)", "IM (deltoid or gluteal)": two
    side-less sites joined by a slash or "or". "R deltoid / L deltoid" (a split dose) stays.
    """
    drop: set[int] = set()
    for a, b in itertools.pairwise(sites):
        if (a.value[0] is None and b.value[0] is None
                and _OPTION_JOIN.fullmatch(text, a.end, b.start)):
            drop.update((a.start, b.start))
    return [m for m in sites if m.start not in drop]


_QUALIFIER_GAP = re.compile(r"[ \t]*[,:(\-][ \t]*|[ \t]+")


def _sided(text: str, sites: list[Mention]) -> list[Mention]:
    """A site whose side follows it as a second site is that one: "abdomen, RLQ".

    "Site: abdomen, L lower quadrant" names one site with its side, not a side-less abdomen.
    """
    drop = {a.start for a, b in itertools.pairwise(sites)
            if a.value[0] is None and b.value[0] is not None and a.value[1] == b.value[1]
            and _QUALIFIER_GAP.fullmatch(text, a.end, b.start)}
    return [m for m in sites if m.start not in drop]


# What a route abbreviation needs right before it when it could also be a word
_AMOUNT_BEFORE_SHORT = re.compile(r"(?:\d|mg|mcg|ml|cc|units?|g)(?:'?s)?\.?\s*$", re.I)
# "im/sq", "sc/im": a lower-case route paired with another by a slash is a route (a conflict)
_PAIRED_SHORT = re.compile(r"\b(?:im|sq|sc|subq)\s*/\s*$|^\s*/\s*(?:im|sq|sc|subq)\b", re.I)
# the amount may sit in the table cell before ("| Tubersol 0.1 mL | ID | L volar forearm |")
_AMOUNT_BEFORE_ID = re.compile(r"(?:\d|\bml|\bcc|\bTU)\.?\s*(?:\|\s*)?$", re.I)
_AMOUNT_BEFORE_SPOKEN_IM = re.compile(
    r"(?:\d|(?:\b|(?<=\d))(?:mg|mcg|ml|cc|units?|grams?|milligrams?|micrograms?|milligram's|cc's|"
    r"millilit(?:er|re)s?))\.?\s*$",
    re.I)
_SHORT_LOWER = {"im", "sc", "sq", "po", "iv"}
# a side and an injection site right after a lower-case route: "b12 inj, im l deltoid, 1820",
# "sq rt abd", "im to the left glute"
_SITE_AFTER_SHORT = re.compile(
    r"[ \t,]+(?:(?:to|in|into)[ \t]+(?:the[ \t]+)?)?(?:l|r|lt|rt|left|right)\.?[ \t]+"
    r"(?:upper[ \t]+(?:outer[ \t]+)?)?(?:delt\w*|glut\w*|dg|vg|ventro\w*|dorso\w*|thigh|"
    r"arm|abd\w*|vastus|buttock|hip|lat(?:eral)?[ \t]+thigh)\b", re.IGNORECASE)

# Routes typed in a hurry: "intramusc", "intramusclar", "subcutanous", "sub-cutaneus" (whole
# words; the vocabulary's exact forms are matched first; not "subcuticular", a suture line),
# and a route typed onto its unit ("30mgIM", "1mlSQ")
_ROUTE_TYPO = re.compile(
    r"(?<![A-Za-z])(?:intra[-\s]?mu?s[ck][a-z]*|sub[-\s]?cut[aeiou]{1,2}n[a-z]*)(?![A-Za-z])"
    rf"|(?<=\d(?:mg|ml|cc|mL)){GLUED_ROUTE}",
    re.IGNORECASE,
)


# "injected into the trochanteric bursa", "into the left subacromial bursa": into a named bursa
_INTO_BURSA = re.compile(r"\binto\s+the\s+(?:[a-z-]+\s+){1,2}bursa\b", re.IGNORECASE)


def _typo_route(word: str) -> str | None:
    """IM or SC for a misspelled route word, else None."""
    if word.startswith("intra"):
        return "IM"
    return "SC" if word.startswith("sub") else None


@Language.factory("shotcoder_route_site", assigns=["doc._.shotcoder_mentions"], default_config={})
def make_route_site(nlp: Language, name: str) -> "RouteSiteParser":
    """Build the route/site parser (spaCy factory)."""
    return RouteSiteParser(name=name)


class RouteSiteParser:
    """Tag ROUTE, SITE and JOINT mentions."""

    version = 1

    def __init__(self, *, name: str) -> None:
        """Compile the route and site vocabularies.

        Args:
            name: Component instance name.
        """
        register_extensions()
        self.name = name
        vocab = vocabulary()
        self.route_of = {w.lower(): r for r, words in vocab["routes"].items() for w in words}
        self.route_re = re.compile(
            rf"(?<![A-Za-z0-9]){'(?:' + alternation(list(self.route_of)) + ')'}(?![A-Za-z0-9])",
            re.IGNORECASE,
        )
        self.false_friends = re.compile(
            rf"\s*(?:{alternation(vocab['im_false_friends'])})\b", re.IGNORECASE
        )
        self.lat_of = {w.lower(): k for k, ws in vocab["laterality"].items() for w in ws}
        self.loc_of = {w.lower(): k for k, ws in vocab["locations"].items() for w in ws}
        self.composite = {k.lower(): v for k, v in vocab["composite_sites"].items()}
        self.joint_of = {w.lower(): k for k, ws in vocab["joints"].items() for w in ws}
        lat = alternation(list(self.lat_of))
        # a side written after its site ("Arm, posterior, left", "glúteo izquierdo", "deltoide
        # gauche"): the vocabulary's left and right words, not the bare "l"/"r" or abbreviations
        # with a point
        after = alternation([w for k in ("left", "right") for w in vocab["laterality"][k]
                             if len(w) > 1 and not w.endswith(".")])
        loc = alternation(list(self.loc_of))
        joint = alternation(list(self.joint_of))
        comp = alternation(list(self.composite))
        self.site_re = re.compile(
            # "upper outer quadrant of the L buttock": the quadrant, then the side
            rf"(?<![A-Za-z])(?:(?P<comp>{comp})|(?:(?:upper\s+outer|outer|upper|lower)\s+quadrant"
            rf"\s+(?:of\s+)?(?:the\s+)?(?=(?:{lat})\.?\s))?(?:(?P<lat>{lat})\.?\s*[)\-]?\s*"
            rf"(?:side\s+)?(?:(?:of\s+)?(?:the\s+)?)?)?"
            # "L post. upper arm", "R anterior mid thigh"
            rf"(?:(?:post|posterior|ant|anterior|mid|proximal|distal|medial)\.?\s+){{0,2}}"
            rf"(?:(?:upper\s+outer|outer|upper|lower)\s+(?:quadrant\s+(?:of\s+)?(?:the\s+)?)?)?"
            rf"(?P<loc>{loc})"
            # "Arm, posterior, left", "Thigh, anterolateral, right": an EHR's site list
            rf"(?:\s*(?:muscle|region|area|site))?(?:(?:\s*,\s*(?:upper|lower|posterior|post|"
            rf"anterior|ant|anterolateral|lateral|medial|outer|mid)\.?(?=\s*,))?"
            rf"\s*,?\s*\(?(?P<lat2>{after})\b\)?)?)"
            rf"(?![A-Za-z])",
            re.IGNORECASE,
        )
        self.joint_re = re.compile(
            rf"(?<![A-Za-z])(?:(?P<lat>left|right|lt|rt|l|r|bilateral)\.?\s+)?"
            r"(?:(?:thumb|index|long|middle|ring|small|little|great|big|first|second|third|fourth|"
            r"fifth|1st|2nd|3rd|4th|5th)(?:\s+(?:finger|toe|digit))?\s+)?"  # "Left thumb CMC"
            rf"(?P<joint>{joint})"
            rf"(?![A-Za-z])",
            re.IGNORECASE,
        )

    def __call__(self, doc: Doc) -> Doc:
        """Add ROUTE, SITE and JOINT mentions."""
        text = doc.text
        src = f"{self.name}@{self.version}"
        routes = []
        matches = list(self.route_re.finditer(text))
        taken = [(m.start(), m.end()) for m in matches]
        matches += [m for pattern in (_ROUTE_TYPO, _INTO_BURSA) for m in pattern.finditer(text)
                    if not any(s < m.end() and m.start() < e for s, e in taken)]
        for m in sorted(matches, key=lambda m: m.start()):
            word = re.sub(r"\s+", " ", m.group(0).lower())
            if _INTO_BURSA.fullmatch(word):
                word = "into the bursa"  # the vocabulary's route for any named bursa
            route = self.route_of.get(word) or _typo_route(word)
            if route is None:
                continue
            if word in ("i am", "i'm") and not _AMOUNT_BEFORE_SPOKEN_IM.search(
                    text, max(0, m.start() - 14), m.start()):
                continue  # "one thousand micrograms I am to the left deltoid", "zofran 4mg I'm R
                # delt" (autocorrect); "I am sending", "I'm concerned"
            if word in _SHORT_LOWER and m.group(0) != m.group(0).upper() and not (
                    _AMOUNT_BEFORE_SHORT.search(text, max(0, m.start() - 12), m.start())
                    or _SITE_AFTER_SHORT.match(text, m.end())
                    or _PAIRED_SHORT.search(text[max(0, m.start() - 6):m.start()])
                    or _PAIRED_SHORT.search(text[m.end():m.end() + 7])):
                # "30mg im" and "im l deltoid" are routes; a lower-case "im" elsewhere is a word
                continue
            if word == "id" and (m.group(0) != "ID" or not _AMOUNT_BEFORE_ID.search(
                    text, max(0, m.start() - 12), m.start())):
                continue  # "0.1 mL ID": intradermal; "patient ID", "ID verified": identity
            after = text[m.end() : m.end() + 30]
            if route == "IM" and self.false_friends.match(after):
                continue
            if unchecked_option(text, m.start(), m.end()):
                continue  # "[x] IM  [ ] SQ", "IM [x]  SC [ ]": the unchecked option is no route
            if word.startswith("sq") and _AREA_AFTER.match(after):
                continue  # "BSA 1.8 sq m" is an area ("subcutaneously in the deltoid" is not)
            if word.startswith("capsul") and _JOINT_CAPSULE_BEFORE.search(
                    text[max(0, m.start() - 30) : m.start()]):
                continue  # "anterior capsule", "joint capsule": anatomy, not a dosage form
            if route == "IV" and _IV_NOT_ROUTE.match(after):
                continue  # "IV drug abuse", "IV access", "IV fluids"
            if route == "ORAL" and _ORAL_NOT_ROUTE.match(after):
                continue  # "PO challenge 1630 passed"
            if _NEGATED_BEFORE.search(text, max(0, m.start() - 40), m.start()):
                continue  # "no SC/IM vitamin K": the route ruled out
            if route == "ORAL" and _CANNOT_TAKE_BEFORE.search(text, max(0, m.start() - 40),
                                                             m.start()):
                continue  # "can not swallow the pills": why the drug is injected
            if word.startswith("sub") and route == "SC" and _ANATOMY_AFTER_SUBCUT.match(after):
                continue
            if route == "IV":
                window = text[m.start() : m.end() + 80]
                route = "IV_INFUSION" if _INFUSION_CUE.search(window) else "IV_PUSH"
            routes.append(Mention(m.start(), m.end(), "ROUTE", route, src))
        sites = []
        for m in self.site_re.finditer(text):
            if _COMPLAINT_AFTER_SITE.match(text[m.end() : m.end() + 20]) or (
                    _COMPLAINT_BEFORE_SITE.search(text, max(0, m.start() - 30), m.start())):
                continue
            if unchecked_option(text, m.start(), m.end()):
                continue  # "Site: [ ] L deltoid  [X] R gluteal": the unchecked option is no site
            if m["comp"]:
                laterality, location = self.composite[m["comp"].lower()]
            else:
                loc_word = re.sub(r"\s+", " ", m["loc"].lower())
                location = self.loc_of.get(loc_word, "other")
                lat_word = (m["lat"] or m["lat2"] or "").lower().rstrip(".")
                laterality = self.lat_of.get(lat_word) if lat_word else None
                if loc_word in {"vl", "dg"} and not lat_word:
                    continue
            sites.append(Mention(m.start(), m.end(), "SITE", (laterality, location), src))
        sites = _sided(text, _drop_option_lists(text, sites))
        joints = []
        for m in self.joint_re.finditer(text):
            if _COMPLAINT_AFTER_SITE.match(text[m.end() : m.end() + 20]):
                continue
            lo = max(text.rfind("\n", 0, m.start()), text.rfind(". ", 0, m.start()), 0)
            hi_candidates = [i for i in (text.find("\n", m.end()), text.find(". ", m.end()))
                             if i >= 0]
            hi = min(hi_candidates) if hi_candidates else len(text)
            if unchecked_option(text, m.start(), m.end()):
                continue  # "Joint: [ ] knee  [x] glenohumeral": the unticked option
            if not (_JOINT_INJECTION.search(text, lo, hi)
                    or _JOINT_FIELD.match(text, text.rfind("\n", 0, m.start()) + 1)):
                continue  # "knee extensors", "elbow flexion", "index finger": anatomy
            lat_word = (m["lat"] or "").lower()
            laterality = self.lat_of.get(lat_word) if lat_word else None
            size = self.joint_of[re.sub(r"\s+", " ", m["joint"].lower())]
            joints.append(
                Mention(m.start(), m.end(), "JOINT", (laterality, m["joint"].lower(), size), src)
            )
        for m in sites:
            # "right hip intra-articular injection": a hip named as the joint injected (a bare
            # "R hip" is an IM site; "hip joint" is matched above)
            if (m.value[1] == "hip" and (_IA_AFTER.match(text, m.end) or _IA_BEFORE.search(
                    text, max(0, m.start - 45), m.start))
                    and not any(j.start <= m.start < j.end for j in joints)):
                joints.append(Mention(m.start, m.end, "JOINT", (m.value[0], "hip joint", "major"),
                                      src))
        joints.sort(key=lambda j: j.start)
        store = mentions(doc)
        store.update(ROUTE=routes, SITE=sites, JOINT=joints)
        return doc
