"""The primer's generated prose: one function per paragraph, its numbers from the run (Markdown strings).

Each function takes a stage's result and returns the paragraph the notebook displays under the table or
figure it reads; a sentence that judges a number is chosen by a rule of
:mod:`bearingkit.papers.primer.claims`, never written ahead of the run. The templates are wrapped for
reading; :func:`flow` joins each paragraph (and each list item) into one line.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from bearingkit.dsp.lines import grade_ratio
from bearingkit.papers.primer import claims
from bearingkit.papers.primer.bands import BandWidth, KurtogramStudy, SpectralKurtosis
from bearingkit.papers.primer.data import CwruView
from bearingkit.papers.primer.detection import Detection
from bearingkit.papers.primer.envelope import Grading, LineShift, Prewhitened, threshold_column
from bearingkit.papers.primer.exercises import BlindTest, MisreadLines
from bearingkit.papers.primer.method import MethodSteps
from bearingkit.papers.primer.rate import RateEvidence, RateTrap
from bearingkit.papers.primer.settings import PROFILE_FIELDS, Parameters, Settings
from bearingkit.papers.primer.simulated import SimulatedStudy
from bearingkit.papers.primer.traps import HeldOutSize, OverlapControl, SplitStudy
from bearingkit.physics import simulate
from bearingkit.physics.kinematics import BEARINGS, BearingGeometry, DefectFrequencies, defect_multiples

__all__ = [
    "axial_text",
    "band_width_text",
    "blind_answer_text",
    "contact_angle_answer_text",
    "detection_text",
    "flow",
    "grading_text",
    "harmonic_family_text",
    "held_out_text",
    "kurtogram_text",
    "level_reading_text",
    "line_shift_text",
    "mafaulda_answer_text",
    "mafaulda_axes_text",
    "method_text",
    "misread_answer_text",
    "multiples_text",
    "near_120_text",
    "other_data_sets_text",
    "overlap_text",
    "prewhitened_text",
    "rate_decision_text",
    "rate_evidence_text",
    "rate_trap_summary",
    "rate_trap_text",
    "run_summary",
    "separation_text",
    "spectra_text",
    "spectral_kurtosis_text",
    "split_study_summary",
    "status_text",
    "thrust_answer_text",
    "time_traces_text",
]


def flow(template: str) -> str:
    """Markdown from a wrapped template: each paragraph, and each ``"* "`` list item, joined into one line.

    Examples
    --------
    >>> flow('''
    ...     One sentence
    ...     wrapped.
    ...
    ...     * an item
    ...       on two lines
    ...     * another''')
    'One sentence wrapped.\\n\\n* an item on two lines\\n* another'
    """
    paragraphs, lines = [], []
    for raw in template.strip().splitlines():
        line = raw.strip()
        if not line:
            if lines:
                paragraphs.append("\n".join(lines))
                lines = []
        elif line.startswith("* ") or not lines:
            lines.append(line)
        else:
            lines[-1] += " " + line
    if lines:
        paragraphs.append("\n".join(lines))
    return "\n\n".join(paragraphs)


def _file(view: CwruView, label: str) -> str:
    return f"{view.numbers[label]}.mat"


def _join(values, fmt: str) -> str:
    return ", ".join(format(value, fmt) for value in values)


def run_summary(profile: str, settings: Settings, parameters: Parameters) -> str:
    """The run in one line: the profile's knobs, the seed and the notebook's parameters."""
    knobs = {name: getattr(settings, name) for name in PROFILE_FIELDS}
    p = parameters
    return (f"profile={profile!r} {knobs}, seed={p.seed}; records {dict(p.records)}; band {p.band}; "
            f"classifier {p.classifier}; simulator slip {p.sim_slip}, SNR {p.sim_snr_db} dB, resonance "
            f"{p.sim_resonance_hz} Hz")


def multiples_text(checks: Mapping[str, pd.DataFrame], *, key: str = "cwru_de") -> str:
    """The largest relative difference between our and the published multiples of one bearing."""
    return f"Largest relative difference, CWRU drive end: {checks[key]['rel_difference'].abs().max():.1e}."


def method_text(steps: MethodSteps) -> str:
    """Sect. 2.1: BPFO's peak ratio in the raw, envelope and squared-envelope spectra; the knobs to try."""
    ratios = steps.bpfo_ratios()
    return flow(f"""
        BPFO's **peak ratio** (the line's height over the median of the spectrum within ±10 % of it; Sect. 2.5
        says how tall is tall): {ratios['raw']:.1f} in the raw spectrum, {ratios['envelope']:.1f} in the
        envelope spectrum and {ratios['squared envelope']:.1f} in the squared-envelope spectrum. Try the
        knobs: raise `sim_slip` to 0.05 and the harmonics of (e, f) smear; lower `sim_snr_db` to -20 and the
        line sinks towards the floor; move `sim_resonance_hz` and the band follows it.""")


def time_traces_text(view: CwruView) -> str:
    """Sect. 2.2: what the raw traces show (impact spacing and peak levels)."""
    period_ms = {name: 1e3 / getattr(view.lines[label], name) for label, name in
                 (("outer", "bpfo"), ("inner", "bpfi"), ("inner", "shaft"))}
    peak_g = {label: float(np.abs(r.signal).max()) for label, r in view.records.items()}
    return flow(f"""
        The raw traces already tell two of the four stories, on one y-scale: the outer-race record is a train
        of sharp impacts about {period_ms['bpfo']:.1f} ms apart (1 / BPFO, marked), reaching
        {peak_g['outer']:.1f} g against the normal record's {peak_g['normal']:.2f} g
        ({peak_g['outer'] / peak_g['normal']:.0f} times); the inner-race record shows impacts every
        {period_ms['bpfi']:.1f} ms (1 / BPFI, marked) whose size swings as the spall turns through the load
        zone once per revolution ({period_ms['shaft']:.0f} ms). The ball record ({peak_g['ball']:.2f} g)
        hardly differs from the normal one.""")


