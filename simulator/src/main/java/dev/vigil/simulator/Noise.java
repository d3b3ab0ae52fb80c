package dev.vigil.simulator;

/**
 * Counter-based pseudo-random numbers: every draw is a pure function of its coordinates (seed,
 * stream, index...), so a value can be recomputed at random access and one series' values do not
 * depend on what else the fleet generates. Uses SplitMix64 mixing and {@link StrictMath} so results
 * are identical on every JVM.
 */
final class Noise {

    private static final long GOLDEN = 0x9E3779B97F4A7C15L;

    private Noise() {}

    /** A 64-bit hash of the parts. */
    static long hash(long... parts) {
        long h = GOLDEN;
        for (long part : parts) {
            h = mix64(h ^ part) + GOLDEN;
        }
        return mix64(h);
    }

    /** A uniform double in [0, 1) from the parts. */
    static double uniform(long... parts) {
        return toUnit(hash(parts));
    }

    /** A standard normal draw (Box-Muller) determined by the parts. */
    static double gaussian(long seed, long stream, long index) {
        double u1 = 1.0 - toUnit(hash(seed, stream, index, 1)); // (0, 1]
        double u2 = toUnit(hash(seed, stream, index, 2));
        return StrictMath.sqrt(-2.0 * StrictMath.log(u1)) * StrictMath.cos(2.0 * Math.PI * u2);
    }

    /** A stable 64-bit hash of a string (FNV-1a over its chars, then mixed). */
    static long hashString(String s) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < s.length(); i++) {
            h ^= s.charAt(i);
            h *= 0x100000001b3L;
        }
        return mix64(h);
    }

    private static double toUnit(long h) {
        return (h >>> 11) * 0x1.0p-53;
    }

    private static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
