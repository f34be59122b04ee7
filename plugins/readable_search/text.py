"""Turn TeX into plain Unicode text, page HTML into HTML whose words search can tell apart, and
numbers into their forms with and without thousands separators.

Search excerpts show the text of the index as text: a formula has to read there as it reads on
the page (``∂L/∂z1``, not ``\\(\\partial L/\\partial z_1\\)``). ``tex_to_text`` covers the TeX that
pages write (Greek letters, operators and relations, fractions, sub- and superscripts, accents,
``\\text``, matrices and alignments); a command it does not know becomes its name, so no
backslash is ever left in the index.
"""

from __future__ import annotations

import html
import re
import unicodedata

GREEK = (
    "alpha beta gamma delta epsilon varepsilon zeta eta theta vartheta iota kappa lambda mu nu xi pi varpi rho varrho "
    "sigma varsigma tau upsilon phi varphi chi psi omega"
)


def _words(text: str) -> list[str]:
    return text.split()


SYMBOLS = {
    # Greek
    **dict(zip(_words(GREEK), "αβγδϵεζηθϑικλμνξπϖρϱσςτυϕφχψω", strict=True)),
    **dict(zip(_words("Gamma Delta Theta Lambda Xi Pi Sigma Upsilon Phi Psi Omega"), "ΓΔΘΛΞΠΣΥΦΨΩ", strict=True)),
    # symbols that bind to what follows (no spaces around them)
    "partial": "∂",
    "nabla": "∇",
    "infty": "∞",
    "ell": "ℓ",
    "lfloor": "⌊",
    "rfloor": "⌋",
    "lceil": "⌈",
    "rceil": "⌉",
    "langle": "⟨",
    "rangle": "⟩",
    "lvert": "|",
    "rvert": "|",
    "vert": "|",
    "lVert": "‖",
    "rVert": "‖",
    "Vert": "‖",
    "|": "‖",
    "{": "{",
    "}": "}",
    "_": "_",
    "%": "%",
    "#": "#",
    "&": "&",
    "$": "$",
    "sum": "Σ",
    "prod": "Π",
    "int": "∫",
    "sqrt": "√",
    "dots": "…",
    "ldots": "…",
    "cdots": "⋯",
    "vdots": "⋮",
    "ddots": "⋱",
    "prime": "′",
    "star": "⋆",
    "top": "⊤",
    "intercal": "⊤",
    "ast": "∗",
    "circ": "∘",
    "bullet": "•",
    "emptyset": "∅",
    "forall": "∀",
    "exists": "∃",
    "neg": "¬",
    "lnot": "¬",
}
RELATIONS = {
    "times": "×",
    "cdot": "·",
    "div": "÷",
    "pm": "±",
    "mp": "∓",
    "le": "≤",
    "leq": "≤",
    "ge": "≥",
    "geq": "≥",
    "ne": "≠",
    "neq": "≠",
    "approx": "≈",
    "sim": "∼",
    "simeq": "≃",
    "equiv": "≡",
    "propto": "∝",
    "ll": "≪",
    "gg": "≫",
    "in": "∈",
    "notin": "∉",
    "subset": "⊂",
    "subseteq": "⊆",
    "cup": "∪",
    "cap": "∩",
    "setminus": "∖",
    "wedge": "∧",
    "land": "∧",
    "vee": "∨",
    "lor": "∨",
    "oplus": "⊕",
    "otimes": "⊗",
    "odot": "⊙",
    "to": "→",
    "rightarrow": "→",
    "leftarrow": "←",
    "gets": "←",
    "leftrightarrow": "↔",
    "Rightarrow": "⇒",
    "Leftarrow": "⇐",
    "implies": "⟹",
    "impliedby": "⟸",
    "iff": "⟺",
    "Leftrightarrow": "⇔",
    "mapsto": "↦",
    "mid": "|",
    "colon": ":",
}
FUNCTIONS = set(
    _words(
        "max min argmax argmin sup inf lim log ln exp sin cos tan sinh cosh tanh arcsin arccos arctan "
        "det dim ker rank tr sgn sign deg gcd mod bmod"
    )
)
SPACES = {",": " ", ";": " ", ":": " ", " ": " ", "quad": " ", "qquad": " ", "enspace": " ", "!": "", "/": "", "\\": "; "}
ACCENTS = {
    "hat": "\u0302",
    "widehat": "\u0302",
    "bar": "\u0304",
    "overline": "\u0305",
    "tilde": "\u0303",
    "widetilde": "\u0303",
    "vec": "\u20d7",
    "dot": "\u0307",
    "ddot": "\u0308",
}
TEXTUAL = {
    "text",
    "textrm",
    "textit",
    "textbf",
    "mathrm",
    "mathit",
    "mathbf",
    "mathsf",
    "mathtt",
    "mathcal",
    "mathbb",
    "boldsymbol",
    "bm",
    "operatorname",
    "mbox",
}
FRACTIONS = {"frac", "dfrac", "tfrac", "cfrac"}
IGNORED = {
    "left",
    "right",
    "bigl",
    "bigr",
    "Bigl",
    "Bigr",
    "biggl",
    "biggr",
    "big",
    "Big",
    "bigg",
    "Bigg",
    "displaystyle",
    "textstyle",
    "limits",
    "nolimits",
}
ENVIRONMENTS = {"bmatrix": ("[", "]"), "pmatrix": ("(", ")"), "vmatrix": ("|", "|"), "Bmatrix": ("{", "}")}

