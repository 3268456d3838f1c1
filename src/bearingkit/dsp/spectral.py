"""Signal processing for bearing diagnostics: envelope spectrum, resampling, STFT, spectral-line search.

Every function works along the last axis, so a ``(channel, time)`` array is processed channel by channel in
one call, and every function checks its input (finite values, positive sampling rate, bands inside Nyquist)
and raises :class:`~bearingkit.errors.ParameterError` with a message that says what to change.
"""

from __future__ import annotations

from fractions import Fraction
from typing import NamedTuple

import numpy as np
import scipy.fft
import scipy.signal

from bearingkit.checks import check_signal
from bearingkit.errors import ParameterError

__all__ = ["Peak", "bandpass", "cepstral_prewhitening", "default_band", "envelope", "envelope_spectrum",
           "peak_near", "resample", "resample_factors", "spectrogram", "spectrum_db", "stft"]


def default_band(fs: float) -> tuple[float, float]:
    """The demodulation band used when none is given: ``(fs/16, 7 fs/16)``.

    It leaves out the low-frequency shaft, gear and electrical lines below ``fs/16`` and the anti-aliasing
    roll-off above ``7 fs/16`` (0.75-5.25 kHz at 12 kHz), and keeps the broad middle where structural
    resonances excited by bearing impacts usually lie. For real data pick the band from a kurtogram instead
    (Antoni 2007; Randall & Antoni 2011, Sect. 3.3).
    """
    return fs / 16.0, 7.0 * fs / 16.0


def _check_band(band, *, fs: float) -> tuple[float, float]:
    low, high = (float(v) for v in band)
    nyquist = fs / 2.0
    if not (0 < low < high < nyquist):
        raise ParameterError(f"band must satisfy 0 < low < high < fs/2 = {nyquist:g} Hz (Nyquist), got "
                             f"({low:g}, {high:g}) Hz; lower the band or pass the signal's true fs")
    return low, high


def bandpass(x, *, fs: float, band: tuple[float, float], order: int = 4) -> np.ndarray:
    """Zero-phase Butterworth band-pass filter along the last axis.

    Second-order sections run forwards and backwards (``scipy.signal.sosfiltfilt``), so the effective order is
    ``2 * order`` and no phase shift is introduced.

    Parameters
    ----------
    x : array_like [shape=(..., time)]
    fs : float > 0
        Sampling rate in Hz.
    band : (float, float)
        Pass band ``(low, high)`` in Hz, ``0 < low < high < fs/2``.
    order : int > 0
        Butterworth order of the band-pass prototype.

    Returns
    -------
    np.ndarray [shape=(..., time)]

    Raises
    ------
    ParameterError
        Also when the signal is too short for the filter's edge padding.
    """
    x = check_signal(x, fs=fs)
    sos = scipy.signal.butter(order, _check_band(band, fs=fs), btype="bandpass", fs=fs, output="sos")
    try:
        return scipy.signal.sosfiltfilt(sos, x, axis=-1)
    except ValueError as error:
        raise ParameterError(f"signal of {x.shape[-1]} samples is too short to band-pass at order {order} "
                             f"({error}); use a longer segment") from error


def envelope(x, *, fs: float, band: tuple[float, float] | None = None, order: int = 4,
             squared: bool = False) -> np.ndarray:
    """Envelope of the band-passed signal: the magnitude of its analytic signal.

    ``e(t) = |x_b(t) + j H{x_b}(t)|`` with ``x_b`` the band-passed signal and ``H`` the Hilbert transform
    (Randall & Antoni 2011, Sect. 3.1 [1]_). ``squared=True`` returns ``e(t)**2``, the squared envelope those
    authors recommend because it adds no spurious components.

    Parameters
    ----------
    x : array_like [shape=(..., time)]
    fs : float > 0
    band : (float, float), optional
        Demodulation band in Hz; :func:`default_band` when omitted.
    order : int > 0
        Butterworth order of the band-pass.
    squared : bool
        Return the squared envelope.

    Returns
    -------
    np.ndarray [shape=(..., time)]

    References
    ----------
    .. [1] Randall, R. B. & Antoni, J. (2011). Rolling element bearing diagnostics - a tutorial. *Mech. Syst.
       Signal Process.* 25(2), 485-520.
    """
    x = check_signal(x, fs=fs)
    filtered = bandpass(x, fs=fs, band=default_band(fs) if band is None else band, order=order)
    n = x.shape[-1]
    analytic = scipy.signal.hilbert(filtered, N=scipy.fft.next_fast_len(n, real=False), axis=-1)[..., :n]
    env = np.abs(analytic)
    return env**2 if squared else env


