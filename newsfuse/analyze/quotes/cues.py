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

* ``INTENTION``: wishes, plans and refusals whose content is an infinitive ('wants to cut
  taxes', 'plans to run', 'refused to testify') or, for some, a clause or object.
* ``STANCE``: positions whose content is the object ('supports the bill', 'opposes the deal',
  'views the plan as a mistake'). Intentions and positions are attributions in the sense of
  attribution corpora (PARC, PolNeAR), but they report an attitude, not words: they get the quote
  kind ``stance`` so that fusion can keep them apart from what was said.

Nominal cues ("Trump's claim that ...", "his support for ...") are left out: on PolNeAR's training
split fewer than a quarter of them are annotated as attributions.

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
        "point", "talk", "discuss", "echo", "reference", "express", "chant", "rule", "detail",
        "outline", "recommend", "forecast", "counter", "retort", "assure", "clarify", "label",
        "dub", "brand", "characterize", "characterise", "liken", "refer", "shout",
        "yell", "reaffirm", "imply", "voice", "highlight", "disavow", "encourage", "remind",
        "implore", "apologize", "apologise",
    }
)

# SPEECH verbs whose direct object is their content ('announced the move', 'denied the report');
# for the others an object is the addressee ('told reporters') or nothing said ('asked a question')
OBJECT_CONTENT = frozenset(
    {
        "announce", "confirm", "deny", "report", "reveal", "propose", "demand", "predict",
        "promise", "acknowledge", "admit", "describe", "accuse", "urge", "recall", "estimate",
        "reiterate", "repeat", "mention", "threaten", "pledge", "vow", "allege", "signal",
        "discuss", "echo", "reference", "express", "detail", "outline", "recommend", "forecast",
        "reaffirm", "voice", "highlight", "disavow",
    }
)

# SPEECH verbs whose infinitive is what was said ('promised to cut taxes', 'agreed to testify')
INFINITIVE_CONTENT = frozenset(
    {"promise", "vow", "pledge", "threaten", "agree", "propose", "demand", "offer", "decide", "refuse"}
)

# verbs that name a predicate for their object, like 'call': 'labelled the plan a "disaster"'
NAMING = frozenset({"label", "dub", "brand", "characterize", "characterise"})

# only with a clause complement: 'thinks that ...' is a stance, 'thinks about' is not
BELIEF = frozenset(
    {
        "believe", "think", "fear", "hope", "worry", "feel", "expect", "understand",
        "realize", "realise", "recognize", "recognise", "doubt", "suspect", "assume", "guess",
        "figure", "imagine", "wonder", "learn", "remember", "bet", "reckon", "decide", "determine",
        "see",
    }
)

# wishes and plans: content is the infinitive ('wants to run'), a clause, or (INTENTION_OBJECT)
# the object ('wants a recount'); kind ``stance``
INTENTION = frozenset(
    {
        "want", "intend", "hope", "seek", "aim", "wish", "expect", "prefer", "refuse",
        "vow", "pledge", "promise", "threaten", "agree", "decide", "offer", "propose", "demand",
    }
)
INTENTION_OBJECT = frozenset({"want", "seek", "expect", "prefer"})

# positions taken toward something: content is the object ('opposes the deal'); kind ``stance``
STANCE = frozenset(
    {
        "support", "oppose", "favor", "favour", "embrace", "champion", "advocate", "resist",
        "like", "love", "hate", "dislike", "admire", "distrust", "trust", "approve", "disapprove",
    }
)

# 'views the deal as a mistake', 'sees him as a threat': a stance only with 'as' after the object
AS_FRAME = frozenset({"view", "regard", "see", "treat", "portray", "cast", "paint"})

# sources of evidence rather than speakers ('the poll shows that ...', 'the study found that ...');
# only with a clause: 'showed restraint' and 'found the body' are events
EVIDENCE = frozenset({"show", "find", "project"})
# ... and only with one of these as subject: 'the attack showed that X' is the outlet's inference
EVIDENCE_SOURCES = frozenset(
    {
        "poll", "survey", "study", "report", "data", "research", "analysis", "figure", "document",
        "record", "filing", "investigation", "review", "audit", "statistic", "test", "probe", "inquiry",
        "polling", "result", "number", "estimate", "projection", "model", "memo", "paper", "article",
        "assessment", "census", "evidence", "experiment", "tracker", "index", "surveys", "exit",
    }
)

# what 'in' can cite as a source without any cue verb: 'In the new Post-ABC poll, Trump wins a
# third of GOP voters', 'has sagged in the polls' (a finding the outlet attributes to the poll)
IN_SOURCES = frozenset({"poll", "survey", "polling", "study", "report"})

# messages whose sender speaks through them: 'Trump released a statement saying X' -> Trump said X
MESSAGES = frozenset(
    {"statement", "letter", "email", "e-mail", "memo", "tweet", "message", "release", "video", "ad", "post"}
)

# verbs whose object is the addressee or target and whose content is their complement:
# 'urged women to vote for X' -> 'to vote for X'; 'accused Cruz of lying' -> 'of lying'
ADDRESSEE_FIRST = frozenset({"urge", "ask", "tell", "accuse", "implore", "encourage", "remind"})

# content is the direct object: the outlet paraphrases what was said
EVALUATIVE = frozenset(
    {
        "criticize", "criticise", "praise", "condemn", "denounce", "welcome", "slam", "blast",
        "reject", "dismiss", "defend", "endorse", "applaud", "decry", "question", "attack",
        "blame", "hail", "mock", "dispute", "ridicule", "lambaste", "rip", "knock", "bash", "fault",
        "deride", "scold", "chide", "rebuke", "tout", "laud", "commend", "thank", "congratulate",
        "challenge", "contradict", "refute", "rebut", "assail", "excoriate", "berate", "disparage",
        "insult", "belittle", "credit", "deplore", "bemoan", "regret", "lambast",
    }
)

# Left out after measuring on PolNeAR's training split, where fewer than a third of their uses are
# annotated as attributions: 'know', 'plan', 'back', 'vote for', 'consider', 'compare'.

# verbs that take a phrasal particle or preposition to be a cue: 'pointed out', 'spoke about'
NEEDS_PARTICLE = {
    "point": {"out", "to"}, "speak": {"about", "of", "out", "against"}, "talk": {"about"},
    "refer": {"to"}, "approve": {"of"}, "disapprove": {"of"},
    "apologize": {"for"}, "apologise": {"for"},
}

# infinitives that say no statement was made: 'declined to comment', 'refused to elaborate'
NO_CONTENT = frozenset({"comment", "elaborate", "speculate"})
# verbs that refuse a statement: 'declined to say whether X' says nothing, X is only the topic
REFUSALS = frozenset({"decline", "refuse"})

# cues that pass on what another source said: the outer source becomes the cited source
RELAY = frozenset({"report", "cite", "quote"})

# raising verbs: in 'Clinton appeared to gain' the outlet judges, Clinton says nothing; such a cue
# (the learned model proposes them, as attribution corpora annotate them) has no source
RAISING = frozenset({"seem", "appear"})

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
