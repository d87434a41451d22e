"""Channels: how messages reach the bot and leave it, one module or package per platform."""
