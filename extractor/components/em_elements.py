"""Extractor layer: ``shotcoder_em_elements``, E/M content, setting, procedures and diagnoses.

E/M evidence (history, exam, decision making) comes from section headers and from the phrases
clinicians use in running prose; total time, new/established status and preventive visits from
their usual statements. Setting cues (telehealth, emergency department, urgent care) must describe
this encounter, so a cue followed by "yesterday" or "last week" is ignored. Diagnoses are explicit
ICD-10-CM codes and lexicon phrases that are not negated.
"""

import re
from collections.abc import Sequence

from spacy.language import Language
from spacy.tokens import Doc

from extractor.components.route_site import unchecked_option
from extractor.components.sections import section_at
from extractor.extensions import mentions, register_extensions
from extractor.mentions import Mention
from extractor.phrase_index import PhraseIndex
from extractor.regexes import EM_TIME, ICD10, NUMBER_WORDS, parse_amount
from extractor.settings import DiagnosisTerm

_I = re.IGNORECASE
HISTORY = re.compile(
    r"\b(?:(?:days?|nights?|weeks?|wks?|months?|mos?|years?|yrs?|hours?|hrs?)\s+ago|"
    r"establishing\s+care|"
    # "Fever 3 d", "Now 10 days of diffuse rash", "cough x2 wks"
    r"(?:fever|cough|pain|vomiting|diarrh\w+|rash|sore\s+throat|headache|symptoms|"
    r"congestion|swelling|itching|nausea|dysuria)\s+(?:x\s*|for\s+)?\d+\s*(?:d|days?|wks?|"
    r"weeks?|h|hrs?|hours?)\b|"
    r"\d+\s+(?:days?|weeks?|wks?|months?)\s+of\s+(?:\w+\s+){0,2}(?:fever|cough|"
    r"pain|vomiting|diarrh\w+|rash|sore|headache|symptoms|congestion|swelling|itch\w*|"
    r"nausea|dysuria|burning|discharge|non-itchy|diffuse|worsening)|"
    r"presents?\s+(?:with|today\s+with|for\s+evaluation|to\s+(?:clinic|the\s+office|"
    r"urgent\s+care)\s+(?:with|for))|(?:x|for|since)\s*\d+\s*(?:d|days?|wks?|weeks?|hrs?|"
    r"hours?|mo|months?)\b|since\s+(?:last\s+(?:night|evening|week)|yesterday|this\s+morning|"
    r"(?:mon|tues|wednes|thurs|fri|satur|sun)day)\b|(?:no|minimal|little|without|partial)\s+"
    r"relief|denies\s+(?:fever|chest|sob|nausea|vomiting|radicular|trauma|"
    r"headache)|stung|complain(?:s|ing)?\s+of|c/o|chief\s+complaint|history\s+of\s+present\s+"
    r"illness|hpi\b|pmh\s*(?::|none\b|neg(?:ative)?\b|unremarkable|non-?contributory|"
    r"significant\s+for)|past\s+medical\s+history\b|"
    r"reports?\s+(?:\d+|several|a|two|three)\s+(?:days?|weeks?|months?)|"
    r"onset\b|symptoms?\s+(?:began|started|for)|(?:\d+|two|three|several)[-\s](?:day|week|month)"
    r"\s+history|review\s+of\s+systems|\bros\b|denies\s+(?:si|hi|ah|vh|suicidal|homicidal|"
    r"pain|dizziness|dysuria|cough|shortness)\b|day\s+\d+\s+of\s+(?:her|his|the|\w+)|"
    r"(?:pain|severity|rated|headache|ha)\W{1,3}(?:is\s+|of\s+|at\s+)?\d{1,2}/10\b|"
    r"failed\s+(?:\w+\s+){0,2}(?:x\s*\d|trial|therapy|at\s+home)|"
    # interval history of a behavioural-health or addiction follow-up: "Cravings 1-2/10",
    # "Sleep improving", "mood stable", "no use since last visit"
    r"cravings?\b|sleep(?:ing)?\s+(?:\d|improv|better|worse|poor|well|ok\b|fine|fair)|"
    r"mood\s+(?:has\s+been\s+|is\s+|was\s+)?(?:stable|improv|better|worse|low|good|euthymic|"
    r"depressed|anxious)|(?:stable|good|low|depressed|anxious|improved)\s+mood|"
    r"no\s+(?:illicit\s+|opioid\s+|drug\s+)?(?:use|relapse)\b|"
    # pertinent negatives of the review of systems: "He has no bone pain", "No headache"
    r"no\s+(?:bone|chest|abdominal|back|joint|neck|flank|pelvic|testicular|ear|"
    r"throat)\s+pain|no\s+(?:cough|headache|hematuria|dysuria|vomiting|numbness|tingling|"
    r"heartburn|palpitations|syncope|shortness\s+of\s+breath)\b|"
    # the patient's own account: "She admits she stopped ...", "he has been more tired"
    r"(?:she|he|they|patient|pt)\s+(?:admits|describes|endorses|feels\s+(?:short|more|less|"
    r"tired|weak|dizzy|worse|better)|has\s+been\s+(?:more|less|having|feeling))\b)",
    _I,
)
EXAM = re.compile(
    r"\b(?:bp\s*:?\s*\d{2,3}/\d{2,3}|hr\s*:?\s*\d{2,3}\b|spo2|afebrile|nad\b|cvat|"
    r"cva\s+tenderness|abd\s+(?:soft|nt|non)|gu\s*:|msk\s*:|skin\s*:|ttp\b|"
    r"physical\s+exam(?:ination)?|on\s+exam(?:ination)?|exam(?:ination)?\s*(?::|reveals|"
    r"shows|notable)|\bpe\s*:|lungs?\s+(?:clear|with|have|are)|heart\s+(?:rrr|regular)|"
    r"\brrr\b|tender(?:ness)?\b|straight[-\s]leg\s+rais|neuro(?:logical)?(?:\s+exam)?\s*:|"
    r"heent|abdomen\s+(?:soft|non|is)|crackles|rhonchi|wheez|erythema|range\s+of\s+motion|"
    r"mental\s+status\s+exam|\bmse\b|affect\s+(?:is|was|appropriate|flat|congruent)|"
    # a psychiatrist's exam: "Mental status by video colon casually dressed ... affect mildly
    # constricted"
    r"mental\s+status(?=\s*(?::|colon\b|by\s+video|on\s+video|today|reveals|shows|-))|"
    r"affect\s+(?:mildly\s+|somewhat\s+)?(?:constricted|blunted|restricted|euthymic|labile|"
    r"reactive|bright)|"
    r"oriented\s+x\s*\d|pupils|tympanic|pharynx|reflexes|exam\s+(?:is\s+|was\s+)?(?:nonfocal|"
    r"non-focal|normal|unremarkable|benign|wnl)|nonfocal|fundi|neck\s+supple|conjunctivae?|"
    r"blood\s+pressure\s+(?:(?:today|here|in\s+clinic)\s+)?(?:is\s+|was\s+|of\s+)?\d{2,3}/\d{2,3}|"
    r"exam\s+today)",
    _I,
)
MDM = re.compile(
    r"(?:\b(?:impression|differential|diagnosed\s+with|likely|consistent\s+with|"
    # a dictated heading: "... no meningismus period new paragraph assessment migraine ..."
    r"(?:new\s+paragraph|next\s+paragraph|period)\s+assessment|"
    r"suspect(?:ed)?|concern\s+for|medical\s+decision|mdm\b|a/p\b|discussed\s+(?:treatment\s+)?"
    r"options|ordered\s+(?:labs|x-?ray|imaging|cbc|bmp|ua|urinalysis|ct|mri)|reviewed\s+(?:labs|"
    r"imaging|results|records|duplex|x-?ray|lfts?|cbc|bmp|cmp|a1c|psa|inr|tsh|"
    r"(?:his|her|their|the)\s+(?:labs|imaging|results))|nontoxic|appropriate\s+for\s+outpatient|"
    r"options\s+(?:were\s+)?(?:reviewed|discussed)|discussed\s+[^.\n]{1,60}?\s(?:vs\.?|versus)\s|"
    # prescription drug management and a discussion with another clinician
    r"(?:prescriptions?|rx|scripts?)\s+(?:(?:was|were)\s+)?(?:sent|written|called\s+in|"
    r"e-?prescribed)|e-?prescribed|"
    # "Rx: atovaquone-proguanil 250/100 mg daily": a prescription written, not a shot charted
    r"rx\s*:\s*(?![^\n]*\b(?:im|sq|sc|subq|sub-?q|subcut\w*|intramuscular\w*|inj\w*|shot)\b)"
    r"[a-z][\w/-]*(?:\s+[a-z][\w/-]*)?\s+\d+|d/w\s+(?:dr\b|id\b|cardiology|oncology|on[-\s]call|"
    r"(?:the\s+)?(?:attending|specialist|radiology|pharmacy))|"
    r"return\s+precautions|ed\s+precautions|"
    # risk counselling about a treatment: "reviewed ONJ risk", "discussed risks and benefits"
    r"(?:reviewed|discussed|counsel(?:l?ed|l?ing))\s+(?:\w+\s+){0,3}?(?:risks?|benefits|"
    r"alternatives)\b|(?:assessment|impression|diagnosis)\s+is|assessment\s+(?:and|&)\s+plan\b|"
    # a pre-travel or pre-treatment risk assessment: "Risk assessment/counseling: YF ...",
    # "Risk/counseling: rabies (animal work), typhoid ..."
    r"risk\s*(?:assessment|/\s*counsel\w*)\b|"
    r"clinically\s+diagnosed|my\s+impression|rule\s+out|r/o|med(?:ication)?\s+(?:mgmt|"
    r"management)|(?:x-?rays?|xr|ct|mri|labs|ultrasound|imaging|bone\s+scan|cbc|bmp|psa)\s+"
    r"(?:ordered|requested|to\s+be\s+obtained)|no\s+red\s+flags?|red\s+flags?\s+(?:reviewed|"
    r"discussed|absent|negative|none)|refer(?:red|ral)?\s+to|"
    # prescription drug management: "Start propranolol 20 BID", "add sertraline 25 mg daily"
    r"(?:start|add|increase|decrease|titrate|switch\s+to|change\s+to)\s+(?:[a-z][\w-]*\s+){1,2}"
    r"\d+(?:\.\d+)?\s*(?:mg|mcg|g|units?|milligrams?|micrograms?|grams?|bid|tid|qd|daily|qhs|"
    r"q\d+h)|"
    # return precautions for a symptom, not for the next shot
    r"(?:return|rtc|come\s+back|seek\s+care|go\s+to\s+(?:the\s+)?(?:er|ed))\s+(?:to\s+(?:the\s+)?"
    r"(?:er|ed)\s+)?(?:for|if)\s+(?:any\s+)?(?:[a-z]+\s+){0,2}?(?:worse\w*|fever|stridor|"
    r"retractions|bleeding|pain|symptoms|shortness|chest\s+pain|vomiting|rash|swelling|drooling)"
    r")\b|\b(?:assessment|impression|a/p)"
    r"\s*:|^[ \t]*(?:imp|assessment|a)[ \t]*[:.)-]|"
    # dictated without punctuation: "Assessment hyperemesis gravidarum, mild, O21.0"
    r"^[ \t]*(?:assessment|impression)[ \t]+(?:(?:and|&)[ \t]+plan[ \t]+|is[ \t]+)?(?=[a-z])|"
    # or run on after the exam: "... gait normal. Assessment migraine without aura, ..."
    r"(?<=[.!?][ \t])[ \t]*(?:assessment|impression)[ \t,]+(?!(?:of|was|were|tool|form|score|"
    r"scale|visit|only|today|by|per|done|completed|pending)\b)(?=[a-z]))",
    _I | re.MULTILINE,
)
DX_STATEMENT = re.compile(r"\b(?:dx|diagnos[ie]s)\s*:", _I)
NO_EM = re.compile(
    r"\b(?:no\s+(?:provider|physician|practitioner|md|doctor)\s+(?:evaluation|exam|visit|"
    r"assessment)|not\s+seen\s+by\s+(?:a\s+)?(?:provider|physician|md)|nurse[-\s](?:only\s+)?"
    r"visit|injection[-\s]only\s+visit|nurse\s+injection\s+visit|no\s+e/m|"
    # "Encounter Type: Nurse Only", "SATURDAY INJECTION CLINIC - RN ONLY"
    r"(?:nurse|rn|lpn)[- \t]only\b|"
    r"no\s+separate\s+(?:e/m|evaluation))",
    _I,
)
# "he will return for B12 next week, nurse visit booked 3/10": a later visit, not this one
_FUTURE_VISIT = re.compile(
    r"\b(?:return|rtc|f/u|follow[-\s]?up|schedul\w*|book\w*|next|will|due|arrange\w*|"
    r"recheck|re-?check|in\s+\d+\s*(?:d|days?|wks?|weeks?|mos?|months?)\b)", _I)