def detection_text(detection: Detection) -> str:
    """Sect. 2.2: which indicators flag the fault records, and the ISO zones."""
    flagged, missed, table = detection.flagged(), detection.missed(), detection.table
    impulsive = (f"Neither impulsiveness indicator flags {', '.join(missed)}." if missed else
                 "Every fault record is flagged by the kurtosis or the crest factor.")
    counts = sorted(table["iso_zone"].value_counts().items())
    zones = ", ".join(f"{zone} for {n} record(s)" for zone, n in counts)
    return flow(f"""
        Against the healthy record's largest 1 s value, the RMS flags {flagged['rms_g']} of the
        {len(detection.faulty)} fault records, the kurtosis {flagged['kurtosis']}, the crest factor
        {flagged['crest_factor']} and the velocity {flagged['velocity_mm_s']}. {impulsive} The broadband
        velocity stays between {table['velocity_mm_s'].min():.2f} and {table['velocity_mm_s'].max():.2f} mm/s:
        ISO zone {zones} (group 2, rigid: A/B at 1.4 mm/s). The overall velocity, which the zones judge,
        hardly sees these small seeded faults: their impacts ring kilohertz resonances, where velocity is
        small and the 10–1000 Hz band does not look. Detection by level is late; the impulsiveness indicators
        react to impacts, and diagnosis (what and where) needs the envelope analysis that follows.""")


def kurtogram_text(study: KurtogramStudy, view: CwruView, *, band: tuple[float, float] | str,
                   reference_band: tuple[float, float] = (2_000.0, 4_000.0)) -> str:
    """Sect. 2.3: level 0 on both scales for the race faults, the quiet records, and the band used."""
    items = []
    for label in ("outer", "inner"):
        real, env = study.level0.loc[(label, "real")], study.level0.loc[(label, "envelope")]
        verdict = ("so on one scale the whole band is *not* the most impulsive: the impacts are not strong "
                   "enough to make the whole band impulsive, a narrower band is" if env["best_level"] > 0 else
                   "and level 0 stays the most impulsive band on one scale")
        where = (f"{env['best_low_hz'] / 1e3:g}–{env['best_high_hz'] / 1e3:g} kHz "
                 f"(level {env['best_level']:.1f})")
        items.append(flow(f"""
            * **{_file(view, label)} ({label})**: level 0 reads {real['level0']:.2f} on Antoni's scale and
              {env['level0']:.2f} on the envelope's; the best band on one scale is {where} at
              {env['best_kurtosis']:.2f}, {verdict}."""))
    quiet = [label for label in ("normal", "ball")
             if claims.no_impulsive_band(study.kurtograms[label].best_kurtosis)]
    if band == "kurtogram":
        band_text = "each record is demodulated in its own kurtogram band (`band = \"kurtogram\"`)"
    else:
        band_text = (f"all four records are demodulated in **one fixed band, {band[0] / 1e3:g}–"
                     f"{band[1] / 1e3:g} kHz** (the `band` parameter), so that their envelope spectra are "
                     "directly comparable")
        if tuple(band) == tuple(reference_band):
            kurtosis = ", ".join(f"{study.band_choice.loc[label, 'kurtosis_2_4kHz']:.2f} ({label})"
                                 for label in view.records)
            band_text += ("; it is the level-1.6 band of the tree, and its kurtosis (`kurtosis_2_4kHz` "
                          f"above) is {kurtosis}")
    opening = ("Read on Antoni's scale, the inner- and outer-race kurtograms peak at level 0, the raw "
               "signal. On one scale:")
    return opening + "\n\n" + "\n".join(items) + "\n\n" + flow(f"""
        The {' and '.join(quiet) or 'no'} record(s) have no impulsive band worth the name (maximum below 1),
        so for them the kurtogram has nothing to choose. Here {band_text}.""")


def spectral_kurtosis_text(study: SpectralKurtosis, view: CwruView) -> str:
    """Sect. 2.3: SK against the frame length, and what the AR residual changes."""
    largest = {label: study.largest(label) for label in ("outer", "inner")}
    kurt, frames, mid, sk_max = study.kurtosis(), study.frames, study.frames[1], study.table["max_sk"]
    per_frame = "; ".join(f"{_file(view, label)} {_join(values, '.2f')}" for label, values in largest.items())
    if claims.sk_falls_with_frame(largest):
        trend = (": the longer the frame, the more impacts it holds and the lower the SK, while the short "
                 f"frames blur the band (a {frames[0]}-sample frame resolves {study.fs / frames[0]:.0f} Hz).")
    else:
        trend = ": it does not fall from the shortest to the longest frame here."
    kurtosis = ", ".join(f"{kurt[(label, 'raw')]:.2f} to {kurt[(label, 'AR residual')]:.2f} ({label})"
                         for label in view.records)
    peaks = ", ".join(f"{sk_max[(label, 'raw', mid)]:.2f} to {sk_max[(label, 'AR residual', mid)]:.2f} "
                      f"({label})" for label in view.records)
    return flow(f"""
        Frame length: in the race-fault records the largest SK is {per_frame} for frames of
        {_join(frames, 'd')} samples{trend} After AR prediction the kurtosis of the whole signal goes from
        {kurtosis}, and the largest SK at {mid}-sample frames from {peaks}. Removing the predictable part
        raises the impulsiveness where impacts are hidden under it; where there are none, the residual stays
        near Gaussian (kurtosis 3, SK 0).""")


