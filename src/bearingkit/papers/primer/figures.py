"""The primer's figures: each function returns one matplotlib Figure (the notebook shows and saves it).

One function per figure of the notebook, in its order: the envelope method step by step (Fig. 1), the CWRU
time traces (Fig. 2) and condition indicators (Fig. 2b), the kurtograms (Fig. 3) and the STFT spectral
kurtosis (Fig. 3b), the envelope spectra (Fig. 4), 97.mat at two rates (Fig. 5) and its rate trap (Fig. 6),
the simulated rigs beside the real records (Fig. 7), MAFAULDA's six axes (Fig. 8) and the split accuracies
(Fig. 9). Every label and title is computed from the data drawn.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from types import MappingProxyType

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from bearingkit.dsp.condition import ISO20816_3_GROUP2
from bearingkit.dsp.kurtogram import level_bandwidth
from bearingkit.dsp.lines import harmonic_lines, shaft_harmonic_peaks
from bearingkit.dsp.spectral import spectrum_db
from bearingkit.papers.primer.bands import KurtogramStudy, SpectralKurtosis
from bearingkit.papers.primer.data import OWN_LINE, CwruView
from bearingkit.papers.primer.detection import Detection
from bearingkit.papers.primer.envelope import defect_families
from bearingkit.papers.primer.method import MethodSteps
from bearingkit.papers.primer.rate import RateEvidence, RateTrap
from bearingkit.papers.primer.simulated import SimulatedStudy
from bearingkit.papers.primer.traps import SPLIT_NAMES, SplitStudy
from bearingkit.report import plots

__all__ = [
    "COLORS",
    "condition_figure",
    "envelope_spectra_figure",
    "kurtograms_figure",
    "mafaulda_axes_figure",
    "method_steps_figure",
    "rate_evidence_figure",
    "rate_readings_figure",
    "rate_trap_figure",
    "simulated_vs_real_figure",
    "split_accuracies_figure",
    "split_study_figure",
    "stft_sk_figure",
    "time_traces_figure",
]

#: One colour per line family, used by every figure.
COLORS: Mapping[str, str] = MappingProxyType({"FTF": "C7", "BPFO": "C1", "BPFI": "C2", "2xBSF": "C4",
                                              "shaft": "C0", "mains": "C3"})
#: One line style per defect family in Fig. 4.
_STYLES = MappingProxyType({"FTF": ":", "BPFO": "--", "BPFI": "-.", "2xBSF": (0, (5, 2, 1, 2))})


def method_steps_figure(steps: MethodSteps, *, span_s: float = 0.05, color: str = COLORS["BPFO"]
                        ) -> plt.Figure:
    """Fig. 1: the envelope-analysis chain of one simulated signal, one panel a stage, time panels on one
    scale.

    (a) impacts ringing the resonance, spaced 1 / BPFO; (b) the same with noise; (c) raw spectrum, log
    amplitude, the demodulation band; (d) the band-passed signal with its envelope; (e) envelope spectrum
    and (f) squared-envelope spectrum, each normalised to its largest line above 0.5 BPFO.
    """
    fs, bpfo = steps.fs, steps.lines.bpfo
    n = int(span_s * fs)
    t = 1e3 * np.arange(n) / fs
    fig, axes = plt.subplots(3, 2, figsize=(10, 7.4))
    (a, b), (c, d), (e, f) = axes
    top = 1.05 * np.abs(steps.measured[:n]).max()
    a.plot(t, steps.clean[:n], color="0.2", lw=0.6)
    first = int(np.argmax(np.abs(steps.clean[: int(fs / bpfo)])))
    for k in range(int(span_s * bpfo) + 1):
        a.axvline(1e3 * (first / fs + k / bpfo), color=color, ls=":", lw=0.8, zorder=1)
    a.set_title(f"(a) impacts ringing the resonance; dotted: 1 / BPFO = {1e3 / bpfo:.2f} ms apart",
                fontsize=9, loc="left")
    b.plot(t, steps.measured[:n], color="0.2", lw=0.6)
    b.set_title("(b) the same with noise: what the sensor records", fontsize=9, loc="left")
    for ax in (a, b):
        ax.set_ylim(-top, top)
        ax.set_xlabel("time (ms)")
        ax.set_ylabel("acc. (g)")
    freqs, raw = steps.raw_spectrum
    c.semilogy(freqs / 1e3, raw, color="0.3", lw=0.4)
    c.axvspan(steps.band[0] / 1e3, steps.band[1] / 1e3, color=color, alpha=0.15, label="demodulation band")
    c.set_xlim(0, fs / 2e3)
    c.set_xlabel("frequency (kHz)")
    c.set_ylabel("amplitude (g)")
    c.legend(fontsize=7, loc="upper right")
    c.set_title("(c) raw spectrum: the impacts' energy sits at the resonance", fontsize=9, loc="left")
    d.plot(t, steps.bandpassed[:n], color="0.5", lw=0.5, label="band-passed")
    d.plot(t, steps.envelope[:n], color=color, lw=1.0, label="envelope |analytic signal|")
    d.set_xlabel("time (ms)")
    d.legend(fontsize=7, loc="upper right", ncol=2)
    d.set_title(f"(d) band {steps.band[0] / 1e3:.1f}-{steps.band[1] / 1e3:.1f} kHz and its envelope",
                fontsize=9, loc="left")
    ratios = steps.bpfo_ratios()
    for ax, (name, (fr, amp)) in zip((e, f), (("envelope", steps.envelope_spectrum),
                                               ("squared envelope", steps.squared_envelope_spectrum)),
                                     strict=True):
        keep = fr <= 5.5 * bpfo
        scale = amp[keep][fr[keep] > 0.5 * bpfo].max()
        ax.plot(fr[keep], amp[keep] / scale, color="0.15", lw=0.7)
        ax.set_xlim(0, 5.5 * bpfo)
        ax.set_ylim(0, 1.1)
        plots.mark_lines(ax, [k * bpfo for k in range(1, 6)], label="k × BPFO", color=color, lw=1.0)
        ax.set_xlabel("frequency (Hz)")
        ax.legend(fontsize=7, loc="upper right")
        ax.set_title(f"({'e' if ax is e else 'f'}) {name} spectrum: BPFO ratio {ratios[name]:.0f}",
                     fontsize=9, loc="left")
    e.set_ylabel("amplitude (rel.)")
    fig.tight_layout()
    fig.suptitle(f"SIMULATED outer-race fault: BPFO {bpfo:.1f} Hz, slip {steps.slip:.1%}, resonance "
                 f"{steps.resonance_hz / 1e3:g} kHz, SNR {steps.snr_db:g} dB", y=1.01, fontsize=10)
    return fig


def time_traces_figure(view: CwruView, *, span_s: float = 0.1) -> plt.Figure:
    """Fig. 2: the first ``span_s`` of every record on one y-scale; 1 / BPFO and 1 / BPFI marked."""
    fs = view.fs
    fig, axes = plt.subplots(len(view.records), 1, figsize=(7.5, 7.0), sharex=True, sharey=True)
    span = int(span_s * fs)
    top = 1.1 * max(np.abs(r.signal[:span]).max() for r in view.records.values())
    spacing = {"outer": ("BPFO", view.lines["outer"].bpfo), "inner": ("BPFI", view.lines["inner"].bpfi)}
    end_ms = 1e3 * span_s
    for ax, (label, rec) in zip(axes, view.records.items(), strict=True):
        t = np.arange(span) / fs * 1e3
        ax.plot(t, rec.signal[:span], color="0.2", lw=0.6)
        if label in spacing:
            name, rate = spacing[label]
            first = 1e3 * np.argmax(np.abs(rec.signal[: int(fs / rate)])) / fs
            ticks = first + 1e3 / rate * np.arange(int(span_s * rate) + 1)
            ax.plot(ticks[ticks < end_ms], np.full((ticks < end_ms).sum(), 0.92 * top), "v", ms=4,
                    color=COLORS[name], label=f"1 / {name} = {1e3 / rate:.1f} ms")
            ax.legend(loc="lower right", fontsize=7, frameon=True, framealpha=0.9, edgecolor="none")
        note = " (48 kHz file resampled to 12 kHz)" if rec.extra.get("resampled_from_hz") else ""
        ax.set_title(f"{rec.extra['number']}.mat — {label}{note}", loc="left", fontsize=10)
        ax.set_ylabel("acc. (g)")
    axes[0].set_ylim(-top, top)
    axes[-1].set_xlabel("time (ms)")
    axes[-1].set_xlim(0, end_ms)
    fig.suptitle(f"CWRU drive-end acceleration, first {end_ms:g} ms, one y-scale", y=1.0)
    fig.tight_layout()
    return fig


def condition_figure(detection: Detection, *,
                     boundaries: tuple[float, float, float] = ISO20816_3_GROUP2["rigid"]) -> plt.Figure:
    """Fig. 2b: the indicators of every record, one panel each, against the healthy baseline.

    Bars are coloured by fault location; the dashed line is the healthy baseline (the largest value of the
    healthy record's 1 s segments); the velocity panel adds the first ISO 20816-3 boundary (A/B) of
    ``boundaries`` (mm/s).
    """
    table, baseline = detection.table, detection.baseline
    panels = {"rms_g": "RMS (g)", "crest_factor": "crest factor", "kurtosis": "kurtosis (3: Gaussian)",
              "velocity_mm_s": "velocity RMS 10–1000 Hz (mm/s)"}
    colours = {"normal": "0.5", "inner": "C2", "ball": "C4", "outer": "C1"}
    fig, axes = plt.subplots(1, len(panels), figsize=(11, 3.4), sharex=True)
    x = np.arange(len(table))
    for ax, (column, title) in zip(axes, panels.items(), strict=True):
        ax.bar(x, table[column], color=[colours.get(label, "0.3") for label in table["label"]])
        ax.axhline(baseline[column], color="k", ls="--", lw=1.0, label="healthy baseline (max of 1 s)")
        if column == "velocity_mm_s":
            ax.axhline(boundaries[0], color="C3", ls=":", lw=1.2, label=f"ISO A/B, {boundaries[0]:g} mm/s")
            ax.set_ylim(0, 1.15 * max(boundaries[0], float(table[column].max())))
        ax.set_title(title, fontsize=9)
        ax.set_xticks(x, [f"{key} {size:.3f}" if size else key for key, size in
                          zip(table.index, table["fault_size_in"], strict=True)], rotation=90, fontsize=7)
    handles = [plt.Rectangle((0, 0), 1, 1, color=c) for c in colours.values()]
    axes[0].legend(handles, list(colours), fontsize=7, loc="upper left")
    axes[-1].legend(fontsize=7, loc="center right")
    fig.tight_layout()
    n_faults = int((table["label"] != "normal").sum())
    fig.suptitle(f"Detection: overall indicators of the normal and {_count(n_faults)} 0 HP fault records "
                 "(CWRU drive end)", y=1.03, fontsize=10)
    return fig


def _count(n: int) -> str:
    words = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")
    return words[n] if n < len(words) else str(n)


def kurtograms_figure(study: KurtogramStudy, view: CwruView, *, band: tuple[float, float] | str
                      ) -> plt.Figure:
    """Fig. 3: every record's fast kurtogram on one colour scale; a fixed demodulation ``band`` dashed."""
    fs = view.fs
    vmax = max(kg.kurtosis.max() for kg in study.kurtograms.values())
    fig, axes = plt.subplots(2, 2, figsize=(9, 5.8), sharex=True, sharey=True)
    for ax, (label, kg) in zip(axes.flat, study.kurtograms.items(), strict=True):
        image = ax.imshow(kg.kurtosis, aspect="auto", interpolation="nearest", cmap="viridis", vmin=0,
                          vmax=vmax, extent=(0, fs / 2 / 1e3, len(kg.levels) - 0.5, -0.5))
        ax.set_yticks(range(len(kg.levels)),
                      [f"{lv:.1f} ({level_bandwidth(lv, fs=fs):,.0f} Hz)" for lv in kg.levels], fontsize=7)
        ax.grid(False)
        if band != "kurtogram":
            for edge in band:
                ax.axvline(edge / 1e3, color="white", ls="--", lw=1.0)
        ax.set_title(f"{view.numbers[label]}.mat {label}: max {kg.best_kurtosis:.1f} at level "
                     f"{kg.best_level:.1f}", fontsize=9)
    for ax in axes[-1]:
        ax.set_xlabel("frequency (kHz)")
    for ax in axes[:, 0]:
        ax.set_ylabel("level (bandwidth)")
    fig.colorbar(image, ax=axes, pad=0.02, label="spectral kurtosis (clipped at 0; one scale for all four)")
    band_note = ("" if band == "kurtogram" else
                 f"; dashed: the {band[0] / 1e3:g}–{band[1] / 1e3:g} kHz band used below")
    fig.suptitle(f"Fast kurtograms (Antoni 2007), level 0 scored '{study.level0_score}'{band_note}",
                 fontsize=10)
    return fig


def stft_sk_figure(study: SpectralKurtosis, *, keys: Sequence[str] | None = None) -> plt.Figure:
    """Fig. 3b: spectral kurtosis against frequency, a column per signal, raw (top) and AR residual (bottom).

    One curve per frame length (``fs / frame`` is its frequency resolution); SK of Gaussian noise is 0.
    """
    keys = list(dict.fromkeys(key for key, _, _ in study.curves)) if keys is None else list(keys)
    fs, frames = study.fs, study.frames
    fig, axes = plt.subplots(2, len(keys), figsize=(2.6 * len(keys) + 1, 5.2), sharex=True, sharey="row",
                             squeeze=False)
    colours = plt.cm.viridis(np.linspace(0, 0.85, len(frames)))
    for c, key in enumerate(keys):
        for r, version in enumerate(("raw", "AR residual")):
            ax = axes[r, c]
            for colour, frame in zip(colours, frames, strict=True):
                freqs, sk = study.curves[(key, version, int(frame))]
                ax.plot(freqs / 1e3, sk, color=colour, lw=1.0,
                        label=f"{frame} samples ({fs / frame:,.0f} Hz)")
            ax.axhline(0.0, color="0.5", lw=0.6, ls=":")
            ax.set_title(f"{key}: {version}", fontsize=9)
        axes[1, c].set_xlabel("frequency (kHz)")
    for r in range(2):
        axes[r, 0].set_ylabel("spectral kurtosis")
    # the healthy panel (first column, top) stays near 0: the legend hides nothing there
    axes[0, 0].legend(title="STFT frame (resolution)", fontsize=7, title_fontsize=7, loc="upper right")
    fig.tight_layout()
    fig.suptitle("Spectral kurtosis from the STFT: each record raw (top) and its "
                 f"AR({study.ar_order}) residual (bottom)", y=1.02, fontsize=10)
    return fig


def envelope_spectra_figure(view: CwruView, spectra: Mapping[str, tuple[np.ndarray, np.ndarray]],
                            bands: Mapping[str, tuple[float, float]], *, top_hz: float = 520.0) -> plt.Figure:
    """Fig. 4: the squared-envelope spectra, every defect family and the shaft harmonics marked.

    The record's own fault family full height under the trace; the others as short markers over it, one row
    per family; the shaft harmonics at the measured shaft rate as short markers at the bottom; the inner
    race's sidebands at BPFI -+ f_r and -+ 2 f_r. Log amplitude.
    """
    fig, axes = plt.subplots(len(spectra), 1, figsize=(8, 9.4), sharex=True)
    for ax, (label, (f, a)) in zip(axes, spectra.items(), strict=True):
        keep = (f <= top_hz) & (f > 2)
        ax.semilogy(f[keep], a[keep], color="0.15", lw=0.7, zorder=2)
        ax.set_xlim(0, top_hz)
        for row, (family, lines) in enumerate(defect_families(view.lines[label]).items()):
            own = OWN_LINE.get(label) == family
            span = ({"ymin": 0.0, "ymax": 1.0, "zorder": 1} if own else
                    {"ymin": 0.70 + 0.075 * row, "ymax": 0.765 + 0.075 * row, "zorder": 3})
            plots.mark_lines(ax, lines, label=family, color=COLORS[family], ls=_STYLES[family],
                             lw=1.6 if own else 1.3, **span)
        fr = view.shaft_hz[label]
        plots.mark_lines(ax, [k * fr for k in range(1, 18)], label="k × f_r (measured)",
                         color=COLORS["shaft"], ls="-", lw=1.3, ymin=0.0, ymax=0.06, zorder=3)
        if label == "inner":
            bpfi = view.lines[label].bpfi
            plots.mark_lines(ax, [k * bpfi + s * fr for k in (1, 2, 3) for s in (-1, 1)],
                             label="BPFI ± f_r", color="C9", ls=":", lw=1.0)
            plots.mark_lines(ax, [k * bpfi + s * fr for k in (1, 2, 3) for s in (-2, 2)],
                             label="BPFI ± 2 f_r", color="C5", ls=":", lw=1.0)
        low, high = bands[label]
        ax.set_title(f"{view.numbers[label]}.mat — {label} (band {low / 1e3:.1f}–{high / 1e3:.1f} kHz)",
                     loc="left", fontsize=10)
        ax.set_ylabel("sq. env. (g²)")
    handles = {h.get_label(): h for ax in axes for h in ax.get_legend_handles_labels()[0]}
    fig.legend(handles.values(), handles.keys(), ncol=4, loc="upper center", fontsize=7.5, frameon=False,
               bbox_to_anchor=(0.5, 1.04))
    axes[-1].set_xlabel("frequency (Hz)")
    fig.suptitle("Squared-envelope spectra; defect lines from the file's rpm; full height: the record's own "
                 "fault", y=1.07, fontsize=10)
    fig.tight_layout()
    return fig


def rate_readings_figure(signal, *, rpm: float, decided_fs: float, harmonics_found: Mapping[float, int],
                         readings: Sequence[float] = (12_000.0, 48_000.0), mains_hz: float = 60.0,
                         colors: Mapping[str, str] = COLORS) -> plt.Figure:
    """Fig. 5: one file's spectrum read at each candidate rate, and its shaft harmonics.

    One row per reading: the spectrum up to 130 Hz (dB re its largest bin) with the shaft harmonics
    ``k rpm / 60`` this reading predicts and the mains multiples; beside it, the spectrum around each of the
    first three harmonics on one axis, in bins from ``k rpm / 60``, with the strongest line of each marked
    (:func:`bearingkit.dsp.lines.shaft_harmonic_peaks`). Legends sit outside the data.

    Parameters
    ----------
    signal : np.ndarray [shape=(time,)]
    rpm : float
        The file's recorded speed.
    decided_fs : float
        The rate the evidence chose; a wrong reading also marks where the true shaft line lands.
    harmonics_found : mapping of rate to int
        Shaft harmonics in place at each rate (``shaft_peak_evidence``), for the titles.
    """
    shaft = rpm / 60
    fig, axes = plt.subplots(len(readings), 2, figsize=(10.5, 3.0 * len(readings)),
                             gridspec_kw={"width_ratios": [2.2, 1]}, squeeze=False)
    for row, fs_read in enumerate(readings):
        freqs, level = spectrum_db(signal, fs=fs_read, pad=8)
        bin_hz = fs_read / np.shape(signal)[-1]
        ax = axes[row, 0]
        keep = freqs <= 130
        ax.plot(freqs[keep], level[keep], color="0.2", lw=0.5)
        ax.set_xlim(0, 130)
        ax.set_ylim(-90, 5)
        plots.mark_lines(ax, [k * shaft for k in range(1, 5)], label="k · rpm/60", color=colors["shaft"],
                         lw=1.0, ls="-", alpha=0.5)
        plots.mark_lines(ax, [mains_hz, 2 * mains_hz], label=f"{mains_hz:g} Hz mains multiples",
                         color=colors["mains"], lw=1.0)
        if fs_read != decided_fs:
            ratio = decided_fs / fs_read
            ax.axvline(shaft / ratio, color=colors["shaft"], ls=":", lw=1.4, zorder=1,
                       label=f"(rpm/60)/{ratio:g} = {shaft / ratio:.2f} Hz: the true shaft line")
        ax.set_ylabel("level (dB re max)")
        verdict = "decided" if fs_read == decided_fs else "rejected"
        ax.set_title(f"read at {fs_read / 1e3:g} kHz ({verdict}): {harmonics_found[fs_read]} of 3 shaft "
                     "harmonics in place", loc="left", fontsize=10)
        zoom_ax = axes[row, 1]
        peaks = shaft_harmonic_peaks(signal, rpm=rpm, fs=fs_read)
        for k, peak in peaks.iterrows():
            near = np.abs(freqs - peak["expected_hz"]) <= 8 * bin_hz
            line, = zoom_ax.plot((freqs[near] - peak["expected_hz"]) / bin_hz, level[near], lw=0.8,
                                 label=f"{k} × rpm/60: peak {peak['offset_bins']:+.1f} bins")
            zoom_ax.plot(peak["offset_bins"], peak["level_db"], "v", color=line.get_color(), ms=6)
        zoom_ax.axvline(0, color=colors["shaft"], lw=1.0, zorder=1)
        zoom_ax.set_xlim(-8, 8)
        zoom_ax.set_ylim(-90, 5)
        zoom_ax.set_xlabel("offset from k · rpm/60 (bins)")
        zoom_ax.legend(loc="upper left", bbox_to_anchor=(1.02, 1.0), fontsize=7, frameon=False)
        zoom_ax.tick_params(labelleft=False)
    axes[-1, 0].set_xlabel("frequency (Hz)")
    handles = {h.get_label(): h for ax in axes[:, 0] for h in ax.get_legend_handles_labels()[0]}
    fig.legend(handles.values(), handles.keys(), loc="lower center", ncol=3, fontsize=7.5, frameon=False)
    fig.tight_layout(rect=(0, 0.06, 1, 1))
    return fig


def rate_evidence_figure(evidence: RateEvidence) -> plt.Figure:
    """Fig. 5 for one :class:`~bearingkit.papers.primer.rate.RateEvidence`: :func:`rate_readings_figure`
    at its candidate rates, with the file named in the title."""
    rec = evidence.recording
    fig = rate_readings_figure(rec.signal, rpm=rec.rpm, decided_fs=evidence.decided_fs,
                               harmonics_found=evidence.harmonics_found, readings=tuple(evidence.shaft_peaks))
    fig.suptitle(f"{rec.extra['number']}.mat ({rec.label}, {rec.load:g} HP, rpm {rec.rpm:g}): one file, two "
                 "readings of its sampling rate", y=1.02)
    return fig


def rate_trap_figure(trap: RateTrap, view: CwruView, *, max_hz: float = 4_500.0) -> plt.Figure:
    """Fig. 6: the mean-frequency histograms of normal and faulty windows under each reading; the stump."""
    faulty_numbers, normal_number = view.faulty_numbers(), view.numbers["normal"]
    fig, axes = plt.subplots(1, len(trap.readings), figsize=(9, 3.4), sharey=True)
    bins = np.linspace(0, max_hz, 46)
    faulty = ", ".join(map(str, faulty_numbers))
    for ax, (reading, score) in zip(axes, trap.readings.items(), strict=True):
        ax.hist(score.faulty_mean_freq, bins=bins, density=True, color="0.6", alpha=0.8,
                label=f"faulty ({faulty}): {score.faulty_mean_freq.size} windows")
        ax.hist(score.normal_mean_freq, bins=bins, density=True, color="C0", alpha=0.8,
                label=f"normal ({normal_number}): {score.normal_mean_freq.size} windows")
        ax.axvline(score.threshold_hz, color="C3", ls="--", label="stump threshold")
        ax.set_title(f"{normal_number}.mat {reading}\nbalanced accuracy {score.balanced_accuracy:.2f}",
                     fontsize=10)
        ax.set_xlabel("spectral mean frequency of a window (Hz)")
        ax.legend(fontsize=7.5, loc="upper right")    # each panel its counts: the misread file has 4 x more
    axes[0].set_ylabel("density (1/Hz)")
    fig.suptitle("One feature separates 'normal' perfectly — when the sampling rate is wrong", y=1.02)
    fig.tight_layout()
    return fig


def simulated_vs_real_figure(view: CwruView, spectra: Mapping[str, tuple[np.ndarray, np.ndarray]],
                             bands: Mapping[str, tuple[float, float]], study: SimulatedStudy) -> plt.Figure:
    """Fig. 7: the outer- and inner-race envelope spectra of the real CWRU records beside the simulated rigs'.

    Each spectrum relative to its largest bin, log amplitude, up to 3.6 times its defect line; the defect
    line's first three harmonics and, for the inner race, the shaft-rate sidebands marked.
    """
    rigs = list(dict.fromkeys(rig for rig, _ in study.rigs))
    fig, axes = plt.subplots(2, 1 + len(rigs), figsize=(11, 5.8))
    for row, fault in enumerate(("outer", "inner")):
        real = view.records[fault]
        f, a = spectra[fault]
        panels = [("real", f"CWRU {real.extra['number']}.mat (real), {real.rpm:g} rpm, band "
                   f"{bands[fault][0] / 1e3:.1f}–{bands[fault][1] / 1e3:.1f} kHz", f, a, view.lines[fault],
                   real.rpm / 60)]
        for rig in rigs:
            sim = study.rigs[(rig, fault)]
            panels.append((rig, f"SIMULATED {rig}, {sim.recording.rpm:g} rpm, band {sim.band[0] / 1e3:.1f}–"
                                f"{sim.band[1] / 1e3:.1f} kHz", sim.freqs, sim.amplitude, sim.lines,
                           sim.recording.rpm / 60))
        name = "BPFO" if fault == "outer" else "BPFI"
        for ax, (kind, title, f, a, lines, fr) in zip(axes[row], panels, strict=True):
            target = lines.bpfo if fault == "outer" else lines.bpfi
            top = 3.6 * target
            keep = (f <= top) & (f > 1.0)
            rel = a[keep] / a[keep].max()
            ax.semilogy(f[keep], rel, color="0.15", lw=0.7)
            ax.set_xlim(0, top)
            ax.set_ylim(0.5 * np.percentile(rel, 1), 2.0)
            plots.mark_lines(ax, harmonic_lines({name: target}, harmonics=(1, 2, 3)), label=name,
                             color=COLORS[name], lw=1.2)
            if fault == "inner":
                sidebands = [k * target + s * fr for k in (1, 2, 3) for s in (-2, -1, 1, 2)]
                plots.mark_lines(ax, sidebands, label="± 1, 2 × shaft rate", color=COLORS["shaft"], ls=":",
                                 lw=1.0)
            ax.set_title(title, fontsize=8.5, loc="left", color="C3" if kind != "real" else "black")
        axes[row, 0].set_ylabel(f"{fault} race\nsq. envelope (rel. to max)")
    for ax in axes[-1]:
        ax.set_xlabel("frequency (Hz)")
    handles = {h.get_label(): h for ax in axes.flat for h in ax.get_legend_handles_labels()[0]}
    fig.legend(handles.values(), handles.keys(), ncol=3, loc="upper center", fontsize=8, frameon=False,
               bbox_to_anchor=(0.5, 0.97))
    fig.suptitle("Envelope spectra: real CWRU records beside SIMULATED PoliTo and axial rigs", y=1.0)
    fig.tight_layout(rect=(0, 0, 1, 0.93))
    return fig


def mafaulda_axes_figure(study: SimulatedStudy, *, top_hz: float = 400.0) -> plt.Figure:
    """Fig. 8: each simulated MAFAULDA channel's squared-envelope spectrum, one log scale, k x BPFO marked."""
    spectra = study.mafaulda
    ratios = study.mafaulda_ratios()
    top = 2.0 * max(s.amplitude[(s.freqs > 1.0) & (s.freqs <= top_hz)].max() for s in spectra.values())
    bottom = 0.5 * min(np.percentile(s.amplitude[(s.freqs > 1.0) & (s.freqs <= top_hz)], 1)
                       for s in spectra.values())
    fig, axes = plt.subplots(2, 3, figsize=(10.5, 5.2), sharex=True, sharey=True)
    for c, (ax, (sensor, s)) in enumerate(zip(axes.flat, spectra.items(), strict=True)):
        keep = (s.freqs <= top_hz) & (s.freqs > 1.0)
        ax.semilogy(s.freqs[keep], s.amplitude[keep], color="0.15", lw=0.7)
        ax.set_xlim(0, top_hz)
        ax.set_ylim(bottom, top)
        plots.mark_lines(ax, harmonic_lines({"BPFO": s.lines.bpfo}, harmonics=(1, 2, 3)), label="k × BPFO",
                         color=COLORS["BPFO"], lw=1.2)
        ax.set_title(f"{sensor}: BPFO peak ratio {ratios[sensor]:.0f}", fontsize=9)
        if c % 3 == 0:
            ax.set_ylabel("sq. env. (g²)")
    for ax in axes[-1]:
        ax.set_xlabel("frequency (Hz)")
    axes[0, 0].legend(fontsize=8, loc="upper right")
    fig.suptitle(f"SIMULATED MAFAULDA-like rig: outer-race fault on the underhang bearing, "
                 f"{study.mafaulda_speed_rpm / 60:.1f} Hz, {study.mafaulda_mass_g:g} g added unbalance mass; "
                 "one log y-scale; peak ratio = line height / median within ±10 %", fontsize=9.5)
    fig.tight_layout()
    return fig


def split_accuracies_figure(scores: pd.DataFrame, *, split_names: Mapping[str, str] = SPLIT_NAMES,
                            tasks: Mapping[str, str] = MappingProxyType({"location": "C0",
                                                                         "location x size": "C1"}),
                            n_classes: int | Mapping[str, int] = 3) -> plt.Figure:
    """Fig. 9: test accuracy per task and split; one bar per held-out group.

    Random and contiguous splits show the mean over repeats (dots: each repeat); a leave-one-group-out split
    shows one thin bar per held-out value (``held_out``, labelled under the axis), so a collapse on one
    group is not averaged away; a task that a split cannot score (the size is part of the class) is marked
    n/a; dotted lines are chance for each task (``1 / n_classes``), named in the legend.

    Parameters
    ----------
    scores : pd.DataFrame
        :func:`bearingkit.evaluation.leakage.split_accuracies` rows with a ``task`` column.
    split_names : mapping of scheme to label
        The schemes shown, in order, and their axis labels.
    tasks : mapping of task to colour
    n_classes : int or mapping of task to int
        Classes of each task (an int: the first task's; the others' are then not drawn).
    """
    classes = n_classes if isinstance(n_classes, Mapping) else {next(iter(tasks)): n_classes}
    fig, ax = plt.subplots(figsize=(9, 4.2))
    width = 0.4
    for t, (task, color) in enumerate(tasks.items()):
        label = task.replace(" x ", " × ")
        for s, scheme in enumerate(split_names):
            folds = scores[(scores["task"] == task) & (scores["scheme"] == scheme)]
            x0 = s + (t - 0.5) * width
            if folds.empty:
                ax.text(x0, 0.03, "n/a: size is\npart of the class", ha="center", fontsize=7, color=color)
                continue
            if scheme in ("random", "contiguous"):
                ax.bar(x0, folds["accuracy"].mean(), width=width * 0.95, color=color, alpha=0.75,
                       label=label if s == 0 else None)
                if len(folds) > 1:
                    ax.scatter(np.full(len(folds), x0), folds["accuracy"], color="k", s=8, zorder=3)
                continue
            groups = folds.sort_values("held_out")
            sub = width * 0.95 / len(groups)
            for g, (_, fold) in enumerate(groups.iterrows()):
                xg = x0 - width * 0.95 / 2 + (g + 0.5) * sub
                ax.bar(xg, fold["accuracy"], width=sub * 0.9, color=color, alpha=0.75, edgecolor="white")
                held = f"{fold['held_out']:g} HP" if scheme == "load" else f"{fold['held_out']:.3f}"
                ax.text(xg, -0.03, held, rotation=90, ha="center", va="top", fontsize=6.5, color="0.25")
    for task, n in classes.items():
        ax.axhline(1 / n, color=tasks[task], ls=":", lw=1.2,
                   label=f"chance, {task.replace(' x ', ' × ')} (1/{n} = {1 / n:.2f})")
    ax.set_xticks(range(len(split_names)), list(split_names.values()))
    ax.tick_params(axis="x", pad=34)
    ax.set_ylim(0, 1.05)
    ax.set_ylabel("test accuracy")
    ax.legend(loc="lower right", fontsize=8, bbox_to_anchor=(1.0, 1.08), ncol=2, frameon=False)
    fig.tight_layout()
    return fig


def split_study_figure(study: SplitStudy, *, profile: str) -> plt.Figure:
    """Fig. 9 for one :class:`~bearingkit.papers.primer.traps.SplitStudy`, titled with its classifier."""
    n_classes = {task: len(set(y)) for task, y in study.tasks.items()}
    fig = split_accuracies_figure(study.scores, n_classes=n_classes)
    fig.axes[0].set_title(f"{study.classifier} on {study.X.shape[1]} features, {len(study.numbers)} CWRU "
                          f"records; leave-one-out splits: one bar per held-out group ({profile} profile)",
                          fontsize=9.5, loc="left")
    return fig