# "at the 01/14/2027 nurse visit", "for her nurse visit on May 12th": a visit named as another's
_VISIT_POINTER = re.compile(r"\bat\s+(?:(?:the|her|his|their)\s+(?:[\w/-]+\s+)?)?$|\bfor\s+"
                            r"(?:the|her|his|their)\s+(?:[\w/-]+\s+)?$", _I)
# "here for her nurse visit", "presents for the injection visit": this visit
_ARRIVED_FOR = re.compile(r"\b(?:here|present\w*|comes?|came|returns?|returned|arriv\w*|seen|"
                          r"in\s+today)\b[^.;\n]*$", _I)


def _at_that_visit(text: str, m: Mention) -> bool:
    """A visit the plan points to, not this one.

    "Prolia 60 mg SC at the 01/14/2027 nurse visit", "ordered Prolia 60 mg SC for her nurse
    visit on May 12th"; "she is here for her nurse visit" is this one.
    """
    before = text[max(0, m.start - 40) : m.start]
    if (point := _VISIT_POINTER.search(before)) is None:
        return False
    return point.group(0).lower().startswith("at") or not _ARRIVED_FOR.search(
        before, 0, point.start())


def _nursing_visit_title(text: str, src: str) -> list[Mention]:
    """The title of a nursing visit the nursing staff signs, with no practitioner's addendum.

    "RN Injection Visit - Men's Health (Dr. Pak in clinic)" ... "A: Primary hypogonadism on
    TRT" ... "G. Amsel, RN": the assessment is the nurse's, so a billed 99212 has no
    practitioner's evaluation behind it (EM-03).
    """
    body = text.strip()
    head = "\n".join(body.split("\n", _TITLE_LINES)[:_TITLE_LINES])
    title = NURSE_TITLE.search(head)
    last = body[body.rfind("\n") + 1:]
    if (title is None or not STAFF_SIGNATURE.fullmatch(last)
            or PRACTITIONER_ADDENDUM.search(text)):
        return []
    offset = len(text) - len(text.lstrip())
    return [Mention(title.start() + offset, title.end() + offset, "EM_NONE", None, src)]


