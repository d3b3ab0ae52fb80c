package dev.vigil.pipeline.source;

import dev.vigil.common.codec.EnvelopeCodec;
import dev.vigil.common.model.Envelope;
import dev.vigil.pipeline.model.EnvelopeTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Kafka record value → {@link Envelope} ({@link EnvelopeCodec}). Never throws: a value that is not
 * an encoded envelope becomes an envelope without topic (raw bytes as payload, the record's
 * timestamp as receive time), which the parser rejects as {@code UNKNOWN_TOPIC} and counts.
 */
public class EnvelopeDeserializationSchema implements KafkaRecordDeserializationSchema<Envelope> {

    private static final long serialVersionUID = 1L;

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<Envelope> out) {
        out.collect(
                EnvelopeCodec.decodeOrUnroutable(record.value(), Math.max(0, record.timestamp())));
    }

    @Override
    public TypeInformation<Envelope> getProducedType() {
        return EnvelopeTypeInfo.INSTANCE;
    }
}
