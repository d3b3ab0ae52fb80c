package dev.vigil.pipeline.model;

/** What kind of unusual behaviour an {@link Anomaly} reports. */
public enum AnomalyKind {
    /** One point far outside the expected band (Gaussian tail probability below epsilon). */
    SPIKE,
    /** At least N of M consecutive points beyond k·σ within a time limit. */
    SUSTAINED_DEVIATION,
    /**
     * The series settled at a new level: several consecutive points on one side, far from the old
     * mean.
     */
    LEVEL_SHIFT,
    /** The value stopped changing although the series normally varies (stuck sensor). */
    FLATLINE,
    /** The series stopped reporting for longer than expected. */
    SILENCE,
    /**
     * Several metrics of one device (tag {@code device}, else {@code host}) deviate together: their
     * Fisher-combined tail probability in an event-time slice is tiny. The series is the device's
     * most deviating metric.
     */
    DEVICE,
    /**
     * A device's value of a metric is suddenly far (k·MAD) from the rest of the fleet's values of
     * that metric.
     */
    POPULATION
}