def envelope_spectrum(x, *, fs: float, band: tuple[float, float] | None = None, order: int = 4,
                      squared: bool = False, window: str = "hann") -> tuple[np.ndarray, np.ndarray]:
    """One-sided amplitude spectrum of the envelope (envelope analysis).

    The signal is band-passed around the resonances that bearing impacts excite, demodulated with the
    Hilbert transform (:func:`envelope`), its mean removed, windowed, and transformed; a localized defect
    then shows as lines at its defect frequency and harmonics, with sidebands at the modulating rate (shaft
    rate for an inner-race fault, cage rate for a ball fault) [1]_ [2]_. Amplitudes are scaled by the
    window's coherent gain, so a sinusoidal envelope component of amplitude ``a`` gives a peak close to ``a``.

    Parameters
    ----------
    x : array_like [shape=(..., time)]
        Vibration signal(s); leading axes are processed independently.
    fs : float > 0
        Sampling rate in Hz.
    band : (float, float), optional
        Demodulation band in Hz; :func:`default_band` ``(fs/16, 7 fs/16)`` when omitted.
    order : int > 0
        Butterworth order of the band-pass.
    squared : bool
        Use the squared envelope.
    window : str
        Window name for ``scipy.signal.get_window`` (``"boxcar"`` for none).

    Returns
    -------
    freqs : np.ndarray [shape=(n_freq,)]
        Frequencies in Hz, from 0 to fs/2.
    amplitude : np.ndarray [shape=(..., n_freq)]
        One-sided amplitude spectrum of the envelope.

    See Also
    --------
    peak_near : find the line nearest a defect frequency.

    References
    ----------
    .. [1] Randall, R. B. & Antoni, J. (2011). Rolling element bearing diagnostics - a tutorial. *Mech. Syst.
       Signal Process.* 25(2), 485-520.
    .. [2] McFadden, P. D. & Smith, J. D. (1984). Vibration monitoring of rolling element bearings by the
       high-frequency resonance technique - a review. *Tribology International* 17(1), 3-10.

    Examples
    --------
    >>> t = np.arange(12_000) / 12_000
    >>> x = (1 + np.cos(2 * np.pi * 100 * t)) * np.sin(2 * np.pi * 3_000 * t)
    >>> f, a = envelope_spectrum(x, fs=12_000, band=(2_000, 4_000))
    >>> round(float(f[np.argmax(a)]), 1)
    100.0
    """
    env = envelope(x, fs=fs, band=band, order=order, squared=squared)
    env = env - env.mean(axis=-1, keepdims=True)
    n = env.shape[-1]
    n_fft = scipy.fft.next_fast_len(n, real=True)
    w = scipy.signal.get_window(window, n)
    amplitude = 2.0 * np.abs(scipy.fft.rfft(env * w, n=n_fft, axis=-1)) / w.sum()
    return scipy.fft.rfftfreq(n_fft, d=1.0 / fs), amplitude



