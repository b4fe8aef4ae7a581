"""Build src/claimdiff/data/wordnet.json.gz from Open English WordNet (https://github.com/globalwordnet/
english-wordnet, CC BY 4.0, derived from Princeton WordNet under the WordNet licence).

    python bench/build_wordnet.py PATH/TO/english-wordnet

What ships is a small extract for general vocabulary: for each one-word noun, verb and adjective, the
synsets of its first senses (whether two words can name the same thing or event), each synset's
hypernyms, the antonym pairs between senses, and each word's rarer senses that are another word's
first. No article, sample or evaluation text is involved.
"""

from __future__ import annotations

import gzip
import json
import re
import sys
from pathlib import Path

import yaml

SENSES = 4  # a word's first senses: the common ones; rare senses make everything alike
WORD = re.compile(r"^[a-z][a-z\-]*$")
POS = {"n": "n", "v": "v", "a": "a", "s": "a"}


def main(argv: list[str]) -> int:
    root = Path(argv[1]) / "src" / "yaml"
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    sense_synset: dict[str, str] = {}
    words: dict[str, dict[str, list[str]]] = {"n": {}, "v": {}, "a": {}}
    antonym_senses: list[tuple[str, str]] = []
    later: dict[str, dict[str, list[str]]] = {"n": {}, "v": {}, "a": {}}
    for path in sorted(root.glob("entries-*.yaml")):
        for lemma, by_pos in yaml.load(path.read_text("utf-8"), Loader=loader).items():
            lemma = str(lemma)
            for pos, entry in by_pos.items():
                for sense in entry.get("sense", []):
                    sense_synset[sense["id"]] = sense["synset"]
                    for other in sense.get("antonym", []):
                        antonym_senses.append((sense["id"], other))
                if pos not in POS or not WORD.match(lemma):
                    continue
                synsets = words[POS[pos]].setdefault(lemma, [])
                for sense in entry.get("sense", [])[:SENSES]:
                    if sense["synset"] not in synsets:
                        synsets.append(sense["synset"])
                later[POS[pos]].setdefault(lemma, []).extend(s["synset"] for s in entry.get("sense", [])[SENSES:])
    hypernyms: dict[str, list[str]] = {}
    for path in sorted(root.glob("*.yaml")):
        if path.name.startswith(("noun.", "verb.")):
            for synset, data in yaml.load(path.read_text("utf-8"), Loader=loader).items():
                if data.get("hypernym"):
                    hypernyms[synset] = list(data["hypernym"])
    # A rare sense of one word that is the main sense of another: "bring" means first of all to take someone
    # somewhere, a sense "take" has far down its list. The two can name one event.
    main = {pos: {synsets[0] for synsets in by_lemma.values() if synsets} for pos, by_lemma in words.items()}
    leads = {pos: {lemma: sorted({s for s in synsets if s in main[pos]} - set(words[pos][lemma]))
                   for lemma, synsets in by_lemma.items()} for pos, by_lemma in later.items()}
    used = {s for by_lemma in words.values() for synsets in by_lemma.values() for s in synsets}
    ids = {s: i for i, s in enumerate(sorted(used | {h for s in used for h in hypernyms.get(s, [])}))}
    antonyms = set()
    for a, b in antonym_senses:
        la, lb = a.split("%")[0].replace("_", " "), b.split("%")[0].replace("_", " ")
        if WORD.match(la) and WORD.match(lb) and la != lb:
            antonyms.add(tuple(sorted((la, lb))))
    out = {
        "_source": "Open English WordNet (github.com/globalwordnet/english-wordnet), CC BY 4.0; derived from "
                   "Princeton WordNet 3.0, WordNet licence. Extract made by bench/build_wordnet.py.",
        "senses": {pos: {lemma: [ids[s] for s in synsets] for lemma, synsets in sorted(by_lemma.items())}
                   for pos, by_lemma in words.items()},
        "hypernyms": {str(ids[s]): [ids[h] for h in hs if h in ids] for s, hs in sorted(hypernyms.items())
                      if s in ids},
        "antonyms": sorted(antonyms),
        "leads": {pos: {lemma: [ids[s] for s in synsets] for lemma, synsets in sorted(by_lemma.items()) if synsets}
                  for pos, by_lemma in leads.items()},
    }
    target = Path(__file__).resolve().parents[1] / "src" / "claimdiff" / "data" / "wordnet.json.gz"
    with gzip.GzipFile(target, "wb", mtime=0) as fh:
        fh.write(json.dumps(out, separators=(",", ":"), sort_keys=True).encode("utf-8"))
    print(f"{target}: {sum(len(v) for v in words.values())} words, {len(antonyms)} antonym pairs, "
          f"{target.stat().st_size / 1e6:.1f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
