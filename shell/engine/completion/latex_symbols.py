"""The LaTeX names ``\\alpha<Tab>`` turns into characters: a compact table, built on import.

It covers what people type in formulas and identifiers — Greek letters,
arrows, relations and operators, a few letter-like symbols, and super- and
subscripts — with the names Julia and IPython use (so ``\\epsilon`` is ϵ and
``\\varepsilon`` is ε, as there). Any other character is reachable by its
Unicode name: ``\\N{...}``.

The styled mathematical letters (``\\bbh`` 𝕙, ``\\itvarsigma`` 𝜍,
``\\bfzero`` 𝟎, ``\\bisansA`` 𝘼: about a thousand names) are not listed by
hand but derived from the Unicode character names with Julia's naming
scheme: a style prefix from the name's style words (``bf`` for BOLD,
``bb`` for DOUBLE-STRUCK, ``frak`` for FRAKTUR and BLACK-LETTER, ...)
followed by the letter, the Greek letter's name, or the digit's name.
Modifier letters (``\\^a`` ᵃ) and subscript letters (``\\_beta`` ᵦ) are
derived the same way from their Unicode names.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["LATEX_SYMBOLS", "REVERSE_LATEX_SYMBOLS", "full_table"]

_GREEK = ("alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi omicron pi rho "
          "sigma tau upsilon phi chi psi omega").split()
# Where the Julia/IPython name is not the plain Unicode letter of the same name.
_GREEK_VARIANTS = {
    "epsilon": "\u03f5", "varepsilon": "\u03b5", "phi": "\u03d5", "varphi": "\u03c6",
    "vartheta": "\u03d1", "varrho": "\u03f1", "varsigma": "\u03c2", "varpi": "\u03d6",
    "varkappa": "\u03f0", "digamma": "\u03dd", "Digamma": "\u03dc",
}

_SYMBOLS = {
    # arrows
    "to": "→", "rightarrow": "→", "leftarrow": "←", "gets": "←", "uparrow": "↑", "downarrow": "↓",
    "leftrightarrow": "↔", "updownarrow": "↕", "Rightarrow": "⇒", "Leftarrow": "⇐",
    "Leftrightarrow": "⇔", "Uparrow": "⇑", "Downarrow": "⇓", "mapsto": "↦", "longrightarrow": "⟶",
    "longleftarrow": "⟵", "Longrightarrow": "⟹", "Longleftarrow": "⟸", "longmapsto": "⟼",
    "hookrightarrow": "↪", "hookleftarrow": "↩", "nearrow": "↗", "searrow": "↘", "swarrow": "↙",
    "nwarrow": "↖", "rightleftharpoons": "⇌", "implies": "⟹", "iff": "⟺",
    # relations
    "leq": "≤", "le": "≤", "geq": "≥", "ge": "≥", "neq": "≠", "ne": "≠", "approx": "≈", "equiv": "≡",
    "sim": "∼", "simeq": "≃", "cong": "≅", "propto": "∝", "ll": "≪", "gg": "≫", "prec": "≺",
    "succ": "≻", "preceq": "⪯", "succeq": "⪰", "perp": "⟂", "parallel": "∥", "mid": "∣",
    "models": "⊧", "vdash": "⊢", "dashv": "⊣", "asymp": "≍", "doteq": "≐", "coloneq": "≔",
    # sets and logic
    "in": "∈", "notin": "∉", "ni": "∋", "subset": "⊂", "supset": "⊃", "subseteq": "⊆", "supseteq": "⊇",
    "cup": "∪", "cap": "∩", "setminus": "∖", "emptyset": "∅", "varnothing": "∅", "forall": "∀",
    "exists": "∃", "nexists": "∄", "neg": "¬", "lnot": "¬", "wedge": "∧", "land": "∧", "vee": "∨",
    "lor": "∨", "top": "⊤", "bot": "⊥", "therefore": "∴", "because": "∵", "xor": "⊻",
    # operators
    "pm": "±", "mp": "∓", "times": "×", "div": "÷", "cdot": "⋅", "ast": "∗", "star": "⋆",
    "circ": "∘", "bullet": "∙", "oplus": "⊕", "ominus": "⊖", "otimes": "⊗", "oslash": "⊘",
    "odot": "⊙", "sum": "∑", "prod": "∏", "coprod": "∐", "int": "∫", "iint": "∬", "iiint": "∭",
    "oint": "∮", "sqrt": "√", "cbrt": "∛", "partial": "∂", "nabla": "∇", "infty": "∞",
    "bigcup": "⋃", "bigcap": "⋂", "wr": "≀", "diamond": "⋄", "dagger": "†", "ddagger": "‡",
    # letter-like and miscellany
    "hbar": "ħ", "ell": "ℓ", "Re": "ℜ", "Im": "ℑ", "wp": "℘", "aleph": "ℵ", "beth": "ℶ",
    "angle": "∠", "degree": "°", "prime": "′", "ldots": "…", "cdots": "⋯", "vdots": "⋮",
    "ddots": "⋱", "langle": "⟨", "rangle": "⟩", "lceil": "⌈", "rceil": "⌉", "lfloor": "⌊",
    "rfloor": "⌋", "checkmark": "✓", "euler": "ℯ", "Angstrom": "Å", "S": "§", "P": "¶",
    "copyright": "©", "euro": "€", "pounds": "£", "yen": "¥", "sharp": "♯", "flat": "♭",
    "natural": "♮", "clubsuit": "♣", "diamondsuit": "♢", "heartsuit": "♡", "spadesuit": "♠",
    # blackboard bold
    "bbN": "ℕ", "bbZ": "ℤ", "bbQ": "ℚ", "bbR": "ℝ", "bbC": "ℂ", "bbP": "ℙ", "bbH": "ℍ",
    "bbE": "𝔼", "bbone": "𝟙",
    # LaTeX's accent commands (combining characters: type them after the letter) and text letters
    "grave": "\u0300", "acute": "\u0301", "hat": "\u0302", "tilde": "\u0303", "bar": "\u0304",
    "overbar": "\u0305", "breve": "\u0306", "dot": "\u0307", "ddot": "\u0308", "ocirc": "\u030a",
    "H": "\u030b", "check": "\u030c", "c": "\u0327", "k": "\u0328", "vec": "\u20d7", "not": "\u0338",
    "AA": "Å", "aa": "å", "AE": "Æ", "ae": "æ", "OE": "Œ", "oe": "œ", "O": "Ø", "o": "ø", "ss": "ß",
    "L": "Ł", "l": "ł", "DH": "Ð", "dh": "ð", "eth": "ð", "TH": "Þ", "th": "þ", "NG": "Ŋ", "ng": "ŋ",
    "DJ": "Đ", "dj": "đ", "imath": "ı", "jmath": "ȷ", "hslash": "ℏ", "planck": "ℎ", "schwa": "ə",
    "esh": "ʃ", "yogh": "ʒ", "Finv": "Ⅎ", "Game": "⅁", "gimel": "ℷ", "daleth": "ℸ",
}

_SUPERSCRIPTS = dict(zip("0123456789+-=()", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾"))
_SUPERSCRIPTS.update(zip("abcdefghijklmnoprstuvwxyz", "ᵃᵇᶜᵈᵉᶠᵍʰⁱʲᵏˡᵐⁿᵒᵖʳˢᵗᵘᵛʷˣʸᶻ"))
_SUBSCRIPTS = dict(zip("0123456789+-=()", "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎"))
_SUBSCRIPTS.update(zip("aehijklmnoprstuvx", "ₐₑₕᵢⱼₖₗₘₙₒₚᵣₛₜᵤᵥₓ"))


def _greek() -> dict[str, str]:
    table = {}
    for name in _GREEK:
        unicode_name = "LAMDA" if name == "lambda" else name.upper()
        table[name] = unicodedata.lookup(f"GREEK SMALL LETTER {unicode_name}")
        table[name.capitalize()] = unicodedata.lookup(f"GREEK CAPITAL LETTER {unicode_name}")
    table.update(_GREEK_VARIANTS)
    return table


_STYLES = {"BOLD": "bf", "ITALIC": "it", "BOLD ITALIC": "bi", "SCRIPT": "scr", "BOLD SCRIPT": "bscr",
           "FRAKTUR": "frak", "BLACK-LETTER": "frak", "DOUBLE-STRUCK": "bb", "DOUBLE-STRUCK ITALIC": "bbi",
           "BOLD FRAKTUR": "bfrak", "SANS-SERIF": "sans", "SANS-SERIF BOLD": "bsans",
           "SANS-SERIF ITALIC": "isans", "SANS-SERIF BOLD ITALIC": "bisans", "MONOSPACE": "tt"}
_STYLED = re.compile(r"(?:MATHEMATICAL )?(" + "|".join(sorted(map(re.escape, _STYLES), key=len, reverse=True))
                     + r") (.*)")
# Unicode's names for the Greek variants, as Julia names them (its \epsilon is the lunate ϵ).
_STYLED_GREEK = {"EPSILON SYMBOL": "epsilon", "SMALL EPSILON": "varepsilon", "THETA SYMBOL": "vartheta",
                 "CAPITAL THETA SYMBOL": "varTheta", "KAPPA SYMBOL": "varkappa", "PHI SYMBOL": "phi",
                 "SMALL PHI": "varphi", "RHO SYMBOL": "varrho", "PI SYMBOL": "varpi",
                 "SMALL FINAL SIGMA": "varsigma", "NABLA": "nabla", "PARTIAL DIFFERENTIAL": "partial",
                 "SMALL DOTLESS I": "imath", "SMALL DOTLESS J": "jmath"}
_GREEK_NAMES = {name.upper(): name for name in _GREEK} | {"LAMDA": "lambda", "DIGAMMA": "digamma"}
_DIGITS = {"ZERO", "ONE", "TWO", "THREE", "FOUR", "FIVE", "SIX", "SEVEN", "EIGHT", "NINE"}
_STYLED_BLOCKS = (range(0x1D400, 0x1D800), range(0x2100, 0x2150))  # Mathematical Alphanumerics, Letterlike
_MODIFIER = re.compile(r"(?:MODIFIER LETTER|SUPERSCRIPT LATIN) (SMALL|CAPITAL) (?:LETTER )?(GREEK )?(\w+)"
                       r"|(LATIN|GREEK) SUBSCRIPT (SMALL|CAPITAL) LETTER (\w+)")
_MODIFIER_BLOCKS = (range(0x02B0, 0x0300), range(0x1D00, 0x1DC0), range(0x2070, 0x20A0), range(0x2C7C, 0x2C7E))


def _letter_name(case: str, letter: str) -> str | None:
    """``("SMALL", "H")`` → ``h``, ``("CAPITAL", "ALPHA")`` → ``Alpha``; None for other letters."""
    if len(letter) == 1:
        return letter if case == "CAPITAL" else letter.lower()
    greek = _GREEK_NAMES.get(letter)
    if greek is None:
        return None
    return greek.capitalize() if case == "CAPITAL" else greek


def _styled_name(rest: str) -> str | None:
    """The part of a styled letter's name after its style: ``SMALL FINAL SIGMA`` → ``varsigma``."""
    if rest in _STYLED_GREEK:
        return _STYLED_GREEK[rest]
    case, _, letter = rest.partition(" ")
    if case == "DIGIT" and letter in _DIGITS:
        return letter.lower()
    if case in ("SMALL", "CAPITAL"):
        return _STYLED_GREEK.get(rest) or _letter_name(case, letter)
    return None


