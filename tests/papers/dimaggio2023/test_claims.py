"""The verdict of notebook 01: each claim with this run's numbers, and the rules that decide some."""

from __future__ import annotations

import pandas as pd
import pytest

from bearingkit.papers.dimaggio2023 import claims
from bearingkit.papers.dimaggio2023.settings import Settings

SIM = ("simulated", "paper")


def test_mean_accuracy_averages_the_runs_of_one_method(runs):
    assert claims.mean_accuracy(runs[SIM], "YAMNet transfer") == 51.0
    assert claims.mean_accuracy(runs[SIM], "YAMNet transfer", "train") == 90.0
    assert pd.isna(claims.mean_accuracy(runs[SIM], "VGGish transfer"))


def test_unavailable_methods_give_their_reason(runs):
    not_run = {"VGGish transfer": "not run: weights unreachable", "VGG16 (ImageNet)": "not run: offline"}
    assert claims.vggish_transfer_claim(runs[SIM], not_run=not_run) == "not run: weights unreachable"
    assert claims.audio_vs_image_claim(runs[SIM], not_run=not_run) == "not run: offline"
    assert claims.from_scratch_claim(runs[SIM], not_run={}) == "not run"


def test_from_scratch_collapse_is_decided_by_the_number_of_classes_predicted(make_result):
    one_class = [make_result("VGGish from scratch", 33.3, n_test=6, y_pred=[0] * 6)]
    assert claims.from_scratch_claim(one_class, not_run={}) == "33.3 % test, predicts 1 class(es) (collapsed)"
    assert claims.from_scratch_claim(one_class, not_run={}, max_classes=0).endswith("(did not collapse)")


def test_yamnet_claim_gives_each_seed_the_schedule_and_the_standard_error(runs):
    text = claims.yamnet_claim(runs[SIM])
    assert text.startswith("head 51.0 % test (per seed 50.0 / 52.0; 216 updates, 18 epochs of 12 steps)")
    assert "converged linear probe 50.0 %; n = 48 test chunks, SE 7.2 points" in text
    assert "plateau" not in text                          # no plateau run: nothing said about it


@pytest.mark.parametrize(("plateau", "state"), [(56.0, "below its plateau"), (52.0, "at its plateau")])
def test_a_head_is_below_its_plateau_when_the_longer_run_gains_more_than_the_threshold(runs, make_result,
                                                                                      plateau, state):
    longer = make_result("YAMNet transfer: plateau", plateau, seed=1,
                         schedule={"steps_per_epoch": 12, "epochs": 144, "iterations": 1728})
    results = [*runs[SIM], longer]
    assert claims.plateau_gap(results) == pytest.approx(plateau - 50.0)     # against seed 1's 50.0 %
    text = claims.yamnet_claim(results)
    assert (f"trained to its plateau (1728 updates, seed 1) {plateau:.1f} %, {plateau - 50:+.1f} points: "
            f"Table 2's schedule leaves it {state} (threshold 3 points)") in text
    assert claims.yamnet_claim(results, plateau_points=10.0).count("at its plateau") == 1


def test_vgg16_and_embedding_claims_report_every_split(runs):
    assert claims.vgg16_order_claim(runs[SIM]).endswith("train / validation / test: 90.0 / 80.0 / 40.0 %")
    text = claims.embedding_vs_features_claim(runs)
    assert text == ("YAMNet head 51.0 / 76.0 / 51.0 %; YAMNet linear probe 50.0 / 75.0 / 50.0 %; "
                    "46 features 60.0 / 70.0 / 52.0 %")


def test_split_gap_counts_only_beyond_z_standard_errors(make_result):
    paper = [make_result("m", 90.0, n_test=48)]
    gap, beyond = claims.split_gap(paper, [make_result("m", 75.0, n_test=48)], "m", z=2.0)
    assert gap == pytest.approx(15.0) and not beyond                     # SE of the difference: 7.5 points
    assert claims.split_gap(paper, [make_result("m", 75.0, n_test=48)], "m", z=1.5)[1]
    assert not claims.split_gap(paper, [make_result("m", 95.0, n_test=48)], "m", z=0.1)[1]


def test_split_gap_claim_says_whether_the_paper_split_is_favoured(runs, make_result):
    text = claims.split_gap_claim(runs, snr_at_slowest_db=-27.4, test_speeds=(457.0, 877.0))
    assert ("held-out-speeds test is 76.0 % (YAMNet head) and 70.0 % (46 features) against 51.0 % and "
            "60.0 % on the paper split") in text
    assert "no gap in the paper split's favour here" in text and "(457.0, 877.0) rpm" in text
    assert "SNR is -27 dB" in text and "drop from 100.0 % to 52.0 % on an unseen fault size" in text
    favoured = {**runs, ("simulated", "held-out speeds"): [
        make_result("YAMNet transfer", 20.0), make_result("46 features + logistic regression", 60.0)]}
    text = claims.split_gap_claim(favoured, snr_at_slowest_db=-27.4, test_speeds=(457.0,))
    assert "a gap in the paper split's favour (YAMNet transfer 31.0 points, beyond 2 SE)" in text


def test_amplitude_law_claim_reads_the_sensitivity_table():
    table = pd.DataFrame({"split": ["paper", "held-out speeds"], "method": ["YAMNet transfer"] * 2,
                          "test, now": [45.8, 60.0], "test, before issue 19": [70.8, 80.0]})
    assert claims.amplitude_law_claim(table.set_index(["split", "method"])) == (
        "test accuracy now vs before, paper split: YAMNet transfer 45.8 vs 70.8 %")


def test_verdict_gathers_every_claim_in_order(runs):
    severity = pd.DataFrame({"OR fault SNR (dB)": [-27.0]},
                            index=pd.MultiIndex.from_tuples([("speed (now)", 127.0)], names=["law", "rpm"]))
    sensitivity = pd.DataFrame(columns=["test, now", "test, before issue 19"],
                               index=pd.MultiIndex.from_tuples([], names=["split", "method"]))
    verdict = claims.verdict(runs, not_run={"VGGish transfer": "off", "VGG16 (ImageNet)": "off"},
                             severity=severity, sensitivity=sensitivity, settings=Settings())
    assert len(verdict) == 8 and list(verdict)[0].startswith("VGGish transfer reaches 99.07 %")
    assert verdict["VGGish transfer reaches 99.07 % (simulated, paper split)"] == "off"
    assert "SNR is -27 dB" in verdict[
        "a random split measures the fault, not the recording (paper split vs held-out conditions)"]
