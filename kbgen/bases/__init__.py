"""Obsidian Bases: .base files and ```base blocks, parsed, evaluated over the published notes at build time."""