def cepstral_prewhitening(x, *, fs: float) -> np.ndarray:
    """Cepstral pre-whitening: the signal with its spectrum's magnitude set to one, phase kept.

    ``x_w = IFFT(X / |X|)`` removes the real cepstrum except its zero quefrency, which flattens the spectrum:
    discrete lines (shaft harmonics, mains, gear meshes) and structural resonances alike are brought to one
    level, and the impulsiveness of bearing impacts, which lives in the phase, survives. Its squared envelope
    over the whole band is the first benchmark method of Smith & Randall (2015) [1]_ (after Sawalhi &
    Randall 2011 [2]_).

    Parameters
    ----------
    x : array_like [shape=(..., time)]
        Vibration signal(s); the mean is removed first.
    fs : float > 0
        Sampling rate in Hz (checked; the operation does not depend on it).

    Returns
    -------
    np.ndarray
        The whitened signal, same shape, unit RMS spectrum per bin.

    References
    ----------
    .. [1] Smith, W. A. & Randall, R. B. (2015). Rolling element bearing diagnostics using the Case Western
       Reserve University data: a benchmark study. *Mech. Syst. Signal Process.* 64-65, 100-131.
    .. [2] Sawalhi, N. & Randall, R. B. (2011). Signal pre-whitening using cepstrum editing (liftering) to
       enhance fault detection in rolling element bearings. *Proc. COMADEM 2011*, 330-336.

    Examples
    --------
    >>> t = np.arange(1_000) / 1_000
    >>> x = 10 * np.sin(2 * np.pi * 50 * t) + np.random.default_rng(0).standard_normal(t.size)
    >>> white = cepstral_prewhitening(x, fs=1_000)
    >>> spectrum = np.abs(np.fft.rfft(white))
    >>> bool(spectrum[50] < 2 * np.median(spectrum[1:]))
    True
    """
    x = check_signal(x, fs=fs)
    x = x - x.mean(axis=-1, keepdims=True)
    spectrum = scipy.fft.fft(x, axis=-1)
    magnitude = np.abs(spectrum)
    if not (magnitude > 0).all():
        magnitude = np.where(magnitude > 0, magnitude, 1.0)
    return scipy.fft.ifft(spectrum / magnitude, axis=-1).real

def resample_factors(fs_in: float, fs_out: float, *, max_factor: int = 10_000) -> tuple[int, int]:
    """Integer up/down factors with ``fs_in * up / down == fs_out``.

    The ratio is taken exactly from the decimal values of the two rates (48000 -> 12000 gives (1, 4); 48828 ->
    12000 gives (1000, 4069)). When either factor would exceed ``max_factor`` the closest ratio with smaller
    factors is used, provided it is within 1e-4 of the requested one.

    Raises
    ------
    ParameterError
        For non-positive rates, or when no ratio with factors up to ``max_factor`` is within 1e-4.
    """
    for name, value in (("fs_in", fs_in), ("fs_out", fs_out)):
        if not (np.isscalar(value) and np.isfinite(value) and value > 0):
            raise ParameterError(f"{name} must be a positive sampling rate in Hz, got {value!r}")
    ratio = Fraction(str(float(fs_out))) / Fraction(str(float(fs_in)))
    if max(ratio.numerator, ratio.denominator) > max_factor:
        if ratio <= 1:
            approx = ratio.limit_denominator(max_factor)
        else:
            approx = 1 / (1 / ratio).limit_denominator(max_factor)
        if max(approx.numerator, approx.denominator) > max_factor or abs(approx / ratio - 1) > 1e-4:
            raise ParameterError(f"cannot resample {fs_in:g} -> {fs_out:g} Hz with up/down factors up to "
                                 f"{max_factor}; raise max_factor or choose a rate with a simpler ratio")
        ratio = approx
    return ratio.numerator, ratio.denominator


def resample(x, *, fs_in: float, fs_out: float, max_factor: int = 10_000) -> np.ndarray:
    """Polyphase resampling along the last axis (``scipy.signal.resample_poly``).

    An anti-aliasing Kaiser-windowed FIR filter is applied, so content above ``min(fs_in, fs_out) / 2`` is
    removed. The rate change is the rational ``up/down`` of :func:`resample_factors`: exact for 48000 -> 12000
    (1/4), and within 1e-4 of the request otherwise.

    Parameters
    ----------
    x : array_like [shape=(..., time)]
    fs_in, fs_out : float > 0
        Current and wanted sampling rates in Hz.
    max_factor : int
        Largest up or down factor allowed.

    Returns
    -------
    np.ndarray [shape=(..., ceil(time * up / down))]

    Examples
    --------
    >>> resample(np.zeros(48_000), fs_in=48_000, fs_out=12_000).shape
    (12000,)
    """
    x = check_signal(x, fs=fs_in)
    up, down = resample_factors(fs_in, fs_out, max_factor=max_factor)
    if up == down:
        return x.copy()
    return scipy.signal.resample_poly(x, up, down, axis=-1)


