"""Plans as files: the library a bot serves, committees, importing and publishing."""