def near_120_text(table: pd.DataFrame, *, resolving_bin_hz: float = 0.15) -> str:
    """Sect. 2.4: where the line near 120 Hz sits, against 4 f_r and against the mains' 120 Hz.

    ``table`` is :func:`bearingkit.papers.primer.envelope.line_near` at 120 Hz and the 4th shaft harmonic.
    """
    ten_s = table["bin (Hz)"] < resolving_bin_hz
    from_mains = table["bins from 120 Hz"].abs()
    ratios = ", ".join(f"{label} {r:.1f}" for label, r in table["ratio"].items())
    if claims.line_is_shaft_harmonic(table, resolving_bin_hz=resolving_bin_hz):
        verdict = ("It is the **4th shaft harmonic**, not the mains' 120 Hz: an induction motor's shaft "
                   "turns a little slower than its synchronous 30 Hz (the slip of the *motor*), so its "
                   "harmonics fall just below the mains multiples.")
    else:
        verdict = "It cannot be assigned to the 4th shaft harmonic rather than the mains from these numbers."
    return flow(f"""
        The line near 120 Hz sits at {table['found_hz'].min():.2f}–{table['found_hz'].max():.2f} Hz in the
        four records (peak ratios {ratios}): within {table['bins from 4 f_r'].abs().max():.1f} bins of 4 $f_r$
        at each record's measured shaft rate, and {from_mains[ten_s].min():.1f}–{from_mains[ten_s].max():.1f}
        bins below 120.00 Hz in the 10 s fault records (a bin is 1/T =
        {table.loc[ten_s, 'bin (Hz)'].max():.3f} Hz there, so the {120 - table['found_hz'].mean():.2f} Hz gap
        is resolved; in the 5 s normal record it is {from_mains[~ten_s].max():.1f} bins). {verdict}""")


def band_width_text(width: BandWidth, *, band: tuple[float, float] | str) -> str:
    """Sect. 2.4: the band width at which each line reaches half its depth, and what it means for the band."""
    half_width, lines_hz = width.half_width, width.lines_hz
    widths = ", ".join(f"{half_width[name]:g} Hz ({name}, {hz:.0f} Hz)" for name, hz in lines_hz.items())
    rule = (": only once the band is wider than the line, as the rule says."
            if claims.band_follows_rule(half_width, lines_hz) else
            ": not every line waits for a band wider than itself here.")
    fig4 = "." if band == "kurtogram" else (f": the {band[0] / 1e3:g}–{band[1] / 1e3:g} kHz band of Fig. 4 "
                                            f"is {(band[1] - band[0]) / 1e3:g} kHz wide.")
    return flow(f"""
        Each line reaches half its largest depth from a band width of {widths}{rule} So the band must be wider
        than the highest modulation frequency the diagnosis needs (for an inner-race fault, BPFI with its
        shaft-rate sidebands, better a few harmonics), and narrow enough to stay where the impacts
        dominate{fig4}""")


def grading_text(grading: Grading, *, fs: float) -> str:
    """Sect. 2.5: what noise and the healthy floor reach, and the thresholds of the grades."""
    gauss, healthy = grading.null_table.iloc[0], grading.null_table.iloc[1]
    y_at, p_at = threshold_column("Y"), threshold_column("P")
    low, high, n_targets = grading.noise_targets
    thresholds = grading.thresholds
    return flow(f"""
        A ±{100 * grading.tol:g} % window holds {grading.bins_searched(100.0, fs=fs)} bins at 100 Hz and
        {grading.bins_searched(300.0, fs=fs)} at 300 Hz. In {grading.noise_ratios.size} searches of Gaussian
        noise ({grading.noise_trials} records × {n_targets:g} targets between {low:g} and {high:g} Hz) the
        ratio reaches {gauss[p_at]:.1f} in 10 % of searches and {gauss[y_at]:.1f} in 1 % (at most
        {gauss['max']:.1f}). A real floor is not Gaussian: in {grading.healthy_ratios.size} searches of the
        healthy record's spectrum (no defect lines, but shaft and mains lines and a coloured floor; a 5 s
        record, so half the bins per window) it reaches {healthy[p_at]:.1f} in 10 %, {healthy[y_at]:.1f} in 1
        %, and at most {healthy['max']:.1f}. The grades use the stricter of the two: **Y** from
        {thresholds['Y']:.1f}, **P** from {thresholds['P']:.1f}. A fixed threshold of 10 is safe (reached by
        {100 * healthy['false alarms at 10']:.1f} % of the healthy searches) but throws away lines that the
        floor alone would hardly make; and the wider the search (a larger slip allowance, a longer record),
        the taller the largest noise bin, so a threshold is only meaningful with its search width.""")


def _edge_note(table: pd.DataFrame, line: str) -> str:
    return " — in the outer half of its window: no line" if table.loc[line, "at_edge"] else ""


