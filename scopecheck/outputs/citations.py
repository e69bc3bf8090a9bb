"""One way to write a citation in every human-readable output."""
from __future__ import annotations


def describe_citation(c: dict) -> str:
    text = f"{c['body']}, {c['document']}"
    if c.get("version"):
        text += f" ({c['version']})"
    if c.get("section"):
        text += f", {c['section']}"
    return text
