"""Test support code shared by the conftest files (not tests themselves)."""
