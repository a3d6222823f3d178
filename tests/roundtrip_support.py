"""Shared by the round-trip tests: the random-report strategy and the render -> parse -> compare step."""

import os

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from parsers.api import parse_bytes
from xxgk import synth

# (format, section 二 version, section 三 version): both formats and the D8 hybrids
COMBOS = [("gk2019", None, None), ("gk2021", None, None), ("gk2021", None, "gk2019"), ("gk2021", "gk2019", None)]


def soak_settings(examples: int) -> settings:
    """`examples` derandomized examples in CI (fast, the same every run); a soak run draws new ones:
    XXGK_SOAK_EXAMPLES=1000 XXGK_SOAK_RANDOM=1 python -m pytest tests/test_roundtrip*.py tests/test_damaged*.py"""
    return settings(max_examples=int(os.environ.get("XXGK_SOAK_EXAMPLES", examples)), deadline=None,
                    suppress_health_check=[HealthCheck.too_slow],
                    derandomize=not os.environ.get("XXGK_SOAK_RANDOM"))


@st.composite
def reports(draw, blanks=True):
    version, s2v, s3v = draw(st.sampled_from(COMBOS))
    rate = draw(st.sampled_from([0.0, 0.0, 0.3, 0.7, 1.0])) if blanks else 0.0
    return synth.random_report(draw(st.integers(0, 2**31 - 1)), version, s2_version=s2v, s3_version=s3v,
                               blank_rate=rate, blank_style=draw(st.sampled_from(["cells", "columns"])),
                               scale=draw(st.sampled_from([None, 1, 5, 50, 2000])))


def roundtrip(rep, layout, render_seed, **options):
    """Render, parse back and compare; set XXGK_REPRO_DIR to keep a failing document and its truth."""
    data = synth.render(rep, layout, render_seed, **options)
    parsed = parse_bytes(data, f"synth-{rep.seed}{synth.SUFFIX[layout]}")
    errs = synth.compare(rep, parsed, synth.is_lossless(layout, rep, options))
    if errs and os.environ.get("XXGK_REPRO_DIR"):
        synth.save_repro(os.environ["XXGK_REPRO_DIR"], rep, layout, data, options, errs)
    assert not errs, f"{layout} {options} seed={rep.seed}:\n" + "\n".join(errs[:25])
    return parsed