SUBSCRIPT = dict(zip("0123456789+-=()aehijklmnoprstuvxβγρφχ", "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎ₐₑₕᵢⱼₖₗₘₙₒₚᵣₛₜᵤᵥₓᵦᵧᵨᵩᵪ", strict=True))
SUPERSCRIPT = dict(
    zip(
        "0123456789+-=()abcdefghijklmnoprstuvwxyzTABDEGHIJKLMNOPRUVW′⊤",
        "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ᵃᵇᶜᵈᵉᶠᵍʰⁱʲᵏˡᵐⁿᵒᵖʳˢᵗᵘᵛʷˣʸᶻᵀᴬᴮᴰᴱᴳᴴᴵᴶᴷᴸᴹᴺᴼᴾᴿᵁⱽᵂ′ᵀ",
        strict=True,
    )
)

_GLUED_AFTER_FUNCTION = {"(", "[", "{", "_", "^", "|", "left", "lfloor", "lceil", "langle", "lVert", "lvert", "bigl", "Bigl"}
_TOKEN = re.compile(r"\\([A-Za-z]+)|\\(.)|(\s+)|(.)", re.DOTALL)


def _tokens(tex: str) -> list[tuple[str, str]]:
    """(kind, value) pairs: ``cmd`` for a control word or symbol, ``space``, or ``char``.

    A space after a control word only ends its name (``\\partial L`` is ∂L), so it is dropped
    before a letter, a digit or another command; before anything else (``\\rfloor + 1``) it is
    kept, as a reader would space it.
    """
    tokens: list[tuple[str, str]] = []

    def after_a_control_word() -> bool:
        return len(tokens) >= 2 and tokens[-1][0] == "space" and tokens[-2][0] == "cmd" and tokens[-2][1].isalpha()

    for word, symbol, space, char in _TOKEN.findall(tex):
        if word or symbol:
            if after_a_control_word():
                tokens.pop()
            tokens.append(("cmd", word or symbol))
        elif space:
            tokens.append(("space", " "))
        else:
            if char.isalnum() and after_a_control_word():
                tokens.pop()
            tokens.append(("char", char))
    return tokens


