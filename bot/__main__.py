from bot.cli import main

# Guarded: a document is read in a `spawn` worker process (bot/plans/document_limits.py), which
# imports the main module again — it must not run the command line a second time.
if __name__ == "__main__":
    raise SystemExit(main())
