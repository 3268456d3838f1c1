"""Sedira & Felkaoui (2026), *A hybrid HMM-RBFNN system using relevant and non-redundant features for bearing
fault classification*, C. R. Mécanique, doi:10.5802/crmeca.350: the protocol of notebook 03.

One *sample* is a window of the vibration signal. The RBF network (§6.2) sees its 46 features (Table 5) after
Fisher selection of 10 and PCA to 97 % of the variance (§3.4); the battery of left-right HMMs (§6.1) sees the
window as a sequence of sub-frames through the same reduction; Eq. 33 fuses their posteriors.

Modules, in the order they import one another: :mod:`.settings` (every knob, the profiles), :mod:`.data`
(records, windows, the paper split and the leakage-aware ones), the stages :mod:`.signals` (Table 4, the
kurtogram), :mod:`.features`, :mod:`.models`, :mod:`.views` (each data set under each split),
:mod:`.protocol` (fitting and scoring), :mod:`.measures` (what the runs measure), :mod:`.ablations`; then
:mod:`.rows` (the results rows), :mod:`.claims` (one rule per claim) and :mod:`.answers` (the claims table),
:mod:`.tables`, :mod:`.figures` and :mod:`.prose` (the sentences whose numbers come from the run).
This package re-exports what the notebook calls.
"""

from __future__ import annotations

from .ablations import (
    run_ablations,
)
from .answers import (
    claim_inputs,
    claims_table,
    gather_evidence,
)
from .claims import (
    ordering_table,
)
from .data import (
    cwru_records,
    published,
)
from .features import (
    fisher_and_pca,
)
from .figures import (
    alpha_curve_figure,
    axial_signals_figure,
    ball_signals_figure,
    confusion_figure,
    envelope_spectra_figure,
    fisher_pca_figure,
    flowchart_figure,
    hmm_topology_figure,
    kurtogram_figure,
    paderborn_signals_figure,
    rbf_network_figure,
    signals_and_spectra_figure,
)
from .measures import (
    alpha_curves,
    fusion_lock,
    healthy_lowest_share,
    table8_long,
    worst_pair,
)
from .prose import (
    bullet_list,
    choices,
    cross_load_note,
    eq18_note,
    fusion_lock_note,
    kurtogram_note,
    paderborn_level_note,
    rbf_note,
    sensitivity_note,
    table9_note,
    test_counts_note,
    verdict_lines,
    worst_pair_note,
)
from .protocol import (
    fit_models,
    paderborn_cross,
    paderborn_within,
    run_views,
    stacked_accuracies,
)
from .rows import (
    sensitivity_rows,
    table4_rows,
    table7_rows,
    table8_rows,
    table9_rows,
    table10_rows,
    table11_rows,
    table12_rows,
)
from .settings import (
    FAULT_SETS,
    NOTEBOOK,
    TOLERANCE,
    run_seeds,
    settings_for,
)
from .signals import (
    defect_frequencies_hz,
    eq18_facts,
    kurtogram_table,
    kurtograms,
)
from .tables import (
    alpha_facts,
    by_load_table,
    counts_table,
    cross_condition_table,
    feature_examples,
    implied_test_counts,
    kept_features,
    levels_flat,
    not_regenerated,
    pca_summary,
    redundancy_table,
    rows_table,
    sensitivity_table,
    stacking_table,
    status_counts,
    table1,
    table2,
    table3,
    table4,
    table5,
    table6,
    table8_difference,
    table8_pivot,
    table9,
    table13,
    versus_hmm_table,
    worst_pair_summary,
    worst_pair_tables,
)
from .views import (
    all_cwru_views,
    axial_views,
    by_set_and_split,
    condition_pairs,
    fault_test_sets_fixed,
    level_by_condition,
    paderborn_views,
    split_summary,
    training_windows,
)

__all__ = [
    "all_cwru_views", "alpha_curve_figure", "alpha_curves", "alpha_facts", "axial_signals_figure",
    "axial_views", "ball_signals_figure", "bullet_list", "by_load_table", "by_set_and_split", "choices",
    "claim_inputs", "claims_table", "condition_pairs", "confusion_figure", "counts_table",
    "cross_condition_table", "cross_load_note", "cwru_records", "defect_frequencies_hz",
    "envelope_spectra_figure", "eq18_facts", "eq18_note", "FAULT_SETS", "fault_test_sets_fixed",
    "feature_examples", "fisher_and_pca", "fisher_pca_figure", "fit_models", "flowchart_figure",
    "fusion_lock", "fusion_lock_note", "gather_evidence", "healthy_lowest_share", "hmm_topology_figure",
    "implied_test_counts", "kept_features", "kurtogram_figure", "kurtogram_note", "kurtogram_table",
    "kurtograms", "level_by_condition", "levels_flat", "not_regenerated", "NOTEBOOK", "ordering_table",
    "paderborn_cross", "paderborn_level_note", "paderborn_signals_figure", "paderborn_views",
    "paderborn_within", "pca_summary", "published", "rbf_network_figure", "rbf_note", "redundancy_table",
    "rows_table", "run_ablations", "run_seeds", "run_views", "sensitivity_note", "sensitivity_rows",
    "sensitivity_table", "settings_for", "signals_and_spectra_figure", "split_summary", "stacked_accuracies",
    "stacking_table", "status_counts", "table1", "table10_rows", "table11_rows", "table12_rows", "table13",
    "table2", "table3", "table4", "table4_rows", "table5", "table6", "table7_rows", "table8_difference",
    "table8_long", "table8_pivot", "table8_rows", "table9", "table9_note", "table9_rows", "test_counts_note",
    "TOLERANCE", "training_windows", "verdict_lines", "versus_hmm_table", "worst_pair", "worst_pair_note",
    "worst_pair_summary", "worst_pair_tables",
]
