package dev.vigil.bench.jmh;

import dev.vigil.common.model.Envelope;
import dev.vigil.common.model.MetricPoint;
import dev.vigil.common.parse.ParserLimits;
import dev.vigil.common.parse.TelemetryParser;
import dev.vigil.common.routing.RoutingConfig;
import dev.vigil.simulator.FleetConfig;
import dev.vigil.simulator.FleetSimulator;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * {@link TelemetryParser#parse} per message, one benchmark per format, over real simulator messages
 * (the default fleet; malformed ones left out): JSON sensors (2 points per message), Telegraf line
 * protocol (4 lines, 10 points), collectd (1–3 points).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ParserBenchmark {

    static final int MESSAGES_PER_FORMAT = 2048;

    private TelemetryParser parser;
    private final List<MetricPoint> out = new ArrayList<>();
    private Envelope[] json;
    private Envelope[] lineProtocol;
    private Envelope[] collectd;
    private int next;

    @Setup(Level.Trial)
    public void setUp() {
        parser = new TelemetryParser(RoutingConfig.builtIn(), ParserLimits.defaults());
        json = messages("sensors/");
        lineProtocol = messages("telegraf/");
        collectd = messages("collectd/");
    }

    /** The first valid simulator messages whose topic starts with {@code prefix}. */
    private Envelope[] messages(String prefix) {
        List<Envelope> found = new ArrayList<>();
        FleetSimulator simulator = new FleetSimulator(FleetConfig.defaults());
        while (simulator.hasNext() && found.size() < MESSAGES_PER_FORMAT) {
            Envelope e = simulator.next();
            out.clear();
            if (e.getTopic().startsWith(prefix) && parser.parse(e, out) == null) {
                found.add(e);
            }
        }
        if (found.isEmpty()) {
            throw new IllegalStateException("the simulator sent no valid '" + prefix + "' message");
        }
        // A power of two, so the next message is an index mask away.
        int n = Integer.highestOneBit(found.size());
        return found.subList(0, n).toArray(new Envelope[0]);
    }

    /** Average points per message of a format (for the report). */
    public static double pointsPerMessage(String prefix) {
        ParserBenchmark b = new ParserBenchmark();
        b.parser = new TelemetryParser(RoutingConfig.builtIn(), ParserLimits.defaults());
        Envelope[] messages = b.messages(prefix);
        long points = 0;
        for (Envelope e : messages) {
            b.out.clear();
            b.parser.parse(e, b.out);
            points += b.out.size();
        }
        return points / (double) messages.length;
    }

    private int parse(Envelope[] messages) {
        Envelope e = messages[next++ & (messages.length - 1)];
        out.clear();
        parser.parse(e, out);
        return out.size();
    }

    @Benchmark
    public int json() {
        return parse(json);
    }

    @Benchmark
    public int lineProtocol() {
        return parse(lineProtocol);
    }

    @Benchmark
    public int collectd() {
        return parse(collectd);
    }
}
