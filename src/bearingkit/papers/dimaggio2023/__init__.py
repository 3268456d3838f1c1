"""Di Maggio (2023), *Intelligent fault diagnosis of industrial bearings using transfer learning and CNNs
pre-trained for audio classification*, Sensors 23(1), 211: the protocol behind notebook 01.

The modules, in the order they import one another:

* :mod:`.settings`: every knob (:class:`Settings`), the run profiles and the seeds;
* :mod:`.data`: the simulated PoliTo rig, real CWRU chunks, the paper's and the leakage-aware splits;
* :mod:`.backbones`: which pretrained networks can be reached, and why the others are not run;
* :mod:`.frontend`: log-mel patches, embeddings, scalograms and hand-made features of every chunk;
* :mod:`.uncertainty`: binomial standard errors and tolerances;
* :mod:`.training`: each method of Table 7 on one split;
* :mod:`.experiments`: every method on every split, and the rerun under the older simulator;
* :mod:`.tables`, :mod:`.prose`, :mod:`.rows`, :mod:`.claims`, :mod:`.figures`: what the notebook shows and
  records (tables, sentences with this run's numbers, results rows, the verdict, Figs. 3 and 7-11).

This module re-exports what the notebook calls.
"""

from bearingkit.papers.dimaggio2023.backbones import availability_table, load_backbones, not_run_reasons
from bearingkit.papers.dimaggio2023.claims import verdict
from bearingkit.papers.dimaggio2023.data import (
    cwru_normal_details,
    cwru_splits,
    cwru_view,
    impact_severity,
    polito_splits,
    simulate_polito,
)
from bearingkit.papers.dimaggio2023.experiments import rerun_before_issue_19, run_details, run_splits
from bearingkit.papers.dimaggio2023.figures import (
    fig03_vggish_filters,
    fig07_normalised_signals,
    fig08_mel_spectrograms,
    fig09_embeddings,
    fig10_loss,
    fig11_confusion,
)
from bearingkit.papers.dimaggio2023.frontend import prepare_inputs, resampler_difference, yamnet_cross_check
from bearingkit.papers.dimaggio2023.prose import (
    agreement_summary,
    cwru_missing_summary,
    cwru_normal_summary,
    resampler_summary,
    run_summary,
    severity_summary,
    simulation_summary,
    split_summary,
    table1_summary,
)
from bearingkit.papers.dimaggio2023.rows import rows_of, rows_summary, status_counts
from bearingkit.papers.dimaggio2023.settings import (
    CWRU_FS,
    NOTEBOOK,
    PAPER,
    POLITO_FS,
    PROFILES,
    seeds_for,
    settings_for,
)
from bearingkit.papers.dimaggio2023.tables import (
    confusions,
    matlab_vs_keras,
    paper_table7,
    per_run_tables,
    sensitivity_table,
    split_counts,
    split_tables,
    table1,
    table1_counts,
    table2,
    table4,
    table5,
    table6,
    table7_vs_paper,
    table8,
)

__all__ = [
    "CWRU_FS", "NOTEBOOK", "PAPER", "POLITO_FS", "PROFILES", "agreement_summary", "availability_table",
    "confusions", "cwru_missing_summary", "cwru_normal_details", "cwru_normal_summary", "cwru_splits",
    "cwru_view", "fig03_vggish_filters", "fig07_normalised_signals", "fig08_mel_spectrograms",
    "fig09_embeddings", "fig10_loss", "fig11_confusion", "impact_severity", "load_backbones",
    "matlab_vs_keras", "not_run_reasons", "paper_table7", "per_run_tables", "polito_splits", "prepare_inputs",
    "rerun_before_issue_19", "resampler_difference", "resampler_summary", "rows_of", "rows_summary",
    "run_details", "run_splits", "run_summary", "seeds_for", "sensitivity_table", "settings_for",
    "severity_summary", "simulate_polito", "simulation_summary", "split_counts", "split_summary",
    "split_tables", "status_counts", "table1", "table1_counts", "table1_summary", "table2", "table4",
    "table5", "table6", "table7_vs_paper", "table8", "verdict", "yamnet_cross_check",
]