def spectra_text(tables: Mapping[str, pd.DataFrame], peaks: pd.DataFrame, view: CwruView) -> str:
    """Sect. 2.5: what each record's envelope spectrum shows, graded, and why ball faults are hard."""
    outer, inner, ball, normal = (tables[label] for label in ("outer", "inner", "ball", "normal"))
    race = pd.concat([outer.loc[["BPFO", "2xBPFO", "3xBPFO"]], inner.loc[["BPFI", "2xBPFI", "3xBPFI"]]])
    g = peaks["grade"]
    normal_top = normal.loc[~normal["at_edge"], "ratio"].idxmax()
    fundamentals = ball.loc[["BPFO", "BPFI", "2xBSF"]]
    ball_tallest = fundamentals.loc[~fundamentals["at_edge"], "ratio"].idxmax()
    at_edge = peaks.index[peaks["at_edge"].to_numpy(dtype=bool)]
    edges = ", ".join(f"{label} {line}" for label, line in at_edge) or "none"
    sb2, sb1 = inner.loc[["BPFI-2fr", "BPFI+2fr"], "ratio"], inner.loc[["BPFI-fr", "BPFI+fr"], "ratio"]
    pair = "the ± 2 $f_r$ pair is the taller" if claims.pair_dominates(sb2, sb1) else "neither pair dominates"
    named = "a ball fault" if ball_tallest == "2xBSF" else "not a ball fault"
    return flow(f"""
        What the spectra show:

        * **Outer race ({_file(view, 'outer')}).** A line at BPFO stands {outer.loc['BPFO', 'ratio']:.0f}
          times above the floor (grade {g[('outer', 'BPFO')]}), with its harmonics: the textbook case. The
          outer race does not move, so the spall stays where it is in the load zone and every impact is about
          as strong as the last.
        * **Inner race ({_file(view, 'inner')}).** BPFI and its harmonics (grade {g[('inner', 'BPFI')]}), with
          sidebands at multiples of the shaft rate $f_r$: at BPFI ± 2 $f_r$
          ({inner.loc['BPFI-2fr', 'found_hz']:.0f} and {inner.loc['BPFI+2fr', 'found_hz']:.0f} Hz) ratios
          {sb2.iloc[0]:.0f} and {sb2.iloc[1]:.0f}, at BPFI ± $f_r$ {sb1.iloc[0]:.0f} and {sb1.iloc[1]:.0f}:
          {pair}; and a line at $f_r$ itself ({inner.loc['shaft', 'ratio']:.0f}). The spall turns with the
          shaft, through the load zone, and its impacts are modulated accordingly (a modulation that is not a
          pure cosine of the shaft angle has harmonics, hence ± 2 $f_r$).
        * **Ball ({_file(view, 'ball')}).** The maximum near 2 × BSF has ratio
          {ball.loc['2xBSF', 'ratio']:.1f} and lies {100 * abs(ball.loc['2xBSF', 'rel_error']):.1f} % off its
          kinematic value{_edge_note(ball, '2xBSF')} (grade {g[('ball', '2xBSF')]}); the lines near BPFO
          ({ball.loc['BPFO', 'ratio']:.1f}, grade {g[('ball', 'BPFO')]}) and BPFI
          ({ball.loc['BPFI', 'ratio']:.1f}, grade {g[('ball', 'BPFI')]}) compete with it. The cage sidebands 2
          × BSF ± FTF that a ball fault's modulation would put beside it read
          {ball.loc['2xBSF-FTF', 'ratio']:.1f} (grade
          {g[('ball', '2xBSF-FTF')]}{_edge_note(ball, '2xBSF-FTF')}) and {ball.loc['2xBSF+FTF', 'ratio']:.1f}
          (grade {g[('ball', '2xBSF+FTF')]}{_edge_note(ball, '2xBSF+FTF')}). Read blind (the tallest of the
          three fault lines not at the edge of its window), the spectrum names {ball_tallest}: {named}.
        * **Normal ({_file(view, 'normal')}).** Its tallest searched line not at the edge of its window is
          {normal_top}, ratio {normal.loc[normal_top, 'ratio']:.1f} (grade {g[('normal', normal_top)]}).

        Maxima in the outer half of their window (no line): {edges}. The measured BPFO and BPFI lines and
        their harmonics sit within {100 * race['rel_error'].abs().max():.1f} % of their kinematic values.

        **Why ball faults are hard** (Randall & Antoni 2011; Smith & Randall 2015). A ball spins about an axis
        that wanders, so the spall does not strike the races on every revolution, nor always at the same
        force; its two strikes per spin revolution (outer and inner race) differ, so odd multiples of BSF
        appear beside the even ones; and the ball travels with the cage through the load zone, so its impacts
        are modulated at the FTF. Smith & Randall graded every CWRU record as clearly (**Y**), partially
        (**P**) or not (**N**) diagnosable with their benchmark methods, and many ball records came out P or
        N. Their per-record grades are not among this compendium's sources
        (`data/reference/smith_randall2015.json` holds only their 97.mat finding); the grades here borrow
        their letters for a narrower statement, a line above a false-alarm threshold.""")


def prewhitened_text(pre: Prewhitened, view: CwruView, *, thresholds: Mapping[str, float]) -> str:
    """Sect. 2.5: the lines after cepstral pre-whitening."""
    cpw = pre.ratios
    grade = grade_ratio(cpw["ball"]["2xBSF"], thresholds, at_edge=pre.at_edge["ball"]["2xBSF"])
    return flow(f"""
        After pre-whitening, the own lines of the race faults still stand clear (BPFO
        {cpw['outer']['BPFO']:.0f} in {_file(view, 'outer')}, BPFI {cpw['inner']['BPFI']:.0f} in
        {_file(view, 'inner')}), the line near 120 Hz (4 $f_r$) of {_file(view, 'normal')} drops to
        {cpw['normal']['near 120 Hz']:.1f}, and in the ball record the race lines that competed with 2 × BSF
        drop to {cpw['ball']['BPFO']:.1f} (BPFO) and {cpw['ball']['BPFI']:.1f} (BPFI), while 2 × BSF reads
        {cpw['ball']['2xBSF']:.1f} (grade {grade}): the confusing lines were the band's, the ball fault is
        still not shown.""")


def line_shift_text(shift: LineShift, view: CwruView, *,
                    bearing: BearingGeometry = BEARINGS["cwru_de"]) -> str:
    """Sect. 2.5: BPFO and BPFI as measured multiples, and what moved them."""
    reading = {
        "contact angle": ("BPFO goes up and BPFI down: the opposite of slip, which lowers BPFO and raises "
                          "BPFI. A larger effective contact angle than the nominal "
                          f"{bearing.contact_angle_deg:g}° does it: it lowers $\\gamma = (d/D)\\cos\\phi$, "
                          "raising BPFO and lowering BPFI. Exercise 2 estimates it."),
        "slip": ("BPFO goes down and BPFI up, as slip (or a smaller contact angle) would move them: "
                 "Exercise 2."),
        "shaft rate": ("Both move the same way: neither slip nor a contact angle does that; a shaft-rate "
                       "error would."),
    }[claims.race_shift_reading(shift.shift)]
    measured, header, published, moved = shift.measured, shift.header, shift.published, shift.shift
    resolution = view.fs / view.records["outer"].n_samples
    share = 100 * resolution / (3 * published["bpfo"] * view.shaft_hz["outer"])
    return flow(f"""
        Averaged over three harmonics and divided by each record's measured shaft rate, BPFO in
        {_file(view, 'outer')} sits at {measured['bpfo']:.4f} × $f_r$ ({100 * moved['bpfo']:+.2f} % from the
        published {published['bpfo']}) and BPFI in {_file(view, 'inner')} at {measured['bpfi']:.4f} ×
        ({100 * moved['bpfi']:+.2f} % from {published['bpfi']}). {reading} Divided by the headers' rpm
        instead, they would read {header['bpfo']:.4f} and {header['bpfi']:.4f}. (The frequency resolution is
        {resolution:.3f} Hz, {share:.2f} % of 3 × BPFO.)""")


