"""Signal processing: envelope, resampling, STFT and spectral lines (:mod:`.spectral`), the fast kurtogram
(:mod:`.kurtogram`) and the sampling-rate check of a recording (:mod:`.sampling_rate`)."""

__all__: list[str] = []
