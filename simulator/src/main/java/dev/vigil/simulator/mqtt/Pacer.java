package dev.vigil.simulator.mqtt;

import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * Spaces events in wall time. Each event has a due time relative to the first one, computed by a
 * {@link Schedule} from its index and event time: {@link #atRate} spaces them evenly ({@code n /
 * rate}), {@link #atSpeed} replays event time at a speed-up factor (1 = real time). Due times are
 * relative to the start, not to the previous event, so a slow consumer catches up instead of
 * drifting. {@link #unlimited()} never waits ({@code --as-fast-as-possible}).
 */
public final class Pacer {

    /** When event {@code index} (with event time {@code eventMs}) is due, in nanoseconds. */
    @FunctionalInterface
    public interface Schedule {
        long dueNanos(long index, long eventMs, long firstEventMs);
    }

    /** Parks the calling thread for a number of nanoseconds (injectable for tests). */
    @FunctionalInterface
    public interface Parker {
        void parkNanos(long nanos);
    }

    private final Schedule schedule;
    private final LongSupplier nanoTime;
    private final Parker parker;
    private long startNanos;
    private long firstEventMs;
    private long events;

    public Pacer(Schedule schedule, LongSupplier nanoTime, Parker parker) {
        this.schedule = schedule;
        this.nanoTime = nanoTime;
        this.parker = parker;
    }

    /** {@code eventsPerSecond} events per second of wall time, evenly spaced. */
    public static Schedule rate(double eventsPerSecond) {
        if (!(eventsPerSecond > 0) || Double.isInfinite(eventsPerSecond)) {
            throw new IllegalArgumentException(
                    "the rate must be a positive number of events per second, got "
                            + eventsPerSecond);
        }
        double nanosPerEvent = 1e9 / eventsPerSecond;
        return (index, eventMs, firstEventMs) -> (long) (index * nanosPerEvent);
    }

    /** Event time replayed {@code speed} times faster than real time (1 = real time). */
    public static Schedule speed(double speed) {
        if (!(speed > 0) || Double.isInfinite(speed)) {
            throw new IllegalArgumentException("the speed must be a positive factor, got " + speed);
        }
        return (index, eventMs, firstEventMs) ->
                (long) (Math.max(0, eventMs - firstEventMs) * 1e6 / speed);
    }

    public static Pacer atRate(double eventsPerSecond) {
        return onSystemClock(rate(eventsPerSecond));
    }

    public static Pacer atSpeed(double speed) {
        return onSystemClock(speed(speed));
    }

    /** A pacer that never waits. */
    public static Pacer unlimited() {
        return onSystemClock((index, eventMs, firstEventMs) -> 0L);
    }

    private static Pacer onSystemClock(Schedule schedule) {
        return new Pacer(schedule, System::nanoTime, LockSupport::parkNanos);
    }

    /** Waits until the slot of the next event (event time {@code eventMs}) has come. */
    public void awaitSlot(long eventMs) {
        long now = nanoTime.getAsLong();
        if (events == 0) {
            startNanos = now;
            firstEventMs = eventMs;
        }
        long due = startNanos + schedule.dueNanos(events++, eventMs, firstEventMs);
        for (long wait = due - now; wait > 0; wait = due - nanoTime.getAsLong()) {
            parker.parkNanos(wait);
        }
    }
}
