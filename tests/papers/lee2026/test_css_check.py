"""The CSS-versus-training check trains one fixed GRU on candidates spread over the CSS ranking."""

import pandas as pd

from bearingkit.papers.lee2026.css_check import css_versus_training
from bearingkit.papers.lee2026.screening import Candidate


def test_the_check_trains_the_best_and_the_worst_candidate_and_ranks_them(make_synthetic, tiny_settings):
    data = make_synthetic(n_per_class=10, length=256)
    pool = [Candidate(band=band) for band in ((200.0, 300.0), (2500.0, 3500.0), (4000.0, 5000.0))]
    css = pd.Series([0.1, 0.9, float("nan")])
    check = css_versus_training(data, pool, css, settings=tiny_settings, seed=0)
    assert list(check.table["candidate"]) == [pool[1].label, pool[0].label]      # best first, NaN left out
    assert check.table["css"].tolist() == [0.9, 0.1] and check.table["f_cv"].between(0, 1).all()
    assert -1 <= check.rho <= 1 and check.summary.startswith("Spearman rho(CSS, trained F_CV)")
