"""``newsfuse watch``: poll live sources until stopped and fuse each new article as it arrives.

:class:`Watcher` runs the loop (fetches on worker threads, watch state and articles written on the
calling thread, analysis and fusion on a thread of their own: :mod:`.fusing`); :mod:`.status` counts
what it does for the status line and logs; :mod:`.alerts` turns rules into notices. The watch sits
above the pipeline: it runs ingest -> analyze -> fuse.
"""

from newsfuse.watch.loop import Watcher, WatchOptions

__all__ = ["WatchOptions", "Watcher"]