class _Reader:
    def __init__(self, tex: str) -> None:
        self.tokens = _tokens(tex)
        self.at = 0

    def skip_spaces(self) -> None:
        while self.at < len(self.tokens) and self.tokens[self.at][0] == "space":
            self.at += 1

    def argument(self) -> str:
        """The next argument: a braced group, one command with its own arguments, or one character."""
        self.skip_spaces()
        if self.at >= len(self.tokens):
            return ""
        kind, value = self.tokens[self.at]
        if kind == "char" and value == "{":
            self.at += 1
            return self.sequence(until="}")
        self.at += 1
        if kind == "cmd":
            return self.command(value)
        return value

    def raw_group(self) -> str:
        """A braced group's characters as written (an environment's name)."""
        self.skip_spaces()
        if self.at < len(self.tokens) and self.tokens[self.at] == ("char", "{"):
            self.at += 1
            name = []
            while self.at < len(self.tokens) and self.tokens[self.at] != ("char", "}"):
                name.append(self.tokens[self.at][1])
                self.at += 1
            self.at += 1
            return "".join(name)
        return ""

    def sequence(self, until: str | None = None, *, environment: str | None = None) -> str:
        out: list[str] = []
        while self.at < len(self.tokens):
            kind, value = self.tokens[self.at]
            if kind == "char" and value == until:
                self.at += 1
                break
            if kind == "cmd" and value == "end" and environment is not None:
                self.at += 1
                self.raw_group()
                break
            self.at += 1
            if kind == "space":
                out.append(" ")
            elif kind == "cmd":
                out.append(self.command(value))
            elif value == "{":
                out.append(self.sequence(until="}"))
            elif value == "}":
                continue  # unbalanced: drop it
            elif value == "^":
                out.append(_superscript(self.argument()))
            elif value == "_":
                out.append(_subscript(self.argument()))
            elif value in {"&", "~"}:  # a column, a tie
                out.append(" ")
            elif value == "'":
                out.append("′")
            else:
                out.append(value)
        return "".join(out)

    def command(self, name: str) -> str:
        if name in SPACES:
            return SPACES[name]
        if name in RELATIONS:
            return f" {RELATIONS[name]} "
        if name in SYMBOLS:
            return SYMBOLS[name]
        if name in FUNCTIONS:  # max{…}, cos(ω), but cos ω
            kind, value = self.tokens[self.at] if self.at < len(self.tokens) else ("space", "")
            return name if kind == "space" or value in _GLUED_AFTER_FUNCTION else f"{name} "
        if name in IGNORED:
            if name in ("left", "right") and self.at < len(self.tokens) and self.tokens[self.at] == ("char", "."):
                self.at += 1  # \left. is no delimiter
            return ""
        if name in ACCENTS:
            argument = self.argument()
            return argument[:1] + ACCENTS[name] + argument[1:] if argument else ""
        if name in TEXTUAL:
            return self.argument()
        if name in FRACTIONS:
            numerator, denominator = self.argument(), self.argument()
            return f"{_operand(numerator)}/{_operand(denominator)}"
        if name == "begin":
            environment = self.raw_group()
            opening, closing = ENVIRONMENTS.get(environment, ("", ""))
            body = self.sequence(environment=environment)
            return f"{opening}{_tidy(body).strip('; ')}{closing}"
        if name == "end":
            self.raw_group()
            return ""
        return name  # unknown: its name, never its backslash


def _operand(text: str) -> str:
    """A fraction's part, parenthesised unless it is one symbol or number."""
    text = _tidy(text)
    return text if re.fullmatch(r"[\w.′∂]+|\(.*\)", text) and not _unbalanced(text) else f"({text})"


def _unbalanced(text: str) -> bool:
    return text.startswith("(") and text.count("(") != text.count(")")


def _subscript(text: str) -> str:
    text = _tidy(text)
    if re.fullmatch(r"[A-Za-z0-9]+", text):
        return text  # z_1 reads, and is searched, as z1
    if text and all(char in SUBSCRIPT for char in text.replace(" ", "")):
        return "".join(SUBSCRIPT[char] for char in text.replace(" ", ""))
    return f"({text})" if text else ""


def _superscript(text: str) -> str:
    text = _tidy(text)
    if text and all(char in SUPERSCRIPT for char in text.replace(" ", "")):
        return "".join(SUPERSCRIPT[char] for char in text.replace(" ", ""))
    return f"^({text})" if len(text) > 1 else f"^{text}"