def _other_visit(text: str, m: Mention, own_line: bool) -> bool:
    """A visit the text around ``m`` schedules or points to, not this one.

    "Next B12: 06/16/2026 (nurse visit)", "nurse visit booked 3/10", "at the 01/14/2027 nurse
    visit". With ``own_line`` the scheduling words must be on the mention's line: a header
    ("Injection visit 05/12/2026") is not excused by the line under it.
    """
    start, end = max(0, m.start - 30), m.end + 25
    if own_line:
        start = max(start, text.rfind("\n", 0, m.start) + 1)
        if (eol := text.find("\n", m.end)) >= 0:
            end = min(end, eol)
    return _FUTURE_VISIT.search(text[start:end]) is not None or _at_that_visit(text, m)


_BARE_NURSE_VISIT = re.compile(r"nurse[-\s]visit", _I)


NEW_PATIENT = re.compile(
    r"\b(?:new\s+patient|new\s+pt|establish(?:ing)?\s+care|first\s+visit\s+(?:to|with|at)|"
    r"initial\s+visit|never\s+been\s+seen)\b",
    _I,
)
ESTABLISHED = re.compile(
    r"\b(?:established\s+(?:patient|pt)|est\.?\s+pt|returns?\s+(?:for|to|today)|return\s+"
    r"visit|follow[-\s]?up\s+(?:visit|appointment|for)|f/u\b|last\s+seen|known\s+to\s+"
    r"(?:this|our)\s+(?:clinic|practice)|here\s+for\s+(?:her|his|their)\s+(?:monthly|"
    r"scheduled|regular|next)|presents\s+for\s+(?:her|his|their)\s+(?:monthly|scheduled|"
    r"regular|next)|"
    # a template's visit-type field or a demographic line's item: "Visit type: Est",
    # "38 y/o M, established."
    r"(?:visit|patient|pt)\s+(?:type|status)\s*:\s*est(?:ablished|\.|\b)|"
    r"(?<=,\s)established(?=\s*(?:[.,;)]|$)))",
    _I | re.MULTILINE,
)
# seen before by a physician of the same group: established whatever "first time with me" says
SAME_GROUP = re.compile(
    r"\b(?:followed\s+(?:in|at|by)\s+(?:our|this|the\s+same)\s+(?:practice|clinic|office|"
    r"group)|(?:seen|followed)\s+(?:here\s+)?by\s+my\s+(?:partner|colleague)|my\s+"
    r"(?:partner|colleague)'?s\s+patient)\b",
    _I,
)
PREVENTIVE = re.compile(
    r"\b(?:annual\s+(?:physical|exam|preventive|wellness|check[-\s]?up|visit)|preventive\s+"
    r"(?:visit|exam|medicine|care\s+visit)|wellness\s+(?:visit|exam)|well[-\s](?:woman|man|child|"
    r"visit|exam)|health\s+maintenance\s+(?:exam|visit)|routine\s+physical|complete\s+physical|"
    r"physical\s+exam\s+for\s+(?:work|school)|medicare\s+annual\s+wellness)\b",
    _I,
)
# A routine prenatal visit takes both: the fetal check and a word for the visit itself
FETAL_CHECK = re.compile(
    r"\b(?:fhts?|fhr|fetal\s+heart(?:\s+(?:tones?|rate))?|fundal\s+height|fh\s*:?\s*\d{2}\b)", _I)
PRENATAL_VISIT = re.compile(
    r"\b(?:prenatal|antenatal|global\s+(?:ob|obstetric)|(?:routine|return)\s+ob|"
    r"ob\s+(?:visit|check)|\d{1,2}\s*-?\s*(?:wk|week)\s+(?:visit|check|appt|appointment)|gtt|"
    r"glucola|glucose\s+(?:challenge|tolerance))\b",
    _I,
)
INJECTION_ONLY = re.compile(
    r"\b(?:here|presents?|returns?|comes?\s+in|came\s+in)\s+(?:today\s+)?(?:for|to\s+(?:get|receive))"
    r"\s+(?:(?:her|his|their|a|the|an)\s+)?(?:(?:scheduled|monthly|routine|regular|weekly|next|"
    r"usual|due)\s+){0,3}(?:[\w-]+\s+){0,3}?(?:injection|shot)s?\b",
    _I,
)
NOTHING_NEW = re.compile(r"\b(?:no\s+(?:new\s+)?(?:complaints|concerns|issues)|without\s+"
                         r"(?:new\s+)?complaints|no\s+changes?\s+since)\b", _I)
NURSE_VISIT = re.compile(
    r"\b(?:nurse\s+visit|nursing\s+note|nurse\s+note|injection\s+clinic|injection\s+visit|"
    r"injection\s+(?:record|log|sheet)|lai\s+clinic|"
    r"ma\s+visit|rn\s+(?:note|visit)|ma\s+note|nurse\s+injection|nurse[-\s]led\s+(?:clinic|visit))\b",
    _I,
)
# A nursing visit's title in the note's first lines: "RN Injection Visit - Men's Health",
# "Treatment Visit (RN)", "Visit type: Injection (RN)", "INFUSION ROOM -- NURSING"
NURSE_TITLE = re.compile(
    r"\b(?:RN|LPN|LVN|CMA|[Nn]urse|[Nn]ursing|NURSE|NURSING)\b[^\n]{0,25}?\b(?i:visit|note|"
    r"record)\b|\b(?i:visit|note|record|room)\b[^\n]{0,40}?(?:\((?:RN|LPN|LVN|MA|CMA)\)|"
    r"[-\u2013\u2014]+[ \t]*(?i:nursing)\b)")
# the note's last line a nursing staff member's signature: "G. Amsel, RN", "-- K. Obi, MA"
STAFF_SIGNATURE = re.compile(r"[^\n]{0,40}?,?[ \t]*\b(?:RN|LPN|LVN|CMA|RMA|MA)\b[^\n,]{0,20}\s*\Z")
_TITLE_LINES = 2
# "Seen by: Philippa Rowe, RGN, Sexual Health Nurse": the visit's own clinician is nursing
# staff (not "Seen by: K. Lee, RN and Dr. Patel")
SEEN_BY_STAFF = re.compile(
    r"\b(?i:seen\s+by)\s*:?[ \t]*(?:[A-Z][\w.'-]*[ \t]+){0,3}[A-Z][\w'-]*,?[ \t]*(?:RN|RGN|RMN|LPN|LVN|"
    r"MA|CMA|RMA)\b(?![ \t]*(?:,[ \t]*)?(?:and|&|/|\+|with)[ \t]+(?:Dr\b|[A-Z]))")