def rate_evidence_text(rate: RateEvidence) -> str:
    """Sect. 3: the file's rpm, its shaft rate and the most likely sampling rate."""
    rec = rate.recording
    return (f"{rec.extra['number']}.mat: rpm = {rec.rpm:g}, shaft = {rec.rpm / 60:.3f} Hz -> most likely "
            f"fs = {rate.decided_fs:g} Hz")


def harmonic_family_text(rate: RateEvidence, *, low_fs: float = 12_000.0, high_fs: float = 48_000.0,
                         mains_hz: float = 60.0) -> str:
    """Sect. 3: the harmonic family at both readings."""
    rec, counts = rate.recording, rate.family_counts
    low, high = counts.loc[low_fs], counts.loc[high_fs]
    bin_high = high_fs / rec.n_samples
    gap = abs(mains_hz - 2 * rec.rpm / 60)
    factor = high_fs / low_fs
    return flow(f"""
        At {high_fs / 1e3:g} kHz a bin is {bin_high:.3f} Hz and 2 × rpm/60 = {2 * rec.rpm / 60:.2f} Hz lies
        {gap:.2f} Hz ({gap / bin_high:.1f} bins) from {mains_hz:g} Hz. Over {high['harmonics']} harmonics:
        read at {high_fs / 1e3:g} kHz, {high['harmonics_in_place']} of {high['harmonics']} shaft harmonics and
        {high['fractional_in_place']} of {high['fractional']} quarter positions hold a line; read at
        {low_fs / 1e3:g} kHz, {low['harmonics_in_place']} and {low['fractional_in_place']}. The quarter
        positions decide: read at {low_fs / 1e3:g} kHz the spectrum is a harmonic family of
        rpm/{60 * factor:g} = {rec.rpm / (60 * factor):.2f} Hz: a shaft turning at {rec.rpm / factor:g} rpm
        while the file records {rec.rpm:g} rpm. Read at {high_fs / 1e3:g} kHz, the family's fundamental is the
        recorded shaft rate.""")


def rate_decision_text(rate: RateEvidence, view: CwruView, *, window: int) -> str:
    """Sect. 3: the decision on the rate, and what goes wrong when the file is read at the fault files'."""
    rec, decided_fs, fs = rate.recording, rate.decided_fs, view.fs
    shaft, factor, name = rec.rpm / 60, decided_fs / fs, f"{rec.extra['number']}.mat"
    right, wrong = rate.shaft_peaks[decided_fs], rate.shaft_peaks[fs]
    offsets = [abs(wrong.loc[k, "offset_bins"]) for k in (2, 3)]
    return flow(f"""
        Read at {decided_fs / 1e3:g} kHz, the shaft line sits at {right.loc[1, 'peak_hz']:.2f} Hz (rpm/60 =
        {shaft:.2f} Hz) and {rate.harmonics_found[decided_fs]} of its first 3 harmonics are in place (within
        {right['offset_bins'].abs().max():.1f} bins). Read at {fs / 1e3:g} kHz, the true shaft line appears at
        {shaft / factor:.2f} Hz; the line near 30 Hz is the region of 120 Hz in truth (the 4th shaft harmonic
        beside the 120 Hz mains line) read four times too low, so it matches rpm/60 by coincidence; and the
        strong lines near 60 and 90 Hz are the mains harmonics at 240 and 360 Hz: they sit at
        {wrong.loc[2, 'peak_hz']:.2f} and {wrong.loc[3, 'peak_hz']:.2f} Hz, {offsets[0]:.1f} and
        {offsets[1]:.1f} bins away from 2 × and 3 × {shaft:.2f} Hz. **Decision: {name} is sampled at
        {decided_fs / 1e3:g} kHz** (Smith & Randall 2015 concluded 48 kHz); the catalogue
        (`src/bearingkit/registry/cwru_catalogue.csv`) records it, and `load_cwru({rec.extra['number']})`
        returns `fs = {rec.fs:g}`.

        **What goes wrong if it is read at {fs / 1e3:g} kHz.** The record appears to last
        {rec.n_samples / fs:.1f} s instead of {rec.n_samples / decided_fs:.1f} s; every frequency reads four
        times too low (the shaft at {shaft / factor:.1f} Hz); and a window of {window} samples covers
        {1e3 * window / decided_fs:.0f} ms of the healthy bearing against {1e3 * window / fs:.0f} ms of a
        faulty one. Worse, a classifier can then tell "normal" from "faulty" by the sampling rate alone. To
        show it, we give a one-split decision tree a single feature, the spectral mean frequency of each
        {window}-sample window, and ask it to separate normal ({name}) from faulty
        ({_join(view.faulty_numbers(), 'd')}) windows, testing on a held-out contiguous block of every record
        (Section 5 explains why): `primer.rate_trap`. The score is the **balanced accuracy**, the mean over
        the two classes of the share of each class's windows called right, so that the many faulty windows do
        not swamp the few normal ones.""")


def rate_trap_summary(trap: RateTrap, view: CwruView) -> str:
    """Sect. 3: how many of the correctly resampled baseline windows the misread file's stump calls normal."""
    called = 100 * trap.wrong_stump_calls_resampled_normal
    return (f"the stump fitted on the misread file calls {called:.0f} % of the correctly resampled "
            f"{_file(view, 'normal')} windows 'normal'")


