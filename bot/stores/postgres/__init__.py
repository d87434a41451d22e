"""PostgreSQL: the store, its migrations, and what several processes share."""
