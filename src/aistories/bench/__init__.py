"""`aistories bench`: the full turn measured side by side with raw llama.cpp on the same tokens (issue 13).

One module per job: tap.py records what each turn sent the engine, replay.py times exactly that on the
raw engine (the anchor), session.py plays the scripted turns, coldstart.py, safety_speed.py and
export_speed.py measure the rest, stats.py turns samples into the report, table.py prints it, run.py
runs everything in order.
"""

from .run import run_bench
from .stats import TurnSample, summarise

__all__ = ["TurnSample", "run_bench", "summarise"]
