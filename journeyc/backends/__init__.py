"""Backends: a resolved Compilation -> JSON, DOT, Mermaid, ..."""
