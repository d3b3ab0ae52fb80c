package dev.vigil.pipeline.patterns;

import dev.vigil.pipeline.model.Anomaly;
import dev.vigil.pipeline.model.AnomalyKind;
import dev.vigil.pipeline.model.ScoredPoint;
import org.apache.flink.cep.pattern.conditions.SimpleCondition;

/**
 * Which side of its expected band a scored point lies on, and whether it starts an excursion.
 * Shared by the CEP conditions; null-safe (bad input is simply "inside the band").
 */
final class Excursion {

    /** Side of the expected band a point lies on. */
    enum Side {
        ABOVE("above"),
        BELOW("below"),
        NONE("inside");

        private final String word;

        Side(String word) {
            this.word = word;
        }

        String word() {
            return word;
        }
    }

    private Excursion() {}

    /** {@link Side#NONE} unless the point is warm and beyond its band ({@code outsideBand()}). */
    static Side side(ScoredPoint p) {
        if (p == null || p.getPoint() == null || !p.outsideBand()) {
            return Side.NONE;
        }
        return p.value() > p.getUpper() ? Side.ABOVE : Side.BELOW;
    }

    /**
     * The side of an excursion that begins at {@code p}: {@code p} is outside the band and the
     * previous point of the series was not beyond the same edge of (this point's) band. A
     * contiguous run of deviating points therefore has exactly one start, which is what lets the
     * patterns report a long episode once. The previous point is judged against the band of {@code
     * p} (the baseline moves by a tiny, clamped amount per point).
     */
    static Side excursionStart(ScoredPoint p) {
        Side side = side(p);
        if (side == Side.NONE || previousBeyond(p, side)) {
            return Side.NONE;
        }
        return side;
    }

    private static boolean previousBeyond(ScoredPoint p, Side side) {
        double previous = p.getPreviousValue();
        if (Double.isNaN(previous)) {
            return false;
        }
        return side == Side.ABOVE ? previous > p.getUpper() : previous < p.getLower();
    }

    /**
     * {@code p} continues the excursion that began at {@code first}: outside the band on the same
     * side, fewer than {@code positions} points of the series after it (by {@code seq}, so it also
     * holds when the pattern only sees the points outside the band).
     */
    static boolean continues(ScoredPoint first, ScoredPoint p, int positions) {
        Side side = side(p);
        return side != Side.NONE && side == side(first) && p.getSeq() - first.getSeq() < positions;
    }

    /** CEP condition: a warm point outside the band that begins an excursion. */
    static final class StartsExcursion extends SimpleCondition<ScoredPoint> {
        @Override
        public boolean filter(ScoredPoint p) {
            return excursionStart(p) != Side.NONE;
        }
    }

    /**
     * An anomaly of the excursion from {@code first} to {@code last}: start and end times, and
     * expected value and band from the baseline before {@code first}. The caller sets severity,
     * observed value and description.
     */
    static Anomaly anomaly(AnomalyKind kind, ScoredPoint first, ScoredPoint last) {
        Anomaly a = Anomaly.of(kind, first.getPoint());
        a.setStart(first.timestamp());
        a.setEnd(last.timestamp());
        a.setExpected(first.getMean());
        a.setLower(first.getLower());
        a.setUpper(first.getUpper());
        return a;
    }
}
