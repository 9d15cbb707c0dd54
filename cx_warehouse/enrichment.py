"""Deterministic, offline enrichment of redacted customer-service text (chats and emails).

Everything here reads text that staging has already redacted (``[EMAIL]``, ``[PHONE]``,
``[CARD]``, ``[CPF]``, ``[CNPJ]``); nothing calls a network service and the same input always
gives the same output. Work is done on whole batches (pandas / numpy arrays), so a dbt Python
model or a benchmark can hand over 100,000 texts at once.

Three enrichments:

* **Sentiment** -- VADER (Hutto & Gilbert 2014; the ``vaderSentiment`` package ships its
  lexicon) plus failure/praise cues, weighed with the words of the text by a small logistic
  regression trained offline on public human-rated sentences (``sentiment_model.json``,
  ``scripts/train_sentiment_model.py``). A message or an email gets the model's sign when it has
  polar evidence, else neutral; its compound is ``2 P(positive) - 1`` (0 when neutral) and a
  polar label's confidence the model's probability. A conversation's overall score is the mean
  compound of the customer's messages, labelled with +-0.25 (tuned on seed 7, see the
  constants). Identical texts in a batch are scored once (the cache is exact).
* **Intent** -- a weighted cue lexicon (``INTENT_CUES``): for each of the eight intents a set
  of domain cue words and short phrases, each with a weight read as log-odds evidence for that
  intent. A text's score vector is the sum of the weights of the cues it contains; the intent
  is the arg-max and its confidence the softmax probability of the winner,
  ``exp(s_top) / sum(exp(s_i))``, so it grows with the margin over the runner-up and is 1/8
  when no cue is present. Documents made of several parts (a chat's messages, an email's
  subject and body) sum their parts' score vectors with a weight per part before the softmax.
* **Key phrases** -- RAKE (Rose et al. 2010, "Automatic keyword extraction from individual
  documents"): candidate phrases are the runs of words between stop words and punctuation,
  each word scores degree / frequency within the document, a phrase scores the sum of its
  words; the top phrases (at most three words each) are returned.

Entities: money amounts (``$12.34``) are extracted from the text; order and tracking numbers
are already extracted by staging.

The technical-issue flag is true when the intent is ``technical_issue`` or the technical cues
alone reach ``TECHNICAL_FLAG_MIN_SCORE`` (a crash or an error code mentioned in, say, an
account question still counts as a technical issue).
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

INTENTS: tuple[str, ...] = (
    "order_tracking",
    "returns",
    "billing",
    "technical_issue",
    "product_question",
    "complaint",
    "cancellation",
    "account",
)
SENTIMENT_LABELS: tuple[str, ...] = ("negative", "neutral", "positive")

# A text's label is a forced choice: any polar evidence decides (threshold 0, exclusive);
# neutral only on evidence of neutrality, or on no evidence at all, with low confidence.
MESSAGE_SENTIMENT_THRESHOLD = 0.0
# A polar label's confidence is the trained model's probability that it is right,
# sigmoid(|logit|) = (1 + |compound|) / 2 (the model: cx_warehouse/sentiment_model.json, fitted
# by scripts/train_sentiment_model.py on public data, see the README; not on the synthetic
# data and never on the held-out evaluation part). A neutral label has a fixed confidence
# with / without evidence of neutrality.
NEUTRAL_EVIDENCE_CONFIDENCE = 0.8
NO_EVIDENCE_CONFIDENCE = 0.34
# A conversation's overall sentiment is the mean compound of the customer's messages; the mean
# of several messages needs a wider neutral band. Tuned on seed 7 (grid 0.05 .. 0.30 in 0.05
# steps, best 0.25), evaluated on seed 42 -- see docs/design/conversations.md.
CONVERSATION_SENTIMENT_THRESHOLD = 0.25
# A positive / negative label is fully confident this far beyond its threshold: single
# messages spread over the whole -1 .. 1 range, conversation means crowd near their threshold.
MESSAGE_FULL_CONFIDENCE_MARGIN = 0.45
CONVERSATION_FULL_CONFIDENCE_MARGIN = 0.10
# Technical cue evidence that sets the technical-issue flag even when another intent wins.
TECHNICAL_FLAG_MIN_SCORE = 5.0
# Weight of the parts of a document when their cue evidence is summed.
EMAIL_SUBJECT_WEIGHT = 1.5
EMAIL_BODY_WEIGHT = 1.0
CHAT_ROLE_WEIGHTS: dict[str, float] = {"CUSTOMER": 1.0, "AGENT": 0.5, "BOT": 0.0}

# ------------------------------------------------------------------------------------------
# Intent cue lexicon. Keys are regular-expression fragments matched case-insensitively on
# whole words; values are log-odds weights (1 = weak hint, 2 = typical cue, 3+ = nearly
# decisive). Phrases are listed before the words they contain, so "return label" is one cue,
# not "return" + "label". Tokens of entities count as cues too: a UPS tracking number is
# evidence for order tracking, a money amount for billing.
# ------------------------------------------------------------------------------------------
INTENT_CUES: dict[str, dict[str, float]] = {
    "order_tracking": {
        r"where(?: is|'s) my (?:order|package|parcel|delivery|shipment)": 3.0,
        r"(?:delivery|shipping|shipment|order|tracking) status": 3.0,
        r"out for delivery|in transit|on its way": 3.0,
        r"(?:has|have|had) not (?:arrived|been delivered|shipped)|not arrived": 2.5,
        r"supposed to arrive|expected delivery|delivery is expected|estimated delivery": 2.5,
        r"track(?:ing|ed)?(?: (?:page|number|code|link|info(?:rmation)?))?": 2.5,
        r"carrier|courier|ups|fedex|usps|dhl": 2.0,
        r"ship(?:ped|ment|ments|ping)": 1.5,
        r"depot|distribution cent(?:er|re)|sorting facility": 2.0,
        r"scan(?:ned)?|trace": 1.5,
        r"deliver(?:y|ed|ies)?": 1.0,
        r"eta|status": 1.0,
        r"1z[0-9a-z]{16}": 2.0,
    },
    "returns": {
        r"return (?:label|window|policy|request|form|shipping)": 3.5,
        r"send (?:it |them )?back|sent (?:it |them )?back|bring (?:it |them )?back": 3.0,
        r"return(?:s|ed|ing)?": 2.5,
        r"exchange(?:d)?|swap": 2.5,
        r"not what i ordered|wrong (?:item|size|colou?r|product)": 2.5,
        r"unopened|unused|original packaging|tags? on": 1.5,
        r"refund(?:s|ed)?": 1.5,
        r"within \d+ days": 1.5,
        r"store credit": 1.5,
    },
    "billing": {
        r"double charge[ds]?|charged twice|duplicate charge|two payments|overcharged?": 3.5,
        r"pre-?authori[sz]ation|authori[sz]ation hold": 3.0,
        r"invoice[sd]?|billing|bill(?:ed)?|statement": 3.0,
        r"charge[sd]?": 2.5,
        r"payments?|paid|pay": 1.5,
        r"reversal|chargeback": 2.0,
        r"(?:credit|debit) card|my card|on my card": 1.5,
        r"receipt": 1.0,
        r"\$\d[\d,]*(?:\.\d{2})?": 1.0,
    },
    "technical_issue": {
        r"crash(?:es|ed|ing)?|closes on launch|freez(?:es|ing)|froze": 3.5,
        r"(?:error )?code \d{3}|error(?: message| code)?|\b50[0-4]\b|404": 3.0,
        r"keeps? loading|does not load|doesn't load|won't load|not loading|blank page": 3.0,
        r"not working|stopped working|does not work|doesn't work": 2.0,
        r"bug|glitch|outage|timed? ?out": 3.0,
        r"(?:clear(?:ed)?|delet(?:e|ed)) (?:the )?(?:cache|cookies)|cache|reboot(?:ed)?"
        r"|restart(?:ed)?|reinstall(?:ed)?|browser": 3.0,
        r"(?:mobile )?app|website|web ?site|web page|online store": 2.0,
        r"log ?in|sign ?in|logging in|signing in": 1.5,
        r"latest version|new version|app version|software update": 2.0,
        r"engineers?|patch|deployed|technical team|it team": 2.0,
        r"disabled|greyed out|grayed out": 2.0,
        r"checkout|page|field|button|screen|laptop": 1.0,
        r"session": 1.0,
        # Word sense: a charge that a battery holds is not a payment ("doesn't hold charge").
        r"(?:hold|holds|holding|held|keep|keeps) (?:a |its |the |any )?charge"
        r"|charg(?:e|es|ing) (?:the |my )?(?:battery|phone|device|headset)|battery|charger"
        r"|charging": 2.5,
    },
    "product_question": {
        r"(?:in|out of|back in) stock|stock": 3.0,
        r"ingredients?|contains?|allerg(?:en|ens|y|ies)|gluten|peanuts|tree nuts|dairy|lactose"
        r"|vegan|organic": 3.0,
        r"where (?:is|are) [\w' -]{1,40}? made|made in|produced|facility|origin": 2.5,
        r"difference between|compare|sizes?|dimensions|weight|pack": 2.0,
        r"available again|availability|be available": 2.5,
        r"label|nutrition|calories": 1.5,
        r"recommend|suitable": 1.5,
        r"question about": 1.0,
    },
    "complaint": {
        r"complain(?:t|ts|ing)?|formal report|report about": 3.0,
        r"unattended|nobody (?:was )?there|no one (?:was )?there|rude|unprofessional|dirty": 3.0,
        r"spoiled|rotten|mou?ldy|stale|gone off": 3.0,
        r"dented|damaged|crushed|leaking|torn": 2.5,
        r"arrived late|days? (?:late|after)|too late|delayed|late": 2.5,
        r"waited|on hold|queue for": 2.5,
        r"shelf price|above the (?:shelf |listed )?price|overpriced|price tag": 2.5,
        r"manager|supervisor": 2.0,
        r"photos?|pictures?": 1.5,
        r"happened|deli counter|counter": 1.5,
        r"minutes|hours": 0.5,
    },
    "cancellation": {
        r"cancel(?:s|led|ed|ling|ing|lation)?": 4.0,
        r"call(?:ed|ing)? off|calls off|called it off": 4.0,
        r"end my|terminate|unsubscribe|stop my|close my": 3.0,
        r"subscriptions?|renewal|renew|auto-?renew": 2.5,
        r"(?:do not|don't|no longer) need": 2.5,
        r"anymore|off the schedule": 1.5,
        r"membership": 1.5,
    },
    "account": {
        r"(?:change|update) (?:the |my )?(?:email|e-mail|phone|address|name)": 3.0,
        r"profile|username|user name": 3.0,
        r"password|reset link|reset": 2.5,
        r"points|loyalty|rewards?": 3.0,
        r"merge|sign(?:ed)? up|register(?:ed)?|registration": 2.5,
        r"member accounts?|my accounts?|accounts?": 1.5,
        r"email address": 1.0,
    },
}

# Compact English stop-word list for RAKE (function words of the SMART list that appear in
# service text), plus the redaction tokens and greeting words, which are never key phrases.
STOP_WORDS: frozenset[str] = frozenset("""
a about above after again against all also am an and any are as at be because been before being
below between both but by can cannot could did do does doing done down during each few for from
further had has have having he her here hers herself him himself his how i if in into is it its
itself just let me more most my myself no nor not now of off on once only or other our ours
ourselves out over own same she should so some such than that the their theirs them themselves
then there these they this those through to too under until up very was we were what when where
which while who whom why will with would you your yours yourself yourselves hi hello hey dear
thanks thank please regards yours sent team there ok okay yes yet still already since today
tomorrow yesterday monday tuesday wednesday thursday friday saturday sunday
email phone card cpf cnpj th rd st nd
need want like know tell get got see shows show go make use used i'm it's i've don't re fw fwd
""".split())
# An email's greeting line ("Hello team,") and everything from the sign-off on ("Regards,",
# "--", "Sent from my phone") are not the message: they carry names, not content.
_GREETING_LINE = re.compile(
    r"\A\s*(?:hi|hello|hey|dear|good (?:morning|afternoon|evening)|to)\b[^\n]{0,40}\n",
    re.IGNORECASE,
)
_SIGN_OFF = re.compile(
    r"\n[ \t]*(?:--|regards|best|yours|sincerely|cheers|sent from|thanks,)[^\n]*(?:\n.*)?\Z",
    re.IGNORECASE | re.DOTALL,
)
_PHRASE_SPLIT = re.compile(r"[^a-z0-9'\-$]+")
_SENTENCE_SPLIT = re.compile(r"[.,;:!?()\[\]\"\n]+|\s-\s|--")


# Intents whose cues mean the opposite when negated ("had no complaints", "was not rude").
NEGATABLE_INTENTS: tuple[str, ...] = ("complaint",)
_NEGATED_CUE = re.compile(
    r"(?:\bno|\bnot|\bnever|n't|\bwithout|\bnothing to|\bany) (?:\w+ )?\Z")


class _CueMatcher:
    """One compiled alternation over every cue; each match maps to its cue's weight vector."""

    def __init__(self, cues: dict[str, dict[str, float]]) -> None:
        patterns: list[tuple[str, int, float]] = []
        for intent_index, intent in enumerate(INTENTS):
            for pattern, weight in cues[intent].items():
                patterns.append((pattern, intent_index, weight))
        # Longer fragments first: alternation is leftmost-first, so phrases beat their words.
        patterns.sort(key=lambda item: -len(item[0]))
        self.weights = np.zeros((len(patterns), len(INTENTS)))
        parts = []
        for cue_index, (pattern, intent_index, weight) in enumerate(patterns):
            self.weights[cue_index, intent_index] = weight
            parts.append(f"(?P<c{cue_index}>{pattern})")
        self.regex = re.compile(r"(?<![\w-])(?:" + "|".join(parts) + r")(?![\w-])")
        self.cue_of_group = {f"c{i}": i for i in range(len(patterns))}
        # Negated cues of these intents are no evidence: "no complaints", "never late".
        negatable = {INTENTS.index(intent) for intent in NEGATABLE_INTENTS}
        self.negatable = {f"c{i}" for i, (_, intent_index, _) in enumerate(patterns)
                          if intent_index in negatable}

    def score(self, texts: Sequence[str | None]) -> np.ndarray:
        """Score matrix (len(texts) x 8): the summed cue weights of each text."""
        rows: list[int] = []
        cues: list[int] = []
        finditer, cue_of_group = self.regex.finditer, self.cue_of_group
        negatable, negated = self.negatable, _NEGATED_CUE.search
        for row, text in enumerate(texts):
            if not text:
                continue
            lowered = text.lower()
            for match in finditer(lowered):
                group = match.lastgroup
                if group in negatable and negated(lowered, max(0, match.start() - 24),
                                                  match.start()):
                    continue
                rows.append(row)
                cues.append(cue_of_group[group])
        scores = np.zeros((len(texts), len(INTENTS)))
        if rows:
            np.add.at(scores, np.asarray(rows), self.weights[np.asarray(cues)])
        return scores