def rate_trap_text(trap: RateTrap) -> str:
    """Sect. 3: the two stumps' balanced accuracies, and what the wrong one learnt."""
    wrong, right = trap.readings.values()
    return flow(f"""
        Balanced accuracy is 0.5 for a model that calls everything one class, whatever the class sizes. Read
        at 12 kHz, the healthy bearing's energy lands four times too low in frequency, and a threshold on the
        mean frequency alone separates "normal" with a balanced accuracy of {wrong.balanced_accuracy:.2f}.
        Resampled correctly, the same feature scores {right.balanced_accuracy:.2f}: the stump calls
        {right.predicted_normal} of the {right.test_normal} normal test windows normal and all
        {right.test_faulty} faulty ones faulty. With {right.normal_mean_freq.size} normal windows against
        {right.faulty_mean_freq.size} faulty ones (the {right.normal_duration_s:.0f} s baseline against three
        records of about {np.mean(trap.faulty_durations_s):.0f} s), its best single split falls back to the
        majority class: the overlap of the two densities above leaves no threshold that pays. That is 0.5 by
        construction, not proof that the feature holds no information. And the stump fitted on the misread
        file calls {100 * trap.wrong_stump_calls_resampled_normal:.0f} % of the correctly resampled healthy
        windows normal: it had learnt the sampling rate, not the bearing.""")


def other_data_sets_text(others: Mapping[str, object]) -> str:
    """Sect. 3: MFPT's two rates, Paderborn's short segments, and order tracking."""
    paderborn: DefectFrequencies = others["paderborn"]
    segment_s = others["paderborn_segment_s"]
    return flow(f"""
        MFPT: the baseline is sampled {others['mfpt_baseline_fs'] / others['mfpt_fault_fs']:g} times faster
        than the faults; read at the fault rate, every baseline frequency halves. Paderborn: a
        {1e3 * segment_s:g} ms segment gives envelope lines {1 / segment_s:g} Hz apart, against a BPFO of
        {paderborn.bpfo:.1f} Hz and a BPFI of {paderborn.bpfi:.1f} Hz at {others['paderborn_rpm']:g} rpm
        ({BEARINGS['paderborn'].designation}): the defect line falls between the first few bins and cannot be
        located, only guessed at. **Order tracking** is the remedy for the other classic trap, a speed that
        varies during the record: resampling the signal at constant shaft-angle steps (from a tachometer)
        turns the defect lines into fixed orders (multiples of the shaft rate) however the speed moves; on the
        constant-speed CWRU records it is not needed.""")


def axial_text(rig: str = "axial") -> str:
    """Sect. 4: the thrust bearing of the axial rig, its coinciding race lines and the assumed load."""
    axial = simulate.get_rig(rig)
    multiples = defect_multiples(axial.geometry)
    return flow(f"""
        The simulated spectra share the real ones' anatomy: a line at the defect frequency with its harmonics,
        and for the inner race the shaft-rate sidebands of the load-zone modulation. On the thrust bearing of
        the axial rig ({axial.geometry.contact_angle_deg:g}° contact) BPFO and BPFI coincide at
        {multiples.bpfo:.3f} = {multiples.bpfi:.3f} × shaft ($n/2$ with $n$ = {axial.geometry.n_elements};
        Exercise 4 says why). Under a pure, centred axial load every ball carries the same load: a thrust
        bearing then has **no load zone**, and its washer faults would give identical, unmodulated lines. The
        simulator therefore *assumes* a load non-uniformity fixed in space, $1 + u\\cos\\theta$ with $u$ =
        {axial.nonuniformity:g} (an eccentric load, a housing seat out of square), so that the rotating shaft
        washer's defect ("inner") is modulated at the shaft rate and the housing washer's ("outer") is not —
        an assumption of the simulator, stated in `simulate.RIGS['axial'].assumptions`, not a measured fact.
        What the simulator cannot give is the real rigs' transmission paths, other machine components and
        non-ideal defects: it checks pipelines and teaches; it does not replace data.""")


def mafaulda_axes_text(study: SimulatedStudy, *, thresholds: Mapping[str, float]) -> str:
    """Sect. 4: BPFO's peak ratio in every MAFAULDA channel, underhang against overhang."""
    ratio_by = study.mafaulda_ratios()
    under = [r for s, r in ratio_by.items() if s.startswith("underhang")]
    over = [r for s, r in ratio_by.items() if s.startswith("overhang")]
    if claims.weaker_channels(over, under):
        against = (f"{np.median(under) / np.median(over):.1f} times below the underhang ones' "
                   f"({np.median(under):.0f})")
    else:
        against = f"not below the underhang ones' ({np.median(under):.0f})"
    return flow(f"""
        BPFO peak ratio per channel: {', '.join(f'{s} {r:.0f}' for s, r in ratio_by.items())}. The overhang
        channels' median ({np.median(over):.0f}) is {against}; the Y threshold of Sect. 2.5 (for CWRU's search
        width) is {thresholds['Y']:.1f}.""")


def separation_text(separation: pd.DataFrame, study: SimulatedStudy, *,
                    published: Mapping[str, float] = BEARINGS["mafaulda"].published) -> str:
    """Sect. 4: MAFAULDA's defect lines against the shaft harmonics, and the unbalance mass's sidebands."""
    shaft, duration_s = study.mafaulda_speed_rpm / 60, study.mafaulda_duration_s
    forces = simulate.get_rig("mafaulda").forces(study.mafaulda_mass_g, shaft)
    bpfo, bpfi = separation.loc["BPFO"], separation.loc["BPFI"]
    return flow(f"""
        MAFAULDA publishes BPFO = {published['bpfo']} and BPFI = {published['bpfi']} × shaft rate. On its
        {duration_s:g} s records (bins {1 / duration_s:.1f} Hz) at {shaft:.1f} Hz, BPFO lies
        {bpfo['gap_hz']:.3f} Hz ({bpfo['gap_bins']:.2f} bins) from shaft harmonic {int(bpfo['harmonic'])} and
        BPFI {bpfi['gap_bins']:.2f} bins from shaft harmonic {int(bpfi['harmonic'])}: **by frequency alone
        these defect lines cannot be told from shaft harmonics** (Exercise 5). The simulated row of Sect. 6
        therefore checks the simulator's line position, not that a BPFO line could be recognised on the real
        rig. The other lines of the comb are the fault's too: the {study.mafaulda_mass_g:g} g mass turns with
        the shaft and pulls with {forces.rotating:.1f} N against the {forces.static:.0f} N of rotor weight
        (the simulator's assumptions), so the load on the stationary outer-race spall rises and falls once per
        revolution, modulating its impacts at the shaft rate: sidebands at BPFO ± k $f_r$ ≈ (3 ± k) $f_r$,
        which land on the other shaft harmonics.""")