def _derived() -> dict[str, str]:
    """Styled letters and modifier letters, named from their Unicode names."""
    table: dict[str, str] = {}
    for block in _STYLED_BLOCKS:
        for code in block:
            char = chr(code)
            match = _STYLED.fullmatch(unicodedata.name(char, ""))
            if match is None:
                continue
            letter = _styled_name(match.group(2))
            if letter:
                table.setdefault(f"\\{_STYLES[match.group(1)]}{letter}", char)
    latin_lookalikes: dict[str, str] = {}
    for block in _MODIFIER_BLOCKS:
        for code in block:
            char = chr(code)
            match = _MODIFIER.fullmatch(unicodedata.name(char, ""))
            if match is None:
                continue
            superscript = match.group(1) is not None
            case, greek, letter = match.group(1, 2, 3) if superscript else match.group(5, 4, 6)
            if greek is None and len(letter) == 1 or greek is not None and len(letter) > 1:
                named = table
            elif len(letter) > 1:
                named = latin_lookalikes  # MODIFIER LETTER SMALL GAMMA is Latin (IPA): \^gamma is ᵞ if there is one
            else:
                continue
            letter = _letter_name(case, letter)
            if letter:
                named.setdefault(f"\\{'^' if superscript else '_'}{letter}", char)
    for name, char in latin_lookalikes.items():
        table.setdefault(name, char)
    return table


