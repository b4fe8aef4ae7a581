"""The quality gate itself: it fails when a figure drops below its pinned floor."""

from __future__ import annotations

import importlib.util
import json

from conftest import ROOT

spec = importlib.util.spec_from_file_location("bench_eval", ROOT / "bench" / "eval.py")
bench_eval = importlib.util.module_from_spec(spec)
spec.loader.exec_module(bench_eval)

BASELINE = json.loads((ROOT / "bench" / "baseline.json").read_text())


def figures(f1=0.9, recall=0.9, precision=0.9, fa=0.01, found=7, false_alarms=0, sets_precision=0.9):
    return {"fnc1_story": {"f1": f1, "recall": recall, "precision": precision, "agree_false_alarm_rate": fa},
            # The whole-file FNC-1 figure is in-sample for the stance model: reported, never gated.
            "fnc1": {"f1": 0.0, "recall": 0.0, "precision": 0.0, "agree_false_alarm_rate": 1.0},
            "multisource": {"recall": 0.9, "precision": sets_precision, "f1": 0.9, "trap_hits": 0, "errors": 0,
                            "recall_by_kind": {}},
            "samples": {"s": {"found": found, "planted": 7, "recall": found / 7, "false_alarms": false_alarms}}}


def test_gate_passes_good_figures():
    assert bench_eval.check(figures(), BASELINE) == []


def test_gate_fails_when_f1_split_by_story_drops():
    failures = bench_eval.check(figures(f1=BASELINE["fnc1_story_floor"]["f1"] - 0.01), BASELINE)
    assert any("split by story" in f and "f1" in f for f in failures)


def test_gate_fails_when_multisource_precision_drops():
    failures = bench_eval.check(figures(sets_precision=BASELINE["multisource_floor"]["precision"] - 0.01), BASELINE)
    assert any("multisource precision" in f for f in failures)


def test_gate_fails_on_false_alarms_and_sample_misses():
    assert bench_eval.check(figures(fa=0.5), BASELINE)
    assert bench_eval.check(figures(found=6), BASELINE)
    assert bench_eval.check(figures(false_alarms=1), BASELINE)


def test_sample_sets_meet_the_gate():
    samples = bench_eval.evaluate_samples()
    assert samples and all(s["recall"] == 1.0 and s["false_alarms"] == 0 for s in samples.values())
