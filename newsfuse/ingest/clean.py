"""Cleaning text before it is stored: every later offset points into what this module returns.

Conservative by design: we remove what is certainly not the article (HTML tags and their broken
remnants, entity codes, invisible characters, one-line boilerplate) and normalise layout (paragraphs
separated by one blank line). Words, punctuation and curly quotes stay exactly as written, because
quotes, names and numbers are evidence and must match the source.
"""

from __future__ import annotations

import html
import re

from newsfuse import defaults

# Spaces that look like spaces (NBSP, thin, ideographic...) become plain spaces; characters that are
# invisible (zero-width, soft hyphen, BOM) vanish; line/paragraph separators become newlines.
_SPACE_LIKE = (
    "\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000\t\f\v"
)
_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
_ODD_CHARS = re.compile(f"[{_SPACE_LIKE}{_INVISIBLE}\u2028\u2029\x00-\x08\x0e-\x1f\x7f-\x9f]")
_REPLACEMENT = {c: " " for c in _SPACE_LIKE} | {"\u2028": "\n", "\u2029": "\n\n", "\x85": "\n"}

# Only entities with their semicolon: 'AT&T' or '&not' in plain prose must stay as written.
_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")

# Elements whose *content* is never article text.
_DROP_ELEMENTS = re.compile(r"<(script|style|noscript|template|svg)\b[^>]*>.*?</\1\s*>", re.S | re.I)
_COMMENT = re.compile(r"<!--.*?-->", re.S)

_BLOCK = (
    r"p|div|h[1-6]|li|ul|ol|blockquote|section|article|header|footer|aside|nav|main|figure|"
    r"figcaption|table|tr|pre|dl|dt|dd|hr|form|center"
)
_INLINE = (
    r"br|span|a|b|i|em|strong|u|s|q|font|small|sup|sub|img|iframe|td|th|tbody|thead|html|"
    r"body|head|title|meta|link|time|abbr|cite|del|ins|mark|code|label|button|input|source|"
    r"picture|video|audio|wbr|o:p"
)
_BLOCK_TAG = re.compile(rf"</?(?:{_BLOCK})\b[^<>]*>", re.I)
_BR_TAG = re.compile(r"<br\s*/?>", re.I)
_OTHER_TAG = re.compile(rf"</?(?:{_INLINE})\b[^<>]*>", re.I)
# Broken pieces of tags left by sloppy extraction: a line that is only 'p>', '</p', '<br', '/div>'...
# (a '<' or '>' must be there: a line that is just the word 'Section' or 'Main' is prose)
_REMNANT_LINE = re.compile(rf"^(?=.*[<>])\s*<?/?\s*(?:{_BLOCK}|br|span)\s*/?\s*>?\s*$", re.I)
_REMNANT_START = re.compile(rf"^/?(?:{_BLOCK}|br)>", re.I)
_REMNANT_END = re.compile(rf"</?(?:{_BLOCK}|br)/?$", re.I)

_SPACES = re.compile(r" {2,}")
_BOILERPLATE = re.compile(
    r"""^(?:
        advertisement|advert|sponsored(?:\ content)?|story\ continues\ below(?:\ advertisement)?
      | (?:read|see)\ (?:more|also)\b.*
      | read\ the\ (?:rest|full\ (?:story|article))\b.*
      | related(?:\ (?:articles?|stories|coverage|news))?\s*:.*|related(?:\ (?:articles?|stories))?
      | (?:follow|like|find)\ us\ on\b.*
      | .*\ball\ rights\ reserved\b.*
      | (?:©|copyright\s*(?:©|\(c\)|\d{4})).*
      | subscribe\b.*
      | sign\ up\b.*\b(?:newsletter|briefing|alerts|inbox)\b.*
      | click\ here\b.*
      | share\ (?:this|on)\b.*
      | (?:please\ )?(?:enable|turn\ on)\ javascript\b.*
    )$""",
    re.I | re.X,
)


def clean_text(text: str) -> str:
    """The cleaned form of a plain (or sloppily extracted) article text: paragraphs joined by '\\n\\n'."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = unescape_entities(text)
    text = normalize_chars(text)
    text = strip_tags(text)
    # A remnant line goes entirely (not left blank): a blank would split its paragraph in two.
    lines = [line.strip() for line in text.split("\n")]
    lines = [line for line in lines if not (line and _REMNANT_LINE.match(line))]
    lines = [_SPACES.sub(" ", _strip_remnant_edges(line)).strip() for line in lines]
    lines = [line for line in lines if not is_boilerplate(line)] if any(lines) else lines
    return "\n\n".join(paragraphs(lines))


def html_fragment_to_text(fragment: str) -> str:
    """Text of an HTML fragment (feed content, a record's HTML body): one paragraph per block element."""
    fragment = _COMMENT.sub("", _DROP_ELEMENTS.sub("", fragment))
    fragment = re.sub(r"\s+", " ", fragment)  # in HTML, source line breaks are just spaces
    fragment = _BR_TAG.sub("\n", fragment)
    fragment = _BLOCK_TAG.sub("\n\n", fragment)
    fragment = re.sub(r"<[^<>]*>", "", fragment)  # HTML context: every remaining tag goes
    return clean_text(html.unescape(fragment))


def looks_like_html(text: str) -> bool:
    """True when a record's text field is HTML markup rather than prose with a stray tag."""
    head = text[:4096]
    return len(_BLOCK_TAG.findall(head)) + len(_BR_TAG.findall(head)) >= 2 or bool(
        re.match(r"\s*<(?:!doctype|html|p|div|article)\b", head, re.I)
    )


def unescape_entities(text: str) -> str:
    """Decode '&amp;', '&rsquo;', '&#8217;' ... (only complete entities, see ``_ENTITY``)."""
    if "&" not in text:
        return text
    return _ENTITY.sub(lambda m: html.unescape(m.group(0)), text)


def normalize_chars(text: str) -> str:
    """Odd spaces to spaces, invisible characters and stray control characters removed."""
    # A regex scan is much faster than str.translate with a dict when (as usual) nothing matches.
    return _ODD_CHARS.sub(lambda m: _REPLACEMENT.get(m.group(0), ""), text)


def strip_tags(text: str) -> str:
    """Remove complete HTML tags (block tags break the paragraph) and the content of scripts/styles."""
    if "<" not in text:
        return text
    text = _COMMENT.sub("", _DROP_ELEMENTS.sub("", text))
    text = _BR_TAG.sub("\n", text)
    text = _BLOCK_TAG.sub("\n\n", text)
    return _OTHER_TAG.sub("", text)


def _strip_remnant_edges(line: str) -> str:
    if ">" in line[:8]:
        line = _REMNANT_START.sub("", line)
    if "<" in line[-13:]:
        line = _REMNANT_END.sub("", line)
    return line


def is_boilerplate(line: str) -> bool:
    """A short line that is site furniture, not reporting ('Advertisement', 'Read more: ...')."""
    return bool(line) and len(line) <= defaults.BOILERPLATE_MAX_CHARS and bool(_BOILERPLATE.match(line))


def paragraphs(lines: list[str]) -> list[str]:
    """Group lines into paragraphs at blank lines.

    A text with no blank line at all but several lines (one paragraph per line, as many feeds and
    the second seed are written) gets one paragraph per line. Otherwise lines inside a paragraph
    keep their single line break: joining them would change what the writer wrote.
    """
    if "" not in lines:
        return [line for line in lines if line]
    out: list[str] = []
    current: list[str] = []
    for line in lines:
        if line:
            current.append(line)
        elif current:
            out.append("\n".join(current))
            current = []
    if current:
        out.append("\n".join(current))
    return out
