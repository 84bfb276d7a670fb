"""``newsfuse watch``: poll live sources until stopped and fuse each new article as it arrives.

:class:`Watcher` runs the loop (fetches on worker threads: :mod:`.jobs`; watch state and articles
written on the calling thread; analysis and fusion pipelined on threads of their own: :mod:`.fusing`,
with the encoder loaded up front: :mod:`.warm`); :mod:`.status` counts
what it does for the status line and logs; :mod:`.alerts` turns rules into notices. The watch sits
above the pipeline: it runs ingest -> analyze -> fuse.
"""

from newsfuse.watch.loop import Watcher, WatchOptions

__all__ = ["WatchOptions", "Watcher"]
