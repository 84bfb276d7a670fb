"""Analysis of one article: parse once (:mod:`nlp`), then rule steps on the spaCy-free parse
(:mod:`entities`, :mod:`dates`, :mod:`amounts`, :mod:`quotes`, :mod:`events`), run by :mod:`pipeline`."""
