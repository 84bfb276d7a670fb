"""newsfuse: read many news reports of one story and fuse them into one cross-checked picture."""

__version__ = "0.1.0"
