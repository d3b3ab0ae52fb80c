package dev.vigil.pipeline.demo;

import dev.vigil.pipeline.model.Anomaly;
import dev.vigil.pipeline.model.AnomalyKind;
import java.io.PrintStream;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * The demo's live progress line on the terminal (stderr): points/s, anomalies by kind, rejects.
 * Lines printed through {@link #println} appear above it. Does nothing when disabled (no terminal,
 * tests).
 */
final class Progress {

    private final boolean enabled;
    private final PrintStream out;
    private final PrintStream terminal = System.err;
    private final Map<AnomalyKind, Integer> anomalies = new EnumMap<>(AnomalyKind.class);
    private final long started = System.nanoTime();
    private String line = "";

    Progress(boolean enabled, PrintStream out) {
        this.enabled = enabled;
        this.out = out;
    }

    synchronized void anomaly(Anomaly a) {
        anomalies.merge(a.getKind(), 1, Integer::sum);
    }

    synchronized void update(long received, long rejected, long points) {
        double seconds = Math.max(1e-3, (System.nanoTime() - started) / 1e9);
        line =
                String.format(
                        Locale.ROOT,
                        "%,d messages, %,d points (%,.0f points/s), %,d rejected | anomalies %s",
                        received,
                        points,
                        points / seconds,
                        rejected,
                        anomalies);
        redraw();
    }

    synchronized void println(String text) {
        if (enabled) {
            terminal.print("\r\033[2K");
        }
        out.println(text);
        redraw();
    }

    synchronized void finish() {
        if (enabled && !line.isEmpty()) {
            terminal.print("\r\033[2K");
            terminal.flush();
        }
    }

    private void redraw() {
        if (enabled && !line.isEmpty()) {
            terminal.print("\r\033[2K" + line);
            terminal.flush();
        }
    }
}
