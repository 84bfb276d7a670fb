"""Load a benchmark script (``bench/NAME.py``) as a module, for the quality gates and bench tests."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

BENCH = Path(__file__).resolve().parent.parent / "bench"


def load(path: str | Path, name: str) -> ModuleType:
    """``path`` (a file, or a script name under ``bench/``) run as the module ``name``. The module is
    registered in ``sys.modules`` first, because dataclasses look their module up while the file runs;
    ``bench/`` goes on ``sys.path`` so a script can import its siblings."""
    file = Path(path) if Path(path).suffix == ".py" else BENCH / f"{path}.py"
    if str(BENCH) not in sys.path:
        sys.path.insert(0, str(BENCH))
    spec = importlib.util.spec_from_file_location(name, file)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module