# "(see RN note)", "per nursing note": the practitioner's pointer to the nurse's part of the
# visit, not a nurse visit
_CROSS_REFERENCE = re.compile(r"\b(?:see|per|in|refer\s+to)\s+(?:the\s+)?$", _I)
# "PA addendum (S. Patel, PA-C): ...", "Provider note:", "Addendum (J. Cole, MD):": the
# practitioner's own part of the visit written under a nurse's note
PRACTITIONER_ADDENDUM = re.compile(
    r"^[ \t]*(?:(?:PA|NP|MD|DO|APP|APRN|FNP|provider|physician|practitioner)(?:-C)?\s+"
    r"(?:addendum|note|eval\w*)\b|addendum\s*\([^)\n]*\b(?:PA-C|PA|NP|MD|DO|APRN|FNP|DNP)\b)",
    re.I | re.M,
)
PRACTITIONER = re.compile(
    # "Seen today by Dr. Cole", "Dr. Sorensen (saw pt today)"
    r"\b(?:seen\s+(?:today\s+)?(?:and\s+(?:evaluated|examined)\s+)?by|evaluated\s+by|examined\s+by|"
    r"(?:dr\.?\s+(?:[A-Z]\.\s*)?[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?|physician|provider)\s*\(?\s*"
    # "Dr. Moreno (seen today)", "Dr. Pruitt stepped in - lungs clear, ok to give"
    r"(?:saw|evaluated|examined|to\s+bedside|seen\s+(?:today|this\s+visit)|stepped\s+in|"
    r"at\s+(?:the\s+)?bedside)|(?:given|administered)\s+by\s+(?:me|dr\.?\s+(?:[A-Z]\.\s*)?[A-Z][a-z]+|"
    r"(?:the\s+)?(?:physician|provider)))\b",
    _I,
)
SUPERVISION = re.compile(
    r"\b(?:direct(?:ly)?\s+supervis(?:ion|ed)|under\s+(?:the\s+)?supervision|"
    # "Ordering/on site: Dr. Marcus Abernathy": a label naming who is on site
    r"on[-\s]site\s*:\s*dr\.?\s+[a-z]|(?:physician|"
    # "Allergist on site: Dr. P. V.", "pediatrician present"
    r"provider|doctor|md|[a-z]{0,4}np(?:-bc|-c)?|pa(?:-c)?|"
    r"dr\.?\s+(?:[A-Z]\.\s*)?[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?|"
    r"[a-z]{3,}(?:ologist|ician|iatrist)|"
    r"allergist|internist|specialist|hospitalist|attending)"
    # "Dr. X (covering) on site", "Dr. Lindahl (in office today)", "Dr. M. Solberg (supervising,
    # in clinic)", "Dr. P. Lindgren, psychiatrist - on site today"
    r"(?:\s*\([^)]{1,25}\)\s+|\s*\(\s*(?:supervising,?\s*)?|\s*,\s*|\s*[-\u2013\u2014]\s*|\s+)"
    r"(?:was\s+|is\s+|"
    r"remained\s+)?(?:seeing\s+patients(?:\s+in\s+the\s+(?:office|clinic))?|on[-\s]"
    # "Dr. Iyer in ofc."
    r"site|present|in\s+(?:the\s+)?(?:office|ofc|clinic|building|bldg|suite)\b|"
    r"available\s+(?:on[-\s]site|in\s+(?:the\s+)?(?:office|clinic)))|supervising\s+(?:physician|provider|md)|incident[-\s]to)",
    _I,
)
# "No provider on site Saturdays", "no other provider in clinic": the supervision denied
_NO_ONE = re.compile(r"\b(?:no|not|without|w/o|nor)\s+(?:other\s+|supervising\s+|billing\s+)?$",
                     _I)