_MATCHER: _CueMatcher | None = None
_ANALYZER: Any = None


def _matcher() -> _CueMatcher:
    global _MATCHER
    if _MATCHER is None:
        _MATCHER = _CueMatcher(INTENT_CUES)
    return _MATCHER


def _analyzer() -> Any:
    global _ANALYZER
    if _ANALYZER is None:
        from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

        _ANALYZER = SentimentIntensityAnalyzer()
    return _ANALYZER


# ------------------------------------------------------------------------------------------
# Sentiment
# ------------------------------------------------------------------------------------------

# VADER's normalisation constant: compound = s / sqrt(s^2 + alpha) for a valence sum s.
_VADER_ALPHA = 15.0
_SQRT_ALPHA = math.sqrt(_VADER_ALPHA)
# Valence (VADER lexicon units; VADER's "bad" is -2.5) of one service/product-failure cue.
FAILURE_CUE_VALENCE = -2.0
PRAISE_CUE_VALENCE = 2.0
# A booster before a cue scales it, like VADER's own boosters ("really doesn't work").
CUE_BOOSTER_SCALE = 1.3
# A negated cue ("not broken", "never late") flips to this fraction of the opposite valence,
# VADER's negation scalar.
CUE_NEGATION_SCALE = -0.74

_NEG_AUX = (r"(?:does ?n[o']?t|do ?n[o']?t|did ?n[o']?t|wo ?n[o']?t|will not|would ?n[o']?t"
            r"|ca ?n[o']?t|cannot|could ?n[o']?t|is ?n[o']?t|was ?n[o']?t|are ?n[o']?t"
            r"|has ?n[o']?t|have ?n[o']?t|had ?n[o']?t|never|no longer|not|failed to|unable to)")
