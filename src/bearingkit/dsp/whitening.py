"""Removing the deterministic part of a signal before spectral kurtosis: autoregressive (AR) prediction.

Shaft, gear and mains components are deterministic: periodic, hence predictable from the recent past. A
bearing's impacts are not quite periodic (the elements slip), so they are not. A linear predictor fitted to
the signal (an AR model) takes out what it can predict, and its residual, the prediction error, keeps the
impacts and the noise: the discrete lines and the resonances that shape them are removed, and the impulsive
part stands out more, in the kurtosis and in the spectral kurtosis [#ra-s3]_ [#sr]_. Randall & Antoni (2011)
list the alternatives (discrete/random separation, time-synchronous averaging, cepstral pre-whitening,
:func:`bearingkit.dsp.spectral.cepstral_prewhitening`).

References
----------
.. [#ra-s3] Randall, R. B. & Antoni, J. (2011). Rolling element bearing diagnostics - a tutorial. Mechanical
   Systems and Signal Processing 25(2), 485-520, Sect. 3 (removing discrete frequency masking signals).
.. [#sr] Sawalhi, N., Randall, R. B. & Endo, H. (2007). The enhancement of fault detection and diagnosis in
   rolling element bearings using minimum entropy deconvolution combined with spectral kurtosis. Mechanical
   Systems and Signal Processing 21(6), 2616-2633.
"""

from __future__ import annotations

import numpy as np
import scipy.linalg
import scipy.signal

from bearingkit.errors import ParameterError

__all__ = ["ar_coefficients", "ar_residual"]


def ar_coefficients(x, *, order: int) -> np.ndarray:
    """Yule-Walker estimate of the AR(``order``) predictor ``x[n] ~ sum_k a[k] x[n - k]``, k = 1..order.

    The biased autocorrelation of the (mean-removed) signal gives a Toeplitz system, solved by the
    Levinson recursion (:func:`scipy.linalg.solve_toeplitz`); the predictor is then stable.

    Returns
    -------
    np.ndarray [shape=(order,)]
        ``a[1] .. a[order]``.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> e = rng.standard_normal(100_000)
    >>> x = scipy.signal.lfilter([1.0], [1.0, -0.9], e)       # x[n] = 0.9 x[n-1] + e[n]
    >>> a = ar_coefficients(x, order=2)
    >>> round(float(a[0]), 2), abs(round(float(a[1]), 2))
    (0.9, 0.0)
    """
    x = np.asarray(x, dtype=float)
    if not (isinstance(order, int | np.integer) and 1 <= order < x.size // 2):
        raise ParameterError(f"order must be an integer in [1, n/2), got {order!r} for n = {x.size}")
    if x.ndim != 1 or not np.all(np.isfinite(x)):
        raise ParameterError(f"ar_coefficients takes one finite 1-D signal, got shape {x.shape}")
    x = x - x.mean()
    n_fft = 2 ** int(np.ceil(np.log2(2 * x.size)))
    spectrum = np.fft.rfft(x, n_fft)
    r = np.fft.irfft(np.abs(spectrum) ** 2, n_fft)[: order + 1] / x.size
    if r[0] <= 0:
        raise ParameterError("the signal is constant: no predictor can be fitted")
    return scipy.linalg.solve_toeplitz(r[:order], r[1: order + 1])


def ar_residual(x, *, order: int, coefficients: np.ndarray | None = None) -> np.ndarray:
    """The prediction error of an AR(``order``) model: the signal less the part its past predicts.

    Parameters
    ----------
    x : array_like [shape=(n,)]
    order : int >= 1
        Number of past samples the predictor uses: long enough to span the periods of the lines to be
        removed at the rate of ``x``.
    coefficients : np.ndarray [shape=(order,)], optional
        A predictor fitted elsewhere (e.g. on a healthy reference, as Sawalhi et al. 2007 do [#sr]_);
        :func:`ar_coefficients` of ``x`` itself when omitted.

    Returns
    -------
    np.ndarray [shape=(n - order,)]
        ``e[n] = x[n] - sum_k a[k] x[n - k]`` for every ``n`` whose past is inside the signal.

    Examples
    --------
    >>> t = np.arange(20_000) / 10_000
    >>> x = np.sin(2 * np.pi * 50 * t) + 1e-3 * np.random.default_rng(1).standard_normal(t.size)
    >>> bool(np.std(ar_residual(x, order=8)) < 0.01 * np.std(x))   # a sine is predictable
    True
    """
    x = np.asarray(x, dtype=float)
    a = ar_coefficients(x, order=order) if coefficients is None else np.asarray(coefficients, dtype=float)
    if a.shape != (order,):
        raise ParameterError(f"coefficients must have shape ({order},), got {a.shape}")
    x = x - x.mean()
    return scipy.signal.lfilter(np.concatenate([[1.0], -a]), [1.0], x)[order:]
