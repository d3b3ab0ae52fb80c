package dev.vigil.pipeline.model;

import static org.apache.flink.types.PojoTestUtils.assertSerializedAsPojoWithoutKryo;

import dev.vigil.common.model.Envelope;
import dev.vigil.common.model.MetricPoint;
import dev.vigil.common.model.Reject;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every record that crosses an operator boundary is a Flink POJO: no Kryo anywhere (generic types
 * are disabled).
 */
class RecordSerializationTest {

    @ParameterizedTest
    @ValueSource(
            classes = {
                Envelope.class,
                MetricPoint.class,
                Reject.class,
                ScoredPoint.class,
                Anomaly.class,
                dev.vigil.pipeline.parse.ParsedRecord.class
            })
    void isSerializedAsPojoWithoutKryo(Class<?> type) {
        assertSerializedAsPojoWithoutKryo(type);
    }
}