_FAIL_VERBS = (r"(?:work|works|working|worked|function|charge|charging|hold|holds|fit|fits"
               r"|connect|connects|load|loads|open|opens|start|starts|turn on|power on|power up"
               r"|last|lasts|lasted|stay|stays|sync|pair|respond|responded|reply|replied"
               r"|arrive|arrived|come|came|show up|showed up|help|helped|answer|answered"
               r"|call back|called back|get through|got through|refund|refunded|deliver"
               r"|delivered|ship|shipped|fix|fixed|solve|solved|resolve|resolved|receive"
               r"|received|get|got|recognize|recognise|read|print|prints|stick|sticks)")
# Cues for what a lexicon of words misses: failures told in neutral words ("Doesn't hold
# charge.", "Mic doesn't work.", "still waiting", "charged twice") and the praise that uses
# negative words ("no complaints"). General service and product wording, written by hand.
FAILURE_CUES: tuple[str, ...] = (
    _NEG_AUX + r" (?:even |really |properly |correctly |at all |always |ever )?" + _FAIL_VERBS,
    r"(?:stopped|quit|stops|quits) (?:working|charging|responding|functioning)",
    r"broke|broken|breaks|cracked|defective|faulty|malfunction(?:s|ed|ing)?|died|dies|dead"
    r"|fell apart|falls apart|came apart|unusable|useless|worthless|junk|garbage|flimsy"
    r"|cheaply made|poor(?:ly)? (?:quality|made|designed|built|fit)|low quality|no good",
    r"waste of (?:money|time)|not worth|do ?n[o']?t (?:buy|bother|waste)|stay away"
    r"|(?:returned|returning|return) (?:it|this|them)|sen[dt] (?:it|this|them) back"
    r"|(?:want|wanted|need) (?:a|my) refund|money back",
    r"never (?:arrived|received|came|showed up|got|again)"
    r"|still (?:waiting|not|no|nothing|haven't|hasn't|have not|has not|delayed|broken|stuck"
    r"|on hold|charged|missing)"
    r"|waiting (?:for )?(?:over |almost |nearly )?(?:\d+|an?|two|three|several) "
    r"(?:hours?|days?|weeks?|months?)"
    r"|on hold|no (?:one|response|reply|answer|help|update|refund|call back)|nobody",
    r"charged (?:me )?(?:twice|again|extra)|double[- ]charged|overcharged|hidden fees?",
    r"delayed|cancell?ed (?:my |our |the )?(?:flight|order|reservation)"
    r"|lost (?:my|our|the) (?:\w+ )?(?:bag|bags|luggage|package|parcel|order)"
    r"|wrong (?:item|size|order|product|colou?r|part)|not as (?:described|advertised|pictured)"
    r"|too (?:small|big|short|tight|loose|slow|loud|quiet|expensive|flimsy|heavy)"
    r"|keeps? (?:crashing|dropping|freezing|disconnecting|breaking|failing)"
    r"|(?:short|poor|bad|weak) (?:battery|signal|reception|range|sound)"
    r"|battery (?:life )?(?:is |was )?(?:short|weak|poor|dies|died)"
    r"|(?:hard|difficult|impossible) to (?:use|read|hear|see|install|reach|understand)"
    r"|thanks for nothing|should have read the reviews",
)
PRAISE_CUES: tuple[str, ...] = (
    r"no (?:complaints?|problems?|issues?|regrets?)"
    r"|never (?:had|have|has) (?:a |any )?(?:problems?|issues?)"
    r"|(?:works?|worked|working) (?:well|perfectly|flawlessly|fine|like a charm"
    r"|as (?:described|advertised|expected))|as (?:described|advertised)"
    r"|holds? (?:a |its |the )?charge|well made|sturdy|does the (?:job|trick)"
    r"|worth (?:every penny|the money|it)|(?:would|will) (?:buy|order) (?:it |this |again)"
    r"|arrived (?:early|on time|quickly|fast)|fast (?:shipping|delivery)"
    r"|exceed(?:ed|s)? (?:my |all )?expectations|easy to (?:use|install|set up)",
)
_BOOSTERS = re.compile(
    r"(?:really|very|so|totally|completely|absolutely|still|just|even) $")
