"""The primer (notebook 00): a course unit on rolling-bearing diagnostics, on real CWRU data and a simulator.

Bearing kinematics (:mod:`.geometry`), envelope analysis step by step (:mod:`.method`), detection before
diagnosis (:mod:`.detection`), the kurtogram and the demodulation band (:mod:`.bands`), envelope spectra and
how tall a line must be (:mod:`.envelope`), the sampling rate of 97.mat (:mod:`.rate`), the simulated rigs
(:mod:`.simulated`), the evaluation traps (:mod:`.traps`) and the exercises (:mod:`.exercises`); the knobs in
:mod:`.settings`, the data in :mod:`.data`, the verdicts in :mod:`.claims`, the prose in :mod:`.text`, the
results rows in :mod:`.rows` and the figures in :mod:`.figures`. This module re-exports what the notebook
calls.
"""

from __future__ import annotations

from bearingkit.papers.primer.bands import (
    band_width_study,
    demodulation_bands,
    inner_race_lines,
    kurtogram_study,
    stft_sk_study,
)
from bearingkit.papers.primer.data import (
    blind_records,
    cwru_view,
    load_cwru,
    split_numbers,
    trend_records,
)
from bearingkit.papers.primer.detection import (
    detection_study,
)
from bearingkit.papers.primer.envelope import (
    envelope_spectra,
    graded_peaks,
    grading_study,
    line_near,
    line_shift,
    peak_tables,
    prewhitened_lines,
    search_band,
)
from bearingkit.papers.primer.exercises import (
    blind_test,
    contact_angle_answer,
    mafaulda_answer,
    misread_lines,
    thrust_answer,
)
from bearingkit.papers.primer.figures import (
    condition_figure,
    envelope_spectra_figure,
    kurtograms_figure,
    mafaulda_axes_figure,
    method_steps_figure,
    rate_evidence_figure,
    rate_trap_figure,
    simulated_vs_real_figure,
    split_study_figure,
    stft_sk_figure,
    time_traces_figure,
)
from bearingkit.papers.primer.geometry import (
    geometry_table,
    published_multiples,
    published_multiples_table,
    speed_table,
)
from bearingkit.papers.primer.method import (
    method_steps,
    teaching_rig,
)
from bearingkit.papers.primer.rate import (
    other_data_sets,
    rate_evidence,
    rate_trap,
)
from bearingkit.papers.primer.rows import (
    results_details,
    results_rows,
    rows_table,
)
from bearingkit.papers.primer.settings import (
    check_parameters,
    settings_for,
)
from bearingkit.papers.primer.simulated import (
    mafaulda_separation,
    simulated_study,
)
from bearingkit.papers.primer.text import (
    axial_text,
    band_width_text,
    blind_answer_text,
    contact_angle_answer_text,
    detection_text,
    grading_text,
    harmonic_family_text,
    held_out_text,
    kurtogram_text,
    line_shift_text,
    mafaulda_answer_text,
    mafaulda_axes_text,
    method_text,
    misread_answer_text,
    multiples_text,
    near_120_text,
    other_data_sets_text,
    overlap_text,
    prewhitened_text,
    rate_decision_text,
    rate_evidence_text,
    rate_trap_summary,
    rate_trap_text,
    run_summary,
    separation_text,
    spectra_text,
    spectral_kurtosis_text,
    split_study_summary,
    status_text,
    thrust_answer_text,
    time_traces_text,
)
from bearingkit.papers.primer.traps import (
    held_out_size,
    overlap_control,
    split_study,
)

__all__ = [
    "axial_text",
    "band_width_study",
    "band_width_text",
    "blind_answer_text",
    "blind_records",
    "blind_test",
    "check_parameters",
    "condition_figure",
    "contact_angle_answer",
    "contact_angle_answer_text",
    "cwru_view",
    "demodulation_bands",
    "detection_study",
    "detection_text",
    "envelope_spectra",
    "envelope_spectra_figure",
    "geometry_table",
    "graded_peaks",
    "grading_study",
    "grading_text",
    "harmonic_family_text",
    "held_out_size",
    "held_out_text",
    "inner_race_lines",
    "kurtogram_study",
    "kurtogram_text",
    "kurtograms_figure",
    "line_near",
    "line_shift",
    "line_shift_text",
    "load_cwru",
    "mafaulda_answer",
    "mafaulda_answer_text",
    "mafaulda_axes_figure",
    "mafaulda_axes_text",
    "mafaulda_separation",
    "method_steps",
    "method_steps_figure",
    "method_text",
    "misread_answer_text",
    "misread_lines",
    "multiples_text",
    "near_120_text",
    "other_data_sets",
    "other_data_sets_text",
    "overlap_control",
    "overlap_text",
    "peak_tables",
    "prewhitened_lines",
    "prewhitened_text",
    "published_multiples",
    "published_multiples_table",
    "rate_decision_text",
    "rate_evidence",
    "rate_evidence_figure",
    "rate_evidence_text",
    "rate_trap",
    "rate_trap_figure",
    "rate_trap_summary",
    "rate_trap_text",
    "run_summary",
    "results_details",
    "results_rows",
    "rows_table",
    "search_band",
    "separation_text",
    "settings_for",
    "simulated_study",
    "simulated_vs_real_figure",
    "spectra_text",
    "spectral_kurtosis_text",
    "speed_table",
    "split_numbers",
    "split_study",
    "split_study_figure",
    "split_study_summary",
    "status_text",
    "stft_sk_figure",
    "stft_sk_study",
    "teaching_rig",
    "thrust_answer",
    "thrust_answer_text",
    "time_traces_figure",
    "time_traces_text",
    "trend_records",
]
