"""Judging candidate matches: guards, rule kinds, suppressions and the per-document check."""
