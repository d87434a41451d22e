"""The outside world: configuration, storage, chat adapters, the scheduler tick and the CLI."""