def _build() -> dict[str, str]:
    table = _derived()
    table.update((f"\\{name}", char) for name, char in _greek().items())
    table.update((f"\\{name}", char) for name, char in _SYMBOLS.items())
    table.update((f"\\^{key}", char) for key, char in _SUPERSCRIPTS.items())
    table.update((f"\\_{key}", char) for key, char in _SUBSCRIPTS.items())
    return table


_full: dict[str, str] | None = None


def full_table() -> dict[str, str]:
    """:data:`LATEX_SYMBOLS` plus the names only an installed IPython's table has.

    Made on the first LaTeX completion (reading IPython's table takes
    about 15 ms), not when the completer starts.
    """
    global _full
    if _full is None:
        extra = {name: char for name, char in _installed_ipython_names().items() if name not in LATEX_SYMBOLS}
        _full = {**LATEX_SYMBOLS, **extra}
    return _full


def _installed_ipython_names() -> dict[str, str]:
    """IPython's own table, read (never imported) from an installed IPython; {} without one.

    About ninety of IPython's names are Julia's free-form abbreviations
    (``\\trnh`` ɥ, ``\\pbgam`` ɤ, ``\\koppa`` ϟ) that no rule derives from the
    Unicode names. Where IPython is installed, its ``latex_symbols.py`` is
    parsed as data, so those names work as they do there; importing it
    would import all of IPython.
    """
    import ast
    import importlib.util
    from pathlib import Path

    try:
        spec = importlib.util.find_spec("IPython")
        if spec is None or not spec.submodule_search_locations:
            return {}
        path = Path(list(spec.submodule_search_locations)[0]) / "core" / "latex_symbols.py"
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for node in tree.body:
            if (isinstance(node, ast.Assign) and isinstance(node.value, ast.Dict)
                    and any(isinstance(t, ast.Name) and t.id == "latex_symbols" for t in node.targets)):
                found = ast.literal_eval(node.value)
                return {k: v for k, v in found.items() if isinstance(k, str) and isinstance(v, str)}
    except (OSError, SyntaxError, ValueError, ImportError):
        pass
    return {}


LATEX_SYMBOLS: dict[str, str] = _build()
"""``"\\alpha"`` → ``"α"``."""

REVERSE_LATEX_SYMBOLS: dict[str, str] = {}
"""``"α"`` → ``"\\alpha"``: the first (most common) name listed for each character."""
for _name, _char in LATEX_SYMBOLS.items():
    REVERSE_LATEX_SYMBOLS.setdefault(_char, _name)
del _name, _char