def _stft_transform(*, fs: float, n: int, nperseg: int, hop: int | None,
                    window: str) -> scipy.signal.ShortTimeFFT:
    if not (isinstance(nperseg, int | np.integer) and 1 < nperseg <= n):
        raise ParameterError(f"nperseg must be an integer in [2, {n}] (the signal length), got {nperseg!r}")
    hop = nperseg // 2 if hop is None else hop
    if not (isinstance(hop, int | np.integer) and 0 < hop <= nperseg):
        raise ParameterError(f"hop must be an integer in [1, nperseg={nperseg}], got {hop!r}")
    return scipy.signal.ShortTimeFFT.from_window(window, fs=fs, nperseg=int(nperseg),
                                                 noverlap=int(nperseg - hop), fft_mode="onesided2X",
                                                 scale_to="psd")


def stft(x, *, fs: float, nperseg: int = 1024, hop: int | None = None,
         window: str = "hann") -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Short-time Fourier transform over the frames that lie wholly inside the signal.

    Scaled so that ``|Z|**2`` is the one-sided power spectral density: summed over frequency and multiplied by
    the bin width it gives the frame's mean power (``ShortTimeFFT(fft_mode="onesided2X", scale_to="psd")``).

    Parameters
    ----------
    x : array_like [shape=(..., time)]
    fs : float > 0
    nperseg : int
        Frame length in samples.
    hop : int, optional
        Frame step in samples; ``nperseg // 2`` (50 % overlap) when omitted.
    window : str
        Window name for ``scipy.signal.get_window``.

    Returns
    -------
    freqs : np.ndarray [shape=(n_freq,)]
        Hz.
    times : np.ndarray [shape=(n_frame,)]
        Frame centres in seconds.
    Z : np.ndarray [shape=(..., n_freq, n_frame)], complex
    """
    x = check_signal(x, fs=fs)
    n = x.shape[-1]
    sft = _stft_transform(fs=fs, n=n, nperseg=nperseg, hop=hop, window=window)
    p0, p1 = sft.lower_border_end[1], sft.upper_border_begin(n)[1]
    return sft.f, sft.t(n, p0=p0, p1=p1), sft.stft(x, p0=p0, p1=p1, axis=-1)


def spectrogram(x, *, fs: float, nperseg: int = 1024, hop: int | None = None, window: str = "hann",
                ref: float = 1.0, floor_db: float = -200.0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Power spectrogram in decibels: ``10 log10(PSD / ref)``, clipped below at ``floor_db``.

    Parameters
    ----------
    x : array_like [shape=(..., time)]
    fs : float > 0
    nperseg, hop, window
        As in :func:`stft`.
    ref : float > 0
        Reference power spectral density for 0 dB (e.g. ``1.0`` for g**2/Hz).
    floor_db : float
        Lowest value returned (avoids ``-inf`` on digital silence).

    Returns
    -------
    freqs : np.ndarray [shape=(n_freq,)]
    times : np.ndarray [shape=(n_frame,)]
    power_db : np.ndarray [shape=(..., n_freq, n_frame)]
    """
    if not ref > 0:
        raise ParameterError(f"ref must be a positive power, got {ref!r}")
    freqs, times, z = stft(x, fs=fs, nperseg=nperseg, hop=hop, window=window)
    power = z.real**2 + z.imag**2
    return freqs, times, np.maximum(10.0 * np.log10(np.maximum(power / ref, 1e-300)), floor_db)


class Peak(NamedTuple):
    """A spectral line found by :func:`peak_near`: the ``frequency`` (Hz) and ``amplitude`` of the largest bin
    in the search window, and ``floor``, the median amplitude over the wider floor window (local noise floor).
    """

    frequency: float
    amplitude: float
    floor: float

    @property
    def ratio(self) -> float:
        """Line-to-floor ratio ``amplitude / floor`` (inf on a zero floor)."""
        return self.amplitude / self.floor if self.floor > 0 else float("inf")


