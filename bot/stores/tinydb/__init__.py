"""The embedded store: one JSON file in TinyDB's layout and its side files."""