# "not broken", "never late", "no longer delayed": a negator right before a cue flips it.
_NEGATOR_BEFORE = re.compile(r"(?:\bnot|\bnever|\bno|n't|\bwithout|\bhardly) (?:\w+ )?$")
_NEGATOR_START = re.compile(r"\A" + _NEG_AUX + r"\b|\Ano\b|\Anever\b")
# Evidence that a text is neutral on purpose: a question, a request, an identifier, a greeting
# at the start, a service action reported or announced ("I have sent", "let me check", "I am
# looking into"), or a time reference ("on Monday", "today"). It only keeps a text without
# lexicon or cue evidence neutral: "Hi, my order arrived broken" is still negative.
_NEUTRAL_EVIDENCE = re.compile(
    r"\?|\b(?:can|could|would|will) you\b|\bplease\b|\bhow (?:do|can|long|much)\b"
    r"|\bwhat (?:is|are)\b|\bi (?:need|want|would like) to\b|\[(?:email|phone|card|cpf|cnpj)\]"
    r"|\bord-\d|\b1z[0-9a-z]{6}|\$\d|\b\d"
    r"|\A\W*(?:hi|hello|hey|dear|good (?:morning|afternoon|evening))\b|\blet me\b"
    r"|\bi (?:will|'ll|can) (?:check|review|look|send|get|escalate|update|arrange|process)"
    r"|\bi am (?:looking|checking|reviewing)\b|\bi have (?:sent|checked|issued|updated|escalated)\b"
    r"|\b(?:on|by|since|until|from) (?:mon|tues|wednes|thurs|fri|satur|sun)day\b"
    r"|\b(?:today|tomorrow|yesterday)\b", re.IGNORECASE)


class _SentimentCueMatcher:
    """One alternation over the failure and praise cues; returns each text's cue valence."""

    def __init__(self) -> None:
        parts = [f"(?P<f{i}>{cue})" for i, cue in enumerate(FAILURE_CUES)]
        parts += [f"(?P<p{i}>{cue})" for i, cue in enumerate(PRAISE_CUES)]
        self.regex = re.compile(r"(?<![\w-])(?:" + "|".join(parts) + r")(?![\w-])")

    def valence(self, text: str) -> float:
        total = 0.0
        for match in self.regex.finditer(text):
            value = FAILURE_CUE_VALENCE if match.lastgroup[0] == "f" else PRAISE_CUE_VALENCE
            before = text[max(0, match.start() - 24):match.start()]
            if _NEGATOR_BEFORE.search(before) and not _NEGATOR_START.match(match.group()):
                value *= CUE_NEGATION_SCALE
            elif _BOOSTERS.search(before):
                value *= CUE_BOOSTER_SCALE
            total += value
        return total


_SENTIMENT_MATCHER: _SentimentCueMatcher | None = None


def _sentiment_matcher() -> _SentimentCueMatcher:
    global _SENTIMENT_MATCHER
    if _SENTIMENT_MATCHER is None:
        _SENTIMENT_MATCHER = _SentimentCueMatcher()
    return _SENTIMENT_MATCHER