# "Dr. Feldman not in clinic today" (the name's pattern ignores case, so it reads "not")
_NOT_THERE = re.compile(r"\bnot\b", _I)
TEACHING = re.compile(
    r"\b(?:i\s+was\s+present|i\s+saw\s+and\s+examined|(?:was\s+)?physically\s+present|"
    r"present\s+for\s+the\s+(?:key|critical|entire)|agree\s+with\s+the\s+(?:assessment|plan|"
    r"findings)|teaching\s+physician|attending\s+(?:attestation|was\s+present|"
    r"present)|seen\s+and\s+examined\s+with\s+(?:the\s+)?resident|i\s+(?:have\s+)?seen\s+and\s+"
    r"examined|agree\s+with\s+(?:the\s+)?resident)",
    _I,
)
# not a "sub-intern", a fourth-year medical student (a student's note takes no GC)
RESIDENT = re.compile(r"\b(?:resident|pgy-?\d|(?<!sub-)(?<!sub)(?<!sub )intern)\b", _I)
SETTINGS: list[tuple[re.Pattern[str], str]] = [
    (
        re.compile(
            r"\b(?:telehealth|telemedicine|video\s+visit|virtual\s+visit|"
            r"via\s+(?:(?:secure|live|two-way|synchronous|real-time)\s+)?video|"
            r"video\s+(?:call|conference)|audio[-\s]only|telephone\s+visit|phone\s+visit|"
            r"conducted\s+(?:by|via)\s+(?:phone|telephone|video)|telephone\s+encounter|"
            r"phone\s+encounter|telephone\s+triage)\b",
            _I,
        ),
        "10",
    ),
    (
        re.compile(
            r"\b(?:emergency\s+(?:department|room)|course\s+in\s+the\s+(?:ed|er)\b|"
            r"\bED\s+(?:course|visit|provider|physician|"
            r"note|triage)|presents?\s+to\s+(?:the\s+)?(?:ed|er)\b|in\s+the\s+ED\s+today)",
            _I,
        ),
        "23",
    ),
    (re.compile(r"\burgent\s+care\b", _I), "20"),
    (
        # An operating room, anaesthesia or recovery room means a facility claim (POS-01)
        re.compile(
            r"\b(?:taken\s+to\s+the\s+operating\s+room|brought\s+(?:back\s+)?to\s+the\s+"
            r"operating\s+(?:room|suite)|operating\s+room\s+table|general\s+(?:endotracheal\s+)?"
            r"anesthesia\s+was|under\s+general\s+(?:endotracheal\s+)?anesthesia|"
            r"(?:transferred|taken)\s+to\s+(?:the\s+)?(?:pacu|recovery\s+room|post-?anesthesia)|"
            r"endotracheal(?:ly)?\s+intubated|monitored\s+anesthesia\s+care|endoscopy\s+(?:suite|"
            r"unit|lab)|(?:conscious|moderate|procedural|iv)\s+sedation|scope\s+was\s+(?:advanced|"
            r"inserted|introduced|passed)|cath(?:eterization)?\s+lab|labor\s+and\s+delivery|"
            r"delivery\s+room|pre-?operative\s+(?:holding|area)|prepped\s+and\s+draped|"
            r"pre-?operative\s+diagnosis|post-?operative\s+diagnosis|estimated\s+blood\s+loss|"
            r"procedures?\s+performed|operations?\s+performed|name\s+of\s+(?:the\s+)?procedure|"
            r"brought\s+to\s+the\s+(?:or|operating\s+room|endoscopy|cath)|getta?\b|"
            r"anesthesia\s*:\s*(?:general|mac|monitored|spinal|epidural|local\s+with)|"
            r"minor\s+or\b|same[-\s]day\s+surgery|recovery\s+room|pacu\b|"
            r"ambulatory\s+surgery|surgery\s+center|gastroscope|colonoscope|bronchoscope|"
            r"endoscope\s+was|transesophageal\s+probe|sheath\s+(?:was\s+)?(?:inserted|placed)|"
            r"french\s+sheath|cardiac\s+cath(?:eterization)?\s+lab|special\s+procedures?\s+unit|"
            r"(?:infant|baby)\s+was\s+delivered|vaginal\s+delivery|cesarean|c-section|\bnicu\b|"
            r"newborn\s+nursery|labor\s+and\s+delivery|(?:in|to)\s+the\s+operating\s+room|"
            r"outpatient\s+recovery|operating\s+room\s+recovery|discharged\s+to\s+(?:the\s+)?"
            r"recovery)\b",
            _I,
        ),
        "22",
    ),
    (
        re.compile(
            r"\b(?:discharge\s+summary|hospital\s+course|admission\s+date|date\s+of\s+admission|"
            r"(?:was|is|being|will\s+be)\s+admitted\b|intensive\s+care\s+unit|\bicu\b|"
            r"\bmicu\b|\bsicu\b|inpatient\s+(?:medications|team|service)|hospital\s+gown|"
            r"(?:prolonged\s+)?hospital\s+stay|course\s+on\s+admission|discharge\s+diagnos[ie]s|"
            r"continued\s+critical\s+care|autopsy|post-?mortem|decedent|(?:discontinue|continue|"
            r"hold|stop)\s+(?:all\s+)?iv\s+fluids|"
            r"hospital\s+day\s+(?:number\s+)?\w+)\b",
            _I,
        ),
        "21",
    ),
    (
        re.compile(
            r"\b(?:admitted\s+to|inpatient\s+(?:unit|floor|admission|stay)|hospital\s+day\s+"
            r"\d|hospitalist)\b",
            _I,
        ),
        "21",
    ),
    (re.compile(r"\b(?:skilled\s+nursing\s+facility|\bSNF\b|nursing\s+home\s+resident)", _I), "31"),
    # the practice names itself ("Cascadia Family Health Centers - a Federally Qualified Health
    # Center"); a referral elsewhere is not (_PAST_BEFORE)
    (re.compile(r"\b(?:federally[-\s]qualified\s+health\s+cent(?:er|re)s?|FQHC)\b", _I), "50"),
    (re.compile(r"\b(?:rural\s+health\s+clinic|RHC)\b", _I), "72"),
    (re.compile(r"\b(?:home\s+visit|house\s+call|home[-\s]based\s+primary\s+care|seen\s+(?:at|in)\s+"
                r"(?:her|his|their|the\s+patient's|the)\s+home)\b", _I), "12"),
]
_PAST_AFTER = re.compile(
    r"[^.\n]{0,40}\b(?:yesterday|last\s+(?:week|month|night|year)|ago|prior|"
    r"previously|earlier\s+this|on\s+\d{1,2}/\d{1,2}|(?:in|on)\s+(?:january|february|march|"
    r"april|may|june|july|august|september|october|november|december)\b)",
    _I,
)
_PAST_BEFORE = re.compile(
    r"\b(?:was\s+seen|been\s+seen|went|visited|been|discharged|sent|"
    r"recommended|go\s+to|return\s+to|follow\s+up|proceed\s+to|if|refer(?:red|ral)?|"
    # "per NP order from this morning's video visit (separate telehealth encounter, 09:20)":
    # an earlier encounter of the day, not this one
    r"this\s+morning's|separate)\b"
    r"[^.\n]{0,25}$",
    _I,
)
PROCEDURES = re.compile(
    r"\b(?:colonoscopy|egd|upper\s+endoscopy|endoscopy|bronchoscopy|cystoscopy|d\s*&\s*c|"
    r"dilation\s+and\s+curettage|bladder\s+instillation|nerve\s+block|digital\s+block|"
    r"(?:moderate|conscious|procedural)\s+sedation|laceration\s+repair|incision\s+and\s+"
    r"drainage|i\s*&\s*d|premedicat\w*|pre-?procedure|instillation|prior\s+to\s+(?:the\s+)?procedure|"
    r"during\s+(?:the\s+)?procedure|epidural|biopsy|"
    r"excision|local\s+anesthe(?:sia|tic)\s+(?:for|prior)|stress\s+(?:test|imaging|study)|"
    r"myocardial\s+perfusion|perfusion\s+(?:scan|imaging)|cardiac\s+catheterization|"
    # a transesophageal echo's "TEE", never the word ("right glue tee us" is a gluteus heard)
    r"angiogra(?:m|phy)|transesophageal|(?-i:\bTEE\b)|gastroscop\w*|sigmoidoscopy|polypectomy|"
    r"intubat\w*|for\s+sedation|sclerotherapy|instilled|facet\s+(?:joint\s+)?injection|"
    r"sacroiliac|radiofrequency|fluoroscop\w*)\b",
    _I,
)
_HOURS_BEFORE = re.compile(r"\b\d+\s*(?:h|hrs?|hours?|days?|d)[ \t]+$", _I)
# Injection procedures whose own code includes the injection: trigger points (20552/20553)
# and intralesional injection (11900/11901)
TISSUE_PROCEDURES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"\b(?:trigger[-\s]points?(?:\s+injections?)?|tpis?)\b", _I), "trigger_point"),
    (re.compile(r"\bintra[-\s]?lesional(?:ly)?\b", _I), "intralesional"),
    # dermatology's intralesional Kenalog: "ILK: Kenalog-10 ...", "IL Kenalog 10 mg/mL"
    (re.compile(r"\bILK\b|\bIL(?=\s+(?i:kenalog|triamcinolone|TAC|steroids?|injections?)\b)"),
     "intralesional"),
]
# Injection procedures named by their target, whose own code includes the injection (CPT 64405
# greater occipital nerve, 64455 plantar common digital nerves, 20550 tendon sheath, ligament or
# aponeurosis): "Procedure: Left greater occipital nerve block", "Injection, L 3rd interspace
# neuroma", "plantar fascia injection", "1st dorsal compartment injection". The target must
# sit next to an injection or block word: "occipital neuralgia" or "plantar fasciitis" alone
# is a diagnosis, not a procedure.
_LR = r"(?:(?:left|right|l|r|bilateral|bilat|b/l)\s+)?"
_NAMED_TARGETS = {
    "occipital_nerve": r"(?:(?:greater|lesser|third)\s+)?occipital\s+nerves?",
    "interdigital_nerve": r"(?:morton'?s?|interdigital|intermetatarsal|(?:\d(?:st|nd|rd|th)\s+)?"
                          r"interspace)\s+neuromas?|(?:interdigital|intermetatarsal|common\s+"
                          r"(?:plantar\s+)?digital)\s+nerves?",
    "tendon_sheath": r"plantar\s+fascia|(?:flexor\s+)?tendon\s+sheaths?|(?:first|1st)\s+dorsal\s+"
                     r"compartment|a-?1\s+pulley",
}
TISSUE_PROCEDURES += [
    (re.compile(r"\b(?:" + target + r")\s+(?:\w+\s+)?(?:blocks?|injections?|inj\b)"
                r"|\b(?:blocks?|injections?|injected)\s*[,:-]?\s*(?:(?:of|into|in|to|at)\s+)?"
                r"(?:the\s+)?" + _LR + r"(?:" + target + r")\b", _I), kind)
    for kind, target in _NAMED_TARGETS.items()
]
_COUNT = r"(?P<n>\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)"
TISSUE_COUNTS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(_COUNT + r"\s+(?:(?:separate|different|distinct|individual)\s+)?muscles?\b", _I),
     "muscle_count"),
    (re.compile(_COUNT + r"\s+(?:[a-z]+\s+){0,2}?(?:lesions?|keloids?|cysts?|scars?|nodules?|"
                r"plaques?|patch(?:es)?)\b", _I), "lesion_count"),
]
# The patient's age: "15 y/o F", "3 yo", "16-year-old", "age 15", "WELL CHILD 11 YR",
# "4 mo WCC", "6-week-old"; months and weeks are recorded as (number, unit)
AGE = re.compile(
    r"\b(?P<n>\d{1,3})\s*-?\s*(?:(?P<y>y/o\b|y\.o\.?|yo\b|years?[- ]old\b|yrs?[- ]old\b|"
    r"years?\s+of\s+age\b|(?:yrs?|y)\b\.?(?=\s*(?:[MF]\b|male|female|boy|girl))"
    # a child's age in years and months: "9 y 2 m", "1 yr 10 mo", "4 years 3 months"
    r"|(?:yrs?|years?|y)\b\.?,?\s*\d{1,2}\s*(?:m|mos?|months?)\b)"
    r"|(?P<m>(?:months?|mos?)[- ]old\b|(?:mo|mos|months?)\b(?=\s+(?:wcc|well|[MF]\b|male|female|"
    r"boy|girl|infant)))|(?P<w>(?:weeks?|wks?)[- ]old\b))"
    r"|\b(?:age[ds]?|aged)\s*:?\s*(?P<age>\d{1,3})\b(?!\s*(?:mo|month|week|wk|day))"
    r"|\bwell[- ](?:child|visit|check|adolescent)\W{0,3}(?P<wc>\d{1,2})\s*"
    r"(?P<wcu>yrs?|years?|mos?|months?)\b"
    # "Aaliyah P., 13 y, established": an age between commas
    r"|(?<=,\s)(?P<cn>\d{1,3})\s*(?:yrs?|y)\b\.?(?=\s*,)"
    # dictated: "Noah Pettersen eleven years old"
    r"|(?<![\w-])(?P<said>" + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True)) + r")[- ]+"
    r"(?:years?|yrs?)[- ]+old\b",
    _I,
)
# an age the patient once was ("when she was small, around five years old") or a thing's age
# ("the wheelchair ... is two years old") is not the patient's age today; "diabetic since age
# 12, now 16 y/o" still states it
_NOT_PATIENT_AGE = re.compile(
    r"(?:\b(?:when|until)\b(?:(?!\bnow\b)[^.;\n]){0,30}|\bsince\s+|\b(?:it|which|that)\s+"
    r"(?:is|was)\s+(?:about\s+|around\s+|nearly\s+)?)$", _I)
