"""The scheduler tick: what is due since each chat was last served, sent once."""
