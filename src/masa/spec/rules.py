"""Declarative validation rules: ``left  op  right`` over a partner's figures.

Expressions are tiny and safe (no eval): numbers, + - * /, parentheses, indicator
references with breakdown selections, and ``sum(...)`` over a breakdown::

    bfrs_child_referrals == sum(bfrs_child_referrals[sex=*])
    value <= 100                       # with applies_to: {unit: percent}

A reference without a selection means the total over its unselected breakdowns, within the
context being checked (for example one area).
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Union

OPS: dict[str, Callable[[float, float], bool]] = {
    "==": lambda a, b: abs(a - b) < 1e-9,
    "!=": lambda a, b: abs(a - b) >= 1e-9,
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}

_TOKEN = re.compile(r"\s*(?:(\d+(?:\.\d+)?)|([A-Za-z_][A-Za-z0-9_.-]*)|(\*|[-+/()\[\],=]))")


@dataclass(frozen=True)
class Num:
    value: float


@dataclass(frozen=True)
class Ref:
    indicator: str
    select: tuple[tuple[str, str], ...] = ()  # (breakdown, option or "*")


@dataclass(frozen=True)
class Sum:
    ref: Ref


@dataclass(frozen=True)
class BinOp:
    op: str
    left: Expr
    right: Expr


@dataclass(frozen=True)
class Neg:
    operand: Expr


Expr = Union[Num, Ref, Sum, BinOp, Neg]


class ExprError(ValueError):
    pass


def _tokens(text: str) -> list[str]:
    out, pos = [], 0
    text = text.strip()
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m or m.end() == pos:
            raise ExprError(f"unexpected character {text[pos]!r} at position {pos + 1} in {text!r}")
        out.append(m.group(m.lastindex))
        pos = m.end()
    return out


@dataclass
class _Parser:
    toks: list[str]
    text: str
    i: int = 0

    def peek(self) -> str | None:
        return self.toks[self.i] if self.i < len(self.toks) else None

    def take(self, expected: str | None = None) -> str:
        tok = self.peek()
        if tok is None or (expected is not None and tok != expected):
            want = f"{expected!r}" if expected else "more input"
            raise ExprError(f"expected {want} in {self.text!r}, found {tok!r}")
        self.i += 1
        return tok

    def expr(self) -> Expr:
        node = self.term()
        while self.peek() in ("+", "-"):
            op = self.take()
            node = BinOp(op, node, self.term())
        return node

    def term(self) -> Expr:
        node = self.factor()
        while self.peek() in ("*", "/"):
            op = self.take()
            node = BinOp(op, node, self.factor())
        return node

    def factor(self) -> Expr:
        tok = self.peek()
        if tok == "-":
            self.take()
            return Neg(self.factor())
        if tok == "(":
            self.take()
            node = self.expr()
            self.take(")")
            return node
        if tok is not None and re.fullmatch(r"\d+(?:\.\d+)?", tok):
            self.take()
            return Num(float(tok))
        if tok == "sum":
            self.take()
            self.take("(")
            ref = self.ref()
            self.take(")")
            return Sum(ref)
        return self.ref()

    def ref(self) -> Ref:
        name = self.take()
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_.-]*", name):
            raise ExprError(f"expected an indicator name in {self.text!r}, found {name!r}")
        select: list[tuple[str, str]] = []
        if self.peek() == "[":
            self.take()
            while True:
                dim = self.take()
                self.take("=")
                select.append((dim, self.take()))
                if self.peek() == ",":
                    self.take()
                    continue
                self.take("]")
                break
        return Ref(name, tuple(select))


def parse_expr(text: str) -> Expr:
    p = _Parser(_tokens(str(text)), str(text))
    node = p.expr()
    if p.peek() is not None:
        raise ExprError(f"unexpected {p.peek()!r} in {text!r}")
    return node


def refs(node: Expr) -> list[Ref]:
    if isinstance(node, Ref):
        return [node]
    if isinstance(node, Sum):
        return [node.ref]
    if isinstance(node, BinOp):
        return refs(node.left) + refs(node.right)
    if isinstance(node, Neg):
        return refs(node.operand)
    return []


class Missing(Exception):
    """A referenced figure has no value."""

    def __init__(self, ref: Ref):
        self.ref = ref
        super().__init__(ref.indicator)


Lookup = Callable[[str, dict[str, str]], "float | None"]


@dataclass
class Evaluator:
    """Evaluates expressions for one context (fixed breakdown options, e.g. an area)."""

    lookup: Lookup
    options: Callable[[str], list[str]]  # breakdown code -> option codes
    context: dict[str, str] = field(default_factory=dict)
    value: float | None = None  # for per-value rules

    def eval(self, node: Expr) -> float:
        if isinstance(node, Num):
            return node.value
        if isinstance(node, Neg):
            return -self.eval(node.operand)
        if isinstance(node, BinOp):
            a, b = self.eval(node.left), self.eval(node.right)
            if node.op == "/":
                if b == 0:
                    raise ZeroDivisionError("division by zero in rule")
                return a / b
            return {"+": a + b, "-": a - b, "*": a * b}[node.op]
        if isinstance(node, Ref):
            if node.indicator == "value" and not node.select:
                if self.value is None:
                    raise Missing(node)
                return self.value
            return self._get(node, dict(node.select))
        if isinstance(node, Sum):
            stars = [d for d, o in node.ref.select if o == "*"]
            fixed = {d: o for d, o in node.ref.select if o != "*"}
            total, found = 0.0, False
            for combo in _combos([(d, self.options(d)) for d in stars]):
                v = self.lookup(node.ref.indicator, {**self.context, **fixed, **combo})
                if v is not None:
                    total += v
                    found = True
            if not found:
                raise Missing(node.ref)
            return total
        raise ExprError(f"cannot evaluate {node!r}")

    def _get(self, ref: Ref, select: dict[str, str]) -> float:
        v = self.lookup(ref.indicator, {**self.context, **select})
        if v is None:
            raise Missing(ref)
        return v


def _combos(dims: list[tuple[str, list[str]]]) -> list[dict[str, str]]:
    out: list[dict[str, str]] = [{}]
    for dim, opts in dims:
        out = [{**c, dim: o} for c in out for o in opts]
    return out
