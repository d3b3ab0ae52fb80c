package dev.vigil.pipeline.model;

/**
 * Severity bands of the 0–100 severity score (Elastic-style: critical ≥ 75, major ≥ 50, minor ≥ 25,
 * warning ≥ 3).
 */
public enum SeverityBand {
    NONE(0),
    WARNING(3),
    MINOR(25),
    MAJOR(50),
    CRITICAL(75);

    private final double lowerBound;

    SeverityBand(double lowerBound) {
        this.lowerBound = lowerBound;
    }

    public double lowerBound() {
        return lowerBound;
    }

    public static SeverityBand of(double severity) {
        if (severity >= CRITICAL.lowerBound) {
            return CRITICAL;
        }
        if (severity >= MAJOR.lowerBound) {
            return MAJOR;
        }
        if (severity >= MINOR.lowerBound) {
            return MINOR;
        }
        if (severity >= WARNING.lowerBound) {
            return WARNING;
        }
        return NONE;
    }
}