def split_study_summary(study: SplitStudy, *, window: int, hop: int) -> str:
    """Sect. 5: the records, windows, features and fits of the split study."""
    return (f"{len(study.numbers)} records, {len(study.windows)} windows of {window} (hop {hop}, "
            f"{1 - hop / window:.0%} overlap), {study.X.shape[1]} features; {len(study.scores)} fits of "
            f"{study.classifier} in {study.seconds:.0f} s; records per class: "
            f"{dict(study.records_per_class)}; test fraction {study.test_fraction:.0%}")


def overlap_text(control: OverlapControl) -> str:
    """Sect. 5: 1-nearest neighbour with and without overlap, on the location and on the stretch label."""
    chance = 1 / control.n_stretches
    location, fifth = control.table.loc["fault location"], control.table.loc["fifth of the record"]
    kept = claims.gain_left_without_overlap(fifth["random"], fifth["random_no_overlap"], chance=chance)
    most = "most" if claims.overlap_took_most(kept) else "less than half"
    below = "below" if claims.below_chance(fifth["contiguous"], chance=chance) else "at or above"
    return flow(f"""
        1-nearest neighbour on the fault location: {location['random']:.3f} with random overlapping windows,
        {location['random_no_overlap']:.3f} with random windows that do not overlap,
        {location['contiguous']:.3f} with contiguous blocks: no gap. On the fifth of the record (chance
        {chance:g}): {fifth['random']:.3f}, {fifth['random_no_overlap']:.3f} and {fifth['contiguous']:.3f}.
        Removing the overlap takes away {1 - kept:.0%} of the random split's gain over chance: {most} of it
        came from shared samples, the rest from time adjacency (a test window's neighbours in time are in
        training, and neighbours look alike). The contiguous split scores {below} chance for a reason of its
        own: its test block takes its own fifths' windows out of training, so the labels a model finds in the
        rest of the *same record* are mostly other fifths'. A guess drawn from the record's own training
        windows would score {control.record_guess:.3f}; the nearest neighbour, which on the location task is
        almost always of the right class, lands between that and chance.""")


def level_reading_text(held: HeldOutSize, *, margin: float = 0.05) -> str:
    """Sect. 5: what removing the vibration level did to the held-out sizes (:func:`claims.level_effect`)."""
    effect = claims.level_effect(held.level_test["raw windows"], held.level_test["unit-RMS windows"],
                                 margin=margin)
    return {
        "worse": ("Removing the level makes every held-out size *worse*: the level carried part of what "
                  "transferred, and the shape of the windows alone transfers even less. So the reading "
                  "\"level, not location\" is too simple: the level decides *which* wrong class the held-out "
                  "records fall into, not why the location fails to transfer."),
        "better": ("Removing the level makes every held-out size better: the level was misleading the model, "
                   "as the reading says."),
        "mixed": ("Removing the level helps some held-out sizes and hurts others: the level is not the whole "
                  "story."),
    }[effect]


def held_out_text(study: SplitStudy, held: HeldOutSize, *, normal_rms_g: float) -> str:
    """Sect. 5: reading the four splits, the worst held-out size and the level test.

    ``normal_rms_g`` is the normal record's RMS, against which the quiet held-out records are read.
    """
    loc = study.summary()["mean"]["location"]
    folds = study.folds("location", "fault_size")
    by_size = ", ".join(f"{acc:.3f} holding out {s:.3f} in"
                        for s, acc in sorted(zip(folds["held_out"], folds["accuracy"], strict=True)))
    per_class, level_test, size = study.records_per_class, held.level_test, held.held_out
    outer = held.outer_race.groupby("size_in")
    or_rms, or_ratio = outer["rms_g"].median(), outer["ratio"].median()
    unit = ", ".join(f"{acc:.3f} ({s:.3f} in)" for s, acc in level_test["unit-RMS windows"].items())
    other_rms = ", ".join(f"{v:.3f} g ({s:.3f} in)" for s, v in or_rms.items() if s != size)
    other_ratio = ", ".join(f"{v:.0f}" for s, v in or_ratio.items() if s != size)
    exactly = "exactly" if held.majority_share == 1 else "little more than"
    return flow(f"""
        Reading the result ({study.classifier}):

        * **(a) random** scores {loc['random']:.3f}: its test windows share samples with training windows
          (`shares_samples`), but the overlap cell above shows that on these records this is not what inflates
          it.
        * **(b) contiguous** blocks remove the shared samples and score {loc['contiguous']:.3f}. That is *not*
          evidence that (a) was fair: every record is still on both sides, and recognising a record is enough
          to name its class. Each location class holds {_join(per_class['location'], 'd')} records and each
          location × size class {_join(per_class['location x size'], 'd')} (one per load), all of them on both
          sides.
        * **(c) leave one load out** scores {loc['load']:.3f} on average: the held-out load is the same defect
          run a few per cent slower or faster, so the model meets old acquaintances.
        * **(d) leave one size out** scores {by_size}. Holding out {size:.3f} in, the model calls
          {held.majority_share:.0%} of the held-out windows "{held.majority}" (confusion matrix above): the
          per-record accuracies are {_join(held.per_record['accuracy'], '.0%')}, and the
          {100 * held.accuracy:.1f} % accuracy is {exactly} the share of held-out windows that are
          {held.majority}.

        **Level or location?** With every window scaled to unit RMS, the held-out sizes score {unit} against
        {_join(level_test['raw windows'], '.3f')} on the raw windows. {level_reading_text(held)} The
        outer-race {size:.3f} in records are the odd ones out: their median RMS is
        {or_rms.get(size, float('nan')):.3f} g against {other_rms} for the other outer-race sizes and
        {normal_rms_g:.3f} g for the normal record, and their BPFO peak ratio (median over the four loads) is
        {or_ratio.get(size, float('nan')):.1f} against {other_ratio}: the fault barely shows in them, so a
        model trained on the loud 0.007 and 0.021 in outer races meets a quiet, nearly clean outer race.

        So a CWRU accuracy means little until one knows the split. The later notebooks report each paper's own
        split *and* a grouped split beside it.""")


