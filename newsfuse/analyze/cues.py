"""Word lists for attribution: cue verbs by lemma, anonymous-source nouns, news outlets.

Cue verbs are grouped by what their content looks like, because that decides where the content is
found in the parse:

* ``SPEECH``: verbs of saying whose content is a clause or a quote ('said that ...', '"...," he
  said'). Chosen from the reporting verbs of news style guides and the cue lists of attribution
  corpora (PARC, PolNeAR); verbs that mostly describe events rather than speech ('show', 'want',
  'plan', 'support') are left out on purpose: newsfuse's events stage covers those.
* ``BELIEF``: verbs of cognition reported as a stance ('believes that ...'); only with a clause.
* ``EVALUATIVE``: acts of speech whose content is their object ('criticized the decision',
  'praised Biden's decision'); the words are the outlet's paraphrase, so confidence is lower.
* ``EVIDENCE``: polls, studies and reports as sources ('the poll shows that ...'); only with a clause.
* ``call`` is special: a cue only with a second complement ('calling it a dangerous escalation')
  or with 'for' ('called for talks'), never as 'call a meeting'.
* a headline-style line 'Macron: Putin does not want peace' uses the colon as its cue.

Intentions and positions ('wants', 'plans', 'supports', 'backs') are not quotes here, though
attribution corpora such as PolNeAR annotate them; that costs recall on such benchmarks by design.

'comment' is deliberately absent: 'X declined to comment' carries no content, so it yields no quote.
"""

from __future__ import annotations

SPEECH = frozenset(
    {
        "say", "tell", "state", "add", "warn", "note", "claim", "confirm", "deny", "announce",
        "insist", "argue", "stress", "mention", "indicate", "report", "write", "explain",
        "declare", "acknowledge", "admit", "reply", "respond", "answer", "ask", "suggest",
        "tweet", "recall", "predict", "promise", "vow", "pledge", "assert", "maintain",
        "reiterate", "emphasize", "emphasise", "concede", "complain", "caution", "allege",
        "contend", "observe", "remark", "testify", "speak", "continue", "conclude", "reveal",
        "agree", "estimate", "cite", "quote", "urge", "describe", "accuse",
        "repeat", "joke", "lament", "boast", "propose", "threaten", "demand", "hint", "signal",
        "point", "talk",
    }
)

# SPEECH verbs whose direct object is their content ('announced the move', 'denied the report');
# for the others an object is the addressee ('told reporters') or nothing said ('asked a question')
OBJECT_CONTENT = frozenset(
    {
        "announce", "confirm", "deny", "report", "reveal", "propose", "demand", "predict",
        "promise", "acknowledge", "admit", "describe", "accuse", "urge", "recall", "estimate",
        "reiterate", "repeat", "mention", "threaten", "pledge", "vow", "allege", "signal",
    }
)

# only with a clause complement: 'thinks that ...' is a stance, 'thinks about' is not
BELIEF = frozenset({"believe", "think", "fear", "hope", "worry", "feel"})

# sources of evidence rather than speakers ('the poll shows that ...', 'the study found that ...');
# only with a clause: 'showed restraint' and 'found the body' are events
EVIDENCE = frozenset({"show", "find"})
# ... and only with one of these as subject: 'the attack showed that X' is the outlet's inference
EVIDENCE_SOURCES = frozenset(
    {
        "poll", "survey", "study", "report", "data", "research", "analysis", "figure", "document",
        "record", "filing", "investigation", "review", "audit", "statistic", "test", "probe", "inquiry",
    }
)

# verbs whose object is the addressee or target and whose content is their complement:
# 'urged women to vote for X' -> 'to vote for X'; 'accused Cruz of lying' -> 'of lying'
ADDRESSEE_FIRST = frozenset({"urge", "ask", "tell", "accuse", "implore", "encourage", "remind"})

# content is the direct object: the outlet paraphrases what was said
EVALUATIVE = frozenset(
    {
        "criticize", "criticise", "praise", "condemn", "denounce", "welcome", "slam", "blast",
        "reject", "dismiss", "defend", "endorse", "applaud", "decry", "question", "attack",
        "blame", "hail", "mock", "dispute",
    }
)

# verbs that take a phrasal particle or preposition to be a cue: 'pointed out', 'spoke about'
NEEDS_PARTICLE = {"point": {"out", "to"}, "speak": {"about", "of"}, "talk": {"about"}}

# cues that pass on what another source said: the outer source becomes the cited source
RELAY = frozenset({"report", "cite", "quote"})

# head nouns of unnamed sources ('American officials', 'a source', 'people familiar with ...')
ANONYMOUS_HEADS = frozenset(
    {
        "official", "source", "aide", "insider", "diplomat", "person", "people", "spokesperson",
        "spokesman", "spokeswoman", "representative", "staffer", "adviser", "advisor", "employee",
        "officer", "member", "investigator", "lawmaker", "negotiator",
    }
)

# phrases that mark a source as anonymous wherever they appear in its sentence
ANONYMITY_MARKERS = (
    "condition of anonymity",
    "not authorized to",
    "not authorised to",
    "declined to be named",
    "asked not to be named",
    "requested anonymity",
    "speaking anonymously",
    "anonymous",
)

# news organisations (normalised, lower case) recognised even when the parser misses the ORG label
WIRE_SERVICES = frozenset(
    {
        "reuters", "ap", "associated press", "afp", "agence france-presse", "bloomberg", "tass",
        "ria novosti", "interfax", "xinhua", "dpa", "efe", "ansa", "kyodo", "yonhap", "ukrinform",
        "menafn", "upi", "pa", "anadolu",
    }
)

# last words of newspaper and broadcaster names ('The Times', 'the Wall Street Journal')
OUTLET_WORDS = frozenset(
    {
        "times", "post", "journal", "guardian", "telegraph", "tribune", "herald", "gazette",
        "observer", "independent", "economist", "politico", "axios", "cnn", "bbc", "nbc", "cbs",
        "abc", "fox", "msnbc", "npr", "newspaper", "agency", "broadcaster", "outlet", "magazine",
        "daily", "news", "courier", "ledger", "chronicle", "globe", "mail", "express", "mirror",
    }
)

# pronouns that name a speaker only through what came before
PERSON_PRONOUNS = frozenset({"he", "she", "him", "her"})
PRONOUNS = PERSON_PRONOUNS | {"they", "them", "we", "i", "it", "you", "who", "which", "that"}

# labels of named entities that can speak
SPEAKER_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP"})
