"""Where chats, push state, the journal and leadership are kept: TinyDB files or PostgreSQL."""
