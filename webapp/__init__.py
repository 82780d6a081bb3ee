"""The Mini App's static files: one page (index.html), its script and style, one script
per page of the app (pages/), served by `handlers.webapp` under /app/ [issue 18]."""