# The trained layer on top of the lexicon: a logistic regression over a few lexicon features
# (the VADER + cue compound, VADER's own compound, the cue valence, '!' and '?') and the words
# and word pairs of the text, a word inside a negated clause marked ``not_``. Weights are
# fitted offline on public labelled sentences (scripts/train_sentiment_model.py) and stored
# in a small JSON file; scoring is a dictionary look-up per token.
SENTIMENT_MODEL_PATH = Path(__file__).with_name("sentiment_model.json")
#: Data files the scores depend on; their bytes are part of the incremental models' code version
#: (cx_warehouse.python_models.code_version), so new weights re-score every text.
SCORING_DATA_FILES = (SENTIMENT_MODEL_PATH,)
SENTIMENT_DENSE_FEATURES: tuple[str, ...] = (
    "bias", "lexicon_compound", "vader_compound", "cue_valence", "exclamation", "question")
# A text without lexicon or cue evidence gets a polar label from its words alone only when
# the sum of its word weights (bias and lexicon features left out) reaches this size; below it
# the text stays neutral (with or without evidence). Chosen on the Amazon dev half and the
# synthetic messages of seed 7 (0.0 .. 0.5, with the wider neutrality evidence below): lower
# labels more review sentences, higher keeps more of the factual customer-service messages
# neutral.
WORDS_ONLY_MIN_LOGIT = 0.3
# One pass over a lower-cased text: a word (group 1) or a clause break (no group).
_TOKEN_OR_BREAK = re.compile(r"([a-z]+(?:'[a-z]+)?)|[.,;:!?()\[\]\"\n]|\s-\s|--")
_NEGATOR_WORDS = frozenset({
    "not", "no", "never", "nothing", "nobody", "none", "neither", "nor", "without", "hardly",
    "cannot", "dont", "doesnt", "didnt", "isnt", "wasnt", "arent", "werent", "cant", "wont",
    "couldnt", "wouldnt", "shouldnt", "hasnt", "havent", "hadnt"})


def sentiment_tokens(lowered: str) -> set[str]:
    """The model's tokens of a lower-cased text: words, adjacent word pairs, ``<neg>`` for a
    negator and ``not_<word>`` for a word after a negator in the same clause (clauses end at
    punctuation, a dash or "but")."""
    if "\u2019" in lowered:
        lowered = lowered.replace("\u2019", "'")
    tokens: set[str] = set()
    add, negators = tokens.add, _NEGATOR_WORDS
    negated, previous = False, ""
    for word in _TOKEN_OR_BREAK.findall(lowered):
        if not word or word == "but":
            negated, previous = False, ""
            continue
        if word in negators or word.endswith("n't"):
            add("<neg>")
            negated = True
        else:
            add("not_" + word if negated else word)
        if previous:
            add(previous + " " + word)
        previous = word
    return tokens


class _SentimentModel:
    def __init__(self, path: Path = SENTIMENT_MODEL_PATH) -> None:
        model = json.loads(path.read_text(encoding="utf-8"))
        dense = model["dense"]
        self.dense = tuple(float(dense[name]) for name in SENTIMENT_DENSE_FEATURES)
        self.tokens: dict[str, float] = {key: float(value)
                                         for key, value in model["tokens"].items()}
        self.version = str(model["version"])

    def word_logit(self, lowered: str) -> float:
        weights = self.tokens
        return sum(weights.get(token, 0.0) for token in sentiment_tokens(lowered))


_SENTIMENT_MODEL: _SentimentModel | None = None


def _sentiment_model() -> _SentimentModel:
    global _SENTIMENT_MODEL
    if _SENTIMENT_MODEL is None:
        _SENTIMENT_MODEL = _SentimentModel()
    return _SENTIMENT_MODEL


def sentiment_dense_features(text: str, vader: dict[str, float],
                             cue_valence: float) -> tuple[float, ...]:
    """The lexicon features of one text, in SENTIMENT_DENSE_FEATURES order."""
    compound = min(max(vader["compound"], -0.9999), 0.9999)
    total = compound * _SQRT_ALPHA / math.sqrt(1.0 - compound * compound) + cue_valence
    lexicon = total / math.sqrt(total * total + _VADER_ALPHA)
    return (1.0, lexicon, vader["compound"], math.tanh(cue_valence / 2.0),
            1.0 if "!" in text else 0.0, 1.0 if "?" in text else 0.0)


def _score_one(text: str, polarity: Any, cues: _SentimentCueMatcher,
               model: _SentimentModel) -> tuple[float, int]:
    """(compound, evidence) of one text; evidence 2 = polar, 1 = neutral evidence, 0 = none."""
    vader = polarity(text)
    lowered = text.lower()
    cue_valence = cues.valence(lowered)
    features = sentiment_dense_features(text, vader, cue_valence)
    words = model.word_logit(lowered)
    logit = words + sum(weight * value for weight, value in zip(model.dense, features))
    # Lexicon or cue evidence, or (in a text that is not a question, a request or an
    # identifier) words that alone reach WORDS_ONLY_MIN_LOGIT: the model decides the side
    # (forced choice).
    if features[1] != 0.0 or (abs(words) >= WORDS_ONLY_MIN_LOGIT
                              and not _NEUTRAL_EVIDENCE.search(lowered)):
        return math.tanh(logit / 2.0), 2
    # Polar words that cancel ("good screen, bad battery") are evidence of a mixed, neutral
    # text; so are a question, a request or an identifier in a text without polar words.
    mixed = vader["pos"] > 0 and vader["neg"] > 0
    return 0.0, 1 if mixed or _NEUTRAL_EVIDENCE.search(lowered) else 0


