"""Lee, Park & Kook (2026), *Bearing fault diagnosis with hybrid CNN-RNN* (CMES 147(3), 11): notebook 02.

Three stages in one optimisation container (:mod:`bearingkit.hpo`), every record in one History DB:
Stage 1 screens preprocessing candidates without training by CSS (:mod:`.screening`), Stage 2 tunes a GRU and
an EfficientNetV2 branch by LHS -> Kriging -> BOHB (:mod:`.branch_inputs`, :mod:`.branch_search`), Stage 3
fuses their out-of-fold posteriors by simplex weights and by fusion rules x heads (:mod:`.late_fusion`); each
run is checked against itself at half its budget (:mod:`.convergence`). :mod:`.pipeline` runs the three
stages on one data set and split, :mod:`.runs` every run of the notebook (in a worker process too, and in
resumable pieces). What the paper leaves open and we choose is in :mod:`.settings`.

The modules import one way: settings < data < screening < branch_inputs < history < branch_search <
late_fusion < convergence < pipeline < css_check < runs < claims < tables < rows | figures. This module
re-exports what the notebook calls.
"""

from bearingkit.papers.lee2026.claims import verdict_lines
from bearingkit.papers.lee2026.css_check import css_versus_training
from bearingkit.papers.lee2026.data import load_datasets
from bearingkit.papers.lee2026.figures import (
    css_versus_training_figure,
    fig07a_css_radar,
    fig07b_pca_and_pool,
    fig08a_optimisation_traces,
    fig08b_importance,
    fig09_confusion,
    fig10_fusion_heatmaps,
    fig11_cv_std_boxplot,
)
from bearingkit.papers.lee2026.history import notebook_history
from bearingkit.papers.lee2026.pipeline import limit_threads
from bearingkit.papers.lee2026.rows import results_details, results_rows, rows_overview
from bearingkit.papers.lee2026.runs import NotebookRuns
from bearingkit.papers.lee2026.settings import MAIN_RUN, settings_for
from bearingkit.papers.lee2026.tables import (
    algorithm1,
    baselines_table,
    best_pair_table,
    chance_lines,
    chance_table,
    convergence_lines,
    convergence_table,
    cv_std_runs,
    dataset_overview,
    fig7a_table,
    fig10_table,
    fig11_medians,
    figure_stand_ins,
    halving_choice_lines,
    halving_summary,
    held_out_table,
    importance_table,
    reference_lines,
    reference_table,
    settings_table,
    table1,
    timings_table,
    wilcoxon_table,
)

__all__ = ["MAIN_RUN", "NotebookRuns", "algorithm1", "baselines_table", "best_pair_table", "chance_lines",
           "chance_table",
           "convergence_lines", "convergence_table", "css_versus_training", "css_versus_training_figure",
           "cv_std_runs", "dataset_overview", "fig07a_css_radar", "fig07b_pca_and_pool",
           "fig08a_optimisation_traces", "fig08b_importance", "fig09_confusion", "fig10_fusion_heatmaps",
           "fig10_table", "fig11_cv_std_boxplot", "fig11_medians", "fig7a_table", "figure_stand_ins",
           "halving_choice_lines", "halving_summary", "held_out_table", "importance_table", "limit_threads",
           "load_datasets", "notebook_history", "reference_lines", "reference_table", "results_details",
           "results_rows", "rows_overview",
           "settings_for", "settings_table", "table1", "timings_table", "verdict_lines", "wilcoxon_table"]
