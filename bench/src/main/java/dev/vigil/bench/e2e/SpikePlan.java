package dev.vigil.bench.e2e;

/**
 * Which published message carries a spike. The fleet publishes round-robin: message {@code i} is
 * device {@code i % devices}. After {@code warmupMessages}, one spike per second of messages
 * ({@code ratePerSecond}), {@code spikes} in all, each on a series of its own: spike {@code s} goes
 * to device {@code (s · stride) % devices} (stride coprime to the device count, so the devices are
 * distinct while {@code spikes ≤ devices}), field {@code s % fields}, in the first message of that
 * device in second {@code s}.
 */
final class SpikePlan {

    private final int devices;
    private final int fields;
    private final long warmupMessages;
    private final long ratePerSecond;
    private final int spikes;
    private final int stride;

    SpikePlan(int devices, int fields, long warmupMessages, long ratePerSecond, int spikes) {
        if (spikes > devices || ratePerSecond < devices) {
            throw new IllegalArgumentException(
                    "need spikes <= devices <= messages per second, got spikes="
                            + spikes
                            + " devices="
                            + devices
                            + " rate="
                            + ratePerSecond);
        }
        this.devices = devices;
        this.fields = fields;
        this.warmupMessages = warmupMessages;
        this.ratePerSecond = ratePerSecond;
        this.spikes = spikes;
        this.stride = coprimeStride(devices);
    }

    int spikes() {
        return spikes;
    }

    static int device(long messageIndex, int devices) {
        return (int) (messageIndex % devices);
    }

    /** The field that spikes in message {@code messageIndex}, or −1 when it carries no spike. */
    int spikeField(long messageIndex) {
        long measured = messageIndex - warmupMessages;
        if (measured < 0) {
            return -1;
        }
        long second = measured / ratePerSecond;
        if (second >= spikes) {
            return -1;
        }
        int s = (int) second;
        long secondStart = warmupMessages + second * ratePerSecond;
        long first = secondStart + Math.floorMod(spikeDevice(s) - secondStart, (long) devices);
        return messageIndex == first ? s % fields : -1;
    }

    int spikeDevice(int s) {
        return (int) ((long) s * stride % devices);
    }

    /** The smallest stride ≥ 7 coprime to {@code devices} (spreads spikes over the fleet). */
    static int coprimeStride(int devices) {
        int stride = 7;
        while (gcd(stride, devices) != 1) {
            stride++;
        }
        return stride;
    }

    private static int gcd(int a, int b) {
        return b == 0 ? a : gcd(b, a % b);
    }
}
