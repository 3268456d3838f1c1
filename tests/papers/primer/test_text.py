"""The primer's generated prose: its numbers come from the stage results, its verdicts from the claims."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest

from bearingkit.papers.primer import bands, envelope, exercises, rate, text, traps
from bearingkit.papers.primer.detection import detection_study
from bearingkit.papers.primer.settings import check_parameters, settings_for
from bearingkit.papers.primer.traps import HeldOutSize

BAND = (2_000.0, 4_000.0)


def test_flow_joins_paragraph_lines_and_keeps_list_items():
    assert text.flow("""
        a b
        c

        * d
          e
        * f
        g""") == "a b c\n\n* d e\n* f g"


def test_run_summary_names_the_profile_knobs_and_the_parameters():
    params = check_parameters(records={"normal": 97, "inner": 105, "ball": 118, "outer": 130},
                              band=(2e3, 4e3), kurtogram_level0="envelope", window=2048, hop=512,
                              classifier="1nn", sim_slip=0.01, sim_snr_db=-5.0, sim_resonance_hz=3e3, seed=4)
    line = text.run_summary("quick", settings_for("quick"), params)
    assert line.startswith("profile='quick' {'sim_duration': 4.0, 'n_estimators': 100, 'repeats': 1, "
                           "'noise_trials': 10}, seed=4;")
    assert "classifier 1nn; simulator slip 0.01, SNR -5.0 dB" in line


def test_view_paragraphs_read_the_records(synthetic_view):
    traces = text.time_traces_text(synthetic_view)
    assert f"{1e3 / synthetic_view.lines['outer'].bpfo:.1f} ms apart" in traces
    detection = detection_study(synthetic_view.records["normal"], dict(synthetic_view.records))
    paragraph = text.detection_text(detection)
    zones = detection.table["iso_zone"].value_counts()
    assert f"of the {len(detection.faulty)} fault records" in paragraph
    assert all(f"{zone} for {n} record(s)" in paragraph for zone, n in zones.items())
    assert ("Neither impulsiveness indicator flags" in paragraph) == bool(detection.missed())


def test_kurtogram_and_sk_paragraphs(synthetic_view, sk_study):
    study = bands.kurtogram_study(synthetic_view.signals(), fs=12_000.0, nlevel=4, level0="envelope")
    fixed = text.kurtogram_text(study, synthetic_view, band=(2_000.0, 4_000.0))
    assert "**one fixed band, 2–4 kHz**" in fixed and "kurtosis_2_4kHz" in fixed
    assert fixed.count("\n* **") == 2                         # the two race records, one item each
    own = text.kurtogram_text(study, synthetic_view, band="kurtogram")
    assert "its own kurtogram band" in own and "kurtosis_2_4kHz" not in own
    paragraph = text.spectral_kurtosis_text(sk_study, synthetic_view)
    falls = all(sk_study.largest(label)[0] > sk_study.largest(label)[-1] for label in ("outer", "inner"))
    assert ("the longer the frame" in paragraph) == falls
    assert "for frames of 32, 256 samples" in paragraph


def _near_120(from_harmonic, from_mains):
    return pd.DataFrame({"found_hz": [119.7, 119.72], "ratio": [10.0, 3.0], "4 f_r (Hz)": [119.72, 119.73],
                         "bin (Hz)": [0.1, 0.2], "bins from 4 f_r": from_harmonic,
                         "bins from 120 Hz": from_mains}, index=["inner", "normal"])


def test_near_120_verdict_follows_the_claim():
    assert "It is the **4th shaft harmonic**" in text.near_120_text(_near_120([0.2, 0.1], [-3.0, -1.4]))
    assert "cannot be assigned" in text.near_120_text(_near_120([2.0, 0.1], [-3.0, -1.4]))


def test_band_width_verdict_follows_the_rule():
    depth = pd.DataFrame({"BPFI": [0.0, 1.0, 1.0]}, index=[100.0, 200.0, 400.0])
    follows = text.band_width_text(bands.BandWidth(depth, {"BPFI": 162.0}), band=(2_000.0, 4_000.0))
    assert "200 Hz (BPFI, 162 Hz): only once the band is wider" in follows and "is 2 kHz wide." in follows
    early = text.band_width_text(bands.BandWidth(depth, {"BPFI": 262.0}), band="kurtogram")
    assert "not every line waits" in early and early.endswith("dominate.")


def test_line_paragraphs(synthetic_view, short_settings):
    spectra = envelope.envelope_spectra(synthetic_view, dict.fromkeys(synthetic_view.records, BAND))
    tables = envelope.peak_tables(spectra, synthetic_view.lines)
    grading = envelope.grading_study(synthetic_view, spectra, band=(2_000.0, 4_000.0),
                                     settings=dataclasses.replace(short_settings, noise_trials=2), seed=0)
    paragraph = text.grading_text(grading, fs=12_000.0)
    assert "(2 records × 25 targets between 10 and 500 Hz)" in paragraph
    assert f"**Y** from {grading.thresholds['Y']:.1f}" in paragraph
    peaks = envelope.graded_peaks(tables, grading.thresholds)
    spectra_text = text.spectra_text(tables, peaks, synthetic_view)
    assert f"A line at BPFO stands {tables['outer'].loc['BPFO', 'ratio']:.0f} times" in spectra_text
    assert spectra_text.count("\n* **") == 4
    pre = envelope.prewhitened_lines(synthetic_view, tables, band=(500.0, 5_500.0))
    assert f"BPFO {pre.ratios['outer']['BPFO']:.0f} in 130.mat" in text.prewhitened_text(
        pre, synthetic_view, thresholds=grading.thresholds)


@pytest.mark.parametrize(("bpfo", "bpfi", "words"), [
    (0.003, -0.002, "the opposite of slip"), (-0.003, 0.002, "as slip (or a smaller contact angle)"),
    (0.003, 0.002, "Both move the same way")])
def test_line_shift_reading_follows_the_signs(synthetic_view, bpfo, bpfi, words):
    published = {"bpfo": 3.5848, "bpfi": 5.4152}
    measured = {"bpfo": 3.5848 * (1 + bpfo), "bpfi": 5.4152 * (1 + bpfi)}
    shift = envelope.LineShift(measured=measured, header=measured, published=published,
                               shift={"bpfo": bpfo, "bpfi": bpfi})
    assert words in text.line_shift_text(shift, synthetic_view)


def test_rate_paragraphs(synthetic_view):
    fs, rpm = 48_000.0, 1_796.0
    t = np.arange(int(4 * fs)) / fs
    x = sum(np.cos(2 * np.pi * k * rpm / 60 * t) / k for k in (1, 2, 3)) + 0.01 * np.sin(2 * np.pi * 240 * t)
    rec = rate.Recording(x, fs=fs, label="normal", dataset="cwru", source="x", rpm=rpm, load=0.0,
                         extra={"number": 97})
    evidence = rate.rate_evidence(rec, n_harmonics=4)
    assert text.rate_evidence_text(evidence).endswith("most likely fs = 48000 Hz")
    family = text.harmonic_family_text(evidence)
    assert "Over 4 harmonics: read at 48 kHz" in family and "rpm/240 = 7.48 Hz" in family
    decision = text.rate_decision_text(evidence, synthetic_view, window=2048)
    assert "**Decision: 97.mat is sampled at 48 kHz**" in decision and "faulty (105, 118, 130)" in decision
    others = text.other_data_sets_text(rate.other_data_sets())
    assert "sampled 2 times faster" in others and "(FAG 6203)" in others


def test_simulated_paragraphs(simulated):
    assert "BPFO and BPFI coincide at 7.000 = 7.000 × shaft" in text.axial_text()
    axes = text.mafaulda_axes_text(simulated, thresholds={"Y": 4.4})
    assert "the Y threshold of Sect. 2.5 (for CWRU's search width) is 4.4." in axes
    from bearingkit.papers.primer.simulated import mafaulda_separation
    separation = text.separation_text(mafaulda_separation(simulated), simulated)
    assert "On its 5 s records (bins 0.2 Hz) at 36.9 Hz" in separation


def _held(raw, unit):
    sizes = [0.007, 0.014]
    level = pd.DataFrame({"raw windows": raw, "unit-RMS windows": unit}, index=sizes)
    empty = pd.DataFrame()
    return HeldOutSize(held_out=0.014, accuracy=0.3, predictions=empty, confusion=empty, per_record=empty,
                       rms=empty, level_test=level, outer_race=empty)


def test_level_reading_follows_the_claim():
    assert "*worse*" in text.level_reading_text(_held([0.9, 0.5], [0.7, 0.3]))
    assert "better" in text.level_reading_text(_held([0.5, 0.3], [0.7, 0.5]))
    assert "helps some" in text.level_reading_text(_held([0.5, 0.3], [0.7, 0.2]))


def test_traps_paragraphs(small_split_study, mirror):
    summary = text.split_study_summary(small_split_study, window=2048, hop=2048)
    windows = len(small_split_study.windows)
    assert summary.startswith(f"8 records, {windows} windows of 2048 (hop 2048, 0% overlap)")
    control = traps.overlap_control(small_split_study, fs=12_000.0, window=2048, hop=2048, n_stretches=5,
                                    seed=1)
    assert f"would score {control.record_guess:.3f}" in text.overlap_text(control)
    held = traps.held_out_size(small_split_study, fs=12_000.0, band=(2_000.0, 4_000.0), sizes=(0.007, 0.021))
    reading = text.held_out_text(small_split_study, held, normal_rms_g=0.07)
    assert f"Holding out {held.held_out:.3f} in, the model calls {held.majority_share:.0%}" in reading
    assert text.level_reading_text(held) in reading and reading.count("\n* **") == 4


def test_answers(synthetic_view, simulated):
    rows = [{"status": "reproduced"}, {"status": "reproduced"}, {"status": "differs"}]
    assert text.status_text(rows) == "**2** reproduced, **1** differs (of 3 rows)."
    blind = exercises.BlindTest(diagnoses=pd.DataFrame(), band=(2e3, 4e3), thresholds={},
                                verdict=pd.DataFrame({"file": ["1.mat", "2.mat"], "truth": ["inner", "ball"],
                                                      "size_in": [0.007, 0.021],
                                                      "diagnosis": ["inner", "outer"], "grade": ["Y", "Y"],
                                                      "right": [True, False]},
                                                     index=pd.Index(["A", "B"], name="record")))
    answer = text.blind_answer_text(blind)
    assert answer.startswith("**Answer 1.** 1 of 2 blind diagnoses") and "(B) carries grade Y" in answer
    thrust = text.thrust_answer_text(exercises.thrust_answer())
    assert "BPFO = BPFI = $n/2$ = 7.000 = 7.000" in thrust
    assert "= 27 s" in text.mafaulda_answer_text(exercises.mafaulda_answer(simulated))
    contact = {"measured_multiples": {"bpfo": 3.597, "bpfi": 5.4015}, "sum_ratio": 0.99994,
               "sum_ratio_header": 0.9995, "gamma": 0.2005, "gamma_published": 0.2061,
               "ball_over_pitch": 0.2034, "contact_angle_deg": 9.7, "slip_at_nominal_angle": -0.0036}
    assert "*leads*" in text.contact_angle_answer_text(contact, synthetic_view)
    slipping = {**contact, "slip_at_nominal_angle": 0.01}
    assert "cannot be told apart" in text.contact_angle_answer_text(slipping, synthetic_view)
    table = pd.DataFrame({"predicted_hz": [7.5, 15.0], "found_hz": [7.5, 15.1], "offset_bins": [0.0, 0.5]},
                         index=pd.Index(["shaft", "60 Hz mains"], name="line"))
    lines = exercises.MisreadLines(table, bin_hz=0.05, decided_fs=48e3, read_fs=12e3)
    misread = text.misread_answer_text(lines)
    assert "divided by 4: shaft at 7.50 Hz (found 7.50, +0.0 bins)" in misread
