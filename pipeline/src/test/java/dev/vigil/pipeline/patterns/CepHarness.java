package dev.vigil.pipeline.patterns;

import dev.vigil.pipeline.model.Anomaly;
import dev.vigil.pipeline.model.ScoredPoint;
import java.util.List;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.cep.functions.PatternProcessFunction;
import org.apache.flink.cep.nfa.compiler.NFACompiler;
import org.apache.flink.cep.operator.CepOperator;
import org.apache.flink.cep.pattern.Pattern;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;

/**
 * Runs a pattern and its process function in a {@link CepOperator} the way {@code
 * CEP.pattern(keyed, pattern).inEventTime().process(fn)} builds it, in a keyed operator test
 * harness: every point is followed by a watermark at its timestamp, so matches come out in order.
 */
final class CepHarness implements AutoCloseable {

    private final KeyedOneInputStreamOperatorTestHarness<Long, ScoredPoint, Anomaly> harness;

    CepHarness(Pattern<ScoredPoint, ?> pattern, PatternProcessFunction<ScoredPoint, Anomaly> fn)
            throws Exception {
        CepOperator<ScoredPoint, Long, Anomaly> operator =
                new CepOperator<>(
                        TypeInformation.of(ScoredPoint.class)
                                .createSerializer(new SerializerConfigImpl()),
                        false,
                        NFACompiler.compileFactory(pattern, false),
                        null,
                        pattern.getAfterMatchSkipStrategy(),
                        fn,
                        null);
        harness =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        operator, p -> p.getPoint().getSeriesId(), Types.LONG);
        harness.open();
    }

    /** Feeds the points (each followed by a watermark at its timestamp), returns all output. */
    List<Anomaly> run(List<ScoredPoint> points) throws Exception {
        for (ScoredPoint p : points) {
            harness.processElement(p, p.timestamp());
            harness.processWatermark(p.timestamp());
        }
        return harness.extractOutputValues();
    }

    @Override
    public void close() {
        try {
            harness.close();
        } catch (Exception e) {
            throw new IllegalStateException("Closing the CEP test harness failed", e);
        }
    }
}