def sentiment_scores(texts: Sequence[str | None]) -> tuple[np.ndarray, np.ndarray]:
    """(compound, evidence) per text: the trained model over VADER, the cues and the words.

    compound is in -1 .. 1, ``tanh(logit / 2) = 2 P(positive) - 1`` for a polar text and 0 for
    a neutral one; evidence is 2 when the text has polar evidence (lexicon or cue words, or
    words alone that reach WORDS_ONLY_MIN_LOGIT), 1 when it has evidence of neutrality
    (cancelling polar words, a question, a request, an identifier), 0 when it has none (null
    and empty texts too). Equal texts are scored once.
    """
    series = pd.Series(list(texts), dtype=object).fillna("")
    if len(series) == 0:
        return np.zeros(0), np.zeros(0, dtype=int)
    codes, uniques = pd.factorize(series)
    polarity, cues, model = _analyzer().polarity_scores, _sentiment_matcher(), _sentiment_model()
    scored = [_score_one(text, polarity, cues, model) if text else (0.0, 0) for text in uniques]
    compound = np.fromiter((value for value, _ in scored), dtype=float, count=len(scored))
    evidence = np.fromiter((kind for _, kind in scored), dtype=int, count=len(scored))
    return compound[codes], evidence[codes]


def sentiment_model_logit(texts: Sequence[str]) -> np.ndarray:
    """The trained model's logit per text before the neutral rule (for evaluation: the sign is
    the model's forced choice even where sentiment_scores answers neutral)."""
    polarity, cues, model = _analyzer().polarity_scores, _sentiment_matcher(), _sentiment_model()
    logits = []
    for text in texts:
        lowered = text.lower()
        features = sentiment_dense_features(text, polarity(text), cues.valence(lowered))
        logits.append(model.word_logit(lowered)
                      + sum(weight * value for weight, value in zip(model.dense, features)))
    return np.asarray(logits, dtype=float)


def sentiment_evidence(text: str, top_n: int = 5) -> list[tuple[str, float]]:
    """The features that decided a text's sentiment, largest contribution to the logit first:
    ``[("lexicon_compound", -1.9), ("not_work", -0.8), ...]`` (positive pushes positive)."""
    vader = _analyzer().polarity_scores(text)
    lowered = text.lower()
    model = _sentiment_model()
    features = sentiment_dense_features(text, vader, _sentiment_matcher().valence(lowered))
    parts = [(name, weight * value) for name, weight, value
             in zip(SENTIMENT_DENSE_FEATURES, model.dense, features) if name != "bias"]
    parts += [(token, model.tokens[token]) for token in sentiment_tokens(lowered)
              if token in model.tokens]
    parts = [(name, round(value, 3)) for name, value in parts if value != 0.0]
    return sorted(parts, key=lambda part: -abs(part[1]))[:top_n]


def sentiment_compound(texts: Sequence[str | None]) -> np.ndarray:
    """Compound score per text (VADER plus the cues; 0.0 for a null or empty text)."""
    return sentiment_scores(texts)[0]


def sentiment_label(compound: np.ndarray | Sequence[float],
                    threshold: float = MESSAGE_SENTIMENT_THRESHOLD) -> np.ndarray:
    """positive (>= +threshold), negative (<= -threshold), else neutral; null stays null.

    A text's own threshold is 0 exclusive (forced choice: any polar evidence decides).
    """
    values = np.asarray(compound, dtype=float)
    if threshold > 0:
        positive, negative = values >= threshold, values <= -threshold
    else:
        positive, negative = values > 0, values < 0
    labels = np.where(positive, "positive", np.where(negative, "negative", "neutral")
                      ).astype(object)
    labels[np.isnan(values)] = None
    return labels


def sentiment_confidence(compound: np.ndarray | Sequence[float],
                         threshold: float = MESSAGE_SENTIMENT_THRESHOLD,
                         full_margin: float = MESSAGE_FULL_CONFIDENCE_MARGIN,
                         evidence: np.ndarray | Sequence[int] | None = None) -> np.ndarray:
    """Confidence of the label.

    With `evidence` (a text's own label, from sentiment_scores): a polar label's probability
    of being right under the trained model, ``(1 + |compound|) / 2`` (compound is
    ``2 P(positive) - 1``); NEUTRAL_EVIDENCE_CONFIDENCE for a neutral label with evidence of
    neutrality; NO_EVIDENCE_CONFIDENCE (below the review threshold) for a text without
    evidence.

    Without `evidence` (a conversation's mean): 0.5 at the threshold, rising linearly to 1
    at `full_margin` beyond it; neutral 1 at 0 falling to 0.5 at +-threshold.
    """
    values = np.asarray(compound, dtype=float)
    magnitude = np.abs(values)
    if evidence is not None:
        kind = np.asarray(evidence, dtype=int)
        polar = (1.0 + magnitude) / 2.0
        confidence = np.where(kind == 2, polar, np.where(
            kind == 1, NEUTRAL_EVIDENCE_CONFIDENCE, NO_EVIDENCE_CONFIDENCE))
        return np.round(confidence, 4)
    threshold = max(threshold, 1e-9)
    neutral = 1.0 - 0.5 * np.minimum(magnitude / threshold, 1.0)
    polar = 0.5 + 0.5 * np.clip((magnitude - threshold) / full_margin, 0.0, 1.0)
    return np.round(np.where(magnitude >= threshold, polar, neutral), 4)


# ------------------------------------------------------------------------------------------
# Intent
# ------------------------------------------------------------------------------------------


def intent_scores(texts: Sequence[str | None]) -> np.ndarray:
    """Cue-evidence matrix (len(texts) x 8, columns in INTENTS order); equal texts matched once."""
    series = pd.Series(list(texts), dtype=object).fillna("")
    if len(series) == 0:
        return np.zeros((0, len(INTENTS)))
    codes, uniques = pd.factorize(series)
    return _matcher().score(list(uniques))[codes]


