package dev.vigil.pipeline.detect;

import java.util.Arrays;

/**
 * Empirical calibration of a series' combined surprise: a surprise that this series keeps producing
 * is not news, however small its model probability. The calibrated p of a point is the larger of
 * the model's p and the recent rate of events at least as surprising, once at least {@value
 * #MIN_EVENTS} such events are remembered; before that the model is trusted.
 *
 * <p>The surprise axis is cut into {@value #LEVELS} levels 2·2^(k/4), k = 0…24 (2 to 128, four per
 * doubling). Per level the state keeps an exponentially decayed count of events (half-life {@value
 * #HALF_LIFE_POINTS} points); the decayed number of points so far is the denominator. A run of
 * consecutive points at or above a level is one event, so a spike of two points or a level shift
 * seen on several points counts once. The count at a surprise between two levels is interpolated
 * linearly in log surprise, so the grid does not decide close calls.
 *
 * <p>State: 25 floats, a byte and a double. A Flink POJO.
 */
public class SurpriseCalibration {

    static final int LEVELS = 25;

    /** Lowest level: p = 1e-2. */
    static final double FIRST_LEVEL = 2.0;

    /** Four levels per doubling of the surprise. */
    static final double LEVEL_STEP = Math.pow(2.0, 0.25);

    /** Events at a level needed before their rate is trusted (relative error about 1/√5). */
    static final double MIN_EVENTS = 5.0;

    /**
     * Memory, in points (about two weeks of 5-minute points: more than one period of the weekly
     * profile, see pipeline/DETECTION.md).
     */
    static final double HALF_LIFE_POINTS = 4000.0;

    private static final double DECAY = Math.pow(2.0, -1.0 / HALF_LIFE_POINTS);
    private static final double LOG_STEP = Math.log(LEVEL_STEP);

    /** Decayed count of events whose surprise reached each level. */
    private float[] events = new float[LEVELS];

    /** Highest level the previous point reached, −1 for none. */
    private byte previousLevel = -1;

    /** Decayed number of points folded in. */
    private double points;

    /** For serializers; no history. */
    public SurpriseCalibration() {}

    /** The calibrated surprise of {@code surprise} (at most {@code surprise}), then folds it in. */
    public double observe(double surprise) {
        int level = levelOf(surprise);
        double calibrated = calibrate(surprise, level);
        fold(level);
        return calibrated;
    }

    private double calibrate(double surprise, int level) {
        if (level < 0) {
            return surprise;
        }
        double atLeast = eventsAtLeast(surprise, level);
        if (atLeast < MIN_EVENTS) {
            return surprise;
        }
        return Math.min(surprise, -Math.log10(atLeast / points));
    }

    /** Events at least as surprising: interpolated between its level and the next. */
    private double eventsAtLeast(double surprise, int level) {
        if (level + 1 >= LEVELS) {
            return events[level];
        }
        double t = Math.log(surprise / levelValue(level)) / LOG_STEP;
        t = Math.max(0.0, Math.min(1.0, t));
        return events[level] + t * (events[level + 1] - events[level]);
    }

    private void fold(int level) {
        points = points * DECAY + 1.0;
        for (int k = 0; k < LEVELS; k++) {
            boolean newEvent = k <= level && k > previousLevel;
            events[k] = (float) (events[k] * DECAY + (newEvent ? 1.0 : 0.0));
        }
        previousLevel = (byte) level;
    }

    /** Index of the highest level ≤ surprise, −1 below the first. */
    static int levelOf(double surprise) {
        if (!(surprise >= FIRST_LEVEL)) {
            return -1;
        }
        int k = (int) Math.floor(Math.log(surprise / FIRST_LEVEL) / LOG_STEP + 1e-9);
        return Math.min(LEVELS - 1, k);
    }

    static double levelValue(int level) {
        return FIRST_LEVEL * Math.pow(LEVEL_STEP, level);
    }

    // ---------------------------------------------------------------- POJO accessors

    public float[] getEvents() {
        return events;
    }

    public void setEvents(float[] events) {
        this.events = events;
    }

    public byte getPreviousLevel() {
        return previousLevel;
    }

    public void setPreviousLevel(byte previousLevel) {
        this.previousLevel = previousLevel;
    }

    public double getPoints() {
        return points;
    }

    public void setPoints(double points) {
        this.points = points;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof SurpriseCalibration)) {
            return false;
        }
        SurpriseCalibration that = (SurpriseCalibration) o;
        return Arrays.equals(events, that.events)
                && previousLevel == that.previousLevel
                && Double.compare(points, that.points) == 0;
    }

    @Override
    public int hashCode() {
        return Double.hashCode(points) * 31 + previousLevel;
    }
}
