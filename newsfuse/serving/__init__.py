"""What the HTTP API (:mod:`newsfuse.api`) and the web pages (:mod:`newsfuse.web`) share, so that
neither imports the other: JSON-ready views of the store (:mod:`.views`), request dependencies and
parameter types (:mod:`.deps`), the store provider of a server (:mod:`.db`) and the error type and
body (:mod:`.errors`).
"""
