"""The committee's web page, served by `chibo run` itself on aiohttp: status per plan and
deadline with the nudge and the export, calendar feeds (ICS) for every chat and committee.

`server.py` holds the route table and starts the server; `auth.py` the one-time login links, the
signed session cookie and CSRF tokens; `pages.py` the pages; `feeds.py` the ICS feeds;
`templates/` the Jinja2 templates (server-rendered HTML, no JavaScript needed to read).
"""