def intent_from_scores(scores: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(intent, confidence) per row of a score matrix: arg-max and its softmax probability.

    A text without any cue has no intent (None) and confidence 1/8; ties go to the intent
    listed first in INTENTS (deterministic).
    """
    scores = np.asarray(scores, dtype=float)
    if scores.shape[0] == 0:
        return np.zeros(0, dtype=object), np.zeros(0)
    winner = scores.argmax(axis=1)
    shifted = np.exp(scores - scores.max(axis=1, keepdims=True))
    probability = shifted / shifted.sum(axis=1, keepdims=True)
    confidence = probability[np.arange(len(scores)), winner]
    intents = np.asarray(INTENTS, dtype=object)[winner]
    intents[scores.max(axis=1) <= 0] = None
    return intents, np.round(confidence, 4)


def technical_flag(scores: np.ndarray, intents: np.ndarray) -> np.ndarray:
    """True when the intent is technical_issue or the technical cues reach the minimum."""
    technical = np.asarray(scores)[:, INTENTS.index("technical_issue")]
    return (np.asarray(intents) == "technical_issue") | (technical >= TECHNICAL_FLAG_MIN_SCORE)


def grouped_scores(scores: np.ndarray, groups: Sequence[Any],
                   weights: Sequence[float] | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Sum the (weighted) score rows per group; returns (group keys in first-seen order, sums)."""
    codes, keys = pd.factorize(pd.Series(list(groups), dtype=object))
    weighted = np.asarray(scores, dtype=float)
    if weights is not None:
        weighted = weighted * np.asarray(weights, dtype=float)[:, None]
    sums = np.zeros((len(keys), weighted.shape[1]))
    np.add.at(sums, codes, weighted)
    return np.asarray(keys, dtype=object), sums


# ------------------------------------------------------------------------------------------
# Key phrases (RAKE)
# ------------------------------------------------------------------------------------------


def _candidate_phrases(text: str) -> list[list[str]]:
    phrases: list[list[str]] = []
    for fragment in _SENTENCE_SPLIT.split(text.lower()):
        current: list[str] = []
        for word in _PHRASE_SPLIT.split(fragment):
            word = word.strip("'-")
            # Stop words, numbers, identifiers (ORD-1234567) and amounts end a phrase: the
            # entities have their own columns.
            if (not word or word in STOP_WORDS or len(word) < 2
                    or any(char.isdigit() or char == "$" for char in word)):
                if current:
                    phrases.append(current)
                current = []
            else:
                current.append(word)
        if current:
            phrases.append(current)
    # RAKE keeps short phrases; a longer run is split into three-word pieces.
    short: list[list[str]] = []
    for phrase in phrases:
        for start in range(0, len(phrase), 3):
            short.append(phrase[start:start + 3])
    return short


def key_phrases_one(text: str | None, top_n: int = 3) -> list[str]:
    """The top RAKE phrases of one document (deduplicated, best first, ties in text order)."""
    if not text:
        return []
    phrases = _candidate_phrases(text)
    if not phrases:
        return []
    frequency: dict[str, int] = {}
    degree: dict[str, int] = {}
    for phrase in phrases:
        for word in phrase:
            frequency[word] = frequency.get(word, 0) + 1
            degree[word] = degree.get(word, 0) + len(phrase)
    best: dict[str, tuple[float, int]] = {}
    for position, phrase in enumerate(phrases):
        joined = " ".join(phrase)
        score = sum(degree[word] / frequency[word] for word in phrase)
        if joined not in best:
            best[joined] = (score, position)
    ranked = sorted(best.items(), key=lambda item: (-item[1][0], item[1][1]))
    return [phrase for phrase, _ in ranked[:top_n]]


def key_phrases(texts: Sequence[str | None], top_n: int = 3) -> list[list[str]]:
    """Top RAKE key phrases per document."""
    return [key_phrases_one(text, top_n) for text in texts]


# ------------------------------------------------------------------------------------------
# Batch entry points used by the dbt Python models and the benchmark
# ------------------------------------------------------------------------------------------


def _intent_columns(scores: np.ndarray) -> dict[str, Any]:
    intents, confidence = intent_from_scores(scores)
    return {
        "intent": intents,
        "intent_confidence": confidence,
        "is_technical_issue": technical_flag(scores, intents),
    }


def enrich_messages(messages: pd.DataFrame) -> pd.DataFrame:
    """Per message: sentiment compound/label/confidence and the message's own intent cues.

    `messages` needs `message_id` and `message_text_redacted`; one row per input row, in order.
    """
    texts = messages["message_text_redacted"].tolist()
    compound, evidence = sentiment_scores(texts)
    out = pd.DataFrame({"message_id": messages["message_id"].to_numpy()})
    out["sentiment_compound"] = np.round(compound, 4)
    out["sentiment_label"] = sentiment_label(compound)
    out["sentiment_confidence"] = sentiment_confidence(compound, evidence=evidence)
    for name, values in _intent_columns(intent_scores(texts)).items():
        out[name] = values
    return out


def enrich_conversations(messages: pd.DataFrame, top_n: int = 3) -> pd.DataFrame:
    """Per conversation: intent, confidence, technical flag, key phrases and sentiment.

    `messages` needs `conversation_id`, `message_index`, `sender_role`,
    `message_text_redacted` and, when already scored, `sentiment_compound` (else VADER runs).
    Intent: the role-weighted sum of the messages' cue evidence (CHAT_ROLE_WEIGHTS). Key
    phrases: RAKE on the customer's messages. Sentiment, from the customer's messages only
    (the customer's mood, not the agent's politeness): start = first message, end = last,
    overall = mean compound labelled with CONVERSATION_SENTIMENT_THRESHOLD; null when the
    customer wrote nothing.
    """
    ordered = messages.sort_values(["conversation_id", "message_index"], kind="stable")
    texts = ordered["message_text_redacted"].tolist()
    if "sentiment_compound" in ordered:
        compound = ordered["sentiment_compound"].to_numpy(dtype=float)
    else:
        compound = sentiment_compound(texts)
    role_weight = ordered["sender_role"].map(CHAT_ROLE_WEIGHTS).fillna(0.0).to_numpy()
    keys, sums = grouped_scores(intent_scores(texts), ordered["conversation_id"], role_weight)
    out = pd.DataFrame({"conversation_id": keys})
    for name, values in _intent_columns(sums).items():
        out[name] = values

    is_customer = (ordered["sender_role"] == "CUSTOMER").to_numpy()
    customer = pd.DataFrame({
        "conversation_id": ordered["conversation_id"].to_numpy()[is_customer],
        "text": np.asarray(texts, dtype=object)[is_customer],
        "compound": compound[is_customer],
    })
    grouped = customer.groupby("conversation_id", sort=False)
    text = grouped["text"].agg(lambda parts: " \n".join(part for part in parts if part))
    stats = grouped["compound"].agg(["first", "last", "mean"]).reindex(keys)
    out["key_phrases"] = key_phrases(out["conversation_id"].map(text).fillna("").tolist(), top_n)
    start, end, overall = (
        stats[column].to_numpy(dtype=float) for column in ("first", "last", "mean")
    )
    out["start_sentiment_compound"] = np.round(start, 4)
    out["start_sentiment_label"] = sentiment_label(start)
    out["end_sentiment_compound"] = np.round(end, 4)
    out["end_sentiment_label"] = sentiment_label(end)
    out["sentiment_compound"] = np.round(overall, 4)
    out["sentiment_label"] = sentiment_label(overall, CONVERSATION_SENTIMENT_THRESHOLD)
    confidence = sentiment_confidence(
        overall, CONVERSATION_SENTIMENT_THRESHOLD, CONVERSATION_FULL_CONFIDENCE_MARGIN
    )
    # A neutral mean is never certain for want of polar words: capped at the confidence of a
    # neutral text with evidence.
    confidence = np.where(out["sentiment_label"] == "neutral",
                          np.minimum(confidence, NEUTRAL_EVIDENCE_CONFIDENCE), confidence)
    out["sentiment_confidence"] = np.where(np.isnan(overall), np.nan, confidence)
    return out


def email_core_text(body: str | None) -> str:
    """The body without its greeting line and its sign-off (and whatever follows it)."""
    if not body:
        return ""
    core = _GREETING_LINE.sub("", body, count=1)
    core = _SIGN_OFF.sub("", core)
    return core.strip()


def enrich_emails(emails: pd.DataFrame, top_n: int = 3) -> pd.DataFrame:
    """Per email: sentiment of subject + body, intent from weighted subject and body evidence,
    confidence, technical flag and key phrases.

    `emails` needs `email_id`, `subject_redacted`, `body_redacted`.
    """
    subjects = emails["subject_redacted"].fillna("").tolist()
    bodies = [email_core_text(body) for body in emails["body_redacted"].fillna("").tolist()]
    documents = [f"{subject}.\n{body}" if subject else body
                 for subject, body in zip(subjects, bodies)]
    compound, evidence = sentiment_scores(documents)
    scores = (EMAIL_SUBJECT_WEIGHT * intent_scores(subjects)
              + EMAIL_BODY_WEIGHT * intent_scores(bodies))
    out = pd.DataFrame({"email_id": emails["email_id"].to_numpy()})
    out["sentiment_compound"] = np.round(compound, 4)
    out["sentiment_label"] = sentiment_label(compound)
    out["sentiment_confidence"] = sentiment_confidence(compound, evidence=evidence)
    for name, values in _intent_columns(scores).items():
        out[name] = values
    out["key_phrases"] = key_phrases(documents, top_n)
    out["mentioned_amounts"] = [extract_amounts(document) for document in documents]
    return out


# ------------------------------------------------------------------------------------------
# Entities
# ------------------------------------------------------------------------------------------

_AMOUNT = re.compile(r"(?<![\w.])\$(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d{2}))?(?![\d])")


def extract_amounts(text: str | None) -> list[str]:
    """Distinct money amounts (US dollars) a text mentions, sorted by value, as '12.34' text."""
    if not text:
        return []
    values = {
        f"{int(whole.replace(',', ''))}.{cents or '00'}" for whole, cents in _AMOUNT.findall(text)
    }
    return sorted(values, key=lambda value: (float(value), value))


# ------------------------------------------------------------------------------------------
# Arrow tables with fixed types for the dbt Python models
# ------------------------------------------------------------------------------------------


def _arrow(frame: pd.DataFrame, fields: list[tuple[str, Any]]) -> Any:
    import pyarrow as pa

    schema = pa.schema(fields)
    columns = []
    for name, kind in fields:
        # pandas may hold a missing value as NaN in any column; Arrow wants None.
        values = [None if isinstance(value, float) and value != value else value
                  for value in frame[name].tolist()]
        columns.append(pa.array(values, type=kind))
    return pa.Table.from_arrays(columns, schema=schema)


def message_scores_table(messages: pd.DataFrame) -> Any:
    """enrich_messages as a pyarrow Table (int_chat_messages_scored)."""
    import pyarrow as pa

    return _arrow(enrich_messages(messages), [
        ("message_id", pa.string()),
        ("intent", pa.string()),
        ("sentiment_label", pa.string()),
        ("intent_confidence", pa.float64()),
        ("sentiment_compound", pa.float64()),
        ("sentiment_confidence", pa.float64()),
        ("is_technical_issue", pa.bool_()),
    ])


def conversation_scores_table(messages: pd.DataFrame) -> Any:
    """enrich_conversations as a pyarrow Table (int_chat_conversations_scored)."""
    import pyarrow as pa

    return _arrow(enrich_conversations(messages), [
        ("conversation_id", pa.string()),
        ("intent", pa.string()),
        ("sentiment_label", pa.string()),
        ("start_sentiment_label", pa.string()),
        ("end_sentiment_label", pa.string()),
        ("key_phrases", pa.list_(pa.string())),
        ("intent_confidence", pa.float64()),
        ("sentiment_compound", pa.float64()),
        ("sentiment_confidence", pa.float64()),
        ("start_sentiment_compound", pa.float64()),
        ("end_sentiment_compound", pa.float64()),
        ("is_technical_issue", pa.bool_()),
    ])


def email_scores_table(emails: pd.DataFrame) -> Any:
    """enrich_emails as a pyarrow Table (int_emails_scored)."""
    import pyarrow as pa

    return _arrow(enrich_emails(emails), [
        ("email_id", pa.string()),
        ("intent", pa.string()),
        ("sentiment_label", pa.string()),
        ("key_phrases", pa.list_(pa.string())),
        ("mentioned_amounts", pa.list_(pa.string())),
        ("intent_confidence", pa.float64()),
        ("sentiment_compound", pa.float64()),
        ("sentiment_confidence", pa.float64()),
        ("is_technical_issue", pa.bool_()),
    ])
