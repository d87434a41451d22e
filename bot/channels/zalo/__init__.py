"""The Zalo Bot Platform: its HTTP client, the channel on top of it, its monthly allowance."""