def peak_near(freqs, amplitude, *, target: float, tol: float = 0.02, floor_tol: float = 0.1) -> Peak:
    """The largest spectral line within ``target * (1 +/- tol)``, and the local noise floor.

    Real defect lines sit up to 1-2 % away from their kinematic value because rolling elements slip
    (Ho & Randall 2000), hence a relative window. The window always spans at least one bin either side of
    ``target``.

    Parameters
    ----------
    freqs : array_like [shape=(n_freq,)]
        Increasing frequencies, Hz.
    amplitude : array_like [shape=(n_freq,)]
        Spectrum at ``freqs`` (e.g. from :func:`envelope_spectrum`).
    target : float > 0
        Where the line is expected, Hz.
    tol : float in (0, 1)
        Half-width of the search window, relative to ``target``.
    floor_tol : float >= tol
        Half-width, relative to ``target``, of the window whose median amplitude is returned as the floor.

    Returns
    -------
    Peak
        ``frequency``, ``amplitude``, ``floor`` and the derived ``ratio``.

    Examples
    --------
    >>> f = np.linspace(0, 500, 5001)
    >>> a = np.where(np.isclose(f, 107.4), 1.0, 0.01)
    >>> peak = peak_near(f, a, target=107.36, tol=0.01)
    >>> round(peak.frequency, 1), round(peak.ratio)
    (107.4, 100)
    """
    freqs = np.asarray(freqs, dtype=float)
    amplitude = np.asarray(amplitude, dtype=float)
    if freqs.ndim != 1 or amplitude.shape != freqs.shape:
        raise ParameterError(f"freqs and amplitude must be 1-D and of equal length, got shapes {freqs.shape} "
                             f"and {amplitude.shape}; pick one channel of a multi-channel spectrum")
    if not (np.isfinite(target) and freqs[0] <= target <= freqs[-1]):
        raise ParameterError(f"target {target!r} Hz lies outside the spectrum's "
                             f"{freqs[0]:g}-{freqs[-1]:g} Hz")
    if not (0 < tol < 1 and tol <= floor_tol):
        raise ParameterError(f"need 0 < tol < 1 and tol <= floor_tol, got tol={tol!r}, "
                             f"floor_tol={floor_tol!r}")
    step = freqs[1] - freqs[0] if freqs.size > 1 else 0.0
    half = max(tol * target, step)
    inside = (freqs >= target - half) & (freqs <= target + half)
    index = np.flatnonzero(inside)[np.argmax(amplitude[inside])]
    floor_half = max(floor_tol * target, 3 * step)
    floor = float(np.median(amplitude[(freqs >= target - floor_half) & (freqs <= target + floor_half)]))
    return Peak(frequency=float(freqs[index]), amplitude=float(amplitude[index]), floor=floor)


def spectrum_db(x, *, fs: float, pad: int = 8) -> tuple[np.ndarray, np.ndarray]:
    """Hann-windowed, zero-padded magnitude spectrum in dB relative to its largest bin, for reading lines.

    The FFT length is ``pad`` times the power of two at or above the signal's length, so lines can be located
    to a fraction of the ``fs / n`` resolution (the same spectrum :func:`bearingkit.data.shaft_peak_evidence`
    weighs).

    Returns
    -------
    freqs : np.ndarray
        Hz, from 0 to ``fs / 2``.
    level_db : np.ndarray
        ``20 log10(|X| / max|X|)``, floored at -240 dB.
    """
    if not (isinstance(pad, int | np.integer) and pad >= 1):
        raise ParameterError(f"pad must be a positive integer, got {pad!r}")
    x = check_signal(x, fs=fs)
    if x.ndim != 1 or x.size < 2:
        raise ParameterError(f"spectrum_db takes one 1-D signal of at least 2 samples, got shape {x.shape}")
    x = x - x.mean()
    n_fft = int(pad) * 2 ** int(np.ceil(np.log2(x.size)))
    magnitude = np.abs(np.fft.rfft(x * np.hanning(x.size), n_fft))
    level = 20 * np.log10(np.maximum(magnitude / max(magnitude.max(), np.finfo(float).tiny), 1e-12))
    return np.fft.rfftfreq(n_fft, d=1.0 / fs), level