def status_text(rows: Sequence[Mapping]) -> str:
    """Sect. 6: how many rows have each status."""
    counts = pd.Series([row["status"] for row in rows]).value_counts()
    return ", ".join(f"**{n}** {status}" for status, n in counts.items()) + f" (of {len(rows)} rows)."


def blind_answer_text(test: BlindTest) -> str:
    """Exercise 1: how many blind diagnoses are right, and the grades of the wrong ones."""
    verdict, wrong = test.verdict, test.wrong
    readings = "; ".join(f"{name} ({row['file']}, {row['truth']} {row['size_in']:.3f} in) read as "
                         f"{row['diagnosis']}, grade {row['grade']}" for name, row in verdict.iterrows())
    wrong_grades = (f"Every wrong diagnosis ({', '.join(wrong.index)}) carries grade "
                    f"{'/'.join(sorted(set(wrong['grade'])))}" if len(wrong) else "No diagnosis is wrong")
    return flow(f"""
        **Answer 1.** {int(verdict['right'].sum())} of {len(verdict)} blind diagnoses name the right location:
        {readings}. {wrong_grades}. The lesson: a grade says that the chosen line stands above noise, not that
        it is the fault's line; a ball record can show real race lines taller than its own, and the rule then
        names the race with full confidence. Smith & Randall (2015) graded the same records with their
        benchmark methods; their grades are not among this compendium's sources, so compare with their paper's
        tables: expect the ball records to be the hard ones.""")


def contact_angle_answer_text(answer: Mapping, view: CwruView, *,
                              bearing: BearingGeometry = BEARINGS["cwru_de"]) -> str:
    """Exercise 2: the sum of the race lines, gamma, and contact angle against slip."""
    measured, inner, shaft_inner = answer["measured_multiples"], view.records["inner"], view.shaft_hz["inner"]
    if answer["slip_at_nominal_angle"] < 0:
        sign = (", a cage that *leads* its rolling position, which slip cannot do. One pair of lines cannot "
                "separate the two in general; here the sign does: only a contact angle above nominal, as a "
                "deep-groove ball bearing under some axial load has, moves BPFO up and BPFI down — if the "
                "two bearings share their geometry.")
    else:
        sign = ": slip and a contact angle cannot be told apart from one pair of lines."
    return flow(f"""
        **Answer 2.** Divided by the measured shaft rates, BPFO + BPFI =
        {measured['bpfo'] + measured['bpfi']:.4f} × $f_r$, {100 * (answer['sum_ratio'] - 1):+.2f} % from $n$ =
        {bearing.n_elements}. Divided by the headers' rpm, the sum is
        {100 * (answer['sum_ratio_header'] - 1):+.2f} % from $n$: that offset, which a slip estimate from the
        sum would report as slip, is the headers' rpm error (the sum cannot see slip):
        {_file(view, 'inner')}'s header says {inner.rpm:g} rpm, its shaft line is at {shaft_inner:.3f} Hz,
        {60 * shaft_inner:.1f} rpm. $\\gamma$ = (BPFI − BPFO) / (BPFI + BPFO) = {answer['gamma']:.4f}, against
        {answer['gamma_published']:.4f} from the published multiples (d/D = {answer['ball_over_pitch']:.4f},
        {bearing.contact_angle_deg:g}° nominal). Read with no slip, cos φ = γ / (d/D) gives an effective
        contact angle of {answer['contact_angle_deg']:.1f}°; read at the nominal angle, the same γ asks for a
        slip of {100 * answer['slip_at_nominal_angle']:+.2f} %""") + sign


def misread_answer_text(misread: MisreadLines) -> str:
    """Exercise 3: where each line of the misread file falls, predicted and found."""
    table = misread.table
    lines = ", ".join(f"{name} at {row['predicted_hz']:.2f} Hz (found {row['found_hz']:.2f}, "
                      f"{row['offset_bins']:+.1f} bins)" for name, row in table.iterrows())
    return flow(f"""
        **Answer 3.** Read at {misread.read_fs / 1e3:g} kHz every frequency is divided by
        {misread.decided_fs / misread.read_fs:g}: {lines}. So the misread file shows a 'shaft line' at
        {table.loc['shaft', 'predicted_hz']:.2f} Hz and mains at
        {table.loc['60 Hz mains', 'predicted_hz']:.0f} Hz multiples, and its lines near 60 and 90 Hz are the
        240 and 360 Hz mains lines.""")


def thrust_answer_text(answer: Mapping) -> str:
    """Exercise 4: why BPFO = BPFI = n / 2 on a thrust ball bearing."""
    return flow(f"""
        **Answer 4.** With a {answer['contact_angle_deg']:g}° contact angle, $\\gamma = (d/D)\\cos\\phi$ =
        {abs(answer['gamma']):.3f}: the balls roll between two flat washers at one pitch radius, so each
        washer sees the same ball-pass rate. BPFO = BPFI = $n/2$ = {answer['bpfo_x']:.3f} =
        {answer['bpfi_x']:.3f} × shaft (n = {answer['n_elements']}). Only the modulation tells the washers
        apart, and only if the load is not uniform (Sect. 4).""")


def mafaulda_answer_text(answer: Mapping) -> str:
    """Exercise 5: MAFAULDA's BPFO against 3 x shaft, in Hz and bins, and the record length for two bins."""
    return flow(f"""
        **Answer 5.** |{answer['multiple']} − 3| × {answer['shaft_hz']:.2f} Hz = {answer['gap_hz']:.3f} Hz,
        {answer['gap_bins']:.2f} bins of {answer['bin_hz']:.1f} Hz: the two lines are one. Two bins apart
        needs a record of 2 / {answer['gap_hz']:.3f} Hz = {answer['duration_for_two_bins_s']:.0f} s; at a
        slower speed, longer still.""")