DOB = re.compile(r"\b(?:DOB|d\.o\.b\.|date\s+of\s+birth)\s*:?\s*(?P<d>\d{1,2}/\d{1,2}/\d{4}|"
                 r"\d{4}-\d{2}-\d{2})", _I)
# A physician or other qualified professional counselling about the vaccines (CODE-02 90460):
# "I counseled mom and Jaylen on each vaccine", "vaccine counseling provided by Dr. Ahn",
# "Dr. Ruiz discussed the HPV vaccine with the patient", "FNP reviewed HPV vaccine benefits".
# A first-person statement in a note signed by nursing staff is the nurse's (see the adapter).
_QHP = (r"(?:me\b|dr\.?\s|the\s+(?:physician|provider|attending)|[A-Z][\w.' -]{0,30}?,?\s*"
        r"(?:MD|DO|NP|PA-C|PA|FNP|APRN)\b)")
# "on the risks and benefits of MMR", "the risks/benefits of Tdap", "about side effects of HPV"
_RISKS_OF = (r"(?:the\s+)?(?:risks?|benefits|side\s+effects)(?:\s*(?:,|/|&|and)\s*(?:the\s+)?"
             r"(?:risks?|benefits|side\s+effects))*\s+of\s+(?:the\s+|her\s+|his\s+)?")
# "I counseled the patient and his mother on Tdap today": a vaccine named by its usual short name
_VACCINE_NAMES = (r"(?:shots|t?dap|td|hpv|mmrv?|varicella|gardasil|boostrix|adacel|"
                  r"men(?:acwy|b|actra|veo|quadfi)|bexsero|trumenba|flu\s+shot|prevnar|pcv\d*|"
                  r"hep(?:atitis)?\s*[ab]\s+(?:shot|series))")
