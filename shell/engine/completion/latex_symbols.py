"""The LaTeX names ``\\alpha<Tab>`` turns into characters: a compact table, built on import.

It covers what people type in formulas and identifiers — Greek letters,
arrows, relations and operators, a few letter-like symbols, blackboard
bold, and super- and subscripts — with the names Julia and IPython use
(so ``\\epsilon`` is ϵ and ``\\varepsilon`` is ε, as there). Any other
character is reachable by its Unicode name: ``\\N{...}``.
"""

from __future__ import annotations

import unicodedata

__all__ = ["LATEX_SYMBOLS", "REVERSE_LATEX_SYMBOLS"]

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


def _build() -> dict[str, str]:
    table = {f"\\{name}": char for name, char in _greek().items()}
    table.update((f"\\{name}", char) for name, char in _SYMBOLS.items())
    table.update((f"\\^{key}", char) for key, char in _SUPERSCRIPTS.items())
    table.update((f"\\_{key}", char) for key, char in _SUBSCRIPTS.items())
    return table


LATEX_SYMBOLS: dict[str, str] = _build()
"""``"\\alpha"`` → ``"α"``."""

REVERSE_LATEX_SYMBOLS: dict[str, str] = {}
"""``"α"`` → ``"\\alpha"``: the first (most common) name listed for each character."""
for _name, _char in LATEX_SYMBOLS.items():
    REVERSE_LATEX_SYMBOLS.setdefault(_char, _name)
del _name, _char