def _tidy(text: str) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    text = re.sub(r"([(\[{⌊⌈⟨]) ", r"\1", text)
    text = re.sub(r" ([)\]}⌋⌉⟩,;.])", r"\1", text)
    return unicodedata.normalize("NFC", text)


def tex_to_text(tex: str) -> str:
    """TeX math as plain Unicode text: ``\\partial L/\\partial z_1`` becomes ``∂L/∂z1``.

    Delimiters (``\\(…\\)``, ``\\[…\\]``, ``$…$``, ``$$…$$``) around the whole are removed.
    """
    tex = tex.strip()
    for opening, closing in (("\\(", "\\)"), ("\\[", "\\]"), ("$$", "$$"), ("$", "$")):
        if tex.startswith(opening) and tex.endswith(closing) and len(tex) >= len(opening) + len(closing):
            tex = tex[len(opening) : -len(closing)]
            break
    return _tidy(_Reader(tex).sequence())


# --- page HTML -------------------------------------------------------------------------------

_ARITHMATEX = re.compile(r"""(<(span|div)\b[^>]*\bclass=(["'])(?:[^"']*\s)?arithmatex(?:\s[^"']*)?\3[^>]*>)(.*?)(</\2>)""", re.DOTALL)
_PRE = re.compile(r"(<pre\b.*?</pre>)", re.DOTALL | re.IGNORECASE)
_BREAK = re.compile(r"(<br\s*/?>)", re.IGNORECASE)
_BLOCK = (
    "address|article|aside|blockquote|caption|dd|details|div|dl|dt|figcaption|figure|footer|h[1-6]|header|hr|li|main|nav|ol|p"
    "|section|summary|table|tbody|td|tfoot|th|thead|tr|ul"
)
_BLOCK_TAG = re.compile(rf"(</?(?:{_BLOCK})\b[^>]*>)", re.IGNORECASE)


def searchable_html(content: str) -> str:
    """A page's HTML as search should read it: formulas as text, and a space wherever the page breaks a line.

    Material's indexer keeps the text of most elements but none of the breaks between them, so
    ``imprecise.<br><strong>Where`` was indexed as ``imprecise.Where``. Spaces go after each
    ``<br>`` and around block-level tags, never inside ``<pre>``, whose text is kept as it is.
    """

    def formula(match: re.Match[str]) -> str:
        opening, tag, _, tex, closing = match.groups()
        text = html.escape(tex_to_text(html.unescape(tex)), quote=False)
        return f"{opening} {text} {closing}" if tag == "div" else f"{opening}{text}{closing}"

    parts = _PRE.split(_ARITHMATEX.sub(formula, content))
    for index in range(0, len(parts), 2):  # the even parts are outside <pre>
        parts[index] = _BLOCK_TAG.sub(r" \1 ", _BREAK.sub(r"\1 ", parts[index]))
    return "".join(parts)


# --- numbers ---------------------------------------------------------------------------------

_GROUPED = re.compile(r"(?<![\d.,])\d{1,3}(?:,\d{3})+(?![\d,]*\d)(?!\.\d)")
_UNGROUPED = re.compile(r"(?<![\d.,])\d{4,}(?![\d.,]*\d)")


def number_variants(text: str) -> list[str]:
    """Each number of ``text`` written the other way: ``96,096`` as ``96096``, and ``96096`` as ``96,096``.

    Search then finds a number typed with or without its thousands separators. Decimals keep
    their fractional part out of this (``1,234.5`` gives ``1234.5``); each variant appears once.
    """
    variants: dict[str, None] = {}
    for match in re.finditer(r"(?<![\d.,])\d[\d,]*(?:\.\d+)?", text):
        number = match.group(0).rstrip(",")
        whole, point, fraction = number.partition(".")
        if re.fullmatch(r"\d{1,3}(?:,\d{3})+", whole):
            variants[whole.replace(",", "") + point + fraction] = None
        elif re.fullmatch(r"\d{4,}", whole):
            variants[f"{int(whole):,}" + point + fraction] = None
    return list(variants)