_NOT_A_TALK_AFTER = r"(?!\s+(?:record|history|registry|status|card|log|results?|test(?:ing)?)s?\b)"
_VACCINE_WORD = (
    # an RSV antibody given as the season's immunization (96380) is named by itself
    r"(?:vaccines?|vaccinations?|immuni[sz]ations?|nirsevimab|beyfortus|each\s+component|"
    r"(?:(?:on|about|regarding)\s+"
    r"(?:the\s+|her\s+|his\s+)?(?:" + _RISKS_OF + r")?|" + _RISKS_OF + r")" + _VACCINE_NAMES + ")"
    + _NOT_A_TALK_AFTER
)
VACCINE_COUNSEL = re.compile(
    r"\b(?P<first>I|we)\s+(?:have\s+|personally\s+|also\s+)?(?:counsell?ed|discussed|reviewed|"
    r"explained|went\s+over)\b(?:[^\n]{0,160}?\b" + _VACCINE_WORD
    # "I discussed the MenACWY booster, HPV #2 and MenB with Tomas and his mom"
    + r"|\s+(?:the\s+|her\s+|his\s+)?" + _VACCINE_NAMES + _NOT_A_TALK_AFTER + r")\b"
    r"|\b(?:vaccine|immuni[sz]ation)\s+counsell?ing\b[^.\n]{0,40}?\bby\s+" + _QHP
    + r"|\bcounsell?ed\s+by\s+" + _QHP + r"[^.\n]{0,80}?\b" + _VACCINE_WORD + r"\b"
    r"|\b(?:physician|provider|attending|dr\.?\s+[A-Z][a-z]+|(?-i:MD|DO|NP|FNP|PA-C|PA|APRN))\s+"
    r"(?:counsell?ed|discussed|explained|reviewed|spoke\s+(?:with|to))\b[^.\n]{0,120}?\b"
    + _VACCINE_WORD
    # "FNP reviewed HPV vaccine benefits", not "the provider reviewed the vaccine record"
    + r"\b(?!\s+(?:record|history|registry|status|card|log)s?\b)",
    _I,
)
# "Counseled pt and mom on influenza vaccine": counsel with no subject, the writer's own (a
# practitioner's only in a note a practitioner writes; see the adapter)
WRITER_COUNSEL = re.compile(
    r"(?:^|(?<=[.;:\n])|(?<=[.;:]\s))[ \t]*(?:counsell?ed|discussed)[ \t]+(?:the[ \t]+)?"
    r"(?:pt|patient|parents?|mom|mother|dad|father|guardian|caregiver|family)\b"
    r"[^.\n]{0,60}?\b(?:on|about|regarding)\s+[^.\n]{0,60}?\b" + _VACCINE_WORD + r"\b",
    _I,
)
STUDIES = re.compile(
    r"\b(?:stress\s+(?:test|study|imaging|echo)|myocardial\s+perfusion|spect\b|pet\s+scan|"
    r"nuclear\s+(?:stress|medicine|study)|lexiscan|adenosine\s+stress|dobutamine\s+stress|"
    r"cardiac\s+cath\w*|angiogra\w*|endoscop\w*|colonoscop\w*|bronchoscop\w*|"
    r"transesophageal|ct\s+(?:scan|angiogra\w*)\s+with\s+contrast|mri\s+with\s+contrast)\b",
    _I,
)
DX_NEGATION = re.compile(
    r"(?:\bno\b|\bnot\b|\bdenies\b|\bdenied\b|\bwithout\b|\brule\s+out\b|\br/o\b|"
    r"\bnegative\s+for\b|\bfamily\s+history\s+of\b|\bfh\b|\bscreen(?:ing)?\s+for\b|"
    r"\bunlikely\b|\bruled\s+out\b|\bfree\s+of\b|\bif\b|\bprecautions\b|"
    # uncertain diagnoses are not coded in the outpatient setting (ICD-10-CM guideline IV.H)
    r"\blikely\b|\bprobabl[ey]\b|\bpossibl[ey]\b|\bsuspect(?:ed)?\b|\bquestionable\b|"
    r"\bconcern\s+for\b|\bvs\.?|\bversus\b|\bsigns\s+of\b)[^.\n;]{0,30}$",
    _I,
)
_ICD_BEFORE = re.compile(r"(?:icd(?:-?10)?(?:-?cm)?|dx|diagnos[ie]s|code|\()\W{0,4}$", _I)
_NOT_ICD_AFTER = re.compile(
    r"\s*(?:def\b|deficien|level|shot|inj|injection|vitamin|replacement|tabs?\b|1000|1,000)", _I
)
_ICD_AFTER = re.compile(r"\s*[)\]]|\s+[-–]\s+[A-Za-z]")
_NOT_DX_AFTER = re.compile(
    r"\s*(?:vaccin\w*|shots?|immuni[sz]ation|injections?|screen\w*|test\w*|level|levels|swab)\b", _I
)



def _years(m: re.Match[str]) -> int:
    """Whole years of an AGE match (an infant's months or weeks are 0 years)."""
    if m["wc"]:
        n = int(m["wc"])
        return n if m["wcu"].lower().startswith("y") else n // 12
    if m["age"] or m["cn"]:
        return int(m["age"] or m["cn"])
    if m["said"]:
        return int(float(NUMBER_WORDS[m["said"].lower()]))
    n = int(m["n"])
    return n // 12 if m["m"] else 0 if m["w"] else n

@Language.factory(
    "shotcoder_em_elements",
    assigns=["doc._.shotcoder_mentions"],
    default_config={"dx_terms": []},
)
def make_em_elements(nlp: Language, name: str, dx_terms: list[dict[str, str]]) -> "EmElements":
    """Build the E/M, setting and diagnosis parser (spaCy factory)."""
    return EmElements(name=name, dx_terms=[DiagnosisTerm.model_validate(t) for t in dx_terms])


