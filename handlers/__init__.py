"""The conversation: messages and button presses in, replies and state changes out. No chat SDK here."""
