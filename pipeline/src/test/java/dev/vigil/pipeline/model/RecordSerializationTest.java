package dev.vigil.pipeline.model;

import static org.apache.flink.types.PojoTestUtils.assertSerializedAsPojoWithoutKryo;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.common.model.Envelope;
import dev.vigil.common.model.MetricPoint;
import dev.vigil.common.model.Reject;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every record that crosses an operator boundary is a Flink POJO, or has its own serializer ({@link
 * ScoredPoint}, see {@link ScoredPointSerializerTest}): no Kryo anywhere (generic types are
 * disabled).
 */
class RecordSerializationTest {

    @ParameterizedTest
    @ValueSource(
            classes = {
                Envelope.class,
                MetricPoint.class,
                Reject.class,
                Anomaly.class,
                dev.vigil.pipeline.parse.ParsedRecord.class
            })
    void isSerializedAsPojoWithoutKryo(Class<?> type) {
        assertSerializedAsPojoWithoutKryo(type);
    }

    @Test
    void scoredPointsUseTheirOwnSerializer() {
        assertThat(TypeInformation.of(ScoredPoint.class)).isSameAs(ScoredPointTypeInfo.INSTANCE);
        assertThat(
                        TypeInformation.of(ScoredPoint.class)
                                .createSerializer(new SerializerConfigImpl()))
                .isInstanceOf(ScoredPointSerializer.class);
    }
}