class EmElements:
    """Tag E/M, setting, procedure and diagnosis mentions."""

    version = 1

    def __init__(self, *, name: str, dx_terms: Sequence[DiagnosisTerm]) -> None:
        """Compile the diagnosis lexicon.

        Args:
            name: Component instance name.
            dx_terms: Diagnosis phrases mapped to ICD-10-CM codes.
        """
        register_extensions()
        self.name = name
        self.dx_index = PhraseIndex((t.phrase, t.code) for t in dx_terms)

    def __call__(self, doc: Doc) -> Doc:
        """Add the mentions."""
        text = doc.text
        src = f"{self.name}@{self.version}"
        store = mentions(doc)

        def find(pattern: re.Pattern[str], label: str, value: object = None) -> list[Mention]:
            return [Mention(m.start(), m.end(), label, value, src) for m in pattern.finditer(text)]

        by_section = self._section_elements(doc, text, src)
        store["EM_HISTORY"] = find(HISTORY, "EM_HISTORY") + by_section["history"]
        store["EM_EXAM"] = find(EXAM, "EM_EXAM") + by_section["exam"]
        store["EM_MDM"] = [
            m
            for m in find(MDM, "EM_MDM")
            if section_at(doc, m.start) not in ("medications", "past_history")
        ]
        store["EM_MDM"] += by_section["assessment"]
        store["EM_DX"] = find(DX_STATEMENT, "EM_DX") + by_section["diagnosis"]
        # "A/P: ... Depo-Medrol 80 mg IM today - pt will come to the clinic at 1 pm (nurse
        # visit)": a nurse visit named after the practitioner's exam and assessment is the
        # nurse's part of the day, not a nurse-only encounter ("nurse-only visit" still is)
        exam_first = min((m.start for m in store["EM_EXAM"]), default=len(text))
        assessed_first = min((m.start for m in store["EM_MDM"]), default=len(text))
        store["EM_NONE"] = [m for m in find(NO_EM, "EM_NONE")
                            if not _other_visit(text, m, own_line=False)
                            and not (_BARE_NURSE_VISIT.fullmatch(text, m.start, m.end)
                                     and exam_first < m.start and assessed_first < m.start)]
        if not by_section["assessment"]:
            # A nurse/MA visit note with no assessment section is not a practitioner E/M.
            # "Nursing note (M. Kaur, RN, 14:50): ..." after the practitioner's exam and "Dx:"
            # is the nurse's part of a practitioner's visit, not a nurse visit; and a
            # practitioner's addendum with its own exam and "Dx:" below the nurse's note
            # is the practitioner's visit too
            exam_at = min((m.start for m in store["EM_EXAM"]), default=len(text))
            dx_at = min((m.start for m in store["EM_DX"]), default=len(text))
            exam_last = max((m.start for m in store["EM_EXAM"]), default=-1)
            dx_last = max((m.start for m in store["EM_DX"] + store["EM_MDM"]), default=-1)
            # the last practitioner's addendum or note with an exam and a Dx or an assessment
            # ("A: Croup, mild.") below it
            addendum_at = max((a.start() for a in PRACTITIONER_ADDENDUM.finditer(text)
                               if a.start() < exam_last and a.start() < dx_last), default=-1)
            store["EM_NONE"] += [m for m in find(NURSE_VISIT, "EM_NONE") + find(SEEN_BY_STAFF,
                                                                                "EM_NONE")
                                 if not _other_visit(text, m, own_line=True)
                                 and not _CROSS_REFERENCE.search(text, max(0, m.start - 12),
                                                                 m.start)
                                 and not (exam_at < m.start and dx_at < m.start)
                                 and m.start >= addendum_at]
        store["EM_NONE"] += _nursing_visit_title(text, src)
        if NOTHING_NEW.search(text):
            # "presents for her scheduled monthly B12 injection. No new complaints." is an
            # injection visit, whatever SOAP headings it wears.
            store["EM_NONE"] += find(INJECTION_ONLY, "EM_NONE")
        store["EM_TIME"] = [
            Mention(m.start(), m.end(), "EM_TIME",
                    int(parse_amount(m["minutes"] or m["minutes_first"])), src)
            for m in EM_TIME.finditer(text)
        ]
        store["EM_PATIENT_STATUS"] = (
            find(SAME_GROUP, "EM_PATIENT_STATUS", "established")
            + find(NEW_PATIENT, "EM_PATIENT_STATUS", "new")
            + find(ESTABLISHED, "EM_PATIENT_STATUS", "established")
        )
        store["EM_PREVENTIVE"] = find(PREVENTIVE, "EM_PREVENTIVE")
        fetal = find(FETAL_CHECK, "EM_PRENATAL")
        store["EM_PRENATAL"] = (fetal[:1] + find(PRENATAL_VISIT, "EM_PRENATAL")[:1]
                                if fetal and PRENATAL_VISIT.search(text) else [])
        store["AGE"] = [
            Mention(m.start(), m.end(), "AGE", _years(m), src) for m in AGE.finditer(text)
            if not _NOT_PATIENT_AGE.search(text, max(0, m.start() - 35), m.start())
        ]
        store["DOB"] = find(DOB, "DOB")
        store["VACCINE_COUNSEL"] = [
            Mention(m.start(), m.end(), "VACCINE_COUNSEL", bool(m["first"]), src)
            for m in VACCINE_COUNSEL.finditer(text)
        ] + [Mention(m.start(), m.end(), "VACCINE_COUNSEL", "writer", src)
             for m in WRITER_COUNSEL.finditer(text)]
        store["PRACTITIONER"] = find(PRACTITIONER, "PRACTITIONER")
        store["SUPERVISION"], store["SUPERVISION_DENIED"] = [], []
        for m in find(SUPERVISION, "SUPERVISION"):
            if (no := _NO_ONE.search(text, max(0, m.start - 25), m.start)) is not None:
                store["SUPERVISION_DENIED"].append(
                    Mention(no.start(), m.end, "SUPERVISION_DENIED", None, src))
            elif _NOT_THERE.search(text, m.start, m.end):
                store["SUPERVISION_DENIED"].append(
                    Mention(m.start, m.end, "SUPERVISION_DENIED", None, src))
            else:
                store["SUPERVISION"].append(m)
        store["TEACHING"] = find(TEACHING, "TEACHING") if RESIDENT.search(text) else []
        # "last dose 24 h pre-procedure": when a bridge dose stops before a later procedure
        store["PROCEDURE"] = [m for m in find(PROCEDURES, "PROCEDURE")
                              if not _HOURS_BEFORE.search(text, max(0, m.start - 20), m.start)]
        store["STUDY"] = find(STUDIES, "STUDY")
        store["TISSUE_PROCEDURE"] = [
            m for pattern, kind in TISSUE_PROCEDURES for m in find(pattern, "TISSUE_PROCEDURE", kind)
        ]
        store["TISSUE_COUNT"] = [
            Mention(m.start(), m.end(), "TISSUE_COUNT",
                    (kind, int(NUMBER_WORDS.get(m["n"].lower(), m["n"]))), src)
            for pattern, kind in TISSUE_COUNTS for m in pattern.finditer(text)
        ] if store["TISSUE_PROCEDURE"] else []
        settings = []
        for pattern, pos in SETTINGS:
            for m in pattern.finditer(text):
                if _PAST_AFTER.match(text, m.end()) or _PAST_BEFORE.search(
                    text[max(0, m.start() - 40) : m.start()]
                ) or unchecked_option(text, m.start(), m.end()):
                    continue  # an earlier visit, or "Visit type: [ ] Telehealth" left unchecked
                settings.append(Mention(m.start(), m.end(), "SETTING", pos, src))
        store["SETTING"] = settings
        store["DIAGNOSIS"] = self._diagnoses(doc, text, src)
        return doc

    @staticmethod
    def _section_elements(doc: Doc, text: str, src: str) -> dict[str, list[Mention]]:
        """A history, exam or assessment section with real content is E/M evidence (SOAP)."""
        out: dict[str, list[Mention]] = {"history": [], "exam": [], "assessment": [],
                                         "diagnosis": []}
        sections = doc._.shotcoder_sections or []
        for i, (start, category, header_end) in enumerate(sections):
            if category not in out:
                continue
            body_end = sections[i + 1][0] if i + 1 < len(sections) else len(text)
            body = text[header_end:body_end]
            if len(re.sub(r"\W", "", body)) >= 12:
                end = header_end
                while end > start and text[end - 1].isspace():
                    end -= 1
                out[category].append(Mention(start, end, f"EM_{category.upper()}", None, src))
        return out

    def _diagnoses(self, doc: Doc, text: str, src: str) -> list[Mention]:
        out: list[Mention] = []
        drugs = mentions(doc).get("DRUG", [])
        for m in ICD10.finditer(text):
            code = m["code"].upper()
            before = text[max(0, m.start() - 12) : m.start()]
            after = text[m.end() : m.end() + 6]
            if "." not in code and not (_ICD_BEFORE.search(before) or _ICD_AFTER.match(after)):
                continue
            if "." not in code and (_NOT_ICD_AFTER.match(text, m.end()) or any(
                    d.start <= m.start() < d.end for d in drugs)):
                continue  # "Dx B12 def", "(B12 monthly": a vitamin, not a category code
            out.append(Mention(m.start(), m.end(), "DIAGNOSIS", ("explicit", code), src))
        for start, end, code in self.dx_index.find(text):
            if section_at(doc, start) in ("past_history", "medications"):
                continue
            if DX_NEGATION.search(text[max(0, start - 45) : start]):
                continue
            if _NOT_DX_AFTER.match(text, end):
                continue
            out.append(Mention(start, end, "DIAGNOSIS", ("mapped", code), src))
        return out
